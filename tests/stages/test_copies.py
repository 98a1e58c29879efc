"""Tests for copy detection: reprints and rewrites of one wire story, independent sources."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys

import pytest

from storyline.models import Article, DateRange, RawDoc, reading_order, source_name
from storyline.stages.clean.article import clean
from storyline.stages.cluster.copies import (
    LINK_CONTAINMENT,
    CopyLink,
    find_copies,
    independent_sources,
    normalise,
    overlap,
    shingle_sets,
)
from storyline.stages.ingest.files import IngestOptions, read_inputs
from tests.conftest import ROOT, shared_path

# A wire story written for these tests (own words), one paragraph per item.
WIRE = [
    "PORT ELLISON (AP) \u2014 A cargo ship lost power and struck a pillar of the Calloway "
    "Bridge early on Tuesday, forcing the authorities to close the span to traffic and "
    "halting shipping on the river for most of the day, port officials said.",
    "The vessel, the Northern Tern, was carrying grain from the inland terminals to the "
    "coast when its engines failed about two kilometres upstream. Tugboats could not reach "
    "it before the current pushed it against the bridge.",
    "No one was hurt, according to the harbour master, Marta Quintero, who said divers "
    "would inspect the damaged pillar on Wednesday morning.",
    "\u201cWe will not reopen the bridge until the engineers have signed off on every "
    "support,\u201d Quintero told reporters at the port authority\u2019s offices.",
    "About forty thousand vehicles cross the bridge on a normal weekday, and the closure "
    "sent commuters onto ferries and a long detour through the northern suburbs.",
    "The shipping company that operates the Northern Tern said in a statement that it was "
    "cooperating with investigators and that its crew had followed emergency procedures.",
    "It was the second collision with the bridge in three years. In the earlier accident "
    "a barge scraped the same pillar, causing damage that took four months to repair.",
    "City officials said they would ask the national transport ministry for money to build "
    "protective barriers around the pillars, a project engineers first proposed a decade ago.",
]

# The same story rewritten by a local paper: new byline, an edited sentence, the last two
# paragraphs trimmed and a local paragraph added.
REWRITE = [
    "By Jo Reed, Harbor Times",
    WIRE[0].replace("PORT ELLISON (AP) \u2014 ", ""),
    WIRE[1].replace("about two kilometres", "more than a mile"),
    WIRE[2],
    "In the riverside district of Lowmarsh, shop owners said the closure had emptied their "
    "streets by lunchtime, and the local school held back its afternoon buses.",
    WIRE[3],
    WIRE[4],
    WIRE[5],
]

# The same happening reported independently: shared names, numbers and one quote.
INDEPENDENT = [
    "Traffic in Port Ellison ground to a halt on Tuesday after the grain carrier Northern "
    "Tern drifted into the Calloway Bridge, damaging one of its concrete supports.",
    "Harbour master Marta Quintero said nobody was injured. \u201cWe will not reopen the "
    "bridge until the engineers have signed off,\u201d she said, adding that divers were due "
    "to examine the support on Wednesday.",
    "Witnesses on the riverbank described hearing a loud crack shortly after dawn as the "
    "ship, apparently without power, swung sideways in the current.",
    "Commuters faced long queues for ferries, and the city urged drivers to avoid the "
    "northern detour during the morning rush.",
    "The operator of the vessel, which had been hauling grain downriver, would only say in "
    "a short statement that it was helping the inquiry.",
    "Engineers have warned for years that the bridge's supports lack protective barriers; "
    "a barge hit the same pillar three years ago.",
]

# An unrelated story by the same outlet as the independent report.
OTHER = [
    "The city council approved a new budget for its public libraries on Thursday, adding "
    "evening opening hours at four branches and money for a mobile reading van.",
    "Council members said the extra hours answered years of requests from students who "
    "had nowhere quiet to study after school closed for the day.",
    "The library director welcomed the vote and said recruitment of additional staff "
    "would begin next month, with the longer hours starting in the autumn.",
]


def article(ident: str, paragraphs: list[str], source: str, day: str, title: str = "") -> Article:
    text = "\n\n".join(paragraphs)
    date = DateRange(day, day, "given")
    return Article(ident, f"{ident}.txt", text, title=title or None, source=source, date=date)


def wire(ident: str = "wire", source: str = "ap", day: str = "2024-03-04") -> Article:
    return article(ident, WIRE, source, day, "Ship hits Calloway Bridge")


def test_normalise_drops_dateline_byline_credit_and_punctuation() -> None:
    assert normalise("HOUSTON, May 3 (Reuters) - Oil \u201crose\u201d.") == ["oil", "rose"]
    assert normalise("NEW ORLEANS -LRB- AP -RRB- -- Oil rose .") == ["oil", "rose"]
    assert normalise("By Jo Reed, Harbor Times\n\nOil rose.") == ["oil", "rose"]
    assert normalise("Oil rose. (Reporting by Jo Reed; Editing by Sam Fox)") == ["oil", "rose"]
    assert normalise("BP\u2019s shares fell") == normalise("BP 's shares fell")


def test_exact_copy_with_other_byline_and_headline_is_a_duplicate() -> None:
    copy = article("copy", ["By Sam Ortiz, Valley Courier", *WIRE], "courier", "2024-03-05")
    copy.title = "Bridge closed after ship strike"
    links = find_copies([copy, wire()])
    assert links == [CopyLink("copy", "wire", 1.0, "duplicate")]


def test_rewrite_with_new_headline_trim_and_local_paragraph_is_linked() -> None:
    local = article(
        "local", REWRITE, "harbor times", "2024-03-06", "Lowmarsh empties as bridge shuts"
    )
    [link] = find_copies([local, wire()])
    assert (link.article, link.original, link.kind) == ("local", "wire", "rewrite")
    assert 0.4 < link.similarity < 0.9


def test_independent_report_of_the_same_event_is_not_linked() -> None:
    other = article("indep", INDEPENDENT, "gazette", "2024-03-05")
    sets = shingle_sets([other.text, wire().text])
    assert overlap(sets[0], sets[1])[1] < LINK_CONTAINMENT / 2  # far below the threshold
    assert find_copies([wire(), other]) == []


def test_copy_group_across_three_outlets_counts_as_one_source() -> None:
    original = wire()
    copy = article("copy", WIRE[1:], "courier", "2024-03-05")
    local = article("local", REWRITE, "harbor times", "2024-03-06")
    indep = article("indep", INDEPENDENT, "gazette", "2024-03-05")
    articles = [local, indep, copy, original]
    links = find_copies(articles)
    assert {(link.article, link.original) for link in links} == {
        ("copy", "wire"),
        ("local", "wire"),
    }
    assert len({source_name(a) for a in articles}) == 4
    assert independent_sources(articles, links) == 2
    assert independent_sources(articles, []) == 4


def test_one_outlet_with_two_independent_articles_counts_once() -> None:
    articles = [
        article("a", INDEPENDENT, "gazette", "2024-03-05"),
        article("b", OTHER, "gazette", "2024-03-06"),
    ]
    assert find_copies(articles) == []
    assert independent_sources(articles, []) == 1


def test_links_do_not_depend_on_input_order() -> None:
    articles = [
        wire(),
        article("copy", WIRE[1:], "courier", "2024-03-05"),
        article("local", REWRITE, "harbor times", "2024-03-06"),
        article("indep", INDEPENDENT, "gazette", "2024-03-05"),
        article("other", OTHER, "gazette", "2024-03-07"),
    ]
    expected = find_copies(articles)
    assert len(expected) == 2
    for seed in range(5):
        shuffled = articles[:]
        random.Random(seed).shuffle(shuffled)
        assert find_copies(shuffled) == expected


def test_original_is_the_earliest_by_reading_order() -> None:
    early = article("local", REWRITE, "harbor times", "2024-03-03")
    [link] = find_copies([wire(), early])
    assert (link.article, link.original) == ("wire", "local")
    assert reading_order(early) < reading_order(wire())


def test_empty_and_single_inputs() -> None:
    assert find_copies([]) == []
    assert independent_sources([], []) == 0
    assert find_copies([wire()]) == []
    assert independent_sources([wire()], []) == 1


def test_very_short_texts_do_not_link() -> None:
    short = [
        article("s1", ["Oil prices rose on Tuesday."], "one", "2024-03-05"),
        article("s2", ["Oil prices rose on Tuesday!"], "two", "2024-03-05"),
        article("s3", ["Bridge closed."], "three", "2024-03-05"),
        article("s4", [WIRE[2]], "four", "2024-03-06"),  # one sentence, found in the wire
    ]
    assert find_copies([*short, wire()]) == []


_SCRIPT = """
import json, sys
sys.path[:0] = [{src!r}, {root!r}]
from tests.stages.test_copies import INDEPENDENT, REWRITE, WIRE, article, wire
from storyline.stages.cluster.copies import find_copies
articles = [wire(), article("local", REWRITE, "harbor times", "2024-03-06"),
            article("copy", WIRE[1:], "courier", "2024-03-05"),
            article("indep", INDEPENDENT, "gazette", "2024-03-05")]
