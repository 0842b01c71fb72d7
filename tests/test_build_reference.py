"""The redesigned build against a straightforward reference path of the same
code (issue 7, done when): parse every file, put every triple in one rdflib
Graph, link, run pySHACL over the whole graph. Identical N-Triples and the
same violations, on the samples and on the corpus."""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef

import kg.validate as kv
from kg.build import build, discover
from kg.iris import IriMinter
from kg.link import link
from kg.mapping import publication_triples
from kg.parse import parse
from kg.read import read


def reference(inputs: list[Path]) -> tuple[set[str], object]:
    """N-Triples lines and the pySHACL report of the plain path."""
    files, _ = discover(inputs)
    iris = IriMinter()
    publications, seen = [], set()
    for path in files:
        try:
            pub = parse(read(path))
        except Exception:  # noqa: BLE001 - what fails is reported by the build; not part of the graph
            continue
        if pub.identifier not in seen:
            seen.add(pub.identifier)
            publications.append(pub)
    links, _ = link(publications, iris)
    # The mapping's provisional names are renamed to the linked nodes; the
    # link stage's own triples are final already (an old name's owl:sameAs
    # to the new one keeps its old subject).
    renames = {URIRef(str(k)): URIRef(str(v)) for k, v in links.renames.items()}
    graph = Graph()
    for pub in publications:
        for s, p, o in publication_triples(pub, iris):
            graph.add((renames.get(s, s), p, renames.get(o, o) if isinstance(o, URIRef) else o))
    for triples in links.triples.values():
        for t in triples:
            graph.add(t)
    lines = {ln for ln in graph.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines() if ln.strip()}
    return lines, kv.validate(graph)


def _key(v) -> tuple:
    # None (no path, no value) sorts as the empty string
    return tuple("" if x is None else str(x) for x in (v.severity, v.focus_node, v.path, v.value, v.shape, v.message))


def _compare(inputs: list[Path], out: Path) -> None:
    result = build(inputs, out, jobs=2)
    lines, report = reference(inputs)
    built = {ln for ln in (out / "kamervragen.nt").read_text(encoding="utf-8").splitlines() if ln.strip()}
    assert built == lines
    ours = sorted(map(_key, result.validation.violations))
    theirs = sorted(map(_key, report.violations))
    assert ours == theirs


def test_samples_same_triples_and_violations_as_the_plain_path(samples, tmp_path):
    _compare([samples], tmp_path / "out")


def test_corpus_same_triples_and_violations_as_the_plain_path(corpus, tmp_path):
    _compare([corpus / "docs", corpus / "unlabelled"], tmp_path / "out")


def test_generated_publications_same_triples_and_violations_as_the_plain_path(tmp_path):
    """1,000 generated publications (kg synth: every text layout, chains,
    homonyms), built in worker processes with the cache and the spool, against
    the plain path of the same code."""
    from kg.synth import generate

    generate(1000, tmp_path / "synth", seed=11, per_folder=250)
    _compare([tmp_path / "synth" / "docs"], tmp_path / "out")
