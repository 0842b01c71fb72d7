"""The on-disk store: an Oxigraph database (RocksDB) in a directory.

Layout (``LAYOUT`` in ``kg-state.json``): one named graph per publication,
the shared graph and the description graph (kg.iris: ``graph``,
``shared_graph``, ``description_graph``); and the union of the publication
and shared graphs, as a set, in the store's default graph: the graph of
kamervragen.nt, which ``kg query --graph`` reads too. The description (VoID,
PROV) is in its named graph only: it is not the knowledge graph, and it
changes with every build. Queries read the default graph: Oxigraph
answers over one default graph 1.5-3x faster than over the union of 10,000
named graphs (``use_default_graph_as_union``), and the union repeats a
triple that two graphs hold (a cited publication's type is in the graph of
each publication that cites it), so only the default graph gives the rows
of the merged graph. The named graphs stay for ``GRAPH``, the protocol's
``named-graph-uri``/``default-graph-uri`` and the in-place update.

``kg build --store DIR``:

- the first time (or when the store's state is unknown) bulk-loads the whole
  build in a child process (its memory is not the build's), from files
  Oxigraph parses in Rust: the build's TriG for the named graphs (its default
  graph, the description, straight into the description graph) and the
  sorted N-Triples for the default graph; into a new
  store beside the old one, swapped in, so a failed load leaves the previous
  store as it was;
- afterwards updates it in place: only the graphs whose triples changed
  (the changed publications', the shared graph, the description) get their
  stale quads removed and their new ones added, in their named graph and
  (but for the description) in the default graph; a triple leaves the
  default graph only when no named graph but the description holds it.
  ``kg-state.json`` in the store directory records each graph's hash as the
  build left it; it is marked incomplete while the store changes, so that a
  build killed half-way is followed by a full load.

``kg query --store DIR`` and ``kg serve --store DIR`` open it read-only, so
several readers may share it. Only a directory that already holds an
Oxigraph store is ever replaced or changed.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import KgError, UsageError

if TYPE_CHECKING:
    import pyoxigraph

LAYOUT = 2  # named graphs, and kamervragen.nt's graph in the default graph (1: named graphs only)
STATE_FILE = "kg-state.json"
SNAPSHOTS = "kg-lines"  # in the store folder: the lines of its large graphs as last loaded, by hash


class StoreLoadError(KgError):
    """The child process that bulk-loads a store failed."""


def is_store(path: Path) -> bool:
    """True when ``path`` holds an Oxigraph (RocksDB) database."""
    return (path / "CURRENT").is_file() and any(path.glob("MANIFEST-*"))


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


def queries_union(store: pyoxigraph.Store) -> bool:
    """Whether queries over ``store`` must read the union of its named graphs:
    only when its default graph is empty (a store of layout 1, or one a user
    filled with named graphs alone). A kg store of this layout holds the
    union of its publication and shared graphs in its default graph; an
    in-memory store of one graph holds all in its default graph. One index seek."""
    import pyoxigraph as ox

    return next(iter(store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is None


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


# ---------------------------------------------------------------- bulk loads


def load_ntriples(store_dir: Path, ntriples: Path | bytes) -> int:
    """Replace the store at ``store_dir`` with the triples of ``ntriples`` (a
    file, or the N-Triples text as bytes) in its default graph; return the
    number of triples."""
    store_dir = Path(store_dir)
    check_store_dir(store_dir)
    with _fresh_beside(store_dir) as fresh:
        source = ntriples
        if isinstance(ntriples, bytes):
            source = fresh.scratch / "input.nt"
            source.write_bytes(ntriples)
        return _swap_in_loaded(fresh, store_dir, [(Path(source), "N_TRIPLES", None)], lenient=False)["quads"]


def load_files(store_dir: Path, files: list[tuple[Path, str, str | None]], lenient: bool = False, info: dict | None = None) -> int:
    """Replace the store at ``store_dir`` with the contents of ``files``
    ((path, pyoxigraph RdfFormat name, graph IRI for its default-graph
    triples or None), bulk-loaded in that order by a child process); return
    the number of quads. ``lenient``: skip IRI checks, for files kg wrote."""
    store_dir = Path(store_dir)
    check_store_dir(store_dir)
    with _fresh_beside(store_dir) as fresh:
        done = _swap_in_loaded(fresh, store_dir, files, lenient)
    if info is not None:
        info.update(done)
    return done["quads"]


class _Fresh:
    def __init__(self, path: Path) -> None:
        self.path = path  # the new store's folder
        self.scratch = path.with_name(path.name + "-files")  # inputs written for the load


class _fresh_beside:
    """A new, empty folder beside ``store_dir`` (same file system, so the
    swap is a rename), removed with its scratch files unless swapped in."""

    def __init__(self, store_dir: Path) -> None:
        store_dir.parent.mkdir(parents=True, exist_ok=True)
        self.fresh = _Fresh(Path(tempfile.mkdtemp(prefix=f".{store_dir.name}.loading-", dir=store_dir.parent)))
        self.fresh.scratch.mkdir()

    def __enter__(self) -> _Fresh:
        return self.fresh

    def __exit__(self, *exc: object) -> None:
        shutil.rmtree(self.fresh.scratch, ignore_errors=True)
        shutil.rmtree(self.fresh.path, ignore_errors=True)  # gone already when swapped in


def _swap_in_loaded(fresh: _Fresh, store_dir: Path, files: list[tuple[Path, str, str | None]], lenient: bool) -> dict:
    done = _load_in_child(fresh.path, files, lenient)
    _swap_in(fresh.path, store_dir)
    return done


def _load_in_child(target: Path, files: list[tuple[Path, str, str | None]], lenient: bool) -> dict:
    """Bulk-load ``files`` into a new store at ``target`` in a child process:
    the loader's buffers (about 1 GB at a million quads) are then not the
    build's memory, and they are returned to the system when it exits."""
    spec = json.dumps({"target": str(target), "lenient": lenient, "files": [[str(p), fmt, g] for p, fmt, g in files]})
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(Path(__file__).resolve().parent.parent), os.environ.get("PYTHONPATH")]))}
    proc = subprocess.run([sys.executable, "-c", "import sys; from kg.store import _child_main; sys.exit(_child_main())"],
                          input=spec, capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        lines = [ln for ln in proc.stderr.strip().splitlines() if ln.strip()]
        message = lines[-1] if lines else f"exit status {proc.returncode}"
        if message.startswith("SyntaxError: "):
            raise SyntaxError(message[len("SyntaxError: "):])
        raise StoreLoadError(f"loading the store at {target.parent} failed: {message}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _child_main() -> int:
    """The loading child: reads its job (JSON) from stdin, prints what it did."""
    import resource
    import signal
    import time

    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG: die with the build
        except (OSError, AttributeError):
            pass
    import pyoxigraph as ox

    job = json.loads(sys.stdin.read())
    started = time.perf_counter()
    store = ox.Store(job["target"])
    try:
        for path, fmt, graph in job["files"]:
            store.bulk_load(path=path, format=getattr(ox.RdfFormat, fmt), to_graph=ox.NamedNode(graph) if graph else None,
                            lenient=job["lenient"])
    except SyntaxError as exc:
        print(f"SyntaxError: {path}: {exc}", file=sys.stderr)
        return 1
    if job.get("optimize", True):
        # Compacts the bulk loader's overlapping files: about 20 % more
        # load time for named queries 1.2-1.9x faster (10k, measured).
        store.optimize()
    store.flush()
    quads = len(store)
    del store
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"quads": quads, "seconds": round(time.perf_counter() - started, 3),
                      "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 3), "peak_memory_mb": _own_peak_mb(usage)}))
    return 0


def _own_peak_mb(usage: Any) -> float:
    """This process's peak resident memory in MB: VmHWM (kg.memwatch), not
    ru_maxrss, which after fork + exec holds the parent's peak (a loader
    started from a 7 GB build would report 7 GB); ru_maxrss only where /proc is missing."""
    from kg.memwatch import peak_rss_mb

    peak = peak_rss_mb()
    if peak is not None:
        return peak
    scale = 1 / 1024 if sys.platform != "darwin" else 1 / 2**20
    return round(usage.ru_maxrss * scale, 1)


def _swap_in(fresh: Path, store_dir: Path) -> None:
    old = None
    if store_dir.exists():
        old = store_dir.with_name(f".{store_dir.name}.old-{os.getpid()}")
        store_dir.rename(old)
    fresh.rename(store_dir)
    if old is not None:
        shutil.rmtree(old)


# ------------------------------------------------------------ state of a store


def store_state(store_dir: Path) -> dict[str, Any]:
    """What the last build left in the store: its fingerprint and each graph's
    hash; {} when unknown (no state, or a store being changed when its build stopped)."""
    try:
        data = json.loads((Path(store_dir) / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or not is_store(Path(store_dir)) or data.get("layout") != LAYOUT or not data.get("complete", False):
        return {}
    return data


def _write_state(store_dir: Path, state: dict[str, Any]) -> None:
    from kg.manifest import write_atomic

    write_atomic(Path(store_dir) / STATE_FILE, json.dumps({**state, "layout": LAYOUT}, sort_keys=True) + "\n")


def _hash(lines: list[str]) -> str:
    # The same hash as kg.build.Spool keeps per graph.
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


# ------------------------------------------------------------ the build's store


def first_load(store_dir: Path, base: str, state: dict[str, Any] | None = None) -> bool:
    """Whether :func:`update_store` will load the store at ``store_dir``
    whole (no store yet, or one of another base) rather than update it in place."""
    state = store_state(Path(store_dir)) if state is None else state
    return not state.get("graphs") or state.get("base") != base


def update_store(store_dir: Path, result: Any, fingerprint: str = "", progress: Callable[[str, int, int], None] | None = None,
                 trig: Path | None = None, info: dict | None = None) -> int:
    """Bring the store at ``store_dir`` to the build ``result`` (kg.build.BuildResult);
    return the number of graphs loaded or changed. ``trig``: the build's
    kamervragen.trig, the fastest way in for a first load. ``info`` receives
    how it was done: "mode" (load or update) and, for a load, the child's
    quads, seconds, CPU seconds and peak memory."""
    from kg.dumps import prepare
    from kg.iris import IriMinter

    store_dir = Path(store_dir)
    check_store_dir(store_dir)
    iris = IriMinter(result.base)
    dumps = getattr(result, "dumps", None) or prepare(result, iris)
    spool = result.spool
    identifiers: dict[str, str] = {}
    hashes = {dumps.description_graph: getattr(dumps, "description_sha256", None) or _hash(dumps.description_lines())}
    for ident, h in spool.graph_hashes.items():
        if ident or spool.graph_sizes[ident]:  # an empty shared graph is no graph
            iri = str(iris.graph(ident)) if ident else str(iris.shared_graph())
            identifiers[iri] = ident
            hashes[iri] = h

    def lines_of(iri: str) -> list[str]:
        return list(dumps.description_lines()) if iri == dumps.description_graph else spool.graph(identifiers[iri])

    def path_of(iri: str) -> Path | None:
        # The description's lines are on disk already, as a snapshot keeps them (kg.dumps.DumpJob).
        return getattr(dumps, "description_path", None) if iri == dumps.description_graph else None

    def snapshot_of(iri: str) -> Path | Callable[[], list[str]]:
        return path_of(iri) or functools.partial(lines_of, iri)

    def large(iri: str) -> bool:
        # The graphs that change with every build and grow with the archive.
        return iri == dumps.description_graph or identifiers.get(iri) == ""

    info = info if info is not None else {}
    state = store_state(store_dir)
    if first_load(store_dir, result.base, state):
        info["mode"] = "load"
        _load_build(store_dir, dumps, trig, info, getattr(result, "union_store", None))
        _write_state(store_dir, {"fingerprint": fingerprint, "base": result.base, "graphs": hashes, "complete": True})
        # One graph's lines at a time (the shared graph alone is hundreds of MB at 127k).
        _keep_snapshots(store_dir, {iri: snapshot_of(iri) for iri in hashes if large(iri)}, hashes)
        if progress:
            progress("load", 1, 1)
        return len(hashes)
    info["mode"] = "update"
    old: dict[str, str] = state["graphs"]
    changed = [iri for iri, h in hashes.items() if old.get(iri) != h]
    gone = sorted(old.keys() - hashes.keys())  # publications that left the build
    if changed or gone:
        # Marked incomplete while it changes: a build killed now is followed
        # by a full load, since the default graph's share of a half-done
        # change cannot be told from the named graphs afterwards.
        _write_state(store_dir, {**state, "complete": False})
        snapshots = _update_in_place(store_dir, changed, gone, old, lines_of, large, progress, dumps.description_graph, path_of)
    else:
        snapshots = {}
    _write_state(store_dir, {"fingerprint": fingerprint, "base": result.base, "graphs": hashes, "complete": True})
    _keep_snapshots(store_dir, snapshots, hashes)
    if progress:
        progress("load", 1, 1)
    return len(changed) + len(gone)


def _load_build(store_dir: Path, dumps: Any, trig: Path | None, info: dict, union: Path | None = None) -> None:
    """A first load: a fresh store from the build's files, swapped in.
    ``union``: a store whose default graph holds the merged graph already
    (the build's validation store); it becomes the fresh store when it can
    be moved there, and only the named graphs are loaded into it (at 127k
    publications that saves loading 15.7M triples)."""
    from kg.dumps.trig import nquads

    check_store_dir(store_dir)
    with _fresh_beside(store_dir) as fresh:
        if union is not None and union.is_dir():
            try:
                fresh.path.rmdir()
                union.rename(fresh.path)
            except OSError:  # another file system: loaded from kamervragen.nt as usual
                fresh.path.mkdir(exist_ok=True)
                union = None
        else:
            union = None
        if trig is not None and trig.is_file():
            # The TriG's default graph is the description: into its graph.
            named = [(trig, "TRIG", dumps.description_graph)]
        else:  # no TriG written (--formats, or no output folder): N-Quads from the spool
            path = fresh.scratch / "graphs.nq"
            with path.open("w", encoding="utf-8", newline="\n") as fh:
                fh.writelines(nquads(dumps, dumps.description_graph))
            named = [(path, "N_QUADS", None)]
        merged = [] if union is not None else [(Path(dumps.ntriples_path), "N_TRIPLES", None)]
        info.update(_swap_in_loaded(fresh, store_dir, named + merged, lenient=True))
        info["default_graph_from"] = "validation store" if union is not None else "kamervragen.nt"


def _update_in_place(store_dir: Path, changed: list[str], gone: list[str], old: dict[str, str],
                     lines_of: Callable[[str], list[str]], large: Callable[[str], bool],
                     progress: Callable[[str, int, int], None] | None, description: str,
                     path_of: Callable[[str], Path | None] = lambda iri: None) -> dict[str, list[str] | Path]:
    """Write the changes of the graphs ``changed`` and ``gone`` into the store;
    return what to keep as the large graphs' snapshots: their lines, or the
    file ``path_of`` gives them in."""
    import pyoxigraph as ox

    default = ox.DefaultGraph()
    outside = (default, ox.NamedNode(description))  # graphs whose triples are not the default graph's
    store = ox.Store(str(store_dir))
    snapshots: dict[str, list[str] | Path] = {}
    left: set = set()  # triples some graph lost: they may leave the default graph
    try:
        for n, iri in enumerate(changed, start=1):
            graph = ox.NamedNode(iri)
            previous = _snapshot_path(store_dir, old.get(iri)) if large(iri) else None
            on_disk = path_of(iri) if previous is not None else None
            # Only the difference is written: a changed publication touches
            # its own graph, and the shared graph and the description change by a few lines.
            if on_disk is not None:  # the lines the store got last time and this time, both files
                gone_lines, new_lines = _diff_sorted_files(previous, on_disk)
                stale, fresh = _triples("\n".join(gone_lines)), _triples("\n".join(new_lines))
                lines = on_disk  # the file is the snapshot
            elif previous is not None:  # a diff of lines, no store scan
                lines = lines_of(iri)
                new_set, old_set = set(lines), set(_read_lines(previous))
                stale = _triples("\n".join(sorted(old_set - new_set)))
                fresh = _triples("\n".join(sorted(new_set - old_set)))
            else:
                lines = lines_of(iri)
                want = _triples("\n".join(lines))
                have = {ox.Triple(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, graph)}
                stale, fresh = have - want, want - have
            for t in stale:
                store.remove(ox.Quad(t.subject, t.predicate, t.object, graph))
            into = (graph,) if iri == description else (graph, default)
            if fresh:
                store.extend([ox.Quad(t.subject, t.predicate, t.object, g) for t in fresh for g in into])
            if iri != description:
                left |= stale
            if large(iri):
                snapshots[iri] = lines
            if progress:
                progress("load", n, len(changed) + len(gone))
        for iri in gone:
            graph = ox.NamedNode(iri)
            left |= {ox.Triple(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, graph)}
            store.remove_graph(graph)
        for t in left:
            if all(q.graph_name in outside for q in store.quads_for_pattern(t.subject, t.predicate, t.object, None)):
                store.remove(ox.Quad(t.subject, t.predicate, t.object, default))
        store.flush()
    finally:
        del store
    return snapshots


def _triples(text: str) -> set:
    import pyoxigraph as ox

    return set(ox.parse(text + "\n", format=ox.RdfFormat.N_TRIPLES)) if text else set()


def _snapshot_path(store_dir: Path, digest: str | None) -> Path | None:
    """The lines a large graph had at the last load or update: a file named
    by their hash, only ever written whole (renamed or linked into place)."""
    path = store_dir / SNAPSHOTS / f"{digest}.nt"
    return path if digest and path.is_file() else None


def _read_lines(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return text.split("\n") if text else []


def _diff_sorted_files(old: Path, new: Path) -> tuple[list[str], list[str]]:
    """The lines only in ``old`` and those only in ``new``, two files of
    sorted lines (code point order, which is UTF-8's byte order). coreutils'
    comm walks both in C (0.7 s CPU for the description's 2.29M lines at 127k
    publications, against 2.5 s to read, split and compare them as sets
    here); the same sets in Python where it is missing."""
    comm = shutil.which("comm")
    if comm:
        done = subprocess.run([comm, "-3", str(old), str(new)], env={**os.environ, "LC_ALL": "C"}, capture_output=True)
        if done.returncode == 0:
            only_old: list[str] = []
            only_new: list[str] = []
            for line in done.stdout.decode("utf-8").split("\n"):
                if line:  # a line of the second file comes after a tab; no N-Triples line starts with one
                    (only_new.append(line[1:]) if line[0] == "\t" else only_old.append(line))
            return only_old, only_new
    a, b = set(_read_lines(old)), set(_read_lines(new))
    return sorted(a - b), sorted(b - a)


def _keep_snapshots(store_dir: Path, snapshots: dict[str, list[str] | Callable[[], list[str]] | Path], hashes: dict[str, str]) -> None:
    """Save the lines of the large graphs just loaded (or a function giving
    them, called when its graph is written, or a file holding them joined by
    newlines, linked or copied); drop those of graphs gone or changed."""
    from kg.manifest import link_or_copy, write_atomic

    folder = store_dir / SNAPSHOTS
    folder.mkdir(exist_ok=True)
    for iri, lines in snapshots.items():
        target = folder / f"{hashes[iri]}.nt"
        if isinstance(lines, Path):
            if target.is_file():  # unchanged: the same hash names the same lines
                continue
            tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
            link_or_copy(lines, tmp)
            os.replace(tmp, target)
        else:
            write_atomic(target, "\n".join(lines() if callable(lines) else lines))
    keep = {f"{h}.nt" for h in hashes.values()}
    for p in folder.iterdir():
        if p.name not in keep:
            p.unlink(missing_ok=True)
