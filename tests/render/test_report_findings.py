"""Cross-source findings in the report: the citation check of claims and statement numbers,
the four headed parts of an event and the figures over time in every format, and JSON."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import jsonschema  # type: ignore[import-untyped]
import pytest
from markupsafe import escape
from rich.console import Console

from storyline.errors import CitationError
from storyline.models import (
    Article,
    CitedQuote,
    Claim,
    DateRange,
    Event,
    Finding,
    Membership,
    Report,
    Span,
    Story,
    SummarySentence,
)
from storyline.render.html import UNIQUE_SHOWN, CitationIndex
from storyline.render.report import (
    SCHEMA_VERSION,
    render_html,
    render_markdown,
    render_terminal,
    report_json,
    verify_citations,
)
from tests.conftest import ROOT

SCHEMA_PATH = ROOT / "docs" / "report.schema.json"

# Invented text, written for this test: three outlets on one town's reservoir.
TEXT_A = (
    "The Millbrook reservoir held 4.2 billion litres on Monday, the water board said. "
    "Last year the reservoir peaked at 5.1 billion litres. "
    'Board chair Ada Quist said "we will lift the hosepipe ban in April" at a briefing. '
    "The repairs will cost $3 million."
)
TEXT_B = (
    "Millbrook's reservoir stood at 4.2 billion litres this week. "
    'Ada Quist said "we will lift the hosepipe ban" to reporters. '
    "The repairs will cost $4.5 million, including new pumps. "
    "Inspectors counted 12 leaks since 2019."
)
TEXT_C = (
    "The reservoir rose to 4.6 billion litres by Saturday. "
    "Last year it peaked at 5.4 billion litres. "
    'A spokesman, Tom Reyes, said "we will lift the hosepipe ban in April" on Saturday. '
    "Note: <script>alert(1)</script> a hostile line."
)
TEXTS = {"a1": TEXT_A, "b2": TEXT_B, "c3": TEXT_C}
SOURCES = {"a1": "Valley Courier", "b2": "Northern Post", "c3": "River Times"}


def _claim(article: str, piece: str, kind: str = "quantity", **fields: object) -> Claim:
    """Return a claim citing the first place piece is written in the article."""
    text = TEXTS[article]
    start = text.index(piece)
    return Claim(Span(article, start, start + len(piece)), piece, kind, SOURCES[article], **fields)  # type: ignore[arg-type]


def _level(article: str, sentence: str, value_text: str, time: str) -> Claim:
    value = float(value_text.split()[0]) * 1e9
    return _claim(
        article,
        sentence,
        measure="reservoir level",
        value=value,
        value_text=value_text,
        unit="litres",
        time=time,
    )


A_LEVEL = "The Millbrook reservoir held 4.2 billion litres on Monday, the water board said."
B_LEVEL = "Millbrook's reservoir stood at 4.2 billion litres this week."
C_LEVEL = "The reservoir rose to 4.6 billion litres by Saturday."
A_PEAK = "Last year the reservoir peaked at 5.1 billion litres."
C_PEAK = "Last year it peaked at 5.4 billion litres."
A_COST = "The repairs will cost $3 million."
B_COST = "The repairs will cost $4.5 million, including new pumps."
B_LEAKS = "Inspectors counted 12 leaks since 2019."
C_NOTE = "Note: <script>alert(1)</script> a hostile line."
QUOTE_FULL = "we will lift the hosepipe ban in April"
QUOTE_SHORT = "we will lift the hosepipe ban"

AGREE = "The reservoir held 4.2 billion litres, 2 sources agree."
CONFLICT = "Last year's peak: 5.1 billion litres or 5.4 billion litres."
SCOPE = "Repair cost: $3 million, or $4.5 million counting new pumps."
UPDATE = "The level rose from 4.2 billion litres on 2024-03-04 to 4.6 billion by Saturday."
UNIQUE_LEAKS = "Inspectors counted 12 leaks since 2019 (1 source)."
UNIQUE_NOTE = "Only the River Times printed a note."
QUOTE_STATEMENT = "Ada Quist said the hosepipe ban will be lifted in April."
SERIES = "Millbrook reservoir level, 2023 to 2024-03-09"


def _findings() -> list[Finding]:
    """Return one finding of every kind an event holds, in an order unlike the report's."""
    quote = Finding(
        "quote",
        QUOTE_STATEMENT,
        [
            _claim("a1", QUOTE_FULL, "quote", speaker="Ada Quist"),
            _claim("b2", QUOTE_SHORT, "quote", speaker="Ada Quist"),
            _claim("c3", QUOTE_FULL, "quote", speaker="Tom Reyes"),
        ],
        independent_sources=3,
        wording={"a1": "verbatim", "b2": "truncated", "c3": "verbatim"},
        speakers_match=False,
    )
    cost_a = _claim("a1", A_COST, value=3e6, value_text="$3 million", unit="USD")
    cost_b = _claim(
        "b2",
        B_COST,
        value=4.5e6,
        value_text="$4.5 million",
        unit="USD",
        qualifiers=["including new pumps"],
    )
    return [
        Finding(
            "unique",
            UNIQUE_LEAKS,
            [
                _claim(
                    "b2",
                    B_LEAKS,
                    value=12.0,
                    value_text="12 leaks",
                    unit="leaks",
                    qualifiers=["since 2019"],
                )
            ],
            independent_sources=1,
        ),
        quote,
        Finding(
            "update",
            UPDATE,
            [
                _level("a1", A_LEVEL, "4.2 billion litres", "2024-03-04"),
                _level("c3", C_LEVEL, "4.6 billion litres", "2024-03-09"),
            ],
            "reservoir level",
            independent_sources=2,
        ),
        Finding(
            "agree",
            AGREE,
            [
                _level("a1", A_LEVEL, "4.2 billion litres", "2024-03-04"),
                _level("b2", B_LEVEL, "4.2 billion litres", "2024-03-05"),
            ],
            "reservoir level",
            independent_sources=2,
        ),
        Finding("scope", SCOPE, [cost_a, cost_b], "repair cost", independent_sources=2),
        Finding(
            "conflict",
            CONFLICT,
            [
                _level("a1", A_PEAK, "5.1 billion litres", "2023"),
                _level("c3", C_PEAK, "5.4 billion litres", "2023"),
            ],
            "reservoir peak",
            independent_sources=2,
        ),
        Finding("unique", UNIQUE_NOTE, [_claim("c3", C_NOTE, "statement")], independent_sources=1),
    ]


