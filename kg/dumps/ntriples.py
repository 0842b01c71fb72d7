"""N-Triples: kamervragen.nt, the graph as sorted lines (diffable, greppable)."""
from __future__ import annotations

from pathlib import Path

from kg.dumps import DumpSet


def write_ntriples(dumps: DumpSet, path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.writelines(line + "\n" for line in dumps.lines)
