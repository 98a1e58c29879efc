from __future__ import annotations

import numpy as np
import pytest

from storyline.models import Annotations, Article, DateRange, Mention
from storyline.stages.cluster.grouping import ClusterOptions, cluster

HARBOUR = "The port authority reopened the northern harbour after the storm damaged the breakwater."
FLOOD = "Flood water closed the valley road and the council opened two shelters for residents."


def _article(i: str, text: str, people: list[str], day: str | None = None) -> Article:
    mentions = [Mention(0, 1, p, "PERSON", p) for p in people]
    article = Article(i, f"{i}.txt", text, title=text.split(" after")[0], source=f"outlet-{i}")
    article.annotations = Annotations(sentences=[(0, len(text))], mentions=mentions)
    certainty = "given" if day else "unknown"
    article.date = DateRange(day, day, certainty)
    return article


def _vectors(groups: list[int]) -> np.ndarray:
    rng = np.random.default_rng(0)
    centers = rng.normal(size=(max(groups) + 1, 16))
    vecs = np.array([centers[g] + 0.05 * rng.normal(size=16) for g in groups], dtype=np.float32)
    return vecs / np.linalg.norm(vecs, axis=1, keepdims=True)


def test_same_happening_grouped_different_happening_apart() -> None:
    articles = [
        _article("a1", HARBOUR, ["Mara Lind"], "2025-03-04"),
        _article("a2", HARBOUR.replace("reopened", "has reopened"), ["Mara Lind"], "2025-03-05"),
        _article("b1", FLOOD, ["Tomas Berg"], "2025-03-04"),
    ]
    grouping = cluster(articles, _vectors([0, 0, 1]), ClusterOptions())
    groups = sorted(sorted(e.articles) for e in grouping.events)
    assert groups == [["a1", "a2"], ["b1"]]
    harbour = next(e for e in grouping.events if "a1" in e.articles)
    assert harbour.date.start == "2025-03-04" and harbour.date.end == "2025-03-05"
    assert harbour.sources == ["outlet-a1", "outlet-a2"]
    evidence = {m.article: m for m in harbour.evidence}
    assert evidence["a2"].shared_entities == ["Mara Lind"]
    assert 0.30 < evidence["a2"].similarity <= 1.0


def test_dates_far_apart_split_identical_text() -> None:
    articles = [
        _article("a1", HARBOUR, ["Mara Lind"], "2025-03-04"),
        _article("a2", HARBOUR, ["Mara Lind"], "2025-06-20"),
    ]
    grouping = cluster(articles, _vectors([0, 0]), ClusterOptions(event_max_days=7))
    assert len(grouping.events) == 2
    # ...but the same actors keep both events in one storyline.
    assert len(grouping.stories) == 1
    assert grouping.stories[0].events == [e.id for e in grouping.events]


def test_unrelated_events_are_separate_storylines() -> None:
    articles = [
        _article("a1", HARBOUR, ["Mara Lind"], "2025-03-04"),
        _article("b1", FLOOD, ["Tomas Berg"], "2025-05-01"),
    ]
    grouping = cluster(articles, _vectors([0, 1]), ClusterOptions())
    assert len(grouping.stories) == 2


def test_event_ids_are_stable_and_empty_input() -> None:
    articles = [_article("a1", HARBOUR, ["Mara Lind"], "2025-03-04")]
    first = cluster(articles, _vectors([0]), ClusterOptions())
    again = cluster(articles, _vectors([0]), ClusterOptions())
    assert [e.id for e in first.events] == [e.id for e in again.events] == ["ea1"]
    assert cluster([], np.zeros((0, 16), dtype=np.float32), ClusterOptions()).events == []


