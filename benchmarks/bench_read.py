"""The read stage per publication, per layout, in one process.

    python benchmarks/bench_read.py /tmp/bench/in-1000 [--repeat 2] [--profile N]

For each input file of a ``kg synth`` folder (the layout is taken from its
gold record's notes), in this one process: the worker's share (read, parse,
map, pack the lines, pickle the outcome: ``kg.build._work``), and the main
process's share of the build's read stage (unpickle the outcome, store it in
the build cache, one commit per batch as ``kg.build._build`` does). Prints
CPU milliseconds per publication per layout (best of ``--repeat`` passes, so
that the figures are for warm code). ``--profile N`` prints the N most
expensive functions (cProfile, cumulative) of one pass instead.

CPU time (time.process_time) is what is printed: on a machine shared with
other work the wall clock says more about the others than about kg.
"""
from __future__ import annotations

import argparse
import json
import pickle
import re
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

_LAYOUT = re.compile(r"layout (\S+)")


def layouts_of(folder: Path) -> dict[str, str]:
    """relative file path -> layout, from the gold records' notes."""
    out: dict[str, str] = {}
    for g in sorted((folder / "gold").glob("*.json")):
        rec = json.loads(g.read_text(encoding="utf-8"))
        m = _LAYOUT.search(rec.get("notes", ""))
        out[rec["file"]] = m.group(1) if m else "?"
    return out


def one_pass(folder: Path, files: list[tuple[Path, str]], cache_dir: Path) -> dict[str, list[float]]:
    """layout -> [worker seconds, main seconds, publications] summed over its files."""
    from kg.build import FILE_TIME_CAP, FileOutcome, PublicationOut, _work
    from kg.cache import BuildCache, config_key
    from kg.iris import DEFAULT_BASE

    config = config_key(DEFAULT_BASE)
    db = BuildCache(cache_dir / f"cache-{time.monotonic_ns()}.sqlite")
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
    clock = time.process_time
    db.begin()
    for n, (path, layout) in enumerate(files):
        t0 = clock()
        blob = _work((str(path), DEFAULT_BASE, FILE_TIME_CAP))
        t1 = clock()
        # What kg.build._build's on_done does with it.
        outcome = pickle.loads(blob)
        light = FileOutcome(outcome.result, outcome.sha256, [PublicationOut(o.info, b"", b"", o.foreign_subjects) for o in outcome.publications])
        db.begin()
        db.store_outcome(f"{outcome.sha256}:{path.name}", config, light, [(o.lines, o.record) for o in outcome.publications])
        if n % 200 == 0:
            db.end()
        t2 = clock()
        s = sums[layout]
        s[0] += t1 - t0
        s[1] += t2 - t1
        s[2] += len(outcome.publications)
    t0 = clock()
    db.end()
    db.close()
    sums["(final commit)"][1] += clock() - t0
    return sums


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--profile", type=int, default=0, help="print the N most expensive functions of one pass")
    ap.add_argument("--layout", help="only this layout")
    ap.add_argument('--dump', help='write the profile to this file')
    args = ap.parse_args()
    layouts = layouts_of(args.folder)
    files = [(args.folder / rel, lay) for rel, lay in sorted(layouts.items()) if not args.layout or lay == args.layout]
    with tempfile.TemporaryDirectory(prefix="bench-read-") as tmp:
        if args.profile:
            import cProfile
            import pstats

            one_pass(args.folder, files[:50], Path(tmp))  # warm up: imports, lexicons
            prof = cProfile.Profile()
            prof.enable()
            one_pass(args.folder, files, Path(tmp))
            prof.disable()
            if args.dump:
                prof.dump_stats(args.dump)
            stats = pstats.Stats(prof, stream=sys.stdout)
            stats.sort_stats("tottime").print_stats(args.profile)
            stats.sort_stats("cumulative").print_stats(args.profile)
            return
        best: dict[str, list[float]] = {}
        for _ in range(args.repeat):
            sums = one_pass(args.folder, files, Path(tmp))
            for layout, s in sums.items():
                if layout not in best or s[0] + s[1] < best[layout][0] + best[layout][1]:
                    best[layout] = s
    total = [0.0, 0.0, 0]
    print(f"{'layout':<22} {'pubs':>5} {'worker ms/pub':>14} {'main ms/pub':>12} {'total ms/pub':>13}")
    for layout in sorted(best):
        w, m, n = best[layout]
        total[0] += w
        total[1] += m
        total[2] += n
        if n:
            print(f"{layout:<22} {n:>5} {1000 * w / n:>14.2f} {1000 * m / n:>12.2f} {1000 * (w + m) / n:>13.2f}")
    w, m, n = total
    print(f"{'all':<22} {n:>5} {1000 * w / n:>14.2f} {1000 * m / n:>12.2f} {1000 * (w + m) / n:>13.2f}")
    print(f"(CPU seconds: worker {w:.2f}, main {m:.2f}; final commit included in main)")


if __name__ == "__main__":
    main()
