"""What a minister's letter says in running text rather than in a header:
the delay notice's sentence ("De vragen van het lid Bikker (ChristenUnie)
over ... (2024Z09876) kunnen niet binnen de gebruikelijke termijn worden
beantwoord", "Op 12 maart jl. hebben de leden Kostić en Teunissen (beiden
PvdD) schriftelijke vragen gesteld aan de minister van ... over ...") and the
closing signature ("De Minister van Financiën, E. Heinen") of a Word answer
or a letter that has no "Antwoord van ..." line."""
from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from kg.model import Bewindspersoon, Office, Person
from kg.parse.header import parse_offices, parse_persons, scan_offices, split_surname
from kg.parse.lexicon import kopwoorden, maanden, titel_pattern

_MONTHS = "|".join(sorted(maanden(), key=len, reverse=True))
_TITLES = titel_pattern()
_MEMBERS = r"(?:het\s*(?:Kamer)?lid|de\s*(?:Kamer)?leden|het\s*leden)"
# Names each followed by their party in brackets: "Kostić en Teunissen (beiden PvdD)",
# "Van den Hil (VVD) en Bikker (ChristenUnie)".
# Each group (names and their party) is read one way only, as an atomic
# group would (a lookahead and a back-reference: Python before 3.11 has no
# "(?>...)"), and at most a dozen follow: a failed match stays short
# wherever it starts.
_NAME = r"[^()\s,.;][^()\n]{0,79}?\s*\([^()\n]{1,60}\)"
_NAMED = (
    rf"(?P<askers>(?=(?P<a0>{_NAME}))(?P=a0)"
    rf"(?:\s*(?:,|\ben\b)\s*(?=(?P<a1>{_NAME}))(?P=a1)){{0,12}})"
)
# "De vragen van het lid X (P) ...", "de schriftelijke vragen van de leden ..."
_QUESTIONS_OF = re.compile(rf"(?i:vragen)\s*van\s*{_MEMBERS}\s*{_NAMED}")
# "... zijn door de leden X en Y (beiden P) schriftelijke vragen gesteld aan ...",
# "... vragen gesteld door het lid X (P) over ..."
_BY_MEMBERS = re.compile(
    rf"door\s*{_MEMBERS}\s*{_NAMED}(?:\s*(?:schriftelijke\s*)?(?:kamer)?vragen\s*(?:gesteld|ingediend|ingezonden))?", re.I
)
# "Het lid X (P) heeft op 12 maart jl. schriftelijke vragen gesteld aan ..."
_MEMBERS_HAVE_ASKED = re.compile(
    rf"{_MEMBERS}\s*{_NAMED}\s*(?:heeft|hebben)\b[^\n]{{0,60}}?(?:kamer)?vragen\s*(?:gesteld|ingediend|ingezonden)", re.I
)
# Without parties: "De vragen van het lid Bikker over ..." (names up to "over"/"aan").
_QUESTIONS_OF_UNNAMED = re.compile(
    rf"(?i:vragen)\s*van\s*{_MEMBERS}\s*(?P<askers>[A-ZÀ-Ý][^()\n.]{{1,80}}?)(?=\s+(?:over|aan|inzake|betreffende)\s)"
)
# "... hebben de leden X en Y (beiden P) schriftelijke vragen gesteld ..."
_MEMBERS_ASKED = re.compile(
    rf"(?:heeft|hebben)\s*{_MEMBERS}\s*{_NAMED}\s*(?:schriftelijke\s*)?(?:kamer)?vragen\s*(?:gesteld|ingediend|ingezonden)", re.I
)
_AAN = re.compile(r"\s*,?\s*aan\s*")
_SUBJECT_LEAD = re.compile(r"\s*,?\s*(?:" + "|".join(kopwoorden()["onderwerp"]) + r")\s+")
# Where the subject ends: the zaak number or date in brackets, ", ingezonden
# op ...", the verb of the notice, or the end of the sentence.
_SUBJECT_END = re.compile(
    r"\s*\(\s*(?:ingezonden|kenmerk|vraagnummer|zaaknummer|(?:19|20)\d{2}\s?Z)"
    r"|\s*,\s*(?:ingezonden|(?:met\s+)?(?:kenmerk|vraagnummer|zaaknummer)|(?:19|20)\d{2}\s?Z)"
    r"|\s+(?:kunnen|kan)\s+(?:tot\s+mijn\s+spijt\s+|helaas\s+)?(?:niet|nog\s+niet)\b"
    r"|\s*\.(?=\s+[A-ZÀ-Ý]|\s*$)",
    re.I,
)
_ZAAK = re.compile(r"(?<![\w/=-])((?:19|20)\d{2})\s?Z\s?(\d{5})(?!\d)")
_FULL_DATE = re.compile(rf"(\d{{1,2}})\s*({_MONTHS})\s*(\d{{4}})", re.I)
# "op 12 maart jl.", "Op 12 maart 2024", "ingezonden op 22 december 2008", "d.d. 5 april"
_DAY_MONTH = re.compile(rf"(\d{{1,2}})\s*({_MONTHS})(?:\s*(\d{{4}}))?", re.I)
_ASKED_ON = re.compile(rf"(?:ingezonden|gesteld|ingediend)\s*(?:op|d\.d\.)?\s*(\d{{1,2}}\s*(?:{_MONTHS})(?:\s*\d{{4}})?)", re.I)
_OP_DATE = re.compile(rf"(?:^|[\s(])(?:[Oo]p|d\.d\.)\s+(\d{{1,2}}\s*(?:{_MONTHS})(?:\s*\d{{4}})?)(?:\s*jl\.?)?", re.I)
# The letter's own date: "Datum 13 januari 2009", "Den Haag, 13 januari 2009", a date alone on its line.
_LETTER_DATE = re.compile(
    rf"^\s*(?:Datum\s*:?\s*|(?:Den\s+Haag|[’']s-Gravenhage)\s*,?\s*)?(\d{{1,2}}\s*(?:{_MONTHS})\s*\d{{4}})\s*$", re.I | re.M
)


