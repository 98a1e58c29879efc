"""Calendar periods: quarters and halves ("the third quarter", "the year-earlier period"),
seasons ("last fall") and holidays ("Thanksgiving"), with their TIMEX3 values."""

from __future__ import annotations

import datetime as dt
import re

from storyline.temporal.context import Cand, Ctx, Rule, rule, span_of
from storyline.temporal.dates import SPOKEN_YEAR, spoken_year
from storyline.temporal.values import shift_value, unit_value
from storyline.temporal.words import EDGE, NOT_A_NOUN, SEASONS, YEAR4, edge_mod

# --- quarters and halves -------------------------------------------------------------

_QUARTER_NUMBER = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2,
                   "3rd": 3, "4th": 4, "final": 4, "last": 4}  # fmt: skip
_REL_OFFSET = {"last": -1, "this": 0, "next": 1, "current": 0, "past": -1, "previous": -1,
               "prior": -1, "preceding": -1, "latest": -1, "recent": -1, "coming": 1}  # fmt: skip


def _ordinal_period(m: re.Match[str], text: str) -> Cand | None:
    """Return "the third quarter", "third-quarter", "the first half of 1990", "Q3 2023"."""
    start, end = span_of(m)
    g = m.groupdict()
    unit = (g.get("unit") or "quarter").lower()
    number = int(g["q"]) if g.get("q") else _QUARTER_NUMBER[m.group("ord").lower()]
    if unit == "half" and number > 2:
        number = 2 if m.group("ord").lower() in ("final", "last") else 0
    if not number:
        return None
    letter = "Q" if unit == "quarter" else "H"
    years = [g[k] for k in ("y1", "y2") if g.get(k)]
    if years:
        return Cand(start, end, "DATE", f"{int(years[0]):04d}-{letter}{number}")
    rel = next((g[k] for k in ("rel1", "rel2") if g.get(k)), None)
    per_year = 4 if letter == "Q" else 2

    def resolve(ctx: Ctx) -> str | None:
        if ctx.ref is None:
            return f"XXXX-{letter}{number}"
        if rel:
            return f"{ctx.ref.year + _REL_OFFSET[rel.lower()]:04d}-{letter}{number}"
        current = (ctx.ref.month - 1) * per_year // 12 + 1
        late = number > current and ctx.direction() <= 0
        return f"{ctx.ref.year - (1 if late else 0):04d}-{letter}{number}"

    return Cand(start, end, "DATE", resolve)


_YEAR_BACK = ("year", "comparable", "corresponding", "same")


def _relative_quarter(m: re.Match[str], text: str) -> Cand | None:
    """Return "the latest quarter", "the year-earlier third quarter", "the 1988 period",
    "last year's quarter", "the quarter" (the one last mentioned)."""
    start, end = span_of(m)
    rel = " ".join((m.group("rel") or "").lower().replace("-", " ").split())
    unit = m.group("unit").lower()
    year_back = bool(m.group("tail") or m.group("lastyear")) or any(w in rel for w in _YEAR_BACK)
    explicit = m.group("yr")
    number = _QUARTER_NUMBER[m.group("ord").lower()] if m.group("ord") else None
    if unit == "period" and not (year_back or explicit or "latest" in rel or "recent" in rel):
        return None

    def resolve(ctx: Ctx) -> str | None:
        if ctx.ref is None:
            return None
        base = ctx.last_quarter or unit_value(ctx.ref, "quarter", -1)
        if number:
            base = f"{base[:4]}-Q{number}"
        if explicit:
            if ctx.span_year() and not number:
                return explicit
            return f"{explicit}-Q{base[-1]}" if ctx.last_quarter or number else explicit
        if year_back:
            return shift_value(base, "year", -1)
        if "current" in rel:
            return unit_value(ctx.ref, "quarter", 0)
        if "latest" in rel or "recent" in rel:
            return unit_value(ctx.ref, "quarter", -1)
        if any(w in rel for w in ("past", "previous", "preceding", "prior")):
            return shift_value(base, "quarter", -1)
        return base

    return Cand(start, end, "DATE", resolve, notes=not (year_back or explicit))


def _deictic_quarter(m: re.Match[str], text: str) -> Cand | None:
    """Return "last quarter", "this quarter", "next quarter" (from the reference)."""
    start, end = span_of(m)
    offset = _REL_OFFSET[m.group("rel").lower().split()[-1]]
    return Cand(start, end, "DATE", lambda ctx: unit_value(ctx.ref, "quarter", offset)
                if ctx.ref else None)  # fmt: skip


