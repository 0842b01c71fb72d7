"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint over a build.

- ``/sparql`` (and ``/sparql/``): GET ``?query=``, POST form (``query=``) or
  POST ``application/sparql-query``; results by content negotiation (SPARQL
  JSON, XML, CSV, TSV; Turtle, N-Triples or RDF/XML for CONSTRUCT and
  DESCRIBE; an HTML table when a browser asks for HTML).
- ``/``: a page to type a query or pick a named one with its parameters.
- ``/queries`` lists the named queries (JSON); ``/queries/NAME?param=value``
  runs one, with the same content negotiation as ``/sparql``.

Security rests on where a query runs, not on reading it twice. Only
Oxigraph ever parses a user's query, and it does so in a worker process that
has no network: before it loads the graph, the worker moves into a network
namespace of its own (no interface but a loopback that is down), so a
SERVICE clause, however it is spelled, fails there and reaches nothing. A
worker that cannot cut itself off refuses to start, and the server with it.
Oxigraph's query API has no update path (an update is a syntax error for
``Store.query``), and the graph is an in-memory copy or a read-only store.

Each query runs in a worker under the time limit (the worker is killed and
replaced) and under a memory cap (RLIMIT_AS: the loaded graph plus
``memory_mb``), on a thread with a large stack so that deeply nested
expressions cannot overflow it. Before a query goes to a worker the main
process bounds its size and nesting with a linear scan (a 4xx, not a crash).

Requests are served by waitress (a maintained pure-Python WSGI server): its
listen backlog and connection limit let bursts queue instead of being
refused, and its thread pool is independent of the query workers. Answers
are cached (LRU, bounded in bytes): the graph of a running server never
changes, so the same query text, format and dataset give the same bytes.
"""
from __future__ import annotations

import ctypes
import json
import multiprocessing
import os
import queue
import re
import sys
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import Any, Callable, Iterable
from urllib.parse import parse_qs, unquote

from kg.errors import KgError, QueryError, UsageError

MAX_BODY = 1 << 20  # bytes of a POSTed request
MAX_QUERY_CHARS = 100_000  # a longer query is refused with 413
MAX_NESTING = 64  # brackets ( { [ open at once
MAX_LOGICAL_TERMS = 1_000  # || and && in one query: Oxigraph parses long chains in quadratic time
QUERY_STACK_MB = 256  # the query thread's stack: deep expression trees recurse in Oxigraph
CACHE_BYTES = 64 << 20  # answers kept for repeated queries
READ_ONLY = "updates are refused: this endpoint is read-only (no INSERT, DELETE, LOAD, CLEAR, CREATE, DROP, COPY, MOVE or ADD)"

# media type -> pyoxigraph format name; the first is the default
RESULT_TYPES: dict[str, str] = {
    "application/sparql-results+json": "JSON",
    "application/sparql-results+xml": "XML",
    "text/csv": "CSV",
    "text/tab-separated-values": "TSV",
    "application/json": "JSON",
    "application/xml": "XML",
    "text/html": "JSON",  # rendered as a table by the page
}
GRAPH_TYPES: dict[str, str] = {
    "text/turtle": "TURTLE",
    "application/n-triples": "N_TRIPLES",
    "application/rdf+xml": "RDF_XML",
    "text/html": "N_TRIPLES",
}


class HttpError(KgError):
    """A request the endpoint answers with an error status and a message."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.headers = headers or {}


@dataclass(frozen=True)
class ServeConfig:
    graph: Path | None = None  # an N-Triples, Turtle or TriG dump, loaded into memory by each worker
    store: Path | None = None  # or an on-disk Oxigraph store, opened read-only
    host: str = "127.0.0.1"
    port: int = 8000
    timeout: float = 30.0  # seconds a query may run (parsing included)
    workers: int = 2  # query worker processes
    memory_mb: int = 1024  # address space a query may add to its worker
    threads: int = 16  # HTTP threads (waitress)
    allow_hosts: tuple[str, ...] = ()  # Host header names answered besides the bind address
    cache_bytes: int = CACHE_BYTES
    quiet: bool = False


# ------------------------------------------------------------ query bounds

# Strings, IRIs and comments (passed over whole) and the brackets and
# logical operators counted by ``check_bounds``.
_SCAN = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\s]*>"
    r"|#[^\n]*"
    r"|(?P<open>[({\[])|(?P<close>[)}\]])|(?P<logic>\|\||&&)",
    re.DOTALL,
)