@dataclass(frozen=True)
class Notice:
    """The facts of a delay notice's sentence."""

    vragenstellers: tuple[Person, ...] = ()
    gericht_aan: tuple[Office, ...] = ()
    onderwerp: str | None = None
    ingezonden: dt.date | None = None
    zaaknummer: str | None = None
    sentence: str = ""


def delay_phrases() -> tuple[str, ...]:
    return kopwoorden()["uitstel"]


def says_delay(text: str) -> bool:
    """Whether the text says questions cannot be answered in time."""
    flat = re.sub(r"\s+", " ", text)
    return any(re.search(re.escape(p).replace(r"\ ", r"\s*"), flat, re.I) for p in delay_phrases())


def letter_date(text: str) -> dt.date | None:
    """The date a letter carries in its letterhead or dateline."""
    m = _LETTER_DATE.search(text)
    return _full_date(m.group(1)) if m else None


def parse_notice(text: str, own_date: dt.date | None) -> Notice | None:
    """The askers (with party), the offices addressed, the subject, the date
    the questions were asked and their zaak number, from the sentence of a
    delay notice that names them. ``own_date`` (the notice's date) resolves a
    date printed without its year ("Op 12 maart jl.")."""
    flat = re.sub(r"\s+", " ", text)
    # A notice names its questions once or twice; a few candidates suffice.
    candidates = [
        m
        for pat in (_MEMBERS_ASKED, _QUESTIONS_OF, _BY_MEMBERS, _MEMBERS_HAVE_ASKED)
        for m in itertools.islice(pat.finditer(flat), 10)
    ]
    candidates = candidates or list(itertools.islice(_QUESTIONS_OF_UNNAMED.finditer(flat), 10))
    if not candidates:
        return None
    # The sentence that says the delay, else the first that names askers.
    candidates.sort(key=lambda m: (not says_delay(_sentence_around(flat, m.start(), m.end())), m.start()))
    m = candidates[0]
    persons = parse_persons(m.group("askers"))
    if not persons:
        return None
    sentence = _sentence_around(flat, m.start(), m.end())
    pos = m.end()
    offices: tuple[Office, ...] = ()
    if (am := _AAN.match(flat, pos)) and (scanned := scan_offices(flat, am.end())):
        offices, pos = scanned
    subject = None
    if sm := _SUBJECT_LEAD.match(flat, pos):
        end = _subject_end(flat, sm.end())
        subject = flat[sm.end() : end].strip(" ,.;") or None
    sent_start = flat.find(sentence)
    before = flat[max(0, sent_start) : m.start()]
    after = flat[m.end() : max(m.end(), sent_start + len(sentence))]
    asked = _ASKED_ON.search(after) or _ASKED_ON.search(before) or _OP_DATE.search(before) or _OP_DATE.search(m.group(0))
    ingezonden = _resolve(asked.group(1), own_date) if asked else None
    zaken = {f"{a}Z{b}" for a, b in _ZAAK.findall(sentence)}
    if len(zaken) != 1:
        zaken = {f"{a}Z{b}" for a, b in _ZAAK.findall(flat)}
    return Notice(
        vragenstellers=persons,
        gericht_aan=offices,
        onderwerp=subject,
        ingezonden=ingezonden,
        zaaknummer=zaken.pop() if len(zaken) == 1 else None,
        sentence=sentence,
    )


