"""The claims of one article: figures with what they measure, when and how narrowly;
attributed statements; quotes. Annotated by the real annotate stage (spaCy)."""

from __future__ import annotations

import pytest

from storyline.models import Article, Claim, DateRange
from storyline.stages.annotate import AnnotateOptions, annotate
from storyline.stages.claims.extract import CHANGE, article_claims

TEXT = (
    "Chile and Peru signed a port agreement in Lima on Monday. "
    "Trade between the two nations reached a record $9.5 billion last year, customs "
    "figures show. In 2019 the exchange between Lima and Santiago stood at $6 billion. "
    "Peru's president, Maria Gonzalez, who has met Chilean leaders more than 12 times since "
    "2020, said the agreement would cut shipping costs for exporters in both countries. "
    'Gonzalez also pledged that Peru would not raise tariffs on Chilean fruit. "We are '
    'opening the door to a new era for the Pacific coast," she told reporters in Lima.'
)


@pytest.fixture(scope="module")
def claims() -> list[Claim]:
    article = Article(
        id="a1", ref="a1.txt", text=TEXT, source="Andes Wire",
        published="2025-03-04", date=DateRange("2025-03-04", "2025-03-04", "given"),
    )  # fmt: skip
    article.annotations = annotate([article], AnnotateOptions(processes=1))[0]
    return article_claims(article)


def _figure(claims: list[Claim], written: str) -> Claim:
    [claim] = [c for c in claims if c.kind == "quantity" and c.value_text == written]
    return claim


def test_every_claim_cites_its_own_words(claims: list[Claim]) -> None:
    for claim in claims:
        assert TEXT[claim.span.start : claim.span.end] == claim.text
        assert claim.value_text is None or claim.value_text in claim.text


def test_trade_under_other_names_is_one_measure_between_the_same_parties(
    claims: list[Claim],
) -> None:
    recent, earlier = _figure(claims, "$9.5 billion"), _figure(claims, "$6 billion")
    assert recent.measure == earlier.measure == "Chile–Peru trade"
    assert (recent.value, recent.unit) == (9.5e9, "USD")


def test_relative_and_absolute_years_give_the_time_a_figure_holds(claims: list[Claim]) -> None:
    assert _figure(claims, "$9.5 billion").time == "2024"  # "last year", published 2025
    assert _figure(claims, "$6 billion").time == "2019"


def test_hedges_and_scope_are_kept_apart_from_the_time(claims: list[Claim]) -> None:
    record = _figure(claims, "$9.5 billion")
    assert "record" in record.qualifiers


def test_attributed_statement_names_its_speaker(claims: list[Claim]) -> None:
    statements = {c.text.split()[0]: c for c in claims if c.kind == "statement"}
    assert statements["Gonzalez"].speaker == "Maria Gonzalez"
    quotes = [c for c in claims if c.kind == "quote"]
    assert [q.speaker for q in quotes] == ["Maria Gonzalez"]
    assert quotes[0].text.startswith("We are opening the door")


def test_broad_measures_take_the_word_before_them_and_undated_months_stay_months() -> None:
    text = (
        "The inflation rate rose to 8.5% in March, the statistics office said. "
        "Mortgage rates climbed to 5.3% over the same weeks, while gasoline prices fell 4%."
    )
    article = Article(id="b1", ref="b1.txt", text=text, source="Ledger")  # no date known
    article.annotations = annotate([article], AnnotateOptions(processes=1))[0]
    found = {c.value_text: c for c in article_claims(article) if c.kind == "quantity"}
    assert found["8.5%"].measure == "inflation" and found["8.5%"].time == "XXXX-03"
    assert found["5.3%"].measure == "mortgage rate"
    assert found["4%"].measure == "gasoline prices"


def _quantities(text: str, day: str | None = None, stamped: bool = False) -> dict[str, Claim]:
    """Return an article's figure claims by their words; day is its publication day, given
    as its date and, when stamped, as its published stamp too (so "Tuesday" resolves)."""
    date = DateRange(day, day, "given") if day else None
    published = day if stamped else None
    article = Article(
        id="q1", ref="q1.txt", text=text, source="Ledger", date=date, published=published
    )
    article.annotations = annotate([article], AnnotateOptions(processes=1))[0]
    return {c.value_text or "": c for c in article_claims(article) if c.kind == "quantity"}


