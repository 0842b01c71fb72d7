#!/usr/bin/env python3
"""The independent check (issue 8): every publication of the corpus whose zaak
number is in the Tweede Kamer's zaken file, compared with the zaak on askers,
submission date and subject. Prints the agreement figures and every
disagreement (kg.link.zaken does the comparing).

    python scripts/check_against_zaken.py [CORPUS_DIR] [ZAKEN_FILE]
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(corpus: Path, zaken_file: Path) -> dict:
    from kg.build import build
    from kg.iris import IriMinter
    from kg.link import link, record_of
    from kg.link.followup import questions_zaak
    from kg.read import read_structured

    pubs = build([corpus / "docs", corpus / "unlabelled"], out_dir=None, validate=False, jobs=1).publications
    recs = [record_of(p) for p in pubs]
    wanted = {z for r in recs if (z := questions_zaak(r))}
    zaken = [record_of(z) for z in read_structured(zaken_file) if z.zaaknummer in wanted]
    # A parsed question publication and its zaak share the identifier kv-tk-<Nummer>.
    out, sections = link(recs + zaken, IriMinter())
    by_subject = _by_subject(recs, zaken_file)
    section = sections["zaken"]
    summary = {
        "corpus_publications": len(recs),
        "with_zaak_number": len(wanted),
        "zaak_in_file": len(zaken),
        **section["counts"],
        "disagreements": section["disagreements"],
        "askers_from_zaak": section["askers_from_zaak"],
        "not_in_file": sorted(wanted - {z.zaaknummer for z in zaken}),
        "by_subject": by_subject,
    }
    return summary


def _by_subject(recs, zaken_file: Path) -> dict:
    """Publications that print no zaak number (the Aanhangsel answers of
    earlier years), found in the file by their subject alone (similarity >=
    0.8, submitted within 30 days, one best candidate): their askers and
    dates are then an independent check; the subject is not (it found them)."""
    import datetime as dt

    from kg.link.followup import questions_zaak, subject_similarity
    from kg.link.record import record_of
    from kg.link.zaken import askers_agree
    from kg.read import read_structured

    todo = [r for r in recs if not questions_zaak(r) and r.onderwerp and r.ingezonden]
    days = {r.ingezonden + dt.timedelta(days=d) for r in todo for d in range(-30, 31)}
    pool = [record_of(z) for z in read_structured(zaken_file) if z.ingezonden in days]
    rows, counts = [], {"publications": len(todo), "found": 0, "askers_agree": 0, "date_agree": 0}
    for r in todo:
        scored = sorted(((subject_similarity(r.onderwerp, z.onderwerp or ""), z) for z in pool
                         if z.ingezonden and abs((z.ingezonden - r.ingezonden).days) <= 30), key=lambda t: -t[0])
        if not scored or scored[0][0] < 0.8 or (len(scored) > 1 and scored[1][0] >= scored[0][0] - 0.02):
            rows.append({"publication": r.identifier, "found": None, "best": round(scored[0][0], 3) if scored else None})
            continue
        sim, z = scored[0]
        counts["found"] += 1
        a_ok, d_ok = askers_agree(r.askers, z.askers), r.ingezonden == z.ingezonden
        counts["askers_agree"] += a_ok
        counts["date_agree"] += d_ok
        row = {"publication": r.identifier, "zaak": z.zaaknummer, "subject_similarity": round(sim, 3)}
        if not a_ok:
            row["askers"] = {"printed": [a.achternaam for a in r.askers], "tweede_kamer": [a.printed for a in z.askers]}
        if not d_ok:
            row["date"] = {"printed": r.ingezonden.isoformat(), "tweede_kamer": z.ingezonden.isoformat()}
        rows.append(row)
    return {"counts": counts, "rows": rows}


if __name__ == "__main__":
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "corpus"
    zaken = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT.parent / "shared" / "data" / "tk" / "tk-zaken-schriftelijke-vragen.jsonl.xz"
    print(json.dumps(main(corpus, zaken), indent=1, ensure_ascii=False))
