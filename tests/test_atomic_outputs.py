"""Never lose the last good build (issue 10 #7, #8): a build killed at any
moment leaves the old build's outputs or the new one's, whole; a build that
built nothing replaces nothing; readers refuse a damaged output set."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.build import build
from kg.cli import EXIT_NOTHING_BUILT, main
from kg.errors import KgError
from kg.manifest import MANIFEST, read_manifest, verify
from kg.store import open_store

# The dumps are byte-identical build after build; the reports carry timings.
TIMES: dict[str, float] = {}
DUMPS = ("kamervragen.nt", "kamervragen.ttl", "kamervragen.trig", "kamervragen.jsonld", "void.ttl", "ontology.ttl")


def _snapshot(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in DUMPS if (out / name).is_file()}


def _kg(*args: str) -> list[str]:
    return [sys.executable, "-c", "import sys; from kg.cli import main; sys.exit(main())", *args]


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory, samples):
    """Inputs of an old and a new build, and the outputs of each, built whole."""
    root = tmp_path_factory.mktemp("atomic")
    old_in, new_in = root / "old-in", root / "new-in"
    old_in.mkdir()
    for name in ("ah-tk-20182019-3878.txt", "kv-tk-2024Z18659.txt"):
        shutil.copy(samples / name, old_in / name)
    shutil.copytree(samples, new_in, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    old_out, new_out = root / "old-out", root / "new-out"
    assert subprocess.run(_kg("build", str(old_in), "--out", str(old_out), "--jobs", "2"), capture_output=True).returncode == 0
    started = time.monotonic()
    assert subprocess.run(_kg("build", str(new_in), "--out", str(new_out), "--jobs", "2"), capture_output=True).returncode == 0
    TIMES["new build"] = time.monotonic() - started  # how long the new build takes, start to end
    return root, old_in, new_in, old_out, new_out


def test_kill_9_at_any_moment_leaves_the_old_or_the_new_build(two_builds):
    root, _old_in, new_in, old_out, new_out = two_builds
    old, new = _snapshot(old_out), _snapshot(new_out)
    assert old != new and set(old) == set(new) == set(DUMPS)
    out = root / "out"
    outcomes = []
    # Spread over a build's life (as long as the fixture's build took):
    # start-up, reading, linking, validation, writing, the switch; the last
    # one is never killed.
    whole = TIMES["new build"]
    delays = [round(whole * k / 14, 2) for k in range(1, 16)] + [None]
    for n, delay in enumerate(delays):
        if out.exists():
            shutil.rmtree(out)
        shutil.copytree(old_out, out)
        cache = root / f"cache-{n}"  # a cold cache each time, so that the phases come at the same times
        proc = subprocess.Popen(_kg("build", str(new_in), "--out", str(out), "--cache", str(cache), "--jobs", "2"),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        if delay is None:
            assert proc.wait(timeout=300) == 0
        else:
            time.sleep(delay)
            os.killpg(proc.pid, signal.SIGKILL)  # the build and its workers, as a crash would
            proc.wait(timeout=60)
        manifest = read_manifest(out) or {}
        verify(out, list(manifest.get("files", {})))  # whole, or finished by the reader
        manifest = read_manifest(out)
        verify(out, list(manifest["files"]))
        state = _snapshot(out)
        assert state in (old, new), f"kill after {delay} s left a mix"
        outcomes.append("old" if state == old else "new")
    assert outcomes[0] == "old" and outcomes[-1] == "new", outcomes
    print("kill outcomes:", list(zip(delays, outcomes)))


def test_verify_names_a_cut_short_file(two_builds, tmp_path):
    _root, _old_in, _new_in, old_out, _new_out = two_builds
    out = tmp_path / "out"
    shutil.copytree(old_out, out)
    verify(out, ["kamervragen.nt", "kamervragen.ttl"])
    nt = out / "kamervragen.nt"
    nt.write_bytes(nt.read_bytes()[: nt.stat().st_size // 2])
    with pytest.raises(KgError, match="kamervragen.nt"):
        verify(out, ["kamervragen.nt"])
    # kg query refuses it too, instead of answering from half a graph
    assert main(["query", "late-answers", "--graph", str(nt)]) == 2


def test_a_build_in_which_everything_failed_replaces_nothing(samples, tmp_path, capsys):
    out, store = tmp_path / "out", tmp_path / "store"
    build([samples / "ah-tk-20182019-3878.txt"], out, store=store, validate=True)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    quads = len(open_store(store))
    bad = tmp_path / "bad.txt"
    bad.write_text("Neem 200 gram bloem.\n", encoding="utf-8")
    assert main(["build", str(bad), "--out", str(out), "--store", str(store), "--no-validate"]) == EXIT_NOTHING_BUILT
    assert "left as they were" in capsys.readouterr().out
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before  # validation.* kept, nothing emptied
    assert len(open_store(store)) == quads > 300


def test_outputs_a_new_build_does_not_write_leave_with_the_old_set(samples, tmp_path):
    out = tmp_path / "out"
    build([samples / "ah-tk-20182019-3878.txt"], out)
    assert (out / "validation.ttl").is_file()
    build([samples / "ah-tk-20182019-3878.txt"], out, validate=False, formats=["nt"])
    names = set(read_manifest(out)["files"]) | {MANIFEST}
    assert "validation.ttl" not in names and not (out / "validation.ttl").exists()
    assert not (out / "kamervragen.ttl").exists() and (out / "kamervragen.nt").is_file()
    report = json.loads((out / "build-report.json").read_text(encoding="utf-8"))
    # the report lists the top level: files, and a folder (chains/) once
    top = {n if "/" not in n else n.split("/", 1)[0] + "/" for n in names}
    assert set(report["outputs"]) == top - {MANIFEST, "build-report.json"}
    files = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert {f for f in files if not f.startswith(".")} == names  # .cache/ is the build cache, no output


def test_a_switch_cut_short_is_finished_by_the_next_reader(two_builds, tmp_path):
    """The moment a kill can land in the switch: committed, half the files moved."""
    import os

    from kg.manifest import COMMIT

    _root, _old_in, _new_in, old_out, new_out = two_builds
    out = tmp_path / "out"
    shutil.copytree(old_out, out)
    committed = out / COMMIT
    shutil.copytree(new_out, committed)
    names = sorted(read_manifest(committed)["files"])
    for name in names[: len(names) // 2]:  # moved before the kill
        os.replace(committed / name, out / name)
    verify(out, ["kamervragen.nt"])  # the reader finishes the switch, then checks
    assert not committed.exists()
    assert _snapshot(out) == _snapshot(new_out)
    verify(out, list(read_manifest(out)["files"]))
