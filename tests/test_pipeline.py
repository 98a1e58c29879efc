"""End to end: the pipeline on the five real seed reports (../shared) and the demo corpus."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

import pytest

from storyline import pipeline
from storyline.eval.metrics import bcubed
from storyline.models import Finding, Report
from storyline.render.report import render_html, report_json, verify_citations
from storyline.stages.claims.crosscheck import UNIQUE_SHOWN
from storyline.store import Store
from tests.conftest import run_pipeline, shared_path

pytestmark = pytest.mark.slow  # models, subprocesses or servers: not in `make quick`


def _seed(report: Report, number: str) -> str:
    """Return the id of the article read from seed file NNN_*.txt."""
    [aid] = [a.id for a in report.articles if Path(a.ref).name.startswith(number + "_")]
    return aid


def test_seeds_two_events_one_storyline(seeds: Report) -> None:
    assert len(seeds.articles) == 5
    groups = sorted(
        sorted(Path(a.ref).name[:3] for a in seeds.articles if a.id in e.articles)
        for e in seeds.events
    )
    assert groups == [["000", "001"], ["002", "003", "004"]]
    assert len(seeds.stories) == 1
    assert sorted(seeds.stories[0].events) == sorted(e.id for e in seeds.events)


def test_seeds_boilerplate_gone_and_listed(seeds: Report) -> None:
    by_id = {a.id: a for a in seeds.articles}
    a004 = by_id[_seed(seeds, "004")]
    a000 = by_id[_seed(seeds, "000")]
    reasons_004 = {r.reason for r in a004.removed}
    for gone in (
        "Thomas Peter/Pool/Reuters",
        "Related article",
        "Editor's P/S",
        "The Russian flag flies",
        "Ukraine war brought China and Russia",
    ):
        assert gone not in a004.text, gone
    assert {"photo credit", "related article", "editor's note"} <= reasons_004
    assert reasons_004 & {"duplicate line", "photo caption"}
    assert "Powered by automated translation" not in a000.text
    assert "translation notice" in {r.reason for r in a000.removed}


def test_seeds_quotes_attributed(seeds: Report) -> None:
    quotes = [(q.speaker or "", q.text) for e in seeds.events for q in e.quotes]
    assert any("Xi" in s and "historical trends of peace" in t for s, t in quotes), quotes
    assert any("Putin" in s and "unprecedentedly high level" in t for s, t in quotes), quotes


def test_seeds_every_citation_inside_its_article(seeds: Report) -> None:
    verify_citations(seeds)
    texts = {a.id: a.text for a in seeds.articles}
    for event in seeds.events:
        assert event.summary, f"event {event.id} has no summary"
        for sentence in event.summary:
            for c in sentence.citations:
                assert 0 <= c.start < c.end <= len(texts[c.article])
                assert sentence.text in texts[c.article][c.start : c.end]
        for q in event.quotes:
            assert texts[q.span.article][q.span.start : q.span.end] == q.text


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[pipeline.IngestResult, Report]:
    corpus = resources.files("storyline") / "examples" / "corpus"
    return run_pipeline([str(corpus)], tmp_path_factory.mktemp("demo") / "demo.db")


def _gold() -> dict[str, dict[str, list[str]]]:
    path = resources.files("storyline") / "examples" / "gold.json"
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _ref_key(ref: str) -> str:
    """Return the gold.json name of a ref: file name, plus ':line' or '#item' when present."""
    name = Path(re.split(r"(?=[:#]\d+$)", ref)[0]).name
    suffix = ref[len(re.split(r"(?=[:#]\d+$)", ref)[0]) :]
    return name + suffix


# Floor for the demo corpus, pinned at what it measures (B-cubed 0.91): four events in two
# storylines, as the gold has, since reports dated months apart can no longer be bridged by
# undated ones; two undated reports of the ratification still join the June summit, which
# they name throughout (v0 measured 0.96 with five events, IDF over the demo alone).
DEMO_EVENT_B3_FLOOR = 0.90


def test_demo_grouping_close_to_gold(demo: tuple[pipeline.IngestResult, Report]) -> None:
    result, report = demo
    assert result.rejected == []
    key_of = {a.id: _ref_key(a.ref) for a in report.articles}
    gold_event = {ref: name for name, refs in _gold()["events"].items() for ref in refs}
    assert sorted(gold_event) == sorted(key_of.values())
    predicted = {a: e.id for e in report.events for a in e.articles}
    ids = sorted(key_of)
    score = bcubed([predicted[i] for i in ids], [gold_event[key_of[i]] for i in ids])
    assert score.f1 >= DEMO_EVENT_B3_FLOOR, score
    # The unrelated event never joins the treaty storyline, and the treaty's events share one.
    story_of = {e: s.id for s in report.stories for e in s.events}
    gold_story = {ev: name for name, evs in _gold()["stories"].items() for ev in evs}
    article_story = {i: story_of[predicted[i]] for i in ids}
    by_gold_story: dict[str, set[str]] = {}
    for i in ids:
        by_gold_story.setdefault(gold_story[gold_event[key_of[i]]], set()).add(article_story[i])
    main = [
        max(stories, key=list(article_story.values()).count) for stories in by_gold_story.values()
    ]
    assert len(set(main)) == len(main), "two gold storylines share a predicted storyline"
    verify_citations(report)


def test_rerun_adds_nothing(tmp_path: Path) -> None:
    corpus = resources.files("storyline") / "examples" / "corpus"
    store = Store(str(tmp_path / "again.db"))
    first = pipeline.ingest([str(corpus)], store, pipeline.Options())
    second = pipeline.ingest([str(corpus)], store, pipeline.Options())
    assert first.added and second.added == []
    assert store.count_articles() == len(first.added)


def _event_of(report: Report, number: str) -> str:
    aid = _seed(report, number)
    [event] = [e for e in report.events if aid in e.articles]
    return event.id


def test_seeds_forum_event_happened_on_17_or_18_october_2023(seeds: Report) -> None:
    [forum] = [e for e in seeds.events if e.id == _event_of(seeds, "001")]
    assert forum.date.start in ("2023-10-17", "2023-10-18"), forum.date
    assert forum.date.end in ("2023-10-17", "2023-10-18"), forum.date
    assert forum.date.evidence
    by_id = {a.id: a for a in seeds.articles}
    a001 = by_id[_seed(seeds, "001")]
    assert a001.date is not None and a001.date.certainty in ("day", "range")
    assert a001.date.start and a001.date.start.startswith("2023-10")


def test_seeds_state_visit_placed_in_2024_or_later_without_invented_day(seeds: Report) -> None:
    [visit] = [e for e in seeds.events if e.id == _event_of(seeds, "003")]
    assert visit.date.start is not None and visit.date.start >= "2024-01-01", visit.date
    by_id = {a.id: a for a in seeds.articles}
    for number in ("002", "003", "004"):
        date = by_id[_seed(seeds, number)].date
        assert date is not None and date.certainty != "given"
        if date.certainty == "day":  # a day only where the text supports one
            assert date.evidence
        assert date.start is not None and date.start >= "2024-01-01", (number, date)


def test_seeds_relative_and_absolute_years_resolve(seeds: Report) -> None:
    by_id = {a.id: a for a in seeds.articles}
    a000 = by_id[_seed(seeds, "000")].annotations
    a003 = by_id[_seed(seeds, "003")].annotations
    assert a000 is not None and a003 is not None
    assert [t.value for t in a000.timexes if t.text == "last year"] == ["2022"]
    assert "2023" in [t.value for t in a003.timexes if t.text in ("2023", "in 2023")]


def test_seeds_timeline_puts_the_forum_before_the_state_visit(seeds: Report) -> None:
    [story] = seeds.stories
    assert story.events == [_event_of(seeds, "001"), _event_of(seeds, "003")]
    forum, visit = _event_of(seeds, "001"), _event_of(seeds, "003")
    lines = story.timeline
    at = {eid: i for i, entry in enumerate(lines) for eid in entry.events}
    assert at[forum] < at[visit]
    assert lines[at[forum]].date.startswith("2023-10")
    # the articles never name the day of the state visit: its line keeps the range they allow
    when = lines[at[visit]].when
    assert when is not None and when.start is not None and when.start.startswith("2024")
    texts = {a.id: a.text for a in seeds.articles}
    for entry in lines:
        for sentence in entry.sentences:
            assert sentence.citations
            for c in sentence.citations:
                assert sentence.text in texts[c.article][c.start : c.end]


def test_demo_in_two_batches_keeps_ids_and_grouping(
    tmp_path: Path, demo: tuple[pipeline.IngestResult, Report]
) -> None:
    corpus = Path(str(resources.files("storyline") / "examples" / "corpus"))
    files = sorted(corpus.iterdir())
    first, later = files[::2], files[1::2]
    store = Store(str(tmp_path / "batches.db"))
    _, before = run_pipeline([str(f) for f in first], tmp_path / "batches.db")
    store = Store(str(tmp_path / "batches.db"))
    pipeline.ingest([str(f) for f in later], store, pipeline.Options())
    pipeline.build(store, pipeline.Options())
    after = pipeline.load_report(store)
    now = {e.id: set(e.articles) for e in after.events}
    for event in before.events:
        holder = max(now, key=lambda eid: (len(now[eid] & set(event.articles)), eid == event.id))
        # the event holding most of an earlier event's articles carries on under its id
        assert holder == event.id, event.title
    whole = demo[1]

    def pairs(report: Report) -> set[tuple[str, str]]:
        ref = {a.id: _ref_key(a.ref) for a in report.articles}
        return {
            tuple(sorted((ref[x], ref[y])))  # type: ignore[misc]
            for e in report.events
            for x in e.articles
            for y in e.articles
            if x < y
        }

    assert pairs(after) == pairs(whole)  # the same grouping as one run over everything


def test_demo_rewrites_of_wire_copy_are_counted_once(
    demo: tuple[pipeline.IngestResult, Report],
) -> None:
    report = demo[1]
    copied = [
        (e, m) for e in report.events for m in e.evidence if m.copy_of is not None
    ]  # the wire services' reports are rewritten by other outlets in the demo corpus
    assert copied
    for event, why in copied:
        assert why.copy_of in event.articles and (why.copy_similarity or 0) > 0
        assert 1 <= event.independent_sources < len(event.sources)


def test_built_store_can_place_a_new_article(tmp_path: Path) -> None:
    from storyline.stages.cluster.placement import PlacementIndex
    from storyline.stages.embed import MiniLMOnnx, embed_articles

    corpus = Path(str(resources.files("storyline") / "examples" / "corpus"))
    _, report = run_pipeline([str(corpus)], tmp_path / "placed.db")
    store = Store(str(tmp_path / "placed.db"))
    index = PlacementIndex.load(store)
    assert len(index) == len(report.articles)
    # an article already in an event is placed back in that event
    event = max(report.events, key=lambda e: len(e.articles))
    article = next(a for a in report.articles if a.id == event.articles[0])
    article.id = "again-" + article.id
    placed = index.place(article, embed_articles([article], MiniLMOnnx())[0])
    assert placed.event == event.id


@pytest.mark.parametrize("order", [(0, 1, 2, 3, 4), (4, 3, 2, 1, 0), (2, 4, 0, 3, 1)])
def test_seeds_built_one_article_at_a_time_in_any_order(
    tmp_path: Path, order: tuple[int, ...]
) -> None:
    files = sorted(p for p in shared_path("seeds").iterdir() if p.suffix == ".txt")
    store = Store(str(tmp_path / "one-by-one.db"))
    options = pipeline.Options()
    earlier: Report | None = None
    for position in order:
        pipeline.ingest([str(files[position])], store, options)
        pipeline.build(store, options)
        report = pipeline.load_report(store)
        if earlier is not None:
            # an event carries on under its id in whichever event holds most of its articles
            # (an article may move when later evidence splits an event), and the storyline too
            now = {e.id: set(e.articles) for e in report.events}
            for event in earlier.events:
                held = set(event.articles)
                assert max(now, key=lambda eid: (len(now[eid] & held), eid == event.id)) == event.id
            assert [s.id for s in report.stories] == [s.id for s in earlier.stories]
        earlier = report
    assert earlier is not None
    groups = sorted(
        sorted(Path(a.ref).name[:3] for a in earlier.articles if a.id in e.articles)
        for e in earlier.events
    )
    assert groups == [["000", "001"], ["002", "003", "004"]]
    assert len(earlier.stories) == 1 and len(earlier.stories[0].events) == 2


# ---- cross-source checks on the seeds (issue 5) ----------------------------------------


def _findings_about(seeds: Report, kind: str, words: str) -> list[tuple[str, ...]]:
    """Return, for each finding of a kind whose claims contain words, the seed numbers."""
    name = {a.id: Path(a.ref).name[:3] for a in seeds.articles}
    return [
        tuple(sorted({name[c.span.article] for c in f.claims}))
        for e in seeds.events
        for f in e.findings
        if f.kind == kind and any(words in c.text for c in f.claims)
    ]


def test_seeds_trade_is_one_series_of_updates_never_a_conflict(seeds: Report) -> None:
    [story] = seeds.stories
    [series] = [s for s in story.series if s.measure == "China–Russia trade"]
    name = {a.id: Path(a.ref).name[:3] for a in seeds.articles}
    points = [(c.time, c.value, name[c.span.article]) for c in series.claims]
    assert ("2020", 108e9, "003") in points and ("2023", 240e9, "003") in points
    assert ("2022", 190e9, "000") in points
    assert any(n == "004" and v is None and "record" in c.qualifiers
               for (_, v, n), c in zip(points, series.claims, strict=True))  # fmt: skip
    assert [t for t, _, _ in points] == sorted(t or "9999" for t, _, _ in points)
    trade = [f for e in seeds.events for f in e.findings if f.measure == "China–Russia trade"]
    assert trade and all(f.kind != "conflict" for f in trade)
    assert any(f.kind == "update" for f in trade)


def test_seeds_meeting_counts_differ_in_scope_not_in_fact(seeds: Report) -> None:
    [scope] = [f for e in seeds.events for f in e.findings if f.kind == "scope"]
    name = {a.id: Path(a.ref).name[:3] for a in seeds.articles}
    assert sorted(name[c.span.article] for c in scope.claims) == ["003", "004"]
    assert "in person" in scope.statement and "since 2012" in scope.statement


def test_seeds_kremlin_line_agrees_across_two_outlets(seeds: Report) -> None:
    assert ("000", "001") in _findings_about(seeds, "agree", "special attention will be paid")


def test_seeds_arms_pledge_reported_by_two_outlets(seeds: Report) -> None:
    assert ("002", "003") in _findings_about(seeds, "agree", "not sell arms")


def test_seeds_delegation_reported_by_one_outlet_only(seeds: Report) -> None:
    assert ("002",) in _findings_about(seeds, "unique", "deputy prime ministers")


# ---- findings that hold up on the seeds (issue 14) -------------------------------------


def _spans(finding: Finding) -> list[tuple[str, int, int]]:
    return [(c.span.article, c.span.start, c.span.end) for c in finding.claims]


def test_seeds_agreed_quotes_are_not_also_single_source(seeds: Report) -> None:
    for event in seeds.events:
        agreed = [
            s for f in event.findings if f.kind == "agree" for s in _spans(f)
            if any(c.kind == "quote" for c in f.claims)
        ]  # fmt: skip
        for f in event.findings:
            if f.kind != "unique":
                continue
            for article, start, end in _spans(f):
                assert not any(a == article and start <= s < end for a, s, _ in agreed), f.statement


def test_seeds_gabuev_and_kremlin_words_agree_once(seeds: Report) -> None:
    carried = [
        f.statement for e in seeds.events for f in e.findings
        if f.kind == "agree" and any(c.kind == "quote" for c in f.claims)
    ]  # fmt: skip
    assert sum("Gabuev" in s for s in carried) == 1
    assert sum("Kremlin" in s for s in carried) == 1
    lonely = [f.statement for e in seeds.events for f in e.findings if f.kind == "unique"]
    assert not any("Gabuev" in s for s in lonely)


def test_seeds_a_quote_is_carried_once_per_source_and_truncated_only_when_cut(
    seeds: Report,
) -> None:
    quotes = [f for e in seeds.events for f in e.findings if f.kind == "quote"]
    assert quotes
    for f in quotes:
        articles = [c.span.article for c in f.claims]
        assert len(articles) == len(set(articles)), f.statement
        fullest = max(len(c.text) for c in f.claims)
        for c in f.claims:
            if f.wording[c.span.article] == "truncated":
                assert len(c.text) < fullest
    xi = [f for f in quotes if f.claims[0].speaker == "Xi Jinping" and len(f.claims) == 1]
    assert xi and all(set(f.wording.values()) == {"verbatim"} for f in xi)


def test_seeds_narration_about_putin_is_not_his_statement(seeds: Report) -> None:
    said = [
        c for e in seeds.events for f in e.findings for c in f.claims
        if c.kind == "statement" and c.speaker and "Putin" in c.speaker
    ]  # fmt: skip
    assert not any("Olympics" in c.text for c in said)


def test_seeds_hedge_stays_with_the_meeting_count(seeds: Report) -> None:
    [scope] = [f for e in seeds.events for f in e.findings if f.kind == "scope"]
    assert "more than 40 times" in scope.statement


def test_seeds_single_source_findings_ranked_and_folded(seeds: Report) -> None:
    for event in seeds.events:
        unique = [f for f in event.findings if f.kind == "unique"]
        assert sorted(f.rank for f in unique if f.rank is not None) == list(range(len(unique)))
        assert all(f.shown == ((f.rank or 0) < UNIQUE_SHOWN) for f in unique)
    data = report_json(seeds)
    rows = [f for e in data["events"] for f in e["findings"] if f["kind"] == "unique"]
    assert rows and all(isinstance(f["rank"], int) and "shown" in f for f in rows)
    assert 'data-rank="0"' in render_html(seeds)
