"""The chain pages in a real browser: headless Chromium (Debian's
``chromium``) loads them from the file system, renders them, and we look at
what it drew: every chain page draws its documents, and the search box of
chains.html (run by its script, offline, from a file:// page) finds a chain.

Skips cleanly where /usr/bin/chromium is absent (CI installs it when it can).
"""
from __future__ import annotations

import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from kg.chains import load_chains, palette

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="chromium is not installed (apt-get install chromium)")


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    return subprocess.run(
        [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        timeout=180,
        check=False,
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory, corpus_or_samples) -> Path:
    from kg.build import build

    out = tmp_path_factory.mktemp("chains-browser")
    build(corpus_or_samples, out, validate=False)
    return out


@pytest.fixture(scope="module")
def corpus_or_samples(request, samples) -> list[Path]:
    """The corpus where it is present (more chains), else the shipped samples
    (which hold ah-tk-20142015-698 and its citations), so that the browser
    test runs on every machine that has Chromium."""
    try:
        corpus = request.getfixturevalue("corpus")
    except pytest.skip.Exception:
        return [samples]
    return [corpus / "docs", corpus / "unlabelled"]


class _Nodes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.svg = 0
        self.nodes: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "svg":
            self.svg += 1
        elif tag == "a" and self.svg and a.get("data-identifier"):
            self.nodes.append(a["data-identifier"])

    def handle_endtag(self, tag):
        if tag == "svg":
            self.svg -= 1


def _dom(tmp_path: Path, url: str) -> str:
    run = chromium(tmp_path, "--dump-dom", url)
    assert run.returncode == 0, run.stderr.decode(errors="replace")[-2000:]
    return run.stdout.decode("utf-8")


def test_rendered_chain_pages_draw_one_node_per_document(built, tmp_path):
    chains = load_chains(built / "kamervragen.nt")
    assert chains, "the build should hold at least the chain of ah-tk-20142015-698"
    for chain in chains[:5] + [c for c in chains if "ah-tk-20142015-698" in {d.identifier for d in c.documents}]:
        parser = _Nodes()
        parser.feed(_dom(tmp_path, (built / "chains" / f"{chain.slug}.html").as_uri()))
        assert sorted(parser.nodes) == sorted(d.identifier for d in chain.documents), chain.slug


class _Hits(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hits: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("class") == "search-hit":
            self.hits.append(a["href"])


def test_search_box_finds_a_chain_offline(built, tmp_path):
    """chains.html#q=WORDS opens with that search done by the page's script,
    from the index in chains/search.js, with the page opened from a file."""
    chains = load_chains(built / "kamervragen.nt")
    target = next(c for c in chains if "ah-tk-20142015-698" in {d.identifier for d in c.documents})
    hits = _Hits()
    hits.feed(_dom(tmp_path, (built / "chains.html").as_uri() + "#q=ah-tk-20142015-698"))
    assert hits.hits == [f"chains/{target.slug}.html"]
    asker = target.askers[0].achternaam
    hits = _Hits()
    hits.feed(_dom(tmp_path, (built / "chains.html").as_uri() + "#q=" + asker.lower().replace(" ", "%20")))
    expected = [c for c in chains if any(a.achternaam == asker for a in c.askers)]
    assert f"chains/{target.slug}.html" in hits.hits and len(hits.hits) >= len(expected)


def test_screenshot_is_a_drawing(built, tmp_path):
    Image = pytest.importorskip("PIL.Image")
    png = tmp_path / "chains.png"
    chains = load_chains(built / "kamervragen.nt")
    page = built / "chains" / f"{chains[0].slug}.html"
    run = chromium(tmp_path, f"--screenshot={png}", "--window-size=1400,2000", page.as_uri())
    assert run.returncode == 0 and png.exists(), run.stderr.decode(errors="replace")[-2000:]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    image = Image.open(png).convert("RGB")
    assert image.size == (1400, 2000)
    colours = image.getcolors(maxcolors=1_000_000)
    assert colours is not None and len(colours) > 200, "a blank or nearly blank page"
    white = max(colours)[0]
    assert white < 0.97 * 1400 * 2000, "almost everything is one colour"
    # The first chain's cards are drawn: their party colour covers far more
    # than its legend swatch (13 x 13 pixels) would.
    pal = palette()
    party = next(p for d in chains[0].documents if len(d.parties) == 1 for p in d.parties)
    rgb = tuple(int(pal.colour(party)[i : i + 2], 16) for i in (1, 3, 5))
    count = {c: n for n, c in colours}.get(rgb, 0)
    assert count > 400, f"{party} ({pal.colour(party)}) hardly drawn: {count} pixels"
