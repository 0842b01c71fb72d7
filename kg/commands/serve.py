"""``kg serve``: a read-only SPARQL endpoint (and a query page) over a build."""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from kg.errors import UsageError

EXIT_OK = 0
DEFAULT_GRAPH = Path("output") / "kamervragen.nt"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=8000, help="TCP port (default: 8000; 0 picks a free one)")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1, this machine only)")
    parser.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                        help="also answer requests whose Host header names NAME (repeatable); by default only the bind "
                             "address (and localhost for a loopback address) is answered")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--graph", type=Path, default=None, metavar="FILE", help=f"a build's graph dump, .nt, .ttl or .trig (default: {DEFAULT_GRAPH})")
    source.add_argument("--store", type=Path, default=None, metavar="DIR", help="an on-disk Oxigraph store made by kg build --store")
    parser.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS", help="stop a query after this long (default: 30)")
    parser.add_argument("--memory", type=int, default=1024, metavar="MB", help="memory a query may use beyond the loaded graph (default: 1024)")
    parser.add_argument("--workers", type=int, default=2, metavar="N", help="query worker processes (default: 2)")


def run(args: argparse.Namespace) -> int:
    from kg.serve import ServeConfig, SparqlServer
    from kg.store import is_store

    if args.timeout <= 0:
        raise UsageError("--timeout must be more than 0 seconds")
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port {args.port}: not a TCP port")
    if args.memory < 64:
        raise UsageError("--memory must be at least 64 MB")
    if args.workers < 1:
        raise UsageError("--workers must be at least 1")
    common = dict(host=args.host, port=args.port, timeout=args.timeout, memory_mb=args.memory, workers=args.workers,
                  allow_hosts=tuple(args.allow_host))
    if args.store is not None:
        if not (args.store.is_dir() and is_store(args.store)):
            raise UsageError(f"no Oxigraph store at {args.store} (make one with: kg build ... --store {args.store})")
        config = ServeConfig(store=args.store.resolve(), **common)
    else:
        graph = args.graph or DEFAULT_GRAPH
        if not graph.is_file():
            hint = "run kg build first, or pass --graph FILE or --store DIR" if args.graph is None else "no such file"
            raise UsageError(f"no graph at {graph}: {hint}")
        config = ServeConfig(graph=graph.resolve(), **common)
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "task queue depth" warnings: queueing is intended
    with SparqlServer(config) as server:
        source = f"store {config.store}" if config.store is not None else f"graph {config.graph}"
        print(f"kg serve: {server.pool.triples} triples from {source}")
        print(f"  SPARQL endpoint {server.url}sparql, query page {server.url} (Ctrl-C stops)")
        print(f"  {config.workers} query workers without network; each query stops after {config.timeout:g} s or {config.memory_mb} MB")
        sys.stdout.flush()
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            print("kg serve: stopped")
    return EXIT_OK
