"""How long follow-up chains take on a large graph (not a test).

Generates a synthetic build of N publications in the project's shape (about
60 triples each: questions and answers with text, askers with parties,
citations as kv:Verwijzing, dates) in which a third of the publications
follow up on an earlier one (kv:verwijstNaar), half cite one to three
Kamerstukken outside the corpus (context), one in twenty cites the same
budget Kamerstuk, and one in ten is a question-only publication answered
later (kv:beantwoordIn), some with a delay notice (kv:meldtUitstelVan).
Then times, on the N-Triples dump:

  extract    reading the wanted triples out of the dump (line filter + pyoxigraph)
  graph      building the networkx document graph
  chains     components over the links between questions, context, placing in time, sorting
  outputs    chains.html, chains/ (a page per chain, lists, search index), chains.graphml, chains.dot
  full parse for comparison: pyoxigraph parsing every triple of the dump

and prints the number of chains and the longest, the largest HTML file, and
the longest "chain" the old rule (a component over every citation) would
have made, which the much-cited Kamerstuk joins. Wall-clock seconds, and in
brackets the CPU seconds of this process (the figure to trust on a busy
machine; the pages are written in worker processes, whose CPU is not in it).

Usage: .venv/bin/python benchmarks/bench_chains.py [N ...]   (default 10000 50000)
"""
from __future__ import annotations

import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

from kg.chains import (
    _plain,
    chains_data,
    document_graph,
    find_chains,
    read_triples,
)
from kg.pictures import write_chain_outputs

KV = "https://w3id.org/kamervragen/def#"
OB = "https://zoek.officielebekendmakingen.nl/"
ID = "https://w3id.org/kamervragen/id/"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
DATE = "<http://www.w3.org/2001/XMLSchema#date>"
INT = "<http://www.w3.org/2001/XMLSchema#integer>"
PARTIES = ["VVD", "PVV", "NSC", "BBB", "GroenLinks-PvdA", "D66", "CDA", "SP", "ChristenUnie", "SGP", "PvdD", "DENK", "Volt", "JA21", "FVD"]
TEXT = "Bent u bekend met het bericht over de wachtlijsten in de zorg, en wat is uw reactie daarop? " * 3


