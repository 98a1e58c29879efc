"""Storylines' timelines for other tools: TimelineJS JSON (Knight Lab's format for
newsroom timelines), CSV (one row per cited timeline sentence) and a standalone Markdown
document with footnoted sources.

Each export is a pure function of a ``Report`` (the ``write_*`` helpers save them). The
caller checks the report first (``verify.verify_citations``): an export repeats the
report's sentences and spans, it does not re-check them.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from storyline.errors import StorylineError
from storyline.models import (
    Article,
    Report,
    Span,
    Story,
    SummarySentence,
    TimelineEntry,
    source_name,
)
from storyline.render.html import (
    article_link,
    display_title,
    line_label,
    md_inline,
    plural,
    timeline_days,
)
from storyline.render.timeline import line_bounds

__all__ = [
    "CSV_FIELDS",
    "FORMATS",
    "export_text",
    "timeline_csv",
    "timeline_markdown",
    "timeline_rows",
    "timeline_stories",
    "timelinejs",
    "write_exports",
    "write_timeline_csv",
    "write_timeline_markdown",
    "write_timelinejs",
]

FORMATS = ("timelinejs", "csv", "markdown")
CSV_FIELDS = (
    "story_id",
    "story_title",
    # when the line happened, as precisely as known: a day, or for a line standing for a
    # range its first and last bound as a day, a month ('2024-05') or a year ('2024'),
    # '' for an open end; never a made-up day
    "start",
    "end",
    "sentence",
    "article_id",
    "source",
    "url",
    "char_start",  # the cited span in the article's text
    "char_end",
    "date_label",  # the date as the report shows it: the day, or the range a line stands for
)
# A day's TimelineJS headline, when none of its events is in the report, is its first
# sentence cut to this many words: about what fits on one line of a TimelineJS slide.
HEADLINE_WORDS = 12

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_UNSAFE_IN_FILENAME = re.compile(r"[^\w.-]")


@dataclass(frozen=True)
class _Source:
    """Where one citation of a timeline sentence comes from, as a reader needs it."""

    key: Span
    outlet: str
    title: str
    url: str | None


def _source(articles: dict[str, Article], key: Span) -> _Source:
    """Return the outlet, title and web link of a cited span's article."""
    article = articles.get(key.article)
    if article is None:
        return _Source(key, f"unknown article {key.article}", key.article, None)
    return _Source(key, source_name(article), display_title(article), article_link(article))


def _keys(sentence: SummarySentence) -> list[Span]:
    """Return the spans a sentence cites, without repeats."""
    return list(dict.fromkeys(sentence.citations))


# ---- which storylines -------------------------------------------------------


def timeline_stories(report: Report, story_id: str | None = None) -> list[Story]:
    """Return the storylines to export: the one named by story_id, else every one with a
    timeline; raise StorylineError when there is none to export."""
    if story_id is None:
        stories = [story for story in report.stories if timeline_days(story)]
        if stories:
            return stories
        if not report.stories:
            raise StorylineError(
                "the report has no storylines: add articles with `storyline run PATH...`"
            )
        raise StorylineError("no storyline has a timeline yet: run `storyline build`")
    for story in report.stories:
        if story.id == story_id:
            if not timeline_days(story):
                raise StorylineError(f"storyline {story_id} has no timeline to export")
            return [story]
    known = ", ".join(story.id for story in report.stories) or "none"
    raise StorylineError(f"no storyline {story_id!r} in the report (storylines: {known})")


# ---- TimelineJS ------------------------------------------------------------


def _date_object(day: str) -> dict[str, int] | None:
    """Return a TimelineJS date object (year, month, day as numbers) for an ISO date,
    as precise as the date is; None when it does not start with a year."""
    m = _DATE.match(day)
    if m is None:
        return None
    parts = zip(("year", "month", "day"), m.groups(), strict=True)
    return {name: int(value) for name, value in parts if value is not None}


def _dates(entry: TimelineEntry) -> dict[str, Any]:
    """Return a slide's dates: its start as precise as known (a year-only date for a line
    known only as "2024 or later"), and for a line standing for a range its last bound and
    the range as the report writes it; nothing when the start has no year."""
    start, end = line_bounds(entry)
    start_date = _date_object(start)
    if start_date is None:
        return {}
    out: dict[str, Any] = {"start_date": start_date}
    label = line_label(entry)
    if label != entry.date:
        out["display_date"] = label
        if end and end != start and (end_date := _date_object(end)) is not None:
            out["end_date"] = end_date
    return out


def _headline(entry: TimelineEntry, titles: dict[str, str]) -> str:
    """Return a day's headline: the titles of its events, else its first sentence cut short."""
    named = list(dict.fromkeys(titles[eid] for eid in entry.events if eid in titles))
    if named:
        return "; ".join(named)
    words = entry.sentences[0].text.split()
    return " ".join(words[:HEADLINE_WORDS]) + (" …" if len(words) > HEADLINE_WORDS else "")


