"""The header of a publication: masthead, the "Vragen van ..." paragraph and
the "Antwoord van ..." (or "Mededeling van ...") paragraph."""
from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass, field

from kg.model import Bewindspersoon, Kamer, Office, Person
from kg.parse.citations import ABBREVIATIONS
from kg.parse.lexicon import fold, known_portefeuille, kopwoorden, maanden, portefeuille_pattern, titel_pattern, titels

_MONTHS = "|".join(sorted(maanden(), key=len, reverse=True))
_DATE = re.compile(rf"(\d{{1,2}})\s*({_MONTHS})\s*(\d{{4}})", re.I)
_TITLES = titel_pattern()

# Lower-case function words glued to the next word by lost spaces:
# "deStaatssecretaris", "enVolksgezondheid", "vanFinanciën", "vanDijk".
_GLUED_FUNCTION_WORD = re.compile(r"\b(de|en|van|voor|der|den|het)(?=[A-Z][a-zà-ÿ])")
_INITIALS = re.compile(r"^(?:[A-Z][a-z]?\.)+$")
_GLUED_CAMEL = re.compile(r"(?<=[a-zà-ÿ])(?=[A-Z][a-zà-ÿ])")
# Surname prefixes (tussenvoegsels) in the order they combine.
_PREFIX_WORDS = {"van", "de", "der", "den", "het", "ter", "ten", "te", "in", "'t", "’t", "op", "la", "le", "du", "da", "dos", "di", "von", "zu", "vande", "vanden", "vander"}


# Web pages and Word files may print a date in figures: "20-11-2024".
_NUMERIC_DATE = re.compile(r"(?<!\d)(\d{1,2})[-/.](\d{1,2})[-/.]((?:19|20)\d{2})(?!\d)")


def parse_date(text: str) -> dt.date | None:
    m = _DATE.search(text)
    try:
        if m:
            return dt.date(int(m.group(3)), maanden()[m.group(2).lower()], int(m.group(1)))
        n = _NUMERIC_DATE.search(text)
        return dt.date(int(n.group(3)), int(n.group(2)), int(n.group(1))) if n else None
    except ValueError:
        return None


def vergaderjaar_of(date: dt.date) -> str:
    """The parliamentary year a date falls in. It opens on Prinsjesdag, the
    third Tuesday of September; questions of early September still belong to
    the year before."""
    first = dt.date(date.year, 9, 1)
    prinsjesdag = first + dt.timedelta(days=(1 - first.weekday()) % 7 + 14)
    start = date.year if date >= prinsjesdag else date.year - 1
    return f"{start}-{start + 1}"


# ------------------------------------------------------------------ people


# "Slagt - Tichelman", "Slagt – Tichelman": a double name printed with spaces
# or a dash around its hyphen is one surname, "Slagt-Tichelman".
_SPACED_HYPHEN = re.compile(r"(?<=[^\W\d_])\s*[-–—]\s*(?=[^\W\d_])")
# A capitalised prefix run into the name: "VanNispen", "DeJong".
_GLUED_PREFIX = re.compile(r"\b(Van|De|Den|Der|Ter|Ten|Te|Het|In\s+'t|Op\s+de)(?=[A-Z][a-zà-ÿ])")


def _double_name(name: str) -> str:
    return _SPACED_HYPHEN.sub("-", name)


