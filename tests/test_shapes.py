"""The ontology and the SHACL shapes, run for real through kg.validate.

Each violating case starts from a conforming seed-like publication (two
questions, one answer answering both, a footnote with a Verwijzing to a stub)
and breaks one thing, then asserts the specific result: which shape, which
focus node, which path.
"""
from __future__ import annotations

import importlib.resources
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS

from kg.errors import ValidationSetupError
from kg.validate import (
    KVSH,
    Severity,
    ValidationReport,
    Violation,
    load_ontology,
    load_shapes,
    render_summary,
    validate,
    validate_many,
)
from kg.vocab import KV

VOCABULARY_MD = Path("/work/shared/docs/vocabulary.md")

PREFIXES = """
@prefix kv: <https://w3id.org/kamervragen/def#> .
@prefix ob: <https://zoek.officielebekendmakingen.nl/> .
@prefix vraag: <https://w3id.org/kamervragen/id/vraag/> .
@prefix antwoord: <https://w3id.org/kamervragen/id/antwoord/> .
@prefix voetnoot: <https://w3id.org/kamervragen/id/voetnoot/> .
@prefix verwijzing: <https://w3id.org/kamervragen/id/verwijzing/> .
@prefix kamerlid: <https://w3id.org/kamervragen/id/kamerlid/> .
@prefix fractie: <https://w3id.org/kamervragen/id/fractie/> .
@prefix ambt: <https://w3id.org/kamervragen/id/ambt/> .
@prefix bwp: <https://w3id.org/kamervragen/id/bewindspersoon/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

# A conforming publication shaped like the seed document, abridged.
SEED = """
ob:ah-tk-20182019-3878 a kv:Document ;
    kv:identificatie "ah-tk-20182019-3878" ;
    rdfs:label "ah-tk-20182019-3878" ;
    kv:kamer kv:TweedeKamer ;
    kv:vergaderjaar "2018-2019" ;
    kv:nummer 3878 ;
    kv:zaaknummer "2019Z15377" ;
    kv:onderwerp "de uitzetting van de heer Isbatov" ;
    kv:ingezondenOp "2019-07-29"^^xsd:date ;
    kv:ontvangenOp "2019-09-04"^^xsd:date ;
    kv:gesteldDoor kamerlid:groothuizen-d66 ;
    kv:gerichtAan ambt:staatssecretaris-van-justitie-en-veiligheid ;
    kv:beantwoordDoor bwp:broekers-knol ;
    kv:heeftVraag vraag:ah-tk-20182019-3878-1 , vraag:ah-tk-20182019-3878-2 ;
    kv:heeftAntwoord antwoord:ah-tk-20182019-3878-1 ;
    kv:verwijstNaar ob:ah-tk-20182019-1268 ;
    kv:bronbestand "ah-tk-20182019-3878.txt" ;
    kv:bronformaat "text" ;
    kv:sha256 "0f343b0931126a20f133d67c2b018a3b5e9c8d5b6c1a2f3e4d5c6b7a8f9e0d1c" ;
    rdfs:seeAlso <https://www.rijksoverheid.nl/> .

vraag:ah-tk-20182019-3878-1 a kv:Vraag ;
    kv:nummer 1 ;
    kv:kop "Vraag 1" ;
    kv:tekst "Bent u bekend met het bericht over de uitzetting van de heer Isbatov?"@nl ;
    kv:gesteldDoor kamerlid:groothuizen-d66 .

vraag:ah-tk-20182019-3878-2 a kv:Vraag ;
    kv:nummer 2 ;
    kv:kop "Vraag 2" ;
    kv:tekst "Kunt u toelichten waarom eerdere vragen nog niet zijn beantwoord?"@nl ;
    kv:heeftVoetnoot voetnoot:ah-tk-20182019-3878-1 .

voetnoot:ah-tk-20182019-3878-1 a kv:Voetnoot ;
    kv:volgnummer 1 ;
    kv:voetnoottekst "Aanhangsel Handelingen, vergaderjaar 2018–2019, nr. 1268" .

antwoord:ah-tk-20182019-3878-1 a kv:Antwoord ;
    kv:volgnummer 1 ;
    kv:kop "Antwoord 1 en 2" ;
    kv:beantwoordt vraag:ah-tk-20182019-3878-1 , vraag:ah-tk-20182019-3878-2 ;
    kv:tekst "Ja. De vragen zijn inmiddels beantwoord."@nl ;
    kv:beantwoordDoor bwp:broekers-knol .

verwijzing:ah-tk-20182019-3878-1 a kv:Verwijzing ;
    kv:bron vraag:ah-tk-20182019-3878-2 ;
    kv:doel ob:ah-tk-20182019-1268 ;
    kv:citaat "Aanhangsel Handelingen, vergaderjaar 2018–2019, nr. 1268" ;
    kv:soort kv:SoortVoetnoot ;
    kv:inVoetnoot voetnoot:ah-tk-20182019-3878-1 ;
    kv:volgnummer 1 .

ob:ah-tk-20182019-1268 a kv:Document ;
    kv:identificatie "ah-tk-20182019-1268" .

kamerlid:groothuizen-d66 a kv:Kamerlid ;
    kv:achternaam "Groothuizen" ;
    rdfs:label "Groothuizen (D66)" ;
    kv:fractie fractie:d66 .

fractie:d66 a kv:Fractie ;
    rdfs:label "D66" .

