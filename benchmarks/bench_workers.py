"""Benchmark of the build's worker pool: start-up cost and the read stage,
workers from a fork server (the build's way) against forks of the build.

Not a test: it prints figures. Each measurement runs in a fresh process, as
`kg build` does, so the fork server's start (and its preloading of the worker
modules) is counted: the pool's start-up (until every worker has run a
trivial job) and, in another process, a build without validation.

    python benchmarks/bench_workers.py [INPUT ...] [--repeat N] [--jobs N]

"read CPU s" is the build report's CPU for the read stage: under fork the
workers' whole lives (their imports too, as RUSAGE_CHILDREN counts them),
under the fork server the CPU of their jobs (the fork server's one-off
preloading of the worker modules, about a second, is not in it).

INPUT: what the read stage reads (default: the shipped samples); for the
figures in benchmarks/results.md, /tmp/bench/in-1000 (`kg synth 1000 --seed 7
--per-folder 1000 --out /tmp/bench/in-1000`).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys

_CHILD = r"""
import json, multiprocessing, sys, time
from pathlib import Path
import kg.build as kb

def main():
    method, jobs, inputs = sys.argv[1], int(sys.argv[2]), [Path(p) for p in json.loads(sys.argv[3])]
    if method == "fork":  # the old way, for comparison
        kb._pool_context = lambda: multiprocessing.get_context("fork")
    if inputs == [Path("-")]:  # start-up: until the pool's workers have all run a first (trivial) job
        t = time.perf_counter()
        with kb._pool(jobs, 0) as pool:
            list(pool.map(time.sleep, [0.2] * jobs))
        print(json.dumps({"startup": time.perf_counter() - t - 0.2}))
        return
    t = time.perf_counter()
    result = kb.build(inputs or None, None, jobs=jobs, validate=False)
    total = time.perf_counter() - t
    print(json.dumps({"read": result.stages["read"], "total": total,
                      "read_cpu": result.stages["cpu"]["read"], "files": len(result.files)}))

if __name__ == "__main__":
    main()
"""


def run(method: str, jobs: int, inputs: list[str]) -> dict:
    proc = subprocess.run([sys.executable, "-c", _CHILD, method, str(jobs), json.dumps(inputs)],
                          capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="*")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    print(f"worker pool benchmark: {', '.join(args.inputs) or 'shipped samples'}; jobs={args.jobs}; "
          f"best of {args.repeat}, the two ways alternating")
    runs: dict[str, list[dict]] = {"fork": [], "forkserver": []}
    for _ in range(args.repeat):
        for method in runs:
            runs[method].append({**run(method, args.jobs, ["-"]), **run(method, args.jobs, args.inputs)})
    print(f"{'workers':12} {'files':>6} {'pool start s':>13} {'read stage s':>13} {'read CPU s':>13} {'build s':>8}")
    for method, rs in runs.items():
        print(f"{method:12} {rs[0]['files']:>6} {min(r['startup'] for r in rs):>13.3f} {min(r['read'] for r in rs):>13.2f} "
              f"{min(r['read_cpu'] for r in rs):>13.2f} {min(r['total'] for r in rs):>8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
