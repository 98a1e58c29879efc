"""Stable ids: an event or storyline id, once given, never names a different group.

An id stands for the articles it was first given to (its anchor). After every grouping,
each id ever given goes to the group holding the most of those articles, when that group
holds at least half of the ones still grouped (ties: the group holding the earliest):

- one id of each group is its own (live): the one that was live before with the largest
  group, then the oldest. So a group that splits keeps its id in the part holding most
  of its first articles, and groups that merge keep the id of the largest of them;
- the others that go to that group are its aliases (the web app answers them with 301);
- an id no group holds half of (its articles spread over three groups or more, or no
  longer in the store) is gone (410, naming the groups now holding its articles).

A group that no id goes to gets a fresh id, one never given before in the store: ids of
groups that vanished are never given again, so a link always means what it meant.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from storyline.models import Event, IdRecord, Story

LIVE, ALIAS, GONE = "live", "alias", "gone"
EVENT, STORYLINE = "event", "storyline"


class IdBook:
    """Every id of one kind (events or storylines) given in a store, and what became of it."""

    def __init__(self, records: Iterable[IdRecord] = ()) -> None:
        self.records = {r.id: r for r in records}
        self._saved = {r.id: replace(r) for r in self.records.values()}
        self._seq = max((r.seq for r in self.records.values()), default=0)

    @classmethod
    def of_groups(cls, groups: Iterable[tuple[str, Sequence[str]]]) -> IdBook:
        """Return a book holding each (id, articles) group as a live id anchored on them."""
        return cls(
            IdRecord(name, seq, list(members), size=len(members))
            for seq, (name, members) in enumerate(groups, 1)
        )

    def get(self, name: str) -> IdRecord | None:
        return self.records.get(name)

    def changed(self) -> list[IdRecord]:
        """Return the records made or changed since the book was read."""
        return [r for name, r in self.records.items() if self._saved.get(name) != r]

    def name(self, groups: Sequence[Sequence[str]], fresh: Callable[[int], str]) -> list[str]:
        """Return an id for each group (its article ids, earliest first) and record what
        became of every id: live, alias or gone. ``fresh(g)`` proposes an id for group g
        when no id goes to it (one already given gets "-2", "-3" ... added)."""
        where = {aid: g for g, members in enumerate(groups) for aid in members}
        claims: dict[int, list[IdRecord]] = {}
        lost: list[tuple[IdRecord, list[int]]] = []
        for record in self.records.values():
            home, spread = _home(record.anchor, where)
            if home is None:
                lost.append((record, spread))
            else:
                claims.setdefault(home, []).append(record)
        names = []
        for g, members in enumerate(groups):
            claim = sorted(claims.get(g, []), key=_precedence)
            keeper = claim[0] if claim else self._fresh(fresh(g), members)
            keeper.status, keeper.target, keeper.holders = LIVE, None, []
            keeper.size = len(members)
            for other in claim[1:]:
                other.status, other.target, other.holders = ALIAS, keeper.id, []
            names.append(keeper.id)
        for record, spread in lost:
            record.status, record.target = GONE, None
            record.holders = [names[g] for g in spread]
        return names

    def _fresh(self, proposed: str, members: Sequence[str]) -> IdRecord:
        name, n = proposed, 1
        while name in self.records:
            n += 1
            name = f"{proposed}-{n}"
        self._seq += 1
        record = IdRecord(name, self._seq, list(members))
        self.records[name] = record
        return record


@dataclass
class IdBooks:
    """The id books of a store: one for events, one for storylines."""

    events: IdBook = field(default_factory=IdBook)
    stories: IdBook = field(default_factory=IdBook)

    @classmethod
    def of(cls, events: Sequence[Event], stories: Sequence[Story]) -> IdBooks:
        """Return books in which the given events and storylines are the only ids given."""
        members = {e.id: e.articles for e in events}
        return cls(
            IdBook.of_groups((e.id, e.articles) for e in events),
            IdBook.of_groups(
                (s.id, [a for eid in s.events for a in members.get(eid, [])]) for s in stories
            ),
        )


def stable_ids(
    events: Sequence[Event],
    stories: Sequence[Story],
    books: IdBooks,
    earliest: Callable[[str], Any] | None = None,
) -> None:
    """Rename the events and storylines of a new grouping by the books (recording there
    what became of every id): each keeps the id that stands for most of its articles.
    Events list their articles earliest first; ``earliest`` is the sort key (of an
    article id) that puts a storyline's articles in that order too."""
    names = books.events.name(
        [e.articles for e in events], lambda g: "e" + events[g].articles[0][:10]
    )
    renamed = {e.id: name for e, name in zip(events, names, strict=True)}
    for event, name in zip(events, names, strict=True):
        event.id = name
    members = {e.id: e.articles for e in events}
    for story in stories:
        story.events = [renamed[eid] for eid in story.events]
    story_articles = [[a for eid in s.events for a in members[eid]] for s in stories]
    if earliest is not None:
        story_articles = [sorted(found, key=earliest) for found in story_articles]
    story_names = books.stories.name(
        story_articles,
        lambda g: "s" + stories[g].events[0][1:],
    )
    for story, name in zip(stories, story_names, strict=True):
        story.id = name


def _home(anchor: Sequence[str], where: dict[str, int]) -> tuple[int | None, list[int]]:
    """Return the group an id goes to (None: gone) and the groups holding its articles,
    most first. It goes to the group holding most of its still-grouped articles when that
    is at least half of them; between groups holding as many, to the one holding the
    earliest."""
    placed = [where[a] for a in anchor if a in where]
    counts = Counter(placed)
    first = {g: k for k, g in reversed(list(enumerate(placed)))}
    spread = sorted(counts, key=lambda g: (-counts[g], first[g]))
    if not spread or 2 * counts[spread[0]] < len(placed):
        return None, spread
    return spread[0], spread


def _precedence(record: IdRecord) -> tuple[bool, int, int]:
    """Return the order in which ids going to one group claim it: those live before, the
    largest group first, then the oldest."""
    live = record.status == LIVE
    return (not live, -record.size if live else 0, record.seq)
