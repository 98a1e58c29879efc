from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from storyline.models import Article, DateRange, RawDoc
from storyline.stages.clean.article import clean
from storyline.stages.clean.tokenised import untokenise
from storyline.stages.dating.corpus import LagModel, learn_lags, refine_with_mates
from storyline.stages.dating.text import (
    PAST,
    clues,
    date_article,
    date_from_text,
)
from tests.conftest import SHARED

SEEDS = SHARED / "seeds"


def _article(text: str, published: str | None = None, **meta: str) -> Article:
    return Article(f"id-{abs(hash(text))}", "x.txt", text, published=published, meta=dict(meta))


def _span(date: DateRange) -> tuple[str | None, str | None, str]:
    return date.start, date.end, date.certainty


def test_given_date_wins() -> None:
    article = _article("Anything at all.", published="2025-03-04T09:00:00+00:00")
    assert _span(date_article(article)) == ("2025-03-04", "2025-03-04", "given")
    assert _span(refine_with_mates(article, [])) == ("2025-03-04", "2025-03-04", "given")


def test_stamp_at_the_head_of_the_page_gives_the_day() -> None:
    text = (
        "Tue Mar 4, 2025 6:31pm EDT\n"
        "HARBOURTON (Wire) - The port authority said on Tuesday that the new ferry terminal, "
        "first planned in 2019, would open next spring."
    )
    date = date_article(_article(text))
    assert _span(date) == ("2025-03-04", "2025-03-04", "day")
    assert any("Mar 4, 2025" in e for e in date.evidence)


def test_tokenised_dateline_with_a_full_date_gives_the_day() -> None:
    # Penn Treebank tokens as in Timeline17: a space before the comma, -LRB- for "(".
    text = "PORTVALE , Oct. 18 , 2010 -LRB- Wire -RRB- - The mayor 's office said on Monday ..."
    assert "Oct. 18, 2010 (Wire)" in untokenise(text)
    assert _span(date_from_text(_article(text))) == ("2010-10-18", "2010-10-18", "day")


def test_photo_caption_marked_as_file_photo_is_not_the_page_date() -> None:
    text = "A ferry leaves Portvale, in this Tuesday, Feb. 10, 2009 file photo.\nFares rose."
    date = date_from_text(_article(text))
    assert date.certainty != "day"


def test_weekday_date_pair_takes_the_year_after_a_past_year_and_anchors_the_weekdays() -> None:
    # 12 March 2025 is a Wednesday; in 2024 it was a Tuesday. "On Tuesday" read with the
    # pair puts the writing on Tuesday 11 or Wednesday 12 March 2025.
    text = (
        "The ferry dispute began in 2024 and dragged on for months.\n"
        "Union leaders arrived in the capital on Tuesday ahead of talks scheduled for "
        "Wednesday, March 12."
    )
    date = date_from_text(_article(text))
    assert _span(date) == ("2025-03-11", "2025-03-12", "range")
    assert any("Wednesday only in 2025" in e or "one week" in e for e in date.evidence)


def test_ambiguous_weekday_date_pair_stays_a_wide_range() -> None:
    # 12 March was a Wednesday in 2014, 2020 and 2025: nothing between 2013 and the stamp
    # chooses among them.
    text = "The two councils agreed in 2013 to share a ferry.\nTalks resume on Wednesday, March 12."
    date = date_from_text(_article(text, updated_stamp="Updated: March 20, 2025, 9:15 AM"))
    assert _span(date) == ("2013-01-01", "2025-03-20", "range")


def test_updated_stamp_is_an_upper_bound_and_a_past_year_a_lower_one() -> None:
    date = date_from_text(
        _article(
            "Trade between the two ports grew in 2022.", updated_stamp="Updated: November 13, 2023"
        )
    )
    assert _span(date) == ("2022-01-01", "2023-11-13", "range")
    assert any("Updated: November 13, 2023" in e for e in date.evidence)


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("The plant opened in 2019 after a long wait.", "2019-01-01"),
        ("The company will open a second plant in 2027.", None),  # future: no bound
        ("Output is projected to double in 2030.", None),  # forecast: no bound
        ("Fans cheered as the 2026 cup final was drawn.", None),  # a year naming a thing
        ("Sales rose, the board said, since March 2021.", "2021-03-01"),
    ],
)
def test_year_mentions_bound_by_their_tense(text: str, start: str | None) -> None:
    assert date_from_text(_article(text)).start == start


def test_past_clues_are_read_with_their_tense() -> None:
    found = {c.text: c for c in clues(_article("The plant opened in 2019. It will close in 2031."))}
    assert found["2019"].tense == PAST and found["2019"].sure
    assert found["2031"].tense != PAST


def test_nothing_to_go_on_is_unknown_not_invented() -> None:
    date = date_from_text(_article("The council met on Tuesday to discuss the harbour."))
    assert _span(date) == (None, None, "unknown")


def _mate(published: str, text: str = "The harbour story, as told elsewhere.") -> Article:
    return _article(f"{text} {published}", published=published)


def test_mates_that_agree_give_the_day() -> None:
    article = _article("Crowds gathered at the harbour as the first ferry came in.")
    mates = [_mate("2024-06-05"), _mate("2024-06-05"), _mate("2024-06-06")]
    date = refine_with_mates(article, mates)
    assert _span(date) == ("2024-06-05", "2024-06-05", "day")
    assert "event-mates dated" in date.evidence[0]


