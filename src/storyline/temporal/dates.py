"""Calendar expressions: full dates, months, years, decades, centuries, quarters, seasons and
holidays, with their TIMEX3 values (yearless ones resolved against the reference)."""

from __future__ import annotations

import re

from storyline.temporal.context import Cand, Ctx, Rule, rule, span_of
from storyline.temporal.values import (
    month_day_date,
    month_year,
    valid_date,
)
from storyline.temporal.words import (
    DAY_NUM,
    EDGE,
    FULL_MONTH,
    MONTH,
    MONTHS,
    ORDINALS,
    WEEKDAY,
    WEEKDAYS,
    YEAR4,
    edge_mod,
    number_value,
    ordinal_value,
)

# A clock time: "9:30 p.m.", "6 a.m", "14:30", "noon".
CLOCK = (
    r"(?:(?P<hour>[01]?\d|2[0-3])(?:[:.](?P<minute>[0-5]\d))?\s*"
    r"(?P<ampm>[aApP]\.\s?[mM]\.?|[aApP][mM]\b)|(?P<hh>[01]?\d|2[0-3]):(?P<mm>[0-5]\d)(?!\d)"
    r"|(?P<named>noon|midnight|midday))"
)
ZONE = r"(?:\s+(?:[A-Z]{1,2}[DS]?T|GMT|UTC|local\s+time)\b)?"
# Words after which a bare month name is a date even when it could be a verb or a name.
_MONTH_CONTEXT = {"in", "since", "by", "until", "till", "from", "through", "during", "before",
                  "after", "of", "between", "and", "or", "to", "throughout", "early", "late",
                  "mid", "last", "next", "this", "on", "that", "each", "every"}  # fmt: skip
_AMBIGUOUS_MONTHS = {"may", "march"}
_NAME_MONTHS = {"april", "june", "july", "august", "january"}
# Determiners and possessives before "1998 elections" make the year a modifier, not a count.
_YEAR_DETERMINERS = {"the", "its", "his", "her", "their", "our", "this", "that", "each",
                     "every", "last", "next"}  # fmt: skip
# Words before a year-like number under 1900 that make it a year ("in 1776").
_OLD_YEAR_CONTEXT = _YEAR_DETERMINERS | {"in", "of", "since", "until", "by", "before",
                                         "after", "from", "during", "early", "late", "mid",
                                         "and", "or", "to", "through", "between"}  # fmt: skip
_NOT_COUNT_NOUNS = {"as", "is", "was", "has", "his", "its", "this", "thus", "us", "does",
                    "versus", "plus", "yes", "less", "levels", "results", "elections",
                    "earnings", "sales", "figures", "rates", "prices", "games", "olympics",
                    "talks", "protests", "accords"}  # fmt: skip
_COUNT_WORDS = {"percent", "per", "people", "men", "women", "children", "staff", "police",
                "miles", "feet", "metres", "meters", "tons", "troops", "hours", "gmt",
                "hrs", "pounds", "dollars", "euros", "yuan", "yen", "kilometers", "km",
                "barrels", "head", "times"}  # fmt: skip
_NOT_YEAR_BEFORE = re.compile(
    r"(?:[$€£#¥]\s*|\b(?:No|no|Nos|Room|room|Flight|flight|Route|route|Highway|highway|page|"
    r"pages|Article|article|Section|section|Model|model|number|Number|version|Version|"
    r"Interstate|Unit|unit|Bus|bus|Line|line|Resolution|resolution|at|some|Some|nearly|"
    r"almost|than|over|only|just|all)\.?\s+|\d[,.]|\d\s|(?<![\d,])\d{1,2},\s*)$"
)


