"""The HTML report, and the view helpers every report format shares.

Markdown, HTML and the terminal all number citations the same way and group
events under storylines the same way, so a reader can move between them; the
helpers that decide that live here, beside the one format that needs most of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from storyline.models import Article, DateRange, Event, Report, Story

SpanKey = tuple[str, int, int]  # (article id, start, end) of one cited span

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


# ---- shared by every format -------------------------------------------------


def story_groups(report: Report) -> list[tuple[Story | None, list[Event]]]:
    """Return each storyline with its events, then any events in no storyline (story None)."""
    by_id = {event.id: event for event in report.events}
    groups: list[tuple[Story | None, list[Event]]] = []
    placed: set[str] = set()
    for story in report.stories:
        events = [by_id[eid] for eid in story.events if eid in by_id]
        placed.update(event.id for event in events)
        groups.append((story, events))
    loose = [event for event in report.events if event.id not in placed]
    if loose:
        groups.append((None, loose))
    return groups


def event_spans(event: Event) -> list[SpanKey]:
    """Return the spans an event cites, summary first then quotes, without repeats."""
    keys = [(c.article, c.start, c.end) for s in event.summary for c in s.citations]
    keys += [(q.article, q.start, q.end) for q in event.quotes]
    return list(dict.fromkeys(keys))


class CitationIndex:
    """Numbers each distinct cited span in reading order, so every format agrees."""

    def __init__(self, report: Report) -> None:
        self._numbers: dict[SpanKey, int] = {}
        for _, events in story_groups(report):
            for event in events:
                for key in event_spans(event):
                    self._numbers.setdefault(key, len(self._numbers) + 1)

    def number(self, article: str, start: int, end: int) -> int:
        """Return the citation number of a span (spans outside the report get a new one)."""
        return self._numbers.setdefault((article, start, end), len(self._numbers) + 1)

    def for_event(self, event: Event) -> list[tuple[int, SpanKey]]:
        """Return the numbered spans an event cites, in citation order."""
        return [(self.number(*key), key) for key in event_spans(event)]

    def by_article(self) -> dict[str, list[tuple[int, int, int]]]:
        """Return (start, end, number) of every cited span, grouped by article id."""
        grouped: dict[str, list[tuple[int, int, int]]] = {}
        for (article_id, start, end), number in self._numbers.items():
            grouped.setdefault(article_id, []).append((start, end, number))
        return grouped


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


def event_date_label(event: Event) -> str:
    """Return an event's date label with how sure we are of it."""
    label = date_label(event.date)
    if label == "undated" or event.date.certainty in ("", "unknown"):
        return label
    return f"{label} ({event.date.certainty})"


def article_date_label(article: Article) -> str:
    """Return an article's publication date, marked 'inferred' unless the source gave it."""
    if article.date is not None and date_label(article.date) != "undated":
        label = date_label(article.date)
        return label if article.date.certainty == "given" else f"{label} (inferred)"
    if article.published:
        return article.published
    return "undated"


def display_title(article: Article, words: int = 12) -> str:
    """Return the article's title, or for an untitled one its opening words."""
    if article.title:
        return article.title
    opening = article.text.split()
    if not opening:
        return f"Untitled article {article.id}"
    return " ".join(opening[:words]) + (" …" if len(opening) > words else "")


def article_label(article: Article | None, article_id: str) -> str:
    """Return 'Title, Source' for an article, falling back to its id."""
    if article is None:
        return f"unknown article {article_id}"
    title = display_title(article)
    return f"{title}, {article.source}" if article.source else title


