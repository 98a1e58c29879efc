"""The HTML report, and the view helpers every report format shares.

Markdown, HTML and the terminal all number citations the same way and group
events under storylines the same way, so a reader can move between them; the
helpers that decide that live here, beside the one format that needs most of them.
Date labels, a storyline's dated lines and the timeline picture live in
``timeline`` (re-exported here).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from storyline.models import (
    Article,
    Claim,
    Event,
    Finding,
    Report,
    Span,
    Story,
    is_supported,
    language_counts,
)
from storyline.render.marks import MARK, Feature, marked
from storyline.render.timeline import DAY_RADIUS, MARKER_RADIUS, Timeline, line_bounds
from storyline.render.timeline import date_label as date_label  # re-exported
from storyline.render.timeline import day_anchors as day_anchors  # re-exported
from storyline.render.timeline import line_label as line_label  # re-exported
from storyline.render.timeline import timeline as timeline  # re-exported
from storyline.render.timeline import timeline_days as timeline_days  # re-exported
from storyline.stages.claims.crosscheck import UNIQUE_SHOWN as UNIQUE_SHOWN  # re-exported

# The four parts of an event's cross-source findings: (heading, the finding kinds in it).
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Sources agree", ("agree",)),
    ("Sources differ", ("conflict", "scope", "update")),
    ("Reported by one source only", ("unique",)),
    ("Who said what", ("quote",)),
)
DIFFER_LABELS = {
    "conflict": "Conflict",
    "scope": "Different scope — not a contradiction",
    "update": "Update over time",
}


# ---- shared by every format -------------------------------------------------


def story_groups(report: Report) -> list[tuple[Story | None, list[Event]]]:
    """Return each storyline with its events, then any events in no storyline (story None)."""
    by_id = {event.id: event for event in report.events}
    groups: list[tuple[Story | None, list[Event]]] = []
    placed: set[str] = set()
    for story in report.stories:
        events = [by_id[eid] for eid in story.events if eid in by_id]
        placed.update(event.id for event in events)
        groups.append((story, events))
    loose = [event for event in report.events if event.id not in placed]
    if loose:
        groups.append((None, loose))
    return groups


def story_size(story: Story | None, events: list[Event]) -> tuple[int, str]:
    """Return how big and how recent a storyline is: its articles, then the latest day one
    of its events happened or was published ("" when none is known)."""
    days = [
        day
        for e in events
        for day in (e.date.end, e.date.start, e.published.end if e.published else None)
        if day
    ]
    return sum(len(e.articles) for e in events), max(days, default="")


def top_story_groups(
    report: Report, storylines: int, events: int
) -> tuple[list[tuple[Story | None, list[Event], int]], int]:
    """Return the storylines a screen shows first, and how many are left out: the
    ``storylines`` largest (most articles; ties, the most recent first), each with its
    ``events`` latest events and how many earlier ones it leaves out; events in no storyline
    come last as one group (story None), when there is room."""
    groups = story_groups(report)
    loose = [g for g in groups if g[0] is None]
    ranked = sorted(
        (g for g in groups if g[0] is not None), key=lambda g: story_size(*g), reverse=True
    )
    shown = (ranked + loose)[:storylines]
    out = []
    for story, members in shown:
        latest = members[-events:] if len(members) > events else members
        out.append((story, latest, len(members) - len(latest)))
    return out, len(groups) - len(shown)


def finding_groups(event: Event) -> list[tuple[str, list[Finding]]]:
    """Return each non-empty part of an event's findings, in SECTIONS order, with its
    findings in the order the event lists them."""
    groups = [
        (heading, [f for f in event.findings if f.kind in kinds]) for heading, kinds in SECTIONS
    ]
    return [(heading, findings) for heading, findings in groups if findings]


def event_spans(event: Event) -> list[Span]:
    """Return the spans an event cites, without repeats: summary first, then quotes (so
    their numbers do not move when findings are added), then the claims of its findings
    in the order the findings are shown."""
    keys = [c for s in event.summary for c in s.citations]
    keys += [q.span for q in event.quotes]
    keys += [c.span for _, group in finding_groups(event) for f in group for c in f.claims]
    return list(dict.fromkeys(keys))


def timeline_spans(story: Story) -> list[Span]:
    """Return the spans a storyline's timeline cites, day by day, without repeats."""
    return list(
        dict.fromkeys(
            c for entry in timeline_days(story) for s in entry.sentences for c in s.citations
        )
    )


