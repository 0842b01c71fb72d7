"""The HTML reader on the real officielebekendmakingen fragments of the corpus
and on whole pages built here in the same markup."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import ReadError
from kg.model import RawFootnote
from kg.read import read
from kg.read.html import HtmlReader

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def corpus_file(name: str) -> Path:
    path = CORPUS / "docs" / name
    if not path.exists():
        pytest.skip(f"corpus file {name} not present")
    return path


def write(tmp_path: Path, html: str, name: str = "page.html", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(html.encode(encoding))
    return path


# ------------------------------------------------------------- real fragments


def test_question_fragment_2016Z00020() -> None:
    source = HtmlReader().read(corpus_file("kv-tk-2016Z00020.html-fragment.partial.html"))
    lines = source.text.split("\n")

    assert [line for line in lines if line.startswith("Vraag")] == ["Vraag 1", "Vraag 2", "Vraag 3", "Vraag 4"]
    assert lines[0] == "Vraag 1"
    assert lines[1] == (
        "Wat is uw reactie op het bericht «Veel beginnende ggz-krachten krijgen alleen onkostenvergoeding»?[^1][^2]"
    )
    # Source line breaks inside a <p> are layout of the HTML, not of the text.
    assert lines[3] == (
        "Bent u van mening dat hier sprake is van een arbeidsrelatie waarbij loon verschuldigd is? "
        "Zo ja, wat gaat u hieraan doen? Zo nee, waarom niet?"
    )
    assert len(lines) == 8
    # The fragment was cut before its notes: the numbers stay, with a warning each.
    assert source.footnotes == ()
    assert sum("has no matching note" in w for w in source.warnings) == 2
    assert source.layout_clean is True
    assert source.truncated is True
    assert source.format == "html"


def test_footnote_fragment_2016Z00047() -> None:
    source = HtmlReader().read(corpus_file("kv-tk-2016Z00047.html-footnotes-fragment.partial.html"))

    assert source.footnotes == (
        RawFootnote(1, "http://nos.nl/l/2077649"),
        RawFootnote(2, "VOG: verklaring omtrent gedrag"),
    )
    assert source.text == ""  # the note block only: no "X Noot" close buttons, no numbers
    assert source.truncated is True


# ------------------------------------------------- a whole officielebekendmakingen page

OB_PAGE = """<!DOCTYPE html>
<html lang="nl">
<head>
  <meta charset="utf-8">
  <meta name="dcterms.identifier" content="ah-tk-20142015-1365">
  <title>Aanhangsel van de Handelingen II 2014/15, 1365 | Overheid.nl</title>
  <script>var tracking = "Vraag 99";</script>
  <style>.vraag { color: red }</style>
