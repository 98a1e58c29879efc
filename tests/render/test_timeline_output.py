"""A storyline's timeline as every report format shows it: dated lines cited with the
report's shared numbers, the days on the HTML axis, the JSON form, the store's round trip
and the verifier's check of every timeline sentence."""

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
    Article,
    CitedQuote,
    DateRange,
    Event,
    Membership,
    Report,
    Span,
    Story,
    SummarySentence,
    TimelineEntry,
)
from storyline.render.html import CitationIndex, day_anchors, timeline
from storyline.render.report import (
    SCHEMA_VERSION,
    render_html,
    render_markdown,
    render_terminal,
    report_json,
    verify_citations,
)
from storyline.render.timeline import SVG_MARGIN, SVG_WIDTH, DayMark
from storyline.store import Store
from tests.conftest import ROOT

SCHEMA_PATH = ROOT / "docs" / "report.schema.json"

# Invented text, written for these tests.
TEXT_A = (
    "Millbrook closes the Tanner Bridge\n\n"
    "Engineers closed the Tanner Bridge in Millbrook on Monday after a flood gauge showed "
    "the river two metres above normal. Traffic was sent over the northern ring road. "
    '"We will not reopen it until divers inspect the piers," said town engineer Priya Nand.'
)
TEXT_B = (
    "Divers inspected the piers of the Tanner Bridge on Wednesday, and found a cracked "
    "footing on the east side. A notice on the council site briefly showed "
    "<script>alert('x')</script> in place of the repair schedule. The repair crew, "
    "contractors say, will need a week."
)
TEXT_C = (
    "The Tanner Bridge reopened to cars on Monday, a week after signs called it "
    '"closed until further notice". Lorries stay on the ring road until a load test in April.'
)
A1 = (
    "Engineers closed the Tanner Bridge in Millbrook on Monday after a flood gauge showed "
    "the river two metres above normal."
)
B1 = (
    "Divers inspected the piers of the Tanner Bridge on Wednesday, and found a cracked "
    "footing on the east side."
)
B2 = (
    "A notice on the council site briefly showed <script>alert('x')</script> in place of "
    "the repair schedule."
)
C1 = (
    "The Tanner Bridge reopened to cars on Monday, a week after signs called it "
    '"closed until further notice".'
)
QUOTE = "We will not reopen it until divers inspect the piers,"
DAYS = ["2024-03-04", "2024-03-06", "2024-03-11"]


def cite(article: Article, piece: str) -> Span:
    """Return the citation of piece, which must be written in the article."""
    start = article.text.index(piece)
    return Span(article.id, start, start + len(piece))


def timeline_report() -> Report:
    """Return a small honest report: three articles, two events, one storyline whose
    timeline has three days (given out of date order) citing five distinct spans."""
    a = Article(
        "a-river1",
        "ledger/flood.html",
        TEXT_A,
        "Millbrook closes the Tanner Bridge",
        "Valley Ledger",
        "https://ledger.example/flood-gauge",
        published="2024-03-04",
        date=DateRange("2024-03-04", "2024-03-04", "given"),
    )
    b = Article(
        "b-river2",
        "feeds/post.xml#3",
        TEXT_B,
        None,
        "Millbrook Post",
        published="2024-03-06",
        date=DateRange("2024-03-06", "2024-03-06", "given"),
    )
    c = Article(
        "c-river3",
        "ledger/open.html",
        TEXT_C,
        "Tanner Bridge reopens",
        "Valley Ledger",
        "https://ledger.example/bridge-reopens?a=1&b=(2)",
        published="2024-03-11",
        date=DateRange("2024-03-11", "2024-03-11", "given"),
    )
    qs = TEXT_A.index(QUOTE)
    closed = Event(
        "ev-close",
        "Tanner Bridge closed for inspection",
        [a.id, b.id],
        DateRange("2024-03-04", "2024-03-06", "range"),
        evidence=[Membership(a.id, 0.6, ["Tanner Bridge"]), Membership(b.id, 0.6)],
        sources=["Valley Ledger", "Millbrook Post"],
        summary=[SummarySentence(A1, [cite(a, A1)])],
        quotes=[CitedQuote(QUOTE, "Priya Nand", Span(a.id, qs, qs + len(QUOTE)))],
    )
    reopened = Event(
        "ev-open",
        "Tanner Bridge reopens",
        [c.id],
        DateRange("2024-03-11", "2024-03-11", "day"),
        [Membership(c.id, 1.0)],
        sources=["Valley Ledger"],
        summary=[SummarySentence(C1, [cite(c, C1)])],
    )
    story = Story(
        "st-bridge",
        "Tanner Bridge closure",
        [closed.id, reopened.id],
        ["Millbrook"],
        timeline=[
            TimelineEntry(
                "2024-03-06",
                [SummarySentence(B1, [cite(b, B1)]), SummarySentence(B2, [cite(b, B2)])],
                [closed.id],
            ),
            TimelineEntry("2024-03-04", [SummarySentence(A1, [cite(a, A1)])], [closed.id]),
            TimelineEntry(
                "2024-03-11", [SummarySentence(C1, [cite(c, C1), cite(c, TEXT_C)])], [reopened.id]
            ),
        ],
    )
    return Report([a, b, c], [closed, reopened], [story], generated="2024-03-12T08:00:00+00:00")


