"""Summarise events: a few extractive sentences, each citing its source span, and the quotes.

Sentences are scored by how central they are to the event (TF-IDF cosine to the
event's centroid), how many other articles of the event say much the same
(support), and how early they come (news leads with the happening); maximal
marginal relevance keeps the selection free of near-repeats.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from sklearn.feature_extraction.text import TfidfVectorizer

from ..models import Article, Citation, CitedQuote, Event, SummarySentence, reading_order
from .copies import event_origins

# Scoring weights, set by reading the output on the seeds and the demo corpus:
# centrality dominates, support from other outlets breaks ties, the lead helps a little.
W_CENTRAL = 1.0
W_SUPPORT = 0.5
W_POSITION = 0.2
MMR_LAMBDA = 0.7  # relevance vs novelty in maximal marginal relevance
SUPPORT_SIMILARITY = 0.5  # a sentence of another article this similar "says the same"
MIN_WORDS, MAX_WORDS = 8, 60
# Shorter quoted fragments ("unstoppable") are scare quotes or asides, not statements.
MIN_QUOTE_WORDS = 4
_QUOTE_CHARS = '"“”'


@dataclass
class Candidate:
    article: Article
    start: int
    end: int
    position: int  # index of the sentence in its article

    @property
    def text(self) -> str:
        return self.article.text[self.start : self.end]


def summarize_event(event: Event, articles: dict[str, Article], n_sentences: int) -> None:
    """Fill event.summary and event.quotes from its member articles."""
    members = [articles[a] for a in event.articles]
    event.summary = select_sentences(members, n_sentences, event_origins(event, articles))
    event.quotes = event_quotes(members)


def candidates(articles: Sequence[Article]) -> list[Candidate]:
    """Return the sentences of the articles that could stand alone in a summary."""
    out = []
    for article in articles:
        spans = article.annotations.sentences if article.annotations else []
        for pos, (start, end) in enumerate(spans):
            text = article.text[start:end]
            if MIN_WORDS <= len(text.split()) <= MAX_WORDS and reads_alone(text):
                out.append(Candidate(article, start, end, pos))
    return out


def reads_alone(text: str) -> bool:
    """Return whether a sentence can stand alone in a summary or a timeline: not mostly a
    quotation (which reads badly out of context), and ending as a sentence does
    (standfirsts, subheads and captions lack the full stop)."""
    quoted = sum(text.count(c) for c in _QUOTE_CHARS)
    return quoted < 2 and text.rstrip('"”’)').endswith((".", "!", "?"))


def select_sentences(
    articles: Sequence[Article], n: int, origins: dict[str, str] | None = None
) -> list[SummarySentence]:
    """Return up to n central, supported, non-redundant sentences, each with its citation.
    Support counts independent sources: origins maps each article to the outlet whose story
    it carries (a wire copy to the wire), so reprints of one story do not vouch for it."""
    cands = candidates(articles)
    if not cands:
        return []
    matrix = _tfidf([c.text for c in cands])
    sim = np.asarray(matrix @ matrix.T)
    centroid = np.asarray(matrix.mean(axis=0)).ravel()
    norm = np.linalg.norm(centroid) or 1.0
    central = np.asarray(matrix @ (centroid / norm)).ravel()
    support = _support(cands, sim, origins or {a.id: a.id for a in articles})
    position = np.array([1.0 / (1 + c.position) for c in cands])
    score = W_CENTRAL * central + W_SUPPORT * support + W_POSITION * position
    chosen = _mmr(score, sim, n)
    # Present in reading order: by article date, then position within the article.
    chosen.sort(key=lambda i: (reading_order(cands[i].article), cands[i].start))
    return [
        SummarySentence(
            cands[i].text, [Citation(cands[i].article.id, cands[i].start, cands[i].end)]
        )
        for i in chosen
    ]


def _tfidf(texts: list[str]) -> NDArray[np.float64]:
    vectorizer = TfidfVectorizer(sublinear_tf=True, stop_words="english")
    try:
        return np.asarray(vectorizer.fit_transform(texts).toarray())
    except ValueError:
        return np.zeros((len(texts), 1))


def _support(
    cands: list[Candidate], sim: NDArray[np.float64], origins: dict[str, str]
) -> NDArray[np.float64]:
    """Return, per sentence, the share of other independent sources with a sentence saying
    much the same."""
    origin = [origins.get(c.article.id, c.article.id) for c in cands]
    n_sources = len(set(origin))
    if n_sources < 2:
        return np.zeros(len(cands))
    out = np.zeros(len(cands))
    for i in range(len(cands)):
        backers = {
            origin[j] for j in np.nonzero(sim[i] >= SUPPORT_SIMILARITY)[0] if origin[j] != origin[i]
        }
        out[i] = len(backers) / (n_sources - 1)
    return out


def _mmr(score: NDArray[np.float64], sim: NDArray[np.float64], n: int) -> list[int]:
    chosen: list[int] = []
    remaining = set(range(len(score)))
    while remaining and len(chosen) < n:

        def gain(i: int) -> float:
            redundancy = max((sim[i, j] for j in chosen), default=0.0)
            return float(MMR_LAMBDA * score[i] - (1 - MMR_LAMBDA) * redundancy)

        best = max(sorted(remaining), key=gain)
        chosen.append(best)
        remaining.discard(best)
    return chosen


def _normal(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def event_quotes(articles: Sequence[Article]) -> list[CitedQuote]:
    """Return the event's attributed quotes, each once: where one outlet truncates what
    another carries in full, the fuller version is kept."""
    found = [
        (article, q)
        for article in sorted(articles, key=reading_order)
        for q in (article.annotations.quotes if article.annotations else [])
        if q.speaker is not None and len(q.text.split()) >= MIN_QUOTE_WORDS
    ]
    keys = [_normal(q.text) for _, q in found]
    out = []
    for i, (article, q) in enumerate(found):
        inside_other = any(
            keys[i] in keys[j] and (len(keys[j]) > len(keys[i]) or j < i)
            for j in range(len(found))
            if j != i
        )
        if not inside_other:
            out.append(CitedQuote(q.text, q.speaker, article.id, q.start, q.end))
    return out
