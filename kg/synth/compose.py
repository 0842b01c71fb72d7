"""What a planned publication says, before any layout: the title paragraph,
the answer line, the questions and answers with their footnotes and
citations, the closing notice or explanation, and the truth a careful reader
takes from it (the gold format of shared/corpus/README.md).

Footnote references stand in the text as ``MARK.format(n)``; the layouts
print them their own way. Spaces that a typesetter does not break (inside
"19 637", "nr. 318", "2023/24") are no-break spaces; layouts print them as
plain spaces.
"""
from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass, field
from functools import lru_cache

from kg.synth.plan import Pub, Zaak
from kg.synth.table import Asker, Bewindspersoon, rows

MARK = "\x01{}\x01"
NBSP = "\u00a0"
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december")


def datum(d: dt.date) -> str:
    """'25 september 2024', one unbreakable unit."""
    return f"{d.day}{NBSP}{MONTHS[d.month - 1]}{NBSP}{d.year}"


def dash_year(vergaderjaar: str, dash: str = "–") -> str:
    return vergaderjaar.replace("-", dash)


@dataclass
class Block:
    kind: str  # vraag, antwoord
    numbers: tuple[int, ...]
    paragraphs: list[str]


@dataclass
class Content:
    pub: Pub
    title: str = ""  # "Vragen van het lid ... (ingezonden ...)."
    answer_line: str = ""  # "Antwoord van Minister ... (ontvangen ...)."
    zie_ook: str = ""  # "Zie ook Aanhangsel Handelingen, vergaderjaar ..., nr. ..."
    questions: list[str] = field(default_factory=list)  # question n at index n-1
    groups: list[tuple[int, ...]] = field(default_factory=list)  # answer groups in order
    answers: list[list[str]] = field(default_factory=list)  # paragraphs per group
    footnotes: list[str] = field(default_factory=list)  # footnote n at index n-1
    mededeling: str = ""
    toelichting: str = ""
    cites: list[str] = field(default_factory=list)  # identifiers printed, in order
    answerer: Bewindspersoon | None = None
    offices: list[Bewindspersoon] = field(default_factory=list)


# ---------------------------------------------------------------- sentences
_SENTENCES: dict[str, list[str]] = {}


def _sentences(kind: str) -> list[str]:
    if not _SENTENCES:
        for r in rows("sentences.csv"):
            _SENTENCES.setdefault(r["kind"], []).append(r["tekst"])
    return _SENTENCES[kind]


def onderwerp_printed(subject: str) -> str:
    """'Het bericht 'X'' -> 'het bericht «X»': the subject as the title prints it."""
    s = subject.strip().rstrip(".")
    first = s.split(" ", 1)[0]
    if first in ("Het", "De", "Een", "Uw", "Berichten", "Signalen", "Uitspraken"):
        s = s[:1].lower() + s[1:]
    if s.count("'") == 2:
        a = s.index("'")
        b = s.index("'", a + 1)
        s = s[:a] + "«" + s[a + 1 : b] + "»" + s[b + 1 :]
    return s


# ---------------------------------------------------------------- people
def askers_printed(askers: tuple[Asker, ...], rng: random.Random) -> str:
    """'het lid Bromet (GroenLinks)', 'de leden Kröger en Gabriëls (beiden
    GroenLinks-PvdA)', 'de leden Van Nispen (SP) en Lahlah (GroenLinks-PvdA)'."""
    if len(askers) == 1:
        a = askers[0]
        return f"het lid {a.achternaam} ({a.fractie})"
    parties = {a.fractie for a in askers}
    names = [a.achternaam for a in askers]
    if len(parties) == 1 and rng.random() < 0.8:
        word = "beiden" if len(askers) == 2 else "allen"
        return f"de leden {_join(names)} ({word} {askers[0].fractie})"
    return "de leden " + _join([f"{a.achternaam} ({a.fractie})" for a in askers])


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " en " + items[-1]


def offices_of(zaak: Zaak) -> list[Bewindspersoon]:
    seen: dict[tuple[str, str, str], Bewindspersoon] = {}
    for b in zaak.bewindspersonen:
        seen.setdefault((b.titel, b.voorzetsel, b.portefeuille), b)
    return list(seen.values())


