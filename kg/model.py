"""The typed model between the stages: what a reader hands the parser, and
what the parser hands the mapping. Plain frozen dataclasses, no RDF here.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

# How a reader marks a footnote reference inside running text once it has
# separated the footnote itself (``vraag?[^1]``). Readers that cannot tell
# markers apart leave them as printed; the text cleaner then finds them.
FOOTNOTE_MARK = "[^{}]"

# Identifier prefix of documents that have no official identifier (a
# ministry's letter before publication): "doc-" + the file name.
LOCAL_DOCUMENT_PREFIX = "doc-"


# --------------------------------------------------------------------- reading


@dataclass(frozen=True)
class RawFootnote:
    """A footnote as the reader found it: its printed number and text."""

    number: int
    text: str


@dataclass(frozen=True)
class SourceText:
    """What a reader makes of one input file.

    ``text`` is the publication in reading order, one printed line per line
    where the source has lines. When ``layout_clean`` is True the reader has
    already removed page furniture (running headers and footers, page
    numbers; the masthead stays, it names the publication), lifted the
    footnotes into ``footnotes`` and replaced each
    footnote marker in the text with ``FOOTNOTE_MARK.format(n)``; when it is
    False the text is as extracted and ``kg.parse.clean`` does that work.
    """

    path: Path
    format: str
    text: str
    sha256: str
    footnotes: tuple[RawFootnote, ...] = ()
    layout_clean: bool = False
    # The file name says the source is cut short (.truncated, .partial, .excerpt).
    truncated: bool = False
    warnings: tuple[str, ...] = ()
    # Lines removed as page furniture (running headers and footers), kept
    # because the identifier footer names the publication.
    furniture: tuple[str, ...] = ()


# --------------------------------------------------------------------- parsing


class Kamer(str, Enum):
    TWEEDE_KAMER = "TweedeKamer"
    EERSTE_KAMER = "EersteKamer"


class DocumentSoort(str, Enum):
    """What kind of publication a Document is."""

    ANTWOORD = "antwoord"  # questions with their answers (Aanhangsel)
    MEDEDELING = "mededeling"  # delay notice: the questions plus a notice
    VRAGEN = "vragen"  # questions published before the answer (kv-tk, submitted questions)
    UITSTELBRIEF = "uitstelbrief"  # the ministry's delay letter before publication


class CitationSoort(str, Enum):
    """Where a citation stands; maps to the individuals of ``kv:soort``."""

    ZIE_OOK = "zie-ook"  # the "Zie ook" line of the header
    VOETNOOT = "voetnoot"  # a footnote
    LOPENDE_TEKST = "lopende-tekst"  # running text of a question or answer
    KOP = "kop"  # the header (title, subject) outside "Zie ook"
    TOELICHTING = "toelichting"  # a closing "Toelichting" or "Mededeling" paragraph


@dataclass(frozen=True)
class Location:
    """Where in a publication something stands: the document itself
    (``kind='document'``), a question (``kind='vraag'``, ``nummer`` the
    question number) or an answer (``kind='antwoord'``, ``nummer`` its
    position, 1-based, in document order)."""

    kind: str = "document"
    nummer: int | None = None


DOCUMENT = Location()


@dataclass(frozen=True)
class Person:
    """A member of parliament as printed in a question header."""

    achternaam: str  # surname with its prefix, capitalised as at the start of a name
    fractie: str | None = None  # party as printed ("GroenLinks-PvdA")
    voornaam: str | None = None  # first name or initials where printed
    printed: str = ""  # the name as it stood in the text, for the report
    # From a structured source (a zaak's actors): the initials and the
    # Tweede Kamer's Persoon id where it gives them; a co-asker (Medeindiener).
    initialen: str | None = None
    tk_persoon_id: str | None = None
    medeindiener: bool = False


@dataclass(frozen=True)
class Office:
    """An office such as "Minister voor Natuur en Stikstof"."""

    titel: str  # "Minister" or "Staatssecretaris"
    voorzetsel: str  # "van" or "voor"
    portefeuille: str  # "Natuur en Stikstof"
    printed: str = ""
    # The ministry the office belongs to ("Landbouw, Natuur en
    # Voedselkwaliteit" for the Minister voor Natuur en Stikstof); None when
    # the portfolio is not in the lexicon and has no "van".
    ministerie: str | None = field(default=None, compare=False)

    @property
    def label(self) -> str:
        # The Minister-president's office has no "van ..." of its own.
        return " ".join(part for part in (self.titel, self.voorzetsel, self.portefeuille) if part)


@dataclass(frozen=True)
class Bewindspersoon:
    """A minister or state secretary who signed an answer or notice."""

    achternaam: str
    office: Office | None = None
    printed: str = ""
    initialen: str | None = None  # from a structured source
    tk_persoon_id: str | None = None


@dataclass(frozen=True)
class Footnote:
    number: int
    text: str
    location: Location = DOCUMENT


@dataclass(frozen=True)
class Citation:
    """One citation of an official publication, with its evidence."""

    identifier: str  # official identifier of the cited publication (kst-36410-XIV-9)
    citaat: str  # the citation as printed
    soort: CitationSoort
    location: Location = DOCUMENT
    # When the printed citation had an evident slip (a year typo) and was read
    # as ``identifier``, the literal reading it replaces; None when as printed.
    corrected_from: str | None = None
    footnote: int | None = None  # number of the footnote it stands in


@dataclass(frozen=True)
class WebLink:
    url: str
    location: Location = DOCUMENT
    footnote: int | None = None


@dataclass(frozen=True)
class Vraag:
    nummer: int
    tekst: str
    # Numbers of the printed heading the question stands under ("Vraag 1 t/m 5"
    # gives (1, 2, 3, 4, 5) to each of the five). A single heading gives (nummer,).
    kop: tuple[int, ...] = ()
    # True when the text is that of a grouped heading and could not be split
    # into the single questions reliably: every question of the group carries
    # the whole group text.
    tekst_gedeeld: bool = False


@dataclass(frozen=True)
class Antwoord:
    volgnummer: int  # position in the document, 1-based
    vragen: tuple[int, ...]  # numbers of the questions it answers
    tekst: str
    # The heading gave no number ("Antwoord" after question N); the questions
    # are inferred from the position.
    afgeleid: bool = False
    # The kinds of refusal the text shows ("individual case", ...), in the
    # order of kg/parse/data/weigeringen.csv; empty when it declines nothing.
    weigeringssoorten: tuple[str, ...] = ()


@dataclass(frozen=True)
class Publication:
    """One parsed publication: the document, its questions and answers."""

    identifier: str
    soort: DocumentSoort
    source_path: Path
    source_format: str
    source_sha256: str
    kamer: Kamer | None = Kamer.TWEEDE_KAMER
    vergaderjaar: str | None = None  # "2018-2019"
    nummer: int | None = None  # Aanhangsel number
    zaaknummer: str | None = None  # "2024Z18294"
    onderwerp: str | None = None
    ingezonden: dt.date | None = None
    ontvangen: dt.date | None = None
    vragenstellers: tuple[Person, ...] = ()
    mondeling: bool = False
    gericht_aan: tuple[Office, ...] = ()
    beantwoord_door: tuple[Bewindspersoon, ...] = ()
    mede_namens: tuple[Office, ...] = ()
    vragen: tuple[Vraag, ...] = ()
    antwoorden: tuple[Antwoord, ...] = ()
    footnotes: tuple[Footnote, ...] = ()
    # The closing paragraphs after the answers: the notice of a delay
    # ("Mededeling") and an explanation ("Toelichting").
    mededeling: str | None = None
    toelichting: str | None = None
    citations: tuple[Citation, ...] = ()
    links: tuple[WebLink, ...] = ()
    # Text cut short: facts after the cut are unknown, not absent.
    truncated: bool = False
    warnings: tuple[str, ...] = field(default=())
    # A structured source (the Tweede Kamer's zaak records) names the persons
    # the questions were addressed to, not their offices.
    gericht_aan_personen: tuple[Bewindspersoon, ...] = ()
    # The Tweede Kamer's Zaak a structured publication was made from: its GUID
    # (the OData entity Zaak(<Id>)); None for a parsed publication.
    tk_zaak_id: str | None = None
