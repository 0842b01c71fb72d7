"""Which publications a generated set holds, and how they hang together.

A set is planned as zaken (real written questions drawn from the shipped
table) grouped in threads: a thread is one member's questions in date order,
each a follow-up of the one before, so that its publications cite an earlier
Aanhangsel or question publication of the set. Most threads are one zaak
long (most publications cite no earlier question); some run 2-4, a few
5-15. A zaak yields up to three publications: the question-only publication
(kv-tk), a delay notice and the answer (both Aanhangsel). Dates follow the
real rhythm: the notice about three weeks after submission, the answer on
time (within 21 days) or late.

Everything here is decided by one ``random.Random(seed)``, so that a seed
gives one plan; the text itself is written later (kg/synth/compose.py).
"""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from kg.synth.table import Asker, Bewindspersoon, Table, rows, table

KINDS = ("vragen", "mededeling", "antwoord")  # the order a zaak's publications appear in


@dataclass(frozen=True)
class Layout:
    name: str
    kind: str
    weight: float
    suffix: str
    description: str


def layouts() -> dict[str, Layout]:
    return {
        r["layout"]: Layout(r["layout"], r["kind"], float(r["weight"]), r["suffix"], r["description"])
        for r in rows("layouts.csv")
    }


@dataclass
class Zaak:
    nummer: str
    ingezonden: dt.date
    askers: tuple[Asker, ...]
    bewindspersonen: tuple[Bewindspersoon, ...]
    onderwerp: str
    key: str  # seeds the zaak's text, so that its publications print the same questions
    follows: Pub | None = None  # the earlier publication this zaak's questions cite
    follow_scheme: str = ""  # how they cite it: "ah-footnote", "ah-text", "kv-toelichting"
    follows_too: Pub | None = None  # an answer before that one, cited with it ("nrs. 1268 en 1974")
    pubs: list[Pub] = field(default_factory=list)
    onderwerp_cites: tuple[str, ...] = ()  # what the subject itself cites


@dataclass
class Pub:
    kind: str  # vragen, mededeling, antwoord
    layout: str
    zaak: Zaak
    date: dt.date  # published (vragen) or received (mededeling, antwoord)
    order: int  # position in the plan
    vergaderjaar: str = ""  # "2024-2025"
    nummer: int | None = None  # Aanhangsel number
    notice: Pub | None = None  # an answer's earlier delay notice ("Zie ook")

    @property
    def identifier(self) -> str:
        if self.kind == "vragen":
            return f"kv-tk-{self.zaak.nummer}"
        return f"ah-tk-{self.vergaderjaar.replace('-', '')}-{self.nummer}"


def vergaderjaar_of(date: dt.date) -> str:
    """The parliamentary year opens on Prinsjesdag, the third Tuesday of September."""
    first = dt.date(date.year, 9, 1)
    prinsjesdag = first + dt.timedelta(days=(1 - first.weekday()) % 7 + 14)
    start = date.year if date >= prinsjesdag else date.year - 1
    return f"{start}-{start + 1}"


# GroenLinks and the PvdA sit as one group since the election of 22 November 2023.
_MERGED = {"GroenLinks", "PvdA"}
_MERGER = dt.date(2023, 12, 6)


def _party_on(asker: Asker, date: dt.date) -> Asker:
    if asker.fractie in _MERGED and date >= _MERGER:
        return Asker(asker.achternaam, asker.voornaam, "GroenLinks-PvdA")
    return asker


