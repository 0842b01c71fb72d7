"""Partitioned validation equals pySHACL over the whole graph.

The reference is pySHACL run once over the union of the chunks
(kg.validate.validate / validate_whole). Partitioned validation must give the
same results (focus node, path, value, shape, message, severity, and the
document, file and labels read from the union) and an isomorphic results
graph, however the triples are cut into chunks: by publication as the build
does, or at random (a triple in any chunk, some in two, some in the shared
graph), for every batch size. tests/test_shapes.py runs the same check on
every graph its cases validate.
"""
from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from kg.validate import (
    _DocumentIndex,
    results_text,
    validate,
    validate_partitioned,
    validate_whole,
    write_results,
)
from kg.validate_plan import IN, OUT, UnsupportedShapes, analyse

Chunks = list[tuple[str, str]]


def _nt(triples) -> str:
    g = Graph()
    for t in triples:
        g.add(t)
    return g.serialize(format="nt")


def chunks_by_publication(g: Graph) -> tuple[Chunks, str]:
    """As the build cuts: each triple with the publication its subject
    belongs to; what belongs to none (or is a stub) in the shared graph."""
    index = _DocumentIndex(g)
    per: dict[str, list] = {}
    shared = []
    for s, p, o in g:
        doc = index.owner(s)
        if doc is not None and index.is_parsed(doc):
            per.setdefault(index.identifier(doc), []).append((s, p, o))
        else:
            shared.append((s, p, o))
    return [(k, _nt(v)) for k, v in sorted(per.items())], _nt(shared)


def chunks_at_random(g: Graph, seed: int, n: int = 4) -> tuple[Chunks, str]:
    """Any triple in any chunk; some in two chunks, some also shared."""
    rnd = random.Random(seed)
    per: list[list] = [[] for _ in range(n)]
    shared = []
    for t in sorted(g, key=lambda t: tuple(x.n3() for x in t)):
        k = rnd.randrange(n + 1)
        if k == n:
            shared.append(t)
            continue
        per[k].append(t)
        if rnd.random() < 0.15:
            per[rnd.randrange(n)].append(t)
        if rnd.random() < 0.1:
            shared.append(t)
    return [(f"chunk-{i}", _nt(ts)) for i, ts in enumerate(per)], _nt(shared)


def assert_same(reference, partitioned, what: str = "") -> None:
    assert partitioned.violations == reference.violations, what
    assert partitioned.conforms == reference.conforms, what
    assert isomorphic(partitioned.results_graph, reference.results_graph), what


def assert_partitioned_equals_whole(g: Graph, *, thorough: bool = False) -> None:
    """The check tests/test_shapes.py runs on every graph it validates."""
    reference = validate(g)
    cuts = [("by publication", chunks_by_publication(g), 1), ("at random", chunks_at_random(g, seed=len(g)), 2)]
    if thorough:
        cuts += [(f"at random {seed}", chunks_at_random(g, seed, n=6), b) for seed in range(3) for b in (1, 7)]
    for name, (chunks, shared), batch in cuts:
        assert_same(reference, validate_partitioned(iter(chunks), shared, batch_size=batch), f"{name}, batch {batch}")
    assert results_text(validate_whole(*chunks_by_publication(g)).results_graph) == results_text(reference.results_graph)


# --------------------------------------------------------------------- the plan


def test_plan_reads_what_the_shapes_read() -> None:
    from kg.validate import load_shapes

    plan = analyse(load_shapes())
    kv = "https://w3id.org/kamervragen/def#"
    # sh:class on the values of a path: their types, one step away
    assert (OUT, f"<{kv}ministerie>") in plan.focus
    assert plan.step_reads[(OUT, f"<{kv}ministerie>")] == {(OUT, "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>")}
    # sh:node BeantwoordeVraag on a document's questions: who answers them
    assert plan.step_reads[(OUT, f"<{kv}heeftVraag>")] == {(IN, f"<{kv}beantwoordt>")}
    # a target read by nothing else needs one triple, not all of them
    assert (IN, f"<{kv}gesteldDoor>") in plan.witness


def test_plan_refuses_what_it_cannot_follow() -> None:
    g = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <urn:ex:> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:closed true .""", format="turtle")
    with pytest.raises(UnsupportedShapes):
        analyse(g)
    g = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <urn:ex:> .
        ex:S a sh:PropertyShape ; sh:targetClass ex:C ; sh:path ( ex:a ex:b ex:c ) ; sh:maxCount 1 .""", format="turtle")
    with pytest.raises(UnsupportedShapes):
        analyse(g)


