"""kg.memwatch: the build's memory by stage, sampled from /proc."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from kg.build import build
from kg.memwatch import MemoryWatch, tree_pss_mb

linux = pytest.mark.skipif(not Path("/proc/self/smaps_rollup").exists(), reason="PSS is read from Linux's /proc")


@linux
def test_a_child_process_counts_in_the_tree() -> None:
    import subprocess

    alone = tree_pss_mb()
    # A child that holds 200 MB of its own.
    child = subprocess.Popen([sys.executable, "-c", "import sys, time; b = bytearray(200 * 2**20); b[::4096] = b'x' * len(b[::4096]); print('ok', flush=True); time.sleep(30)"],
                             stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "ok"
        assert tree_pss_mb() >= alone + 150
    finally:
        child.kill()
        child.wait()


@linux
def test_the_watch_keeps_each_stage_s_peak() -> None:
    import time

    with MemoryWatch(interval=0.05) as watch:
        block = bytearray(120 * 2**20)
        block[::4096] = b"x" * len(block[::4096])
        time.sleep(0.3)  # the watch's thread samples it
        del block
        watch.lap("big")
        time.sleep(0.3)
        watch.lap("small")
    assert watch.peaks["big"] >= watch.peaks["small"] + 80
    assert watch.own["big"] <= watch.peaks["big"]


@linux
def test_the_build_report_gives_memory_by_stage(tmp_path: Path) -> None:
    build(None, tmp_path / "out", store=tmp_path / "store")
    report = json.loads((tmp_path / "out" / "build-report.json").read_text(encoding="utf-8"))
    memory, own = report["stages_memory_mb"], report["stages_memory_build_process_mb"]
    assert set(memory) == set(report["stages"]) == {"read", "link", "split", "validate", "write", "load"}
    assert all(0 < own[s] <= memory[s] for s in memory)
    # The loader reports its own peak, not the build's carried over at exec.
    assert 0 < report["store"]["peak_memory_mb"] < 2000


@linux
def test_the_build_report_times_each_dump_in_its_process(tmp_path: Path) -> None:
    build(None, tmp_path / "out", jobs=2, validate=False)
    report = json.loads((tmp_path / "out" / "build-report.json").read_text(encoding="utf-8"))
    tasks = report["write_tasks"]
    # every file written in a process of its own is named once, and the chains (here)
    named = {name for task in tasks for name in task.split(" + ")}
    assert {"kamervragen.ttl", "kamervragen.trig", "kamervragen.nt", "kamervragen.jsonld", "void.ttl", "chains"} <= named
    for name, took in tasks.items():
        assert took["seconds"] >= 0, name
        if name != "chains":
            assert 0 <= took["cpu_seconds"] and 0 < took["peak_rss_mb"] < 4000, name
