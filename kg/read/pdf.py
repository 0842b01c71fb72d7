"""Official Aanhangsel PDFs, read from character positions and font sizes.

Plain text extraction loses exactly what the parser needs: which small digits
are footnote markers, where the footnotes stand, and which lines are page
furniture. This reader works on the characters of the page, with their size
and position, and relies only on layout phenomena, not on a particular file.
Two engines find the characters with the same geometry: PDFium (pypdfium2;
the default, about three times faster) and pdfplumber (pdfminer), which reads
what PDFium cannot open or would measure differently (a rotated page).

* lines are rebuilt from the characters' baselines, one printed line per line;
* a character much smaller than its line and raised above it is superscript:
  digits there are footnote markers (``20231`` is "2023" plus marker 1), and
  lowered ones are subscripts kept as text (``CO2``);
* footnotes are the lines in a smaller font at the bottom of a page (below the
  short separator rule where there is one), each starting with its raised
  number; a footnote block that starts without a number continues the last
  footnote of the previous page;
* running headers and footers (identifier, ISSN, place and year, "Tweede
  Kamer, vergaderjaar ..., Aanhangsel N", bare page numbers) are recognised by
  their pattern within the top and bottom margins and moved to ``furniture``;
* a decorative glyph several times the body size (the large logo "2") is
  dropped; the masthead text is kept, the parser reads it.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from statistics import median
from typing import Any, Callable, Iterator

from kg.errors import ReadError
from kg.model import FOOTNOTE_MARK, RawFootnote, SourceText
from kg.read import name_says_truncated, read_bytes, sha256_of

# ------------------------------------------------------------------ geometry
# Fractions of a font size or of the page; chosen from the layout of the
# official publications and loose enough for small variations between years.
SMALL_RATIO = 0.8  # a glyph this much smaller than its line is super/subscript
RAISED = 0.2  # superscript: bottom at least this fraction of the line size higher
LOWERED = 0.1  # subscript: bottom at least this fraction lower
SPACE_GAP = 0.15  # a horizontal gap this wide (x size) is a word space
COLUMN_GAP = 2.5  # a gap this wide (x size) separates blocks on one baseline
FOOTNOTE_RATIO = 0.92  # footnote text is set smaller than the body
DECORATION_RATIO = 4.0  # a glyph this much larger than the body is a logo
TOP_BAND = 0.10  # running headers stand in the top 10% of the page
BOTTOM_BAND = 0.12  # running footers in the bottom 12%

# Page furniture, matched on a whole block of text within the top or bottom band.
_FURNITURE = [
    # running footer/header; the masthead "Tweede Kamer der Staten-Generaal" has no comma
    re.compile(r"(?:Tweede|Eerste)\s+Kamer\s*,\s*vergaderjaar\s+[0-9]{4}\s*[–-]\s*[0-9]{4}\s*,\s*\D.*", re.I),
    re.compile(r"[a-z]{1,6}-(?:tk|ek)-[0-9A-Za-z][0-9A-Za-z-]*"),  # identifier ah-tk-20232024-1178
    re.compile(r"ISSN\s*[0-9]{4}\s*-?\s*[0-9]{3}[0-9Xx]"),
    re.compile(r"['’‘]s-Gravenhage\s+[0-9]{4}"),
    re.compile(r"(?:Pagina\s+)?[0-9]{1,4}(?:\s*(?:/|van)\s*[0-9]{1,4})?", re.I),  # page number
]

# Spacing accents that some typesetters overprint on the base letter
# ("c" + "´" for "ć"); they become combining marks on that letter.
_SPACING_ACCENTS = {
    "\u00b4": "\u0301",  # acute
    "\u02dd": "\u030b",  # double acute
    "`": "\u0300",  # grave
    "\u02cb": "\u0300",
    "\u00a8": "\u0308",  # diaeresis
    "\u00b8": "\u0327",  # cedilla
    "\u02db": "\u0328",  # ogonek
    "\u02c6": "\u0302",  # circumflex
    "\u02dc": "\u0303",  # tilde
    "\u02c7": "\u030c",  # caron
    "\u02d8": "\u0306",  # breve
    "\u02d9": "\u0307",  # dot above
    "\u02da": "\u030a",  # ring above
    "\u00af": "\u0304",  # macron
}
_LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st"}
_CID = re.compile(r"\(cid:(\d+)\)")
_MARKER_RUN = re.compile(r"\d+(?:\s*[,;]?\s*\d+)*")


@dataclass(slots=True)
class _Glyph:
    text: str
    x0: float
    x1: float
    y0: float  # bottom of the glyph box (PDF space, y grows upwards)
    y1: float
    size: float
    base: float  # baseline
    kind: str = "n"  # n(ormal), sup(erscript) or sub(script) within its line


@dataclass
class _Block:
    """Glyphs on one baseline without a wide gap: a line, or part of one."""

    glyphs: list[_Glyph]
    _size: float | None = field(default=None, repr=False)

    @property
    def size(self) -> float:
        """The line's font size: the size most of its characters have."""
        if self._size is None:
            counts = Counter(round(g.size, 1) for g in self.glyphs if not g.text.isspace())
            self._size = counts.most_common(1)[0][0] if counts else max(g.size for g in self.glyphs)
        return self._size

    @property
    def x0(self) -> float:
        return min(g.x0 for g in self.glyphs)

    @property
    def x1(self) -> float:
        return max(g.x1 for g in self.glyphs)

    @property
    def y0(self) -> float:
        return min(g.y0 for g in self.glyphs)

    @property
    def y1(self) -> float:
        return max(g.y1 for g in self.glyphs)

    @property
    def base(self) -> float:
        size = self.size
        return median(g.base for g in self.glyphs if abs(g.size - size) < 0.2 or g.text.isspace())


