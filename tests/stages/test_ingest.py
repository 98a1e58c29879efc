"""Tests for the ingest stage: every format, every way an input can be bad, and URLs served
by a local HTTP server. All fixture prose is invented for these tests."""

from __future__ import annotations

import gzip
import json
import random
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from storyline.errors import InputError
from storyline.models import RawDoc
from storyline.stages.ingest.files import IngestOptions, read_inputs
from storyline.stages.ingest.html import html_to_text
from storyline.stages.ingest.published import normalise_date
from tests.conftest import FIXTURES, SHARED

INGEST = FIXTURES / "ingest"
SEEDS = SHARED / "seeds"

BODY = (
    "The ferry operator on Lake Veren added a late crossing on Fridays after commuters "
    "complained that the last boat left before most shifts ended."
)
MORE = "A spokesperson said the extra trip would run until the end of October at least."
ARTICLE = {
    "id": "lv-204",
    "title": "Late ferry added on Lake Veren",
    "text": BODY,
    "published": "2024-04-19T17:30:00Z",
    "source": "Veren Post",
    "url": "https://post.example.com/ferry",
    "section": "transport",
    "words": 42,
}


def _read(*inputs: str | Path, options: IngestOptions | None = None) -> list[RawDoc | InputError]:
    return list(read_inputs([str(i) for i in inputs], options or IngestOptions()))


def _one_doc(path: Path) -> RawDoc:
    [doc] = _read(path)
    assert isinstance(doc, RawDoc), doc
    return doc


def _one_error(*inputs: str | Path, options: IngestOptions | None = None) -> InputError:
    [error] = _read(*inputs, options=options)
    assert isinstance(error, InputError), error
    return error


def _write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


# --- plain text and Markdown ---------------------------------------------------------------


def test_text_headline_becomes_title() -> None:
    doc = _one_doc(INGEST / "headline.txt")
    assert doc.title == "Library in Millbrook opens a seed-sharing shelf"
    assert doc.text.startswith("The public library in Millbrook")
    assert "seed-sharing shelf" not in doc.text
    assert doc.ref == str(INGEST / "headline.txt")
    assert (doc.format, doc.published, doc.source) == ("text", None, None)


@pytest.mark.parametrize(
    ("first_line", "second_line"),
    [
        ("Ferry adds a late crossing", ""),  # blank line after
        ("Ferry adds a late crossing", BODY),  # directly followed by a longer line
    ],
)
def test_short_first_line_reads_as_headline(
    tmp_path: Path, first_line: str, second_line: str
) -> None:
    doc = _one_doc(_write(tmp_path / "a.txt", f"{first_line}\n{second_line}\n{MORE}\n"))
    assert doc.title == first_line
    assert doc.text.startswith(second_line or MORE)


@pytest.mark.parametrize(
    "first_line",
    [
        BODY,  # a long sentence
        "The ferry will run late on Fridays.",  # ends like a sentence
        "The operator said:",
        "“We listened to the commuters”",  # a quotation
        "By Hanna Ilves",  # a byline
        "Published: 2024-04-19",  # a dateline stays for later stages
    ],
)
def test_first_line_that_is_not_a_headline_stays_in_text(tmp_path: Path, first_line: str) -> None:
    doc = _one_doc(_write(tmp_path / "a.txt", f"{first_line}\n\n{MORE}\n"))
    assert doc.title is None
    assert doc.text == f"{first_line}\n\n{MORE}"


def test_short_line_followed_by_shorter_line_is_not_a_headline(tmp_path: Path) -> None:
    text = "Ferry timetable changes\nFridays only\n\n" + MORE
    doc = _one_doc(_write(tmp_path / "a.txt", text))
    assert doc.title is None
    assert doc.text == text


def test_single_line_file_keeps_its_text(tmp_path: Path) -> None:
    doc = _one_doc(_write(tmp_path / "a.txt", "Ferry adds a late crossing\n"))
    assert (doc.title, doc.text) == (None, "Ferry adds a late crossing")


