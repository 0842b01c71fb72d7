"""Turtle: kamervragen.ttl, the default graph dump (other tools read it).

pyoxigraph writes it: linear, where rdflib's Turtle writer is not
(shared/docs/performance.md). It keeps the order of the sorted input lines.
"""
from __future__ import annotations

from pathlib import Path

from kg.dumps import DumpSet
from kg.vocab import PREFIXES


def serialize_turtle(lines: list[str], path: Path) -> None:
    """Sorted N-Triples lines to a Turtle file with the project's prefixes."""
    import pyoxigraph as ox

    triples = ox.parse("\n".join(lines) + "\n", format=ox.RdfFormat.N_TRIPLES)
    ox.serialize(triples, str(path), format=ox.RdfFormat.TURTLE, prefixes={k: str(v) for k, v in PREFIXES.items()})


def write_turtle(dumps: DumpSet, path: Path) -> None:
    serialize_turtle(dumps.lines, path)
