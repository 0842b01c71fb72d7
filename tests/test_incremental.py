"""Incremental builds (issue 7 §3): inputs added, changed and removed give
outputs byte-identical to a build from scratch; unchanged inputs come from
the cache; the store is updated in place, never rebuilt whole."""
from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox

from kg.build import build
from kg.store import open_store

DUMPS = ("kamervragen.nt", "kamervragen.ttl", "kamervragen.trig", "kamervragen.jsonld", "void.ttl",
         "validation.txt", "chains.html", "chains.dot", "chains.graphml")
# Sample texts whose number can be changed throughout to make a new publication.
TEMPLATES = {"ah-tk-20182019-3878.txt": "3878", "kv-tk-2024Z18659.txt": "18659"}


def generate(samples: Path, folder: Path, numbers: range) -> list[Path]:
    """Publications made from the samples with new numbers (a new identifier each)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in numbers:
        for name, number in TEMPLATES.items():
            text = (samples / name).read_text(encoding="utf-8").replace(number, f"{number[:-2]}{n:02d}")
            path = folder / name.replace(number, f"{number[:-2]}{n:02d}")
            path.write_text(text, encoding="utf-8")
            paths.append(path)
    return paths


def store_quads(store_dir: Path) -> set:
    store = open_store(store_dir)
    return set(store.quads_for_pattern(None, None, None, None))


def test_added_changed_removed_inputs_give_the_build_from_scratch(samples, tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    inputs = tmp_path / "in"
    paths = generate(samples, inputs, range(10, 14))
    out, store = tmp_path / "out", tmp_path / "store"
    first = build([inputs], out, jobs=2, store=store)
    assert len(first.publications) == 8
    # A graph that is not the build's: an in-place update leaves it alone.
    extra = ox.Quad(ox.NamedNode("http://example.org/a"), ox.NamedNode("http://example.org/b"), ox.Literal("c"), ox.NamedNode("http://example.org/mine"))
    db = ox.Store(str(store))
    db.add(extra)
    db.flush()
    del db
    inode = os.stat(store).st_ino

    # added, changed, removed
    generate(samples, inputs, range(20, 21))
    changed = paths[0]
    changed.write_text(changed.read_text(encoding="utf-8").replace("Herinnert u zich", "Kent u"), encoding="utf-8")
    paths[3].unlink()
    again = build([inputs], out, jobs=2, store=store)
    fresh_out, fresh_store = tmp_path / "fresh", tmp_path / "fresh-store"
    scratch = build([inputs], fresh_out, jobs=1, store=fresh_store, cache=tmp_path / "fresh-cache")
    assert len(again.publications) == len(scratch.publications) == 9
    for name in DUMPS:
        assert (out / name).read_bytes() == (fresh_out / name).read_bytes(), name
    # Only the added and the changed inputs were read again.
    read_again = sorted(f.path.name for f in again.files if f.seconds > 0)
    assert read_again == sorted([changed.name, "ah-tk-20182019-3820.txt", "kv-tk-2024Z18620.txt"])
    # The store: updated in place (same folder, the foreign graph still there), equal to a fresh load.
    assert os.stat(store).st_ino == inode
    quads = store_quads(store)
    assert extra in quads
    assert quads - {extra} == store_quads(fresh_store)


def test_an_unchanged_build_does_nothing(samples, tmp_path):
    inputs = tmp_path / "in"
    generate(samples, inputs, range(30, 32))
    out = tmp_path / "out"
    build([inputs], out, jobs=1, validate=False)
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir() if p.is_file()}
    again = build([inputs], out, jobs=1, validate=False)
    assert again.up_to_date and len(again.publications) == 4
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir() if p.is_file()} == before
    # A damaged output is not "up to date": the build runs and repairs it.
    (out / "kamervragen.ttl").write_text("", encoding="utf-8")
    repaired = build([inputs], out, jobs=1, validate=False)
    assert not repaired.up_to_date and (out / "kamervragen.ttl").stat().st_size > 1000
    # Other options are another build.
    assert not build([inputs], out, jobs=1, validate=True).up_to_date


def test_a_touched_but_unchanged_input_is_not_read_again(samples, tmp_path):
    inputs = tmp_path / "in"
    paths = generate(samples, inputs, range(40, 42))
    out = tmp_path / "out"
    build([inputs], out, jobs=1, validate=False)
    os.utime(paths[0], ns=(1, 1))  # new mtime, same bytes: the content hash decides
    again = build([inputs], out, jobs=1, validate=False)
    assert not again.up_to_date and all(f.seconds == 0 for f in again.files)


def test_a_damaged_cache_is_set_aside(samples, tmp_path):
    inputs = tmp_path / "in"
    generate(samples, inputs, range(50, 51))
    out = tmp_path / "out"
    build([inputs], out, jobs=1, validate=False)
    (out / ".cache" / "build-cache.sqlite").write_bytes(b"not a database at all" * 100)
    for p in (out / ".cache").glob("*-wal"):
        p.unlink()
    (out / "kamervragen.nt").write_text("", encoding="utf-8")
    result = build([inputs], out, jobs=1, validate=False)
    assert len(result.publications) == 2 and (out / "kamervragen.nt").stat().st_size > 1000
