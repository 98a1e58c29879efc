"""Dating an article from its event-mates (corpus mode): the days the mates were published,
weighed against the article's own date clues.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from storyline.models import Article, DateRange, iso_day
from storyline.stages.dating.text import (
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
from storyline.text import FUTURE, PAST, UNKNOWN

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
# Mates without similarities come most similar first; each weighs this much less than the
# one before (tuned with the mates' number in storyline.eval.dating, on bpoil and haiti).
MATE_RANK_DECAY = 0.7
# Mates with their cosine similarities weigh as this power of it. Tuned with the mates'
# number (storyline.eval.dating) on bpoil and haiti: powers 1-3 with 7-30 mates were within
# a point of one another and of rank decay on bpoil; power 1 lost 3 points on haiti. Checked
# on egypt, finan and mj, where power 2 gained up to 2.6 points of exact day.
MATE_SIM_POWER = 2.0
# A day is given when it holds this share of the scores and either a clue of the article's
# own favours it or MIN_AGREEING_MATES mates were published within MATE_AGREE_DAYS of it;
# else the range around it holding RANGE_MASS. The share tracks how often the day is right
# (on Timeline17, 1 in 10 below 0.1, 6 in 10 at 0.4-0.6); 0.05 (tuned on bpoil and haiti,
# checked on the other three) gives days to 91% of the articles, 53% of them right, where
# 0.1 gave 87% before the lag model, 54% right. One mate's date is no proof: on bpoil the
# days the clue-or-mates rule withholds above the share were right 1 time in 4.
DAY_MIN_MASS = 0.05
MIN_AGREEING_MATES = 2
MATE_AGREE_DAYS = 3
RANGE_MASS = 0.9
# A clue favours a day when its log-likelihood ratio there is above this (a past weekday
# named the same day or the day before scores 0.8; a month-day one day before, 1.3).
SUPPORT_LOGLIK = 0.5


# A source's own habits, learnt from its dated articles in the corpus, replace the tables
# above as its clues accumulate: on bpoil, Reuters names the weekday of publication in 60%
# of its past weekdays, the Washington Post the day before in 55%, the Guardian two days
# before in 30%. The tables learnt from the whole corpus count the tables above as this
# many clues, and each source's table counts the corpus's as this many. Tuned on bpoil and
# haiti (10-300 clues moved exact day by under a point), checked on egypt, finan and mj:
# measured with 15 similarity-weighted mates, the model gained 2 points of exact day on
# bpoil, 0.4 on egypt and 4.4 on finan, and lost 1.4 on haiti and 0.8 on mj.
LAG_PRIOR_CLUES = 100.0
LAG_CORPUS_CLUES = 30.0
_CORPUS = "\0corpus"  # the key of the tables learnt from all sources together


@dataclass
class LagModel:
    """Counts, per source and gap table, of where the clues of dated articles fell against
    their publication days: how each source's articles trail the days they speak of."""

    counts: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)

    def add(self, article: Article, day: dt.date, sign: float = 1.0) -> None:
        """Count the article's clues as read on its publication day (sign -1: uncount)."""
        ords, weekdays = np.array([day.toordinal()]), np.array([day.weekday()])
        cl = clues(article)
        yesterday = _says_yesterday(cl)
        for c in _distinct(cl):
            key = _table_key(c, yesterday)
            if key is None or (bins := _clue_bins(c, ords, weekdays)) is None:
                continue
            for owner in (_CORPUS, article.source or ""):
                table = self.counts.setdefault((owner, key), np.zeros(len(_PRIOR[key])))
                table[int(bins[0])] += sign

    def loglik(self, source: str | None, key: str) -> np.ndarray:
        """Return the gap table's log-likelihood ratios for the source's clues."""
        shares = _smoothed(self.counts.get((_CORPUS, key)), _PRIOR[key], LAG_PRIOR_CLUES)
        if source:
            shares = _smoothed(self.counts.get((source, key)), shares, LAG_CORPUS_CLUES)
        return _to_loglik(shares)


def learn_lags(articles: Iterable[Article]) -> LagModel:
    """Return the lag model of the articles that have a publication date."""
    lags = LagModel()
    for article in articles:
        if article.published and (day := iso_day(article.published.strip())):
            lags.add(article, day)
    return lags


def _smoothed(counts: np.ndarray | None, prior: np.ndarray, weight: float) -> np.ndarray:
    if counts is None:
        return prior
    return np.asarray((np.maximum(counts, 0) + weight * prior) / (max(counts.sum(), 0) + weight))


