"""Document IRIs (issue 10, item 17): an IRI under zoek.officielebekendmakingen.nl
only for identifiers KOOP issues; every other document is named under the
build's base. Checked on the minter and on a real build of the corpus."""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace

from kg.iris import PUBLICATION_BASE, IriMinter

KV = Namespace("https://w3id.org/kamervragen/def#")
BASE = "https://example.org/kv/id/"

KOOP = [
    "ah-tk-20182019-3878", "ah-ek-20232024-5", "kv-tk-2024Z18436", "kv-ek-2016Z00020",
    "h-tk-20182019-12-5", "kst-36200-VI-12", "kst-21501-20-B", "kst-36200-C", "blg-1043210",
    "stb-2024-153", "stcrt-2024-1234", "trb-2023-45",
]
NOT_KOOP = [
    "tk-2022D31072", "tk-2025D04328",  # Tweede Kamer document numbers
    "doc-uitstelbrief-2009-01-13-leijten-amerpoort-sherpa-opennieuwsbank",  # named after its file
    "2023D41120", "ek-2023D41120", "ah-tk-", "kst-", "kst-onbekend", "AH-TK-20182019-3878",
]


@pytest.mark.parametrize("identifier", KOOP)
def test_koop_identifiers_are_named_on_officielebekendmakingen(identifier: str) -> None:
    assert str(IriMinter(BASE).publication(identifier)) == PUBLICATION_BASE + identifier


@pytest.mark.parametrize("identifier", NOT_KOOP)
def test_other_documents_are_named_under_the_base(identifier: str) -> None:
    iri = str(IriMinter(BASE).publication(identifier))
    assert iri == f"{BASE}document/{identifier}"
    assert not iri.startswith(PUBLICATION_BASE)


def test_corpus_build_mints_officielebekendmakingen_iris_only_for_koop_identifiers(corpus: Path, tmp_path: Path) -> None:
    from kg.build import build

    docs = corpus / "docs"
    inputs = [docs / "tk-2022D31072.html-text.excerpt.txt", docs / "tk-2025D04328.html-text.excerpt.txt",
              docs / "uitstelbrief-2009-01-13-Leijten-Amerpoort-Sherpa.opennieuwsbank.txt",
              docs / "ah-tk-20182019-3878.txt"]
    build(inputs, tmp_path, base=BASE, jobs=1, validate=False)
    g = Graph().parse(tmp_path / "kamervragen.nt", format="nt")
    documents = {s: str(o) for s, o in g.subject_objects(KV.identificatie)}
    assert documents, "the build named no documents"
    from kg.iris import KOOP_IDENTIFIER

    for node, identifier in documents.items():
        if KOOP_IDENTIFIER.match(identifier):
            assert str(node) == PUBLICATION_BASE + identifier
        else:
            assert str(node) == f"{BASE}document/{identifier}", identifier
    named = set(documents.values())
    assert {"tk-2022D31072", "tk-2025D04328", "ah-tk-20182019-3878"} <= named
    # the three documents without a KOOP identifier are all under the base
    local = [str(n) for n in documents if str(n).startswith(BASE + "document/")]
    assert len(local) >= 3
    assert not any(str(o).startswith(PUBLICATION_BASE + "tk-") for o in g.all_nodes())
    assert (None, KV.identificatie, Literal("tk-2022D31072")) in g
