"""Structured sources (interfaces #2): one file, many publications, no parse
stage. The registry is filled by the zaken reader; here a tiny reader is
registered for the test only."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef

import kg.build as kb
import kg.read
from kg.build import FileStatus, build
from kg.iris import IriMinter
from kg.model import DocumentSoort, Person, Publication, Vraag
from kg.vocab import KV

SUFFIX = ".kgtest.jsonl"


def read_test_records(path: Path):
    """One publication per JSON line: {"zaak": ..., "onderwerp": ..., "asker": ..., "party": ...}."""
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    for line in data.decode("utf-8").splitlines():
        row = json.loads(line)
        yield Publication(
            identifier=f"kv-tk-{row['zaak']}",
            soort=DocumentSoort.VRAGEN,
            source_path=path,
            source_format="jsonl",
            source_sha256=sha,
            zaaknummer=row["zaak"],
            onderwerp=row["onderwerp"],
            ingezonden=dt.date(2024, 1, 2),
            vragenstellers=(Person(row["asker"], row["party"]),),
            vragen=(Vraag(1, row["onderwerp"] + "?"),),
        )


_REAL_WORK = kb._work


def _work_with_test_reader(job):
    """The build's job function with the test reader registered: the
    workers come from a fork server and do not see this process's registry."""
    kg.read._STRUCTURED[SUFFIX] = (__name__, "read_test_records")
    return _REAL_WORK(job)


@pytest.fixture
def registered(monkeypatch):
    monkeypatch.setitem(kg.read._STRUCTURED, SUFFIX, (__name__, "read_test_records"))
    monkeypatch.setattr(kb, "_work", _work_with_test_reader)


def _write(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def test_a_structured_file_gives_many_publications(registered, samples, tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(samples / "ah-tk-20182019-3878.txt", inputs)
    _write(inputs / f"a{SUFFIX}", [{"zaak": f"2099Z{n:05d}", "onderwerp": f"Onderwerp {n}", "asker": "Jansen", "party": "VVD"} for n in range(5)])
    _write(inputs / f"b{SUFFIX}", [{"zaak": "2099Z10000", "onderwerp": "Ander", "asker": "Pietersen", "party": "SP"}])
    out = tmp_path / "out"
    result = build([inputs], out, jobs=2)
    by_name = {f.path.name: f for f in result.files}
    assert by_name[f"a{SUFFIX}"].status == FileStatus.BUILT and by_name[f"a{SUFFIX}"].publications == 5
    assert len(result.publications) == 7
    g = Graph().parse(out / "kamervragen.nt", format="nt")
    iris = IriMinter()
    for n in range(5):
        doc = iris.publication(f"kv-tk-2099Z{n:05d}")
        assert g.value(doc, KV.onderwerp) == Literal(f"Onderwerp {n}")
    # one named graph per publication of the file
    ds = Dataset()
    ds.parse(out / "kamervragen.trig", format="trig")
    names = {str(c.identifier) for c in ds.graphs()}
    assert {str(iris.graph(f"kv-tk-2099Z{n:05d}")) for n in range(5)} <= names
    # the member named by five of them is one node in the shared graph
    members = set(g.subjects(KV.achternaam, Literal("Jansen")))
    assert len(members) == 1 and isinstance(next(iter(members)), URIRef)
    # and the second build reads nothing again
    again = build([inputs], out, jobs=2, validate=False)
    assert all(f.seconds == 0 for f in again.files)
    assert len(again.publications) == 7
