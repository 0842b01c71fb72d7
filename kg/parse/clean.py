"""From extracted text to clean lines: page furniture out, footnotes lifted,
markers marked, hyphenation undone.

Readers that know the layout (PDF, HTML, Word) do most of this themselves and
say so with ``SourceText.layout_clean``; text that was extracted elsewhere
(plain text, Markdown, one flattened line) gets it done here, from the
phenomena of the Aanhangsel layout rather than from any particular file:

- running footers ("Tweede Kamer, vergaderjaar 2024–2025, Aanhangsel 3",
  "ah-tk-20242025-594", "ISSN 0921 - 7398", "’s-Gravenhage 2024"), sometimes
  glued to the next heading ("Aanhangsel 1Antwoord 3");
- footnotes at the bottom of each page, numbered 1..n through the document,
  their numbers glued to the text ("1NOS, 22 oktober") or not;
- footnote markers glued to a word or "?" ("jl?1"), alone on a line ("2 3"),
  or at the start of the next line ("4 is de problematiek");
- words hyphenated at line ends ("beantwoor-" / "ding").
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from kg.model import FOOTNOTE_MARK, RawFootnote, SourceText

# ----------------------------------------------------------------- furniture

# Lines (or line starts) that are page furniture, never content. Each entry
# matches at the start of a line; the matched part is removed and whatever
# follows it on the line (a glued heading) is kept as a line of its own.
FURNITURE_PATTERNS: tuple[str, ...] = (
    r"(?:Tweede|Eerste) Kamer,\s*vergaderjaar\s*\d{4}\s*[–-]\s*\d{4},\s*(?:Aanhangsel|Vragen)(?:\s*\d+)?",
    r"(?:ah|kv)-(?:tk|ek)-\S+",
    r"ISSN\s*\d{4}\s*-\s*\d{4}\s*",
    r"[’']s-Gravenhage\s*\d{4}\s*",
    r"h tk \d{8} \d+\s*$",  # Markdown converters' rendering of the identifier footer
    r"-{5,}\s*$",  # Markdown page break
)
_FURNITURE = re.compile(r"^\s*(?:" + "|".join(f"(?:{p})" for p in FURNITURE_PATTERNS) + r")")
_FOOTER_START = re.compile(r"^\s*(?:(?:Tweede|Eerste) Kamer,\s*vergaderjaar|(?:ah|kv)-(?:tk|ek)-|ISSN\s*\d|[’']s-Gravenhage\s*\d|h tk \d{8}|-{5,})")
_IDENTIFIER_FOOTER = re.compile(r"\b((?:ah|kv)-(?:tk|ek)-[0-9A-Za-z-]+?)(?=\s|ISSN|$)")

# Spacing accents that PDF extraction sometimes detaches from their letter
# ("Kostic ´" for "Kostić"), mapped to the combining mark they stand for.
_SPACING_ACCENTS = {"´": "\u0301", "`": "\u0300", "¨": "\u0308", "˜": "\u0303", "ˆ": "\u0302", "¸": "\u0327", "ˇ": "\u030c"}
_DETACHED_ACCENT = re.compile(r"([A-Za-z]) ?([" + "".join(_SPACING_ACCENTS) + r"])")

_SHORT_WORDS = r"(?:en|of|de|het|een|van|in|op|te|ter|ten|tot|die|dat|met|voor|aan|is|zijn|bij|om|uit|als|over|door|naar|dan|nog|ook|niet|wel|er|zo)"
_DETACHED_ACCENT_IN_WORD = re.compile(
    r"([A-Za-z]) ?([" + "".join(_SPACING_ACCENTS) + r"]) (?!" + _SHORT_WORDS + r"\b)(?=[a-zà-ÿ])"
)
_MD_HEADING = re.compile(r"^\s*#{1,6}\s*")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(.*?)\1|(?<![\w/])_(?=\S)(.+?)(?<=\S)_(?![\w/])")
_MD_FOOTNOTE_REF = re.compile(r"\[(\d{1,2}) ?\]")
_MD_SUPERSCRIPT = re.compile(r"\[([a-z]{1,3}) \]")



@dataclass(frozen=True)
class CleanText:
    """The publication's text as clean lines, with its footnotes apart."""

    lines: tuple[str, ...]
    footnotes: tuple[RawFootnote, ...]
    furniture: tuple[str, ...]
    warnings: tuple[str, ...]


