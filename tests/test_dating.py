from __future__ import annotations

from storyline.models import Annotations, Article, Timex
from storyline.stages.dating import date_article


def _article(text: str, years: tuple[int, ...] = (), **meta: str) -> Article:
    timexes = [Timex(0, 4, str(y), "DATE", str(y)) for y in years]
    return Article("x", "x.txt", text, meta=dict(meta), annotations=Annotations(timexes=timexes))


def test_given_date_wins() -> None:
    article = _article("Anything.")
    article.published = "2025-03-04T09:00:00+00:00"
    date = date_article(article)
    assert (date.start, date.end, date.certainty) == ("2025-03-04", "2025-03-04", "given")


def test_weekday_date_pair_fixes_the_year_within_bounds() -> None:
    # 12 March is a Wednesday in 2025 (and 2031, 2036: outside the stamp's bound).
    article = _article(
        "The vote is set for Wednesday, March 12, after talks that began in 2024.",
        years=(2024,),
        updated_stamp="Updated: March 14, 2025, 10:44 AM",
    )
    date = date_article(article)
    assert (date.start, date.certainty) == ("2025-03-12", "day")
    assert any("Wednesday, March 12" in e for e in date.evidence)


def test_ambiguous_weekday_date_stays_a_range() -> None:
    # 12 March was a Wednesday in 2014, 2020 and 2025: a mention of 2013 alone cannot choose.
    article = _article("Talks resume on Wednesday, March 12, as agreed in 2013.", years=(2013,))
    date = date_article(article)
    assert date.certainty == "range"
    assert date.start == "2013-01-01"


def test_stamp_gives_upper_bound_and_years_lower_bound() -> None:
    article = _article(
        "Trade grew in 2022.", years=(2022, 2019), updated_stamp="Updated: November 13, 2023"
    )
    date = date_article(article)
    assert (date.start, date.end, date.certainty) == ("2022-01-01", "2023-11-13", "range")


def test_nothing_to_go_on_is_unknown_not_invented() -> None:
    date = date_article(_article("The council met on Tuesday."))
    assert (date.start, date.end, date.certainty) == (None, None, "unknown")