def clock_suffix(m: re.Match[str]) -> str:
    """Return "THH:MM" for the clock time the match holds, or "" when it has none."""
    groups = m.groupdict()
    if groups.get("named"):
        return {"noon": "T12:00", "midday": "T12:00", "midnight": "T24:00"}[groups["named"].lower()]
    if groups.get("hh"):
        return f"T{int(groups['hh']):02d}:{groups['mm']}"
    if not groups.get("hour"):
        return ""
    hour = int(groups["hour"])
    ampm = groups["ampm"].lower()
    if ampm.startswith("p") and hour < 12:
        hour += 12
    elif ampm.startswith("a") and hour == 12:
        hour = 0
    return f"T{hour:02d}:{groups.get('minute') or '00'}"


def _month(m: re.Match[str], group: str = "mon") -> int:
    return MONTHS[m.group(group).rstrip(".").lower()]


def _previous_word(text: str, start: int) -> str:
    m = re.search(r"([A-Za-z]+)[\s-]*$", text[max(0, start - 24) : start])
    return m.group(1).lower() if m else ""


def _next_word(text: str, end: int) -> str:
    m = re.match(r"[\s,]*([A-Za-z'’]+)", text[end : end + 24])
    return m.group(1) if m else ""


# --- full dates ----------------------------------------------------------------------


_SHARED_YEAR = re.compile(
    rf"\s*(?:and|or|&)\s*(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?,?\s+({YEAR4})\b"
)


def _full_date(m: re.Match[str], text: str) -> Cand | None:
    """Return "October 18, 2023", "Wednesday, 18 Oct" (yearless: nearest the reference)."""
    month, day = _month(m), int(re.sub(r"\D", "", m.group("day")))
    if valid_date(2000, month, day) is None:
        return None
    start, end = span_of(m)
    clock = clock_suffix(m)
    kind = "TIME" if clock else "DATE"
    if m.group("year"):
        date = valid_date(int(m.group("year")), month, day)
        return Cand(start, end, kind, date.isoformat() + clock) if date else None
    weekday = WEEKDAYS[m.group("wd").lower()] if m.group("wd") else None
    shared = _SHARED_YEAR.match(text, end)
    if shared:  # "May 3 and 4, 2001": the year written once serves both days
        date = valid_date(int(shared.group(1)), month, day)
        return Cand(start, end, kind, date.isoformat() + clock) if date else None

    def resolve(ctx: Ctx) -> str | None:
        if ctx.ref is None:
            return f"XXXX-{month:02d}-{day:02d}{clock}"
        date = month_day_date(ctx.ref, month, day, weekday, ctx.direction(), ctx.firm())
        return date.isoformat() + clock if date else f"XXXX-{month:02d}-{day:02d}{clock}"

    return Cand(start, end, kind, resolve)


def _second_day(m: re.Match[str], text: str) -> Cand | None:
    """Return the "25" of "April 24 and 25" (or "April 24 or 25, 1999"): a date of its own
    in the month named before it, later than the first day."""
    month, day = _month(m), int(m.group("day"))
    if valid_date(2000, month, day) is None or day <= int(m.group("first")):
        return None
    start, end = span_of(m)
    if m.group("year"):
        date = valid_date(int(m.group("year")), month, day)
        return Cand(start, end, "DATE", date.isoformat()) if date else None

    def resolve(ctx: Ctx) -> str | None:
        if ctx.ref is None:
            return f"XXXX-{month:02d}-{day:02d}"
        date = month_day_date(ctx.ref, month, day, None, ctx.direction(), ctx.firm())
        return date.isoformat() if date else f"XXXX-{month:02d}-{day:02d}"

    return Cand(start, end, "DATE", resolve)


def _iso_date(m: re.Match[str], text: str) -> Cand | None:
    """Return "2023-10-18" (DATE) or "2023-10-18T14:30" (TIME)."""
    date = valid_date(int(m.group("year")), int(m.group("mo")), int(m.group("dd")))
    if date is None:
        return None
    clock = clock_suffix(m)
    return Cand(*m.span(), "TIME" if clock else "DATE", date.isoformat() + clock)