</head>
<body>
  <header><a href="/">Overheid.nl</a> Officiële bekendmakingen</header>
  <nav><ul><li><a href="/">Home</a></li><li><a href="/zoeken">Zoeken</a></li></ul></nav>
  <div id="cookiebar">Deze site gebruikt cookies</div>
  <div id="main-column">
    <h1>Aanhangsel van de Handelingen</h1>
    <table class="table--metadata">
      <tr><th>Datum publicatie</th><th>Organisatie</th><th>Vergaderjaar</th><th>Nummer</th><th>Datum ontvangst</th></tr>
      <tr><td>10-03-2015</td><td>Tweede Kamer der Staten-Generaal</td><td>2014-2015</td><td>1365</td><td>25-02-2015</td></tr>
    </table>
    <div class="kamervragen">
      <h1 class="kamervraagomschrijving_kop no-toc">Vragen van de leden Omtzigt (CDA), Gesthuizen (SP) en Schouw (D66)
         aan de Minister van Binnenlandse Zaken en Koninkrijksrelaties over identiteitswisselingen
         (ingezonden 17 februari 2015).</h1>
      <p class="kamervraagomschrijving">Antwoord van Staatssecretaris Teeven (Veiligheid en Justitie) mede namens
         de Minister van Binnenlandse Zaken en Koninkrijksrelaties (ontvangen 25 februari 2015).
         Zie ook <a href="ah-tk-20142015-1200.html">Aanhangsel Handelingen, vergaderjaar 2014–2015, nr. 1200</a>.</p>
      <div class="vraag">
        <h2 class="stuktitel no-toc"><a id="d16e43" name="d16e43"></a>Vraag 1
        </h2>
        <p>Kunt u een overzicht geven van de identiteitsvraagstukken?<sup><a class="nootnum supernote-click-ID-1365-d37e57"
           href="#ID-1365-d37e57">1</a></sup></p>
      </div>
      <div class="antwoord">
        <h2 class="stuktitel no-toc">Antwoord 1</h2>
        <p>Het gaat om ruim 100 m<sup>2</sup> archief
        <p>De Matching Autoriteit onderzoekt:
        <ol><li>de identiteit;<li>de nationaliteit.</ol>
      </div>
      <div class="vraag">
        <h2 class="stuktitel no-toc">Vraag 2 en 3</h2>
        <p>Welke vervolgactie neemt u?<a class="nootnum supernote-click-n2" href="#n2">2</a> Wie voert die uit?</p>
      </div>
      <div class="antwoord">
        <h2 class="stuktitel no-toc">Antwoord 2 en 3</h2>
        <p>De aanleiding betrof een signaal.<br/>Zie ook noot <sup>2</sup>.</p>
      </div>
    </div>
    <div id="noten">
      <hr />
      <div class="voet noot snp-mouseoffset snb-pinned notedefault" id="supernote-note-ID-1365-d37e57">
        <h5 class="note-close"><a class="note-close" href="#close-ID-1365-d37e57">X</a> Noot</h5>
        <sup><span class="nootnum"><a id="ID-1365-d37e57" name="ID-1365-d37e57"></a>1</span></sup>
        <p>Scriptie &#8220;Identiteitsfraude&#8221;, <a href="http://example.nl/s" class="externe_link">http://example.nl/s</a></p>
      </div>
      <div class="voet noot snp-mouseoffset snb-pinned notedefault" id="supernote-note-n2">
        <h5 class="note-close"><a class="note-close" href="#close-n2">X</a> Noot</h5>
        <sup><span class="nootnum"><a id="n2" name="n2"></a>2</span></sup>
        <p>Kamerstuk 34 300 VI, nr. 12</p>
      </div>
    </div>
  </div>
  <footer><p>Over deze site</p></footer>