def _report() -> Report:
    """Return a small honest report: three articles, one event with findings, one story."""
    articles = [
        Article(
            aid,
            f"fixtures/{aid}.txt",
            text,
            title=f"Reservoir report {aid}",
            source=SOURCES[aid],
            date=DateRange(day, day, "given"),
        )
        for aid, text, day in (
            ("a1", TEXT_A, "2024-03-04"),
            ("b2", TEXT_B, "2024-03-05"),
            ("c3", TEXT_C, "2024-03-09"),
        )
    ]
    event = Event(
        id="ev1",
        title="Millbrook reservoir recovers",
        articles=["a1", "b2", "c3"],
        date=DateRange("2024-03-04", "2024-03-09", "range"),
        evidence=[Membership(aid, 0.6, ["Millbrook"], {"tfidf": 0.5}, 1) for aid in TEXTS],
        sources=list(SOURCES.values()),
        independent_sources=3,
        summary=[SummarySentence(A_LEVEL, [Span("a1", *_span("a1", A_LEVEL))])],
        quotes=[CitedQuote(QUOTE_FULL, "Ada Quist", Span("a1", *_span("a1", QUOTE_FULL)))],
        findings=_findings(),
    )
    series = Finding(
        "series",
        SERIES,
        [
            _level("a1", A_PEAK, "5.1 billion litres", "2023"),
            _level("a1", A_LEVEL, "4.2 billion litres", "2024-03-04"),
            _level("c3", C_LEVEL, "4.6 billion litres", "2024-03-09"),
        ],
        "reservoir level",
        independent_sources=2,
    )
    story = Story("st1", "Millbrook drought", ["ev1"], ["Millbrook"], series=[series])
    return Report(articles, [event], [story], generated="2024-03-10T08:00:00+00:00")


def _span(article: str, piece: str) -> tuple[int, int]:
    start = TEXTS[article].index(piece)
    return start, start + len(piece)