def generate(n: int, path: Path, seed: int = 3) -> int:
    rnd = random.Random(seed)
    members = [(f"lid{i}", rnd.choice(PARTIES)) for i in range(300)]
    start = dt.date(2015, 1, 1)
    lines: list[str] = []
    count = 0

    def t(s: str, p: str, o: str) -> None:
        lines.append(f"{s} {p} {o} .\n")

    with path.open("w", encoding="utf-8") as fh:
        for name, party in members:
            k = f"<{ID}kamerlid/{name}>"
            t(k, RDF_TYPE, f"<{KV}Kamerlid>")
            t(k, f"<{KV}achternaam>", f'"{name.title()}"')
            t(k, f"<{KV}fractie>", f"<{ID}fractie/{party.lower()}>")
            t(f"<{ID}fractie/{party.lower()}>", LABEL, f'"{party}"')
        for i in range(n):
            ingezonden = start + dt.timedelta(days=i * 3650 // n)
            ontvangen = ingezonden + dt.timedelta(days=rnd.randint(14, 90))
            year = ingezonden.year if ingezonden.month >= 9 else ingezonden.year - 1
            ident = f"ah-tk-{year}{year + 1}-{i}"
            doc = f"<{OB}{ident}>"
            if rnd.random() < 0.1:  # questions published first, answered later
                kv = f"<{OB}kv-tk-{ingezonden.year}Z{i:05d}>"
                t(kv, RDF_TYPE, f"<{KV}Document>")
                t(kv, RDF_TYPE, f"<{KV}Vragenpublicatie>")
                t(kv, f"<{KV}identificatie>", f'"kv-tk-{ingezonden.year}Z{i:05d}"')
                t(kv, f"<{KV}bronbestand>", f'"kv-{i}.txt"')
                t(kv, f"<{KV}ingezondenOp>", f'"{ingezonden}"^^{DATE}')
                t(kv, f"<{KV}beantwoordIn>", doc)
                if rnd.random() < 0.3:
                    med = f"<{OB}ah-tk-{year}{year + 1}-m{i}>"
                    t(med, RDF_TYPE, f"<{KV}Mededeling>")
                    t(med, f"<{KV}identificatie>", f'"ah-tk-{year}{year + 1}-m{i}"')
                    t(med, f"<{KV}bronbestand>", f'"m-{i}.txt"')
                    t(med, f"<{KV}ingezondenOp>", f'"{ingezonden}"^^{DATE}')
                    t(med, f"<{KV}ontvangenOp>", f'"{ingezonden + dt.timedelta(days=21)}"^^{DATE}')
                    t(med, f"<{KV}meldtUitstelVan>", kv)
            t(doc, RDF_TYPE, f"<{KV}Document>")
            t(doc, LABEL, f'"{ident}"')
            t(doc, f"<{KV}identificatie>", f'"{ident}"')
            t(doc, f"<{KV}nummer>", f'"{i}"^^{INT}')
            t(doc, f"<{KV}vergaderjaar>", f'"{year}-{year + 1}"')
            t(doc, f"<{KV}onderwerp>", f'"onderwerp nummer {i} over de zorg"')
            t(doc, f"<{KV}ingezondenOp>", f'"{ingezonden}"^^{DATE}')
            t(doc, f"<{KV}ontvangenOp>", f'"{ontvangen}"^^{DATE}')
            t(doc, f"<{KV}bronbestand>", f'"{ident}.pdf"')
            t(doc, f"<{KV}sha256>", f'"{rnd.getrandbits(128):032x}"')
            for name, _ in rnd.sample(members, rnd.randint(1, 2)):
                t(doc, f"<{KV}gesteldDoor>", f"<{ID}kamerlid/{name}>")
            for q in range(1, 7):
                v = f"<{ID}vraag/{ident}-{q}>"
                t(doc, f"<{KV}heeftVraag>", v)
                t(v, RDF_TYPE, f"<{KV}Vraag>")
                t(v, f"<{KV}nummer>", f'"{q}"^^{INT}')
                t(v, f"<{KV}tekst>", f'"{TEXT}"@nl')
            for a in range(1, 5):
                ans = f"<{ID}antwoord/{ident}-{a}>"
                t(doc, f"<{KV}heeftAntwoord>", ans)
                t(ans, RDF_TYPE, f"<{KV}Antwoord>")
                t(ans, f"<{KV}tekst>", f'"{TEXT}"@nl')
                t(ans, f"<{KV}beantwoordt>", f"<{ID}vraag/{ident}-{a}>")
            cited = []
            if i > 10 and rnd.random() < 0.33:  # a follow-up on a recent publication
                j = rnd.randint(max(0, i - 200), i - 1)
                y = (start + dt.timedelta(days=j * 3650 // n))
                y = y.year if y.month >= 9 else y.year - 1
                cited.append(f"ah-tk-{y}{y + 1}-{j}")
            if rnd.random() < 0.5:
                cited += [f"kst-{rnd.randint(20000, 36500)}-{rnd.randint(1, 400)}" for _ in range(rnd.randint(1, 3))]
            if rnd.random() < 0.05:  # the budget everyone cites
                cited.append("kst-36600-1")
            for c, target in enumerate(cited, start=1):
                r = f"<{ID}verwijzing/{ident}-{c}>"
                t(r, RDF_TYPE, f"<{KV}Verwijzing>")
                t(r, f"<{KV}bron>", doc)
                t(r, f"<{KV}doel>", f"<{OB}{target}>")
                t(r, f"<{KV}citaat>", f'"{target}"')
                t(doc, f"<{KV}verwijstNaar>", f"<{OB}{target}>")
                t(f"<{OB}{target}>", RDF_TYPE, f"<{KV}Document>")
                t(f"<{OB}{target}>", f"<{KV}identificatie>", f'"{target}"')
            if len(lines) > 100_000:
                count += len(lines)
                fh.writelines(lines)
                lines.clear()
        count += len(lines)
        fh.writelines(lines)
    return count


def main(sizes: list[int]) -> None:
    import networkx as nx
    import pyoxigraph as ox

    print(
        f"{'publications':>12} {'triples':>10} {'extract':>8} {'graph':>7} {'chains':>7} {'outputs':>8} {'full parse':>10}"
        f"  {'chains (longest)':>17} {'largest html':>12} {'old rule longest':>16}"
    )
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix="bench-chains-") as tmp:
            nt = Path(tmp) / "kamervragen.nt"
            triples = generate(n, nt)
            c0, t0 = time.process_time(), time.perf_counter()
            wanted = list(read_triples(nt))
            c1, t1 = time.process_time(), time.perf_counter()
            graph = document_graph(wanted)
            c2, t2 = time.process_time(), time.perf_counter()
            chains = find_chains(graph)
            c3, t3 = time.process_time(), time.perf_counter()
            write_chain_outputs(chains, Path(tmp) / "out")
            c4, t4 = time.process_time(), time.perf_counter()
            full = list(_plain(ox.parse(path=str(nt), format=ox.RdfFormat.N_TRIPLES)))
            t5 = time.perf_counter()
            # the line selection loses nothing the chains need
            assert chains_data(find_chains(document_graph(full))) == chains_data(chains)
            largest = max(p.stat().st_size for p in (Path(tmp) / "out").rglob("*.html"))
            old_rule = max((len(c) for c in nx.weakly_connected_components(graph)), default=0)
            print(
                f"{n:>12} {triples:>10} {t1 - t0:>7.2f}s {t2 - t1:>6.2f}s {t3 - t2:>6.2f}s {t4 - t3:>7.2f}s {t5 - t4:>9.2f}s"
                f"  {len(chains):>9} ({len(chains[0]) if chains else 0:>4}) {largest / 1e6:>10.2f}MB {old_rule:>16}"
            )
            print(f"{'(CPU)':>23} {c1 - c0:>7.2f}s {c2 - c1:>6.2f}s {c3 - c2:>6.2f}s {c4 - c3:>7.2f}s")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10_000, 50_000])
