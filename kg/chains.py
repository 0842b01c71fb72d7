"""Follow-up chains: publications that cite, answer or delay one another.

The built graph is read back (its N-Triples dump, or any RDF file), only the
few predicates the chains need are kept, and networkx joins the documents
through three kinds of edge:

- ``kv:verwijstNaar``: a document cites another (also a cited stub outside
  the corpus);
- ``kv:beantwoordIn``: questions published on their own are answered in an
  Aanhangsel publication;
- ``kv:meldtUitstelVan``: a delay notice about the questions it delays.

A chain is a weakly connected set of two or more publications, ordered in
time. The outputs (``chains.html`` with one inline-SVG time line per chain,
``chains.graphml`` for Gephi, ``chains.dot`` for Graphviz) are rendered from
jinja2 templates in ``kg/templates/`` and are byte-identical for the same
graph.
"""
from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from kg.errors import UsageError

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
    documents: tuple[ChainDocument, ...]  # in time order
    edges: tuple[ChainEdge, ...]

    def __len__(self) -> int:
        return len(self.documents)

    @property
    def start(self) -> dt.date | None:
        """Earliest date printed in the chain's publications (estimates left out)."""
        dates = [d for doc in self.documents for d in (doc.ingezonden, doc.ontvangen) if d]
        return min(dates) if dates else None

    @property
    def end(self) -> dt.date | None:
        dates = [d for doc in self.documents for d in (doc.ingezonden, doc.ontvangen) if d]
        return max(dates) if dates else None

    @property
    def askers(self) -> tuple[Asker, ...]:
        return tuple(sorted({a for d in self.documents for a in d.askers}, key=lambda a: (a.achternaam, a.fractie or "")))

    @property
    def subjects(self) -> tuple[str, ...]:
        seen: list[str] = []
        for d in self.documents:
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
    text = resources.files("kg").joinpath("chains_palette.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#"))
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


def find_chains(graph: Any, min_length: int = 2) -> list[Chain]:
    """The chains of a document graph, longest first; ties by earliest
    date, then by identifier."""
    import networkx as nx

    found: list[tuple[tuple, list[ChainDocument], list[ChainEdge]]] = []
    for component in nx.weakly_connected_components(graph):
        if len(component) < max(2, min_length):
            continue
        # A weak component holds every edge leaving its nodes.
        links = list(graph.out_edges(component, keys=True))
        documents = _place_in_time({n: graph.nodes[n] for n in component}, links)
        order = {d.identifier: i for i, d in enumerate(documents)}
        edges = sorted((ChainEdge(u, v, k) for u, v, k in links), key=lambda e: (order[e.source], order[e.target], e.kind))
        printed = [d for doc in documents for d in (doc.ingezonden, doc.ontvangen) if d]
        key = (-len(documents), min(printed) if printed else dt.date.max, documents[0].identifier)
        found.append((key, documents, edges))
    found.sort(key=lambda item: item[0])
    return [Chain(i, tuple(docs), tuple(edges)) for i, (_, docs, edges) in enumerate(found, start=1)]


