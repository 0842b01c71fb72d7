"""kg.parse.citations: citations of official publications and web links.

The citation strings are taken from the development corpus (real
publications) or named by the project; nothing here reads shared/.
"""
from __future__ import annotations

import re

import pytest

from kg.parse.citations import CitationMatch, find_citations, find_web_links


def ids(text: str, **kw: str) -> list[str]:
    return [m.identifier for m in find_citations(text, **kw)]


def fold(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


# ------------------------------------------------------------------ forms
FORMS: list[tuple[str, list[str]]] = [
    # Aanhangsel Handelingen
    ("Zie ook Aanhangsel Handelingen, vergaderjaar 2018–2019, nr. 3626.", ["ah-tk-20182019-3626"]),
    ("1 Aanhangsel van de Handelingen, vergaderjaar 2023–2024, nr. 76 (2023D39037); Mind Platform,", ["ah-tk-20232024-76"]),
    ("Aanhangsel Handelingen II 2023/24, nr. 76", ["ah-tk-20232024-76"]),
    ("Aanhangsel Handelingen II 2023/2024, nr. 76", ["ah-tk-20232024-76"]),
    ("Zie ook Aanhangsel \nHandelingen, vergaderjaar 2023–2024, 1028 \n", ["ah-tk-20232024-1028"]),
    ("1 Aanhangsel Handelingen, vergaderjaar 2018–2019, nrs. 1268 en 1974", ["ah-tk-20182019-1268", "ah-tk-20182019-1974"]),
    ("18 november 2024). Zie ook Aanhangsel Handelingen, vergaderjaar 2024–2025,nr. 318.", ["ah-tk-20242025-318"]),
    ("Zie ook Aanhangsel Handelingen,vergaderjaar 2024–2025, nr. 342.", ["ah-tk-20242025-342"]),
    ("Zie ook Aanhangsel Handelingen, vergaderjaar 2024-2025, nr. 461", ["ah-tk-20242025-461"]),
    ("Zie ook Aanhangsel Handelingen, vergaderjaar\n2023–2024, nr. 1283.", ["ah-tk-20232024-1283"]),
    ("Zie ook Aanhangsel Handelingen, vergaderjaar 2014–2015, nr. 403 Vraag 1 Kent u", ["ah-tk-20142015-403"]),
    ("Aanhangsel\u00a0Handelingen,\u00a0vergaderjaar\u00a02023–2024,\u00a0nr.\u00a076", ["ah-tk-20232024-76"]),
    # Kamerstukken
    ("2Kamerstuk 29 383, nr. 406.", ["kst-29383-406"]),
    ("Kamerstukken II 2023/24, 36 200 VI, nr. 12", ["kst-36200-VI-12"]),
    ("per direct van de landelijke vrijstellingslijst af halen (Kamerstuk 36 410 XIV, nr. 9)", ["kst-36410-XIV-9"]),
    ("3 Kamerstuk, 28 828, nr. 70 4 Kamerstuk, 28 828, nr. 70 ah-tk-20142015-698 ISSN", ["kst-28828-70", "kst-28828-70"]),
    ("3 Kamerstuk 21 501-02, nr. 2498 (https://www.tweedekamer.nl/kamerstukken/moties/", ["kst-21501-02-2498"]),
    ("7 Motie Ceder, Kamerstuk 21 501-02 nr. 2732", ["kst-21501-02-2732"]),
    ("d.d. 11 oktober 2023 (Kamerstuk\n21 501-02, nr. 2737) gaat het kabinet", ["kst-21501-02-2737"]),
    ("Kamerstuk 36 471-64", ["kst-36471-64"]),
    ("(Kamerstuk 33529, nr. 1219) toe te passen", ["kst-33529-1219"]),
    ("5Bijlage bij Kamerstuk 29 383, nr. 384.", ["kst-29383-384"]),
    ("1 Bijlage 1 van kamerstuk 32 813, nr. 1395", ["kst-32813-1395"]),
    ("Kamerstukken 23 645, nr. 811 en 29 984, nr. 1207", ["kst-23645-811", "kst-29984-1207"]),
    ("te voorkomen (Kamerstuk-ken 23 645, nr. 811 en 29 984, nr. 1207). Daarnaast", ["kst-23645-811", "kst-29984-1207"]),
    ("(Kamer-stuk 23 645, nr. 828)", ["kst-23645-828"]),
    ("4 Tweede Kamer, vergaderjaar 2022–2023, 26 485, nr. 424", ["kst-26485-424"]),
    ("2 TK 2023/24, 31 839, nr. 1024.", ["kst-31839-1024"]),
    ("in reactie op de motie (TK vergaderjaar 2023–2024, 36 410 XVI, nr. 116) vande leden", ["kst-36410-XVI-116"]),
    ("zoals verzocht in de aangenomen motie Ellian (24 587, nr. 969)?", ["kst-24587-969"]),
    ("de motie Ellian (24 587, nr. 969)[^3] en", ["kst-24587-969"]),
    ("uitvoering wil geven aan de motie van het lid Akerboom, 36 410 XIV, nr. 9,", ["kst-36410-XIV-9"]),
    ("6 Kamerstuk 25 424, nr. 650 (25 424, nr. 650).", ["kst-25424-650", "kst-25424-650"]),
    ("1 Kamerstuk 36 200 IV, nr. 25.", ["kst-36200-IV-25"]),
    ("2 Kamerstukken II 2023/24, 36 410 IV, nr. 15", ["kst-36410-IV-15"]),
    ("1Kamerstuk 36 410 VIII, nr. 112", ["kst-36410-VIII-112"]),
    ("2Kamerstukken II 2021–2022, 29 279, nr. 339", ["kst-29279-339"]),
    ("3Kamerstukken II, 2021–2022, 29 279, nr. 353", ["kst-29279-353"]),
    ("2Bijlage bij Kamerstukken II 2023/2024, 32 140, nr. 174.", ["kst-32140-174"]),
    ("de motie-Van Nispen c.s. (Kamerstuk 24 587, nr. 995)(ingezonden 15 november 2024).", ["kst-24587-995"]),
    ("5 Kamerstuk 22 054, nr. 395, d.d. 14 juli 2023.", ["kst-22054-395"]),
    ("14 Kamerstukken II, 25 424, nr. 679, nr. 684 en 685, en het IZA", ["kst-25424-679", "kst-25424-684", "kst-25424-685"]),
    ("17 Kamerstukken ll 2023/24, 36 410 XVI, nr. 160", ["kst-36410-XVI-160"]),
    ("Kst. 36 200-VI, nr. 12", ["kst-36200-VI-12"]),
    # Handelingen
    ("Handelingen II 2018/19, nr. 12, item 5", ["h-tk-20182019-12-5"]),
    ("Handelingen I 2018/19, nr. 12, item 5", ["h-ek-20182019-12-5"]),
    ("Handelingen II 2023/24, nr. 45, items 7 en 8", ["h-tk-20232024-45-7", "h-tk-20232024-45-8"]),
    # Staatsblad, Staatscourant
    ("2Stb. 2024, 153, het inwerkingtredingsbesluit is gepubliceerd in Stb. 2024, 213.", ["stb-2024-153", "stb-2024-213"]),
    ("Stcrt. 2024, 1234", ["stcrt-2024-1234"]),
    ("Staatscourant 2024, 1234", ["stcrt-2024-1234"]),
    ("Staatsblad 2024, 153", ["stb-2024-153"]),
    ("Stcrt. 2024, nr. 1234", ["stcrt-2024-1234"]),
    # zaak numbers: question publications
    ("2024Z14250", ["kv-tk-2024Z14250"]),
    ("ingezonden 25 september 2024 (vraagnummer 2024Z14250)", ["kv-tk-2024Z14250"]),
    ("ingezonden 25 september 2024 (vraag-nummer 2024Z14250).", ["kv-tk-2024Z14250"]),
    ("bericht «Wachttijden ggz niet goed vastgelegd, zeggen onderzoekers»(2024Z16988) kunnen", ["kv-tk-2024Z16988"]),
    ("2024Z 17972", ["kv-tk-2024Z17972"]),
    ("Van der Staaij (2022D22285) en GroenLinks-leden Westerveld en Bouchallikh \n(2022Z10723), niets", ["kv-tk-2022Z10723"]),
    # Eerste Kamer
    ("Aanhangsel Handelingen I 2023/24, nr. 5", ["ah-ek-20232024-5"]),
    ("Kamerstukken I 2023/24, 36 200 VI, nr. A", ["kst-36200-VI-A"]),
    ("Eerste Kamer, vergaderjaar 2022–2023, 36 200, nr. A", ["kst-36200-A"]),
]


@pytest.mark.parametrize(("text", "expected"), FORMS, ids=[f[0][:50] for f in FORMS])
def test_form(text: str, expected: list[str]) -> None:
    assert ids(text) == expected


NEGATIVES: list[str] = [
    "(2023D39037)",
    "Bisschop en Van der Staaij (2022D22285)",
    "footnote 1 ECLI:NL:RBMNE:2021:6269",
    "het arrest C-373/19 van het Hof",
    "2 Zie A/67/828–S/2013/210",
    "de motie Van Dijk (PVV)",
    "de motie Bikker-Van den Hil",
    "op 14 juli 2023 en 22 mei 2014",
    "€ 2,8 miljard",
    "12 140 woningen, nr. 5",
    "€ 12 345, nr. 3",
    "amendement van het lid Martens-America ter vervanging van nr. 45 over",
    "1 Antwoorden op Kamervragen over gevolgen quantumtechnologie voor encryptie | Kamerstuk | Rijksoverheid.nl",
    "2 Kamerbrief over Voortgangsrapportage vertegenwoordigen 2023 | Kamerstuk | Rijksoverheid.nl",
    "’s-Gravenhage 2023Tweede Kamer, vergaderjaar 2022–2023, Aanhangsel 1Antwoord 3",
    "Tweede Kamer, vergaderjaar 2023–2024, Aanhangsel\n\n2\n",
    "ah-tk-20232024-1178 ISSN 0921 - 7398",
    "kv-tk-2024Z18436\n’s-Gravenhage 2024",
    "h tk 20232024 302",
    "Vergaderjaar 2023–2024 Aanhangsel van de Handelingen Vragen gesteld door de leden der Kamer 1178",
    "het uitvoeren vanveel medische handelingen te verminderen",
    "Kamerstuk 21 501-02",  # a dossier, no document
    "Handelingen II 2018/19, nr. 12",  # no item: not a complete identifier
    "'VNVR-resolutie 2735'",
    "33529, nr. 1219",  # an unspaced dossier only counts after a series name or "("
    "11 3628105–1050416-CZ",
    "AH 604",
    "Stb. 2024 153",
    "Aanhangsel Handelingen, vergaderjaar 2023–2024\n2\nVraag 1",
    "https://www.tweedekamer.nl/kamervragen/detail?id=2024Z14250",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_not_a_citation(text: str) -> None:
    assert find_citations(text) == []


def test_date_after_number_is_not_a_list() -> None:
    assert ids("(Kamerstuk 29 383, nr. 406, 2 juni 2023)") == ["kst-29383-406"]
    assert ids("Kamerstuk 29 383, nr. 12 en 13 juni") == ["kst-29383-12"]


# ---------------------------------------------------------- year misprint
def test_misprinted_year_is_corrected() -> None:
    [m] = find_citations("4(Aanhangsel Handelingen, vergaderjaar 2022–203, nr. 844).")
    assert m.identifier == "ah-tk-20222023-844"
    assert m.corrected_from == "ah-tk-2022203-844"
    assert m.citaat == "Aanhangsel Handelingen, vergaderjaar 2022–203, nr. 844"


@pytest.mark.parametrize(
    "text",
    [
        "Aanhangsel Handelingen, vergaderjaar 2022–2023, nr. 844",
        "Aanhangsel Handelingen II 2022/23, nr. 844",
        "Aanhangsel Handelingen II 2022-2023, nr. 844",
    ],
)
def test_correct_year_has_no_correction(text: str) -> None:
    [m] = find_citations(text)
    assert (m.identifier, m.corrected_from) == ("ah-tk-20222023-844", None)


def test_century_turn() -> None:
    [m] = find_citations("Aanhangsel Handelingen, vergaderjaar 1999/00, nr. 3")
    assert (m.identifier, m.corrected_from) == ("ah-tk-19992000-3", None)


# ------------------------------------------------------- lists and spans
def test_list_gives_one_match_per_identifier_with_one_span() -> None:
    text = "1 Aanhangsel Handelingen, vergaderjaar 2018–2019, nrs. 1268 en 1974\n"
    a, b = find_citations(text)
    assert (a.identifier, b.identifier) == ("ah-tk-20182019-1268", "ah-tk-20182019-1974")
    assert (a.start, a.end, a.citaat) == (b.start, b.end, b.citaat)
    assert a.citaat == "Aanhangsel Handelingen, vergaderjaar 2018–2019, nrs. 1268 en 1974"
    assert text[a.start : a.end] == a.citaat
    assert a.scheme == b.scheme == "ah"


def test_dossier_pair_list_shares_the_span() -> None:
    text = "(Kamerstuk-ken 23 645, nr. 811 en 29 984, nr. 1207)."
    a, b = find_citations(text)
    assert a.citaat == b.citaat == "Kamerstuk-ken 23 645, nr. 811 en 29 984, nr. 1207"


@pytest.mark.parametrize(("text", "_"), FORMS, ids=[f[0][:50] for f in FORMS])
def test_span_holds_the_citaat(text: str, _: list[str]) -> None:
    for m in find_citations(text):
        assert fold(text[m.start : m.end]) == m.citaat
        assert m.citaat and m.identifier.startswith(m.scheme + "-")


def test_citaat_folds_whitespace() -> None:
    text = "Zie ook Aanhangsel Handelingen, vergaderjaar \n2018–2019, nr. 3626. "
    [m] = find_citations(text)
    assert m.citaat == "Aanhangsel Handelingen, vergaderjaar 2018–2019, nr. 3626"
    assert text[m.start : m.end] == "Aanhangsel Handelingen, vergaderjaar \n2018–2019, nr. 3626"


def test_text_order_and_repeats_kept() -> None:
    text = (
        "Kamerstuk 36 410, nr. 74 en Stb. 2024, 153. Zie (2024Z16988) en later "
        "opnieuw Kamerstuk 36 410, nr. 74 en Handelingen II 2018/19, nr. 12, item 5."
    )
    found = find_citations(text)
    assert [m.identifier for m in found] == [
        "kst-36410-74",
        "stb-2024-153",
        "kv-tk-2024Z16988",
        "kst-36410-74",
        "h-tk-20182019-12-5",
    ]
    assert [m.start for m in found] == sorted(m.start for m in found)
    assert [m.scheme for m in found] == ["kst", "stb", "kv", "kst", "h"]
    assert find_citations(text) == found  # deterministic


def test_bare_pair_inside_prefixed_citation_is_not_counted_twice() -> None:
    assert ids("Kamerstuk 29 383, nr. 406") == ["kst-29383-406"]
    assert ids("Tweede Kamer, vergaderjaar 2017–2018, 26 485, nr. 267") == ["kst-26485-267"]


def test_result_type() -> None:
    [m] = find_citations("Stb. 2024, 153")
    assert isinstance(m, CitationMatch)
    assert m == CitationMatch("stb-2024-153", "Stb. 2024, 153", 0, 14, "stb", None)


# ------------------------------------------------------------- chambers
def test_default_kamer() -> None:
    assert ids("Aanhangsel Handelingen, vergaderjaar 2023–2024, nr. 5", default_kamer="ek") == ["ah-ek-20232024-5"]
    assert ids("Aanhangsel Handelingen II 2023/24, nr. 5", default_kamer="ek") == ["ah-tk-20232024-5"]
    assert ids("(2024Z16988)", default_kamer="ek") == ["kv-ek-2024Z16988"]
    # Kamerstukken identifiers have no chamber.
    assert ids("Kamerstukken I 2023/24, 36 200 VI, nr. 12", default_kamer="ek") == ["kst-36200-VI-12"]


def test_bad_default_kamer() -> None:
    with pytest.raises(ValueError):
        find_citations("x", default_kamer="TweedeKamer")


# ------------------------------------------------------------- web links
def urls(text: str) -> list[str]:
    return [u for u, _, _ in find_web_links(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1X, 23 oktober 2024 (https://x.com/hubertsmeets/status/1849009806952071192)\n",
         ["https://x.com/hubertsmeets/status/1849009806952071192"]),
        ("2 https://puc.overheid.nl/nza/doc/PUC_743104_22/1/.\n", ["https://puc.overheid.nl/nza/doc/PUC_743104_22/1/"]),
        ("6 www.mozambiquelng.co.mz/sustainability/resettlement/\n7 www.gulhifalhu.mv\n",
         ["www.mozambiquelng.co.mz/sustainability/resettlement/", "www.gulhifalhu.mv"]),
        ('<a href="http://nos.nl/l/2077649" title="link">', ["http://nos.nl/l/2077649"]),
        ("zie https://en.wikipedia.org/wiki/Foo_(bar) voor", ["https://en.wikipedia.org/wiki/Foo_(bar)"]),
        ("«Extreme downpours». (https://www.worldweatherattribution.org/extreme/)[^2]",
         ["https://www.worldweatherattribution.org/extreme/"]),
    ],
)
def test_web_links(text: str, expected: list[str]) -> None:
    assert urls(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # right after the scheme
        ("«Aanpassingen wapenexportcontrolebeleid» (https://\n\nwww.rijksoverheid.nl/actueel/nieuws/2023/10/04/"
         "aanpassingen-wapenexportcontrolebeleid)\n\n5 Kamerstuk 22 054, nr. 395",
         "https://www.rijksoverheid.nl/actueel/nieuws/2023/10/04/aanpassingen-wapenexportcontrolebeleid"),
        # after a hyphen
        ("1 NOS, 14 augustus 2024 (https://nos.nl/artikel/2533225-aanbieders-jeugdzorg-komen-niet-of-\n\n"
         "nauwelijks-meer-rond)\n", "https://nos.nl/artikel/2533225-aanbieders-jeugdzorg-komen-niet-of-nauwelijks-meer-rond"),
        # over three lines, a %-escape starting the last
        ("Regenboogprovincies, https://\n\nwww.movisie.nl/sites/movisie.nl/files/2022-03/220315_%20Regenboogbeleid%20provincies\n"
         "%202022.pdf\n\nTweede Kamer, vergaderjaar 2023–2024, Aanhangsel\n",
         "https://www.movisie.nl/sites/movisie.nl/files/2022-03/220315_%20Regenboogbeleid%20provincies%202022.pdf"),
        # after "/" before a query
        ("nr. 2498 (https://www.tweedekamer.nl/kamerstukken/moties/\n\ndetail?id=2022D25169&did=2022D25169)\n",
         "https://www.tweedekamer.nl/kamerstukken/moties/detail?id=2022D25169&did=2022D25169"),
        # after "/" before the line that closes the bracket
        ("(https://www.hartvannederland.nl/regio/overijssel/\n\nsinterklaasintocht-in-enter-afgelast)\n",
         "https://www.hartvannederland.nl/regio/overijssel/sinterklaasintocht-in-enter-afgelast"),
    ],
)
def test_broken_link_rejoined_when_certain(text: str, expected: str) -> None:
    [(url, start, end)] = find_web_links(text)
    assert url == expected
    assert re.sub(r"\s+", "", text[start:end]) == url


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("raadplegen via https://www.oecd.org/\n\nTweede Kamer, vergaderjaar 2023–2024, Aanhangsel\n",
         "https://www.oecd.org/"),
        ("1 https://www.bothends.org/en/Whats-new/Publicaties/Dredging-Destruction/\n\nah-tk-20232024-1786\nISSN 0921",
         "https://www.bothends.org/en/Whats-new/Publicaties/Dredging-Destruction/"),
        ("(https://www.bd.nl/binnenland/x~a1b2a0fc/?cb=\n\nah-tk-20222023-3649\nISSN", "https://www.bd.nl/binnenland/x~a1b2a0fc/?cb="),
        ("https://nos.nl/artikel/2510977-kritiek\nHet kabinet is", "https://nos.nl/artikel/2510977-kritiek"),
        ("https://nos.nl/artikel/\nvervolg", "https://nos.nl/artikel/"),
    ],
)
def test_broken_link_cut_when_not_certain(text: str, expected: str) -> None:
    [(url, start, end)] = find_web_links(text)
    assert url == expected
    assert text[start:end] == url


def test_link_spans_in_order() -> None:
    text = "a https://a.nl/x en www.b.nl/y."
    links = find_web_links(text)
    assert [(u, text[s:e]) for u, s, e in links] == [("https://a.nl/x", "https://a.nl/x"), ("www.b.nl/y", "www.b.nl/y")]


def test_no_links() -> None:
    assert find_web_links("Kamerstuk 29 383, nr. 406 en www. niets") == []
