"""Turtle: kamervragen.ttl, the default graph dump (other tools read it);
and the Turtle of each named graph, which kamervragen.trig shares.

The file is the project's prefixes, then each named graph's triples as
Turtle in the order of the graphs' IRIs (kg.dumps.trig puts the same text
inside each graph's braces). pyoxigraph writes each graph's part, linear
where rdflib's Turtle writer is not (shared/docs/performance.md), from its
sorted lines, which makes it byte-identical for the same lines; so a part is
kept from the previous build while its graph is unchanged
(kg.dumps.fragments), and one changed publication re-serialises one part.
A subject stated in a publication's graph and in the shared graph has a
group of triples in each: Turtle allows that, and the file reads back to
kamervragen.nt.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from kg.dumps import DumpSet, graph_size
from kg.dumps.fragments import FragmentFile, fragment_key
from kg.vocab import PREFIXES

TURTLE_PREFIXES: dict[str, str] = {k: str(v) for k, v in PREFIXES.items()}


def prefix_header(prefixes: Mapping[str, str]) -> bytes:
    return "".join(f"@prefix {name}: <{iri}> .\n" for name, iri in prefixes.items()).encode("utf-8")


def turtle_body(lines: Iterable[str], prefixes: Mapping[str, str] = TURTLE_PREFIXES) -> bytes:
    """Sorted N-Triples lines as Turtle that uses ``prefixes`` but does not declare them."""
    import pyoxigraph as ox

    data = ox.serialize(
        ox.parse(("\n".join(lines) + "\n").encode("utf-8"), format=ox.RdfFormat.N_TRIPLES),
        format=ox.RdfFormat.TURTLE, prefixes=dict(prefixes),
    )
    # pyoxigraph declares the prefixes first, one a line; no triple line starts with "@prefix ".
    pos = 0
    while data.startswith(b"@prefix ", pos):
        pos = data.index(b"\n", pos) + 1
    return data[pos:]


def serialize_turtle(lines: Iterable[str] | Path, path: Path) -> None:
    """Sorted N-Triples (lines, or a file of them) to a Turtle file with the project's prefixes."""
    if isinstance(lines, Path):
        with lines.open("r", encoding="utf-8", newline="\n") as f:
            lines = [line[:-1] for line in f]
    with path.open("wb") as out:
        out.write(prefix_header(TURTLE_PREFIXES))
        out.write(turtle_body(lines))


def write_turtle_files(dumps: DumpSet, paths: Mapping[str, Path]) -> dict[str, str]:
    """Write kamervragen.ttl and/or kamervragen.trig (the names in ``paths``)
    in one pass over the graphs, each graph's Turtle made once (or taken from
    the previous build); return each file's SHA-256."""
    from kg.dumps.dataset import DESCRIPTION_PREFIXES

    key = fragment_key("turtle", *(f"{k}={v}" for k, v in TURTLE_PREFIXES.items()))
    previous = getattr(dumps, "previous", None)
    index_dir = getattr(dumps, "index_dir", None)
    files: dict[str, FragmentFile] = {
        name: FragmentFile(path, key, index_dir, previous / name if previous is not None else None)
        for name, path in paths.items()
    }
    ttl, trig = files.get("kamervragen.ttl"), files.get("kamervragen.trig")
    try:
        if ttl is not None:
            ttl.write(prefix_header(TURTLE_PREFIXES))
        everything = TURTLE_PREFIXES | DESCRIPTION_PREFIXES
        if trig is not None:
            trig.write(prefix_header(everything))
        for graph in dumps.graphs:
            if not graph_size(graph):
                continue
            h = graph.lines_hash()
            body = None
            for f in files.values():
                body = f.fragment(h)
                if body is not None:
                    break
            reused = body is not None
            if body is None:
                body = turtle_body(graph.lines)
            if ttl is not None:
                ttl.add(h, body, reused)
            if trig is not None:
                trig.write(f"<{graph.iri}> {{\n".encode("utf-8"))
                trig.add(h, body, reused)
                trig.write(b"}\n")
        if trig is not None:
            # The description in the default graph, last: it may still be in the making in another process.
            description = dumps.description if dumps.description is not None else dumps.await_description()
            trig.write(turtle_body(description, everything))
    except BaseException:
        for f in files.values():
            f.abort()
        raise
    return {name: f.close() for name, f in files.items()}


def write_turtle(dumps: DumpSet, path: Path) -> str:
    return write_turtle_files(dumps, {"kamervragen.ttl": path})["kamervragen.ttl"]
