"""SHACL validation of the graph, with typed results and a readable summary.

The shapes (``shapes/kamervragen.shapes.ttl``) use core constraints only, so
that validating one publication costs milliseconds (shared/docs/performance.md).
Each pySHACL result becomes a :class:`Violation` that also says which
publication and source file it is about, and whether that source is cut
short: a truncated source may legitimately break completeness shapes, and the
report says so rather than the shapes being loosened.

Four ways to validate a build, with the same results:

- :func:`validate_sparql` (the build's default): the shapes compiled to
  SPARQL over an Oxigraph store of the chunks (kg.validate_sparql), the
  candidates judged by pySHACL's own constraint components; shapes it cannot
  translate fall back to the partitioned engine;
- :func:`validate_partitioned`: per batch of
  publications in worker processes, each focus node judged once on every
  triple its shapes read (kg.validate_partitioned, kg.validate_plan); memory
  holds a few batches and the partition index, not the whole graph;
- :func:`validate_whole`: the reference, pySHACL once over one rdflib graph
  of everything (``kg build --shacl pyshacl``);
- :func:`validate`: one graph as given (tests, small graphs).

:func:`write_results` writes validation.ttl byte-identically for the same
results, whichever way they were computed.

pySHACL and jinja2 are imported inside the functions that need them, so
``import kg.validate`` stays cheap.
"""
from __future__ import annotations

import enum
import functools
import importlib.resources
import itertools
import re
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

from kg.errors import ValidationSetupError
from kg.iris import PUBLICATION_BASE
from kg.vocab import KV, PREFIXES

if TYPE_CHECKING:
    from rdflib.namespace import NamespaceManager

SHAPES_FILE = "kamervragen.shapes.ttl"
ONTOLOGY_FILE = "kamervragen.ttl"
KVSH = "https://w3id.org/kamervragen/shapes#"

# Prefixes for paths and values in messages: the dump's prefixes plus the
# shapes namespace, fixed so the output is the same on every run.
_PREFIXES: dict[str, str] = {**{p: str(ns) for p, ns in PREFIXES.items()}, "kvsh": KVSH, "sh": str(SH)}

# Shapes a source cut short can break without the parser being wrong: what
# stood after the cut (answers, the rest of a text, questions) is unknown.
TRUNCATION_SENSITIVE: frozenset[str] = frozenset(
    KVSH + name
    for name in (
        "Document-vraag-beantwoord",
        "Document-vragen",
        "Vraag-tekst-aanwezig",
        "Antwoord-tekst-aanwezig",
        "Antwoord-beantwoordt",
        "Voetnoot-tekst",
    )
)


# --------------------------------------------------------------------- results


class Severity(str, enum.Enum):
    """sh:severity of a result; the order is the order of importance."""

    VIOLATION = "Violation"
    WARNING = "Warning"
    INFO = "Info"

    @classmethod
    def from_iri(cls, iri: Node | None) -> Severity:
        for member in cls:
            if iri == SH[member.value]:
                return member
        return cls.VIOLATION  # custom severities count as violations

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]


# A dict, not list(Severity).index: the rank is in every result's sort key (142k at 127k publications).
_SEVERITY_RANK = {member: k for k, member in enumerate(Severity)}


@dataclass(frozen=True)
class Violation:
    """One validation result, tied to the publication and file it is about.

    ``focus_node``, ``value`` (for IRIs) and ``shape`` are full IRIs;
    ``path`` is a SPARQL property path with the dump's prefixes
    (``^kv:beantwoordt``); literal values keep their datatype or language
    (``"2019-07-29"^^xsd:string``). ``message`` is the shape's message,
    Dutch then English. ``focus_label`` / ``value_label`` name the nodes for
    people ("Vraag 12", "Groothuizen (D66)").
    """

    severity: Severity
    focus_node: str
    path: str | None
    value: str | None
    message: str
    shape: str
    document: str | None = None
    source_file: str | None = None
    truncated: bool = False
    constraint: str | None = None  # e.g. "MinCountConstraintComponent"
    focus_label: str | None = None
    value_label: str | None = None

    @property
    def expected_from_truncation(self) -> bool:
        """True when the source is cut short and this shape is one a cut can break."""
        return self.truncated and self.shape in TRUNCATION_SENSITIVE

    def sort_key(self) -> tuple[Any, ...]:
        # Document, focus node, path, message; numbers inside IRIs compare as
        # numbers so that vraag ...-2 comes before ...-10.
        return (
            _natural(self.document or ""),
            _natural(self.focus_node),
            self.path or "",
            self.message,
            self.shape,
            _natural(self.value or ""),
            self.severity.rank,
            # The rest makes the order total: one value can break two
            # constraints of a shape with one message (datatype and minimum).
            self.constraint or "",
            self.focus_label or "",
            self.value_label or "",
            self.source_file or "",
            self.truncated,
        )


_DIGIT_RUNS = re.compile(r"(\d+)")


