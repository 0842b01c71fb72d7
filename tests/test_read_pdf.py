"""kg.read.pdf: the reader for the official Aanhangsel PDFs.

Two kinds of tests: the real PDFs of the shared corpus (skipped when the corpus
is not beside the repository), and small PDFs written here that put one layout
phenomenon each on the page (superscript set with text rise, overprinted
accent, a footnote running over a page break, furniture patterns).
"""
from __future__ import annotations

import json
import re
import shutil
import unicodedata
from pathlib import Path

import pytest

from kg.errors import ReadError
from kg.model import SourceText
from kg.read import read as read_any
from kg.read.pdf import ENGINES, PdfReader

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
DOCS = CORPUS / "docs"
GOLD = CORPUS / "gold"
UNLABELLED = CORPUS / "unlabelled"

needs_corpus = pytest.mark.skipif(not DOCS.is_dir(), reason=f"shared corpus not found at {CORPUS}")

LABELLED = sorted(p.name for p in DOCS.glob("*.pdf")) if DOCS.is_dir() else []
UNLABELLED_PDFS = sorted(p.name for p in UNLABELLED.glob("*.pdf")) if UNLABELLED.is_dir() else []

# Number of footnotes per labelled PDF, counted on the page images.
FOOTNOTES = {
    "ah-tk-20232024-1178.pdf": 15,
    "ah-tk-20232024-1314.pdf": 2,
    "ah-tk-20232024-1481.pdf": 3,
    "ah-tk-20232024-1786.pdf": 16,
    "ah-tk-20232024-1949.pdf": 1,
    "ah-tk-20232024-1984.pdf": 3,
    "ah-tk-20232024-2129.pdf": 5,
    "ah-tk-20232024-2210.pdf": 2,
    "ah-tk-20232024-2313.pdf": 4,
    "ah-tk-20232024-2395.pdf": 2,
    "ah-tk-20232024-878.pdf": 2,
}

FOOTER_LINE = re.compile(
    r"ISSN\s*\d{4}|^ah-tk-\d{8}-\d+$|s-Gravenhage \d{4}$|^(Tweede|Eerste) Kamer, vergaderjaar .*Aanhangsel"
)
HEADING = re.compile(r"^(Vraag|Vragen|Antwoord|Antwoorden)\s+(\d[\d\s,ent/m]*)$")

_cache: dict[Path, SourceText] = {}


def _read(path: Path) -> SourceText:
    if path not in _cache:
        _cache[path] = PdfReader().read(path)
    return _cache[path]


def _doc(name: str) -> SourceText:
    return _read(DOCS / name)


def _headings(text: str) -> tuple[list[list[int]], list[list[int]]]:
    """(question headings, answer headings), each as its list of numbers."""
    vragen, antwoorden = [], []
    for line in text.split("\n"):
        m = HEADING.match(line)
        if not m:
            continue
        spec = m.group(2).strip()
        span = re.fullmatch(r"(\d+)\s*t/m\s*(\d+)", spec)
        numbers = list(range(int(span[1]), int(span[2]) + 1)) if span else [int(n) for n in re.findall(r"\d+", spec)]
        (vragen if m.group(1).startswith("Vra") else antwoorden).append(numbers)
    return vragen, antwoorden


def _markers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"\[\^(\d+)\]", text)]


# ------------------------------------------------------------ real PDFs


