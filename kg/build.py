"""The build: input files -> read -> parse -> map -> link -> validate -> write.

This module is the one place that runs the pipeline; the CLI only calls it.

How it scales (figures in benchmarks/results.md):

- **Workers.** Each input is read, parsed and mapped in a worker process
  (``--jobs``, default all cores), straight to sorted N-Triples lines (no
  rdflib Graph per publication), plus the compact record the link stage
  needs (``kg.link.record_of``). A worker sends back bytes, never a
  Publication. One bad file is reported and the rest go on; a worker has a
  memory and a time cap per file and exits when the build dies.
- **Cache.** What each input gave is kept in a SQLite file keyed by the
  input's SHA-256 and the build's configuration (kg's code, the base): an
  unchanged input is not read again. An unchanged build (same inputs, same
  options, outputs intact) does nothing at all.
- **Streaming.** The main process holds the link records and per-publication
  summaries, never the triples of the whole build: the lines stay in the
  cache, are read back one publication at a time, renamed and completed with
  the link stage's triples, split into named graphs and spooled to disk in
  sorted runs, from which the dumps and the store are written in linear time.
- **Atomic outputs.** Everything is written into ``OUT/.staging`` and switched
  in as a whole (kg.manifest); a build that built nothing replaces nothing.
"""
from __future__ import annotations

import bisect
import dataclasses
import hashlib
import heapq
import json
import os
import pickle
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import weakref
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from importlib import resources
from pathlib import Path
from typing import Any

from kg import __version__
from kg.errors import KgError, UsageError
from kg.iris import DEFAULT_BASE, IriMinter
from kg.memwatch import MemoryWatch, give_back
from kg.read import SUPPORTED_SUFFIXES

# Per-file caps in the workers (issue 10 #11): what one small hostile input may cost.
# The memory cap is set by `kg build` (kg.commands.build, KG_FILE_MEMORY_MB,
# default 2048); a library caller sets it here (it counts on top of what a
# fresh worker holds: workers come from a fork server, never as copies of the
# caller). A program that calls build() with jobs > 1 guards its entry point
# with `if __name__ == "__main__":`, as multiprocessing requires of any
# program whose workers are not forks of it.
FILE_MEMORY_CAP = 0
FILE_TIME_CAP = float(os.environ.get("KG_FILE_SECONDS", "120"))
RUN_LINES = 500_000  # lines per sorted run of the spool (memory vs number of runs)
SHARED_KEY = "_shared"  # the shared graph's name among the publications' (kg.iris.IriMinter.shared_graph)

Progress = Callable[[str, int, int], None]  # (stage, done, total)


class FileStatus(str, Enum):
    BUILT = "built"
    WARNINGS = "built with warnings"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass
class FileResult:
    """What became of one input file."""

    path: Path
    status: FileStatus
    identifier: str | None = None
    format: str | None = None
    reasons: list[str] = field(default_factory=list)
    vragen: int = 0
    antwoorden: int = 0
    verwijzingen: int = 0
    triples: int = 0
    seconds: float = 0.0
    publications: int = 0  # a structured source holds many


@dataclass(frozen=True)
class PublicationInfo:
    """What the build keeps of one built publication (not its text or triples)."""

    identifier: str
    source_path: Path
    source_format: str
    source_sha256: str
    soort: str
    vragen: int
    antwoorden: int
    verwijzingen: int
    cited: tuple[str, ...]
    warnings: int
    triples: int


@dataclass
class BuildResult:
    files: list[FileResult]
    publications: list[PublicationInfo]  # in identifier order
    validation: object | None  # kg.validate.ValidationReport when validated
    seconds: float
    out_dir: Path | None = None
    report: dict | None = None  # the build report as written, when written
    links: dict = field(default_factory=dict)  # the linkers' sections of the build report
    base: str = DEFAULT_BASE
    spool: Spool | None = None  # the build's graphs on disk, for the writers
    stages: dict = field(default_factory=dict)  # stage -> seconds
    dumps: Any = None  # the kg.dumps.DumpSet the writers were given (reused by the store)
    up_to_date: bool = False  # nothing had changed: nothing was done
    store_load: dict | None = None  # how the store was brought up to date (kg.store.update_store's info)
    # The SPARQL validation's on-disk store, kept for the store's first load:
    # its default graph is already the merged graph (kamervragen.nt's).
    union_store: Path | None = None

    def parsed(self) -> Iterator[Any]:
        """The built publications parsed again from their files (for tests and
        tools; the build itself never keeps them)."""
        from kg.parse import parse
        from kg.read import is_structured, read, read_structured

        wanted = {(p.source_path, p.identifier) for p in self.publications}
        for path in sorted({p.source_path for p in self.publications}):
            pubs = read_structured(path) if is_structured(path) else [parse(read(path))]
            for pub in pubs:
                if (path, pub.identifier) in wanted:
                    yield pub


# ----------------------------------------------------------------- inputs


def default_inputs() -> list[Path]:
    """The sample publications shipped inside the package."""
    root = resources.files("kg.samples")
    return [Path(str(root))]


def _is_input(p: Path) -> bool:
    from kg.read import is_structured

    return p.suffix.lower() in SUPPORTED_SUFFIXES or is_structured(p)


def discover(inputs: Iterable[Path], exclude: Iterable[Path] = ()) -> tuple[list[Path], list[FileResult]]:
    """Expand folders (recursively) into files. Every file met is accounted
    for: files kg does not read, dangling links and unreadable folders are
    returned as skipped or failed results. Folders in ``exclude`` (the
    output folder) are never read back."""
    excluded = {p.resolve() for p in exclude}
    files: list[Path] = []
    other: list[FileResult] = []
    for item in inputs:
        if item.is_symlink() and not item.exists():
            other.append(FileResult(item, FileStatus.FAILED, reasons=["dangling symbolic link: its target does not exist"]))
            continue
        if not item.exists():
            raise UsageError(f"no such file or folder: {item}")
        if item.is_dir():
            _walk(item, item, files, other, excluded)
        else:
            files.append(item)
    return files, other


def _walk(root: Path, folder: Path, files: list[Path], other: list[FileResult], excluded: set[Path]) -> None:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        other.append(FileResult(folder, FileStatus.FAILED, reasons=[f"folder not readable: {exc.strerror or exc}"]))
        return
    for entry in entries:
        if entry.name.startswith((".", "__")):
            continue
        p = Path(entry.path)
        try:
            is_dir = entry.is_dir()
            is_file = entry.is_file()
        except OSError:
            is_dir = is_file = False
        if is_dir:
            if p.resolve() in excluded:
                continue
            _walk(root, p, files, other, excluded)
        elif is_file:
            if _is_input(p):
                files.append(p)
            else:
                other.append(FileResult(p, FileStatus.SKIPPED, reasons=[f"not a publication format ({p.suffix or 'no suffix'})"]))
        elif entry.is_symlink():
            other.append(FileResult(p, FileStatus.FAILED, reasons=["dangling symbolic link: its target does not exist"]))