def test_markdown_front_matter_gives_metadata() -> None:
    doc = _one_doc(INGEST / "article.md")
    assert doc.format == "markdown"
    assert doc.title == "Night trains return to the valley line"
    assert doc.published == "2024-02-11"
    assert doc.source == "Valley Gazette"
    assert doc.author == "Jonas Weber"
    assert doc.url == "https://gazette.example.net/night-trains"
    assert doc.meta == {"tags": "transport"}
    assert doc.text.startswith("A sleeper service between Arnsfeld")
    assert "---" not in doc.text and "# Night trains" not in doc.text


def test_plain_text_front_matter_gives_metadata_and_the_headline_stays(tmp_path: Path) -> None:
    """A plain-text file may name its outlet (and date) in front matter, as Markdown does;
    its first line is still read as the headline."""
    text = f"---\nsource: Harbour Courier\n---\nLate ferry on Fridays\n\n{BODY}\n"
    doc = _one_doc(_write(tmp_path / "a.txt", text))
    assert doc.format == "text"
    assert (doc.source, doc.published, doc.title, doc.text) == (
        "Harbour Courier",
        None,
        "Late ferry on Fridays",
        BODY,
    )
    ruled = f"---\n{BODY}\n---\n\n{MORE}"  # a rule around prose is text, not metadata
    assert _one_doc(_write(tmp_path / "b.txt", ruled)).text == ruled


def test_markdown_heading_becomes_title(tmp_path: Path) -> None:
    doc = _one_doc(_write(tmp_path / "a.md", f"# Late ferry on Fridays\n{BODY}\n"))
    assert (doc.title, doc.text) == ("Late ferry on Fridays", BODY)


def test_markdown_unreadable_date_is_kept_in_meta(tmp_path: Path) -> None:
    doc = _one_doc(_write(tmp_path / "a.md", f"---\ndate: last spring\n---\n\n{BODY}\n"))
    assert doc.published is None
    assert doc.meta == {"published_raw": "last spring"}


def test_markdown_rule_is_not_front_matter(tmp_path: Path) -> None:
    text = f"---\n{BODY}\n---\n\n{MORE}"
    doc = _one_doc(_write(tmp_path / "a.md", text))
    assert (doc.title, doc.text, doc.meta) == (None, text, {})


def test_front_matter_without_text_is_rejected(tmp_path: Path) -> None:
    error = _one_error(_write(tmp_path / "a.md", "---\ntitle: Late ferry\n---\n"))
    assert error.reason.startswith("no article text")


# --- encodings and binary files ------------------------------------------------------------


def test_latin1_text_is_decoded(tmp_path: Path) -> None:
    text = "Neues Café in Zürich\n\nDas Café am Seeufer in Zürich öffnet nach dem Umbau wieder.\n"
    doc = _one_doc(_write(tmp_path / "a.txt", text.encode("latin-1")))
    assert doc.title == "Neues Café in Zürich"
    assert doc.text == "Das Café am Seeufer in Zürich öffnet nach dem Umbau wieder."


def test_cp1252_quotes_and_euro_are_decoded(tmp_path: Path) -> None:
    text = "The mayor’s “harbour plan” will cost €5 million — more than expected, aides said."
    doc = _one_doc(_write(tmp_path / "a.txt", text.encode("cp1252")))
    assert doc.text == text


def test_other_code_pages_are_detected(tmp_path: Path) -> None:
    text = (
        "Городской совет утвердил новый план ремонта набережной. Работы начнутся весной и "
        "продлятся почти два года, сообщили в администрации. Жители давно просили об этом."
    )
    doc = _one_doc(_write(tmp_path / "a.txt", text.encode("cp1251")))
    assert doc.text == text


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_byte_order_marks_are_honoured(tmp_path: Path, encoding: str) -> None:
    doc = _one_doc(_write(tmp_path / "a.txt", f"{BODY}\n\n{MORE}".encode(encoding)))
    assert doc.text == f"{BODY}\n\n{MORE}"