@needs_corpus
@pytest.mark.parametrize("name", LABELLED)
def test_labelled_pdf_structure(name: str) -> None:
    source = _doc(name)
    gold = json.loads((GOLD / name.replace(".pdf", ".json")).read_text(encoding="utf-8"))
    assert source.format == "pdf" and source.layout_clean
    assert source.sha256 and len(source.sha256) == 64
    assert not source.truncated
    assert source.warnings == ()
    lines = source.text.split("\n")
    # masthead kept, logo and footers dropped
    assert lines[0] == "Tweede Kamer der Staten-Generaal"
    assert lines[1] == "Vergaderjaar 2023–2024 Aanhangsel van de Handelingen"
    assert lines[4] == str(gold["nummer"])
    assert "2" not in lines[:4]
    assert not [line for line in lines if FOOTER_LINE.search(line)]
    # the identifier footer is kept as furniture
    assert source.furniture[:4] == (
        gold["id"],
        "ISSN 0921 - 7398",
        "’s-Gravenhage 2024",
        "Tweede Kamer, vergaderjaar 2023–2024, Aanhangsel 1",
    )
    # every question and answer heading, in order
    vragen, antwoorden = _headings(source.text)
    assert [n for group in vragen for n in group] == list(range(1, gold["vragen"] + 1))
    assert antwoorden == gold["antwoorden"]
    # footnotes 1..n, each with its marker, markers in reading order
    numbers = [f.number for f in source.footnotes]
    assert numbers == list(range(1, FOOTNOTES[name] + 1))
    assert all(f.text.strip() for f in source.footnotes)
    assert _markers(source.text) == numbers
    # composed characters only, no unmapped glyphs
    everything = source.text + "".join(f.text for f in source.footnotes)
    assert unicodedata.is_normalized("NFC", everything)
    assert not any(unicodedata.category(c) == "Mn" for c in everything)
    assert "\ufffd" not in everything and "(cid:" not in everything


@needs_corpus
@pytest.mark.parametrize("name", UNLABELLED_PDFS)
def test_unlabelled_pdf_reads_clean(name: str) -> None:
    source = _read(UNLABELLED / name)
    assert source.warnings == ()
    assert source.furniture[0] == name.removesuffix(".pdf")
    assert not [line for line in source.text.split("\n") if FOOTER_LINE.search(line)]
    vragen, antwoorden = _headings(source.text)
    asked = [n for group in vragen for n in group]
    assert asked == list(range(1, len(asked) + 1)) and asked
    answered = sorted(n for group in antwoorden for n in group)
    assert answered in (asked, [])  # [] for a delay notice (Mededeling)
    numbers = [f.number for f in source.footnotes]
    assert numbers == list(range(1, len(numbers) + 1))
    assert _markers(source.text) == numbers


@needs_corpus
def test_1178_markers_bullets_and_footnotes() -> None:
    source = _doc("ah-tk-20232024-1178.pdf")
    notes = {f.number: f.text for f in source.footnotes}
    assert notes[1].startswith("Antwoorden op Kamervragen over gevolgen quantumtechnologie")
    assert notes[1] == notes[7]
    # footnote lines stay lines, hyphens and broken URLs as printed
    assert notes[3] == (
        "Text – H.R.7535 – 117th Congress (2021–2022): Quantum Computing Cybersecurity Prepa-\n"
        "redness Act | Congress.gov | Library of Congress"
    )
    assert notes[15] == "https://www.ncsc.nl/documenten/publicaties/2023/september/18/maak-je-organisatie-\nquantumveilig"
    text = source.text
    assert "In mijn brief van 7 november 2023[^1] heb ik" in text
    # an empty line marks each paragraph end the layout proves (the next
    # line's first word would have fitted on this one)
    assert "naar IT-systemen die quantum-proof zijn?[^2]\n\nAntwoord 3" in text
    assert "Zo geeft NIS2[^4] (Network" in text
    assert "november geïnformeerd[^7]\n\nVraag 6" in text
    assert "encryptie».[^5] De gekozen" in text
    assert "doorbre-\nken en daarmee" in text  # not de-hyphenated
    # list bullets set at WinAnsi code 129 come out as bullets
    assert text.count("\n• ") == 14
    assert "• Inzicht hebben in wat belangrijk is om te beschermen" in text
    # footnote texts are not in the running text
    assert "Forbes" not in text and "Rijksoverheid.nl" not in text
    assert source.furniture == (
        "ah-tk-20232024-1178",
        "ISSN 0921 - 7398",
        "’s-Gravenhage 2024",
        *(f"Tweede Kamer, vergaderjaar 2023–2024, Aanhangsel {n}" for n in range(1, 6)),
    )


