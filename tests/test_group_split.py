"""Grouped questions split where the print proves it (issue 9, section 6).

"Vraag 1 t/m 5" followed by five paragraphs is five questions. The PDF
reader marks the paragraph ends the layout proves; in text, a line ending in
"?" ends a paragraph when the next line's first word would have fitted on it.
A group is split only where its paragraphs match its numbers one to one;
otherwise it keeps the shared text and the warning."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.model import CitationSoort, SourceText
from kg.parse import parse
from kg.parse.body import line_width, paragraphs
from kg.read import read
from tests.conftest import SAMPLES

SEED_STARTS = {
    1: "Bent u bekend met de uitzetting van de heer Isbatov",
    2: "Bent u op de hoogte van het feit",
    3: "Op grond van welke beschuldiging",
    4: "Klopt het, dat de broer van de heer Isbatov",
    5: "Onderneemt Nederland op dit moment diplomatieke stappen",
    7: "Wat vindt u ervan dat er in korte tijd",
    8: "Bent u van mening dat de beoordelingen",
    9: "Welke informatie gebruikt de IND",
    10: "In hoeverre is het volgens u mogelijk",
    12: "Bent u van mening dat de arrestatie",
    13: "Bent u bereid onderzoek te laten doen",
}


def _check_seed(pub) -> None:
    by_number = {v.nummer: v for v in pub.vragen}
    assert sorted(by_number) == list(range(1, 15))
    for n, start in SEED_STARTS.items():
        v = by_number[n]
        assert v.tekst.startswith(start), (n, v.tekst[:80])
        assert not v.tekst_gedeeld
        # each question holds its own paragraph only: no other question's start
        assert not any(other in v.tekst for m, other in SEED_STARTS.items() if m != n)
    assert by_number[3].tekst.endswith("Hoe beoordeelt u dit?")  # a "?" inside a paragraph is no end
    assert by_number[1].kop == (1, 2, 3, 4, 5) and by_number[9].kop == (7, 8, 9, 10) and by_number[13].kop == (12, 13)
    assert [a.vragen for a in pub.antwoorden] == [(1, 2, 3, 4, 5), (6,), (7, 8, 9, 10), (11,), (12, 13), (14,)]
    assert not any("grouped question" in w for w in pub.warnings)


def test_seed_publication_comes_out_split() -> None:
    _check_seed(parse(read(SAMPLES / "ah-tk-20182019-3878.txt")))


def test_seed_flattened_to_one_line_keeps_its_facts() -> None:
    """Flattened text has no line ends left to prove a paragraph end: the
    groups keep their shared text, and the facts stay the same."""
    source = read(SAMPLES / "ah-tk-20182019-3878.txt")
    flat = parse(SourceText(source.path, "text", " ".join(source.text.split()), source.sha256))
    assert [v.nummer for v in flat.vragen] == list(range(1, 15))
    assert flat.vragen[0].tekst_gedeeld and any("grouped question" in w for w in flat.warnings)


def test_seed_in_the_corpus_split_and_gold_unchanged(corpus: Path) -> None:
    pub = parse(read(corpus / "docs" / "ah-tk-20182019-3878.txt"))
    _check_seed(pub)
    gold = json.loads((corpus / "gold" / "ah-tk-20182019-3878.json").read_text(encoding="utf-8"))
    assert len(pub.vragen) == gold["vragen"]
    assert [list(a.vragen) for a in pub.antwoorden] == gold["antwoorden"]
    # the footnote in question 6 still cites both answers
    assert {c.identifier for c in pub.citations if c.soort == CitationSoort.VOETNOOT} == {
        "ah-tk-20182019-1268", "ah-tk-20182019-1974"}


def test_official_pdf_groups_split_by_layout(corpus: Path) -> None:
    pub = parse(read(corpus / "docs" / "ah-tk-20232024-1314.pdf"))
    group = [v for v in pub.vragen if v.kop == (3, 4, 5)]
    assert [v.nummer for v in group] == [3, 4, 5]
    assert [v.tekst.split(" ")[:6] for v in group] == [
        ["Deelt", "u", "de", "mening", "dat", "als"],
        ["Deelt", "u", "de", "mening", "dat", "regenboogprovincies"],
        ["Kent", "u", "de", "Inventarisatie", "Regenboogbeleid", "Regenboogprovincies?"],
    ]
    assert not any(v.tekst_gedeeld for v in group)
    # the marker of footnote 2 now stands in question 5, where it is printed
    assert {f.number: (f.location.kind, f.location.nummer) for f in pub.footnotes}[2] == ("vraag", 5)


def test_group_whose_paragraphs_cannot_all_be_proven_keeps_its_shared_text(corpus: Path) -> None:
    """ah-tk-20232024-2367: group 7-11 has five provable paragraphs (one ends
    in a full stop, on a short line); in group 3-6 one question ends on a line
    its successor's first word would not have fitted, so three paragraphs are
    proven for four numbers and the group stays whole."""
    pub = parse(read(corpus / "unlabelled" / "ah-tk-20232024-2367.pdf"))
    by_number = {v.nummer: v for v in pub.vragen}
    assert all(by_number[n].tekst_gedeeld for n in (3, 4, 5, 6))
    assert len({by_number[n].tekst for n in (3, 4, 5, 6)}) == 1
    assert not any(by_number[n].tekst_gedeeld for n in (7, 8, 9, 10, 11))
    assert by_number[9].tekst.endswith("situatie speelde.")
    assert any("(3-6)" in w for w in pub.warnings)


# ------------------------------------------------------ the text rule
HEADER = (
    "Tweede Kamer der Staten-Generaal\nVergaderjaar 2018–2019 Aanhangsel van de Handelingen\n"
    "Vragen gesteld door de leden der Kamer, met de daarop door de regering gegeven antwoorden\n4000\n"
    "Vragen van het lid Groothuizen (D66) aan de Staatssecretaris van Justitie en Veiligheid over de\n"
    "uitzetting van een asielzoeker (ingezonden 29 juli 2019).\n"
    "Antwoord van Staatssecretaris Broekers-Knol (Justitie en Veiligheid) (ontvangen 4 september\n"
    "2019).\n"
)
# Running text at a width of about 60 characters, so the line width can be told.
FILLER = (
    "Antwoord 3\n"
    "Zoals uw Kamer bekend, kan ik in verband met de privacy van de\n"
    "betrokken persoon geen uitspraken doen over individuele zaken\n"
    "en ik ga daarom niet in op de vragen die over deze persoon\n"
    "gaan, maar ik kan wel in algemene zin iets zeggen over de wijze\n"
    "waarop de IND asielaanvragen beoordeelt en over de waarborgen\n"
    "die de procedure kent, want die gelden voor iedere vreemdeling\n"
    "en zij worden door de rechter getoetst in beroep en in hoger\n"
    "beroep, zodat iedere beslissing zorgvuldig tot stand komt.\n"
)


def _parse(group: str) -> object:
    text = HEADER + group + FILLER
    return parse(SourceText(Path("ah-tk-20182019-4000.txt"), "text", text, "0" * 64))


def test_question_mark_line_with_room_for_the_next_word_ends_a_paragraph() -> None:
    pub = _parse(
        "Vraag 1 en 2\n"
        "Bent u bekend met de uitzetting van de heer Isbatov naar\n"
        "Azerbeidzjan?\n"
        "Klopt het dat hij na zijn terugkomst is opgepakt?\n"
        "Antwoord 1 en 2\nJa.\n"
    )
    assert [v.tekst for v in pub.vragen[:2]] == [
        "Bent u bekend met de uitzetting van de heer Isbatov naar Azerbeidzjan?",
        "Klopt het dat hij na zijn terugkomst is opgepakt?",
    ]


def test_full_question_mark_line_is_no_proof() -> None:
    # The first paragraph's line is full: "Klopt" would not have fitted, so
    # the "?" may end a sentence inside the paragraph. Two numbers, one proven
    # paragraph end short: the group stays whole.
    pub = _parse(
        "Vraag 1 en 2\n"
        "Bent u bekend met de uitzetting van de heer Isbatov naar Baku?\n"
        "Klopt het dat hij na zijn terugkomst is opgepakt?\n"
        "Antwoord 1 en 2\nJa.\n"
    )
    assert pub.vragen[0].tekst_gedeeld and pub.vragen[0].tekst == pub.vragen[1].tekst
    assert any("grouped question" in w for w in pub.warnings)


@pytest.mark.parametrize(
    "group",
    [
        # three paragraphs under two numbers
        "Vraag 1 en 2\nKent u het bericht?\nKlopt het?\nWat gaat u doen?\nAntwoord 1 en 2\nJa.\n",
        # one paragraph under two numbers
        "Vraag 1 en 2\nKent u het bericht en klopt het dat de school sluit?\nAntwoord 1 en 2\nJa.\n",
    ],
    ids=["more-paragraphs", "fewer-paragraphs"],
)
def test_paragraphs_not_one_to_one_keep_the_shared_text(group: str) -> None:
    pub = _parse(group)
    assert [v.nummer for v in pub.vragen] == [1, 2, 3]
    assert pub.vragen[0].tekst_gedeeld and pub.vragen[1].tekst_gedeeld
    assert any("grouped question headings (1-2)" in w for w in pub.warnings)


def test_empty_line_ends_a_paragraph_only_after_a_sentence() -> None:
    lines = ["Bent u bekend met het bericht dat de", "", "school sluit?", "", "Klopt het?"]
    assert paragraphs(lines, None) == [["Bent u bekend met het bericht dat de", "school sluit?"], ["Klopt het?"]]
    # footnote marks and closing quotes stand after the sentence's end
    lines = ["Kent u het bericht «De school sluit»?[^1]", "", "Wat gaat u doen?"]
    assert len(paragraphs(lines, None)) == 2


def test_line_width_is_the_publications_own() -> None:
    text = read(SAMPLES / "ah-tk-20182019-3878.txt").text.split("\n")
    width = line_width(text)
    assert width is not None and 74 <= width <= 79
    # a Word export (one paragraph a line) has no printed width
    assert line_width(["Kent u het bericht? " * 20, "Klopt het? " * 30]) is None


# ------------------------------------------------------------ the PDF side
def test_pdf_reader_proves_a_paragraph_end_without_a_question_mark(tmp_path: Path) -> None:
    """A paragraph that ends in a full stop on a short line: text alone
    cannot prove its end, the layout can."""
    from tests.test_read_pdf import _footer, _line, _make_pdf

    y = iter(range(600, 100, -10))
    body = [
        _line(221, 760, 18.1, "Tweede Kamer der Staten-Generaal"),
        _line(55, 704, 9.6, "Vergaderjaar 2023\u20132024"),
        _line(221, 704, 10.0, "Aanhangsel van de Handelingen"),
        _line(221, 650, 12.8, "4001"),
        _line(221, 620, 8.5, "Vragen van het lid Bikker (ChristenUnie) aan de Minister van Financi\u00ebn over de"),
        _line(221, 610.4, 8.5, "bankenunie (ingezonden 4 maart 2024)."),
        _line(221, 600.8, 8.5, "Antwoord van Minister Heinen (Financi\u00ebn) (ontvangen 25 maart 2024)."),
    ]
    rows = [
        "Vraag 1 en 2",
        "Wat kan er worden geleerd van andere sectoren, zoals de zorgsector, waar",
        "een vergelijkbare situatie speelde.",
        "Deelt u de opvatting dat er snel verbetering moet plaatsvinden in de sector",
        "van de banken en bij de toezichthouders?",
        "Antwoord 1 en 2",
        "Ja, daar werk ik aan met de toezichthouders en met de banken zelf, en ik",
        "informeer uw Kamer daarover voor de zomer in een brief over de voortgang.",
    ]
    next(y)
    for row in rows:
        body.append(_line(221, next(y) - 20, 8.5, row))
    path = tmp_path / "ah-tk-20232024-4001.pdf"
    path.write_bytes(_make_pdf([b"\n".join(body + _footer(1, first=True))]))
    source = read(path)
    assert "een vergelijkbare situatie speelde.\n\nDeelt u" in source.text
    pub = parse(source)
    assert [v.tekst for v in pub.vragen] == [
        "Wat kan er worden geleerd van andere sectoren, zoals de zorgsector, waar een vergelijkbare situatie speelde.",
        "Deelt u de opvatting dat er snel verbetering moet plaatsvinden in de sector van de banken en bij de toezichthouders?",
    ]
    assert not pub.vragen[0].tekst_gedeeld


def test_word_answer_group_split_one_paragraph_a_line(corpus: Path) -> None:
    """A ministry's Word answer has no wrapped lines: each line is a
    paragraph. The real answer 604 with its questions 3 and 4 printed under
    one heading "Vraag 3 en 4" gives the same two questions."""
    path = corpus / "docs" / "ah-tk-20242025-604.docx-text.txt"
    raw = path.read_text(encoding="utf-8")
    apart = parse(SourceText(path, "text", raw, "0" * 64))
    grouped_text = raw.replace("Vraag 3 \n", "Vraag 3 en 4\n", 1).replace("\nVraag 4\n", "\n", 1)
    assert grouped_text != raw and "Vraag 4\n" not in grouped_text
    grouped = parse(SourceText(path, "text", grouped_text, "0" * 64))
    assert [(v.nummer, v.tekst) for v in grouped.vragen] == [(v.nummer, v.tekst) for v in apart.vragen]
    assert grouped.vragen[2].kop == (3, 4) and not grouped.vragen[2].tekst_gedeeld


@pytest.mark.parametrize("proof", ["gap", "indent", "none"])
def test_pdf_reader_proves_paragraph_ends_by_gap_or_indent(tmp_path: Path, proof: str) -> None:
    """A paragraph whose last line is full: only a wider gap, or the next
    paragraph's first-line indent, proves the end; a full line without
    either continues its paragraph."""
    from tests.test_read_pdf import _line, _make_pdf

    full = "Deelt u de opvatting dat er snel verbetering moet plaatsvinden in de sector"
    rows = [
        (221, full), (221, full.replace("Deelt u", "Vindt u")),  # two full lines: one paragraph
        (221, full.replace("Deelt u", "Kunt u")),  # the last full line of the first paragraph
        (233 if proof == "indent" else 221, "Wat gaat u doen om de banken en de toezichthouders te"),
        (221, "laten samenwerken bij het toezicht op de sector?"),
        (221, "Dit is de laatste regel van deze korte tekst."),
    ]
    y, lines = 600.0, []
    for k, (x, text) in enumerate(rows):
        if proof == "gap" and k == 3:
            y -= 9.6  # an empty line's height between the paragraphs
        lines.append(_line(x, y, 8.5, text))
        y -= 9.6
    path = tmp_path / "alinea.pdf"
    path.write_bytes(_make_pdf([b"\n".join(lines)]))
    text = read(path).text
    assert "plaatsvinden in de sector\nVindt u" in text  # a full line continues
    ended = "Kunt u de opvatting dat er snel verbetering moet plaatsvinden in de sector\n\nWat gaat u" in text
    assert ended == (proof != "none")
