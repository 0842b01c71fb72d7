"""Citations checked against the official identifier registry (kg.link.registry).

The shipped registry is used as it is (no mock): the real corpus build, and
synthetic publications for what the corpus lacks (a year typo with exactly
one candidate, swapped digits, a citation newer than the registry).
"""
from __future__ import annotations

import datetime as dt
import itertools
import json
import lzma
from importlib import resources
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from kg.build import build
from kg.iris import IriMinter
from kg.link import registry
from kg.link.registry import CorrectionKind, Registry, Status, default_registry
from kg.mapping import publication_triples
from kg.model import Citation, CitationSoort, DocumentSoort, Publication
from kg.validate import KVSH, validate
from kg.vocab import KV, RDF

IRIS = IriMinter()
OB = "https://zoek.officielebekendmakingen.nl/"
# The shapes this module's triples answer to: none of them may report.
OWN_SHAPES = {
    KVSH + name
    for name in (
        "Verwijzing-registerstatus",
        "Verwijzing-doelInRegister",
        "DoelInRegister-gedekt-schema",
        "Verwijzing-correctiesoort",
        "Verwijzing-voorgesteldeCorrectie",
        "Voorstel-alleen-bij-onbestaand-doel",
        "Voorstel-met-correctiesoort",
        "Koppeling-doelen-bereik",
    )
}


@pytest.fixture(scope="module")
def reg() -> Registry:
    return default_registry()


# ---------------------------------------------------------------- the registry itself


def test_shipped_registry_is_sorted_unique_and_complete(reg):
    text = lzma.decompress(resources.files("kg.link").joinpath("data", registry.DATA_FILE).read_bytes())
    lines = text.split(b"\n")
    assert lines.pop() == b""  # ends with a newline
    # binary search needs bytewise order without duplicates
    assert all(a < b for a, b in itertools.pairwise(lines))
    meta = json.loads(resources.files("kg.link").joinpath("data", registry.META_FILE).read_text(encoding="utf-8"))
    assert len(lines) == len(reg) == meta["identifiers"] == 640_930
    assert lines[0].decode() in reg and lines[-1].decode() in reg


def test_lookup(reg):
    for ident in ("ah-tk-20182019-3878", "ah-tk-20182019-3626", "kv-tk-2024Z14250", "kst-36410-XIV-9", "kst-21501-02-2498", "kst-32500-V-C"):
        assert ident in reg, ident
    # prefixes of real identifiers, neighbours, and other schemes are not in it
    for ident in ("ah-tk-20182019", "ah-tk-20182019-38780", "kst-25242-686", "stb-2024-153", "", "ah-tk-20182019-3878\n"):
        assert ident not in reg, ident


def test_bisection_on_a_small_registry():
    small = Registry.from_identifiers(["kst-2-1", "ah-tk-20182019-5", "kv-tk-2019Z00001", "ah-tk-20182019-40"], dt.date(2025, 2, 1))
    assert [i in small for i in ("ah-tk-20182019-40", "ah-tk-20182019-5", "kst-2-1", "kv-tk-2019Z00001")] == [True] * 4
    assert [i in small for i in ("a", "ah-tk-20182019-4", "kst-2-10", "zz")] == [False] * 4
    assert small.with_prefix("ah-tk-") == ["ah-tk-20182019-40", "ah-tk-20182019-5"]
    assert small.series_max("ah-tk-20182019") == 40  # numerically, not in sort order


