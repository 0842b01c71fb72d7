"""``kg push``: against a small Graph Store served over real HTTP on
127.0.0.1 by the test (uploads, SPARQL Update, --replace, the store's errors,
credentials, an unreachable or silent store), and against a real Virtuoso
when one answers (KG_TEST_VIRTUOSO_URL, default http://127.0.0.1:8890; .ci/run
starts one): the graphs arrive whole, and every named query gives the same
answers there as on the local graph."""
from __future__ import annotations

import base64
import json
import os
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg.build import build
from kg.cli import EXIT_OK, EXIT_SERVICE, EXIT_USAGE, main
from kg.iris import IriMinter
from kg.push import read_build
from kg.query import named_queries, run
from kg.write import write_build

NAMES = sorted(named_queries())
XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.fixture(scope="module")
def sample_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("push-samples")
    build(None, out, jobs=1, validate=False)
    return out


def _graph(lines) -> Graph:
    return Graph().parse(data="\n".join(lines) + "\n", format="nt")


# ------------------------------------------------------------------ a small store over HTTP


class LocalStore:
    """A Graph Store (GET, PUT, DELETE ?graph=) and SPARQL Update endpoint
    (POST update=) in memory, with the failures a real store has."""

    def __init__(
        self,
        *,
        basic: tuple[str, str] | None = None,
        digest_only: bool = False,
        fail_on: str | None = None,
        delay: float = 0.0,
        trickle: float = 0.0,
        oxigraph: bool = False,
    ):
        import pyoxigraph as ox

        self.graphs: dict[str, bytes] = {}
        self.dataset = Dataset()
        self.oxigraph = ox.Store() if oxigraph else None  # SPARQL Update by Oxigraph's engine instead of rdflib's
        self.requests: list[tuple[str, str, dict]] = []
        self.basic, self.digest_only, self.fail_on, self.delay = basic, digest_only, fail_on, delay
        self.trickle = trickle  # seconds between the bytes of every answer
        self.countdown: int | None = None  # the request that many from now fails
        self.lock = threading.Lock()

    def fail_request(self, n: int) -> None:
        """The n-th request from now gets a 500, as a store that runs out of
        memory or time on one update would answer."""
        with self.lock:
            self.countdown = n

    def named_graphs(self) -> set[str]:
        """The graphs of the update side that hold triples."""
        return {str(g.identifier) for g in self.dataset.graphs() if len(g) and str(g.identifier) != "urn:x-rdflib:default"}

    def handler(self):
        store = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _answer(self, status: int, body: bytes = b"", headers: dict | None = None) -> None:
                if store.trickle:
                    return self._trickle(status, body)
                self.send_response(status)
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _trickle(self, status: int, body: bytes) -> None:
                # The whole answer, status line included, one byte at a time;
                # at most 40 bytes, so that a client that waits for all of it
                # is held about 40 × trickle seconds, not for ever.
                answer = f"HTTP/1.1 {status} OK\r\nContent-Length: 200\r\n\r\n".encode() + body + b"." * 200
                try:
                    for byte in answer[:40]:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(store.trickle)
                except OSError:
                    pass  # the client gave up, as it should
                self.close_connection = True

            def _serve(self, method: str) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with store.lock:
                    store.requests.append((method, self.path, dict(self.headers)))
                    failing = store.countdown is not None and store.countdown <= 1
                    if store.countdown is not None:
                        store.countdown = None if failing else store.countdown - 1
                if failing:
                    return self._answer(500, b"Virtuoso 42000 Error SR483: Stored procedure execution timed out")
                if store.delay:
                    time.sleep(store.delay)
                if store.digest_only:
                    return self._answer(401, b"Unauthorized", {"WWW-Authenticate": 'Digest realm="kg", nonce="0123456789abcdef", qop="auth"'})
                if store.basic:
                    expected = "Basic " + base64.b64encode(":".join(store.basic).encode()).decode()
                    if self.headers.get("Authorization") != expected:
                        return self._answer(401, b"Unauthorized", {"WWW-Authenticate": 'Basic realm="kg"'})
                graph = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query).get("graph", [None])[0]
                if store.fail_on and graph and store.fail_on in graph:
                    return self._answer(500, b"Virtuoso 37000 Error SP029: TURTLE RDF loader: syntax error")
                with store.lock:
                    if method == "PUT":
                        created = graph not in store.graphs
                        store.graphs[graph] = body
                        return self._answer(201 if created else 204)
                    if method == "GET":
                        if graph not in store.graphs:
                            return self._answer(404, b"Not Found")
                        return self._answer(200, store.graphs[graph], {"Content-Type": "application/n-triples"})
                    if method == "DELETE":
                        return self._answer(200 if store.graphs.pop(graph, None) is not None else 404)
                    if method == "POST":
                        update = urllib.parse.parse_qs(body.decode("utf-8"))["update"][0]
                        if store.oxigraph is not None:
                            store.oxigraph.update(update)
                        else:
                            store.dataset.update(update)
                        return self._answer(204)
                return self._answer(405)

            def do_PUT(self):
                self._serve("PUT")

            def do_GET(self):
                self._serve("GET")

            def do_DELETE(self):
                self._serve("DELETE")

            def do_POST(self):
                self._serve("POST")

        return Handler


