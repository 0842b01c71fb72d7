"""chains.html in a real browser: headless Chromium (Debian's ``chromium``)
loads the page from the file system, renders it, and we look at what it drew.

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


def test_rendered_dom_has_one_drawn_node_per_document(built, tmp_path):
    chains = load_chains(built / "kamervragen.nt")
    assert chains, "the build should hold at least the chain of ah-tk-20142015-698"
    run = chromium(tmp_path, "--dump-dom", (built / "chains.html").as_uri())
    assert run.returncode == 0, run.stderr.decode(errors="replace")[-2000:]
    dom = run.stdout.decode("utf-8")
    parser = _Nodes()
    parser.feed(dom)
    expected = sorted(d.identifier for c in chains for d in c.documents)
    assert sorted(parser.nodes) == expected
    assert "ah-tk-20142015-698" in parser.nodes and "ah-tk-20142015-403" in parser.nodes


def test_screenshot_is_a_drawing(built, tmp_path):
    Image = pytest.importorskip("PIL.Image")
    png = tmp_path / "chains.png"
    run = chromium(tmp_path, f"--screenshot={png}", "--window-size=1400,2000", (built / "chains.html").as_uri())
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
    chains = load_chains(built / "kamervragen.nt")
    pal = palette()
    party = next(p for d in chains[0].documents if len(d.parties) == 1 for p in d.parties)
    rgb = tuple(int(pal.colour(party)[i : i + 2], 16) for i in (1, 3, 5))
    count = {c: n for n, c in colours}.get(rgb, 0)
    assert count > 400, f"{party} ({pal.colour(party)}) hardly drawn: {count} pixels"
