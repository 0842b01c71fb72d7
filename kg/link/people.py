"""People, parties and offices as one node each across the whole build.

The mapping names a member provisionally by surname and party as printed
(``kamerlid/van-dijk-cda``). Here every mention of a member in every
publication is gathered and resolved:

- parties: every spelling in ``data/fracties.csv`` meets in one kv:Fractie
  ("GL-PvdA", "GroenLinks-PvdA"), with its spellings as labels;
- members: the same surname (accents and case aside) and the same party is one
  person, unless the print gives two different first names; different
  parties stay apart (several "Van Dijk"s sit at once, for different
  parties) unless the reconciliation table says they are one person who
  changed party. Each person's membership of each party is recorded with the
  first and last date it was seen;
- reconciliation: ``data/kamerleden.csv`` (or a table the user passes) gives
  external identifiers, written as owl:sameAs (Wikidata) and
  schema:identifier; people the table does not know are reported, not guessed;
- ministers and state secretaries: one node per surname, linked to each
  office held with the dates of the answers given in it.
"""
from __future__ import annotations

import datetime as dt
import os
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from rdflib import Literal, URIRef

from kg.iris import IriMinter, slug
from kg.link import GLOBAL, LinkOutput
from kg.link.record import LinkRecord, records
from kg.tables import csv_rows
from kg.vocab import KV, OWL, RDF, RDFS, SCHEMA, SKOS, XSD

# A user's own reconciliation table (same columns as data/kamerleden.csv).
RECONCILIATION_ENV = "KG_KAMERLEDEN"


def _data(name: str) -> str:
    return resources.files("kg.link").joinpath("data", name).read_text(encoding="utf-8")


def fold(text: str) -> str:
    """Compare names without accents, case, spaces or hyphens ("Kostić" = "Kostic")."""
    return slug(text).replace("-", "")


# ------------------------------------------------------------------ parties


@dataclass(frozen=True)
class Party:
    naam: str
    afkorting: str
    spellingen: tuple[str, ...]
    opvolger: str | None = None  # canonical key of the group that continued it


@lru_cache(maxsize=1)
def parties() -> dict[str, Party]:
    """Every spelling (folded) -> its party."""
    out: dict[str, Party] = {}
    for row in csv_rows(_data("fracties.csv")):
        spellings = tuple(s for s in row["spellingen"].split("|") if s)
        party = Party(row["naam"], row["afkorting"], spellings, row.get("opvolger") or None)
        for s in (party.naam, party.afkorting, *spellings):
            out.setdefault(fold(s), party)
    return out


def canonical_party(printed: str) -> str:
    """The party's short name as the graph keys it ("GL-PvdA" -> "GroenLinks-PvdA"
    keyed by its abbreviation); unknown spellings stay as printed."""
    party = parties().get(fold(printed))
    return party.afkorting if party else printed


# ------------------------------------------------------------ reconciliation


@dataclass(frozen=True)
class KnownMember:
    achternaam: str
    voornaam: str | None
    fracties: frozenset[str]  # canonical keys
    tk_persoon_id: str | None
    wikidata: str | None
    parlement_com: str | None


def load_reconciliation(path: Path | None = None) -> list[KnownMember]:
    """The shipped table, or the user's (argument or $KG_KAMERLEDEN)."""
    path = path or (Path(os.environ[RECONCILIATION_ENV]) if os.environ.get(RECONCILIATION_ENV) else None)
    text = path.read_text(encoding="utf-8") if path else _data("kamerleden.csv")
    members = []
    for row in csv_rows(text):
        members.append(
            KnownMember(
                achternaam=row["achternaam"].strip(),
                voornaam=(row.get("voornaam") or "").strip() or None,
                fracties=frozenset(canonical_party(p.strip()) for p in (row.get("fracties") or "").split("|") if p.strip()),
                tk_persoon_id=(row.get("tk_persoon_id") or "").strip() or None,
                wikidata=(row.get("wikidata") or "").strip() or None,
                parlement_com=(row.get("parlement_com") or "").strip() or None,
            )
        )
    return members


# ------------------------------------------------------------------ members


@dataclass
class Mention:
    """One member named in one publication."""

    publication: str
    provisional: URIRef
    achternaam: str
    voornaam: str | None
    party: str | None  # canonical key
    printed_party: str | None
    date: dt.date | None


@dataclass
class Member:
    key: str
    achternaam: str
    voornaam: str | None = None
    mentions: list[Mention] = field(default_factory=list)
    known: KnownMember | None = None


