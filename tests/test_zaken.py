"""The Tweede Kamer's zaken as a source: both input forms, the mapping of a
zaak to its question publication, reconciliation through the zaak, and the
merge rules with parsed publications (printed facts stand; disagreements
reported and found by a named query; a Word answer with only its zaak number
takes the askers from the zaak, marked as derived)."""
from __future__ import annotations

import datetime as dt
import json
import lzma
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from kg import query as q
from kg.errors import KgError, ReadError
from kg.iris import IriMinter
from kg.link import GLOBAL, link, record_of
from kg.mapping import publication_triples
from kg.model import DocumentSoort, Person, Publication
from kg.read import is_structured, read_structured
from kg.vocab import KV, PROV, RDF, RDFS

DATA = Path(__file__).parent / "data" / "zaken"
JSONL, JSONL_XZ, ODATA = DATA / "zaken-sample.jsonl", DATA / "zaken-sample.jsonl.xz", DATA / "zaken-page.odata.json"
IRIS = IriMinter()
OB = "https://zoek.officielebekendmakingen.nl/"
KROGER = "89d70a20-bd10-46ed-866a-2c79362a0559"
SHIPPED = Path(__file__).parents[1].parent / "shared" / "data" / "tk" / "tk-zaken-schriftelijke-vragen.jsonl.xz"


def facts(pub: Publication) -> tuple:
    return (pub.identifier, pub.zaaknummer, pub.onderwerp, pub.ingezonden, pub.vergaderjaar, pub.tk_zaak_id,
            tuple((p.achternaam, p.medeindiener) for p in pub.vragenstellers),
            tuple(b.achternaam for b in pub.gericht_aan_personen))


def graph_of(pubs: list[Publication]) -> tuple[Graph, dict]:
    """The build's way: map each publication, link the records, apply renames."""
    out, sections = link([record_of(p) for p in pubs], IRIS)
    g = Graph()
    for p in pubs:
        for s, pr, o in publication_triples(p, IRIS):
            g.add((out.renames.get(s, s), pr, out.renames.get(o, o)))
    for triples in out.triples.values():
        for t in triples:
            g.add(t)
    return g, sections


def test_structured_registry_knows_the_three_forms():
    assert all(is_structured(p) for p in (JSONL, JSONL_XZ, ODATA))
    assert not is_structured(Path("gold/ah-tk-20242025-546.json"))  # other JSON stays out


def test_jsonl_compressed_or_not_gives_the_same_publications():
    plain, packed = list(read_structured(JSONL)), list(read_structured(JSONL_XZ))
    assert [facts(p) for p in plain] == [facts(p) for p in packed]
    assert len(plain) == 6
    z = next(p for p in plain if p.zaaknummer == "2007Z05002")
    assert z.identifier == "kv-tk-2007Z05002" and z.soort == DocumentSoort.VRAGEN
    assert z.onderwerp == "Het kunstmatig oplossen van de wachtlijsten in de Jeugdzorg"
    assert z.ingezonden == dt.date(2007, 6, 14) and z.vergaderjaar == "2007-2008"
    assert [(p.achternaam, p.voornaam, p.initialen, p.medeindiener) for p in z.vragenstellers] == [
        ("Voordewind", "Joël", "J.S.", False), ("Bouchibti", "Samira", "S.", True), ("Van der Vlies", "Bas", "B.J.", True),
        ("Koşer Kaya", "Fatma", "F.", True), ("Dibi", "Tofik", "T.", True)]
    hb = next(p for p in plain if p.zaaknummer == "2007Z05001").gericht_aan_personen[0]
    assert (hb.achternaam, hb.initialen) == ("Hirsch Ballin", "EMH")


def test_odata_page_gives_the_same_facts_plus_party_and_persoon_id():
    jsonl = {p.zaaknummer: p for p in read_structured(JSONL)}
    page = list(read_structured(ODATA))
    assert [p.zaaknummer for p in page] == sorted(jsonl)
    for p in page:
        j = jsonl[p.zaaknummer]
        assert (p.onderwerp, p.ingezonden, p.vergaderjaar, p.tk_zaak_id) == (j.onderwerp, j.ingezonden, j.vergaderjaar, j.tk_zaak_id)
        assert [(a.achternaam, a.medeindiener) for a in p.vragenstellers] == [(a.achternaam, a.medeindiener) for a in j.vragenstellers]
        assert all(a.tk_persoon_id and a.fractie for a in p.vragenstellers)
    kroger = [p for p in page if p.vragenstellers[0].achternaam == "Kröger"]
    assert [p.vragenstellers[0].fractie for p in kroger] == ["GroenLinks", "GroenLinks-PvdA"]


