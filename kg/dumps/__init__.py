"""The graph dumps: one module per format behind a file-name registry.

Every writer gets the same ``DumpSet``: the build's named graphs, streamed
from disk as sorted unique N-Triples lines, the whole graph as one sorted
N-Triples file, and the dataset description with its provenance, also as
sorted lines. Sorted lines in, a streaming writer out: that is what makes
every dump byte-identical for the same inputs, whatever the number of worker
processes, and keeps memory flat whatever the size of the build.

| file | module | what |
|---|---|---|
| kamervragen.ttl | turtle | the graph (the default dump other tools read) |
| kamervragen.nt | ntriples | the same graph, sorted N-Triples |
| kamervragen.jsonld, context.jsonld | jsonld | the same graph as compact JSON-LD, and its context |
| kamervragen.trig | trig | a named graph per publication and a shared one; the description in the default graph |
| void.ttl | dataset | the description alone: VoID/DCAT dataset, PROV-O provenance of every named graph |

In a build (``DumpJob``) the formats are written in forked processes, one
task each (Turtle and TriG together: they share each graph's Turtle), beside
a task that counts the graph and describes it, while the calling process
writes the chains (whose pages go to the same processes). Each file's
SHA-256 is computed as it is written, for the manifest. A graph's part of
the Turtle, TriG and JSON-LD is a function of its lines alone, so it is
copied from the previous build while the graph is unchanged
(kg.dumps.fragments): one changed publication re-serialises one graph.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import heapq
import importlib
import json
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.errors import UsageError
from kg.iris import IriMinter
from kg.memwatch import peak_rss_mb, reset_peak


@dataclass(frozen=True)
class NamedGraph:
    """One named graph of the TriG dump and of ``kg push``."""

    iri: str
    lines: list[str]  # sorted unique N-Triples lines
    identifier: str | None = None  # the publication whose triples it holds; None for the shared graph
    sha256: str | None = None  # of its lines joined by newlines (kg.build.Spool's hash), when known

    def lines_hash(self) -> str:
        """The SHA-256 of the lines, the key of the graph's fragments (kg.dumps.fragments)."""
        if self.sha256 is not None:
            return self.sha256
        return hashlib.sha256("\n".join(self.lines).encode("utf-8")).hexdigest()


class SpoolGraph:
    """A named graph of a build's spool (kg.build.Spool), as a NamedGraph,
    whose lines are read from disk when first asked for."""

    __slots__ = ("iri", "identifier", "sha256", "size", "_file", "_where", "_lines")

    def __init__(self, iri: str, identifier: str | None, sha256: str, size: int, file, where: tuple[int, int]) -> None:
        self.iri, self.identifier, self.sha256, self.size = iri, identifier, sha256, size
        self._file, self._where, self._lines = file, where, None

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            offset, length = self._where
            if self._file.closed:  # asked for after the pass (a list of the graphs kept)
                with open(self._file.name, "rb") as f:
                    f.seek(offset)
                    data = f.read(length)
            else:
                self._file.seek(offset)
                data = self._file.read(length)
            text = data.decode("utf-8")
            self._lines = text.split("\n") if text else []
        return self._lines

    def lines_hash(self) -> str:
        return self.sha256


def graph_size(graph) -> int:  # NamedGraph | SpoolGraph
    """The number of lines of a graph, without reading them where that is known."""
    size = getattr(graph, "size", None)
    return size if size is not None else len(graph.lines)