def plural(count: int, noun: str) -> str:
    """Return '1 event' or '3 events'."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def sources_line(event: Event) -> str:
    """Return '5 sources (3 independent): a, b, ...' for an event ('' when it has none)."""
    if not event.sources:
        return ""
    line = plural(len(event.sources), "source")
    if 0 < event.independent_sources < len(event.sources):
        line += f" ({event.independent_sources} independent)"
    return f"{line}: {', '.join(event.sources)}"


def why_grouped(event: Event, articles: dict[str, Article]) -> list[tuple[str, str]]:
    """Return, per article of the event, its label and why it was grouped there: its
    similarity to the rest (and each signal's part), shared names, days apart, copying."""
    if len(event.articles) < 2:
        return []
    names = {"embedding": "meaning", "tfidf": "words", "entities": "names"}
    out = []
    for m in event.evidence:
        parts = ", ".join(f"{names.get(k, k)} {v:.2f}" for k, v in m.scores.items())
        why = f"similarity {m.similarity:.2f}" + (f" ({parts})" if parts else "")
        if m.shared_entities:
            why += f"; shares {', '.join(m.shared_entities[:4])}"
        if m.days_apart is not None:
            why += f"; {plural(m.days_apart, 'day')} from the nearest report"
        if m.copy_of:
            copied = article_label(articles.get(m.copy_of), m.copy_of)
            why += f"; copy of {copied} (overlap {m.copy_similarity or 0:.2f})"
        out.append((article_label(articles.get(m.article), m.article), why))
    return out


def counts_line(report: Report) -> str:
    """Return the one-line size of the report, with when it was made if known."""
    counts = " · ".join(
        plural(count, noun)
        for count, noun in (
            (len(report.articles), "article"),
            (len(report.events), "event"),
            (len(report.stories), "storyline"),
        )
    )
    return f"Generated {report.generated} · {counts}" if report.generated else counts


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


# ---- the HTML page ----------------------------------------------------------


def marked_text(article: Article, spans: list[tuple[int, int, int]]) -> Markup:
    """Return an article's escaped text with every cited span wrapped in a <mark>.

    Spans may overlap, so the text is cut at every span boundary and each piece
    covered by a citation becomes its own flat <mark>; the piece where a span
    starts carries the id ``art-<id>-<start>`` that citations link to.
    """
    text = article.text
    spans = [(max(0, s), min(len(text), e), n) for s, e, n in spans]
    spans = [(s, e, n) for s, e, n in spans if s < e]
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    starts = {s for s, _, _ in spans}
    parts: list[Markup] = []
    for lo, hi in pairwise(cuts):
        numbers = sorted({n for s, e, n in spans if s <= lo and hi <= e})
        piece = escape(text[lo:hi])
        if not numbers:
            parts.append(piece)
            continue
        anchor = Markup(' id="art-{}-{}"').format(article.id, lo) if lo in starts else ""
        title = "cited as " + ", ".join(f"[{n}]" for n in numbers)
        parts.append(Markup('<mark{} title="{}">{}</mark>').format(anchor, title, piece))
    return Markup("").join(parts)


def _link(ref: str | None) -> str | None:
    """Return ref when it is safe to link to (http or https), else None."""
    if ref and ref.lower().startswith(("http://", "https://")):
        return ref
    return None


def _cite(index: CitationIndex, articles: dict[str, Article], key: SpanKey) -> dict[str, Any]:
    """Return what the template needs to draw one citation link."""
    article_id, start, end = key
    return {
        "number": index.number(*key),
        "anchor": f"art-{article_id}-{start}",
        "label": article_label(articles.get(article_id), article_id),
        "chars": f"characters {start}–{end}",
    }


def _event_view(event: Event, index: CitationIndex, articles: dict[str, Article]) -> dict[str, Any]:
    """Return the template's view of one event."""
    return {
        "event": event,
        "date": event_date_label(event),
        "summary": [
            (s.text, [_cite(index, articles, (c.article, c.start, c.end)) for c in s.citations])
            for s in event.summary
        ],
        "quotes": [(q, _cite(index, articles, (q.article, q.start, q.end))) for q in event.quotes],
        "cited": [_cite(index, articles, key) for _, key in index.for_event(event)],
        "sources": sources_line(event),
        "why": why_grouped(event, articles),
    }


def _article_view(article: Article, spans: list[tuple[int, int, int]]) -> dict[str, Any]:
    """Return the template's view of one article, given its cited (start, end, number)s."""
    return {
        "article": article,
        "title": display_title(article),
        "date": article_date_label(article),
        "link": _link(article.url) or _link(article.ref),
        "text": marked_text(article, spans),
    }


_ENV = Environment(
    loader=PackageLoader("storyline", "templates"),
    autoescape=True,  # every string from an article is untrusted
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def render_html(report: Report) -> str:
    """Return the report as one self-contained HTML page (inline CSS and SVG, no scripts)."""
    index = CitationIndex(report)
    articles = {a.id: a for a in report.articles}
    groups = [
        {
            "story": story,
            "events": [_event_view(e, index, articles) for e in events],
            "timeline": timeline(events),
        }
        for story, events in story_groups(report)
    ]
    cited = index.by_article()
    return _ENV.get_template("report.html.j2").render(
        report=report,
        counts=counts_line(report),
        radius=MARKER_RADIUS,
        groups=groups,
        articles=[_article_view(a, cited.get(a.id, [])) for a in report.articles],
    )