@functools.lru_cache(maxsize=4096)  # a document's name comes back for each of its results
def _natural(text: str) -> tuple[Any, ...]:
    """Sort key that orders the digit runs of ``text`` as numbers."""
    return tuple(int(part) if part.isdigit() else part for part in _DIGIT_RUNS.split(text))


@dataclass(frozen=True)
class ValidationReport:
    """``conforms`` is False only for sh:Violation results (warnings and
    infos are reported but pass); ``violations`` are sorted by document,
    focus node, path and message; ``results_graph`` is pySHACL's report,
    merged into one sh:ValidationReport by :func:`validate_many`.

    A report kept on disk (:meth:`on_disk`: the build does so, since at
    127k publications the results graph is 1.4M triples and 2 GB) holds
    its results as the Turtle of :func:`results_text` in ``results_ttl``;
    ``results_graph`` then parses it when asked."""

    conforms: bool
    violations: tuple[Violation, ...]
    _results_graph: Graph | None
    # Where the time went, by step (the SPARQL engine's load, shapes, merge): for the build report.
    seconds: dict = field(default_factory=dict, compare=False)
    results_ttl: Path | None = field(default=None, compare=False)

    @property
    def results_graph(self) -> Graph:
        if self._results_graph is None:
            g = Graph()
            if self.results_ttl is not None:
                g.parse(self.results_ttl, format="turtle")
            object.__setattr__(self, "_results_graph", g)
        return self._results_graph

    def turtle(self) -> str:
        """The results as deterministic Turtle (:func:`results_text`)."""
        if self._results_graph is None and self.results_ttl is not None:
            return self.results_ttl.read_text(encoding="utf-8")
        return results_text(self.results_graph)

    def on_disk(self, path: Path) -> "ValidationReport":
        """This report with its results graph written to ``path`` (as
        :meth:`turtle`) and let go of."""
        Path(path).write_text(self.turtle(), encoding="utf-8")
        return ValidationReport(self.conforms, self.violations, None, self.seconds, Path(path))

    def count(self, severity: Severity) -> int:
        return sum(1 for v in self.violations if v.severity is severity)


# --------------------------------------------------------------------- loading


def _load_packaged(package: str, name: str) -> Graph:
    try:
        resource = importlib.resources.files(package).joinpath(name)
        text = resource.read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError, OSError) as e:
        raise ValidationSetupError(f"{package}/{name} is not installed: {e}", source=name) from e
    g = Graph()
    try:
        g.parse(data=text, format="turtle")
    except Exception as e:  # rdflib raises several unrelated types for bad Turtle
        raise ValidationSetupError(f"{package}/{name} does not parse as Turtle: {e}", source=name) from e
    for prefix, ns in _PREFIXES.items():
        g.bind(prefix, ns, override=True)
    return g


def load_shapes() -> Graph:
    """A fresh copy of the packaged SHACL shapes, with blank nodes labelled
    canonically: a path such as ``[ sh:inversePath kv:beantwoordt ]`` has the
    same label in every process and run, so pySHACL's results (which keep the
    label when they copy a path) from several workers merge into one report."""
    from rdflib.compare import to_canonical_graph

    g = _load_packaged("kg.shapes", SHAPES_FILE)
    canonical = Graph()
    for prefix, ns in g.namespace_manager.namespaces():
        canonical.bind(prefix, ns, override=True)
    for t in to_canonical_graph(g):
        canonical.add(t)
    return canonical


def load_ontology() -> Graph:
    """A fresh copy of the packaged OWL ontology."""
    return _load_packaged("kg.ontology", ONTOLOGY_FILE)


@functools.lru_cache(maxsize=1)
def _default_shapes() -> Graph:
    # Parsed once per process: validate_many calls validate once per publication.
    return load_shapes()


# --------------------------------------------------------------------- validating


def validate(data: Graph, shapes: Graph | None = None) -> ValidationReport:
    """Validate one graph (a publication, a batch, or the whole build)."""
    results_graph = _run_pyshacl(data, shapes if shapes is not None else _default_shapes())
    violations = _sorted_unique(_read_results(results_graph, data))
    return ValidationReport(_conforms(violations), violations, results_graph)


def validate_many(graphs: Iterable[Graph], processes: int = 1, batch_size: int = 1) -> ValidationReport:
    """Validate publication graphs one by one (or ``batch_size`` at a time) and
    merge the results; ``processes > 1`` spreads the work over a pool.

    Graphs are consumed lazily, so a generator over a large build is fine.
    Batching unions several publications into one pyshacl run, which is
    cheaper per publication (performance.md) at the cost of checking shared
    nodes (people, offices) once per batch rather than per publication.
    """
    batches = _batched(graphs, max(1, batch_size))
    parts: list[tuple[tuple[Violation, ...], Graph]] = []
    if processes <= 1:
        for batch in batches:
            report = validate(batch)
            parts.append((report.violations, report.results_graph))
    else:
        import multiprocessing

        with multiprocessing.get_context().Pool(processes, initializer=_default_shapes) as pool:
            payloads = (tuple(batch) for batch in batches)
            for violations, nt in pool.imap(_validate_payload, payloads, chunksize=4):
                results = Graph()
                results.parse(data=nt, format="nt")
                parts.append((violations, results))
    violations = _sorted_unique(v for vs, _ in parts for v in vs)
    conforms = _conforms(violations)
    return ValidationReport(conforms, violations, _merge_results((g for _, g in parts), conforms))