ambt:staatssecretaris-van-justitie-en-veiligheid a kv:Ambt ;
    rdfs:label "Staatssecretaris van Justitie en Veiligheid" ;
    kv:titel "Staatssecretaris" ;
    kv:portefeuille "Justitie en Veiligheid" .

bwp:broekers-knol a kv:Bewindspersoon ;
    kv:achternaam "Broekers-Knol" ;
    rdfs:label "Broekers-Knol" ;
    kv:functie ambt:staatssecretaris-van-justitie-en-veiligheid .
"""

# A second parsed publication, for the cross-document cases.
OTHER = """
ob:ah-tk-20182019-3900 a kv:Document ;
    kv:identificatie "ah-tk-20182019-3900" ;
    rdfs:label "ah-tk-20182019-3900" ;
    kv:kamer kv:TweedeKamer ;
    kv:bronbestand "ah-tk-20182019-3900.txt" ;
    kv:bronformaat "text" ;
    kv:sha256 "1f343b0931126a20f133d67c2b018a3b5e9c8d5b6c1a2f3e4d5c6b7a8f9e0d1c" ;
    kv:heeftVraag vraag:ah-tk-20182019-3900-1 ;
    kv:heeftAntwoord antwoord:ah-tk-20182019-3900-1 .

vraag:ah-tk-20182019-3900-1 a kv:Vraag ;
    kv:nummer 1 ;
    kv:tekst "Een andere vraag."@nl .

antwoord:ah-tk-20182019-3900-1 a kv:Antwoord ;
    kv:volgnummer 1 ;
    kv:beantwoordt vraag:ah-tk-20182019-3900-1 ;
    kv:tekst "Een ander antwoord."@nl .
"""

PUB = "https://zoek.officielebekendmakingen.nl/"
ID = "https://w3id.org/kamervragen/id/"
DOC = URIRef(PUB + "ah-tk-20182019-3878")
STUB = URIRef(PUB + "ah-tk-20182019-1268")
V1 = URIRef(ID + "vraag/ah-tk-20182019-3878-1")
V2 = URIRef(ID + "vraag/ah-tk-20182019-3878-2")
A1 = URIRef(ID + "antwoord/ah-tk-20182019-3878-1")
R1 = URIRef(ID + "verwijzing/ah-tk-20182019-3878-1")
AMBT = URIRef(ID + "ambt/staatssecretaris-van-justitie-en-veiligheid")
KAMERLID = URIRef(ID + "kamerlid/groothuizen-d66")
OTHER_V1 = URIRef(ID + "vraag/ah-tk-20182019-3900-1")


@pytest.fixture(autouse=True)
def _partitioned_equals_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every graph a case here validates is also validated partitioned, cut
    by publication and at random, and by the shapes compiled to SPARQL: the
    results must be the same (tests/test_validate_partitioned.py,
    tests/test_validate_sparql.py)."""
    import kg.validate
    from test_validate_partitioned import assert_partitioned_equals_whole
    from test_validate_sparql import assert_sparql_equals_whole

    def checked(data: Graph, shapes: Graph | None = None) -> ValidationReport:
        if shapes is None:
            assert_partitioned_equals_whole(data)
        assert_sparql_equals_whole(data, shapes)
        return kg.validate.validate(data, shapes)

    monkeypatch.setitem(globals(), "validate", checked)


def build(*turtle: str, update: str = "") -> Graph:
    """The seed plus extra Turtle, then a SPARQL update to break something."""
    g = Graph()
    g.parse(data=PREFIXES + SEED + "".join(turtle), format="turtle")
    if update:
        sparql_prefixes = "".join(
            f"PREFIX {line.split()[1]} {line.split()[2]}\n" for line in PREFIXES.strip().splitlines()
        )
        g.update(sparql_prefixes + update)
    return g


def shape(name: str) -> str:
    return KVSH + name


def results(report: ValidationReport, name: str, **attrs: object) -> list[Violation]:
    """Results of one shape, filtered on Violation fields."""
    return [
        v
        for v in report.violations
        if v.shape == shape(name) and all(getattr(v, k) == want for k, want in attrs.items())
    ]


def assert_only(report: ValidationReport, *names: str) -> None:
    """The report fails and every Violation-severity result is one of these shapes."""
    assert not report.conforms
    got = {v.shape for v in report.violations if v.severity is Severity.VIOLATION}
    assert got == {shape(n) for n in names}, sorted(got)


# --------------------------------------------------------------------- conforming


def test_seed_conforms() -> None:
    report = validate(build())
    assert report.conforms, [v.message for v in report.violations]
    assert report.violations == ()
    assert (None, SH.conforms, Literal(True)) in report.results_graph


def test_question_publication_without_answers_conforms() -> None:
    # Only documents that have answers need every question answered.
    report = validate(build(update="DELETE WHERE { ?d kv:heeftAntwoord ?a . ?a ?p ?o }"))
    assert report.conforms, [v.message for v in report.violations]


def test_other_identifier_schemes_conform() -> None:
    cited = ["kst-36410-XIV-9", "kst-21501-02-2498", "h-tk-20182019-12-5", "stcrt-2024-1234",
             "stb-2024-153", "tk-2022D31072", "kv-tk-2024Z18294", "ah-ek-20182019-12", "kst-29383-406"]
    extra = "".join(
        f'ob:ah-tk-20182019-3878 kv:verwijstNaar ob:{c} . ob:{c} a kv:Document ; kv:identificatie "{c}" .\n'
        for c in cited
    )
    report = validate(build(extra))
    assert report.conforms, [(v.focus_node, v.shape) for v in report.violations]


