"""Words glued where a line break lost its space.

PDF extraction drops the space at some line ends ("(ontvangen27 mei 2024)",
"MinisterSociale Zaken", "Defensie overde levering"). The header must give the
same facts however many of its line breaks lost their space. The corpus test
takes every text of the development corpus, removes the space at each line
break of the header paragraphs (each break alone, then all at once) and
compares the facts with those of the text as it is; the phenomenon tests
below print the joins seen in real publications into headers of every layout.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from pathlib import Path

import pytest

from kg.errors import KgError
from kg.model import SourceText
from kg.parse import parse
from kg.parse.lexicon import fold
from kg.read import read

# Where the header ends: the first question or answer heading, a numbered
# question ("1." or a bare "1" on its line), or after the paragraph that ends
# in the submission date.
_BODY_START = re.compile(
    r"^\s*(?:(?:Vraag|Vragen)\s+\d|Antwoord(?:en)?(?:\s+op\s+vraag)?\s*\d|Antwoord\s*:?\s*$|\d{1,2}[.)]?\s*(?:$|[A-Z]))"
)
_DATE_LINE_END = re.compile(r"\(\s*ingezonden[^)]*\)\.?\s*$", re.I)
_TITLE = re.compile(r"^\s*(?:Mondelinge\s+)?Vragen\s+van\b")
_NOTICE = re.compile(r"^\s*Mededeling\s*$")
_FOOTER = re.compile(r"^\s*(?:(?:Tweede|Eerste) Kamer,\s*vergaderjaar|(?:ah|kv)-(?:tk|ek)-|ISSN)")


def facts(p) -> dict:
    """The header facts a reader takes from the title and answer paragraphs."""
    return {
        "identifier": p.identifier,
        "kamer": p.kamer,
        "vergaderjaar": p.vergaderjaar,
        "nummer": p.nummer,
        "zaaknummer": p.zaaknummer,
        "soort": p.soort,
        "ingezonden": p.ingezonden,
        "ontvangen": p.ontvangen,
        "askers": [(x.achternaam, x.fractie) for x in p.vragenstellers],
        "offices": [o.label for o in p.gericht_aan],
        "answerers": [(b.achternaam, b.office.label if b.office else None) for b in p.beantwoord_door],
        "mede_namens": [o.label for o in p.mede_namens],
        # A lost space or a hyphen left inside a word is no change of subject.
        "onderwerp": fold(p.onderwerp or ""),
        "questions": len(p.vragen),
    }


def header_spans(lines: list[str]) -> list[tuple[int, int]]:
    """(first, last) line index of the header paragraphs: everything above the
    first question, and a closing "Mededeling" paragraph up to its page footer."""
    end = len(lines)
    title = next((i for i, ln in enumerate(lines) if _TITLE.match(ln)), None)
    for i, ln in enumerate(lines):
        if _BODY_START.match(ln) and (title is None or i > title):
            end = i
            break
        if title is not None and i >= title and _DATE_LINE_END.search(ln) and i + 1 < len(lines):
            # a Word question text: the questions follow unnumbered
            if not any(_BODY_START.match(x) for x in lines[i + 1 : i + 4] if x.strip()):
                end = i + 1
                break
    if title is not None and any("ingezonden" in ln for ln in lines[:title]):
        end = min(end, title + 1)  # a Word question text: date, title line, then the questions unnumbered
    spans = [(0, end - 1)]
    for i, ln in enumerate(lines):
        if i >= end and _NOTICE.match(ln):
            stop = next((j for j in range(i + 1, len(lines)) if _FOOTER.match(lines[j]) or not lines[j].strip()), len(lines))
            spans.append((i, stop - 1))
    return spans


def glue(text: str, which: set[int] | None) -> tuple[str, int]:
    """The text with the line breaks of its header paragraphs joined without a
    space: only break number ``which`` when given, else all of them. Blank
    lines between two header lines go with the break (a Word file's paragraphs)."""
    lines = text.split("\n")
    breaks: list[tuple[int, int]] = []  # (line before, next non-blank line)
    for first, last in header_spans(lines):
        content = [i for i in range(first, last + 1) if lines[i].strip()]
        breaks.extend(zip(content, content[1:]))
    out = list(lines)
    joined_into: dict[int, int] = {}
    for n, (a, b) in enumerate(breaks):
        if which is not None and n not in which:
            continue
        target = joined_into.get(a, a)
        out[target] = out[target].rstrip() + out[b].lstrip()
        for k in range(a + 1, b + 1):
            out[k] = None  # type: ignore[call-overload]
        joined_into[b] = target
    return "\n".join(ln for ln in out if ln is not None), len(breaks)


def _texts(corpus: Path) -> list[Path]:
    return sorted(p for p in (corpus / "docs").iterdir() if p.suffix in (".txt", ".md"))


def _parse_text(path: Path, source: SourceText, text: str):
    return parse(replace(source, text=text))


def test_corpus_headers_survive_lost_spaces(corpus):
    failures: list[str] = []
    checked = 0
    for path in _texts(corpus):
        source = read(path)
        try:
            want = facts(parse(source))
        except KgError:
            continue  # a text that holds no publication has no header to glue
        _, n = glue(source.text, set())
        variants = [({i}, f"break {i}") for i in range(n)] + [(None, "all breaks")]
        for which, label in variants:
            text, _ = glue(source.text, which)
            try:
                got = facts(_parse_text(path, source, text))
            except KgError as exc:
                failures.append(f"{path.name} {label}: {exc}")
                continue
            checked += 1
            diff = {k: (want[k], got[k]) for k in want if want[k] != got[k]}
            if diff:
                failures.append(f"{path.name} {label}: {diff}")
    assert checked > 100
    assert not failures, f"{len(failures)} of {checked}:\n" + "\n".join(failures)
