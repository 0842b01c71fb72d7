"""Named queries: the registry, safe parameters, formats, and every query's
answers — on a small hand-written graph that has the terms other linkers add
(kv:antwoordtermijnDagen, kv:termijnOverschreden, kv:ministerie,
kv:beantwoordIn, kv:volgtOp) and the parser's kv:weigeringssoort, and on the
corpus build, checked against facts read by hand from the publications."""
from __future__ import annotations

import csv
import io
import json
import re
import statistics
from decimal import Decimal
from math import ceil
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal

from kg import query as q
from kg.build import build
from kg.errors import QueryError, QuerySetupError

NAMES = sorted(q.named_queries())

# ---------------------------------------------------------------- the mini graph
#
# Hand-written; the expected answers below were worked out on paper from it.
# Ministry Justitie en Veiligheid (JV): documents 101-106 and 107 (addressed to
# JV and VWS), answer times 10, 20, 30, 30, 40, 100 and 30 days; VWS:
# 201-203 and 107 with 5, 16, 25 and 30 days.
MINI_TTL = """
@prefix kv:   <https://w3id.org/kamervragen/def#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix id:   <https://w3id.org/kamervragen/id/> .
@prefix ob:   <https://zoek.officielebekendmakingen.nl/> .

id:ministerie-jv  a kv:Ministerie ; rdfs:label "Ministerie van Justitie en Veiligheid" .
id:ministerie-vws a kv:Ministerie ; rdfs:label "Ministerie van Volksgezondheid, Welzijn en Sport" .
id:ambt-min-jv  a kv:Ambt ; rdfs:label "Minister van Justitie en Veiligheid" ; kv:ministerie id:ministerie-jv .
id:ambt-sts-jv  a kv:Ambt ; rdfs:label "Staatssecretaris van Justitie en Veiligheid" ; kv:ministerie id:ministerie-jv .
id:ambt-min-vws a kv:Ambt ; rdfs:label "Minister van Volksgezondheid, Welzijn en Sport" ; kv:ministerie id:ministerie-vws .

id:fractie-a a kv:Fractie ; rdfs:label "GL-PvdA", "GroenLinks-PvdA" ; skos:prefLabel "GroenLinks-PvdA"@nl .
id:fractie-b a kv:Fractie ; rdfs:label "SP" .
id:lid-1 a kv:Kamerlid ; rdfs:label "Eerste (GroenLinks-PvdA)" ; kv:achternaam "Eerste" ; kv:fractie id:fractie-a .
id:lid-2 a kv:Kamerlid ; rdfs:label "Tweede (SP)" ; kv:achternaam "Tweede" ; kv:fractie id:fractie-b .
id:lid-3 a kv:Kamerlid ; rdfs:label "Derde (GroenLinks-PvdA)" ; kv:achternaam "Derde" ; kv:fractie id:fractie-a .
id:lid-4 a kv:Kamerlid ; rdfs:label "Vierde (SP)" ; kv:achternaam "Vierde" ; kv:fractie id:fractie-a, id:fractie-b .
id:lid-5 a kv:Kamerlid ; rdfs:label "Vijfde (SP)" ; kv:achternaam "Vijfde" ; kv:fractie id:fractie-a, id:fractie-b ;
    kv:lidmaatschap id:ms-5a, id:ms-5b .
id:ms-5a kv:lidVan id:fractie-a ; kv:eersteVermelding "2023-01-01"^^xsd:date ; kv:laatsteVermelding "2023-12-31"^^xsd:date .
id:ms-5b kv:lidVan id:fractie-b ; kv:eersteVermelding "2024-01-01"^^xsd:date ; kv:laatsteVermelding "2024-12-31"^^xsd:date .
id:bw-1 a kv:Bewindspersoon ; rdfs:label "Minister Een" ; kv:functie id:ambt-min-jv .
id:bw-2 a kv:Bewindspersoon ; rdfs:label "Minister Twee" ; kv:functie id:ambt-min-jv .
id:bw-3 a kv:Bewindspersoon ; rdfs:label "Minister Drie" ; kv:functie id:ambt-min-vws .

ob:ah-tk-20232024-101 a kv:Document ; kv:identificatie "ah-tk-20232024-101" ; kv:bronbestand "101.txt" ;
    kv:vergaderjaar "2023-2024" ; kv:ontvangenOp "2024-02-01"^^xsd:date ;
    kv:antwoordtermijnDagen 10 ; kv:termijnOverschreden false ;
    kv:gerichtAan id:ambt-min-jv ; kv:gesteldDoor id:lid-1 ; kv:beantwoordDoor id:bw-1 ;
    kv:heeftVraag id:v-101-1, id:v-101-2 ; kv:heeftAntwoord id:a-101-1 ; kv:verwijstNaar ob:kst-1-1 .
id:v-101-1 a kv:Vraag ; kv:nummer 1 ; kv:tekst "Kent u het bericht?"@nl .
id:v-101-2 a kv:Vraag ; kv:nummer 2 ; kv:tekst "Wat gaat u doen?"@nl .
id:a-101-1 a kv:Antwoord ; kv:volgnummer 1 ; kv:beantwoordt id:v-101-1 ; kv:beantwoordDoor id:bw-1 ;
    kv:tekst "Zoals bekend kan ik geen uitspraken doen over individuele zaken."@nl ; kv:weigeringssoort "individual case" .
id:r-1 a kv:Verwijzing ; kv:bron ob:ah-tk-20232024-101 ; kv:doel ob:kst-1-1 ; kv:citaat "Kamerstuk 1, nr. 1" .

ob:ah-tk-20232024-102 a kv:Document ; kv:identificatie "ah-tk-20232024-102" ; kv:bronbestand "102.txt" ;
    kv:vergaderjaar "2023-2024" ; kv:ontvangenOp "2024-03-01"^^xsd:date ;
    kv:antwoordtermijnDagen 20 ; kv:termijnOverschreden false ;
    kv:gerichtAan id:ambt-sts-jv ; kv:gesteldDoor id:lid-1, id:lid-2 ; kv:beantwoordDoor id:bw-1 ;
    kv:heeftVraag id:v-102-1 ; kv:heeftAntwoord id:a-102-1 .
id:v-102-1 a kv:Vraag ; kv:nummer 1 ; kv:tekst "Wat is de stand van zaken?"@nl .
id:a-102-1 a kv:Antwoord ; kv:volgnummer 1 ; kv:beantwoordt id:v-102-1 ; kv:beantwoordDoor id:bw-1 ;
    kv:tekst "Ik kan, lopende het onderzoek, geen uitspraken doen over een strafzaak."@nl ; kv:weigeringssoort "ongoing investigation" .

ob:ah-tk-20232024-103 a kv:Document ; kv:identificatie "ah-tk-20232024-103" ; kv:bronbestand "103.txt" ;
    kv:vergaderjaar "2023-2024" ; kv:ingezondenOp "2024-04-01"^^xsd:date ; kv:ontvangenOp "2024-05-01"^^xsd:date ;
    kv:antwoordtermijnDagen 30 ; kv:termijnOverschreden true ;
    kv:gerichtAan id:ambt-min-jv, id:ambt-sts-jv ; kv:gesteldDoor id:lid-1, id:lid-3 ; kv:beantwoordDoor id:bw-1 ;
    kv:heeftVraag id:v-103-1 ; kv:heeftAntwoord id:a-103-1 .
id:v-103-1 a kv:Vraag ; kv:nummer 1 ; kv:tekst "Wat doet u aan de Stikstof in Brabant?"@nl .
id:a-103-1 a kv:Antwoord ; kv:volgnummer 1 ; kv:beantwoordt id:v-103-1 ; kv:beantwoordDoor id:bw-1 ; kv:tekst "Veel."@nl .

ob:ah-tk-20232024-104 a kv:Document ; kv:identificatie "ah-tk-20232024-104" ; kv:bronbestand "104.txt" ;
    kv:vergaderjaar "2023-2024" ; kv:ontvangenOp "2023-12-01"^^xsd:date ;
    kv:antwoordtermijnDagen 30 ; kv:termijnOverschreden false ;
    kv:gerichtAan id:ambt-min-jv ; kv:gesteldDoor id:lid-1, id:lid-4 ; kv:beantwoordDoor id:bw-2 ;
    kv:heeftVraag id:v-104-1 ; kv:heeftAntwoord id:a-104-1 .
id:v-104-1 a kv:Vraag ; kv:nummer 1 ; kv:tekst "Klopt dit?"@nl .
id:a-104-1 a kv:Antwoord ; kv:volgnummer 1 ; kv:beantwoordt id:v-104-1 ; kv:beantwoordDoor id:bw-2 ; kv:tekst "Ja."@nl .

ob:ah-tk-20232024-105 a kv:Document ; kv:identificatie "ah-tk-20232024-105" ; kv:bronbestand "105.txt" ;
    kv:vergaderjaar "2023-2024" ; kv:antwoordtermijnDagen 40 ; kv:termijnOverschreden true ;
    kv:gerichtAan id:ambt-min-jv ; kv:gesteldDoor id:lid-1 ;
    kv:heeftVraag id:v-105-1 ; kv:heeftAntwoord id:a-105-1 ; kv:verwijstNaar ob:kv-tk-2024Z00001 .
id:v-105-1 a kv:Vraag ; kv:nummer 1 ; kv:tekst "Herinnert u zich de eerdere vragen?"@nl .
id:a-105-1 a kv:Antwoord ; kv:volgnummer 1 ; kv:beantwoordt id:v-105-1 ; kv:tekst "Ja."@nl .
id:r-3 a kv:Verwijzing ; kv:bron id:v-105-1 ; kv:doel ob:kv-tk-2024Z00001 .
# The link stage's follow-up: 105 cites the questions kv-tk-2024Z00001, answered in 101.
ob:ah-tk-20232024-105 kv:volgtOp ob:ah-tk-20232024-101 .

ob:ah-tk-20232024-106 a kv:Document ; kv:identificatie "ah-tk-20232024-106" ; kv:bronbestand "106.txt" ;
    kv:vergaderjaar "2023-2024" ; kv:antwoordtermijnDagen 100 ; kv:termijnOverschreden true ;
    kv:gerichtAan id:ambt-sts-jv ; kv:gesteldDoor id:lid-2 ; kv:waarschuwing "grouped question headings" ;
    kv:heeftVraag id:v-106-1 ; kv:heeftAntwoord id:a-106-1 ; kv:verwijstNaar ob:kst-1-1 .
id:v-106-1 a kv:Vraag ; kv:nummer 1 ; kv:tekst "Waarom duurt het zo lang?"@nl .
id:a-106-1 a kv:Antwoord ; kv:volgnummer 1 ; kv:beantwoordt id:v-106-1 ; kv:tekst "Zie Kamerstuk 1, nr. 1."@nl .
id:r-4 a kv:Verwijzing ; kv:bron id:a-106-1 ; kv:doel ob:kst-1-1 ; kv:citaat "Kamerstuk 1, nr. 1" .

ob:ah-tk-20232024-106 kv:gerichtAanPersoon id:bw-2 .
id:afw-106 a kv:Afwijking ; kv:afwijkingVan ob:ah-tk-20232024-106 ; kv:afwijkingMet ob:kv-tk-2024Z00001 ;
    kv:afwijkingsveld "ingezonden" ; kv:gedrukt "2024-01-05" ; kv:volgensTweedeKamer "2024-01-04" .

ob:ah-tk-20232024-107 a kv:Document ; kv:identificatie "ah-tk-20232024-107" ; kv:bronbestand "107.txt" ;
    kv:vergaderjaar "2023-2024" ; kv:antwoordtermijnDagen 30 ; kv:termijnOverschreden true ;
    kv:gerichtAan id:ambt-min-jv, id:ambt-min-vws ; kv:gesteldDoor id:lid-2 ;
    kv:heeftVraag id:v-107-1 ; kv:heeftAntwoord id:a-107-1 .
id:v-107-1 a kv:Vraag ; kv:nummer 1 ; kv:tekst "Werkt u samen?"@nl .
id:a-107-1 a kv:Antwoord ; kv:volgnummer 1 ; kv:beantwoordt id:v-107-1 ; kv:tekst "Ja."@nl .

ob:ah-tk-20232024-108 a kv:Document ; kv:identificatie "ah-tk-20232024-108" ; kv:bronbestand "108.txt" ;
    kv:vergaderjaar "2023-2024" ; kv:ingezondenOp "2024-02-02"^^xsd:date ; kv:gesteldDoor id:lid-5 ;
    kv:heeftVraag id:v-108-1 ; kv:heeftAntwoord id:a-108-1 .
id:v-108-1 a kv:Vraag ; kv:nummer 1 ; kv:tekst "Nu bij een andere fractie?"@nl .
id:a-108-1 a kv:Antwoord ; kv:volgnummer 1 ; kv:beantwoordt id:v-108-1 ; kv:tekst "Ja."@nl .

ob:ah-tk-20242025-201 a kv:Document ; kv:identificatie "ah-tk-20242025-201" ; kv:bronbestand "201.txt" ;
    kv:vergaderjaar "2024-2025" ; kv:antwoordtermijnDagen 5 ; kv:termijnOverschreden false ;
    kv:gerichtAan id:ambt-min-vws ; kv:gesteldDoor id:lid-2 ; kv:beantwoordDoor id:bw-3 ;
    kv:heeftVraag id:v-201-1 ; kv:heeftAntwoord id:a-201-1 .
id:v-201-1 a kv:Vraag ; kv:nummer 1 ; kv:tekst "Wie is deze persoon?"@nl .
id:a-201-1 a kv:Antwoord ; kv:volgnummer 1 ; kv:beantwoordt id:v-201-1 ; kv:beantwoordDoor id:bw-3 ;
    kv:tekst "In verband met de privacy van de betrokken persoon kan ik daar niet op ingaan."@nl ; kv:weigeringssoort "privacy" .

ob:ah-tk-20242025-202 a kv:Document ; kv:identificatie "ah-tk-20242025-202" ; kv:bronbestand "202.txt" ;
    kv:vergaderjaar "2024-2025" ; kv:antwoordtermijnDagen 16 ; kv:termijnOverschreden false ;
    kv:gerichtAan id:ambt-min-vws ; kv:gesteldDoor id:lid-2 ;
    kv:heeftVraag id:v-202-1 ; kv:heeftAntwoord id:a-202-1 .
id:v-202-1 a kv:Vraag ; kv:nummer 1 ; kv:tekst "Hoeveel?"@nl .
id:a-202-1 a kv:Antwoord ; kv:volgnummer 1 ; kv:beantwoordt id:v-202-1 ; kv:tekst "Twaalf."@nl .

ob:ah-tk-20242025-203 a kv:Document ; kv:identificatie "ah-tk-20242025-203" ; kv:bronbestand "203.txt" ;
    kv:vergaderjaar "2024-2025" ; kv:ingezondenOp "2024-10-01"^^xsd:date ;
    kv:antwoordtermijnDagen 25 ; kv:termijnOverschreden true ;
    kv:gerichtAan id:ambt-min-vws ; kv:gesteldDoor id:lid-3 ;
    kv:heeftVraag id:v-203-1 ; kv:heeftAntwoord id:a-203-1 .
id:v-203-1 a kv:Vraag ; kv:nummer 1 ; kv:tekst "Waarom?"@nl .
id:a-203-1 a kv:Antwoord ; kv:volgnummer 1 ; kv:beantwoordt id:v-203-1 ; kv:tekst "Ja, dat klopt."@nl .

ob:ah-tk-20232024-301 a kv:Document, kv:Mededeling ; kv:identificatie "ah-tk-20232024-301" ; kv:bronbestand "301.txt" ;
    kv:vergaderjaar "2023-2024" ; kv:ontvangenOp "2024-01-10"^^xsd:date ;
    kv:gerichtAan id:ambt-sts-jv ; kv:gesteldDoor id:lid-1, id:lid-2 ; kv:heeftVraag id:v-301-1 .
id:v-301-1 a kv:Vraag ; kv:nummer 1 ; kv:tekst "En de stikstof?"@nl .
ob:ah-tk-20232024-302 a kv:Document, kv:Mededeling ; kv:identificatie "ah-tk-20232024-302" ; kv:bronbestand "302.txt" ;
    kv:ontvangenOp "2024-03-10"^^xsd:date ; kv:gerichtAan id:ambt-min-jv, id:ambt-sts-jv .
ob:ah-tk-20242025-303 a kv:Document, kv:Mededeling ; kv:identificatie "ah-tk-20242025-303" ; kv:bronbestand "303.txt" ;
    kv:ontvangenOp "2024-11-10"^^xsd:date ; kv:gerichtAan id:ambt-min-vws .

ob:kv-tk-2024Z00001 a kv:Document, kv:Vragenpublicatie ; kv:identificatie "kv-tk-2024Z00001" ; kv:bronbestand "z1.txt" ;
    kv:vergaderjaar "2023-2024" ; kv:gesteldDoor id:lid-1 ; kv:heeftVraag id:v-z1-1 ;
    kv:beantwoordIn ob:ah-tk-20232024-101 ; kv:verwijstNaar ob:kst-2-2 .
id:v-z1-1 a kv:Vraag ; kv:nummer 1 ; kv:tekst "Kent u het bericht?"@nl .
id:r-2 a kv:Verwijzing ; kv:bron id:v-z1-1 ; kv:doel ob:kst-2-2 ; kv:citaat "Kamerstuk 2, nr. 2" .
ob:kv-tk-2024Z00002 a kv:Document, kv:Vragenpublicatie ; kv:identificatie "kv-tk-2024Z00002" ; kv:bronbestand "z2.txt" ;
    kv:ingezondenOp "2024-11-01"^^xsd:date ; kv:gesteldDoor id:lid-3 ; kv:heeftVraag id:v-z2-1, id:v-z2-2 .
id:v-z2-1 a kv:Vraag ; kv:nummer 1 ; kv:tekst "Eerste vraag?"@nl .
id:v-z2-2 a kv:Vraag ; kv:nummer 2 ; kv:tekst "Tweede vraag?"@nl .

ob:kst-1-1 a kv:Document ; kv:identificatie "kst-1-1" .
ob:kst-2-2 a kv:Document ; kv:identificatie "kst-2-2" .
"""