def split_surname(name: str) -> tuple[str, str | None]:
    """(surname with prefix, first name or None) from a printed name.

    "Van Nispen" -> ("Van Nispen", None); "Inge vanDijk" -> ("Van Dijk",
    "Inge"); "DaniëlleJansen" -> ("Jansen", "Daniëlle"); "Faber-van de
    Klashorst" and "Slagt - Tichelman" ("Slagt-Tichelman") stay whole. A
    first name is only split off where the print shows it: a glued capital,
    or a lower-case prefix after another word."""
    name = _double_name(re.sub(r"\s+", " ", name).strip(" ,.;"))
    name = _GLUED_PREFIX.sub(r"\1 ", name)
    voornaam = None
    glued = _GLUED_CAMEL.split(name)
    if len(glued) == 2 and " " not in glued[0] and glued[0][:1].isupper() and glued[0].lower() not in _PREFIX_WORDS:
        voornaam, name = glued[0], glued[1]
    name = _GLUED_FUNCTION_WORD.sub(r"\1 ", name)
    tokens = name.split(" ")
    # Initials before the name ("J.P. Mulder", "A. Mulder") are a first name.
    initials = [t for t in tokens[:-1] if _INITIALS.match(t)]
    if initials and tokens[: len(initials)] == initials:
        voornaam = voornaam or " ".join(initials)
        tokens = tokens[len(initials) :]
    for i, tok in enumerate(tokens):
        # "Inge van Dijk": a lower-case prefix after a word that is no prefix
        # itself starts the surname; "Van den Hil" is all surname.
        # "Faber-van de Klashorst": a double name runs on through its hyphen.
        before = tokens[i - 1].lower() if i > 0 else ""
        if i > 0 and tok in _PREFIX_WORDS and i + 1 < len(tokens) and before not in _PREFIX_WORDS and before.rsplit("-", 1)[-1] not in _PREFIX_WORDS:
            voornaam = " ".join(tokens[:i]) if voornaam is None else voornaam
            tokens = tokens[i:]
            break
    surname = " ".join(tokens)
    surname = surname[:1].upper() + surname[1:]
    return surname, voornaam


_PARTY_GROUP = re.compile(r"\(([^()]*)\)")
_ALL_OF = re.compile(r"^(?:beiden|allen|allebei)(?=\s|[A-Z0-9])\s*|^alle\s+\w+\s+", re.I)
# "(SP)en Lahlah", "Kostić enTeunissen": a joining word glued to a name.
_GLUED_JOIN = re.compile(r"(?<=\))(?=\S)|(?<=[^\W\d_])(?=\()|(?<![^\W\d_])(en)(?=[A-ZÀ-Ý])")


def parse_persons(text: str) -> tuple[Person, ...]:
    """Members with their party: "Van Nispen (SP) en Lahlah (GroenLinks-PvdA)",
    "Kröger en Gabriëls (beiden GroenLinks-PvdA)", "Omtzigt (CDA), Gesthuizen
    (SP) en Schouw (D66)"."""
    text = _GLUED_JOIN.sub(lambda m: (m.group(1) + " ") if m.group(1) else " ", text)
    persons: list[Person] = []
    pos = 0
    groups = list(_PARTY_GROUP.finditer(text))
    chunks: list[tuple[str, str | None]] = []
    for m in groups:
        chunks.append((text[pos : m.start()], m.group(1).strip()))
        pos = m.end()
    if text[pos:].strip(" ,.;"):
        chunks.append((text[pos:], None))
    for names_text, party in chunks:
        names_text = re.sub(r"^\s*(?:,|en\b)\s*", "", names_text.strip())
        names = [n for n in re.split(r"\s*,\s*|\s+en\s+", names_text) if n.strip()]
        if not names:
            continue
        fractie = re.sub(r"\s+", " ", _ALL_OF.sub("", party)).strip() if party else None
        shared = bool(party and _ALL_OF.match(party))
        for i, printed in enumerate(names):
            achternaam, voornaam = split_surname(printed)
            # Without "beiden", a party in brackets belongs to the last name only.
            own = fractie if (shared or i == len(names) - 1) else None
            persons.append(Person(achternaam=achternaam, fractie=own or None, voornaam=voornaam, printed=printed.strip()))
    return tuple(persons)


# ----------------------------------------------------------------- offices

_OFFICE_START = re.compile(rf"(?:^|,\s*|\s+en\s+)(?:de\s+|het\s+)?(?=(?:{_TITLES})\b)")
_PORTFOLIO_SPLIT = re.compile(r"(?:,\s*|\s+en\s+)(?=(?:van|voor)\s)")


# A title run into its "van"/"voor": "Staatssecretarisvan Volksgezondheid".
_GLUED_TITLE = re.compile(rf"\b({_TITLES})(?=(?:van|voor)(?:\s|[A-ZÀ-Ý]))")


def normalise_glue(text: str) -> str:
    text = _GLUED_TITLE.sub(r"\1 ", text)
    text = _GLUED_FUNCTION_WORD.sub(r"\1 ", text)
    return re.sub(r"\s+", " ", text).strip()


