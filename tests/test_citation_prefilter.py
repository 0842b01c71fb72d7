"""find_citations skips a series where the text lacks what every citation of
it holds (a digit, a session year, a dossier number, the series' name). That
is a shortcut only: with the checks switched off it must find exactly the
same citations, however the names are printed (either case, hyphens and
soft hyphens inside words, glued or doubled spaces)."""
from __future__ import annotations

import re

import pytest

import kg.parse.citations as C
from tests.conftest import CORPUS, SAMPLES

_ALWAYS = re.compile("")


def _without_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(C, "_DIGIT", _ALWAYS)
    monkeypatch.setattr(C, "_may_hold_url", lambda text: True)
    monkeypatch.setattr(C, "_FINDERS", tuple((finder, _ALWAYS, ()) for finder, _, _ in C._FINDERS))


def _printed_variants(name: str) -> list[str]:
    """How extraction prints a series name: as is, lower-case first letter,
    a hyphen or soft hyphen inside its first word, spaces lost or doubled."""
    first, _, rest = name.partition(" ")
    out = [name, name[0].lower() + name[1:], name.replace(" ", ""), name.replace(" ", "  ")]
    if len(first.rstrip(".")) > 3:
        out.append(first[:2] + "-\n" + first[2:] + (" " + rest if rest else ""))
        out.append(first[:3] + "\u00ad" + first[3:] + (" " + rest if rest else ""))
    return out


def _texts() -> list[str]:
    texts = []
    tails = [" 2023–2024, nr. 1234", " II 2018/19, nrs. 12 en 13", ", vergaderjaar 2022-2023, 1028",
             " II 2019/20, nr. 45, item 6", " 2024, 153", " 36 200 VI, nr. 12", " 2023/24, Aanhangsel 1450"]
    names = [n for n, _ in C.SERIES] + list(C.AH_MARKS) + ["Bijlage bij Kamerstuk", "vraagnummer"]
    for name in names:
        for printed in _printed_variants(name):
            for tail in tails:
                texts.append(f"Zie {printed}{tail}.")
                texts.append(f"zie ook{printed}{tail}")
    texts += ["zie WwW.example.org/x en HTTPS://example.org/y", "29 383, nr. 406 en 31 293, 31 289, nr. 640", "(33529, nr. 1219)", "2024Z 17972", "(vraagnummer 2024Z14250)",
              "https://www.rijksoverheid.nl/documenten/kamerstukken/2024/01/01/36 200", "geen cijfers hier", ""]
    for folder in (SAMPLES, CORPUS / "docs"):
        if folder.is_dir():
            for p in sorted(folder.glob("*.txt")):
                texts.extend(p.read_text(encoding="utf-8", errors="replace").split("\n\n"))
    return texts


def _found(text: str) -> tuple:
    return tuple((m.identifier, m.citaat, m.start, m.end, m.scheme, m.corrected_from) for m in C.find_citations(text)), tuple(
        C.find_web_links(text)
    )


def test_the_checks_change_no_result(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = _texts()
    fast = [_found(t) for t in texts]
    _without_checks(monkeypatch)
    slow = [_found(t) for t in texts]
    assert sum(len(f[0]) for f in slow) > 500  # the texts do cite: the comparison says something
    differing = [t for t, a, b in zip(texts, fast, slow) if a != b]
    assert differing == []


def test_every_series_name_has_its_word_checked() -> None:
    """The words a series is checked for come from the tables above, so a
    name added to a table is checked for too."""
    words = {finder.__name__: w for finder, _, w in C._FINDERS}
    assert "aanh" in words["_find_ah"] and "avdh" in words["_find_ah_after_year"]
    assert {"stb", "staatsblad", "stcrt", "staatscourant"} <= set(words["_find_gazettes"])
    assert {"nr", "nummer"} <= set(words["_find_bare_kst"])
