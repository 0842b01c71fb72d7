"""Words glued where a line break lost its space.

PDF extraction drops the space at some line ends ("(ontvangen27 mei 2024)",
"MinisterSociale Zaken", "Defensie overde levering"). The header must give the
same facts however many of its line breaks lost their space. The corpus test
takes every text of the development corpus, removes the space at each line
break of the header paragraphs (each break alone, then all at once) and
compares the facts with those of the text as it is; the phenomenon tests
below print the joins seen in real publications into headers of every layout.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from pathlib import Path

import pytest

from kg.errors import KgError
from kg.model import SourceText
from kg.parse import parse
from kg.parse.lexicon import fold
from kg.read import read

# Where the header ends: the first question or answer heading, a numbered
# question ("1." or a bare "1" on its line), or after the paragraph that ends
# in the submission date.
_BODY_START = re.compile(
    r"^\s*(?:(?:Vraag|Vragen)\s+\d|Antwoord(?:en)?(?:\s+op\s+vraag)?\s*\d|Antwoord\s*:?\s*$|\d{1,2}[.)]?\s*(?:$|[A-Z]))"
)
_TITLE = re.compile(r"^\s*(?:Mondelinge\s+)?Vragen\s+van\b")
_NOTICE = re.compile(r"^\s*Mededeling\s*$")
_FOOTER = re.compile(r"^\s*(?:(?:Tweede|Eerste) Kamer,\s*vergaderjaar|(?:ah|kv)-(?:tk|ek)-|ISSN)")


def facts(p) -> dict:
    """The header facts a reader takes from the title and answer paragraphs."""
    return {
        "identifier": p.identifier,
        "kamer": p.kamer,
        "vergaderjaar": p.vergaderjaar,
        "nummer": p.nummer,
        "zaaknummer": p.zaaknummer,
        "soort": p.soort,
        "ingezonden": p.ingezonden,
        "ontvangen": p.ontvangen,
        "askers": [(x.achternaam, x.fractie) for x in p.vragenstellers],
        "offices": [o.label for o in p.gericht_aan],
        "answerers": [(b.achternaam, b.office.label if b.office else None) for b in p.beantwoord_door],
        "mede_namens": [o.label for o in p.mede_namens],
        # A lost space or a hyphen left inside a word is no change of subject.
        "onderwerp": fold(p.onderwerp or ""),
        "questions": len(p.vragen),
    }


def header_spans(lines: list[str]) -> list[tuple[int, int]]:
    """(first, last) line index of the header paragraphs: everything above the
    first question, and a closing "Mededeling" paragraph up to its page footer."""
    end = len(lines)
    title = next((i for i, ln in enumerate(lines) if _TITLE.match(ln)), None)
    for i, ln in enumerate(lines):
        if _BODY_START.match(ln) and (title is None or i > title):
            end = i
            break
    if title is not None and any("ingezonden" in ln for ln in lines[:title]):
        end = min(end, title + 1)  # a Word question text: date, title line, then the questions unnumbered
    spans = [(0, end - 1)]
    for i, ln in enumerate(lines):
        if i >= end and _NOTICE.match(ln):
            stop = next((j for j in range(i + 1, len(lines)) if _FOOTER.match(lines[j]) or not lines[j].strip()), len(lines))
            spans.append((i, stop - 1))
    return spans


def glue(text: str, which: set[int] | None) -> tuple[str, int]:
    """The text with the line breaks of its header paragraphs joined without a
    space: only break number ``which`` when given, else all of them. Blank
    lines between two header lines go with the break (a Word file's paragraphs)."""
    lines = text.split("\n")
    breaks: list[tuple[int, int]] = []  # (line before, next non-blank line)
    for first, last in header_spans(lines):
        content = [i for i in range(first, last + 1) if lines[i].strip()]
        breaks.extend(zip(content, content[1:]))
    out = list(lines)
    joined_into: dict[int, int] = {}
    for n, (a, b) in enumerate(breaks):
        if which is not None and n not in which:
            continue
        target = joined_into.get(a, a)
        out[target] = out[target].rstrip() + out[b].lstrip()
        for k in range(a + 1, b + 1):
            out[k] = None  # type: ignore[call-overload]
        joined_into[b] = target
    return "\n".join(ln for ln in out if ln is not None), len(breaks)


def _texts(corpus: Path) -> list[Path]:
    return sorted(p for p in (corpus / "docs").iterdir() if p.suffix in (".txt", ".md"))


def _parse_text(path: Path, source: SourceText, text: str):
    return parse(replace(source, text=text))


def test_corpus_headers_survive_lost_spaces(corpus):
    failures: list[str] = []
    checked = 0
    for path in _texts(corpus):
        source = read(path)
        try:
            want = facts(parse(source))
        except KgError:
            continue  # a text that holds no publication has no header to glue
        _, n = glue(source.text, set())
        variants = [({i}, f"break {i}") for i in range(n)] + [(None, "all breaks")]
        for which, label in variants:
            text, _ = glue(source.text, which)
            try:
                got = facts(_parse_text(path, source, text))
            except KgError as exc:
                failures.append(f"{path.name} {label}: {exc}")
                continue
            checked += 1
            diff = {k: (want[k], got[k]) for k in want if want[k] != got[k]}
            if diff:
                failures.append(f"{path.name} {label}: {diff}")
    assert checked > 100
    assert not failures, f"{len(failures)} of {checked}:\n" + "\n".join(failures)


# ------------------------------------------------------- the phenomena one by one

MASTHEAD = (
    "Tweede Kamer der Staten-Generaal\n"
    "Vergaderjaar 2023–2024 Aanhangsel van de Handelingen\n"
    "Vragen gesteld door de leden der Kamer, met de daarop door de\n"
    "regering gegeven antwoorden\n"
    "1999\n"
)
BODY = "Vraag 1\nKent u het bericht?\nAntwoord 1\nJa.\nVraag 2\nWat gaat u doen?\nAntwoord 2\nNiets.\n"


def parse_text(text: str, name: str = "ah-tk-20232024-1999.txt"):
    return parse(SourceText(path=Path(name), format="text", text=text, sha256="0" * 64))


def header(title: str, answer: str = "Antwoord van Minister Van Hijum (Sociale Zaken en Werkgelegenheid) (ontvangen 27 mei 2024).") -> str:
    return MASTHEAD + title + "\n" + answer + "\n" + BODY


@pytest.mark.parametrize(
    "printed",
    [
        "(ontvangen27 mei 2024)",
        "(ontvangen 27mei2024)",
        "(ontvangen\n27 mei 2024)",
        "( ontvangen 27 mei 2024 )",
    ],
)
def test_receipt_date_survives_glue(printed):
    p = parse_text(header(
        "Vragen van het lid Eerdmans (JA21) aan de Minister van Sociale Zaken en Werkgelegenheid over armoede (ingezonden 2 mei 2024).",
        f"Antwoord van Minister Van Hijum (Sociale Zaken en Werkgelegenheid) {printed}.",
    ))
    assert p.ontvangen == dt.date(2024, 5, 27)
    assert [b.achternaam for b in p.beantwoord_door] == ["Van Hijum"]


@pytest.mark.parametrize(
    "addressees",
    [
        "aan de Minister van Defensie en de MinisterSociale Zaken en Werkgelegenheid",  # "van" lost with the space
        "aan de Minister van Defensie en de Minister van SocialeZaken en Werkgelegenheid",
        "aan de Minister van Defensie en deMinister vanSociale Zaken enWerkgelegenheid",
        "aande Minister van Defensie ende Minister van Sociale Zaken en Werkgelegen-heid",
        "aan de Ministers van Defensie en van Sociale Zaken en Werkgelegenheid",
    ],
)
def test_offices_survive_glue(addressees):
    p = parse_text(header(f"Vragen van het lid Eerdmans (JA21) {addressees} over de levering van F-35's (ingezonden 2 mei 2024)."))
    assert [o.label for o in p.gericht_aan] == [
        "Minister van Defensie",
        "Minister van Sociale Zaken en Werkgelegenheid",
    ]
    assert p.onderwerp == "de levering van F-35's"


@pytest.mark.parametrize(
    "glued",
    [
        "Defensie overde levering van F-35's",
        "Defensieover de levering van F-35's",
        "Defensie over de levering van F-35's",
        "Defensie\nover de levering van F-35's",
    ],
)
def test_an_office_never_swallows_the_subject(glued):
    p = parse_text(header(f"Vragen van het lid Eerdmans (JA21) aan de Minister van {glued} (ingezonden 2 mei 2024)."))
    assert [o.label for o in p.gericht_aan] == ["Minister van Defensie"]
    assert p.onderwerp == "de levering van F-35's"


def test_an_unknown_portfolio_keeps_its_name_and_the_subject_its_own():
    # A ministry the lexicon does not know yet: the subject still starts at the glued "over".
    p = parse_text(header("Vragen van het lid Eerdmans (JA21) aan de Minister van Ruimte en Grond overde levering van grond (ingezonden 2 mei 2024)."))
    assert [o.label for o in p.gericht_aan] == ["Minister van Ruimte en Grond"]
    assert p.onderwerp == "de levering van grond"


@pytest.mark.parametrize("masthead", ["Vergaderjaar2023–2024", "vergaderjaar 2023-2024", "Vergaderjaar 2023 – 2024"])
def test_masthead_year_survives_glue(masthead):
    text = header("Vragen van het lid Eerdmans (JA21) aan de Minister van Defensie over x (ingezonden 2 mei 2024).")
    text = text.replace("Vergaderjaar 2023–2024", masthead)
    assert parse_text(text, "answer.txt").vergaderjaar == "2023-2024"


@pytest.mark.parametrize(
    "title",
    [
        "Vragen van het lid Eerdmans (JA21)aan de Minister van Defensie over x (ingezonden2 mei 2024).",
        "Vragen vanhet lidEerdmans (JA21) aan deMinister van Defensie overx (ingezonden 2 mei 2024).",
        "1999Vragen van het lid Eerdmans (JA21) aan de Minister van Defensie over x (ingezonden 2 mei 2024).",
    ],
)
def test_title_paragraph_survives_glue(title):
    text = header(title)
    if title.startswith("1999"):
        text = text.replace("antwoorden\n1999\n", "antwoorden\n")
    p = parse_text(text)
    assert [(x.achternaam, x.fractie) for x in p.vragenstellers] == [("Eerdmans", "JA21")]
    assert [o.label for o in p.gericht_aan] == ["Minister van Defensie"]
    assert p.ingezonden == dt.date(2024, 5, 2)
    assert p.onderwerp == "x"


def test_askers_survive_glue():
    p = parse_text(header(
        "Vragen van de leden VanNispen (SP)en Kostić enTeunissen (beidenPvdD) aan de Minister van Defensie over x (ingezonden 2 mei 2024)."
    ))
    assert [(x.achternaam, x.fractie) for x in p.vragenstellers] == [("Van Nispen", "SP"), ("Kostić", "PvdD"), ("Teunissen", "PvdD")]


def test_answerer_paragraph_survives_glue():
    p = parse_text(header(
        "Vragen van het lid Eerdmans (JA21) aan de Ministers van Defensie en van Financiën over x (ingezonden 2 mei 2024).",
        "Antwoordvan MinisterBrekelmans (Defensie), medenamens de Minister van Financiën (ontvangen 27 mei 2024). Zie ookAanhangsel Handelingen, vergaderjaar 2023–2024, nr. 1500.",
    ))
    assert [(b.achternaam, b.office.label) for b in p.beantwoord_door] == [("Brekelmans", "Minister van Defensie")]
    assert [o.label for o in p.mede_namens] == ["Minister van Financiën"]
    assert p.ontvangen == dt.date(2024, 5, 27)


def test_a_hyphen_left_inside_a_word_goes_where_the_text_spells_it_whole():
    text = header("Vragen van het lid Eerdmans (JA21) aan de Minister van Volksgezondheid, Welzijn en Sport over de Inspectie Gezond-heidszorg en hiv-infecties (ingezonden 2 mei 2024).")
    text = text.replace("Kent u het bericht?", "Kent u het rapport van de Inspectie Gezondheidszorg?")
    p = parse_text(text)
    assert p.onderwerp == "de Inspectie Gezondheidszorg en hiv-infecties"
    assert [o.label for o in p.gericht_aan] == ["Minister van Volksgezondheid, Welzijn en Sport"]


def test_word_answer_masthead_lines_run_together():
    text = "AH 6042024Z18294\nAntwoord van minister Van Weel (Justitie en Veiligheid) (ontvangen 20 november 2024)\n" + BODY
    p = parse_text(text, "ah-tk-20242025-604.docx-text.txt")
    assert (p.nummer, p.zaaknummer) == (604, "2024Z18294")


def _pdf_texts(corpus: Path) -> list[tuple[Path, str]]:
    """The corpus PDFs as the plain text an extractor makes of them: the form
    in which lost line-end spaces are met."""
    import shutil
    import subprocess

    pdfs = sorted(corpus.glob("docs/*.pdf")) + sorted(corpus.glob("unlabelled/*.pdf"))
    tool = shutil.which("pdftotext")
    if tool:  # poppler is fast; pdfminer (always installed) gives the same kind of text
        return [(p, subprocess.run([tool, str(p), "-"], capture_output=True, text=True, check=True).stdout) for p in pdfs]
    from pdfminer.high_level import extract_text

    return [(p, extract_text(str(p))) for p in pdfs]


def test_pdf_text_headers_survive_lost_spaces(corpus):
    failures: list[str] = []
    checked = 0
    for pdf, text in _pdf_texts(corpus):
        source = SourceText(path=pdf.with_suffix(".txt"), format="text", text=text, sha256="0" * 64)
        want = facts(parse(source))
        _, n = glue(text, set())
        for which, label in [({i}, f"break {i}") for i in range(n)] + [(None, "all breaks")]:
            glued, _ = glue(text, which)
            try:
                got = facts(parse(replace(source, text=glued)))
            except KgError as exc:
                failures.append(f"{pdf.name} {label}: {exc}")
                continue
            checked += 1
            diff = {k: (want[k], got[k]) for k in want if want[k] != got[k]}
            if diff:
                failures.append(f"{pdf.name} {label}: {diff}")
    assert checked > 100
    assert not failures, f"{len(failures)} of {checked}:\n" + "\n".join(failures)


def test_a_chain_of_zie_ook_clauses_is_cited_whole():
    chain = " ".join(f"Zie ook Aanhangsel Handelingen, vergaderjaar 2022–2023, nr. {n}." for n in (402, 417, 523, 618, 700, 701, 812, 830))
    p = parse_text(header(
        "Vragen van het lid Eerdmans (JA21) aan de Minister van Defensie over x (ingezonden 2 mei 2024).",
        "Antwoord van Minister Brekelmans (Defensie) (ontvangen 27 mei 2024). " + chain,
    ))
    assert {c.identifier for c in p.citations} == {f"ah-tk-20222023-{n}" for n in (402, 417, 523, 618, 700, 701, 812, 830)}
