"""``kg serve`` against a hostile client (issue 10, items 1-4): SERVICE in
every spelling reaches nothing, only the bound host names are answered, each
query runs under memory and time caps with size and nesting bounded, and
concurrent named queries all succeed. Real servers on 127.0.0.1, real
requests; a loopback listener records any connection a query makes."""
from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.build import build
from kg.query import named_queries
from kg.serve import ServeConfig, SparqlServer

REQUEST_TIMEOUT = 60


class Listener:
    """A TCP listener on 127.0.0.1 that records every connection it gets."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(50)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.received: list[bytes] = []
        self._stop = False
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            conn.settimeout(1)
            try:
                data = conn.recv(4096)
                self.received.append(data or b"(connected)")
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\nContent-Length: 100\r\n\r\n"
                             b'{"head":{"vars":["leak"]},"results":{"bindings":[{"leak":{"type":"literal","value":"LEAKED-7f3"}}]}}')
            except OSError:
                self.received.append(b"(connected)")
            finally:
                conn.close()

    def close(self) -> None:
        self._stop = True
        self._thread.join(2)
        self.sock.close()


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("serve-sec")
    build(None, out, validate=False)
    return out / "kamervragen.nt"


@pytest.fixture(scope="module")
def server(graph_file):
    with SparqlServer(ServeConfig(graph=graph_file, port=0, timeout=20, quiet=True)).start() as s:
        yield s


@pytest.fixture()
def listener():
    lst = Listener()
    yield lst
    lst.close()


def request(url: str, *, data: bytes | None = None, headers: dict | None = None, method: str | None = None) -> tuple[int, dict, bytes]:
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=REQUEST_TIMEOUT) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


# ------------------------------------------------------------- SERVICE (1)


def service_variants(port: int) -> dict[str, str]:
    """Ways to write a SERVICE call to the listener that a checker reading
    the text another way than the engine would miss."""
    target = f"http://127.0.0.1:{port}/sparql"
    hidden = 'SELECT * WHERE {{ # {esc} FILTER("""\n SERVICE <' + target + '> {{ ?leak ?p ?o }}\n # """)\n}}'
    return {
        "plain": f"SELECT * WHERE {{ SERVICE <{target}> {{ ?leak ?p ?o }} }}",
        "lower case, SILENT": f"select * where {{ service silent <{target}> {{ ?leak ?p ?o }} }}",
        "issue's comment trick, \\u000a": hidden.format(esc="\\u000a"),
        "issue's comment trick, \\u000A": hidden.format(esc="\\u000A"),
        "issue's comment trick, \\U0000000a": hidden.format(esc="\\U0000000a"),
        "issue's comment trick, \\U0000000A": hidden.format(esc="\\U0000000A"),
        "escape inside a PREFIX": f'PREFIX x: <http://e/\\u000a#>\nSELECT * WHERE {{ SERVICE <{target}> {{ ?leak ?p ?o }} }}',
        "endpoint as a prefixed name": f"PREFIX l: <http://127.0.0.1:{port}/>\nSELECT * WHERE {{ SERVICE l:sparql {{ ?leak ?p ?o }} }}",
        "escaped SERVICE keyword": f"SELECT * WHERE {{ \\u0053ERVICE <{target}> {{ ?leak ?p ?o }} }}",
        "nested in OPTIONAL": f"SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ SERVICE <{target}> {{ ?s ?q ?leak }} }} }} LIMIT 1",
        "ASK": f"ASK {{ SERVICE <{target}> {{ ?leak ?p ?o }} }}",
        "CONSTRUCT": f"CONSTRUCT {{ ?leak ?p ?o }} WHERE {{ SERVICE <{target}> {{ ?leak ?p ?o }} }}",
    }


def test_the_service_payloads_reach_a_listener_from_an_engine_with_network(listener):
    """The control: the same payloads run by an Oxigraph that has network
    call the listener, so the tests below could fail."""
    store = ox.Store()
    reached = 0
    for text in service_variants(listener.port).values():
        before = len(listener.received)
        try:
            res = store.query(text)
            list(res) if not isinstance(res, ox.QueryBoolean) else bool(res)
        except (SyntaxError, OSError, ValueError):
            pass
        reached += len(listener.received) > before
    assert reached >= 3, "the payloads must be live SERVICE calls for the endpoint tests to mean anything"


