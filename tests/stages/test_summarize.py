"""Event summaries: central sentences that several independent sources support, cited."""

from __future__ import annotations

from storyline.models import Article, DateRange, Event
from storyline.stages.annotate import AnnotateOptions, annotate
from storyline.stages.summarize import looks_ahead, reads_alone, select_sentences

WIRE = (
    "The Orrin council approved a new flood wall along the Tamsin on Tuesday evening. "
    "Engineers said the wall would be finished before the autumn storms arrive in October."
)
COPY = (
    "The Orrin council approved a new flood wall along the Tamsin on Tuesday evening. "
    "Local traders welcomed the decision at a packed meeting in the market hall."
)
OWN = (
    "The wall should be finished before the autumn storms arrive in October, engineers told "
    "the Herald. Councillors argued for hours over the wall before the final vote."
)


def _articles() -> list[Article]:
    articles = [
        Article(id="w", ref="w.txt", text=WIRE, source="Wire Service"),
        Article(id="c", ref="c.txt", text=COPY, source="Valley Post"),
        Article(id="o", ref="o.txt", text=OWN, source="Orrin Herald"),
    ]
    annotated = annotate(articles, AnnotateOptions(processes=1))
    for article, its in zip(articles, annotated, strict=True):
        article.annotations = its
    return articles


def test_reprints_of_one_story_do_not_vouch_for_it() -> None:
    articles = _articles()
    # counted as three sources, the copied opening looks backed by another outlet
    [naive] = select_sentences(articles, 1)
    assert naive.text.startswith("The Orrin council approved")
    # with the reprint known as the wire's, the line an independent outlet confirms wins
    origins = {"w": "Wire Service", "c": "Wire Service", "o": "Orrin Herald"}
    [independent] = select_sentences(articles, 1, origins)
    assert "finished before the autumn storms" in independent.text
    [cite] = independent.citations
    texts = {a.id: a.text for a in articles}
    assert texts[cite.article][cite.start : cite.end] == independent.text


BACKGROUND = (
    "The visit comes a month after the mayor of Orrin toured the coast in 2030. "
    "The mayor of Orrin and the Varrow council chief met on Thursday and signed a flood pact. "
    "The two will meet again next spring to review the pact."
)


def test_the_lead_sentence_states_the_happening_not_its_background() -> None:
    [article] = [Article(id="v", ref="v.txt", text=BACKGROUND, source="Orrin Herald")]
    article.annotations = annotate([article], AnnotateOptions(processes=1))[0]
    when = DateRange("2031-01-01", None, "range")  # known only as 2031 or later
    event = Event("e", "Pact", ["v"], when, participants=["Orrin", "Varrow"])
    summary = select_sentences([article], 3, None, event)
    assert summary[0].text.startswith("The mayor of Orrin and the Varrow council chief met")
    # the rest in reading order; without the event, all of them are
    assert next(s.text for s in select_sentences([article], 3)).startswith("The visit comes")
    assert looks_ahead("The two will meet again next spring.")
    assert looks_ahead("Talks are due to resume.") and not looks_ahead("Talks resumed.")


def test_a_short_quoted_phrase_reads_alone_a_quotation_does_not() -> None:
    assert reads_alone('The ministers discussed their ties "in their entirety" at length.')
    assert not reads_alone('"We will not sign anything today," the minister told reporters.')
    assert not reads_alone('He said the talks were "a waste of time and of everybody\'s money".')
    assert not reads_alone('The talks, he said, were "a waste of time.')  # a piece of a quote


def test_a_saying_reported_is_a_happening_whatever_it_looks_ahead_to() -> None:
    assert not looks_ahead("The minister said on Wednesday that the dam would release more.")
    assert looks_ahead("The dam will release more water, the minister said.")
