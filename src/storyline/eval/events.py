"""Event clustering benchmark: group a labelled file of articles, score against the labels.

Input: JSONL, one article a line with ``id``, ``title``, ``text``, ``published`` (may be
null), ``source``, ``url`` and ``event`` (the gold label), as ../shared/bench/events.
The articles go through storyline's own stages (clean, annotate, date, embed) and are
grouped in one go or, with ``incremental``, batch by batch in time order as a store would
receive them. Two baselines a user might pick instead run on the same articles: TF-IDF
with average-link agglomerative clustering, and BERTopic-style sentence embeddings with
HDBSCAN.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.cluster import HDBSCAN
from sklearn.feature_extraction.text import TfidfVectorizer

from ..errors import InputError
from ..models import Article, RawDoc, reading_order
from ..stages.annotate import AnnotateOptions, annotate
from ..stages.clean.article import clean
from ..stages.cluster.grouping import ClusterOptions, Grouping, average_link, cluster
from ..stages.dating.text import date_article
from ..stages.embed import MiniLMOnnx, embed_articles
from . import jsonl_rows
from .metrics import bcubed, pairwise

# Incremental runs receive the articles in this many batches, earliest first.
INCREMENTAL_BATCHES = 8
# The TF-IDF baseline is given its best threshold on ECB+ dev (swept 0.10-0.40 by 0.02:
# B-cubed F1 peaks at 0.871 at 0.16), so that it is compared at its strongest.
TFIDF_BASELINE_THRESHOLD = 0.16
# HDBSCAN's smallest cluster: two articles make an event; noise points stay alone.
HDBSCAN_MIN_CLUSTER = 2


@dataclass
class _Labelled:
    articles: list[Article]
    gold: list[str]
    seconds: dict[str, float] = field(default_factory=dict)


def evaluate_events(
    path: Path, incremental: bool = False, baselines: bool = True, processes: int = 2
) -> dict[str, Any]:
    """Return clustering quality and speed on a labelled JSONL file (see the module doc)."""
    data = load_labelled(path)
    vectors = _prepare(data, processes)
    began = time.perf_counter()
    if incremental:
        grouping = cluster_in_batches(data.articles, vectors, ClusterOptions())
    else:
        grouping = cluster(data.articles, vectors, ClusterOptions())
    seconds = time.perf_counter() - began
    scores = score(labels_of(grouping, data.articles), data.gold, seconds)
    scores["mode"] = "incremental" if incremental else "one-shot"
    scores["seconds_by_stage"] = {**data.seconds, "cluster": round(seconds, 2)}
    if incremental:
        # the promise of incremental grouping: as good as grouping everything at once
        once = cluster(data.articles, vectors, ClusterOptions())
        label = {aid: e.id for e in once.events for aid in e.articles}
        scores["one_shot_b3_f1"] = round(
            bcubed([label[a.id] for a in data.articles], data.gold).f1, 4
        )
        scores["incremental_gap"] = round(abs(scores["one_shot_b3_f1"] - scores["b3_f1"]), 4)
    if baselines:
        scores["baselines"] = run_baselines(data, vectors, scores["articles_per_second"])
    return scores


def labels_of(grouping: Grouping, articles: Sequence[Article]) -> list[str]:
    """Return the event id of each article, in order."""
    event = {aid: e.id for e in grouping.events for aid in e.articles}
    return [event[a.id] for a in articles]


def cluster_in_batches(
    articles: Sequence[Article], vectors: NDArray[np.float32], options: ClusterOptions
) -> Grouping:
    """Return the grouping reached by adding the articles in time order, batch by batch."""
    order = sorted(range(len(articles)), key=lambda i: reading_order(articles[i]))
    size = max(1, -(-len(order) // INCREMENTAL_BATCHES))
    grouping = Grouping([], [])
    for end in range(size, len(order) + size, size):
        seen = sorted(order[:end])
        batch = [articles[i] for i in seen]
        grouping = cluster(batch, vectors[seen], options, previous=grouping)
    return grouping


def score(
    predicted: Sequence[Hashable], gold: Sequence[Hashable], seconds: float
) -> dict[str, Any]:
    """Return B-cubed and pairwise precision/recall/F1, counts and speed."""
    b3, pw = bcubed(predicted, gold), pairwise(predicted, gold)
    return {
        "b3_precision": round(b3.precision, 4),
        "b3_recall": round(b3.recall, 4),
        "b3_f1": round(b3.f1, 4),
        "pairwise_precision": round(pw.precision, 4),
        "pairwise_recall": round(pw.recall, 4),
        "pairwise_f1": round(pw.f1, 4),
        "n_articles": len(gold),
        "n_events_gold": len(set(gold)),
        "n_events_pred": len(set(predicted)),
        "articles_per_second": round(len(gold) / max(seconds, 1e-9), 1),
    }


def run_baselines(
    data: _Labelled, vectors: NDArray[np.float32], ours_per_second: float
) -> dict[str, Any]:
    """Return the two baselines' scores, with their speed relative to storyline's grouping."""
    out = {}
    runs: dict[str, Callable[[], list[int]]] = {
        "tfidf_agglomerative": lambda: tfidf_agglomerative(data.articles),
        "embeddings_hdbscan": lambda: embeddings_hdbscan(vectors),
    }
    for name, run in runs.items():
        began = time.perf_counter()
        labels = run()
        result = score(labels, data.gold, time.perf_counter() - began)
        result["speed_vs_storyline"] = round(result["articles_per_second"] / ours_per_second, 2)
        out[name] = result
    return out


def tfidf_agglomerative(
    articles: Sequence[Article], threshold: float = TFIDF_BASELINE_THRESHOLD
) -> list[int]:
    """Return labels from TF-IDF cosine with average-link clustering (the plain baseline)."""
    return average_link(tfidf_cosines(articles), threshold)


def tfidf_cosines(articles: Sequence[Article]) -> NDArray[np.float64]:
    """Return the plain baseline's TF-IDF cosines (IDF over these articles)."""
    docs = [f"{a.title or ''} {a.text}" for a in articles]
    matrix = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(docs)
    return np.asarray((matrix @ matrix.T).toarray(), dtype=np.float64)


