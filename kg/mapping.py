"""Map a Publication to triples: a pure function, no I/O, no store.

One emitter (``_emit``) says what the triples are; a ``_Terms`` spells
them: as rdflib nodes for a Graph (``publication_triples``, for validation,
tests and the plain reference path), or straight as N-Triples text
(``publication_lines``, the build's fast path: no rdflib object per term).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, Callable
from urllib.parse import urlsplit

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from kg.iris import IriMinter, display_surname, kamerlid_provisional_key
from kg.model import CitationSoort, DocumentSoort, Kamer, Location, Office, Publication
from kg.vocab import KV, PREFIXES, PROV, RDF, RDFS, XSD

# The Tweede Kamer's open data (OData v4), whose Zaak entities a structured
# publication is made from.
TK_ODATA = "https://gegevensmagazijn.tweedekamer.nl/OData/v4/2.0/"
TK_OPEN_DATA = "https://opendata.tweedekamer.nl/"

Triple = tuple[Node, Node, Node]

SOORT_TERM: dict[CitationSoort, str] = {
    CitationSoort.ZIE_OOK: "SoortZieOok",
    CitationSoort.VOETNOOT: "SoortVoetnoot",
    CitationSoort.LOPENDE_TEKST: "SoortLopendeTekst",
    CitationSoort.KOP: "SoortKop",
    CitationSoort.TOELICHTING: "SoortToelichting",
}
KAMER_TERM: dict[Kamer, str] = {Kamer.TWEEDE_KAMER: "TweedeKamer", Kamer.EERSTE_KAMER: "EersteKamer"}
SOORT_IRI: dict[CitationSoort, URIRef] = {k: KV[v] for k, v in SOORT_TERM.items()}
KAMER_IRI: dict[Kamer, URIRef] = {k: KV[v] for k, v in KAMER_TERM.items()}


class _Vocab:
    """The kv: terms as one backend spells them (``kv.Vraag``, ``kv["Vraag"]``),
    each made once: rdflib's Namespace makes a new URIRef on every access."""

    def __init__(self, spell: Callable[[URIRef], Any]) -> None:
        self._spell = spell

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        term = self._spell(KV[name])
        setattr(self, name, term)
        return term

    def __getitem__(self, name: str) -> Any:
        return getattr(self, name)


@dataclass(frozen=True)
class _Terms:
    """How the emitter's terms are spelled (the IRIs that IriMinter mints
    are spelled by the minter the emitter is given)."""

    kv: _Vocab
    rdf_type: Any
    rdfs_label: Any
    rdfs_seeAlso: Any
    prov_wasDerivedFrom: Any
    prov_hadPrimarySource: Any
    true: Any
    iri: Callable[[str], URIRef]
    string: Callable[[str], Any]
    nl: Callable[[str], Any]  # text in Dutch
    integer: Callable[[int], Any]
    date: Callable[[Any], Any]


def _rdflib_terms() -> _Terms:
    global _RDFLIB
    if _RDFLIB is None:
        _RDFLIB = _Terms(
            kv=_Vocab(lambda term: term),
            rdf_type=RDF.type, rdfs_label=RDFS.label, rdfs_seeAlso=RDFS.seeAlso,
            prov_wasDerivedFrom=PROV.wasDerivedFrom, prov_hadPrimarySource=PROV.hadPrimarySource,
            true=Literal(True),
            iri=lambda value: value if type(value) is URIRef else URIRef(value),
            string=Literal,
            nl=lambda text: Literal(text, lang="nl"),
            integer=lambda n: Literal(n, datatype=XSD.integer),
            date=lambda d: Literal(d, datatype=XSD.date),
        )
    return _RDFLIB


# --- N-Triples, spelled exactly as rdflib's N-Triples writer spells these
# terms (tests/test_build_reference.py compares the two).
_INVALID_IRI = re.compile(r'[<>" {}|\\^`]')  # rdflib.term._invalid_uri_chars
_XSD_INTEGER = f"^^<{XSD.integer}>"
_XSD_DATE = f"^^<{XSD.date}>"


def _nt_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"').replace("\r", "\\r") + '"'


def _nt_iri(value: str) -> str:
    if _INVALID_IRI.search(value):
        # What URIRef.n3() raises: the file fails with this reason, as before.
        raise Exception(
            f'"{value}" does not look like a valid URI, I cannot serialize this as N3/Turtle. Perhaps you wanted to urlencode it?'
        )
    return f"<{value}>"


