"""The web app's in-memory view of a store: events, storylines, a light index of the
articles (no texts), the entities they name and which spans are cited where.

Pages are answered from a snapshot without touching the database (only an article's own
page reads its text). A snapshot is rebuilt when the store changes: after an ingest job,
or when the database files change on disk (another process ran `storyline build`).
"""

from __future__ import annotations

import gc
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from storyline.models import (
    Article,
    CitedQuote,
    DateRange,
    Event,
    IdRecord,
    Span,
    Story,
    iso_day,
    known_day,
    reading_order,
    source_name,
)
from storyline.render.html import event_spans, story_spans
from storyline.store import Store, annotations_table, articles_table, dates_table

__all__ = ["CHECK_SECONDS", "OPENING_CHARS", "Entity", "Snapshot", "SnapshotHolder"]

log = logging.getLogger("storyline.web")

# An article's title falls back to its opening words (render.html.display_title reads 12);
# this many characters hold them for any text, without loading whole articles.
OPENING_CHARS = 200
# How often a request may look at the database files for changes made outside the app:
# a stat() is microseconds, but once a second is as fresh as a reader can notice.
CHECK_SECONDS = 1.0


@dataclass
class Entity:
    """A person, organisation or place, with where it appears."""

    name: str  # canonical, as the articles write it
    kind: str  # PERSON | ORG | PLACE, the kind most mentions give; "" when only a participant
    articles: set[str] = field(default_factory=set)
    events: set[str] = field(default_factory=set)


@dataclass
class Snapshot:
    """Everything the pages need, loaded once per version of the store."""

    version: int
    articles: dict[str, Article]  # stubs: ``text`` holds only the opening OPENING_CHARS
    sources: dict[str, str]  # article id -> outlet (feeds.source_name)
    days: dict[str, date | None]  # article id -> known publication day
    event_of: dict[str, str]  # article id -> event id
    events: dict[str, Event]  # in the store's order (by when they happened)
    stories: dict[str, Story]  # in the store's order
    story_of: dict[str, str]  # event id -> storyline id
    entities: dict[str, Entity]  # casefolded name -> entity
    # casefolded speaker -> what the articles quote them saying, in store order
    quotes: dict[str, list[CitedQuote]] = field(default_factory=dict)
    # article id -> its cited spans, in text order; a span's number there is its index + 1
    cited: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    cited_by: dict[Span, list[tuple[str, str]]] = field(default_factory=dict)  # -> (kind, id)
    by_activity: list[str] = field(default_factory=list)  # storyline ids, newest activity first
    # kind (event, storyline) -> id -> its record, for the ids that are aliases or gone
    moved: dict[str, dict[str, IdRecord]] = field(default_factory=dict)

    def cite_number(self, key: Span) -> int | None:
        """Return the number of a cited span on its article's page (its #c<n> anchor)."""
        spans = self.cited.get(key.article, [])
        try:
            return spans.index((key.start, key.end)) + 1
        except ValueError:
            return None

    def entity(self, name: str) -> Entity | None:
        """Return the entity of a name, compared without case."""
        return self.entities.get(name.casefold())


def load(store: Store, version: int) -> Snapshot:
    """Return a snapshot of what the store holds now."""
    articles, days = _article_stubs(store)
    events = {e.id: e for e in store.events()}
    stories = {s.id: s for s in store.stories()}
    snap = Snapshot(
        version=version,
        articles=articles,
        sources={aid: source_name(a) for aid, a in articles.items()},
        days=days,
        event_of={aid: e.id for e in events.values() for aid in e.articles if aid in articles},
        events=events,
        stories=stories,
        story_of={eid: s.id for s in stories.values() for eid in s.events},
        entities={},
        moved={
            kind: {r.id: r for r in store.id_records(kind, moved_only=True)}
            for kind in ("event", "storyline")
        },
    )
    _entities(store, snap)
    _index_citations(snap)
    latest = {s.id: activity(snap, s) for s in stories.values()}
    snap.by_activity = sorted(latest, key=lambda sid: latest[sid], reverse=True)
    return snap


def _article_stubs(store: Store) -> tuple[dict[str, Article], dict[str, date | None]]:
    """Return every article without its text (only the opening) and its publication day."""
    t = articles_table.c
    query = sa.select(
        t.id, t.ref, t.source, t.url, t.title, t.author, t.published, t.language,
        sa.func.substr(t.text, 1, OPENING_CHARS).label("opening"),
    ).order_by(t.seq)  # fmt: skip
    with store.engine.connect() as conn:
        rows = conn.execute(query).fetchall()
        dated = dict(conn.execute(sa.select(dates_table.c.article_id, dates_table.c.data)).all())
    stubs: dict[str, Article] = {}
    days: dict[str, date | None] = {}
    for row in rows:
        m = row._mapping
        when = DateRange.from_dict(json.loads(dated[m["id"]])) if m["id"] in dated else None
        stubs[m["id"]] = Article(
            id=m["id"], ref=m["ref"], text=m["opening"], title=m["title"], source=m["source"],
            url=m["url"], author=m["author"], published=m["published"], date=when,
            language=m["language"],
        )  # fmt: skip
        # known to the day, else the day its source's stamp names (which may be ambiguous)
        days[m["id"]] = known_day(stubs[m["id"]]) or iso_day(m["published"])
    return stubs, days


