#!/usr/bin/env python3
"""Derive the compact table of real written-question metadata that ``kg synth``
ships (kg/synth/data/zaken.tsv.xz) from the shared reference data.

Run by hand when the reference data changes (it is not part of the build):

    python scripts/derive_synth_table.py ../shared/data [kg/synth/data]

Inputs (see ../shared/data/README.md):
- tk/tk-zaken-schriftelijke-vragen.jsonl.xz: 42,994 real written questions
  (zaak number, subject, submission date, asker, co-askers, addressed ministers);
- tk/tk-personen.jsonl.xz and openkamer/person.json.xz: to split a printed
  name ("Melanie Schultz van Haegen (M.H.)") into first name and surname;
- openkamer/parliament.json.xz: the party of a member (up to 2019);
- openkamer/government.json.xz: the office a minister held on a date (up to 2019).

Where the reference data does not say (members first elected after 2019,
ministers of later cabinets): a member gets a party of the period of their
first question, fixed per member by a hash of the name (assign_party); a
minister's office comes from scripts/synth_ministers.csv, filled in by hand,
and else is left empty for the generator to fill with a ministry of the
parser's lexicon (kg/synth/table.py).

Also koop-parliamentary-ids.txt.xz (the official identifiers): a sample of
real Kamerstukken and Handelingen items goes to kg/synth/data/citable.txt.xz,
so that the context citations of generated publications name publications
that exist.

Output: one xz-compressed TSV with three sections, each headed by a line
"#people", "#offices", "#zaken":
- people: id, surname as printed at the start of a name ("Van der Lee"),
  first name, party (printed form; assigned when unknown, see assign_party);
- offices: id, surname, titel (Minister/Staatssecretaris/Minister-president),
  portfolio as the lexicon names it (empty when unknown);
- zaken: zaak number, submission date, asker ids (first = indiener,
  ","-separated), office ids, subject, and for a subject that cites
  publications their identifiers ("|"-separated; "-" when it names none
  that has an identifier).
"""
from __future__ import annotations

import csv
import hashlib
import datetime as dt
import io
import json
import lzma
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

PREFIXES = {"van", "de", "der", "den", "het", "ter", "ten", "te", "in", "'t", "op", "la", "le", "du", "da", "von", "vanden", "vander"}
# openkamer party short names -> the party as Kamervragen print it.
PARTY_PRINTED = {
    "VVD": "VVD", "PvdA": "PvdA", "CDA": "CDA", "PVV": "PVV", "D66": "D66", "SP": "SP", "GL": "GroenLinks",
    "CU": "ChristenUnie", "PvdD": "PvdD", "50PLUS": "50PLUS", "SGP": "SGP", "DENK": "DENK", "FvD": "FvD",
}
# openkamer position codes -> office title.
# Parties sitting in the Tweede Kamer by period (start date), as printed: a
# member the reference data gives no party gets one of the parties of the
# period of their first question, fixed per member (see assign_party).
ERA_PARTIES = (
    ("2006-11-30", "VVD PvdA CDA PVV SP D66 GroenLinks ChristenUnie SGP PvdD"),
    ("2012-09-20", "VVD PvdA CDA PVV SP D66 GroenLinks ChristenUnie SGP PvdD 50PLUS"),
    ("2017-03-23", "VVD CDA D66 GroenLinks SP PvdA ChristenUnie PvdD 50PLUS SGP DENK FvD PVV"),
    ("2021-03-31", "VVD D66 PVV CDA SP PvdA GroenLinks FvD PvdD ChristenUnie Volt JA21 SGP DENK BBB BIJ1"),
    ("2023-12-06", "PVV GroenLinks-PvdA VVD NSC D66 BBB CDA SP DENK PvdD ChristenUnie SGP FvD Volt JA21"),
)
POSITION_TITLE = {"MIN": "Minister", "MWP": "Minister", "SOS": "Staatssecretaris", "PMI": "Minister-president", "DPM": "Minister"}