@dataclass
class _Line:
    """One printed line after furniture removal, as text pieces and markers."""

    pieces: list[tuple[str, Any]]  # ("t", text) or ("m", [numbers])
    size: float
    x0: float
    y0: float
    y1: float
    x1: float = 0.0  # right end of the line's last glyph
    first_word: float = 0.0  # width of the line's first word, for "would it have fitted above?"

    def render(self, markers: bool = True) -> str:
        out = []
        for kind, value in self.pieces:
            if kind == "t":
                out.append(value)
            elif markers:
                out.extend(FOOTNOTE_MARK.format(n) for n in value)
            else:
                out.append(" ".join(str(n) for n in value))
        return re.sub(r" {2,}", " ", "".join(out)).strip()

    def leading_number(self) -> int | None:
        """The footnote number a footnote line starts with: a raised number."""
        if self.pieces and self.pieces[0][0] == "t" and not self.pieces[0][1].strip():
            rest = self.pieces[1:]
        else:
            rest = self.pieces
        if rest and rest[0][0] == "m" and len(rest[0][1]) == 1:
            return rest[0][1][0]
        return None

    def without_leading_number(self) -> _Line:
        pieces = list(self.pieces)
        while pieces and pieces[0][0] == "t" and not pieces[0][1].strip():
            pieces.pop(0)
        return _Line(pieces[1:], self.size, self.x0, self.y0, self.y1, self.x1, self.first_word)


@dataclass
class _Page:
    number: int
    bbox: tuple[float, float, float, float]
    glyphs: list[_Glyph]
    rules: list[tuple[float, float, float]]  # short horizontal rules: (x0, x1, y)
    has_images: bool


# The engines that find the glyphs: "pdfium" (pypdfium2, PDFium's text page)
# and "pdfplumber" (pdfminer's layout). Both give the same glyph geometry, the
# rest of the reader is one; PDFium is the faster (benchmarks/bench_pdf.py).
ENGINES = ("pdfium", "pdfplumber")
DEFAULT_ENGINE = "pdfium"


class PdfReader:
    name = "pdf"

    def __init__(self, engine: str = DEFAULT_ENGINE) -> None:
        if engine not in ENGINES:
            raise ValueError(f"unknown PDF engine {engine!r}; one of {', '.join(ENGINES)}")
        self.engine = engine

    def read(self, path: Path) -> SourceText:
        data = read_bytes(path)
        if not data:
            raise ReadError("the file is empty", path)
        if b"%PDF-" not in data[:1024]:
            raise ReadError("not a PDF file (no %PDF header)", path)
        warnings: list[str] = []
        pages = self._pages(data, path, warnings)

        glyph_count = sum(1 for p in pages for g in p.glyphs if not g.text.isspace())
        if glyph_count == 0:
            if any(p.has_images for p in pages):
                raise ReadError("no text layer: the PDF is a scan", path)
            raise ReadError("no text layer: the PDF holds no text", path)
        for page in pages:
            if not page.glyphs:
                warnings.append(f"page {page.number} has no text layer" + (" (a scan?)" if page.has_images else ""))
        if b"%%EOF" not in data[-1024:]:
            warnings.append("the file lacks its %%EOF marker: it may be cut short")

        body_size = Counter(round(g.size, 1) for p in pages for g in p.glyphs if not g.text.isspace()).most_common(1)[0][0]
        body_lines: list[tuple[int, _Line]] = []  # (page number, line)
        furniture: list[str] = []
        notes: dict[int, list[str]] = {}
        state = _NoteState()
        current: int | None = None  # the footnote the last footnote line belongs to
        for page in pages:
            lines = _page_lines(page, body_size, furniture)
            body, foot = _split_footnotes(page, lines, body_size, state)
            body_lines.extend((page.number, line) for line in body)
            for number, note in foot:
                if number is None:  # continues the last footnote, also across a page break
                    if current is not None:
                        notes[current].append(note)
                    continue
                if number in notes:
                    warnings.append(f"footnote {number} printed twice; the texts are joined")
                notes.setdefault(number, []).append(note)
                current = number

        text = unicodedata.normalize("NFC", "\n".join(_text_with_paragraphs(body_lines, body_size)))
        footnotes = tuple(
            RawFootnote(n, unicodedata.normalize("NFC", "\n".join(t for t in notes[n] if t))) for n in sorted(notes)
        )
        warnings.extend(_check_footnotes(text, footnotes))
        return SourceText(
            path=path,
            format=self.name,
            text=text,
            sha256=sha256_of(data),
            footnotes=footnotes,
            layout_clean=True,
            truncated=name_says_truncated(path),
            warnings=tuple(dict.fromkeys(warnings)),
            furniture=tuple(unicodedata.normalize("NFC", f) for f in furniture),
        )


    def _pages(self, data: bytes, path: Path, warnings: list[str]) -> list[_Page]:
        if self.engine == "pdfium":
            own: list[str] = []
            try:
                pages = _load_pages_pdfium(data, path, own)
            except _NotForPdfium:
                pass  # pdfplumber reads it, or says why it cannot be read
            else:
                warnings.extend(own)
                return pages
        return _load_pages(data, path, warnings)