def _mentions(publications: Sequence[LinkRecord], iris: IriMinter) -> list[Mention]:
    out = []
    for pub in publications:
        date = pub.ingezonden or pub.ontvangen
        for person in pub.askers:
            out.append(
                Mention(
                    pub.identifier,
                    iris.kamerlid(person.achternaam, person.fractie),
                    person.achternaam,
                    person.voornaam,
                    canonical_party(person.fractie) if person.fractie else None,
                    person.fractie,
                    date,
                )
            )
    return out


def _known_for(mention: Mention, table: list[KnownMember]) -> KnownMember | None:
    hits = [
        k
        for k in table
        if fold(k.achternaam) == fold(mention.achternaam)
        and (not k.fracties or mention.party in k.fracties)
        and not (k.voornaam and mention.voornaam and fold(k.voornaam) != fold(mention.voornaam))
    ]
    return hits[0] if len(hits) == 1 else None


def _merge_successors(groups: dict[tuple, list[Mention]]) -> None:
    """One surname seen in a group and, only later, in the group that
    continued it (GroenLinks, then GroenLinks-PvdA) is one person."""
    for key in sorted((k for k in groups if k[0] == "printed"), key=str):
        if key not in groups:
            continue
        party = parties().get(fold(key[2])) if key[2] else None
        successor = ("printed", key[1], party.opvolger) if party and party.opvolger else None
        if successor is None or successor not in groups:
            continue
        before = [m.date for m in groups[key] if m.date]
        after = [m.date for m in groups[successor] if m.date]
        if before and after and max(before) <= min(after):
            groups[successor] = groups.pop(key) + groups[successor]


def resolve_members(mentions: list[Mention], table: list[KnownMember]) -> tuple[list[Member], list[str]]:
    """Group mentions into people; return them and the ambiguities found."""
    problems: list[str] = []
    groups: dict[tuple, list[Mention]] = defaultdict(list)
    for m in mentions:
        known = _known_for(m, table)
        # A person the table knows is one group whatever the party; others
        # are grouped by surname and party.
        key = ("known", id(known)) if known else ("printed", fold(m.achternaam), m.party or "")
        groups[key].append(m)
    _merge_successors(groups)
    members: list[Member] = []
    for key, group in groups.items():
        known = _known_for(group[0], table) if key[0] == "known" else None
        first_names = sorted({fold(m.voornaam) for m in group if m.voornaam})
        if len(first_names) <= 1:
            buckets = {first_names[0] if first_names else "": group}
        else:
            # Two first names under one surname and party: two people. Mentions
            # without a first name cannot be told apart; they stay on their own.
            buckets = defaultdict(list)
            for m in group:
                buckets[fold(m.voornaam) if m.voornaam else ""].append(m)
            if "" in buckets:
                problems.append(
                    f"{group[0].achternaam} ({group[0].printed_party or 'no party'}): two first names are printed "
                    f"({', '.join(sorted({m.voornaam for m in group if m.voornaam}))}) and "
                    f"{len(buckets[''])} mention(s) give none; those were not assigned to either"
                )
        for first, bucket in sorted(buckets.items()):
            voornaam = next((m.voornaam for m in bucket if m.voornaam), None) or (known.voornaam if known else None)
            achternaam = known.achternaam if known else bucket[0].achternaam
            # Named by surname and the party first seen, which stays the same
            # when later publications show a change of party.
            dated = sorted(bucket, key=lambda m: (m.date or dt.date.max, m.publication))
            first_party = next((m.party for m in dated if m.party), None)
            parts = [achternaam] + ([voornaam] if voornaam and len(first_names) > 1 else []) + ([first_party] if first_party and not known else [])
            members.append(Member("-".join(slug(p) for p in parts), achternaam, voornaam, bucket, known))
    members.sort(key=lambda m: m.key)
    # Same surname, different parties, not reconciled: say so, so that a user
    # who knows it is one person can add a row to the table.
    by_surname: dict[str, list[Member]] = defaultdict(list)
    for m in members:
        by_surname[fold(m.achternaam)].append(m)
    for same in by_surname.values():
        if len(same) > 1:
            problems.append(
                f"{same[0].achternaam}: {len(same)} members of this surname kept apart ("
                + ", ".join(sorted({m.mentions[0].printed_party or '?' for m in same}))
                + "); if one of them is one person who changed party, add a row to the reconciliation table"
            )
    return members, problems


# ------------------------------------------------------------------- linker


