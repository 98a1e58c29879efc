"""Output that scales, through the real command: the terminal report shows the largest
storylines and says how to see the rest, progress off a terminal is a plain line every few
seconds, --quiet prints nothing but problems, and many TimelineJS files go into a folder
that the "wrote" line names once (issue: a 402-article run printed 17,005 lines, and its
"wrote" line listed 139 timeline files)."""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from storyline import pipeline
from storyline.cli import _wrote
from storyline.render.export import TIMELINEJS_BESIDE, TIMELINEJS_FOLDER
from storyline.render.html import story_groups, story_size
from storyline.render.report import write_report
from storyline.store import Store
from tests.conftest import build_demo_store
from tests.render.test_timeline_output import timeline_report

pytestmark = pytest.mark.slow  # models, subprocesses or servers: not in `make quick`

STORYLINE = str(Path(sys.executable).with_name("storyline"))


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("scale") / "demo.db"
    build_demo_store(db)
    return db


def _cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [STORYLINE, *args],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200", **env},
        timeout=600,
    )


def test_the_terminal_shows_the_largest_storylines_and_says_how_to_see_the_rest(
    demo_db: Path,
) -> None:
    report = pipeline.load_report(Store(str(demo_db)))
    groups = sorted(
        ((s, e) for s, e in story_groups(report) if s is not None),
        key=lambda g: story_size(*g),
        reverse=True,
    )
    assert len(groups) == 2
    (largest, events), (other, _) = groups
    top = _cli("report", "--db", str(demo_db), STORYLINE_TERMINAL_STORYLINES="1")
    assert top.returncode == 0, top.stderr
    assert largest.title in top.stdout and other.title not in top.stdout
    assert "… and 1 more storyline (the largest are shown): `storyline report --all`" in top.stdout

    every = _cli("report", "--db", str(demo_db), "--all", STORYLINE_TERMINAL_STORYLINES="1")
    assert largest.title in every.stdout and other.title in every.stdout
    assert "more storyline" not in every.stdout

    one = _cli("report", "--db", str(demo_db), "--story", other.id)
    assert one.returncode == 0 and other.title in one.stdout and largest.title not in one.stdout

    latest = _cli("report", "--db", str(demo_db), STORYLINE_TERMINAL_EVENTS="1")
    assert len(events) >= 2
    earlier = f"… {len(events) - 1} earlier event"
    assert f"{earlier}{'s' * (len(events) > 2)}: `storyline report --story {largest.id}`" in (
        latest.stdout
    )
    assert latest.stdout.count("╭") == 2  # one event panel a storyline, of the four
    assert every.stdout.count("╭") == len(report.events) == 4

    missing = _cli("report", "--db", str(demo_db), "--story", "s-nope")
    assert missing.returncode == 1
    assert missing.stderr.strip() == (
        "error: no storyline s-nope in this store: `storyline report` lists them"
    )


_PLAIN = re.compile(
    r"^(date|embed|cluster|time|summarize|check|timeline) [\d,]+(/[\d,]+ \(\d+%\))?, "
    r"[\d,.]+/s(, about \d+ (s|min) left)?$"
)


def test_progress_off_a_terminal_is_plain_lines_and_quiet_is_silent(demo_db: Path) -> None:
    # every advance gives a line at 0 seconds apart: the format, not the pace, is tested here
    done = _cli("build", "--db", str(demo_db), STORYLINE_PROGRESS_SECONDS="0")
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert lines[-1].startswith("built ")
    progress = lines[:-1]
    assert progress and all(_PLAIN.match(line) for line in progress), progress
    assert any(line.startswith("summarize 4/4 (100%)") for line in progress)
    assert "━" not in done.stderr and "\r" not in done.stderr  # no bars in a log

    quiet = _cli("build", "--db", str(demo_db), "-q", STORYLINE_PROGRESS_SECONDS="0")
    assert quiet.returncode == 0 and quiet.stderr == "" and quiet.stdout == ""


def test_many_timelines_go_into_one_folder_that_the_wrote_line_names_once(
    tmp_path: Path,
) -> None:
    report = timeline_report()
    story = report.stories[0]
    n = TIMELINEJS_BESIDE + 2
    report.stories = [dataclasses.replace(story, id=f"st-{i}") for i in range(n)]
    paths = write_report(report, tmp_path / "out")
    folder = tmp_path / "out" / TIMELINEJS_FOLDER
    assert sorted(p.name for p in folder.iterdir()) == [f"timelinejs-st-{i}.json" for i in range(n)]
    line = _wrote(paths)
    assert line == (
        f"wrote {tmp_path}/out/report.json, {tmp_path}/out/report.md, {tmp_path}/out/report.html, "
        f"{tmp_path}/out/timeline.csv, {tmp_path}/out/timeline.md, {folder}/ ({n} files)"
    )
    # a few sit beside the report, as before
    report.stories = report.stories[:TIMELINEJS_BESIDE]
    few = write_report(report, tmp_path / "few")
    assert all(p.parent == tmp_path / "few" for p in few)
