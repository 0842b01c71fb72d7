"""Link stage: what only shows across publications.

Mapping turns each publication into triples on its own; linking looks at all
of them together: the same member in many publications is one node, a
citation names a publication that exists (or not), questions published
before their answer meet that answer, follow-up chains form.

Each linker is a module in ``LINKERS`` with a function
``link(records, iris) -> LinkOutput``. Linkers read compact link records
(kg.link.record; not the graph), so they are plain functions over dataclasses; what they add
is triples, IRI renames and a section of the build report. ``link`` runs
them in order and merges their outputs; build applies them.
"""
from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from rdflib import URIRef

from kg.iris import IriMinter
from kg.model import Publication

# (report section name, module); a module has link(publications, iris) -> LinkOutput.
LINKERS: tuple[tuple[str, str], ...] = (
    ("people", "kg.link.people"),
    ("registry", "kg.link.registry"),
    ("followup", "kg.link.followup"),
    ("zaken", "kg.link.zaken"),
)

# Key of LinkOutput.triples for triples that belong to no one publication
# (a person's external identifiers, a party's spellings).
GLOBAL = ""


@dataclass
class LinkOutput:
    # Publication identifier -> triples about that publication (answer time,
    # its link to the answer); GLOBAL -> triples about shared nodes.
    triples: dict[str, list[tuple[Any, Any, Any]]] = field(default_factory=dict)
    # Provisional IRI minted by the mapping -> the one node it is.
    renames: dict[URIRef, URIRef] = field(default_factory=dict)
    # A section of the build report (plain JSON data).
    report: dict[str, Any] = field(default_factory=dict)
    # Publication identifier -> warnings for that file's entry in the report.
    warnings: dict[str, list[str]] = field(default_factory=dict)

    def add(self, key: str, *triples: tuple[Any, Any, Any]) -> None:
        self.triples.setdefault(key, []).extend(triples)

    def warn(self, identifier: str, message: str) -> None:
        self.warnings.setdefault(identifier, []).append(message)


def record_of(pub: Publication) -> Any:
    """What the link stage keeps of one publication: a ``kg.link.record.LinkRecord``.

    The build calls this in its worker processes and keeps (and caches, with
    ``LinkRecord.to_json``/``from_json``) only the result, never the whole
    Publication, so that memory does not grow with the text of the archive.
    """
    from kg.link.record import record_of as _record_of

    return _record_of(pub)


def link(publications: Sequence[Any], iris: IriMinter) -> tuple[LinkOutput, dict[str, Any]]:
    """Run every linker over the records (Publications are turned into
    records first); return the merged output and the report sections."""
    from kg.link.record import records

    recs = records(publications)
    merged = LinkOutput()
    sections: dict[str, Any] = {}
    for name, module_name in LINKERS:
        out: LinkOutput = importlib.import_module(module_name).link(recs, iris)
        for key, triples in out.triples.items():
            merged.add(key, *triples)
        # A later linker's rename of an already renamed node follows the chain.
        for old, new in out.renames.items():
            merged.renames[old] = new
        for key, messages in out.warnings.items():
            for message in messages:
                merged.warn(key, message)
        sections[name] = out.report
    for old in list(merged.renames):
        seen = {old}
        target = merged.renames[old]
        while target in merged.renames and target not in seen:
            seen.add(target)
            target = merged.renames[target]
        merged.renames[old] = target
    # A linker may name a node by the provisional IRI another one renames
    # (the askers a Word answer takes from its zaak): its triples follow the
    # renames, except an owl:sameAs from an old IRI, which must stay the old one.
    renames = merged.renames
    if renames:
        from kg.vocab import OWL

        for key, triples in merged.triples.items():
            merged.triples[key] = [
                (s if p == OWL.sameAs else renames.get(s, s), p, renames.get(o, o)) for s, p, o in triples
            ]
    return merged, sections