def test_batches_keep_ids_and_reach_the_one_shot_grouping() -> None:
    from storyline.stages.cluster.grouping import Grouping

    articles = [
        _article("a1", HARBOUR, ["Mara Lind"], "2025-03-04"),
        _article("b1", FLOOD, ["Tomas Berg"], "2025-03-04"),
        _article("a2", HARBOUR.replace("reopened", "has reopened"), ["Mara Lind"], "2025-03-05"),
        _article("b2", FLOOD.replace("closed", "has closed"), ["Tomas Berg"], "2025-03-06"),
    ]
    vectors = _vectors([0, 1, 0, 1])
    once = cluster(articles, vectors, ClusterOptions())
    grouping = Grouping([], [])
    ids_seen: list[set[str]] = []
    for end in (2, 3, 4):
        grouping = cluster(articles[:end], vectors[:end], ClusterOptions(), previous=grouping)
        ids_seen.append({e.id for e in grouping.events})
    assert ids_seen[0] <= ids_seen[1] <= ids_seen[2]  # no event was renamed on the way
    assert sorted(map(sorted, (e.articles for e in grouping.events))) == sorted(
        map(sorted, (e.articles for e in once.events))
    )
    story_of = {e: s.id for s in grouping.stories for e in s.events}
    again = cluster(articles, vectors, ClusterOptions(), previous=grouping)
    assert {e: s.id for s in again.stories for e in s.events} == story_of


WIRE = (
    "Crews at the Eastport container terminal worked through the night to clear the quay "
    "after a gantry crane toppled into the water during high winds on Sunday evening. "
    "Nobody was hurt, the terminal operator said, but three berths will stay closed for "
    "at least a week while divers survey the wreck and engineers check the quay wall. "
    "Shipping lines have begun diverting vessels to the smaller port at Marrow Bay, "
    "which handled twice its usual traffic on Monday."
)
OWN_REPORT = (
    "Eastport's harbour looked like a scrapyard on Monday. A crane lay on its side in the "
    "water and dock workers watched divers go down beside it, while lorry drivers queued "
    "for a berth that would not open."
)


def test_wire_copies_are_marked_and_counted_once() -> None:
    original = _article("w1", WIRE, ["Eastport"], "2025-04-07")
    reprint = _article("w2", "EASTPORT (Wire) - " + WIRE.replace("Sunday evening", "Sunday"),
                       ["Eastport"], "2025-04-07")  # fmt: skip
    own = _article("o1", OWN_REPORT, ["Eastport"], "2025-04-07")
    for a, outlet in ((original, "Wire Service"), (reprint, "Daily Post"), (own, "Harbour FM")):
        a.source = outlet
    grouping = cluster([original, reprint, own], _vectors([0, 0, 0]), ClusterOptions())
    [event] = grouping.events
    assert len(event.sources) == 3 and event.independent_sources == 2
    why = {m.article: m for m in event.evidence}
    assert why["w2"].copy_of == "w1" and (why["w2"].copy_similarity or 0) > 0.8
    assert why["w1"].copy_of is None and why["o1"].copy_of is None


_NAMES_UNDER_TWO_KINDS = """
from storyline.models import Annotations, Article, Mention
from storyline.stages.cluster.grouping import _short_names_as_full

def art(i, names):
    text = " ".join(n for n, _ in names)
    found = [Mention(0, 1, n, kind, n) for n, kind in names]
    return Article(id=i, ref=i, text=text, annotations=Annotations(mentions=found))

people = [("Jo Hale", "PERSON"), ("Hale", "PERSON"), ("Hale", "ORG"), ("Ada Reyes", "PERSON")]
more = [(f"Org {n}", "ORG") for n in range(30)] + [("Reyes", "ORG"), ("Reyes", "PERSON")]
print(_short_names_as_full([art("a", people), art("b", more)]))
"""


@pytest.mark.slow
def test_short_names_read_the_same_whatever_the_hash_seed() -> None:
    # a name that is a person's short form and also an organisation ("Hale") once read as
    # itself or as the fuller name by the order a set came in: one run of 286 T17 articles
    # gave 158 events and the next 159
    import os
    import subprocess
    import sys

    outputs = {
        subprocess.run(
            [sys.executable, "-c", _NAMES_UNDER_TWO_KINDS],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
        ).stdout
        for seed in range(6)
    }
    assert len(outputs) == 1
    assert "'jo hale'" in outputs.pop()
