"""Plain text and Markdown: text extracted from a PDF, a Word file or a web page."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from kg.errors import ReadError
from kg.model import SourceText
from kg.read import decode_text, name_says_truncated, read_bytes, sha256_of


class TextReader:
    name = "text"

    def read(self, path: Path) -> SourceText:
        data = read_bytes(path)
        text = decode_text(data, path)  # refuses binary content, reads UTF-16
        if not text.strip():
            raise ReadError("the file is empty", path)
        text, copies = one_copy(text)
        warnings = (f"the file holds the same text {copies} times over; it is read once",) if copies > 1 else ()
        return SourceText(
            path=path,
            format=self.name,
            text=text,
            sha256=sha256_of(data),
            truncated=name_says_truncated(path),
            warnings=warnings,
        )


# How many starts of the first line are tried as the start of a second copy.
_MAX_TRIES = 64


def one_copy(text: str) -> tuple[str, int]:
    """(one copy, how many) when ``text`` is one text repeated whole, with
    only white space between the copies; else (text, 1). A publication
    saved a thousand times into one file is one publication: its questions
    and answers count once."""
    body = text.strip()
    first_line = body.split("\n", 1)[0].strip()
    if not first_line:
        return text, 1
    for tries, start in enumerate(_line_starts(body, first_line)):
        if tries == _MAX_TRIES:
            break
        chunk = body[:start].strip()
        copies = _copies(body, chunk)
        if copies > 1:
            return chunk + "\n", copies
    return text, 1


def _line_starts(body: str, line: str) -> Iterator[int]:
    """Where ``line`` starts a later line of ``body`` (only blanks before it
    on its line): the position of that line's newline. A plain search, not
    a pattern made for each file (compiling one cost more than the rest)."""
    pos = 0
    while True:
        j = body.find(line, pos)
        if j < 0:
            return
        k = body.rfind("\n", 0, j)
        if k >= 0 and (k + 1 == j or body[k + 1 : j].isspace()):
            yield k
            pos = j + len(line)
        else:
            pos = j + 1


def _copies(body: str, chunk: str) -> int:
    """How many times ``body`` is ``chunk`` over, white space between; 0 if not."""
    pos, count = 0, 0
    while pos < len(body):
        if not body.startswith(chunk, pos):
            return 0
        pos += len(chunk)
        count += 1
        while pos < len(body) and body[pos].isspace():
            pos += 1
    return count


class MarkdownReader(TextReader):
    """Markdown from a PDF-to-Markdown converter. The emphasis and heading marks
    are layout, not content; ``kg.parse.clean`` removes them with the rest of
    the page furniture, so this reader only names the format."""

    name = "markdown"
