"""Pictures of follow-up chains: an overview page (``chains.html``: the
longest chains and a search box over all of them), a page per chain with
its time line in inline SVG (``chains/<slug>.html``), lists of every chain
(``chains/list-N.html``), and the chains as GraphML for Gephi and DOT for
Graphviz.

The pages stay small at archive scale (127k publications, tens of thousands
of chains): the overview lists MAX_LISTED chains, a list page LIST_PAGE, and
each chain has its own page. The search box is a small script over an index
file (``chains/search.js``, loaded by a script tag, so it works offline from
a file:// page, where fetch() would not); without scripts the lists reach
every chain.

The chains themselves come from ``kg.chains``; this module only lays them out
(x is time, lanes keep cards apart) and renders the jinja2 templates in
``kg/templates/chains*.j2``. Output is byte-identical for the same graph.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from kg.chains import (
    ANSWERED_IN,
    CITES,
    DELAYS,
    Chain,
    ChainDocument,
    _VERGADERJAAR,
    _YEAR,
    load_chains,
    palette,
)


# --------------------------------------------------------------------- layout

CARD_W, CARD_H = 232, 74  # a publication in the corpus
STUB_H = 44  # a cited stub: identifier and date only
LANE_GAP = 46  # room for the answer-time tail below a card and edge arcs above the next
MIN_GAP = 30  # between two cards in one lane (edges between them arc over the top)
STUB_GAP = 10
ZONE_GAP = 120  # between the column of earlier stubs and the time line: room for edge labels
MARGIN_X, TOP = 28, 40
AXIS_H = 40
WIDTH = 1320
PX_PER_DAY = 7
EDGE_COLOURS = {CITES: "#4a4a4a", ANSWERED_IN: "#1565c0", DELAYS: "#d35400"}
STUB_STROKE = "#7a7a7a"


def _tint(colour: str, share: float) -> str:
    """``colour`` mixed with white; a flat colour (no opacity) so DOT and
    SVG draw the same."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    mix = [round(255 - (255 - c) * share) for c in (r, g, b)]
    return "#{:02x}{:02x}{:02x}".format(*mix)


