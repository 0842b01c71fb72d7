"""The ontology is OWL 2 DL, and the data uses it as OWL 2 DL.

Two checks. The real one: the OWL API's OWL 2 DL profile check and HermiT,
from the HermiT.jar that owlready2 ships (it bundles the OWL API 3.4), driven
by tests/owl/DlCheck.java (compiled here with javac; skipped without a JDK
or owlready2). And the rules written down in Python, from the OWL 2
Structural Specification (§5.8 typing, §5.9 declaration consistency) and the
RDF mapping (§3), so that the check also runs where no JDK is: every IRI used
as a class, property or datatype is declared as exactly that kind. Both run
over the shipped ontology file and over the data of a real build read
together with it.
"""
from __future__ import annotations

from collections import defaultdict
from importlib import resources
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

ONTOLOGY = Path(str(resources.files("kg.ontology").joinpath("kamervragen.ttl")))

# The OWL 2 datatype map (Structural Specification §4): the datatypes a DL
# reasoner must support, usable without a declaration.
DATATYPE_MAP = {RDFS.Literal, RDF.PlainLiteral, RDF.XMLLiteral, OWL.real, OWL.rational} | {
    XSD[n]
    for n in (
        "decimal integer nonNegativeInteger nonPositiveInteger positiveInteger negativeInteger long int short byte "
        "unsignedLong unsignedInt unsignedShort unsignedByte double float string normalizedString token language "
        "Name NCName NMTOKEN boolean hexBinary base64Binary anyURI dateTime dateTimeStamp"
    ).split()
}
# Built-in entities (§5.8.1 / §5.5): declared by OWL itself.
BUILTIN_CLASSES = {OWL.Thing, OWL.Nothing}
BUILTIN_OBJECT = {OWL.topObjectProperty, OWL.bottomObjectProperty}
BUILTIN_DATA = {OWL.topDataProperty, OWL.bottomDataProperty}
BUILTIN_ANNOTATION = {
    RDFS.label, RDFS.comment, RDFS.seeAlso, RDFS.isDefinedBy, OWL.deprecated, OWL.versionInfo,
    OWL.priorVersion, OWL.backwardCompatibleWith, OWL.incompatibleWith,
}
RESERVED = (str(RDF), str(RDFS), str(OWL), str(XSD))
# Predicates of the RDF mapping's own structure (§3.2): they build axioms and
# class expressions; the rules below check their subjects and objects.
STRUCTURAL = {
    RDF.type, RDF.first, RDF.rest, RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range,
    OWL.unionOf, OWL.intersectionOf, OWL.equivalentClass, OWL.disjointWith, OWL.inverseOf, OWL.versionIRI,
    OWL.imports, OWL.onProperty, OWL.someValuesFrom, OWL.allValuesFrom, OWL.hasValue, OWL.oneOf,
    OWL.cardinality, OWL.maxCardinality, OWL.minCardinality, OWL.qualifiedCardinality,
    OWL.maxQualifiedCardinality, OWL.minQualifiedCardinality, OWL.onClass, OWL.onDataRange, OWL.sameAs,
    OWL.differentFrom, OWL.equivalentProperty, OWL.propertyDisjointWith, OWL.members,
}
# Data literals of xsd:date (a public contract of the vocabulary) are outside
# OWL 2's datatype map. The OWL API's DL profile check accepts them in
# assertions; HermiT does not reason over them, which is why no range in the
# ontology names xsd:date (schema:rangeIncludes does).
DATA_DATATYPES = {XSD.date}
# rdf:type objects that declare, or state a characteristic of, an entity.
DECLARING = {
    OWL.Class: "class", RDFS.Datatype: "datatype", OWL.ObjectProperty: "object property",
    OWL.DatatypeProperty: "data property", OWL.AnnotationProperty: "annotation property",
    OWL.NamedIndividual: "individual",
}
CHARACTERISTICS = {
    OWL.FunctionalProperty: {"object property", "data property"},
    OWL.InverseFunctionalProperty: {"object property"}, OWL.TransitiveProperty: {"object property"},
    OWL.SymmetricProperty: {"object property"}, OWL.AsymmetricProperty: {"object property"},
    OWL.ReflexiveProperty: {"object property"}, OWL.IrreflexiveProperty: {"object property"},
}
STRUCTURE_TYPES = {OWL.Ontology, OWL.Restriction, OWL.AllDisjointClasses, RDF.List}