# --------------------------------------------------------------------- Vraag


def test_question_without_text() -> None:
    report = validate(build(update="DELETE WHERE { vraag:ah-tk-20182019-3878-1 kv:tekst ?t }"))
    assert_only(report, "Vraag-tekst-aanwezig")
    (v,) = results(report, "Vraag-tekst-aanwezig")
    assert (v.focus_node, v.path, v.severity) == (str(V1), "kv:tekst", Severity.VIOLATION)
    assert (v.document, v.source_file, v.truncated) == ("ah-tk-20182019-3878", "ah-tk-20182019-3878.txt", False)
    assert v.focus_label == "Vraag 1"
    # Both languages, Dutch first, and something to act on.
    assert v.message.startswith("Vraag heeft geen tekst: controleer")
    assert " / Question has no text: check" in v.message


def test_question_text_without_language_tag() -> None:
    report = validate(build(update="""
        DELETE { vraag:ah-tk-20182019-3878-1 kv:tekst ?t } INSERT { vraag:ah-tk-20182019-3878-1 kv:tekst "Zonder taal" }
        WHERE { vraag:ah-tk-20182019-3878-1 kv:tekst ?t }"""))
    assert_only(report, "Vraag-tekst-vorm")
    assert results(report, "Vraag-tekst-vorm", focus_node=str(V1), path="kv:tekst")


@pytest.mark.parametrize("nummer", ['"1"', "0", "-3", "1.5"])
def test_question_number_must_be_positive_integer(nummer: str) -> None:
    report = validate(build(update=f"""
        DELETE {{ vraag:ah-tk-20182019-3878-1 kv:nummer ?n }} INSERT {{ vraag:ah-tk-20182019-3878-1 kv:nummer {nummer} }}
        WHERE {{ vraag:ah-tk-20182019-3878-1 kv:nummer ?n }}"""))
    assert_only(report, "Vraag-nummer")
    assert results(report, "Vraag-nummer", focus_node=str(V1), path="kv:nummer")


def test_question_answered_twice() -> None:
    report = validate(build("""
        ob:ah-tk-20182019-3878 kv:heeftAntwoord antwoord:ah-tk-20182019-3878-2 .
        antwoord:ah-tk-20182019-3878-2 a kv:Antwoord ; kv:volgnummer 2 ;
            kv:beantwoordt vraag:ah-tk-20182019-3878-2 ; kv:tekst "Nogmaals."@nl .
    """))
    assert_only(report, "Vraag-eenmaal-beantwoord")
    (v,) = results(report, "Vraag-eenmaal-beantwoord")
    assert (v.focus_node, v.path, v.constraint) == (str(V2), "^kv:beantwoordt", "MaxCountConstraintComponent")


def test_question_unanswered_in_answered_document() -> None:
    report = validate(build("""
        ob:ah-tk-20182019-3878 kv:heeftVraag vraag:ah-tk-20182019-3878-3 .
        vraag:ah-tk-20182019-3878-3 a kv:Vraag ; kv:nummer 3 ; kv:tekst "Een derde vraag?"@nl .
    """))
    assert_only(report, "Document-vraag-beantwoord")
    (v,) = results(report, "Document-vraag-beantwoord")
    assert (v.focus_node, v.path) == (str(DOC), "kv:heeftVraag")
    assert (v.value, v.value_label) == (ID + "vraag/ah-tk-20182019-3878-3", "Vraag 3")
    assert v.constraint == "NodeConstraintComponent"


# --------------------------------------------------------------------- Antwoord


def test_answer_without_questions() -> None:
    report = validate(build(update="DELETE WHERE { antwoord:ah-tk-20182019-3878-1 kv:beantwoordt ?v }"))
    # The answer answers nothing, so both questions are left unanswered too.
    assert_only(report, "Antwoord-beantwoordt", "Document-vraag-beantwoord")
    assert results(report, "Antwoord-beantwoordt", focus_node=str(A1), path="kv:beantwoordt")
    assert len(results(report, "Document-vraag-beantwoord")) == 2


def test_answer_answers_question_of_another_document() -> None:
    g = build(OTHER, "antwoord:ah-tk-20182019-3878-1 kv:beantwoordt vraag:ah-tk-20182019-3900-1 .")
    report = validate(g)
    (v,) = results(report, "Antwoord-zelfde-document")
    assert (v.focus_node, v.document) == (str(A1), "ah-tk-20182019-3878")
    assert v.path == "(^kv:heeftAntwoord|(kv:beantwoordt/^kv:heeftVraag))"
    # The foreign question is now answered twice as well; the same-document
    # shape is the one that names the cause.
    assert results(report, "Vraag-eenmaal-beantwoord", focus_node=str(OTHER_V1), document="ah-tk-20182019-3900")


def test_answer_answers_question_of_another_document_per_publication() -> None:
    # Validated on its own, the seed's answer points at a question that is no
    # kv:Vraag in its graph: the range shape says so, about the seed document.
    seed = build("antwoord:ah-tk-20182019-3878-1 kv:beantwoordt vraag:ah-tk-20182019-3900-1 .")
    other = Graph().parse(data=PREFIXES + OTHER, format="turtle")
    report = validate_many([seed, other])
    assert_only(report, "Vraag-bereik")
    (v,) = results(report, "Vraag-bereik")
    assert (v.focus_node, v.document) == (str(OTHER_V1), "ah-tk-20182019-3878")