def series_spans(story: Story) -> list[Span]:
    """Return the spans a storyline's figures over time cite, in table order, without repeats."""
    return list(dict.fromkeys(c.span for f in story.series for c in f.claims))


def story_spans(story: Story) -> list[Span]:
    """Return the spans a storyline itself cites, without repeats: its timeline's (shown
    above its events), then its figures over time's (shown below them)."""
    return list(dict.fromkeys([*timeline_spans(story), *series_spans(story)]))


class CitationIndex:
    """Numbers each distinct cited span in reading order, so every format agrees."""

    def __init__(self, report: Report) -> None:
        self._numbers: dict[Span, int] = {}
        for story, events in story_groups(report):
            # as shown: a storyline's timeline, then its events, then its figures
            keys = timeline_spans(story) if story is not None else []
            keys += [key for event in events for key in event_spans(event)]
            keys += series_spans(story) if story is not None else []
            for key in keys:
                self._numbers.setdefault(key, len(self._numbers) + 1)

    def number(self, span: Span) -> int:
        """Return the citation number of a span (spans outside the report get a new one)."""
        return self._numbers.setdefault(span, len(self._numbers) + 1)

    def for_event(self, event: Event) -> list[tuple[int, Span]]:
        """Return the numbered spans an event cites, in citation order."""
        return [(self.number(key), key) for key in event_spans(event)]

    def for_story(self, story: Story) -> list[tuple[int, Span]]:
        """Return the numbered spans a storyline itself cites: timeline, then figures."""
        return [(self.number(key), key) for key in story_spans(story)]

    def for_timeline(self, story: Story) -> list[tuple[int, Span]]:
        """Return the numbered spans a storyline's timeline cites, day by day."""
        return [(self.number(key), key) for key in timeline_spans(story)]

    def for_series(self, story: Story) -> list[tuple[int, Span]]:
        """Return the numbered spans a storyline's figures over time cite, in table order."""
        return [(self.number(key), key) for key in series_spans(story)]

    def by_article(self) -> dict[str, list[tuple[int, int, int]]]:
        """Return (start, end, number) of every cited span, grouped by article id."""
        grouped: dict[str, list[tuple[int, int, int]]] = {}
        for span, number in self._numbers.items():
            grouped.setdefault(span.article, []).append((span.start, span.end, number))
        return grouped


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&])")


def md_inline(text: str | None) -> str:
    """Return text as one line of inert Markdown: whitespace runs made one space, markup
    characters escaped."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join((text or "").split()))


def event_date_label(event: Event) -> str:
    """Return an event's date label with how sure we are of it."""
    label = date_label(event.date)
    if label == "undated" or event.date.certainty in ("", "unknown"):
        return label
    return f"{label} ({event.date.certainty})"


def article_date_label(article: Article) -> str:
    """Return an article's publication date, marked 'inferred' unless the source gave it."""
    if article.date is not None and date_label(article.date) != "undated":
        label = date_label(article.date)
        return label if article.date.certainty == "given" else f"{label} (inferred)"
    if article.published:
        return article.published
    return "undated"


def display_title(article: Article, words: int = 12) -> str:
    """Return the article's title, or for an untitled one its opening words."""
    if article.title:
        return article.title
    opening = article.text.split()
    if not opening:
        return f"Untitled article {article.id}"
    return " ".join(opening[:words]) + (" …" if len(opening) > words else "")


def article_label(article: Article | None, article_id: str) -> str:
    """Return 'Title, Source' for an article, falling back to its id."""
    if article is None:
        return f"unknown article {article_id}"
    title = display_title(article)
    return f"{title}, {article.source}" if article.source else title


def not_analysed_line(counts: Mapping[str, int]) -> str:
    """Return the line that counts the articles not analysed for their language, given how
    many there are of each ("3 articles in other languages (fr, de) kept but not
    analysed", the most frequent language first), or "" when there are none."""
    total = sum(counts.values())
    if not total:
        return ""
    order = ", ".join(sorted(counts, key=lambda code: (-counts[code], code)))
    if total == 1:
        return f"1 article in another language ({order}) kept but not analysed"
    return f"{total} articles in other languages ({order}) kept but not analysed"