class DumpSet:
    """What every dump writer is given.

    ``graphs`` streams the named graphs (one per publication and the shared
    graph, in IRI order, each triple in one of them): every access starts a
    new pass over the build's spool, which a writer consumes once, so no
    writer holds the whole build. ``ntriples_path`` is the whole graph as
    sorted N-Triples on disk."""

    def __init__(
        self,
        graphs: Callable[[], Iterator[NamedGraph]] | Iterable[NamedGraph],
        description: list[str],
        description_turtle: str,
        description_graph: str,
        context: dict | None = None,
        ntriples_path: Path | None = None,
        triples: int = 0,
        formats: Iterable[str] = (),
    ) -> None:
        self._graphs = graphs
        self.description = description  # dataset description and provenance: sorted N-Triples lines
        self.description_turtle = description_turtle  # the same as Turtle, as the template wrote it (void.ttl)
        self.description_graph = description_graph  # the IRI under which ``kg push`` stores ``description``
        self.context = context or {}  # the JSON-LD context (the object under "@context")
        self.ntriples_path = ntriples_path
        self.triples = triples
        self.formats = tuple(formats)
        # Where the writers find the previous build's dumps and the index of
        # their per-graph fragments (kg.dumps.fragments); None: make all anew.
        self.previous: Path | None = None
        self.index_dir: Path | None = None
        # Where the description comes from when another process makes it (DumpJob).
        self.await_description: Callable[[], list[str]] | None = None
        # After a DumpJob: the description's lines joined by newlines, on disk
        # (not in this process: 430 MB at 127k publications), and their SHA-256.
        self.description_path: Path | None = None
        self.description_sha256: str | None = None

    def description_lines(self) -> list[str]:
        """The description's sorted N-Triples lines, read from disk when a
        DumpJob left them there."""
        if self.description is None and self.description_path is not None:
            text = self.description_path.read_text(encoding="utf-8")
            return text.split("\n") if text else []
        return self.description

    @property
    def graphs(self) -> Iterable[NamedGraph]:
        return self._graphs() if callable(self._graphs) else self._graphs

    def with_graphs(self, graphs: Callable[[], Iterator[NamedGraph]] | Iterable[NamedGraph]) -> DumpSet:
        """The same dump set over other named graphs (a one-shot iterator is fine)."""
        import copy

        other = copy.copy(self)
        other._graphs = graphs
        return other

    def iter_lines(self) -> Iterator[str]:
        """The whole graph as sorted N-Triples lines, streamed from disk."""
        if self.ntriples_path is not None:
            with self.ntriples_path.open("r", encoding="utf-8", newline="\n") as f:
                for line in f:
                    yield line[:-1]
        else:
            yield from heapq.merge(*(g.lines for g in self.graphs))

    @property
    def lines(self) -> list[str]:
        """The whole graph as one sorted list: for writers that still want it
        (it holds every line in memory; streaming writers use iter_lines)."""
        return list(self.iter_lines())


# file name -> (module, writer function); each writer is ``write(dumps, path)``.
# The order is the order of writing; modules are imported when they write, so
# a build loads the JSON-LD machinery only when it writes JSON-LD.
DUMP_WRITERS: dict[str, tuple[str, str]] = {
    "kamervragen.ttl": ("kg.dumps.turtle", "write_turtle"),
    "kamervragen.nt": ("kg.dumps.ntriples", "write_ntriples"),
    "context.jsonld": ("kg.dumps.jsonld", "write_context"),
    "kamervragen.jsonld": ("kg.dumps.jsonld", "write_jsonld"),
    "kamervragen.trig": ("kg.dumps.trig", "write_trig"),
    "void.ttl": ("kg.dumps.dataset", "write_description"),
}

# ``--formats``: name -> the files it writes. void.ttl (the description) is always written.
FORMATS: dict[str, tuple[str, ...]] = {
    "ttl": ("kamervragen.ttl",),
    "nt": ("kamervragen.nt",),
    "trig": ("kamervragen.trig",),
    "jsonld": ("context.jsonld", "kamervragen.jsonld"),
}
ALWAYS = ("void.ttl",)

# The distributions the dataset description lists: file name -> IANA media type.
MEDIA_TYPES: dict[str, str] = {
    "kamervragen.ttl": "text/turtle",
    "kamervragen.nt": "application/n-triples",
    "kamervragen.jsonld": "application/ld+json",
    "kamervragen.trig": "application/trig",
}