# ----------------------------------------------------------------- one file (worker side)


@dataclass
class PublicationOut:
    """One publication as a worker hands it back: compact, picklable."""

    info: PublicationInfo
    lines: bytes  # zlib: own part lines, then own document lines, then lines about others (see _pack_lines)
    record: bytes  # pickled kg.link.record_of(pub)
    foreign_subjects: tuple[str, ...]  # the nodes it names that are not its own (see _pack_lines)


@dataclass
class FileOutcome:
    result: FileResult
    sha256: str | None
    publications: list[PublicationOut]
    cacheable: bool = True  # False when a cap or a crash decided it, not the file


def _own_prefixes(identifier: str, iris: IriMinter) -> tuple[str, tuple[str, ...]]:
    """The publication's own node and the prefixes of the nodes minted for its
    parts (questions, answers, footnotes, citations): what only it can state."""
    doc = f"<{iris.publication(identifier)}>"
    parts = tuple(f"<{str(make(identifier, 0))[:-1]}" for make in (iris.vraag, iris.antwoord, iris.voetnoot, iris.verwijzing))
    return doc, parts


def _span(lines: list[str], prefix: str) -> tuple[int, int]:
    """Where the sorted ``lines`` that start with ``prefix`` are (one run)."""
    lo = bisect.bisect_left(lines, prefix)
    return lo, bisect.bisect_left(lines, prefix[:-1] + chr(ord(prefix[-1]) + 1), lo)


def _pack_lines(lines: list[str], identifier: str, iris: IriMinter, named: set[str]) -> tuple[bytes, tuple[str, ...]]:
    """The lines as one blob (own lines, then lines about others), and the
    nodes it names that are not its own (subjects of lines about others, and
    IRI objects): the only nodes the link stage may rename or share.
    ``named`` holds every IRI the lines name (kg.mapping.publication_lines)."""
    doc, parts = _own_prefixes(identifier, iris)
    # The lines are sorted: the lines about one subject, and about the
    # subjects that start with one prefix, are one run each. The
    # publication's own lines start with "<doc> ", its parts' (questions,
    # answers, footnotes, citations) with one of the parts' prefixes; the
    # rest is about others.
    lo, hi = _span(lines, doc + " ")
    own = lines[lo:hi]
    runs = sorted(_span(lines, prefix) for prefix in parts)
    inner: list[str] = []
    other: list[str] = []
    at = 0
    for a, b in sorted([(lo, hi), *runs]):
        other += lines[at:a]
        at = b
    other += lines[at:]
    for a, b in runs:
        inner += lines[a:b]
    nodes = {node for node in named if node != doc and not node.startswith(parts)}
    # Two zlib streams: the split into named graphs reads the first only
    # (lines that another publication may state too); the parts' lines,
    # most of the text, are read once, to be written.
    head = zlib.compress(("\n".join(own) + "\x00" + "\n".join(other)).encode("utf-8"), 1)
    tail = zlib.compress("\n".join(inner).encode("utf-8"), 1)
    return len(head).to_bytes(4, "big") + head + tail, tuple(sorted(nodes))


def _unpack_lines(blob: bytes, inner: bool = True) -> tuple[list[str], list[str]]:
    """(lines about the publication and its parts, lines about others); the
    parts' lines only when ``inner``."""
    size = int.from_bytes(blob[:4], "big")
    own, _, other = zlib.decompress(blob[4 : 4 + size]).decode("utf-8").partition("\x00")
    own_lines = own.split("\n") if own else []
    if inner:
        text = zlib.decompress(blob[4 + size :]).decode("utf-8")
        if text:
            own_lines += text.split("\n")
    return own_lines, (other.split("\n") if other else [])


def _map_publication(pub: Any, iris: IriMinter) -> PublicationOut:
    from kg.link import record_of
    from kg.mapping import publication_lines

    named: set[str] = set()
    lines = publication_lines(pub, iris, named)
    blob, subjects = _pack_lines(lines, pub.identifier, iris, named)
    info = PublicationInfo(
        identifier=pub.identifier,
        source_path=Path(pub.source_path),
        source_format=pub.source_format,
        source_sha256=pub.source_sha256,
        soort=getattr(pub.soort, "value", str(pub.soort)),
        vragen=len(pub.vragen),
        antwoorden=len(pub.antwoorden),
        verwijzingen=len(pub.citations),
        cited=tuple(dict.fromkeys(c.identifier for c in pub.citations)),
        warnings=len(pub.warnings),
        triples=len(lines),
    )
    return PublicationOut(info, blob, pickle.dumps(record_of(pub), protocol=pickle.HIGHEST_PROTOCOL), subjects)


class _TimeCap(Exception):
    pass


def _on_alarm(signum, frame):  # noqa: ANN001 - signal handler signature
    raise _TimeCap()


def process_file(path: Path, base: str = DEFAULT_BASE, time_cap: float | None = None) -> FileOutcome:
    """Read, parse and map one file; never raises for bad input."""
    from kg.parse import parse
    from kg.read import is_structured, read, read_structured

    started = time.perf_counter()
    iris = IriMinter(base)
    armed = False
    # A structured source is tens of thousands of publications by design:
    # the time cap is for one publication's file.
    if time_cap and not is_structured(path) and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, time_cap)
        armed = True
    try:
        if is_structured(path):
            outs = [_map_publication(pub, iris) for pub in read_structured(path)]
            if not outs:
                raise KgError("no publication found in the structured source", path)
            result = FileResult(
                path, FileStatus.BUILT, format=outs[0].info.source_format,
                vragen=sum(o.info.vragen for o in outs), antwoorden=sum(o.info.antwoorden for o in outs),
                verwijzingen=sum(o.info.verwijzingen for o in outs), triples=sum(o.info.triples for o in outs),
                publications=len(outs),
            )
            return FileOutcome(result, _sha256_path(path), outs)
        pub = parse(read(path))
        out = _map_publication(pub, iris)
    except _TimeCap:
        reason = f"gave up after {time_cap:g} s (the time cap per file; KG_FILE_SECONDS)"
        return FileOutcome(FileResult(path, FileStatus.FAILED, reasons=[reason], seconds=time.perf_counter() - started), None, [], False)
    except MemoryError:
        reason = f"needed more than {FILE_MEMORY_CAP // 2**20} MB (the memory cap per file; KG_FILE_MEMORY_MB)"
        return FileOutcome(FileResult(path, FileStatus.FAILED, reasons=[reason], seconds=time.perf_counter() - started), None, [], False)
    except KgError as exc:
        return FileOutcome(FileResult(path, FileStatus.FAILED, reasons=[exc.message], seconds=time.perf_counter() - started), None, [])
    except Exception as exc:  # noqa: BLE001 - a parser bug must not stop the build; the report names it
        reason = f"internal error while reading: {type(exc).__name__}: {exc}"
        return FileOutcome(FileResult(path, FileStatus.FAILED, reasons=[reason], seconds=time.perf_counter() - started), None, [])
    finally:
        if armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
    result = FileResult(
        path,
        FileStatus.WARNINGS if pub.warnings else FileStatus.BUILT,
        identifier=pub.identifier,
        format=pub.source_format,
        reasons=list(pub.warnings),
        vragen=len(pub.vragen),
        antwoorden=len(pub.antwoorden),
        verwijzingen=len(pub.citations),
        triples=out.info.triples,
        seconds=time.perf_counter() - started,
        publications=1,
    )
    return FileOutcome(result, pub.source_sha256, [out])


