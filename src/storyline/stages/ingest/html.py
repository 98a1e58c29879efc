"""HTML: a page's article and metadata (trafilatura), and the visible text of a fragment."""

from __future__ import annotations

import html
import re
from datetime import date
from html.parser import HTMLParser

import trafilatura
from trafilatura.settings import Document

from storyline.errors import InputError
from storyline.models import RawDoc, domain_of
from storyline.stages.ingest.published import read_published

# Elements that start a new line of text; everything else flows inline.
_BLOCK_TAGS = frozenset(
    ("address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
     "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav",
     "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul")
)  # fmt: skip
_HIDDEN_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "iframe"})
_TAG = re.compile(r"<[a-zA-Z/!]")
_SPACES = re.compile(r"\s+")
# htmldate pads a page's bare date with this time; a page that gives only a day stays a day.
_PADDED_MIDNIGHT = "T00:00:00"
_HTML_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
NO_HTML_TEXT = (
    "no article text found in HTML: the page may need JavaScript or hold only links;"
    " save the article text instead"
)


class _TextCollector(HTMLParser):
    """Collects the visible text of HTML, a line break at every block element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN_TAGS:
            self._hidden += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN_TAGS:
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(_SPACES.sub(" ", data))


def html_to_text(fragment: str) -> str:
    """Return the visible text of an HTML fragment (or plain text), one paragraph per line."""
    if _TAG.search(fragment):
        collector = _TextCollector()
        collector.feed(fragment)
        collector.close()
        fragment = "".join(collector.parts)
    else:
        fragment = html.unescape(fragment)
    lines = (_SPACES.sub(" ", line).strip() for line in fragment.splitlines())
    return "\n".join(line for line in lines if line)


def read_html(ref: str, data: bytes | str, url: str | None = None) -> RawDoc:
    """Return the article of an HTML page, with its metadata; raise InputError if it has none."""
    doc = _extract(ref, data, url)
    text = _without_title((doc.text or "").strip(), doc.title) if doc else ""
    if doc is None or not text:
        raise InputError(ref, NO_HTML_TEXT)
    day = doc.date.removesuffix(_PADDED_MIDNIGHT) if doc.date else None
    published, meta = read_published(day)
    if doc.description:
        meta["description"] = doc.description
    page_url = doc.url or url
    return RawDoc(
        ref=ref,
        text=text,
        title=doc.title or None,
        published=published,
        source=doc.sitename or domain_of(page_url),
        url=page_url,
        author=doc.author or None,
        meta=meta,
        format="html",
    )


def _extract(ref: str, data: bytes | str, url: str | None) -> Document | None:
    """Return trafilatura's reading of a page (main text and metadata), or None."""
    date_params = {
        "original_date": True,  # the first publication, not the last update
        "extensive_search": True,
        "max_date": date.today().isoformat(),
        "outputformat": _HTML_DATE_FORMAT,
    }
    try:
        doc = trafilatura.bare_extraction(
            data,
            url=url,
            with_metadata=True,
            include_comments=False,
            date_extraction_params=date_params,
        )
    # trafilatura runs several third-party parsers over untrusted markup; any failure of
    # theirs means this page cannot be read, never that the run should stop.
    except Exception as exc:
        raise InputError(ref, f"HTML could not be parsed ({exc}): save the page again") from None
    return doc if isinstance(doc, Document) else None


def _without_title(text: str, title: str | None) -> str:
    """Return ``text`` without its first line when that line repeats the title."""
    first, _, rest = text.partition("\n")
    if title and first.strip().casefold() == title.strip().casefold() and rest.strip():
        return rest.strip()
    return text