# --------------------------------------------------------------------- loading


def _load_pages(data: bytes, path: Path, warnings: list[str]) -> list[_Page]:
    """Every page's glyphs, with pdfminer's errors turned into ReadError."""
    import pdfplumber
    from pdfminer.layout import LTChar, LTCurve, LTImage

    pages: list[_Page] = []
    fonts = _FontFallback()
    try:
        with pdfplumber.open(BytesIO(data)) as pdf:
            for number, page in enumerate(pdf.pages, start=1):
                # page.layout is pdfminer's page without layout analysis; its
                # LTChar objects are all we need and cost a third of page.chars.
                layout = page.layout
                glyphs: list[_Glyph] = []
                rules: list[tuple[float, float, float]] = []
                has_images = False
                width = layout.width
                skipped = 0
                for obj in _walk(layout):
                    if isinstance(obj, LTChar):
                        if not obj.upright:
                            skipped += not obj.get_text().isspace()
                            continue
                        glyphs.append(_glyph(obj, page, fonts))
                    elif isinstance(obj, LTCurve) and obj.height < 1.5 and 0.03 * width < obj.width < 0.4 * width:
                        rules.append((obj.x0, obj.x1, (obj.y0 + obj.y1) / 2))
                    elif isinstance(obj, LTImage):
                        has_images = True
                if skipped:
                    warnings.append(f"page {number}: {skipped} rotated characters left out")
                pages.append(_Page(number, tuple(layout.bbox), glyphs, rules, has_images))
                page.close()
    except ReadError:
        raise
    except Exception as exc:  # pdfminer raises many types; all mean "cannot read"
        raise ReadError(_describe_failure(exc), path) from exc
    if fonts.unresolved:
        warnings.append(f"{fonts.unresolved} characters without a Unicode mapping replaced by U+FFFD")
    return pages


