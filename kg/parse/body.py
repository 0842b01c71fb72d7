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

import re
from dataclasses import dataclass, field

# A heading: the word, optional "op vraag", then a list of numbers. The list
# may use ",", "en", "t/m", "tot en met" and "-" between numbers.
# A lost comma ("Vraag 7, 8, 9 10 en 11") leaves plain space between two numbers.
_NUMBERS = r"\d{1,3}(?:(?:\s*(?:,|en|t/m|tot\s+en\s+met|[-–])\s*|\s+)\d{1,3})*"
VRAAG_HEADING = re.compile(rf"^\s*(?:Vraag|Vragen)\s+(?:nr\.?\s*)?(?P<nums>{_NUMBERS})\s*[:.]?\s*(?P<rest>.*)$")
ANTWOORD_HEADING = re.compile(
    rf"^\s*(?:Antwoord(?:en)?)(?:\s+op)?(?:\s+(?:vraag|vragen))?\s*(?P<nums>{_NUMBERS})?\s*[:.]?\s*(?P<rest>.*)$"
)
_ANTWOORD_VAN = re.compile(r"^\s*Antwoord(?:en)?\s+van\b")
CLOSING_HEADING = re.compile(r"^\s*(?P<kind>Mededeling|Toelichting)\s*:?\s*(?P<rest>.*)$")
_NUMBERED_QUESTION = re.compile(r"^\s*(?P<num>\d{1,2})(?:[.)]\s*|\s*$)(?P<rest>.*)$")


def parse_numbers(text: str) -> tuple[int, ...]:
    """"1 t/m 5" -> 1..5; "4, 5, 7 en 8" -> (4, 5, 7, 8); "4-7" -> 4..7."""
    text = re.sub(r"tot\s+en\s+met", "t/m", text)
    out: list[int] = []
    text = re.sub(r"(?<=\d)\s+(?=\d)", ", ", text.strip())
    for part in re.split(r"\s*(?:,|\ben\b)\s*", text):
        if not part:
            continue
        m = re.match(r"^(\d+)\s*(?:t/m|[-–])\s*(\d+)$", part)
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


@dataclass
class Body:
    header_lines: list[str]
    blocks: list[Block]
    layout: str  # "headings", "numbered", "sections", "none"


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
    """Find the header and the question/answer blocks."""
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
    expected = 1
    for i, line in enumerate(lines):
        m = _NUMBERED_QUESTION.match(line)
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
        for line in lines[idx + 1 : end]:
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


def paragraphs_as_questions(lines: list[str]) -> list[Block]:
    """Submitted questions without numbers: after the header, each paragraph
    that asks something is one question, numbered in order as they will be
    when published."""
    blocks: list[Block] = []
    for line in lines:
        text = line.strip()
        if not text:
            continue
        if "?" in text or re.search(r"\b(?:Kunt|Wilt|Bent|Deelt|Klopt|Hoe|Wat|Welke|Waarom|Wanneer|Op welke)\b", text[:20]):
            n = len(blocks) + 1
            blocks.append(Block("vraag", (n,), "", [text], inferred=True))
    return blocks