def check_formats(formats: Iterable[str] | None) -> tuple[str, ...]:
    """The formats asked for, checked; all of them when None."""
    if formats is None:
        return tuple(FORMATS)
    chosen = tuple(dict.fromkeys(f.strip().lower() for f in formats if f.strip()))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise UsageError(f"--formats: unknown format {', '.join(unknown) or '(none)'}; choose from {','.join(FORMATS)}")
    return chosen


def files_for(formats: Iterable[str]) -> list[str]:
    """The dump files written for ``formats``, in the order of writing."""
    wanted = {name for f in formats for name in FORMATS[f]} | set(ALWAYS)
    return [name for name in DUMP_WRITERS if name in wanted]


def writer(name: str) -> Callable[[DumpSet, Path], None]:
    module, function = DUMP_WRITERS[name]
    return getattr(importlib.import_module(module), function)


def merged_lines(chunks: list[str]) -> list[str]:
    """The build's triples as sorted unique N-Triples lines: people, parties,
    offices and cited stubs named by several publications appear once."""
    lines: set[str] = set()
    for chunk in chunks:
        lines.update(ln for ln in chunk.splitlines() if ln.strip())
    return sorted(lines)


def build_timestamp(timestamp: dt.datetime | None = None) -> dt.datetime | None:
    """When the build is said to have happened: the given time, else
    SOURCE_DATE_EPOCH (the reproducible-builds convention), else None, and
    then the description holds no time at all, so that a second build of the
    same inputs is byte-identical."""
    if timestamp is not None:
        return timestamp.astimezone(dt.timezone.utc).replace(microsecond=0)
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return None
    try:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
    except (ValueError, OverflowError, OSError):
        raise UsageError(f"SOURCE_DATE_EPOCH must be whole seconds since 1970, not {epoch!r}") from None


def split_graphs(chunks: list[tuple[str, str]], shared_chunk: str, iris: IriMinter) -> list[NamedGraph]:
    """Every triple in exactly one named graph, sorted by graph IRI.

    A publication's graph holds the triples that publication alone states;
    what several publications state (a member named by two of them, a
    publication both cite) and what the link stage adds goes to the shared
    graph. No triple is in two graphs, so a store that answers over the union
    of its graphs and keeps duplicates (Virtuoso does) gives the same answers
    as the merged graph, and the union of the graphs is kamervragen.nt.

    (The in-memory form, for small sets; kg.build does the same split
    streaming, one publication at a time.)"""
    per_publication = [(identifier, set(merged_lines([chunk]))) for identifier, chunk in chunks]
    seen: dict[str, int] = {}
    for _, lines in per_publication:
        for line in lines:
            seen[line] = seen.get(line, 0) + 1
    shared = set(merged_lines([shared_chunk]))
    shared.update(line for line, n in seen.items() if n > 1)
    graphs = [
        NamedGraph(str(iris.graph(identifier)), sorted(lines - shared), identifier)
        for identifier, lines in per_publication
    ]
    if shared:
        graphs.append(NamedGraph(str(iris.shared_graph()), sorted(shared)))
    return sorted(graphs, key=lambda g: g.iri)


def prepare(result, iris: IriMinter, timestamp: dt.datetime | None = None, formats: Iterable[str] | None = None) -> DumpSet:  # result: kg.build.BuildResult
    """Describe the build and set up the streams the writers read.

    ``result.spool`` holds the build's named graphs (kg.build.Spool): one per
    publication in identifier order and the shared one."""
    from kg.dumps.context import jsonld_context

    dumps = prepare_graphs(result, iris, formats)
    describe_build(dumps, result, iris, timestamp)
    dumps.context = jsonld_context()
    return dumps


