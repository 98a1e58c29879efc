"""The report stage: a Report checked for honest citations (see ``verify``), then
written as JSON, Markdown, HTML (see ``html``) and rich terminal output.

Every format numbers citations alike (``CitationIndex``) so "[3]" means the same
span of the same article wherever a reader meets it.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from storyline.errors import StorylineError
from storyline.models import (
    Article,
    Event,
    Report,
    Span,
    Story,
    language_counts,
    not_analysed,
)
from storyline.render.export import write_exports
from storyline.render.html import (
    CitationIndex,
    FindingLine,
    FindingSection,
    article_date_label,
    article_label,
    counts_line,
    display_title,
    event_date_label,
    finding_sections,
    folded_spans,
    language_note,
    line_label,
    plural,
    render_html,
    series_rows,
    sources_line,
    story_groups,
    timeline_days,
    top_story_groups,
    why_grouped,
)
from storyline.render.html import md_inline as _md
from storyline.render.verify import verify_citations

__all__ = [
    "SCHEMA_VERSION",
    "render_html",
    "render_markdown",
    "render_terminal",
    "report_json",
    "verify_citations",
    "write_report",
]

SCHEMA_VERSION = "1.2"  # of docs/report.schema.json; bump when a field changes meaning


# ---- JSON -------------------------------------------------------------------


def report_json(report: Report) -> dict[str, Any]:
    """Return the JSON report: the model objects serialised (articles[], events[], stories[]),
    plus "generated" and "schema_version"; docs/report.schema.json describes it."""
    generated = report.generated or datetime.now(UTC).isoformat(timespec="seconds")
    return {
        "schema_version": SCHEMA_VERSION,
        "generated": generated,
        "articles": [a.to_dict() for a in report.articles],
        "events": [e.to_dict(members=True) for e in report.events],
        "stories": [s.to_dict() for s in report.stories],
        "left_out": list(report.left_out),
        "not_analysed": _not_analysed_json(report),
    }


def _not_analysed_json(report: Report) -> dict[str, Any]:
    """Return the articles kept but not analysed for their language: how many, of each
    language, and their ids."""
    others = not_analysed(report.articles)
    return {
        "count": len(others),
        "languages": dict(language_counts(others).most_common()),
        "articles": [a.id for a in others],
    }


# ---- Markdown ---------------------------------------------------------------


def _md_footnotes(
    numbered: list[tuple[int, Span]], articles: dict[str, Article], defined: set[int]
) -> list[str]:
    """Return the footnote definitions of numbered spans not yet in defined (which grows):
    Markdown footnotes are global, so each is defined once, where it is first cited."""
    lines = []
    for number, span in numbered:
        if number in defined:
            continue
        defined.add(number)
        label = _md(article_label(articles.get(span.article), span.article))
        lines.append(
            f"[^{number}]: {label}, characters {span.start}–{span.end} "
            f"([article {span.article}](#art-{span.article}))"
        )
    return lines


def _md_marks(index: CitationIndex, keys: list[Span]) -> str:
    """Return footnote marks like '[^1][^2]' for spans."""
    return "".join(f"[^{index.number(key)}]" for key in keys)


def _md_line(line: FindingLine, index: CitationIndex) -> str:
    """Return one finding as a Markdown list item."""
    if line.carriers:
        carried = "; ".join(
            f"{_md(source)}{f' ({wording})' if wording else ''}{_md_marks(index, [key])}"
            for source, wording, key in line.carriers
        )
        said = f"“{_md(line.text)}” — {_md(line.speaker or 'unattributed')}"
        note = f" *{_md(line.note)}*" if line.note else ""
        return f"- {said}{_md_marks(index, line.keys)}. Carried by: {carried}.{note}"
    label = f"**{_md(line.label)}:** " if line.label else ""
    return f"- {label}{_md(line.text)}{_md_marks(index, line.keys)}"


def _md_findings(sections: list[FindingSection], index: CitationIndex) -> list[str]:
    """Return the Markdown lines of an event's headed finding parts."""
    lines: list[str] = []
    for section in sections:
        lines += ["", f"#### {section.heading}", ""]
        lines += [_md_line(line, index) for line in section.shown]
        if section.more:
            lines.append(f"- and {len(section.more)} more (all in report.json and report.html)")
    return lines


