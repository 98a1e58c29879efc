"""The ingest stage: files, folders and URLs in, RawDocs out.

Every input yields its documents or InputErrors naming what is wrong and what to
do; nothing here raises for bad input, so one broken file never stops a run.
Fetching, feeds, HTML and dates live in ``feeds``; this module finds inputs,
sniffs and decodes them, and reads plain text, Markdown and JSON itself.
"""

from __future__ import annotations

import codecs
import gzip
import json
import os
import re
import unicodedata
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from charset_normalizer import from_bytes
from charset_normalizer.md import mess_ratio

from storyline.errors import InputError
from storyline.models import RawDoc
from storyline.stages.ingest.feeds import read_feed
from storyline.stages.ingest.fetch import MB, ConnectCheck, fetch, too_large
from storyline.stages.ingest.html import read_html
from storyline.stages.ingest.published import read_published

# News text and JSON compress 3-8x with gzip; 10x leaves room for repetitive exports
# while a small "gzip bomb" cannot expand without bound.
GZIP_MAX_RATIO = 10
SNIFF_BYTES = 4096
SAMPLE_CHARS = 100_000  # enough text to judge an encoding without scanning 20 MB
# charset-normalizer's mess ratio of real Western text read as cp1252 (accents, curly
# quotes, euro signs) measured 0.0-0.04; Cyrillic, Greek or Polish bytes read as cp1252
# measured 1.0 and more, and random high bytes about 0.3.
LEGACY_MESS_MAX = 0.1
# Real text holds almost no control characters (a stray form feed or two); 5% means the
# bytes only decoded by accident.
BINARY_CONTROL_RATIO = 0.05
# News headlines run 6-15 words; a first line longer than this is body text.
HEADLINE_MAX_WORDS = 20

EMPTY = "empty file: nothing to read"
_MAGIC = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive or Office document"),
    (b"\x1f\x8b", "gzip data; only .jsonl.gz is read compressed"),
)
_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_WIDE_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)  # these encodings hold NUL bytes
_KIND_BY_SUFFIX = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
}
_MAYBE_JSON = "json or text"  # sniffed: JSON if it parses, else plain text
_URL_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*)://")
_MD_HEADING = re.compile(r"#{1,6}\s+(.+?)(?:\s+#+)?\s*")
_FRONT_MATTER = re.compile(r"---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|$)", re.S)
_FRONT_MATTER_LINE = re.compile(r"([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*")
_FRONT_MATTER_KEYS = {"date": "published", "link": "url"}  # common spellings
_QUOTE_MARKS = "\"'“”‘’«»„‚‹›"
_SENTENCE_ENDS = (".", "?", "!", ":")
_BYLINE = re.compile(r"(by|updated|published|posted|last updated)\b", re.I)
_JSON_FIELDS = frozenset({"text", "title", "published", "source", "url", "author"})
# Other names news datasets and APIs give the same fields (NewsAPI "content" and
# "publishedAt", news-please "maintext" and "date_publish", crawls' "domain"); the
# first present is used when the field itself is absent.
_JSON_ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("content", "body", "maintext", "article"),
    "title": ("headline",),
    "published": ("date", "publishedAt", "date_publish", "pubDate"),
    "source": ("domain", "outlet", "publisher", "source_domain"),
    "url": ("link",),
}


@dataclass
class IngestOptions:
    max_bytes: int = 20 * 1024 * 1024  # larger inputs are rejected
    timeout: float = 20.0  # seconds per URL fetch
    connect_check: ConnectCheck | None = None  # every connection a URL fetch opens passes it


def read_inputs(inputs: Sequence[str], options: IngestOptions) -> Iterator[RawDoc | InputError]:
    """Yield a RawDoc for every document found, or an InputError (never raised) for every
    input that could not be read."""
    for item in inputs:
        scheme = _URL_SCHEME.match(item)
        if scheme and scheme.group(1).lower() in ("http", "https"):
            yield from _guarded(item, _read_url(item, options))
        elif scheme:
            yield InputError(item, "unsupported URL scheme: give an http(s) URL or a path")
        elif os.path.isdir(item):
            yield from _read_folder(item, options)
        else:
            yield from _guarded(item, _read_file(item, options))


