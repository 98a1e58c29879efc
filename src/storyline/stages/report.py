"""The report stage: a Report checked for honest citations, then written as JSON,
Markdown, HTML (see ``report_html``) and rich terminal output.

Every format numbers citations alike (``CitationIndex``) so "[3]" means the same
span of the same article wherever a reader meets it.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.text import Text

from storyline.errors import CitationError
from storyline.models import Annotations, Article, Event, Report, Story, to_dict
from storyline.stages.report_html import (
    CitationIndex,
    SpanKey,
    article_date_label,
    article_label,
    counts_line,
    display_title,
    event_date_label,
    plural,
    render_html,
    sources_line,
    story_groups,
    why_grouped,
)

__all__ = [
    "SCHEMA_VERSION",
    "render_html",
    "render_markdown",
    "render_terminal",
    "report_json",
    "verify_citations",
    "write_report",
]

SCHEMA_VERSION = "1.0"  # of docs/report.schema.json; bump when a field changes meaning
SNIPPET_CHARS = 60  # how much of a bad span an error message quotes


# ---- JSON -------------------------------------------------------------------


def _jsonable(value: Any) -> Any:
    """Return value with anything JSON cannot hold (sets, dates, objects) made a list or string."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _annotations_json(annotations: Annotations | None) -> dict[str, Any] | None:
    """Return an article's annotations, with sentences as compact [start, end] pairs."""
    if annotations is None:
        return None
    data: dict[str, Any] = to_dict(annotations)
    data["sentences"] = [[start, end] for start, end in annotations.sentences]
    return data


def _article_json(article: Article) -> dict[str, Any]:
    """Return one article as the JSON report holds it."""
    return {
        "id": article.id,
        "ref": article.ref,
        "title": article.title,
        "source": article.source,
        "url": article.url,
        "author": article.author,
        "published": article.published,
        "published_inferred": (
            to_dict(article.date)
            if article.date is not None and article.date.certainty != "given"
            else None
        ),
        "date": to_dict(article.date) if article.date is not None else None,
        "text": article.text,
        "removed": [to_dict(r) for r in article.removed],
        "meta": _jsonable(article.meta),
        "annotations": _annotations_json(article.annotations),
    }


def report_json(report: Report) -> dict[str, Any]:
    """Return the JSON report: the model objects serialised (articles[], events[], stories[]),
    plus "generated" and "schema_version"; docs/report.schema.json describes it."""
    generated = report.generated or datetime.now(UTC).isoformat(timespec="seconds")
    return {
        "schema_version": SCHEMA_VERSION,
        "generated": generated,
        "articles": [_article_json(a) for a in report.articles],
        "events": [_event_json(e) for e in report.events],
        "stories": [to_dict(s) for s in report.stories],
    }


def _event_json(event: Event) -> dict[str, Any]:
    """Return an event as JSON, each article carrying the evidence for its place there."""
    data: dict[str, Any] = to_dict(event)
    why = {m["article"]: m for m in data.pop("evidence")}
    data["articles"] = [
        {"id": aid, "evidence": {k: v for k, v in why.get(aid, {}).items() if k != "article"}}
        for aid in event.articles
    ]
    return data


# ---- citation check ---------------------------------------------------------


def _squash(text: str) -> str:
    """Return text with runs of whitespace made single spaces (line breaks are not content)."""
    return " ".join(text.split())


def _snippet(text: str) -> str:
    """Return a short repr of text for an error message."""
    return repr(text if len(text) <= SNIPPET_CHARS else text[:SNIPPET_CHARS] + "…")


def _cited_text(texts: dict[str, str], item: str, key: SpanKey) -> str:
    """Return the text a span covers, or raise CitationError naming item."""
    article_id, start, end = key
    where = f"{item} (article {article_id}, {start}-{end})"
    if article_id not in texts:
        raise CitationError(f"{where} cites an article that is not in the report")
    length = len(texts[article_id])
    if not 0 <= start < end <= length:
        raise CitationError(
            f"{where} lies outside the article's cleaned text (0-{length}); "
            "the stage that made it used offsets into some other text"
        )
    return texts[article_id][start:end]


def _verify_event(event: Event, texts: dict[str, str]) -> None:
    """Raise CitationError for the first summary sentence or quote of event that misquotes."""
    for i, sentence in enumerate(event.summary, 1):
        item = f"event {event.id} summary sentence {i}"
        if not sentence.citations or not sentence.text.strip():
            raise CitationError(f"{item} {_snippet(sentence.text)} is empty or cites nothing")
        for j, c in enumerate(sentence.citations, 1):
            cited = _cited_text(texts, f"{item} citation {j}", (c.article, c.start, c.end))
            if _squash(sentence.text) not in _squash(cited):
                raise CitationError(
                    f"{item} citation {j} (article {c.article}, {c.start}-{c.end}): "
                    f"the sentence {_snippet(sentence.text)} is not in the cited span "
                    f"{_snippet(cited)}"
                )
    for k, q in enumerate(event.quotes, 1):
        item = f"event {event.id} quote {k}"
        cited = _cited_text(texts, item, (q.article, q.start, q.end))
        if cited != q.text:
            raise CitationError(
                f"{item} (article {q.article}, {q.start}-{q.end}): quote {_snippet(q.text)} "
                f"does not match the article text there, {_snippet(cited)}"
            )


