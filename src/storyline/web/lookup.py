"""Pages that look things up: one article with its text marked up, one entity with the
events and quotes involving it, and full-text search grouped by event."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from fastapi import HTTPException

from storyline.errors import StoreError
from storyline.models import SUPPORTED_LANGUAGES, Article, Span, is_supported
from storyline.render.html import (
    article_date_label,
    article_label,
    article_link,
    display_title,
)
from storyline.render.marks import features, marked
from storyline.store import Store
from storyline.web.snapshot import Snapshot
from storyline.web.views import Page, cite_view, entity_href, event_summary, not_found, paginate

__all__ = [
    "SEARCH_MAX_HITS",
    "Group",
    "SearchFilters",
    "article_page",
    "entity_page",
    "search_groups",
    "search_page",
]

# Hits fetched from the full-text index for one query, before filters and grouping: more
# than anyone pages through. Ranking them costs milliseconds (a word in most of 10,000
# articles: 5-15 ms); snippets are written only for the page shown (20 groups: ~10 ms).
SEARCH_MAX_HITS = 200
MAX_QUOTES = 200  # an entity page lists at most this many quotes


def article_page(snap: Snapshot, store: Store, article_id: str) -> Page:
    """Return an article: its cleaned text with cited spans, entities, dates and figures
    marked, the boilerplate taken out of it, and its event."""
    if article_id not in snap.articles:
        raise not_found("article", article_id)
    found = store.articles([article_id])
    if not found:  # gone since the snapshot was taken
        raise not_found("article", article_id)
    article = found[0]
    event = snap.events.get(snap.event_of.get(article_id, ""))
    cited = snap.cited.get(article_id, [])
    title = display_title(article)
    data = {
        "id": article.id,
        "title": title,
        "source": snap.sources.get(article.id, article.source or ""),
        "author": article.author,
        "url": article.url,
        "link": article_link(article),
        "ref": article.ref,
        "published": article.published,
        "date": article_date_label(article),
        "date_range": article.date.to_dict() if article.date else None,
        "event": event_summary(snap, event) if event else None,
        "text": article.text,
        "removed": [r.to_dict() for r in article.removed],
        "cited": [_cited_span(snap, article, n, span) for n, span in enumerate(cited, 1)],
        "annotations": article.annotations.to_dict() if article.annotations else None,
        "language": article.language,
        "analysed": is_supported(article.language),
    }
    links = _entity_links(snap, article)
    marked_text = marked(article.text, features(article.annotations, cited, links))
    extra = {"marked": marked_text, "supported": ", ".join(sorted(SUPPORTED_LANGUAGES))}
    return Page("article.html.j2", title, data, extra)


def _entity_links(snap: Snapshot, article: Article) -> dict[str, str]:
    names = {m.canonical for m in (article.annotations.mentions if article.annotations else [])}
    return {name: entity_href(name) for name in names if snap.entity(name) is not None}


def _cited_span(snap: Snapshot, article: Article, n: int, span: tuple[int, int]) -> dict[str, Any]:
    start, end = span
    citing = []
    for kind, item_id in snap.cited_by.get(Span(article.id, start, end), []):
        item = snap.events.get(item_id) if kind == "event" else snap.stories.get(item_id)
        title = item.title if item is not None else item_id
        path = "events" if kind == "event" else "storylines"
        citing.append({"kind": kind, "id": item_id, "title": title, "href": f"/{path}/{item_id}"})
    return {
        "n": n,
        "anchor": f"c{n}",
        "start": start,
        "end": end,
        "text": article.text[start:end],
        "cited_by": citing,
    }


# ---- entities --------------------------------------------------------------------


def entity_page(snap: Snapshot, name: str) -> Page:
    """Return a person, organisation or place: the events and storylines involving it
    and what it was quoted saying."""
    entity = snap.entity(name)
    if entity is None:
        raise HTTPException(404, f"no person, organisation or place named {name[:80]!r}")
    events = [snap.events[eid] for eid in snap.events if eid in entity.events]
    stories = {snap.story_of[e.id] for e in events if e.id in snap.story_of}
    data = {
        "name": entity.name,
        "kind": entity.kind or None,
        "articles": len(entity.articles),
        "events": [event_summary(snap, e) for e in events],
        "storylines": [
            {"id": s.id, "title": s.title, "href": f"/storylines/{s.id}"}
            for s in snap.stories.values()
            if s.id in stories
        ],
        "quotes": _quotes_by(snap, entity.name),
    }
    return Page("entity.html.j2", entity.name, data)


def _quotes_by(snap: Snapshot, name: str) -> list[dict[str, Any]]:
    """Return what the articles quote the name saying, each quote once, with its event."""
    quotes: list[dict[str, Any]] = []
    seen: set[str] = set()
    for said in snap.quotes.get(name.casefold(), []):
        if said.text in seen:  # a wire quote reprinted by several outlets is shown once
            continue
        seen.add(said.text)
        event = snap.events.get(snap.event_of.get(said.span.article, ""))
        quotes.append(
            {
                "text": said.text,
                "speaker": said.speaker,
                "event": event_summary(snap, event) if event else None,
                "cite": cite_view(snap, len(quotes) + 1, said.span),
            }
        )
        if len(quotes) >= MAX_QUOTES:
            break
    return quotes


# ---- search ----------------------------------------------------------------------


Group = tuple[str | None, list[str]]  # an event id (None: in no event), its articles hit


@dataclass(frozen=True)
class SearchFilters:
    q: str
    start: date | None = None  # published on or after
    end: date | None = None  # published on or before
    source: str | None = None
    entity: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {
            "q": self.q,
            "from": self.start.isoformat() if self.start else None,
            "to": self.end.isoformat() if self.end else None,
            "source": self.source,
            "entity": self.entity,
        }


def search_page(
    snap: Snapshot,
    filters: SearchFilters,
    page: int,
    per_page: int,
    found: Callable[[SearchFilters], tuple[list[Group], bool]],
    snippets: Callable[[str, list[str]], dict[str, str]],
) -> Page:
    """Return the articles matching a full-text query and the filters, grouped by event
    (groups ranked by their best hit), one page of groups; ``found`` runs the query
    (search_groups, or a memo of it shared by the pages of one query) and ``snippets``
    writes the shown hits' snippets (Store.snippets)."""
    if filters.start and filters.end and filters.start > filters.end:
        raise HTTPException(422, "'from' is after 'to': give from <= to")
    groups, capped = found(filters) if filters.q.strip() else ([], False)
    shown, paging = paginate(groups, page, per_page)
    hit = [aid for _, ids in shown for aid in ids]
    texts = snippets(filters.q, hit) if hit else {}
    data = {
        **filters.as_dict(),
        "items": [_group_view(snap, event_id, ids, texts) for event_id, ids in shown],
        **paging,
        "total_hits": sum(len(hits) for _, hits in groups),
        "capped": capped,  # the index gave SEARCH_MAX_HITS hits: later ones are left out
    }
    sources = sorted(set(snap.sources.values()), key=str.casefold)
    params = {key: value for key, value in filters.as_dict().items() if value}
    return Page("search.html.j2", "Search", data, {"sources": sources, "params": params})


