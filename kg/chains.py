"""Follow-up chains: questions that follow up, answer or delay one another.

The built graph is read back (its N-Triples dump, filtered line by line and
parsed by pyoxigraph, or any RDF file), only the few predicates the chains
need are kept, and networkx joins the publications. A chain follows the links
between questions:

- ``kv:verwijstNaar`` to an earlier Aanhangsel or question publication (the
  identifier schemes of ``kg/chains_schemes.csv``: ``ah-``, ``kv-``; a
  publication the graph types as questions or a notice; or one the build
  read, since kg reads only questions, answers and notices);
- ``kv:beantwoordIn``: questions published on their own are answered in an
  Aanhangsel publication;
- ``kv:meldtUitstelVan``: a delay notice about the questions it delays.

A chain is a connected set of two or more publications over those links,
ordered in time. Any other document a chain's publications cite (a
Kamerstuk, a Staatsblad) is context: drawn on the chain, marked as such,
and on every chain that cites it, but never a link that joins two chains (a
budget Kamerstuk cited by hundreds of questions would make one "chain" of
them all). Their pictures (``chains.html`` with a page per chain,
``chains.graphml``, ``chains.dot``) are drawn by ``kg.pictures``.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from kg.errors import UsageError
from kg.tables import package_rows

KV = "https://w3id.org/kamervragen/def#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_PREFLABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"
PUBLICATION_BASE = "https://zoek.officielebekendmakingen.nl/"  # as kg.iris, without importing rdflib

# Edge kinds as shown to people, keyed by the predicate that makes them.
CITES, ANSWERED_IN, DELAYS = "cites", "answered in", "delays"
EDGE_PREDICATES: dict[str, str] = {
    KV + "verwijstNaar": CITES,
    KV + "beantwoordIn": ANSWERED_IN,
    KV + "meldtUitstelVan": DELAYS,
}
# Which end of an edge comes first in time: a cited publication precedes the
# one citing it, questions precede their answer, and a delay notice follows
# the questions it delays.
_TARGET_FIRST = {CITES: True, ANSWERED_IN: False, DELAYS: True}

_WANTED = frozenset(
    {
        *EDGE_PREDICATES,
        RDF_TYPE,
        RDFS_LABEL,
        SKOS_PREFLABEL,
        KV + "identificatie",
        KV + "ingezondenOp",
        KV + "ontvangenOp",
        KV + "onderwerp",
        KV + "gesteldDoor",
        KV + "achternaam",
        KV + "fractie",
        KV + "antwoordtermijnDagen",
        KV + "dagenTotMededeling",
        KV + "termijnOverschreden",
        KV + "bronbestand",
        KV + "heeftVraag",
        KV + "heeftAntwoord",
    }
)

# What a document is, from its rdf:type; the first that applies wins.
_KINDS = ((KV + "Mededeling", "notice"), (KV + "Vragenpublicatie", "questions"))

Triple = tuple[str, str, str]


# ------------------------------------------------------------------ the model


@dataclass(frozen=True)
class Asker:
    achternaam: str
    fractie: str | None  # the party as the palette names it, else as printed

    def __str__(self) -> str:
        return f"{self.achternaam} ({self.fractie})" if self.fractie else self.achternaam


@dataclass(frozen=True)
class ChainDocument:
    """One publication of a chain, with its place in time."""

    identifier: str
    iri: str
    in_corpus: bool  # False: a stub, known only because something cites or answers it
    kind: str  # "answer", "questions", "notice" or "stub"
    ingezonden: dt.date | None
    ontvangen: dt.date | None
    date: dt.date | None  # where it stands on the time line
    date_basis: str  # "ontvangen", "ingezonden", "identifier", "placed" or "none"
    date_note: str  # how the date was found, for people
    askers: tuple[Asker, ...]
    onderwerp: str | None
    dagen: int | None  # answer time in days (notice time for a notice)
    late: bool | None = None  # kv:termijnOverschreden, where the graph says
    context: bool = False  # cited by the chain, not part of it (a Kamerstuk, a Staatsblad)

    @property
    def estimated(self) -> bool:
        return self.date_basis in ("identifier", "placed", "none")

    @property
    def parties(self) -> tuple[str, ...]:
        return tuple(sorted({a.fractie for a in self.askers if a.fractie}))

    @property
    def url(self) -> str:
        """The publication's official page; a document without an official
        identifier has none, so its own IRI stands in."""
        if self.iri.startswith(PUBLICATION_BASE):
            return f"{PUBLICATION_BASE}{self.identifier}.html"
        return self.iri


@dataclass(frozen=True)
class ChainEdge:
    source: str  # identifiers
    target: str
    kind: str  # CITES, ANSWERED_IN or DELAYS


@dataclass(frozen=True)
class Chain:
    number: int
    documents: tuple[ChainDocument, ...]  # in time order: the chain's publications and its context
    edges: tuple[ChainEdge, ...]
    slug: str = ""  # the name of its page (chains/<slug>.html): its first publication's identifier

    def __len__(self) -> int:
        """The publications of the chain, its context left out."""
        return len(self.members)

    @property
    def members(self) -> tuple[ChainDocument, ...]:
        return tuple(d for d in self.documents if not d.context)

    @property
    def context_documents(self) -> tuple[ChainDocument, ...]:
        return tuple(d for d in self.documents if d.context)

    @property
    def start(self) -> dt.date | None:
        """Earliest date printed in the chain's publications (estimates left out)."""
        dates = [d for doc in self.members for d in (doc.ingezonden, doc.ontvangen) if d]
        return min(dates) if dates else None

    @property
    def end(self) -> dt.date | None:
        dates = [d for doc in self.members for d in (doc.ingezonden, doc.ontvangen) if d]
        return max(dates) if dates else None

    @property
    def askers(self) -> tuple[Asker, ...]:
        return tuple(sorted({a for d in self.members for a in d.askers}, key=lambda a: (a.achternaam, a.fractie or "")))

    @property
    def subjects(self) -> tuple[str, ...]:
        seen: list[str] = []
        for d in self.members:
            if d.onderwerp and d.onderwerp not in seen:
                seen.append(d.onderwerp)
        return tuple(seen)


