"""Benchmark of the write stage: where ``kg.write.write_build``'s time goes.

Not a test: it prints figures. Builds INPUT once without SHACL and without an
output folder (the spool is kept), then times each part of the write stage
alone (wall and CPU of this process and its finished children): prepare
(merged N-Triples, counts, description), each dump task, the chains, the
manifest; then ``write_build`` as a whole as ``kg build`` runs it, with one
process and with --jobs; then again with the first one's dumps as the
previous build (every graph unchanged: the fragments are copied).
``--incremental`` instead runs ``kg build`` (no SHACL) on a copy of INPUT,
changes one publication's text and builds again: the write stage of each.

    python benchmarks/bench_write.py INPUT [--jobs N] [--incremental]
"""
from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path


def now() -> tuple[float, float]:
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.perf_counter(), own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def timed(label: str, fn):
    w, c = now()
    value = fn()
    w2, c2 = now()
    print(f"{label:40} {w2 - w:8.2f} {c2 - c:8.2f}", flush=True)
    return value


def parts(result, out: Path, jobs: int) -> None:
    from kg.chains import load_chains
    from kg.dumps import FORMATS, dump_tasks, files_for, prepare, run_task
    from kg.iris import IriMinter
    from kg.manifest import write_manifest
    from kg.pictures import write_chain_outputs

    out.mkdir(parents=True, exist_ok=True)
    dumps = timed("prepare", lambda: prepare(result, IriMinter(result.base)))
    print(f"  ({dumps.triples} triples)")
    for task in dump_tasks(files_for(FORMATS)):
        timed(" + ".join(task), lambda task=task: run_task(dumps, out, task))
    chains = timed("chains: read the sorted N-Triples", lambda: load_chains(dumps.ntriples_path))
    timed(f"chains: write all ({len(chains)} chains, 1 process)", lambda: write_chain_outputs(chains, out, "kamervragen.nt", jobs=1))
    names = [p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()]
    timed("manifest, hashing every file", lambda: write_manifest(out, names))


def incremental(source: Path, jobs: int) -> None:
    from kg.build import build

    with tempfile.TemporaryDirectory(dir=str(Path.cwd())) as tmp:
        inputs = Path(tmp) / "in"
        shutil.copytree(source, inputs)
        out = Path(tmp) / "out"
        first = timed("kg build (no SHACL), from scratch", lambda: build([inputs], out, jobs=jobs, validate=False))
        changed = sorted(inputs.rglob("*.txt"))[len(first.publications) // 2]
        text = changed.read_text(encoding="utf-8")
        changed.write_text(text.replace(" de ", " het ", 1), encoding="utf-8")
        again = timed(f"kg build, {changed.name} changed", lambda: build([inputs], out, jobs=jobs, validate=False))
        for label, r in (("from scratch", first), ("one changed", again)):
            print(f"  write stage, {label}: wall {r.stages['write']:.2f} s, CPU {r.stages['cpu']['write']:.2f} s;"
                  f" split {r.stages['split']:.2f} s")
        folder = out / ".cache" / "fragments"
        for idx in sorted(folder.glob("*.fragments.json")):
            data = json.loads(idx.read_text(encoding="utf-8"))
            print(f"  {idx.name}: {data['made']} graphs serialised, {data['reused']} copied")
        chains = folder / "chains.outputs.json"
        if chains.is_file():
            copied = json.loads(chains.read_text(encoding="utf-8"))["copied"]
            print(f"  chain outputs: {'copied whole' if copied else 'made again (unchanged pages copied)'}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="*", type=Path)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--incremental", action="store_true")
    parser.add_argument("--whole-only", action="store_true", help="skip the parts")
    args = parser.parse_args()
    print(f"{'part':40} {'wall s':>8} {'cpu s':>8}")
    if args.incremental:
        incremental(args.inputs[0], args.jobs)
        return 0

    from kg.build import build
    from kg.write import write_build

    result = timed("(build, no SHACL)", lambda: build(args.inputs or None, None, validate=False, jobs=args.jobs))
    print(f"{len(result.publications)} publications")
    with tempfile.TemporaryDirectory(dir=str(Path.cwd())) as tmp:
        out = Path(tmp)
        if not args.whole_only:
            parts(result, out / "parts", args.jobs)
        timed("write_build, 1 process", lambda: write_build(result, out / "one", chains=True, jobs=1))
        index = out / "index"
        timed(f"write_build, {args.jobs} processes", lambda: write_build(result, out / "par", chains=True, jobs=args.jobs, fragments=index))
        timed(f"write_build, {args.jobs} processes, all reused", lambda: write_build(
            result, out / "again", chains=True, jobs=args.jobs, previous=out / "par", fragments=index))
    return 0


if __name__ == "__main__":
    sys.exit(main())
