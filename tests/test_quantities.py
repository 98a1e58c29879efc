"""Money amounts: currency, scale, value and hedging words."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.stages.quantities import QUALIFIERS, find_quantities


@pytest.mark.parametrize(
    ("sentence", "text", "value", "unit", "scale"),
    [
        ("Trade reached $190 billion in the year.", "$190 billion", 1.9e11, "USD", "billion"),
        ("Trade hit US$240 billion last year.", "US$240 billion", 2.4e11, "USD", "billion"),
        ("The fund holds $108bn in bonds.", "$108bn", 1.08e11, "USD", "billion"),
        ("The club paid £3.5m for him.", "£3.5m", 3.5e6, "GBP", "million"),
        ("A grant of €2 million was approved.", "€2 million", 2e6, "EUR", "million"),
        ("It earned 190 billion dollars overall.", "190 billion dollars", 1.9e11, "USD", "billion"),
        ("A fine of USD 5 million was imposed.", "USD 5 million", 5e6, "USD", "million"),
        ("The state set aside Rs 500 crore for roads.", "Rs 500 crore", 5e9, "INR", "crore"),
        ("Each farmer got Rs. 2 lakh in aid.", "Rs. 2 lakh", 2e5, "INR", "lakh"),
        ("The budget is ¥1.2 trillion this year.", "¥1.2 trillion", 1.2e12, "JPY", "trillion"),
        ("Loans worth 80 billion yuan were signed.", "80 billion yuan", 8e10, "CNY", "billion"),
        ("A deal worth RMB 3 billion was signed.", "RMB 3 billion", 3e9, "CNY", "billion"),
        ("The city spent 5 million euros on it.", "5 million euros", 5e6, "EUR", "million"),
        ("Tickets cost $1,250 each.", "$1,250", 1250.0, "USD", None),
        ("The merger is worth $3.5bn in total.", "$3.5bn", 3.5e9, "USD", "billion"),
        ("The bank lost 5 million pounds.", "5 million pounds", 5e6, "GBP", "million"),
        ("Startups raised $10k each.", "$10k", 1e4, "USD", "thousand"),
        ("It signed a $90-million contract.", "$90-million", 9e7, "USD", "million"),
        ("Builders got C$4 billion in credits.", "C$4 billion", 4e9, "CAD", "billion"),
        ("Reserves are 2 trillion roubles.", "2 trillion roubles", 2e12, "RUB", "trillion"),
    ],
)
def test_money_forms(sentence: str, text: str, value: float, unit: str, scale: str | None) -> None:
    found = find_quantities(sentence)
    assert len(found) == 1, found
    money = found[0]
    assert (money.text, money.unit, money.scale, money.kind) == (text, unit, scale, "money")
    assert money.value == pytest.approx(value)
    assert sentence[money.start : money.end] == money.text


@pytest.mark.parametrize(
    ("sentence", "qualifier"),
    [
        ("Exports were worth more than $4 billion.", "more than"),
        ("Exports were worth over $4 billion.", "over"),
        ("Exports were worth about $4 billion.", "about"),
        ("Exports were worth around $4 billion.", "around"),
        ("Exports were worth nearly $4 billion.", "nearly"),
        ("Exports were worth almost $4 billion.", "almost"),
        ("Exports were worth at least $4 billion.", "at least"),
        ("Exports could reach up to $4 billion.", "up to"),
        ("Exports were worth some $4 billion.", "some"),
        ("Exports were worth roughly $4 billion.", "roughly"),
        ("Exports were worth less than $4 billion.", "less than"),
        ("Exports were worth Nearly $4 billion.", "nearly"),
    ],
)
def test_qualifiers_come_from_the_words_just_before(sentence: str, qualifier: str) -> None:
    (money,) = find_quantities(sentence)
    assert money.qualifiers == [qualifier]
    assert money.text == "$4 billion"  # the qualifier is not part of the amount's span


def test_no_qualifier_when_none_is_next_to_the_amount() -> None:
    (money,) = find_quantities("More than anything, a record $4 billion was raised.")
    assert money.qualifiers == []
    (money,) = find_quantities("Moreover $4 billion was raised.")
    assert money.qualifiers == []


@pytest.mark.parametrize(
    "sentence",
    [
        "The boxer weighs 200 pounds.",
        "The party won 5 seats in 2019.",
        "Some 3,000 people marched for 12 hours.",
        "Turnout rose 5 percent to 60m voters.",
        "The code is B52 and the room is 10m wide.",
    ],
)
def test_numbers_that_are_not_money_are_left_alone(sentence: str) -> None:
    assert find_quantities(sentence) == []


def test_a_range_lends_its_scale_to_the_lower_bound() -> None:
    found = find_quantities("Losses of $3-4 billion are expected, or $5 to $6 million.")
    assert [(q.text, q.value) for q in found] == [
        ("$3", 3e9), ("4 billion", 4e9), ("$5", 5e6), ("$6 million", 6e6)
    ]  # fmt: skip
    assert {q.unit for q in found} == {"USD"}


def test_amounts_come_back_in_text_order() -> None:
    text = "Revenue rose to $5M from $2B? No: from £300m, or about 7 billion yen."
    found = find_quantities(text)
    assert [q.unit for q in found] == ["USD", "USD", "GBP", "JPY"]
    assert found[-1].qualifiers == ["about"]


_PIECES = st.sampled_from(
    ["$", "US$", "£", "€", "¥", "Rs", "Rs.", "USD", "5", "1,250", "3.5", "190", "0", "billion",
     "bn", "m", "k", "crore", "lakh", "million", "dollars", "euros", "yuan", "pounds", "won",
     "more than", "about", "up to", "-", "to", " ", ",", ".", "\n", "the", "worth", "2019"]
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(_PIECES, max_size=20).map(lambda parts: "".join(parts)))
def test_every_amount_holds_its_text(text: str) -> None:
    previous_end = 0
    for money in find_quantities(text):
        assert text[money.start : money.end] == money.text
        assert money.start >= previous_end
        previous_end = money.end
        assert money.value >= 0
        assert len(money.unit) == 3 and money.unit.isupper()
        assert set(money.qualifiers) <= set(QUALIFIERS)
