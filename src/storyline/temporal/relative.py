"""Relative expressions: "yesterday", "last week", "three days ago", "a year earlier",
weekdays, clock times and the vague PRESENT_REF/PAST_REF/FUTURE_REF, resolved against the
reference date (deictic ones) or the latest date mentioned (anaphoric ones)."""

from __future__ import annotations

import datetime as dt
import math
import re

from storyline.models import iso_day
from storyline.temporal.context import Cand, Ctx, Rule, rule, span_of
from storyline.temporal.dates import CLOCK, ZONE, clock_suffix
from storyline.temporal.values import (
    granularity,
    month_day_date,
    shift_value,
    unit_value,
    valid_date,
    week_value,
    weekday_date,
    year_of,
)
from storyline.temporal.words import (
    APPROX,
    DAY_NUM,
    DAY_PARTS,
    MONTH,
    MONTHS,
    NUMBER,
    UNIT,
    VAGUE,
    WEEKDAY,
    WEEKDAY_NAME,
    WEEKDAYS,
    YEAR4,
    approx_mod,
    approx_start,
    edge_mod,
    number_value,
    unit_of,
)

_DAY_OFFSETS = {"yesterday": -1, "today": 0, "tomorrow": 1, "tonight": 0,
                "the day before yesterday": -2, "the day after tomorrow": 2}  # fmt: skip
# Deictic relations count from the reference date, anaphoric ones from the latest mention.
_DEICTIC = {"last": -1, "past": -1, "the past": -1, "the last": -1, "this": 0, "current": 0,
            "the current": 0, "next": 1, "coming": 1, "the coming": 1, "this past": -1,
            "this coming": 1, "the latest": -1}  # fmt: skip
_ANAPHORIC = {"the next": 1, "the following": 1, "the previous": -1, "the preceding": -1,
              "the prior": -1, "that": 0, "the same": 0, "that same": 0, "the": 0}  # fmt: skip
_UNIT_TIME = {"hour", "minute", "second"}
_FINER_THAN_YEAR = ("quarter", "month", "day", "half", "season")
# "current" is PRESENT_REF before a noun, except in fixed terms where it is not temporal.
_NOT_CURRENT = re.compile(
    r"(?i)\s+(?:account|accounts|affairs|events|assets|liabilities|flows?|density|"
    r"collector|rate|rates|yield|dollars|prices|law|legislation|rules|system|regime)\b|"
    r"\s*[^\sA-Za-z]|\s+(?:year|quarter|month|week|fiscal|period)\b"
)
_NOT_WEEKDAY_BEFORE = re.compile(
    r"\b(?:Black|Bloody|Cyber|Super|Ash|Palm|Holy|Shrove|Good|Easter|Maundy|Giving|Manic|"
    r"Casual|Freaky)\s+$"
)
_NOT_WEEKDAY_AFTER = re.compile(
    r"\s+(?:Times|Telegraph|Mirror|Express|Herald|Post|Independent|Tribune|Mail|Star|"
    r"Sport|Business|Review|Night\s+Football|Journal|Magazine|Edition|Show|People)\b"
)


def _words(text: str | None) -> str:
    return " ".join((text or "").lower().split())


def _part(word: str | None) -> str:
    return f"T{DAY_PARTS[word.lower().rstrip('s')]}" if word else ""


# --- days, parts of days, units relative to now ---------------------------------------


def _day_word(m: re.Match[str], text: str) -> Cand | None:
    """Return "yesterday", "late today", "tomorrow morning", "tonight"."""
    start, end = span_of(m)
    if text[start].isupper() and re.search(
        r"\b(?:USA|[A-Z]{2,}[a-z]*)\s+$", text[max(0, start - 6) : start]
    ):
        return None  # the newspaper "USA Today", the programme "VOA Today"
    word = _words(m.group("w"))
    part = _part(m.group("part") or m.group("part0")) or ("TNI" if word == "tonight" else "")
    offset = _DAY_OFFSETS[word]

    def resolve(ctx: Ctx) -> str | None:
        if ctx.ref is None:
            return None
        return (ctx.ref + dt.timedelta(days=offset)).isoformat() + part

    mod = edge_mod(m.group("edge") or m.group("pedge"))
    return Cand(start, end, "TIME" if part else "DATE", resolve, mod=mod)


