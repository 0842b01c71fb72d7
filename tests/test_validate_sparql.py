"""The shapes compiled to SPARQL over Oxigraph give exactly pySHACL's results.

The reference is pySHACL over one rdflib graph (kg.validate.validate,
validate_whole). The SPARQL engine (kg.validate_sparql) must give the same
Violations (focus node, path, value, shape, component, severity, message and
the document, file and labels read from the data), the same conformance, an
isomorphic results graph, and byte-identical validation.ttl text. Every graph
tests/test_shapes.py validates goes through the same check (its autouse
fixture); here: the cross-publication fixtures, shapes that use every
component the compiler translates (without messages, so pySHACL's default
messages are compared too), the samples, the dev corpus, 1,000 generated
publications, and the fallback when the compiler meets a feature it does not
translate.
"""
from __future__ import annotations

import logging
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.validate import (
    results_text,
    validate,
    validate_chunks,
    validate_sparql,
    validate_sparql_graph,
    validate_whole,
)
from kg.validate_sparql import UnsupportedShapes, check_shapes


def assert_same(reference, got, what: str = "") -> None:
    assert got.violations == reference.violations, what
    assert got.conforms == reference.conforms, what
    assert isomorphic(got.results_graph, reference.results_graph), what
    assert results_text(got.results_graph) == results_text(reference.results_graph), what


def assert_sparql_equals_whole(g: Graph, shapes: Graph | None = None) -> None:
    """The check tests/test_shapes.py runs on every graph it validates: the
    graph as given, and cut into chunks as the build cuts it."""
    reference = validate(g, shapes)
    assert_same(reference, validate_sparql_graph(g, shapes), "one graph")
    if shapes is None:
        from test_validate_partitioned import chunks_by_publication

        chunks, shared = chunks_by_publication(g)
        whole = validate_whole(chunks, shared)
        assert_same(whole, validate_sparql(iter(chunks), shared), "chunks")


# --------------------------------------------------------------------- fixtures of other tests


@pytest.mark.parametrize("case", range(6))
def test_cross_publication_fixtures(case: int) -> None:
    from test_validate_partitioned import _fixture_graphs

    name, g = _fixture_graphs()[case]
    assert not validate(g).conforms, name
    assert_sparql_equals_whole(g)


@pytest.mark.parametrize(("module", "bad"), [("test_link_registry", False), ("test_link_registry", True), ("test_link_followup", False)])
def test_link_stage_fixtures(module: str, bad: bool) -> None:
    from test_validate_partitioned import _link_fixture

    assert_sparql_equals_whole(_link_fixture(module, bad))


def test_blank_nodes_in_the_data() -> None:
    import test_shapes as ts

    g = ts.build("ob:ah-tk-20182019-3878 kv:waarschuwing [ a kv:Vraag ] .")
    reference, got = validate(g), validate_sparql_graph(g)

    # Blank nodes get new labels in every parse: compare what the results say.
    def said(report):
        return sorted((v.shape, v.path or "", v.message, v.severity.value) for v in report.violations)

    assert said(got) == said(reference) != []
    assert isomorphic(got.results_graph, reference.results_graph)


# --------------------------------------------------------------------- every component, default messages

COMPONENT_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <urn:ex:> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:Thing-int a sh:PropertyShape ; sh:targetClass ex:Thing ; sh:path ex:n ; sh:datatype xsd:integer ;
    sh:minInclusive 1 ; sh:maxExclusive 100 ; sh:maxCount 1 .
ex:Thing-date a sh:PropertyShape ; sh:targetClass ex:Thing ; sh:path ex:d ; sh:datatype xsd:date ;
    sh:lessThanOrEquals ex:e .
ex:Thing-lt a sh:PropertyShape ; sh:targetClass ex:Thing ; sh:path ex:e ; sh:lessThan ex:f .
ex:Thing-name a sh:PropertyShape ; sh:targetClass ex:Thing ; sh:path ex:name ; sh:minCount 1 ; sh:datatype xsd:string ;
    sh:minLength 3 ; sh:maxLength 8 ; sh:pattern "^a(b)c\\\\1?" ; sh:flags "i" .
ex:Thing-text a sh:PropertyShape ; sh:targetClass ex:Thing ; sh:path ex:text ; sh:datatype rdf:langString ;
    sh:languageIn ( "nl" "en" ) ; sh:uniqueLang true .
ex:Thing-kind a sh:PropertyShape ; sh:targetClass ex:Thing ; sh:path ex:kind ; sh:in ( ex:A ex:B "c" 3 ) ;
    sh:hasValue ex:A .
