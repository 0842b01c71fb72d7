"""Follow-ups as facts (kv:volgtOp, kg.link.followup): the link stage makes
exactly the (later, earlier) pairs the follow-up-chains query used to find
with the property path (kv:verwijstNaar | kv:beantwoordIn | ^kv:beantwoordIn)+
at query time. The old query is kept as tests/data/follow-up-chains-path.rq;
here both give the same rows on generated publications (the corpus and the
mini graph: tests/test_queries.py), and the pairs are checked on small
hand-made sets of records."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import URIRef

from kg import query as q
from kg.build import build
from kg.iris import IriMinter
from kg.link import followup, link
from kg.link.record import CitationRecord, LinkRecord, PersonRecord
from kg.model import DocumentSoort
from kg.vocab import KV

IRIS = IriMinter()
OB = "https://zoek.officielebekendmakingen.nl/"
REFERENCE = Path(__file__).parent / "data" / "follow-up-chains-path.rq"
Q, A, M = DocumentSoort.VRAGEN.value, DocumentSoort.ANTWOORD.value, DocumentSoort.MEDEDELING.value


def reference_query() -> q.NamedQuery:
    return q.parse_query_file(REFERENCE.read_text(encoding="utf-8"), "follow-up-chains-path", str(REFERENCE))


def reference_pairs_query() -> str:
    """The old query's WHERE clause as (laterDoc, earlierDoc) pairs: what kv:volgtOp must hold exactly."""
    text = REFERENCE.read_text(encoding="utf-8")
    text = text.replace("SELECT ?later ?laterAsker ?earlier ?earlierAsker ?sameAsker", "SELECT DISTINCT ?laterDoc ?earlierDoc")
    assert "SELECT DISTINCT ?laterDoc ?earlierDoc" in text
    return text[: text.rindex("ORDER BY")]


def rec(identifier: str, soort: str = A, *, cites: tuple[str, ...] = (), askers: tuple[str, ...] = ("Lid",),
        zaak: str | None = None, tk_zaak_id: str | None = None) -> LinkRecord:
    return LinkRecord(
        identifier=identifier,
        soort=soort,
        zaaknummer=zaak,
        askers=tuple(PersonRecord(a, "SP", provisional=a.lower() + "-sp") for a in askers),
        citations=tuple(CitationRecord(c, c, "tekst") for c in cites),
        tk_zaak_id=tk_zaak_id,
    )


# ------------------------------------------------------------ the pairs, by hand


def test_a_chain_through_a_question_publication_and_its_answer():
    records = [
        # questions published on their own, answered in 101; both cite a Kamerstuk
        rec("kv-tk-2024Z00001", Q, cites=("kst-1-1",)),
        rec("ah-tk-20232024-101", cites=("kst-1-1",)),
        # 105 cites the questions, 107 cites 105: 107 follows up 105 and, through it, 101
        rec("ah-tk-20232024-105", cites=("kv-tk-2024Z00001",)),
        rec("ah-tk-20232024-107", cites=("ah-tk-20232024-105",)),
    ]
    pairs = followup.follow_up_pairs(records, [("kv-tk-2024Z00001", "ah-tk-20232024-101")])
    assert pairs == [
        ("ah-tk-20232024-105", "ah-tk-20232024-101"),
        ("ah-tk-20232024-107", "ah-tk-20232024-101"),
        ("ah-tk-20232024-107", "ah-tk-20232024-105"),
    ]


def test_a_much_cited_kamerstuk_joins_nothing():
    records = [rec(f"ah-tk-20232024-{n}", cites=("kst-36200-VI-1", "stb-2024-1")) for n in range(200, 260)]
    assert followup.follow_up_pairs(records, []) == []


def test_which_documents_count_on_either_side():
    records = [
        rec("ah-tk-20232024-101"),
        # a delay notice repeats its questions: never the later side, but it may be followed up
        rec("ah-tk-20232024-301", M, cites=("ah-tk-20232024-101",)),
        rec("ah-tk-20232024-302", cites=("ah-tk-20232024-301",)),
        # no askers: follows up nothing
        rec("ah-tk-20232024-303", cites=("ah-tk-20232024-101",), askers=()),
        # a question publication answered in the graph is represented by its answer, on both sides
        rec("kv-tk-2024Z00002", Q, cites=("ah-tk-20232024-101",)),
        rec("ah-tk-20232024-304", cites=("kv-tk-2024Z00002",)),
        # an unread document of another scheme is context; one the build read counts
        rec("ah-tk-20232024-305", cites=("tk-2022D00001", "tk-2022D00002", "kv-tk-2023Z00009", "ah-ek-20232024-1")),
        rec("tk-2022D00002"),
    ]
    pairs = followup.follow_up_pairs(records, [("kv-tk-2024Z00002", "ah-tk-20232024-304")])
    assert pairs == [
        ("ah-tk-20232024-302", "ah-tk-20232024-101"),
        ("ah-tk-20232024-302", "ah-tk-20232024-301"),
        ("ah-tk-20232024-304", "ah-tk-20232024-101"),
        ("ah-tk-20232024-305", "ah-ek-20232024-1"),
        ("ah-tk-20232024-305", "kv-tk-2023Z00009"),
        ("ah-tk-20232024-305", "tk-2022D00002"),
    ]


