from __future__ import annotations

import pytest

from storyline.eval.metrics import bcubed, pairwise


def test_perfect_and_renamed_clusterings_score_one() -> None:
    gold = ["a", "a", "b", "c", "c", "c"]
    assert bcubed(gold, gold).f1 == 1.0
    assert bcubed([3, 3, 1, 2, 2, 2], gold).f1 == 1.0
    assert pairwise([3, 3, 1, 2, 2, 2], gold).f1 == 1.0


def test_bcubed_textbook_example() -> None:
    # One cluster of everything: precision is the mean share of same-gold items.
    gold = ["a", "a", "b", "b"]
    score = bcubed([0, 0, 0, 0], gold)
    assert score.precision == pytest.approx(0.5)
    assert score.recall == pytest.approx(1.0)
    assert score.f1 == pytest.approx(2 / 3)
    singletons = bcubed([0, 1, 2, 3], gold)
    assert (singletons.precision, singletons.recall) == (1.0, 0.5)


def test_pairwise_counts_pairs() -> None:
    gold = ["a", "a", "a", "b"]
    score = pairwise([0, 0, 1, 1], gold)
    # predicted pairs: (0,1) right, (2,3) wrong; gold pairs: 3
    assert score.precision == pytest.approx(0.5)
    assert score.recall == pytest.approx(1 / 3)


def test_length_mismatch_is_an_error() -> None:
    with pytest.raises(ValueError):
        bcubed([0], [0, 1])