def search_groups(snap: Snapshot, store: Store, filters: SearchFilters) -> tuple[list[Group], bool]:
    """Return the hits that pass the filters, grouped by event in the order of each
    group's best hit, and whether the index stopped at SEARCH_MAX_HITS."""
    try:
        hits = store.search_ids(filters.q, SEARCH_MAX_HITS)
    except StoreError as exc:
        raise HTTPException(400, str(exc)) from None
    keep = _filter(snap, filters)
    groups: dict[str, Group] = {}
    for aid in hits:
        article = snap.articles.get(aid)
        if article is None or not keep(article):
            continue
        event_id = snap.event_of.get(aid)
        key = event_id if event_id in snap.events else None
        groups.setdefault(key or f"article:{aid}", (key, []))[1].append(aid)
    return list(groups.values()), len(hits) >= SEARCH_MAX_HITS


def _group_view(
    snap: Snapshot, event_id: str | None, hits: list[str], snippets: dict[str, str]
) -> dict[str, Any]:
    """Return one group of search results as the page shows it (only shown groups are
    built, so a common word costs no more than one page)."""
    event = snap.events.get(event_id or "")
    items = []
    for aid in hits:
        article = snap.articles[aid]
        plain, marks = snippet_marks(snippets.get(aid, ""))
        items.append(
            {
                "article": aid,
                "title": display_title(article),
                "label": article_label(article, article.id),
                "href": f"/articles/{aid}",
                "source": snap.sources.get(aid, ""),
                "date": article_date_label(article),
                "snippet": plain,
                "marks": marks,
                "language": article.language,
                "analysed": is_supported(article.language),
            }
        )
    return {"event": event_summary(snap, event) if event else None, "hits": items}


def _filter(snap: Snapshot, filters: SearchFilters) -> Callable[[Article], bool]:
    """Return the test an article must pass: published in the range, from the source,
    naming the entity."""
    source = (filters.source or "").strip().casefold()
    named = snap.entity(filters.entity.strip()) if filters.entity else None
    mentioned = named.articles if named is not None else set()

    def keep(article: Article) -> bool:
        day = snap.days.get(article.id)
        if filters.start and (day is None or day < filters.start):
            return False
        if filters.end and (day is None or day > filters.end):
            return False
        if source and snap.sources.get(article.id, "").casefold() != source:
            return False
        return not filters.entity or article.id in mentioned

    return keep


_MATCH = re.compile(r"\[\[(.*?)\]\]", re.S)


def snippet_marks(snippet: str) -> tuple[str, list[tuple[int, int]]]:
    """Return a search snippet (matches between [[ and ]]) as plain text and where the
    matches lie in it."""
    plain: list[str] = []
    marks: list[tuple[int, int]] = []
    at = size = 0
    for match in _MATCH.finditer(snippet):
        before, word = snippet[at : match.start()], match.group(1)
        plain += [before, word]
        marks.append((size + len(before), size + len(before) + len(word)))
        size += len(before) + len(word)
        at = match.end()
    plain.append(snippet[at:])
    return "".join(plain), marks
