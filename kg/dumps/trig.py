"""TriG: kamervragen.trig, one named graph per publication.

The named graphs come in IRI order, then the default graph with the dataset
description and the provenance of every named graph (kg.dumps.dataset), last
because another process makes it meanwhile. The named graphs: one
per publication with the triples it alone states, and one shared graph with
what several publications state (a member, a party, an office, a publication
they all cite) and what the link stage adds (kg.dumps.split_graphs). Each
triple is in one graph; the union of the named graphs is kamervragen.nt.
Each graph's triples are the Turtle of kamervragen.ttl, made once for both
files (kg.dumps.turtle.write_turtle_files), kept from the previous build
while the graph is unchanged.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from kg.dumps import DumpSet


def nquads(dumps: DumpSet, description_graph: str | None = None) -> Iterator[str]:
    """The description (in the default graph, or in ``description_graph``),
    then every named graph, as blocks of N-Quads lines (one per graph)."""
    description = dumps.description_lines()
    if description_graph is None:
        yield "".join(line + "\n" for line in description)
    else:
        name = f" <{description_graph}> .\n"
        yield "".join(line[:-2] + name for line in description)
    del description
    for graph in dumps.graphs:
        # An N-Triples line ends with " ." (kg writes no other); the graph name goes before it.
        name = f" <{graph.iri}> .\n"
        yield "".join([line[:-2] + name for line in graph.lines])


def write_trig(dumps: DumpSet, path: Path) -> str:
    from kg.dumps.turtle import write_turtle_files

    return write_turtle_files(dumps, {"kamervragen.trig": path})["kamervragen.trig"]