ID = "https://w3id.org/kamervragen/id/"
D = "ah-tk-20232024-"
EERSTE, TWEEDE, DERDE = "Eerste (GroenLinks-PvdA)", "Tweede (SP)", "Derde (GroenLinks-PvdA)"
JV, VWS = "Ministerie van Justitie en Veiligheid", "Ministerie van Volksgezondheid, Welzijn en Sport"


def py(term):
    """A result term as a plain Python value, for readable expectations."""
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        return str(value) if isinstance(value, Literal) else value
    return str(term)


def answer(name: str, target, **params) -> list[tuple]:
    result = q.run(q.named_queries()[name], target, {k: str(v) for k, v in params.items()})
    return [tuple(py(t) for t in row) for row in result.rows]


def columns(name: str, target, **params) -> list[dict]:
    result = q.run(q.named_queries()[name], target, {k: str(v) for k, v in params.items()})
    return [dict(zip(result.variables, (py(t) for t in row))) for row in result.rows]


@pytest.fixture(scope="module", params=["rdflib", "oxigraph"])
def mini(request):
    """The hand-written graph in each engine: every expectation must hold in both."""
    if request.param == "rdflib":
        g = Graph()
        g.parse(data=MINI_TTL, format="turtle")
        return g
    store = ox.Store()
    store.load(MINI_TTL, format=ox.RdfFormat.TURTLE)
    return store