def _finding(report: Report, statement: str) -> Finding:
    [finding] = [f for f in report.events[0].findings if f.statement == statement]
    return finding


def _spans_of(finding: Finding) -> set[tuple[str, int]]:
    return {(c.span.article, c.span.start) for c in finding.claims}


# ---- the citation check -------------------------------------------------------


def test_verifier_accepts_the_honest_report() -> None:
    verify_citations(_report())


def test_verifier_reads_no_count_of_reports_across_a_speaker_with_digits() -> None:
    report = _report()
    text = "Updated Jan 28 2011 00:49:00 Ada Quist reports that the dam held all night."
    report.articles[0].text = text
    claim = Claim(
        Span("a1", 0, len(text)), text, "statement", "Valley Courier", speaker="00:49:00 Ada Quist"
    )
    unique = Finding("unique", f"Only Valley Courier reports (00:49:00 Ada Quist): {text}", [claim])
    unique.independent_sources = 1
    report.events[0].findings = [unique]
    report.events[0].summary, report.events[0].quotes, report.stories = [], [], []
    verify_citations(report)


def test_verifier_names_a_claim_outside_its_article() -> None:
    report = _report()
    claim = _finding(report, CONFLICT).claims[1]
    claim.span = replace(claim.span, end=len(TEXT_C) + 7)
    with pytest.raises(
        CitationError, match=r"^event ev1 finding 6 claim 2 \(article c3, .*outside"
    ):
        verify_citations(report)


def test_verifier_names_a_claim_whose_text_is_not_its_span() -> None:
    report = _report()
    claim = _finding(report, SCOPE).claims[0]
    claim.span = replace(claim.span, start=claim.span.start + 1)
    with pytest.raises(CitationError, match=r"^event ev1 finding 5 claim 1 .*not the article text"):
        verify_citations(report)


def test_verifier_names_a_value_not_written_in_the_claim() -> None:
    report = _report()
    _finding(report, AGREE).claims[1].value_text = "4.3 billion litres"
    with pytest.raises(CitationError, match=r"^event ev1 finding 4 claim 2 .*'4.3 billion litres'"):
        verify_citations(report)


def test_verifier_names_a_statement_that_invents_a_number() -> None:
    report = _report()
    _finding(report, AGREE).statement = "The reservoir held 4.9 billion litres, 2 sources agree."
    with pytest.raises(CitationError, match=r"^event ev1 finding 4: .*'4.9 billion'"):
        verify_citations(report)


def test_verifier_names_a_wrong_count_of_sources() -> None:
    report = _report()
    _finding(report, AGREE).statement = "The reservoir held 4.2 billion litres, 5 sources agree."
    with pytest.raises(CitationError, match=r"^event ev1 finding 4: .*count of sources"):
        verify_citations(report)


def test_verifier_checks_quote_claims_and_their_wording() -> None:
    report = _report()
    _finding(report, QUOTE_STATEMENT).claims[1].text = "we shall lift the hosepipe ban"
    with pytest.raises(CitationError, match=r"^event ev1 finding 2 claim 2 \(article b2"):
        verify_citations(report)
    report = _report()
    _finding(report, QUOTE_STATEMENT).wording["zz"] = "paraphrased"
    with pytest.raises(CitationError, match=r"^event ev1 finding 2: .*article zz"):
        verify_citations(report)


def test_verifier_checks_series_and_findings_without_claims() -> None:
    report = _report()
    claim = report.stories[0].series[0].claims[2]
    claim.span = replace(claim.span, start=claim.span.start - 2)
    with pytest.raises(CitationError, match=r"^story st1 series 1 claim 3 \(article c3"):
        verify_citations(report)
    report = _report()
    report.events[0].findings[0].claims = []
    with pytest.raises(CitationError, match=r"^event ev1 finding 1 .*cites no claims"):
        verify_citations(report)


