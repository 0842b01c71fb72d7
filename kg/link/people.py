"""People, parties and offices as one node each across the whole build.

The mapping names a member provisionally by surname and party as printed
(``kamerlid/van-dijk-cda``, the IRI scheme before issue 8). Here every
mention of a member in every publication is gathered and resolved:

- parties: every spelling in ``data/fracties.csv`` meets in one kv:Fractie
  ("GL-PvdA", "GroenLinks-PvdA"), with its spellings as labels and its
  Wikidata item (``data/partijen.csv``) where known;
- members are reconciled (kg.link.reconcile) to the Tweede Kamer's Persoon
  records, with Wikidata and Parlement.com ids where known; a user's table
  (``KG_KAMERLEDEN``, columns of ``data/kamerleden.csv``) comes first. A
  reconciled member is one node whatever the party printed, and its IRI is
  made from the Persoon GUID (``kamerlid/tk-<guid>``), so it does not change
  when the member changes party or when publications come and go;
- members the tables do not know are grouped as before (the same surname and
  party is one person, unless two first names are printed; a party and the
  one that continued it join) and named by surname (and first name where two
  are printed), a party added only when two such groups would share a name;
  each is reported with the reason;
- every old IRI (``kamerlid/<surname>-<party>``) keeps answering: it is
  owl:sameAs the person's IRI;
- each person's membership of each party is a kv:Lidmaatschap with the first
  and last date it was seen; ``kv:fractie`` is on the member only when one
  party was ever seen (the party of a question is the membership spanning
  its date);
- ministers and state secretaries: one node per person (reconciled through
  the openkamer terms up to 2019 and the Persoon records), linked to each
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

from typing import Any

from kg.iris import IriMinter, display_surname, slug
from kg.link import GLOBAL, LinkOutput
from kg.link.reconcile import DATA_UNTIL, Match, Person, Term, directory, match_member, match_minister
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
    provisional: str  # key of the provisional IRI the mapping minted
    achternaam: str
    voornaam: str | None
    initialen: str | None
    party: str | None  # canonical key
    printed_party: str | None
    date: dt.date | None
    tk_persoon_id: str | None = None
    eerste_kamer: bool = False
    full_name: str | None = None  # the whole name as the Tweede Kamer's data writes it
    party_from_tables: bool = False  # no party printed; the tables gave it


def full_name_of(printed: str) -> str | None:
    """"Kees Verhoeven (C.)" -> "Kees Verhoeven"; None for a name as printed in a document."""
    return printed.split("(", 1)[0].strip() or None if printed.rstrip().endswith(")") else None


@dataclass(frozen=True)
class Identity:
    """Who a member is, as the tables say."""

    key: str  # the person's IRI key: tk-<Persoon GUID>, wd-<item>, or from the user's table
    achternaam: str
    voornaam: str | None
    tk_id: str | None = None
    wikidata: str | None = None
    parlement_com: str | None = None


@dataclass
class Member:
    key: str
    achternaam: str
    voornaam: str | None = None
    mentions: list[Mention] = field(default_factory=list)
    identity: Identity | None = None
    reason: str | None = None  # why not reconciled
    candidates: tuple[dict, ...] = ()


def _mentions(publications: Sequence[LinkRecord]) -> list[Mention]:
    out = []
    for pub in publications:
        date = pub.ingezonden or pub.ontvangen
        for person in pub.askers:
            out.append(
                Mention(
                    pub.identifier,
                    person.provisional,
                    display_surname(person.achternaam),
                    person.voornaam,
                    person.initialen,
                    canonical_party(person.fractie) if person.fractie else None,
                    person.fractie,
                    date,
                    person.tk_persoon_id,
                    pub.eerste_kamer,
                    full_name_of(person.printed) if pub.from_zaak else None,
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


def identity_of_person(p: Person) -> Identity:
    key = f"tk-{p.tk_id}" if p.tk_id else (f"wd-{p.wikidata}" if p.wikidata else slug(p.id))
    return Identity(key, p.full_surname, p.roepnaam or None, p.tk_id, p.wikidata, p.parlement_com)


def _identity_of_known(k: KnownMember) -> Identity:
    if k.tk_persoon_id:
        key = f"tk-{k.tk_persoon_id}"
    elif k.wikidata:
        key = f"wd-{k.wikidata}"
    else:
        key = "tabel-" + slug(k.achternaam + (f" {k.voornaam}" if k.voornaam else ""))
    return Identity(key, k.achternaam, k.voornaam, k.tk_persoon_id, k.wikidata, k.parlement_com)


def successors() -> dict[str, str]:
    """Party key -> the key of the group that continued it."""
    out = {}
    for party in parties().values():
        if party.opvolger:
            succ = parties().get(fold(party.opvolger))
            out[party.afkorting] = succ.afkorting if succ else party.opvolger
    return out


def identify(m: Mention, table: list[KnownMember], reconcile: bool = True) -> tuple[Identity | None, str, tuple[dict, ...]]:
    """Who one mention is: (identity, reason when None, candidates when ambiguous)."""
    if m.tk_persoon_id:
        p = directory().persons.get(m.tk_persoon_id)
        if p is not None:
            return identity_of_person(p), "", ()
        return Identity(f"tk-{m.tk_persoon_id}", m.achternaam, m.voornaam, m.tk_persoon_id), "", ()
    known = _known_for(m, table)
    if known is not None and (known.tk_persoon_id or known.wikidata or known.parlement_com):
        return _identity_of_known(known), "", ()
    if not reconcile or m.eerste_kamer:
        if known is not None:  # a row without ids still joins one person's parties
            return _identity_of_known(known), "", ()
        return None, "not reconciled (Eerste Kamer)" if m.eerste_kamer else "reconciliation off", ()
    match = _match_cached(m.achternaam, m.voornaam, m.initialen, m.party, m.date, m.full_name)
    if match.person is not None:
        return identity_of_person(match.person), "", ()
    if known is not None:
        return _identity_of_known(known), "", ()
    return None, match.reason, match.candidates


@lru_cache(maxsize=65536)
def _match_cached(
    achternaam: str, voornaam: str | None, initialen: str | None, party: str | None, date: dt.date | None, full_name: str | None = None
) -> Match:
    return match_member(achternaam, voornaam=voornaam, initialen=initialen, party=party, on=date, successors=successors(), full_name=full_name)


def _party_from_tables(ident: Identity, mentions: list[Mention]) -> None:
    """A mention without a printed party (a zaak names none) takes the
    party the tables give, where the person sat for one party only and the
    date lies in a Tweede Kamer membership the tables know (up to 2019)."""
    person = directory().persons.get(ident.tk_id or "") if ident.tk_id else None
    if person is None:
        return
    partijen = {p for p, _, _ in person.partijen}
    if len(partijen) != 1:
        return
    (party,) = partijen
    for m in mentions:
        if m.party is None and m.date and m.date <= DATA_UNTIL and any(
            (van is None or van <= m.date) and (tot is None or m.date <= tot) for van, tot in person.kamer
        ):
            m.party = canonical_party(party)
            m.party_from_tables = True


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


def resolve_members(
    mentions: list[Mention], table: list[KnownMember], reconcile: bool = True
) -> tuple[list[Member], list[str]]:
    """Group mentions into people; return them and the ambiguities found."""
    problems: list[str] = []
    # Each provisional IRI is renamed as a whole, so all its mentions must be
    # one person: the identities found for its mentions decide.
    by_provisional: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_provisional[m.provisional].append(m)
    groups: dict[tuple, list[Mention]] = defaultdict(list)
    identities: dict[str, Identity] = {}
    why: dict[str, tuple[str, tuple[dict, ...]]] = {}
    for prov, ms in sorted(by_provisional.items()):
        found: dict[str, Identity] = {}
        for m in ms:
            ident, reason, cands = identify(m, table, reconcile)
            if ident is not None:
                found[ident.key] = ident
            else:
                why.setdefault(prov, (reason, cands))
        if len(found) == 1:
            (ident,) = found.values()
            identities[ident.key] = ident
            groups[("known", ident.key)].extend(ms)
            if reconcile:
                _party_from_tables(ident, ms)
            continue
        if len(found) > 1:
            problems.append(
                f"{ms[0].achternaam} ({ms[0].printed_party or 'no party'}): the mentions fit {len(found)} different persons "
                f"({', '.join(sorted(found))}); not reconciled"
            )
            why[prov] = (f"mentions fit {len(found)} persons", tuple({"id": k} for k in sorted(found)))
        for m in ms:
            groups[("printed", fold(m.achternaam), m.party or "")].append(m)
    _merge_successors(groups)

    members: list[Member] = []
    for key, group in groups.items():
        if key[0] == "known":
            ident = identities[key[1]]
            voornaam = ident.voornaam or next((m.voornaam for m in group if m.voornaam), None)
            members.append(Member(ident.key, ident.achternaam, voornaam, group, ident))
            continue
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
        for _first, bucket in sorted(buckets.items()):
            voornaam = next((m.voornaam for m in bucket if m.voornaam), None)
            achternaam = bucket[0].achternaam
            parts = [achternaam] + ([voornaam] if voornaam and len(first_names) > 1 else [])
            reason, cands = next((why[m.provisional] for m in bucket if m.provisional in why), ("", ()))
            member = Member("-".join(slug(p) for p in parts), achternaam, voornaam, bucket, None, reason or "not reconciled", cands)
            member.parties = sorted({m.party for m in bucket if m.party})  # type: ignore[attr-defined]
            members.append(member)
    # Unreconciled members are named by surname (and first name); a party is
    # added only where two such members would otherwise share a name.
    taken = {m.key for m in members if m.identity is not None}
    by_key: dict[str, list[Member]] = defaultdict(list)
    for m in members:
        if m.identity is None:
            by_key[m.key].append(m)
    for key, same in by_key.items():
        if len(same) > 1 or key in taken:
            for m in same:
                m.key = "-".join([key, *(slug(p) for p in getattr(m, "parties", [])[:1])]) or key
    members.sort(key=lambda m: m.key)
    # Same surname, different parties, not reconciled: say so, so that a user
    # who knows it is one person can add a row to the table.
    by_surname: dict[str, list[Member]] = defaultdict(list)
    for m in members:
        if m.identity is None:
            by_surname[fold(m.achternaam)].append(m)
    for same in by_surname.values():
        if len(same) > 1:
            problems.append(
                f"{same[0].achternaam}: {len(same)} members of this surname kept apart ("
                + ", ".join(sorted({m.mentions[0].printed_party or '?' for m in same}))
                + "); if one of them is one person who changed party, add a row to the reconciliation table"
            )
    return members, problems


# ------------------------------------------------------------ identifiers


def identity_triples(node: URIRef, ident: Identity, iris: IriMinter) -> list[tuple]:
    """A reconciled person's external identifiers."""
    out: list[tuple] = []
    if ident.tk_id and ident.wikidata:
        # A person the tables once knew only by Wikidata was named wd-<item>;
        # that IRI keeps answering once a Persoon id is known.
        kind = str(node)[len(iris.base):].split("/", 1)[0]
        out.append((URIRef(f"{iris.base}{kind}/wd-{ident.wikidata}"), OWL.sameAs, node))
    if ident.wikidata:
        out.append((node, OWL.sameAs, URIRef(f"http://www.wikidata.org/entity/{ident.wikidata}")))
    if ident.tk_id:
        out.append((node, KV.tkPersoonId, Literal(ident.tk_id)))
        out.append((node, KV.tkPersoon, URIRef(f"{TK_ODATA}Persoon({ident.tk_id})")))
    if ident.parlement_com:
        pv = iris.identificatie("parlement-com", ident.parlement_com)
        out += [
            (node, SCHEMA.identifier, pv),
            (pv, RDF.type, SCHEMA.PropertyValue),
            (pv, SCHEMA.propertyID, Literal("P1749")),
            (pv, SCHEMA.value, Literal(ident.parlement_com)),
            (pv, SCHEMA.url, URIRef(f"https://www.parlement.com/id/{ident.parlement_com}/")),
        ]
    return out


