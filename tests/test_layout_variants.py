"""The same publication in the forms people have it gives the same facts.

Each real PDF of the corpus is read three ways: by the PDF reader (with each
of its engines, PDFium and pdfplumber), and as the plain text common
extractors make of it (pdfminer, pypdf, poppler's pdftotext with and without
-layout), page headers, footnotes and the masthead logo inline. Each text extracted from a PDF is
also flattened to one line. The facts the scorer reads must not change."""
from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from kg.model import SourceText
from kg.parse import parse
from kg.read import read


def facts(p) -> dict:
    return {
        "identifier": p.identifier, "vergaderjaar": p.vergaderjaar, "nummer": p.nummer,
        "ingezonden": p.ingezonden, "ontvangen": p.ontvangen,
        "askers": [(x.achternaam, x.fractie) for x in p.vragenstellers],
        "offices": [o.label for o in p.gericht_aan], "answered_by": [b.achternaam for b in p.beantwoord_door],
        "questions": [v.nummer for v in p.vragen], "answers": [a.vragen for a in p.antwoorden],
        "citations": sorted({c.identifier for c in p.citations}),
    }


def _pdfs(corpus: Path) -> list[Path]:
    return sorted(corpus.glob("docs/*.pdf")) + sorted(corpus.glob("unlabelled/*.pdf"))


def _as_text(pdf: Path, text: str) -> SourceText:
    return SourceText(path=pdf.with_suffix(".txt"), format="text", text=text, sha256="0" * 64)


def _extractor(name: str):
    """The text a PDF gives through one common extractor."""
    if name == "pypdf":
        pypdf = pytest.importorskip("pypdf")
        return lambda p: "\n".join(page.extract_text() for page in pypdf.PdfReader(str(p)).pages)
    if name.startswith("pdftotext"):
        tool = shutil.which("pdftotext")
        if tool is None:
            pytest.skip("pdftotext (Debian's poppler-utils) is not installed")
        layout = ["-layout"] if name.endswith("layout") else []
        return lambda p: subprocess.run([tool, *layout, str(p), "-"], capture_output=True, text=True, check=True).stdout
    from pdfminer.high_level import extract_text

    return extract_text


@pytest.mark.parametrize("extractor", ["pdfminer", "pypdf", "pdftotext", "pdftotext-layout"])
def test_text_extracted_from_the_pdf_gives_the_same_facts(corpus, extractor):
    extract = _extractor(extractor)
    differences = {}
    for pdf in _pdfs(corpus):
        want = facts(parse(read(pdf)))
        got = facts(parse(_as_text(pdf, extract(pdf))))
        diff = {k: (want[k], got[k]) for k in want if want[k] != got[k]}
        if diff:
            differences[pdf.name] = diff
    assert differences == {}


def test_both_pdf_engines_give_the_same_facts(corpus):
    # The PDF reader's engines (PDFium, the default, and pdfplumber) on every real PDF.
    from kg.read.pdf import ENGINES, PdfReader

    differences = {}
    for pdf in _pdfs(corpus):
        got = {engine: facts(parse(PdfReader(engine).read(pdf))) for engine in ENGINES}
        want = got[ENGINES[0]]
        for engine, other in got.items():
            diff = {k: (want[k], other[k]) for k in want if want[k] != other[k]}
            if diff:
                differences[(pdf.name, engine)] = diff
    assert len(_pdfs(corpus)) >= 21
    assert differences == {}


def test_flattened_text_gives_the_same_facts(corpus):
    from pdfminer.high_level import extract_text

    texts = [(p, extract_text(str(p))) for p in _pdfs(corpus)[:8]]
    # Text from PDFs is what gets flattened (a Word file's text keeps its paragraphs).
    texts += [(p, p.read_text(encoding="utf-8")) for p in sorted(corpus.glob("docs/ah-tk-*.txt")) if ".docx" not in p.name]
    differences = {}
    for path, text in texts:
        source = _as_text(path, text)
        want = facts(parse(source))
        got = facts(parse(replace(source, text=re.sub(r"\s+", " ", text))))
        diff = {k: (want[k], got[k]) for k in want if want[k] != got[k]}
        if diff:
            differences[path.name] = diff
    assert differences == {}