class _NtMinter(IriMinter):
    """IriMinter whose IRIs come spelled as N-Triples ("<...>"), for the
    emitter's N-Triples backend: no URIRef made only to be spelled."""

    _iri = staticmethod(_nt_iri)


_NT_MINTERS: dict[str, _NtMinter] = {}


def _nt_minter(iris: IriMinter) -> _NtMinter:
    minter = _NT_MINTERS.get(iris.base)
    if minter is None:
        minter = _NT_MINTERS[iris.base] = _NtMinter(iris.base)
    return minter


def _nt_terms() -> _Terms:
    global _NT
    if _NT is None:
        _NT = _Terms(
            kv=_Vocab(_nt_iri),
            rdf_type=_nt_iri(RDF.type), rdfs_label=_nt_iri(RDFS.label), rdfs_seeAlso=_nt_iri(RDFS.seeAlso),
            prov_wasDerivedFrom=_nt_iri(PROV.wasDerivedFrom), prov_hadPrimarySource=_nt_iri(PROV.hadPrimarySource),
            true=f'"true"^^<{XSD.boolean}>',
            iri=_nt_iri,
            string=_nt_string,
            nl=lambda text: _nt_string(text) + "@nl",
            integer=lambda n: f'"{n}"{_XSD_INTEGER}',
            date=lambda d: f'"{d.isoformat()}"{_XSD_DATE}',
        )
    return _NT


_RDFLIB: _Terms | None = None
_NT: _Terms | None = None


def _office(iri: URIRef, office: Office, iris: IriMinter, t: _Terms) -> Iterator[tuple]:
    kv, string = t.kv, t.string
    yield iri, t.rdf_type, kv.Ambt
    yield iri, t.rdfs_label, string(office.label)
    yield iri, kv.titel, string(office.titel)
    yield iri, kv.portefeuille, string(office.portefeuille)
    if office.voorzetsel == "voor":
        yield iri, kv.zonderPortefeuille, t.true
    if office.ministerie:
        m = iris.ministerie(office.ministerie)
        yield iri, kv.ministerie, m
        yield m, t.rdf_type, kv.Ministerie
        yield m, t.rdfs_label, string(f"Ministerie van {office.ministerie}")


def publication_triples(pub: Publication, iris: IriMinter) -> Iterator[Triple]:
    """All triples of one publication, including the people, parties and
    offices it names and stubs for the publications it cites."""
    return _emit(pub, iris, _rdflib_terms())


