"""The build: input files -> read -> parse -> map -> validate -> write.

This module is the one place that runs the pipeline; the CLI only calls it.
Each file is read, parsed and mapped on its own (in worker processes when
there are several), so one bad file is reported and the rest go on.
"""
from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from enum import Enum
from importlib import resources
from pathlib import Path

from kg import __version__
from kg.errors import KgError, UsageError
from kg.iris import DEFAULT_BASE, IriMinter
from kg.model import Publication
from kg.read import SUPPORTED_SUFFIXES


class FileStatus(str, Enum):
    BUILT = "built"
    WARNINGS = "built with warnings"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass
class FileResult:
    """What became of one input file."""

    path: Path
    status: FileStatus
    identifier: str | None = None
    format: str | None = None
    reasons: list[str] = field(default_factory=list)
    vragen: int = 0
    antwoorden: int = 0
    verwijzingen: int = 0
    triples: int = 0
    seconds: float = 0.0


@dataclass
class BuildResult:
    files: list[FileResult]
    publications: list[Publication]
    ntriples: list[str]  # one N-Triples chunk per built publication, in file order
    validation: object | None  # kg.validate.ValidationReport when validated
    seconds: float
    out_dir: Path | None = None
    report: dict | None = None  # the build report as written, when written
    links: dict = field(default_factory=dict)  # the linkers' sections of the build report


# ----------------------------------------------------------------- inputs


def default_inputs() -> list[Path]:
    """The sample publications shipped inside the package."""
    root = resources.files("kg.samples")
    return [Path(str(root))]


def discover(inputs: Iterable[Path]) -> tuple[list[Path], list[FileResult]]:
    """Expand folders (recursively) into files. Every file met is accounted
    for: files kg does not read are returned as skipped results."""
    files: list[Path] = []
    skipped: list[FileResult] = []
    for item in inputs:
        if not item.exists():
            raise UsageError(f"no such file or folder: {item}")
        if item.is_dir():
            for p in sorted(q for q in item.rglob("*") if q.is_file()):
                if any(part.startswith((".", "__")) for part in p.relative_to(item).parts):
                    continue
                if p.suffix.lower() in SUPPORTED_SUFFIXES:
                    files.append(p)
                else:
                    skipped.append(FileResult(p, FileStatus.SKIPPED, reasons=[f"not a publication format ({p.suffix or 'no suffix'})"]))
        else:
            files.append(item)
    return files, skipped


# ----------------------------------------------------------------- one file


@dataclass
class _Outcome:
    result: FileResult
    publication: Publication | None
    ntriples: str


def process_file(path: Path, base: str = DEFAULT_BASE) -> _Outcome:
    """Read, parse and map one file; never raises for bad input."""
    from kg.mapping import publication_graph  # rdflib loads in the worker, not at import
    from kg.parse import parse
    from kg.read import read

    started = time.perf_counter()
    try:
        source = read(path)
        pub = parse(source)
        graph = publication_graph(pub, IriMinter(base))
        nt = graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
    except KgError as exc:
        return _Outcome(FileResult(path, FileStatus.FAILED, reasons=[exc.message], seconds=time.perf_counter() - started), None, "")
    except Exception as exc:  # noqa: BLE001 - a parser bug must not stop the build; the report names it
        reason = f"internal error while reading: {type(exc).__name__}: {exc}"
        return _Outcome(FileResult(path, FileStatus.FAILED, reasons=[reason], seconds=time.perf_counter() - started), None, "")
    result = FileResult(
        path,
        FileStatus.WARNINGS if pub.warnings else FileStatus.BUILT,
        identifier=pub.identifier,
        format=pub.source_format,
        reasons=list(pub.warnings),
        vragen=len(pub.vragen),
        antwoorden=len(pub.antwoorden),
        verwijzingen=len(pub.citations),
        triples=len(graph),
        seconds=time.perf_counter() - started,
    )
    return _Outcome(result, pub, nt)


def _process_star(args: tuple[Path, str]) -> _Outcome:
    return process_file(*args)


# ------------------------------------------------------------------- build


