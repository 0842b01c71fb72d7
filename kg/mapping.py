"""Map a Publication to triples: a pure function, no I/O, no store.

Which backend receives the triples (an rdflib Graph for validation and
tests, pyoxigraph for large dumps) is the writer's business.
"""
from __future__ import annotations

from collections.abc import Iterator
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

SOORT_IRI: dict[CitationSoort, URIRef] = {
    CitationSoort.ZIE_OOK: KV.SoortZieOok,
    CitationSoort.VOETNOOT: KV.SoortVoetnoot,
    CitationSoort.LOPENDE_TEKST: KV.SoortLopendeTekst,
    CitationSoort.KOP: KV.SoortKop,
    CitationSoort.TOELICHTING: KV.SoortToelichting,
}
KAMER_IRI: dict[Kamer, URIRef] = {Kamer.TWEEDE_KAMER: KV.TweedeKamer, Kamer.EERSTE_KAMER: KV.EersteKamer}
_TRUE = Literal(True)


def _int(n: int) -> Literal:
    return Literal(n, datatype=XSD.integer)


def _str(s: str) -> Literal:
    return Literal(s)


def _office(iri: URIRef, office: Office, iris: IriMinter) -> Iterator[Triple]:
    yield iri, RDF.type, KV.Ambt
    yield iri, RDFS.label, _str(office.label)
    yield iri, KV.titel, _str(office.titel)
    yield iri, KV.portefeuille, _str(office.portefeuille)
    if office.voorzetsel == "voor":
        yield iri, KV.zonderPortefeuille, _TRUE
    if office.ministerie:
        m = iris.ministerie(office.ministerie)
        yield iri, KV.ministerie, m
        yield m, RDF.type, KV.Ministerie
        yield m, RDFS.label, _str(f"Ministerie van {office.ministerie}")