# -------------------------------------------------------------------- palette


@dataclass(frozen=True)
class Palette:
    """Party colours (``kg/chains_palette.csv``)."""

    colours: dict[str, str]  # party -> #rrggbb, in file order
    names: dict[str, str]  # normalised spelling -> party
    unknown: str

    def party(self, label: str) -> str | None:
        return self.names.get(_norm_party(label))

    def colour(self, party: str | None) -> str:
        return self.colours.get(party or "", self.unknown)


def _norm_party(label: str) -> str:
    return re.sub(r"[\s]+", "", re.sub(r"[‐-―/]", "-", label)).casefold()


@lru_cache(maxsize=1)
def palette() -> Palette:
    rows = package_rows("kg", "chains_palette.csv")
    colours: dict[str, str] = {}
    names: dict[str, str] = {}
    unknown = "#9E9E9E"
    for row in rows:
        party, colour = row["partij"].strip(), row["kleur"].strip()
        if party == "UNKNOWN":
            unknown = colour
            continue
        colours[party] = colour
        for spelling in [party, *(row["spellingen"] or "").split("|")]:
            if spelling.strip():
                names[_norm_party(spelling)] = party
    return Palette(colours, names, unknown)


@lru_cache(maxsize=1)
def question_schemes() -> tuple[str, ...]:
    """Identifier prefixes of the publications that join chains (``kg/chains_schemes.csv``)."""
    return tuple(sorted(row["prefix"].strip() for row in package_rows("kg", "chains_schemes.csv") if row["prefix"].strip()))


# -------------------------------------------------------------------- reading


def read_triples(path: Path) -> Iterator[Triple]:
    """The triples of an RDF file that chains need, as plain strings
    (IRIs, blank nodes as ``_:id``, literals by their lexical form).

    An N-Triples file is filtered line by line before parsing, so that only
    the few wanted predicates go through the parser (most of a build's
    triples are question and answer texts)."""
    import pyoxigraph as ox

    path = Path(path)
    if not path.is_file():
        raise UsageError(f"no such graph file: {path}")
    suffix = path.suffix.lower()
    formats = {".nt": ox.RdfFormat.N_TRIPLES, ".ttl": ox.RdfFormat.TURTLE, ".nq": ox.RdfFormat.N_QUADS,
               ".trig": ox.RdfFormat.TRIG, ".rdf": ox.RdfFormat.RDF_XML, ".xml": ox.RdfFormat.RDF_XML,
               ".n3": ox.RdfFormat.N3}
    if suffix not in formats:
        raise UsageError(f"cannot tell the RDF format of {path.name} (use .nt, .ttl, .nq, .trig or .rdf)")
    try:
        if suffix == ".nt":
            with path.open(encoding="utf-8") as fh:
                data = _select_ntriples(fh)
            quads: Iterable[Any] = ox.parse(data, format=ox.RdfFormat.N_TRIPLES)
        else:
            quads = ox.parse(path=str(path), format=formats[suffix])
        yield from _plain(quads)
    except (SyntaxError, ValueError, OSError) as exc:
        raise UsageError(f"cannot read graph {path}: {exc}") from exc