@needs_corpus
def test_1314_composed_name_table_and_grouped_heading() -> None:
    source = _doc("ah-tk-20232024-1314.pdf")
    assert "Vragen van de leden Mutluer (GroenLinks-PvdA) en Kostić (PvdD) aan de" in source.text
    assert "c\u0301" not in source.text and "´" not in source.text
    assert "\nVraag 3, 4 en 5\n" in source.text and "\nAntwoord 3, 4 en 5\n" in source.text
    # table rows as one line each, cells separated by spaces
    assert "\nGeslacht(Trans) 2 3 6\n" in source.text
    assert "\nSeksuele gerichtheid 66 73 74" in source.text
    assert "Fryslân" in source.text
    assert source.footnotes[1].text.split("\n") == [
        "Movisie, d.d. maart 2022, Inventarisatie Regenboogbeleid Regenboogprovincies, https://",
        "www.movisie.nl/sites/movisie.nl/files/2022-03/220315_%20Regenboogbeleid%20provincies",
        "%202022.pdf",
    ]


@needs_corpus
def test_other_labelled_details() -> None:
    assert "Minister Yeşilgöz-Zegerius (Justitie en Veiligheid)" in _doc("ah-tk-20232024-1949.pdf").text
    assert "gesproken.[^3]Toekomstige" in _doc("ah-tk-20232024-1481.pdf").text
    text_2210 = _doc("ah-tk-20232024-2210.pdf").text
    assert "In de brief van 29 juni 2022[^2] is aangegeven" in text_2210
    # the subscript 2 of CO2 is set lowered: text, not a marker
    assert "van CO2-opslag," in text_2210 and "Voor CO2 zijn er" in text_2210
    notes_1786 = {f.number: f.text for f in _doc("ah-tk-20232024-1786.pdf").footnotes}
    assert notes_1786[4] == "Tweede Kamer, vergaderjaar 2022–2023, 26 485, nr. 424"
    assert notes_1786[10] == "Tweede Kamer, vergaderjaar 2017–2018, 26 485, nr. 267"


@needs_corpus
def test_registry_reads_pdf_with_this_reader() -> None:
    source = read_any(DOCS / "ah-tk-20232024-1949.pdf")
    assert source.format == "pdf" and source.layout_clean


# ------------------------------------------------------------- errors


