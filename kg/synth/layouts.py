"""Layouts: a publication's Content typeset as one kind of file.

The jinja2 templates (kg/synth/templates, one per layout) hold each layout's
furniture: mastheads, page footers, how notes and pages are separated. The
code here does the flow a template cannot: wrapping paragraphs into printed
lines (with hyphenation and the spaces PDF extraction loses), filling pages,
and putting each footnote at the bottom of the page its marker is on.

Wrapping never starts a line with a heading word or a number: in a PDF such
a line does not occur inside a paragraph (numbers at a line start are the
footnotes' and the headings' own), so the generator does not print one.
"""
from __future__ import annotations

import datetime as dt
import io
import random
import re
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from kg.synth.compose import MARK, NBSP, Content, dash_year, datum, group_label

_MARK_RE = re.compile("\x01(\\d+)\x01")

# Realistic variants the parser does not read right today (see the README,
# "kg synth"). Each is off unless asked for by name, so that the default
# set scores 1.000; asking for one shows what the parser misses.
VARIANTS: dict[str, str] = {
    "header-glue": "spaces lost at line ends inside the title and answer paragraphs "
    "('aande Ministers', 'Ministervan', 'overhet bericht'), as in the body text",
    "flat-short": "flattened text shorter than 1,500 characters (a one-page answer); "
    "otherwise such a publication is written as PDF text",
    "subject-headwords": "real subjects that hold words of the header's grammar "
    "('het antwoord van de minister op eerdere vragen ...', 'ingezonden')",
    "subject-citations": "real subjects that cite a publication ('De motie Alkaya, 31066, nr. 827', "
    "'(Hand. Tk 2011-2012, Aanh. nr. 1146)'), their citations read by hand",
    "word-bare-notes": "a Word answer numbering its questions with bare numbers ('1') that also has "
    "typed footnotes ('1)'); otherwise bare numbers are used only without footnotes",
}
_HEADING_WORDS = frozenset({"Vraag", "Vragen", "Antwoord", "Antwoorden", "Mededeling", "Mededeling:", "Toelichting", "Toelichting:"})
_HYPHENABLE = re.compile(r"^[a-zà-ÿ]{10,}[.,?]?$")


@lru_cache(maxsize=1)
def environment():
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(resources.files("kg.synth").joinpath("templates"))),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=lambda name: bool(name) and name.endswith((".xml.j2", "html.j2")),
    )


@lru_cache(maxsize=None)
def template(name: str):
    return environment().get_template(name)


# ------------------------------------------------------------------ wrapping
def _may_start(word: str) -> bool:
    return not (word[:1].isdigit() or word in _HEADING_WORDS or word.startswith(("ah-", "kv-", "’s-", "ISSN")))


@lru_cache(maxsize=None)
def _line_rx(width: int) -> re.Pattern[str]:
    # A printed line: up to ``width`` characters ending where a space (not a
    # no-break space) or the text ends.
    return re.compile(r"(\S.{0,%d})(?: +|$)" % (width - 1))


@lru_cache(maxsize=None)
def _long_word_rx(width: int) -> re.Pattern[str]:
    return re.compile(r"[^ ]{%d,}" % (width + 1))


def wrap(text: str, width: int, rng: random.Random | None = None, hyphenate: float = 0.0) -> list[str]:
    """Wrap at ``width`` characters; no-break spaces hold. A line never
    starts with a heading word or a number (the word before it moves down).
    With probability ``hyphenate`` per line break a long lower-case word at
    the start of the next line is split with a hyphen, its first part
    moving up."""
    if _long_word_rx(width).search(text):
        return _wrap_words(text, width)
    lines = _line_rx(width).findall(text)
    for i in range(1, len(lines)):
        line = lines[i]
        first = line.split(" ", 1)[0]
        if not _may_start(first):
            head, sep, moved = lines[i - 1].rpartition(" ")
            if sep and _may_start(moved):
                lines[i - 1] = head
                lines[i] = moved + " " + line
        elif hyphenate and rng is not None and _HYPHENABLE.match(first) and rng.random() < hyphenate:
            room = width - len(lines[i - 1]) - 2
            if room >= 4 and len(first) - room >= 4:
                lines[i - 1] = lines[i - 1] + " " + first[:room] + "-"
                lines[i] = first[room:] + line[len(first):]
    return lines