# ------------------------------------------------------------------ registry


def test_at_least_fifteen_named_queries_each_with_a_description_and_declared_parameters():
    queries = q.named_queries()
    assert len(queries) >= 15
    for name, named in queries.items():
        assert named.name == name and named.builtin
        assert len(named.description) > 20, name
        for p in named.params:
            assert p.type in q.PARAM_TYPES and p.description and p.default is not None, (name, p)


@pytest.mark.parametrize("name", NAMES)
def test_every_named_query_orders_its_rows_itself(name):
    # Determinism across engines rests on an ORDER BY at the top of the query.
    assert q._has_order_by(q.named_queries()[name].render())


@pytest.mark.parametrize("name", NAMES)
def test_every_named_query_parses_in_both_engines(name):
    text = q.named_queries()[name].render()
    Graph().query(text)
    ox.Store().query(text)


# ----------------------------------------------- refusals: the parsed fact against the text
#
# The refusal queries read kv:weigeringssoort, which the parser finds in each
# answer's text. Before, they matched every text at query time with
# REGEX(STR(?text), pattern, "i"); those queries are kept as the reference
# (tests/data/refusals-by-text) and must give the rows the new ones give, on
# the mini graph (both engines), the corpus and generated publications.
BY_TEXT = Path(__file__).parent / "data" / "refusals-by-text"
REFUSAL_QUERIES = ["refusals", "refusals-per-ministry"]