def _bare_part(m: re.Match[str], text: str) -> Cand | None:
    """Return "the morning" in "by mid afternoon", "in the morning": that part of the day
    the narrative is on (the latest date mentioned, else the reference date)."""
    start, end = span_of(m)
    part = _part(m.group("part"))

    def resolve(ctx: Ctx) -> str | None:
        day = ctx.anchor_day()
        return day.isoformat() + part if day else None

    return Cand(start, end, "TIME", resolve, mod=edge_mod(m.group("edge")))


def _week_of(m: re.Match[str], text: str) -> Cand | None:
    """Return "the week of March 6": the ISO week holding that date."""
    start, end = span_of(m)
    month, day = MONTHS[m.group("mon").rstrip(".").lower()], int(m.group("day"))
    year = int(m.group("year")) if m.group("year") else None
    if valid_date(year or 2000, month, day) is None:
        return None

    def resolve(ctx: Ctx) -> str | None:
        if year:
            date = valid_date(year, month, day)
        else:
            date = month_day_date(ctx.ref, month, day, None, ctx.direction()) if ctx.ref else None
        return week_value(date) if date else None

    return Cand(start, end, "DATE", resolve)


def _relative_part(m: re.Match[str], text: str) -> Cand | None:
    """Return "this morning", "last night", "that evening", "the next morning"."""
    start, end = span_of(m)
    rel = _words(m.group("rel"))
    part = _part(m.group("part"))
    offset = -1 if rel == "last" else (1 if rel in ("the next", "the following") else 0)
    anaphoric = rel not in ("this", "last")

    def resolve(ctx: Ctx) -> str | None:
        day = ctx.anchor_day() if anaphoric else ctx.ref
        if day is None:
            return None
        return (day + dt.timedelta(days=offset)).isoformat() + part

    return Cand(start, end, "TIME", resolve, mod=edge_mod(m.group("edge")))


def _relative_unit(m: re.Match[str], text: str) -> Cand | None:
    """Return "last year", "earlier this month", "the following week", "that day"."""
    start, end = span_of(m)
    if m.group("unit")[0].isupper() and not m.group("unit").isupper():
        return None  # "This Week", a programme
    rel, unit = _words(m.group("rel")), m.group("unit").lower()
    mod = edge_mod(m.group("edge"))
    if rel == "the" and unit in ("day", "decade", "century") and not mod:
        return None  # "the day" alone is rarely a date of its own
    if rel in ("the past", "the last") and unit in ("decade", "century"):
        return Cand(start, end, "DURATION", "P10Y" if unit == "decade" else "P100Y")
    if rel == "the" and unit == "year" and re.match(r"\s+end(?:ed|ing)\b", text[end : end + 10]):
        return Cand(start, end, "DURATION", "P1Y")  # "the year ended June 30": a span
    if rel in _DEICTIC or (rel == "the" and unit in ("week", "month", "year")):
        offset = _DEICTIC.get(rel, 0)
        return Cand(start, end, "DATE", lambda ctx: unit_value(ctx.ref, unit, offset)
                    if ctx.ref else None, mod=mod)  # fmt: skip
    offset = _ANAPHORIC[rel]

    def resolve(ctx: Ctx) -> str | None:
        if unit == "weekend" and rel == "the":
            return _nearest_weekend(ctx)
        if ctx.last and _fits(ctx.last, unit) and (base := _coarsen(ctx.last, unit)):
            return shift_value(base, unit, offset) if offset else base
        anchor = ctx.anchor_day()
        return unit_value(anchor, unit, offset) if anchor else None

    return Cand(start, end, "DATE", resolve, mod=mod)


def _fits(value: str, unit: str) -> bool:
    """Return True when a value is at least as precise as the unit ("that year" of a day)."""
    order = ["day", "week", "month", "quarter", "half", "season", "year"]
    have = granularity(value)
    if have is None or unit not in order:
        return False
    return order.index(have) <= order.index(unit) and not (have == "week" and unit == "month")


def _coarsen(value: str, unit: str) -> str | None:
    """Return the value cut to the unit: "2023-10-18" as a month is "2023-10"."""
    day = iso_day(value)
    if day is not None:
        return unit_value(day, unit, 0)
    if unit == "year":
        return value[:4]
    if unit == "month" and granularity(value) == "month":
        return value
    return value if granularity(value) == unit else None


def _nearest_weekend(ctx: Ctx) -> str | None:
    """Return the weekend a bare "the weekend" means: the last one in a past clause."""
    if ctx.ref is None:
        return None
    if ctx.direction() > 0 or ctx.ref.weekday() >= 5:
        return unit_value(ctx.ref, "weekend", 0)
    return unit_value(ctx.ref, "weekend", -1)


