"""Dates as the report shows them: short date labels, and the timeline picture of a
storyline (events placed on a time axis, as SVG geometry the HTML template draws).

Nothing here knows about citations or formats; ``report_html`` builds on it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from storyline.models import DateRange, Event

__all__ = ["MARKER_RADIUS", "Timeline", "TimelineMark", "date_label", "parse_day", "timeline"]

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


# ---- dates -----------------------------------------------------------------


def date_label(when: DateRange | None) -> str:
    """Return a date range as a short label: a day, 'start – end', 'X or later', 'by Y' or
    'undated'."""
    if when is None or (when.start is None and when.end is None):
        return "undated"
    if when.start is None:
        return f"by {when.end}"
    if when.end is None:
        return when.start if when.certainty in ("given", "day") else f"{when.start} or later"
    if when.end == when.start:
        return when.start
    return f"{when.start} – {when.end}"


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
class Timeline:
    """Geometry of one storyline's axis picture, ready for the template."""

    width: int
    height: int
    axis_y: float
    marks: list[TimelineMark]
    ticks: list[tuple[float, str]]
    undated: list[tuple[int, str]]


def _event_days(event: Event) -> tuple[date, date] | None:
    """Return an event's first and last day, or None when it has no usable date."""
    first = parse_day(event.date.start) or parse_day(event.date.end)
    last = parse_day(event.date.end) or first
    if first is None or last is None:
        return None
    return (first, last) if first <= last else (last, first)


def _assign_lanes(spans: list[tuple[float, float]]) -> list[int]:
    """Return a lane per (x1, x2) so that markers in one lane never overlap."""
    lane_ends: list[float] = []
    lanes = []
    for x1, x2 in spans:
        for lane, end in enumerate(lane_ends):
            if x1 - end > 2 * MARKER_RADIUS + MARKER_GAP:
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


def timeline(events: list[Event]) -> Timeline:
    """Return the axis picture of a storyline: events placed by date, undated ones aside."""
    dated = [(i, e, d) for i, e in enumerate(events, 1) if (d := _event_days(e)) is not None]
    undated = [(i, e.title) for i, e in enumerate(events, 1) if _event_days(e) is None]
    if not dated:
        return Timeline(SVG_WIDTH, 0, 0.0, [], [], undated)
    first = min(d[0] for _, _, d in dated)
    days = (max(d[1] for _, _, d in dated) - first).days
    if days == 0:  # one day only: show the days either side so the axis reads as time
        first, days = date.fromordinal(first.toordinal() - 1), 2
    usable = SVG_WIDTH - 2 * SVG_MARGIN

    def scale(offset: int) -> float:
        return round(SVG_MARGIN + usable * offset / days, 1)

    dated.sort(key=lambda item: item[2])
    xs = [(scale((d[0] - first).days), scale((d[1] - first).days)) for _, _, d in dated]
    lanes = _assign_lanes(xs)
    marks = [
        TimelineMark(i, e.title, date_label(e.date), x1, x2, LANE_HEIGHT * (lane + 0.5) + 4)
        for (i, e, _), (x1, x2), lane in zip(dated, xs, lanes, strict=True)
    ]
    axis_y = LANE_HEIGHT * (max(lanes) + 1) + 8
    return Timeline(
        SVG_WIDTH, int(axis_y + AXIS_GAP), axis_y, marks, _ticks(first, days, scale), undated
    )