@pytest.mark.parametrize("how", ["GET", "POST form", "POST sparql-query", "page", "page POST-less form"])
def test_service_in_any_spelling_reaches_nothing(server, listener, how):
    for name, text in service_variants(listener.port).items():
        if how == "GET":
            status, _, body = request(f"{server.url}sparql?" + urllib.parse.urlencode({"query": text}))
        elif how == "POST form":
            status, _, body = request(f"{server.url}sparql", data=urllib.parse.urlencode({"query": text}).encode(),
                                      headers={"Content-Type": "application/x-www-form-urlencoded"})
        elif how == "POST sparql-query":
            status, _, body = request(f"{server.url}sparql", data=text.encode(), headers={"Content-Type": "application/sparql-query"})
        elif how == "page":
            status, _, body = request(f"{server.url}?" + urllib.parse.urlencode({"query": text}))
        else:  # the page's endpoint path with a trailing slash and a browser's Accept
            status, _, body = request(f"{server.url}sparql/?" + urllib.parse.urlencode({"query": text}),
                                      headers={"Accept": "text/html"})
        assert b"LEAKED-7f3" not in body, name
        if "SILENT" not in name:
            assert status in (400, 503), (name, status, body[:300])
    assert listener.received == []


def test_named_query_parameters_cannot_call_service(server, listener):
    target = f"http://127.0.0.1:{listener.port}/sparql"
    for value in (f'x" }} SERVICE <{target}> {{ ?a ?b ?c }} #',
                  f"x\\u0022 }} SERVICE <{target}> {{ ?a ?b ?c }} #",
                  f"x\\U00000022 }} SERVICE <{target}> {{ ?a ?b ?c }} #"):
        status, _, _ = request(f"{server.url}queries/questions-mentioning?" + urllib.parse.urlencode({"text": value}))
        assert status in (200, 400)
    for value in (target, f"{target}> }} SERVICE <{target}"):
        request(f"{server.url}queries/questions-of-member?" + urllib.parse.urlencode({"member": value}))
    assert listener.received == []


def test_a_worker_has_no_network_at_all(server, listener):
    """Not only SERVICE: nothing in a query worker can open a connection."""
    from kg.serve import isolate_network

    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(1) as pool:
        outcome = pool.apply(_connect_after_isolation, (listener.port,))
    assert outcome.startswith("refused:"), outcome
    assert listener.received == []
    assert callable(isolate_network)


def _connect_after_isolation(port: int) -> str:
    from kg.serve import forbid_sockets, isolate_network

    isolate_network()
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    except OSError as exc:
        outcome = f"refused: {exc}"
    else:
        return "connected"
    if forbid_sockets():  # and then no socket at all, not even a Unix one (a DNS cache daemon's)
        try:
            socket.socket(socket.AF_UNIX, socket.SOCK_STREAM).close()
        except PermissionError:
            return outcome
        return "a Unix socket could still be opened"
    return outcome


# ---------------------------------------------------------- Host header (2)


def raw_request(server, head: str) -> tuple[int, bytes]:
    with socket.create_connection(("127.0.0.1", server.port), timeout=REQUEST_TIMEOUT) as sock:
        sock.sendall(head.encode("latin-1"))
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    status = int(data.split(b" ", 2)[1])
    return status, data


