"""The dumps of a build: every format parses back to the same graph, the
JSON-LD speaks its published context, the TriG has one named graph per
publication with the provenance of its real source file, the dataset
description counts right, and a second build is byte-identical."""
from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import PROV, RDF, XSD

import kg
from kg.build import build
from kg.dumps import DUMP_WRITERS, split_graphs
from kg.dumps.context import context_document
from kg.dumps.dataset import build_digest
from kg.iris import IriMinter
from kg.vocab import KV
from kg.write import write_build

VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
DCTERMS = Namespace("http://purl.org/dc/terms/")
PAV = Namespace("http://purl.org/pav/")
SCHEMA = Namespace("https://schema.org/")
IANA = "http://www.iana.org/assignments/media-types/"
IRIS = IriMinter()


@pytest.fixture(scope="module")
def sample_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("dumps")
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("SOURCE_DATE_EPOCH", raising=False)
        result = build(None, out, jobs=1, validate=False)
    return result, out


@pytest.fixture(scope="module")
def ntriples(sample_build) -> Graph:
    return Graph().parse(sample_build[1] / "kamervragen.nt", format="nt")


@pytest.fixture(scope="module")
def trig(sample_build) -> Dataset:
    ds = Dataset()
    ds.parse(sample_build[1] / "kamervragen.trig", format="trig")
    return ds


@pytest.fixture(scope="module")
def description(sample_build) -> Graph:
    return Graph().parse(sample_build[1] / "void.ttl", format="turtle")


def named_graphs(ds: Dataset) -> dict[str, Graph]:
    return {str(g.identifier): g for g in ds.graphs() if g.identifier != ds.default_graph.identifier and len(g)}


# ------------------------------------------------------------------ round trips


def test_every_dump_is_written_and_reported(sample_build):
    _, out = sample_build
    report = json.loads((out / "build-report.json").read_text(encoding="utf-8"))
    for name in DUMP_WRITERS:
        assert (out / name).is_file() and (out / name).stat().st_size > 0, name
        assert name in report["outputs"], name
    assert "kamervragen.ttl" in DUMP_WRITERS  # the default dump other tools read


def test_turtle_parses_back_to_the_ntriples_graph(sample_build, ntriples):
    g = Graph().parse(sample_build[1] / "kamervragen.ttl", format="turtle")
    assert len(g) == len(ntriples) > 1000
    assert isomorphic(g, ntriples)


def jsonld_union(path) -> Graph:
    """The union of the named graphs of a JSON-LD file, as rdflib reads it
    from its text alone (no location, so no document loader could help)."""
    ds = Dataset()
    ds.parse(data=path.read_text(encoding="utf-8"), format="json-ld")
    union = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


def test_jsonld_union_parses_back_to_the_ntriples_graph(sample_build, ntriples):
    g = jsonld_union(sample_build[1] / "kamervragen.jsonld")
    assert len(g) == len(ntriples) > 1000
    assert isomorphic(g, ntriples)


def test_trig_is_the_graph_plus_its_description(trig, ntriples, description):
    union = Graph()
    for s, p, o, _ in trig.quads((None, None, None, None)):
        union.add((s, p, o))
    assert isomorphic(union, ntriples + description)
    named = Graph()
    for g in named_graphs(trig).values():
        named += g
    assert isomorphic(named, ntriples)  # the default graph is the description, nothing of the data
    assert isomorphic(trig.default_graph, description)


# ------------------------------------------------------------------ JSON-LD


def _graph_objects(out) -> dict[str, list[dict]]:
    doc = json.loads((out / "kamervragen.jsonld").read_text(encoding="utf-8"))
    return {g["@id"]: g["@graph"] for g in doc["@graph"]}


