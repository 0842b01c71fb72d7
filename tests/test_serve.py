"""``kg serve``: real HTTP requests to a server started on 127.0.0.1 (port 0)
inside the test, with every request bounded in time."""
from __future__ import annotations

import csv
import io
import json
import multiprocessing
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from kg import query as q
from kg.build import build
from kg.cli import main
from kg.serve import HttpError, ServeConfig, SparqlServer, check_bounds, negotiate

REQUEST_TIMEOUT = 30  # seconds; no request in these tests may hang the suite
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
SEED = "https://zoek.officielebekendmakingen.nl/ah-tk-20182019-3878"
# Three unconstrained patterns: the cube of the graph's triples, far beyond any time limit.
EXPENSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("serve-build")
    build(None, out, validate=False, store=out / "store")  # the shipped samples, seed document among them
    return out / "kamervragen.nt"


@pytest.fixture(scope="module")
def server(graph_file):
    with SparqlServer(ServeConfig(graph=graph_file, port=0, timeout=20, quiet=True)).start() as s:
        yield s


def request(server, path: str, *, data: bytes | None = None, headers: dict | None = None) -> tuple[int, dict, bytes]:
    req = urllib.request.Request(server.url.rstrip("/") + path, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=REQUEST_TIMEOUT) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def get(server, query: str, accept: str | None = None, path: str = "/sparql") -> tuple[int, dict, bytes]:
    return request(server, f"{path}?{urllib.parse.urlencode({'query': query})}", headers={"Accept": accept} if accept else {})


def triples(graph_file: Path) -> int:
    return sum(1 for ln in graph_file.read_text(encoding="utf-8").splitlines() if ln.strip())


# ------------------------------------------------------------------ protocol


def test_get_answers_sparql_json_by_default(server, graph_file):
    status, headers, body = get(server, COUNT)
    assert status == 200
    assert headers["Content-Type"].startswith("application/sparql-results+json")
    data = json.loads(body)
    assert int(data["results"]["bindings"][0]["n"]["value"]) == triples(graph_file)


def test_post_form_and_post_sparql_query(server, graph_file):
    form = urllib.parse.urlencode({"query": COUNT}).encode()
    status, _, body = request(server, "/sparql", data=form, headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200 and int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) == triples(graph_file)
    status, _, body = request(server, "/sparql", data=COUNT.encode(), headers={"Content-Type": "application/sparql-query"})
    assert status == 200 and int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) == triples(graph_file)


@pytest.mark.parametrize(
    "accept, media, fmt",
    [
        ("application/sparql-results+json", "application/sparql-results+json", ox.QueryResultsFormat.JSON),
        ("application/sparql-results+xml", "application/sparql-results+xml", ox.QueryResultsFormat.XML),
        ("text/csv", "text/csv", ox.QueryResultsFormat.CSV),
        ("text/tab-separated-values", "text/tab-separated-values", ox.QueryResultsFormat.TSV),
        ("text/csv;q=0.5, text/tab-separated-values;q=0.9", "text/tab-separated-values", ox.QueryResultsFormat.TSV),
        ("application/json", "application/json", ox.QueryResultsFormat.JSON),
    ],
)
def test_each_result_format_by_content_negotiation(server, accept, media, fmt):
    query = f"SELECT ?id ?n WHERE {{ <{SEED}> <https://w3id.org/kamervragen/def#identificatie> ?id ; <https://w3id.org/kamervragen/def#nummer> ?n }}"
    status, headers, body = get(server, query, accept)
    assert status == 200
    assert headers["Content-Type"] == f"{media}; charset=utf-8"
    if fmt == ox.QueryResultsFormat.CSV:  # lossy by design: pyoxigraph does not read it back
        rows = [(r["id"], r["n"]) for r in csv.DictReader(io.StringIO(body.decode("utf-8")))]
    else:
        rows = [(r["id"].value, r["n"].value) for r in ox.parse_query_results(body, format=fmt)]
    assert rows == [("ah-tk-20182019-3878", "3878")]


def test_ask_in_json_and_xml(server):
    query = f"ASK {{ <{SEED}> ?p ?o }}"
    assert json.loads(get(server, query)[2]) == {"head": {}, "boolean": True}
    assert bool(ox.parse_query_results(get(server, query, "application/sparql-results+xml")[2], format=ox.QueryResultsFormat.XML))