# --- "three days ago", "a year earlier" ------------------------------------------------


def _count(text: str) -> float | None:
    words = _words(text)
    if re.fullmatch(VAGUE, words):
        return None
    return number_value(words)


def _ago(m: re.Match[str], text: str) -> Cand | None:
    """Return "three days ago", "a year earlier", "a month from now" ("two days later" is
    left to the duration rule: TimeML marks the duration, "later" is its signal)."""
    start, end = span_of(m)
    direction = _words(m.group("dir"))
    if direction == "before" and re.match(r"\s*[\w\"“(]", text[end : end + 3]):
        return None  # "two days before the vote": a duration and its signal
    n = _count(m.group("n"))
    unit = unit_of(m.group("unit"))
    ahead = direction in ("from now", "hence")
    mod = approx_mod(m.group("approx"))
    start = approx_start(m, start)
    if n is None:
        return Cand(start, end, "DATE", "FUTURE_REF" if ahead else "PAST_REF", mod=mod)
    steps = (1 if ahead else -1) * max(1, math.floor(n))
    anaphoric = direction in ("earlier", "before", "previously")

    def resolve(ctx: Ctx) -> str | None:
        return _moved(ctx, unit, steps, anaphoric)

    return Cand(start, end, "DATE", resolve, mod=mod, notes=False)


def _moved(ctx: Ctx, unit: str, steps: int, anaphoric: bool) -> str | None:
    """Return the value steps units from now, or from the date the text is about.

    "A year ago" beside a quarter or month in the same sentence (or in a report that has
    named a quarter) is that period a year back; "three days earlier" counts from the
    last day mentioned; "a year earlier" after an explicit date of another year counts
    from that date."""
    if unit in ("decade", "century"):
        unit, steps = "year", steps * (10 if unit == "decade" else 100)
    recent, last = ctx.recent(), ctx.last
    if unit == "year" and abs(steps) == 1:
        if ctx.span_year() and ctx.last_quarter:
            return f"{int(ctx.last_quarter[:4]) + steps:04d}"
        if recent and granularity(recent) in _FINER_THAN_YEAR:
            return shift_value(recent, "year", steps)
        if ctx.last_quarter:
            return shift_value(ctx.last_quarter, "year", steps)
    if anaphoric and last and (granularity(last) == "day" or (
            ctx.last_explicit and ctx.ref and year_of(last) != ctx.ref.year)):  # fmt: skip
        moved = shift_value(last, "month" if unit == "quarter" else unit,
                            steps * 3 if unit == "quarter" else steps)  # fmt: skip
        if moved:
            return moved
    if ctx.ref is None:
        return None
    if unit in _UNIT_TIME:
        return ctx.ref.isoformat()
    return unit_value(ctx.ref, "week" if unit == "weekend" else unit, steps)


def _year_ago(m: re.Match[str], text: str) -> Cand | None:
    """Return the adjective "year-earlier", "year-ago" (the same period a year before)."""
    start, end = span_of(m)
    return Cand(start, end, "DATE", lambda ctx: _moved(ctx, "year", -1, False), notes=False)


# --- weekdays and clock times ---------------------------------------------------------


def _weekday(m: re.Match[str], text: str) -> Cand | None:
    """Return "Tuesday", "last Friday", "Monday evening", "the following Sunday"."""
    start, end = span_of(m)
    if _NOT_WEEKDAY_BEFORE.search(text[max(0, start - 12) : start]):
        return None
    if _NOT_WEEKDAY_AFTER.match(text, end):
        return None
    wanted = WEEKDAYS[m.group("wd").lower()]
    part = _part(m.group("part"))
    if m.group("plural") or (m.group("part") or "").endswith("s"):
        return Cand(start, end, "SET", f"XXXX-WXX-{wanted + 1}{part}")
    rel = _words(m.group("rel"))
    if not rel and _reported_event(text, start, end):
        rel = "done"

    def resolve(ctx: Ctx) -> str | None:
        day = _weekday_day(ctx, wanted, rel)
        return day.isoformat() + part if day else None

    return Cand(start, end, "TIME" if part else "DATE", resolve, mod=edge_mod(m.group("edge")))


# "Wednesday's ruling": a weekday owning an event names one that news reports as done,
# unless something places the event ahead ("ahead of Tuesday's vote").
_POSSESSIVE = re.compile(r"['’]s\b")
_AHEAD_OF = re.compile(r"(?i)\b(?:ahead\s+of|before|until|till|for|awaiting|await)\s+$")


