"""An article's text as HTML: cited spans marked, entities linked, dates and figures
labelled. Every piece of article text is escaped; only the tags made here are markup.

Spans may overlap, so the text is cut at every span boundary (as render.html's
``marked_text`` does) and each piece is wrapped in the layers that cover it, outermost
first: citation ``<mark>``, entity link, date, quantity. A cited span stays one mark,
entities and the rest inside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from markupsafe import Markup, escape

from storyline.models import Annotations

__all__ = ["Feature", "features", "highlighted", "mark_ranges", "snippet_marks"]

LAYERS = ("cite", "entity", "date", "quantity")  # outermost first


@dataclass(frozen=True)
class Feature:
    """One span to draw: its layer, the anchor or link it carries, and its tooltip."""

    start: int
    end: int
    layer: str  # one of LAYERS
    css: str  # class names
    title: str
    href: str = ""  # entities: their page
    anchor: str = ""  # citations: the id links land on


def features(
    annotations: Annotations | None,
    cited: list[tuple[int, int]],
    entity_href: dict[str, str],
) -> list[Feature]:
    """Return the spans to draw over an article: its cited spans (numbered from 1 in
    text order, anchors ``c<n>``), entity mentions, dates and quantities."""
    found = [
        Feature(s, e, "cite", "cite", f"cited [{n}]", anchor=f"c{n}")
        for n, (s, e) in enumerate(cited, 1)
    ]
    if annotations is None:
        return found
    for m in annotations.mentions:
        found.append(
            Feature(
                m.start, m.end, "entity", f"ent ent-{m.kind.lower()}",
                f"{m.kind.lower()}: {m.canonical}", href=entity_href.get(m.canonical, ""),
            )
        )  # fmt: skip
    for t in annotations.timexes:
        value = t.value or "unresolved"
        title = f"{t.type.lower()}: {value}" + (f" ({t.mod.lower()})" if t.mod else "")
        found.append(Feature(t.start, t.end, "date", "timex", title))
    for q in annotations.quantities:
        title = f"{q.kind}: {q.value:g} {q.unit}".strip()
        found.append(Feature(q.start, q.end, "quantity", "qty", title))
    return found


def highlighted(text: str, spans: list[Feature]) -> Markup:
    """Return the text escaped, every feature drawn around the pieces it covers.

    A cited span is one ``<mark>`` (so the span a citation links to is outlined whole),
    with entities, dates and figures drawn inside it; only where cited spans overlap is
    the text between their boundaries a mark of its own."""
    spans = [f for f in spans if 0 <= f.start < f.end <= len(text)]
    cites = sorted((f for f in spans if f.layer == "cite"), key=lambda f: f.start)
    inner = sorted((f for f in spans if f.layer != "cite"), key=lambda f: f.start)
    cuts = sorted({0, len(text), *(f.start for f in cites), *(f.end for f in cites)})
    parts: list[Markup] = []
    for lo, hi in pairwise(cuts):
        html = _inner(text, lo, hi, inner)
        covering = [f for f in cites if f.start < hi and f.end > lo]
        if covering:
            anchors = [f.anchor for f in covering if f.start == lo]
            title = ", ".join(f.title for f in covering)
            ident = Markup(' id="{}"').format(anchors[0]) if anchors else Markup("")
            html = Markup('<mark class="cite"{} title="{}">{}</mark>').format(ident, title, html)
            # a second citation starting here gets an empty anchor, so its link lands here
            parts += [Markup('<span class="anchor" id="{}"></span>').format(a) for a in anchors[1:]]
        parts.append(html)
    return Markup("").join(parts)


def _inner(text: str, lo: int, hi: int, spans: list[Feature]) -> Markup:
    """Return text[lo:hi] escaped, with the entities, dates and figures over it drawn
    (cut where they start and end, each piece wrapped in the layers covering it);
    ``spans`` are sorted by start."""
    here = [f for f in spans if f.start < hi and f.end > lo]
    cuts = sorted({lo, hi, *(max(lo, f.start) for f in here), *(min(hi, f.end) for f in here)})
    active: list[Feature] = []
    parts: list[Markup] = []
    i = 0
    for a, b in pairwise(cuts):
        active = [f for f in active if f.end > a]
        while i < len(here) and here[i].start <= a:
            active.append(here[i])
            i += 1
        parts.append(_piece(text[a:b], active))
    return Markup("").join(parts)


def _piece(chunk: str, active: list[Feature]) -> Markup:
    """Return one piece of text wrapped in the layers that cover it, innermost first."""
    html = Markup(escape(chunk))
    for layer in reversed(LAYERS[1:]):
        covering = [f for f in active if f.layer == layer]
        if not covering:
            continue
        first = covering[0]
        if layer == "entity" and first.href:
            html = Markup('<a class="{}" href="{}" title="{}">{}</a>').format(
                first.css, first.href, first.title, html
            )
        else:
            html = Markup('<span class="{}" title="{}">{}</span>').format(
                first.css, first.title, html
            )
    return html


_MATCH = re.compile(r"\[\[(.*?)\]\]", re.S)


def snippet_marks(snippet: str) -> tuple[str, list[tuple[int, int]]]:
    """Return a search snippet (matches between [[ and ]]) as plain text and where the
    matches lie in it."""
    plain: list[str] = []
    marks: list[tuple[int, int]] = []
    at = size = 0
    for match in _MATCH.finditer(snippet):
        before, word = snippet[at : match.start()], match.group(1)
        plain += [before, word]
        marks.append((size + len(before), size + len(before) + len(word)))
        size += len(before) + len(word)
        at = match.end()
    plain.append(snippet[at:])
    return "".join(plain), marks


def mark_ranges(text: str, marks: list[tuple[int, int]]) -> Markup:
    """Return the text escaped, the given ranges in <mark>."""
    parts: list[Markup] = []
    at = 0
    for start, end in sorted(marks):
        if start < at or end > len(text):
            continue
        parts += [escape(text[at:start]), Markup("<mark>{}</mark>").format(text[start:end])]
        at = end
    parts.append(escape(text[at:]))
    return Markup("").join(parts)
