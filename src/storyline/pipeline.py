"""The stage order. Reading `ingest`, `STAGES` and `build` is reading the architecture.

`ingest` reads, cleans and stores documents. `build` runs `STAGES` in order, in one loop:
per-article stages (storyline.stage.ArticleStage) work on each article that has no
result of their current version and inputs yet, and keep what they return; corpus stages
(storyline.stage.CorpusStage) group the articles and add what each event and storyline
needs. Then the cited lines are verified and the grouping saved.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray

from . import settings
from .errors import InputError, StorylineError
from .models import (
    Annotations,
    Article,
    CitedQuote,
    Claim,
    DateRange,
    Event,
    Report,
    Story,
    SummarySentence,
    Timex,
    is_supported,
    known_day,
    ordinal,
)
from .render.verify import drop_unverified
from .stage import (
    ArticleStage,
    Batches,
    Context,
    CorpusStage,
    Failed,
    NoProgress,
    Progress,
    Stage,
    each,
)
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
from .stages.cluster.placement import features_of
from .stages.dating.corpus import learn_lags, refine_with_mates
from .stages.dating.event import event_time
from .stages.dating.text import date_article
from .stages.embed import Embedder, MiniLMOnnx, embed_articles
from .stages.ingest.fetch import ConnectCheck
from .stages.ingest.files import IngestOptions, read_inputs
from .stages.language import LanguageGuess, article_language, set_language
from .stages.summarize import summarize_event
from .stages.timeline import article_sentences, build_timeline
from .store import PlacementFeatures, Store
from .temporal.timexes import find_timexes

T = TypeVar("T")
log = logging.getLogger(__name__)

__all__ = ["STAGES", "Built", "IngestResult", "Options", "Progress", "build", "ingest"]


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
        set_language(article, article_language(article))
        if not is_supported(article.language):
            result.other_languages[article.id] = article.language or ""
        batch.append(article)
        result.seen += 1
        progress.advance()
        if len(batch) >= options.batch_size:
            result.added += _add(store, batch)  # one transaction per batch
            batch = []
    result.added += _add(store, batch)
    return result


def _add(store: Store, articles: list[Article]) -> list[str]:
    """Store new articles; their language, detected on the way in, is the language stage's
    result for them."""
    added = store.add_articles(articles)
    store.mark_done(LANGUAGE.name, LANGUAGE.version, [(aid, "", None) for aid in added])
    return added


# ---------------------------------------------------------------------------------------
# Per-article stages: each a pure function of one article (and the read-only context);
# the pipeline puts each result where later stages read it and keeps it in the store.


LANGUAGE: ArticleStage[LanguageGuess] = ArticleStage(
    "language",
    "1",
    each(lambda article, context: article_language(article)),
    lambda context, article, guess: set_language(article, guess),
    wanted=lambda article: True,  # every article: this stage says which the others read
    save=lambda context, articles, _: context.store.save_languages(articles),
)


# Each extra worker process costs a start (a fork) and its memory; for small batches
# (the demo corpus, a day's feed) a single process finishes first.
PARALLEL_NLP_MIN_ARTICLES = 200


def _nlp_processes(setting: int, n_articles: int) -> int:
    if setting > 0:
        return setting
    if n_articles < PARALLEL_NLP_MIN_ARTICLES:
        return 1
    return max(1, min(os.cpu_count() or 1, 4))


def _annotated(articles: Sequence[Article], context: Context) -> Batches[Annotations]:
    """spaCy's names and sentences, then the rules (stages.annotate), batch by batch; the
    worker processes (if any) serve every batch, and are gone when this ends or fails."""
    options = context.options
    processes = _nlp_processes(options.nlp_processes, len(articles))
    size = max(options.batch_size * 4, 64)
    with Annotator(AnnotateOptions(batch_size=options.batch_size, processes=processes)) as nlp:
        for i in range(0, len(articles), size):
            batch = articles[i : i + size]
            yield batch, nlp.annotate(batch, context.progress.advance)


def _set_annotations(context: Context, article: Article, found: Annotations) -> None:
    article.annotations = found


ANNOTATE: ArticleStage[Annotations] = ArticleStage(
    "annotate",
    "1",
    _annotated,
    _set_annotations,
    save=lambda context, articles, _: context.store.save_annotations(articles),
)


def _set_date(context: Context, article: Article, date: DateRange) -> None:
    article.date = date


# The date an article's own text gives (published, a stamp, or the range its words
# allow); the time stage refines it from the article's event-mates.
DATE: ArticleStage[DateRange] = ArticleStage(
    "date",
    "1",
    each(lambda article, context: date_article(article)),
    _set_date,
    load=DateRange.from_dict,
)


def _embedded(articles: Sequence[Article], context: Context) -> Batches[NDArray[np.float32]]:
    for i in range(0, len(articles), 256):
        batch = articles[i : i + 256]
        yield batch, list(embed_articles(batch, context.embedder))
        context.progress.advance(len(batch))


def _set_vector(context: Context, article: Article, vector: NDArray[np.float32]) -> None:
    context.vectors[article.id] = vector


def _save_vectors(context: Context, articles: Sequence[Article], vectors: list[Any]) -> None:
    ids = [a.id for a in articles]
    if ids:
        context.store.save_embeddings(context.embedder.model_id, ids, np.stack(vectors))


def _stored_vectors(context: Context, articles: Sequence[Article]) -> set[str]:
    found = context.store.load_embeddings(context.embedder.model_id, [a.id for a in articles])
    context.vectors.update(found)
    return set(found)


EMBED: ArticleStage[NDArray[np.float32]] = ArticleStage(
    "embed",
    "1",
    _embedded,
    _set_vector,
    key=lambda article, context: context.embedder.model_id,
    save=_save_vectors,
    restore=_stored_vectors,
)


def _day_key(article: Article, context: Context) -> str:
    day = ordinal(known_day(article))
    return "" if day is None else str(day)


def _on_inferred_day(article: Article) -> bool:
    """Whether the article's publication day was inferred (not given): annotate could not
    resolve its relative dates ("last year", "on Tuesday"), having no day to count from."""
    date = article.date
    return (
        is_supported(article.language)
        and article.annotations is not None
        and date is not None
        and date.certainty != "given"
        and known_day(article) is not None
    )


def _set_timexes(context: Context, article: Article, timexes: list[Timex]) -> None:
    assert article.annotations is not None  # wanted: annotated
    article.annotations.timexes = timexes


RESOLVE: ArticleStage[list[Timex]] = ArticleStage(
    "resolve",
    "1",
    each(lambda article, context: find_timexes(article.text, known_day(article))),
    _set_timexes,
    wanted=_on_inferred_day,
    key=_day_key,
    save=lambda context, articles, _: context.store.save_annotations(articles),
)


# What placing a later article among these needs (stages.cluster.placement), for the
# publication day it is known by.
INDEX: ArticleStage[PlacementFeatures] = ArticleStage(
    "index",
    "1",
    each(lambda article, context: features_of(article)),
    lambda context, article, features: None,  # read from the store by placement alone
    key=_day_key,
    save=lambda context, articles, rows: context.store.save_placement_features(rows),
)


def _set_claims(context: Context, article: Article, claims: list[Claim]) -> None:
    context.claims[article.id] = claims


def _date_key(article: Article, context: Context) -> str:
    date = article.date
    return "" if date is None else f"{date.start}/{date.end}/{date.certainty}"


# Each article's checkable statements (figures, statements, quotes); they depend on its
# publication date ("last year"), so they are found again when that changes.
CLAIMS: ArticleStage[list[Claim]] = ArticleStage(
    "claims",
    "1",
    each(lambda article, context: article_claims(article), fallback=list),
    _set_claims,
    key=_date_key,
    load=lambda data: [Claim.from_dict(c) for c in data],
)


# ---------------------------------------------------------------------------------------
# Corpus stages: the stored per-article results and the grouping so far in, the grouping
# with their part added out.


def _grouped(previous: Grouping, context: Context) -> Grouping:
    """Place the articles among the stored events, or group them all afresh."""
    articles = context.analysed
    if articles:
        vectors = np.stack([context.vectors[a.id] for a in articles])
    else:
        vectors = np.zeros((0, context.embedder.dimensions), dtype=np.float32)
    if context.options.regroup_all:
        previous = Grouping([], [])
    return cluster(articles, vectors, context.options.cluster, previous, context.books)


def _dated_from_mates(grouping: Grouping, context: Context) -> Grouping:
    """Date the undated articles from their event-mates, and give each event the span
    its articles were published in; the final dates are saved."""
    by_id = context.by_id
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
        event.published = publication_span(members)
        context.progress.advance()
    context.store.save_dates(list(by_id.values()))
    return grouping


def _timed(grouping: Grouping, context: Context) -> Grouping:
    """Say when each event happened; events in the order they happened."""
    by_id = context.by_id
    for event in grouping.events:
        event.date = event_time(event, by_id)
    return in_order(grouping.events, grouping.stories)


def _summarized(grouping: Grouping, context: Context) -> Grouping:
    by_id, n = context.by_id, context.options.summary_sentences
    for event in grouping.events:
        summarize = partial(summarize_event, event, by_id, n)
        empty = (list[SummarySentence](), list[CitedQuote]())
        event.summary, event.quotes = _part(
            f"event {event.id} summary", summarize, empty, context.left_out
        )
        context.progress.advance()
    return grouping


def _checked(grouping: Grouping, context: Context) -> Grouping:
    """Line up each event's claims across its sources, and each storyline's figures over time."""
    by_id, claims, embedder = context.by_id, context.claims, context.embedder

    def grouper(texts: Sequence[str]) -> list[int]:
        return group_statements(texts, embed_statements(texts, embedder))

    for event in grouping.events:
        find = partial(event_findings, event, claims, by_id, grouper)
        event.findings = _part(f"event {event.id} findings", find, [], context.left_out)
        context.progress.advance()
    events = {e.id: e for e in grouping.events}
    for story in grouping.stories:
        series = partial(story_series, story, events, claims, by_id)
        story.series = _part(f"story {story.id} series", series, [], context.left_out)
    return grouping


def _timelines(grouping: Grouping, context: Context) -> Grouping:
    """Give each storyline its timeline: the days that mattered, each in a cited line."""
    by_id, options = context.by_id, context.options
    events = {e.id: e for e in grouping.events}
    for story in grouping.stories:
        members = [events[eid] for eid in story.events]
        sentences = [
            s for e in members for aid in e.articles for s in article_sentences(by_id[aid])
        ]
        timeline = partial(
            build_timeline,
            sentences,
            options.timeline_dates,
            options.timeline_sentences,
            events=members,
            prose=True,
        )
        story.timeline = _part(f"story {story.id} timeline", timeline, [], context.left_out)
        context.progress.advance()
    return grouping


def _events(grouping: Grouping) -> int:
    return len(grouping.events)


def _stories(grouping: Grouping) -> int:
    return len(grouping.stories)


# The build, in order. A per-article stage runs on the articles it has not yet seen at its
# version and key; a corpus stage on everything. To add a stage: write its module, and add
# one entry here (ArticleStage or CorpusStage).
STAGES: tuple[Stage, ...] = (
    LANGUAGE,
    ANNOTATE,
    DATE,
    EMBED,
    CorpusStage("cluster", _grouped),
    CorpusStage("time", _dated_from_mates, _events),
    RESOLVE,
    CorpusStage("event time", _timed),
    INDEX,
    CLAIMS,
    CorpusStage("summarize", _summarized, _events),
    CorpusStage("check", _checked, _events),
    CorpusStage("timeline", _timelines, _stories),
)


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
    """Run STAGES over the store's articles and save the grouping they give.

    Articles in a language the pipeline does not read (stages.language) are kept as they
    are. One event's summary, findings or timeline that fails is left out and named in
    ``Built.left_out`` (and the stored report's), as is any cited line the verifier
    rejects: one bad part costs that part, not the build. The embedder is MiniLM unless
    one is given.
    """
    context = Context(
        store=store,
        options=options,
        embedder=embedder or MiniLMOnnx(),
        progress=progress or NoProgress(),
        articles=store.articles(),
        # every id the store ever gave: events and storylines keep theirs (stages.cluster.ids)
        books=IdBooks(IdBook(store.id_records(EVENT)), IdBook(store.id_records(STORYLINE))),
    )
    grouping = Grouping(store.events(), store.stories())
    for stage in STAGES:
        if isinstance(stage, ArticleStage):
            _stage(stage.name, partial(_run_per_article, stage, context))
        else:
            context.progress.start(stage.name, stage.total(grouping) if stage.total else None)
            grouping = _stage(stage.name, partial(stage.run, grouping, context))
    left_out = context.left_out
    left_out += drop_unverified(Report(context.analysed, grouping.events, grouping.stories))
    for line in left_out:
        log.debug("left out %s", line)
    books = context.books
    changed = {EVENT: books.events.changed(), STORYLINE: books.stories.changed()}
    store.replace_events(grouping.events, grouping.stories, left_out, ids=changed)
    return Built(grouping.events, grouping.stories, left_out)


def _run_per_article(stage: ArticleStage[Any], context: Context) -> None:
    """Run a per-article stage on the articles that have no result of its version and key
    yet, keeping each batch's results as they come (an interrupted build resumes where it
    stopped); bring the others' stored results back where later stages read them."""
    store = context.store
    wanted = [a for a in context.articles if stage.wanted(a)]
    marks = store.stage_marks(stage.name)
    keys = {a.id: stage.key(a, context) for a in wanted}
    done = [a for a in wanted if marks.get(a.id) == (stage.version, keys[a.id])]
    found = _restore(stage, context, done)
    todo = [a for a in wanted if a.id not in found]
    if not todo:
        return
    context.progress.start(stage.name, len(todo))
    for batch, results in stage.compute(todo, context):
        kept = []
        for article, result in zip(batch, results, strict=True):
            if isinstance(result, Failed):
                context.left_out.append(_failed(f"article {article.id} {stage.name}"))
                stage.attach(context, article, result.fallback)
                continue
            stage.attach(context, article, result)
            kept.append((article, result))
        if stage.save is not None:
            stage.save(context, [a for a, _ in kept], [r for _, r in kept])
        store.mark_done(
            stage.name,
            stage.version,
            [(a.id, keys[a.id], r) for a, r in kept],
            kept=stage.save is None,
        )


def _restore(stage: ArticleStage[Any], context: Context, done: list[Article]) -> set[str]:
    """Bring the stored results of the articles a stage need not see again back where
    later stages read them; return the ids whose results were found."""
    if stage.save is None:
        assert stage.load is not None  # kept with its marks: a stage must read them back
        kept = context.store.stage_results(stage.name, stage.version)
        found = set()
        for article in done:
            if article.id in kept:
                stage.attach(context, article, stage.load(kept[article.id]))
                found.add(article.id)
        return found
    if stage.restore is not None:
        return stage.restore(context, done)
    return {a.id for a in done}  # store.articles() gave them (language, annotations)


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
    """Return what one event's or storyline's share of a stage gives, or fallback (nothing)
    when it fails with an unexpected error, which is a bug: it is named in left_out (the
    details go to the debug log, never to a reader) and the build goes on without that part."""
    try:
        return step()
    except Exception:  # any error of one part: the rest of the report must not be lost
        log.debug("%s failed", what, exc_info=True)
        left_out.append(_failed(what))
        return fallback


def _failed(what: str) -> str:
    return f"{what}: its stage failed, so it is left out (a bug: please report it)"
