"""Named SPARQL queries: a registry read from ``queries/*.rq`` (installed as
``kg.queries``), safe parameters, one ``run`` for both stores and the result
formats of ``kg query``.

A query file starts with a comment block::

    # <what it answers>
    # param <name>: <type> — <meaning> (default <value>)
    # params: none

Types are ``string``, ``integer``, ``date`` (ISO), ``iri`` and ``boolean``; a
parameter without ``(default …)`` is required. In the query a parameter is
written ``$name`` (a legal SPARQL variable, so the file reads as SPARQL).
Before the query runs, every ``$name`` outside strings, IRIs and comments is
replaced by the value serialised as one RDF term (pyoxigraph writes it, with
N-Triples escaping), after checking it against its type. User text therefore
never becomes SPARQL syntax: at most it becomes the contents of one literal.
Both engines (rdflib, Oxigraph) see the same query text, so they give the
same answers. The engines' own binding mechanisms are not used because they
differ: rdflib's ``initBindings`` binds a variable anywhere, while Oxigraph's
``substitutions`` accepts only variables of the outer SELECT projection, so
a parameter used inside a subquery or a FILTER would need two formulations.

Rows come back as rdflib terms in a deterministic order: the named queries
all have a complete ``ORDER BY``; a user's query without one is sorted.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import QueryError, QuerySetupError

if TYPE_CHECKING:  # heavy imports stay inside the functions that need them
    import pyoxigraph
    import rdflib
    from rdflib.term import Node

    Target = rdflib.Graph | pyoxigraph.Store

PARAM_TYPES = ("string", "integer", "date", "iri", "boolean")
FORMATS = ("table", "csv", "tsv", "json")
XSD = "http://www.w3.org/2001/XMLSchema#"

_PARAM_LINE = re.compile(
    r"^#\s*param\s+(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*:\s*(?P<type>\w+)\s*[—–-]\s*(?P<rest>.*?)\s*$"
)
_DEFAULT = re.compile(r"^(?P<desc>.*?)\s*\(default (?P<default>.*)\)$")

# The lexical pieces of a query that a parameter must never be substituted
# into (strings, IRIs, comments), and the placeholder itself; matched left to
# right, so a "$x" inside a string or comment is passed over whole.
_LEXER = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\s]*>"
    r"|#[^\n]*"
    r"|\$(?P<param>[A-Za-z_][A-Za-z0-9_]*)",
    re.DOTALL,
)


@dataclass(frozen=True)
class Param:
    """One parameter of a named query, as its header declares it."""

    name: str
    type: str
    description: str
    default: str | None = None

    @property
    def required(self) -> bool:
        return self.default is None

    def describe(self) -> str:
        default = "required" if self.required else f"default {self.default}"
        return f"{self.name}: {self.type} — {self.description} ({default})"


@dataclass(frozen=True)
class NamedQuery:
    """A query with its header: ``name`` is the file stem."""

    name: str
    description: str
    params: tuple[Param, ...]
    text: str
    source: str
    builtin: bool = False  # shipped with kg: complete ORDER BY guaranteed by the tests
    notes: tuple[str, ...] = field(default=(), compare=False)

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.params) or "none"
        raise QueryError(f"query {self.name!r} has no parameter {name!r} (its parameters: {known})")

    def render(self, values: Mapping[str, str] | None = None) -> str:
        """The query text with every parameter replaced by its value (or its
        default) serialised as an RDF term."""
        values = dict(values or {})
        for name in values:
            self.param(name)  # unknown names are an error, not ignored
        terms: dict[str, str] = {}
        for p in self.params:
            if p.name in values:
                raw = values[p.name]
            elif p.default is not None:
                raw = p.default
            else:
                raise QueryError(f"query {self.name!r} needs --param {p.name}=… ({p.describe()})")
            terms[p.name] = sparql_term(p, raw)
        return substitute(self.text, terms, self.name)


# ------------------------------------------------------------------ headers


def parse_query_file(text: str, name: str, source: str, *, builtin: bool = False) -> NamedQuery:
    """Read the header comment of a query file. A named query with a broken
    header is a packaging fault (QuerySetupError); a user's file, a QueryError."""
    error = QuerySetupError if builtin else QueryError
    lines = text.splitlines()
    header: list[str] = []
    for line in lines:
        if not line.startswith("#"):
            break
        header.append(line)
    if not header or not header[0].lstrip("# ").strip():
        raise error(f"{source}: the first line must be a comment saying what the query answers")
    description = header[0].lstrip("#").strip()
    params: list[Param] = []
    notes: list[str] = []
    no_params = False
    for line in header[1:]:
        body = line.lstrip("#").strip()
        if re.match(r"^params?\s*:\s*none\b", body):
            no_params = True
            continue
        if body.startswith(("param ", "param\t")):
            m = _PARAM_LINE.match(line)
            if not m:
                raise error(f"{source}: cannot read {line!r}; write '# param <name>: <type> — <meaning> (default …)'")
            if m["type"] not in PARAM_TYPES:
                raise error(f"{source}: parameter {m['name']!r} has unknown type {m['type']!r} (one of {', '.join(PARAM_TYPES)})")
            d = _DEFAULT.match(m["rest"])
            desc, default = (d["desc"], d["default"]) if d else (m["rest"], None)
            param = Param(m["name"], m["type"], desc, default)
            if any(p.name == param.name for p in params):
                raise error(f"{source}: parameter {param.name!r} is declared twice")
            params.append(param)
        elif body:
            notes.append(body)
    if not params and not no_params:
        raise error(f"{source}: declare the parameters ('# param …') or write '# params: none'")
    used = {m["param"] for m in _LEXER.finditer(text) if m["param"]}
    declared = {p.name for p in params}
    if used - declared:
        raise error(f"{source}: ${', $'.join(sorted(used - declared))} used but not declared in the header")
    if declared - used:
        raise error(f"{source}: parameter(s) {', '.join(sorted(declared - used))} declared but not used as $name")
    query = NamedQuery(name, description, tuple(params), text, source, builtin, tuple(notes))
    for p in params:  # a default must itself be a valid value
        if p.default is not None:
            try:
                sparql_term(p, p.default)
            except QueryError as exc:
                raise error(f"{source}: default of {p.name!r}: {exc.message}") from exc
    return query


