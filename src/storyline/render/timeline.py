"""Dates as the report shows them: short date labels, a storyline's dated lines in the
order every format shows them, and the timeline picture of a storyline (its events and
those lines placed on one time axis, as SVG geometry the HTML template draws).

Nothing here knows about citations or formats; ``html`` builds on it.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from storyline.models import DateRange, Event, Story, TimelineEntry

__all__ = [
    "MARKER_RADIUS",
    "DayMark",
    "Timeline",
    "TimelineMark",
    "date_label",
    "day_anchors",
    "known_bounds",
    "known_days",
    "line_bounds",
    "line_label",
    "parse_day",
    "timeline",
    "timeline_days",
]

# Timeline picture geometry, in SVG user units. The width matches the 52rem text
# column at 16px so labels render near their nominal size; the rest was chosen by
# eye so a dozen events stay legible without the picture dominating the page.
SVG_WIDTH = 640
SVG_MARGIN = 36  # room for the first and last tick labels
LANE_HEIGHT = 26  # one row of event markers
MARKER_RADIUS = 9  # big enough for a two-digit event number
MARKER_GAP = 3  # least space between two markers sharing a lane
AXIS_GAP = 30  # from the last lane to the axis line, room for the tick labels below
MAX_TICKS = 5
# The timeline's lines sit on the axis as small diamonds (a line standing for a range also
# as a bar), their date labels in rows below the ticks. A label's width is estimated from
# its length (10px digits are about 5.6 units wide); two labels in one row keep LABEL_GAP
# apart, else the later one drops a row.
DAY_RADIUS = 4.5
LABEL_CHAR = 5.6
LABEL_GAP = 6
DAY_ROW = 14  # one row of day labels

# ---- dates -----------------------------------------------------------------


def known_bounds(when: DateRange) -> tuple[str, str]:
    """Return a range's first and last bound written as precisely as they are known: a
    year ('2024') when it runs from a 1 January to a 31 December or on without end, a month
    ('2024-05') when it runs from a first to a month's last day or on, else the days; ''
    for an open end. A range known only as "2024 or later" is ('2024', ''), never a day."""
    start, end = when.start or "", when.end or ""
    if when.certainty in ("given", "day") or start == end:
        return start, end
    for cut, opens, closes in ((4, _year_opens, _year_closes), (7, _month_opens, _month_closes)):
        if (not start or opens(start)) and (not end or closes(end)) and (start or end):
            return start[:cut], end[:cut]
    return start, end


def _year_opens(day: str) -> bool:
    return day[4:] == "-01-01"


def _year_closes(day: str) -> bool:
    return day[4:] == "-12-31"


def _month_opens(day: str) -> bool:
    return len(day) == 10 and day[7:] == "-01"


def _month_closes(day: str) -> bool:
    parsed = parse_day(day)
    return parsed is not None and len(day) == 10 and parsed.day == _month_length(parsed)


def _month_length(day: date) -> int:
    return calendar.monthrange(day.year, day.month)[1]


def known_days(when: DateRange) -> tuple[date, date] | None:
    """Return the first and last day a range covers as far as it is known: a year or a
    month known without its end covers the whole year or month (a band on an axis, not a
    point on its first day); None when it names no day at all."""
    start, end = known_bounds(when)
    first = parse_day(start) or parse_day(end)
    if first is None:
        return None
    last = _last_day(end) if end else _last_day(start) if start else first
    return (first, last) if last >= first else (last, first)


def _last_day(bound: str) -> date:
    """Return the last day of a bound written as a year, a month or a day."""
    day = parse_day(bound)
    assert day is not None
    if len(bound) == 4:
        return date(day.year, 12, 31)
    if len(bound) == 7:
        return day.replace(day=_month_length(day))
    return day


def date_label(when: DateRange | None) -> str:
    """Return a date range as a short label, as precise as it is known: a day, 'start –
    end', 'X or later', 'by Y', a year or a month ('2024 or later', '2024-05'), or
    'undated'."""
    if when is None or (when.start is None and when.end is None):
        return "undated"
    start, end = known_bounds(when)
    if not start:
        return f"by {end}"
    if not end:
        return start if when.certainty in ("given", "day") else f"{start} or later"
    if end == start:
        return start
    return f"{start} – {end}"


def line_label(entry: TimelineEntry) -> str:
    """Return the date a timeline line shows: its day, or for a line standing for a range
    the range ('2024-03-04 – 2024-03-06', '2024-01-01 or later')."""
    label = date_label(entry.when) if entry.when is not None else "undated"
    return entry.date if label == "undated" else label


def line_bounds(entry: TimelineEntry) -> tuple[str, str]:
    """Return a line's first and last bound as precisely as they are known: its day twice,
    or for a line standing for a range the range's (see known_bounds)."""
    if entry.when is None:
        return entry.date, entry.date
    start, end = known_bounds(entry.when)
    return start or entry.date, end