def test_status_by_scheme_and_cutoff(reg):
    nov_2024, mar_2025 = dt.date(2024, 11, 15), dt.date(2025, 3, 10)
    assert reg.status("ah-tk-20182019-3626", nov_2024) == Status.EXISTS
    # The registry does not cover the Staatsblad, the Staatscourant or the Senate's Aanhangsel: unknown, not false.
    for ident in ("stb-2024-153", "stcrt-2024-1234", "ah-ek-20232024-5"):
        assert reg.status(ident, nov_2024) == Status.UNKNOWN
    # Newer than the registry, decided by the identifier's year...
    assert reg.status("ah-tk-20252026-3", mar_2025) == Status.NEWER
    assert reg.status("kv-tk-2026Z00001") == Status.NEWER
    # ... or, within its last year, by a number past the last one it lists (1344)
    assert reg.status("ah-tk-20242025-1500", mar_2025) == Status.NEWER
    # but a document from before the cut-off cannot cite what the registry does not know yet
    assert reg.status("ah-tk-20242025-1500", nov_2024) == Status.MISSING
    assert reg.status("ah-tk-20182019-9999", mar_2025) == Status.MISSING  # an old year is complete
    # A Kamerstuk has no year: newer past the last dossier, or past its dossier's last number after the cut-off
    assert reg.status("kst-25242-686", nov_2024) == Status.MISSING  # dossier 25242 stops at nr. 11
    assert reg.status("kst-25242-686", mar_2025) == Status.NEWER
    assert reg.status("kst-99999-1", mar_2025) == Status.NEWER


def test_year_typo_with_exactly_one_candidate(reg):
    # "vergaderjaar 2022–2024": 2022–2023 and 2023–2024 both have a nr. 844 ...
    assert {c.identifier for c in reg.candidates("ah-tk-20222024-844")} == {"ah-tk-20222023-844", "ah-tk-20232024-844"}
    assert reg.proposal("ah-tk-20222024-844") is None
    # ... but cited in July 2023, 2023–2024 had not begun: exactly one fits
    proposal = reg.proposal("ah-tk-20222024-844", dt.date(2023, 7, 15))
    assert (proposal.identifier, proposal.kind) == ("ah-tk-20222023-844", CorrectionKind.YEAR)


def test_swapped_digits(reg):
    # "Kamerstuk 31 893, nr. 1024" for 31 839 (the Jeugdzorg dossier cited in ah-tk-20232024-2395)
    proposal = reg.proposal("kst-31893-1024", dt.date(2024, 8, 30))
    assert (proposal.identifier, proposal.kind) == ("kst-31839-1024", CorrectionKind.SWAP)
    # a swap whose reading is not unique proposes nothing
    assert len(reg.candidates("kst-36140-74", dt.date(2024, 6, 1))) > 1
    assert reg.proposal("kst-36140-74", dt.date(2024, 6, 1)) is None


def test_one_digit_off_is_a_candidate_but_not_proposed(reg):
    (only,) = reg.candidates("kst-37410-74", dt.date(2024, 6, 1))
    assert (only.identifier, only.kind) == ("kst-36410-74", CorrectionKind.DIGIT)
    assert registry.DIGIT_SCHEMES == frozenset()  # measured unreliable in every scheme (benchmarks/bench_registry.py)
    assert reg.proposal("kst-37410-74", dt.date(2024, 6, 1)) is None
    assert reg.proposal("kst-37410-74", dt.date(2024, 6, 1), digit_schemes=frozenset({"kst"})) == only


def test_candidates_later_than_the_citing_document_are_implausible(reg):
    # "2024Z41250" swapped back is 2024Z14250 (the questions cited in ah-tk-20242025-570) ...
    assert reg.proposal("kv-tk-2024Z41250", dt.date(2024, 11, 18)).identifier == "kv-tk-2024Z14250"
    # ... which questions with the earlier zaak number 2024Z14000 cannot cite: zaak numbers run in time
    assert reg.proposal("kv-tk-2024Z41250", dt.date(2024, 9, 20), citing="kv-tk-2024Z14000") is None
    # and a vergaderjaar that had not begun when the citing document was written does not fit
    assert reg.proposal("ah-tk-20232042-1843", dt.date(2024, 6, 1)).identifier == "ah-tk-20232024-1843"
    assert reg.proposal("ah-tk-20232042-1843", dt.date(2023, 6, 1)) is None


def test_a_broken_data_file_is_a_setup_error(tmp_path):
    from kg.errors import RegistryError, ValidationSetupError

    bad = tmp_path / "ids.txt.xz"
    bad.write_bytes(b"not xz")
    with pytest.raises(RegistryError) as info:
        Registry.load(bad)
    assert isinstance(info.value, ValidationSetupError)  # the CLI's exit 3: broken installation


