"""``kg push``: upload a build to a triple store, one named graph per publication."""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from kg.errors import UsageError

EXIT_OK, EXIT_SERVICE = 0, 4


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "url",
        metavar="URL",
        help="the store's Graph Store Protocol endpoint (with --sparql-update: its update endpoint), "
        "e.g. http://127.0.0.1:8890/sparql-graph-crud-auth (Virtuoso), http://127.0.0.1:3030/ds/data (Fuseki), "
        "http://127.0.0.1:7878/store (Oxigraph), http://127.0.0.1:7200/repositories/REPO/rdf-graphs/service (GraphDB)",
    )
    protocol = parser.add_mutually_exclusive_group()
    protocol.add_argument(
        "--graph-store-protocol", dest="protocol", action="store_const", const="gsp",
        help="PUT each graph to URL?graph=IRI (SPARQL 1.1 Graph Store HTTP Protocol; the default)",
    )
    protocol.add_argument(
        "--sparql-update", dest="protocol", action="store_const", const="update",
        help="POST DROP GRAPH + INSERT DATA to URL (SPARQL 1.1 Update)",
    )
    parser.set_defaults(protocol="gsp")
    auth = parser.add_mutually_exclusive_group()
    auth.add_argument("--auth", metavar="USER:PASSWORD", help="credentials (Digest or Basic, as the store asks)")
    auth.add_argument("--auth-env", metavar="VAR", help="read USER:PASSWORD from this environment variable (keeps it out of the process list)")
    parser.add_argument("--from", dest="source", type=Path, default=Path("output"), metavar="DIR", help="the build folder (default: output/)")
    parser.add_argument(
        "--replace", action="store_true",
        help="also remove the graphs the previous push stored (as its dataset description in the store lists them) "
        "that this build no longer has",
    )
    parser.add_argument("--format", choices=("ntriples", "turtle"), default="ntriples", help="what the graphs are sent as (Graph Store Protocol; default ntriples)")
    parser.add_argument("--timeout", type=float, default=60.0, metavar="SECONDS", help="the longest one request may take, from connecting to the last byte of the answer (default 60)")


def credentials(args: argparse.Namespace) -> tuple[str, str] | None:
    from kg.push import parse_auth

    if args.auth_env:
        value = os.environ.get(args.auth_env)
        if value is None:
            raise UsageError(f"--auth-env {args.auth_env}: no such environment variable")
        return parse_auth(value)
    return parse_auth(args.auth)


def run(args: argparse.Namespace) -> int:
    from kg.errors import PushError
    from kg.push import push, read_build

    graphs = read_build(args.source)
    auth = credentials(args)
    started = time.perf_counter()

    def show(upload) -> None:
        status = upload.status if upload.status is not None else "---"
        what = "deleted" if upload.action == "delete" else f"{upload.triples} triples"
        line = f"{status:>4} {'ok    ' if upload.ok else 'FAILED'} <{upload.graph}> ({what})"
        if not upload.ok:
            line += f": {upload.message}"
        print(line, flush=True)

    try:
        result = push(
            args.url, graphs, protocol=args.protocol, auth=auth, fmt=args.format,
            replace=args.replace, timeout=args.timeout, on_upload=show,
        )
    except PushError as exc:
        print(f"kg push: {exc}", file=sys.stderr)
        return EXIT_SERVICE
    if args.replace and result.failed:
        print("kg push: graphs of the previous push were not removed, since this push did not store every graph", file=sys.stderr)
    stored = [u for u in result.uploads if u.action == "put" and u.ok]
    print(
        f"kg push: {len(stored)} of {len(graphs)} graphs ({sum(u.triples for u in stored)} triples) stored at {args.url}"
        f"{f', {len(result.failed)} failed' if result.failed else ''} in {time.perf_counter() - started:.1f} s"
    )
    return EXIT_OK if result.ok else EXIT_SERVICE
