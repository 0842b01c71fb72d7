"""From a reader's SourceText to a Publication: the parse stage's entry point."""
from __future__ import annotations

import re
from pathlib import Path

from kg.errors import ParseError
from kg.model import (
    DOCUMENT,
    LOCAL_DOCUMENT_PREFIX,
    Antwoord,
    Citation,
    CitationSoort,
    DocumentSoort,
    Footnote,
    Kamer,
    Location,
    Publication,
    SourceText,
    Vraag,
    WebLink,
)
from kg.parse.body import Block, paragraphs_as_questions, segment
from kg.parse.citations import find_citations, find_web_links
from kg.parse.clean import CleanText, clean, identifiers_in_furniture, join_lines
from kg.parse.header import Header, find_title, parse_header, vergaderjaar_of
from kg.parse.letter import letter_date, parse_notice, parse_signatures, says_delay
from kg.parse.refusals import refusal_kinds

_MARK = re.compile(r"\[\^(\d{1,3})\]")
# Punctuation that takes no space before it: the pattern and the plain
# pre-test of a block's text are both made from it.
_PUNCTUATION = "?.,;:"
_SPACE_BEFORE_PUNCTUATION = re.compile(rf"\s+([{re.escape(_PUNCTUATION)}])")
_SPACE_THEN = tuple(" " + c for c in _PUNCTUATION)
_IDENTIFIER_NAME = re.compile(
    r"^((?:ah|kv)-(?:tk|ek)-[0-9]{4}(?:[0-9]{4}-\d+|Z\d{5})|tk-\d{4}D\d{5}|kst-[\w-]+)", re.I
)


def parse(source: SourceText) -> Publication:
    """Parse one publication. Raises ParseError when the text holds no
    recognisable question, answer or notice."""
    text = clean(source)
    body = segment(list(text.lines))
    header = parse_header(body.header_lines, text.furniture)
    warnings = list(source.warnings) + list(text.warnings) + header.warnings + body.warnings

    blocks = body.blocks
    if not blocks and header.vragenstellers and not header.mondeling:
        blocks = paragraphs_as_questions(_after_title(body.header_lines))
        if blocks and all(b.inferred for b in blocks):
            warnings.append(
                f"the {len(blocks)} questions are not numbered in the source; they were numbered 1-{len(blocks)} in order"
            )

    soort = _soort(header, blocks, text)
    full_text = "\n".join(text.lines)
    signers, signature_lines = parse_signatures(list(text.lines))
    if not header.beantwoord_door and signers and soort in (DocumentSoort.ANTWOORD, DocumentSoort.UITSTELBRIEF, DocumentSoort.MEDEDELING):
        # A Word answer or a letter without "Antwoord van ...": who signed it answered.
        header.beantwoord_door = signers
        blocks = _without_lines(blocks, {text.lines[i] for i in signature_lines})
    if soort == DocumentSoort.UITSTELBRIEF and header.ontvangen is None:
        header.ontvangen = letter_date(full_text)
    if soort in (DocumentSoort.MEDEDELING, DocumentSoort.UITSTELBRIEF):
        _fill_from_notice(header, full_text)
    identifier = _identifier(header, text, source.path, soort)
    if identifier is None:
        raise ParseError(
            "no publication found: neither an Aanhangsel or question header nor numbered questions", source.path
        )

    vragen, antwoorden, closing, locations = _questions_and_answers(blocks, warnings)
    footnotes = tuple(
        Footnote(f.number, f.text, locations.get(f.number, DOCUMENT)) for f in sorted(text.footnotes, key=lambda f: f.number)
    )
    # A ministry's delay letter is all notice.
    mededeling = _closing_text(closing, "mededeling") or (join_lines(list(text.lines)) if soort == DocumentSoort.UITSTELBRIEF else None)
    if soort == DocumentSoort.UITSTELBRIEF and mededeling:
        closing.append(("mededeling", mededeling))  # its zaak number cites the delayed questions
    citations, links = _citations(header, vragen, antwoorden, closing, footnotes, identifier)

    vergaderjaar = header.vergaderjaar
    if vergaderjaar is None and identifier.startswith("ah-") and (header.ontvangen or header.ingezonden):
        vergaderjaar = vergaderjaar_of(header.ontvangen or header.ingezonden)  # type: ignore[arg-type]
    if vergaderjaar is None and soort == DocumentSoort.VRAGEN and header.ingezonden:
        # Questions belong to the parliamentary year they were submitted in.
        vergaderjaar = vergaderjaar_of(header.ingezonden)
    if source.truncated:
        warnings.append("the source is cut short (its file name says so): facts after the cut are unknown, not absent")
    _check_numbering(vragen, antwoorden, soort, source.truncated, warnings)
    onderwerp = _rejoin_split_words(header.onderwerp, full_text) if header.onderwerp else None

    return Publication(
        identifier=identifier,
        soort=soort,
        source_path=source.path,
        source_format=source.format,
        source_sha256=source.sha256,
        kamer=header.kamer or Kamer.TWEEDE_KAMER,
        vergaderjaar=vergaderjaar,
        nummer=_nummer_of(identifier, header.nummer),
        zaaknummer=header.zaaknummer or _zaak_of(identifier),
        onderwerp=onderwerp,
        ingezonden=header.ingezonden,
        ontvangen=header.ontvangen,
        vragenstellers=header.vragenstellers,
        mondeling=header.mondeling,
        gericht_aan=header.gericht_aan,
        beantwoord_door=header.beantwoord_door,
        mede_namens=header.mede_namens,
        vragen=vragen,
        antwoorden=antwoorden,
        footnotes=footnotes,
        mededeling=mededeling,
        toelichting=_closing_text(closing, "toelichting"),
        citations=citations,
        links=links,
        truncated=source.truncated,
        warnings=tuple(dict.fromkeys(warnings)),
    )


