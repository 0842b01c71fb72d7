"""JSON-LD: kamervragen.jsonld, compact with the published context.jsonld.

rdflib's JSON-LD serializer does the compaction (measured against pyld and
pyoxigraph in benchmarks/bench_dumps.py and the reply of issue 4: pyoxigraph
writes expanded JSON-LD only, pyld compacts ten times slower). It is fed a few
thousand triples at a time, whole subjects, since every node stands on its own
(no embedding): memory stays flat and the nodes come out in the order of the
sorted N-Triples. rdflib iterates sets, so nodes and multiple values are
sorted here: that makes the file byte-identical run after run.
"""
from __future__ import annotations

import json
from pathlib import Path

from kg.dumps import DumpSet

CONTEXT_FILE = "context.jsonld"
BATCH_LINES = 5000


def write_context(dumps: DumpSet, path: Path) -> None:
    from kg.dumps.context import context_document

    path.write_text(context_document(), encoding="utf-8")


def _subject(line: str) -> str:
    return line.split(" ", 1)[0]


def _batches(lines: list[str], size: int = BATCH_LINES):
    """Consecutive runs of about ``size`` lines that never split a subject."""
    start = 0
    while start < len(lines):
        end = min(start + size, len(lines))
        while end < len(lines) and _subject(lines[end]) == _subject(lines[end - 1]):
            end += 1
        yield lines[start:end]
        start = end


def _node_key(node_id: str, prefixes: dict[str, str]) -> str:
    """The N-Triples form of a node's @id, so nodes sort as their lines do."""
    if node_id.startswith("_:"):
        return node_id
    prefix, sep, rest = node_id.partition(":")
    if sep and prefix in prefixes and not rest.startswith("//"):
        node_id = prefixes[prefix] + rest
    return f"<{node_id}>"


def _value_key(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def compact_nodes(lines: list[str], context: dict) -> list[dict]:
    """The JSON-LD nodes of ``lines`` (whole subjects), compacted with ``context``, sorted."""
    from rdflib import Graph

    graph = Graph()
    graph.parse(data="\n".join(lines) + "\n", format="nt")
    data = json.loads(graph.serialize(format="json-ld", context=context))
    if "@graph" in data:
        nodes = data["@graph"]
    else:  # a single node comes back as the document itself
        data.pop("@context", None)
        nodes = [data] if data else []
    prefixes = {k: v for k, v in context.items() if isinstance(v, str) and v.endswith(("#", "/"))}
    for node in nodes:
        for value in node.values():
            if isinstance(value, list):
                value.sort(key=_value_key)
    nodes.sort(key=lambda n: _node_key(n["@id"], prefixes))
    return nodes


def write_jsonld(dumps: DumpSet, path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write('{\n  "@context": ' + json.dumps(CONTEXT_FILE) + ',\n  "@graph": [')
        first = True
        for batch in _batches(dumps.lines):
            for node in compact_nodes(batch, dumps.context):
                text = json.dumps(node, ensure_ascii=False, sort_keys=True, indent=2)
                out.write(("\n" if first else ",\n") + "    " + text.replace("\n", "\n    "))
                first = False
        out.write("\n  ]\n}\n")