@pytest.mark.parametrize("host, ok", [
    ("127.0.0.1:{port}", True),
    ("localhost:{port}", True),
    ("LOCALHOST:{port}", True),
    ("127.0.0.1", True),
    ("attacker.example:{port}", False),  # DNS rebinding: a foreign name resolved to 127.0.0.1
    ("attacker.example", False),
    ("127.0.0.1:1", False),  # another port
    ("127.0.0.1.attacker.example:{port}", False),
    ("localhost@attacker.example", False),
])
def test_only_the_bound_host_names_are_answered(server, host, ok):
    host = host.format(port=server.port)
    query = urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})
    for path in (f"/sparql?{query}", "/", "/queries"):
        status, data = raw_request(server, f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n")
        if ok:
            assert status == 200, (host, path, data[:200])
        else:
            assert status == 421 and b"answers only for" in data, (host, path, data[:200])
            assert b"boolean" not in data and b"<html" not in data


def test_a_request_without_host_is_refused(server):
    status, data = raw_request(server, "GET /queries HTTP/1.0\r\n\r\n")
    assert status == 400 and b"no Host header" in data


def test_allow_host_adds_a_name(graph_file):
    with SparqlServer(ServeConfig(graph=graph_file, port=0, quiet=True, workers=1, allow_hosts=("kg.example",))).start() as s:
        assert raw_request(s, f"GET /queries HTTP/1.1\r\nHost: kg.example:{s.port}\r\nConnection: close\r\n\r\n")[0] == 200
        assert raw_request(s, f"GET /queries HTTP/1.1\r\nHost: other.example:{s.port}\r\nConnection: close\r\n\r\n")[0] == 421


# ------------------------------------------------------ resource caps (3)


@pytest.fixture(scope="module")
def big_graph(tmp_path_factory) -> Path:
    """6,000 triples: the issue's cross product gives 36 million rows."""
    path = tmp_path_factory.mktemp("big") / "big.nt"
    with path.open("w", encoding="utf-8") as fh:
        for i in range(6000):
            fh.write(f'<http://e/s{i % 600}> <http://e/p{i % 7}> "value {i}" .\n')
    return path


def test_a_query_over_the_memory_cap_is_stopped_and_the_server_goes_on(big_graph):
    config = ServeConfig(graph=big_graph, port=0, timeout=120, quiet=True, workers=1, memory_mb=256)
    with SparqlServer(config).start() as s:
        query = urllib.parse.urlencode({"query": "SELECT * { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f"})
        started = time.monotonic()
        status, headers, body = request(f"{s.url}sparql?{query}")
        assert status == 503 and b"memory limit of 256 MB" in body, body[:300]
        assert headers.get("Retry-After")
        assert time.monotonic() - started < 60  # stopped by memory, long before the time limit
        ask = urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})
        status, _, body = request(f"{s.url}sparql?{ask}")  # a fresh worker answers
        assert status == 200 and json.loads(body)["boolean"] is True


def test_a_10000_term_filter_is_refused_at_once(server):
    terms = " || ".join(f"?o = {i}" for i in range(10_000))
    text = f"SELECT * WHERE {{ ?s ?p ?o FILTER({terms}) }}"
    started = time.monotonic()
    status, _, body = request(f"{server.url}sparql", data=text.encode(), headers={"Content-Type": "application/sparql-query"})
    assert status in (400, 413) and (b"limit is 100,000" in body or b"limit is 1,000" in body)
    assert time.monotonic() - started < 5
    compact = "||".join(f"?o={i}" for i in range(10_000))  # under the size bound: the operator bound stops it
    status, _, body = request(f"{server.url}sparql", data=f"SELECT * {{ ?s ?p ?o FILTER({compact}) }}".encode(),
                              headers={"Content-Type": "application/sparql-query"})
    assert status == 400 and b"9,999 || and && operators" in body


@pytest.mark.parametrize("opening, closing", [("(", ")"), ("{", "}"), ("[", "]")])
def test_deep_nesting_is_refused_with_4xx_not_a_crash(server, opening, closing):
    inner = {"(": "FILTER(" + "(" * 10_000 + "?o" + ")" * 10_000 + ")", "{": "{" * 10_000 + "?s ?p ?o" + "}" * 10_000,
             "[": "?s ?p " + "[ ?q " * 10_000 + "]" * 10_000}[opening]
    status, _, body = request(f"{server.url}sparql", data=f"SELECT * WHERE {{ {inner} }}".encode(),
                              headers={"Content-Type": "application/sparql-query"})
    assert status == 400 and b"nests brackets" in body
    assert request(f"{server.url}sparql?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"}))[0] == 200


def test_nesting_within_the_bound_runs_on_the_large_stack(server):
    """60 levels pass the bound; the worker's query thread has the stack for them."""
    text = "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 60 + "true" + ")" * 60 + ") } LIMIT 1"
    status, _, body = request(f"{server.url}sparql?" + urllib.parse.urlencode({"query": text}))
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 1


def test_an_oversized_query_is_413(server):
    text = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 200_000
    status, _, body = request(f"{server.url}sparql", data=text.encode(), headers={"Content-Type": "application/sparql-query"})
    assert status == 413
    # A body over the limit is refused from its Content-Length, before it is read.
    status, data = raw_request(server, f"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
                                       f"Content-Type: application/sparql-query\r\nContent-Length: {2 << 20}\r\n\r\n")
    assert status == 413


