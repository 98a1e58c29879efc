"""Storyline timelines: which days matter, a cited line for each; and the Timeline17 harness
(news-tls protocol) on a small topic written for these tests."""

from __future__ import annotations

import gzip
import json
import shutil
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pytest

from storyline.errors import InputError
from storyline.eval.timelines import evaluate_timelines, load_sentences
from storyline.models import DateRange, Event, Span, SummarySentence
from storyline.stages.timeline import (
    TUNING_GRID,
    DatedSentence,
    Tuning,
    build_timeline,
    date_scores,
    rank_dates,
)

D = date.fromisoformat


def _s(
    article: str, text: str, published: str, days: Sequence[str] = (), position: int = 0
) -> DatedSentence:
    return DatedSentence(
        article, 0, len(text), text, D(published), [D(d) for d in days], "Outlet", position
    )


# Three days of a made-up flood story, told by five articles.
SENTENCES = [
    _s(
        "a1",
        "The river Tamsin burst its banks at Orrin on Monday night.",
        "2031-03-04",
        ["2031-03-03"],
    ),
    _s(
        "a2",
        "Floodwater from the Tamsin reached the centre of Orrin on Monday.",
        "2031-03-05",
        ["2031-03-03"],
    ),
    _s(
        "a3",
        "Since the Tamsin flooded Orrin on March 3, pumps have run day and night.",
        "2031-03-09",
        ["2031-03-03"],
    ),
    _s(
        "a3",
        "Engineers opened the Varrow sluice gates on Thursday to drain the town.",
        "2031-03-09",
        ["2031-03-06"],
        1,
    ),
    _s(
        "a4",
        "The Varrow sluice gates were opened on March 6, lowering the water.",
        "2031-03-10",
        ["2031-03-06"],
    ),
    _s("a5", "Residents of Orrin began returning home as the water fell.", "2031-03-10"),
    _s("a5", "Residents of Orrin began returning home as the water fell.", "2031-03-10"),
]


def test_days_referred_to_by_many_and_later_articles_rank_first() -> None:
    scores = date_scores(SENTENCES)
    # three articles refer to 3 March, two of them looking back on it
    assert scores[D("2031-03-03")] > scores[D("2031-03-06")] > scores[D("2031-03-04")]
    assert rank_dates(SENTENCES)[:2] == [D("2031-03-03"), D("2031-03-06")]
    window = (D("2031-03-05"), D("2031-03-31"))
    assert D("2031-03-03") not in rank_dates(SENTENCES, window)


def test_timeline_lines_are_cited_dated_in_order_and_never_repeat() -> None:
    timeline = build_timeline(SENTENCES, n_dates=3, per_date=2)
    days = [entry.date for entry in timeline]
    assert days == sorted(days) and days[:2] == ["2031-03-03", "2031-03-06"]
    texts = [s.text for entry in timeline for s in entry.sentences]
    assert len(texts) == len(set(texts))  # the copied line appears once
    by_text = {s.text: s for s in SENTENCES}
    for entry in timeline:
        for line in entry.sentences:
            [cite] = line.citations
            source = by_text[line.text]
            assert (cite.article, cite.start, cite.end) == (source.article, 0, len(line.text))


def test_keywords_limit_what_is_shown_but_not_which_days_count() -> None:
    timeline = build_timeline(SENTENCES, n_dates=2, per_date=1, keywords=["sluice"])
    # 3 March ranks first but no line about it names the sluice: the next day that has one
    assert [e.date for e in timeline] == ["2031-03-06"]
    assert all("sluice" in s.text for s in timeline[0].sentences)


def test_an_event_known_only_to_a_range_gets_its_own_line_after_the_days() -> None:
    summary = [SummarySentence("Orrin held a vote on new flood walls.", [Span("a9", 0, 37)])]
    later = Event("e2", "Vote", ["a9"], DateRange("2031-04-01", None, "range"), summary=summary)
    known = Event("e1", "Flood", ["a1", "a2"], DateRange("2031-03-03", "2031-03-03", "day"))
    timeline = build_timeline(SENTENCES, 2, 1, events=[known, later])
    assert timeline[0].events == ["e1"]
    last = timeline[-1]
    assert last.when is not None and last.when.start == "2031-04-01" and last.events == ["e2"]
    assert last.sentences == summary


def _topic(root: Path) -> Path:
    """Write a tiny topic folder in the Timeline17 layout, in our own words."""
    topic = root / "flood"
    topic.mkdir(parents=True)
    articles = [
        ("2031-03-04", "Tamsin floods Orrin\nThe river Tamsin burst its banks at Orrin on "
         "Monday night .\nHundreds of homes in Orrin were under water by morning ."),
        ("2031-03-05", "Orrin counts the cost\nFloodwater from the Tamsin reached the centre "
         "of Orrin on Monday .\nThe mayor of Orrin asked the army for pumps ."),
        ("2031-03-06", "Gates opened\nEngineers opened the Varrow sluice gates today "
         "to drain Orrin .\nThe water in Orrin fell by a metre within hours ."),
        ("2031-03-10", "Orrin returns\nThe Varrow sluice gates were opened on March 6 , "
         "lowering the water in Orrin .\nResidents of Orrin began returning home ."),
    ]  # fmt: skip
    with gzip.open(topic / "articles.jsonl.gz", "wt", encoding="utf-8") as out:
        for n, (day, text) in enumerate(articles):
            out.write(json.dumps({"id": f"f{n}", "published": day, "source": "x", "text": text}))
            out.write("\n")
    gold = [
        ["2031-03-03T00:00:00", ["The Tamsin bursts its banks and floods Orrin ."]],
        ["2031-03-06T00:00:00", ["Engineers open the Varrow sluice gates to drain Orrin ."]],
    ]
    (topic / "timelines.jsonl").write_text(json.dumps(gold) + "\n", encoding="utf-8")
    (topic / "keywords.json").write_text('["orrin"]', encoding="utf-8")
    return topic