def test_bad_zaak_input_is_a_clear_error(tmp_path):
    bad = tmp_path / "zaken.jsonl"
    bad.write_text(JSONL.read_text(encoding="utf-8").splitlines()[0] + "\n{not json\n", encoding="utf-8")
    with pytest.raises(ReadError, match="line 2: not JSON") as e:
        list(read_structured(bad))
    assert isinstance(e.value, KgError) and "zaken.jsonl" in str(e.value)
    wrong = tmp_path / "x.jsonl"
    wrong.write_text('{"Nummer": "not a number"}\n', encoding="utf-8")
    with pytest.raises(ReadError, match="zaak number"):
        list(read_structured(wrong))
    no_actors = tmp_path / "page.odata.json"
    page = json.loads(ODATA.read_text(encoding="utf-8"))
    del page["value"][0]["ZaakActor"]
    no_actors.write_text(json.dumps(page), encoding="utf-8")
    with pytest.raises(ReadError, match=r"\$expand=ZaakActor"):
        list(read_structured(no_actors))
    not_odata = tmp_path / "gold.odata.json"
    not_odata.write_text('{"identifier": "ah-tk-1"}', encoding="utf-8")
    with pytest.raises(ReadError, match="not an OData page"):
        list(read_structured(not_odata))
    broken = tmp_path / "z.jsonl.xz"
    broken.write_bytes(lzma.compress(JSONL.read_bytes())[:200])
    with pytest.raises(ReadError):
        list(read_structured(broken))


def test_a_zaak_is_its_question_publication_with_prov_askers_and_addressees():
    g, sections = graph_of(list(read_structured(JSONL)))
    doc = URIRef(OB + "kv-tk-2007Z05002")
    assert (doc, RDF.type, KV.Vragenpublicatie) in g
    assert (doc, KV.zaaknummer, Literal("2007Z05002")) in g
    zaak = URIRef("https://gegevensmagazijn.tweedekamer.nl/OData/v4/2.0/Zaak(0a64fd0f-e689-4f2a-9b89-d7d8ae16b989)")
    assert (doc, KV.tkZaak, zaak) in g and (doc, PROV.wasDerivedFrom, zaak) in g
    assert len(set(g.objects(doc, KV.gesteldDoor))) == 5 and len(set(g.objects(doc, KV.medeIngediendDoor))) == 4
    askers = set(g.objects(doc, KV.gesteldDoor))
    assert all(str(a).rsplit("/", 1)[1].startswith("tk-") for a in askers)  # every asker reconciled
    (rouvoet,) = g.objects(doc, KV.gerichtAanPersoon)
    assert (rouvoet, RDF.type, KV.Bewindspersoon) in g and str(rouvoet).rsplit("/", 1)[1].startswith("tk-")
    # The office at that date, from the terms of office: Rouvoet was Minister voor Jeugd en Gezin.
    offices = {str(o) for a in g.objects(doc, KV.gerichtAan) for o in g.objects(a, RDFS.label)}
    assert offices == {"Minister voor Jeugd en Gezin"}
    # After 2019 the terms say nothing: no office, not guessed.
    assert not list(g.objects(URIRef(OB + "kv-tk-2024Z01602"), KV.gerichtAan))


def test_member_who_changed_party_through_the_odata_page():
    g, _ = graph_of(list(read_structured(ODATA)))
    node = IRIS.kamerlid_key(f"tk-{KROGER}")
    assert len(set(g.objects(node, RDFS.label))) == 1
    parties = {o for ms in g.objects(node, KV.lidmaatschap) for o in g.objects(ms, KV.lidVan)}
    assert parties == {IRIS.fractie("GL"), IRIS.fractie("GL-PvdA")}
    assert set(g.objects(node, KV.fractie)) == parties  # every party group; the memberships say when


def _parsed(identifier: str, soort: DocumentSoort, **kw) -> Publication:
    return Publication(identifier, soort, Path(f"{identifier}.txt"), "text", "0" * 64, **kw)


