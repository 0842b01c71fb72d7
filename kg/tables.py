"""The CSV tables of domain knowledge kg ships (portfolios, parties, members,
the party palette): commented CSV, read one way everywhere."""
from __future__ import annotations

import csv
from importlib import resources


def csv_rows(text: str) -> list[dict[str, str]]:
    """Rows of a CSV text whose lines starting with '#' are comments."""
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    return list(csv.DictReader(lines))


def package_rows(package: str, *path: str) -> list[dict[str, str]]:
    """Rows of a table shipped in ``package`` (e.g. ``("kg.link", "data", "fracties.csv")``)."""
    return csv_rows(resources.files(package).joinpath(*path).read_text(encoding="utf-8"))
