"""``kg push``: upload a build to an external triple store.

One named graph per publication, the shared graph (what several publications
state and what the link stage adds), and the
dataset description with its provenance (the TriG's default graph, stored
under its own name, ``{base}graph/_dataset``), each sent on its own:

- SPARQL 1.1 Graph Store HTTP Protocol (default): ``PUT URL?graph=<iri>``
  with the graph as N-Triples (or Turtle), which replaces that graph;
- SPARQL 1.1 Update (``protocol="update"``): ``DROP SILENT GRAPH`` and
  ``INSERT DATA`` posted to the update endpoint, for stores without the Graph
  Store Protocol or where only the update endpoint is open.

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


class Client:
    """HTTP to one store: Digest or Basic, whichever the store asks for."""

    def __init__(self, url: str, auth: tuple[str, str] | None = None, timeout: float = 60.0) -> None:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise UsageError(f"not an http(s) URL: {url}")
        self.url = url
        self.timeout = timeout
        handlers: list[urllib.request.BaseHandler] = []
        if auth is not None:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            passwords.add_password(None, url, *auth)
            # Digest is tried first (its handler_order is lower); Basic answers a Basic challenge.
            handlers += [urllib.request.HTTPDigestAuthHandler(passwords), urllib.request.HTTPBasicAuthHandler(passwords)]
        self._opener = urllib.request.build_opener(*handlers)

    def request(self, method: str, url: str, body: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, str]:
        """(status, body text) of any answer, 4xx and 5xx included; PushError when there is none."""
        req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
        try:
            with self._opener.open(req, timeout=self.timeout) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            with exc:
                text = exc.read().decode("utf-8", "replace") if exc.fp is not None else ""
            return exc.code, text or str(exc.reason)
        except (urllib.error.URLError, OSError, ValueError) as exc:
            # ValueError: urllib's auth handlers reject a challenge scheme they do not know.
            reason = getattr(exc, "reason", exc)
            raise PushError(f"cannot reach the store at {self.url}: {reason}") from exc


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
            body = ("".join(ln + "\n" for ln in graph.lines)).encode("utf-8") if self.fmt == "ntriples" else _turtle(graph.lines)
            status, text = self.client.request(
                "PUT", _with_graph(self.url, graph.iri), body, {"Content-Type": FORMATS[self.fmt] + "; charset=utf-8"}
            )
        else:
            status, text = 204, ""
            parts = [graph.lines[i : i + UPDATE_PART_TRIPLES] for i in range(0, len(graph.lines), UPDATE_PART_TRIPLES)] or [[]]
            for n, part in enumerate(parts):
                status, text = self._update(_render("push_graph.ru.j2", graph=graph.iri, triples="\n".join(part), replace=n == 0))
                if not 200 <= status < 300:
                    break
        ok = 200 <= status < 300
        return Upload(graph.iri, graph.triples, status, ok, "" if ok else _message(status, text), "put", time.perf_counter() - started)

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
    are removed first.

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
        if replace:
            description = _description_graph(graphs)
            if description is not None:
                for upload in pusher.drop_stale(description, (g.iri for g in graphs)):
                    record(upload)
        for graph in graphs:
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