def _guarded(ref: str, docs: Iterator[RawDoc | InputError]) -> Iterator[RawDoc | InputError]:
    """Yield from ``docs``, turning a failure part-way into one InputError for ``ref``."""
    try:
        yield from docs
    except InputError as error:
        yield error
    except (OSError, ValueError, EOFError, RecursionError, zlib.error) as exc:
        yield InputError(ref, f"could not be read ({exc}): check it is complete and not corrupt")


def _read_folder(folder: str, options: IngestOptions) -> Iterator[RawDoc | InputError]:
    """Yield the documents of every file under ``folder``, in sorted order."""
    failures: list[OSError] = []
    for path in _walk(folder, failures.append):
        yield from _guarded(path, _read_file(path, options))
    for exc in failures:
        reason = f"cannot read this folder ({exc.strerror}): check its permissions"
        yield InputError(str(exc.filename or folder), reason)


def _walk(folder: str, on_error: Callable[[OSError], None]) -> Iterator[str]:
    """Yield the paths of the files under ``folder``, sorted, skipping hidden names."""
    for dirpath, dirnames, filenames in os.walk(folder, onerror=on_error):
        dirnames[:] = sorted(name for name in dirnames if not name.startswith("."))
        for name in sorted(filenames):
            if not name.startswith("."):
                yield os.path.join(dirpath, name)


def _read_file(ref: str, options: IngestOptions) -> Iterator[RawDoc | InputError]:
    """Yield the documents of one file, checking its size before reading it."""
    path = Path(ref)
    if not path.exists():
        raise InputError(ref, "no such file or folder: check the path")
    if not path.is_file():
        raise InputError(ref, "not a regular file or folder: give a file, a folder or a URL")
    size = path.stat().st_size
    if size > options.max_bytes:
        raise InputError(ref, too_large(size, options.max_bytes))
    name = path.name.lower()
    if name.endswith((".jsonl.gz", ".ndjson.gz")):
        yield from _read_jsonl_gz(ref, path, options.max_bytes * GZIP_MAX_RATIO)
        return
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(ref, f"cannot read it ({exc.strerror}): check its permissions") from None
    yield from _parse(ref, data, _KIND_BY_SUFFIX.get(path.suffix.lower()))


def _read_url(url: str, options: IngestOptions) -> Iterator[RawDoc | InputError]:
    """Yield the documents of a web page or feed; a feed's items are not fetched one by one."""
    data, final_url = fetch(url, options.max_bytes, options.timeout, options.connect_check)
    yield from _parse(url, data, None, final_url)


def _parse(
    ref: str, data: bytes, kind: str | None, url: str | None = None
) -> Iterator[RawDoc | InputError]:
    """Yield the documents in ``data``, read as ``kind`` or as what its content looks like."""
    if not data.strip():
        raise InputError(ref, "empty response: nothing to read" if url else EMPTY)
    reason = _binary_reason(data)
    if reason:
        raise InputError(ref, reason)
    kind = kind or _sniff(data)
    if kind == "html":
        yield read_html(ref, data, url)
    elif kind == "feed":
        yield from read_feed(ref, data)
    elif kind == "jsonl":
        yield from _jsonl_docs(ref, data.splitlines())
    elif kind in ("json", _MAYBE_JSON):
        text = _decode(ref, data)
        try:
            value = json.loads(text)
        except (ValueError, RecursionError) as exc:
            if kind == "json":
                raise InputError(ref, f"malformed JSON ({exc}): fix the file") from None
            yield _text_doc(ref, text, markdown=False)
            return
        yield from _docs_from_json(ref, value)
    else:
        yield _text_doc(ref, _decode(ref, data), markdown=kind == "markdown")