def _warm(paths: list[Path]) -> None:
    """Import the parser, the mapping and the readers the inputs need (and
    compile their patterns) once, before the workers are forked: each worker
    would otherwise do it again (a quarter of a second each)."""
    import importlib

    import kg.link  # noqa: F401 - kg.link.record_of, in the workers
    import kg.mapping  # noqa: F401
    import kg.parse  # noqa: F401
    from kg.read import _REGISTRY, _structured_entry

    modules = set()
    for path in paths:
        entry = _structured_entry(path) or _REGISTRY.get(path.suffix.lower())
        if entry is not None:
            modules.add(entry[0])
    for name in sorted(modules):
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - a reader that cannot load is reported per file by the workers
            pass


def _work(job: tuple[str, str, float]) -> bytes:
    path, base, time_cap = job
    return pickle.dumps(process_file(Path(path), base, time_cap), protocol=pickle.HIGHEST_PROTOCOL)


# ----------------------------------------------------------------- worker processes

# What every worker imports to read, parse and map: loaded once in the fork
# server, so that each worker starts with them instead of importing its own.
_WORKER_MODULES = (
    "kg.build", "kg.parse", "kg.mapping", "kg.link.record",
    "kg.read", "kg.read.text", "kg.read.pdf", "kg.read.html", "kg.read.docx",
)


def _worker_init(build_pid: int, memory_cap: int) -> None:
    """Run in each worker: die with the build (issue 10 #10), and cap memory."""
    global FILE_MEMORY_CAP
    FILE_MEMORY_CAP = memory_cap  # the worker is no fork of the build: the cap's size comes with it, for the report
    _exit_with(build_pid)
    if memory_cap:
        try:
            # On top of the data the worker holds already (its modules).
            # RLIMIT_DATA, not RLIMIT_AS: address space reserved but never
            # used (malloc arenas, thread stacks, shared libraries' mappings)
            # must not count against what one file may use.
            cap = _data_size() + memory_cap
            soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
            if hard != resource.RLIM_INFINITY:
                cap = min(cap, hard)
            resource.setrlimit(resource.RLIMIT_DATA, (cap, hard))
        except (ValueError, OSError):
            pass
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the build's to handle


def _exit_with(build_pid: int) -> None:
    """End this worker when the build process ends, however it ends.

    The worker's parent is the fork server, not the build, and the fork
    server outlives the build as long as a worker does (each holds its
    "alive" pipe): so the worker watches the build itself, through a pidfd
    (readable once the process has ended, even as an unreaped zombie, and
    never confused with a later process given the same pid)."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            # PR_SET_PDEATHSIG: killed with the fork server too (or with the build, under fork)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    try:
        fd = os.pidfd_open(build_pid)
    except ProcessLookupError:  # the build ended before this worker started
        os._exit(1)
    except (AttributeError, OSError):  # no pidfd (not Linux, a kernel before 5.3): poll the pid
        fd = None

    def watch() -> None:
        if fd is not None:
            import select

            select.select([fd], [], [])
            os._exit(1)
        while True:
            time.sleep(1.0)
            try:
                os.kill(build_pid, 0)
            except ProcessLookupError:
                os._exit(1)
            except PermissionError:  # the pid is someone else's now: the build is gone
                os._exit(1)

    threading.Thread(target=watch, name="kg-build-watch", daemon=True).start()


def _data_size() -> int:
    """This process's data segment in bytes (VmData: heap and private
    writable mappings; 0 where unknown)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmData:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


# CPU seconds and peak memory (ru_maxrss) of the read workers, which are the
# fork server's children, not the build's: RUSAGE_CHILDREN never sees them, so
# each job sends its own figures back. Running totals over the process's life,
# as getrusage keeps them (the stages take differences).
_WORKER_USAGE = {"cpu": 0.0, "maxrss": 0}


def _measured(work: Callable[[Any], bytes], job: Any) -> tuple[bytes, float, int]:
    """Run in a worker: ``work(job)`` with the CPU seconds it took and the worker's peak memory."""
    before = resource.getrusage(resource.RUSAGE_SELF)
    out = work(job)
    after = resource.getrusage(resource.RUSAGE_SELF)
    return out, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, after.ru_maxrss


def _counted(measured: tuple[bytes, float, int]) -> bytes:
    out, cpu, maxrss = measured
    _WORKER_USAGE["cpu"] += cpu
    _WORKER_USAGE["maxrss"] = max(_WORKER_USAGE["maxrss"], maxrss)
    return out


def _pool_context():  # -> multiprocessing context
    """Workers are never forked from the build process itself: a fork of a
    process with other threads alive (a test session, a notebook, a server)
    copies locks those threads held, and such workers died at random in the
    garbage collector reading PDFs. A fork server is a fresh single-threaded
    process that forks each worker with the worker modules already loaded;
    spawn where there is no fork server."""
    import multiprocessing

    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    # Takes effect when the process's fork server starts (its first pool);
    # a fork server already running keeps what it has, and a worker imports
    # the rest on first use.
    context.set_forkserver_preload(list(_WORKER_MODULES))
    return context


def _pool(processes: int, memory_cap: int):  # -> ProcessPoolExecutor
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(max_workers=processes, mp_context=_pool_context(), initializer=_worker_init,
                               initargs=(os.getpid(), memory_cap))


