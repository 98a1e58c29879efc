"""Cross-source checks: claims lined up across the articles of an event and classified."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from storyline.models import (
    Annotations,
    Article,
    Claim,
    DateRange,
    Event,
    Finding,
    Membership,
    Mention,
    Span,
    Story,
)
from storyline.stages.claims.crosscheck import event_findings, story_series
from storyline.stages.claims.extract import CHANGE, split_label


def _article(aid: str, source: str, text: str, day: str = "2025-03-04") -> Article:
    return Article(
        id=aid, ref=f"{aid}.txt", text=text, source=source,
        date=DateRange(day, day, "given"),
    )  # fmt: skip


def _figure(
    article: Article,
    written: str,
    value: float,
    measure: str,
    time: str | None = None,
    qualifiers: Sequence[str] = (),
    unit: str = "USD",
) -> Claim:
    start = article.text.index(written)
    end = article.text.index(".", start) + 1
    sentence_start = article.text.rfind(". ", 0, start) + 2 if ". " in article.text[:start] else 0
    return Claim(
        span=Span(article.id, sentence_start, end),
        text=article.text[sentence_start:end], kind="quantity", source=article.source,
        measure=measure, value=value, value_text=written, unit=unit, time=time,
        qualifiers=list(qualifiers),
    )  # fmt: skip


def _event(articles: Sequence[Article], copies: dict[str, str] | None = None) -> Event:
    copies = copies or {}
    return Event(
        id="e1", title="t", articles=[a.id for a in articles], date=DateRange(None, None),
        evidence=[Membership(a.id, 1.0, copy_of=copies.get(a.id)) for a in articles],
    )  # fmt: skip


def _no_statements(texts: Sequence[str]) -> list[int]:
    return list(range(len(texts)))


def _findings(
    articles: Sequence[Article], claims: Sequence[Claim], copies: dict[str, str] | None = None
) -> list[Finding]:
    by_article: dict[str, list[Claim]] = {}
    for c in claims:
        by_article.setdefault(c.span.article, []).append(c)
    event = _event(articles, copies)
    return event_findings(event, by_article, {a.id: a for a in articles}, _no_statements)


def test_figures_within_their_rounding_agree() -> None:
    a = _article("a", "Harbour Times", "Port traffic brought in $4.2 billion last year.")
    b = _article("b", "Coast Post", "The port earned about $4 billion in the year.")
    claims = [
        _figure(a, "$4.2 billion", 4.2e9, "port revenue", "2024"),
        _figure(b, "$4 billion", 4e9, "port revenue", "2024", ["about"]),
    ]
    [finding] = _findings([a, b], claims)
    assert finding.kind == "agree" and finding.independent_sources == 2
    assert "$4.2 billion" in finding.statement and "2024" in finding.statement


def test_incompatible_figures_for_the_same_time_and_scope_conflict() -> None:
    a = _article("a", "Harbour Times", "The port earned $4.2 billion last year.")
    b = _article("b", "Coast Post", "The port earned $2.9 billion last year.")
    claims = [
        _figure(a, "$4.2 billion", 4.2e9, "port revenue", "2024"),
        _figure(b, "$2.9 billion", 2.9e9, "port revenue", "2024"),
    ]
    [finding] = _findings([a, b], claims)
    assert finding.kind == "conflict"


def test_figures_of_different_years_are_an_update_not_a_conflict() -> None:
    a = _article("a", "Harbour Times", "The port earned $4.2 billion in 2024.")
    b = _article("b", "Coast Post", "The port earned $3.1 billion in 2021.")
    claims = [
        _figure(a, "$4.2 billion", 4.2e9, "port revenue", "2024"),
        _figure(b, "$3.1 billion", 3.1e9, "port revenue", "2021"),
    ]
    [finding] = _findings([a, b], claims)
    assert finding.kind == "update"
    assert finding.statement.index("2021") < finding.statement.index("2024")


def test_later_report_revising_a_count_is_an_update() -> None:
    a = _article("a", "Valley News", "At least 12 people died in the flood.", "2025-03-04")
    b = _article("b", "Hill Daily", "The flood killed 31 people, officials said.", "2025-03-06")
    claims = [
        _figure(a, "12 people", 12, "deaths", qualifiers=["at least"], unit="people"),
        _figure(b, "31 people", 31, "deaths", unit="people"),
    ]
    findings = _findings([a, b], claims)
    # "at least 12" allows 31 but is no agreement with it (issue 14): the toll rose
    assert [f.kind for f in findings] == ["update"]
    claims[0].qualifiers = []
    [revised] = _findings([a, b], claims)
    assert revised.kind == "update" and revised.statement.index("12") < revised.statement.index(
        "31"
    )


def test_counts_of_different_scope_are_shown_as_such() -> None:
    a = _article("a", "Valley News", "It is the third time the two mayors have met in person.")
    b = _article("b", "Hill Daily", "The mayors have met more than 20 times since 2015.")
    claims = [
        _figure(a, "third time", 3, "Ames–Bell meetings", qualifiers=["in person"], unit="time"),
        _figure(
            b,
            "20 times",
            20,
            "Ames–Bell meetings",
            qualifiers=["more than", "since 2015"],
            unit="times",
        ),
    ]
    [finding] = _findings([a, b], claims)
    assert finding.kind == "scope"
    assert "in person" in finding.statement and "since 2015" in finding.statement


def test_one_source_only_and_copies_count_once() -> None:
    a = _article("a", "Wire Service", "The port earned $4.2 billion in 2024.")
    b = _article("b", "Coast Post", "The port earned $4.2 billion in 2024, it said.")
    claims = [
        _figure(a, "$4.2 billion", 4.2e9, "port revenue", "2024"),
        _figure(b, "$4.2 billion", 4.2e9, "port revenue", "2024"),
    ]
    [finding] = _findings([a, b], claims, copies={"b": "a"})
    assert finding.kind == "unique" and finding.independent_sources == 1
    [agree] = _findings([a, b], claims)
    assert agree.kind == "agree" and agree.independent_sources == 2


def test_parties_keep_measures_apart() -> None:
    assert split_label("Chile–Peru trade") == ("trade", frozenset({"Chile", "Peru"}))
    a = _article("a", "Harbour Times", "Chile and Peru traded $9 billion in 2024.")
    b = _article("b", "Coast Post", "Chile and Bolivia traded $2 billion in 2024.")
    c = _article("c", "Hill Daily", "Bilateral trade reached $9 billion in 2024.")
    claims = [
        _figure(a, "$9 billion", 9e9, "Chile–Peru trade", "2024"),
        _figure(b, "$2 billion", 2e9, "Bolivia–Chile trade", "2024"),
        _figure(c, "$9 billion", 9e9, "trade", "2024"),
    ]
    kinds = sorted(f.kind for f in _findings([a, b, c], claims))
    assert "conflict" not in kinds


def _quote(article: Article, words: str, speaker: str | None) -> Claim:
    start = article.text.index(words)
    return Claim(
        span=Span(article.id, start, start + len(words)), text=words, kind="quote",
        source=article.source, speaker=speaker,
    )  # fmt: skip


def test_quotes_matched_verbatim_truncated_and_speakers_compared() -> None:
    line = "We will reopen the bridge before the winter storms arrive"
    a = _article("a", "Valley News", f'"{line}," the mayor, Ann Ames, said.')
    b = _article("b", "Hill Daily", '"We will reopen the bridge," Ames said.')
    c = _article("c", "Coast Post", f'"{line}," said council member Bo Bell.')
    claims = [_quote(a, line, "Ann Ames"), _quote(b, "We will reopen the bridge", "Ames"),
              _quote(c, line, "Bo Bell")]  # fmt: skip
    findings = _findings([a, b, c], claims)
    [quote] = [f for f in findings if f.kind == "quote"]
    assert quote.wording == {"a": "verbatim", "b": "truncated", "c": "verbatim"}
    assert quote.speakers_match is False
    [agree] = [f for f in findings if f.kind == "agree"]
    assert agree.independent_sources == 3 and line in agree.statement


def test_statements_grouped_by_the_given_grouper() -> None:
    a = _article("a", "Valley News", "The mayor said the bridge would reopen in May.")
    b = _article("b", "Hill Daily", "The bridge will reopen in May, the mayor said.")
    c = _article("c", "Coast Post", "The governor said schools would stay shut.")
    claims = [
        Claim(Span(x.id, 0, len(x.text)), x.text, "statement", x.source, speaker="mayor")
        for x in (a, b, c)
    ]
    by_article = {c.span.article: [c] for c in claims}
    findings = event_findings(
        _event([a, b, c]), by_article, {x.id: x for x in (a, b, c)},
        lambda texts: [0 if "bridge" in t else 1 for t in texts],
    )  # fmt: skip
    assert sorted((f.kind, f.independent_sources) for f in findings) == [
        ("agree", 2), ("unique", 1)
    ]  # fmt: skip


def test_story_series_orders_a_measure_by_time() -> None:
    a = _article("a", "Harbour Times", "The port earned $4.2 billion in 2024.")
    b = _article("b", "Coast Post", "The port earned $3.1 billion in 2021.")
    claims = {
        "a": [_figure(a, "$4.2 billion", 4.2e9, "port revenue", "2024")],
        "b": [_figure(b, "$3.1 billion", 3.1e9, "port revenue", "2021")],
    }
    events = {"e1": _event([a]), "e2": _event([b])}
    events["e2"].id = "e2"
    story = Story("s1", "Port", ["e1", "e2"])
    [series] = story_series(story, events, claims, {"a": a, "b": b})
    assert series.kind == "series" and [c.time for c in series.claims] == ["2021", "2024"]


@pytest.mark.parametrize("hedge", ["nearly", "almost"])
def test_hedges_below_a_figure(hedge: str) -> None:
    a = _article("a", "Harbour Times", "The port earned $4.2 billion in 2024.")
    b = _article("b", "Coast Post", f"The port earned {hedge} $4.3 billion in 2024.")
    claims = [
        _figure(a, "$4.2 billion", 4.2e9, "port revenue", "2024"),
        _figure(b, "$4.3 billion", 4.3e9, "port revenue", "2024", [hedge]),
    ]
    [finding] = _findings([a, b], claims)
    assert finding.kind == "agree"


def test_times_of_unknown_year_match_that_month_of_any_year() -> None:
    from storyline.stages.claims.crosscheck import same_time

    assert same_time("XXXX-06", "2022-06") and same_time("2022-06-14", "XXXX-06")
    assert same_time("2023", "2023-10") and not same_time("XXXX-06", "2022-07")
    assert not same_time("2022", "2023")


def test_forecasts_and_targets_are_lined_up_apart_from_readings() -> None:
    a = _article("a", "Harbour Times", "Prices rose 7.9% in May, the bureau said.")
    b = _article("b", "Coast Post", "Prices rose 7.9% in May, above the 2% target.")
    c = _article("c", "Bay Ledger", "The fund projected 3% inflation for next year.")
    claims = [
        _figure(a, "7.9%", 7.9, "inflation", "XXXX-05", unit="%"),
        _figure(b, "7.9%", 7.9, "inflation", "XXXX-05", unit="%"),
        _figure(b, "2%", 2.0, "inflation", qualifiers=["target"], unit="%"),
        _figure(c, "3%", 3.0, "inflation", "2026", ["expected"], "%"),
    ]
    findings = _findings([a, b, c], claims)
    kinds = sorted((f.kind, f.measure) for f in findings)
    assert kinds == [
        ("agree", "inflation"), ("unique", "inflation (expected)"),
        ("unique", "inflation (target)"),
    ]  # fmt: skip
    assert not any(f.kind in ("conflict", "update") for f in findings)


def test_an_undated_figure_joins_the_one_time_it_fits() -> None:
    a = _article("a", "Harbour Times", "The port earned $4.2 billion in 2024.")
    b = _article("b", "Coast Post", "The port earned $4.2 billion, its accounts show.")
    c = _article("c", "Bay Ledger", "The port earned $3.1 billion in 2021.")
    claims = [
        _figure(a, "$4.2 billion", 4.2e9, "port revenue", "2024"),
        _figure(b, "$4.2 billion", 4.2e9, "port revenue"),
        _figure(c, "$3.1 billion", 3.1e9, "port revenue", "2021"),
    ]
    findings = _findings([a, b, c], claims)
    agree = [f for f in findings if f.kind == "agree"]
    assert len(agree) == 1 and {x.span.article for x in agree[0].claims} == {"a", "b"}
    assert [f.kind for f in findings].count("update") == 1


def test_story_series_counts_a_wire_story_and_its_copy_once() -> None:
    a = _article("a", "Wire Service", "The port earned $4.2 billion in 2024.")
    b = _article("b", "Coast Post", "The port earned $4.2 billion in 2024, the wire said.")
    c = _article("c", "Bay Ledger", "The port earned $3.1 billion in 2021.")
    claims = {
        "a": [_figure(a, "$4.2 billion", 4.2e9, "port revenue", "2024")],
        "b": [_figure(b, "$4.2 billion", 4.2e9, "port revenue", "2024")],
        "c": [_figure(c, "$3.1 billion", 3.1e9, "port revenue", "2021")],
    }
    events = {"e1": _event([a, b], copies={"b": "a"}), "e2": _event([c])}
    events["e2"].id = "e2"
    story = Story("s1", "Port", ["e1", "e2"])
    [series] = story_series(story, events, claims, {"a": a, "b": b, "c": c})
    assert series.independent_sources == 2 and len(series.claims) == 3


def test_a_peak_and_a_lower_bound_that_cannot_meet_are_not_an_agreement() -> None:
    a = _article("a", "Harbour Times", "The rate went as high as 19% in January.")
    b = _article("b", "Coast Post", "The rate went above 20% in January.")
    claims = [
        _figure(a, "19%", 19.0, "policy rate", "2031-01", ["as high as"], "%"),
        _figure(b, "20%", 20.0, "policy rate", "2031-01", ["above"], "%"),
    ]
    [finding] = _findings([a, b], claims)
    assert finding.kind == "conflict"
    claims[0].qualifiers = ["about"]  # "about 19%" allows 20% and more
    [finding] = _findings([a, b], claims)
    assert finding.kind == "agree"


# ---- findings that hold up (issue 14) ---------------------------------------------------


def _count(article: Article, written: str, value: float, measure: str, subject: str) -> Claim:
    claim = _figure(article, written, value, measure, unit="count")
    claim.subject = subject
    return claim


def test_counts_of_different_things_or_places_are_not_lined_up() -> None:
    a = _article("a", "One", "The storm killed 12 workers in Dunmore. Three died in Kell.")
    b = _article("b", "Two", "The storm killed 12 farmers in Dunmore. Nine died in Lisk.")
    claims = [
        _count(a, "12 workers", 12, "deaths", "workers @ Dunmore"),
        _count(b, "12 farmers", 12, "deaths", "farmers @ Dunmore"),
        _count(a, "Three", 3, "deaths", " @ Kell"),
        _count(b, "Nine", 9, "deaths", " @ Lisk"),
    ]
    kinds = [f.kind for f in _findings([a, b], claims)]
    assert kinds == ["unique"] * 4


def test_a_figure_naming_no_place_joins_the_one_place_named() -> None:
    a = _article("a", "One", "Floods cut off 40 villages in Orran on Monday.")
    b = _article("b", "Two", "Rising water has cut off 40 villages. Later, 55 villages.")
    claims = [
        _count(a, "40 villages", 40, "villages", " @ Orran"),
        _count(b, "40 villages", 40, "villages", ""),
    ]
    [finding] = _findings([a, b], claims)
    assert finding.kind == "agree" and len(finding.claims) == 2
    # but it does not contradict the place's figure: it may count more places than that one
    # (T17 egypt: "35 people were injured in Suez" against "at least 49 people injured")
    claims[1] = _count(b, "55 villages", 55, "villages", "")
    assert "conflict" not in [f.kind for f in _findings([a, b], claims)]


def test_same_day_clash_is_a_conflict_but_a_rising_toll_from_day_to_day_an_update() -> None:
    a = _article("a", "One", "Rescuers said 20 miners were missing.", day="2025-03-04")
    b = _article("b", "Two", "Officials said 31 miners were missing.", day="2025-03-04")
    c = _article("c", "Three", "By now 44 miners are missing.", day="2025-03-06")
    d = _article("d", "Four", "By now 12 miners are missing.", day="2025-03-06")
    first = _count(a, "20 miners", 20, "missing", "miners")
    same_day = [first, _count(b, "31 miners", 31, "missing", "miners")]
    assert [f.kind for f in _findings([a, b], same_day)] == ["conflict"]
    later = [first, _count(c, "44 miners", 44, "missing", "miners")]
    assert [f.kind for f in _findings([a, c], later)] == ["update"]
    lower = [first, _count(d, "12 miners", 12, "missing", "miners")]
    assert _findings([a, d], lower) == []  # a toll does not fall: not told apart


def test_one_source_giving_a_range_does_not_conflict_with_one_end_of_it() -> None:
    a = _article("a", "One", "Forecasters expect 8 to 12 inches of snow.")
    b = _article("b", "Two", "Up to 12 inches of snow will fall.")
    claims = [
        _count(a, "8", 8, "inches", ""),
        _count(a, "12 inches", 12, "inches", ""),
        _count(b, "12 inches", 12, "inches", ""),
    ]
    assert "conflict" not in [f.kind for f in _findings([a, b], claims)]


def test_figures_far_apart_are_not_called_a_conflict() -> None:
    a = _article("a", "One", "The fund holds 10 tonnes of grain.")
    b = _article("b", "Two", "The fund holds 500 tonnes of grain.")
    claims = [_count(a, "10 tonnes", 10, "tonnes", ""), _count(b, "500 tonnes", 500, "tonnes", "")]
    assert "conflict" not in [f.kind for f in _findings([a, b], claims)]


def test_single_source_findings_are_ranked_by_salience() -> None:
    a = _article("a", "One", "The quake killed 40 people. The town has 3 bakeries.")
    claims = [
        _count(a, "3 bakeries", 3, "bakeries", ""),
        _count(a, "40 people", 40, "deaths", "people"),
    ]
    unique = [f for f in _findings([a], claims) if f.kind == "unique"]
    assert [f.measure for f in sorted(unique, key=lambda f: f.rank or 0)] == ["deaths", "bakeries"]
    assert all(f.shown for f in unique)


def _said(article: Article, speaker: str) -> Claim:
    text = article.text
    return Claim(Span(article.id, 0, len(text)), text, "statement", article.source, speaker=speaker)


def test_a_statement_agrees_only_as_one_speakers_one_statement() -> None:
    a = _article("a", "One", "The mayor said the bridge would reopen to traffic next week.")
    b = _article("b", "Two", "The mayor said the bridge would reopen to traffic within a week.")
    c = _article("c", "Three", "A trader said business on the east bank had slowed sharply.")
    claims = [_said(a, "Lena Ward"), _said(b, "Ward"), _said(c, "Omar Diaz")]
    by_article = {cl.span.article: [cl] for cl in claims}
    event = _event([a, b, c])
    articles = {x.id: x for x in (a, b, c)}
    findings = event_findings(event, by_article, articles, lambda texts: [0] * len(texts))
    assert sorted((f.kind, f.independent_sources) for f in findings) == [
        ("agree", 2),
        ("unique", 1),
    ]


def test_two_remarks_of_one_speaker_sharing_only_name_and_verb_do_not_agree() -> None:
    a = _article("a", "One", "Spokeswoman Lena Ward said, “It is a milestone for the crews.”")
    b = _article("b", "Two", "Spokeswoman Lena Ward said the pumps were holding the water back.")
    by_article = {x.id: [_said(x, "Lena Ward")] for x in (a, b)}
    findings = event_findings(
        _event([a, b]), by_article, {x.id: x for x in (a, b)}, lambda t: [0] * len(t)
    )
    assert sorted(f.kind for f in findings) == ["unique", "unique"]


def test_a_statement_joins_the_telling_it_shares_most_words_with() -> None:
    texts = {
        "a": "Ward said the council would set aside funds to repair the east bridge.",
        "b": "Ward said she would meet the engineers and tell them to repair the bridge fast.",
        "c": "Ward said the council will set aside funds to repair the east bridge soon.",
    }
    arts = [_article(k, f"Outlet {k}", t) for k, t in texts.items()]
    by_article = {x.id: [_said(x, "Lena Ward")] for x in arts}
    findings = event_findings(
        _event(arts), by_article, {x.id: x for x in arts}, lambda t: [0] * len(t)
    )
    [agree] = [f for f in findings if f.kind == "agree"]
    assert sorted(c.span.article for c in agree.claims) == ["a", "c"]


def test_one_report_contradicting_another_the_same_day_is_a_conflict() -> None:
    # outlet One carries the figure in one article and a different one in another: the
    # second contradicts outlet Two's report of that day, whatever One said elsewhere
    a = _article("a", "One", "The inquiry listed eight key failures.")
    b = _article("b", "One", "The inquiry listed five key failures.")
    c = _article("c", "Two", "Investigators found eight key failures.")
    claims = [
        _count(a, "eight key failures", 8, "key failures", ""),
        _count(b, "five key failures", 5, "key failures", ""),
        _count(c, "eight key failures", 8, "key failures", ""),
    ]
    [conflict] = [f for f in _findings([a, b, c], claims) if f.kind == "conflict"]
    assert {cl.span.article for cl in conflict.claims} == {"b", "c"}


def test_a_running_count_revised_within_the_day_is_no_conflict() -> None:
    a = _article("a", "One", "Rescuers said 10 people had died.")
    b = _article("b", "One", "By evening 12 people had died.")
    c = _article("c", "Two", "Officials said 12 people had died.")
    claims = [
        _count(a, "10 people", 10, "deaths", "people"),
        _count(b, "12 people", 12, "deaths", "people"),
        _count(c, "12 people", 12, "deaths", "people"),
    ]
    assert "conflict" not in [f.kind for f in _findings([a, b, c], claims)]


def test_an_undated_figure_joins_the_time_of_a_figure_it_fits() -> None:
    # one outlet dates two different tolls to the blast; another, undated, gives one of
    # them: it is of the blast's day too, and contradicts the other
    a = _article("a", "One", "The blast on 20 April killed 17 workers.")
    b = _article("b", "One", "The blast on 20 April killed 11 workers.")
    c = _article("c", "Two", "The blast killed 11 workers.", day="2025-05-27")
    claims = [
        _count(a, "17 workers", 17, "deaths", "workers"),
        _count(b, "11 workers", 11, "deaths", "workers"),
        _count(c, "11 workers", 11, "deaths", "workers"),
    ]
    claims[0].time = claims[1].time = "2025-04-20"
    [conflict] = [f for f in _findings([a, b, c], claims) if f.kind == "conflict"]
    assert {cl.span.article for cl in conflict.claims} == {"a", "c"}


def test_lengths_of_different_things_are_no_conflict() -> None:
    a = _article("a", "One", "The new leak lies 50 miles off the southern coast of the bay.")
    b = _article("b", "Two", "The governor says 100 miles of shoreline have been fouled by oil.")
    c = _article("c", "Three", "The new leak lies 80 miles off the southern coast of the bay.")
    far = [_count(a, "50 miles", 50, "miles", ""), _count(b, "100 miles", 100, "miles", "")]
    assert "conflict" not in [f.kind for f in _findings([a, b], far)]
    same = [_count(a, "50 miles", 50, "miles", ""), _count(c, "80 miles", 80, "miles", "")]
    assert "conflict" in [f.kind for f in _findings([a, c], same)]


def test_only_figures_that_exclude_each_other_need_to_be_told_alike() -> None:
    # one report: "more than 65 miles" of shoreline oiled, and the slick's "150 miles";
    # the other's "70 miles" of coast fits the first and is told apart from the second
    a = _article("a", "One", "The governor said 70 miles of the state's coast had been oiled.")
    b = _article(
        "b", "Two",
        "More than 65 miles of the state's coast have been oiled, the governor said. "
        "The slick now stretches across 150 miles, from Vell Point to Orr Isle.",
    )  # fmt: skip
    claims = [
        _count(a, "70 miles", 70, "miles", ""),
        _count(b, "65 miles", 65, "miles", ""),
        _count(b, "150 miles", 150, "miles", ""),
    ]
    claims[1].qualifiers = ["more than"]
    assert "conflict" not in [f.kind for f in _findings([a, b], claims)]
    c = _article("c", "Three", "It now stretches across 90 miles, from Vell Point to Orr Isle.")
    claims[0] = _count(c, "90 miles", 90, "miles", "")
    assert "conflict" in [f.kind for f in _findings([c, b], claims)]


def test_a_change_by_a_figure_is_not_the_level_it_stands_at() -> None:
    a = _article("a", "One", "The agency cut the firm's rating by six notches to BBB.")
    b = _article("b", "Two", "The firm's rating now stands two notches above junk.")
    claims = [
        _count(a, "six notches", 6, "notches", ""),
        _count(b, "two notches", 2, "notches", ""),
    ]
    claims[0].qualifiers = [CHANGE]
    assert [f.kind for f in _findings([a, b], claims)] == ["scope"]


def test_a_conflict_line_names_a_time_only_its_own_figures_give() -> None:
    # two undated figures join the dated one's time (they fit it) but clash with each
    # other: the line may not name a year neither of them gives
    a = _article("a", "One", "The side played more than 10 games in 2024.", day="2024-06-01")
    b = _article("b", "Two", "The side played 11 games.", day="2024-06-01")
    c = _article("c", "Three", "The side played 15 games.", day="2024-06-01")
    claims = [
        _figure(a, "10 games", 10, "games", "2024", ["more than"], unit="count"),
        _count(b, "11 games", 11, "games", ""),
        _count(c, "15 games", 15, "games", ""),
    ]
    [conflict] = [f for f in _findings([a, b, c], claims) if f.kind == "conflict"]
    assert {cl.span.article for cl in conflict.claims} == {"b", "c"}
    assert "2024" not in conflict.statement


def test_figures_of_articles_with_no_known_day_are_not_of_one_moment() -> None:
    a = _article("a", "One", "Rescuers said 20 miners were missing.")
    b = _article("b", "Two", "Officials said 31 miners were missing.")
    a.date = b.date = None
    claims = [_count(a, "20 miners", 20, "missing", "miners"),
              _count(b, "31 miners", 31, "missing", "miners")]  # fmt: skip
    assert "conflict" not in [f.kind for f in _findings([a, b], claims)]


def test_counts_whose_sentences_name_only_different_teams_do_not_conflict() -> None:
    a = _article("a", "One", "The Harriers lost for the seventh time in nine games.")
    b = _article("b", "Two", "The Comets had won eight games in a row.")
    c = _article("c", "Three", "The Harriers have lost seven of their last ten games.")
    claims = [_count(a, "nine games", 9, "games", ""), _count(b, "eight games", 8, "games", ""),
              _count(c, "ten games", 10, "games", "")]  # fmt: skip
    for article, name in ((a, "Harriers"), (b, "Comets"), (c, "Harriers")):
        at = article.text.index(name)
        article.annotations = Annotations(mentions=[Mention(at, at + len(name), name, "ORG", name)])
    kinds = [f.kind for f in _findings([a, b], claims[:2])]
    assert "conflict" not in kinds
    assert "conflict" in [f.kind for f in _findings([a, c], [claims[0], claims[2]])]


def test_a_four_word_phrase_inside_a_long_quotation_is_not_that_quotation() -> None:
    from storyline.stages.claims.crosscheck import _same_words

    long = "The fixes were awkward to apply, so a patch had to come as quickly as possible."
    assert not _same_words("as quickly as possible", long)
    assert _same_words("so a patch had to come as quickly as possible", long)


def test_a_qualifier_that_only_repeats_the_figure_is_no_scope() -> None:
    a = _article("a", "One", "Storms in 2008, including four hurricanes, hit the coast.")
    b = _article("b", "Two", "Storms in 2008, including six hurricanes, hit the coast.")
    claims = [
        _count(a, "four hurricanes", 4, "hurricanes", ""),
        _count(b, "six hurricanes", 6, "hurricanes", ""),
    ]
    claims[0].qualifiers = ["including four hurricanes"]
    claims[1].qualifiers = ["including six hurricanes"]
    assert [f.kind for f in _findings([a, b], claims)] == ["conflict"]
    # the qualifier may stop short of the counted word ("including two search" dogs) and
    # one source may write the number in digits
    c = _article("c", "One", "A team of 71, including two search dogs, flew out.")
    d = _article("d", "Two", "A team of 71, including 3 search dogs, flew out.")
    claims = [
        _count(c, "two search dogs", 2, "search dogs", "dogs"),
        _count(d, "3 search dogs", 3, "search dogs", "dogs"),
    ]
    claims[0].qualifiers = ["including two search"]
    claims[1].qualifiers = ["including 3 search"]
    assert [f.kind for f in _findings([c, d], claims)] == ["conflict"]


def test_as_many_as_is_an_upper_bound() -> None:
    a = _article("a", "One", "The quake killed as many as 300,000 people.")
    b = _article("b", "Two", "The quake killed 250,000 people.")
    claims = [
        _count(a, "300,000 people", 3e5, "deaths", "people"),
        _count(b, "250,000 people", 2.5e5, "deaths", "people"),
    ]
    claims[0].qualifiers = ["as many as"]
    assert [f.kind for f in _findings([a, b], claims)] == ["agree"]


def test_what_one_report_says_against_what_another_says() -> None:
    # one outlet gives "approximately 1,000" and "as many as 1,000" (900 to 1,000 together);
    # another says 413 that day: the bound alone would allow it, the report does not
    a = _article("a", "One", "About 1,000 inmates fled. As many as 1,000 inmates fled.")
    b = _article("b", "Two", "Some 413 inmates fled the jail.")
    claims = [
        _count(a, "1,000 inmates", 1000, "escapes", "inmates"),
        _count(a, "As many as 1,000", 1000, "escapes", "inmates"),
        _count(b, "413 inmates", 413, "escapes", "inmates"),
    ]
    claims[0].qualifiers, claims[1].qualifiers = ["approximately"], ["as many as"]
    claims[1].value_text = "1,000"
    assert "conflict" in [f.kind for f in _findings([a, b], claims)]