def test_an_index_named_exactly_outranks_a_generic_word_and_core_figures_stand_apart() -> None:
    found = _quantities(
        "The spending price index, known as PCE, the bank's favourite inflation gauge, "
        "climbed to 5.9% in July. The core consumer price index, which leaves out fuel and "
        "food, rose 4.4% in July. Producer prices jumped 11% over the year. The central "
        "bank lifted its benchmark rate by 50 basis points."
    )
    assert found["5.9%"].measure == "PCE inflation"
    assert found["4.4%"].measure == "core inflation"
    assert found["11%"].measure == "producer prices"
    points = found["50 basis points"]
    assert points.measure == "policy rate" and points.unit == "bp"


def test_forecasts_and_targets_are_marked_and_readings_are_not() -> None:
    found = _quantities(
        "Inflation reached 7.9% in May, well above the central bank's 2% target. "
        "The monetary fund projected 3.5% inflation for next year."
    )
    assert not {"expected", "target"} & set(found["7.9%"].qualifiers)
    assert "target" in found["2%"].qualifiers
    assert "expected" in found["3.5%"].qualifiers


def test_a_figure_called_current_holds_when_the_article_was_published() -> None:
    text = "Prices rose as fast as 13.1% in April 1979, far above the current 6.2% rate."
    undated = _quantities(text)
    assert undated["13.1%"].time == "1979-04" and undated["6.2%"].time is None
    dated = _quantities(text, "2025-06-02")
    assert dated["6.2%"].time == "2025-06-02"


def test_the_figure_a_forecast_starts_from_is_a_reading() -> None:
    found = _quantities(
        "New pumps would lift the plant's output from 1.8 gigawatts to about 2.6 gigawatts."
    )
    assert "expected" not in found["1.8 gigawatts"].qualifiers
    assert "expected" in found["2.6 gigawatts"].qualifiers


def test_a_date_after_one_figure_is_not_taken_by_the_next() -> None:
    found = _quantities(
        "The pumps would lift the lake plant’s output from 1.8 gigawatts in 2024 to about "
        "2.6 gigawatts once the work is finished in 2031. In 2023, exports rose 5% and "
        "imports 7%."
    )
    assert found["1.8 gigawatts"].time == "2024"
    assert found["2.6 gigawatts"].time == "2031"
    assert found["5%"].time == found["7%"].time == "2023"
    # "plant’s" is a possessive, not a word that narrows the measure
    assert found["1.8 gigawatts"].measure == found["2.6 gigawatts"].measure


def test_a_measure_word_in_the_next_sentence_does_not_name_a_figure() -> None:
    found = _quantities(
        "The ferry company will take 40 percent of the new berths. Exports through the "
        "harbour rose to $2 billion, and 35 percent of the cargo was grain."
    )
    assert found["40 percent"].measure is None  # "Exports" opens the next sentence
    assert found["$2 billion"].measure == "exports"


def test_a_bare_count_of_people_or_countries_measures_nothing_but_a_death_toll_does() -> None:
    found = _quantities(
        "Four people were taken to hospital in Ardmore. Seven countries sent doctors. "
        "The blast killed 11 workers in Ardmore."
    )
    assert found["Four people"].measure is None and found["Seven countries"].measure is None
    toll = found["11 workers"]
    assert toll.measure == "deaths" and toll.subject == "workers @ Ardmore"


def test_a_date_of_saying_or_still_to_come_does_not_date_a_reading() -> None:
    found = _quantities(
        "Growers picked 8,400 tonnes of apples, the cooperative said on Monday. "
        "A press will open next spring after a harvest of 9,100 tonnes.",
        day="2031-06-10",
    )
    assert found["8,400 tonnes"].time is None and found["9,100 tonnes"].time is None


def test_a_count_right_before_injured_counts_injuries_and_share_trading_is_not_trade() -> None:
    found = _quantities(
        "Eleven people were killed and 17 people were injured in the blast. "
        "Shares in the company ended trading down 1.4% on Thursday."
    )
    assert found["Eleven people"].measure == "deaths"
    assert found["17 people"].measure == "injuries"
    assert found["1.4%"].measure != "trade"


