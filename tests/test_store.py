from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest

from storyline.errors import StoreError
from storyline.models import (
    Annotations,
    Article,
    DateRange,
    Event,
    Membership,
    Mention,
    Removal,
    Story,
)
from storyline.store import SCHEMA_VERSION, PlacementFeatures, Store
from tests.conftest import as_older_store


def _article(i: int, text: str = "") -> Article:
    return Article(
        id=f"a{i:03d}",
        ref=f"file{i}.txt",
        text=text or f"Article number {i} reports that the harbour reopened on Monday.",
        title=f"Title {i}",
        removed=[Removal("Share this article", "share line")],
    )


def test_schema_version_and_wal(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    store = Store(str(db))
    assert store.schema_version() == SCHEMA_VERSION
    store.close()
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"articles", "articles_fts", "events", "stories", "meta"} <= tables


def test_reopening_does_not_migrate_twice(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    Store(db).add_articles([_article(1)])
    again = Store(db)
    assert again.count_articles() == 1
    assert again.schema_version() == SCHEMA_VERSION


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    Store(str(db)).close()
    con = sqlite3.connect(db)
    con.execute("UPDATE meta SET value='99' WHERE key='schema_version'")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="upgrade storyline"):
        Store(str(db))


def test_not_a_database_is_a_store_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match=r"bad\.db"):
        Store(str(bad))


def test_adding_twice_adds_nothing(store: Store) -> None:
    assert store.add_articles([_article(1), _article(2), _article(1)]) == ["a001", "a002"]
    assert store.add_articles([_article(1)]) == []
    assert store.count_articles() == 2
    assert store.article_ids() == ["a001", "a002"]


def test_round_trip_with_annotations_and_dates(store: Store) -> None:
    article = _article(1)
    store.add_articles([article])
    article.annotations = Annotations(
        sentences=[(0, 20)], mentions=[Mention(0, 7, "Article", "ORG", "Article")]
    )
    article.date = DateRange("2025-03-04", "2025-03-04", "given", ["published"])
    store.save_annotations([article])
    store.save_dates([article])
    [back] = store.articles()
    assert back == article


def test_embeddings_round_trip(store: Store) -> None:
    store.add_articles([_article(1), _article(2)])
    vectors = np.arange(8, dtype=np.float32).reshape(2, 4)
    store.save_embeddings("m", ["a001", "a002"], vectors)
    loaded = store.load_embeddings("m")
    assert np.array_equal(loaded["a002"], vectors[1])
    assert store.load_embeddings("other") == {}
    assert list(store.load_embeddings("m", ["a002"])) == ["a002"]


def _features(article_id: str, day: int | None, terms: list[int]) -> PlacementFeatures:
    counts = np.arange(1, len(terms) + 1, dtype=np.uint16)
    return PlacementFeatures(article_id, day, np.array(terms, np.int32), counts, {"mara lind": 1.0})


def test_placement_features_round_trip_and_replace(store: Store) -> None:
    store.add_articles([_article(1), _article(2)])
    store.save_placement_features(
        [_features("a001", 739314, [3, 70000, 4000000]), _features("a002", None, [])]
    )
    store.save_placement_features([_features("a002", 739320, [9])])  # replaces a002's row
    store.save_embeddings("m", ["a001", "a002"], np.ones((2, 4), dtype=np.float32))
    store.replace_events([Event("e1", "Harbour", ["a001", "a002"], DateRange(None, None))], [])
    assert list(store.placement_rows("other")) == []
    rows = list(store.placement_rows("m"))
    assert [(f.article_id, e) for f, _, e in sorted(rows, key=lambda r: r[0].article_id)] == [
        ("a001", "e1"),
        ("a002", "e1"),
    ]
    assert all(v.tolist() == [1.0] * 4 for _, v, _ in rows)
    back = {f.article_id: f for f, _, _ in rows}
    assert back["a001"].day == 739314 and back["a001"].terms.tolist() == [3, 70000, 4000000]
    assert back["a001"].counts.tolist() == [1, 2, 3]
    assert back["a001"].entities == {"mara lind": 1.0}
    assert (back["a002"].day, back["a002"].terms.tolist()) == (739320, [9])


def test_article_events(store: Store) -> None:
    store.add_articles([_article(1), _article(2)])
    assert store.article_events() == {}
    store.replace_events([Event("e1", "Harbour", ["a001", "a002"], DateRange(None, None))], [])
    assert store.article_events() == {"a001": "e1", "a002": "e1"}


