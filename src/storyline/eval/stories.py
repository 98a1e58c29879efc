"""Storyline benchmark: do storylines gather a long story, and only it?

Input: a folder of topics laid out as Timeline17 (``<topic>/articles.jsonl.gz``, each line
``id``, ``published``, ``source``, ``text``), whose topic names are the gold stories, or
one JSONL(.gz) file whose lines carry the gold story as ``story`` (or ``topic``). Every
article goes through storyline's own stages (clean, annotate, date, embed, group), all in
one store's worth, and the storylines are scored against the stories: B-cubed precision,
recall and F1 over articles, how many storylines, and the share of them that hold a single
article. A peer runs on the same articles: TF-IDF cosine with average linkage, at the
threshold that suits it best on these very labels (chosen from PEER_THRESHOLDS, reported).
``per_topic`` keeps a seeded sample of that many articles a story, for a quicker run.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Hashable, Sequence
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..models import Article
from ..stages.cluster.grouping import ClusterOptions, average_link, cluster
from . import jsonl_rows
from .events import _Labelled, _prepare, article_of, tfidf_cosines
from .metrics import bcubed

# The peer's storyline thresholds tried (TF-IDF cosine, average linkage); its best is kept.
PEER_THRESHOLDS = (0.02, 0.04, 0.06, 0.08, 0.10, 0.15, 0.20)


def evaluate_stories(
    path: Path, per_topic: int | None = None, seed: int = 0, processes: int = 2
) -> dict[str, Any]:
    """Return storyline quality against gold stories, beside the peer (module doc)."""
    began = time.perf_counter()
    data = load_stories(path, per_topic, seed)
    vectors = _prepare(data, processes)
    grouped = time.perf_counter()
    grouping = cluster(data.articles, vectors, ClusterOptions())
    event_of = {aid: e.id for e in grouping.events for aid in e.articles}
    story_of = {eid: s.id for s in grouping.stories for eid in s.events}
    ids = [a.id for a in data.articles]
    scores = _score([story_of[event_of[i]] for i in ids], data.gold)
    scores["events"] = len(grouping.events)
    scores["seconds_by_stage"] = {
        **data.seconds,
        "group": round(time.perf_counter() - grouped, 2),
    }
    scores["peer_tfidf_average_link"] = _peer(data.articles, data.gold)
    scores["n_articles"] = len(ids)
    scores["n_stories_gold"] = len(set(data.gold))
    scores["seconds"] = round(time.perf_counter() - began, 2)
    return scores


def _score(predicted: Sequence[Hashable], gold: Sequence[Hashable]) -> dict[str, Any]:
    b3 = bcubed(predicted, gold)
    sizes = Counter(predicted)
    return {
        "b3_precision": round(b3.precision, 4),
        "b3_recall": round(b3.recall, 4),
        "b3_f1": round(b3.f1, 4),
        "storylines": len(sizes),
        "single_article_share": round(sum(1 for n in sizes.values() if n == 1) / len(sizes), 4),
    }


def _peer(articles: Sequence[Article], gold: Sequence[str]) -> dict[str, Any]:
    """Return the peer's scores at its best threshold on these labels."""
    sim = tfidf_cosines(articles)
    runs = [(t, _score(average_link(sim, t), gold)) for t in PEER_THRESHOLDS]
    threshold, best = max(runs, key=lambda run: run[1]["b3_f1"])
    return {**best, "threshold": threshold}


def load_stories(path: Path, per_topic: int | None, seed: int) -> _Labelled:
    """Return the cleaned articles and their gold stories (module doc)."""
    rows: list[tuple[dict[str, Any], str, str]] = []
    if path.is_dir():
        topics = sorted(p for p in path.iterdir() if (p / "articles.jsonl.gz").exists())
        if not topics:
            raise InputError(str(path), "no <topic>/articles.jsonl.gz folders found")
        for topic in topics:
            rows += [(r, ref, topic.name) for r, ref in jsonl_rows(topic / "articles.jsonl.gz")]
    else:
        for row, ref in jsonl_rows(path):
            label = row.get("story", row.get("topic"))
            if label is None:
                raise InputError(ref, "'story' (or 'topic', the gold label) is missing")
            rows.append((row, ref, str(label)))
    rows = _sample(rows, per_topic, seed)
    began = time.perf_counter()
    articles, gold = [], []
    for row, ref, label in rows:
        article = _article(row, ref)
        if article is not None:
            articles.append(article)
            gold.append(label)
    if not articles:
        raise InputError(str(path), "no articles with text")
    return _Labelled(articles, gold, {"clean": round(time.perf_counter() - began, 2)})


def _sample(
    rows: list[tuple[dict[str, Any], str, str]], per_topic: int | None, seed: int
) -> list[tuple[dict[str, Any], str, str]]:
    if per_topic is None:
        return rows
    by_label: dict[str, list[int]] = {}
    for i, (_, _, label) in enumerate(rows):
        by_label.setdefault(label, []).append(i)
    rng = random.Random(seed)
    keep = sorted(i for idx in by_label.values() for i in rng.sample(idx, min(per_topic, len(idx))))
    return [rows[i] for i in keep]


def _article(row: dict[str, Any], ref: str) -> Article | None:
    text = row.get("text")
    if not isinstance(text, str) or not text.strip():
        return None
    article = article_of(row, ref)
    return article if article.text.strip() else None