def _slash_date(m: re.Match[str], text: str) -> Cand | None:
    """Return "10/18/2023" read month first (US), or day first when the month cannot be."""
    a, b, year = int(m.group("a")), int(m.group("b")), int(m.group("year"))
    date = valid_date(year, a, b) or valid_date(year, b, a)
    return Cand(*m.span(), "DATE", date.isoformat()) if date else None


def _month_of_year(m: re.Match[str], text: str) -> Cand | None:
    """Return "October 2023", "early Oct. 2023", "March of 2021"."""
    start, end = span_of(m)
    value = f"{int(m.group('year')):04d}-{_month(m):02d}"
    return Cand(start, end, "DATE", value, mod=edge_mod(m.group("edge")))


def _month_alone(m: re.Match[str], text: str) -> Cand | None:
    """Return "in February", "last May", "May last year"; a bare "May"/"March" needs a
    preposition before it, and "June Carter" is a name."""
    start, end = span_of(m)
    name = m.group("mon").rstrip(".").lower()
    rel, rel2, edge = m.group("rel"), m.group("rel2"), m.group("edge")
    if not (rel or rel2 or edge):
        before = _previous_word(text, start)
        if name in _AMBIGUOUS_MONTHS and before not in _MONTH_CONTEXT:
            return None
        after = _next_word(text, end)
        if name in _NAME_MONTHS and after[:1].isupper() and before not in _MONTH_CONTEXT:
            return None
    month = MONTHS[name]

    def resolve(ctx: Ctx) -> str | None:
        if ctx.ref is None:
            return None if rel or rel2 else f"XXXX-{month:02d}"
        ref = ctx.ref
        word = (rel or "").split()[-1].lower() if rel else ""
        if rel2:
            year = ref.year + {"last": -1, "this": 0, "next": 1}[rel2.lower()]
        elif word in ("last", "past", "previous"):
            # "last February" said in March is a year back: the month just gone would be
            # "last month" or "in February".
            year = ref.year if month < ref.month - 1 else ref.year - 1
        elif word in ("next", "coming", "following"):
            year = ref.year if month > ref.month else ref.year + 1
        elif word == "this":
            year = ref.year
        else:
            year = month_year(ref, month, ctx.direction(), ctx.firm())
        return f"{year:04d}-{month:02d}"

    return Cand(start, end, "DATE", resolve, mod=edge_mod(edge))


# --- years, decades, centuries -------------------------------------------------------


def _is_count(text: str, start: int, end: int, year: int) -> bool:
    """Return True when a year-like number reads as a count ("2000 people", "$1990")."""
    if _NOT_YEAR_BEFORE.search(text[max(0, start - 16) : start]):
        return True
    before = _previous_word(text, start)
    follower = re.match(r"[ \t]+([A-Za-z]+)\b", text[end : end + 30])
    word = follower.group(1).lower() if follower else ""
    if year < 1900 and before not in _OLD_YEAR_CONTEXT:
        return True
    if word in _COUNT_WORDS:
        return True
    if word.endswith("s") and word not in _NOT_COUNT_NOUNS and not word.endswith("ss"):
        possessive = text[max(0, start - 3) : start].rstrip().endswith(("'s", "’s"))
        return before not in _YEAR_DETERMINERS and not possessive
    return False


def _year(m: re.Match[str], text: str) -> Cand | None:
    """Return "1998", "fiscal 1989", "early 2022", "mid-1996" unless the number is a count."""
    start, end = span_of(m)
    year = int(m.group("year"))
    if not (m.group("edge") or m.group("pre")) and _is_count(text, start, end, year):
        return None
    return Cand(start, end, "DATE", f"{year:04d}", mod=edge_mod(m.group("edge")))


def _decade(m: re.Match[str], text: str) -> Cand | None:
    """Return "the 1990s" (199), "the late 1980s", "the '90s" (of the reference century)."""
    start, end = span_of(m)
    mod = edge_mod(m.group("edge"))
    if m.group("dec"):
        return Cand(start, end, "DATE", m.group("dec")[:3], mod=mod)
    short = int(m.group("dd"))

    def resolve(ctx: Ctx) -> str | None:
        if ctx.ref is None:
            return None
        century = ctx.ref.year // 100 - (1 if short > ctx.ref.year % 100 else 0)
        return f"{century:02d}{short // 10}"

    return Cand(start, end, "DATE", resolve, mod=mod)