def _cited_by(sources: list[_Source]) -> Markup:
    """Return the outlets of a sentence as HTML, each linked to its article when it can be."""
    parts = [
        Markup('<a href="{}" target="_blank" rel="noopener noreferrer">{}</a>').format(
            s.url, s.outlet
        )
        if s.url
        else escape(s.outlet)
        for s in sources
    ]
    return Markup("; ").join(parts)


def _slide_text(entry: TimelineEntry, articles: dict[str, Article]) -> str:
    """Return a day's sentences as TimelineJS slide HTML, each followed by its sources."""
    paragraphs = [
        Markup("<p>{} <small>— {}</small></p>").format(
            s.text, _cited_by([_source(articles, key) for key in _keys(s)])
        )
        for s in entry.sentences
    ]
    return str(Markup("").join(paragraphs))


def _title_text(story: Story, days: list[TimelineEntry], articles: dict[str, Article]) -> str:
    """Return the title slide's HTML: how many lines, over what span, from how many sources."""
    cited = {key.article for entry in days for s in entry.sentences for key in _keys(s)}
    outlets = {source_name(articles[aid]) for aid in cited if aid in articles}
    span = days[0].date if len(days) == 1 else f"{days[0].date} to {days[-1].date}"
    text = Markup("<p>{}, {}, from {} by {}.</p>").format(
        plural(len(days), "dated line"),
        span,
        plural(len(cited), "article"),
        plural(len(outlets), "outlet"),
    )
    if story.participants:
        text += Markup("<p>Participants: {}</p>").format(", ".join(story.participants))
    return str(text)


def timelinejs(report: Report, story: Story) -> dict[str, Any]:
    """Return one storyline's timeline in TimelineJS JSON format: a title slide and one
    event (slide) per dated line, its text the line's sentences with their outlets,
    HTML-escaped; a line standing for a range gives its end and how to show it. Lines
    whose date does not start with a year cannot be placed and are left out."""
    articles = {a.id: a for a in report.articles}
    titles = {e.id: e.title for e in report.events}
    days = timeline_days(story)
    slides: list[dict[str, Any]] = []
    seen: Counter[str] = Counter()
    for entry in days:
        if not (dates := _dates(entry)):
            continue
        # a unique_id is an HTML id in TimelineJS: two lines on one day need two
        seen[entry.date] += 1
        uid = f"{story.id}-{entry.date}" + (f"-{seen[entry.date]}" if seen[entry.date] > 1 else "")
        text = {"headline": str(escape(_headline(entry, titles)))}
        text["text"] = _slide_text(entry, articles)
        slide = {**dates, "text": text, "unique_id": uid}
        slides.append(slide)
    title = {"headline": str(escape(story.title)), "text": _title_text(story, days, articles)}
    return {"title": {"text": title}, "events": slides}


# ---- CSV --------------------------------------------------------------------


def timeline_rows(report: Report, story_id: str | None = None) -> list[dict[str, str | int]]:
    """Return one row (CSV_FIELDS) per cited span of each timeline sentence, line by line:
    a sentence citing two articles gives two rows, each naming its span. ``start`` and
    ``end`` are the line's day, or the bounds of the range it stands for as precisely as
    they are known; ``date_label`` says it as the report does."""
    articles = {a.id: a for a in report.articles}
    rows: list[dict[str, str | int]] = []
    for story in timeline_stories(report, story_id):
        for entry in timeline_days(story):
            for sentence in entry.sentences:
                for key in _keys(sentence):
                    source = _source(articles, key)
                    values: tuple[str | int, ...] = (story.id, story.title, *line_bounds(entry))
                    values += (
                        sentence.text,
                        key.article,
                        source.outlet,
                        source.url or "",
                        key.start,
                        key.end,
                    )
                    values += (line_label(entry),)
                    rows.append(dict(zip(CSV_FIELDS, values, strict=True)))
    return rows


def timeline_csv(report: Report, story_id: str | None = None) -> str:
    """Return the timeline rows as CSV text with a header (RFC 4180 quoting, CRLF lines)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS)
    writer.writeheader()
    writer.writerows(timeline_rows(report, story_id))
    return buffer.getvalue()


# ---- Markdown ---------------------------------------------------------------


def _md_url(url: str) -> str:
    """Return a URL that can stand inside Markdown's (...) without ending it early."""
    for char, code in ((" ", "%20"), ("(", "%28"), (")", "%29"), ("<", "%3C"), (">", "%3E")):
        url = url.replace(char, code)
    return url


def _md_footnote(number: int, source: _Source) -> str:
    """Return the footnote naming where citation number points: outlet, article, span."""
    key = source.key
    title = md_inline(source.title)
    linked = f"[{title}]({_md_url(source.url)})" if source.url else title
    return (
        f"[^{number}]: {md_inline(source.outlet)}, “{linked}”, "
        f"characters {key.start}–{key.end} of article `{key.article}`"
    )


