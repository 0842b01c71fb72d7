"""The on-disk store: an Oxigraph database (RocksDB) in a directory.

It holds one named graph per publication, the shared graph and the
description graph (kg.iris: ``graph``, ``shared_graph``,
``description_graph``); queries run over the union of them
(``use_default_graph_as_union``). ``kg build --store DIR``:

- the first time (or when the store's state is unknown) bulk-loads the whole
  build with pyoxigraph's ``bulk_load`` (the fastest way in:
  shared/docs/performance.md) into a new store beside the old one and swaps
  it in, so a failed load leaves the previous store as it was;
- afterwards updates it in place: only the graphs whose triples changed
  (the changed publications', the shared graph, the description) get their
  stale quads removed and their new ones added. ``kg-state.json`` in the
  store directory records each graph's hash as the build left it.

``kg query --store DIR`` and ``kg serve --store DIR`` open it read-only, so
several readers may share it. Only a directory that already holds an
Oxigraph store is ever replaced or changed.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

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

    def fill(store: pyoxigraph.Store) -> None:
        if isinstance(ntriples, bytes):
            store.bulk_load(ntriples, format=ox.RdfFormat.N_TRIPLES)
        else:
            store.bulk_load(path=str(ntriples), format=ox.RdfFormat.N_TRIPLES)

    return _load_fresh(Path(store_dir), fill)


def _load_fresh(store_dir: Path, fill: Any) -> int:
    """Build a new store beside ``store_dir`` with ``fill(store)`` and swap it
    in; a failed load leaves the old store as it was. Returns its size."""
    import pyoxigraph as ox

    check_store_dir(store_dir)
    store_dir.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{store_dir.name}.loading-", dir=store_dir.parent))
    try:
        store = ox.Store(str(fresh))
        fill(store)
        store.optimize()
        store.flush()
        count = len(store)
        del store  # closes the database before it moves
        _swap_in(fresh, store_dir)
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


STATE_FILE = "kg-state.json"


def check_store_dir(store_dir: Path) -> None:
    """Refuse, before any work, a --store that kg may not write: a file, or a
    non-empty folder that holds no Oxigraph store."""
    store_dir = Path(store_dir)
    if store_dir.exists() and not store_dir.is_dir():
        raise UsageError(f"--store {store_dir}: is a file, not a directory")
    if store_dir.is_dir():
        try:
            entries = list(store_dir.iterdir())
        except OSError as exc:
            raise UsageError(f"--store {store_dir}: cannot read the folder ({exc.strerror or exc})") from None
        if entries and not is_store(store_dir):
            raise UsageError(f"--store {store_dir}: the directory is not empty and holds no Oxigraph store; choose an empty or new directory")
    parent = store_dir.parent if not store_dir.exists() else store_dir
    while not parent.exists():
        parent = parent.parent
    if not os.access(parent, os.W_OK):
        raise UsageError(f"--store {store_dir}: {parent} is not writable")


def store_state(store_dir: Path) -> dict[str, Any]:
    """What the last build left in the store: its fingerprint and each graph's hash."""
    try:
        data = json.loads((Path(store_dir) / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and is_store(Path(store_dir)) else {}


def _write_state(store_dir: Path, state: dict[str, Any]) -> None:
    from kg.manifest import write_atomic

    write_atomic(Path(store_dir) / STATE_FILE, json.dumps(state, sort_keys=True) + "\n")


def _hash(lines: list[str]) -> str:
    # The same hash as kg.build.Spool keeps per graph.
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def update_store(store_dir: Path, result: Any, fingerprint: str = "", progress: Callable[[str, int, int], None] | None = None,
                 trig: Path | None = None) -> int:
    """Bring the store at ``store_dir`` to the build ``result`` (kg.build.BuildResult);
    return the number of graphs loaded or changed. ``trig``: the build's
    kamervragen.trig, the fastest way in for a first load."""
    import pyoxigraph as ox

    from kg.dumps import prepare
    from kg.dumps.stream import LineReader
    from kg.dumps.trig import nquads
    from kg.iris import IriMinter

    store_dir = Path(store_dir)
    check_store_dir(store_dir)
    iris = IriMinter(result.base)
    dumps = getattr(result, "dumps", None) or prepare(result, iris)
    spool = result.spool
    identifiers: dict[str, str] = {}
    hashes = {dumps.description_graph: _hash(dumps.description)}
    for ident, h in spool.graph_hashes.items():
        if ident or spool.graph_sizes[ident]:  # an empty shared graph is no graph
            iri = str(iris.graph(ident)) if ident else str(iris.shared_graph())
            identifiers[iri] = ident
            hashes[iri] = h
    def _lines(iri: str) -> list[str]:
        return list(dumps.description) if iri == dumps.description_graph else spool.graph(identifiers[iri])

    def _large(iri: str) -> bool:
        # The graphs that change with every build and grow with the archive.
        return iri == dumps.description_graph or identifiers.get(iri) == ""

    state = store_state(store_dir)
    if not state.get("graphs") or state.get("base") != result.base:
        # First load (or a store of unknown state): bulk, beside, swapped in;
        # from the TriG just written when there is one (parsed in Rust, no
        # Python per line), its default graph (the description) then moved
        # into the description graph.
        if trig is not None and trig.is_file():
            load_quads(store_dir, trig, description_graph=dumps.description_graph)
        else:
            load_quads(store_dir, LineReader(nquads(dumps, dumps.description_graph), blocks=True))
        _write_state(store_dir, {"fingerprint": fingerprint, "base": result.base, "graphs": hashes})
        _keep_snapshots(store_dir, {iri: _lines(iri) for iri in hashes if _large(iri)}, hashes)
        if progress:
            progress("load", 1, 1)
        return len(hashes)
    old: dict[str, str] = state["graphs"]
    changed = [iri for iri, h in hashes.items() if old.get(iri) != h]
    gone = sorted(old.keys() - hashes.keys())  # publications that left the build
    store = ox.Store(str(store_dir))
    try:
        snapshots: dict[str, list[str]] = {}
        for n, iri in enumerate(changed, start=1):
            lines = _lines(iri)
            graph = ox.NamedNode(iri)
            previous = _snapshot(store_dir, old.get(iri)) if _large(iri) else None
            # Only the difference is written: a changed publication touches
            # its own graph, and the shared graph changes by a few lines.
            if previous is not None:  # the lines the store got last time: a diff of lines, no store scan
                new_set, old_set = set(lines), set(previous)
                stale = _triples("\n".join(sorted(old_set - new_set)))
                fresh_triples = _triples("\n".join(sorted(new_set - old_set)))
            else:
                want = _triples("\n".join(lines))
                have = {ox.Triple(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, graph)}
                stale, fresh_triples = have - want, want - have
            for t in stale:
                store.remove(ox.Quad(t.subject, t.predicate, t.object, graph))
            fresh = [ox.Quad(t.subject, t.predicate, t.object, graph) for t in fresh_triples]
            if fresh:
                store.extend(fresh)
            if _large(iri):
                snapshots[iri] = lines
            if progress:
                progress("load", n, len(changed) + len(gone))
        for iri in gone:
            store.remove_graph(ox.NamedNode(iri))
        store.flush()
    finally:
        del store
    _write_state(store_dir, {"fingerprint": fingerprint, "base": result.base, "graphs": hashes})
    _keep_snapshots(store_dir, snapshots, hashes)
    if progress:
        progress("load", 1, 1)
    return len(changed) + len(gone)


SNAPSHOTS = "kg-lines"  # in the store folder: the lines of its large graphs as last loaded, by hash


def _triples(text: str) -> set:
    import pyoxigraph as ox

    return set(ox.parse(text + "\n", format=ox.RdfFormat.N_TRIPLES)) if text else set()


def _snapshot(store_dir: Path, digest: str | None) -> list[str] | None:
    if not digest:
        return None
    try:
        text = (store_dir / SNAPSHOTS / f"{digest}.nt").read_text(encoding="utf-8")
    except OSError:
        return None
    lines = text.split("\n") if text else []
    return lines if _hash(lines) == digest else None


def _keep_snapshots(store_dir: Path, snapshots: dict[str, list[str]], hashes: dict[str, str]) -> None:
    """Save the lines of the large graphs just loaded; drop those of graphs gone or changed."""
    from kg.manifest import write_atomic

    folder = store_dir / SNAPSHOTS
    folder.mkdir(exist_ok=True)
    for iri, lines in snapshots.items():
        write_atomic(folder / f"{hashes[iri]}.nt", "\n".join(lines))
    keep = {f"{h}.nt" for h in hashes.values()}
    for p in folder.iterdir():
        if p.name not in keep:
            p.unlink(missing_ok=True)


def load_quads(store_dir: Path, source: Any, description_graph: str | None = None) -> int:
    """Replace the store at ``store_dir`` with the quads of ``source`` (an
    N-Quads binary stream, or the path of a TriG file whose default graph,
    the description, goes into ``description_graph``); return the number of quads."""
    import pyoxigraph as ox

    def fill(store: pyoxigraph.Store) -> None:
        if isinstance(source, Path):
            store.bulk_load(path=str(source), format=ox.RdfFormat.TRIG)
            if description_graph is not None:
                graph = ox.NamedNode(description_graph)
                default = list(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
                store.extend([ox.Quad(q.subject, q.predicate, q.object, graph) for q in default])
                for q in default:
                    store.remove(q)
        else:
            store.bulk_load(source, format=ox.RdfFormat.N_QUADS)

    return _load_fresh(Path(store_dir), fill)


def _swap_in(fresh: Path, store_dir: Path) -> None:
    old = None
    if store_dir.exists():
        old = store_dir.with_name(f".{store_dir.name}.old-{os.getpid()}")
        store_dir.rename(old)
    fresh.rename(store_dir)
    if old is not None:
        shutil.rmtree(old)
