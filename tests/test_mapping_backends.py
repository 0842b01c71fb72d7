"""The mapping spells each publication two ways from one emitter: rdflib
nodes (publication_triples, for graphs and the plain reference path) and
N-Triples text (publication_lines, the build's fast path). The text must be
exactly what rdflib's own N-Triples writer makes of the nodes."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from rdflib import Graph

from kg.iris import IriMinter
from kg.mapping import publication_lines, publication_triples
from kg.model import Citation, CitationSoort, Footnote, WebLink
from kg.parse import parse
from kg.read import read
from tests.conftest import CORPUS, SAMPLES


def rdflib_lines(pub, iris: IriMinter) -> list[str]:
    g = Graph()
    for t in publication_triples(pub, iris):
        g.add(t)
    return sorted({ln for ln in g.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines() if ln.strip()})


def _documents() -> list[Path]:
    paths = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".txt", ".md", ".html", ".docx"))
    if (CORPUS / "docs").is_dir():
        paths += sorted(p for p in (CORPUS / "docs").iterdir() if p.suffix in (".txt", ".md", ".html", ".docx"))
    return paths


@pytest.mark.parametrize("path", _documents(), ids=lambda p: p.name)
def test_lines_are_rdflibs_spelling(path: Path) -> None:
    try:
        pub = parse(read(path))
    except Exception:  # noqa: BLE001 - a file the parser refuses has no triples to compare
        pytest.skip("not a publication")
    iris = IriMinter()
    lines = publication_lines(pub, iris)
    assert lines == rdflib_lines(pub, iris)
    assert len(lines) > 20


def test_awkward_text_and_another_base() -> None:
    """Quotes, backslashes, line ends, tabs and non-ASCII in literals; a base without a slash."""
    pub = parse(read(SAMPLES / "ah-tk-20182019-3878.txt"))
    odd = 'zei "nee"\\ of\r\nja\tjuist – Yeşilgöz ✓'
    pub = dataclasses.replace(
        pub,
        onderwerp=odd,
        footnotes=pub.footnotes + (Footnote(99, odd, pub.footnotes[0].location),),
        citations=pub.citations + (Citation("kst-36200-VI-12", odd, CitationSoort.VOETNOOT, pub.footnotes[0].location, None, 99),),
        links=pub.links + (WebLink("https://example.org/a?b=c&d=%20e", pub.footnotes[0].location, 99),),
    )
    iris = IriMinter("http://example.org/kv")
    lines = publication_lines(pub, iris)
    assert lines == rdflib_lines(pub, iris)
    assert any(r"zei \"nee\"\\ of\r\nja" in ln for ln in lines)
    assert any(ln.startswith("<http://example.org/kv/voetnoot/") for ln in lines)


def test_an_iri_rdflib_cannot_write_fails_the_same_way() -> None:
    """A publication whose identifier makes an IRI with a space: rdflib refuses
    to write it, and so does the fast path, with rdflib's message about the
    first such IRI it meets (the publication's own; the file then fails
    with that reason in the build report)."""
    pub = parse(read(SAMPLES / "ah-tk-20182019-3878.txt"))
    pub = dataclasses.replace(pub, identifier="doc-met spatie")
    iris = IriMinter()
    with pytest.raises(Exception) as fast:
        publication_lines(pub, iris)
    with pytest.raises(Exception) as reference:
        rdflib_lines(pub, iris)
    assert "does not look like a valid URI" in str(reference.value)
    assert str(fast.value) == (
        '"https://w3id.org/kamervragen/id/document/doc-met spatie" does not look like a valid URI,'
        " I cannot serialize this as N3/Turtle. Perhaps you wanted to urlencode it?"
    )