def check_bounds(text: str) -> None:
    """HttpError 4xx for a query too large or too deeply nested to run.

    This bounds resources only; it decides nothing about what the query
    means (Oxigraph alone parses it, in a worker without network). A scan
    that misreads a query can at worst let through one that the worker's
    time and memory caps then stop."""
    if not text.strip():
        raise HttpError(400, "no query: pass it as the 'query' parameter or POST it as application/sparql-query")
    if len(text) > MAX_QUERY_CHARS:
        raise HttpError(413, f"the query has {len(text):,} characters; the limit is {MAX_QUERY_CHARS:,}")
    depth = deepest = logic = 0
    for m in _SCAN.finditer(text):
        if m.lastgroup == "open":
            depth += 1
            deepest = max(deepest, depth)
        elif m.lastgroup == "close":
            depth -= 1
        elif m.lastgroup == "logic":
            logic += 1
    if deepest > MAX_NESTING:
        raise HttpError(400, f"the query nests brackets {deepest} deep; the limit is {MAX_NESTING}")
    if logic > MAX_LOGICAL_TERMS:
        raise HttpError(400, f"the query has {logic:,} || and && operators; the limit is {MAX_LOGICAL_TERMS:,} (use VALUES or IN for long lists)")


def negotiate(accept: str | None, offers: list[str]) -> str | None:
    """The offered media type the Accept header prefers (server order breaks
    ties); None when it accepts none of them."""
    if not accept or not accept.strip():
        return offers[0]
    ranges: list[tuple[str, float]] = []
    for part in accept.split(","):
        fields = [f.strip() for f in part.split(";")]
        media, q = fields[0].lower(), 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if media:
            ranges.append((media, q))
    best, best_q = None, 0.0
    for offer in offers:
        kind = offer.split("/")[0]
        q = None
        for specificity in (offer, f"{kind}/*", "*/*"):  # the most specific range decides
            matches = [rq for media, rq in ranges if media == specificity]
            if matches:
                q = max(matches)
                break
        if q is not None and q > best_q:
            best, best_q = offer, q
    return best


# ----------------------------------------------------------------- workers

CLONE_NEWUSER, CLONE_NEWNET = 0x10000000, 0x40000000