def _wrap_words(text: str, width: int) -> list[str]:
    """Word by word, for a text with a word longer than a line (a URL)."""
    lines: list[str] = []
    current = ""
    for w in text.split(" "):
        if not w:
            continue
        if current and len(current) + 1 + len(w) > width and _may_start(w):
            lines.append(current)
            current = w
        else:
            current = f"{current} {w}" if current else w
    if current:
        lines.append(current)
    return lines


def glue_lines(lines: list[str], rng: random.Random, p: float) -> list[str]:
    """Join some printed lines as PDF extraction does when it loses the line
    break: no space between ("voorasielzoekers"), a hyphen kept
    ("misdaad-bestrijding"). Only before a lower-case word, so that the
    names and numbers of citations keep their space."""
    if p <= 0 or len(lines) < 2:
        return lines
    out = [lines[0]]
    for line in lines[1:]:
        if line[:1].islower() and rng.random() < p and not _MARK_RE.search(out[-1][-4:]):
            out[-1] = out[-1] + line
        else:
            out.append(line)
    return out


def plain(text: str) -> str:
    return text.replace(NBSP, " ")


# ------------------------------------------------------------------ paragraphs
@dataclass
class Para:
    text: str
    kind: str = "text"  # text, heading
    wrap: bool = True


def paragraphs(c: Content, rng: random.Random, *, answers: bool, group_style: str = "combined") -> list[Para]:
    """The body in reading order: title, answer line, questions and answers
    (grouped as the answer groups them), closing notice or explanation."""
    out = [Para(c.title)]
    if c.answer_line:
        out.append(Para(c.answer_line + (" " + c.zie_ook if c.zie_ook else "")))
    out.extend(question_answer_paras(c, rng, answers=answers, group_style=group_style))
    if c.mededeling:
        out.append(Para("Mededeling", "heading"))
        out.append(Para(c.mededeling))
    if c.toelichting:
        out.append(Para("Toelichting:", "heading"))
        out.append(Para(c.toelichting))
    return out


def question_answer_paras(c: Content, rng: random.Random, *, answers: bool, group_style: str, antwoord_word: str = "Antwoord") -> list[Para]:
    out: list[Para] = []
    if not answers or not c.groups:
        for i, q in enumerate(c.questions, 1):
            out.append(Para(f"Vraag {i}", "heading"))
            out.append(Para(q))
        return out
    for numbers, paras in zip(c.groups, c.answers):
        label = group_label(numbers, rng)
        if len(numbers) > 1 and group_style == "combined":
            out.append(Para(f"Vraag {label}", "heading"))
            out.append(Para(" ".join(c.questions[n - 1] for n in numbers)))
        else:
            for n in numbers:
                out.append(Para(f"Vraag {n}", "heading"))
                out.append(Para(c.questions[n - 1]))
        out.append(Para(f"{antwoord_word} {label}", "heading"))
        out.extend(Para(p) for p in paras)
    return out


# ------------------------------------------------------------------ PDF text
@dataclass
class Page:
    lines: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)  # Markdown
    glue: bool = False  # the footer runs into the next page's first line


def _marker_lines(line: str, rng: random.Random, own_line: float) -> tuple[list[str], list[int]]:
    """A printed line and the footnote numbers its markers carry. A marker is
    glued to its word ("?1") or stands on a line of its own below ("1 2")."""
    if "\x01" not in line:
        return [line], []
    numbers = [int(m) for m in _MARK_RE.findall(line)]
    if len(numbers) > 1 or rng.random() < own_line:
        return [_MARK_RE.sub("", line), " ".join(map(str, numbers))], numbers
    return [_MARK_RE.sub(lambda m: m.group(1), line)], numbers


def paginate(paras: list[Para], notes: list[str], rng: random.Random, *, width: int = 84, per_page: int = 46,
             first_page: int = 40, hyphenate: float = 0.15, glue: float = 0.0, own_line: float = 0.4,
             note_glued: float = 0.6, note_space: bool = False, header_glue: bool = False) -> list[Page]:
    """Pages of printed lines, each with the footnotes whose markers it holds.
    A heading is kept with the line after it, as typesetters do."""
    pages = [Page()]
    room = first_page
    for index, para in enumerate(paras):
        if para.kind == "heading" or not para.wrap:
            printed = [para.text]
            if room < 3 and pages[-1].lines:
                pages.append(Page())
                room = per_page
        else:
            printed = wrap(para.text, width, rng, hyphenate)
            if glue and (header_glue or index >= 2):
                printed = glue_lines(printed, rng, glue)
        if "\x01" not in para.text:  # no footnote markers: whole runs of lines at once
            i = 0
            while i < len(printed):
                if room <= 0 and pages[-1].lines:
                    pages.append(Page())
                    room = per_page
                chunk = printed[i : i + max(room, 1)]
                pages[-1].lines.extend(chunk)
                room -= len(chunk)
                i += len(chunk)
            continue
        for line in printed:
            out, numbers = _marker_lines(line, rng, own_line)
            note_lines: list[str] = []
            for n in numbers:
                sep = " " if note_space or rng.random() >= note_glued else ""
                note_lines.extend(wrap(f"{n}{sep}{notes[n - 1]}", width + 12))
            need = len(out) + len(note_lines)
            if room - need < 0 and pages[-1].lines:
                pages.append(Page())
                room = per_page
            pages[-1].lines.extend(out)
            pages[-1].notes.extend(note_lines)
            room -= need
    return pages