def test_construct_and_describe_as_turtle(server):
    status, headers, body = get(server, f"CONSTRUCT WHERE {{ <{SEED}> ?p ?o }}", "text/turtle")
    assert status == 200 and headers["Content-Type"] == "text/turtle; charset=utf-8"
    g = Graph()
    g.parse(data=body.decode("utf-8"), format="turtle")
    assert len(g) > 10 and all(str(s) == SEED for s in g.subjects())
    status, headers, body = get(server, f"DESCRIBE <{SEED}>")  # no Accept: Turtle is the default for graphs
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    assert len(Graph().parse(data=body.decode("utf-8"), format="turtle")) >= len(g)
    status, headers, body = get(server, f"CONSTRUCT WHERE {{ <{SEED}> ?p ?o }}", "application/n-triples")
    assert status == 200 and len(body.decode("utf-8").splitlines()) == len(g)


def test_unacceptable_accept_is_406(server):
    status, _, body = get(server, COUNT, "image/png")
    assert status == 406 and b"offered: application/sparql-results+json" in body
    assert get(server, f"CONSTRUCT WHERE {{ <{SEED}> ?p ?o }}", "text/csv")[0] == 406


# ----------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    "query",
    [
        "INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }",
        "DELETE WHERE { ?s ?p ?o }",
        "LOAD <http://example.org/data.ttl>",
        "CLEAR DEFAULT",
        "DROP ALL",
    ],
)
def test_updates_and_load_are_refused(server, graph_file, query):
    status, _, body = get(server, query)
    assert status == 400 and b"updates are refused: this endpoint is read-only" in body
    form = urllib.parse.urlencode({"update": query}).encode()
    status, _, body = request(server, "/sparql", data=form, headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 400 and b"read-only" in body
    status, _, body = request(server, "/sparql", data=query.encode(), headers={"Content-Type": "application/sparql-update"})
    assert status == 400 and b"read-only" in body
    # and nothing changed
    assert int(json.loads(get(server, COUNT)[2])["results"]["bindings"][0]["n"]["value"]) == triples(graph_file)


def test_service_cannot_run(server):
    # The engine has no network: SERVICE fails inside the worker (the
    # variants and a listener that must receive nothing: test_serve_security.py).
    status, _, body = get(server, "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    assert status == 400 and b"SERVICE is refused" in body


def test_bad_requests(server):
    status, _, body = get(server, "SELECT WHERE {")
    assert status == 400 and b"does not parse" in body
    assert request(server, "/sparql")[0] == 400  # no query
    assert request(server, "/nothing-here")[0] == 404
    status, _, _ = request(server, "/sparql", data=b"x", headers={"Content-Type": "text/plain"})
    assert status == 415


def test_check_bounds_passes_strings_iris_and_comments_over():
    check_bounds("SELECT * WHERE { ?s ?p ?o }")
    deep = "(" * 100
    check_bounds(f'SELECT * WHERE {{ ?s ?p "{deep}" . ?s <http://e/x> ?o }} # {deep}')
    with pytest.raises(HttpError, match="nests brackets 102 deep"):
        check_bounds(f"SELECT * WHERE {{ ?s ?p ?o FILTER({deep}?o{')' * 100}) }}")
    with pytest.raises(HttpError, match="no query"):
        check_bounds("  ")


def test_negotiate():
    offers = ["application/sparql-results+json", "text/csv", "text/html"]
    assert negotiate(None, offers) == "application/sparql-results+json"
    assert negotiate("*/*", offers) == "application/sparql-results+json"
    assert negotiate("text/*", offers) == "text/csv"
    assert negotiate("text/html,application/xhtml+xml,*/*;q=0.8", offers) == "text/html"
    assert negotiate("text/csv;q=0, */*;q=0.1", offers) == "application/sparql-results+json"
    assert negotiate("image/png", offers) is None


# --------------------------------------------------------------- time limit


def test_a_query_over_the_time_limit_is_stopped(graph_file):
    with SparqlServer(ServeConfig(graph=graph_file, port=0, timeout=1.0, quiet=True)).start() as s:
        workers_before = {w.process.pid for w in s.pool._all}
        started = time.monotonic()
        status, headers, body = get(s, EXPENSIVE)
        assert status == 503
        assert b"query stopped: it ran longer than the time limit of 1 s" in body
        assert headers.get("Retry-After") == "5"
        assert time.monotonic() - started < 10
        # the other worker answers at once
        assert get(s, COUNT)[0] == 200
        # the stopped worker is gone and a fresh one takes its place
        deadline = time.monotonic() + 60
        while s.pool.idle.qsize() < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert s.pool.idle.qsize() == 2
        workers_after = {w.process.pid for w in s.pool._all}
        assert len(workers_after) == 2 and len(workers_after - workers_before) == 1
        killed = (workers_before - workers_after).pop()
        assert killed not in {p.pid for p in multiprocessing.active_children()}
        assert get(s, COUNT)[0] == 200


# ------------------------------------------------------- named queries, page


def test_named_queries_over_http(server, graph_file):
    status, _, body = request(server, "/queries")
    listing = json.loads(body)
    assert status == 200 and [x["name"] for x in listing] == sorted(q.named_queries())
    status, headers, body = request(server, "/queries/publication-questions-and-answers?publication=ah-tk-20182019-3878",
                                    headers={"Accept": "text/csv"})
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    lines = body.decode("utf-8").splitlines()
    assert lines[0] == "question,questionText,answer,answerText" and len(lines) == 15  # 14 questions
    # the same answers as kg query on the same graph
    graph = Graph()
    graph.parse(str(graph_file), format="nt")
    local = q.run(q.named_queries()["publication-questions-and-answers"], graph)
    assert [ln.split(",")[0] for ln in lines[1:]] == [str(r[0]) for r in local.rows]
    assert request(server, "/queries/no-such-query")[0] == 404
    status, _, body = request(server, "/queries/most-cited-publications?limit=lots")
    assert status == 400 and b"must be an integer" in body


def test_the_page_lists_named_queries_and_shows_results_as_a_table(server):
    status, headers, body = request(server, "/")
    page = body.decode("utf-8")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert "<script" not in page and "<link" not in page and " src=" not in page  # nothing from the network
    for name in q.named_queries():
        assert f"<code>{name}</code>" in page
    params = urllib.parse.urlencode({"name": "publication-questions-and-answers", "p.publication": "ah-tk-20182019-3878"})
    status, _, body = request(server, f"/?{params}")
    page = body.decode("utf-8")
    assert status == 200 and "<th>questionText</th>" in page and page.count("<tr>") == 15
    assert "14 rows" in page
    status, _, body = request(server, "/?" + urllib.parse.urlencode({"query": "DROP ALL"}))
    assert status == 400 and "read-only" in body.decode("utf-8")
    # text is escaped, not interpreted
    status, _, body = request(server, "/?" + urllib.parse.urlencode({"query": 'SELECT ("<b>x</b>" AS ?v) WHERE {}'}))
    assert status == 200 and "&lt;b&gt;x&lt;/b&gt;" in body.decode("utf-8")


def test_a_browser_asking_sparql_for_html_gets_the_table(server):
    status, headers, body = get(server, COUNT, "text/html,application/xhtml+xml,*/*;q=0.8")
    assert status == 200 and headers["Content-Type"].startswith("text/html") and "<th>n</th>" in body.decode("utf-8")


def test_serves_the_on_disk_store_too(graph_file):
    with SparqlServer(ServeConfig(store=graph_file.parent / "store", port=0, timeout=20, quiet=True, workers=1)).start() as s:
        assert s.url.startswith("http://127.0.0.1:")
        data = json.loads(get(s, COUNT)[2])
        # the default graph: the graph of kamervragen.nt (publications' graphs and the shared graph)
        assert int(data["results"]["bindings"][0]["n"]["value"]) == triples(graph_file)
        # the description graph (void.ttl) by its name
        from kg.iris import IriMinter

        description = len(Graph().parse(graph_file.parent / "void.ttl", format="turtle"))
        in_graph = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{IriMinter().description_graph()}> {{ ?s ?p ?o }} }}"
        assert int(json.loads(get(s, in_graph)[2])["results"]["bindings"][0]["n"]["value"]) == description