TK_ODATA = "https://gegevensmagazijn.tweedekamer.nl/OData/v4/2.0/"
FROM_2008 = dt.date(2008, 1, 1)


# ------------------------------------------------------------ ministers


@dataclass
class Signer:
    publication: str
    achternaam: str
    office: str | None
    date: dt.date | None
    role: str  # "answerer" or "addressee"
    tk_persoon_id: str | None = None
    initialen: str | None = None
    full_name: str | None = None


def _signers(publications: Sequence[LinkRecord]) -> list[Signer]:
    out = []
    for pub in publications:
        for b in pub.answerers:
            out.append(Signer(pub.identifier, b.achternaam, b.office, pub.ontvangen or pub.ingezonden, "answerer", b.tk_persoon_id, b.initialen))
        for b in pub.addressees:
            out.append(Signer(pub.identifier, b.achternaam, b.office, pub.ingezonden or pub.ontvangen, "addressee", b.tk_persoon_id,
                              b.initialen, full_name_of(b.printed)))
    return out


@lru_cache(maxsize=65536)
def _minister_cached(achternaam: str, office: str | None, date: dt.date | None, initialen: str | None, full_name: str | None) -> Match:
    return match_minister(achternaam, on=date, office=office, initialen=initialen, full_name=full_name)


def _title(name: str) -> str:
    """openkamer's lower-case ministry as the office labels print it:
    "onderwijs, cultuur en wetenschap" -> "Onderwijs, Cultuur en Wetenschap"."""
    return " ".join(w if w == "en" else w[:1].upper() + w[1:] for w in name.split())