def _after_title(lines: list[str]) -> list[str]:
    """Lines after the "Vragen van ... over ..." paragraph: it ends with its
    "(ingezonden ...)" date, or, where the date stands before it, with its
    own line."""
    for i, line in enumerate(lines):
        # the title may open its line or follow glued text ("(ingezonden ...)Vragen van")
        if find_title(line) is not None or re.match(r"^\s*(?:Mondelinge\s+)?[Vv]ra(?:gen|ag)\s*van", line):
            for j in range(i, min(i + 8, len(lines))):
                if re.search(r"ingezonden[^)]*\)", lines[j][lines[j].find("Vra") if j == i else 0 :]):
                    return lines[j + 1 :]
            return lines[i + 1 :]
    return lines


def _soort(header: Header, blocks: list[Block], text: CleanText) -> DocumentSoort:
    if header.soort == "mededeling" or any(b.kind == "mededeling" for b in blocks):
        return DocumentSoort.MEDEDELING
    if header.soort == "antwoord" or any(b.kind == "antwoord" for b in blocks):
        return DocumentSoort.ANTWOORD
    if not blocks and says_delay(" ".join(text.lines)):
        return DocumentSoort.UITSTELBRIEF
    return DocumentSoort.VRAGEN


def _fill_from_notice(header: Header, text: str) -> None:
    """A delay notice's sentence names the questions it delays: their askers,
    addressees, subject, date and zaak number. It fills what the header (a
    letter has none) left open, and gives the zaak number of the questions."""
    notice = parse_notice(text, header.ontvangen)
    if notice is None:
        return
    if not header.vragenstellers:
        header.vragenstellers = notice.vragenstellers
    if not header.gericht_aan:
        header.gericht_aan = notice.gericht_aan
    if not header.onderwerp:
        header.onderwerp = notice.onderwerp
    if not header.ingezonden:
        header.ingezonden = notice.ingezonden
    if not header.zaaknummer:
        header.zaaknummer = notice.zaaknummer


def _without_lines(blocks: list[Block], lines: set[str]) -> list[Block]:
    """The blocks without the signature lines (they close the last answer's text)."""
    if not lines:
        return blocks
    for block in blocks:
        block.lines = [ln for ln in block.lines if ln not in lines]
    return blocks


# a word part in lower case after its first letter: "WIA-uitkering" is an abbreviation's compound
_SPLIT_WORD = re.compile(r"(?<![^\W\d_])([^\W\d_][a-zà-ÿ]+)-([a-zà-ÿ]+)(?![^\W\d_])")