# A subject that cites a publication ("(Kamerstuk 32813, nr. 397)", "(2018Z02462)",
# "Aanhangsel Handelingen II, 2009-2010, nr. 276"): the generated publication
# cites it too, so its truth needs that citation, read by hand in
# synth_subject_citations.csv; a zaak flagged here but not read there is left out.
CITES = re.compile(
    r"(?i)\b(?:kamerstuk|aanhangsel|handelingen\s+(?:I|II)\b|stcrt|staatscourant|staatsblad|stb\.|hand\.)"
    r"|\d{4}\s?Z\s?\d{5}|\d{2}\s?\d{3}(?:\s+[IVXLA-Z]+)?,?\s*(?:nr|nummer)\.?\s*\d|\bnr\.\s*\d"
)


def fold(text: str) -> str:
    s = unicodedata.normalize("NFKD", text)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "", s)


def read_jsonl_xz(path: Path):
    with lzma.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def read_json_xz(path: Path):
    with lzma.open(path, "rt", encoding="utf-8") as fh:
        return json.load(fh)


def cap(surname: str) -> str:
    return surname[:1].upper() + surname[1:]


class Names:
    """Known (first name, tussenvoegsel, surname) of people, to split a printed name."""

    def __init__(self, shared: Path) -> None:
        self.known: dict[str, tuple[str, str]] = {}  # fold(full printed name w/o initials) -> (first, surname)
        self.by_initials: dict[tuple[str, str], str] = {}  # (initials, fold(surname)) -> surname
        self.surnames: dict[str, str] = {}  # fold(surname) -> surname
        for p in read_jsonl_xz(shared / "tk" / "tk-personen.jsonl.xz"):
            surname = " ".join(x for x in (p.get("tussenvoegsel") or "", p["achternaam"]) if x)
            first = p.get("roepnaam") or ""
            if first:
                self.known.setdefault(fold(f"{first} {surname}"), (first, surname))
            self.surnames.setdefault(fold(surname), surname)
            if p.get("initialen"):
                self.by_initials.setdefault((fold(p["initialen"]), fold(surname)), surname)
        for rec in read_json_xz(shared / "openkamer" / "person.json.xz"):
            f = rec["fields"]
            surname = " ".join(x for x in (f.get("surname_prefix") or "", f["surname"]) if x)
            self.surnames.setdefault(fold(surname), surname)
            if f.get("forename"):
                self.known.setdefault(fold(f"{f['forename']} {surname}"), (f["forename"], surname))

    def split(self, printed: str) -> tuple[str, str, str]:
        """(first name, surname, initials) of "Roepnaam [tussenvoegsel] Achternaam (Initialen)",
        "I.W. Opstelten" or "Hirsch Ballin (EMH)"."""
        printed = re.sub(r"\s*\([^()]*\)\s*(?=[^\s(])", " ", printed).strip()  # "R.A. (Rik) Janssen": a nickname inside
        m = re.match(r"^(.*?)\s*(?:\(([^()]*)\))?\s*$", printed)
        name, initials = m.group(1).strip(), (m.group(2) or "").strip()
        lead = re.match(r"^((?:[A-Z][a-z]?\.)+)\s+(.*)$", name)
        if lead:  # "H.M. de Jonge"
            return "", name_surname(lead.group(2)), lead.group(1)
        hit = self.known.get(fold(name))
        if hit:
            return hit[0], hit[1], initials
        if fold(name) in self.surnames:  # "Hirsch Ballin (EMH)": no first name printed
            return "", self.surnames[fold(name)], initials
        tokens = name.split()
        if len(tokens) == 1:
            return "", tokens[0], initials
        for i, tok in enumerate(tokens[1:], 1):
            if tok.lower() in PREFIXES:
                return " ".join(tokens[:i]), " ".join(tokens[i:]), initials
        if not initials or len(tokens) == 2:
            return tokens[0], " ".join(tokens[1:]), initials
        return tokens[0], " ".join(tokens[1:]), initials


def assign_party(surname: str, first: str, date: str) -> str:
    """A party of the member's period, the same for every run (a stable hash of the name)."""
    parties = next(p for start, p in reversed(ERA_PARTIES) if date >= start or start == ERA_PARTIES[0][0]).split()
    h = int.from_bytes(hashlib.sha256(f"{first} {surname}".encode()).digest()[:4], "big")
    return parties[h % len(parties)]