def _reported_event(text: str, start: int, end: int) -> bool:
    """Return True when the weekday is the possessive of an event already reported."""
    if not _POSSESSIVE.match(text, end):
        return False
    return _AHEAD_OF.search(text, max(0, start - 12), start) is None


def _weekday_day(ctx: Ctx, wanted: int, rel: str) -> dt.date | None:
    """Return the day a weekday name means, by its modifier or else by the clause's tense."""
    anchor = ctx.anchor_day() if rel in ("the following", "the next", "the previous") else ctx.ref
    if anchor is None:
        return None
    back = (anchor.weekday() - wanted) % 7
    ahead = (wanted - anchor.weekday()) % 7
    if rel in ("last", "this past", "the previous"):
        return anchor - dt.timedelta(days=back or 7)
    if rel in ("next", "this coming", "the following", "the next"):
        return anchor + dt.timedelta(days=ahead or 7)
    ahead_ok = rel != "done" and (ctx.direction() > 0 or ctx.deadline())
    return weekday_date(anchor, wanted, 1 if ahead_ok else -1)


def _clock(m: re.Match[str], text: str) -> Cand | None:
    """Return "10:35 a.m.", "noon Thursday", "9 a.m. EST Tuesday", "6 p.m. yesterday"."""
    start, end = span_of(m)
    clock = clock_suffix(m)
    if not clock:
        return None
    start = approx_start(m, start)
    wd, dw = m.group("wd2"), _words(m.group("dw"))
    month = MONTHS[m.group("mon").rstrip(".").lower()] if m.group("mon") else None
    mday = int(re.sub(r"\D", "", m.group("day"))) if m.group("day") else 0
    year = int(m.group("year")) if m.group("year") else 0
    mod = approx_mod(m.group("approx"))

    def resolve(ctx: Ctx) -> str | None:
        if wd:
            day = _weekday_day(ctx, WEEKDAYS[wd.lower()], "")
        elif dw:
            day = ctx.ref + dt.timedelta(days=_DAY_OFFSETS[dw]) if ctx.ref else None
        elif month and year:
            day = valid_date(year, month, mday)
        elif month:
            day = month_day_date(ctx.ref, month, mday, None, ctx.direction()) if ctx.ref else None
        else:
            day = iso_day(ctx.last) or ctx.ref
        return day.isoformat() + clock if day else None

    return Cand(start, end, "TIME", resolve, mod=mod)


# --- PRESENT_REF, PAST_REF, FUTURE_REF -------------------------------------------------


_FUTURE_WORDS = ("future", "term", "later date", "ahead")
_PAST_WORDS = ("recently", "lately", "past", "years", "decades")


def _ref_word(m: re.Match[str], text: str) -> Cand | None:
    """Return "now", "currently", "recently", "the future": PRESENT/PAST/FUTURE_REF."""
    start, end = span_of(m)
    word = _words(m.group("x"))
    if word == "current" and _NOT_CURRENT.match(text, end):
        return None
    if word.endswith(_FUTURE_WORDS):
        return Cand(start, end, "DATE", "FUTURE_REF")
    if word.endswith(_PAST_WORDS):
        return Cand(start, end, "DATE", "PAST_REF")
    return Cand(start, end, "DATE", "PRESENT_REF")


def _year_end(m: re.Match[str], text: str) -> Cand | None:
    """Return "year-end", "year's end": the end of the reference year."""
    start, end = span_of(m)
    return Cand(start, end, "DATE", lambda ctx: f"{ctx.ref.year:04d}" if ctx.ref else None,
                mod="END")  # fmt: skip


_REL_UNIT_WORDS = (
    r"last|this|next|past|coming|current|this\s+past|this\s+coming|the\s+(?:past|last|coming|"
    r"current|latest|next|following|previous|preceding|prior|same)|that\s+same|that|the"
)

_UNIT_WORDS = "week weeks month months year years decade decades century weekend weekends day"
_WEEKDAY_WORDS = (
    "monday tuesday wednesday thursday friday saturday sunday tues thurs mondays tuesdays "
    "wednesdays thursdays fridays saturdays sundays"
)

