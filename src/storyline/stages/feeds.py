"""The web side of the ingest stage: fetching URLs, RSS and Atom feeds, HTML, dates.

Everything here turns bytes from the web into RawDocs, or raises InputError with
a reason the user can act on; ``ingest`` decides which reader a file goes to.
"""

from __future__ import annotations

import html
import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from typing import Any, cast

import httpcore
import httpx
import trafilatura
from defusedxml import DefusedXmlException, EntitiesForbidden
from defusedxml import ElementTree as SafeET
from trafilatura.settings import Document

from storyline.errors import InputError
from storyline.models import RawDoc, domain_of

USER_AGENT = "storyline/0.1"
MB = 1024 * 1024
_ATOM = "{http://www.w3.org/2005/Atom}"
_RSS1 = "{http://purl.org/rss/1.0/}"
_CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
_DC = "{http://purl.org/dc/elements/1.1/}"

# Elements that start a new line of text; everything else flows inline.
_BLOCK_TAGS = frozenset(
    ("address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
     "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav",
     "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul")
)  # fmt: skip
_HIDDEN_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "iframe"})
_TAG = re.compile(r"<[a-zA-Z/!]")
_SPACES = re.compile(r"\s+")
_NAME_IN_PARENS = re.compile(r"\(([^()]+)\)\s*$")  # RSS <author>: "desk@example.com (Jane Doe)"

_DATE_ONLY = re.compile(r"\d{4}-?\d{2}-?\d{2}")
_TEXT_DATE_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%Y/%m/%d")
# htmldate pads a page's bare date with this time; a page that gives only a day stays a day.
_PADDED_MIDNIGHT = "T00:00:00"
_HTML_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"

_URL_ADVICE = "raise the limit or save the part you need to a file"
NO_ITEM_TEXT = (
    "feed item has no text (no content, description or summary): storyline does not fetch"
    " item links; save the articles themselves"
)
NO_HTML_TEXT = (
    "no article text found in HTML: the page may need JavaScript or hold only links;"
    " save the article text instead"
)


def too_large(size: int | None, limit: int, advice: str = "split it or raise the limit") -> str:
    """Return the reason for refusing an input over the size limit."""
    found = f"{size / MB:.0f} MB, " if size else ""
    return f"{found}larger than the {limit / MB:g} MB limit (STORYLINE_MAX_FILE_MB): {advice}"


# Given a host name and port a fetch is about to connect to, return the address to connect
# to (an IP address it resolved to), or raise OSError saying why it may not connect.
ConnectCheck = Callable[[str, int], str]


class _CheckedBackend(httpcore.SyncBackend):
    """Opens each connection on the address a ConnectCheck returns, or refuses it."""

    def __init__(self, check: ConnectCheck) -> None:
        self._check = check

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.NetworkStream:
        try:
            address = self._check(host, port)
        except OSError as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        return super().connect_tcp(address, port, timeout, local_address, socket_options)


def _checked_transport(check: ConnectCheck) -> httpx.HTTPTransport:
    """Return a transport whose every connection (redirects included) passes ``check``."""
    transport = httpx.HTTPTransport()
    # httpx gives no way to pass its connection pool a network backend: it gets a new pool,
    # as httpx builds it by default (TLS verified against the host name, not the address)
    transport._pool = httpcore.ConnectionPool(
        ssl_context=httpx.create_ssl_context(), network_backend=_CheckedBackend(check)
    )
    return transport


def fetch(
    url: str, max_bytes: int, timeout: float, check: ConnectCheck | None = None
) -> tuple[bytes, str]:
    """Return the body of ``url`` and the address it was finally served from; with a
    ``check``, every connection the fetch opens is refused unless it passes it."""
    started = time.monotonic()
    transport = _checked_transport(check) if check is not None else None
    try:
        with (
            httpx.Client(
                follow_redirects=True,
                timeout=timeout,
                headers={"User-Agent": USER_AGENT},
                transport=transport,
            ) as client,
            client.stream("GET", url) as response,
        ):
            _check_response(url, response, max_bytes)
            chunks: list[bytes] = []
            received = 0
            for chunk in response.iter_bytes():  # decompressed, so gzip cannot hide size
                received += len(chunk)
                if received > max_bytes:
                    raise InputError(url, "response " + too_large(None, max_bytes, _URL_ADVICE))
                if time.monotonic() - started > timeout:
                    raise httpx.ReadTimeout("download took too long")
                chunks.append(chunk)
            return b"".join(chunks), str(response.url)
    except httpx.TimeoutException:
        reason = f"timed out after {timeout:g} s: retry or raise STORYLINE_FETCH_TIMEOUT"
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        reason = f"could not fetch it ({exc}): check the address and the network"
    raise InputError(url, reason)


def _check_response(url: str, response: httpx.Response, max_bytes: int) -> None:
    """Raise InputError for an error status or a declared size over the limit."""
    if not response.is_success:
        advice = "try again later" if response.status_code >= 500 else "check the address"
        raise InputError(url, f"HTTP {response.status_code} {response.reason_phrase}: {advice}")
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise InputError(url, "response " + too_large(int(declared), max_bytes, _URL_ADVICE))