def _nt(term: str) -> str:
    return f"<{term}>"


# Predicates whose every triple chains need, and those needed only for some
# subjects or objects (the askers of documents, not of each question; the
# labels of the askers' parties; the documents of questions that an edge
# points at), which are picked once the first kind is known.
_DIRECT_NT = frozenset(_nt(p) for p in (*EDGE_PREDICATES, *(KV + n for n in (
    "identificatie", "ingezondenOp", "ontvangenOp", "onderwerp", "antwoordtermijnDagen", "dagenTotMededeling",
    "termijnOverschreden", "bronbestand"))))
_TYPES_NT = tuple(_nt(KV + c) for c in ("Document", "Mededeling", "Vragenpublicatie"))
_DEFERRED_NT = frozenset(_nt(p) for p in (
    KV + "gesteldDoor", KV + "achternaam", KV + "fractie", RDFS_LABEL, SKOS_PREFLABEL, KV + "heeftVraag", KV + "heeftAntwoord"))


def chain_lines(lines: Iterable[str]) -> Iterator[str]:
    """The N-Triples lines that chains may read (those ``_select_ntriples``
    keeps or considers): where none of them changes, the chains are the same."""
    rdf_type = _nt(RDF_TYPE)
    for line in lines:
        parts = line.split(" ", 2)
        if len(parts) < 3:
            continue
        p = parts[1]
        if p in _DIRECT_NT or p in _DEFERRED_NT or (p == rdf_type and parts[2].startswith(_TYPES_NT)):
            yield line


def _select_ntriples(lines: Iterable[str]) -> str:
    """The lines of an N-Triples dump that chains need, without parsing the
    rest: a build's dump is mostly question and answer texts, and a Python
    loop over parsed triples costs far more than a string split per line."""
    keep: list[str] = []
    deferred: dict[str, list[tuple[str, str, str]]] = {p: [] for p in _DEFERRED_NT}
    docs: set[str] = set()
    endpoints: set[str] = set()
    identificatie, rdf_type = _nt(KV + "identificatie"), _nt(RDF_TYPE)
    for line in lines:
        parts = line.split(" ", 2)
        if len(parts) < 3:
            continue
        s, p, rest = parts
        if p in _DIRECT_NT:
            keep.append(line)
            if p == identificatie:
                docs.add(s)
            elif p[1:-1] in EDGE_PREDICATES:
                endpoints.update((s, rest.split(" ", 1)[0]))
        elif p == rdf_type:
            if rest.startswith(_TYPES_NT):
                keep.append(line)
        elif p in deferred:
            deferred[p].append((s, rest.split(" ", 1)[0], line))

    def pick(predicate: str, subjects: set[str] | None = None, objects: set[str] | None = None) -> set[str]:
        found = set()
        for s, o, line in deferred[_nt(predicate)]:
            if (subjects is None or s in subjects) and (objects is None or o in objects):
                keep.append(line)
                found.add(o)
        return found

    askers = pick(KV + "gesteldDoor", subjects=docs)
    pick(KV + "achternaam", subjects=askers)
    parties = pick(KV + "fractie", subjects=askers)
    pick(RDFS_LABEL, subjects=parties | askers)
    pick(SKOS_PREFLABEL, subjects=parties)
    pick(KV + "heeftVraag", objects=endpoints)
    pick(KV + "heeftAntwoord", objects=endpoints)
    return "".join(ln if ln.endswith("\n") else ln + "\n" for ln in keep)


def _plain(quads: Iterable[Any]) -> Iterator[Triple]:
    import pyoxigraph as ox

    for q in quads:
        p = q.predicate.value
        if p not in _WANTED:
            continue
        s, o = q.subject, q.object
        yield (
            s.value if isinstance(s, ox.NamedNode) else f"_:{s.value}",
            p,
            f"_:{o.value}" if isinstance(o, ox.BlankNode) else o.value,
        )


