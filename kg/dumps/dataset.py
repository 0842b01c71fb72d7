"""The dataset description: void.ttl, and the default graph of the TriG.

What the dataset is (VoID and DCAT: counts, licence, vocabularies, the dumps
as distributions) and how each named graph was made (PROV-O: the source file
by name, SHA-256 and media type, the kg version that read it, the build). The
Turtle comes from the template kg/templates/dataset.ttl.j2; pyoxigraph parses
it into sorted N-Triples lines like every other part of the dumps.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from kg import __version__
from kg.iris import IriMinter
from kg.vocab import PREFIXES, RDF

ONTOLOGY = "https://w3id.org/kamervragen/def"

# Prefixes of the description, added to those of the graph in void.ttl and the TriG.
DESCRIPTION_PREFIXES: dict[str, str] = {
    "void": "http://rdfs.org/ns/void#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "spdx": "http://spdx.org/rdf/terms#",
    "pav": "http://purl.org/pav/",
}

# kg's name of a source format (the reader's name) -> IANA media type.
SOURCE_MEDIA_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "text": "text/plain",
    "markdown": "text/markdown",
    "html": "text/html",
    "xml": "application/xml",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}

_RDF_TYPE = f"<{RDF.type}>"


def _namespace(iri: str) -> str:
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1]


def _curie(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(str(ns)):
            return f"{prefix}:{iri[len(str(ns)):]}"
    return iri


def graph_counts(lines: Iterable[str]) -> dict[str, Any]:
    """VoID's counts over sorted unique N-Triples lines (streamed once), and
    the instances per class.

    Sorted lines keep a subject's lines together, so subjects are counted as
    they change; distinct objects are counted exactly, long texts by a
    12-byte BLAKE2 digest (deterministic, and a fraction of their memory)."""
    triples = subjects = entities = 0
    last: str | None = None
    predicates: set[str] = set()
    objects: set[str | bytes] = set()
    instances: dict[str, int] = defaultdict(int)
    blake = hashlib.blake2b
    for line in lines:
        s, p, rest = line.split(" ", 2)
        o = rest.rstrip()[:-1].rstrip()  # drop the final " ."
        triples += 1
        if s != last:
            subjects += 1
            if s.startswith("<"):
                entities += 1
            last = s
        predicates.add(p)
        # Short terms (IRIs, numbers, dates) as they are; long texts by digest.
        objects.add(o if len(o) <= 96 else blake(o.encode("utf-8"), digest_size=12).digest())
        if p == _RDF_TYPE and o.startswith("<"):
            instances[o[1:-1]] += 1  # lines are unique: one per (subject, class)
    vocabularies = {_namespace(p[1:-1]) for p in predicates} | {_namespace(c) for c in instances}
    return {
        "triples": triples,
        "entities": entities,
        "subjects": subjects,
        "objects": len(objects),
        "properties": len(predicates),
        "classes": len(instances),
        "instances": dict(instances),
        "vocabularies": sorted(vocabularies),
    }


def build_digest(publications: Sequence, version: str = __version__) -> str:
    """Names the build by what went in: the sources' hashes and kg's version."""
    h = hashlib.sha256(version.encode("utf-8"))
    for sha in sorted(p.source_sha256 for p in publications):
        h.update(b"\n" + sha.encode("ascii"))
    return h.hexdigest()[:16]


def _environment():  # -> jinja2.Environment
    import jinja2
    from rdflib import XSD, Literal

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("kg", "templates"),
        autoescape=False,  # Turtle: literals are escaped by the filters below
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    # normalize=False: the lexical form as given ("...Z", lower-case hex), not rdflib's rewrite.
    env.filters["lit"] = lambda value, lang=None: Literal(str(value), lang=lang, normalize=False).n3()
    env.filters["typed"] = lambda value, datatype: Literal(str(value), datatype=XSD[datatype], normalize=False).n3()
    env.filters["datetime"] = lambda t: Literal(t.strftime("%Y-%m-%dT%H:%M:%SZ"), datatype=XSD.dateTime, normalize=False).n3()
    return env


def describe(
    counts: dict[str, Any],  # graph_counts of the whole graph
    graphs: Sequence[tuple[str, str | None, int]],  # (graph IRI, publication identifier or None, triples), in IRI order
    publications: Sequence,  # kg.build.PublicationInfo (or kg.model.Publication)
    iris: IriMinter,
    *,
    input_files: int,
    distributions: Sequence[str],
    timestamp: dt.datetime | None = None,
) -> str:
    """The description and provenance of a build, as Turtle."""
    from kg.dumps import MEDIA_TYPES

    by_identifier = {p.identifier: p for p in publications}
    graph_data = []
    for graph_iri, identifier, triples in graphs:
        pub = by_identifier.get(identifier) if identifier else None
        source = None
        if pub is not None:
            source = {
                "iri": str(iris.source_file(pub.source_sha256)),
                "checksum": str(iris.checksum(pub.source_sha256)),
                "file_name": Path(pub.source_path).name,
                "sha256": pub.source_sha256,
                "format": pub.source_format,
                "media_type": SOURCE_MEDIA_TYPES.get(pub.source_format, "application/octet-stream"),
            }
        graph_data.append(
            {
                "iri": graph_iri,
                "topic": str(iris.publication(pub.identifier)) if pub is not None else None,
                "triples": triples,
                "source": source,
            }
        )
    return _environment().get_template("dataset.ttl.j2").render(
        description_graph=str(iris.description_graph()),
        dataset=str(iris.dataset()),
        ontology=ONTOLOGY,
        software=str(iris.software(__version__)),
        build=str(iris.build_activity(build_digest(publications))),
        version=__version__,
        timestamp=timestamp,
        uri_space=iris.base,
        vocabularies=counts["vocabularies"],
        counts={**counts, "publications": len(publications), "input_files": input_files},
        partitions=[
            {"iri": str(iris.class_partition(_curie(c))), "class_iri": c, "entities": n}
            for c, n in sorted(counts["instances"].items())
        ],
        distributions=[
            {"iri": str(iris.distribution(name)), "file_name": name, "media_type": MEDIA_TYPES[name]}
            for name in distributions
        ],
        graphs=graph_data,
    )


def turtle_lines(text: str) -> list[str]:
    """Turtle text as sorted unique N-Triples lines."""
    import pyoxigraph as ox

    out = ox.serialize(ox.parse(text, format=ox.RdfFormat.TURTLE), format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
    return sorted({ln for ln in out.splitlines() if ln.strip()})


def write_description(dumps, path: Path) -> str:  # dumps: kg.dumps.DumpSet
    """void.ttl: the description alone, as the template wrote it (grouped and
    commented for a reader; the TriG holds the same triples). Returns its SHA-256."""
    data = dumps.description_turtle.encode("utf-8")
    path.write_bytes(data)
    return hashlib.sha256(data).hexdigest()
