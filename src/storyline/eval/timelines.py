"""Timeline summarisation benchmark, news-tls protocol (Ghalandari & Ifrim 2020).

A folder of topics, each a folder with ``articles.jsonl.gz`` (``id``, ``published``,
``text`` one sentence a line), ``timelines.jsonl`` (gold timelines, one a line, as
``[["YYYY-MM-DDT00:00:00", [sentence, ...]], ...]``) and ``keywords.json``. For each gold
timeline: keep the articles published within its first and last day, build a timeline with
as many days as it has and its mean sentences per day (rounded), and score alignment-based
ROUGE-1/2 F1 and Date-F1 (``tls_metrics``, checked against tilse). Scores are means over
gold timelines; ``seconds`` counts everything from reading the raw articles to scoring.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..models import iso_day
from ..stages.clean.tokenised import untokenise
from ..stages.timeline import (
    TUNED,
    TUNING_GRID,
    DatedSentence,
    Tuning,
    build_timeline,
    happening_days,
)
from ..temporal.timexes import find_timexes
from . import jsonl_rows
from .tls_metrics import TimelineScores, mean_scores, score_timeline

Gold = dict[dt.date, list[str]]


@dataclass(frozen=True)
class _Topic:
    """A topic's articles as dated sentences, its keywords and its gold timelines."""

    name: str
    sentences: list[DatedSentence]
    keywords: list[str]
    golds: list[Gold]


@dataclass(frozen=True)
class _Scored:
    """The scores of the timeline built for one gold timeline."""

    topic: str
    number: int
    dates: int
    per_date: int
    scores: TimelineScores


def evaluate_timelines(
    folder: Path, topics: list[str] | None = None, loto: bool = False
) -> dict[str, Any]:
    """Return AR1-F, AR2-F and Date-F1 over the gold timelines of the topics, averaged as
    news-tls does (the F1 of the mean precision and recall, as papers report them), and
    the plain means of the per-timeline F1 under ``mean_of_f``. These are in-sample: the
    tuned constants (timeline.Tuning) were set on these topics. With loto, also the same
    figures leave-one-topic-out (``loto_*``): for each topic, the constants the grid
    TUNING_GRID scores best (AR1-F) on the other topics, scored on it."""
    started = time.perf_counter()
    names = topics or sorted(p.name for p in folder.iterdir() if (p / "timelines.jsonl").exists())
    if not names:
        raise InputError(str(folder), "no topic folders with timelines.jsonl found")
    if loto and len(names) < 2:
        raise InputError(str(folder), "leave-one-topic-out needs two topics or more")
    loaded: list[_Topic] = []
    tuned: list[_Scored] = []
    per_timeline: list[dict[str, Any]] = []
    for name in names:
        topic_started = time.perf_counter()
        loaded.append(_load_topic(folder / name))
        scored = _score_topic(loaded[-1], TUNED)
        tuned += scored
        per_timeline += [_row(s) for s in scored]
        if scored:
            per_timeline[-1]["topic_seconds"] = round(time.perf_counter() - topic_started, 2)
    out = _figures(tuned)
    out["per_timeline"] = per_timeline
    if loto:
        out.update(_leave_one_topic_out(loaded, tuned))
    out["seconds"] = round(time.perf_counter() - started, 2)
    return out


def _figures(scored: list[_Scored]) -> dict[str, Any]:
    """Return the news-tls averages of some timelines' scores, and the plain means."""
    mean = mean_scores([s.scores for s in scored])
    n = len(scored)
    return {
        "ar1_f": round(mean.ar1_f, 4),
        "ar2_f": round(mean.ar2_f, 4),
        "date_f1": round(mean.date_f1, 4),
        "mean_of_f": {
            key: round(sum(getattr(s.scores, key) for s in scored) / n, 4)
            for key in ("ar1_f", "ar2_f", "date_f1")
        },
        "n_timelines": n,
    }


def _row(scored: _Scored) -> dict[str, Any]:
    s = scored.scores
    return {
        "topic": scored.topic, "timeline": scored.number, "dates": scored.dates,
        "per_date": scored.per_date, "ar1_f": round(s.ar1_f, 4), "ar2_f": round(s.ar2_f, 4),
        "date_f1": round(s.date_f1, 4),
    }  # fmt: skip


