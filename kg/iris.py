"""Every IRI of the graph is minted here.

Publications are named by their official identifier under
officielebekendmakingen (which resolves on the web). Everything else lives
under one configurable base, flat: ``{base}vraag/ah-tk-20182019-3878-6``, not
nested per publication, because rdflib's Turtle writer turns quadratic when
each publication is a namespace of its own (shared/docs/performance.md).
"""
from __future__ import annotations

import functools
import re
import unicodedata

from rdflib import URIRef


PUBLICATION_BASE = "https://zoek.officielebekendmakingen.nl/"
# The identifier schemes KOOP issues (officielebekendmakingen): Aanhangsel,
# question publications and Handelingen per chamber, Kamerstukken, Bijlagen,
# Staatsblad, Staatscourant and Tractatenblad. Only these name a page there.
KOOP_IDENTIFIER = re.compile(
    r"^(?:(?:ah|kv|h)-(?:tk|ek)-\d{4}[0-9Z]|(?:kst|blg|stb|stcrt|trb)-\d)[0-9A-Za-z-]*$"
)
DEFAULT_BASE = "https://w3id.org/kamervragen/id/"


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


@functools.lru_cache(maxsize=1 << 16)  # the same names and offices are slugged for thousands of publications
def slug(text: str) -> str:
    """ASCII, lower case, words joined by hyphens: "Van der Wal-Zeggelink" -> "van-der-wal-zeggelink"."""
    s = unicodedata.normalize("NFKD", text)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = _NOT_SLUG.sub("-", s)
    return s.strip("-") or "x"


def kamerlid_provisional_key(achternaam: str, fractie: str | None, voornaam: str | None = None) -> str:
    """Surname (first name where printed) and party as printed: the key of a
    member's IRI before linking. Without the first name it is the whole IRI
    scheme before issue 8, still answered by owl:sameAs."""
    return "-".join(slug(p) for p in (achternaam, voornaam, fractie) if p)


_DASHES = re.compile(r"\s*[-\u2010-\u2015\u2212]\s*")


def display_surname(achternaam: str) -> str:
    """One spelling of a printed surname: a double name's hyphen, spaced
    hyphen or dash as one hyphen ("Yeşilgöz – Zegerius" -> "Yeşilgöz-Zegerius"),
    white space folded, the prefix capitalised as at the start of a name
    ("van der Plas" -> "Van der Plas")."""
    s = _DASHES.sub("-", " ".join(achternaam.split()))
    return s[:1].upper() + s[1:]