def _md_event(
    event: Event, index: CitationIndex, articles: dict[str, Article], defined: set[int]
) -> list[str]:
    """Return the Markdown lines of one event (defined: footnotes already written)."""
    meta = f"*{_md(event_date_label(event))}*"
    if event.sources:
        meta += f" · {_md(sources_line(event))}"
    lines = [f"### {_md(event.title)}", "", meta]
    if event.participants:
        lines += ["", f"Participants: {_md(', '.join(event.participants))}"]
    for sentence in event.summary:
        marks = "".join(f"[^{index.number(c)}]" for c in sentence.citations)
        lines += ["", f"{_md(sentence.text)}{marks}"]
    for q in event.quotes:
        mark = f"[^{index.number(q.span)}]"
        lines += ["", f"> “{_md(q.text)}”", ">", f"> — {_md(q.speaker or 'unattributed')}{mark}"]
    sections = finding_sections(event, articles)
    lines += _md_findings(sections, index)
    if why := why_grouped(event, articles):
        lines += ["", "Why these articles are grouped:", ""]
        lines += [f"- **{_md(label)}**: {_md(reason)}" for label, reason in why]
    folded = folded_spans(event, sections)
    numbered = [(n, key) for n, key in index.for_event(event) if key not in folded]
    footnotes = _md_footnotes(numbered, articles, defined)
    return [*lines, "", *footnotes] if footnotes else lines


def _md_series(
    story: Story, index: CitationIndex, articles: dict[str, Article], defined: set[int]
) -> list[str]:
    """Return the 'Figures over time' tables of a storyline, one per series."""
    series = [f for f in story.series if f.claims]
    if not series:
        return []
    lines = ["", "### Figures over time"]
    for finding in series:
        lines += ["", f"**{_md(finding.statement or finding.measure)}**", ""]
        lines += ["| Time | Value as written | Source | Cited |", "|---|---|---|---|"]
        lines += [
            f"| {_md(r.time)} | {_md(r.value)} | {_md(r.source)} | {_md_marks(index, [r.key])} |"
            for r in series_rows(finding, articles)
        ]
    footnotes = _md_footnotes(index.for_series(story), articles, defined)
    return [*lines, "", *footnotes] if footnotes else lines


def _md_timeline(
    story: Story, index: CitationIndex, articles: dict[str, Article], defined: set[int]
) -> list[str]:
    """Return a storyline's timeline as Markdown: a dated line per day, each sentence
    footnoted, then the footnotes first cited there."""
    days = timeline_days(story)
    if not days:
        return []
    lines = ["", "### Timeline", ""]
    for entry in days:
        said = " ".join(_md(s.text) + _md_marks(index, s.citations) for s in entry.sentences)
        lines.append(f"- **{_md(line_label(entry))}** — {said}")
    footnotes = _md_footnotes(index.for_timeline(story), articles, defined)
    return [*lines, "", *footnotes] if footnotes else lines


def _md_article(article: Article) -> str:
    """Return the Markdown list item describing one article."""
    return (
        f'- <a id="art-{article.id}"></a>**{_md(display_title(article))}** · '
        f"`{article.id}` · {_md(article.source or 'unknown source')} · "
        f"{_md(article_date_label(article))} · {_md(article.ref)} · "
        f"{plural(len(article.removed), 'boilerplate piece')} removed"
        + (f" · {note}" if (note := language_note(article)) else "")
    )


def _md_story_heading(story: Story | None, number: int) -> list[str]:
    """Return the heading lines of one storyline (or of the events in none)."""
    if story is None:
        return ["## Other events"]
    lines = [f"## Storyline {number}: {_md(story.title)}"]
    if story.participants:
        lines += ["", f"Participants: {_md(', '.join(story.participants))}"]
    return lines