# --------------------------------------------------------------------- Document


def test_received_before_submitted() -> None:
    report = validate(build(update="""
        DELETE { ?d kv:ontvangenOp ?o } INSERT { ?d kv:ontvangenOp "2019-07-28"^^xsd:date }
        WHERE { ?d kv:ontvangenOp ?o }"""))
    assert_only(report, "Document-datumvolgorde")
    (v,) = results(report, "Document-datumvolgorde")
    assert (v.focus_node, v.path, v.constraint) == (str(DOC), "kv:ingezondenOp", "LessThanOrEqualsConstraintComponent")


def test_same_day_is_fine() -> None:
    report = validate(build(update="""
        DELETE { ?d kv:ontvangenOp ?o } INSERT { ?d kv:ontvangenOp "2019-07-29"^^xsd:date }
        WHERE { ?d kv:ontvangenOp ?o }"""))
    assert report.conforms


def test_date_typed_as_string() -> None:
    report = validate(build(update="""
        DELETE { ?d kv:ingezondenOp ?o } INSERT { ?d kv:ingezondenOp "2019-07-29" }
        WHERE { ?d kv:ingezondenOp ?o }"""))
    (v,) = results(report, "Document-ingezondenOp")
    assert (v.focus_node, v.path, v.constraint) == (str(DOC), "kv:ingezondenOp", "DatatypeConstraintComponent")
    assert v.value == '"2019-07-29"^^xsd:string'
    # A string cannot be compared with a date, so the order check fails too.
    assert_only(report, "Document-ingezondenOp", "Document-datumvolgorde")


@pytest.mark.parametrize(
    ("identificatie", "why"),
    [
        ("ah-tk-2022203-844", "year slip copied from the citation"),
        ("ah-tk-20182019-", "no number"),
        ("AH-TK-20182019-1268", "upper case"),
        ("kv-tk-2024Z 17972", "space in the zaaknummer"),
        ("Kamerstuk 29 383, nr. 406", "citation, not identifier"),
    ],
)
def test_bad_identifier_of_cited_publication(identificatie: str, why: str) -> None:
    report = validate(build(update=f"""
        DELETE {{ ob:ah-tk-20182019-1268 kv:identificatie ?i }} INSERT {{ ob:ah-tk-20182019-1268 kv:identificatie "{identificatie}" }}
        WHERE {{ ob:ah-tk-20182019-1268 kv:identificatie ?i }}"""))
    assert_only(report, "Document-identificatie-vorm")
    (v,) = results(report, "Document-identificatie-vorm")
    assert (v.focus_node, v.path) == (str(STUB), "kv:identificatie"), why
    # The stub is reported against the publication that cites it.
    assert (v.document, v.source_file) == ("ah-tk-20182019-3878", "ah-tk-20182019-3878.txt")


def test_bad_identifier_of_parsed_document() -> None:
    report = validate(build(update="""
        DELETE { ?d kv:identificatie ?i } INSERT { ?d kv:identificatie "ah-tk-2018-2019-3878" }
        WHERE { ?d kv:identificatie "ah-tk-20182019-3878" . ?d kv:identificatie ?i }"""))
    assert_only(report, "Document-identificatie-vorm")
    assert results(report, "Document-identificatie-vorm", focus_node=str(DOC))


def test_document_iri_not_at_officielebekendmakingen() -> None:
    report = validate(build("""
        ob:ah-tk-20182019-3878 kv:verwijstNaar <https://example.org/ah-tk-20182019-1> .
        <https://example.org/ah-tk-20182019-1> a kv:Document ; kv:identificatie "ah-tk-20182019-1" .
    """))
    assert_only(report, "Document-iri")
    assert results(report, "Document-iri", focus_node="https://example.org/ah-tk-20182019-1")


def test_cited_publication_without_stub() -> None:
    report = validate(build("ob:ah-tk-20182019-3878 kv:verwijstNaar ob:kst-29383-406 ."))
    assert_only(report, "Document-bereik", "Document-identificatie-aanwezig")
    assert results(report, "Document-bereik", focus_node=PUB + "kst-29383-406")


@pytest.mark.parametrize(
    ("jaar", "ok"),
    [("2018-2019", True), ("2019-2020", True), ("1999-2000", True), ("2099-2100", True),
     ("2018–2019", False), ("2018-2020", False), ("2019-2018", False), ("20182019", False), ("2018/19", False)],
)
def test_vergaderjaar(jaar: str, ok: bool) -> None:
    report = validate(build(update=f"""
        DELETE {{ ?d kv:vergaderjaar ?j }} INSERT {{ ?d kv:vergaderjaar "{jaar}" }} WHERE {{ ?d kv:vergaderjaar ?j }}"""))
    if ok:
        assert report.conforms, [v.message for v in report.violations]
    else:
        assert_only(report, "Document-vergaderjaar")


@pytest.mark.parametrize("zaak", ["2024Z 17972", "2024z18294", "24Z18294", "2024Z182944"])
def test_bad_zaaknummer(zaak: str) -> None:
    report = validate(build(update=f"""
        DELETE {{ ?d kv:zaaknummer ?z }} INSERT {{ ?d kv:zaaknummer "{zaak}" }} WHERE {{ ?d kv:zaaknummer ?z }}"""))
    assert_only(report, "Document-zaaknummer")