def _split_known(portfolio: str) -> list[str]:
    """Split "Onderwijs, Cultuur en Wetenschap en Volksgezondheid, Welzijn en
    Sport" (a second "van" lost) into known portfolios where that is the only
    reading; leave it whole otherwise."""
    if known_portefeuille(portfolio):
        return [portfolio]
    parts = portfolio.split(" en ")
    left = parts[0]
    for i in range(1, len(parts)):
        if len(left) > 200:
            break  # longer than any portfolio: no split further on can start with one
        if known_portefeuille(left):
            right = " en ".join(parts[i:])
            if known_portefeuille(right) or _split_known(right) != [right]:
                return [left] + _split_known(right)
        left += " en " + parts[i]
    return [portfolio]


def canonical_portfolio(printed: str) -> str:
    """The portfolio as the lexicon spells it, when known; else as printed.
    Text after a dash is a state secretary's task ("Financiën – Fiscaliteit en
    Belastingdienst"), not part of the ministry."""
    # an en or em dash with or without its spaces ("Sport– Jeugd"); a hyphen only spaced
    printed = re.split(r"\s*[–—]\s*|\s+-\s+", printed.strip(" ,.;"))[0]
    known = known_portefeuille(printed)
    return known.naam if known else printed


def parse_offices(text: str) -> tuple[Office, ...]:
    """"de Ministers van Asiel en Migratie en van Volksgezondheid, Welzijn en
    Sport" -> two offices; "de Staatssecretaris van X en de Minister van Y" ->
    two; "de Minister Justitie en Veiligheid" ("van" lost) -> one."""
    text = normalise_glue(text)
    text = re.sub(r",?\s*bij afwezigheid van .*$", "", text)  # the stand-in clause names no addressee
    scanned = scan_offices(text)
    if scanned is not None and not text[scanned[1] :].strip(" ,.;"):
        return scanned[0]  # all in the lexicon
    starts = [m.end() for m in _OFFICE_START.finditer(text)]
    offices: list[Office] = []
    for i, start in enumerate(starts):
        end = len(text) if i + 1 == len(starts) else _OFFICE_START.search(text, starts[i] ).start()
        phrase = text[start:end].strip(" ,.;")
        m = re.match(rf"({_TITLES})\b\s*(.*)$", phrase)
        if not m:
            continue
        titel = titels()[m.group(1)]
        rest = m.group(2).strip()
        if titel == "Minister-president":
            offices.append(Office("Minister-president", "", "", printed=phrase, ministerie="Algemene Zaken"))
            continue
        if not re.match(r"(?:van|voor)\s", rest):
            rest = "van " + rest  # "de Minister Justitie en Veiligheid"
        for piece in _PORTFOLIO_SPLIT.split(rest):
            mm = re.match(r"(van|voor)\s+(.*)$", piece.strip())
            if not mm:
                continue
            for portfolio in _split_known(mm.group(2).strip(" ,.;")):
                offices.append(make_office(titel, mm.group(1), canonical_portfolio(portfolio), phrase))
    # "de Minister-President, Minister van Algemene Zaken" names one office twice.
    if any(o.titel == "Minister-president" for o in offices):
        offices = [o for o in offices if not (o.titel == "Minister" and o.portefeuille == "Algemene Zaken")]
    return tuple(dict.fromkeys(offices))


def office_for(titel: str, portfolio_printed: str, addressed: tuple[Office, ...]) -> Office:
    """The office of an answering minister printed as "Minister X (Portfolio)":
    the addressed office with that portfolio when there is one (it says "van"
    or "voor" as printed), else "voor" or "van" from the lexicon."""
    portfolio = canonical_portfolio(portfolio_printed)
    for office in addressed:
        if office.titel == titel and fold(office.portefeuille) == fold(portfolio):
            return office
    known = known_portefeuille(portfolio)
    return make_office(titel, known.voorzetsel if known else "van", portfolio, f"{titel} ({portfolio_printed})")


def make_office(titel: str, voorzetsel: str, portefeuille: str, printed: str) -> Office:
    """An office with the ministry it belongs to: the lexicon's host ministry,
    else the portfolio itself when it is a ministry ("van")."""
    known = known_portefeuille(portefeuille)
    ministerie = known.ministerie if known else (portefeuille if voorzetsel == "van" else None)
    return Office(titel, voorzetsel, portefeuille, printed=printed, ministerie=ministerie)


