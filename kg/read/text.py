"""Plain text and Markdown: text extracted from a PDF, a Word file or a web page."""
from __future__ import annotations

from pathlib import Path

from kg.errors import ReadError
from kg.model import SourceText
from kg.read import decode_text, name_says_truncated, read_bytes, sha256_of


class TextReader:
    name = "text"

    def read(self, path: Path) -> SourceText:
        data = read_bytes(path)
        if b"\x00" in data[:4096]:
            raise ReadError("binary content in a text file", path)
        text = decode_text(data, path)
        if not text.strip():
            raise ReadError("the file is empty", path)
        return SourceText(
            path=path,
            format=self.name,
            text=text,
            sha256=sha256_of(data),
            truncated=name_says_truncated(path),
        )


class MarkdownReader(TextReader):
    """Markdown from a PDF-to-Markdown converter. The emphasis and heading marks
    are layout, not content; ``kg.parse.clean`` removes them with the rest of
    the page furniture, so this reader only names the format."""

    name = "markdown"
