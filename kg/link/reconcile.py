"""Who a printed name is: members, ministers and parties matched to the
Tweede Kamer's Persoon records, Wikidata and Parlement.com.

The tables in ``data/`` are derived by ``scripts/derive_link_tables.py`` from
the Tweede Kamer's Persoon records and the openkamer fixtures (memberships
and minister terms up to December 2019). A printed name is matched on:

- the surname with its prefix, folded (accents, case, spaces, hyphens and
  dashes aside: "Van der Plas" = "van der Plas", "Yeşilgöz – Zegerius" =
  "Yeşilgöz-Zegerius");
- the first name or initials where printed;
- the dates the person sat: a Tweede Kamer membership spanning the
  publication's date where the tables know the memberships, and alive and of
  age at that date (the birth date keeps namesakes of other generations
  apart);
- the party where printed: a person whose known parties do not include it is
  left out (up to 2019, where the party data ends);
- for a minister or state secretary, a term spanning the date.

What is left must be one person. Otherwise nothing is matched, and the
candidates are reported: never a guess.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from kg.iris import slug
from kg.tables import csv_rows

# openkamer's memberships and terms end here; after it, party and
# membership data say nothing.
DATA_UNTIL = dt.date(2019, 12, 9)
# A question may be published a little after its asker left (the answer's
# date), and a membership's first day may precede the printed date.
AFTER_LEAVING = dt.timedelta(days=120)
BEFORE_JOINING = dt.timedelta(days=7)
OF_AGE = 18

# Ranks from the tables' functie: a current member before a former one.
TK_FUNCTIES = ("Tweede Kamerlid", "Oud Kamerlid")


def fold(text: str) -> str:
    """Compare names without accents, case, spaces, hyphens or dashes."""
    return slug(text).replace("-", "")


def _date(s: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(s) if s else None
    except ValueError:
        return None


def initials_of(text: str) -> str:
    """"J.J." / "JJ" / "Th.C." -> "JJ" / "JJ" / "TC": the capitals."""
    return "".join(c for c in text if c.isupper())


def looks_like_initials(text: str) -> bool:
    """"J.J.", "Th.C.", "EMH" are initials; "Inge" is a first name."""
    t = text.strip()
    return "." in t or (t.isalpha() and t.isupper() and len(t) <= 6)


@dataclass
class Person:
    id: str
    tk_id: str | None
    wikidata: str | None
    parlement_com: str | None
    achternaam: str
    tussenvoegsel: str
    initialen: str
    roepnaam: str
    geboren: dt.date | None
    overleden: dt.date | None
    functie: str
    kamer: list[tuple[dt.date | None, dt.date | None]] = field(default_factory=list)
    partijen: list[tuple[str, dt.date | None, dt.date | None]] = field(default_factory=list)
    termijnen: list["Term"] = field(default_factory=list)

    @property
    def full_surname(self) -> str:
        """The surname as printed at the start of a sentence: "Van der Plas"."""
        name = f"{self.tussenvoegsel} {self.achternaam}".strip()
        return name[:1].upper() + name[1:]

    def describe(self) -> dict[str, str | None]:
        return {
            "id": self.id,
            "name": f"{self.roepnaam or self.initialen} {self.tussenvoegsel} {self.achternaam}".replace("  ", " ").strip(),
            "initialen": self.initialen,
            "geboren": self.geboren.isoformat() if self.geboren else None,
            "parties": sorted({p for p, _, _ in self.partijen}) or None,
        }


@dataclass(frozen=True)
class Term:
    titel: str
    ministerie: str
    portefeuille: str
    kabinet: str
    van: dt.date | None
    tot: dt.date | None


@dataclass
class Directory:
    persons: dict[str, Person]
    by_surname: dict[str, list[Person]]
    by_fullname: dict[str, list[Person]]
    party_wikidata: dict[str, str]


def _data(name: str) -> str:
    return resources.files("kg.link").joinpath("data", name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def directory() -> Directory:
    """The shipped tables, loaded once per process."""
    persons: dict[str, Person] = {}
    for r in csv_rows(_data("personen.csv")):
        persons[r["id"]] = Person(
            r["id"], r["tk_id"] or None, r["wikidata"] or None, r["parlement_com"] or None, r["achternaam"],
            r["tussenvoegsel"], r["initialen"], r["roepnaam"], _date(r["geboortedatum"]), _date(r["overlijdensdatum"]), r["functie"],
        )
    for r in csv_rows(_data("kamerlidmaatschappen.csv")):
        if r["id"] in persons:
            persons[r["id"]].kamer.append((_date(r["van"]), _date(r["tot"])))
    for r in csv_rows(_data("partijlidmaatschappen.csv")):
        if r["id"] in persons:
            persons[r["id"]].partijen.append((r["fractie"], _date(r["van"]), _date(r["tot"])))
    for r in csv_rows(_data("ambtstermijnen.csv")):
        if r["id"] in persons:
            persons[r["id"]].termijnen.append(
                Term(r["titel"], r["ministerie"], r["portefeuille"], r["kabinet"], _date(r["van"]), _date(r["tot"]))
            )
    by_surname: dict[str, list[Person]] = defaultdict(list)
    by_fullname: dict[str, list[Person]] = defaultdict(list)
    for p in persons.values():
        by_surname[fold(p.tussenvoegsel + p.achternaam)].append(p)
        for first in {p.roepnaam, *(p.roepnaam.split()[:1])} - {""}:
            by_fullname[fold(f"{first} {p.tussenvoegsel} {p.achternaam}")].append(p)
    party_wikidata = {r["fractie"]: r["wikidata"] for r in csv_rows(_data("partijen.csv")) if r["wikidata"]}
    return Directory(persons, dict(by_surname), dict(by_fullname), party_wikidata)


@dataclass(frozen=True)
class Match:
    person: Person | None
    reason: str = ""  # why nothing was matched
    candidates: tuple[dict, ...] = ()


def _alive_and_of_age(p: Person, on: dt.date | None) -> bool:
    if on is None:
        return True
    if p.geboren and (on - p.geboren).days < OF_AGE * 365:
        return False
    return not (p.overleden and p.overleden < on)


def _sat_on(p: Person, on: dt.date) -> bool | None:
    """True/False where the tables know the memberships at that date, None where they cannot say."""
    if on > DATA_UNTIL + AFTER_LEAVING:
        return None
    if not p.kamer:
        # No memberships in the tables: they cannot say. From 2007 on openkamer
        # lists nearly every seat (147-149 of 150 at any date), so a candidate
        # with a membership spanning the date is preferred (match_member), but
        # one without data is not excluded (openkamer misses a few brief
        # members, such as Mathieu Heemelaar in 2012).
        return None
    return any((van is None or van - BEFORE_JOINING <= on) and (tot is None or on <= tot + AFTER_LEAVING) for van, tot in p.kamer)


def _first_name_fits(p: Person, voornaam: str | None, initialen: str | None) -> bool:
    inits = initials_of(initialen or "") or (initials_of(voornaam) if voornaam and looks_like_initials(voornaam) else "")
    mine = initials_of(p.initialen) or initials_of(p.roepnaam[:1])
    if inits and mine and not (mine.startswith(inits) or inits.startswith(mine)):
        return False
    if voornaam and not looks_like_initials(voornaam):
        first = fold(voornaam)
        if p.roepnaam and fold(p.roepnaam.split()[0]) != first and fold(p.roepnaam) != first:
            # A first name that is not the call name: its initial must at least fit.
            return bool(mine) and mine[0] == voornaam[0].upper()
    return True


def _party_fits(p: Person, party: str | None, on: dt.date | None, successors: dict[str, str]) -> bool | None:
    if not party or not p.partijen:
        return None
    known = {f for f, _, _ in p.partijen}
    # GroenLinks and the PvdA continued as GroenLinks-PvdA.
    known |= {successors[f] for f in known if f in successors}
    return party in known


def _narrow(cands: list[Person], test) -> list[Person]:
    """Keep those that pass ``test`` when some do; a None (cannot say) passes."""
    passing = [c for c in cands if test(c) is not False]
    return passing


def _prefer(cands: list[Person], test) -> list[Person]:
    """Keep those for which ``test`` is True, if any is."""
    best = [c for c in cands if test(c) is True]
    return best or cands


def match_member(
    surname: str,
    *,
    voornaam: str | None = None,
    initialen: str | None = None,
    party: str | None = None,
    on: dt.date | None = None,
    successors: dict[str, str] | None = None,
    full_name: str | None = None,
) -> Match:
    """The one person a printed member's name can be, or why not."""
    cands = _by_name(surname, full_name)
    if not cands:
        return Match(None, "no Persoon of this surname")
    cands = [c for c in cands if _alive_and_of_age(c, on)]
    if not cands:
        return Match(None, "no Persoon of this surname alive and of age at the date")
    cands = [c for c in cands if _first_name_fits(c, voornaam, initialen)]
    if not cands:
        return Match(None, "no Persoon of this surname with these initials or first name")
    if on is not None:
        cands = _narrow(cands, lambda c: _sat_on(c, on))
        if not cands:
            return Match(None, "no Persoon of this surname sat in the Tweede Kamer at the date")
    succ = successors or {}
    if on is not None and on <= DATA_UNTIL:
        cands = _narrow(cands, lambda c: _party_fits(c, party, on, succ))
        if not cands:
            return Match(None, f"no Persoon of this surname sat for {party}")
    # Preferences among what is left: evidence of sitting at the date, then
    # the party, then a member of the Tweede Kamer over one of the Eerste.
    if on is not None:
        cands = _prefer(cands, lambda c: _sat_on(c, on))
    cands = _prefer(cands, lambda c: _party_fits(c, party, on, succ))
    # After the party data ends a member may have changed party (Omtzigt, CDA
    # then NSC), so a party the data does not know is no proof; but one whose
    # data contradicts the party gives way to one it does not contradict.
    cands = _prefer(cands, lambda c: _party_fits(c, party, on, succ) is not False)
    cands = _prefer(cands, lambda c: c.functie in TK_FUNCTIES or bool(c.kamer))
    if on is not None and on > DATA_UNTIL:
        # After the membership data ends: a sitting member, or one who sat until its end.
        cands = _prefer(cands, lambda c: c.functie == "Tweede Kamerlid" or any(t is None for _, t in c.kamer))
    if len(cands) == 1:
        return Match(cands[0])
    return Match(None, f"{len(cands)} Personen fit", tuple(c.describe() for c in sorted(cands, key=lambda c: c.id)))