def by_text(name: str) -> q.NamedQuery:
    path = BY_TEXT / f"{name}.rq"
    return q.parse_query_file(path.read_text(encoding="utf-8"), name, str(path))


def same_as_by_text(name: str, target) -> q.Result:
    """The named query's result, checked against its text-matching reference."""
    ours, theirs = q.run(q.named_queries()[name], target), q.run(by_text(name), target)
    assert (ours.variables, ours.rows) == (theirs.variables, theirs.rows), name
    return ours


def test_the_table_holds_the_patterns_the_queries_matched():
    """kg/parse/data/weigeringen.csv: the kinds and patterns of the reference's
    FILTER, in its order (the two reference queries share one FILTER)."""
    from kg.parse.refusals import refusal_patterns

    def patterns(name: str) -> list[tuple[str, str]]:
        text = (BY_TEXT / f"{name}.rq").read_text(encoding="utf-8")
        return re.findall(r'\?kind = "([^"]+)" && REGEX\(STR\(\?text\), "([^"]+)", "i"\)', text)

    table = [(kind, pattern.pattern) for kind, pattern in refusal_patterns()]
    assert len(table) == 3
    assert table == patterns("refusals") == patterns("refusals-per-ministry")


@pytest.mark.parametrize("name", REFUSAL_QUERIES)
def test_the_refusal_queries_read_the_fact_not_the_text(name):
    text = q.named_queries()[name].text
    assert "kv:weigeringssoort" in text
    assert "REGEX" not in text and "kv:tekst" not in text


def test_header_with_parameters_is_read():
    named = q.parse_query_file(
        "# Questions of a member in a period.\n"
        "# param member: string — surname (default Van Nispen)\n"
        "# param from: date – first day\n"
        "# a note\n"
        "SELECT ?x WHERE { BIND($member AS ?x) FILTER(?d >= $from) }\n",
        "t", "t.rq",
    )
    assert named.description == "Questions of a member in a period."
    assert [(p.name, p.type, p.default, p.required) for p in named.params] == [
        ("member", "string", "Van Nispen", False), ("from", "date", None, True)]
    with pytest.raises(QueryError, match="needs --param from"):
        named.render()


@pytest.mark.parametrize(
    "text, message",
    [
        ("SELECT * WHERE { ?s ?p ?o }\n", "first line must be a comment"),
        ("# Something.\nSELECT * WHERE { ?s ?p ?o }\n", "declare the parameters"),
        ("# Something.\n# params: none\nSELECT * WHERE { BIND($x AS ?y) }\n", r"\$x used but not declared"),
        ("# Something.\n# param x: string — x (default a)\nSELECT * WHERE { ?s ?p ?o }\n", "declared but not used"),
        ("# Something.\n# param x: number — x (default 1)\nSELECT * WHERE { BIND($x AS ?y) }\n", "unknown type"),
        ("# Something.\n# param x: date — x (default soon)\nSELECT * WHERE { BIND($x AS ?y) }\n", "default of 'x'"),
    ],
)
def test_broken_headers_are_refused(text, message):
    with pytest.raises(QueryError, match=message):
        q.parse_query_file(text, "t", "t.rq")
    with pytest.raises(QuerySetupError, match=message):  # shipped with kg: a broken installation
        q.parse_query_file(text, "t", "t.rq", builtin=True)


def test_unknown_names_and_parameters_list_what_exists():
    with pytest.raises(QueryError, match="the named queries are: .*late-answers"):
        q.resolve("no-such-query")
    with pytest.raises(QueryError, match=r"its parameters: limit"):
        q.named_queries()["most-cited-publications"].render({"top": "3"})


# ---------------------------------------------------------------- parameters

ECHO = q.parse_query_file("# Echo a value.\n# param v: string — any text\nSELECT ?v WHERE { BIND($v AS ?v) }\n", "echo", "echo.rq")


@pytest.mark.parametrize(
    "value",
    [
        'D66',
        'x" ) } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o',
        "it's \"quoted\" and \\ back-slashed",
        "\\u0022) } #",
        "a\\\\u0022b \\U0001F600",
        "line one\nline two\ttabbed\r",
        "Yeşilgöz-Zegerius 😀 $v ?v <http://x>",
        "",
    ],
)
@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_a_string_parameter_is_one_literal_with_exactly_the_value(value, engine):
    target = Graph() if engine == "rdflib" else ox.Store()
    result = q.run(ECHO, target, {"v": value})
    assert result.rows == [(Literal(value),)]


def test_parameters_are_not_substituted_inside_strings_iris_or_comments():
    text = 'SELECT ?a WHERE { BIND("$v" AS ?a) BIND(<http://x/$v> AS ?b) # $v\n BIND($v AS ?c) }'
    assert q.substitute(text, {"v": '"ok"'}) == 'SELECT ?a WHERE { BIND("$v" AS ?a) BIND(<http://x/$v> AS ?b) # $v\n BIND("ok" AS ?c) }'


@pytest.mark.parametrize(
    "kind, value, term",
    [
        ("integer", "20", "20"),
        ("integer", " -3 ", "-3"),
        ("date", "2024-01-31", '"2024-01-31"^^<http://www.w3.org/2001/XMLSchema#date>'),
        ("iri", "https://zoek.officielebekendmakingen.nl/ah-tk-20182019-3878", "<https://zoek.officielebekendmakingen.nl/ah-tk-20182019-3878>"),
        ("boolean", "TRUE", "true"),
    ],
)
def test_typed_parameters_become_terms(kind, value, term):
    assert q.sparql_term(q.Param("p", kind, "p"), value) == term


@pytest.mark.parametrize(
    "kind, value",
    [
        ("integer", "20 } ; DROP ALL"),
        ("integer", "1.5"),
        ("date", "2024-13-01"),
        ("date", '2024-01-01"^^xsd:date) } #'),
        ("iri", "http://x> . ?s ?p ?o . <http://y"),
        ("iri", "not an iri"),
        ("boolean", "yes"),
        ("string", "nul \x00 inside"),
    ],
)
def test_values_of_the_wrong_type_are_refused(kind, value):
    with pytest.raises(QueryError, match="parameter 'p' must be"):
        q.sparql_term(q.Param("p", kind, "p"), value)


