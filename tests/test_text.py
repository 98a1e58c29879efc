"""The shared text ideas: where a sentence ends, the tense a time is spoken of in, the hedges."""

from __future__ import annotations

import pytest

from storyline.stages.claims.crosscheck import APPROXIMATE, AT_LEAST, AT_MOST, BELOW
from storyline.temporal.words import APPROX_MODS, approx_mod
from storyline.text import (
    BOUND_CUES,
    DIRECTION_CUES,
    FUTURE,
    HEDGES,
    PAST,
    SENTENCE_BREAK,
    UNKNOWN,
    WORD_BREAK,
    Tense,
    TenseCues,
    sentence_around,
    tense,
)


@pytest.mark.parametrize(
    ("text", "breaks"),
    [
        ("The rig sank. Oil spread.", ["The rig sank.", "Oil spread."]),
        ('He left. "It is over," she said.', ["He left.", '"It is over," she said.']),
        ("Output rose 3.5 percent. Prices fell.", ["Output rose 3.5 percent.", "Prices fell."]),
        ("Is it over? no one knows.", ["Is it over? no one knows."]),
        ("A headline\nThe lead", ["A headline", "The lead"]),
    ],
)
def test_a_sentence_ends_before_a_capital_or_at_a_line_end(text: str, breaks: list[str]) -> None:
    pieces, last = [], 0
    for m in SENTENCE_BREAK.finditer(text):
        pieces.append(text[last : m.start() + 1].strip())
        last = m.end()
    pieces.append(text[last:].strip())
    assert [p for p in pieces if p] == breaks


def test_the_cleaner_cuts_only_after_a_word() -> None:
    assert [m.end() for m in WORD_BREAK.finditer("The U.S. Embassy said so. Then it left.")] == [26]
    assert WORD_BREAK.search("gusher spewing ma ... Photos of fish") is None


def test_the_sentence_around_an_expression_stops_at_its_breaks() -> None:
    text = "Talks failed. The ship sank on Tuesday and the crew fled. Rescue came."
    start = text.index("Tuesday")
    lo, hi = sentence_around(text, start, start + len("Tuesday"), 200)
    assert text[lo:hi] == "The ship sank on Tuesday and the crew fled"


def _tense(text: str, words: str, cues: TenseCues) -> Tense:
    start = text.index(words)
    return tense(text, start, start + len(words), cues)


def test_dating_reads_a_date_as_surely_past_only_without_other_cues() -> None:
    found = _tense("The plant closed in 2009.", "2009", BOUND_CUES)
    assert (found.sign, found.sure) == (PAST, True)
    # a forecast says nothing safe about when the page was written
    sign, _, sure = _tense("Trade is projected to reach 9% in 2020.", "2020", BOUND_CUES)
    assert sign == UNKNOWN and not sure
    assert _tense("Talks will resume on Tuesday.", "Tuesday", BOUND_CUES)[0] == FUTURE


def test_the_timex_engine_reads_reporting_verbs_and_participles_weakly() -> None:
    text = "The leaders will meet on Thursday, the palace said."
    assert _tense(text, "Thursday", DIRECTION_CUES)[0] == FUTURE
    # "is expected" is a participle: no tense; "was sold" is past, right before it
    assert _tense("A ruling is expected Tuesday.", "Tuesday", DIRECTION_CUES)[0] == UNKNOWN
    assert _tense("The unit was sold in November.", "November", DIRECTION_CUES)[:2] == (PAST, 4)
    # a reporting verb alone still reads as past
    assert _tense("Officials said Friday.", "Friday", DIRECTION_CUES)[0] == PAST


def test_each_hedge_has_one_kind_every_reader_knows() -> None:
    groups = (AT_LEAST, AT_MOST, BELOW, APPROXIMATE)
    assert sum(len(g) for g in groups) == len(HEDGES)
    assert frozenset().union(*groups) == frozenset(HEDGES)
    assert set(APPROX_MODS) == set(HEDGES)
    assert approx_mod("nearly") == "LESS_THAN" and approx_mod("At  least") == "EQUAL_OR_MORE"
