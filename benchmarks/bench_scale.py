"""Benchmark of the build at scale (issue 7 §4): generated sets of 1k and 10k
publications (127k with --full).

Not a test: it prints figures and writes benchmarks/results.md. For each
size it prints publications/s and peak memory per stage, the store load
rate, every named query's median time on the store, the time of an unchanged
rebuild and of a rebuild after one changed publication, and `kg serve --store`
under 20 concurrent clients running the named queries; at 10k (--plain-at)
also the plain path (parse; one rdflib Graph; pySHACL over the whole graph;
rdflib's Turtle writer) and the ratio.

The publications come from ``kg synth N --seed S --out DIR`` when that
command exists; otherwise the corpus texts (and the shipped samples) are
copied with new numbers (results.md says which).

    python benchmarks/bench_scale.py [--sizes 1000,10000] [--full] [--jobs 2] [--plain-at 10000] [--workdir DIR]

With --workdir the generated inputs stay there and a later run with the same
size and seed uses them again (outputs and store are made anew).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "docs"
KG = [sys.executable, "-c", "import sys; from kg.cli import main; sys.exit(main())"]


# ------------------------------------------------------------------ inputs


def generate(n: int, folder: Path, seed: int) -> str:
    """Write ``n`` publications into ``folder``; return how they were made."""
    folder.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run([*KG, "synth", str(n), "--seed", str(seed), "--out", str(folder), "--per-folder", "1000"],
                          capture_output=True, text=True)
    if proc.returncode == 0:
        return f"kg synth {n} --seed {seed} --per-folder 1000"
    copy_with_new_numbers(n, folder, seed)
    return f"corpus and sample texts copied with new numbers (kg synth unavailable: exit {proc.returncode})"


_AH = re.compile(r"^ah-tk-(\d{8})-(\d+)$")


def _templates() -> list[tuple[str, str, str]]:
    """(text, number as printed, suffix) of every Aanhangsel text the parser reads."""
    from kg.parse import parse
    from kg.read import read

    sources = sorted(p for p in CORPUS.glob("*") if p.suffix in (".txt", ".md", ".html")) if CORPUS.is_dir() else []
    sources += sorted(p for p in (ROOT / "kg" / "samples").glob("*") if p.suffix in (".txt", ".md"))
    out = []
    for path in sources:
        try:
            pub = parse(read(path))
        except Exception:  # noqa: BLE001 - a template that does not parse is left out
            continue
        m = _AH.match(pub.identifier)
        if m and "partial" not in path.name and "excerpt" not in path.name:
            out.append((path.read_text(encoding="utf-8"), m.group(2), path.suffix))
    return out


def copy_with_new_numbers(n: int, folder: Path, seed: int) -> None:
    rng = random.Random(seed)
    templates = _templates()
    folder.mkdir(parents=True, exist_ok=True)
    numbers = rng.sample(range(10_000, 10_000 + 4 * n), n)
    for i, number in enumerate(numbers):
        text, old, suffix = templates[i % len(templates)]
        new = re.sub(rf"(?<!\d){old}(?!\d)", str(number), text)
        year = re.search(r"ah-tk-(\d{8})-" + str(number), new)
        name = f"ah-tk-{year.group(1) if year else 'x'}-{number}{suffix}"
        (folder / name).write_text(new, encoding="utf-8")


# ------------------------------------------------------------------ runs


def kg_build(inputs: Path, out: Path, store: Path, jobs: int) -> tuple[float, dict]:
    started = time.perf_counter()
    proc = subprocess.run([*KG, "build", str(inputs), "--out", str(out), "--store", str(store), "--jobs", str(jobs)],
                          capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"kg build failed ({proc.returncode}): {proc.stderr[-2000:]}")
    report = json.loads((out / "build-report.json").read_text(encoding="utf-8"))
    return seconds, report


def query_medians(store: Path, repeat: int = 5) -> dict[str, float]:
    from kg import query as q
    from kg.store import open_store

    db = open_store(store)
    medians = {}
    for name, named in sorted(q.named_queries().items()):
        times = []
        for _ in range(repeat):
            t = time.perf_counter()
            q.run(named, db)
            times.append(time.perf_counter() - t)
        medians[name] = statistics.median(times)
    return medians


def plain_path(inputs: Path, out: Path) -> dict[str, float]:
    """parse; one rdflib Graph; link; pySHACL over the whole graph; rdflib's Turtle writer."""
    from rdflib import Graph, URIRef

    from kg.build import discover
    from kg.iris import IriMinter
    from kg.link import link
    from kg.mapping import publication_triples
    from kg.parse import parse
    from kg.read import read
    from kg.validate import validate

    times = {}
    t = time.perf_counter()
    files, _ = discover([inputs])
    iris = IriMinter()
    pubs = []
    for path in files:
        try:
            pubs.append(parse(read(path)))
        except Exception:  # noqa: BLE001
            pass
    times["parse"] = time.perf_counter() - t
    t = time.perf_counter()
    graph = Graph()
    for pub in pubs:
        for triple in publication_triples(pub, iris):
            graph.add(triple)
    links, _ = link(pubs, iris)
    renames = {URIRef(str(k)): URIRef(str(v)) for k, v in links.renames.items()}
    for triples in links.triples.values():
        for triple in triples:
            graph.add(triple)
    for old, new in renames.items():
        for s, p, o in list(graph.triples((old, None, None))):
            graph.remove((s, p, o))
            graph.add((new, p, o))
        for s, p, o in list(graph.triples((None, None, old))):
            graph.remove((s, p, o))
            graph.add((s, p, new))
    times["graph"] = time.perf_counter() - t
    t = time.perf_counter()
    validate(graph)
    times["shacl"] = time.perf_counter() - t
    t = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    graph.serialize(out / "plain.ttl", format="turtle")
    times["turtle"] = time.perf_counter() - t
    times["total"] = sum(times.values())
    return times