def declarations(ontology: Graph) -> dict[URIRef, set[str]]:
    kinds: dict[URIRef, set[str]] = defaultdict(set)
    for s, o in ontology.subject_objects(RDF.type):
        if isinstance(s, URIRef) and o in DECLARING:
            kinds[s].add(DECLARING[o])
    for c in BUILTIN_CLASSES:
        kinds[c].add("class")
    for d in DATATYPE_MAP:
        kinds[d].add("datatype")
    for p in BUILTIN_OBJECT:
        kinds[p].add("object property")
    for p in BUILTIN_DATA:
        kinds[p].add("data property")
    for p in BUILTIN_ANNOTATION:
        kinds[p].add("annotation property")
    return kinds


def _is(kinds, term, kind: str) -> bool:
    return isinstance(term, BNode) or kind in kinds.get(term, ())


def ontology_violations(ontology: Graph) -> list[str]:
    """The OWL 2 DL typing rules over an ontology graph."""
    kinds = declarations(ontology)
    found: list[str] = []

    # §5.9: an IRI is at most one kind of property, and not both class and datatype.
    for iri, ks in kinds.items():
        properties = ks & {"object property", "data property", "annotation property"}
        if len(properties) > 1:
            found.append(f"{iri} is declared as {' and '.join(sorted(properties))}")
        if {"class", "datatype"} <= ks:
            found.append(f"{iri} is declared both class and datatype")
        if str(iri).startswith(RESERVED) and iri not in BUILTIN_CLASSES | BUILTIN_OBJECT | BUILTIN_DATA | BUILTIN_ANNOTATION | DATATYPE_MAP:
            found.append(f"{iri}: reserved vocabulary declared as {', '.join(sorted(ks))}")

    def need(term, kind: str, why: str) -> None:
        if isinstance(term, Literal):
            found.append(f"{term!r} used as a {kind} ({why})")
        elif not _is(kinds, term, kind):
            found.append(f"{term} is not declared as a {kind} ({why})")

    def property_kind(p) -> str | None:
        ks = kinds.get(p, set()) & {"object property", "data property", "annotation property"}
        return next(iter(ks)) if len(ks) == 1 else None

    for s, p, o in ontology:
        if p == RDF.type:
            if o in DECLARING or o in STRUCTURE_TYPES:
                continue
            if o in CHARACTERISTICS:
                if not any(_is(kinds, s, k) for k in CHARACTERISTICS[o]):
                    found.append(f"{s} is {o} but not declared as a {' or '.join(sorted(CHARACTERISTICS[o]))}")
                continue
            need(o, "class", f"the type of {s}")
            continue
        if p in (RDFS.subClassOf, OWL.equivalentClass, OWL.disjointWith):
            need(s, "class", f"subject of {p}")
            need(o, "class", f"object of {p}")
        elif p in (RDFS.subPropertyOf, OWL.equivalentProperty):
            kind = property_kind(s)
            if kind is None:
                found.append(f"{s} is not declared as one kind of property (subject of {p})")
            else:
                need(o, kind, f"super-property of {s}")
        elif p == RDFS.domain:
            kind = property_kind(s)
            if kind is None:
                found.append(f"{s} is not declared as one kind of property (it has a domain)")
            elif kind != "annotation property":
                need(o, "class", f"domain of {s}")
        elif p == RDFS.range:
            kind = property_kind(s)
            if kind is None:
                found.append(f"{s} is not declared as one kind of property (it has a range)")
            elif kind == "object property":
                need(o, "class", f"range of the object property {s}")
            elif kind == "data property":
                need(o, "datatype", f"range of the data property {s}")
        elif p in (OWL.unionOf, OWL.intersectionOf):
            for member in ontology.items(o):
                need(member, "class", f"member of {p} of {s}")
        elif p in STRUCTURAL:
            continue
        else:
            # Any other triple is a property assertion (its predicate an object
            # or data property, with an object of that kind) or an annotation
            # (its predicate an annotation property).
            kind = property_kind(p)
            if kind == "object property" and isinstance(o, Literal):
                found.append(f"the object property {p} has a literal value on {s}")
            elif kind == "data property" and not isinstance(o, Literal):
                found.append(f"the data property {p} has a non-literal value on {s}")
            elif kind is None:
                found.append(f"{p} is used in an annotation but not declared as an annotation property")
    return sorted(set(found))