# -------------------------------------------- offices, glue-tolerant scan
#
# PDF extraction loses the space at some line ends, so the addressee part of
# a title may read "aan deStaatssecretaris van Justitie", "de MinisterSociale
# Zaken en Werkgelegenheid" or "Defensie overde levering van ...". The scan
# below walks the addressee part with the lexicon (titles, known portfolios
# in a form that tolerates lost spaces and left hyphens) and so knows where
# the last office ends and the subject begins, whatever spaces are missing.
# Where a portfolio is not in the lexicon it gives up, and the plain reading
# of ``parse_offices`` is used instead.

_DE = r"(?:(?:de|het)(?=\s|[A-ZÀ-Ý])\s*)?"
# A title may be glued to "van"/"voor" or to a capitalised portfolio, never
# to a lower-case letter ("ministerie" is no title).
_TITLE_AT = rf"(?P<t>{_TITLES})(?:(?=\s*(?:van|voor)(?:\s|[A-ZÀ-Ý]))|(?![a-zà-ÿ]))"
_FIRST_TITLE = re.compile(rf"\s*{_DE}{_TITLE_AT}")
_NEXT_TITLE = re.compile(rf"\s*(?:,|en)\s*{_DE}{_TITLE_AT}")
_VZ = re.compile(r"\s*(?P<vz>van|voor)(?=\s|[A-ZÀ-Ý])\s*")
# The portfolio alternation is large: compiled once, tried after the short
# patterns below have matched.
_KNOWN = re.compile(rf"\s*(?P<p>{portefeuille_pattern()})")
# A state secretary's task after a dash ("Financiën – Fiscaliteit en
# Belastingdienst") names no office of its own.
_TASK_DASH = re.compile(r"\s*[–—]\s*|\s+-\s+")
_MORE_VZ = re.compile(r"\s*(?:,|en)\s*(?=(?:van|voor)(?:\s|[A-ZÀ-Ý]))")
_MORE = re.compile(r"\s*(?:,|en)\s*")
_STAND_IN = re.compile(r"\s*,?\s*bij\s*afwezigheid\s*van\s*")


def scan_offices(text: str, pos: int = 0) -> tuple[tuple[Office, ...], int] | None:
    """The offices named from ``pos`` on ("de Ministers van A en van B en de
    Staatssecretaris van C", "de Minister en de Staatssecretaris van X") and
    where they end; None when a portfolio is not in the lexicon. Titles
    printed together share the portfolios that follow them."""
    m = _FIRST_TITLE.match(text, pos)
    if m is None:
        return None
    offices: list[Office] = []
    while m is not None:
        start = m.start("t")
        titles = [titels()[m.group("t")]]
        pos = m.end()
        # "de Minister en de Staatssecretaris van X": more titles before the portfolio
        while titles[-1] != "Minister-president" and not _VZ.match(text, pos) and (mt := _NEXT_TITLE.match(text, pos)):
            titles.append(titels()[mt.group("t")])
            pos = mt.end()
        ports: list[tuple[str | None, str]] = []
        while True:
            mv = _VZ.match(text, pos)
            mk = _KNOWN.match(text, mv.end() if mv else pos)
            if mk is None:
                break
            ports.append((mv.group("vz") if mv else None, mk.group("p")))
            pos = mk.end()
            if (dash := _TASK_DASH.match(text, pos)) and (task := _KNOWN.match(text, dash.end())):
                pos = task.end()
            nxt = _MORE_VZ.match(text, pos)
            if nxt is None and (more := _MORE.match(text, pos)) and _KNOWN.match(text, more.end()):
                nxt = more
            if nxt is None or _NEXT_TITLE.match(text, pos):
                break
            pos = nxt.end()
        printed = re.sub(r"\s+", " ", text[start:pos]).strip()
        for titel in titles:
            if titel == "Minister-president":
                offices.append(Office("Minister-president", "", "", printed=printed, ministerie="Algemene Zaken"))
                continue
            if not ports:
                return None  # a title without a known portfolio: not for the lexicon
            for vz, portfolio in ports:
                known = known_portefeuille(portfolio)
                assert known is not None
                offices.append(make_office(titel, vz or known.voorzetsel, known.naam, printed))
        m = _NEXT_TITLE.match(text, pos)
    if any(o.titel == "Minister-president" for o in offices):
        offices = [o for o in offices if not (o.titel == "Minister" and o.portefeuille == "Algemene Zaken")]
    return tuple(dict.fromkeys(offices)), pos