def _emit(pub: Publication, iris: IriMinter, t: _Terms) -> Iterator[tuple]:
    """The triples of one publication, spelled by ``t`` (see _Terms)."""
    kv, iri, string = t.kv, t.iri, t.string
    typ, label = t.rdf_type, t.rdfs_label
    doc = iris.publication(pub.identifier)
    pid = pub.identifier
    yield doc, typ, kv.Document
    if pub.soort in (DocumentSoort.MEDEDELING, DocumentSoort.UITSTELBRIEF):
        yield doc, typ, kv.Mededeling
    elif pub.soort == DocumentSoort.VRAGEN:
        yield doc, typ, kv.Vragenpublicatie
    yield doc, label, string(pid)
    yield doc, kv.identificatie, string(pid)
    if pub.kamer is not None:
        yield doc, kv.kamer, kv[KAMER_TERM[pub.kamer]]
    if pub.vergaderjaar:
        yield doc, kv.vergaderjaar, string(pub.vergaderjaar)
    if pub.nummer is not None:
        yield doc, kv.nummer, t.integer(pub.nummer)
    if pub.zaaknummer:
        yield doc, kv.zaaknummer, string(pub.zaaknummer)
    if pub.onderwerp:
        yield doc, kv.onderwerp, string(pub.onderwerp)
    if pub.ingezonden:
        yield doc, kv.ingezondenOp, t.date(pub.ingezonden)
    if pub.ontvangen:
        yield doc, kv.ontvangenOp, t.date(pub.ontvangen)
    if pub.mondeling:
        yield doc, kv.mondeling, t.true
    if pub.mededeling:
        yield doc, kv.mededelingstekst, t.nl(pub.mededeling)
    if pub.toelichting:
        yield doc, kv.toelichting, t.nl(pub.toelichting)
    if pub.truncated:
        yield doc, kv.onvolledig, t.true
    yield doc, kv.bronbestand, string(pub.source_path.name)
    yield doc, kv.bronformaat, string(pub.source_format)
    yield doc, kv.sha256, string(pub.source_sha256)
    for w in pub.warnings:
        yield doc, kv.waarschuwing, string(w)

    askers = []
    for person in pub.vragenstellers:
        # A provisional node per printed name; the link stage renames it to
        # the person's stable IRI. The party as printed is a membership of
        # this member (kv:Lidmaatschap), not a property of the person, so that
        # a member who changed party has one node, one label and a party per
        # membership with its dates.
        key = kamerlid_provisional_key(person.achternaam, person.fractie, person.voornaam)
        k = iris.kamerlid_key(key)
        surname = display_surname(person.achternaam)
        askers.append(k)
        yield doc, kv.gesteldDoor, k
        yield k, typ, kv.Kamerlid
        yield k, kv.achternaam, string(surname)
        if person.voornaam:
            yield k, kv.voornaam, string(person.voornaam)
        yield k, label, string(surname)
        if person.tk_persoon_id:
            yield k, kv.tkPersoonId, string(person.tk_persoon_id)
        if person.medeindiener:
            yield doc, kv.medeIngediendDoor, k
        if person.fractie:
            f = iris.fractie(person.fractie)
            ms = iris.lidmaatschap(key, person.fractie)
            # Typed kv:Lidmaatschap by the link stage, which adds the dates
            # seen across the build.
            yield k, kv.lidmaatschap, ms
            yield ms, kv.lidVan, f
            yield f, typ, kv.Fractie
            yield f, label, string(person.fractie)
    for person in pub.gericht_aan_personen:
        # Addressed to a person (a zaak's GerichtAan); the office at that
        # date is added by the link stage where the terms of office give it.
        b = iris.bewindspersoon(person.achternaam, person.initialen)
        surname = display_surname(person.achternaam)
        yield doc, kv.gerichtAanPersoon, b
        yield b, typ, kv.Bewindspersoon
        yield b, kv.achternaam, string(surname)
        yield b, label, string(surname)
    if pub.tk_zaak_id:
        zaak = iri(f"{TK_ODATA}Zaak({pub.tk_zaak_id})")
        yield doc, kv.tkZaak, zaak
        yield doc, t.prov_wasDerivedFrom, zaak
        yield doc, t.prov_hadPrimarySource, iri(TK_OPEN_DATA)
    for office in pub.gericht_aan:
        a = iris.ambt(office.label)
        yield doc, kv.gerichtAan, a
        yield from _office(a, office, iris, t)
    answerers = []
    # A delay notice answers nothing: who signed it sent a notice.
    signed = kv.medegedeeldDoor if pub.soort in (DocumentSoort.MEDEDELING, DocumentSoort.UITSTELBRIEF) else kv.beantwoordDoor
    for person in pub.beantwoord_door:
        b = iris.bewindspersoon(person.achternaam)
        answerers.append(b)
        yield doc, signed, b
        yield b, typ, kv.Bewindspersoon
        surname = display_surname(person.achternaam)
        yield b, kv.achternaam, string(surname)
        yield b, label, string(f"{person.office.titel} {surname}" if person.office else surname)
        if person.office:
            a = iris.ambt(person.office.label)
            yield b, kv.functie, a
            yield from _office(a, person.office, iris, t)
    for office in pub.mede_namens:
        a = iris.ambt(office.label)
        yield doc, kv.medeNamens, a
        yield from _office(a, office, iris, t)

    for v in pub.vragen:
        q = iris.vraag(pid, v.nummer)
        yield doc, kv.heeftVraag, q
        yield q, typ, kv.Vraag
        yield q, kv.nummer, t.integer(v.nummer)
        if v.tekst:
            yield q, kv.tekst, t.nl(v.tekst)
        if v.kop:
            yield q, kv.kop, string(_heading("Vraag", v.kop))
        if v.tekst_gedeeld:
            yield q, kv.tekstGedeeld, t.true
        for k in askers:
            yield q, kv.gesteldDoor, k
    vraag_numbers = {v.nummer for v in pub.vragen}
    for a in pub.antwoorden:
        ans = iris.antwoord(pid, a.volgnummer)
        yield doc, kv.heeftAntwoord, ans
        yield ans, typ, kv.Antwoord
        yield ans, kv.volgnummer, t.integer(a.volgnummer)
        yield ans, kv.kop, string(_heading("Antwoord", a.vragen))
        if a.tekst:
            yield ans, kv.tekst, t.nl(a.tekst)
        for kind in a.weigeringssoorten:
            yield ans, kv.weigeringssoort, string(kind)
        for n in a.vragen:
            if n in vraag_numbers:
                yield ans, kv.beantwoordt, iris.vraag(pid, n)
        if a.afgeleid:
            yield ans, kv.vragenAfgeleid, t.true
        for b in answerers:
            yield ans, kv.beantwoordDoor, b

    def located(loc: Location):
        if loc.kind == "vraag" and loc.nummer is not None:
            return iris.vraag(pid, loc.nummer)
        if loc.kind == "antwoord" and loc.nummer is not None:
            return iris.antwoord(pid, loc.nummer)
        return doc

    for f in pub.footnotes:
        fn = iris.voetnoot(pid, f.number)
        yield located(f.location), kv.heeftVoetnoot, fn
        yield fn, typ, kv.Voetnoot
        yield fn, kv.volgnummer, t.integer(f.number)
        yield fn, kv.voetnoottekst, string(f.text)

    cited: list[str] = []
    for i, c in enumerate(pub.citations, start=1):
        r = iris.verwijzing(pid, i)
        target = iris.publication(c.identifier)
        yield r, typ, kv.Verwijzing
        yield r, kv.volgnummer, t.integer(i)
        yield r, kv.bron, located(c.location)
        yield r, kv.doel, target
        yield r, kv.citaat, string(c.citaat)
        yield r, kv.soort, kv[SOORT_TERM[c.soort]]
        if c.footnote is not None:
            yield r, kv.inVoetnoot, iris.voetnoot(pid, c.footnote)
        if c.corrected_from:
            yield r, kv.gecorrigeerdVan, string(c.corrected_from)
        if c.identifier not in cited:
            cited.append(c.identifier)
    for identifier in cited:
        target = iris.publication(identifier)
        yield doc, kv.verwijstNaar, target
        yield target, typ, kv.Document
        yield target, kv.identificatie, string(identifier)

    for link in pub.links:
        if _is_web_iri(link.url):
            yield located(link.location), t.rdfs_seeAlso, iri(link.url)


