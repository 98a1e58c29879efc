"""One writer at a time, with real processes: a second writer waits for the first or is
refused with one line naming the process, and a finished run's report puts every article it
holds in an event (issue: two runs on one store once interleaved, and run A's report held 40
articles that belonged to no event)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from importlib import resources
from pathlib import Path

import pytest

from storyline.store import Store

pytestmark = pytest.mark.slow  # models, subprocesses or servers: not in `make quick`

STORYLINE = str(Path(sys.executable).with_name("storyline"))
ENV = {**os.environ, "COLUMNS": "200"}


def _halves(tmp_path: Path) -> tuple[Path, Path]:
    """Split the demo corpus into two folders of whole files."""
    corpus = Path(str(resources.files("storyline") / "examples" / "corpus"))
    files = sorted(corpus.iterdir())
    a, b = tmp_path / "a", tmp_path / "b"
    for folder, part in ((a, files[::2]), (b, files[1::2])):
        folder.mkdir()
        for f in part:
            shutil.copy(f, folder / f.name)
    return a, b


def _every_article_in_an_event(report: dict[str, object]) -> None:
    grouped = {m["id"] for e in report["events"] for m in e["articles"]}  # type: ignore[attr-defined,index]
    ids = {a["id"] for a in report["articles"]}  # type: ignore[attr-defined,index]
    assert ids and ids <= grouped, f"{len(ids - grouped)} articles in no event"


def test_two_runs_on_one_store_take_turns_and_each_report_is_whole(tmp_path: Path) -> None:
    """Two `storyline run` processes start on one store while a third writer (this test)
    holds it: each says once whom it waits for; when the store is free one runs while the
    other waits, and each report puts every article it holds in an event."""
    halves = _halves(tmp_path)
    db = tmp_path / "shared.db"
    store = Store(str(db))
    runs = []
    with store.writing():
        for name, folder in zip("ab", halves, strict=True):
            runs.append(
                subprocess.Popen(
                    [STORYLINE, "run", str(folder), "--db", str(db), "--out", str(tmp_path / name)],
                    stderr=subprocess.PIPE,
                    stdout=subprocess.DEVNULL,
                    text=True,
                    env=ENV,
                )
            )
        for proc in runs:
            assert proc.stderr is not None
            assert proc.stderr.readline().startswith(f"waiting for process {os.getpid()} (")
    errs = [proc.communicate(timeout=600)[1] for proc in runs]
    assert [proc.returncode for proc in runs] == [0, 0], errs
    reports = [json.loads((tmp_path / n / "report.json").read_text(encoding="utf-8")) for n in "ab"]
    for report in reports:
        _every_article_in_an_event(report)
    ids = [{x["id"] for x in r["articles"]} for r in reports]
    first, second = sorted(ids, key=len)
    assert first < second  # the first report is its run's half alone; the second holds both
    assert len(second) == Store(str(db)).count_articles()
    # the one that went second waited for the one that went first, and said so
    went_first = runs[ids.index(first)]
    later = errs[ids.index(second)].splitlines()
    assert later[0].startswith(f"waiting for process {went_first.pid} (storyline run ")
    assert later[1].startswith("ingested")


def test_a_writer_that_will_not_wait_is_refused_naming_the_holder(tmp_path: Path) -> None:
    db = tmp_path / "busy.db"
    store = Store(str(db))
    with store.writing():  # this test process is the first writer
        done = subprocess.run(
            [STORYLINE, "build", "--db", str(db), "--no-wait"],
            capture_output=True,
            text=True,
            env=ENV,
            timeout=120,
        )
    assert done.returncode == 75
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"error: {db.resolve()} is being written by process {os.getpid()}")
    assert "--no-wait" in lines[0] and "Traceback" not in done.stderr


@pytest.mark.parametrize("command", ["ingest", "build"])
def test_a_waiting_writer_goes_on_when_the_store_is_free(tmp_path: Path, command: str) -> None:
    db = tmp_path / "wait.db"
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "one.txt").write_text(
        "Ferry resumes\n\nThe island ferry resumed its timetable on Monday after a week of "
        "repairs to its hull, the operator said.\n",
        encoding="utf-8",
    )
    store = Store(str(db))
    args = [str(tmp_path / "in")] if command == "ingest" else []
    with store.writing():
        waiting = subprocess.Popen(
            [STORYLINE, command, *args, "--db", str(db)],
            stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            text=True,
            env=ENV,
        )
        assert waiting.stderr is not None
        line = waiting.stderr.readline()  # it says once whom it waits for, then waits
        assert line.startswith(f"waiting for process {os.getpid()} (")
        assert line.rstrip().endswith(f"to finish writing {db.resolve()}")
        time.sleep(1.0)
        assert waiting.poll() is None
    rest = waiting.communicate(timeout=300)[1]
    assert waiting.returncode == 0, rest
    assert "waiting" not in rest and "Traceback" not in rest
    if command == "ingest":
        assert Store(str(db)).count_articles() == 1
