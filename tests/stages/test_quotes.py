"""Quotations and their speakers, on hand-written text with hand-made mentions."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.models import Mention, Quote
from storyline.stages.annotate import split_sentences
from storyline.stages.claims.quotes import find_quotes, paragraphs, quotation_spans

NAMES = {
    "Anna Berg": ("PERSON", "Anna Berg"),
    "Ms Berg": ("PERSON", "Anna Berg"),
    "Berg": ("PERSON", "Anna Berg"),
    "Tomas Ruiz": ("PERSON", "Tomas Ruiz"),
    "Mr Ruiz": ("PERSON", "Tomas Ruiz"),
    "Ruiz": ("PERSON", "Tomas Ruiz"),
    "Port Authority": ("ORG", "Port Authority"),
    "Reuters": ("ORG", "Reuters"),
    "Harbour Bank": ("ORG", "Harbour Bank"),
    "Lisbon": ("PLACE", "Lisbon"),
    "Oslo": ("PLACE", "Oslo"),
}


def mentions_in(text: str) -> list[Mention]:
    """Return a mention for every occurrence of a NAMES entry, longest names first."""
    found: list[Mention] = []
    for name in sorted(NAMES, key=len, reverse=True):
        for m in re.finditer(rf"\b{re.escape(name)}\b", text):
            if all(m.end() <= f.start or m.start() >= f.end for f in found):
                kind, canonical = NAMES[name]
                found.append(Mention(m.start(), m.end(), name, kind, canonical))
    return sorted(found, key=lambda m: m.start)


def quotes_in(text: str) -> list[Quote]:
    starts = [m.end() for m in re.finditer(r"[.!?][\"”’]?\s+(?=[A-Z\"“‘])", text)]
    sentences = split_sentences(text, [0, *starts], quotation_spans(text))
    quotes = find_quotes(text, mentions_in(text), sentences)
    for quote in quotes:
        assert text[quote.start : quote.end] == quote.text
    return quotes


def speakers(text: str) -> list[tuple[str, str | None, str | None]]:
    """Return (first three words, speaker, verb) of each quote."""
    return [(" ".join(q.text.split()[:3]), q.speaker, q.verb) for q in quotes_in(text)]


@pytest.mark.parametrize(
    ("text", "speaker", "verb"),
    [
        ('"The harbour will stay open all winter," Anna Berg said.', "Anna Berg", "said"),
        ("“The harbour will stay open all winter,” said Ms Berg.", "Anna Berg", "said"),
        ('Tomas Ruiz said: "The harbour will stay open all winter."', "Tomas Ruiz", "said"),
        ('Mr Ruiz said that "the harbour will stay open all winter".', "Tomas Ruiz", "said"),
        ("“The harbour will stay open all winter,” according to the Port Authority.",
         "Port Authority", "according to"),
        ('"The harbour will stay open all winter," Berg told Reuters.', "Anna Berg", "told"),
        ('"The harbour will stay open all winter," the Port Authority said on Monday.',
         "Port Authority", "said"),
        ("“The harbour will stay open all winter,” Tomas Ruiz, head of the Harbour Bank in "
         "Lisbon, was quoted as saying by Reuters.", "Tomas Ruiz", "was quoted as saying"),
        ('Ruiz, speaking in Oslo, warned: "The harbour cannot stay open all winter."',
         "Tomas Ruiz", "warned"),
        ("According to the Harbour Bank, “the harbour will stay open all winter.”",
         "Harbour Bank", "according to"),
        ("“The harbour will stay open all winter.” Ms Berg said.", "Anna Berg", "said"),
    ],
)  # fmt: skip
def test_attribution_patterns(text: str, speaker: str, verb: str) -> None:
    (quote,) = quotes_in(text)
    assert quote.text.startswith(("The harbour", "the harbour"))
    assert (quote.speaker, quote.verb) == (speaker, verb)


def test_quote_span_is_the_words_inside_the_marks() -> None:
    text = 'Berg said: "  Ships will keep sailing to the islands. "'
    (quote,) = quotes_in(text)
    assert quote.text == "Ships will keep sailing to the islands."
    assert text[quote.start - 3 : quote.start] == '"  '


def test_pronoun_speaker_is_the_latest_person_in_this_or_the_last_paragraph() -> None:
    text = (
        "Anna Berg chairs the board of the Port Authority in Lisbon.\n\n"
        "“We have never seen traffic like this before,” she said."
    )
    assert speakers(text) == [("We have never", "Anna Berg", "said")]


def test_pronoun_does_not_reach_back_past_the_previous_paragraph() -> None:
    text = (
        "Tomas Ruiz opened the new terminal.\n\n"
        "The ships came in early.\n\n"
        '"We have never seen traffic like this before," he said.'
    )
    assert speakers(text) == [("We have never", None, "said")]


def test_it_said_resolves_to_the_latest_organisation() -> None:
    text = (
        "The Harbour Bank cut its forecast for Lisbon. "
        '"Trade is slowing faster than we expected," it said.'
    )
    assert speakers(text) == [("Trade is slowing", "Harbour Bank", "said")]


def test_pronoun_before_the_verb_is_resolved_too() -> None:
    text = (
        "Mr Ruiz gave a speech in which he praised the crews, but added that "
        '"the season has only just begun".'
    )
    assert speakers(text) == [("the season has", "Tomas Ruiz", "added")]


def test_an_unattributed_paragraph_quote_continues_the_previous_speaker() -> None:
    text = (
        "“We will build two more piers by spring,” Berg said.\n\n"
        "“After that the old quay will close for repairs.”\n\n"
        "Officials in Oslo were not told of the plan."
    )
    assert speakers(text) == [
        ("We will build", "Anna Berg", "said"),
        ("After that the", "Anna Berg", "said"),
    ]


def test_a_quote_after_a_plain_paragraph_inherits_nothing() -> None:
    text = (
        "“We will build two more piers by spring,” Berg said. The crews cheered.\n\n"
        "“After that the old quay will close for repairs.”"
    )
    assert speakers(text)[1] == ("After that the", None, None)


def test_two_quotes_around_one_attribution_share_the_speaker() -> None:
    text = '"We will not give up," Ruiz said, "and nobody should expect us to."'
    assert [q.speaker for q in quotes_in(text)] == ["Tomas Ruiz", "Tomas Ruiz"]


def test_words_after_a_quote_that_are_not_attribution_are_ignored() -> None:
    text = 'Critics called it "a very costly mistake for everyone" and later said nothing.'
    assert speakers(text) == [("a very costly", None, None)]


@pytest.mark.parametrize(
    "text",
    [
        'The two ports signed a "no-limits" partnership in Lisbon.',
        "The mayor praised the ‘truly historic’ deal.",
        "Crowds greeted the “people’s champion” at the harbour.",
        "Tomas Ruiz declared a “new era” for the port.",
        'Ruiz said the deal was good. Crews called it a "win".',
    ],
)
def test_scare_quotes_and_titles_are_not_quotes(text: str) -> None:
    assert quotes_in(text) == []


def test_short_quote_with_a_speech_verb_and_speaker_counts() -> None:
    text = "Ms Berg said the board “welcomes” the decision."
    assert speakers(text) == [("welcomes", "Anna Berg", "said")]


def test_single_curly_quotes_count_only_as_full_sentences() -> None:
    text = "‘The port will reopen on time,’ Berg said, calling it ‘the last step’."
    assert speakers(text) == [("The port will", "Anna Berg", "said")]


def test_apostrophes_inside_single_quotes_do_not_close_them() -> None:
    text = "‘We don’t know when the ships will return,’ said Mr Ruiz."
    (quote,) = quotes_in(text)
    assert quote.text == "We don’t know when the ships will return,"
    assert quote.speaker == "Tomas Ruiz"


def test_names_inside_a_quote_are_never_its_speaker() -> None:
    text = '"Tomas Ruiz and Anna Berg will both be there," a spokesman said.'
    assert speakers(text) == [("Tomas Ruiz and", None, "said")]


def test_an_unclosed_quote_runs_to_the_end_of_its_paragraph() -> None:
    text = "“The piers are ready and the crews are trained\n\nThat was all, said Berg."
    (quote,) = quotes_in(text)
    assert quote.text == "The piers are ready and the crews are trained"


def test_quotation_spans_include_the_marks_and_short_phrases() -> None:
    text = 'A "big" day: "We are ready," she said.'
    assert [text[a:b] for a, b in quotation_spans(text)] == ['"big"', '"We are ready,"']


def test_paragraphs_are_the_non_blank_lines_trimmed() -> None:
    text = "  One line. \n\n\nTwo\n   \nThree  "
    assert [text[a:b] for a, b in paragraphs(text)] == ["One line.", "Two", "Three"]


_PIECES = st.sampled_from(
    ['"', "“", "”", "‘", "’", " ", ", ", ". ", "\n\n", "Berg", "Ms Berg", "Tomas Ruiz", "said",
     "according to", "the Port Authority", "he", "it", "We will sail", "don’t", "to Oslo",
     ":", "that", "told Reuters", "the ships are ready"]
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(_PIECES, max_size=30).map("".join))
def test_every_quote_holds_its_text_and_names_a_known_speaker(text: str) -> None:
    canonicals = {canonical for _, canonical in NAMES.values()}
    previous_end = 0
    for quote in quotes_in(text):
        assert quote.start >= previous_end and quote.text.strip() == quote.text
        previous_end = quote.end
        assert quote.speaker is None or quote.speaker in canonicals