def office_label(b: Bewindspersoon) -> str:
    if b.titel == "Minister-president":
        return "Minister-president"
    return f"{b.titel} {b.voorzetsel} {b.portefeuille}"


_PLURAL = {"Minister": "Ministers", "Staatssecretaris": "Staatssecretarissen"}


def addressees_printed(offices: list[Bewindspersoon]) -> str:
    """'de Minister van X', 'de Ministers van X en voor Y', 'de Staatssecretaris
    van X en de Minister van Y', 'de Minister-President'."""
    groups: list[list[Bewindspersoon]] = []
    for b in offices:
        if groups and groups[-1][0].titel == b.titel and b.titel != "Minister-president":
            groups[-1].append(b)
        else:
            groups.append([b])
    parts = []
    for g in groups:
        if g[0].titel == "Minister-president":
            parts.append("de Minister-President")
        elif len(g) == 1:
            parts.append(f"de {g[0].titel} {g[0].voorzetsel} {g[0].portefeuille}")
        else:
            parts.append(f"de {_PLURAL[g[0].titel]} " + _join([f"{b.voorzetsel} {b.portefeuille}" for b in g]))
    return _join(parts)


def answerer_printed(b: Bewindspersoon, lower: bool = False) -> str:
    titel = "Minister-President" if b.titel == "Minister-president" else b.titel
    if lower:
        titel = titel.lower()
    return f"{titel} {b.achternaam} ({b.portefeuille})"


# ---------------------------------------------------------------- citations
AH_FORMS = ("long", "long", "long", "short", "van-de", "glued", "hyphen", "abbreviated")


def ah_citation(target: Pub, form: str, more: Pub | None = None) -> str:
    """An Aanhangsel citation in one of the printed forms of the corpus;
    with ``more`` (of the same vergaderjaar) the list form "nrs. 1268 en 1974"."""
    vj, nr = target.vergaderjaar, target.nummer
    y1, y2 = vj.split("-")
    number = f"nr.{NBSP}{nr}" if more is None else f"nrs.{NBSP}{nr} en {more.nummer}"
    if form == "short":  # "Aanhangsel Handelingen II 2023/24, nr. 76"
        return f"Aanhangsel Handelingen II {y1}/{y2[2:]}, {number}"
    if form == "abbreviated":  # "Aanh. Hand. II 2023/24, nr. 76"
        return f"Aanh. Hand. II {y1}/{y2[2:]}, {number}"
    if form == "van-de":
        return f"Aanhangsel van de Handelingen, vergaderjaar {dash_year(vj)}, {number}"
    if form == "glued":  # "vergaderjaar 2024–2025,nr. 318": a space lost
        return f"Aanhangsel Handelingen, vergaderjaar {dash_year(vj)},{number}"
    if form == "hyphen":  # "2024-2025" as a Word file types it
        return f"Aanhangsel Handelingen, vergaderjaar {vj}, {number}"
    return f"Aanhangsel Handelingen, vergaderjaar {dash_year(vj)}, {number}"


@lru_cache(maxsize=1)
def _registry() -> tuple[list[tuple[int, str, str, str]], dict[str, list[tuple[str, str]]]]:
    """Real Kamerstukken (dossier, chapter, number) and Handelingen items per
    vergaderjaar (kg/synth/data/citable.txt.xz, a sample of the official
    identifier list), so that context citations name publications that exist."""
    import lzma

    from kg.synth.table import _data

    kst: list[tuple[int, str, str, str]] = []
    h: dict[str, list[tuple[str, str]]] = {}
    for ident in lzma.decompress(_data("citable.txt.xz")).decode("ascii").split():
        parts = ident.split("-")
        if parts[0] == "kst":
            kst.append((int(parts[1]), parts[1], parts[2] if len(parts) == 4 else "", parts[-1]))
        else:
            h.setdefault(parts[2], []).append((parts[3], parts[4]))
    return kst, h


def _vj_short(year: int) -> str:
    return f"{year - 1}/{str(year)[2:]}"