def clean(source: SourceText) -> CleanText:
    """Clean a reader's text into lines; see the module doc."""
    warnings: list[str] = []
    text = normalise_characters(source.text)
    furniture = list(source.furniture)
    if source.layout_clean:
        lines = [ln.rstrip() for ln in text.split("\n")]
        footnotes = [RawFootnote(f.number, join_lines(normalise_characters(f.text).split("\n"))) for f in source.footnotes]
        return CleanText(tuple(dehyphenate(lines)), tuple(footnotes), tuple(furniture), tuple(warnings))

    if source.format == "markdown":
        text = strip_markdown(text)
    lines = text.split("\n")
    if _looks_flattened(lines):
        lines = reflow_flattened(text)
        warnings.append("the text was flattened to one line; line breaks were restored at headings and page footers")
    pages, page_furniture = split_pages(lines)
    furniture.extend(page_furniture)
    body_pages, footnotes = lift_footnotes(pages, warnings)
    body: list[str] = []
    for page in body_pages:
        body.extend(page)
    body = [ln for ln in body if ln.strip() != ""] if _mostly_blank_separated(body) else body
    return CleanText(tuple(dehyphenate(body)), tuple(footnotes), tuple(furniture), tuple(warnings))


# ------------------------------------------------------------- characters


def normalise_characters(text: str) -> str:
    """NFC, detached accents re-attached, odd spaces and line ends made plain."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = text.replace("\u00a0", " ").replace("\u2009", " ").replace("\u202f", " ").replace("\t", " ")
    text = text.replace("\u00ad", "")  # soft hyphen: a possible break, not a character
    # The accent glyph's own width often leaves a space inside the word
    # ("Yes¸ ilgöz"): a lower-case continuation that is no word of its own
    # joins the letter again; "Kostic´ en" keeps its space.
    if not any(accent in text for accent in _SPACING_ACCENTS):
        return unicodedata.normalize("NFC", text)  # the patterns below need one (they try every letter)
    text = _DETACHED_ACCENT_IN_WORD.sub(lambda m: m.group(1) + _SPACING_ACCENTS[m.group(2)], text)
    text = _DETACHED_ACCENT.sub(lambda m: m.group(1) + _SPACING_ACCENTS[m.group(2)], text)
    return unicodedata.normalize("NFC", text)


def strip_markdown(text: str) -> str:
    out = []
    for line in text.split("\n"):
        line = _MD_HEADING.sub("", line)
        line = _MD_EMPHASIS.sub(lambda m: m.group(2) if m.group(2) is not None else m.group(3), line)
        line = _MD_FOOTNOTE_REF.sub(lambda m: FOOTNOTE_MARK.format(m.group(1)), line)
        line = _MD_SUPERSCRIPT.sub(r"\1", line)
        out.append(line)
    return "\n".join(out)


def _looks_flattened(lines: list[str]) -> bool:
    long_lines = [ln for ln in lines if len(ln) > 1500]
    return bool(long_lines) and sum(len(ln) for ln in long_lines) > 0.8 * sum(len(ln) for ln in lines)


def _mostly_blank_separated(lines: list[str]) -> bool:
    """Word exports put a blank line between paragraphs; blank lines then carry no meaning."""
    blank = sum(1 for ln in lines if not ln.strip())
    return blank > 0.3 * max(1, len(lines))


# ----------------------------------------------------------- flattened text

_FLAT_BREAKS = re.compile(
    r"(?=(?:Vragen van|Vraag van het|Mondelinge vragen van|Antwoord van|Mededeling van|Zie ook Aanhangsel)\b)"
    r"|(?=(?:Tweede|Eerste) Kamer,\s*vergaderjaar\s*\d{4}[–-]\d{4},\s*(?:Aanhangsel|Vragen))"
    r"|(?=(?:ah|kv)-(?:tk|ek)-\d{4}\S*\s+ISSN)"
    r"|(?<=Aanhangsel van de Handelingen )(?=Vragen gesteld)"
)
_FLAT_AFTER_FOOTER = re.compile(r"((?:Tweede|Eerste) Kamer,\s*vergaderjaar\s*\d{4}[–-]\d{4},\s*(?:Aanhangsel|Vragen)\s*\d*)\s*")
_FLAT_HEADING = re.compile(
    r"(?<![\w(])((?:Vraag|Antwoord(?:en)?(?:\s+op\s+vraag)?)\s+\d{1,2}[a-z]?(?:\s*(?:,|en|t/m|tot en met|[-–])\s*\d{1,2}[a-z]?)*:?)\s+(?=[A-Z«“‘(\"'])"
)
_FLAT_MASTHEAD_NUMBER = re.compile(r"(gegeven antwoorden)\s+(\d{1,5})\s+")


def reflow_flattened(text: str) -> list[str]:
    """Restore the line breaks that matter in a text flattened to one line:
    around headings, page footers and footnote blocks."""
    text = re.sub(r"[ \n]+", " ", text).strip()
    text = _FLAT_MASTHEAD_NUMBER.sub(r"\1\n\2\n", text)
    text = _FLAT_BREAKS.sub("\n", text)
    text = _FLAT_AFTER_FOOTER.sub(lambda m: m.group(1) + "\n", text)
    text = _FLAT_HEADING.sub(lambda m: "\n" + m.group(1) + "\n", text)
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    return _split_flat_footnote_blocks(lines)


def _split_flat_footnote_blocks(lines: list[str]) -> list[str]:
    """In a flattened page the footnotes run on at the end of the last text
    line before the footer: "... wordt 1 Financieel Dagblad, ... 2 De Telegraaf".
    Break that line before each footnote number of the longest chain."""
    out: list[str] = []
    next_fn = 1
    for i, line in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if _FOOTER_START.match(nxt) and not _FOOTER_START.match(line):
            positions = [(m.start(1), int(m.group(1))) for m in re.finditer(r"(?<!\S)(\d{1,2}) (?=\S)", line)]
            chain = _best_chain(positions, next_fn)
            if chain:
                cuts = [p for p, _ in chain]
                pieces = [line[: cuts[0]].rstrip()] + [line[a:b].strip() for a, b in zip(cuts, cuts[1:] + [len(line)])]
                out.extend(p for p in pieces if p)
                next_fn = chain[-1][1] + 1
                continue
        out.append(line)
    return out


def _best_chain(candidates: list[tuple[int, int]], first: int) -> list[tuple[int, int]]:
    """Of the runs first, first+1, ... found in order among (position, number)
    candidates, the longest; among equally long ones the one starting last
    (a footnote block sits at the end of its page, after any body text that
    happens to start with the same number)."""
    best: list[tuple[int, int]] = []
    for idx, (_, number) in enumerate(candidates):
        if number != first:
            continue
        chain = [candidates[idx]]
        for cand in candidates[idx + 1 :]:
            if cand[1] == chain[-1][1] + 1:
                chain.append(cand)
        if len(chain) >= len(best):
            best = chain
    return best


# ---------------------------------------------------------------- pages


def split_pages(lines: list[str]) -> tuple[list[list[str]], list[str]]:
    """Split lines into pages at the running footers; return the pages
    (footers removed) and the footer lines themselves."""
    pages: list[list[str]] = [[]]
    furniture: list[str] = []
    in_footer = False
    for raw in lines:
        line = raw.rstrip()
        m = _FURNITURE.match(line)
        if m:
            while m:
                furniture.append(line[: m.end()].strip())
                line = line[m.end() :]
                m = _FURNITURE.match(line)
            in_footer = True
            if line.strip():
                # a heading glued to the footer starts the next page
                pages.append([line.strip()])
                in_footer = False
            continue
        if in_footer:
            pages.append([])
            in_footer = False
        pages[-1].append(line)
    return [p for p in pages if any(x.strip() for x in p)] or [[]], furniture


# ------------------------------------------------------------- footnotes

_FOOTNOTE_START = re.compile(r"^\s*(\d{1,2})(?:\)|\s+|(?=[A-Z«“‘(\"'h]))\s*(\S.*)$")
_MARKER_ONLY = re.compile(r"^\s*(\d{1,2}(?:[ ,]+\d{1,2})*)\s*$")
_MARKER_LINE_START = re.compile(r"^\s*(\d{1,2}) (?=\S)")
_NUMBERED_LIST = re.compile(r"^\s*\d{1,2}[.]\s")


def lift_footnotes(pages: list[list[str]], warnings: list[str]) -> tuple[list[list[str]], list[RawFootnote]]:
    """Take the footnote block off the bottom of each page and mark the
    footnote references in the page's text."""
    footnotes: list[RawFootnote] = []
    body_pages: list[list[str]] = []
    next_fn = 1
    for page in pages:
        starts = []
        for idx, line in enumerate(page):
            m = _FOOTNOTE_START.match(line)
            if m and not _NUMBERED_LIST.match(line) and not _MARKER_ONLY.match(line):
                starts.append((idx, int(m.group(1))))
        chain = _best_chain(starts, next_fn)
        # A block must look like footnotes: every later line a start or the
        # continuation of one; body text after the first start breaks it.
        if chain and not _chain_is_block(page, chain):
            chain = _block_before_heading(page, starts, next_fn)
        if not chain:
            body_pages.append(_mark_references(page, set()))
            continue
        first_idx = chain[0][0]
        block_end = _next_heading(page, chain[-1][0])
        bounds = [i for i, _ in chain] + [block_end]
        page_notes = {}
        for (idx, number), end in zip(chain, bounds[1:]):
            m = _FOOTNOTE_START.match(page[idx])
            assert m is not None
            text_lines = [m.group(2)] + [ln for ln in page[idx + 1 : end] if ln.strip()]
            page_notes[number] = join_lines(text_lines)
        footnotes.extend(RawFootnote(n, t) for n, t in page_notes.items())
        next_fn = chain[-1][1] + 1
        body_pages.append(_mark_references(page[:first_idx] + page[block_end:], set(page_notes)))
    return body_pages, footnotes


