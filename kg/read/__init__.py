"""Readers: one module per input format behind one small interface.

A reader turns a file into a ``kg.model.SourceText``. ``read(path)`` picks the
reader by the file's suffix (``READERS``); adding a format means adding one
module with a ``Reader`` and one line in ``_REGISTRY``.
"""
from __future__ import annotations

import hashlib
import importlib
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from kg.errors import ReadError
from kg.model import FOOTNOTE_MARK, Publication, SourceText


class Reader(Protocol):
    """Turns one file of its format into a SourceText; raises ReadError."""

    name: str

    def read(self, path: Path) -> SourceText: ...


# suffix -> (module, class); modules are imported on first use so that the
# PDF library is loaded only when a PDF is read.
_REGISTRY: dict[str, tuple[str, str]] = {
    ".txt": ("kg.read.text", "TextReader"),
    ".text": ("kg.read.text", "TextReader"),
    ".md": ("kg.read.text", "MarkdownReader"),
    ".markdown": ("kg.read.text", "MarkdownReader"),
    ".pdf": ("kg.read.pdf", "PdfReader"),
    ".html": ("kg.read.html", "HtmlReader"),
    ".htm": ("kg.read.html", "HtmlReader"),
    ".xml": ("kg.read.xml", "XmlReader"),
    ".docx": ("kg.read.docx", "DocxReader"),
}

# Structured sources that already hold publications' facts rather than their
# text (the Tweede Kamer's zaak records): suffix -> (module, function). Such a
# function takes the path and yields kg.model.Publication objects, many per
# file; the build maps them without the parse stage. Compound suffixes
# (".jsonl.xz") are matched before simple ones.
_STRUCTURED: dict[str, tuple[str, str]] = {
    # The Tweede Kamer's zaken (kg.read.zaken): JSON lines as shipped, and a
    # page of the OData API saved as NAME.odata.json (a bare ".json" would
    # also claim every other JSON file in an input folder, such as the
    # corpus's gold annotations).
    ".jsonl": ("kg.read.zaken", "read_jsonl"),
    ".jsonl.xz": ("kg.read.zaken", "read_jsonl"),
    ".odata.json": ("kg.read.zaken", "read_odata"),
}

SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(sorted(_REGISTRY))

# Words in a file name that say the source is cut short.
_TRUNCATED_NAME = re.compile(r"\.(truncated|partial|excerpt)\b|[-_.](partial|excerpt|truncated)[-_.]", re.I)


def reader_for(path: Path) -> Reader:
    try:
        module_name, class_name = _REGISTRY[path.suffix.lower()]
    except KeyError:
        raise ReadError(
            f"unsupported file type {path.suffix or '(none)'}; kg reads {', '.join(SUPPORTED_SUFFIXES)}", path
        ) from None
    module = importlib.import_module(module_name)
    return getattr(module, class_name)()


def _structured_entry(path: Path) -> tuple[str, str] | None:
    name = path.name.lower()
    for suffix in sorted(_STRUCTURED, key=len, reverse=True):
        if name.endswith(suffix):
            return _STRUCTURED[suffix]
    return None


def is_structured(path: Path) -> bool:
    """True when ``path`` is a structured source (many publications' facts, no text)."""
    return _structured_entry(path) is not None


def read_structured(path: Path) -> Iterator[Publication]:
    """The publications of a structured source, one by one; raises ReadError."""
    entry = _structured_entry(path)
    if entry is None:
        raise ReadError("not a structured source", path)
    module_name, function_name = entry
    return getattr(importlib.import_module(module_name), function_name)(path)


def read(path: Path) -> SourceText:
    """Read one file with the reader for its format."""
    return reader_for(path).read(path)


_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")  # soft hyphen, zero-width marks, BOM
_SPACE = re.compile(r"\s+")
_SPACE_BEFORE_MARK = re.compile(r"\s+(?=" + re.escape(FOOTNOTE_MARK).replace(r"\{\}", r"\d+") + ")")


def tidy_text(text: str) -> str:
    """One line of structured text (HTML, XML, Word): invisible characters
    out, white space folded, a footnote mark against its word, NFC."""
    text = _INVISIBLE.sub("", text)
    text = _SPACE.sub(" ", text).strip()
    text = _SPACE_BEFORE_MARK.sub("", text)
    return unicodedata.normalize("NFC", text)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file, read in blocks (inputs and outputs may be large)."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def name_says_truncated(path: Path) -> bool:
    return bool(_TRUNCATED_NAME.search(path.name))


def decode_text(data: bytes, path: Path) -> str:
    """Decode text bytes: UTF-16 (with a BOM, or without one when every other
    byte is NUL, as Windows tools write it), UTF-8 (with or without BOM),
    else Windows-1252, the encodings Dutch government text files come in.
    Other binary content (NUL bytes in what is not UTF-16) is refused."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ReadError("text says UTF-16 (byte order mark) but does not decode as such", path) from None
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        try:
            return data.decode(utf16)
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:4096]:
        raise ReadError("binary content in a text file", path)
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReadError("text is neither UTF-8 nor Windows-1252", path)


def _utf16_without_bom(data: bytes) -> str | None:
    """"utf-16-le" or "utf-16-be" when the NUL bytes of ``data`` fall on every
    other byte (Latin text in UTF-16); None otherwise."""
    head = data[:4096]
    if len(head) < 4 or len(head) % 2:
        head = head[: len(head) - (len(head) % 2)]
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    half = len(head) // 2
    if odd.count(0) > 0.9 * half and even.count(0) < 0.1 * half:
        return "utf-16-le"
    if even.count(0) > 0.9 * half and odd.count(0) < 0.1 * half:
        return "utf-16-be"
    return None


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ReadError(f"cannot read file: {exc.strerror or exc}", path) from exc