def _validate_payload(triples: tuple[tuple[Node, Node, Node], ...]) -> tuple[tuple[Violation, ...], str]:
    # Worker side: triples in, plain data out (rdflib terms and dataclasses
    # pickle cheaply; a whole Graph drags its indexes along).
    data = Graph()
    data.addN((s, p, o, data) for s, p, o in triples)
    report = validate(data)
    return report.violations, report.results_graph.serialize(format="nt")


def _batched(graphs: Iterable[Graph], size: int) -> Iterator[Graph]:
    if size == 1:
        yield from graphs
        return
    batch: Graph | None = None
    n = 0
    for g in graphs:
        if batch is None:
            batch = Graph()
        batch += g
        n += 1
        if n == size:
            yield batch
            batch, n = None, 0
    if batch is not None:
        yield batch


def _run_pyshacl(data: Graph, shapes: Graph) -> Graph:
    import pyshacl

    try:
        _conforms_, results_graph, _text = pyshacl.validate(
            data,
            shacl_graph=shapes,
            inference="none",
            advanced=False,  # core constraints only; nothing needs SHACL-AF
            abort_on_first=False,
            # Warnings and infos are reported but do not make a graph fail;
            # ValidationReport.conforms is recomputed from the violations anyway.
            allow_warnings=True,
            allow_infos=True,
        )
    except Exception as e:  # a pyshacl failure is a broken shapes file, not bad data
        raise ValidationSetupError(f"pyshacl could not run the shapes: {e}") from e
    if not isinstance(results_graph, Graph):
        raise ValidationSetupError(f"pyshacl returned no results graph: {results_graph!r}")
    return results_graph


def _conforms(violations: Sequence[Violation]) -> bool:
    return not any(v.severity is Severity.VIOLATION for v in violations)


def _sorted_unique(violations: Iterable[Violation]) -> tuple[Violation, ...]:
    return tuple(sorted(set(violations), key=Violation.sort_key))


def _merge_results(graphs: Iterable[Graph], conforms: bool) -> Graph:
    """One sh:ValidationReport holding the results of all partial reports."""
    merged = Graph()
    for prefix, ns in _PREFIXES.items():
        merged.bind(prefix, ns)
    report = BNode()
    merged.add((report, RDF.type, SH.ValidationReport))
    merged.add((report, SH.conforms, Literal(conforms)))
    for g in graphs:
        partial = set(g.subjects(RDF.type, SH.ValidationReport))
        for s, p, o in g:
            if s in partial:
                if p == SH.result:
                    merged.add((report, SH.result, o))
            else:
                merged.add((s, p, o))
    return merged


# --------------------------------------------------------------------- the whole build


Chunks = Iterable[Any]  # (publication identifier, N-Triples text), or the text alone


def validate_whole(publication_chunks: Chunks, shared_chunk: str) -> ValidationReport:
    """The reference: every chunk into one rdflib graph, pySHACL over it
    (``kg build --shacl pyshacl``). Memory grows with the build."""
    data = Graph()
    labels: dict = {}  # one blank node per label across chunks, as in their merged lines
    for item in publication_chunks:
        data.parse(data=item if isinstance(item, str) else item[1], format="nt", bnode_context=labels)
    if shared_chunk.strip():
        data.parse(data=shared_chunk, format="nt", bnode_context=labels)
    return validate(data)


def validate_partitioned(
    publication_chunks: Chunks, shared_chunk: str, *, processes: int = 1, batch_size: int = 500
) -> ValidationReport:
    """pySHACL's results over the union of the chunks, computed per batch of
    ``batch_size`` publications in ``processes`` workers (see
    kg.validate_partitioned for why they are the same). ``publication_chunks``
    may be a one-shot iterator; each publication's triples after the link
    stage, with or without the triples it shares with others. Falls back to
    :func:`validate_whole` when the shapes read further than the plan follows
    or the data has blank nodes."""
    from kg import validate_partitioned as vp

    shapes = _default_shapes()
    try:
        plan = vp.analyse(shapes)
    except vp.UnsupportedShapes as e:
        import logging

        logging.getLogger(__name__).warning("validating the whole graph at once: %s", e)
        plan = None
    spool, pieces, publications = vp.spool_chunks(publication_chunks, shared_chunk)
    try:
        index = vp.build_index(spool, plan) if plan is not None else None
        if plan is None or index is None:  # shapes beyond the plan, or blank nodes in the data
            return validate_whole(((spool.identifiers[k] or "", spool.text(k)) for k in range(len(spool))), "")
        groups = vp.groups_of(pieces, publications, batch_size)
        units = vp.make_units(spool, index, plan, groups)
        records: set[tuple[tuple[str, str, str], ...]] = set()
        annotated: list[Violation] = []
        elsewhere: set[tuple[tuple[str, str, str], ...]] = set()  # annotation reads other chunks
        origins: dict[str, set[int]] = {}  # their result nodes -> the chunks judged with them
        for group, part in zip(groups, vp.run_units(units, processes)):
            for record, violation in part:
                records.add(record)
                if violation is not None:
                    annotated.append(violation)
                    continue
                elsewhere.add(record)
                # A focus node was judged with its chunks (a value may come
                # from the context, so it is looked up like any other node).
                for s, p, o in record:
                    if s == vp.ROOT and p == SH.focusNode.n3():
                        origins.setdefault(o, set()).update(group)
        results_graph = _results_graph(records, shapes)
        if elsewhere:
            partial = _results_graph(elsewhere, shapes)
            annotated.extend(_read_results(partial, _annotation_data(partial, spool, index, origins)))
        violations = _sorted_unique(annotated)
        return ValidationReport(_conforms(violations), violations, results_graph)
    finally:
        spool.close()


