"""Benchmark of the store layouts: how fast each loads, how big it is on
disk, and every named query's median over (a) the union of the named graphs
(``use_default_graph_as_union``) and (b) all triples in the default graph.

Not a test: it prints figures. Nothing is written into the given build or
store; stores are loaded into a temporary folder (or ``--tmp``).

    python benchmarks/bench_queries_store.py BUILD_DIR [--store DIR] [--repeat N]
        [--layouts union,default,kg] [--only NAME,...] [--loads]

- ``union``: the store given by --store (copied first: opening a RocksDB
  store writes to it), or BUILD_DIR/kamervragen.trig bulk-loaded; queried over
  the union of its graphs.
- ``default``: BUILD_DIR/kamervragen.nt bulk-loaded into the default graph only.
- ``kg``: the store as ``kg build --store`` loads it (named graphs plus
  the default graph), queried the way ``kg query --store`` does.
- ``--loads``: bulk_load rates of N-Triples, N-Quads and TriG, each in a
  fresh store, and the on-disk sizes.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path


def du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def load(fmt_name: str, source: Path, target: Path) -> tuple[int, float, float]:
    import pyoxigraph as ox

    started, c0 = time.perf_counter(), cpu()
    store = ox.Store(str(target))
    store.bulk_load(path=str(source), format=getattr(ox.RdfFormat, fmt_name))
    store.optimize()
    store.flush()
    n = len(store)
    del store
    return n, time.perf_counter() - started, cpu() - c0


def median_ms(fn, repeat: int, budget: float) -> tuple[float, object]:
    """Median of ``repeat`` runs, fewer when one run already takes ``budget`` s."""
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
        if sum(times) > budget:
            break
    return statistics.median(times) * 1000, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("build_dir", type=Path)
    parser.add_argument("--store", type=Path, default=None, help="an existing kg store (copied, never written)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--budget", type=float, default=20.0, help="seconds per query and layout before fewer runs count")
    parser.add_argument("--layouts", default="union,default,kg")
    parser.add_argument("--only", default="", help="comma-separated query names")
    parser.add_argument("--loads", action="store_true")
    parser.add_argument("--tmp", type=Path, default=None)
    args = parser.parse_args()

    import pyoxigraph as ox

    from kg import query as q

    names = [n for n in q.named_queries() if not args.only or n in args.only.split(",")]
    layouts = [x for x in args.layouts.split(",") if x]
    tmp = Path(tempfile.mkdtemp(prefix="bench-store-", dir=args.tmp))
    try:
        nt, trig = args.build_dir / "kamervragen.nt", args.build_dir / "kamervragen.trig"
        print(f"store benchmark: {args.build_dir}; median of up to {args.repeat} runs after a warm-up")
        if args.loads:
            nq = tmp / "kamervragen.nq"
            started = time.perf_counter()
            with nq.open("wb") as fh:
                ox.serialize(ox.parse(path=str(trig), format=ox.RdfFormat.TRIG), fh, format=ox.RdfFormat.N_QUADS)
            print(f"  (TriG -> N-Quads for the test: {time.perf_counter() - started:.1f} s)")
            for fmt, src in (("N_TRIPLES", nt), ("N_QUADS", nq), ("TRIG", trig)):
                target = tmp / f"load-{fmt}"
                n, wall, c = load(fmt, src, target)
                print(f"  bulk_load {fmt:9}: {n:>10,} quads in {wall:6.1f} s wall, {c:6.1f} s CPU: "
                      f"{n / wall:>9,.0f} quads/s; on disk {du(target) / 2**20:,.0f} MiB")
                shutil.rmtree(target)
            nq.unlink()

        stores: dict[str, tuple[object, dict]] = {}
        if "union" in layouts:
            target = tmp / "union"
            if args.store is not None:
                shutil.copytree(args.store, target)
            else:
                load("TRIG", trig, target)
            stores["union"] = (ox.Store.read_only(str(target)), {"use_default_graph_as_union": True})
            print(f"  union store: {du(target) / 2**20:,.0f} MiB on disk")
        if "default" in layouts:
            target = tmp / "default"
            n, wall, c = load("N_TRIPLES", nt, target)
            stores["default"] = (ox.Store.read_only(str(target)), {})
            print(f"  default-graph store: {n:,} triples loaded in {wall:.1f} s; {du(target) / 2**20:,.0f} MiB on disk")
        if "kg" in layouts:
            target = tmp / "kg"
            started = time.perf_counter()
            from kg.iris import IriMinter
            from kg.store import load_files, open_store

            # As kg build loads a store: the TriG (its default graph, the
            # description, into the description graph), then the N-Triples
            # (the publication and shared graphs) into the default graph.
            info: dict = {}
            load_files(target, [(trig, "TRIG", str(IriMinter().description_graph())), (nt, "N_TRIPLES", None)],
                       lenient=True, info=info)
            wall = time.perf_counter() - started
            print(f"  kg store (a child process): {info['quads']:,} quads in {wall:.1f} s wall, {info['cpu_seconds']:.1f} s CPU "
                  f"({info['quads'] / wall:,.0f} quads/s), child peak {info['peak_memory_mb']:,.0f} MB; {du(target) / 2**20:,.0f} MiB on disk")
            stores["kg"] = (open_store(target), None)

        print(f"{'query':36} {'rows':>6} " + " ".join(f"{k + ' ms':>12}" for k in stores))
        for name in names:
            named = q.named_queries()[name]
            text = named.render()
            cells, rows = [], set()
            for layout, (store, options) in stores.items():
                if options is None:  # as kg query --store runs it
                    fn = lambda store=store: q.run(named, store).rows  # noqa: E731
                else:
                    fn = lambda store=store, options=options: [tuple(map(str, s)) for s in store.query(text, **options)]  # noqa: E731
                fn()  # warm-up
                ms, result = median_ms(fn, args.repeat, args.budget)
                cells.append(ms)
                rows.add(len(result))
            flag = "" if len(rows) == 1 else f"  ROW COUNTS DIFFER {sorted(rows)}"
            print(f"{name:36} {min(rows):>6} " + " ".join(f"{c:>12.1f}" for c in cells) + flag, flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
