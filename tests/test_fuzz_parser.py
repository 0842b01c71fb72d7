"""The parser on mutated real publications and on adversarial strings.

Real texts (the samples shipped in kg/samples and, where present, the
development corpus) are mutated by hypothesis: lines deleted, headings
swapped or moved, random bytes inserted, the text truncated at a tenth, line
breaks lost. Whatever comes out, the parser returns a Publication or raises
a kg.errors.KgError, and never hangs. A second test feeds strings built to
make regular expressions backtrack and checks that the parse time grows
linearly with their length (a generous ratio between n and 4n, never an
absolute time). scripts/fuzz_parser.py runs the same kind of mutations by the
ten thousand and prints crashes and hangs.
"""
from __future__ import annotations

import re
import signal
import time
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from kg.errors import KgError  # noqa: E402
from kg.model import SourceText  # noqa: E402
from kg.parse import parse  # noqa: E402
from kg.read import read  # noqa: E402
from tests.conftest import CORPUS, SAMPLES  # noqa: E402

HANG_SECONDS = 60  # far beyond any real parse (well under a second); only a hang reaches it
_HEADING = re.compile(r"^\s*(?:Vraag|Vragen|Antwoord(?:en)?|Mededeling|Toelichting|Zie ook|\d{1,2}[.)]?\s*$)")


def _texts() -> list[tuple[str, str, str]]:
    paths = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".txt", ".md"))
    if (CORPUS / "docs").is_dir():
        paths += sorted(p for p in (CORPUS / "docs").iterdir() if p.suffix in (".txt", ".md"))
    out = []
    for p in paths:
        source = read(p)
        out.append((p.name, source.format, source.text))
    return out


TEXTS = _texts()


class Hang(Exception):
    pass


def _parse_within_limit(name: str, fmt: str, text: str) -> None:
    """Parse; a KgError is a proper refusal. Any other exception, or no end
    within HANG_SECONDS, fails the test."""

    def alarm(signum, frame):  # noqa: ANN001
        raise Hang(f"no result after {HANG_SECONDS} s")

    old = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(HANG_SECONDS)
    try:
        parse(SourceText(path=Path(name), format=fmt, text=text, sha256="0" * 64))
    except KgError:
        pass
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


# ------------------------------------------------------------- mutations


@st.composite
def delete_lines(draw, text: str) -> str:
    lines = text.split("\n")
    drop = draw(st.sets(st.integers(0, len(lines) - 1), min_size=1, max_size=8))
    return "\n".join(ln for i, ln in enumerate(lines) if i not in drop)


@st.composite
def swap_headings(draw, text: str) -> str:
    lines = text.split("\n")
    heads = [i for i, ln in enumerate(lines) if _HEADING.match(ln)]
    if len(heads) < 2:
        return text
    a, b = draw(st.lists(st.sampled_from(heads), min_size=2, max_size=2, unique=True))
    if draw(st.booleans()):
        lines[a], lines[b] = lines[b], lines[a]
    else:
        lines.insert(b, lines.pop(a))  # a heading moved elsewhere
    return "\n".join(lines)


@st.composite
def insert_bytes(draw, text: str) -> str:
    for _ in range(draw(st.integers(1, 6))):
        pos = draw(st.integers(0, len(text)))
        junk = draw(st.one_of(
            st.binary(min_size=1, max_size=12).map(lambda b: b.decode("cp1252", errors="replace")),
            st.text(min_size=1, max_size=12),  # any code point: controls, bidi marks, combining accents
        ))
        text = text[:pos] + junk + text[pos:]
    return text


@st.composite
def truncate(draw, text: str) -> str:
    return text[: len(text) * draw(st.integers(1, 9)) // 10]


@st.composite
def lose_breaks(draw, text: str) -> str:
    lines = text.split("\n")
    joins = draw(st.sets(st.integers(1, max(1, len(lines) - 1)), max_size=20))
    out = [lines[0]]
    for i, ln in enumerate(lines[1:], start=1):
        if i in joins:
            out[-1] += ln
        else:
            out.append(ln)
    return "\n".join(out)


MUTATIONS = (delete_lines, swap_headings, insert_bytes, truncate, lose_breaks)


@st.composite
def mutated(draw) -> tuple[str, str, str]:
    name, fmt, text = draw(st.sampled_from(TEXTS))
    for mutation in draw(st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=3)):
        if text:
            text = draw(mutation(text))
    return name, fmt, text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(case=mutated())
