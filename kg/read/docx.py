"""Word (.docx): the ministry's answer before publication ("AH 604", the zaak
number, "Antwoord van minister …", "Vraag 1", "Antwoord op vraag 1") and
questions as submitted.

The OOXML parts are read straight from the zip with ElementTree: python-docx
gives no footnotes, no list numbers and no run-level detail (footnote
references, hidden text, deleted revisions), which are what this reader needs.

Text: the body's paragraphs in document order, table cells row by row, one
paragraph per line; numbers of Word's automatic lists are printed in front of
their paragraph as Word shows them. Footnotes come from ``word/footnotes.xml``
(and endnotes from ``word/endnotes.xml``); each ``w:footnoteReference`` becomes
``[^n]``, n counting the references in document order as Word prints them.
Headers and footers are page furniture: they go to ``furniture``, never
into the text.
"""
from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
import zlib
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from kg.errors import ReadError
from kg.model import FOOTNOTE_MARK, RawFootnote, SourceText
from kg.read import name_says_truncated, read_bytes, sha256_of, tidy_text

# ------------------------------------------------------------ format knowledge

# Relationship types (the end of their URI) of the parts read here.
REL_DOCUMENT = "/officeDocument"
REL_FOOTNOTES, REL_ENDNOTES = "/footnotes", "/endnotes"
REL_NUMBERING, REL_STYLES = "/numbering", "/styles"
REL_FURNITURE = ("/header", "/footer")
DEFAULT_DOCUMENT = "word/document.xml"
# Run content -> the text it prints.
RUN_TEXT = {"tab": " ", "ptab": " ", "br": "\n", "cr": "\n", "noBreakHyphen": "-", "softHyphen": ""}
# Containers whose content is read as if it stood in their place.
TRANSPARENT = frozenset(
    {"hyperlink", "ins", "moveTo", "smartTag", "customXml", "fldSimple", "sdt", "sdtContent", "bdo", "dir"}
)
# A table and its rows and cells: containers of paragraphs, read in order.
TABLE_PARTS = frozenset({"tbl", "tr", "tc"})
# Not printed: deleted revisions, field codes, properties.
SKIPPED = frozenset(
    {"del", "moveFrom", "delText", "instrText", "pPr", "rPr", "sdtPr", "sdtEndPr", "footnoteRef", "endnoteRef"}
)
# Notes Word keeps for its own layout (the separator line).
SPECIAL_NOTE_TYPES = frozenset({"separator", "continuationSeparator", "continuationNotice"})
# Number formats of list levels; bullets and "none" print no number.
ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
         (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
# Zip bomb guards, on the bytes actually unpacked (a zip's declared sizes can
# lie): a real answer's document part is well under 1 MB.
MAX_PART_BYTES = 32 * 1024 * 1024  # one part unpacked
MAX_TOTAL_BYTES = 64 * 1024 * 1024  # all parts read from one file

# What zipfile raises on a damaged, encrypted or exotic archive.
_UNZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, RuntimeError,
                 NotImplementedError, zlib.error)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_LEVEL_PLACEHOLDER = re.compile(r"%([1-9])")


class DocxReader:
    name = "docx"

    def read(self, path: Path) -> SourceText:
        data = read_bytes(path)
        try:
            package = _Package(data, path)
            document = _Document(package)
            lines = document.body_lines()
            furniture = package.furniture_lines(document)
        except RecursionError:
            raise ReadError("the Word document is nested too deeply to read", path) from None
        footnotes = tuple(RawFootnote(n, t) for n, t in document.notes.numbered())
        if not lines and not footnotes:
            raise ReadError("the Word document holds no text", path)
        return SourceText(
            path=path,
            format=self.name,
            text="\n".join(lines),
            sha256=sha256_of(data),
            footnotes=footnotes,
            # Without Word footnotes, notes typed as text ("1)") may be there.
            layout_clean=bool(footnotes),
            truncated=name_says_truncated(path),
            warnings=tuple(document.warnings),
            furniture=tuple(furniture),
        )


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _attr(element: ET.Element, name: str) -> str | None:
    """An attribute by local name (w:val, w:id, …), whatever its namespace."""
    for key, value in element.attrib.items():
        if _local(key) == name:
            return value
    return None


def _child(element: ET.Element | None, name: str) -> ET.Element | None:
    if element is None:
        return None
    return next((c for c in element if _local(c.tag) == name), None)



# ------------------------------------------------------------------ the package


