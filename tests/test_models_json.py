"""Every stored or exported data class comes back from its JSON form as it was:
``X.from_dict(x.to_dict()) == x``, through real JSON text, for any field values."""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.models import (
    Annotations,
    Article,
    CitedQuote,
    Claim,
    DateRange,
    Event,
    Finding,
    Membership,
    Mention,
    Quantity,
    Quote,
    Removal,
    Span,
    Story,
    SummarySentence,
    TimelineEntry,
    Timex,
)

CLASSES = [
    Removal, Span, Mention, Timex, Quantity, Quote, Annotations, DateRange, Article,
    SummarySentence, CitedQuote, Claim, Finding, Membership, Event, TimelineEntry, Story,
]  # fmt: skip

# What JSON holds: the values an article's free-form meta may carry.
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)


def strategy(hint: Any) -> st.SearchStrategy[Any]:
    """Return values of a field's type hint, data classes built field by field."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return st.one_of(*(strategy(a) for a in args))
    if origin is list:
        return st.lists(strategy(args[0]), max_size=3)
    if origin is tuple:
        return st.tuples(*(strategy(a) for a in args))
    if origin is dict:
        return st.dictionaries(st.text(max_size=5), strategy(args[1]), max_size=3)
    if dataclasses.is_dataclass(hint):
        return objects(typing.cast(type, hint))
    if hint is Any:
        return JSON_VALUES
    if hint is float:
        return st.floats(allow_nan=False)  # NaN is never equal to itself
    return st.from_type(hint)


def objects(cls: type) -> st.SearchStrategy[Any]:
    """Return instances of a data class with every field drawn, optional ones included."""
    hints = typing.get_type_hints(cls)
    fields = {f.name: strategy(hints[f.name]) for f in dataclasses.fields(cls)}
    return st.builds(cls, **fields)


def through_json(data: dict[str, Any]) -> Any:
    return json.loads(json.dumps(data))


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_every_data_class_comes_back_from_its_json(cls: Any, data: st.DataObject) -> None:
    thing = data.draw(objects(cls))
    assert cls.from_dict(through_json(thing.to_dict())) == thing


@settings(max_examples=40, deadline=None)
@given(event=objects(Event), pool=st.lists(objects(Membership), max_size=4))
def test_an_event_comes_back_from_its_report_form(event: Event, pool: list[Membership]) -> None:
    # report.json lists each article once, with the evidence for its place beside it; here
    # the first articles have evidence and the rest none
    event.articles = list(dict.fromkeys(event.articles))
    pairs = zip(event.articles, pool, strict=False)
    event.evidence = [dataclasses.replace(m, article=a) for a, m in pairs]
    assert Event.from_dict(through_json(event.to_dict(members=True))) == event


def test_a_citation_keeps_its_flat_json_shape() -> None:
    # stores and report.json have always held a cited span as three fields in place
    quote = CitedQuote("We will.", "Ann Ames", Span("a1", 3, 11))
    assert quote.to_dict() == {
        "text": "We will.", "speaker": "Ann Ames", "article": "a1", "start": 3, "end": 11,
    }  # fmt: skip
    claim = Claim(Span("a1", 0, 8), "We will.", "quote")
    assert list(claim.to_dict())[:5] == ["article", "start", "end", "text", "kind"]
