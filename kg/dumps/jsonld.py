"""JSON-LD: kamervragen.jsonld, one compacted graph object per publication,
streamed; and context.jsonld.

The document mirrors the TriG: its ``@graph`` holds one object per named
graph of the build (``{"@id": graph IRI, "@graph": [nodes]}``), a publication's
with the nodes only that publication states, then the shared graph, in the
order of the graphs' IRIs. The union of those graphs is kamervragen.nt (a
JSON-LD reader that keeps named graphs, such as rdflib's Dataset or pyld's
toRdf, gives the quads of kamervragen.trig less its description). The
context is embedded, so the file stands alone: a tool without a document
loader (or offline) reads it; context.jsonld is the same context as a file
of its own, for documents that refer to it.

Why compaction is written here rather than left to rdflib or pyld: the
context is made from the ontology and uses only simple term definitions
(prefixes; terms with ``@type`` ``@id``, ``@vocab`` or a datatype, or with
``@language``; no containers, no embedding, no ``@base``), and for that
subset the JSON-LD 1.1 compaction algorithm (term selection, IRI compaction,
value compaction) is a few rules, implemented in ``Compactor``. rdflib's
serializer compacted at about 15k triples/s and needs an rdflib Graph; pyld
is ten times slower (benchmarks/bench_dumps.py, --compare-jsonld). This one
reads each graph's sorted N-Triples lines once, writes each graph object as
soon as it is made, and holds one graph at a time: linear time, flat memory.
tests/test_dumps.py checks it against rdflib's and pyld's readers: the
document expands back to exactly the build's quads.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from kg.dumps import DumpSet, graph_size

CONTEXT_FILE = "context.jsonld"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
# Datatypes written as JSON numbers and booleans (as rdflib's serializer did,
# and fromRdf's useNativeTypes), when the lexical form is canonical so that
# reading it back gives the same literal.
NATIVE = {XSD + "integer", XSD + "boolean"}
_IRI_CACHE = 100_000


def write_context(dumps: DumpSet, path: Path) -> str:
    import hashlib

    from kg.dumps.context import context_document

    data = context_document().encode("utf-8")
    path.write_bytes(data)
    return hashlib.sha256(data).hexdigest()


class Compactor:
    """JSON-LD compaction of flat RDF nodes with a context of simple terms."""

    def __init__(self, context: dict) -> None:
        self.context = context
        # Prefixes: string definitions that end in a gen-delim (JSON-LD 1.1 §4.1.4).
        self.prefixes = sorted(
            (name, iri) for name, iri in context.items()
            if isinstance(iri, str) and not name.startswith("@") and iri.endswith(("#", "/", ":", "?", "[", "]", "@"))
        )
        # term -> (IRI, type mapping, language mapping); and IRI -> its terms
        self.terms: dict[str, tuple[str, str | None, str | None]] = {}
        for name, definition in context.items():
            if name.startswith("@"):
                continue
            if isinstance(definition, str):
                iri, kind, language = self.expand(definition), None, None
            elif isinstance(definition, dict) and "@id" in definition:
                iri = self.expand(definition["@id"])
                kind = definition.get("@type")
                kind = kind if kind in (None, "@id", "@vocab") else self.expand(kind)
                language = definition.get("@language")
                language = language.lower() if isinstance(language, str) else None
            else:
                continue
            self.terms[name] = (iri, kind, language)
        self.by_iri: dict[str, list[tuple[str, str | None, str | None]]] = {}
        for name, (iri, kind, language) in sorted(self.terms.items()):
            self.by_iri.setdefault(iri, []).append((name, kind, language))
        self._vocab: dict[str, str] = {}
        self._plain: dict[str, str] = {}
        self._term_iris = {iri for iri, _, _ in self.terms.values()}
        self._namespaces = tuple(namespace for _, namespace in self.prefixes)
        self._iri_rules: dict[tuple[str, bool], tuple[str, int]] = {}
        self._literal_rules: dict[tuple[str, str], tuple[str, int, str | None]] = {}

    def expand(self, value: str) -> str:
        prefix, sep, rest = value.partition(":")
        if sep and not rest.startswith("//") and isinstance(self.context.get(prefix), str):
            return self.context[prefix] + rest
        return value

    # -------------------------------------------------------------- IRIs

    def iri(self, iri: str, vocab: bool) -> str:
        """IRI compaction: a term (vocab only), else the shortest compact IRI, else the IRI."""
        cache = self._vocab if vocab else self._plain
        found = cache.get(iri)
        if found is None:
            if len(cache) >= _IRI_CACHE:  # most IRIs are named once (a question, an answer): memory stays flat
                cache.clear()
            found = cache[iri] = self._compact_iri(iri, vocab)
        return found

    def _compact_iri(self, iri: str, vocab: bool) -> str:
        if iri.startswith("_:"):
            return iri
        if vocab:
            simple = [name for name, kind, language in self.by_iri.get(iri, ()) if kind is None and language is None]
            if simple:
                return min(simple, key=lambda n: (len(n), n))
        if not iri.startswith(self._namespaces):  # most IRIs (kg's own) are under no prefix
            return iri
        candidates = []
        for name, namespace in self.prefixes:
            if iri.startswith(namespace) and len(iri) > len(namespace):
                candidate = f"{name}:{iri[len(namespace):]}"
                # A compact IRI that is a term of its own would be read as that term.
                if candidate not in self.terms or (vocab and self.terms[candidate][0] == iri):
                    candidates.append(candidate)
        if candidates:
            return min(candidates, key=lambda c: (len(c), c))
        return iri

    # -------------------------------------------------------------- values

    def entry(self, predicate: str, obj) -> tuple[str, object]:
        """(key, compacted value) of one triple's predicate and object (a pyoxigraph term)."""
        import pyoxigraph as ox

        terms = self.by_iri.get(predicate, ())
        if isinstance(obj, (ox.NamedNode, ox.BlankNode)):
            ref = obj.value if isinstance(obj, ox.NamedNode) else f"_:{obj.value}"
            # Term selection (§6.2.2): @vocab first if the IRI is itself a term, else @id; then a simple term.
            as_term = self.iri(ref, vocab=True)
            is_term = as_term in self.terms and self.terms[as_term][0] == ref
            order = ("@vocab", "@id", None) if is_term else ("@id", "@vocab", None)
            for wanted in order:
                for name, kind, language in terms:
                    if kind == wanted and language is None:
                        if kind == "@vocab":
                            return name, self.iri(ref, vocab=True)
                        if kind == "@id":
                            return name, self.iri(ref, vocab=False)
                        return name, {"@id": self.iri(ref, vocab=False)}
            return self._key(predicate), {"@id": self.iri(ref, vocab=False)}
        language = obj.language.lower() if obj.language else None
        datatype = obj.datatype.value
        value = obj.value
        if language:
            for name, kind, lang in terms:
                if kind is None and lang == language:
                    return name, value
            expanded: dict = {"@value": value, "@language": obj.language}
        elif datatype == XSD + "string":
            for name, kind, lang in terms:
                if kind is None and lang is None:
                    return name, value
            return self._key(predicate), value
        else:
            for name, kind, lang in terms:
                if kind == datatype and lang is None:
                    return name, value
            native = _native(value, datatype)
            expanded = {"@value": value, "@type": self.iri(datatype, vocab=True)} if native is None else {"@value": native}
        for name, kind, lang in terms:
            if kind is None and lang is None:
                return name, expanded if "@language" in expanded or "@type" in expanded else expanded["@value"]
        key = self._key(predicate)
        return key, expanded if "@language" in expanded or "@type" in expanded else expanded["@value"]

    def _key(self, predicate: str) -> str:
        """The key of a value no term takes: a compact IRI that is no term, or the IRI."""
        key = self.iri(predicate, vocab=False)
        return key if key not in self.terms else predicate

    # -------------------------------------------------------------- nodes

    def nodes(self, lines: Iterable[str]) -> list[dict]:
        """The node objects of sorted N-Triples lines, in the order of their subjects.

        The lines are kg's own (kg.build.Spool: one triple a line, ending in
        " .", terms as rdflib spells them), so they are split as strings, not
        parsed: a third of the parser's time. Lines with an escape JSON does
        not share (\\u, \\U, \\') go through pyoxigraph's parser instead;
        both give the same nodes (tests/test_dumps.py)."""
        lines = lines if isinstance(lines, list) else list(lines)
        text = "\n".join(lines)
        if "\\u" in text or "\\U" in text or "\\'" in text:
            return self.parsed_nodes(lines)
        del text
        loads = json.loads
        nodes: list[dict] = []
        node: dict = {}
        subject = None
        iri_rules = self._iri_rules
        literal_rules = self._literal_rules
        term_iris = self._term_iris
        plain, vocab = self._plain, self._vocab
        compact = self.iri
        for line in lines:
            s, p, o = line.split(" ", 2)
            if s != subject:
                subject = s
                ref = s[1:-1] if s[0] == "<" else s
                node = {"@id": plain.get(ref) or compact(ref, False)}
                nodes.append(node)
            o = o[:-2]  # " ."
            if o[0] == '"':
                q = o.rindex('"')
                value = o[1:q]
                if "\\" in value:
                    value = loads(o[: q + 1], strict=False)
                suffix = o[q + 1 :]
                key, mode, extra = literal_rules.get((p, suffix)) or self._literal_rule(p, suffix)
                if mode == 1:  # a language not the term's
                    value = {"@value": value, "@language": extra}
                elif mode == 2:  # a datatype not the term's: native, else typed
                    native = _native(value, extra)
                    value = {"@value": value, "@type": compact(extra, True)} if native is None else native
            else:
                ref = o[1:-1] if o[0] == "<" else o
                if p == _RDF_TYPE_NT and o[0] == "<":
                    key, value = "@type", vocab.get(ref) or compact(ref, True)
                else:
                    is_term = ref in term_iris and self._is_term(ref)
                    key, mode = iri_rules.get((p, is_term)) or self._iri_rule(p, ref)
                    if mode == 0:
                        value = vocab.get(ref) or compact(ref, True)
                    elif mode == 1:
                        value = plain.get(ref) or compact(ref, False)
                    else:
                        value = {"@id": plain.get(ref) or compact(ref, False)}
            held = node.get(key, _MISSING)
            if held is _MISSING:
                node[key] = value
            elif isinstance(held, list):
                held.append(value)
            else:
                node[key] = [held, value]
        return nodes

    def _is_term(self, ref: str) -> bool:
        as_term = self.iri(ref, vocab=True)
        return as_term in self.terms and self.terms[as_term][0] == ref

    def _iri_rule(self, p: str, ref: str) -> tuple[str, int]:
        """(key, 0: the object as a vocab term, 1: as an @id string, 2: as {"@id": ...})
        for an IRI or blank node object of predicate ``p`` (an N-Triples term)."""
        is_term = self._is_term(ref)
        rule = self._iri_rules.get((p, is_term))
        if rule is None:
            rule = self._iri_rules[(p, is_term)] = self._make_iri_rule(p[1:-1], is_term)
        return rule

    def _make_iri_rule(self, predicate: str, is_term: bool) -> tuple[str, int]:
        # As ``entry``: term selection, @vocab first if the IRI is itself a term, else @id; then a simple term.
        terms = self.by_iri.get(predicate, ())
        order = ("@vocab", "@id", None) if is_term else ("@id", "@vocab", None)
        for wanted in order:
            for name, kind, language in terms:
                if kind == wanted and language is None:
                    return name, {"@vocab": 0, "@id": 1, None: 2}[kind]
        return self._key(predicate), 2

    def _literal_rule(self, p: str, suffix: str) -> tuple[str, int, str | None]:
        """(key, 0: the lexical form as it is, 1: a language-tagged value (the tag),
        2: native or typed (the datatype)) for a literal of predicate ``p``
        with ``suffix`` (after its closing quote: "", "@lang" or "^^<datatype>")."""
        rule = self._literal_rules.get((p, suffix))
        if rule is None:
            rule = self._literal_rules[(p, suffix)] = self._make_literal_rule(p[1:-1], suffix)
        return rule

    def _make_literal_rule(self, predicate: str, suffix: str) -> tuple[str, int, str | None]:
        terms = self.by_iri.get(predicate, ())
        plain = next((name for name, kind, lang in terms if kind is None and lang is None), None)
        if suffix.startswith("@"):
            language = suffix[1:].lower()  # as pyoxigraph gives it: tags are case-insensitive
            for name, kind, lang in terms:
                if kind is None and lang == language.lower():
                    return name, 0, None
            return (plain or self._key(predicate)), 1, language
        datatype = suffix[3:-1] if suffix else XSD + "string"
        if datatype == XSD + "string":
            return (plain or self._key(predicate)), 0, None
        for name, kind, lang in terms:
            if kind == datatype and lang is None:
                return name, 0, None
        return (plain or self._key(predicate)), 2, datatype

    def parsed_nodes(self, lines: Iterable[str]) -> list[dict]:
        """``nodes`` by pyoxigraph's parser, for any N-Triples."""
        import pyoxigraph as ox

        text = "".join(line + "\n" for line in lines)
        nodes: list[dict] = []
        node: dict | None = None
        subject = None
        for triple in ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES):
            if triple.subject != subject:
                subject = triple.subject
                ref = subject.value if isinstance(subject, ox.NamedNode) else f"_:{subject.value}"
                node = {"@id": self.iri(ref, vocab=False)}
                nodes.append(node)
            if triple.predicate.value == RDF_TYPE and isinstance(triple.object, ox.NamedNode):
                key, value = "@type", self.iri(triple.object.value, vocab=True)
            else:
                key, value = self.entry(triple.predicate.value, triple.object)
            if key in node:
                held = node[key]
                if isinstance(held, list):
                    held.append(value)
                else:
                    node[key] = [held, value]
            else:
                node[key] = value
        return nodes


