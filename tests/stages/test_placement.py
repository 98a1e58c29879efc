from __future__ import annotations

import numpy as np
import pytest
from numpy.typing import NDArray

from storyline.models import Annotations, Article, DateRange, Event, Mention
from storyline.stages.cluster.grouping import ClusterOptions, cluster, event_id
from storyline.stages.cluster.placement import PlacementIndex, features_of
from storyline.store import Store

MODEL = "test-model"
# Three happenings, each told three ways (own words).
TOLD = {
    "harbour": [
        "The port authority reopened the northern harbour after the storm damaged the breakwater.",
        "Ferries sailed again once the port authority reopened the storm-damaged northern harbour.",
        "Crews repaired the breakwater and the northern harbour reopened to fishing boats.",
    ],
    "flood": [
        "Flood water closed the valley road and the council opened two shelters for residents.",
        "The council opened shelters as flood water cut the valley road for a second day.",
        "Residents of the valley waited in council shelters while the flood water receded.",
    ],
    "fire": [
        "A fire destroyed the old library on the hill and volunteers saved most of the maps.",
        "Volunteers carried rare maps out of the burning hill library before the roof fell.",
        "The hill library fire left only the stone walls; the rescued maps are in the town hall.",
    ],
}
PEOPLE = {"harbour": ["Mara Lind"], "flood": ["Tomas Berg"], "fire": ["Ines Okafor"]}
TOPIC = {"harbour": 0, "flood": 1, "fire": 2}


def _article(i: str, text: str, people: list[str], day: str | None) -> Article:
    mentions = [Mention(0, 1, p, "PERSON", p) for p in people]
    mentions.append(Mention(0, 1, "Eastport", "PLACE", "Eastport"))  # everyone's town
    article = Article(i, f"{i}.txt", text, title=text.split(",")[0], source=f"outlet-{i}")
    article.annotations = Annotations(sentences=[(0, len(text))], mentions=mentions)
    article.date = DateRange(day, day, "given" if day else "unknown")
    return article


def _told(topic: str, k: int, day: str | None) -> Article:
    return _article(f"{topic}{k}", TOLD[topic][k], PEOPLE[topic], day)


def _vectors(topics: list[str], seed: int = 0) -> NDArray[np.float32]:
    centers = np.random.default_rng(1).normal(size=(len(TOPIC), 16))
    noise = np.random.default_rng(seed).normal(size=(len(topics), 16))
    vecs = np.array([centers[TOPIC[t]] for t in topics]) + 0.05 * noise
    return (vecs / np.linalg.norm(vecs, axis=1, keepdims=True)).astype(np.float32)


def _index(articles: list[Article], events: list[str]) -> PlacementIndex:
    index = PlacementIndex()
    vectors = _vectors([a.id[:-1] for a in articles])
    for article, vector, event in zip(articles, vectors, events, strict=True):
        index.add(article, vector, event)
    return index


def _stored() -> tuple[list[Article], list[str]]:
    articles = [
        _told("harbour", 0, "2025-03-04"),
        _told("harbour", 1, "2025-03-05"),
        _told("flood", 0, "2025-03-04"),
        _told("flood", 1, "2025-03-06"),
    ]
    return articles, ["e-harbour", "e-harbour", "e-flood", "e-flood"]


def test_an_article_joins_its_event_and_another_happening_starts_one() -> None:
    index = _index(*_stored())
    harbour = index.place(_told("harbour", 2, "2025-03-06"), _vectors(["harbour"], seed=5)[0])
    assert harbour.event == "e-harbour"
    assert harbour.score > ClusterOptions().event_threshold
    assert harbour.candidates[0][0] == "e-harbour"
    fire = index.place(_told("fire", 0, "2025-03-05"), _vectors(["fire"], seed=5)[0])
    assert fire.event is None
    assert fire.score < ClusterOptions().event_threshold


def test_the_time_window_is_respected() -> None:
    index = _index(*_stored())
    vector = _vectors(["harbour"], seed=5)[0]
    months_later = index.place(_told("harbour", 2, "2025-06-20"), vector)
    assert months_later.event is None and months_later.candidates == []
    # an undated article may belong anywhere in time
    assert index.place(_told("harbour", 2, None), vector).event == "e-harbour"
    # eight days from one member and three from the other: the far one scores 0
    week_on = index.place(_told("harbour", 2, "2025-03-12"), vector)
    close = index.place(_told("harbour", 2, "2025-03-06"), vector)
    assert 0 < week_on.score < close.score


def test_placing_one_by_one_in_time_order_agrees_with_cluster() -> None:
    days = ["2025-03-04", "2025-03-05", "2025-03-07"]
    articles = [_told(topic, k, days[k]) for topic in TOLD for k in range(3)]
    articles.append(_told("flood", 0, "2025-05-01"))  # the same words, two months on
    articles[-1].id = "flood9"
    vectors = _vectors([a.id[:-1] for a in articles], seed=3)
    grouping = cluster(articles, vectors, ClusterOptions())
    index = PlacementIndex()
    order = sorted(range(len(articles)), key=lambda i: (articles[i].date.start or "", i))  # type: ignore[union-attr]
    for i in order:
        placed = index.place(articles[i], vectors[i])
        index.add(articles[i], vectors[i], placed.event or event_id([articles[i]]))
    by_cluster = {frozenset(e.articles) for e in grouping.events}
    assert len(by_cluster) == 4
    by_placement = {frozenset(index.members(e.id)) for e in grouping.events}
    assert by_placement == by_cluster


def test_the_index_round_trips_through_the_store(store: Store) -> None:
    articles, events = _stored()
    vectors = _vectors([a.id[:-1] for a in articles])
    new = _told("harbour", 2, "2025-03-06")
    store.add_articles([*articles, new])
    store.save_embeddings(MODEL, [a.id for a in articles], vectors)
    store.save_placement_features([features_of(a) for a in [*articles, new]])
    grouped = {name: [a.id for a, e in zip(articles, events, strict=True) if e == name]
               for name in events}  # fmt: skip
    store.replace_events(
        [Event(n, n, ids, DateRange(None, None)) for n, ids in grouped.items()], []
    )
    loaded = PlacementIndex.load(store, MODEL)
    assert len(loaded) == 4  # the new article has no event yet, so is not in the index
    assert sorted(loaded.members("e-harbour")) == ["harbour0", "harbour1"]
    vector = _vectors(["harbour"], seed=5)[0]
    built = _index(articles, events)
    assert loaded.place(new, vector) == built.place(new, vector)
    assert features_of(new).entities == {"mara lind": 1.0, "eastport": 0.5}


def test_scores_are_cluster_similarities_averaged_over_each_event() -> None:
    from storyline.stages.cluster.grouping import article_similarity

    stored, events = _stored()
    new = _told("harbour", 2, "2025-03-06")
    vectors = _vectors([a.id[:-1] for a in [*stored, new]])
    index = PlacementIndex()
    for article, vector, event in zip(stored, vectors[:-1], events, strict=True):
        index.add(article, vector, event)
    placed = index.place(new, vectors[-1])
    sim = article_similarity([*stored, new], vectors, ClusterOptions()).combined[-1]
    expected = {name: float(np.mean([sim[i] for i, e in enumerate(events) if e == name]))
                for name in set(events)}  # fmt: skip
    assert dict(placed.candidates) == pytest.approx(expected, abs=1e-6)


def test_an_article_is_indexed_once() -> None:
    index = _index(*_stored())
    article = _told("harbour", 0, "2025-03-04")
    with pytest.raises(ValueError, match="already"):
        index.add(article, _vectors(["harbour"])[0], "e-harbour")
    assert len(index) == 4