def plural(count: int, noun: str) -> str:
    """Return '1 event' or '3 events'."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def sources_line(event: Event) -> str:
    """Return '5 sources (3 independent): a, b, ...' for an event ('' when it has none)."""
    if not event.sources:
        return ""
    line = plural(len(event.sources), "source")
    if 0 < event.independent_sources < len(event.sources):
        line += f" ({event.independent_sources} independent)"
    return f"{line}: {', '.join(event.sources)}"


def why_grouped(event: Event, articles: dict[str, Article]) -> list[tuple[str, str]]:
    """Return, per article of the event, its label and why it was grouped there: its
    similarity to the rest (and each signal's part), shared names, days apart, copying."""
    if len(event.articles) < 2:
        return []
    names = {"embedding": "meaning", "tfidf": "words", "entities": "names"}
    out = []
    for m in event.evidence:
        parts = ", ".join(f"{names.get(k, k)} {v:.2f}" for k, v in m.scores.items())
        why = f"similarity {m.similarity:.2f}" + (f" ({parts})" if parts else "")
        if m.shared_entities:
            why += f"; shares {', '.join(m.shared_entities[:4])}"
        if m.days_apart is not None:
            why += f"; {plural(m.days_apart, 'day')} from the nearest report"
        if m.copy_of:
            copied = article_label(articles.get(m.copy_of), m.copy_of)
            why += f"; copy of {copied} (overlap {m.copy_similarity or 0:.2f})"
        out.append((article_label(articles.get(m.article), m.article), why))
    return out


def counts_line(report: Report) -> str:
    """Return the one-line size of the report, with when it was made if known."""
    counts = " · ".join(
        plural(count, noun)
        for count, noun in (
            (len(report.articles), "article"),
            (len(report.events), "event"),
            (len(report.stories), "storyline"),
        )
    )
    if others := not_analysed_line(language_counts(report.articles)):
        counts += f" · {others}"
    if report.left_out:
        counts += f" · {plural(len(report.left_out), 'part')} left out (listed in report.json)"
    return f"Generated {report.generated} · {counts}" if report.generated else counts


# ---- cross-source findings, as every format shows them -----------------------


@dataclass(frozen=True)
class FindingLine:
    """One finding as a line of the report: its words and the spans they cite."""

    text: str  # the statement; for a quote, the fullest wording of the quoted words
    keys: list[Span]  # what the line itself cites
    label: str | None = None  # how sources differ: "Conflict", "Update over time", ...
    speaker: str | None = None  # quotes: who said it
    # quotes: which sources carry the words and how, as (source, wording, span)
    carriers: list[tuple[str, str, Span]] = field(default_factory=list)
    note: str | None = None  # quotes: the sources name different speakers
    rank: int | None = None  # single-source findings: their place by salience, 0 first
    shown: bool = True  # False for a single-source finding folded away

    @property
    def all_keys(self) -> list[Span]:
        """Return every span the line cites, its carriers' included."""
        return list(dict.fromkeys([*self.keys, *(key for _, _, key in self.carriers)]))


@dataclass(frozen=True)
class FindingSection:
    """One headed part of an event's findings; ``more`` is what folds away."""

    heading: str
    shown: list[FindingLine]
    more: list[FindingLine]


@dataclass(frozen=True)
class SeriesRow:
    """One row of a storyline's figures over time."""

    time: str
    value: str  # as written, with any hedge or scope the value's own words leave out
    source: str
    key: Span


def claim_source(claim: Claim, articles: dict[str, Article]) -> str:
    """Return the outlet a claim comes from, falling back to its article's label."""
    article = articles.get(claim.span.article)
    if claim.source:
        return claim.source
    if article is not None and article.source:
        return article.source
    return article_label(article, claim.span.article)


def _quote_line(finding: Finding, articles: dict[str, Article]) -> FindingLine:
    """Return a quote finding as a line: the fullest wording, the speaker, and per source
    how closely it carries the words."""
    fullest = max(finding.claims, key=lambda c: len(c.text))
    speakers = [c.speaker for c in finding.claims if c.speaker]
    carriers = [
        (claim_source(c, articles), finding.wording.get(c.span.article, ""), c.span)
        for c in finding.claims
    ]
    note = None
    if finding.speakers_match is False:
        named = "; ".join(
            f"{claim_source(c, articles)}: {c.speaker or 'no speaker named'}"
            for c in finding.claims
        )
        note = f"The sources do not name the same speaker ({named})"
    speaker = speakers[0] if speakers else None
    return FindingLine(fullest.text, [fullest.span], None, speaker, carriers, note)


def _finding_line(finding: Finding, articles: dict[str, Article]) -> FindingLine:
    """Return one finding as a line of the report."""
    if finding.kind == "quote" and finding.claims:
        return _quote_line(finding, articles)
    keys = list(dict.fromkeys(c.span for c in finding.claims))
    label = DIFFER_LABELS.get(finding.kind)
    return FindingLine(finding.statement, keys, label, rank=finding.rank, shown=finding.shown)


def finding_sections(event: Event, articles: dict[str, Article]) -> list[FindingSection]:
    """Return an event's non-empty finding parts, single-source items in their rank order
    and, beyond those marked shown (at most UNIQUE_SHOWN), folded into ``more``."""
    sections = []
    for heading, findings in finding_groups(event):
        if heading != "Reported by one source only":
            sections.append(
                FindingSection(heading, [_finding_line(f, articles) for f in findings], [])
            )
            continue
        ranked = sorted(findings, key=lambda f: f.rank if f.rank is not None else len(findings))
        shown = [f for f in ranked if f.shown][:UNIQUE_SHOWN]
        lines = [_finding_line(f, articles) for f in shown]
        kept = {id(f) for f in shown}
        more = [
            replace(_finding_line(f, articles), shown=False) for f in ranked if id(f) not in kept
        ]
        sections.append(FindingSection(heading, lines, more))
    return sections


def folded_spans(event: Event, sections: list[FindingSection]) -> set[Span]:
    """Return the spans that only folded-away findings cite: a format that folds those
    findings away leaves their spans out of the event's list of sources too."""
    visible = {c for s in event.summary for c in s.citations}
    visible |= {q.span for q in event.quotes}
    visible |= {key for s in sections for line in s.shown for key in line.all_keys}
    return {key for s in sections for line in s.more for key in line.all_keys} - visible


def series_rows(finding: Finding, articles: dict[str, Article]) -> list[SeriesRow]:
    """Return a series finding's claims as table rows, in the order it gives (time order)."""
    rows = []
    for claim in finding.claims:
        value = claim.value_text or claim.text
        extra = [q for q in claim.qualifiers if q.lower() not in value.lower()]
        if extra:
            value += f" ({', '.join(extra)})"
        time = claim.time or "undated"
        rows.append(SeriesRow(time, value, claim_source(claim, articles), claim.span))
    return rows


# ---- the HTML page ----------------------------------------------------------


def _cited_marks(article: Article, spans: list[tuple[int, int, int]]) -> list[Feature]:
    """Return an article's cited (start, end, number)s as marks for the report, each with
    the id ``art-<id>-<start>`` that citations link to."""
    clipped = [(max(0, s), min(len(article.text), e), n) for s, e, n in spans]
    return [
        Feature(s, e, MARK, "", "", anchor=f"art-{article.id}-{s}", number=n) for s, e, n in clipped
    ]


def _cited_as(covering: list[Feature]) -> str:
    """Return the title of a piece of cited text: the numbers it is cited as."""
    return "cited as " + ", ".join(f"[{n}]" for n in sorted({f.number for f in covering}))


def web_link(ref: str | None) -> str | None:
    """Return ref when it is safe to link to (http or https), else None."""
    if ref and ref.lower().startswith(("http://", "https://")):
        return ref
    return None


def article_link(article: Article) -> str | None:
    """Return where a reader can open an article on the web: its URL, else its ref when that
    is a web address; None when neither is (or either is some other scheme)."""
    return web_link(article.url) or web_link(article.ref)


def _cite(index: CitationIndex, articles: dict[str, Article], key: Span) -> dict[str, Any]:
    """Return what the template needs to draw one citation link."""
    return {
        "number": index.number(key),
        "anchor": f"art-{key.article}-{key.start}",
        "label": article_label(articles.get(key.article), key.article),
        "chars": f"characters {key.start}–{key.end}",
    }


def _line_view(
    line: FindingLine, index: CitationIndex, articles: dict[str, Article]
) -> dict[str, Any]:
    """Return the template's view of one finding line."""
    return {
        "line": line,
        "cites": [_cite(index, articles, key) for key in line.keys],
        "carriers": [
            (source, wording, _cite(index, articles, key)) for source, wording, key in line.carriers
        ],
    }


def _sections_view(
    sections: list[FindingSection], index: CitationIndex, articles: dict[str, Article]
) -> list[dict[str, Any]]:
    """Return the template's view of an event's finding parts."""
    return [
        {
            "heading": s.heading,
            "shown": [_line_view(line, index, articles) for line in s.shown],
            "more": [_line_view(line, index, articles) for line in s.more],
        }
        for s in sections
    ]


def _series_view(
    story: Story | None, index: CitationIndex, articles: dict[str, Article]
) -> list[dict[str, Any]]:
    """Return the template's view of a storyline's figures over time (none for no story)."""
    if story is None:
        return []
    return [
        {
            "statement": finding.statement or finding.measure or "",
            "rows": [
                (row, _cite(index, articles, row.key)) for row in series_rows(finding, articles)
            ],
        }
        for finding in story.series
        if finding.claims
    ]


def _timeline_view(
    story: Story | None, index: CitationIndex, articles: dict[str, Article]
) -> dict[str, Any]:
    """Return the template's view of a storyline's timeline: its dated lines, each sentence
    with its citations, and the spans they cite (nothing for no story)."""
    if story is None:
        return {"days": [], "cited": []}
    days = [
        {
            "date": entry.date,
            "datetime": line_bounds(entry)[0],  # as precise as known: "2024", not 1 January
            "label": line_label(entry),
            "anchor": anchor,
            "sentences": [
                (s.text, [_cite(index, articles, c) for c in s.citations]) for s in entry.sentences
            ],
        }
        for entry, anchor in day_anchors(story)
    ]
    cited = [_cite(index, articles, key) for _, key in index.for_timeline(story)]
    return {"days": days, "cited": cited}


def _picture(story: Story | None, events: list[Event]) -> Timeline:
    """Return the axis picture of a storyline's events and timeline lines."""
    return timeline(events, day_anchors(story) if story is not None else [])


def _event_view(event: Event, index: CitationIndex, articles: dict[str, Article]) -> dict[str, Any]:
    """Return the template's view of one event."""
    sections = finding_sections(event, articles)
    folded = folded_spans(event, sections)
    return {
        "event": event,
        "date": event_date_label(event),
        "summary": [
            (s.text, [_cite(index, articles, c) for c in s.citations]) for s in event.summary
        ],
        "quotes": [(q, _cite(index, articles, q.span)) for q in event.quotes],
        "sections": _sections_view(sections, index, articles),
        "cited": [
            _cite(index, articles, key) for _, key in index.for_event(event) if key not in folded
        ],
        "sources": sources_line(event),
        "why": why_grouped(event, articles),
    }


def _article_view(article: Article, spans: list[tuple[int, int, int]]) -> dict[str, Any]:
    """Return the template's view of one article, given its cited (start, end, number)s."""
    return {
        "article": article,
        "title": display_title(article),
        "date": article_date_label(article),
        "link": article_link(article),
        "text": marked(article.text, _cited_marks(article, spans), _cited_as),
        "language": language_note(article),
    }


def language_note(article: Article) -> str:
    """Return "" for an article in a language the pipeline reads, else its language and
    that it was not analysed ("in fr: not analysed")."""
    if is_supported(article.language):
        return ""
    return f"in {article.language}: not analysed"


def template_env(folder: str) -> Environment:
    """Return the Jinja environment of a package template folder, autoescaping everything
    (the report's and the web app's pages alike)."""
    return Environment(
        loader=PackageLoader("storyline", folder),
        autoescape=True,  # every string from an article is untrusted
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        # templates ship inside the package: checking their files on every render cost
        # the web app a fifth of its time under load
        auto_reload=False,
    )


_ENV = template_env("templates")


def render_html(report: Report) -> str:
    """Return the report as one self-contained HTML page (inline CSS and SVG, no scripts)."""
    index = CitationIndex(report)
    articles = {a.id: a for a in report.articles}
    groups = [
        {
            "story": story,
            "events": [_event_view(e, index, articles) for e in events],
            "timeline": _picture(story, events),
            "days": _timeline_view(story, index, articles),
            "series": _series_view(story, index, articles),
        }
        for story, events in story_groups(report)
    ]
    cited = index.by_article()
    return _ENV.get_template("report.html.j2").render(
        report=report,
        counts=counts_line(report),
        radius=MARKER_RADIUS,
        day_radius=DAY_RADIUS,
        groups=groups,
        articles=[_article_view(a, cited.get(a.id, [])) for a in report.articles],
    )
