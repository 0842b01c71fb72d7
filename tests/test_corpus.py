"""The whole pipeline on the development corpus (../shared/corpus), scored
by the project's own scorer against the gold annotations. Skips cleanly
where the corpus is absent."""
from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from kg.build import FileStatus, build
from kg.model import DocumentSoort


@pytest.fixture(scope="module")
def corpus_build(corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("corpus-build")
    result = build([corpus / "docs", corpus / "unlabelled"], out, jobs=2)
    return result, out


def _score(corpus, graph, gold_dir) -> dict[str, float]:
    proc = subprocess.run(
        [sys.executable, str(corpus.parent / "tools" / "score_extraction.py"), str(graph), str(gold_dir)],
        capture_output=True, text=True, check=True,
    )
    scores = {m.group(1): float(m.group(2)) for m in re.finditer(r"^(\w+)\s+precision.*F1\s+([\d.]+)", proc.stdout, re.M)}
    scores["overall"] = float(re.search(r"extraction F1: ([\d.]+)", proc.stdout).group(1))
    return scores


def test_extraction_scores_on_the_gold(corpus, corpus_build):
    _, out = corpus_build
    scores = _score(corpus, out / "kamervragen.ttl", corpus / "gold")
    # The development corpus is read perfectly; any field below 1.000 is a
    # regression (a merge once dropped the party of a member who changed party).
    low = {k: v for k, v in scores.items() if v < 1.0}
    assert not low, f"fields below 1.000: {low}"


def test_seed_publication_scores_perfectly(corpus, corpus_build, tmp_path):
    _, out = corpus_build
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "seed.json").write_text((corpus / "gold" / "ah-tk-20182019-3878.json").read_text(encoding="utf-8"), encoding="utf-8")
    assert _score(corpus, out / "kamervragen.ttl", gold)["overall"] == 1.0


def test_every_input_file_is_accounted_for(corpus, corpus_build):
    result, out = corpus_build
    report = json.loads((out / "build-report.json").read_text(encoding="utf-8"))
    on_disk = sorted(str(p) for d in ("docs", "unlabelled") for p in (corpus / d).rglob("*") if p.is_file())
    assert sorted(f["file"] for f in report["files"]) == on_disk
    failed = [f for f in report["files"] if f["status"] == FileStatus.FAILED.value]
    assert failed == []
    # the non-publication files (SOURCES.tsv) are listed as skipped, with the reason
    skipped = {f["file"].rsplit("/", 1)[-1] for f in report["files"] if f["status"] == "skipped"}
    assert "SOURCES.tsv" in skipped


def test_unlabelled_pdfs_come_out_complete(corpus, corpus_build):
    result, _ = corpus_build
    unlabelled = [p for p in result.parsed() if p.source_path.parent.name == "unlabelled"]
    assert len(unlabelled) == len(list((corpus / "unlabelled").glob("*.pdf")))
    for p in unlabelled:
        numbers = [v.nummer for v in p.vragen]
        assert numbers and numbers == list(range(1, len(numbers) + 1)), p.identifier
        if p.soort == DocumentSoort.ANTWOORD:
            answered = sorted(n for a in p.antwoorden for n in a.vragen)
            assert answered == numbers, p.identifier
        else:  # a delay notice holds the questions and no answers
            assert p.soort == DocumentSoort.MEDEDELING and p.antwoorden == (), p.identifier
        assert p.vragenstellers and p.gericht_aan and p.beantwoord_door, p.identifier
        assert p.ingezonden and p.ontvangen and p.ingezonden <= p.ontvangen, p.identifier
        assert all(v.tekst for v in p.vragen) and all(a.tekst for a in p.antwoorden), p.identifier