def _load_pages_pdfium(data: bytes, path: Path, warnings: list[str]) -> list[_Page]:
    """Every page's glyphs through PDFium (pypdfium2), in pdfminer's geometry.

    The same glyph boxes the pdfplumber engine gives: left, right and bottom
    from PDFium's loose char box (advance width, font descent), top one font
    size above the bottom, the size the text matrix's vertical scale times the
    font size, the baseline the glyph's origin; characters PDFium generates
    (spaces and line breaks of its own) are left out. Rules come from the
    paths' points, one per subpath, as pdfminer makes them. Raises _NotForPdfium
    where its geometry would differ (a rotated page): the caller reads such a
    file with pdfplumber."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    pages: list[_Page] = []
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise _NotForPdfium(str(exc)) from exc
    try:
        rect = raw.FS_RECTF()
        matrix = raw.FS_MATRIX()
        ox, oy = ctypes.c_double(), ctypes.c_double()
        # The per-character functions with plain addresses for arguments and
        # result: ctypes' pointer objects cost more than the calls, and this
        # loop runs once per character of the archive.
        def plain(function: Any, result: Any, *args: Any) -> Any:
            return ctypes.CFUNCTYPE(result, *args)(ctypes.cast(function, ctypes.c_void_p).value)

        address, number_arg = ctypes.c_void_p, ctypes.c_int
        get_object = plain(raw.FPDFText_GetTextObject, address, address, number_arg)
        get_box = plain(raw.FPDFText_GetLooseCharBox, ctypes.c_int, address, number_arg, address)
        map_error = plain(raw.FPDFText_HasUnicodeMapError, ctypes.c_int, address, number_arg)
        rect_at = ctypes.addressof(rect)
        unresolved = 0
        for number in range(1, len(pdf) + 1):
            page = pdf[number - 1]
            if page.get_rotation() % 360:
                raise _NotForPdfium(f"page {number} is rotated")
            left, bottom, right, top = page.get_mediabox()
            textpage = page.get_textpage()
            handle = ctypes.cast(textpage.raw, ctypes.c_void_p).value
            n = raw.FPDFText_CountChars(textpage)
            text = _pdfium_text(raw, textpage, n)
            glyphs: list[_Glyph] = []
            append = glyphs.append
            objects: dict[int, tuple[float, float, bool]] = {}  # text object -> (size, baseline, upright)
            skipped = 0
            for i in range(n):
                key = get_object(handle, i)
                if not key:  # generated by PDFium, not printed
                    continue
                info = objects.get(key)
                if info is None:
                    raw.FPDFText_GetMatrix(textpage, i, matrix)
                    raw.FPDFText_GetCharOrigin(textpage, i, ox, oy)
                    size = raw.FPDFText_GetFontSize(textpage, i) * abs(matrix.d)
                    upright = matrix.a * matrix.d > 0 and matrix.b * matrix.c <= 0 and matrix.b == 0
                    info = objects[key] = (size, oy.value - bottom, upright)
                size, base, upright = info
                ch = text[i]
                if ch in _PDFIUM_HYPHEN:
                    ch = "-"  # a hyphen at a line end, which PDFium marks instead of showing it
                if not upright:
                    skipped += not ch.isspace()
                    continue
                if map_error(handle, i) == 1:
                    ch = "\ufffd"
                    unresolved += 1
                get_box(handle, i, rect_at)
                y0 = rect.bottom - bottom
                append(_Glyph(_LIGATURES.get(ch, ch), rect.left - left, rect.right - left, y0, y0 + size, size, base))
            textpage.close()
            rules, has_images = _pdfium_rules(raw, page, right - left, left, bottom)
            if skipped:
                warnings.append(f"page {number}: {skipped} rotated characters left out")
            pages.append(_Page(number, (0.0, 0.0, right - left, top - bottom), glyphs, rules, has_images))
            page.close()
        if unresolved:
            warnings.append(f"{unresolved} characters without a Unicode mapping replaced by U+FFFD")
    finally:
        pdf.close()
    return pages


def _pdfium_text(raw: Any, textpage: Any, n: int) -> str:
    """The page's n characters, one str character each, in one call."""
    import ctypes

    buf = (ctypes.c_ushort * (n + 1))()
    raw.FPDFText_GetText(textpage, 0, n, buf)
    text = bytes(buf)[: 2 * n].decode("utf-16-le", errors="surrogatepass")
    if len(text) == n and not any("\ud800" <= c <= "\udfff" for c in text):
        return text
    return "".join(chr(raw.FPDFText_GetUnicode(textpage, i)) for i in range(n))  # characters beyond the BMP


def _pdfium_rules(raw: Any, page: Any, width: float, left: float, bottom: float) -> tuple[list[tuple[float, float, float]], bool]:
    """Short horizontal rules (x0, x1, y) of the page's painted paths, and whether it shows images."""
    import ctypes

    rules: list[tuple[float, float, float]] = []
    has_images = False
    matrix = raw.FS_MATRIX()
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    x, y = ctypes.c_float(), ctypes.c_float()

    def walk(count: int, get: Callable[[int], Any], outer: tuple[float, ...]) -> None:
        nonlocal has_images
        for k in range(count):
            obj = get(k)
            kind = raw.FPDFPageObj_GetType(obj)
            if kind == raw.FPDF_PAGEOBJ_IMAGE:
                has_images = True
            elif kind == raw.FPDF_PAGEOBJ_FORM:
                raw.FPDFPageObj_GetMatrix(obj, matrix)
                inner = _compose((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), outer)
                walk(raw.FPDFFormObj_CountObjects(obj), lambda j, o=obj: raw.FPDFFormObj_GetObject(o, j), inner)
            elif kind == raw.FPDF_PAGEOBJ_PATH:
                raw.FPDFPath_GetDrawMode(obj, fill, stroke)
                if not fill.value and not stroke.value:
                    continue  # a clipping path: pdfminer shows only painted ones
                raw.FPDFPageObj_GetMatrix(obj, matrix)
                m = _compose((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), outer)
                subpaths: list[list[tuple[float, float]]] = []
                for s in range(raw.FPDFPath_CountSegments(obj)):
                    segment = raw.FPDFPath_GetPathSegment(obj, s)
                    raw.FPDFPathSegment_GetPoint(segment, x, y)
                    point = (m[0] * x.value + m[2] * y.value + m[4], m[1] * x.value + m[3] * y.value + m[5])
                    if raw.FPDFPathSegment_GetType(segment) == raw.FPDF_SEGMENT_MOVETO or not subpaths:
                        subpaths.append([])
                    subpaths[-1].append(point)
                for points in subpaths:
                    xs, ys = [p[0] - left for p in points], [p[1] - bottom for p in points]
                    w, h = max(xs) - min(xs), max(ys) - min(ys)
                    if h < 1.5 and 0.03 * width < w < 0.4 * width:
                        rules.append((min(xs), max(xs), (min(ys) + max(ys)) / 2))

    identity = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    walk(raw.FPDFPage_CountObjects(page), lambda j: raw.FPDFPage_GetObject(page, j), identity)
    return rules, has_images