def test_parsed_document_needs_one_chamber() -> None:
    report = validate(build("ob:ah-tk-20182019-3878 kv:kamer kv:EersteKamer ."))
    assert_only(report, "Document-kamer")
    report = validate(build(update="DELETE WHERE { ?d kv:kamer ?k }"))
    assert_only(report, "Document-kamer")


def test_stub_needs_no_chamber_or_source() -> None:
    # The stub in the seed has only a type and an identifier; that is enough.
    report = validate(build())
    assert not [v for v in report.violations if v.focus_node == str(STUB)]


def test_document_without_questions_is_a_warning() -> None:
    report = validate(build(update="""
        DELETE WHERE { ?d kv:heeftVraag ?v . ?v ?p ?o } ;
        DELETE WHERE { ?d kv:heeftAntwoord ?a . ?a ?p ?o } ;
        DELETE WHERE { ?r kv:bron ?b ; ?p ?o } ;
        DELETE WHERE { ?f a kv:Voetnoot ; ?p ?o }"""))
    (v,) = results(report, "Document-vragen")
    assert v.severity is Severity.WARNING
    assert report.conforms  # warnings do not fail the graph


# --------------------------------------------------------------------- people and offices


@pytest.mark.parametrize(
    ("label", "shapes"),
    [
        ("Ministers van Justitie en Veiligheid en van Buitenlandse Zaken", {"Ambt-label", "Ambt-label-enkelvoudig"}),
        ("Minister van Justitie en Veiligheid en van Buitenlandse Zaken", {"Ambt-label-enkelvoudig"}),
        ("staatssecretaris van Justitie en Veiligheid", {"Ambt-label"}),
        ("Staatsecretaris van Justitie en Veiligheid", {"Ambt-label"}),
        ("Staatssecretaris Justitie en Veiligheid", {"Ambt-label"}),
        ("Staatssecretaris van Justitie en Veiligheid,", {"Ambt-label"}),
        ("Staatssecretaris van justitie", {"Ambt-label"}),
    ],
)
def test_office_with_bad_label(label: str, shapes: set[str]) -> None:
    report = validate(build(update=f"""
        DELETE {{ ?a rdfs:label ?l }} INSERT {{ ?a rdfs:label "{label}" }} WHERE {{ ?a a kv:Ambt ; rdfs:label ?l }}"""))
    assert_only(report, *shapes)
    for name in shapes:
        (v,) = results(report, name)
        assert (v.focus_node, v.path) == (str(AMBT), "rdfs:label")
        # An office belongs to the first publication that mentions it.
        assert v.document == "ah-tk-20182019-3878"


@pytest.mark.parametrize(
    "label",
    ["Minister voor Natuur en Stikstof", "Minister-president van Algemene Zaken",
     "Minister van Volksgezondheid, Welzijn en Sport", "Staatssecretaris van Financiën - Fiscaliteit en Belastingdienst"],
)
def test_office_with_good_label(label: str) -> None:
    report = validate(build(update=f"""
        DELETE {{ ?a rdfs:label ?l }} INSERT {{ ?a rdfs:label "{label}" }} WHERE {{ ?a a kv:Ambt ; rdfs:label ?l }}"""))
    assert report.conforms, [v.message for v in report.violations]


def test_member_without_surname_and_with_two_parties() -> None:
    report = validate(build(
        "kamerlid:groothuizen-d66 kv:fractie fractie:vvd . fractie:vvd a kv:Fractie ; rdfs:label \"VVD\" .",
        update="DELETE WHERE { kamerlid:groothuizen-d66 kv:achternaam ?a }",
    ))
    assert_only(report, "Kamerlid-achternaam", "Kamerlid-fractie")
    (v,) = results(report, "Kamerlid-achternaam")
    assert (v.focus_node, v.focus_label, v.document) == (str(KAMERLID), "Groothuizen (D66)", "ah-tk-20182019-3878")


def test_asker_is_not_a_member() -> None:
    report = validate(build(update="DELETE WHERE { kamerlid:groothuizen-d66 a kv:Kamerlid }"))
    assert_only(report, "Kamerlid-bereik")


# --------------------------------------------------------------------- Verwijzing


def test_reference_without_target() -> None:
    report = validate(build(update="DELETE WHERE { verwijzing:ah-tk-20182019-3878-1 kv:doel ?d }"))
    assert_only(report, "Verwijzing-doel")
    (v,) = results(report, "Verwijzing-doel")
    assert (v.focus_node, v.path, v.document) == (str(R1), "kv:doel", "ah-tk-20182019-3878")
    assert v.focus_label is not None and v.focus_label.startswith('Verwijzing "Aanhangsel Handelingen')


def test_reference_with_unknown_kind() -> None:
    report = validate(build(update="""
        DELETE { ?r kv:soort ?s } INSERT { ?r kv:soort kv:SoortAnders } WHERE { ?r kv:soort ?s }"""))
    assert_only(report, "Verwijzing-soort")


def test_reference_source_must_be_document_question_or_answer() -> None:
    report = validate(build(update="""
        DELETE { ?r kv:bron ?b } INSERT { ?r kv:bron voetnoot:ah-tk-20182019-3878-1 } WHERE { ?r kv:bron ?b }"""))
    assert_only(report, "Bron-bereik")


