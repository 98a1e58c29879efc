"""Dating an article from its event-mates (corpus mode): the days the mates were published,
weighed against the article's own date clues.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

import numpy as np

from ..models import Article, DateRange
from .dating import (
    FUTURE,
    PAST,
    UNKNOWN,
    Bounds,
    Clue,
    clues,
    date_article,
    date_from_text,
    first_day_after,
    safe_date,
    stamp_day,
    text_bounds,
)

# --- Corpus mode -------------------------------------------------------------------------

# How likely each clue is, given the publication day, as shares of clues by the gap
# (published minus the day the clue names). Measured on Timeline17 bpoil and haiti and
# rounded (checked on egypt, finan and mj, whose shares are alike but for datelines).
# Bare weekdays: gap 0-6 days back to the weekday named, by tense.
_WEEKDAY_SHARES = {
    PAST: (0.33, 0.32, 0.13, 0.07, 0.05, 0.05, 0.06),
    UNKNOWN: (0.24, 0.19, 0.08, 0.07, 0.08, 0.14, 0.20),
    FUTURE: (0.36, 0.06, 0.03, 0.04, 0.09, 0.16, 0.26),
}
# In a text that also says "yesterday", a weekday named as past is seldom today or
# yesterday: the writer would have said so.
_WEEKDAY_SHARES_BESIDE_YESTERDAY = (0.11, 0.22, 0.30, 0.16, 0.08, 0.08, 0.06)
# Dated clues: shares at gaps -7..7 days, then the shares beyond a week ahead and a week
# back, each spread over TAIL_DAYS days.
_NEAR: dict[str, tuple[dict[int, float], float, float]] = {
    "stamp": ({0: 0.96, 1: 0.02, 2: 0.01}, 0.002, 0.01),
    # A page stamp lower down (comments, "posted at") comes on or after publication.
    "posted": ({-4: 0.03, -3: 0.05, -2: 0.07, -1: 0.2, 0: 0.4, 1: 0.01}, 0.1, 0.07),
    "full": ({-1: 0.03, 0: 0.23, 1: 0.08, 2: 0.03, 3: 0.01, 4: 0.01}, 0.02, 0.5),
    "monthday": ({0: 0.03, 1: 0.04, 2: 0.03, 3: 0.01, 4: 0.01, 5: 0.01, 6: 0.01}, 0.15, 0.65),
    "monthday_ahead": ({-5: 0.04, -2: 0.02, -1: 0.02, 0: 0.03, 1: 0.02, 2: 0.02}, 0.4, 0.4),
    "weekday_date": ({-1: 0.05, 0: 0.45, 1: 0.1, 2: 0.08}, 0.15, 0.1),
    # Too few in Timeline17 to measure, so set by hand: a weekday-date ahead ("scheduled for
    # Wednesday, October 18") is most often a day or two off, within the week.
    "weekday_date_ahead": (
        {-6: 0.04, -5: 0.05, -4: 0.06, -3: 0.08, -2: 0.12, -1: 0.2, 0: 0.15, 1: 0.02},
        0.2,
        0.05,
    ),
    # A dateline names the day of writing: the web page appears that day, a print edition
    # (datelines with a dash, "CITY, Oct. 7 --") often the next.
    "dateline": ({0: 0.9, 1: 0.03}, 0.01, 0.05),
    "dateline_print": ({0: 0.45, 1: 0.45}, 0.01, 0.05),
}
TAIL_DAYS = 90
_FLOOR = 0.002  # share given to a gap never seen, so that no one clue can veto a day
# A year or month the text surely speaks of as past, yet after the day: as rare as this.
_PAST_AFTER_SHARE = 0.02

# Each candidate day is scored by a weighted sum of log-likelihoods: the mates' dates
# spread over nearby days at two scales (an event's reports come out over a day or two,
# its follow-ups over a week) and each kind of the article's own clues. The weights were
# fitted (conditional logit over the candidate days, L2 = 1) on Timeline17 bpoil and haiti
# with mates as in storyline.eval.dating, and checked on egypt, finan and mj, where they
# gained 0.5-3 points of exact-day over equal weights.
MATE_SCALES_DAYS = {1.0: 0.81, 4.0: 0.33}  # scale: weight
CLUE_WEIGHTS = {
    "weekday_past": 1.06,
    "weekday_unknown": 0.49,
    "weekday_future": 0.77,
    "monthday": 0.51,
    "weekday_date": 0.47,
    "dateline": 1.33,
    "stamp": 1.14,
    "posted": 0.93,
    "full": 1.05,
    "bound": 0.7,  # years, months and stamps the day cannot pass: rare, so not fitted
}
# Candidate days reach this far beyond the mates' dates and the days the clues name.
MATE_PAD_DAYS = 10
MAX_WINDOW_DAYS = 800
MATE_UNIFORM = 0.2  # share of the mates' prior spread evenly: mates may all be wrong
# Mates come most similar first; each weighs this much less than the one before (tuned
# with the mates' number in storyline.eval.dating, on bpoil and haiti).
MATE_RANK_DECAY = 0.7
# A day is given when it holds this share of the scores (about 1% of Timeline17 articles
# fall below) and either a clue of the article's own favours it or MIN_AGREEING_MATES mates
# were published within MATE_AGREE_DAYS of it; else the range around it holding RANGE_MASS.
# One mate's date is no proof: on bpoil the days this withholds were right 1 time in 10.
DAY_MIN_MASS = 0.1
MIN_AGREEING_MATES = 2
MATE_AGREE_DAYS = 3
RANGE_MASS = 0.9
# A clue favours a day when its log-likelihood ratio there is above this (a past weekday
# named the same day or the day before scores 0.8; a month-day one day before, 1.3).
SUPPORT_LOGLIK = 0.5


def refine_with_mates(article: Article, mates: Sequence[Article]) -> DateRange:
    """Return the article's date narrowed by its event-mates' dates and its own clues.

    ``mates`` are articles about the same happening, most similar first; each one's date
    is its ``date`` if set, else its given or text-inferred date. A mate with no closed
    range is first read against this article's own range ("Wednesday, October 18" in a
    mate finds its year there); mates with only open bounds lend those. A given date wins.
    """
    if article.published:
        return date_article(article)
    own = date_from_text(article)
    own_span = _closed(own)
    spans: _Spans = []
    for mate in mates:
        span = _closed(mate.date if mate.date is not None else date_article(mate))
        if span is None and own_span is not None:
            span = _closed(_refine(mate, [(article, own_span)]))
        if span is not None:
            spans.append((mate, span))
    return _refine(article, spans) if spans else _bounded_by_mates(article, own, mates)


_Spans = list[tuple[Article, tuple[dt.date, dt.date]]]


def _closed(date: DateRange) -> tuple[dt.date, dt.date] | None:
    if date.start is None or date.end is None:
        return None
    lo, hi = dt.date.fromisoformat(date.start[:10]), dt.date.fromisoformat(date.end[:10])
    return (lo, hi) if lo <= hi else None


def _refine(article: Article, spans: _Spans) -> DateRange:
    """Return the day (or range) the mates' dated spans and the article's clues score best."""
    days = _window([s for _, s in spans], clues(article))
    score = _text_loglik(article, days)
    for scale, weight in MATE_SCALES_DAYS.items():
        score += weight * np.log(_mate_prior(days, [s for _, s in spans], scale))
    post = np.exp(score - score.max())
    post /= post.sum()
    best = int(np.argmax(post))
    support = _supporting(article, days[best])
    near = [
        lo for _, (lo, hi) in spans if lo == hi and abs((lo - days[best]).days) <= MATE_AGREE_DAYS
    ]
    evidence = [_mates_note(spans), *support]
    if post[best] >= DAY_MIN_MASS and (support or len(near) >= MIN_AGREEING_MATES):
        return DateRange(days[best].isoformat(), days[best].isoformat(), "day", evidence)
    lo, hi = _mass_interval(post, best)
    low, high = days[lo], days[hi]
    own = text_bounds(article, clues(article))
    if (own.low and own.low > high) or (own.high and own.high < low):
        # mates that the text rules out are not this article's event-mates after all
        return date_from_text(article)
    low, high = max(low, own.low or low), min(high, own.high or high)
    return DateRange(low.isoformat(), high.isoformat(), "range", [*evidence, *own.evidence()])


def _bounded_by_mates(article: Article, own: DateRange, mates: Sequence[Article]) -> DateRange:
    """Return the article's own range tightened by the mates' open bounds: reports of one
    happening come out within days, so a bound on one is a bound on all (near enough)."""
    bounds = Bounds(
        dt.date.fromisoformat(own.start) if own.start else None,
        dt.date.fromisoformat(own.end) if own.end else None,
    )
    evidence = list(own.evidence) if own.certainty != "unknown" else []
    for mate in mates:
        date = mate.date if mate.date is not None else date_article(mate)
        name = mate.title or mate.id
        if date.start and bounds.holds(first := dt.date.fromisoformat(date.start[:10])):
            bounds.raise_low(first, f"event-mate {name} was published on or after {first}")
        if date.end and bounds.holds(last := dt.date.fromisoformat(date.end[:10])):
            bounds.lower_high(last, f"event-mate {name} was published on or before {last}")
    if bounds.low is None and bounds.high is None:
        return own
    low = bounds.low.isoformat() if bounds.low else None
    high = bounds.high.isoformat() if bounds.high else None
    reasons = [*bounds.evidence(), *(e for e in evidence if e not in bounds.evidence())]
    return DateRange(low, high, "day" if low and low == high else "range", reasons[:4])


def _mates_note(spans: _Spans) -> str:
    shown = [f"{m.title or m.id} ({lo}{'' if lo == hi else f'..{hi}'})" for m, (lo, hi) in spans]
    more = f" and {len(shown) - 5} more" if len(shown) > 5 else ""
    return f"event-mates dated {', '.join(shown[:5])}{more}"


def _window(spans: list[tuple[dt.date, dt.date]], cl: tuple[Clue, ...]) -> list[dt.date]:
    """Return the candidate days: around the mates' dates and the days the clues name."""
    lo = min(s[0] for s in spans) - dt.timedelta(MATE_PAD_DAYS)
    hi = max(s[1] for s in spans) + dt.timedelta(MATE_PAD_DAYS)
    for c in cl:
        if c.month is None or c.day is None or (c.kind == "monthday" and c.weekday is None):
            continue  # a bare month-day ("April 20") is as often long past as recent
        for y in [c.year] if c.year else range(lo.year - 1, hi.year + 2):
            day = safe_date(y, c.month, c.day)
            if day and (c.weekday is None or day.weekday() == c.weekday):
                lo, hi = min(lo, day - dt.timedelta(2)), max(hi, day + dt.timedelta(MATE_PAD_DAYS))
    if (hi - lo).days > MAX_WINDOW_DAYS:
        lo = spans[0][0] - dt.timedelta(MAX_WINDOW_DAYS // 2)
        hi = lo + dt.timedelta(MAX_WINDOW_DAYS)
    return [lo + dt.timedelta(n) for n in range((hi - lo).days + 1)]


def _mate_prior(
    days: list[dt.date], spans: list[tuple[dt.date, dt.date]], scale: float
) -> np.ndarray:
    """Return each day's prior from the mates' dates, the most similar mates weighing most."""
    ords = np.array([d.toordinal() for d in days], dtype=float)
    prior = np.zeros(len(days))
    for rank, (lo, hi) in enumerate(spans):
        if lo == hi:
            weights = np.exp(-np.abs(ords - lo.toordinal()) / scale)
        else:
            weights = ((ords >= lo.toordinal()) & (ords <= hi.toordinal())).astype(float)
        if weights.sum() > 0:
            prior += MATE_RANK_DECAY**rank * weights / weights.sum()
    prior /= max(prior.sum(), 1e-12)
    return np.asarray((1 - MATE_UNIFORM) * prior + MATE_UNIFORM / len(days))


def _text_loglik(article: Article, days: list[dt.date]) -> np.ndarray:
    """Return, per candidate day, the weighted log-likelihood of the article's own clues."""
    ords = np.array([d.toordinal() for d in days])
    weekdays = np.array([d.weekday() for d in days])
    cl = clues(article)
    yesterday = any(c.kind == "dayword" and c.text.lower() == "yesterday" for c in cl)
    total = np.zeros(len(days))
    for c in _distinct(cl):
        if (group := _group(c)) is not None:
            total += CLUE_WEIGHTS[group] * _clue_loglik(c, ords, weekdays, yesterday)
    stamp = article.meta.get("updated_stamp")
    if isinstance(stamp, str) and (day := stamp_day(stamp)):
        late = np.where(ords > day.toordinal(), math.log(_PAST_AFTER_SHARE), 0.0)
        total += CLUE_WEIGHTS["bound"] * late
    return total


def _group(c: Clue) -> str | None:
    """Return the clue's weight group in CLUE_WEIGHTS (None: the clue is not scored)."""
    if c.kind == "weekday":
        return "weekday_" + {PAST: "past", UNKNOWN: "unknown", FUTURE: "future"}[c.tense]
    if c.kind == "monthday":
        return "weekday_date" if c.weekday is not None else "monthday"
    if c.kind in ("dateline", "dateline_print"):
        return "dateline"
    if c.kind in ("year", "month"):
        return "bound"
    return c.kind if c.kind in ("stamp", "posted", "full") else None


def _distinct(cl: tuple[Clue, ...]) -> list[Clue]:
    """Return the clues with repeats dropped: a date named twice is one piece of evidence."""
    seen: dict[tuple[object, ...], Clue] = {}
    for c in cl:
        seen.setdefault((c.kind, c.year, c.month, c.day, c.weekday, c.tense), c)
    return list(seen.values())


def _clue_loglik(
    c: Clue, ords: np.ndarray, weekdays: np.ndarray, yesterday: bool = False
) -> np.ndarray:
    """Return the clue's log-likelihood ratio for each candidate day (given as ordinals)."""
    if c.kind == "weekday" and c.weekday is not None:
        table = _WEEKDAY_SHARES[c.tense]
        if yesterday and c.tense == PAST:
            table = _WEEKDAY_SHARES_BESIDE_YESTERDAY
        return np.asarray(np.log(np.array(table) * 7)[(weekdays - c.weekday) % 7])
    if c.kind in ("year", "month") and c.year is not None and c.tense == PAST and c.sure:
        first = first_day_after(c).toordinal()
        return np.where(ords < first, math.log(_PAST_AFTER_SHARE), 0.0)
    if c.month is None or c.day is None or c.kind in ("year", "month"):
        return np.zeros(len(ords))
    if c.year is None:
        return _monthday_loglik(c, ords)
    named = safe_date(c.year, c.month, c.day)
    if named is None:
        return np.zeros(len(ords))
    kind = ("monthday_ahead" if c.tense == FUTURE else "full") if c.kind == "full" else c.kind
    return _gap_loglik(kind, ords - named.toordinal())


def _monthday_loglik(c: Clue, ords: np.ndarray) -> np.ndarray:
    """Score a month-day without a year, read as its instance nearest each candidate day."""
    assert c.month is not None and c.day is not None
    first, last = dt.date.fromordinal(int(ords[0])).year, dt.date.fromordinal(int(ords[-1])).year
    named = [d for y in range(first - 1, last + 2) if (d := safe_date(y, c.month, c.day))]
    if c.weekday is not None:
        named = [d for d in named if d.weekday() == c.weekday] or named
    gaps = ords[:, None] - np.array([d.toordinal() for d in named])[None, :]
    nearest = gaps[np.arange(len(ords)), np.argmin(np.abs(gaps), axis=1)]
    kind = c.kind
    if c.kind == "monthday":
        kind = "weekday_date" if c.weekday is not None else "monthday"
        kind += "_ahead" if c.tense == FUTURE else ""
    return _gap_loglik(kind, nearest)


def _gap_loglik(kind: str, gaps: np.ndarray) -> np.ndarray:
    near, ahead, behind = _NEAR[kind]
    table = np.array([near.get(g, _FLOOR) for g in range(-7, 8)])
    out = np.where(gaps < -7, ahead / TAIL_DAYS, np.where(gaps > 7, behind / TAIL_DAYS, 0.0))
    inside = np.abs(gaps) <= 7
    out[inside] = table[gaps[inside] + 7]
    return np.asarray(np.log(np.maximum(out, _FLOOR / TAIL_DAYS) * TAIL_DAYS))


def _supporting(article: Article, day: dt.date) -> list[str]:
    """Return short notes on the article's own clues that favour the day."""
    ords, weekdays = np.array([day.toordinal()]), np.array([day.weekday()])
    return [
        f"{c.text!r} fits {day.isoformat()}"
        for c in _distinct(clues(article))
        if c.kind not in ("year", "month") and _clue_loglik(c, ords, weekdays)[0] > SUPPORT_LOGLIK
    ][:4]


def _mass_interval(post: np.ndarray, best: int) -> tuple[int, int]:
    """Return the narrowest index interval around best holding RANGE_MASS of the mass."""
    lo = hi = best
    mass = post[best]
    while mass < RANGE_MASS and (lo > 0 or hi < len(post) - 1):
        left = post[lo - 1] if lo > 0 else -1.0
        right = post[hi + 1] if hi < len(post) - 1 else -1.0
        if left >= right:
            lo, mass = lo - 1, mass + left
        else:
            hi, mass = hi + 1, mass + right
    return lo, hi
