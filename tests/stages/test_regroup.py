from __future__ import annotations

import numpy as np

from storyline.stages.cluster.grouping import average_link
from storyline.stages.cluster.regroup import inherit_ids, regroup, touched_articles


def _sim(groups: list[int], inside: float = 0.8, across: float = 0.05) -> np.ndarray:
    g = np.array(groups)
    sim = np.where(g[:, None] == g[None, :], inside, across).astype(np.float64)
    np.fill_diagonal(sim, 1.0)
    return sim


def _fresh(members: list[int]) -> str:
    return f"new{members[0]}"


def test_first_batch_groups_everything_afresh() -> None:
    labels = regroup(_sim([0, 0, 1]), [None, None, None], 0.3, average_link, _fresh)
    assert labels[0] == labels[1] == "new0" and labels[2] == "new2"


def test_new_article_joins_its_event_and_others_stay_untouched() -> None:
    sim = _sim([0, 0, 1, 1, 0])
    previous: list[str | None] = ["harbour", "harbour", "flood", "flood", None]
    assert touched_articles(sim, previous, 0.3).tolist() == [True, True, False, False, True]
    labels = regroup(sim, previous, 0.3, average_link, _fresh)
    assert labels == ["harbour", "harbour", "flood", "flood", "harbour"]


def test_bridging_article_merges_two_events_keeping_the_larger_id() -> None:
    sim = _sim([0, 0, 0, 1, 2])
    sim[np.ix_([0, 1, 2], [3])] = sim[np.ix_([3], [0, 1, 2])] = 0.45
    sim[4, :4] = sim[:4, 4] = 0.7  # the new article reports both as one happening
    previous: list[str | None] = ["big", "big", "big", "small", None]
    labels = regroup(sim, previous, 0.4, average_link, _fresh)
    assert set(labels) == {"big"}


def test_event_splits_when_evidence_no_longer_holds_it_together() -> None:
    # two halves that were grouped earlier, now far apart; a new article touches them
    sim = _sim([0, 1, 1, 1, 1])
    previous: list[str | None] = ["ev", "ev", "ev", "ev", None]
    labels = regroup(sim, previous, 0.3, average_link, _fresh)
    assert labels[1:] == ["ev"] * 4  # the part holding most of the event keeps its id
    assert labels[0] == "new0"


def test_ids_are_unique_when_a_fresh_name_is_taken() -> None:
    names = inherit_ids([[0], [1]], [None, None], {"x0"}, lambda m: "x0")
    assert names == ["x0-2", "x0-3"]


def test_without_new_articles_nothing_changes() -> None:
    previous: list[str | None] = ["a", "b", "b"]
    assert regroup(_sim([0, 0, 1]), previous, 0.3, average_link, _fresh) == ["a", "b", "b"]
