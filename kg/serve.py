"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint over a build.

- ``/sparql``: GET ``?query=``, POST form (``query=``) or POST
  ``application/sparql-query``; results by content negotiation (SPARQL JSON,
  XML, CSV, TSV; Turtle, N-Triples or RDF/XML for CONSTRUCT and DESCRIBE;
  an HTML table when a browser asks for HTML).
- ``/``: a page to type a query or pick a named one with its parameters.
- ``/queries`` lists the named queries (JSON); ``/queries/NAME?param=value``
  runs one, with the same content negotiation as ``/sparql``.

Every query is parsed first (rdflib's SPARQL 1.1 parser): an update (INSERT,
DELETE, LOAD, CLEAR, ...) or a query with SERVICE is refused with 400 before
anything runs. Queries run in worker processes that each hold the graph in
Oxigraph (the dump loaded into memory, or the on-disk store opened
read-only); a query that passes the time limit is stopped by killing its
worker, which is replaced, and the client gets 503. The standard library's
ThreadingHTTPServer is enough here: the work happens in the workers, and the
server needs no dependency of its own.
"""
from __future__ import annotations

import json
import multiprocessing
import queue
import sys
import threading
import time
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from kg.errors import KgError, QueryError, UsageError

MAX_BODY = 1 << 20  # bytes of a POSTed query

# media type -> (pyoxigraph format kind, format name); the first is the default
RESULT_TYPES: dict[str, tuple[str, str]] = {
    "application/sparql-results+json": ("results", "JSON"),
    "application/sparql-results+xml": ("results", "XML"),
    "text/csv": ("results", "CSV"),
    "text/tab-separated-values": ("results", "TSV"),
    "application/json": ("results", "JSON"),
    "application/xml": ("results", "XML"),
    "text/html": ("html", "JSON"),
}
GRAPH_TYPES: dict[str, tuple[str, str]] = {
    "text/turtle": ("graph", "TURTLE"),
    "application/n-triples": ("graph", "N_TRIPLES"),
    "application/rdf+xml": ("graph", "RDF_XML"),
    "text/html": ("html", "N_TRIPLES"),
}


class HttpError(KgError):
    """A request the endpoint answers with an error status and a message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class ServeConfig:
    graph: Path | None = None  # an N-Triples or Turtle dump, loaded into memory by each worker
    store: Path | None = None  # or an on-disk Oxigraph store, opened read-only
    host: str = "127.0.0.1"
    port: int = 8000
    timeout: float = 30.0  # seconds a query may run
    workers: int = 2
    quiet: bool = False


# ------------------------------------------------------------ query checks


def check_query(text: str) -> str:
    """The query's form (SELECT, ASK, CONSTRUCT, DESCRIBE), or HttpError 400
    for text that is not a query, an update, or a query using SERVICE."""
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    if not text.strip():
        raise HttpError(400, "no query: pass it as the 'query' parameter or POST it as application/sparql-query")
    try:
        tree = parseQuery(text)
    except Exception as exc:  # pyparsing's errors carry the position
        try:
            parseUpdate(text)
        except Exception:  # noqa: BLE001 - neither a query nor an update: report the query error
            raise HttpError(400, f"the query does not parse: {exc}") from exc
        raise HttpError(
            400, "updates are refused: this endpoint is read-only (no INSERT, DELETE, LOAD, CLEAR, CREATE, DROP, COPY, MOVE or ADD)"
        ) from exc
    if "ServiceGraphPattern" in _names(tree):
        raise HttpError(400, "SERVICE is refused: this endpoint does not query other endpoints")
    return {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}[tree[1].name]


def _names(node: Any) -> set[str]:
    """Every rule name in an rdflib parse tree."""
    from rdflib.plugins.sparql.parserutils import CompValue

    out: set[str] = set()
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, CompValue):
            out.add(n.name)
            stack.extend(n.values())
        elif isinstance(n, (list, tuple)) or hasattr(n, "as_list"):
            stack.extend(n)
    return out


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


