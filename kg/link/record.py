"""What the link stage keeps of one publication: a compact, picklable record.

The build calls ``record_of`` in its worker processes and keeps (and caches,
through ``to_json``/``from_json``) only the record, never the text of the
questions and answers, so that memory does not grow with the archive. The
record holds exactly what the linkers read: the identifier and kind, the
dates, the zaak number and subject, the people named (with party and the
name as printed), the offices, the citation targets in document order (a
kv:Verwijzing is named by its position) and a few counts. The IRIs the
mapping minted provisionally and linking renames are kept as their local keys
(``kamerlid/<key>``), so that a record does not depend on the build's base.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from kg.iris import kamerlid_provisional_key
from kg.model import CitationSoort, DocumentSoort, Kamer, Publication


@dataclass(frozen=True)
class PersonRecord:
    """A member named as asker, as printed."""

    achternaam: str
    fractie: str | None = None
    voornaam: str | None = None
    initialen: str | None = None
    printed: str = ""
    # The key of the provisional kamerlid IRI the mapping minted.
    provisional: str = ""
    # The Tweede Kamer's Persoon id where the source gives it (a zaak's ZaakActor).
    tk_persoon_id: str | None = None
    medeindiener: bool = False


@dataclass(frozen=True)
class AnswererRecord:
    """A minister or state secretary who signed, with the office as printed."""

    achternaam: str
    office: str | None = None  # the office's label
    ministerie: str | None = None
    printed: str = ""
    tk_persoon_id: str | None = None
    initialen: str | None = None


@dataclass(frozen=True)
class CitationRecord:
    identifier: str
    citaat: str
    soort: str  # CitationSoort value
    corrected_from: str | None = None


@dataclass(frozen=True)
class LinkRecord:
    identifier: str
    soort: str  # DocumentSoort value
    source: str = ""  # the source file's path, for the report
    source_format: str = ""
    kamer: str | None = None
    vergaderjaar: str | None = None
    nummer: int | None = None
    zaaknummer: str | None = None
    onderwerp: str | None = None
    ingezonden: dt.date | None = None
    ontvangen: dt.date | None = None
    mondeling: bool = False
    truncated: bool = False
    askers: tuple[PersonRecord, ...] = ()
    gericht_aan: tuple[str, ...] = ()  # office labels
    answerers: tuple[AnswererRecord, ...] = ()
    mede_namens: tuple[str, ...] = ()
    citations: tuple[CitationRecord, ...] = ()
    counts: dict[str, int] = field(default_factory=dict, compare=False, hash=False)
    # Addressees a structured source names as persons (a zaak's GerichtAan).
    addressees: tuple[AnswererRecord, ...] = ()
    # The Tweede Kamer's Zaak GUID when the record was made from a zaak.
    tk_zaak_id: str | None = None

    @property
    def from_zaak(self) -> bool:
        return self.tk_zaak_id is not None

    # -------------------------------------------------------------- views
    @property
    def soort_enum(self) -> DocumentSoort:
        return DocumentSoort(self.soort)

    @property
    def is_notice(self) -> bool:
        return self.soort in (DocumentSoort.MEDEDELING.value, DocumentSoort.UITSTELBRIEF.value)

    @property
    def eerste_kamer(self) -> bool:
        return self.kamer == Kamer.EERSTE_KAMER.value

    # -------------------------------------------------------------- JSON
    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        for k in ("ingezonden", "ontvangen"):
            if d[k] is not None:
                d[k] = d[k].isoformat()
        # Defaults left out (by identity: 0 is not False).
        return {k: v for k, v in d.items() if not (v is None or v is False or (isinstance(v, (str, tuple, list, dict)) and not v))}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "LinkRecord":
        d = dict(d)
        for k in ("ingezonden", "ontvangen"):
            if d.get(k):
                d[k] = dt.date.fromisoformat(d[k])
        d["askers"] = tuple(PersonRecord(**p) for p in d.get("askers", ()))
        d["answerers"] = tuple(AnswererRecord(**a) for a in d.get("answerers", ()))
        d["addressees"] = tuple(AnswererRecord(**a) for a in d.get("addressees", ()))
        d["citations"] = tuple(CitationRecord(**c) for c in d.get("citations", ()))
        d["gericht_aan"] = tuple(d.get("gericht_aan", ()))
        d["mede_namens"] = tuple(d.get("mede_namens", ()))
        return cls(**d)


def record_of(pub: Publication | LinkRecord) -> LinkRecord:
    """The link record of a publication (a record is returned as it is)."""
    if isinstance(pub, LinkRecord):
        return pub
    return LinkRecord(
        identifier=pub.identifier,
        soort=pub.soort.value,
        source=str(pub.source_path),
        source_format=pub.source_format,
        kamer=pub.kamer.value if pub.kamer is not None else None,
        vergaderjaar=pub.vergaderjaar,
        nummer=pub.nummer,
        zaaknummer=pub.zaaknummer,
        onderwerp=pub.onderwerp,
        ingezonden=pub.ingezonden,
        ontvangen=pub.ontvangen,
        mondeling=pub.mondeling,
        truncated=pub.truncated,
        askers=tuple(
            PersonRecord(
                achternaam=p.achternaam,
                fractie=p.fractie,
                voornaam=p.voornaam,
                initialen=p.initialen,
                printed=p.printed,
                provisional=kamerlid_provisional_key(p.achternaam, p.fractie, p.voornaam),
                tk_persoon_id=p.tk_persoon_id,
                medeindiener=p.medeindiener,
            )
            for p in pub.vragenstellers
        ),
        gericht_aan=tuple(o.label for o in pub.gericht_aan),
        answerers=tuple(
            AnswererRecord(
                achternaam=b.achternaam,
                office=b.office.label if b.office else None,
                ministerie=b.office.ministerie if b.office else None,
                printed=b.printed,
                tk_persoon_id=b.tk_persoon_id,
                initialen=b.initialen,
            )
            for b in pub.beantwoord_door
        ),
        mede_namens=tuple(o.label for o in pub.mede_namens),
        citations=tuple(CitationRecord(c.identifier, c.citaat, c.soort.value, c.corrected_from) for c in pub.citations),
        counts={
            "vragen": len(pub.vragen),
            "antwoorden": len(pub.antwoorden),
            "voetnoten": len(pub.footnotes),
            "verwijzingen": len(pub.citations),
        },
        addressees=tuple(
            AnswererRecord(achternaam=b.achternaam, office=b.office.label if b.office else None, printed=b.printed,
                           tk_persoon_id=b.tk_persoon_id, initialen=b.initialen)
            for b in pub.gericht_aan_personen
        ),
        tk_zaak_id=pub.tk_zaak_id,
    )


def records(items: Any) -> list[LinkRecord]:
    """Records of a sequence of publications or records (linkers accept both)."""
    return [record_of(p) for p in items]


TOELICHTING = CitationSoort.TOELICHTING.value