def office_label(term: Term) -> str:
    """An openkamer term as the office label the graph uses ("Minister van Financiën")."""
    if term.titel == "Minister-president":
        return "Minister-president"
    ministerie = _title(term.ministerie)
    if term.portefeuille:
        # openkamer writes "programma jeugd en gezin" for the Minister voor Jeugd en Gezin.
        return f"Minister voor {_title(term.portefeuille.removeprefix('programma '))}"
    titel = "Minister" if term.titel.startswith(("Minister", "Vice")) else term.titel
    return f"{titel} van {ministerie}" if ministerie else titel


# ------------------------------------------------------------------- linker


def link(
    publications: Sequence[LinkRecord], iris: IriMinter, table: list[KnownMember] | None = None, reconcile: bool = True
) -> LinkOutput:
    publications = records(publications)
    out = LinkOutput()
    table = load_reconciliation() if table is None else table
    members, problems = resolve_members(_mentions(publications), table, reconcile)

    # Parties: provisional fractie/<printed> -> fractie/<canonical>.
    party_spellings: dict[str, set[str]] = defaultdict(set)
    for pub in publications:
        for person in pub.askers:
            if person.fractie:
                canon = canonical_party(person.fractie)
                party_spellings[canon].add(person.fractie)
                out.renames[iris.fractie(person.fractie)] = iris.fractie(canon)
    # Parties the tables gave where none was printed: labelled by their usual short name.
    for member in members:
        for m in member.mentions:
            if m.party_from_tables and m.party not in party_spellings:
                party_spellings[m.party].add(m.party)
    party_wd = directory().party_wikidata if reconcile else {}
    for canon, spellings in sorted(party_spellings.items()):
        node = iris.fractie(canon)
        known = parties().get(fold(canon))
        out.add(GLOBAL, (node, RDF.type, KV.Fractie))
        out.add(GLOBAL, (node, SKOS.prefLabel, Literal(known.naam if known else canon, lang="nl")))
        if known:
            out.add(GLOBAL, (node, SKOS.altLabel, Literal(known.afkorting, lang="nl")))
        for s in sorted(spellings):
            out.add(GLOBAL, (node, RDFS.label, Literal(s)))
        if party_wd.get(canon):
            out.add(GLOBAL, (node, OWL.sameAs, URIRef(f"http://www.wikidata.org/entity/{party_wd[canon]}")))
    for k in [k for k in list(out.renames) if out.renames[k] == k]:
        del out.renames[k]

    unmatched: list[dict[str, Any]] = []
    old_iris: dict[URIRef, set[URIRef]] = defaultdict(set)
    for member in members:
        node = iris.kamerlid_key(member.key)
        for m in member.mentions:
            prov = iris.kamerlid_key(m.provisional)
            if prov != node:
                out.renames[prov] = node
            # The IRI scheme before issue 8 (surname and party as printed);
            # without a party it would be the scheme of an unreconciled member.
            if m.printed_party:
                old_iris[iris.kamerlid(m.achternaam, m.printed_party)].add(node)
            # A membership as the mapping minted it, per printed party.
            if m.printed_party:
                out.renames[iris.lidmaatschap(m.provisional, m.printed_party)] = iris.lidmaatschap(member.key, m.party or m.printed_party)
        # The first name from the tables only where no publication printed one
        # (the mapping writes the printed one): one kv:voornaam.
        if member.voornaam and not any(m.voornaam for m in member.mentions):
            out.add(GLOBAL, (node, KV.voornaam, Literal(member.voornaam)))
        # One membership per party, with the dates it was seen.
        by_party: dict[str, list[dt.date]] = defaultdict(list)
        for m in member.mentions:
            if m.party:
                by_party[m.party].extend([m.date] if m.date else [])
        for party, dates in sorted(by_party.items()):
            ms = iris.lidmaatschap(member.key, party)
            out.add(GLOBAL, (node, KV.lidmaatschap, ms), (ms, RDF.type, KV.Lidmaatschap), (ms, KV.lidVan, iris.fractie(party)))
            if dates:
                out.add(
                    GLOBAL,
                    (ms, KV.eersteVermelding, Literal(min(dates), datatype=XSD.date)),
                    (ms, KV.laatsteVermelding, Literal(max(dates), datatype=XSD.date)),
                )
        # kv:fractie (core vocabulary: "the member's party group"): every
        # party group the member was seen in; which one held at a date is
        # said by the memberships above (kv:eersteVermelding, kv:laatsteVermelding).
        for party in sorted(by_party):
            out.add(GLOBAL, (node, KV.fractie, iris.fractie(party)))
        if member.identity is not None and (member.identity.tk_id or member.identity.wikidata or member.identity.parlement_com):
            for t in identity_triples(node, member.identity, iris):
                out.add(GLOBAL, t)
        else:
            unmatched.append({
                "member": member.achternaam + (f" ({', '.join(sorted(by_party))})" if by_party else ""),
                "iri": str(node),
                "mentions": len(member.mentions),
                "reason": member.reason or "in the user's table without identifiers",
                **({"candidates": list(member.candidates)} if member.candidates else {}),
            })
    for old, nodes in sorted(old_iris.items()):
        if len(nodes) == 1 and old not in nodes:
            out.add(GLOBAL, (old, OWL.sameAs, next(iter(nodes))))

    ministers = _link_ministers(publications, iris, out, reconcile)

    mentions = [m for member in members for m in member.mentions]
    recent = [m for m in members if any(x.date and x.date >= FROM_2008 for x in m.mentions)]

    def share(part: int, whole: int) -> float | None:
        return round(part / whole, 4) if whole else None

    def tk(member: Member) -> bool:
        return bool(member.identity and member.identity.tk_id)

    def wd(member: Member) -> bool:
        return bool(member.identity and member.identity.wikidata)

    out.report = {
        "kamerleden": len(members),
        "mentions": len(mentions),
        "fracties": len(party_spellings),
        "fracties_with_wikidata": sum(1 for c in party_spellings if party_wd.get(c)),
        "bewindspersonen": ministers["persons"],
        "ambten": len({str(iris.ambt(label)) for p in publications for label in (*p.gericht_aan, *p.mede_namens, *(b.office for b in p.answerers if b.office))}),
        "reconciled": len(members) - len(unmatched),
        "mentions_party_from_tables": sum(1 for m in mentions if m.party_from_tables),
        "shares": {
            "members_tk_id": share(sum(tk(m) for m in members), len(members)),
            "members_wikidata": share(sum(wd(m) for m in members), len(members)),
            "mentions_tk_id": share(sum(len(m.mentions) for m in members if tk(m)), len(mentions)),
            "mentions_wikidata": share(sum(len(m.mentions) for m in members if wd(m)), len(mentions)),
            "members_from_2008": len(recent),
            "members_from_2008_tk_id": share(sum(tk(m) for m in recent), len(recent)),
            "ministers_tk_or_wikidata": ministers["share"],
            "minister_mentions_reconciled": ministers["mention_share"],
        },
        "not_reconciled": unmatched,
        "not_in_reconciliation_table": sorted(u["member"] for u in unmatched),
        "ministers_not_reconciled": ministers["unmatched"],
        "ambiguities": problems,
    }
    return out


