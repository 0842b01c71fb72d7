"""One exception family for the whole package; each error names its source file."""
from __future__ import annotations

from pathlib import Path


class KgError(Exception):
    """Base of every error kg raises on purpose.

    ``source`` is the input file the error is about (None for errors about
    arguments or the build as a whole), so that a report can always say which
    file failed and why.
    """

    def __init__(self, message: str, source: Path | str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.source = Path(source) if source is not None else None

    def __str__(self) -> str:
        return f"{self.source.name}: {self.message}" if self.source else self.message


class ReadError(KgError):
    """A file could not be read or its format is not supported."""


class ParseError(KgError):
    """A file was read but holds no recognisable publication."""


class ValidationSetupError(KgError):
    """The ontology or shapes could not be loaded (a packaging fault, not bad input)."""


class UsageError(KgError):
    """The command line asked for something impossible (bad path, bad option)."""


class RegistryError(ValidationSetupError):
    """The identifier registry shipped with the package could not be loaded (a packaging fault)."""


class QueryError(UsageError):
    """A SPARQL query cannot be run as asked: unknown name or parameter, a bad
    parameter value, or a query text (a user's file) that does not parse."""


class QuerySetupError(ValidationSetupError):
    """A named query shipped with kg is missing or malformed (a packaging fault)."""


class PushError(KgError):
    """A triple store could not be reached, or refused an upload as a whole
    (``kg push``: exit code 4)."""

    result: object | None = None  # kg.push.PushResult: what was done before the push stopped
