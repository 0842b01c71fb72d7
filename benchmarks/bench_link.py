"""Benchmark of the link stage alone, on the records a build left in its
cache: seconds per linker and peak memory, at any scale already built.

Not a test: it prints figures.

    python benchmarks/bench_link.py CACHE_DIR [--profile N]

CACHE_DIR is a build's cache folder (``kg build --cache DIR``, default
``OUT/.cache``); every record in it goes to ``kg.link.link`` in a fixed
order. With --profile, cProfile's N most expensive functions are printed.
"""
from __future__ import annotations

import argparse
import cProfile
import importlib
import pickle
import pstats
import resource
import sqlite3
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cache", type=Path)
    parser.add_argument("--profile", type=int, default=0)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from kg.iris import DEFAULT_BASE, IriMinter
    from kg.link import LINKERS
    from kg.link.record import records

    db = sqlite3.connect(f"file:{args.cache / 'build-cache.sqlite'}?mode=ro", uri=True)
    started = time.perf_counter()
    recs = [pickle.loads(blob) for (blob,) in db.execute("SELECT record FROM pub ORDER BY sha256, seq")]
    print(f"{len(recs):,} records unpickled in {time.perf_counter() - started:.1f} s")
    recs = records(recs)
    iris = IriMinter(DEFAULT_BASE)
    profiler = cProfile.Profile() if args.profile else None
    total = 0.0
    for name, module_name in LINKERS:
        linker = importlib.import_module(module_name).link
        t = time.perf_counter()
        if profiler:
            profiler.enable()
        out = linker(recs, iris)
        if profiler:
            profiler.disable()
        seconds = time.perf_counter() - t
        total += seconds
        triples = sum(len(v) for v in out.triples.values())
        print(f"{name:12} {seconds:7.2f} s  {triples:>10,} triples")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'all':12} {total:7.2f} s  peak memory {peak:,.0f} MB (with the records)")
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