def triples_of_rdflib(graph: Any) -> Iterator[Triple]:
    """The wanted triples of an rdflib Graph, as plain strings."""
    from rdflib import BNode

    for s, p, o in graph:
        if str(p) in _WANTED:
            yield (f"_:{s}" if isinstance(s, BNode) else str(s), str(p), f"_:{o}" if isinstance(o, BNode) else str(o))


# ------------------------------------------------------------ document graph


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def document_graph(triples: Iterable[Triple]):  # -> networkx.MultiDiGraph
    """A networkx MultiDiGraph over the documents linked to at least one
    other (a lone publication is in no chain): node key = identifier, node
    attributes from the graph, one edge per (source, target, kind) with the
    kind as its key."""
    import networkx as nx

    values: dict[str, dict[str, list[str]]] = {}
    edges: list[tuple[str, str, str]] = []
    part_of: dict[str, str] = {}  # question or answer IRI -> its document IRI
    for s, p, o in triples:
        kind = EDGE_PREDICATES.get(p)
        if kind is not None:
            edges.append((s, o, kind))
        elif p in (KV + "heeftVraag", KV + "heeftAntwoord"):
            part_of[o] = s
        else:
            values.setdefault(s, {}).setdefault(p, []).append(o)

    def first(node: str, p: str) -> str | None:
        vals = values.get(node, {}).get(p)
        return min(vals) if vals else None

    pal = palette()

    @cache
    def party_of(fractie: str) -> str | None:
        labels = values.get(fractie, {}).get(SKOS_PREFLABEL, []) + values.get(fractie, {}).get(RDFS_LABEL, [])
        for label in sorted(labels):
            known = pal.party(label)
            if known:
                return known
        preferred = values.get(fractie, {}).get(SKOS_PREFLABEL)
        if preferred:
            return min(preferred)
        return min(labels) if labels else None

    def identifier_of(iri: str) -> str:
        ident = first(iri, KV + "identificatie")
        if ident:
            return ident
        if iri.startswith(PUBLICATION_BASE):
            return iri[len(PUBLICATION_BASE):]
        return iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]

    @cache
    def asker_of(person: str) -> Asker:
        surname = first(person, KV + "achternaam") or first(person, RDFS_LABEL) or identifier_of(person)
        parties = sorted({party_of(f) for f in values.get(person, {}).get(KV + "fractie", ())} - {None})
        return Asker(surname, parties[0] if parties else None)

    graph = nx.MultiDiGraph()

    def add_document(iri: str) -> str:
        ident = identifier_of(iri)
        if ident in graph:
            return ident
        props = values.get(iri, {})
        in_corpus = KV + "bronbestand" in props
        types = set(props.get(RDF_TYPE, ()))
        kind = next((name for t, name in _KINDS if t in types), None) if in_corpus else "stub"
        if kind is None:
            kind = "answer" if KV + "ontvangenOp" in props else "document"
        askers = [asker_of(person) for person in props.get(KV + "gesteldDoor", ())]
        termijn = first(iri, KV + "antwoordtermijnDagen") or first(iri, KV + "dagenTotMededeling")
        late = first(iri, KV + "termijnOverschreden")
        graph.add_node(
            ident,
            iri=iri,
            in_corpus=in_corpus,
            kind=kind,
            ingezonden=_date(first(iri, KV + "ingezondenOp")),
            ontvangen=_date(first(iri, KV + "ontvangenOp")),
            askers=tuple(sorted(set(askers), key=lambda a: (a.achternaam, a.fractie or ""))),
            onderwerp=first(iri, KV + "onderwerp"),
            termijn=int(termijn) if termijn and termijn.lstrip("-").isdigit() else None,
            late={"true": True, "1": True, "false": False, "0": False}.get(late or ""),
        )
        return ident

    for s, o, kind in sorted(set(edges)):
        source, target = add_document(part_of.get(s, s)), add_document(part_of.get(o, o))
        if source != target:
            graph.add_edge(source, target, key=kind, kind=kind)
    # Which documents are questions (an Aanhangsel or question publication,
    # a notice, or any publication the build read: kg reads only questions,
    # answers and notices, whatever their identifier, such as a Word answer
    # named by its Tweede Kamer document number), and so join chains; the
    # rest are context.
    schemes = question_schemes()
    for node, attrs in graph.nodes(data=True):
        attrs["question"] = attrs["in_corpus"] or node.startswith(schemes) or attrs["kind"] in ("questions", "notice")
    for u, v, kind in graph.edges(keys=True):
        if kind != CITES:
            graph.nodes[u]["question"] = graph.nodes[v]["question"] = True
    return graph