def _heading(word: str, numbers: tuple[int, ...]) -> str:
    if not numbers:
        return word
    if len(numbers) > 2 and numbers == tuple(range(numbers[0], numbers[-1] + 1)):
        return f"{word} {numbers[0]} t/m {numbers[-1]}"
    if len(numbers) == 1:
        return f"{word} {numbers[0]}"
    return f"{word} {', '.join(map(str, numbers[:-1]))} en {numbers[-1]}"


def _is_web_iri(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not any(c in url for c in ' <>"{}|\\^`')


def term_nt(term: Node) -> str:
    """One term as N-Triples, exactly as rdflib's N-Triples writer spells it
    (the reference the tests compare against), without building a Graph."""
    if isinstance(term, Literal):
        text = _nt_string(str(term))
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype:
            return f"{text}^^<{term.datatype}>"
        return text
    return term.n3()  # IRIs (checked by rdflib) and blank nodes


def publication_lines(pub: Publication, iris: IriMinter, named: set[str] | None = None) -> list[str]:
    """One publication as sorted unique N-Triples lines (no newline): the
    build's fast path, the same triples as ``publication_triples``. Where
    ``named`` is given, every IRI the lines name (as subject or object) is
    added to it, spelled as in the lines ("<...>"): the build's packing
    needs them, and reading them back out of the lines cost twice as much."""
    # Every term comes spelled: the minter's IRIs and the backend's terms.
    triples = _emit(pub, _nt_minter(iris), _nt_terms())
    if named is not None:
        triples = list(triples)
        named.update(map(itemgetter(0), triples))
        named.update(o for o in set(map(itemgetter(2), triples)) if o[0] == "<")
    return sorted({f"{s} {p} {o} ." for s, p, o in triples})


def publication_graph(pub: Publication, iris: IriMinter) -> Graph:
    """One publication as its own small rdflib graph (for validation, tests)."""
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    for t in publication_triples(pub, iris):
        g.add(t)
    return g


__all__ = ["publication_triples", "publication_graph", "publication_lines", "term_nt", "Triple"]
