"""Tests for the report stage: JSON schema, citation check and the three renderings."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import jsonschema  # type: ignore[import-untyped]
import pytest
from rich.console import Console

from storyline.errors import CitationError
from storyline.models import (
    Annotations,
    Article,
    CitedQuote,
    Claim,
    DateRange,
    Event,
    Finding,
    Membership,
    Mention,
    Quantity,
    Quote,
    Removal,
    Report,
    Span,
    Story,
    SummarySentence,
    Timex,
)
from storyline.render.html import date_label, timeline
from storyline.render.report import (
    render_html,
    render_markdown,
    render_terminal,
    report_json,
    verify_citations,
    write_report,
)
from tests.conftest import ROOT

SCHEMA_PATH = ROOT / "docs" / "report.schema.json"

# Invented text, written for this test.
TEXT_A = (
    "The harbour council of Eastport approved a new ferry line on Monday.\n\n"
    'Mayor Lena Ortiz said "the ferry will cut the commute in half" after the vote. '
    "The project will cost about $12 million."
)
TEXT_B = (
    "Eastport's ferry plan passed the council this week. "
    'Engineer Tomas Berg warned that "the old pier needs repairs first" before any launch. '
    'Note: <script>alert(1)</script> and a "quote" that tries to break out of attributes.'
)
HOSTILE_TITLE = 'Pier "repairs" <script>alert("t")</script>'


def _span(text: str, piece: str) -> tuple[int, int]:
    start = text.index(piece)
    return start, start + len(piece)


def _annotations(text: str, quote: str, speaker: str, name: str) -> Annotations:
    q_start, q_end = _span(text, quote)
    n_start, n_end = _span(text, name)
    first_end = text.index(".") + 1
    return Annotations(
        sentences=[(0, first_end), (first_end + 1, len(text))],
        mentions=[Mention(n_start, n_end, name, "PERSON", speaker)],
        timexes=[Timex(0, 7, text[:7], "DATE", None)],
        quantities=[Quantity(0, 3, text[:3], 1.2e7, "USD", scale="million", qualifiers=["about"])],
        quotes=[Quote(q_start, q_end, quote, speaker, "said")],
    )


def _report() -> Report:
    """Return a small, honest report: two articles, one event, one story."""
    a = Article(
        id="a1f0",
        ref="fixtures/eastport-a.txt",
        text=TEXT_A,
        title="Eastport approves ferry line",
        source="Harbour Herald",
        published="2024-05-06",
        removed=[Removal("Subscribe for more harbour news", "newsletter prompt")],
        annotations=_annotations(
            TEXT_A, "the ferry will cut the commute in half", "Lena Ortiz", "Lena Ortiz"
        ),
        date=DateRange("2024-05-06", "2024-05-06", "given", ["metadata: published"]),
    )
    b = Article(
        id="b2e9",
        ref="javascript:alert(2)",
        text=TEXT_B,
        title=HOSTILE_TITLE,
        source="Coast Weekly",
        annotations=_annotations(
            TEXT_B, "the old pier needs repairs first", "Tomas Berg", "Tomas Berg"
        ),
        date=DateRange("2024-05-06", "2024-05-10", "range", ["'this week'"]),
    )
    s1 = "The harbour council of Eastport approved a new ferry line on Monday."
    s2 = "Note: <script>alert(1)</script>"
    q1, q2 = "the ferry will cut the commute in half", "the old pier needs repairs first"
    event = Event(
        id="ev1",
        title="Eastport council approves ferry line",
        articles=["a1f0", "b2e9"],
        date=DateRange("2024-05-06", "2024-05-06", "day", ["Monday"]),
        evidence=[Membership("a1f0", 0.71, ["Eastport"]), Membership("b2e9", 0.71, ["Eastport"])],
        sources=["Harbour Herald", "Coast Weekly"],
        participants=["Eastport", "Lena Ortiz", "Tomas Berg"],
        summary=[
            SummarySentence(s1, [Span("a1f0", *_span(TEXT_A, s1))]),
            SummarySentence(s2, [Span("b2e9", *_span(TEXT_B, s2))]),
        ],
        quotes=[
            CitedQuote(q1, "Lena Ortiz", Span("a1f0", *_span(TEXT_A, q1))),
            CitedQuote(q2, "Tomas Berg", Span("b2e9", *_span(TEXT_B, q2))),
        ],
    )
    story = Story("st1", "Eastport ferry", ["ev1"], ["Eastport", "Lena Ortiz"])
    return Report([a, b], [event], [story], generated="2024-05-11T09:00:00+00:00")


def test_json_validates_against_schema() -> None:
    data = report_json(_report())
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    # through a JSON round trip, as a consumer of report.json would see it
    jsonschema.Draft202012Validator(schema).validate(json.loads(json.dumps(data)))
    assert data["articles"][0]["annotations"]["sentences"][0] == [0, TEXT_A.index(".") + 1]
    assert data["events"][0]["summary"][0]["citations"][0]["article"] == "a1f0"
    assert data["stories"][0]["events"] == ["ev1"]


def test_schema_rejects_a_broken_report() -> None:
    data = report_json(_report())
    del data["events"][0]["summary"][0]["citations"][0]["start"]
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)


def test_verify_citations_accepts_honest_report() -> None:
    verify_citations(_report())


def test_verify_rejects_span_past_the_end() -> None:
    report = _report()
    report.events[0].summary[1].citations[0] = Span("b2e9", 10, len(TEXT_B) + 5)
    with pytest.raises(CitationError, match=r"event ev1 summary sentence 2 citation 1.*outside"):
        verify_citations(report)


def test_verify_rejects_quote_mismatch() -> None:
    report = _report()
    quote = report.events[0].quotes[0]
    quote.text = "the ferry will halve the commute"
    with pytest.raises(CitationError, match=r"event ev1 quote 1 .*does not match"):
        verify_citations(report)


def test_verify_rejects_sentence_outside_its_span() -> None:
    report = _report()
    report.events[0].summary[0].citations[0] = Span("a1f0", *_span(TEXT_A, "Mayor Lena Ortiz"))
    with pytest.raises(CitationError, match=r"event ev1 summary sentence 1 citation 1.*not in"):
        verify_citations(report)


def test_verify_rejects_unknown_article_and_uncited_sentence() -> None:
    report = _report()
    quote = report.events[0].quotes[1]
    quote.span = replace(quote.span, article="nope")
    with pytest.raises(CitationError, match=r"event ev1 quote 2 .*not in the report"):
        verify_citations(report)
    report = _report()
    report.events[0].summary[0].citations = []
    with pytest.raises(CitationError, match="summary sentence 1"):
        verify_citations(report)


def test_markdown_has_titles_quotes_and_citations() -> None:
    md = render_markdown(_report())
    assert "## Storyline 1: Eastport ferry" in md
    assert "### Eastport council approves ferry line" in md
    assert "*2024-05-06 (day)* · 2 sources: Harbour Herald, Coast Weekly" in md
    assert "> “the ferry will cut the commute in half”" in md
    assert "> — Lena Ortiz[^3]" in md and "> — Tomas Berg[^4]" in md
    assert "on Monday.[^1]" in md
    assert "[^1]: Eastport approves ferry line, Harbour Herald, characters 0–68" in md
    # the hostile title and text are inert markdown
    assert "<script>" not in md
    assert r"\<script\>alert(1)\</script\>[^2]" in md
    # the articles section notes inferred dates and boilerplate counts
    assert "2024-05-06 · fixtures/eastport-a.txt · 1 boilerplate piece removed" in md
    assert "2024-05-06 – 2024-05-10 (inferred)" in md


def test_html_is_self_contained_and_escaped() -> None:
    report = _report()
    html = render_html(report)
    assert html.startswith("<!doctype html>") and html.rstrip().endswith("</html>")
    assert "<style>" in html
    assert "<script" not in html  # no script at all: not ours, and not the article's
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;script&gt;alert(&#34;t&#34;)&lt;/script&gt;" in html  # the title
    assert "<link" not in html and "@import" not in html and "url(" not in html
    assert not re.search(r"""\b(src|href)\s*=\s*["']?\s*(https?:|//|javascript:)""", html)
    assert 'a \\"quote\\"' not in html and "a &#34;quote&#34; that tries" in html
    for event in report.events:
        cited = [(c.article, c.start) for s in event.summary for c in s.citations]
        cited += [(q.span.article, q.span.start) for q in event.quotes]
        for article_id, start in cited:
            assert f'<mark id="art-{article_id}-{start}"' in html
            assert f'href="#art-{article_id}-{start}"' in html
    assert "<details>" in html and "newsletter prompt" in html
    assert "<svg" in html and "<circle" in html and "2024-05-06" in html