SHACL_ENGINES = ("sparql", "partitioned", "pyshacl")  # kg build --shacl: the default first


def validate_sparql(publication_chunks: Chunks, shared_chunk: str, *, store_dir: Any = None, processes: int = 1,
                    keep_store: Path | None = None) -> ValidationReport:
    """pySHACL's results over the union of the chunks, from the shapes
    compiled to SPARQL and run over an Oxigraph store of the union
    (kg.validate_sparql). ``store_dir``: a folder to hold a temporary
    on-disk store (memory stays bounded; removed afterwards), else the store
    is in memory. ``keep_store``: where an on-disk store goes afterwards
    instead of away (a folder on the same file system as ``store_dir``;
    the build's store loader starts from it). ``processes`` > 1 shares the shapes out over forked
    processes over the same store. Raises
    kg.validate_sparql.UnsupportedShapes before reading any chunk when the
    shapes use what the compiler does not translate."""
    from kg import validate_sparql as vs

    import shutil
    import tempfile

    shapes = _default_shapes()
    vs.check_shapes(shapes)
    texts = (item if isinstance(item, str) else item[1] for item in publication_chunks)
    where = tempfile.mkdtemp(prefix="shacl-store-", dir=str(store_dir)) if store_dir is not None else None
    try:
        started = time.perf_counter()
        store, strings = vs.store_from_texts(itertools.chain(texts, [shared_chunk] if shared_chunk.strip() else []), where)
        loaded = time.perf_counter() - started
        try:
            report = vs.validate_store(store, shapes, Graph().namespace_manager, strings, processes=processes, store_path=where)
            report.seconds["load"] = round(loaded, 3)
        except vs.UnsupportedShapes as e:  # the chunks are read: no falling back now
            raise ValidationSetupError(f"the SPARQL engine met what check_shapes let through: {e}") from e
        del store  # closes an on-disk store before its folder goes
        if where is not None and keep_store is not None:
            Path(where).rename(keep_store)
            where = None
        return report
    finally:
        if where is not None:
            shutil.rmtree(where, ignore_errors=True)


def validate_sparql_graph(data: Graph, shapes: Graph | None = None) -> ValidationReport:
    """:func:`validate` by the SPARQL engine: one rdflib graph, loaded into an
    in-memory Oxigraph store (tests compare it with pySHACL)."""
    from kg import validate_sparql as vs

    text = data.serialize(format="nt")
    store, strings = vs.store_from_texts([text])
    return vs.validate_store(store, shapes if shapes is not None else _default_shapes(), data.namespace_manager, strings)


def validate_chunks(
    publication_chunks: Chunks,
    shared_chunk: str,
    *,
    engine: str = "sparql",
    processes: int = 1,
    batch_size: int = 500,
    store_dir: Any = None,
    keep_store: Path | None = None,
) -> ValidationReport:
    """What the build calls: ``engine`` "sparql" (the default), "partitioned"
    or "pyshacl" (the whole-graph reference); all give pySHACL's results over
    the whole graph. "sparql" falls back to "partitioned" when the shapes use
    what its compiler does not translate."""
    if engine == "pyshacl":
        return validate_whole(publication_chunks, shared_chunk)
    if engine == "sparql":
        from kg.validate_sparql import UnsupportedShapes

        try:
            return validate_sparql(publication_chunks, shared_chunk, store_dir=store_dir, processes=processes,
                                   keep_store=keep_store)
        except UnsupportedShapes as e:
            import logging

            logging.getLogger(__name__).warning("SHACL shapes not compiled to SPARQL (%s): validating with pySHACL, partitioned", e)
            engine = "partitioned"
    if engine == "partitioned":
        return validate_partitioned(publication_chunks, shared_chunk, processes=processes, batch_size=batch_size)
    from kg.errors import UsageError

    raise UsageError(f"unknown SHACL engine {engine!r}: choose one of {', '.join(SHACL_ENGINES)}")