@contextmanager
def serving(store: LocalStore):
    server = ThreadingHTTPServer(("127.0.0.1", 0), store.handler())
    server.daemon_threads = True
    server.handle_error = lambda request, address: None  # a client that hung up is not an error here
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/store"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_each_graph_is_put_under_its_name(sample_out, capsys):
    store = LocalStore()
    graphs = read_build(sample_out)
    with serving(store) as url:
        assert main(["push", url, "--from", str(sample_out)]) == EXIT_OK
    iris = IriMinter()
    assert [g.iri for g in graphs][-1] == str(iris.description_graph())
    assert {str(iris.shared_graph()), str(iris.graph("ah-tk-20182019-3878"))} < set(store.graphs)
    assert set(store.graphs) == {g.iri for g in graphs} and len(graphs) == 8 + 2
    for method, path, headers in store.requests:
        assert method == "PUT" and headers["Content-Type"].startswith("application/n-triples")
    for g in graphs:
        assert isomorphic(Graph().parse(data=store.graphs[g.iri].decode("utf-8"), format="nt"), _graph(g.lines))
    union = Graph()
    for g in graphs[:-1]:
        union += _graph(g.lines)
    assert isomorphic(union, Graph().parse(sample_out / "kamervragen.nt", format="nt"))
    out = capsys.readouterr().out
    assert "10 of 10 graphs" in out and "201 ok" in out


def test_turtle_is_sent_when_asked(sample_out):
    store = LocalStore()
    with serving(store) as url:
        assert main(["push", url, "--from", str(sample_out), "--format", "turtle"]) == EXIT_OK
    assert all(h["Content-Type"].startswith("text/turtle") for _, _, h in store.requests)
    seed = str(IriMinter().graph("ah-tk-20182019-3878"))
    sent = Graph().parse(data=store.graphs[seed].decode("utf-8"), format="turtle")
    assert isomorphic(sent, _graph(next(g for g in read_build(sample_out) if g.iri == seed).lines))


def test_sparql_update_stores_the_same_graphs(sample_out):
    store = LocalStore()
    with serving(store) as url:
        assert main(["push", url, "--sparql-update", "--from", str(sample_out)]) == EXIT_OK
    for g in read_build(sample_out):
        assert isomorphic(store.dataset.graph(URIRef(g.iri)), _graph(g.lines)), g.iri


def test_a_refused_graph_is_reported_and_the_rest_pushed(sample_out, capsys):
    store = LocalStore(fail_on="ah-tk-20182019-3878")
    with serving(store) as url:
        assert main(["push", url, "--from", str(sample_out)]) == EXIT_SERVICE
    out = capsys.readouterr().out
    failed = [line for line in out.splitlines() if "FAILED" in line]
    assert len(failed) == 1 and "ah-tk-20182019-3878" in failed[0] and "500" in failed[0] and "SP029" in failed[0]
    assert len(store.graphs) == 9 and "9 of 10 graphs" in out and "1 failed" in out


def test_credentials_refused_stop_the_push(sample_out, capsys):
    store = LocalStore(digest_only=True)
    with serving(store) as url:
        assert main(["push", url, "--from", str(sample_out)]) == EXIT_SERVICE
    assert len(store.requests) == 1  # no point in sending the other graphs
    err = capsys.readouterr().err
    assert "401" in err and "--auth" in err