def render_markdown(report: Report) -> str:
    """Return the report as Markdown: storylines, events with footnoted citations, articles."""
    index = CitationIndex(report)
    articles = {a.id: a for a in report.articles}
    defined: set[int] = set()
    lines = ["# Storyline report", "", counts_line(report)]
    for number, (story, events) in enumerate(story_groups(report), 1):
        lines += ["", *_md_story_heading(story, number)]
        if story is not None:
            lines += _md_timeline(story, index, articles, defined)
        for event in events:
            lines += ["", *_md_event(event, index, articles, defined)]
        if story is not None:
            lines += _md_series(story, index, articles, defined)
    lines += ["", "## Articles", ""]
    lines += [_md_article(a) for a in report.articles]
    return "\n".join(lines) + "\n"


# ---- terminal ---------------------------------------------------------------


def _cite_marks(index: CitationIndex, keys: list[Span]) -> Text:
    """Return citation markers like ' [1][2]' styled apart from the prose."""
    return Text(" " + "".join(f"[{index.number(k)}]" for k in keys), style="cyan")


def _terminal_line(line: FindingLine, index: CitationIndex) -> Text:
    """Return one finding as terminal text."""
    if not line.carriers:
        label = (line.label + ": ", "bold yellow") if line.label else ""
        return Text.assemble("• ", label, line.text, _cite_marks(index, line.keys))
    text = Text.assemble(
        ("  “" + line.text + "”", "italic"),
        (" — " + (line.speaker or "unattributed"), "bold"),
        _cite_marks(index, line.keys),
        ("\n    carried by: ", "dim"),
    )
    for i, (source, wording, key) in enumerate(line.carriers):
        text.append(("; " if i else "") + source + (f" ({wording})" if wording else ""))
        text.append_text(_cite_marks(index, [key]))
    if line.note:
        text.append("\n    " + line.note, style="italic yellow")
    return text


def _terminal_findings(sections: list[FindingSection], index: CitationIndex) -> list[Text]:
    """Return an event's headed finding parts as terminal text."""
    parts: list[Text] = []
    for section in sections:
        parts.append(Text(section.heading, style="bold underline"))
        parts += [_terminal_line(line, index) for line in section.shown]
        if section.more:
            parts.append(Text(f"  … and {len(section.more)} more", style="dim"))
    return parts


def _terminal_sources(numbered: list[tuple[int, Span]], articles: dict[str, Article]) -> list[Text]:
    """Return one dim line per numbered span: where citation [n] points."""
    lines = []
    for number, span in numbered:
        label = article_label(articles.get(span.article), span.article)
        ref = articles[span.article].ref if span.article in articles else ""
        lines.append(
            Text(f"[{number}] {label} · {ref} · chars {span.start}–{span.end}", style="dim")
        )
    return lines


def _terminal_event(event: Event, index: CitationIndex, articles: dict[str, Article]) -> Panel:
    """Return one event as a rich panel (all text as Text, so article markup stays inert)."""
    parts: list[Text] = [Text(event.title, style="bold")]
    meta = Text(event_date_label(event), style="green")
    if event.sources:
        meta.append(f" · {sources_line(event)}")
    parts.append(meta)
    if event.participants:
        parts.append(Text("Participants: " + ", ".join(event.participants), style="dim"))
    for s in event.summary:
        parts.append(Text.assemble("• ", s.text, _cite_marks(index, s.citations)))
    for q in event.quotes:
        parts.append(
            Text.assemble(
                ("  “" + q.text + "”", "italic"),
                ("\n    — " + (q.speaker or "unattributed"), "bold"),
                _cite_marks(index, [q.span]),
            )
        )
    sections = finding_sections(event, articles)
    parts += _terminal_findings(sections, index)
    for label, reason in why_grouped(event, articles):
        parts.append(Text(f"  {label}: {reason}", style="dim italic"))
    folded = folded_spans(event, sections)
    numbered = [(n, key) for n, key in index.for_event(event) if key not in folded]
    parts += _terminal_sources(numbered, articles)
    return Panel(Group(*parts), border_style="blue", padding=(0, 1))


