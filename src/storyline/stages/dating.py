"""Date articles: the publication date as given, or inferred from the text.

First version (the temporal layer deepens it): an undated article is bounded
below by the latest year it mentions and above by an "Updated:" stamp, and a
weekday-date pair ("Wednesday, October 18") fixes the day when only one year
inside those bounds has that weekday on that date. What the text cannot
support stays a range; no day is invented.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from ..models import Article, DateRange

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}

_MONTH = (
    r"(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WEEKDAY_DATE = re.compile(
    r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+"
    + rf"(?:{_MONTH}\s+(\d{{1,2}})|(\d{{1,2}})\s+{_MONTH})(?![\d,]*\s*\d{{4}})",
    re.IGNORECASE,
)
_STAMP_DATE = re.compile(
    rf"{_MONTH}\s+(\d{{1,2}}),?\s+(\d{{4}})|(\d{{4}})-(\d{{2}})-(\d{{2}})", re.I
)
# A weekday-date pair repeats every 5, 6 or 11 years; a window this wide around the
# latest year the text mentions holds one or two of them, so the bounds must decide.
WINDOW_YEARS = 6


def date_article(article: Article) -> DateRange:
    """Return the article's publication date: given, a day inferred, or a range."""
    if article.published:
        given = article.published[:10]
        return DateRange(given, given, "given", [f"published: {article.published}"])
    evidence: list[str] = []
    low, high = _bounds(article, evidence)
    day = _weekday_date(article.text, low, high, evidence)
    if day is not None:
        return DateRange(day.isoformat(), day.isoformat(), "day", evidence)
    if low is None and high is None:
        return DateRange(None, None, "unknown", ["no date, year or stamp in the text"])
    return DateRange(
        low.isoformat() if low else None, high.isoformat() if high else None, "range", evidence
    )


def _bounds(article: Article, evidence: list[str]) -> tuple[date | None, date | None]:
    high = None
    stamp = article.meta.get("updated_stamp")
    if isinstance(stamp, str) and (m := _STAMP_DATE.search(stamp)):
        high = _stamp_day(m)
        if high:
            evidence.append(f"updated stamp {stamp!r}: published on or before {high}")
    years = _years_mentioned(article)
    low = None
    if years:
        latest = max(y for y in years if high is None or y <= high.year) if high else max(years)
        low = date(latest, 1, 1)
        evidence.append(f"mentions {latest}: published in {latest} or later")
    return low, high


def _stamp_day(m: re.Match[str]) -> date | None:
    try:
        if m.group(1):
            return date(int(m.group(3)), MONTHS[m.group(1).lower()[:3]], int(m.group(2)))
        return date(int(m.group(4)), int(m.group(5)), int(m.group(6)))
    except (ValueError, KeyError):
        return None


def _years_mentioned(article: Article) -> list[int]:
    if article.annotations is None:
        return []
    years = []
    for t in article.annotations.timexes:
        if t.type == "DATE" and t.value and re.match(r"^(19|20)\d\d", t.value):
            years.append(int(t.value[:4]))
    return years


def _weekday_date(
    text: str, low: date | None, high: date | None, evidence: list[str]
) -> date | None:
    """Return the one day within the bounds that matches every weekday-date pair in the text."""
    if low is None and high is None:
        return None
    first = low.year if low else (high.year - WINDOW_YEARS if high else 0)
    last = high.year if high else first + WINDOW_YEARS
    for m in _WEEKDAY_DATE.finditer(text):
        weekday = WEEKDAYS[m.group(1).lower()]
        month_name = (m.group(2) or m.group(5)).lower()[:3]
        day_num = int(m.group(3) or m.group(4))
        fits = [
            d
            for y in range(first, last + 1)
            if (d := _safe_date(y, MONTHS[month_name], day_num))
            and d.weekday() == weekday
            and (low is None or d >= low)
            and (high is None or d <= high)
        ]
        if high is None:
            # Unbounded above, only the year the text itself mentions is safe to assume.
            fits = [d for d in fits if low is not None and d.year == low.year]
        if len(fits) == 1:
            evidence.append(f"{m.group(0)!r} falls on that weekday only in {fits[0].year}")
            return fits[0]
    return None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
