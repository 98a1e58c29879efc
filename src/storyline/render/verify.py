"""The citation verifier: a report is only written when every citation in it holds.

``verify_citations`` guarantees, for a report that passes:

- every cited span (of a summary sentence, quote or claim) lies inside its article's
  cleaned text, in an article the report holds;
- a quote's text equals ``article.text[start:end]``, and so does a claim's;
- a summary sentence of an event, and a sentence of a storyline's timeline, appears
  verbatim (up to whitespace) inside each span it cites;
- every finding of an event and every series of a storyline cites at least one claim, a
  claim's ``value_text`` is written in its text, and a quote finding gives wording only
  for articles its claims cite;
- every number a finding's statement writes is backed by its claims' texts, values or
  resolved times, or is a count of sources the finding's claims bear out (see the rule
  above ``_NUMBER``).

``verify_citations`` raises ``CitationError`` at the first citation that fails, naming the
item, the span and what is wrong. ``drop_unverified`` takes each failing line out instead
and returns what was wrong with each, so that nothing that misquotes its sources reaches a
reader and one bad line does not cost the rest of the report.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from typing import TypeVar

from storyline.errors import CitationError
from storyline.models import (
    CitedQuote,
    Claim,
    Event,
    Finding,
    Report,
    Span,
    Story,
    SummarySentence,
    TimelineEntry,
    source_name,
)
from storyline.render.html import plural
from storyline.stages.claims.quantity_words import SCALES

__all__ = [
    "SNIPPET_CHARS",
    "citation_problems",
    "drop_unverified",
    "squash",
    "verify_citations",
]

SNIPPET_CHARS = 60  # how much of a bad span an error message quotes


def squash(text: str) -> str:
    """Return text with runs of whitespace made single spaces (line breaks are not content)."""
    return " ".join(text.split())


def _snippet(text: str) -> str:
    """Return a short repr of text for an error message."""
    return repr(text if len(text) <= SNIPPET_CHARS else text[:SNIPPET_CHARS] + "…")


class _Bad(Exception):
    """One citation that fails, with what is wrong (internal to this module)."""


def _cited_text(texts: dict[str, str], item: str, span: Span) -> str:
    """Return the text a span covers, or raise _Bad naming item."""
    article_id, start, end = span.article, span.start, span.end
    where = f"{item} (article {article_id}, {start}-{end})"
    if article_id not in texts:
        raise _Bad(f"{where}: cites an article that is not in the report")
    length = len(texts[article_id])
    if not 0 <= start < end <= length:
        raise _Bad(
            f"{where}: the span lies outside the article's cleaned text (0-{length}); "
            "the stage that made it used offsets into some other text"
        )
    return texts[article_id][start:end]


def _check_sentence(sentence: SummarySentence, where: str, texts: dict[str, str]) -> None:
    """Raise _Bad when the sentence (where names it: "event e1 summary sentence 2", "story
    s1 timeline 2024-05-16 sentence 1") is empty, cites nothing or is not verbatim in a span
    it cites."""
    if not sentence.citations or not sentence.text.strip():
        raise _Bad(f"{where} {_snippet(sentence.text)} is empty or cites nothing")
    for j, c in enumerate(sentence.citations, 1):
        cited = _cited_text(texts, f"{where} citation {j}", c)
        if squash(sentence.text) not in squash(cited):
            raise _Bad(
                f"{where} citation {j} (article {c.article}, {c.start}-{c.end}): "
                f"the sentence {_snippet(sentence.text)} is not in the cited span "
                f"{_snippet(cited)}"
            )


def _check_quote(quote: CitedQuote, item: str, texts: dict[str, str]) -> None:
    """Raise _Bad when a quote's text is not the article text its span covers."""
    cited = _cited_text(texts, item, quote.span)
    if cited != quote.text:
        span = quote.span
        raise _Bad(
            f"{item} (article {span.article}, {span.start}-{span.end}): quote "
            f"{_snippet(quote.text)} does not match the article text there, {_snippet(cited)}"
        )


T = TypeVar("T")


class _Audit:
    """One pass over a report's cited lines, collecting what fails; with drop set, each
    failing line is also taken out of the report (a timeline day left with no sentence
    goes too)."""

    def __init__(self, report: Report, drop: bool) -> None:
        self.drop = drop
        self.problems: list[str] = []
        self.texts = {a.id: a.text for a in report.articles}
        self.outlets = {a.id: source_name(a) for a in report.articles}

    def kept(self, items: list[T], check: Callable[[int, T], None]) -> list[T]:
        """Return items without those check rejects (all of them unless dropping)."""
        out = []
        for i, item in enumerate(items, 1):
            try:
                check(i, item)
            except _Bad as bad:
                self.problems.append(str(bad))
                if self.drop:
                    continue
            out.append(item)
        return out

    def event(self, event: Event) -> None:
        texts = self.texts
        summary = self.kept(
            event.summary,
            lambda i, s: _check_sentence(s, f"event {event.id} summary sentence {i}", texts),
        )
        quotes = self.kept(
            event.quotes, lambda k, q: _check_quote(q, f"event {event.id} quote {k}", texts)
        )
        # a statement may name any outlet of the event, a copied wire story's included
        named = [*event.articles, *(m.copy_of for m in event.evidence if m.copy_of)]
        names = [self.outlets[aid] for aid in named if aid in self.outlets]
        findings = self.kept(
            event.findings,
            lambda i, f: _check_finding(f, f"event {event.id} finding {i}", texts, names),
        )
        if self.drop:
            event.summary, event.quotes, event.findings = summary, quotes, findings

    def story(self, story: Story) -> None:
        timeline = []
        for entry in story.timeline:
            sentences = self.kept(entry.sentences, partial(self.line, f"story {story.id}", entry))
            if sentences:
                timeline.append(replace(entry, sentences=sentences))
        series = self.kept(story.series, partial(self.series, f"story {story.id}"))
        if self.drop:
            story.timeline, story.series = timeline, series

    def line(self, story: str, entry: TimelineEntry, i: int, sentence: SummarySentence) -> None:
        _check_sentence(sentence, f"{story} timeline {entry.date} sentence {i}", self.texts)

    def series(self, story: str, i: int, finding: Finding) -> None:
        item = f"{story} series {i}"
        names = [
            self.outlets[c.span.article] for c in finding.claims if c.span.article in self.outlets
        ]
        _check_finding(finding, item, self.texts, names)


def _audit(report: Report, drop: bool) -> list[str]:
    audit = _Audit(report, drop)
    for event in report.events:
        audit.event(event)
    for story in report.stories:
        audit.story(story)
    return audit.problems


def citation_problems(report: Report) -> list[str]:
    """Return what is wrong with each cited line of the report that fails (see the module
    docstring for what is checked), in report order; [] when every citation holds."""
    return _audit(report, drop=False)


def verify_citations(report: Report) -> None:
    """Return None when every citation holds; raise CitationError naming the first that does not.

    A span must lie inside its article's cleaned text; a quote's text must equal
    ``article.text[start:end]``; a summary or timeline sentence must appear verbatim (up
    to whitespace) inside each span it cites. Every finding of an event and every series
    of a storyline cites at least one claim; a claim's text equals its span and holds
    its ``value_text`` verbatim; a quote finding gives wording only for articles its
    claims cite; and every number its statement writes is backed (see ``_backed``).
    """
    if problems := citation_problems(report):
        raise CitationError(problems[0])


def drop_unverified(report: Report) -> list[str]:
    """Take every cited line that fails out of report (summary and timeline sentences,
    quotes, findings, series) and return what was wrong with each: one bad line costs that
    line, not the report. Each is a bug to fix; the caller names them to the user."""
    return _audit(report, drop=True)


def _check_claim(claim: Claim, item: str, texts: dict[str, str]) -> None:
    """Raise _Bad when a claim misquotes its span or its value is not in it."""
    cited = _cited_text(texts, item, claim.span)
    where = f"{item} (article {claim.span.article}, {claim.span.start}-{claim.span.end})"
    if claim.text != cited:
        raise _Bad(
            f"{where}: the claim's text {_snippet(claim.text)} is not the article text "
            f"there, {_snippet(cited)}"
        )
    if claim.value_text is not None and claim.value_text not in claim.text:
        raise _Bad(
            f"{where}: the value {claim.value_text!r} is not written in the claim's text "
            f"{_snippet(claim.text)}"
        )


def _check_finding(finding: Finding, item: str, texts: dict[str, str], names: list[str]) -> None:
    """Raise _Bad for the first claim or statement number of a finding that fails; names
    are the outlets its statement may name (their digits are not figures)."""
    if not finding.claims:
        raise _Bad(f"{item} {_snippet(finding.statement)}: cites no claims")
    for j, claim in enumerate(finding.claims, 1):
        _check_claim(claim, f"{item} claim {j}", texts)
    cited = {c.span.article for c in finding.claims}
    for article_id in finding.wording:
        if article_id not in cited:
            raise _Bad(
                f"{item}: gives the wording of article {article_id}, which none of its claims cite"
            )
    statement = _without_names(finding, names)
    for number in _numbers(statement):
        if (problem := _number_problem(number, statement, finding)) is not None:
            raise _Bad(
                f"{item}: the statement {_snippet(finding.statement)} writes {number.written!r}, "
                f"{problem}"
            )


# ---- numbers in statements ------------------------------------------------------
#
# A statement may only write numbers its claims back. A number is a run of digits with
# thousands commas ("12,500") and a decimal point ("3.5"), then optionally an ordinal ending
# ("3rd"), a percent ("%", "percent", "per cent") and a scale ("billion", "bn", "m"); or a
# TIMEX3 date ("2023-10", "2023-W42", "2023-10-18TMO"). Digits glued to a letter or "_"
# ("G20", "Q3", "7a18f.txt") are names, not figures, and are left alone, as are the names
# a statement may use whatever their digits: the outlets of the event ("France 24") and
# the claims' speakers and measures. Currency signs and units are not compared;
# spelled-out numbers in a statement ("three") are not checked. Claims' texts are read
# the same way. A number is backed when (see ``_backed``):
#   - a number written in a claim's text has the same value: scaled values compare when
#     the statement gives a scale ("$190bn" backs "190 billion"), else the bare or the
#     scaled value ("190" or "190000000000" against "190 billion"); a percent needs a
#     percent;
#   - it equals a claim's ``value`` and that claim has ``value_text``: the value is the
#     reading of words verified to be in the text ("five" backs "5");
#   - a plain four-digit number is a year in a claim's resolved ``time`` ("2022" for
#     "last year"), or a date is the start of one;
#   - a count of sources ("3 sources", "2 of 3 outlets", "2 independent reports") equals
#     the finding's independent sources or, unless it says "independent", the number of
#     articles or of outlets its claims come from; a count of copies ("and 2 copies") is
#     the number of its claims' articles beyond its independent sources (or its outlets);
#     otherwise such a count is backed only when a claim's text writes the same number
#     with the same noun ("30 reports of looting"): it is then a figure, not a count of
#     sources.

_NUMBER = re.compile(
    r"(?<!\w)(?:(?P<date>(?:\d{4}|X{4})-(?:\d{2}|[WQH]\d{1,2})(?:-\d{2})?(?:T[\dA-Z:]+)?)"
    r"|(?P<num>\d+(?:,\d{3}(?!\d))*(?:\.\d+)?)(?:st|nd|rd|th)?"
    r"(?P<pct>\s?%|\s(?:percent|per\s?cent)\b)?"
    r"(?:[\s-]?(?P<word>thousand|million|billion|trillion|crore|lakh)s?\b"
    r"|(?P<letter>bn|mn|tn|m|k|b)\b)?)(?!\w)",
    re.IGNORECASE,
)
_SCALES = {name: factor for name, (_, factor) in SCALES.items()}  # as the quantities read them
_SOURCE_COUNT = re.compile(
    r"(?:\s+of\s+\d+)?\s+(?P<independent>independent\s+)?(?:news\s+)?"
    r"(?:(?P<copies>cop(?:y|ies))|sources?|outlets?|reports?|articles?)\b",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")


@dataclass(frozen=True)
class _Number:
    """One number as a statement or a claim writes it."""

    written: str
    end: int  # where it ends in the text it was read from
    value: float  # as written, before any scale (a date: its year)
    scale: float | None
    percent: bool
    date: str | None = None

    @property
    def scaled(self) -> float:
        return self.value * (self.scale or 1.0)

    @property
    def plain(self) -> bool:
        """Return True for a bare whole number: no scale, percent, fraction or date."""
        return (
            self.scale is None
            and not self.percent
            and self.date is None
            and (self.value.is_integer())
        )


def _numbers(text: str) -> list[_Number]:
    """Return the numbers text writes, in order."""
    found = []
    for m in _NUMBER.finditer(text):
        if m["date"]:
            year = float(m["date"][:4]) if m["date"][:4].isdigit() else 0.0
            found.append(_Number(m[0], m.end(), year, None, False, m["date"]))
            continue
        scale = m["word"] or m["letter"]
        value = float(m["num"].replace(",", ""))
        factor = _SCALES[scale.lower()] if scale else None
        found.append(_Number(m[0].strip(), m.end(), value, factor, bool(m["pct"])))
    return found


def _same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def _written_match(number: _Number, other: _Number) -> bool:
    """Return True when other, written in a claim, backs number."""
    if other.date is not None:
        return number.plain and _same(number.value, other.value)
    if number.percent and not other.percent:
        return False
    if number.scale is not None:
        return _same(number.scaled, other.scaled)
    return _same(number.value, other.value) or _same(number.value, other.scaled)


def _backed(number: _Number, claim: Claim) -> bool:
    """Return True when claim backs number: in its text, its value or its time."""
    if number.date is not None:
        return number.date in claim.text or (claim.time or "").startswith(number.date)
    if any(_written_match(number, other) for other in _numbers(claim.text)):
        return True
    read = claim.value if claim.value_text else None  # a value only counts with its words
    percent_ok = claim.unit == "%" or not number.percent
    if read is not None and percent_ok and _same(number.scaled, read):
        return True
    years = _YEAR.findall(claim.time or "")
    return number.plain and len(number.written) == 4 and number.written in years


def _without_names(finding: Finding, names: list[str]) -> str:
    """Return the finding's statement with the names it may use marked out, where they
    hold digits: outlets, and its claims' speakers and measures."""
    named = [
        *names,
        finding.measure,
        *(n for c in finding.claims for n in (c.source, c.speaker, c.measure)),
    ]
    statement = finding.statement
    for name in sorted(
        {n for n in named if n and any(ch.isdigit() for ch in n)}, key=len, reverse=True
    ):
        # a mark, not spaces: a number just before a blanked speaker must not come to stand
        # next to the verb after it ("2011 <speaker> reports" is no count of reports)
        statement = statement.replace(name, "#" * len(name))
    return statement


def _number_problem(number: _Number, statement: str, finding: Finding) -> str | None:
    """Return what is wrong with a number a finding's statement writes, None when backed."""
    count = _SOURCE_COUNT.match(statement, number.end)
    if count is not None and number.plain:
        articles = len({c.span.article for c in finding.claims})
        outlets = len({c.source for c in finding.claims if c.source})
        if count["copies"]:
            allowed = {articles - finding.independent_sources, articles - outlets}
        else:
            allowed = {finding.independent_sources}
            allowed |= set() if count["independent"] else {articles, outlets}
        if int(number.value) in allowed:
            return None
        # not a count of the finding's sources but a figure its claims write ("30 reports
        # of looting"): the number and its noun stand together in a claim's text
        phrase = squash(statement[number.end - len(number.written) : count.end()]).lower()
        if any(phrase in squash(c.text).lower() for c in finding.claims):
            return None
        return (
            f"a count of sources or copies, but the finding has {finding.independent_sources} "
            f"independent sources and its claims come from {plural(articles, 'article')} "
            f"of {plural(outlets, 'named outlet')}"
        )
    if any(_backed(number, claim) for claim in finding.claims):
        return None
    return "a number none of its claims writes, values or dates"
