"""The memory the build takes from the machine, by stage.

``ru_maxrss`` cannot say this: it is one process's peak over its whole life,
and a child started by fork + exec inherits its parent's peak (the kernel
keeps the larger of the two at exec), so a store loader started from a
7 GB build reports 7 GB whatever it used. The watch samples the
proportional set size (PSS: a page shared by forked processes counted once
between them) of the build and every process under it, and keeps the
largest total seen during each stage. Linux only; elsewhere it records
nothing and the build report falls back to ``ru_maxrss``.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

_PROC = Path("/proc")


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for task in (_PROC / str(pid) / "task").iterdir():
            try:
                out.extend(int(c) for c in (task / "children").read_text().split())
            except OSError:
                continue
    except OSError:
        pass
    return out


def _pss_kb(pid: int) -> int:
    """The process's PSS in kB (its RSS where smaps_rollup is missing), 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
            for line in fh:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * (os.sysconf("SC_PAGE_SIZE") // 1024)
    except (OSError, ValueError, IndexError):
        return 0


def tree_pss_mb(pid: int | None = None) -> float:
    """The PSS of process ``pid`` (default: this one) and all its descendants, in MB."""
    return _tree_pss_kb(pid or os.getpid())[0] / 1024


def _tree_pss_kb(root: int) -> tuple[int, int]:
    """(PSS of ``root`` and all its descendants, PSS of ``root`` alone) in kB."""
    todo, total, own, seen = [root], 0, 0, set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        kb = _pss_kb(p)
        total += kb
        if p == root:
            own = kb
        todo.extend(_children(p))
    return total, own


class MemoryWatch:
    """Samples :func:`tree_pss_mb` every ``interval`` seconds in a thread.
    :meth:`lap` closes a stage: the largest sample since the last lap is its
    peak. Use as a context manager; :attr:`peaks` maps each stage to its
    peak in MB."""

    def __init__(self, interval: float = 0.5) -> None:
        self.interval = interval
        self.peaks: dict[str, float] = {}
        self.own: dict[str, float] = {}  # the build process's own PSS at each stage's peak
        self.available = Path("/proc/self/task").is_dir()
        self._current = (0.0, 0.0)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def __enter__(self) -> "MemoryWatch":
        if self.available:
            self._thread = threading.Thread(target=self._run, name="kg-memwatch", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def lap(self, name: str) -> None:
        """Close stage ``name`` with one last sample: its peak is the largest since the last lap."""
        if not self.available:
            return
        self._sample()
        with self._lock:
            total, own = self._current
            if total >= self.peaks.get(name, 0.0):
                self.peaks[name], self.own[name] = round(total, 1), round(own, 1)
            self._current = (0.0, 0.0)

    def _sample(self) -> None:
        if not self.available:
            return
        total, own = _tree_pss_kb(os.getpid())
        with self._lock:
            self._current = max(self._current, (total / 1024, own / 1024))

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    @property
    def peak(self) -> float | None:
        """The largest sample of the whole build, None where nothing was sampled."""
        return max(self.peaks.values()) if self.peaks else None


def give_back() -> None:
    """Return the C heap's free memory to the system (glibc's malloc_trim).
    A stage that freed gigabytes (the validation's results, Oxigraph's
    buffers) otherwise leaves them mapped in this process, and every later
    stage, and every process forked from it, carries them."""
    import gc

    gc.collect()
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass


def peak_rss_mb() -> float | None:
    """This process's peak resident memory (VmHWM) in MB; None where /proc
    does not tell. Not ru_maxrss: a child started by fork + exec keeps its
    parent's peak there (the kernel carries it over at exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except (OSError, ValueError, IndexError):
        pass
    return None


def reset_peak() -> None:
    """Set this process's VmHWM to its present resident size (Linux), so that
    a pool process's peak is its present task's, not an earlier one's."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


__all__ = ["MemoryWatch", "give_back", "peak_rss_mb", "reset_peak", "tree_pss_mb"]
