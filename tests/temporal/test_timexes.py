"""Temporal expressions (TimeML TIMEX3): every category on invented sentences, relative ones
with and without a reference date, and what must not fire."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.temporal.timexes import find_timexes

# A Tuesday, so weekday arithmetic in both directions is visible.
REF = dt.date(2023, 10, 17)
# Durations may use the decade and century units DE and CE (TIDES 2005, as HeidelTime) for
# a vague count ("for decades" is PXDE).
TIMEX3 = re.compile(
    r"^(?:\d{4}|XXXX)(?:-(?:\d\d|W\d\d|Q[1-4]|H[12]|SP|SU|FA|WI)(?:-\d\d|-WE)?)?"
    r"(?:T[\dA-Z:]+)?$|^\d{2,3}$|^P(?:[\dX.]+(?:[YMWDQ]|DE|CE))*(?:T(?:[\dX.]+[HMS])+)?$|"
    r"^(?:PRESENT|PAST|FUTURE)_REF$|^XXXX-WXX-\d(?:T[A-Z]{2})?$|^XXXX(?:-XX)*(?:T[A-Z]{2})?$"
)


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


def test_since_puts_a_yearless_month_or_date_in_the_past() -> None:
    # REF is 17 October 2023: without "since" the future cue would pick next year's.
    text = "The ship has sailed since November and is scheduled to dock soon."
    assert [t.value for t in find_timexes(text, REF)] == ["2022-11"]
    text = "Police have looked for him since shortly after the Dec. 2 raid."
    assert [t.value for t in find_timexes(text, REF)] == ["2022-12-02"]


def test_a_deadline_month_lies_ahead_whatever_the_verb() -> None:
    text = "The lender extended the credit line through February."
    assert [t.value for t in find_timexes(text, REF)] == ["2024-02"]
    text = "The firm repaid most of the loan by March."
    assert [t.value for t in find_timexes(text, REF)] == ["2024-03"]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Prices slid by mid-afternoon yesterday in Paris.",
         ("mid-afternoon yesterday", "TIME", "2023-10-16TAF")),
        ("Traders bought heavily in the morning, then sold.", ("the morning", "TIME",
                                                              "2023-10-17TMO")),
        ("By late afternoon the square had emptied.", ("late afternoon", "TIME",
                                                       "2023-10-17TAF")),
        ("A ruling is due the week of Nov. 6, the clerk said.",
         ("the week of Nov. 6", "DATE", "2023-W45")),
        ("The decades-long feud ended.", ("decades-long", "DURATION", "PXDE")),
        ("It was a months-long strike.", ("months-long", "DURATION", "PXM")),
    ],
)  # fmt: skip
def test_parts_of_days_weeks_of_dates_and_vague_lengths(
    sentence: str, expected: tuple[str, str, str]
) -> None:
    assert only(sentence, REF) == expected


def test_a_bare_part_of_day_follows_the_day_the_story_is_on() -> None:
    text = "On May 3, 2021 the crowd gathered in the evening."
    assert [t.value for t in find_timexes(text)] == ["2021-05-03", "2021-05-03TEV"]
    assert find_timexes("Papers are read in the morning.")[0].value is None
    assert find_timexes("He reads the morning papers.", REF) == []


def test_weekday_of_a_full_date_belongs_to_that_date() -> None:
    found = find_timexes("The match is on Saturday, 21 October 2023.", REF)
    assert [(t.text, t.value) for t in found] == [("Saturday, 21 October 2023", "2023-10-21")]
    # A clock time after the date makes one TIME expression (TimeML), as "June 5, 2020, 9:30
    # PM" does; the first version left "at noon" out.
    found = find_timexes("The match is on Saturday, 21 October 2023 at noon.", REF)
    assert [(t.text, t.type, t.value) for t in found] == [
        ("Saturday, 21 October 2023 at noon", "TIME", "2023-10-21T12:00")
    ]


def test_expressions_come_back_in_text_order_without_overlap() -> None:
    text = "On Monday (Oct 16) the council met; it meets again in 2024 and 2025."
    found = find_timexes(text, REF)
    assert [t.text for t in found] == ["Monday", "Oct 16", "2024", "2025"]
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))


@pytest.mark.parametrize(
    ("sentence", "expected_text", "expected_type", "expected_value"),
    [
        # DATE at every granularity
        ("The council met on 2023-10-18.", "2023-10-18", "DATE", "2023-10-18"),
        ("Sales peaked in October 2023.", "October 2023", "DATE", "2023-10"),
        ("The weir was rebuilt in 1998.", "1998", "DATE", "1998"),
        ("Output fell in the third quarter of 2022.", "the third quarter of 2022", "DATE",
         "2022-Q3"),
        ("Q3 2023 results were weak.", "Q3 2023", "DATE", "2023-Q3"),
        ("Profit doubled in the first half of 2022.", "the first half of 2022", "DATE",
         "2022-H1"),
        ("It rained all through the summer of 2021.", "the summer of 2021", "DATE", "2021-SU"),
        ("Rents rose fastest in the 2020s.", "2020s", "DATE", "202"),
        ("Jazz clubs flourished in the 20th century.", "20th century", "DATE", "19"),
        ("Profit grew in fiscal 2022.", "fiscal 2022", "DATE", "2022"),
        ("Shops were shut on Christmas Day 2022.", "Christmas Day 2022", "DATE", "2022-12-25"),
        ("The broadcast recalled nineteen ninety-six.", "nineteen ninety-six", "DATE", "1996"),
        ("The ledger shows 10/18/2023 as the date.", "10/18/2023", "DATE", "2023-10-18"),
        # TIME
        ("The ferry left at 9:15 p.m. on June 5, 2020.", "9:15 p.m. on June 5, 2020", "TIME",
         "2020-06-05T21:15"),
        ("The bulletin went out on 2021-03-04T06:30.", "2021-03-04T06:30", "TIME",
         "2021-03-04T06:30"),
        # DURATION
        ("The siege lasted three years.", "three years", "DURATION", "P3Y"),
        ("Repairs took 2 months.", "2 months", "DURATION", "P2M"),
        ("The fair runs for five days.", "five days", "DURATION", "P5D"),
        ("The crossing took three hours.", "three hours", "DURATION", "PT3H"),
        ("They waited a week for parts.", "a week", "DURATION", "P1W"),
        ("Talks could take several weeks.", "several weeks", "DURATION", "PXW"),
        ("The drought lasted 2 1/2 years.", "2 1/2 years", "DURATION", "P2Y6M"),
        ("The call took an hour and a half.", "an hour and a half", "DURATION", "PT1H30M"),
        ("He rested for half an hour.", "half an hour", "DURATION", "PT30M"),
        ("The mayor unveiled a five-year plan.", "five-year", "DURATION", "P5Y"),
        ("Profit rose in the first nine months.", "the first nine months", "DURATION", "P9M"),
        ("The two families have argued for years.", "years", "DURATION", "PXY"),
        ("Inflation doubled over the past decade.", "the past decade", "DURATION", "P10Y"),
        ("Demand fell over the past two quarters.", "the past two quarters", "DURATION", "P6M"),
        # SET
        ("The board meets every week.", "every week", "SET", "P1W"),
        ("The bulletin is published weekly.", "weekly", "SET", "P1W"),
        ("Readers check the tide tables daily.", "daily", "SET", "P1D"),
        ("The market opens every Monday.", "every Monday", "SET", "XXXX-WXX-1"),
        ("Pickers arrive each July.", "each July", "SET", "XXXX-07"),
        ("The licence costs $5 a year.", "a year", "SET", "P1Y"),
        # the vague references
        ("Prices are high now.", "now", "DATE", "PRESENT_REF"),
        ("The firm is currently hiring.", "currently", "DATE", "PRESENT_REF"),
        ("At present the port is shut.", "At present", "DATE", "PRESENT_REF"),
        ("The mill was recently sold.", "recently", "DATE", "PAST_REF"),
        ("Rates were higher in the past.", "the past", "DATE", "PAST_REF"),
        ("The plan may change in the near future.", "the near future", "DATE", "FUTURE_REF"),
    ],
)  # fmt: skip
def test_every_category_without_a_reference(
    sentence: str, expected_text: str, expected_type: str, expected_value: str
) -> None:
    assert only(sentence) == (expected_text, expected_type, expected_value)


@pytest.mark.parametrize(
    ("sentence", "expected_text", "expected_type", "expected_value"),
    [
        ("Shares rose this morning.", "this morning", "TIME", "2023-10-17TMO"),
        ("The vote is tomorrow morning.", "tomorrow morning", "TIME", "2023-10-18TMO"),
        ("The storm will hit tonight.", "tonight", "TIME", "2023-10-17TNI"),
        ("The ferry leaves at 14:30.", "14:30", "TIME", "2023-10-17T14:30"),
        ("The leaders will meet at noon Thursday.", "noon Thursday", "TIME", "2023-10-19T12:00"),
        ("Results for the fiscal year were mixed.", "the fiscal year", "DATE", "2023"),
        ("Rents peaked in the '90s.", "'90s", "DATE", "199"),
        ("Grunge ruled the nineties.", "the nineties", "DATE", "199"),
        ("Growth slowed in the second quarter.", "the second quarter", "DATE", "2023-Q2"),
        ("Sales usually jump in the fourth quarter.", "the fourth quarter", "DATE", "2023-Q4"),
        ("The bank reported a loss for the latest quarter.", "the latest quarter", "DATE",
         "2023-Q3"),
        ("Leaves turn this fall.", "this fall", "DATE", "2023-FA"),
        ("The dam burst last spring.", "last spring", "DATE", "2023-SP"),
        ("The works finish next summer.", "next summer", "DATE", "2024-SU"),
        ("The plant closed a year ago.", "a year ago", "DATE", "2022"),
        ("The ship sank two weeks ago.", "two weeks ago", "DATE", "2023-W40"),
        ("The port reopened earlier this year.", "earlier this year", "DATE", "2023"),
        ("Shops close early at Christmas.", "Christmas", "DATE", "2023-12-25"),
        ("Traffic was light over the weekend.", "the weekend", "DATE", "2023-W41-WE"),
    ],
)  # fmt: skip
def test_every_category_against_the_reference(
    sentence: str, expected_text: str, expected_type: str, expected_value: str
) -> None:
    assert only(sentence, REF) == (expected_text, expected_type, expected_value)


@pytest.mark.parametrize(
    ("sentence", "mod", "quant", "freq"),
    [
        ("The strike lasted more than two weeks.", "MORE_THAN", None, None),
        ("The hearing lasted nearly an hour.", "LESS_THAN", None, None),
        ("The port reopened in early 2022.", "START", None, None),
        ("The board meets every week.", None, "EVERY", None),
        ("Fees rise each year.", None, "EACH", None),
        ("The ferry sails twice a week.", None, None, "2X"),
    ],
)
def test_mod_quant_and_freq(
    sentence: str, mod: str | None, quant: str | None, freq: str | None
) -> None:
    (timex,) = find_timexes(sentence, REF)
    assert (timex.mod, timex.quant, timex.freq) == (mod, quant, freq)


def test_approximators_timebank_leaves_out_stay_outside_the_span() -> None:
    (timex,) = find_timexes("The search took about three days.", REF)
    assert (timex.text, timex.value, timex.mod) == ("three days", "P3D", "APPROX")


def test_an_article_before_a_modifier_belongs_to_the_noun() -> None:
    found = find_timexes("The 14-day waiting period ended after the third-quarter loss.", REF)
    assert [t.text for t in found] == ["14-day", "third-quarter"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("On March 5, 2021, the mill closed. The same day, crews left.", "2021-03-05"),
        ("On March 5, 2021, the mill closed. That day, crews left.", "2021-03-05"),
        ("On March 5, 2021, the mill closed. The next day, crews left.", "2021-03-06"),
        ("On March 5, 2021, the mill closed. The following week, crews left.", "2021-W10"),
        ("On March 5, 2021, the mill closed. Three days earlier, crews left.", "2021-03-02"),
        ("Profit fell in the third quarter from a year earlier.", "2022-Q3"),
        ("The mill closed in 2019. Later that year, crews left.", "2019"),
    ],
)
def test_anaphora_lean_on_the_last_date_mentioned(text: str, expected: str) -> None:
    assert find_timexes(text, REF)[-1].value == expected


def test_a_duration_before_later_is_the_duration_and_later_its_signal() -> None:
    assert only("Two days later, the crews left.", REF) == ("Two days", "DURATION", "P2D")


@pytest.mark.parametrize(
    "sentence",
    [
        "Officials may decide later.",
        "May I ask a question?",
        "The veterans will March on the capital.",
        "He won a second term.",
        "The Sunday Times reported it first.",
        "About 2000 people marched.",
        "The 70-year-old man was hurt.",
        "A 10-year-old boy was found.",
        "The Fed raised rates.",
        "The play Spring of Life opened.",
        "He spoke on 60 Minutes.",
        "USA Today reported it.",
        "The Daily Mail printed it.",
        "It cost $2000.",
        "Jan Kavan spoke.",
        "June Carter sang.",
        "Dividends are paid on quarterly results.",
        "A quarter of the vote went to him.",
        "The fall in prices hurt farmers.",
        "The summer camp opened.",
        "A winter storm hit the coast.",
        'He spoke on "This Week" on ABC.',
        "VOA Today carried the interview.",
    ],
)
def test_words_that_only_look_temporal_do_not_fire(sentence: str) -> None:
    assert find_timexes(sentence, REF) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "Shares rose this morning.",
        "The plant closed a year ago.",
        "Growth slowed in the second quarter.",
        "Leaves turn this fall.",
        "Shops close early at Christmas.",
        "The ferry leaves at 14:30.",
        "The talks resume at noon Thursday.",
    ],
)
def test_nothing_relative_is_guessed_without_a_reference(sentence: str) -> None:
    (timex,) = find_timexes(sentence, None)
    assert timex.value is None or timex.value.startswith("XXXX"), timex


_PIECES = st.sampled_from(
    ["in", "on", "last", "next", "this", "since", " ", ", ", ".", "\n", "May", "October",
     "Oct.", "Tuesday", "Friday", "2023", "2019", "1990s", "18", "3rd", "of", "year", "week",
     "month", "earlier", "ago", "two", "days", "today", "-", "2022-02-29", "2024-02-29",
     "will", "arrived", "and", "10:30", "PM", "cases", "quarter", "third", "the", "summer",
     "now", "daily", "every", "a.m.", "hours", "'90s", "fiscal", "Christmas", "half", "a",
     "nineteen", "ninety-six", "more than", "about", "$5", "Q3", "century", "20th", "weekend",
     "by", "through", "morning", "decades-long", "mid-afternoon"]
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
        assert timex.type in ("DATE", "TIME", "DURATION", "SET")
        assert timex.value is None or TIMEX3.match(timex.value), timex


def test_offsets_before_year_zero_stay_unresolved() -> None:
    [timex] = find_timexes("It began 29 century earlier.", dt.date(2021, 5, 1))
    assert timex.value is None or TIMEX3.match(timex.value)
