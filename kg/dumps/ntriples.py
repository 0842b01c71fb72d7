"""N-Triples: kamervragen.nt, the graph as sorted lines (diffable, greppable)."""
from __future__ import annotations

import shutil
from pathlib import Path

from kg.dumps import DumpSet


def write_ntriples(dumps: DumpSet, path: Path) -> None:
    if dumps.ntriples_path is not None:  # the build's merged spool is this file already
        shutil.copyfile(dumps.ntriples_path, path)
        return
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.writelines(line + "\n" for line in dumps.iter_lines())