def _glue_footers(pages: list[Page], rng: random.Random, p: float) -> None:
    """"...Aanhangsel 1Antwoord 3": a footer glued to the heading after it."""
    for page, nxt in zip(pages, pages[1:]):
        if nxt.lines and nxt.lines[0].startswith(("Vraag ", "Antwoord ")) and rng.random() < p:
            page.glue = True


# ------------------------------------------------------------------ renderers
def render_pdf_text(c: Content, rng: random.Random, variants: frozenset[str] = frozenset(), name: str = "pdf-text.j2") -> str:
    pub = c.pub
    style = "combined" if rng.random() < 0.7 else "separate"
    paras = paragraphs(c, rng, answers=pub.kind == "antwoord", group_style=style)
    pages = paginate(paras, c.footnotes, rng, glue=0.25 if rng.random() < 0.5 else 0.0, header_glue="header-glue" in variants)
    _glue_footers(pages, rng, 0.3)
    return template(name).render(
        pages=pages, vj_dash=dash_year(pub.vergaderjaar), nummer=pub.nummer, identifier=pub.identifier,
        year=pub.date.year,
    )


def render_notice(c: Content, rng: random.Random, variants: frozenset[str] = frozenset()) -> str:
    return render_pdf_text(c, rng, variants, "notice-pdf-text.j2")


def render_questions_pdf_text(c: Content, rng: random.Random, variants: frozenset[str] = frozenset()) -> str:
    pub = c.pub
    paras = paragraphs(c, rng, answers=False)
    pages = paginate(paras, c.footnotes, rng, glue=0.25 if rng.random() < 0.5 else 0.0, first_page=42,
                     header_glue="header-glue" in variants)
    _glue_footers(pages, rng, 0.3)
    return template("questions-pdf-text.j2").render(
        pages=pages, vj_dash=dash_year(pub.vergaderjaar), zaak=pub.zaak.nummer, identifier=pub.identifier,
        year=pub.date.year,
    )


def render_flat(c: Content, rng: random.Random, variants: frozenset[str] = frozenset()) -> str:
    pub = c.pub
    paras = paragraphs(c, rng, answers=True, group_style="combined" if rng.random() < 0.7 else "separate")
    # Flattened text keeps a space after the footnote number ("1 Kamerstuk"):
    # that space is all that tells a note from the text before it.
    pages = paginate(paras, c.footnotes, rng, own_line=0.0, note_space=True, hyphenate=0.05)
    text = template("flat.j2").render(
        pages=pages, vj_dash=dash_year(pub.vergaderjaar), nummer=pub.nummer, identifier=pub.identifier,
        year=pub.date.year,
    )
    if len(text) < FLAT_MIN and "flat-short" not in variants:
        pub.layout = "pdf-text"  # written, and described in its truth, as what it is
        return render_pdf_text(c, rng, variants)
    return text


# The parser takes a text for flattened when its long lines (over 1,500
# characters) hold most of it (kg/parse/clean.py); a shorter flattened text
# is the "flat-short" variant.
FLAT_MIN = 1600