ex:Thing-link a sh:PropertyShape ; sh:targetClass ex:Thing ; sh:path [ sh:alternativePath ( ex:link [ sh:inversePath ex:linkOf ] ) ] ;
    sh:class ex:Target ; sh:nodeKind sh:IRI ; sh:node ex:TargetShape .
ex:Thing-chain a sh:PropertyShape ; sh:targetClass ex:Thing ; sh:path ( ex:link [ sh:zeroOrMorePath ex:next ] ) ;
    sh:maxCount 2 .
ex:Thing-eq a sh:PropertyShape ; sh:targetClass ex:Thing ; sh:path ex:a ; sh:equals ex:b ; sh:disjoint ex:c .
ex:TargetShape a sh:NodeShape ; sh:property [ sh:path ex:label ; sh:minCount 1 ] .
ex:Either a sh:NodeShape ; sh:targetSubjectsOf ex:kind ;
    sh:or ( [ sh:path ex:n ; sh:minCount 1 ] [ sh:path ex:name ; sh:minCount 2 ] ) ;
    sh:not [ sh:path ex:forbidden ; sh:minCount 1 ] ;
    sh:xone ( [ sh:class ex:Thing ] [ sh:class ex:Other ] ) ;
    sh:and ( [ sh:nodeKind sh:IRI ] [ sh:path ex:kind ; sh:maxCount 3 ] ) .
ex:Objects a sh:NodeShape ; sh:targetObjectsOf ex:link ; sh:targetNode ex:nowhere ; sh:nodeKind sh:IRI ;
    sh:severity sh:Warning .
ex:Sub a sh:NodeShape ; sh:targetClass ex:Super ; sh:property [ sh:path ex:n ; sh:minCount 1 ; sh:severity sh:Info ] .
"""

COMPONENT_DATA = """
@prefix ex: <urn:ex:> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:Special rdfs:subClassOf ex:Thing . ex:Super2 rdfs:subClassOf ex:Super . ex:Special rdfs:subClassOf ex:Super2 .
ex:t1 a ex:Thing ; ex:n 5 ; ex:d "2019-07-29"^^xsd:date ; ex:e "2019-07-30"^^xsd:date ; ex:f "2019-07-30"^^xsd:date ;
    ex:name "abc" ; ex:text "tekst"@nl , "text"@en-GB ; ex:kind ex:A ; ex:link ex:x1 ; ex:a ex:p ; ex:b ex:p .
ex:t2 a ex:Special ; ex:n "5" , 0 , "abc"^^xsd:integer , 100 , 1.5 ; ex:d "2019-02-30"^^xsd:date , "2019-08-01"^^xsd:date , "2019"^^xsd:string ;
    ex:e "2019-07-30"^^xsd:date ; ex:f "2019-07-29"^^xsd:date ;
    ex:name "ab" , "ABCB" , "abcdefghij" , ex:iri-name , "xyz"@nl ; ex:text "text"@de , "plain" , "tekst"@nl , "woord"@nl ;
    ex:kind ex:C , "c" , "3"^^xsd:integer , "d" ; ex:link ex:x2 , "literal" ; ex:a ex:p , ex:q ; ex:b ex:p , ex:r ; ex:c ex:q ;
    ex:forbidden true .
