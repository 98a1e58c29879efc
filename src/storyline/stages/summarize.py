"""Summarise events: a few extractive sentences, each citing its source span, and the quotes.

Sentences are scored by how central they are to the event (TF-IDF cosine to the
event's centroid), how many other articles of the event say much the same
(support), and how early they come (news leads with the happening); maximal
marginal relevance keeps the selection free of near-repeats.

The summary leads with a sentence that states the happening itself: one that reports it
(not what will or is expected to happen), names no time outside the event's own dates
(background: an earlier visit, last year's figures) and, better, names the event's day and
its main participants. The rest follow in reading order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from sklearn.feature_extraction.text import TfidfVectorizer

from storyline.models import (
    Article,
    CitedQuote,
    DateRange,
    Event,
    Span,
    SummarySentence,
    Timex,
    iso_day,
    reading_order,
)
from storyline.stages.cluster.copies import event_origins

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
_QUOTED = re.compile(r'"[^"]*"|“[^”]*”')
QUOTED_SHARE = 1 / 3  # a sentence more quotation than this is a quote, not a report (judgement)
# A sentence about what lies ahead: a plan, a schedule, an expectation, not a happening.
_LOOKS_AHEAD = re.compile(
    r"\b(?:will|won't|would|shall|(?:is|are|was|were) (?:due|set|scheduled|slated|poised|expected|"
    r"going) to|(?:is|are) to|expects?|expected to|plans? to|intends? to)\b",
    re.IGNORECASE,
)
# A saying reported before it ("said on Wednesday that the dam would..."): the sentence
# reports that day's statement, whatever the statement looks ahead to.
_REPORTED = re.compile(
    r"\b(?:said|says|announced|agreed|told|confirmed|decided|pledged|promised|vowed|warned)\b"
)
# a year ("2019") or a month ("2023-10"): a time coarser than a day
_COARSE = re.compile(r"^\d{4}(?:-\d{2})?$")
LEAD_ACTORS = 2  # the participants a lead sentence is checked for: the event's first two


@dataclass
class Candidate:
    article: Article
    start: int
    end: int
    position: int  # index of the sentence in its article

    @property
    def text(self) -> str:
        return self.article.text[self.start : self.end]


def summarize_event(
    event: Event, articles: dict[str, Article], n_sentences: int
) -> tuple[list[SummarySentence], list[CitedQuote]]:
    """Return an event's summary (n_sentences cited sentences at most) and its quotes, from
    its member articles; the event is left as it is."""
    members = [articles[a] for a in event.articles]
    origins = event_origins(event, articles)
    return select_sentences(members, n_sentences, origins, event), event_quotes(members)


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
    """Return whether a sentence can stand alone in a summary or a timeline: not a
    quotation (opening with one, or more quotation than QUOTED_SHARE: it reads badly out
    of context) nor a piece of one (its quotation marks unbalanced), and ending as a
    sentence does (standfirsts, subheads and captions lack the full stop). A short quoted
    phrase inside a sentence of report is fine."""
    balanced = text.count('"') % 2 == 0 and text.count("“") == text.count("”")
    quoted = sum(len(m) for m in _QUOTED.findall(text))
    opens = text.lstrip().startswith(('"', "“"))
    ends = text.rstrip('"”’)').endswith((".", "!", "?"))
    return balanced and not opens and quoted <= QUOTED_SHARE * len(text) and ends


def select_sentences(
    articles: Sequence[Article],
    n: int,
    origins: dict[str, str] | None = None,
    event: Event | None = None,
) -> list[SummarySentence]:
    """Return up to n central, supported, non-redundant sentences, each with its citation.
    Support counts independent sources: origins maps each article to the outlet whose story
    it carries (a wire copy to the wire), so reprints of one story do not vouch for it.
    Given the event, the first states its happening (see lead_rank), the rest follow in
    reading order; else all are in reading order."""
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
    lead = [] if event is None or n < 1 else [_lead(cands, score, event)]
    chosen = _mmr(score, sim, n, lead)
    # Present in reading order: by article date, then position within the article.
    rest = sorted(
        chosen[len(lead) :], key=lambda i: (reading_order(cands[i].article), cands[i].start)
    )
    chosen = [*lead, *rest]
    return [
        SummarySentence(cands[i].text, [Span(cands[i].article.id, cands[i].start, cands[i].end)])
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


def _lead(cands: list[Candidate], score: NDArray[np.float64], event: Event) -> int:
    """Return the candidate to lead an event's summary: the best by lead_rank, then by its
    summary score."""
    actors = event.participants[:LEAD_ACTORS]
    return max(
        range(len(cands)), key=lambda i: (*lead_rank(cands[i], event.date, actors), score[i])
    )


def lead_rank(cand: Candidate, when: DateRange, actors: Sequence[str]) -> tuple[int, int]:
    """Return how well a sentence states an event's happening, to compare lexically: that
    it reports (looks not ahead, names no time outside the event's dates), then how many
    of two marks of the happening itself it bears: it names a day the event may be on (a
    resolved day within its dates, or a day-level expression such as "on Thursday" or
    "today"), and it names one of the event's main actors. Ties go to the summary score."""
    text = cand.text
    times = _timexes_in(cand)
    if any(_outside(t, when) for t in times) or looks_ahead(text):
        return 0, 0
    on_its_day = any(_names_its_day(t, when) for t in times)
    named = any(_names(text, actor) for actor in actors)
    return 1, int(on_its_day) + int(named)


def looks_ahead(text: str) -> bool:
    """Return whether a sentence speaks of what will, is due to or is expected to happen,
    and not of a saying that does ("X said on Wednesday that it would...")."""
    ahead = _LOOKS_AHEAD.search(text)
    return ahead is not None and _REPORTED.search(text, 0, ahead.start()) is None


def _timexes_in(cand: Candidate) -> list[Timex]:
    notes = cand.article.annotations
    timexes = notes.timexes if notes else []
    return [t for t in timexes if cand.start <= t.start < cand.end and t.type in ("DATE", "TIME")]


def _bounds(when: DateRange) -> tuple[str, str]:
    """Return an event's first and last ISO day, '' for an open end."""
    return when.start or "", when.end or ("" if when.certainty == "range" else when.start or "")


def _outside(timex: Timex, when: DateRange) -> bool:
    """Return whether a date names a time wholly outside the event's dates (background)."""
    value = timex.value or ""
    first, last = _bounds(when)
    if iso_day(value) is not None:
        day = value[:10]
    elif _COARSE.match(value):  # a year or a month: outside when it ends before or starts after
        return bool((first and _period_end(value) < first) or (last and value > last[: len(value)]))
    else:
        return False
    return bool((first and day < first) or (last and day > last))


def _period_end(period: str) -> str:
    """Return a string past every ISO day inside a year or month, for comparing."""
    return period + "-99"


def _names_its_day(timex: Timex, when: DateRange) -> bool:
    """Return whether a date names a day the event may be on: a resolved day within its
    dates, or a day-level expression the articles' dates could not resolve."""
    value = timex.value
    if value is None or value.startswith("XXXX"):
        return True
    return iso_day(value) is not None and not _outside(timex, when)


def _names(text: str, actor: str) -> bool:
    """Return whether a sentence names an actor, by any word of the name ("Putin")."""
    words = [w for w in re.findall(r"[A-Z][\w'-]+", actor) if len(w) > 2]
    return any(re.search(rf"\b{re.escape(w)}\b", text) for w in words)


def _mmr(
    score: NDArray[np.float64], sim: NDArray[np.float64], n: int, first: Sequence[int] = ()
) -> list[int]:
    chosen: list[int] = list(first)[:n]
    remaining = set(range(len(score))) - set(chosen)
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
            out.append(CitedQuote(q.text, q.speaker, Span(article.id, q.start, q.end)))
    return out