def name_surname(text: str) -> str:
    return text.strip()


def load_parties(shared: Path) -> dict[str, str]:
    """fold(surname) + initials -> printed party, from openkamer memberships."""
    persons = {r["pk"]: r["fields"] for r in read_json_xz(shared / "openkamer" / "person.json.xz")}
    data = read_json_xz(shared / "openkamer" / "parliament.json.xz")
    parties = {x["pk"]: x["fields"] for x in data if x["model"] == "parliament.politicalparty"}
    out: dict[str, str] = {}
    members = sorted((x for x in data if x["model"] == "parliament.partymember"), key=lambda x: (x["fields"]["joined"] or "", x["pk"]))
    for x in members:
        f = x["fields"]
        printed = PARTY_PRINTED.get(parties[f["party"]]["name_short"])
        p = persons.get(f["person"])
        if printed is None or p is None:
            continue
        surname = " ".join(s for s in (p.get("surname_prefix") or "", p["surname"]) if s)
        out[fold(surname) + "|" + fold(p.get("forename") or "")] = printed  # latest membership wins
        out.setdefault(fold(surname) + "|" + fold(p.get("initials") or ""), printed)
        out[fold(surname) + "|" + fold(p.get("initials") or "")] = printed
    return out


def load_offices(shared: Path, portfolios: dict[str, str]):
    """fold(surname) -> [(start, end, titel, portfolio)] from openkamer's cabinets."""
    persons = {r["pk"]: r["fields"] for r in read_json_xz(shared / "openkamer" / "person.json.xz")}
    data = read_json_xz(shared / "openkamer" / "government.json.xz")
    ministries = {x["pk"]: x["fields"]["name"] for x in data if x["model"] == "government.ministry"}
    positions = {x["pk"]: x["fields"] for x in data if x["model"] == "government.governmentposition"}
    out: dict[str, list[tuple[str, str, str, str]]] = {}
    for x in data:
        if x["model"] != "government.governmentmember":
            continue
        f = x["fields"]
        pos = positions[f["position"]]
        titel = POSITION_TITLE.get(pos["position"])
        if titel is None:
            continue
        if titel == "Minister-president":
            portfolio = "Algemene Zaken"
        else:
            name = pos["extra_info"] if pos["position"] == "MWP" and pos["extra_info"] else ministries.get(pos["ministry"], "")
            portfolio = portfolios.get(fold(name), "")
            if not portfolio and pos["position"] == "DPM":
                continue
        p = persons[f["person"]]
        surname = " ".join(s for s in (p.get("surname_prefix") or "", p["surname"]) if s)
        out.setdefault(fold(surname), []).append((f["start_date"] or "", f["end_date"] or "9999", titel, portfolio))
    return out


