"""Every resolved citation checked against the official identifier registry.

The registry (``data/koop-parliamentary-ids.txt.xz``, 640,930 identifiers
officielebekendmakingen knew in early 2025; provenance in ``data/registry.json``) says
whether a cited publication exists. Each kv:Verwijzing gets:

- ``kv:registerstatus``: exists, does not exist, newer than the registry, or
  a scheme the registry does not cover (Staatscourant, Staatsblad, the
  Eerste Kamer's Aanhangsel): "unknown", never "false";
- ``kv:doelInRegister`` true/false where the registry covers the scheme;
- where the printed citation has an evident slip and exactly one existing
  publication fits, ``kv:voorgesteldeCorrectie`` with ``kv:correctiesoort``:
  proposed beside the printed ``kv:doel``, never put in its place. A year
  slip the parser already read away (``Citation.corrected_from``) keeps both
  readings: ``kv:gecorrigeerdVan`` (the mapping's) and ``kv:correctiesoort``.

Which slips are proposed was measured on real identifiers given simulated
slips (benchmarks/bench_registry.py): a vergaderjaar whose years do not
follow and two swapped adjacent digits are proposed; "one digit off" only
competes (proposing it too brought precision down from 0.79-1.0 to
0.52-0.76 in the Aanhangsel, zaak and Kamerstuk series) and is proposed in
``DIGIT_SCHEMES``, which is empty.
Every neighbour of every kind counts against uniqueness, and a neighbour
later than the citing document (a vergaderjaar not yet begun, a higher
number in the citing document's own series) does not fit.

The registry is held as its decompressed sorted text (one bytes object,
9.9 MB) and searched by binary search over byte offsets. Measured in fresh
processes against a set of str (74 MB held, 2-3 times the load time) and a
sorted list of str (46 MB held), it loads fastest (70-170 ms on this
2-core machine, all of it xz) in a fifth of the memory; a lookup costs
~10-25 us, which the few hundred lookups of a build never feel. The xz file
is recompressed with a 10 MiB dictionary so that decoding needs 13 MiB, not
65 MiB. It is loaded once per process, and only when a build has
citations.
"""
from __future__ import annotations

import datetime as dt
import json
import lzma
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from kg.errors import RegistryError
from kg.iris import IriMinter
from kg.link import LinkOutput

DATA_FILE = "koop-parliamentary-ids.txt.xz"
META_FILE = "registry.json"


class Status(str, Enum):
    """What the registry says about one identifier."""

    EXISTS = "exists"
    MISSING = "does not exist"
    NEWER = "newer than the registry"
    UNKNOWN = "scheme not in the registry"


class CorrectionKind(str, Enum):
    YEAR = "year"  # a vergaderjaar whose two years do not follow ("2022–2024")
    SWAP = "swap"  # two adjacent digits swapped
    DIGIT = "digit"  # one digit off in the number
    PARSER_YEAR = "parser-year"  # the parser read a malformed year ("2022–203") as the evident one


@dataclass(frozen=True)
class Candidate:
    identifier: str
    kind: CorrectionKind


# ---------------------------------------------------------------- schemes

# The identifier forms the registry covers, with the parts the checks need:
# ``year`` (a vergaderjaar YYYYYYYY or a calendar year YYYY), ``num`` (the
# running number whose maximum marks the registry's cut-off) and the series
# the number runs in. Anything else (stcrt-, stb-, ah-ek-, tk-...D...) is not
# covered: the registry cannot say it does not exist.
_SCHEMES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ah-tk", re.compile(r"^(?P<series>ah-tk-(?P<year>\d{8}))-(?P<num>\d+)(?:-[hn]\d+)?$")),
    ("ah", re.compile(r"^(?P<series>ah)-(?P<num>\d+)$")),
    ("kv-tk", re.compile(r"^(?P<series>kv-tk-(?P<year>\d{4})Z)(?P<num>\d{5})(?:-[hn]\d+)?$")),
    ("kv", re.compile(r"^(?P<series>kv)-(?P<num>\d+)$")),
    ("h", re.compile(r"^(?P<series>h-(?:tk|ek)-(?P<year>\d{8}))-(?P<num>\d+)(?:-[0-9A-Za-z]+){0,3}$")),
    ("kst", re.compile(r"^(?P<series>kst-(?P<dossier>\d+)(?:-[0-9A-Za-z]+)*?)-(?P<num>\d+)$")),
    # kst forms without a trailing number (kst-32500-V-C): membership only.
    ("kst", re.compile(r"^(?P<series>kst-(?P<dossier>\d+))(?:-[0-9A-Za-z]+)+$")),
    ("blg", re.compile(r"^(?P<series>blg)-(?P<num>\d+)$")),
)