class Planner:
    def __init__(self, n: int, seed: int, layout_names: list[str] | None = None, variants: frozenset[str] = frozenset()) -> None:
        self.n = n
        # Zaken whose subject trips the parser are drawn only when asked for.
        self.skip = (frozenset() if "subject-headwords" in variants else table().headwords) | (
            frozenset() if "subject-citations" in variants else table().citing
        )
        self.rng = random.Random(seed)
        self.table: Table = table()
        all_layouts = layouts()
        chosen = layout_names or [name for name, lay in all_layouts.items() if lay.weight > 0]
        self.layouts = [all_layouts[name] for name in chosen]
        weight = {k: sum(lay.weight for lay in self.layouts if lay.kind == k) for k in KINDS}
        top = max(weight.values())
        # Each zaak gets a publication of a kind with probability weight/top,
        # so that the kinds come out in the proportions of their weights.
        self.p_kind = {k: weight[k] / top for k in KINDS}
        self.by_kind = {k: [lay for lay in self.layouts if lay.kind == k] for k in KINDS}
        self.used_numbers: set[str] = set()
        self.used_rows: set[int] = set()
        self.pubs: list[Pub] = []
        self.zaken: list[Zaak] = []

    # ------------------------------------------------------------ zaken
    def _zaak_number(self, row_nummer: str, date: dt.date) -> str:
        if row_nummer not in self.used_numbers and row_nummer[:4] == str(date.year):
            self.used_numbers.add(row_nummer)
            return row_nummer
        # A reused zaak, or one moved to another year: a fresh number of its year.
        nr = self.rng.randint(20000, 99999)
        while f"{date.year}Z{nr:05d}" in self.used_numbers:
            nr = nr + 1 if nr < 99999 else 10000
        number = f"{date.year}Z{nr:05d}"
        self.used_numbers.add(number)
        return number

    def _zaak(self, row_index: int, earliest: dt.date | None) -> Zaak:
        row = self.table.zaken[row_index]
        date = row.ingezonden
        if earliest is not None and date <= earliest:
            date = earliest + dt.timedelta(days=self.rng.randint(1, 45))
        self.used_rows.add(row_index)
        askers = tuple(_party_on(self.table.askers[i], date) for i in row.askers)
        people = tuple(self.table.bewindspersonen[i] for i in row.bewindspersonen)
        nummer = self._zaak_number(row.nummer if date.year == row.ingezonden.year else "", date)
        return Zaak(nummer, date, askers, people, row.onderwerp, key=f"{nummer}/{row_index}",
                    onderwerp_cites=row.onderwerp_cites or ())

    def _pick_layout(self, kind: str) -> str:
        options = self.by_kind[kind]
        return self.rng.choices([lay.name for lay in options], weights=[lay.weight for lay in options])[0]

    def _publications(self, zaak: Zaak, room: int) -> None:
        rng = self.rng
        kinds = [k for k in KINDS if self.by_kind[k] and rng.random() < self.p_kind[k]]
        if not kinds:
            kinds = [max(KINDS, key=lambda k: self.p_kind[k])]
        while len(kinds) > max(1, room):
            kinds.pop(0)  # keep the answer, the publication a follow-up cites
        notice: Pub | None = None
        for kind in kinds:
            if kind == "vragen":
                date = zaak.ingezonden + dt.timedelta(days=rng.randint(1, 6))
            elif kind == "mededeling":
                date = zaak.ingezonden + dt.timedelta(days=rng.randint(17, 28))
            elif notice is not None:
                date = notice.date + dt.timedelta(days=rng.randint(5, 70))
            elif rng.random() < 0.3:
                date = zaak.ingezonden + dt.timedelta(days=rng.randint(8, 21))  # on time
            else:
                date = zaak.ingezonden + dt.timedelta(days=rng.randint(22, 110))  # late
            pub = Pub(kind, self._pick_layout(kind), zaak, date, len(self.pubs))
            if kind == "mededeling":
                notice = pub
            if kind == "antwoord" and notice is not None:
                pub.notice = notice
            pub.vergaderjaar = vergaderjaar_of(date)
            zaak.pubs.append(pub)
            self.pubs.append(pub)

    def _thread_length(self, first: bool) -> int:
        """How many publications a thread should hold: most one zaak's, some
        2-4, a few 5-15 (the first thread of a set of some size is long,
        so that every such set shows one)."""
        if first and self.n >= 40:
            return self.rng.randint(5, 15)
        r = self.rng.random()
        if r < 0.86:
            return 1
        if r < 0.97:
            return self.rng.randint(2, 4)
        return self.rng.randint(5, 15)

    def _thread_rows(self, length: int) -> list[int]:
        """One member's zaken in date order, from a random one on: the rows a
        thread of follow-up questions is made of."""
        zaken = self.table.zaken
        for _ in range(50):
            start = self.rng.randrange(len(zaken))
            if start in self.skip:
                continue
            own = [i for i in self.table.by_asker[zaken[start].askers[0]] if i not in self.skip]
            if len(own) >= length:
                break
        pos = own.index(start)
        picked = own[pos : pos + length]
        if len(picked) < length:
            picked = own[max(0, len(own) - length) :]
        return picked

    def plan(self) -> list[Pub]:
        first = True
        while len(self.pubs) < self.n:
            length = self._thread_length(first)
            first = False
            previous: Zaak | None = None
            count = 0
            for row_index in self._thread_rows(length):
                if len(self.pubs) >= self.n or count >= length:
                    break
                target = self._target(previous) if previous is not None else None
                zaak = self._zaak(row_index, target.date if target is not None else None)
                if target is not None:
                    zaak.follows = target
                    zaak.follow_scheme = self._scheme(target)
                    before_that = previous.follows if previous is not None else None
                    if (zaak.follow_scheme.startswith("ah") and before_that is not None and before_that.kind == "antwoord"
                            and target.kind == "antwoord" and before_that.vergaderjaar == target.vergaderjaar
                            and self.rng.random() < 0.3):
                        zaak.follows_too = before_that
                before = len(self.pubs)
                # A zaak alone publishes all it has (its questions, notice and
                # answer); in a longer thread the last zaak only what still fits.
                self._publications(zaak, room=3 if length == 1 else length - count)
                count += len(self.pubs) - before
                self.zaken.append(zaak)
                previous = zaak
        del self.pubs[self.n :]
        for zaak in self.zaken:
            zaak.pubs = [p for p in zaak.pubs if p.order < self.n]
        self._number()
        return self.pubs

    def _target(self, previous: Zaak) -> Pub | None:
        """The publication of the previous zaak a follow-up cites: mostly its
        answer when there is one, else its notice or question publication."""
        kept = [p for p in previous.pubs if p.order < self.n]
        order = ("antwoord", "mededeling", "vragen") if self.rng.random() < 0.8 else ("vragen", "antwoord", "mededeling")
        for kind in order:
            for p in kept:
                if p.kind == kind:
                    return p
        return None

    def _scheme(self, target: Pub) -> str:
        if target.kind == "vragen":
            return "kv-toelichting"
        return self.rng.choice(("ah-footnote", "ah-footnote", "ah-text"))

    def _number(self) -> None:
        """Aanhangsel numbers per parliamentary year in the order received; a
        set is a sample of the archive, so the numbers leave gaps."""
        by_year: dict[str, list[Pub]] = {}
        for p in self.pubs:
            if p.kind != "vragen":
                by_year.setdefault(p.vergaderjaar, []).append(p)
        for year in sorted(by_year):
            nr = self.rng.randint(1, 40)
            for p in sorted(by_year[year], key=lambda p: (p.date, p.order)):
                p.nummer = nr
                nr += self.rng.randint(1, 3)


def plan(n: int, seed: int, layout_names: list[str] | None = None, variants: frozenset[str] = frozenset()) -> list[Pub]:
    """The publications of a generated set, in plan order."""
    return Planner(n, seed, layout_names, variants).plan()