ex:x0 ex:linkOf ex:t2 .
ex:x1 a ex:Target ; ex:label "x1" ; ex:next ex:x2 .
ex:x2 a ex:Other ; ex:next ex:x3 .
ex:x3 a ex:Target .
ex:t3 a ex:Thing , ex:Other ; ex:kind ex:A , ex:B , "c" , 3 ; ex:n 07 .
ex:t4 a ex:Special ; ex:kind ex:A ; ex:name "abc" .
"""


def component_case() -> tuple[Graph, Graph]:
    shapes = Graph().parse(data="@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> ." + COMPONENT_SHAPES, format="turtle")
    data = Graph().parse(data=COMPONENT_DATA, format="turtle")
    return data, shapes


def test_every_component_equals_pyshacl() -> None:
    data, shapes = component_case()
    reference = validate(data, shapes)
    # The case exercises each component: each one reports something.
    components = {v.constraint for v in reference.violations}
    for name in ("Datatype", "MinInclusive", "MaxExclusive", "MaxCount", "LessThanOrEquals", "LessThan", "MinCount",
                 "MinLength", "MaxLength", "Pattern", "LanguageIn", "UniqueLang", "In", "HasValue", "Class", "NodeKind",
                 "Node", "Equals", "Disjoint", "Or", "Not", "Xone", "And"):
        assert name + "ConstraintComponent" in components, name
    # Shapes without sh:message: pySHACL's default messages, node shapes' sh:value, sh:detail of sh:node.
    assert any(v.message.startswith("Less than 1 values on") for v in reference.violations)
    assert "detail" in results_text(reference.results_graph)
    assert_sparql_equals_whole(data, shapes)


SPARQL_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <urn:ex:> . @prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex: sh:declare [ sh:prefix "ex" ; sh:namespace "urn:ex:"^^xsd:anyURI ] .
ex:Later a sh:NodeShape ; sh:targetClass ex:Thing ;
    sh:sparql [ sh:prefixes ex: ;
        sh:message "{$this} ends before it starts ({?end})" ;
        sh:select "SELECT $this ?value ?end WHERE { $this ex:start ?value ; ex:end ?end . FILTER(?end < ?value) }" ] .
ex:Unique a sh:PropertyShape ; sh:targetClass ex:Thing ; sh:path ex:code ;
    sh:message "code shared with {?other}"@en ;
    sh:sparql [ sh:prefixes ex: ;
        sh:select "SELECT $this ?value ?other WHERE { $this $PATH ?value . ?other $PATH ?value . FILTER(?other != $this) }" ] .
ex:Failure a sh:NodeShape ; sh:targetNode ex:t1 ;
    sh:sparql [ sh:select "SELECT $this ?failure WHERE { $this <urn:ex:start> ?s . BIND(?s > 4 AS ?failure) FILTER(?failure) }" ] .
"""


def test_sparql_constraints_equal_pyshacl() -> None:
    shapes = Graph().parse(data=SPARQL_SHAPES, format="turtle")
    data = Graph().parse(data="""@prefix ex: <urn:ex:> .
        ex:t1 a ex:Thing ; ex:start 5 ; ex:end 3 ; ex:code "a" .
        ex:t2 a ex:Thing ; ex:start 1 ; ex:end 3 ; ex:code "a" , "b" .
        ex:t3 a ex:Thing ; ex:code "b" .""", format="turtle")
    reference = validate(data, shapes)
    assert {v.constraint for v in reference.violations} == {"SPARQLConstraintComponent"}
    assert any("ends before it starts (3)" in v.message for v in reference.violations)
    assert {v.shape for v in reference.violations} == {"urn:ex:Later", "urn:ex:Unique", "urn:ex:Failure"}
    assert_sparql_equals_whole(data, shapes)


def test_unsupported_shapes_are_refused() -> None:
    for extra in (
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:closed true .",
        "ex:S a sh:PropertyShape ; sh:targetClass ex:C ; sh:path ex:p ; sh:qualifiedValueShape [ sh:class ex:D ] ; sh:qualifiedMinCount 1 .",
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:deactivated true ; sh:nodeKind sh:IRI .",
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:unknownThing 3 .",
        "ex:S a sh:PropertyShape ; sh:targetClass ex:C ; sh:path ex:p ; sh:lessThan ex:q , ex:r .",
        "ex:S a sh:PropertyShape ; sh:targetClass ex:C ; sh:path ex:p ; sh:in ( [ a ex:D ] ) .",
    ):
        g = Graph().parse(data="@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <urn:ex:> . " + extra, format="turtle")
        with pytest.raises(UnsupportedShapes):
            check_shapes(g)


def test_unsupported_shapes_fall_back_to_partitioned(monkeypatch: pytest.MonkeyPatch, caplog) -> None:
    import kg.validate
    import test_shapes as ts
    from test_validate_partitioned import chunks_by_publication

    shapes = kg.validate.load_shapes()
    shapes.parse(data="""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix kv: <https://w3id.org/kamervragen/def#> .
        <urn:ex:closed> a sh:NodeShape ; sh:targetClass kv:Fractie ; sh:closed false .""", format="turtle")
    monkeypatch.setattr(kg.validate, "_default_shapes", lambda: shapes)
    g = ts.build(ts.OTHER, "antwoord:ah-tk-20182019-3878-1 kv:beantwoordt vraag:ah-tk-20182019-3900-1 .")
    chunks, shared = chunks_by_publication(g)
    with caplog.at_level(logging.WARNING, logger="kg.validate"):
        got = validate_chunks(iter(chunks), shared, engine="sparql")
    assert "closed" in caplog.text and "partitioned" in caplog.text
    assert_same(validate_whole(chunks, shared), got)


# --------------------------------------------------------------------- real builds