def timeline_days(story: Story) -> list[TimelineEntry]:
    """Return the lines of a storyline's timeline that say something, in date order (a
    line standing for a range after the day it starts on)."""
    lines = (e for e in story.timeline if e.sentences)
    return sorted(lines, key=lambda e: (e.date, e.when is not None))


def day_anchors(story: Story) -> list[tuple[TimelineEntry, str]]:
    """Return each line of timeline_days with the HTML id its axis mark links to:
    'day-<story>-<date>', numbered on from 2 when several lines share a date."""
    seen: dict[str, int] = {}
    anchored = []
    for entry in timeline_days(story):
        seen[entry.date] = seen.get(entry.date, 0) + 1
        repeat = f"-{seen[entry.date]}" if seen[entry.date] > 1 else ""
        anchored.append((entry, f"day-{story.id}-{entry.date}{repeat}"))
    return anchored


def parse_day(value: str | None) -> date | None:
    """Return the calendar day an ISO date or datetime (or 'YYYY-MM', 'YYYY') starts on."""
    if not value:
        return None
    for text in (value[:10], value[:7] + "-01", value[:4] + "-01-01"):
        try:
            return date.fromisoformat(text)
        except ValueError:
            continue
    return None


# ---- the timeline picture ---------------------------------------------------


@dataclass(frozen=True)
class TimelineMark:
    """One dated event on the axis: a dot for a day, a bar for a range."""

    number: int
    title: str
    label: str
    x1: float
    x2: float
    y: float


@dataclass(frozen=True)
class DayMark:
    """One line of the storyline's timeline on the axis, labelled by its date."""

    date: str  # ISO day, as the timeline gives it
    label: str  # as the line shows it (see line_label)
    x1: float  # the day, or the first day of a range
    x2: float  # the last day of a range (x1 for a day)
    label_x: float  # centre of its label, kept inside the picture
    label_y: float  # baseline of its label, in its row below the ticks
    anchor: str  # id of the dated line the mark links to

    @property
    def x(self) -> float:
        """Return the middle of the mark, where its guide to the label starts."""
        return round((self.x1 + self.x2) / 2, 1)


@dataclass(frozen=True)
class Timeline:
    """Geometry of one storyline's axis picture, ready for the template."""

    width: int
    height: int
    axis_y: float
    marks: list[TimelineMark]
    ticks: list[tuple[float, str]]
    undated: list[tuple[int, str]]
    days: list[DayMark] = field(default_factory=list)


def _assign_lanes(spans: list[tuple[float, float]], room: float) -> list[int]:
    """Return a lane per (x1, x2), in order, so that two spans in one lane are more than
    room apart."""
    lane_ends: list[float] = []
    lanes = []
    for x1, x2 in spans:
        for lane, end in enumerate(lane_ends):
            if x1 - end > room:
                lane_ends[lane] = x2
                lanes.append(lane)
                break
        else:
            lane_ends.append(x2)
            lanes.append(len(lane_ends) - 1)
    return lanes


def _ticks(first: date, days: int, scale: Callable[[int], float]) -> list[tuple[float, str]]:
    """Return up to MAX_TICKS evenly spaced (x, 'YYYY-MM-DD') tick marks."""
    count = min(MAX_TICKS, days + 1)
    offsets = sorted({round(i * days / (count - 1)) for i in range(count)} if count > 1 else {0})
    return [(scale(o), date.fromordinal(first.toordinal() + o).isoformat()) for o in offsets]