def isolate_network() -> None:
    """Move this process into a network namespace of its own, so that
    nothing it runs can open a connection (not even to 127.0.0.1). As root
    a new network namespace is enough; otherwise a user namespace makes it
    possible. Raises OSError when the kernel allows neither."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(CLONE_NEWNET) == 0:
        return
    if libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0:
        return
    err = ctypes.get_errno()
    raise OSError(err, f"cannot enter a network namespace ({os.strerror(err)}); kg serve runs queries only in workers without network")


def forbid_sockets() -> bool:
    """Make every later socket() call in this process fail (seccomp, via
    libseccomp). A network namespace still lets a process reach Unix
    sockets on the file system, such as a host's DNS cache daemon, which
    would carry a name out; with this filter a query can open no socket of
    any kind. Returns False when libseccomp is not installed."""
    try:
        lib = ctypes.CDLL("libseccomp.so.2", use_errno=True)
    except OSError:
        return False
    lib.seccomp_init.restype = ctypes.c_void_p
    lib.seccomp_init.argtypes = [ctypes.c_uint32]
    lib.seccomp_rule_add.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int, ctypes.c_uint]
    lib.seccomp_load.argtypes = [ctypes.c_void_p]
    lib.seccomp_release.argtypes = [ctypes.c_void_p]
    allow, eperm = 0x7FFF0000, 0x00050000 | 1  # SCMP_ACT_ALLOW, SCMP_ACT_ERRNO(EPERM)
    ctx = lib.seccomp_init(allow)
    if not ctx:
        raise OSError("seccomp_init failed")
    try:
        for name in (b"socket", b"socketcall"):  # socketcall: the 32-bit multiplexer
            nr = lib.seccomp_syscall_resolve_name(name)
            if nr >= 0 and lib.seccomp_rule_add(ctx, eperm, nr, 0) != 0:
                raise OSError(f"seccomp_rule_add({name.decode()}) failed")
        rc = lib.seccomp_load(ctx)
        if rc != 0:
            raise OSError(-rc, f"seccomp_load failed: {os.strerror(-rc)}")
    finally:
        lib.seccomp_release(ctx)
    return True


def _limit_memory(extra_mb: int) -> int:
    """Cap this process's address space at its present size plus
    ``extra_mb``; returns the cap in bytes."""
    import resource

    with open("/proc/self/statm") as fh:
        size = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    cap = size + (extra_mb << 20)
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    return cap


def _open_graph(graph: str | None, store: str | None):
    """The worker's Oxigraph store: the dump loaded into memory, or the
    on-disk store opened read-only."""
    import pyoxigraph as ox

    if store is not None:
        return ox.Store.read_only(store)
    db = ox.Store()
    suffix = Path(graph).suffix.lstrip(".")
    fmt = ox.RdfFormat.from_extension(suffix) or ox.RdfFormat.N_TRIPLES
    db.bulk_load(path=graph, format=fmt)
    return db


def _worker_main(conn, graph: str | None, store: str | None, prefixes: dict[str, str], memory_mb: int) -> None:
    """A worker process: cut off the network, hold the graph, answer
    queries until told to stop."""
    try:
        # Either barrier alone keeps a query off the network: a namespace of
        # its own (needs root or unprivileged user namespaces, which some
        # distributions restrict) or the seccomp filter below. Fail closed
        # only when neither can be had.
        try:
            isolate_network()
            no_namespace = None
        except OSError as exc:
            no_namespace = exc
        db = _open_graph(graph, store)
        triples = len(db)
        # A dump with graphs (TriG, N-Quads) holds one named graph per
        # publication: queries see their union as the default graph. A kg
        # store holds that union in its default graph as well, which is
        # faster to query; a store with an empty default graph (named graphs
        # only) is queried over their union.
        if store is not None:
            from kg.store import queries_union

            union = queries_union(db)
        else:
            union = Path(graph).suffix.lower() in (".trig", ".nq")
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which stops
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    try:
        sealed = forbid_sockets()  # after loading: the graph is read, no socket is needed any more
    except OSError as exc:
        conn.send(("failed", f"cannot forbid sockets in the query worker: {exc}"))
        return
    if no_namespace is not None and not sealed:
        conn.send(("failed", f"{no_namespace.strerror or no_namespace}; and libseccomp is not installed, so sockets cannot be forbidden either"))
        return
    threading.stack_size(QUERY_STACK_MB << 20)
    loop = threading.Thread(target=_answer_loop, args=(conn, db, union, prefixes), daemon=True)
    loop.start()  # its stack is reserved before the cap, so the cap is what queries may add
    try:
        _limit_memory(memory_mb)
    except (OSError, ValueError) as exc:
        conn.send(("failed", f"cannot cap the worker's memory: {exc}"))
        return
    conn.send(("ready", triples))
    loop.join()


def _answer_loop(conn, db, union: bool, prefixes: dict[str, str]) -> None:
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            conn.send(_answer(db, union, prefixes, *job))
        except MemoryError:
            conn.send(("error", 503, "query stopped: it needed more memory than the limit"))
        except Exception as exc:  # noqa: BLE001 - any evaluation error goes back to the client
            network = isinstance(exc, OSError) and any(w in str(exc).lower() for w in ("unreachable", "resolution", "lookup", "not permitted"))
            hint = " (SERVICE is refused: query workers have no network)" if network else ""
            conn.send(("error", 400, f"the query failed: {type(exc).__name__}: {exc}{hint}"))


def _answer(db, union: bool, prefixes: dict[str, str], text: str, results_fmt: str | None, graph_fmt: str | None,
            base_iri: str | None, default_graphs: list[str] | None, named_graphs: list[str] | None) -> tuple:
    """Run one query; ("ok", "results"|"graph", body) or ("error", status, message)."""
    import pyoxigraph as ox

    options: dict[str, Any] = {"base_iri": base_iri}
    if default_graphs is not None or named_graphs is not None:
        # The protocol's dataset replaces the query's: graphs not named are not there.
        options["default_graph"] = [ox.NamedNode(g) for g in default_graphs or []]
        options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs or []]
    elif union:
        options["use_default_graph_as_union"] = True  # named graphs only: their union (interfaces #3)
    try:
        res = db.query(text, **options)
    except SyntaxError as exc:
        return ("error", 400, f"the query does not parse: {exc} (if it is an update: {READ_ONLY})")
    if isinstance(res, ox.QueryTriples):
        if graph_fmt is None:
            return ("error", 406, f"cannot answer a CONSTRUCT or DESCRIBE query in any type the Accept header allows; offered: {', '.join(GRAPH_TYPES)}")
        fmt = getattr(ox.RdfFormat, graph_fmt)
        return ("ok", "graph", ox.serialize(res, format=fmt, prefixes=prefixes if graph_fmt == "TURTLE" else None))
    if results_fmt is None:
        return ("error", 406, f"cannot answer a SELECT or ASK query in any type the Accept header allows; offered: {', '.join(RESULT_TYPES)}")
    return ("ok", "results", res.serialize(format=getattr(ox.QueryResultsFormat, results_fmt)))


class _Worker:
    def __init__(self, ctx, config: ServeConfig, prefixes: dict[str, str]) -> None:
        self.conn, child = ctx.Pipe()
        graph = str(config.graph) if config.graph is not None else None
        store = str(config.store) if config.store is not None else None
        self.process = ctx.Process(target=_worker_main, args=(child, graph, store, prefixes, config.memory_mb), daemon=True)
        self.process.start()
        child.close()
        # The pool's close() and a thread replacing this worker may both stop
        # it; closing the pipe twice at once would close another's descriptor.
        self._stop_lock = threading.Lock()
        self._stopped = False

    def wait_ready(self, timeout: float) -> int:
        try:
            loaded = self.conn.poll(timeout)
        except (EOFError, OSError):  # stopped meanwhile by the pool's close()
            loaded = True
        if not loaded:
            self.stop()
            raise UsageError(f"the graph did not load within {timeout:.0f} s")
        try:
            status, payload = self.conn.recv()
        except (EOFError, OSError):
            self.stop()
            raise UsageError(f"the query worker stopped while loading the graph (exit code {self.process.exitcode})") from None
        if status != "ready":
            self.stop()
            raise UsageError(f"the query worker could not start: {payload}")
        return int(payload)

    def stop(self) -> None:
        with self._stop_lock:
            if self._stopped:
                return
            self._stopped = True
            if self.process.is_alive():
                self.process.kill()
            self.process.join(5)
            self.conn.close()


class WorkerPool:
    """Worker processes holding the graph; a query runs in one of them and
    is stopped at the time limit by killing that worker."""

    def __init__(self, config: ServeConfig, load_timeout: float = 600.0) -> None:
        from kg.vocab import PREFIXES

        self.config = config
        self.prefixes = {k: str(v) for k, v in PREFIXES.items()}
        self.ctx = multiprocessing.get_context("spawn")  # no fork of a threaded server
        self.load_timeout = load_timeout
        self.idle: queue.Queue[_Worker] = queue.Queue()
        self._closed = False
        self._lock = threading.Lock()
        self._all: set[_Worker] = set()
        workers = [self._start() for _ in range(max(1, config.workers))]
        self.triples = 0
        try:
            for w in workers:
                self.triples = w.wait_ready(load_timeout)
                self.idle.put(w)
        except KgError:
            self.close()
            raise

    def _start(self) -> _Worker:
        w = _Worker(self.ctx, self.config, self.prefixes)
        with self._lock:
            self._all.add(w)
        return w

    def _retire(self, w: _Worker) -> None:
        w.stop()
        with self._lock:
            self._all.discard(w)
        if not self._closed:
            threading.Thread(target=self._replace, daemon=True).start()

    def _replace(self) -> None:
        if self._closed:
            return
        try:
            w = self._start()
            w.wait_ready(self.load_timeout)
        except KgError as exc:
            print(f"kg serve: could not restart a query worker: {exc}", file=sys.stderr)
            return
        if self._closed:
            w.stop()
        else:
            self.idle.put(w)

    def execute(self, job: tuple) -> tuple[str, bytes]:
        """Run ``job`` (the arguments of ``_answer`` after the store) in a
        worker: (kind, body), or HttpError."""
        timeout = self.config.timeout
        try:
            w = self.idle.get(timeout=timeout)
        except queue.Empty:
            raise HttpError(503, f"every query worker stayed busy for {timeout:g} s; try again", {"Retry-After": "5"}) from None
        try:
            w.conn.send(job)
            if not w.conn.poll(timeout):
                self._retire(w)
                w = None
                raise HttpError(503, f"query stopped: it ran longer than the time limit of {timeout:g} s", {"Retry-After": "5"})
            answer = w.conn.recv()
        except (EOFError, OSError) as exc:
            worker, w = w, None
            if worker is not None:
                worker.process.join(2)
                code = worker.process.exitcode
                self._retire(worker)
                if code in (-6, 134):  # SIGABRT: Rust aborts when an allocation fails under RLIMIT_AS
                    raise HttpError(503, f"query stopped: it needed more than the memory limit of {self.config.memory_mb} MB",
                                    {"Retry-After": "5"}) from exc
                raise HttpError(500, f"the query worker stopped unexpectedly (exit code {code}); it was replaced") from exc
            raise HttpError(500, f"the query worker stopped unexpectedly ({type(exc).__name__})") from exc
        finally:
            if w is not None:
                self.idle.put(w)
        if answer[0] == "error":
            raise HttpError(answer[1], answer[2], {"Retry-After": "5"} if answer[1] == 503 else None)
        return answer[1], answer[2]

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for w in workers:
            try:
                w.conn.send(None)  # ask it to stop; stop() kills what is still running
                w.process.join(2)
            except OSError:
                pass
            w.stop()


class AnswerCache:
    """Answers by (query, formats, base, dataset), least recently used
    dropped first, bounded in bytes. Thread-safe."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.size = 0
        self._items: OrderedDict[tuple, tuple[str, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> tuple[str, bytes] | None:
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
            return hit

    def put(self, key: tuple, value: tuple[str, bytes]) -> None:
        cost = len(value[1]) + sum(len(str(k)) for k in key)
        if cost > self.limit // 8:  # one huge answer must not empty the cache
            return
        with self._lock:
            if key in self._items:
                return
            self._items[key] = value
            self.size += cost
            while self.size > self.limit:
                old_key, old = self._items.popitem(last=False)
                self.size -= len(old[1]) + sum(len(str(k)) for k in old_key)


class _Flight:
    """One query being answered, for the requests that wait on it."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.answer: tuple[str, bytes] | None = None
        self.error: BaseException | None = None


# ------------------------------------------------------------------ the app


@dataclass
class Response:
    status: int
    media: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


class SparqlApp:
    """The endpoint as a WSGI application over a worker pool."""

    # The page sets no script and takes no style from elsewhere.
    CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

    def __init__(self, config: ServeConfig, pool: WorkerPool, port: int) -> None:
        from kg.query import named_queries

        self.config = config
        self.pool = pool
        self.port = port
        self.queries = named_queries()  # read once, at start: a broken query file stops the server here
        self.cache = AnswerCache(config.cache_bytes)
        # Queries being answered, by cache key: clients asking the same one
        # meanwhile wait for that answer instead of queueing it again (on a
        # large store a named query takes seconds, and 20 clients asking it
        # at once would otherwise hold both workers past the time limit).
        self._flights: dict[tuple, _Flight] = {}
        self._flights_lock = threading.Lock()
        self.hosts = allowed_hosts(config.host, config.allow_hosts)

    # ------------------------------------------------------------ WSGI

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        try:
            resp = self.handle(environ)
        except HttpError as exc:
            resp = _error(exc.status, exc.message, exc.headers)
        except QueryError as exc:
            resp = _error(400, exc.message)
        except (UnicodeDecodeError, ValueError) as exc:
            resp = _error(400, f"cannot read the request: {exc}")
        charset = "; charset=utf-8" if resp.media.startswith("text/") or resp.media.endswith(("json", "xml")) else ""
        headers = [("Content-Type", resp.media + charset), ("Content-Length", str(len(resp.body))),
                   ("Vary", "Accept"), ("X-Content-Type-Options", "nosniff")]
        if resp.media == "text/html":
            headers.append(("Content-Security-Policy", self.CSP))
        headers += list(resp.headers.items())
        start_response(f"{resp.status} {HTTPStatus(resp.status).phrase}", headers)
        return [b"" if environ.get("REQUEST_METHOD") == "HEAD" else resp.body]

    def handle(self, environ: dict) -> Response:
        self.check_host(environ.get("HTTP_HOST"))
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO") or "/"
        params = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        accept = environ.get("HTTP_ACCEPT")
        base = f"http://{environ.get('HTTP_HOST')}/sparql"
        if path in ("/sparql", "/sparql/"):
            if method in ("GET", "HEAD"):
                return self.sparql(params, accept, base)
            if method == "POST":
                return self.sparql(self.form(environ, params), accept, base)
            raise HttpError(405, f"{method} is not allowed: this endpoint is read-only (GET or POST a query)",
                            {"Allow": "GET, HEAD, POST"})
        if method not in ("GET", "HEAD"):
            raise HttpError(405, f"{method} is not allowed on {path}; POST queries to /sparql", {"Allow": "GET, HEAD"})
        if path == "/":
            status, page = self.page(params, base)
            return Response(status, "text/html", page.encode("utf-8"))
        if path in ("/queries", "/queries/"):
            return self.list_queries()
        if path.startswith("/queries/"):
            return self.named(unquote(path[len("/queries/"):]), params, accept, base)
        raise HttpError(404, f"nothing at {path}: the endpoint is /sparql, the page is /")

    def check_host(self, host: str | None) -> None:
        """Answer only the names the server was bound for: a page from
        another site whose name was rebound to this address sends its own."""
        if not host:
            raise HttpError(400, "the request has no Host header")
        name, port = split_host(host)
        if name is None or name.lower() not in self.hosts or (port is not None and port != self.port):
            raise HttpError(421, f"this server answers only for {', '.join(sorted(self.hosts))} on port {self.port}, not {host!r}"
                            " (kg serve --allow-host NAME adds a name)")

    def form(self, environ: dict, params: dict[str, list[str]]) -> dict[str, list[str]]:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            raise HttpError(400, "bad Content-Length") from None
        if length > MAX_BODY:
            raise HttpError(413, f"the request is larger than {MAX_BODY} bytes")
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        ctype = (environ.get("CONTENT_TYPE") or "").split(";")[0].strip().lower()
        if ctype == "application/x-www-form-urlencoded":
            for k, v in parse_qs(body.decode("utf-8"), keep_blank_values=True).items():
                params.setdefault(k, []).extend(v)
            return params
        if ctype == "application/sparql-query":
            if "query" in params:
                raise HttpError(400, "pass the query once: in the body or as the 'query' parameter, not both")
            params["query"] = [body.decode("utf-8")]
            return params
        if ctype == "application/sparql-update":
            raise HttpError(400, READ_ONLY)
        raise HttpError(415, "POST a query as application/x-www-form-urlencoded (query=...) or application/sparql-query")

    # ------------------------------------------------------------ actions

    def sparql(self, params: dict[str, list[str]], accept: str | None, base: str) -> Response:
        if "update" in params or "using-graph-uri" in params or "using-named-graph-uri" in params:
            raise HttpError(400, READ_ONLY)
        queries = params.get("query") or []
        if len(queries) != 1:
            raise HttpError(400, "pass exactly one 'query' parameter" if queries else "no query: pass it as the 'query' parameter")
        defaults, named = params.get("default-graph-uri"), params.get("named-graph-uri")
        return self.html_or(self.run_query(queries[0], accept, base, defaults, named), queries[0])

    def run_query(self, text: str, accept: str | None, base: str | None = None,
                  default_graphs: list[str] | None = None, named_graphs: list[str] | None = None) -> Response:
        """Bound, negotiate and run one query (cached)."""
        check_bounds(text)
        results_media = negotiate(accept, list(RESULT_TYPES))
        graph_media = negotiate(accept, list(GRAPH_TYPES))
        for iri in (*(default_graphs or ()), *(named_graphs or ())):
            _check_iri(iri)
        dataset = None if default_graphs is None and named_graphs is None else (tuple(default_graphs or ()), tuple(named_graphs or ()))
        job = (text, RESULT_TYPES.get(results_media or ""), GRAPH_TYPES.get(graph_media or ""), base,
               None if dataset is None else list(dataset[0]), None if dataset is None else list(dataset[1]))
        key = (job[:4], dataset)
        hit = self.cache.get(key)
        if hit is None:
            hit = self._answer_once(key, job)
        kind, body = hit
        media = results_media if kind == "results" else graph_media
        assert media is not None  # the worker answered 406 otherwise
        return Response(200, media, body, {"X-Kg-Form": kind})

    def _answer_once(self, key: tuple, job: tuple) -> tuple[str, bytes]:
        """The answer of ``job``, computed by one request at a time per key."""
        with self._flights_lock:
            hit = self.cache.get(key)  # answered while this request waited for the lock
            if hit is not None:
                return hit
            flight = self._flights.get(key)
            leader = flight is None
            if leader:
                flight = self._flights[key] = _Flight()
        if not leader:
            flight.done.wait()
            if flight.error is not None:
                error = flight.error
                raise HttpError(error.status, error.message, dict(error.headers)) if isinstance(error, HttpError) else error
            assert flight.answer is not None
            return flight.answer
        try:
            flight.answer = self.pool.execute(job)
            self.cache.put(key, flight.answer)
            return flight.answer
        except BaseException as exc:
            flight.error = exc
            raise
        finally:
            with self._flights_lock:
                del self._flights[key]
            flight.done.set()

    def page(self, params: dict[str, list[str]], base: str | None = None) -> tuple[int, str]:
        """The HTML page, with the results of a typed or named query."""
        context: dict[str, Any] = {"queries": list(self.queries.values()), "query": "", "name": "", "values": {}, "error": None,
                                   "result": None, "seconds": None, "timeout": self.config.timeout}
        status = 200
        name = _one(params, "name")
        text = _one(params, "query")
        try:
            if name:
                if name not in self.queries:
                    raise QueryError(f"no named query {name!r}; the named queries are: {', '.join(self.queries)}")
                values = {k[2:]: v[-1] for k, v in params.items() if k.startswith("p.") and v[-1] != ""}
                context.update(name=name, values=values)
                text = self.queries[name].render(values)
            if text:
                context["query"] = text
                started = time.perf_counter()
                resp = self.run_query(text, "text/html", base)
                context.update(result=_table_of(resp.body, resp.headers["X-Kg-Form"]), seconds=time.perf_counter() - started)
        except (HttpError, QueryError) as exc:
            status = getattr(exc, "status", 400)
            context["error"] = exc.message
        return status, _render("serve.html.j2", context)

    def named(self, name: str, params: dict[str, list[str]], accept: str | None, base: str) -> Response:
        if name not in self.queries:
            raise HttpError(404, f"no named query {name!r}; the named queries are: {', '.join(self.queries)}")
        text = self.queries[name].render({k: v[-1] for k, v in params.items()})
        return self.html_or(self.run_query(text, accept, base), text)

    def html_or(self, resp: Response, text: str) -> Response:
        if resp.media != "text/html":
            return resp
        page = _render("serve.html.j2", {"queries": [], "name": "", "values": {}, "error": None, "query": text, "seconds": None,
                                         "timeout": self.config.timeout, "result": _table_of(resp.body, resp.headers["X-Kg-Form"])})
        return Response(200, "text/html", page.encode("utf-8"))

    def list_queries(self) -> Response:
        listing = [
            {"name": q.name, "description": q.description, "url": f"/queries/{q.name}",
             "params": [{"name": p.name, "type": p.type, "description": p.description, "default": p.default} for p in q.params]}
            for q in self.queries.values()
        ]
        return Response(200, "application/json", json.dumps(listing, ensure_ascii=False, indent=2).encode("utf-8") + b"\n")


def allowed_hosts(bind: str, extra: Iterable[str] = ()) -> frozenset[str]:
    """The Host names a server bound to ``bind`` answers: the bind address
    itself, ``localhost`` when it is a loopback address, and ``extra``."""
    names = {bind.strip("[]").lower(), *(h.lower() for h in extra)}
    if bind in ("127.0.0.1", "::1", "localhost") or bind.startswith("127."):
        names |= {"localhost", "127.0.0.1", "::1"}
    return frozenset(names)


def split_host(host: str) -> tuple[str | None, int | None]:
    """``name[:port]`` or ``[v6]:port`` -> (name, port); (None, None) if malformed."""
    m = re.fullmatch(r"\[([0-9A-Fa-f:.]+)\](?::(\d{1,5}))?|([^\[\]:/@\s]+)(?::(\d{1,5}))?", host.strip())
    if not m:
        return None, None
    name = m[1] or m[3]
    port = m[2] or m[4]
    return name, int(port) if port else None


def _one(params: dict[str, list[str]], key: str) -> str:
    values = params.get(key) or [""]
    return values[-1]


def _check_iri(iri: str) -> None:
    import pyoxigraph as ox

    try:
        ox.NamedNode(iri)
    except ValueError as exc:
        raise HttpError(400, f"not an IRI: {iri!r}") from exc


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    phrase = HTTPStatus(status).phrase
    return Response(status, "text/plain", f"{status} {phrase}: {message}\n".encode(), dict(headers or {}))


def _table_of(body: bytes, kind: str) -> dict[str, Any]:
    """Results (SPARQL JSON, or N-Triples for graphs) as rows of display strings."""
    import pyoxigraph as ox
    from rdflib import URIRef

    from kg.query import display

    def show(term: Any) -> dict[str, str]:
        if term is None:
            return {"text": "", "href": ""}
        if isinstance(term, ox.NamedNode):  # only web IRIs become links (never javascript: and the like)
            href = term.value if term.value.startswith(("http://", "https://")) else ""
            return {"text": display(URIRef(term.value), width=None), "href": href}
        if isinstance(term, ox.Literal):
            return {"text": term.value, "href": ""}
        return {"text": str(term), "href": ""}

    if kind == "graph":
        triples = list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
        return {"variables": ["subject", "predicate", "object"],
                "rows": [[show(t.subject), show(t.predicate), show(t.object)] for t in triples], "boolean": None}
    res = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    if isinstance(res, ox.QueryBoolean):
        return {"variables": [], "rows": [], "boolean": bool(res)}
    variables = [v.value for v in res.variables]
    return {"variables": variables, "rows": [[show(sol[i]) for i in range(len(variables))] for sol in res], "boolean": None}


_ENV = None


def _render(template: str, context: dict[str, Any]) -> str:
    global _ENV
    import jinja2

    if _ENV is None:  # one environment: jinja2 caches compiled templates in it
        _ENV = jinja2.Environment(
            loader=jinja2.PackageLoader("kg", "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
    return _ENV.get_template(template).render(**context)


# ------------------------------------------------------------------ server


class SparqlServer:
    """The endpoint: waitress serving ``SparqlApp`` plus the worker pool.
    Use as a context manager, or call ``serve_forever`` and ``close``."""

    def __init__(self, config: ServeConfig) -> None:
        from waitress.server import create_server

        self.config = config
        # The build is read only by the workers, all started here: never
        # serve a cut-short dump (kg.manifest checks it against the build's manifest).
        if config.graph is not None:
            from kg.manifest import verify

            verify(Path(config.graph).parent, [Path(config.graph).name])
        self.pool = WorkerPool(config)
        try:
            # Create the listening socket first: port 0 picks the port the Host check needs.
            self._deferred = _Deferred()
            self.httpd = create_server(
                self._deferred, host=config.host, port=config.port,
                threads=config.threads,
                backlog=1024,  # bursts queue in the kernel instead of being refused
                connection_limit=1000,
                channel_timeout=60,  # seconds a client may take to send its request
                max_request_body_size=MAX_BODY,
                max_request_header_size=MAX_QUERY_CHARS * 3 + 16384,  # a GET query, percent-encoded
                ident="kg-serve",
                clear_untrusted_proxy_headers=True,
                expose_tracebacks=False,
                asyncore_use_poll=True,  # select() stops at 1024 descriptors
            )
        except OSError as exc:
            self.pool.close()
            raise UsageError(f"cannot listen on {config.host}:{config.port}: {exc}") from exc
        except Exception:
            self.pool.close()
            raise
        self.port = self.httpd.socket.getsockname()[1]
        self.app = SparqlApp(config, self.pool, self.port)
        self._deferred.app = self.app
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host = self.config.host
        return f"http://{'[' + host + ']' if ':' in host else host}:{self.port}/"

    def serve_forever(self) -> None:
        self.httpd.run()

    def start(self) -> SparqlServer:
        """Serve in a background thread (tests, embedding)."""
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        # Stop the request threads first (they use the trigger that close()
        # removes), then the open connections, then the listening socket.
        self.httpd.task_dispatcher.shutdown(timeout=5)
        for channel in list(self.httpd._map.values()):
            if channel is not self.httpd and channel is not self.httpd.trigger:
                try:
                    channel.close()
                except OSError:
                    pass
        self.httpd.close()
        if self._thread is not None:
            self._thread.join(10)
        self.pool.close()

    def __enter__(self) -> SparqlServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Deferred:
    """The WSGI callable handed to waitress before the app exists (the app
    needs the port waitress bound)."""

    app: SparqlApp | None = None

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        assert self.app is not None
        return self.app(environ, start_response)
