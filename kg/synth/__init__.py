"""``kg synth``: realistic generated publications with their truth.

A set of N publications is planned from the real metadata shipped in
kg/synth/data (plan.py: zaken, threads of follow-up questions, notices and
answers with their dates and Aanhangsel numbers), written out as text
(compose.py: what each publication says) in one of the layouts the parser
reads (layouts.py with templates/*.j2), and described field by field in the
gold format of shared/corpus/README.md, so that
shared/tools/score_extraction.py scores a build of the set against it.

Layout of the output folder:

    OUT/docs/...          the publications (in subfolders of --per-folder files, if asked)
    OUT/gold/<id>.json    the truth, one file per publication
    OUT/synth.json        what was generated: seed, counts per layout, chain lengths

The same N, seed and layouts give byte-identical files.
"""
from __future__ import annotations

import json
import os
import random
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from kg.errors import UsageError


@dataclass
class SynthResult:
    publications: int
    by_layout: dict[str, int]
    chains: dict[int, int]  # chain length -> how many chains
    seconds: float
    out: Path


def layout_names() -> list[str]:
    from kg.synth.plan import layouts

    return list(layouts())


def generate(n: int, out: Path, *, seed: int = 1, layouts: list[str] | None = None, per_folder: int = 0,
             variants: list[str] | None = None) -> SynthResult:
    """Write ``n`` publications and their truth under ``out``. ``variants``
    names realistic variants the parser does not yet read right
    (kg.synth.layouts.VARIANTS); they are left out unless named."""
    import time

    from kg.synth.compose import NBSP, Composer, truth
    from kg.synth.layouts import RENDERERS, VARIANTS
    from kg.synth.plan import layouts as all_layouts
    from kg.synth.plan import plan

    known = layout_names()
    if n < 1:
        raise UsageError("the number of publications must be at least 1")
    unknown = [name for name in layouts or [] if name not in known]
    if unknown:
        raise UsageError(f"unknown layout {', '.join(unknown)}; kg synth writes {', '.join(known)}")
    bad = [v for v in variants or [] if v not in VARIANTS]
    if bad:
        raise UsageError(f"unknown variant {', '.join(bad)}; kg synth knows {', '.join(VARIANTS)}")
    chosen = frozenset(variants or ())
    start = time.perf_counter()
    pubs = plan(n, seed, layouts, chosen)
    composer = Composer(seed)
    docs, gold = out / "docs", out / "gold"
    gold.mkdir(parents=True, exist_ok=True)
    docs.mkdir(parents=True, exist_ok=True)
    made_dirs: set[str] = {""}
    out_dir = str(out)
    by_layout: Counter[str] = Counter()
    edges: list[tuple[str, str]] = []
    ids = {p.identifier for p in pubs}
    suffixes = {name: lay.suffix for name, lay in all_layouts().items()}
    docs_dir, gold_dir = str(docs), str(gold)
    for i, pub in enumerate(pubs):
        # Plain strings rather than pathlib in this loop: it runs 100,000s of times.
        sub = f"{i // per_folder:04d}" if per_folder else ""
        if sub not in made_dirs:
            os.makedirs(os.path.join(docs_dir, sub), exist_ok=True)
            made_dirs.add(sub)
        identifier = pub.identifier
        content = composer.compose(pub, with_answers=pub.kind == "antwoord")
        rng = random.Random(f"{seed}:{identifier}:{pub.layout}")
        rendered = RENDERERS[pub.layout](content, rng, chosen)
        # (a renderer may write another layout than planned: a short flat text is written as PDF text)
        name = (pub.zaak.nummer if pub.layout == "questions-word-text" else identifier) + suffixes[pub.layout]
        relative = f"docs/{sub}/{name}" if sub else f"docs/{name}"
        with open(os.path.join(out_dir, relative), "wb") as fh:
            # No-break spaces held the typesetter's line breaks; the text has plain ones.
            fh.write(rendered if isinstance(rendered, bytes) else rendered.replace(NBSP, " ").encode("utf-8"))
        record = truth(content, relative, pub.layout, seed)
        with open(os.path.join(gold_dir, identifier + ".json"), "wb") as fh:
            fh.write((json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8"))
        by_layout[pub.layout] += 1
        edges.extend((identifier, t) for t in record["verwijzingen"] if t in ids and t.startswith(("ah-", "kv-")))
        if pub.zaak.pubs and pub.zaak.pubs[0] is not pub:
            edges.append((identifier, pub.zaak.pubs[0].identifier))  # questions, notice and answer of one zaak
    chains = chain_lengths(ids, edges)
    seconds = time.perf_counter() - start
    summary = {
        "publications": len(pubs),
        "seed": seed,
        "layouts": dict(sorted(by_layout.items())),
        "per_folder": per_folder,
        "variants": sorted(chosen),
        "chains": {str(k): v for k, v in sorted(chains.items())},
    }
    (out / "synth.json").write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    return SynthResult(len(pubs), dict(by_layout), chains, seconds, out)


def chain_lengths(ids: set[str], edges: list[tuple[str, str]]) -> dict[int, int]:
    """Chain length -> number of chains, a chain being the publications joined
    by citations of earlier Aanhangsel or question publications of the set
    and by answering or delaying the same questions (publications joined to
    none are chains of one)."""
    parent = {i: i for i in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    sizes = Counter(find(i) for i in ids)
    return dict(Counter(sizes.values()))