# --------------------------------------------------------------------- kind of refusal


def test_answer_with_a_kind_of_refusal_conforms() -> None:
    report = validate(build("""
        antwoord:ah-tk-20182019-3878-1 kv:weigeringssoort "individual case" , "privacy" .
    """))
    assert report.conforms and not report.violations


@pytest.mark.parametrize("kind", ['"weigering"', '"individual case"@en', '"Individual case"', "kv:Privacy"])
def test_unknown_kind_of_refusal(kind: str) -> None:
    report = validate(build(f"antwoord:ah-tk-20182019-3878-1 kv:weigeringssoort {kind} ."))
    assert_only(report, "Antwoord-weigeringssoort")
    (v,) = results(report, "Antwoord-weigeringssoort")
    assert (v.focus_node, v.path) == (str(A1), "kv:weigeringssoort")


def test_the_shapes_list_the_kinds_of_the_parsers_table() -> None:
    from kg.parse.refusals import refusal_patterns

    g = load_shapes()
    (members,) = g.objects(URIRef(shape("Antwoord-weigeringssoort")), SH["in"])
    assert [str(k) for k in Collection(g, members)] == [kind for kind, _ in refusal_patterns()]


# --------------------------------------------------------------------- severities


def test_shared_text_and_inferred_questions_are_infos() -> None:
    report = validate(build("""
        vraag:ah-tk-20182019-3878-1 kv:tekstGedeeld true .
        antwoord:ah-tk-20182019-3878-1 kv:vragenAfgeleid true .
    """))
    assert report.conforms
    assert {v.severity for v in report.violations} == {Severity.INFO}
    assert results(report, "Vraag-tekstGedeeld-info", focus_node=str(V1))
    assert results(report, "Antwoord-vragenAfgeleid-info", focus_node=str(A1))


# --------------------------------------------------------------------- truncated sources


TRUNCATED = """
ob:ah-tk-20182019-3878 kv:onvolledig true ; kv:heeftVraag vraag:ah-tk-20182019-3878-3 .
vraag:ah-tk-20182019-3878-3 a kv:Vraag ; kv:nummer 3 ; kv:tekst "Een derde vraag, waarvan het antwoord na de breuk valt?"@nl .
"""


def truncated_graph() -> Graph:
    return build(TRUNCATED, update="""
        DELETE { ?d kv:bronbestand ?f } INSERT { ?d kv:bronbestand "ah-tk-20182019-3878.truncated.txt" }
        WHERE { ?d kv:bronbestand ?f }""")


def test_truncated_flag_reaches_the_violation() -> None:
    report = validate(truncated_graph())
    # The shape is not loosened: the unanswered question still fails...
    assert_only(report, "Document-vraag-beantwoord")
    (v,) = results(report, "Document-vraag-beantwoord")
    # ...but the result knows the source is cut short.
    assert v.truncated and v.expected_from_truncation
    assert v.source_file == "ah-tk-20182019-3878.truncated.txt"


def test_truncated_flag_reaches_the_summary() -> None:
    text = render_summary(validate(truncated_graph()))
    assert "does NOT conform" in text
    assert "ah-tk-20182019-3878.truncated.txt (ah-tk-20182019-3878)" in text
    assert "Vraag 3" in text
    assert "the source is cut short, so this is expected" in text


def test_truncation_does_not_excuse_other_results() -> None:
    g = truncated_graph()
    g.update("""PREFIX kv: <https://w3id.org/kamervragen/def#>
        DELETE { ?d kv:zaaknummer ?z } INSERT { ?d kv:zaaknummer "2019Z 15377" } WHERE { ?d kv:zaaknummer ?z }""")
    report = validate(g)
    (v,) = results(report, "Document-zaaknummer")
    assert v.truncated and not v.expected_from_truncation
    assert "does not explain this result" in render_summary(report)


def test_complete_source_is_not_flagged() -> None:
    report = validate(build(TRUNCATED.replace("kv:onvolledig true ;", "")))
    (v,) = results(report, "Document-vraag-beantwoord")
    assert not v.truncated
    assert "cut short" not in render_summary(report)


# --------------------------------------------------------------------- reports


def test_summary_of_conforming_graph() -> None:
    text = render_summary(validate(build()))
    assert text.startswith("SHACL validation: conforms")
    assert "No results." in text


def test_summary_counts_and_order_are_deterministic() -> None:
    g = build(update="""
        DELETE WHERE { vraag:ah-tk-20182019-3878-1 kv:tekst ?t } ;
        DELETE WHERE { verwijzing:ah-tk-20182019-3878-1 kv:doel ?d }""")
    first, second = render_summary(validate(g)), render_summary(validate(g))
    assert first == second
    assert "2 results: 2 violations, 0 warnings, 0 infos" in first
    assert "kvsh:Vraag-tekst-aanwezig" in first and "kvsh:Verwijzing-doel" in first
    assert "ah-tk-20182019-3878.txt (ah-tk-20182019-3878):" in first


def test_violations_are_sorted() -> None:
    g = build(OTHER, update="""
        DELETE WHERE { vraag:ah-tk-20182019-3900-1 kv:tekst ?t } ;
        DELETE WHERE { vraag:ah-tk-20182019-3878-2 kv:tekst ?t } ;
        DELETE WHERE { vraag:ah-tk-20182019-3878-1 kv:nummer ?n }""")
    report = validate(g)
    assert list(report.violations) == sorted(report.violations, key=Violation.sort_key)
    assert [v.document for v in report.violations] == sorted(v.document or "" for v in report.violations)