def refine_with_mates(
    article: Article,
    mates: Sequence[Article],
    similarities: Sequence[float] | None = None,
    lags: LagModel | None = None,
) -> DateRange:
    """Return the article's date narrowed by its event-mates' dates and its own clues.

    ``mates`` are articles about the same happening, most similar first; each one's date
    is its ``date`` if set, else its given or text-inferred date. ``similarities`` (one per
    mate, cosines) weigh them; without, each weighs MATE_RANK_DECAY less than the one
    before. ``lags`` reads the clues by their source's habits (see ``learn_lags``). A mate
    with no closed range is first read against this article's own range ("Wednesday,
    October 18" in a mate finds its year there); mates with only open bounds lend those.
    A given date wins.
    """
    if article.published:
        return date_article(article)
    own = date_from_text(article)
    own_span = _closed(own)
    spans: _Spans = []
    for rank, mate in enumerate(mates):
        span = _closed(mate.date if mate.date is not None else date_article(mate))
        if span is None and own_span is not None:
            span = _closed(_refine(mate, [(article, own_span, 1.0)], lags))
        if span is not None:
            weight = MATE_RANK_DECAY**rank
            if similarities is not None:
                weight = max(similarities[rank], 0.0) ** MATE_SIM_POWER
            spans.append((mate, span, weight))
    if not spans:
        return _bounded_by_mates(article, own, mates)
    return _refine(article, spans, lags)


_Spans = list[tuple[Article, tuple[dt.date, dt.date], float]]


def _closed(date: DateRange) -> tuple[dt.date, dt.date] | None:
    if date.start is None or date.end is None:
        return None
    lo, hi = dt.date.fromisoformat(date.start[:10]), dt.date.fromisoformat(date.end[:10])
    return (lo, hi) if lo <= hi else None


def _posterior(
    article: Article, spans: _Spans, lags: LagModel | None
) -> tuple[list[dt.date], np.ndarray]:
    """Return the candidate days and the share of the score each holds."""
    days = _window([s for _, s, _ in spans], clues(article))
    score = _text_loglik(article, days, lags)
    for scale, weight in MATE_SCALES_DAYS.items():
        score += weight * np.log(_mate_prior(days, spans, scale))
    post = np.exp(score - score.max())
    return days, post / post.sum()


def _refine(article: Article, spans: _Spans, lags: LagModel | None = None) -> DateRange:
    """Return the day (or range) the mates' dated spans and the article's clues score best."""
    days, post = _posterior(article, spans, lags)
    best = int(np.argmax(post))
    support = _supporting(article, days[best], lags)
    near = [
        lo
        for _, (lo, hi), _ in spans
        if lo == hi and abs((lo - days[best]).days) <= MATE_AGREE_DAYS
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
    shown = [f"{m.title or m.id} ({lo}{'' if lo == hi else f'..{hi}'})" for m, (lo, hi), _ in spans]
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


def _mate_prior(days: list[dt.date], spans: _Spans, scale: float) -> np.ndarray:
    """Return each day's prior from the mates' dates, the most similar mates weighing most."""
    ords = np.array([d.toordinal() for d in days], dtype=float)
    prior = np.zeros(len(days))
    for _, (lo, hi), weight in spans:
        if lo == hi:
            weights = np.exp(-np.abs(ords - lo.toordinal()) / scale)
        else:
            weights = ((ords >= lo.toordinal()) & (ords <= hi.toordinal())).astype(float)
        if weights.sum() > 0:
            prior += weight * weights / weights.sum()
    prior /= max(prior.sum(), 1e-12)
    return np.asarray((1 - MATE_UNIFORM) * prior + MATE_UNIFORM / len(days))


def _text_loglik(article: Article, days: list[dt.date], lags: LagModel | None = None) -> np.ndarray:
    """Return, per candidate day, the weighted log-likelihood of the article's own clues."""
    total = np.zeros(len(days))
    for group, loglik in _text_features(article, days, lags).items():
        total += CLUE_WEIGHTS[group] * loglik
    return total


def _text_features(
    article: Article, days: list[dt.date], lags: LagModel | None = None
) -> dict[str, np.ndarray]:
    """Return, per weight group, the summed log-likelihood ratios of the article's clues."""
    ords = np.array([d.toordinal() for d in days])
    weekdays = np.array([d.weekday() for d in days])
    cl = clues(article)
    yesterday = _says_yesterday(cl)
    out: dict[str, np.ndarray] = {}
    for c in _distinct(cl):
        if (group := _group(c)) is not None:
            loglik = _clue_loglik(c, ords, weekdays, yesterday, lags, article.source)
            out[group] = out.get(group, 0.0) + loglik
    stamp = article.meta.get("updated_stamp")
    if isinstance(stamp, str) and (day := stamp_day(stamp)):
        late = np.where(ords > day.toordinal(), math.log(_PAST_AFTER_SHARE), 0.0)
        out["bound"] = out.get("bound", 0.0) + late
    return out


def _says_yesterday(cl: tuple[Clue, ...]) -> bool:
    return any(c.kind == "dayword" and c.text.lower() == "yesterday" for c in cl)


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
    c: Clue,
    ords: np.ndarray,
    weekdays: np.ndarray,
    yesterday: bool = False,
    lags: LagModel | None = None,
    source: str | None = None,
) -> np.ndarray:
    """Return the clue's log-likelihood ratio for each candidate day (given as ordinals)."""
    if c.kind in ("year", "month") and c.year is not None and c.tense == PAST and c.sure:
        first = first_day_after(c).toordinal()
        return np.where(ords < first, math.log(_PAST_AFTER_SHARE), 0.0)
    key = _table_key(c, yesterday)
    bins = None if key is None else _clue_bins(c, ords, weekdays)
    if key is None or bins is None:
        return np.zeros(len(ords))
    table = lags.loglik(source, key) if lags is not None else _LOGLIK[key]
    return np.asarray(table[bins])