class _Package:
    """The zip: its parts by name and the relationships between them."""

    def __init__(self, data: bytes, path: Path) -> None:
        self.path = path
        if data.startswith(_OLE_MAGIC):
            raise ReadError("not a .docx: an old binary Word file (.doc) or an encrypted document", path)
        try:
            self.zip = zipfile.ZipFile(BytesIO(data))
        except _UNZIP_ERRORS as exc:
            raise ReadError(f"not a .docx: the zip archive is unreadable ({exc})", path) from exc
        self.names = set(self.zip.namelist())
        self.unpacked = 0  # bytes unpacked so far (MAX_TOTAL_BYTES)
        self.document = self._target("", REL_DOCUMENT, DEFAULT_DOCUMENT)
        if self.document is None or self.document not in self.names:
            raise ReadError("not a .docx: the archive has no Word document part", path)

    def xml(self, name: str | None) -> ET.Element | None:
        """A part parsed, or None when the package has no such part."""
        if name is None or name not in self.names:
            return None
        try:
            if self.zip.getinfo(name).file_size > MAX_PART_BYTES:
                raise ReadError(f"the part {name} unpacks to more than {MAX_PART_BYTES // 2**20} MB; refused as a zip bomb", self.path)
            with self.zip.open(name) as part:
                data = part.read(MAX_PART_BYTES + 1)
            if len(data) > MAX_PART_BYTES:
                raise ReadError(f"the part {name} unpacks to more than {MAX_PART_BYTES // 2**20} MB; refused as a zip bomb", self.path)
            self.unpacked += len(data)
            if self.unpacked > MAX_TOTAL_BYTES:
                raise ReadError(f"the document unpacks to more than {MAX_TOTAL_BYTES // 2**20} MB; refused as a zip bomb", self.path)
        except _UNZIP_ERRORS as exc:
            raise ReadError(f"the part {name} cannot be unpacked ({exc})", self.path) from exc
        if b"<!ENTITY" in data:
            raise ReadError(f"the part {name} declares XML entities; Word never does", self.path)
        try:
            return ET.fromstring(data)
        except (ET.ParseError, LookupError, ValueError) as exc:
            raise ReadError(f"the part {name} is malformed XML: {exc}", self.path) from exc

    def related(self, source: str, rel_type: str) -> list[str]:
        """Names of the parts ``source`` points at with a relationship of ``rel_type``."""
        folder, base = posixpath.split(source)
        rels = self.xml(posixpath.join(folder, "_rels", base + ".rels"))
        if rels is None:
            return []
        targets = []
        for rel in rels:
            if (rel.get("Type") or "").endswith(rel_type) and rel.get("TargetMode") != "External":
                target = rel.get("Target") or ""
                joined = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
                targets.append(posixpath.normpath(joined))
        return targets

    def _target(self, source: str, rel_type: str, default: str) -> str | None:
        found = self.related(source, rel_type)
        return found[0] if found else (default if default in self.names else None)

    def part_of_document(self, rel_type: str, default: str) -> ET.Element | None:
        return self.xml(self._target(self.document, rel_type, posixpath.join("word", default)))

    def furniture_lines(self, document: _Document) -> list[str]:
        lines: list[str] = []
        for rel_type in REL_FURNITURE:
            for name in self.related(self.document, rel_type):
                part = self.xml(name)
                if part is not None:
                    for line in document.block_lines(part, count_notes=False):
                        if line not in lines:  # first, even and default pages repeat it
                            lines.append(line)
        return lines


# ----------------------------------------------------------------- numbering


@dataclass(frozen=True)
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."


