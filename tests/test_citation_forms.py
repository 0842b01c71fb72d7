"""Citation forms of the real archive that the first parser missed (issue 9,
section 4), each with its neighbours: the variants a printer or an extractor
makes of the same form, and look-alikes that are no citation.

Every identifier a new form yields is checked against the shipped KOOP
registry, so that a form is only taught where its targets exist.
"""
from __future__ import annotations

import pytest

from kg.model import SourceText
from kg.parse import parse
from kg.parse.citations import find_citations


def ids(text: str, **kw: str) -> list[str]:
    return [m.identifier for m in find_citations(text, **kw)]


FORMS: list[tuple[str, list[str]]] = [
    # the plural with several numbers
    ("Aanhangsels Handelingen, vergaderjaar 2022–2023, nr. 812 en 830", ["ah-tk-20222023-812", "ah-tk-20222023-830"]),
    ("Aanhangsels Handelingen, vergaderjaar 2022–2023, nrs. 812 en 830", ["ah-tk-20222023-812", "ah-tk-20222023-830"]),
    ("Aanhangsel Handelingen, vergaderjaar 2022–2023, nr. 812, 830 en 1190",
     ["ah-tk-20222023-812", "ah-tk-20222023-830", "ah-tk-20222023-1190"]),
    ("zie de Aanhangsels van de Handelingen, vergaderjaar 2022–2023, nrs. 812, 830 en 1190.",
     ["ah-tk-20222023-812", "ah-tk-20222023-830", "ah-tk-20222023-1190"]),
    # the Aanhangsel named after the year of a Kamerstukken or Handelingen citation
    ("Kamerstukken II, 2021–2022, AvdH 1450", ["ah-tk-20212022-1450"]),
    ("Kamerstukken II 2021/22, AvdH 1450", ["ah-tk-20212022-1450"]),
    ("Kamerstukken II, 2021–2022, AvdH, nr. 1450", ["ah-tk-20212022-1450"]),
    ("Handelingen II 2019/20, Aanhangsel 1734", ["ah-tk-20192020-1734"]),
    ("Handelingen II 2019/20, Aanhangsel, nr. 1734", ["ah-tk-20192020-1734"]),
    ("Kamerstukken I 2022/23, Aanh. Hand. nr. 5", ["ah-ek-20222023-5"]),
    # year first, the chamber named
    ("Tweede Kamer, vergaderjaar 2022–2023, Aanhangsel van de Handelingen, nr. 1190", ["ah-tk-20222023-1190"]),
    ("Tweede Kamer, vergaderjaar 2022–2023, Aanhangsel Handelingen, nr. 1190", ["ah-tk-20222023-1190"]),
    ("TK 2022/23, Aanhangsel van de Handelingen, nr. 1190", ["ah-tk-20222023-1190"]),
    ("Eerste Kamer, vergaderjaar 2022–2023, Aanhangsel van de Handelingen, nr. 12", ["ah-ek-20222023-12"]),
    ("Tweede Kamer, vergaderjaar 2022–2023, Aanhangsel, nr. 1190", ["ah-tk-20222023-1190"]),
    # a short year with a slash
    ("Aanhangsel Handelingen II 2019/20, nr. 1734", ["ah-tk-20192020-1734"]),
    ("Aanhangsel Handelingen II, 2019/20, nr. 1734", ["ah-tk-20192020-1734"]),
    ("Aanh. Hand. II 2019/20, nr. 1734", ["ah-tk-20192020-1734"]),
    # a Kamerstuk under two (or three) dossier numbers
    ("Kamerstuk 31 293, 31 289, nr. 640", ["kst-31293-640", "kst-31289-640"]),
    ("(Kamerstukken 31 293 en 31 289, nr. 640)", ["kst-31293-640", "kst-31289-640"]),
    ("(31 293, 31 289, nr. 640)", ["kst-31293-640", "kst-31289-640"]),
    ("Kamerstuk 29 689, 31 293, 31 289, nr. 640", ["kst-29689-640", "kst-31293-640", "kst-31289-640"]),
    # Eerste Kamer letters
    ("Kamerstuk 36 200, C", ["kst-36200-C"]),
    ("(Kamerstukken I 2022/23, 36 200, C).", ["kst-36200-C"]),
    ("21 501-20, nr. B", ["kst-21501-20-B"]),
    ("Kamerstukken I 2023/24, 21 501-20, nr. B", ["kst-21501-20-B"]),
]


@pytest.mark.parametrize(("text", "expected"), FORMS, ids=[f[0][:60] for f in FORMS])
def test_form(text: str, expected: list[str]) -> None:
    assert ids(text) == expected


NOT_CITATIONS: list[str] = [
    # Tweede Kamer document numbers and ministry references name no publication
    "(2023D41120)",
    "Kenmerk 2023D41120",
    "ons kenmerk 2024-0000123456",
    "Referentie: BZ2318547",
    "kenmerk DGSM/4815162",
    # the running page footer is no citation, however it is glued
    "Tweede Kamer, vergaderjaar 2022–2023, Aanhangsel 1190",
    "Tweede Kamer, vergaderjaar 2022–2023, Aanhangsel 3Vraag 4",
    # a letter after a Kamerstuk's comma that starts a word or a sentence
    "Kamerstuk 36 200, U vraagt naar",
    "Kamerstuk 36 200, E-mail van",
    "Kamerstuk 36 200, De minister",
    # a dossier list without any document
    "Kamerstuk 31 293, 31 289",
]