def prepare_graphs(result, iris: IriMinter, formats: Iterable[str] | None = None, merge: bool = True) -> DumpSet:
    """The dump set without its description yet (``describe_build`` adds
    it): the streams of the named graphs and (unless ``merge`` is False:
    then set ``ntriples_path`` later) the merged N-Triples."""
    spool = result.spool
    if spool is None:
        raise ValueError("the build kept no graphs to write (it built nothing)")
    formats = check_formats(formats)
    merged = spool.merged_path() if merge else None
    shared_iri = str(iris.shared_graph())

    def graph_iri(identifier: str) -> str:
        return str(iris.graph(identifier)) if identifier else shared_iri

    def graphs() -> Iterator[SpoolGraph]:
        # The lines are read only when a writer asks for them: a graph whose
        # fragments are copied from the previous build is never read.
        with (spool.dir / "graphs.bin").open("rb") as f:
            for ident, graph_hash in spool.graph_hashes.items():
                size = spool.graph_sizes[ident]
                if size or ident:
                    yield SpoolGraph(graph_iri(ident), ident or None, graph_hash, size, f, spool.offsets[ident])

    dumps = DumpSet(graphs, [], "", str(iris.description_graph()), None, merged, 0, formats)
    dumps.description = None  # not made yet
    return dumps


def describe_build(dumps: DumpSet, result, iris: IriMinter, timestamp: dt.datetime | None = None) -> None:
    """Count the graph and describe the build (VoID, DCAT, the provenance of
    every named graph) into ``dumps``: its description lines and Turtle and
    its count of triples. Linear in the graph: in a build it runs in a
    process of its own beside the dump writers (DumpJob)."""
    from kg.dumps.dataset import describe, graph_counts, turtle_lines

    spool = result.spool
    counts = graph_counts(spool.merged_lines())
    shared_iri = str(iris.shared_graph())
    sizes = [(str(iris.graph(ident)) if ident else shared_iri, ident or None, n) for ident, n in spool.graph_sizes.items() if n or ident]
    sizes.sort(key=lambda g: g[0])
    turtle = describe(
        counts,
        sizes,
        result.publications,
        iris,
        input_files=len(result.files),
        distributions=[name for name in files_for(dumps.formats) if name in MEDIA_TYPES],
        timestamp=build_timestamp(timestamp),
    )
    dumps.description = turtle_lines(turtle)
    dumps.description_turtle = turtle
    dumps.triples = counts["triples"]


# Files written in one pass over the graphs (one task): the TriG holds each
# graph's Turtle of kamervragen.ttl, made once for both.
TOGETHER: dict[tuple[str, ...], tuple[str, str]] = {
    ("kamervragen.ttl", "kamervragen.trig"): ("kg.dumps.turtle", "write_turtle_files"),
}
# The longest tasks first, so that a pool of few processes finishes soonest.
_COST = ("kamervragen.jsonld", "kamervragen.ttl", "kamervragen.trig", "kamervragen.nt")


def dump_tasks(names: Iterable[str]) -> list[tuple[str, ...]]:
    """The files ``names`` as tasks: those written together in one, each other alone; longest first."""
    left = list(names)
    tasks: list[tuple[str, ...]] = []
    for group in TOGETHER:
        members = tuple(n for n in group if n in left)
        if len(members) > 1:
            tasks.append(members)
            left = [n for n in left if n not in members]
    tasks.extend((n,) for n in left)
    rank = {name: k for k, name in enumerate(_COST)}
    return sorted(tasks, key=lambda t: min(rank.get(n, len(rank)) for n in t))


def run_task(dumps: DumpSet, out_dir: Path, names: tuple[str, ...]) -> dict[str, str]:
    """Write the files of one task; return each one's SHA-256 (None where a writer gives none)."""
    if len(names) > 1:
        module, function = TOGETHER[next(g for g in TOGETHER if set(names) <= set(g))]
        return getattr(importlib.import_module(module), function)(dumps, {n: out_dir / n for n in names})
    return {names[0]: writer(names[0])(dumps, out_dir / names[0])}


# What the tasks of a forked pool work on (inherited, not pickled).
_FORKED: dict | None = None
DESCRIPTION_LINES = ".description.nt"  # hidden: a hand-over between processes, not an output
DESCRIPTION_COUNT = ".description.json"