def _century(m: re.Match[str], text: str) -> Cand | None:
    """Return "the 20th century" as its TIMEX3 value "19"."""
    start, end = span_of(m)
    number = ordinal_value(m.group("ord").replace("-", " ").replace("  ", " "))
    if number is None:
        number = ORDINALS.get(m.group("ord").lower().replace(" ", "-"))
    if not number or number > 30:
        return None
    return Cand(start, end, "DATE", f"{number - 1:02d}", mod=edge_mod(m.group("edge")))


_TEENS = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
_DIGIT = "one|two|three|four|five|six|seven|eight|nine"
_TENS_WORDS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
# A year read out, as in broadcast transcripts: "nineteen ninety-six", "two thousand one".
SPOKEN_YEAR = (
    rf"(?:(?:nineteen|twenty)[\s-](?:{_TEENS}|(?:{_TENS_WORDS})(?:[\s-](?:{_DIGIT}))?|"
    rf"hundred)|two\s+thousand(?:\s+(?:and\s+)?(?:{_TEENS}|{_DIGIT}))?)"
)
_DECADE_WORDS = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6,
                 "seventies": 7, "eighties": 8, "nineties": 9}  # fmt: skip


def spoken_year(text: str) -> int | None:
    """Return the year a read-out year names ("nineteen ninety-six" -> 1996)."""
    words = text.lower().replace("-", " ").replace(" and ", " ").split()
    if words[:2] == ["two", "thousand"]:
        rest = number_value(" ".join(words[2:])) if words[2:] else 0.0
        return 2000 + int(rest) if rest is not None else None
    head = number_value(words[0])
    tail = 0.0 if words[1:] == ["hundred"] else number_value(" ".join(words[1:]))
    return int(head * 100 + tail) if head and tail is not None else None


def _spoken_year(m: re.Match[str], text: str) -> Cand | None:
    """Return "nineteen ninety-six", "the year two thousand", "January nineteen ninety"."""
    start, end = span_of(m)
    year = spoken_year(m.group("spoken"))
    if year is None:
        return None
    if m.group("mon"):
        return Cand(start, end, "DATE", f"{year:04d}-{_month(m):02d}")
    return Cand(start, end, "DATE", f"{year:04d}")


def _decade_word(m: re.Match[str], text: str) -> Cand | None:
    """Return "the nineties", "the early eighties": the decade of the reference century
    that is not in the future."""
    start, end = span_of(m)
    digit = _DECADE_WORDS[m.group("dw").lower()]

    def resolve(ctx: Ctx) -> str | None:
        if ctx.ref is None:
            return None
        century = ctx.ref.year // 100 - (1 if digit > ctx.ref.year % 100 // 10 else 0)
        return f"{century:02d}{digit}"

    return Cand(start, end, "DATE", resolve, mod=edge_mod(m.group("edge")))


_ORD_WORDS = "|".join(sorted(ORDINALS, key=len, reverse=True))
_MONTH_WORDS = (
    "january february march april may june july august september october "
    "november december jan feb mar apr jun jul aug sep sept oct nov dec"
)
_WEEKDAY_WORDS = "monday tuesday wednesday thursday friday saturday sunday tues thurs"

