"""One node per member, party and office across publications."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from kg.build import build
from kg.iris import IriMinter
from kg.link import GLOBAL
from kg.link import people
from kg.model import DocumentSoort, Person, Publication
from kg.vocab import KV, OWL, RDF, RDFS, SCHEMA, SKOS

IRIS = IriMinter()


def pub(identifier: str, date: dt.date, *persons: Person) -> Publication:
    return Publication(identifier, DocumentSoort.VRAGEN, Path(f"{identifier}.txt"), "text", "0" * 64,
                       ingezonden=date, vragenstellers=persons)


def renamed(out, person: Person) -> URIRef:
    iri = IRIS.kamerlid(person.achternaam, person.fractie, person.voornaam)
    return out.renames.get(iri, iri)


def test_same_member_under_two_spellings_of_one_party_is_one_node():
    a, b = Person("Kröger", "GroenLinks-PvdA"), Person("Kröger", "GL-PvdA")
    out = people.link([pub("kv-tk-2024Z00001", dt.date(2024, 1, 5), a), pub("kv-tk-2024Z00002", dt.date(2024, 2, 5), b)], IRIS, [], reconcile=False)
    assert renamed(out, a) == renamed(out, b)
    # the party is one node, with both spellings as labels and its full name
    party = IRIS.fractie("GL-PvdA")
    assert out.renames[IRIS.fractie("GroenLinks-PvdA")] == party
    labels = {str(o) for s, p, o in out.triples[GLOBAL] if s == party and p == RDFS.label}
    assert labels == {"GroenLinks-PvdA", "GL-PvdA"}
    assert (party, SKOS.prefLabel, Literal("GroenLinks-PvdA", lang="nl")) in out.triples[GLOBAL]


def test_different_members_with_one_surname_stay_apart():
    cda, sp, pvv = Person("Van Dijk", "CDA"), Person("Van Dijk", "SP"), Person("Van Dijk", "PVV")
    pubs = [pub("kv-tk-2023Z00001", dt.date(2023, 3, 1), cda), pub("kv-tk-2023Z00002", dt.date(2023, 3, 2), sp),
            pub("kv-tk-2023Z00003", dt.date(2023, 3, 3), pvv), pub("kv-tk-2023Z00004", dt.date(2023, 6, 1), cda)]
    out = people.link(pubs, IRIS, [], reconcile=False)
    nodes = {renamed(out, p) for p in (cda, sp, pvv)}
    assert len(nodes) == 3
    assert out.report["kamerleden"] == 3
    assert any("Van Dijk: 3 members of this surname kept apart" in a for a in out.report["ambiguities"])


def test_first_names_split_one_surname_in_one_party():
    inge, jan = Person("Van Dijk", "CDA", voornaam="Inge"), Person("Van Dijk", "CDA", voornaam="Jan")
    out = people.link([pub("kv-tk-2023Z00001", dt.date(2023, 3, 1), inge), pub("kv-tk-2023Z00002", dt.date(2023, 3, 2), jan)], IRIS, [], reconcile=False)
    assert out.report["kamerleden"] == 2
    assert renamed(out, inge) != renamed(out, jan)
    # the printed first names are the mapping's (one per node); the link stage adds none
    assert not [t for t in out.triples[GLOBAL] if t[1] == KV.voornaam]


def test_party_successor_and_reconciliation_table_join_one_person():
    gl, glpvda = Person("Bromet", "GroenLinks"), Person("Bromet", "GroenLinks-PvdA")
    out = people.link([pub("kv-tk-2023Z00001", dt.date(2023, 7, 4), gl), pub("kv-tk-2024Z00001", dt.date(2024, 3, 1), glpvda)], IRIS, [], reconcile=False)
    assert renamed(out, gl) == renamed(out, glpvda)
    memberships = [s for s, p, o in out.triples[GLOBAL] if p == RDF.type and o == KV.Lidmaatschap]
    assert len(memberships) == 2  # one person, two memberships with their dates

    # a change of party that no successor explains joins only through the table
    cda, nsc = Person("Omtzigt", "CDA"), Person("Omtzigt", "Nieuw Sociaal Contract")
    pubs = [pub("ah-tk-20142015-1", dt.date(2015, 2, 17), cda), pub("kv-tk-2024Z00009", dt.date(2024, 5, 1), nsc)]
    assert renamed(people.link(pubs, IRIS, [], reconcile=False), cda) != renamed(people.link(pubs, IRIS, [], reconcile=False), nsc)
    # synthetic identifiers: the test checks how they are written, not who they are
    table = [people.KnownMember("Omtzigt", "Pieter", frozenset({"CDA", "NSC"}), "test-uuid", "Q123", "vtest0000001")]
    out = people.link(pubs, IRIS, table, reconcile=False)
    node = renamed(out, cda)
    assert node == renamed(out, nsc)
    assert (node, OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q123")) in out.triples[GLOBAL]
    pv = IRIS.identificatie("parlement-com", "vtest0000001")
    assert (node, SCHEMA.identifier, pv) in out.triples[GLOBAL]
    assert (pv, SCHEMA.propertyID, Literal("P1749")) in out.triples[GLOBAL]
    assert (node, KV.tkPersoonId, Literal("test-uuid")) in out.triples[GLOBAL]
    assert out.report["not_in_reconciliation_table"] == []


def test_user_table_from_environment(tmp_path, monkeypatch):
    table = tmp_path / "leden.csv"
    table.write_text("achternaam,voornaam,fracties,tk_persoon_id,wikidata,parlement_com\nGroothuizen,Jan,D66,abc-123,Q1,\n", encoding="utf-8")
    monkeypatch.setenv(people.RECONCILIATION_ENV, str(table))
    (known,) = people.load_reconciliation()
    assert known.wikidata == "Q1" and known.fracties == frozenset({"D66"})


def test_corpus_every_member_is_one_node(corpus, tmp_path):
    result = build([corpus / "docs", corpus / "unlabelled"], tmp_path, jobs=1, validate=False)
    g = Graph().parse(tmp_path / "kamervragen.nt", format="nt")
    members = set(g.subjects(RDF.type, KV.Kamerlid))
    # every (folded surname) printed in the corpus is exactly one Kamerlid node
    printed = {people.fold(p.achternaam) for pub in result.parsed() for p in pub.vragenstellers}
    by_surname = {}
    for m in members:
        (surname,) = {people.fold(str(o)) for o in g.objects(m, KV.achternaam)}
        by_surname.setdefault(surname, []).append(m)
    assert set(by_surname) == printed
    assert all(len(nodes) == 1 for nodes in by_surname.values()), {k: v for k, v in by_surname.items() if len(v) > 1}
    # Kröger asked as GroenLinks (2022) and as GroenLinks-PvdA (2024): one person, two memberships
    (kroger,) = by_surname["kroger"]
    assert len(set(g.objects(kroger, KV.lidmaatschap))) == 2
    # offices meet in one node however they were printed: "Minister van JenV" and
    # "Minister Van Weel (Justitie en Veiligheid)"
    jenv = [a for a in g.subjects(RDF.type, KV.Ambt) if str(g.value(a, RDFS.label)) == "Minister van Justitie en Veiligheid"]
    assert len(jenv) == 1
    assert {str(g.value(b, KV.achternaam)) for b in g.subjects(KV.functie, jenv[0])} >= {"Van Weel", "Yeşilgöz-Zegerius"}
    # "Minister voor" stays apart from "Minister van", and both name their ministry
    voor = [a for a in g.subjects(RDF.type, KV.Ambt) if str(g.value(a, RDFS.label)) == "Minister voor Natuur en Stikstof"]
    assert len(voor) == 1
    assert str(g.value(g.value(voor[0], KV.ministerie), RDFS.label)) == "Ministerie van Landbouw, Natuur en Voedselkwaliteit"