def test_basic_auth_from_the_environment(sample_out, monkeypatch):
    store = LocalStore(basic=("kg", "s3cret:with:colons"))
    with serving(store) as url:
        assert main(["push", url, "--from", str(sample_out), "--auth", "kg:wrong"]) == EXIT_SERVICE
        monkeypatch.setenv("KG_STORE_AUTH", "kg:s3cret:with:colons")
        store.requests.clear()
        assert main(["push", url, "--from", str(sample_out), "--auth-env", "KG_STORE_AUTH"]) == EXIT_OK
    assert len(store.graphs) == 10
    assert main(["push", "http://127.0.0.1:1/x", "--from", str(sample_out), "--auth-env", "KG_NO_SUCH_VARIABLE"]) == EXIT_USAGE


def test_replace_removes_graphs_an_earlier_push_left(sample_out, samples, tmp_path):
    smaller = tmp_path / "smaller"
    build([samples / "ah-tk-20182019-3878.txt", samples / "kv-tk-2024Z18659.txt"], smaller, jobs=1, validate=False)
    store = LocalStore()
    with serving(store) as url:
        assert main(["push", url, "--from", str(sample_out)]) == EXIT_OK
        assert main(["push", url, "--from", str(smaller), "--replace"]) == EXIT_OK
        assert set(store.graphs) == {g.iri for g in read_build(smaller)} and len(store.graphs) == 4
        assert sum(1 for method, _, _ in store.requests if method == "DELETE") == 6
        assert main(["push", url, "--from", str(sample_out)]) == EXIT_OK
        assert main(["push", url, "--from", str(smaller)]) == EXIT_OK
        assert len(store.graphs) == 10  # without --replace the other publications stay


def test_unreachable_and_silent_stores(sample_out, capsys):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert main(["push", f"http://127.0.0.1:{port}/store", "--from", str(sample_out)]) == EXIT_SERVICE
    assert "cannot reach" in capsys.readouterr().err
    store = LocalStore(delay=1.0)
    with serving(store) as url:
        started = time.perf_counter()
        assert main(["push", url, "--from", str(sample_out), "--timeout", "0.2"]) == EXIT_SERVICE
        assert time.perf_counter() - started < 5
    assert "timed out" in capsys.readouterr().err


def _old_graph(iri: str) -> list[str]:
    return sorted(f'<{iri}> <http://example.org/said> "old statement {i}" .' for i in range(45))


def _the(graphs, identifier: str):
    return next(g for g in graphs if g.iri == str(IriMinter().graph(identifier)))


