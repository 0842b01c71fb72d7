#!/usr/bin/env python3
"""Build the graph of the Tweede Kamer's zaken file alone, through the
structured reader, the mapping and the link stage, as the build will once it
reads structured inputs (helper E's kg/build.py); prints time per stage,
triples, link figures and peak memory.

    python benchmarks/bench_zaken.py [ZAKEN_FILE] [--out FILE.nt]
"""
from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(path: Path, out: Path | None) -> None:
    from rdflib.plugins.serializers.nt import _nt_row  # rdflib's own N-Triples line

    from kg.iris import IriMinter
    from kg.link import GLOBAL, link, record_of
    from kg.mapping import publication_triples
    from kg.read import read_structured

    iris = IriMinter()
    t0 = time.perf_counter()
    lines: list[str] = []
    records = []
    n = 0
    for pub in read_structured(path):
        n += 1
        records.append(record_of(pub))
        for t in publication_triples(pub, iris):
            lines.append(_nt_row(t).rstrip("\n"))
    t1 = time.perf_counter()
    links, sections = link(records, iris)
    t2 = time.perf_counter()
    renames = {old.n3(): new.n3() for old, new in links.renames.items()}

    def rename(line: str) -> str:
        s, p, rest = line.split(" ", 2)
        s = renames.get(s, s)
        if rest.startswith("<"):
            o, tail = rest.split(" ", 1)
            rest = renames.get(o, o) + " " + tail
        return f"{s} {p} {rest}"

    lines = [rename(x) for x in lines]
    for key, triples in links.triples.items():
        lines.extend(_nt_row(t).rstrip("\n") for t in triples)
    lines = sorted(set(lines))
    t3 = time.perf_counter()
    if out:
        out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    t4 = time.perf_counter()
    people = sections["people"]
    print(json.dumps({
        "zaken": n,
        "triples": len(lines),
        "seconds": {"read_and_map": round(t1 - t0, 1), "link": round(t2 - t1, 1), "rename_and_sort": round(t3 - t2, 1),
                    "write": round(t4 - t3, 1), "total": round(t4 - t0, 1)},
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "people": {k: people[k] for k in ("kamerleden", "mentions", "reconciled", "bewindspersonen", "fracties", "shares")},
        "not_reconciled": len(people["not_reconciled"]),
        "ministers_not_reconciled": len(people["ministers_not_reconciled"]),
    }, indent=1))


if __name__ == "__main__":
    args = sys.argv[1:]
    out = None
    if "--out" in args:
        i = args.index("--out")
        out = Path(args[i + 1])
        del args[i : i + 2]
    main(Path(args[0]) if args else ROOT.parent / "shared" / "data" / "tk" / "tk-zaken-schriftelijke-vragen.jsonl.xz", out)
