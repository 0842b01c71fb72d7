"""Delay notices that say everything in running text: who asked (with their
party), when, whom, about what and under which zaak number. A date printed
without its year ("Op 12 maart jl.") is the most recent such day not after
the notice's own date; the zaak number also cites the delayed question
publication (kv-tk-<zaak>)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kg.model import CitationSoort, DocumentSoort, SourceText
from kg.parse import parse
from kg.parse.letter import parse_notice


def parse_text(text: str, name: str = "uitstelbrief.txt"):
    return parse(SourceText(path=Path(name), format="text", text=text, sha256="0" * 64))


LETTER = """Aan de Voorzitter van de Tweede Kamer
der Staten-Generaal
Postbus 20018
2500 EA DEN HAAG

Datum {date}
Betreft Uitstel beantwoording Kamervragen

{sentence}

De reden van het uitstel is dat de beantwoording meer afstemming vergt.

De Minister van Landbouw, Visserij, Voedselzekerheid en Natuur,

F.M. Wiersma
"""

OP_JL = (
    "Op 12 maart jl. hebben de leden Kostić en Teunissen (beiden PvdD) schriftelijke vragen gesteld aan de "
    "minister van Landbouw, Visserij, Voedselzekerheid en Natuur en de staatssecretaris van Volksgezondheid, "
    "Welzijn en Sport over het bericht dat de vogelgriep zich verspreidt onder koeien (2025Z04512). "
    "Deze vragen kunnen niet binnen de gebruikelijke termijn worden beantwoord."
)


def test_running_text_notice_gives_all_facts():
    p = parse_text(LETTER.format(date="2 april 2025", sentence=OP_JL))
    assert p.soort == DocumentSoort.UITSTELBRIEF
    assert [(x.achternaam, x.fractie) for x in p.vragenstellers] == [("Kostić", "PvdD"), ("Teunissen", "PvdD")]
    assert [o.label for o in p.gericht_aan] == [
        "Minister van Landbouw, Visserij, Voedselzekerheid en Natuur",
        "Staatssecretaris van Volksgezondheid, Welzijn en Sport",
    ]
    assert p.onderwerp == "het bericht dat de vogelgriep zich verspreidt onder koeien"
    assert p.ingezonden == dt.date(2025, 3, 12)
    assert p.ontvangen == dt.date(2025, 4, 2)  # the letter's own date
    assert p.zaaknummer == "2025Z04512"
    assert "kv-tk-2025Z04512" in {c.identifier for c in p.citations}
    # the signer gives the notice, as the minister signs an Aanhangsel notice
    assert [(b.achternaam, b.office.label) for b in p.beantwoord_door] == [
        ("Wiersma", "Minister van Landbouw, Visserij, Voedselzekerheid en Natuur")
    ]


@pytest.mark.parametrize(
    "own, printed, want",
    [
        (dt.date(2025, 4, 2), "Op 12 maart jl.", dt.date(2025, 3, 12)),
        (dt.date(2025, 3, 12), "Op 12 maart jl.", dt.date(2025, 3, 12)),  # the same day is not after it
        (dt.date(2025, 1, 8), "Op 12 december jl.", dt.date(2024, 12, 12)),  # across the new year
        (dt.date(2025, 1, 8), "Op 12 december 2023", dt.date(2023, 12, 12)),  # a printed year stands
        (None, "Op 12 maart jl.", None),  # nothing to resolve against
    ],
)
def test_a_date_without_its_year_is_the_most_recent_one(own, printed, want):
    sentence = f"{printed} heeft het lid Bikker (ChristenUnie) schriftelijke vragen gesteld over de zorg. Deze kunnen niet binnen de gebruikelijke termijn worden beantwoord."
    notice = parse_notice(sentence, own)
    assert notice is not None and notice.ingezonden == want


@pytest.mark.parametrize(
    "sentence, subject, zaak, askers",
    [
        (
            "De vragen van het lid Bikker (ChristenUnie) over de wachttijden in de ggz (2024Z09876) kunnen niet binnen de gebruikelijke termijn worden beantwoord.",
            "de wachttijden in de ggz", "2024Z09876", [("Bikker", "ChristenUnie")],
        ),
        (
            "De vragen van de leden Van den Hil (VVD) en Bikker (ChristenUnie) over het bericht «Wachttijden ggz niet goed vastgelegd. Zeggen onderzoekers»(2024Z16988) kunnen tot mijn spijt niet binnen de gebruikelijke termijnworden beantwoord.",
            "het bericht «Wachttijden ggz niet goed vastgelegd. Zeggen onderzoekers»", "2024Z16988", [("Van den Hil", "VVD"), ("Bikker", "ChristenUnie")],
        ),
        (
            "Hierbij deel ik u mee dat de schriftelijke vragen van het lid Slagt - Tichelman (GroenLinks-PvdA) over de jeugdzorg, met kenmerk 2024Z12345, niet binnen de gebruikelijke termijn kunnen worden beantwoord.",
            "de jeugdzorg", "2024Z12345", [("Slagt-Tichelman", "GroenLinks-PvdA")],
        ),
        (
            "De vragen van het Kamerlid Leijten (SP) over de gehandicapteninstellingen Amerpoort en Sherpa, ingezonden op 22 december 2008, kunnen tot mijn spijt niet binnen de gebruikelijke termijn worden beantwoord.",
            "de gehandicapteninstellingen Amerpoort en Sherpa", None, [("Leijten", "SP")],
        ),
    ],
)
def test_notice_sentence_forms(sentence, subject, zaak, askers):
    p = parse_text(LETTER.format(date="5 december 2024", sentence=sentence))
    assert p.soort == DocumentSoort.UITSTELBRIEF
    assert [(x.achternaam, x.fractie) for x in p.vragenstellers] == askers
    assert p.onderwerp == subject
    assert p.zaaknummer == zaak
    assert ({c.identifier for c in p.citations if c.identifier.startswith("kv-")} == {f"kv-tk-{zaak}"}) if zaak else True


def test_notice_date_printed_in_full():
    sentence = "De vragen van het Kamerlid Leijten (SP) over Sherpa, ingezonden op 22 december 2008, kunnen tot mijn spijt niet binnen de gebruikelijke termijn worden beantwoord."
    p = parse_text(LETTER.format(date="13 januari 2009", sentence=sentence))
    assert p.ingezonden == dt.date(2008, 12, 22)
    assert p.ontvangen == dt.date(2009, 1, 13)


# ------------------------------------------- the Aanhangsel's delay notice

AANHANGSEL_NOTICE = """Tweede Kamer der Staten-Generaal
Vergaderjaar 2024–2025 Aanhangsel van de Handelingen
Vragen gesteld door de leden der Kamer, met de daarop door de
regering gegeven antwoorden
562
Vragen van de leden Van den Hil (VVD) en Bikker (ChristenUnie) aan de
Staatssecretaris van Volksgezondheid, Welzijn en Sport over het bericht
«Wachttijden ggz niet goed vastgelegd» (ingezonden 25 oktober 2024).
Mededeling van Staatssecretaris Karremans (Volksgezondheid, Welzijn en
Sport) (ontvangen 15 november 2024).
Vraag 1
Bent u bekend met het bericht?
Vraag 2
Wat gaat u doen?
{heading}De vragen van de leden Van den Hil (VVD) en Bikker (ChristenUnie) over het
bericht «Wachttijden ggz niet goed vastgelegd»(2024Z16988) kunnen tot mijn spijt niet binnen de gebruikelijke termijn
worden beantwoord.
"""


@pytest.mark.parametrize("heading", ["Mededeling\n", "Mededeling", "Mededeling:\n"])
def test_aanhangsel_notice_takes_the_zaak_number_of_the_questions(heading):
    p = parse_text(AANHANGSEL_NOTICE.format(heading=heading), "ah-tk-20242025-562.txt")
    assert p.soort == DocumentSoort.MEDEDELING
    assert p.zaaknummer == "2024Z16988"
    assert "kv-tk-2024Z16988" in {c.identifier for c in p.citations}
    # the header's facts stand; the notice adds only what the header lacks
    assert [o.label for o in p.gericht_aan] == ["Staatssecretaris van Volksgezondheid, Welzijn en Sport"]
    assert p.ingezonden == dt.date(2024, 10, 25)
    assert [(b.achternaam, b.office.label) for b in p.beantwoord_door] == [("Karremans", "Staatssecretaris van Volksgezondheid, Welzijn en Sport")]


def test_the_corpus_delay_letter(corpus):
    from kg.read import read

    p = parse(read(corpus / "docs" / "uitstelbrief-2009-01-13-Leijten-Amerpoort-Sherpa.opennieuwsbank.txt"))
    assert p.soort == DocumentSoort.UITSTELBRIEF
    assert [(x.achternaam, x.fractie) for x in p.vragenstellers] == [("Leijten", "SP")]
    assert p.onderwerp == "de gehandicapteninstellingen Amerpoort en Sherpa"
    assert p.ingezonden == dt.date(2008, 12, 22)
    assert [(b.achternaam, b.office.label) for b in p.beantwoord_door] == [("Bussemaker", "Staatssecretaris van Volksgezondheid, Welzijn en Sport")]


def test_a_notice_citation_is_kept_as_notice_text():
    p = parse_text(LETTER.format(date="5 december 2024", sentence=OP_JL))
    kinds = {c.soort for c in p.citations if c.identifier == "kv-tk-2025Z04512"}
    assert kinds == {CitationSoort.TOELICHTING}


def test_notice_of_a_member_printed_without_party():
    p = parse_text(LETTER.format(date="5 december 2024", sentence=(
        "De vragen van het lid Bikker over de wachttijden in de ggz kunnen niet binnen de gebruikelijke termijn worden beantwoord."
    )))
    assert [(x.achternaam, x.fractie) for x in p.vragenstellers] == [("Bikker", None)]
    assert p.onderwerp == "de wachttijden in de ggz"


@pytest.mark.parametrize(
    "sentence",
    [
        "Op 12 maart jl. zijn door de leden Kostić en Teunissen (beiden PvdD) schriftelijke vragen gesteld aan de minister van Landbouw, Visserij, Voedselzekerheid en Natuur over de vogelgriep.",
        "De leden Kostić en Teunissen (beiden PvdD) hebben op 12 maart jl. schriftelijke vragen gesteld aan de minister van Landbouw, Visserij, Voedselzekerheid en Natuur over de vogelgriep.",
        "Op 12 maart jl. ontving ik de vragen van de leden Kostić en Teunissen (beiden PvdD) aan de minister van Landbouw, Visserij, Voedselzekerheid en Natuur over de vogelgriep.",
    ],
)
def test_other_orders_of_the_notice_sentence(sentence):
    p = parse_text(LETTER.format(date="2 april 2025", sentence=sentence + " Deze kunnen niet binnen de gebruikelijke termijn worden beantwoord."))
    assert [(x.achternaam, x.fractie) for x in p.vragenstellers] == [("Kostić", "PvdD"), ("Teunissen", "PvdD")]
    assert [o.label for o in p.gericht_aan] == ["Minister van Landbouw, Visserij, Voedselzekerheid en Natuur"]
    assert p.onderwerp == "de vogelgriep"
    assert p.ingezonden == dt.date(2025, 3, 12)