def _compose(m: tuple[float, ...], outer: tuple[float, ...]) -> tuple[float, ...]:
    """The matrix m followed by outer (PDF's row-vector convention)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


_PDFIUM_HYPHEN = ("\ufffe", "\x02")  # FPDFText_GetText's and FPDFText_GetUnicode's mark of a line-end hyphen


class _NotForPdfium(Exception):
    """A file the PDFium engine leaves to pdfplumber (why in the message)."""


def _describe_failure(exc: BaseException) -> str:
    chain: list[BaseException] = []
    while exc is not None and exc not in chain:
        chain.append(exc)
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    names = " ".join(type(e).__name__ for e in chain)
    detail = next((str(e) for e in chain if str(e)), "") or names
    if "Password" in names or "Encrypt" in names or "password" in detail.lower():
        return "the PDF is encrypted and cannot be read without its password"
    return f"damaged PDF: {detail[:200]}"


def _walk(container: Any) -> Iterator[Any]:
    from pdfminer.layout import LTChar, LTContainer

    for obj in container:
        if isinstance(obj, LTContainer) and not isinstance(obj, LTChar):
            yield obj
            yield from _walk(obj)  # text inside form XObjects (LTFigure)
        else:
            yield obj


def _glyph(ch: Any, page: Any, fonts: _FontFallback) -> _Glyph:  # ch: pdfminer's LTChar
    text = ch.get_text()
    if "(cid:" in text:
        text = _CID.sub(lambda m: fonts.resolve(page, ch.fontname, int(m.group(1))), text)
    text = _LIGATURES.get(text, text)
    return _Glyph(text, ch.x0, ch.x1, ch.y0, ch.y1, ch.size, ch.matrix[5])


class _FontFallback:
    """Unicode for codes the font's declared encoding leaves unassigned.

    pdfminer prints such a code as "(cid:129)". The PDF standard has viewers
    show every unused WinAnsiEncoding code above octal 40 as a bullet, and
    typesetters rely on it (code 129 for the list bullets in the Aanhangsel
    PDFs). Anything else becomes U+FFFD and a warning."""

    _WINANSI_UNUSED = frozenset({0x7F, 0x81, 0x8D, 0x8F, 0x90, 0x9D})

    def __init__(self) -> None:
        self._winansi: dict[str, bool] = {}
        self.unresolved = 0

    def resolve(self, page: Any, fontname: str, code: int) -> str:
        if fontname not in self._winansi:
            try:
                self._winansi[fontname] = _declares_winansi(page, fontname)
            except Exception:  # a font dictionary we cannot follow: fall back below
                self._winansi[fontname] = False
        if self._winansi[fontname] and code in self._WINANSI_UNUSED:
            return "\u2022"
        self.unresolved += 1
        return "\ufffd"


def _declares_winansi(page: Any, fontname: str) -> bool:
    from pdfminer.pdftypes import resolve1
    from pdfminer.psparser import literal_name

    fonts = resolve1((page.page_obj.resources or {}).get("Font")) or {}
    for spec in fonts.values():
        spec = resolve1(spec)
        if not isinstance(spec, dict) or literal_name(spec.get("BaseFont")) != fontname:
            continue
        encoding = resolve1(spec.get("Encoding"))
        if isinstance(encoding, dict):
            encoding = resolve1(encoding.get("BaseEncoding"))
        return encoding is not None and literal_name(encoding) == "WinAnsiEncoding"
    return False


# ------------------------------------------------------------------- lines


def _page_lines(page: _Page, body_size: float, furniture: list[str]) -> list[_Line]:
    """The page's lines top to bottom, superscripts attached, furniture removed."""
    glyphs = [g for g in page.glyphs if g.size < DECORATION_RATIO * body_size or g.text.isspace()]
    # 1. rows: glyphs on one baseline (markers, set higher, form rows of their own)
    rows: list[list[_Glyph]] = []
    for g in sorted(glyphs, key=lambda g: -g.base):
        if rows:
            first = rows[-1][0]
            # max() written out: this runs once per glyph
            tolerance = 0.12 * (first.size if first.size > g.size else g.size)
            if first.base - g.base <= (tolerance if tolerance > 0.5 else 0.5):
                rows[-1].append(g)
                continue
        rows.append([g])
    # 2. blocks: a row split where a wide gap separates columns (the footer's
    #    identifier block stands on the baseline of the running footer)
    row_blocks: list[list[_Block]] = []
    for row in rows:
        row.sort(key=lambda g: g.x0)
        blocks = [[row[0]]]
        right = row[0].x1
        for g in row[1:]:
            last = blocks[-1][-1].size
            if g.x0 - right > COLUMN_GAP * (last if last > g.size else g.size):
                blocks.append([])
            blocks[-1].append(g)
            if g.x1 > right:
                right = g.x1
        row_blocks.append([_Block(b) for b in blocks if any(not g.text.isspace() for g in b)])
    # 3. small blocks (markers, subscripts, footnote numbers) join the line they belong to
    hosts = [(b, b.size, b.base, b.x0, b.x1) for blocks in row_blocks for b in blocks]
    attached: set[int] = set()
    hosting: set[int] = set()  # one level only: a host is not attached, an attached block hosts nothing
    for blocks in row_blocks:
        for small in blocks:
            if id(small) in hosting or sum(not g.text.isspace() for g in small.glyphs) > 8:
                continue
            host = _host_for(small, [h for h in hosts if id(h[0]) not in attached])
            if host is not None:
                host.glyphs.extend(small.glyphs)
                attached.add(id(small))
                hosting.add(id(host))
    # 4. furniture: rows in the top or bottom margin, read from the page edge
    #    inwards, as long as every block matches a furniture pattern. A
    #    footnote citing "Tweede Kamer, vergaderjaar ..." stands above the
    #    footer and renders with its number as marker, so it never matches.
    live_rows = []
    for blocks in row_blocks:
        live = [b for b in blocks if id(b) not in attached]
        for block in live:
            _classify(block)
        if live:
            live_rows.append(live)
    height = page.bbox[3] - page.bbox[1]
    top_band = page.bbox[3] - TOP_BAND * height
    bottom_band = page.bbox[1] + BOTTOM_BAND * height
    furniture_rows: dict[int, list[tuple[float, str]]] = {}
    for order, in_band in ((range(len(live_rows)), lambda b: b.y1 > top_band),
                           (range(len(live_rows) - 1, -1, -1), lambda b: b.y0 < bottom_band)):
        for k in order:
            row = live_rows[k]
            if not all(in_band(b) for b in row):
                break
            texts = [_Line(_pieces(b.glyphs), b.size, 0, 0, 0).render() for b in row]
            if not all(any(p.fullmatch(t) for p in _FURNITURE) for t in texts):
                break
            removed: list[tuple[float, str]] = []
            for block, text in zip(row, texts):
                # the page number set apart in the running footer stays with it
                if removed and removed[-1][0] == block.size:
                    removed[-1] = (block.size, f"{removed[-1][1]} {text}")
                else:
                    removed.append((block.size, text))
            furniture_rows[k] = removed
    # 5. one line per remaining row
    lines: list[_Line] = []
    for k, kept in enumerate(live_rows):
        if k in furniture_rows:
            furniture.extend(text for _, text in furniture_rows[k])
            continue
        pieces: list[tuple[str, Any]] = []
        for block in kept:
            if pieces:
                pieces.append(("t", " "))
            pieces.extend(_pieces(block.glyphs))
        sizes: Counter = Counter()
        for b in kept:  # each block's printed characters counted at its size, blocks in order
            printed = sum(not g.text.isspace() for g in b.glyphs)
            if printed:
                sizes[b.size] += printed
        size = sizes.most_common(1)[0][0]
        x1 = max(g.x1 for b in kept for g in b.glyphs if not g.text.isspace() and g.kind != "sup")
        lines.append(_Line(pieces, size, min(b.x0 for b in kept), min(b.y0 for b in kept), max(b.y1 for b in kept),
                           x1, _first_word_width(kept[0].glyphs)))
    return lines


