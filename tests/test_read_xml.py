"""The XML reader on officielebekendmakingen-shaped Kamervragen XML built here.

The element names are those established for these files (see kg/read/xml.py);
the documents themselves are made up for the test.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import ReadError
from kg.model import RawFootnote
from kg.read import read
from kg.read.xml import XmlReader

ANSWER = """<?xml version="1.0" encoding="UTF-8"?>
<officiele-publicatie xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <metadata>
    <meta name="DC.identifier" content="ah-tk-20242025-570"/>
    <meta name="OVERHEIDop.vergaderjaar" content="2024-2025"/>
  </metadata>
  <kamervragen>
    <kamervraagkop>
      <tekstregel inhoud="vergaderjaar">Vergaderjaar 2024–2025</tekstregel>
    </kamervraagkop>
    <kamervraagnummer>570</kamervraagnummer>
    <kamervraagomschrijving type="vraag">Vragen van het lid
      <naam><achternaam>El Abassi</achternaam></naam> (DENK) aan de Minister van Justitie en Veiligheid
      over <kamervraagonderwerp>het bericht «Overheid gebruikte nationaliteit bij misdaadbestrijding
      en verzweeg dat»</kamervraagonderwerp> <datum isodatum="2024-09-25">(ingezonden 25 september 2024)</datum>.</kamervraagomschrijving>
    <kamervraagomschrijving type="antwoord">Antwoord van Minister <naam><achternaam>Van Weel</achternaam></naam>
      (Justitie en Veiligheid) <datum isodatum="2024-11-18">(ontvangen 18 november 2024)</datum>.
      Zie ook Aanhangsel Handelingen, vergaderjaar 2024–2025, nr. 318.</kamervraagomschrijving>
    <vraag>
      <nr>Vraag 1</nr>
      <al>Bent u bekend met het bericht «Overheid gebruikte nationaliteit bij misdaadbestrijding en verzweeg dat»?<noot id="n1" type="voet"><noot.nr>1</noot.nr><noot.al>Follow the Money, 24 september 2024, <extref doc="https://www.ftm.nl/x" soort="URL">https://www.ftm.nl/x</extref></noot.al></noot></al>
    </vraag>
    <antwoord>
      <nr>Antwoord 1</nr>
      <al>Ja.</al>
    </antwoord>
    <vraag>
      <nr>Vraag 2 en 3</nr>
      <al>Was u op de hoogte?</al>
      <al>Zo ja, sinds wanneer?</al>
    </vraag>
    <antwoord>
      <nr>Antwoord 2 en 3</nr>
      <al>Zie het <nadruk type="cur">bericht</nadruk><nootref refid="n1"/> en de brief<noot id="n2" type="voet"><noot.nr>2</noot.nr><noot.al>Kamerstuk 29 911, nr. 450.</noot.al></noot>:</al>
      <lijst type="expliciet">
        <li><li.nr>a.</li.nr><al>de analyse;</al></li>
        <li><li.nr>b.</li.nr><al>de reactie.</al></li>
      </lijst>
      <table><tgroup cols="2"><colspec colname="c1"/><colspec colname="c2"/>
        <tbody><row><entry><al>Jaar</al></entry><entry><al>Aantal</al></entry></row>
        <row><entry><al>2016</al></entry><entry><al>12</al></entry></row></tbody></tgroup></table>
      <nieuw-blok><onderdeel>Een element dat</onderdeel><onderdeel>niemand kent</onderdeel></nieuw-blok>
    </antwoord>
  </kamervragen>
