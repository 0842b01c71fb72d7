"""``kg build``: read publications and write the knowledge graph."""
from __future__ import annotations

import argparse
import csv
import io
import os
import sys
from pathlib import Path

from kg.errors import UsageError

EXIT_OK, EXIT_NOTHING_BUILT = 0, 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("inputs", nargs="*", type=Path, help="files or folders (default: the samples shipped with kg)")
    parser.add_argument("--out", type=Path, default=Path("output"), help="output folder (default: output/)")
    parser.add_argument("--base", default=None, help="IRI base for people, parties, offices, questions and answers")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: all cores)")
    parser.add_argument("--no-validate", action="store_true", help="skip SHACL validation")
    parser.add_argument("--store", type=Path, default=None, metavar="DIR",
                        help="also keep the graph in an on-disk Oxigraph store in DIR (loaded the first time, then updated in place)")
    parser.add_argument("--cache", type=Path, default=None, metavar="DIR",
                        help="the build cache's folder (default: OUT/.cache); an unchanged input is not read again")
    parser.add_argument("--shacl", default="sparql", choices=("sparql", "partitioned", "pyshacl"),
                        help="validation engine: sparql (default: the shapes compiled to SPARQL over an Oxigraph store; "
                             "partitioned where the shapes use what it does not translate), partitioned (pySHACL in batches "
                             "in the worker processes) or pyshacl (one run over the whole graph, the reference); "
                             "all report pySHACL's results over the whole graph")
    parser.add_argument("--formats", default=None, metavar="LIST",
                        help="the dumps to write, comma-separated from ttl,nt,trig,jsonld (default: all)")


def check_arguments(args: argparse.Namespace) -> None:
    """Every argument checked before any work (exit 2 naming it)."""
    from kg.dumps import check_formats
    from kg.store import check_store_dir

    if args.jobs is not None and args.jobs < 1:
        raise UsageError(f"--jobs {args.jobs}: must be 1 or more")
    _check_out(args.out, "--out")
    if args.cache is not None:
        _check_out(args.cache, "--cache")
    if args.base is not None:
        _check_base(args.base)
    if args.formats is not None:
        args.formats = list(check_formats(args.formats.split(",")))
    if args.store is not None:
        check_store_dir(args.store)
        if args.out is not None and args.store.resolve() == args.out.resolve():
            raise UsageError(f"--store {args.store}: must not be the output folder")
    _check_kamerleden()


def _file_memory_cap() -> int:
    value = os.environ.get("KG_FILE_MEMORY_MB", "2048").strip()
    try:
        mb = int(value)
    except ValueError:
        raise UsageError(f"KG_FILE_MEMORY_MB must be whole megabytes (0: no cap), not {value!r}") from None
    return max(0, mb) * 1024 * 1024


def _check_out(path: Path, name: str) -> None:
    if path.exists() and not path.is_dir():
        raise UsageError(f"{name} {path}: is a file, not a folder")
    parent = path
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir() or not os.access(parent, os.W_OK | os.X_OK):
        raise UsageError(f"{name} {path}: {parent} is not writable")


def _check_base(base: str) -> None:
    from urllib.parse import urlsplit

    parts = urlsplit(base)
    bad = set(' <>"{}|\\^`') & set(base)
    if not parts.scheme or not (parts.netloc or parts.scheme in ("urn", "tag")) or bad or any(ord(c) < 0x21 for c in base):
        raise UsageError(f"--base {base!r}: not an absolute IRI (like https://example.org/id/)")


# The columns the people linker reads from the reconciliation table (kg.link.people).
KAMERLEDEN_COLUMNS = ("achternaam", "fracties")


def _check_kamerleden() -> None:
    from kg.link.people import RECONCILIATION_ENV

    value = os.environ.get(RECONCILIATION_ENV)
    if not value:
        return
    path = Path(value)
    where = f"{RECONCILIATION_ENV}={value}"
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"{where}: cannot read the file ({exc.strerror or exc})") from None
    if b"\x00" in data[:4096]:
        raise UsageError(f"{where}: not a CSV text file (binary content)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(f"{where}: not UTF-8 text") from None
    header = next(csv.reader(io.StringIO(text)), [])
    missing = [c for c in KAMERLEDEN_COLUMNS if c not in [h.strip() for h in header]]
    if missing:
        raise UsageError(f"{where}: the table lacks the column(s) {', '.join(missing)} (its header: {','.join(header) or 'empty'})")


class _Bars:
    """One progress bar per stage (read, link, validate, write, load), with a rate."""

    def __init__(self) -> None:
        self.bars: dict = {}
        self.enabled = sys.stderr.isatty()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        bar = self.bars.get(stage)
        if bar is None:
            from tqdm import tqdm

            for other in self.bars.values():
                other.close()
            unit = {"read": "file", "validate": "chunk", "load": "graph"}.get(stage, "step")
            bar = self.bars[stage] = tqdm(total=total, unit=unit, desc=f"kg build: {stage}", file=sys.stderr, leave=False)
        bar.total = total
        bar.n = done
        bar.refresh()

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()


def run(args: argparse.Namespace) -> int:
    check_arguments(args)
    import kg.build
    from kg.build import FileStatus, build, report_dict

    # Each file's worker may use this much memory beyond its own start.
    kg.build.FILE_MEMORY_CAP = _file_memory_cap()
    from kg.iris import DEFAULT_BASE

    bars = _Bars()
    try:
        result = build(
            args.inputs or None,
            args.out,
            base=args.base or DEFAULT_BASE,
            jobs=args.jobs,
            validate=not args.no_validate,
            progress=bars,
            store=args.store,
            cache=args.cache,
            formats=args.formats,
            shacl=args.shacl,
        )
    finally:
        bars.close()

    report = result.report or report_dict(result)
    counts = report["counts"]
    if result.up_to_date:
        print(f"kg build: up to date ({counts['publications']} publications, {counts['triples']} triples in {args.out}/); nothing to do")
        return EXIT_OK
    for f in result.files:
        if f.status in (FileStatus.FAILED, FileStatus.WARNINGS):
            print(f"{f.status.value:>20}  {f.path.name}: {'; '.join(f.reasons)}")
    print(
        f"kg build: {counts['input_files']} files: {counts['files_built']} built, "
        f"{counts['files_built_with_warnings']} built with warnings, {counts['files_failed']} failed, "
        f"{counts['files_skipped']} skipped"
    )
    if not result.publications:
        print(f"  nothing built: {args.out}/" + (f" and {args.store}/" if args.store else "") + " left as they were")
        return EXIT_NOTHING_BUILT
    print(
        f"  {counts['publications']} publications, {counts['vragen']} questions, {counts['antwoorden']} answers, "
        f"{counts['verwijzingen']} citations of {counts['cited_publications']} publications, {counts['triples']} triples"
    )
    if result.validation is not None:
        v = result.validation
        print(f"  SHACL: {'conforms' if v.conforms else f'{len(v.violations)} results (see validation.txt)'}")
    stages = ", ".join(f"{k} {v:.1f} s" for k, v in result.stages.items() if k not in ("cpu", "memory", "memory_own"))
    print(f"  written to {args.out}/ in {result.seconds:.1f} s ({stages})")
    return EXIT_OK