def test_binds_to_localhost_by_default():
    assert ServeConfig().host == "127.0.0.1"


def test_kg_serve_wrong_arguments_exit_2(tmp_path, capsys):
    assert main(["serve", "--store", str(tmp_path / "none")]) == 2
    assert "no Oxigraph store" in capsys.readouterr().err
    assert main(["serve", "--graph", str(tmp_path / "none.nt")]) == 2
    assert main(["serve", "--timeout", "0", "--graph", str(tmp_path / "none.nt")]) == 2


# ----------------------------------------------- SPARQL 1.1 Protocol details


def test_construct_with_relative_iris_resolves_against_the_endpoint(server):
    status, headers, body = request(server, "/sparql", data=b"CONSTRUCT { <s> <p> 1 } WHERE {}",
                                    headers={"Content-Type": "application/sparql-query", "Accept": "application/n-triples"})
    assert status == 200
    assert body.decode("utf-8").strip() == f'<{server.url}s> <{server.url}p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .'


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_get_405_with_allow(server, method):
    status, headers, _ = request(server, "/sparql?query=ASK%20%7B%7D", data=b"", headers={"Content-Type": "text/plain"}) \
        if method == "POST" else _method(server, method, "/sparql?query=ASK%20%7B%7D")
    assert status == 405 and headers["Allow"] == "GET, HEAD, POST"
    status, headers, _ = _method(server, method, "/queries")
    assert status == 405 and headers["Allow"] == "GET, HEAD"