# --------------------------------------------------------------------- chains

_VERGADERJAAR = re.compile(r"-(\d{4})(\d{4})-")
_YEAR = re.compile(r"^(?:stb|stcrt|trb|gmb|prb|wsb|bgr)-(\d{4})-|-(\d{4})[ZD]\d")


def estimate_from_identifier(identifier: str) -> tuple[dt.date, str] | None:
    """Where a publication without printed dates stands, from its identifier:
    the start of the vergaderjaar (``ah-tk-20142015-403``) or of the year
    (``kv-tk-2024Z14250``, ``stb-2024-153``); None when it names no year
    (Kamerstukken: ``kst-28828-66``)."""
    m = _VERGADERJAAR.search(identifier)
    if m and int(m.group(2)) == int(m.group(1)) + 1:
        return dt.date(int(m.group(1)), 9, 1), f"about vergaderjaar {m.group(1)}-{m.group(2)} (from the identifier)"
    m = _YEAR.search(identifier)
    if m:
        year = int(m.group(1) or m.group(2))
        return dt.date(year, 1, 1), f"about {year} (from the identifier)"
    return None


def joins(graph: Any, source: str, target: str, kind: str) -> bool:
    """Whether an edge of the document graph links two publications into
    one chain: an answer or a delay always does; a citation only between
    questions (a cited Kamerstuk is context)."""
    return kind != CITES or (graph.nodes[source]["question"] and graph.nodes[target]["question"])


def find_chains(graph: Any, min_length: int = 2) -> list[Chain]:
    """The chains of a document graph, longest first (by publications,
    context left out); ties by earliest date, then by identifier."""
    import networkx as nx

    links = nx.Graph()
    for u, v, kind in graph.edges(keys=True):
        if joins(graph, u, v, kind):
            links.add_edge(u, v)
    found: list[tuple[tuple, list[ChainDocument], list[ChainEdge]]] = []
    for component in nx.connected_components(links):
        if len(component) < max(2, min_length):
            continue
        # Every edge that leaves a publication of the chain: to another of
        # its publications (a link), or to a document it cites (context).
        # No edge enters from outside: whatever links to a question joins its chain.
        edges = list(graph.out_edges(component, keys=True))
        context = {v for _, v, _ in edges if v not in component}
        nodes = {n: graph.nodes[n] for n in sorted(component | context)}
        documents = _place_in_time(nodes, edges, context)
        order = {d.identifier: i for i, d in enumerate(documents)}
        chain_edges = sorted((ChainEdge(u, v, k) for u, v, k in edges), key=lambda e: (order[e.source], order[e.target], e.kind))
        members = [d for d in documents if not d.context]
        printed = [d for doc in members for d in (doc.ingezonden, doc.ontvangen) if d]
        key = (-len(members), min(printed) if printed else dt.date.max, members[0].identifier)
        found.append((key, documents, chain_edges))
    found.sort(key=lambda item: item[0])
    chains: list[Chain] = []
    slugs: set[str] = set()
    for i, (_, docs, chain_edges) in enumerate(found, start=1):
        first = next(d for d in docs if not d.context)
        slug = base = re.sub(r"[^A-Za-z0-9._-]+", "_", first.identifier).strip("._") or f"chain-{i}"
        k = 1
        while slug.casefold() in slugs:  # case-insensitive file systems
            k += 1
            slug = f"{base}-{k}"
        slugs.add(slug.casefold())
        chains.append(Chain(i, tuple(docs), tuple(chain_edges), slug))
    return chains