def _run_jobs(jobs: list[tuple[str, str, float]], processes: int, on_done: Callable[[int, FileOutcome], None]) -> None:
    """Run ``_work`` over ``jobs``, calling ``on_done(i, outcome)`` as each ends
    (in any order). A worker that dies (killed by the memory cap, a crash)
    fails the file it had; the pool is started again for the rest."""
    if processes <= 1 or len(jobs) <= 1:
        for i, job in enumerate(jobs):
            on_done(i, pickle.loads(_work(job)))
        return
    from concurrent.futures import FIRST_COMPLETED, wait
    from concurrent.futures.process import BrokenProcessPool

    pending = list(range(len(jobs)))
    pending.reverse()
    while pending:
        pool = _pool(processes, FILE_MEMORY_CAP)
        running: dict[Any, int] = {}
        suspects: list[int] = []
        try:
            while pending or running:
                while pending and len(running) < processes * 4:
                    i = pending.pop()
                    running[pool.submit(_measured, _work, jobs[i])] = i
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for fut in done:
                    i = running.pop(fut)
                    try:
                        outcome = pickle.loads(_counted(fut.result()))
                    except BrokenProcessPool:
                        suspects.append(i)
                        continue
                    on_done(i, outcome)
                if suspects:
                    suspects.extend(running.values())
                    running.clear()
                    break
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        # The files a dead worker may have had are tried again one at a
        # time, so that only the culprit fails; the rest go on in a new pool.
        for i in sorted(suspects):
            _run_single(jobs[i], i, on_done)


def _run_single(job: tuple[str, str, float], i: int, on_done: Callable[[int, FileOutcome], None]) -> None:
    from concurrent.futures.process import BrokenProcessPool

    with _pool(1, FILE_MEMORY_CAP) as pool:
        try:
            outcome = pickle.loads(_counted(pool.submit(_measured, _work, job).result()))
        except BrokenProcessPool:
            reason = "the worker reading it died (out of memory or a crash in a library)"
            outcome = FileOutcome(FileResult(Path(job[0]), FileStatus.FAILED, reasons=[reason]), None, [], cacheable=False)
    on_done(i, outcome)


# ------------------------------------------------------------------- the spool


class Spool:
    """The build's final graphs on disk, in a private temporary folder.

    ``graphs.bin``: per named graph (publications in identifier order, then
    the shared graph), its sorted N-Triples lines; ``run-*.nt``: the same
    lines in sorted runs, merged into the whole graph's sorted N-Triples."""

    def __init__(self, parent: Path | None) -> None:
        if parent is not None:
            parent.mkdir(parents=True, exist_ok=True)
        self.dir = Path(tempfile.mkdtemp(prefix=".kg-spool-", dir=str(parent) if parent else None))
        self._finalizer = weakref.finalize(self, shutil.rmtree, str(self.dir), True)
        self.runs: list[Path] = []
        self.graph_hashes: dict[str, str] = {}  # identifier ("" for the shared graph) -> sha256 of its lines
        self.graph_sizes: dict[str, int] = {}
        self.offsets: dict[str, tuple[int, int]] = {}
        self._buffer: list[str] = []
        self._graphs = (self.dir / "graphs.bin").open("wb")
        self._merged: Path | None = None

    def add_graph(self, identifier: str, lines: list[str]) -> None:
        text = "\n".join(lines)
        data = text.encode("utf-8")
        self.graph_hashes[identifier] = hashlib.sha256(data).hexdigest()
        self.graph_sizes[identifier] = len(lines)
        ident = identifier.encode("utf-8")
        self.offsets[identifier] = (self._graphs.tell() + 4 + len(ident) + 8, len(data))
        self._graphs.write(len(ident).to_bytes(4, "big") + ident + len(data).to_bytes(8, "big") + data)
        self._buffer.extend(lines)
        if len(self._buffer) >= RUN_LINES:
            self._flush_run()

    def _flush_run(self) -> None:
        if not self._buffer:
            return
        self._buffer.sort()
        path = self.dir / f"run-{len(self.runs):05d}.nt"
        with path.open("w", encoding="utf-8", newline="\n") as f:
            f.writelines(line + "\n" for line in self._buffer)
        self.runs.append(path)
        self._buffer = []

    def close(self) -> None:
        self._flush_run()
        self._graphs.close()

    def graphs(self) -> Iterator[tuple[str, list[str]]]:
        """(identifier, sorted lines) per graph; "" is the shared graph."""
        with (self.dir / "graphs.bin").open("rb") as f:
            while True:
                head = f.read(4)
                if not head:
                    return
                ident = f.read(int.from_bytes(head, "big")).decode("utf-8")
                size = int.from_bytes(f.read(8), "big")
                text = f.read(size).decode("utf-8")
                yield ident, (text.split("\n") if text else [])

    def graph(self, identifier: str) -> list[str]:
        """The sorted lines of one graph ("" the shared one)."""
        offset, size = self.offsets[identifier]
        with (self.dir / "graphs.bin").open("rb") as f:
            f.seek(offset)
            text = f.read(size).decode("utf-8")
        return text.split("\n") if text else []

    def merged_path(self) -> Path:
        """The whole graph as sorted N-Triples (merged from the runs once)."""
        if self._merged is None:
            path = self.dir / "merged.nt"
            sort = shutil.which("sort")
            if len(self.runs) > 1 and sort:
                # coreutils' merge in C: byte order is code point order in UTF-8, as Python sorts.
                env = {**os.environ, "LC_ALL": "C"}
                done = subprocess.run([sort, "-m", "-o", str(path), *map(str, self.runs)], env=env, capture_output=True)
                if done.returncode == 0:
                    self._merged = path
                    return path
            files = [p.open("r", encoding="utf-8", newline="\n") for p in self.runs]
            try:
                with path.open("w", encoding="utf-8", newline="\n") as out:
                    if len(files) == 1:
                        shutil.copyfileobj(files[0], out, 1 << 20)
                    else:
                        # Lines compare with their newline; no N-Triples line
                        # is a proper prefix of another (each ends with " ."),
                        # so the order is that of the lines themselves.
                        out.writelines(heapq.merge(*files))
            finally:
                for f in files:
                    f.close()
            self._merged = path
        return self._merged

    def merged_lines(self) -> Iterator[str]:
        with self.merged_path().open("r", encoding="utf-8", newline="\n") as f:
            for line in f:
                yield line[:-1]

    def cleanup(self) -> None:
        self._finalizer()


# ------------------------------------------------------------------- build


@dataclass
class _Entry:
    """One publication of the build: where its lines are and its summary."""

    info: PublicationInfo
    sha256: str  # of its input file
    seq: int  # its position in that file
    record: Any
    foreign_subjects: tuple[str, ...]
    file_index: int


