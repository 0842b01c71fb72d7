"""The signatures of a letter ("De Minister van Financiën,") are found by a
quick search for the article before an office title, whose start is then
checked by hand (kg.parse.letter._signer_offices). It must find exactly what
the declared pattern, _SIGNER_OFFICE, finds: at a line start or after a
sentence end, blanks allowed before the article, nowhere else."""
from __future__ import annotations

import random

from kg.parse.letter import _SIGNER_OFFICE, _signer_offices
from tests.conftest import CORPUS, SAMPLES


def _pattern(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _SIGNER_OFFICE.finditer(text)]


def test_same_as_the_pattern_on_real_letters() -> None:
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(SAMPLES.glob("*.txt"))]
    if (CORPUS / "docs").is_dir():
        texts += [p.read_text(encoding="utf-8", errors="replace") for p in sorted((CORPUS / "docs").glob("*.txt"))]
    found = 0
    for text in texts:
        assert list(_signer_offices(text)) == _pattern(text)
        found += len(_pattern(text))
    assert found > 0  # some letters are signed in their text: the comparison says something


def test_same_as_the_pattern_on_awkward_text() -> None:
    parts = ["De ", "de ", "Het ", "het ", "Minister", "minister", "Staatssecretaris", "Ministerie", " ", "  ", "\t",
             "\u00a0", "\n", ".", "?", ":", "!", ",", "x", "Mede", "Eerde ", "van Financiën,\n", "\nDe Minister", ". De Minister"]
    rng = random.Random(7)
    for _ in range(20000):
        text = "".join(rng.choice(parts) for _ in range(rng.randint(0, 12)))
        assert list(_signer_offices(text)) == _pattern(text), repr(text)
    assert list(_signer_offices("Hoogachtend,\n  De Minister van Financiën,\n\nE. Heinen")) == [(13, 18)]
    assert list(_signer_offices("zoals de Minister van Financiën schreef")) == []