def build(
    inputs: list[Path] | None = None,
    out_dir: Path | None = Path("output"),
    *,
    base: str = DEFAULT_BASE,
    jobs: int | None = None,
    validate: bool = True,
    progress: Callable[[int, int], None] | None = None,
    store: Path | None = None,
) -> BuildResult:
    """Build the graph from ``inputs`` (files or folders; the shipped samples
    when None) and, when ``out_dir`` is given, write the dumps, the
    validation report and the build report there."""
    started = time.perf_counter()
    files, results = discover(inputs or default_inputs())
    jobs = jobs or min(2, os.cpu_count() or 1)
    work = [(p, base) for p in files]
    outcomes: list[_Outcome] = []
    if jobs > 1 and len(work) > 4:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for i, outcome in enumerate(pool.map(_process_star, work, chunksize=2), start=1):
                outcomes.append(outcome)
                if progress:
                    progress(i, len(work))
    else:
        for i, item in enumerate(work, start=1):
            outcomes.append(_process_star(item))
            if progress:
                progress(i, len(work))

    publications: list[Publication] = []
    chunks: list[str] = []
    first_file: dict[str, Path] = {}
    for outcome in outcomes:
        pub = outcome.publication
        if pub is not None and pub.identifier in first_file:
            # The same publication in two forms (its PDF and its text, say):
            # one node per publication, so the first file in name order wins.
            outcome.result.status = FileStatus.SKIPPED
            outcome.result.reasons = [f"same publication ({pub.identifier}) as {first_file[pub.identifier].name}, which was built"]
            results.append(outcome.result)
            continue
        results.append(outcome.result)
        if pub is not None:
            first_file[pub.identifier] = outcome.result.path
            publications.append(pub)
            chunks.append(outcome.ntriples)

    link_sections: dict = {}
    if publications:
        chunks, link_sections = _apply_links(publications, chunks, results, base)

    report = None
    if validate and chunks:
        from kg.validate import validate_many

        report = validate_many((_graph_of(nt) for nt in chunks), processes=jobs)
    results.sort(key=lambda r: str(r.path))
    result = BuildResult(results, publications, chunks, report, time.perf_counter() - started, out_dir, links=link_sections)
    if out_dir is not None:
        from kg.pictures import write_build_chains
        from kg.write import write_build, write_report

        result.report = write_build(result, out_dir, base=base)
        write_build_chains(out_dir)  # chains.html, chains.graphml, chains.dot from the graph just written
        write_report(result.report, out_dir)  # now listing the chain files too
    if store is not None:  # the on-disk Oxigraph store (kg build --store DIR), replaced whole
        from kg.store import load_build

        load_build(store, out_dir, result.ntriples)
    return result


def _apply_links(
    publications: list[Publication], chunks: list[str], results: list[FileResult], base: str
) -> tuple[list[str], dict]:
    """Run the link stage and fold its output into the publications' triples:
    renamed nodes replaced, each publication's new triples added to its own
    chunk, the shared ones as a chunk of their own."""
    from kg.link import GLOBAL, link

    links, sections = link(publications, IriMinter(base))
    renames = {f"<{old}>": f"<{new}>" for old, new in links.renames.items()}
    out: list[str] = []
    for pub, chunk in zip(publications, chunks):
        if renames:
            chunk = "\n".join(_rename_line(line, renames) for line in chunk.splitlines()) + "\n"
        out.append(chunk + _ntriples(links.triples.get(pub.identifier, ())))
    if links.triples.get(GLOBAL):
        out.append(_ntriples(links.triples[GLOBAL]))
    by_identifier = {r.identifier: r for r in results if r.identifier}
    for identifier, messages in links.warnings.items():
        result = by_identifier.get(identifier)
        if result is not None:
            result.reasons.extend(messages)
            if result.status == FileStatus.BUILT:
                result.status = FileStatus.WARNINGS
    return out, sections


def _rename_line(line: str, renames: dict[str, str]) -> str:
    """Rename the subject and an IRI object of one N-Triples line; literals
    are never touched."""
    subject, predicate, rest = line.split(" ", 2)
    subject = renames.get(subject, subject)
    if rest.startswith("<"):
        obj, tail = rest.split(" ", 1)
        rest = renames.get(obj, obj) + " " + tail
    return f"{subject} {predicate} {rest}"


def _ntriples(triples) -> str:
    if not triples:
        return ""
    from rdflib import Graph

    g = Graph()
    for t in triples:
        g.add(t)
    return g.serialize(format="nt", encoding="utf-8").decode("utf-8")


def _graph_of(nt: str):  # -> rdflib.Graph
    from rdflib import Graph

    g = Graph()
    g.parse(data=nt, format="nt")
    return g


def report_dict(result: BuildResult) -> dict:
    """The build report as plain data (written as build-report.json)."""
    counts = {s.value: sum(1 for f in result.files if f.status == s) for s in FileStatus}
    violations = list(getattr(result.validation, "violations", ()) or ())
    return {
        "kg_version": __version__,
        "files": [
            {
                "file": str(f.path),
                "status": f.status.value,
                "identifier": f.identifier,
                "format": f.format,
                "reasons": f.reasons,
                "vragen": f.vragen,
                "antwoorden": f.antwoorden,
                "verwijzingen": f.verwijzingen,
                "triples": f.triples,
            }
            for f in result.files
        ],
        "counts": {
            "input_files": len(result.files),
            **{f"files_{k.replace(' ', '_')}": v for k, v in counts.items()},
            "publications": len(result.publications),
            "vragen": sum(len(p.vragen) for p in result.publications),
            "antwoorden": sum(len(p.antwoorden) for p in result.publications),
            "verwijzingen": sum(len(p.citations) for p in result.publications),
            "cited_publications": len({c.identifier for p in result.publications for c in p.citations}),
            "triples": None,  # filled in by the writer, which counts the merged graph
        },
        "validation": {
            "conforms": getattr(result.validation, "conforms", None),
            "violations": len(violations),
        },
        "links": result.links,
    }
