#!/usr/bin/env python3
"""Derive the shipped reconciliation tables in kg/link/data/ from the real
reference data (run by hand when the data changes; the tables are committed
so that the package needs no ../shared to run).

    python scripts/derive_link_tables.py [DATA_DIR]   # default ../shared/data

Reads tk/tk-personen.jsonl.xz (the Tweede Kamer's Persoon records) and
openkamer/{person,parliament,government}.json.xz (ids, memberships and
minister terms up to December 2019) and writes:

- personen.csv: one row per person who may appear in a question of 1990 or
  later (born after 1900, not dead before 1990): the Tweede Kamer Persoon id,
  Wikidata and Parlement.com ids where openkamer gives them, the name parts,
  birth and death dates, the Persoon's functie;
- kamerlidmaatschappen.csv: Tweede Kamer memberships with dates (openkamer);
- partijlidmaatschappen.csv: party memberships, the party keyed as
  fracties.csv keys it where it knows the party, dates where known;
- ambtstermijnen.csv: terms of ministers and state secretaries (openkamer);
- partijen.csv: parties with their Wikidata items;
- bronnen.json: where each table came from, with the sources' SHA-256 and counts.

Output is sorted and deterministic: same data in, same bytes out.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import lzma
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.link.people import canonical_party  # noqa: E402

OUT = ROOT / "kg" / "link" / "data"
POSITIONS = {"MIN": "Minister", "SOS": "Staatssecretaris", "MWP": "Minister", "PMI": "Minister-president", "DPM": "Viceminister-president"}


def _json(path: Path):
    with lzma.open(path, "rt", encoding="utf-8") as f:
        return json.load(f)


def _jsonl(path: Path):
    with lzma.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _write(name: str, header: list[str], rows: list[list], comment: str) -> int:
    buf = io.StringIO()
    for line in comment.strip().splitlines():
        buf.write(f"# {line}\n")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for r in sorted(rows, key=lambda r: [str(x) for x in r]):
        w.writerow(["" if x is None else x for x in r])
    (OUT / name).write_text(buf.getvalue(), encoding="utf-8")
    return len(rows)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main(data: Path) -> None:
    tk_path, ok = data / "tk" / "tk-personen.jsonl.xz", data / "openkamer"
    tk = _jsonl(tk_path)
    person = _json(ok / "person.json.xz")
    parliament = _json(ok / "parliament.json.xz")
    government = _json(ok / "government.json.xz")

    by_tk = {r["id"]: r for r in tk}
    ok_people = {x["pk"]: x["fields"] for x in person}
    key_of: dict[int, str] = {}
    rows: dict[str, dict] = {}
    for r in tk:
        rows[r["id"]] = {
            "id": r["id"], "tk_id": r["id"], "wikidata": "", "parlement_com": "",
            "achternaam": r["achternaam"].strip(), "tussenvoegsel": (r["tussenvoegsel"] or "").strip(),
            "initialen": (r["initialen"] or "").strip(), "roepnaam": (r["roepnaam"] or "").strip(),
            "geboortedatum": r["geboortedatum"] or "", "overlijdensdatum": r["overlijdensdatum"] or "",
            "functie": r["functie"], "bron": "tk",
        }
    # openkamer's tk_id is trusted only where the birth dates agree: it gives
    # Jasper van Dijk (SP, born 1971) the Persoon id of Jan Jacob van Dijk
    # (CDA, born 1964). Otherwise the Persoon of the same surname and birth
    # date is the person, if there is exactly one.
    def fold(s: str) -> str:
        return "".join(c for c in unicodedata.normalize("NFKD", s.lower()) if c.isalnum())

    by_name_birth: dict[tuple[str, str], list[str]] = {}
    for r in tk:
        by_name_birth.setdefault((fold((r["tussenvoegsel"] or "") + r["achternaam"]), r["geboortedatum"] or ""), []).append(r["id"])
    mismatched = []
    joined_by_birth: list[str] = []
    for pk, f in ok_people.items():
        tk_id = (f.get("tk_id") or "").strip()
        birth = f.get("birthdate") or ""
        if tk_id in by_tk and birth and by_tk[tk_id]["geboortedatum"] and by_tk[tk_id]["geboortedatum"] != birth:
            # A differing date alone may be a slip in either source: the id
            # is moved only to a Persoon of the same surname born that day.
            same = by_name_birth.get((fold((f.get("surname_prefix") or "") + f["surname"]), birth), [])
            if len(same) == 1 and same[0] != tk_id:
                mismatched.append(f"{f['forename']} {f['surname_prefix']} {f['surname']}".replace("  ", " "))
                tk_id = same[0]
        if not tk_id and birth:
            # No id in openkamer (Yasemin Çegerek, Chantal Gill'ard): the one
            # Persoon of that surname born that day.
            same = by_name_birth.get((fold((f.get("surname_prefix") or "") + f["surname"]), birth), [])
            if len(same) == 1:
                tk_id = same[0]
                joined_by_birth.append(f"{f['forename']} {f['surname_prefix']} {f['surname']}".replace("  ", " "))
        key = tk_id if tk_id in by_tk else (tk_id or (f"wd-{f['wikidata_id']}" if f.get("wikidata_id") else f"ok-{pk}"))
        key_of[pk] = key
        row = rows.get(key)
        if row is None:
            row = rows[key] = {
                "id": key, "tk_id": tk_id, "wikidata": "", "parlement_com": "",
                "achternaam": f["surname"].strip(), "tussenvoegsel": (f.get("surname_prefix") or "").strip(),
                "initialen": (f.get("initials") or "").strip(), "roepnaam": (f.get("forename") or "").strip(),
                "geboortedatum": f.get("birthdate") or "", "overlijdensdatum": "", "functie": "", "bron": "openkamer",
            }
        else:
            row["bron"] = "tk+openkamer"
            if not row["roepnaam"] and f.get("forename"):
                row["roepnaam"] = f["forename"].strip()
        row["wikidata"] = (f.get("wikidata_id") or "").strip()
        row["parlement_com"] = (f.get("parlement_and_politiek_id") or "").strip()

    def relevant(r: dict) -> bool:
        born, died = r["geboortedatum"], r["overlijdensdatum"]
        return (not born or born >= "1900") and (not died or died >= "1990")

    keep = {k for k, r in rows.items() if relevant(r)}

    # openkamer sometimes joins two namesakes into one person (Jan Jacob van
    # Dijk, CDA, holds Jasper van Dijk's SP seat from 2006): one person cannot
    # hold two seats at once, so overlapping Kamer memberships mark such a
    # record, and its memberships and parties are not used.
    seats: dict[str, list[tuple[str, str]]] = {}
    for x in parliament:
        if x["model"] == "parliament.parliamentmember":
            seats.setdefault(key_of[x["fields"]["person"]], []).append((x["fields"]["joined"] or "", x["fields"]["left"] or "9999"))
    conflated = set()
    for key, spans in seats.items():
        spans.sort()
        if any(b[0] < a[1] for a, b in zip(spans, spans[1:])):
            conflated.add(key)
    header = ["id", "tk_id", "wikidata", "parlement_com", "achternaam", "tussenvoegsel", "initialen", "roepnaam",
              "geboortedatum", "overlijdensdatum", "functie", "bron"]
    n_people = _write("personen.csv", header, [[rows[k][h] for h in header] for k in keep], """
