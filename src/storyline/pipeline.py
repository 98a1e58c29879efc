"""The stage order. Reading `ingest` and `build` is reading the architecture."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import Protocol, TypeVar

import numpy as np

from . import settings
from .errors import InputError, StorylineError
from .models import (
    Article,
    CitedQuote,
    Claim,
    Event,
    Report,
    Story,
    SummarySentence,
    TimelineEntry,
    is_supported,
    known_day,
    ordinal,
)
from .render.verify import drop_unverified
from .stages.annotate import AnnotateOptions, Annotator
from .stages.claims.crosscheck import event_findings, story_series
from .stages.claims.extract import article_claims
from .stages.claims.statements import embed_statements, group_statements
from .stages.clean.article import clean
from .stages.cluster.grouping import (
    ClusterOptions,
    Grouping,
    cluster,
    in_order,
    publication_span,
)
from .stages.cluster.ids import EVENT, STORYLINE, IdBook, IdBooks
from .stages.cluster.placement import save_features
from .stages.dating.corpus import learn_lags, refine_with_mates
from .stages.dating.event import event_time
from .stages.dating.text import date_article
from .stages.embed import Embedder, MiniLMOnnx, embed_articles
from .stages.ingest.fetch import ConnectCheck
from .stages.ingest.files import IngestOptions, read_inputs
from .stages.language import set_language
from .stages.summarize import summarize_event
from .stages.timeline import article_sentences, build_timeline
from .store import Store
from .temporal.timexes import find_timexes

T = TypeVar("T")
log = logging.getLogger(__name__)


class Progress(Protocol):
    """What the pipeline reports as it goes: the CLI draws bars from it, tests ignore it."""

    def start(self, stage: str, total: int | None) -> None: ...
    def advance(self, n: int = 1) -> None: ...


class NoProgress:
    def start(self, stage: str, total: int | None) -> None:
        pass

    def advance(self, n: int = 1) -> None:
        pass


@dataclass
class Options:
    """Everything a run can be told; defaults come from settings.SETTINGS."""

    max_bytes: int = field(default_factory=lambda: int(settings.get("max_file_mb") * 1024 * 1024))
    fetch_timeout: float = field(default_factory=lambda: float(settings.get("fetch_timeout")))
    batch_size: int = field(default_factory=lambda: int(settings.get("batch_size")))
    nlp_processes: int = field(default_factory=lambda: int(settings.get("nlp_processes")))
    summary_sentences: int = field(default_factory=lambda: int(settings.get("summary_sentences")))
    timeline_dates: int = field(default_factory=lambda: int(settings.get("timeline_dates")))
    timeline_sentences: int = field(default_factory=lambda: int(settings.get("timeline_sentences")))
    # Group everything afresh instead of placing new articles among the stored events (after
    # a change of thresholds, say); ids still follow their articles (stages.cluster.ids).
    regroup_all: bool = False
    # Every connection a URL fetch opens must pass this (the web app's guard against
    # fetching private addresses); None: no check.
    connect_check: ConnectCheck | None = None
    cluster: ClusterOptions = field(default_factory=ClusterOptions)  # the settings' values


@dataclass
class IngestResult:
    added: list[str] = field(default_factory=list)  # ids of new articles
    seen: int = 0  # documents read, new or not
    rejected: list[InputError] = field(default_factory=list)
    # the documents read in a language the pipeline does not analyse: article id -> code
    other_languages: dict[str, str] = field(default_factory=dict)


def ingest(
    inputs: Sequence[str], store: Store, options: Options, progress: Progress | None = None
) -> IngestResult:
    """Read, clean and store every document of the inputs; bad inputs are collected, not raised."""
    progress = progress or NoProgress()
    progress.start("ingest", None)
    result = IngestResult()
    batch: list[Article] = []
    read = read_inputs(
        inputs,
        IngestOptions(
            max_bytes=options.max_bytes,
            timeout=options.fetch_timeout,
            connect_check=options.connect_check,
        ),
    )
    for item in read:
        if isinstance(item, InputError):
            result.rejected.append(item)
            continue
        article = clean(item)
        if not article.text.strip():
            result.rejected.append(InputError(item.ref, "no article text left after cleaning"))
            continue
        set_language(article)
        if not is_supported(article.language):
            result.other_languages[article.id] = article.language or ""
        batch.append(article)
        result.seen += 1
        progress.advance()
        if len(batch) >= options.batch_size:
            result.added += store.add_articles(batch)  # one transaction per batch
            batch = []
    result.added += store.add_articles(batch)
    return result


@dataclass
class Built:
    """What build saved, and what it had to leave out: lines that failed verification and
    parts (one event's summary, one storyline's timeline) whose stage failed, each named."""

    events: list[Event]
    stories: list[Story]
    left_out: list[str]


def build(
    store: Store,
    options: Options,
    progress: Progress | None = None,
    embedder: Embedder | None = None,
) -> Built:
    """Annotate, date, embed, cluster and summarise the articles of the store in a language
    it reads (stages.language); save the grouping. The others are kept as they are.

    One event's summary, findings or timeline that fails is left out and named in
    ``Built.left_out`` (and the stored report's), as is any cited line the verifier rejects:
    one bad part costs that part, not the build. The embedder is MiniLM unless one is given.
    """
    progress = progress or NoProgress()
    articles = store.articles()
    _stage("language", lambda: _detect_missing(store, articles))
    articles = [a for a in articles if is_supported(a.language)]
    _stage("annotate", lambda: _annotate_missing(store, articles, options, progress))
    _stage("date", lambda: _date_all(store, articles, progress))
    embedder = embedder or MiniLMOnnx()
    vectors = _stage("embed", lambda: _embed_missing(store, articles, embedder, progress))
    progress.start("cluster", None)
    previous = Grouping(store.events(), store.stories())
    if options.regroup_all:
        previous = Grouping([], [])
    # every id the store ever gave: events and storylines keep theirs (stages.cluster.ids)
    books = IdBooks(IdBook(store.id_records(EVENT)), IdBook(store.id_records(STORYLINE)))
    grouping = _stage(
        "cluster", lambda: cluster(articles, vectors, options.cluster, previous, books)
    )
    by_id = {a.id: a for a in articles}
    progress.start("time", len(grouping.events))
    grouping = _stage("time", lambda: _date_events(store, grouping, by_id, progress))
    _stage("index", lambda: _index_for_placement(store, articles))
    left_out: list[str] = []
    progress.start("summarize", len(grouping.events))
    for event in grouping.events:
        summarize = partial(summarize_event, event, by_id, options.summary_sentences)
        event.summary, event.quotes = _part(
            f"event {event.id} summary",
            summarize,
            (list[SummarySentence](), list[CitedQuote]()),
            left_out,
        )
        progress.advance()
    progress.start("check", len(grouping.events))
    _stage("check", lambda: _cross_check(grouping, by_id, embedder, progress, left_out))
    progress.start("timeline", len(grouping.stories))
    _stage("timeline", lambda: _timelines(grouping, by_id, options, progress, left_out))
    left_out += drop_unverified(Report(articles, grouping.events, grouping.stories))
    for line in left_out:
        log.debug("left out %s", line)
    changed = {EVENT: books.events.changed(), STORYLINE: books.stories.changed()}
    store.replace_events(grouping.events, grouping.stories, left_out, ids=changed)
    return Built(grouping.events, grouping.stories, left_out)


def load_report(store: Store) -> Report:
    """Return the report of everything the store knows, without any cited line that fails
    verification (a store written by an older version may hold one): each is named in
    ``Report.left_out``, after what the build itself left out."""
    report = Report(
        articles=store.articles(),
        events=store.events(),
        stories=store.stories(),
        generated=datetime.now(UTC).isoformat(timespec="seconds"),
        left_out=store.left_out(),
    )
    report.left_out += drop_unverified(report)
    return report


def _stage(name: str, step: Callable[[], T]) -> T:
    """Run one stage, naming it in any unexpected error."""
    try:
        return step()
    except StorylineError:
        raise
    except Exception as exc:
        raise StorylineError(f"stage {name!r} failed: {exc.__class__.__name__}: {exc}") from exc


def _part(what: str, step: Callable[[], T], fallback: T, left_out: list[str]) -> T:
    """Return what one article's, event's or storyline's share of a stage gives, or fallback
    (nothing) when it fails with an unexpected error, which is a bug: it is named in
    left_out (the details go to the debug log, never to a reader) and the build goes on
    without that part."""
    try:
        return step()
    except Exception:  # any error of one part: the rest of the report must not be lost
        log.debug("%s failed", what, exc_info=True)
        left_out.append(f"{what}: its stage failed, so it is left out (a bug: please report it)")
        return fallback


def _batches(items: Sequence[Article], size: int) -> Iterator[Sequence[Article]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _detect_missing(store: Store, articles: list[Article]) -> None:
    """Detect the language of the articles stored before it was (schema 3 and older)."""
    todo = [set_language(a) for a in articles if a.language is None]
    store.save_languages(todo)


def _annotate_missing(
    store: Store, articles: list[Article], options: Options, progress: Progress
) -> None:
    todo = [a for a in articles if a.annotations is None]
    progress.start("annotate", len(todo))
    opts = AnnotateOptions(
        batch_size=options.batch_size, processes=_nlp_processes(options.nlp_processes, len(todo))
    )
    # Saved batch by batch: an interrupted build resumes where it stopped. The worker
    # processes (if any) serve every batch, and are gone when this returns or raises.
    with Annotator(opts) as annotator:
        for batch in _batches(todo, max(options.batch_size * 4, 64)):
            found = annotator.annotate(batch, progress.advance)
            for article, its_annotations in zip(batch, found, strict=True):
                article.annotations = its_annotations
            store.save_annotations(batch)


# Each extra worker process costs a start (a fork) and its memory; for small batches
# (the demo corpus, a day's feed) a single process finishes first.
PARALLEL_NLP_MIN_ARTICLES = 200


def _nlp_processes(setting: int, n_articles: int) -> int:
    if setting > 0:
        return setting
    if n_articles < PARALLEL_NLP_MIN_ARTICLES:
        return 1
    return max(1, min(os.cpu_count() or 1, 4))


def _date_all(store: Store, articles: list[Article], progress: Progress) -> None:
    progress.start("date", len(articles))
    for article in articles:
        article.date = date_article(article)
        progress.advance()
    store.save_dates(articles)


def _date_events(
    store: Store, grouping: Grouping, by_id: dict[str, Article], progress: Progress
) -> Grouping:
    """Return the grouping with undated articles dated from their event-mates, each event's
    publication span, and when each event happened; events in the order they happened."""
    changed = []
    # how each outlet's date words trail its publication day, learnt from the dated articles
    lags = learn_lags(by_id.values())
    for event in grouping.events:
        members = [by_id[a] for a in event.articles]
        for article in members:
            if article.date is None or article.date.certainty in ("given", "day"):
                continue
            mates = [m for m in members if m is not article]
            if mates:
                article.date = refine_with_mates(article, mates, lags=lags)
                changed.append(article)
        event.published = publication_span(members)
        progress.advance()
    store.save_dates(changed)
    _resolve_on_inferred_days(store, list(by_id.values()))
    for event in grouping.events:
        event.date = event_time(event, by_id)
    return in_order(grouping.events, grouping.stories)


def _resolve_on_inferred_days(store: Store, articles: list[Article]) -> None:
    """Resolve the relative dates ("last year", "on Tuesday") of articles whose publication
    day was inferred: annotate could not, having no reference day for them."""
    redone = []
    for article in articles:
        day = known_day(article)
        if article.annotations is None or day is None or article.date is None:
            continue
        if article.date.certainty != "given":
            article.annotations.timexes = find_timexes(article.text, day)
            redone.append(article)
    store.save_annotations(redone)


def _cross_check(
    grouping: Grouping,
    by_id: dict[str, Article],
    embedder: Embedder,
    progress: Progress,
    left_out: list[str],
) -> None:
    """Line up each event's claims across its sources, and each storyline's figures over time."""
    claims = {
        aid: _part(
            f"article {aid} claims", partial(article_claims, article), list[Claim](), left_out
        )
        for aid, article in by_id.items()
    }

    def grouper(texts: Sequence[str]) -> list[int]:
        return group_statements(texts, embed_statements(texts, embedder))

    for event in grouping.events:
        find = partial(event_findings, event, claims, by_id, grouper)
        event.findings = _part(f"event {event.id} findings", find, [], left_out)
        progress.advance()
    events = {e.id: e for e in grouping.events}
    for story in grouping.stories:
        series = partial(story_series, story, events, claims, by_id)
        story.series = _part(f"story {story.id} series", series, [], left_out)


def _timelines(
    grouping: Grouping,
    by_id: dict[str, Article],
    options: Options,
    progress: Progress,
    left_out: list[str],
) -> None:
    """Give each storyline its timeline: the days that mattered, each in a cited line."""
    events = {e.id: e for e in grouping.events}
    for story in grouping.stories:
        members = [events[eid] for eid in story.events]
        timeline = partial(_timeline_of, members, by_id, options)
        story.timeline = _part(f"story {story.id} timeline", timeline, [], left_out)
        progress.advance()


def _timeline_of(
    members: list[Event], by_id: dict[str, Article], options: Options
) -> list[TimelineEntry]:
    sentences = [s for e in members for aid in e.articles for s in article_sentences(by_id[aid])]
    return build_timeline(
        sentences,
        options.timeline_dates,
        options.timeline_sentences,
        events=members,
        prose=True,
    )


def _index_for_placement(store: Store, articles: list[Article]) -> None:
    """Save what placing a later article among these needs (stages.cluster.placement): for the
    articles that have no features yet, or whose known publication day has changed."""
    saved = store.placement_days()
    save_features(store, [a for a in articles if saved.get(a.id, -1) != ordinal(known_day(a))])


def _embed_missing(
    store: Store, articles: list[Article], embedder: Embedder, progress: Progress
) -> np.ndarray:
    known = store.load_embeddings(embedder.model_id)
    todo = [a for a in articles if a.id not in known]
    progress.start("embed", len(todo))
    for batch in _batches(todo, 256):
        vectors = embed_articles(batch, embedder)
        store.save_embeddings(embedder.model_id, [a.id for a in batch], vectors)
        known.update(zip([a.id for a in batch], vectors, strict=True))
        progress.advance(len(batch))
    if not articles:
        return np.zeros((0, embedder.dimensions), dtype=np.float32)
    return np.stack([known[a.id] for a in articles])
