"""Temporal expressions: how relative ones are anchored (the verb a weekday hangs on, the
reporting period a year-on-year comparison refers to) and TimeML span conventions, on
invented sentences."""

from __future__ import annotations

import datetime as dt

import pytest

from storyline.temporal.timexes import find_timexes

# A Tuesday, so weekday arithmetic in both directions is visible.
REF = dt.date(2023, 10, 17)
# A report filed early in the fourth quarter, about the third.
REPORT_DAY = dt.date(2023, 10, 26)


def values(text: str, reference: dt.date | None = REF) -> dict[str, str | None]:
    """Return each expression's text mapped to its value."""
    return {t.text: t.value for t in find_timexes(text, reference)}


@pytest.mark.parametrize(
    ("sentence", "weekday", "expected"),
    [
        # The weekday dates the saying, not the promise reported after it.
        ("The mayor said on Friday that she would resign.", "Friday", "2023-10-13"),
        ("The minister told reporters Thursday that talks would go on.", "Thursday",
         "2023-10-12"),
        # Without a verb of saying next to it, "would" reports a plan still ahead.
        ("Officials announced that the envoy would be flying to Oslo Thursday with aides.",
         "Thursday", "2023-10-19"),
    ],
)  # fmt: skip
def test_weekday_follows_the_verb_it_hangs_on(sentence: str, weekday: str, expected: str) -> None:
    assert values(sentence)[weekday] == expected


def test_weekday_owning_an_event_is_a_reported_one() -> None:
    # "plan to" would make a bare weekday future; "Monday's ruling" is already out.
    assert values("Lawyers plan to appeal Monday's ruling.")["Monday"] == "2023-10-16"
    assert values("Rivals will study Friday's figures.")["Friday"] == "2023-10-13"
    # ...unless the event is still awaited.
    assert values("Campaigns will be busy ahead of Thursday's vote.")["Thursday"] == "2023-10-19"


def test_comparison_after_a_months_long_period_is_the_year_before() -> None:
    text = (
        "Acme posted a third-quarter profit of $5 million. For the nine months, profit was "
        "$12 million, compared with $10 million a year earlier."
    )
    found = values(text, REPORT_DAY)
    assert found["third-quarter"] == "2023-Q3"
    assert found["the nine months"] == "P9M"
    assert found["a year earlier"] == "2022"


def test_quarterly_comparison_without_a_long_period_stays_a_quarter() -> None:
    text = "Acme posted a third-quarter profit of $5 million, up from $4 million a year earlier."
    assert values(text, REPORT_DAY)["a year earlier"] == "2022-Q3"


def test_reported_quarter_is_the_latest_one_named() -> None:
    # The second quarter is mentioned as a contrast; the report is about the third.
    text = (
        "Acme's third-quarter sales rose. A weak second quarter had hurt margins. "
        "Costs were lower than a year ago."
    )
    found = values(text, REPORT_DAY)
    assert found["second quarter"] == "2023-Q2"
    assert found["a year ago"] == "2022-Q3"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The fair runs on April 24 and 25 in the park.",
         {"April 24": "2024-04-24", "25": "2024-04-25"}),
        ("Hearings were held on May 3 and 4, 2001, in the capital.",
         {"May 3": "2001-05-03", "4": "2001-05-04"}),
        ("Turnout was 5 and 6 percent on March 5 or 6.",
         {"March 5": "2024-03-05", "6": "2024-03-06"}),
    ],
)  # fmt: skip
def test_second_day_of_a_pair_is_its_own_date(sentence: str, expected: dict[str, str]) -> None:
    assert values(sentence.replace("runs", "will run").replace("was", "will be")) == expected


def test_second_day_needs_a_later_day_and_no_amount() -> None:
    assert values("Prices fell on Oct. 5 and 6 percent later.", REF) == {"Oct. 5": "2023-10-05"}
    assert "3" not in values("Votes on June 5 and 3 abstentions.", REF)


def test_approximate_ago_keeps_or_so() -> None:
    found = find_timexes("Then, a week or so ago, the plan was chosen.", REF)
    assert [(t.text, t.type, t.value) for t in found] == [("a week or so ago", "DATE", "2023-W41")]
