"""Follow-up chains: a small hand-written graph with every edge kind, stubs,
context documents and ties, then the corpus build and the files drawn from
it, and the pages at a scale of thousands of chains."""
from __future__ import annotations

import datetime as dt
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest

from kg.chains import (
    ANSWERED_IN,
    CITES,
    DELAYS,
    chains_data,
    document_graph,
    estimate_from_identifier,
    find_chains,
    load_chains,
    palette,
    question_schemes,
    triples_of_rdflib,
)
from kg.iris import KOOP_IDENTIFIER
from kg.pictures import dot_quote, node_ids, write_chain_outputs
from kg.cli import main

OB = "https://zoek.officielebekendmakingen.nl/"

# Five chains and two publications in none:
#  A  questions kv-tk-2024Z00001, its delay notice (pointing at one of its
#     questions, not the document), the answer, and a follow-up citing the
#     answer and a Kamerstuk without any date (context);
#  B  two answers citing one earlier Aanhangsel stub, one also a Staatsblad
#     (context) whose identifier year (2023) lies after the citing answer (so
#     it is clamped);
#  C1, C2  two pairs with the same dates, each an answer citing an earlier
#     Aanhangsel stub: the tie goes by identifier. Both also cite kst-9-9,
#     which does not join them: a Kamerstuk is context;
#  D  a pair dated earlier than C1 and C2, which it therefore precedes;
#  E  an answer the build read under a Tweede Kamer document number
#     (tk-2022D00001, as Word answers are named) citing an earlier Aanhangsel:
#     a publication the build read is a question publication, whatever its
#     identifier;
#  600 cites only a Kamerstuk, 999 nothing: no chain.
GRAPH = """
@prefix kv: <https://w3id.org/kamervragen/def#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ob: <https://zoek.officielebekendmakingen.nl/> .
@prefix id: <https://w3id.org/kamervragen/id/> .

id:kamerlid\\/van-nispen-sp kv:achternaam "Van Nispen" ; kv:fractie id:fractie\\/sp .
id:fractie\\/sp a kv:Fractie ; rdfs:label "SP" .
id:kamerlid\\/kathmann-gl-pvda kv:achternaam "Kathmann" ; kv:fractie id:fractie\\/gl-pvda .
id:fractie\\/gl-pvda a kv:Fractie ; rdfs:label "GL-PvdA" .
id:kamerlid\\/nieuw kv:achternaam "Nieuwkomer" ; kv:fractie id:fractie\\/nieuw .
id:fractie\\/nieuw a kv:Fractie ; rdfs:label "Partij Nieuw" .

ob:kv-tk-2024Z00001 a kv:Document, kv:Vragenpublicatie ; kv:identificatie "kv-tk-2024Z00001" ;
    kv:bronbestand "kv.txt" ; kv:ingezondenOp "2024-01-10"^^xsd:date ; kv:onderwerp "de wachtlijsten" ;
    kv:gesteldDoor id:kamerlid\\/van-nispen-sp ; kv:heeftVraag id:vraag\\/kv-tk-2024Z00001-1 ;
    kv:beantwoordIn ob:ah-tk-20232024-100 .
ob:ah-tk-20232024-90 a kv:Document, kv:Mededeling ; kv:identificatie "ah-tk-20232024-90" ;
    kv:bronbestand "90.txt" ; kv:ingezondenOp "2024-01-10"^^xsd:date ; kv:ontvangenOp "2024-01-31"^^xsd:date ;
    kv:meldtUitstelVan id:vraag\\/kv-tk-2024Z00001-1 .
ob:ah-tk-20232024-100 a kv:Document ; kv:identificatie "ah-tk-20232024-100" ; kv:bronbestand "100.txt" ;
    kv:ingezondenOp "2024-01-10"^^xsd:date ; kv:ontvangenOp "2024-02-20"^^xsd:date ;
    kv:onderwerp "de wachtlijsten" ; kv:gesteldDoor id:kamerlid\\/van-nispen-sp .
ob:ah-tk-20232024-300 a kv:Document ; kv:identificatie "ah-tk-20232024-300" ; kv:bronbestand "300.txt" ;
    kv:ingezondenOp "2024-03-01"^^xsd:date ; kv:ontvangenOp "2024-03-20"^^xsd:date ; kv:antwoordtermijnDagen 25 ;
    kv:onderwerp "nogmaals de wachtlijsten" ;
    kv:gesteldDoor id:kamerlid\\/van-nispen-sp, id:kamerlid\\/kathmann-gl-pvda ;
    kv:verwijstNaar ob:ah-tk-20232024-100, ob:kst-36000-5 .
ob:kst-36000-5 a kv:Document ; kv:identificatie "kst-36000-5" .

ob:ah-tk-20222023-50 a kv:Document ; kv:identificatie "ah-tk-20222023-50" ; kv:bronbestand "50.txt" ;
    kv:ingezondenOp "2022-10-01"^^xsd:date ; kv:ontvangenOp "2022-10-20"^^xsd:date ;
    kv:gesteldDoor id:kamerlid\\/nieuw ; kv:verwijstNaar ob:ah-tk-20212022-7 .
ob:ah-tk-20222023-60 a kv:Document ; kv:identificatie "ah-tk-20222023-60" ; kv:bronbestand "60.txt" ;
    kv:ingezondenOp "2022-11-01"^^xsd:date ; kv:ontvangenOp "2022-11-15"^^xsd:date ;
    kv:verwijstNaar ob:ah-tk-20212022-7, ob:stb-2023-1 .
ob:ah-tk-20212022-7 a kv:Document ; kv:identificatie "ah-tk-20212022-7" .
ob:stb-2023-1 a kv:Document ; kv:identificatie "stb-2023-1" .

ob:ah-tk-20232024-500 a kv:Document ; kv:identificatie "ah-tk-20232024-500" ; kv:bronbestand "500.txt" ;
    kv:ingezondenOp "2023-11-01"^^xsd:date ; kv:ontvangenOp "2023-11-20"^^xsd:date ;
    kv:verwijstNaar ob:ah-tk-20232024-11, ob:kst-9-9 .
ob:ah-tk-20232024-11 a kv:Document ; kv:identificatie "ah-tk-20232024-11" .
ob:ah-tk-20232024-400 a kv:Document ; kv:identificatie "ah-tk-20232024-400" ; kv:bronbestand "400.txt" ;
    kv:ingezondenOp "2023-11-01"^^xsd:date ; kv:ontvangenOp "2023-11-20"^^xsd:date ;
    kv:verwijstNaar ob:ah-tk-20232024-12, ob:kst-9-9 .
ob:ah-tk-20232024-12 a kv:Document ; kv:identificatie "ah-tk-20232024-12" .
ob:kst-9-9 a kv:Document ; kv:identificatie "kst-9-9" .
ob:ah-tk-20232024-600 a kv:Document ; kv:identificatie "ah-tk-20232024-600" ; kv:bronbestand "600.txt" ;
    kv:ingezondenOp "2023-12-01"^^xsd:date ; kv:ontvangenOp "2023-12-20"^^xsd:date ; kv:verwijstNaar ob:kst-1-1 .
ob:kst-1-1 a kv:Document ; kv:identificatie "kst-1-1" .

ob:ah-tk-20212022-10 a kv:Document ; kv:identificatie "ah-tk-20212022-10" ; kv:bronbestand "10.txt" ;
    kv:ingezondenOp "2021-10-01"^^xsd:date ; kv:ontvangenOp "2021-10-15"^^xsd:date ; kv:verwijstNaar ob:ah-tk-20212022-5 .
ob:ah-tk-20212022-5 a kv:Document ; kv:identificatie "ah-tk-20212022-5" .

id:document\\/tk-2022D00001 a kv:Document ; kv:identificatie "tk-2022D00001" ; kv:bronbestand "tk.docx" ;
    kv:ontvangenOp "2022-06-01"^^xsd:date ; kv:verwijstNaar ob:ah-tk-20212022-3173 .
ob:ah-tk-20212022-3173 a kv:Document ; kv:identificatie "ah-tk-20212022-3173" .

ob:ah-tk-20232024-999 a kv:Document ; kv:identificatie "ah-tk-20232024-999" ; kv:bronbestand "999.txt" ;
    kv:ingezondenOp "2024-05-01"^^xsd:date .
"""


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("chains") / "graph.ttl"
    path.write_text(GRAPH, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def chains(graph_file):
    return load_chains(graph_file)


def ids(chain) -> list[str]:
    return [d.identifier for d in chain.documents]


def test_chains_in_order_longest_first_ties_by_date_then_identifier(chains):
    assert [ids(c) for c in chains] == [
        ["kst-36000-5", "kv-tk-2024Z00001", "ah-tk-20232024-90", "ah-tk-20232024-100", "ah-tk-20232024-300"],
        ["ah-tk-20212022-7", "ah-tk-20222023-50", "stb-2023-1", "ah-tk-20222023-60"],
        ["ah-tk-20212022-5", "ah-tk-20212022-10"],
        ["ah-tk-20212022-3173", "tk-2022D00001"],
        ["ah-tk-20232024-11", "kst-9-9", "ah-tk-20232024-500"],
        ["ah-tk-20232024-12", "kst-9-9", "ah-tk-20232024-400"],
    ]
    assert [len(c) for c in chains] == [4, 3, 2, 2, 2, 2]  # publications, the context left out
    assert [c.number for c in chains] == [1, 2, 3, 4, 5, 6]
    assert [c.slug for c in chains] == [
        "kv-tk-2024Z00001", "ah-tk-20212022-7", "ah-tk-20212022-5", "ah-tk-20212022-3173", "ah-tk-20232024-11", "ah-tk-20232024-12"]
    assert all("ah-tk-20232024-999" not in ids(c) and "ah-tk-20232024-600" not in ids(c) for c in chains)


def test_a_cited_kamerstuk_is_context_and_joins_no_chains(chains):
    """kst-9-9 is cited by 500 and 400, which follow up different questions:
    two chains, each showing kst-9-9 as context. 600 cites only a Kamerstuk:
    it follows up no question and is in no chain."""
    with_kst = [c for c in chains if "kst-9-9" in ids(c)]
    assert [c.number for c in with_kst] == [5, 6]
    for c in with_kst:
        (kst,) = [d for d in c.documents if d.identifier == "kst-9-9"]
        assert kst.context and kst not in c.members and kst in c.context_documents
    contexts = {d.identifier for c in chains for d in c.context_documents}
    assert contexts == {"kst-36000-5", "stb-2023-1", "kst-9-9"}
    assert not any(d.context for c in chains for d in c.documents if d.identifier.startswith(question_schemes()) or d.in_corpus)


def test_question_schemes_are_data():
    assert question_schemes() == ("ah-", "kv-")


def test_the_three_edge_kinds(chains):
    edges = {(e.source, e.target, e.kind) for e in chains[0].edges}
    assert edges == {
        ("kv-tk-2024Z00001", "ah-tk-20232024-100", ANSWERED_IN),
        # the notice points at a question: the edge goes to its document
        ("ah-tk-20232024-90", "kv-tk-2024Z00001", DELAYS),
        ("ah-tk-20232024-300", "ah-tk-20232024-100", CITES),
        ("ah-tk-20232024-300", "kst-36000-5", CITES),
    }


def test_dates_answer_times_askers_and_stubs(chains):
    docs = {d.identifier: d for d in chains[0].documents}
    assert docs["kv-tk-2024Z00001"].kind == "questions" and docs["kv-tk-2024Z00001"].dagen is None
    assert docs["ah-tk-20232024-90"].kind == "notice" and docs["ah-tk-20232024-90"].dagen == 21
    assert docs["ah-tk-20232024-100"].dagen == 41  # 2024-01-10 -> 2024-02-20
    assert docs["ah-tk-20232024-300"].dagen == 25  # kv:antwoordtermijnDagen wins over the dates (19)
    assert docs["ah-tk-20232024-100"].date == dt.date(2024, 2, 20) and not docs["ah-tk-20232024-100"].estimated
    # GL-PvdA is one of the palette's spellings of GroenLinks-PvdA
    assert [str(a) for a in docs["ah-tk-20232024-300"].askers] == ["Kathmann (GroenLinks-PvdA)", "Van Nispen (SP)"]
    stub = docs["kst-36000-5"]
    assert not stub.in_corpus and stub.kind == "stub" and stub.estimated and stub.context
    assert stub.date == dt.date(2024, 1, 10)  # no year in the identifier: at the start of the chain
    assert "start" in stub.date_note
    b = {d.identifier: d for d in chains[1].documents}
    assert b["ah-tk-20212022-7"].date == dt.date(2021, 9, 1) and b["ah-tk-20212022-7"].date_basis == "identifier"
    assert b["stb-2023-1"].date == dt.date(2022, 11, 15)  # 2023 is after what cites it: kept before it
    assert b["stb-2023-1"].context and not b["ah-tk-20212022-7"].context  # an Aanhangsel stub is part of the chain
    assert [str(a) for a in b["ah-tk-20222023-50"].askers] == ["Nieuwkomer (Partij Nieuw)"]
    assert chains[0].start == dt.date(2024, 1, 10) and chains[0].end == dt.date(2024, 3, 20)


def test_min_length(graph_file):
    assert [len(c) for c in load_chains(graph_file, min_length=3)] == [4, 3]
    assert [len(c) for c in load_chains(graph_file, min_length=4)] == [4]
    assert load_chains(graph_file, min_length=5) == []


def test_rdflib_graph_gives_the_same_chains(chains):
    from rdflib import Graph

    g = Graph().parse(data=GRAPH, format="turtle")
    assert [ids(c) for c in find_chains(document_graph(triples_of_rdflib(g)))] == [ids(c) for c in chains]


def test_ntriples_fast_path_gives_the_same_chains(chains, tmp_path):
    from rdflib import Graph

    nt = tmp_path / "graph.nt"
    Graph().parse(data=GRAPH, format="turtle").serialize(nt, format="nt", encoding="utf-8")
    assert chains_data(load_chains(nt)) == chains_data(chains)


def test_estimates_from_identifiers():
    assert estimate_from_identifier("ah-tk-20142015-403")[0] == dt.date(2014, 9, 1)
    assert estimate_from_identifier("kv-tk-2024Z14250")[0] == dt.date(2024, 1, 1)
    assert estimate_from_identifier("stcrt-2019-12345")[0] == dt.date(2019, 1, 1)
    assert estimate_from_identifier("kst-28828-66") is None


def test_palette_knows_the_spellings():
    pal = palette()
    assert pal.party("GroenLinks–PvdA") == pal.party("GL/PvdA") == "GroenLinks-PvdA"
    assert pal.party("Nieuw Sociaal Contract") == "NSC"
    assert pal.party("Christen Unie") == "ChristenUnie"
    assert pal.colour("Partij Nieuw") == pal.unknown
    assert len(set(pal.colours.values())) == len(pal.colours)  # no two parties share a colour


def test_dot_quote():
    assert dot_quote('a "b" \\ c\nd') == '"a \\"b\\" \\\\ c\\nd"'


# ------------------------------------------------------------------ command


def test_kg_chains_table_and_json(graph_file, capsys):
    assert main(["chains", "--graph", str(graph_file)]) == 0
    out = capsys.readouterr().out
    assert out.index("kv-tk-2024Z00001") < out.index("ah-tk-20232024-90") < out.index("ah-tk-20232024-300")
    assert "41 days" in out and "Van Nispen (SP)" in out
    assert main(["chains", "--graph", str(graph_file), "--format", "json", "--min-length", "3"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [c["length"] for c in data] == [4, 3]
    assert data[0]["page"] == "chains/kv-tk-2024Z00001.html" and data[0]["documents"][0]["context"]
    first = data[0]["documents"][3]
    assert first["identifier"] == "ah-tk-20232024-100" and first["answer_days"] == 41
    assert first["url"] == OB + "ah-tk-20232024-100.html"


def test_kg_chains_exit_codes(graph_file, tmp_path, capsys):
    lone = tmp_path / "lone.ttl"
    lone.write_text(
        '@prefix kv: <https://w3id.org/kamervragen/def#> .\n'
        '<https://zoek.officielebekendmakingen.nl/ah-tk-20232024-1> a kv:Document ; kv:identificatie "ah-tk-20232024-1" .\n',
        encoding="utf-8",
    )
    assert main(["chains", "--graph", str(lone)]) == 1
    assert main(["chains", "--graph", str(tmp_path / "missing.nt")]) == 2
    assert main(["chains", "--graph", str(graph_file), "--min-length", "1"]) == 2
    assert main(["chains", "--graph", str(graph_file), "--out", str(tmp_path / "out")]) == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["chains", "chains.dot", "chains.graphml", "chains.html"]


# ------------------------------------------------------------------ outputs


class _Page(HTMLParser):
    """What a reader of chains.html can click and see: the drawn nodes."""

    def __init__(self) -> None:
        super().__init__()
        self.in_svg = 0
        self.nodes: list[dict[str, str]] = []
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        self.tags.append((tag, a))
        if tag == "svg":
            self.in_svg += 1
        if tag == "a" and self.in_svg and "data-identifier" in a:
            self.nodes.append(a)

    def handle_endtag(self, tag):
        if tag == "svg":
            self.in_svg -= 1


def check_offline(html: str) -> _Page:
    """Offline: no stylesheet, font, image or script from elsewhere; a script
    only inline or from a file beside the page."""
    page = _Page()
    page.feed(html)
    page.close()
    assert not [t for t, _ in page.tags if t in ("link", "img", "iframe")]
    assert not re.search(r"url\(\s*['\"]?https?:|@import|@font-face", html)
    for tag, a in page.tags:
        if a.get("src"):
            assert tag == "script" and not re.match(r"[a-z]+:|//", a["src"]), a
    return page


def check_page(html: str, chain) -> _Page:
    """A chain's page: one drawn node per document, each linking to its publication."""
    page = check_offline(html)
    assert sorted(n["data-identifier"] for n in page.nodes) == sorted(d.identifier for d in chain.documents)
    for node in page.nodes:
        ident = node["data-identifier"]
        # only identifiers KOOP issues have a page there (README, "Document IRIs")
        if KOOP_IDENTIFIER.match(ident):
            assert node["href"] == f"{OB}{ident}.html"
        else:
            assert not node["href"].startswith(OB)
    assert not [t for t, _ in page.tags if t == "script"]  # a chain page needs none
    return page


def check_site(out: Path, chains, listed: int | None = None) -> None:
    """chains.html lists the longest chains and links to each one's page;
    every chain has its page; the lists and the search index hold them all."""
    overview = check_offline((out / "chains.html").read_text(encoding="utf-8"))
    links = [a["href"] for t, a in overview.tags if t == "a" and a.get("href", "").startswith("chains/") and not a["href"].startswith("chains/list-")]
    assert links == [f"chains/{c.slug}.html" for c in chains[: listed if listed is not None else len(chains)]]
    assert not overview.nodes  # the overview draws no time line
    for c in chains:
        check_page((out / "chains" / f"{c.slug}.html").read_text(encoding="utf-8"), c)
    pages = sorted(p.name for p in (out / "chains").glob("*.html") if not p.name.startswith("list-"))
    assert pages == sorted(f"{c.slug}.html" for c in chains)
    listed_all = []
    for path in sorted((out / "chains").glob("list-*.html"), key=lambda p: int(p.stem.split("-")[1])):
        lst = check_offline(path.read_text(encoding="utf-8"))
        listed_all += [a["href"] for t, a in lst.tags if t == "a" and a.get("href", "").endswith(".html") and not a["href"].startswith(("list-", "..", "http"))]
    assert listed_all == [f"{c.slug}.html" for c in chains]
    index = (out / "chains" / "search.js").read_text(encoding="utf-8")
    rows = json.loads(index[index.index("["): index.rindex("]") + 1])
    assert [r[0] for r in rows] == [c.slug for c in chains]


def check_dot(text: str, chains) -> None:
    """A small structural check of DOT: every statement is a node or an edge
    between quoted IDs, braces balance, and each document is declared once."""
    quoted = r'"(?:[^"\\]|\\.)*"'
    attrs = rf'\[(?:\s*\w+={quoted},?)*\s*\]'
    declared, depth = [], 0
    for line in text.splitlines():
        s = line.strip()
        if not s or s.startswith("//"):
            continue
        if re.fullmatch(rf"(?:digraph|subgraph) {quoted} \{{", s):
            depth += 1
        elif s == "}":
            depth -= 1
        elif m := re.fullmatch(rf"({quoted}) {attrs};", s):
            declared.append(m.group(1))
        elif not re.fullmatch(rf"{quoted} -> {quoted} {attrs};|(?:graph|node|edge) {attrs};|label={quoted};|color={quoted};", s):
            raise AssertionError(f"not a DOT statement: {s}")
        assert depth >= 0
    assert depth == 0
    assert sorted(declared) == sorted(dot_quote(node) for c in chains for node in node_ids(c).values())
    assert len(re.findall(r"^\s*\S.* -> ", text, re.MULTILINE)) == sum(len(c.edges) for c in chains)


def check_graphml(path: Path, chains) -> None:
    g = nx.read_graphml(path, force_multigraph=True)
    docs = {node_ids(c)[d.identifier]: d for c in chains for d in c.documents}
    assert set(g.nodes) == set(docs)
    for node, attrs in g.nodes(data=True):
        d = docs[node]
        assert attrs["identifier"] == d.identifier and attrs["in_corpus"] == d.in_corpus and attrs["context"] == d.context
        assert attrs["date"] == (d.date.isoformat() if d.date else "")
        assert {"party", "subject"} <= set(attrs)
    assert g.number_of_edges() == sum(len(c.edges) for c in chains)


def test_outputs_of_the_small_graph(chains, tmp_path):
    write_chain_outputs(chains, tmp_path, "graph.ttl")
    check_site(tmp_path, chains)
    first = (tmp_path / "chains" / f"{chains[0].slug}.html").read_text(encoding="utf-8")
    page = check_page(first, chains[0])
    by_id = {n["data-identifier"]: n for n in page.nodes}
    assert "context" in by_id["kst-36000-5"]["class"] and "stub" not in by_id["ah-tk-20232024-100"]["class"]
    for kind in (CITES, ANSWERED_IN, DELAYS):
        assert f">{kind}</text>" in first  # every edge kind is labelled on the drawing
    html = (tmp_path / "chains.html").read_text(encoding="utf-8")
    assert palette().colours["SP"] in html and "Van Nispen (SP)" in html
    assert "Partij Nieuw" in (tmp_path / "chains" / f"{chains[1].slug}.html").read_text(encoding="utf-8")  # in that chain's legend
    check_dot((tmp_path / "chains.dot").read_text(encoding="utf-8"), chains)
    check_graphml(tmp_path / "chains.graphml", chains)


def test_pydot_reads_the_dot_file(chains, tmp_path):
    pydot = pytest.importorskip("pydot")
    write_chain_outputs(chains, tmp_path)
    (graph,) = pydot.graph_from_dot_file(str(tmp_path / "chains.dot"))
    assert len(graph.get_subgraphs()) == len(chains)


def test_outputs_are_byte_identical_on_rewrite(graph_file, tmp_path):
    write_chain_outputs(load_chains(graph_file), tmp_path / "a")
    write_chain_outputs(load_chains(graph_file), tmp_path / "b")
    names = sorted(str(p.relative_to(tmp_path / "a")) for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert "chains/search.js" in names and len(names) == 3 + 6 + 2  # and a page per chain, a list, the index
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_rewriting_leaves_no_page_of_an_earlier_graph(chains, tmp_path):
    write_chain_outputs(chains, tmp_path)
    write_chain_outputs(chains[:2], tmp_path)
    assert sorted(p.name for p in (tmp_path / "chains").iterdir()) == sorted(
        [f"{c.slug}.html" for c in chains[:2]] + ["list-1.html", "search.js"]
    )
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_no_overlapping_cards(chains):
    from kg.pictures import layout

    for c in chains:
        lay = layout(c)
        boxes = [(n["x"], n["y"], n["x"] + lay["card_w"], n["y"] + n["h"]) for n in lay["nodes"]]
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)


def test_no_chains_page(tmp_path):
    write_chain_outputs([], tmp_path)
    assert "No follow-up chains" in (tmp_path / "chains.html").read_text(encoding="utf-8")
    assert [p.name for p in (tmp_path / "chains").iterdir()] == ["search.js"]
    assert nx.read_graphml(tmp_path / "chains.graphml").number_of_nodes() == 0


# ------------------------------------------------------------------ corpus


@pytest.fixture(scope="module")
def corpus_build(corpus, tmp_path_factory) -> Path:
    from kg.build import build

    out = tmp_path_factory.mktemp("corpus-chains")
    build([corpus / "docs", corpus / "unlabelled"], out, validate=False)
    return out


def test_corpus_chain_698_cites_403(corpus_build):
    chains = load_chains(corpus_build / "kamervragen.nt")
    (chain,) = [c for c in chains if "ah-tk-20142015-698" in ids(c)]
    assert "ah-tk-20142015-403" in ids(chain)
    assert ids(chain).index("ah-tk-20142015-403") < ids(chain).index("ah-tk-20142015-698")
    doc = next(d for d in chain.documents if d.identifier == "ah-tk-20142015-698")
    assert doc.in_corpus and doc.dagen is not None and doc.askers
    stub = next(d for d in chain.documents if d.identifier == "ah-tk-20142015-403")
    assert not stub.in_corpus and stub.date_basis == "identifier"
    # longest first, every chain has at least two publications
    assert [len(c) for c in chains] == sorted((len(c) for c in chains), reverse=True) and len(chains[-1]) >= 2


def test_corpus_chain_joined_by_a_kamerstuk_splits(corpus_build):
    """ah-tk-20232024-2271 and ah-tk-20232024-2395 both cite Kamerstuk 31 839,
    nr. 1024, and nothing else links them: today's 13-long corpus "chain".
    2271 follows up Aanhangsel 2147, with its Kamerstukken as context; 2395
    cites only Kamerstukken, so it is in no chain."""
    chains = load_chains(corpus_build / "kamervragen.nt")
    (chain,) = [c for c in chains if "ah-tk-20232024-2271" in ids(c)]
    assert [d.identifier for d in chain.members] == ["ah-tk-20232024-2147", "ah-tk-20232024-2271"]
    assert "kst-31839-1024" in {d.identifier for d in chain.context_documents}
    assert not [c for c in chains if "ah-tk-20232024-2395" in ids(c)]
    # A Word answer named by its Tweede Kamer number is a question publication all the same.
    (word,) = [c for c in chains if "tk-2022D31072" in ids(c)]
    assert "ah-tk-20212022-3173" in {d.identifier for d in word.members}
    # No chain is joined through a document that is not a question publication.
    for c in chains:
        links = nx.Graph()
        links.add_nodes_from(d.identifier for d in c.members)
        links.add_edges_from((e.source, e.target) for e in c.edges if e.source in links and e.target in links)
        assert nx.is_connected(links), c.slug
        assert all(d.identifier.startswith(question_schemes()) or d.in_corpus for d in c.members)


def test_corpus_build_writes_the_chain_files(corpus_build):
    chains = load_chains(corpus_build / "kamervragen.nt")
    check_site(corpus_build, chains)
    check_graphml(corpus_build / "chains.graphml", chains)
    check_dot((corpus_build / "chains.dot").read_text(encoding="utf-8"), chains)


def test_overview_lists_the_longest_chains_only_when_there_are_many(chains, tmp_path):
    write_chain_outputs(chains, tmp_path, max_listed=2)
    html = (tmp_path / "chains.html").read_text(encoding="utf-8")
    check_site(tmp_path, chains, listed=2)
    assert "4 shorter chains are not listed here" in html
    # the other files keep every chain
    check_graphml(tmp_path / "chains.graphml", chains)
    check_dot((tmp_path / "chains.dot").read_text(encoding="utf-8"), chains)


# ------------------------------------------------------------------ scale


def test_pages_stay_small_with_thousands_of_chains(tmp_path, monkeypatch):
    """3,000 chains (6,000 publications and one Kamerstuk that all of them
    cite): the Kamerstuk joins none of them; the overview stays small, a list
    page holds LIST_PAGE chains, each chain has its page, no HTML file is
    large, and the search index holds every chain."""
    from kg import pictures

    monkeypatch.setattr(pictures, "LIST_PAGE", 1000)
    kv, ob = "https://w3id.org/kamervragen/def#", OB
    triples = []
    for i in range(3000):
        year = 2010 + i % 14
        answer, question = f"ah-tk-{year}{year + 1}-{i + 1}", f"kv-tk-{year}Z{i:05d}"
        for ident in (answer, question):
            triples += [(ob + ident, kv + "identificatie", ident), (ob + ident, kv + "bronbestand", ident + ".txt")]
        triples += [
            (ob + answer, kv + "ontvangenOp", f"{year}-11-{1 + i % 28:02d}"),
            (ob + question, kv + "ingezondenOp", f"{year}-10-{1 + i % 28:02d}"),
            (ob + question, kv + "beantwoordIn", ob + answer),
            (ob + answer, kv + "verwijstNaar", ob + "kst-36600-1"),
            (ob + "kst-36600-1", kv + "identificatie", "kst-36600-1"),
        ]
    chains = find_chains(document_graph(triples))
    assert len(chains) == 3000 and {len(c) for c in chains} == {2}
    assert all([d.identifier for d in c.context_documents] == ["kst-36600-1"] for c in chains)
    write_chain_outputs(chains, tmp_path)
    overview = tmp_path / "chains.html"
    assert overview.stat().st_size < 400_000
    html = sorted((tmp_path / "chains").glob("*.html"))
    assert len(html) == 3000 + 3
    assert max(p.stat().st_size for p in html) < 2_000_000
    index = (tmp_path / "chains" / "search.js").read_text(encoding="utf-8")
    assert index.count("\n[") == 3000


def test_pages_written_in_worker_processes_are_the_same(chains, tmp_path, monkeypatch):
    from kg import pictures

    write_chain_outputs(chains, tmp_path / "serial", jobs=1)
    monkeypatch.setattr(pictures, "PAGES_PER_TASK", 2)  # three tasks over two workers
    write_chain_outputs(chains, tmp_path / "parallel", jobs=2)
    names = sorted(p.name for p in (tmp_path / "serial" / "chains").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "parallel" / "chains").iterdir())
    for name in names:
        assert (tmp_path / "serial" / "chains" / name).read_bytes() == (tmp_path / "parallel" / "chains" / name).read_bytes(), name