def test_parse_params():
    assert q.parse_params(["a=1", "b=x=y", "c="]) == {"a": "1", "b": "x=y", "c": ""}
    with pytest.raises(QueryError, match="name=value"):
        q.parse_params(["novalue"])


# ------------------------------------------------------------------- formats


def test_formats_table_csv_tsv_json():
    g = Graph()
    g.parse(data=MINI_TTL, format="turtle")
    result = q.run("SELECT ?s ?n WHERE { VALUES (?s ?n) { (\"a, \\\"b\\\"\" 12) (\"c\" 3) (<http://e/x> UNDEF) } }", g)
    # no ORDER BY: the rows are sorted, IRIs before literals
    assert [py(r[0]) for r in result.rows] == ["http://e/x", 'a, "b"', "c"]
    rows = list(csv.reader(io.StringIO(q.serialize(result, "csv"))))
    assert rows == [["s", "n"], ["http://e/x", ""], ['a, "b"', "12"], ["c", "3"]]
    tsv = q.serialize(result, "tsv").splitlines()
    assert tsv[0] == "?s\t?n" and tsv[2] == '"a, \\"b\\""\t12'
    data = json.loads(q.serialize(result, "json"))
    assert data["head"]["vars"] == ["s", "n"]
    assert data["results"]["bindings"][1]["n"] == {"type": "literal", "value": "12", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}
    table = q.serialize(result, "table").splitlines()
    assert table[0].split() == ["s", "n"] and table[-1] == "(3 rows)"
    assert table[3].endswith(" 12")  # numbers are right-aligned
    with pytest.raises(QueryError, match="unknown format"):
        q.serialize(result, "xml")


