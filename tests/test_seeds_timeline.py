"""The seeds' summaries and timeline as a reader sees them: an event's summary leads with its
happening, a timeline line is about the day it is dated to, and a date known only to a year
is a year in every format (end to end, on ../shared/seeds; skipped where it is absent).

Assertions name short words and names, never the seeds' sentences."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from storyline.models import Article, Event, Report, iso_day
from storyline.render.export import timeline_csv, timelinejs
from storyline.render.html import day_anchors, timeline
from storyline.stages.summarize import looks_ahead

pytestmark = pytest.mark.slow  # models, subprocesses or servers: not in `make quick`


def _event_of(report: Report, number: str) -> Event:
    """Return the event holding the article read from seed file NNN_*.txt."""
    [aid] = [a.id for a in report.articles if Path(a.ref).name.startswith(number + "_")]
    [event] = [e for e in report.events if aid in e.articles]
    return event


def _named_days(article: Article, start: int, end: int) -> set[str]:
    """Return the days the dates and times inside a span of an article resolve to."""
    notes = article.annotations
    assert notes is not None
    return {
        t.value[:10]
        for t in notes.timexes
        if start <= t.start < end and t.value and iso_day(t.value) is not None
    }


def test_the_state_visit_summary_leads_with_the_talks(seeds: Report) -> None:
    visit = _event_of(seeds, "003")
    lead = visit.summary[0].text
    assert "Putin" in lead and "Xi" in lead
    assert "talks" in lead or "visit" in lead
    assert "heels" not in lead and "tour" not in lead  # not the background of Xi's travels
    assert not looks_ahead(lead)


def test_the_forum_summary_leads_with_its_happening(seeds: Report) -> None:
    forum = _event_of(seeds, "001")
    lead = forum.summary[0].text
    assert "Putin" in lead and not looks_ahead(lead)


def test_every_timeline_line_names_the_day_it_is_dated_to(seeds: Report) -> None:
    [story] = seeds.stories
    articles = {a.id: a for a in seeds.articles}
    days = [entry for entry in story.timeline if entry.sentences and entry.when is None]
    assert {entry.date for entry in days} >= {"2023-10-17", "2023-10-18"}
    for entry in days:
        for sentence in entry.sentences:
            named = set().union(
                *(_named_days(articles[c.article], c.start, c.end) for c in sentence.citations)
            )
            assert entry.date in named, (entry.date, named)
    # no line on the day before the forum unless it is about that day (checked above), and
    # none that only looks ahead where something reports the day
    assert all(not looks_ahead(s.text) for e in days if e.date < "2023-10-18" for s in e.sentences)


def test_the_state_visit_is_2024_or_later_in_every_format(seeds: Report) -> None:
    [story] = seeds.stories
    visit = _event_of(seeds, "003")
    [line] = [entry for entry in story.timeline if visit.id in entry.events]
    assert line.when is not None
    # CSV: a year, not 1 January
    rows = [r for r in csv.DictReader(io.StringIO(timeline_csv(seeds))) if r["start"][:4] == "2024"]
    assert rows and all((r["start"], r["end"]) == ("2024", "") for r in rows)
    assert all(r["date_label"] == "2024 or later" for r in rows)
    assert "2024-01-01" not in timeline_csv(seeds)
    # TimelineJS: a year-only date
    [slide] = [s for s in timelinejs(seeds, story)["events"] if s["start_date"]["year"] == 2024]
    assert slide["start_date"] == {"year": 2024} and slide["display_date"] == "2024 or later"
    # the axis: a band over the year, not a point
    picture = timeline([e for e in seeds.events if e.id in story.events], day_anchors(story))
    [mark] = [m for m in picture.days if m.label == "2024 or later"]
    assert mark.x2 - mark.x1 > 100
    # its line is the event's lead, the talks
    assert line.sentences[0].text == visit.summary[0].text