# ---------------------------------------------------------------- synthetic publications through the linker


def _pub(identifier: str, ontvangen: dt.date, *citations: Citation) -> Publication:
    return Publication(
        identifier=identifier,
        soort=DocumentSoort.ANTWOORD,
        source_path=Path(f"{identifier}.txt"),
        source_format="text",
        source_sha256="0" * 64,
        vergaderjaar=None,
        ingezonden=ontvangen - dt.timedelta(days=20),
        ontvangen=ontvangen,
        citations=citations,
    )


def _cite(identifier: str, citaat: str, corrected_from: str | None = None) -> Citation:
    return Citation(identifier, citaat, CitationSoort.VOETNOOT, corrected_from=corrected_from)


@pytest.fixture(scope="module")
def synthetic():
    pubs = [
        _pub(
            "ah-tk-20222023-3999",
            dt.date(2023, 7, 20),
            _cite("ah-tk-20222024-844", "Aanhangsel Handelingen, vergaderjaar 2022–2024, nr. 844"),
            _cite("ah-tk-20222023-844", "Aanhangsel Handelingen, vergaderjaar 2022–203, nr. 844", corrected_from="ah-tk-2022203-844"),
            _cite("stcrt-2023-1234", "Stcrt. 2023, 1234"),
        ),
        _pub(
            "ah-tk-20232024-2500",
            dt.date(2024, 8, 30),
            _cite("kst-31893-1024", "Kamerstuk 31 893, nr. 1024"),
            _cite("kst-25242-686", "Kamerstuk 25 242, nr. 686"),
            _cite("kst-31839-1024", "Kamerstuk 31 839, nr. 1024"),
        ),
        _pub("ah-tk-20242025-1800", dt.date(2025, 3, 20), _cite("ah-tk-20242025-1500", "Aanhangsel Handelingen, vergaderjaar 2024–2025, nr. 1500")),
    ]
    g = Graph()
    for p in pubs:
        for t in publication_triples(p, IRIS):
            g.add(t)
    out = registry.link(pubs, IRIS)
    for triples in out.triples.values():
        for t in triples:
            g.add(t)
    return g, out


def _ref(pid: str, n: int) -> URIRef:
    return IRIS.verwijzing(pid, n)


def test_synthetic_graph(synthetic):
    g, _ = synthetic
    # year typo: the printed target stays, the one fitting publication is proposed beside it
    r = _ref("ah-tk-20222023-3999", 1)
    assert g.value(r, KV.doel) == URIRef(OB + "ah-tk-20222024-844")
    assert g.value(r, KV.registerstatus) == KV.RegisterBestaatNiet
    assert g.value(r, KV.doelInRegister) == Literal(False)
    assert g.value(r, KV.voorgesteldeCorrectie) == URIRef(OB + "ah-tk-20222023-844")
    assert g.value(r, KV.correctiesoort) == KV.CorrectieJaartal
    assert (URIRef(OB + "ah-tk-20222023-844"), RDF.type, KV.Document) in g
    # the parser's own year correction: both readings kept, the corrected one exists
    r = _ref("ah-tk-20222023-3999", 2)
    assert g.value(r, KV.gecorrigeerdVan) == Literal("ah-tk-2022203-844")
    assert g.value(r, KV.doel) == URIRef(OB + "ah-tk-20222023-844")
    assert (g.value(r, KV.registerstatus), g.value(r, KV.doelInRegister)) == (KV.RegisterBestaat, Literal(True))
    assert g.value(r, KV.correctiesoort) == KV.CorrectieJaartal
    assert g.value(r, KV.voorgesteldeCorrectie) is None
    # a scheme the registry does not cover: unknown, no true/false at all
    r = _ref("ah-tk-20222023-3999", 3)
    assert g.value(r, KV.registerstatus) == KV.RegisterOnbekend
    assert g.value(r, KV.doelInRegister) is None
    # swapped digits
    r = _ref("ah-tk-20232024-2500", 1)
    assert g.value(r, KV.voorgesteldeCorrectie) == URIRef(OB + "kst-31839-1024")
    assert g.value(r, KV.correctiesoort) == KV.CorrectieVerwisseldeCijfers
    # does not exist, and no single reading fits: flagged, nothing proposed
    r = _ref("ah-tk-20232024-2500", 2)
    assert g.value(r, KV.registerstatus) == KV.RegisterBestaatNiet
    assert g.value(r, KV.voorgesteldeCorrectie) is None
    assert g.value(_ref("ah-tk-20232024-2500", 3), KV.registerstatus) == KV.RegisterBestaat
    # newer than the registry: not in it, but not "does not exist" either
    r = _ref("ah-tk-20242025-1800", 1)
    assert (g.value(r, KV.registerstatus), g.value(r, KV.doelInRegister)) == (KV.RegisterNieuwer, Literal(False))
    assert g.value(r, KV.voorgesteldeCorrectie) is None