def _next_heading(page: list[str], start: int) -> int:
    for idx in range(start + 1, len(page)):
        if _HEADING_LINE.match(page[idx].strip()):
            return idx
    return len(page)


def _block_before_heading(page: list[str], starts: list[tuple[int, int]], number: int) -> list[tuple[int, int]]:
    """A footnote that stands between two questions because the page footer
    was lost in extraction (the seed's "1 Aanhangsel Handelingen ..." before
    "Vraag 7"). Taken only when the text before it carries the marker glued
    to a word or '?', so that a numbered line is not mistaken for a note."""
    for idx, n in starts:
        if n != number:
            continue
        before = "\n".join(page[:idx])
        if not re.search(rf"(?<=[?!.»”\"’)\w])(?<!\d){n}(?=[\s,.;:)]|$)", before):
            continue
        end = _next_heading(page, idx)
        chain = [(i, m) for i, m in starts if idx <= i < end]
        expected = list(range(number, number + len(chain)))
        if [m for _, m in chain] == expected:
            return chain
    return []


def _chain_is_block(page: list[str], chain: list[tuple[int, int]]) -> bool:
    """The lines from the chain's first start to the page end are footnote
    material: no heading among them, and not more continuation lines than a
    footnote block plausibly has."""
    first = chain[0][0]
    tail = page[first:]
    if any(re.match(r"^\s*(?:Vraag|Antwoord(?:en)?)\s+\d", ln) or re.match(r"^\s*(?:Vraag|Antwoord)\s*$", ln) for ln in tail):
        return False
    continuation = len([ln for ln in tail if ln.strip()]) - len(chain)
    return continuation <= 4 * len(chain)


