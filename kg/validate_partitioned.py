"""Partitioned SHACL validation that equals pySHACL over the whole graph.

The build's triples arrive as chunks: one per publication and the shared
graph (kg.dumps.split_graphs). The shared graph is cut into pieces of whole
subjects, and every piece is a chunk as well. A node mentioned in one chunk
only ("local": a question, an answer, a footnote, most documents) has all its
triples there. A node mentioned in two or more chunks ("crossing": people,
parties, offices, cited publications, a question answered from another
document) does not, and each crossing node gets one home chunk: the chunk
that states most about it (ties: the shared graph first).

Three passes over the chunks, spooled to a temporary file so the input may be
a one-shot iterator; memory holds the units in flight (two per worker), the
context of the crossing nodes, and during pass 1 one hash per node of the
build (about 100 bytes a node) — never a graph of the whole build:

1. index: which nodes cross, and their home chunks;
2. context: the triples about crossing nodes that the shapes read
   (kg.validate_plan), kept per node: what a home unit needs about its
   crossing focus nodes from other chunks, what any unit needs about a
   crossing node one step from its focus nodes, and one witness triple per
   target pattern;
3. validate: units of ``batch_size`` publications (and the shared pieces)
   run pySHACL in worker processes over their own chunks plus that context,
   and keep the results of their home focus nodes: local nodes of their
   chunks and crossing nodes homed there. Each focus node is thus judged
   once, on every triple its shapes read, so the results are pySHACL's over
   the union.

Results are annotated (document, source file, labels) as over the union too:
in the unit when that reads only its local nodes, else from the chunks that
mention the nodes the walk up to the documents visits.

Blank nodes in the data, or shapes that read further than the plan follows,
make :func:`kg.validate.validate_partitioned` validate the whole graph at once.
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from kg.validate_plan import IN, OUT, SUBCLASS, ReadPlan, UnsupportedShapes, analyse

SHARED_PIECE_LINES = 20_000  # triples per piece of the shared graph


# --------------------------------------------------------------------- N-Triples lines


def split_line(line: str) -> tuple[str, str, str] | None:
    """Subject, predicate and object tokens of one N-Triples line, or None
    for a blank or comment line. Terms stay as written."""
    line = line.strip()
    if not line or line.startswith("#"):
        return None
    s, p, rest = line.split(" ", 2)
    o = rest.rstrip()
    if o.endswith("."):
        o = o[:-1].rstrip()
    return s, p, o


def canonical(token: str) -> str:
    """The N-Triples form rdflib gives the term (``Node.n3()``), so that a
    token and a pySHACL focus node compare equal."""
    if token.startswith("<") and "\\" not in token:
        return token
    from rdflib import Graph

    g = Graph()
    g.parse(data=f"<urn:x:s> <urn:x:p> {token} .\n", format="nt")
    (o,) = list(g.objects())
    return o.n3()


def node_tokens(s: str, p: str, o: str, literal_predicates: frozenset[str]) -> tuple[str, ...]:
    """The nodes a triple mentions: subject, and the object unless it is a
    literal no shape can reach."""
    if o[0] == '"':
        return (s, canonical(o)) if p in literal_predicates else (s,)
    return (s, o)


# --------------------------------------------------------------------- the spool


class Spool:
    """Chunks written once to a temporary file, read back by index."""

    def __init__(self) -> None:
        self._file: IO[bytes] = tempfile.TemporaryFile(prefix="kg-validate-")
        self._where: list[tuple[int, int]] = []
        self.identifiers: list[str | None] = []

    def add(self, identifier: str | None, text: str) -> int:
        data = text.encode("utf-8")
        self._file.seek(0, os.SEEK_END)
        self._where.append((self._file.tell(), len(data)))
        self._file.write(data)
        self.identifiers.append(identifier)
        return len(self._where) - 1

    def __len__(self) -> int:
        return len(self._where)

    def text(self, index: int) -> str:
        offset, size = self._where[index]
        self._file.seek(offset)
        return self._file.read(size).decode("utf-8")

    def close(self) -> None:
        self._file.close()


# --------------------------------------------------------------------- the index


@dataclass
class Index:
    """Pass 1 and 2: crossing nodes, their home chunks and the context."""

    crossing: dict[int, list[int]]  # hash -> [home chunk, subject count there]
    terms: dict[int, str]  # hash -> term of a crossing node
    # Lines are kept once however many chunks repeat them (a member's triples
    # in every publication that names the member).
    home_reads: dict[int, set[str]]  # crossing node -> lines read at it as a focus node, from other chunks than its home
    value_reads: dict[int, set[str]]  # crossing node -> lines read at it one step from a focus node
    steps: dict[int, dict[str, tuple[int, str]]]  # crossing node -> line -> (first chunk, other end) of steps with reads beyond
    chunk_crossing: list[list[int]]  # chunk -> crossing nodes it mentions
    global_lines: list[str]  # rdfs:subClassOf: read by every sh:class and sh:targetClass


def _triples(text: str) -> Iterator[tuple[str, str, str, str]]:
    """(line, subject, predicate, object) of every triple line of a chunk;
    the fast path takes the writers' form ``s p o .``."""
    for line in text.split("\n"):
        if not line or line[0] == "#":
            continue
        if line[-2:] == " .":
            s, p, o = line[:-2].split(" ", 2)
        else:
            t = split_line(line)
            if t is None:
                continue
            line = line.strip()
            s, p, o = t
        if "\\" in s:  # an escaped IRI: compare as rdflib spells it
            s = canonical(s)
        if o[0] == "<" and "\\" in o:
            o = canonical(o)
        yield line, s, p, o


