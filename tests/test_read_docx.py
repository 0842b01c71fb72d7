"""The Word reader on .docx files built here from their OOXML parts."""
from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from kg.errors import ReadError
from kg.model import RawFootnote, SourceText
from kg.read import read
from kg.read.docx import DocxReader

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml"
 ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>"""


# ------------------------------------------------------------ building .docx


def run(text: str, extra: str = "") -> str:
    return f'<w:r>{extra}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def note_ref(note_id: int) -> str:
    return f'<w:r><w:rPr><w:rStyle w:val="Voetnootmarkering"/></w:rPr><w:footnoteReference w:id="{note_id}"/></w:r>'


def para(*content: str, num: tuple[int, int] | None = None, style: str | None = None) -> str:
    props = ""
    if style:
        props += f'<w:pStyle w:val="{style}"/>'
    if num:
        props += f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>'
    runs = "".join(c if c.startswith("<") else run(c) for c in content)
    return f"<w:p>{f'<w:pPr>{props}</w:pPr>' if props else ''}{runs}</w:p>"


def table(*rows: tuple[str, ...]) -> str:
    cells = "".join("<w:tr>" + "".join(f"<w:tc>{para(c)}</w:tc>" for c in row) + "</w:tr>" for row in rows)
    return f"<w:tbl><w:tblPr/>{cells}</w:tbl>"


def footnotes_part(notes: dict[int, str]) -> str:
    body = (
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
    )
    for note_id, text in notes.items():
        body += (
            f'<w:footnote w:id="{note_id}"><w:p><w:r><w:rPr><w:rStyle w:val="Voetnootmarkering"/></w:rPr>'
            f"<w:footnoteRef/></w:r>{run(' ')}{run(text)}</w:p></w:footnote>"
        )
    return f'<w:footnotes xmlns:w="{W}">{body}</w:footnotes>'


def write_docx(
    path: Path,
    body: str,
    *,
    footnotes: dict[int, str] | None = None,
    numbering: str | None = None,
    styles: str | None = None,
    header: str | None = None,
) -> Path:
    rels = []
    parts = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": (
            f'<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" '
            f'Type="{REL}/officeDocument" Target="word/document.xml"/></Relationships>'
        ),
        "word/document.xml": (
            f'<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>{body}'
            '<w:sectPr><w:headerReference w:type="default" r:id="rIdH"/></w:sectPr></w:body></w:document>'
        ),
    }
    for name, rel_type, xml in (
        ("footnotes.xml", "footnotes", footnotes_part(footnotes) if footnotes is not None else None),
        ("numbering.xml", "numbering", numbering),
        ("styles.xml", "styles", styles),
        ("header1.xml", "header", header),
    ):
        if xml is not None:
            parts[f"word/{name}"] = xml
            rels.append(f'<Relationship Id="rId{len(rels) + 1}" Type="{REL}/{rel_type}" Target="{name}"/>')
    parts["word/_rels/document.xml.rels"] = f'<Relationships xmlns="{PKG_REL}">{"".join(rels)}</Relationships>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, xml in parts.items():
            archive.writestr(name, xml)
    return path


def lines_of(source: SourceText) -> list[str]:
    return source.text.split("\n")


# ------------------------------------------------------------------- reading


def test_answer_with_table_and_footnotes(tmp_path: Path) -> None:
    body = "".join(
        [
            para("AH 604"),
            para("2024Z18294"),
            para("Antwoord van minister Van Weel (Justitie en Veiligheid) (ontvangen 20 november 2024)"),
            para(""),
            para("Vraag 1"),
            para("Hoe is het kwaliteitskader tot stand gekomen?", note_ref(7)),
            para("Antwoord op vraag 1"),
            para("In zijn ", run("initiatiefnota", '<w:rPr><w:i/></w:rPr>'), " stelde hij voor", note_ref(2), "."),
            table(("Vraag 2", "Klopt het?"), ("Antwoord op vraag 2", "Ja.")),
        ]
    )
    path = write_docx(tmp_path / "antwoord.docx", body, footnotes={2: "Kamerstuk 28 741, nr. 98", 7: "NOS, 1 juni 2024"})

    source = DocxReader().read(path)

    assert lines_of(source) == [
        "AH 604",
        "2024Z18294",
        "Antwoord van minister Van Weel (Justitie en Veiligheid) (ontvangen 20 november 2024)",
        "Vraag 1",
        "Hoe is het kwaliteitskader tot stand gekomen?[^1]",
        "Antwoord op vraag 1",
        "In zijn initiatiefnota stelde hij voor[^2].",
        "Vraag 2",
        "Klopt het?",
        "Antwoord op vraag 2",
        "Ja.",
    ]
    # Numbered in the order the references stand, not by their w:id.
    assert source.footnotes == (RawFootnote(1, "NOS, 1 juni 2024"), RawFootnote(2, "Kamerstuk 28 741, nr. 98"))
    assert source.layout_clean is True
    assert source.format == "docx"
    assert source.warnings == ()
    assert len(source.sha256) == 64


def test_registry_picks_the_docx_reader(tmp_path: Path) -> None:
    path = write_docx(tmp_path / "vragen.docx", para("Vraag 1"))
    assert read(path).format == "docx"


def test_run_details_print_as_word_prints_them(tmp_path: Path) -> None:
    body = para(
        run("Zie"),
        '<w:r><w:tab/></w:r>',
        run("de brief"),
        '<w:r><w:rPr><w:vanish/></w:rPr><w:t>verborgen</w:t></w:r>',
        '<w:del w:id="1" w:author="x"><w:r><w:delText>geschrapt </w:delText></w:r></w:del>',
        '<w:ins w:id="2" w:author="x"><w:r><w:t xml:space="preserve"> van 3 juni</w:t></w:r></w:ins>',
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> HYPERLINK "https://x.nl" </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>',
        run(" (link)"),
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
        '<w:hyperlink r:id="rId9"><w:r><w:t xml:space="preserve"> hier</w:t></w:r></w:hyperlink>',
        '<w:r><w:br/><w:t>tweede regel</w:t></w:r>',
    )
    source = DocxReader().read(write_docx(tmp_path / "runs.docx", body))
    assert lines_of(source) == ["Zie de brief van 3 juni (link) hier", "tweede regel"]


def test_list_numbers_are_printed(tmp_path: Path) -> None:
    numbering = f"""<w:numbering xmlns:w="{W}">
      <w:abstractNum w:abstractNumId="10">
        <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
        <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2)"/></w:lvl>
      </w:abstractNum>
      <w:abstractNum w:abstractNumId="20">
        <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="\uf0b7"/></w:lvl>
      </w:abstractNum>
      <w:abstractNum w:abstractNumId="30">
        <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="Vraag %1"/></w:lvl>
      </w:abstractNum>
      <w:num w:numId="1"><w:abstractNumId w:val="10"/></w:num>
      <w:num w:numId="2"><w:abstractNumId w:val="20"/></w:num>
      <w:num w:numId="3"><w:abstractNumId w:val="30"/></w:num>
      <w:num w:numId="4"><w:abstractNumId w:val="10"/>
        <w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>
    </w:numbering>"""
    styles = f"""<w:styles xmlns:w="{W}">
      <w:style w:type="paragraph" w:styleId="Vraagkop"><w:pPr><w:numPr><w:numId w:val="3"/></w:numPr></w:pPr></w:style>
      <w:style w:type="paragraph" w:styleId="VraagkopVet"><w:basedOn w:val="Vraagkop"/></w:style>
    </w:styles>"""
    body = "".join(
        [
            para("Kunt u bevestigen dat IAI aanwezig is?", num=(1, 0)),
            para("eerste deel", num=(1, 1)),
            para("tweede deel", num=(1, 1)),
            para("Zijn ook andere bedrijven aanwezig?", num=(1, 0)),
            para("een opsomming", num=(2, 0)),
            para(style="Vraagkop"),
            para(style="VraagkopVet"),
            para("Een lijst die bij 5 begint", num=(4, 0)),
        ]
    )
    source = DocxReader().read(write_docx(tmp_path / "lijst.docx", body, numbering=numbering, styles=styles))
    assert lines_of(source) == [
        "1. Kunt u bevestigen dat IAI aanwezig is?",
        "a) eerste deel",
        "b) tweede deel",
        "2. Zijn ook andere bedrijven aanwezig?",
        "een opsomming",
        "Vraag 1",
        "Vraag 2",
        "5. Een lijst die bij 5 begint",
    ]


def test_header_is_furniture_not_text(tmp_path: Path) -> None:
    header = f'<w:hdr xmlns:w="{W}">{para("Ministerie van Justitie en Veiligheid")}</w:hdr>'
    source = DocxReader().read(write_docx(tmp_path / "kop.docx", para("Vraag 1"), header=header))
    assert source.text == "Vraag 1"
    assert source.furniture == ("Ministerie van Justitie en Veiligheid",)


def test_reference_without_note_text_keeps_its_number(tmp_path: Path) -> None:
    body = para("Kent u het bericht?", note_ref(4))
    source = DocxReader().read(write_docx(tmp_path / "noot.docx", body, footnotes={}))
    assert source.text == "Kent u het bericht?[^1]"
    assert source.footnotes == ()
    assert any("footnote reference 1 has no footnote text" in w for w in source.warnings)


def test_text_is_nfc(tmp_path: Path) -> None:
    source = DocxReader().read(write_docx(tmp_path / "nfc.docx", para("Kro\u0308ger (GroenLinks)")))
    assert source.text == "Kr\u00f6ger (GroenLinks)"


# ------------------------------------------------------- corpus-shaped files


def _corpus_lines(name: str) -> list[str]:
    path = CORPUS / "docs" / name
    if not path.exists():
        pytest.skip(f"corpus file {name} not present")
    return [" ".join(line.split()) for line in path.read_text(encoding="utf-8").splitlines()]


def test_ministry_answer_layout_survives(tmp_path: Path) -> None:
    """The text of the real AH 604 answer, one Word paragraph per line."""
    lines = [line for line in _corpus_lines("ah-tk-20242025-604.docx-text.txt") if line]
    path = write_docx(tmp_path / "ah-tk-20242025-604.docx", "".join(para(line) for line in lines))

    got = lines_of(DocxReader().read(path))

    assert got == lines
    assert got[:3] == ["AH 604", "2024Z18294", "Antwoord van minister Van Weel (Justitie en Veiligheid) (ontvangen 20 november 2024)"]
    headings = [line for line in got if line.startswith(("Vraag ", "Antwoord op vraag"))]
    assert headings[:4] == ["Vraag 1", "Antwoord op vraag 1", "Vraag 2", "Antwoord op vraag 2"]
    assert "Antwoord op vraag 3 en 4" in headings


def test_submitted_questions_with_a_word_footnote(tmp_path: Path) -> None:
    """2024Z18891 as submitted, its typed note '1)' made a real Word footnote."""
    lines = [line for line in _corpus_lines("2024Z18891.docx-text.txt") if line]
    note = next(line for line in lines if line.startswith("1) "))
    body = ""
    for line in lines:
        if line == note:
            continue
        if line.endswith("? 1)"):
            body += para(line[: -len(" 1)")], note_ref(1))
        else:
            body += para(line)
    path = write_docx(tmp_path / "2024Z18891.docx", body, footnotes={1: note[len("1) "):]})

    source = DocxReader().read(path)

    got = lines_of(source)
    assert got[0] == "2024Z18891"
    assert got[2].startswith("Vragen van het lid Tseggai (GroenLinks-PvdA) aan de minister van Justitie en Veiligheid")
    assert got[3] == (
        "Kent u het bericht 'Berucht escortbureau Nirvana kreeg vergunning ondanks voor "
        "mensenhandel veroordeelde oprichter'?[^1]"
    )
    assert len(got) == 9  # zaak, date, title and the six questions
    assert source.footnotes[0].number == 1
    assert source.footnotes[0].text.startswith("Pointer, 17 november 2024, Berucht escortbureau Nirvana")
    assert source.layout_clean is True


# -------------------------------------------------------------------- errors


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "kapot.docx"
    path.write_bytes(b"dit is geen zip")
    with pytest.raises(ReadError, match="zip"):
        DocxReader().read(path)


def test_truncated_zip(tmp_path: Path) -> None:
    whole = write_docx(tmp_path / "heel.docx", para("Vraag 1")).read_bytes()
    path = tmp_path / "half.docx"
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(ReadError):
        DocxReader().read(path)


def test_zip_without_word_document(tmp_path: Path) -> None:
    path = tmp_path / "leeg.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "geen Word")
    with pytest.raises(ReadError, match="no Word document part"):
        DocxReader().read(path)


def test_malformed_document_part(tmp_path: Path) -> None:
    path = write_docx(tmp_path / "stuk.docx", "<w:p><w:r><w:t>open")
    with pytest.raises(ReadError, match="malformed XML"):
        DocxReader().read(path)


def test_document_without_text(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="no text"):
        DocxReader().read(write_docx(tmp_path / "leeg.docx", para("") + para("   ")))


def test_old_binary_word_file(tmp_path: Path) -> None:
    path = tmp_path / "oud.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    with pytest.raises(ReadError, match=r"\.doc"):
        DocxReader().read(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ReadError):
        DocxReader().read(tmp_path / "bestaat-niet.docx")