def _rejoin_split_words(text: str, evidence: str) -> str:
    """A hyphen a lost line break left inside a word ("Inspectie Gezond-heidszorg")
    goes where the document spells the word whole elsewhere; a real compound
    ("hiv-infecties") keeps it."""
    def join(m: re.Match[str]) -> str:
        whole = m.group(1) + m.group(2)
        return whole if re.search(rf"(?<![^\W\d_]){re.escape(whole)}(?![^\W\d_])", evidence, re.I) else m.group(0)

    return _SPLIT_WORD.sub(join, text)


def _identifier(header: Header, text: CleanText, path: Path, soort: DocumentSoort) -> str | None:
    """The official identifier: printed in the page footer; else built from
    vergaderjaar and Aanhangsel number, or from the zaak number for questions;
    else the file name when it is an identifier (pages saved under their
    official name); else a name made from the file name."""
    printed = identifiers_in_furniture(text.furniture)
    if printed:
        return printed[0]
    kamer = "ek" if header.kamer == Kamer.EERSTE_KAMER else "tk"
    if header.nummer is not None and header.aanhangsel:
        jaar = header.vergaderjaar
        if jaar is None and (header.ontvangen or header.ingezonden):
            jaar = vergaderjaar_of(header.ontvangen or header.ingezonden)  # type: ignore[arg-type]
        if jaar:
            return f"ah-{kamer}-{jaar.replace('-', '')}-{header.nummer}"
    if header.zaaknummer and soort == DocumentSoort.VRAGEN:
        return f"kv-{kamer}-{header.zaaknummer}"
    m = _IDENTIFIER_NAME.match(path.name)
    if m:
        return m.group(1)
    if header.vragenstellers or header.beantwoord_door or soort == DocumentSoort.UITSTELBRIEF:
        return LOCAL_DOCUMENT_PREFIX + re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")
    return None


def _nummer_of(identifier: str, printed: int | None) -> int | None:
    """The Aanhangsel number the identifier carries: the page footer's
    identifier is printed for the machine and outranks a number read from the
    masthead, where a logo can pass for one."""
    m = re.match(r"ah-(?:tk|ek)-\d{8}-(\d+)$", identifier)
    return int(m.group(1)) if m else None


def _zaak_of(identifier: str) -> str | None:
    m = re.match(r"kv-(?:tk|ek)-(\d{4}Z\d{5})$", identifier)
    return m.group(1) if m else None


def _closing_text(closing: list[tuple[str, str]], kind: str) -> str | None:
    texts = [_SPACE_BEFORE_PUNCTUATION.sub(r"\1", _MARK.sub("", text)).strip() for k, text in closing if k == kind]
    return "\n\n".join(t for t in texts if t) or None


def _block_text(block: Block) -> str:
    return join_lines(block.lines)


def _questions_and_answers(
    blocks: list[Block], warnings: list[str]
) -> tuple[tuple[Vraag, ...], tuple[Antwoord, ...], list[tuple[str, str]], dict[int, Location]]:
    """Questions and answers from the blocks, and where each footnote marker stands."""
    vragen: dict[int, Vraag] = {}
    antwoorden: list[Antwoord] = []
    closing: list[tuple[str, str]] = []
    locations: dict[int, Location] = {}
    for block in blocks:
        raw = _block_text(block)
        text = (_MARK.sub("", raw) if "[^" in raw else raw).strip()
        # join_lines folded all white space to single spaces: a space before
        # the punctuation is what the pattern needs (a plain search skips
        # the pattern, which tries every position, in nearly every block).
        if any(pair in text for pair in _SPACE_THEN):
            text = _SPACE_BEFORE_PUNCTUATION.sub(r"\1", text)
        if block.kind == "vraag":
            shared = len(block.numbers) > 1
            for n in block.numbers:
                if n in vragen:
                    warnings.append(f"question {n} is printed twice; the first is kept")
                    continue
                # A group split by its paragraphs keeps its printed heading as kop.
                vragen[n] = Vraag(n, text, kop=block.kop or block.numbers, tekst_gedeeld=shared)
            loc = Location("vraag", block.numbers[0]) if block.numbers else DOCUMENT
        elif block.kind == "antwoord":
            antwoorden.append(
                Antwoord(len(antwoorden) + 1, block.numbers, text, afgeleid=block.inferred, weigeringssoorten=refusal_kinds(text))
            )
            loc = Location("antwoord", len(antwoorden))
        else:
            closing.append((block.kind, raw))
            loc = DOCUMENT
        for m in _MARK.finditer(raw):
            locations.setdefault(int(m.group(1)), loc)
    # Questions that an answer names but whose heading was lost (a page
    # boundary in a converted text) exist all the same; their text is unknown.
    named = {n for a in antwoorden for n in a.vragen}
    if vragen:
        lost = sorted(n for n in named - set(vragen) if n < max(max(vragen), max(named, default=0)) + 1)
        for n in lost:
            vragen[n] = Vraag(n, "", kop=(n,))
        if lost:
            warnings.append(
                f"the heading of question {', '.join(map(str, lost))} is missing from the text; "
                "the question exists (its answer names it) but its text is unknown"
            )
    if any(v.tekst_gedeeld for v in vragen.values()):
        groups = sorted({v.kop for v in vragen.values() if v.tekst_gedeeld})
        warnings.append(
            "grouped question headings ("
            + ", ".join(f"{g[0]}-{g[-1]}" if g == tuple(range(g[0], g[-1] + 1)) else "/".join(map(str, g)) for g in groups)
            + ") cannot be split into single questions reliably; each question of a group carries the group's text"
        )
    return tuple(vragen[n] for n in sorted(vragen)), tuple(antwoorden), closing, locations


