"""HTML: publication pages of zoek.officielebekendmakingen.nl, Kamervragen pages
of tweedekamer.nl, and any other web page (tweedekamer.nl pages are read by the
same rules as any page: no sample of their markup could be checked).

The page is parsed by lxml (libxml2's HTML parser, which recovers from sloppy
markup as browsers do: an unclosed ``<p>``, ``<li>`` or ``<td>`` is closed by
the next one, entities are decoded). The tree is then read block by block: one
paragraph, heading or table cell per line, in reading order.

Footnotes are lifted out when the markup says what they are: the officiele-
bekendmakingen note block (``div#noten`` with ``div.voet.noot`` items, each
``span.nootnum`` + text) and references (``a.nootnum``, ``<sup>``) pointing at
it, or the common ``section.footnotes`` convention of other sites.
"""
from __future__ import annotations

import re
from pathlib import Path

import lxml.etree
import lxml.html
from lxml.html import HtmlElement

from kg.errors import ReadError
from kg.model import FOOTNOTE_MARK, RawFootnote, SourceText
from kg.read import decode_text, name_says_truncated, read_bytes, sha256_of, tidy_text

# ------------------------------------------------------------ markup knowledge

# Elements that start and end a line of text.
BLOCK_TAGS = frozenset(
    """address article aside blockquote body caption center dd details dialog div
    dl dt fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr
    html legend li main nav ol p pre section summary table tbody td tfoot th thead
    tr ul""".split()
)
# Not shown, or site chrome rather than the publication. (Not <form>: some
# sites wrap the whole page in one.)
DROP_TAGS = frozenset(
    """head title script style noscript template nav button select textarea svg
    iframe object canvas input aside""".split()
)
# The site's header and footer; those of an article are content.
SITE_CHROME_TAGS = frozenset({"header", "footer"})
ARTICLE_TAGS = frozenset({"main", "article"})
# Class or id tokens of site chrome and of text only screen readers get.
DROP_TOKENS = frozenset(
    """skiplinks skip-link breadcrumb breadcrumbs cookie cookiebar cookie-banner
    sr-only visually-hidden h-visually-hidden note-close footnote-back
    footnote-backref""".split()
)
# Containers that hold the publication itself, most specific first; one is
# used only when it holds every question, answer and note of the page.
CONTENT_ROOTS: tuple[tuple[str, str], ...] = (("id", "main-column"), ("tag", "main"))

# Footnote blocks: officielebekendmakingen ``div#noten``; ``section.footnotes``
# (pandoc, many CMSs) and Dutch class names elsewhere.
NOTE_BLOCK_IDS = frozenset({"noten", "footnotes", "voetnoten"})
NOTE_BLOCK_CLASSES = frozenset({"noten", "footnotes", "voetnoten"})
# One note inside a block: officielebekendmakingen ``div.voet.noot``.
NOTE_ITEM_CLASSES: tuple[frozenset[str], ...] = (frozenset({"voet", "noot"}), frozenset({"footnote"}))
# The printed number of a note inside its item.
NOTE_NUMBER_CLASSES = frozenset({"nootnum"})
# A reference to a note in the running text.
REF_CLASSES = frozenset({"nootnum", "footnote-ref", "noteref"})
# <meta name> of the publication's official identifier (ah-tk-20142015-1365)
# in the head of an officielebekendmakingen page, compared in lower case.
IDENTIFIER_META = frozenset({"dcterms.identifier", "dc.identifier"})
# The questions and answers of an officielebekendmakingen publication.
PUBLICATION_CLASSES = frozenset({"vraag", "antwoord"})
# Classes only officielebekendmakingen publication markup has; their presence
# means the page structure is known, so the text needs no layout cleaning.
OB_CLASSES = frozenset(
    {"vraag", "antwoord", "stuktitel", "nootnum", "kamervraagomschrijving_kop", "kamervraagopmerking"}
)

# A bare <sup> number after a unit is an exponent (m², km³), not a note.
_UNIT_BEFORE = re.compile(r"(?:^|[\s\d(])(?:[mµ]?m|[ck]m|dm)$")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_DIGITS = re.compile(r"^\s*(\d{1,4})\s*$")
_LEADING_NUMBER = re.compile(r"^\s*(\d{1,4})[.)]?\s+")