@lru_cache(maxsize=1)
def named_queries() -> dict[str, NamedQuery]:
    """Every query shipped in ``kg.queries``, by name (the file stem), sorted."""
    try:
        root = resources.files("kg.queries")
        entries = sorted((e for e in root.iterdir() if e.name.endswith(".rq")), key=lambda e: e.name[: -len(".rq")])
    except (ModuleNotFoundError, FileNotFoundError) as exc:
        raise QuerySetupError(f"the named queries (package kg.queries) are missing: {exc}") from exc
    if not entries:
        raise QuerySetupError("no named queries found in kg.queries")
    out: dict[str, NamedQuery] = {}
    for entry in entries:
        name = entry.name[: -len(".rq")]
        out[name] = parse_query_file(entry.read_text(encoding="utf-8"), name, f"queries/{entry.name}", builtin=True)
    return out


def resolve(name_or_file: str) -> NamedQuery:
    """A named query by name, or a query file by path."""
    path = Path(name_or_file)
    if name_or_file.endswith(".rq") or path.is_file() or "/" in name_or_file:
        if not path.is_file():
            raise QueryError(f"no such query file: {name_or_file}")
        return parse_query_file(path.read_text(encoding="utf-8"), path.stem, str(path))
    queries = named_queries()
    if name_or_file not in queries:
        raise QueryError(f"no named query {name_or_file!r}; the named queries are: {', '.join(queries)}")
    return queries[name_or_file]


# --------------------------------------------------------------- parameters


def sparql_term(param: Param, value: str) -> str:
    """``value`` checked against the parameter's type and written as one RDF
    term in SPARQL syntax. Raises QueryError for a value of the wrong type."""
    import pyoxigraph as ox

    kind = param.type
    try:
        if kind == "integer":
            if not re.fullmatch(r"[+-]?\d+", value.strip()):
                raise ValueError("not an integer")
            return str(int(value))  # a bare integer token: also valid after LIMIT
        if kind == "date":
            return str(ox.Literal(dt.date.fromisoformat(value.strip()).isoformat(), datatype=ox.NamedNode(XSD + "date")))
        if kind == "boolean":
            if value.strip().lower() not in ("true", "false"):
                raise ValueError("not true or false")
            return value.strip().lower()
        if kind == "iri":
            return str(ox.NamedNode(value.strip()))  # pyoxigraph rejects anything that is not an IRI
        if any((ord(c) < 32 and c not in "\t\n\r") or ord(c) == 127 for c in value):
            raise ValueError("control characters are not allowed")
        return _unicode_safe(str(ox.Literal(value)))
    except ValueError as exc:
        raise QueryError(f"parameter {param.name!r} must be {_a(kind)} ({exc}): {value!r}") from exc


def _a(kind: str) -> str:
    return {"integer": "an integer", "date": "an ISO date like 2024-01-31", "iri": "an absolute IRI"}.get(kind, f"a {kind}")


