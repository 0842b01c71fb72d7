"""``kg push``: upload a build to an external triple store.

One named graph per publication, the shared graph (what several publications
state and what the link stage adds), and the
dataset description with its provenance (the TriG's default graph, stored
under its own name, ``{base}graph/_dataset``), each sent on its own:

- SPARQL 1.1 Graph Store HTTP Protocol (default): ``PUT URL?graph=<iri>``
  with the graph as N-Triples (or Turtle), which replaces that graph;
- SPARQL 1.1 Update (``protocol="update"``): ``DROP SILENT GRAPH`` and
  ``INSERT DATA`` in one request posted to the update endpoint, for stores
  without the Graph Store Protocol or where only the update endpoint is open.
  A graph too large for one update goes to a temporary graph in parts and is
  then switched in by ``MOVE``: a failure on a later part never leaves the
  store with half a graph.

``timeout`` bounds each request as a whole (not each socket read), so a store
that trickles its answer cannot hang a push.

The HTTP client is the standard library's urllib: it does PUT, Basic and
Digest authentication (Virtuoso's ``/sparql-graph-crud-auth`` wants Digest)
and time-outs, which is all this needs; no dependency added. Every upload
gets a result (the store's status and, on failure, its message); a store that
cannot be reached or refuses the credentials stops the push with PushError,
since every further request would fail the same way.

Endpoints (``URL`` for the Graph Store Protocol; for ``--sparql-update`` the
update endpoint):

- Virtuoso: ``http://HOST:8890/sparql-graph-crud-auth`` (Digest, user dba);
  ``/sparql-graph-crud`` without credentials once the SPARQL user may write
  (``GRANT SPARQL_UPDATE TO "SPARQL";`` in isql). Update: ``/sparql-auth``.
- GraphDB: ``http://HOST:7200/repositories/REPO/rdf-graphs/service``;
  update: ``http://HOST:7200/repositories/REPO/statements``.
- Fuseki: ``http://HOST:3030/DATASET/data``; update: ``/DATASET/update``.
- Oxigraph server: ``http://HOST:7878/store``; update: ``/update``.
"""
from __future__ import annotations

import html
import http.client
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import PushError, UsageError

PROTOCOLS = ("gsp", "update")
FORMATS = {"ntriples": "application/n-triples", "turtle": "text/turtle"}
VOID_SUBSET = "http://rdfs.org/ns/void#subset"
VOID_DESCRIPTION = "http://rdfs.org/ns/void#DatasetDescription"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
# An INSERT DATA of a large graph is sent in parts of this many triples:
# stores limit the size of one update (Virtuoso's SQL text, Fuseki's request body).
UPDATE_PART_TRIPLES = 5000
# How much of a store's error page a result keeps.
MESSAGE_CHARS = 300


@dataclass(frozen=True)
class Graph:
    """One named graph to upload."""

    iri: str
    lines: list[str]  # N-Triples lines

    @property
    def triples(self) -> int:
        return len(self.lines)


@dataclass
class Upload:
    """What the store answered for one graph (or one deletion)."""

    graph: str
    triples: int
    status: int | None  # the HTTP status; None when no answer came
    ok: bool
    message: str = ""
    action: str = "put"  # "put" or "delete"
    seconds: float = 0.0


@dataclass
class PushResult:
    url: str
    uploads: list[Upload] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(u.ok for u in self.uploads)

    @property
    def failed(self) -> list[Upload]:
        return [u for u in self.uploads if not u.ok]


# ------------------------------------------------------------------ the build


def read_build(out_dir: Path) -> list[Graph]:
    """The graphs to push from a build folder's kamervragen.trig: its named
    graphs, and its default graph (the description) under the name the
    description gives itself (the subject typed void:DatasetDescription)."""
    import pyoxigraph as ox

    path = Path(out_dir) / "kamervragen.trig"
    if not path.is_file():
        raise UsageError(f"no build in {out_dir}: {path.name} is missing (run kg build --out {out_dir} first)")
    by_graph: dict[str, list[str]] = {}
    description_name = None
    for quad in ox.parse(path=str(path), format=ox.RdfFormat.TRIG):
        name = "" if isinstance(quad.graph_name, ox.DefaultGraph) else quad.graph_name.value
        line = f"{quad.subject} {quad.predicate} {quad.object} ."
        by_graph.setdefault(name, []).append(line)
        if not name and quad.predicate.value == RDF_TYPE and quad.object == ox.NamedNode(VOID_DESCRIPTION):
            description_name = quad.subject.value
    graphs = [Graph(iri, sorted(lines)) for iri, lines in sorted(by_graph.items()) if iri]
    if "" in by_graph:
        if description_name is None:
            raise UsageError(f"{path}: the default graph does not name itself (no void:DatasetDescription); rebuild with this kg")
        graphs.append(Graph(description_name, sorted(by_graph[""])))
    return graphs