Persons for reconciliation, derived by scripts/derive_link_tables.py (do not edit by hand).
id: the Tweede Kamer Persoon GUID; for people the Kamer does not register, wd-<Wikidata item> or ok-<openkamer pk>.
Sources: tk/tk-personen.jsonl.xz (Persoon records) and openkamer/person.json.xz (Wikidata, Parlement.com ids).
""")

    parties = {x["pk"]: x["fields"] for x in parliament if x["model"] == "parliament.politicalparty"}
    kamer = [
        [key_of[x["fields"]["person"]], x["fields"]["joined"] or "", x["fields"]["left"] or ""]
        for x in parliament
        if x["model"] == "parliament.parliamentmember" and key_of.get(x["fields"]["person"]) in keep - conflated
    ]
    n_kamer = _write("kamerlidmaatschappen.csv", ["id", "van", "tot"], kamer, """
Tweede Kamer memberships (openkamer/parliament.json.xz, up to 2019-12), by scripts/derive_link_tables.py.
tot empty: still a member when the data was taken.
""")

    def party_key(f: dict) -> str:
        for name in (f["name_short"], f["name"]):
            key = canonical_party(name)
            if key != name:
                return key
        return f["name_short"] or f["name"]

    partij = [
        [key_of[x["fields"]["person"]], party_key(parties[x["fields"]["party"]]), x["fields"]["joined"] or "", x["fields"]["left"] or ""]
        for x in parliament
        if x["model"] == "parliament.partymember" and key_of.get(x["fields"]["person"]) in keep - conflated
    ]
    n_partij = _write("partijlidmaatschappen.csv", ["id", "fractie", "van", "tot"], partij, """