def _link_ministers(publications: Sequence[LinkRecord], iris: IriMinter, out: LinkOutput, reconcile: bool) -> dict[str, Any]:
    """Ministers and state secretaries: reconciled where the tables allow,
    one node per person, each office held with the dates it was seen; an
    addressee (a zaak's GerichtAan) also gets the office of its term at the
    date, where the terms give it."""
    signers = _signers(publications)
    by_prov: dict[URIRef, list[tuple[Signer, Match | None]]] = defaultdict(list)
    for s in signers:
        match = None
        if s.tk_persoon_id and s.tk_persoon_id in directory().persons:
            match = Match(directory().persons[s.tk_persoon_id])
        elif reconcile:
            match = _minister_cached(display_surname(s.achternaam), s.office, s.date, s.initialen, s.full_name)
        by_prov[iris.bewindspersoon(s.achternaam, s.initialen if s.role == "addressee" else None)].append((s, match))
    held: dict[tuple[URIRef, str], list[dt.date]] = defaultdict(list)
    unmatched: list[dict[str, Any]] = []
    persons: set[URIRef] = set()
    reconciled_mentions = 0
    reconciled_persons: set[URIRef] = set()
    for prov, items in sorted(by_prov.items()):
        found = {id(m.person): m.person for _, m in items if m is not None and m.person is not None}
        node = prov
        ident = None
        if len(found) == 1:
            (person,) = found.values()
            ident = identity_of_person(person)
            node = iris.bewindspersoon_key(ident.key)
            out.renames[prov] = node
            for t in identity_triples(node, ident, iris):
                out.add(GLOBAL, t)
            reconciled_persons.add(node)
            reconciled_mentions += len(items)
            if any(s.role == "answerer" for s, _ in items):  # an IRI of the scheme before issue 8
                out.add(GLOBAL, (prov, OWL.sameAs, node))
        else:
            first = next((m for _, m in items if m is not None), None)
            unmatched.append({
                "bewindspersoon": items[0][0].achternaam,
                "iri": str(prov),
                "mentions": len(items),
                "reason": (f"mentions fit {len(found)} persons" if len(found) > 1 else (first.reason if first else "reconciliation off")),
                **({"candidates": list(first.candidates)} if first is not None and first.candidates and len(found) <= 1 else {}),
            })
        persons.add(node)
        for s, m in items:
            label = s.office
            if s.role == "addressee" and m is not None and m.person is not None and s.date:
                # The office at the date where the terms give it; else none.
                # A deputy prime minister holds a ministry too: that is the office asked.
                terms = [t for t in m.person.termijnen if _term_in(t, s.date) and t.titel != "Viceminister-president"]
                if len(terms) == 1:
                    label = office_label(terms[0])
                    a = iris.ambt(label)
                    out.add(s.publication, (iris.publication(s.publication), KV.gerichtAan, a), (a, RDF.type, KV.Ambt), (a, RDFS.label, Literal(label)))
                    titel, _, rest = label.partition(" ")
                    out.add(s.publication, (a, KV.titel, Literal(titel)))
                    voorzetsel, _, portefeuille = rest.partition(" ")
                    if portefeuille:
                        out.add(s.publication, (a, KV.portefeuille, Literal(portefeuille)))
                        if voorzetsel == "voor":
                            out.add(s.publication, (a, KV.zonderPortefeuille, Literal(True)))
            if label and s.date:
                # An answerer's office as printed; an addressee's from the terms at the date.
                held[(node, label)].append(s.date)
    for (node, label), dates in sorted(held.items()):
        av = iris.ambtsvervulling(str(node).rsplit("/", 1)[-1], label)
        out.add(
            GLOBAL,
            (node, KV.ambtsvervulling, av),
            (av, RDF.type, KV.Ambtsvervulling),
            (av, KV.ambt, iris.ambt(label)),
            (av, KV.eersteVermelding, Literal(min(dates), datatype=XSD.date)),
            (av, KV.laatsteVermelding, Literal(max(dates), datatype=XSD.date)),
        )
    return {
        "persons": len(persons),
        "share": round(len(reconciled_persons) / len(persons), 4) if persons else None,
        "mention_share": round(reconciled_mentions / len(signers), 4) if signers else None,
        "unmatched": unmatched,
    }


def _term_in(t: Term, on: dt.date) -> bool:
    return (t.van is None or t.van <= on) and (t.tot is None or on <= t.tot)
