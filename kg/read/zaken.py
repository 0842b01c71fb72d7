"""The Tweede Kamer's zaken of Soort "Schriftelijke vragen" as a source.

Two forms, both with the OData property names of the Zaak entity
(https://gegevensmagazijn.tweedekamer.nl/OData/v4/2.0/Zaak):

- JSON lines, one zaak a line, as ``tk-zaken-schriftelijke-vragen.jsonl`` is
  shipped (xz-compressed or not): the actors by relation as lists of names
  written as the tkapi client writes a person, ``Roepnaam [tussenvoegsel]
  Achternaam (Initialen)`` (keys ``Indiener``, ``Medeindiener``,
  ``GerichtAan``);
- a page of the OData API as it answers, ``{"@odata.context": ..., "value":
  [...]}``, queried with ``$expand=ZaakActor``: each actor with ``ActorNaam``,
  ``ActorFractie``, ``Relatie`` ("Indiener", "Medeindiener", "Gericht aan"),
  ``Persoon_Id`` and ``Fractie_Id``.

Each zaak becomes the question publication it stands for, ``kv-tk-<Nummer>``:
zaak number, subject, the start date as submission date, vergaderjaar, askers
and co-askers (with their party and Persoon id where the page gives them) and
the persons it was addressed to. Who those persons are, and their office at
that date, is the link stage's business (kg.link). Records are read one by
one, so that a file of 43,000 zaken never sits in memory as JSON.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import lzma
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from kg.errors import ReadError
from kg.model import Bewindspersoon, DocumentSoort, Kamer, Person, Publication

SOORT = "Schriftelijke vragen"
FORMAT_JSONL = "tk-zaak-jsonl"
FORMAT_ODATA = "tk-odata-zaak"
ODATA_BASE = "https://gegevensmagazijn.tweedekamer.nl/OData/v4/2.0/"

_NUMMER = re.compile(r"^\d{4}Z\d{5}$")
_VERGADERJAAR = re.compile(r"^(\d{4})-(\d{4})$")
_TKAPI_NAME = re.compile(r"^(?P<name>.+?)\s*\((?P<initials>[^()]*)\)\s*$")
_CALLED = re.compile(r"^\((\w[\w-]*)\)\s+(.+)$")
_LEADING_INITIALS = re.compile(r"^(?P<initials>(?:[A-Z][a-z]{0,2}\.\s*)+)(?P<name>.+)$")
# Surname prefixes (tussenvoegsels), lower case as they stand inside a name.
_PREFIXES = frozenset("van de der den het ten ter te in 't op d' del la le du des von zu".split())


def _open(path: Path) -> BinaryIO:
    try:
        raw = path.open("rb")
    except OSError as exc:
        raise ReadError(f"cannot read file: {exc.strerror or exc}", path) from exc
    if path.name.lower().endswith(".xz"):
        return lzma.LZMAFile(raw)  # type: ignore[return-value]
    return raw


def _sha256(path: Path) -> str:
    from kg.read import sha256_file

    return sha256_file(path)


def split_name(text: str) -> tuple[str | None, str, str | None]:
    """A person as the Tweede Kamer's data writes it -> (first name, surname
    with prefix as at the start of a name, initials).

    "Bas van der Vlies (B.J.)" -> ("Bas", "Van der Vlies", "B.J.");
    "Hirsch Ballin (EMH)" -> (None, "Hirsch Ballin", "EMH"): bare initials
    come without a first name; otherwise, without a prefix, the first word is
    taken as the first name, so the link stage also tries the whole name;
    "C.G. van der Staaij" (ActorNaam) -> (None, "Van der Staaij", "C.G.")."""
    text = " ".join(text.split())
    initials = None
    m = _TKAPI_NAME.match(text)
    if m:
        text, initials = m.group("name"), m.group("initials").strip() or None
    else:
        m = _LEADING_INITIALS.match(text)
        if m:
            initials, text = m.group("initials").replace(" ", ""), m.group("name")
            # "R.A. (Rik) Janssen": the call name in brackets.
            called = _CALLED.match(text)
            if called:
                return called.group(1), _capitalise(called.group(2)), initials
            return None, _capitalise(text), initials
    words = text.split(" ")
    if len(words) == 1:
        return None, _capitalise(text), initials
    if initials and "." not in initials and words[0][:1].upper() != initials[:1].upper():
        # Bare initials ("EMH") whose first the first word does not spell come
        # with no first name ("Hirsch Ballin (EMH)"): the whole is the surname.
        return None, _capitalise(text), initials
    for i, w in enumerate(words[1:], start=1):
        # "Elly Blanksma-van den Heuvel": a double name whose second part has
        # a prefix starts at the word before it.
        if "-" in w and w.rsplit("-", 1)[1].lower() in _PREFIXES:
            return " ".join(words[:i]), _capitalise(" ".join(words[i:])), initials
        if w.lower() in _PREFIXES:
            return " ".join(words[:i]), _capitalise(" ".join(words[i:])), initials
    # The first names are the leading words that spell the initials ("Aant
    # Jelle Soepboer (A.J.)"), at least one, never the last word.
    letters = [c for c in (initials or "") if c.isupper()]
    k = 0
    while k < min(len(letters), len(words) - 1) and words[k][:1].upper() == letters[k]:
        k += 1
    k = max(k, 1)
    return " ".join(words[:k]), " ".join(words[k:]), initials


def _capitalise(s: str) -> str:
    return s[:1].upper() + s[1:]


def _date(value: Any) -> dt.date | None:
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _vergaderjaar(value: Any) -> str | None:
    return value if isinstance(value, str) and _VERGADERJAAR.match(value) else None


def _publication(
    z: dict[str, Any],
    askers: list[Person],
    addressees: list[Bewindspersoon],
    path: Path,
    fmt: str,
    sha: str,
) -> Publication:
    nummer = z["Nummer"]
    return Publication(
        identifier=f"kv-tk-{nummer}",
        soort=DocumentSoort.VRAGEN,
        source_path=path,
        source_format=fmt,
        source_sha256=sha,
        kamer=Kamer.TWEEDE_KAMER,
        vergaderjaar=_vergaderjaar(z.get("Vergaderjaar")),
        zaaknummer=nummer,
        onderwerp=(z.get("Onderwerp") or "").strip() or None,
        ingezonden=_date(z.get("GestartOp")),
        vragenstellers=tuple(askers),
        gericht_aan_personen=tuple(addressees),
        tk_zaak_id=z.get("Id") or None,
    )


def _person(name: str, party: str | None = None, persoon_id: str | None = None, mede: bool = False) -> Person:
    first, surname, initials = split_name(name)
    return Person(surname, party or None, first, printed=name, initialen=initials, tk_persoon_id=persoon_id or None, medeindiener=mede)


def _minister(name: str, persoon_id: str | None = None) -> Bewindspersoon:
    _, surname, initials = split_name(name)
    return Bewindspersoon(surname, None, printed=name, initialen=initials, tk_persoon_id=persoon_id or None)


def _check(z: Any, where: str, path: Path) -> dict[str, Any] | None:
    """The zaak, or None for a zaak of another Soort; ReadError for a record that is not one."""
    if not isinstance(z, dict) or not isinstance(z.get("Nummer"), str) or not _NUMMER.match(z["Nummer"]):
        raise ReadError(f"{where}: not a Zaak record with a zaak number (Nummer like 2015Z23117)", path)
    if z.get("Soort") not in (None, SOORT):
        return None
    return z


def read_jsonl(path: Path) -> Iterator[Publication]:
    """The zaken of a JSON-lines file (as shipped, .jsonl or .jsonl.xz)."""
    sha = _sha256(path)
    with _open(path) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8")
        try:
            for n, line in enumerate(text, start=1):
                if not line.strip():
                    continue
                try:
                    z = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ReadError(f"line {n}: not JSON ({exc.msg})", path) from None
                if _check(z, f"line {n}", path) is None:
                    continue
                askers = [_person(s) for s in z.get("Indiener") or ()] + [_person(s, mede=True) for s in z.get("Medeindiener") or ()]
                addressees = [_minister(s) for s in z.get("GerichtAan") or ()]
                yield _publication(z, askers, addressees, path, FORMAT_JSONL, sha)
        except (lzma.LZMAError, EOFError, UnicodeDecodeError) as exc:
            raise ReadError(f"cannot decode: {exc}", path) from None


# OData ZaakActor.Relatie values.
_ASKER, _CO_ASKER, _ADDRESSEE = "indiener", "medeindiener", "gericht aan"


def read_odata(path: Path) -> Iterator[Publication]:
    """The zaken of one page of the OData API (``$expand=ZaakActor``)."""
    sha = _sha256(path)
    try:
        with _open(path) as raw:
            page = json.load(raw)
    except (json.JSONDecodeError, UnicodeDecodeError, lzma.LZMAError, EOFError) as exc:
        raise ReadError(f"not a JSON document: {exc}", path) from None
    if not isinstance(page, dict) or "value" not in page or not isinstance(page["value"], list) or not any(
        k.startswith("@odata") for k in page
    ):
        raise ReadError('not an OData page ({"@odata.context": ..., "value": [...]})', path)
    for i, z in enumerate(page["value"]):
        if _check(z, f"value[{i}]", path) is None:
            continue
        actors = z.get("ZaakActor")
        if actors is None:
            raise ReadError(f"value[{i}] ({z['Nummer']}): no ZaakActor; query the page with $expand=ZaakActor", path)
        actors = sorted((a for a in actors if not a.get("Verwijderd")), key=lambda a: (a.get("Volgorde") or 0, a.get("ActorNaam") or ""))
        askers, addressees = [], []
        for a in actors:
            relatie = (a.get("Relatie") or "").strip().lower()
            name = (a.get("ActorNaam") or "").strip()
            if not name:
                continue
            if relatie in (_ASKER, _CO_ASKER):
                askers.append(_person(name, a.get("ActorFractie"), a.get("Persoon_Id"), relatie == _CO_ASKER))
            elif relatie == _ADDRESSEE:
                addressees.append(_minister(name, a.get("Persoon_Id")))
        # The first submitter first, as the jsonl lists them.
        askers.sort(key=lambda p: p.medeindiener)
        yield _publication(z, askers, addressees, path, FORMAT_ODATA, sha)


def odata_zaak_iri(zaak_id: str) -> str:
    return f"{ODATA_BASE}Zaak({zaak_id})"