def test_jsonld_embeds_its_context_and_speaks_it(sample_build):
    _, out = sample_build
    doc = json.loads((out / "kamervragen.jsonld").read_text(encoding="utf-8"))
    context = json.loads(context_document())["@context"]
    assert doc["@context"] == context  # embedded: the file stands alone (issue 10, item 18)
    assert (out / "context.jsonld").read_text(encoding="utf-8") == context_document()
    assert context["kv"] == str(KV)
    nodes = [node for graph in doc["@graph"] for node in graph["@graph"]]
    # Every property is a term of the context or a compact IRI: never a full IRI.
    for node in nodes:
        for key in node:
            assert key.startswith("@") or key in context or key.split(":", 1)[0] in context, key
            assert not key.startswith(str(KV)), key
    seed = next(n for n in nodes if n["@id"] == "https://zoek.officielebekendmakingen.nl/ah-tk-20182019-3878")
    assert seed["@type"] == "Document"
    assert seed["identificatie"] == "ah-tk-20182019-3878"
    assert seed["nummer"] == 3878  # a JSON number
    assert seed["ingezondenOp"] == "2019-07-29"  # a date, coerced by the context
    assert seed["kamer"] == "TweedeKamer"  # an enumeration member by its name
    assert len(seed["heeftVraag"]) == 14 and all(v.startswith("https://w3id.org/kamervragen/id/vraag/") for v in seed["heeftVraag"])
    vraag = next(n for n in nodes if n["@id"] == "https://w3id.org/kamervragen/id/vraag/ah-tk-20182019-3878-6")
    assert vraag["@type"] == "Vraag" and isinstance(vraag["tekst"], str) and vraag["tekst"].startswith("Herinnert u zich")
    # A party's labels are terms of the context (issue 10, item 16), Dutch strings.
    fractie = next(n for n in nodes if n.get("@type") == "Fractie")
    assert isinstance(fractie["prefLabel"], str) and "skos:prefLabel" not in fractie


def test_jsonld_has_one_graph_object_per_publication(sample_build, trig):
    """One object per named graph of the build (each publication's, then the
    shared one), in the TriG's graphs' order, each holding that graph's nodes."""
    result, out = sample_build
    objects = _graph_objects(out)
    assert list(objects) == sorted(objects) == sorted(named_graphs(trig))
    assert len(objects) == len(result.publications) + 1
    seed_graph = objects[str(IRIS.graph("ah-tk-20182019-3878"))]
    assert "https://zoek.officielebekendmakingen.nl/ah-tk-20182019-3878" in {n["@id"] for n in seed_graph}
    for iri, graph in named_graphs(trig).items():
        ds = Dataset()
        ds.parse(data=json.dumps({"@context": json.loads(context_document())["@context"], "@graph": objects[iri]}), format="json-ld")
        assert isomorphic(ds.default_graph, graph), iri


def test_jsonld_stands_alone_for_pyld(sample_build, ntriples):
    """pyld, with a document loader that refuses every request, reads the
    file to exactly the build's triples."""
    jsonld = pytest.importorskip("pyld.jsonld")

    def no_loader(url, options=None):
        raise AssertionError(f"pyld tried to load {url}")

    doc = json.loads((sample_build[1] / "kamervragen.jsonld").read_text(encoding="utf-8"))
    nquads = jsonld.to_rdf(doc, {"format": "application/n-quads", "documentLoader": no_loader})
    ds = Dataset()
    ds.parse(data=nquads, format="nquads")
    union = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        union.add((s, p, o))
    assert isomorphic(union, ntriples)


