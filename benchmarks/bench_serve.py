"""Load test of ``kg serve``: concurrent clients run the named-query mix
(and distinct /sparql queries that miss the answer cache)
against a server on 127.0.0.1, and the script prints throughput,
p50/p90/p99 latency, errors, dropped connections and the server's memory.

Not a test: it prints figures. Bounded: each level stops after --requests
requests or --seconds seconds, whichever comes first.

    python benchmarks/bench_serve.py [--graph FILE | --build] [--clients 50 200]
    python benchmarks/bench_serve.py --url http://127.0.0.1:8000/ --server-pid PID

Without --graph or --url it builds the development corpus (../shared/corpus)
into a temporary folder and serves its kamervragen.nt with ``kg serve``.
Each client keeps one HTTP/1.1 connection open and sends its next request
when the last is answered. A request that gets no answer (refused, reset,
timed out) counts as dropped; an answer other than 200 is an error.
"""
from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Parameter values besides each query's default, so that the mix is not one URL per query.
VARIANTS = {
    "most-cited-publications": [{"limit": str(n)} for n in (5, 10, 20, 50)],
    "questions-mentioning": [{"term": t} for t in ("stikstof", "asiel", "zorg", "energie", "politie", "onderwijs")],
    "questions-of-member": [{"member": m} for m in ("Van Nispen", "Omtzigt", "Kröger", "Bikker")],
    "answerers-for-office": [{"from": f"{y}-01-01", "to": f"{y}-12-31"} for y in (2019, 2022, 2023, 2024)],
}


def mix_paths() -> list[str]:
    """GET paths of the named-query mix: every named query with its
    defaults, and the variants above."""
    sys.path.insert(0, str(ROOT))
    from kg.query import named_queries

    paths = []
    for name in named_queries():
        paths.append(f"/queries/{name}")
        for params in VARIANTS.get(name, []):
            paths.append(f"/queries/{name}?{urllib.parse.urlencode(params)}")
    return paths


def sparql_paths() -> list[str]:
    """The named-query mix sent as /sparql?query= (for servers without /queries)."""
    sys.path.insert(0, str(ROOT))
    from kg.query import named_queries

    out = []
    for name, q in named_queries().items():
        for params in [{}] + VARIANTS.get(name, []):
            out.append(f"/sparql?{urllib.parse.urlencode({'query': q.render(params)})}")
    return out


def uncached_paths(n: int, start: int = 0) -> list[str]:
    """Distinct /sparql queries (a counter in a comment defeats the answer
    cache); ``start`` keeps the levels of one run apart."""
    sys.path.insert(0, str(ROOT))
    from kg.query import named_queries

    texts = [q.render({}) for q in named_queries().values()]
    return [f"/sparql?{urllib.parse.urlencode({'query': texts[i % len(texts)] + f'# {i}'})}" for i in range(start, start + n)]


async def read_chunked(reader: asyncio.StreamReader) -> None:
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
        await reader.readexactly(size + 2)
        if size == 0:
            return


async def client(host: str, port: int, paths, deadline: float, budget: list[int], out: dict, timeout: float) -> None:
    reader = writer = None
    while time.monotonic() < deadline:
        if budget[0] <= 0:
            break
        budget[0] -= 1
        path = next(paths)
        started = time.monotonic()
        try:
            if writer is None:
                reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: application/sparql-results+json\r\n\r\n".encode())
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout)
            status = int(head.split(b" ", 2)[1])
            m = re.search(rb"(?i)content-length:\s*(\d+)", head)
            if m:
                await asyncio.wait_for(reader.readexactly(int(m[1])), timeout)
            elif re.search(rb"(?i)transfer-encoding:\s*chunked", head):
                await asyncio.wait_for(read_chunked(reader), timeout)
            if re.search(rb"(?i)connection:\s*close", head) or (head.startswith(b"HTTP/1.0") and not re.search(rb"(?i)connection:\s*keep-alive", head)):
                writer.close()
                writer = None
        except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError, ValueError, IndexError) as exc:
            out["dropped"] += 1
            out.setdefault("drop_kinds", {}).setdefault(type(exc).__name__, 0)
            out["drop_kinds"][type(exc).__name__] += 1
            if writer is not None:
                writer.close()
            writer = None
            continue
        out["latencies"].append(time.monotonic() - started)
        if status != 200:
            out["errors"] += 1
            out.setdefault("statuses", {}).setdefault(status, 0)
            out["statuses"][status] += 1
    if writer is not None:
        writer.close()


def rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MB."""
    total = 0
    stack = [pid]
    seen = set()
    while stack:
        p = stack.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            for task in Path(f"/proc/{p}/task").iterdir():
                children = (task / "children").read_text().split()
                stack.extend(int(c) for c in children)
        except (OSError, ValueError):
            continue
    return total / 1024


async def level(host: str, port: int, paths: list[str], clients: int, requests: int, seconds: float, timeout: float,
                pid: int | None) -> dict:
    out: dict = {"latencies": [], "errors": 0, "dropped": 0}
    cycle = itertools.cycle(paths)
    budget = [requests]
    deadline = time.monotonic() + seconds
    peak = [0.0]

    async def sample() -> None:
        while True:
            if pid:
                peak[0] = max(peak[0], rss_mb(pid))
            await asyncio.sleep(0.5)

    sampler = asyncio.create_task(sample())
    started = time.monotonic()
    await asyncio.gather(*(client(host, port, cycle, deadline, budget, out, timeout) for _ in range(clients)))
    elapsed = time.monotonic() - started
    sampler.cancel()
    lat = sorted(out["latencies"])

    def pct(p: float) -> float:
        return lat[min(len(lat) - 1, int(p * len(lat)))] if lat else float("nan")

    return {"clients": clients, "requests": len(lat) + out["dropped"], "seconds": elapsed,
            "rps": len(lat) / elapsed if elapsed else 0.0, "p50": pct(0.50), "p90": pct(0.90), "p99": pct(0.99),
            "max": lat[-1] if lat else float("nan"), "errors": out["errors"], "dropped": out["dropped"],
            "statuses": out.get("statuses", {}), "drop_kinds": out.get("drop_kinds", {}), "rss": peak[0]}


def start_server(graph: Path | None, workers: int, store: Path | None = None) -> tuple[subprocess.Popen, int]:
    """``kg serve`` on a dump (``graph``) or an Oxigraph store directory."""
    source = ["--store", str(store)] if store is not None else ["--graph", str(graph)]
    cmd = [sys.executable, "-c", "import sys; from kg.cli import main; sys.exit(main())", "serve", *source,
           "--port", "0", "--workers", str(workers), "--timeout", "30"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=ROOT)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        m = re.search(r"http://127\.0\.0\.1:(\d+)/sparql", line)
        if m:
            return proc, int(m[1])
    proc.kill()
    raise SystemExit("kg serve did not start")


def build_corpus(tmp: Path) -> Path:
    corpus = ROOT.parent / "shared" / "corpus"
    if not corpus.is_dir():
        raise SystemExit(f"no corpus at {corpus}: pass --graph FILE")
    sys.path.insert(0, str(ROOT))
    from kg.build import build

    print(f"building {corpus} ...", flush=True)
    build([corpus], tmp, validate=False)
    return tmp / "kamervragen.nt"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graph", type=Path, help="serve this dump (default: build the corpus)")
    parser.add_argument("--store", type=Path, help="serve this Oxigraph store (kg build --store DIR)")
    parser.add_argument("--url", help="bench a server already running at this http://127.0.0.1:PORT/ URL")
    parser.add_argument("--server-pid", type=int, help="with --url: the server's pid, for its memory")
    parser.add_argument("--clients", type=int, nargs="+", default=[50, 200])
    parser.add_argument("--requests", type=int, default=4000, help="requests per level at most (default 4000)")
    parser.add_argument("--seconds", type=float, default=60, help="seconds per level at most (default 60)")
    parser.add_argument("--timeout", type=float, default=30, help="seconds a client waits for one answer (default 30)")
    parser.add_argument("--workers", type=int, default=2, help="kg serve --workers (default 2)")
    parser.add_argument("--workloads", nargs="+", default=["named", "uncached"], choices=["named", "sparql", "uncached"],
                        help="named: GET /queries/NAME (the named-query mix); sparql: the same mix as GET /sparql?query=; "
                             "uncached: distinct /sparql queries that miss any answer cache (default: named uncached)")
    args = parser.parse_args()

    proc = None
    with tempfile.TemporaryDirectory() as tmp:
        if args.url:
            url = urllib.parse.urlsplit(args.url)
            if url.hostname not in ("127.0.0.1", "localhost", "::1"):
                raise SystemExit("this load test runs against 127.0.0.1 only")
            host, port, pid = "127.0.0.1", url.port or 80, args.server_pid
        elif args.store:
            proc, port = start_server(None, args.workers, store=args.store)
            host, pid = "127.0.0.1", proc.pid
        else:
            graph = args.graph or build_corpus(Path(tmp))
            proc, port = start_server(graph, args.workers)
            host, pid = "127.0.0.1", proc.pid
        try:
            makers = {"named": ("named-query mix", lambda level: mix_paths()),
                      "sparql": ("mix via /sparql", lambda level: sparql_paths()),
                      "uncached": ("uncached /sparql", lambda level: uncached_paths(args.requests, level * args.requests))}
            runs = [makers[w] for w in args.workloads]
            print(f"{os.cpu_count()} CPUs; load {os.getloadavg()[0]:.1f}; server 127.0.0.1:{port}")
            print(f"{'workload':18} {'clients':>7} {'requests':>8} {'req/s':>7} {'p50 s':>7} {'p90 s':>7} {'p99 s':>7} "
                  f"{'max s':>7} {'errors':>6} {'dropped':>7} {'RSS MB':>7}")
            for label, make_paths in runs:
                for n, clients in enumerate(args.clients):
                    paths = make_paths(n)
                    r = asyncio.run(level(host, port, paths, clients, args.requests, args.seconds, args.timeout, pid))
                    print(f"{label:18} {r['clients']:7d} {r['requests']:8d} {r['rps']:7.1f} {r['p50']:7.3f} {r['p90']:7.3f} "
                          f"{r['p99']:7.3f} {r['max']:7.3f} {r['errors']:6d} {r['dropped']:7d} {r['rss']:7.0f}", flush=True)
                    if r["statuses"] or r["drop_kinds"]:
                        print(f"{'':18} statuses {r['statuses']} drops {r['drop_kinds']}")
        finally:
            if proc is not None:
                proc.terminate()
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
