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


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces, so split after the last ")"
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_exit_when_the_build_is_killed(samples, tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    pdf = samples / "ah-tk-20232024-1949.pdf"
    for i in range(60):  # PDFs: slow enough to catch the workers at work
        shutil.copy(pdf, inputs / f"copy-{i:02d}.pdf")
    proc = subprocess.Popen(
        [sys.executable, "-c", "import sys; from kg.cli import main; sys.exit(main())", "build", str(inputs),
         "--out", str(tmp_path / "out"), "--jobs", "2", "--no-validate"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    workers: set[int] = set()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(workers) < 2:
        workers = _children(proc.pid)
        time.sleep(0.1)
    assert workers, "the build started no worker processes"
    os.kill(proc.pid, signal.SIGKILL)  # the parent only: its workers must notice on their own
    proc.wait(timeout=30)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.1)
    assert not [w for w in workers if _alive(w)], "orphaned workers survived their build"


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


def test_a_worker_that_dies_fails_its_file_only(samples, tmp_path, monkeypatch):
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in ("ah-tk-20182019-3878.txt", "kv-tk-2024Z18659.txt", "ah-tk-20142015-698.txt"):
        shutil.copy(samples / name, inputs)
    shutil.copy(samples / "ah-tk-20182019-3878.txt", inputs / "crash.txt")
    real = kb.process_file

    def crashing(path, *args, **kwargs):  # as a segfault in a C library would
        if path.name == "crash.txt":
            os._exit(70)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(kb, "process_file", crashing)  # the workers are forked: they see it
    result = build([inputs], None, jobs=2, validate=False)
    by_name = {f.path.name: f for f in result.files}
    assert by_name["crash.txt"].status == FileStatus.FAILED and "died" in by_name["crash.txt"].reasons[0]
    built = [n for n, f in by_name.items() if f.status in (FileStatus.BUILT, FileStatus.WARNINGS)]
    assert sorted(built) == ["ah-tk-20142015-698.txt", "ah-tk-20182019-3878.txt", "kv-tk-2024Z18659.txt"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS as Linux counts it")
def test_a_file_over_the_memory_cap_fails_with_the_reason(samples, tmp_path, monkeypatch):
    import kg.parse

    real = kg.parse.parse

    def greedy(source):  # a parser that wants far more memory than the file is worth
        if "greedy" in source.path.name:
            blob = bytearray(1024 * 2**20)
            return blob
        return real(source)

    monkeypatch.setattr(kg.parse, "parse", greedy)
    monkeypatch.setattr(kb, "FILE_MEMORY_CAP", 256 * 2**20)
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in ("ah-tk-20182019-3878.txt", "kv-tk-2024Z18659.txt"):
        shutil.copy(samples / name, inputs)
    shutil.copy(samples / "ah-tk-20142015-698.txt", inputs / "greedy.txt")
    result = build([inputs], None, jobs=2, validate=False)
    by_name = {f.path.name: f for f in result.files}
    assert by_name["greedy.txt"].status == FileStatus.FAILED
    assert "memory cap" in by_name["greedy.txt"].reasons[0]
    assert sum(f.status in (FileStatus.BUILT, FileStatus.WARNINGS) for f in result.files) == 2