</body>
</html>
"""

OB_LINES = [
    "Aanhangsel van de Handelingen",
    "Datum publicatie 10-03-2015",
    "Organisatie Tweede Kamer der Staten-Generaal",
    "Vergaderjaar 2014-2015",
    "Nummer 1365",
    "Datum ontvangst 25-02-2015",
    "Vragen van de leden Omtzigt (CDA), Gesthuizen (SP) en Schouw (D66) aan de Minister van Binnenlandse Zaken "
    "en Koninkrijksrelaties over identiteitswisselingen (ingezonden 17 februari 2015).",
    "Antwoord van Staatssecretaris Teeven (Veiligheid en Justitie) mede namens de Minister van Binnenlandse Zaken "
    "en Koninkrijksrelaties (ontvangen 25 februari 2015). Zie ook Aanhangsel Handelingen, vergaderjaar 2014–2015, "
    "nr. 1200.",
    "Vraag 1",
    "Kunt u een overzicht geven van de identiteitsvraagstukken?[^1]",
    "Antwoord 1",
    "Het gaat om ruim 100 m2 archief",
    "De Matching Autoriteit onderzoekt:",
    "1. de identiteit;",
    "2. de nationaliteit.",
    "Vraag 2 en 3",
    "Welke vervolgactie neemt u?[^2] Wie voert die uit?",
    "Antwoord 2 en 3",
    "De aanleiding betrof een signaal.",
    "Zie ook noot[^2].",
]


def test_officielebekendmakingen_page(tmp_path: Path) -> None:
    source = HtmlReader().read(write(tmp_path, OB_PAGE, "ah-tk-20142015-1365.html"))

    assert source.text.split("\n") == OB_LINES
    assert source.footnotes == (
        RawFootnote(1, "Scriptie \u201cIdentiteitsfraude\u201d, http://example.nl/s"),
        RawFootnote(2, "Kamerstuk 34 300 VI, nr. 12"),
    )
    assert source.layout_clean is True
    assert source.truncated is False
    assert source.warnings == ()
    # The page's identifier is no printed text; it is kept as a PDF's footer is.
    assert source.furniture == ("ah-tk-20142015-1365",)
    assert "ah-tk-20142015-1365" not in source.text


def test_registry_picks_the_html_reader_for_htm(tmp_path: Path) -> None:
    assert read(write(tmp_path, OB_PAGE, "pagina.htm")).format == "html"


def test_reference_printed_differently_from_its_note(tmp_path: Path) -> None:
    html = """<div class="vraag"><p>Klopt dit?<a class="nootnum" href="#a">3</a></p></div>
    <div id="noten"><div class="voet noot"><span class="nootnum"><a id="a"></a>1</span><p>Bron.</p></div></div>"""
    source = HtmlReader().read(write(tmp_path, html))
    assert source.text == "Klopt dit?[^1]"  # the link decides, the printed number is reported
    assert any("printed as 3 links to note 1" in w for w in source.warnings)


# ------------------------------------------------------------- other sites

OTHER_PAGE = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252"></head>
<body>
  <header class="m-header">Tweede Kamer der Staten-Generaal</header>
  <main>
    <h1><span class="u-text-primary u-font-normal">Antwoord schriftelijke vragen</span> : Antwoord op vragen van het lid Erkens</h1>
    <div class="m-modal__content">
      <p>Vragen van het lid Erkens (VVD) aan de Minister van Binnenlandse Zaken en Koninkrijksrelaties (ingezonden 20 december 2024).</p>
      <p><strong>Vraag 1</strong></p>
      <p>Deelt u de mening dat de Rijksoverheid is gegroeid?<sup id="r1"><a href="#fn1" class="footnote-ref">1</a></sup></p>
      <p><strong>Antwoord 1</strong></p>
      <p>Ja, zie de Jaarrapportage van Financiën (€ 1 mld.).</p>
    </div>
    <section class="footnotes"><ol>
      <li id="fn1"><p>Jaarrapportage Bedrijfsvoering Rijk 2023. <a href="#r1" class="footnote-back">&#8617;</a></p></li>
    </ol></section>
    <span class="h-visually-hidden">Nummer:</span>
  </main>
  <footer>Contact</footer>
</body></html>"""


def test_page_of_another_site_with_a_footnote_list(tmp_path: Path) -> None:
    source = HtmlReader().read(write(tmp_path, OTHER_PAGE, "tk-2025D04328.html", encoding="cp1252"))

    assert source.text.split("\n") == [
        "Antwoord schriftelijke vragen : Antwoord op vragen van het lid Erkens",
        "Vragen van het lid Erkens (VVD) aan de Minister van Binnenlandse Zaken en Koninkrijksrelaties "
        "(ingezonden 20 december 2024).",
        "Vraag 1",
        "Deelt u de mening dat de Rijksoverheid is gegroeid?[^1]",
        "Antwoord 1",
        "Ja, zie de Jaarrapportage van Financiën (€ 1 mld.).",
    ]
    assert source.footnotes == (RawFootnote(1, "Jaarrapportage Bedrijfsvoering Rijk 2023."),)
    assert source.layout_clean is True


def test_plain_page_without_note_structure(tmp_path: Path) -> None:
    html = """<html><body><nav>Menu</nav><div class="content">
      <p>Vraag 1</p><p>Kent u het bericht?<sup>1</sup></p>
      <p>1 NOS, 3 maart 2024</p></div><script>x()</script></body></html>"""
    source = HtmlReader().read(write(tmp_path, html))
    # Nothing says what the 1 is: it stays as printed for the text cleaner.
    assert source.text == "Vraag 1\nKent u het bericht?1\n1 NOS, 3 maart 2024"
    assert source.footnotes == ()
    assert source.layout_clean is False


def test_text_is_nfc_and_entities_decoded(tmp_path: Path) -> None:
    source = HtmlReader().read(write(tmp_path, "<p>Kro\u0308ger &amp; Bromet&nbsp;(GroenLinks)&shy;</p>"))
    assert source.text == "Kr\u00f6ger & Bromet (GroenLinks)"