# ------------------------------------------------------------------ HTTP


def parse_auth(auth: str | None) -> tuple[str, str] | None:
    if auth is None:
        return None
    user, sep, password = auth.partition(":")
    if not sep or not user:
        raise UsageError("credentials must be given as user:password")
    return user, password


class _Deadline:
    """The end of one request, whatever it waits on. urllib's ``timeout``
    bounds each socket operation: a store that sends one byte every few
    seconds would keep a request alive for ever. At the deadline a timer
    shuts down every socket the request opened (the auth handlers may open a
    second one), which wakes a blocked read; ``expired`` then tells the
    caller that what was read, if anything, is not the answer."""

    def __init__(self, seconds: float) -> None:
        import threading

        self.seconds = seconds
        self.at = time.monotonic() + seconds
        self.expired = False
        self._sockets: list = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def remaining(self) -> float:
        return max(0.001, self.at - time.monotonic())

    def watch(self, sock) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shutdown(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shutdown(sock)

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._timer.cancel()


def _shutdown(sock) -> None:
    import socket

    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already closed


def _deadline_handlers() -> tuple[urllib.request.BaseHandler, urllib.request.BaseHandler, list]:
    """HTTP and HTTPS handlers whose connections report their socket to the
    deadline of the request under way (``holder[0]``)."""
    holder: list = [None]

    class HTTPConnection(http.client.HTTPConnection):
        def connect(self) -> None:
            super().connect()
            if holder[0] is not None:
                holder[0].watch(self.sock)

    class HTTPSConnection(http.client.HTTPSConnection):
        def connect(self) -> None:
            super().connect()
            if holder[0] is not None:
                holder[0].watch(self.sock)

    class HTTPHandler(urllib.request.HTTPHandler):
        def http_open(self, req):
            return self.do_open(HTTPConnection, req)

    class HTTPSHandler(urllib.request.HTTPSHandler):
        def https_open(self, req):
            return self.do_open(HTTPSConnection, req, context=self._context)

    return HTTPHandler(), HTTPSHandler(), holder


class Client:
    """HTTP to one store: Digest or Basic, whichever the store asks for.
    ``timeout`` bounds each request as a whole: connecting, sending, the
    store's work and reading its whole answer (auth round trips included)."""

    def __init__(self, url: str, auth: tuple[str, str] | None = None, timeout: float = 60.0) -> None:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise UsageError(f"not an http(s) URL: {url}")
        if not timeout > 0:
            raise UsageError(f"--timeout must be a positive number of seconds, not {timeout}")
        self.url = url
        self.timeout = timeout
        http_handler, https_handler, self._deadline = _deadline_handlers()
        handlers: list[urllib.request.BaseHandler] = [http_handler, https_handler]
        if auth is not None:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            passwords.add_password(None, url, *auth)
            # Digest is tried first (its handler_order is lower); Basic answers a Basic challenge.
            handlers += [urllib.request.HTTPDigestAuthHandler(passwords), urllib.request.HTTPBasicAuthHandler(passwords)]
        self._opener = urllib.request.build_opener(*handlers)

    def request(self, method: str, url: str, body: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, str]:
        """(status, body text) of any answer, 4xx and 5xx included; PushError
        when there is none, or when it did not come whole within the timeout."""
        req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
        with _Deadline(self.timeout) as deadline:
            self._deadline[0] = deadline
            try:
                status, text = self._exchange(req, deadline)
            except (urllib.error.URLError, OSError, ValueError, http.client.HTTPException) as exc:
                if deadline.expired:
                    raise self._timed_out() from exc
                # ValueError: urllib's auth handlers reject a challenge scheme they do not know.
                reason = getattr(exc, "reason", exc)
                raise PushError(f"cannot reach the store at {self.url}: {reason}") from exc
            finally:
                self._deadline[0] = None
        if deadline.expired:  # a read cut short by the deadline can look like a short answer
            raise self._timed_out()
        return status, text

    def _exchange(self, req: urllib.request.Request, deadline: _Deadline) -> tuple[int, str]:
        try:
            with self._opener.open(req, timeout=deadline.remaining()) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            with exc:
                text = exc.read().decode("utf-8", "replace") if exc.fp is not None else ""
            return exc.code, text or str(exc.reason)

    def _timed_out(self) -> PushError:
        return PushError(f"the store at {self.url} timed out: no whole answer within {self.timeout:g} s")


def _message(status: int, text: str) -> str:
    """The store's answer in one line: an error page's text without its markup."""
    if re.search(r"<(html|body|!doctype)\b", text[:500], re.IGNORECASE):
        text = html.unescape(re.sub(r"<[^>]*>", " ", text))
    text = " ".join(text.split())
    if status == 401:
        hint = "the store wants credentials (--auth user:password or --auth-env VAR)"
        return f"{hint}: {text[:MESSAGE_CHARS]}" if text else hint
    return text[:MESSAGE_CHARS]


def _with_graph(url: str, iri: str) -> str:
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.urlencode({"graph": iri})
    return urllib.parse.urlunsplit(parts._replace(query=f"{parts.query}&{query}" if parts.query else query))


def _render(template: str, **values) -> str:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("kg", "templates"),
        autoescape=False,  # SPARQL; every IRI and triple comes from the build, in N-Triples syntax
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    return env.get_template(template).render(**values)


def _turtle(lines: Sequence[str]) -> bytes:
    import pyoxigraph as ox

    from kg.dumps.dataset import DESCRIPTION_PREFIXES
    from kg.vocab import PREFIXES

    triples = ox.parse("\n".join(lines) + "\n", format=ox.RdfFormat.N_TRIPLES)
    prefixes = {k: str(v) for k, v in PREFIXES.items()} | DESCRIPTION_PREFIXES
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes)