def _sorted_lists(value):
    if isinstance(value, list):
        return sorted((_sorted_lists(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    if isinstance(value, dict):
        return {k: _sorted_lists(v) for k, v in value.items()}
    return value


def test_jsonld_is_compacted_as_pyld_compacts(sample_build):
    """kg writes the compaction itself (kg/dumps/jsonld.py); pyld, the JSON-LD
    reference implementation in Python, compacting the same triples with the
    same context, gives the same nodes (up to the order of a property's values)."""
    jsonld = pytest.importorskip("pyld.jsonld")
    doc = json.loads((sample_build[1] / "kamervragen.jsonld").read_text(encoding="utf-8"))
    expanded = jsonld.from_rdf(jsonld.to_rdf(doc, {}), {"useNativeTypes": True})
    theirs = jsonld.compact(expanded, {"@context": doc["@context"]}, {})
    theirs = {g["@id"]: g["@graph"] if isinstance(g["@graph"], list) else [g["@graph"]] for g in theirs["@graph"]}
    ours = {g["@id"]: g["@graph"] for g in doc["@graph"]}
    assert set(ours) == set(theirs)
    for iri in ours:
        assert _sorted_lists(ours[iri]) == _sorted_lists(theirs[iri]), iri


def test_jsonld_writer_streams_graphs_given_once(sample_build, tmp_path):
    """The writer consumes ``graphs`` once, as an iterator (interfaces.md #5)."""
    from kg.dumps import prepare
    from kg.dumps.jsonld import write_jsonld

    result, out = sample_build
    dumps = prepare(result, IRIS)
    given = []

    def once():
        for graph in dumps.graphs:
            given.append(graph.iri)
            yield graph

    write_jsonld(dumps.with_graphs(once()), tmp_path / "kamervragen.jsonld")
    assert given == sorted(given) and len(given) == sum(1 for _ in dumps.graphs)
    assert (tmp_path / "kamervragen.jsonld").read_bytes() == (out / "kamervragen.jsonld").read_bytes()


def test_context_has_a_term_for_every_kv_term_of_the_ontology():
    from importlib import resources

    from rdflib import OWL

    ontology = Graph().parse(str(resources.files("kg.ontology").joinpath("kamervragen.ttl")), format="turtle")
    context = json.loads(context_document())["@context"]
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        for term in ontology.subjects(RDF.type, kind):
            if str(term).startswith(str(KV)):
                name = str(term)[len(str(KV)):]
                definition = context[name]
                assert (definition if isinstance(definition, str) else definition["@id"]) == f"kv:{name}"
    assert context["heeftVraag"] == {"@id": "kv:heeftVraag", "@type": "@id"}
    assert context["ingezondenOp"] == {"@id": "kv:ingezondenOp", "@type": "xsd:date"}
    assert context["tekst"] == {"@id": "kv:tekst", "@language": "nl"}
    assert context["kamer"] == {"@id": "kv:kamer", "@type": "@vocab"}
    assert context["nummer"] == "kv:nummer"  # integers stay JSON numbers
    assert context["prefLabel"] == {"@id": "skos:prefLabel", "@language": "nl"}
    assert context["altLabel"] == {"@id": "skos:altLabel", "@language": "nl"}


# ------------------------------------------------------------------ TriG and provenance


def test_trig_has_one_named_graph_per_publication_and_a_shared_one(sample_build, trig):
    result, _ = sample_build
    graphs = named_graphs(trig)
    expected = {str(IRIS.graph(p.identifier)) for p in result.publications}
    assert len(expected) == len(result.publications) == 8
    assert set(graphs) == expected | {str(IRIS.shared_graph())}
    # each triple in one graph only: the union of the graphs keeps no duplicates
    seen: set = set()
    for g in graphs.values():
        triples = set(g)
        assert not (triples & seen)
        seen |= triples


def test_each_graph_names_its_real_source_file(sample_build, trig, description):
    result, _ = sample_build
    graphs = named_graphs(trig)
    for pub in result.publications:
        g = URIRef(str(IRIS.graph(pub.identifier)))
        assert description.value(g, FOAF.primaryTopic) == IRIS.publication(pub.identifier)
        source = description.value(g, PROV.wasDerivedFrom)
        assert str(description.value(source, SPDX.fileName)) == pub.source_path.name
        checksum = description.value(source, SPDX.checksum)
        real = hashlib.sha256(pub.source_path.read_bytes()).hexdigest()
        assert description.value(checksum, SPDX.checksumValue) == Literal(real, datatype=XSD.hexBinary)
        assert description.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        assert str(description.value(source, DCTERMS["format"])).startswith(IANA)
        assert int(description.value(g, VOID.triples)) == len(graphs[str(g)])
        # the publication's own facts are in its graph
        assert (IRIS.publication(pub.identifier), KV.identificatie, Literal(pub.identifier)) in graphs[str(g)]
        # the graph is a subset of the dataset, which the build generated
        assert (IRIS.dataset(), VOID.subset, g) in description
    activity = description.value(IRIS.dataset(), PROV.wasGeneratedBy)
    assert (activity, RDF.type, PROV.Activity) in description
    agent = description.value(activity, PROV.wasAssociatedWith)
    assert str(description.value(agent, SCHEMA.softwareVersion)) == kg.__version__
    pdf = next(p for p in result.publications if p.source_path.suffix == ".pdf")
    source = description.value(URIRef(str(IRIS.graph(pdf.identifier))), PROV.wasDerivedFrom)
    assert description.value(source, DCTERMS["format"]) == URIRef(IANA + "application/pdf")


def test_dataset_description_counts_and_licence(sample_build, ntriples, description):
    result, _ = sample_build
    dataset = IRIS.dataset()
    assert (dataset, RDF.type, VOID.Dataset) in description and (dataset, RDF.type, DCAT.Dataset) in description
    assert int(description.value(dataset, VOID.triples)) == len(ntriples)
    assert int(description.value(dataset, VOID.entities)) == len({s for s in ntriples.subjects() if isinstance(s, URIRef)})
    publications = [g for g in description.objects(dataset, VOID.subset) if description.value(g, FOAF.primaryTopic)]
    assert len(publications) == len(result.publications)
    assert description.value(dataset, DCTERMS.license) == URIRef("http://creativecommons.org/publicdomain/zero/1.0/")
    assert URIRef(str(KV)) in set(description.objects(dataset, VOID.vocabulary))
    documents = next(p for p in description.objects(dataset, VOID.classPartition) if description.value(p, VOID["class"]) == KV.Document)
    assert int(description.value(documents, VOID.entities)) == len(set(ntriples.subjects(RDF.type, KV.Document)))
    media = {str(description.value(d, DCTERMS.title)): str(description.value(d, DCAT.mediaType)) for d in description.objects(dataset, DCAT.distribution)}
    assert media == {
        "kamervragen.ttl": IANA + "text/turtle",
        "kamervragen.nt": IANA + "application/n-triples",
        "kamervragen.jsonld": IANA + "application/ld+json",
        "kamervragen.trig": IANA + "application/trig",
    }
    software = description.value(dataset, PAV.createdWith)
    assert str(description.value(software, SCHEMA.softwareVersion)) == kg.__version__
    # the description names the graph it is stored under (kg push)
    assert description.value(IRIS.description_graph(), FOAF.primaryTopic) == dataset
    # no clock time unless asked for
    assert not any(o.datatype == XSD.dateTime for o in description.objects() if isinstance(o, Literal))


def test_source_date_epoch_dates_the_build(sample_build, tmp_path, monkeypatch):
    result, _ = sample_build
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    write_build(result, tmp_path / "a")
    write_build(result, tmp_path / "b")
    description = Graph().parse(tmp_path / "a" / "void.ttl", format="turtle")
    when = Literal("2023-11-14T22:13:20Z", datatype=XSD.dateTime)
    activity = description.value(IRIS.dataset(), PROV.wasGeneratedBy)
    assert description.value(activity, PROV.endedAtTime) == when
    assert description.value(IRIS.dataset(), DCTERMS.modified) == when
    assert (tmp_path / "a" / "kamervragen.trig").read_bytes() == (tmp_path / "b" / "kamervragen.trig").read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    from kg.errors import UsageError

    with pytest.raises(UsageError, match="SOURCE_DATE_EPOCH"):
        write_build(result, tmp_path / "c")
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    write_build(result, tmp_path / "d", timestamp=dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc))
    assert "2024-01-02T03:04:05Z" in (tmp_path / "d" / "void.ttl").read_text(encoding="utf-8")


def test_one_changed_source_changes_only_its_own_lines_of_the_description(sample_build):
    """An incremental build rewrites the description in the dumps and the
    store: one changed input must not touch every graph's lines in it."""
    import dataclasses

    from kg.dumps.dataset import describe, graph_counts, turtle_lines

    result, out = sample_build
    counts = graph_counts(Graph().parse(out / "kamervragen.nt", format="nt").serialize(format="nt").splitlines())
    pubs = sorted(result.publications, key=lambda p: p.identifier)
    graphs = [(str(IRIS.graph(p.identifier)), p.identifier, p.triples) for p in pubs]
    changed = dataclasses.replace(pubs[0], source_sha256="0" * 64)

    def lines(publications):
        return set(turtle_lines(describe(counts, graphs, publications, IRIS, input_files=len(pubs), distributions=["kamervragen.nt"])))

    before, after = lines(pubs), lines([changed, *pubs[1:]])
    differ = before ^ after
    subjects = {ln.split(" ", 1)[0] for ln in differ}
    old, new = pubs[0].source_sha256, changed.source_sha256
    own = {f"<{IRIS.source_file(h)}>" for h in (old, new)} | {f"<{IRIS.checksum(h)}>" for h in (old, new)}
    build = {f"<{IRIS.build_activity(d)}>" for d in (build_digest(pubs), build_digest([changed, *pubs[1:]]))}
    # the build's own lines, the dataset's link to it, the changed graph's
    # source: no line about any other graph or source
    assert differ and subjects <= own | build | {f"<{IRIS.dataset()}>", f"<{IRIS.graph(pubs[0].identifier)}>"}


def test_split_graphs_puts_what_several_publications_state_in_the_shared_graph():
    a = "<http://x/a> <http://x/p> \"a\" .\n<http://x/lid> <http://x/naam> \"Lid\" .\n"
    b = "<http://x/b> <http://x/p> \"b\" .\n<http://x/lid> <http://x/naam> \"Lid\" .\n"
    link = "<http://x/lid> <http://x/same> <http://x/other> .\n"
    graphs = {g.iri: g.lines for g in split_graphs([("pa", a), ("pb", b)], link, IRIS)}
    assert graphs == {
        str(IRIS.graph("pa")): ['<http://x/a> <http://x/p> "a" .'],
        str(IRIS.graph("pb")): ['<http://x/b> <http://x/p> "b" .'],
        str(IRIS.shared_graph()): ['<http://x/lid> <http://x/naam> "Lid" .', "<http://x/lid> <http://x/same> <http://x/other> ."],
    }


# ------------------------------------------------------------------ determinism


def test_second_build_is_byte_identical_for_every_dump(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    a, b = tmp_path / "a", tmp_path / "b"
    build(None, a, jobs=1, validate=False)
    build(None, b, jobs=2, validate=False)
    for name in DUMP_WRITERS:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_corpus_build_has_a_graph_per_publication_with_its_files_hash(corpus, tmp_path):
    result = build([corpus / "docs", corpus / "unlabelled"], tmp_path, validate=False)
    assert len(result.publications) >= 50
    ds = Dataset()
    ds.parse(tmp_path / "kamervragen.trig", format="trig")
    graphs = named_graphs(ds)
    assert len(graphs) == len(result.publications) + 1  # and the shared graph
    description = ds.default_graph
    for pub in result.publications:
        source = description.value(URIRef(str(IRIS.graph(pub.identifier))), PROV.wasDerivedFrom)
        checksum = description.value(source, SPDX.checksum)
        assert str(description.value(checksum, SPDX.checksumValue)) == hashlib.sha256(pub.source_path.read_bytes()).hexdigest()
    assert isomorphic(jsonld_union(tmp_path / "kamervragen.jsonld"), Graph().parse(tmp_path / "kamervragen.nt", format="nt"))


TRICKY = """<https://zoek.officielebekendmakingen.nl/ah-tk-1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/kamervragen/def#Document> .
<https://zoek.officielebekendmakingen.nl/ah-tk-1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://schema.org/CreativeWork> .
<https://zoek.officielebekendmakingen.nl/ah-tk-1> <https://w3id.org/kamervragen/def#nummer> "007"^^<http://www.w3.org/2001/XMLSchema#integer> .
<https://zoek.officielebekendmakingen.nl/ah-tk-1> <https://w3id.org/kamervragen/def#nummer> "12"^^<http://www.w3.org/2001/XMLSchema#integer> .
<https://zoek.officielebekendmakingen.nl/ah-tk-1> <https://w3id.org/kamervragen/def#ingezondenOp> "2019-07-29"^^<http://www.w3.org/2001/XMLSchema#date> .
<https://zoek.officielebekendmakingen.nl/ah-tk-1> <https://w3id.org/kamervragen/def#ingezondenOp> "2019"^^<http://www.w3.org/2001/XMLSchema#gYear> .
<https://zoek.officielebekendmakingen.nl/ah-tk-1> <https://w3id.org/kamervragen/def#onderwerp> "plain" .
<https://zoek.officielebekendmakingen.nl/ah-tk-1> <https://w3id.org/kamervragen/def#onderwerp> "in het Nederlands"@nl .
<https://zoek.officielebekendmakingen.nl/ah-tk-1> <https://w3id.org/kamervragen/def#kamer> <https://w3id.org/kamervragen/def#TweedeKamer> .
<https://zoek.officielebekendmakingen.nl/ah-tk-1> <https://w3id.org/kamervragen/def#kamer> <https://example.org/other-chamber> .
<https://zoek.officielebekendmakingen.nl/ah-tk-1> <https://w3id.org/kamervragen/def#heeftVraag> _:b1 .
<https://zoek.officielebekendmakingen.nl/ah-tk-1> <https://w3id.org/kamervragen/def#heeftVraag> "not an IRI" .
<https://zoek.officielebekendmakingen.nl/ah-tk-1> <http://www.w3.org/2000/01/rdf-schema#label> "label"@en .
<https://zoek.officielebekendmakingen.nl/ah-tk-1> <http://www.w3.org/2004/02/skos/core#prefLabel> "Engels"@en .
<https://zoek.officielebekendmakingen.nl/ah-tk-1> <http://www.w3.org/2004/02/skos/core#prefLabel> "Nederlands"@nl .
<https://zoek.officielebekendmakingen.nl/ah-tk-1> <https://w3id.org/kamervragen/def#termijnOverschreden> "true"^^<http://www.w3.org/2001/XMLSchema#boolean> .
<https://zoek.officielebekendmakingen.nl/ah-tk-1> <https://w3id.org/kamervragen/def#termijnOverschreden> "1"^^<http://www.w3.org/2001/XMLSchema#boolean> .
<https://zoek.officielebekendmakingen.nl/ah-tk-1> <http://example.org/unknown> <https://w3id.org/kamervragen/def#Vraag> .
<https://zoek.officielebekendmakingen.nl/ah-tk-1> <http://example.org/unknown> "x\\"yé\\n" .
_:b1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/kamervragen/def#Vraag> .
_:b1 <https://w3id.org/kamervragen/def#tekst> "Vraag?"@nl .
_:b1 <https://w3id.org/kamervragen/def#tekst> "Question?"@en-gb .
"""


def test_compaction_of_awkward_values_is_pyld_s(tmp_path):
    """Values no build makes today but a term's coercion must not swallow:
    a non-canonical integer, a value of another datatype or language than
    the term's, an IRI under a @vocab term that is no term, a literal under
    an @id term, blank nodes, escapes. kg's compaction equals pyld's, but
    for one deliberate difference: a non-canonical integer or boolean ("007",
    "1") stays a typed value, where fromRdf's native types would make it 7 and
    true, another literal. kg's document reads back to exactly the triples."""
    jsonld = pytest.importorskip("pyld.jsonld")
    from kg.dumps import NamedGraph
    from kg.dumps.jsonld import Compactor, write_jsonld

    context = json.loads(context_document())["@context"]
    lines = sorted(ln for ln in TRICKY.splitlines() if ln)
    ours = Compactor(context).nodes(lines)
    expanded = jsonld.from_rdf(TRICKY, {"format": "application/n-quads", "useNativeTypes": True})
    theirs = jsonld.compact(expanded, {"@context": context}, {})
    theirs = theirs.get("@graph", [theirs])
    for node in theirs:
        node.pop("@context", None)
    (doc,) = [n for n in ours if n["@id"].endswith("ah-tk-1")]
    assert sorted(doc["nummer"], key=str) == [12, {"@value": "007", "@type": "xsd:integer"}]
    assert sorted(doc["termijnOverschreden"], key=str) == [True, {"@value": "1", "@type": "xsd:boolean"}]
    (their_doc,) = [n for n in theirs if n["@id"].endswith("ah-tk-1")]
    assert sorted(their_doc.pop("nummer")) == [7, 12] and their_doc.pop("termijnOverschreden") == [True, True]
    doc = {k: v for k, v in doc.items() if k not in ("nummer", "termijnOverschreden")}
    assert _sorted_lists([doc, *(n for n in ours if n is not doc and not n["@id"].endswith("ah-tk-1"))]) == _sorted_lists(theirs)

    class Dumps:
        graphs = iter([NamedGraph("https://example.org/graph/g", lines)])

    Dumps.context = context
    write_jsonld(Dumps, tmp_path / "t.jsonld")
    assert isomorphic(jsonld_union(tmp_path / "t.jsonld"), Graph().parse(data=TRICKY, format="nt"))


def test_compaction_from_split_lines_equals_compaction_from_parsed_triples(sample_build):
    """The JSON-LD writer splits kg's N-Triples lines as strings; every graph
    of a build, and values with escapes, languages and datatypes of every
    kind, give the same nodes as from pyoxigraph's parse of the lines."""
    from kg.dumps import prepare
    from kg.dumps.jsonld import Compactor

    context = json.loads(context_document())["@context"]
    compactor = Compactor(context)
    result, _ = sample_build
    graphs = list(prepare(result, IRIS).graphs)
    assert sum(len(g.lines) for g in graphs) > 1000
    awkward = sorted(ln for ln in TRICKY.splitlines() if ln) + [
        '<https://example.org/s> <https://w3id.org/kamervragen/def#onderwerp> "tab\\there \\\\ slash \\"quoted\\" \\r"@NL-be .',
        '<https://example.org/s> <https://w3id.org/kamervragen/def#nummer> "-5"^^<http://www.w3.org/2001/XMLSchema#integer> .',
    ]
    for lines in [g.lines for g in graphs] + [sorted(awkward)]:
        assert compactor.nodes(lines) == compactor.parsed_nodes(lines)
    escaped = ['<https://example.org/s> <https://w3id.org/kamervragen/def#onderwerp> "caf\\u00E9 \\U0001F600 it\\\'s" .']
    (node,) = compactor.nodes(escaped)
    assert node["onderwerp"] == "café \U0001F600 it's"


def _fragment_counts(out) -> dict[str, tuple[int, int]]:
    """(graphs serialised, graphs copied) per dump, from the build cache's fragment index."""
    folder = out / ".cache" / "fragments"
    return {p.name.split(".fragments")[0]: (json.loads(p.read_text())["made"], json.loads(p.read_text())["reused"])
            for p in folder.glob("*.fragments.json")}


def test_a_rebuild_serialises_only_changed_graphs_and_gives_the_build_from_scratch(samples, tmp_path, monkeypatch):
    """One changed publication: its graph (and the shared graph, where it
    changes) is serialised again, every other graph's Turtle and JSON-LD and
    every unchanged chain page are copied from the previous build; the dumps
    equal a build from scratch. A previous dump changed by hand is not
    copied from."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    inputs = tmp_path / "in"
    inputs.mkdir()
    for path in sorted(samples.iterdir()):
        if path.is_file():
            (inputs / path.name).write_bytes(path.read_bytes())
    out = tmp_path / "out"
    first = build([inputs], out, jobs=2, validate=False)
    graphs = len(first.publications)
    assert graphs >= 5
    assert all(made >= graphs and reused == 0 for made, reused in _fragment_counts(out).values())
    assert (out / ".cache" / "fragments" / "chains.pages.json").is_file()

    seed = inputs / "ah-tk-20182019-3878.txt"
    seed.write_text(seed.read_text(encoding="utf-8").replace("Herinnert u zich", "Kent u"), encoding="utf-8")
    build([inputs], out, jobs=2, validate=False)
    # A question's wording is nothing chains read: the chain files are copied.
    assert json.loads((out / ".cache" / "fragments" / "chains.outputs.json").read_text())["copied"] is True
    counts = _fragment_counts(out)
    assert set(counts) == {"kamervragen.ttl", "kamervragen.trig", "kamervragen.jsonld"}
    for name, (made, reused) in counts.items():
        assert 1 <= made <= 2 and reused >= graphs - 2, name  # the seed's graph, perhaps the shared one
    fresh = tmp_path / "fresh"
    build([inputs], fresh, jobs=1, validate=False, cache=tmp_path / "fresh-cache")
    names = ["kamervragen.ttl", "kamervragen.trig", "kamervragen.jsonld", "kamervragen.nt", "void.ttl", "chains.html"]
    names += [f"chains/{p.name}" for p in (fresh / "chains").iterdir()]
    for name in names:
        assert (out / name).read_bytes() == (fresh / name).read_bytes(), name

    # Edited by hand: not the files indexed, nothing taken from them (the
    # Turtle and the TriG share their graphs' Turtle: both are edited).
    for name in ("kamervragen.ttl", "kamervragen.trig"):
        (out / name).write_bytes((out / name).read_bytes().replace(b"Kent u", b"KENT U"))
    seed.write_text(seed.read_text(encoding="utf-8").replace("Kent u", "Weet u"), encoding="utf-8")
    build([inputs], out, jobs=1, validate=False)
    counts = _fragment_counts(out)
    assert counts["kamervragen.ttl"][1] == counts["kamervragen.trig"][1] == 0
    assert counts["kamervragen.jsonld"][1] >= graphs - 2  # the JSON-LD was not touched
    build([inputs], fresh, jobs=1, validate=False, cache=tmp_path / "fresh-cache")
    for name in ("kamervragen.ttl", "kamervragen.trig", "kamervragen.jsonld"):
        assert (out / name).read_bytes() == (fresh / name).read_bytes(), name

    # A new publication changes the chains: found and written again, as from scratch.
    extra = inputs / "ah-tk-20182019-3877.txt"
    extra.write_text(seed.read_text(encoding="utf-8").replace("3878", "3877"), encoding="utf-8")
    build([inputs], out, jobs=2, validate=False)
    assert json.loads((out / ".cache" / "fragments" / "chains.outputs.json").read_text())["copied"] is False
    build([inputs], fresh, jobs=1, validate=False, cache=tmp_path / "fresh-cache")
    names = ["chains.html", "chains.graphml", "chains.dot"] + [f"chains/{p.name}" for p in (fresh / "chains").iterdir()]
    assert sorted(p.name for p in (out / "chains").iterdir()) == sorted(p.name for p in (fresh / "chains").iterdir())
    for name in names:
        assert (out / name).read_bytes() == (fresh / name).read_bytes(), name
