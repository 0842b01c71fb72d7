"""``kg chains``: list the follow-up chains of a built graph, longest first."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from kg.errors import UsageError

EXIT_OK, EXIT_NONE = 0, 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--graph", type=Path, default=Path("output/kamervragen.nt"),
        help="the built graph (default: output/kamervragen.nt; any .nt, .ttl, .nq, .trig or .rdf file)",
    )
    parser.add_argument("--format", choices=("table", "json"), default="table", help="output format (default: table)")
    parser.add_argument("--min-length", type=int, default=2, metavar="N", help="only chains of at least N publications (default: 2)")
    parser.add_argument("--out", type=Path, default=None, metavar="DIR", help="also write chains.html (the longest chains and a search box), chains/ (a page per chain), chains.graphml and chains.dot to DIR")


def run(args: argparse.Namespace) -> int:
    from kg.chains import chains_data, load_chains
    from kg.pictures import render_table, write_chain_outputs

    if args.min_length < 2:
        raise UsageError("--min-length must be 2 or more: a chain joins at least two publications")
    chains = load_chains(args.graph, args.min_length)
    if args.out is not None:
        write_chain_outputs(chains, args.out, args.graph.name)
    if args.format == "json":
        print(json.dumps(chains_data(chains), ensure_ascii=False, indent=2))
    elif chains:
        sys.stdout.write(render_table(chains))
    if not chains:
        print(f"kg chains: no chains of {args.min_length} or more publications in {args.graph}", file=sys.stderr)
        return EXIT_NONE
    if args.format == "table":
        docs = sum(len(c) for c in chains)
        print(f"kg chains: {len(chains)} chains of {docs} publications in {args.graph}", file=sys.stderr)
    return EXIT_OK