def embeddings_hdbscan(vectors: NDArray[np.float32]) -> list[int]:
    """Return labels from HDBSCAN over normalised sentence embeddings (BERTopic's recipe,
    without its topic-word step); points HDBSCAN calls noise each stand alone."""
    labels = HDBSCAN(min_cluster_size=HDBSCAN_MIN_CLUSTER, copy=True).fit_predict(
        vectors.astype(np.float64)
    )
    top = int(labels.max()) + 1
    return [int(x) if x >= 0 else top + i for i, x in enumerate(labels)]


def load_labelled(path: Path) -> _Labelled:
    """Return the cleaned articles of a labelled JSONL(.gz) file and their gold labels."""
    articles, gold = [], []
    began = time.perf_counter()
    for row, ref in jsonl_rows(path):
        article, label = _row(row, ref)
        articles.append(article)
        gold.append(label)
    if not articles:
        raise InputError(str(path), "no articles in the file")
    return _Labelled(articles, gold, {"clean": round(time.perf_counter() - began, 2)})


def _row(row: dict[str, Any], ref: str) -> tuple[Article, str]:
    text, label = row.get("text"), row.get("event")
    if not isinstance(text, str) or not text.strip():
        raise InputError(ref, "'text' must be a non-empty string")
    if label is None:
        raise InputError(ref, "'event' (the gold label) is missing")
    return article_of(row, ref), str(label)


def article_of(row: dict[str, Any], ref: str) -> Article:
    """Return the cleaned article of a benchmark line (``text`` and the optional ``id``,
    ``title``, ``url``, ``source``, ``published``)."""

    def opt(key: str) -> str | None:
        value = row.get(key)
        return value if isinstance(value, str) and value.strip() else None

    doc = RawDoc(
        ref=opt("id") or ref, text=str(row.get("text") or ""), title=opt("title"),
        url=opt("url"), source=opt("source"), published=opt("published"),
    )  # fmt: skip
    return clean(doc)


def _prepare(data: _Labelled, processes: int) -> NDArray[np.float32]:
    """Annotate, date and embed the articles as the pipeline does; return the vectors."""
    began = time.perf_counter()
    annotated = annotate(data.articles, AnnotateOptions(processes=processes))
    for article, its in zip(data.articles, annotated, strict=True):
        article.annotations = its
    data.seconds["annotate"] = round(time.perf_counter() - began, 2)
    began = time.perf_counter()
    for article in data.articles:
        article.date = date_article(article)
    data.seconds["date"] = round(time.perf_counter() - began, 2)
    began = time.perf_counter()
    vectors = embed_articles(data.articles, MiniLMOnnx())
    data.seconds["embed"] = round(time.perf_counter() - began, 2)
    return vectors
