"""The namespaces of the graph, in one place."""
from __future__ import annotations

import functools

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD


class _Namespace(Namespace):
    """A Namespace whose terms are made once: rdflib's makes and validates a
    new URIRef on every ``KV.x``, and the link stage asks millions of times."""

    @functools.lru_cache(maxsize=None)  # noqa: B019 - the three namespaces live as long as the process
    def term(self, name: str) -> URIRef:
        return super().term(name)


KV = _Namespace("https://w3id.org/kamervragen/def#")
SCHEMA = _Namespace("https://schema.org/")
TK = _Namespace("https://opendata.tweedekamer.nl/documentatie/")

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
