"""Every named query's median time on two stores: (before) the query files
of an older checkout over a store of named graphs only, read as their union;
(after) the current query files over a store as ``kg build --store`` makes
it now, read through ``kg.query.run`` (``kg query --store``).

Not a test: it prints a Markdown table (median of N runs after a warm-up,
CPU and wall milliseconds) and whether the two give the same rows.

    python benchmarks/bench_queries_before_after.py --before-store DIR --before-queries DIR
        --after-store DIR [--repeat N] [--budget S]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path


def timed(fn, repeat: int, budget: float) -> tuple[float, float, object]:
    result = fn()  # warm-up
    cpu, wall = [], []
    for _ in range(repeat):
        c, w = time.process_time(), time.perf_counter()
        result = fn()
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - w)
        if sum(wall) > budget:
            break
    return statistics.median(cpu) * 1000, statistics.median(wall) * 1000, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before-store", type=Path, required=True)
    parser.add_argument("--before-queries", type=Path, required=True, help="a folder of .rq files (an older queries/)")
    parser.add_argument("--after-store", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--budget", type=float, default=15.0)
    args = parser.parse_args()

    import pyoxigraph as ox

    from kg import query as q
    from kg.store import open_store

    before = ox.Store.read_only(str(args.before_store))
    after = open_store(args.after_store)
    print("| named query | rows before | rows after | before CPU ms | before wall ms | after CPU ms | after wall ms |")
    print("|---|---|---|---|---|---|---|")
    for name, named in q.named_queries().items():
        old_path = args.before_queries / f"{name}.rq"
        old = q.parse_query_file(old_path.read_text(encoding="utf-8"), name, str(old_path), builtin=True).render()
        b_cpu, b_wall, b_rows = timed(lambda old=old: list(before.query(old, use_default_graph_as_union=True)), args.repeat, args.budget)
        a_cpu, a_wall, a_res = timed(lambda named=named: q.run(named, after), args.repeat, args.budget)
        print(f"| {name} | {len(b_rows)} | {len(a_res.rows)} | {b_cpu:.1f} | {b_wall:.1f} | {a_cpu:.1f} | {a_wall:.1f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
