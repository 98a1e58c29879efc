"""A report is never lost to one line: a part whose stage fails, or a cited line the verifier
rejects, is left out and named, and everything else is written (issue: a 20-minute run once
ended with no report because one finding's statement failed verification)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest

from storyline import pipeline
from storyline.errors import CitationError
from storyline.models import (
    Article,
    Claim,
    DateRange,
    Event,
    Finding,
    Report,
    Span,
    SummarySentence,
)
from storyline.render.report import write_report
from storyline.render.verify import citation_problems, drop_unverified, verify_citations
from storyline.store import Store
from tests.conftest import ROOT

pytestmark = pytest.mark.slow  # models, subprocesses or servers: not in `make quick`

SCHEMA = ROOT / "docs" / "report.schema.json"
STORYLINE = str(Path(sys.executable).with_name("storyline"))


def _failing_once(real: Callable[..., Any], calls: list[str], name: str) -> Callable[..., Any]:
    """Return real, but raising a bug's kind of error on its first call."""

    def step(*args: Any, **kwargs: Any) -> Any:
        calls.append(name)
        if calls.count(name) == 1:
            raise ZeroDivisionError("a bug in one part")
        return real(*args, **kwargs)

    return step


@pytest.fixture(scope="module")
def broken_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pipeline.Built]:
    """The demo corpus built with one event's summary, one article's claims and one
    storyline's timeline failing as a bug would make them."""
    db = tmp_path_factory.mktemp("left-out") / "demo.db"
    store = Store(str(db))
    options = pipeline.Options()
    corpus = resources.files("storyline") / "examples" / "corpus"
    pipeline.ingest([str(corpus)], store, options)
    calls: list[str] = []
    with pytest.MonkeyPatch.context() as mp:
        for name in ("summarize_event", "article_claims", "build_timeline"):
            mp.setattr(pipeline, name, _failing_once(getattr(pipeline, name), calls, name))
        built = pipeline.build(store, options)
    store.close()
    return db, built


def test_a_failing_part_is_left_out_and_named_and_the_rest_is_built(
    broken_build: tuple[Path, pipeline.Built],
) -> None:
    db, built = broken_build
    summary_lost = [e for e in built.events if not e.summary]
    assert len(summary_lost) == 1
    assert sum(1 for e in built.events if e.summary) >= 3  # the others are summarised
    timeline_lost = [s for s in built.stories if not s.timeline]
    assert len(timeline_lost) == 1 and any(s.timeline for s in built.stories)
    parts = [line.split(":")[0] for line in built.left_out]
    assert f"event {summary_lost[0].id} summary" in parts
    assert f"story {timeline_lost[0].id} timeline" in parts
    assert any(p.startswith("article ") and p.endswith(" claims") for p in parts)
    assert all("ZeroDivisionError" not in line and "bug" in line for line in built.left_out)
    # stored with the grouping, so a later `storyline report` still names them
    report = pipeline.load_report(Store(str(db)))
    assert report.left_out == built.left_out
    verify_citations(report)


def test_report_survives_a_rejected_line_end_to_end(
    broken_build: tuple[Path, pipeline.Built], tmp_path: Path
) -> None:
    """A stored summary line that no longer matches its source (a bug in some stage) is
    dropped and named; `storyline report` writes everything else and exits 0."""
    db = tmp_path / "tampered.db"
    with sqlite3.connect(broken_build[0]) as src, sqlite3.connect(db) as dst:
        src.backup(dst)
    with sqlite3.connect(db) as conn:
        event_id, data = next(
            (eid, json.loads(d))
            for eid, d in conn.execute("SELECT id, data FROM events ORDER BY id")
            if json.loads(d)["summary"]
        )
        kept = data["summary"][1:]
        data["summary"][0]["text"] = "The harbour was sold to the moon for 2011 reports."
        conn.execute("UPDATE events SET data = ? WHERE id = ?", (json.dumps(data), event_id))
    out = tmp_path / "report"
    env = {**os.environ, "COLUMNS": "200"}
    done = subprocess.run(
        [STORYLINE, "report", "--db", str(db), "--out", str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if line.startswith("warning: left out")]
    assert f"warning: left out event {event_id} summary sentence 1 " in "\n".join(warnings)
    assert "Traceback" not in done.stderr and "CitationError" not in done.stderr
    written = json.loads((out / "report.json").read_text(encoding="utf-8"))
    jsonschema.validate(written, json.loads(SCHEMA.read_text(encoding="utf-8")))
    assert len(written["left_out"]) == len(broken_build[1].left_out) + 1
    event = next(e for e in written["events"] if e["id"] == event_id)
    assert [s["text"] for s in event["summary"]] == [s["text"] for s in kept]
    assert len(written["events"]) == len(broken_build[1].events)
    assert "left out (listed in report.json)" in (out / "report.md").read_text(encoding="utf-8")
    as_json = subprocess.run(
        [STORYLINE, "report", "--db", str(db), "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert as_json.returncode == 0 and json.loads(as_json.stdout)["left_out"][-1].startswith(
        f"event {event_id} summary sentence 1"
    )


def _claim(text: str, value: float, value_text: str) -> Claim:
    return Claim(
        span=Span("a1", 0, len(text)),
        text=text,
        kind="quantity",
        value=value,
        value_text=value_text,
        measure="dead",
        source="Harbour Gazette",
    )


def test_drop_unverified_takes_out_only_the_failing_lines(tmp_path: Path) -> None:
    text = "Four people died in the flood on Monday. The river rose two metres."
    article = Article(id="a1", ref="a.txt", text=text, title="Flood", source="Harbour Gazette")
    good = _claim(text[:40], 4, "Four")
    findings = [
        Finding(kind="unique", statement="Only Harbour Gazette reports 4 dead", claims=[good]),
        Finding(kind="unique", statement="Only Harbour Gazette reports 9 dead", claims=[good]),
    ]
    summary = [
        SummarySentence(text=text[:40], citations=[Span("a1", 0, 40)]),
        SummarySentence(text="The river fell.", citations=[Span("a1", 41, len(text))]),
    ]
    event = Event(id="e1", title="Flood", articles=["a1"], date=DateRange(None, None))
    event.summary, event.findings = summary, findings
    report = Report(articles=[article], events=[event], stories=[])
    problems = citation_problems(report)
    assert len(problems) == 2 and len(event.summary) == 2  # named, nothing taken out
    with pytest.raises(CitationError, match="event e1 summary sentence 2"):
        verify_citations(report)
    assert drop_unverified(report) == problems
    assert [s.text for s in event.summary] == [text[:40]]
    assert [f.statement for f in event.findings] == ["Only Harbour Gazette reports 4 dead"]
    report.left_out = problems
    verify_citations(report)
    assert (tmp_path / "r" / "report.json") in write_report(report, tmp_path / "r")
