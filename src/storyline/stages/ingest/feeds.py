"""RSS 1.0/2.0 and Atom feeds: one RawDoc per item, read from XML that may not expand
entities or follow external references."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from typing import cast

from defusedxml import DefusedXmlException, EntitiesForbidden
from defusedxml import ElementTree as SafeET

from storyline.errors import InputError
from storyline.models import RawDoc
from storyline.stages.ingest.html import html_to_text
from storyline.stages.ingest.published import read_published

_ATOM = "{http://www.w3.org/2005/Atom}"
_RSS1 = "{http://purl.org/rss/1.0/}"
_CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_NAME_IN_PARENS = re.compile(r"\(([^()]+)\)\s*$")  # RSS <author>: "desk@example.com (Jane Doe)"
NO_ITEM_TEXT = (
    "feed item has no text (no content, description or summary): storyline does not fetch"
    " item links; save the articles themselves"
)


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
