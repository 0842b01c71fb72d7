"""Publications merged with the Tweede Kamer's zaken by zaak number.

A zaak (kg.read.zaken) is its own publication, ``kv-tk-<Nummer>``, in its own
named graph: the Tweede Kamer's statements. Where a parsed publication has
the same zaak number (its own, printed; or its identifier; or the one a
delay notice names), its printed facts stand, and this linker compares them
with the zaak's:

- askers: the printed askers' surnames against the zaak's Indiener and
  Medeindieners;
- submission date: the printed "ingezonden" against the zaak's GestartOp;
- subject: a subject that differs beyond spelling (kg.link.followup's
  similarity of the folded text below ``SUBJECT_AGREES``).

Each disagreement is a ``kv:Afwijking`` in the parsed publication's triples
(found by queries/zaak-disagreements.rq) and a row of the report. A Word
answer that prints only its zaak number (no askers) gets the zaak's askers
and addressees, marked ``kv:vragenstellersUitZaak``.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kg.iris import IriMinter, slug
from kg.link import LinkOutput
from kg.link.followup import questions_zaak, subject_similarity
from kg.link.record import LinkRecord, records
from kg.model import DocumentSoort

# Folded subjects this similar are one subject spelled differently (glued
# words, quotes, a source added are folded away or cost little).
SUBJECT_AGREES = 0.9


def _surname_key(s: str) -> str:
    return slug(s).replace("-", "")


def askers_agree(printed: Sequence[Any], zaak: Sequence[Any]) -> bool:
    """The same set of askers: every printed surname is one of the zaak's
    (its surname, or the end of the whole name the Tweede Kamer writes), and
    as many."""
    if len(printed) != len(zaak):
        return False
    left = [_surname_key(p.achternaam) for p in printed]
    right = [(_surname_key(z.achternaam), _surname_key(z.printed.split("(", 1)[0])) for z in zaak]
    for key in left:
        hit = next((r for r in right if key == r[0] or r[1].endswith(key) or r[0].endswith(key)), None)
        if hit is None:
            return False
        right.remove(hit)
    return True


def _names(people: Sequence[Any]) -> str:
    return "; ".join(p.achternaam for p in people)


def _zaken(recs: Sequence[LinkRecord]) -> dict[str, LinkRecord]:
    return {r.zaaknummer: r for r in recs if r.from_zaak and r.zaaknummer}


def askers_from_zaak(publications: Sequence[LinkRecord]) -> dict[str, LinkRecord]:
    """The answers that take their askers from their zaak (a Word answer that
    prints only its zaak number), each with that zaak's record. kg.link.followup
    reads this too: such an answer has askers in the graph (kv:volgtOp)."""
    zaken = _zaken(publications)
    found: dict[str, LinkRecord] = {}
    if not zaken:
        return found
    for r in publications:
        if r.from_zaak or r.askers or r.soort != DocumentSoort.ANTWOORD.value:
            continue
        nummer = questions_zaak(r)  # type: ignore[arg-type]
        z = zaken.get(nummer) if nummer else None
        if z is not None and z.askers:
            found[r.identifier] = z
    return found


def link(publications: Sequence[LinkRecord], iris: IriMinter) -> LinkOutput:
    from rdflib import Literal

    from kg.vocab import KV, RDF

    recs = records(publications)
    out = LinkOutput()
    zaken = _zaken(recs)
    counts = {"zaken": len(zaken), "compared": 0, "askers_agree": 0, "askers_compared": 0, "date_agree": 0,
              "date_compared": 0, "subject_agree": 0, "subject_compared": 0, "askers_derived": 0}
    disagreements: list[dict[str, Any]] = []
    derived: list[dict[str, Any]] = []
    if not zaken:
        out.report = {"counts": counts}
        return out
    from_zaak = askers_from_zaak(recs)
    for r in recs:
        if r.from_zaak:
            continue
        nummer = questions_zaak(r)  # type: ignore[arg-type]
        z = zaken.get(nummer) if nummer else None
        if z is None:
            continue
        counts["compared"] += 1
        doc, zdoc = iris.publication(r.identifier), iris.publication(z.identifier)
        found: list[tuple[str, str, str]] = []
        if r.askers:
            counts["askers_compared"] += 1
            if askers_agree(r.askers, z.askers):
                counts["askers_agree"] += 1
            else:
                found.append(("vragenstellers", _names(r.askers), _names(z.askers)))
        elif r.identifier in from_zaak:
            # Only the zaak number printed: the askers and addressees are the zaak's.
            counts["askers_derived"] += 1
            out.add(r.identifier, (doc, KV.vragenstellersUitZaak, zdoc))
            for a in z.askers:
                out.add(r.identifier, (doc, KV.gesteldDoor, iris.kamerlid_key(a.provisional)))
            for b in z.addressees:
                out.add(r.identifier, (doc, KV.gerichtAanPersoon, iris.bewindspersoon(b.achternaam, b.initialen)))
            derived.append({"publication": r.identifier, "zaak": nummer, "askers": _names(z.askers), "addressees": _names(z.addressees)})
        if r.ingezonden and z.ingezonden:
            counts["date_compared"] += 1
            if r.ingezonden == z.ingezonden:
                counts["date_agree"] += 1
            else:
                found.append(("ingezonden", r.ingezonden.isoformat(), z.ingezonden.isoformat()))
        if r.onderwerp and z.onderwerp:
            counts["subject_compared"] += 1
            if subject_similarity(r.onderwerp, z.onderwerp) >= SUBJECT_AGREES:
                counts["subject_agree"] += 1
            else:
                found.append(("onderwerp", r.onderwerp, z.onderwerp))
        for field, printed, theirs in found:
            node = iris.afwijking(r.identifier, field)
            out.add(
                r.identifier,
                (node, RDF.type, KV.Afwijking),
                (node, KV.afwijkingVan, doc),
                (node, KV.afwijkingMet, zdoc),
                (node, KV.afwijkingsveld, Literal(field)),
                (node, KV.gedrukt, Literal(printed)),
                (node, KV.volgensTweedeKamer, Literal(theirs)),
            )
            disagreements.append({"publication": r.identifier, "file": r.source, "zaak": nummer, "field": field,
                                  "printed": printed, "tweede_kamer": theirs})
    out.report = {"counts": counts, "disagreements": disagreements, "askers_from_zaak": derived}
    return out