def _method(server, method: str, path: str) -> tuple[int, dict, bytes]:
    req = urllib.request.Request(server.url.rstrip("/") + path, data=b"", method=method)
    try:
        with urllib.request.urlopen(req, timeout=REQUEST_TIMEOUT) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def test_sparql_with_a_trailing_slash_answers(server, graph_file):
    status, _, body = get(server, COUNT, path="/sparql/")
    assert status == 200 and int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) == triples(graph_file)


def test_protocol_dataset_replaces_the_default_graph(graph_file, tmp_path):
    """named-graph-uri alone leaves the default graph empty; default-graph-uri
    picks graphs; without either, the store's default graph is the union of
    its graphs (a store holds one named graph per publication)."""
    store_dir = tmp_path / "store"
    store = ox.Store(str(store_dir))
    for i, t in enumerate(ox.parse(path=str(graph_file), format=ox.RdfFormat.N_TRIPLES)):
        store.add(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(f"https://example.org/graph/{i % 3}")))
    store.flush()
    del store
    with SparqlServer(ServeConfig(store=store_dir, port=0, timeout=20, quiet=True, workers=1)).start() as s:
        graphs = [r["g"]["value"] for r in json.loads(get(s, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g")[2])["results"]["bindings"]]
        union = int(json.loads(get(s, COUNT)[2])["results"]["bindings"][0]["n"]["value"])
        assert union == triples(graph_file) and len(graphs) == 3
        named = urllib.parse.urlencode({"query": COUNT, "named-graph-uri": graphs[0]})
        assert json.loads(request(s, f"/sparql?{named}")[2])["results"]["bindings"][0]["n"]["value"] == "0"
        one = urllib.parse.urlencode({"query": COUNT, "default-graph-uri": graphs[0]})
        n_one = int(json.loads(request(s, f"/sparql?{one}")[2])["results"]["bindings"][0]["n"]["value"])
        assert 0 < n_one < union
        bad = urllib.parse.urlencode({"query": COUNT, "default-graph-uri": "not an iri"})
        assert request(s, f"/sparql?{bad}")[0] == 400


def test_head_answers_headers_only(server):
    req = urllib.request.Request(server.url + "queries", method="HEAD")
    with urllib.request.urlopen(req, timeout=REQUEST_TIMEOUT) as resp:
        assert resp.status == 200 and int(resp.headers["Content-Length"]) > 100 and resp.read() == b""


def test_concurrent_identical_queries_are_answered_once():
    """On a large store a named query takes seconds: 20 clients asking it at
    once get the one answer, computed once, instead of 20 jobs queued past
    the time limit; a failure reaches every waiting client."""
    import threading

    from kg.serve import HttpError, ServeConfig, SparqlApp

    class SlowPool:  # stands in for the worker processes: counts the jobs it gets
        def __init__(self, fail: bool = False) -> None:
            self.jobs = 0
            self.fail = fail

        def execute(self, job):
            self.jobs += 1
            time.sleep(0.3)
            if self.fail:
                raise HttpError(503, "query stopped: it ran past the time limit")
            return ("results", b'{"head": {"vars": []}, "results": {"bindings": []}}')

    for fail in (False, True):
        pool = SlowPool(fail)
        app = SparqlApp(ServeConfig(quiet=True), pool, 0)
        outcomes: list = []

        def ask() -> None:
            try:
                outcomes.append(app.run_query("SELECT * WHERE { ?s ?p ?o } LIMIT 1", "application/sparql-results+json").status)
            except HttpError as exc:
                outcomes.append(exc.status)

        threads = [threading.Thread(target=ask) for _ in range(20)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(10)
        assert pool.jobs == 1
        assert outcomes == [503 if fail else 200] * 20
        assert not app._flights