def test_harness_reads_a_topic_and_scores_it_end_to_end(tmp_path: Path) -> None:
    topic = _topic(tmp_path)
    sentences = load_sentences(topic / "articles.jsonl.gz")
    assert {d for s in sentences for d in s.days} >= {D("2031-03-03"), D("2031-03-06")}
    scores = evaluate_timelines(tmp_path)
    assert scores["n_timelines"] == 1 and set(scores) >= {"ar1_f", "ar2_f", "date_f1", "seconds"}
    [one] = scores["per_timeline"]
    assert one["dates"] == 2 and one["per_date"] == 1
    # the articles published 3-6 March give both gold days, so date selection is exact
    assert scores["date_f1"] == 1.0 and 0.3 < scores["ar1_f"] <= 1.0


def test_leave_one_topic_out_tunes_on_the_other_topics(tmp_path: Path) -> None:
    _topic(tmp_path)
    shutil.copytree(tmp_path / "flood", tmp_path / "flood-again")
    scores = evaluate_timelines(tmp_path, loto=True)
    folds = scores["loto"]["folds"]
    assert [f["held_out"] for f in folds] == ["flood", "flood-again"]
    assert all(set(f["tuning"]) == set(TUNING_GRID) for f in folds)
    # the topics are twins, so what the other one picks scores this one as in-sample does
    assert scores["loto_date_f1"] == scores["date_f1"] == 1.0
    assert scores["loto_ar1_f"] == scores["ar1_f"]
    with pytest.raises(InputError, match="two topics"):
        evaluate_timelines(tmp_path, ["flood"], loto=True)


def test_harness_names_a_broken_topic(tmp_path: Path) -> None:
    topic = _topic(tmp_path)
    (topic / "keywords.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match=r"keywords\.json"):
        evaluate_timelines(tmp_path)


def test_a_line_describes_the_day_it_is_dated_to() -> None:
    """In the report (prose), a sentence naming no day stands only for its event's one day,
    and a sentence that looks ahead gives way to one that reports."""
    lines = [
        _s(
            "b1",
            "The council voted on Tuesday to close the Orrin ferry.",
            "2031-05-07",
            ["2031-05-06"],
        ),
        _s("b1", "Critics see the ferry closure as a symbolic gesture.", "2031-05-07"),
        _s(
            "b2",
            "The ferry will make its last crossing on Tuesday morning.",
            "2031-05-05",
            ["2031-05-06"],
        ),
        _s("b3", "The last Orrin ferry crossing drew a crowd to the quay.", "2031-05-08"),
    ]
    vote = Event("e1", "Ferry vote", ["b1", "b2"], DateRange("2031-05-06", "2031-05-06", "day"))
    built = build_timeline(lines, n_dates=3, per_date=2, events=[vote], prose=True)
    said = {entry.date: [s.text for s in entry.sentences] for entry in built}
    # b1 came out on the 7th, but its event was on the 6th: its undated line is the 6th's,
    # and the plan for the 6th gives way to the lines that report it
    assert said["2031-05-06"] == [lines[0].text, lines[1].text]
    assert all(lines[1].text not in texts for day, texts in said.items() if day != "2031-05-06")
    # an article in no event is dated by its publication, or the day before (the benchmarks')
    assert [d for d, texts in said.items() if lines[3].text in texts] in (
        ["2031-05-07"],
        ["2031-05-08"],
    )
    # a day only a plan speaks of keeps the plan
    alone = build_timeline(lines[2:3], n_dates=1, per_date=1, prose=True)
    assert [s.text for e in alone for s in e.sentences] == [lines[2].text]


def test_a_day_next_to_a_much_stronger_one_is_held_back() -> None:
    text = "The Orrin dam gave way and flooded the lower town."
    looking_back = [_s(f"c{n}", text, "2031-06-20", ["2031-06-10"]) for n in range(6)]
    day_after = [_s(f"d{n}", text, "2031-06-11", ["2031-06-11"]) for n in range(2)]
    later = [_s(f"e{n}", text, "2031-06-15", ["2031-06-15"]) for n in range(2)]
    sentences = looking_back + day_after + later
    tuning = Tuning(later_weight=2.0, published_weight=0.0, neighbour_share=0.3)
    # the day after weighs as much as the 15th, but sits next to a day six times its weight
    assert rank_dates(sentences, tuning=tuning)[:2] == [D("2031-06-10"), D("2031-06-15")]
    off = Tuning(later_weight=2.0, published_weight=0.0, neighbour_share=0.0)
    assert rank_dates(sentences, tuning=off)[:2] == [D("2031-06-10"), D("2031-06-11")]