def _terminal_series(
    story: Story, index: CitationIndex, articles: dict[str, Article]
) -> list[RenderableType]:
    """Return a storyline's figures over time: a table per series, then where each cites."""
    tables: list[RenderableType] = []
    for finding in (f for f in story.series if f.claims):
        title = Text(finding.statement or finding.measure or "", style="bold")
        table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD)
        for column in ("Time", "Value as written", "Source", "Cited"):
            table.add_column(column)
        for row in series_rows(finding, articles):
            mark = Text(f"[{index.number(row.key)}]", style="cyan")
            table.add_row(Text(row.time), Text(row.value), Text(row.source), mark)
        tables.append(table)
    if not tables:
        return []
    heading = Text("Figures over time", style="bold magenta")
    return [heading, *tables, *_terminal_sources(index.for_series(story), articles)]


def _terminal_timeline(
    story: Story, index: CitationIndex, articles: dict[str, Article]
) -> list[RenderableType]:
    """Return a storyline's timeline: a dated line per day, then where each citation points."""
    days = timeline_days(story)
    if not days:
        return []
    lines: list[RenderableType] = [Text("Timeline", style="bold magenta")]
    for entry in days:
        line = Text.assemble((line_label(entry), "bold green"), " — ")
        for i, s in enumerate(entry.sentences):
            line.append(" " if i else "")
            line.append(s.text)
            line.append_text(_cite_marks(index, s.citations))
        lines.append(line)
    return [*lines, *_terminal_sources(index.for_timeline(story), articles)]


def render_terminal(
    report: Report,
    console: Console,
    top: tuple[int, int] | None = None,
    story_id: str | None = None,
) -> None:
    """Return nothing; print storylines and their cited events to console with rich: every
    one, or with top=(storylines, events) the largest storylines, each with its latest
    events, and a line saying what else there is and how to see it; or only the storyline
    story_id (raise StorylineError when the report has no such storyline)."""
    index = CitationIndex(report)
    articles = {a.id: a for a in report.articles}
    groups: list[tuple[Story | None, list[Event], int]]
    if story_id is not None:
        groups = [(s, e, 0) for s, e in story_groups(report) if s is not None and s.id == story_id]
        if not groups:
            raise StorylineError(
                f"no storyline {story_id} in this store: `storyline report` lists them"
            )
        more = 0
    elif top is None:
        groups, more = [(s, e, 0) for s, e in story_groups(report)], 0
    else:
        groups, more = top_story_groups(report, *top)
    for story, events, earlier in groups:
        title = story.title if story is not None else "Other events"
        console.rule(Text(title, style="bold magenta"))
        if story is not None and story.participants:
            console.print(Text("Participants: " + ", ".join(story.participants), style="dim"))
        for part in _terminal_timeline(story, index, articles) if story is not None else []:
            console.print(part)
        if earlier:
            see = f"`storyline report --story {story.id}`" if story else "`storyline report --all`"
            console.print(Text(f"… {plural(earlier, 'earlier event')}: {see} shows them", "dim"))
        for event in events:
            console.print(_terminal_event(event, index, articles))
        if story is not None:
            for part in _terminal_series(story, index, articles):
                console.print(part)
    if more:
        console.print(
            Text(
                f"… and {plural(more, 'more storyline')} (the largest are shown): "
                "`storyline report --all` shows every one, `--story ID` one of them, and "
                "report.html holds them all",
                style="bold",
            )
        )
    console.print(Text(counts_line(report), style="dim"))


# ---- files ------------------------------------------------------------------


def write_report(report: Report, out_dir: Path) -> list[Path]:
    """Return the paths of report.json, report.md and report.html, and when a storyline has
    a timeline of timeline.csv, timeline.md and its timelinejs-<story id>.json (see
    ``export``), written to out_dir after verify_citations has passed (nothing is written
    when it fails)."""
    verify_citations(report)
    out_dir.mkdir(parents=True, exist_ok=True)
    contents = {
        "report.json": json.dumps(report_json(report), ensure_ascii=False, indent=1) + "\n",
        "report.md": render_markdown(report),
        "report.html": render_html(report),
    }
    paths = []
    for name, text in contents.items():
        path = out_dir / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths + write_exports(report, out_dir)