def _fingerprint(files: list[Path], other: list[FileResult], config: str, options: dict) -> str:
    h = hashlib.sha256(json.dumps({"config": config, "options": options}, sort_keys=True).encode("utf-8"))
    for p in files:
        try:
            st = p.stat()
            h.update(f"{p}\0{st.st_size}\0{st.st_mtime_ns}\n".encode("utf-8", "surrogateescape"))
        except OSError:
            h.update(f"{p}\0missing\n".encode("utf-8", "surrogateescape"))
    for r in other:
        h.update(f"{r.path}\0{r.status.value}\n".encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def _now() -> tuple[float, float]:
    """Wall clock and CPU seconds (this process, its finished children and the read workers' jobs)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime + _WORKER_USAGE["cpu"]
    return time.perf_counter(), cpu


_WATCH: list = []  # the running build's kg.memwatch.MemoryWatch


def _lap(stages: dict, name: str, tick: tuple[float, float]) -> None:
    """Record a stage's wall seconds (``stages[name]``), CPU seconds
    (``stages["cpu"][name]``) and, while a build's memory watch runs, peak
    memory of the build and its processes (``stages["memory"][name]``)."""
    wall, cpu = _now()
    stages[name] = wall - tick[0]
    stages.setdefault("cpu", {})[name] = cpu - tick[1]
    if _WATCH:
        _WATCH[-1].lap(name)
        stages["memory"] = dict(_WATCH[-1].peaks)
        stages["memory_own"] = dict(_WATCH[-1].own)


def _peak_memory_mb(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident memory in MB: of the build process, or (RUSAGE_CHILDREN)
    of its largest worker (a finished child, or a read worker by its jobs)."""
    scale = 1 / 1024 if sys.platform != "darwin" else 1 / 2**20
    peak = resource.getrusage(who).ru_maxrss
    if who == resource.RUSAGE_CHILDREN:
        peak = max(peak, _WORKER_USAGE["maxrss"])
    return round(peak * scale, 1)


def build(
    inputs: list[Path] | None = None,
    out_dir: Path | None = Path("output"),
    *,
    base: str = DEFAULT_BASE,
    jobs: int | None = None,
    validate: bool = True,
    progress: Progress | None = None,
    store: Path | None = None,
    cache: Path | None = None,
    formats: Iterable[str] | None = None,
    shacl: str = "sparql",
) -> BuildResult:
    """Build the graph from ``inputs`` (files or folders; the shipped samples
    when None) and, when ``out_dir`` is given, write the dumps, the
    validation report and the build report there (switched in as a whole).

    ``cache``: the folder of the build cache (default ``OUT/.cache``; none
    without an output folder). ``formats``: the dumps to write (kg.dumps.FORMATS;
    default all). ``shacl``: the validation engine (kg.validate.SHACL_ENGINES;
    all give pySHACL's results over the whole graph)."""
    from kg.cache import BuildCache, CACHE_FILE, config_key

    started = time.perf_counter()
    stages: dict[str, float] = {}
    jobs = jobs or _cpu_count()
    from kg.dumps import FORMATS, check_formats

    formats = check_formats(formats)
    out_dir = Path(out_dir) if out_dir is not None else None
    if out_dir is not None and out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"--out {out_dir}: is a file, not a folder")
    if store is not None:
        from kg.store import check_store_dir

        check_store_dir(Path(store))
    if out_dir is not None:
        from kg.manifest import recover

        if out_dir.is_dir():
            recover(out_dir)  # a build killed mid-switch is finished first
    exclude = [out_dir] if out_dir is not None else []
    if cache is not None:
        exclude.append(Path(cache))
    files, results = discover(inputs or default_inputs(), exclude)
    config = config_key(base)
    options = {"validate": validate, "shacl": shacl, "formats": sorted(formats), "store": str(Path(store).resolve()) if store else None}
    fingerprint = _fingerprint(files, results, config, options)

    cache_dir = Path(cache) if cache is not None else (out_dir / ".cache" if out_dir is not None else None)
    if out_dir is not None:
        done = _up_to_date(out_dir, fingerprint, store)
        if done is not None:
            done.seconds = time.perf_counter() - started
            return done

    # Without an output folder (a library call) the cache is a temporary one:
    # the lines still wait on disk, not in memory, between the stages.
    scratch = None if cache_dir is not None else Path(tempfile.mkdtemp(prefix="kg-cache-"))
    db = BuildCache((cache_dir or scratch) / CACHE_FILE)

    try:
        with MemoryWatch() as watch:
            _WATCH.append(watch)
            return _build(files, results, out_dir, base, jobs, validate, progress, store, db, config, fingerprint, formats, started, stages, shacl)
    finally:
        if _WATCH:
            _WATCH.pop()
        db.close()
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


def _cpu_count() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return os.cpu_count() or 1


