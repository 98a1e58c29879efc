"""Shape checks for the bundled demo corpus in src/storyline/examples.

These read the corpus with the standard library only, independently of the ingest stage,
so they say whether the corpus itself is what its README promises.
"""

from __future__ import annotations

import functools
import html
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

import storyline
from tests.conftest import SHARED

EXAMPLES = Path(storyline.__file__).resolve().parent / "examples"
CORPUS = EXAMPLES / "corpus"
SEEDS = SHARED / "seeds"

MIN_ARTICLES = 14
MIN_OUTLETS = 4
MIN_WORDS, MAX_WORDS = 150, 450
# Eight words in a row is far longer than any stock news phrase ("said in a statement"),
# so a shared 8-gram means copied text, which the licensing rule forbids.
SHINGLE = 8
CONTENT_ENCODED = "{http://purl.org/rss/1.0/modules/content/}encoded"
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
JSONL_FIELDS = {"id", "title", "text", "published", "source", "url"}


@dataclass(frozen=True)
class Item:
    """One article as the corpus stores it."""

    ref: str  # gold.json's reference: file, file:line (jsonl) or file#n (feed)
    format: str
    title: str
    text: str  # article body; for plain text and markdown, everything after the header
    source: str | None  # outlet the file itself declares, if its format can
    published: str | None  # date the file itself declares, if its format can


class _PageParser(HTMLParser):
    """Collects a news page's <title>, <meta> values and <article> paragraphs."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.title = ""
        self.paragraphs: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        key = values.get("property") or values.get("name")
        if tag == "meta" and key and values.get("content"):
            self.meta[key] = values["content"] or ""
        if tag in ("title", "article", "p"):
            self._in.append(tag)
            if tag == "p" and "article" in self._in:
                self.paragraphs.append("")

    def handle_endtag(self, tag: str) -> None:
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data: str) -> None:
        if self._in and self._in[-1] == "title":
            self.title += data
        elif "article" in self._in and "p" in self._in and self.paragraphs:
            self.paragraphs[-1] += data


def _read_txt(path: Path) -> list[Item]:
    raw = path.read_text(encoding="utf-8")
    match = re.match(r"---\n(.*?)\n---\n(.*)", raw, re.S)
    assert match, f"{path.name}: no front matter naming its outlet"
    meta = dict(line.split(": ", 1) for line in match.group(1).splitlines())
    title, _, body = match.group(2).partition("\n")
    published = meta.get("published")
    return [Item(path.name, "text", title.strip(), body.strip(), meta["source"], published)]


def _read_md(path: Path) -> list[Item]:
    raw = path.read_text(encoding="utf-8")
    match = re.match(r"---\n(.*?)\n---\n(.*)", raw, re.S)
    assert match, f"{path.name}: no front matter"
    meta = dict(line.split(": ", 1) for line in match.group(1).splitlines())
    body = match.group(2).strip()
    return [Item(path.name, "markdown", meta["title"], body, meta["source"], meta["published"])]


def _read_html(path: Path) -> list[Item]:
    parser = _PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    text = "\n\n".join(p.strip() for p in parser.paragraphs)
    published = parser.meta["article:published_time"][:10]
    source = parser.meta["og:site_name"]
    return [Item(path.name, "html", parser.title, text, source, published)]


def _read_jsonl(path: Path) -> list[Item]:
    items = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        rec = json.loads(line)
        day = rec["published"][:10]
        items.append(
            Item(f"{path.name}:{n}", "json", rec["title"], rec["text"], rec["source"], day)
        )
    return items


def _read_feed(path: Path) -> list[Item]:
    channel = ET.parse(path).getroot().find("channel")
    assert channel is not None, f"{path.name}: not an RSS 2.0 feed"
    source = channel.findtext("title")
    items = []
    for n, node in enumerate(channel.findall("item"), start=1):
        content = node.findtext(CONTENT_ENCODED) or node.findtext("description") or ""
        text = html.unescape(re.sub(r"<[^>]+>", "", content)).strip()
        day = parsedate_to_datetime(node.findtext("pubDate") or "").date().isoformat()
        items.append(
            Item(f"{path.name}#{n}", "feed", node.findtext("title") or "", text, source, day)
        )
    return items


READERS = {
    ".txt": _read_txt,
    ".md": _read_md,
    ".html": _read_html,
    ".jsonl": _read_jsonl,
    ".xml": _read_feed,
}


@functools.cache
def _items() -> tuple[Item, ...]:
    """Return every article in the corpus, in file order."""
    items: list[Item] = []
    for path in sorted(CORPUS.iterdir()):
        assert path.suffix in READERS, f"{path.name}: no reader for this kind of file"
        items.extend(READERS[path.suffix](path))
    return tuple(items)


@functools.cache
def _gold() -> dict[str, Any]:
    """Return gold.json."""
    data: dict[str, Any] = json.loads((EXAMPLES / "gold.json").read_text(encoding="utf-8"))
    return data


def _raw_texts() -> dict[str, str]:
    """Return each file's text as a reader sees it (jsonl records decoded, markup kept)."""
    texts = {}
    for path in sorted(CORPUS.iterdir()):
        raw = path.read_text(encoding="utf-8")
        if path.suffix == ".jsonl":
            raw = "\n\n".join(json.loads(line)["text"] for line in raw.splitlines())
        texts[path.name] = html.unescape(raw)
    return texts


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def test_corpus_has_enough_articles_in_every_format() -> None:
    items = _items()
    formats = [i.format for i in items]
    assert len(items) >= MIN_ARTICLES
    assert set(formats) == {"text", "markdown", "html", "json", "feed"}
    assert 2 <= formats.count("json") <= 3
    assert formats.count("feed") == 2
    assert formats.count("text") > len(items) / 2, "most articles should be plain text"