# the shared numbers: the timeline's spans first, day by day, then the events' new ones
NUMBERS = {("a", A1): 1, ("b", B1): 2, ("b", B2): 3, ("c", C1): 4, ("c", TEXT_C): 5}


def test_citation_index_numbers_the_timeline_first_and_shares_numbers() -> None:
    report = timeline_report()
    index = CitationIndex(report)
    texts = {"a": TEXT_A, "b": TEXT_B, "c": TEXT_C}
    ids = {a.id[0]: a.id for a in report.articles}
    for (letter, piece), number in NUMBERS.items():
        start = texts[letter].index(piece)
        assert index.number(Span(ids[letter], start, start + len(piece))) == number
    quote_start = TEXT_A.index(QUOTE)
    assert index.number(Span("a-river1", quote_start, quote_start + len(QUOTE))) == 6
    assert [n for n, _ in index.for_timeline(report.stories[0])] == [1, 2, 3, 4, 5]


def test_markdown_shows_dated_lines_in_order_with_shared_footnotes() -> None:
    md = render_markdown(timeline_report())
    lines = [ln for ln in md.splitlines() if re.match(r"- \*\*\d{4}-\d\d-\d\d\*\* — ", ln)]
    assert [ln[4:14] for ln in lines] == DAYS
    assert lines[0] == f"- **2024-03-04** — {A1}[^1]"
    assert lines[1].endswith(
        r"\<script\>alert('x')\</script\> in place of the repair schedule.[^3]"
    )
    assert "east side.[^2] A notice" in lines[1]
    assert lines[2].endswith('further notice".[^4][^5]')
    # the timeline comes before the events, and the event's summary reuses number 1
    assert md.index("### Timeline") < md.index("### Tanner Bridge closed for inspection")
    assert f"\n{A1}[^1]\n" in md
    defined = re.findall(r"^\[\^(\d+)\]:", md, re.M)
    assert sorted(map(int, defined)) == [1, 2, 3, 4, 5, 6]  # each defined once
    assert "<script>" not in md


def test_terminal_shows_dated_lines_with_citation_numbers() -> None:
    console = Console(record=True, width=400, color_system=None)
    render_terminal(timeline_report(), console)
    out = console.export_text()
    lines = [ln for ln in out.splitlines() if re.match(r"\d{4}-\d\d-\d\d — ", ln)]
    assert [ln[:10] for ln in lines] == DAYS
    assert lines[0] == f"2024-03-04 — {A1} [1]"
    assert f"{B1} [2] {B2} [3]" in lines[1]
    assert lines[2].endswith(f"{C1} [4][5]")
    assert out.index("Timeline") < out.index("Tanner Bridge closed for inspection")
    assert "[5] Tanner Bridge reopens, Valley Ledger" in out


