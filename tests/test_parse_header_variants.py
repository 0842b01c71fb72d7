"""Header variants of real publications: the singular title, grammar slips,
two offices of one ministry, lists of offices, double surnames printed with
spaces or a dash, Word answers signed instead of headed, Word question texts
with the date first, and the parliamentary year of a question publication."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kg.model import DocumentSoort, SourceText
from kg.parse import parse
from kg.parse.header import vergaderjaar_of

MASTHEAD = (
    "Tweede Kamer der Staten-Generaal\n"
    "Vergaderjaar 2024–2025 Aanhangsel van de Handelingen\n"
    "Vragen gesteld door de leden der Kamer, met de daarop door de\n"
    "regering gegeven antwoorden\n"
    "777\n"
)
BODY = "Vraag 1\nKent u het bericht?\nAntwoord 1\nJa.\nVraag 2\nWat gaat u doen?\nAntwoord 2\nNiets.\n"
ANSWER = "Antwoord van Minister Agema (Volksgezondheid, Welzijn en Sport) (ontvangen 2 december 2024).\n"


def parse_text(text: str, name: str = "ah-tk-20242025-777.txt"):
    return parse(SourceText(path=Path(name), format="text", text=text, sha256="0" * 64))


def aanhangsel(title: str, answer: str = ANSWER):
    return parse_text(MASTHEAD + title + "\n" + answer + BODY)


# ------------------------------------------------------------------ titles


@pytest.mark.parametrize(
    "opening",
    [
        "Vraag van het lid Eerdmans (JA21)",  # one question: the singular
        "Vragen van het lid Eerdmans (JA21)",
        "Vragen van het Kamerlid Eerdmans (JA21)",
        "Mondelinge vragen van het lid Eerdmans (JA21)",
    ],
)
def test_title_openings(opening):
    p = aanhangsel(f"{opening} aan de Minister van Volksgezondheid, Welzijn en Sport over wachtlijsten (ingezonden 12 november 2024).")
    assert [(x.achternaam, x.fractie) for x in p.vragenstellers] == [("Eerdmans", "JA21")]
    assert [o.label for o in p.gericht_aan] == ["Minister van Volksgezondheid, Welzijn en Sport"]
    assert p.onderwerp == "wachtlijsten"


@pytest.mark.parametrize("opening", ["Vragen van het leden", "Vragen van de leden", "Vragen van de Kamerleden"])
def test_plural_askers_whatever_the_article(opening):
    p = aanhangsel(f"{opening} Tielen en Van Campen (beiden VVD) aan de Minister van Financiën over belastingen (ingezonden 12 november 2024).")
    assert [(x.achternaam, x.fractie) for x in p.vragenstellers] == [("Tielen", "VVD"), ("Van Campen", "VVD")]


# ----------------------------------------------------------------- offices


@pytest.mark.parametrize(
    "addressees, want",
    [
        (
            "aan de Minister en de Staatssecretaris van Volksgezondheid, Welzijn en Sport",
            ["Minister van Volksgezondheid, Welzijn en Sport", "Staatssecretaris van Volksgezondheid, Welzijn en Sport"],
        ),
        (
            "aan de Staatssecretaris en de Minister van Volksgezondheid, Welzijn en Sport",
            ["Staatssecretaris van Volksgezondheid, Welzijn en Sport", "Minister van Volksgezondheid, Welzijn en Sport"],
        ),
        (
            "aan de Ministers van Asiel en Migratie en van Volksgezondheid, Welzijn en Sport en de Staatssecretaris van Financiën",
            ["Minister van Asiel en Migratie", "Minister van Volksgezondheid, Welzijn en Sport", "Staatssecretaris van Financiën"],
        ),
        (
            "aan de Ministers van Landbouw, Natuur en Voedselkwaliteit en voor Natuur en Stikstof",
            ["Minister van Landbouw, Natuur en Voedselkwaliteit", "Minister voor Natuur en Stikstof"],
        ),
        (
            "aan de Staatssecretarissen van Onderwijs, Cultuur en Wetenschap en Volksgezondheid, Welzijn en Sport",
            ["Staatssecretaris van Onderwijs, Cultuur en Wetenschap", "Staatssecretaris van Volksgezondheid, Welzijn en Sport"],
        ),
        (
            "aan de Minister-President, Minister van Algemene Zaken en de Minister van Buitenlandse Zaken",
            ["Minister-president", "Minister van Buitenlandse Zaken"],
        ),
        (
            "aan de Staatssecretaris van Financiën – Fiscaliteit en Belastingdienst",
            ["Staatssecretaris van Financiën"],
        ),
        (
            "aan de Minister van Economische Zaken, bij afwezigheid van de Staatssecretaris van Financiën,",
            ["Minister van Economische Zaken"],
        ),
        (
            "aan de minister van Landbouw, Visserij, Voedselzekerheid en Natuur en de staatssecretaris van Jeugd, Preventie en Sport",
            ["Minister van Landbouw, Visserij, Voedselzekerheid en Natuur", "Staatssecretaris van Jeugd, Preventie en Sport"],
        ),
    ],
)
def test_one_office_each(addressees, want):
    p = aanhangsel(f"Vragen van het lid Eerdmans (JA21) {addressees} over het bericht «Zorg en Sport» (ingezonden 12 november 2024).")
    assert [o.label for o in p.gericht_aan] == want
    assert p.onderwerp == "het bericht «Zorg en Sport»"


# ---------------------------------------------------------- double surnames


@pytest.mark.parametrize(
    "printed, surname",
    [
        ("Slagt-Tichelman", "Slagt-Tichelman"),
        ("Slagt - Tichelman", "Slagt-Tichelman"),
        ("Slagt – Tichelman", "Slagt-Tichelman"),
        ("Slagt —Tichelman", "Slagt-Tichelman"),
        ("Van der Werf-Van Dijk", "Van der Werf-Van Dijk"),
        ("van der Werf - van Dijk", "Van der Werf-van Dijk"),
        ("Faber-van de Klashorst", "Faber-van de Klashorst"),
    ],
)
def test_double_surnames_are_one_surname(printed, surname):
    p = aanhangsel(f"Vragen van de leden {printed} en Piri (beiden GroenLinks-PvdA) aan de Minister van Asiel en Migratie over opvang (ingezonden 12 november 2024).")
    assert [(x.achternaam, x.fractie) for x in p.vragenstellers] == [(surname, "GroenLinks-PvdA"), ("Piri", "GroenLinks-PvdA")]


def test_double_surname_of_an_answerer():
    p = aanhangsel(
        "Vragen van het lid Bromet (GroenLinks) aan de Minister voor Natuur en Stikstof over stikstof (ingezonden 4 juli 2023).",
        "Antwoord van Minister Van der Wal – Zeggelink (Natuur en Stikstof) (ontvangen 14 september 2023).\n",
    )
    assert [(b.achternaam, b.office.label) for b in p.beantwoord_door] == [("Van der Wal-Zeggelink", "Minister voor Natuur en Stikstof")]


# --------------------------------------------------- Word answers, signed

WORD_ANSWER = "AH 612\n2024Z15295\n\nVraag 1\nKent u het bericht?\n\nAntwoord 1\nJa.\n\nVraag 2\nWat gaat u doen?\n\nAntwoord 2\nNiets.\n\n"


@pytest.mark.parametrize(
    "signature, want",
    [
        ("De Minister van Financiën,\n\nE. Heinen\n", [("Heinen", "Minister van Financiën")]),
        ("De minister van Financiën, E. Heinen\n", [("Heinen", "Minister van Financiën")]),
        ("De Minister van Volkshuisvesting en Ruimtelijke Ordening,\n\nMona Keijzer\n", [("Keijzer", "Minister van Volkshuisvesting en Ruimtelijke Ordening")]),
        ("De Minister van Binnenlandse Zaken en Koninkrijksrelaties,\n\nmr. drs. H.G.J. Bruins Slot\n", [("Bruins Slot", "Minister van Binnenlandse Zaken en Koninkrijksrelaties")]),
        ("De Minister voor Natuur en Stikstof,\n\nChristianne van der Wal-Zeggelink\n", [("Van der Wal-Zeggelink", "Minister voor Natuur en Stikstof")]),
        (
            "De Minister van Financiën,\n\nE. Heinen\n\nDe Staatssecretaris van Financiën,\n\nN. Achahbar\n",
            [("Heinen", "Minister van Financiën"), ("Achahbar", "Staatssecretaris van Financiën")],
        ),
    ],
)
def test_word_answer_signers_answer(signature, want):
    p = parse_text(WORD_ANSWER + "Hoogachtend,\n\n" + signature, "ah-tk-20242025-612.docx-text.txt")
    assert p.soort == DocumentSoort.ANTWOORD
    assert [(b.achternaam, b.office.label) for b in p.beantwoord_door] == want
    # the signature closes the letter; it is no part of the last answer
    assert p.antwoorden[-1].tekst.startswith("Niets") and "Heinen" not in p.antwoorden[-1].tekst


def test_an_antwoord_van_line_outranks_a_signature():
    text = "AH 612\n2024Z15295\nAntwoord van minister Keijzer (Volkshuisvesting en Ruimtelijke Ordening) (ontvangen 19 november 2024)\n\n"
    p = parse_text(text + WORD_ANSWER.split("\n\n", 1)[1] + "De Minister van Financiën,\n\nE. Heinen\n", "ah-tk-20242025-612.docx-text.txt")
    assert [b.achternaam for b in p.beantwoord_door] == ["Keijzer"]


def test_a_sentence_naming_a_minister_is_no_signature():
    body = WORD_ANSWER.replace("Niets.", "De Minister van Financiën, de heer Heinen, heeft hierover een brief gestuurd.")
    p = parse_text(body, "ah-tk-20242025-612.docx-text.txt")
    assert p.beantwoord_door == ()


# ------------------------------------------------ Word question texts

WORD_QUESTIONS = (
    "2024Z18891\n\n(ingezonden 20 november 2024)\n\n"
    "{title}\n\n \n\n"
    "Kent u het bericht 'Berucht escortbureau kreeg vergunning'? 1)\n\n"
    "Deelt u de mening dat dit niet kan? Zo ja, wat gaat u doen?\n\n"
    "Bent u bereid deze vragen binnen drie weken te beantwoorden?\n\n \n\n"
    "1) Pointer, 17 november 2024, Berucht escortbureau kreeg vergunning\n"
)


@pytest.mark.parametrize(
    "title",
    [
        "Vragen van het lid Tseggai (GroenLinks-PvdA) aan de minister van Justitie en Veiligheid over vergunningverlening aan escortbureaus",
        "Vraag van het lid Tseggai (GroenLinks-PvdA) aan de minister van Justitie en Veiligheid over vergunningverlening aan escortbureaus",
        "Vragen van het lid Tseggai (GroenLinks-PvdA) aan de minister vanJustitie en Veiligheid oververgunningverlening aan escortbureaus",
    ],
)
def test_word_questions_with_the_date_first(title):
    p = parse_text(WORD_QUESTIONS.format(title=title), "2024Z18891.docx-text.txt")
    assert p.identifier == "kv-tk-2024Z18891" and p.soort == DocumentSoort.VRAGEN
    assert p.ingezonden == dt.date(2024, 11, 20)
    assert [(x.achternaam, x.fractie) for x in p.vragenstellers] == [("Tseggai", "GroenLinks-PvdA")]
    assert [o.label for o in p.gericht_aan] == ["Minister van Justitie en Veiligheid"]
    assert p.onderwerp == "vergunningverlening aan escortbureaus"
    assert len(p.vragen) == 3
    # the parliamentary year follows from the submission date
    assert p.vergaderjaar == "2024-2025"


# --------------------------------------------------- the parliamentary year


@pytest.mark.parametrize(
    "date, year",
    [
        # Prinsjesdag, the third Tuesday of September, opens the year.
        (dt.date(2024, 9, 16), "2023-2024"),
        (dt.date(2024, 9, 17), "2024-2025"),
        (dt.date(2023, 9, 14), "2022-2023"),  # a corpus answer received then is in 2022-2023
        (dt.date(2023, 9, 19), "2023-2024"),
        (dt.date(2025, 9, 15), "2024-2025"),
        (dt.date(2025, 9, 16), "2025-2026"),
        (dt.date(2025, 1, 2), "2024-2025"),
    ],
)
def test_vergaderjaar_opens_on_prinsjesdag(date, year):
    assert vergaderjaar_of(date) == year


@pytest.mark.parametrize("date, year", [("10 september 2024", "2023-2024"), ("18 september 2024", "2024-2025")])
def test_a_question_publication_takes_the_year_of_its_submission(date, year):
    text = WORD_QUESTIONS.replace("20 november 2024", date).format(
        title="Vragen van het lid Tseggai (GroenLinks-PvdA) aan de minister van Justitie en Veiligheid over escortbureaus"
    )
    assert parse_text(text, "2024Z18891.docx-text.txt").vergaderjaar == year


def test_a_printed_vergaderjaar_outranks_the_date():
    text = (
        "Tweede Kamer der Staten-Generaal\nVergaderjaar 2024–2025 Vragen gesteld door de leden der Kamer\n2024Z18436\n"
        "Vragen van de leden Rooderkerk en Paulusma (beiden D66) aan de Staatssecretaris van Onderwijs, Cultuur en Wetenschap "
        "over hiv (ingezonden 10 september 2024).\nVraag 1\nBent u bekend met het gegeven?\n"
    )
    assert parse_text(text, "kv-tk-2024Z18436.txt").vergaderjaar == "2024-2025"


def test_signer_of_an_office_the_lexicon_does_not_know():
    p = parse_text(WORD_ANSWER + "De Minister van Ruimte en Grond,\n\nA. Jansen\n", "ah-tk-20242025-612.docx-text.txt")
    assert [(b.achternaam, b.office.label) for b in p.beantwoord_door] == [("Jansen", "Minister van Ruimte en Grond")]


def test_addressed_to_no_office():
    p = aanhangsel("Vragen van het lid Eerdmans (JA21) aan de regering over de begroting (ingezonden 12 november 2024).")
    assert [(x.achternaam, x.fractie) for x in p.vragenstellers] == [("Eerdmans", "JA21")]
    assert p.gericht_aan == () and p.onderwerp == "de begroting"


@pytest.mark.parametrize("printed", ["(ingezonden 20-11-2024)", "Ingezonden: 20 november 2024", "ingezonden op 20/11/2024"])
def test_submission_date_printed_otherwise(printed):
    text = WORD_QUESTIONS.replace("(ingezonden 20 november 2024)", printed).format(
        title="Vragen van het lid Tseggai (GroenLinks-PvdA) aan de minister van Justitie en Veiligheid over escortbureaus"
    )
    assert parse_text(text, "2024Z18891.docx-text.txt").ingezonden == dt.date(2024, 11, 20)