def context_citation(rng: random.Random, date: dt.date) -> tuple[str, str]:
    """(printed citation, identifier) of a real Kamerstuk, Handelingen item,
    Staatsblad or Staatscourant: context that no chain runs through. A
    Kamerstuk is drawn from the dossiers open by the date (dossier numbers
    grow about 340 a year from 30 800 in 2007)."""
    kst, h = _registry()
    r = rng.random()
    year = date.year
    if r < 0.75:
        newest = 30800 + (year - 2007) * 340
        for _ in range(20):
            number, dossier, chapter, nr = kst[rng.randrange(len(kst))]
            if number <= newest:
                break
        ident = f"kst-{dossier}-{chapter + '-' if chapter else ''}{nr}"
        printed = dossier[:2] + NBSP + dossier[2:] + ((("-" if chapter.isdigit() else NBSP) + chapter) if chapter else "")
        style = rng.random()
        if style < 0.45:
            return f"Kamerstuk {printed}, nr.{NBSP}{nr}", ident
        if style < 0.65:
            return f"Kamerstukken II {_vj_short(year)}, {printed}, nr.{NBSP}{nr}", ident
        if style < 0.8:
            return f"Kamerstukken II, {year - 1}–{year}, {printed}, nr.{NBSP}{nr}", ident
        if style < 0.85:  # "Kamerstukken II 2023/2024"
            return f"Kamerstukken II {year - 1}/{year}, {printed}, nr.{NBSP}{nr}", ident
        if style < 0.9:  # "Kamerstuk 33529, nr. 1219": the dossier unspaced
            return f"Kamerstuk {printed.replace(NBSP, '', 1)}, nr.{NBSP}{nr}", ident
        if style < 0.95:  # "Kamerstuk, 28 828, nr. 70"
            return f"Kamerstuk, {printed}, nr.{NBSP}{nr}", ident
        return f"Bijlage bij Kamerstuk {printed}, nr.{NBSP}{nr}", ident
    if r < 0.87:
        vj = f"{year - 1}{year}"
        items = h.get(vj) or h.get(max(h))
        vergadering, item = items[rng.randrange(len(items))]
        vj = vj if vj in h else max(h)
        return (f"Handelingen II {vj[:4]}/{vj[6:]}, nr.{NBSP}{vergadering}, item{NBSP}{item}", f"h-tk-{vj}-{vergadering}-{item}")
    nr = rng.randint(100, 39999)
    if r < 0.94:
        return f"Stcrt. {year}, {nr}", f"stcrt-{year}-{nr}"
    return f"Stb. {year}, {nr}", f"stb-{year}-{nr}"


def web_footnote(rng: random.Random, date: dt.date, subject: str) -> str:
    src = rng.choice(rows("sources.csv"))
    slug = "-".join(w.strip("«»'\",.:;?!()").lower() for w in subject.split()[:6] if w.strip("«»'\",.:;?!()"))
    slug = "".join(c for c in slug if c.isalnum() or c == "-") or "artikel"
    d = date - dt.timedelta(days=rng.randint(1, 6))
    return f"{src['naam']}, {datum(d)}, «{subject}» (https://{src['domein']}/nieuws/{slug})"


