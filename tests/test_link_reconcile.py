"""Reconciliation of printed names with the shipped tables (derived from the
Tweede Kamer's Persoon records and openkamer), and stable person IRIs.

The hard cases are real people: the tables are real data, so each case
checks a fact that could be got wrong (a namesake taken, a double name or a
prefix not folded, a party change splitting a person)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from rdflib import Literal, URIRef

from kg.iris import IriMinter
from kg.link import GLOBAL, link
from kg.link import people
from kg.link.reconcile import match_member, match_minister
from kg.model import Bewindspersoon, DocumentSoort, Office, Person, Publication
from kg.vocab import KV, OWL, RDF, RDFS, SCHEMA

IRIS = IriMinter()
S = people.successors()
D = dt.date

KROGER = "89d70a20-bd10-46ed-866a-2c79362a0559"
YESILGOZ = "9ab41898-332f-4c08-a834-d58b4669c990"
VAN_DER_PLAS = "b41b2403-9f06-4d55-adc5-b0777373ca7e"


def tk_id(surname: str, **kw) -> str | None:
    m = match_member(surname, successors=S, **kw)
    return m.person.tk_id if m.person else None


def pub(identifier: str, date: dt.date, *persons: Person, answerers: tuple[Bewindspersoon, ...] = ()) -> Publication:
    soort = DocumentSoort.ANTWOORD if answerers else DocumentSoort.VRAGEN
    return Publication(identifier, soort, Path(f"{identifier}.txt"), "text", "0" * 64, ingezonden=date,
                       ontvangen=date + dt.timedelta(days=20) if answerers else None, vragenstellers=persons,
                       beantwoord_door=answerers)


def test_namesakes_are_told_apart_by_party_and_date():
    # Three members called Van Dijk sat in 2015 (SP, PvdA) and 2008 (CDA).
    assert tk_id("Van Dijk", party="SP", on=D(2015, 3, 1)) == "2b533923-83a2-4ac6-b497-934a549b50ab"  # Jasper
    assert tk_id("Van Dijk", party="PvdA", on=D(2015, 3, 1)) == "43fd0a28-6a9c-4427-a55c-211fbae70091"  # Otwin
    assert tk_id("Van Dijk", party="CDA", on=D(2008, 3, 1)) == "8141d31f-aada-4f96-9363-8f8e6364dbf1"  # Jan Jacob
    assert tk_id("Van Dijk", party="PVV", on=D(2023, 3, 1)) == "81552958-ef83-4fab-8a92-6e5b1975c9ef"  # Emiel


def test_a_match_that_is_not_unique_is_not_made_and_gives_its_candidates():
    # Hans (GL-PvdA) and Susan (D66) Teunissen both sat in 2024; the party
    # data ends in 2019, so the print "Teunissen" alone cannot say who.
    m = match_member("Teunissen", party="GL-PvdA", on=D(2024, 4, 4), successors=S)
    assert m.person is None
    assert {c["name"] for c in m.candidates} == {"Hans Teunissen", "Susan Teunissen"}
    # the first name settles it
    assert tk_id("Teunissen", voornaam="Susan", on=D(2024, 4, 4)) == "c095e5fc-69cb-4c66-bee4-10bfe518336a"


def test_double_names_with_hyphen_spaced_hyphen_or_dash_are_one_name():
    for printed in ("Yeşilgöz-Zegerius", "Yeşilgöz - Zegerius", "Yeşilgöz – Zegerius", "Yesilgöz—Zegerius"):
        assert tk_id(printed, party="VVD", on=D(2020, 3, 1)) == YESILGOZ, printed


def test_prefix_case_does_not_matter():
    assert tk_id("Van der Plas", party="BBB", on=D(2023, 3, 1)) == VAN_DER_PLAS
    assert tk_id("van der Plas", party="BBB", on=D(2023, 3, 1)) == VAN_DER_PLAS


def test_birth_date_keeps_generations_apart():
    # Nobody called Aalberse could ask a question in 2020: the two P.J.M.
    # Aalberses of the Persoon records were born in 1871 and 1910.
    m = match_member("Aalberse", on=D(2020, 1, 1), successors=S)
    assert m.person is None


def test_member_who_changed_party_is_one_node_with_one_label_and_two_memberships():
    gl, glpvda = Person("Kröger", "GroenLinks"), Person("Kröger", "GroenLinks-PvdA")
    out = people.link([pub("kv-tk-2022Z00001", D(2022, 5, 1), gl), pub("kv-tk-2024Z00001", D(2024, 3, 1), glpvda)], IRIS, [])
    node = IRIS.kamerlid_key(f"tk-{KROGER}")
    assert out.renames[IRIS.kamerlid("Kröger", "GroenLinks")] == node
    assert out.renames[IRIS.kamerlid("Kröger", "GroenLinks-PvdA")] == node
    g = out.triples[GLOBAL]
    memberships = {o for s, p, o in g if s == node and p == KV.lidmaatschap}
    assert {o for s, p, o in g if s in memberships and p == KV.lidVan} == {IRIS.fractie("GL"), IRIS.fractie("GL-PvdA")}
    # kv:fractie (core vocabulary) names every party group the member was in;
    # the memberships say when
    assert {t[2] for t in g if t[0] == node and t[1] == KV.fractie} == {IRIS.fractie("GL"), IRIS.fractie("GL-PvdA")}
    # the identifiers: TK id as literal and OData IRI, Wikidata, Parlement.com
    assert (node, KV.tkPersoonId, Literal(KROGER)) in g
    assert (node, KV.tkPersoon, URIRef(f"https://gegevensmagazijn.tweedekamer.nl/OData/v4/2.0/Persoon({KROGER})")) in g
    # the old IRIs answer
    assert (IRIS.kamerlid("Kröger", "GroenLinks"), OWL.sameAs, node) in g


def test_member_who_became_minister_is_one_person_in_both_roles():
    member = Person("Yeşilgöz-Zegerius", "VVD")
    minister = Bewindspersoon("Yeşilgöz-Zegerius", Office("Minister", "van", "Justitie en Veiligheid"))
    pubs = [pub("kv-tk-2020Z00001", D(2020, 3, 1), member),
            pub("ah-tk-20222023-1", D(2023, 3, 1), Person("Ellian", "VVD"), answerers=(minister,))]
    out, sections = link(pubs, IRIS)
    lid, bewinds = IRIS.kamerlid_key(f"tk-{YESILGOZ}"), IRIS.bewindspersoon_key(f"tk-{YESILGOZ}")
    assert out.renames[IRIS.kamerlid("Yeşilgöz-Zegerius", "VVD")] == lid
    assert out.renames[IRIS.bewindspersoon("Yeşilgöz-Zegerius")] == bewinds
    g = out.triples[GLOBAL]
    assert (lid, OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q28861002")) in g
    assert (bewinds, OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q28861002")) in g
    pv = IRIS.identificatie("parlement-com", "vk93lsytn3mr")
    assert (bewinds, SCHEMA.identifier, pv) in g and (pv, SCHEMA.propertyID, Literal("P1749")) in g


def test_minister_by_term_up_to_2019():
    m = match_minister("Grapperhaus", on=D(2019, 3, 1), office="Minister van Justitie en Veiligheid")
    assert m.person is not None and m.person.wikidata == "Q2195581"
    # Bruins: Bruno (minister 2018-2019, a term) and Eppo (2024, no term in the data): in 2024 not guessed
    assert match_minister("Bruins", on=D(2019, 3, 1)).person.wikidata == "Q2212796"
    assert match_minister("Bruins", on=D(2024, 9, 1)).person is None


def test_party_gets_its_wikidata_item():
    out = people.link([pub("kv-tk-2022Z00001", D(2022, 5, 1), Person("Kröger", "GroenLinks"))], IRIS, [])
    assert (IRIS.fractie("GL"), OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q667680")) in out.triples[GLOBAL]


def _person_iris(pubs) -> dict[str, URIRef]:
    out, _ = link(pubs, IRIS)
    return {str(p.identifier) + ":" + a.achternaam: out.renames.get(IRIS.kamerlid(a.achternaam, a.fractie, a.voornaam),
                                                                    IRIS.kamerlid(a.achternaam, a.fractie, a.voornaam))
            for p in pubs for a in p.vragenstellers}


def test_two_overlapping_corpora_give_the_same_person_iris():
    a = pub("kv-tk-2022Z00001", D(2022, 5, 1), Person("Kröger", "GroenLinks"), Person("Bikker", "ChristenUnie"))
    b = pub("kv-tk-2023Z00002", D(2023, 5, 1), Person("Bikker", "CU"), Person("Teunissen", "D66"))
    c = pub("kv-tk-2024Z00003", D(2024, 3, 1), Person("Kröger", "GL-PvdA"), Person("Teunissen", "D66"))
    d = pub("kv-tk-2024Z00004", D(2024, 6, 1), Person("Van Dijk", "SP", voornaam="Jasper"))
    first, second = _person_iris([a, b, c]), _person_iris([b, c, d])
    shared = set(first) & set(second)
    assert shared and all(first[k] == second[k] for k in shared)
    assert first["kv-tk-2023Z00002:Bikker"] == first["kv-tk-2022Z00001:Bikker"]
    # no person IRI carries a party
    assert all("-gl" not in str(v) and "-cu" not in str(v) for v in (*first.values(), *second.values()))
