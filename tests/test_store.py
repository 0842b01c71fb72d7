"""The on-disk Oxigraph store: ``kg build --store``, ``kg query --store``,
and the same answers from both stores for every named query."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, Graph, URIRef

from kg import query as q
from kg.build import build
from kg.cli import main
from kg.errors import UsageError
from kg.iris import IriMinter
from kg.store import is_store, load_ntriples, open_store

NAMES = sorted(q.named_queries())


@pytest.fixture(scope="module")
def samples_build(tmp_path_factory) -> Path:
    """The samples shipped with kg, built with --store (no corpus needed)."""
    out = tmp_path_factory.mktemp("samples-build")
    build(None, out, validate=False, store=out / "store")
    return out


@pytest.fixture(scope="module")
def corpus_build(corpus: Path, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("corpus-store")
    build([corpus / "docs", corpus / "unlabelled"], out, validate=False, store=out / "store")
    return out


def nt_lines(out: Path) -> int:
    return sum(1 for ln in (out / "kamervragen.nt").read_text(encoding="utf-8").splitlines() if ln.strip())


def description_lines(out: Path) -> int:
    return len(Graph().parse(out / "void.ttl", format="turtle"))


def triples(quads) -> set:
    return {ox.Triple(quad.subject, quad.predicate, quad.object) for quad in quads}


def named_quads(store: ox.Store) -> list:
    return [quad for quad in store if quad.graph_name != ox.DefaultGraph()]


def test_build_store_holds_the_build(samples_build):
    store_dir = samples_build / "store"
    assert is_store(store_dir)
    store = open_store(store_dir)
    # the graph, one named graph per publication and the shared one, plus the description graph
    named = named_quads(store)
    assert len(named) == nt_lines(samples_build) + description_lines(samples_build)
    graphs = {g.value for g in store.named_graphs()}
    iris = IriMinter()
    assert {str(iris.graph("ah-tk-20182019-3878")), str(iris.shared_graph()), str(iris.description_graph())} <= graphs
    assert len(graphs) == 8 + 2
    # and the union of the publication and shared graphs, as a set, in the
    # default graph, which queries read: the graph of kamervragen.nt
    description = ox.NamedNode(str(iris.description_graph()))
    default = triples(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    assert default == triples(q for q in named if q.graph_name != description)
    merged = ox.Store()  # an in-memory store: literals stored as the on-disk store stores them
    merged.bulk_load(path=str(samples_build / "kamervragen.nt"), format=ox.RdfFormat.N_TRIPLES)
    assert default == triples(merged)
    # nothing left beside it from the load
    assert sorted(p.name for p in samples_build.iterdir() if p.name.startswith(".")) == [".cache"]  # the build cache only


def test_loading_again_replaces_the_store(samples_build, tmp_path):
    store_dir = tmp_path / "db"
    n = load_ntriples(store_dir, samples_build / "kamervragen.nt")
    assert load_ntriples(store_dir, samples_build / "kamervragen.nt") == n  # not appended
    assert load_ntriples(store_dir, b"<http://e/a> <http://e/b> <http://e/c> .\n") == 1
    assert len(open_store(store_dir)) == 1


def test_a_failed_load_keeps_the_old_store(samples_build, tmp_path):
    store_dir = tmp_path / "db"
    n = load_ntriples(store_dir, samples_build / "kamervragen.nt")
    with pytest.raises(SyntaxError):
        load_ntriples(store_dir, b"<http://e/a> <http://e/b> this is not N-Triples\n")
    assert len(open_store(store_dir)) == n
    assert [p.name for p in tmp_path.iterdir()] == ["db"]


def test_a_directory_that_is_not_a_store_is_never_replaced(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(UsageError, match="holds no Oxigraph store"):
        load_ntriples(tmp_path, b"<http://e/a> <http://e/b> <http://e/c> .\n")
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"
    with pytest.raises(UsageError, match="no Oxigraph store"):
        open_store(tmp_path)
    with pytest.raises(UsageError, match="no Oxigraph store"):
        open_store(tmp_path / "missing")


def test_samples_both_stores_agree(samples_build):
    graph = Graph()
    graph.parse(str(samples_build / "kamervragen.nt"), format="nt")
    store = open_store(samples_build / "store")
    for name in NAMES:
        a, b = q.run(q.named_queries()[name], graph), q.run(q.named_queries()[name], store)
        assert (a.variables, a.rows) == (b.variables, b.rows), name


# ------------------------------------------------------------------ corpus


@pytest.fixture(scope="module")
def corpus_stores(corpus_build):
    graph = Graph()
    graph.parse(str(corpus_build / "kamervragen.nt"), format="nt")
    return graph, open_store(corpus_build / "store")


def test_corpus_store_holds_the_build(corpus_build, corpus_stores):
    assert len(named_quads(corpus_stores[1])) == nt_lines(corpus_build) + description_lines(corpus_build)
    assert len(triples(corpus_stores[1].quads_for_pattern(None, None, None, ox.DefaultGraph()))) == len(corpus_stores[0])
    assert len(corpus_stores[0]) == nt_lines(corpus_build)


@pytest.mark.parametrize("name", NAMES)
def test_corpus_both_stores_give_the_same_answers(corpus_stores, name):
    graph, store = corpus_stores
    named = q.named_queries()[name]
    in_memory, on_disk = q.run(named, graph), q.run(named, store)
    assert in_memory.variables == on_disk.variables
    assert in_memory.rows == on_disk.rows
    for fmt in q.FORMATS:
        assert q.serialize(in_memory, fmt) == q.serialize(on_disk, fmt)


# --------------------------------------------------------------------- CLI


def test_kg_query_reads_the_graph_or_the_store_alike(samples_build, capsys):
    args = ["query", "questions-per-party-per-year", "--format", "csv"]
    assert main([*args, "--graph", str(samples_build / "kamervragen.nt")]) == 0
    from_graph = capsys.readouterr().out
    assert main([*args, "--store", str(samples_build / "store")]) == 0
    from_store = capsys.readouterr().out
    assert from_graph == from_store
    assert from_graph.splitlines()[0] == "vergaderjaar,party,documents,questions"
    assert len(from_graph.splitlines()) > 1


def test_kg_query_list(capsys):
    assert main(["query", "--list"]) == 0
    out = capsys.readouterr().out
    for name in NAMES:
        assert f"\n{name}\n" in f"\n{out}"
    assert "--param limit: integer — how many publications to list (default 20)" in out


@pytest.mark.parametrize(
    "argv, message",
    [
        (["query", "no-such-query"], "the named queries are: answer-time-per-ministry"),
        (["query"], "name a query or a .rq file"),
        (["query", "most-cited-publications", "--param", "top=3"], "its parameters: limit"),
        (["query", "most-cited-publications", "--param", "limit=many"], "must be an integer"),
        (["query", "most-cited-publications", "--param", "limit"], "name=value"),
        (["query", "late-answers", "--graph", "/nonexistent/kamervragen.nt"], "no such file"),
        (["query", "late-answers", "--store", "/nonexistent/store"], "no Oxigraph store"),
        (["query", "late-answers", "--format", "xml"], "invalid choice"),
    ],
)
def test_kg_query_wrong_arguments_exit_2_and_say_what_exists(argv, message, capsys):
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_kg_query_without_rows_exits_1(samples_build, capsys):
    argv = ["query", "questions-mentioning", "--param", "term=zzz-nowhere", "--graph", str(samples_build / "kamervragen.nt")]
    assert main(argv) == 1
    assert "(0 rows)" in capsys.readouterr().out


def test_kg_query_runs_a_query_file(samples_build, tmp_path, capsys):
    path = tmp_path / "count.rq"
    path.write_text("# How many documents.\n# param kind: iri — a class (default https://w3id.org/kamervragen/def#Document)\n"
                    "SELECT (COUNT(?d) AS ?n) WHERE { ?d a $kind }\n", encoding="utf-8")
    assert main(["query", str(path), "--store", str(samples_build / "store"), "--format", "tsv"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "?n" and int(out[1]) > 0
    graph = Graph().parse(samples_build / "kamervragen.nt", format="nt")
    expected = len(set(graph.subjects(RDF.type, URIRef("https://w3id.org/kamervragen/def#Document"))))
    assert int(out[1]) == expected  # each document once, as in the merged graph


def test_a_store_loaded_from_the_trig_equals_one_loaded_from_the_spool(samples_build, tmp_path):
    """kg build loads a new store from its kamervragen.trig; without an output
    folder it streams the graphs: the same quads either way."""
    streamed = tmp_path / "streamed"
    build(None, None, validate=False, store=streamed)
    a = set(open_store(samples_build / "store").quads_for_pattern(None, None, None, None))
    b = set(open_store(streamed).quads_for_pattern(None, None, None, None))
    assert a == b and len(a) > 1000


def test_a_store_started_from_the_validation_store_equals_one_loaded_from_the_files(tmp_path, monkeypatch):
    """Above the in-memory limit the SPARQL validation's store is on disk;
    the first load then starts from it (its default graph is the merged
    graph) and loads only the named graphs: the same quads as a load of
    kamervragen.trig and kamervragen.nt."""
    import json

    import kg.build

    build(None, tmp_path / "a", store=tmp_path / "a" / "store")
    monkeypatch.setattr(kg.build, "IN_MEMORY_VALIDATION_BYTES", 0)
    build(None, tmp_path / "b", store=tmp_path / "b" / "store")
    reports = [json.loads((tmp_path / x / "build-report.json").read_text(encoding="utf-8"))["store"] for x in "ab"]
    assert [r["default_graph_from"] for r in reports] == ["kamervragen.nt", "validation store"]
    assert not list(tmp_path.glob("b/.kg-spool-*"))  # the validation store went with the spool or into the store
    a = set(open_store(tmp_path / "a" / "store").quads_for_pattern(None, None, None, None))
    b = set(open_store(tmp_path / "b" / "store").quads_for_pattern(None, None, None, None))
    assert a == b and len(b) > 1000
    assert reports[1]["quads"] == len(b)


# ------------------------------------------------------- load and update


def test_a_first_load_runs_in_a_child_process_and_is_reported(samples_build):
    import json

    report = json.loads((samples_build / "build-report.json").read_text(encoding="utf-8"))
    store = report["store"]
    assert store["mode"] == "load"
    assert store["quads"] == len(open_store(samples_build / "store"))
    assert store["peak_memory_mb"] > 0 and store["cpu_seconds"] > 0


def test_a_store_left_half_updated_is_loaded_whole_next_time(samples, tmp_path):
    """A build killed while it changed the store in place leaves its state
    marked incomplete: the next build loads a fresh store, equal to one made
    from scratch, instead of trusting the hashes."""
    import json
    import os

    from kg.store import STATE_FILE, store_state

    out, store_dir = tmp_path / "out", tmp_path / "store"
    build([samples / "ah-tk-20182019-3878.txt"], out, validate=False, store=store_dir)
    state_path = store_dir / STATE_FILE
    state = json.loads(state_path.read_text(encoding="utf-8"))
    assert store_state(store_dir)["graphs"]
    state["complete"] = False
    state_path.write_text(json.dumps(state), encoding="utf-8")
    db = ox.Store(str(store_dir))  # what a half-done update may leave: a stray triple in the default graph
    db.add(ox.Quad(ox.NamedNode("http://example.org/a"), ox.NamedNode("http://example.org/b"), ox.Literal("half")))
    db.flush()
    del db
    assert store_state(store_dir) == {}
    inode = os.stat(store_dir).st_ino
    again = build([samples / "ah-tk-20182019-3878.txt"], out, validate=False, store=store_dir)
    assert again.store_load["mode"] == "load" and os.stat(store_dir).st_ino != inode
    fresh = tmp_path / "fresh"
    build([samples / "ah-tk-20182019-3878.txt"], tmp_path / "out2", validate=False, store=fresh)
    assert set(open_store(store_dir)) == set(open_store(fresh))


def test_a_failed_child_load_names_the_file(tmp_path):
    from kg.store import load_files

    bad = tmp_path / "bad.nt"
    bad.write_text("<http://e/a> <http://e/b> not a term .\n", encoding="utf-8")
    with pytest.raises(SyntaxError, match="bad.nt"):
        load_files(tmp_path / "db", [(bad, "N_TRIPLES", None)])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.nt"]


def test_the_diff_of_two_sorted_files_is_the_same_with_comm_and_without(tmp_path, monkeypatch):
    """The store's update compares the description's lines with their last
    snapshot by coreutils' comm where it exists: the same lines as comparing
    them as sets, also where UTF-8 bytes and the order of code points meet."""
    import random
    import shutil

    import kg.store as store

    rng = random.Random(4)
    alphabet = ["a", "b", "Z", " ", '"', "é", "ë", "\u2028", "\u0085", "€", "𝔸", "~", "\x7f"]
    lines = sorted({"<x> <p> \"" + "".join(rng.choices(alphabet, k=rng.randint(0, 8))) + "\" ." for _ in range(3000)})
    old = sorted(rng.sample(lines, len(lines) * 4 // 5))
    new = sorted(rng.sample(lines, len(lines) * 4 // 5))
    (tmp_path / "old.nt").write_text("\n".join(old), encoding="utf-8")
    (tmp_path / "new.nt").write_text("\n".join(new), encoding="utf-8")
    expected = (sorted(set(old) - set(new)), sorted(set(new) - set(old)))
    assert expected[0] and expected[1]
    if shutil.which("comm"):
        assert store._diff_sorted_files(tmp_path / "old.nt", tmp_path / "new.nt") == expected
    monkeypatch.setattr(store.shutil, "which", lambda name: None)
    assert store._diff_sorted_files(tmp_path / "old.nt", tmp_path / "new.nt") == expected