def build_index(spool: Spool, plan: ReadPlan) -> Index | None:
    """None when a chunk holds blank nodes (their labels are scoped per
    document, so chunks cannot be told apart safely)."""
    lit = plan.literal_predicates
    first: dict[int, int] = {}  # hash -> chunk << 24 | subject count
    crossing: dict[int, list[int]] = {}
    cap = (1 << 24) - 1
    for k in range(len(spool)):
        subjects: dict[str, int] = {}
        objects: set[str] = set()
        text = spool.text(k)
        if "_:" in text and any(s[:2] == "_:" or o[:2] == "_:" for _, s, _, o in _triples(text)):
            return None
        for _line, s, p, o in _triples(text):
            subjects[s] = subjects.get(s, 0) + 1
            if o[0] != '"':
                objects.add(o)
            elif p in lit:
                objects.add(canonical(o))
        for n in objects.difference(subjects):
            subjects[n] = 0
        for n, count in subjects.items():
            h = hash(n)
            seen = first.get(h)
            if seen is None:
                first[h] = k << 24 | min(count, cap)
            elif seen >> 24 != k:
                best = crossing.get(h)
                if best is None:
                    best = crossing[h] = [seen >> 24, seen & cap]
                if count > best[1]:  # ties keep the earlier chunk: the shared pieces come first
                    best[0], best[1] = k, min(count, cap)
    del first
    index = Index(crossing, {}, {}, {}, {}, [], [])
    full, witness, value = plan.focus, plan.witness, plan.value_reads
    step_preds = {r for r, reads in plan.step_reads.items() if reads}
    witnessed: set[tuple[int, str, str]] = set()
    for k in range(len(spool)):
        mentioned: set[int] = set()
        for line, s, p, o in _triples(spool.text(k)):
            if p == SUBCLASS:
                index.global_lines.append(line)
            hs = hash(s)
            if o[0] == '"':
                if p not in lit:
                    ends: tuple = ((s, hs, OUT, o),) if hs in crossing else ()
                else:
                    o = canonical(o)
                    ends = ((s, hs, OUT, o), (o, hash(o), IN, s))
            else:
                ends = ((s, hs, OUT, o), (o, hash(o), IN, s))
            for node, h, direction, other in ends:
                home = crossing.get(h)
                if home is None:
                    continue
                mentioned.add(h)
                if h not in index.terms:
                    index.terms[h] = node
                read = (direction, p)
                if read in full:
                    if home[0] != k:
                        index.home_reads.setdefault(h, set()).add(line)
                elif read in witness and (h, direction, p) not in witnessed:
                    witnessed.add((h, direction, p))
                    index.home_reads.setdefault(h, set()).add(line)
                if read in value:
                    index.value_reads.setdefault(h, set()).add(line)
                if read in step_preds and home[0] != k:
                    index.steps.setdefault(h, {}).setdefault(line, (k, other))
        index.chunk_crossing.append(sorted(mentioned))
    return index


