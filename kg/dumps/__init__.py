"""The graph dumps: one module per format behind a file-name registry.

Every writer gets the same ``DumpSet``: the build's triples as sorted, unique
N-Triples lines (the whole graph, and once more per named graph) plus the
dataset description with its provenance, also as sorted lines. Sorted lines
in, a streaming writer out: that is what makes every dump byte-identical for
the same inputs, whatever the number of worker processes.

| file | module | what |
|---|---|---|
| kamervragen.ttl | turtle | the graph (the default dump other tools read) |
| kamervragen.nt | ntriples | the same graph, sorted N-Triples |
| kamervragen.jsonld, context.jsonld | jsonld | the same graph as compact JSON-LD, and its context |
| kamervragen.trig | trig | a named graph per publication and a shared one; the description in the default graph |
| void.ttl | dataset | the description alone: VoID/DCAT dataset, PROV-O provenance of every named graph |
"""
from __future__ import annotations

import datetime as dt
import importlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import UsageError
from kg.iris import IriMinter


@dataclass(frozen=True)
class NamedGraph:
    """One named graph of the TriG dump and of ``kg push``."""

    iri: str
    lines: list[str]  # sorted unique N-Triples lines
    identifier: str | None = None  # the publication whose triples it holds; None for the shared graph


@dataclass(frozen=True)
class DumpSet:
    """What every dump writer is given."""

    lines: list[str]  # the whole graph: sorted unique N-Triples lines
    graphs: list[NamedGraph]  # one per publication and the shared graph, sorted by IRI; each triple in one of them
    description: list[str]  # dataset description and provenance: sorted N-Triples lines
    description_turtle: str  # the same as Turtle, as the template wrote it (void.ttl)
    description_graph: str  # the IRI under which ``kg push`` stores ``description``
    context: dict = field(default_factory=dict)  # the JSON-LD context (the object under "@context")


# file name -> (module, writer function); each writer is ``write(dumps, path)``.
# The order is the order of writing; modules are imported when they write, so
# a build loads the JSON-LD machinery only when it writes JSON-LD.
DUMP_WRITERS: dict[str, tuple[str, str]] = {
    "kamervragen.ttl": ("kg.dumps.turtle", "write_turtle"),
    "kamervragen.nt": ("kg.dumps.ntriples", "write_ntriples"),
    "context.jsonld": ("kg.dumps.jsonld", "write_context"),
    "kamervragen.jsonld": ("kg.dumps.jsonld", "write_jsonld"),
    "kamervragen.trig": ("kg.dumps.trig", "write_trig"),
    "void.ttl": ("kg.dumps.dataset", "write_description"),
}

# The distributions the dataset description lists: file name -> IANA media type.
MEDIA_TYPES: dict[str, str] = {
    "kamervragen.ttl": "text/turtle",
    "kamervragen.nt": "application/n-triples",
    "kamervragen.jsonld": "application/ld+json",
    "kamervragen.trig": "application/trig",
}


def writer(name: str) -> Callable[[DumpSet, Path], None]:
    module, function = DUMP_WRITERS[name]
    return getattr(importlib.import_module(module), function)


def merged_lines(chunks: list[str]) -> list[str]:
    """The build's triples as sorted unique N-Triples lines: people, parties,
    offices and cited stubs named by several publications appear once."""
    lines: set[str] = set()
    for chunk in chunks:
        lines.update(ln for ln in chunk.splitlines() if ln.strip())
    return sorted(lines)


def build_timestamp(timestamp: dt.datetime | None = None) -> dt.datetime | None:
    """When the build is said to have happened: the given time, else
    SOURCE_DATE_EPOCH (the reproducible-builds convention), else None, and
    then the description holds no time at all, so that a second build of the
    same inputs is byte-identical."""
    if timestamp is not None:
        return timestamp.astimezone(dt.timezone.utc).replace(microsecond=0)
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return None
    try:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
    except (ValueError, OverflowError, OSError):
        raise UsageError(f"SOURCE_DATE_EPOCH must be whole seconds since 1970, not {epoch!r}") from None


def split_graphs(chunks: list[tuple[str, str]], shared_chunk: str, iris: IriMinter) -> list[NamedGraph]:
    """Every triple in exactly one named graph, sorted by graph IRI.

    A publication's graph holds the triples that publication alone states;
    what several publications state (a member named by two of them, a
    publication both cite) and what the link stage adds goes to the shared
    graph. No triple is in two graphs, so a store that answers over the union
    of its graphs and keeps duplicates (Virtuoso does) gives the same answers
    as the merged graph, and the union of the graphs is kamervragen.nt."""
    per_publication = [(identifier, set(merged_lines([chunk]))) for identifier, chunk in chunks]
    seen: dict[str, int] = {}
    for _, lines in per_publication:
        for line in lines:
            seen[line] = seen.get(line, 0) + 1
    shared = set(merged_lines([shared_chunk]))
    shared.update(line for line, n in seen.items() if n > 1)
    graphs = [
        NamedGraph(str(iris.graph(identifier)), sorted(lines - shared), identifier)
        for identifier, lines in per_publication
    ]
    if shared:
        graphs.append(NamedGraph(str(iris.shared_graph()), sorted(shared)))
    return sorted(graphs, key=lambda g: g.iri)


def prepare(result, iris: IriMinter, timestamp: dt.datetime | None = None) -> DumpSet:  # result: kg.build.BuildResult
    """Split the build into named graphs and describe it.

    ``result.ntriples`` holds one chunk per publication, in the order of
    ``result.publications``, and possibly one more: the link stage's shared
    triples (kg.build._apply_links)."""
    from kg.dumps.context import jsonld_context
    from kg.dumps.dataset import describe, turtle_lines

    publications = result.publications
    chunks = result.ntriples
    if len(chunks) not in (len(publications), len(publications) + 1):
        raise ValueError(f"{len(chunks)} N-Triples chunks for {len(publications)} publications")
    graphs = split_graphs(
        [(pub.identifier, chunk) for pub, chunk in zip(publications, chunks)],
        chunks[len(publications)] if len(chunks) > len(publications) else "",
        iris,
    )
    # Each triple is in exactly one graph, so their lines together are the whole graph, once.
    lines = sorted(line for graph in graphs for line in graph.lines)
    turtle = describe(
        lines,
        graphs,
        publications,
        iris,
        input_files=len(result.files),
        distributions=[name for name in DUMP_WRITERS if name in MEDIA_TYPES],
        timestamp=build_timestamp(timestamp),
    )
    return DumpSet(lines, graphs, turtle_lines(turtle), turtle, str(iris.description_graph()), jsonld_context())


def write_dumps(dumps: DumpSet, out_dir: Path) -> list[str]:
    """Write every dump of the registry into ``out_dir``; return the file names."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in DUMP_WRITERS:
        writer(name)(dumps, out_dir / name)
    return list(DUMP_WRITERS)


__all__ = [
    "DUMP_WRITERS",
    "MEDIA_TYPES",
    "DumpSet",
    "NamedGraph",
    "build_timestamp",
    "merged_lines",
    "prepare",
    "split_graphs",
    "write_dumps",
]
