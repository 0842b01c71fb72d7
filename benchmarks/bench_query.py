"""Benchmark of the named queries: each one's time in memory (rdflib, the
default of ``kg query``) against on disk (the Oxigraph store of
``kg build --store``), on a given build.

Not a test: it prints figures (best of N runs, after one warm-up run), and
checks on the way that both stores give the same rows.

    python benchmarks/bench_query.py BUILD_DIR [--store DIR] [--repeat N]

BUILD_DIR holds a build's kamervragen.nt; without --store the store is loaded
from it into a temporary directory first.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path


def timed(fn, repeat: int) -> tuple[float, object]:
    result = fn()  # warm-up: caches, lazy imports, Oxigraph's first open
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - started)
    return best, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("build_dir", type=Path, help="a build's output folder (with kamervragen.nt)")
    parser.add_argument("--store", type=Path, default=None, help="an existing store (default: load one into a temporary folder)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from rdflib import Graph

    from kg.query import named_queries, run
    from kg.store import load_ntriples, open_store

    nt = args.build_dir / "kamervragen.nt"
    if not nt.is_file():
        print(f"bench_query: no {nt}; run kg build first", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        graph = Graph()
        graph.parse(str(nt), format="nt")
        rdflib_load = time.perf_counter() - started
        store_dir = args.store
        store_load = None
        if store_dir is None:
            store_dir = Path(tmp) / "store"
            started = time.perf_counter()
            load_ntriples(store_dir, nt)
            store_load = time.perf_counter() - started
        started = time.perf_counter()
        store = open_store(store_dir)
        store_open = time.perf_counter() - started

        print(f"kg query benchmark: {nt} ({len(graph)} triples); best of {args.repeat} after a warm-up run")
        print(f"  load: rdflib parse {rdflib_load:.2f} s; Oxigraph "
              + (f"bulk load {store_load:.2f} s, " if store_load is not None else "")
              + f"open {store_open * 1000:.1f} ms")
        print(f"{'query':36} {'rows':>5} {'rdflib s':>9} {'Oxigraph s':>11} {'ratio':>7}")
        total_r = total_o = 0.0
        for name, named in named_queries().items():
            t_r, res_r = timed(lambda named=named: run(named, graph), args.repeat)
            t_o, res_o = timed(lambda named=named: run(named, store), args.repeat)
            same = res_r.rows == res_o.rows and res_r.variables == res_o.variables
            total_r, total_o = total_r + t_r, total_o + t_o
            flag = "" if same else "  DIFFERENT ROWS"
            print(f"{name:36} {len(res_r.rows):>5} {t_r:>9.4f} {t_o:>11.4f} {t_r / max(t_o, 1e-9):>6.0f}x{flag}")
        print(f"{'all named queries':36} {'':>5} {total_r:>9.4f} {total_o:>11.4f} {total_r / max(total_o, 1e-9):>6.0f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