def _annotated(store: Store) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield (article id, annotations as JSON) for every annotated article."""
    query = sa.select(annotations_table.c.article_id, annotations_table.c.data)
    with store.engine.connect() as conn:
        for article_id, data in conn.execution_options(yield_per=500).execute(query):
            yield article_id, json.loads(data)


def _entities(store: Store, snap: Snapshot) -> None:
    """Fill in the entities the articles name (and the events' participants and speakers)
    and the quotes of each speaker."""
    kinds: dict[str, dict[str, int]] = {}

    def add(name: str | None) -> Entity | None:
        if not name or not name.strip():
            return None
        return snap.entities.setdefault(name.casefold(), Entity(name, ""))

    for article_id, data in _annotated(store):
        for mention in data.get("mentions", []):
            entity = add(mention["canonical"])
            if entity is not None:
                entity.articles.add(article_id)
                counts = kinds.setdefault(entity.name.casefold(), {})
                counts[mention["kind"]] = counts.get(mention["kind"], 0) + 1
                if article_id in snap.event_of:
                    entity.events.add(snap.event_of[article_id])
        for q in data.get("quotes", []):
            if q.get("speaker"):
                said = CitedQuote(q["text"], q["speaker"], Span(article_id, q["start"], q["end"]))
                snap.quotes.setdefault(q["speaker"].casefold(), []).append(said)
    for event in snap.events.values():
        named: list[str | None] = [*event.participants, *(q.speaker for q in event.quotes)]
        named += [c.speaker for f in event.findings for c in f.claims]
        for speaker in named:
            if (entity := add(speaker)) is not None:
                entity.events.add(event.id)
    for key, counts in kinds.items():
        snap.entities[key].kind = max(sorted(counts), key=lambda k: counts[k])


def _index_citations(snap: Snapshot) -> None:
    """Number every cited span within its article and note who cites it."""
    spans: dict[str, set[tuple[int, int]]] = {}
    for kind, item_id, keys in _citing_items(snap):
        for key in keys:
            spans.setdefault(key.article, set()).add((key.start, key.end))
            citing = snap.cited_by.setdefault(key, [])
            if (kind, item_id) not in citing:
                citing.append((kind, item_id))
    snap.cited = {aid: sorted(found) for aid, found in spans.items()}


def _citing_items(snap: Snapshot) -> Iterator[tuple[str, str, list[Span]]]:
    for event in snap.events.values():
        yield "event", event.id, event_spans(event)
    for story in snap.stories.values():
        yield "storyline", story.id, story_spans(story)


def activity(snap: Snapshot, story: Story) -> str:
    """Return the latest day a storyline's events happened or were reported ('' if none)."""
    days = []
    for eid in story.events:
        event = snap.events.get(eid)
        if event is None:
            continue
        for when in (event.date, event.published):
            if when is not None:
                days += [d for d in (when.start, when.end) if d]
    return max(days, default="")


def event_articles(snap: Snapshot, event: Event) -> list[Article]:
    """Return the stubs of an event's articles in publication order."""
    found = [snap.articles[aid] for aid in event.articles if aid in snap.articles]
    return sorted(found, key=reading_order)


class SnapshotHolder:
    """Holds the current snapshot; rebuilds it when the store changes.

    Requests read ``current()``. When the database files change under the app (another
    process wrote to the store), a background thread builds the new snapshot while
    requests go on with the old one; it replaces the old one in one assignment. The
    app's own ingest jobs pause this and call ``reload`` when they finish."""

    def __init__(self, store: Store, on_reload: Callable[[], None] = lambda: None) -> None:
        self.store = store
        self.paused = False  # set while the app's own job writes: it reloads when done
        self._on_reload = on_reload
        self._files = _db_files(store)
        self._lock = threading.Lock()
        self._checked = 0.0
        self._reloading = False
        self._version = 0
        self._snap = self.reload()

    def current(self) -> Snapshot:
        """Return the snapshot; start rebuilding it if the database files have changed."""
        now = time.monotonic()
        if not self.paused and not self._reloading and now - self._checked >= CHECK_SECONDS:
            self._checked = now
            if self._fingerprint() != self._stamp:
                self._reloading = True
                threading.Thread(target=self._reload_quietly, daemon=True).start()
        return self._snap

    def reload(self) -> Snapshot:
        """Return a new snapshot of the store, now the current one."""
        started = time.perf_counter()
        with self._lock:
            stamp = self._fingerprint()
            self._version += 1
            self._snap = _frozen(load(self.store, self._version))
            self._stamp = stamp
        log.info(
            "loaded the store's view %d: %d articles, %d events, %d storylines in %.1f s",
            self._snap.version, len(self._snap.articles), len(self._snap.events),
            len(self._snap.stories), time.perf_counter() - started,
        )  # fmt: skip
        self._on_reload()
        return self._snap

    def _reload_quietly(self) -> None:
        try:
            self.reload()
        except Exception:  # a store caught mid-write: the next change tries again
            log.exception("could not reload the store")
        finally:
            self._reloading = False

    def _fingerprint(self) -> tuple[tuple[int, int], ...]:
        """Return the modification times and sizes of the database files."""
        stamps = []
        for path in self._files:
            try:
                st = os.stat(path)
            except OSError:
                stamps.append((0, 0))
            else:
                stamps.append((st.st_mtime_ns, st.st_size))
        return tuple(stamps)


def _frozen(snap: Snapshot) -> Snapshot:
    """Return the snapshot, moved out of the garbage collector's sight.

    A snapshot of 10,000 articles is millions of objects; every full collection walked
    them all, stalling every request for about 0.6 s under load. They hold no reference
    cycles, so reference counting still frees an old snapshot once it is replaced."""
    gc.collect()
    gc.freeze()
    return snap


def _db_files(store: Store) -> list[Path]:
    """Return the files an SQLite store writes to (none for a database server)."""
    if not store.is_sqlite:
        return []
    name = store.engine.url.database
    if not name or name == ":memory:":
        return []
    main = Path(name)
    return [main, Path(f"{main}-wal")]