def _short(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _r(x: float) -> float:
    return round(x, 1)


def _bezier(p: Sequence[tuple[float, float]], t: float) -> tuple[float, float]:
    # Written out: called for every sample of every edge, the hot spot of the layout.
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = p
    u = 1 - t
    a, b, c, d = u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t
    return a * x0 + b * x1 + c * x2 + d * x3, a * y0 + b * y1 + c * y2 + d * y3


def card_style(d: ChainDocument) -> dict[str, Any]:
    """How one publication is drawn, wherever it is: colours, the lines of
    its label, its tooltip (shared by the SVG and the DOT file)."""
    pal = palette()
    colours = [pal.colour(p) for p in d.parties] or [pal.unknown]
    main = colours[0] if len(colours) == 1 else pal.unknown
    if not d.in_corpus:
        m = _VERGADERJAAR.search(d.identifier)
        year = _YEAR.search(d.identifier)
        when = (f"vergaderjaar {m.group(1)}–{m.group(2)}" if m and d.date_basis == "identifier"
                else f"{year.group(1) or year.group(2)}" if year and d.date_basis == "identifier" else "date not printed")
        lines = [f"context · {when}" if d.context else when]
    else:
        first = d.date.isoformat() if d.date else "no date"
        if d.dagen is not None:
            first += f" · {'notice after' if d.kind == 'notice' else 'answered in'} {d.dagen} d" + (" · late" if d.late else "")
        elif d.kind == "questions":
            first += " · questions"
        lines = [first, _short(", ".join(map(str, d.askers)) or "asker unknown", 31), _short(d.onderwerp or "(no subject)", 31)]
    title = "\n".join(
        filter(
            None,
            [
                d.identifier + (" (context: cited by the chain, not part of it)" if d.context else "" if d.in_corpus else " (cited, not in the corpus)"),
                d.onderwerp,
                ", ".join(map(str, d.askers)),
                f"submitted {d.ingezonden.isoformat()}" if d.ingezonden else None,
                f"received {d.ontvangen.isoformat()}" if d.ontvangen else None,
                None if d.in_corpus else d.date_note,
                f"{d.dagen} days" if d.dagen is not None else None,
            ],
        )
    )
    return {
        "doc": d,
        "fill": "#ffffff" if not d.in_corpus else _tint(main, 0.16),
        "stroke": STUB_STROKE if not d.in_corpus else main,
        "stripe_colours": [] if not d.in_corpus else colours,
        "label": _short(d.identifier, 28),
        "lines": lines,
        "title": title,
    }


def layout(chain: Chain) -> dict[str, Any]:
    """Positions for drawing one chain, as plain rounded numbers (the same
    SVG on every run).

    x is time over the publications' printed dates; y is a lane, chosen so
    that no two cards (nor the tails that show how long an answer took)
    overlap. Cited stubs with no printed date that stand before the time
    line (most Kamerstukken, earlier Aanhangsel numbers) are stacked in a
    column left of it, marked "earlier", so that a guessed date does not
    stretch the time line."""
    docs = chain.documents
    printed = [d for d in docs if d.in_corpus and d.date]
    dated = printed or [d for d in docs if d.date]
    t0 = min([d.date for d in dated] + [d.ingezonden for d in dated if d.ingezonden]) if dated else None
    t1 = max(d.date for d in dated) if dated else None
    zone = [d for d in docs if not d.in_corpus and (d.date is None or t0 is None or d.date <= t0) and printed]
    in_zone = {d.identifier for d in zone}
    x_left = MARGIN_X + (CARD_W + ZONE_GAP if zone else 0)
    span = (t1 - t0).days if t0 and t1 else 0
    # A short chain is not stretched over the whole width: at most a few
    # pixels a day, so that a week looks like a week in every chain.
    usable = min(WIDTH - MARGIN_X - CARD_W - x_left, max(span, 1) * PX_PER_DAY)

    def x_of(date: dt.date | None, index: int) -> float:
        if date is None or t0 is None:
            return x_left + index * (CARD_W + 24)
        if span == 0:
            return x_left
        return x_left + (date - t0).days / span * usable

    # Lanes: cards in time order, each in a free lane (no overlap, room for
    # an edge label between two cards), preferring the lane of a publication
    # it is linked to, so that a question and its answer or a follow-up sit
    # side by side on one line where time allows.
    boxes = []
    for i, d in enumerate(docs):
        if d.identifier in in_zone:
            continue
        x = x_of(d.date, i)
        tail = x_of(d.ingezonden, i) if d.in_corpus and d.ingezonden and d.date and d.ingezonden < d.date else None
        boxes.append((i, d, x, tail))
    neighbours: dict[str, set[str]] = {d.identifier: set() for d in docs}
    for e in chain.edges:
        neighbours[e.source].add(e.target)
        neighbours[e.target].add(e.source)
    lanes_end: list[float] = []
    lane_of: dict[int, int] = {}
    lane_by_id: dict[str, int] = {}
    for i, d, x, tail in sorted(boxes, key=lambda b: (b[2], b[0])):
        near = [lane_by_id[n] for n in neighbours[d.identifier] if n in lane_by_id]
        candidates = sorted(range(len(lanes_end) + 1), key=lambda ln: (min((abs(ln - m) for m in near), default=0), ln))
        for lane in candidates:
            if lane == len(lanes_end):
                lanes_end.append(float("-inf"))
            if lanes_end[lane] + MIN_GAP <= x:
                break
        lanes_end[lane], lane_of[i], lane_by_id[d.identifier] = x + CARD_W, lane, lane
    main_h = len(lanes_end) * (CARD_H + LANE_GAP) - LANE_GAP if lanes_end else 0
    zone_h = len(zone) * (STUB_H + STUB_GAP) - STUB_GAP if zone else 0
    main_top = TOP + max(0.0, (zone_h - main_h) / 2)
    zone_top = TOP + max(0.0, (main_h - zone_h) / 2)

    placed: dict[str, tuple[float, float, float]] = {}  # identifier -> x, y, card height
    for k, d in enumerate(zone):
        placed[d.identifier] = (MARGIN_X, zone_top + k * (STUB_H + STUB_GAP), STUB_H)
    tails: dict[str, float] = {}
    for i, d, x, tail in boxes:
        placed[d.identifier] = (x, main_top + lane_of[i] * (CARD_H + LANE_GAP), CARD_H if d.in_corpus else STUB_H)
        if tail is not None:
            tails[d.identifier] = tail

    nodes = []
    for d in docs:
        x, y, h = placed[d.identifier]
        card = card_style(d)
        stripes = card.pop("stripe_colours")
        nodes.append(
            card | {
                "x": _r(x),
                "y": _r(y),
                "h": h,
                "tail_x": _r(tails[d.identifier]) if d.identifier in tails else None,
                "stripes": [
                    {"y": _r(y + k * h / len(stripes)), "h": _r(h / len(stripes)), "colour": c} for k, c in enumerate(stripes)
                ],
            }
        )

    edge_paths = _route_edges(chain, placed, lane_by_id, in_zone)
    bottom = max([y + h for x, y, h in placed.values()] + [TOP])
    axis_y = bottom + 22
    ticks = _ticks(t0, t1, x_of) if t0 and t1 else []
    return {
        "width": WIDTH,
        "height": _r(axis_y + AXIS_H - 10),
        "card_w": CARD_W,
        "nodes": nodes,
        "edges": edge_paths,
        "axis_y": _r(axis_y),
        "axis_x0": _r(x_left - 10),
        "axis_x1": _r(x_left + usable + CARD_W),
        "ticks": ticks,
        "zone": {"x": MARGIN_X, "w": CARD_W, "top": _r(zone_top), "bottom": _r(zone_top + zone_h)} if zone else None,
    }


def _blocked(points: Iterable[tuple[float, float]], rects: Sequence[tuple[float, float, float, float]]) -> bool:
    points = list(points)
    if not points or not rects:
        return False
    # Only the cards that meet the points' bounding box can be crossed.
    xs, ys = [x for x, _ in points], [y for _, y in points]
    lo_x, hi_x, lo_y, hi_y = min(xs), max(xs), min(ys), max(ys)
    near = [r for r in rects if r[0] + 2 < hi_x and lo_x < r[2] - 2 and r[1] + 2 < hi_y and lo_y < r[3] - 2]
    return any(x0 + 2 < x < x1 - 2 and y0 + 2 < y < y1 - 2 for x, y in points for x0, y0, x1, y1 in near)


def _route_edges(
    chain: Chain, placed: dict[str, tuple[float, float, float]], lane_by_id: dict[str, int], in_zone: set[str]
) -> list[dict[str, Any]]:
    """Paths for the edges of one chain, with their label positions.

    - two cards in one lane: an arc over the top, through the gap above
      the lane (so it never runs through the cards between them);
    - cards apart in time: an S-curve from side to side, or, where that
      would cross another card, a path along the gap above the source's
      lane that turns down beside the target (edges from one card to the
      column of earlier stubs share that path, and its label, like a bus);
    - cards in neighbouring lanes that overlap in time: a straight line
      through the gap between them; further apart, a bracket on the right.
    """
    rects = {n: (x, y, x + CARD_W, y + h) for n, (x, y, h) in placed.items()}
    out_degree: dict[str, int] = {}
    in_degree: dict[str, int] = {}
    for e in chain.edges:
        out_degree[e.source] = out_degree.get(e.source, 0) + 1
        in_degree[e.target] = in_degree.get(e.target, 0) + 1
    paths = []
    pair_count: dict[frozenset[str], int] = {}
    labelled: set[tuple] = set()
    shown: list[tuple[str, float, float]] = []
    for e in chain.edges:
        (sx, sy, sh), (tx, ty, th) = placed[e.source], placed[e.target]
        others = [r for n, r in rects.items() if n not in (e.source, e.target)]
        pair = frozenset((e.source, e.target))
        shift = 16 * pair_count.get(pair, 0)
        pair_count[pair] = pair_count.get(pair, 0) + 1
        left = tx < sx
        trunk = None
        anchor = "middle"
        if e.source in lane_by_id and lane_by_id.get(e.source) == lane_by_id.get(e.target):
            rise = 28 + shift
            p0 = (sx + (24 if left else CARD_W - 24), sy)
            p3 = (tx + (CARD_W - 24 if left else 24), ty)
            d, (lx, ly) = _cubic(p0, (p0[0], sy - rise * 4 / 3), (p3[0], ty - rise * 4 / 3), p3), (0, 0)
            lx, ly = (p0[0] + p3[0]) / 2, sy - rise - 4
        elif tx + CARD_W + 12 <= sx or sx + CARD_W + 12 <= tx:
            p0 = (sx if left else sx + CARD_W, sy + sh / 2 + shift)
            p3 = (tx + CARD_W if left else tx, ty + th / 2 + shift)
            dx = (p3[0] - p0[0]) / 2
            p1, p2 = (p0[0] + dx, p0[1]), (p3[0] - dx, p3[1])
            curve = (p0, p1, p2, p3)
            if _blocked((_bezier(curve, k / 32) for k in range(1, 32)), others):
                bus = _bus(sx, sy, tx, ty, th, left, shift, others)
                if bus is not None:
                    d, (lx, ly), trunk = bus
                    trunk = (e.source, e.kind, trunk)
            if trunk is None:
                d = _cubic(*curve)
                if e.source in in_zone or e.target in in_zone:
                    # in the gap beside the column of earlier stubs, where the edges fan out
                    gap_x = MARGIN_X + CARD_W + ZONE_GAP / 2
                    lx, ly = min((_bezier(curve, k / 64) for k in range(65)), key=lambda q: abs(q[0] - gap_x))
                else:
                    # near the many targets of one source, near the many sources of one target
                    lx, ly = _bezier(curve, 0.85 if in_degree[e.target] <= out_degree[e.source] else 0.15)
                ly -= 4
        elif abs(lane_by_id.get(e.source, -9) - lane_by_id.get(e.target, 9)) == 1:
            xm = (max(sx, tx) + min(sx, tx) + CARD_W) / 2 + shift
            p0, p3 = (xm, sy + sh if ty > sy else sy), (xm, ty if ty > sy else ty + th)
            d = f"M {_r(p0[0])} {_r(p0[1])} L {_r(p3[0])} {_r(p3[1])}"
            lx, ly, anchor = xm + 6, (p0[1] + p3[1]) / 2 + 4, "start"
        else:
            bulge = 36 + 10 * abs(ty - sy) / (CARD_H + LANE_GAP) + shift
            p0, p3 = (sx + CARD_W, sy + sh / 2 + shift / 2), (tx + CARD_W, ty + th / 2 + shift / 2)
            right = max(p0[0], p3[0]) + bulge
            d = _cubic(p0, (right, p0[1]), (right, p3[1]), p3)
            lx, ly = _bezier((p0, (right, p0[1]), (right, p3[1]), p3), 0.5)
            lx, ly, anchor = lx + 6, ly + 4, "start"
        show = trunk is None or trunk not in labelled
        if trunk is not None:
            labelled.add(trunk)
        # Two labels of one kind on top of each other say it once.
        if show and any(k == e.kind and abs(x - lx) < 40 and abs(y - ly) < 12 for k, x, y in shown):
            show = False
        if show:
            shown.append((e.kind, lx, ly))
        paths.append(
            {
                "edge": e,
                "d": d,
                "label_x": _r(lx),
                "label_y": _r(ly),
                "anchor": anchor,
                "show_label": show,
                "colour": EDGE_COLOURS[e.kind],
                "marker": "arrow-" + e.kind.replace(" ", "-"),
                "dashed": e.kind == DELAYS,
            }
        )
    return paths


def _cubic(p0: tuple[float, float], p1: tuple[float, float], p2: tuple[float, float], p3: tuple[float, float]) -> str:
    return "M {} {} C {} {}, {} {}, {} {}".format(*(_r(v) for v in (*p0, *p1, *p2, *p3)))


def _bus(
    sx: float, sy: float, tx: float, ty: float, th: float, left: bool, shift: float,
    others: Sequence[tuple[float, float, float, float]],
) -> tuple[str, tuple[float, float], tuple] | None:
    """Up from the source into the gap above its lane, along it, and down
    beside the target into its side; None when that too crosses a card."""
    yg = sy - LANE_GAP / 2 - shift / 2
    x0 = sx + 24 if left else sx + CARD_W - 24
    xt = tx + CARD_W + 22 if left else tx - 22
    xe = tx + CARD_W if left else tx
    ye = ty + th / 2
    sign = -1 if left else 1
    r = min(10.0, abs(ye - yg) / 2, abs(xt - x0) / 2)
    down = 1 if ye > yg else -1
    pts = [(xt, yg + down * k * (ye - yg) * down / 16) for k in range(1, 16)]
    pts += [(x0 + (xt - x0) * k / 16, yg) for k in range(1, 16)]
    if _blocked(pts, others):
        return None
    d = (
        f"M {_r(x0)} {_r(sy)} L {_r(x0)} {_r(yg + r)} Q {_r(x0)} {_r(yg)} {_r(x0 + sign * r)} {_r(yg)} "
        f"L {_r(xt - sign * r)} {_r(yg)} Q {_r(xt)} {_r(yg)} {_r(xt)} {_r(yg + down * r)} "
        f"L {_r(xt)} {_r(ye - down * r)} Q {_r(xt)} {_r(ye)} {_r(xe)} {_r(ye)}"
    )
    label = (xt - sign * 44, yg - 4)
    return d, label, (_r(yg), _r(xt))


def _ticks(t0: dt.date, t1: dt.date, x_of: Any) -> list[dict[str, Any]]:
    """Month or year ticks, at most about a dozen."""
    months = (t1.year - t0.year) * 12 + t1.month - t0.month + 1
    step = next((s for s in (1, 2, 3, 6, 12, 24, 60, 120) if months / s <= 12), 240)
    ticks = []
    y, m = t0.year, t0.month
    if step >= 12:
        y, m = t0.year + 1 if t0.month > 1 or t0.day > 1 else t0.year, 1
        y -= y % (step // 12) if step > 12 else 0
    while (y, m) <= (t1.year, t1.month):
        d = dt.date(y, m, 1)
        if d >= t0:
            ticks.append({"x": _r(x_of(d, 0)), "label": str(y) if step >= 12 else f"{y}-{m:02d}"})
        m += step
        while m > 12:
            m -= 12
            y += 1
    if not ticks:
        ticks.append({"x": _r(x_of(t0, 0)), "label": t0.isoformat()})
    return ticks


# -------------------------------------------------------------------- outputs


@lru_cache(maxsize=1)
def _environment():  # -> jinja2.Environment; one for all pages, so each template compiles once
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("kg", "templates"),
        autoescape=lambda name: bool(name) and not name.endswith((".dot.j2", ".txt.j2", ".js.j2")),  # HTML and SVG escaped
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["dot"] = dot_quote
    env.filters["short"] = _short
    return env


def dot_quote(value: Any) -> str:
    """A DOT double-quoted string: backslash and quote escaped, line breaks
    as DOT's centred ``\\n``."""
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return '"' + text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n") + '"'


def _legend(chains: Sequence[Chain]) -> list[dict[str, str]]:
    pal = palette()
    present = {p for c in chains for d in c.documents for p in d.parties}
    entries = [{"name": p, "colour": pal.colours[p]} for p in pal.colours if p in present]
    entries += [{"name": p, "colour": pal.unknown} for p in sorted(present - set(pal.colours))]
    return entries


# The overview lists the longest chains; a list page holds LIST_PAGE chains.
MAX_LISTED = 200
LIST_PAGE = 1000
CHAIN_DIR = "chains"


def _summary(chains: Sequence[Chain], source: str) -> dict[str, Any]:
    members = [d for c in chains for d in c.members]
    context = {d.identifier for c in chains for d in c.context_documents}
    return {
        "n_chains": len(chains),
        "n_documents": len(members),
        "n_corpus": sum(d.in_corpus for d in members),
        "n_stubs": sum(not d.in_corpus for d in members),
        "n_context": len(context),
        "source": source,
        "unknown_colour": palette().unknown,
        "palette_colour": palette().colour,
        "stub_stroke": STUB_STROKE,
        "edge_colours": EDGE_COLOURS,
        "edge_kinds": [CITES, ANSWERED_IN, DELAYS],
    }


def _list_pages(chains: Sequence[Chain]) -> list[dict[str, Any]]:
    pages = []
    for k in range(0, len(chains), LIST_PAGE):
        part = chains[k : k + LIST_PAGE]
        pages.append({"name": f"list-{k // LIST_PAGE + 1}.html", "first": part[0].number, "last": part[-1].number, "chains": part})
    return pages


def render_html(chains: Sequence[Chain], source: str = "", max_listed: int = MAX_LISTED) -> str:
    """chains.html: the legend, the search box, the longest chains with a
    link to each one's page, and links to the lists of all chains."""
    listed = chains[:max_listed]
    return _environment().get_template("chains.html.j2").render(
        **_summary(chains, source),
        chains=listed,
        n_more=len(chains) - len(listed),
        lists=_list_pages(chains),
        legend=_legend(listed),
        prefix=CHAIN_DIR + "/",
    )


def render_chain_page(
    chain: Chain, chains: Sequence[Chain], source: str = "", summary: dict[str, Any] | None = None,
    previous: Chain | None = None, following: Chain | None = None,
) -> str:
    """chains/<slug>.html: one chain's time line and its publications.
    ``summary``: ``_summary(chains, source)``, computed once for all pages;
    ``previous``/``following``: the neighbours in ``chains`` (found there when not given)."""
    i = chain.number - 1
    if previous is None and following is None and chains:
        previous = chains[i - 1] if i > 0 else None
        following = chains[i + 1] if i + 1 < len(chains) else None
    return _environment().get_template("chains_page.html.j2").render(
        **(summary or _summary(chains, source)),
        c=chain,
        lay=layout(chain),
        legend=_legend([chain]),
        previous=previous,
        next=following,
        list_page=f"list-{i // LIST_PAGE + 1}.html",
    )


# Chain pages are written by this many chains a task; with more chains than
# one task holds, the tasks run in worker processes (a page per chain at
# archive scale is tens of thousands of pages).
PAGES_PER_TASK = 1000
# The index of the pages written (kg.dumps.fragments' folder): slug -> what the page was made of.
PAGE_INDEX = "chains.pages.json"


def _write_pages(folder: str, chains: Sequence[Chain], before: Chain | None, after: Chain | None, summary: dict[str, Any],
                 only: Sequence[int] | None = None) -> int:
    """Write the pages of consecutive ``chains`` into ``folder``; ``before``
    and ``after`` are the chains just outside them (for the page links);
    ``only``: the positions in ``chains`` to write (default all)."""
    summary = summary | {"palette_colour": palette().colour}
    for k in range(len(chains)) if only is None else only:
        chain = chains[k]
        previous = chains[k - 1] if k > 0 else before
        following = chains[k + 1] if k + 1 < len(chains) else after
        page = render_chain_page(chain, (), summary=summary, previous=previous, following=following)
        Path(folder, f"{chain.slug}.html").write_text(page, encoding="utf-8")
    return len(chains) if only is None else len(only)


def page_key(chains: Sequence[Chain], k: int, source: str, code: str) -> str:
    """What chain ``k``'s page is made of: the chain, its neighbours' numbers
    and slugs (its links), the graph's name and kg's code (the templates)."""
    import hashlib

    def ref(c: Chain | None) -> str:
        return "" if c is None else f"{c.number} {c.slug}"

    before = chains[k - 1] if k > 0 else None
    after = chains[k + 1] if k + 1 < len(chains) else None
    text = f"{code}\n{source}\n{ref(before)}\n{ref(after)}\n{chains[k]!r}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _reusable_pages(chains: Sequence[Chain], source: str, previous: Path | None, index_dir: Path | None) -> tuple[dict[str, str], dict[str, Path]]:
    """(slug -> key of every page; slug -> the previous build's page that is
    still right). A previous page is taken only when it is the file indexed
    (same size and modification time) and was made of the same things."""
    import json

    from kg.cache import code_digest

    code = code_digest()
    keys = {c.slug: page_key(chains, k, source, code) for k, c in enumerate(chains)}
    reuse: dict[str, Path] = {}
    if previous is None or index_dir is None:
        return keys, reuse
    try:
        old = json.loads((Path(index_dir) / PAGE_INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return keys, reuse
    if not isinstance(old, dict):
        return keys, reuse
    for slug, key in keys.items():
        entry = old.get(slug)
        if not isinstance(entry, list) or entry[0] != key:
            continue
        path = Path(previous) / CHAIN_DIR / f"{slug}.html"
        try:
            st = path.stat()
        except OSError:
            continue
        if [st.st_size, st.st_mtime_ns] == entry[1:]:
            reuse[slug] = path
    return keys, reuse


def _write_all_pages(folder: Path, chains: Sequence[Chain], summary: dict[str, Any], jobs: int | None, pool=None,
                     skip: Iterable[str] = ()) -> None:
    """Write every chain's page but those of ``skip`` (slugs)."""
    _start_pages(folder, chains, summary, jobs, pool, skip)()


def _start_pages(folder: Path, chains: Sequence[Chain], summary: dict[str, Any], jobs: int | None, pool=None,
                 skip: Iterable[str] = ()):  # -> a function that waits for them
    """Start writing every chain's page but those of ``skip`` (slugs), in
    worker processes when there are many (``pool``: an executor to use);
    return the function that waits until they are written."""
    import os

    skip = set(skip)
    tasks = []
    for k in range(0, len(chains), PAGES_PER_TASK):
        part = list(chains[k : k + PAGES_PER_TASK])
        only = [i for i, c in enumerate(part) if c.slug not in skip]
        if not only:
            continue
        before = chains[k - 1] if k > 0 else None
        after = chains[k + PAGES_PER_TASK] if k + PAGES_PER_TASK < len(chains) else None
        tasks.append((str(folder), part, before, after, None if len(only) == len(part) else only))
    plain = {k: v for k, v in summary.items() if k != "palette_colour"}  # a function: each worker has its own
    if pool is not None and len(tasks) > 1:
        futures = [pool.submit(_write_pages, *task[:4], plain, task[4]) for task in tasks]
        return lambda: [f.result() for f in futures]
    workers = min(jobs or os.cpu_count() or 1, len(tasks))
    if workers <= 1:
        for task in tasks:
            _write_pages(*task[:4], plain, task[4])
        return lambda: None
    from concurrent.futures import ProcessPoolExecutor

    own = ProcessPoolExecutor(max_workers=workers)
    futures = [own.submit(_write_pages, *task[:4], plain, task[4]) for task in tasks]

    def wait() -> None:
        try:
            for f in futures:
                f.result()
        finally:
            own.shutdown(cancel_futures=True)

    return wait


def render_list_page(
    page: dict[str, Any], chains: Sequence[Chain], source: str = "", summary: dict[str, Any] | None = None,
    lists: list[dict[str, Any]] | None = None,
) -> str:
    """chains/list-N.html: a table of LIST_PAGE chains."""
    return _environment().get_template("chains_list.html.j2").render(
        **(summary or _summary(chains, source)), page=page, lists=lists or _list_pages(chains), chains=page["chains"], prefix="",
    )


def search_index(chains: Sequence[Chain]) -> list[list[Any]]:
    """One row per chain for the search box: page, number, publications,
    period, askers, subjects (" | " between them), and the identifiers of its
    other documents (context included). The script searches all of it, lower
    case; nothing is written twice, since the index grows with the archive."""
    rows = []
    for c in chains:
        period = (c.start.isoformat() + ("" if c.end == c.start else " – " + c.end.isoformat())) if c.start else ""
        others = " ".join(d.identifier for d in c.documents if d.identifier != c.slug)
        rows.append([c.slug, c.number, len(c), period, ", ".join(map(str, c.askers)), " | ".join(c.subjects), others])
    return rows


def render_search_index(chains: Sequence[Chain]) -> str:
    """chains/search.js: the index as a script that sets one global."""
    import json

    rows = ",\n".join(json.dumps(row, ensure_ascii=False, separators=(",", ":")) for row in search_index(chains))
    return _environment().get_template("chains_search.js.j2").render(rows=rows)


def render_dot(chains: Sequence[Chain]) -> str:
    """chains.dot: every chain as a cluster, styled as on the page."""
    items = []
    for c in chains:
        ids = node_ids(c)
        items.append(
            {
                "chain": c,
                "nodes": [card_style(d) | {"id": ids[d.identifier]} for d in c.documents],
                "edges": [
                    {"edge": e, "source": ids[e.source], "target": ids[e.target], "colour": EDGE_COLOURS[e.kind], "dashed": e.kind == DELAYS}
                    for e in c.edges
                ],
            }
        )
    return _environment().get_template("chains.dot.j2").render(chains=items)


def render_table(chains: Sequence[Chain]) -> str:
    """The text listing of ``kg chains``."""
    return _environment().get_template("chains_table.txt.j2").render(chains=chains)


def node_ids(chain: Chain) -> dict[str, str]:
    """The node of each document of a chain in GraphML and DOT: a publication
    by its identifier (it is in one chain only); a context document, which
    several chains may cite, once per chain (``kst-36000-5@<chain slug>``), so
    that it draws no line between chains."""
    return {d.identifier: f"{d.identifier}@{chain.slug}" if d.context else d.identifier for d in chain.documents}


def chains_networkx(chains: Sequence[Chain]):  # -> networkx.MultiDiGraph
    """The chains as one networkx graph with plain attributes (for GraphML)."""
    import networkx as nx

    pal = palette()
    g = nx.MultiDiGraph()
    for c in chains:
        ids = node_ids(c)
        for d in c.documents:
            parties = d.parties
            attrs: dict[str, Any] = {
                "identifier": d.identifier,
                "label": d.identifier,
                "chain": c.number,
                "date": d.date.isoformat() if d.date else "",
                "date_estimated": d.estimated,
                "party": parties[0] if len(parties) == 1 else "; ".join(parties),
                "askers": "; ".join(map(str, d.askers)),
                "subject": d.onderwerp or "",
                "in_corpus": d.in_corpus,
                "context": d.context,
                "kind": d.kind,
                "url": d.url,
                "color": pal.colour(parties[0]) if len(parties) == 1 else pal.unknown,
            }
            if d.ingezonden:
                attrs["ingezonden"] = d.ingezonden.isoformat()
            if d.ontvangen:
                attrs["ontvangen"] = d.ontvangen.isoformat()
            if d.dagen is not None:
                attrs["answer_days"] = d.dagen
            g.add_node(ids[d.identifier], **attrs)
        for e in c.edges:
            g.add_edge(ids[e.source], ids[e.target], key=e.kind, kind=e.kind, label=e.kind)
    return g


def write_chain_outputs(
    chains: Sequence[Chain], out_dir: Path, source: str = "", max_listed: int = MAX_LISTED, jobs: int | None = None,
    *, previous: Path | None = None, index_dir: Path | None = None, pool=None,
) -> list[Path]:
    """Write chains.html, the chains/ folder (a page per chain, the lists,
    the search index), chains.graphml and chains.dot into ``out_dir``. The
    folder is written beside the old one and put in its place, so that no
    page of an earlier build is left in it. ``jobs``: worker processes for
    the chain pages (default: all cores; they are used only when there are
    more than PAGES_PER_TASK chains); ``pool``: an executor to run them in.
    ``previous``: the folder of the previous build, whose pages are copied
    where they would come out the same, as the index in ``index_dir`` says
    (written there for the next build): one changed chain, one page made."""
    import json
    import shutil

    from kg.manifest import link_or_copy, write_atomic

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    folder = out_dir / CHAIN_DIR
    staging = out_dir / f".{CHAIN_DIR}.writing"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir()
    summary = _summary(chains, source)
    keys, reuse = _reusable_pages(chains, source, previous, index_dir)
    for slug, path in reuse.items():
        link_or_copy(path, staging / f"{slug}.html")
    wait = _start_pages(staging, chains, summary, jobs, pool, skip=reuse)
    try:
        lists = _list_pages(chains)
        for page in lists:
            (staging / page["name"]).write_text(render_list_page(page, chains, source, summary, lists), encoding="utf-8")
        (staging / "search.js").write_text(render_search_index(chains), encoding="utf-8")
        paths = [out_dir / "chains.html", out_dir / "chains.graphml", out_dir / "chains.dot"]
        paths[0].write_text(render_html(chains, source, max_listed), encoding="utf-8")
        if pool is not None:  # the graph files in the pool too, each a task
            others = [pool.submit(_write_graphml, chains, paths[1]), pool.submit(_write_dot, chains, paths[2])]
            wait_pages = wait
            wait = lambda: (wait_pages(), [f.result() for f in others])  # noqa: E731
        else:
            _write_graphml(chains, paths[1])
            _write_dot(chains, paths[2])
    finally:
        wait()
    if index_dir is not None:
        index = {}
        for slug, key in keys.items():
            st = (staging / f"{slug}.html").stat()
            index[slug] = [key, st.st_size, st.st_mtime_ns]  # a rename keeps both
        Path(index_dir).mkdir(parents=True, exist_ok=True)
        write_atomic(Path(index_dir) / PAGE_INDEX, json.dumps(index, separators=(",", ":"), sort_keys=True))
    if folder.exists():
        old = out_dir / f".{CHAIN_DIR}.old"
        if old.exists():
            shutil.rmtree(old)
        folder.rename(old)
        staging.rename(folder)
        shutil.rmtree(old)
    else:
        staging.rename(folder)
    return [*paths, folder]


def _write_graphml(chains: Sequence[Chain], path: Path) -> None:
    import networkx as nx

    nx.write_graphml(chains_networkx(chains), path, encoding="utf-8", prettyprint=True)


def _write_dot(chains: Sequence[Chain], path: Path) -> None:
    Path(path).write_text(render_dot(chains), encoding="utf-8")


# The index of a build's chain outputs (in kg.dumps.fragments' folder): what they were made of, and their files.
CHAIN_INDEX = "chains.outputs.json"


def _chain_input_key(spool, source: str, index_dir: Path | None) -> tuple[str, dict[str, str]]:
    """The key of what a build's chains are made of: per named graph (in the
    spool's order) the digest of the lines chains may read. A graph whose
    lines are unchanged (same hash) keeps the digest the index holds; only
    the others are read. Returns (key, graph hash -> digest)."""
    import hashlib
    import json

    from kg.cache import code_digest
    from kg.chains import chain_lines

    old: dict[str, str] = {}
    if index_dir is not None:
        try:
            data = json.loads((Path(index_dir) / CHAIN_INDEX).read_text(encoding="utf-8"))
            old = data.get("graphs", {}) if isinstance(data, dict) else {}
        except (OSError, ValueError, AttributeError):
            old = {}
    digests: dict[str, str] = {}
    key = hashlib.sha256(f"{code_digest()}\n{source}\n".encode("utf-8"))
    for ident, graph_hash in spool.graph_hashes.items():
        digest = old.get(graph_hash) or digests.get(graph_hash)
        if digest is None:
            h = hashlib.sha256()
            for line in chain_lines(spool.graph(ident)):
                h.update(line.encode("utf-8") + b"\n")
            digest = h.hexdigest()
        digests[graph_hash] = digest
        key.update(f"{ident}\0{digest}\n".encode("utf-8"))
    return key.hexdigest(), digests


def _chain_files(out_dir: Path) -> list[str]:
    names = ["chains.html", "chains.graphml", "chains.dot"]
    folder = out_dir / CHAIN_DIR
    if folder.is_dir():
        names += sorted(f"{CHAIN_DIR}/{p.name}" for p in folder.iterdir() if p.is_file())
    return names


def write_spool_chains(spool, ntriples: Path, out_dir: Path, source: str = "kamervragen.nt", *, jobs: int | None = None,
                       previous: Path | None = None, index_dir: Path | None = None, pool=None) -> bool:
    """The chain outputs of a build (kg.build.Spool; ``ntriples``: its
    merged lines) into ``out_dir``. Where no line that chains read has
    changed since the previous build (``previous``, indexed in
    ``index_dir``) and its chain files are those indexed, they are copied
    as they are; otherwise the chains are found and written again (pages
    that come out the same still copied). Returns True when copied."""
    import json

    from kg.manifest import write_atomic

    key, digests = _chain_input_key(spool, source, index_dir)
    copied = False
    if previous is not None and index_dir is not None:
        copied = _copy_chain_files(key, Path(previous), Path(out_dir), Path(index_dir))
    if not copied:
        write_chain_outputs(load_chains(ntriples), out_dir, source, jobs=jobs, previous=previous, index_dir=index_dir, pool=pool)
    if index_dir is not None:
        files = {}
        for name in _chain_files(Path(out_dir)):
            st = (Path(out_dir) / name).stat()
            files[name] = [st.st_size, st.st_mtime_ns]  # renames keep both
        Path(index_dir).mkdir(parents=True, exist_ok=True)
        index = {"key": key, "copied": copied, "files": files, "graphs": digests}
        write_atomic(Path(index_dir) / CHAIN_INDEX, json.dumps(index, separators=(",", ":")))
    return copied


def _copy_chain_files(key: str, previous: Path, out_dir: Path, index_dir: Path) -> bool:
    """Copy the previous build's chain files when they were made of ``key`` and are the files indexed."""
    import json
    import shutil

    from kg.manifest import link_or_copy, write_atomic

    try:
        data = json.loads((index_dir / CHAIN_INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(data, dict) or data.get("key") != key or not isinstance(data.get("files"), dict):
        return False
    files = data["files"]
    if not files:
        return False
    for name, (size, mtime) in files.items():
        try:
            st = (previous / name).stat()
        except OSError:
            return False
        if st.st_size != size or st.st_mtime_ns != mtime:
            return False
    staging = out_dir / f".{CHAIN_DIR}.writing"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    for name in files:
        target = out_dir / name if "/" not in name else staging / name.split("/", 1)[1]
        link_or_copy(previous / name, target)
    folder = out_dir / CHAIN_DIR
    if folder.exists():
        shutil.rmtree(folder)
    staging.rename(folder)
    # The pages' own index follows the copies (new files, new times).
    try:
        pages = json.loads((index_dir / PAGE_INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pages = None
    if isinstance(pages, dict):
        for slug, entry in pages.items():
            path = folder / f"{slug}.html"
            if isinstance(entry, list) and path.is_file():
                st = path.stat()
                entry[1:] = [st.st_size, st.st_mtime_ns]
        write_atomic(index_dir / PAGE_INDEX, json.dumps(pages, separators=(",", ":"), sort_keys=True))
    return True


def write_build_chains(out_dir: Path, graph_file: str = "kamervragen.nt", jobs: int | None = None) -> list[Chain]:
    """The chains of a build just written to ``out_dir``, written beside it."""
    chains = load_chains(Path(out_dir) / graph_file)
    write_chain_outputs(chains, out_dir, graph_file, jobs=jobs)
    return chains