def _place_in_time(nodes: dict[str, dict[str, Any]], links: list[tuple[str, str, str]]) -> list[ChainDocument]:
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
    starts = [d for d, _, _ in placed.values() if d]
    starts += [a["ingezonden"] for a in nodes.values() if a["ingezonden"]]
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
            "length": len(c),
            "start": iso(c.start),
            "end": iso(c.end),
            "documents": [
                {
                    "identifier": d.identifier,
                    "iri": d.iri,
                    "url": d.url,
                    "in_corpus": d.in_corpus,
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


# --------------------------------------------------------------------- layout

CARD_W, CARD_H = 232, 74  # a publication in the corpus
STUB_H = 44  # a cited stub: identifier and date only
LANE_GAP = 46  # room for the answer-time tail below a card and edge arcs above the next
MIN_GAP = 30  # between two cards in one lane (edges between them arc over the top)
STUB_GAP = 10
ZONE_GAP = 120  # between the column of earlier stubs and the time line: room for edge labels
MARGIN_X, TOP = 28, 40
AXIS_H = 40
WIDTH = 1320
PX_PER_DAY = 7
EDGE_COLOURS = {CITES: "#4a4a4a", ANSWERED_IN: "#1565c0", DELAYS: "#d35400"}
STUB_STROKE = "#7a7a7a"


def _tint(colour: str, share: float) -> str:
    """``colour`` mixed with white; a flat colour (no opacity) so DOT and
    SVG draw the same."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    mix = [round(255 - (255 - c) * share) for c in (r, g, b)]
    return "#{:02x}{:02x}{:02x}".format(*mix)


def _short(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _r(x: float) -> float:
    return round(x, 1)


def _bezier(p: Sequence[tuple[float, float]], t: float) -> tuple[float, float]:
    u = 1 - t
    w = (u**3, 3 * u * u * t, 3 * u * t * t, t**3)
    return sum(wi * pi[0] for wi, pi in zip(w, p)), sum(wi * pi[1] for wi, pi in zip(w, p))


def card_style(d: ChainDocument) -> dict[str, Any]:
    """How one publication is drawn, wherever it is: colours, the lines of
    its label, its tooltip (shared by the SVG and the DOT file)."""
    pal = palette()
    colours = [pal.colour(p) for p in d.parties] or [pal.unknown]
    main = colours[0] if len(colours) == 1 else pal.unknown
    if not d.in_corpus:
        m = _VERGADERJAAR.search(d.identifier)
        year = _YEAR.search(d.identifier)
        when = (f"vergaderjaar {m.group(1)}–{m.group(2)}" if m and d.date_basis == "identifier"
                else f"{year.group(1) or year.group(2)}" if year and d.date_basis == "identifier" else "date not printed")
        lines = [when]
    else:
        first = d.date.isoformat() if d.date else "no date"
        if d.dagen is not None:
            first += f" · {'notice after' if d.kind == 'notice' else 'answered in'} {d.dagen} d" + (" · late" if d.late else "")
        elif d.kind == "questions":
            first += " · questions"
        lines = [first, _short(", ".join(map(str, d.askers)) or "asker unknown", 31), _short(d.onderwerp or "(no subject)", 31)]
    title = "\n".join(
        filter(
            None,
            [
                d.identifier + ("" if d.in_corpus else " (cited, not in the corpus)"),
                d.onderwerp,
                ", ".join(map(str, d.askers)),
                f"submitted {d.ingezonden.isoformat()}" if d.ingezonden else None,
                f"received {d.ontvangen.isoformat()}" if d.ontvangen else None,
                None if d.in_corpus else d.date_note,
                f"{d.dagen} days" if d.dagen is not None else None,
            ],
        )
    )
    return {
        "doc": d,
        "fill": "#ffffff" if not d.in_corpus else _tint(main, 0.16),
        "stroke": STUB_STROKE if not d.in_corpus else main,
        "stripe_colours": [] if not d.in_corpus else colours,
        "label": _short(d.identifier, 28),
        "lines": lines,
        "title": title,
    }


def layout(chain: Chain) -> dict[str, Any]:
    """Positions for drawing one chain, as plain rounded numbers (the same
    SVG on every run).

    x is time over the publications' printed dates; y is a lane, chosen so
    that no two cards (nor the tails that show how long an answer took)
    overlap. Cited stubs with no printed date that stand before the time
    line (most Kamerstukken, earlier Aanhangsel numbers) are stacked in a
    column left of it, marked "earlier", so that a guessed date does not
    stretch the time line."""
    docs = chain.documents
    printed = [d for d in docs if d.in_corpus and d.date]
    dated = printed or [d for d in docs if d.date]
    t0 = min([d.date for d in dated] + [d.ingezonden for d in dated if d.ingezonden]) if dated else None
    t1 = max(d.date for d in dated) if dated else None
    zone = [d for d in docs if not d.in_corpus and (d.date is None or t0 is None or d.date <= t0) and printed]
    in_zone = {d.identifier for d in zone}
    x_left = MARGIN_X + (CARD_W + ZONE_GAP if zone else 0)
    span = (t1 - t0).days if t0 and t1 else 0
    # A short chain is not stretched over the whole width: at most a few
    # pixels a day, so that a week looks like a week in every chain.
    usable = min(WIDTH - MARGIN_X - CARD_W - x_left, max(span, 1) * PX_PER_DAY)

    def x_of(date: dt.date | None, index: int) -> float:
        if date is None or t0 is None:
            return x_left + index * (CARD_W + 24)
        if span == 0:
            return x_left
        return x_left + (date - t0).days / span * usable

    # Lanes: cards in time order, each in a free lane (no overlap, room for
    # an edge label between two cards), preferring the lane of a publication
    # it is linked to, so that a question and its answer or a follow-up sit
    # side by side on one line where time allows.
    boxes = []
    for i, d in enumerate(docs):
        if d.identifier in in_zone:
            continue
        x = x_of(d.date, i)
        tail = x_of(d.ingezonden, i) if d.in_corpus and d.ingezonden and d.date and d.ingezonden < d.date else None
        boxes.append((i, d, x, tail))
    neighbours: dict[str, set[str]] = {d.identifier: set() for d in docs}
    for e in chain.edges:
        neighbours[e.source].add(e.target)
        neighbours[e.target].add(e.source)
    lanes_end: list[float] = []
    lane_of: dict[int, int] = {}
    lane_by_id: dict[str, int] = {}
    for i, d, x, tail in sorted(boxes, key=lambda b: (b[2], b[0])):
        near = [lane_by_id[n] for n in neighbours[d.identifier] if n in lane_by_id]
        candidates = sorted(range(len(lanes_end) + 1), key=lambda ln: (min((abs(ln - m) for m in near), default=0), ln))
        for lane in candidates:
            if lane == len(lanes_end):
                lanes_end.append(float("-inf"))
            if lanes_end[lane] + MIN_GAP <= x:
                break
        lanes_end[lane], lane_of[i], lane_by_id[d.identifier] = x + CARD_W, lane, lane
    main_h = len(lanes_end) * (CARD_H + LANE_GAP) - LANE_GAP if lanes_end else 0
    zone_h = len(zone) * (STUB_H + STUB_GAP) - STUB_GAP if zone else 0
    main_top = TOP + max(0.0, (zone_h - main_h) / 2)
    zone_top = TOP + max(0.0, (main_h - zone_h) / 2)

    placed: dict[str, tuple[float, float, float]] = {}  # identifier -> x, y, card height
    for k, d in enumerate(zone):
        placed[d.identifier] = (MARGIN_X, zone_top + k * (STUB_H + STUB_GAP), STUB_H)
    tails: dict[str, float] = {}
    for i, d, x, tail in boxes:
        placed[d.identifier] = (x, main_top + lane_of[i] * (CARD_H + LANE_GAP), CARD_H if d.in_corpus else STUB_H)
        if tail is not None:
            tails[d.identifier] = tail

    nodes = []
    for d in docs:
        x, y, h = placed[d.identifier]
        card = card_style(d)
        stripes = card.pop("stripe_colours")
        nodes.append(
            card | {
                "x": _r(x),
                "y": _r(y),
                "h": h,
                "tail_x": _r(tails[d.identifier]) if d.identifier in tails else None,
                "stripes": [
                    {"y": _r(y + k * h / len(stripes)), "h": _r(h / len(stripes)), "colour": c} for k, c in enumerate(stripes)
                ],
            }
        )

    edge_paths = _route_edges(chain, placed, lane_by_id, in_zone)
    bottom = max([y + h for x, y, h in placed.values()] + [TOP])
    axis_y = bottom + 22
    ticks = _ticks(t0, t1, x_of) if t0 and t1 else []
    return {
        "width": WIDTH,
        "height": _r(axis_y + AXIS_H - 10),
        "card_w": CARD_W,
        "nodes": nodes,
        "edges": edge_paths,
        "axis_y": _r(axis_y),
        "axis_x0": _r(x_left - 10),
        "axis_x1": _r(x_left + usable + CARD_W),
        "ticks": ticks,
        "zone": {"x": MARGIN_X, "w": CARD_W, "top": _r(zone_top), "bottom": _r(zone_top + zone_h)} if zone else None,
    }


def _blocked(points: Iterable[tuple[float, float]], rects: Sequence[tuple[float, float, float, float]]) -> bool:
    return any(x0 + 2 < x < x1 - 2 and y0 + 2 < y < y1 - 2 for x, y in points for x0, y0, x1, y1 in rects)


def _route_edges(
    chain: Chain, placed: dict[str, tuple[float, float, float]], lane_by_id: dict[str, int], in_zone: set[str]
) -> list[dict[str, Any]]:
    """Paths for the edges of one chain, with their label positions.

    - two cards in one lane: an arc over the top, through the gap above
      the lane (so it never runs through the cards between them);
    - cards apart in time: an S-curve from side to side, or, where that
      would cross another card, a path along the gap above the source's
      lane that turns down beside the target (edges from one card to the
      column of earlier stubs share that path, and its label, like a bus);
    - cards in neighbouring lanes that overlap in time: a straight line
      through the gap between them; further apart, a bracket on the right.
    """
    rects = {n: (x, y, x + CARD_W, y + h) for n, (x, y, h) in placed.items()}
    out_degree: dict[str, int] = {}
    in_degree: dict[str, int] = {}
    for e in chain.edges:
        out_degree[e.source] = out_degree.get(e.source, 0) + 1
        in_degree[e.target] = in_degree.get(e.target, 0) + 1
    paths = []
    pair_count: dict[frozenset[str], int] = {}
    labelled: set[tuple] = set()
    shown: list[tuple[str, float, float]] = []
    for e in chain.edges:
        (sx, sy, sh), (tx, ty, th) = placed[e.source], placed[e.target]
        others = [r for n, r in rects.items() if n not in (e.source, e.target)]
        pair = frozenset((e.source, e.target))
        shift = 16 * pair_count.get(pair, 0)
        pair_count[pair] = pair_count.get(pair, 0) + 1
        left = tx < sx
        trunk = None
        anchor = "middle"
        if e.source in lane_by_id and lane_by_id.get(e.source) == lane_by_id.get(e.target):
            rise = 28 + shift
            p0 = (sx + (24 if left else CARD_W - 24), sy)
            p3 = (tx + (CARD_W - 24 if left else 24), ty)
            d, (lx, ly) = _cubic(p0, (p0[0], sy - rise * 4 / 3), (p3[0], ty - rise * 4 / 3), p3), (0, 0)
            lx, ly = (p0[0] + p3[0]) / 2, sy - rise - 4
        elif tx + CARD_W + 12 <= sx or sx + CARD_W + 12 <= tx:
            p0 = (sx if left else sx + CARD_W, sy + sh / 2 + shift)
            p3 = (tx + CARD_W if left else tx, ty + th / 2 + shift)
            dx = (p3[0] - p0[0]) / 2
            p1, p2 = (p0[0] + dx, p0[1]), (p3[0] - dx, p3[1])
            curve = (p0, p1, p2, p3)
            if _blocked((_bezier(curve, k / 32) for k in range(1, 32)), others):
                bus = _bus(sx, sy, tx, ty, th, left, shift, others)
                if bus is not None:
                    d, (lx, ly), trunk = bus
                    trunk = (e.source, e.kind, trunk)
            if trunk is None:
                d = _cubic(*curve)
                if e.source in in_zone or e.target in in_zone:
                    # in the gap beside the column of earlier stubs, where the edges fan out
                    gap_x = MARGIN_X + CARD_W + ZONE_GAP / 2
                    lx, ly = min((_bezier(curve, k / 64) for k in range(65)), key=lambda q: abs(q[0] - gap_x))
                else:
                    # near the many targets of one source, near the many sources of one target
                    lx, ly = _bezier(curve, 0.85 if in_degree[e.target] <= out_degree[e.source] else 0.15)
                ly -= 4
        elif abs(lane_by_id.get(e.source, -9) - lane_by_id.get(e.target, 9)) == 1:
            xm = (max(sx, tx) + min(sx, tx) + CARD_W) / 2 + shift
            p0, p3 = (xm, sy + sh if ty > sy else sy), (xm, ty if ty > sy else ty + th)
            d = f"M {_r(p0[0])} {_r(p0[1])} L {_r(p3[0])} {_r(p3[1])}"
            lx, ly, anchor = xm + 6, (p0[1] + p3[1]) / 2 + 4, "start"
        else:
            bulge = 36 + 10 * abs(ty - sy) / (CARD_H + LANE_GAP) + shift
            p0, p3 = (sx + CARD_W, sy + sh / 2 + shift / 2), (tx + CARD_W, ty + th / 2 + shift / 2)
            right = max(p0[0], p3[0]) + bulge
            d = _cubic(p0, (right, p0[1]), (right, p3[1]), p3)
            lx, ly = _bezier((p0, (right, p0[1]), (right, p3[1]), p3), 0.5)
            lx, ly, anchor = lx + 6, ly + 4, "start"
        show = trunk is None or trunk not in labelled
        if trunk is not None:
            labelled.add(trunk)
        # Two labels of one kind on top of each other say it once.
        if show and any(k == e.kind and abs(x - lx) < 40 and abs(y - ly) < 12 for k, x, y in shown):
            show = False
        if show:
            shown.append((e.kind, lx, ly))
        paths.append(
            {
                "edge": e,
                "d": d,
                "label_x": _r(lx),
                "label_y": _r(ly),
                "anchor": anchor,
                "show_label": show,
                "colour": EDGE_COLOURS[e.kind],
                "marker": "arrow-" + e.kind.replace(" ", "-"),
                "dashed": e.kind == DELAYS,
            }
        )
    return paths


def _cubic(p0: tuple[float, float], p1: tuple[float, float], p2: tuple[float, float], p3: tuple[float, float]) -> str:
    return "M {} {} C {} {}, {} {}, {} {}".format(*(_r(v) for v in (*p0, *p1, *p2, *p3)))


def _bus(
    sx: float, sy: float, tx: float, ty: float, th: float, left: bool, shift: float,
    others: Sequence[tuple[float, float, float, float]],
) -> tuple[str, tuple[float, float], tuple] | None:
    """Up from the source into the gap above its lane, along it, and down
    beside the target into its side; None when that too crosses a card."""
    yg = sy - LANE_GAP / 2 - shift / 2
    x0 = sx + 24 if left else sx + CARD_W - 24
    xt = tx + CARD_W + 22 if left else tx - 22
    xe = tx + CARD_W if left else tx
    ye = ty + th / 2
    sign = -1 if left else 1
    r = min(10.0, abs(ye - yg) / 2, abs(xt - x0) / 2)
    down = 1 if ye > yg else -1
    pts = [(xt, yg + down * k * (ye - yg) * down / 16) for k in range(1, 16)]
    pts += [(x0 + (xt - x0) * k / 16, yg) for k in range(1, 16)]
    if _blocked(pts, others):
        return None
    d = (
        f"M {_r(x0)} {_r(sy)} L {_r(x0)} {_r(yg + r)} Q {_r(x0)} {_r(yg)} {_r(x0 + sign * r)} {_r(yg)} "
        f"L {_r(xt - sign * r)} {_r(yg)} Q {_r(xt)} {_r(yg)} {_r(xt)} {_r(yg + down * r)} "
        f"L {_r(xt)} {_r(ye - down * r)} Q {_r(xt)} {_r(ye)} {_r(xe)} {_r(ye)}"
    )
    label = (xt - sign * 44, yg - 4)
    return d, label, (_r(yg), _r(xt))


def _ticks(t0: dt.date, t1: dt.date, x_of: Any) -> list[dict[str, Any]]:
    """Month or year ticks, at most about a dozen."""
    months = (t1.year - t0.year) * 12 + t1.month - t0.month + 1
    step = next((s for s in (1, 2, 3, 6, 12, 24, 60, 120) if months / s <= 12), 240)
    ticks = []
    y, m = t0.year, t0.month
    if step >= 12:
        y, m = t0.year + 1 if t0.month > 1 or t0.day > 1 else t0.year, 1
        y -= y % (step // 12) if step > 12 else 0
    while (y, m) <= (t1.year, t1.month):
        d = dt.date(y, m, 1)
        if d >= t0:
            ticks.append({"x": _r(x_of(d, 0)), "label": str(y) if step >= 12 else f"{y}-{m:02d}"})
        m += step
        while m > 12:
            m -= 12
            y += 1
    if not ticks:
        ticks.append({"x": _r(x_of(t0, 0)), "label": t0.isoformat()})
    return ticks


# -------------------------------------------------------------------- outputs


def _environment():  # -> jinja2.Environment
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("kg", "templates"),
        autoescape=lambda name: bool(name) and not name.endswith((".dot.j2", ".txt.j2")),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["dot"] = dot_quote
    env.filters["short"] = _short
    return env


def dot_quote(value: Any) -> str:
    """A DOT double-quoted string: backslash and quote escaped, line breaks
    as DOT's centred ``\\n``."""
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return '"' + text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n") + '"'


def _legend(chains: Sequence[Chain]) -> list[dict[str, str]]:
    pal = palette()
    present = {p for c in chains for d in c.documents for p in d.parties}
    entries = [{"name": p, "colour": pal.colours[p]} for p in pal.colours if p in present]
    entries += [{"name": p, "colour": pal.unknown} for p in sorted(present - set(pal.colours))]
    return entries


# chains.html draws the longest chains only: a page of thousands of time
# lines helps no one (chains.graphml and chains.dot hold them all).
MAX_DRAWN = 200


def _context(chains: Sequence[Chain], source: str, max_drawn: int = MAX_DRAWN) -> dict[str, Any]:
    docs = [d for c in chains for d in c.documents]
    drawn = chains[:max_drawn]
    return {
        "chains": [{"chain": c, "layout": layout(c)} for c in drawn],
        "n_chains": len(chains),
        "n_more": len(chains) - len(drawn),
        "source": source,
        "n_documents": len(docs),
        "n_corpus": sum(d.in_corpus for d in docs),
        "n_stubs": sum(not d.in_corpus for d in docs),
        "legend": _legend(drawn),
        "unknown_colour": palette().unknown,
        "palette_colour": palette().colour,
        "stub_stroke": STUB_STROKE,
        "edge_colours": EDGE_COLOURS,
        "edge_kinds": [CITES, ANSWERED_IN, DELAYS],
    }


def render_html(chains: Sequence[Chain], source: str = "", max_drawn: int = MAX_DRAWN) -> str:
    """chains.html: the legend, a table of the chains, one time line per chain."""
    return _environment().get_template("chains.html.j2").render(**_context(chains, source, max_drawn))


def render_dot(chains: Sequence[Chain]) -> str:
    """chains.dot: every chain as a cluster, styled as on the page."""
    items = [
        {
            "chain": c,
            "nodes": [card_style(d) for d in c.documents],
            "edges": [{"edge": e, "colour": EDGE_COLOURS[e.kind], "dashed": e.kind == DELAYS} for e in c.edges],
        }
        for c in chains
    ]
    return _environment().get_template("chains.dot.j2").render(chains=items)


def render_table(chains: Sequence[Chain]) -> str:
    """The text listing of ``kg chains``."""
    return _environment().get_template("chains_table.txt.j2").render(chains=chains)


def chains_networkx(chains: Sequence[Chain]):  # -> networkx.MultiDiGraph
    """The chains as one networkx graph with plain attributes (for GraphML)."""
    import networkx as nx

    pal = palette()
    g = nx.MultiDiGraph()
    for c in chains:
        for d in c.documents:
            parties = d.parties
            attrs: dict[str, Any] = {
                "identifier": d.identifier,
                "label": d.identifier,
                "chain": c.number,
                "date": d.date.isoformat() if d.date else "",
                "date_estimated": d.estimated,
                "party": parties[0] if len(parties) == 1 else "; ".join(parties),
                "askers": "; ".join(map(str, d.askers)),
                "subject": d.onderwerp or "",
                "in_corpus": d.in_corpus,
                "kind": d.kind,
                "url": d.url,
                "color": pal.colour(parties[0]) if len(parties) == 1 else pal.unknown,
            }
            if d.ingezonden:
                attrs["ingezonden"] = d.ingezonden.isoformat()
            if d.ontvangen:
                attrs["ontvangen"] = d.ontvangen.isoformat()
            if d.dagen is not None:
                attrs["answer_days"] = d.dagen
            g.add_node(d.identifier, **attrs)
        for e in c.edges:
            g.add_edge(e.source, e.target, key=e.kind, kind=e.kind, label=e.kind)
    return g


def write_chain_outputs(chains: Sequence[Chain], out_dir: Path, source: str = "", max_drawn: int = MAX_DRAWN) -> list[Path]:
    """Write chains.html, chains.graphml and chains.dot into ``out_dir``."""
    import networkx as nx

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / "chains.html", out_dir / "chains.graphml", out_dir / "chains.dot"]
    paths[0].write_text(render_html(chains, source, max_drawn), encoding="utf-8")
    nx.write_graphml(chains_networkx(chains), paths[1], encoding="utf-8", prettyprint=True)
    paths[2].write_text(render_dot(chains), encoding="utf-8")
    return paths


def write_build_chains(out_dir: Path, graph_file: str = "kamervragen.nt") -> list[Chain]:
    """The chains of a build just written to ``out_dir``, written beside it."""
    chains = load_chains(Path(out_dir) / graph_file)
    write_chain_outputs(chains, out_dir, graph_file)
    return chains