def test_mutated_publications_raise_only_kg_errors(case):
    _parse_within_limit(*case)


@pytest.mark.parametrize("tenth", range(1, 10))
def test_every_text_truncated_at_each_tenth(tenth):
    for name, fmt, text in TEXTS:
        _parse_within_limit(name, fmt, text[: len(text) * tenth // 10])


# ---------------------------------------------------- regex backtracking

# Inputs built to make a careless pattern backtrack: long runs of what a
# header, citation or footnote pattern looks for, with the closing part
# missing. Each is f(n) for a size n.
ADVERSARIAL = {
    "askers without addressee": lambda n: "Vragen van het lid " + "Jansen (VVD), " * n,
    "addressees without end": lambda n: "Vragen van het lid X (P) aan de Minister van " + "Sociale Zaken en " * n,
    "offices listed": lambda n: "Vragen van het lid X (P) aan de " + "Minister van Financiën en de " * n + "over x",
    "open brackets": lambda n: "Vragen van het lid X " + "(" * n,
    "notice askers": lambda n: (
        "Op 12 maart jl. hebben de leden " + "Kostić (PvdD) en " * n + "schriftelijke vragen. Deze kunnen niet binnen de gebruikelijke termijn worden beantwoord."
    ),
    "askers without their verb": lambda n: (
        "Zie de brief. " + "het lid Jansen (VVD), hebben de leden Kostić (PvdD) en " * n
        + " kunnen niet binnen de gebruikelijke termijn worden beantwoord."
    ),
    "signature lines": lambda n: "Vraag 1\nKunt u?\nAntwoord 1\nJa.\n" + "De Minister van Financiën,\n" * n,
    "spaces": lambda n: "Vraag 1\n" + " " * (20 * n) + "?\nAntwoord 1\nJa.",
    "hyphens": lambda n: "Vraag 1\nwoord" + "-\n" * n + "?\nAntwoord 1\nJa.",
    "footnote numbers": lambda n: "Vraag 1\nKunt u?\nAntwoord 1\n" + " ".join(str(1 + i % 30) for i in range(4 * n)),
    "dates without year": lambda n: "Vraag 1\nKunt u?\nAntwoord 1\n" + "ingezonden 12 maart " * n,
    "headings": lambda n: "Vraag 1 t/m " + "1, " * n + "\nAntwoord 1\nJa.",
    "citations cut short": lambda n: "Vraag 1\nZie Aanhangsel Handelingen, vergaderjaar " + "2023–2024, " * n,
    "zaak numbers": lambda n: "Vraag 1\n" + "2024Z1234 " * n + "\nAntwoord 1\nJa.",
    "title openings": lambda n: "Vragen van het lid Jansen (VVD) " * n + "aan de Minister van Financiën over x",
    "notices with open quotes": lambda n: (
        "De vragen van het Kamerlid Bikker (ChristenUnie) over «het bericht. " * n
        + "kunnen niet binnen de gebruikelijke termijn worden beantwoord."
    ),
    "flattened repeats": lambda n: ("Vragen van het lid X (P) aan de Minister van Financiën over y (ingezonden 1 mei 2024). Vraag 1 Kunt u? Antwoord 1 Ja. " * n),
}


def _cost(text: str) -> float:
    """Best of three CPU times of one parse (CPU, not wall time: other
    processes on the machine do not count)."""
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        try:
            parse(SourceText(path=Path("adversarial.txt"), format="text", text=text, sha256="0" * 64))
        except KgError:
            pass
        best = min(best, time.process_time() - start)
    return best


@pytest.mark.parametrize("family", sorted(ADVERSARIAL))
def test_parse_time_grows_linearly(family):
    build = ADVERSARIAL[family]
    # Grow n until one parse is long enough to measure (20 ms), then compare with 4n.
    n = 50
    while _cost(build(n)) < 0.02 and n < 20_000:
        n *= 2
    small, large = _cost(build(n)), _cost(build(4 * n))
    # Linear gives 4; quadratic 16. The margin absorbs noise and constant costs.
    assert large <= 6.5 * max(small, 0.005), f"{family}: n={n} {small:.3f} s, 4n {large:.3f} s"
