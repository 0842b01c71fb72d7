"""A binary stream over lines made on the fly, so that pyoxigraph's parser
reads a build's N-Triples or N-Quads without them all being in memory."""
from __future__ import annotations

import io
from collections.abc import Iterable


class LineReader(io.RawIOBase):
    """Reads ``lines`` (strings without newline) as UTF-8 bytes, one line
    each; or, with ``blocks=True``, strings of whole lines as they are."""

    def __init__(self, lines: Iterable[str], blocks: bool = False) -> None:
        self._lines = iter(lines)
        self._blocks = blocks
        self._buffer = b""
        self._pos = 0

    def readable(self) -> bool:
        return True

    def readinto(self, target) -> int:  # noqa: ANN001 - a writable buffer
        while self._blocks and self._pos >= len(self._buffer):
            block = next(self._lines, None)
            if block is None:
                return 0
            self._buffer, self._pos = block.encode("utf-8"), 0
        if self._pos >= len(self._buffer):
            batch = []
            for line in self._lines:
                batch.append(line)
                if len(batch) >= 2048:
                    break
            if not batch:
                return 0
            self._buffer = ("\n".join(batch) + "\n").encode("utf-8")
            self._pos = 0
        n = min(len(target), len(self._buffer) - self._pos)
        target[:n] = self._buffer[self._pos : self._pos + n]
        self._pos += n
        return n