# --------------------------------------------------------------------- fixtures of other tests


def _fixture_graphs() -> list[tuple[str, Graph]]:
    """The invalid graphs of tests/test_shapes.py that need more than one
    publication, cut at random here with several batch sizes."""
    import test_shapes as ts

    return [
        ("foreign answer", ts.build(ts.OTHER, "antwoord:ah-tk-20182019-3878-1 kv:beantwoordt vraag:ah-tk-20182019-3900-1 .")),
        ("member with two parties", ts.build(
            "kamerlid:groothuizen-d66 kv:fractie fractie:vvd . fractie:vvd a kv:Fractie ; rdfs:label \"VVD\" .",
            update="DELETE WHERE { kamerlid:groothuizen-d66 kv:achternaam ?a }")),
        ("cited without stub", ts.build("ob:ah-tk-20182019-3878 kv:verwijstNaar ob:kst-29383-406 .")),
        ("answered twice", ts.build(ts.OTHER, """
            ob:ah-tk-20182019-3900 kv:heeftAntwoord antwoord:ah-tk-20182019-3900-2 .
            antwoord:ah-tk-20182019-3900-2 a kv:Antwoord ; kv:volgnummer 2 ;
                kv:beantwoordt vraag:ah-tk-20182019-3878-2 ; kv:tekst "Nogmaals."@nl .""")),
        ("literal as web link and office", ts.build(ts.OTHER, """
            ob:ah-tk-20182019-3900 <http://www.w3.org/2000/01/rdf-schema#seeAlso> "www.example.org/a b" ;
                kv:gerichtAan "Minister van Financiën" .
            ob:ah-tk-20182019-3878 kv:gerichtAan "Minister van Financiën" .""")),
        ("cited IRI with an accent", ts.build(ts.OTHER, """
            ob:ah-tk-20182019-3878 kv:verwijstNaar <https://zoek.officielebekendmakingen.nl/kst-café> .
            ob:ah-tk-20182019-3900 kv:verwijstNaar <https://zoek.officielebekendmakingen.nl/kst-café> .""")),
    ]


@pytest.mark.parametrize("case", range(6))
def test_cross_publication_fixtures(case: int) -> None:
    name, g = _fixture_graphs()[case]
    assert not validate(g).conforms, name
    assert_partitioned_equals_whole(g, thorough=True)


def _link_fixture(module: str, bad: bool) -> Graph:
    mod = pytest.importorskip(module)
    fixture = getattr(mod, "synthetic", None)
    if not hasattr(fixture, "__wrapped__"):
        pytest.skip(f"{module}.synthetic is not a fixture this test can call")
    g = fixture.__wrapped__()[0]
    if bad:
        from rdflib import Literal

        from kg.vocab import KV

        ref = next(iter(g.subjects(KV.registerstatus, KV.RegisterOnbekend)), None)
        if ref is None:
            pytest.skip("no citation of an unknown scheme in the fixture")
        g.add((ref, KV.doelInRegister, Literal(False)))
    return g


@pytest.mark.parametrize(("module", "bad"), [("test_link_registry", False), ("test_link_registry", True), ("test_link_followup", False)])
def test_link_stage_fixtures(module: str, bad: bool) -> None:
    assert_partitioned_equals_whole(_link_fixture(module, bad), thorough=True)


def test_context_from_a_third_chunk() -> None:
    # The document is homed in its own chunk, but one of its questions, and
    # the answer to it, stand in another publication's chunk only: judging the
    # document needs who answers that question, read from there.
    import test_shapes as ts

    extra = """
        ob:ah-tk-20182019-3878 kv:heeftVraag vraag:ah-tk-20182019-3878-3 .
        vraag:ah-tk-20182019-3878-3 a kv:Vraag ; kv:nummer 3 ; kv:tekst "Een derde vraag?"@nl .
        antwoord:ah-tk-20182019-3878-9 a kv:Antwoord ; kv:volgnummer 9 ; kv:tekst "Ja."@nl ;
            kv:beantwoordt vraag:ah-tk-20182019-3878-3 .
    """
    g = ts.build(ts.OTHER, extra)
    elsewhere = Graph().parse(data=ts.PREFIXES + extra, format="turtle")
    mine = [t for t in g if t not in elsewhere]
    other = [t for t in Graph().parse(data=ts.PREFIXES + ts.OTHER, format="turtle")]
    chunks = [("a", _nt(t for t in mine if t not in set(other))), ("b", _nt(list(elsewhere) + other))]
    reference = validate(g)
    # The question is answered: only the answer without a document is wrong.
    assert {v.shape.rsplit("#", 1)[1] for v in reference.violations} == {"Antwoord-document"}
    assert_same(reference, validate_partitioned(iter(chunks), "", batch_size=1))