def verify_citations(report: Report) -> None:
    """Return None when every citation holds; raise CitationError naming the first that does not.

    A span must lie inside its article's cleaned text; a quote's text must equal
    ``article.text[start:end]``; a summary sentence must appear verbatim (up to
    whitespace) inside each span it cites.
    """
    texts = {a.id: a.text for a in report.articles}
    for event in report.events:
        _verify_event(event, texts)


# ---- Markdown ---------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&])")


def _md(text: str | None) -> str:
    """Return text as one line of inert Markdown: markup characters escaped."""
    return _MD_SPECIAL.sub(r"\\\1", _squash(text or ""))


def _md_footnotes(index: CitationIndex, event: Event, articles: dict[str, Article]) -> list[str]:
    """Return the footnote definitions for the spans an event cites."""
    lines = []
    for number, (article_id, start, end) in index.for_event(event):
        label = _md(article_label(articles.get(article_id), article_id))
        lines.append(
            f"[^{number}]: {label}, characters {start}–{end} "
            f"([article {article_id}](#art-{article_id}))"
        )
    return lines


def _md_event(event: Event, index: CitationIndex, articles: dict[str, Article]) -> list[str]:
    """Return the Markdown lines of one event."""
    meta = f"*{_md(event_date_label(event))}*"
    if event.sources:
        meta += f" · {_md(sources_line(event))}"
    lines = [f"### {_md(event.title)}", "", meta]
    if event.participants:
        lines += ["", f"Participants: {_md(', '.join(event.participants))}"]
    for sentence in event.summary:
        marks = "".join(f"[^{index.number(c.article, c.start, c.end)}]" for c in sentence.citations)
        lines += ["", f"{_md(sentence.text)}{marks}"]
    for q in event.quotes:
        mark = f"[^{index.number(q.article, q.start, q.end)}]"
        lines += ["", f"> “{_md(q.text)}”", ">", f"> — {_md(q.speaker or 'unattributed')}{mark}"]
    if why := why_grouped(event, articles):
        lines += ["", "Why these articles are grouped:", ""]
        lines += [f"- **{_md(label)}**: {_md(reason)}" for label, reason in why]
    footnotes = _md_footnotes(index, event, articles)
    return [*lines, "", *footnotes] if footnotes else lines


def _md_article(article: Article) -> str:
    """Return the Markdown list item describing one article."""
    return (
        f'- <a id="art-{article.id}"></a>**{_md(display_title(article))}** · '
        f"`{article.id}` · {_md(article.source or 'unknown source')} · "
        f"{_md(article_date_label(article))} · {_md(article.ref)} · "
        f"{plural(len(article.removed), 'boilerplate piece')} removed"
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
    lines = ["# Storyline report", "", counts_line(report)]
    for number, (story, events) in enumerate(story_groups(report), 1):
        lines += ["", *_md_story_heading(story, number)]
        for event in events:
            lines += ["", *_md_event(event, index, articles)]
    lines += ["", "## Articles", ""]
    lines += [_md_article(a) for a in report.articles]
    return "\n".join(lines) + "\n"


# ---- terminal ---------------------------------------------------------------


def _cite_marks(index: CitationIndex, keys: list[SpanKey]) -> Text:
    """Return citation markers like ' [1][2]' styled apart from the prose."""
    return Text(" " + "".join(f"[{index.number(*k)}]" for k in keys), style="cyan")


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
        keys = [(c.article, c.start, c.end) for c in s.citations]
        parts.append(Text.assemble("• ", s.text, _cite_marks(index, keys)))
    for q in event.quotes:
        parts.append(
            Text.assemble(
                ("  “" + q.text + "”", "italic"),
                ("\n    — " + (q.speaker or "unattributed"), "bold"),
                _cite_marks(index, [(q.article, q.start, q.end)]),
            )
        )
    for label, reason in why_grouped(event, articles):
        parts.append(Text(f"  {label}: {reason}", style="dim italic"))
    for number, (article_id, start, end) in index.for_event(event):
        label = article_label(articles.get(article_id), article_id)
        ref = articles[article_id].ref if article_id in articles else ""
        parts.append(Text(f"[{number}] {label} · {ref} · chars {start}–{end}", style="dim"))
    return Panel(Group(*parts), border_style="blue", padding=(0, 1))


def render_terminal(report: Report, console: Console) -> None:
    """Return nothing; print each storyline and its cited events to console with rich."""
    index = CitationIndex(report)
    articles = {a.id: a for a in report.articles}
    for story, events in story_groups(report):
        title = story.title if story is not None else "Other events"
        console.rule(Text(title, style="bold magenta"))
        if story is not None and story.participants:
            console.print(Text("Participants: " + ", ".join(story.participants), style="dim"))
        for event in events:
            console.print(_terminal_event(event, index, articles))
    console.print(Text(counts_line(report), style="dim"))


# ---- files ------------------------------------------------------------------


def write_report(report: Report, out_dir: Path) -> list[Path]:
    """Return the paths of report.json, report.md and report.html, written to out_dir
    after verify_citations has passed (nothing is written when it fails)."""
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
    return paths
