"""Stable ids: an event or storyline id, once given, always names the group holding most of
the articles it first named (or is an alias of that group's id), or has gone when no group
holds half of them; a fresh id is never one given before.

The property test adds a corpus of eight happenings (two by two alike, with articles that
bridge them, so events and storylines merge and split as batches arrive) in random orders
and batches, grouping with the real clustering on precomputed article vectors."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from storyline.models import Annotations, Article, DateRange, Event, IdRecord, Mention, Story
from storyline.stages.cluster.grouping import ClusterOptions, Grouping, cluster
from storyline.stages.cluster.ids import IdBook, IdBooks
from storyline.store import SCHEMA_VERSION, Store
from tests.conftest import as_older_store

# ---- the id book on its own ------------------------------------------------------------


def _book(*groups: tuple[str, list[str]]) -> IdBook:
    return IdBook.of_groups(groups)


def _fresh(g: int) -> str:
    return f"new{g}"


def test_a_split_leaves_the_id_with_the_part_holding_most_of_its_first_articles() -> None:
    book = _book(("x", ["a", "b", "c"]))
    assert book.name([["c", "d", "e", "f"], ["a", "b"]], _fresh) == ["new0", "x"]
    assert book.records["x"].status == "live" and book.records["x"].size == 2


def test_a_split_into_halves_leaves_the_id_with_the_earliest_article() -> None:
    book = _book(("x", ["b", "a"]))  # first named b, then a (earliest first)
    assert book.name([["a"], ["b"]], _fresh) == ["new0", "x"]


def test_merged_groups_keep_the_largest_id_and_the_others_become_aliases() -> None:
    book = _book(("small", ["a"]), ("big", ["b", "c"]), ("mid", ["d", "e"]))
    book.records["mid"].size = 1  # grew smaller than big since it was first named
    assert book.name([["a", "b", "c", "d", "e"]], _fresh) == ["big"]
    assert {n: (r.status, r.target) for n, r in book.records.items()} == {
        "small": ("alias", "big"),
        "big": ("live", None),
        "mid": ("alias", "big"),
    }


def test_an_id_spread_over_three_groups_is_gone_and_says_where_its_articles_are() -> None:
    book = _book(("x", ["a", "b", "c"]))
    assert book.name([["a"], ["b"], ["c"]], _fresh) == ["new0", "new1", "new2"]
    assert book.records["x"].status == "gone"
    assert book.records["x"].holders == ["new0", "new1", "new2"]


def test_an_id_whose_articles_left_the_store_is_gone() -> None:
    book = _book(("x", ["a"]), ("y", ["b"]))
    assert book.name([["b"]], _fresh) == ["y"]
    assert (book.records["x"].status, book.records["x"].holders) == ("gone", [])


def test_ids_are_never_given_again_and_an_alias_comes_back_for_its_own_articles() -> None:
    book = _book(("new0", ["a"]), ("y", ["b", "c"]))
    assert book.name([["a", "b", "c"]], _fresh) == ["y"]  # new0 is an alias of y
    # the three part again: new0 goes back to its own article; a fresh name never repeats
    assert book.name([["a"], ["b"], ["c"]], _fresh) == ["new0", "y", "new2"]
    assert book.name([["a"], ["b"], ["c"], ["d"]], lambda g: "new2") == [
        "new0",
        "y",
        "new2",
        "new2-2",
    ]
    assert [r.seq for r in book.records.values()] == [1, 2, 3, 4]


def test_only_what_changed_is_written_back() -> None:
    book = _book(("x", ["a"]), ("y", ["b"]))
    book.name([["a"], ["b", "c"]], _fresh)
    assert [r.id for r in book.changed()] == ["y"]  # y grew; x is as it was


# ---- the migration ---------------------------------------------------------------------


def test_a_schema_4_store_begins_its_id_book_with_its_events_and_storylines(
    tmp_path: Path,
) -> None:
    db = tmp_path / "s.db"
    store = Store(str(db))
    store.add_articles(
        [Article(f"a{i}", f"{i}.txt", f"Article {i} on the harbour.") for i in (1, 2, 3)]
    )
    events = [
        Event("e1", "One", ["a1", "a2"], DateRange("2025-03-01", "2025-03-01")),
        Event("e3", "Three", ["a3"], DateRange("2025-03-09", "2025-03-09")),
    ]
    store.replace_events(events, [Story("s1", "Harbour", ["e1", "e3"])])
    store.close()
    as_older_store(db, 4, "DROP TABLE group_ids")  # as written before the id book
    store = Store(str(db))
    assert store.schema_version() == SCHEMA_VERSION
    assert store.id_records("event") == [
        IdRecord("e1", 1, ["a1", "a2"], size=2),
        IdRecord("e3", 2, ["a3"], size=1),
    ]
    assert store.id_records("storyline") == [IdRecord("s1", 1, ["a1", "a2", "a3"], size=3)]
    assert store.id_record("storyline", "s9") is None


# ---- the property, on the real clustering ----------------------------------------------

FACETS = 8  # happenings; 2k and 2k+1 are alike (same people, near in meaning)
DIM = 24
LETTERS = "abcdefghijklmnop"


def _corpus() -> tuple[list[Article], NDArray[np.float32]]:
    """Return 31 articles of eight happenings and their vectors: three reporting each,
    five that report two at once, two that lean to one of two."""
    rng = np.random.default_rng(0)
    centers = rng.normal(size=(FACETS, DIM))
    centers[1::2] = 0.7 * centers[0::2] + 0.7 * centers[1::2]
    mixes: list[dict[int, float]] = [{f: 1.0} for f in range(FACETS) for _ in range(3)]
    mixes += [{a: 0.5, b: 0.5} for a, b in ((0, 1), (2, 3), (4, 5), (1, 2), (6, 7))]
    mixes += [{0: 0.7, 1: 0.3}, {3: 0.6, 4: 0.4}]
    articles, vectors = [], []
    for k, mix in enumerate(mixes):
        words: list[str] = []
        people: set[str] = set()
        vector = np.zeros(DIM)
        for f, share in mix.items():
            vocabulary = [f"{LETTERS[f]}{LETTERS[w]}word" for w in range(10)]  # no digits:
            # words are hashed with their digits folded (storyline.stages.cluster.rarity)
            words += [str(w) for w in rng.choice(vocabulary, size=round(14 * share))]
            if share >= 0.3:
                people |= {f"Person {LETTERS[f // 2]}", f"Person {LETTERS[f].upper()}b"}
            vector += share * centers[f]
        vector = vector / np.linalg.norm(vector) + 0.15 * rng.normal(size=DIM)
        vectors.append(vector / np.linalg.norm(vector))
        articles.append(_article(f"{k:02d}{'0' * 14}", " ".join(words) + ".", people, k % 4))
    return articles, np.array(vectors, dtype=np.float32)


def _article(aid: str, text: str, people: set[str], day: int) -> Article:
    article = Article(aid, f"{aid}.txt", text, title=text[:40], source=f"outlet{int(aid[:2]) % 5}")
    mentions = [Mention(0, 1, p, "PERSON", p) for p in sorted(people)]
    article.annotations = Annotations(sentences=[(0, len(text))], mentions=mentions)
    article.date = DateRange(f"2025-03-0{day + 1}", f"2025-03-0{day + 1}", "given")
    return article


ARTICLES, VECTORS = _corpus()


def _groups(grouping: Grouping) -> dict[str, dict[str, list[str]]]:
    """Return the grouping's events and storylines as id -> articles."""
    events = {e.id: e.articles for e in grouping.events}
    stories = {s.id: [a for eid in s.events for a in events[eid]] for s in grouping.stories}
    return {"event": events, "storyline": stories}