def data_violations(data: Graph, ontology: Graph) -> list[str]:
    """The same rules over assertions: each predicate is a declared property
    of the kind its object calls for, each type a declared class, and no
    literal is of a datatype outside the datatype map and the declared ones
    (xsd:date aside, see DATA_DATATYPES)."""
    kinds = declarations(ontology)
    found: set[str] = set()
    for s, p, o in data:
        if p in (OWL.sameAs, OWL.differentFrom):
            # Axioms between individuals (SameIndividual), built into OWL 2:
            # both sides must be IRIs, nothing to declare.
            if isinstance(o, Literal) or isinstance(s, Literal):
                found.add(f"{p} joins a literal")
            continue
        if p == RDF.type:
            if not _is(kinds, o, "class"):
                found.add(f"{o} is used as a type but not declared as a class")
            continue
        if isinstance(o, Literal):
            if not (_is(kinds, p, "data property") or _is(kinds, p, "annotation property")):
                found.add(f"{p} has literal values but is declared {sorted(kinds.get(p, [])) or 'not at all'}")
            datatype = o.datatype or (RDF.PlainLiteral if o.language or o.datatype is None else None)
            if o.language is None and o.datatype is None:
                datatype = XSD.string
            if not _is(kinds, datatype, "datatype") and datatype not in DATA_DATATYPES:
                found.add(f"a value of {p} has the datatype {datatype}, which is neither in the OWL 2 datatype map nor declared")
        else:
            if not (_is(kinds, p, "object property") or _is(kinds, p, "annotation property")):
                found.add(f"{p} has IRI values but is declared {sorted(kinds.get(p, [])) or 'not at all'}")
        # (A property or class standing as an individual is punning, which OWL 2 DL allows.)
    return sorted(found)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


def test_the_ontology_is_owl2_dl(ontology):
    assert ontology_violations(ontology) == []


def test_the_terms_the_owl_api_reported_are_declared(ontology):
    """The findings of the OWL API's DL profile check (issue 10, item 16),
    each checked by name, so that the rule above cannot miss them by a gap."""
    ORG, SKOS = "http://www.w3.org/ns/org#", "http://www.w3.org/2004/02/skos/core#"
    KV = "https://w3id.org/kamervragen/def#"
    expected = {
        ORG + "Membership": OWL.Class, ORG + "role": OWL.ObjectProperty, ORG + "postIn": OWL.ObjectProperty,
        ORG + "organization": OWL.ObjectProperty, SKOS + "inScheme": OWL.ObjectProperty,
        SKOS + "ConceptScheme": OWL.Class, SKOS + "prefLabel": OWL.AnnotationProperty,
        SKOS + "altLabel": OWL.AnnotationProperty, KV + "Verwijzingssoorten": OWL.NamedIndividual,
        KV + "Registerstatussen": OWL.NamedIndividual, KV + "Correctiesoorten": OWL.NamedIndividual,
    }
    for iri, kind in expected.items():
        assert (URIRef(iri), RDF.type, kind) in ontology, iri
    # No range is rdf:langString, which OWL 2 reads as an undeclared class
    # (it is not in the OWL 2 datatype map; rdf:PlainLiteral is).
    assert not list(ontology.subjects(RDFS.range, RDF.langString))


def test_the_rules_find_what_the_owl_api_found():
    """The rules on the shapes of fault the OWL API reported: an undeclared
    class and property, a language-string range, an undeclared annotation
    property, and a property declared as two kinds."""
    bad = Graph().parse(
        data="""
        @prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> . @prefix ex: <http://example.org/> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        ex:A a owl:Class ; rdfs:subClassOf ex:Undeclared .
        ex:p a owl:DatatypeProperty ; rdfs:range rdf:langString .
        ex:q a owl:ObjectProperty , owl:DatatypeProperty .
        ex:i a skos:ConceptScheme ; skos:prefLabel "i" .
        """,
        format="turtle",
    )
    found = "\n".join(ontology_violations(bad))
    assert "http://example.org/Undeclared is not declared as a class" in found
    assert f"{RDF.langString} is not declared as a datatype" in found
    assert "http://example.org/q is declared as data property and object property" in found
    assert "http://www.w3.org/2004/02/skos/core#ConceptScheme is not declared as a class" in found
    assert "http://www.w3.org/2004/02/skos/core#prefLabel is used in an annotation" in found


@pytest.fixture(scope="module")
def corpus_nt(request, tmp_path_factory) -> Path:
    """The N-Triples of a real build: the corpus, or the samples where the corpus is absent."""
    from kg.build import build

    try:
        corpus = request.getfixturevalue("corpus")
        inputs = [corpus / "docs", corpus / "unlabelled"]
    except pytest.skip.Exception:
        inputs = None
    out = tmp_path_factory.mktemp("owl-dl")
    build(inputs, out, jobs=1, validate=False)
    return out / "kamervragen.nt"


