"""End to end on real crawled news (each Timeline17 dev topic, read from ../shared at run time):
no event title, participant, summary line or timeline line is page furniture.

The checks here are deliberately simple shape tests written apart from the cleaner's own
rules (storyline.stages.clean.furniture), so that they catch what it misses rather than restate it:
each flags only the obvious form of a byline, a photo caption, a contributor bio, a reader
comment, a correction notice, a stamp or a time zone.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

from storyline import pipeline
from storyline.models import Report
from storyline.store import Store
from tests.conftest import shared_path

pytestmark = pytest.mark.slow  # models, subprocesses or servers: not in `make quick`

# Every n-th article of each topic, so that each gives 65-95 articles and the five together
# build in about three minutes on two busy cores: bpoil (1,460 articles: BBC and Washington
# Post comment threads, Reuters datelines, Guardian captions), egypt (271: long CNN
# transcripts, CNNMoney bylines), finan (297: Washington Post chronologies and corrections),
# haiti (286) and mj (138: BBC pages with headline, caption and lead on one line).
EVERY = {"bpoil": 16, "egypt": 4, "finan": 4, "haiti": 4, "mj": 2}

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
_JOB = r"(?:editor|correspondent|writer|reporter|columnist)"
_NOISE = {
    "byline": re.compile(
        r"^By (?!(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\b|" + _MONTH + r"\s)"
        r"[A-Z][a-z]+ [A-Z][\w'-]+(?:,| \|)"
        r"|^(?:By )?[A-Z][a-z]+ [A-Z][\w'-]+\s+(?:BBC|CNN|Reuters)(?: News,| (?:\w+ )?" + _JOB + ")"
        r"|" + _JOB + _MONTH
    ),
    # A dated line is a slideshow caption when it shows a picture; a chronology ("Sept. 18:
    # The Fed expands ...") is reporting.
    "caption": re.compile(
        r"\((?:AP |AFP |Reuters )?Photo\b|\bPhotograph:|^In this (?:[\w,]+ ){0,4}photo\b"
        r"|^" + _MONTH + r" \d{1,2}: .*\b(?:seen|photo|pictured|shown)\b"
        r"|\b[A-Z]\w+, (?:left|right|center|centre), "
    ),
    "bio": re.compile(
        r"^[A-Z]\w+ (?:[A-Z]\.? )?[A-Z]\w+ is (?:a|an|the) (?:\w+ ){0,4}" + _JOB + r"\b"
    ),
    "comment": re.compile(
        r"\bwrote ?:.{0,0}|Posted by ?:|Report (?:as )?abuse|\| Reply\b", re.IGNORECASE
    ),
    "correction": re.compile(
        r"^(?:An? |The )?(?:earlier|previous|original) versions? of this\b|^Correction:", re.I
    ),
    "stamp": re.compile(
        r"\b\d{1,2}[:.]\d{2} ?(?:[ap]\.?m\.?|GMT|BST|EDT|EST|ET)\b.{0,12}\b(?:19|20)\d\d\b"
        r"|\b(?:19|20)\d\d\b.{0,12}\b\d{1,2}[:.]\d{2} ?(?:[ap]\.?m\.?|GMT|BST|EDT|EST|ET)\b"
        r"|(?:last )?updated (?:at|on)?\s*\d",
        re.IGNORECASE,
    ),
}
_TIME_ZONES = {"GMT", "UTC", "BST", "CET", "EST", "EDT", "CST", "CDT", "PST", "PDT", "ET", "PT"}
_OUTLETS = {"bbc", "bbc news", "cnn", "reuters", "ap", "associated press", "fox news", "afp"}
_OUTLETS |= {"the guardian", "guardian", "the washington post", "washington post"}


def _noise(text: str) -> list[str]:
    """Return the kinds of furniture a line of output is shaped like."""
    found = [kind for kind, shape in _NOISE.items() if shape.search(text)]
    # A sentence quoting what an official wrote is reporting; a comment header has a time.
    if found == ["comment"] and "wrote" in text and not re.search(r"\d[:.]\d\d", text):
        return []
    return found


def _participant_noise(name: str) -> bool:
    parts = re.split(r"\s+(?:and|&)\s+", name)
    signed = any(re.search(r"\s(?:BBC|CNN|AFP)$", p) for p in parts)  # "<Name> BBC"
    return name in _TIME_ZONES or signed or any(p.lower() in _OUTLETS for p in parts)


@pytest.fixture(scope="module", params=sorted(EVERY))
def report(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Report:
    topic = request.param
    source = shared_path("bench", "timelines", "t17", topic, "articles.jsonl.gz")
    folder = tmp_path_factory.mktemp(f"noise-{topic}")
    corpus = folder / f"{topic}.jsonl"
    with gzip.open(source, "rt", encoding="utf-8") as rows, corpus.open("w") as out:
        for k, line in enumerate(rows):
            if k % EVERY[topic] == 0:
                out.write(line)  # raw, tokenised as given: clean puts it back as printed
    return _built(corpus, folder / "store.db")


def _built(corpus: Path, db: Path) -> Report:
    store = Store(str(db))
    options = pipeline.Options()
    assert pipeline.ingest([str(corpus)], store, options).rejected == []
    pipeline.build(store, options)
    report = pipeline.load_report(store)
    store.close()
    return report


def _lines(report: Report) -> dict[str, list[str]]:
    """Return every line a reader sees, by where it is shown."""
    return {
        "title": [e.title for e in report.events] + [s.title for s in report.stories],
        "summary": [line.text for e in report.events for line in e.summary],
        "timeline": [
            line.text for s in report.stories for entry in s.timeline for line in entry.sentences
        ],
    }


@pytest.mark.slow
def test_no_title_summary_or_timeline_line_is_furniture(report: Report) -> None:
    shown = _lines(report)
    assert len(shown["title"]) > 20 and shown["summary"] and shown["timeline"]
    bad = [(where, kinds, text) for where, texts in shown.items() for text in texts
           if (kinds := _noise(text))]  # fmt: skip
    assert bad == []


@pytest.mark.slow
def test_no_participant_is_an_outlet_or_a_time_zone(report: Report) -> None:
    names = {p for e in report.events for p in e.participants}
    names |= {p for s in report.stories for p in s.participants}
    assert names
    assert sorted(n for n in names if _participant_noise(n)) == []


def test_the_shape_checks_flag_the_obvious_forms() -> None:
    assert _noise("By Tomas Ferrand, Harbour Editor")
    assert _noise("At 10:14 am on 2 Mar 2011, harbourfan wrote: About time too.")
    assert _noise("March 1: Fishing boats are seen under the old swing bridge.")
    assert _noise("Ilse Varga BBC News, Port Avel The vote was close.")
    assert _noise("By Ilse Varga, staff reporterMarch 1, 2011: 9:40 AM ET The vote was close.")
    assert _noise("Earlier versions of this article gave the wrong date for the vote.")
    assert _noise("The quay at dusk Photograph: Ilse Varga/Reuters The vote was close.")
    assert _noise("In this March 1 file photo, boats wait under the old swing bridge.")
    assert _noise("Tomas Ferrand is a senior correspondent for the Avel Gazette.")
    assert _noise("1 March 2011 Last updated at 16:05 GMT")
    assert not _noise("By Tuesday, the council had voted to replace the bridge.")
    assert not _noise("March 1: The council votes to replace the bridge.")  # a chronology
    assert not _noise("Harbour Radio BBC Week 9: what the stations play this week.")
    assert not _noise('In a letter, Ellison wrote: "The bridge will be ready by spring."')
    assert _participant_noise("BST") and _participant_noise("BBC and CNN")
    assert _participant_noise("Ilse Varga BBC")
    assert not _participant_noise("Harbour Council")
