"""The stage contract: what a stage is given, what it returns, and how its results are kept.

A per-article stage (``ArticleStage``) is a pure function of one article plus read-only
context; it returns the article's result (its annotations, text date, embedding, claims)
and touches nothing else. The pipeline keeps each result with the stage's name and
version and the inputs it depended on (``key``), and runs the stage again on an article
only when one of them changes: a build after new articles does the per-article work of
the new articles alone. A corpus stage (``CorpusStage``) takes the stored per-article
results and the grouping so far, and returns the grouping with its own part added.

``pipeline.STAGES`` lists them in order; ``pipeline.build`` runs that list in one loop.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar, cast

import numpy as np
from numpy.typing import NDArray

from .models import Article, Claim, is_supported
from .stages.cluster.grouping import Grouping
from .stages.cluster.ids import IdBooks
from .stages.embed import Embedder
from .store import Store

if TYPE_CHECKING:  # the pipeline imports this module
    from .pipeline import Options

R = TypeVar("R")
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
class Context:
    """What one build knows: the store's articles and the per-article results so far. Stages
    read it; only the pipeline writes it (``ArticleStage.attach``)."""

    store: Store
    options: Options
    embedder: Embedder
    progress: Progress
    articles: list[Article]  # every stored article, in the order they were added
    books: IdBooks  # every event and storyline id the store ever gave
    vectors: dict[str, NDArray[np.float32]] = field(default_factory=dict)  # by article id
    claims: dict[str, list[Claim]] = field(default_factory=dict)  # by article id
    left_out: list[str] = field(default_factory=list)  # parts a failing stage cost

    @property
    def analysed(self) -> list[Article]:
        """The articles in a language the pipeline reads (stages.language); the rest are
        stored and listed, never analysed."""
        return [a for a in self.articles if is_supported(a.language)]

    @property
    def by_id(self) -> dict[str, Article]:
        return {a.id: a for a in self.analysed}


# One batch of articles and their results, in order; a stage yields them as it goes, so
# that each batch is kept before the next is computed (an interrupted build resumes).
Batches = Iterator[tuple[Sequence[Article], list[R]]]


@dataclass(frozen=True)
class ArticleStage(Generic[R]):
    """A stage that works on each article on its own.

    ``compute`` yields the results of the articles it is given, batch by batch; it is pure
    (no store, no change to the articles) and may run anywhere. ``attach`` puts a result
    where the later stages read it. ``save`` stores a batch's results in their own table,
    and ``restore`` brings the stored results of articles it does not recompute back to
    where later stages read them (returning the ids it found), when store.articles() does
    not already. A stage without a table of its own (save None) has its results kept, as
    JSON, with its marks in the store, and ``load`` turns a kept result back into one.
    """

    name: str
    version: str
    compute: Callable[[Sequence[Article], Context], Batches[R]]
    attach: Callable[[Context, Article, R], None]
    # which articles it works on (default: those in a language the pipeline reads)
    wanted: Callable[[Article], bool] = lambda article: is_supported(article.language)
    # what the result depends on besides the article's text and the stage's version (the
    # embedder's model, the article's publication day)
    key: Callable[[Article, Context], str] = lambda article, context: ""
    save: Callable[[Context, Sequence[Article], list[R]], None] | None = None
    restore: Callable[[Context, Sequence[Article]], set[str]] | None = None
    load: Callable[[Any], R] | None = None


@dataclass(frozen=True)
class CorpusStage:
    """A stage over the whole corpus: the stored per-article results and the grouping so far
    in, the grouping with its part added out."""

    name: str
    run: Callable[[Grouping, Context], Grouping]
    # what the progress bar counts (events, storylines), None for no count
    total: Callable[[Grouping], int] | None = None


Stage = ArticleStage[Any] | CorpusStage


class Failed:
    """The result of an article whose stage failed (a bug): the pipeline names it in
    ``Context.left_out``, gives later stages the stage's fallback, and keeps nothing, so
    the next build tries again."""

    def __init__(self, fallback: Any) -> None:
        self.fallback = fallback


def each(
    compute: Callable[[Article, Context], R],
    batch: int = 256,
    fallback: Callable[[], R] | None = None,
) -> Callable[[Sequence[Article], Context], Batches[R]]:
    """Return a stage's compute from a function of one article. With a fallback, an
    article whose computation fails costs that article's result alone (see Failed)."""

    def one(article: Article, context: Context) -> R:
        if fallback is None:
            return compute(article, context)
        try:
            return compute(article, context)
        except Exception:  # one article's failure must not cost the others theirs
            log.debug("article %s failed", article.id, exc_info=True)
            return cast(R, Failed(fallback()))

    def batches(articles: Sequence[Article], context: Context) -> Batches[R]:
        for i in range(0, len(articles), batch):
            chunk = articles[i : i + batch]
            results = [one(a, context) for a in chunk]
            context.progress.advance(len(chunk))
            yield chunk, results

    return batches