# --- seasons and holidays ------------------------------------------------------------

_SEASON_ORDER = ("SP", "SU", "FA", "WI")
_SEASON_CONTEXT = re.compile(r"(?i)\b(?:in|during|by|until|through|over|since|each|every)\s+$")


def _season_index(date: dt.date) -> int:
    """Return a running season number, year*4 + (0 spring, 1 summer, 2 fall, 3 winter),
    a winter counted in the year of its December."""
    if date.month <= 2:
        return (date.year - 1) * 4 + 3
    return date.year * 4 + (date.month - 3) // 3


def _season(m: re.Match[str], text: str) -> Cand | None:
    """Return "this summer", "last fall", "the winter of 1994", "spring 2023"."""
    start, end = span_of(m)
    season = m.group("season")
    if season[0].isupper() and not re.search(
        r"(?:^|[.!?\"“]\s*)$", text[max(0, start - 3) : start]
    ):
        return None  # seasons are written in lower case; "Spring of Life" is a name
    code = SEASONS[season.lower()]
    mod = edge_mod(m.group("edge") or m.group("edge2"))
    year = int(m.group("year")) if m.group("year") else None
    if m.group("spoken"):
        year = spoken_year(m.group("spoken"))
    if year:
        return Cand(start, end, "DATE", f"{year:04d}-{code}", mod=mod)
    rel = " ".join((m.group("rel") or "").lower().split())
    if code == "FA" and rel in ("", "the") and not mod:
        return None  # "the fall" is more often a decline than autumn
    if not rel and not mod and not _SEASON_CONTEXT.search(text, max(0, start - 12), start):
        return None  # "summer camp", "winter storm": a season word, not a date
    following = re.match(r"[ \t]+([a-z][a-z'’-]*)", text[end : end + 20])
    if rel == "the" and following and not NOT_A_NOUN.fullmatch(following.group(1)):
        return None  # "the summer camp"
    target = _SEASON_ORDER.index(code)

    def resolve(ctx: Ctx) -> str | None:
        if ctx.ref is None:
            return None
        if rel == "this":
            return f"{ctx.ref.year:04d}-{code}"
        now = _season_index(ctx.ref)
        back, ahead = (now % 4 - target) % 4, (target - now % 4) % 4
        if rel in ("last", "the past", "this past"):
            index = now - (back or 4)
        elif rel in ("next", "the coming", "this coming"):
            index = now + (ahead or 4)
        else:
            index = now + ahead if ctx.direction() > 0 else now - back
        return f"{index // 4:04d}-{_SEASON_ORDER[index % 4]}"

    return Cand(start, end, "DATE", resolve, mod=mod)


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """Return the n-th (1-based; -1 for last) given weekday of a month."""
    if n < 0:
        last = dt.date(year, month + 1, 1) - dt.timedelta(days=1) if month < 12 else dt.date(
            year, 12, 31)  # fmt: skip
        return last - dt.timedelta(days=(last.weekday() - weekday) % 7)
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _easter(year: int) -> dt.date:
    """Return Western Easter Sunday (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def holiday_date(name: str, year: int) -> dt.date | None:
    """Return the date of a named holiday in a year."""
    key = re.sub(r"[^a-z ]", "", name.lower()).replace(" day", "").strip()
    fixed = {"christmas": (12, 25), "christmas eve": (12, 24), "new years": (1, 1),
             "new years eve": (12, 31), "halloween": (10, 31), "valentines": (2, 14),
             "independence": (7, 4), "veterans": (11, 11), "boxing": (12, 26)}  # fmt: skip
    if key in fixed:
        return dt.date(year, *fixed[key])
    if key in ("easter", "easter sunday", "good friday", "easter monday"):
        shift = {"good friday": -2, "easter monday": 1}.get(key, 0)
        return _easter(year) + dt.timedelta(days=shift)
    rules = {"thanksgiving": (11, 3, 4), "labor": (9, 0, 1), "memorial": (5, 0, -1),
             "mothers": (5, 6, 2), "fathers": (6, 6, 3),
             "martin luther king": (1, 0, 3)}  # fmt: skip
    if key in rules:
        month, weekday, n = rules[key]
        return _nth_weekday(year, month, weekday, n)
    if key == "election":
        return _nth_weekday(year, 11, 0, 1) + dt.timedelta(days=1)
    return None


def _holiday(m: re.Match[str], text: str) -> Cand | None:
    """Return "Christmas", "Thanksgiving Day 1999", "last Easter": the nearest occurrence
    in the clause's tense when no year is given."""
    start, end = span_of(m)
    name = m.group("name")
    if m.group("year"):
        date = holiday_date(name, int(m.group("year")))
        return Cand(start, end, "DATE", date.isoformat()) if date else None
    rel = (m.group("rel") or "").lower()

    def resolve(ctx: Ctx) -> str | None:
        if ctx.ref is None:
            return None
        options = [d for k in (-1, 0, 1) if (d := holiday_date(name, ctx.ref.year + k))]
        if rel == "last" or (not rel and ctx.direction() < 0):
            options = [d for d in options if d <= ctx.ref] or options
        elif rel == "next" or (not rel and ctx.direction() > 0):
            options = [d for d in options if d >= ctx.ref] or options
        ref = ctx.ref
        return min(options, key=lambda d: abs((d - ref).days)).isoformat() if options else None

    return Cand(start, end, "DATE", resolve)