def test_html_lists_dated_lines_and_puts_the_days_on_the_axis() -> None:
    html = render_html(timeline_report())
    items = re.findall(r'<li id="(day-st-bridge-[\d-]+)"><time datetime="([\d-]+)">', html)
    assert [day for _, day in items] == DAYS
    marks = re.findall(r'<a href="#(day-st-bridge-[\d-]+)" class="daymark">', html)
    assert marks == [anchor for anchor, _ in items]  # every axis mark links to its line
    svg = html[html.index('<svg class="timeline"') : html.index("</svg>")]
    assert all(f">{day}</text>" in svg for day in DAYS)  # each mark labelled by its date
    b = TEXT_B.index(B2)
    line = html[html.index('id="day-st-bridge-2024-03-06"') :].split("</li>", 1)[0]
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in line
    assert f'href="#art-b-river2-{b}"' in line and "Millbrook Post, characters" in line
    assert line.endswith(">[3]</a></sup>")
    assert "<script" not in html
    assert not re.search(r"""\b(src|href)\s*=\s*["']?\s*(javascript:|//)""", html)


def _lines(*days: str) -> list[tuple[TimelineEntry, str]]:
    """Return timeline lines for days (one sentence each), anchored as "d-<day>"."""
    said = SummarySentence(A1, [Span("a-river1", 0, 1)])
    return [(TimelineEntry(day, [said]), f"d-{day}") for day in days]


def test_axis_places_days_by_date_and_keeps_their_labels_apart() -> None:
    events = timeline_report().events
    picture = timeline(events, _lines("2024-03-05", "2024-03-04", "2024-03-11"))
    xs = {m.date: m.x for m in picture.days}
    assert xs["2024-03-04"] < xs["2024-03-05"] < xs["2024-03-11"]
    assert xs["2024-03-04"] == picture.marks[0].x1  # the same day as the first event
    assert [m.anchor for m in picture.days] == ["d-2024-03-04", "d-2024-03-05", "d-2024-03-11"]
    # a day apart on a week's axis: room for both labels in one row
    assert len({m.label_y for m in picture.days}) == 1
    # a day apart on a two months' axis: too close, so the later label drops a row
    wide = timeline(events, _lines("2024-03-04", "2024-03-05", "2024-03-11", "2024-04-30"))
    rows = {m.date: m.label_y for m in wide.days}
    assert rows["2024-03-04"] < rows["2024-03-05"]
    assert rows["2024-03-04"] == rows["2024-04-30"]
    assert all(m.label_y < wide.height for m in wide.days)
    assert all(m.label_x - len(m.label) * 2.8 > 0 for m in wide.days)  # labels stay inside
    # days alone still make a picture; a day past the events widens the axis
    alone = timeline([], _lines("2024-03-04", "2024-03-20"))
    assert alone.height > 0 and alone.ticks[-1][0] == alone.days[-1].x
    widened = timeline(events, _lines("2024-04-01"))
    assert widened.ticks[-1][0] == widened.days[0].x > widened.marks[-1].x1
    # the tick under a day's mark leaves its label to the day's own; others keep theirs
    assert widened.ticks[-1][1] == "" and widened.ticks[0][1] == "2024-03-04"


def test_a_line_standing_for_a_range_shows_the_range() -> None:
    report = timeline_report()
    story = report.stories[0]
    # an event known only to a range: its line is dated by the range's first day
    ranged = TimelineEntry(
        "2024-03-04",
        [SummarySentence(B1, [cite(report.articles[1], B1)])],
        ["ev-close"],
        DateRange("2024-03-04", "2024-03-06", "range"),
    )
    story.timeline.append(ranged)
    verify_citations(report)
    label = "2024-03-04 – 2024-03-06"
    md = render_markdown(report)
    dated = [ln for ln in md.splitlines() if ln.startswith("- **2024-03-04")]
    assert [ln.split("**")[1] for ln in dated] == ["2024-03-04", label]  # the day first
    html = render_html(report)
    assert f'<li id="day-st-bridge-2024-03-04-2"><time datetime="2024-03-04">{label}</time>' in html
    assert 'href="#day-st-bridge-2024-03-04-2"' in html and 'class="dayrange"' in html
    [mark] = [m for m in _picture_days(report) if m.label == label]
    assert mark.x1 < mark.x2
    data = json.loads(json.dumps(report_json(report)))
    jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text("utf-8"))).validate(data)
    assert Story.from_dict(data["stories"][0]) == story


