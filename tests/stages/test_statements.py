"""Grouping statements from different outlets that say the same thing."""

from __future__ import annotations

import numpy as np
import pytest

from storyline.stages.claims.statements import (
    content_tokens,
    embed_statements,
    group_statements,
    statement_similarity,
)
from storyline.stages.embed import MiniLMOnnx

pytestmark = pytest.mark.slow  # models, subprocesses or servers: not in `make quick`

COUNCIL = [
    "The city council approved a new budget for road repairs on Tuesday.",
    "On Tuesday, council members voted through a budget to repair the roads.",
]
FIRE = [
    "Firefighters put out a blaze at a riverside warehouse overnight.",
    "A warehouse by the river burned overnight before firefighters extinguished it.",
]
RATES = "The central bank kept interest rates unchanged at its spring meeting."


@pytest.fixture(scope="module")
def embedder() -> MiniLMOnnx:
    return MiniLMOnnx()


def _partition(texts: list[str], labels: list[int]) -> set[frozenset[str]]:
    return {frozenset(t for t, lab in zip(texts, labels, strict=True) if lab == g) for g in labels}


def test_paraphrases_group_and_other_facts_stay_apart(embedder: MiniLMOnnx) -> None:
    texts = [COUNCIL[0], FIRE[0], RATES, COUNCIL[1], FIRE[1]]
    labels = group_statements(texts, embed_statements(texts, embedder))
    assert labels == [0, 1, 2, 0, 1]


def test_same_words_with_different_figures_stay_apart(embedder: MiniLMOnnx) -> None:
    texts = [
        "Unemployment fell to 4.2% in June, the statistics office said.",
        "Unemployment fell to 4.7% in June, the statistics office said.",
        "The jobless rate dropped to 4.2 percent in June, official figures showed.",
    ]
    vectors = embed_statements(texts, embedder)
    assert group_statements(texts, vectors) == [0, 1, 0]
    assert statement_similarity(texts, vectors)[0, 1] == 0.0


def test_input_order_does_not_change_the_grouping(embedder: MiniLMOnnx) -> None:
    texts = [*COUNCIL, *FIRE, RATES]
    vectors = embed_statements(texts, embedder)
    expected = _partition(texts, group_statements(texts, vectors))
    for order in ([4, 3, 2, 1, 0], [2, 0, 4, 1, 3], [1, 3, 0, 2, 4]):
        shuffled = [texts[i] for i in order]
        labels = group_statements(shuffled, vectors[order])
        assert _partition(shuffled, labels) == expected


def test_similarity_is_symmetric_bounded_with_ones_on_the_diagonal(embedder: MiniLMOnnx) -> None:
    texts = [*COUNCIL, *FIRE]
    sim = statement_similarity(texts, embed_statements(texts, embedder))
    assert sim.shape == (4, 4) and np.allclose(sim, sim.T)
    assert np.all(np.diag(sim) == 1.0) and sim.min() >= 0.0 and sim.max() <= 1.0
    assert sim[0, 1] > sim[0, 2] and sim[2, 3] > sim[1, 2]


def test_empty_and_single_inputs(embedder: MiniLMOnnx) -> None:
    none = embed_statements([], embedder)
    assert none.shape == (0, 384)
    assert group_statements([], none) == []
    assert statement_similarity([], none).shape == (0, 0)
    one = embed_statements([RATES], embedder)
    assert group_statements([RATES], one) == [0]
    assert statement_similarity([RATES], one).tolist() == [[1.0]]
    # a statement of stop words only has no content words, and still gets a group
    assert group_statements(["It was.", RATES], embed_statements(["It was.", RATES], embedder))


def test_vectors_must_match_the_statements() -> None:
    with pytest.raises(ValueError, match="2 statements but 1 vectors"):
        statement_similarity(["One.", "Two."], np.zeros((1, 384), dtype=np.float32))


def test_content_tokens_meet_across_inflections_and_keep_figures() -> None:
    assert content_tokens("The minister pledged aid") & content_tokens("a pledge of aid") == {
        "pledg",
        "aid",
    }
    assert content_tokens("Prices rose 8.5% in 2,024 shops") >= {"8.5", "2024", "pric"}
    # "Q1" and "Covid-19" hold digits but are names, not figures; stop words are dropped
    assert content_tokens("Q1 results after Covid-19 were the best") == {"result", "covid", "best"}