_YEAR_REF = (
    rf"(?:(?:fiscal\s+)?(?P<y2>{YEAR4})|(?P<rel2>this|last|next)\s+year|the\s+(?:fiscal\s+)?year)"
)
_HOLIDAYS = (
    r"Christmas(?:\s+Eve|\s+Day)?|New\s+Year's(?:\s+Eve|\s+Day)?|Thanksgiving(?:\s+Day)?|"
    r"Easter(?:\s+Sunday|\s+Monday)?|Good\s+Friday|Halloween|Valentine's\s+Day|"
    r"Independence\s+Day|Labor\s+Day|Memorial\s+Day|Election\s+Day|Veterans\s+Day|"
    r"Mother's\s+Day|Father's\s+Day|Boxing\s+Day|Martin\s+Luther\s+King\s+Day"
)


# fmt: off
RULES: tuple[Rule, ...] = (
    rule(rf"(?i)\b(?P<x>(?:the\s+)?(?:(?P<y1>{YEAR4})\s+|(?P<rel1>this|last|next)\s+year['’]s\s+)?"
         r"(?:fiscal\s+)?(?:(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th|(?<=the )final|"
         r"(?<=the )last)[\s-]+(?:fiscal[\s-]+)?(?P<unit>quarter|half))"
         rf"(?:\s+(?:of\s+)?{_YEAR_REF})?)\b", _ordinal_period, "quarter half", 50, 40),
    rule(rf"\b(?P<x>Q(?P<q>[1-4])(?:\s+(?P<y1>{YEAR4}))?)\b", _ordinal_period, "q", 2, 12),
    rule(r"(?i)\b(?P<x>(?:the|(?P<lastyear>last\s+year['’]s))\s+(?P<rel>(?:(?:comparable|"
         r"corresponding|same|year[\s-]ago|year[\s-]earlier|year[\s-]before|latest|most\s+"
         rf"recent|current|past|previous|preceding|prior|reporting|fiscal|(?P<yr>{YEAR4}))\s+)*)"
         r"(?:(?P<ord>first|second|third|fourth)[\s-]+)?(?P<unit>quarter|period)"
         r"(?P<tail>\s+(?:a\s+year\s+(?:ago|earlier|before)|of\s+last\s+year|last\s+year))?)\b"
         r"(?!\s+(?:of|century|mile|point|inch|hour|percent|share|final)\b|-to-)",
         _relative_quarter, "quarter period", 90, 40),
    rule(r"(?i)\b(?P<x>(?P<rel>this|last|next|this\s+past|this\s+coming)\s+quarter)\b",
         _deictic_quarter, "quarter", 20, 2),
    rule(rf"(?i)\b(?P<x>(?P<edge>{EDGE})?(?:(?P<rel>this\s+past|this\s+coming|this|last|next|"
         r"the\s+past|the\s+coming|the)\s+)?(?P<edge2>(?:early|late|mid)[\s-]+)?"
         r"(?P<season>spring|summer|fall|autumn|winter)"
         rf"(?:\s+(?:of\s+)?(?:(?P<year>{YEAR4})|(?P<spoken>{SPOKEN_YEAR})))?)\b", _season,
         "spring summer fall autumn winter", 50, 40),
    rule(rf"\b(?P<x>(?:(?P<rel>last|this|next)\s+)?(?P<name>{_HOLIDAYS})(?:,?\s+(?P<year>{YEAR4}))?)"
         r"\b(?!\s+(?:Island|Rising|Offensive|Parade))", _holiday,
         "christmas year thanksgiving easter friday halloween valentine independence labor "
         "memorial election veterans mother father boxing king", 40, 25),
)
# fmt: on
