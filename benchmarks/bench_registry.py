"""Benchmark of the identifier registry (kg.link.registry): load time, memory,
lookup cost of three representations, and how often a proposed correction is
wrong.

Not a test: it prints figures.

    python benchmarks/bench_registry.py [--sample N] [--seed S]

Representations, each built from the shipped xz file in a fresh process
(peak RSS is that process's ru_maxrss, so it includes the interpreter):

- ``blob``: the decompressed sorted text, binary search over byte offsets
  (what kg uses);
- ``list``: a sorted list of str with ``bisect``;
- ``set``: a set of str.

Correction check: real identifiers drawn from the registry get a simulated
slip (a vergaderjaar whose years do not follow, two adjacent digits swapped,
one digit of the number off; "far": two of these at once, which no
single correction can explain, so any proposal for it is wrong). Slips that land on another existing
identifier cannot be seen and are counted apart; for the rest the proposal
is right, wrong (a false positive) or absent. The citing date is drawn 1 to
24 months after the cited publication's year began, as in real answers.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import subprocess
import sys
import time
from collections import Counter

_CHILD = r"""
import bisect, lzma, resource, sys, time, tracemalloc
from importlib import resources
kind, trace = sys.argv[1], sys.argv[2] == "1"
data = resources.files("kg.link").joinpath("data", "koop-parliamentary-ids.txt.xz").read_bytes()
from kg.link.registry import Registry
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
if trace:
    tracemalloc.start()
t = time.perf_counter()
if kind == "blob":
    reg = Registry.load()
    contains = reg.__contains__
elif kind == "list":
    ids = lzma.decompress(data).decode("ascii").split()
    def contains(k):
        i = bisect.bisect_left(ids, k)
        return i < len(ids) and ids[i] == k
else:
    ids = set(lzma.decompress(data).decode("ascii").split())
    contains = ids.__contains__
load = time.perf_counter() - t
if trace:
    current, peak = tracemalloc.get_traced_memory()
    print(f"{current / 1e6:.1f} {peak / 1e6:.1f}")
    sys.exit()