# ------------------------------------------------------- the title paragraph

# "Vragen van het lid", "Vraag van het lid" (one question), "Vragen van de
# leden", "Vragen van het leden" (a slip of the source), "... het Kamerlid",
# "... de Kamerleden"; any space may be lost.
_TITLE_START = re.compile(
    r"(?P<mondeling>Mondelinge\s*)?(?:Vragen|Vraag)\s*van\s*(?:het|de)\s*(?:Kamer)?(?:leden|lid)(?=[\s(A-ZÀ-Ý'’]|$)"
)
_TITLE_START_ANY_CASE = re.compile(
    r"(?P<mondeling>[Mm]ondelinge\s*)?[Vv]ra(?:gen|ag)\s*van\s*(?:het|de)\s*(?:[Kk]amer)?(?:leden|lid)(?=[\s(A-ZÀ-Ý'’]|$)"
)
# The askers end at "aan" before the first addressee: "Bikker (ChristenUnie)aan deMinister".
_AAN = re.compile(rf"\s*,?\s*aan\s*(?={_DE}(?:{_TITLES}))")
# Addressees that are no title ("aan de regering"): read plainly.
_AAN_ANY = re.compile(r"\s*,?\s+aan\s+(?=(?:de|het)\s)")
_SUBJECT_LEAD = re.compile(r"\s*,?\s*(?:" + "|".join(kopwoorden()["onderwerp"]) + r")(?=[\s«“‘\"'(]|[^\W\d_])\s*")
_DATE_PAREN = re.compile(r"\s*\(?\s*\(\s*(?i:ingezonden)\s*(?:op\s*)?(?P<date>[^)]*)\)")
# Where glue hides the "over" after an office that is not in the lexicon:
# "over" run into the next function word ("overde levering", "overhet bericht").
_GLUED_OVER = re.compile(r"(?<=[^\W\d_])\s*over(?=(?:de|het|een|dit|deze|dat|die|hoe|wat|uw|zijn|haar|mogelijke)\s)|\s+over\s+")


@dataclass
class Title:
    """What the title paragraph says ("Vragen van het lid X (P) aan de
    Minister van Y over Z (ingezonden D)")."""

    text: str
    mondeling: bool
    vragenstellers: tuple[Person, ...]
    gericht_aan: tuple[Office, ...]
    onderwerp: str | None
    ingezonden: dt.date | None
    start: int
    end: int


def find_title(text: str) -> Title | None:
    """The title paragraph anywhere in ``text`` (a line may have lost its
    break before it: "546Vragen van", "kinderenVragen van"). The capitalised
    form is preferred: a web page's own title above it may say "Antwoord op
    vragen van het lid ..." in lower case."""
    for pattern in (_TITLE_START, _TITLE_START_ANY_CASE):
        for m in itertools.islice(pattern.finditer(text), 20):  # a header holds one title, a page title perhaps another
            if pattern is _TITLE_START_ANY_CASE and not m.group("mondeling") and text[: m.start()].rstrip(" ")[-1:] not in ("", "\n"):
                continue  # "de vragen van het lid ..." in a sentence is no title
            title = _read_title(text, m)
            if title is not None:
                return title
    return None


