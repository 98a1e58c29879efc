"""Temporal expressions: absolute dates found by pattern, and common relative ones
("last year", "on Tuesday") resolved against a reference date.

This is the first version of the TIMEX3 normaliser: it prefers leaving a value
unresolved (``None``) to guessing, and every pattern is anchored on words that
make a date reading near certain (a bare "2017" counts only after "in", "since"...).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from storyline.models import Timex

_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")  # fmt: skip
MONTHS: dict[str, int] = {name.lower(): i for i, name in enumerate(_MONTH_NAMES, 1)}
MONTHS.update({name[:3].lower(): i for i, name in enumerate(_MONTH_NAMES, 1)})
MONTHS["sept"] = 9
_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEKDAYS: dict[str, int] = {name.lower(): i for i, name in enumerate(_WEEKDAY_NAMES)}
_NUMBER_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                 "eleven", "twelve")  # fmt: skip
_NUMBERS: dict[str, int] = {w: i for i, w in enumerate(_NUMBER_WORDS, 1)} | {"a": 1, "an": 1}
_DAY_PARTS = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}

# How far (characters) either side of an expression to look for its clause's tense.
_TENSE_WINDOW = 300

_FULL = "|".join(_MONTH_NAMES)
_ABBR = "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
_MONTH = rf"(?P<month>(?:{_FULL})\b|(?:{_ABBR})(?:\.|\b))"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b"
_WEEKDAY = r"(?P<weekday>" + "|".join(_WEEKDAY_NAMES) + r")"
_LEAD_WEEKDAY = rf"(?:{_WEEKDAY},?\s+)?"
_TIME = (
    r"(?:,?\s+(?:at\s+)?(?P<hour>[01]?\d|2[0-3]):(?P<minute>[0-5]\d)"
    r"(?:\s*(?P<ampm>[AaPp]\.?[Mm]\b\.?))?)?"
)
_YEAR_OPT = rf"(?:,?\s+(?P<year>\d{{4}})\b{_TIME})?"
_CONTEXT = r"(?i:in|since|by|until|till|from|through|during|before|after|early|late|mid|of)"
_YEAR_CONTEXT = rf"(?:{_CONTEXT}|(?i:between|year|around|circa))"
_BARE_YEAR = r"(?:19|20)\d{2}"
# Two years joined like this are both years: "2017 and 2019", "1998-2004".
_YEAR_LINK = r"(?:\s+(?:and|or|to)\s+|\s*[-–]\s*)"
# A year-like number followed by a plural noun is a count ("in 2000 cases"); these
# function words ending in "s" may follow a real year.
_NOT_NOUNS = {"as", "is", "was", "has", "his", "its", "this", "thus", "us", "does", "versus"}
# Count words without a plural "s".
_COUNT_WORDS = {"percent", "per", "people", "men", "women", "children", "staff", "police"}


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    type: str
    value: str | None


_Handler = Callable[[re.Match[str], str, dt.date | None], _Found | None]


def _span(m: re.Match[str]) -> tuple[int, int]:
    """Return the span of the expression proper (group "x" when the pattern has context)."""
    return m.span("x") if "x" in m.groupdict() else m.span()


def _month_of(m: re.Match[str]) -> int:
    return MONTHS[m.group("month").rstrip(".").lower()]


def _valid_day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _time_suffix(m: re.Match[str]) -> str:
    """Return "THH:MM" for a matched clock time, or "" when the pattern had none."""
    if "hour" not in m.groupdict() or m.group("hour") is None:
        return ""
    hour = int(m.group("hour"))
    ampm = (m.group("ampm") or "").lower()
    if ampm.startswith("p") and hour < 12:
        hour += 12
    elif ampm.startswith("a") and hour == 12:
        hour = 0
    return f"T{hour:02d}:{m.group('minute')}"


def _nearest_year(month: int, day: int, weekday: int | None, ref: dt.date) -> dt.date | None:
    """Return the date (this, last or next year) closest to ref that fits day and weekday."""
    options = [_valid_day(ref.year + k, month, day) for k in (-1, 0, 1)]
    fits = [d for d in options if d and (weekday is None or d.weekday() == weekday)]
    return min(fits, key=lambda d: abs((d - ref).days)) if fits else None


def _month_day(m: re.Match[str], text: str, ref: dt.date | None) -> _Found | None:
    """Resolve "October 18, 2023", "18 Oct", "Wednesday, October 18"."""
    month, day = _month_of(m), int(m.group("day"))
    if _valid_day(2000, month, day) is None:  # 2000 is a leap year, so 29 Feb passes
        return None
    start, end = _span(m)
    if m.group("year"):
        date = _valid_day(int(m.group("year")), month, day)
        if date is None:
            return None
        suffix = _time_suffix(m)
        return _Found(start, end, "TIME" if suffix else "DATE", date.isoformat() + suffix)
    weekday = WEEKDAYS[m.group("weekday").lower()] if m.group("weekday") else None
    date = _nearest_year(month, day, weekday, ref) if ref else None
    return _Found(start, end, "DATE", date.isoformat() if date else f"XXXX-{month:02d}-{day:02d}")


def _month_year(m: re.Match[str], text: str, ref: dt.date | None) -> _Found | None:
    start, end = _span(m)
    return _Found(start, end, "DATE", f"{int(m.group('year')):04d}-{_month_of(m):02d}")


def _iso_date(m: re.Match[str], text: str, ref: dt.date | None) -> _Found | None:
    date = _valid_day(int(m.group("year")), int(m.group("mm")), int(m.group("dd")))
    return _Found(*m.span(), "DATE", date.isoformat()) if date else None


def _context_month(m: re.Match[str], text: str, ref: dt.date | None) -> _Found | None:
    """Resolve "in February" (no year): the latest one not after ref, or the next if future."""
    start, end = _span(m)
    month = _month_of(m)
    if ref is None:
        return _Found(start, end, "DATE", f"XXXX-{month:02d}")
    if _is_future(text, start, end):
        year = ref.year if month >= ref.month else ref.year + 1
    else:
        year = ref.year if month <= ref.month else ref.year - 1
    return _Found(start, end, "DATE", f"{year:04d}-{month:02d}")


def _relative_month(m: re.Match[str], text: str, ref: dt.date | None) -> _Found | None:
    """Resolve "last May" (strictly before ref's month), "next May", "this May"."""
    start, end = _span(m)
    if ref is None:
        return _Found(start, end, "DATE", None)
    month, rel = _month_of(m), m.group("rel").lower()
    if rel == "last":
        year = ref.year if month < ref.month else ref.year - 1
    elif rel == "next":
        year = ref.year if month > ref.month else ref.year + 1
    else:
        year = ref.year
    return _Found(start, end, "DATE", f"{year:04d}-{month:02d}")


def _month_of_relative_year(m: re.Match[str], text: str, ref: dt.date | None) -> _Found | None:
    """Resolve "May last year", "March next year"."""
    start, end = _span(m)
    if ref is None:
        return _Found(start, end, "DATE", None)
    offset = {"last": -1, "this": 0, "next": 1}[m.group("rel").lower()]
    return _Found(start, end, "DATE", f"{ref.year + offset:04d}-{_month_of(m):02d}")


def _years(m: re.Match[str], text: str, ref: dt.date | None) -> _Found | None:
    """Accept a bare year in year context unless a plural noun says it is a count."""
    start, end = _span(m)
    follower = re.match(r"\s+([a-z]+)\b", text[end : end + 30])
    word = follower.group(1) if follower else ""
    if word in _COUNT_WORDS or (word.endswith("s") and word not in _NOT_NOUNS):
        return None
    return _Found(start, end, "DATE", text[start:end])


def _decade(m: re.Match[str], text: str, ref: dt.date | None) -> _Found | None:
    start, end = _span(m)
    return _Found(start, end, "DATE", text[start : start + 3])


def _iso_week(date: dt.date) -> str:
    year, week, _ = date.isocalendar()
    return f"{year:04d}-W{week:02d}"


def _shift_month(date: dt.date, months: int) -> str:
    index = date.year * 12 + date.month - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _in_units(ref: dt.date, unit: str, offset: int) -> str:
    """Return the TIMEX3 value of the day/week/month/year ``offset`` units from ref."""
    if unit == "day":
        return (ref + dt.timedelta(days=offset)).isoformat()
    if unit == "week":
        return _iso_week(ref + dt.timedelta(weeks=offset))
    if unit == "month":
        return _shift_month(ref, offset)
    return f"{ref.year + offset:04d}"


def _day_word(m: re.Match[str], text: str, ref: dt.date | None) -> _Found | None:
    start, end = _span(m)
    word = m.group("x").lower()
    if ref is None:
        return _Found(start, end, "TIME" if word == "tonight" else "DATE", None)
    if word == "tonight":
        return _Found(start, end, "TIME", ref.isoformat() + "TNI")
    offset = {"yesterday": -1, "today": 0, "tomorrow": 1}[word]
    return _Found(start, end, "DATE", _in_units(ref, "day", offset))


def _day_part(m: re.Match[str], text: str, ref: dt.date | None) -> _Found | None:
    """Resolve "this morning", "last night"."""
    start, end = _span(m)
    if ref is None:
        return _Found(start, end, "TIME", None)
    day = ref - dt.timedelta(days=1) if m.group("rel").lower() == "last" else ref
    return _Found(start, end, "TIME", f"{day.isoformat()}T{_DAY_PARTS[m.group('part')]}")


def _relative_unit(m: re.Match[str], text: str, ref: dt.date | None) -> _Found | None:
    """Resolve "last year", "next week", "earlier this month"."""
    start, end = _span(m)
    if ref is None:
        return _Found(start, end, "DATE", None)
    offset = {"last": -1, "this": 0, "next": 1}[m.group("rel").lower()]
    return _Found(start, end, "DATE", _in_units(ref, m.group("unit").lower(), offset))


def _ago(m: re.Match[str], text: str, ref: dt.date | None) -> _Found | None:
    """Resolve "three days ago", "a year ago"."""
    start, end = _span(m)
    if ref is None:
        return _Found(start, end, "DATE", None)
    count = m.group("n").lower()
    n = int(count) if count.isdigit() else _NUMBERS[count]
    return _Found(start, end, "DATE", _in_units(ref, m.group("unit").lower(), -n))


def _weekday(m: re.Match[str], text: str, ref: dt.date | None) -> _Found | None:
    """Resolve a weekday: on or before ref in past clauses, on or after in future ones."""
    start, end = _span(m)
    part = m.group("part")
    kind = "TIME" if part else "DATE"
    if ref is None:
        return _Found(start, end, kind, None)
    wanted, rel = WEEKDAYS[m.group("weekday").lower()], (m.group("rel") or "").lower()
    back, ahead = (ref.weekday() - wanted) % 7, (wanted - ref.weekday()) % 7
    if rel == "last":
        offset = -(back or 7)
    elif rel == "next":
        offset = ahead or 7
    else:
        offset = ahead if _is_future(text, start, end) else -back
    value = (ref + dt.timedelta(days=offset)).isoformat()
    return _Found(start, end, kind, value + (f"T{_DAY_PARTS[part]}" if part else ""))


_PATTERNS: tuple[tuple[re.Pattern[str], _Handler], ...] = (
    (re.compile(rf"\b{_LEAD_WEEKDAY}{_MONTH}\s+{_DAY}{_YEAR_OPT}"), _month_day),
    (re.compile(rf"\b{_LEAD_WEEKDAY}{_DAY}\s+(?:of\s+)?{_MONTH}{_YEAR_OPT}"), _month_day),
    (re.compile(rf"\b{_MONTH},?\s+(?:of\s+)?(?P<year>\d{{4}})\b"), _month_year),
    (re.compile(r"\b(?P<year>\d{4})-(?P<mm>\d\d)-(?P<dd>\d\d)\b"), _iso_date),
    (re.compile(rf"\b{_CONTEXT}[\s-]+(?P<x>(?P<month>{_FULL}))\b(?!\s*\d)"), _context_month),
    (re.compile(rf"\b(?P<x>(?P<rel>(?i:last|this|next))\s+(?P<month>{_FULL}))\b"), _relative_month),
    (
        re.compile(rf"\b(?P<x>(?P<month>{_FULL})\s+(?P<rel>(?i:last|this|next))\s+(?i:year))\b"),
        _month_of_relative_year,
    ),
    (re.compile(rf"\b{_YEAR_CONTEXT}[\s-]+(?P<x>{_BARE_YEAR})\b(?![%\d]|[.,]\d)"), _years),
    (re.compile(rf"\b(?P<x>{_BARE_YEAR})(?={_YEAR_LINK}{_BARE_YEAR}\b)"), _years),
    (re.compile(rf"\b{_BARE_YEAR}{_YEAR_LINK}(?P<x>{_BARE_YEAR})\b(?![%\d]|[.,]\d)"), _years),
    (re.compile(r"\b(?P<x>(?:1[89]|20)\d0s)\b"), _decade),
    (re.compile(r"\b(?P<x>(?i:yesterday|today|tomorrow|tonight))\b"), _day_word),
    (
        re.compile(
            r"\b(?P<x>(?P<rel>(?i:this|last))\s+(?P<part>morning|afternoon|evening|night))\b"
        ),
        _day_part,
    ),
    (
        re.compile(
            r"\b(?P<x>(?:(?i:earlier|later)\s+)?(?P<rel>(?i:this|last|next))\s+"
            r"(?P<unit>(?i:week|month|year)))\b"
        ),
        _relative_unit,
    ),
    (
        re.compile(
            r"\b(?P<x>(?P<n>\d+|(?i:" + "|".join(_NUMBERS) + r"))\s+"
            r"(?P<unit>(?i:day|week|month|year))s?\s+(?i:ago))\b"
        ),
        _ago,
    ),
    (
        re.compile(
            rf"\b(?P<x>(?:(?P<rel>(?i:last|this|next))\s+)?{_WEEKDAY}"
            r"(?:\s+(?P<part>morning|afternoon|evening|night))?)\b"
        ),
        _weekday,
    ),
)

_FUTURE_CUE = re.compile(
    r"\b(?:will|won't|shall|(?:is|are) (?:due|set|expected|scheduled|going) to|"
    r"scheduled (?:for|to)|planned for|plans? to|planning to|(?:is|are) to|upcoming)\b|'ll\b",
    re.IGNORECASE,
)
_PAST_CUE = re.compile(
    r"\b(?!(?:added|reported|stated|announced|noted|claimed|scheduled|expected|planned)\b)"
    r"(?:was|were|had|did|met|went|came|took|gave|made|held|left|spoke|saw|began|flew|sent|"
    r"won|lost|led|brought|got|paid|found|became|ran|[a-z]{3,}ed)\b"
)
_CLAUSE_BREAK = re.compile(r"[.!?][\"”’)]?\s+(?=[\"“‘(]?[A-Z])|\n")


def _is_future(text: str, start: int, end: int) -> bool:
    """Return True when the tense cue nearest the expression, in its sentence, is future."""
    lo, hi = max(0, start - _TENSE_WINDOW), min(len(text), end + _TENSE_WINDOW)
    for brk in _CLAUSE_BREAK.finditer(text, lo, start):
        lo = brk.end()
    after = _CLAUSE_BREAK.search(text, end, hi)
    hi = after.start() if after else hi

    def distance(m: re.Match[str]) -> int:
        return start - m.end() if m.end() <= start else max(0, m.start() - end)

    cues = [(distance(m), 0) for m in _FUTURE_CUE.finditer(text, lo, hi)]
    cues += [(distance(m), 1) for m in _PAST_CUE.finditer(text, lo, hi)]
    return bool(cues) and min(cues)[1] == 0


def _select(found: list[_Found]) -> list[_Found]:
    """Return the non-overlapping expressions, longer ones winning, in text order."""
    chosen: list[_Found] = []
    for item in sorted(found, key=lambda f: (f.start - f.end, f.start)):
        if all(item.end <= c.start or item.start >= c.end for c in chosen):
            chosen.append(item)
    return sorted(chosen, key=lambda f: f.start)


def find_timexes(text: str, reference: dt.date | None = None) -> list[Timex]:
    """Return the temporal expressions in text, resolved against reference when given."""
    found: list[_Found] = []
    for pattern, handler in _PATTERNS:
        for m in pattern.finditer(text):
            item = handler(m, text, reference)
            if item is not None:
                found.append(item)
    return [
        Timex(start=f.start, end=f.end, text=text[f.start : f.end], type=f.type, value=f.value)
        for f in _select(found)
    ]
