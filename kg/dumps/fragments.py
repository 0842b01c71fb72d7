"""Per-graph fragments of the dumps, reused from the previous build.

A named graph's part of kamervragen.ttl and kamervragen.trig (its triples as
Turtle, without prefixes) and of kamervragen.jsonld (its node objects) is a
function of the graph's sorted lines alone. So a dump is written as a header,
then each graph's fragment in graph order (in a wrapper that names the graph
where the format has one), then a footer; and beside the build cache an
index records where each fragment lies in the file, by the graph's content
hash (the SHA-256 that kg.build.Spool keeps per graph).

The next build copies the fragment of every graph whose lines are unchanged
from the previous file, and serialises only the others: with one changed
publication one fragment per format is made, the rest is copying. A previous
file is used only while it is the one indexed (same size and modification
time, as kg.build's up-to-date check) and was written by the same code
(``key``); otherwise everything is serialised again. Either way the bytes
are those a build from scratch writes.

The file's SHA-256 is computed while it is written, for the manifest.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from kg.manifest import write_atomic

INDEX_SUFFIX = ".fragments.json"


class FragmentFile:
    """One dump being written: plain parts (``write``) and per-graph
    fragments (``fragment``/``add``), hashed as they go."""

    def __init__(self, path: Path, key: str, index_dir: Path | None = None, previous: Path | None = None) -> None:
        self.path = Path(path)
        self.key = key
        self.index_path = Path(index_dir) / (self.path.name + INDEX_SUFFIX) if index_dir is not None else None
        self._out = self.path.open("wb")
        self._sha = hashlib.sha256()
        self._offset = 0
        self._index: dict[str, list[int]] = {}
        self._old: dict[str, list[int]] = {}
        self._old_file = None
        self.reused = self.made = 0
        if self.index_path is not None and previous is not None:
            self._open_previous(Path(previous))

    def _open_previous(self, previous: Path) -> None:
        try:
            index = json.loads(self.index_path.read_text(encoding="utf-8"))
            st = previous.stat()
        except (OSError, ValueError):
            return
        if not isinstance(index, dict) or index.get("key") != self.key:
            return
        if index.get("size") != st.st_size or index.get("mtime_ns") != st.st_mtime_ns:
            return  # not the file indexed (a build killed before its switch, or edited by hand)
        fragments = index.get("fragments")
        if not isinstance(fragments, dict):
            return
        try:
            self._old_file = previous.open("rb")
        except OSError:
            return
        self._old = fragments

    def write(self, data: bytes) -> None:
        self._out.write(data)
        self._sha.update(data)
        self._offset += len(data)

    def fragment(self, graph_hash: str) -> bytes | None:
        """The fragment of the graph with these lines in the previous file, if it is there."""
        where = self._old.get(graph_hash)
        if where is None or self._old_file is None:
            return None
        self._old_file.seek(where[0])
        data = self._old_file.read(where[1])
        return data if len(data) == where[1] else None

    def add(self, graph_hash: str, data: bytes, reused: bool = False) -> None:
        self._index[graph_hash] = [self._offset, len(data)]
        self.write(data)
        if reused:
            self.reused += 1
        else:
            self.made += 1

    def close(self) -> str:
        """Finish the file and its index; return its SHA-256."""
        self._out.close()
        if self._old_file is not None:
            self._old_file.close()
        if self.index_path is not None:
            st = self.path.stat()
            # Renames keep size and mtime: the index stays true of the file once switched in.
            index = {"key": self.key, "size": st.st_size, "mtime_ns": st.st_mtime_ns, "reused": self.reused, "made": self.made,
                     "fragments": self._index}
            self.index_path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.index_path, json.dumps(index, separators=(",", ":")))
        return self._sha.hexdigest()

    def abort(self) -> None:
        self._out.close()
        if self._old_file is not None:
            self._old_file.close()


def fragment_key(*parts: str) -> str:
    """What a fragment depends on besides its lines: kg's code (the writers,
    the prefixes, the context), the serialiser's version, and ``parts``."""
    import pyoxigraph

    from kg.cache import code_digest

    h = hashlib.sha256(f"{code_digest()}\n{pyoxigraph.__version__}".encode("utf-8"))
    for part in parts:
        h.update(b"\0" + part.encode("utf-8"))
    return h.hexdigest()[:24]


def copy_hashed(source: Path, target: Path) -> str:
    """Copy a file; return the SHA-256 of what was copied."""
    h = hashlib.sha256()
    with Path(source).open("rb") as src, Path(target).open("wb") as out:
        while True:
            block = src.read(1 << 20)
            if not block:
                break
            h.update(block)
            out.write(block)
    return h.hexdigest()


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with Path(path).open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


__all__ = ["FragmentFile", "INDEX_SUFFIX", "copy_hashed", "fragment_key", "sha256_of"]
