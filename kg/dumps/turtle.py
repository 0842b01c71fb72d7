"""Turtle: kamervragen.ttl, the default graph dump (other tools read it).

pyoxigraph writes it: linear, where rdflib's Turtle writer is not
(shared/docs/performance.md). It streams from the sorted N-Triples file and
keeps its order, which makes the file byte-identical for the same inputs.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from kg.dumps import DumpSet
from kg.dumps.stream import LineReader
from kg.vocab import PREFIXES


def serialize_turtle(lines: Iterable[str] | Path, path: Path) -> None:
    """Sorted N-Triples (lines, or a file of them) to a Turtle file with the project's prefixes."""
    import pyoxigraph as ox

    if isinstance(lines, Path):
        triples = ox.parse(path=str(lines), format=ox.RdfFormat.N_TRIPLES)
    else:
        triples = ox.parse(LineReader(lines), format=ox.RdfFormat.N_TRIPLES)
    ox.serialize(triples, str(path), format=ox.RdfFormat.TURTLE, prefixes={k: str(v) for k, v in PREFIXES.items()})


def write_turtle(dumps: DumpSet, path: Path) -> None:
    serialize_turtle(dumps.ntriples_path if dumps.ntriples_path is not None else dumps.iter_lines(), path)