def test_jsonl_records_carry_the_documented_fields_and_an_extra_one() -> None:
    for path in CORPUS.glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            keys = set(json.loads(line))
            assert keys >= JSONL_FIELDS, f"{path.name}: missing {JSONL_FIELDS - keys}"
            assert keys - JSONL_FIELDS, f"{path.name}: no field beyond the documented ones"


def test_html_pages_look_like_real_news_pages() -> None:
    pages = list(CORPUS.glob("*.html"))
    assert pages
    for path in pages:
        raw = path.read_text(encoding="utf-8")
        for marker in ("<nav", "<footer", "Share this article", "<article", "<title>"):
            assert marker in raw, f"{path.name}: no {marker}"
        assert _read_html(path)[0].text.count("\n\n") >= 3, f"{path.name}: too few paragraphs"


def test_every_article_has_news_length() -> None:
    lengths = {i.ref: len(_words(i.text)) for i in _items()}
    wrong = {ref: n for ref, n in lengths.items() if not MIN_WORDS <= n <= MAX_WORDS}
    assert not wrong, f"outside {MIN_WORDS}-{MAX_WORDS} words: {wrong}"


def test_gold_puts_every_article_in_exactly_one_event() -> None:
    refs = [i.ref for i in _items()]
    grouped = [ref for members in _gold()["events"].values() for ref in members]
    assert sorted(grouped) == sorted(refs)
    assert set(_gold()["sources"]) == set(refs)
    assert set(_gold()["published"]) == set(refs)
    for pair in _gold()["near_duplicates"]:
        assert set(pair) <= set(refs)


def test_gold_stories_chain_events_into_one_storyline_plus_an_unrelated_event() -> None:
    events, stories = _gold()["events"], _gold()["stories"]
    chained = [e for chain in stories.values() for e in chain]
    assert sorted(chained) == sorted(events), "every event belongs to exactly one story"
    longest = max(stories.values(), key=len)
    assert len(longest) >= 2
    assert set(events) - set(longest), "an unrelated event should sit outside the storyline"
    for name, members in events.items():
        outlets = {_gold()["sources"][ref] for ref in members}
        assert len(members) >= 3 and len(outlets) >= 2, f"{name}: covered too thinly"


def test_gold_outlets_and_dates_agree_with_what_files_declare() -> None:
    sources, published = _gold()["sources"], _gold()["published"]
    assert len(set(sources.values())) >= MIN_OUTLETS
    for item in _items():
        if item.source is not None:
            assert item.source == sources[item.ref], item.ref
        if item.published is not None:
            assert item.published == published[item.ref], item.ref
        assert date.fromisoformat(published[item.ref]).year == 2025


BOILERPLATE = {
    "doubled caption with pool credit": r"^(.+)\n\1\n[A-Z][\w'-]+ [A-Z][\w'-]+/Pool/[A-Z][\w ]+$",
    "related article with headline": r"^Related articles?\n[A-Z].+$",
    "aggregator's editor's P/S": r"^Editor's P/S: \S",
    "automated translation notice": r"^Powered by automated translation$",
    "share line": r"Share this article",
    "subscribe line": r"Subscribe to our newsletter",
    "updated stamp": rf"^Updated: ({MONTHS}) \d{{1,2}}, \d{{4}}, \d{{1,2}}:\d{{2}} [AP]M$",
}


