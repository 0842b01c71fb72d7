"""The output set of a build, switched as a whole.

A build writes every output into ``OUT/.staging`` and lists them, with their
SHA-256 and size, in ``manifest.json`` there. Renaming ``.staging`` to
``.commit`` is the commit point: before it the old outputs stand untouched,
after it the new ones are rolled forward into ``OUT`` file by file (each by
an atomic rename), ``manifest.json`` last, and ``.commit`` is removed. A kill
at any moment leaves either an uncommitted staging folder (thrown away by
``recover``: the old build stands) or a committed one (finished by
``recover``: the new build stands). Readers call ``verify`` before they read
a dump; it finishes a committed switch first, then checks the files against
the manifest, so they never read a mix of two builds or a cut-short file.
"""
from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from kg.errors import UsageError
from kg.read import sha256_file

MANIFEST = "manifest.json"
STAGING = ".staging"
COMMIT = ".commit"


class OutputError(UsageError):
    """A build's output set is incomplete or does not match its manifest
    (a KgError; the CLI exits 2 and names the file)."""




def write_atomic(path: Path, data: bytes | str) -> None:
    """Write ``data`` to a temporary file beside ``path`` and rename it there."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with tmp.open("wb") as f:
        f.write(data.encode("utf-8") if isinstance(data, str) else data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def link_or_copy(src: Path, dst: Path) -> None:
    """``dst`` becomes the same bytes as ``src``: a hard link where the file
    system allows one (an unchanged output of the previous build costs no
    copy), else a copy. Safe because kg never writes into an existing output
    file: every output is written anew and renamed into place (write_atomic),
    so a file shared by two builds is never changed under the other."""
    try:
        os.link(src, dst)
    except OSError:  # another file system, or one without hard links
        shutil.copyfile(src, dst)


def read_manifest(out_dir: Path) -> dict | None:
    """The manifest of the build in ``out_dir``, or None when there is none."""
    try:
        data = json.loads((Path(out_dir) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("files"), dict) else None


def write_manifest(folder: Path, names: Iterable[str], extra: dict | None = None, known: dict[str, str] | None = None) -> dict:
    """List ``names`` (files in ``folder``) with SHA-256 and size in
    ``folder/manifest.json``. ``known``: the SHA-256 of files hashed while
    they were written (the dumps), which are not read again."""
    files = {}
    known = known or {}
    for name in sorted(names):
        p = folder / name
        st = p.stat()
        # mtime_ns lets an unchanged rebuild see at a glance that the file is the one listed.
        files[name] = {"sha256": known.get(name) or sha256_file(p), "size": st.st_size, "mtime_ns": st.st_mtime_ns}
    manifest = {"files": files, **(extra or {})}
    write_atomic(folder / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    return manifest


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def commit(out_dir: Path) -> None:
    """Switch ``out_dir`` to the build staged in ``out_dir/.staging``."""
    out_dir = Path(out_dir)
    staging = out_dir / STAGING
    if not (staging / MANIFEST).is_file():
        raise OutputError("no staged build to commit (manifest missing)", staging)
    _fsync_dir(staging)
    os.replace(staging, out_dir / COMMIT)  # the commit point
    _fsync_dir(out_dir)
    recover(out_dir, discard_staging=False)


def recover(out_dir: Path, *, discard_staging: bool = True) -> None:
    """Finish a committed switch; throw away an uncommitted staging folder
    (unless ``discard_staging`` is False: a reader never touches a build
    that may still be writing)."""
    out_dir = Path(out_dir)
    committed = out_dir / COMMIT
    if committed.is_dir():
        new = read_manifest(committed)
        if new is not None:
            old = read_manifest(out_dir)
            for name in sorted(new["files"]):
                if "/" in name:  # a file of a sub-folder (chains/...)
                    (out_dir / name).parent.mkdir(parents=True, exist_ok=True)
                try:
                    os.replace(committed / name, out_dir / name)
                except FileNotFoundError:  # moved already (a reader finished it meanwhile)
                    pass
            # Outputs of the old build that the new one does not write (a
            # validation report after --no-validate) go: the set is the new one.
            for name in (old or {}).get("files", {}):
                if name not in new["files"]:
                    try:
                        (out_dir / name).unlink()
                    except FileNotFoundError:
                        pass
            try:
                os.replace(committed / MANIFEST, out_dir / MANIFEST)
            except FileNotFoundError:
                pass
        shutil.rmtree(committed, ignore_errors=True)
        _fsync_dir(out_dir)
    staging = out_dir / STAGING
    if discard_staging:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
        for spool in out_dir.glob(".kg-spool-*"):  # a killed build's scratch space
            shutil.rmtree(spool, ignore_errors=True)


def verify(out_dir: Path, names: Iterable[str]) -> None:
    """Check that the files ``names`` of the build in ``out_dir`` are whole:
    listed in its manifest with the size and SHA-256 they have. Raises
    OutputError naming the broken file. A folder without a manifest (a build
    of an older kg, or files put there by hand) is taken as it is."""
    out_dir = Path(out_dir)
    recover(out_dir, discard_staging=False)
    manifest = read_manifest(out_dir)
    if manifest is None:
        if (out_dir / MANIFEST).exists():
            raise OutputError(f"the manifest of the build in {out_dir} is damaged; run kg build again", out_dir / MANIFEST)
        return
    for name in names:
        path = out_dir / name
        entry = manifest["files"].get(name)
        if entry is None:
            raise OutputError(f"not part of the build in {out_dir} (not in its manifest)", path)
        try:
            size = path.stat().st_size
        except OSError:
            raise OutputError(f"missing from the build in {out_dir}; run kg build again", path) from None
        if size != entry["size"] or sha256_file(path) != entry["sha256"]:
            raise OutputError(f"does not match the manifest of the build in {out_dir} (cut short or changed); run kg build again", path)


__all__ = ["MANIFEST", "OutputError", "commit", "read_manifest", "recover", "verify", "write_atomic", "write_manifest"]