</officiele-publicatie>
"""

EXPECTED_LINES = [
    "Vergaderjaar 2024–2025",
    "570",
    "Vragen van het lid El Abassi (DENK) aan de Minister van Justitie en Veiligheid over het bericht "
    "«Overheid gebruikte nationaliteit bij misdaadbestrijding en verzweeg dat» (ingezonden 25 september 2024).",
    "Antwoord van Minister Van Weel (Justitie en Veiligheid) (ontvangen 18 november 2024). "
    "Zie ook Aanhangsel Handelingen, vergaderjaar 2024–2025, nr. 318.",
    "Vraag 1",
    "Bent u bekend met het bericht «Overheid gebruikte nationaliteit bij misdaadbestrijding en verzweeg dat»?[^1]",
    "Antwoord 1",
    "Ja.",
    "Vraag 2 en 3",
    "Was u op de hoogte?",
    "Zo ja, sinds wanneer?",
    "Antwoord 2 en 3",
    "Zie het bericht[^1] en de brief[^2]:",
    "a. de analyse;",
    "b. de reactie.",
    "Jaar",
    "Aantal",
    "2016",
    "12",
    "Een element dat",
    "niemand kent",
]


def write(tmp_path: Path, text: str, name: str = "ah-tk-20242025-570.xml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_answer_publication(tmp_path: Path) -> None:
    source = XmlReader().read(write(tmp_path, ANSWER))

    assert source.text.split("\n") == EXPECTED_LINES
    assert source.footnotes == (
        RawFootnote(1, "Follow the Money, 24 september 2024, https://www.ftm.nl/x"),
        RawFootnote(2, "Kamerstuk 29 911, nr. 450."),
    )
    assert source.layout_clean is True
    assert source.format == "xml"
    assert source.warnings == ()
    assert "ah-tk-20242025-570" not in source.text  # metadata is not printed text
    assert source.furniture == ("ah-tk-20242025-570",)  # but names the publication


def test_registry_picks_the_xml_reader(tmp_path: Path) -> None:
    assert read(write(tmp_path, ANSWER)).format == "xml"


def test_notes_given_apart_with_references(tmp_path: Path) -> None:
    """Older files: <noot> elements apart from the text, <nootref> where the
    marker stands, some references before their note."""
    xml = """<vragen>
      <omschr>Vragen van het lid Van der Ham (D66) aan de minister van Justitie (ingezonden 3 maart 2008)</omschr>
      <vraag><nummer>Vraag 1</nummer><al>Kent u het artikel?<nootref refid="n1"/> En het rapport?<nootref refid="n2"/></al></vraag>
      <noot id="n1"><noot.nr>1</noot.nr><noot.al>De Telegraaf, 1 maart 2008.</noot.al></noot>
      <noot id="n2"><noot.nr>2</noot.nr><noot.al>Kamerstuk 31 200, nr. 5.</noot.al></noot>
      <vraag><nummer>Vraag 2</nummer><al>Wat is uw oordeel?<nootref refid="n9"/><nootref nr="7"/></al></vraag>
    </vragen>"""
    source = XmlReader().read(write(tmp_path, xml, "kv-tk-2008Z01234.xml"))

    assert source.text.split("\n") == [
        "Vragen van het lid Van der Ham (D66) aan de minister van Justitie (ingezonden 3 maart 2008)",
        "Vraag 1",
        "Kent u het artikel?[^1] En het rapport?[^2]",
        "Vraag 2",
        "Wat is uw oordeel?[^7]",
    ]
    assert [f.number for f in source.footnotes] == [1, 2]
    assert any("unknown note 'n9'" in w for w in source.warnings)
    assert any("footnote reference 7 has no matching note" in w for w in source.warnings)


def test_line_break_and_signature(tmp_path: Path) -> None:
    xml = """<kamervragen><vraag><nr>Vraag 1</nr><al>Eerste regel<br/>tweede
      regel</al></vraag><ondertekening><functie>De Minister van Defensie,</functie>
      <naam><achternaam>Brekelmans</achternaam></naam></ondertekening></kamervragen>"""
    source = XmlReader().read(write(tmp_path, xml))
    assert source.text.split("\n") == [
        "Vraag 1",
        "Eerste regel",
        "tweede regel",
        "De Minister van Defensie, Brekelmans",
    ]


def test_namespaced_document_is_read_by_local_names(tmp_path: Path) -> None:
    xml = """<op:officiele-publicatie xmlns:op="urn:example">
      <op:kamervragen><op:vraag><op:nr>Vraag 1</op:nr><op:al>Klopt dit?</op:al></op:vraag></op:kamervragen>
    </op:officiele-publicatie>"""
    assert XmlReader().read(write(tmp_path, xml)).text == "Vraag 1\nKlopt dit?"


def test_other_xml_is_read_as_text_with_a_warning(tmp_path: Path) -> None:
    source = XmlReader().read(write(tmp_path, "<brief><al>Geachte voorzitter,</al><al>Hierbij.</al></brief>"))
    assert source.text == "Geachte voorzitter,\nHierbij."
    assert any("no written-question elements" in w for w in source.warnings)


def test_text_is_nfc(tmp_path: Path) -> None:
    source = XmlReader().read(write(tmp_path, "<kamervragen><al>Kro\u0308ger</al></kamervragen>"))
    assert source.text == "Kr\u00f6ger"


def test_latin1_declared_encoding(tmp_path: Path) -> None:
    path = tmp_path / "oud.xml"
    path.write_bytes('<?xml version="1.0" encoding="ISO-8859-1"?><vragen><al>Financiën</al></vragen>'.encode("latin-1"))
    assert XmlReader().read(path).text == "Financiën"


# -------------------------------------------------------------------- errors


def test_malformed_xml(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="malformed XML"):
        XmlReader().read(write(tmp_path, "<kamervragen><vraag><al>open</vraag>"))


def test_not_xml_at_all(tmp_path: Path) -> None:
    path = tmp_path / "plaatje.xml"
    path.write_bytes(b"%PDF-1.7\n\x00\x01binary")
    with pytest.raises(ReadError):
        XmlReader().read(path)


def test_no_text(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="no text"):
        XmlReader().read(write(tmp_path, "<officiele-publicatie><metadata><meta name='x' content='y'/></metadata></officiele-publicatie>"))


def test_entity_declarations_are_refused(tmp_path: Path) -> None:
    xml = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><kamervragen><al>&a;</al></kamervragen>'
    with pytest.raises(ReadError, match="entities"):
        XmlReader().read(write(tmp_path, xml))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ReadError):
        XmlReader().read(tmp_path / "bestaat-niet.xml")
