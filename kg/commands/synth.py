"""``kg synth``: write N realistic generated publications and their truth."""
from __future__ import annotations

import argparse
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("n", type=int, nargs="?", help="how many publications to write")
    parser.add_argument("--seed", type=int, default=1, help="random seed: the same seed gives the same files (default: 1)")
    parser.add_argument("--out", type=Path, default=Path("synth"), help="output folder (default: synth/): docs/, gold/, synth.json")
    parser.add_argument("--layouts", nargs="+", default=None, metavar="LAYOUT",
                        help="only these layouts (default: every layout, in the proportions of the development corpus); "
                        "see --list-layouts")
    parser.add_argument("--per-folder", type=int, default=0, metavar="K",
                        help="put the publications in numbered subfolders of K files each (default: one folder)")
    parser.add_argument("--variants", nargs="+", default=None, metavar="VARIANT",
                        help="also write these realistic variants that the parser does not read right today "
                        "(off by default; see --list-layouts)")
    parser.add_argument("--list-layouts", action="store_true", help="list the layouts and exit")


def run(args: argparse.Namespace) -> int:
    from kg.errors import UsageError
    from kg.synth import generate
    from kg.synth.layouts import VARIANTS
    from kg.synth.plan import layouts

    if args.list_layouts:
        for lay in layouts().values():
            print(f"{lay.name:22} {lay.kind:11} weight {lay.weight:>4g}  {lay.description}")
        print("variants (off unless named with --variants):")
        for name, text in VARIANTS.items():
            print(f"  {name:20} {text}")
        return 0
    if args.n is None:
        raise UsageError("give the number of publications to write (kg synth N)")
    result = generate(args.n, args.out, seed=args.seed, layouts=args.layouts, per_folder=args.per_folder,
                      variants=args.variants)
    longest = max(result.chains)
    print(f"kg synth: {result.publications} publications in {result.out}/docs, truth in {result.out}/gold "
          f"({result.seconds:.1f} s, {result.publications / max(result.seconds, 1e-9):.0f} publications/s)")
    print("  layouts: " + ", ".join(f"{k} {v}" for k, v in sorted(result.by_layout.items())))
    print(f"  chains: longest {longest}, {sum(v for k, v in result.chains.items() if k >= 5)} of 5 or more, "
          f"{sum(v for k, v in result.chains.items() if k >= 2)} of 2 or more")
    return 0