class IriMinter:
    """Mints the IRIs of one build; ``base`` is the namespace for people,
    parties, offices, questions, answers, footnotes and citations."""

    # How an IRI is made from its text: a URIRef here; the build's mapping
    # mints them straight as N-Triples text (kg.mapping._NtMinter).
    _iri = URIRef

    def __init__(self, base: str = DEFAULT_BASE) -> None:
        self.base = base if base.endswith(("/", "#")) else base + "/"

    def _local(self, kind: str, key: str) -> URIRef:
        return self._iri(f"{self.base}{kind}/{key}")

    def publication(self, identifier: str) -> URIRef:
        """A publication's IRI: under officielebekendmakingen only for an
        identifier KOOP issues (``KOOP_IDENTIFIER``: "ah-tk-20182019-3878",
        "kv-tk-2024Z18436", "kst-36200-VI-12", "stb-2024-153", ...). Anything
        else, a Tweede Kamer document number ("tk-2022D31072") or a document
        named after its file ("doc-..."), is named under the build's base as
        ``{base}document/{identifier}``: KOOP has no page for it, so an IRI
        there would name nothing (README, "Document IRIs")."""
        if KOOP_IDENTIFIER.match(identifier):
            return self._iri(PUBLICATION_BASE + identifier)
        return self._local("document", identifier)

    def vraag(self, identifier: str, nummer: int) -> URIRef:
        return self._local("vraag", f"{identifier}-{nummer}")

    def antwoord(self, identifier: str, volgnummer: int) -> URIRef:
        return self._local("antwoord", f"{identifier}-{volgnummer}")

    def voetnoot(self, identifier: str, nummer: int) -> URIRef:
        return self._local("voetnoot", f"{identifier}-{nummer}")

    def verwijzing(self, identifier: str, volgnummer: int) -> URIRef:
        return self._local("verwijzing", f"{identifier}-{volgnummer}")

    def kamerlid(self, achternaam: str, fractie: str | None, voornaam: str | None = None) -> URIRef:
        """The provisional IRI the mapping gives a member as printed in one
        publication; the link stage renames it to the person's stable IRI
        (``kamerlid_key``)."""
        return self._local("kamerlid", kamerlid_provisional_key(achternaam, fractie, voornaam))

    def kamerlid_key(self, key: str) -> URIRef:
        """A member as resolved across publications (kg.link.people): the key
        is ``tk-<Persoon GUID>`` when reconciled, so that it never changes
        with the party or the publications in the build; else the surname."""
        return self._local("kamerlid", key)

    def bewindspersoon_key(self, key: str) -> URIRef:
        """A minister or state secretary as resolved (``tk-<GUID>``, ``wd-<item>``)."""
        return self._local("bewindspersoon", key)

    def identificatie(self, scheme: str, value: str) -> URIRef:
        """An external identifier as a schema:PropertyValue node (named, not
        blank, so that dumps stay byte-identical)."""
        return self._local("identificatie", f"{scheme}-{slug(value)}")

    def lidmaatschap(self, member_key: str, fractie: str) -> URIRef:
        return self._local("lidmaatschap", f"{member_key}-{slug(fractie)}")

    def ambtsvervulling(self, achternaam: str, ambt_label: str) -> URIRef:
        return self._local("ambtsvervulling", f"{slug(achternaam)}-{slug(ambt_label)}")

    def bewindspersoon(self, achternaam: str, initialen: str | None = None) -> URIRef:
        """Provisional: by surname as printed (and initials where a zaak gives
        them, so that two ministers of one surname stay apart); the link stage
        renames it to the person's IRI (``bewindspersoon_key``)."""
        return self._local("bewindspersoon", slug(achternaam) + (f"-{slug(initialen)}" if initialen else ""))

    def fractie(self, naam: str) -> URIRef:
        return self._local("fractie", slug(naam))

    def ambt(self, label: str) -> URIRef:
        return self._local("ambt", slug(label))

    def ministerie(self, portefeuille: str) -> URIRef:
        return self._local("ministerie", slug(portefeuille))

    def afwijking(self, identifier: str, veld: str) -> URIRef:
        """A disagreement of a publication with the Tweede Kamer's zaak on one field (kg.link.zaken)."""
        return self._local("afwijking", f"{identifier}-{slug(veld)}")

    def koppeling(self, van: str, naar: str) -> URIRef:
        """The link between two publications of the same questions (kg.link.followup):
        questions and their answer, a delay notice and what it delays. Official
        identifiers hold no "--", so the pair reads back unambiguously."""
        return self._local("koppeling", f"{van}--{naar}")

    # ------------------------------------------------- dumps and provenance
    # Named graphs, the dataset description and the provenance of a build
    # (kg.dumps). Flat like the rest: one kind per path segment.

    def graph(self, identifier: str) -> URIRef:
        """The named graph that holds one publication's triples in the TriG
        dump and in a triple store (``kg push``). Minted under the base, not
        under officielebekendmakingen, whose names are not ours to mint."""
        return self._local("graph", identifier)

    def shared_graph(self) -> URIRef:
        """The named graph of what several publications state and what the link stage adds."""
        return self._local("graph", "_shared")

    def description_graph(self) -> URIRef:
        """The graph of the dataset description and provenance (the TriG's
        default graph; a named graph of its own in a triple store)."""
        return self._local("graph", "_dataset")

    def dataset(self) -> URIRef:
        return self._iri(f"{self.base}dataset")

    def distribution(self, file_name: str) -> URIRef:
        return self._local("distribution", file_name)

    def class_partition(self, curie: str) -> URIRef:
        """The VoID partition of the instances of one class ("kv:Vraag" -> partition/kv-vraag)."""
        return self._local("partition", slug(curie))

    def source_file(self, sha256: str) -> URIRef:
        """A source file, named by its content: the same bytes are one node."""
        return self._local("source", sha256)

    def checksum(self, sha256: str) -> URIRef:
        return self._local("checksum", f"sha256-{sha256}")

    def build_activity(self, digest: str) -> URIRef:
        """One run of ``kg build``, named by a digest of its inputs and kg's version."""
        return self._local("build", digest)

    def software(self, version: str) -> URIRef:
        return self._local("software", f"kamervragen-kg-{slug(version)}")