SPEAKERS = (
    "The driver dragged Lena Ward ten feet down the lane as he sped away, said witness "
    "Tomas Brandt, who was standing outside the bakery with his two sons. "
    "Harbour boss Ivo Marsh, who ran the port for thirty years, died on Monday in a "
    "hospital near the coast, officials said on Tuesday evening."
)


def test_the_speaker_of_an_inverted_or_unnamed_attribution() -> None:
    article = Article(
        id="a2", ref="a2.txt", text=SPEAKERS, source="Coast Post",
        published="2025-03-04", date=DateRange("2025-03-04", "2025-03-04", "given"),
    )  # fmt: skip
    article.annotations = annotate([article], AnnotateOptions(processes=1))[0]
    statements = [c for c in article_claims(article) if c.kind == "statement"]
    by_start = {c.text.split()[1]: c.speaker for c in statements}
    assert by_start.get("driver") == "Tomas Brandt"  # "..., said witness Tomas Brandt"
    assert "boss" not in by_start  # officials said it: not Ivo Marsh's statement


def test_the_day_a_statement_was_made_is_not_when_its_figure_holds() -> None:
    text = (
        "Yesterday, officials said the cap was holding for the first time since the "
        "platform sank, killing 11 workers."
    )
    article = Article(
        id="a3", ref="a3.txt", text=text, source="Coast Post",
        published="2025-07-19", date=DateRange("2025-07-19", "2025-07-19", "given"),
    )  # fmt: skip
    article.annotations = annotate([article], AnnotateOptions(processes=1))[0]
    [workers] = [c for c in article_claims(article) if c.value_text == "11 workers"]
    assert workers.time is None


def test_what_people_expect_is_no_reading() -> None:
    from storyline.stages.claims.extract import status_of

    text = "Analysts expect the costs of the disaster to total around $2bn."
    at = text.index("$2bn")
    assert status_of(text, 0, at, at + 4, len(text)) == "expected"


def test_a_figure_something_moved_by_is_marked_a_change() -> None:
    found = _quantities(
        "The agency cut the firm's rating by six notches on Monday. It now stands two "
        "notches above junk. Shares rose by about 5% and then rose to 9%."
    )
    assert CHANGE in found["six notches"].qualifiers
    assert CHANGE not in found["two notches"].qualifiers
    assert CHANGE in found["5%"].qualifiers and CHANGE not in found["9%"].qualifiers


def test_a_count_that_only_sets_a_window_is_no_figure() -> None:
    found = _quantities(
        "The Herons lost for the seventh time in the past nine games. They scored on "
        "their first two drives and won 12 games last year."
    )
    assert "nine games" not in found and "two drives" not in found
    assert "12 games" in found


def test_games_something_happened_in_are_a_window_too() -> None:
    found = _quantities(
        "He ran for 907 yards in 15 games. They had won 15 games by May. Six games later, they led."
    )
    assert "Six games" not in found
    assert [c.text for k, c in found.items() if k == "15 games"] == [
        "They had won 15 games by May."
    ]


def test_a_date_before_a_relative_clause_is_not_the_figure_s_time() -> None:
    text = (
        "Yesterday, the mayor met the crews to discuss the flood, which began with the storm "
        "that killed 11 workers. The crews were tired after the long weeks. The May 3 storm "
        "that killed 14 farmers was the worst. The roads were closed for days. On Monday it "
        "emerged that 20 houses had burned."
    )
    found = _quantities(text, "2025-06-08", stamped=True)
    assert found["11 workers"].time is None  # the day of the meeting, not of the deaths
    assert found["14 farmers"].time == "2025-05-03"  # the storm's own date
    assert found["20 houses"].time == "2025-06-02"  # "it emerged that" opens no clause


def test_an_amount_restated_in_another_currency_or_unit_is_no_figure_of_its_own() -> None:
    text = (
        "Aid rose to £20m ($32m). A fund reached €5bn, or about $6bn. Fines were £3m, $4m.\n\n"
        "BP collected 15,000 barrels of oil (630,000 gallons) from the well on Tuesday."
    )
    found = _quantities(text, "2010-06-09", stamped=True)
    assert "$32m" not in found and "$6bn" not in found and "630,000 gallons" not in found
    assert {"£20m", "€5bn", "£3m", "$4m", "15,000 barrels"} <= set(found)
    # the conversion no longer stands between the barrels and the day they were collected
    assert found["15,000 barrels"].time == "2010-06-08"