def test_html_marks_overlapping_spans_once_each() -> None:
    report = _report()
    # a second citation inside the first sentence's span
    inner = "approved a new ferry line"
    report.events[0].summary.append(SummarySentence(inner, [Span("a1f0", *_span(TEXT_A, inner))]))
    html = render_html(report)
    start = TEXT_A.index(inner)
    assert html.count(f'id="art-a1f0-{start}"') == 1
    assert html.count('id="art-a1f0-0"') == 1
    assert html.count("<mark") == html.count("</mark>")


def test_html_timeline_lists_undated_events_aside() -> None:
    report = _report()
    report.events.append(Event("ev2", "Pier inspection planned", ["b2e9"], DateRange(None, None)))
    report.stories[0].events.append("ev2")
    html = render_html(report)
    assert 'class="undated"' in html and "Pier inspection planned" in html


def test_write_report_writes_three_files(tmp_path: Path) -> None:
    paths = write_report(_report(), tmp_path / "out")
    assert sorted(p.name for p in paths) == ["report.html", "report.json", "report.md"]
    assert all(p.is_file() and p.stat().st_size > 0 for p in paths)
    data = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert data["generated"] == "2024-05-11T09:00:00+00:00"


def test_write_report_refuses_bad_citations(tmp_path: Path) -> None:
    report = _report()
    quote = report.events[0].quotes[0]
    quote.span = replace(quote.span, end=quote.span.end + 1)
    with pytest.raises(CitationError):
        write_report(report, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_terminal_shows_event_and_speakers() -> None:
    report = _report()
    report.events[0].title = "Eastport [bold]council[/bold] approves ferry line"
    console = Console(record=True, width=100, color_system=None)
    render_terminal(report, console)
    out = console.export_text()
    assert "Eastport ferry" in out
    assert "Eastport [bold]council[/bold] approves ferry line" in out  # markup stays inert
    assert "Lena Ortiz" in out and "Tomas Berg" in out
    assert "[1]" in out and "Harbour Herald" in out
    assert max(len(line) for line in out.splitlines()) <= 100


def test_timeline_places_events_by_date_in_separate_lanes() -> None:
    def event(eid: str, start: str | None, end: str | None) -> Event:
        return Event(eid, eid, [], DateRange(start, end, "day"))

    events = [
        event("late", "2024-06-10", "2024-06-10"),
        event("early", "2024-06-01", "2024-06-03"),
        event("same-day", "2024-06-01", None),
        event("unknown", None, None),
    ]
    picture = timeline(events)
    marks = {m.title: m for m in picture.marks}
    assert marks["early"].x1 < marks["early"].x2 < marks["late"].x1
    assert marks["early"].x1 == marks["same-day"].x1
    assert marks["early"].y != marks["same-day"].y  # stacked, not drawn on top of each other
    assert picture.undated == [(4, "unknown")]
    assert picture.ticks[0][1] == "2024-06-01" and picture.ticks[-1][1] == "2024-06-10"
    assert timeline([event("u", None, None)]).marks == []


@pytest.mark.parametrize(
    ("when", "label"),
    [
        (None, "undated"),
        (DateRange("2024-05-16", "2024-05-16", "day"), "2024-05-16"),
        (DateRange("2023-10-17", "2023-10-18", "range"), "2023-10-17 – 2023-10-18"),
        (DateRange("2024-01-01", None, "range"), "2024 or later"),
        (DateRange("2024-03-11", None, "range"), "2024-03-11 or later"),
        (DateRange("2024-05-01", "2024-05-31", "range"), "2024-05"),
        (DateRange("2024-01-01", "2024-12-31", "range"), "2024"),
        (DateRange("2023-01-01", "2024-12-31", "range"), "2023 – 2024"),
        (DateRange("2024-05-01", "2024-05-20", "range"), "2024-05-01 – 2024-05-20"),
        (DateRange("2024-01-01", "2024-01-01", "day"), "2024-01-01"),
        (DateRange(None, "2023-12-31", "range"), "by 2023"),
        (DateRange(None, "2023-11-13", "range"), "by 2023-11-13"),
    ],
)
def test_date_labels_say_what_is_known(when: DateRange | None, label: str) -> None:
    assert date_label(when) == label


def test_write_report_refuses_a_finding_with_an_invented_figure(tmp_path: Path) -> None:
    report = _report()
    cost = "The project will cost about $12 million."
    claim = Claim(Span("a1f0", *_span(TEXT_A, cost)), cost, "quantity", "Harbour Herald",
                  value=1.2e7, value_text="$12 million", unit="USD")  # fmt: skip
    report.events[0].findings = [Finding("unique", "The ferry costs $12 million.", [claim])]
    write_report(report, tmp_path / "ok")  # the honest figure passes
    report.events[0].findings[0].statement = "The ferry costs $15 million."
    with pytest.raises(CitationError, match=r"event ev1 finding 1: .*'\$?15 million'"):
        write_report(report, tmp_path / "bad")
    assert not (tmp_path / "bad").exists()
