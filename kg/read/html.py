"""HTML: publication pages of zoek.officielebekendmakingen.nl, Kamervragen pages
of tweedekamer.nl, and any other web page (tweedekamer.nl pages are read by the
same rules as any page: no sample of their markup could be checked).

The page is parsed with the standard library's ``html.parser`` into a small
tree (no third-party dependency: these pages are generated, well-formed markup,
and the few HTML rules that matter for sloppy pages, such as an unclosed
``<p>`` or ``<li>``, are applied by the tree builder). The tree is then read
block by block: one paragraph, heading or table cell per line, in reading order.

Footnotes are lifted out when the markup says what they are: the officiele-
bekendmakingen note block (``div#noten`` with ``div.voet.noot`` items, each
``span.nootnum`` + text) and references (``a.nootnum``, ``<sup>``) pointing at
it, or the common ``section.footnotes`` convention of other sites.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from kg.errors import ReadError
from kg.model import FOOTNOTE_MARK, RawFootnote, SourceText
from kg.read import decode_text, name_says_truncated, read_bytes, sha256_of, tidy_text

# ------------------------------------------------------------ markup knowledge

# Elements without content or end tag.
VOID_TAGS = frozenset(
    "area base br col embed hr img input link meta param source track wbr".split()
)
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


# ------------------------------------------------------------------- the tree


@dataclass(eq=False)
class _Node:
    tag: str
    attrs: dict[str, str]
    parent: _Node | None = None
    children: list[_Node | str] = field(default_factory=list)

    @property
    def classes(self) -> frozenset[str]:
        return frozenset(self.attrs.get("class", "").split())

    def elements(self) -> Iterator[_Node]:
        """This element and every element below it, in document order."""
        stack: list[_Node] = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed([c for c in node.children if isinstance(c, _Node)]))

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def has_ancestor(self, tags: frozenset[str]) -> bool:
        node = self.parent
        while node is not None:
            if node.tag in tags:
                return True
            node = node.parent
        return False


# Start tags that close an open <p> (HTML's "close a p element" rule), and the
# elements a search for that <p> does not cross.
_CLOSES_P = BLOCK_TAGS - {"li", "dd", "dt", "td", "th", "tr", "tbody", "thead", "tfoot", "caption", "body", "html"}
_P_SCOPE = frozenset({"table", "td", "th", "caption", "button", "html", "object", "template"})
# Start tag -> (open tags it closes, tags that bound the search).
_IMPLIED_END: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "li": (frozenset({"li"}), frozenset({"ul", "ol", "table"})),
    "dt": (frozenset({"dt", "dd"}), frozenset({"dl", "table"})),
    "dd": (frozenset({"dt", "dd"}), frozenset({"dl", "table"})),
    "tr": (frozenset({"tr", "td", "th"}), frozenset({"table", "tbody", "thead", "tfoot"})),
    "td": (frozenset({"td", "th"}), frozenset({"tr", "table"})),
    "th": (frozenset({"td", "th"}), frozenset({"tr", "table"})),
    "tbody": (frozenset({"tbody", "thead", "tfoot", "tr", "td", "th"}), frozenset({"table"})),
    "thead": (frozenset({"tbody", "thead", "tfoot", "tr", "td", "th"}), frozenset({"table"})),
    "tfoot": (frozenset({"tbody", "thead", "tfoot", "tr", "td", "th"}), frozenset({"table"})),
    "option": (frozenset({"option"}), frozenset({"select"})),
}


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#document", {})
        self.stack: list[_Node] = [self.root]
        self.elements = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._close_implied(tag)
        node = _Node(tag, {k: v or "" for k, v in attrs}, parent=self.stack[-1])
        self.stack[-1].children.append(node)
        self.elements += 1
        if tag not in VOID_TAGS:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # XHTML ``<a id="x"/>``: an element without content either way.
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return
        # A stray end tag closes nothing, as in a browser.

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)

    def _close_implied(self, tag: str) -> None:
        if tag in _CLOSES_P:
            self._pop_to(frozenset({"p"}), _P_SCOPE)
        if tag in _IMPLIED_END:
            self._pop_to(*_IMPLIED_END[tag])

    def _pop_to(self, targets: frozenset[str], bounds: frozenset[str]) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            tag = self.stack[i].tag
            if tag in targets:
                del self.stack[i:]
                return
            if tag in bounds:
                return


def _parse(html: str, path: Path) -> _Node:
    builder = _TreeBuilder()
    try:
        builder.feed(html)
        builder.close()
    except (AssertionError, ValueError) as exc:  # html.parser's own complaints
        raise ReadError(f"malformed HTML: {exc}", path) from exc
    if builder.elements == 0:
        raise ReadError("not an HTML page: no markup found", path)
    return builder.root


# ------------------------------------------------------------------ the page



def _digits(text: str) -> int | None:
    match = _DIGITS.match(text)
    return int(match.group(1)) if match else None


def _is_dropped(node: _Node) -> bool:
    if node.tag in DROP_TAGS or "hidden" in node.attrs:
        return True
    if node.tag in SITE_CHROME_TAGS and not node.has_ancestor(ARTICLE_TAGS):
        return True
    if "display:none" in node.attrs.get("style", "").replace(" ", "").lower():
        return True
    tokens = node.classes | {node.attrs.get("id", "")}
    return bool(tokens & DROP_TOKENS)


class _Page:
    """The lines, footnotes and warnings of one parsed page."""

    def __init__(self, root: _Node) -> None:
        self.warnings: list[str] = []
        body = next((n for n in root.elements() if n.tag == "body"), root)
        self.known_structure = any(
            n.classes & OB_CLASSES or n.attrs.get("id") == "noten" for n in body.elements()
        )
        self.notes: dict[int, str] = {}
        self.note_ids: dict[str, int] = {}  # id of any element inside a note -> its number
        self.note_blocks: set[int] = set()  # id() of the note blocks, left out of the text
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

    def _read_notes(self, body: _Node) -> None:
        for block in _note_blocks(body):
            items = _note_items(block)
            if not items:
                continue  # not what it looked like; its text stays in the text
            self.note_blocks.add(id(block))
            for position, item in enumerate(items, start=1):
                self._read_note(item, position)

    def _read_note(self, item: _Node, position: int) -> None:
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
        for node in item.elements():
            for key in ("id", "name"):
                if node.attrs.get(key):
                    self.note_ids.setdefault(node.attrs[key], number)

    def reference(self, node: _Node, text_before: str) -> int | None:
        """The note number when ``node`` is a footnote reference, else None."""
        if node.tag == "a":
            target = node.attrs.get("href", "")
            target = target[1:] if target.startswith("#") else ""
            printed = _digits(node.text())
            if node.classes & REF_CLASSES:
                number = self.note_ids.get(target, printed)
            elif target in self.note_ids and printed is not None:
                number = self.note_ids[target]  # a plain link to a note, printed as its number
            else:
                return None
            if number is None:
                return None
            if printed is not None and printed != number:
                self.warnings.append(f"footnote reference printed as {printed} links to note {number}")
        elif node.tag == "sup" and not any(n.tag == "a" for n in node.elements()):
            number = _digits(node.text())
            if number is None or number not in self.notes or _UNIT_BEFORE.search(text_before):
                return None
        else:
            return None
        self._referenced.add(number)
        if number not in self.notes and number not in self._unmatched:
            self._unmatched.add(number)
            self.warnings.append(f"footnote reference {number} has no matching note; the number is kept")
        return number


def _identifiers(root: _Node) -> tuple[str, ...]:
    metas = (n for n in root.elements() if n.tag == "meta")
    named = (m.attrs.get("content", "") for m in metas if m.attrs.get("name", "").lower() in IDENTIFIER_META)
    return tuple(tidy_text(content) for content in named if content.strip())


def _note_blocks(body: _Node) -> list[_Node]:
    blocks: list[_Node] = []
    for node in body.elements():
        if node.attrs.get("id") in NOTE_BLOCK_IDS or node.classes & NOTE_BLOCK_CLASSES:
            if not any(_inside(node, b) for b in blocks):
                blocks.append(node)
    return blocks


def _inside(node: _Node, ancestor: _Node) -> bool:
    current: _Node | None = node
    while current is not None:
        if current is ancestor:
            return True
        current = current.parent
    return False


def _note_items(block: _Node) -> list[_Node]:
    items = [n for n in block.elements() if any(cls <= n.classes for cls in NOTE_ITEM_CLASSES)]
    if items:
        return items
    # Other sites: a list of notes, one <li> each.
    return [n for n in block.elements() if n.tag == "li" and not n.has_ancestor(frozenset({"li"}))]


def _note_number(item: _Node) -> int | None:
    for node in item.elements():
        if node.classes & NOTE_NUMBER_CLASSES:
            return _digits(node.text())
    return None


def _content_root(body: _Node) -> _Node:
    """The smallest known content container that holds all of the publication."""
    markers = [n for n in body.elements() if n.classes & PUBLICATION_CLASSES or n.attrs.get("id") == "noten"]
    for kind, value in CONTENT_ROOTS:
        for node in body.elements():
            if (node.tag if kind == "tag" else node.attrs.get(kind)) == value:
                if all(_inside(m, node) for m in markers) and node.text().strip():
                    return node
                break
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

    def walk(self, node: _Node) -> None:
        for child in node.children:
            if isinstance(child, str):
                self._text(child)
            else:
                self._element(child)

    def _text(self, text: str) -> None:
        if not self._pre:
            self._buffer.append(text)
            return
        first, *rest = text.split("\n")
        self._buffer.append(first)
        for part in rest:  # <pre> keeps its line breaks
            self.flush()
            self._buffer.append(part)

    def _element(self, node: _Node) -> None:
        if _is_dropped(node) or id(node) in self.page.note_blocks:
            return
        if self.in_note and node.classes & NOTE_NUMBER_CLASSES:
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

    def _block(self, node: _Node) -> None:
        block = node.tag in BLOCK_TAGS
        if block:
            self.flush()
        self._pre += node.tag == "pre"
        self.walk(node)
        self._pre -= node.tag == "pre"
        if block:
            self.flush()

    def _list(self, node: _Node) -> None:
        start = _digits(node.attrs.get("start", "")) if node.tag == "ol" else None
        self._lists.append((start or 1) - 1 if node.tag == "ol" else None)
        self._block(node)
        self._lists.pop()

    def _item(self, node: _Node) -> None:
        self.flush()
        last = self._lists[-1] if self._lists else None
        if last is not None and not self.in_note:
            # A browser prints the number of an <ol> item; the text has none.
            self._lists[-1] = last + 1
            self._buffer.append(f"{last + 1}. ")
        self.walk(node)
        self.flush()


def _key_value_table(table: _Node) -> list[tuple[str, str]]:
    """A table of one header row over one value row (the metadata table at the
    top of an officielebekendmakingen page) as (header, value) pairs, to be
    printed "Vergaderjaar 2014-2015" as a masthead prints it; [] for any other
    table, whose cells are then read as blocks."""
    rows = [n for n in table.elements() if n.tag == "tr"]
    if len(rows) != 2 or any(n.tag == "table" for n in table.elements() if n is not table):
        return []
    head, values = ([c for c in row.children if isinstance(c, _Node) and c.tag in ("th", "td")] for row in rows)
    if not head or len(head) != len(values) or any(c.tag != "th" for c in head):
        return []
    pairs = [(tidy_text(h.text()), tidy_text(v.text())) for h, v in zip(head, values)]
    return [(h, v) for h, v in pairs if h and v]
