"""Benchmark of SHACL validation: publications per second, whole graph
against partitioned (kg.validate.validate_partitioned).

Not a test: it prints figures. The publications are N copies of the corpus
build (or of the shipped samples without ../shared), each copy's identifiers
renamed so that its documents, questions and answers are new nodes while the
people, parties, offices and cited publications stay shared across copies,
as in a real archive. Each configuration runs in a fresh process, so peak
memory (ru_maxrss of the process and its workers) is that of one run.

    python benchmarks/bench_validate.py [--copies N] [--batch-size B] [--skip-whole]
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"

_CHILD = r"""
import json, resource, sys, time
from kg.validate import validate_partitioned, validate_whole
data = json.load(open(sys.argv[1]))
mode, processes, batch = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
chunks = [tuple(c) for c in data["chunks"]]
t = time.perf_counter()
if mode == "whole":
    report = validate_whole(chunks, data["shared"])
else:
    report = validate_partitioned(iter(chunks), data["shared"], processes=processes, batch_size=batch)
seconds = time.perf_counter() - t
rss = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(json.dumps({"seconds": seconds, "results": len(report.violations), "peak_mb": rss / 1024}))
"""


def base_chunks() -> tuple[list[tuple[str, str]], str]:
    from kg.build import build

    inputs = [CORPUS / "docs", CORPUS / "unlabelled"] if (CORPUS / "docs").is_dir() else None
    result = build(inputs, None, jobs=2, validate=False)
    n = len(result.publications)
    chunks = [(p.identifier, c) for p, c in zip(result.publications, result.ntriples)]
    return chunks, (result.ntriples[n] if len(result.ntriples) > n else "")


def renamed(identifier: str, copy: int) -> str:
    """A new identifier of the same scheme for copy ``copy`` (0 keeps it)."""
    if copy == 0:
        return identifier
    m = re.fullmatch(r"(ah-(?:tk|ek)-[0-9]{8}-)([0-9]+)(.*)", identifier)
    if m:
        return f"{m[1]}{copy}{m[2]}{m[3]}"
    m = re.fullmatch(r"kv-tk-([0-9]{4})Z([0-9]{5})(.*)", identifier)
    if m:
        return f"kv-tk-{1000 + copy:04d}Z{m[2]}{m[3]}"
    return f"{identifier}-{copy}"


def copies(chunks: list[tuple[str, str]], n: int) -> list[tuple[str, str]]:
    out = []
    for copy in range(n):
        for identifier, text in chunks:
            new = renamed(identifier, copy)
            pattern = re.compile(r"(?<![0-9A-Za-z])" + re.escape(identifier) + r"(?![0-9])")
            out.append((new, pattern.sub(new, text)))
    return out


def run(data: Path, mode: str, processes: int, batch: int) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, str(data), mode, str(processes), str(batch)],
        capture_output=True, text=True, check=True,
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=10, help="copies of the corpus build (default 10)")
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--skip-whole", action="store_true", help="leave out the whole-graph reference")
    args = parser.parse_args()
    t = time.perf_counter()
    chunks, shared = base_chunks()
    pubs = copies(chunks, args.copies)
    triples = sum(1 for _, text in pubs for ln in text.splitlines() if ln.strip())
    print(f"{len(pubs)} publications ({args.copies} copies of {len(chunks)}), {triples} triples "
          f"(+{len(shared.splitlines())} shared); prepared in {time.perf_counter() - t:.1f} s")
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "chunks.json"
        data.write_text(json.dumps({"chunks": pubs, "shared": shared}), encoding="utf-8")
        configs = [] if args.skip_whole else [("whole graph (pySHACL once)", "whole", 1)]
        configs += [(f"partitioned, {p} process{'es' if p > 1 else ''}", "partitioned", p) for p in (1, 2)]
        print(f"{'configuration':<32} {'seconds':>8} {'pubs/s':>8} {'peak MB':>8} {'results':>8}")
        for name, mode, processes in configs:
            r = run(data, mode, processes, args.batch_size)
            print(f"{name:<32} {r['seconds']:>8.1f} {len(pubs) / r['seconds']:>8.1f} {r['peak_mb']:>8.0f} {r['results']:>8}")


if __name__ == "__main__":
    main()