def _unicode_safe(literal: str) -> str:
    r"""SPARQL 1.1 expands \uXXXX anywhere in the query before parsing
    (rdflib does, and reads up to eight hex digits after a lower-case \u),
    so a value holding a backslash followed by "u" would turn into an escape
    there and differ from what Oxigraph reads. Writing that "u" as the
    eight-digit escape \U00000075 keeps the value the same for both."""
    return re.sub(r"(?<!\\)((?:\\\\)+)([uU])", lambda m: m[1] + ("\\U00000075" if m[2] == "u" else "\\U00000055"), literal)


def substitute(text: str, terms: Mapping[str, str], name: str = "query") -> str:
    """Replace each ``$param`` token (never one inside a string, an IRI or a
    comment) by its serialised term."""

    def repl(m: re.Match) -> str:
        param = m["param"]
        if param is None:
            return m[0]
        if param not in terms:
            raise QueryError(f"{name}: ${param} has no value")
        return terms[param]

    return _LEXER.sub(repl, text)


def parse_params(pairs: Iterable[str]) -> dict[str, str]:
    """``["fractie=D66", ...]`` -> ``{"fractie": "D66"}``."""
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise QueryError(f"--param takes name=value, not {pair!r}")
        out[name.strip()] = value
    return out


# ------------------------------------------------------------------ running


@dataclass
class Result:
    """The answer of one query, engine-independent: rdflib terms (None where
    a variable is unbound)."""

    form: str  # "SELECT", "ASK" or "GRAPH" (CONSTRUCT and DESCRIBE)
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[tuple[Node, Node, Node]] = field(default_factory=list)

    def __len__(self) -> int:
        if self.form == "ASK":
            return 1
        return len(self.rows) if self.form == "SELECT" else len(self.triples)


def run(query: NamedQuery | str, target: Target, params: Mapping[str, str] | None = None) -> Result:
    """Run a named query (with ``params``) or a query text against an rdflib
    Graph or a pyoxigraph Store."""
    if isinstance(query, NamedQuery):
        text, name, ordered = query.render(params), query.name, True if query.builtin else None
    else:
        if params:
            raise QueryError("parameters are only for named queries and query files with a header")
        text, name, ordered = query, "query", None
    if type(target).__module__.startswith("pyoxigraph"):
        result = _run_oxigraph(text, target, name)
    else:
        result = _run_rdflib(text, target, name)
    if result.form == "SELECT":
        if ordered is None:
            ordered = _has_order_by(text)
        if not ordered:
            result.rows.sort(key=_row_key)
    elif result.form == "GRAPH":
        result.triples.sort(key=lambda t: tuple(_term_key(x) for x in t))
    return result


def _run_rdflib(text: str, graph: rdflib.Graph, name: str) -> Result:
    try:
        res = graph.query(text)
        if res.type == "SELECT":
            variables = [str(v) for v in res.vars or []]
            rows = [tuple(row) for row in res]
            return Result("SELECT", variables, rows)
        if res.type == "ASK":
            return Result("ASK", boolean=bool(res.askAnswer))
        return Result("GRAPH", triples=list(res.graph))
    except QueryError:
        raise
    except Exception as exc:  # pyparsing, rdflib and evaluation errors alike
        raise QueryError(f"{name}: {type(exc).__name__}: {exc}") from exc


def _run_oxigraph(text: str, store: pyoxigraph.Store, name: str) -> Result:
    import pyoxigraph as ox

    try:
        # A kg store holds the union of its publication and shared graphs
        # (kamervragen.nt's graph) in its default graph, which queries read;
        # a store whose default graph is empty
        # (named graphs only: an older kg store, or a user's) is queried over
        # the union of its graphs, which then replaces a FROM clause.
        from kg.store import queries_union

        res = store.query(text, use_default_graph_as_union=queries_union(store))
        if isinstance(res, ox.QuerySolutions):
            variables = [v.value for v in res.variables]
            # Each distinct term converted once: rdflib parses a typed
            # literal's value when it makes one (dates, numbers), and a
            # column repeats its values (dates, counts, names) row after row.
            seen: dict[Any, Node | None] = {}

            def term(value: Any) -> Node | None:
                try:
                    return seen[value]
                except KeyError:
                    converted = seen[value] = _from_oxigraph(value)
                    return converted

            width = range(len(variables))
            rows = [tuple(term(sol[i]) for i in width) for sol in res]
            return Result("SELECT", variables, rows)
        if isinstance(res, ox.QueryBoolean):
            return Result("ASK", boolean=bool(res))
        return Result("GRAPH", triples=[(_from_oxigraph(t.subject), _from_oxigraph(t.predicate), _from_oxigraph(t.object)) for t in res])
    except QueryError:
        raise
    except Exception as exc:  # SyntaxError for the text, others from evaluation
        raise QueryError(f"{name}: {type(exc).__name__}: {exc}") from exc