def serve_load(store: Path, clients: int = 20, requests: int = 400, seconds: float = 90) -> dict:
    """``kg serve --store`` under ``clients`` concurrent clients: the named-query
    mix (answer cache allowed) and the same queries made distinct (no cache)."""
    import asyncio

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import bench_serve

    proc, port = bench_serve.start_server(None, 2, store=store)
    try:
        named = asyncio.run(bench_serve.level("127.0.0.1", port, bench_serve.mix_paths(), clients, requests, seconds, 60, proc.pid))
        uncached = asyncio.run(bench_serve.level("127.0.0.1", port, bench_serve.uncached_paths(requests), clients, requests, seconds, 60, proc.pid))
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
    keep = ("clients", "requests", "seconds", "rps", "p50", "p99", "errors", "dropped", "statuses", "rss")
    return {"named": {k: named[k] for k in keep}, "uncached": {k: uncached[k] for k in keep}}


def run_size(n: int, work: Path, jobs: int, seed: int, plain: bool) -> dict:
    inputs, out, store = work / f"in-{n}", work / f"out-{n}", work / f"store-{n}"
    marker = inputs / ".made-by"
    # Generated inputs are kept in a --workdir and used again when made the same way
    # (127k take minutes to generate); outputs and store always start empty.
    reuse = marker.is_file() and marker.read_text(encoding="utf-8") == f"kg synth {n} --seed {seed} --per-folder 1000"
    for p in (out, store) if reuse else (inputs, out, store):
        shutil.rmtree(p, ignore_errors=True)
    made = marker.read_text(encoding="utf-8") if reuse else generate(n, inputs, seed)
    if not reuse:
        marker.write_text(made, encoding="utf-8")
    if (inputs / "docs").is_dir():  # kg synth: the publications in docs/, their truth in gold/
        inputs = inputs / "docs"
    seconds, report = kg_build(inputs, out, store, jobs)
    stages = report.get("stages", {})
    triples = report["counts"]["triples"]
    pubs = report["counts"]["publications"]
    row = {"size": n, "generator": made, "publications": pubs, "triples": triples, "seconds": seconds,
           "stages": stages, "stages_cpu": report.get("stages_cpu", {}), "stages_memory": report.get("stages_memory_mb", {}),
           "stages_memory_own": report.get("stages_memory_build_process_mb", {}),
           "peak_mb": report.get("peak_memory_mb"),
           "peak_worker_mb": report.get("peak_worker_memory_mb"),
           "write_tasks": report.get("write_tasks", {})}
    row["load_rate"] = triples / stages["load"] if stages.get("load") else None
    row["queries"] = query_medians(store, repeat=3 if n > 20_000 else 5)
    row["serve"] = serve_load(store)
    t = time.perf_counter()
    kg_build(inputs, out, store, jobs)
    row["unchanged"] = time.perf_counter() - t
    files = sorted(p for p in inputs.rglob("*") if p.is_file() and p.suffix in (".txt", ".md", ".html"))
    victim = files[len(files) // 2]
    original = victim.read_text(encoding="utf-8")
    victim.write_text(original.replace("?", "? ", 1), encoding="utf-8")
    try:
        seconds_one, report_one = kg_build(inputs, out, store, jobs)
    finally:
        victim.write_text(original, encoding="utf-8")  # the inputs stay as generated, for the next run
    row["one_changed"] = {"seconds": seconds_one, "stages": report_one.get("stages", {}),
                          "write_tasks": report_one.get("write_tasks", {})}
    if plain:
        row["plain"] = plain_path(inputs, work / f"plain-{n}")
        row["ratio"] = row["plain"]["total"] / seconds
    return row


# ------------------------------------------------------------------ report


def machine() -> dict:
    mem = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 2**20:.1f} GiB"
    except OSError:
        pass
    versions = {}
    for dist in ("rdflib", "pyoxigraph", "pyshacl", "pdfplumber", "lxml", "networkx", "jinja2", "tqdm"):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            pass
    return {"cores": os.cpu_count(), "memory": mem, "python": platform.python_version(), "platform": platform.platform(), "versions": versions}


