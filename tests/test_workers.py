"""Worker processes: they die with the build (issue 10 #10), and one input
cannot take a worker's memory or time (issue 10 #11): it fails with a clear
reason in the report and the rest of the build goes on."""
from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

import kg.build as kb
from kg.build import FileStatus, build


def _processes() -> dict[int, int]:
    """pid -> parent pid of every process."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces, so split after the last ")"
        found[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    return found


def _descendants(pid: int) -> set[int]:
    parents = _processes()
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {p for p, pp in parents.items() if pp in frontier} - found
        found |= frontier
    return found


def _workers(pid: int) -> set[int]:
    """The build's worker processes: the children of its fork server (the
    build's own children are the fork server and multiprocessing's resource
    tracker)."""
    parents = _processes()
    return {p for p, pp in parents.items() if parents.get(pp) == pid}


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _pdf_copies(samples: Path, folder: Path, n: int) -> None:
    folder.mkdir()
    pdf = samples / "ah-tk-20232024-1949.pdf"
    for i in range(n):  # PDFs: slow enough to catch the workers at work
        shutil.copy(pdf, folder / f"copy-{i:02d}.pdf")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_exit_when_the_build_is_killed(samples, tmp_path):
    inputs = tmp_path / "in"
    _pdf_copies(samples, inputs, 60)
    proc = subprocess.Popen(
        [sys.executable, "-c", "import sys; from kg.cli import main; sys.exit(main())", "build", str(inputs),
         "--out", str(tmp_path / "out"), "--jobs", "2", "--no-validate"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    workers: set[int] = set()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(workers) < 2:
        workers = _workers(proc.pid)
        time.sleep(0.1)
    assert len(workers) == 2, "the build started no worker processes"
    family = _descendants(proc.pid)  # the workers, the fork server, the resource tracker
    assert workers < family
    os.kill(proc.pid, signal.SIGKILL)  # the build only: the rest must notice on their own
    proc.wait(timeout=30)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(p) for p in family):
        time.sleep(0.1)
    assert not [p for p in family if _alive(p)], "processes of the build survived it"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_killed_worker_costs_no_file(samples, tmp_path):
    # A worker killed from outside (the OOM killer, an operator): the files it
    # may have had are read again, one at a time, and every one is built.
    inputs = tmp_path / "in"
    _pdf_copies(samples, inputs, 12)
    killed: list[int] = []

    def kill_one_worker(stage: str, done: int, total: int) -> None:
        if stage == "read" and done >= 1 and not killed:
            workers = sorted(w for w in _workers(os.getpid()) if _alive(w))
            if workers:
                os.kill(workers[0], signal.SIGKILL)
                killed.append(workers[0])

    result = build([inputs], None, jobs=2, validate=False, progress=kill_one_worker)
    assert killed, "no worker was running to kill"
    assert len(result.files) == 12
    # every copy was read: one is built, the others are reported as the same publication
    assert [(f.path.name, f.reasons) for f in result.files if f.status == FileStatus.FAILED] == []
    assert sum(f.status in (FileStatus.BUILT, FileStatus.WARNINGS) for f in result.files) == 1
    assert all("same publication" in f.reasons[0] for f in result.files if f.status == FileStatus.SKIPPED)
    assert not _alive(killed[0])


def _probe() -> tuple[object, int]:
    """Run in a worker: what it sees of the build's module state, and its parent."""
    return getattr(kb, "_FORK_PROBE", None), os.getppid()


def test_workers_are_no_fork_of_the_build(monkeypatch):
    # Forked from a process with other threads alive (this test session has
    # them), a worker inherits locks those threads held at the fork, and such
    # workers died reading PDFs: a worker must be no copy of the build process.
    monkeypatch.setattr(kb, "_FORK_PROBE", "set in the build process only", raising=False)
    with kb._pool(1, 0) as pool:
        seen, parent = pool.submit(_probe).result(timeout=60)
    assert seen is None
    assert parent != os.getpid()


def _docx_bomb(path: Path, paragraphs: int) -> None:
    """A .docx of many empty paragraphs: small on disk, huge unpacked."""
    body = b"<w:p/>" * paragraphs
    document = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        + body + b"<w:p><w:r><w:t>Vraag 1</w:t></w:r></w:p></w:body></w:document>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        z.writestr("word/document.xml", document)
    path.write_bytes(buf.getvalue())