# A subject or a sentence is at most a few hundred characters; looking no
# further keeps the search linear in the text however it is mangled.
_WINDOW = 1500


def _subject_end(text: str, start: int) -> int:
    """End of a subject from ``start``: a full stop inside «...» or quotes
    ends nothing."""
    window = text[start : start + _WINDOW]
    depth, last = 0, 0
    for m in _SUBJECT_END.finditer(window):
        segment = window[last : m.start()]
        depth = max(0, depth + segment.count("«") + segment.count("“") - segment.count("»") - segment.count("”"))
        last = m.start()
        if depth == 0:
            return start + m.start()
    return min(len(text), start + _WINDOW)


def _sentence_around(text: str, start: int, end: int) -> str:
    """The sentence holding text[start:end]: from after the last full stop
    before it (one that ends a sentence) to the first one after it that does."""
    lo = max(0, start - _WINDOW)
    left = max((lo + m.end() for m in re.finditer(r"\.\s+(?=[A-ZÀ-Ý])", text[lo:start])), default=lo)
    stop = _subject_end(text, end)
    m = re.compile(r"\.(?=\s+[A-ZÀ-Ý]|\s*$)").search(text, stop, stop + _WINDOW)
    right = m.end() if m else min(len(text), stop + _WINDOW)
    return text[left:right].strip()


def _full_date(text: str) -> dt.date | None:
    m = _FULL_DATE.search(text)
    if not m:
        return None
    try:
        return dt.date(int(m.group(3)), maanden()[m.group(2).lower()], int(m.group(1)))
    except ValueError:
        return None


def _resolve(text: str, own_date: dt.date | None) -> dt.date | None:
    """A printed day and month, with or without its year. Without one ("12
    maart jl.") it is the most recent such day not after ``own_date``."""
    m = _DAY_MONTH.search(text)
    if not m:
        return None
    day, month = int(m.group(1)), maanden()[m.group(2).lower()]
    try:
        if m.group(3):
            return dt.date(int(m.group(3)), month, day)
        if own_date is None:
            return None
        for year in (own_date.year, own_date.year - 1):
            try:
                candidate = dt.date(year, month, day)
            except ValueError:
                continue  # 29 February
            if candidate <= own_date:
                return candidate
    except ValueError:
        return None
    return None


# ------------------------------------------------------------- signatures

_HONORIFICS = r"(?:(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in kopwoorden()["aanhef"]) + r")\s*)*"
# "De Minister van Financiën," on its own line (the name follows), or with the
# name after the comma; the portfolio may run over two lines.
# It opens a line, or follows the letter's last sentence where that line break was lost.
_SIGNER_OFFICE = re.compile(rf"(?:^|(?<=[.!?:]))[^\S\n]*(?:[Dd]e|[Hh]et)\s*(?=(?:{_TITLES})\b)", re.M)
# The same without its start (the line start or a sentence end, then blanks):
# a pattern that opens with plain letters is searched for quickly, where the
# whole one is tried at every position of the letter; _signer_offices
# checks the start of each match the way _SIGNER_OFFICE would.
_SIGNER_WORD = re.compile(rf"(?:De|de|Het|het)\s*(?=(?:{_TITLES})\b)")


