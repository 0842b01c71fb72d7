"""The namespaces of the graph, in one place."""
from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD

KV = Namespace("https://w3id.org/kamervragen/def#")
SCHEMA = Namespace("https://schema.org/")
TK = Namespace("https://opendata.tweedekamer.nl/documentatie/")

# Prefixes written into every dump, in this order (deterministic output).
PREFIXES: dict[str, Namespace] = {
    "kv": KV,
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "xsd": Namespace(str(XSD)),
    "owl": Namespace(str(OWL)),
    "skos": Namespace(str(SKOS)),
    "dcterms": Namespace(str(DCTERMS)),
    "foaf": Namespace(str(FOAF)),
    "prov": Namespace(str(PROV)),
    "schema": SCHEMA,
}

__all__ = ["KV", "SCHEMA", "TK", "PREFIXES", "RDF", "RDFS", "XSD", "OWL", "SKOS", "DCTERMS", "FOAF", "PROV"]
