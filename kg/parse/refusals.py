"""The kinds of refusal an answer's text shows: the standard phrases with
which an answer declines to answer ("kan ik geen uitspraken doen over
individuele zaken"), one regular expression per kind in
``kg/parse/data/weigeringen.csv``. Known from the text alone, so found once
at parse time rather than by matching every text at query time."""
from __future__ import annotations

import re
from functools import lru_cache

from kg.tables import package_rows


@lru_cache(maxsize=1)
def refusal_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(kind, pattern) in the table's order, each compiled once per process."""
    return tuple(
        (row["kind"], re.compile(row["pattern"], re.IGNORECASE))
        for row in package_rows("kg.parse", "data", "weigeringen.csv")
    )


def refusal_kinds(text: str) -> tuple[str, ...]:
    """The kinds whose pattern occurs anywhere in ``text``, in the table's order."""
    return tuple(kind for kind, pattern in refusal_patterns() if pattern.search(text))


__all__ = ["refusal_kinds", "refusal_patterns"]
