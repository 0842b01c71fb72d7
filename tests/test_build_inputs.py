"""Arguments checked before any work (issue 10 #13) and every input
accounted for (issue 10 #14)."""
from __future__ import annotations

import json
import os
import shutil

import pytest

from kg.build import FileStatus, build
from kg.cli import EXIT_OK, EXIT_USAGE, main


def _ok_input(samples, tmp_path):
    return str(samples / "ah-tk-20182019-3878.txt")


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda t: ["--out", str(t / "a-file")], "--out"),
        (lambda t: ["--out", str(t / "a-file" / "below")], "--out"),
        (lambda t: ["--base", "not an iri"], "--base"),
        (lambda t: ["--base", "relative/path/"], "--base"),
        (lambda t: ["--store", str(t / "foreign")], "--store"),
        (lambda t: ["--store", str(t / "a-file")], "--store"),
        (lambda t: ["--formats", "ttl,xml"], "--formats"),
        (lambda t: ["--jobs", "0"], "--jobs"),
    ],
)
def test_wrong_arguments_exit_2_before_any_work(samples, tmp_path, capsys, make, message):
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    (tmp_path / "foreign").mkdir()
    (tmp_path / "foreign" / "notes.txt").write_text("mine", encoding="utf-8")
    args = make(tmp_path)
    if "--out" not in args:
        args += ["--out", str(tmp_path / "out")]
    assert main(["build", _ok_input(samples, tmp_path), *args]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()  # nothing was built
    assert (tmp_path / "foreign" / "notes.txt").read_text(encoding="utf-8") == "mine"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes everywhere")
def test_an_unwritable_out_exits_2(samples, tmp_path, capsys):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        assert main(["build", _ok_input(samples, tmp_path), "--out", str(locked / "out")]) == EXIT_USAGE
        assert "--out" in capsys.readouterr().err
    finally:
        locked.chmod(0o700)


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "cannot read"),
        (b"\x00\x01\x02\x03binary", "binary"),
        ("naam,partij\nJansen,VVD\n".encode(), "achternaam"),
    ],
)
def test_a_bad_kamerleden_table_exits_2_naming_it(samples, tmp_path, capsys, monkeypatch, content, message):
    table = tmp_path / "leden.csv"
    if content is not None:
        table.write_bytes(content)
    monkeypatch.setenv("KG_KAMERLEDEN", str(table))
    assert main(["build", _ok_input(samples, tmp_path), "--out", str(tmp_path / "out")]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "KG_KAMERLEDEN" in err and message in err
    assert not (tmp_path / "out").exists()


def test_dangling_links_and_unreadable_folders_are_in_the_report(samples, tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(samples / "ah-tk-20182019-3878.txt", inputs)
    (inputs / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    locked = inputs / "locked"
    locked.mkdir()
    (locked / "x.txt").write_text("x", encoding="utf-8")
    locked.chmod(0)
    try:
        result = build([inputs], tmp_path / "out", jobs=1, validate=False)
    finally:
        locked.chmod(0o700)
    by_name = {f.path.name: f for f in result.files}
    assert by_name["gone.txt"].status == FileStatus.FAILED and "dangling" in by_name["gone.txt"].reasons[0]
    if os.geteuid() != 0:  # root reads a folder whatever its mode
        assert by_name["locked"].status == FileStatus.FAILED and "not readable" in by_name["locked"].reasons[0]
    report = json.loads((tmp_path / "out" / "build-report.json").read_text(encoding="utf-8"))
    assert any(f["file"].endswith("gone.txt") for f in report["files"])


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_text_is_read(samples, tmp_path, encoding):
    text = (samples / "ah-tk-20182019-3878.txt").read_text(encoding="utf-8")
    path = tmp_path / "seed.txt"
    path.write_bytes(text.encode(encoding))
    utf16 = build([path], None, jobs=1, validate=False)
    utf8 = build([samples / "ah-tk-20182019-3878.txt"], None, jobs=1, validate=False)
    assert utf16.files[0].status in (FileStatus.BUILT, FileStatus.WARNINGS), utf16.files[0].reasons
    assert utf16.publications[0].identifier == utf8.publications[0].identifier
    assert (utf16.publications[0].vragen, utf16.publications[0].antwoorden) == (utf8.publications[0].vragen, utf8.publications[0].antwoorden)


def test_out_inside_an_input_folder_is_never_read_back(samples, tmp_path):
    inputs = tmp_path / "in"
    shutil.copytree(samples, inputs, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    out = inputs / "output"
    first = build([inputs], out, jobs=1, validate=False)
    second = build([inputs], out, jobs=1, validate=False)
    for result in (first, second):
        assert not [f for f in result.files if out in f.path.parents], "an output was read as input"
        assert len(result.files) == len(list(p for p in inputs.iterdir() if p.is_file()))


def test_when_two_files_claim_one_publication_the_better_one_wins(samples, tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    sound = (samples / "ah-tk-20182019-3878.txt").read_text(encoding="utf-8")
    # A damaged copy first in name order (as a PDF recovered from a broken
    # xref would be): half the text, so fewer questions and answers.
    (inputs / "a-damaged.txt").write_text(sound[: len(sound) // 2], encoding="utf-8")
    (inputs / "b-sound.txt").write_text(sound, encoding="utf-8")
    result = build([inputs], tmp_path / "out", jobs=1, validate=False)
    by_name = {f.path.name: f for f in result.files}
    assert by_name["b-sound.txt"].status in (FileStatus.BUILT, FileStatus.WARNINGS)
    loser = by_name["a-damaged.txt"]
    assert loser.status == FileStatus.SKIPPED
    assert "b-sound.txt" in loser.reasons[0] and ("fewer warnings" in loser.reasons[0] or "more questions" in loser.reasons[0])
    (pub,) = result.publications
    assert pub.source_path.name == "b-sound.txt" and pub.vragen == 14


def test_good_arguments_still_build(samples, tmp_path):
    assert main(["build", _ok_input(samples, tmp_path), "--out", str(tmp_path / "out"), "--base", "https://example.org/id/",
                 "--formats", "ttl,nt", "--no-validate"]) == EXIT_OK
    assert {p.name for p in (tmp_path / "out").iterdir() if p.suffix in (".ttl", ".nt", ".trig", ".jsonld")} == {
        "kamervragen.ttl", "kamervragen.nt", "void.ttl", "ontology.ttl"}