def render_markdown(c: Content, rng: random.Random, variants: frozenset[str] = frozenset()) -> str:
    pub = c.pub
    paras = paragraphs(c, rng, answers=True, group_style="combined" if rng.random() < 0.7 else "separate")
    pages = [Page()]
    room = 34
    spaced = rng.random() < 0.7  # "[1 ]" or "[1]"
    for para in paras:
        if para.kind == "heading":
            lines = [para.text]
        else:
            lines = wrap(para.text, 78)
        numbers = [int(m) for m in _MARK_RE.findall(para.text)]
        text = "\n".join(lines)
        text = _MARK_RE.sub(lambda m: f"[{m.group(1)} ]" if spaced else f"[{m.group(1)}]", text)
        # A heading is kept with the paragraph after it.
        if (room - len(lines) < 0 or (para.kind == "heading" and room < 4)) and pages[-1].paragraphs:
            pages.append(Page())
            room = 44
        page = pages[-1]
        page.paragraphs.append(plain(text))
        for n in numbers:
            page.notes.append(plain("\n".join(wrap(f"{n} {c.footnotes[n - 1]}", 96))))
        room -= len(lines) + 1
    # Headings and their first paragraph stand as in the converter's output:
    # "Vraag 1" on the line above the question, no blank line between.
    for page in pages:
        merged: list[str] = []
        for p in page.paragraphs:
            if merged and re.fullmatch(r"(?:Vraag|Antwoord) \d[\d ,a-z/]*", merged[-1]):
                merged[-1] = merged[-1] + "\n" + p
            else:
                merged.append(p)
        page.paragraphs = merged
    return template("markdown.j2").render(
        pages=pages, vj_dash=dash_year(pub.vergaderjaar), vj_digits=pub.vergaderjaar.replace("-", ""), nummer=pub.nummer,
    )


def _word_body(c: Content, rng: random.Random, marker: str, bare_with_notes: bool = True) -> tuple[list[str], str]:
    """The Word answer's question and answer paragraphs in one of the
    ministries' styles: "Vraag 1" / "Antwoord op vraag 1"; a bare "1" /
    "Antwoord"; "1. question" / "Antwoord:"."""
    style = rng.choice(("vraag", "vraag", "bare", "dotted"))
    if style == "bare" and c.footnotes and not bare_with_notes:
        style = "dotted"
    out: list[str] = []

    def mark(text: str) -> str:
        return _MARK_RE.sub(lambda m: marker.format(m.group(1)), text)

    for numbers, paras in zip(c.groups, c.answers):
        for n in numbers:
            q = mark(plain(c.questions[n - 1]))
            if style == "vraag":
                out += [f"Vraag {n}\n{q}"]
            elif style == "bare":
                out += [f"{n}\n{q}"]
            else:
                out += [f"{n}. {q}"]
        label = group_label(numbers, rng)
        if style == "vraag":
            head = rng.choice(("Antwoord op vraag {}", "Antwoord {}")).format(label)
        elif len(numbers) > 1:
            head = f"Antwoord op vraag {label}"
        else:
            head = "Antwoord:" if style == "dotted" else "Antwoord"
        out.append(head + "\n" + "\n".join(mark(plain(p)) for p in paras))
    return out, style


def render_word_text(c: Content, rng: random.Random, variants: frozenset[str] = frozenset()) -> str:
    pub = c.pub
    body, _ = _word_body(c, rng, " {})", "word-bare-notes" in variants)
    answer_line = plain(c.answer_line.rstrip(".")).replace("Antwoord van Minister", "Antwoord van minister", 1)
    answer_line = answer_line.replace("Antwoord van Staatssecretaris", "Antwoord van staatssecretaris", 1)
    zie_ook = plain(c.zie_ook.rstrip(".")).replace("–", "-") if c.zie_ook else ""
    if c.toelichting:
        body.append("Toelichting:\n" + plain(c.toelichting))
    notes = [f"{i}) {plain(t)}" for i, t in enumerate(c.footnotes, 1)]
    return template("word-text.j2").render(
        nummer=pub.nummer, zaak=pub.zaak.nummer, answer_line=answer_line, zie_ook=zie_ook, paragraphs=body, notes=notes,
    )


def render_questions_word_text(c: Content, rng: random.Random, variants: frozenset[str] = frozenset()) -> str:
    pub = c.pub
    title = plain(c.title)
    m = re.search(r" \(ingezonden [^)]*\)\.$", title)
    if m:
        title = title[: m.start()]
    title = title.replace(" aan de Minister ", " aan de minister ", 1).replace(" aan de Staatssecretaris ", " aan de staatssecretaris ", 1)
    paras = [_MARK_RE.sub(lambda mm: f" {mm.group(1)})", plain(q)) for q in c.questions]
    if c.toelichting:
        paras.append("Toelichting:")
        paras.append(plain(c.toelichting))
    notes = [f"{i}) {plain(t)}" for i, t in enumerate(c.footnotes, 1)]
    return template("questions-word-text.j2").render(
        zaak=pub.zaak.nummer, ingezonden=plain(datum(pub.zaak.ingezonden)), title=title, paragraphs=paras, notes=notes,
    )


