"""Benchmark of the SHACL engines of ``kg build --shacl``: sparql (the shapes
compiled to SPARQL over Oxigraph), partitioned (pySHACL in batches) and
pyshacl (one run over the whole graph).

Not a test: it prints figures. The input is a built output folder (its
kamervragen.trig: one named graph per publication plus the shared graph, the
chunks the build validates). Each engine runs in a fresh process: wall and
CPU seconds (the process and its workers), peak memory (ru_maxrss of the
process and of its largest worker), and for sparql the store load inside it.

    python benchmarks/bench_validate_engines.py OUT_DIR [--engines sparql,partitioned,pyshacl] [--jobs 2] [--disk]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

_CHILD = r"""
import json, resource, sys, time, tempfile
import pyoxigraph as ox
from kg.iris import IriMinter
trig, engine, jobs, disk = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == "1"
iris = IriMinter()
graph_base, shared_iri = str(iris.graph("")), str(iris.shared_graph())
lines = {}
for q in ox.parse(path=trig, format=ox.RdfFormat.TRIG):
    if isinstance(q.graph_name, ox.NamedNode):
        lines.setdefault(q.graph_name.value, []).append(f"{q.subject} {q.predicate} {q.object} .")
shared = "".join(l + "\n" for l in lines.pop(shared_iri, []))
chunks = [(g[len(graph_base):], "".join(l + "\n" for l in v)) for g, v in sorted(lines.items())]
del lines
import kg.validate_sparql as vs
load = {}
original = vs.store_from_texts
def timed(*a, **k):
    t, c = time.perf_counter(), time.process_time()
    r = original(*a, **k)
    load["wall"], load["cpu"] = time.perf_counter() - t, time.process_time() - c
    return r
vs.store_from_texts = timed
from kg.validate import validate_chunks
scratch = tempfile.mkdtemp() if disk else None
t, c = time.perf_counter(), time.process_time()
report = validate_chunks(iter(chunks), shared, engine=engine, processes=jobs, store_dir=scratch)
wall, cpu = time.perf_counter() - t, time.process_time() - c
ch = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"engine": engine, "wall": wall, "cpu": cpu + ch.ru_utime + ch.ru_stime, "results": len(report.violations),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "worker_peak_mb": ch.ru_maxrss / 1024,
                  "load": load, "publications": len(chunks)}))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path, help="a built output folder (with kamervragen.trig)")
    ap.add_argument("--engines", default="sparql,partitioned,pyshacl")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--disk", action="store_true", help="the sparql engine's store on disk (as the build does above 512 MB of chunks)")
    args = ap.parse_args()
    trig = args.out / "kamervragen.trig"
    for engine in args.engines.split(","):
        done = subprocess.run([sys.executable, "-c", _CHILD, str(trig), engine, str(args.jobs), "1" if args.disk else "0"],
                              capture_output=True, text=True, check=True)
        row = json.loads(done.stdout.strip().splitlines()[-1])
        load = f", store load {row['load']['wall']:.1f} s wall / {row['load']['cpu']:.1f} s CPU" if row["load"] else ""
        print(f"{engine:12s} {row['publications']} publications: {row['wall']:.1f} s wall, {row['cpu']:.1f} s CPU, "
              f"{row['results']} results, peak {row['peak_mb']:.0f} MB (largest worker {row['worker_peak_mb']:.0f} MB){load}",
              flush=True)


if __name__ == "__main__":
    main()