def test_synthetic_report_and_warnings(synthetic):
    _, out = synthetic
    assert out.report["counts"] == {
        "citations": 7,
        "exist": 2,
        "do_not_exist": 3,
        "unknown_scheme": 1,
        "newer_than_registry": 1,
        "corrected_by_parser": 1,
        "correction_proposed": 2,
    }
    assert [(m["target"], m["proposed"]) for m in out.report["not_existing"]] == [
        ("ah-tk-20222024-844", "ah-tk-20222023-844"),
        ("kst-31893-1024", "kst-31839-1024"),
        ("kst-25242-686", None),
    ]
    assert {m["file"] for m in out.report["not_existing"]} == {"ah-tk-20222023-3999.txt", "ah-tk-20232024-2500.txt"}
    assert [n["target"] for n in out.report["newer_than_registry"]] == ["ah-tk-20242025-1500"]
    assert out.report["unknown_schemes"] == {"stcrt": 1}
    assert [(c["by"], c["kind"]) for c in out.report["corrections"]] == [("registry", "year"), ("parser", "year"), ("registry", "swap")]
    warnings = out.warnings["ah-tk-20232024-2500"]
    assert len(warnings) == 2 and "kst-25242-686" in warnings[1] and "did it mean kst-31839-1024" in warnings[0]
    assert "ah-tk-20242025-1800" not in out.warnings  # newer is not an error


def test_synthetic_graph_passes_the_shapes(synthetic):
    g, _ = synthetic
    report = validate(g)
    assert not [v for v in report.violations if v.shape in OWN_SHAPES]


def test_shapes_catch_a_false_for_an_unknown_scheme(synthetic):
    g, _ = synthetic
    bad = Graph()
    for t in g:
        bad.add(t)
    bad.add((_ref("ah-tk-20222023-3999", 3), KV.doelInRegister, Literal(False)))
    shapes = {v.shape for v in validate(bad).violations}
    assert KVSH + "DoelInRegister-gedekt-schema" in shapes


def test_no_citations_no_registry(monkeypatch):
    # A build without citations never loads the registry.
    def fail() -> Registry:
        raise AssertionError("registry loaded")

    monkeypatch.setattr(registry, "default_registry", fail)
    out = registry.link([_pub("ah-tk-20232024-1", dt.date(2024, 1, 1))], IRIS)
    assert out.report["counts"]["citations"] == 0 and out.triples == {}


# ---------------------------------------------------------------- the corpus


