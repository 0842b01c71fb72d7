"""The kind of refusal is found by the parser in an answer's text
(kg/parse/data/weigeringen.csv) and becomes kv:weigeringssoort: the
detection on short texts, its place in the parse stage and in the mapping.
That it keeps exactly the answers SPARQL's REGEX kept is checked on graphs
in tests/test_queries.py."""
from __future__ import annotations

import dataclasses

import pytest

from kg.iris import IriMinter
from kg.mapping import publication_lines, publication_triples
from kg.parse import parse
from kg.parse.refusals import refusal_kinds, refusal_patterns
from kg.read import read
from tests.conftest import SAMPLES

IC, OI, PR = "individual case", "ongoing investigation", "privacy"


def test_the_table_gives_three_kinds_in_order():
    assert [kind for kind, _ in refusal_patterns()] == [IC, OI, PR]
    assert refusal_patterns() is refusal_patterns()  # compiled once


@pytest.mark.parametrize(
    "text, kinds",
    [
        ("Zoals bekend kan ik geen uitspraken doen over individuele zaken.", (IC,)),
        ("Ik kan niet ingaan op de situatie van individuele gedetineerden.", (IC,)),
        ("Over individuele gevallen doe ik geen uitspraken.", (IC,)),
        # words glued together by text extraction
        ("Ik kan geen uitsprakendoen over individuele zaken.", (IC,)),
        ("Ik kan nietingaanop individuele zaken.", (IC,)),
        ("Ik kan, lopende het onderzoek, geen uitspraken doen over een strafzaak.", (OI,)),
        ("Lopend strafrechtelijk onderzoek kan ik niet ingaan op de feiten.", (OI,)),
        ("In verband met de privacy van de betrokkene kan ik daar niet op ingaan.", (PR,)),
        ("Vanwege de bescherming van persoonsgegevens mag ik de namen niet noemen.", (PR,)),
        # upper case, and mixed
        ("IK KAN GEEN UITSPRAKEN DOEN OVER INDIVIDUELE ZAKEN.", (IC,)),
        ("Geen Uitspraken Doen Over Het Onderzoek", (OI,)),
        # a full stop between the parts of a phrase: two sentences, no refusal
        ("Ik kan geen uitspraken doen over deze zaak. Individuele burgers worden geïnformeerd.", ()),
        ("Ik ga niet in op de vraag. Dat geldt voor individuele zaken in het algemeen.", ()),
        ("Privacy is belangrijk. Daarom kan ik u dat niet zeggen.", ()),
        # the words without the phrase
        ("Het is niet aan mij om een oordeel te geven over individuele zaken.", ()),
        ("Het onderzoek loopt nog; de uitkomst volgt in het voorjaar.", ()),
        ("", ()),
    ],
)
def test_detection_on_short_texts(text, kinds):
    assert refusal_kinds(text) == kinds


def test_several_kinds_come_in_the_tables_order_not_the_texts():
    text = "In verband met de privacy kan ik daar niet op ingaan. Lopende het onderzoek kan ik geen uitspraken doen."
    assert refusal_kinds(text) == (OI, PR)


def test_the_words_between_the_parts_are_counted():
    # "niet ?(in|ingaan|treden) ?op [^.]{0,60}individuele": at most 60 characters between.
    assert refusal_kinds("Ik ga niet in op " + "x" * 60 + "individuele") == (IC,)
    assert refusal_kinds("Ik ga niet in op " + "x" * 61 + "individuele") == ()
    # a line break between the parts is no full stop (between the words of
    # one part a space is what the pattern reads: the parser joins lines with one)
    assert refusal_kinds("kan ik geen uitspraken doen over de\nindividuele zaken") == (IC,)


def test_the_parse_stage_records_the_kinds_on_each_answer():
    pub = parse(read(SAMPLES / "ah-tk-20182019-3878.txt"))
    assert [a.weigeringssoorten for a in pub.antwoorden] == [(IC,), (), (), (), (IC,), ()]
    assert all(a.weigeringssoorten == refusal_kinds(a.tekst) for a in pub.antwoorden)


def test_the_mapping_writes_one_literal_per_kind_in_both_spellings():
    pub = parse(read(SAMPLES / "ah-tk-20182019-3878.txt"))
    first = dataclasses.replace(pub.antwoorden[0], weigeringssoorten=(IC, PR))
    pub = dataclasses.replace(pub, antwoorden=(first,) + pub.antwoorden[1:])
    iris = IriMinter()
    kv = "<https://w3id.org/kamervragen/def#weigeringssoort>"
    lines = [ln for ln in publication_lines(pub, iris) if f" {kv} " in ln]
    answer = "<https://w3id.org/kamervragen/id/antwoord/ah-tk-20182019-3878-"
    assert lines == [
        f'{answer}1> {kv} "individual case" .',
        f'{answer}1> {kv} "privacy" .',
        f'{answer}5> {kv} "individual case" .',
    ]
    from rdflib import Literal

    kinds = sorted(str(o) for _, p, o in publication_triples(pub, iris) if p.endswith("#weigeringssoort"))
    assert kinds == [IC, IC, PR]
    assert all(type(o) is Literal and o.datatype is None and o.language is None
               for _, p, o in publication_triples(pub, iris) if p.endswith("#weigeringssoort"))