def test_target_seen_only_in_another_chunk() -> None:
    # The asker is described in the shared graph only (no kv:Kamerlid type),
    # and only the publication says kv:gesteldDoor: the shared unit judges the
    # asker and must still see that it is an asker (one witness triple).
    import test_shapes as ts

    g = ts.build(update="DELETE WHERE { kamerlid:groothuizen-d66 a kv:Kamerlid }")
    person = [t for t in g.triples((ts.KAMERLID, None, None))]
    chunks = [("ah-tk-20182019-3878", _nt(t for t in g if t[0] != ts.KAMERLID))]
    reference = validate(g)
    assert {v.shape.rsplit("#", 1)[1] for v in reference.violations} == {"Kamerlid-bereik"}
    assert_same(reference, validate_partitioned(iter(chunks), _nt(person), batch_size=1))


def test_two_processes_give_the_same_results() -> None:
    name, g = _fixture_graphs()[0]
    chunks, shared = chunks_at_random(g, 1)
    assert_same(validate(g), validate_partitioned(iter(chunks), shared, processes=2, batch_size=1), name)


def test_blank_nodes_fall_back_to_the_whole_graph() -> None:
    import test_shapes as ts

    g = ts.build("ob:ah-tk-20182019-3878 kv:waarschuwing [ a kv:Vraag ] .")
    chunks, shared = chunks_by_publication(g)
    reference, partitioned = validate(g), validate_partitioned(iter(chunks), shared)
    # Blank nodes get new labels in every parse: compare what the results say.
    def said(report):
        return sorted((v.shape, v.path or "", v.message, v.severity.value) for v in report.violations)

    assert said(partitioned) == said(reference) != []
    assert isomorphic(partitioned.results_graph, reference.results_graph)


# --------------------------------------------------------------------- real builds


def _build_chunks(inputs: list[Path] | None) -> tuple[Chunks, str]:
    """Each publication's final triples and the shared graph's, as a build
    writes them: the named graphs of its TriG dump."""
    import tempfile

    import pyoxigraph as ox

    from kg.build import build
    from kg.iris import IriMinter

    iris = IriMinter()
    graph_base, shared = str(iris.graph("")), str(iris.shared_graph())
    with tempfile.TemporaryDirectory() as tmp:
        build(inputs, Path(tmp), jobs=1, validate=False, formats=["trig"])
        lines: dict[str, list[str]] = {}
        for q in ox.parse(path=str(Path(tmp) / "kamervragen.trig"), format=ox.RdfFormat.TRIG):
            if isinstance(q.graph_name, ox.NamedNode):  # the description is the default graph
                lines.setdefault(q.graph_name.value, []).append(f"{q.subject} {q.predicate} {q.object} .")
    shared_chunk = "".join(ln + "\n" for ln in sorted(lines.pop(shared, [])))
    chunks = [(g[len(graph_base):], "".join(ln + "\n" for ln in sorted(v))) for g, v in sorted(lines.items())]
    return chunks, shared_chunk


@pytest.fixture(scope="module")
def sample_chunks() -> tuple[Chunks, str]:
    return _build_chunks(None)


@pytest.fixture(scope="module")
def corpus_chunks(corpus: Path) -> tuple[Chunks, str]:
    return _build_chunks([corpus / "docs", corpus / "unlabelled"])


def test_engines(sample_chunks) -> None:
    from kg.errors import UsageError
    from kg.validate import validate_chunks

    chunks, shared = sample_chunks
    assert_same(validate_chunks(chunks, shared, engine="pyshacl"), validate_chunks(iter(chunks), shared))
    with pytest.raises(UsageError, match="partitioned, pyshacl"):
        validate_chunks(chunks, shared, engine="jena")


