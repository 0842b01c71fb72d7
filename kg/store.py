"""The on-disk store: an Oxigraph database (RocksDB) in a directory.

``kg build --store DIR`` loads the build's N-Triples into it with
pyoxigraph's ``bulk_load`` (the fastest way in: shared/docs/performance.md);
``kg query --store DIR`` and ``kg serve --store DIR`` open it read-only, so
several readers may share it. A load builds a new store beside the old one
and swaps it in, so a failed load leaves the previous store as it was; only a
directory that already holds an Oxigraph store is ever replaced.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import UsageError

if TYPE_CHECKING:
    import pyoxigraph


def is_store(path: Path) -> bool:
    """True when ``path`` holds an Oxigraph (RocksDB) database."""
    return (path / "CURRENT").is_file() and any(path.glob("MANIFEST-*"))


def load_ntriples(store_dir: Path, ntriples: Path | bytes) -> int:
    """Replace the store at ``store_dir`` with the triples of ``ntriples`` (a
    file, or the N-Triples text as bytes); return the number of triples."""
    import pyoxigraph as ox

    store_dir = Path(store_dir)
    if store_dir.exists() and not store_dir.is_dir():
        raise UsageError(f"--store {store_dir}: is a file, not a directory")
    if store_dir.is_dir() and any(store_dir.iterdir()) and not is_store(store_dir):
        raise UsageError(f"--store {store_dir}: the directory is not empty and holds no Oxigraph store; choose an empty or new directory")
    store_dir.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{store_dir.name}.loading-", dir=store_dir.parent))
    try:
        store = ox.Store(str(fresh))
        if isinstance(ntriples, bytes):
            store.bulk_load(ntriples, format=ox.RdfFormat.N_TRIPLES)
        else:
            store.bulk_load(path=str(ntriples), format=ox.RdfFormat.N_TRIPLES)
        store.optimize()
        store.flush()
        count = len(store)
        del store  # closes the database before it moves
        old = None
        if store_dir.exists():
            old = store_dir.with_name(f".{store_dir.name}.old-{os.getpid()}")
            store_dir.rename(old)
        fresh.rename(store_dir)
        if old is not None:
            shutil.rmtree(old)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    return count


def open_store(store_dir: Path) -> pyoxigraph.Store:
    """The store at ``store_dir``, read-only."""
    import pyoxigraph as ox

    store_dir = Path(store_dir)
    if not store_dir.is_dir() or not is_store(store_dir):
        raise UsageError(f"no Oxigraph store at {store_dir} (make one with: kg build ... --store {store_dir})")
    try:
        return ox.Store.read_only(str(store_dir))
    except OSError as exc:
        raise UsageError(f"cannot open the store at {store_dir}: {exc}") from exc


def load_build(store_dir: Path, out_dir: Path | None, ntriples_chunks: list[str]) -> int:
    """Load a build into the store: its written ``kamervragen.nt`` when there
    is one, else its N-Triples chunks (merged and sorted as the writer does)."""
    dump = Path(out_dir) / "kamervragen.nt" if out_dir is not None else None
    if dump is not None and dump.is_file():
        return load_ntriples(store_dir, dump)
    lines = sorted({ln for chunk in ntriples_chunks for ln in chunk.splitlines() if ln.strip()})
    return load_ntriples(store_dir, "".join(ln + "\n" for ln in lines).encode("utf-8"))
