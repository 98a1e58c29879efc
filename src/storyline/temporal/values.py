"""TIMEX3 value arithmetic: the value of a calendar period near a date, shifting a value by
whole units while keeping its granularity, and picking the year of a yearless date."""

from __future__ import annotations

import datetime as dt
import re

from storyline.models import iso_day

_DAY_VALUE = re.compile(r"^(\d{4})-(\d\d)-(\d\d)")
_MONTH_VALUE = re.compile(r"^(\d{4})-(\d\d)$")
_QUARTER_VALUE = re.compile(r"^(\d{4})-Q([1-4])$")
_HALF_VALUE = re.compile(r"^(\d{4})-H([12])$")
_WEEK_VALUE = re.compile(r"^(\d{4})-W(\d\d)(-WE)?$")
_SEASON_VALUE = re.compile(r"^(\d{4})-(SP|SU|FA|WI)$")
_YEAR_VALUE = re.compile(r"^(\d{4})$")

# Either side of the reference, how near a yearless date or month must be to be taken
# whatever the clause's tense: news mostly names dates within a couple of months of its
# own ("payable Dec. 7" in November, "in January" in November); beyond that the tense
# decides. Chosen on TimeBank/AQUAINT dev documents.
NEAR_DAYS = 90
# A date this close to the reference is taken whatever the tense: creation dates are
# often a day or two off the events' own calendar (time zones, late editions).
SLACK_DAYS = 7
NEAR_MONTHS = 2


def valid_date(year: int, month: int, day: int) -> dt.date | None:
    """Return the date, or None when the day does not exist (30 February)."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def week_value(date: dt.date) -> str:
    """Return the ISO week of a date as a TIMEX3 value ("2023-W42")."""
    year, week, _ = date.isocalendar()
    return f"{year:04d}-W{week:02d}"


def _month_index(year: int, month: int, shift: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + shift
    return index // 12, index % 12 + 1


def _add_months(date: dt.date, months: int) -> dt.date:
    """Return the date months later, clamping the day to the end of a shorter month."""
    year, month = _month_index(date.year, date.month, months)
    for day in range(date.day, 27, -1):
        found = valid_date(year, month, day)
        if found:
            return found
    return dt.date(year, month, min(date.day, 28))


def unit_value(anchor: dt.date, unit: str, offset: int) -> str:
    """Return the value of the unit-long period holding anchor, moved offset units."""
    if unit == "day":
        return (anchor + dt.timedelta(days=offset)).isoformat()
    if unit in ("week", "weekend"):
        week = week_value(anchor + dt.timedelta(weeks=offset))
        return week + "-WE" if unit == "weekend" else week
    if unit == "month":
        year, month = _month_index(anchor.year, anchor.month, offset)
        return f"{year:04d}-{month:02d}"
    if unit == "quarter":
        index = anchor.year * 4 + (anchor.month - 1) // 3 + offset
        return f"{index // 4:04d}-Q{index % 4 + 1}"
    if unit == "half":
        index = anchor.year * 2 + (anchor.month - 1) // 6 + offset
        return f"{index // 2:04d}-H{index % 2 + 1}"
    if unit == "decade":
        return f"{anchor.year // 10 + offset:03d}"
    if unit == "century":
        return f"{anchor.year // 100 + offset:02d}"
    return f"{anchor.year + offset:04d}"


def year_of(value: str | None) -> int | None:
    """Return the year of a value that has one ("2023-Q3" -> 2023)."""
    m = re.match(r"^(\d{4})(?:-|$)", value or "")
    return int(m.group(1)) if m else None


def granularity(value: str | None) -> str | None:
    """Return the unit a value is precise to: day, week, month, quarter, half, season, year."""
    if not value:
        return None
    for name, pattern in (("day", _DAY_VALUE), ("month", _MONTH_VALUE),
                          ("quarter", _QUARTER_VALUE), ("half", _HALF_VALUE),
                          ("week", _WEEK_VALUE), ("season", _SEASON_VALUE),
                          ("year", _YEAR_VALUE)):  # fmt: skip
        if pattern.match(value):
            return name
    return None


def shift_value(value: str, unit: str, n: int) -> str | None:
    """Return value moved n units (day/week/month/year), keeping its granularity.

    "2023-Q3" a year back is "2022-Q3"; None when the granularity cannot carry the shift
    (a month moved by days).
    """
    day = iso_day(value)
    if day is not None:
        if unit in ("day", "week"):
            return (day + dt.timedelta(days=n * (7 if unit == "week" else 1))).isoformat()
        return _add_months(day, n * (12 if unit == "year" else 1)).isoformat()
    months = {"month": n, "quarter": 3 * n, "year": 12 * n}.get(unit)
    if (m := _MONTH_VALUE.match(value)) and months is not None:
        year, month = _month_index(int(m.group(1)), int(m.group(2)), months)
        return f"{year:04d}-{month:02d}"
    if (m := _QUARTER_VALUE.match(value)) and months is not None and months % 3 == 0:
        index = int(m.group(1)) * 4 + int(m.group(2)) - 1 + months // 3
        return f"{index // 4:04d}-Q{index % 4 + 1}"
    if (m := _WEEK_VALUE.match(value)) and unit in ("week", "year"):
        monday = dt.date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
        moved = monday + dt.timedelta(weeks=n) if unit == "week" else _add_months(monday, 12 * n)
        return week_value(moved) + (m.group(3) or "")
    m = _HALF_VALUE.match(value) or _SEASON_VALUE.match(value) or _YEAR_VALUE.match(value)
    if m and unit == "year":
        return f"{int(m.group(1)) + n:04d}" + value[4:]
    return None


def weekday_date(ref: dt.date, weekday: int, direction: int) -> dt.date:
    """Return the weekday on or before ref (direction < 0), else on or after it."""
    if direction < 0:
        return ref - dt.timedelta(days=(ref.weekday() - weekday) % 7)
    return ref + dt.timedelta(days=(weekday - ref.weekday()) % 7)


def month_year(ref: dt.date, month: int, direction: int, firm: bool = False) -> int:
    """Return the year of a yearless month: the nearest one when it lies within
    NEAR_MONTHS of ref's month (unless the tense is firm), else the nearest in the clause's
    tense."""
    options = [
        (ref.year + k, (ref.year + k - ref.year) * 12 + month - ref.month) for k in (-1, 0, 1)
    ]
    nearest = min(options, key=lambda o: (abs(o[1]), o[1]))
    if nearest[1] == 0 or (abs(nearest[1]) <= NEAR_MONTHS and not firm) or direction == 0:
        return nearest[0]
    fits = [o for o in options if o[1] * direction >= 0]
    return min(fits, key=lambda o: abs(o[1]))[0]


def month_day_date(
    ref: dt.date, month: int, day: int, weekday: int | None, direction: int, firm: bool = False
) -> dt.date | None:
    """Return the yearless date nearest ref that fits the weekday: the nearest one when it
    lies within SLACK_DAYS, or within NEAR_DAYS unless the tense is firm; else the nearest
    in the clause's tense."""
    options = [valid_date(ref.year + k, month, day) for k in (-1, 0, 1)]
    fits = [d for d in options if d and (weekday is None or d.weekday() == weekday)]
    if not fits:
        return None
    nearest = min(fits, key=lambda d: abs((d - ref).days))
    distance = abs((nearest - ref).days)
    if distance <= SLACK_DAYS or (distance <= NEAR_DAYS and not firm) or direction == 0:
        return nearest
    tensed = [d for d in fits if (d - ref).days * direction >= 0]
    return min(tensed, key=lambda d: abs((d - ref).days)) if tensed else nearest