def _mark_references(lines: list[str], numbers: set[int]) -> list[str]:
    """Replace footnote references to ``numbers`` in the page text with
    ``[^n]``. Only numbers of this page's footnotes are touched, so ordinary
    numbers stay. The surest forms go first: a marker alone on a line (it
    joins the line before), then one that starts a line before lower-case
    text ("4 is de problematiek"), and only then one glued to a word or '?'."""
    if not numbers:
        return lines
    out: list[str] = []
    pending = set(numbers)
    for line in lines:
        m = _MARKER_ONLY.match(line)
        if m:
            nums = [int(x) for x in re.findall(r"\d+", m.group(1))]
            if nums and all(n in pending for n in nums):
                marks = "".join(FOOTNOTE_MARK.format(n) for n in nums)
                if out:
                    out[-1] = out[-1].rstrip() + marks
                else:
                    out.append(marks)
                pending -= set(nums)
                continue
        m = _MARKER_LINE_START.match(line)
        if m and int(m.group(1)) in pending and out:
            n = int(m.group(1))
            pending.discard(n)
            out[-1] = out[-1].rstrip() + FOOTNOTE_MARK.format(n)
            line = line[m.end() :]
        out.append(line)
    # The remaining forms are searched in the page's lines joined by "\n",
    # once per number instead of line by line: no match spans a line end,
    # and "\n" is to each pattern what a line's start or end is, so the
    # first match is the first line's first match.
    page = "\n".join(out)
    for n in sorted(pending):
        # "...oprichter'? 1)": the Word files' own marker form.
        if f" {n})" in page and _mark_first(rf"(?<=\S) {n}\)(?=\s|$)", page, out, n):
            pending.discard(n)
            page = "\n".join(out)
    for n in sorted(pending):
        if str(n) in page and _mark_first(rf"(?<=[?!.»”\"’)\w])(?<!\d)(?<!\d[.,]){n}(?=[\s,.;:)]|[A-Z]|$)", page, out, n):
            page = "\n".join(out)
    return out