def _signer_offices(text: str) -> Iterator[tuple[int, int]]:
    """The (start, end) of each match of _SIGNER_OFFICE, in order."""
    last = 0
    for m in _SIGNER_WORD.finditer(text):
        start = m.start()
        while start > 0 and text[start - 1] != "\n" and text[start - 1].isspace():
            start -= 1  # [^\S\n]*: the blanks before the word
        if start < last:
            continue
        if start == 0 or text[start - 1] == "\n" or text[start - 1] in ".!?:":
            last = m.end()
            yield start, last
_NAME = re.compile(
    rf"\s*,?\s*{_HONORIFICS}(?P<name>(?:[A-ZÀ-Ý][^\W\d_]*\.?\s*|[A-ZÀ-Ý]\.){{0,4}}"
    rf"(?:(?:van|de|der|den|ter|ten|te|het|in\s+'t)\s+)*[A-ZÀ-Ý][^\W\d_'’]*(?:[-–][A-Za-zÀ-ÿ][^\W\d_]*)*(?:\s+[A-ZÀ-Ý][^\W\d_]*){{0,2}})"
    r"\s*(?:$|\n)"
)


_UNKNOWN_OFFICE = re.compile(rf"(?P<office>(?:{_TITLES})\s+(?:van|voor)\s+[^,\n]{{3,80}})(?=,[^\S\n]*\n)")


def parse_signatures(lines: list[str]) -> tuple[tuple[Bewindspersoon, ...], set[int]]:
    """Who signed the letter: each "De <office>," followed by a name, and the
    indices of the lines the signatures take (so that an answer's text can
    leave them out). Two signers give two."""
    text = "\n".join(lines)
    starts = [0]
    for ln in lines:
        starts.append(starts[-1] + len(ln) + 1)
    signers: list[Bewindspersoon] = []
    used: set[int] = set()
    for m_start, m_end in _signer_offices(text):
        scanned = scan_offices(text, m_end)
        if scanned is None or not scanned[0]:
            # a portfolio the lexicon does not know: the office runs to the comma ending its line
            um = _UNKNOWN_OFFICE.match(text, m_end)
            offices = parse_offices(um.group("office")) if um else ()
            if not offices:
                continue
            scanned = (offices, um.end("office"))  # type: ignore[union-attr]
        offices, pos = scanned
        rest = text[pos:]
        # the name stands after the comma on the same line or on the next non-blank line
        head = re.match(r"[^\S\n]*,?[^\S\n]*(?:\n[^\S\n]*)*", rest)
        if head is None or "," not in rest[: head.end() + 1] and "\n" not in head.group(0):
            continue
        nm = _NAME.match(rest, head.end())
        if nm is None:
            continue
        surname = _signer_surname(nm.group("name"))
        signers.append(Bewindspersoon(achternaam=surname, office=offices[0], printed=re.sub(r"\s+", " ", text[m_start : pos + nm.end()]).strip()))
        first = next(i for i in range(len(lines)) if starts[i + 1] > m_start)
        last = next(i for i in range(len(lines)) if starts[i + 1] > pos + nm.end() - 1)
        used.update(range(first, last + 1))
    return tuple(dict.fromkeys(signers)), used


def _signer_surname(name: str) -> str:
    """A signature prints a first name or initials before the surname: "E.
    Heinen", "Mona Keijzer", "Hanke Bruins Slot", "Christianne van der
    Wal-Zeggelink"."""
    name = re.sub(r"\s+", " ", name).strip()
    surname, voornaam = split_surname(name)
    if voornaam is None and " " in surname and not surname.split(" ")[0].lower() in ("van", "de", "der", "den", "ter", "ten", "te", "het"):
        surname = surname.split(" ", 1)[1]
    return surname