NUMBER_CASES = [
    # (statement, claim text, claim fields, independent sources, passes)
    ("Trade hit $190bn.", "Trade reached $190 billion.", {}, 1, True),
    ("Trade hit 190,000,000,000 dollars.", "Trade reached $190 billion.", {}, 1, True),
    ("Trade hit 190 million.", "Trade reached $190 billion.", {}, 1, False),
    ("Trade hit 190.", "Trade reached $190 billion.", {}, 1, True),
    ("It took 1,200 staff.", "It took 1200 staff.", {}, 1, True),
    ("Rates rose 5%.", "Rates rose 5 per cent.", {}, 1, True),
    ("Rates rose 5%.", "Rates rose by 5 points.", {}, 1, False),
    ("It has 5 deputies.", "It has five deputies.", {"value": 5.0, "value_text": "five"}, 1, True),
    ("It has 5 deputies.", "It has five deputies.", {"value": 5.0}, 1, False),
    ("His 3rd visit.", "His third visit.", {"value": 3.0, "value_text": "third"}, 1, True),
    ("Trade fell in 2022.", "Trade fell last year.", {"time": "2022"}, 1, True),
    ("Trade fell in 2021.", "Trade fell last year.", {"time": "2022"}, 1, False),
    ("Held on 2023-10.", "Held on Wednesday.", {"time": "2023-10-18"}, 1, True),
    ("Held on 2023-11.", "Held on Wednesday.", {"time": "2023-10-18"}, 1, False),
    ("The G20 met.", "Leaders of the G20 met.", {}, 1, True),
    ("Leaders met, say 3 sources.", "Leaders met.", {}, 3, True),
    ("Leaders met, say 2 of 3 outlets.", "Leaders met.", {}, 3, False),
    ("Leaders met, say 1 of 1 outlets.", "Leaders met.", {}, 1, True),
    ("Leaders met, say 4 independent sources.", "Leaders met.", {}, 1, False),
    ("Nothing happened in 1999.", "Nothing happened.", {}, 1, False),
    ("Leaders met, say three sources.", "Leaders met.", {}, 1, True),  # words are not checked
]


@pytest.mark.parametrize(("statement", "text", "fields", "independent", "passes"), NUMBER_CASES)
def test_statement_numbers_follow_the_documented_rule(
    statement: str, text: str, fields: dict[str, object], independent: int, passes: bool
) -> None:
    article = Article("x1", "fixtures/x1.txt", text, source="Wire")
    claim = Claim(Span("x1", 0, len(text)), text, "quantity", "Wire", **fields)  # type: ignore[arg-type]
    finding = Finding("unique", statement, [claim], independent_sources=independent)
    event = Event("ev9", "t", ["x1"], DateRange(None, None), findings=[finding])
    report = Report([article], [event], [])
    if passes:
        verify_citations(report)
    else:
        with pytest.raises(CitationError, match=r"^event ev9 finding 1: the statement"):
            verify_citations(report)


def test_statement_may_name_outlets_and_count_copies() -> None:
    text = "Crews flew 12 flights over the fire."
    articles = [
        Article("x1", "feeds/000_7a18f.txt", text, source="Channel 4"),
        Article("x2", "feeds/001_9be2c.txt", text),  # no source: named by its file
    ]
    claims = [Claim(Span(a.id, 0, len(text)), text, "statement", a.source) for a in articles]
    finding = Finding("unique", "", claims, independent_sources=1)
    evidence = [Membership("x2", 0.9, copy_of="x1", copy_similarity=0.95)]
    event = Event("ev9", "t", ["x1", "x2"], DateRange(None, None), evidence, findings=[finding])
    report = Report(articles, [event], [])
    for statement in (
        "Only Channel 4 (and 1 copy) reports 12 flights.",
        "Only 001_9be2c.txt reports 12 flights.",
        "2 articles, 1 independent source: 12 flights.",
    ):
        finding.statement = statement
        verify_citations(report)
    for statement in (
        "Only Channel 4 (and 2 copies) reports 12 flights.",
        "Only Channel 5 reports 12 flights.",
        "Only Channel 4 reports 14 flights.",
    ):
        finding.statement = statement
        with pytest.raises(CitationError, match=r"^event ev9 finding 1: the statement"):
            verify_citations(report)


# ---- the renderings -----------------------------------------------------------

HEADINGS = ("Sources agree", "Sources differ", "Reported by one source only", "Who said what")
DIFFER = {
    CONFLICT: "Conflict",
    SCOPE: "Different scope — not a contradiction",
    UPDATE: "Update over time",
}


def _numbered(index: CitationIndex, *spans: tuple[str, str]) -> list[int]:
    return [index.number(Span(aid, *_span(aid, piece))) for aid, piece in spans]


