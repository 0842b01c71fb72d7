#!/usr/bin/env python3
"""Fuzz the parser with mutated real publications; print crashes and hangs.

Takes the texts of the development corpus (../shared/corpus/docs, the PDFs as
pdfminer extracts them) and the samples shipped in kg/samples, and parses N
mutations of them: lines deleted, headings swapped or moved, random bytes
inserted, the text truncated at a tenth, line breaks lost, a line repeated.
Each parse must end within the time limit (CPU seconds of its own process,
so that a busy machine does not turn a slow parse into a "hang"), either with
a Publication or with a kg.errors.KgError; anything else is a crash.

    python scripts/fuzz_parser.py [--n 10000] [--seed 0] [--jobs 2] [--timeout 10]
    python scripts/fuzz_parser.py --replay 1234 --out case.txt   # write one case's input

Mutation i is fully determined by --seed and i, so a crash is reproduced
with --replay i. Exit status 1 when there was any crash or hang.
"""
from __future__ import annotations

import argparse
import collections
import multiprocessing
import random
import re
import signal
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
HEADING = re.compile(r"^\s*(?:Vraag|Vragen|Antwoord(?:en)?|Mededeling|Toelichting|Zie ook|Mondelinge vragen|\d{1,2}[.)]?\s*$)")
# Characters that trouble text handling: NUL and controls, bidi and
# zero-width marks, a BOM, combining accents, replacement and odd dashes.
ODD = "\x00\x01\x07\x08\x0b\x0c\x1b\x7f\u0085\u00a0\u00ad\u200b\u200e\u202e\u2028\u2029\ufeff\ufffd\u0301\u0308–—«»“”’()[]^?:;,.-/\\"


def load_texts() -> list[tuple[str, str, str]]:
    """(name, format, text) of every text the fuzzer mutates."""
    sys.path.insert(0, str(ROOT))
    from kg.read import read

    out: list[tuple[str, str, str]] = []
    paths = sorted((ROOT / "kg" / "samples").iterdir())
    if (CORPUS / "docs").is_dir():
        paths += sorted((CORPUS / "docs").iterdir()) + sorted((CORPUS / "unlabelled").glob("*.pdf"))
    for path in paths:
        if path.suffix in (".txt", ".md"):
            source = read(path)
            out.append((path.name, source.format, source.text))
        elif path.suffix == ".pdf":
            from pdfminer.high_level import extract_text

            out.append((path.with_suffix(".txt").name, "text", extract_text(str(path))))
    return out


# ------------------------------------------------------------- mutations


def _delete_lines(text: str, rng: random.Random) -> tuple[str, str]:
    lines = text.split("\n")
    if rng.random() < 0.5:
        drop = set(rng.sample(range(len(lines)), min(len(lines), rng.randint(1, 6))))
        return "\n".join(ln for i, ln in enumerate(lines) if i not in drop), f"delete lines {sorted(drop)[:6]}"
    a = rng.randrange(len(lines))
    b = min(len(lines), a + rng.randint(1, 40))
    return "\n".join(lines[:a] + lines[b:]), f"delete lines {a}-{b}"


def _swap_headings(text: str, rng: random.Random) -> tuple[str, str]:
    lines = text.split("\n")
    heads = [i for i, ln in enumerate(lines) if HEADING.match(ln)]
    if len(heads) < 2:
        return text, "swap: too few headings"
    a, b = rng.sample(heads, 2)
    if rng.random() < 0.5:
        lines[a], lines[b] = lines[b], lines[a]
        return "\n".join(lines), f"swap headings {a}<->{b}"
    moved = lines.pop(a)
    lines.insert(rng.randrange(len(lines) + 1), moved)
    return "\n".join(lines), f"move heading {a}"


def _insert_bytes(text: str, rng: random.Random) -> tuple[str, str]:
    pieces = []
    for _ in range(rng.randint(1, 8)):
        pos = rng.randrange(len(text) + 1)
        if rng.random() < 0.5:
            junk = bytes(rng.randrange(256) for _ in range(rng.randint(1, 12))).decode("cp1252", errors="replace")
        else:
            junk = "".join(rng.choice(ODD) for _ in range(rng.randint(1, 12)))
        text = text[:pos] + junk + text[pos:]
        pieces.append(pos)
    return text, f"insert bytes at {pieces}"


