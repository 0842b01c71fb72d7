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
        text = decode_text(data, path)  # refuses binary content, reads UTF-16
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