# --------------------------------------------------------------------- units


@dataclass(frozen=True)
class Unit:
    """What one worker validates: its own chunks, the context they need,
    and which crossing nodes are judged here."""

    own: str
    context: str
    crossing: frozenset[str]  # crossing nodes mentioned by the own chunks
    home: frozenset[str]  # of those, the ones homed here


def make_units(spool: Spool, index: Index, plan: ReadPlan, groups: Iterable[list[int]]) -> Iterator[Unit]:
    lit = plan.literal_predicates
    for chunks in groups:
        own = set(chunks)
        crossing = {h for k in chunks for h in index.chunk_crossing[k]}
        home = {h for h in crossing if index.crossing[h][0] in own}
        context: set[str] = set(index.global_lines)
        for h in crossing:
            context.update(index.value_reads.get(h, ()))
        foreign: dict[int, set[str]] = {}
        for h in home:
            context.update(index.home_reads.get(h, ()))  # a line also in an own chunk is harmless
            for line, (k, other) in index.steps.get(h, {}).items():
                if k in own:
                    continue
                context.add(line)
                oh = hash(other)
                if oh in index.crossing:
                    context.update(index.value_reads.get(oh, ()))
                else:  # a local node of another chunk: read it there
                    foreign.setdefault(k, set()).add(other)
        for k, nodes in sorted(foreign.items()):
            for line, s, p, o in _triples(spool.text(k)):
                o_node = canonical(o) if o[0] == '"' and p in lit else o
                if ((OUT, p) in plan.value_reads and s in nodes) or ((IN, p) in plan.value_reads and o_node in nodes):
                    context.add(line)
        yield Unit(
            own="".join(_with_newline(spool.text(k)) for k in chunks),
            context="\n".join(sorted(context)) + "\n" if context else "",
            crossing=frozenset(index.terms[h] for h in crossing),
            home=frozenset(index.terms[h] for h in home),
        )


def _with_newline(text: str) -> str:
    return text if text.endswith("\n") or not text else text + "\n"


# --------------------------------------------------------------------- worker side


_WORKER: dict[str, Any] = {}


def _worker_setup() -> None:
    from kg.validate import _default_shapes

    shapes = _default_shapes()
    _WORKER["shapes"] = shapes
    _WORKER["plan"] = analyse(shapes)


def run_unit(unit: Unit) -> list[tuple[tuple[tuple[str, str, str], ...], Any]]:
    """Validate one unit; the results of its home focus nodes (see
    :func:`result_record`), each with its kg.validate.Violation when what
    that reads (document, file, labels) lies in local nodes of the unit's own
    chunks, else None (the caller reads it from the union)."""
    from rdflib import Graph
    from rdflib.namespace import RDF, SH

    from kg.validate import _run_pyshacl, _violation_within

    if "plan" not in _WORKER:
        _worker_setup()
    plan: ReadPlan = _WORKER["plan"]
    lit = plan.literal_predicates
    own_nodes: set[str] = set()
    for _line, s, p, o in _triples(unit.own):
        own_nodes.update(node_tokens(s, p, o, lit))
    local = own_nodes - unit.crossing
    judged = local | unit.home
    data = Graph()
    data.parse(data=unit.own + unit.context, format="nt")
    results = _run_pyshacl(data, _WORKER["shapes"])
    out = []
    for report in results.subjects(RDF.type, SH.ValidationReport):
        for r in results.objects(report, SH.result):
            focus = results.value(r, SH.focusNode)
            if focus is not None and focus.n3() in judged:
                out.append((result_record(results, r, _shape_bnodes()), _violation_within(results, r, data, local)))
    return out