Party memberships (openkamer/parliament.json.xz, up to 2019-12), by scripts/derive_link_tables.py.
fractie as kg/link/data/fracties.csv keys it where it knows the party; dates empty where openkamer has none.
""")
    n_partijen = _write("partijen.csv", ["fractie", "naam", "wikidata"],
                        [[party_key(f), f["name"], f["wikidata_id"] or ""] for f in parties.values()], """
Parties with their Wikidata items (openkamer/parliament.json.xz), by scripts/derive_link_tables.py.
""")

    ministries = {x["pk"]: x["fields"] for x in government if x["model"] == "government.ministry"}
    cabinets = {x["pk"]: x["fields"] for x in government if x["model"] == "government.government"}
    positions = {x["pk"]: x["fields"] for x in government if x["model"] == "government.governmentposition"}
    terms = []
    for x in government:
        if x["model"] != "government.governmentmember":
            continue
        f = x["fields"]
        pos = positions[f["position"]]
        ministry = ministries[pos["ministry"]]["name"] if pos["ministry"] else ""
        cabinet = cabinets[pos["government"]]
        terms.append([key_of[f["person"]], POSITIONS.get(pos["position"], pos["position"]), ministry, pos["extra_info"] or "",
                      cabinet["name"], cabinet["wikidata_id"] or "", f["start_date"] or "", f["end_date"] or cabinet["date_dissolved"] or ""])
    n_terms = _write("ambtstermijnen.csv", ["id", "titel", "ministerie", "portefeuille", "kabinet", "kabinet_wikidata", "van", "tot"], terms, """
Terms of ministers and state secretaries (openkamer/government.json.xz, cabinets Balkenende III to Rutte III), by scripts/derive_link_tables.py.
ministerie lower case as openkamer writes it; portefeuille: the extra text of a minister without portfolio.
""")
    sources = {
        "tk/tk-personen.jsonl.xz": _sha(tk_path),
        **{f"openkamer/{n}.json.xz": _sha(ok / f"{n}.json.xz") for n in ("person", "parliament", "government")},
    }
    (OUT / "bronnen.json").write_text(json.dumps({
        "script": "scripts/derive_link_tables.py",
        "sources_sha256": sources,
        "openkamer_until": "2019-12-09",
        "openkamer_conflated_persons": sorted(conflated),
        "openkamer_tk_id_rejected_birth_date_differs": sorted(mismatched),
        "openkamer_without_tk_id_joined_by_surname_and_birth_date": sorted(joined_by_birth),
        "rows": {"personen.csv": n_people, "kamerlidmaatschappen.csv": n_kamer, "partijlidmaatschappen.csv": n_partij,
                 "partijen.csv": n_partijen, "ambtstermijnen.csv": n_terms},
    }, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(json.dumps({"personen": n_people, "kamerlidmaatschappen": n_kamer, "partijlidmaatschappen": n_partij,
                      "partijen": n_partijen, "ambtstermijnen": n_terms}))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data")