def _run_forked(names: tuple[str, ...], merged: Path | None = None) -> tuple[dict[str, str], dict]:
    """One task in a forked process: its files' SHA-256, and what it took
    (seconds, CPU seconds, the process's peak resident memory during the task,
    pages shared with the build included)."""
    assert _FORKED is not None
    if merged is not None:  # merged by the parent after the fork: not to be merged again here
        _FORKED["dumps"].ntriples_path = merged
        _FORKED["result"].spool._merged = merged
    reset_peak()
    wall, cpu = time.perf_counter(), time.process_time()
    if names == ("void.ttl",):
        done = _describe_task(**_FORKED)
    else:
        done = run_task(_FORKED["dumps"], _FORKED["out_dir"], names)
    took = {"seconds": round(time.perf_counter() - wall, 3), "cpu_seconds": round(time.process_time() - cpu, 3)}
    peak = peak_rss_mb()
    if peak is not None:
        took["peak_rss_mb"] = peak
    return done, took


def _describe_task(dumps: DumpSet, out_dir: Path, result, iris: IriMinter, timestamp, ready) -> dict[str, str]:
    """Describe the build, write void.ttl, and hand the description to the
    TriG writer and the caller through hidden files in ``out_dir``."""
    from kg.manifest import write_atomic

    try:
        describe_build(dumps, result, iris, timestamp)
        # The lines joined by newlines, as the store keeps a large graph's
        # snapshot (kg.store), with their hash: the store takes both as they are.
        data = "\n".join(dumps.description).encode("utf-8")
        write_atomic(out_dir / DESCRIPTION_LINES, data)
        count = {"triples": dumps.triples, "sha256": hashlib.sha256(data).hexdigest()}
        write_atomic(out_dir / DESCRIPTION_COUNT, json.dumps(count))
        return {"void.ttl": writer("void.ttl")(dumps, out_dir / "void.ttl")}
    finally:
        ready.set()  # also when it failed: the TriG writer then finds no description and says so


def _await_description(out_dir: Path, ready) -> list[str]:
    ready.wait()
    try:
        text = (out_dir / DESCRIPTION_LINES).read_text(encoding="utf-8")
    except OSError:
        raise UsageError("the dataset description was not made (see the error of its process)") from None
    # Not splitlines(): a literal may hold U+2028 or U+0085, which N-Triples need not escape.
    return text.split("\n") if text else []


