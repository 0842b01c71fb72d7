"""The build end to end on the shipped samples: outputs, round trip,
determinism, bad input, exit codes."""
from __future__ import annotations

import json

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg.build import FileStatus, build
from kg.cli import EXIT_NOTHING_BUILT, EXIT_OK, EXIT_USAGE, main
from kg.vocab import KV, RDF


@pytest.fixture(scope="module")
def sample_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("samples")
    return build(None, out, jobs=1), out


def test_default_build_writes_every_output(sample_build):
    result, out = sample_build
    for name in ("kamervragen.ttl", "kamervragen.nt", "ontology.ttl", "validation.ttl", "validation.txt", "build-report.json"):
        assert (out / name).is_file(), name
    report = json.loads((out / "build-report.json").read_text(encoding="utf-8"))
    assert report["counts"]["publications"] == len(result.publications) >= 8
    assert report["counts"]["triples"] > 1000
    assert all(f["status"] != "failed" for f in report["files"])


def test_turtle_round_trip_is_isomorphic(sample_build):
    _, out = sample_build
    turtle = Graph().parse(out / "kamervragen.ttl", format="turtle")
    ntriples = Graph().parse(out / "kamervragen.nt", format="nt")
    assert len(turtle) == len(ntriples) > 0
    assert isomorphic(turtle, ntriples)
    # and it re-serialises through rdflib to the same graph
    again = Graph().parse(data=turtle.serialize(format="turtle"), format="turtle")
    assert isomorphic(turtle, again)


def test_graph_uses_the_core_vocabulary(sample_build):
    _, out = sample_build
    g = Graph().parse(out / "kamervragen.ttl", format="turtle")
    seed = URIRef("https://zoek.officielebekendmakingen.nl/ah-tk-20182019-3878")
    assert (seed, RDF.type, KV.Document) in g
    assert g.value(seed, KV.vergaderjaar) == Literal("2018-2019")
    assert int(g.value(seed, KV.nummer)) == 3878
    assert len(set(g.objects(seed, KV.heeftVraag))) == 14
    assert len(set(g.objects(seed, KV.heeftAntwoord))) == 6
    cited = {str(o).rsplit("/", 1)[-1] for o in g.objects(seed, KV.verwijstNaar)}
    assert cited == {"ah-tk-20182019-3626", "ah-tk-20182019-1268", "ah-tk-20182019-1974"}
    # footnote 1 of question 6 becomes two Verwijzingen from that question
    q6 = next(q for q in g.objects(seed, KV.heeftVraag) if int(g.value(q, KV.nummer)) == 6)
    refs = set(g.subjects(KV.bron, q6))
    assert {str(g.value(r, KV.doel)).rsplit("/", 1)[-1] for r in refs} == {"ah-tk-20182019-1268", "ah-tk-20182019-1974"}
    assert all(g.value(r, KV.soort) == KV.SoortVoetnoot for r in refs)
    asker = g.value(seed, KV.gesteldDoor)
    assert (asker, RDF.type, KV.Kamerlid) in g and str(g.value(asker, KV.achternaam)) == "Groothuizen"


def test_same_inputs_give_byte_identical_dumps(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    build(None, a, jobs=1, validate=False)
    build(None, b, jobs=2, validate=False)
    for name in ("kamervragen.ttl", "kamervragen.nt"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_bad_files_are_reported_and_the_rest_is_built(tmp_path, samples):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "seed.txt").write_bytes((samples / "ah-tk-20182019-3878.txt").read_bytes())
    (inputs / "broken.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")
    (inputs / "empty.txt").write_text("", encoding="utf-8")
    (inputs / "recipe.txt").write_text("Neem 200 gram bloem en twee eieren.\n", encoding="utf-8")
    (inputs / "notes.odt").write_bytes(b"PK")
    result = build([inputs], tmp_path / "out", jobs=1, validate=False)
    by_name = {f.path.name: f for f in result.files}
    assert set(by_name) == {"seed.txt", "broken.pdf", "empty.txt", "recipe.txt", "notes.odt"}
    assert by_name["seed.txt"].status in (FileStatus.BUILT, FileStatus.WARNINGS)
    for name in ("broken.pdf", "empty.txt", "recipe.txt"):
        assert by_name[name].status == FileStatus.FAILED and by_name[name].reasons, name
    assert by_name["notes.odt"].status == FileStatus.SKIPPED
    assert "no publication found" in by_name["recipe.txt"].reasons[0]
    report = json.loads((tmp_path / "out" / "build-report.json").read_text(encoding="utf-8"))
    assert {f["file"].rsplit("/", 1)[-1]: f["status"] for f in report["files"]}["broken.pdf"] == "failed"


def test_cli_exit_codes(tmp_path, samples, capsys):
    assert main(["build", str(samples / "ah-tk-20182019-3878.txt"), "--out", str(tmp_path / "o"), "--no-validate"]) == EXIT_OK
    assert "1 publications" in capsys.readouterr().out
    assert main(["build", str(tmp_path / "missing"), "--out", str(tmp_path / "o2")]) == EXIT_USAGE
    junk = tmp_path / "junk.txt"
    junk.write_text("niets\n", encoding="utf-8")
    assert main(["build", str(junk), "--out", str(tmp_path / "o3"), "--no-validate"]) == EXIT_NOTHING_BUILT
    assert main(["build", "--no-such-option"]) == EXIT_USAGE


@pytest.mark.parametrize("merge", ["sort", "python"])
def test_dumps_are_the_same_whatever_the_spool_runs(tmp_path, monkeypatch, merge):
    import kg.build as kb

    whole = tmp_path / "whole"
    build(None, whole, jobs=1, validate=False)
    monkeypatch.setattr(kb, "RUN_LINES", 97)  # many sorted runs, merged
    if merge == "python":
        monkeypatch.setattr(kb.shutil, "which", lambda name: None)
    runs = tmp_path / "runs"
    result = build(None, runs, jobs=2, validate=False, cache=tmp_path / "cache")
    assert len(result.spool.runs) >= 5
    for name in ("kamervragen.nt", "kamervragen.ttl", "kamervragen.trig", "kamervragen.jsonld", "void.ttl"):
        assert (whole / name).read_bytes() == (runs / name).read_bytes(), name


def test_the_report_reads_back_whole_with_a_line_per_file_and_publication():
    import json

    from kg.build import report_json

    report = {"kg_version": "x", "files": [{"file": "a é.txt", "reasons": ["r\n2"]}, {"file": "b"}], "publications": [],
              "counts": {"n": 1, "nested": {"k": [1, 2]}}, "links": None}
    text = report_json(report)
    assert json.loads(text) == report
    assert '    {"file": "a é.txt", "reasons": ["r\\n2"]},\n' in text  # one line per file, as written
    assert text == report_json(json.loads(text))  # and the same text again