def _results_graph(records: Iterable[tuple[tuple[str, str, str], ...]], shapes: Graph) -> Graph:
    """One sh:ValidationReport as pySHACL writes it: a result per record
    (kg.validate_partitioned.result_record) and a path copied once from the
    shapes graph however many results name it."""
    from kg.validate_partitioned import ROOT

    lines = []
    conforms = True
    severity = SH.resultSeverity.n3()
    for i, record in enumerate(sorted(records)):
        for s, p, o in record:
            if s == ROOT and p == severity and o not in (SH.Info.n3(), SH.Warning.n3()):
                conforms = False
            s = f"_:r{i}" if s == ROOT else s.replace("_:kgH", f"_:r{i}h", 1)
            o = o.replace("_:kgH", f"_:r{i}h", 1) if o.startswith("_:kgH") else o
            lines.append(f"{s} {p} {o} .")
        lines.append(f"_:report <{SH.result}> _:r{i} .")
    lines.append(f"_:report <{RDF.type}> <{SH.ValidationReport}> .")
    lines.append(f'_:report <{SH.conforms}> "{str(conforms).lower()}"^^<{XSD.boolean}> .')
    g = Graph()
    for prefix, ns in _PREFIXES.items():
        g.bind(prefix, ns)
    # Paths keep the shapes graph's labels (a parser would rename them).
    context = {str(b): b for t in shapes for b in t if isinstance(b, BNode)}
    g.parse(data="\n".join(lines) + "\n", format="nt", bnode_context=context)
    # Blank-node paths keep their labels from the (canonically labelled) shapes graph.
    todo = [o for o in g.objects(None, SH.resultPath) if isinstance(o, BNode)]
    done: set[BNode] = set()
    while todo:
        b = todo.pop()
        if b in done:
            continue
        done.add(b)
        for p, o in shapes.predicate_objects(b):
            g.add((b, p, o))
            if isinstance(o, BNode):
                todo.append(o)
    return g


def _annotation_data(results: Graph, spool: Any, index: Any = None, origins: dict[str, set[int]] | None = None) -> Graph:
    """The triples of the union that annotating the results reads (which
    publication, source file and label a node has): the result nodes'
    neighbourhood, read from the spool until the walk up to the documents
    needs nothing more. With the partition ``index`` and the chunks each
    start node was judged in (``origins``), only the chunks that mention a
    node are read: a crossing node's (from the index), a local node's own."""
    from kg.validate_partitioned import _triples, canonical

    data = Graph()
    start: set[Node] = set()
    for r in results.objects(None, SH.result):
        for p in (SH.focusNode, SH.value):
            n = results.value(r, p)
            if isinstance(n, (URIRef, Literal)):
                start.add(n)
    mentioned = frozenset(p.n3() for p in _MENTIONED_BY)
    origins = {k: set(v) for k, v in (origins or {}).items()}
    everything = set(range(len(spool)))
    loaded: set[str] = set()
    need = {n.n3() for n in start}
    while need - loaded:
        fresh = need - loaded
        literals = any(n.startswith('"') for n in fresh)
        chunks = everything if index is None else _chunks_of(fresh, index, origins, everything)
        lines = []
        for k in sorted(chunks):
            for line, s, p, o in _triples(spool.text(k)):
                o_node = canonical(o) if literals and o[0] == '"' else o
                if s in fresh or (p in mentioned and o_node in fresh):
                    lines.append(line)
                    origins.setdefault(s, set()).add(k)
                    origins.setdefault(o_node, set()).add(k)
        if lines:
            data.parse(data="\n".join(lines) + "\n", format="nt")
        loaded |= fresh
        visited: set[Node] = set()
        for _ in _read_results(results, data, visited):
            pass
        need = {n.n3() for n in visited if isinstance(n, (URIRef, Literal))} | need
    return data


def _chunks_of(nodes: set[str], index: Any, origins: dict[str, set[int]], everything: set[int]) -> set[int]:
    """The chunks that mention ``nodes``: all of them for a crossing node,
    the one it was found in for a local node (every chunk when unknown)."""
    crossing = {hash(n) for n in nodes if hash(n) in index.crossing}
    chunks: set[int] = set()
    for n in nodes:
        if hash(n) not in index.crossing:
            found = origins.get(n)
            if not found:
                return everything
            chunks |= found
    if crossing:
        for k, hs in enumerate(index.chunk_crossing):
            if not crossing.isdisjoint(hs):
                chunks.add(k)
    return chunks


def write_results(report: ValidationReport, path: Any) -> None:
    """validation.ttl: the report's results graph with blank nodes labelled
    from their content and the triples in sorted order, so the same results
    give the same bytes on every run, however they were computed."""
    Path(path).write_text(report.turtle(), encoding="utf-8")


