"""``kg query``: run a named SPARQL query (or a query file) against a build."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kg.errors import QueryError, UsageError

EXIT_OK, EXIT_NO_DATA = 0, 1
DEFAULT_GRAPH = Path("output") / "kamervragen.nt"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("query", nargs="?", metavar="NAME|FILE", help="a named query (see --list) or a .rq file")
    parser.add_argument("--list", action="store_true", help="list the named queries with their parameters")
    parser.add_argument(
        "--param", action="append", default=[], metavar="NAME=VALUE", help="a parameter of the query (repeatable)"
    )
    parser.add_argument("--format", choices=("table", "csv", "tsv", "json"), default="table", help="output format (default: table)")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--graph", type=Path, default=None, metavar="FILE", help=f"a build's graph dump, .nt or .ttl (default: {DEFAULT_GRAPH})")
    source.add_argument("--store", type=Path, default=None, metavar="DIR", help="an on-disk Oxigraph store made by kg build --store")


def run(args: argparse.Namespace) -> int:
    from kg import query as q

    if args.list:
        sys.stdout.write(listing(q.named_queries()))
        return EXIT_OK
    if not args.query:
        raise QueryError(f"name a query or a .rq file; the named queries are: {', '.join(q.named_queries())}")
    named = q.resolve(args.query)
    params = q.parse_params(args.param)
    named.render(params)  # wrong parameters fail here, before a large graph is loaded
    target = open_target(args.graph, args.store)
    result = q.run(named, target, params)
    sys.stdout.write(q.serialize(result, args.format))
    return EXIT_NO_DATA if result.form == "SELECT" and not result.rows else EXIT_OK


def listing(queries: dict) -> str:
    out: list[str] = []
    for name, named in queries.items():
        out.append(name)
        out.append(f"    {named.description}")
        for p in named.params:
            out.append(f"    --param {p.describe()}")
    return "\n".join(out) + "\n"


def open_target(graph: Path | None, store: Path | None):  # -> rdflib.Graph | pyoxigraph.Store
    """The store to query: the on-disk Oxigraph store, or a graph dump read
    into rdflib's in-memory graph. (The one place that reads a build: a
    check of the build's manifest belongs here, before either is opened.)"""
    if store is not None:
        from kg.store import open_store

        return open_store(store)
    path = graph or DEFAULT_GRAPH
    if not path.is_file():
        hint = "run kg build first, or pass --graph FILE or --store DIR" if graph is None else "no such file"
        raise UsageError(f"no graph at {path}: {hint}")
    from rdflib import Graph
    from rdflib.util import guess_format

    from kg.manifest import verify

    verify(path.parent, [path.name])  # never answer from a cut-short dump
    g = Graph()
    try:
        g.parse(str(path), format=guess_format(str(path)) or "nt")
    except Exception as exc:  # any parser failure means the file is not a graph dump
        raise UsageError(f"cannot read the graph {path}: {exc}") from exc
    return g