def write_citable(shared: Path, out_dir: Path, every: int = 8) -> None:
    """A sample of the real Kamerstukken (five-digit dossiers) and Handelingen
    items of the official identifier list, for the generator's context
    citations: every ``every``-th one, so that the file stays small."""
    with lzma.open(shared / "koop-parliamentary-ids.txt.xz", "rt", encoding="utf-8") as fh:
        ids = [ln.strip() for ln in fh]
    kst = [i for i in ids if re.fullmatch(r"kst-(\d{5})(?:-(?:[IVXL]+|[A-Z]|\d{2}))?-\d+", i) and int(i[4:9]) >= 19000]
    h = [i for i in ids if re.fullmatch(r"h-tk-\d{8}-\d+-\d+", i)]
    sample = kst[::every] + h[::every]
    target = out_dir / "citable.txt.xz"
    target.write_bytes(lzma.compress(("\n".join(sample) + "\n").encode("utf-8"), preset=9 | lzma.PRESET_EXTREME))
    print(f"{target}: {len(kst[::every])} Kamerstukken and {len(h[::every])} Handelingen items, {target.stat().st_size} bytes")


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    shared = Path(argv[0])
    out_dir = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parents[1] / "kg" / "synth" / "data"
    lexicon = Path(__file__).resolve().parents[1] / "kg" / "parse" / "data" / "portefeuilles.csv"
    rows = [r for r in csv.DictReader(ln for ln in lexicon.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#"))]
    portfolios = {fold(r["portefeuille"]): r["portefeuille"] for r in rows}
    names = Names(shared)
    parties = load_parties(shared)
    offices_of = load_offices(shared, portfolios)
    read = Path(__file__).resolve().with_name("synth_subject_citations.csv")
    subject_cites = {r["nummer"]: r["verwijzingen"] for r in csv.DictReader(
        ln for ln in read.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#"))}
    hand = Path(__file__).resolve().with_name("synth_ministers.csv")
    for r in csv.DictReader(ln for ln in hand.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")):
        offices_of.setdefault(fold(r["achternaam"]), []).append(("", "9999", r["titel"], r["portefeuille"]))

    people: dict[tuple[str, str, str], int] = {}
    offices: dict[tuple[str, str, str], int] = {}
    zaken_rows: list[str] = []
    unknown_party = 0
    cited = 0
    assigned: dict[tuple[str, str], str] = {}
    unknown_office = Counter()
    for z in read_jsonl_xz(shared / "tk" / "tk-zaken-schriftelijke-vragen.jsonl.xz"):
        if not z.get("Indiener") or not z.get("GerichtAan") or not z.get("Onderwerp"):
            continue
        date = z["GestartOp"][:10]
        ask_ids = []
        for printed in z["Indiener"] + z["Medeindiener"]:
            first, surname, initials = names.split(printed)
            party = parties.get(fold(surname) + "|" + fold(first)) or parties.get(fold(surname) + "|" + fold(initials)) or ""
            if not party:
                unknown_party += 1
                party = assigned.setdefault((surname, first), assign_party(surname, first, date))
            key = (cap(surname), first, party)
            ask_ids.append(people.setdefault(key, len(people)))
        off_ids = []
        for printed in z["GerichtAan"]:
            _, surname, _ = names.split(printed)
            terms = offices_of.get(fold(surname), [])
            now = [t for t in terms if t[0] <= date < t[1] and t[3]] or [t for t in terms if t[3]]
            titel, portfolio = (now[-1][2], now[-1][3]) if now else ("", "")
            if not now:
                unknown_office[surname] += 1
            key = (cap(surname), titel, portfolio)
            off_ids.append(offices.setdefault(key, len(offices)))
        subject = re.sub(r"\s+", " ", z["Onderwerp"]).strip()
        cites = ""
        if CITES.search(subject):
            if z["Nummer"] not in subject_cites:
                cited += 1
                continue
            cites = subject_cites[z["Nummer"]] or "-"
        zaken_rows.append("\t".join([z["Nummer"], date, ",".join(map(str, dict.fromkeys(ask_ids))), ",".join(map(str, dict.fromkeys(off_ids))), subject, cites]))

    buf = io.StringIO()
    buf.write("#people\n")
    for (surname, first, party), i in people.items():
        buf.write(f"{i}\t{surname}\t{first}\t{party}\n")
    buf.write("#offices\n")
    for (surname, titel, portfolio), i in offices.items():
        buf.write(f"{i}\t{surname}\t{titel}\t{portfolio}\n")
    buf.write("#zaken\n")
    buf.write("\n".join(zaken_rows) + "\n")
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / "zaken.tsv.xz"
    target.write_bytes(lzma.compress(buf.getvalue().encode("utf-8"), preset=9 | lzma.PRESET_EXTREME))
    print(f"left out {cited} zaken whose subject cites a publication not read in synth_subject_citations.csv")
    print(f"{target}: {len(zaken_rows)} zaken, {len(people)} askers ({unknown_party} asker mentions without a known party), "
          f"{len(offices)} minister-offices ({sum(unknown_office.values())} mentions without a known office), "
          f"{target.stat().st_size} bytes")
    write_citable(shared, out_dir)
    print("ministers without a known office:", ", ".join(f"{k} ({v})" for k, v in unknown_office.most_common(60)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