class _Numbering:
    """Word's automatic list numbers, counted as Word counts them: per
    abstract list, deeper levels restarting when a shallower one counts on."""

    def __init__(self, numbering: ET.Element | None, styles: ET.Element | None) -> None:
        self.abstract: dict[str, dict[int, _Level]] = {}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}  # numId -> (abstractNumId, start overrides)
        self.style_num: dict[str, tuple[str | None, int | None]] = {}
        self.style_parent: dict[str, str] = {}
        self.counters: dict[str, list[int | None]] = {}
        self.used: set[str] = set()
        if numbering is not None:
            self._read_numbering(numbering)
        if styles is not None:
            self._read_styles(styles)

    def _read_numbering(self, root: ET.Element) -> None:
        for element in root:
            if _local(element.tag) == "abstractNum":
                levels = {_int(_attr(lvl, "ilvl"), 0): _level(lvl) for lvl in element if _local(lvl.tag) == "lvl"}
                self.abstract[_attr(element, "abstractNumId") or ""] = levels
            elif _local(element.tag) == "num":
                abstract_ref = _child(element, "abstractNumId")
                abstract = (_attr(abstract_ref, "val") if abstract_ref is not None else None) or ""
                starts = {}
                for override in element:
                    start = _child(override, "startOverride")
                    if _local(override.tag) == "lvlOverride" and start is not None:
                        starts[_int(_attr(override, "ilvl"), 0)] = _int(_attr(start, "val"), 1)
                self.nums[_attr(element, "numId") or ""] = (abstract, starts)

    def _read_styles(self, root: ET.Element) -> None:
        for style in root:
            if _local(style.tag) != "style":
                continue
            style_id = _attr(style, "styleId") or ""
            num_pr = _child(_child(style, "pPr"), "numPr")
            if num_pr is not None:
                self.style_num[style_id] = _num_pr(num_pr)
            based_on = _child(style, "basedOn")
            if based_on is not None:
                self.style_parent[style_id] = _attr(based_on, "val") or ""

    def label(self, p_pr: ET.Element | None) -> str:
        """The number Word prints before a paragraph ("" for none or a bullet)."""
        num_id, level = self._paragraph_numbering(p_pr)
        if not num_id or num_id == "0" or num_id not in self.nums:
            return ""
        abstract_id, starts = self.nums[num_id]
        levels = self.abstract.get(abstract_id, {})
        counters = self.counters.setdefault(abstract_id, [None] * 9)
        level = min(max(level, 0), 8)
        if num_id not in self.used:  # a list instance with its own start restarts the count
            self.used.add(num_id)
            for lvl, start in starts.items():
                if 0 <= lvl < 9:
                    counters[lvl] = start - 1
        current = counters[level]
        counters[level] = (current + 1) if current is not None else levels.get(level, _Level()).start
        for deeper in range(level + 1, 9):
            counters[deeper] = None
        spec = levels.get(level, _Level())
        if spec.fmt in ("bullet", "none"):
            return ""

        def number(match: re.Match[str]) -> str:
            lvl = int(match.group(1)) - 1
            value = counters[lvl] if counters[lvl] is not None else levels.get(lvl, _Level()).start
            return _format_number(value, levels.get(lvl, _Level()).fmt)

        return _LEVEL_PLACEHOLDER.sub(number, spec.text)

    def _paragraph_numbering(self, p_pr: ET.Element | None) -> tuple[str | None, int]:
        num_id, level = _num_pr(_child(p_pr, "numPr"))
        style = _child(p_pr, "pStyle")
        style_id = _attr(style, "val") if style is not None else None
        seen: set[str] = set()
        while style_id and style_id not in seen and (num_id is None or level is None):
            seen.add(style_id)
            style_num, style_level = self.style_num.get(style_id, (None, None))
            num_id = num_id if num_id is not None else style_num
            level = level if level is not None else style_level
            style_id = self.style_parent.get(style_id)
        return num_id, level or 0


def _num_pr(num_pr: ET.Element | None) -> tuple[str | None, int | None]:
    if num_pr is None:
        return None, None
    num_id, ilvl = _child(num_pr, "numId"), _child(num_pr, "ilvl")
    level = _attr(ilvl, "val") if ilvl is not None else None
    return (_attr(num_id, "val") if num_id is not None else None), (_int(level, 0) if level else None)


def _level(element: ET.Element) -> _Level:
    def val(name: str) -> str | None:
        child = _child(element, name)
        return _attr(child, "val") if child is not None else None

    return _Level(
        start=_int(val("start"), 1),
        fmt=val("numFmt") or "decimal",
        text=val("lvlText") if val("lvlText") is not None else "",
    )


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default  # a malformed number in the file: Word falls back too


def _format_number(value: int, fmt: str) -> str:
    if not 0 < value < 4000:
        return str(value)  # letters and Roman numerals only for list-sized numbers
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        roman, rest = "", value
        for amount, digits in ROMAN:
            while rest >= amount:
                roman, rest = roman + digits, rest - amount
        return roman.upper() if fmt == "upperRoman" else roman
    if fmt == "decimalZero":
        return f"{value:02d}"
    return str(value)


# ----------------------------------------------------------------- footnotes


class _Notes:
    """Footnotes (and endnotes) by their w:id, numbered in order of reference."""

    def __init__(self) -> None:
        self.bodies: dict[tuple[str, str], ET.Element] = {}  # (kind, w:id) -> w:footnote
        self.numbers: dict[tuple[str, str], int] = {}
        self.texts: dict[int, str] = {}

    def add_part(self, kind: str, part: ET.Element | None) -> None:
        if part is None:
            return
        for note in part:
            if _local(note.tag) in ("footnote", "endnote") and _attr(note, "type") not in SPECIAL_NOTE_TYPES:
                self.bodies[(kind, _attr(note, "id") or "")] = note

    def number(self, kind: str, note_id: str) -> int:
        key = (kind, note_id)
        if key not in self.numbers:
            self.numbers[key] = len(self.numbers) + 1
        return self.numbers[key]

    def numbered(self) -> list[tuple[int, str]]:
        return sorted(self.texts.items())


# ------------------------------------------------------------------ the text