# Schemes where "one digit off" is proposed at all (see Registry.proposal).
DIGIT_SCHEMES: frozenset[str] = frozenset()


def scheme_of(identifier: str) -> tuple[str, re.Match[str]] | None:
    """The covered scheme an identifier belongs to, with its parts; None when
    the registry does not cover it."""
    for name, pattern in _SCHEMES:
        m = pattern.match(identifier)
        if m:
            return name, m
    return None


def _year_start(year: str) -> dt.date:
    """First day a publication of this year can carry: a vergaderjaar starts
    in September (its third Tuesday; the 1st keeps the check lenient)."""
    if len(year) == 8:
        return dt.date(int(year[:4]), 9, 1)
    return dt.date(int(year), 1, 1)


# ---------------------------------------------------------------- registry


class Registry:
    """The sorted identifiers as one bytes object, searched by bisection."""

    def __init__(self, blob: bytes, cutoff: dt.date, meta: dict[str, Any] | None = None) -> None:
        if blob and not blob.endswith(b"\n"):
            blob += b"\n"
        self._blob = blob
        self.cutoff = cutoff
        self.meta = meta or {}
        self._series_max: dict[str, int | None] = {}
        self._last_year: dict[str, str | None] = {}
        self._kst_max_dossier: int | None = None
        # Binary search in the blob costs ~15 us a lookup in Python; an archive's
        # link stage makes millions (each missing citation tries ~100 slips).
        # Past SET_AFTER lookups the identifiers go into a set (~60 MB, 0.15 s).
        self._lookups = 0
        self._members: frozenset[str] | None = None

    # ------------------------------------------------------------ loading

    @classmethod
    def from_identifiers(cls, identifiers: Iterable[str], cutoff: dt.date) -> Registry:
        """A registry of the given identifiers (tests, a user's own list)."""
        lines = sorted({i.strip().encode("ascii") for i in identifiers if i.strip()})
        return cls(b"".join(line + b"\n" for line in lines), cutoff)

    @classmethod
    def load(cls, path: Path | None = None) -> Registry:
        """The shipped registry, or an xz file of sorted identifiers at ``path``."""
        try:
            meta = json.loads(resources.files("kg.link").joinpath("data", META_FILE).read_text(encoding="utf-8"))
            if path is None:
                compressed = resources.files("kg.link").joinpath("data", DATA_FILE).read_bytes()
            else:
                compressed = Path(path).read_bytes()
            blob = lzma.decompress(compressed)
        except (OSError, lzma.LZMAError, ValueError) as exc:
            raise RegistryError(f"the identifier registry could not be loaded: {exc}", path) from exc
        return cls(blob, dt.date.fromisoformat(meta["cutoff"]), meta)

    def __len__(self) -> int:
        return self._blob.count(b"\n")

    # ------------------------------------------------------------ lookups

    def _lower_bound(self, key: bytes) -> int:
        """Byte offset of the first line >= key (len(blob) when none)."""
        blob = self._blob
        lo, hi = 0, len(blob)  # both always line starts
        while lo < hi:
            mid = (lo + hi) // 2
            start = blob.rfind(b"\n", lo, mid) + 1 or lo
            end = blob.find(b"\n", start)
            if blob[start:end] < key:
                lo = end + 1
            else:
                hi = start
        return lo

    SET_AFTER = 20_000

    def _counted(self, lookups: int) -> frozenset[str] | None:
        """Count ``lookups``; the identifier set once SET_AFTER were made, else None."""
        if self._members is None:
            self._lookups += lookups
            if self._lookups > self.SET_AFTER:
                self._members = frozenset(self._blob.decode("ascii").split("\n")) - {""}
        return self._members

    def __contains__(self, identifier: object) -> bool:
        if not isinstance(identifier, str) or not identifier.isascii() or "\n" in identifier:
            return False
        members = self._counted(1)
        return identifier in members if members is not None else self._in_blob(identifier)

    def _in_blob(self, identifier: str) -> bool:
        key = identifier.encode("ascii")
        start = self._lower_bound(key)
        return self._blob[start : start + len(key) + 1] == key + b"\n"

    def with_prefix(self, prefix: str) -> list[str]:
        """Every identifier starting with ``prefix``, sorted."""
        key = prefix.encode("ascii")
        start = self._lower_bound(key)
        end = self._lower_bound(key[:-1] + bytes([key[-1] + 1])) if key else len(self._blob)
        return self._blob[start:end].decode("ascii").split()

    def series_max(self, series: str) -> int | None:
        """The highest running number of a series ("ah-tk-20242025", "kv-tk-2025Z", "kst-21501-02")."""
        if series not in self._series_max:
            nums = []
            for ident in self.with_prefix(series if series.endswith("Z") else series + "-"):
                found = scheme_of(ident)
                if found and found[1].group("series") == series and found[1].groupdict().get("num"):
                    nums.append(int(found[1].group("num")))
            self._series_max[series] = max(nums) if nums else None
        return self._series_max[series]

    def last_year(self, prefix: str) -> str | None:
        """The latest year of a dated scheme ("ah-tk-", "kv-tk-", "h-tk-"),
        from its last identifier in sort order (years are fixed width)."""
        if prefix not in self._last_year:
            key = prefix.encode("ascii")
            end = self._lower_bound(key[:-1] + bytes([key[-1] + 1]))
            start = self._blob.rfind(b"\n", 0, max(end - 1, 0)) + 1
            line = self._blob[start : end - 1].decode("ascii") if end else ""
            m = re.match(re.escape(prefix) + r"(\d{8}|\d{4})", line)
            self._last_year[prefix] = m.group(1) if m else None
        return self._last_year[prefix]

    def kst_max_dossier(self) -> int:
        if self._kst_max_dossier is None:
            # Five-digit dossiers are the running numbers; the eight-digit ones
            # are vergaderjaren (kst-20092010-...), the rest old or lettered.
            parts = (i.split("-", 2)[1] for i in self.with_prefix("kst-"))
            self._kst_max_dossier = max((int(d) for d in parts if len(d) == 5 and d.isdigit()), default=0)
        return self._kst_max_dossier

    # ------------------------------------------------------------ verdicts

    def status(self, identifier: str, cited_on: dt.date | None = None) -> Status:
        """Exists, does not exist, newer than the registry, or not covered.

        "Newer" is decided by the identifier's own year (and, within the
        registry's last year, its number beyond the last one listed); a
        Kamerstuk has no year, so it counts as newer only beyond the last
        dossier, or beyond its dossier's last number when the citing document
        is dated after the registry's cut-off. A citing document from before
        the cut-off cannot cite a publication the registry does not know yet.
        """
        found = scheme_of(identifier)
        if found is None:
            return Status.UNKNOWN
        if identifier in self:
            return Status.EXISTS
        if cited_on is not None and cited_on < self.cutoff:
            return Status.MISSING
        return Status.NEWER if self._beyond(*found, cited_on) else Status.MISSING

    def _beyond(self, scheme: str, m: re.Match[str], cited_on: dt.date | None) -> bool:
        groups = m.groupdict()
        series, num = groups["series"], groups.get("num")
        if scheme == "kst":
            dossier = groups["dossier"]
            if len(dossier) == 5 and int(dossier) > self.kst_max_dossier():
                return True
            if cited_on is None or num is None:
                return False
            top = self.series_max(series)
            return top is not None and int(num) > top
        year = groups.get("year")
        if year:
            prefix = series[: len(series) - len(year) - (1 if series.endswith("Z") else 0)]
            last = self.last_year(prefix)
            if last is None:
                return False
            if year > last:
                return True
            if year < last:
                return False
        top = self.series_max(series)
        return top is not None and num is not None and int(num) > top

    # ------------------------------------------------------------ corrections

    def candidates(self, identifier: str, cited_on: dt.date | None = None, citing: str | None = None) -> list[Candidate]:
        """Existing publications one evident slip away from ``identifier``:
        a vergaderjaar whose years do not follow each other, two swapped
        adjacent digits, one digit off in the running number. Candidates
        later than the citing document (``citing``, dated ``cited_on``) are
        not plausible and dropped: a later vergaderjaar or year, or a higher
        number in the citing document's own series."""
        found = scheme_of(identifier)
        if found is None:
            return []
        scheme, m = found
        variants: dict[str, CorrectionKind] = {}
        year = m.groupdict().get("year")
        if year and len(year) == 8 and int(year[4:]) != int(year[:4]) + 1:
            a, b = int(year[:4]), int(year[4:])
            for fixed in (f"{a}{a + 1}", f"{b - 1}{b}"):
                variants.setdefault(_replace(identifier, m.start("year"), m.end("year"), fixed), CorrectionKind.YEAR)
        for run in re.finditer(r"\d{2,}", identifier):
            digits = run.group()
            for i in range(len(digits) - 1):
                if digits[i] != digits[i + 1]:
                    swapped = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :]
                    variants.setdefault(_replace(identifier, run.start(), run.end(), swapped), CorrectionKind.SWAP)
        # One digit off anywhere (a dossier too): proposed only in
        # DIGIT_SCHEMES, but every such neighbour competes, so a reading is
        # proposed only when no other one fits.
        for run in re.finditer(r"\d+", identifier):
            digits = run.group()
            for i, d in enumerate(digits):
                for other in "0123456789":
                    # No new leading zero (kv-tk numbers are zero-padded, so theirs may change).
                    if other != d and not (i == 0 and other == "0" and len(digits) > 1 and scheme != "kv-tk"):
                        changed = digits[:i] + other + digits[i + 1 :]
                        variants.setdefault(_replace(identifier, run.start(), run.end(), changed), CorrectionKind.DIGIT)
        return self._existing(variants, cited_on, citing)

    def _existing(self, variants: dict[str, CorrectionKind], cited_on: dt.date | None, citing: str | None) -> list[Candidate]:
        out = []
        members = self._counted(len(variants))
        # frozenset.intersection walks its (small) argument; dict_keys & set would walk the whole set.
        present = members.intersection(variants) if members is not None else {i for i in variants if i in self}
        for ident, kind in variants.items():
            if ident in present and _plausible(ident, cited_on, citing):
                out.append(Candidate(ident, kind))
        return sorted(out, key=lambda c: c.identifier)

    def proposal(
        self,
        identifier: str,
        cited_on: dt.date | None = None,
        citing: str | None = None,
        digit_schemes: frozenset[str] | None = None,
    ) -> Candidate | None:
        """The candidate when exactly one publication fits any slip, and its
        slip is one we trust for the scheme; None otherwise.

        All three slips compete: a number one swap away from one publication
        and one digit away from another has no evident reading. "One digit
        off" is proposed only in ``digit_schemes`` (default
        ``DIGIT_SCHEMES``): in dense series (Aanhangsel numbers, zaak
        numbers, Kamerstukken) a lone one-digit neighbour was the wrong one
        more often than the right one (benchmarks/bench_registry.py).
        """
        found = self.candidates(identifier, cited_on, citing)
        if len(found) != 1:
            return None
        allowed = DIGIT_SCHEMES if digit_schemes is None else digit_schemes
        only = found[0]
        if only.kind == CorrectionKind.DIGIT and (scheme_of(identifier) or ("",))[0] not in allowed:
            return None
        return only