def results_text(results: Graph) -> str:
    """Deterministic Turtle of a results graph (see :func:`write_results`)."""
    labels = _canonical_labels(results)

    def n3(term: Node) -> str:
        if isinstance(term, BNode):
            return "_:" + labels[term]
        if isinstance(term, URIRef):
            q = _qname(term)
            # A Turtle local name may not start with "-".
            return q if not q.startswith("<") and ":-" not in q else term.n3()
        return term.n3(_namespace_manager())

    triples = sorted(f"{n3(s)} {n3(p) if p != RDF.type else 'a'} {n3(o)} ." for s, p, o in results)
    header = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(_PREFIXES.items()))
    return header + "\n" + "\n".join(triples) + "\n"


def _canonical_labels(g: Graph) -> dict[BNode, str]:
    """A label per blank node from what it says and what points to it
    (colour refinement), numbered in label order when nodes still tie; ties
    left are nodes no triple tells apart, so any order gives the same text."""
    import hashlib

    bnodes = sorted({t for triple in g for t in (triple[0], triple[2]) if isinstance(t, BNode)}, key=str)
    colour = {b: "" for b in bnodes}

    def term(t: Node) -> str:
        return "B" + colour[t] if isinstance(t, BNode) else t.n3()

    classes = 1
    for _round in range(8):  # refine until the partition stops splitting
        new = {}
        for b in bnodes:
            out = sorted(f"{p.n3()} {term(o)}" for p, o in g.predicate_objects(b))
            inc = sorted(f"{term(s)} {p.n3()}" for s, p in g.subject_predicates(b))
            new[b] = hashlib.sha256("\n".join([colour[b], *out, "|", *inc]).encode()).hexdigest()[:16]
        colour = new
        if len(set(new.values())) == classes:
            break
        classes = len(set(new.values()))
    labels: dict[BNode, str] = {}
    counts: dict[str, int] = {}
    for b in sorted(bnodes, key=lambda b: colour[b]):
        n = counts.get(colour[b], 0)
        counts[colour[b]] = n + 1
        labels[b] = f"b{colour[b]}{'' if n == 0 else f'-{n}'}"
    return labels


# --------------------------------------------------------------------- reading results


def _read_results(results: Graph, data: Graph, visited: set[Node] | None = None) -> Iterator[Violation]:
    nm = _namespace_manager()
    index = _DocumentIndex(data, visited)
    prefetch = getattr(data, "prefetch", None)  # kg.validate_sparql.StoreGraph: batched reads
    for report in results.subjects(RDF.type, SH.ValidationReport):
        rs = sorted(results.objects(report, SH.result), key=str) if prefetch else list(results.objects(report, SH.result))
        for i in range(0, len(rs), _ANNOTATION_BATCH):
            batch = rs[i : i + _ANNOTATION_BATCH]
            if prefetch is not None:
                nodes = [n for r in batch for n in (results.value(r, SH.focusNode), results.value(r, SH.value)) if n is not None]
                prefetch(nodes, _ANNOTATION_READS, _CONTAINED_IN, (KV.bron,))
            for r in batch:
                v = _violation(results, r, index, nm)
                if v is not None:
                    yield v


def _violation(results: Graph, r: Node, index: _DocumentIndex, nm: NamespaceManager) -> Violation | None:
    focus = results.value(r, SH.focusNode)
    if focus is None:
        return None
    path = results.value(r, SH.resultPath)
    value = results.value(r, SH.value)
    shape = results.value(r, SH.sourceShape)
    component = results.value(r, SH.sourceConstraintComponent)
    doc = index.owner(focus)
    return Violation(
        severity=Severity.from_iri(results.value(r, SH.resultSeverity)),
        focus_node=str(focus),
        path=_render_path(results, path) if path is not None else None,
        value=_render_term(value, nm) if value is not None else None,
        message=_message(results, r),
        shape=str(shape) if isinstance(shape, URIRef) else "(anonymous shape)",
        document=index.identifier(doc) if doc is not None else None,
        source_file=index.source_file(doc) if doc is not None else None,
        truncated=index.truncated(doc) if doc is not None else False,
        constraint=str(component).rsplit("#", 1)[-1] if component is not None else None,
        focus_label=index.label(focus),
        value_label=index.label(value) if isinstance(value, (URIRef, BNode)) else None,
    )


def _violation_within(results: Graph, r: Node, data: Graph, local: set[str]) -> Violation | None:
    """The result as a Violation when everything its annotation reads is
    about nodes whose triples are all in ``data`` (``local``), else None."""
    index = _DocumentIndex(data)
    v = _violation(results, r, index, _namespace_manager())
    return v if all(n.n3() in local for n in index.visited) else None


def _message(results: Graph, result: Node) -> str:
    # Dutch first, then English, then anything else (pyshacl's own default
    # text when a shape has no message), each once.
    by_lang: dict[str, list[str]] = {}
    for m in results.objects(result, SH.resultMessage):
        lang = m.language if isinstance(m, Literal) and m.language else ""
        by_lang.setdefault(lang, []).append(str(m))
    order = ["nl", "en"] + sorted(k for k in by_lang if k not in ("nl", "en"))
    return " / ".join(dict.fromkeys(t for lang in order for t in sorted(by_lang.get(lang, ()))))