@needs_corpus
def test_truncated_pdf_is_a_read_error(tmp_path: Path) -> None:
    data = (DOCS / "ah-tk-20232024-1178.pdf").read_bytes()
    for cut in (200, len(data) // 2, len(data) - 700):
        broken = tmp_path / f"cut-{cut}.pdf"
        broken.write_bytes(data[:cut])
        with pytest.raises(ReadError, match="damaged PDF"):
            PdfReader().read(broken)


def test_text_file_named_pdf_is_a_read_error(tmp_path: Path) -> None:
    fake = tmp_path / "antwoord.pdf"
    fake.write_text("Vraag 1\nIs dat zo?\nAntwoord 1\nJa.\n", encoding="utf-8")
    with pytest.raises(ReadError, match="not a PDF"):
        PdfReader().read(fake)


def test_empty_and_missing_files_are_read_errors(tmp_path: Path) -> None:
    empty = tmp_path / "leeg.pdf"
    empty.write_bytes(b"")
    with pytest.raises(ReadError, match="empty"):
        PdfReader().read(empty)
    with pytest.raises(ReadError):
        PdfReader().read(tmp_path / "bestaat-niet.pdf")


def test_pdf_without_text_is_a_read_error(tmp_path: Path) -> None:
    blank = tmp_path / "blank.pdf"
    blank.write_bytes(_make_pdf([b""]))
    with pytest.raises(ReadError, match="no text layer"):
        PdfReader().read(blank)
    scan = tmp_path / "scan.pdf"
    image = b"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 1 >>\nstream\n\xff\nendstream"
    scan.write_bytes(_make_pdf([b"q 400 0 0 600 100 100 cm /Im1 Do Q"], images=[image]))
    with pytest.raises(ReadError, match="no text layer: the PDF is a scan"):
        PdfReader().read(scan)


@needs_corpus
def test_encrypted_pdf_is_a_read_error(tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter(clone_from=DOCS / "ah-tk-20232024-1949.pdf")
    writer.encrypt(user_password="geheim", owner_password="eigenaar", algorithm="RC4-128")
    locked = tmp_path / "locked.pdf"
    with open(locked, "wb") as fh:
        writer.write(fh)
    with pytest.raises(ReadError, match="encrypted"):
        PdfReader().read(locked)


@needs_corpus
def test_truncated_name_and_copy(tmp_path: Path) -> None:
    copy = tmp_path / "ah-tk-20232024-1949.partial.pdf"
    shutil.copy(DOCS / "ah-tk-20232024-1949.pdf", copy)
    assert PdfReader().read(copy).truncated


@needs_corpus
def test_engines_give_the_same_source_on_every_corpus_pdf() -> None:
    # PDFium (the default, faster) is taken only because it gives pdfminer's
    # glyph geometry: the same text, paragraph ends, markers, footnotes,
    # furniture and warnings on every real PDF.
    pdfs = sorted(DOCS.glob("*.pdf")) + sorted(UNLABELLED.glob("*.pdf"))
    assert len(pdfs) >= 21
    differences = {}
    for pdf in pdfs:
        a, b = PdfReader("pdfium").read(pdf), PdfReader("pdfplumber").read(pdf)
        diff = [f for f in ("text", "footnotes", "furniture", "warnings", "sha256") if getattr(a, f) != getattr(b, f)]
        if diff:
            differences[pdf.name] = diff
    assert differences == {}


def test_a_rotated_page_is_read_by_pdfplumber(tmp_path: Path, monkeypatch) -> None:
    # PDFium reports glyphs in the unrotated page space, pdfminer in the
    # rotated one: such a file is left to the pdfplumber engine.
    import kg.read.pdf as reader

    body = b"\n".join([_line(221, 500, 8.5, "Vraag 1"), _line(221, 490.4, 8.5, "Klopt het bericht?")])
    path = tmp_path / "gedraaid.pdf"
    path.write_bytes(_make_pdf([body]).replace(b"/MediaBox [0 0 595 842]", b"/MediaBox [0 0 595 842] /Rotate 90"))
    calls = []
    real = reader._load_pages
    monkeypatch.setattr(reader, "_load_pages", lambda *args: calls.append(args[1]) or real(*args))
    outcomes = []
    for engine in ("pdfium", "pdfplumber"):
        try:
            got = PdfReader(engine).read(path)
            outcomes.append((got.text, got.warnings))
        except ReadError as exc:  # pdfminer turns the glyphs with the page: they count as rotated text
            outcomes.append(str(exc))
    assert calls == [path, path]
    assert outcomes[0] == outcomes[1]


def test_a_mediabox_away_from_the_origin_gives_the_same_source(tmp_path: Path) -> None:
    # pdfminer measures from the media box's corner, PDFium from the page
    # space's origin: the PDFium engine moves its glyphs and rules to match.
    source = _synthetic().replace(b"/MediaBox [0 0 595 842]", b"/MediaBox [-40 -30 555 812]")
    path = tmp_path / "ah-tk-20232024-9999.pdf"
    path.write_bytes(source)
    a, b = PdfReader("pdfium").read(path), PdfReader("pdfplumber").read(path)
    assert (a.text, a.footnotes, a.furniture, a.warnings) == (b.text, b.footnotes, b.furniture, b.warnings)
    assert len(a.footnotes) == 4


# ----------------------------------------------------- synthetic layouts


def _make_pdf(contents: list[bytes], images: list[bytes] | None = None) -> bytes:
    """A minimal PDF: one page per content stream, Helvetica (not embedded,
    WinAnsiEncoding) as /F1, optional image XObjects /Im1.. on every page."""
    images = images or []
    objects: list[bytes] = [b"", b"", b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"]
    image_refs = []
    for image in images:
        objects.append(image)
        image_refs.append(len(objects))
    xobjects = " ".join(f"/Im{k + 1} {ref} 0 R" for k, ref in enumerate(image_refs))
    kids = []
    for content in contents:
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {len(objects)} 0 R "
            f"/Resources << /Font << /F1 3 0 R >> /XObject << {xobjects} >> >> >>".encode()
        )
        kids.append(len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>".encode()
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


def _s(text: str) -> bytes:
    """A PDF string literal in WinAnsi."""
    raw = text.encode("cp1252")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _line(x: float, y: float, size: float, *parts: bytes | str) -> bytes:
    """One text line; str parts are shown in the current state, bytes parts
    are raw operators (font/rise changes, TJ arrays)."""
    ops = [b"BT /F1 %.1f Tf %.2f %.2f Td" % (size, x, y)]
    for part in parts:
        ops.append(_s(part) + b" Tj" if isinstance(part, str) else part)
    ops.append(b"ET")
    return b" ".join(ops)


def _sup(text: str, size: float = 5.5, rise: float = 3.6, back: float = 8.5) -> bytes:
    """A raised small run set with text rise (Ts), then back to the body size."""
    return b"/F1 %.1f Tf %.1f Ts " % (size, rise) + _s(text) + b" Tj 0 Ts /F1 %.1f Tf" % back


def _footer(page: int, first: bool) -> list[bytes]:
    lines = [_line(221, 68, 9.1, "Tweede Kamer, vergaderjaar 2023\u20132024, Aanhangsel"), _line(535, 68, 9.1, str(page))]
    if first:
        lines += [
            _line(55, 80, 5.9, "ah-tk-20232024-9999"),
            _line(55, 74, 5.9, "ISSN 0921 - 7398"),
            _line(55, 68, 5.9, "\u2019s-Gravenhage 2024"),
        ]
    return lines


def _synthetic() -> bytes:
    page1 = [
        _line(55, 760, 18.1, "Tweede Kamer der Staten-Generaal"),
        _line(506, 731, 51.2, "2"),
        _line(55, 704, 9.6, "Vergaderjaar 2023\u20132024"),
        _line(221, 704, 10.0, "Aanhangsel van de Handelingen"),
        _line(221, 536, 12.8, "9999"),
        _line(221, 500, 8.5, "Vragen van het lid ", b"[(Kostic) 500 (\xb4) -167 ( \\(PvdD\\) over CO)] TJ",
              b"/F1 5.5 Tf -1.5 Ts (2) Tj 0 Ts /F1 8.5 Tf", "-uitstoot."),
        _line(221, 480.8, 8.5, "Vraag 1"),
        _line(221, 471.2, 8.5, "Is dat waar?", _sup("1"), " Verder vraag ik naar de beantwoor-"),
        _line(221, 461.6, 8.5, "ding van eerdere vragen.", _sup("2 3")),
        _line(221, 442.4, 8.5, "Antwoord 1"),
        _line(221, 432.8, 8.5, b"(\x81 Eerste punt) Tj"),
        _line(221, 423.2, 8.5, "Zie ook het vervolg.", _sup("4")),
        b"0.3 w 221 140 m 278 140 l S",
        _line(221, 128, 6.9, _sup("1", 4.5, 2.8, 6.9), " Eerste voetnoot."),
        _line(221, 119, 6.9, _sup("2", 4.5, 2.8, 6.9), " Tweede voetnoot."),
        _line(221, 110, 6.9, _sup("3", 4.5, 2.8, 6.9), " Derde voetnoot loopt door op de"),
        *_footer(1, first=True),
    ]
    page2 = [
        _line(221, 760, 8.5, "Tweede bladzijde, zonder voetnoten in de tekst."),
        b"0.3 w 221 140 m 278 140 l S",
        _line(227, 128, 6.9, "volgende bladzijde."),
        _line(221, 95, 6.9, _sup("4", 4.5, 2.8, 6.9), " Tweede Kamer, vergaderjaar 2022\u20132023, Aanhangsel 844"),
        *_footer(2, first=False),
    ]
    return _make_pdf([b"\n".join(page1), b"\n".join(page2)])


@pytest.fixture(params=ENGINES)
def engine(request) -> str:
    """Each way of finding the glyphs: the layout rules must hold for both."""
    return request.param


def test_synthetic_layout(tmp_path: Path, engine: str) -> None:
    path = tmp_path / "ah-tk-20232024-9999.pdf"
    path.write_bytes(_synthetic())
    source = PdfReader(engine).read(path)
    # an empty line after each line that ends a paragraph of body text (a
    # short line, here also across the page break); a full line continues
    assert "Vraag 1\n\nIs dat waar?[^1] Verder vraag ik naar de beantwoor-\nding van eerdere vragen.[^2][^3]\n\n" in source.text
    assert "Zie ook het vervolg.[^4]\n\nTweede bladzijde" in source.text
    lines = [line for line in source.text.split("\n") if line]
    assert lines[:3] == ["Tweede Kamer der Staten-Generaal", "Vergaderjaar 2023–2024 Aanhangsel van de Handelingen", "9999"]
    # overprinted accent composed, subscript kept as text
    assert lines[3] == "Vragen van het lid Kostić (PvdD) over CO2-uitstoot."
    # markers raised with text rise, single and grouped; the hyphen stays
    assert lines[5] == "Is dat waar?[^1] Verder vraag ik naar de beantwoor-"
    assert lines[6] == "ding van eerdere vragen.[^2][^3]"
    assert lines[8] == "• Eerste punt"
    assert lines[-1] == "Tweede bladzijde, zonder voetnoten in de tekst."
    assert [(f.number, f.text) for f in source.footnotes] == [
        (1, "Eerste voetnoot."),
        (2, "Tweede voetnoot."),
        (3, "Derde voetnoot loopt door op de\nvolgende bladzijde."),
        (4, "Tweede Kamer, vergaderjaar 2022–2023, Aanhangsel 844"),
    ]
    assert source.furniture == (
        "ah-tk-20232024-9999",
        "ISSN 0921 - 7398",
        "’s-Gravenhage 2024",
        "Tweede Kamer, vergaderjaar 2023–2024, Aanhangsel 1",
        "Tweede Kamer, vergaderjaar 2023–2024, Aanhangsel 2",
    )
    assert source.warnings == ()


def test_synthetic_marker_without_footnote_warns(tmp_path: Path, engine: str) -> None:
    path = tmp_path / "los.pdf"
    path.write_bytes(_make_pdf([b"\n".join([
        _line(221, 500, 8.5, "Vraag 1"),
        _line(221, 490.4, 8.5, "Klopt het bericht?", _sup("1")),
        _line(221, 480.8, 8.5, "Antwoord 1"),
        _line(221, 471.2, 8.5, "Ja."),
    ])]))
    source = PdfReader(engine).read(path)
    # the longest line sets the right margin, so nothing fits after it
    assert source.text == "Vraag 1\n\nKlopt het bericht?[^1]\nAntwoord 1\n\nJa."
    assert source.footnotes == ()
    assert source.warnings == ("marker 1 in the text has no footnote",)


def test_synthetic_grouped_markers(tmp_path: Path, engine: str) -> None:
    """Markers printed "1, 2" (full-size comma) and "3 4" become adjacent marks."""
    path = tmp_path / "groep.pdf"
    path.write_bytes(_make_pdf([b"\n".join([
        _line(221, 500, 8.5, "Twee bronnen", _sup("1"), ",", _sup("2"), " en nog twee.", _sup("3 4")),
        _line(221, 490.4, 8.5, "Een m", _sup("e", rise=3.6), " blijft tekst."),
    ])]))
    source = PdfReader(engine).read(path)
    assert source.text == "Twee bronnen[^1][^2] en nog twee.[^3][^4]\nEen me blijft tekst."
    assert len(source.warnings) == 4


def test_synthetic_footnote_numbers_not_raised(tmp_path: Path, engine: str) -> None:
    """A layout that sets footnote numbers in the note's own size on its
    baseline: the numbers in sequence at the block's left edge still count."""
    path = tmp_path / "vlak.pdf"
    path.write_bytes(_make_pdf([b"\n".join([
        _line(221, 500, 8.5, "Klopt het bericht?", _sup("1"), " En dit?", _sup("2")),
        # the body must outweigh the footnotes for its size to count as the body size
        _line(221, 490.4, 8.5, "Antwoord 1 en 2: ja, het bericht klopt en ook dat andere bericht klopt."),
        b"0.3 w 221 140 m 278 140 l S",
        _line(221, 128, 6.9, "1 Eerste bron, zie blz."),
        _line(227, 119, 6.9, "3 van het rapport."),
        _line(221, 110, 6.9, "2 Tweede bron."),
    ])]))
    source = PdfReader(engine).read(path)
    assert source.text.split("\n")[0] == "Klopt het bericht?[^1] En dit?[^2]"
    assert len([line for line in source.text.split("\n") if line]) == 2
    assert [(f.number, f.text) for f in source.footnotes] == [
        (1, "Eerste bron, zie blz.\n3 van het rapport."),
        (2, "Tweede bron."),
    ]
    assert source.warnings == ()


def test_text_and_rules_inside_a_form_xobject(tmp_path: Path) -> None:
    # A page drawn as a form XObject (its own matrix, moved again by the page):
    # both engines find its glyphs and its footnote rule at the same place.
    import kg.read.pdf as reader

    body = b"\n".join([
        _line(221, 480.8, 8.5, "Vraag 1"),
        _line(221, 471.2, 8.5, "Is dat waar?", _sup("1"), " Verder vraag ik naar de beantwoor-"),
        _line(221, 461.6, 8.5, "ding van eerdere vragen.", _sup("2")),
        b"0.3 w 221 140 m 278 140 l S",
        _line(221, 128, 6.9, _sup("1", 4.5, 2.8, 6.9), " Eerste voetnoot."),
        _line(221, 119, 6.9, _sup("2", 4.5, 2.8, 6.9), " Tweede voetnoot."),
        *_footer(1, first=True),
    ])
    form = (b"<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Matrix [1 0 0 1 4 -6] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Length %d >>\nstream\n" % len(body) + body + b"\nendstream")
    path = tmp_path / "ah-tk-20232024-9999.pdf"
    path.write_bytes(_make_pdf([b"q 1 0 0 1 3 2 cm /Im1 Do Q"], images=[form]))
    data = path.read_bytes()
    rules = [page.rules for page in reader._load_pages_pdfium(data, path, [])]
    assert rules == [[(228.0, 285.0, 136.0)]]  # 221..278 at 140, moved by (4, -6) and (3, 2)
    assert rules == [page.rules for page in reader._load_pages(data, path, [])]
    a, b = PdfReader("pdfium").read(path), PdfReader("pdfplumber").read(path)
    assert (a.text, a.footnotes, a.furniture, a.warnings) == (b.text, b.footnotes, b.furniture, b.warnings)
    assert [f.text for f in a.footnotes] == ["Eerste voetnoot.", "Tweede voetnoot."]


def test_pdfium_reads_text_printed_twice_for_bold_once(tmp_path: Path) -> None:
    # "Fake bold": the same line printed again a fraction of a point to the
    # right. PDFium's text page keeps one copy; pdfminer keeps both, which
    # doubles every letter (the one known difference between the engines).
    path = tmp_path / "vet.pdf"
    path.write_bytes(_make_pdf([b"\n".join([
        _line(221, 500, 8.5, "Vraag 1"), _line(221.3, 500, 8.5, "Vraag 1"),
        _line(221, 490.4, 8.5, "Klopt het bericht?"),
    ])]))
    assert PdfReader("pdfium").read(path).text == "Vraag 1\n\nKlopt het bericht?"
    assert PdfReader("pdfplumber").read(path).text.startswith("VVrraaaagg 11")