def _replace(text: str, start: int, end: int, new: str) -> str:
    return text[:start] + new + text[end:]


def _plausible(identifier: str, cited_on: dt.date | None, citing: str | None) -> bool:
    found = scheme_of(identifier)
    if found is None:
        return False
    parts = found[1].groupdict()
    if citing is not None and parts.get("num"):
        # Numbers run in publication order: a document cites only earlier ones.
        own = scheme_of(citing)
        own_num = own[1].groupdict().get("num") if own else None
        if own and own_num and own[1].group("series") == parts["series"] and int(parts["num"]) >= int(own_num):
            return False
    year = parts.get("year")
    if cited_on is None or not year:
        return True
    return _year_start(year) <= cited_on


@lru_cache(maxsize=1)
def default_registry() -> Registry:
    """The shipped registry, loaded once per process."""
    return Registry.load()


# ---------------------------------------------------------------- the linker

_STATUS_IRI = {
    Status.EXISTS: "RegisterBestaat",
    Status.MISSING: "RegisterBestaatNiet",
    Status.NEWER: "RegisterNieuwer",
    Status.UNKNOWN: "RegisterOnbekend",
}
_KIND_IRI = {
    CorrectionKind.YEAR: "CorrectieJaartal",
    CorrectionKind.SWAP: "CorrectieVerwisseldeCijfers",
    CorrectionKind.DIGIT: "CorrectieEenCijfer",
    CorrectionKind.PARSER_YEAR: "CorrectieJaartal",
}


