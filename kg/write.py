"""Writers: the graph dumps, the validation report and the build report.

Dump formats sit behind a small registry (``DUMP_WRITERS``); each takes the
sorted, de-duplicated N-Triples lines of the whole build, which makes every
dump byte-identical for the same inputs. pyoxigraph writes them: it is
linear where rdflib's Turtle writer is not (shared/docs/performance.md).
"""
from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from importlib import resources
from pathlib import Path

from kg.build import BuildResult, report_dict
from kg.vocab import PREFIXES


def merged_lines(chunks: list[str]) -> list[str]:
    """The build's triples as sorted unique N-Triples lines: people, parties,
    offices and cited stubs named by several publications appear once."""
    lines: set[str] = set()
    for chunk in chunks:
        lines.update(ln for ln in chunk.splitlines() if ln.strip())
    return sorted(lines)


def _oxigraph_dump(lines: list[str], path: Path, fmt_name: str) -> None:
    import pyoxigraph as ox

    fmt = getattr(ox.RdfFormat, fmt_name)
    triples = ox.parse("\n".join(lines) + "\n", format=ox.RdfFormat.N_TRIPLES)
    prefixes = {k: str(v) for k, v in PREFIXES.items()}
    ox.serialize(triples, str(path), format=fmt, prefixes=prefixes if fmt_name == "TURTLE" else None)


def write_turtle(lines: list[str], path: Path) -> None:
    _oxigraph_dump(lines, path, "TURTLE")


def write_ntriples(lines: list[str], path: Path) -> None:
    path.write_text("".join(ln + "\n" for ln in lines), encoding="utf-8")


# file name -> writer; adding a format is one function and one line here.
DUMP_WRITERS: dict[str, Callable[[list[str], Path], None]] = {
    "kamervragen.ttl": write_turtle,
    "kamervragen.nt": write_ntriples,
}


def write_build(result: BuildResult, out_dir: Path) -> dict:
    """Write every output of a build into ``out_dir``; return the report dict."""
    out_dir.mkdir(parents=True, exist_ok=True)
    lines = merged_lines(result.ntriples)
    for name, writer in DUMP_WRITERS.items():
        writer(lines, out_dir / name)
    ontology = resources.files("kg.ontology").joinpath("kamervragen.ttl")
    with resources.as_file(ontology) as src:
        shutil.copyfile(src, out_dir / "ontology.ttl")

    report = report_dict(result)
    report["counts"]["triples"] = len(lines)
    if result.validation is not None:
        from kg.validate import render_summary

        result.validation.results_graph.serialize(out_dir / "validation.ttl", format="turtle")
        (out_dir / "validation.txt").write_text(render_summary(result.validation), encoding="utf-8")
    report["outputs"] = sorted(p.name for p in out_dir.iterdir() if p.is_file() and p.name != "build-report.json")
    (out_dir / "build-report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return report
