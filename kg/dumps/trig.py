"""TriG: kamervragen.trig, one named graph per publication.

The default graph holds the dataset description and the provenance of every
named graph (kg.dumps.dataset); then come the named graphs in IRI order: one
per publication with the triples it alone states, and one shared graph with
what several publications state (a member, a party, an office, a publication
they all cite) and what the link stage adds (kg.dumps.split_graphs). Each
triple is in one graph; the union of the named graphs is kamervragen.nt.
pyoxigraph writes it, streaming from the build's graphs.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from kg.dumps import DumpSet
from kg.dumps.dataset import DESCRIPTION_PREFIXES
from kg.dumps.stream import LineReader
from kg.vocab import PREFIXES


def nquads(dumps: DumpSet, description_graph: str | None = None) -> Iterator[str]:
    """The description (in the default graph, or in ``description_graph``),
    then every named graph, as blocks of N-Quads lines (one per graph)."""
    if description_graph is None:
        yield "".join(line + "\n" for line in dumps.description)
    else:
        name = f" <{description_graph}> .\n"
        yield "".join(line[:-2] + name for line in dumps.description)
    for graph in dumps.graphs:
        # An N-Triples line ends with " ." (kg writes no other); the graph name goes before it.
        name = f" <{graph.iri}> .\n"
        yield "".join([line[:-2] + name for line in graph.lines])


def write_trig(dumps: DumpSet, path: Path) -> None:
    import pyoxigraph as ox

    quads = ox.parse(LineReader(nquads(dumps), blocks=True), format=ox.RdfFormat.N_QUADS)
    prefixes = {k: str(v) for k, v in PREFIXES.items()} | DESCRIPTION_PREFIXES
    ox.serialize(quads, str(path), format=ox.RdfFormat.TRIG, prefixes=prefixes)
