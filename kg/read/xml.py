"""The official XML of zoek.officielebekendmakingen.nl for written questions
(``ah-tk-….xml`` answers and notices, ``kv-tk-….xml`` questions).

The element names below are those that public readers of these files agree
on (AmCAT's and Open State's scrapers, the wetsuite element table, an XSLT
that re-creates the publisher's HTML, where ``vraag/nr`` becomes the
``h2.stuktitel`` "Vraag 1"); no complete official file could be inspected.
So what is not listed is read by its shape and nothing is lost: an element with
only inline content is one line, one holding blocks a container of lines.

Footnotes: a ``<noot>`` stands in the paragraph where its marker is printed and
holds ``<noot.nr>`` and ``<noot.al>``; ``<nootref refid="…"/>`` refers again to
a note given elsewhere (older files give every note apart and refer to each
with ``<nootref>``). Each becomes ``[^n]`` in the text.

Parsed with the standard library's ElementTree. It resolves no external
entities, and expat (2.4 and later) caps entity expansion; documents that
declare entities are refused outright, since no official publication does.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from kg.errors import ReadError
from kg.model import FOOTNOTE_MARK, RawFootnote, SourceText
from kg.read import name_says_truncated, read_bytes, sha256_of, tidy_text

# ------------------------------------------------------------ markup knowledge

# Not printed: the publisher's metadata, table column specs, images.
SKIP = frozenset({"metadata", "meta", "colspec", "spanspec", "plaatje", "illustratie"})
# Elements that stand inside a line of text. Everything else is a block.
INLINE = frozenset(
    """nadruk extref intref sup inf naam voornaam achternaam voorvoegsels
    initialen datum kamervraagonderwerp organisatie politiek functie plaats
    dagtekening term noot nootref br""".split()
)
NOTE, NOTE_NUMBER, NOTE_REF = "noot", "noot.nr", "nootref"
# Labels printed in front of the first line of their parent (list numbers).
LABELS = frozenset({"li.nr", "lidnr"})
# <meta name> of the official identifier in <metadata>, compared in lower case.
IDENTIFIER_META = frozenset({"dc.identifier", "dcterms.identifier"})
# Roots and elements of written-question publications, old and new.
KAMERVRAGEN = frozenset(
    """kamervragen vragen vraagdoc reactie vraag antwoord kamervraagomschrijving
    omschr kamervraagopmerking""".split()
)
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.I)
_DIGITS = re.compile(r"\d+")
# A <br/>: a line break, unlike the newlines that only lay out the XML source.
_BREAK = "\x01"
# Stands in the text for a <nootref> until every note is known.
_REF = "\x00{}\x00"
_REF_PATTERN = re.compile("\x00([^\x00]*)\x00")


class XmlReader:
    name = "xml"

    def read(self, path: Path) -> SourceText:
        data = read_bytes(path)
        root = parse_xml(data, path)
        try:
            notes = _Notes(root)
            lines = _Lines(notes)
            lines.block(root)
        except RecursionError:
            raise ReadError("the XML is nested too deeply to read", path) from None
        text = "\n".join(notes.resolve(line) for line in lines.lines)
        footnotes = tuple(RawFootnote(n, notes.resolve(t)) for n, t in sorted(notes.texts.items()))
        if not text.strip() and not footnotes:
            raise ReadError("the XML holds no text", path)
        warnings = list(notes.warnings)
        if not any(_local(el.tag) in KAMERVRAGEN for el in root.iter()):
            warnings.append(
                f"<{_local(root.tag)}> holds no written-question elements (vraag, antwoord, "
                "kamervraagomschrijving); read as plain text"
            )
        return SourceText(
            path=path,
            format=self.name,
            text=text,
            sha256=sha256_of(data),
            footnotes=footnotes,
            layout_clean=True,
            truncated=name_says_truncated(path),
            warnings=tuple(warnings),
            # Not printed text, but the publication's name, as a PDF's footer gives it.
            furniture=_identifiers(root),
        )


def parse_xml(data: bytes, path: Path) -> ET.Element:
    """Parse XML bytes; anything unreadable raises ReadError."""
    if _ENTITY_DECLARATION.search(data):
        raise ReadError("XML that declares entities is not read (an official publication declares none)", path)
    try:
        return ET.fromstring(data)
    except ET.ParseError as exc:
        raise ReadError(f"malformed XML: {exc}", path) from exc
    except (LookupError, ValueError) as exc:  # an unknown encoding in the declaration
        raise ReadError(f"unreadable XML: {exc}", path) from exc


def _identifiers(root: ET.Element) -> tuple[str, ...]:
    return tuple(
        tidy_text(meta.get("content", ""))
        for meta in root.iter()
        if _local(meta.tag) == "meta"
        and (meta.get("name") or "").lower() in IDENTIFIER_META
        and (meta.get("content") or "").strip()
    )


def _local(tag: object) -> str:
    """The element name without its namespace; comments and PIs give ''."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""