# A whole start tag: a file without one is not HTML (and a "<" in plain text is no tag).
_START_TAG = re.compile(r"<[A-Za-z][^<>]*>")


# ------------------------------------------------------------------ the reader


class HtmlReader:
    name = "html"

    def read(self, path: Path) -> SourceText:
        data = read_bytes(path)
        _refuse_non_html(data, path)
        root = _parse(_decode(data, path), path)
        try:
            page = _Page(root)
            lines = page.lines()
        except RecursionError:
            raise ReadError("the HTML is nested too deeply to read", path) from None
        footnotes = tuple(RawFootnote(n, text) for n, text in sorted(page.notes.items()))
        if not lines and not footnotes:
            raise ReadError("the HTML page holds no text", path)
        return SourceText(
            path=path,
            format=self.name,
            text="\n".join(lines),
            sha256=sha256_of(data),
            footnotes=footnotes,
            layout_clean=page.known_structure or bool(footnotes),
            truncated=name_says_truncated(path),
            warnings=tuple(page.warnings),
            # Not printed on the page, but the publication's name, as a PDF's footer gives it.
            furniture=page.identifiers,
        )


def _refuse_non_html(data: bytes, path: Path) -> None:
    head = data[:4096]
    if head.startswith(b"%PDF"):
        raise ReadError("not an HTML page: the file is a PDF", path)
    if head.startswith(b"PK\x03\x04"):
        raise ReadError("not an HTML page: the file is a zip archive (a Word file?)", path)
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReadError("not an HTML page: binary content", path)