def _first_word_width(glyphs: list[_Glyph]) -> float:
    """The printed width of the first word of a block: up to the first space
    (a space glyph or a gap a space wide)."""
    word: list[_Glyph] = []
    for g in sorted(glyphs, key=lambda g: g.x0):
        if g.text.isspace() or g.kind == "sup":
            if word:
                break
            continue
        if word and g.x0 - word[-1].x1 > SPACE_GAP * max(g.size, word[-1].size):
            break
        word.append(g)
    return word[-1].x1 - word[0].x0 if word else 0.0


def _host_for(small: _Block, hosts: list[tuple[_Block, float, float, float, float]]) -> _Block | None:
    """The line a small block is the super- or subscript of, if any; hosts
    are (block, size, baseline, x0, x1)."""
    best, best_distance = None, None
    size, base, x0 = small.size, small.base, small.x0
    for host, host_size, host_base, host_x0, host_x1 in hosts:
        if host is small or size > SMALL_RATIO * host_size:
            continue
        rise = base - host_base
        if not (-0.5 * host_size <= rise <= 0.9 * host_size):
            continue
        if not (host_x0 - 2 * host_size <= x0 <= host_x1 + host_size):
            continue
        if best_distance is None or abs(rise) < best_distance:
            best, best_distance = host, abs(rise)
    return best


