"""The parser on the publications shipped with the package: one test per
layout, each asserting facts a reader takes from the printed text."""
from __future__ import annotations

import datetime as dt

import pytest

from kg.model import CitationSoort, DocumentSoort
from kg.parse import parse
from kg.read import read
from tests.conftest import SAMPLES


def pub(name: str):
    return parse(read(SAMPLES / name))


def test_seed_text_extracted_from_pdf():
    p = pub("ah-tk-20182019-3878.txt")
    assert p.identifier == "ah-tk-20182019-3878"
    assert (p.vergaderjaar, p.nummer) == ("2018-2019", 3878)
    assert (p.ingezonden, p.ontvangen) == (dt.date(2019, 7, 29), dt.date(2019, 9, 4))
    assert [(x.achternaam, x.fractie) for x in p.vragenstellers] == [("Groothuizen", "D66")]
    assert [o.label for o in p.gericht_aan] == ["Staatssecretaris van Justitie en Veiligheid"]
    assert [b.achternaam for b in p.beantwoord_door] == ["Broekers-Knol"]
    assert p.onderwerp == "de uitzetting van de heer Isbatov"
    assert [v.nummer for v in p.vragen] == list(range(1, 15))
    assert [a.vragen for a in p.antwoorden] == [(1, 2, 3, 4, 5), (6,), (7, 8, 9, 10), (11,), (12, 13), (14,)]
    # grouped questions are split by their paragraphs (tests/test_group_split.py),
    # each keeping its printed heading
    assert not p.vragen[0].tekst_gedeeld and p.vragen[0].kop == (1, 2, 3, 4, 5)
    assert p.vragen[0].tekst != p.vragen[4].tekst
    assert not p.vragen[5].tekst_gedeeld and p.vragen[5].kop == (6,)
    # footnote 1 stands in question 6 and cites two answers; "Zie ook" one more
    (note,) = p.footnotes
    assert note.location.kind == "vraag" and note.location.nummer == 6
    in_note = {c.identifier for c in p.citations if c.soort == CitationSoort.VOETNOOT}
    assert in_note == {"ah-tk-20182019-1268", "ah-tk-20182019-1974"}
    assert {c.identifier for c in p.citations if c.soort == CitationSoort.ZIE_OOK} == {"ah-tk-20182019-3626"}
    # text is de-hyphenated and free of page furniture and markers
    answer = p.antwoorden[2].tekst
    assert "uitgeprocedeerde" in answer and "uitgeproce-" not in answer
    assert "Aanhangsel 3" not in p.antwoorden[-1].tekst
    assert "jl?" in p.vragen[5].tekst and "[^" not in p.vragen[5].tekst


def test_official_pdf():
    p = pub("ah-tk-20232024-1949.pdf")
    assert p.identifier == "ah-tk-20232024-1949"
    assert [(x.achternaam, x.fractie) for x in p.vragenstellers] == [("Faber-van de Klashorst", "PVV")]
    assert [o.label for o in p.gericht_aan] == ["Minister van Justitie en Veiligheid"]
    assert [b.achternaam for b in p.beantwoord_door] == ["Yeşilgöz-Zegerius"]
    assert [a.vragen for a in p.antwoorden] == [(1,), (2, 3), (4,), (5,)]
    assert {c.identifier for c in p.citations} == {"ah-tk-20232024-1843"}


def test_markdown_conversion():
    p = pub("ah-tk-20232024-387.md")
    assert p.identifier == "ah-tk-20232024-387"
    assert [b.achternaam for b in p.beantwoord_door] == ["Bruins Slot"]
    assert [a.vragen for a in p.antwoorden][3] == (4, 5)
    assert {c.identifier for c in p.citations} == {
        "kst-21501-02-2733", "kst-21501-02-2732", "kst-36410-31", "kst-21501-02-2737", "kst-36410-74"
    }
    assert all("**" not in v.tekst and "[^" not in v.tekst for v in p.vragen)


def test_flattened_single_line():
    p = pub("ah-tk-20142015-698.txt")
    assert [a.vragen for a in p.antwoorden] == [(1,), (2, 3), (4,), (5,), (6,)]
    assert {c.identifier for c in p.citations} == {"ah-tk-20142015-403", "kst-28828-70", "kst-28828-66", "kst-32620-117"}
    # the footnotes that interrupt question 2-3 are out of its text
    assert "Financieel Dagblad" not in p.vragen[1].tekst
    assert "ISSN" not in p.vragen[1].tekst


def test_word_answer_before_publication():
    p = pub("ah-tk-20242025-604.docx-text.txt")
    assert p.identifier == "ah-tk-20242025-604"
    assert p.zaaknummer == "2024Z18294"
    assert p.vergaderjaar == "2024-2025"  # from the date: the text does not print it
    assert [b.achternaam for b in p.beantwoord_door] == ["Van Weel"]
    assert [a.vragen for a in p.antwoorden] == [(1,), (2,), (3, 4), (5,), (6,), (7,), (8,)]
    assert p.citations == ()  # its own zaak number is no citation


def test_delay_notice():
    p = pub("ah-tk-20242025-562.mededeling.txt")
    assert p.soort == DocumentSoort.MEDEDELING
    assert [(x.achternaam, x.fractie) for x in p.vragenstellers] == [("Van den Hil", "VVD"), ("Bikker", "ChristenUnie")]
    assert len(p.vragen) == 9 and p.antwoorden == ()
    assert "kv-tk-2024Z16988" in {c.identifier for c in p.citations if c.soort == CitationSoort.TOELICHTING}
    assert p.mededeling.startswith("De vragen van de leden Van den Hil (VVD) en Bikker (ChristenUnie)")
    assert p.mededeling.endswith("toekomen.") and "[^" not in p.mededeling


def test_question_only_publication():
    p = pub("kv-tk-2024Z18659.txt")
    assert p.soort == DocumentSoort.VRAGEN
    assert p.identifier == "kv-tk-2024Z18659"
    assert [(x.achternaam, x.fractie) for x in p.vragenstellers] == [
        ("Slagt-Tichelman", "GroenLinks-PvdA"), ("Piri", "GroenLinks-PvdA")
    ]
    # "... en van Volksgezondheid, Welzijn en Sportover ..." (glued): two offices, subject intact
    assert [o.label for o in p.gericht_aan] == ["Minister van Asiel en Migratie", "Minister van Volksgezondheid, Welzijn en Sport"]
    assert p.onderwerp == "zorg voor zwangere vrouwen en baby’s in aanmeldcentrum en AZC’s"
    assert len(p.vragen) == 14


def test_html_fragment():
    p = pub("kv-tk-2016Z00020.html-fragment.partial.html")
    assert p.identifier == "kv-tk-2016Z00020"
    assert [v.nummer for v in p.vragen] == [1, 2, 3, 4]
    assert p.truncated


@pytest.mark.parametrize("name", sorted(x.name for x in SAMPLES.iterdir() if x.suffix in {".txt", ".md", ".pdf", ".html"}))
def test_every_sample_parses_with_numbered_questions(name):
    p = pub(name)
    assert p.vragen, name
    assert [v.nummer for v in p.vragen] == list(range(1, len(p.vragen) + 1))