def _read_title(text: str, m: re.Match[str]) -> Title | None:
    # The askers take a few hundred characters at most, the paragraph a few
    # thousand: searching no further keeps a mangled text's parse linear.
    limit = m.end() + 500
    found = [a for a in (_AAN.search(text, m.end(), limit), _AAN_ANY.search(text, m.end(), limit)) if a is not None]
    if not found:
        return None
    aan = min(found, key=lambda a: a.start())
    askers_text = text[m.end() : aan.start()]
    # The askers are a few names with their parties, within the paragraph.
    if len(askers_text) > 400 or "\n\n" in askers_text or re.search(r"(?i)vra(?:gen|ag)\s*van\s*(?:het|de)\s|\(\s*ingezonden", askers_text):
        return None
    # The paragraph ends with its "(ingezonden ...)" date; without one (a Word
    # file puts the date first) it is the rest of its line.
    line_end = text.find("\n", aan.end())
    line_end = len(text) if line_end < 0 else line_end
    dm = _DATE_PAREN.search(text, aan.end(), aan.end() + 3000)
    if dm is not None and re.search(r"(?:Antwoord|Mededeling)\s*van\b", text[aan.end() : dm.start()]):
        dm = None
    para_end = dm.start() if dm else line_end
    offices, subject = _addressees_and_subject(text[aan.end() : para_end])
    ingezonden = parse_date(dm.group("date")) if dm else None
    end = dm.end() if dm else line_end
    return Title(
        text=text[m.start() : end],
        mondeling=bool(m.group("mondeling")),
        vragenstellers=parse_persons(askers_text),
        gericht_aan=offices,
        onderwerp=subject,
        ingezonden=ingezonden,
        start=m.start(),
        end=end,
    )


def _addressees_and_subject(text: str) -> tuple[tuple[Office, ...], str | None]:
    """Split "de Minister van X over Y" into the offices and the subject."""
    scanned = scan_offices(text)
    if scanned is not None:
        offices, pos = scanned
        if sm := _STAND_IN.match(text, pos):
            # "..., bij afwezigheid van de Staatssecretaris van Financiën, over":
            # the stand-in clause names no addressee.
            stand_in = scan_offices(text, sm.end())
            pos = stand_in[1] if stand_in else pos
        lead = _SUBJECT_LEAD.match(text, pos)
        if lead is not None:
            return offices, _subject(text[lead.end() :])
        if not text[pos:].strip(" .,;\n"):
            return offices, None
    # Not all in the lexicon: the plain reading, subject after the first "over".
    om = _GLUED_OVER.search(text)
    addressees, subject = (text[: om.start()], text[om.end() :]) if om else (text, None)
    if subject is None:
        # "Sportover het bericht": "over" glued to a known portfolio.
        mm = re.search(r"(?<=[a-z])over\s+(.+)$", addressees, re.S)
        if mm and known_portefeuille(addressees[: mm.start()].split(" van ")[-1]) is not None:
            subject = mm.group(1)
            addressees = addressees[: mm.start()]
    return parse_offices(addressees), _subject(subject) if subject else None


def _subject(text: str) -> str | None:
    text = re.sub(r"\s+", " ", text).strip(" .,;")
    return text or None


# ------------------------------------------------------------- the header

# Every fixed word may have lost its space to the next: "Antwoordvan",
# "(ontvangen27 mei 2024)", "medenamens", "Zie ookAanhangsel".
_ANSWER = re.compile(
    rf"(?P<kind>Antwoord|Mededeling)\s*van\s*(?P<who>{_DE}(?:{_TITLES}).*?)\(\s*ontvangen\s*(?P<date>[^)]*)\)", re.S | re.I
)
_ANSWERER = re.compile(rf"(?P<titel>{_TITLES})\s*(?P<name>[^()]+?)\s*\((?P<portfolio>[^()]+)\)")
_MEDE_NAMENS = re.compile(r"mede\s*namens\s*(?P<offices>.+)$", re.S)
# A chain of "Zie ook" sentences is one reference list ("Zie ook ..., nr.
# 402. Zie ook ..., nr. 417."); a lost space may glue "ookAanhangsel"; the
# full stop of an abbreviation ("Aanh. Hand.") ends no sentence.
_NOT_ABBREVIATED = "".join(rf"(?<!\b{re.escape(a)})" for a in ABBREVIATIONS)
_ZIE_OOK = re.compile(
    r"Zie\s*ook\s*(?P<ref>.+?)(?:\.\s*$|" + _NOT_ABBREVIATED + r"\.(?=\s*(?!Zie\s*ook)[A-Z])|$)", re.S
)
_INGEZONDEN_LOOSE = re.compile(r"ingezonden\s*(?:op\s*)?[:]?\s*(\d{1,2}\s*[^\W\d_]+\s*\d{4}|\d{1,2}[-/.]\d{1,2}[-/.]\d{4})", re.I)
# Older answers print the date under a bare heading: "Antwoord (Ontvangen 4 juli 2006)".
_ANSWER_BARE = re.compile(r"^\s*(?P<kind>Antwoord|Mededeling)\s*\(\s*ontvangen\s*(?P<date>[^)]*)\)", re.I | re.M)