@pytest.fixture(scope="module")
def corpus_build(corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("registry-corpus")
    result = build([corpus / "docs", corpus / "unlabelled"], out, jobs=2, validate=True)
    return result, Graph().parse(out / "kamervragen.nt", format="nt")


def _refs_to(g: Graph, identifier: str) -> list[URIRef]:
    return sorted(g.subjects(KV.doel, URIRef(OB + identifier)))


def test_corpus_every_citation_checked(corpus_build):
    result, g = corpus_build
    section = result.report["links"]["registry"]
    counts = section["counts"]
    refs = set(g.subjects(RDF.type, KV.Verwijzing))
    assert counts["citations"] == len(refs) == result.report["counts"]["verwijzingen"] > 90
    assert counts["exist"] + counts["do_not_exist"] + counts["unknown_scheme"] + counts["newer_than_registry"] == counts["citations"]
    assert all(len(set(g.objects(r, KV.registerstatus))) == 1 for r in refs)
    assert counts["exist"] >= 0.95 * counts["citations"]
    assert counts["newer_than_registry"] == 0  # the corpus ends in February 2025
    assert section["registry"]["identifiers"] == 640_930


def test_corpus_non_existent_citation(corpus_build):
    result, g = corpus_build
    section = result.report["links"]["registry"]
    # The Mededeling ah-tk-20242025-562 prints "Kamerstuk 25 242, nr. 686" (dossier 25 424, the GGZ
    # dossier, was meant: two slips at once, so no correction is proposed).
    missing = [m for m in section["not_existing"] if m["target"] == "kst-25242-686"]
    assert len(missing) == 1
    assert Path(missing[0]["file"]).name == "ah-tk-20242025-562.mededeling.txt"
    assert missing[0]["citation"] == "Kamerstuk 25 242, nr. 686" and missing[0]["proposed"] is None
    (r,) = _refs_to(g, "kst-25242-686")
    assert g.value(r, KV.registerstatus) == KV.RegisterBestaatNiet
    assert g.value(r, KV.doelInRegister) == Literal(False)
    assert g.value(r, KV.voorgesteldeCorrectie) is None
    (entry,) = [f for f in result.report["files"] if f["identifier"] == "ah-tk-20242025-562"]
    assert any("kst-25242-686" in reason for reason in entry["reasons"])


def test_corpus_year_typo_and_unknown_schemes(corpus_build):
    result, g = corpus_build
    section = result.report["links"]["registry"]
    # ah-tk-20222023-3649 footnote 4: "vergaderjaar 2022–203, nr. 844"
    (r,) = [r for r in _refs_to(g, "ah-tk-20222023-844") if g.value(r, KV.gecorrigeerdVan) is not None]
    assert g.value(r, KV.gecorrigeerdVan) == Literal("ah-tk-2022203-844")
    assert (g.value(r, KV.registerstatus), g.value(r, KV.correctiesoort)) == (KV.RegisterBestaat, KV.CorrectieJaartal)
    assert section["counts"]["corrected_by_parser"] >= 1
    assert any(c["printed"] == "ah-tk-2022203-844" and c["by"] == "parser" for c in section["corrections"])
    # ah-tk-20242025-584: "Stb. 2024, 153" and "Stb. 2024, 213": unknown, not false
    for ident in ("stb-2024-153", "stb-2024-213"):
        (r,) = _refs_to(g, ident)
        assert g.value(r, KV.registerstatus) == KV.RegisterOnbekend and g.value(r, KV.doelInRegister) is None
    assert section["unknown_schemes"].get("stb", 0) >= 2


def test_corpus_own_shapes_pass(corpus_build):
    result, _ = corpus_build
    assert not [v for v in result.validation.violations if v.shape in OWN_SHAPES]


def test_lookups_answer_the_same_once_the_registry_turns_into_a_set():
    """Past SET_AFTER lookups the registry answers from a set of its
    identifiers: every answer (present, a slip of one, not an identifier)
    stays what the binary search in the blob gives."""
    reg = registry.default_registry()
    blob_only = registry.Registry(reg._blob, reg.cutoff)
    blob_only.SET_AFTER = 10**12
    as_set = registry.Registry(reg._blob, reg.cutoff)
    as_set.SET_AFTER = 0
    sample = reg.with_prefix("ah-tk-2019")[:500] + reg.with_prefix("kst-36")[:500]
    queries = sample + [s[:-1] + ("0" if s[-1] != "0" else "1") for s in sample] + ["", "ah-tk", "kst-", "é", 42, "a\nb"]
    assert [q in as_set for q in queries] == [q in blob_only for q in queries]
    assert as_set._members is not None and blob_only._members is None
    assert sum(q in as_set for q in queries) >= len(sample)
