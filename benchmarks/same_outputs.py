#!/usr/bin/env python3
"""Prove that a change to the read stage changed no output.

    python benchmarks/same_outputs.py save  DIR [SET ...]   # before the change
    python benchmarks/same_outputs.py check DIR [SET ...]   # after it: exit 1 on any difference

SETs (default: samples corpus in1000): samples (the package's), corpus
(../shared/corpus/docs and unlabelled), in1000 (/tmp/bench/in-1000, made by
``kg synth 1000 --seed 7 --per-folder 1000``), zaken (the Tweede Kamer's
zaken file, 43k publications through the structured reader; minutes).

Each set is built from scratch (``kg build --jobs 2 --no-validate --formats
nt,trig``, a fresh cache) into DIR/SET/; kamervragen.nt, kamervragen.trig and
build-report.json without its timings and memory figures are kept (save) or
compared byte for byte with the saved ones (check).
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SETS = {
    "samples": [],
    "corpus": [SHARED / "corpus" / "docs", SHARED / "corpus" / "unlabelled"],
    "in1000": [Path("/tmp/bench/in-1000")],
    "zaken": [SHARED / "data" / "tk" / "tk-zaken-schriftelijke-vragen.jsonl.xz"],
}
# What differs from run to run by nature, not by what was built.
VOLATILE = {"stages", "stages_cpu", "peak_memory_mb", "peak_worker_memory_mb", "seconds"}
KEPT = ("kamervragen.nt", "kamervragen.trig", "report.json")


def _stable(x: object) -> object:
    if isinstance(x, dict):
        return {k: _stable(v) for k, v in x.items() if k not in VOLATILE}
    if isinstance(x, list):
        return [_stable(v) for v in x]
    return x


def build(name: str, into: Path) -> None:
    into.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="same-outputs-") as tmp:
        out, cache = Path(tmp) / "out", Path(tmp) / "cache"
        kg = Path(sys.executable).with_name("kg")
        cmd = [str(kg), "build", "--jobs", "2", "--no-validate", "--formats", "nt,trig", "--out", str(out), "--cache", str(cache)]
        subprocess.run(cmd + [str(p) for p in SETS[name]], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        for f in ("kamervragen.nt", "kamervragen.trig"):
            shutil.copyfile(out / f, into / f)
        report = json.loads((out / "build-report.json").read_text(encoding="utf-8"))
        (into / "report.json").write_text(json.dumps(_stable(report), indent=1, sort_keys=True), encoding="utf-8")


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] not in ("save", "check"):
        print(__doc__)
        return 2
    mode, root, names = argv[0], Path(argv[1]), argv[2:] or ["samples", "corpus", "in1000"]
    differ = False
    for name in names:
        if mode == "save":
            build(name, root / name)
            print(f"{name}: saved")
            continue
        with tempfile.TemporaryDirectory(prefix="same-outputs-now-") as tmp:
            build(name, Path(tmp))
            bad = [f for f in KEPT if (Path(tmp) / f).read_bytes() != (root / name / f).read_bytes()]
        print(f"{name}: {'DIFFERENT: ' + ', '.join(bad) if bad else 'same'}")
        differ |= bool(bad)
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
