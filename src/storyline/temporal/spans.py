"""Durations ("three years", "the past two months", "a five-year plan") and sets ("every
week", "daily", "twice a year"), with their TIMEX3 values (P3Y, P1W ...)."""

from __future__ import annotations

import math
import re

from storyline.temporal.context import Cand, Rule, rule, span_of
from storyline.temporal.words import (
    APPROX,
    DAY_PARTS,
    FULL_MONTH,
    MONTHS,
    NUMBER,
    SEASONS,
    UNIT,
    UNIT_CODES,
    VAGUE,
    WEEKDAY,
    WEEKDAYS,
    approx_mod,
    approx_start,
    number_value,
    unit_of,
)

# How a fraction of a unit is written in the next smaller one (P2.5Y is P2Y6M).
_SMALLER = {"Y": ("M", 12), "M": ("D", 30), "W": ("D", 7), "D": ("H", 24), "H": ("MIN", 60),
            "MIN": ("S", 60)}  # fmt: skip
_TIME_CODES = {"H", "MIN", "S"}


def duration_value(n: float | None, unit: str) -> str:
    """Return the TIMEX3 duration of n units ("P3Y", "PT5H30M"); vague n gives "PXY"."""
    code = UNIT_CODES[unit]
    if code == "Q":
        code, n = "M", None if n is None else n * 3
    elif code == "DE":
        code, n = "Y", None if n is None else n * 10
    elif code == "CE":
        code, n = "Y", None if n is None else n * 100
    elif code == "FN":
        code, n = "W", None if n is None else n * 2
    elif code == "WE":
        code, n = "D", None if n is None else n * 2
    if n is None:
        vague = {"DE": "XDE", "CE": "XCE"}.get(UNIT_CODES[unit], "X" + code.replace("MIN", "M"))
        return ("PT" if code in _TIME_CODES else "P") + vague
    whole = math.floor(n)
    parts: list[tuple[float, str]] = [(whole, code)] if whole else []
    rest = n - whole
    if rest and code in _SMALLER:
        smaller, factor = _SMALLER[code]
        parts.append((round(rest * factor), smaller))
    elif rest:
        parts = [(n, code)]
    return _write(parts)


def _write(parts: list[tuple[float, str]]) -> str:
    date = "".join(f"{_num(k)}{c}" for k, c in parts if c not in _TIME_CODES)
    time = "".join(f"{_num(k)}{c.replace('MIN', 'M')}" for k, c in parts if c in _TIME_CODES)
    return "P" + date + ("T" + time if time else "")


def _num(k: float) -> str:
    return str(int(k)) if float(k).is_integer() else f"{k:g}"


def _duration(m: re.Match[str], text: str) -> Cand | None:
    """Return "three years", "the past two months", "a five-year", "5 1/2 hours"."""
    start, end = span_of(m)
    if m.group("tail"):
        return None  # "70-year-old": an age, which TimeML leaves out
    if m.group("unit")[0].isupper() and not m.group("unit").isupper():
        return None  # "60 Minutes": a title
    unit = unit_of(m.group("unit"))
    count = " ".join(m.group("n").lower().split())
    if unit == "quarter" and (count in ("a", "an") or re.match(r"\s+of\b", text[end:])):
        return None  # "a quarter of the vote", "three quarters of them": fractions
    if unit == "second" and count in ("a", "an"):
        return None  # "a second term": the ordinal
    if count in ("a", "an") and m.group("unit").lower().endswith("s"):
        # "a decades-long feud": the article is the noun's, and the count is vague
        unit_start = m.start("unit")
        return Cand(unit_start, end, "DURATION", duration_value(None, unit))
    vague = re.fullmatch(VAGUE, count) is not None
    n = None if vague else number_value(count)
    if not vague and n is None:
        return None
    if n is not None and m.group("half"):
        n += 0.5
    return Cand(approx_start(m, start), end, "DURATION", duration_value(n, unit),
                mod=approx_mod(m.group("approx")))  # fmt: skip


