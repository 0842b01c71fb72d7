"""Benchmark of `kg build`: publications per second and peak memory.

Not a test: it prints figures. Runs each configuration in a fresh process so
that peak memory (ru_maxrss of the process and its worker children) is that
of one build.

    python benchmarks/bench_build.py [INPUT ...] [--repeat N]

Without INPUT it builds the shipped samples.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile

_CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from kg.build import build
inputs = [Path(p) for p in json.loads(sys.argv[1])] or None
jobs, validate, out = int(sys.argv[2]), sys.argv[3] == "1", Path(sys.argv[4])
t = time.perf_counter()
result = build(inputs, out, jobs=jobs, validate=validate)
seconds = time.perf_counter() - t
rss = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(json.dumps({"seconds": seconds, "publications": len(result.publications), "files": len(result.files), "peak_mb": rss / 1024}))
"""


def run(inputs: list[str], jobs: int, validate: bool) -> dict:
    with tempfile.TemporaryDirectory() as out:
        proc = subprocess.run(
            [sys.executable, "-c", _CHILD, json.dumps(inputs), str(jobs), "1" if validate else "0", out],
            capture_output=True, text=True, check=True,
        )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="*")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"kg build benchmark: {', '.join(args.inputs) or 'shipped samples'}; best of {args.repeat}")
    print(f"{'configuration':34} {'pubs':>5} {'seconds':>8} {'pubs/s':>8} {'peak MB':>8}")
    for jobs, validate in ((1, False), (1, True), (2, True)):
        runs = [run(args.inputs, jobs, validate) for _ in range(args.repeat)]
        best = min(runs, key=lambda r: r["seconds"])
        label = f"jobs={jobs}, {'with' if validate else 'without'} SHACL"
        print(
            f"{label:34} {best['publications']:>5} {best['seconds']:>8.2f} "
            f"{best['publications'] / best['seconds']:>8.1f} {max(r['peak_mb'] for r in runs):>8.0f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
