"""Timeline summarisation scores (AR1, AR2, Date-F1) against tilse's numbers and by hand."""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest

from storyline.eval.tls_metrics import (
    TimelineScores,
    mean_scores,
    porter_stem,
    rouge_tokens,
    score_timeline,
)
from tests.conftest import FIXTURES, shared_path

TLS = FIXTURES / "tls"
DAY = dt.date(2021, 5, 10)
ONE = dt.timedelta(days=1)


def _load_cases() -> list[tuple[str, dict[str, object], dict[str, float]]]:
    cases = json.loads((TLS / "tilse_cases.json").read_text(encoding="utf-8"))
    ref = json.loads((TLS / "tilse_reference.json").read_text(encoding="utf-8"))
    scores = {c["name"]: c["scores"] for c in ref["cases"]}
    return [(c["name"], c, scores[c["name"]]) for c in cases]


def _timeline(raw: dict[str, list[str]]) -> dict[dt.date, list[str]]:
    return {dt.date.fromisoformat(d): s for d, s in raw.items()}


@pytest.mark.parametrize(("name", "case", "expected"), _load_cases())
def test_matches_tilse_reference(
    name: str, case: dict[str, dict[str, list[str]]], expected: dict[str, float]
) -> None:
    got = vars(score_timeline(_timeline(case["predicted"]), _timeline(case["gold"])))
    assert set(expected) <= set(got)
    for key, value in expected.items():
        assert got[key] == pytest.approx(value, abs=1e-9), (name, key)


def test_identical_timelines_score_one() -> None:
    gold = {
        DAY: ["Ferry services resumed after the storm .", "Ports reopened at dawn ."],
        DAY + 3 * ONE: ["The harbour master resigned ."],
    }
    scores = score_timeline(gold, gold)
    assert all(value == 1.0 for value in vars(scores).values())


def test_disjoint_dates_get_date_weighted_credit() -> None:
    gold = {DAY: ["Glacier melt flooded valley farms ."]}
    next_day = score_timeline({DAY + ONE: gold[DAY]}, gold)
    assert next_day.date_f1 == 0.0
    assert next_day.date_p == next_day.date_r == 0.0
    # same words one day off: every match is worth 1/(1+1); three days off, 1/(3+1)
    assert next_day.ar1_f == pytest.approx(0.5)
    assert next_day.ar2_f == pytest.approx(0.5)
    assert score_timeline({DAY - 3 * ONE: gold[DAY]}, gold).ar1_f == pytest.approx(0.25)
    # the date-blind "concat" score ignores the shift
    assert next_day.concat1_f == 1.0


def test_empty_prediction_scores_zero() -> None:
    scores = score_timeline({}, {DAY: ["Bridge collapse injured twelve commuters ."]})
    assert all(value == 0.0 for value in vars(scores).values())


def test_empty_gold_is_rejected() -> None:
    with pytest.raises(ValueError, match="gold timeline has no dates"):
        score_timeline({DAY: ["Anything at all ."]}, {})


def test_rouge2_with_single_word_sentences() -> None:
    one_word = {DAY: ["Drought"], DAY + ONE: ["Harvest"]}
    scores = score_timeline(one_word, one_word)
    # no day has a bigram, so ROUGE-2 has nothing to count and scores 0, ROUGE-1 is perfect
    assert (scores.ar1_f, scores.ar2_p, scores.ar2_r, scores.ar2_f) == (1.0, 0.0, 0.0, 0.0)
    # ROUGE joins a day's sentences before counting, so bigrams cross sentence ends
    gold = {DAY: ["Drought", "Harvest"]}
    assert score_timeline({DAY: ["Drought", "Harvest"]}, gold).ar2_f == 1.0
    assert score_timeline({DAY: ["Harvest", "Drought"]}, gold).ar2_f == 0.0


def test_rouge_tokens_follow_rouge155() -> None:
    words = rouge_tokens(["The children's cease-fire held in São Paulo <b>bold</b> text"])
    # stopwords go ("the", "in", "s"), hyphens and non-ASCII letters split words, WordNet
    # forms map to their base ("children", "held"), and reading stops at the first "<"
    assert words == ["child", "ceas", "fire", "hold", "paulo"]
    assert rouge_tokens(["Up 3^2"]) == ["3", "circ", "2"]  # pyrouge writes ^ as &circ;
    assert rouge_tokens(["Yes, cats ran."]) == ["cat", "ran"]  # three letters: not stemmed


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("caresses", "caress"),
        ("ponies", "poni"),
        ("relational", "relat"),
        ("hopping", "hop"),
        ("hoping", "hope"),
        ("yelling", "yell"),
        ("generalizations", "gener"),
        ("adjustment", "adjust"),
        ("agreement", "agreem"),  # ROUGE's step 4 tries -ent after -ment
    ],
)
def test_porter_stem_matches_rouge_perl(word: str, stem: str) -> None:
    assert porter_stem(word) == stem


def test_datetime_keys_count_as_days_and_duplicates_are_rejected() -> None:
    gold = {DAY: ["Wildfire smoke closed schools ."]}
    at_noon: dict[dt.date, list[str]] = {dt.datetime(2021, 5, 10, 12): gold[DAY]}
    assert score_timeline(at_noon, gold).date_f1 == 1.0
    with pytest.raises(ValueError, match="two entries for 2021-05-10"):
        score_timeline({**at_noon, DAY: ["again"]}, gold)


def test_mean_scores_average_precision_and_recall_then_f1() -> None:
    a = TimelineScores(*([1.0, 0.5, 0.0] * 5))
    b = TimelineScores(*([0.0, 0.5, 0.0] * 5))
    mean = mean_scores([a, b])
    assert (mean.ar1_p, mean.ar1_r) == (0.5, 0.5)
    assert mean.ar1_f == 0.5  # F1 of the means, not the mean of the F1s (which is 0)
    assert mean.date_f1 == 0.5
    with pytest.raises(ValueError):
        mean_scores([])


def test_t17_gold_timelines_score_fast_and_perfect_against_themselves() -> None:
    root = shared_path("bench", "timelines", "t17")
    slowest = 0.0
    for path in sorted(root.glob("*/timelines.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            gold = {dt.date.fromisoformat(d[:10]): s for d, s in json.loads(line)}
            shifted = {d + ONE: s for d, s in gold.items()}
            start = time.perf_counter()
            scores = score_timeline(shifted, gold)
            slowest = max(slowest, time.perf_counter() - start)
            assert score_timeline(gold, gold).ar2_f == 1.0
            assert scores.date_f1 < 1.0 and 0.0 < scores.ar1_f < 1.0
    assert slowest < 1.0