def _mark_first(pattern: str, page: str, lines: list[str], n: int) -> bool:
    """Put footnote n's mark for the first match of ``pattern`` in ``page``
    (``lines`` joined by "\n") into its line; False when there is none."""
    m = re.search(pattern, page)
    if m is None:
        return False
    i = page.count("\n", 0, m.start())
    at = m.start() - (page.rfind("\n", 0, m.start()) + 1)
    line = lines[i]
    lines[i] = line[:at] + FOOTNOTE_MARK.format(n) + line[at + m.end() - m.start() :]
    return True


# --------------------------------------------------------- hyphenation

_HYPHEN_END = re.compile(r"(\w)-$")
# Words after a line-final hyphen that mark a suspended compound ("wet- en
# regelgeving"): the hyphen and the space stay.
_HEADING_LINE = re.compile(r"^(?:Vraag|Vragen|Antwoord(?:en)?|Mededeling|Toelichting)\b")
_SUSPENDED = re.compile(r"^(?:en|of|tot|dan|noch|als)\b")


def dehyphenate(lines: list[str]) -> list[str]:
    """Join words hyphenated at line ends ("beantwoor-" + "ding") into one
    line. A capital after the break keeps the hyphen ("IT-" + "beheer" is not
    lower-case, "Noord-" + "Holland" stays hyphenated); a heading is never
    joined to the line before it."""
    out: list[str] = []
    carry = ""
    for line in lines:
        line = line.rstrip()
        if carry:
            stripped = line.lstrip()
            if _HEADING_LINE.match(stripped) or not stripped:
                out.append(carry + "-")
            elif _SUSPENDED.match(stripped):
                line = carry + "- " + stripped
            elif stripped[:1].islower():
                line = carry + stripped
            else:
                line = carry + "-" + stripped
            carry = ""
        if line.endswith("-") and _HYPHEN_END.search(line) and not _HEADING_LINE.match(line.lstrip()):
            carry = line[:-1]
            continue
        out.append(line)
    if carry:
        out.append(carry + "-")
    return out


def join_lines(lines: list[str]) -> str:
    """Join printed lines into one paragraph, undoing hyphenation."""
    joined = dehyphenate([ln.strip() for ln in lines if ln.strip()])
    # White space folded to one space (str.split's white space is re's \s):
    # what replacing every run of \s+ and stripping gives, faster.
    return " ".join(" ".join(joined).split())


def identifiers_in_furniture(furniture: tuple[str, ...] | list[str]) -> list[str]:
    found = []
    for line in furniture:
        for m in _IDENTIFIER_FOOTER.finditer(line):
            found.append(m.group(1))
    return found
