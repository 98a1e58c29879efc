"""All of storyline's data: what flows from stage to stage and into the store.

Every offset (``start``, ``end``) is a character offset into an article's
*cleaned* text, so any span can be checked with ``article.text[start:end]``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, Self, cast
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from _typeshed import DataclassInstance


class _Data:
    """The JSON form every stored or exported class shares: ``to_dict`` writes each field
    in order (nested objects by their own ``to_dict``), and ``from_dict`` rebuilds a class
    whose fields are all plain values. Classes holding other objects rebuild them in their
    own ``from_dict``.

    A citation holds a ``span`` (a Span), but its JSON has always had the span's three
    fields in its place (``article``, ``start``, ``end``): stores and report.json keep
    that flat shape, and docs/report.schema.json describes it.
    """

    def to_dict(self) -> dict[str, Any]:
        """Return this object as JSON-ready dicts, lists and plain values."""
        data: dict[str, Any] = {}
        for f in fields(cast("DataclassInstance", self)):
            value = getattr(self, f.name)
            if isinstance(value, Span) and f.name == "span":
                data.update(value.to_dict())
            else:
                data[f.name] = plain(value)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Return the object its ``to_dict`` form describes."""
        return cls(**data)


def plain(value: Any) -> Any:
    """Return a value as JSON holds it: model objects as dicts, tuples as lists."""
    if isinstance(value, _Data):
        return value.to_dict()
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def _with_span(data: Mapping[str, Any]) -> dict[str, Any]:
    """Return a citation's JSON fields with its flat article, start and end made one Span."""
    rest = {k: v for k, v in data.items() if k not in ("article", "start", "end")}
    return {"span": Span(data["article"], data["start"], data["end"]), **rest}


def jsonable(value: Any) -> Any:
    """Return value with anything JSON cannot hold (sets, dates, objects) made a list or string."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


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
class Removal(_Data):
    """A piece of boilerplate taken out of an article, and why."""

    text: str
    reason: str


@dataclass(frozen=True)
class Span(_Data):
    """A character range in one article's cleaned text: every citation is one."""

    article: str
    start: int
    end: int


@dataclass
class Mention(_Data):
    """A named entity mention."""

    start: int
    end: int
    text: str
    kind: str  # PERSON | ORG | PLACE
    canonical: str  # the fullest name the article uses for the same entity


@dataclass
class Timex(_Data):
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
class Quantity(_Data):
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
class Quote(_Data):
    """A direct quotation and who said it."""

    start: int  # span of the quoted words, inside the quotation marks
    end: int
    text: str
    speaker: str | None  # canonical name of the speaker, None when not found
    verb: str | None = None


@dataclass
class Annotations(_Data):
    """What the annotate stage learned about one article."""

    sentences: list[tuple[int, int]] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    timexes: list[Timex] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        return cls(
            sentences=[(s[0], s[1]) for s in data.get("sentences", [])],
            mentions=[Mention.from_dict(m) for m in data.get("mentions", [])],
            timexes=[Timex.from_dict(t) for t in data.get("timexes", [])],
            quantities=[Quantity.from_dict(q) for q in data.get("quantities", [])],
            quotes=[Quote.from_dict(q) for q in data.get("quotes", [])],
        )


@dataclass
class DateRange(_Data):
    """When something happened (or was published): a day, or an earliest-latest range."""

    start: str | None  # ISO date
    end: str | None
    certainty: str = "unknown"  # given | day | range | unknown
    evidence: list[str] = field(default_factory=list)


