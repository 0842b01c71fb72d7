"""The body of a publication: where the header ends, and the numbered
questions and answers that follow.

Three layouts occur. The printed Aanhangsel heads each block ("Vraag 1",
"Vraag 1 t/m 5", "Antwoord 4, 5, 7 en 8", "Antwoorden 5 en 6", "Antwoord op
vraag 3 en 4", "Antwoord vraag 4-7"). The ministry's Word answer may number
the questions instead ("1." or a bare "1") and follow each with an unnumbered
"Antwoord". Submitted questions may carry no numbers at all: one paragraph
per question.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

# A heading: the word, optional "op vraag", then a list of numbers. The list
# may use ",", "en", "t/m", "tot en met" and "-" between numbers.
# A lost comma ("Vraag 7, 8, 9 10 en 11") leaves plain space between two numbers.
# A lettered sub-heading ("Antwoord 4a", "Vraag 5b") belongs to its number.
_NUM = r"\d{1,3}[a-z]?(?![^\W\d_])"
_NUMBERS = _NUM + r"(?:(?:\s*(?:,|en|t/m|tot\s+en\s+met|[-–])\s*|\s+)" + _NUM + r")*"
VRAAG_HEADING = re.compile(rf"^\s*(?:Vraag|Vragen)\s+(?:nr\.?\s*)?(?P<nums>{_NUMBERS})\s*[:.]?\s*(?P<rest>.*)$")
ANTWOORD_HEADING = re.compile(
    rf"^\s*(?:Antwoord(?:en)?)(?:\s+op)?(?:\s+(?:vraag|vragen))?\s*(?P<nums>{_NUMBERS})?\s*[:.]?\s*(?P<rest>.*)$"
)
_ANTWOORD_VAN = re.compile(r"^\s*Antwoord(?:en)?\s+van\b")
CLOSING_HEADING = re.compile(r"^\s*(?P<kind>Mededeling|Toelichting)\s*:?\s*(?P<rest>.*)$")
# The first letters of the words the headings above start with (after white
# space): a line that starts otherwise is no heading.
_HEADING_INITIALS = frozenset("VAMT")
_NUMBERED_QUESTION = re.compile(r"^\s*(?P<num>\d{1,2})(?:[.)]\s*|\s*$)(?P<rest>.*)$")


_TOT_EN_MET = re.compile(r"tot\s+en\s+met")
_NUMBER_LETTER = re.compile(r"(?<=\d)[a-z]\b")
_SPACED_NUMBERS = re.compile(r"(?<=\d)\s+(?=\d)")
_LIST_SPLIT = re.compile(r"\s*(?:,|\ben\b)\s*")
_RANGE = re.compile(r"^(\d+)\s*(?:t/m|[-–])\s*(\d+)$")


def parse_numbers(text: str) -> tuple[int, ...]:
    """"1 t/m 5" -> 1..5; "4, 5, 7 en 8" -> (4, 5, 7, 8); "4-7" -> 4..7."""
    text = _TOT_EN_MET.sub("t/m", text)
    text = _NUMBER_LETTER.sub("", text)  # "4a" answers question 4
    out: list[int] = []
    text = _SPACED_NUMBERS.sub(", ", text.strip())
    for part in _LIST_SPLIT.split(text):
        if not part:
            continue
        m = _RANGE.match(part)
        if m:
            lo, hi = int(m.group(1)), int(m.group(2))
            if lo <= hi <= lo + 50:
                out.extend(range(lo, hi + 1))
            continue
        if part.isdigit():
            out.append(int(part))
    return tuple(dict.fromkeys(out))


@dataclass
class Block:
    kind: str  # "vraag", "antwoord", "mededeling", "toelichting"
    numbers: tuple[int, ...]
    heading: str
    lines: list[str] = field(default_factory=list)
    inferred: bool = False  # numbers inferred from position, not printed
    # The numbers of the printed heading, where a grouped heading ("Vraag 1
    # t/m 5") was split into one block per question; None otherwise.
    kop: tuple[int, ...] | None = None


@dataclass
class Body:
    header_lines: list[str]
    blocks: list[Block]
    layout: str  # "headings", "numbered", "sections", "none"
    warnings: list[str] = field(default_factory=list)


def _is_vraag(line: str) -> re.Match[str] | None:
    m = VRAAG_HEADING.match(line)
    # "Vraag 1" stands alone on its line; text after the numbers means a
    # sentence that starts with the word ("Vraag 2 gaat over ...").
    if m and (not m.group("rest") or m.group("rest")[:1].isupper()):
        return m
    return None


def _is_antwoord(line: str) -> re.Match[str] | None:
    if _ANTWOORD_VAN.match(line):
        return None
    m = ANTWOORD_HEADING.match(line)
    if not m:
        return None
    rest = m.group("rest")
    if m.group("nums") is None and rest and not line.rstrip().endswith(":"):
        return None  # "Antwoorden op Kamervragen over ..." is a sentence
    if rest and not rest[:1].isupper():
        return None
    return m


def segment(lines: list[str]) -> Body:
    """Find the header and the question/answer blocks.

    Before: a footnote number left in front of a heading ("1  Antwoord 1
    Ja.") is dropped. After: a block whose text the extraction printed twice
    keeps it once, a block repeating the block before it is dropped, lettered
    question headings of one number ("Vraag 4a", "Vraag 4b") are one
    question, and a grouped question heading is split where its paragraphs
    match its numbers one to one (``split_groups``)."""
    lines = [_without_marker_before_heading(line) for line in lines]
    body = _segment(lines)
    body.blocks = _tidy(body.blocks, body.warnings)
    # The width is read only where a grouped heading may be split (most
    # publications have none; reading it is a fifth of the segmenting).
    width = line_width(lines) if any(_is_group(b) for b in body.blocks) else None
    body.blocks = split_groups(body.blocks, width)
    return body


# A footnote marker (or page number) that joined text put in front of a
# heading: "1  Antwoord 1 Ja.", "2 Vraag 3".
_MARKER_BEFORE_HEADING = re.compile(r"^\s*\d{1,3}\s+(?=(?:Vraag|Vragen|Antwoord(?:en)?)\b)")


def _without_marker_before_heading(line: str) -> str:
    m = _MARKER_BEFORE_HEADING.match(line)
    if m is None:
        return line
    rest = line[m.end() :]
    heading = _is_vraag(rest) or _is_antwoord(rest)
    # Only a heading with its numbers: "3 Antwoorden op Kamervragen" stays text.
    if heading is not None and heading.group("nums"):
        return rest
    return line


def _segment(lines: list[str]) -> Body:
    first_vraag = next((i for i, ln in enumerate(lines) if _is_vraag(ln)), None)
    first_antwoord = next((i for i, ln in enumerate(lines) if _is_antwoord(ln) and ANTWOORD_HEADING.match(ln).group("nums")), None)  # type: ignore[union-attr]
    if first_vraag is not None:
        start = first_vraag if first_antwoord is None else min(first_vraag, first_antwoord)
        return Body(lines[:start], _blocks_with_headings(lines[start:]), "headings")
    numbered = _numbered_layout(lines) or _sectioned_layout(lines)
    if numbered is None and first_antwoord is None and not any(_is_antwoord(ln) for ln in lines):
        numbered = _numbered_questions_only(lines)
    if numbered is not None:
        return numbered
    if first_antwoord is not None:
        return Body(lines[:first_antwoord], _blocks_with_headings(lines[first_antwoord:]), "headings")
    return Body(lines, [], "none")


def _blocks_with_headings(lines: list[str]) -> list[Block]:
    blocks: list[Block] = []
    last_vraag: tuple[int, ...] = ()
    for line in lines:
        if line.lstrip()[:1] not in _HEADING_INITIALS:
            if blocks:  # no heading: most lines, spared the heading patterns
                blocks[-1].lines.append(line)
            continue
        if m := _is_vraag(line):
            nums = parse_numbers(m.group("nums"))
            blocks.append(Block("vraag", nums, line.strip()))
            last_vraag = nums
            if m.group("rest"):
                blocks[-1].lines.append(m.group("rest"))
            continue
        if m := _is_antwoord(line):
            if m.group("nums"):
                blocks.append(Block("antwoord", parse_numbers(m.group("nums")), line.strip()))
            else:
                blocks.append(Block("antwoord", last_vraag, line.strip(), inferred=True))
            if m.group("rest"):
                blocks[-1].lines.append(m.group("rest"))
            continue
        if (m := CLOSING_HEADING.match(line)) and (not m.group("rest") or line.rstrip().endswith(":") or ":" in line[:14]):
            blocks.append(Block(m.group("kind").lower(), (), line.strip()))
            if m.group("rest"):
                blocks[-1].lines.append(m.group("rest"))
            continue
        if blocks:
            blocks[-1].lines.append(line)
    return blocks


def _numbered_layout(lines: list[str]) -> Body | None:
    """The Word layout: "1." (or a bare "1") starts question 1, then an
    unnumbered "Antwoord" heading; numbers must run 1, 2, 3 ... in order."""
    starts: list[tuple[int, int, str]] = []
    repeated: set[int] = set()  # a numbered question the extraction printed twice
    expected = 1
    for i, line in enumerate(lines):
        m = _NUMBERED_QUESTION.match(line)
        if m and starts and int(m.group("num")) == expected - 1 and _fold(m.group("rest")) == _fold(starts[-1][2]):
            repeated.add(i)
            continue
        if m and int(m.group("num")) == expected:
            # The question is followed by an "Antwoord" heading before the next number.
            nxt = next((j for j in range(i + 1, len(lines)) if lines[j].strip()), None)
            if nxt is None:
                continue
            window = lines[i + 1 : i + 40]
            if any(_is_antwoord(w) for w in window):
                starts.append((i, expected, m.group("rest")))
                expected += 1
    if len(starts) < 1:
        return None
    blocks: list[Block] = []
    first = starts[0][0]
    bounds = [s[0] for s in starts] + [len(lines)]
    for (idx, num, rest), end in zip(starts, bounds[1:]):
        block = Block("vraag", (num,), lines[idx].strip())
        if rest:
            block.lines.append(rest)
        current = block
        blocks.append(block)
        for i in range(idx + 1, end):
            line = lines[i]
            if i in repeated:
                continue
            if _is_antwoord(line):
                m = ANTWOORD_HEADING.match(line)
                nums = parse_numbers(m.group("nums")) if m and m.group("nums") else (num,)
                current = Block("antwoord", nums, line.strip(), inferred=not (m and m.group("nums")))
                if m and m.group("rest"):
                    current.lines.append(m.group("rest"))
                blocks.append(current)
            elif (cm := CLOSING_HEADING.match(line)) and not cm.group("rest"):
                current = Block(cm.group("kind").lower(), (), line.strip())
                blocks.append(current)
            else:
                current.lines.append(line)
    return Body(lines[:first], blocks, "numbered")


_BARE_NUMBER = re.compile(r"^\s*(?P<num>\d{1,2})(?:[.)]\s*|\s*$|\s+(?=[A-Z«“‘(\"']))(?P<rest>.*)$")
_SECTION_ANSWER = re.compile(r"^\s*Antwoord\b(?!\s+\d)(?!\s+op\b)")


def _numbered_runs(lines: list[str]) -> list[tuple[int, int, str]]:
    """(line index, number, text after the number) of lines numbered 1, 2, 3 ... in order."""
    runs: list[tuple[int, int, str]] = []
    for i, line in enumerate(lines):
        m = _BARE_NUMBER.match(line)
        if m and int(m.group("num")) == len(runs) + 1:
            runs.append((i, len(runs) + 1, m.group("rest")))
    return runs


def _sectioned_layout(lines: list[str]) -> Body | None:
    """The older Aanhangsel layout: all questions numbered 1..n under the
    title, then one "Antwoord" heading ("Antwoord van minister X (Ontvangen
    ...)" or "Antwoord" and the date), then the answers numbered 1..n."""
    title = next((i for i, ln in enumerate(lines) if re.match(r"^\s*(?:Mondelinge\s+)?[Vv]ragen\s+van\b", ln)), None)
    if title is None:
        return None
    start = next((j + 1 for j in range(title, min(title + 8, len(lines))) if re.search(r"(?i)ingezonden", lines[j])), title + 1)
    split = next((j for j in range(start, len(lines)) if _SECTION_ANSWER.match(lines[j])), None)
    if split is None:
        return None
    questions = _numbered_runs(lines[start:split])
    answer_runs = _numbered_runs(lines[split + 1 :])
    if not questions or not answer_runs:
        return None
    blocks: list[Block] = []
    for section, runs, kind in ((lines[start:split], questions, "vraag"), (lines[split + 1 :], answer_runs, "antwoord")):
        bounds = [r[0] for r in runs] + [len(section)]
        for (idx, num, rest), end in zip(runs, bounds[1:]):
            block = Block(kind, (num,), section[idx].strip())
            block.lines = ([rest] if rest else []) + section[idx + 1 : end]
            blocks.append(block)
    # The answer heading paragraph (who answered, when) is header matter.
    first_answer = split + 1 + answer_runs[0][0]
    return Body(lines[:start] + lines[split:first_answer], blocks, "sections")


def _numbered_questions_only(lines: list[str]) -> Body | None:
    """Questions without answers numbered "1", "2", ... under the title (the
    older question-only publications): numbers must run 1..n in order after
    the "(ingezonden ...)" line."""
    title = next((i for i, ln in enumerate(lines) if re.match(r"^\s*(?:Mondelinge\s+)?[Vv]ragen\s+van\b", ln)), None)
    if title is None:
        return None
    start = next((j + 1 for j in range(title, min(title + 8, len(lines))) if re.search(r"(?i)ingezonden", lines[j])), None)
    if start is None:
        return None
    runs = _numbered_runs(lines[start:])
    if len(runs) < 2:
        return None
    section = lines[start:]
    blocks = []
    bounds = [r[0] for r in runs] + [len(section)]
    for (idx, num, rest), end in zip(runs, bounds[1:]):
        block = Block("vraag", (num,), section[idx].strip())
        block.lines = ([rest] if rest else []) + section[idx + 1 : end]
        blocks.append(block)
    return Body(lines[: start + runs[0][0]], blocks, "numbered")


# Word question texts number their questions "1." to "n." (a paragraph of
# its own or in front of the text); "1)" is a footnote marker or an item of
# an enumeration inside one question, never a question number.
_WORD_QUESTION_NUMBER = re.compile(r"^\s*(?P<num>\d{1,2})\.(?:\s+|$)(?P<rest>.*)$")
# An item of an enumeration inside one question: "a) ...", "(b) ...",
# "1) ...", "ii) ...", a bullet.
_ENUMERATION_ITEM = re.compile(r"^\s*(?:\(?(?:[a-z]|\d{1,2}|[ivx]{1,4})\)|[a-z]\.|[-•–·▪*])\s*(?P<rest>\S.*)$")
# A footnote marker the Word file prints after a question: "...oprichter'? 1)".
_TRAILING_MARKER = re.compile(r"(?<=[?.!»”\"'’])\s*\d{1,2}\)\s*$")
_ASKS = re.compile(r"\b(?:Kunt|Wilt|Bent|Deelt|Klopt|Hoe|Wat|Welke|Waarom|Wanneer|Op welke)\b")


def paragraphs_as_questions(lines: list[str]) -> list[Block]:
    """Submitted questions without headings, after the header.

    Where the paragraphs number the questions "1." to "n." in order, each
    number starts a question and the paragraphs up to the next number are
    its text. Otherwise each paragraph that asks something is one question,
    numbered in order as they will be when published; an enumeration item
    ("a) ...", "1) ...") continues the question it belongs to. A paragraph
    the extraction printed twice is one question."""
    paragraphs = [_TRAILING_MARKER.sub("", ln.strip()) for ln in lines if ln.strip()]
    numbered = _word_numbered(paragraphs)
    if numbered is not None:
        return numbered
    blocks: list[Block] = []
    previous = ""
    in_enumeration = False
    for text in paragraphs:
        key = _fold(text)
        # Printed twice by the extraction: the same paragraph right after
        # itself. The same words further on are another question (members
        # do ask "Wat was daarvan de uitkomst?" twice in one set).
        if key == previous:
            continue
        previous = key
        item = _ENUMERATION_ITEM.match(text)
        if item and blocks and _continues_question(blocks[-1].lines[-1], item.group("rest"), in_enumeration):
            blocks[-1].lines.append(text)
            in_enumeration = True
            continue
        in_enumeration = False
        if "?" in text or _ASKS.search(text[:20]):
            blocks.append(Block("vraag", (len(blocks) + 1,), "", [text], inferred=True))
    return blocks


def _continues_question(before: str, item: str, in_enumeration: bool) -> bool:
    """An enumeration item belongs to the question before it when that
    question announces a list (":", ";", ","), when the items run on, or when
    the item goes on in lower case ("a) hoeveel ...")."""
    return in_enumeration or before.rstrip().endswith((":", ";", ",")) or item[:1].islower()


def _word_numbered(paragraphs: list[str]) -> list[Block] | None:
    """Questions numbered "1." to "n." in order (at least two), or None."""
    starts: list[int] = []
    for i, text in enumerate(paragraphs):
        m = _WORD_QUESTION_NUMBER.match(text)
        if m and int(m.group("num")) == len(starts) + 1:
            starts.append(i)
    if len(starts) < 2:
        return None
    blocks: list[Block] = []
    bounds = starts + [len(paragraphs)]
    for k, (i, end) in enumerate(zip(starts, bounds[1:]), start=1):
        m = _WORD_QUESTION_NUMBER.match(paragraphs[i])
        assert m is not None
        text = ([m.group("rest")] if m.group("rest") else []) + paragraphs[i + 1 : end]
        # the numbered paragraph printed twice by the extraction: "2. Klopt het? 2. Klopt het?"
        own = _fold(paragraphs[i])
        text = [t for j, t in enumerate(text) if j == 0 or _fold(t) != own]
        blocks.append(Block("vraag", (k,), paragraphs[i][: m.start("rest")].strip(), _once(text)))
    return blocks


# ------------------------------------------------------------- tidying
_MARK = re.compile(r"\[\^\d+\]")
_LETTERED_HEADING = re.compile(r"^\s*(?:Vraag|Vragen)\s+(?:nr\.?\s*)?\d{1,3}[a-z]\b")


# White space is folded by str.split() and a join: the same words joined by
# one space as replacing every run of \s+ and stripping (str.split's white
# space is re's \s), three to four times faster than the pattern.


def _fold(text: str) -> str:
    if "[^" in text:
        text = _MARK.sub("", text)
    return " ".join(text.split()).lower()


def _once(lines: list[str]) -> list[str]:
    """A block's lines without a second copy the extraction printed of them:
    the text is the same run of lines twice over."""
    filled = [i for i, ln in enumerate(lines) if ln.strip()]
    if len(filled) < 2 or len(filled) > 400:
        return lines
    # The filled lines, white space folded, joined by one space (as ``words`` below).
    whole = " ".join(" ".join([lines[i] for i in filled]).split())
    half = len(whole) // 2
    if len(whole) % 2 == 0 or whole[:half] != whole[half + 1 :]:
        return lines  # the one split the loop below could find is not there
    words = [" ".join(lines[i].split()) for i in filled]
    length = -1
    for k in range(1, len(words)):
        length += len(words[k - 1]) + 1
        if 2 * length + 1 == len(whole) and whole[:length] == whole[length + 1 :]:
            return lines[: filled[k]]
    return lines


def _tidy(blocks: list[Block], warnings: list[str]) -> list[Block]:
    """Blocks once each: a block's text printed twice kept once; a block that
    repeats an earlier one (same kind, numbers and text) dropped; lettered
    question headings of one number joined into that question."""
    out: list[Block] = []
    seen: set[tuple[str, tuple[int, ...], str]] = set()
    lettered: dict[tuple[int, ...], Block] = {}
    for block in blocks:
        block.lines = _once(block.lines)
        key = (block.kind, block.numbers, _fold(" ".join(block.lines)))
        if key in seen and key[2]:
            warnings.append(f"{block.heading or block.kind} is printed twice with the same text; read once")
            continue
        seen.add(key)
        if block.kind == "vraag" and _LETTERED_HEADING.match(block.heading):
            first = lettered.get(block.numbers)
            if first is not None:
                first.lines.extend(block.lines)
                continue
            lettered[block.numbers] = block
        out.append(block)
    return out


# ----------------------------------------------------- grouped questions
# Where a line's text ends, past footnote marks, closing quotes and brackets.
_LINE_TAIL = re.compile(r"(?:\[\^\d+\]|[\s)\]»”’\"'])+$")
_HEADING_START = re.compile(r"^\s*(?:Vraag|Vragen|Antwoord(?:en)?)\b")


def _visible(line: str) -> str:
    """A line as printed: footnote marks were superscripts, not characters."""
    return (_MARK.sub("", line) if "[^" in line else line).rstrip()


# No printed page sets more characters on a line than this; longer lines
# are paragraphs that were never wrapped (a Word export).
PRINTED_LINE_MAX = 150
_ENDS_IN_WORD = re.compile(r"[^\W_],?$")
UNBOUNDED = 10**9


def line_width(lines: list[str]) -> int | None:
    """The width, in characters, of the publication's lines: the lines of a
    publication share one width, so a line broke where its next word would
    not have fitted. The width is the one that best separates what was
    printed (no line longer) from the breaks that were forced (a line ending
    inside a sentence, whose next word did not fit); the narrowest such
    width where several do equally well. ``UNBOUNDED`` when the lines were
    never wrapped (a Word export, one paragraph a line); None when the text
    has too few lines to tell."""
    visible = [_visible(ln) for ln in lines]
    lengths = [len(v) for v in visible if len(v.strip()) >= 20]
    if len(lengths) < 8:
        return None
    cap = 1.6 * sorted(lengths)[len(lengths) // 2]  # joined or flattened lines say nothing of the width
    printed = [n for n in lengths if n <= cap]
    forced: list[int] = []
    for a, b in zip(visible, visible[1:]):
        b = b.strip()
        if not a.strip() or not b or len(a) > cap or _HEADING_START.match(a):
            continue
        # broken inside a sentence (a match is the last two characters at
        # most, before a final line end: searched there, not from every
        # position of the line)
        if _ENDS_IN_WORD.search(a, max(0, len(a) - 3)):
            forced.append(len(a) + 1 + len(b.split()[0]))
    if len(forced) < 4:
        # No line broke inside a sentence, and the lines are longer than any
        # page prints: a Word export, one paragraph a line; any next word fits.
        return UNBOUNDED if sorted(lengths)[len(lengths) // 2] > PRINTED_LINE_MAX else None
    printed.sort()
    forced.sort()
    best: tuple[int, int] | None = None
    for width in range(printed[0], int(cap) + 1):
        # lines printed longer than the width, plus forced breaks whose word would have fitted
        errors = len(printed) - bisect.bisect_right(printed, width) + bisect.bisect_right(forced, width)
        if best is None or errors < best[0]:
            best = (errors, width)
    return best[1] if best else None


def paragraphs(lines: list[str], width: int | None) -> list[list[str]]:
    """The paragraphs of a block's lines. A line ends a paragraph when

    * an empty line follows it and it ends a sentence (". ? ! :"): readers
      that see the layout (kg.read.pdf) mark each paragraph end so; an empty
      line inside a sentence is a page break, not a paragraph end;
    * or it ends in "?" and the next line's first word would have fitted on
      it (``width``): the line was not full, so the question ended there.
    """
    out: list[list[str]] = [[]]
    filled = [i for i, ln in enumerate(lines) if ln.strip()]
    for k, i in enumerate(filled):
        out[-1].append(lines[i])
        if k + 1 == len(filled):
            break
        j = filled[k + 1]
        tail = _LINE_TAIL.sub("", lines[i])
        end = tail[-1:]
        blank = j > i + 1
        fits = False
        if end == "?" and width is not None:
            word = _visible(lines[j]).split()
            fits = bool(word) and len(_visible(lines[i])) + 1 + len(word[0]) <= width
        if (blank and end in ".?!:") or fits:
            out.append([])
    return [p for p in out if p]


def _is_group(block: Block) -> bool:
    """A grouped question heading not split yet: what ``split_groups`` tries."""
    return block.kind == "vraag" and len(block.numbers) >= 2 and block.kop is None


def split_groups(blocks: list[Block], width: int | None) -> list[Block]:
    """Each grouped question heading ("Vraag 1 t/m 5") whose text holds as
    many paragraphs as the heading has numbers becomes one block per
    question, in order, each with its own paragraph and the heading's numbers
    as ``kop``. Any other group keeps its shared text."""
    out: list[Block] = []
    for block in blocks:
        if not _is_group(block):
            out.append(block)
            continue
        found = paragraphs(block.lines, width)
        if len(found) != len(block.numbers):
            out.append(block)
            continue
        for number, lines in zip(block.numbers, found):
            out.append(Block("vraag", (number,), block.heading, lines, block.inferred, kop=block.numbers))
    return out