# fmt: off
RULES: tuple[Rule, ...] = (
    rule(r"(?i)\b(?P<x>(?:(?P<pedge>early|late|mid)[\s-]*(?P<part0>morning|afternoon|evening)\s+|"
         r"(?P<edge>(?:early|late|earlier|later|mid)[\s-]+))?(?P<w>the\s+day\s+before"
         r"\s+yesterday|the\s+day\s+after\s+tomorrow|yesterday|today|tomorrow|tonight)"
         r"(?:\s+(?P<part>morning|afternoon|evening|night))?)\b(?!['’]s\s+(?-i:[A-Z]))",
         _day_word, "yesterday today tomorrow tonight", 30, 20),
    rule(r"(?i)\b(?P<x>(?P<edge>(?:early|late|earlier|later)\s+)?(?P<rel>this|last|that|"
         r"the\s+next|the\s+following|the\s+same)\s+(?P<part>morning|afternoon|evening|night))\b",
         _relative_part, "morning afternoon evening night", 40, 2),
    rule(r"(?i)\b(?P<x>(?P<edge>(?:early|late|earlier|later|mid)[\s-]+(?:in\s+)?|(?:the\s+)?(?:"
         r"end|beginning|start|middle|close|turn)\s+of\s+)?"
         rf"(?P<rel>{_REL_UNIT_WORDS})\s+(?:(?:fiscal|full|calendar)\s+)?"
         r"(?P<unit>week|month|year|decade|century|weekend|day))\b"
         r"(?![\s-]+(?:old|long|ago|earlier|later)\b)", _relative_unit, _UNIT_WORDS, 70, 2),
    rule(rf"(?i)\b(?P<x>(?P<approx>{APPROX}\s+)?(?P<n>{NUMBER}|{VAGUE})[\s-]+(?P<unit>{UNIT})\s+"
         r"(?:or\s+so\s+)?(?P<dir>ago|earlier|before|from\s+now|hence|back|previously))\b", _ago,
         "ago earlier before now hence back previously", 100, 2),
    rule(r"(?i)\b(?P<x>year[\s-](?:ago|earlier))\b", _year_ago, "ago earlier", 6, 2),
    rule(r"\b(?P<x>(?P<edge>(?i:early|late|earlier|later)\s+)?(?:(?P<rel>(?i:last|this|next|"
         r"this\s+past|this\s+coming|the\s+following|the\s+previous|the\s+next))\s+)?"
         rf"(?P<wd>{WEEKDAY_NAME})(?P<plural>s)?\b"
         r"(?:\s+(?P<part>(?i:morning|afternoon|evening|night)s?))?)\b", _weekday,
         _WEEKDAY_WORDS, 40, 20),
    rule(rf"\b(?P<x>(?P<approx>(?i:about|around|approximately)\s+)?{CLOCK}{ZONE}(?:,?\s+(?:on"
         rf"\s+)?(?P<wd2>{WEEKDAY})|\s+(?P<dw>yesterday|today|tomorrow)|,?\s+(?:on\s+)?"
         rf"(?P<mon>{MONTH})\s*(?P<day>{DAY_NUM})(?:,?\s+(?P<year>{YEAR4})\b)?)?)(?!\w)", _clock,
         "m am pm #clock noon midnight midday", 30, 45),
    rule(r"(?i)\b(?P<x>now|currently|presently|at\s+present|nowadays|"
         r"these\s+days|at\s+the\s+moment|the\s+present\s+time|"
         r"(?:more\s+|most\s+|very\s+|only\s+)?recently|lately|"
         r"(?<=\b[Ii]n\s)the\s+past|recent\s+(?:years|decades)|"
         r"the\s+(?:near\s+|distant\s+|foreseeable\s+|immediate\s+)?future|current|"
         r"the\s+(?:near|short|long)\s+term|a\s+later\s+date)\b", _ref_word,
         "now currently presently present nowadays days moment recently lately past recent "
         "future current term date", 30, 12),
    rule(r"(?i)\b(?P<x>year[\s-]end|year['’]s\s+end|end\s+of\s+year)\b", _year_end, "end", 12, 2),
    # Only after a preposition: "the morning" alone is too often generic.
    rule(r"(?i)\b(?:by|in|during|until|through)\s+(?P<x>(?:the\s+)?(?P<edge>(?:early|late|mid)"
         r"[\s-]*)?(?P<part>morning|afternoon|evening))\b(?!\s+(?:of|news|papers?|shows?|"
         r"sessions?|editions?|trading|hours)\b)", _bare_part, "morning afternoon evening", 30, 2),
    rule(rf"(?i)\b(?P<x>the\s+week\s+of\s+(?P<mon>{MONTH})\s*(?P<day>{DAY_NUM})"
         rf"(?:,?\s+(?P<year>{YEAR4})\b)?)", _week_of, "week", 6, 30),
)
# fmt: on
