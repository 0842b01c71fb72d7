"""``kg build``: read publications and write the knowledge graph."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_OK, EXIT_NOTHING_BUILT = 0, 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("inputs", nargs="*", type=Path, help="files or folders (default: the samples shipped with kg)")
    parser.add_argument("--out", type=Path, default=Path("output"), help="output folder (default: output/)")
    parser.add_argument("--base", default=None, help="IRI base for people, parties, offices, questions and answers")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: up to 2)")
    parser.add_argument("--no-validate", action="store_true", help="skip SHACL validation")
    parser.add_argument("--store", type=Path, default=None, metavar="DIR", help="also load the graph into an on-disk Oxigraph store in DIR (replaced whole)")


def run(args: argparse.Namespace) -> int:
    from kg.build import FileStatus, build, report_dict
    from kg.iris import DEFAULT_BASE

    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None and total > 8 and sys.stderr.isatty():
            from tqdm import tqdm

            bar = tqdm(total=total, unit="file", desc="kg build", file=sys.stderr)
        if bar is not None:
            bar.update(1)

    try:
        result = build(
            args.inputs or None,
            args.out,
            base=args.base or DEFAULT_BASE,
            jobs=args.jobs,
            validate=not args.no_validate,
            progress=progress,
            store=args.store,
        )
    finally:
        if bar is not None:
            bar.close()

    report = result.report or report_dict(result)
    counts = report["counts"]
    for f in result.files:
        if f.status in (FileStatus.FAILED, FileStatus.WARNINGS):
            print(f"{f.status.value:>20}  {f.path.name}: {'; '.join(f.reasons)}")
    print(
        f"kg build: {counts['input_files']} files: {counts['files_built']} built, "
        f"{counts['files_built_with_warnings']} built with warnings, {counts['files_failed']} failed, "
        f"{counts['files_skipped']} skipped"
    )
    print(
        f"  {counts['publications']} publications, {counts['vragen']} questions, {counts['antwoorden']} answers, "
        f"{counts['verwijzingen']} citations of {counts['cited_publications']} publications, {counts['triples']} triples"
    )
    if result.validation is not None:
        v = result.validation
        print(f"  SHACL: {'conforms' if v.conforms else f'{len(v.violations)} results (see validation.txt)'}")
    print(f"  written to {args.out}/ in {result.seconds:.1f} s")
    return EXIT_OK if result.publications else EXIT_NOTHING_BUILT
