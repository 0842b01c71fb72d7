"""The ``kg`` command. Thin: it parses arguments, calls kg.build and maps
failures to exit codes.

Exit codes:
  0  the build ran (files that failed are listed in the build report)
  1  nothing could be built: every input file failed or was skipped
  2  wrong arguments (unknown option, missing input path)
  3  the installation is broken (ontology or shapes missing or invalid)
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kg import __version__
from kg.errors import UsageError, ValidationSetupError

EXIT_OK, EXIT_NOTHING_BUILT, EXIT_USAGE, EXIT_SETUP = 0, 1, 2, 3


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kg", description="Knowledge graph of Dutch parliamentary written questions.")
    parser.add_argument("--version", action="version", version=f"kg {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="read publications and write the knowledge graph")
    b.add_argument("inputs", nargs="*", type=Path, help="files or folders (default: the samples shipped with kg)")
    b.add_argument("--out", type=Path, default=Path("output"), help="output folder (default: output/)")
    b.add_argument("--base", default=None, help="IRI base for people, parties, offices, questions and answers")
    b.add_argument("--jobs", type=int, default=None, help="worker processes (default: up to 2)")
    b.add_argument("--no-validate", action="store_true", help="skip SHACL validation")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on bad arguments, 0 on --help
        return int(exc.code or 0)
    if args.command == "build":
        return _build(args)
    return EXIT_USAGE


def _build(args: argparse.Namespace) -> int:
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
        )
    except UsageError as exc:
        print(f"kg: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ValidationSetupError as exc:
        print(f"kg: broken installation: {exc}", file=sys.stderr)
        return EXIT_SETUP
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


if __name__ == "__main__":
    sys.exit(main())