keys = ["ah-tk-20182019-%d" % n for n in range(1, 5001)] + ["kst-36410-%d" % n for n in range(1, 5001)]
t = time.perf_counter()
hits = sum(1 for k in keys if contains(k))
lookup = (time.perf_counter() - t) / len(keys)
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"{load * 1000:.0f} {(rss - base) / 1024:.1f} {lookup * 1e6:.1f} {hits}")
"""


def representations(repeat: int = 3) -> None:
    print(f"representation: load (best of {repeat} fresh processes), memory held after loading (tracemalloc), "
          "growth of peak RSS, one lookup")
    for kind in ("blob", "list", "set"):
        runs = [subprocess.run([sys.executable, "-c", _CHILD, kind, "0"], check=True, capture_output=True, text=True).stdout.split()
                for _ in range(repeat)]
        load = min(float(r[0]) for r in runs)
        rss = min(float(r[1]) for r in runs)
        lookup = min(float(r[2]) for r in runs)
        held, peak = subprocess.run([sys.executable, "-c", _CHILD, kind, "1"], check=True, capture_output=True, text=True).stdout.split()
        print(f"  {kind:5} load {load:5.0f} ms   held {float(held):5.1f} MB (peak while loading {float(peak):5.1f} MB)   "
              f"peak RSS +{rss:5.1f} MB   lookup {lookup:5.1f} us")


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


# ------------------------------------------------------------------ slips


def _year_slip(ident: str, rng: random.Random) -> str | None:
    m = re.search(r"-(\d{4})(\d{4})-", ident)
    if not m:
        return None
    a, b = int(m.group(1)), int(m.group(2))
    a, b = rng.choice([(a, b + 1), (a, b - 1), (a - 1, b), (a + 1, b)])
    return ident[: m.start(1)] + f"{a}{b}" + ident[m.end(2) :]


def _swap_slip(ident: str, rng: random.Random) -> str | None:
    spots = []
    for run in re.finditer(r"\d{2,}", ident):
        if len(run.group()) in (4, 8) and run.start() in (6, 5, 4) and ident.startswith(("ah-", "h-", "kv-")):
            continue  # years: their slips are the year kind
        spots += [run.start() + i for i in range(len(run.group()) - 1) if ident[run.start() + i] != ident[run.start() + i + 1]]
    if not spots:
        return None
    i = rng.choice(spots)
    return ident[:i] + ident[i + 1] + ident[i] + ident[i + 2 :]


def _digit_slip(ident: str, rng: random.Random) -> str | None:
    from kg.link.registry import scheme_of

    found = scheme_of(ident)
    if not found or not found[1].groupdict().get("num"):
        return None
    m = found[1]
    digits = m.group("num")
    i = rng.randrange(len(digits))
    choices = [d for d in "0123456789" if d != digits[i] and not (i == 0 and d == "0")]
    if not choices:
        return None
    return ident[: m.start("num")] + digits[:i] + rng.choice(choices) + digits[i + 1 :] + ident[m.end("num") :]


def _far_slip(ident: str, rng: random.Random) -> str | None:
    """Two slips at once (two digits off, or a swap and a digit): no single
    evident reading, so every proposal for it is a false positive."""
    first = rng.choice([_digit_slip, _swap_slip])(ident, rng)
    return _digit_slip(first, rng) if first else None


SLIPS = {"year": _year_slip, "swap": _swap_slip, "digit": _digit_slip, "far": _far_slip}


def _citing_date(ident: str, rng: random.Random) -> dt.date | None:
    from kg.link.registry import _year_start, scheme_of

    found = scheme_of(ident)
    year = found[1].groupdict().get("year") if found else None
    if not year:
        return None
    return _year_start(year) + dt.timedelta(days=rng.randint(30, 730))


def corrections(sample: int, seed: int) -> None:
    from kg.link.registry import default_registry

    reg = default_registry()
    rng = random.Random(seed)
    schemes = {"ah-tk": "ah-tk-", "kv-tk": "kv-tk-", "kst": "kst-", "h-tk": "h-tk-"}
    print(f"\nproposed corrections for simulated slips ({sample} identifiers per scheme, seed {seed})")
    print("(+digit: with 'one digit off' proposals allowed in every scheme; kg allows them in DIGIT_SCHEMES only)")
    print(f"{'scheme':6} {'slip':12} {'slipped':>7} {'hidden':>7} {'right':>6} {'WRONG':>6} {'none':>6}  precision  recall")
    mixed: dict[str, Counter[str]] = {}
    for scheme, prefix in schemes.items():
        mixed[scheme] = Counter()
        pool = reg.with_prefix(prefix)
        picked = rng.sample(pool, min(sample, len(pool)))
        for slip_name, slip in SLIPS.items():
            tally: Counter[str] = Counter()
            for ident in picked:
                slipped = slip(ident, rng)
                if slipped is None or slipped == ident:
                    continue
                tally["slipped"] += 1
                if slipped in reg:
                    tally["hidden"] += 1  # lands on another real publication: cannot be seen
                    continue
                on = _citing_date(ident, rng)
                for label, digits in (("", frozenset()), ("+digit", frozenset(schemes))):
                    proposal = reg.proposal(slipped, on, digit_schemes=digits)
                    tally[("none" if proposal is None else "right" if proposal.identifier == ident else "wrong") + label] += 1
            if not tally:
                continue
            seen = tally["slipped"] - tally["hidden"]
            if slip_name != "year":
                mixed[scheme].update(tally)
            for label in ("", "+digit"):
                right, wrong, none = tally["right" + label], tally["wrong" + label], tally["none" + label]
                precision = f"{right / (right + wrong):.3f}" if right + wrong else "-"
                recall = f"{right / seen:.3f}" if seen else "-"
                print(
                    f"{scheme:6} {slip_name + label:12} {tally['slipped']:7} {tally['hidden']:7} {right:6} {wrong:6} "
                    f"{none:6}  {precision:>9}  {recall:>6}"
                )


    print("\nprecision over swap, digit and far slips in equal numbers (a pessimistic mix: a third are two slips at once)")
    for scheme, tally in mixed.items():
        row = []
        for label in ("", "+digit"):
            right, wrong = tally["right" + label], tally["wrong" + label]
            row.append(f"{'as kg' if not label else 'with digit':10} {right / (right + wrong):.3f} ({wrong} wrong of {right + wrong})" if right + wrong else "-")
        print(f"{scheme:6} " + "   ".join(row))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    representations()
    corrections(args.sample, args.seed)


if __name__ == "__main__":
    main()