def test_claims_are_numbered_after_the_summary_and_quotes() -> None:
    report = _report()
    # the summary sentence and the event's quote keep 1 and 2 (claims citing them reuse
    # those numbers); then the claims in the order the parts are shown
    assert _numbered(
        CitationIndex(report),
        ("a1", A_LEVEL),
        ("a1", QUOTE_FULL),
        ("b2", B_LEVEL),  # agree
        ("c3", C_LEVEL),
        ("a1", A_COST),
        ("b2", B_COST),
        ("a1", A_PEAK),
        ("c3", C_PEAK),
        ("b2", B_LEAKS),
        ("c3", C_NOTE),  # unique
        ("b2", QUOTE_SHORT),
        ("c3", QUOTE_FULL),  # who said what
    ) == list(range(1, 13))
    # a storyline's figures are numbered after its events
    report.events[0].findings = []
    index = CitationIndex(report)
    assert _numbered(index, ("a1", A_PEAK), ("c3", C_LEVEL)) == [3, 4]


def _md_footnote_spans(md: str) -> dict[int, tuple[str, int]]:
    found = re.findall(r"^\[\^(\d+)\]: .*characters (\d+)–\d+ \(\[article (\w+)\]", md, re.M)
    return {int(n): (aid, int(start)) for n, start, aid in found}


def test_markdown_shows_each_part_with_citations_to_the_claims() -> None:
    report = _report()
    md = render_markdown(report)
    positions = [md.index(f"#### {heading}") for heading in HEADINGS]
    assert positions == sorted(positions)
    spans = _md_footnote_spans(md)
    defined = re.findall(r"^\[\^(\d+)\]:", md, re.M)
    assert len(defined) == len(set(defined)) == len(spans) == 12  # each defined once
    for finding in report.events[0].findings:
        if finding.kind == "quote":
            continue
        [line] = [ln for ln in md.splitlines() if finding.statement in ln]
        marks = [int(n) for n in re.findall(r"\[\^(\d+)\]", line)]
        assert {spans[n] for n in marks} == _spans_of(finding), line
        if finding.statement in DIFFER:
            assert line.startswith(f"- **{DIFFER[finding.statement]}:** ")
    said = next(ln for ln in md.splitlines() if ln.startswith("- “we will lift"))
    assert "— Ada Quist" in said and "Northern Post (truncated)" in said
    assert "Valley Courier (verbatim)" in said and "River Times (verbatim)" in said
    assert "do not name the same speaker" in said and "Tom Reyes" in said
    _finding(report, UNIQUE_NOTE).statement = C_NOTE  # untrusted text stays inert
    md = render_markdown(report)
    assert r"Note: \<script\>alert(1)\</script\> a hostile line.[^10]" in md
    assert "<script>" not in md


def test_markdown_figures_over_time_table() -> None:
    md = render_markdown(_report())
    table = md[md.index("### Figures over time") :]
    assert "| Time | Value as written | Source | Cited |" in table
    rows = re.findall(r"^\| (\S+) \| (.+?) \| (.+?) \| \[\^(\d+)\] \|$", table, re.M)
    assert [(t, v, s) for t, v, s, _ in rows] == [
        ("2023", "5.1 billion litres", "Valley Courier"),
        ("2024-03-04", "4.2 billion litres", "Valley Courier"),
        ("2024-03-09", "4.6 billion litres", "River Times"),
    ]
    spans = _md_footnote_spans(md)
    assert spans[int(rows[0][3])] == ("a1", TEXT_A.index(A_PEAK))
    assert spans[int(rows[1][3])] == ("a1", 0)


