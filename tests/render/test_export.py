"""Timeline exports as a journalist's tools would read them: TimelineJS JSON, CSV parsed back
with the csv module, the standalone Markdown document, the files write_report adds, and
`storyline export` on a store."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline.cli import app
from storyline.errors import StorylineError
from storyline.models import DateRange, Report, Story, SummarySentence, TimelineEntry
from storyline.render.export import (
    CSV_FIELDS,
    export_text,
    timeline_csv,
    timeline_markdown,
    timelinejs,
)
from storyline.render.report import write_report
from storyline.store import Store

from .test_timeline_output import A1, B1, B2, C1, DAYS, TEXT_A, TEXT_C, cite, timeline_report

LEDGER_A = "https://ledger.example/flood-gauge"


def _squash(text: str) -> str:
    return " ".join(text.split())


def _second_story(report: Report) -> Story:
    """Return another storyline with a one-day timeline, added to the report."""
    a = report.articles[0]
    quote = "Traffic was sent over the northern ring road."
    story = Story(
        "st-road",
        "Ring road traffic",
        ["ev-close"],
        timeline=[TimelineEntry("2024-03-05", [SummarySentence(quote, [cite(a, quote)])])],
    )
    report.stories.append(story)
    return story


def test_timelinejs_has_one_slide_per_day_in_date_order() -> None:
    report = timeline_report()
    data = json.loads(export_text(report, "timelinejs"))
    assert [e["start_date"] for e in data["events"]] == [
        {"year": 2024, "month": 3, "day": 4},
        {"year": 2024, "month": 3, "day": 6},
        {"year": 2024, "month": 3, "day": 11},
    ]
    assert [e["unique_id"] for e in data["events"]] == [f"st-bridge-{d}" for d in DAYS]
    assert data["title"]["text"]["headline"] == "Tanner Bridge closure"
    assert (
        "3 dated lines, 2024-03-04 to 2024-03-11, from 3 articles by 2 outlets"
        in (data["title"]["text"]["text"])
    )
    first, second, third = data["events"]
    assert first["text"]["headline"] == "Tanner Bridge closed for inspection"  # its event
    assert third["text"]["headline"] == "Tanner Bridge reopens"
    # each sentence with its outlet, linked to the article when its URL is known
    assert first["text"]["text"] == (
        f'<p>{A1} <small>— <a href="{LEDGER_A}" target="_blank" '
        'rel="noopener noreferrer">Valley Ledger</a></small></p>'
    )
    assert f"<p>{B1} <small>— Millbrook Post</small></p>" in second["text"]["text"]
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in second["text"]["text"]
    assert "<script" not in json.dumps(data)
    assert "reopens?a=1&amp;b=(2)" in third["text"]["text"]  # the URL escaped in its href
    assert third["text"]["text"].count("Valley Ledger</a>") == 2  # two spans cited
    assert all("end_date" not in e and "display_date" not in e for e in data["events"])


def test_timelinejs_gives_a_range_its_end_and_label() -> None:
    report = timeline_report()
    b = report.articles[1]
    report.stories[0].timeline.append(
        TimelineEntry(
            "2024-03-04",
            [SummarySentence(B1, [cite(b, B1)])],
            [],
            DateRange("2024-03-04", "2024-03-06", "range"),
        )
    )
    report.stories[0].timeline.append(
        TimelineEntry(
            "2024-03-11",
            [SummarySentence(C1, [cite(report.articles[2], C1)])],
            [],
            DateRange("2024-03-11", None, "range"),
        )
    )
    slides = timelinejs(report, report.stories[0])["events"]
    assert [s["unique_id"] for s in slides] == [
        "st-bridge-2024-03-04",
        "st-bridge-2024-03-04-2",
        "st-bridge-2024-03-06",
        "st-bridge-2024-03-11",
        "st-bridge-2024-03-11-2",
    ]
    assert slides[1]["end_date"] == {"year": 2024, "month": 3, "day": 6}
    assert slides[1]["display_date"] == "2024-03-04 – 2024-03-06"
    assert slides[4]["display_date"] == "2024-03-11 or later" and "end_date" not in slides[4]
    assert slides[1]["text"]["headline"] == " ".join(B1.split()[:12]) + " …"  # no event


def test_csv_rows_parse_back_and_quote_the_article_text() -> None:
    report = timeline_report()
    text = timeline_csv(report)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    assert tuple(reader.fieldnames or ()) == CSV_FIELDS
    rows = list(reader)
    assert [(r["start"], r["sentence"]) for r in rows] == [
        (DAYS[0], A1),
        (DAYS[1], B1),
        (DAYS[1], B2),
        (DAYS[2], C1),
        (DAYS[2], C1),
    ]
    texts = {a.id: a.text for a in report.articles}
    for row in rows:
        cited = texts[row["article_id"]][int(row["char_start"]) : int(row["char_end"])]
        assert _squash(row["sentence"]) in _squash(cited)
        assert row["story_id"] == "st-bridge" and row["story_title"] == "Tanner Bridge closure"
        assert row["date_label"] == row["start"] == row["end"]
    assert rows[0]["source"] == "Valley Ledger" and rows[0]["url"] == LEDGER_A
    assert rows[1]["source"] == "Millbrook Post" and rows[1]["url"] == ""
    assert (int(rows[4]["char_start"]), int(rows[4]["char_end"])) == (0, len(TEXT_C))
    assert (
        '"The Tanner Bridge reopened to cars on Monday, a week after signs called it ""closed'
        in (text)
    )  # a sentence with commas and quotes is one quoted field


def _year_only(report: Report) -> None:
    """Add a line standing for an event known only as "2024 or later" to the report."""
    report.stories[0].timeline.append(
        TimelineEntry(
            "2024-01-01",
            [SummarySentence(C1, [cite(report.articles[2], C1)])],
            [],
            DateRange("2024-01-01", None, "range"),
        )
    )


def test_a_year_known_only_as_a_year_is_never_written_as_a_day() -> None:
    report = timeline_report()
    _year_only(report)
    [row] = [r for r in csv.DictReader(io.StringIO(timeline_csv(report))) if r["end"] == ""]
    assert (row["start"], row["end"], row["date_label"]) == ("2024", "", "2024 or later")
    [slide] = [s for s in timelinejs(report, report.stories[0])["events"] if "display_date" in s]
    assert slide["start_date"] == {"year": 2024} and "end_date" not in slide
    assert slide["display_date"] == "2024 or later"
    assert "- **2024 or later** — " in timeline_markdown(report)
    assert "2024-01-01" not in timeline_markdown(report)


def test_a_month_range_is_written_as_months() -> None:
    report = timeline_report()
    report.stories[0].timeline.append(
        TimelineEntry(
            "2024-02-01",
            [SummarySentence(C1, [cite(report.articles[2], C1)])],
            [],
            DateRange("2024-02-01", "2024-03-31", "range"),
        )
    )
    [row] = [r for r in csv.DictReader(io.StringIO(timeline_csv(report))) if r["end"] != r["start"]]
    assert (row["start"], row["end"], row["date_label"]) == (
        "2024-02",
        "2024-03",
        "2024-02 – 2024-03",
    )
    [slide] = [s for s in timelinejs(report, report.stories[0])["events"] if "display_date" in s]
    assert slide["start_date"] == {"year": 2024, "month": 2}
    assert slide["end_date"] == {"year": 2024, "month": 3}


def test_markdown_document_lists_days_with_footnoted_sources() -> None:
    report = timeline_report()
    _second_story(report)
    md = timeline_markdown(report)
    assert md.startswith("# Timelines\n\nGenerated 2024-03-12T08:00:00+00:00 · 2 storylines\n")
    assert md.index("## Tanner Bridge closure") < md.index("## Ring road traffic")
    dated = re.findall(r"^- \*\*([\d-]+)\*\* — (.*)$", md, re.M)
    assert [d for d, _ in dated] == [*DAYS, "2024-03-05"]
    assert dated[0][1] == f"{A1}[^1]"
    assert dated[1][1].endswith(
        r"\<script\>alert('x')\</script\> in place of the repair schedule.[^3]"
    )
    assert dated[2][1].endswith("[^4][^5]")
    assert dated[3][1] == "Traffic was sent over the northern ring road.[^6]"
    notes = dict(re.findall(r"^\[\^(\d+)\]: (.*)$", md, re.M))
    assert sorted(map(int, notes)) == [1, 2, 3, 4, 5, 6]
    start = TEXT_A.index(A1)
    assert notes["1"] == (
        f"Valley Ledger, “[Millbrook closes the Tanner Bridge]({LEDGER_A})”, "
        f"characters {start}–{start + len(A1)} of article `a-river1`"
    )
    assert notes["2"].startswith("Millbrook Post, “Divers inspected") and "](" not in notes["2"]
    assert "(https://ledger.example/bridge-reopens?a=1&b=%282%29)" in notes["4"]
    one = timeline_markdown(report, "st-road")
    assert one.startswith("# Timeline\n") and "## Tanner" not in one and "ring road.[^1]" in one


def test_choosing_a_storyline_and_saying_why_nothing_can_be_exported() -> None:
    report = timeline_report()
    _second_story(report)
    with pytest.raises(StorylineError, match=r"2 storylines have a timeline.*st-bridge, st-road"):
        export_text(report, "timelinejs")
    assert json.loads(export_text(report, "timelinejs", "st-road"))["events"][0]["unique_id"] == (
        "st-road-2024-03-05"
    )
    with pytest.raises(StorylineError, match=r"no storyline 'nope' .*st-bridge, st-road"):
        export_text(report, "csv", "nope")
    report.stories[1].timeline = []
    with pytest.raises(StorylineError, match="storyline st-road has no timeline"):
        export_text(report, "markdown", "st-road")
    with pytest.raises(StorylineError, match="no storylines"):
        export_text(Report([], [], []), "csv")
    with pytest.raises(StorylineError, match="unknown export format"):
        export_text(report, "xlsx")


def test_write_report_adds_the_timeline_files(tmp_path: Path) -> None:
    report = timeline_report()
    paths = write_report(report, tmp_path / "out")
    assert sorted(p.name for p in paths) == [
        "report.html",
        "report.json",
        "report.md",
        "timeline.csv",
        "timeline.md",
        "timelinejs-st-bridge.json",
    ]
    out = tmp_path / "out"
    with (out / "timeline.csv").open(encoding="utf-8", newline="") as fh:
        assert len(list(csv.DictReader(fh))) == 5
    assert (out / "timeline.csv").read_bytes().count(b"\r\n") == 6
    data = json.loads((out / "timelinejs-st-bridge.json").read_text(encoding="utf-8"))
    assert len(data["events"]) == 3
    assert (out / "timeline.md").read_text(encoding="utf-8") == timeline_markdown(report)


def _stored(tmp_path: Path, report: Report) -> str:
    db = str(tmp_path / "t.db")
    store = Store(db)
    store.add_articles(report.articles)
    store.replace_events(report.events, report.stories)
    store.close()
    return db


def test_cli_export_writes_each_format(tmp_path: Path) -> None:
    runner = CliRunner()
    db = _stored(tmp_path, timeline_report())
    result = runner.invoke(app, ["export", "--db", db, "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    assert [r["start"] for r in rows] == [DAYS[0], DAYS[1], DAYS[1], DAYS[2], DAYS[2]]
    target = tmp_path / "tl.json"
    result = runner.invoke(
        app,
        ["export", "--db", db, "--format", "timelinejs", "--story", "st-bridge", "-o", str(target)],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(target.read_text(encoding="utf-8"))
    assert [e["start_date"]["day"] for e in data["events"]] == [4, 6, 11]
    result = runner.invoke(app, ["export", "--db", db, "--format", "markdown"])
    assert result.exit_code == 0 and f"- **2024-03-04** — {A1}[^1]" in result.stdout


def test_cli_export_fails_in_one_line(tmp_path: Path) -> None:
    runner = CliRunner()
    db = _stored(tmp_path, timeline_report())
    result = runner.invoke(app, ["export", "--db", db, "--format", "csv", "--story", "nope"])
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        "error: no storyline 'nope' in the report (storylines: st-bridge)"
    ]
    Store(str(tmp_path / "e.db")).close()  # a store with nothing built in it
    empty = runner.invoke(app, ["export", "--db", str(tmp_path / "e.db"), "--format", "csv"])
    assert empty.exit_code == 1 and "no storylines" in empty.stderr
    assert len(empty.stderr.strip().splitlines()) == 1
    bad = runner.invoke(app, ["export", "--db", db, "--format", "pdf"])
    assert bad.exit_code == 2