def _up_to_date(out_dir: Path, fingerprint: str, store: Path | None) -> BuildResult | None:
    """The previous build, when nothing has changed since it and its outputs
    (and store) are intact; None otherwise."""
    from kg.manifest import read_manifest

    manifest = read_manifest(out_dir)
    if manifest is None or manifest.get("fingerprint") != fingerprint:
        return None
    for name, entry in manifest["files"].items():
        try:
            st = (out_dir / name).stat()
        except OSError:
            return None
        if st.st_size != entry.get("size") or st.st_mtime_ns != entry.get("mtime_ns", st.st_mtime_ns):
            return None
    if store is not None:
        from kg.store import store_state

        if store_state(Path(store)).get("fingerprint") != fingerprint:
            return None
    try:
        report = json.loads((out_dir / "build-report.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    files = [
        FileResult(Path(f["file"]), FileStatus(f["status"]), f.get("identifier"), f.get("format"), list(f.get("reasons", [])),
                   f.get("vragen", 0), f.get("antwoorden", 0), f.get("verwijzingen", 0), f.get("triples", 0))
        for f in report.get("files", [])
    ]
    pubs = [
        PublicationInfo(p["identifier"], Path(p["source"]), p.get("format", ""), p.get("sha256", ""), p.get("soort", ""),
                        p.get("vragen", 0), p.get("antwoorden", 0), p.get("verwijzingen", 0), (), 0, p.get("triples", 0))
        for p in report.get("publications", [])
    ]
    return BuildResult(files, pubs, None, 0.0, out_dir, report, report.get("links", {}), up_to_date=True)


def _build(files, results, out_dir, base, jobs, validate, progress, store, db, config, fingerprint, formats, started, stages, shacl="sparql") -> BuildResult:
    from kg.cache import pack, unpack

    iris = IriMinter(base)
    tick = _now()
    # ---- read: cached inputs from the cache, the rest in the workers
    outcomes: list[FileOutcome | None] = [None] * len(files)
    todo: list[int] = []
    hashes: list[str | None] = [None] * len(files)
    if db is not None:
        db.begin()
    for i, path in enumerate(files):
        if db is None:
            todo.append(i)
            continue
        try:
            st = path.stat()
            sha = db.known_hash(path, st.st_size, st.st_mtime_ns)
            if sha is None:
                sha = _sha256_path(path)
                db.remember_hash(path, st.st_size, st.st_mtime_ns, sha)
        except OSError:
            todo.append(i)  # the reader reports why it cannot be read
            continue
        # The file's name goes into its triples (kv:bronbestand, a local
        # document's identifier), so it is part of the key with the content.
        hashes[i] = key = f"{sha}:{path.name}"
        cached = db.outcome(key, config)
        if cached is not None:
            outcome = cached
            outcome.result.path = path
            outcome.result.seconds = 0.0
            for o in outcome.publications:
                if o.info.source_path != path:
                    o.info = dataclasses.replace(o.info, source_path=path)
            outcomes[i] = outcome
        else:
            todo.append(i)
    if db is not None:
        db.end()
    total = len(files)
    done_count = total - len(todo)
    if progress:
        progress("read", done_count, total)

    shown = 0.0  # when progress was last reported

    def on_done(k: int, outcome: FileOutcome) -> None:
        nonlocal done_count, shown
        i = todo[k]
        if db is not None and hashes[i] is not None and outcome.cacheable and outcome.sha256 in (None, hashes[i].split(":", 1)[0]):
            # Kept in the cache, and read back from there one publication at a
            # time: the main process does not hold the lines of a first build.
            light = FileOutcome(outcome.result, hashes[i], [PublicationOut(o.info, b"", b"", o.foreign_subjects) for o in outcome.publications])
            db.begin()
            db.store_outcome(hashes[i], config, light, [(o.lines, o.record) for o in outcome.publications])
            if done_count % 200 == 0:
                db.end()  # a commit now and then: a killed build keeps most of its work
            outcome = light
        outcomes[i] = outcome
        done_count += 1
        if progress:
            # Ten times a second: a bar redrawn for every file costs more
            # than the file's own share of the main process.
            now = time.monotonic()
            if now - shown >= 0.1 or done_count == total:
                shown = now
                progress("read", done_count, total)

    work = [(str(files[i]), base, FILE_TIME_CAP) for i in todo]
    if jobs > 1 and len(todo) > 1:
        _warm([files[i] for i in todo])
    try:
        _run_jobs(work, jobs, on_done)
    finally:
        if db is not None:
            db.end()
    _lap(stages, "read", tick)

    # ---- one node per publication: when two files claim one, the better wins
    tick = _now()
    entries: dict[str, _Entry] = {}
    blobs: dict[tuple[str, int], bytes] = {}  # lines of publications read without a cache
    claims: dict[str, list[tuple[int, int]]] = {}
    for fi, outcome in enumerate(outcomes):
        assert outcome is not None
        results.append(outcome.result)
        for seq, out in enumerate(outcome.publications):
            claims.setdefault(out.info.identifier, []).append((fi, seq))
    # Records of the Tweede Kamer's zaken whose publication was also parsed:
    # the printed text stands and is built, the zaak's record still goes to
    # the link stage, which compares the two (kg.link.zaken).
    statements: list[Any] = []

    def record_at(fi: int, seq: int) -> Any:
        out = outcomes[fi].publications[seq]
        sha = hashes[fi] if hashes[fi] is not None else f"{out.info.source_sha256}:{out.info.source_path}"
        return pickle.loads(out.record) if out.record else pickle.loads(db.record(sha, config, seq))

    for identifier, claimants in claims.items():
        zaak_of: dict[tuple[int, int], bool] = {}
        if len(claimants) > 1:
            for c in claimants:
                rec = record_at(*c)
                zaak_of[c] = bool(getattr(rec, "from_zaak", False))
        ranked = sorted(claimants, key=lambda c: (zaak_of.get(c, False), _quality(outcomes[c[0]].publications[c[1]].info)))
        if len(ranked) > 1 and not zaak_of[ranked[0]]:
            statements.extend(record_at(*c) for c in ranked[1:] if zaak_of[c])
            ranked = [ranked[0]] + [c for c in ranked[1:] if not zaak_of[c]]
        fi, seq = ranked[0]
        out = outcomes[fi].publications[seq]
        sha = hashes[fi] if hashes[fi] is not None else f"{out.info.source_sha256}:{out.info.source_path}"
        record = record_at(fi, seq)
        if out.lines:
            blobs[(sha, seq)] = out.lines
        # Interned: the same people and offices are named by thousands of publications.
        entries[identifier] = _Entry(out.info, sha, seq, record, tuple(map(sys.intern, out.foreign_subjects)), fi)
        winner = out.info
        for lfi, lseq in ranked[1:]:
            loser = outcomes[lfi].publications[lseq].info
            res = outcomes[lfi].result
            why = _why_better(winner, loser)
            if res.publications <= 1:
                res.status = FileStatus.SKIPPED
                res.reasons = [f"same publication ({identifier}) as {winner.source_path.name}, which was built instead: {why}"]
            else:
                res.reasons.append(f"{identifier} also in {winner.source_path.name}, which was built instead: {why}")
    ordered = sorted(entries.values(), key=lambda e: (str(e.info.source_path), e.seq))
    publications = sorted((e.info for e in ordered), key=lambda p: p.identifier)

    if not entries:
        results.sort(key=lambda r: str(r.path))
        _lap(stages, "link", tick)
        result = BuildResult(results, [], None, time.perf_counter() - started, out_dir, None, {}, base, None, stages)
        # Nothing built: nothing is replaced (outputs and store stay as they were).
        result.report = report_dict(result)
        return result

    # ---- link on records
    from kg.link import GLOBAL, link

    links, link_sections = link([e.record for e in ordered] + statements, iris)
    statements.clear()
    by_identifier = {r.identifier: r for r in results if r.identifier and r.status != FileStatus.SKIPPED}
    for identifier, messages in links.warnings.items():
        res = by_identifier.get(identifier)
        if res is not None:
            res.reasons.extend(messages)
            if res.status == FileStatus.BUILT:
                res.status = FileStatus.WARNINGS
    renames = {f"<{old}>": f"<{new}>" for old, new in links.renames.items()}
    link_lines = {key: _lines_of(triples) for key, triples in links.triples.items()}
    shared_link = set(link_lines.pop(GLOBAL, []))
    for e in ordered:
        e.record = None  # the link stage is done with it
    give_back()
    _lap(stages, "link", tick)

    def lines_of(e: _Entry, inner: bool = True) -> tuple[list[str], list[str]]:
        blob = blobs.get((e.sha256, e.seq)) or db.lines(e.sha256, config, e.seq)
        own, other = _unpack_lines(blob, inner)
        # Renamed nodes are shared nodes (people, offices): subjects of the
        # publication's lines about others. Only lines naming one are rewritten.
        local = {s: renames[s] for s in e.foreign_subjects if s in renames}
        if local:
            # One regex scan a line (C speed) rather than a Python test per renamed node.
            names = re.compile("|".join(map(re.escape, local)))
            own = [_rename_line(ln, local) if names.search(ln) else ln for ln in own]
            other = [_rename_line(ln, local) if names.search(ln) else ln for ln in other]
        return own, other

    # ---- split into named graphs: what several publications state is shared
    tick = _now()
    foreign_subjects = {s for e in ordered for s in e.foreign_subjects}
    if renames:
        foreign_subjects |= {renames.get(s, s) for s in list(foreign_subjects)}
    # Lines about a publication's parts can be stated by another only if
    # another names such a part; otherwise they are left out of the count.
    # Only the publications whose parts another names: their parts' lines are
    # read now (a part's IRI is its publication's part prefix and a number).
    part_kinds = tuple(p[: p.rindex("/") + 1] for p in _own_prefixes("x", iris)[1])
    named_parts = {node[: node.rindex("-") + 1] for node in foreign_subjects if node.startswith(part_kinds)}
    counts: dict[str, int] = {}
    steps = 2 * len(ordered)
    for n, e in enumerate(ordered, start=1):
        if progress and n % 1000 == 0:
            progress("link", n, steps)
        inner = bool(named_parts) and any(p in named_parts for p in _own_prefixes(e.info.identifier, iris)[1])
        own, other = lines_of(e, inner)
        mine = set(other)
        mine.update(link_lines.get(e.info.identifier, ()))
        mine.update(ln for ln in own if ln[: ln.index(" ")] in foreign_subjects)
        for ln in mine:
            counts[ln] = counts.get(ln, 0) + 1
    shared = {ln for ln, n in counts.items() if n > 1} | shared_link
    del counts

    spool = Spool(out_dir)
    chunk_file = spool.dir / "chunks.bin"
    chunk_hashes: list[str] = []
    with chunk_file.open("wb") as chunks_out:
        shared_written = False
        for n, e in enumerate(sorted(ordered, key=lambda e: e.info.identifier), start=len(ordered) + 1):
            if progress and n % 1000 == 0:
                progress("link", n, steps)
            if not shared_written and e.info.identifier > SHARED_KEY:
                spool.add_graph("", sorted(shared))  # graphs go in IRI order: the shared one among them
                shared_written = True
            own, other = lines_of(e)
            chunk = sorted(set(own) | set(other) | set(link_lines.get(e.info.identifier, ())))
            spool.add_graph(e.info.identifier, [ln for ln in chunk if ln not in shared])
            data = ("\n".join(chunk) + "\n").encode("utf-8")
            chunk_hashes.append(hashlib.sha256(data).hexdigest())
            chunks_out.write(len(data).to_bytes(8, "big") + data)
        if not shared_written:
            spool.add_graph("", sorted(shared))
    shared_chunk = "".join(ln + "\n" for ln in sorted(shared_link))
    spool.close()
    blobs.clear()
    # The link stage's triples and renames and the entries are done with:
    # let them go before the validation and the dumps' processes start
    # (about 40 MB at 10k publications, half a GB at 127k).
    del links, renames, link_lines, shared_link, shared, entries, ordered, foreign_subjects, named_parts
    if progress:
        progress("link", steps, steps)
    give_back()
    _lap(stages, "split", tick)

    # ---- validate
    report = None
    if validate:
        tick = _now()
        # A first load of the store starts from the validation's store (kg.store._load_build).
        from kg.store import first_load

        keep = spool.dir / "union-store" if store is not None and first_load(Path(store), base) else None
        report = run_validation(_Chunks(chunk_file, len(chunk_hashes)), shared_chunk, jobs, shacl, spool.dir, keep)
        # The results graph (2 GB at 127k publications) waits on disk as its
        # Turtle: the dumps' processes are forked from this one, and the
        # store's loader runs beside it.
        report = report.on_disk(spool.dir / "validation.ttl")
        give_back()
        _lap(stages, "validate", tick)
    chunk_file.unlink()

    results.sort(key=lambda r: str(r.path))
    result = BuildResult(results, publications, report, 0.0, out_dir, None, link_sections, base, spool, stages)
    if validate and keep is not None and keep.is_dir():
        result.union_store = keep
    if db is not None:
        db.prune(config, {h for h in hashes if h is not None}, {str(p) for p in files})

    # ---- write (staged, switched in as a whole) and load the store
    if out_dir is not None:
        tick = _now()
        from kg.write import write_build

        staging = _staging(out_dir)
        result.seconds = time.perf_counter() - started
        # The previous build's dumps give the fragments of unchanged graphs (kg.dumps.fragments).
        fragments = db.path.parent / "fragments" if db is not None else None
        result.report = write_build(result, staging, base=base, formats=formats, fingerprint=fingerprint, chains=True,
                                    jobs=jobs, previous=out_dir, fragments=fragments)
        _lap(stages, "write", tick)
        if progress:
            progress("write", 1, 1)
        from kg.manifest import commit

        commit(out_dir)
    if store is not None:
        tick = _now()
        from kg.store import update_store

        trig = out_dir / "kamervragen.trig" if out_dir is not None else None
        result.store_load = {}
        update_store(Path(store), result, fingerprint, progress=progress, trig=trig, info=result.store_load)
        _lap(stages, "load", tick)
    result.seconds = time.perf_counter() - started
    if out_dir is not None and result.report is not None and "load" in stages:
        # The report records the load too (written after the switch: the one
        # file rewritten in place, through a rename).
        _finish_report(out_dir, result)
    return result


def _finish_report(out_dir: Path, result: BuildResult) -> None:
    from kg.manifest import read_manifest, sha256_file, write_atomic

    report = result.report
    report["stages"] = {k: round(v, 3) for k, v in result.stages.items() if k not in ("cpu", "memory", "memory_own")}
    report["stages_cpu"] = {k: round(v, 3) for k, v in result.stages.get("cpu", {}).items()}
    report["stages_memory_mb"] = dict(result.stages.get("memory", {}))
    report["stages_memory_build_process_mb"] = dict(result.stages.get("memory_own", {}))
    report["peak_memory_mb"] = _peak_memory_mb()
    report["peak_worker_memory_mb"] = _peak_memory_mb(resource.RUSAGE_CHILDREN)
    if result.store_load:
        report["store"] = result.store_load  # a first load runs in a child process: its time and memory
    path = out_dir / "build-report.json"
    write_atomic(path, report_json(report))
    manifest = read_manifest(out_dir)
    if manifest is not None and "build-report.json" in manifest["files"]:
        st = path.stat()
        manifest["files"]["build-report.json"] = {"sha256": sha256_file(path), "size": st.st_size, "mtime_ns": st.st_mtime_ns}
        write_atomic(out_dir / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n")


def _staging(out_dir: Path) -> Path:
    from kg.manifest import STAGING

    staging = out_dir / STAGING
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    return staging


class _Chunks:
    """The publications' final N-Triples chunks, read from disk on each pass
    (a sequence's length and iteration, never all in memory)."""

    def __init__(self, path: Path, count: int) -> None:
        self.path, self.count = path, count

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[str]:
        return _read_chunks(self.path)


def _read_chunks(path: Path) -> Iterator[str]:
    with path.open("rb") as f:
        while True:
            head = f.read(8)
            if not head:
                return
            yield f.read(int.from_bytes(head, "big")).decode("utf-8")


def _sha256_path(path: Path) -> str:
    from kg.read import sha256_file

    return sha256_file(path)


def _quality(info: PublicationInfo) -> tuple:
    """Which of two files of one publication is built: fewer warnings, then
    more questions and answers, then the first file in name order."""
    return (info.warnings, -(info.vragen + info.antwoorden), str(info.source_path))


def _why_better(winner: PublicationInfo, loser: PublicationInfo) -> str:
    if winner.warnings != loser.warnings:
        return f"it has fewer warnings ({winner.warnings} against {loser.warnings})"
    if winner.vragen + winner.antwoorden != loser.vragen + loser.antwoorden:
        return (f"it has more questions and answers ({winner.vragen}+{winner.antwoorden} "
                f"against {loser.vragen}+{loser.antwoorden})")
    return "both are as good; the first in name order wins"


def _rename_line(line: str, renames: dict[str, str]) -> str:
    """Rename the subject and an IRI object of one N-Triples line; literals
    are never touched."""
    subject, predicate, rest = line.split(" ", 2)
    subject = renames.get(subject, subject)
    if rest.startswith("<"):
        obj, tail = rest.split(" ", 1)
        rest = renames.get(obj, obj) + " " + tail
    return f"{subject} {predicate} {rest}"


def _lines_of(triples) -> list[str]:
    from kg.mapping import term_nt

    return sorted({f"{term_nt(s)} {term_nt(p)} {term_nt(o)} ." for s, p, o in triples})


# ------------------------------------------------------------------- validation


def run_validation(chunks: Iterable[str], shared_chunk: str, jobs: int, engine: str = "sparql", scratch: Path | None = None,
                   keep_store: Path | None = None):  # -> ValidationReport
    """SHACL over the final chunks. Every engine gives pySHACL's results over
    the whole merged graph (kg.validate): "sparql" (the default) the shapes
    compiled to SPARQL over an Oxigraph store of the chunks, "partitioned"
    pySHACL in batches over worker processes, "pyshacl" one run over the
    whole graph (the reference, ``kg build --shacl pyshacl``). The SPARQL
    engine's store is on disk in ``scratch`` when the chunks are large
    (memory stays bounded), else in memory; an on-disk one is moved to
    ``keep_store`` afterwards when that is given."""
    from kg.validate import validate_chunks

    size = chunks.path.stat().st_size if isinstance(chunks, _Chunks) else 0
    store_dir = scratch if scratch is not None and size > IN_MEMORY_VALIDATION_BYTES else None
    # A small build's queries take less than forking costs.
    processes = jobs if engine != "sparql" or size > PARALLEL_VALIDATION_BYTES else 1
    return validate_chunks(chunks, shared_chunk, engine=engine, processes=processes, store_dir=store_dir, keep_store=keep_store)


# The SPARQL engine's store stays in memory below this much chunk text (an
# in-memory Oxigraph store takes about 2.7x the N-Triples: 680 MB for 10k
# publications; on disk it loads about 2x slower, in bounded memory).
IN_MEMORY_VALIDATION_BYTES = 512 * 1024 * 1024
# ... and its queries run in one process below this much (about 2,000 publications).
PARALLEL_VALIDATION_BYTES = 64 * 1024 * 1024


# ------------------------------------------------------------------- report


# The lists with an entry per input file or publication (127k of each in the archive).
_ONE_LINE_EACH = ("files", "publications")


def report_json(report: dict) -> str:
    """The report as JSON indented by two, except that each entry of the
    per-file and per-publication lists is one line: json's C encoder writes
    those (with indent it falls back to its Python encoder: 0.9 s at 10k
    publications, about 11 s for the 111 MB at 127k), and a line per file
    reads and greps well."""
    parts = []
    for key, value in report.items():
        if key in _ONE_LINE_EACH and isinstance(value, list) and value:
            text = "[\n" + ",\n".join("    " + json.dumps(entry, ensure_ascii=False) for entry in value) + "\n  ]"
        else:
            text = json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n  ")
        parts.append(f"  {json.dumps(key, ensure_ascii=False)}: {text}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def report_dict(result: BuildResult) -> dict:
    """The build report as plain data (written as build-report.json)."""
    counts = {s.value: sum(1 for f in result.files if f.status == s) for s in FileStatus}
    violations = list(getattr(result.validation, "violations", ()) or ())
    pubs = result.publications
    return {
        "kg_version": __version__,
        "files": [
            {
                "file": str(f.path),
                "status": f.status.value,
                "identifier": f.identifier,
                "format": f.format,
                "reasons": f.reasons,
                "vragen": f.vragen,
                "antwoorden": f.antwoorden,
                "verwijzingen": f.verwijzingen,
                "triples": f.triples,
                **({"publications": f.publications} if f.publications > 1 else {}),
            }
            for f in result.files
        ],
        "publications": [
            {"identifier": p.identifier, "source": str(p.source_path), "format": p.source_format, "sha256": p.source_sha256,
             "soort": p.soort, "vragen": p.vragen, "antwoorden": p.antwoorden, "verwijzingen": p.verwijzingen, "triples": p.triples}
            for p in pubs
        ],
        "counts": {
            "input_files": len(result.files),
            **{f"files_{k.replace(' ', '_')}": v for k, v in counts.items()},
            "publications": len(pubs),
            "vragen": sum(p.vragen for p in pubs),
            "antwoorden": sum(p.antwoorden for p in pubs),
            "verwijzingen": sum(p.verwijzingen for p in pubs),
            "cited_publications": len({c for p in pubs for c in p.cited}),
            "triples": None,  # filled in by the writer, which counts the merged graph
        },
        "validation": {
            "conforms": getattr(result.validation, "conforms", None),
            "violations": len(violations),
            "seconds": dict(getattr(result.validation, "seconds", None) or {}),
        },
        "links": result.links,
        "stages": {k: round(v, 3) for k, v in result.stages.items() if k not in ("cpu", "memory", "memory_own")},
        "stages_cpu": {k: round(v, 3) for k, v in result.stages.get("cpu", {}).items()},
        # PSS of the build and all its processes, the largest sample in each stage (kg.memwatch).
        "stages_memory_mb": dict(result.stages.get("memory", {})),
        # ... and the build process's own share at that sample.
        "stages_memory_build_process_mb": dict(result.stages.get("memory_own", {})),
        "peak_memory_mb": _peak_memory_mb(),  # the build process
        "peak_worker_memory_mb": _peak_memory_mb(resource.RUSAGE_CHILDREN),  # its largest worker
    }
