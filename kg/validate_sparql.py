"""SHACL validation compiled to SPARQL over Oxigraph (``kg build --shacl sparql``).

pySHACL walks an rdflib graph node by node, about 10 ms of CPU a publication.
Here the shapes graph is read once (through pySHACL's own shape and
constraint objects, so that targets, paths, parameters, severities and
messages are read exactly as pySHACL reads them) and every constraint
component of every shape becomes a SPARQL query over an Oxigraph store of the
data. The queries do the scanning; pySHACL's code keeps the last word:

- a query selects *candidates*: every (focus node, value) that can fail a
  component, and in practice only those. Its filter is a sound superset of
  pySHACL's test (``sameTerm`` where rdflib compares terms, a cast that gives
  back the same term where rdflib checks a datatype, ``COALESCE(..., false)``
  wherever a SPARQL error could hide a failure);
- the candidates go through the pySHACL component's own ``evaluate`` (or, for
  the components that read the data graph, through its ``make_v_result``), so
  a result, its message (default messages included), value and path are
  pySHACL's;
- the report graph is built by pySHACL's ``create_validation_report``, so
  result paths are copied from the shapes graph as pySHACL copies them.

Shapes that nest shapes (sh:node, sh:or, sh:and, sh:xone, sh:not,
sh:property) are evaluated on the value nodes of the outer shape, found by a
sub-select over the outer shape's own focus query; their results decide
conformance and, for sh:node, are attached as sh:detail as pySHACL does.

SHACL-SPARQL constraints (sh:sparql) run per focus node through pySHACL's
own code, their queries answered by Oxigraph with $this substituted: equal to
pySHACL wherever rdflib's and Oxigraph's SPARQL agree (they differ on corner
cases such as a pre-bound variable over an empty pattern); kg's shapes have
none.

A shape feature the compiler does not know raises :class:`UnsupportedShapes`
(checked by building and running every query over an empty store before any
data is read); kg.validate then falls back to the partitioned pySHACL engine.

pySHACL, rdflib and pyoxigraph are imported inside the functions that use
them (``import kg.validate_sparql`` stays cheap).
"""
from __future__ import annotations

import io
import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from kg.errors import KgError

SH = "http://www.w3.org/ns/shacl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"

# Datatypes whose well-formed, canonical literals Oxigraph recognises by a
# cast that returns the same term; rdflib accepts every such literal.
_CASTABLE = {XSD + n for n in ("integer", "decimal", "boolean", "date", "dateTime", "double", "float")}
_STRINGS = (XSD + "string", RDF + "langString")

# Predicates a shape may carry that change nothing about its results here.
_DESCRIPTIVE = {
    RDF + "type", SH + "message", SH + "severity", SH + "name", SH + "description", SH + "order",
    SH + "group", SH + "defaultValue", SH + "path",
    SH + "flags",  # read by the pattern component
    SH + "targetClass", SH + "targetNode", SH + "targetSubjectsOf", SH + "targetObjectsOf",
}

BATCH = 400  # terms per VALUES block when fetching the values of candidates
MEMBERS_LIMIT = 2000  # more predicate-first candidates than this: ask from the focus nodes instead


class UnsupportedShapes(KgError):
    """The shapes use a SHACL feature the SPARQL compiler does not translate."""


# --------------------------------------------------------------------- terms


def _iri(s: str) -> str:
    return "<" + s + ">"


def _sparql_term(t: Any) -> str:
    """An rdflib term in SPARQL syntax."""
    from rdflib import BNode

    if isinstance(t, BNode):
        raise UnsupportedShapes(f"a blank node as a constraint parameter: {t}")
    return t.n3()


class _Terms:
    """Conversion between Oxigraph and rdflib terms, spelled as rdflib's
    N-Triples parser would spell them (normalised literals)."""

    def __init__(self, explicit_strings: set[str] | None = None) -> None:
        import pyoxigraph as ox
        from rdflib import BNode, Literal, URIRef

        # Lexical forms written "..."^^xsd:string in the input: Oxigraph
        # stores them as simple literals, rdflib keeps the datatype.
        self.explicit_strings = explicit_strings or set()
        self._cache: dict[Any, Any] = {}
        # Bound once: these run per term, an import statement per call costs more.
        self._ox, self._URIRef, self._BNode, self._Literal = ox, URIRef, BNode, Literal
        self._xsd_string = URIRef(XSD + "string")

    def to_rdflib(self, t: Any) -> Any:
        hit = self._cache.get(t)
        if hit is not None:
            return hit
        ox = self._ox
        if isinstance(t, ox.NamedNode):
            r = self._URIRef(t.value)
        elif isinstance(t, ox.BlankNode):
            r = self._BNode(t.value)
        elif t.language:
            r = self._Literal(t.value, lang=t.language)
        elif t.datatype.value == XSD + "string":
            r = self._Literal(t.value, datatype=self._xsd_string) if t.value in self.explicit_strings else self._Literal(t.value)
        else:
            r = self._Literal(t.value, datatype=self._URIRef(t.datatype.value))
        if len(self._cache) < 200_000:
            self._cache[t] = r
        return r

    def to_ox(self, t: Any) -> Any:
        ox = self._ox
        if isinstance(t, self._URIRef):
            return ox.NamedNode(str(t))
        if isinstance(t, self._BNode):
            return ox.BlankNode(str(t))
        if isinstance(t, self._Literal):
            if t.language:
                return ox.Literal(str(t), language=t.language)
            if t.datatype is not None:
                return ox.Literal(str(t), datatype=ox.NamedNode(str(t.datatype)))
            return ox.Literal(str(t))
        raise TypeError(f"not an RDF term: {t!r}")


def _ox_sparql(t: Any) -> str:
    """An Oxigraph term in SPARQL syntax."""
    return str(t)


# --------------------------------------------------------------------- paths