@dataclass
class Article(_Data):
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

    def to_dict(self) -> dict[str, Any]:
        """Return the article as report.json holds it. Two fields are there for readers and
        not read back: ``published_inferred`` (the date, unless its source gave it) and
        ``analysed`` (whether the pipeline reads its language)."""
        dated = self.date.to_dict() if self.date is not None else None
        return {
            "id": self.id,
            "ref": self.ref,
            "title": self.title,
            "source": self.source,
            "url": self.url,
            "author": self.author,
            "published": self.published,
            "published_inferred": dated if dated and dated["certainty"] != "given" else None,
            "date": dated,
            "text": self.text,
            "removed": [r.to_dict() for r in self.removed],
            "meta": jsonable(self.meta),
            "annotations": self.annotations.to_dict() if self.annotations is not None else None,
            "language": self.language,
            "analysed": is_supported(self.language),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        return cls(
            id=data["id"],
            ref=data["ref"],
            text=data["text"],
            title=data.get("title"),
            source=data.get("source"),
            url=data.get("url"),
            author=data.get("author"),
            published=data.get("published"),
            removed=[Removal.from_dict(r) for r in data.get("removed", [])],
            meta=dict(data.get("meta", {})),
            annotations=Annotations.from_dict(a) if (a := data.get("annotations")) else None,
            date=DateRange.from_dict(d) if (d := data.get("date")) else None,
            language=data.get("language"),
        )


@dataclass
class SummarySentence(_Data):
    """A sentence of output and the spans it comes from."""

    text: str
    citations: list[Span]

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        return cls(data["text"], [Span.from_dict(c) for c in data["citations"]])


@dataclass
class CitedQuote(_Data):
    """A quotation chosen for an event; ``span`` holds the quoted words."""

    text: str
    speaker: str | None
    span: Span

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        return cls(**_with_span(data))


@dataclass
class Claim(_Data):
    """One checkable statement of one article: a quantity with what it measures, a
    statement attributed to a speaker, or a direct quote; cited by its sentence."""

    span: Span  # the cited span: the sentence that makes the claim (a quote: its words)
    text: str  # the span's text
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

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        return cls(**_with_span(data))


@dataclass
class Finding(_Data):
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

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        return cls(**{**data, "claims": [Claim.from_dict(c) for c in data.get("claims", [])]})


@dataclass
class Membership(_Data):
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
class Event(_Data):
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

    def to_dict(self, members: bool = False) -> dict[str, Any]:
        """Return the event as a store holds it; with ``members``, as report.json holds it:
        each article an object carrying the evidence for its place, instead of the ids and
        the evidence listed apart."""
        data = super().to_dict()
        if members:
            why = {m["article"]: m for m in data.pop("evidence")}
            data["articles"] = [
                {
                    "id": aid,
                    "evidence": {k: v for k, v in why.get(aid, {}).items() if k != "article"},
                }
                for aid in self.articles
            ]
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Return the event either form of ``to_dict`` describes."""
        articles, evidence = data["articles"], data.get("evidence", [])
        if any(isinstance(a, dict) for a in articles):  # the report.json form
            evidence = [
                {"article": a["id"], **a["evidence"]} for a in articles if a.get("evidence")
            ]
            articles = [a["id"] for a in articles]
        return cls(
            id=data["id"],
            title=data["title"],
            articles=list(articles),
            date=DateRange.from_dict(data["date"]),
            published=DateRange.from_dict(p) if (p := data.get("published")) else None,
            evidence=[Membership.from_dict(m) for m in evidence],
            sources=list(data.get("sources", [])),
            independent_sources=int(data.get("independent_sources", 0)),
            participants=list(data.get("participants", [])),
            summary=[SummarySentence.from_dict(s) for s in data.get("summary", [])],
            quotes=[CitedQuote.from_dict(q) for q in data.get("quotes", [])],
            findings=[Finding.from_dict(f) for f in data.get("findings", [])],
        )


@dataclass
class TimelineEntry(_Data):
    """One dated line of a storyline's timeline: what happened that day, cited."""

    date: str  # ISO day (the first day of ``when`` for a line that stands for a range)
    sentences: list[SummarySentence]
    events: list[str] = field(default_factory=list)  # the storyline's events on that day
    when: DateRange | None = None  # for an event known only to a range ("2024 or later")

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        return cls(
            date=data["date"],
            sentences=[SummarySentence.from_dict(s) for s in data.get("sentences", [])],
            events=list(data.get("events", [])),
            when=DateRange.from_dict(w) if (w := data.get("when")) else None,
        )


@dataclass
class Story(_Data):
    """A chain of events about the same ongoing story."""

    id: str
    title: str
    events: list[str]
    participants: list[str] = field(default_factory=list)
    series: list[Finding] = field(default_factory=list)  # each measure over time, cited
    timeline: list[TimelineEntry] = field(default_factory=list)  # the days that mattered

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Return the storyline its JSON describes (one stored before timelines has none)."""
        series = [Finding.from_dict(f) for f in data.get("series", [])]
        timeline = [TimelineEntry.from_dict(t) for t in data.get("timeline", [])]
        return cls(**{**data, "series": series, "timeline": timeline})


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