def render(rows: list[dict], info: dict, jobs: int) -> str:
    lines = ["# Build at scale: measured figures", "",
             "Made by `benchmarks/bench_scale.py`; each figure is one run (read as ratios).", "",
             f"- machine: {info['cores']} cores, {info['memory']}, Python {info['python']} ({info['platform']})",
             "- libraries: " + ", ".join(f"{k} {v}" for k, v in info["versions"].items()),
             f"- `kg build --jobs {jobs}` with validation, all dumps and `--store`", ""]
    for row in rows:
        st = row["stages"]
        lines += [f"## {row['size']:,} publications", "", f"Inputs: {row['generator']}.", "",
                  f"{row['publications']:,} publications, {row['triples']:,} triples, {row['seconds']:.1f} s end to end "
                  f"({row['publications'] / row['seconds']:.0f} publications/s); peak memory of the build and all its "
                  f"processes (PSS): {max(row['stages_memory'].values(), default=0):,.0f} MB; ru_maxrss: build process "
                  f"{row['peak_mb']} MB, largest worker {row['peak_worker_mb']} MB.", "",
                  "| stage | seconds (wall) | CPU seconds | publications/s (wall) | peak MB (PSS, all processes / build process) |",
                  "|---|---|---|---|---|"]
        for stage, seconds in st.items():
            rate = f"{row['publications'] / seconds:,.0f}" if seconds else "-"
            cpu = row["stages_cpu"].get(stage)
            mem, own = row["stages_memory"].get(stage), row.get("stages_memory_own", {}).get(stage)
            lines.append(f"| {stage} | {seconds:.2f} | {f'{cpu:.2f}' if cpu is not None else '-'} | {rate} | "
                         f"{f'{mem:,.0f}' if mem is not None else '-'} / {f'{own:,.0f}' if own is not None else '-'} |")
        for label, tasks in (("write stage", row.get("write_tasks")), ("one changed, write stage", row["one_changed"].get("write_tasks"))):
            if tasks:
                lines += ["", f"{label}, per task: " + "; ".join(
                    f"{name} {t['seconds']:.1f} s" + (f" ({t['cpu_seconds']:.1f} CPU s, peak RSS {t['peak_rss_mb']:,.0f} MB)" if "peak_rss_mb" in t else "")
                    for name, t in tasks.items())]
        lines += ["", f"- store load: {row['load_rate']:,.0f} triples/s" if row["load_rate"] else "- store load: -",
                  f"- unchanged rebuild: {row['unchanged']:.2f} s",
                  f"- one changed publication: {row['one_changed']['seconds']:.2f} s in all "
                  f"(store updated in {row['one_changed']['stages'].get('load', 0):.2f} s, "
                  f"dumps written in {row['one_changed']['stages'].get('write', 0):.2f} s)"]
        if "plain" in row:
            p = row["plain"]
            lines.append(f"- plain path: {p['total']:.1f} s (parse {p['parse']:.1f}, graph {p['graph']:.1f}, "
                         f"pySHACL {p['shacl']:.1f}, Turtle {p['turtle']:.1f}); the build is {row['ratio']:.1f}× faster")
        for workload, r in row.get("serve", {}).items():
            mix = "the named-query mix" if workload == "named" else f"the {workload} named queries"
            lines.append(f"- `kg serve --store`, {r['clients']} concurrent clients, {mix}: "
                         f"{r['requests']} requests in {r['seconds']:.1f} s ({r['rps']:.1f}/s), p50 {r['p50']:.3f} s, "
                         f"p99 {r['p99']:.3f} s, {r['errors']} errors, {r['dropped']} dropped, server RSS {r['rss']:.0f} MB")
        lines += ["", "| named query | median ms |", "|---|---|"]
        lines += [f"| {name} | {t * 1000:.1f} |" for name, t in row["queries"].items()]
        lines.append("")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--full", action="store_true", help="also 127,000 publications (minutes)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--plain-at", type=int, default=10_000, help="run the plain path at this size (0: never)")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--results", type=Path, default=ROOT / "benchmarks" / "results.md")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.full:
        sizes.append(127_000)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="kg-bench-scale-"))
    rows = []
    try:
        for n in sizes:
            row = run_size(n, work, args.jobs, args.seed, plain=n == args.plain_at)
            rows.append(row)
            print(json.dumps(row, indent=1, default=str))
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    text = render(rows, machine(), args.jobs)
    args.results.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