def test_undecodable_bytes_are_rejected(tmp_path: Path) -> None:
    # Chosen behaviour: bytes that are neither UTF-8 nor a recognisable code page are refused,
    # never decoded into mojibake.
    rng = random.Random(7)
    data = b"".join(b"ferry " + bytes([rng.randrange(0x80, 0x100)]) for _ in range(300))
    error = _one_error(_write(tmp_path / "a.txt", data))
    assert error.reason.startswith("not valid UTF-8 (bad byte at offset 6)")
    assert "re-save it as UTF-8" in error.reason


def test_png_is_rejected_as_binary(tmp_path: Path) -> None:
    rng = random.Random(3)
    data = b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(2048))
    error = _one_error(_write(tmp_path / "photo.txt", data))
    assert error.reason.startswith("binary file (a PNG image;")
    assert error.reason.endswith("remove it or convert it to text")


def test_nul_bytes_mean_binary(tmp_path: Path) -> None:
    error = _one_error(_write(tmp_path / "a.txt", BODY.encode() + b"\x00\x01\x02" + b"x" * 100))
    assert error.reason.startswith("binary file (not text")


def test_control_characters_mean_binary(tmp_path: Path) -> None:
    data = bytes(range(1, 9)) * 40 + BODY.encode()
    assert _one_error(_write(tmp_path / "a.txt", data)).reason.startswith("binary file")


@pytest.mark.parametrize("content", [b"", b"  \n\t\r\n  \n"])
@pytest.mark.parametrize("name", ["a.txt", "a.html", "a.json", "a.jsonl", "a.rss", "a.dat"])
def test_empty_file_is_rejected(tmp_path: Path, name: str, content: bytes) -> None:
    error = _one_error(_write(tmp_path / name, content))
    assert error.reason.startswith("empty file")


def test_file_over_the_limit_is_rejected_without_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper, nothing on disk

    def no_read(*args: object, **kwargs: object) -> bytes:
        raise AssertionError("an oversized file must be refused before it is read")

    monkeypatch.setattr(Path, "read_bytes", no_read)
    started = time.perf_counter()
    error = _one_error(big, options=IngestOptions(max_bytes=20 * 1024 * 1024))
    assert time.perf_counter() - started < 1.0
    assert error.ref == str(big)
    assert error.reason == (
        "50 MB, larger than the 20 MB limit (STORYLINE_MAX_FILE_MB): split it or raise the limit"
    )