def _table_key(c: Clue, yesterday: bool) -> str | None:
    """Return the name of the gap table that scores the clue (None: no table does)."""
    if c.kind == "weekday" and c.weekday is not None:
        tense = {PAST: "past", UNKNOWN: "unknown", FUTURE: "future"}[c.tense]
        return f"weekday_{tense}" + ("_beside_yesterday" if yesterday and c.tense == PAST else "")
    if c.month is None or c.day is None or c.kind in ("year", "month", "weekday", "dayword"):
        return None
    if c.kind == "full":
        return "monthday_ahead" if c.tense == FUTURE else "full"
    if c.kind == "monthday":
        kind = "weekday_date" if c.weekday is not None else "monthday"
        return kind + ("_ahead" if c.tense == FUTURE else "")
    return c.kind if c.kind in _NEAR else None


def _clue_bins(c: Clue, ords: np.ndarray, weekdays: np.ndarray) -> np.ndarray | None:
    """Return, per candidate day, the clue's bin in its gap table: for a bare weekday the
    days back to it (0-6); for a date the days from it to the candidate, -7..7 at bins
    1..15, further ahead at 0 and further back at 16 (None: no such date)."""
    if c.kind == "weekday" and c.weekday is not None:
        return np.asarray((weekdays - c.weekday) % 7)
    assert c.month is not None and c.day is not None
    if c.year is not None:
        if (named := safe_date(c.year, c.month, c.day)) is None:
            return None
        gaps = ords - named.toordinal()
    else:
        gaps = _nearest_gaps(c, ords)
    return np.asarray(np.clip(gaps, -8, 8) + 8)


def _nearest_gaps(c: Clue, ords: np.ndarray) -> np.ndarray:
    """Return the gaps to a month-day without a year, read as its instance nearest each day."""
    assert c.month is not None and c.day is not None
    first, last = dt.date.fromordinal(int(ords[0])).year, dt.date.fromordinal(int(ords[-1])).year
    named = [d for y in range(first - 1, last + 2) if (d := safe_date(y, c.month, c.day))]
    if c.weekday is not None:
        named = [d for d in named if d.weekday() == c.weekday] or named
    gaps = ords[:, None] - np.array([d.toordinal() for d in named])[None, :]
    return np.asarray(gaps[np.arange(len(ords)), np.argmin(np.abs(gaps), axis=1)])


def _shares(key: str) -> np.ndarray:
    """Return the measured shares of a gap table, one per bin, summing to 1."""
    if key in _NEAR:
        near, ahead, behind = _NEAR[key]
        shares = np.array([ahead, *(near.get(g, _FLOOR) for g in range(-7, 8)), behind])
    else:
        tense = key.removeprefix("weekday_")
        table = _WEEKDAY_SHARES_BESIDE_YESTERDAY
        if tense != "past_beside_yesterday":
            table = _WEEKDAY_SHARES[{"past": PAST, "unknown": UNKNOWN, "future": FUTURE}[tense]]
        shares = np.array(table)
    return np.asarray(shares / shares.sum())


def _to_loglik(shares: np.ndarray) -> np.ndarray:
    """Return a gap table's log-likelihood ratios: each bin's share over the share it would
    have were all days alike (1/7 for a bare weekday's; 1/TAIL_DAYS a day for a date's)."""
    if len(shares) == 7:
        return np.asarray(np.log(np.maximum(shares * 7, _FLOOR)))
    widths = np.array([TAIL_DAYS, *([1] * 15), TAIL_DAYS], dtype=float)
    return np.asarray(np.log(np.maximum(shares / widths * TAIL_DAYS, _FLOOR)))


_TABLE_KEYS = (
    *(f"weekday_{t}" for t in ("past", "past_beside_yesterday", "unknown", "future")),
    *_NEAR,
)
_PRIOR = {key: _shares(key) for key in _TABLE_KEYS}
_LOGLIK = {key: _to_loglik(shares) for key, shares in _PRIOR.items()}


def _supporting(article: Article, day: dt.date, lags: LagModel | None = None) -> list[str]:
    """Return short notes on the article's own clues that favour the day."""
    ords, weekdays = np.array([day.toordinal()]), np.array([day.weekday()])
    notes = []
    for c in _distinct(clues(article)):
        if c.kind in ("year", "month"):
            continue
        if _clue_loglik(c, ords, weekdays, False, lags, article.source)[0] > SUPPORT_LOGLIK:
            notes.append(f"{c.text!r} fits {day.isoformat()}")
    return notes[:4]


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