def _classify(block: _Block) -> None:
    """Mark the glyphs set smaller and higher (lower) than the line as super-
    (sub)scripts, by their position against the line's own glyphs."""
    size = block.size
    ref = median(g.y0 for g in block.glyphs if abs(g.size - size) < 0.2 and not g.text.isspace())
    for g in block.glyphs:
        if g.size <= SMALL_RATIO * size:
            if g.y0 - ref >= RAISED * size:
                g.kind = "sup"
            elif ref - g.y0 >= LOWERED * size:
                g.kind = "sub"


def _pieces(glyphs: list[_Glyph]) -> list[tuple[str, Any]]:
    """Text of one block in reading order; raised digit runs become markers."""
    glyphs = _attach_accents(sorted(glyphs, key=lambda g: g.x0))
    pieces: list[tuple[str, Any]] = []
    buf: list[str] = []
    prev: _Glyph | None = None
    space = False
    i = 0
    while i < len(glyphs):
        g = glyphs[i]
        if g.text.isspace():
            space = prev is not None
            i += 1
            continue
        if g.kind == "sup":
            j = i
            while j < len(glyphs) and (glyphs[j].kind == "sup" or _joins_markers(glyphs, j)):
                j += 1
            run = glyphs[i:j]
            run_text = "".join(x.text for x in run).strip()
            if _MARKER_RUN.fullmatch(run_text):
                # a marker belongs to the word before it, even if a space was set
                if buf:
                    pieces.append(("t", "".join(buf)))
                    buf = []
                pieces.append(("m", [int(n) for n in re.findall(r"\d+", run_text)]))
                prev = [x for x in run if not x.text.isspace()][-1]
                space = run[-1].text.isspace()
                i = j
                continue
            # raised letters (1e, m2 as text) stay text
        if prev is not None and (space or g.x0 - prev.x1 > SPACE_GAP * (prev.size if prev.size > g.size else g.size)):
            buf.append(" ")
        buf.append(g.text)
        prev = g
        space = False
        i += 1
    if buf:
        pieces.append(("t", "".join(buf)))
    return pieces


def _joins_markers(glyphs: list[_Glyph], j: int) -> bool:
    """Whether glyph j is a space or comma between two raised markers, set in
    whatever size ("1, 2" printed with a full-size comma)."""
    if not (glyphs[j].text.isspace() or glyphs[j].text in ",;"):
        return False
    k = j + 1
    while k < len(glyphs) and (glyphs[k].text.isspace() or glyphs[k].text in ",;"):
        k += 1
    return k < len(glyphs) and glyphs[k].kind == "sup" and glyphs[k].text.isdigit()


def _attach_accents(glyphs: list[_Glyph]) -> list[_Glyph]:
    """Put overprinted accents on the letter they stand over, as combining
    marks, so that NFC gives the composed letter ("c" + "´" -> "ć")."""
    accents = [
        g for g in glyphs if g.text in _SPACING_ACCENTS or (len(g.text) == 1 and unicodedata.category(g.text) == "Mn")
    ]
    if not accents:
        return glyphs
    out = [g for g in glyphs if g not in accents]
    for accent in accents:
        centre = (accent.x0 + accent.x1) / 2
        bases = [g for g in out if g.x0 <= centre <= g.x1 and not g.text.isspace()]
        if not bases:
            out.append(accent)  # a free-standing accent: keep it as printed
            continue
        base = min(bases, key=lambda g: abs((g.x0 + g.x1) / 2 - centre))
        base.text += _SPACING_ACCENTS.get(accent.text, accent.text)
    out.sort(key=lambda g: g.x0)
    return out


# -------------------------------------------------------------- paragraphs
PARAGRAPH_GAP = 0.5  # a vertical gap this much larger than the leading (x size) separates paragraphs
INDENT = 0.8  # a first line indented this much (x size) starts a paragraph
RIGHT_EDGE_QUANTILE = 0.9  # the right margin: where most full lines of body text end
_LIST_ITEM = re.compile(r"^\s*(?:[-•–·▪*]|\(?[a-z0-9]{1,2}[.)])\s")


def _text_with_paragraphs(body: list[tuple[int, _Line]], body_size: float) -> list[str]:
    """The body lines as text, with an empty line after each line that ends a
    paragraph of body text, where the layout proves it:

    * the next line's first word would have fitted at the end of this line
      (before the right margin, after a space): the line was not full;
    * or a vertical gap wider than the leading separates the two lines;
    * or the next line is indented while the one after it is not (a first-line indent).

    Only lines in the body's own size take part (the masthead, tables in a
    smaller size and headings in another size are left as they are). The
    parser reads these empty lines as paragraph ends (kg.parse.body)."""
    rendered = [(number, line, line.render()) for number, line in body]
    rendered = [r for r in rendered if r[2]]
    same_size = [line for _, line, _ in rendered if abs(line.size - body_size) < 0.3]
    if not same_size:
        return [text for _, _, text in rendered]
    ends = sorted(line.x1 for line in same_size)
    right = ends[min(len(ends) - 1, int(RIGHT_EDGE_QUANTILE * len(ends)))]
    out: list[str] = []
    for k, (page, line, text) in enumerate(rendered):
        out.append(text)
        if k + 1 >= len(rendered):
            break
        next_page, nxt, _ = rendered[k + 1]
        if abs(line.size - body_size) >= 0.3 or abs(nxt.size - body_size) >= 0.3:
            continue
        size = line.size
        fits = line.x1 + 0.25 * size + nxt.first_word <= right
        gap = page == next_page and line.y0 - nxt.y1 > PARAGRAPH_GAP * size
        after = rendered[k + 2][1] if k + 2 < len(rendered) and rendered[k + 2][0] == next_page else None
        indent = (
            page == next_page and after is not None and not _LIST_ITEM.match(text)
            and nxt.x0 - line.x0 > INDENT * size and abs(after.x0 - line.x0) < 0.5
        )
        if fits or gap or indent:
            out.append("")
    return out


