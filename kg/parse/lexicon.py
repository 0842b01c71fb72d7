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


_NOT_FOLDED = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Comparison key: accents, case, punctuation and spacing ignored."""
    if text.isascii():
        # No accents to take off: NFKD leaves ASCII as it is.
        return _NOT_FOLDED.sub("", text.lower())
    s = unicodedata.normalize("NFKD", text)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return _NOT_FOLDED.sub("", s)


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


@lru_cache(maxsize=1)
def _longest_portefeuille() -> int:
    return max(len(p.naam) for p in portefeuilles().values())


def known_portefeuille(text: str) -> Portefeuille | None:
    # A text far longer than any portfolio is none; folding it would only
    # cost time (and, tried at every split of a long text, quadratic time).
    if len(text) > 2 * _longest_portefeuille() + 20:
        return None
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


def tolerant(phrase: str) -> str:
    """Regex for a printed phrase that survives PDF extraction: the space
    between two words may be lost ("SocialeZaken") or doubled, a line-break
    hyphen may be left inside a word ("Volksgezond-heid"), and the first
    letter of each word may be either case ("de minister van sociale zaken")."""
    words = []
    for word in phrase.split():
        first, rest = word[0], word[1:]
        head = f"[{first.upper()}{first.lower()}]" if first.isalpha() else re.escape(first)
        # a hyphen may be left between two letters, never before punctuation
        body = "".join((r"-?" if c.isalpha() and i > 0 else "") + re.escape(c) for i, c in enumerate(rest, start=1))
        words.append(head + body)
    return r"[\s\-]*".join(words)


@lru_cache(maxsize=1)
def portefeuille_pattern() -> str:
    """Regex alternation of every known portfolio name, tolerant of lost
    spaces and left hyphens (see ``tolerant``), longest first so that
    "Economische Zaken en Klimaat" wins over "Economische Zaken"."""
    names = sorted({p.naam for p in portefeuilles().values()}, key=len, reverse=True)
    return "|".join(tolerant(n) for n in names)


@lru_cache(maxsize=1)
def kopwoorden() -> dict[str, tuple[str, ...]]:
    """Fixed words of the header and of notices by their role (kopwoorden.csv):
    the words that open a subject, honorifics before a signer's name, ..."""
    out: dict[str, list[str]] = {}
    for row in _rows("kopwoorden.csv"):
        out.setdefault(row["rol"], []).append(row["woord"])
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in out.items()}