@pytest.mark.parametrize("processes", [1, 2])
def test_validate_many_merges_per_publication_results(processes: int) -> None:
    good = Graph().parse(data=PREFIXES + OTHER, format="turtle")
    bad = build(update="DELETE WHERE { vraag:ah-tk-20182019-3878-1 kv:tekst ?t }")
    report = validate_many(iter([good, bad, good]), processes=processes)
    single = validate(bad)
    assert not report.conforms
    assert report.violations == single.violations
    reports = list(report.results_graph.subjects(RDF.type, SH.ValidationReport))
    assert len(reports) == 1
    assert report.results_graph.value(reports[0], SH.conforms) == Literal(False)
    assert len(list(report.results_graph.objects(reports[0], SH.result))) == len(report.violations)


def test_validate_many_in_batches_gives_the_same_results() -> None:
    graphs = [build(update="DELETE WHERE { vraag:ah-tk-20182019-3878-1 kv:tekst ?t }"),
              Graph().parse(data=PREFIXES + OTHER, format="turtle")]
    assert validate_many(graphs, batch_size=2).violations == validate_many(graphs).violations


# --------------------------------------------------------------------- loading


def test_shapes_and_ontology_load() -> None:
    assert len(load_shapes()) > 100
    assert (URIRef("https://w3id.org/kamervragen/def"), RDF.type, OWL.Ontology) in load_ontology()
    # Fresh copies: changing one does not change what validate uses.
    assert load_shapes() is not load_shapes()


def test_missing_or_broken_files_raise_setup_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(importlib.resources, "files", lambda package: tmp_path)
    with pytest.raises(ValidationSetupError, match="not installed"):
        load_shapes()
    (tmp_path / "kamervragen.ttl").write_text("this is @not turtle", encoding="utf-8")
    with pytest.raises(ValidationSetupError, match="does not parse"):
        load_ontology()


def test_import_is_light() -> None:
    # pyshacl and jinja2 are loaded by the functions that need them.
    code = "import sys, kg.validate; print(any(m in sys.modules for m in ('pyshacl', 'jinja2')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


# --------------------------------------------------------------------- shapes file


def named_shapes(g: Graph) -> set[URIRef]:
    return {
        s for t in (SH.NodeShape, SH.PropertyShape) for s in g.subjects(RDF.type, t) if isinstance(s, URIRef)
    }


def test_every_shape_has_dutch_and_english_message() -> None:
    g = load_shapes()
    shapes = named_shapes(g)
    assert len(shapes) > 50
    for s in shapes:
        langs = {m.language for m in g.objects(s, SH.message) if isinstance(m, Literal)}
        assert {"nl", "en"} <= langs, s


def test_shapes_use_core_constraints_only() -> None:
    g = load_shapes()
    assert not list(g.subjects(SH.sparql, None))
    assert not list(g.subjects(SH.target, None))


def test_every_core_class_is_targeted() -> None:
    g = load_shapes()
    targeted = set(g.objects(None, SH.targetClass))
    # Mededeling is a Document and is checked as one.
    assert {KV[c] for c in CORE_CLASSES if c != "Mededeling"} <= targeted


def test_shapes_only_use_declared_terms() -> None:
    declared = set(load_ontology().subjects())
    used = {t for t in load_shapes().all_nodes() if isinstance(t, URIRef) and t.startswith(str(KV))}
    assert used <= declared, sorted(used - declared)


# --------------------------------------------------------------------- ontology

# The core terms of /work/shared/docs/vocabulary.md, kept here so the test
# runs without /work/shared; test_core_list_matches_vocabulary_md keeps the
# two in step.
CORE_CLASSES = ["Document", "Mededeling", "Vraag", "Antwoord", "Kamerlid", "Bewindspersoon", "Fractie", "Ambt",
                "Verwijzing"]
CORE_OBJECT_PROPERTIES = ["kamer", "heeftVraag", "heeftAntwoord", "gesteldDoor", "fractie", "gerichtAan",
                          "beantwoordDoor", "functie", "beantwoordt", "bron", "doel", "soort", "verwijstNaar"]
CORE_DATATYPE_PROPERTIES = ["identificatie", "vergaderjaar", "nummer", "zaaknummer", "onderwerp", "ingezondenOp",
                            "ontvangenOp", "achternaam", "tekst", "citaat"]
CORE_INDIVIDUALS = ["TweedeKamer", "EersteKamer"]
CORE_TERMS = CORE_CLASSES + CORE_OBJECT_PROPERTIES + CORE_DATATYPE_PROPERTIES

# What the mapping emits beyond the core (kg.mapping), declared as well.
EXTENSION_TERMS = {
    OWL.Class: ["Vragenpublicatie", "Voetnoot", "Kamer", "Verwijzingssoort"],
    OWL.ObjectProperty: ["medeNamens", "heeftVoetnoot", "inVoetnoot"],
    OWL.DatatypeProperty: ["mondeling", "onvolledig", "bronbestand", "bronformaat", "sha256", "waarschuwing",
                           "voornaam", "titel", "portefeuille", "zonderPortefeuille", "kop", "tekstGedeeld",
                           "volgnummer", "vragenAfgeleid", "weigeringssoort", "voetnoottekst", "gecorrigeerdVan"],
    OWL.NamedIndividual: ["TweedeKamer", "EersteKamer", "SoortZieOok", "SoortVoetnoot", "SoortLopendeTekst",
                          "SoortKop", "SoortToelichting"],
}