def _place_in_time(
    nodes: dict[str, dict[str, Any]], links: list[tuple[str, str, str]], context: set[str] = frozenset()
) -> list[ChainDocument]:
    """Give every document of one chain its date on the time line and sort.

    A publication stands at the date it appeared: the answer (or notice)
    received, else the questions submitted. A stub has no dates: it stands at
    the date its identifier suggests, kept before what cites it and after
    what it answers; failing that, at the start of the chain."""
    known: dict[str, dt.date] = {}
    for n, a in nodes.items():
        if a["ontvangen"] or a["ingezonden"]:
            known[n] = a["ontvangen"] or a["ingezonden"]
    before: dict[str, list[str]] = {n: [] for n in nodes}  # n -> nodes that must come before n
    for u, v, kind in links:
        first, then = (v, u) if _TARGET_FIRST[kind] else (u, v)
        before[then].append(first)
    after: dict[str, list[str]] = {n: [] for n in nodes}
    for then, firsts in before.items():
        for f in firsts:
            after[f].append(then)

    placed: dict[str, tuple[dt.date | None, str, str]] = {}
    for n, a in nodes.items():
        if n in known:
            basis = "ontvangen" if a["ontvangen"] else "ingezonden"
            placed[n] = (known[n], basis, f"{'received' if basis == 'ontvangen' else 'submitted'} {known[n].isoformat()}")
            continue
        lo = max((known[m] for m in before[n] if m in known), default=None)
        hi = min((known[m] for m in after[n] if m in known), default=None)
        estimate = estimate_from_identifier(n)
        if estimate is not None:
            date, note = estimate
            if lo and date < lo:
                date = lo
            elif hi and date > hi:
                date = hi
            placed[n] = (date, "identifier", note)
        elif lo is not None:
            placed[n] = (lo, "placed", "no date: placed after what it follows")
        else:
            placed[n] = (None, "none", "no date: placed at the start")
    starts = [d for n, (d, _, _) in placed.items() if d and n not in context]
    starts += [a["ingezonden"] for n, a in nodes.items() if a["ingezonden"] and n not in context]
    starts = starts or [d for d, _, _ in placed.values() if d]
    chain_start = min(starts) if starts else None
    documents = []
    for n, a in nodes.items():
        date, basis, note = placed[n]
        if date is None and chain_start is not None:
            date, basis = chain_start, "placed"
        dagen = a["termijn"]
        if dagen is None and a["ingezonden"] and a["ontvangen"]:
            dagen = (a["ontvangen"] - a["ingezonden"]).days
        documents.append(
            ChainDocument(
                identifier=n,
                iri=a["iri"],
                in_corpus=a["in_corpus"],
                kind=a["kind"],
                ingezonden=a["ingezonden"],
                ontvangen=a["ontvangen"],
                date=date,
                date_basis=basis,
                date_note=note,
                askers=a["askers"],
                onderwerp=a["onderwerp"],
                dagen=dagen,
                late=a["late"],
                context=n in context,
            )
        )
    # Estimated dates first at a tie: they are placed "at the latest by".
    documents.sort(key=lambda d: (d.date is None, d.date or dt.date.min, not d.estimated, d.identifier))
    return documents


def load_chains(path: Path, min_length: int = 2) -> list[Chain]:
    """The chains of a built graph file (``kamervragen.nt`` or any RDF file)."""
    return find_chains(document_graph(read_triples(path)), min_length)


# ------------------------------------------------------------------ plain data


def chains_data(chains: Sequence[Chain]) -> list[dict[str, Any]]:
    """The chains as JSON-ready data (``kg chains --format json``)."""

    def iso(d: dt.date | None) -> str | None:
        return d.isoformat() if d else None

    return [
        {
            "chain": c.number,
            "page": f"chains/{c.slug}.html",
            "length": len(c),
            "start": iso(c.start),
            "end": iso(c.end),
            "documents": [
                {
                    "identifier": d.identifier,
                    "iri": d.iri,
                    "url": d.url,
                    "in_corpus": d.in_corpus,
                    "context": d.context,
                    "kind": d.kind,
                    "date": iso(d.date),
                    "date_estimated": d.estimated,
                    "date_note": d.date_note,
                    "ingezonden": iso(d.ingezonden),
                    "ontvangen": iso(d.ontvangen),
                    "answer_days": d.dagen,
                    "late": d.late,
                    "askers": [{"achternaam": a.achternaam, "fractie": a.fractie} for a in d.askers],
                    "onderwerp": d.onderwerp,
                }
                for d in c.documents
            ],
            "edges": [{"source": e.source, "target": e.target, "kind": e.kind} for e in c.edges],
        }
        for c in chains
    ]
