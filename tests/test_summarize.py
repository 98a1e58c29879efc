"""Event summaries: central sentences that several independent sources support, cited."""

from __future__ import annotations

from storyline.models import Article
from storyline.stages.annotate import AnnotateOptions, annotate
from storyline.stages.summarize import select_sentences

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
    annotate(articles, AnnotateOptions(processes=1))
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