class DumpJob:
    """The dumps being written: in ``jobs`` forked processes, one format each
    and one for the description (the counts and provenance, linear in the
    graph), each streaming the graphs from the build's spool, while the
    caller goes on with other outputs (the chains, whose pages it may give
    to ``pool``); ``wait`` gives each file's SHA-256 and completes ``dumps``
    with the description. With one job everything is done at once, here."""

    def __init__(self, result, iris: IriMinter, out_dir: Path, *, timestamp: dt.datetime | None = None,
                 formats: Iterable[str] | None = None, jobs: int | None = None,
                 previous: Path | None = None, index_dir: Path | None = None) -> None:
        global _FORKED
        out_dir.mkdir(parents=True, exist_ok=True)
        self.out_dir = out_dir
        spool = result.spool
        self.spool_dir = spool.dir
        self.dumps = dumps = prepare_graphs(result, iris, formats, merge=False)
        dumps.previous = Path(previous) if previous is not None else None
        dumps.index_dir = Path(index_dir) if index_dir is not None else None
        self.names = files_for(dumps.formats or FORMATS)
        # Writers that stream the named graphs and wait for nothing start first
        # (JSON-LD), while this process merges the sorted runs; then the
        # description, which needs the merge; then the TriG (it waits for the
        # description at its end) and kamervragen.nt.
        tasks = dump_tasks(n for n in self.names if n != "void.ttl")
        streaming = [t for t in tasks if not set(t) & {"kamervragen.nt", "kamervragen.trig"}]
        merged_tasks = [("void.ttl",)] + [t for t in tasks if t not in streaming]
        jobs = min(jobs or os.cpu_count() or 1, len(streaming) + len(merged_tasks))
        self._pool = None
        self.parallel = jobs > 1
        self._futures: list = []
        self._done: dict[str, str] = {}
        # Per task ("kamervragen.ttl + kamervragen.trig", ...): seconds, CPU
        # seconds and peak memory, when the tasks ran in processes of their own.
        self.tasks: dict[str, dict] = {}
        if jobs <= 1:
            dumps.ntriples_path = spool.merged_path()
            describe_build(dumps, result, iris, timestamp)
            for task in merged_tasks[1:] + streaming:
                self._done.update(run_task(dumps, out_dir, task))
            self._done.update(run_task(dumps, out_dir, ("void.ttl",)))
            return
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("fork")
        ready = context.Event()
        dumps.await_description = lambda: _await_description(out_dir, ready)
        _FORKED = {"dumps": dumps, "out_dir": out_dir, "result": result, "iris": iris, "timestamp": timestamp, "ready": ready}
        # fork: the workers inherit the dump set (its graphs are a function over the spool on disk).
        self._pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context)
        import gc

        try:
            # The first submit forks every worker. Objects frozen before it are
            # never traversed by a worker's collector, so a worker does not copy
            # the build's heap page by page (copy-on-write): memory stays shared.
            gc.freeze()
            try:
                if streaming:
                    self._futures = [self._pool.submit(_run_forked, task) for task in streaming]
                else:
                    dumps.ntriples_path = spool.merged_path()
                    self._futures = [self._pool.submit(_run_forked, task, dumps.ntriples_path) for task in merged_tasks]
            finally:
                gc.unfreeze()
            if streaming:
                dumps.ntriples_path = spool.merged_path()
                self._futures += [self._pool.submit(_run_forked, task, dumps.ntriples_path) for task in merged_tasks]
        except BaseException:
            self._pool.shutdown(cancel_futures=True)
            _FORKED = None
            raise

    @property
    def pool(self):  # -> concurrent.futures.Executor | None
        """The processes writing the dumps, for more work after them (the chain pages)."""
        return self._pool

    def wait(self) -> dict[str, str]:
        global _FORKED
        if self._pool is not None:
            try:
                for future in self._futures:
                    done, took = future.result()
                    self._done.update(done)
                    self.tasks[" + ".join(sorted(done))] = took
            finally:
                self._pool.shutdown(cancel_futures=True)
                self._pool = None
                _FORKED = None
            dumps = self.dumps
            lines, count = self.out_dir / DESCRIPTION_LINES, self.out_dir / DESCRIPTION_COUNT
            made = json.loads(count.read_text(encoding="utf-8"))
            dumps.triples, dumps.description_sha256 = made["triples"], made["sha256"]
            # Out of the output folder, into the spool, unread: the store's
            # update reads it if it must (void.ttl holds its Turtle).
            dumps.description = None
            dumps.description_path = Path(shutil.move(str(lines), str(self.spool_dir / "description.nt")))
            count.unlink()
        return {name: sha for name, sha in self._done.items() if sha}


def write_dumps(dumps: DumpSet, out_dir: Path) -> dict[str, str]:
    """Write the dumps of ``dumps.formats`` (all when empty) of a prepared
    dump set into ``out_dir``, here; return each file's SHA-256."""
    out_dir.mkdir(parents=True, exist_ok=True)
    done: dict[str, str] = {}
    for task in dump_tasks(files_for(dumps.formats or FORMATS)):
        done.update(run_task(dumps, out_dir, task))
    return done


__all__ = [
    "DUMP_WRITERS",
    "FORMATS",
    "MEDIA_TYPES",
    "check_formats",
    "files_for",
    "DumpSet",
    "NamedGraph",
    "build_timestamp",
    "merged_lines",
    "prepare",
    "prepare_graphs",
    "SpoolGraph",
    "graph_size",
    "describe_build",
    "split_graphs",
    "write_dumps",
    "DumpJob",
    "dump_tasks",
]