def test_missing_path_and_other_schemes_are_named(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.txt"
    assert _one_error(missing).reason == "no such file or folder: check the path"
    assert _one_error("ftp://example.com/a.txt").reason.startswith("unsupported URL scheme")


# --- HTML -----------------------------------------------------------------------------------


def test_news_page_gives_article_and_metadata() -> None:
    doc = _one_doc(INGEST / "news_page.html")
    assert doc.format == "html"
    assert doc.title == "Harbour bridge reopens after storm repairs"
    assert doc.author == "Mira Okafor"
    assert doc.published == "2024-03-05T08:30:00+01:00"
    assert doc.source == "The Lakeside Courier"
    assert doc.url == "https://courier.example.org/news/harbour-bridge-reopens"
    paragraphs = doc.text.split("\n")
    assert len(paragraphs) == 3
    assert paragraphs[0].startswith("The Eastport harbour bridge reopened")
    for boilerplate in ("Subscribe now", "Most read", "All rights reserved", "Cookie settings"):
        assert boilerplate not in doc.text


def test_broken_html_still_gives_its_text() -> None:
    doc = _one_doc(INGEST / "broken.html")
    assert doc.title == "Ferries halted by gale"
    lines = doc.text.split("\n")
    assert lines[0] == (
        "Ferry services to the northern islands were suspended on Friday after strong winds"
        " swept the coast"
    )
    assert "probably on Sunday morning." in lines[1]
    assert lines[2].startswith("Passengers holding tickets were offered refunds")


def test_html_without_article_text_is_rejected(tmp_path: Path) -> None:
    page = "<html><head><title>Loading</title></head><body><script>go()</script></body></html>"
    error = _one_error(_write(tmp_path / "a.html", page))
    assert error.reason.startswith("no article text found in HTML")


def test_html_fragment_to_text_keeps_paragraphs() -> None:
    fragment = "<p>One &amp; two</p>\n<p>Three <b>four</b><br>five</p><style>p{}</style>"
    assert html_to_text(fragment) == "One & two\nThree four\nfive"
    assert html_to_text("Plain text &lt;3\nsecond line") == "Plain text <3\nsecond line"


# --- JSON -----------------------------------------------------------------------------------


def _check_article(doc: RawDoc | InputError, ref: str) -> None:
    assert isinstance(doc, RawDoc), doc
    assert doc.ref == ref
    assert doc.format == "json"
    assert (doc.title, doc.text) == (ARTICLE["title"], BODY)
    assert doc.published == "2024-04-19T17:30:00+00:00"
    assert (doc.source, doc.url) == (ARTICLE["source"], ARTICLE["url"])
    assert doc.meta == {"id": "lv-204", "section": "transport", "words": 42}


def test_json_object(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.json", json.dumps(ARTICLE))
    [doc] = _read(path)
    _check_article(doc, str(path))


def test_json_list_names_each_item(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.json", json.dumps([ARTICLE, {"title": "no body"}, ARTICLE]))
    first, missing, third = _read(path)
    _check_article(first, f"{path}#1")
    _check_article(third, f"{path}#3")
    assert isinstance(missing, InputError)
    assert missing.ref == f"{path}#2"
    assert missing.reason.startswith('no "text" field')


def test_malformed_json_file_is_rejected(tmp_path: Path) -> None:
    error = _one_error(_write(tmp_path / "a.json", '{"text": "unfinished'))
    assert error.reason.startswith("malformed JSON (")


def test_json_fields_of_other_types(tmp_path: Path) -> None:
    item = {"text": BODY, "author": ["Ana Ruiz", "Tom Berg"], "title": 7, "published": 1713548000}
    doc = _one_doc(_write(tmp_path / "a.json", json.dumps(item)))
    assert (doc.author, doc.title, doc.published) == ("Ana Ruiz, Tom Berg", None, None)
    assert doc.meta == {"title": 7, "published_raw": 1713548000}


def _jsonl_lines() -> list[str]:
    second = {**ARTICLE, "id": "lv-205"}
    return [json.dumps(ARTICLE), "", '{"text": "cut off', json.dumps(second), "[1, 2]"]


def _check_jsonl(results: list[RawDoc | InputError], path: Path) -> None:
    first, bad, second, not_object = results
    _check_article(first, f"{path}:1")
    assert isinstance(second, RawDoc) and second.ref == f"{path}:4"
    assert second.meta["id"] == "lv-205"
    assert isinstance(bad, InputError) and bad.ref == f"{path}:3"
    assert bad.reason.startswith("malformed JSON line (")
    assert isinstance(not_object, InputError) and not_object.ref == f"{path}:5"
    assert not_object.reason == 'expected a JSON object with a "text" field, found list'


def test_jsonl_bad_line_is_named_and_others_are_read(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.jsonl", "\n".join(_jsonl_lines()) + "\n")
    _check_jsonl(_read(path), path)


def test_jsonl_gz(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.jsonl.gz", gzip.compress("\n".join(_jsonl_lines()).encode()))
    _check_jsonl(_read(path), path)


def test_truncated_gzip_keeps_the_lines_before_the_damage(tmp_path: Path) -> None:
    rng = random.Random(5)
    words = BODY.split()
    lines = [json.dumps({"id": n, "text": " ".join(rng.sample(words, 12))}) for n in range(400)]
    data = gzip.compress("\n".join(lines).encode())
    path = _write(tmp_path / "a.jsonl.gz", data[: len(data) * 2 // 3])
    *docs, error = _read(path)
    assert 0 < len(docs) < 400
    assert all(isinstance(doc, RawDoc) for doc in docs)
    assert [doc.meta["id"] for doc in docs if isinstance(doc, RawDoc)] == list(range(len(docs)))
    assert isinstance(error, InputError) and error.ref == str(path)
    assert error.reason.startswith("corrupt or truncated gzip file")


def test_gzip_that_expands_past_the_limit_is_stopped(tmp_path: Path) -> None:
    line = json.dumps({"text": BODY}) + "\n"
    path = _write(tmp_path / "a.jsonl.gz", gzip.compress(line.encode() * 5000))
    results = _read(path, options=IngestOptions(max_bytes=20_000))  # 200 kB allowed, 900 kB in
    assert isinstance(results[-1], InputError)
    assert results[-1].reason.startswith("decompresses to more than")
    assert 0 < len(results) - 1 < 5000


# --- feeds ----------------------------------------------------------------------------------


def test_rss_feed_items() -> None:
    path = INGEST / "feed.rss"
    first, second, empty = _read(path)
    assert isinstance(first, RawDoc) and isinstance(second, RawDoc)
    assert first.ref == f"{path}#1" and first.format == "feed"
    assert first.title == "Fishing fleet gets new cold store"
    assert first.text == (  # content:encoded wins over the teaser; script dropped
        "The harbour authority opened a cold store for the fishing fleet on Monday.\n"
        "Skippers said it would let them land catches at night & sell them the next morning."
    )
    assert first.published == "2024-05-14T07:45:00+02:00"
    assert (first.author, first.source) == ("Lena Marsh", "Harbour Town Daily")
    assert first.url == "https://daily.example.com/2024/05/cold-store"
    assert first.meta == {"guid": "hd-1001"}
    assert second.text.split("\n") == [
        "Councillors postponed a vote on higher parking fees until June.",
        "Traders had asked for more time to respond.",
    ]
    assert (second.author, second.published) == ("Omar Reyes", "2024-05-15T18:00:00+00:00")
    assert isinstance(empty, InputError) and empty.ref == f"{path}#3"
    assert empty.reason.startswith("feed item has no text")


def test_atom_feed_entries() -> None:
    path = INGEST / "feed.atom"
    first, second = _read(path)
    assert isinstance(first, RawDoc) and isinstance(second, RawDoc)
    assert first.title == "Bridge & tunnel tolls frozen"
    assert first.url == "https://observer.example.org/tolls"
    assert first.published == "2024-06-01T09:30:00+00:00"  # published, not updated
    assert (first.author, first.source) == ("Priya Nair", "Ridgeway Observer")
    assert first.text == (
        "The regional transport board froze bridge and tunnel tolls for another year.\n"
        "Drivers will keep paying 3 euros per crossing."
    )
    assert second.ref == f"{path}#2"
    assert second.published == "2024-05-30T16:20:00+01:00"
    assert second.text.startswith("Builders finished the roof")


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>Laughs</title>
<item><title>&lol9;</title><description>&lol9;</description></item>
</channel></rss>
"""


def test_billion_laughs_feed_is_refused_fast(tmp_path: Path) -> None:
    path = _write(tmp_path / "bomb.xml", BILLION_LAUGHS)
    started = time.perf_counter()
    error = _one_error(path)
    assert time.perf_counter() - started < 1.0
    assert error.reason.startswith("unsafe XML (entity declarations) in feed: ")


def test_external_entity_is_refused(tmp_path: Path) -> None:
    secret = _write(tmp_path / "secret.txt", "do not leak me")
    feed = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file://{secret}">]>'
        "<rss><channel><item><description>&x;</description></item></channel></rss>"
    )
    error = _one_error(_write(tmp_path / "a.rss", feed))
    assert error.reason.startswith("unsafe XML (entity declarations) in feed: ")


def test_xml_that_is_not_a_feed_is_named(tmp_path: Path) -> None:
    error = _one_error(_write(tmp_path / "a.xml", "<?xml version='1.0'?><catalog><b/></catalog>"))
    assert error.reason.startswith("XML root <catalog> is not an RSS or Atom feed")
    error = _one_error(_write(tmp_path / "b.xml", "<rss><channel><item>"))
    assert error.reason.startswith("malformed XML (")


# --- unknown extensions are sniffed ---------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ((INGEST / "news_page.html").read_text(), "html"),
        ((INGEST / "feed.atom").read_text(), "feed"),
        (json.dumps(ARTICLE), "json"),
        (f"Ferry adds a late crossing\n\n{BODY}", "text"),
        ("{not json at all}\n\n" + BODY, "text"),
    ],
)
def test_unknown_extension_is_sniffed(tmp_path: Path, content: str, expected: str) -> None:
    docs = _read(_write(tmp_path / "item.dat", content))
    assert docs and all(isinstance(d, RawDoc) and d.format == expected for d in docs), docs


def test_unknown_binary_extension_is_rejected(tmp_path: Path) -> None:
    error = _one_error(_write(tmp_path / "report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"))
    assert error.reason.startswith("binary file (a PDF document;")


# --- dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2023-10-17", "2023-10-17"),
        (" 20231017 ", "2023-10-17"),
        ("2023-10-17T09:00:00Z", "2023-10-17T09:00:00+00:00"),
        ("2023-10-17 09:00", "2023-10-17T09:00:00"),
        ("Tue, 17 Oct 2023 09:00:00 GMT", "2023-10-17T09:00:00+00:00"),
        ("Tue, 17 Oct 2023 11:00:00 +0200", "2023-10-17T11:00:00+02:00"),
        ("October 17, 2023", "2023-10-17"),
        ("17 Oct 2023", "2023-10-17"),
        ("2023-02-30", None),
        ("last Tuesday", None),
        ("", None),
    ],
)
def test_normalise_date(raw: str, expected: str | None) -> None:
    assert normalise_date(raw) == expected


# --- folders --------------------------------------------------------------------------------


def test_folder_yields_every_good_file_and_names_each_bad_one(tmp_path: Path) -> None:
    _write(tmp_path / "b_story.txt", f"Ferry adds a late crossing\n\n{BODY}")
    _write(tmp_path / "a_items.jsonl", json.dumps(ARTICLE) + "\n{oops\n")
    _write(tmp_path / "sub" / "c.json", json.dumps(ARTICLE))
    _write(tmp_path / "sub" / "deeper" / "d.md", f"# Ferry\n\n{MORE}")
    _write(tmp_path / "empty.txt", "")
    _write(tmp_path / "photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    _write(tmp_path / ".hidden.txt", BODY)
    _write(tmp_path / ".cache" / "e.txt", BODY)
    results = _read(tmp_path)
    docs = [r.ref for r in results if isinstance(r, RawDoc)]
    errors = Counter(r.ref for r in results if isinstance(r, InputError))
    root = str(tmp_path)
    assert docs == [
        f"{root}/a_items.jsonl:1",
        f"{root}/b_story.txt",
        f"{root}/sub/c.json",
        f"{root}/sub/deeper/d.md",
    ]
    assert errors == {
        f"{root}/a_items.jsonl:2": 1,
        f"{root}/empty.txt": 1,
        f"{root}/photo.png": 1,
    }


def test_real_seed_reports_read_cleanly() -> None:
    if not SEEDS.exists():
        pytest.skip(f"{SEEDS} is absent: the seed reports live in ../shared beside the repository")
    results = _read(SEEDS)
    assert len(results) == len(list(SEEDS.glob("*.txt")))
    assert all(isinstance(r, RawDoc) and len(r.text) > 500 for r in results)


# --- URLs -----------------------------------------------------------------------------------

PLAIN_PAGE = (
    "<html><head><title>Ferry timetable</title></head><body><article><p>"
    + BODY
    + "</p><p>"
    + MORE
    + "</p></article></body></html>"
).encode()
LIMIT = 1024 * 1024


class _Handler(BaseHTTPRequestHandler):
    """Serves the pages the URL tests fetch."""

    user_agents: list[str] = []  # noqa: RUF012 - shared with the tests on purpose

    def do_GET(self) -> None:
        self.user_agents.append(self.headers.get("User-Agent", ""))
        routes = {
            "/article": (INGEST / "news_page.html").read_bytes(),
            "/plain": PLAIN_PAGE,
            "/feed": (INGEST / "feed.rss").read_bytes(),
            "/big": b"x" * (3 * LIMIT),
        }
        try:
            if self.path == "/moved":
                self.send_response(302)
                self.send_header("Location", "/plain")
                self.end_headers()
            elif self.path in routes:
                body = routes[self.path]
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            elif self.path == "/stream":  # no Content-Length: the size shows only while reading
                self.send_response(200)
                self.end_headers()
                for _ in range(30):
                    self.wfile.write(b"y" * 100_000)
            elif self.path == "/slow":
                time.sleep(2)
                self.send_response(200)
                self.end_headers()
            else:
                self.send_error(404, "Not Found")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading, as it should for oversized bodies

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def web(server: str, monkeypatch: pytest.MonkeyPatch) -> str:
    for name in (
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ):
        monkeypatch.delenv(name, raising=False)
    return server


def _fetch(url: str, timeout: float = 5.0) -> list[RawDoc | InputError]:
    return _read(url, options=IngestOptions(max_bytes=LIMIT, timeout=timeout))


def test_url_html_page(web: str) -> None:
    [doc] = _fetch(f"{web}/article")
    assert isinstance(doc, RawDoc)
    assert doc.ref == f"{web}/article"
    assert doc.title == "Harbour bridge reopens after storm repairs"
    assert doc.source == "The Lakeside Courier"
    assert "Subscribe now" not in doc.text
    assert _Handler.user_agents[-1] == "storyline/0.1"


def test_url_page_without_metadata_takes_source_from_the_address(web: str) -> None:
    [doc] = _fetch(f"{web}/moved")  # redirected to /plain
    assert isinstance(doc, RawDoc)
    assert doc.ref == f"{web}/moved"
    assert doc.url == f"{web}/plain"
    assert doc.source is not None and doc.source.startswith("127.0.0.1")
    assert doc.text == f"{BODY}\n{MORE}"


def test_url_feed_gives_its_items_without_fetching_links(web: str) -> None:
    before = len(_Handler.user_agents)
    results = _fetch(f"{web}/feed")
    assert [r.ref for r in results] == [f"{web}/feed#1", f"{web}/feed#2", f"{web}/feed#3"]
    assert [type(r) for r in results] == [RawDoc, RawDoc, InputError]
    assert len(_Handler.user_agents) == before + 1


def test_url_error_status_is_named(web: str) -> None:
    [error] = _fetch(f"{web}/missing")
    assert isinstance(error, InputError)
    assert error.reason == "HTTP 404 Not Found: check the address"


@pytest.mark.parametrize("path", ["/big", "/stream"])
def test_url_oversized_response_is_refused(web: str, path: str) -> None:
    [error] = _fetch(web + path)
    assert isinstance(error, InputError)
    assert "larger than the 1 MB limit (STORYLINE_MAX_FILE_MB)" in error.reason


def test_url_timeout_and_refused_connection(web: str) -> None:
    started = time.perf_counter()
    [slow] = _fetch(f"{web}/slow", timeout=0.3)
    assert time.perf_counter() - started < 1.5
    assert isinstance(slow, InputError) and slow.reason.startswith("timed out after 0.3 s")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}/"
    [refused] = _fetch(closed)
    assert isinstance(refused, InputError) and refused.reason.startswith("could not fetch it (")


def test_json_fields_under_the_names_news_apis_use(tmp_path: Path) -> None:
    item = {
        "headline": "Ferry fares rise",
        "content": BODY,
        "publishedAt": "2024-04-19T17:30:00Z",
        "domain": "harbour.example",
        "link": "https://harbour.example/fares",
    }
    doc = _one_doc(_write(tmp_path / "a.json", json.dumps(item)))
    assert (doc.title, doc.text, doc.source) == ("Ferry fares rise", BODY, "harbour.example")
    assert doc.url == "https://harbour.example/fares" and (doc.published or "").startswith(
        "2024-04-19"
    )
    both = _one_doc(_write(tmp_path / "b.json", json.dumps({"text": BODY, "content": "other"})))
    assert both.text == BODY and both.meta == {"content": "other"}
