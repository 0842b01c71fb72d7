"""Citations of official publications in running text and footnotes.

``find_citations`` turns every printed reference to an Aanhangsel answer, a
question publication (zaak number), a Kamerstuk, the Handelingen, the
Staatsblad or the Staatscourant into the publication's official identifier
(see shared/corpus/README.md, "Identifiers of official publications"):

    "Aanhangsel Handelingen, vergaderjaar 2018–2019, nrs. 1268 en 1974"
        -> ah-tk-20182019-1268, ah-tk-20182019-1974
    "Kamerstukken II 2023/24, 36 200 VI, nr. 12"  -> kst-36200-VI-12
    "Handelingen II 2018/19, nr. 12, item 5"      -> h-tk-20182019-12-5
    "Stb. 2024, 153"                              -> stb-2024-153
    "(vraagnummer 2024Z14250)"                    -> kv-tk-2024Z14250

How each series is printed (its names, abbreviations, chamber marks, number
words) is data, in the tables below; the grammar that strings them together
is built once from those tables at import.

``find_web_links`` finds the URLs (news articles, reports) that footnotes cite
as well, rejoining one that PDF extraction broke over a line only where the
break cannot be the URL's end.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Iterable, Iterator

# ============================================================== the data
# How the series are printed. Words are matched tolerantly (see ``_words``):
# an optional full stop at the end of an abbreviation, either case of a
# word's first letter (not of abbreviations), glued or broken spaces between
# words, and a hyphen left inside a word where PDF extraction split it
# ("Kamer-stuk", "Kamerstuk-ken", "vraag-nummer").

# Printed name -> scheme. Longer names first where one is a prefix of another
# ("Kamerstukken" before "Kamerstuk"). "Tweede Kamer, vergaderjaar 2022–2023,
# 26 485, nr. 424" and "TK 2023/24, 31 839, nr. 1024" are Kamerstukken without
# the word; Kamerstuk identifiers carry no chamber, so the chamber they name
# is not kept.
SERIES: tuple[tuple[str, str], ...] = (
    ("Aanhangsels van de Handelingen", "ah"),  # the plural, before several numbers
    ("Aanhangsels Handelingen", "ah"),
    ("Aanhangsel van de Handelingen", "ah"),
    ("Aanhangsel Handelingen", "ah"),
    ("Aanh. Hand.", "ah"),
    ("Aanh. Handelingen", "ah"),
    ("Kamerstukken", "kst"),
    ("Kamerstuk", "kst"),
    ("Kst.", "kst"),
    ("Tweede Kamer", "kst"),
    ("Eerste Kamer", "kst"),
    ("TK", "kst"),
    ("EK", "kst"),
    ("Handelingen", "h"),
    ("Hand.", "h"),
    ("Staatsblad", "stb"),
    ("Stb.", "stb"),
    ("Staatscourant", "stcrt"),
    ("Stcrt.", "stcrt"),
)

# Series names that name a chamber ("Tweede Kamer, vergaderjaar 2022–2023,
# Aanhangsel van de Handelingen, nr. 1190": the year comes first).
CHAMBER_NAMES: tuple[tuple[str, str], ...] = (("Tweede Kamer", "tk"), ("Eerste Kamer", "ek"), ("TK", "tk"), ("EK", "ek"))

# How an Aanhangsel is named after the year of a Kamerstukken or Handelingen
# citation, or of a chamber name: "Kamerstukken II, 2021–2022, AvdH 1450",
# "Handelingen II 2019/20, Aanhangsel 1734", "Tweede Kamer, vergaderjaar
# 2022–2023, Aanhangsel van de Handelingen, nr. 1190". Longer names first.
AH_MARKS: tuple[str, ...] = (
    "Aanhangsel van de Handelingen",
    "Aanhangsel Handelingen",
    "Aanh. Hand.",
    "Aanh. Handelingen",
    "Aanhangsel",
    "Aanh.",
    "AvdH",
)
# "Tweede Kamer, vergaderjaar 2023–2024, Aanhangsel 3" is the running page
# footer: after a chamber name, these marks take a number only with its word
# ("Aanhangsel, nr. 3").
AH_MARKS_FOOTER: tuple[str, ...] = ("Aanhangsel", "Aanh.")

# Chamber marks after a series name ("Kamerstukken II", "Handelingen I").
# "II" before "I" so that the longer mark wins.
# "ll" (two small L's) is how II is sometimes typed ("Kamerstukken ll 2023/24").
CHAMBER_MARKS: tuple[tuple[str, str], ...] = (("II", "tk"), ("ll", "tk"), ("I", "ek"))
KAMERS: tuple[str, ...] = ("tk", "ek")

# Words that may stand before the session year ("vergaderjaar 2023–2024").
YEAR_WORDS: tuple[str, ...] = ("vergaderjaar",)

# Number words. A plural word takes a list ("nrs. 1268, 1269 en 1974"); after
# a singular one only "en" adds a number ("nr. 684 en 685"), since a comma
# there starts something else ("nr. 406, 2 juni") unless another number word
# follows ("nr. 679, nr. 684 en 685").
NR_SINGULAR: tuple[str, ...] = ("nummer", "nr.")
NR_PLURAL: tuple[str, ...] = ("nummers", "nrs.")
ITEM_SINGULAR: tuple[str, ...] = ("item", "agendapunt")
ITEM_PLURAL: tuple[str, ...] = ("items", "agendapunten")
AND_JOINERS: tuple[str, ...] = ("en", "&")
LIST_JOINERS: tuple[str, ...] = (",", ";", *AND_JOINERS)
# "nr. 12 en 13 juni" ends in a date, not a second number.
MONTHS: tuple[str, ...] = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)

# "Bijlage bij Kamerstuk 29 383, nr. 384", "Bijlage 1 van kamerstuk ...": an
# annex is cited through its Kamerstuk, so the lead only widens the span.
ANNEX_WORDS: tuple[str, ...] = ("Bijlagen", "Bijlage")
ANNEX_LINKS: tuple[str, ...] = ("bij de", "bij het", "van de", "van het", "bij", "van")

# Words that may introduce a zaak number: "(vraagnummer 2024Z14250)".
ZAAK_LEADS: tuple[str, ...] = ("vraagnummer", "zaaknummer", "zaak")

# Kamerstuk dossier chapters: Roman numerals ("36 200 VI") or one capital
# letter ("36 200 A"); a numeric "-02" suffix is handled in the grammar.
CHAPTER = r"(?:[IVXL]{1,5}|[A-Z])"

# The abbreviations of the tables above ("Aanh. Hand.", "Kst.", "nr."): a
# full stop after one of them ends no sentence (kg.parse.header reads the
# "Zie ook" sentences with it).
ABBREVIATIONS: tuple[str, ...] = tuple(sorted({
    word[:-1]
    for phrase in [name for name, _ in SERIES] + list(AH_MARKS) + list(NR_SINGULAR + NR_PLURAL)
    for word in phrase.split()
    if word.endswith(".")
}))


# ============================================================== the grammar
def _WS_FOLD(text: str) -> str:
    """A printed name as a key: no soft breaks or glue, one case ("Tweede
    Kamer", "TweedeKamer", "Twee-de Kamer" are one name)."""
    return re.sub(r"[\s\-\u00ad]+", "", text).lower()


_SOFT_BREAK = r"(?:[-\u00ad]\s*)?"  # a hyphen left where a word was split
_NOT_LETTER_BEFORE = r"(?<![^\W\d_])"  # "2Kamerstuk": a glued footnote number is fine
_NOT_LETTER_AFTER = r"(?![^\W\d_])"
# A series name starts a word, or follows a lower-case word that a lost
# space glued to it ("Zie ookAanhangsel Handelingen"): a capital inside a
# lower-case word is where two words met.
_SERIES_START = r"(?:" + _NOT_LETTER_BEFORE + r"|(?<=[a-zà-ÿ])(?=[A-Z]))"
_HSPACE = r"[^\S\n]"  # whitespace within one line


def _word(word: str) -> str:
    """Regex for one printed word, tolerant as described at the top."""
    body = word.rstrip(".")
    dot = r"\.?" if word.endswith(".") else ""
    if body.isupper():
        return re.escape(body) + dot  # "TK", "II": exact case
    first, rest = body[0], body[1:]
    head = f"[{first.upper()}{first.lower()}]" if first.isalpha() else re.escape(first)
    if dot:
        return head + re.escape(rest) + dot  # abbreviations are short: no split inside
    return head + "".join(_SOFT_BREAK + re.escape(c) for c in rest)


def _words(phrase: str) -> str:
    """Regex for a phrase: its words (abbreviations keep their inner dots) with
    any or no whitespace between them (text glued by extraction)."""
    parts = [p for p in re.split(r"(?<=\.)(?=\S)|\s+", phrase) if p]
    return r"\s*".join(_word(p) for p in parts)


def _alt(phrases: tuple[str, ...] | list[str]) -> str:
    return "(?:" + "|".join(_words(p) for p in phrases) + ")" + _NOT_LETTER_AFTER


_CHAMBER_MARK = "(?:" + "|".join(mark for mark, _ in CHAMBER_MARKS) + ")" + _NOT_LETTER_AFTER
# A series name ends its word, or runs into its chamber mark ("KamerstukkenII").
_SERIES_END = r"(?:" + _NOT_LETTER_AFTER + r"|(?=" + _CHAMBER_MARK + r"))"


def _series(scheme: str, group: str = "series", names: tuple[str, ...] | None = None) -> str:
    names = names if names is not None else tuple(name for name, sch in SERIES if sch == scheme)
    return _SERIES_START + f"(?P<{group}>" + "|".join(_words(n) for n in names) + ")" + _SERIES_END


def _chamber(group: str = "chamber") -> str:
    return r"(?:\s*(?P<" + group + ">" + "|".join(mark for mark, _ in CHAMBER_MARKS) + r")" + _NOT_LETTER_AFTER + ")?"


_CHAMBER = _chamber()
# Session year "2018–2019", "2023/24", "2023/2024", "2024-2025", and the
# misprint "2022–203" (the first year is authoritative, see _vergaderjaar).
_YEAR = r"(?P<y1>(?:19|20)\d{2})" + _HSPACE + r"*[-–—‐‑/]" + _HSPACE + r"*(?P<y2>\d{2,4})(?!\d)"
_YEAR_LEAD = r"(?:" + _alt(YEAR_WORDS) + r"\s*)?"
_SEP = r"[\s,]*"
_NR_WORD = r"(?:" + _alt(NR_PLURAL) + r"|" + _alt(NR_SINGULAR) + r")"


def _joiner(words: tuple[str, ...]) -> str:
    punct = [re.escape(w) for w in words if not w.isalpha()]
    return r"\s*(?:" + "|".join(punct + [_alt(tuple(w for w in words if w.isalpha()))]) + r")\s*"


_JOIN = _joiner(LIST_JOINERS)
_AND = _joiner(AND_JOINERS)
# A list element is a number that does not start the next "dossier, nr."
# pair ("nrs. 811 en 29 984, nr. 1207": 29 begins a dossier), is not itself a
# 5-digit dossier ("en 33529, nr. 1219") and is no day of a date.
_ELEMENT = (
    r"\d+(?!\d)(?!" + _HSPACE + r"\d{3}(?!\d))(?!(?<=\d{5})\s*,?\s*" + _NR_WORD + r")"
    r"(?!\s*" + _alt(MONTHS) + r")"
)
_LIST = _ELEMENT + r"(?:" + _JOIN + _ELEMENT + r")*"
# Eerste Kamer documents are lettered ("36 200 VI, nr. A").
_LETTERED = r"(?:" + _ELEMENT + r"|[A-Z]{1,3}" + _NOT_LETTER_AFTER + r")"


def _nr_groups(letters: bool = False) -> str:
    """"nrs. 1268 en 1974", "nr. 679, nr. 684 en 685", "nr. A"."""
    one = _LETTERED if letters else _ELEMENT
    # After a singular word a comma list counts when "en" closes it ("nr.
    # 812, 830 en 1190"); "nr. 406, 2 juni" stays one number.
    group = (
        r"(?:" + _alt(NR_PLURAL) + r"\s*" + _LIST
        + r"|" + _alt(NR_SINGULAR) + r"\s*" + one
        + r"(?:(?:\s*,\s*" + one + r")+" + _AND + one + r"|(?:" + _AND + one + r")*))"
    )
    return group + r"(?:\s*,\s*" + group + r")*"


# After a year: one or more numbers with their words, or a single bare
# number after a comma on the same line ("Aanhangsel Handelingen,
# vergaderjaar 2023–2024, 1028"); a number on the next line may be a page's.
_NUMBERS = (
    r"(?:" + _SEP + r"(?P<nrs>" + _nr_groups() + r")"
    r"|" + _HSPACE + r"*," + _HSPACE + r"*(?P<nrs_bare>\d+)(?!\d))"
)
_NR_WORD_RE = re.compile(_NR_WORD)


def _numbers_of(group: str, letters: bool = False) -> list[str]:
    """The numbers (and, for Kamerstukken, document letters) of a matched list."""
    tokens = re.findall(r"\d+|[A-Z]{1,3}" if letters else r"\d+", _NR_WORD_RE.sub(" ", group))
    return [str(int(t)) if t.isdigit() else t for t in tokens]


# --- Aanhangsel Handelingen: series, chamber, year, number(s).
_AH = re.compile(_series("ah") + _CHAMBER + _SEP + _YEAR_LEAD + _YEAR + _NUMBERS)

# --- The Aanhangsel named after the year: a Kamerstukken or Handelingen
# series or a chamber name, its year, then the Aanhangsel and its number(s):
# "Kamerstukken II, 2021–2022, AvdH 1450". A bare number may follow the
# mark directly ("AvdH 1450") or after a comma on the same line.
_AH_LEADS = tuple(name for name, sch in SERIES if sch in ("kst", "h"))
_AH_AFTER_YEAR = re.compile(
    _series("", group="lead", names=_AH_LEADS) + _CHAMBER + _SEP + _YEAR_LEAD + _YEAR + _SEP
    + r"(?P<mark>" + "|".join(_words(m) for m in AH_MARKS) + r")" + _SERIES_END + _chamber("chamber2")
    + r"(?:" + _SEP + r"(?P<nrs>" + _nr_groups() + r")"
    + r"|" + _HSPACE + r"*,?" + _HSPACE + r"*(?P<nrs_bare>\d+)(?!\d)(?!" + _HSPACE + r"\d{3}(?!\d)))"
)
_CHAMBER_NAME = {_WS_FOLD(name): kamer for name, kamer in CHAMBER_NAMES}
_FOOTER_MARKS = frozenset(_WS_FOLD(m) for m in AH_MARKS_FOOTER)

# --- Handelingen: series, chamber, year, vergadering, item(s).
_ITEMS = (
    r"(?P<items>" + _alt(ITEM_PLURAL) + r"\s*" + _LIST
    + r"|" + _alt(ITEM_SINGULAR) + r"\s*\d+(?!\d))"
)
_H = re.compile(
    _series("h") + _CHAMBER + _SEP + _YEAR_LEAD + _YEAR + _SEP
    + r"(?:" + _alt(NR_SINGULAR) + r"\s*)?(?P<vergadering>\d+)(?!\d)" + _SEP + _ITEMS
)

# --- Staatsblad / Staatscourant: series, calendar year, number(s).
_GAZETTE_YEAR = r"(?P<year>(?:19|20)\d{2})(?!\d)"
_GAZETTE = {
    scheme: re.compile(
        _series(scheme) + r"\s*" + _GAZETTE_YEAR
        + _NUMBERS
    )
    for scheme in ("stb", "stcrt")
}

# --- Kamerstukken: "dossier[ chapter], nr. N" pairs, possibly a list of them.
_DOSSIER = r"\d{2}" + _HSPACE + r"?\d{3}(?!\d)"
# A Roman chapter may stand on the next line ("36 200\nVI") or be glued to
# the dossier where that line break lost its space ("36 200VI"); a letter
# chapter only after a space on the same line.
_SUFFIX = (
    r"(?:(?:" + _HSPACE + r"|-)" + CHAPTER + r"(?![^\W_])|(?<=\d)(?:" + _HSPACE + r"*\n\s*)?[IVXL]{1,5}(?![^\W_])"
    r"|-\d{1,4}(?!\d))"
)
# An Eerste Kamer document named by its letter alone after a comma
# ("Kamerstuk 36 200, C"): the letter stands by itself, closing the citation.
_LETTER_DOC = r"[A-Z]{1,2}(?![^\W\d_])(?![-'’])(?=" + _HSPACE + r"*(?:[)\].,;:]|\n|$))"


def _pair(named: bool) -> str:
    """One "dossier[ chapter], nr. N" (or "dossier-N"); groups named for parsing."""
    g = (lambda n, rx: f"(?P<{n}>{rx})") if named else (lambda n, rx: f"(?:{rx})")
    return (
        g("dossier", _DOSSIER)
        + g("suffixes", _SUFFIX + "*")
        + r"(?:\s*,?\s*" + g("nrs", _nr_groups(letters=True)) + r"|" + _HSPACE + r"*,\s*" + g("letter", _LETTER_DOC) + r")?"
    )


_PAIR = re.compile(_pair(named=True))
_PAIRS = _pair(named=False) + r"(?:" + _JOIN + _pair(named=False) + r")*"
_ANNEX = (
    r"(?:" + _NOT_LETTER_BEFORE + _alt(ANNEX_WORDS) + r"(?:\s*\d+)?\s*" + _alt(ANNEX_LINKS) + r"\s*)?"
)
_KST = re.compile(
    _ANNEX + _series("kst") + _CHAMBER + _SEP + r"(?:" + _YEAR_LEAD + _YEAR + _SEP + r")?" + r"(?P<pairs>" + _PAIRS + r")"
)
# Without a series name only "dossier[ chapter], nr. N" counts: the number
# word is required, and the dossier may not continue a number ("1 12 345",
# "€ 12 345"). An unspaced 5-digit dossier only right after "(", where
# "(33529, nr. 1219)" cannot be anything else.
# A document under several dossiers lists them first ("31 293, 31 289, nr.
# 640"); an Eerste Kamer document may be lettered ("21 501-20, nr. B").
_BARE_KST = re.compile(
    r"(?<![\d€$])(?<!\d[\s.,])(?<!€\s)"
    + r"(?=(?:\d{2}" + _HSPACE + r"\d{3}(?!\d)" + _SUFFIX + r"*\s*,\s*){0,4}"
    + r"(?:\d{2}" + _HSPACE + r"\d{3}|(?<=\()\d{5})(?!\d)" + _SUFFIX + r"*\s*,?\s*"
    + _alt(NR_PLURAL + NR_SINGULAR) + r"\s*(?:\d|[A-Z]{1,3}" + _NOT_LETTER_AFTER + r"))"
    + r"(?P<pairs>" + _PAIRS + r")"
)
_JOIN_RE = re.compile(_JOIN)

# --- zaak numbers "2024Z14250", "2024Z 17972", "(vraagnummer 2024Z14250)".
# Not inside a longer token: "kv-tk-2024Z18436" (a page footer), "id=2024Z...".
_KV = re.compile(
    r"(?:" + _NOT_LETTER_BEFORE + _alt(ZAAK_LEADS) + r"[\s:]*)?"
    + r"(?<![\w/=-])(?P<zaak>(?:19|20)\d{2}Z)" + _HSPACE + r"?(?P<zaaknr>\d{5})(?!\d)"
)

_CHAMBER_KAMER = dict(CHAMBER_MARKS)
_AH_BEFORE = re.compile(_alt(("Aanhangsel van de", "Aanhangsel", "Aanh.")) + r"\s*$")


# ============================================================== the API
@dataclass(frozen=True)
class CitationMatch:
    """One cited publication. A list citation gives one match per identifier,
    all with the same span and ``citaat``."""

    identifier: str  # "kst-36410-XIV-9", "ah-tk-20182019-1268"
    citaat: str  # the citation as printed, whitespace folded
    start: int  # span in the input text
    end: int
    scheme: str  # "ah", "kv", "kst", "h", "stcrt", "stb"
    corrected_from: str | None = None  # the identifier as literally printed, when a misprint was corrected


def find_citations(text: str, *, default_kamer: str = "tk") -> list[CitationMatch]:
    """Every citation of an official publication in ``text``, in text order.

    ``default_kamer`` ("tk" or "ek") is the chamber of a citation that names
    none ("Aanhangsel Handelingen, vergaderjaar ..." in a Tweede Kamer
    publication). The same identifier cited twice gives two matches.
    """
    if default_kamer not in KAMERS:
        raise ValueError(f"default_kamer must be one of {KAMERS}, not {default_kamer!r}")
    if not _DIGIT.search(text):
        return []  # every citation holds a number (most running text holds none)
    links = find_web_links(text)  # in text order, not overlapping
    link_starts = [s for _, s, _ in links]
    candidates: list[_Found] = []
    folded = None
    for finder, needs, words in _FINDERS:
        # The grammar's patterns try every position of the text; what every
        # match of a series must contain (its year, its dossier number, its
        # name) skips the series in most texts, at no change.
        if not needs.search(text):
            continue
        if words:
            if folded is None:
                folded = _FOLD.sub("", text).lower()
            if not any(w in folded for w in words):
                continue
        for found in finder(text, default_kamer):
            # A zaak or dossier number inside a URL is part of the link.
            i = bisect.bisect_right(link_starts, found.start) - 1
            if found.ids and not (i >= 0 and found.start < links[i][2]):
                candidates.append(found)
    # Longest citation first where they overlap: "Kamerstuk 29 383, nr. 406"
    # also holds the bare "29 383, nr. 406".
    candidates.sort(key=lambda f: (f.start, -f.end))
    out: list[CitationMatch] = []
    taken_until = -1
    for f in candidates:
        if f.start >= taken_until:
            citaat = " ".join(text[f.start : f.end].split())
            out.extend(CitationMatch(ident, citaat, f.start, f.end, f.scheme, literal) for ident, literal in f.ids)
            taken_until = f.end
    return out


# ------------------------------------------------------------ per scheme
@dataclass(frozen=True)
class _Found:
    """One printed citation: its span and the (identifier, literal reading)
    of each publication it names."""

    start: int
    end: int
    scheme: str
    ids: list[tuple[str, str | None]]


def _kamer(m: re.Match[str], default_kamer: str) -> str:
    if m.group("chamber"):
        return _CHAMBER_KAMER[m.group("chamber")]
    return default_kamer


def _vergaderjaar(m: re.Match[str]) -> tuple[str, str | None]:
    """("20222023", None), or the corrected year and the literal reading.

    The first year is authoritative: a vergaderjaar runs from one year into
    the next, so "2022–203" can only be 2022–2023.
    """
    y1, y2 = m.group("y1"), m.group("y2")
    second = str(int(y1) + 1)
    if second.endswith(y2) and len(y2) in (2, 4):  # "2023/24", "2023–2024"
        return y1 + second, None
    return y1 + second, y1 + y2


def _find_ah(text: str, default_kamer: str) -> Iterator[_Found]:
    for m in _AH.finditer(text):
        jaar, literal = _vergaderjaar(m)
        kamer = _kamer(m, default_kamer)
        ids = [
            (f"ah-{kamer}-{jaar}-{nr}", f"ah-{kamer}-{literal}-{nr}" if literal else None)
            for nr in _numbers_of(m.group("nrs") or m.group("nrs_bare"))
        ]
        yield _Found(m.start(), m.end(), "ah", ids)


def _find_ah_after_year(text: str, default_kamer: str) -> Iterator[_Found]:
    for m in _AH_AFTER_YEAR.finditer(text):
        lead_kamer = _CHAMBER_NAME.get(_WS_FOLD(m.group("lead")))
        if lead_kamer and m.group("nrs_bare") and _WS_FOLD(m.group("mark")) in _FOOTER_MARKS:
            continue  # the running footer "Tweede Kamer, vergaderjaar ..., Aanhangsel 3"
        jaar, literal = _vergaderjaar(m)
        mark = m.group("chamber2") or m.group("chamber")
        kamer = _CHAMBER_KAMER[mark] if mark else lead_kamer or default_kamer
        ids = [
            (f"ah-{kamer}-{jaar}-{nr}", f"ah-{kamer}-{literal}-{nr}" if literal else None)
            for nr in _numbers_of(m.group("nrs") or m.group("nrs_bare"))
        ]
        yield _Found(m.start(), m.end(), "ah", ids)


def _find_h(text: str, default_kamer: str) -> Iterator[_Found]:
    for m in _H.finditer(text):
        if _AH_BEFORE.search(text, max(0, m.start() - 40), m.start()):
            continue  # the Aanhangsel, not the Handelingen proper
        jaar, literal = _vergaderjaar(m)
        kamer = _kamer(m, default_kamer)
        vergadering = int(m.group("vergadering"))
        ids = [
            (f"h-{kamer}-{jaar}-{vergadering}-{item}", f"h-{kamer}-{literal}-{vergadering}-{item}" if literal else None)
            for item in _numbers_of(m.group("items"))
        ]
        yield _Found(m.start(), m.end(), "h", ids)


def _find_gazettes(text: str, default_kamer: str) -> Iterator[_Found]:
    for scheme, rx in _GAZETTE.items():
        for m in rx.finditer(text):
            year = m.group("year")
            nrs = _numbers_of(m.group("nrs") or m.group("nrs_bare"))
            yield _Found(m.start(), m.end(), scheme, [(f"{scheme}-{year}-{nr}", None) for nr in nrs])


def _kst_pairs(text: str, start: int, end: int) -> list[tuple[str, str | None]]:
    """The Kamerstukken of a "dossier, nr. N (en dossier, nr. M)" list."""
    ids: list[tuple[str, str | None]] = []
    # Dossiers named without a document, waiting for the number that follows
    # them: "Kamerstuk 31 293, 31 289, nr. 640" is document 640 under both
    # dossiers (the link stage checks each against the registry).
    waiting: list[str] = []
    pos = start
    while pos < end:
        p = _PAIR.match(text, pos, end)
        if p is None:
            break
        dossier = re.sub(r"\D", "", p.group("dossier"))
        suffixes = re.findall(r"[A-Z]+|\d+", p.group("suffixes"))
        if p.group("nrs") is not None:
            nrs = _numbers_of(p.group("nrs"), letters=True)
        elif p.group("letter") is not None:
            nrs = [p.group("letter")]  # "Kamerstuk 36 200, C"
        elif suffixes and suffixes[-1].isdigit() and not suffixes[-1].startswith("0"):
            # "Kamerstuk 36 471-64": dossier-number in one. A suffix with a
            # leading zero ("21 501-02") names a sub-dossier, not a document.
            nrs = [str(int(suffixes.pop()))]
        else:
            nrs = []  # a dossier without a document
        full = "-".join([dossier, *suffixes])
        if not nrs:
            waiting.append(full)
        else:
            for earlier in waiting:
                ids.extend((f"kst-{earlier}-{nr}", None) for nr in nrs)
            waiting = []
        ids.extend((f"kst-{full}-{nr}", None) for nr in nrs)
        j = _JOIN_RE.match(text, p.end(), end)
        if j is None:
            break
        pos = j.end()
    return ids


def _find_kst(text: str, default_kamer: str) -> Iterator[_Found]:
    for m in _KST.finditer(text):
        yield _Found(m.start(), m.end(), "kst", _kst_pairs(text, m.start("pairs"), m.end("pairs")))


def _find_bare_kst(text: str, default_kamer: str) -> Iterator[_Found]:
    for m in _BARE_KST.finditer(text):
        yield _Found(m.start(), m.end(), "kst", _kst_pairs(text, m.start(), m.end()))


def _find_kv(text: str, default_kamer: str) -> Iterator[_Found]:
    for m in _KV.finditer(text):
        yield _Found(m.start(), m.end(), "kv", [(f"kv-{default_kamer}-{m.group('zaak')}{m.group('zaaknr')}", None)])


# What every match of each series contains, found at the speed of a plain
# search (the patterns start with a digit): a session year for the Aanhangsel
# and the Handelingen (_YEAR), a calendar year for the gazettes
# (_GAZETTE_YEAR), a dossier number for the Kamerstukken (_DOSSIER), a zaak
# number's head (_KV).
_DIGIT = re.compile(r"\d")
_HAS_YEAR = re.compile(r"(?:19|20)\d{2}" + _HSPACE + r"*[-–—‐‑/]" + _HSPACE + r"*\d{2}")
_HAS_DOSSIER = re.compile(_DOSSIER)
# And the words a match must hold, as they read in the text folded like
# ``_FOLD`` does: _words lets white space, a hyphen or a soft hyphen stand
# between any two letters of a name and either case open it ("Aanh.",
# "Aan-hangsel", "AvdH"; "nr." or "nummer" in a bare Kamerstuk citation).
_FOLD = re.compile(r"[\s\-\u00ad]+")


def _first_words(phrases: Iterable[str]) -> tuple[str, ...]:
    """The first word of each phrase as it reads in folded text: lower
    case, without its optional full stop."""
    return tuple(sorted({_FOLD.sub("", p.split()[0]).rstrip(".").lower() for p in phrases}))


_FINDERS = (
    (_find_ah, _HAS_YEAR, _first_words(n for n, sch in SERIES if sch == "ah")),
    (_find_ah_after_year, _HAS_YEAR, _first_words(AH_MARKS)),
    (_find_h, _HAS_YEAR, _first_words(n for n, sch in SERIES if sch == "h")),
    (_find_gazettes, re.compile(_GAZETTE_YEAR), _first_words(n for n, sch in SERIES if sch in _GAZETTE)),
    (_find_kst, _HAS_DOSSIER, ()),  # its names ("TK", "EK") are too common to tell
    (_find_bare_kst, _HAS_DOSSIER, _first_words(NR_PLURAL + NR_SINGULAR)),
    (_find_kv, re.compile(r"(?:19|20)\d{2}Z"), ()),
)


# ============================================================== web links
# Characters of a URL as printed; quotes, guillemets, brackets of the
# surrounding prose and footnote markers "[^3]" end it.
_URL_CHARS = r"[^\s<>\"«»{}|\\^`\[\]]"
_URL = re.compile(r"(?:https?://|(?<![\w/.@-])www\.)" + _URL_CHARS + r"*", re.IGNORECASE)
def _may_hold_url(text: str) -> bool:
    """What every match of _URL holds (most text holds no link): "://" or
    "www." in any case (IGNORECASE lets only "W" stand for "w")."""
    return "://" in text or "www." in text.lower()


# Trailing punctuation belongs to the sentence, not the link.
_TRAILING = ".,;:!?'’”»"
# Where a line break falls after one of these, the URL cannot have ended
# there, so the next line continues it (if that line is a URL fragment).
_CANNOT_END = "-_=?&%+~#"
# The continuation: at most one blank line between, then a token of URL
# characters that runs to the end of its line (closing punctuation aside).
_CONTINUATION = re.compile(
    r"[^\S\n]*\n(?:[^\S\n]*\n)?[^\S\n]*(?P<frag>" + _URL_CHARS + r"+?)(?=(?P<close>[).,;:»'’”]*)[^\S\n]*(?:\n|$))"
)
# A page footer naming the publication ("ah-tk-20232024-1786") on the next
# line is no part of a URL, whatever the break looks like.
_IDENT_LINE = re.compile(r"(?:ah|kv)-(?:tk|ek)-[0-9A-Za-z-]+")


def find_web_links(text: str) -> list[tuple[str, int, int]]:
    """URLs (http, https, www.) with their spans, in text order.

    A URL that PDF extraction broke over a line is rejoined (the returned
    string without the break, the span over both parts) only when the break
    cannot be its end: right after the scheme ("https://"), after a character
    no URL ends with ("-", "=", "%", ...), before a line that starts with a
    %-escape, or after "/" before a line that is itself a path or query
    ("detail?id=...") or that closes the bracket the URL was opened in. The
    next line must be a URL fragment alone (closing punctuation aside), and
    at most one blank line may stand between. Otherwise the URL is cut at
    the break.
    """
    if not _may_hold_url(text):
        return []
    links: list[tuple[str, int, int]] = []
    pos = 0
    while True:
        m = _URL.search(text, pos)
        if m is None:
            break
        url, start, end = m.group(), m.start(), m.end()
        while True:
            c = _CONTINUATION.match(text, end)
            in_brackets = text[start - 1 : start] == "(" and ")" not in url
            closes = c is not None and c.group("close").startswith(")")
            if c is None or not _continues(url, c.group("frag"), in_brackets and closes):
                break
            url += c.group("frag")
            end = c.end("frag")
        url, end = _strip_trailing(url, end)
        if re.match(r"(?i)(?:https?://|www\.)\S", url) and "." in url:
            links.append((url, start, end))
        pos = max(end, m.end())
    return links


def _continues(url: str, frag: str, closes_bracket: bool) -> bool:
    if _IDENT_LINE.fullmatch(frag):
        return False
    if closes_bracket and url.endswith("/"):
        # "(https://site.nl/regio/" + "artikel-titel)": the bracket opened
        # before the URL is closed only by the next line.
        return True
    if re.fullmatch(r"(?i)https?://", url):
        return True
    if re.match(r"%[0-9A-Fa-f]{2}", frag):
        return True
    if url[-1] in _CANNOT_END:
        return True
    return url.endswith("/") and any(ch in frag for ch in "/?=&%")


def _strip_trailing(url: str, end: int) -> tuple[str, int]:
    while url:
        last = url[-1]
        if last in _TRAILING or (last == ")" and url.count("(") < url.count(")")):
            url, end = url[:-1], end - 1
        else:
            break
    return url, end
