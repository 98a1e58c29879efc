"""What each page shows, as data: the JSON twin of a page is its ``data``, and its
template draws the same ``data`` (plus ``extra``: picture geometry, marked-up text).

Storylines and events live here; articles, entities and search in ``lookup``. Every
helper that decides how the report numbers, groups or words things is reused from
``render.html`` so the web pages and the static report agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from fastapi import HTTPException

from storyline.models import Article, Event, Report, Span, Story, SummarySentence
from storyline.render.html import (
    CitationIndex,
    FindingLine,
    article_date_label,
    article_label,
    day_anchors,
    display_title,
    event_date_label,
    finding_sections,
    line_label,
    series_rows,
    sources_line,
    timeline,
    why_grouped,
)
from storyline.render.timeline import DAY_RADIUS, MARKER_RADIUS, line_bounds
from storyline.web.charts import coverage
from storyline.web.http import Gone, Moved
from storyline.web.snapshot import Snapshot, activity, event_articles

__all__ = [
    "MAX_PER_PAGE",
    "Page",
    "cite_view",
    "entity_href",
    "event_page",
    "event_summary",
    "not_found",
    "not_here",
    "paginate",
    "storyline_page",
    "storylines_page",
]

MAX_PER_PAGE = 100


@dataclass
class Page:
    """One page: its template, the data its JSON twin returns, and what only HTML needs."""

    template: str
    title: str
    data: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict)


def not_found(what: str, key: str) -> HTTPException:
    """Return the 404 for an unknown id, naming it."""
    shown = key if len(key) <= 80 else key[:80] + "…"
    return HTTPException(404, f"no {what} with id {shown!r}")


def not_here(snap: Snapshot, what: str, key: str) -> Exception:
    """Return what answers an id that is not a live event or storyline: the 301 of an
    alias to the id that lives on, the 410 of one that has gone, else the 404."""
    record = snap.moved.get(what, {}).get(key)
    if record is None:
        return not_found(what, key)
    if record.status == "alias" and record.target:
        return Moved(key, record.target)
    groups: dict[str, Event] | dict[str, Story] = snap.events if what == "event" else snap.stories
    base = "/events/" if what == "event" else "/storylines/"
    now = [
        {"id": name, "title": groups[name].title, "href": base + name}
        for name in record.holders
        if name in groups
    ]
    if not now:
        return Gone(f"{what} {key!r} has gone: its articles are no longer in the store", now)
    plural = what + "s" if len(now) > 1 else what
    names = ", ".join(item["id"] for item in now)
    return Gone(f"{what} {key!r} has gone: its articles are now in {plural} {names}", now)


def entity_href(name: str) -> str:
    """Return the page of an entity."""
    return "/entities/" + quote(name, safe="")


def paginate(items: list[Any], page: int, per_page: int) -> tuple[list[Any], dict[str, int]]:
    """Return one page of items and the {page, per_page, total} that describe it."""
    start = (page - 1) * per_page
    paging = {"page": page, "per_page": per_page, "total": len(items)}
    return items[start : start + per_page], paging


def cite_view(snap: Snapshot, number: int, key: Span) -> dict[str, Any]:
    """Return one citation: its number on this page and the link to the cited sentence."""
    anchor = snap.cite_number(key)
    return {
        "n": number,
        "article": key.article,
        "start": key.start,
        "end": key.end,
        "href": f"/articles/{key.article}" + (f"#c{anchor}" if anchor else ""),
        "label": article_label(snap.articles.get(key.article), key.article),
        "chars": f"characters {key.start}–{key.end}",
    }


def _cites(snap: Snapshot, index: CitationIndex, keys: list[Span]) -> list[dict[str, Any]]:
    return [cite_view(snap, index.number(key), key) for key in keys]


def _sentence(snap: Snapshot, index: CitationIndex, sentence: SummarySentence) -> dict[str, Any]:
    """Return a cited sentence: its text and its numbered citations."""
    return {"text": sentence.text, "cites": _cites(snap, index, sentence.citations)}


def event_summary(snap: Snapshot, event: Event) -> dict[str, Any]:
    """Return the short form of an event that lists show."""
    return {
        "id": event.id,
        "title": event.title,
        "href": f"/events/{event.id}",
        "date": event_date_label(event),
        "when": event.date.to_dict(),
        "articles": len(event.articles),
        "sources": list(event.sources),
        "independent_sources": event.independent_sources,
        "storyline": snap.story_of.get(event.id),
    }


# ---- storylines ------------------------------------------------------------------


def _story_item(snap: Snapshot, story: Story) -> dict[str, Any]:
    events = [snap.events[eid] for eid in story.events if eid in snap.events]
    days = [d for e in events for d in (e.date.start, e.date.end) if d]
    return {
        "id": story.id,
        "title": story.title,
        "href": f"/storylines/{story.id}",
        "events": len(events),
        "articles": sum(len(e.articles) for e in events),
        "participants": story.participants[:8],
        "first": min(days, default=None),
        "last": max(days, default=None),
        "activity": activity(snap, story) or None,
    }


def storylines_page(snap: Snapshot, page: int, per_page: int) -> Page:
    """Return the list of storylines, newest activity first (undated ones last)."""
    shown, paging = paginate(snap.by_activity, page, per_page)
    data = {"items": [_story_item(snap, snap.stories[sid]) for sid in shown], **paging}
    counts = {"articles": len(snap.articles), "events": len(snap.events)}
    return Page("storylines.html.j2", "Storylines", data, {"counts": counts})


def storyline_page(snap: Snapshot, story_id: str, page: int = 1, per_page: int = 50) -> Page:
    """Return a storyline: its timeline on a dated axis, its dated cited lines, one page
    of its events (numbered as the axis numbers them) and its figures over time."""
    story = snap.stories.get(story_id)
    if story is None:
        raise not_here(snap, "storyline", story_id)
    events = [snap.events[eid] for eid in story.events if eid in snap.events]
    numbered = list(enumerate(events, 1))
    shown, paging = paginate(numbered, page, per_page)
    # numbered as a storyline shows them: its timeline, then its figures over time
    index = CitationIndex(Report(articles=[], events=[], stories=[story]))
    data = {
        **_story_item(snap, story),
        "participants": list(story.participants),
        "event_list": [{**event_summary(snap, e), "n": n} for n, e in shown],
        **paging,
        "timeline": _timeline_lines(snap, story, index),
        "series": _series(snap, story, index),
        "cited": _cites(snap, index, [key for _, key in index.for_story(story)]),
    }
    picture = timeline(events, day_anchors(story))
    extra = {"picture": picture, "radius": MARKER_RADIUS, "day_radius": DAY_RADIUS}
    return Page("storyline.html.j2", story.title, data, extra)


def _timeline_lines(snap: Snapshot, story: Story, index: CitationIndex) -> list[dict[str, Any]]:
    return [
        {
            "date": entry.date,
            "datetime": line_bounds(entry)[0],  # as precise as known: "2024", not 1 January
            "label": line_label(entry),
            "anchor": anchor,
            "events": list(entry.events),
            "sentences": [_sentence(snap, index, s) for s in entry.sentences],
        }
        for entry, anchor in day_anchors(story)
    ]


def _series(snap: Snapshot, story: Story, index: CitationIndex) -> list[dict[str, Any]]:
    return [
        {
            "statement": finding.statement or finding.measure or "",
            "measure": finding.measure,
            "rows": [
                {
                    "time": row.time,
                    "value": row.value,
                    "source": row.source,
                    "cite": cite_view(snap, index.number(row.key), row.key),
                }
                for row in series_rows(finding, snap.articles)
            ],
        }
        for finding in story.series
        if finding.claims
    ]


# ---- events ----------------------------------------------------------------------


def event_page(snap: Snapshot, event_id: str) -> Page:
    """Return an event: cited summary, quotes, coverage by source over time, what the
    sources agree and differ on, copies, and why each article is here."""
    event = snap.events.get(event_id)
    if event is None:
        raise not_here(snap, "event", event_id)
    index = CitationIndex(Report(articles=[], events=[event], stories=[]))
    articles = event_articles(snap, event)
    story = snap.stories.get(snap.story_of.get(event.id, ""))
    data = {
        **event_summary(snap, event),
        "published": event.published.to_dict() if event.published else None,
        "storyline": {"id": story.id, "title": story.title} if story else None,
        "sources_line": sources_line(event),
        "participants": list(event.participants),
        "summary": [_sentence(snap, index, s) for s in event.summary],
        "quotes": [
            {"text": q.text, "speaker": q.speaker, "cite": _cites(snap, index, [q.span])[0]}
            for q in event.quotes
        ],
        "sections": _sections(snap, event, index),
        "cited": _cites(snap, index, [key for _, key in index.for_event(event)]),
        "article_list": [_article_item(snap, event, a) for a in articles],
        "copies": _copies(snap, event),
        "why": [{"article": label, "why": why} for label, why in why_grouped(event, snap.articles)],
    }
    chart = coverage(articles, snap.sources, snap.days)
    data["coverage"] = [
        {"source": row.source, "days": [{"day": d.day, "articles": d.count} for d in row.dots]}
        for row in chart.rows
    ]
    return Page("event.html.j2", event.title, data, {"chart": chart})


def _line(snap: Snapshot, line: FindingLine, index: CitationIndex) -> dict[str, Any]:
    return {
        "text": line.text,
        "label": line.label,
        "speaker": line.speaker,
        "note": line.note,
        "rank": line.rank,
        "shown": line.shown,
        "cites": _cites(snap, index, line.keys),
        "carriers": [
            {"source": source, "wording": wording, "cite": _cites(snap, index, [key])[0]}
            for source, wording, key in line.carriers
        ],
    }


def _sections(snap: Snapshot, event: Event, index: CitationIndex) -> list[dict[str, Any]]:
    """Return the event's findings under the report's headings (Sources agree, ...)."""
    return [
        {
            "heading": section.heading,
            "shown": [_line(snap, line, index) for line in section.shown],
            "more": [_line(snap, line, index) for line in section.more],
        }
        for section in finding_sections(event, snap.articles)
    ]


def _article_item(snap: Snapshot, event: Event, article: Article) -> dict[str, Any]:
    evidence = next((m for m in event.evidence if m.article == article.id), None)
    return {
        "id": article.id,
        "title": display_title(article),
        "href": f"/articles/{article.id}",
        "source": snap.sources.get(article.id, ""),
        "date": article_date_label(article),
        "copy_of": evidence.copy_of if evidence else None,
    }


def _copies(snap: Snapshot, event: Event) -> list[dict[str, Any]]:
    """Return the articles that reprint or rewrite another of the event's."""
    return [
        {
            "article": m.article,
            "title": article_label(snap.articles.get(m.article), m.article),
            "copy_of": m.copy_of,
            "copy_of_title": article_label(snap.articles.get(m.copy_of), m.copy_of),
            "overlap": round(m.copy_similarity or 0.0, 3),
        }
        for m in event.evidence
        if m.copy_of
    ]