@dataclass
class Header:
    kamer: Kamer | None = None
    vergaderjaar: str | None = None
    nummer: int | None = None
    zaaknummer: str | None = None
    aanhangsel: bool = False
    vragen_publicatie: bool = False
    onderwerp: str | None = None
    ingezonden: dt.date | None = None
    ontvangen: dt.date | None = None
    mondeling: bool = False
    vragenstellers: tuple[Person, ...] = ()
    gericht_aan: tuple[Office, ...] = ()
    soort: str | None = None  # "antwoord" or "mededeling" from "... van ..."
    beantwoord_door: tuple[Bewindspersoon, ...] = ()
    mede_namens: tuple[Office, ...] = ()
    zie_ook: str | None = None
    title_text: str = ""  # the "Vragen van ..." paragraph, for citations in it
    warnings: list[str] = field(default_factory=list)


_MASTHEAD_VERGADERJAAR = re.compile(r"[Vv]ergaderjaar\s*(\d{4})\s*[–/-]\s*(\d{2,4})")
_GLUED_META_ROW = re.compile(r"Staten-Generaal\s*(\d{4})-(\d{4})(\d{1,5})\b")
_NUMMER_FIELD = re.compile(r"^\s*Nummer\s*:?\s*(\d{1,5})\s*$")  # a page's metadata table, one field a line
# "AH 604", also with the zaak number run on ("AH 6042024Z18294").
_AH_LINE = re.compile(r"^\s*AH\s*(\d{1,5}?)\s*(?:(?=(?:19|20)\d{2}\s?Z\s?\d{5}(?!\d))|$)")
# A zaak number opening a line, whatever was glued after it ("2024Z18891(ingezonden ...").
_ZAAK_LINE = re.compile(r"^\s*(?:AH\s*\d{1,5}?\s*)?((?:19|20)\d{2})\s?Z\s?(\d{5})(?!\d)")
_NUMBER_LINE = re.compile(r"^\s*(\d{1,5})\s*$")
# The masthead's number run on to the words around it: "gegeven antwoorden546Vragen van".
_MASTHEAD_NUMBER = re.compile(r"gegeven\s*antwoorden\s*(\d{1,5})(?!\d)(?=\s*(?:$|\n|(?:Mondelinge\s*)?Vra(?:gen|ag)\s*van))")
_PUBLICATION_OF_QUESTIONS = re.compile(r"Vragen\s*gesteld\s*door\s*de\s*leden\s*der\s*Kamer(?!,\s*met)")


_ANSWER_HEAD = re.compile(r"(?:Antwoord|Mededeling)\s*van\s*" + _DE + rf"(?:{_TITLES})")
_MASTHEAD_WORDS = re.compile(r"gegeven\s*antwoorden|Aanhangsel\s*van\s*de\s*Handelingen")