def _leave_one_topic_out(topics: list[_Topic], tuned: list[_Scored]) -> dict[str, Any]:
    """Return the figures of each topic scored with the constants of the grid that do
    best (AR1-F) on the other topics, averaged over all their timelines as news-tls does,
    and what each fold chose. Every grid point is scored once on every topic; a fold only
    chooses among them."""
    grid = [Tuning(**dict(zip(TUNING_GRID, values, strict=True)))
            for values in itertools.product(*TUNING_GRID.values())]  # fmt: skip
    grid.sort(key=lambda t: t != TUNED)  # on a tie, the shipped constants
    results = {t: tuned if t == TUNED else [s for p in topics for s in _score_topic(p, t)]
               for t in grid}  # fmt: skip
    held: list[_Scored] = []
    folds = []
    for topic in topics:

        def on_the_others(t: Tuning, name: str = topic.name) -> float:
            return mean_scores([s.scores for s in results[t] if s.topic != name]).ar1_f

        best = max(grid, key=on_the_others)
        fold = [s for s in results[best] if s.topic == topic.name]
        held += fold
        figures = _figures(fold)
        folds.append({"held_out": topic.name, "tuning": asdict(best),
                      **{k: figures[k] for k in ("ar1_f", "ar2_f", "date_f1")}})  # fmt: skip
    figures = _figures(held)
    return {
        "loto_ar1_f": figures["ar1_f"],
        "loto_ar2_f": figures["ar2_f"],
        "loto_date_f1": figures["date_f1"],
        "loto": {"objective": "ar1_f", "grid": TUNING_GRID, "folds": folds},
    }


def _load_topic(folder: Path) -> _Topic:
    return _Topic(
        folder.name,
        load_sentences(folder / "articles.jsonl.gz"),
        _keywords(folder / "keywords.json"),
        load_gold(folder / "timelines.jsonl"),
    )


def _score_topic(topic: _Topic, tuning: Tuning) -> list[_Scored]:
    """Return the scores of the timelines built for each of a topic's gold timelines."""
    out = []
    for number, gold in enumerate(topic.golds):
        scores, per_date = _score_one(topic.sentences, topic.keywords, gold, tuning)
        out.append(_Scored(topic.name, number, len(gold), per_date, scores))
    return out


def _score_one(
    sentences: list[DatedSentence], keywords: list[str], gold: Gold, tuning: Tuning = TUNED
) -> tuple[TimelineScores, int]:
    """Return the scores of the timeline built for one gold timeline, and its sentences
    per day: from the articles published within the gold's first and last day, with as
    many days as the gold and its mean sentences per day, rounded."""
    first, last = min(gold), max(gold)
    window = [s for s in sentences if s.published and first <= s.published <= last]
    per_date = max(1, round(sum(len(v) for v in gold.values()) / len(gold)))
    built = build_timeline(window, len(gold), per_date, keywords, (first, last), tuning=tuning)
    predicted = {dt.date.fromisoformat(e.date): [s.text for s in e.sentences] for e in built}
    return score_timeline(predicted, gold), per_date


def load_sentences(path: Path) -> list[DatedSentence]:
    """Return the sentences of a topic's articles (one a line), with the days they name,
    resolved against each article's publication day."""
    out = []
    for row, ref in jsonl_rows(path):
        text, published = row.get("text"), iso_day(str(row.get("published", ""))[:10])
        if not isinstance(text, str) or published is None:
            raise InputError(ref, "each article needs `text` and a `published` day")
        text = untokenise(text)  # Timeline17 is Penn-Treebank tokenised: read it as printed
        aid = str(row.get("id", ref))
        days_at = happening_days(text, find_timexes(text, published))
        start, position = 0, 0
        for line in text.split("\n"):
            end = start + len(line)
            if line.strip():
                days = sorted({d for pos, d in days_at if start <= pos < end})
                out.append(DatedSentence(aid, start, end, line, published, days,
                                         str(row.get("source", "")), position))  # fmt: skip
                position += 1
            start = end + 1
    return out


def load_gold(path: Path) -> list[Gold]:
    """Return the gold timelines of a topic: sentences by day."""
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            items = json.loads(line)
            gold = {dt.date.fromisoformat(d[:10]): list(s) for d, s in items}
        except (ValueError, TypeError) as exc:
            raise InputError(f"{path}:{number}", f"not a timeline: {exc}") from exc
        if gold:
            out.append(gold)
    return out


def _keywords(path: Path) -> list[str]:
    try:
        words = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(str(path), f"cannot read the topic's keywords: {exc}") from exc
    return [str(w).lower() for w in words]