print(json.dumps([link.__dict__ for link in find_copies(articles)]))
"""


@pytest.mark.slow
def test_results_do_not_depend_on_the_hash_seed() -> None:
    root = ROOT
    script = _SCRIPT.format(src=str(root / "src"), root=str(root))
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": seed},
            stdout=subprocess.PIPE,
            text=True,
        )
        for seed in ("1", "4242")
    ]
    outputs = [json.loads(run.communicate(timeout=60)[0]) for run in runs]
    assert all(run.returncode == 0 for run in runs)
    assert len(outputs[0]) == 2
    assert outputs[0] == outputs[1]


def _bench_articles(topic: str) -> list[Article]:
    """Return a t17 topic's articles as the pipeline cleans them, dated by publication."""
    path = shared_path("bench", "timelines", "t17", topic, "articles.jsonl.gz")
    articles = []
    for doc in read_inputs([str(path)], IngestOptions()):
        if isinstance(doc, RawDoc):
            cleaned = clean(doc)
            day = (cleaned.published or "")[:10] or None
            cleaned.date = DateRange(day, day, "given") if day else None
            articles.append(cleaned)
    return articles


@pytest.mark.slow
def test_bench_links_are_verified_copies_of_earlier_articles() -> None:
    articles = _bench_articles("bpoil")
    by_id = {a.id: a for a in articles}
    links = find_copies(articles)
    assert any(source_name(by_id[x.article]) != source_name(by_id[x.original]) for x in links)
    assert not {x.original for x in links} & {x.article for x in links}
    groups: dict[str, list[Article]] = {}
    for link in links:
        copy, original = by_id[link.article], by_id[link.original]
        assert reading_order(original) < reading_order(copy)
        sets = shingle_sets([copy.text, original.text])
        assert overlap(*sets)[1] >= LINK_CONTAINMENT
        groups.setdefault(link.original, [original]).append(copy)
    for members in groups.values():
        assert independent_sources(members, links) == 1
    outlets = len({source_name(a) for a in articles})
    assert independent_sources(articles, links) == outlets  # every outlet also writes its own