def publication_triples(pub: Publication, iris: IriMinter) -> Iterator[Triple]:
    """All triples of one publication, including the people, parties and
    offices it names and stubs for the publications it cites."""
    doc = iris.publication(pub.identifier)
    pid = pub.identifier
    yield doc, RDF.type, KV.Document
    if pub.soort in (DocumentSoort.MEDEDELING, DocumentSoort.UITSTELBRIEF):
        yield doc, RDF.type, KV.Mededeling
    elif pub.soort == DocumentSoort.VRAGEN:
        yield doc, RDF.type, KV.Vragenpublicatie
    yield doc, RDFS.label, _str(pid)
    yield doc, KV.identificatie, _str(pid)
    if pub.kamer is not None:
        yield doc, KV.kamer, KAMER_IRI[pub.kamer]
    if pub.vergaderjaar:
        yield doc, KV.vergaderjaar, _str(pub.vergaderjaar)
    if pub.nummer is not None:
        yield doc, KV.nummer, _int(pub.nummer)
    if pub.zaaknummer:
        yield doc, KV.zaaknummer, _str(pub.zaaknummer)
    if pub.onderwerp:
        yield doc, KV.onderwerp, _str(pub.onderwerp)
    if pub.ingezonden:
        yield doc, KV.ingezondenOp, Literal(pub.ingezonden, datatype=XSD.date)
    if pub.ontvangen:
        yield doc, KV.ontvangenOp, Literal(pub.ontvangen, datatype=XSD.date)
    if pub.mondeling:
        yield doc, KV.mondeling, _TRUE
    if pub.mededeling:
        yield doc, KV.mededelingstekst, Literal(pub.mededeling, lang="nl")
    if pub.toelichting:
        yield doc, KV.toelichting, Literal(pub.toelichting, lang="nl")
    if pub.truncated:
        yield doc, KV.onvolledig, _TRUE
    yield doc, KV.bronbestand, _str(pub.source_path.name)
    yield doc, KV.bronformaat, _str(pub.source_format)
    yield doc, KV.sha256, _str(pub.source_sha256)
    for w in pub.warnings:
        yield doc, KV.waarschuwing, _str(w)

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
        yield doc, KV.gesteldDoor, k
        yield k, RDF.type, KV.Kamerlid
        yield k, KV.achternaam, _str(surname)
        if person.voornaam:
            yield k, KV.voornaam, _str(person.voornaam)
        yield k, RDFS.label, _str(surname)
        if person.tk_persoon_id:
            yield k, KV.tkPersoonId, _str(person.tk_persoon_id)
        if person.medeindiener:
            yield doc, KV.medeIngediendDoor, k
        if person.fractie:
            f = iris.fractie(person.fractie)
            ms = iris.lidmaatschap(key, person.fractie)
            # Typed kv:Lidmaatschap by the link stage, which adds the dates
            # seen across the build.
            yield k, KV.lidmaatschap, ms
            yield ms, KV.lidVan, f
            yield f, RDF.type, KV.Fractie
            yield f, RDFS.label, _str(person.fractie)
    for person in pub.gericht_aan_personen:
        # Addressed to a person (a zaak's GerichtAan); the office at that
        # date is added by the link stage where the terms of office give it.
        b = iris.bewindspersoon(person.achternaam, person.initialen)
        surname = display_surname(person.achternaam)
        yield doc, KV.gerichtAanPersoon, b
        yield b, RDF.type, KV.Bewindspersoon
        yield b, KV.achternaam, _str(surname)
        yield b, RDFS.label, _str(surname)
    if pub.tk_zaak_id:
        zaak = URIRef(f"{TK_ODATA}Zaak({pub.tk_zaak_id})")
        yield doc, KV.tkZaak, zaak
        yield doc, PROV.wasDerivedFrom, zaak
        yield doc, PROV.hadPrimarySource, URIRef(TK_OPEN_DATA)
    for office in pub.gericht_aan:
        a = iris.ambt(office.label)
        yield doc, KV.gerichtAan, a
        yield from _office(a, office, iris)
    answerers = []
    # A delay notice answers nothing: who signed it sent a notice.
    signed = KV.medegedeeldDoor if pub.soort in (DocumentSoort.MEDEDELING, DocumentSoort.UITSTELBRIEF) else KV.beantwoordDoor
    for person in pub.beantwoord_door:
        b = iris.bewindspersoon(person.achternaam)
        answerers.append(b)
        yield doc, signed, b
        yield b, RDF.type, KV.Bewindspersoon
        surname = display_surname(person.achternaam)
        yield b, KV.achternaam, _str(surname)
        yield b, RDFS.label, _str(f"{person.office.titel} {surname}" if person.office else surname)
        if person.office:
            a = iris.ambt(person.office.label)
            yield b, KV.functie, a
            yield from _office(a, person.office, iris)
    for office in pub.mede_namens:
        a = iris.ambt(office.label)
        yield doc, KV.medeNamens, a
        yield from _office(a, office, iris)

    for v in pub.vragen:
        q = iris.vraag(pid, v.nummer)
        yield doc, KV.heeftVraag, q
        yield q, RDF.type, KV.Vraag
        yield q, KV.nummer, _int(v.nummer)
        if v.tekst:
            yield q, KV.tekst, Literal(v.tekst, lang="nl")
        if v.kop:
            yield q, KV.kop, _str(_heading("Vraag", v.kop))
        if v.tekst_gedeeld:
            yield q, KV.tekstGedeeld, _TRUE
        for k in askers:
            yield q, KV.gesteldDoor, k
    vraag_numbers = {v.nummer for v in pub.vragen}
    for a in pub.antwoorden:
        ans = iris.antwoord(pid, a.volgnummer)
        yield doc, KV.heeftAntwoord, ans
        yield ans, RDF.type, KV.Antwoord
        yield ans, KV.volgnummer, _int(a.volgnummer)
        yield ans, KV.kop, _str(_heading("Antwoord", a.vragen))
        if a.tekst:
            yield ans, KV.tekst, Literal(a.tekst, lang="nl")
        for n in a.vragen:
            if n in vraag_numbers:
                yield ans, KV.beantwoordt, iris.vraag(pid, n)
        if a.afgeleid:
            yield ans, KV.vragenAfgeleid, _TRUE
        for b in answerers:
            yield ans, KV.beantwoordDoor, b

    def located(loc: Location) -> URIRef:
        if loc.kind == "vraag" and loc.nummer is not None:
            return iris.vraag(pid, loc.nummer)
        if loc.kind == "antwoord" and loc.nummer is not None:
            return iris.antwoord(pid, loc.nummer)
        return doc

    for f in pub.footnotes:
        fn = iris.voetnoot(pid, f.number)
        yield located(f.location), KV.heeftVoetnoot, fn
        yield fn, RDF.type, KV.Voetnoot
        yield fn, KV.volgnummer, _int(f.number)
        yield fn, KV.voetnoottekst, _str(f.text)

    cited: list[str] = []
    for i, c in enumerate(pub.citations, start=1):
        r = iris.verwijzing(pid, i)
        target = iris.publication(c.identifier)
        yield r, RDF.type, KV.Verwijzing
        yield r, KV.volgnummer, _int(i)
        yield r, KV.bron, located(c.location)
        yield r, KV.doel, target
        yield r, KV.citaat, _str(c.citaat)
        yield r, KV.soort, SOORT_IRI[c.soort]
        if c.footnote is not None:
            yield r, KV.inVoetnoot, iris.voetnoot(pid, c.footnote)
        if c.corrected_from:
            yield r, KV.gecorrigeerdVan, _str(c.corrected_from)
        if c.identifier not in cited:
            cited.append(c.identifier)
    for identifier in cited:
        target = iris.publication(identifier)
        yield doc, KV.verwijstNaar, target
        yield target, RDF.type, KV.Document
        yield target, KV.identificatie, _str(identifier)

    for link in pub.links:
        if _is_web_iri(link.url):
            yield located(link.location), RDFS.seeAlso, URIRef(link.url)


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
        text = '"' + str(term).replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"').replace("\r", "\\r") + '"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype:
            return f"{text}^^<{term.datatype}>"
        return text
    return term.n3()  # IRIs (checked by rdflib) and blank nodes


def publication_lines(pub: Publication, iris: IriMinter) -> list[str]:
    """One publication as sorted unique N-Triples lines (no newline): the
    build's fast path, the same triples as ``publication_graph``."""
    cache: dict[Node, str] = {}

    def nt(term: Node) -> str:
        text = cache.get(term)
        if text is None:
            text = cache[term] = term_nt(term)
        return text

    return sorted({f"{nt(s)} {nt(p)} {nt(o)} ." for s, p, o in publication_triples(pub, iris)})


def publication_graph(pub: Publication, iris: IriMinter) -> Graph:
    """One publication as its own small rdflib graph (for validation, tests)."""
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    for t in publication_triples(pub, iris):
        g.add(t)
    return g


__all__ = ["publication_triples", "publication_graph", "publication_lines", "term_nt", "Triple"]
