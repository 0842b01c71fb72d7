"""The build cache: what each input gave, keyed by its content.

One SQLite file (the standard library's, no server). Per input file, keyed
by the SHA-256 of its bytes and the build's ``config`` (kg's version, a
digest of kg's own code and data, the IRI base): the file's result for the
report and, per publication it holds, its N-Triples lines (zlib) and its link
record (pickled). An unchanged input is not read or parsed again; a stat
shortcut (size and mtime_ns → the hash seen last time) spares even hashing
it. Validation results are kept per chunk hash.

The cache is a speed-up, never a source of truth: a damaged or foreign file
is set aside and the build starts a new one.
"""
from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sqlite3
from importlib import resources
from pathlib import Path

from kg import __version__

CACHE_FILE = "build-cache.sqlite"
SCHEMA = 1

_TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS stat (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, sha256 TEXT);
CREATE TABLE IF NOT EXISTS input (sha256 TEXT, config TEXT, outcome BLOB, PRIMARY KEY (sha256, config));
CREATE TABLE IF NOT EXISTS pub (sha256 TEXT, config TEXT, seq INTEGER, lines BLOB, record BLOB, PRIMARY KEY (sha256, config, seq));
"""


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """A digest of kg's own modules and data files: a change to the code
    (a parser fix without a version bump) invalidates the cache."""
    h = hashlib.sha256(__version__.encode("utf-8"))
    root = Path(str(resources.files("kg")))
    paths = sorted(
        p for p in root.rglob("*")
        if p.is_file() and p.suffix in (".py", ".csv", ".txt", ".xz", ".json", ".ttl", ".rq", ".j2")
        and "__pycache__" not in p.parts and "samples" not in p.relative_to(root).parts
    )
    for p in paths:
        h.update(str(p.relative_to(root)).encode("utf-8") + b"\0")
        h.update(p.read_bytes())
    # The ontology, shapes and queries ship beside the package in a checkout.
    for package in ("kg.ontology", "kg.shapes"):
        try:
            for entry in sorted(resources.files(package).iterdir(), key=lambda e: e.name):
                if entry.name.endswith(".ttl"):
                    h.update(entry.name.encode("utf-8") + b"\0" + entry.read_bytes())
        except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError):
            pass
    return h.hexdigest()[:24]


def config_key(base: str) -> str:
    return hashlib.sha256(f"{code_digest()}\n{base}".encode("utf-8")).hexdigest()[:24]


def pack(obj: object) -> bytes:
    """An input's outcome (its report entry and its publications' summaries,
    a few hundred bytes to 2 KB) as a plain pickle: zlib halves it, but
    starting a zlib stream costs more than the rest of storing it, and the
    lines (most of the file) are compressed already."""
    return pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)


def unpack(blob: bytes) -> object:
    return pickle.loads(blob)


class BuildCache:
    """The cache in one SQLite file; ``None``-safe helpers for a build without one."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = self._open()
        except sqlite3.DatabaseError:
            # Not ours or damaged: set it aside, start afresh.
            os.replace(self.path, self.path.with_suffix(f".damaged-{os.getpid()}"))
            self.db = self._open()

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(str(self.path), isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.executescript(_TABLES)
        row = db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
        if row is None:
            db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (str(SCHEMA),))
        elif row[0] != str(SCHEMA):
            db.close()
            raise sqlite3.DatabaseError("other schema")
        return db

    def close(self) -> None:
        self.db.close()

    # --------------------------------------------------------------- inputs

    def known_hash(self, path: Path, size: int, mtime_ns: int) -> str | None:
        row = self.db.execute("SELECT size, mtime_ns, sha256 FROM stat WHERE path=?", (str(path),)).fetchone()
        if row is not None and row[0] == size and row[1] == mtime_ns:
            return row[2]
        return None

    def remember_hash(self, path: Path, size: int, mtime_ns: int, sha256: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO stat VALUES (?, ?, ?, ?)", (str(path), size, mtime_ns, sha256))

    def outcome(self, sha256: str, config: str) -> object | None:
        row = self.db.execute("SELECT outcome FROM input WHERE sha256=? AND config=?", (sha256, config)).fetchone()
        return unpack(row[0]) if row is not None else None

    def store_outcome(self, sha256: str, config: str, outcome: object, publications: list[tuple[bytes, bytes]]) -> None:
        """``publications``: (lines blob, record blob) per publication, in file order."""
        if self.db.in_transaction:  # inside the build's batch (begin/end)
            self._store_outcome(sha256, config, outcome, publications)
            return
        with self.db:
            self.db.execute("BEGIN")
            self._store_outcome(sha256, config, outcome, publications)

    def _store_outcome(self, sha256: str, config: str, outcome: object, publications: list[tuple[bytes, bytes]]) -> None:
        self.db.execute("DELETE FROM pub WHERE sha256=? AND config=?", (sha256, config))
        self.db.executemany(
            "INSERT INTO pub VALUES (?, ?, ?, ?, ?)",
            [(sha256, config, seq, lines, record) for seq, (lines, record) in enumerate(publications)],
        )
        self.db.execute("INSERT OR REPLACE INTO input VALUES (?, ?, ?)", (sha256, config, pack(outcome)))

    def lines(self, sha256: str, config: str, seq: int) -> bytes:
        row = self.db.execute("SELECT lines FROM pub WHERE sha256=? AND config=? AND seq=?", (sha256, config, seq)).fetchone()
        if row is None:
            raise KeyError((sha256, seq))
        return row[0]

    def record(self, sha256: str, config: str, seq: int) -> bytes:
        row = self.db.execute("SELECT record FROM pub WHERE sha256=? AND config=? AND seq=?", (sha256, config, seq)).fetchone()
        if row is None:
            raise KeyError((sha256, seq))
        return row[0]

    def begin(self) -> None:
        """Start a batch: many writes, one commit (a commit per input costs
        more than the input at archive scale)."""
        if not self.db.in_transaction:
            self.db.execute("BEGIN")

    def end(self) -> None:
        if self.db.in_transaction:
            self.db.execute("COMMIT")

    # -------------------------------------------------------------- pruning

    def prune(self, config: str, keep: set[str], paths: set[str] | None = None) -> None:
        """Forget inputs no longer in the build (and other configurations),
        so that the file does not grow with every edit."""
        with self.db:
            self.db.execute("BEGIN")
            if paths is not None:
                gone = [(p,) for (p,) in self.db.execute("SELECT path FROM stat") if p not in paths]
                self.db.executemany("DELETE FROM stat WHERE path=?", gone)
            rows = self.db.execute("SELECT sha256, config FROM input").fetchall()
            stale = [(s, c) for s, c in rows if c != config or s not in keep]
            self.db.executemany("DELETE FROM input WHERE sha256=? AND config=?", stale)
            self.db.executemany("DELETE FROM pub WHERE sha256=? AND config=?", stale)
