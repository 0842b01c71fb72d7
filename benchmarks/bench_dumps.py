"""Benchmark of the dumps: the time and size of each dump of a build.

Not a test: it prints figures. Builds the inputs once (without SHACL), then
times the preparation (named graphs, dataset description, JSON-LD context)
and every writer of ``kg.dumps.DUMP_WRITERS``, best of --repeat, and prints
each file's size. ``--scale N`` repeats the build's publications N times
under renamed IRIs, to see how the writers grow with the graph.
The JSON-LD writer is also timed alone, fed the named graphs as the one-shot
iterator a build gives it, with its rate in triples/s.
``--compare-jsonld`` also times the JSON-LD routes not taken: pyoxigraph's
own JSON-LD (expanded, it writes no context) and, where pyld is installed,
pyld's compaction with the same context.

    python benchmarks/bench_dumps.py [INPUT ...] [--scale N] [--repeat N] [--compare-jsonld]

Without INPUT it builds the shipped samples.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

_OURS = re.compile(r"<(https://(?:w3id\.org/kamervragen/id|zoek\.officielebekendmakingen\.nl)/[^>]*)>")


def scaled(result, n: int):
    """The build's publications n times, each copy's IRIs renamed (a new spool)."""
    if n <= 1:
        return result
    from kg.build import Spool

    graphs = list(result.spool.graphs())
    spool = Spool(None)
    publications = []
    for k in range(n):
        for pub in result.publications:
            publications.append(dataclasses.replace(pub, identifier=f"{pub.identifier}-r{k}"))
    rename = lambda lines, k: sorted(_OURS.sub(lambda m: f"<{m[1]}-r{k}>", ln) for ln in lines)  # noqa: E731
    shared = sorted(ln for k in range(n) for ident, lines in graphs if not ident for ln in rename(lines, k))
    for ident, lines in sorted(((f"{i}-r{k}", rename(ls, k)) for k in range(n) for i, ls in graphs if i), key=lambda g: g[0]):
        spool.add_graph(ident, lines)
    spool.add_graph("", shared)
    spool.close()
    return dataclasses.replace(result, publications=sorted(publications, key=lambda p: p.identifier), spool=spool, dumps=None)


def best_of(repeat: int, fn) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def jsonld_rate(graphs: list, context: dict, out: Path, repeat: int) -> None:
    """The JSON-LD writer alone, fed the named graphs as a one-shot iterator
    (as a build gives them): seconds, triples/s and publications/s."""
    from types import SimpleNamespace

    from kg.dumps.jsonld import write_jsonld

    triples = sum(len(g.lines) for g in graphs)
    seconds = best_of(repeat, lambda: write_jsonld(SimpleNamespace(graphs=iter(graphs), context=context), out / "stream.jsonld"))
    print(
        f"{'  JSON-LD writer, streamed':34} {seconds:>8.2f} {(out / 'stream.jsonld').stat().st_size / 1e6:>9.2f}"
        f"   {triples / seconds:,.0f} triples/s, {len(graphs) / seconds:,.0f} graphs/s"
    )


def compare_jsonld(graphs: list, context: dict, out: Path, repeat: int) -> None:
    import pyoxigraph as ox

    nt = "".join(line + "\n" for g in graphs for line in g.lines)

    def oxigraph_expanded() -> None:
        ox.serialize(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES), str(out / "oxigraph.jsonld"), format=ox.RdfFormat.JSON_LD)

    seconds = best_of(repeat, oxigraph_expanded)
    print(f"{'  pyoxigraph JSON-LD (expanded)':34} {seconds:>8.2f} {(out / 'oxigraph.jsonld').stat().st_size / 1e6:>9.2f}")
    try:
        from pyld import jsonld
    except ImportError:
        print("  pyld: not installed (pip install pyld to compare)")
        return

    def pyld_compact() -> None:
        expanded = json.loads(ox.serialize(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.JSON_LD))
        data = jsonld.compact(expanded, {"@context": context})
        (out / "pyld.jsonld").write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True), encoding="utf-8")

    seconds = best_of(repeat, pyld_compact)
    print(f"{'  pyld compaction':34} {seconds:>8.2f} {(out / 'pyld.jsonld').stat().st_size / 1e6:>9.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="*", type=Path)
    parser.add_argument("--scale", type=int, default=1, help="repeat the publications N times under new IRIs")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--compare-jsonld", action="store_true")
    args = parser.parse_args()

    from kg.build import build
    from kg.dumps import DUMP_WRITERS, prepare, writer
    from kg.iris import IriMinter

    result = scaled(build(args.inputs or None, None, validate=False), args.scale)
    iris = IriMinter()
    holder: dict = {}
    prep = best_of(args.repeat, lambda: holder.update(dumps=prepare(result, iris)))
    dumps = holder["dumps"]
    graphs = list(dumps.graphs)  # kept for the writers timed alone below; a build streams them once
    print(
        f"kg dumps benchmark: {', '.join(map(str, args.inputs)) or 'shipped samples'} x{args.scale}: "
        f"{len(result.publications)} publications, {dumps.triples} triples, {len(graphs)} named graphs; best of {args.repeat}"
    )
    print(f"{'dump':34} {'seconds':>8} {'MB':>9}")
    print(f"{'(prepare: graphs, description)':34} {prep:>8.2f}")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        total = prep
        for name in DUMP_WRITERS:
            seconds = best_of(args.repeat, lambda name=name: writer(name)(dumps, out / name))
            total += seconds
            print(f"{name:34} {seconds:>8.2f} {(out / name).stat().st_size / 1e6:>9.2f}")
        print(f"{'all dumps':34} {total:>8.2f}")
        jsonld_rate(graphs, dumps.context, out, args.repeat)
        if args.compare_jsonld:
            compare_jsonld(graphs, dumps.context, out, args.repeat)
    print(f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
