"""Glue inside citations (issue 9, section 1; the citation half).

Extracted text loses the space at some line ends. Over every text of the
corpus, the space at each line break inside each printed citation is
removed, each break alone and all of them at once, and the publication must
cite the same publications as before. The texts are the readers' own output
(the PDF reader's lines and footnotes included), so the glue is put where an
extractor would lose it.
"""
from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from kg.model import RawFootnote, SourceText
from kg.parse import parse
from kg.parse.citations import find_citations
from kg.read import SUPPORTED_SUFFIXES, read

_BREAK = re.compile(r"[^\S\n]*\n\s*")


def _docs(corpus: Path) -> list[Path]:
    return sorted(p for p in (corpus / "docs").iterdir() if p.suffix.lower() in SUPPORTED_SUFFIXES)


def _breaks(text: str) -> list[tuple[int, int]]:
    """The line breaks (with the spaces around them) inside printed citations."""
    out: list[tuple[int, int]] = []
    for m in find_citations(text):
        for b in _BREAK.finditer(text, m.start, m.end):
            if b.end() <= m.end and (b.start(), b.end()) not in out:
                out.append((b.start(), b.end()))
    return out


def _glue(text: str, spans: list[tuple[int, int]]) -> str:
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + text[end:]
    return text


def _variants(source: SourceText) -> list[tuple[str, SourceText]]:
    """(what was glued, the glued source) for each break alone and all at once."""
    out: list[tuple[str, SourceText]] = []
    parts = [("text", source.text)] + [(f"footnote {f.number}", f.text) for f in source.footnotes]
    every: dict[str, str] = {}
    for name, text in parts:
        spans = _breaks(text)
        if not spans:
            continue
        every[name] = _glue(text, spans)
        for span in spans:
            out.append((f"{name} at {span[0]}: {text[max(0, span[0] - 25):span[1] + 15]!r}", _with(source, name, _glue(text, [span]))))
    if every:
        glued = source
        for name, text in every.items():
            glued = _with(glued, name, text)
        out.append(("all at once", glued))
    return out


def _with(source: SourceText, part: str, text: str) -> SourceText:
    if part == "text":
        return replace(source, text=text)
    number = int(part.split()[1])
    notes = tuple(RawFootnote(f.number, text) if f.number == number else f for f in source.footnotes)
    return replace(source, footnotes=notes)


def _targets(source: SourceText) -> list[str]:
    return sorted({c.identifier for c in parse(source).citations})


def test_citations_survive_lost_spaces_at_line_breaks(corpus: Path) -> None:
    failures: dict[str, list[str]] = {}
    tried = 0
    for path in _docs(corpus):
        source = read(path)
        want = _targets(source)
        for what, variant in _variants(source):
            tried += 1
            got = _targets(variant)
            if got != want:
                failures.setdefault(path.name, []).append(f"{what}: lost {sorted(set(want) - set(got))}, new {sorted(set(got) - set(want))}")
    assert failures == {}
    assert tried >= 10  # the corpus has citations broken over lines; the test must have seen them


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("Aanhangsel\nHandelingen, vergaderjaar 2018–2019, nr. 3626", ["ah-tk-20182019-3626"]),
        ("Aanhangsel Handelingen, vergaderjaar\n2018–2019, nr. 3626", ["ah-tk-20182019-3626"]),
        ("Aanhangsel Handelingen,\nvergaderjaar 2018–2019, nr. 3626", ["ah-tk-20182019-3626"]),
        ("Aanhangsel Handelingen, vergaderjaar 2018–2019,\nnr. 3626", ["ah-tk-20182019-3626"]),
        ("Aanhangsel Handelingen, vergaderjaar 2018–2019, nrs. 1268 en\n1974", ["ah-tk-20182019-1268", "ah-tk-20182019-1974"]),
        ("Kamerstukken\nII 2023/24, 36 200 VI, nr. 12", ["kst-36200-VI-12"]),
        ("Kamerstukken II 2023/24, 36 200\nVI, nr. 12", ["kst-36200-VI-12"]),
        ("Kamerstuk 29 383,\nnr. 406", ["kst-29383-406"]),
        ("Handelingen II 2018/19, nr. 12,\nitem 5", ["h-tk-20182019-12-5"]),
        ("Kamerstukken II, 2021–2022,\nAvdH 1450", ["ah-tk-20212022-1450"]),
        ("Tweede Kamer, vergaderjaar 2022–2023,\nAanhangsel van de Handelingen, nr. 1190", ["ah-tk-20222023-1190"]),
    ],
)
def test_each_break_of_a_form_may_lose_its_space(printed: str, expected: list[str]) -> None:
    assert [m.identifier for m in find_citations(printed)] == expected
    glued = re.sub(r"\s*\n\s*", "", printed)
    assert [m.identifier for m in find_citations(glued)] == expected