@functools.lru_cache(maxsize=1)
def _namespace_manager() -> NamespaceManager:
    g = Graph(bind_namespaces="none")
    for prefix, ns in _PREFIXES.items():
        g.bind(prefix, ns, override=True)
    return g.namespace_manager


def _render_term(term: Node, nm: NamespaceManager) -> str:
    if isinstance(term, Literal):
        if term.datatype is None and not term.language:
            # A simple literal is an xsd:string (RDF 1.1); say so, since a
            # date or number "typed as a string" is what such a result is about.
            return Literal(str(term), datatype=XSD.string).n3(nm)
        return term.n3(nm)
    return str(term)


def _qname(iri: URIRef) -> str:
    for prefix, ns in _PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            local = iri[len(ns):]
            if all(c.isalnum() or c in "_-" for c in local):
                return f"{prefix}:{local}"
    return f"<{iri}>"


def _render_path(g: Graph, path: Node) -> str:
    """A SHACL path as SPARQL property-path syntax."""
    if isinstance(path, URIRef):
        return _qname(path)
    inner = g.value(path, SH.inversePath)
    if inner is not None:
        return "^" + _render_path(g, inner)
    alternatives = g.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(_render_path(g, p) for p in Collection(g, alternatives)) + ")"
    for pred, suffix in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
        inner = g.value(path, pred)
        if inner is not None:
            return "(" + _render_path(g, inner) + ")" + suffix
    if g.value(path, RDF.first) is not None:
        return "(" + "/".join(_render_path(g, p) for p in Collection(g, path)) + ")"
    return str(path)


# Edges from a node up to the publication it belongs to. Containment first
# (a question's own document), then mentions (the documents that name a
# person or office, or that cite a stub): a question answered from another
# document still belongs to its own. Predicates listed point *to* the node;
# kv:bron points *from* it.
_CONTAINED_IN = (KV.heeftVraag, KV.heeftAntwoord, KV.heeftVoetnoot)
_MENTIONED_BY = (
    *_CONTAINED_IN,
    KV.beantwoordt,
    KV.gesteldDoor,
    KV.gerichtAan,
    KV.beantwoordDoor,
    KV.medeNamens,
    KV.functie,
    KV.fractie,
    KV.verwijstNaar,
    KV.doel,
    KV.inVoetnoot,
)


# What _DocumentIndex reads of a node (its labels and its publication's
# facts): the predicates a store-backed graph prefetches, in batches of results.
_ANNOTATION_READS = (RDF.type, KV.bronbestand, KV.bron, KV.identificatie, KV.onvolledig, KV.nummer, KV.kop,
                     KV.volgnummer, KV.citaat, RDFS.label, KV.achternaam)
_ANNOTATION_BATCH = 5000


class _DocumentIndex:
    """Finds, per focus node, the parsed publication it belongs to."""

    def __init__(self, data: Graph, visited: set[Node] | None = None) -> None:
        self.data = data
        self._owner: dict[Node, Node | None] = {}
        # Every node whose triples the index looked at (kg.validate_partitioned
        # reads exactly those from the build's chunks).
        self.visited = visited if visited is not None else set()

    def is_parsed(self, node: Node) -> bool:
        return (node, KV.bronbestand, None) in self.data

    def owner(self, node: Node) -> Node | None:
        if node not in self._owner:
            self._owner[node] = (
                self._nearest_parsed(node, _CONTAINED_IN)
                or self._nearest_parsed(node, _MENTIONED_BY)
                or self._stub(node)
            )
        return self._owner[node]

    def _nearest_parsed(self, node: Node, up: tuple[URIRef, ...]) -> Node | None:
        # Breadth first, nearest level wins; within a level the smallest
        # identifier, so that "the first document that mentions" a person
        # is the same on every run.
        seen = {node}
        level = [node]
        while level:
            self.visited.update(level)
            parsed = [n for n in level if self.is_parsed(n)]
            if parsed:
                return min(parsed, key=lambda n: (self.identifier(n), str(n)))
            nxt: set[Node] = set()
            for n in level:
                for p in up:
                    nxt.update(self.data.subjects(p, n))
                nxt.update(self.data.objects(n, KV.bron))
            level = sorted(nxt - seen, key=str)
            seen.update(level)
        return None

    def _stub(self, node: Node) -> Node | None:
        # A cited publication nobody parsed cites here: it is its own document.
        self.visited.add(node)
        if (node, RDF.type, KV.Document) in self.data or (node, KV.identificatie, None) in self.data:
            return node
        return None

    def identifier(self, doc: Node) -> str:
        ids = sorted(str(o) for o in self.data.objects(doc, KV.identificatie))
        if ids:
            return ids[0]
        s = str(doc)
        return s[len(PUBLICATION_BASE):] if s.startswith(PUBLICATION_BASE) else s

    def source_file(self, doc: Node) -> str | None:
        files = sorted(str(o) for o in self.data.objects(doc, KV.bronbestand))
        return files[0] if files else None

    def truncated(self, doc: Node) -> bool:
        return any(
            isinstance(o, Literal) and o.toPython() is True for o in self.data.objects(doc, KV.onvolledig)
        )

    def label(self, node: Node | None) -> str | None:
        """How a person would name the node: "Vraag 12", "Groothuizen (D66)"."""
        if node is None:
            return None
        self.visited.add(node)
        d = self.data
        types = set(d.objects(node, RDF.type))

        def first(p: URIRef) -> Any:
            values = sorted(d.objects(node, p), key=str)
            return values[0] if values else None

        if KV.Vraag in types:
            n = first(KV.nummer)
            return f"Vraag {n}" if n is not None else "Vraag (zonder nummer)"
        if KV.Antwoord in types:
            kop, n = first(KV.kop), first(KV.volgnummer)
            return str(kop) if kop is not None else f"Antwoord (volgnummer {n})"
        if KV.Voetnoot in types:
            return f"Voetnoot {first(KV.volgnummer)}"
        if KV.Verwijzing in types:
            citaat = first(KV.citaat)
            text = f' "{_shorten(str(citaat), 60)}"' if citaat is not None else ""
            return f"Verwijzing{text}"
        ident = first(KV.identificatie)
        if ident is not None:
            return str(ident)
        label = first(RDFS.label)
        if label is not None:
            return str(label)
        surname = first(KV.achternaam)
        if surname is not None:
            return str(surname)
        return _qname(node) if isinstance(node, URIRef) else None


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