def _truncate(text: str, rng: random.Random) -> tuple[str, str]:
    tenth = rng.randint(1, 9)
    return text[: len(text) * tenth // 10], f"truncate at {tenth}/10"


def _lose_breaks(text: str, rng: random.Random) -> tuple[str, str]:
    if rng.random() < 0.2:
        return re.sub(r"\s+", " ", text), "flatten"
    lines = text.split("\n")
    keep = rng.random()
    out = [lines[0]]
    for ln in lines[1:]:
        if rng.random() > keep:
            out[-1] += ln
        else:
            out.append(ln)
    return "\n".join(out), f"lose line breaks (keep {keep:.2f})"


def _repeat(text: str, rng: random.Random) -> tuple[str, str]:
    lines = text.split("\n")
    i = rng.randrange(len(lines))
    times = rng.choice((2, 10, 200))
    return "\n".join(lines[:i] + [lines[i]] * times + lines[i + 1 :]), f"repeat line {i} x{times}"


MUTATIONS = (_delete_lines, _swap_headings, _insert_bytes, _truncate, _lose_breaks, _repeat)


def mutate(texts: list[tuple[str, str, str]], seed: int, i: int) -> tuple[str, str, str, str]:
    """(name, format, mutated text, description) of case i."""
    rng = random.Random(seed * 1_000_003 + i)
    name, fmt, text = texts[rng.randrange(len(texts))]
    steps = []
    for _ in range(rng.randint(1, 3)):
        if not text:
            break
        text, what = rng.choice(MUTATIONS)(text, rng)
        steps.append(what)
    return name, fmt, text, "; ".join(steps)


# ------------------------------------------------------------------- run

_TEXTS: list[tuple[str, str, str]] = []


class Hang(Exception):
    pass


def _alarm(signum, frame):  # noqa: ANN001 - signal handler signature
    raise Hang()


def _init(texts: list[tuple[str, str, str]], timeout: int) -> None:
    global _TEXTS, _TIMEOUT
    _TEXTS, _TIMEOUT = texts, timeout
    signal.signal(signal.SIGPROF, _alarm)


_TIMEOUT = 10


def run_case(args: tuple[int, int]) -> tuple[int, str, str, str, float]:
    """(i, outcome, detail, description, seconds); outcome ok|kgerror|crash|hang."""
    from kg.errors import KgError
    from kg.model import SourceText
    from kg.parse import parse

    seed, i = args
    name, fmt, text, what = mutate(_TEXTS, seed, i)
    source = SourceText(path=Path(name), format=fmt, text=text, sha256="0" * 64)
    start = time.process_time()
    signal.setitimer(signal.ITIMER_PROF, _TIMEOUT)  # CPU time of this process
    try:
        parse(source)
        outcome, detail = "ok", ""
    except KgError:
        outcome, detail = "kgerror", ""
    except Hang:
        outcome, detail = "hang", f"over {_TIMEOUT} CPU s"
    except Exception as exc:  # noqa: BLE001 - any other exception is what we look for
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        outcome, detail = "crash", f"{type(exc).__name__}: {exc} at {Path(frame.filename).name}:{frame.lineno}"
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
    return i, outcome, detail, f"{name}: {what}", time.process_time() - start


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=10_000, help="number of mutated inputs (default 10000)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=int, default=10, help="CPU seconds before a parse counts as a hang")
    ap.add_argument("--replay", type=int, help="write case REPLAY's input to --out and parse it once")
    ap.add_argument("--out", type=Path, default=Path("fuzz-case.txt"))
    args = ap.parse_args(argv)

    texts = load_texts()
    if args.replay is not None:
        name, fmt, text, what = mutate(texts, args.seed, args.replay)
        args.out.write_text(text, encoding="utf-8", errors="surrogatepass")
        print(f"case {args.replay}: {name} ({fmt}): {what} -> {args.out}")
        _init(texts, args.timeout)
        print(run_case((args.seed, args.replay))[1:3])
        return 0

    start = time.perf_counter()
    counts: collections.Counter[str] = collections.Counter()
    problems: dict[str, list[tuple[int, str]]] = collections.defaultdict(list)
    slowest: list[tuple[float, int, str]] = []
    with multiprocessing.Pool(args.jobs, initializer=_init, initargs=(texts, args.timeout)) as pool:
        for i, outcome, detail, what, secs in pool.imap_unordered(run_case, ((args.seed, i) for i in range(args.n)), chunksize=20):
            counts[outcome] += 1
            if outcome in ("crash", "hang"):
                problems[f"{outcome}: {detail}"].append((i, what))
            slowest = sorted(slowest + [(secs, i, what)], reverse=True)[:3]
    elapsed = time.perf_counter() - start
    print(f"fuzz_parser: {args.n} mutated inputs from {len(texts)} texts, seed {args.seed}, {args.jobs} jobs, {elapsed:.1f} s")
    print(f"  parsed {counts['ok']}, refused with KgError {counts['kgerror']}, crashes {counts['crash']}, hangs {counts['hang']}")
    for secs, i, what in slowest:
        print(f"  slow: case {i} {secs:.2f} s ({what})")
    for problem, cases in sorted(problems.items(), key=lambda kv: -len(kv[1])):
        print(f"  {len(cases)} x {problem}")
        for i, what in cases[:3]:
            print(f"      case {i}: {what}  (replay: --seed {args.seed} --replay {i})")
    return 1 if counts["crash"] or counts["hang"] else 0


if __name__ == "__main__":
    sys.exit(main())