def _citations(
    header: Header,
    vragen: tuple[Vraag, ...],
    antwoorden: tuple[Antwoord, ...],
    closing: list[tuple[str, str]],
    footnotes: tuple[Footnote, ...],
    identifier: str,
) -> tuple[tuple[Citation, ...], tuple[WebLink, ...]]:
    """Every citation of an official publication, each where it stands."""
    sources: list[tuple[str, CitationSoort, Location, int | None]] = []
    if header.zie_ook:
        sources.append((header.zie_ook, CitationSoort.ZIE_OOK, DOCUMENT, None))
    if header.title_text:
        sources.append((header.title_text, CitationSoort.KOP, DOCUMENT, None))
    for v in vragen:
        if v.tekst_gedeeld and v.nummer != v.kop[0]:
            continue  # a shared group text is cited once, from its first question
        sources.append((v.tekst, CitationSoort.LOPENDE_TEKST, Location("vraag", v.nummer), None))
    for a in antwoorden:
        sources.append((a.tekst, CitationSoort.LOPENDE_TEKST, Location("antwoord", a.volgnummer), None))
    for _, text in closing:
        sources.append((_MARK.sub("", text), CitationSoort.TOELICHTING, DOCUMENT, None))
    for f in footnotes:
        sources.append((f.text, CitationSoort.VOETNOOT, f.location, f.number))

    own = {identifier}
    citations: list[Citation] = []
    links: list[WebLink] = []
    for text, soort, location, footnote in sources:
        for match in find_citations(text):
            if match.identifier in own:
                continue
            citations.append(
                Citation(match.identifier, match.citaat, soort, location, match.corrected_from, footnote)
            )
        if soort in (CitationSoort.VOETNOOT, CitationSoort.LOPENDE_TEKST, CitationSoort.TOELICHTING):
            for url, _, _ in find_web_links(text):
                links.append(WebLink(url, location, footnote))
    return tuple(dict.fromkeys(citations)), tuple(dict.fromkeys(links))


def _check_numbering(
    vragen: tuple[Vraag, ...], antwoorden: tuple[Antwoord, ...], soort: DocumentSoort, truncated: bool, warnings: list[str]
) -> None:
    """Say where the numbering does not add up; never repair it by guessing."""
    numbers = [v.nummer for v in vragen]
    if numbers and numbers != list(range(1, len(numbers) + 1)):
        missing = sorted(set(range(1, max(numbers) + 1)) - set(numbers))
        if missing:
            warnings.append(f"questions {', '.join(map(str, missing))} are missing from the text (lost in extraction?)")
    answered = [n for a in antwoorden for n in a.vragen]
    if soort == DocumentSoort.ANTWOORD and vragen and not truncated:
        unanswered = sorted(set(numbers) - set(answered))
        if unanswered:
            warnings.append(f"questions {', '.join(map(str, unanswered))} have no answer in the text")
    unknown = sorted(set(answered) - set(numbers))
    if unknown and vragen:
        warnings.append(f"answers name questions {', '.join(map(str, unknown))} that are not in the text")
