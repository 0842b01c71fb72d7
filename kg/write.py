"""Writers: the graph dumps, the validation report and the build report.

The dumps (Turtle, N-Triples, JSON-LD with its context, TriG with one named
graph per publication, the VoID/PROV description) are the package kg.dumps,
one module per format behind its registry ``DUMP_WRITERS``; this module runs
them, writes the reports and lists every file with its checksum in
``manifest.json`` (kg.manifest), so that readers can tell a whole build.
"""
from __future__ import annotations

import datetime as dt
import shutil
import time
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

from kg.build import BuildResult, report_dict, report_json
from kg.dumps import DUMP_WRITERS, merged_lines  # noqa: F401 - re-exported: kg.write is where writers are looked up
from kg.iris import DEFAULT_BASE, IriMinter
from kg.manifest import MANIFEST, write_atomic, write_manifest

REPORT = "build-report.json"


def write_build(
    result: BuildResult,
    out_dir: Path,
    *,
    base: str | None = None,
    timestamp: dt.datetime | None = None,
    formats: Iterable[str] | None = None,
    fingerprint: str | None = None,
    chains: bool = False,
    jobs: int | None = 1,
    previous: Path | None = None,
    fragments: Path | None = None,
) -> dict:
    """Write every output of a build into ``out_dir``; return the report dict.

    ``base`` names the named graphs and the dataset (the build's ``--base``);
    ``timestamp`` is the build time the description states (default:
    SOURCE_DATE_EPOCH, else none, which keeps the dumps byte-identical);
    ``formats`` the dumps to write (default all); ``chains``: also
    chains.html, .graphml and .dot. ``kg build`` writes into a staging
    folder that it then switches in as a whole (kg.manifest.commit).
    ``jobs``: processes for the dumps (one format each, beside the chains).
    ``previous``: the folder of the previous build, and ``fragments`` the
    folder of the index of its dumps' per-graph fragments: a graph whose
    lines are unchanged is copied from there, not serialised again
    (kg.dumps.fragments); the bytes are the same either way."""
    from kg.dumps import DumpJob

    out_dir.mkdir(parents=True, exist_ok=True)
    base = base or getattr(result, "base", None) or DEFAULT_BASE
    job = DumpJob(result, IriMinter(base), out_dir, timestamp=timestamp, formats=formats, jobs=jobs,
                  previous=previous, index_dir=fragments)
    dumps = job.dumps
    try:
        ontology = resources.files("kg.ontology").joinpath("kamervragen.ttl")
        with resources.as_file(ontology) as src:
            shutil.copyfile(src, out_dir / "ontology.ttl")
        if result.validation is not None:
            from kg.validate import render_summary

            # Blank nodes labelled from their content, results sorted: byte-identical across runs.
            write_atomic(out_dir / "validation.ttl", result.validation.turtle())
            write_atomic(out_dir / "validation.txt", render_summary(result.validation))
        if chains:
            # chains.html, chains.graphml, chains.dot, chains/: from the build's
            # sorted N-Triples (kamervragen.nt's lines), while the dumps are written.
            from kg.pictures import write_spool_chains

            # Copied from the previous build when no line chains read has changed;
            # else the pages go to the dumps' processes, after the dumps.
            started = time.perf_counter()
            write_spool_chains(result.spool, dumps.ntriples_path, out_dir, "kamervragen.nt", jobs=jobs,
                               previous=dumps.previous, index_dir=dumps.index_dir, pool=job.pool)
            chains_seconds = round(time.perf_counter() - started, 3)
    finally:
        known = job.wait()
    if base == result.base:
        result.dumps = dumps
    report = report_dict(result)
    report["counts"]["triples"] = dumps.triples
    if job.tasks:
        # What each dump took in its process; the chains are made in this one
        # (their pages may go to the dumps' processes after the dumps).
        report["write_tasks"] = {**job.tasks, **({"chains": {"seconds": chains_seconds}} if chains else {})}
    report = write_report(report, out_dir)
    # Every file of the build, those in sub-folders (chains/) too, by its path in the folder.
    names = [
        p.relative_to(out_dir).as_posix()
        for p in out_dir.rglob("*")
        if p.is_file() and p.name != MANIFEST and not any(part.startswith(".") for part in p.relative_to(out_dir).parts)
    ]
    write_manifest(out_dir, names, {"fingerprint": fingerprint} if fingerprint else None, known=known)
    return report


def write_report(report: dict, out_dir: Path) -> dict:
    """Write build-report.json, listing the files the build has written so far."""
    report["outputs"] = sorted(
        p.name + ("/" if p.is_dir() else "")
        for p in out_dir.iterdir()
        if p.name not in (REPORT, MANIFEST) and not p.name.startswith(".")
    )
    write_atomic(out_dir / REPORT, report_json(report))
    return report