def _half_unit(m: re.Match[str], text: str) -> Cand | None:
    """Return "half an hour", "half a century"."""
    start, end = span_of(m)
    value = duration_value(0.5, unit_of(m.group("unit")))
    return Cand(approx_start(m, start), end, "DURATION", value,
                mod=approx_mod(m.group("approx")))  # fmt: skip


def _bare_plural(m: re.Match[str], text: str) -> Cand | None:
    """Return "years" in "for years", "the coming months": an unknown number of units."""
    start, end = span_of(m)
    unit = next(u for k in ("unit", "unit2", "unit3", "unit4") if (u := m.groupdict().get(k)))
    return Cand(start, end, "DURATION", duration_value(None, unit_of(unit)))


# --- sets ------------------------------------------------------------------------------

# "quarterly" is left out: it is nearly always "quarterly dividend/results", which TimeML
# annotators did not mark.
_ADVERB_SETS = {"daily": "P1D", "weekly": "P1W", "monthly": "P1M",
                "annually": "P1Y", "yearly": "P1Y", "hourly": "PT1H", "nightly": "P1D",
                "biweekly": "P2W", "fortnightly": "P2W", "semiannually": "P6M",
                "bimonthly": "P2M"}  # fmt: skip
_TIMES = {"once": "1X", "twice": "2X", "thrice": "3X"}


def _adverb_set(m: re.Match[str], text: str) -> Cand | None:
    """Return "daily", "weekly", "annually"; the newspapers "Daily Mail", "China Daily" are
    not sets."""
    start, end = span_of(m)
    word = m.group("x")
    if word[0].isupper():
        after = re.match(r"\s+([A-Za-z])", text[end : end + 3])
        if (after and after.group(1).isupper()) or re.search(
            r"[A-Za-z]\s+$", text[max(0, start - 3) : start]
        ):
            return None  # "Daily Telegraph", "China Daily"
    return Cand(start, end, "SET", _ADVERB_SETS[word.lower()])


def _every(m: re.Match[str], text: str) -> Cand | None:
    """Return "every week", "each year", "every other month", "every Monday", "each July"."""
    start, end = span_of(m)
    quant = m.group("q").upper()
    what = m.group("what")
    lowered = what.lower().rstrip("s")
    if lowered in WEEKDAYS:
        return Cand(start, end, "SET", f"XXXX-WXX-{WEEKDAYS[lowered] + 1}", quant=quant)
    if lowered in MONTHS:
        return Cand(start, end, "SET", f"XXXX-{MONTHS[lowered]:02d}", quant=quant)
    if lowered in DAY_PARTS:
        return Cand(start, end, "SET", f"XXXX-XX-XXT{DAY_PARTS[lowered]}", quant=quant)
    if lowered in SEASONS:
        return Cand(start, end, "SET", f"XXXX-{SEASONS[lowered]}", quant=quant)
    count = (m.group("n") or "").lower()
    n = 2 if count == "other" else (number_value(count) if count else 1)
    if n is None:
        return None
    return Cand(start, end, "SET", duration_value(n, unit_of(what)), quant=quant)


def _times_per(m: re.Match[str], text: str) -> Cand | None:
    """Return "twice a week", "three times a year", and "a year" after an amount."""
    start, end = span_of(m)
    times = (m.group("times") or "").lower().split()
    freq = None
    if times:
        n = _TIMES.get(times[0]) or (f"{int(v)}X" if (v := number_value(times[0])) else None)
        freq = n
    return Cand(start, end, "SET", duration_value(1, unit_of(m.group("unit"))), freq=freq)


_DIRS = (
    r"past|last|next|first|coming|previous|following|final|remaining|ensuing|preceding|"
    r"initial|latest|further|additional|same|last\s+few|past\s+few|next\s+few|first\s+few"
)
_PER = r"(?:a|an|per|each|every)"