def _worker_main(conn, graph: str | None, store: str | None, prefixes: dict[str, str]) -> None:
    """A worker process: hold the graph, answer queries until told to stop."""
    import pyoxigraph as ox

    from kg.manifest import verify

    try:
        if store is not None:
            db = ox.Store.read_only(store)
        else:
            db = ox.Store()
            fmt = ox.RdfFormat.from_extension(Path(graph).suffix.lstrip(".")) or ox.RdfFormat.N_TRIPLES
            verify(Path(graph).parent, [Path(graph).name])  # never serve a cut-short dump (kg.manifest)
            db.bulk_load(path=graph, format=fmt)
        conn.send(("ready", len(db)))
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which stops
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        text, _kind, fmt_name, default_graphs, named_graphs = job
        try:
            options: dict[str, Any] = {}
            if default_graphs:
                options["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
            if named_graphs:
                options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
            res = db.query(text, **(options or {"use_default_graph_as_union": True}))  # one graph per publication
            if isinstance(res, ox.QueryTriples):
                fmt = getattr(ox.RdfFormat, fmt_name)
                body = ox.serialize(res, format=fmt, prefixes=prefixes if fmt_name == "TURTLE" else None)
            else:
                body = res.serialize(format=getattr(ox.QueryResultsFormat, fmt_name))
            conn.send(("ok", body))
        except Exception as exc:  # noqa: BLE001 - any evaluation error goes back to the client
            conn.send(("error", f"{type(exc).__name__}: {exc}"))


class _Worker:
    def __init__(self, ctx, config: ServeConfig, prefixes: dict[str, str]) -> None:
        self.conn, child = ctx.Pipe()
        graph = str(config.graph) if config.graph is not None else None
        store = str(config.store) if config.store is not None else None
        self.process = ctx.Process(target=_worker_main, args=(child, graph, store, prefixes), daemon=True)
        self.process.start()
        child.close()

    def wait_ready(self, timeout: float) -> int:
        if not self.conn.poll(timeout):
            self.stop()
            raise UsageError(f"the graph did not load within {timeout:.0f} s")
        status, payload = self.conn.recv()
        if status != "ready":
            self.stop()
            raise UsageError(f"the graph could not be loaded: {payload}")
        return int(payload)

    def stop(self) -> None:
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
        for w in workers:
            self.triples = w.wait_ready(load_timeout)
            self.idle.put(w)

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

    def execute(self, text: str, kind: str, fmt_name: str, default_graphs=(), named_graphs=()) -> bytes:
        timeout = self.config.timeout
        try:
            w = self.idle.get(timeout=timeout)
        except queue.Empty:
            raise HttpError(503, f"every query worker is busy; try again (time limit {timeout:g} s)") from None
        try:
            w.conn.send((text, kind, fmt_name, list(default_graphs), list(named_graphs)))
            if not w.conn.poll(timeout):
                self._retire(w)
                w = None
                raise HttpError(503, f"query stopped: it ran longer than the time limit of {timeout:g} s")
            status, payload = w.conn.recv()
        except (EOFError, OSError, BrokenPipeError) as exc:
            if w is not None:
                self._retire(w)
                w = None
            raise HttpError(500, f"the query worker stopped unexpectedly ({type(exc).__name__})") from exc
        finally:
            if w is not None:
                self.idle.put(w)
        if status != "ok":
            raise HttpError(400, f"the query failed: {payload}")
        return payload

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


# ------------------------------------------------------------------ server


class SparqlServer:
    """The endpoint: an HTTP server plus its worker pool. Use as a context
    manager, or call ``serve_forever`` and ``close``."""

    def __init__(self, config: ServeConfig) -> None:
        import rdflib.plugins.sparql.parser  # noqa: F401 - load the query parser before the first request

        self.config = config
        self.pool = WorkerPool(config)
        try:
            self.httpd = ThreadingHTTPServer((config.host, config.port), _Handler)
        except OSError as exc:
            self.pool.close()
            raise UsageError(f"cannot listen on {config.host}:{config.port}: {exc}") from exc
        self.httpd.daemon_threads = True
        self.httpd.app = self  # type: ignore[attr-defined]
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/"

    def serve_forever(self) -> None:
        self.httpd.serve_forever()

    def start(self) -> SparqlServer:
        """Serve in a background thread (tests, embedding)."""
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        if self._thread is not None:
            self.httpd.shutdown()
            self._thread.join(10)
        self.httpd.server_close()
        self.pool.close()

    def __enter__(self) -> SparqlServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ actions

    def run_query(self, text: str, accept: str | None, default_graphs=(), named_graphs=()) -> tuple[str, bytes | dict]:
        """Check, negotiate and run one query; return (media type, body), or
        for an HTML answer ("text/html", page context)."""
        form = check_query(text)
        offers = GRAPH_TYPES if form in ("CONSTRUCT", "DESCRIBE") else RESULT_TYPES
        media = negotiate(accept, list(offers))
        if media is None:
            raise HttpError(406, f"cannot answer a {form} query in any type the Accept header allows; offered: {', '.join(offers)}")
        for iri in (*default_graphs, *named_graphs):
            _check_iri(iri)
        kind, fmt_name = offers[media]
        started = time.perf_counter()
        body = self.pool.execute(text, kind, fmt_name, default_graphs, named_graphs)
        if kind == "html":
            return media, {"query": text, "result": _table_of(body, form), "seconds": time.perf_counter() - started}
        return media, body

    def page(self, params: dict[str, list[str]]) -> tuple[int, str]:
        """The HTML page, with the results of a typed or named query."""
        from kg.query import named_queries

        queries = named_queries()
        context: dict[str, Any] = {"queries": list(queries.values()), "query": "", "name": "", "values": {}, "error": None,
                                   "result": None, "seconds": None, "timeout": self.config.timeout}
        status = 200
        name = _one(params, "name")
        text = _one(params, "query")
        try:
            if name:
                if name not in queries:
                    raise QueryError(f"no named query {name!r}; the named queries are: {', '.join(queries)}")
                values = {k[2:]: v[-1] for k, v in params.items() if k.startswith("p.") and v[-1] != ""}
                context.update(name=name, values=values)
                text = queries[name].render(values)
            if text:
                context["query"] = text
                _, answer = self.run_query(text, "text/html")
                context.update(answer)
        except (HttpError, QueryError) as exc:
            status = getattr(exc, "status", 400)
            context["error"] = exc.message
        return status, _render("serve.html.j2", context)


def _one(params: dict[str, list[str]], key: str) -> str:
    values = params.get(key) or [""]
    return values[-1]


def _check_iri(iri: str) -> None:
    import pyoxigraph as ox

    try:
        ox.NamedNode(iri)
    except ValueError as exc:
        raise HttpError(400, f"not an IRI: {iri!r}") from exc


def _table_of(body: bytes, form: str) -> dict[str, Any]:
    """Results (SPARQL JSON, or N-Triples for graphs) as rows of display strings."""
    import pyoxigraph as ox

    from kg.query import display

    def show(term: Any) -> dict[str, str]:
        if term is None:
            return {"text": "", "href": ""}
        if isinstance(term, ox.NamedNode):  # only web IRIs become links (never javascript: and the like)
            href = term.value if term.value.startswith(("http://", "https://")) else ""
            return {"text": display(_rdflib(term), width=None), "href": href}
        if isinstance(term, ox.Literal):
            return {"text": term.value, "href": ""}
        return {"text": str(term), "href": ""}

    if form in ("CONSTRUCT", "DESCRIBE"):
        triples = list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
        return {"variables": ["subject", "predicate", "object"],
                "rows": [[show(t.subject), show(t.predicate), show(t.object)] for t in triples], "boolean": None}
    res = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    if isinstance(res, ox.QueryBoolean):
        return {"variables": [], "rows": [], "boolean": bool(res)}
    variables = [v.value for v in res.variables]
    return {"variables": variables, "rows": [[show(sol[i]) for i in range(len(variables))] for sol in res], "boolean": None}


def _rdflib(term: Any):
    from rdflib import URIRef

    return URIRef(term.value)


def _render(template: str, context: dict[str, Any]) -> str:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("kg", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env.get_template(template).render(**context)


class _Handler(BaseHTTPRequestHandler):
    server_version = "kg-serve"
    timeout = 60  # seconds a client may take to send its request
    # The page sets no script and takes no style from elsewhere.
    CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

    @property
    def app(self) -> SparqlServer:
        return self.server.app  # type: ignore[attr-defined]

    def log_message(self, format: str, *args: Any) -> None:  # the stdlib's name
        if not self.app.config.quiet:
            super().log_message(format, *args)

    # ---------------------------------------------------------------- GET

    def do_GET(self) -> None:  # the stdlib's name
        url = urlsplit(self.path)
        params = parse_qs(url.query, keep_blank_values=True)
        try:
            if url.path == "/":
                status, page = self.app.page(params)
                self._send(status, "text/html", page.encode("utf-8"))
            elif url.path == "/sparql":
                self._sparql(params)
            elif url.path == "/queries":
                self._list_queries()
            elif url.path.startswith("/queries/"):
                self._named(unquote(url.path[len("/queries/"):]), params)
            else:
                raise HttpError(404, f"nothing at {url.path}: the endpoint is /sparql, the page is /")
        except HttpError as exc:
            self._error(exc.status, exc.message)
        except QueryError as exc:
            self._error(400, exc.message)

    # --------------------------------------------------------------- POST

    def do_POST(self) -> None:  # the stdlib's name
        url = urlsplit(self.path)
        try:
            if url.path != "/sparql":
                raise HttpError(404 if url.path != "/" else 405, f"POST queries to /sparql, not {url.path}")
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                raise HttpError(413, f"the request is larger than {MAX_BODY} bytes")
            body = self.rfile.read(length) if length > 0 else b""
            ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            params = parse_qs(url.query, keep_blank_values=True)
            if ctype == "application/x-www-form-urlencoded":
                for k, v in parse_qs(body.decode("utf-8"), keep_blank_values=True).items():
                    params.setdefault(k, []).extend(v)
            elif ctype == "application/sparql-query":
                params["query"] = [body.decode("utf-8")]
            elif ctype == "application/sparql-update":
                raise HttpError(400, "updates are refused: this endpoint is read-only")
            else:
                raise HttpError(415, "POST a query as application/x-www-form-urlencoded (query=...) or application/sparql-query")
            self._sparql(params)
        except HttpError as exc:
            self._error(exc.status, exc.message)
        except (UnicodeDecodeError, ValueError) as exc:
            self._error(400, f"cannot read the request: {exc}")

    # ------------------------------------------------------------ helpers

    def _sparql(self, params: dict[str, list[str]]) -> None:
        if "update" in params:
            raise HttpError(400, "updates are refused: this endpoint is read-only")
        queries = params.get("query") or []
        if len(queries) != 1:
            raise HttpError(400, "pass exactly one 'query' parameter" if queries else "no query: pass it as the 'query' parameter")
        media, body = self.app.run_query(
            queries[0], self.headers.get("Accept"), params.get("default-graph-uri", []), params.get("named-graph-uri", [])
        )
        self._answer(media, body)

    def _named(self, name: str, params: dict[str, list[str]]) -> None:
        from kg.query import named_queries

        queries = named_queries()
        if name not in queries:
            raise HttpError(404, f"no named query {name!r}; the named queries are: {', '.join(queries)}")
        text = queries[name].render({k: v[-1] for k, v in params.items()})
        media, body = self.app.run_query(text, self.headers.get("Accept"))
        self._answer(media, body)

    def _answer(self, media: str, body: bytes | dict) -> None:
        if isinstance(body, dict):  # a browser asked /sparql for HTML: the page with the results
            page = _render("serve.html.j2", {"queries": [], "name": "", "values": {}, "error": None,
                                             "timeout": self.app.config.timeout, **body})
            self._send(200, "text/html", page.encode("utf-8"))
        else:
            self._send(200, media, body)

    def _list_queries(self) -> None:
        from kg.query import named_queries

        listing = [
            {"name": q.name, "description": q.description, "url": f"/queries/{q.name}",
             "params": [{"name": p.name, "type": p.type, "description": p.description, "default": p.default} for p in q.params]}
            for q in named_queries().values()
        ]
        self._send(200, "application/json", json.dumps(listing, ensure_ascii=False, indent=2).encode("utf-8") + b"\n")

    def _error(self, status: int, message: str) -> None:
        phrase = HTTPStatus(status).phrase
        self._send(status, "text/plain", f"{status} {phrase}: {message}\n".encode())

    def _send(self, status: int, media: str, body: bytes) -> None:
        charset = "; charset=utf-8" if media.startswith("text/") or media.endswith(("json", "xml")) else ""
        try:
            self.send_response(status)
            self.send_header("Content-Type", media + charset)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Vary", "Accept")
            self.send_header("X-Content-Type-Options", "nosniff")
            if media == "text/html":
                self.send_header("Content-Security-Policy", self.CSP)
            if status == 503:
                self.send_header("Retry-After", "5")
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client went away

