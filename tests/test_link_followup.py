"""Questions linked to their answers, delay notices, answer times (kg.link.followup).

The corpus holds no question publication together with its answer (its
kv-tk publications of November 2024 were answered later); its Word answers
print the zaak number of their questions and its Mededeling ah-tk-20242025-562
prints that of the questions it delays, so those link to the official IRIs of
the question publications. What the corpus lacks is built from synthetic
publications: a pair without zaak number, an ambiguous one, a delay notice
that keeps an answer on day 40 in time.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from kg.build import build
from kg.iris import IriMinter
from kg.link import followup
from kg.mapping import publication_triples
from kg.model import Citation, CitationSoort, DocumentSoort, Person, Publication
from kg.validate import KVSH, validate
from kg.vocab import KV, RDF

IRIS = IriMinter()
OB = "https://zoek.officielebekendmakingen.nl/"
OWN_SHAPES = {
    KVSH + name
    for name in (
        "Koppeling-doelen-bereik",
        "MeldtUitstelVan-onderwerp",
        "Koppeling-van",
        "Koppeling-naar",
        "Koppeling-relatie",
        "Koppeling-zekerheid",
        "Koppeling-score",
        "Document-antwoordtermijnDagen",
        "Document-termijnOverschreden",
        "TermijnOverschreden-met-dagen",
        "Mededeling-dagenTotMededeling",
    )
}


def doc(identifier: str) -> URIRef:
    return URIRef(OB + identifier)


def _pub(
    identifier: str,
    soort: DocumentSoort,
    *,
    zaak: str | None = None,
    ingezonden: dt.date | None = None,
    ontvangen: dt.date | None = None,
    askers: tuple[str, ...] = (),
    onderwerp: str | None = None,
    citations: tuple[Citation, ...] = (),
    mondeling: bool = False,
) -> Publication:
    return Publication(
        identifier=identifier,
        soort=soort,
        source_path=Path(f"{identifier}.txt"),
        source_format="text",
        source_sha256="0" * 64,
        zaaknummer=zaak,
        ingezonden=ingezonden,
        ontvangen=ontvangen,
        vragenstellers=tuple(Person(a, "SP") for a in askers),
        onderwerp=onderwerp,
        citations=citations,
        mondeling=mondeling,
    )


Q, A, M = DocumentSoort.VRAGEN, DocumentSoort.ANTWOORD, DocumentSoort.MEDEDELING
D = dt.date

SYNTHETIC = [
    # A pair without zaak number: same askers and date, the subject glued differently by the PDF
    # text and with its source added.
    _pub("kv-tk-2023Z10001", Q, ingezonden=D(2023, 10, 2), askers=("Van Nispen", "Dijk"),
         onderwerp="het bericht «Gevangenissen zitten vol, gedetineerden slapen op de gang»"),
    _pub("ah-tk-20232024-300", A, ingezonden=D(2023, 10, 2), ontvangen=D(2023, 10, 20), askers=("Van Nispen", "Dijk"),
         onderwerp="het bericht «Gevangenissenzitten vol, gedetineer-den slapen op de gang» (NOS.nl, 1 oktober 2023)"),
    # The same members on the same day about something else: the subject keeps it apart.
    _pub("kv-tk-2023Z10002", Q, ingezonden=D(2023, 10, 2), askers=("Van Nispen", "Dijk"),
         onderwerp="de wachtlijsten in de jeugdzorg"),
    # Two question publications that fit one answer equally well: not linked, reported.
    _pub("kv-tk-2023Z20001", Q, ingezonden=D(2023, 11, 6), askers=("Kostić",), onderwerp="de landelijke vrijstellingslijst"),
    _pub("kv-tk-2023Z20002", Q, ingezonden=D(2023, 11, 6), askers=("Kostić",), onderwerp="de landelijke vrijstellingslijst"),
    _pub("ah-tk-20232024-500", A, ingezonden=D(2023, 11, 6), ontvangen=D(2023, 11, 20), askers=("Kostić",),
         onderwerp="de landelijke vrijstellingslijst"),
    # A delay notice naming the zaak number in its Mededeling paragraph, and the Word answer
    # (zaak number, no submission date) on day 40: in time, since six weeks apply.
    _pub("kv-tk-2024Z05000", Q, zaak="2024Z05000", ingezonden=D(2024, 3, 1), askers=("Bikker",), onderwerp="wachttijden ggz"),
    _pub("ah-tk-20232024-1000", M, ingezonden=D(2024, 3, 1), ontvangen=D(2024, 3, 22), askers=("Bikker",), onderwerp="wachttijden ggz",
         citations=(Citation("kv-tk-2024Z05000", "2024Z05000", CitationSoort.TOELICHTING),)),
    _pub("ah-tk-20232024-1100", A, zaak="2024Z05000", ontvangen=D(2024, 4, 10)),
    # The same 40 days without a notice: late.
    _pub("ah-tk-20232024-1200", A, ingezonden=D(2024, 3, 1), ontvangen=D(2024, 4, 10), askers=("Ellian",), onderwerp="de EBI"),
    # A notice found by askers, date and subject; its answer on day 43 is late even after the notice.
    _pub("ah-tk-20232024-1010", M, ingezonden=D(2024, 3, 4), ontvangen=D(2024, 3, 20), askers=("Westerveld",),
         onderwerp="hulp bij eetstoornissen"),
    _pub("ah-tk-20232024-1310", A, ingezonden=D(2024, 3, 4), ontvangen=D(2024, 4, 16), askers=("Westerveld",),
         onderwerp="hulp bij eetstoornissen"),
    # A printed zaak number the registry does not know: no link.
    _pub("ah-tk-20232024-1400", A, zaak="2023Z99999", ingezonden=D(2023, 12, 1), ontvangen=D(2024, 1, 10)),
    # Received before submitted (a misread date): no answer time, a warning.
    _pub("ah-tk-20232024-1500", A, ingezonden=D(2024, 5, 1), ontvangen=D(2024, 4, 1)),
    # Oral questions are answered in the plenary: never matched to an Aanhangsel answer.
    _pub("kv-tk-2024Z06000", Q, ingezonden=D(2024, 5, 6), askers=("Krul",), onderwerp="TEMU", mondeling=True),
    _pub("ah-tk-20232024-1600", A, ingezonden=D(2024, 5, 6), ontvangen=D(2024, 5, 20), askers=("Krul",), onderwerp="TEMU"),
]


@pytest.fixture(scope="module")
def synthetic():
    g = Graph()
    for p in SYNTHETIC:
        for t in publication_triples(p, IRIS):
            g.add(t)
    out = followup.link(SYNTHETIC, IRIS)
    for triples in out.triples.values():
        for t in triples:
            g.add(t)
    return g, out


def koppeling(g: Graph, van: str, naar: str) -> tuple[URIRef, str, Decimal]:
    k = IRIS.koppeling(van, naar)
    assert (k, RDF.type, KV.Koppeling) in g
    assert (g.value(k, KV.koppelingVan), g.value(k, KV.koppelingNaar)) == (doc(van), doc(naar))
    return g.value(k, KV.koppelingRelatie), str(g.value(k, KV.koppelingZekerheid)), g.value(k, KV.koppelingScore).toPython()


def test_pair_by_askers_date_and_subject(synthetic):
    g, _ = synthetic
    assert (doc("kv-tk-2023Z10001"), KV.beantwoordIn, doc("ah-tk-20232024-300")) in g
    relatie, zekerheid, score = koppeling(g, "kv-tk-2023Z10001", "ah-tk-20232024-300")
    assert (relatie, zekerheid) == (KV.beantwoordIn, "vragenstellers+datum+onderwerp")
    assert Decimal("0.9") < score < 1
    # the other set of the same members and day stays unanswered
    assert not list(g.objects(doc("kv-tk-2023Z10002"), KV.beantwoordIn))


def test_ambiguous_pair_is_reported_not_linked(synthetic):
    g, out = synthetic
    assert not list(g.subjects(KV.beantwoordIn, doc("ah-tk-20232024-500")))
    (amb,) = out.report["ambiguous"]
    assert amb["relation"] == "beantwoordIn" and "ah-tk-20232024-500" in amb["pair"]


def test_delay_notice_gives_six_weeks(synthetic):
    g, _ = synthetic
    # the Word answer prints the zaak number of its questions
    assert koppeling(g, "kv-tk-2024Z05000", "ah-tk-20232024-1100") == (KV.beantwoordIn, "zaaknummer", Decimal(1))
    # the notice delays the questions and their answer
    assert set(g.objects(doc("ah-tk-20232024-1000"), KV.meldtUitstelVan)) == {doc("kv-tk-2024Z05000"), doc("ah-tk-20232024-1100")}
    assert koppeling(g, "ah-tk-20232024-1000", "kv-tk-2024Z05000")[:2] == (KV.meldtUitstelVan, "zaaknummer")
    assert g.value(doc("ah-tk-20232024-1000"), KV.dagenTotMededeling) == Literal(21)
    # day 40, counted from the submission date of the question publication: in time after the notice
    assert g.value(doc("ah-tk-20232024-1100"), KV.antwoordtermijnDagen) == Literal(40)
    assert g.value(doc("ah-tk-20232024-1100"), KV.termijnOverschreden) == Literal(False)
    # day 40 without a notice: late
    assert g.value(doc("ah-tk-20232024-1200"), KV.antwoordtermijnDagen) == Literal(40)
    assert g.value(doc("ah-tk-20232024-1200"), KV.termijnOverschreden) == Literal(True)
    # a notice found by askers, date and subject; day 43 is late even after it
    assert koppeling(g, "ah-tk-20232024-1010", "ah-tk-20232024-1310")[:2] == (KV.meldtUitstelVan, "vragenstellers+datum+onderwerp")
    assert g.value(doc("ah-tk-20232024-1310"), KV.antwoordtermijnDagen) == Literal(43)
    assert g.value(doc("ah-tk-20232024-1310"), KV.termijnOverschreden) == Literal(True)
    # the answer of 14 days is in time
    assert g.value(doc("ah-tk-20232024-300"), KV.termijnOverschreden) == Literal(False)


def test_unknown_zaak_misread_dates_and_oral_questions(synthetic):
    g, out = synthetic
    assert not list(g.subjects(KV.beantwoordIn, doc("ah-tk-20232024-1400")))
    assert out.report["not_linked"] == [
        {"answer": "ah-tk-20232024-1400", "zaak": "2023Z99999", "reason": "kv-tk-2023Z99999: does not exist"}
    ]
    assert g.value(doc("ah-tk-20232024-1500"), KV.antwoordtermijnDagen) is None
    assert "before the questions were submitted" in out.warnings["ah-tk-20232024-1500"][0]
    assert not list(g.subjects(KV.beantwoordIn, doc("ah-tk-20232024-1600")))


def test_synthetic_report(synthetic):
    _, out = synthetic
    c = out.report["counts"]
    assert (c["answered_in"], c["answered_in_by_zaaknummer"], c["answered_in_by_askers_date_subject"]) == (2, 1, 1)
    assert c["delay_links"] == 3 and c["notice_times"] == 2
    assert c["answer_times"] == 7 and c["late"] == 3 and c["answered_after_notice"] == 2
    late = {t["publication"]: (t["days"], t["term"]) for t in out.report["late_answers"]}
    assert late == {"ah-tk-20232024-1200": (40, 21), "ah-tk-20232024-1310": (43, 42), "ah-tk-20232024-1400": (40, 21)}
    assert "kv-tk-2024Z06000" not in out.report["question_publications_without_answer_in_build"]  # oral


def test_synthetic_graph_passes_the_shapes(synthetic):
    g, _ = synthetic
    assert not [v for v in validate(g).violations if v.shape in OWN_SHAPES]


def test_subject_similarity_ignores_glue_and_tells_subjects_apart():
    same = followup.subject_similarity("het artikel «Aidsfonds maakt zichzorgen»", "het artikel «Aidsfonds maakt zich zorgen»")
    other = followup.subject_similarity("de uitzetting van de heer Isbatov", "de wachtlijsten in de jeugdzorg")
    assert same == 1.0 and other < followup.MIN_SUBJECT_SIMILARITY


# ---------------------------------------------------------------- the corpus


@pytest.fixture(scope="module")
def corpus_build(corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("followup-corpus")
    result = build([corpus / "docs", corpus / "unlabelled"], out, jobs=2, validate=True)
    return result, Graph().parse(out / "kamervragen.nt", format="nt")


def test_corpus_word_answers_link_to_their_questions(corpus_build):
    result, g = corpus_build
    # The ministries' Word answers print the zaak number of the questions they answer.
    pairs = {("kv-tk-2024Z18294", "ah-tk-20242025-604"), ("kv-tk-2024Z15078", "ah-tk-20242025-610"),
             ("kv-tk-2024Z15295", "ah-tk-20242025-612"), ("kv-tk-2024Z17972", "ah-tk-20242025-617")}
    found = {(str(s)[len(OB):], str(o)[len(OB):]) for s, o in g.subject_objects(KV.beantwoordIn)}
    assert pairs <= found
    for kv, ah in pairs:
        assert koppeling(g, kv, ah) == (KV.beantwoordIn, "zaaknummer", Decimal(1))
        # the question publication is outside the corpus: a stub under its official IRI
        assert g.value(doc(kv), KV.identificatie) == Literal(kv)
        assert g.value(doc(kv), KV.bronbestand) is None
    section = result.report["links"]["followup"]
    assert section["counts"]["answered_in_by_zaaknummer"] >= 4
    # No question publication of the corpus has its answer in the corpus.
    assert section["counts"]["answered_in_with_both_in_build"] == 0
    assert {"kv-tk-2024Z18796", "kv-tk-2024Z18659", "kv-tk-2024Z18891"} <= set(section["question_publications_without_answer_in_build"])


def test_corpus_toelichting_of_an_answer_is_not_its_own_zaak(corpus_build):
    _, g = corpus_build
    # ah-tk-20242025-570 cites 2024Z14250 in its Toelichting as "eerdere vragen" of other members.
    assert not list(g.subjects(KV.beantwoordIn, doc("ah-tk-20242025-570")))
    assert (doc("kv-tk-2024Z14250"), KV.beantwoordIn, None) not in g


def test_corpus_delay_notice(corpus_build):
    _, g = corpus_build
    # ah-tk-20242025-562: "De vragen van de leden Van den Hil (VVD) en Bikker (ChristenUnie) over het
    # bericht «Wachttijden ggz ...»(2024Z16988) kunnen ... niet binnen de gebruikelijke termijn worden beantwoord."
    assert (doc("ah-tk-20242025-562"), KV.meldtUitstelVan, doc("kv-tk-2024Z16988")) in g
    assert koppeling(g, "ah-tk-20242025-562", "kv-tk-2024Z16988")[:2] == (KV.meldtUitstelVan, "zaaknummer")
    # submitted 25 October, notice received 15 November 2024
    assert g.value(doc("ah-tk-20242025-562"), KV.dagenTotMededeling) == Literal(21)
    # ah-tk-20232024-1999: submitted 30 May, notice received 7 June 2024
    assert g.value(doc("ah-tk-20232024-1999"), KV.dagenTotMededeling) == Literal(8)
    assert g.value(doc("ah-tk-20242025-562"), KV.antwoordtermijnDagen) is None


def test_corpus_answer_times(corpus_build):
    result, g = corpus_build

    def days(identifier: str) -> tuple[int, bool]:
        return g.value(doc(identifier), KV.antwoordtermijnDagen).toPython(), g.value(doc(identifier), KV.termijnOverschreden).toPython()

    assert days("ah-tk-20182019-3878") == (37, True)  # 29 July to 4 September 2019
    assert days("ah-tk-20242025-573") == (14, False)  # 4 to 18 November 2024
    assert days("ah-tk-20242025-582") == (12, False)
    assert days("ah-tk-20232024-2129") == (23, True)  # 5 to 28 June 2024: just past three weeks
    assert days("ah-tk-20232024-387") == (42, True)  # six weeks, but no delay notice in the corpus
    # Word answers print no submission date and their questions are not in the corpus: no answer time
    assert g.value(doc("ah-tk-20242025-604"), KV.antwoordtermijnDagen) is None
    answered = {s for s in g.subjects(KV.antwoordtermijnDagen, None)}
    assert answered == set(g.subjects(KV.termijnOverschreden, None))
    section = result.report["links"]["followup"]
    assert section["counts"]["answer_times"] == len(answered)
    assert section["counts"]["late"] == len(set(g.subjects(KV.termijnOverschreden, Literal(True))))


def test_corpus_own_shapes_pass(corpus_build):
    result, _ = corpus_build
    assert not [v for v in result.validation.violations if v.shape in OWN_SHAPES]