def normalise_date(raw: str) -> str | None:
    """Return ``raw`` as an ISO 8601 date or datetime, or None when it cannot be read."""
    text = raw.strip()
    if _DATE_ONLY.fullmatch(text):
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            return None
    for parse in (datetime.fromisoformat, parsedate_to_datetime):
        try:
            return parse(text).isoformat()
        except (TypeError, ValueError, IndexError):
            continue
    for fmt in _TEXT_DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def read_published(raw: object) -> tuple[str | None, dict[str, Any]]:
    """Return the normalised publication date and meta keeping ``raw`` if it could not be read."""
    if raw is None or raw == "":
        return None, {}
    iso = normalise_date(raw) if isinstance(raw, str) else None
    return (iso, {}) if iso else (None, {"published_raw": raw})


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


def parse_xml(ref: str, data: bytes) -> ET.Element:
    """Return the root element of an XML document, refusing entity declarations and external
    references (billion laughs, XXE) before they can expand."""
    try:
        root = SafeET.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except EntitiesForbidden:
        raise InputError(
            ref,
            "unsafe XML (entity declarations) in feed: storyline refuses to expand them;"
            " get the feed from its publisher or remove the <!ENTITY> lines",
        ) from None
    except DefusedXmlException as exc:
        raise InputError(
            ref, f"unsafe XML ({exc}) in feed: storyline does not follow external references"
        ) from None
    except ET.ParseError as exc:
        raise InputError(
            ref, f"malformed XML ({exc}): the feed is broken or truncated; download it again"
        ) from None
    return cast(ET.Element, root)


@dataclass
class _Item:
    """The fields of one feed item, as found in the XML."""

    title: str | None
    link: str | None
    published: str | None
    author: str | None
    body: str | None  # HTML, or plain text when ``body_is_html`` is False
    body_is_html: bool = True
    guid: str | None = None


def read_feed(ref: str, data: bytes) -> Iterator[RawDoc | InputError]:
    """Yield a RawDoc for every item of an RSS 1.0/2.0 or Atom feed, or an InputError for an
    item that carries no text."""
    root = parse_xml(ref, data)
    kind = _local(root.tag)
    if kind == "feed":
        source = _text(root, _ATOM + "title")
        items = [_atom_item(entry) for entry in root.iter(_ATOM + "entry")]
    elif kind in ("rss", "RDF"):
        channel = next((el for el in root.iter() if _local(el.tag) == "channel"), root)
        source = _text(channel, "title", _RSS1 + "title")
        items = [_rss_item(el) for el in root.iter() if _local(el.tag) == "item"]
    else:
        raise InputError(ref, f"XML root <{kind}> is not an RSS or Atom feed: nothing to read")
    if not items:
        raise InputError(ref, "feed has no items: nothing to read")
    for n, item in enumerate(items, 1):
        yield _item_doc(f"{ref}#{n}", item, source)


def _item_doc(ref: str, item: _Item, source: str | None) -> RawDoc | InputError:
    """Return the RawDoc for one feed item, or an InputError when it has no text."""
    body = item.body or ""
    text = html_to_text(body) if item.body_is_html else body.strip()
    if not text:
        return InputError(ref, NO_ITEM_TEXT)
    published, meta = read_published(item.published)
    if item.guid:
        meta["guid"] = item.guid
    title = html_to_text(item.title).replace("\n", " ") if item.title else None
    return RawDoc(
        ref=ref,
        text=text,
        title=title or None,
        published=published,
        source=source,
        url=item.link,
        author=item.author,
        meta=meta,
        format="feed",
    )


def _rss_item(item: ET.Element) -> _Item:
    """Return the fields of an RSS 2.0 or RSS 1.0 <item>."""
    author = _text(item, "author", _DC + "creator")
    named = _NAME_IN_PARENS.search(author) if author else None
    return _Item(
        title=_text(item, "title", _RSS1 + "title"),
        link=_text(item, "link", _RSS1 + "link"),
        published=_text(item, "pubDate", _DC + "date"),
        author=named.group(1).strip() if named else author,
        body=_text(item, _CONTENT + "encoded", "description", _RSS1 + "description"),
        guid=_text(item, "guid"),
    )


def _atom_item(entry: ET.Element) -> _Item:
    """Return the fields of an Atom <entry>, preferring full content over the summary."""
    body, is_html = _atom_body(entry.find(_ATOM + "content"))
    if not body:
        body, is_html = _atom_body(entry.find(_ATOM + "summary"))
    links = [
        link.get("href")
        for link in entry.findall(_ATOM + "link")
        if link.get("rel", "alternate") == "alternate"
    ]
    author = entry.find(_ATOM + "author")
    return _Item(
        title=_text(entry, _ATOM + "title"),
        link=next((href for href in links if href), None),
        published=_text(entry, _ATOM + "published", _ATOM + "updated"),
        author=_text(author, _ATOM + "name") if author is not None else None,
        body=body,
        body_is_html=is_html,
        guid=_text(entry, _ATOM + "id"),
    )


def _atom_body(element: ET.Element | None) -> tuple[str | None, bool]:
    """Return the text of an Atom content/summary element and whether it is HTML."""
    if element is None:
        return None, False
    kind = element.get("type", "text")
    if kind != "xhtml":
        return element.text, kind in ("html", "text/html")
    for node in element.iter():  # serialise as plain HTML: drop the XHTML namespace
        node.tag = _local(node.tag)
    inner = "".join(ET.tostring(child, encoding="unicode") for child in element)
    return (element.text or "") + inner, True


def _local(tag: str) -> str:
    """Return an element tag without its namespace."""
    return tag.rpartition("}")[2]


def _text(element: ET.Element, *names: str) -> str | None:
    """Return the stripped text of the first named child that has some, or None."""
    for name in names:
        for child in element.findall(name):
            if child.text and child.text.strip():
                return child.text.strip()
    return None


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