# ------------------------------------------------------------------ push


class Pusher:
    """Uploads graphs to one store by one protocol."""

    def __init__(
        self,
        url: str,
        *,
        protocol: str = "gsp",
        auth: tuple[str, str] | None = None,
        fmt: str = "ntriples",
        timeout: float = 60.0,
    ) -> None:
        if protocol not in PROTOCOLS:
            raise UsageError(f"unknown protocol {protocol!r} (one of {', '.join(PROTOCOLS)})")
        if fmt not in FORMATS:
            raise UsageError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
        self.client = Client(url, auth, timeout)
        self.url = url
        self.protocol = protocol
        self.fmt = fmt

    def put(self, graph: Graph) -> Upload:
        started = time.perf_counter()
        if self.protocol == "gsp":
            # One PUT per graph, never in parts: the store replaces the graph
            # when the whole body has come, or keeps the old one.
            body = ("".join(ln + "\n" for ln in graph.lines)).encode("utf-8") if self.fmt == "ntriples" else _turtle(graph.lines)
            status, text = self.client.request(
                "PUT", _with_graph(self.url, graph.iri), body, {"Content-Type": FORMATS[self.fmt] + "; charset=utf-8"}
            )
            message = ""
        else:
            status, text, message = self._update_graph(graph)
        ok = 200 <= status < 300
        if not ok:
            message = _message(status, text) + message
        return Upload(graph.iri, graph.triples, status, ok, message, "put", time.perf_counter() - started)

    def _update_graph(self, graph: Graph) -> tuple[int, str, str]:
        """Store one graph by SPARQL Update. A graph that fits in one update
        is dropped and inserted in that one request. A larger one is inserted
        part by part into a temporary graph of its own, which MOVE then puts in
        place of the old one: until that MOVE the store's graph is untouched,
        so a failure on any part leaves it whole (the temporary graph is then
        dropped)."""
        size = UPDATE_PART_TRIPLES
        parts = [graph.lines[i : i + size] for i in range(0, len(graph.lines), size)] or [[]]
        if len(parts) == 1:
            status, text = self._update(_render("push_graph.ru.j2", graph=graph.iri, triples="\n".join(parts[0]), replace=True))
            return status, text, ""
        import uuid

        temporary = f"urn:uuid:{uuid.uuid4()}"
        try:
            for n, part in enumerate(parts):
                status, text = self._update(_render("push_graph.ru.j2", graph=temporary, triples="\n".join(part), replace=n == 0))
                if not 200 <= status < 300:
                    return status, text, f" (part {n + 1} of {len(parts)}; the store's graph was left as it was)"
            status, text = self._update(_render("push_switch.ru.j2", temporary=temporary, target=graph.iri))
            return status, text, "" if 200 <= status < 300 else " (moving the graph into place; the store's graph was left as it was)"
        finally:
            if not 200 <= status < 300:
                self._discard(temporary)

    def _discard(self, temporary: str) -> None:
        """Drop the temporary graph of a failed upload, if the store still answers."""
        try:
            self._update(_render("push_switch.ru.j2", temporary=temporary, target=None))
        except PushError:
            pass  # the store is gone; the failure that brought us here is what gets reported

    def delete(self, iri: str) -> Upload:
        started = time.perf_counter()
        status, text = self.client.request("DELETE", _with_graph(self.url, iri))
        ok = 200 <= status < 300 or status == 404  # already gone is what was asked
        return Upload(iri, 0, status, ok, "" if ok else _message(status, text), "delete", time.perf_counter() - started)

    def stored_subsets(self, description_graph: str) -> list[str] | None:
        """The graphs the store's copy of the description lists (void:subset),
        or None when the store has no such description."""
        import pyoxigraph as ox

        status, text = self.client.request("GET", _with_graph(self.url, description_graph), headers={"Accept": FORMATS["ntriples"]})
        if status == 404 or (200 <= status < 300 and not text.strip()):
            return None
        if not 200 <= status < 300:
            raise PushError(f"the store would not give back graph <{description_graph}>: {status} {_message(status, text)}")
        try:
            triples = ox.parse(text, format=ox.RdfFormat.N_TRIPLES)
            return sorted({t.object.value for t in triples if t.predicate.value == VOID_SUBSET})
        except SyntaxError as exc:
            raise PushError(f"the store's copy of <{description_graph}> is not N-Triples: {exc}") from exc

    def drop_stale(self, description_graph: str, keep: Iterable[str]) -> list[Upload]:
        """Remove the graphs an earlier push left that this one does not bring."""
        keep = sorted(set(keep))
        if self.protocol == "update":
            started = time.perf_counter()
            status, text = self._update(_render("push_drop_stale.ru.j2", description_graph=description_graph, keep=keep))
            ok = 200 <= status < 300
            return [Upload("(graphs of an earlier push)", 0, status, ok, "" if ok else _message(status, text), "delete", time.perf_counter() - started)]
        old = self.stored_subsets(description_graph) or []
        return [self.delete(iri) for iri in old if iri not in set(keep)]

    def _update(self, text: str) -> tuple[int, str]:
        body = urllib.parse.urlencode({"update": text}).encode("utf-8")
        return self.client.request("POST", self.url, body, {"Content-Type": "application/x-www-form-urlencoded"})


