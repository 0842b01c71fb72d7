"""What the SHACL shapes read around a focus node: the plan behind
partitioned validation (kg.validate_partitioned).

pySHACL's verdict on one focus node depends only on the triples its shapes
read: for a target, the node's types or one triple that makes it a target;
along a path, the node's triples of the path's predicates; for sh:class on a
value, that value's types (and rdfs:subClassOf, kept global). This module
derives those reads from the shapes graph itself, so that an edited shape
changes the plan rather than silently breaking the equality with whole-graph
pySHACL. A shape that reads further than one step away from its focus node,
or uses a constraint this module does not know, makes the plan unsupported;
the partitioned path then validates the whole graph at once instead.

A read is a pair (direction, predicate) with the predicate in N-Triples form
(``<https://...>``), so that it compares with the tokens of an N-Triples line
without parsing. ``OUT`` reads the node's triples as subject, ``IN`` as object.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH
from rdflib.term import Node

OUT = "out"
IN = "in"
Read = tuple[str, str]  # (OUT | IN, "<predicate>")

TYPE = f"<{RDF.type}>"
SUBCLASS = f"<{RDFS.subClassOf}>"

# Constraint parameters that look at a value node alone (or count values):
# nothing beyond the value itself is read.
_VALUE_ONLY = {
    SH.datatype, SH.pattern, SH.flags, SH.minLength, SH.maxLength, SH["in"], SH.hasValue, SH.nodeKind,
    SH.languageIn, SH.uniqueLang, SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive,
    SH.minCount, SH.maxCount,
}
# Compare the values with the focus node's values of another property.
_PAIR = {SH.equals, SH.disjoint, SH.lessThan, SH.lessThanOrEquals}
# Descriptive or structural: read nothing themselves.
_INERT = {
    SH.message, SH.severity, SH.name, SH.description, SH.order, SH.group, SH.deactivated, SH.defaultValue,
    SH.path, SH.property, SH.node, SH["not"], SH["class"], SH["and"], SH["or"], SH.xone,
    SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf,
}


class UnsupportedShapes(Exception):
    """The shapes read more than the plan can follow; validate the whole graph."""


@dataclass(frozen=True)
class ReadPlan:
    """``focus`` is read in full at every focus node; ``witness`` (target
    patterns read by nothing else) needs one triple to make a node a target;
    ``step_reads`` maps a first path step to what is read at the nodes it
    reaches."""

    focus: frozenset[Read]
    witness: frozenset[Read]
    step_reads: dict[Read, frozenset[Read]] = field(default_factory=dict)

    @property
    def value_reads(self) -> frozenset[Read]:
        """Everything read one step away from a focus node."""
        return frozenset(r for reads in self.step_reads.values() for r in reads)

    @property
    def literal_predicates(self) -> frozenset[str]:
        """Predicates whose literal objects can be focus nodes or be read at:
        such literals are tracked as nodes."""
        preds = {p for d, p in self.focus | self.witness | self.value_reads if d == IN}
        preds |= {p for (d, p), reads in self.step_reads.items() if d == OUT and reads}
        return frozenset(preds)


def _nt(iri: Node) -> str:
    return f"<{iri}>"


def analyse(shapes: Graph) -> ReadPlan:
    """The read plan of a shapes graph; raises UnsupportedShapes."""
    reads: set[tuple[Read | None, Read]] = set()  # (step or None for the focus node, read)
    witness: set[Read] = set()
    targeted = set()
    for p in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode, SH.target):
        targeted.update(shapes.subjects(p, None))
    for cls in (RDFS.Class, OWL.Class):
        for s in shapes.subjects(RDF.type, cls):
            if (s, RDF.type, SH.NodeShape) in shapes or (s, RDF.type, SH.PropertyShape) in shapes:
                raise UnsupportedShapes(f"implicit class target on {s}")
    for shape in sorted(targeted, key=str):
        if (shape, SH.targetNode, None) in shapes or (shape, SH.target, None) in shapes:
            raise UnsupportedShapes(f"sh:targetNode or sh:target on {shape}")
        if (shape, SH.deactivated, None) in shapes:
            raise UnsupportedShapes(f"sh:deactivated on {shape}")
        if (shape, SH.targetClass, None) in shapes:
            reads.add((None, (OUT, TYPE)))
        witness.update((OUT, _nt(p)) for p in shapes.objects(shape, SH.targetSubjectsOf))
        witness.update((IN, _nt(p)) for p in shapes.objects(shape, SH.targetObjectsOf))
        _shape_reads(shapes, shape, None, reads, ())
    focus = frozenset(r for pos, r in reads if pos is None)
    step_reads: dict[Read, set[Read]] = {}
    for pos, r in reads:
        if pos is not None:
            step_reads.setdefault(pos, set()).add(r)
    return ReadPlan(focus, frozenset(witness - focus), {k: frozenset(v) for k, v in step_reads.items()})


def _shape_reads(g: Graph, shape: Node, pos: Read | None, out: set, seen: tuple) -> None:
    """Reads of ``shape`` applied at position ``pos`` (None: the focus node;
    a step: the nodes that step reaches)."""
    if shape in seen or len(seen) > 8:
        raise UnsupportedShapes(f"recursive shape {shape}")
    seen = (*seen, shape)
    for p in set(g.predicates(shape, None)):
        if str(p).startswith(str(SH)) and p not in _INERT | _VALUE_ONLY | _PAIR:
            raise UnsupportedShapes(f"{p} on {shape}")
    if (shape, SH.path, None) in g:
        _property_reads(g, shape, pos, out, seen)
        return
    _constraints_on(g, shape, pos, out, seen)
    for prop in g.objects(shape, SH.property):
        _shape_reads(g, prop, pos, out, seen)
    if set(g.objects(shape, SH.lessThanOrEquals)) | set(g.objects(shape, SH.lessThan)):
        raise UnsupportedShapes(f"pair constraint on node shape {shape}")


def _constraints_on(g: Graph, shape: Node, pos: Read | None, out: set, seen: tuple) -> None:
    """Constraints of ``shape`` on the nodes at ``pos`` themselves."""
    if (shape, SH["class"], None) in g:
        out.add((pos, (OUT, TYPE)))
    for inner in g.objects(shape, SH.node):
        _shape_reads(g, inner, pos, out, seen)
    for inner in g.objects(shape, SH["not"]):
        _shape_reads(g, inner, pos, out, seen)
    for p in (SH["and"], SH["or"], SH.xone):
        for lst in g.objects(shape, p):
            for inner in Collection(g, lst):
                _shape_reads(g, inner, pos, out, seen)


def _property_reads(g: Graph, shape: Node, pos: Read | None, out: set, seen: tuple) -> None:
    for pair in _PAIR:
        for q in g.objects(shape, pair):
            out.add((pos, (OUT, _nt(q))))
    for seq in _sequences(g, g.value(shape, SH.path)):
        # Steps read where the walk stands; the plan follows one step.
        if pos is None:
            out.add((None, seq[0]))
            if len(seq) > 2:
                raise UnsupportedShapes(f"path of {shape} reads two steps away")
            if len(seq) == 2:
                out.add((seq[0], seq[1]))
            value_pos: Read | None = seq[0] if len(seq) == 1 else _DEEP
        else:
            if len(seq) > 1:
                raise UnsupportedShapes(f"path of {shape} reads two steps away")
            out.add((pos, seq[0]))
            value_pos = _DEEP
        values: set = set()
        _constraints_on(g, shape, value_pos, values, seen)
        for prop in g.objects(shape, SH.property):
            _shape_reads(g, prop, value_pos, values, seen)
        if any(p == _DEEP for p, _ in values):
            raise UnsupportedShapes(f"{shape} reads at values two steps away")
        out.update(values)


# Position of values two steps from the focus node: they may be counted or
# compared, but nothing may be read there.
_DEEP: Read = ("deep", "")


def _sequences(g: Graph, path: Node | None) -> list[list[Read]]:
    """A SHACL path as alternative sequences of steps."""
    if path is None:
        raise UnsupportedShapes("property shape without sh:path")
    if isinstance(path, URIRef):
        return [[(OUT, _nt(path))]]
    inner = g.value(path, SH.inversePath)
    if isinstance(inner, URIRef):
        return [[(IN, _nt(inner))]]
    alternatives = g.value(path, SH.alternativePath)
    if alternatives is not None:
        return [seq for alt in Collection(g, alternatives) for seq in _sequences(g, alt)]
    if isinstance(path, BNode) and g.value(path, RDF.first) is not None:
        seqs: list[list[Read]] = [[]]
        for part in Collection(g, path):
            sub = _sequences(g, part)
            seqs = [a + b for a in seqs for b in sub]
        return seqs
    raise UnsupportedShapes(f"path {path!r} (only predicates, inverses, alternatives and sequences)")


__all__ = ["IN", "OUT", "ReadPlan", "SUBCLASS", "TYPE", "UnsupportedShapes", "analyse"]