def parse_header(lines: list[str], furniture: tuple[str, ...] | list[str] = ()) -> Header:
    """Read the header lines (everything above the first question); the page
    furniture a reader or the cleaner removed helps tell the chamber."""
    h = Header()
    joined = "\n".join(lines)
    flat = re.sub(r"\s+", " ", joined)
    title = find_title(joined)
    answer_head = _ANSWER_HEAD.search(joined)
    top = min((x for x in (title.start if title else None, answer_head.start() if answer_head else None) if x is not None), default=len(joined))
    masthead = re.sub(r"\s+", " ", joined[:top] + " " + " ".join(furniture))
    if re.search(r"Eerste\s*Kamer|\bah-ek-|\bkv-ek-", masthead):
        h.kamer = Kamer.EERSTE_KAMER
    elif re.search(r"Tweede\s*Kamer|\bah-tk-|\bkv-tk-|\bAH\s*\d", masthead):
        h.kamer = Kamer.TWEEDE_KAMER
    h.aanhangsel = "Aanhangsel" in flat or bool(any(_AH_LINE.match(ln) for ln in lines))
    h.vragen_publicatie = bool(_PUBLICATION_OF_QUESTIONS.search(flat))
    # Only the masthead, above the title, names the publication's own year;
    # "Zie ook ..., vergaderjaar 2021–2022" further on names another's.
    m = _MASTHEAD_VERGADERJAAR.search(masthead)
    if m:
        start = int(m.group(1))
        h.vergaderjaar = f"{start}-{start + 1}"
    m = _GLUED_META_ROW.search(flat)
    if m:
        h.vergaderjaar = f"{m.group(1)}-{m.group(2)}"
        h.nummer = int(m.group(3))
    seen_masthead = False
    masthead_numbers: list[int] = []
    for ln in joined[:top].split("\n"):
        if _MASTHEAD_WORDS.search(ln):
            seen_masthead = True
        if (m := _NUMMER_FIELD.match(ln)) and h.nummer is None:
            h.nummer = int(m.group(1))
        elif (m := _AH_LINE.match(ln)) and h.nummer is None:
            h.nummer = int(m.group(1))
        elif (m := _NUMBER_LINE.match(ln)) and seen_masthead and h.aanhangsel:
            masthead_numbers.append(int(m.group(1)))
        if (m := _ZAAK_LINE.match(ln)) and h.zaaknummer is None:
            h.zaaknummer = f"{m.group(1)}Z{m.group(2)}"
    # The chamber's logo (a large "2", or "1" for the Eerste Kamer) can come
    # out of a PDF as a number line of its own just after "Aanhangsel van de
    # Handelingen"; the publication's number is the last one above the title.
    if h.nummer is None and masthead_numbers:
        h.nummer = masthead_numbers[-1]
    if h.nummer is None and h.aanhangsel and (m := _MASTHEAD_NUMBER.search(joined[: top + 12])):
        h.nummer = int(m.group(1))

    if title is not None:
        h.title_text = title.text
        h.mondeling = title.mondeling
        h.vragenstellers = title.vragenstellers
        h.gericht_aan = title.gericht_aan
        h.onderwerp = title.onderwerp
        h.ingezonden = title.ingezonden
    if h.ingezonden is None:
        mm = _INGEZONDEN_LOOSE.search(flat)
        if mm:
            h.ingezonden = parse_date(mm.group(1))

    after_title = joined[title.end :] if title else joined
    m = _ANSWER.search(after_title)
    if m is None and (bare := _ANSWER_BARE.search(joined)):
        h.soort = bare.group("kind").lower()
        h.ontvangen = parse_date(bare.group("date"))
    if m:
        h.soort = m.group("kind").lower()
        h.ontvangen = parse_date(m.group("date"))
        who = re.sub(r"\s+", " ", m.group("who"))
        mede = _MEDE_NAMENS.search(who)
        if mede:
            h.mede_namens = parse_offices(mede.group("offices"))
            who = who[: mede.start()]
        people = []
        for am in _ANSWERER.finditer(who):
            titel = titels()[am.group("titel")]
            office = office_for(titel, am.group("portfolio"), h.gericht_aan)
            people.append(Bewindspersoon(achternaam=_clean_answerer_name(am.group("name")), office=office, printed=am.group(0)))
        if not people:
            h.warnings.append(f"could not read who answered from {m.group(0)!r}")
        h.beantwoord_door = tuple(people)
        rest = re.sub(r"\s+", " ", after_title[m.end() :])
        zm = _ZIE_OOK.search(rest)
        if zm:
            # A chain of "Zie ook" clauses ("... nr. 402. Zie ook ..., nr. 417")
            # runs to the end of the header: all of it is cited.
            h.zie_ook = rest[zm.start() :].strip()
    if h.zie_ook is None:
        zm = _ZIE_OOK.search(flat)
        if zm:
            h.zie_ook = zm.group(0) if title is None else flat[zm.start() :].strip()
    return h


def _clean_answerer_name(name: str) -> str:
    name = _double_name(normalise_glue(name.strip(" ,")))
    return name[:1].upper() + name[1:]