def push(
    url: str,
    graphs: Sequence[Graph],
    *,
    protocol: str = "gsp",
    auth: tuple[str, str] | None = None,
    fmt: str = "ntriples",
    replace: bool = False,
    timeout: float = 60.0,
    on_upload: Callable[[Upload], None] | None = None,
) -> PushResult:
    """Upload ``graphs`` to the store at ``url``; each graph replaces the
    store's graph of the same name. With ``replace``, the graphs that the
    previous push stored (as the store's copy of the dataset description,
    which every push writes, lists them) and that this push does not bring
    are removed after every graph of this push is stored (and not at all when
    one of them failed).

    A graph the store refuses is recorded and the push goes on; a store that
    cannot be reached, or refuses the credentials (401, 403), raises
    PushError with what was done so far in ``PushResult``."""
    pusher = Pusher(url, protocol=protocol, auth=auth, fmt=fmt, timeout=timeout)
    result = PushResult(url)

    def record(upload: Upload) -> None:
        result.uploads.append(upload)
        if on_upload is not None:
            on_upload(upload)
        if upload.status in (401, 403):
            raise PushError(f"the store at {url} refused: {upload.status} {upload.message}")

    try:
        description = _description_graph(graphs)
        data = [g for g in graphs if g.iri != description]
        for graph in data:
            record(pusher.put(graph))
        # The description goes last, and the graphs of an earlier push are
        # removed only once every graph of this one is stored: a failed push
        # leaves the store's description listing what the store holds from
        # before, so that a later --replace still finds the stale graphs.
        if replace and description is not None:
            if result.failed:
                return result
            for upload in pusher.drop_stale(description, (g.iri for g in graphs)):
                record(upload)
            if result.failed:
                return result
        for graph in graphs:
            if graph.iri == description:
                record(pusher.put(graph))
    except PushError as exc:
        exc.result = result
        raise
    return result


def _description_graph(graphs: Sequence[Graph]) -> str | None:
    description = f"<{VOID_DESCRIPTION}>"
    for graph in graphs:
        if any(f"<{RDF_TYPE}> {description}" in line and line.startswith(f"<{graph.iri}> ") for line in graph.lines):
            return graph.iri
    return None


__all__ = ["FORMATS", "PROTOCOLS", "Client", "Graph", "PushResult", "Pusher", "Upload", "parse_auth", "push", "read_build"]