def vocabulary_rows() -> list[list[str]]:
    """Table rows of vocabulary.md whose first cell is a `kv:` term."""
    if not VOCABULARY_MD.exists():
        pytest.skip(f"{VOCABULARY_MD} not available")
    rows = []
    for line in VOCABULARY_MD.read_text(encoding="utf-8").splitlines():
        if re.match(r"^\|\s*`kv:\w+`\s*\|", line):
            rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return rows


def test_core_list_matches_vocabulary_md() -> None:
    terms = [re.sub(r"[`]|kv:", "", row[0]) for row in vocabulary_rows()]
    assert sorted(terms) == sorted(CORE_TERMS)


def labels_and_definitions(g: Graph, term: URIRef) -> tuple[set[str], set[str]]:
    labels = {lit.language for lit in g.objects(term, RDFS.label) if isinstance(lit, Literal)}
    defs = {lit.language for p in (SKOS.definition, RDFS.comment) for lit in g.objects(term, p)
            if isinstance(lit, Literal)}
    return labels, defs


@pytest.mark.parametrize(
    ("name", "kind"),
    [(c, OWL.Class) for c in CORE_CLASSES]
    + [(p, OWL.ObjectProperty) for p in CORE_OBJECT_PROPERTIES]
    + [(p, OWL.DatatypeProperty) for p in CORE_DATATYPE_PROPERTIES]
    + [(i, OWL.NamedIndividual) for i in CORE_INDIVIDUALS]
    + [(t, kind) for kind, names in EXTENSION_TERMS.items() for t in names],
)
def test_ontology_declares_term_with_nl_and_en(name: str, kind: URIRef) -> None:
    g = load_ontology()
    term = KV[name]
    assert (term, RDF.type, kind) in g
    labels, defs = labels_and_definitions(g, term)
    assert {"nl", "en"} <= labels, f"{name}: labels {labels}"
    assert {"nl", "en"} <= defs, f"{name}: definitions {defs}"


def domain_classes(g: Graph, prop: URIRef, predicate: URIRef = RDFS.domain) -> set[str]:
    """The class names of a domain or range, unfolding owl:unionOf."""
    names: set[str] = set()
    for d in g.objects(prop, predicate):
        union = g.value(d, OWL.unionOf) if isinstance(d, BNode) else None
        members = list(Collection(g, union)) if union is not None else [d]
        names.update(g.qname(m) if not str(m).startswith(str(KV)) else str(m)[len(str(KV)):] for m in members)
    return names


def test_domains_and_ranges_match_vocabulary_md() -> None:
    g = load_ontology()
    for row in vocabulary_rows():
        name = re.sub(r"[`]|kv:", "", row[0])
        if len(row) < 4:  # a class row
            continue
        frm, to = row[1], row[2]
        want_domain = {c.strip() for c in re.split(r",| or ", frm) if c.strip()}
        assert domain_classes(g, KV[name]) == want_domain, name
        if to == "IRI":  # kv:soort: refined to kv:Verwijzingssoort
            assert domain_classes(g, KV[name], RDFS.range) == {"Verwijzingssoort"}
        elif "TweedeKamer" in to:
            assert domain_classes(g, KV[name], RDFS.range) == {"Kamer"}
        else:
            want_range = {c.strip().strip("`").split(" ")[0] for c in re.split(r",| or ", to) if c.strip()}
            have_range = domain_classes(g, KV[name], RDFS.range)
            if have_range == {"rdfs:Literal"}:  # a datatype OWL 2 cannot name as a range (xsd:date): schema:rangeIncludes
                have_range = domain_classes(g, KV[name], URIRef("https://schema.org/rangeIncludes"))
            if have_range == {"rdf:PlainLiteral"}:  # OWL 2's name for RDF 1.1's rdf:langString (not in OWL 2's datatype map)
                have_range = {"rdf:langString"}
            assert have_range == want_range, name


def test_ontology_header_and_alignments() -> None:
    g = load_ontology()
    onto = URIRef("https://w3id.org/kamervragen/def")
    for p in (OWL.versionIRI, OWL.versionInfo, URIRef("http://purl.org/dc/terms/license"),
              URIRef("http://purl.org/dc/terms/creator")):
        assert g.value(onto, p) is not None, p
    foaf = "http://xmlns.com/foaf/0.1/"
    assert (KV.Kamerlid, RDFS.subClassOf, URIRef(foaf + "Person")) in g
    assert (KV.Fractie, RDFS.subClassOf, URIRef(foaf + "Organization")) in g
    assert (KV.Vraag, RDFS.subClassOf, URIRef("https://schema.org/Question")) in g
    assert (KV.verwijstNaar, RDFS.subPropertyOf, URIRef("http://purl.org/dc/terms/references")) in g
    # The Tweede Kamer model is linked, not subclassed.
    tk = "https://opendata.tweedekamer.nl/documentatie/"
    assert (KV.Kamerlid, SKOS.closeMatch, URIRef(tk + "Persoon")) in g
    assert not [o for o in g.objects(None, RDFS.subClassOf) if str(o).startswith(tk)]

