"""The header of a publication: masthead, the "Vragen van ..." paragraph and
the "Antwoord van ..." (or "Mededeling van ...") paragraph."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from kg.model import Bewindspersoon, Kamer, Office, Person
from kg.parse.citations import ABBREVIATIONS
from kg.parse.lexicon import fold, known_portefeuille, maanden, titel_pattern, titels

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


def parse_date(text: str) -> dt.date | None:
    m = _DATE.search(text)
    if not m:
        return None
    try:
        return dt.date(int(m.group(3)), maanden()[m.group(2).lower()], int(m.group(1)))
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


def split_surname(name: str) -> tuple[str, str | None]:
    """(surname with prefix, first name or None) from a printed name.

    "Van Nispen" -> ("Van Nispen", None); "Inge vanDijk" -> ("Van Dijk",
    "Inge"); "DaniëlleJansen" -> ("Jansen", "Daniëlle"); "Faber-van de
    Klashorst" stays whole. A first name is only split off where the print
    shows it: a glued capital, or a lower-case prefix after another word."""
    name = re.sub(r"\s+", " ", name).strip(" ,.;")
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
_ALL_OF = re.compile(r"^(?:beiden|allen|alle\s+\w+|allebei)\s+", re.I)


def parse_persons(text: str) -> tuple[Person, ...]:
    """Members with their party: "Van Nispen (SP) en Lahlah (GroenLinks-PvdA)",
    "Kröger en Gabriëls (beiden GroenLinks-PvdA)", "Omtzigt (CDA), Gesthuizen
    (SP) en Schouw (D66)"."""
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
        fractie = _ALL_OF.sub("", party).strip() if party else None
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


def normalise_glue(text: str) -> str:
    text = _GLUED_FUNCTION_WORD.sub(r"\1 ", text)
    return re.sub(r"\s+", " ", text).strip()


def _split_known(portfolio: str) -> list[str]:
    """Split "Onderwijs, Cultuur en Wetenschap en Volksgezondheid, Welzijn en
    Sport" (a second "van" lost) into known portfolios where that is the only
    reading; leave it whole otherwise."""
    if known_portefeuille(portfolio):
        return [portfolio]
    parts = portfolio.split(" en ")
    for i in range(1, len(parts)):
        left, right = " en ".join(parts[:i]), " en ".join(parts[i:])
        if known_portefeuille(left) and (known_portefeuille(right) or _split_known(right) != [right]):
            return [left] + _split_known(right)
    return [portfolio]


def canonical_portfolio(printed: str) -> str:
    """The portfolio as the lexicon spells it, when known; else as printed.
    Text after a dash is a state secretary's task ("Financiën – Fiscaliteit en
    Belastingdienst"), not part of the ministry."""
    printed = re.split(r"\s+[–—-]\s+", printed.strip(" ,.;"))[0]
    known = known_portefeuille(printed)
    return known.naam if known else printed


def parse_offices(text: str) -> tuple[Office, ...]:
    """"de Ministers van Asiel en Migratie en van Volksgezondheid, Welzijn en
    Sport" -> two offices; "de Staatssecretaris van X en de Minister van Y" ->
    two; "de Minister Justitie en Veiligheid" ("van" lost) -> one."""
    text = normalise_glue(text)
    text = re.sub(r",?\s*bij afwezigheid van .*$", "", text)  # the stand-in clause names no addressee
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


# ------------------------------------------------------------- the header

_VRAGEN_VAN = re.compile(
    r"(?P<mondeling>Mondelinge\s+)?[Vv]ragen\s+van\s+(?:het\s+(?:Kamer)?lid|de\s+leden|het\s+Kamerlid|de\s+Kamerleden)\s+(?P<askers>.+?)\s+aan\s+(?P<addressees>(?:de|het)\s+.+?)"
    r"(?:\s+over\s+(?P<onderwerp>.+?))?\s*\(?\s*\((?i:ingezonden)\s+(?:op\s+)?(?P<date>[^)]*)\)",
    re.S,
)
_VRAGEN_VAN_NO_DATE = re.compile(
    r"(?P<mondeling>Mondelinge\s+)?[Vv]ragen\s+van\s+(?:het\s+(?:Kamer)?lid|de\s+leden)\s+(?P<askers>.+?)\s+aan\s+(?P<addressees>(?:de|het)\s+.+?)\s+over\s+(?P<onderwerp>.+?)(?:\.|$)",
    re.S,
)
_ANSWER = re.compile(r"(?P<kind>Antwoord|Mededeling)\s+van\s+(?P<who>.+?)\(\s*ontvangen\s+(?P<date>[^)]*)\)", re.S | re.I)
_ANSWERER = re.compile(rf"(?P<titel>{_TITLES})\s+(?P<name>[^()]+?)\s*\((?P<portfolio>[^()]+)\)")
_MEDE_NAMENS = re.compile(r"mede\s+namens\s+(?P<offices>.+)$", re.S)
# A chain of "Zie ook" sentences is one reference list ("Zie ook ..., nr.
# 402. Zie ook ..., nr. 417."); a lost space may glue "ookAanhangsel"; the
# full stop of an abbreviation ("Aanh. Hand.") ends no sentence.
_NOT_ABBREVIATED = "".join(rf"(?<!\b{re.escape(a)})" for a in ABBREVIATIONS)
_ZIE_OOK = re.compile(
    r"Zie\s+ook\s*(?P<ref>.+?)(?:\.\s*$|" + _NOT_ABBREVIATED + r"\.(?=\s+(?!Zie\s+ook)[A-Z])|$)", re.S
)
_INGEZONDEN_LOOSE = re.compile(r"ingezonden\s+(?:op\s+)?(\d{1,2}\s*\w+\s*\d{4})", re.I)
# Older answers print the date under a bare heading: "Antwoord (Ontvangen 4 juli 2006)".
_ANSWER_BARE = re.compile(r"^\s*(?P<kind>Antwoord|Mededeling)\s*\(\s*ontvangen\s+(?P<date>[^)]*)\)", re.I | re.M)


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
_AH_LINE = re.compile(r"^\s*AH\s*(\d{1,5})\s*$")
_ZAAK_LINE = re.compile(r"^\s*(\d{4})\s?Z\s?(\d{5})\s*$")
_NUMBER_LINE = re.compile(r"^\s*(\d{1,5})\s*$")