def test_chunks_may_come_without_identifiers(sample_chunks) -> None:
    chunks, shared = sample_chunks
    texts = [text for _, text in chunks]
    assert_same(validate_whole(texts, shared), validate_partitioned(iter(texts), shared, batch_size=3))


@pytest.mark.parametrize("batch_size", [1, 7, 500])
def test_samples(sample_chunks, batch_size: int) -> None:
    chunks, shared = sample_chunks
    assert_same(validate_whole(chunks, shared), validate_partitioned(iter(chunks), shared, batch_size=batch_size))


@pytest.mark.parametrize("batch_size", [1, 7, 500])
def test_corpus(corpus_chunks, batch_size: int) -> None:
    chunks, shared = corpus_chunks
    reference = validate_whole(chunks, shared)
    # The members who changed party and the unanswered questions only the
    # merged graph shows (issue 10, item 15).
    assert len(reference.violations) > 0
    assert_same(reference, validate_partitioned(iter(chunks), shared, batch_size=batch_size))


def test_corpus_chunks_cut_without_the_shared_graph(corpus_chunks) -> None:
    # The same build handed over before the split: every publication keeps
    # the people and stubs it names, the shared graph holds the link stage only.
    chunks, shared = corpus_chunks
    everything = Graph()
    for _, text in chunks:
        everything.parse(data=text, format="nt")
    everything.parse(data=shared, format="nt")
    mine, rest = chunks_at_random(everything, seed=7, n=9)
    assert_same(validate(everything), validate_partitioned(iter(mine), rest, batch_size=3))


# --------------------------------------------------------------------- validation.ttl


def test_results_text_is_byte_identical_across_runs(tmp_path: Path, sample_chunks) -> None:
    chunks, shared = sample_chunks
    a, b = tmp_path / "a.ttl", tmp_path / "b.ttl"
    write_results(validate_partitioned(iter(chunks), shared, batch_size=1), a)
    write_results(validate_whole(chunks, shared), b)
    assert a.read_bytes() == b.read_bytes()
    # pySHACL's own report, written afresh in another process (other blank
    # node labels, another hash seed), gives the same bytes.
    code = (
        "import sys; from pathlib import Path; from rdflib import Graph; "
        "from kg.validate import validate, write_results; "
        "g = Graph().parse(sys.argv[1], format='nt'); write_results(validate(g), Path(sys.argv[2]))"
    )
    g = Graph()
    for _, text in chunks:
        g.parse(data=text, format="nt")
    g.parse(data=shared, format="nt")
    nt = tmp_path / "all.nt"
    g.serialize(nt, format="nt", encoding="utf-8")
    c = tmp_path / "c.ttl"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-c", code, str(nt), str(c)], check=True, env=env)
    assert c.read_bytes() == a.read_bytes()
    # And it is Turtle that reads back as the same report.
    assert isomorphic(Graph().parse(a, format="turtle"), validate(g).results_graph)


def test_results_text_tells_equal_looking_paths_apart() -> None:
    import test_shapes as ts

    # Two questions without a document: two results, two separate path nodes
    # ^kv:heeftVraag; plus an answer of another document (alternative path).
    g = ts.build(ts.OTHER, "antwoord:ah-tk-20182019-3878-1 kv:beantwoordt vraag:ah-tk-20182019-3900-1 .",
                 update="DELETE WHERE { ?d kv:heeftVraag ?v }")
    report = validate(g)
    text = results_text(report.results_graph)
    assert isomorphic(Graph().parse(data=text, format="turtle"), report.results_graph)


def test_focus_node_iri_unchanged() -> None:
    # A term as pySHACL names it and as the chunks spell it compare equal.
    from kg.validate_partitioned import canonical

    assert canonical("<https://example.org/a>") == URIRef("https://example.org/a").n3()
    assert canonical('"2019"^^<http://www.w3.org/2001/XMLSchema#integer>') == '"2019"^^<http://www.w3.org/2001/XMLSchema#integer>'
    # An escaped IRI in a chunk is the same node as the unescaped one.
    from kg.validate_partitioned import _triples

    ((_, s, _, o),) = list(_triples("<https://x/caf\\u00E9> <urn:p> <https://x/caf\\u00e9> .\n"))
    assert s == o == URIRef("https://x/café").n3()