@pytest.fixture(scope="module")
def corpus_data(corpus_nt) -> Graph:
    return Graph().parse(corpus_nt, format="nt")


def test_the_data_uses_the_ontology_as_owl2_dl(corpus_data, ontology):
    assert data_violations(corpus_data, ontology) == []
    # and the rule sees what it must: an undeclared predicate in the data is found
    probe = Graph()
    probe.add((URIRef("http://example.org/x"), URIRef("http://example.org/undeclared"), Literal("x")))
    assert data_violations(probe, ontology)


def test_the_union_of_ontology_and_data_is_owl2_dl(corpus_data, ontology):
    """Read together, as a reasoner loads them, the data adds no typing fault:
    no individual is made a property, no property gets a second kind."""
    union = Graph()
    union += ontology
    union += corpus_data
    assert ontology_violations(union) == []


# ------------------------------------------------------------------ the OWL API and HermiT


@pytest.fixture(scope="module")
def owl_api(tmp_path_factory):
    """A command that runs DlCheck over documents: (violations, HermiT's verdict)."""
    import shutil
    import subprocess

    owlready2 = pytest.importorskip("owlready2", reason="owlready2 ships the HermiT.jar (with the OWL API) the check runs")
    java, javac = shutil.which("java"), shutil.which("javac")
    if not (java and javac):
        pytest.skip("no JDK (java and javac) to run the OWL API")
    jar = Path(owlready2.__file__).parent / "hermit" / "HermiT.jar"
    if not jar.is_file():
        pytest.skip(f"owlready2 has no {jar}")
    classes = tmp_path_factory.mktemp("dlcheck")
    source = Path(__file__).parent / "owl" / "DlCheck.java"
    subprocess.run([javac, "-d", str(classes), "-cp", str(jar), str(source)], check=True, capture_output=True, timeout=120)

    def check(*documents: Path) -> tuple[list[str], str]:
        done = subprocess.run(
            [java, "-cp", f"{jar}:{classes}", "DlCheck", *map(str, documents)],
            capture_output=True, text=True, timeout=300,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        lines = done.stdout.splitlines()
        violations = sorted(line[len("VIOLATION "):] for line in lines if line.startswith("VIOLATION "))
        verdict = next(line for line in lines if line.startswith(("CONSISTENT", "HERMIT-ERROR")))
        return violations, verdict

    return check


def test_the_owl_api_finds_the_ontology_owl2_dl_and_hermit_loads_it(owl_api):
    violations, verdict = owl_api(ONTOLOGY)
    assert violations == []
    # HermiT's default configuration: an unsupported datatype would be an error here.
    assert verdict == "CONSISTENT true"


def test_the_owl_api_check_sees_the_faults_of_issue_10(owl_api, tmp_path):
    """The same check over the ontology as it was (an rdf:langString range,
    undeclared org: and skos: terms): it reports them, so the clean result
    above is not the check seeing nothing."""
    text = ONTOLOGY.read_text(encoding="utf-8")
    old = (
        text.replace("org:Membership a owl:Class .\n", "")
        .replace("skos:inScheme a owl:ObjectProperty .\n", "")
        .replace("rdfs:range rdf:PlainLiteral", "rdfs:range rdf:langString", 1)
    )
    (tmp_path / "old.ttl").write_text(old, encoding="utf-8")
    violations, verdict = owl_api(tmp_path / "old.ttl")
    found = "\n".join(violations)
    assert "Use of undeclared class: <http://www.w3.org/ns/org#Membership>" in found
    assert "Use of undeclared annotation property: <http://www.w3.org/2004/02/skos/core#inScheme>" in found
    assert "rdf:langString" in found


def test_the_owl_api_finds_ontology_and_data_together_owl2_dl(owl_api, corpus_nt, tmp_path):
    """Ontology and data in one document, as a reasoner would load them
    (loaded apart, the OWL API reads the data's properties as annotations)."""
    merged = tmp_path / "merged.ttl"
    merged.write_text(ONTOLOGY.read_text(encoding="utf-8") + "\n" + corpus_nt.read_text(encoding="utf-8"), encoding="utf-8")
    violations, verdict = owl_api(merged)
    assert violations == []
    # HermiT reasons over the ontology (above) but not over xsd:date literals (DATA_DATATYPES).
    assert verdict == "CONSISTENT true" or "XMLSchema#date" in verdict