# --------------------------------------------------------------------- summary


def render_summary(report: ValidationReport) -> str:
    """Plain-text summary: overall verdict, counts, then per source file."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("kg", "templates"),
        autoescape=False,  # plain text, not HTML
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["compact"] = lambda iri: _qname(URIRef(iri)) if iri else ""
    template = env.get_template("validation_summary.txt.j2")
    return template.render(**_summary_context(report))


def _summary_context(report: ValidationReport) -> dict[str, Any]:
    per_severity = Counter(v.severity for v in report.violations)
    per_shape = Counter((v.shape, v.severity) for v in report.violations)
    files: dict[tuple[str, str], list[Violation]] = {}
    for v in report.violations:
        files.setdefault((v.source_file or "", v.document or ""), []).append(v)
    return {
        "conforms": report.conforms,
        "total": len(report.violations),
        "severities": [(s.value, per_severity.get(s, 0)) for s in Severity],
        "shapes": [
            {"shape": shape, "severity": sev.value, "count": n}
            for (shape, sev), n in sorted(per_shape.items(), key=lambda kv: (-kv[1], kv[0][1].rank, kv[0][0]))
        ],
        "files": [
            {
                "source_file": source_file or None,
                "document": document or None,
                "truncated": any(v.truncated for v in vs),
                "entries": _entries(vs),
            }
            # Files in name order; results without a publication last.
            for (source_file, document), vs in sorted(files.items(), key=lambda kv: (not kv[0][0], kv[0]))
        ],
    }


def _entries(violations: list[Violation]) -> list[dict[str, Any]]:
    """One entry per severity, shape, path and message, naming every node it
    is about ("Vraag 2, Vraag 3"), so forty grouped questions are one line."""
    groups: dict[tuple[Any, ...], list[Violation]] = {}
    for v in sorted(violations, key=lambda v: (v.severity.rank, v.shape, v.path or "", v.message)):
        groups.setdefault((v.severity.rank, v.shape, v.path or "", v.message), []).append(v)
    entries = []
    for (_rank, _shape, path, message), vs in groups.items():
        v0 = vs[0]
        entries.append(
            {
                "severity": v0.severity.value,
                "subjects": [_subject(v) for v in sorted(vs, key=Violation.sort_key)],
                "path": path or None,
                # _message joins Dutch and English with " / ": one per line.
                "message_lines": message.split(" / "),
                "expected": all(v.expected_from_truncation for v in vs),
                "truncated": any(v.truncated for v in vs),
            }
        )
    return entries


def _subject(v: Violation) -> str:
    """What a result is about, in words: "ah-tk-... → Vraag 3", "doc = "2019"^^xsd:string"."""
    text = v.focus_label or v.focus_node
    if v.value is None or v.value == v.focus_node or v.severity is Severity.INFO:
        return text  # infos flag a value that is always true; node shapes report the node itself
    if v.value_label:
        return f"{text} → {v.value_label}"
    return f"{text} = {v.value}"


__all__ = [
    "Severity",
    "Violation",
    "ValidationReport",
    "load_shapes",
    "load_ontology",
    "validate",
    "validate_many",
    "validate_partitioned",
    "validate_whole",
    "validate_sparql",
    "validate_sparql_graph",
    "validate_chunks",
    "SHACL_ENGINES",
    "write_results",
    "results_text",
    "render_summary",
    "TRUNCATION_SENSITIVE",
]
