"""Writers: the graph dumps, the validation report and the build report.

The dumps (Turtle, N-Triples, JSON-LD with its context, TriG with one named
graph per publication, the VoID/PROV description) are the package kg.dumps,
one module per format behind its registry ``DUMP_WRITERS``; this module runs
them and writes the reports.
"""
from __future__ import annotations

import datetime as dt
import json
import shutil
from importlib import resources
from pathlib import Path

from kg.build import BuildResult, report_dict
from kg.dumps import DUMP_WRITERS, merged_lines  # noqa: F401 - re-exported: kg.write is where writers are looked up
from kg.iris import DEFAULT_BASE, IriMinter


def write_build(
    result: BuildResult, out_dir: Path, *, base: str | None = None, timestamp: dt.datetime | None = None
) -> dict:
    """Write every output of a build into ``out_dir``; return the report dict.

    ``base`` names the named graphs and the dataset (the build's ``--base``);
    ``timestamp`` is the build time the description states (default:
    SOURCE_DATE_EPOCH, else none, which keeps the dumps byte-identical)."""
    from kg.dumps import prepare, write_dumps

    out_dir.mkdir(parents=True, exist_ok=True)
    base = base or getattr(result, "base", None) or DEFAULT_BASE
    dumps = prepare(result, IriMinter(base), timestamp)
    write_dumps(dumps, out_dir)
    lines = dumps.lines
    ontology = resources.files("kg.ontology").joinpath("kamervragen.ttl")
    with resources.as_file(ontology) as src:
        shutil.copyfile(src, out_dir / "ontology.ttl")

    report = report_dict(result)
    report["counts"]["triples"] = len(lines)
    if result.validation is not None:
        from kg.validate import render_summary

        result.validation.results_graph.serialize(out_dir / "validation.ttl", format="turtle")
        (out_dir / "validation.txt").write_text(render_summary(result.validation), encoding="utf-8")
    return write_report(report, out_dir)


def write_report(report: dict, out_dir: Path) -> dict:
    """Write build-report.json, listing the files the build has written so far."""
    report["outputs"] = sorted(p.name for p in out_dir.iterdir() if p.is_file() and p.name != "build-report.json")
    (out_dir / "build-report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return report
