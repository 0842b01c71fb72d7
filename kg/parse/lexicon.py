"""Domain knowledge the parser applies, loaded from the CSV files in
``kg/parse/data`` (portfolios and their abbreviations, office titles, month
names). Editing those files changes what the parser recognises; no code
holds such lists."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from kg.tables import package_rows


def _rows(name: str) -> list[dict[str, str]]:
    return package_rows("kg.parse", "data", name)


def fold(text: str) -> str:
    """Comparison key: accents, case, punctuation and spacing ignored."""
    s = unicodedata.normalize("NFKD", text)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "", s)


@dataclass(frozen=True)
class Portefeuille:
    naam: str
    voorzetsel: str
    afkortingen: tuple[str, ...]
    ministerie: str | None


@lru_cache(maxsize=1)
def portefeuilles() -> dict[str, Portefeuille]:
    """Known portfolios by folded name and by abbreviation."""
    out: dict[str, Portefeuille] = {}
    for row in _rows("portefeuilles.csv"):
        p = Portefeuille(
            row["portefeuille"], row["voorzetsel"], tuple(a for a in row["afkortingen"].split("|") if a), row["ministerie"] or None
        )
        out[fold(p.naam)] = p
        for a in p.afkortingen:
            out.setdefault(fold(a), p)
    return out


def known_portefeuille(text: str) -> Portefeuille | None:
    return portefeuilles().get(fold(text))


@lru_cache(maxsize=1)
def titels() -> dict[str, str]:
    """Every spelling of an office title -> the singular written in the graph."""
    out: dict[str, str] = {}
    for row in _rows("titels.csv"):
        out[row["titel"]] = row["titel"]
        for s in row["spellingen"].split("|"):
            out[s] = row["titel"]
    return out


def titel_pattern() -> str:
    """Regex alternation of every title spelling, longest first."""
    return "|".join(re.escape(t) for t in sorted(titels(), key=len, reverse=True))


@lru_cache(maxsize=1)
def maanden() -> dict[str, int]:
    return {row["maand"]: int(row["nummer"]) for row in _rows("maanden.csv")}