@pytest.mark.parametrize("kind", sorted(BOILERPLATE))
def test_every_kind_of_boilerplate_is_present(kind: str) -> None:
    pattern = re.compile(BOILERPLATE[kind], re.M)
    assert any(pattern.search(text) for text in _raw_texts().values()), kind


# What gives a plain-text file a publication date: a stamp, a dated dateline, a full date.
DATE_MARKERS = re.compile(
    rf"^Updated:|^[A-Z]+, ({MONTHS}) \d{{1,2}} \("
    rf"|({MONTHS}) \d{{1,2}}, \d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}",
    re.M,
)
WEEKDAY_DATE = re.compile(rf"\b({WEEKDAYS}), ({MONTHS}) (\d{{1,2}})\b")
RELATIVE = ("on Tuesday", "last year", "earlier this month")


def test_several_plain_text_files_are_undated_and_one_names_a_weekday_date_pair() -> None:
    texts = _raw_texts()
    undated = {n: t for n, t in texts.items() if n.endswith(".txt") and not DATE_MARKERS.search(t)}
    assert len(undated) >= 3
    assert any(WEEKDAY_DATE.search(t) for t in undated.values())
    for phrase in RELATIVE:
        assert any(phrase in t for t in undated.values()), phrase


def test_weekday_date_pairs_are_true_in_2025() -> None:
    pairs = [m.groups() for t in _raw_texts().values() for m in WEEKDAY_DATE.finditer(t)]
    assert pairs
    for weekday, month, day in pairs:
        when = date(2025, MONTHS.split("|").index(month) + 1, int(day))
        assert when.strftime("%A") == weekday, f"{weekday}, {month} {day} is not so in 2025"


def _quotes(text: str) -> list[str]:
    """Return the normalised words of each direct quotation, line by line."""
    found = []
    for line in text.splitlines():
        for q in re.findall(r'"([^"]+)"', line) + re.findall(r"“([^”]+)”", line):
            found.append(" ".join(_words(q.replace("’", "'"))))
    return found


def test_quotes_recur_word_for_word_and_get_cut_short_across_outlets() -> None:
    outlets_by_quote: dict[str, set[str]] = {}
    for item in _items():
        for quote in _quotes(item.text):
            outlets_by_quote.setdefault(quote, set()).add(_gold()["sources"][item.ref])
    shared = [q for q, outlets in outlets_by_quote.items() if len(outlets) >= 2]
    assert any(len(q.split()) >= 5 for q in shared), "no quote appears in two outlets"
    cut = [
        (short, full)
        for short in outlets_by_quote
        for full in outlets_by_quote
        if full.startswith(short + " ") and outlets_by_quote[short] - outlets_by_quote[full]
    ]
    assert cut, "no outlet carries a shortened version of another outlet's quote"


def test_numbers_come_with_scales_currencies_and_percentages() -> None:
    text = "\n".join(i.text for i in _items())
    currencies = set(re.findall(r"([$€£])\d+(?:\.\d+)? (?:billion|million)\b", text))
    assert len(currencies) >= 2
    assert re.search(r"\b\d+ percent\b", text)
    assert re.search(r"\b(second|third|fourth) round of talks\b", text)


def test_readme_lists_every_file_and_the_license() -> None:
    readme = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    for path in CORPUS.iterdir():
        assert f"`{path.name}`" in readme, path.name
    assert "MIT" in readme


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = _words(text.replace("’", "'"))
    return {tuple(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def test_no_text_shares_eight_words_with_the_third_party_seeds() -> None:
    seeds = sorted(SEEDS.glob("*")) if SEEDS.is_dir() else []
    if not seeds:
        pytest.skip(f"no seed texts at {SEEDS}: the licensing check needs ../shared/seeds")
    seed_shingles: set[tuple[str, ...]] = set()
    for path in seeds:
        seed_shingles |= _shingles(path.read_text(encoding="utf-8", errors="replace"))
    texts = dict(_raw_texts(), README=(EXAMPLES / "README.md").read_text(encoding="utf-8"))
    for name, text in texts.items():
        common = _shingles(text) & seed_shingles
        assert not common, f"{name} shares text with the seeds: {' '.join(min(common))}"