# ------------------------------------------------------------------ HTML
@dataclass
class HtmlBlock:
    kind: str  # vraag, antwoord, mededeling, toelichting
    heading: str
    paragraphs: list = field(default_factory=list)


def _html(text: str):
    """Escaped text with its footnote references as officielebekendmakingen marks them."""
    from markupsafe import Markup, escape

    out = []
    pos = 0
    for m in _MARK_RE.finditer(text):
        out.append(escape(plain(text[pos : m.start()])))
        n = m.group(1)
        out.append(Markup(f'<sup><a class="nootnum supernote-click-n{n}" href="#n{n}">{n}</a></sup>'))
        pos = m.end()
    out.append(escape(plain(text[pos:])))
    return Markup("").join(out)


def render_html(c: Content, rng: random.Random, variants: frozenset[str] = frozenset()) -> str:
    pub = c.pub
    paras = question_answer_paras(c, rng, answers=pub.kind == "antwoord", group_style="combined" if rng.random() < 0.7 else "separate")
    if c.mededeling:
        paras += [Para("Mededeling", "heading"), Para(c.mededeling)]
    if c.toelichting:
        paras += [Para("Toelichting:", "heading"), Para(c.toelichting)]
    blocks: list[HtmlBlock] = []
    for para in paras:
        if para.kind == "heading":
            kind = para.text.split(" ", 1)[0].rstrip(":").lower()
            blocks.append(HtmlBlock(kind, para.text))
        else:
            blocks[-1].paragraphs.append(_html(para.text))
    published = pub.date + dt.timedelta(days=rng.randint(1, 14))
    y1, y2 = pub.vergaderjaar.split("-")
    return template("html.j2").render(
        identifier=pub.identifier, vj_short=f"{y1}/{y2[2:]}", nummer=pub.nummer, vergaderjaar=pub.vergaderjaar,
        published=published.strftime("%d-%m-%Y"), received=pub.date.strftime("%d-%m-%Y"),
        title=_html(c.title), answer_line=_html(c.answer_line + (" " + c.zie_ook if c.zie_ook else "")),
        blocks=blocks, notes=[_html(t) for t in c.footnotes],
    )


# ------------------------------------------------------------------ .docx
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    "</Relationships>"
)
_DOCUMENT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>'
    "</Relationships>"
)
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # a fixed time stamp: the same seed gives the same bytes


def render_docx(c: Content, rng: random.Random, variants: frozenset[str] = frozenset()) -> bytes:
    """The Word answer as a .docx: the text of the word-text layout, one
    w:p per line, footnotes as real Word footnotes."""
    pub = c.pub
    body, _ = _word_body(c, rng, MARK)
    answer_line = plain(c.answer_line.rstrip(".")).replace("Antwoord van Minister", "Antwoord van minister", 1)
    lines = [f"AH {pub.nummer}", pub.zaak.nummer, answer_line]
    if c.zie_ook:
        lines.append(plain(c.zie_ook.rstrip(".")).replace("–", "-"))
    lines.append("")
    for block in body:
        lines.extend(block.split("\n"))
    if c.toelichting:
        lines += ["Toelichting:", plain(c.toelichting)]
    paragraphs_runs = []
    for line in lines:
        runs: list[tuple[str, str]] = []
        pos = 0
        for m in _MARK_RE.finditer(line):
            if m.start() > pos:
                runs.append(("t", line[pos : m.start()]))
            runs.append(("note", m.group(1)))
            pos = m.end()
        if pos < len(line):
            runs.append(("t", line[pos:]))
        paragraphs_runs.append(runs)
    document = template("docx-document.xml.j2").render(paragraphs=paragraphs_runs)
    footnotes = template("docx-footnotes.xml.j2").render(notes=[plain(t) for t in c.footnotes])
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in (
            ("[Content_Types].xml", _CONTENT_TYPES),
            ("_rels/.rels", _ROOT_RELS),
            ("word/_rels/document.xml.rels", _DOCUMENT_RELS),
            ("word/document.xml", document),
            ("word/footnotes.xml", footnotes),
        ):
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data.encode("utf-8"), compresslevel=1)
    return buf.getvalue()


RENDERERS = {
    "pdf-text": render_pdf_text,
    "flat": render_flat,
    "markdown": render_markdown,
    "word-text": render_word_text,
    "docx": render_docx,
    "questions-pdf-text": render_questions_pdf_text,
    "questions-word-text": render_questions_word_text,
    "notice-pdf-text": render_notice,
    "html": render_html,
}