def test_terminal_shows_each_part_with_citations_to_the_claims() -> None:
    report = _report()
    console = Console(record=True, width=120, color_system=None)
    render_terminal(report, console)
    out = console.export_text()
    for heading in (*HEADINGS, "Figures over time", "Value as written"):
        assert heading in out
    sources = {
        int(n): (aid, int(start))
        for n, aid, start in re.findall(r"\[(\d+)\] Reservoir report (\w+), .*? chars (\d+)–", out)
    }
    for finding in report.events[0].findings:
        if finding.kind == "quote":
            continue
        [line] = [ln for ln in out.splitlines() if finding.statement[:30] in ln]
        marks = [int(n) for n in re.findall(r"\[(\d+)\]", line)]
        assert {sources[n] for n in marks} == _spans_of(finding), line
        if finding.statement in DIFFER:
            assert f"{DIFFER[finding.statement]}: " in line
    assert "carried by: Valley Courier (verbatim)" in out
    assert "do not name the same speaker" in out
    assert max(len(line) for line in out.splitlines()) <= 120
    _finding(report, UNIQUE_NOTE).statement = "[bold]Note[/bold]: <script>"
    console = Console(record=True, width=120, color_system=None)
    render_terminal(report, console)
    assert "[bold]Note[/bold]: <script> [10]" in console.export_text()  # markup stays inert


def test_html_shows_each_part_and_links_citations_to_the_claims() -> None:
    report = _report()
    page = render_html(report)
    for heading in HEADINGS:
        assert f"<h4>{heading}</h4>" in page
    assert "<h3>Figures over time</h3>" in page and "<caption>" in page
    for finding in report.events[0].findings:
        if finding.kind == "quote":
            continue
        text = str(escape(finding.statement))
        [item] = [li for li in re.findall(r"<li>.*?</li>", page, re.S) if text in li]
        links = {(aid, int(s)) for aid, s in re.findall(r'href="#art-(\w+)-(\d+)"', item)}
        assert links == _spans_of(finding)
        for claim in finding.claims:  # every link lands on a marked span of the article
            assert f'<mark id="art-{claim.span.article}-{claim.span.start}"' in page
        if finding.statement in DIFFER:
            assert f'<span class="label">{DIFFER[finding.statement]}</span>' in item
    said = re.search(r'<li class="said">.*?</li>', page, re.S)
    assert said is not None and "Northern Post (truncated)" in said[0]
    assert "Tom Reyes" in said[0] and 'class="note"' in said[0]


def test_html_escapes_script_in_claim_text() -> None:
    report = _report()
    _finding(report, UNIQUE_NOTE).statement = C_NOTE  # the untrusted text as a statement too
    page = render_html(report)
    assert "<script" not in page
    assert "Note: &lt;script&gt;alert(1)&lt;/script&gt; a hostile line." in page


def test_long_single_source_lists_fold_away_but_json_keeps_them() -> None:
    report = _report()
    leaks = _finding(report, UNIQUE_LEAKS)
    extra = [
        Finding("unique", f"Leak note {word}.", leaks.claims, independent_sources=1)
        for word in "abcdefghij"
    ]
    report.events[0].findings += extra
    total = 2 + len(extra)
    more = total - UNIQUE_SHOWN
    md = render_markdown(report)
    assert f"- and {more} more" in md and "Leak note j." not in md
    console = Console(record=True, width=120, color_system=None)
    render_terminal(report, console)
    out = console.export_text()
    assert f"… and {more} more" in out and "Leak note j." not in out
    page = render_html(report)
    folded = page[page.index(f"<summary>{more} more reported by one source only</summary>") :]
    assert "Leak note j." in folded.split("</details>")[0]
    data = report_json(report)
    assert sum(f["kind"] == "unique" for f in data["events"][0]["findings"]) == total


# ---- JSON ---------------------------------------------------------------------


def test_json_keeps_findings_and_series_and_validates() -> None:
    report = _report()
    data = json.loads(json.dumps(report_json(report)))
    assert data["schema_version"] == SCHEMA_VERSION == "1.2"
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(data)
    claim = data["events"][0]["findings"][0]["claims"][0]
    for key in ("article", "text", "start", "end", "value", "unit", "time", "qualifiers"):
        assert key in claim
    assert claim["qualifiers"] == ["since 2019"]
    assert [c["time"] for c in data["stories"][0]["series"][0]["claims"]] == [
        "2023",
        "2024-03-04",
        "2024-03-09",
    ]
    assert Event.from_dict(data["events"][0]) == report.events[0]
    assert Story.from_dict(data["stories"][0]) == report.stories[0]


def test_schema_rejects_a_finding_of_unknown_kind() -> None:
    data = json.loads(json.dumps(report_json(_report())))
    data["events"][0]["findings"][0]["kind"] = "rumour"
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(data)