def _md_story(story: Story, articles: dict[str, Article], numbers: dict[Span, int]) -> list[str]:
    """Return one storyline's part of the document (numbers: citations so far, grows)."""
    days = timeline_days(story)
    lines = ["", f"## {md_inline(story.title)}", ""]
    if story.participants:
        lines += [f"Participants: {md_inline(', '.join(story.participants))}", ""]
    new: list[Span] = []
    for entry in days:
        said = []
        for sentence in entry.sentences:
            marks = ""
            for key in _keys(sentence):
                if key not in numbers:
                    numbers[key] = len(numbers) + 1
                    new.append(key)
                marks += f"[^{numbers[key]}]"
            said.append(md_inline(sentence.text) + marks)
        lines.append(f"- **{md_inline(line_label(entry))}** — {' '.join(said)}")
    return [*lines, "", *(_md_footnote(numbers[k], _source(articles, k)) for k in new)]


def timeline_markdown(report: Report, story_id: str | None = None) -> str:
    """Return a standalone Markdown document of the storylines' timelines: per storyline a
    heading and a dated list, every sentence footnoted with its outlet, article and link.
    Footnotes are numbered from 1 in this document and each is defined once."""
    stories = timeline_stories(report, story_id)
    articles = {a.id: a for a in report.articles}
    heading = "# Timeline" if len(stories) == 1 else "# Timelines"
    meta = plural(len(stories), "storyline")
    lines = [heading, "", f"Generated {report.generated} · {meta}" if report.generated else meta]
    numbers: dict[Span, int] = {}
    for story in stories:
        lines += _md_story(story, articles, numbers)
    return "\n".join(lines) + "\n"


# ---- one entry point, and files ----------------------------------------------


def export_text(report: Report, fmt: str, story_id: str | None = None) -> str:
    """Return the export in format fmt (one of FORMATS) of the storyline story_id, or of
    every storyline with a timeline; a TimelineJS file holds one storyline, so several
    need story_id. Raise StorylineError when there is nothing (or no one thing) to export."""
    if fmt == "csv":
        return timeline_csv(report, story_id)
    if fmt == "markdown":
        return timeline_markdown(report, story_id)
    if fmt != "timelinejs":
        raise StorylineError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    stories = timeline_stories(report, story_id)
    if len(stories) > 1:
        ids = ", ".join(story.id for story in stories)
        raise StorylineError(
            f"{len(stories)} storylines have a timeline and a TimelineJS file holds one: "
            f"pick one with --story ID ({ids})"
        )
    return json.dumps(timelinejs(report, stories[0]), ensure_ascii=False, indent=1) + "\n"


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    # newline="" so the CSV's own CRLF line ends are written as they are
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(text)
    return path


# Up to this many TimelineJS files sit beside the report; more go into their own folder,
# TIMELINEJS_FOLDER, so that a big store's report folder stays readable.
TIMELINEJS_BESIDE = 3
TIMELINEJS_FOLDER = "timelinejs"


def write_timelinejs(report: Report, out_dir: Path) -> list[Path]:
    """Return the paths of timelinejs-<story id>.json, written for each storyline with a
    timeline (none when no storyline has one): to out_dir, or to its TIMELINEJS_FOLDER when
    there are more than TIMELINEJS_BESIDE."""
    stories = [s for s in report.stories if timeline_days(s)]
    folder = out_dir / TIMELINEJS_FOLDER if len(stories) > TIMELINEJS_BESIDE else out_dir
    paths = []
    for story in stories:
        name = f"timelinejs-{_UNSAFE_IN_FILENAME.sub('_', story.id)}.json"
        data = json.dumps(timelinejs(report, story), ensure_ascii=False, indent=1) + "\n"
        paths.append(_write(folder / name, data))
    return paths


def write_timeline_csv(report: Report, path: Path, story_id: str | None = None) -> Path:
    """Return path, after writing the timeline CSV there (UTF-8)."""
    return _write(path, timeline_csv(report, story_id))


def write_timeline_markdown(report: Report, path: Path, story_id: str | None = None) -> Path:
    """Return path, after writing the timeline Markdown document there (UTF-8)."""
    return _write(path, timeline_markdown(report, story_id))


def write_exports(report: Report, out_dir: Path) -> list[Path]:
    """Return the paths of timeline.csv, timeline.md and each storyline's TimelineJS file,
    written to out_dir; none when no storyline has a timeline."""
    if not any(timeline_days(story) for story in report.stories):
        return []
    return [
        write_timeline_csv(report, out_dir / "timeline.csv"),
        write_timeline_markdown(report, out_dir / "timeline.md"),
        *write_timelinejs(report, out_dir),
    ]
