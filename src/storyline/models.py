"""All of storyline's data: what flows from stage to stage and into the store.

Every offset (``start``, ``end``) is a character offset into an article's
*cleaned* text, so any span can be checked with ``article.text[start:end]``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import PurePath
from typing import Any
from urllib.parse import urlsplit


@dataclass
class RawDoc:
    """One document as read from a source, before cleaning."""

    ref: str  # the path or URL it came from (plus "#n" for the n-th item of a multi-item file)
    text: str
    title: str | None = None
    published: str | None = None  # ISO 8601 date or datetime as given by the source
    source: str | None = None  # outlet name or web domain
    url: str | None = None
    author: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    format: str = "text"  # text | markdown | html | json | feed


@dataclass
class Removal:
    """A piece of boilerplate taken out of an article, and why."""

    text: str
    reason: str


@dataclass(frozen=True)
class Span:
    """A character range in one article's cleaned text: every citation is one."""

    article: str
    start: int
    end: int


@dataclass
class Mention:
    """A named entity mention."""

    start: int
    end: int
    text: str
    kind: str  # PERSON | ORG | PLACE
    canonical: str  # the fullest name the article uses for the same entity


@dataclass
class Timex:
    """A temporal expression with its normalised TIMEX3 value (None if unresolved)."""

    start: int
    end: int
    text: str
    type: str  # DATE | TIME | DURATION | SET
    value: str | None
    mod: str | None = None  # TIMEX3 mod: APPROX, START, END, MORE_THAN, LESS_THAN ...
    quant: str | None = None  # TIMEX3 quant of a SET: EVERY, EACH
    freq: str | None = None  # TIMEX3 freq of a SET: "2X" for "twice a week"


@dataclass
class Quantity:
    """A number as written: an amount of money, a percentage, a count or an ordinal."""

    start: int
    end: int
    text: str
    value: float  # fully scaled: "$190 billion" is 1.9e11, "five" is 5, "fourth" is 4
    unit: str  # ISO currency code for money ("USD"), "%" for percent, else the counted noun
    kind: str = "money"  # money | percent | count | ordinal
    scale: str | None = None  # "billion", "million", "thousand", ...
    qualifiers: list[str] = field(default_factory=list)  # "more than", "about", ...
    # what a count or ordinal counts, as written: "deputy prime ministers", "times", "visit"
    counted: str | None = None


@dataclass
class Quote:
    """A direct quotation and who said it."""

    start: int  # span of the quoted words, inside the quotation marks
    end: int
    text: str
    speaker: str | None  # canonical name of the speaker, None when not found
    verb: str | None = None


@dataclass
class Annotations:
    """What the annotate stage learned about one article."""

    sentences: list[tuple[int, int]] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    timexes: list[Timex] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)


@dataclass
class DateRange:
    """When something happened (or was published): a day, or an earliest-latest range."""

    start: str | None  # ISO date
    end: str | None
    certainty: str = "unknown"  # given | day | range | unknown
    evidence: list[str] = field(default_factory=list)


@dataclass
class Article:
    """One cleaned article; ``id`` is a hash of ``text``."""

    id: str
    ref: str
    text: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    author: str | None = None
    published: str | None = None
    removed: list[Removal] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    annotations: Annotations | None = None
    date: DateRange | None = None  # publication date, given or inferred
    # ISO 639-1 code of the language it is written in (storyline.stages.language); None
    # until detected
    language: str | None = None


@dataclass
class Citation:
    """Where a sentence of output comes from."""

    article: str
    start: int
    end: int


@dataclass
class SummarySentence:
    text: str
    citations: list[Citation]


@dataclass
class CitedQuote:
    text: str
    speaker: str | None
    article: str
    start: int
    end: int


@dataclass
class Claim:
    """One checkable statement of one article: a quantity with what it measures, a
    statement attributed to a speaker, or a direct quote; cited by its sentence."""

    article: str
    start: int  # the cited span: the sentence that makes the claim (a quote: its words)
    end: int
    text: str  # article.text[start:end]
    kind: str  # quantity | statement | quote
    source: str | None = None  # the outlet
    measure: str | None = None  # what a quantity measures, normalised: "China–Russia trade"
    value: float | None = None  # a quantity's value, fully scaled
    value_text: str | None = None  # the quantity as written ("$190 billion"), inside text
    unit: str | None = None  # "USD", "%", or what is counted
    # when the measured thing holds: a TIMEX3-style value ("2022", "2023-10-18"), resolved
    # from the sentence ("last year") or, for a running count, the article's own day
    time: str | None = None
    # what narrows the claim: hedges ("more than", "about") and scope ("since 2012",
    # "in person", "record")
    qualifiers: list[str] = field(default_factory=list)
    speaker: str | None = None  # who the statement or quote is attributed to
    # what a quantity is of, beyond its measure: the counted thing and the places its
    # clause names ("workers @ Louisiana"); two figures line up only when these match
    subject: str | None = None


@dataclass
class Finding:
    """Claims from several articles lined up, and what their comparison shows.

    kind: agree | update | conflict | scope (the values look contradictory but what is
    counted differs) | unique (one independent source only) | quote (who said what) |
    series (a storyline's measure over time).
    """

    kind: str
    statement: str  # one line for the reader; every number in it is in a claim's text
    claims: list[Claim]
    measure: str | None = None
    independent_sources: int = 0  # outlets behind the claims, a wire story and its copies once
    # for quotes: per article, verbatim | truncated | paraphrased (against the fullest one)
    wording: dict[str, str] = field(default_factory=dict)
    speakers_match: bool | None = None  # quotes: every source names the same speaker
    # single-source findings: place by what a reader most wants to know (0 first), and
    # whether the report shows it or folds it away; None and True for the other kinds
    rank: int | None = None
    shown: bool = True