def _decode(data: bytes, path: Path) -> str:
    """The page's declared charset if it has one and it fits, else UTF-8 or
    Windows-1252 (``decode_text``)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if data.startswith(b"\xef\xbb\xbf"):
        return data.decode("utf-8-sig", errors="replace")  # a byte order mark outranks <meta>
    declared = _CHARSET.search(data[:4096])
    if declared:
        try:
            return data.decode(declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration is common; fall back to detection
    return decode_text(data, path)


def _parse(html: str, path: Path) -> HtmlElement:
    if not _START_TAG.search(html):
        raise ReadError("not an HTML page: no markup found", path)
    # _decode has chosen the encoding: the parser gets UTF-8 and is told so, which
    # overrides any <meta charset> (a str would be refused if it held an XML declaration).
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    try:
        root = lxml.html.document_fromstring(html.encode("utf-8", errors="replace"), parser=parser)
    except lxml.etree.ParserError:  # "Document is empty": markup, but no element or text
        raise ReadError("the HTML page holds no text", path) from None
    except lxml.etree.LxmlError as exc:
        raise ReadError(f"damaged HTML: {exc}", path) from exc
    # The parser recovers from anything but a fatal error, after which it stops
    # silently: the rest of the page would be missing without a word.
    fatal = next((e for e in parser.error_log if e.level == lxml.etree.ErrorLevels.FATAL), None)
    if fatal is None:
        return root
    if fatal.type == lxml.etree.ErrorTypes.ERR_RESOURCE_LIMIT:  # libxml2's limits: 256 levels, 10 MB of text
        reason = "is nested too deeply" if "depth" in fatal.message else "page is too large"
        raise ReadError(f"the HTML {reason} to read", path)
    raise ReadError(f"damaged HTML: the parser stopped at line {fatal.line} ({fatal.message.strip()})", path)


# ------------------------------------------------------------------ the page


def _digits(text: str) -> int | None:
    match = _DIGITS.match(text)
    return int(match.group(1)) if match else None


def _has_class(node: HtmlElement, names: frozenset[str]) -> bool:
    return not names.isdisjoint(node.classes)


def _inside(node: HtmlElement, ancestor: HtmlElement) -> bool:
    return node is ancestor or ancestor in node.iterancestors()


def _is_dropped(node: HtmlElement) -> bool:
    if node.tag in DROP_TAGS or "hidden" in node.attrib:
        return True
    if node.tag in SITE_CHROME_TAGS and next(node.iterancestors(*ARTICLE_TAGS), None) is None:
        return True
    if "display:none" in node.get("style", "").replace(" ", "").lower():
        return True
    return _has_class(node, DROP_TOKENS) or node.get("id") in DROP_TOKENS


class _Page:
    """The lines, footnotes and warnings of one parsed page."""

    def __init__(self, root: HtmlElement) -> None:
        self.warnings: list[str] = []
        body = root.find("body")
        body = root if body is None else body
        self.known_structure = any(_has_class(n, OB_CLASSES) or n.get("id") == "noten" for n in body.iter())
        self.notes: dict[int, str] = {}
        self.note_ids: dict[str, int] = {}  # id of any element inside a note -> its number
        self.note_blocks: set[HtmlElement] = set()  # left out of the text
        self._referenced: set[int] = set()
        self._unmatched: set[int] = set()
        self._read_notes(body)
        self.root = _content_root(body)
        self.identifiers = _identifiers(root)

    def lines(self) -> list[str]:
        out = _Lines(self)
        out.walk(self.root)
        out.flush()
        for number in sorted(set(self.notes) - self._referenced):
            self.warnings.append(f"footnote {number} is not referenced in the text")
        return out.lines

    # -- footnotes

    def _read_notes(self, body: HtmlElement) -> None:
        for block in _note_blocks(body):
            items = _note_items(block)
            if not items:
                continue  # not what it looked like; its text stays in the text
            self.note_blocks.add(block)
            for position, item in enumerate(items, start=1):
                self._read_note(item, position)

    def _read_note(self, item: HtmlElement, position: int) -> None:
        number = _note_number(item)
        lines = _Lines(self, in_note=True)
        lines.walk(item)
        lines.flush()
        text = " ".join(lines.lines)
        if number is None and item.tag == "li":
            number = position  # a list of notes: the browser prints the numbers
        elif number is None:
            leading = _LEADING_NUMBER.match(text)
            number = int(leading.group(1)) if leading else position
            text = text[leading.end():] if leading else text
        if number in self.notes:
            self.warnings.append(f"footnote {number} occurs twice; the first is kept")
        else:
            self.notes[number] = text
        for node in item.iter():
            for key in ("id", "name"):
                if node.get(key):
                    self.note_ids.setdefault(node.get(key), number)

    def reference(self, node: HtmlElement, text_before: str) -> int | None:
        """The note number when ``node`` is a footnote reference, else None."""
        if node.tag == "a":
            target = node.get("href", "")
            target = target[1:] if target.startswith("#") else ""
            printed = _digits(node.text_content())
            if _has_class(node, REF_CLASSES):
                number = self.note_ids.get(target, printed)
            elif target in self.note_ids and printed is not None:
                number = self.note_ids[target]  # a plain link to a note, printed as its number
            else:
                return None
            if number is None:
                return None
            if printed is not None and printed != number:
                self.warnings.append(f"footnote reference printed as {printed} links to note {number}")
        elif node.tag == "sup" and node.find(".//a") is None:
            number = _digits(node.text_content())
            if number is None or number not in self.notes or _UNIT_BEFORE.search(text_before):
                return None
        else:
            return None
        self._referenced.add(number)
        if number not in self.notes and number not in self._unmatched:
            self._unmatched.add(number)
            self.warnings.append(f"footnote reference {number} has no matching note; the number is kept")
        return number


def _identifiers(root: HtmlElement) -> tuple[str, ...]:
    named = (m.get("content", "") for m in root.iter("meta") if m.get("name", "").lower() in IDENTIFIER_META)
    return tuple(tidy_text(content) for content in named if content.strip())


def _note_blocks(body: HtmlElement) -> list[HtmlElement]:
    blocks: list[HtmlElement] = []
    for node in body.iter():
        if node.get("id") in NOTE_BLOCK_IDS or _has_class(node, NOTE_BLOCK_CLASSES):
            if not any(_inside(node, b) for b in blocks):
                blocks.append(node)
    return blocks


def _note_items(block: HtmlElement) -> list[HtmlElement]:
    items = [n for n in block.iter() if any(names.issubset(n.classes) for names in NOTE_ITEM_CLASSES)]
    if items:
        return items
    # Other sites: a list of notes, one <li> each.
    return [n for n in block.iter("li") if next(n.iterancestors("li"), None) is None]


def _note_number(item: HtmlElement) -> int | None:
    number = next((n for n in item.iter() if _has_class(n, NOTE_NUMBER_CLASSES)), None)
    return None if number is None else _digits(number.text_content())


def _content_root(body: HtmlElement) -> HtmlElement:
    """The smallest known content container that holds all of the publication."""
    markers = [n for n in body.iter() if _has_class(n, PUBLICATION_CLASSES) or n.get("id") == "noten"]
    for kind, value in CONTENT_ROOTS:
        node = next((n for n in body.iter() if (n.tag if kind == "tag" else n.get(kind)) == value), None)
        if node is not None and all(_inside(m, node) for m in markers) and node.text_content().strip():
            return node
    return body


class _Lines:
    """Turns a tree into lines: one block element's text per line."""

    def __init__(self, page: _Page, in_note: bool = False) -> None:
        self.page = page
        self.in_note = in_note
        self.lines: list[str] = []
        self._buffer: list[str] = []
        self._lists: list[int | None] = []  # per open list: the last <ol> number, None for <ul>
        self._pre = 0

    def flush(self) -> None:
        line = tidy_text("".join(self._buffer))
        self._buffer.clear()
        if line:
            self.lines.append(line)

    def walk(self, node: HtmlElement) -> None:
        if node.text:
            self._text(node.text)
        for child in node:
            self._element(child)
            if child.tail:  # the text after a child is the parent's, read even when the child is not
                self._text(child.tail)

    def _text(self, text: str) -> None:
        if not self._pre:
            self._buffer.append(text)
            return
        first, *rest = text.split("\n")
        self._buffer.append(first)
        for part in rest:  # <pre> keeps its line breaks
            self.flush()
            self._buffer.append(part)

    def _element(self, node: HtmlElement) -> None:
        if _is_dropped(node) or node in self.page.note_blocks:
            return
        if self.in_note and _has_class(node, NOTE_NUMBER_CLASSES):
            return  # the note's own number is in RawFootnote.number
        if not self.in_note:
            number = self.page.reference(node, "".join(self._buffer[-3:]))
            if number is not None:
                self._buffer.append(FOOTNOTE_MARK.format(number))
                return
        if node.tag == "br":
            self.flush()
        elif node.tag == "table" and (pairs := _key_value_table(node)):
            self.flush()
            self.lines.extend(tidy_text(f"{key} {value}") for key, value in pairs)
        elif node.tag in ("ul", "ol"):
            self._list(node)
        elif node.tag == "li":
            self._item(node)
        else:
            self._block(node)

    def _block(self, node: HtmlElement) -> None:
        block = node.tag in BLOCK_TAGS
        if block:
            self.flush()
        self._pre += node.tag == "pre"
        self.walk(node)
        self._pre -= node.tag == "pre"
        if block:
            self.flush()

    def _list(self, node: HtmlElement) -> None:
        start = _digits(node.get("start", "")) if node.tag == "ol" else None
        self._lists.append((start or 1) - 1 if node.tag == "ol" else None)
        self._block(node)
        self._lists.pop()

    def _item(self, node: HtmlElement) -> None:
        self.flush()
        last = self._lists[-1] if self._lists else None
        if last is not None and not self.in_note:
            # A browser prints the number of an <ol> item; the text has none.
            self._lists[-1] = last + 1
            self._buffer.append(f"{last + 1}. ")
        self.walk(node)
        self.flush()


def _key_value_table(table: HtmlElement) -> list[tuple[str, str]]:
    """A table of one header row over one value row (the metadata table at the
    top of an officielebekendmakingen page) as (header, value) pairs, to be
    printed "Vergaderjaar 2014-2015" as a masthead prints it; [] for any other
    table, whose cells are then read as blocks."""
    rows = list(table.iter("tr"))
    if len(rows) != 2 or next(table.iterdescendants("table"), None) is not None:
        return []
    head, values = ([cell for cell in row if cell.tag in ("th", "td")] for row in rows)
    if not head or len(head) != len(values) or any(cell.tag != "th" for cell in head):
        return []
    pairs = [(tidy_text(h.text_content()), tidy_text(v.text_content())) for h, v in zip(head, values)]
    return [(h, v) for h, v in pairs if h and v]