def _path(sg: Any, node: Any) -> str:
    """A SHACL path as a SPARQL property path."""
    from rdflib import BNode, URIRef
    from rdflib.collection import Collection
    from rdflib.namespace import RDF as R
    from rdflib.namespace import SH as S

    if isinstance(node, URIRef):
        return _iri(str(node))
    if not isinstance(node, BNode):
        raise UnsupportedShapes(f"a path that is neither an IRI nor a blank node: {node!r}")
    if sg.value(node, R.first) is not None:
        return "(" + "/".join(_path(sg, p) for p in Collection(sg, node)) + ")"
    for pred, fmt in (
        (S.inversePath, "^({})"),
        (S.zeroOrMorePath, "({})*"),
        (S.oneOrMorePath, "({})+"),
        (S.zeroOrOnePath, "({})?"),
    ):
        inner = sg.value(node, pred)
        if inner is not None:
            return fmt.format(_path(sg, inner))
    alternatives = sg.value(node, S.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(_path(sg, p) for p in Collection(sg, alternatives)) + ")"
    raise UnsupportedShapes(f"a path the compiler does not know: {node}")


# --------------------------------------------------------------------- focus queries


@dataclass(frozen=True)
class _Focus:
    """A set of focus nodes as a SPARQL group pattern binding ``?this``:
    a shape's targets, or the value nodes of an outer shape. ``key`` names it
    for caching."""

    pattern: str
    key: str

    def bind(self, var: str) -> str:
        """The pattern with its focus variable renamed to ``var``."""
        return self.pattern.replace("?this", var)


def _type_path(subclasses: bool) -> str:
    # rdf:type/rdfs:subClassOf* as pySHACL reads classes; without any
    # rdfs:subClassOf triple in the data that is rdf:type alone (and cheaper).
    return f"<{RDF}type>/<{RDFS}subClassOf>*" if subclasses else f"<{RDF}type>"


def _targets(shape: Any, subclasses: bool = True) -> _Focus | None:
    """The shape's focus nodes. Alternatives may select a node twice: every
    query over a focus pattern is DISTINCT or counts DISTINCT values."""
    target_nodes, target_classes, implicit, objects_of, subjects_of = shape.target()
    alternatives = []
    for c in sorted({*target_classes, *implicit}, key=str):
        alternatives.append(f"{{ ?this {_type_path(subclasses)} {_sparql_term(c)} . }}")
    for p in sorted(subjects_of, key=str):
        alternatives.append(f"{{ ?this {_sparql_term(p)} [] . }}")
    for p in sorted(objects_of, key=str):
        alternatives.append(f"{{ [] {_sparql_term(p)} ?this . }}")
    if target_nodes:
        alternatives.append("{ VALUES ?this { " + " ".join(_sparql_term(n) for n in sorted(target_nodes, key=str)) + " } }")
    if not alternatives:
        return None
    return _Focus(" UNION ".join(alternatives), "targets:" + str(shape.node))


def _values_focus(outer: _Focus, path: str | None) -> _Focus:
    """The value nodes of a shape (its path from ``outer``'s focus nodes; the
    focus nodes themselves for a node shape), as the focus of nested shapes."""
    if path is None:
        return outer
    pattern = "{ SELECT DISTINCT ?this WHERE { " + outer.bind("?_outer") + f" ?_outer {path} ?this . }} }}"
    # Nested once more, the inner ?_outer must not meet the outer one.
    depth = outer.key.count("|") + 1
    pattern = pattern.replace("?_outer", f"?_outer{depth}")
    return _Focus(pattern, outer.key + "|" + path)


# --------------------------------------------------------------------- the engine


Report = tuple[str, Any, list]  # pySHACL's (text, result node, triples)


@dataclass
class _Compiled:
    shape: Any
    path: str | None
    components: list[Any] = field(default_factory=list)  # pySHACL constraint component objects


class SparqlValidator:
    """Validates the data in an Oxigraph ``store`` against the shapes."""

    def __init__(self, shapes: Any, store: Any, namespaces: Any = None, terms: _Terms | None = None) -> None:
        import pyoxigraph as ox
        from pyshacl.pytypes import SHACLExecutor
        from pyshacl.shapes_graph import ShapesGraph
        from rdflib import Graph

        self.sg = ShapesGraph(shapes)
        self.store = store
        self.terms = terms or _Terms()
        # The graph pySHACL would have been given: messages name nodes with
        # its prefixes. An empty graph with the same bindings does that.
        self.tg = Graph()
        if namespaces is not None:
            for prefix, ns in namespaces.namespaces():
                self.tg.bind(prefix, ns, override=True, replace=True)
        # As kg.validate runs pySHACL: warnings and infos do not break conformance.
        self.executor = SHACLExecutor(allow_infos=True, allow_warnings=True)
        self.allowed = {f"{SH}Info", f"{SH}Warning"}
        self._compiled: dict[Any, _Compiled] = {}
        self._memo: dict[tuple[Any, str], dict[Any, list[Report]]] = {}
        self._counts: dict[str, dict[Any, int]] = {}
        self.queries = 0
        self.subclasses = next(iter(store.quads_for_pattern(None, ox.NamedNode(RDFS + "subClassOf"), None, None)), None) is not None
        self.shapes = [s for s in self.sg.shapes]
        for s in self.shapes:
            self._compile(s)

    # ---- compiling

    def _compile(self, shape: Any) -> _Compiled:
        hit = self._compiled.get(shape.node)
        if hit is not None:
            return hit
        from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP

        sg = self.sg.graph
        if shape.deactivated:
            raise UnsupportedShapes(f"{shape.node}: sh:deactivated")
        if self.sg.custom_constraints:
            raise UnsupportedShapes("custom constraint components (sh:ConstraintComponent)")
        known = {str(p) for p in ALL_CONSTRAINT_PARAMETERS}
        for p, _o in sg.predicate_objects(shape.node):
            ps = str(p)
            if ps.startswith(SH) and ps not in _DESCRIPTIVE and ps not in known:
                raise UnsupportedShapes(f"{shape.node}: {ps[len(SH):]} is not compiled to SPARQL")
        path = _path(sg, shape.path()) if shape.is_property_shape else None
        compiled = _Compiled(shape, path)
        self._compiled[shape.node] = compiled
        seen = set()
        for p, _o in sg.predicate_objects(shape.node):
            cls = CONSTRAINT_PARAMETERS_MAP.get(p)
            if cls is None or cls in seen:
                continue
            seen.add(cls)
            if cls.__name__ not in _HANDLERS:
                raise UnsupportedShapes(f"{shape.node}: {cls.__name__} is not compiled to SPARQL")
            component = cls(shape)
            pair = _PAIR.get(cls.__name__)
            if pair is not None and len(_params(component, pair[0])) > 1:
                raise UnsupportedShapes(f"{shape.node}: more than one sh:{pair[0]} on one shape")
            if list(shape.message):
                # pySHACL's own result, less its text description (which
                # kg never reads and which costs more than the result).
                component.make_v_result = _lean_result(component)
            compiled.components.append(component)
        # Nested shapes must compile too.
        for c in compiled.components:
            for nested in _nested_shapes(c):
                self._compile(nested)
        return compiled

    # ---- running

    def validate(self, only: Iterable[Any] | None = None) -> tuple[bool, list[Report]]:
        """Every shape with targets (the shapes named by ``only``, in its
        order, when given: it may be a lazy claim on shared work) over the store."""
        reports: list[Report] = []
        by_node = {s.node: s for s in self.shapes}
        for shape in self.shapes if only is None else (by_node[n] for n in only):
            focus = _targets(shape, self.subclasses)
            if focus is None:
                continue
            for rs in self._evaluate(shape, focus).values():
                reports.extend(rs)
        conforms = not any(_severity(r) not in self.allowed for r in reports)
        return conforms, reports

    def targeted(self) -> list[Any]:
        """The nodes of the shapes with targets (what :meth:`validate` runs)."""
        return [s.node for s in self.shapes if _targets(s) is not None]

    def results_graph(self, only: Iterable[Any] | None = None) -> tuple[bool, Any]:
        from pyshacl.validator import Validator

        conforms, reports = self.validate(only)
        self._describe_blank_nodes(reports)
        vg, _text = Validator.create_validation_report(self.sg, conforms, reports)
        return conforms, vg

    def _describe_blank_nodes(self, reports: list[Report]) -> None:
        """pySHACL copies a blank focus node or value into the report with
        what the data says about it: give the graph it copies from those triples."""
        from rdflib import BNode

        todo = [o[1] for _t, _n, triples in reports for _s, _p, o in triples
                if isinstance(o, tuple) and o[0] is self.tg and isinstance(o[1], BNode)]
        done: set[Any] = set()
        while todo:
            b = todo.pop()
            if b in done:
                continue
            done.add(b)
            for q in self.store.quads_for_pattern(self.terms.to_ox(b), None, None, None):
                o = self.terms.to_rdflib(q.object)
                self.tg.add((b, self.terms.to_rdflib(q.predicate), o))
                if isinstance(o, BNode):
                    todo.append(o)

    def _evaluate(self, shape: Any, focus: _Focus) -> dict[Any, list[Report]]:
        """Every result of ``shape`` on the focus nodes ``focus`` selects,
        by focus node (rdflib terms)."""
        key = (shape.node, focus.key)
        hit = self._memo.get(key)
        if hit is not None:
            return hit
        compiled = self._compile(shape)
        out: dict[Any, list[Report]] = {}
        for c in compiled.components:
            handler = _HANDLERS[type(c).__name__]
            for report in handler(self, compiled, c, focus):
                out.setdefault(_focus_of(report), []).append(report)
        self._memo[key] = out
        return out

    def _nonconforming(self, shape: Any, focus: _Focus, strict: bool) -> dict[Any, list[Report]]:
        """Value nodes that do not conform to ``shape``: any result when
        ``strict`` (sh:node), else only when the shape's severity is not one
        pySHACL lets pass (sh:or, sh:and, sh:xone, sh:not)."""
        results = self._evaluate(shape, focus)
        if not strict and str(shape.severity) in self.allowed:
            return {}
        return results

    # ---- queries

    def select(self, query: str, substitutions: dict | None = None) -> Iterator[Any]:
        self.queries += 1
        if substitutions:
            return iter(self.store.query(query, substitutions=substitutions))
        return iter(self.store.query(query))

    def select_for(self, var: str, terms: list[Any], query: str) -> Iterator[Any]:
        """``query`` (with ``{values}`` where a VALUES block goes) for each of
        the Oxigraph ``terms`` bound to ``var``: IRIs and literals in VALUES
        blocks, blank nodes (which SPARQL text cannot name) one by one."""
        import pyoxigraph as ox

        for q in _values_queries(var, [t for t in terms if not isinstance(t, ox.BlankNode)], query):
            yield from self.select(q)
        for t in terms:
            if isinstance(t, ox.BlankNode):
                yield from self.select(query.replace("{values}", ""), {ox.Variable(var): t})

    def value_pattern(self, compiled: _Compiled, focus: _Focus) -> str:
        if compiled.path is None:
            return focus.pattern + " BIND(?this AS ?value)"
        return focus.pattern + f" ?this {compiled.path} ?value ."

    def candidates(self, compiled: _Compiled, focus: _Focus, condition: str) -> dict[Any, set[Any]]:
        """(focus, value) pairs whose value meets ``condition``, by focus."""
        to = self.terms.to_rdflib
        out: dict[Any, set[Any]] = {}
        if _simple(compiled.path):
            # Predicate first: a scan of one predicate is cheap, a join with
            # the focus nodes costs an index lookup a row; the few subjects
            # that meet the condition are then checked against the focus.
            q = f"SELECT DISTINCT ?this ?value WHERE {{ ?this {compiled.path} ?value . FILTER({condition}) }}"
            rows = [(r[0], r[1]) for r in self.select(q)]
            inside = self.members(focus, {f for f, _v in rows})
            for f, value in rows:
                if f in inside:
                    out.setdefault(to(f), set()).add(to(value))
            return out
        q = f"SELECT DISTINCT ?this ?value WHERE {{ {self.value_pattern(compiled, focus)} FILTER({condition}) }}"
        for row in self.select(q):
            out.setdefault(to(row[0]), set()).add(to(row[1]))
        return out

    def counts(self, path: str) -> dict[Any, int]:
        """Subjects with more than one value on the simple ``path``, and how
        many: one query per path, shared by every sh:maxCount on it."""
        hit = self._counts.get(path)
        if hit is None:
            # One predicate in one graph: every (?this, ?value) row is a
            # distinct triple, so counting rows counts distinct values
            # without hashing them (long texts).
            q = f"SELECT ?this (COUNT(*) AS ?n) WHERE {{ ?this {path} ?value . }} GROUP BY ?this HAVING (COUNT(*) > 1)"
            hit = self._counts[path] = {r[0]: int(r[1].value) for r in self.select(q)}
        return hit

    def members(self, focus: _Focus, nodes: set[Any]) -> set[Any]:
        """Which of the Oxigraph terms ``nodes`` are focus nodes of ``focus``."""
        if not nodes:
            return set()
        q = f"SELECT DISTINCT ?this WHERE {{ {{values}} {focus.pattern} }}"
        return {r[0] for r in self.select_for("this", sorted(nodes, key=str), q)}

    def focus_where(self, focus: _Focus, condition_pattern: str) -> list[Any]:
        q = f"SELECT DISTINCT ?this WHERE {{ {focus.pattern} {condition_pattern} }}"
        return [row[0] for row in self.select(q)]

    def values_of(self, compiled: _Compiled, foci: list[Any]) -> dict[Any, set[Any]]:
        """All value nodes of the Oxigraph terms ``foci``, by rdflib focus."""
        to = self.terms.to_rdflib
        out: dict[Any, set[Any]] = {to(f): set() for f in foci}
        if compiled.path is None:
            for f in foci:
                out[to(f)].add(to(f))
            return out
        q = f"SELECT ?this ?value WHERE {{ {{values}} ?this {compiled.path} ?value . }}"
        for row in self.select_for("this", foci, q):
            out[to(row[0])].add(to(row[1]))
        return out

    def pairs(self, compiled: _Compiled, focus: _Focus, values: Iterable[Any] | None = None) -> list[tuple[Any, Any]]:
        """(focus, value) pairs as rdflib terms, optionally only for ``values``."""
        to = self.terms.to_rdflib
        if values is None:
            q = f"SELECT DISTINCT ?this ?value WHERE {{ {self.value_pattern(compiled, focus)} }}"
            return [(to(r[0]), to(r[1])) for r in self.select(q)]
        if compiled.path is None:  # a node shape's value is its focus node
            return [(x, x) for x in values]
        vals = [self.terms.to_ox(v) for v in values]
        q = f"SELECT DISTINCT ?this ?value WHERE {{ {{values}} {self.value_pattern(compiled, focus)} }}"
        return [(to(r[0]), to(r[1])) for r in self.select_for("value", vals, q)]


_SIMPLE_PATH = re.compile(r"^(<[^<>]*>|\^\(<[^<>]*>\))$")


def _simple(path: str | None) -> bool:
    """A predicate or its inverse: a path Oxigraph scans without a start node."""
    return path is not None and _SIMPLE_PATH.match(path) is not None


def _lean_result(c: Any) -> Any:
    """ConstraintComponent.make_v_result for a shape with sh:message: the
    same result triples as pySHACL 0.40 writes (type, component, shape,
    severity, focus node, value, path, messages; the equality tests would
    catch a change), without the description text."""
    from rdflib import BNode
    from rdflib.namespace import RDF as R
    from rdflib.namespace import SH as S

    shape = c.shape
    sg = shape.sg.graph
    messages = list(shape.message)
    path = shape.path() if shape.is_property_shape else None
    severity = shape.severity

    def make_v_result(datagraph: Any, focus_node: Any, value_node: Any = None, result_path: Any = None,
                      constraint_component: Any = None, source_constraint: Any = None, extra_messages: Any = None,
                      bound_vars: Any = None) -> Report:
        if extra_messages or bound_vars is not None or source_constraint is not None:
            return type(c).make_v_result(c, datagraph, focus_node, value_node, result_path, constraint_component,
                                         source_constraint, extra_messages, bound_vars)
        node = BNode()
        triples = [
            (node, R.type, S.ValidationResult),
            (node, S.sourceConstraintComponent, (sg, constraint_component or c.shacl_constraint_component)),
            (node, S.sourceShape, (sg, shape.node)),
            (node, S.resultSeverity, severity),
            (node, S.focusNode, (datagraph or sg, focus_node)),
        ]
        if value_node is not None:
            triples.append((node, S.value, (datagraph, value_node)))
        p = result_path if result_path is not None else path
        if p is not None:
            triples.append((node, S.resultPath, (sg, p)))
        for m in messages:
            triples.append((node, S.resultMessage, m))
        return ("", node, triples)

    return make_v_result


def _severity(report: Report) -> str:
    node = report[1]
    for s, p, o in report[2]:
        if s == node and str(p) == SH + "resultSeverity":
            return str(o)
    return SH + "Violation"


def _focus_of(report: Report) -> Any:
    node = report[1]
    for s, p, o in report[2]:
        if s == node and str(p) == SH + "focusNode":
            return o[1] if isinstance(o, tuple) else o
    raise ValueError("a result without a focus node")


def _fresh_copy(reports: list[Report]) -> list[Report]:
    """The reports with new result nodes: pySHACL validates a nested shape
    afresh for every (focus, value) pair, so its results are new nodes each time."""
    from rdflib import BNode

    out = []
    for text, node, triples in reports:
        renamed: dict[Any, Any] = {}

        def r(t: Any) -> Any:
            if isinstance(t, BNode):
                if t not in renamed:
                    renamed[t] = BNode()
                return renamed[t]
            return t

        subjects = {s for s, _p, _o in triples}
        new = [(r(s), p, r(o) if o in subjects else o) for s, p, o in triples]
        out.append((text, r(node), new))
    return out


def _nested_shapes(c: Any) -> list[Any]:
    """The shapes a shape-based component refers to, as pySHACL shapes."""
    shape = c.shape
    name = type(c).__name__
    nodes: list[Any] = []
    if name == "NodeConstraintComponent":
        nodes = list(c.node_shapes)
    elif name == "PropertyConstraintComponent":
        nodes = list(c.property_shapes)
    elif name == "NotConstraintComponent":
        nodes = list(c.not_list)
    elif name in ("OrConstraintComponent", "AndConstraintComponent", "XoneConstraintComponent"):
        for lst in _logical_lists(c):
            nodes.extend(shape.sg.graph.items(lst))
    out = []
    for n in nodes:
        found = shape.get_other_shape(n)
        if not found:
            raise UnsupportedShapes(f"{shape.node}: a shape reference that is no shape: {n}")
        out.append(found)
    return out


def _logical_lists(c: Any) -> list[Any]:
    for attr in ("or_list", "and_list", "xone_nodes", "xone_list"):
        if hasattr(c, attr):
            return list(getattr(c, attr))
    raise UnsupportedShapes(f"{type(c).__name__}: cannot read its shape lists")


# --------------------------------------------------------------------- components


def _params(c: Any, pred: str) -> list[Any]:
    from rdflib import URIRef

    return list(c.shape.sg.graph.objects(c.shape.node, URIRef(SH + pred)))


def _coalesce_not(expr: str) -> str:
    # A value fails unless the expression is surely true: an error (an
    # ill-typed literal, a blank node to STR) keeps it as a candidate.
    return f"!COALESCE({expr}, false)"


def _datatype_filter(c: Any) -> str:
    (d,) = [str(x) for x in _params(c, "datatype")]
    if d in _STRINGS:
        return _coalesce_not(f"isLiteral(?value) && datatype(?value) = {_iri(d)}")
    if d in _CASTABLE:
        return _coalesce_not(f"isLiteral(?value) && datatype(?value) = {_iri(d)} && sameTerm({_iri(d)}(STR(?value)), ?value)"
                             + (" && REGEX(STR(?value), \"^[1-9][0-9]{3}-\")" if d in (XSD + "date", XSD + "dateTime") else ""))
    return "true"


def _nodekind_filter(c: Any) -> str:
    (k,) = [str(x)[len(SH):] for x in _params(c, "nodeKind")]
    tests = {
        "IRI": "isIRI(?value)", "Literal": "isLiteral(?value)", "BlankNode": "isBlank(?value)",
        "BlankNodeOrIRI": "(isBlank(?value) || isIRI(?value))", "BlankNodeOrLiteral": "(isBlank(?value) || isLiteral(?value))",
        "IRIOrLiteral": "(isIRI(?value) || isLiteral(?value))",
    }
    return f"!{tests[k]}" if k in tests else "true"


def _in_filter(c: Any) -> str:
    from rdflib.collection import Collection

    members = []
    for lst in _params(c, "in"):
        members.extend(Collection(c.shape.sg.graph, lst))
    if not members:
        return "true"
    return "!(" + " || ".join(f"sameTerm(?value, {_sparql_term(m)})" for m in members) + ")"


def _range_filter(c: Any, pred: str, op: str) -> str:
    limits = _params(c, pred)
    parts = []
    for m in limits:
        t = _sparql_term(m)
        parts.append(f"(?value {op} {t} && ((isNumeric(?value) && isNumeric({t})) || datatype(?value) = datatype({t})))")
    return _coalesce_not(" && ".join(parts)) if parts else "true"


def _length_filter(c: Any, pred: str, op: str) -> str:
    (n,) = _params(c, pred)
    strings = f"(isIRI(?value) || datatype(?value) = {_iri(XSD + 'string')} || datatype(?value) = {_iri(RDF + 'langString')})"
    return _coalesce_not(f"{strings} && STRLEN(STR(?value)) {op} {int(n)}")


def _language_filter(c: Any) -> str:
    langs = set()
    for lst in _params(c, "languageIn"):
        langs.update(str(x).lower() for x in c.shape.sg.graph.items(lst))
    if "*" in langs:
        return _coalesce_not('lang(?value) != ""')
    listed = ", ".join(f'"{x}"' for x in sorted(langs)) or '""'
    return _coalesce_not(
        f'lang(?value) != "" && (LCASE(lang(?value)) IN ({listed}) || LCASE(STRBEFORE(CONCAT(lang(?value), "-"), "-")) IN ({listed}))'
    )


_VALUE_FILTERS = {
    "DatatypeConstraintComponent": _datatype_filter,
    "NodeKindConstraintComponent": _nodekind_filter,
    "InConstraintComponent": _in_filter,
    "PatternConstraintComponent": lambda c: "true",  # Python's re decides (back-references)
    "MinInclusiveConstraintComponent": lambda c: _range_filter(c, "minInclusive", ">="),
    "MinExclusiveConstraintComponent": lambda c: _range_filter(c, "minExclusive", ">"),
    "MaxInclusiveConstraintComponent": lambda c: _range_filter(c, "maxInclusive", "<="),
    "MaxExclusiveConstraintComponent": lambda c: _range_filter(c, "maxExclusive", "<"),
    "MinLengthConstraintComponent": lambda c: _length_filter(c, "minLength", ">="),
    "MaxLengthConstraintComponent": lambda c: _length_filter(c, "maxLength", "<="),
    "LanguageInConstraintComponent": _language_filter,
}


def _value_level(v: SparqlValidator, compiled: _Compiled, c: Any, focus: _Focus) -> list[Report]:
    """A component judged value by value: the query narrows the values,
    pySHACL's evaluate judges what is left."""
    if type(c).__name__ == "PatternConstraintComponent":
        cands = _pattern_candidates(v, compiled, c, focus)
    else:
        cands = v.candidates(compiled, focus, _VALUE_FILTERS[type(c).__name__](c))
    if not cands:
        return []
    _ok, reports = c.evaluate(v.executor, v.tg, cands, [])
    return list(reports)


def _pattern_candidates(v: SparqlValidator, compiled: _Compiled, c: Any, focus: _Focus) -> dict[Any, set[Any]]:
    """Values that can fail sh:pattern. Oxigraph's regular expressions are
    not Python's (no back-references), so no SPARQL filter: the values come
    as text and pySHACL's own compiled expressions pass the IRIs and strings
    that match (pySHACL matches exactly that text); the rest is judged by
    pySHACL in full."""
    import pyoxigraph as ox

    compiled_res = [c.compiled_cache[r] for r in c.string_rules] if hasattr(c, "compiled_cache") else None
    if not compiled_res:
        return v.candidates(compiled, focus, "true")
    strings = (XSD + "string", RDF + "langString")
    to = v.terms.to_rdflib

    def failing(q: str) -> list[tuple[Any, Any]]:
        rows = []
        for r in v.select(q):
            value = r[1]
            if isinstance(value, ox.NamedNode) or (isinstance(value, ox.Literal) and value.datatype.value in strings):
                text = value.value
                if all(rx.search(text) for rx in compiled_res):
                    continue
            rows.append((r[0], value))
        return rows

    rows = None
    if _simple(compiled.path):
        rows = failing(f"SELECT DISTINCT ?this ?value WHERE {{ ?this {compiled.path} ?value . }}")
        if len(rows) > MEMBERS_LIMIT:  # the path is used far beyond these focus nodes (rdfs:label)
            rows = None
    inside = None
    if rows is None:
        rows = failing(f"SELECT DISTINCT ?this ?value WHERE {{ {v.value_pattern(compiled, focus)} }}")
    elif rows:
        inside = v.members(focus, {f for f, _v in rows})
    out: dict[Any, set[Any]] = {}
    for f, value in rows:
        if inside is None or f in inside:
            out.setdefault(to(f), set()).add(to(value))
    return out


def _count_level(v: SparqlValidator, compiled: _Compiled, c: Any, focus: _Focus) -> list[Report]:
    """A component judged on all the values of a focus node at once: the
    query picks the focus nodes that can fail, pySHACL's evaluate judges them
    on all their values."""
    name = type(c).__name__
    vp = "?this " + compiled.path + " ?value ." if compiled.path is not None else "BIND(?this AS ?value)"
    if name == "MinCountConstraintComponent":
        (n,) = [int(x) for x in _params(c, "minCount")]
        if n == 0:
            return []
        if n == 1:
            foci = v.focus_where(focus, f"FILTER NOT EXISTS {{ {vp} }}")
        else:
            q = (f"SELECT ?this WHERE {{ {focus.pattern} OPTIONAL {{ {vp} }} }} GROUP BY ?this "
                 f"HAVING (COUNT(DISTINCT ?value) < {n} || SUM(IF(isLiteral(?value), 1, 0)) > 0)")
            foci = [r[0] for r in v.select(q)]
    elif name == "MaxCountConstraintComponent":
        (n,) = [int(x) for x in _params(c, "maxCount")]
        if _simple(compiled.path) and n >= 1:  # predicate first (see SparqlValidator.candidates)
            counts = v.counts(compiled.path)
            many = {f for f, k in counts.items() if k > n}
            foci = sorted(v.members(focus, many), key=str)
        else:
            q = f"SELECT ?this WHERE {{ {focus.pattern} {vp} }} GROUP BY ?this HAVING (COUNT(DISTINCT ?value) > {n})"
            foci = [r[0] for r in v.select(q)]
    elif name == "HasValueConstraintComponent":
        tests = " && ".join(
            f"NOT EXISTS {{ {vp} FILTER(sameTerm(?value, {_sparql_term(x)})) }}" for x in _params(c, "hasValue")
        )
        foci = v.focus_where(focus, f"FILTER({tests or 'false'})")
    elif name == "UniqueLangConstraintComponent":
        q = (f"SELECT DISTINCT ?this WHERE {{ {focus.pattern} {vp} "
             f"?this {compiled.path} ?_other . FILTER(!sameTerm(?value, ?_other) && COALESCE(LCASE(lang(?value)) = LCASE(lang(?_other)), true)) }}")
        foci = [r[0] for r in v.select(q)]
    else:  # pragma: no cover - _HANDLERS lists exactly these
        raise UnsupportedShapes(name)
    if not foci:
        return []
    _ok, reports = c.evaluate(v.executor, v.tg, v.values_of(compiled, foci), [])
    return list(reports)


def _class(v: SparqlValidator, compiled: _Compiled, c: Any, focus: _Focus) -> list[Report]:
    reports: list[Report] = []
    for cls in _params(c, "class"):
        cond = f"NOT EXISTS {{ ?value {_type_path(v.subclasses)} {_sparql_term(cls)} . }}"
        for f, values in v.candidates(compiled, focus, cond).items():
            for value in values:
                reports.append(c.make_v_result(v.tg, f, value_node=value))
    return reports


_PAIR = {
    "EqualsConstraintComponent": ("equals", "eq"),
    "DisjointConstraintComponent": ("disjoint", "dis"),
    "LessThanConstraintComponent": ("lessThan", "<"),
    "LessThanOrEqualsConstraintComponent": ("lessThanOrEquals", "<="),
}


def _pair(v: SparqlValidator, compiled: _Compiled, c: Any, focus: _Focus) -> list[Report]:
    """Property pairs: the focus nodes where the two value sets can break
    the relation, judged by pySHACL on those nodes' triples."""
    from rdflib import Graph

    pred, op = _PAIR[type(c).__name__]
    vp = "?this " + compiled.path + " ?value ." if compiled.path is not None else "BIND(?this AS ?value)"
    reports: list[Report] = []
    for other in _params(c, pred):
        o = _sparql_term(other)
        if op == "eq":
            cond = f"{{ {vp} FILTER NOT EXISTS {{ ?this {o} ?value }} }} UNION {{ ?this {o} ?value . FILTER NOT EXISTS {{ {vp} }} }}"
        elif op == "dis":
            cond = f"{vp} ?this {o} ?_other ."
        else:
            ok = f"isLiteral(?value) && isLiteral(?_other) && ((isNumeric(?value) && isNumeric(?_other)) || datatype(?value) = datatype(?_other)) && ?value {op} ?_other"
            cond = f"{vp} ?this {o} ?_other . FILTER(!COALESCE({ok}, false))"
        foci = v.focus_where(focus, cond)
        if not foci:
            continue
        values = v.values_of(compiled, foci)
        mini = Graph()
        for prefix, ns in v.tg.namespaces():
            mini.bind(prefix, ns, override=True, replace=True)
        to = v.terms.to_rdflib
        for row in v.select_for("this", foci, f"SELECT ?this ?o WHERE {{ {{values}} ?this {o} ?o . }}"):
            mini.add((to(row[0]), other, to(row[1])))
        _ok, rs = c.evaluate(v.executor, mini, values, [])  # one parameter (checked when compiling)
        reports.extend(rs)
    return reports


def _node(v: SparqlValidator, compiled: _Compiled, c: Any, focus: _Focus) -> list[Report]:
    import pyoxigraph as ox

    values_focus = _values_focus(focus, compiled.path)
    reports: list[Report] = []
    for nested in _nested_shapes(c):
        exact = _exact_nonconforming(v, nested, "?value", strict=True)
        pairs = None
        if exact is not None:
            # One query finds the values that fail; the nested shape then
            # runs on those alone for its results (sh:detail).
            found = v.candidates(compiled, focus, exact)
            failing = sorted({v.terms.to_ox(x) for xs in found.values() for x in xs}, key=str)
            if not any(isinstance(x, ox.BlankNode) for x in failing):
                pairs = [(f, x) for f, xs in found.items() for x in xs]
                block = " ".join(_ox_sparql(x) for x in failing)
                bad = v._evaluate(nested, _Focus(f"VALUES ?this {{ {block} }}", "values:" + block)) if failing else {}
        if pairs is None:
            bad = v._nonconforming(nested, values_focus, strict=True)
            pairs = v.pairs(compiled, focus, bad.keys()) if bad else []
        for f, value in pairs:
            text, node, triples = c.make_v_result(v.tg, f, value_node=value)
            from rdflib.namespace import SH as S

            for _t, sub_node, sub_triples in _fresh_copy(bad[value]):
                triples.append((node, S.detail, sub_node))
                triples.extend(sub_triples)
            reports.append((text, node, triples))
    return reports


def _property(v: SparqlValidator, compiled: _Compiled, c: Any, focus: _Focus) -> list[Report]:
    values_focus = _values_focus(focus, compiled.path)
    reports: list[Report] = []
    for nested in _nested_shapes(c):
        for rs in v._evaluate(nested, values_focus).values():
            reports.extend(rs)
    return reports


def _exact_nonconforming(v: SparqlValidator, shape: Any, var: str, strict: bool = False) -> str | None:
    """A SPARQL condition that holds exactly when the node ``var`` does not
    conform to ``shape`` in the sense sh:or, sh:and, sh:xone and sh:not use
    (results of an allowed severity conform), for shapes made only of
    components SPARQL decides exactly: sh:class, sh:nodeKind, sh:minCount 1.
    None for any other shape (it is then evaluated in full)."""
    compiled = v._compile(shape)
    if not strict and str(shape.severity) in v.allowed:
        return "false"
    parts = []
    for c in compiled.components:
        name = type(c).__name__
        x = f"?_x{len(parts)}_{var[1:]}"
        if name == "ClassConstraintComponent":
            for cls in _params(c, "class"):
                test = f"NOT EXISTS {{ {x} {_type_path(v.subclasses)} {_sparql_term(cls)} . }}"
                if compiled.path is None:
                    parts.append(test.replace(x, var))
                else:
                    parts.append(f"EXISTS {{ {var} {compiled.path} {x} . FILTER({test}) }}")
        elif name == "NodeKindConstraintComponent" and compiled.path is None:
            cond = _nodekind_filter(c)
            if cond == "true":
                return None
            parts.append(cond.replace("?value", var))
        elif name == "MinCountConstraintComponent" and compiled.path is not None:
            (n,) = [int(x) for x in _params(c, "minCount")]
            if n > 1:
                return None
            if n == 1:
                parts.append(f"NOT EXISTS {{ {var} {compiled.path} {x} . }}")
        elif name == "PropertyConstraintComponent":
            for nested in _nested_shapes(c):
                inner = _exact_nonconforming(v, nested, x if compiled.path is not None else var, strict)
                if inner is None:
                    return None
                parts.append(inner if compiled.path is None else f"EXISTS {{ {var} {compiled.path} {x} . FILTER({inner}) }}")
        else:
            return None
    return "(" + " || ".join(parts) + ")" if parts else "false"


def _logical(v: SparqlValidator, compiled: _Compiled, c: Any, focus: _Focus) -> list[Report]:
    name = type(c).__name__
    values_focus = _values_focus(focus, compiled.path)
    sg = c.shape.sg.graph
    if name == "NotConstraintComponent":
        groups = [[c.shape.get_other_shape(n)] for n in c.not_list]
    else:
        groups = [[c.shape.get_other_shape(n) for n in sg.items(lst)] for lst in _logical_lists(c)]
    all_pairs: list[tuple[Any, Any]] | None = None
    reports: list[Report] = []
    for members in groups:
        exact = [_exact_nonconforming(v, m, "?value") for m in members]
        if members and all(e is not None for e in exact):
            # One query decides the whole combination.
            if name == "OrConstraintComponent":
                cond = " && ".join(exact)
            elif name == "AndConstraintComponent":
                cond = " || ".join(exact)
            elif name == "NotConstraintComponent":
                cond = f"!{exact[0]}"
            else:
                cond = "(" + " + ".join(f"IF({e}, 0, 1)" for e in exact) + ") != 1"
            for f, values in v.candidates(compiled, focus, cond).items():
                for value in values:
                    reports.append(c.make_v_result(v.tg, f, value_node=value))
            continue
        bad = [set(v._nonconforming(m, values_focus, strict=False)) for m in members]
        if name == "OrConstraintComponent":
            violators: set | None = set.intersection(*bad) if bad else None
        elif name == "AndConstraintComponent":
            violators = set.union(*bad) if bad else set()
        else:  # Not and Xone need the values that conform as well
            violators = None
        if violators is not None:
            pairs = v.pairs(compiled, focus, violators) if violators else []
        else:
            if all_pairs is None:
                all_pairs = v.pairs(compiled, focus)
            if name == "NotConstraintComponent":
                pairs = [(f, x) for f, x in all_pairs if x not in bad[0]]
            else:
                pairs = [(f, x) for f, x in all_pairs if sum(1 for b in bad if x not in b) != 1]
        for f, value in pairs:
            reports.append(c.make_v_result(v.tg, f, value_node=value))
    return reports


def _sparql_constraint(v: SparqlValidator, compiled: _Compiled, c: Any, focus: _Focus) -> list[Report]:
    """sh:sparql (SHACL-SPARQL SELECT constraints): pySHACL's own code runs
    each constraint per focus node, $this pre-bound and $PATH substituted as
    it does; only its ``target_graph.query`` is answered by Oxigraph (the
    variables pre-bound by substitution, SEP-0007)."""
    foci = [r[0] for r in v.select(f"SELECT DISTINCT ?this WHERE {{ {focus.pattern} }}")]
    if not foci:
        return []
    graph = _OxigraphQueryGraph(v)
    to = v.terms.to_rdflib
    reports: list[Report] = []
    for f in foci:
        _ok, rs = c.evaluate(v.executor, graph, {to(f): {to(f)}}, [])
        reports.extend(rs)
    return reports


def _oxigraph_query_graph_class() -> Any:
    from rdflib import Graph

    class OxigraphQueryGraph(Graph):
        """An empty rdflib graph (for pySHACL's messages and copies) whose
        SPARQL queries run over the validator's Oxigraph store."""

        def __init__(self, validator: SparqlValidator) -> None:
            super().__init__()
            self._validator = validator
            for prefix, ns in validator.tg.namespaces():
                self.bind(prefix, ns, override=True, replace=True)

        def query(self, query_object: Any, *args: Any, initBindings: Any = None, **kwargs: Any) -> Any:  # noqa: N803 - rdflib's name
            import pyoxigraph as ox

            v = self._validator
            subs = {ox.Variable(str(k)): v.terms.to_ox(t) for k, t in (initBindings or {}).items()}
            rows = v.store.query(str(query_object), substitutions=subs) if subs else v.store.query(str(query_object))
            if isinstance(rows, bool):
                raise UnsupportedShapes("an ASK query as a SPARQL constraint")
            names = [var.value for var in rows.variables]
            bindings = []
            for row in rows:
                bindings.append({n: v.terms.to_rdflib(row[n]) for n in names if row[n] is not None})
            return _Rows(bindings)

    return OxigraphQueryGraph


class _Row(dict):
    def asdict(self) -> dict:
        return dict(self)


class _Rows:
    """What pySHACL reads of an rdflib query result: ``bindings`` and rows with ``asdict()``."""

    def __init__(self, bindings: list[dict]) -> None:
        self.bindings = bindings

    def __len__(self) -> int:
        return len(self.bindings)

    def __bool__(self) -> bool:
        return True

    def __iter__(self) -> Iterator[_Row]:
        return (_Row(b) for b in self.bindings)


def _OxigraphQueryGraph(validator: SparqlValidator) -> Any:  # noqa: N802 - a class made on first use (rdflib imported late)
    global _OXIGRAPH_QUERY_GRAPH
    if _OXIGRAPH_QUERY_GRAPH is None:
        _OXIGRAPH_QUERY_GRAPH = _oxigraph_query_graph_class()
    return _OXIGRAPH_QUERY_GRAPH(validator)


_OXIGRAPH_QUERY_GRAPH: Any = None


_HANDLERS = {
    "SPARQLBasedConstraint": _sparql_constraint,
    **{name: _value_level for name in _VALUE_FILTERS},
    "MinCountConstraintComponent": _count_level,
    "MaxCountConstraintComponent": _count_level,
    "HasValueConstraintComponent": _count_level,
    "UniqueLangConstraintComponent": _count_level,
    "ClassConstraintComponent": _class,
    **{name: _pair for name in _PAIR},
    "NodeConstraintComponent": _node,
    "PropertyConstraintComponent": _property,
    "NotConstraintComponent": _logical,
    "OrConstraintComponent": _logical,
    "AndConstraintComponent": _logical,
    "XoneConstraintComponent": _logical,
}


# --------------------------------------------------------------------- data


_EXPLICIT_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"\^\^<http://www\.w3\.org/2001/XMLSchema#string>')


def explicit_strings(text: str) -> set[str]:
    """Lexical forms typed ^^xsd:string in N-Triples ``text`` (unescaped)."""
    if "XMLSchema#string>" not in text:
        return set()
    import json

    out = set()
    for m in _EXPLICIT_STRING.finditer(text):
        raw = m.group(1)
        try:
            out.add(json.loads('"' + raw + '"') if "\\" in raw else raw)
        except ValueError:
            out.add(raw)
    return out


class _ChunkStream(io.RawIOBase):
    """N-Triples chunks read as one byte stream (for Store.bulk_load), noting
    explicit xsd:string literals on the way."""

    def __init__(self, texts: Iterable[str], strings: set[str]) -> None:
        self._texts = iter(texts)
        self._buf = b""
        self._strings = strings

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        while not self._buf:
            text = next(self._texts, None)
            if text is None:
                return 0
            self._strings |= explicit_strings(text)
            self._buf = text.encode("utf-8") + (b"" if text.endswith("\n") else b"\n")
        n = min(len(b), len(self._buf))
        b[:n] = self._buf[:n]
        self._buf = self._buf[n:]
        return n


def store_from_texts(texts: Iterable[str], path: str | None = None) -> tuple[Any, set[str]]:
    """An Oxigraph store (in memory, or on disk at ``path``) of the union of
    N-Triples ``texts`` in its default graph, and the explicit xsd:string lexicals."""
    import pyoxigraph as ox

    store = ox.Store(path) if path else ox.Store()
    strings: set[str] = set()
    stream = io.BufferedReader(_ChunkStream(texts, strings), buffer_size=1 << 20)
    store.bulk_load(input=stream, format=ox.RdfFormat.N_TRIPLES)
    if path:
        # The bulk loader leaves overlapping files that every lookup must
        # search: compacted once, the shapes' queries run several times
        # faster at 127k publications (queries-per-shape profile).
        store.optimize()
        # Closed and opened read-only: a writable RocksDB keeps compacting after
        # the load and deletes files that read-only openers (the forked
        # validation workers) still list — seen at 127k publications.
        store.flush()
        del store
        store = ox.Store.read_only(path)
    return store, strings


def _values_queries(var: str, terms: list[Any], query: str) -> Iterator[str]:
    """``query`` with ``{values}`` replaced by a VALUES block binding ``var``
    to the Oxigraph IRIs and literals ``terms``, BATCH of them a query."""
    for i in range(0, len(terms), BATCH):
        block = " ".join(_ox_sparql(t) for t in terms[i : i + BATCH])
        yield query.replace("{values}", f"VALUES ?{var} {{ {block} }}")


def _values_rows(store: Any, var: str, terms: list[Any], query: str) -> Iterator[Any]:
    """The rows of :func:`_values_queries`' queries on ``store``."""
    for q in _values_queries(var, terms, query):
        yield from store.query(q)


class StoreGraph:
    """The read-only corner of rdflib's Graph API that kg.validate's
    annotation (_DocumentIndex) uses, over an Oxigraph store."""

    def __init__(self, store: Any, terms: _Terms) -> None:
        self.store = store
        self.terms = terms
        # Many results name the same document: its identifier, file and
        # flags are read once.
        self._memo: dict[tuple[str, Any, Any, Any], Any] = {}

    def _cached(self, kind: str, s: Any, p: Any, o: Any, compute: Any) -> Any:
        key = (kind, s, p, o)
        hit = self._memo.get(key)
        if hit is None:
            hit = compute()
            if len(self._memo) < 500_000:
                self._memo[key] = hit
        return hit

    def _pattern(self, s: Any, p: Any, o: Any) -> Iterator[Any]:
        conv = self.terms.to_ox
        return self.store.quads_for_pattern(
            conv(s) if s is not None else None, conv(p) if p is not None else None, conv(o) if o is not None else None, None
        )

    def prefetch(self, nodes: Iterable[Any], out: Iterable[Any], up: Iterable[Any], follow: Iterable[Any] = (),
                 levels: int = 3) -> None:
        """Read, in a few queries, what the annotation of results asks one
        triple pattern at a time: the ``out`` predicates' values of the IRI
        ``nodes``, their subjects by the ``up`` predicates, and so on up
        ``levels`` levels (a question, its publication), also through the
        values of the ``follow`` predicates (among ``out``). At 127k
        publications 142k results asked 1.3M patterns one call each (72 s
        on the on-disk store). Forgets what the previous call read: memory
        stays that of one batch."""
        from rdflib import URIRef

        out, up, follow = list(out), list(up), set(follow)
        self._memo.clear()
        to, conv = self.terms.to_rdflib, self.terms.to_ox
        level = sorted({n for n in nodes if isinstance(n, URIRef)}, key=str)
        seen = set(level)
        out_in = ", ".join(f"<{p}>" for p in out)
        up_in = ", ".join(f"<{p}>" for p in up)
        for _ in range(levels):
            if not level:
                return
            objects: dict[tuple[Any, Any], list[Any]] = {(n, p): [] for n in level for p in out}
            subjects: dict[tuple[Any, Any], list[Any]] = {(p, n): [] for n in level for p in up}
            values = [conv(n) for n in level]
            q = f"SELECT ?n ?p ?o WHERE {{ {{values}} ?n ?p ?o . FILTER(?p IN ({out_in})) }}"
            for row in _values_rows(self.store, "n", values, q):
                objects[(to(row[0]), to(row[1]))].append(to(row[2]))
            q = f"SELECT ?n ?p ?s WHERE {{ {{values}} ?s ?p ?n . FILTER(?p IN ({up_in})) }}"
            for row in _values_rows(self.store, "n", values, q):
                subjects[(to(row[1]), to(row[0]))].append(to(row[2]))
            for (n, p), os_ in objects.items():
                self._memo[("o", n, p, None)] = tuple(dict.fromkeys(os_))
            for (p, n), ss in subjects.items():
                self._memo[("s", None, p, n)] = tuple(dict.fromkeys(ss))
            nxt = {x for xs in subjects.values() for x in xs if isinstance(x, URIRef)}
            nxt.update(x for (_n, p), xs in objects.items() if p in follow for x in xs if isinstance(x, URIRef))
            nxt -= seen
            level = sorted(nxt, key=str)
            seen.update(level)

    def __contains__(self, triple: tuple[Any, Any, Any]) -> bool:
        s, p, o = triple
        known = self._memo.get(("o", s, p, None))
        if known is not None:  # read by prefetch
            return bool(known) if o is None else o in known

        def compute() -> bool:
            try:
                return next(iter(self._pattern(s, p, o)), None) is not None
            except TypeError:  # a literal as subject
                return False

        return self._cached("in", s, p, o, compute)

    def subjects(self, p: Any, o: Any) -> Iterator[Any]:
        return iter(self._cached("s", None, p, o, lambda: tuple(dict.fromkeys(
            self.terms.to_rdflib(q.subject) for q in self._pattern(None, p, o)))))

    def objects(self, s: Any, p: Any) -> Iterator[Any]:
        from rdflib import Literal

        if isinstance(s, Literal):
            return iter(())
        return iter(self._cached("o", s, p, None, lambda: tuple(dict.fromkeys(
            self.terms.to_rdflib(q.object) for q in self._pattern(s, p, None)))))


def validate_store(store: Any, shapes: Any, namespaces: Any = None, strings: set[str] | None = None,
                   processes: int = 1, store_path: str | None = None) -> Any:
    """pySHACL's results over the data in ``store`` as kg.validate's
    ValidationReport (results graph, annotated violations). With
    ``processes`` > 1 the shapes are shared out over forked processes; an
    on-disk store (``store_path``) is opened read-only in each."""
    from kg import validate as kv

    terms = _Terms(strings)
    validator = SparqlValidator(shapes, store, namespaces, terms)
    targeted = validator.targeted()
    if processes > 1 and len(targeted) > 1 and _can_fork():
        return _validate_forked(validator, targeted, processes, store_path)
    conforms, vg = validator.results_graph()
    violations = kv._sorted_unique(kv._read_results(vg, StoreGraph(store, terms)))
    return kv.ValidationReport(kv._conforms(violations), violations, vg)


def _can_fork() -> bool:
    import multiprocessing
    import os

    return hasattr(os, "fork") and "fork" in multiprocessing.get_all_start_methods()


def _part(validator: SparqlValidator, only: Iterable[Any]) -> tuple[tuple[Any, ...], Any]:
    """One share of the shapes: its annotated violations and its results graph."""
    from kg import validate as kv

    _conforms, vg = validator.results_graph(only)
    violations = kv._sorted_unique(kv._read_results(vg, StoreGraph(validator.store, validator.terms)))
    return violations, vg


def _absorb(own: Any, others: list[str], conforms: bool) -> Any:
    """This process's results graph ``own`` made the whole report: the
    children's results (N-Triples) parsed into it, their report nodes folded
    into its one. The same triples as kg.validate._merge_results over all
    parts, without a second copy of the largest part (at 127k publications
    the results are 1.4M triples: copying them cost 21 s and 1.5 GB)."""
    from rdflib import BNode, Literal
    from rdflib.namespace import RDF as R
    from rdflib.namespace import SH as S

    from kg import validate as kv

    report = next(own.subjects(R.type, S.ValidationReport))
    own.remove((report, S.conforms, None))
    own.add((report, S.conforms, Literal(conforms)))
    for prefix, ns in kv._PREFIXES.items():
        own.bind(prefix, ns, override=True)
    # One node per label across the parts: a path copied from the shapes
    # graph keeps its label in every part.
    context = {str(t): t for triple in own for t in (triple[0], triple[2]) if isinstance(t, BNode)}
    for nt in others:
        own.parse(data=nt, format="nt", bnode_context=context)
        for partial in [r for r in own.subjects(R.type, S.ValidationReport) if r != report]:
            for result in list(own.objects(partial, S.result)):
                own.add((report, S.result, result))
            own.remove((partial, None, None))
    return own


def _claims(targeted: list[Any], counter: Any) -> Iterator[Any]:
    """The shapes this process takes, one at a time from a counter shared
    by all: a process that drew cheap shapes takes more (shapes cost from
    milliseconds to a second)."""
    while True:
        with counter.get_lock():
            i = counter.value
            counter.value = i + 1
        if i >= len(targeted):
            return
        yield targeted[i]


def _validate_forked(validator: SparqlValidator, targeted: list[Any], processes: int, store_path: str | None) -> Any:
    """The shapes shared out over forked children and this process, each
    taking the next shape when it is free. A child inherits the in-memory
    store; an on-disk one it opens read-only (RocksDB's threads do not
    survive a fork)."""
    import multiprocessing

    from kg import validate as kv

    n = min(processes, len(targeted))
    ctx = multiprocessing.get_context("fork")
    counter = ctx.Value("i", 0)
    pipes, children = [], []
    for _ in range(n - 1):
        receive, send = ctx.Pipe(duplex=False)
        child = ctx.Process(target=_child, args=(validator, targeted, counter, store_path, send), daemon=True)
        child.start()
        send.close()
        pipes.append(receive)
        children.append(child)
    started = time.perf_counter()
    own_violations, own = _part(validator, _claims(targeted, counter))
    seconds = {"shapes_here": round(time.perf_counter() - started, 3)}
    parts = [(own_violations, None)]
    for receive, child in zip(pipes, children):
        try:
            outcome = receive.recv()
        except EOFError:
            outcome = ("error", f"validation process {child.pid} ended without a result")
        child.join()
        if outcome[0] == "error":
            from kg.errors import ValidationSetupError

            raise ValidationSetupError(f"SPARQL validation failed in a worker: {outcome[1]}")
        parts.append(outcome[1])
    seconds["shapes_all"] = round(time.perf_counter() - started, 3)
    violations = kv._sorted_unique(v for vs, _nt in parts for v in vs)
    conforms = kv._conforms(violations)
    merged = _absorb(own, [nt for _vs, nt in parts[1:]], conforms)
    seconds["merge"] = round(time.perf_counter() - started - seconds["shapes_all"], 3)
    return kv.ValidationReport(conforms, violations, merged, seconds)


def _child(validator: SparqlValidator, targeted: list[Any], counter: Any, store_path: str | None, send: Any) -> None:
    try:
        if store_path is not None:
            import pyoxigraph as ox

            validator.store = ox.Store.read_only(store_path)
        violations, vg = _part(validator, _claims(targeted, counter))
        send.send(("ok", (violations, vg.serialize(format="nt"))))
    except BaseException as e:  # noqa: BLE001 - reported to the parent, which raises
        send.send(("error", f"{type(e).__name__}: {e}"))
    finally:
        send.close()


def check_shapes(shapes: Any) -> None:
    """Raise UnsupportedShapes when the shapes use what the compiler does not
    translate: every shape is compiled and every query built and run once
    over an empty store, before any data is read."""
    import pyoxigraph as ox

    SparqlValidator(shapes, ox.Store()).validate()


__all__ = ["UnsupportedShapes", "SparqlValidator", "StoreGraph", "store_from_texts", "validate_store", "check_shapes"]