def test_a_year_known_only_as_a_year_is_a_band_on_the_axis() -> None:
    report = timeline_report()
    year = DateRange("2024-01-01", None, "range")
    said = SummarySentence(C1, [cite(report.articles[2], C1)])
    lines = [(TimelineEntry("2024-01-01", [said], [], year), "d-year")]
    event = replace(report.events[0], date=year)
    picture = timeline([event], lines)
    [mark] = picture.days
    assert mark.label == "2024 or later"
    assert mark.x2 - mark.x1 > 0.9 * (SVG_WIDTH - 2 * SVG_MARGIN)  # the whole year, not 1 Jan
    assert picture.marks[0].x2 > picture.marks[0].x1  # the event is a bar too
    assert picture.ticks[-1][1] == "2024-12-31"


def _picture_days(report: Report) -> list[DayMark]:
    story = report.stories[0]
    return timeline(report.events, day_anchors(story)).days


def test_json_holds_the_timeline_and_validates() -> None:
    report = timeline_report()
    data = json.loads(json.dumps(report_json(report)))
    assert data["schema_version"] == SCHEMA_VERSION == "1.2"
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(data)
    first = data["stories"][0]["timeline"][1]
    b = TEXT_B.index(B1)
    assert first == {
        "date": "2024-03-04",
        "sentences": [
            {
                "text": A1,
                "citations": [
                    {
                        "article": "a-river1",
                        "start": TEXT_A.index(A1),
                        "end": TEXT_A.index(A1) + len(A1),
                    }
                ],
            }
        ],
        "events": ["ev-close"],
        "when": None,
    }
    assert data["stories"][0]["timeline"][0]["sentences"][0]["citations"][0]["start"] == b
    assert Story.from_dict(data["stories"][0]) == report.stories[0]
    del data["stories"][0]["timeline"][0]["date"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(data)


def test_store_keeps_the_timeline(tmp_path: Path) -> None:
    report = timeline_report()
    store = Store(str(tmp_path / "t.db"))
    store.add_articles(report.articles)
    store.replace_events(report.events, report.stories)
    [story] = store.stories()
    assert story == report.stories[0]
    assert story.timeline[2].sentences[0].citations[1] == Span("c-river3", 0, len(TEXT_C))
    # a story stored before timelines existed loads with none
    old = {"id": "s0", "title": "Old", "events": [], "participants": [], "series": []}
    assert Story.from_dict(old).timeline == []


def test_verifier_accepts_an_honest_timeline() -> None:
    verify_citations(timeline_report())


def test_verifier_names_a_shifted_timeline_span() -> None:
    report = timeline_report()
    entry = report.stories[0].timeline[0]  # 2024-03-06
    c = entry.sentences[1].citations[0]
    entry.sentences[1].citations[0] = Span(c.article, c.start + 4, c.end + 4)
    with pytest.raises(
        CitationError, match=r"story st-bridge timeline 2024-03-06 sentence 2 citation 1 .*not in"
    ):
        verify_citations(report)


def test_verifier_names_altered_text_and_a_span_past_the_end() -> None:
    report = timeline_report()
    report.stories[0].timeline[1].sentences[0].text = A1.replace("two metres", "three metres")
    with pytest.raises(CitationError, match=r"story st-bridge timeline 2024-03-04 sentence 1 "):
        verify_citations(report)
    report = timeline_report()
    report.stories[0].timeline[2].sentences[0].citations[1] = Span("c-river3", 0, 10_000)
    with pytest.raises(CitationError, match=r"timeline 2024-03-11 sentence 1 citation 2.*outside"):
        verify_citations(report)
    report = timeline_report()
    report.stories[0].timeline[2].sentences[0].citations = []
    with pytest.raises(CitationError, match=r"timeline 2024-03-11 sentence 1 .*cites nothing"):
        verify_citations(report)
