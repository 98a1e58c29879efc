"""Web load benchmark: 50 clients on search and event pages of a 10,000-article store.

The store is built by the real pipeline (``pipeline.ingest`` then ``pipeline.build``) from
the Timeline17 articles (2,452 in five topics) and perturbed copies of them until it holds
N (the copies of ``bench_placement``: sentences shuffled, one word in ten dropped, the day
moved whole years on, so copies never join their original's event). It is built once and
kept under ``build/``; building 10,000 articles took 57 minutes on 2 cores, spaCy
being most of it.

The measuring run starts ``storyline serve`` on the store in its own process and runs C
client tasks, spread over CLIENT_PROCESSES processes, for S seconds, each looping over a
page at a time: half search pages (a word of the topics' keywords, a page of results
grouped by event) and half event pages (an event id drawn from the store). Every
request's latency and status is kept; the result (p50, p95, p99, max, errors, requests
per second, by kind) is printed as one JSON object and written beside the store.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import random
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import numpy as np

from storyline import pipeline
from storyline.eval.dating import load_articles
from storyline.stages.clean.tokenised import untokenise
from storyline.store import Store
from tools.bench_placement import perturbed_text

SEARCH_WORDS = ("oil", "spill", "well", "bank", "crisis", "protest", "Mubarak", "earthquake",
                "Haiti", "Jackson", "doctor", "Cairo", "Lehman", "aid", "trial")  # fmt: skip
READY_SECONDS = 120  # the server loads its view of the store before it answers
CLIENT_PROCESSES = 5  # 5 x 10 clients: 850 static-file requests/s where one process gave 430
PART_SIZE = 1000  # articles a corpus file, well under the 20 MB ingest limit


def make_corpus(t17: Path, out: Path, size: int, seed: int) -> int:
    """Write ``size`` articles (originals, then perturbed copies) as JSONL.gz parts of
    PART_SIZE into the folder ``out``, under the ingest size limit; return how many."""
    items = [item for p in sorted(t17.glob("*/articles.jsonl.gz")) for item in load_articles(p)]
    rng = np.random.default_rng(seed)
    rows: list[dict[str, str]] = []
    copy = 0
    while len(rows) < size:
        for item in items[: size - len(rows)]:
            a = item.article
            day = item.truth.isoformat()
            a.published = day
            text, day = (a.text, day) if copy == 0 else perturbed_text(a, copy, rng)
            rows.append({"id": f"{a.id}-{copy}", "text": untokenise(text), "published": day,
                         "source": a.source or "", "title": a.title or ""})  # fmt: skip
        copy += 1
    out.mkdir(parents=True, exist_ok=True)
    for part in range(0, len(rows), PART_SIZE):
        with gzip.open(out / f"part-{part // PART_SIZE:03d}.jsonl.gz", "wt", encoding="utf-8") as f:
            f.writelines(json.dumps(row) + "\n" for row in rows[part : part + PART_SIZE])
    return len(rows)


def build_store(db: Path, corpus: Path) -> dict[str, Any]:
    """Build the store from the corpus with the real pipeline; return its size and time."""
    started = time.perf_counter()
    store = Store(str(db))
    options = pipeline.Options()
    ingested = pipeline.ingest([str(corpus)], store, options)
    if ingested.rejected:
        raise RuntimeError(f"corpus inputs rejected: {ingested.rejected[:3]}")
    grouping = pipeline.build(store, options)
    facts = {
        "articles": store.count_articles(),
        "events": len(grouping.events),
        "storylines": len(grouping.stories),
        "build_seconds": round(time.perf_counter() - started, 1),
    }
    store.close()
    return facts


def measure(db: Path, clients: int, seconds: float, seed: int) -> dict[str, Any]:
    """Serve the store and load it; return latency figures by kind of page."""
    store = Store(str(db))
    events = [e.id for e in store.events()]
    store.close()
    port = _free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("storyline")),
            "serve",
            "--db",
            str(db),
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_ready(base)
        # one Python client process tops out near 450 requests/s at 50 connections (even on
        # a static file), which would measure the client; several processes share the load
        shares = [clients // CLIENT_PROCESSES + (n < clients % CLIENT_PROCESSES)
                  for n in range(CLIENT_PROCESSES)]  # fmt: skip
        with ProcessPoolExecutor(CLIENT_PROCESSES) as pool:
            n = len(shares)
            parts = pool.map(_client_process, [base] * n, [events] * n, shares, [seconds] * n,
                             range(seed, seed + n))  # fmt: skip
            samples = [sample for part in parts for sample in part]
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {"clients": clients, "seconds": seconds, **_figures(samples, seconds)}


def _client_process(
    base: str, events: Sequence[str], clients: int, seconds: float, seed: int
) -> list[tuple[str, float, int]]:
    """Run ``clients`` clients in this process; return their samples."""
    return asyncio.run(_load(base, events, clients, seconds, random.Random(seed)))


async def _load(
    base: str, events: Sequence[str], clients: int, seconds: float, rng: random.Random
) -> list[tuple[str, float, int]]:
    """Return (kind, milliseconds, status) of every request the clients made."""
    samples: list[tuple[str, float, int]] = []
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=30.0, limits=limits) as client:

        async def one_client(number: int) -> None:
            own = random.Random(rng.random() + number)
            while time.perf_counter() < deadline:
                if own.random() < 0.5:
                    kind, url = "search", f"/search?q={own.choice(SEARCH_WORDS)}"
                else:
                    kind, url = "event", f"/events/{own.choice(events)}"
                started = time.perf_counter()
                try:
                    status = (await client.get(url)).status_code
                except httpx.HTTPError:
                    status = 0
                samples.append((kind, (time.perf_counter() - started) * 1000, status))

        await asyncio.gather(*(one_client(n) for n in range(clients)))
    return samples


def _figures(samples: list[tuple[str, float, int]], seconds: float) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for kind in ("all", "search", "event"):
        chosen = [s for s in samples if kind == "all" or s[0] == kind]
        ms = np.array([s[1] for s in chosen]) if chosen else np.zeros(1)
        out[kind] = {
            "requests": len(chosen),
            "per_second": round(len(chosen) / seconds, 1),
            "p50_ms": round(float(np.percentile(ms, 50)), 1),
            "p95_ms": round(float(np.percentile(ms, 95)), 1),
            "p99_ms": round(float(np.percentile(ms, 99)), 1),
            "max_ms": round(float(ms.max()), 1),
            "errors": sum(1 for s in chosen if not 200 <= s[2] < 400),
        }
    return out


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_ready(base: str) -> None:
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/storylines.json", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"the server at {base} did not answer within {READY_SECONDS} s")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m tools.bench_web", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--t17", type=Path, required=True)
    parser.add_argument("--work", type=Path, default=Path("build/bench-web"))
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    db = args.work / f"store-{args.articles}-seed{args.seed}.db"
    facts_file = db.with_suffix(".json")
    if not facts_file.exists():
        corpus = args.work / f"corpus-{args.articles}-seed{args.seed}"
        make_corpus(args.t17, corpus, args.articles, args.seed)
        db.unlink(missing_ok=True)
        facts_file.write_text(json.dumps(build_store(db, corpus)), encoding="utf-8")
    result = {"store": json.loads(facts_file.read_text(encoding="utf-8")),
              **measure(db, args.clients, args.seconds, args.seed)}  # fmt: skip
    if args.out:
        args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