def _check(first: dict[str, list[str]], groups: dict[str, list[str]], book: IdBook) -> Counter[str]:
    """Assert the property for every id ever given; return how many were live, alias, gone."""
    where = {a: name for name, members in groups.items() for a in members}
    assert {n for n, r in book.records.items() if r.status == "live"} == set(groups)
    assert set(book.records) == set(first)
    seen: Counter[str] = Counter()
    for name, articles in first.items():
        counts = Counter(where[a] for a in articles)
        most = max(counts.values())
        record = book.records[name]
        seen[record.status] += 1
        if 2 * most >= len(articles):
            home = name if record.status == "live" else record.target
            assert record.status in ("live", "alias"), (name, record)
            assert counts[home or ""] == most, (name, record, counts)
        else:
            assert record.status == "gone", (name, record, counts)
            assert set(record.holders) == set(counts)
    return seen


def _batches(order: list[int], cuts: list[int]) -> list[list[int]]:
    """Return the articles stored after each batch: the order cut at the given places."""
    ends = sorted({*cuts, len(order)})
    return [sorted(order[:end]) for end in ends]


def run_batches(order: list[int], cuts: list[int]) -> Counter[str]:
    """Group the corpus batch by batch, checking the property after each; return how
    many ids were live, aliases and gone along the way."""
    books, grouping = IdBooks(), Grouping([], [])
    first: dict[str, dict[str, list[str]]] = {"event": {}, "storyline": {}}
    seen: Counter[str] = Counter()
    grouped: set[str] = set()
    for stored in _batches(order, cuts):
        articles = [ARTICLES[i] for i in stored]
        grouping = cluster(articles, VECTORS[stored], ClusterOptions(), grouping, books)
        for kind, groups in _groups(grouping).items():
            for name, members in groups.items():
                if name not in first[kind] and grouped & set(members):
                    seen["split"] += 1  # a new id for articles grouped before
                first[kind].setdefault(name, members)  # an id is given once, never again
            book = books.events if kind == "event" else books.stories
            seen += _check(first[kind], groups, book)
        grouped |= {a.id for a in articles}
    return seen


@settings(
    max_examples=100,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    order=st.permutations(range(len(ARTICLES))),
    cuts=st.lists(st.integers(1, len(ARTICLES) - 1), min_size=1, max_size=5),
)
@pytest.mark.slow
def test_every_id_keeps_naming_the_group_holding_most_of_its_first_articles(
    order: list[int], cuts: list[int]
) -> None:
    run_batches(order, cuts)


@pytest.mark.slow
def test_the_corpus_really_merges_and_splits_groups() -> None:
    # the property test above is worth as much as the changes its orders make happen
    totals: Counter[str] = Counter()
    for seed in range(30):
        order = np.random.default_rng(seed).permutation(len(ARTICLES))
        totals += run_batches([int(k) for k in order], [8, 16, 24])
    assert totals["alias"] >= 5 and totals["split"] >= 20 and totals["gone"] >= 1, totals