ROOT = "_:kgR"


def result_record(results: Any, root: Any, shape_bnodes: frozenset) -> tuple[tuple[str, str, str], ...]:
    """One result and what hangs from it (sh:detail results) as sorted
    N-Triples terms: the result is ``_:kgR``, a nested blank node is named
    from its content, and a path's blank node keeps the shapes graph's label
    (pySHACL copies it with its label). Equal results give equal records."""
    import hashlib

    from rdflib import BNode

    triples: list[tuple[str, str, str]] = []

    def name(node: Any, is_root: bool = False) -> str:
        lines = []
        for p, o in results.predicate_objects(node):
            if isinstance(o, BNode) and o not in shape_bnodes:
                lines.append((p.n3(), name(o)))
            else:
                lines.append((p.n3(), o.n3()))
        lines.sort()
        label = ROOT if is_root else "_:kgH" + hashlib.sha256(repr(lines).encode()).hexdigest()[:20]
        triples.extend((label, p, o) for p, o in lines)
        return label

    name(root, True)
    return tuple(sorted(set(triples)))


def _shape_bnodes() -> frozenset:
    if "bnodes" not in _WORKER:
        from rdflib import BNode

        shapes = _WORKER.get("shapes")
        if shapes is None:
            from kg.validate import _default_shapes

            shapes = _default_shapes()
        _WORKER["bnodes"] = frozenset(t for triple in shapes for t in triple if isinstance(t, BNode))
    return _WORKER["bnodes"]


# --------------------------------------------------------------------- driver


def spool_chunks(publication_chunks: Iterable[tuple[str, str] | str], shared_chunk: str) -> tuple[Spool, list[int], list[int]]:
    """Spool the shared graph (cut into pieces of whole subjects) and then
    every publication; the chunk indices of the pieces and the publications."""
    spool = Spool()
    shared_lines = sorted({ln.strip() for ln in shared_chunk.splitlines() if ln.strip() and not ln.lstrip().startswith("#")})
    pieces: list[int] = []
    piece: list[str] = []
    last_subject = None
    for line in shared_lines:
        subject = line.split(" ", 1)[0]
        if len(piece) >= SHARED_PIECE_LINES and subject != last_subject:
            pieces.append(spool.add(None, "\n".join(piece) + "\n"))
            piece = []
        piece.append(line)
        last_subject = subject
    if piece:
        pieces.append(spool.add(None, "\n".join(piece) + "\n"))
    # A bare string is a chunk without its identifier (kept for the report only).
    publications = [
        spool.add(None, item) if isinstance(item, str) else spool.add(*item) for item in publication_chunks
    ]
    return spool, pieces, publications


def groups_of(pieces: list[int], publications: list[int], batch_size: int) -> list[list[int]]:
    size = max(1, batch_size)
    return [[k] for k in pieces] + [publications[i : i + size] for i in range(0, len(publications), size)]


def run_units(units: Iterable[Unit], processes: int) -> Iterator[list[tuple[tuple[tuple[str, str, str], ...], Any]]]:
    if processes <= 1:
        for unit in units:
            yield run_unit(unit)
        return
    import multiprocessing
    from collections import deque

    with multiprocessing.get_context().Pool(processes, initializer=_worker_setup) as pool:
        # A bounded window of units in flight (Pool.imap would queue them all,
        # and with them every batch's text), results in submission order.
        window: deque = deque()
        for unit in units:
            window.append(pool.apply_async(run_unit, (unit,)))
            if len(window) >= 2 * processes:
                yield window.popleft().get()
        while window:
            yield window.popleft().get()