# -------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"%PDF-1.7\n%binary", "PDF"),
        (b"PK\x03\x04\x14\x00\x00\x00", "zip"),
        (b"\x00\x01\x02\x03binary", "binary"),
        (b"Vraag 1\nKent u het bericht?\n", "no markup"),
        (b"<html><head><title>Leeg</title></head><body>  <script>x()</script> </body></html>", "no text"),
    ],
)
def test_unreadable_input(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "kapot.html"
    path.write_bytes(content)
    with pytest.raises(ReadError, match=reason):
        HtmlReader().read(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ReadError):
        HtmlReader().read(tmp_path / "bestaat-niet.html")


# ------------------------------------------- sloppy markup, entities, encodings

SLOPPY_PAGE = """<html><body><div class="vraag"><h2 class="stuktitel">Vraag 1</h2>
<p>Eerste alinea
<p>Tweede alinea met <b>vet</b> en een<!-- commentaar --> woord<span class="sr-only"> verborgen</span> erachter
<ul><li>een<li>twee</ul>
<table><tr><td>a<td>b<tr><td>c<td>d</table>
<dl><dt>term<dd>uitleg</dl>
<p>Slot</div></body>"""


def test_unclosed_elements_are_closed_as_a_browser_does(tmp_path: Path) -> None:
    source = HtmlReader().read(write(tmp_path, SLOPPY_PAGE))
    assert source.text.split("\n") == [
        "Vraag 1",
        "Eerste alinea",
        # A comment splits no word; the text after a hidden element is kept.
        "Tweede alinea met vet en een woord erachter",
        "een",
        "twee",
        "a",
        "b",
        "c",
        "d",
        "term",
        "uitleg",
        "Slot",
    ]


def test_entity_heavy_page(tmp_path: Path) -> None:
    html = (
        "<p>&lt;b&gt; &amp;amp; caf&eacute; &euml;&#233;&#x20AC; &hellip; &mdash; &ldquo;citaat&rdquo; "
        "&copy;&nbsp;2024 &frac12; &#8217;s-Hertogenbosch &onbekend; AT&amp;T</p>"
    )
    source = HtmlReader().read(write(tmp_path, html))
    # Every named and numeric reference decoded once; an unknown name stays as printed.
    assert source.text == "<b> &amp; café ëé€ … — “citaat” © 2024 ½ ’s-Hertogenbosch &onbekend; AT&T"


WINDOWS_1252_PAGE = '<html><head><meta charset="windows-1252"></head><body><p>Financiën € – “ja”</p></body></html>'


@pytest.mark.parametrize(
    "content",
    [
        # A byte order mark outranks the (wrong) declared charset.
        b"\xef\xbb\xbf" + WINDOWS_1252_PAGE.encode("utf-8"),
        WINDOWS_1252_PAGE.encode("cp1252"),
        # An XML declaration naming an encoding (XHTML) is no obstacle.
        '<?xml version="1.0" encoding="UTF-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body>'
        "<p>Financiën € – “ja”</p></body></html>".encode(),
    ],
    ids=["bom-and-windows-1252-meta", "windows-1252-meta", "xhtml-declaration"],
)
def test_declared_and_marked_encodings(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "pagina.html"
    path.write_bytes(content)
    assert HtmlReader().read(path).text == "Financiën € – “ja”"


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"<!-- alleen commentaar -->", "no markup"),
        (b"a < b en c<d", "no markup"),  # a "<" in plain text is no tag
        (b"<html></html>", "no text"),
        # The parser gives up beyond a depth no real page reaches: refused, not cut short.
        (b"<p>voor</p>" + b"<div>" * 3000 + b"diep" + b"</div>" * 3000 + b"<p>na</p>", "nested too deeply"),
    ],
    ids=["comment-only", "plain-text-with-lt", "empty-document", "too-deep"],
)
def test_unreadable_markup(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "kapot.html"
    path.write_bytes(content)
    with pytest.raises(ReadError, match=reason):
        HtmlReader().read(path)