def test_a_schema_1_store_gains_the_placement_table(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    Store(str(db)).add_articles([_article(1)])
    con = sqlite3.connect(db)  # make it a schema 1 store, as written before placement
    con.execute("DROP TABLE placement_features")
    con.execute("UPDATE meta SET value='1' WHERE key='schema_version'")
    con.commit()
    con.close()
    store = Store(str(db))
    assert store.schema_version() == SCHEMA_VERSION
    assert store.count_articles() == 1
    store.save_placement_features([_features("a001", None, [5])])
    store.save_embeddings("m", ["a001"], np.ones((1, 4), dtype=np.float32))
    store.replace_events([Event("e1", "Harbour", ["a001"], DateRange(None, None))], [])
    assert [f.article_id for f, _, _ in store.placement_rows("m")] == ["a001"]


def test_a_schema_2_store_drops_its_placement_features_to_rebuild_them(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    store = Store(str(db))
    store.add_articles([_article(1)])
    store.save_placement_features([_features("a001", None, [5])])
    as_older_store(db, 2)  # as written before words were hashed with digits folded
    store = Store(str(db))
    assert store.schema_version() == SCHEMA_VERSION
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT count(*) FROM placement_features").fetchone() == (0,)
    assert store.count_articles() == 1


def test_language_round_trips_and_is_counted(store: Store) -> None:
    english, french = _article(1), _article(2, "Le port du nord a rouvert lundi.")
    english.language = "en"
    store.add_articles([english, french])
    assert [a.language for a in store.articles()] == ["en", None]
    assert store.language_counts() == {"en": 1, None: 1}
    french.language, french.meta = "fr", {"language_confidence": 0.98}
    store.save_languages([french])
    back = store.articles(["a002"])[0]
    assert (back.language, back.meta) == ("fr", {"language_confidence": 0.98})
    assert back.to_dict()["language"] == "fr"
    assert [h.language for h in store.search("port")] == ["fr"]


def test_a_schema_3_store_gains_the_language_column(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    Store(str(db)).add_articles([_article(1)])
    as_older_store(
        db, 3, "ALTER TABLE articles DROP COLUMN language"
    )  # as written before languages were detected
    store = Store(str(db))
    assert store.schema_version() == SCHEMA_VERSION
    assert [a.language for a in store.articles()] == [None]  # detected by the next build


def test_events_replace_and_search_by_event(store: Store) -> None:
    store.add_articles([_article(1), _article(2, "Flood waters closed the valley road on Friday.")])
    event = Event("e1", "Harbour", ["a001"], DateRange(None, None), [Membership("a001", 1.0)])
    store.replace_events([event], [Story("s1", "Harbour story", ["e1"])])
    assert store.events() == [event]
    assert store.stories()[0].events == ["e1"]
    hits = store.search("harbour")
    assert [h.article_id for h in hits] == ["a001"]
    assert hits[0].event_id == "e1"
    assert "[[harbour]]" in hits[0].snippet
    store.replace_events([], [])
    assert store.events() == []


def test_search_tolerates_punctuation(store: Store) -> None:
    store.add_articles([_article(1)])
    # what is not good FTS5 syntax is read as the user's words, never an SQL error
    assert [h.article_id for h in store.search('harbour "reopened')] == ["a001"]
    for odd in ("*", "NEAR(", '"', "AND", "a OR", "harbour*)", "   "):
        store.search(odd)
    assert [h.article_id for h in store.search("harbour, reopened!")] == ["a001"]
    assert [h.article_id for h in store.search('"reopened harbour"')] == []  # a phrase


def test_undated_events_come_last_and_stories_keep_their_order(store: Store) -> None:
    store.add_articles([_article(1), _article(2, "Flood waters closed the valley road on Friday.")])
    undated = Event("e0", "Undated", ["a001"], DateRange(None, None))
    dated = Event("e9", "Dated", ["a002"], DateRange("2025-03-04", "2025-03-04"))
    stories = [Story("s9", "First by date", ["e9"]), Story("s0", "Undated story", ["e0"])]
    store.replace_events([undated, dated], stories)
    assert [e.id for e in store.events()] == ["e9", "e0"]
    assert [s.id for s in store.stories()] == ["s9", "s0"]
