"""Temporal expressions: absolute dates, relative ones with and without a reference date."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.stages.timexes import find_timexes

# A Tuesday, so weekday arithmetic in both directions is visible.
REF = dt.date(2023, 10, 17)
TIMEX3 = re.compile(r"^(?:\d{4}|XXXX)(?:-(?:\d\d|W\d\d)(?:-\d\d)?)?(?:T[\dA-Z:]+)?$|^\d{3}$")


def only(text: str, reference: dt.date | None = None) -> tuple[str, str, str | None]:
    """Return (text, type, value) of the one expression found in text."""
    found = find_timexes(text, reference)
    assert len(found) == 1, [t.text for t in found]
    return found[0].text, found[0].type, found[0].value


@pytest.mark.parametrize(
    ("sentence", "expected_text", "expected_value"),
    [
        ("The vote took place on October 18, 2023 in town.", "October 18, 2023", "2023-10-18"),
        ("The vote took place on 18 October 2023 in town.", "18 October 2023", "2023-10-18"),
        ("It closed on the 3rd of March 2021.", "3rd of March 2021", "2021-03-03"),
        ("Filed on Oct. 18, officials said.", "Oct. 18", "XXXX-10-18"),
        ("Filed on Oct 18 2022 by the clerk.", "Oct 18 2022", "2022-10-18"),
        ("Sales fell in October 2023 across the region.", "October 2023", "2023-10"),
        ("The record is dated 2023-10-18 in the ledger.", "2023-10-18", "2023-10-18"),
        ("The dam was finished in 2022.", "2022", "2022"),
        ("The talks are set for Wednesday, October 18.", "Wednesday, October 18", "XXXX-10-18"),
        ("Prices have climbed since February 2022.", "February 2022", "2022-02"),
        ("She has lived there since 2012.", "2012", "2012"),
        ("Growth slowed in the 1990s for most firms.", "1990s", "199"),
        ("The paper was stamped June 5, 2020, 9:30 PM by the office.", "June 5, 2020, 9:30 PM",
         "2020-06-05T21:30"),
    ],
)  # fmt: skip
def test_absolute_dates(sentence: str, expected_text: str, expected_value: str) -> None:
    text, kind, value = only(sentence)
    assert (text, value) == (expected_text, expected_value)
    assert kind == ("TIME" if "T" in expected_value else "DATE")


def test_year_pairs_and_ranges_are_both_years() -> None:
    found = find_timexes("The games were held in 2017 and 2019, and again 1998-2004.", None)
    assert [t.value for t in found] == ["2017", "2019", "1998", "2004"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Police counted 2000 marchers on the bridge.",
        "A total of 1950 votes were cast.",
        "The budget grew by 2019 percent, a typo.",
        "Room 2020 was empty.",
        "The report lists February 30, 2023 as a date.",
    ],
)
def test_numbers_that_are_not_dates_are_left_alone(sentence: str) -> None:
    assert find_timexes(sentence, None) == []


def test_month_day_without_year_takes_the_reference_year_nearest_the_reference() -> None:
    assert only("The board met on Oct. 18.", REF)[2] == "2023-10-18"
    assert only("The board met on December 28.", dt.date(2024, 1, 3))[2] == "2023-12-28"
    # The weekday picks the year in which that date fell on it: 2024-10-18 is nearer
    # to the reference but a Friday.
    assert only("They met on Wednesday, October 18.", dt.date(2024, 5, 1))[2] == "2023-10-18"
    # A weekday that fits no nearby year leaves the year open rather than guess.
    assert only("They met on Sunday, October 18.", REF)[2] == "XXXX-10-18"


@pytest.mark.parametrize(
    ("sentence", "expected_text"),
    [
        ("The minister arrived on Tuesday.", "Tuesday"),
        ("Exports rose last year.", "last year"),
        ("The law passed earlier this month.", "earlier this month"),
        ("The bridge reopened last May.", "last May"),
        ("Talks resume next week.", "next week"),
        ("The pair spoke yesterday.", "yesterday"),
        ("The court rules today.", "today"),
        ("The plant closed three days ago.", "three days ago"),
        ("The fire started last night.", "last night"),
        ("The mayor resigned in May last year.", "May last year"),
    ],
)
def test_relative_expressions_stay_unresolved_without_a_reference(
    sentence: str, expected_text: str
) -> None:
    text, kind, value = only(sentence)
    assert text == expected_text
    assert value is None
    assert kind in ("DATE", "TIME")


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Exports rose last year.", "2022"),
        ("Exports will rise this year.", "2023"),
        ("Exports may rise next year.", "2024"),
        ("The law passed earlier this month.", "2023-10"),
        ("The law passed last month.", "2023-09"),
        ("The bridge reopened last May.", "2023-05"),
        ("The bridge reopened last October.", "2022-10"),
        ("The bridge will reopen next March.", "2024-03"),
        ("The plant was sold in February.", "2023-02"),
        ("The plant was sold in November.", "2022-11"),
        ("The plant will be sold in November.", "2023-11"),
        ("The pair spoke yesterday.", "2023-10-16"),
        ("The court rules today.", "2023-10-17"),
        ("The court rules tomorrow.", "2023-10-18"),
        ("Talks resume next week.", "2023-W43"),
        ("Talks ended last week.", "2023-W41"),
        ("The plant closed three days ago.", "2023-10-14"),
        ("The plant closed 2 years ago.", "2021"),
        ("The mayor resigned in May last year.", "2022-05"),
        ("The fire started last night.", "2023-10-16TNI"),
        ("He arrived on Monday.", "2023-10-16"),
        ("He arrived on Tuesday.", "2023-10-17"),
        ("He arrived on Wednesday.", "2023-10-11"),
        ("He will speak on Wednesday.", "2023-10-18"),
        ("He will speak on Monday.", "2023-10-23"),
        ("The minister is due to land on Friday.", "2023-10-20"),
        ("A vote is scheduled for Thursday.", "2023-10-19"),
        ("She left last Tuesday.", "2023-10-10"),
        ("She returns next Tuesday.", "2023-10-24"),
        ("The leaders met on Monday evening.", "2023-10-16TEV"),
    ],
)
def test_relative_expressions_resolve_against_the_reference(sentence: str, expected: str) -> None:
    assert only(sentence, REF)[2] == expected


def test_tense_is_read_from_the_nearest_cue_in_the_sentence() -> None:
    text = "The envoy arrived on Monday ahead of a summit scheduled for Friday."
    assert [t.value for t in find_timexes(text, REF)] == ["2023-10-16", "2023-10-20"]
    text = "The envoy is due to meet the king on Thursday, the palace said."
    assert [t.value for t in find_timexes(text, REF)] == ["2023-10-19"]


def test_weekday_of_a_full_date_belongs_to_that_date() -> None:
    found = find_timexes("The match is on Saturday, 21 October 2023 at noon.", REF)
    assert [(t.text, t.value) for t in found] == [("Saturday, 21 October 2023", "2023-10-21")]


def test_expressions_come_back_in_text_order_without_overlap() -> None:
    text = "On Monday (Oct 16) the council met; it meets again in 2024 and 2025."
    found = find_timexes(text, REF)
    assert [t.text for t in found] == ["Monday", "Oct 16", "2024", "2025"]
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))


_PIECES = st.sampled_from(
    ["in", "on", "last", "next", "this", "since", " ", ", ", ".", "\n", "May", "October",
     "Oct.", "Tuesday", "Friday", "2023", "2019", "1990s", "18", "3rd", "of", "year", "week",
     "month", "earlier", "ago", "two", "days", "today", "-", "2022-02-29", "2024-02-29",
     "will", "arrived", "and", "10:30", "PM", "cases"]
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(
    st.lists(_PIECES, max_size=25).map(" ".join),
    st.one_of(st.none(), st.dates(dt.date(1950, 1, 1), dt.date(2090, 12, 31))),
)
def test_every_span_holds_its_text_and_every_value_is_timex3(
    text: str, reference: dt.date | None
) -> None:
    previous_end = 0
    for timex in find_timexes(text, reference):
        assert text[timex.start : timex.end] == timex.text
        assert timex.start >= previous_end
        previous_end = timex.end
        assert timex.type in ("DATE", "TIME")
        assert timex.value is None or TIMEX3.match(timex.value), timex
