"""N-Triples: kamervragen.nt, the graph as sorted lines (diffable, greppable)."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from kg.dumps import DumpSet


def write_ntriples(dumps: DumpSet, path: Path) -> str:
    """Write the file; return its SHA-256 (computed while writing)."""
    from kg.dumps.fragments import copy_hashed, sha256_of

    if dumps.ntriples_path is not None:  # the build's merged spool is this file already
        # Linked where the file system allows (2.3 GB at 127k not written
        # again): the merge is a new file in the build's own spool folder,
        # written once and never changed after.
        try:
            os.link(dumps.ntriples_path, path)
        except OSError:
            return copy_hashed(dumps.ntriples_path, path)
        return sha256_of(path)
    h = hashlib.sha256()
    with path.open("wb") as out:
        for line in dumps.iter_lines():
            data = (line + "\n").encode("utf-8")
            h.update(data)
            out.write(data)
    return h.hexdigest()