def test_mates_that_disagree_give_a_range() -> None:
    article = _article("Crowds gathered at the harbour as the first ferry came in.")
    mates = [_mate("2024-01-10"), _mate("2024-03-02"), _mate("2024-06-20")]
    date = refine_with_mates(article, mates)
    assert date.certainty == "range"
    assert date.start is not None and date.end is not None and date.start < date.end


def test_one_mate_alone_does_not_invent_a_day() -> None:
    article = _article("Crowds gathered at the harbour as the first ferry came in.")
    assert refine_with_mates(article, [_mate("2024-06-05")]).certainty == "range"


def test_on_tuesday_is_read_against_the_mates_dates() -> None:
    # The mates came out on Wednesday 18 October 2023; "on Tuesday" is the 17th, so this
    # article was written on the 17th or the day after, not before.
    article = _article("The harbour master said on Tuesday that the ferry would sail again.")
    mates = [_mate("2023-10-18"), _mate("2023-10-18"), _mate("2023-10-19")]
    date = refine_with_mates(article, mates)
    assert date.certainty == "day"
    assert date.start in ("2023-10-17", "2023-10-18")
    assert any("'Tuesday'" in e for e in date.evidence)


def test_a_month_day_in_the_text_outweighs_scattered_mates() -> None:
    article = _article("PORTVALE, May 2 (Wire) - The ferry sailed again on Thursday.")
    mates = [_mate("2024-04-20"), _mate("2024-05-02"), _mate("2024-05-19")]
    assert _span(refine_with_mates(article, mates)) == ("2024-05-02", "2024-05-02", "day")


def _seed(prefix: str) -> Article:
    if not SEEDS.exists():
        pytest.skip(f"{SEEDS} is absent: the seed articles live in ../shared beside the repo")
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return clean(RawDoc(ref=str(path), text=path.read_text(encoding="utf-8")))


def test_seed_pair_dates_to_the_belt_and_road_forum() -> None:
    forum, preview = _seed("000"), _seed("001")
    assert forum.meta.get("updated_stamp", "").startswith("Updated: November 13, 2023")
    alone = date_from_text(preview)
    assert alone.certainty != "day"
    preview.date = refine_with_mates(preview, [forum])
    assert preview.date.certainty in ("day", "range")
    assert "2023-10-17" <= (preview.date.start or "") <= (preview.date.end or "") <= "2023-10-18"
    forum.date = refine_with_mates(forum, [preview])
    assert "2023-10-17" <= (forum.date.start or "") <= (forum.date.end or "") <= "2023-10-18"


@pytest.mark.parametrize("prefix", ["003", "004"])
def test_seed_reports_of_the_later_visit_start_in_2023_or_later(prefix: str) -> None:
    date = date_from_text(_seed(prefix))
    assert date.certainty == "range"
    assert date.start is not None and date.start >= "2023-01-01"


def _from(source: str, text: str, published: str | None = None) -> Article:
    article = _article(f"{text} {source} {published}", published=published)
    article.source = source
    return article


def _paper_and_wire() -> LagModel:
    # The daily paper reports a weekday's news the next morning; the wire the same day.
    dated = []
    for day in ("2023-09-05", "2023-09-12", "2023-09-19", "2023-09-26", "2023-10-03"):
        dated.append(_from("dailypaper", "The harbour master said on Monday that", day))
        dated.append(_from("wire", "The harbour master said on Tuesday that", day))
    dated.append(_from("wire", "An undated harbour note with no day."))
    return learn_lags(dated)


@pytest.mark.parametrize(("source", "day"), [("dailypaper", "2023-10-18"), ("wire", "2023-10-17")])
def test_a_sources_learnt_lag_reads_its_weekdays(source: str, day: str) -> None:
    article = _from(source, "The harbour master said on Tuesday that the ferry would sail.")
    mates = [_mate("2023-10-17"), _mate("2023-10-18"), _mate("2023-10-17"), _mate("2023-10-18")]
    assert _span(refine_with_mates(article, mates, lags=_paper_and_wire())) == (day, day, "day")


def test_uncounting_an_article_restores_the_lag_model() -> None:
    lags = _paper_and_wire()
    before = lags.loglik("dailypaper", "weekday_past").copy()
    extra = _from("dailypaper", "The harbour master said on Friday that", "2023-10-09")
    lags.add(extra, dt.date(2023, 10, 9))
    assert not np.allclose(lags.loglik("dailypaper", "weekday_past"), before)
    lags.add(extra, dt.date(2023, 10, 9), -1.0)
    assert np.allclose(lags.loglik("dailypaper", "weekday_past"), before)
    # a source never seen is read by the tables learnt from the whole corpus
    assert np.allclose(lags.loglik("gazette", "weekday_past"), lags.loglik(None, "weekday_past"))


def test_the_most_similar_mates_outweigh_the_first_listed() -> None:
    article = _article("Crowds gathered at the harbour as the first ferry came in.")
    mates = [_mate("2024-06-20"), _mate("2024-06-21"), _mate("2024-06-05"), _mate("2024-06-05")]
    by_rank = refine_with_mates(article, mates)
    by_cosine = refine_with_mates(article, mates, similarities=[0.1, 0.1, 0.8, 0.7])
    assert by_rank.start != "2024-06-05"
    assert _span(by_cosine) == ("2024-06-05", "2024-06-05", "day")
