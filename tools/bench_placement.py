"""Placement benchmark: place new articles one at a time into a store of N stored ones.

The store is built from the Timeline17 articles (2,452 in five topics) repeated until it
holds N: copy 0 is the originals as they are; copy k (k >= 1) has every original's
sentences shuffled and one word in ten dropped, its publication day moved k years on
(so copies of one happening never fall in one time window) and its embedding the
original's plus a little Gaussian noise, normalised again. spaCy and MiniLM run on the
originals only, once (cached in the work folder): a copy keeps its original's entity
profile, as word dropout rarely removes every mention of a name. Every copy keeps its
original's event, as cluster() grouped the originals (copies inherit it under their own id).

The 200 held-out articles are originals left out of copy 0. They go into the store as new
articles do (annotated, dated, embedded, not yet placed); the measuring run then, in a
fresh process so that its peak memory is that of placement alone, loads the placement
index and places them one at a time in publication order, adding each to the index.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import hashlib
import json
import re
import resource
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from storyline.eval.dating import load_articles
from storyline.models import Annotations, Article, DateRange, Event, Mention, reading_order
from storyline.stages.annotate import AnnotateOptions, annotate
from storyline.stages.cluster.grouping import ClusterOptions, cluster, event_id
from storyline.stages.cluster.placement import (
    CANDIDATE_ARTICLES,
    Placement,
    PlacementIndex,
    features_of,
)
from storyline.stages.embed import MiniLMOnnx, embed_articles
from storyline.store import Store

T17 = Path(__file__).resolve().parents[3] / "shared" / "bench" / "timelines" / "t17"
HELD_OUT = 200
# Perturbation of the copies: a tenth of the words dropped keeps a copy plainly about its
# happening while no two copies share their text (or their id, a hash of it).
WORD_DROPOUT = 0.1
# Per-dimension noise on a copy's 384-d embedding: norm about 0.31, cosine to the
# original about 0.95, as between two outlets' ledes on one happening.
VECTOR_NOISE = 0.016
_BATCH = 2000  # articles written to the store per transaction while building


@dataclass
class Original:
    article: Article  # annotated and dated
    vector: NDArray[np.float32]
    event: str  # its event as cluster() grouped all the originals


def prepare_originals(t17: Path, work: Path) -> list[Original]:
    """Return the Timeline17 articles annotated, embedded and grouped (cached in ``work``)."""
    articles = []
    for path in sorted(t17.glob("*/articles.jsonl.gz")):
        for item in load_articles(path):
            day = item.truth.isoformat()
            item.article.published = day
            item.article.date = DateRange(day, day, "given", ["published"])
            articles.append(item.article)
    cache, vectors_file = work / "originals.json.gz", work / "originals.npy"
    if cache.exists() and vectors_file.exists():
        saved = json.loads(gzip.decompress(cache.read_bytes()))
        vectors = np.load(vectors_file)
        for article in articles:
            mentions = [Mention(**m) for m in saved["mentions"][article.id]]
            article.annotations = Annotations(mentions=mentions)
        return [Original(a, vectors[i], saved["events"][a.id]) for i, a in enumerate(articles)]
    annotated = annotate(articles, AnnotateOptions(processes=2))
    for article, its in zip(articles, annotated, strict=True):
        article.annotations = its
    vectors = embed_articles(articles, MiniLMOnnx())
    grouping = cluster(articles, vectors, ClusterOptions())
    events = {aid: e.id for e in grouping.events for aid in e.articles}
    work.mkdir(parents=True, exist_ok=True)
    np.save(vectors_file, vectors)
    found = {a.id: [m.to_dict() for m in a.annotations.mentions] for a in articles if a.annotations}
    cache.write_bytes(gzip.compress(json.dumps({"mentions": found, "events": events}).encode()))
    return [Original(a, vectors[i], events[a.id]) for i, a in enumerate(articles)]


def build_store(db: Path, originals: Sequence[Original], size: int, seed: int) -> dict[str, Any]:
    """Return facts about the store built at ``db``: ``size`` articles placed in events, and
    the held-out originals added as new (annotated, dated, embedded, in no event yet)."""
    rng = np.random.default_rng(seed)
    held = {int(i) for i in rng.choice(len(originals), HELD_OUT, replace=False)}
    store = Store(str(db))
    members: dict[str, list[Article]] = {}
    batch: list[tuple[Article, NDArray[np.float32]]] = []
    seen: set[str] = set()
    copy = 0
    while len(seen) < size:
        for i, original in enumerate(originals):
            if copy == 0 and i in held:
                continue
            article, vector = _copy(original, copy, rng)
            if article.id in seen or len(seen) >= size:
                continue
            seen.add(article.id)
            members.setdefault(f"{original.event}~{copy}", []).append(article)
            batch.append((article, vector))
            if len(batch) == _BATCH:
                _write(store, batch)
                batch = []
        copy += 1
    _write(store, batch)
    store.replace_events([_event(name, group) for name, group in members.items()], [])
    _add_held_out(store, [originals[i] for i in sorted(held)], set(members))
    store.close()
    return {"articles": len(seen), "copies": copy, "events": len(members), "seed": seed}


def _copy(
    original: Original, copy: int, rng: np.random.Generator
) -> tuple[Article, NDArray[np.float32]]:
    """Return copy ``copy`` of an original (copy 0 is the original itself) and its vector."""
    if copy == 0:
        return original.article, original.vector
    source = original.article
    text, day = perturbed_text(source, copy, rng)
    article = Article(
        id=hashlib.sha256(text.encode("utf-8")).hexdigest()[:16],
        ref=f"{source.ref}#copy{copy}",
        text=text,
        title=source.title,
        source=source.source,
        published=day,
        annotations=source.annotations,  # the stand-in: the original's entities
        date=DateRange(day, day, "given", ["published"]),
    )
    vector = original.vector + rng.normal(0.0, VECTOR_NOISE, len(original.vector))
    return article, (vector / np.linalg.norm(vector)).astype(np.float32)


def perturbed_text(source: Article, copy: int, rng: np.random.Generator) -> tuple[str, str]:
    """Return copy ``copy`` (>= 1) of an article's text and publication day: sentences
    shuffled, one word in ten dropped, the day moved ``copy`` years on."""
    sentences = re.split(r"(?<=[.!?])\s+", source.text)
    rng.shuffle(sentences)
    words = " ".join(sentences).split(" ")
    keep = rng.random(len(words)) >= WORD_DROPOUT
    text = " ".join(w for w, k in zip(words, keep, strict=True) if k) or source.text
    return text, _years_on(source.published or "", copy)


def _years_on(day: str, years: int) -> str:
    when = dt.date.fromisoformat(day)
    try:
        return when.replace(year=when.year + years).isoformat()
    except ValueError:  # 29 February
        return when.replace(year=when.year + years, day=28).isoformat()


def _write(store: Store, batch: Sequence[tuple[Article, NDArray[np.float32]]]) -> None:
    if not batch:
        return
    articles = [a for a, _ in batch]
    store.add_articles(articles)
    store.save_dates(articles)
    store.save_embeddings(
        MiniLMOnnx.model_id, [a.id for a in articles], np.array([v for _, v in batch])
    )
    store.save_placement_features([features_of(a) for a in articles])


def _event(name: str, members: Sequence[Article]) -> Event:
    first = members[0]
    days = sorted(a.published for a in members if a.published)
    span = DateRange(days[0] if days else None, days[-1] if days else None, "range")
    return Event(
        name, first.title or first.text[:80], [a.id for a in members], span, published=span
    )


def _add_held_out(store: Store, held: Sequence[Original], stored_events: set[str]) -> None:
    """Add the held-out originals as new articles; their meta says where cluster() put them:
    in an event with stored members, or in one whose only members are held out."""
    articles = []
    for original in held:
        article = original.article
        label = f"{original.event}~0"
        article.meta = {"bench_event": label, "bench_event_stored": label in stored_events}
        articles.append(article)
    store.add_articles(articles)
    store.save_annotations(articles)
    store.save_dates(articles)
    vectors = np.array([o.vector for o in held])
    store.save_embeddings(MiniLMOnnx.model_id, [a.id for a in articles], vectors)


def measure(db: Path) -> dict[str, Any]:
    """Return placement latencies and memory: load the index, then place the new articles
    one at a time in publication order, adding each to the index and the store."""
    store = Store(str(db))
    rss_before = _rss_mb()
    began = time.perf_counter()
    index = PlacementIndex.load(store)
    load_seconds = time.perf_counter() - began
    rss_loaded = _rss_mb()
    placed_ids = store.article_events()
    new = sorted(
        store.articles([i for i in store.article_ids() if i not in placed_ids]),
        key=reading_order,
    )
    vectors = store.load_embeddings(MiniLMOnnx.model_id, [a.id for a in new])
    timings: dict[str, list[float]] = {}
    agree = wider_agree = 0
    fresh: dict[str, str] = {}
    for article in new:
        placed, wider, event, spent = _place_one(index, store, article, vectors[article.id])
        for key, ms in spent.items():
            timings.setdefault(key, []).append(ms)
        wider_agree += wider == placed.event
        label = article.meta["bench_event"]
        expected = label if article.meta["bench_event_stored"] else fresh.get(label)
        agree += placed.event == expected
        if not article.meta["bench_event_stored"]:
            fresh.setdefault(label, event)
    return {
        "indexed_articles": len(index) - len(new),
        "placed": len(new),
        "load_seconds": round(load_seconds, 2),
        "latency_ms": {key: _summary(values) for key, values in timings.items()},
        "same_event_as_cluster": round(agree / max(len(new), 1), 3),
        "same_event_with_4x_candidates": round(wider_agree / max(len(new), 1), 3),
        "rss_mb": {"before_load": rss_before, "after_load": rss_loaded, "peak": _peak_rss_mb()},
    }


def _place_one(
    index: PlacementIndex, store: Store, article: Article, vector: NDArray[np.float32]
) -> tuple[Placement, str | None, str, dict[str, float]]:
    """Return the placement, the event chosen with 4x the candidates, the event the article
    went to and the milliseconds spent; add it to the index and its features to the store."""
    t0 = time.perf_counter()
    features = features_of(article)
    t1 = time.perf_counter()
    placed = index.place(article, vector, features)
    t2 = time.perf_counter()
    t3 = time.perf_counter()
    # the same article as if its day were unknown: candidates from the whole store
    index.place(article, vector, replace(features, day=None))
    t4 = time.perf_counter()
    wider = index.place(article, vector, features, candidates=4 * CANDIDATE_ARTICLES).event
    event = placed.event or event_id([article])
    t5 = time.perf_counter()
    store.save_placement_features([index.add(article, vector, event, features)])
    t6 = time.perf_counter()
    spent = {
        "features": t1 - t0,
        "place": t2 - t1,
        "total": t2 - t0,
        "place_if_undated": t4 - t3,
        "add": t6 - t5,
    }
    return placed, wider, event, {key: 1000 * seconds for key, seconds in spent.items()}


def _summary(values: Sequence[float]) -> dict[str, float]:
    p50, p95 = np.percentile(values, [50, 95]) if values else (0.0, 0.0)
    return {
        "p50": round(float(p50), 2),
        "p95": round(float(p95), 2),
        "max": round(max(values, default=0.0), 2),
    }


def _rss_mb() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return round(pages * resource.getpagesize() / 2**20, 1)


def _peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # KiB on Linux


def main(argv: Sequence[str] | None = None) -> None:
    """Build the store (once; it is kept in the work folder), measure in a fresh process,
    print the results and write them as JSON."""
    parser = argparse.ArgumentParser(prog="python -m tools.bench_placement")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--work", type=Path, default=Path("build/bench-placement"))
    parser.add_argument("--t17", type=Path, default=T17)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return
    db = args.work / f"store-{args.articles}-seed{args.seed}.db"
    facts = db.with_suffix(".json")
    if not db.exists():
        began = time.perf_counter()
        originals = prepare_originals(args.t17, args.work)
        partial = db.with_suffix(".partial")
        for leftover in args.work.glob(partial.name + "*"):
            leftover.unlink()
        built = build_store(partial, originals, args.articles, args.seed)
        partial.rename(db)
        built["build_seconds"] = round(time.perf_counter() - began, 1)
        facts.write_text(json.dumps(built))
    built = json.loads(facts.read_text()) if facts.exists() else {}
    command = [sys.executable, "-m", "tools.bench_placement", "--measure", str(db.resolve())]
    root = Path(__file__).resolve().parents[1]  # where `tools` is importable from
    done = subprocess.run(command, check=True, capture_output=True, text=True, cwd=root)
    result = {"store": str(db), "build": built, **json.loads(done.stdout.splitlines()[-1])}
    print(json.dumps(result, indent=2))
    if args.out:
        args.out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