_MISSING = object()
_RDF_TYPE_NT = f"<{RDF_TYPE}>"


def _native(lexical: str, datatype: str):
    if datatype == XSD + "boolean" and lexical in ("true", "false"):
        return lexical == "true"
    if datatype == XSD + "integer":
        try:
            number = int(lexical)
        except ValueError:
            return None
        return number if str(number) == lexical else None
    return None


def _indented(value: object, indent: str) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2)
    return indent + text.replace("\n", "\n" + indent)


def _line(value: object) -> str:
    # One node a line: json's C encoder runs only without indent, and it is
    # most of the writer's time with it.
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(", ", ": "))


def write_jsonld(dumps: DumpSet, path: Path) -> str:
    """Stream ``dumps.graphs`` (consumed once) into one JSON-LD document:
    the context, then one graph object per named graph, one node a line.
    A graph's nodes are kept from the previous build while its lines are
    unchanged (kg.dumps.fragments); return the file's SHA-256."""
    from kg.dumps.context import jsonld_context
    from kg.dumps.fragments import FragmentFile, fragment_key

    context = getattr(dumps, "context", None) or jsonld_context()
    compactor = Compactor(context)
    previous = getattr(dumps, "previous", None)
    key = fragment_key("jsonld", json.dumps(context, sort_keys=True))
    out = FragmentFile(path, key, getattr(dumps, "index_dir", None), previous / path.name if previous is not None else None)
    try:
        out.write(('{\n  "@context": ' + _indented(context, "  ").lstrip() + ',\n  "@graph": [').encode("utf-8"))
        first = True
        for graph in dumps.graphs:
            if not graph_size(graph):
                continue
            head = ("\n" if first else ",\n") + '    {\n      "@id": ' + _line(compactor.iri(graph.iri, vocab=False)) + ',\n      "@graph": [\n'
            out.write(head.encode("utf-8"))
            h = graph.lines_hash() if hasattr(graph, "lines_hash") else None
            nodes = out.fragment(h) if h is not None else None
            if nodes is None:
                text = ",\n".join("        " + _line(node) for node in compactor.nodes(graph.lines))
                out.add(h or "", text.encode("utf-8"))
            else:
                out.add(h, nodes, reused=True)
            out.write(b"\n      ]\n    }")
            first = False
        out.write(b"\n  ]\n}\n")
    except BaseException:
        out.abort()
        raise
    return out.close()


__all__ = ["CONTEXT_FILE", "Compactor", "write_context", "write_jsonld"]
