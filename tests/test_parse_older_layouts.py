"""Layouts of older publications that the development corpus lacks, written
here in their printed form: all questions numbered first and one answer
section after them; question-only publications with numbered questions."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from kg.model import DocumentSoort, SourceText
from kg.parse import parse

SECTIONED = """Tweede Kamer der Staten-Generaal
Vergaderjaar 2006–2007
Aanhangsel van de Handelingen
Vragen gesteld door de leden der Kamer, met de daarop door de regering gegeven antwoorden
812
Vragen van het lid Van der Ham (D66) aan de minister van Justitie over het
bericht dat gedetineerden langer vastzitten (Ingezonden 13 november 2006)
1
Kent u het bericht «Gedetineerden zitten langer vast»?
2
Is het waar dat dit komt door een tekort aan cellen? Zo ja, wat gaat
u daaraan doen?
3
Kunt u deze vragen beantwoorden voor het debat?
Antwoord van minister Hirsch Ballin (Justitie), mede namens de
staatssecretaris van Justitie (Ontvangen 4 december 2006)
1
Ja.
2
Nee. Zie ook Kamerstuk 24 587, nr. 180.
3
Ja.
"""

QUESTIONS_ONLY = """Tweede Kamer der Staten-Generaal
Vergaderjaar 2009–2010
Vragen gesteld door de leden der Kamer
2010Z01234
Vragen van het lid J.P. Mulder (CDA) aan de Minister-President, Minister van
Algemene Zaken over 12 nieuwe cellen (ingezonden 13 januari 2010)
1
Kent u het bericht «Gedetineerden zitten langer vast»?
2
Hoe lang duurt het nog voordat 12 nieuwe
cellen klaar zijn?
kv-tk-2010Z01234
’s-Gravenhage 2010 Tweede Kamer, vergaderjaar 2009–2010, Vragen
"""


def source(text: str, name: str) -> SourceText:
    return SourceText(path=Path(name), format="text", text=text, sha256="0" * 64)


def test_questions_first_then_one_answer_section():
    p = parse(source(SECTIONED, "old.txt"))
    assert p.identifier == "ah-tk-20062007-812"
    assert (p.ingezonden, p.ontvangen) == (dt.date(2006, 11, 13), dt.date(2006, 12, 4))
    assert [b.achternaam for b in p.beantwoord_door] == ["Hirsch Ballin"]
    assert [o.label for o in p.mede_namens] == ["Staatssecretaris van Justitie"]
    assert [v.nummer for v in p.vragen] == [1, 2, 3]
    assert [a.vragen for a in p.antwoorden] == [(1,), (2,), (3,)]
    assert p.antwoorden[1].tekst.startswith("Nee.")
    assert {c.identifier for c in p.citations} == {"kst-24587-180"}


def test_numbered_questions_without_answers():
    p = parse(source(QUESTIONS_ONLY, "oldkv.txt"))
    assert p.soort == DocumentSoort.VRAGEN
    assert p.identifier == "kv-tk-2010Z01234"
    # initials are a first name; the Minister-president is one office
    assert [(x.achternaam, x.voornaam, x.fractie) for x in p.vragenstellers] == [("Mulder", "J.P.", "CDA")]
    assert [o.label for o in p.gericht_aan] == ["Minister-president"]
    assert [v.nummer for v in p.vragen] == [1, 2]
    assert "12 nieuwe cellen" in p.vragen[1].tekst
