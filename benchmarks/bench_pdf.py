"""Benchmark of the PDF reader (kg/read/pdf.py): pages/s and ms per PDF.

Not a test: it prints figures. Reads every PDF of the development corpus
(../shared/corpus/docs and unlabelled; the 21 real Aanhangsel PDFs) with each
reader engine, best of N rounds per file, after one warm-up read (imports and
first-use caches are not what a build of many files pays per file).

    python benchmarks/bench_pdf.py [PDF_OR_FOLDER ...] [--repeat N] [--engine NAME ...]

Without arguments it reads the corpus; it exits 0 with a note where the corpus
is absent.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def _pdfs(args: list[str]) -> list[Path]:
    if not args:
        return sorted(CORPUS.glob("docs/*.pdf")) + sorted(CORPUS.glob("unlabelled/*.pdf"))
    found: list[Path] = []
    for a in map(Path, args):
        found.extend(sorted(a.rglob("*.pdf")) if a.is_dir() else [a])
    return found


def _pages(path: Path) -> int:
    import pypdfium2

    doc = pypdfium2.PdfDocument(str(path))
    try:
        return len(doc)
    finally:
        doc.close()


def main() -> int:
    from kg.read import pdf as kg_pdf

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="*", help="PDF files or folders (default: the corpus PDFs)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds per file; the best counts")
    parser.add_argument("--engine", action="append", choices=kg_pdf.ENGINES,
                        help=f"reader engine(s) to measure (default: all of {', '.join(kg_pdf.ENGINES)})")
    args = parser.parse_args()
    pdfs = _pdfs(args.pdfs)
    if not pdfs:
        print(f"no PDFs to read ({CORPUS} is absent); nothing measured")
        return 0
    pages = {p: _pages(p) for p in pdfs}
    total_pages = sum(pages.values())
    print(f"PDF reader benchmark: {len(pdfs)} PDFs, {total_pages} pages; best of {args.repeat} per file")
    print(f"{'engine':12} {'pages/s (CPU)':>14} {'pages/s (wall)':>15} {'ms/PDF median':>14} {'ms/PDF max':>11} {'ms/page':>8} {'failed':>7}")
    for engine in args.engine or kg_pdf.ENGINES:
        reader = kg_pdf.PdfReader(engine=engine)
        try:
            reader.read(pdfs[0])  # warm-up: imports, font caches
        except Exception:  # noqa: BLE001 - reported below, per file
            pass
        cpu: dict[Path, float] = {}
        wall: dict[Path, float] = {}
        failed = 0
        for p in pdfs:
            best_cpu = best_wall = float("inf")
            for _ in range(args.repeat):
                c, w = time.process_time(), time.perf_counter()
                try:
                    reader.read(p)
                except Exception as exc:  # noqa: BLE001 - a benchmark reports, it does not stop
                    print(f"  {engine}: {p.name}: {exc}", file=sys.stderr)
                    failed += 1
                    break
                best_cpu = min(best_cpu, time.process_time() - c)
                best_wall = min(best_wall, time.perf_counter() - w)
            if best_wall != float("inf"):
                cpu[p], wall[p] = best_cpu, best_wall
        read_pages = sum(pages[p] for p in wall)
        per_pdf = [w * 1000 for w in wall.values()]
        print(
            f"{engine:12} {read_pages / sum(cpu.values()):>14.1f} {read_pages / sum(wall.values()):>15.1f} "
            f"{statistics.median(per_pdf):>14.1f} {max(per_pdf):>11.1f} {1000 * sum(wall.values()) / read_pages:>8.1f} {failed:>7}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