def cited_on(pub: Any) -> dt.date | None:
    """The date a publication cites as of: its answer (or notice), else its questions."""
    return pub.ontvangen or pub.ingezonden


def link(publications: Sequence[Any], iris: IriMinter, registry: Registry | None = None) -> LinkOutput:
    """Check every citation of ``publications`` (link records, or
    Publications turned into records) against the registry."""
    from rdflib import Literal

    from kg.link.record import records

    publications = records(publications)

    from kg.vocab import KV, RDF

    out = LinkOutput()
    counts: Counter[str] = Counter()
    schemes_unknown: Counter[str] = Counter()
    missing: list[dict[str, Any]] = []
    newer: list[dict[str, Any]] = []
    corrections: list[dict[str, Any]] = []
    if not any(p.citations for p in publications):
        out.report = _report(None, counts, schemes_unknown, missing, newer, corrections)
        return out
    reg = registry or default_registry()
    for pub in publications:
        on = cited_on(pub)
        pid = pub.identifier
        for i, c in enumerate(pub.citations, start=1):
            r = iris.verwijzing(pid, i)
            status = reg.status(c.identifier, on)
            counts["citations"] += 1
            counts[status.name.lower()] += 1
            out.add(pid, (r, KV.registerstatus, KV[_STATUS_IRI[status]]))
            if status != Status.UNKNOWN:
                out.add(pid, (r, KV.doelInRegister, Literal(status == Status.EXISTS)))
            else:
                schemes_unknown[c.identifier.split("-")[0]] += 1
            entry = {"file": pub.source, "identifier": pid, "citation": c.citaat, "target": c.identifier}
            if c.corrected_from:
                counts["corrected_by_parser"] += 1
                out.add(pid, (r, KV.correctiesoort, KV[_KIND_IRI[CorrectionKind.PARSER_YEAR]]))
                corrections.append({**entry, "printed": c.corrected_from, "reading": c.identifier, "by": "parser", "kind": "year"})
            if status == Status.NEWER:
                newer.append(entry)
            elif status == Status.MISSING:
                proposal = reg.proposal(c.identifier, on, pid)
                missing.append({**entry, "proposed": proposal.identifier if proposal else None})
                message = f"citation {c.citaat!r} names {c.identifier}, which is not in the official registry"
                if proposal:
                    counts["correction_proposed"] += 1
                    target = iris.publication(proposal.identifier)
                    out.add(
                        pid,
                        (r, KV.voorgesteldeCorrectie, target),
                        (r, KV.correctiesoort, KV[_KIND_IRI[proposal.kind]]),
                        (target, RDF.type, KV.Document),
                        (target, KV.identificatie, Literal(proposal.identifier)),
                    )
                    corrections.append(
                        {**entry, "printed": c.identifier, "proposed": proposal.identifier, "by": "registry", "kind": proposal.kind.value}
                    )
                    message += f"; did it mean {proposal.identifier} ({_KIND_TEXT[proposal.kind]})?"
                out.warn(pid, message)
    out.report = _report(reg, counts, schemes_unknown, missing, newer, corrections)
    return out


_KIND_TEXT = {
    CorrectionKind.YEAR: "year typo",
    CorrectionKind.SWAP: "two digits swapped",
    CorrectionKind.DIGIT: "one digit off",
    CorrectionKind.PARSER_YEAR: "year typo",
}


def _report(
    reg: Registry | None,
    counts: Counter[str],
    schemes_unknown: Counter[str],
    missing: list[dict[str, Any]],
    newer: list[dict[str, Any]],
    corrections: list[dict[str, Any]],
) -> dict[str, Any]:
    return {
        "registry": None
        if reg is None
        else {"file": reg.meta.get("file", DATA_FILE), "identifiers": reg.meta.get("identifiers"), "cutoff": reg.cutoff.isoformat()},
        "counts": {
            "citations": counts["citations"],
            "exist": counts["exists"],
            "do_not_exist": counts["missing"],
            "unknown_scheme": counts["unknown"],
            "newer_than_registry": counts["newer"],
            "corrected_by_parser": counts["corrected_by_parser"],
            "correction_proposed": counts["correction_proposed"],
        },
        "unknown_schemes": dict(sorted(schemes_unknown.items())),
        "not_existing": missing,
        "newer_than_registry": newer,
        "corrections": corrections,
    }
