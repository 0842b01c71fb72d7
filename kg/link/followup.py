"""Questions linked to their answer, delay notices to what they delay, and
answer times.

- A question-only publication (kv-tk-<zaak>) ``kv:beantwoordIn`` the
  Aanhangsel publication that answers the same questions. Matched by the zaak
  number where the answer prints it (a ministry's Word answer does), else by
  askers, submission date and subject.
- A delay notice (kv:Mededeling) ``kv:meldtUitstelVan`` the question
  publication and the answer of the questions it delays: by the zaak number
  it prints (its own, or the one in its "Mededeling" paragraph: "De vragen
  van de leden ... (2024Z16988) kunnen ... niet binnen de gebruikelijke
  termijn worden beantwoord"), else by askers, date and subject.
- Each link is also a ``kv:Koppeling`` node that says how sure it is
  (``kv:koppelingZekerheid`` "zaaknummer" or "vragenstellers+datum+onderwerp",
  ``kv:koppelingScore`` 0..1), as a kv:Verwijzing does for a citation.
- Answer time: ``kv:antwoordtermijnDagen`` (received − submitted, in days) on
  every answer with both dates (the submission date may come from its
  question publication), and ``kv:termijnOverschreden``: more than 21 days
  (the Reglement van Orde's three weeks), or more than 42 when a delay notice
  for the same questions is in the build. A notice gets
  ``kv:dagenTotMededeling``.

- Follow-ups: ``kv:volgtOp`` from a document with askers to every earlier
  question publication it follows up, directly or through a chain of
  citations (kv:verwijstNaar) and question/answer links (kv:beantwoordIn,
  either way): the pairs the follow-up-chains query used to find with a
  property path over the whole store at query time (``follow_up_pairs``).
  They are made here because they need this linker's kv:beantwoordIn links.

A zaak number an answer cites in its closing "Toelichting" is not taken as
its own: ah-tk-20242025-570 cites 2024Z14250 there as "eerdere vragen" of
other members. When the question publication named by a printed zaak number
is not in the build, the link goes to its official IRI (a stub, as for a
citation) provided the identifier registry knows it, or it is newer than the
registry.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from difflib import SequenceMatcher
from typing import Any

from kg.iris import IriMinter, slug
from kg.link import LinkOutput
from kg.link.record import LinkRecord, records
from kg.model import CitationSoort, DocumentSoort
from kg.tables import package_rows

Publication = LinkRecord  # the linkers read link records

TERM_DAYS = 21  # Reglement van Orde: answers within three weeks
TERM_AFTER_NOTICE_DAYS = 42  # six weeks once a delay notice was sent

BY_ZAAK = "zaaknummer"
BY_ASKERS = "vragenstellers+datum+onderwerp"

ANSWERED_IN = "beantwoordIn"
DELAYS = "meldtUitstelVan"

# Matching by askers, date and subject. The two publications of one set of
# questions print the same askers, the same submission date and the same
# subject (up to glued words and line breaks, which the comparison ignores);
# a member often sends several sets on one day, so the subject decides.
MAX_DATE_GAP_DAYS = 3
MIN_ASKERS_OVERLAP = 0.5  # Jaccard of the askers' surnames
MIN_SUBJECT_SIMILARITY = 0.8
AMBIGUITY_MARGIN = 0.05  # a rival this close makes a match ambiguous: not linked
_DATE_SCORE = {0: 1.0, 1: 0.9, 2: 0.8, 3: 0.7}
_WEIGHTS = (0.25, 0.25, 0.5)  # askers, date, subject

_ZAAK = re.compile(r"^kv-(?:tk|ek)-(\d{4}Z\d{5})$")


@dataclass(frozen=True)
class Link:
    van: str  # identifier of the questions (or the notice)
    naar: str  # identifier of the answer (or what the notice delays)
    relatie: str  # ANSWERED_IN or DELAYS
    zekerheid: str  # BY_ZAAK or BY_ASKERS
    score: float
    key: str  # the publication in the build whose triples carry the link


# ---------------------------------------------------------------- matching


@functools.lru_cache(maxsize=1 << 18)  # a subject is compared with every candidate of its window
def fold(text: str) -> str:
    """Letters and digits only, lower case, no accents: glued words, broken
    lines and typographic quotes do not count."""
    s = unicodedata.normalize("NFKD", text)
    return "".join(c for c in s if c.isalnum() and not unicodedata.combining(c)).lower()


def _askers(pub: Publication) -> frozenset[str]:
    return frozenset(slug(p.achternaam).replace("-", "") for p in pub.askers)


def subject_similarity(a: str, b: str) -> float:
    """Similarity of two subjects, 0..1 (difflib's ratio on the folded text)."""
    fa, fb = fold(a), fold(b)
    if not fa or not fb:
        return 0.0
    matcher = SequenceMatcher(None, fa, fb, autojunk=False)
    if matcher.real_quick_ratio() < MIN_SUBJECT_SIMILARITY or matcher.quick_ratio() < MIN_SUBJECT_SIMILARITY:
        return matcher.quick_ratio()
    return matcher.ratio()


def match_score(a: Publication, b: Publication) -> float | None:
    """How well two publications fit as the same questions, by askers,
    submission date and subject; None when they do not fit at all."""
    if not (a.ingezonden and b.ingezonden and a.onderwerp and b.onderwerp):
        return None
    gap = abs((a.ingezonden - b.ingezonden).days)
    if gap > MAX_DATE_GAP_DAYS:
        return None
    askers_a, askers_b = _askers(a), _askers(b)
    if not askers_a or not askers_b:
        return None
    overlap = len(askers_a & askers_b) / len(askers_a | askers_b)
    if overlap < MIN_ASKERS_OVERLAP:
        return None
    subject = subject_similarity(a.onderwerp, b.onderwerp)
    if subject < MIN_SUBJECT_SIMILARITY:
        return None
    w_askers, w_date, w_subject = _WEIGHTS
    return w_askers * overlap + w_date * _DATE_SCORE[gap] + w_subject * subject


def best_pairs(
    left: Sequence[Publication], right: Sequence[Publication]
) -> tuple[list[tuple[Publication, Publication, float]], list[dict[str, Any]]]:
    """One-to-one matches between ``left`` and ``right`` by askers, date and
    subject: the best pairs first; a pair with a rival within
    AMBIGUITY_MARGIN is not linked but reported."""
    # Candidates share a day in the window and an asker (MIN_ASKERS_OVERLAP > 0
    # needs one): the work grows with the archive, not with its square.
    by_day_asker: dict[tuple[dt.date, str], list[Publication]] = defaultdict(list)
    for pub in right:
        if pub.ingezonden:
            for asker in _askers(pub):
                by_day_asker[(pub.ingezonden, asker)].append(pub)
    scored: list[tuple[float, str, str, Publication, Publication]] = []
    for a in left:
        if not a.ingezonden:
            continue
        seen: set[str] = {a.identifier}
        for asker in sorted(_askers(a)):
            for delta in range(-MAX_DATE_GAP_DAYS, MAX_DATE_GAP_DAYS + 1):
                for b in by_day_asker.get((a.ingezonden + dt.timedelta(days=delta), asker), ()):
                    if b.identifier in seen:
                        continue
                    seen.add(b.identifier)
                    score = match_score(a, b)
                    if score is not None:
                        scored.append((score, a.identifier, b.identifier, a, b))
    scored.sort(key=lambda t: (-t[0], t[1], t[2]))
    # The pairs of each left and right publication, for the rivals of a pair.
    touching: dict[tuple[int, str], list[int]] = defaultdict(list)
    for i, x in enumerate(scored):
        touching[(1, x[1])].append(i)
        touching[(2, x[2])].append(i)
    taken: set[str] = set()
    pairs: list[tuple[Publication, Publication, float]] = []
    ambiguous: list[dict[str, Any]] = []
    for score, ida, idb, a, b in scored:
        if ida in taken or idb in taken:
            continue
        near = set(touching[(1, ida)]) | set(touching[(2, idb)])
        rivals = sorted(
            (x[1], x[2])
            for x in map(scored.__getitem__, near)
            if (x[1], x[2]) != (ida, idb)
            and x[0] >= score - AMBIGUITY_MARGIN
            and x[1] not in taken
            and x[2] not in taken
        )
        if rivals:
            ambiguous.append({"pair": [ida, idb], "score": round(score, 3), "rivals": [list(r) for r in rivals]})
            taken.update((ida, idb))
            continue
        taken.update((ida, idb))
        pairs.append((a, b, score))
    return pairs, ambiguous


# ---------------------------------------------------------------- zaak numbers


def questions_zaak(pub: Publication) -> str | None:
    """The zaak number of the questions a publication holds or answers."""
    if pub.zaaknummer:
        return pub.zaaknummer
    m = _ZAAK.match(pub.identifier)
    if m:
        return m.group(1)
    if pub.is_notice:
        # The notice paragraph names the questions it delays by their zaak number.
        cited = {
            m.group(1)
            for c in pub.citations
            if c.soort == CitationSoort.TOELICHTING.value and (m := _ZAAK.match(c.identifier))
        }
        if len(cited) == 1:
            return cited.pop()
    return None


def _questions_identifier(pub: Publication, zaak: str) -> str:
    return f"kv-{'ek' if pub.eerste_kamer else 'tk'}-{zaak}"


def _is_notice(pub: Publication) -> bool:
    return pub.is_notice


# ---------------------------------------------------------------- the linker


def link(publications: Sequence[Publication], iris: IriMinter) -> LinkOutput:
    """Link questions, answers and delay notices; compute answer times."""
    from kg.link.registry import Status, default_registry

    publications = records(publications)
    questions = [p for p in publications if p.soort == DocumentSoort.VRAGEN.value]
    answers = [p for p in publications if p.soort == DocumentSoort.ANTWOORD.value]
    notices = [p for p in publications if _is_notice(p)]
    by_id = {p.identifier: p for p in publications}
    questions_by_zaak: dict[str, list[Publication]] = defaultdict(list)
    for q in questions:
        if (z := questions_zaak(q)) is not None:
            questions_by_zaak[z].append(q)

    links: list[Link] = []
    not_linked: list[dict[str, Any]] = []
    ambiguous: list[dict[str, Any]] = []
    registry_status: dict[str, str] = {}

    def stub_ok(identifier: str, on: dt.date | None) -> bool:
        # A question publication outside the build is linked only when it is
        # known to exist (or too new for the registry to know).
        status = default_registry().status(identifier, on)
        registry_status[identifier] = status.value
        return status in (Status.EXISTS, Status.NEWER)

    def question_targets(pub: Publication, zaak: str, role: str) -> list[str]:
        """The question publications of ``zaak``: those in the build, else the
        official one as a stub when it exists; a miss is reported."""
        targets = [q.identifier for q in questions_by_zaak.get(zaak, [])]
        if not targets:
            kv = _questions_identifier(pub, zaak)
            if stub_ok(kv, pub.ontvangen or pub.ingezonden):
                targets = [kv]
            else:
                not_linked.append({role: pub.identifier, "zaak": zaak, "reason": f"{kv}: {registry_status[kv]}"})
        return targets

    # Questions -> answer, by zaak number.
    answered: set[str] = set()
    answer_of: dict[str, str] = {}
    for a in answers:
        zaak = a.zaaknummer
        if not zaak:
            continue
        for kv in question_targets(a, zaak, "answer"):
            links.append(Link(kv, a.identifier, ANSWERED_IN, BY_ZAAK, 1.0, a.identifier))
            answered.update((kv, a.identifier))
            answer_of[kv] = a.identifier

    # Questions -> answer, by askers, date and subject. Oral questions
    # (mondeling) are answered in the plenary, not in the Aanhangsel.
    open_questions = [q for q in questions if q.identifier not in answered and not q.mondeling]
    open_answers = [a for a in answers if a.identifier not in answered]
    pairs, amb = best_pairs(open_questions, open_answers)
    ambiguous += [{"relation": ANSWERED_IN, **x} for x in amb]
    for q, a, score in pairs:
        links.append(Link(q.identifier, a.identifier, ANSWERED_IN, BY_ASKERS, score, a.identifier))
        answer_of[q.identifier] = a.identifier

    # Delay notices -> questions and answer.
    answers_by_zaak: dict[str, list[str]] = defaultdict(list)
    for a in answers:
        if a.zaaknummer:
            answers_by_zaak[a.zaaknummer].append(a.identifier)
    for q_id, a_id in answer_of.items():
        q = by_id.get(q_id)
        zaak = questions_zaak(q) if q else (_ZAAK.match(q_id).group(1) if _ZAAK.match(q_id) else None)
        if zaak and a_id not in answers_by_zaak[zaak]:
            answers_by_zaak[zaak].append(a_id)
    delayed: dict[str, set[str]] = defaultdict(set)  # notice -> what it delays
    for n in notices:
        zaak = questions_zaak(n)
        if not zaak:
            continue
        targets = question_targets(n, zaak, "notice") + answers_by_zaak.get(zaak, [])
        for t in targets:
            links.append(Link(n.identifier, t, DELAYS, BY_ZAAK, 1.0, n.identifier))
            delayed[n.identifier].add(t)
    # Notices the zaak number did not tie to a question publication or to an
    # answer in the build: by askers, date and subject.
    for group in (questions, answers):
        ids = {p.identifier for p in group}
        open_notices = [n for n in notices if not delayed[n.identifier] & ids]
        pairs, amb = best_pairs(open_notices, [p for p in group if not p.mondeling])
        ambiguous += [{"relation": DELAYS, **x} for x in amb]
        for n, p, score in pairs:
            links.append(Link(n.identifier, p.identifier, DELAYS, BY_ASKERS, score, n.identifier))
            delayed[n.identifier].add(p.identifier)

    out = LinkOutput()
    _emit_links(out, links, iris, by_id)
    times = _emit_times(out, publications, answer_of, delayed, iris)
    follow_ups = follow_up_pairs(publications, [(ln.van, ln.naar) for ln in links if ln.relatie == ANSWERED_IN])
    _emit_follow_ups(out, follow_ups, iris)
    out.report = _report(publications, links, answer_of, not_linked, ambiguous, registry_status, times)
    out.report["counts"]["follow_ups"] = len(follow_ups)
    return out


# ---------------------------------------------------------------- follow-ups


@functools.cache
def question_schemes() -> tuple[str, ...]:
    """Identifier prefixes of the publications a follow-up may point to
    whatever the build read (``kg/chains_schemes.csv``, which kg.chains reads too)."""
    return tuple(sorted(row["prefix"].strip() for row in package_rows("kg", "chains_schemes.csv") if row["prefix"].strip()))


def follow_up_pairs(publications: Sequence[Publication], answered_in: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """(later, earlier) identifiers: the later document follows up the earlier
    question publication, directly or through a chain of steps. Sorted.

    Exactly the pairs the WHERE clause of the follow-up-chains query (before
    kv:volgtOp) relates, read off the records instead of the graph:

    - a step is a citation (kv:verwijstNaar: a built publication to each
      identifier it cites) or a kv:beantwoordIn link (``answered_in``:
      questions, answer), followed either way; any node may lie on the way;
    - the later side has askers (its own, or its zaak's: kg.link.zaken), is
      not a delay notice (kv:Mededeling), and is not a question publication
      answered in the graph (the answer stands for it);
    - the earlier side is not the later one, not answered in the graph, and
      is a publication the build read (it has a kv:bronbestand; that covers
      kv:Vragenpublicatie and kv:Mededeling, which only the mapping types) or
      of a question scheme (``question_schemes``). Any other cited document
      (a Kamerstuk) is a dead end: nothing steps on from it, so it never
      joins two chains.

    One depth-first walk per later document over the compact graph: the work
    is the number of pairs plus the steps walked to reach them.
    """
    from kg.link.zaken import askers_from_zaak  # kg.link.zaken imports this module

    # One record per document in the graph: a zaak's record beside the parsed
    # publication of the same identifier is not built (the printed text stands).
    built: dict[str, Publication] = {}
    for p in publications:
        seen = built.get(p.identifier)
        if seen is None or (seen.from_zaak and not p.from_zaak):
            built[p.identifier] = p
    steps: dict[str, set[str]] = defaultdict(set)
    for ident, p in built.items():
        steps[ident].update(c.identifier for c in p.citations)
    answered: set[str] = set()
    for questions, answer in answered_in:
        steps[questions].add(answer)
        steps[answer].add(questions)
        answered.add(questions)
    schemes = question_schemes()
    derived = askers_from_zaak(publications)  # every zaak's record, built or not
    pairs: list[tuple[str, str]] = []
    for later in sorted(built):
        p = built[later]
        if later in answered or p.is_notice or not (p.askers or later in derived):
            continue
        reached = {later}
        stack = [later]
        while stack:
            for nxt in steps.get(stack.pop(), ()):
                if nxt not in reached:
                    reached.add(nxt)
                    stack.append(nxt)
        reached.discard(later)
        pairs.extend(
            (later, earlier)
            for earlier in sorted(reached)
            if earlier not in answered and (earlier in built or earlier.startswith(schemes))
        )
    return pairs


def _emit_follow_ups(out: LinkOutput, pairs: Iterable[tuple[str, str]], iris: IriMinter) -> None:
    from kg.vocab import KV

    # In the later publication's triples: its named graph, and an incremental
    # build (which links every record again) writes what a full build writes.
    # The earlier document is declared where the step to it is (its own
    # publication, the citation's stub, the kv:Koppeling): no stub again here.
    for later, earlier in pairs:
        out.add(later, (iris.publication(later), KV.volgtOp, iris.publication(earlier)))


def _emit_links(out: LinkOutput, links: Iterable[Link], iris: IriMinter, by_id: dict[str, Publication]) -> None:
    from rdflib import Literal

    from kg.vocab import KV, RDF, XSD

    for ln in links:
        van, naar = iris.publication(ln.van), iris.publication(ln.naar)
        k = iris.koppeling(ln.van, ln.naar)
        out.add(
            ln.key,
            (van, KV[ln.relatie], naar),
            (k, RDF.type, KV.Koppeling),
            (k, KV.koppelingVan, van),
            (k, KV.koppelingNaar, naar),
            (k, KV.koppelingRelatie, KV[ln.relatie]),
            (k, KV.koppelingZekerheid, Literal(ln.zekerheid)),
            (k, KV.koppelingScore, Literal(Decimal(f"{ln.score:.3f}"), datatype=XSD.decimal)),
        )
        # Both ends as documents in this publication's triples (a stub when
        # outside the build), so each publication validates on its own.
        for iri, ident in ((van, ln.van), (naar, ln.naar)):
            out.add(ln.key, (iri, RDF.type, KV.Document), (iri, KV.identificatie, Literal(ident)))


@functools.lru_cache(maxsize=4096)  # day counts repeat; rdflib's Literal costs ~30 us to make
def _days(days: int):  # -> Literal
    from rdflib import Literal

    from kg.vocab import XSD

    return Literal(days, datatype=XSD.integer)


@functools.lru_cache(maxsize=2)
def _boolean(value: bool):  # -> Literal
    from rdflib import Literal

    return Literal(value)


def _emit_times(
    out: LinkOutput,
    publications: Sequence[Publication],
    answer_of: dict[str, str],
    delayed: dict[str, set[str]],
    iris: IriMinter,
) -> list[dict[str, Any]]:
    from kg.vocab import KV

    by_id = {p.identifier: p for p in publications}
    questions_of: dict[str, str] = {a: q for q, a in sorted(answer_of.items())}
    notice_for: dict[str, list[str]] = defaultdict(list)  # answer -> notices for its questions
    for notice, targets in delayed.items():
        for t in targets:
            answer = answer_of.get(t, t)
            if answer not in notice_for[answer] and notice != answer:
                notice_for[answer].append(notice)
    times: list[dict[str, Any]] = []
    for pub in publications:
        pid = pub.identifier
        submitted = pub.ingezonden
        source = "own"
        if submitted is None and pid in questions_of and questions_of[pid] in by_id:
            submitted, source = by_id[questions_of[pid]].ingezonden, questions_of[pid]
        if not (submitted and pub.ontvangen) or pub.soort not in (DocumentSoort.ANTWOORD.value, DocumentSoort.MEDEDELING.value, DocumentSoort.UITSTELBRIEF.value):
            continue
        days = (pub.ontvangen - submitted).days
        doc = iris.publication(pid)
        if days < 0:
            out.warn(pid, f"received ({pub.ontvangen.isoformat()}) before the questions were submitted ({submitted.isoformat()}): no answer time")
            continue
        if pub.soort == DocumentSoort.ANTWOORD.value:
            notices = sorted(notice_for.get(pid, ()))
            term = TERM_AFTER_NOTICE_DAYS if notices else TERM_DAYS
            late = days > term
            out.add(
                pid,
                (doc, KV.antwoordtermijnDagen, _days(days)),
                (doc, KV.termijnOverschreden, _boolean(late)),
            )
            times.append({"publication": pid, "days": days, "term": term, "late": late, "notices": notices, "submitted_from": source})
        else:
            out.add(pid, (doc, KV.dagenTotMededeling, _days(days)))
            times.append({"publication": pid, "notice_after_days": days})
    return times


def _report(
    publications: Sequence[Publication],
    links: list[Link],
    answer_of: dict[str, str],
    not_linked: list[dict[str, Any]],
    ambiguous: list[dict[str, Any]],
    registry_status: dict[str, str],
    times: list[dict[str, Any]],
) -> dict[str, Any]:
    in_build = {p.identifier for p in publications}
    answer_times = [t for t in times if "days" in t]

    def row(ln: Link) -> dict[str, Any]:
        r: dict[str, Any] = {"from": ln.van, "to": ln.naar, "certainty": ln.zekerheid, "score": round(ln.score, 3),
                             "both_in_build": ln.van in in_build and ln.naar in in_build}
        for end in (ln.van, ln.naar):
            if end in registry_status:
                r["registry"] = registry_status[end]
        return r

    answered_in = sorted((ln for ln in links if ln.relatie == ANSWERED_IN), key=lambda ln: (ln.van, ln.naar))
    delays = sorted((ln for ln in links if ln.relatie == DELAYS), key=lambda ln: (ln.van, ln.naar))
    unanswered = sorted(
        p.identifier for p in publications if p.soort == DocumentSoort.VRAGEN.value and p.identifier not in answer_of and not p.mondeling
    )
    return {
        "counts": {
            "answered_in": len(answered_in),
            "answered_in_by_zaaknummer": sum(1 for ln in answered_in if ln.zekerheid == BY_ZAAK),
            "answered_in_by_askers_date_subject": sum(1 for ln in answered_in if ln.zekerheid == BY_ASKERS),
            "answered_in_with_both_in_build": sum(1 for ln in answered_in if ln.van in in_build and ln.naar in in_build),
            "delay_links": len(delays),
            "answer_times": len(answer_times),
            "late": sum(1 for t in answer_times if t["late"]),
            "answered_after_notice": sum(1 for t in answer_times if t["notices"]),
            "notice_times": len(times) - len(answer_times),
            "ambiguous": len(ambiguous),
        },
        "answered_in": [row(ln) for ln in answered_in],
        "delay_notices": [row(ln) for ln in delays],
        "question_publications_without_answer_in_build": unanswered,
        "late_answers": [{k: v for k, v in t.items() if k != "late"} for t in answer_times if t["late"]],
        "not_linked": not_linked,
        "ambiguous": ambiguous,
    }