def _binary_reason(data: bytes) -> str | None:
    """Return why ``data`` is not text, or None when it may be."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return _binary(f"{what}; ")
    if b"\0" in data and not data.startswith(_WIDE_BOMS):
        return _binary()
    return None


def _binary(what: str = "") -> str:
    """Return the reason for refusing a binary file, naming what it is when known."""
    return f"binary file ({what}not text, HTML, JSON or a feed): remove it or convert it to text"


def _sniff(data: bytes) -> str:
    """Return the kind of document ``data`` looks like, from its first bytes."""
    head = data[:SNIFF_BYTES].lstrip(codecs.BOM_UTF8 + b" \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return "html"
    if head.startswith((b"<?xml", b"<!doctype", b"<rss", b"<feed", b"<rdf")):
        # XHTML pages are XML too; anything else goes to the feed reader, which
        # names the root element when it is not a feed.
        return "html" if b"<html" in head else "feed"
    if head.startswith(b"<"):
        return "html"
    if head.startswith((b"{", b"[")):
        return _MAYBE_JSON
    return "text"


def _decode(ref: str, data: bytes) -> str:
    """Return the text of ``data``: UTF-8 (or a BOM's encoding) first, else the most likely
    legacy code page; raise InputError when it is not text."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(ref, f"invalid {encoding} ({exc.reason}): re-save it") from None
            break
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            text = _decode_legacy(ref, data, exc.start)
    if _control_ratio(text) > BINARY_CONTROL_RATIO:
        raise InputError(ref, _binary())
    return text


def _decode_legacy(ref: str, data: bytes, bad_at: int) -> str:
    """Return ``data`` decoded from a legacy code page: cp1252 when it reads cleanly (most
    non-UTF-8 news is Western), else charset-normalizer's guess when it recognises a language."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        pass
    else:
        if mess_ratio(text[:SAMPLE_CHARS], LEGACY_MESS_MAX) <= LEGACY_MESS_MAX:
            return text
    best = from_bytes(data).best()
    if best is None or best.language == "Unknown" or best.encoding.startswith("utf"):
        raise InputError(
            ref,
            f"not valid UTF-8 (bad byte at offset {bad_at}) and no other text encoding fits:"
            " re-save it as UTF-8",
        )
    return str(best)


def _control_ratio(text: str) -> float:
    """Return the share of control characters (other than line breaks and tabs) in ``text``."""
    sample = text[:SAMPLE_CHARS]
    controls = sum(
        1 for ch in sample if ch not in "\t\n\r\f\v" and unicodedata.category(ch) == "Cc"
    )
    return controls / max(1, len(sample))


def _text_doc(ref: str, text: str, markdown: bool) -> RawDoc:
    """Return a plain-text or Markdown document, its front matter (a leading ``---`` block
    of ``key: value`` lines) and headline lifted out."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    fields, text = _front_matter(text)
    title = fields.pop("title", None)
    if title:
        text = _drop_heading(text, title)
    else:
        title, text = _headline(text, markdown)
    if not text:
        raise InputError(ref, "no article text, only a title or front matter: add the text")
    published, meta = read_published(fields.pop("published", None))
    return RawDoc(
        ref=ref,
        text=text,
        title=title,
        published=published,
        source=fields.pop("source", None),
        url=fields.pop("url", None),
        author=fields.pop("author", None),
        meta={**fields, **meta},
        format="markdown" if markdown else "text",
    )


def _front_matter(text: str) -> tuple[dict[str, str], str]:
    """Return the ``key: value`` pairs of a leading ``---`` block and the text after it."""
    block = _FRONT_MATTER.match(text)
    if not block:
        return {}, text
    fields: dict[str, str] = {}
    for line in block.group(1).splitlines():
        pair = _FRONT_MATTER_LINE.fullmatch(line)
        value = pair.group(2).strip(_QUOTE_MARKS).strip() if pair else ""
        if pair and value:
            key = pair.group(1).lower()
            fields[_FRONT_MATTER_KEYS.get(key, key)] = value
    if not fields:  # a thematic break, not front matter
        return {}, text
    return fields, text[block.end() :].strip()


def _drop_heading(text: str, title: str) -> str:
    """Return ``text`` without an opening Markdown heading that repeats ``title``."""
    first, _, rest = text.partition("\n")
    heading = _MD_HEADING.fullmatch(first.strip())
    if heading and heading.group(1).casefold() == title.casefold():
        return rest.strip()
    return text


def _headline(text: str, markdown: bool) -> tuple[str | None, str]:
    """Return the headline the text opens with (None if it has none) and the rest."""
    lines = text.split("\n", 2)
    first = lines[0].strip()
    next_line = lines[1].strip() if len(lines) > 1 else ""
    rest = text.partition("\n")[2].strip()
    if not rest:
        return None, text
    heading = _MD_HEADING.fullmatch(first) if markdown else None
    if heading:
        return heading.group(1), rest
    followed_well = not next_line or len(next_line) > len(first)
    if followed_well and _reads_as_headline(first):
        return first, rest
    return None, text


def _reads_as_headline(line: str) -> bool:
    """Return True when a line is short and unpunctuated like a headline, not a sentence,
    a quotation or a byline."""
    return (
        any(ch.isalpha() for ch in line)
        and len(line.split()) <= HEADLINE_MAX_WORDS
        and not line.rstrip(_QUOTE_MARKS + ")").endswith(_SENTENCE_ENDS)
        and not line.startswith(tuple(_QUOTE_MARKS))
        and not _BYLINE.match(line)
    )


def _docs_from_json(ref: str, value: object) -> Iterator[RawDoc | InputError]:
    """Yield the document(s) of a parsed JSON file: one object, or a list of them."""
    if not isinstance(value, list):
        yield _doc_from_object(ref, value)
        return
    if not value:
        raise InputError(ref, "empty JSON list: no articles to read")
    for n, item in enumerate(value, 1):
        yield _doc_from_object(f"{ref}#{n}", item)


def _jsonl_docs(ref: str, lines: Iterable[bytes]) -> Iterator[RawDoc | InputError]:
    """Yield one document per JSON line, or an InputError naming a line that is not one."""
    found = False
    for n, line in enumerate(lines, 1):
        if n == 1:
            line = line.removeprefix(codecs.BOM_UTF8)
        if not line.strip():
            continue
        found = True
        try:
            value = json.loads(line)
        except (ValueError, RecursionError) as exc:
            yield InputError(f"{ref}:{n}", f"malformed JSON line ({exc}): fix or remove it")
            continue
        yield _doc_from_object(f"{ref}:{n}", value)
    if not found:
        raise InputError(ref, EMPTY)


def _read_jsonl_gz(ref: str, path: Path, limit: int) -> Iterator[RawDoc | InputError]:
    """Yield the documents of a gzipped JSONL file, line by line, up to ``limit`` bytes."""
    try:
        with gzip.open(path, "rb") as stream:
            yield from _jsonl_docs(ref, _bounded_lines(ref, stream, limit))
    except (OSError, EOFError, zlib.error) as exc:
        yield InputError(ref, f"corrupt or truncated gzip file ({exc}): re-create it")


def _bounded_lines(ref: str, stream: gzip.GzipFile, limit: int) -> Iterator[bytes]:
    """Yield the lines of ``stream``; raise InputError once they pass ``limit`` bytes."""
    total = 0
    while line := stream.readline(limit - total + 1):
        total += len(line)
        if total > limit:
            raise InputError(
                ref, f"decompresses to more than {limit / MB:g} MB: split it into smaller files"
            )
        yield line


def _doc_from_object(ref: str, value: object) -> RawDoc | InputError:
    """Return the document a JSON object describes; other fields go to ``meta``."""
    if not isinstance(value, dict):
        found = type(value).__name__
        return InputError(ref, f'expected a JSON object with a "text" field, found {found}')
    value = _with_aliases(value)
    text = value.get("text")
    if not isinstance(text, str) or not text.strip():
        return InputError(ref, 'no "text" field (or it is empty): add the article text')
    meta: dict[str, Any] = {key: v for key, v in value.items() if key not in _JSON_FIELDS}
    published, raw = read_published(value.get("published"))
    meta.update(raw)
    return RawDoc(
        ref=ref,
        text=text.strip(),
        title=_string_field(value, "title", meta),
        published=published,
        source=_string_field(value, "source", meta),
        url=_string_field(value, "url", meta),
        author=_string_field(value, "author", meta),
        meta=meta,
        format="json",
    )


def _with_aliases(obj: dict[str, Any]) -> dict[str, Any]:
    """Return the object with each missing field taken from its first present alias."""
    out = dict(obj)
    for name, aliases in _JSON_ALIASES.items():
        if out.get(name) in (None, ""):
            alias = next((a for a in aliases if out.get(a) not in (None, "")), None)
            if alias is not None:
                out[name] = out.pop(alias)
    return out


def _string_field(obj: dict[str, Any], name: str, meta: dict[str, Any]) -> str | None:
    """Return a text field of a JSON object; a value that is not text is kept in ``meta``."""
    value = obj.get(name)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        value = ", ".join(value)  # e.g. several authors
    if isinstance(value, str):
        return value.strip() or None
    if value is not None:
        meta[name] = value
    return None