def test_a_docx_that_unpacks_to_a_huge_document_fails_alone(samples, tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(samples / "ah-tk-20182019-3878.txt", inputs)
    bomb = inputs / "bom.docx"
    _docx_bomb(bomb, 8_000_000)  # 48 MB of paragraphs
    assert bomb.stat().st_size < 200_000
    started = time.monotonic()
    result = build([inputs], tmp_path / "out", jobs=2, validate=False)
    by_name = {f.path.name: f for f in result.files}
    assert by_name["bom.docx"].status == FileStatus.FAILED
    assert "zip bomb" in by_name["bom.docx"].reasons[0]
    assert by_name["ah-tk-20182019-3878.txt"].status in (FileStatus.BUILT, FileStatus.WARNINGS)
    assert time.monotonic() - started < 60


def test_a_file_over_the_time_cap_fails_with_the_reason(samples, tmp_path, monkeypatch):
    import kg.parse

    real = kg.parse.parse

    def slow(source):  # a parser that never ends on one file, as a regex gone wrong would
        if "slow" in source.path.name:
            while True:
                time.sleep(0.01)
        return real(source)

    monkeypatch.setattr(kg.parse, "parse", slow)
    monkeypatch.setattr(kb, "FILE_TIME_CAP", 1.0)
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(samples / "ah-tk-20182019-3878.txt", inputs)
    shutil.copy(samples / "kv-tk-2024Z18659.txt", inputs / "slow.txt")
    result = build([inputs], None, jobs=1, validate=False)
    by_name = {f.path.name: f for f in result.files}
    assert by_name["slow.txt"].status == FileStatus.FAILED
    assert "gave up after 1 s" in by_name["slow.txt"].reasons[0]
    assert by_name["ah-tk-20182019-3878.txt"].status in (FileStatus.BUILT, FileStatus.WARNINGS)


# The workers are no forks of this process, so a fault is planted in the job
# function the build sends them (kg.build._work, pickled by name): these
# module-level functions are imported by the worker from this file.
_REAL_WORK = kb._work


def _crashing_work(job):
    if Path(job[0]).name == "crash.txt":
        os._exit(70)  # as a segfault in a C library would
    return _REAL_WORK(job)


def _greedy_work(job):
    import kg.parse

    real = kg.parse.parse

    def greedy(source):  # a parser that wants far more memory than the file is worth
        blob = bytearray(1024 * 2**20)
        return blob

    if "greedy" in Path(job[0]).name:
        kg.parse.parse = greedy
    try:
        return _REAL_WORK(job)
    finally:
        kg.parse.parse = real


def _slow_work(job):
    import kg.parse

    real = kg.parse.parse

    def slow(source):  # a parser that never ends on one file, as a regex gone wrong would
        while True:
            time.sleep(0.01)

    if "slow" in Path(job[0]).name:
        kg.parse.parse = slow
    try:
        return _REAL_WORK(job)
    finally:
        kg.parse.parse = real


def test_a_file_over_the_time_cap_in_a_worker_fails_with_the_reason(samples, tmp_path, monkeypatch):
    monkeypatch.setattr(kb, "_work", _slow_work)
    monkeypatch.setattr(kb, "FILE_TIME_CAP", 1.0)  # sent with each job
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in ("ah-tk-20182019-3878.txt", "kv-tk-2024Z18659.txt"):
        shutil.copy(samples / name, inputs)
    shutil.copy(samples / "ah-tk-20142015-698.txt", inputs / "slow.txt")
    result = build([inputs], None, jobs=2, validate=False)
    by_name = {f.path.name: f for f in result.files}
    assert by_name["slow.txt"].status == FileStatus.FAILED
    assert "gave up after 1 s" in by_name["slow.txt"].reasons[0]
    assert sum(f.status in (FileStatus.BUILT, FileStatus.WARNINGS) for f in result.files) == 2


def test_a_worker_that_dies_fails_its_file_only(samples, tmp_path, monkeypatch):
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in ("ah-tk-20182019-3878.txt", "kv-tk-2024Z18659.txt", "ah-tk-20142015-698.txt"):
        shutil.copy(samples / name, inputs)
    shutil.copy(samples / "ah-tk-20182019-3878.txt", inputs / "crash.txt")
    monkeypatch.setattr(kb, "_work", _crashing_work)
    result = build([inputs], None, jobs=2, validate=False)
    by_name = {f.path.name: f for f in result.files}
    assert by_name["crash.txt"].status == FileStatus.FAILED and "died" in by_name["crash.txt"].reasons[0]
    built = [n for n, f in by_name.items() if f.status in (FileStatus.BUILT, FileStatus.WARNINGS)]
    assert sorted(built) == ["ah-tk-20142015-698.txt", "ah-tk-20182019-3878.txt", "kv-tk-2024Z18659.txt"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_DATA as Linux counts it")
def test_a_file_over_the_memory_cap_fails_with_the_reason(samples, tmp_path, monkeypatch):
    monkeypatch.setattr(kb, "_work", _greedy_work)
    monkeypatch.setattr(kb, "FILE_MEMORY_CAP", 256 * 2**20)
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in ("ah-tk-20182019-3878.txt", "kv-tk-2024Z18659.txt"):
        shutil.copy(samples / name, inputs)
    shutil.copy(samples / "ah-tk-20142015-698.txt", inputs / "greedy.txt")
    result = build([inputs], None, jobs=2, validate=False)
    by_name = {f.path.name: f for f in result.files}
    assert by_name["greedy.txt"].status == FileStatus.FAILED
    assert "needed more than 256 MB (the memory cap per file" in by_name["greedy.txt"].reasons[0]
    assert sum(f.status in (FileStatus.BUILT, FileStatus.WARNINGS) for f in result.files) == 2