@pytest.fixture(scope="module")
def sample_chunks():
    from test_validate_partitioned import _build_chunks

    return _build_chunks(None)


@pytest.fixture(scope="module")
def corpus_chunks(corpus: Path):
    from test_validate_partitioned import _build_chunks

    return _build_chunks([corpus / "docs", corpus / "unlabelled"])


def test_engines(sample_chunks) -> None:
    chunks, shared = sample_chunks
    assert_same(validate_chunks(chunks, shared, engine="pyshacl"), validate_chunks(iter(chunks), shared))


def test_samples(sample_chunks) -> None:
    chunks, shared = sample_chunks
    reference = validate_whole(chunks, shared)
    assert_same(reference, validate_sparql(iter(chunks), shared))


def test_on_disk_store(sample_chunks, tmp_path: Path) -> None:
    chunks, shared = sample_chunks
    assert_same(validate_whole(chunks, shared), validate_sparql(iter(chunks), shared, store_dir=tmp_path))
    assert list(tmp_path.iterdir()) == []  # the temporary store is gone


@pytest.mark.parametrize("on_disk", [False, True])
def test_two_processes_give_the_same_results(sample_chunks, tmp_path: Path, on_disk: bool) -> None:
    chunks, shared = sample_chunks
    got = validate_sparql(iter(chunks), shared, processes=2, store_dir=tmp_path if on_disk else None)
    assert_same(validate_whole(chunks, shared), got)


def test_corpus(corpus_chunks) -> None:
    chunks, shared = corpus_chunks
    reference = validate_whole(chunks, shared)
    assert len(reference.violations) > 0
    assert_same(reference, validate_sparql(iter(chunks), shared))
    assert_same(reference, validate_sparql(iter(chunks), shared, processes=3))


def test_corpus_chunks_cut_at_random(corpus_chunks) -> None:
    # However the union is cut into chunks, the store holds the same graph.
    from test_validate_partitioned import chunks_at_random

    chunks, shared = corpus_chunks
    everything = Graph()
    for _, text in chunks:
        everything.parse(data=text, format="nt")
    everything.parse(data=shared, format="nt")
    mine, rest = chunks_at_random(everything, seed=7, n=9)
    assert_same(validate(everything), validate_sparql(iter(mine), rest))


# --------------------------------------------------------------------- kg build --shacl sparql / pyshacl


def _built_validation(inputs: list[Path], out: Path, engine: str) -> tuple[bytes, bytes]:
    from kg.build import build

    build(inputs, out, jobs=2, shacl=engine, formats=["nt"])
    return (out / "validation.ttl").read_bytes(), (out / "validation.txt").read_bytes()


def _assert_builds_agree(inputs: list[Path], tmp_path: Path) -> None:
    sparql = _built_validation(inputs, tmp_path / "sparql", "sparql")
    reference = _built_validation(inputs, tmp_path / "pyshacl", "pyshacl")
    assert sparql[0] == reference[0]  # validation.ttl
    assert sparql[1] == reference[1]  # validation.txt
    assert b"sh:result" in reference[0]


def test_corpus_build_writes_the_same_validation_files(corpus: Path, tmp_path: Path) -> None:
    _assert_builds_agree([corpus / "docs", corpus / "unlabelled"], tmp_path)


def test_generated_build_writes_the_same_validation_files(tmp_path: Path) -> None:
    """1,000 generated publications (kg synth), in the build's chunks."""
    from kg.synth import generate

    generate(1000, tmp_path / "synth", seed=11, per_folder=250)
    _assert_builds_agree([tmp_path / "synth" / "docs"], tmp_path)


def test_build_on_disk_store_writes_the_same_validation_files(samples: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Above the size limit the build's store is on disk in its spool folder.
    import kg.build

    monkeypatch.setattr(kg.build, "IN_MEMORY_VALIDATION_BYTES", 0)
    _assert_builds_agree([samples], tmp_path)
    assert not any(p.name.startswith("shacl-store-") for p in (tmp_path / "sparql").rglob("*"))


def test_focus_first_when_a_predicate_is_used_widely(sample_chunks, monkeypatch: pytest.MonkeyPatch) -> None:
    # sh:pattern candidates found from the predicate are checked against the
    # focus nodes; past a limit they are asked for from the focus nodes.
    import kg.validate_sparql

    monkeypatch.setattr(kg.validate_sparql, "MEMBERS_LIMIT", 0)
    chunks, shared = sample_chunks
    assert_same(validate_whole(chunks, shared), validate_sparql(iter(chunks), shared))
    data, shapes = component_case()
    assert_sparql_equals_whole(data, shapes)