def test_ask_and_construct_results():
    g = Graph()
    g.parse(data=MINI_TTL, format="turtle")
    ask = q.run("ASK { ?s a <https://w3id.org/kamervragen/def#Ministerie> }", g)
    assert ask.form == "ASK" and ask.boolean is True
    assert json.loads(q.serialize(ask, "json"))["boolean"] is True
    graph = q.run("CONSTRUCT { ?s ?p ?o } WHERE { ?s a <https://w3id.org/kamervragen/def#Ministerie> ; ?p ?o }", g)
    assert graph.form == "GRAPH" and len(graph.triples) == 4
    assert q.serialize(graph, "table") == q.serialize(q.run(
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s a <https://w3id.org/kamervragen/def#Ministerie> ; ?p ?o }", _store(MINI_TTL)), "table")


def _store(ttl: str) -> ox.Store:
    s = ox.Store()
    s.load(ttl, format=ox.RdfFormat.TURTLE)
    return s


def test_a_broken_query_file_is_a_query_error(tmp_path):
    path = tmp_path / "bad.rq"
    path.write_text("# Broken.\n# params: none\nSELECT WHERE {\n", encoding="utf-8")
    named = q.resolve(str(path))
    for target in (Graph(), ox.Store()):
        with pytest.raises(QueryError, match="bad"):
            q.run(named, target)


def test_a_store_with_one_graph_per_publication_is_queried_as_their_union(tmp_path):
    """kg query --store: the store holds each publication in its own named
    graph; every named query answers as over the merged graph."""
    g = Graph()
    g.parse(data=MINI_TTL, format="turtle")
    merged = _store(MINI_TTL)
    split = ox.Store(str(tmp_path / "store"))
    for i, quad in enumerate(merged):
        split.add(ox.Quad(quad.subject, quad.predicate, quad.object, ox.NamedNode(f"https://example.org/graph/{i % 5}")))
    split.flush()
    assert len(list(split.query("SELECT * WHERE { ?s ?p ?o }"))) == 0  # nothing in the store's own default graph
    params = {"publication-questions-and-answers": {"publication": D + "101"}, "questions-of-member": {"member": "Derde"}}
    for name in NAMES:
        named = q.named_queries()[name]
        a, b = q.run(named, g, params.get(name)), q.run(named, split, params.get(name))
        assert (a.variables, a.rows) == (b.variables, b.rows), name


# ------------------------------------------------- each query on the mini graph


def test_mini_both_engines_agree_on_every_named_query():
    g = Graph()
    g.parse(data=MINI_TTL, format="turtle")
    store = _store(MINI_TTL)
    params = {"publication-questions-and-answers": {"publication": D + "101"}, "questions-of-member": {"member": "Derde"}}
    for name in NAMES:
        named = q.named_queries()[name]
        a, b = q.run(named, g, params.get(name)), q.run(named, store, params.get(name))
        assert (a.variables, a.rows) == (b.variables, b.rows), name
        assert a.rows, f"{name} finds nothing in the mini graph"


def test_mini_questions_per_party_per_year(mini):
    # Delay notice 301 and question publication kv-tk-2024Z00001 (answered in 101) are not counted;
    # lid-4 belongs to both parties without dated memberships, so 104 counts for both; lid-5 moved
    # from GroenLinks-PvdA (2023) to SP (2024), so 108 (February 2024) counts for SP only.
    assert answer("questions-per-party-per-year", mini) == [
        ("2023-2024", "GroenLinks-PvdA", 5, 6),
        ("2023-2024", "SP", 5, 5),
        ("2024-2025", "GroenLinks-PvdA", 1, 1),
        ("2024-2025", "SP", 2, 2),
        ("unknown", "GroenLinks-PvdA", 1, 2),
    ]


def test_mini_answer_time_per_ministry(mini):
    # JV: 10 20 30 30 30 40 100 -> median 30, p90 = 7th of 7 = 100.
    # VWS: 5 16 25 30 -> median (16 + 25) / 2 = 20.5, p90 = 4th of 4 = 30.
    rows = answer("answer-time-per-ministry", mini)
    assert rows == [(JV, 7, 30, 100, 10, 100), (VWS, 4, Decimal("20.5"), 30, 5, 30)]
    assert statistics.median([5, 16, 25, 30]) == 20.5


def test_mini_late_answers(mini):
    assert [(r[0], r[3]) for r in answer("late-answers", mini)] == [
        (D + "106", 100), (D + "105", 40), (D + "103", 30), (D + "107", 30), ("ah-tk-20242025-203", 25)]


def test_mini_late_answers_per_ministry(mini):
    # JV: 103, 105, 106, 107 late of 7 (104 had a delay notice) = 57 %; VWS: 107, 203 of 4 = 50 %.
    assert answer("late-answers-per-ministry", mini) == [(JV, 7, 4, 57), (VWS, 4, 2, 50)]


def test_mini_unanswered_questions(mini):
    assert answer("unanswered-questions", mini) == [
        (D + "101", None, 2, "not covered by an answer"),
        ("kv-tk-2024Z00002", dt("2024-11-01"), 1, "no answer published"),
        ("kv-tk-2024Z00002", dt("2024-11-01"), 2, "no answer published"),
    ]


def dt(s: str):
    import datetime

    return datetime.date.fromisoformat(s)


def test_mini_delay_notices_per_ministry(mini):
    # 302 is addressed to two JV offices: one notice for JV.
    assert answer("delay-notices-per-ministry", mini) == [
        (JV, 2, dt("2024-01-10"), dt("2024-03-10")), (VWS, 1, dt("2024-11-10"), dt("2024-11-10"))]


def test_mini_follow_up_chains(mini):
    # 105 cites the questions kv-tk-2024Z00001, answered in 101, which cites kst-1-1;
    # the questions themselves cite kst-2-2. A cited Kamerstuk is context, not a
    # follow-up (as in kg chains): only 105 -> 101 remains.
    assert answer("follow-up-chains", mini) == [
        (D + "105", EERSTE, D + "101", EERSTE, True),
    ]


# The follow-up-chains query before kv:volgtOp, walking the property path at query time.
FOLLOW_UP_PATH = Path(__file__).parent / "data" / "follow-up-chains-path.rq"


def follow_ups_both_ways(target) -> tuple[q.Result, q.Result]:
    """The old (property path) and the new (kv:volgtOp) follow-up-chains query's results."""
    old = q.parse_query_file(FOLLOW_UP_PATH.read_text(encoding="utf-8"), "follow-up-chains-path", str(FOLLOW_UP_PATH))
    return q.run(old, target), q.run(q.named_queries()["follow-up-chains"], target)


def test_mini_follow_up_chains_as_the_property_path_found_them(mini):
    old, new = follow_ups_both_ways(mini)
    assert (new.variables, new.rows) == (old.variables, old.rows)
    assert len(new.rows) == 1


def test_mini_most_cited_publications(mini):
    assert answer("most-cited-publications", mini) == [
        ("kst-1-1", 2, 2, False), ("kst-2-2", 1, 1, False), ("kv-tk-2024Z00001", 1, 1, True)]
    assert answer("most-cited-publications", mini, limit=1) == [("kst-1-1", 2, 2, False)]


def test_mini_cross_party_co_askers(mini):
    # 102: lid-1 and lid-2 (different parties). 103 (same party), 104 (lid-4 is also
    # in lid-1's party) and the delay notice 301 do not count.
    assert answer("cross-party-co-askers", mini) == [(EERSTE, TWEEDE, 1, None, None)]


def test_mini_answerers_for_office(mini):
    assert answer("answerers-for-office", mini) == [("Minister Een", 3, dt("2024-02-01"), dt("2024-05-01"))]
    assert answer("answerers-for-office", mini, **{"from": "2023-01-01", "office": "minister van justitie en veiligheid"}) == [
        ("Minister Twee", 1, dt("2023-12-01"), dt("2023-12-01")),
        ("Minister Een", 3, dt("2024-02-01"), dt("2024-05-01")),
    ]


def test_mini_questions_of_member(mini):
    rows = answer("questions-of-member", mini, member="derde")
    assert [(r[0], r[1], r[3]) for r in rows] == [
        (DERDE, D + "103", 1), (DERDE, "ah-tk-20242025-203", 1), (DERDE, "kv-tk-2024Z00002", 1), (DERDE, "kv-tk-2024Z00002", 2)]


def test_mini_questions_mentioning(mini):
    # The delay notice 301 also mentions stikstof but only repeats questions.
    assert [(r[0], r[1]) for r in answer("questions-mentioning", mini)] == [(D + "103", 1)]
    assert answer("questions-mentioning", mini, term="niets dergelijks") == []


def test_mini_refusals(mini):
    assert answer("refusals", mini) == [
        (D + "101", 1, "individual case", "Minister Een"),
        (D + "102", 1, "ongoing investigation", "Minister Een"),
        ("ah-tk-20242025-201", 1, "privacy", "Minister Drie"),
    ]


def test_mini_refusals_per_ministry(mini):
    assert answer("refusals-per-ministry", mini) == [(JV, 2, 2), (VWS, 1, 1)]


@pytest.mark.parametrize("name", REFUSAL_QUERIES)
def test_mini_refusals_give_the_rows_of_the_text_match(mini, name):
    assert same_as_by_text(name, mini).rows


def test_mini_citations_outside_corpus(mini):
    assert [r[:3] for r in answer("citations-outside-corpus", mini)] == [
        ("kst-1-1", D + "101", "Kamerstuk 1, nr. 1"),
        ("kst-1-1", D + "106", "Kamerstuk 1, nr. 1"),
        ("kst-2-2", "kv-tk-2024Z00001", "Kamerstuk 2, nr. 2"),
    ]


def test_mini_parse_warnings(mini):
    assert answer("parse-warnings", mini) == [(D + "106", "106.txt", "grouped question headings")]


def test_mini_answers_per_minister(mini):
    assert answer("answers-per-minister", mini) == [("Minister Een", 3, 3, 1), ("Minister Drie", 1, 1, 1), ("Minister Twee", 1, 1, 1)]


def test_mini_publication_questions_and_answers(mini):
    rows = answer("publication-questions-and-answers", mini, publication=D + "101")
    assert [(r[0], r[2]) for r in rows] == [(1, 1), (2, None)]


# ----------------------------------------------------- each query on the corpus

KV = "https://w3id.org/kamervragen/def#"


@pytest.fixture(scope="module")
def built(corpus: Path, tmp_path_factory) -> ox.Store:
    """The corpus build (docs and unlabelled), its N-Triples in an Oxigraph store."""
    out = tmp_path_factory.mktemp("corpus-build")
    # Two workers: they come from a fork server, not as forks of this long,
    # threaded test session (forks of it died at random reading PDFs).
    result = build([corpus / "docs", corpus / "unlabelled"], out, validate=False, jobs=2)
    failed = [(f.path.name, f.reasons) for f in result.files if f.status.value == "failed"]
    assert not failed, failed  # every corpus file builds; the answers below count on all of them
    store = ox.Store()
    store.bulk_load(path=str(out / "kamervragen.nt"), format=ox.RdfFormat.N_TRIPLES)
    return store


def needs(store: ox.Store, term: str) -> None:
    """Skip, saying which term, while the linker that adds it has not landed."""
    if not bool(store.query(f"ASK {{ ?s <{KV}{term}> ?o }}")):
        pytest.skip(f"needs kv:{term} in the build")


def test_corpus_questions_per_party_per_year(built):
    rows = {(r["vergaderjaar"], r["party"]): (r["documents"], r["questions"]) for r in columns("questions-per-party-per-year", built)}
    # The party's name is its skos:prefLabel where the party linker gives one ("Democraten 66"), else as printed.
    d66 = rows.get(("2018-2019", "Democraten 66")) or rows.get(("2018-2019", "D66"))
    pvda = rows.get(("2014-2015", "Partij van de Arbeid")) or rows.get(("2014-2015", "PvdA"))
    # ah-tk-20182019-3878: Groothuizen (D66), 14 questions — the only D66 set of 2018-2019.
    assert d66 == (1, 14)
    # ah-tk-20142015-698: Bouwmeester (PvdA), 6 questions.
    assert pvda == (1, 6)
    assert [k[1] for k in rows if k[0] == "2018-2019"] in (["Democraten 66"], ["D66"])


def test_corpus_answer_time_per_ministry(built):
    needs(built, "antwoordtermijnDagen")
    needs(built, "ministerie")
    # 3878: submitted 29 July 2019, answered 4 September 2019 = 37 days.
    days = {str(s[0].value): int(s[1].value) for s in built.query(
        f"SELECT ?id ?d WHERE {{ ?doc <{KV}identificatie> ?id ; <{KV}antwoordtermijnDagen> ?d }}")}
    assert days["ah-tk-20182019-3878"] == 37
    # Percentiles checked against Python on the same answer times, per ministry.
    per: dict[str, list[int]] = {}
    for s in built.query(f"""SELECT DISTINCT ?m ?doc ?d WHERE {{ ?doc <{KV}antwoordtermijnDagen> ?d ;
                                 <{KV}gerichtAan>/<{KV}ministerie>/<http://www.w3.org/2000/01/rdf-schema#label> ?m }}"""):
        per.setdefault(s[0].value, []).append(int(s[2].value))
    rows = columns("answer-time-per-ministry", built)
    assert {r["ministry"] for r in rows} == set(per)
    for r in rows:
        values = sorted(per[r["ministry"]])
        assert r["answers"] == len(values)
        assert r["median"] == Decimal(str(statistics.median(values)))
        assert r["p90"] == values[ceil(0.9 * len(values)) - 1]
    assert JV in per and 37 in per[JV]


def test_corpus_late_answers(built):
    needs(built, "termijnOverschreden")
    late = {r["publication"]: r["days"] for r in columns("late-answers", built)}
    assert late["ah-tk-20182019-3878"] == 37  # 37 days, no delay notice
    assert "ah-tk-20242025-573" not in late  # answered in 14 days
    assert "ah-tk-20242025-582" not in late  # answered in 12 days


def test_corpus_late_answers_per_ministry(built):
    needs(built, "termijnOverschreden")
    needs(built, "ministerie")
    rows = {r["ministry"]: r for r in columns("late-answers-per-ministry", built)}
    late_jv = {s[0].value for s in built.query(f"""SELECT DISTINCT ?doc WHERE {{ ?doc <{KV}termijnOverschreden> true ;
        <{KV}gerichtAan>/<{KV}ministerie>/<http://www.w3.org/2000/01/rdf-schema#label> "{JV}" }}""")}
    assert rows[JV]["late"] == len(late_jv) >= 2  # 3878 (37 days) and 1076 (92 days) at least


def test_corpus_unanswered_questions(built):
    rows = answer("unanswered-questions", built)
    answered_in = bool(built.query(f"ASK {{ <https://zoek.officielebekendmakingen.nl/kv-tk-2024Z18659> <{KV}beantwoordIn> ?a }}"))
    z18659 = [r[2] for r in rows if r[0] == "kv-tk-2024Z18659"]
    # Question-only publication of 18 November 2024 with 14 questions; its answer is not in the corpus.
    assert z18659 == ([] if answered_in else list(range(1, 15)))
    assert all(r[3] == "no answer published" for r in rows if r[0] == "kv-tk-2024Z18659")
    assert not any(r[0] == "ah-tk-20182019-3878" for r in rows)  # every question of 3878 is answered


def test_corpus_delay_notices_per_ministry(built):
    needs(built, "ministerie")
    rows = {r["ministry"]: r["notices"] for r in columns("delay-notices-per-ministry", built)}
    # ah-tk-20232024-1999 (Minister BZK) and ah-tk-20242025-562 (Staatssecretaris VWS);
    # the 2009 uitstelbrief names no office.
    assert rows == {"Ministerie van Binnenlandse Zaken en Koninkrijksrelaties": 1, VWS: 1}


def test_corpus_follow_up_chains(built):
    rows = answer("follow-up-chains", built)
    earlier = {r[2] for r in rows if r[0] == "ah-tk-20182019-3878"}
    # 3878 follows up nrs. 3626 ("Zie ook"), 1268 and 1974 (footnote to question 6), asked by Groothuizen.
    assert {"ah-tk-20182019-3626", "ah-tk-20182019-1268", "ah-tk-20182019-1974"} <= earlier
    assert all("Groothuizen" in r[1] for r in rows if r[0] == "ah-tk-20182019-3878")


def test_corpus_follow_up_chains_as_the_property_path_found_them(built):
    old, new = follow_ups_both_ways(built)
    assert (new.variables, new.rows) == (old.variables, old.rows)
    assert len(new.rows) > 3
    # and kv:volgtOp holds exactly the pairs the path related, no more
    text = FOLLOW_UP_PATH.read_text(encoding="utf-8")
    text = text.replace("SELECT ?later ?laterAsker ?earlier ?earlierAsker ?sameAsker", "SELECT DISTINCT ?laterDoc ?earlierDoc")
    pairs = {(r[0].value, r[1].value) for r in built.query(text[: text.rindex("ORDER BY")])}
    facts = {(t.subject.value, t.object.value) for t in built.quads_for_pattern(None, ox.NamedNode(KV + "volgtOp"), None)}
    assert facts == pairs


def test_corpus_most_cited_publications(built):
    rows = answer("most-cited-publications", built, limit=5)
    # Kamerstuk 31 839, nr. 1024 is cited by ah-tk-20232024-2271 and ah-tk-20232024-2395.
    assert rows[0][:2] == ("kst-31839-1024", 2)
    assert len(rows) == 5


def test_corpus_most_cited_publications_keeps_the_ties_at_every_limit(built):
    # The query ranks the counts first and looks up only the targets cited at
    # least as often as the limit-th one: every shorter list must still be the
    # head of the longest, ties at the cut included (the corpus has many
    # publications cited by one document).
    everything = answer("most-cited-publications", built, limit=100000)
    assert len(everything) > 20 and everything[0][1] > everything[-1][1]
    for limit in (1, 2, 3, 5, 8, 13, 21, len(everything) - 1):
        assert answer("most-cited-publications", built, limit=limit) == everything[:limit]


def test_corpus_cross_party_co_askers(built):
    pairs = {(r["memberA"].split(" (")[0], r["memberB"].split(" (")[0]) for r in columns("cross-party-co-askers", built)}
    pairs = {tuple(sorted(p)) for p in pairs}
    assert ("Ellian", "Paternotte") in pairs  # ah-tk-20242025-582: VVD and D66
    assert {("Gesthuizen", "Omtzigt"), ("Gesthuizen", "Schouw"), ("Omtzigt", "Schouw")} <= pairs  # 1365: SP, CDA, D66
    assert ("Bikker", "Van den Hil") not in pairs  # only a delay notice (562) has them together


def test_corpus_answerers_for_office(built):
    # Minister van Justitie en Veiligheid in 2024: Yeşilgöz-Zegerius answered 1949 (11 June);
    # Van Weel answered 570 (18 November) and 604 (20 November).
    rows = answer("answerers-for-office", built)
    assert [(r[0].split()[-1], r[1], r[2], r[3]) for r in rows] == [
        ("Yeşilgöz-Zegerius", 1, dt("2024-06-11"), dt("2024-06-11")),
        ("Weel", 2, dt("2024-11-18"), dt("2024-11-20")),
    ]


def test_corpus_questions_of_member(built):
    rows = answer("questions-of-member", built, member="Van Nispen")
    per_pub: dict[str, list[int]] = {}
    for r in rows:
        per_pub.setdefault(r[1], []).append(r[3])
    # 1771 (6 questions), 546 (with Lahlah, 6), kv-tk-2024Z18566 (with Podt, 6).
    assert per_pub == {"ah-tk-20232024-1771": [1, 2, 3, 4, 5, 6], "ah-tk-20242025-546": [1, 2, 3, 4, 5, 6],
                       "kv-tk-2024Z18566": [1, 2, 3, 4, 5, 6]}


def test_corpus_questions_mentioning(built):
    # ah-tk-20222023-3649: question 1 ("stikstofuitstoot") and 11 ("Programma Aanpak Stikstof").
    assert [(r[0], r[1]) for r in answer("questions-mentioning", built, term="stikstof")] == [
        ("ah-tk-20222023-3649", 1), ("ah-tk-20222023-3649", 11)]


CORPUS_REFUSALS = [
    ("ah-tk-20182019-3878", 1, "individual case"),  # "kan ik ... geen uitspraken doen over individuele zaken"
    ("ah-tk-20182019-3878", 5, "individual case"),  # "kan ik niet ingaan op de individuele zaak"
    ("ah-tk-20232024-1893", 7, "individual case"),  # "niet ingaan op wat het bespreekt met individuele bedrijven"
    ("ah-tk-20232024-1949", 2, "ongoing investigation"),  # "lopende het onderzoek, geen uitspraken doen over een strafzaak"
    ("ah-tk-20232024-1949", 3, "privacy"),  # "In verband met de privacy ... kan ik de informatie ... niet ... delen"
    ("ah-tk-20232024-2367", 3, "individual case"),  # "niet ingaan op de exacte omstandigheden van individuele gevallen"
    ("ah-tk-20242025-573", 1, "individual case"),  # "Ik ga niet in op de situatie van individuele gedetineerden"
    ("ah-tk-20242025-573", 2, "individual case"),
]


def test_corpus_refusals(built):
    assert [r[:3] for r in answer("refusals", built)] == CORPUS_REFUSALS


def test_corpus_refusals_per_ministry(built):
    needs(built, "ministerie")
    rows = answer("refusals-per-ministry", built)
    # Justitie en Veiligheid: 3878 (2), 1949 (2), 573 (2) — the most.
    assert rows[0] == (JV, 6, 3)


@pytest.mark.parametrize("name", REFUSAL_QUERIES)
def test_corpus_refusals_give_the_rows_of_the_text_match(built, name):
    # Python's re (the parser) kept exactly the answers Oxigraph's REGEX keeps.
    assert same_as_by_text(name, built).rows


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> ox.Store:
    """300 generated publications (kg synth, the default mix) built, in a store."""
    from kg.synth import generate

    root = tmp_path_factory.mktemp("synth-refusals")
    generate(300, root / "set", seed=5)
    result = build([root / "set" / "docs"], root / "out", validate=False, jobs=2)
    assert not [f for f in result.files if f.status.value == "failed"]
    store = ox.Store()
    store.bulk_load(path=str(root / "out" / "kamervragen.nt"), format=ox.RdfFormat.N_TRIPLES)
    return store


@pytest.mark.parametrize("name", REFUSAL_QUERIES)
def test_generated_refusals_give_the_rows_of_the_text_match(synthetic, name):
    # The generated answers hold no standard refusal (their nearest sentence,
    # "niet aan mij om een oordeel te geven over individuele zaken", is none):
    # both give no rows here, and the corpus test is the one with refusals.
    # What this checks is that no generated text makes the two disagree.
    texts = next(iter(synthetic.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a <{KV}tekst> ?t ; a <{KV}Antwoord> }}")))[0]
    assert int(texts.value) > 500
    same_as_by_text(name, synthetic)


def test_corpus_citations_outside_corpus(built):
    rows = answer("citations-outside-corpus", built)
    assert [(r[0], r[1]) for r in rows if r[1] == "ah-tk-20182019-3878"] == [
        ("ah-tk-20182019-1268", "ah-tk-20182019-3878"), ("ah-tk-20182019-1974", "ah-tk-20182019-3878"),
        ("ah-tk-20182019-3626", "ah-tk-20182019-3878")]
    assert any(r[2] == "Aanhangsel Handelingen, vergaderjaar 2018–2019, nrs. 1268 en 1974" for r in rows)


def test_corpus_parse_warnings(built):
    rows = answer("parse-warnings", built)
    # ah-tk-20232024-2367 groups its questions under "Vraag 3-6" and "Vraag 7-11";
    # 7-11 is split by its paragraphs, 3-6 keeps its shared text (tests/test_group_split.py).
    assert any(r[0] == "ah-tk-20232024-2367" and "grouped question headings (3-6)" in r[2] for r in rows)
    total = next(iter(built.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?d <{KV}waarschuwing> ?w }}")))[0]
    assert len(rows) == int(total.value)


def test_corpus_answers_per_minister(built):
    rows = {r["answeredBy"]: r for r in columns("answers-per-minister", built)}
    # Karremans answered 2271, 2395 and 559; the delay notice 562 he sent
    # (kv:medegedeeldDoor) answers nothing and does not count.
    assert rows["Staatssecretaris Karremans"]["documents"] == 3
    assert rows["Staatssecretaris Broekers-Knol"]["documents"] == 1
    assert rows["Staatssecretaris Broekers-Knol"]["answers"] == 6  # 3878 has six answers


def test_corpus_publication_questions_and_answers(built):
    rows = answer("publication-questions-and-answers", built)  # default: ah-tk-20182019-3878
    # vocabulary.md: the six answers answer {1..5}, {6}, {7..10}, {11}, {12, 13} and {14}.
    assert [(r[0], r[2]) for r in rows] == [
        (1, 1), (2, 1), (3, 1), (4, 1), (5, 1), (6, 2), (7, 3), (8, 3), (9, 3), (10, 3), (11, 4), (12, 5), (13, 5), (14, 6)]