def _term_fits(t: Term, on: dt.date) -> bool:
    return (t.van is None or t.van - BEFORE_JOINING <= on) and (t.tot is None or on <= t.tot + dt.timedelta(days=31))


def _by_name(surname: str, full_name: str | None) -> list[Person]:
    """Candidates by name: the whole name as the Tweede Kamer's data writes
    it ("Kees Verhoeven") where given and known, else the surname, else the
    whole name read as a surname ("Hirsch Ballin")."""
    d = directory()
    if full_name:
        cands = d.by_fullname.get(fold(full_name))
        if cands:
            return list(cands)
    cands = d.by_surname.get(fold(surname))
    if not cands and full_name:
        cands = d.by_surname.get(fold(full_name))
    return list(cands or ())


def match_minister(
    surname: str, *, on: dt.date | None, office: str | None = None, initialen: str | None = None, full_name: str | None = None
) -> Match:
    """A minister or state secretary: by a term spanning the date (up to
    2019), else by the Persoon records of those who sat in the Kamer."""
    cands = [c for c in _by_name(surname, full_name) if _alive_and_of_age(c, on) and _first_name_fits(c, None, initialen)]
    if not cands:
        return Match(None, "no person of this surname in the tables")
    if on is not None and on <= DATA_UNTIL + dt.timedelta(days=31):
        in_office = [c for c in cands if any(_term_fits(t, on) for t in c.termijnen)]
        if len(in_office) == 1:
            return Match(in_office[0])
        if len(in_office) > 1:
            if office:
                words = set(fold(w) for w in office.split() if len(w) > 3)
                by_office = [c for c in in_office if any(_term_fits(t, on) and words & {fold(w) for w in t.ministerie.split()} for t in c.termijnen)]
                if len(by_office) == 1:
                    return Match(by_office[0])
            return Match(None, f"{len(in_office)} persons of this surname in office", tuple(c.describe() for c in in_office))
    # No term known at the date: a former or sitting member of the Kamer
    # (many ministers were), if exactly one of the surname fits.
    members = [c for c in cands if c.functie in TK_FUNCTIES or c.kamer or c.termijnen]
    if on is not None:
        members = [c for c in members if not (c.geboren and (on - c.geboren).days > 85 * 365)]
    if len(members) == 1:
        return Match(members[0])
    if not members:
        return Match(None, "no term at the date and no Persoon of this surname")
    return Match(None, f"{len(members)} persons of this surname, no term at the date", tuple(c.describe() for c in sorted(members, key=lambda c: c.id)))
