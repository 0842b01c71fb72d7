"""The JSON-LD context, made from the shipped ontology and a template.

One term per class, individual and property the ontology declares in the
``kv:`` namespace, with the value coercion its range implies, so a web
developer reads ``"heeftVraag": ["https://.../vraag/ah-tk-20182019-3878-1"]``
and ``"ingezondenOp": "2019-07-29"`` instead of full IRIs and value objects.
Derived, not hand-kept: a term appended to the ontology is in the context at
the next build.
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from kg.vocab import KV, PREFIXES

# The terms context.jsonld.j2 defines itself (for rdfs: and owl: properties).
TEMPLATE_TERMS = frozenset({"label", "comment", "seeAlso", "sameAs", "prefLabel", "altLabel"})
SCHEMA_RANGE_INCLUDES = "https://schema.org/rangeIncludes"

# Ranges written as plain JSON values: strings as strings, integers and
# booleans as JSON numbers and booleans (the serializer's native types).
_PLAIN_RANGES = {"string", "integer", "boolean"}


def _local(iri: str) -> str | None:
    return iri[len(str(KV)):] if iri.startswith(str(KV)) else None


def context_terms(ontology) -> list[tuple[str, object]]:  # ontology: rdflib.Graph
    """(term, definition) for every kv: class, individual and property of
    the ontology, sorted by term."""
    from rdflib import OWL, RDF, RDFS, XSD, URIRef

    terms: dict[str, object] = {}
    classes = {s for s in ontology.subjects(RDF.type, OWL.Class) if _local(str(s))}
    for c in classes:
        terms[_local(str(c))] = f"kv:{_local(str(c))}"
    # Individuals: declared as such, or typed with a kv: class (kv:TweedeKamer a kv:Kamer).
    enumerations = set()
    for s, cls in ontology.subject_objects(RDF.type):
        if _local(str(s)) and (cls == OWL.NamedIndividual or cls in classes):
            terms[_local(str(s))] = f"kv:{_local(str(s))}"
            if cls in classes:
                enumerations.add(cls)
    for p in ontology.subjects(RDF.type, OWL.ObjectProperty):
        name = _local(str(p))
        if name:
            vocab = ontology.value(p, RDFS.range) in enumerations
            terms[name] = {"@id": f"kv:{name}", "@type": "@vocab" if vocab else "@id"}
    for p in ontology.subjects(RDF.type, OWL.DatatypeProperty):
        name = _local(str(p))
        if not name:
            continue
        rng = ontology.value(p, RDFS.range)
        if rng == RDFS.Literal:
            # A datatype OWL 2 cannot name as a range (xsd:date) is given by schema:rangeIncludes.
            rng = ontology.value(p, URIRef(SCHEMA_RANGE_INCLUDES)) or rng
        if rng in (RDF.langString, RDF.PlainLiteral):  # OWL 2 calls a language-tagged string rdf:PlainLiteral
            terms[name] = {"@id": f"kv:{name}", "@language": "nl"}
        elif rng is not None and str(rng).startswith(str(XSD)) and str(rng)[len(str(XSD)):] not in _PLAIN_RANGES:
            terms[name] = {"@id": f"kv:{name}", "@type": f"xsd:{str(rng)[len(str(XSD)):]}"}
        else:
            terms[name] = f"kv:{name}"
    return sorted(terms.items())


def render_context(ontology) -> str:
    """The context document (``{"@context": {...}}``) as JSON text."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("kg", "templates"),
        autoescape=False,  # JSON, every value through tojson
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    # tojson's default escapes <, >, & and ' for HTML; plain JSON here.
    env.policies["json.dumps_function"] = json.dumps
    env.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "sort_keys": True}
    prefixes = [(prefix, str(ns)) for prefix, ns in PREFIXES.items()]
    # A kv: term may not take the name of a prefix or of a term the template fixes.
    reserved = set(PREFIXES) | TEMPLATE_TERMS
    terms = [(name, definition) for name, definition in context_terms(ontology) if name not in reserved]
    return env.get_template("context.jsonld.j2").render(prefixes=prefixes, terms=terms)


@lru_cache(maxsize=1)
def context_document() -> str:
    """The context of the shipped ontology, as written to context.jsonld."""
    from rdflib import Graph

    ontology = Graph()
    with resources.as_file(resources.files("kg.ontology").joinpath("kamervragen.ttl")) as path:
        ontology.parse(path, format="turtle")
    return render_context(ontology)


def jsonld_context() -> dict:
    """The object under "@context"."""
    return json.loads(context_document())["@context"]