def _from_oxigraph(term: Any) -> Node | None:
    """A pyoxigraph term as the rdflib term that means the same."""
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value, datatype=None if datatype == XSD + "string" else URIRef(datatype))
    raise QueryError(f"unsupported term in a result: {term!r}")


def _has_order_by(text: str) -> bool:
    """True when the query orders its solutions itself (rdflib's parser reads
    the algebra; a query it cannot read keeps the engine's order)."""
    from rdflib.plugins.sparql import prepareQuery

    try:
        node = prepareQuery(text).algebra
    except Exception:  # noqa: BLE001 - the engine already ran it; rdflib may lack a syntax extension
        return True
    while node is not None and getattr(node, "name", None) in ("SelectQuery", "Slice", "Distinct", "Reduced", "Project", "OrderBy"):
        if node.name == "OrderBy":
            return True
        node = node.get("p")
    return False


def _term_key(term: Node | None) -> tuple:
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return (0, "")
    if isinstance(term, BNode):
        return (1, str(term))
    if isinstance(term, URIRef):
        return (2, str(term))
    if isinstance(term, Literal):
        return (3, str(term), str(term.datatype or ""), term.language or "")
    return (4, str(term))


def _row_key(row: tuple) -> tuple:
    return tuple(_term_key(t) for t in row)


# ------------------------------------------------------------------ formats


def serialize(result: Result, fmt: str = "table") -> str:
    """The result as text: ``table`` (aligned, for people), ``csv``, ``tsv``
    or ``json`` (SPARQL 1.1 Query Results). The last three are written by
    pyoxigraph's result serialisers; graph results are sorted N-Triples."""
    if fmt not in FORMATS:
        raise QueryError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    if result.form == "GRAPH":
        return "".join(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in result.triples)
    if fmt == "table":
        return _table(result)
    import pyoxigraph as ox

    target = {"csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV, "json": ox.QueryResultsFormat.JSON}[fmt]
    parsed = ox.parse_query_results(sparql_json(result), format=ox.QueryResultsFormat.JSON)
    out = parsed.serialize(format=target).decode("utf-8")
    return out if out.endswith("\n") else out + "\n"


def sparql_json(result: Result) -> bytes:
    """The result in the SPARQL 1.1 JSON results format (rdflib's serialiser)."""
    from rdflib import Variable
    from rdflib.query import Result as RdflibResult

    if result.form == "ASK":
        res = RdflibResult("ASK")
        res.askAnswer = bool(result.boolean)
    else:
        res = RdflibResult("SELECT")
        res.vars = [Variable(v) for v in result.variables]
        res.bindings = [
            {Variable(v): t for v, t in zip(result.variables, row) if t is not None} for row in result.rows
        ]
    return res.serialize(format="json")


_CELL = 60  # widest cell of a table; csv/tsv/json always carry full values


def display(term: Node | None, width: int | None = _CELL) -> str:
    """A term as a person reads it: IRIs of the vocabularies with their
    prefix, literals by their value."""
    from rdflib import Literal, URIRef

    from kg.vocab import PREFIXES

    if term is None:
        text = ""
    elif isinstance(term, URIRef):
        text = str(term)
        for prefix, ns in PREFIXES.items():
            if text.startswith(str(ns)) and len(text) > len(str(ns)):
                text = f"{prefix}:{text[len(str(ns)):]}"
                break
    elif isinstance(term, Literal):
        text = str(term)
    else:
        text = term.n3()
    text = " ".join(text.split())
    if width and len(text) > width:
        text = text[: width - 1] + "…"
    return text


def _is_number(term: Node | None) -> bool:
    from rdflib import Literal

    return isinstance(term, Literal) and term.datatype is not None and str(term.datatype) in (
        XSD + "integer", XSD + "decimal", XSD + "double", XSD + "float", XSD + "int", XSD + "long",
    )


def _table(result: Result) -> str:
    if result.form == "ASK":
        return ("true" if result.boolean else "false") + "\n"
    cells = [[display(t) for t in row] for row in result.rows]
    widths = [len(v) for v in result.variables]
    for row in cells:
        widths = [max(w, len(c)) for w, c in zip(widths, row)]
    numeric = [bool(result.rows) and all(_is_number(r[i]) or r[i] is None for r in result.rows) for i in range(len(widths))]

    def line(values: list[str]) -> str:
        parts = [v.rjust(w) if num else v.ljust(w) for v, w, num in zip(values, widths, numeric)]
        return "  ".join(parts).rstrip()

    out = [line(result.variables), line(["-" * w for w in widths])]
    out += [line(row) for row in cells]
    n = len(result.rows)
    out.append(f"({n} row{'' if n == 1 else 's'})")
    return "\n".join(out) + "\n"