@pytest.mark.parametrize("failing", [1, 2, 3, 4])
def test_a_failure_on_a_later_part_leaves_the_old_graph_whole(sample_out, monkeypatch, failing):
    """A graph too large for one update is sent in parts; the store fails the
    first, a middle or the last part, or the switch. The store's graph stays
    as it was, whole, and no temporary graph is left behind."""
    from kg.push import Graph as PushGraph
    from kg.push import Pusher

    new = _the(read_build(sample_out), "ah-tk-20182019-3878")
    monkeypatch.setattr("kg.push.UPDATE_PART_TRIPLES", -(-new.triples // 3))  # three parts, then the switch
    old = PushGraph(new.iri, _old_graph(new.iri))
    store = LocalStore()
    with serving(store) as url:
        pusher = Pusher(url, protocol="update")
        assert pusher.put(old).ok
        store.fail_request(failing)
        upload = pusher.put(new)
        assert not upload.ok and upload.status == 500 and "left as it was" in upload.message
        assert isomorphic(store.dataset.graph(URIRef(new.iri)), _graph(old.lines))
        assert store.named_graphs() == {new.iri}
        assert pusher.put(new).ok  # and when the store answers, the new graph replaces it whole
    assert isomorphic(store.dataset.graph(URIRef(new.iri)), _graph(new.lines))
    assert store.named_graphs() == {new.iri}


def test_parts_and_the_switch_run_on_oxigraph_too(sample_out, monkeypatch):
    """The same updates (graphs sent in parts, then MOVE) run by a second
    engine, Oxigraph's: every graph arrives whole and no temporary graph stays."""
    monkeypatch.setattr("kg.push.UPDATE_PART_TRIPLES", 40)
    store = LocalStore(oxigraph=True)
    graphs = read_build(sample_out)
    assert max(g.triples for g in graphs) > 3 * 40
    with serving(store) as url:
        assert main(["push", url, "--sparql-update", "--from", str(sample_out)]) == EXIT_OK
    import pyoxigraph as ox

    names = {q.graph_name.value for q in store.oxigraph}
    assert names == {g.iri for g in graphs}
    for g in graphs:
        # Compared as Oxigraph holds them: it keeps a decimal by its value ("1.000" is stored as "1").
        expected = ox.Store()
        expected.load("\n".join(g.lines) + "\n", format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(g.iri))
        assert set(store.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(g.iri))) == set(expected), g.iri


def test_a_failed_sparql_update_push_keeps_every_old_graph(sample_out, monkeypatch, capsys):
    """Through the command: the store fails one part half-way through the
    push. Every graph is either the old one whole or the new one whole."""
    from kg.push import Graph as PushGraph
    from kg.push import Pusher

    monkeypatch.setattr("kg.push.UPDATE_PART_TRIPLES", 40)
    graphs = read_build(sample_out)
    store = LocalStore()
    with serving(store) as url:
        pusher = Pusher(url, protocol="update")
        for g in graphs:
            assert pusher.put(PushGraph(g.iri, _old_graph(g.iri))).ok
        store.fail_request(5)
        assert main(["push", url, "--sparql-update", "--from", str(sample_out)]) == EXIT_SERVICE
    assert "left as it was" in capsys.readouterr().out
    kinds = Counter()
    for g in graphs:
        stored = store.dataset.graph(URIRef(g.iri))
        kinds["new" if isomorphic(stored, _graph(g.lines)) else "old" if isomorphic(stored, _graph(_old_graph(g.iri))) else "mixed"] += 1
    assert kinds["mixed"] == 0 and kinds["old"] == 1 and kinds["new"] == len(graphs) - 1
    assert store.named_graphs() == {g.iri for g in graphs}


def test_replace_removes_nothing_when_a_graph_failed(sample_out, samples, tmp_path):
    smaller = tmp_path / "smaller"
    build([samples / "ah-tk-20182019-3878.txt", samples / "kv-tk-2024Z18659.txt"], smaller, jobs=1, validate=False)
    store = LocalStore()
    with serving(store) as url:
        assert main(["push", url, "--from", str(sample_out)]) == EXIT_OK
        description = store.graphs[str(IriMinter().description_graph())]
        store.fail_request(2)  # the second graph of this push
        assert main(["push", url, "--from", str(smaller), "--replace"]) == EXIT_SERVICE
        assert len(store.graphs) == 10 and store.graphs[str(IriMinter().description_graph())] == description
        assert main(["push", url, "--from", str(smaller), "--replace"]) == EXIT_OK  # the next push still finds them
    assert set(store.graphs) == {g.iri for g in read_build(smaller)}


def test_the_timeout_bounds_the_whole_request_of_a_trickling_store(sample_out, capsys):
    """A store that answers one byte at a time, each within the timeout, must
    not hold a push longer than the timeout (about: a request, and the cost of
    giving up)."""
    store = LocalStore(trickle=0.25)  # 40 bytes: 10 s for a client that waits for all of it
    with serving(store) as url:
        started = time.perf_counter()
        assert main(["push", url, "--from", str(sample_out), "--timeout", "1"]) == EXIT_SERVICE
        elapsed = time.perf_counter() - started
    assert elapsed < 4, f"the push took {elapsed:.1f} s with --timeout 1"
    assert len(store.requests) == 1
    assert "timed out" in capsys.readouterr().err


def test_bad_arguments(sample_out, tmp_path):
    assert main(["push", "ftp://example.org/x", "--from", str(sample_out)]) == EXIT_USAGE
    assert main(["push", "http://127.0.0.1:1/x", "--from", str(tmp_path)]) == EXIT_USAGE  # no build there
    assert main(["push", "http://127.0.0.1:1/x", "--from", str(sample_out), "--auth", "no-colon"]) == EXIT_USAGE
    assert main(["push", "http://127.0.0.1:1/x", "--from", str(sample_out), "--timeout", "0"]) == EXIT_USAGE


# ------------------------------------------------------------------ a real Virtuoso

VIRTUOSO = os.environ.get("KG_TEST_VIRTUOSO_URL", "http://127.0.0.1:8890").rstrip("/")
VIRTUOSO_AUTH = os.environ.get("KG_TEST_VIRTUOSO_AUTH", "dba:dba")
GRAPH_STORE = VIRTUOSO + "/sparql-graph-crud-auth"  # Digest, as dba


def _sparql(query: str, default_graphs: list[str] = ()) -> list[dict]:
    params = [("query", query)] + [("default-graph-uri", g) for g in default_graphs]
    req = urllib.request.Request(
        VIRTUOSO + "/sparql",
        data=urllib.parse.urlencode(params).encode("utf-8"),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"},
    )
    with urllib.request.urlopen(req, timeout=120) as response:
        return json.loads(response.read().decode("utf-8"))["results"]["bindings"]


@pytest.fixture(scope="module")
def virtuoso():
    try:
        with urllib.request.urlopen(VIRTUOSO + "/sparql?" + urllib.parse.urlencode({"query": "ASK {}"}), timeout=5) as response:
            response.read()
    except (OSError, ValueError) as exc:
        pytest.skip(f"no Virtuoso answers at {VIRTUOSO} ({exc}); .ci/run starts one")
    return VIRTUOSO


def _graphs_under(base: str) -> dict[str, int]:
    # A probe of the store, not a query of the graph: how many triples each of this test's graphs holds.
    probe = "SELECT ?g (COUNT(*) AS ?triples) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), BASE)) } GROUP BY ?g"
    rows = _sparql(probe.replace("BASE", json.dumps(base)))
    return {r["g"]["value"]: int(r["triples"]["value"]) for r in rows}


def _drop_graphs_under(base: str) -> None:
    from kg.push import Pusher

    pusher = Pusher(GRAPH_STORE, auth=tuple(VIRTUOSO_AUTH.split(":", 1)))
    for iri in _graphs_under(base):
        pusher.delete(iri)


@contextmanager
def fresh_base():
    """A base for the graph names of one test, so its graphs are told apart
    from anything else in the store; they are removed afterwards."""
    base = f"http://kg-test.invalid/{uuid.uuid4().hex}/"
    try:
        yield base
    finally:
        _drop_graphs_under(base)


@pytest.fixture(scope="module")
def virtuoso_build(request, virtuoso, tmp_path_factory):
    """The corpus build (the samples where the corpus is absent), pushed."""
    try:
        corpus = request.getfixturevalue("corpus")
        inputs = [corpus / "docs", corpus / "unlabelled"]
    except pytest.skip.Exception:
        inputs = None
    result = build(inputs, None, validate=False)
    out = tmp_path_factory.mktemp("virtuoso")
    base = f"http://kg-test.invalid/{uuid.uuid4().hex}/"
    write_build(result, out, base=base)
    assert main(["push", GRAPH_STORE, "--from", str(out), "--auth", VIRTUOSO_AUTH]) == EXIT_OK
    yield result, out, base
    _drop_graphs_under(base)


def test_virtuoso_holds_every_graph_whole(virtuoso_build):
    result, out, base = virtuoso_build
    graphs = read_build(out)
    assert len(graphs) == len(result.publications) + 2  # the shared graph and the description
    assert _graphs_under(base) == {g.iri: g.triples for g in graphs}


def _term(binding: dict | None):
    if binding is None:
        return None
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if "xml:lang" in binding:
        return Literal(value, lang=binding["xml:lang"])
    datatype = binding.get("datatype")
    return Literal(value, datatype=URIRef(datatype) if datatype and datatype != XSD + "string" else None)


@pytest.mark.parametrize("name", NAMES)
def test_named_query_gives_the_same_answers_in_virtuoso(virtuoso_build, name):
    import pyoxigraph as ox

    _, out, base = virtuoso_build
    store = ox.Store()
    store.bulk_load(path=str(out / "kamervragen.nt"), format=ox.RdfFormat.N_TRIPLES)
    query = named_queries()[name]
    local = run(query, store)
    # The dataset of the query: the build's graphs, merged (the description graph left out, as locally).
    data_graphs = [g.iri for g in read_build(out) if g.iri != str(IriMinter(base).description_graph())]
    rows = [tuple(_term(b.get(v)) for v in local.variables) for b in _sparql(query.render(), data_graphs)]
    # Virtuoso has no boolean values of its own: a computed true or false
    # (even BIND(true AS ?x)) comes back as the integer 1 or 0. Where the local
    # answer is a boolean, read Virtuoso's 0 and 1 as false and true.
    boolean, integer = URIRef(XSD + "boolean"), URIRef(XSD + "integer")
    booleans = {i for row in local.rows for i, t in enumerate(row) if isinstance(t, Literal) and t.datatype == boolean}
    rows = [
        tuple(Literal(t.toPython() == 1) if i in booleans and isinstance(t, Literal) and t.datatype == integer else t for i, t in enumerate(row))
        for row in rows
    ]
    missing, extra = Counter(local.rows) - Counter(rows), Counter(rows) - Counter(local.rows)
    assert not missing and not extra, f"{name}: only local {list(missing)[:3]}; only in Virtuoso {list(extra)[:3]}"
    assert len(rows) == len(local.rows)


def test_virtuoso_replace_and_wrong_password(virtuoso, samples, tmp_path, capsys):
    result_all = build(None, None, validate=False)
    result_two = build([samples / "ah-tk-20182019-3878.txt", samples / "kv-tk-2024Z18659.txt"], None, validate=False)
    with fresh_base() as base:
        write_build(result_all, tmp_path / "all", base=base)
        write_build(result_two, tmp_path / "two", base=base)
        assert main(["push", GRAPH_STORE, "--from", str(tmp_path / "all"), "--auth", VIRTUOSO_AUTH]) == EXIT_OK
        assert len(_graphs_under(base)) == 10
        assert main(["push", GRAPH_STORE, "--from", str(tmp_path / "two"), "--auth", VIRTUOSO_AUTH, "--replace"]) == EXIT_OK
        assert _graphs_under(base) == {g.iri: g.triples for g in read_build(tmp_path / "two")}
        user = VIRTUOSO_AUTH.split(":", 1)[0]
        assert main(["push", GRAPH_STORE, "--from", str(tmp_path / "two"), "--auth", f"{user}:not-the-password"]) == EXIT_SERVICE
        assert "401" in capsys.readouterr().err


def _uuid_graphs() -> int:
    rows = _sparql('SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), "urn:uuid:")) }')
    return int(rows[0]["n"]["value"])


def test_virtuoso_sparql_update_in_parts_and_a_failed_part(virtuoso, tmp_path, monkeypatch):
    """--sparql-update on a real Virtuoso: every graph in parts of 40 triples,
    then MOVE; then an upload whose third request the store refuses (a broken
    update, as a store refuses one it cannot run) leaves the old graph whole
    and no temporary graph."""
    from kg.push import Graph as PushGraph
    from kg.push import Pusher

    monkeypatch.setattr("kg.push.UPDATE_PART_TRIPLES", 40)
    update_url = VIRTUOSO + "/sparql-auth"  # Digest, as dba
    temporary = _uuid_graphs()
    with fresh_base() as base:
        write_build(build(None, None, validate=False), tmp_path / "all", base=base)
        graphs = read_build(tmp_path / "all")
        assert main(["push", update_url, "--sparql-update", "--from", str(tmp_path / "all"), "--auth", VIRTUOSO_AUTH]) == EXIT_OK
        assert _graphs_under(base) == {g.iri: g.triples for g in graphs}
        big = max(graphs, key=lambda g: g.triples)
        assert big.triples > 3 * 40
        pusher = Pusher(update_url, protocol="update", auth=tuple(VIRTUOSO_AUTH.split(":", 1)))
        sent = []
        real = pusher._update

        def third_is_broken(text: str):
            sent.append(text)
            return real(text.replace("INSERT DATA", "INSERT DATUM") if len(sent) == 3 else text)

        monkeypatch.setattr(pusher, "_update", third_is_broken)
        other = PushGraph(big.iri, _old_graph(big.iri) + _old_graph(big.iri + "/more") + _old_graph(big.iri + "/even-more"))
        upload = pusher.put(other)
        assert not upload.ok and upload.status is not None and upload.status >= 400
        assert _graphs_under(base)[big.iri] == big.triples  # the old graph, whole
        assert _uuid_graphs() == temporary
        monkeypatch.setattr(pusher, "_update", real)
        assert pusher.put(other).ok
        assert _graphs_under(base)[big.iri] == other.triples
        assert _uuid_graphs() == temporary