_UNITS = (
    "second seconds minute minutes hour hours day days week weeks fortnight fortnights "
    "month months quarter quarters year years decade decades century centuries weekend "
    "weekends"
)
_PLURAL_UNITS = "years months weeks days decades hours minutes centuries quarters"

# fmt: off
RULES: tuple[Rule, ...] = (
    rule(r"(?i)(?:[$€£¥]\s?\d[\d.,]*(?:\s+(?:million|billion|trillion|thousand|[mb]n))?|"
         r"\d[\d.,]*\s*(?:%|percent|per\s+cent)|\b(?:\d[\d.,]*|one|two|three|four|five|six|"
         r"seven|eight|nine|ten|twelve|twenty|hundreds|thousands|dozens)(?:\s+(?:million|"
         r"billion|thousand))?(?:\s+[a-z-]+){0,2}?\s+[a-z-]+s)\s+"
         r"(?P<x>(?P<times>)(?:a|an|per)\s+(?P<unit>year|month|week|day|hour))\b", _times_per,
         "year month week day hour", 90, 2),
    rule(rf"(?i)\b(?P<x>(?P<approx>{APPROX}\s+)?(?:(?P<det>the)\s+)?(?:(?P<dir>{_DIRS})\s+)?"
         rf"(?P<n>{NUMBER}|{VAGUE})(?:\s+(?:more|additional|further|other|straight|"
         r"consecutive|full|long|successive))?[\s-]+(?P<unit>" + UNIT + r")"
         r"(?P<half>\s+and\s+a\s+half)?(?:-long)?)\b(?P<tail>[\s-]+olds?\b)?", _duration,
         _UNITS, 100, 30),
    rule(rf"(?i)\b(?P<x>(?P<approx>{APPROX}\s+)?half\s+(?:an?\s+)?(?P<unit>hour|day|year|"
         r"century|decade|minute))\b", _half_unit, "half", 30, 20),
    rule(r"(?i)(?:\b(?:for|within|in|over|after|lasting|took|takes|spent)\s+|"
         r"\bthe\s+(?:coming|next|past)\s+|\b(?:many|several|some)\s+)"
         r"(?P<x>(?P<unit>years|months|weeks|days|decades|hours|minutes|centuries))\b"
         r"(?![\s-]+(?:ago|later|earlier|old|before|after)\b)", _bare_plural, _PLURAL_UNITS, 30, 2),
    rule(r"(?i)\b(?P<x>(?:the\s+)?(?:coming|next|past|recent)\s+(?P<unit>months|weeks|days|"
         r"quarters|hours)|(?:the\s+)?(?:coming|next|past)\s+(?P<unit2>years|decades)|the\s+"
         r"(?P<unit3>years|months|weeks|days)\s+ahead|(?P<unit4>years|months|weeks|days|decades|"
         r"hours|centuries)-long)\b(?![\s-]+(?:ago|later|earlier|old)\b)",
         _bare_plural, _PLURAL_UNITS, 30, 12),
    rule(r"\b(?P<x>(?i:daily|weekly|monthly|annually|yearly|hourly|nightly|biweekly|"
         r"fortnightly|semiannually|bimonthly))\b", _adverb_set,
         "daily weekly monthly annually yearly hourly nightly biweekly fortnightly semiannually "
         "bimonthly", 2, 2),
    rule(rf"\b(?P<x>(?P<q>(?i:every|each))\s+(?:(?P<n>(?i:other|{NUMBER}))\s+)?"
         rf"(?P<what>(?i:second|minute|hour|day|week|month|quarter|year|decade|morning|"
         rf"afternoon|evening|night|weekend|spring|summer|autumn|winter)s?|{WEEKDAY}|"
         rf"(?:{FULL_MONTH})\b))", _every, "every each", 2, 45),
    rule(rf"(?i)\b(?P<x>(?P<times>once|twice|thrice|{NUMBER}\s+times)\s+{_PER}\s+"
         r"(?P<unit>second|minute|hour|day|week|month|year|decade))\b", _times_per,
         "once twice thrice times", 30, 25),
)
# fmt: on
