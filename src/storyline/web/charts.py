"""An event's coverage chart: one row per source, a mark on each day it published.

Geometry only (SVG user units); the event template draws it. The time axis and its
ticks follow the storyline picture of ``render.timeline`` so both read the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from storyline.models import Article
from storyline.render.html import display_title
from storyline.render.timeline import MAX_TICKS, SVG_WIDTH

__all__ = ["Coverage", "CoverageDot", "CoverageRow", "coverage"]

# Rows are tall enough for an 11px label and a dot of DOT_RADIUS; the label column fits
# about 28 characters of an outlet's name at 11px (longer names are cut, whole in a tooltip).
ROW_HEIGHT = 22
LABEL_WIDTH = 190
LABEL_CHARS = 28
RIGHT_MARGIN = 36  # half a tick label (10 characters at 11px) past the last day
TOP = 8
AXIS_ROOM = 30  # below the last row: the axis and its tick labels
DOT_RADIUS = 6


@dataclass(frozen=True)
class CoverageDot:
    """The articles one source published on one day."""

    x: float
    y: float
    day: str
    count: int
    titles: list[str]  # of the articles, for the tooltip
    href: str  # the first article's page
    inferred: bool  # every article's day was inferred, none given by its source


@dataclass(frozen=True)
class CoverageRow:
    source: str
    label: str  # the source, cut to fit the label column
    y: float
    dots: list[CoverageDot]


@dataclass(frozen=True)
class Coverage:
    width: int
    height: int
    label_width: int
    axis_y: float
    x1: float
    x2: float
    rows: list[CoverageRow]
    ticks: list[tuple[float, str]]
    undated: list[tuple[str, str, str]] = field(default_factory=list)  # (source, title, href)


def coverage(
    articles: list[Article], sources: dict[str, str], days: dict[str, date | None]
) -> Coverage:
    """Return the coverage chart of an event's articles: rows in order of each source's
    first publication, undated articles listed aside."""
    dated = [(a, d) for a in articles if (d := days.get(a.id)) is not None]
    undated = [
        (sources.get(a.id, ""), display_title(a), f"/articles/{a.id}")
        for a in articles
        if days.get(a.id) is None
    ]
    if not dated:
        return Coverage(SVG_WIDTH, 0, LABEL_WIDTH, 0.0, 0.0, 0.0, [], [], undated)
    first = min(d for _, d in dated)
    last = max(d for _, d in dated)
    if first == last:  # one day: show the days either side so the axis reads as time
        first, last = first - timedelta(days=1), last + timedelta(days=1)
    span = (last - first).days
    x1, x2 = float(LABEL_WIDTH), float(SVG_WIDTH - RIGHT_MARGIN)

    def x_of(day: date) -> float:
        return round(x1 + (x2 - x1) * (day - first).days / span, 1)

    rows = _rows(dated, sources, x_of)
    axis_y = TOP + ROW_HEIGHT * len(rows) + 4
    ticks = _ticks(first, span, x_of)
    height = int(axis_y + AXIS_ROOM)
    return Coverage(SVG_WIDTH, height, LABEL_WIDTH, axis_y, x1, x2, rows, ticks, undated)


def _rows(
    dated: list[tuple[Article, date]], sources: dict[str, str], x_of: Callable[[date], float]
) -> list[CoverageRow]:
    """Return one row per source, in order of its first article's day."""
    by_source: dict[str, dict[date, list[Article]]] = {}
    for article, day in sorted(dated, key=lambda item: (item[1], item[0].id)):
        by_source.setdefault(sources.get(article.id, ""), {}).setdefault(day, []).append(article)
    rows = []
    for n, (source, per_day) in enumerate(by_source.items()):
        y = TOP + ROW_HEIGHT * (n + 0.5)
        dots = [
            CoverageDot(
                x=x_of(day),
                y=y,
                day=day.isoformat(),
                count=len(items),
                titles=[display_title(a) for a in items],
                href=f"/articles/{items[0].id}",
                inferred=all(a.date is None or a.date.certainty != "given" for a in items),
            )
            for day, items in per_day.items()
        ]
        label = source if len(source) <= LABEL_CHARS else source[: LABEL_CHARS - 1] + "…"
        rows.append(CoverageRow(source, label, y, dots))
    return rows


def _ticks(first: date, span: int, x_of: Callable[[date], float]) -> list[tuple[float, str]]:
    """Return up to MAX_TICKS evenly spaced (x, ISO day) ticks from first to first + span."""
    count = min(MAX_TICKS, span + 1)
    offsets = sorted({round(i * span / (count - 1)) for i in range(count)})
    days = [first + timedelta(days=o) for o in offsets]
    return [(x_of(day), day.isoformat()) for day in days]