# fmt: off
RULES: tuple[Rule, ...] = (
    rule(rf"(?i)\b(?P<x>(?:the\s+year\s+|(?P<mon>(?-i:{FULL_MONTH}))\s+|(?<=\bin\s))?"
         rf"(?P<spoken>{SPOKEN_YEAR}))\b(?!\s+(?:percent|people|dollars|years|of)\b)",
         _spoken_year, "nineteen twenty thousand", 30, 40),
    rule(rf"(?i)\b(?P<x>the\s+(?P<edge>(?:early|late|mid)[\s-]+)?(?:nineteen[\s-])?"
         rf"(?P<dw>{'|'.join(_DECADE_WORDS)}))\b", _decade_word, " ".join(_DECADE_WORDS), 40, 2),
    rule(rf"\b(?P<x>(?:(?P<wd>{WEEKDAY}),?\s+(?:the\s+)?)?(?P<mon>{MONTH})\s*(?P<day>{DAY_NUM})"
         rf"(?![:.]\d|\s*%)(?:(?:,\s*|\s+)(?P<year>{YEAR4})\b)?"
         rf"(?:,?\s+(?:at\s+)?{CLOCK}{ZONE})?)", _full_date, _MONTH_WORDS, 30, 45),
    rule(rf"\b(?P<x>(?:(?P<wd>{WEEKDAY}),?\s+)?(?P<day>{DAY_NUM})(?:\s+of)?\s+(?P<mon>{MONTH})"
         rf"(?:,?\s+(?P<year>{YEAR4})\b)?(?:,?\s+(?:at\s+)?{CLOCK}{ZONE})?)", _full_date,
         _MONTH_WORDS, 40, 45),
    rule(rf"\b(?P<mon>{MONTH})\s*(?P<first>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\s*(?:and|or|&)"
         rf"\s*(?P<x>(?P<day>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?)\b(?![:.]\d|\s*(?:%|per))"
         rf"(?:,?\s+(?P<year>{YEAR4})\b)?", _second_day, _MONTH_WORDS, 2, 30),
    rule(rf"\b(?P<year>{YEAR4})-(?P<mo>[01]\d)-(?P<dd>[0-3]\d)"
         r"(?:[T ](?P<hh>[01]\d|2[0-3]):(?P<mm>[0-5]\d)(?::\d\d)?)?\b", _iso_date, "#year", 2, 25),
    rule(rf"\b(?P<a>[01]?\d)/(?P<b>[0-3]?\d)/(?P<year>{YEAR4})\b", _slash_date, "#year", 8, 2),
    rule(rf"\b(?P<x>(?P<edge>{EDGE})?(?P<mon>{MONTH}),?\s+(?:of\s+)?(?P<year>{YEAR4}))\b"
         r"(?![.,]?\d)", _month_of_year, _MONTH_WORDS, 40, 12),
    rule(rf"\b(?P<x>(?P<edge>(?i:{EDGE}))?(?:(?P<rel>(?i:last|this|next|(?:the\s+)?"
         rf"(?:previous|following|coming|past)))\s+)?(?P<mon>{FULL_MONTH}|Sept\.)"
         r"(?P<post>(?:\s+of)?\s+(?P<rel2>last|this|next)\s+year)?)\b(?!\s*\d)(?!['’]s\s+[A-Z])",
         _month_alone, _MONTH_WORDS, 40, 25),
    rule(rf"\b(?P<x>(?P<edge>(?i:{EDGE}))?(?P<pre>(?i:(?:fiscal|calendar|FY)\s*|the\s+year\s+|"
         rf"(?:mid|post|pre)-))?(?P<year>{YEAR4}))\b(?![.,]?\d|%|-[01]\d-)", _year, "#year", 40, 2),
    rule(r"(?P<x>(?:\b(?i:the)\s+(?=(?i:early|late|mid)))?(?:\b(?P<edge>(?i:early|late|mid)"
         r"[\s-]+))?(?:\b(?P<dec>(?:1[6-9]|20)\d0)'?s|(?<=the )['’](?P<dd>\d0)s))\b", _decade,
         "#decade", 30, 2),
    rule(rf"(?i)\b(?P<x>(?P<edge>(?:early|late|mid)[\s-]+)?(?P<ord>\d{{1,2}}(?:st|nd|rd|th)|"
         rf"{_ORD_WORDS}|twenty[\s-]first)[\s-]+century)\b", _century, "century", 40, 2),
)
# fmt: on