@pytest.mark.parametrize("text", NOT_CITATIONS)
def test_not_a_citation(text: str) -> None:
    assert find_citations(text) == []


def test_tk_document_number_beside_a_citation_is_not_cited() -> None:
    text = "1 Aanhangsel van de Handelingen, vergaderjaar 2023–2024, nr. 76 (2023D39037); kenmerk 2023D41120"
    assert ids(text) == ["ah-tk-20232024-76"]


# ------------------------------------------------------------ glued forms
GLUED: list[tuple[str, list[str]]] = [
    ("Zie ookAanhangsel Handelingen, vergaderjaar 2022–2023, nr. 402", ["ah-tk-20222023-402"]),
    ("Aanhangsel Handelingen, vergaderjaar2023–2024, nr. 1204", ["ah-tk-20232024-1204"]),
    ("Aanhangsel Handelingen,vergaderjaar 2023–2024, nr. 1204", ["ah-tk-20232024-1204"]),
    ("Aanhangsel Handelingen, vergaderjaar 2022–2023,nr. 1204", ["ah-tk-20222023-1204"]),
    ("AanhangselHandelingen, vergaderjaar 2022–2023, nr.1204", ["ah-tk-20222023-1204"]),
    ("motieKamerstuk 29 383, nr. 406", ["kst-29383-406"]),
    ("KamerstukkenII 2023/24, 36 200VI, nr. 12", ["kst-36200-VI-12"]),
    ("Kamerstukken II 2023/24, 36 410XIV, nr. 9", ["kst-36410-XIV-9"]),
    ("Kamerstukken II, 2021–2022,AvdH 1450", ["ah-tk-20212022-1450"]),
]


@pytest.mark.parametrize(("text", "expected"), GLUED, ids=[g[0][:60] for g in GLUED])
def test_glued_form(text: str, expected: list[str]) -> None:
    assert ids(text) == expected


def test_lower_case_word_before_series_name_still_needs_the_capital() -> None:
    # "ookaanhangsel" is no place where two words met
    assert ids("zie ookaanhangsel Handelingen, vergaderjaar 2022–2023, nr. 402") == []


# ---------------------------------------------- the targets exist (KOOP)
REGISTERED = [
    "ah-tk-20222023-812", "ah-tk-20222023-830", "ah-tk-20212022-1450", "ah-tk-20222023-1190",
    "ah-tk-20192020-1734", "kst-31293-640", "kst-36200-C", "kst-21501-20-B",
    "ah-tk-20222023-402", "ah-tk-20222023-417", "ah-tk-20222023-1204",
]


def test_new_forms_name_registered_publications() -> None:
    from kg.link.registry import default_registry

    registry = default_registry()
    missing = [i for i in REGISTERED if i not in registry]
    assert missing == []
    # the second dossier of a joint Kamerstuk is minted all the same: the
    # link stage checks it and says when KOOP files it under the first only
    assert "kst-31289-640" not in registry


# -------------------------------------------- a chain of "Zie ook" clauses
def _answer(zie_ook: str) -> SourceText:
    from pathlib import Path

    text = (
        "Tweede Kamer der Staten-Generaal\nVergaderjaar 2022–2023 Aanhangsel van de Handelingen\n"
        "Vragen gesteld door de leden der Kamer, met de daarop door de regering gegeven antwoorden\n1500\n"
        "Vragen van het lid Dassen (Volt) aan de Minister van Financiën over de bankenunie "
        "(ingezonden 2 maart 2023).\n"
        "Antwoord van Minister Kaag (Financiën) (ontvangen 20 maart 2023). " + zie_ook + "\n"
        "Vraag 1\nKent u het bericht?\nAntwoord 1\nJa.\n"
    )
    return SourceText(path=Path("zie-ook.txt"), format="text", text=text, sha256="0" * 64)


CHAIN_NUMBERS = [402, 417, 812, 830, 1190, 1204, 1450, 1500]


@pytest.mark.parametrize("joint", [" ", "\n", ""])
def test_every_clause_of_a_zie_ook_chain_is_a_citation(joint: str) -> None:
    clauses = [f"Zie ook Aanhangsel Handelingen, vergaderjaar 2022–2023, nr. {n}." for n in CHAIN_NUMBERS[:7]]
    pub = parse(_answer(joint.join(clauses)))
    cited = [c.identifier for c in pub.citations]
    assert cited == [f"ah-tk-20222023-{n}" for n in CHAIN_NUMBERS[:7]]


def test_zie_ook_glued_to_its_citation() -> None:
    pub = parse(_answer("Zie ookAanhangsel Handelingen, vergaderjaar 2022–2023, nr. 402."))
    assert [c.identifier for c in pub.citations] == ["ah-tk-20222023-402"]


def test_zie_ook_with_abbreviated_series_names() -> None:
    """The full stop of "Aanh. Hand." or "Kst." ends no "Zie ook" sentence."""
    pub = parse(_answer("Zie ook Aanh. Hand. II 2022/23, nr. 402. Zie ook Kst. 36 200, C. Zie ook Aanh. Hand. II 2022/23, nr. 417."))
    assert [c.identifier for c in pub.citations] == ["ah-tk-20222023-402", "kst-36200-C", "ah-tk-20222023-417"]
