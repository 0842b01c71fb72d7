"""Parse stage: from a reader's SourceText to the typed Publication.

``clean`` makes clean lines of extracted text, ``body`` finds the question and
answer blocks, ``header`` reads the masthead and the "Vragen van" / "Antwoord
van" paragraphs, ``citations`` finds citations of official publications,
``refusals`` the kinds of refusal in an answer's text, and
``publication.parse`` puts them together.
"""
from __future__ import annotations

from kg.parse.publication import parse

__all__ = ["parse"]
