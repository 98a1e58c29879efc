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
import json
import re
import time
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..models import iso_day
from ..stages.timeline import DatedSentence, build_timeline, happening_days
from ..stages.timexes import find_timexes
from . import jsonl_rows
from .tls_metrics import TimelineScores, mean_scores, score_timeline

Gold = dict[dt.date, list[str]]


def evaluate_timelines(folder: Path, topics: list[str] | None = None) -> dict[str, Any]:
    """Return AR1-F, AR2-F and Date-F1 over the gold timelines of the topics, averaged as
    news-tls does (the F1 of the mean precision and recall, as papers report them), and
    the plain means of the per-timeline F1 under ``mean_of_f``."""
    started = time.perf_counter()
    names = topics or sorted(p.name for p in folder.iterdir() if (p / "timelines.jsonl").exists())
    if not names:
        raise InputError(str(folder), "no topic folders with timelines.jsonl found")
    per_timeline: list[dict[str, Any]] = []
    scored: list[TimelineScores] = []
    for name in names:
        topic_started = time.perf_counter()
        sentences = load_sentences(folder / name / "articles.jsonl.gz")
        keywords = _keywords(folder / name / "keywords.json")
        for number, gold in enumerate(load_gold(folder / name / "timelines.jsonl")):
            scores, per_date = _score_one(sentences, keywords, gold)
            scored.append(scores)
            per_timeline.append({
                "topic": name, "timeline": number, "dates": len(gold), "per_date": per_date,
                "ar1_f": round(scores.ar1_f, 4), "ar2_f": round(scores.ar2_f, 4),
                "date_f1": round(scores.date_f1, 4),
            })  # fmt: skip
        per_timeline[-1]["topic_seconds"] = round(time.perf_counter() - topic_started, 2)
    mean = mean_scores(scored)
    n = len(scored)
    return {
        "ar1_f": round(mean.ar1_f, 4),
        "ar2_f": round(mean.ar2_f, 4),
        "date_f1": round(mean.date_f1, 4),
        "mean_of_f": {
            key: round(sum(getattr(s, key) for s in scored) / n, 4)
            for key in ("ar1_f", "ar2_f", "date_f1")
        },
        "per_timeline": per_timeline,
        "n_timelines": n,
        "seconds": round(time.perf_counter() - started, 2),
    }


def _score_one(
    sentences: list[DatedSentence], keywords: list[str], gold: Gold
) -> tuple[TimelineScores, int]:
    """Return the scores of the timeline built for one gold timeline, and its sentences
    per day: from the articles published within the gold's first and last day, with as
    many days as the gold and its mean sentences per day, rounded."""
    first, last = min(gold), max(gold)
    window = [s for s in sentences if s.published and first <= s.published <= last]
    per_date = max(1, round(sum(len(v) for v in gold.values()) / len(gold)))
    built = build_timeline(window, len(gold), per_date, keywords, (first, last))
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
        text = detokenize(text)
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


# Timeline17 text is Penn-Treebank tokenised ("August 29 , 1958", "-LRB-", "do n't"); put it
# back as written so that dates and words read as they do in any other article.
_BRACKETS = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}",
             "``": '"', "''": '"'}  # fmt: skip
_SPACE_BEFORE = re.compile(r" (?=[,.;:!?%)\]}]|'s\b|'re\b|'ve\b|'ll\b|'d\b|'m\b|n't\b)")
_SPACE_AFTER = re.compile(r"(?<=[(\[{$]) ")


def detokenize(text: str) -> str:
    """Return Penn-Treebank-tokenised text as it was written, line for line."""
    for token, char in _BRACKETS.items():
        text = text.replace(token, char)
    return _SPACE_AFTER.sub("", _SPACE_BEFORE.sub("", text))


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