@dataclass
class Membership:
    """One article's place in an event, with the evidence for it."""

    article: str
    similarity: float  # to the rest of the event (mean combined score)
    shared_entities: list[str] = field(default_factory=list)
    # the mean of each signal to the rest of the event: embedding, tfidf, entities
    scores: dict[str, float] = field(default_factory=dict)
    days_apart: int | None = None  # from the nearest other member with a known day
    copy_of: str | None = None  # the earlier article this one reprints or rewrites
    copy_similarity: float | None = None  # shingle overlap with that article


@dataclass
class Event:
    """Articles about the same happening."""

    id: str
    title: str
    articles: list[str]  # article ids, earliest first
    date: DateRange  # when the happening happened, from the dates its articles give for it
    evidence: list[Membership] = field(default_factory=list)  # why each article is here
    published: DateRange | None = None  # when its articles were published (given or inferred)
    sources: list[str] = field(default_factory=list)
    independent_sources: int = 0  # outlets, counting a wire story and its copies once
    participants: list[str] = field(default_factory=list)
    summary: list[SummarySentence] = field(default_factory=list)
    quotes: list[CitedQuote] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # what the sources agree on, ...


@dataclass
class TimelineEntry:
    """One dated line of a storyline's timeline: what happened that day, cited."""

    date: str  # ISO day (the first day of ``when`` for a line that stands for a range)
    sentences: list[SummarySentence]
    events: list[str] = field(default_factory=list)  # the storyline's events on that day
    when: DateRange | None = None  # for an event known only to a range ("2024 or later")


@dataclass
class Story:
    """A chain of events about the same ongoing story."""

    id: str
    title: str
    events: list[str]
    participants: list[str] = field(default_factory=list)
    series: list[Finding] = field(default_factory=list)  # each measure over time, cited
    timeline: list[TimelineEntry] = field(default_factory=list)  # the days that mattered


@dataclass
class IdRecord:
    """An event or storyline id ever given in a store, and what it names now.

    An id names the articles it was first given to (``anchor``); it lives on in the group
    holding most of them (storyline.stages.cluster.ids)."""

    id: str
    seq: int  # order of issue among the ids of its kind
    anchor: list[str]  # the articles it first named, earliest first
    status: str = "live"  # live | alias (of ``target``) | gone
    target: str | None = None  # an alias: the id that lives on in its place
    holders: list[str] = field(default_factory=list)  # gone: the ids now holding its articles
    size: int = 0  # live: how many articles its group holds


@dataclass
class Report:
    articles: list[Article]
    events: list[Event]
    stories: list[Story]
    generated: str = ""
    # what had to be left out, each named: lines that failed verification and parts whose
    # stage failed (every one a bug to report); the rest of the report stands
    left_out: list[str] = field(default_factory=list)


def iso_day(value: str | None) -> date | None:
    """Return the day an ISO date or date-time value names ("2023-10-18", "2023-10-18T09:00",
    a TIMEX3 "2023-10-18TMO"); None for coarser values ("2023-10") or none."""
    if not value or not (m := _ISO_DAY.match(value)):
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def known_day(article: Article) -> date | None:
    """Return the day an article was published, when it is known to the day: given by its
    source or inferred to the day; None otherwise. Every stage asks this, not its own way."""
    if article.date is None or article.date.certainty not in ("given", "day"):
        return None
    return iso_day(article.date.start)


def ordinal(day: date | None) -> int | None:
    """Return a day as a number (date.toordinal), for stores and distances; None stays None."""
    return day.toordinal() if day is not None else None


# The languages the pipeline reads (spaCy's English model, the English date, hedge and
# claim vocabularies): the one place this set lives. Codes are fastText's (stages.language).
SUPPORTED_LANGUAGES = frozenset({"en"})
DEFAULT_LANGUAGE = "en"
UNDETERMINED = "und"  # sure it is not English, not sure which language it is


def is_supported(language: str | None) -> bool:
    """Return whether the pipeline analyses articles in this language (None: not yet
    detected, read as the default)."""
    return (language or DEFAULT_LANGUAGE) in SUPPORTED_LANGUAGES


def not_analysed(articles: Iterable[Article]) -> list[Article]:
    """Return the articles in a language the pipeline does not analyse."""
    return [a for a in articles if not is_supported(a.language)]


def language_counts(articles: Iterable[Article]) -> Counter[str]:
    """Return how many of the articles are in each language not analysed."""
    return Counter(a.language or UNDETERMINED for a in not_analysed(articles))


def domain_of(url: str | None) -> str | None:
    """Return the host name of ``url`` without a leading "www.", or None."""
    try:
        host = urlsplit(url).hostname if url else None
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None


def source_name(article: Article) -> str:
    """Return the outlet of an article: its source, else its URL's domain, else its ref."""
    if article.source:
        return article.source
    for link in (article.url, article.ref):
        if link and "://" in link and (domain := domain_of(link)):
            return domain
    return PurePath(re.split(r"[:#]\d+$", article.ref)[0]).name


def reading_order(article: Article) -> tuple[str, str]:
    """Return a sort key putting articles in publication order, undated last, then by id."""
    start = article.date.start if article.date and article.date.start else None
    return (start or "9999", article.id)


_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def to_dict(obj: Any) -> Any:
    """Return a JSON-ready copy of any model object."""
    return asdict(obj)