def test_parsing_is_under_the_time_cap(graph_file):
    """A query within the size bounds whose parsing alone takes seconds
    (999 chained terms, each an arithmetic chain of 20; Oxigraph needs about
    3 s for it) is stopped like a slow query: parsing happens in the
    worker, never in the server."""
    term = "+".join(["?o"] * 20)
    text = "SELECT * WHERE { ?s ?p ?o FILTER(" + "||".join(f"({term})={i}" for i in range(999)) + ") }"
    with SparqlServer(ServeConfig(graph=graph_file, port=0, timeout=0.5, quiet=True, workers=1)).start() as s:
        started = time.monotonic()
        status, _, body = request(f"{s.url}sparql", data=text.encode(), headers={"Content-Type": "application/sparql-query"})
        elapsed = time.monotonic() - started
        assert status == 503 and b"time limit" in body, body[:200]
        assert elapsed < 10


def test_closing_while_a_timed_out_worker_is_replaced(graph_file):
    """A query stopped at the time limit retires its worker and a thread
    starts a replacement; closing the server at that moment stops the same
    workers from two threads. It must close cleanly, every time."""
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    for _ in range(3):
        with SparqlServer(ServeConfig(graph=graph_file, port=0, timeout=0.3, quiet=True, workers=1)).start() as s:
            status, _, body = request(f"{s.url}sparql", data=slow.encode(), headers={"Content-Type": "application/sparql-query"})
            assert status == 503 and b"time limit" in body, body[:200]


def test_a_worker_stopped_from_many_threads_at_once(graph_file):
    from kg.serve import WorkerPool

    pool = WorkerPool(ServeConfig(graph=graph_file, port=0, quiet=True, workers=1))
    (worker,) = list(pool._all)
    errors: list[BaseException] = []

    def stop() -> None:
        try:
            worker.stop()
        except BaseException as exc:  # noqa: BLE001 - the test reports it
            errors.append(exc)

    threads = [threading.Thread(target=stop) for _ in range(8)]
    for t in threads:
        t.start()
    pool.close()
    for t in threads:
        t.join()
    assert errors == []
    assert not worker.process.is_alive() and worker.conn.closed


# ------------------------------------------------------- concurrency (4)


def test_concurrent_named_queries_all_succeed(server):
    names = [n for n, q in named_queries().items() if all(p.default is not None for p in q.params)]
    assert len(names) >= 10
    urls = [f"{server.url}queries/{names[i % len(names)]}" for i in range(72)]
    with ThreadPoolExecutor(max_workers=36) as pool:
        statuses = list(pool.map(lambda u: request(u, headers={"Accept": "text/csv"})[0], urls))
    assert statuses == [200] * len(urls)
    for name in names:  # and nothing is broken afterwards
        assert request(f"{server.url}queries/{name}")[0] == 200, name


def test_a_worker_that_cannot_cut_its_network_does_not_start(graph_file, monkeypatch):
    """Fail closed: no network namespace and no seccomp filter, no worker
    (and so no server)."""
    import multiprocessing

    import kg.serve as serve

    def refuse() -> None:
        raise OSError(1, "cannot enter a network namespace (Operation not permitted)")

    monkeypatch.setattr(serve, "isolate_network", refuse)
    monkeypatch.setattr(serve, "forbid_sockets", lambda: False)
    parent, child = multiprocessing.Pipe()
    serve._worker_main(child, str(graph_file), None, {}, 256)
    status, message = parent.recv()
    assert status == "failed" and "network namespace" in message and "seccomp" in message


def test_seccomp_alone_keeps_a_worker_off_the_network(graph_file):
    """Where user namespaces are restricted, the seccomp filter alone is the
    barrier: the worker starts, and no socket can be opened in it."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe()

    def probe(conn) -> None:
        import socket

        import kg.serve as serve

        serve.isolate_network = lambda: (_ for _ in ()).throw(OSError(1, "refused"))
        if not serve.forbid_sockets():
            conn.send("no-libseccomp")
            return
        try:
            socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        except OSError:
            conn.send("refused")
        else:
            conn.send("opened")

    proc = ctx.Process(target=probe, args=(child,))
    proc.start()
    answer = parent.recv()
    proc.join(10)
    if answer == "no-libseccomp":
        pytest.skip("libseccomp is not installed here")
    assert answer == "refused"