# --------------------------------------------------------------- footnotes


@dataclass
class _NoteState:
    """What the pages so far say about the footnotes."""

    last: int | None = None  # number of the last footnote met
    size: float | None = None  # font size of footnote text
    ruled: bool = False  # footnote blocks stand below a separator rule


def _split_footnotes(
    page: _Page, lines: list[_Line], body_size: float, state: _NoteState
) -> tuple[list[_Line], list[tuple[int | None, str]]]:
    """(body lines, footnote lines) of one page; a footnote line is (number,
    text) where it starts a footnote and (None, text) where it continues one.

    The footnotes are the run of lines in a smaller font at the bottom of the
    page, cut at the separator rule where there is one. Lines before the first
    numbered one continue the previous page's last footnote."""
    start = len(lines)
    while start > 0 and lines[start - 1].size < FOOTNOTE_RATIO * body_size:
        start -= 1
    block = lines[start:]
    if not block:
        return lines, []
    # the separator rule above the footnotes: small lines above it are body text
    above = lines[start - 1].y0 if start > 0 else page.bbox[3]
    rules = [y for (_, _, y) in page.rules if block[-1].y0 < y < above]
    if rules:
        rule = max(rules)
        cut = next((k for k, line in enumerate(block) if line.y1 <= rule + 1), len(block))
        start += cut
        block = block[cut:]
    left = min(line.x0 for line in block) if block else 0.0
    numbers: list[int | None] = []
    expected = (state.last or 0) + 1
    for line in block:
        number = line.leading_number()
        if number is None:
            # footnote numbers set in the text's own size and position: only
            # the next number in sequence, at the block's left edge, counts
            m = re.match(r"\s*(\d{1,3})\s+\S", line.render(markers=False))
            if m and int(m.group(1)) == expected and line.x0 <= left + 1:
                number = expected
        if number is not None:
            expected = number + 1
        numbers.append(number)
    first = next((k for k, n in enumerate(numbers) if n is not None), None)
    # unnumbered lines at the top of the block continue the last footnote if
    # the layout agrees: below the rule where the footnotes have one, else in
    # the footnotes' font size
    continuing = bool(block) and state.last is not None
    if continuing and state.ruled:
        continuing = bool(rules)
    elif continuing:
        continuing = state.size is not None and abs(block[0].size - state.size) < 0.3
    if first is None:
        if not continuing:
            return lines, []
        first = len(block)
    elif first > 0 and not continuing:
        start += first
        block, numbers = block[first:], numbers[first:]
    out: list[tuple[int | None, str]] = []
    for line, number in zip(block, numbers):
        if number is None:
            out.append((None, line.render(markers=False)))
        elif line.leading_number() == number:
            out.append((number, line.without_leading_number().render(markers=False)))
        else:  # drop the printed number in front of the text
            out.append((number, re.sub(r"^\s*\d{1,3}\s+", "", line.render(markers=False))))
    if block:
        state.size = block[-1].size
        state.ruled = state.ruled or bool(rules)
        state.last = next((n for n in reversed(numbers) if n is not None), state.last)
    return lines[:start], out


def _check_footnotes(text: str, footnotes: tuple[RawFootnote, ...]) -> list[str]:
    warnings = []
    numbers = [f.number for f in footnotes]
    marked = [int(n) for n in re.findall(re.escape(FOOTNOTE_MARK).replace(r"\{\}", r"(\d+)"), text)]
    if numbers and numbers != list(range(1, len(numbers) + 1)):
        missing = sorted(set(range(1, max(numbers) + 1)) - set(numbers))
        if missing:
            warnings.append(f"footnotes not numbered 1..n: {', '.join(map(str, missing))} missing")
    for n in sorted(set(marked) - set(numbers)):
        warnings.append(f"marker {n} in the text has no footnote")
    for n in sorted(set(numbers) - set(marked)):
        warnings.append(f"footnote {n} has no marker in the text")
    for f in footnotes:
        if not f.text.strip():
            warnings.append(f"footnote {f.number} has no text")
    return warnings