# ---------------------------------------------------------------- content
class Composer:
    """Builds the Content of a publication; footnotes are numbered as they
    are placed, in document order."""

    def __init__(self, seed: int) -> None:
        self.seed = seed

    def compose(self, pub: Pub, with_answers: bool) -> Content:
        zaak = pub.zaak
        zr = random.Random(f"{self.seed}/{zaak.key}")  # the zaak's questions: the same in all its publications
        pr = random.Random(f"{self.seed}/{pub.identifier}")
        c = Content(pub)
        c.offices = offices_of(zaak)
        onderwerp = onderwerp_printed(zaak.onderwerp)
        c.title = (
            f"Vragen van {askers_printed(zaak.askers, zr)} aan {addressees_printed(c.offices)} "
            f"over {onderwerp} (ingezonden {datum(zaak.ingezonden)})."
        )
        # The subject is printed in the title (and often in question 1): what it cites, the publication cites.
        c.cites.extend(zaak.onderwerp_cites)
        # Questions: the first about the subject, the rest from the bank.
        n = zr.choices(range(1, 16), weights=(2, 3, 5, 8, 9, 9, 8, 7, 6, 5, 4, 3, 3, 2, 2))[0]
        bank = _sentences("vraag")
        qs = [zr.choice(_sentences("vraag_open")).format(onderwerp=onderwerp)]
        for _ in range(n - 1):
            k = 1 if zr.random() < 0.7 else 2
            qs.append(" ".join(zr.sample(bank, k)))
        # The zaak's citations sit in its questions: a news footnote on the
        # first, context citations, and the earlier publication it follows up.
        qnotes: dict[int, list[tuple[str, str | None]]] = {}  # question -> [(footnote text, identifier)]
        if zr.random() < 0.55:
            qnotes.setdefault(1, []).append((web_footnote(zr, zaak.ingezonden, onderwerp), None))
        if zr.random() < 0.35:
            for _ in range(zr.randint(1, 3)):
                printed, ident = context_citation(zr, zaak.ingezonden)
                q = zr.randint(1, n)
                if zr.random() < 0.7:
                    qnotes.setdefault(q, []).append((printed + ".", ident))
                else:  # in the running text of the question
                    qs[q - 1] = qs[q - 1].rstrip("?") + f" (zie {printed})?" if qs[q - 1].endswith("?") else qs[q - 1] + f" Zie {printed}."
                    qnotes.setdefault(q, [])
                    c.cites.append(ident)
        follow = zaak.follows if zaak.follows is not None and zaak.follows.order < pub.order else None
        if follow is not None and zaak.follow_scheme.startswith("ah"):
            form = zr.choice(AH_FORMS)
            # Two earlier answers of one year cited at once: "nrs. 1268 en 1974".
            more = zaak.follows_too if zaak.follows_too is not None and zaak.follows_too.order < pub.order else None
            printed = ah_citation(follow, form, more)
            if more is not None:
                c.cites.append(more.identifier)
            q = min(n, 2 if n >= 2 else 1)
            if zaak.follow_scheme == "ah-text":
                qs[q - 1] = f"Herinnert u zich uw antwoorden op eerdere vragen over dit onderwerp ({printed})? " + qs[q - 1]
                c.cites.append(follow.identifier)
            else:
                qs[q - 1] = "Herinnert u zich uw antwoorden op eerdere vragen over dit onderwerp? " + qs[q - 1]
                qnotes.setdefault(q, []).insert(0, (printed + ".", follow.identifier))
        if follow is not None and zaak.follow_scheme == "kv-toelichting":
            earlier = follow.zaak
            c.toelichting = (
                f"Deze vragen dienen ter aanvulling op eerdere vragen terzake van {askers_printed(earlier.askers, zr)}, "
                f"ingezonden {datum(earlier.ingezonden)} (vraagnummer {earlier.nummer})."
            )
            c.cites.append(follow.identifier)
        # Footnote numbers follow the questions' order.
        for q in range(1, n + 1):
            marks = ""
            for text, ident in qnotes.get(q, []):
                c.footnotes.append(text)
                marks += MARK.format(len(c.footnotes))
                if ident:
                    c.cites.append(ident)
            qs[q - 1] = qs[q - 1] + marks
        c.questions = qs

        if pub.kind == "antwoord":
            c.answerer = zaak.bewindspersonen[0]
            mede = ""
            if len(c.offices) > 1 and pr.random() < 0.4:
                others = [o for o in c.offices if (o.titel, o.portefeuille) != (c.answerer.titel, c.answerer.portefeuille)]
                if others:
                    mede = ", mede namens " + addressees_printed(others[:1])
            c.answer_line = f"Antwoord van {answerer_printed(c.answerer)}{mede} (ontvangen {datum(pub.date)})."
            if pub.notice is not None and pub.notice.order < pub.order:
                c.zie_ook = "Zie ook " + ah_citation(pub.notice, pr.choice(("long", "long", "long", "glued"))) + "."
                c.cites.append(pub.notice.identifier)
            if with_answers:
                self._answers(c, n, pr, zaak)
        elif pub.kind == "mededeling":
            c.answerer = zaak.bewindspersonen[0]
            c.answer_line = f"Mededeling van {answerer_printed(c.answerer)} (ontvangen {datum(pub.date)})."
            c.mededeling = (
                f"De vragen van {askers_printed(zaak.askers, zr).split(' ', 2)[2]} over {onderwerp} "
                f"({zaak.nummer}) kunnen tot mijn spijt niet binnen de gebruikelijke termijn worden beantwoord. "
                f"De reden van het uitstel is dat de afstemming ten behoeve van de beantwoording meer tijd vergt. "
                f"Ik zal u zo spoedig mogelijk de antwoorden op de Kamervragen doen toekomen."
            )
            c.cites.append(f"kv-tk-{zaak.nummer}")
        return c

    def _answers(self, c: Content, n: int, rng: random.Random, zaak: Zaak) -> None:
        groups: list[tuple[int, ...]] = []
        q = 1
        while q <= n:
            size = 1
            if n - q >= 1 and rng.random() < 0.12:
                size = min(n - q + 1, rng.choice((2, 2, 3, 3, 4, 5)))
            groups.append(tuple(range(q, q + size)))
            q += size
        bank = _sentences("antwoord")
        for g in groups:
            # Answers run longer than the questions: one to four paragraphs,
            # a short "Ja." now and then (sizes as in the corpus, ~5 KB a publication).
            paras = []
            for _ in range(rng.choice((1, 1, 2, 2, 3, 4))):
                paras.append(" ".join(rng.sample(bank, rng.choice((1, 2, 3, 3, 4, 5)))))
            if rng.random() < 0.12:
                printed, ident = context_citation(rng, c.pub.date)
                if rng.random() < 0.5:
                    c.footnotes.append(printed + ".")
                    paras[-1] += MARK.format(len(c.footnotes))
                else:
                    paras[-1] += f" Zie ook {printed}."
                c.cites.append(ident)
            c.answers.append(paras)
        c.groups = groups