class _Document:
    def __init__(self, package: _Package) -> None:
        self.package = package
        self.warnings: list[str] = []
        self.numbering = _Numbering(
            package.part_of_document(REL_NUMBERING, "numbering.xml"),
            package.part_of_document(REL_STYLES, "styles.xml"),
        )
        self.notes = _Notes()
        self.notes.add_part("footnote", package.part_of_document(REL_FOOTNOTES, "footnotes.xml"))
        self.notes.add_part("endnote", package.part_of_document(REL_ENDNOTES, "endnotes.xml"))
        self._count_notes = True
        self._missing: set[tuple[str, str]] = set()

    def body_lines(self) -> list[str]:
        root = self.package.xml(self.package.document)
        body = _child(root, "body")
        if body is None:
            raise ReadError("the Word document part has no body", self.package.path)
        lines = self.block_lines(body)
        self._read_note_texts()
        if any(kind == "endnote" for kind, _ in self.notes.numbers) and any(
            kind == "footnote" for kind, _ in self.notes.numbers
        ):
            self.warnings.append("footnotes and endnotes are numbered in one sequence")
        return lines

    def block_lines(self, container: ET.Element, count_notes: bool = True) -> list[str]:
        """Lines of the paragraphs and tables in ``container``, in order."""
        self._count_notes = count_notes
        lines: list[str] = []
        self._blocks(container, lines)
        self._count_notes = True
        return lines

    def _blocks(self, container: ET.Element, lines: list[str]) -> None:
        for element in container:
            name = _local(element.tag)
            if name == "p":
                lines.extend(self._paragraph(element))
            elif name in TABLE_PARTS or name in TRANSPARENT:
                self._blocks(element, lines)  # a table: row by row, cell by cell
            elif name == "altChunk":
                self.warnings.append("an embedded document (altChunk) is not read")

    def _paragraph(self, paragraph: ET.Element) -> list[str]:
        parts = [self._label(paragraph)]
        extra: list[str] = []
        self._inline(paragraph, parts, extra)
        lines = [tidy_text(raw) for raw in "".join(parts).split("\n")]
        return [line for line in lines if line] + extra

    def _label(self, paragraph: ET.Element) -> str:
        label = self.numbering.label(_child(paragraph, "pPr"))
        return f"{label} " if label else ""

    def _inline(self, element: ET.Element, parts: list[str], extra: list[str]) -> None:
        for child in element:
            name = _local(child.tag)
            if name in SKIPPED:
                continue
            if name == "r":
                if not _hidden(child):
                    self._run(child, parts, extra)
            elif name == "AlternateContent":
                if len(child):  # its first Choice; the Fallback is a copy of it
                    self._inline(child[0], parts, extra)
            elif name in TRANSPARENT or name in ("Choice", "oMath", "oMathPara"):
                self._inline(child, parts, extra)
            elif name in ("drawing", "pict", "object"):
                self._text_boxes(child, extra)

    def _run(self, run: ET.Element, parts: list[str], extra: list[str]) -> None:
        for child in run:
            name = _local(child.tag)
            if name == "t":
                parts.append(child.text or "")
            elif name in RUN_TEXT:
                parts.append(RUN_TEXT[name])
            elif name in ("footnoteReference", "endnoteReference"):
                parts.append(self._reference(child, name[: -len("Reference")]))
            elif name in ("drawing", "pict", "object"):
                self._text_boxes(child, extra)
            elif name == "AlternateContent" and len(child):
                self._run(child[0], parts, extra)

    def _text_boxes(self, drawing: ET.Element, extra: list[str]) -> None:
        # Text in a shape prints where the shape stands; it follows its paragraph.
        for box in drawing.iter():
            if _local(box.tag) == "txbxContent":
                self._blocks(box, extra)
                return  # later copies are the same box in another drawing language

    def _reference(self, element: ET.Element, kind: str) -> str:
        if not self._count_notes:
            return ""  # a note mark in a header is not a note of the text
        note_id = _attr(element, "id") or ""
        number = self.notes.number(kind, note_id)
        if (kind, note_id) not in self.notes.bodies and (kind, note_id) not in self._missing:
            self._missing.add((kind, note_id))
            self.warnings.append(f"{kind} reference {number} has no {kind} text; the number is kept")
        return FOOTNOTE_MARK.format(number)

    def _read_note_texts(self) -> None:
        for key, number in list(self.notes.numbers.items()):
            note = self.notes.bodies.get(key)
            if note is not None:
                self.notes.texts[number] = " ".join(self.block_lines(note, count_notes=False))


def _hidden(run: ET.Element) -> bool:
    """Hidden text (w:vanish) is not printed."""
    vanish = _child(_child(run, "rPr"), "vanish")
    return vanish is not None and (_attr(vanish, "val") or "true") not in ("0", "false", "off")
