"""Spans drawn over text as HTML: the one span marker, used by the static report (cited
spans), the web app's article page (cited spans, entities, dates, figures) and its search
results (the words matched). Every piece of text is escaped; only the tags made here are
markup.

Spans may overlap, so the text is cut at every boundary of a ``<mark>`` span, and each
piece is wrapped in the layers that cover it, outermost first: the ``<mark>``, an entity
link, a date, a quantity. A span is one mark unless other marks overlap it; entities and
the rest are drawn inside it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from markupsafe import Markup, escape

from storyline.models import Annotations

__all__ = ["LAYERS", "MARK", "Feature", "features", "marked"]

MARK = "mark"  # the outermost layer: a cited span or a search match, drawn as <mark>
LAYERS = (MARK, "entity", "date", "quantity")  # outermost first


@dataclass(frozen=True)
class Feature:
    """One span to draw: its layer, the anchor or link it carries, and its tooltip.
    An empty ``css``, ``title`` or ``anchor`` leaves that attribute out."""

    start: int
    end: int
    layer: str  # one of LAYERS
    css: str  # class names
    title: str
    href: str = ""  # entities: their page
    anchor: str = ""  # marks: the id links land on
    number: int = 0  # a citation's number, for a title naming the citations over a piece


def features(
    annotations: Annotations | None,
    cited: list[tuple[int, int]],
    entity_href: dict[str, str],
) -> list[Feature]:
    """Return the spans the web app draws over an article: its cited spans (numbered from
    1 in text order, anchors ``c<n>``), entity mentions, dates and quantities."""
    found = [
        Feature(s, e, MARK, "cite", f"cited [{n}]", anchor=f"c{n}", number=n)
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


def _titles(covering: list[Feature]) -> str:
    return ", ".join(f.title for f in covering)


def marked(
    text: str,
    spans: Sequence[Feature],
    title: Callable[[list[Feature]], str] = _titles,
) -> Markup:
    """Return the text escaped, every span drawn around the pieces it covers.

    A mark is one ``<mark>`` (so the span a link lands on is outlined whole), with
    entities, dates and figures drawn inside it; only where marks overlap is the text
    between their boundaries a mark of its own, titled by ``title`` of the marks over it
    (by default their titles joined). Spans outside the text are left out."""
    spans = [f for f in spans if 0 <= f.start < f.end <= len(text)]
    marks = sorted((f for f in spans if f.layer == MARK), key=lambda f: f.start)
    inner = sorted((f for f in spans if f.layer != MARK), key=lambda f: f.start)
    cuts = sorted({0, len(text), *(f.start for f in marks), *(f.end for f in marks)})
    parts: list[Markup] = []
    for lo, hi in pairwise(cuts):
        html = _inner(text, lo, hi, inner)
        covering = [f for f in marks if f.start < hi and f.end > lo]
        if covering:
            # marks starting here that share an anchor (the report's art-<id>-<start>) get it once
            anchors = list(dict.fromkeys(f.anchor for f in covering if f.start == lo and f.anchor))
            html = Markup("<mark{}{}{}>{}</mark>").format(
                _attribute("class", covering[0].css),
                _attribute("id", anchors[0] if anchors else ""),
                _attribute("title", title(covering)),
                html,
            )
            # a second mark starting here gets an empty anchor, so its link lands here
            parts += [Markup('<span class="anchor" id="{}"></span>').format(a) for a in anchors[1:]]
        parts.append(html)
    return Markup("").join(parts)


def _attribute(name: str, value: str) -> Markup:
    """Return ' name="value"' escaped, or nothing for an empty value."""
    return Markup(' {}="{}"').format(name, value) if value else Markup("")


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
