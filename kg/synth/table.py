"""The real metadata kg synth draws from: the table shipped in
kg/synth/data/zaken.tsv.xz (derived by scripts/derive_synth_table.py from the
Tweede Kamer's 42,994 written questions) and the small CSV tables beside it."""
from __future__ import annotations

import datetime as dt
import hashlib
import lzma
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from kg.errors import KgError
from kg.tables import csv_rows


class SynthDataError(KgError):
    """The generator's shipped data is missing or unreadable."""


@dataclass(frozen=True)
class Asker:
    achternaam: str  # as printed at the start of a name: "Van der Lee"
    voornaam: str
    fractie: str  # as printed: "GroenLinks", "VVD"


@dataclass(frozen=True)
class Bewindspersoon:
    achternaam: str
    titel: str  # Minister, Staatssecretaris, Minister-president
    voorzetsel: str  # van, voor
    portefeuille: str  # as the parser's lexicon names it


@dataclass(frozen=True)
class ZaakRow:
    nummer: str  # "2015Z23117"
    ingezonden: dt.date
    askers: tuple[int, ...]  # indexes into Table.askers; the first is the indiener
    bewindspersonen: tuple[int, ...]  # indexes into Table.bewindspersonen
    onderwerp: str
    # Identifiers the subject itself cites (read by hand); None when the
    # subject cites nothing. The "subject-citations" variant.
    onderwerp_cites: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Table:
    askers: tuple[Asker, ...]
    bewindspersonen: tuple[Bewindspersoon, ...]
    zaken: tuple[ZaakRow, ...]
    by_asker: dict[int, tuple[int, ...]]  # first asker -> zaak row indexes in date order
    # Rows whose subject holds words of the header grammar ("het antwoord van
    # de minister op ...", "ingezonden"): the "subject-headwords" variant.
    headwords: frozenset[int]
    citing: frozenset[int]  # rows whose subject cites publications: the "subject-citations" variant


def _data(name: str) -> bytes:
    try:
        return resources.files("kg.synth").joinpath("data", name).read_bytes()
    except OSError as exc:
        raise SynthDataError(f"kg synth: shipped data file data/{name} cannot be read: {exc}") from exc


@lru_cache(maxsize=1)
def portfolios() -> dict[str, tuple[str, str]]:
    """Portfolio -> (voorzetsel, ministerie), from the parser's lexicon."""
    # Read beside the parser rather than through kg.parse, whose import
    # compiles the parser's grammar.
    text = resources.files("kg").joinpath("parse", "data", "portefeuilles.csv").read_text(encoding="utf-8")
    return {r["portefeuille"]: (r["voorzetsel"], r["ministerie"]) for r in csv_rows(text)}


def _stable_pick(key: str, options: list[str]) -> str:
    h = int.from_bytes(hashlib.sha256(key.encode()).digest()[:4], "big")
    return options[h % len(options)]


@lru_cache(maxsize=1)
def table() -> Table:
    text = lzma.decompress(_data("zaken.tsv.xz")).decode("utf-8")
    section = ""
    askers: list[Asker] = []
    people: list[Bewindspersoon] = []
    zaken: list[ZaakRow] = []
    lexicon = portfolios()
    # Ministries (voorzetsel "van") a minister of unknown office is given,
    # fixed per name, so that the generated offices stay in the lexicon.
    ministries = sorted(p for p, (vz, _) in lexicon.items() if vz == "van" and p != "Algemene Zaken")
    for line in text.split("\n"):
        if not line:
            continue
        if line.startswith("#"):
            section = line[1:]
            continue
        f = line.split("\t")
        if section == "people":
            askers.append(Asker(f[1], f[2], f[3]))
        elif section == "offices":
            surname, titel, portfolio = f[1], f[2] or "Minister", f[3]
            if portfolio not in lexicon:
                portfolio = _stable_pick(surname, ministries)
            voorzetsel = "" if titel == "Minister-president" else lexicon[portfolio][0]
            people.append(Bewindspersoon(surname, titel, voorzetsel, portfolio))
        elif section == "zaken":
            zaken.append(
                ZaakRow(
                    f[0],
                    dt.date.fromisoformat(f[1]),
                    tuple(int(x) for x in f[2].split(",") if x),
                    tuple(int(x) for x in f[3].split(",") if x),
                    f[4],
                    None if len(f) < 6 or not f[5] else tuple(x for x in f[5].split("|") if x != "-"),
                )
            )
    if not zaken:
        raise SynthDataError("kg synth: the shipped table data/zaken.tsv.xz holds no zaken")
    by_asker: dict[int, list[int]] = {}
    for i, z in enumerate(zaken):
        by_asker.setdefault(z.askers[0], []).append(i)
    ordered = {a: tuple(sorted(ix, key=lambda i: (zaken[i].ingezonden, i))) for a, ix in by_asker.items()}
    headwords = frozenset(i for i, z in enumerate(zaken) if _HEADWORDS.search(z.onderwerp) and z.onderwerp_cites is None)
    citing = frozenset(i for i, z in enumerate(zaken) if z.onderwerp_cites is not None)
    return Table(tuple(askers), tuple(people), tuple(zaken), ordered, headwords, citing)


_HEADWORDS = re.compile(r"(?i)\b(?:antwoord|mededeling)\s+van\b|\bingezonden\b")


@lru_cache(maxsize=None)
def rows(name: str) -> tuple[dict[str, str], ...]:
    """A small CSV table of kg/synth/data."""
    return tuple(csv_rows(_data(name).decode("utf-8")))