def link(publications: Sequence[LinkRecord], iris: IriMinter, table: list[KnownMember] | None = None) -> LinkOutput:
    publications = records(publications)
    out = LinkOutput()
    table = load_reconciliation() if table is None else table
    members, problems = resolve_members(_mentions(publications, iris), table)

    # Parties: provisional fractie/<printed> -> fractie/<canonical>.
    party_spellings: dict[str, set[str]] = defaultdict(set)
    for pub in publications:
        for person in pub.askers:
            if person.fractie:
                canon = canonical_party(person.fractie)
                party_spellings[canon].add(person.fractie)
                out.renames[iris.fractie(person.fractie)] = iris.fractie(canon)
    for canon, spellings in sorted(party_spellings.items()):
        node = iris.fractie(canon)
        known = parties().get(fold(canon))
        out.add(GLOBAL, (node, RDF.type, KV.Fractie))
        out.add(GLOBAL, (node, SKOS.prefLabel, Literal(known.naam if known else canon, lang="nl")))
        if known:
            out.add(GLOBAL, (node, SKOS.altLabel, Literal(known.afkorting, lang="nl")))
        for s in sorted(spellings):
            out.add(GLOBAL, (node, RDFS.label, Literal(s)))
    for k in [k for k in list(out.renames) if out.renames[k] == k]:
        del out.renames[k]

    unmatched: list[str] = []
    for member in members:
        node = iris.kamerlid_key(member.key)
        for m in member.mentions:
            if m.provisional != node:
                out.renames[m.provisional] = node
        if member.voornaam:
            out.add(GLOBAL, (node, KV.voornaam, Literal(member.voornaam)))
        # One membership per party, with the dates it was seen.
        by_party: dict[str, list[dt.date]] = defaultdict(list)
        for m in member.mentions:
            if m.party and m.date:
                by_party[m.party].append(m.date)
        for party, dates in sorted(by_party.items()):
            ms = iris.lidmaatschap(member.key, party)
            out.add(
                GLOBAL,
                (node, KV.lidmaatschap, ms),
                (ms, RDF.type, KV.Lidmaatschap),
                (ms, KV.lidVan, iris.fractie(party)),
                (ms, KV.eersteVermelding, Literal(min(dates), datatype=XSD.date)),
                (ms, KV.laatsteVermelding, Literal(max(dates), datatype=XSD.date)),
            )
        known = member.known
        if known and (known.tk_persoon_id or known.wikidata or known.parlement_com):
            if known.wikidata:
                out.add(GLOBAL, (node, OWL.sameAs, URIRef(f"http://www.wikidata.org/entity/{known.wikidata}")))
            if known.tk_persoon_id:
                out.add(GLOBAL, (node, SCHEMA.identifier, Literal(f"tk-persoon:{known.tk_persoon_id}")))
                out.add(GLOBAL, (node, RDFS.seeAlso, URIRef(f"https://www.tweedekamer.nl/kamerleden_en_commissies/alle_kamerleden/{known.tk_persoon_id}")))
            if known.parlement_com:
                out.add(GLOBAL, (node, SCHEMA.identifier, Literal(f"parlement.com:{known.parlement_com}")))
                out.add(GLOBAL, (node, RDFS.seeAlso, URIRef(f"https://www.parlement.com/id/{known.parlement_com}/")))
        else:
            unmatched.append(member.achternaam + (f" ({', '.join(sorted(by_party))})" if by_party else ""))

    # Ministers and state secretaries: the offices each held, with dates.
    held: dict[tuple[str, str], list[dt.date]] = defaultdict(list)
    for pub in publications:
        for b in pub.answerers:
            if b.office and pub.ontvangen:
                held[(b.achternaam, b.office)].append(pub.ontvangen)
    for (achternaam, label), dates in sorted(held.items()):
        person, ambt = iris.bewindspersoon(achternaam), iris.ambt(label)
        av = iris.ambtsvervulling(achternaam, label)
        out.add(
            GLOBAL,
            (person, KV.ambtsvervulling, av),
            (av, RDF.type, KV.Ambtsvervulling),
            (av, KV.ambt, ambt),
            (av, KV.eersteVermelding, Literal(min(dates), datatype=XSD.date)),
            (av, KV.laatsteVermelding, Literal(max(dates), datatype=XSD.date)),
        )

    out.report = {
        "kamerleden": len(members),
        "mentions": sum(len(m.mentions) for m in members),
        "fracties": len(party_spellings),
        "bewindspersonen": len({a for a, _ in held}),
        "ambten": len({str(iris.ambt(label)) for p in publications for label in (*p.gericht_aan, *p.mede_namens, *(b.office for b in p.answerers if b.office))}),
        "reconciled": len(members) - len(unmatched),
        "not_in_reconciliation_table": sorted(unmatched),
        "ambiguities": problems,
    }
    return out
