"""When an event happened: the days its articles give for the happening, kept apart from
the days the articles were published.

News dates the happening in its opening sentences ("arrived in Beijing on Tuesday",
"on Wednesday, October 18"), relative to when the piece was written. Each member article
votes for the days its lede names, resolved against its own publication day; the days
most articles agree on are the event's date. Where no lede names a day, the event keeps
its publication span, marked as such.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date

from storyline.models import Article, DateRange, Event, iso_day, known_day
from storyline.temporal.timexes import find_timexes

# The happening is dated in the first sentences of a report; later ones give background.
LEDE_SENTENCES = 3
LEDE_CHARS = 800  # used when an article has no sentence boundaries
# A day this long before publication is background ("in February 2022"); this long after is
# a plan ("the summit in June"). Chosen for daily news; a weekly's "last month" falls outside.
MAX_DAYS_BEFORE = 30
MAX_DAYS_AFTER = 10
# Days within this many days of the best-supported one, with at least this share of its
# support, are the same multi-day happening (a two-day visit, a summit's opening and close).
SPAN_DAYS = 3
SPAN_SHARE = 0.5


def _lede(article: Article) -> tuple[str, list[int]]:
    """Return the article's opening text and where each of its sentences starts."""
    spans = article.annotations.sentences[:LEDE_SENTENCES] if article.annotations else []
    if not spans:
        return article.text[:LEDE_CHARS], [0]
    return article.text[: spans[-1][1]], [start for start, _ in spans]


def _votes(article: Article) -> list[tuple[date, float, str]]:
    """Return the days an article's lede names for the happening, weighted by position."""
    ref = known_day(article)
    text, starts = _lede(article)
    out = []
    for timex in find_timexes(text, ref):
        day = iso_day(timex.value) if timex.type in ("DATE", "TIME") else None
        if day is None:
            continue
        if ref and not (-MAX_DAYS_BEFORE <= (day - ref).days <= MAX_DAYS_AFTER):
            continue
        sentence = sum(1 for s in starts if s <= timex.start) - 1
        out.append((day, 1.0 / (1 + max(sentence, 0)), timex.text))
    return out


def event_time(event: Event, articles: Mapping[str, Article]) -> DateRange:
    """Return when the event happened, with the words that say so as evidence."""
    support: dict[date, float] = defaultdict(float)
    said: dict[date, list[str]] = defaultdict(list)
    for article_id in event.articles:
        article = articles[article_id]
        for day, weight, words in _votes(article):
            support[day] += weight
            said[day].append(f"{words!r} in {article_id}")
    if not support:
        return _published_fallback(event)
    best, top = max(support.items(), key=lambda kv: (kv[1], kv[0]))
    days = sorted(
        d for d, w in support.items() if abs((d - best).days) <= SPAN_DAYS and w >= SPAN_SHARE * top
    )
    evidence = [f"{d.isoformat()}: " + "; ".join(dict.fromkeys(said[d])) for d in days]
    start, end = days[0].isoformat(), days[-1].isoformat()
    return DateRange(start, end, "day" if start == end else "range", evidence)


def _published_fallback(event: Event) -> DateRange:
    published = event.published
    if published is None or not (published.start or published.end):
        return DateRange(None, None, "unknown", ["neither the articles nor their dates say when"])
    return DateRange(
        published.start,
        published.end,
        "range",
        ["no opening sentence names the day: the span of its articles' publication dates"],
    )