def parse_header(lines: list[str], furniture: tuple[str, ...] | list[str] = ()) -> Header:
    """Read the header lines (everything above the first question); the page
    furniture a reader or the cleaner removed helps tell the chamber."""
    h = Header()
    joined = "\n".join(lines)
    flat = re.sub(r"\s+", " ", joined)
    title_line = next((i for i, ln in enumerate(lines) if re.match(r"^\s*(?:Mondelinge\s+)?[Vv]ragen\s+van\b|^\s*(?:Antwoord|Mededeling)\s+van\b", ln)), len(lines))
    masthead = re.sub(r"\s+", " ", " ".join(list(lines[:title_line]) + list(furniture)))
    if re.search(r"Eerste\s*Kamer|\bah-ek-|\bkv-ek-", masthead):
        h.kamer = Kamer.EERSTE_KAMER
    elif re.search(r"Tweede\s*Kamer|\bah-tk-|\bkv-tk-|\bAH\s*\d", masthead):
        h.kamer = Kamer.TWEEDE_KAMER
    h.aanhangsel = "Aanhangsel" in flat or bool(any(_AH_LINE.match(ln) for ln in lines))
    h.vragen_publicatie = bool(re.search(r"Vragen gesteld door de leden der Kamer(?!,\s*met)", flat))
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
    for ln in lines:
        if re.search(r"gegeven antwoorden|Aanhangsel van de Handelingen", ln):
            seen_masthead = True
        if (m := _NUMMER_FIELD.match(ln)) and h.nummer is None:
            h.nummer = int(m.group(1))
        elif (m := _AH_LINE.match(ln)) and h.nummer is None:
            h.nummer = int(m.group(1))
        elif (m := _ZAAK_LINE.match(ln)) and h.zaaknummer is None:
            h.zaaknummer = f"{m.group(1)}Z{m.group(2)}"
        elif (m := _NUMBER_LINE.match(ln)) and seen_masthead and h.aanhangsel:
            masthead_numbers.append(int(m.group(1)))
        if re.match(r"^\s*(?:Mondelinge\s+)?[Vv]ragen van", ln):
            break
    # The chamber's logo (a large "2", or "1" for the Eerste Kamer) can come
    # out of a PDF as a number line of its own just after "Aanhangsel van de
    # Handelingen"; the publication's number is the last one above the title.
    if h.nummer is None and masthead_numbers:
        h.nummer = masthead_numbers[-1]

    # The title paragraph starts a line with "Vragen van" (a page title above
    # it may say "Antwoord op vragen van ..." in lower case).
    title_start = next((i for i, ln in enumerate(lines) if re.match(r"^\s*(?:Mondelinge\s+)?Vragen\s+van\b", ln)), None)
    title_flat = re.sub(r"\s+", " ", "\n".join(lines[title_start:])) if title_start is not None else flat
    m = _VRAGEN_VAN.search(title_flat)
    if m is None:
        # Without "(ingezonden ...)" after it (a Word file of submitted
        # questions puts the date first) the title is its one paragraph.
        m = _VRAGEN_VAN_NO_DATE.search(lines[title_start] if title_start is not None else flat)
    if m:
        h.title_text = m.group(0)
        h.mondeling = bool(m.group("mondeling"))
        h.vragenstellers = parse_persons(m.group("askers"))
        addressees = m.group("addressees")
        onderwerp = m.group("onderwerp")
        # A portfolio glued to "over" ("Sportover het bericht"): the subject
        # starts at the glued "over" when the addressee part has none.
        if onderwerp is None:
            mm = re.search(r"(?<=[a-z])over\s+(.+)$", addressees)
            if mm and known_portefeuille(addressees[: mm.start()].split(" van ")[-1]) is not None:
                onderwerp = mm.group(1)
                addressees = addressees[: mm.start()]
        h.gericht_aan = parse_offices(addressees)
        if onderwerp:
            h.onderwerp = re.sub(r"\s+", " ", onderwerp).strip(" .")
        if "date" in m.groupdict() and m.groupdict().get("date"):
            h.ingezonden = parse_date(m.group("date"))
    if h.ingezonden is None:
        mm = _INGEZONDEN_LOOSE.search(flat)
        if mm:
            h.ingezonden = parse_date(mm.group(1))

    m = _ANSWER.search(flat)
    if m is None and (bare := _ANSWER_BARE.search(joined)):
        h.soort = bare.group("kind").lower()
        h.ontvangen = parse_date(bare.group("date"))
    if m:
        h.soort = m.group("kind").lower()
        h.ontvangen = parse_date(m.group("date"))
        who = m.group("who")
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
        rest = flat[m.end() :]
        zm = _ZIE_OOK.search(rest)
        if zm:
            h.zie_ook = zm.group(0)
    if h.zie_ook is None:
        zm = _ZIE_OOK.search(flat)
        if zm:
            h.zie_ook = zm.group(0)
    return h


def _clean_answerer_name(name: str) -> str:
    name = normalise_glue(name.strip(" ,"))
    return name[:1].upper() + name[1:]
