"""``kg synth``: generated publications are deterministic, show every layout
and phenomenon the parser reads, hold follow-up chains of realistic length,
and a build of them scores 1.000 against their own truth with the project's
scorer (skipped where ../shared is absent; the generator itself needs only
the package)."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kg.cli import main
from kg.synth import generate, layout_names

SCORER = Path(__file__).resolve().parents[2] / "shared" / "tools" / "score_extraction.py"


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def synth_set(tmp_path_factory) -> Path:
    """300 publications in the default mix, seed 5."""
    out = tmp_path_factory.mktemp("synth") / "set"
    generate(300, out, seed=5)
    return out


def test_same_seed_gives_the_same_bytes(tmp_path):
    generate(80, tmp_path / "a", seed=3, per_folder=25)
    generate(80, tmp_path / "b", seed=3, per_folder=25)
    a, b = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert len(a) == 80 + 80 + 1  # publications, truth files, synth.json
    assert a == b


def test_same_bytes_from_another_process_with_another_hash_seed(tmp_path):
    import os

    generate(40, tmp_path / "here", seed=3)
    env = dict(os.environ, PYTHONHASHSEED="12345")
    proc = subprocess.run(
        [sys.executable, "-m", "kg.cli", "synth", "40", "--seed", "3", "--out", str(tmp_path / "there")],
        capture_output=True, text=True, env=env,
    )
    assert proc.returncode == 0, proc.stderr
    assert _files(tmp_path / "here") == _files(tmp_path / "there")


def test_another_seed_gives_other_publications(tmp_path):
    generate(40, tmp_path / "a", seed=3)
    generate(40, tmp_path / "b", seed=4)
    a, b = _files(tmp_path / "a" / "docs"), _files(tmp_path / "b" / "docs")
    assert set(a) != set(b)
    assert not set(a.values()) & set(b.values())


def test_nested_folders_hold_the_asked_number_of_files(tmp_path):
    generate(55, tmp_path, seed=2, per_folder=20)
    folders = sorted(p for p in (tmp_path / "docs").iterdir())
    assert [f.name for f in folders] == ["0000", "0001", "0002"]
    assert [len(list(f.iterdir())) for f in folders] == [20, 20, 15]


def test_every_layout_appears_in_the_default_mix(synth_set):
    summary = json.loads((synth_set / "synth.json").read_text(encoding="utf-8"))
    assert set(summary["layouts"]) == set(layout_names())
    # the corpus's proportions: PDF text is most, Aanhangsel answers outnumber questions
    assert max(summary["layouts"], key=summary["layouts"].get) == "pdf-text"


def test_file_names_and_identifiers_are_unique_and_consistent(synth_set):
    golds = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((synth_set / "gold").glob("*.json"))]
    assert len(golds) == 300 == len({g["id"] for g in golds}) == len({g["file"] for g in golds})
    for g in golds:
        assert (synth_set / g["file"]).is_file()
        if g["id"].startswith("ah-"):
            m = re.fullmatch(r"ah-tk-(\d{4})(\d{4})-(\d+)", g["id"])
            assert m and int(m.group(2)) == int(m.group(1)) + 1 and int(m.group(3)) == g["nummer"]
            assert g["vergaderjaar"] == f"{m.group(1)}-{m.group(2)}"
            assert g["ontvangen"] >= g.get("ingezonden", "")
        else:
            assert re.fullmatch(r"kv-tk-\d{4}Z\d{5}", g["id"]) and "nummer" not in g


def test_the_phenomena_of_the_corpus_are_there(synth_set):
    texts = {p.name: p.read_text(encoding="utf-8") for p in (synth_set / "docs").iterdir() if p.suffix in (".txt", ".md")}
    everything = "\n".join(texts.values())
    checks = {
        "page footer with identifier": r"(?m)^ah-tk-\d{8}-\d+\nISSN 0921 - 7398’s-Gravenhage \d{4}Tweede Kamer",
        "later page footer": r"Tweede Kamer, vergaderjaar \d{4}–\d{4}, Aanhangsel 2",
        "footnote number glued to its text": r"(?m)^\d{1,2}(?:Kamerstuk|NOS|Aanhangsel|Follow)",
        "footnote marker glued to a question mark": r"\?\d{1,2}(?:\n|$)",
        "footnote marker on its own line": r"(?m)^\d{1,2}(?: \d{1,2})*$",
        "hyphenation at a line end": r"(?m)[a-z]-\n[a-z]",
        "grouped answer with t/m": r"(?m)^Antwoord(?: op vraag)? \d+ (?:t/m|tot en met) \d+$",
        "grouped answer with a list": r"(?m)^Antwoord(?: op vraag)? \d+, \d+ en \d+$",
        "delay notice": r"(?m)^Mededeling van (?:Minister|Staatssecretaris)",
        "question-only masthead": r"Vergaderjaar \d{4}–\d{4} Vragen gesteld door de leden der Kamer\n",
        "Word answer": r"(?m)^AH \d+\n\d{4}Z\d{5}\nAntwoord van",
        "Markdown footer": r"(?m)^h tk \d{8} \d+$",
        "Zie ook citing the notice": r"Zie ook Aanhangsel Handelingen, vergaderjaar",
        "Kamerstuk citation": r"Kamerstuk(?:ken II)?[ ,]",
        "co-askers of one party": r"\((?:beiden|allen) [^)]+\)",
    }
    missing = [name for name, rx in checks.items() if not re.search(rx, everything)]
    assert not missing, missing
    assert any(len(t) > 1500 and t.count("\n") <= 2 for t in texts.values()), "no flattened text"
    assert any(p.suffix == ".docx" for p in (synth_set / "docs").iterdir())


def test_chains_of_realistic_length(synth_set):
    chains = {int(k): v for k, v in json.loads((synth_set / "synth.json").read_text(encoding="utf-8"))["chains"].items()}
    alone = chains.get(1, 0)
    assert alone > sum(chains.values()) / 2  # most publications cite nothing and are cited by nothing
    assert max(chains) <= 15
    assert any(5 <= k for k in chains), chains
    # the chains are real citations in the truth, of publications of the set
    golds = [json.loads(p.read_text(encoding="utf-8")) for p in (synth_set / "gold").glob("*.json")]
    ids = {g["id"] for g in golds}
    internal = [t for g in golds for t in g["verwijzingen"] if t in ids]
    assert len(internal) >= 20


def test_unknown_layout_is_a_usage_error(tmp_path, capsys):
    assert main(["synth", "5", "--out", str(tmp_path), "--layouts", "papyrus"]) == 2
    assert "papyrus" in capsys.readouterr().err


def test_one_layout_only(tmp_path):
    result = generate(30, tmp_path, seed=1, layouts=["questions-pdf-text"])
    assert result.by_layout == {"questions-pdf-text": 30}
    assert all(p.name.startswith("kv-tk-") for p in (tmp_path / "docs").iterdir())


def _score(graph: Path, gold: Path) -> dict[str, float]:
    proc = subprocess.run([sys.executable, str(SCORER), str(graph), str(gold)], capture_output=True, text=True, check=True)
    scores = {m.group(1): float(m.group(2)) for m in re.finditer(r"^(\w+)\s+precision.*F1\s+([\d.]+)", proc.stdout, re.M)}
    scores["overall"] = float(re.search(r"extraction F1: ([\d.]+) over (\d+)", proc.stdout).group(1))
    assert "documents not in the graph" not in proc.stdout, proc.stdout
    return scores


def test_a_build_of_the_set_scores_perfectly_against_its_truth(synth_set, tmp_path):
    if not SCORER.is_file():
        pytest.skip("../shared/tools/score_extraction.py is not present on this machine")
    out = tmp_path / "build"
    proc = subprocess.run(
        [sys.executable, "-m", "kg.cli", "build", str(synth_set / "docs"), "--out", str(out), "--no-validate"],
        capture_output=True, text=True,
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads((out / "build-report.json").read_text(encoding="utf-8"))
    assert report.get("counts", {}).get("files_failed", 0) == 0
    # (every generated publication must also be in the graph: the scorer says which are not)
    graph = out / "kamervragen.nt" if (out / "kamervragen.nt").is_file() else out / "kamervragen.ttl"
    scores = _score(graph, synth_set / "gold")
    assert scores == {k: 1.0 for k in scores}, scores
    assert len(scores) == 12  # every gold field was scored


def test_real_metadata_patterns(synth_set):
    """Homonyms across parties, members asking again and again, answers on
    time and late, co-askers: drawn from the real questions, not invented."""
    import datetime as dt

    golds = [json.loads(p.read_text(encoding="utf-8")) for p in (synth_set / "gold").glob("*.json")]
    askers = [(a["achternaam"], a["fractie"]) for g in golds for a in g.get("vragensteller", [])]
    parties_of: dict[str, set[str]] = {}
    for surname, party in askers:
        parties_of.setdefault(surname, set()).add(party)
    from collections import Counter

    assert Counter(askers).most_common(1)[0][1] >= 5  # a member who asks often
    assert any(len(g.get("vragensteller", [])) >= 3 for g in golds)  # co-askers
    days = [
        (dt.date.fromisoformat(g["ontvangen"]) - dt.date.fromisoformat(g["ingezonden"])).days
        for g in golds if "ontvangen" in g and "ingezonden" in g and "antwoorden" in g
    ]
    assert any(d <= 21 for d in days) and any(d > 21 for d in days)
    from kg.synth.table import table

    t = table()
    by_surname: dict[str, set[str]] = {}
    for a in t.askers:
        by_surname.setdefault(a.achternaam, set()).add(a.fractie)
    assert any(len(p) >= 2 for p in by_surname.values())  # one surname, two parties
    assert len(t.zaken) > 40000