def group_label(numbers: tuple[int, ...], rng: random.Random) -> str:
    """'3', '2 en 3', '5, 6 en 7', '1 t/m 5', '7 tot en met 10'."""
    if len(numbers) == 1:
        return str(numbers[0])
    if len(numbers) >= 3 and rng.random() < 0.5:
        return f"{numbers[0]} {'t/m' if rng.random() < 0.8 else 'tot en met'} {numbers[-1]}"
    return ", ".join(map(str, numbers[:-1])) + " en " + str(numbers[-1])


def truth(c: Content, file: str, layout: str, seed: int) -> dict:
    """The gold record of a publication: what its text says, field by field."""
    pub = c.pub
    zaak = pub.zaak
    g: dict = {"id": pub.identifier, "file": file, "kamer": "TweedeKamer"}
    printed_header = layout not in ("word-text", "docx")
    if pub.kind != "vragen" or layout != "questions-word-text":
        g["vergaderjaar"] = pub.vergaderjaar
    if pub.kind != "vragen":
        g["nummer"] = pub.nummer
    if printed_header:
        g["ingezonden"] = zaak.ingezonden.isoformat()
    if pub.kind != "vragen":
        g["ontvangen"] = pub.date.isoformat()
    if printed_header:
        g["vragensteller"] = [{"achternaam": a.achternaam, "fractie": a.fractie} for a in zaak.askers]
        g["gericht_aan"] = [office_label(b) for b in c.offices]
    if pub.kind == "antwoord" and c.answerer is not None:
        g["beantwoord_door"] = [{"achternaam": c.answerer.achternaam, "functie": office_label(c.answerer)}]
    g["vragen"] = len(c.questions)
    if pub.kind == "antwoord":
        g["antwoorden"] = [list(grp) for grp in c.groups]
    g["verwijzingen"] = list(dict.fromkeys(i for i in c.cites if i != pub.identifier))
    g["notes"] = f"generated by kg synth (seed {seed}), layout {layout}"
    return g