def test_two_answers_to_one_question_publication_follow_each_other_up_never_themselves():
    # Why kv:volgtOp is no owl:TransitiveProperty: 401 and 402 reach each other
    # through their questions, yet neither follows itself up.
    records = [rec("kv-tk-2024Z00003", Q), rec("ah-tk-20232024-401"), rec("tk-2024D00001")]
    answered = [("kv-tk-2024Z00003", "ah-tk-20232024-401"), ("kv-tk-2024Z00003", "tk-2024D00001")]
    assert followup.follow_up_pairs(records, answered) == [
        ("ah-tk-20232024-401", "tk-2024D00001"),
        ("tk-2024D00001", "ah-tk-20232024-401"),
    ]


def test_askers_from_the_zaak_and_the_zaak_beside_its_printed_publication():
    zaak = "5c1f2d7e-0000-0000-0000-000000000001"
    records = [
        rec("ah-tk-20232024-101"),
        # a Word answer printing only its zaak number takes the zaak's askers (kg.link.zaken)
        rec("ah-tk-20232024-500", cites=("ah-tk-20232024-101",), askers=(), zaak="2024Z00077"),
        rec("kv-tk-2024Z00077", Q, zaak="2024Z00077", tk_zaak_id=zaak),
        # the zaak of a parsed question publication is not built: the printed citations stand
        rec("kv-tk-2024Z00088", Q, zaak="2024Z00088"),
        rec("kv-tk-2024Z00088", Q, zaak="2024Z00088", cites=("ah-tk-20232024-101",), tk_zaak_id=zaak[:-1] + "2"),
    ]
    assert followup.follow_up_pairs(records, []) == [("ah-tk-20232024-500", "ah-tk-20232024-101")]


def test_the_link_stage_emits_them_under_the_later_publication():
    records = [
        rec("kv-tk-2024Z00001", Q, zaak="2024Z00001"),
        rec("ah-tk-20232024-101", zaak="2024Z00001"),
        rec("ah-tk-20232024-105", cites=("kv-tk-2024Z00001",)),
        rec("tk-2022D31072", cites=("ah-tk-20232024-105",)),
    ]
    out, sections = link(records, IRIS)
    found = {key: sorted((str(s), str(o)) for s, p, o in triples if p == KV.volgtOp) for key, triples in out.triples.items()}
    assert {k: v for k, v in found.items() if v} == {
        "ah-tk-20232024-105": [(OB + "ah-tk-20232024-105", OB + "ah-tk-20232024-101")],
        # a document without an official identifier is named under the base, as the mapping names it
        "tk-2022D31072": [(str(IRIS.publication("tk-2022D31072")), OB + "ah-tk-20232024-101"),
                          (str(IRIS.publication("tk-2022D31072")), OB + "ah-tk-20232024-105")],
    }
    assert IRIS.publication("tk-2022D31072") == URIRef("https://w3id.org/kamervragen/id/document/tk-2022D31072")
    assert sections["followup"]["counts"]["follow_ups"] == 3


# ------------------------------------------- the old query and the new, generated set


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> ox.Store:
    """300 generated publications (seed 7: threads of up to 15 zaken, each with
    its question publication, delay notice and answer), built and validated."""
    from kg.synth import generate

    tmp = tmp_path_factory.mktemp("follow-ups")
    generate(300, tmp / "synth", seed=7)
    result = build([tmp / "synth" / "docs"], tmp / "out", jobs=2)
    own = {f"https://w3id.org/kamervragen/shapes#VolgtOp-{n}" for n in ("bereik", "onderwerp", "vragenstellers")}
    assert not [v for v in result.validation.violations if str(v.shape) in own]
    store = ox.Store()
    store.bulk_load(path=str(tmp / "out" / "kamervragen.nt"), format=ox.RdfFormat.N_TRIPLES)
    return store


def test_generated_old_and_new_query_give_the_same_rows(generated):
    old = q.run(reference_query(), generated)
    new = q.run(q.named_queries()["follow-up-chains"], generated)
    assert (new.variables, new.rows) == (old.variables, old.rows)
    # chains of several links: a document follows up many earlier ones
    assert len(new.rows) == 584
    assert max(sum(1 for r in new.rows if r[0] == later) for later in {r[0] for r in new.rows}) >= 10


def test_generated_volgt_op_is_exactly_the_pairs_of_the_path(generated):
    pairs = {(r[0].value, r[1].value) for r in generated.query(reference_pairs_query())}
    facts = {(s.subject.value, s.object.value) for s in generated.quads_for_pattern(None, ox.NamedNode(str(KV.volgtOp)), None)}
    assert facts == pairs and pairs