def _is_line(element: ET.Element) -> bool:
    return all(_local(child.tag) in INLINE or _local(child.tag) in SKIP for child in element)


class _Notes:
    """Every note of the document, numbered before the text is read, so that a
    reference may come before the note it refers to."""

    def __init__(self, root: ET.Element) -> None:
        self.texts: dict[int, str] = {}
        self.warnings: list[str] = []
        self._by_element: dict[int, int] = {}
        self._by_id: dict[str, int] = {}
        self._unmatched: set[str] = set()
        for element in root.iter():
            if _local(element.tag) == NOTE:
                self._define(element)

    def _define(self, element: ET.Element) -> None:
        label = next((c for c in element.iter() if _local(c.tag) == NOTE_NUMBER), None)
        number = _number("".join(label.itertext())) if label is not None else _number(element.get("nr"))
        if number is None:
            number = max(self.texts, default=0) + 1
            self.warnings.append(f"a footnote without a number was numbered {number}")
        lines = _Lines(self, in_note=True)
        lines.container(element, skip=NOTE_NUMBER)
        text = tidy_text(" ".join(lines.lines))
        if number in self.texts and self.texts[number] != text:
            self.warnings.append(f"footnote {number} occurs twice with different text; the first is kept")
        self.texts.setdefault(number, text)
        self._by_element[id(element)] = number
        if element.get("id"):
            self._by_id.setdefault(element.get("id", ""), number)

    def marker(self, element: ET.Element) -> str:
        return FOOTNOTE_MARK.format(self._by_element[id(element)])

    def ref_placeholder(self, element: ET.Element) -> str:
        # A printed number on the reference is the fallback when its target is unknown.
        key = element.get("refid") or f"#{element.get('nr') or tidy_text(element.text or '')}"
        return _REF.format(key)

    def resolve(self, text: str) -> str:
        """``text`` with each reference placeholder replaced by its marker."""
        return tidy_text(_REF_PATTERN.sub(lambda m: self.marker_for_ref(m.group(1)), text))

    def marker_for_ref(self, key: str) -> str:
        if key in self._by_id:
            return FOOTNOTE_MARK.format(self._by_id[key])
        number = _number(key.lstrip("#")) if key.startswith("#") else None
        if key not in self._unmatched:
            self._unmatched.add(key)
            if number is None:
                self.warnings.append(f"footnote reference to unknown note {key!r} has no number; dropped")
            elif number not in self.texts:
                self.warnings.append(f"footnote reference {number} has no matching note; the number is kept")
        return FOOTNOTE_MARK.format(number) if number is not None else ""


def _number(text: str | None) -> int | None:
    match = _DIGITS.search(text or "")
    return int(match.group()) if match else None


class _Lines:
    """Reads elements into lines: a block with only inline content is one line."""

    def __init__(self, notes: _Notes, in_note: bool = False) -> None:
        self.notes = notes
        self.in_note = in_note
        self.lines: list[str] = []
        self._label = ""

    def block(self, element: ET.Element) -> None:
        name = _local(element.tag)
        if name in SKIP or not name:
            return
        if name == NOTE:
            return  # a note given apart from the text: its references carry the marker
        if name == NOTE_REF:
            self._append_to_last(self.notes.ref_placeholder(element))
        elif _is_line(element):
            self._emit(self.inline(element))
        else:
            self.container(element)

    def container(self, element: ET.Element, skip: str = "") -> None:
        self._emit(element.text or "")
        for child in element:
            name = _local(child.tag)
            if name in LABELS:
                self._label = self.inline(child)
            elif name != skip:
                self.block(child)
            self._emit(child.tail or "")
        if self._label:  # a label with nothing after it is printed alone
            self.lines.append(tidy_text(self._label))
            self._label = ""

    def inline(self, element: ET.Element) -> str:
        parts = [element.text or ""]
        for child in element:
            name = _local(child.tag)
            if name == NOTE:
                parts.append("" if self.in_note else self.notes.marker(child))
            elif name == NOTE_REF:
                parts.append(self.notes.ref_placeholder(child))
            elif name == "br":
                parts.append(_BREAK)
            elif name and name not in SKIP:
                parts.append(self.inline(child))
            parts.append(child.tail or "")
        return "".join(parts)

    def _emit(self, text: str) -> None:
        for raw in text.split(_BREAK):
            line = tidy_text(raw)
            if line:
                self.lines.append(tidy_text(f"{self._label} {line}") if self._label else line)
                self._label = ""

    def _append_to_last(self, text: str) -> None:
        if self.lines:
            self.lines[-1] += text
        else:
            self.lines.append(text)