def test_merge_printed_facts_stand_disagreements_reported_and_queried():
    zaken = list(read_structured(JSONL))
    # The printed question publication of 2016Z00047 with another co-asker and
    # another date; the subject differs only in spelling.
    z47 = next(z for z in zaken if z.zaaknummer == "2016Z00047")
    printed = _parsed("ah-tk-20152016-1234", DocumentSoort.ANTWOORD, zaaknummer="2016Z00047", ingezonden=dt.date(2016, 1, 6),
                      onderwerp=z47.onderwerp.lower() + ".", vragenstellers=(Person("Volp", "PvdA"), Person("Kerstens", "PvdA")))
    # A Word answer that prints only its zaak number.
    word = _parsed("ah-tk-20152016-1300", DocumentSoort.ANTWOORD, zaaknummer="2016Z00020", ontvangen=dt.date(2016, 2, 1))
    g, sections = graph_of(zaken + [printed, word])
    report = sections["zaken"]
    fields = {(d["publication"], d["field"]) for d in report["disagreements"]}
    assert fields == {("ah-tk-20152016-1234", "vragenstellers"), ("ah-tk-20152016-1234", "ingezonden")}
    # printed facts stand; the zaak's stay on its own publication
    doc = URIRef(OB + "ah-tk-20152016-1234")
    assert set(g.objects(doc, KV.ingezondenOp)) == {Literal(dt.date(2016, 1, 6))}
    assert set(g.objects(URIRef(OB + "kv-tk-2016Z00047"), KV.ingezondenOp)) == {Literal(dt.date(2016, 1, 5))}
    assert len(set(g.objects(doc, KV.gesteldDoor))) == 2
    # the Word answer gets the zaak's askers and addressees, marked as derived
    wdoc = URIRef(OB + "ah-tk-20152016-1300")
    assert (wdoc, KV.vragenstellersUitZaak, URIRef(OB + "kv-tk-2016Z00020")) in g
    assert set(g.objects(wdoc, KV.gesteldDoor)) == set(g.objects(URIRef(OB + "kv-tk-2016Z00020"), KV.gesteldDoor))
    assert set(g.objects(wdoc, KV.gerichtAanPersoon))
    assert report["counts"]["askers_derived"] == 1
    # the named query finds the disagreements
    rows = q.run(q.named_queries()["zaak-disagreements"], g).rows
    assert [(str(r[0]), str(r[2])) for r in rows] == [("ah-tk-20152016-1234", "ingezonden"), ("ah-tk-20152016-1234", "vragenstellers")]


def test_zaak_graph_passes_the_person_shapes():
    from kg.validate import validate

    g, _ = graph_of(list(read_structured(ODATA)) + list(read_structured(JSONL)))
    report = validate(g)
    bad = [v for v in report.violations if any(k in str(v.shape) for k in ("Kamerlid", "Bewindspersoon", "Lidmaatschap", "Fractie", "Persoon"))]
    assert not bad, bad


@pytest.mark.skipif(not SHIPPED.exists(), reason="../shared/data absent")
def test_shipped_file_reads_every_zaak():
    n = sum(1 for _ in read_structured(SHIPPED))
    assert n == 42994


def test_zaak_records_round_trip_through_json():
    from kg.link.record import LinkRecord

    for pub in read_structured(ODATA):
        rec = record_of(pub)
        assert rec.from_zaak and rec.addressees
        assert LinkRecord.from_json(json.loads(json.dumps(rec.to_json()))) == rec


def test_named_queries_answer_on_zaken_alone():
    g, _ = graph_of(list(read_structured(JSONL)))
    rows = q.run(q.named_queries()["ministers-asked-most"], g).rows
    by_name = {str(r[0]): r for r in rows}
    assert str(by_name["Rouvoet"][3]) == "Minister voor Jeugd en Gezin"
    assert by_name["Jetten"][3] is None  # 2024: no term in the data, no office guessed
    askers = {str(r[0]): int(r[2]) for r in q.run(q.named_queries()["most-active-askers"], g).rows}
    assert askers["Kröger"] == 2
    # party known for the zaken up to 2019 (from the tables), none after
    parties = q.run(q.named_queries()["questions-per-party-per-year"], g).rows
    assert ("2007-2008", "ChristenUnie") in {(str(r[0]), str(r[1])) for r in parties}
    assert all(str(r[0]) < "2021" for r in parties)


@pytest.mark.parametrize("written, parts", [
    ("Bas van der Vlies (B.J.)", ("Bas", "Van der Vlies", "B.J.")),
    ("Fatma Koşer Kaya (F.)", ("Fatma", "Koşer Kaya", "F.")),
    ("Aant Jelle Soepboer (A.J.)", ("Aant Jelle", "Soepboer", "A.J.")),
    ("Elly Blanksma-van den Heuvel (E.)", ("Elly", "Blanksma-van den Heuvel", "E.")),
    ("Hirsch Ballin (EMH)", (None, "Hirsch Ballin", "EMH")),
    ("Gert Leers (GBM)", ("Gert", "Leers", "GBM")),
    ("R.A. (Rik) Janssen", ("Rik", "Janssen", "R.A.")),
    ("J.A. Vijlbrief", (None, "Vijlbrief", "J.A.")),
])
def test_names_as_the_tweede_kamer_writes_them(written, parts):
    from kg.read.zaken import split_name

    assert split_name(written) == parts


def test_zaak_publication_names_the_tweede_kamer_open_data_as_its_source():
    g, _ = graph_of(list(read_structured(JSONL))[:1])
    doc = URIRef(OB + "kv-tk-2007Z05001")
    assert (doc, PROV.hadPrimarySource, URIRef("https://opendata.tweedekamer.nl/")) in g
    assert (doc, KV.bronformaat, Literal("tk-zaak-jsonl")) in g