def _axis(first: date, last: date) -> tuple[date, int, Callable[[int], float]]:
    """Return the axis's first day, its length in days and the x of a day offset from it."""
    days = (last - first).days
    if days == 0:  # one day only: show the days either side so the axis reads as time
        first, days = date.fromordinal(first.toordinal() - 1), 2
    usable = SVG_WIDTH - 2 * SVG_MARGIN

    def scale(offset: int) -> float:
        return round(SVG_MARGIN + usable * offset / days, 1)

    return first, days, scale


def _line_days(entry: TimelineEntry) -> tuple[date, date] | None:
    """Return the first and last day a timeline line stands for (a band for a line known
    only to a year or a month), None when its date is not a date."""
    first = parse_day(entry.date)
    if first is None:
        return None
    known = known_days(entry.when) if entry.when is not None else None
    return known or (first, first)


def _day_marks(
    lines: list[tuple[TimelineEntry, str, tuple[date, date]]],
    x_of: Callable[[date], float],
    axis_y: float,
) -> list[DayMark]:
    """Return the timeline's lines on the axis, in date order, their labels in rows where
    they never overlap."""
    marks = []
    spans = []
    for entry, anchor, (first, last) in sorted(lines, key=lambda line: line[2]):
        x1, x2 = x_of(first), x_of(last)
        label = line_label(entry)
        half = len(label) * LABEL_CHAR / 2
        centre = min(max((x1 + x2) / 2, half + 2), SVG_WIDTH - half - 2)
        spans.append((centre - half, centre + half))
        marks.append(DayMark(entry.date, label, x1, x2, round(centre, 1), 0.0, anchor))
    rows = _assign_lanes(spans, LABEL_GAP)
    top = axis_y + AXIS_GAP + DAY_ROW / 2
    return [replace(m, label_y=top + DAY_ROW * row) for m, row in zip(marks, rows, strict=True)]


def timeline(events: list[Event], lines: Sequence[tuple[TimelineEntry, str]] = ()) -> Timeline:
    """Return the axis picture of a storyline: events placed by date, undated ones aside,
    and the lines of its timeline, each given with the id of the line its mark links to."""
    dated = [(i, e, d) for i, e in enumerate(events, 1) if (d := known_days(e.date)) is not None]
    undated = [(i, e.title) for i, e in enumerate(events, 1) if known_days(e.date) is None]
    placed = [(entry, anchor, days) for entry, anchor in lines if (days := _line_days(entry))]
    bounds = [day for _, _, span in dated for day in span]
    bounds += [day for _, _, span in placed for day in span]
    if not bounds:
        return Timeline(SVG_WIDTH, 0, 0.0, [], [], undated)
    first, length, scale = _axis(min(bounds), max(bounds))
    dated.sort(key=lambda item: item[2])
    xs = [(scale((d[0] - first).days), scale((d[1] - first).days)) for _, _, d in dated]
    lanes = _assign_lanes(xs, 2 * MARKER_RADIUS + MARKER_GAP)
    marks = [
        TimelineMark(i, e.title, date_label(e.date), x1, x2, LANE_HEIGHT * (lane + 0.5) + 4)
        for (i, e, _), (x1, x2), lane in zip(dated, xs, lanes, strict=True)
    ]
    axis_y = LANE_HEIGHT * (max(lanes, default=-1) + 1) + 8 if marks else 2 * DAY_RADIUS + 4
    day_marks = _day_marks(placed, lambda day: scale((day - first).days), axis_y)
    height = max([axis_y + AXIS_GAP, *(m.label_y + DAY_ROW / 2 for m in day_marks)])
    ticks = _ticks(first, length, scale)
    # a tick label under a day's mark would repeat the day's own label just below it
    near = [(m.label_x - len(m.label) * LABEL_CHAR, m.label_x + len(m.label) * LABEL_CHAR)
            for m in day_marks]  # fmt: skip
    ticks = [(x, "" if any(lo < x < hi for lo, hi in near) else text) for x, text in ticks]
    return Timeline(SVG_WIDTH, int(height), axis_y, marks, ticks, undated, day_marks)
