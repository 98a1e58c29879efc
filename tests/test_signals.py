"""SIGINT and SIGTERM, sent to the real `storyline` process or to its whole process group at
random points of ingest, annotation (in worker processes), the later build stages and the
report: each run stops within seconds, workers included, with no traceback, says in one line
what it kept, exits 130 or 143, and the next run finishes the job. Also: a second signal
ends it at once, and `serve` stops cleanly.

The corpus is a slice of ECB+ (short articles, ../shared/bench), written to a temporary
folder; STORYLINE_NLP_PROCESSES=2 makes annotation use the worker pool on it.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from storyline import pipeline
from storyline.store import Store
from tests.conftest import shared_path

pytestmark = pytest.mark.slow  # models, subprocesses or servers: not in `make quick`

N_ARTICLES = 70  # above one saved batch of annotations, so a stop can fall between
SAVED_BATCH = 64  # annotations are saved 64 at a time (4 batches of 8, and at least 64)
ENV = {
    **os.environ,
    "STORYLINE_NLP_PROCESSES": "2",  # the worker pool, on a corpus this small
    "STORYLINE_BATCH_SIZE": "8",  # ingest commits every 8 articles
    "PYTHONUNBUFFERED": "1",
}
STOP_SECONDS = 10.0  # the most a trial may take to end after its signal
SERVE_STOP_SECONDS = 5.0
TRIALS = 20
SEED = 15


def _command() -> list[str]:
    script = Path(sys.executable).with_name("storyline")
    return [str(script)] if script.exists() else [sys.executable, "-m", "storyline"]


def _count(db: Path, table: str) -> int:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return int(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
        finally:
            con.close()
    except sqlite3.Error:
        return 0


@dataclass
class Watched:
    """A storyline process started in a session of its own, its stderr read as it comes
    and its worker processes noted as they appear."""

    proc: subprocess.Popen[bytes]
    db: Path
    lines: list[str] = field(default_factory=list)
    workers: set[int] = field(default_factory=set)
    reader: threading.Thread | None = None

    @classmethod
    def start(cls, args: list[str], db: Path) -> Watched:
        proc = subprocess.Popen(
            [*_command(), *args],
            env=ENV,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        watched = cls(proc, db)
        watched.reader = threading.Thread(target=watched._read, daemon=True)
        watched.reader.start()
        return watched

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for raw in self.proc.stderr:
            self.lines.append(raw.decode("utf-8", "replace").rstrip("\n"))

    def note_workers(self) -> None:
        """Note the annotation workers: two children at once (there are two) forked from the
        main thread, so with its command line (one library runs `ldconfig` as it is
        imported: a child that, before its exec, has that command line too)."""
        pid = self.proc.pid
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            ours = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            return
        forked = set()
        for child in map(int, children):
            try:
                if Path(f"/proc/{child}/cmdline").read_bytes() == ours:
                    forked.add(child)
            except OSError:
                pass
        if len(forked) >= 2:
            self.workers.update(forked)

    def wait_until(self, ready: Callable[[Watched], bool], timeout: float = 300) -> bool:
        """Poll until ready(self); return False if the process ends first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.note_workers()
            if ready(self):
                return True
            if self.proc.poll() is not None:
                return False
            time.sleep(0.02)
        raise AssertionError(f"nothing happened in {timeout} s: {self.lines}")

    def sleep(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and self.proc.poll() is None:
            self.note_workers()
            time.sleep(0.02)

    def finish(self, timeout: float = 600) -> int:
        code = self.proc.wait(timeout)
        assert self.reader is not None
        self.reader.join(10)
        return code

    @property
    def stderr(self) -> str:
        return "\n".join(self.lines)


def _clean(stderr: str) -> None:
    for bad in ("Traceback", "W127", "Exception ignored"):
        assert bad not in stderr, stderr


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _assert_finished(db: Path) -> None:
    """Every article of the corpus is stored, and every one is in an event."""
    store = Store(str(db))
    try:
        report = pipeline.load_report(store)
    finally:
        store.close()
    assert len(report.articles) == N_ARTICLES
    grouped = {aid for event in report.events for aid in event.articles}
    assert grouped == {a.id for a in report.articles}


@dataclass
class Phases:
    """How long each part of a run takes here, watched from outside the process: the
    trials' delays are drawn within them."""

    start_up: float  # from the start to the first article stored (the imports)
    ingest: float  # from the first article stored to the end of ingest
    annotate: float  # from the worker pool's start to the last annotation saved
    later: float  # from there to the end of the build (date, embed, cluster, summarise...)
    rebuild: float  # the same, in a run on a store already built (nothing to embed)
    report: float  # from the end of the build to the report written


@dataclass
class Corpus:
    folder: Path
    path: Path  # JSONL of N_ARTICLES articles
    ingested: Path  # a store holding them, not analysed
    built: Path  # a store holding them, analysed
    phases: Phases


def _said(start: str) -> Callable[[Watched], bool]:
    return lambda w: any(line.startswith(start) for line in w.lines)


def _marks(watched: Watched, *steps: Callable[[Watched], bool]) -> list[float]:
    """Return when each step was seen, one after the other; the command must succeed."""
    marks = [time.monotonic()]
    for ready in steps:
        assert watched.wait_until(ready), watched.stderr
        marks.append(time.monotonic())
    assert watched.finish() == 0, watched.stderr
    _clean(watched.stderr)
    return marks


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    source = shared_path("bench", "events", "ecbplus-dev.jsonl")
    if not sys.platform.startswith("linux"):
        pytest.skip("the trials watch worker processes through /proc (Linux)")
    folder = tmp_path_factory.mktemp("signals")
    path = folder / "ecb.jsonl"
    with source.open(encoding="utf-8") as fh:
        lines = [next(fh) for _ in range(N_ARTICLES)]
    path.write_text("".join(lines), encoding="utf-8")

    # The calibration: three whole commands, which also make the stores the trials start from.
    ingested = folder / "ingested.db"
    watched = Watched.start(["ingest", str(path), "--db", str(ingested)], ingested)
    ingest = _marks(watched, lambda w: _count(w.db, "articles") > 0, _said("ingested "))
    built = folder / "built.db"
    shutil.copy(ingested, built)
    watched = Watched.start(["run", str(path), "--db", str(built), "--out", str(folder)], built)
    run = _marks(
        watched,
        _said("ingested "),
        lambda w: bool(w.workers),
        lambda w: _count(w.db, "annotations") >= N_ARTICLES,
        _said("built "),
        _said("wrote "),
    )
    _assert_finished(built)
    again = folder / "again.db"
    shutil.copy(built, again)
    watched = Watched.start(["run", str(path), "--db", str(again), "--out", str(folder)], again)
    rerun = _marks(watched, _said("ingested "), _said("built "), _said("wrote "))
    phases = Phases(
        start_up=ingest[1] - ingest[0],
        ingest=ingest[2] - ingest[1],
        annotate=run[3] - run[2],
        later=run[4] - run[3],
        rebuild=rerun[2] - rerun[1],
        report=run[5] - run[4],
    )
    return Corpus(folder, path, ingested, built, phases)


@dataclass
class Trial:
    command: str  # ingest, run, build
    # where the signal is aimed: start-up, ingest, annotate, saved (just after a batch of
    # annotations is saved, mid-annotation), later (the build's other stages), report
    phase: str
    signum: int
    group: bool  # to the whole process group, or to the process alone
    fraction: float  # how far into the phase


# Five chains of four trials: each trial's command runs on the store the one before it
# left, then one more `storyline run` must finish the job. Each chain starts from a fresh
# store, one with the articles stored, or one already built, and aims at the phases in the
# order a run goes through them (so that an earlier trial's stop leaves the later ones
# something to do).
CHAINS = [
    ("fresh", [("ingest", "ingest"), ("run", "annotate"), ("build", "later"), ("run", "report")]),
    ("fresh", [("run", "ingest"), ("build", "annotate"), ("run", "later"), ("run", "report")]),
    (
        "ingested",
        [("build", "annotate"), ("run", "saved"), ("build", "later"), ("run", "report")],
    ),
    ("ingested", [("run", "annotate"), ("build", "later"), ("run", "later"), ("run", "report")]),
    ("built", [("ingest", "start-up"), ("build", "start-up"), ("run", "later"), ("run", "report")]),
]
# Of a phase's length as calibrated, the part the delays are drawn in: a little less than
# all of it, as the machine's load varies from one command to the next.
AIM = 0.8


def _chains() -> list[tuple[str, list[Trial]]]:
    rng = random.Random(SEED)
    chains = [
        (
            start,
            [
                Trial(
                    command,
                    phase,
                    rng.choice([signal.SIGINT, signal.SIGTERM]),
                    rng.random() < 0.5,
                    rng.random(),
                )
                for command, phase in steps
            ],
        )
        for start, steps in CHAINS
    ]
    assert sum(len(trials) for _, trials in chains) == TRIALS
    return chains


def _aim(
    trial: Trial, phases: Phases, stored: int, annotated: int
) -> tuple[Callable[[Watched], bool], float]:
    """Return when the trial's phase has begun, as seen from outside the process, and how
    long after that to send the signal (stored, annotated: the store's articles and
    annotations before the command)."""
    at = trial.fraction * AIM
    phase = trial.phase
    if phase in ("annotate", "saved") and annotated >= N_ARTICLES:
        phase = "later"  # an earlier trial annotated them all: aim at what is left
    if phase == "start-up":
        return (lambda w: True), at * phases.start_up
    if phase == "ingest":
        return (lambda w: _count(w.db, "articles") > stored), at * phases.ingest
    if phase == "annotate":
        left = (N_ARTICLES - annotated) / N_ARTICLES
        return (lambda w: bool(w.workers)), at * phases.annotate * left
    if phase == "saved":
        batch = min(N_ARTICLES, annotated + SAVED_BATCH)
        return (lambda w: _count(w.db, "annotations") >= batch), 0.0
    if phase == "later" and annotated < N_ARTICLES:
        return (lambda w: _count(w.db, "annotations") >= N_ARTICLES), at * phases.later
    if phase == "later" and trial.command == "build":  # nothing to see before the stages
        return (lambda w: True), phases.start_up + at * phases.rebuild
    if phase == "later":
        return _said("ingested "), at * phases.rebuild
    return _said("built "), at * phases.report


def _step(corpus: Corpus, db: Path, n: int, trial: Trial) -> tuple[str, float]:
    """Run one trial on the store db; return its 'interrupted:' line and its stop time."""
    args = {
        "ingest": ["ingest", str(corpus.path), "--db", str(db)],
        "run": ["run", str(corpus.path), "--db", str(db), "--out", str(corpus.folder / f"r{n}")],
        "build": ["build", "--db", str(db)],
    }[trial.command]
    before = _count(db, "articles"), _count(db, "annotations")
    watched = Watched.start(args, db)
    ready, delay = _aim(trial, corpus.phases, *before)
    if watched.wait_until(ready):
        watched.sleep(delay)
    sent = time.monotonic()
    if watched.proc.poll() is None:
        if trial.group:
            os.killpg(watched.proc.pid, trial.signum)
        else:
            os.kill(watched.proc.pid, trial.signum)
    code = watched.finish(timeout=60)
    took = time.monotonic() - sent
    what = f"trial {n} {trial}: exit {code} in {took:.2f} s\n{watched.stderr}"
    assert took < STOP_SECONDS, what
    _clean(watched.stderr)
    said = [line for line in watched.lines if line.startswith("interrupted:")]
    if code == 0:  # it had finished before the signal came: it finished normally
        assert not said, what
        assert _said("ingested " if trial.command == "ingest" else "built ")(watched), what
    else:
        assert code == 128 + trial.signum, what
        assert len(said) == 1, what
        assert "run " in said[0], what  # how to finish
    time.sleep(0.2)  # killed workers are reaped by now
    assert not [pid for pid in watched.workers if _alive(pid)], what
    # nothing that was saved is lost, and the store is sound
    assert _count(db, "articles") >= before[0], what
    assert _count(db, "annotations") >= before[1], what
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok", what
    finally:
        con.close()
    return (said[0] if said else "finished before the signal"), took


def test_signals_at_random_points_stop_cleanly_and_the_next_run_finishes(corpus: Corpus) -> None:
    stops = []
    n = 0
    for c, (start, trials) in enumerate(_chains()):
        db = corpus.folder / f"chain{c}.db"
        if start != "fresh":
            shutil.copy(corpus.ingested if start == "ingested" else corpus.built, db)
        for trial in trials:
            line, took = _step(corpus, db, n, trial)
            stops.append(took)
            target = "group" if trial.group else "process"
            name = signal.Signals(trial.signum).name
            print(f"{n:2} {trial.command:6} {trial.phase:8} {name} to {target}:")
            print(f"   stopped in {took:.2f} s: {line}")
            n += 1
        # the next run finishes the job
        after = Watched.start(["run", str(corpus.path), "--db", str(db)], db)
        assert after.finish() == 0, f"chain {c}:\n{after.stderr}"
        _clean(after.stderr)
        _assert_finished(db)
    print(f"phases: {corpus.phases}; stop times: max {max(stops):.2f} s")


def test_a_second_signal_stops_at_once(corpus: Corpus) -> None:
    db = corpus.folder / "twice.db"
    shutil.copy(corpus.ingested, db)
    watched = Watched.start(["build", "--db", str(db)], db)
    assert watched.wait_until(lambda w: bool(w.workers))
    watched.sleep(0.5)
    sent = time.monotonic()
    os.killpg(watched.proc.pid, signal.SIGINT)
    time.sleep(0.01)
    os.killpg(watched.proc.pid, signal.SIGINT)
    code = watched.finish(timeout=30)
    took = time.monotonic() - sent
    assert code == 130, watched.stderr
    assert took < 3, took
    _clean(watched.stderr)
    assert len([s for s in watched.lines if s.startswith("interrupted:")]) <= 1
    time.sleep(0.2)
    assert not [pid for pid in watched.workers if _alive(pid)]
    con = sqlite3.connect(db)  # ended mid-way, maybe mid-transaction: rolled back whole
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == N_ARTICLES
    finally:
        con.close()


# A process that installs storyline's handlers, then either takes its time to stop (a
# clean-up that sleeps) or is stuck in one long call that never lets a handler run.
SLOW_STOP = """
import hashlib, sys, time
from storyline import interrupt
interrupt.install()
print("ready", flush=True)
try:
    if sys.argv[1] == "stuck":
        # one long call into C (as onnxruntime's run): no handler runs until it returns
        hashlib.pbkdf2_hmac("sha512", b"key", b"salt", 2**31 - 1)
    time.sleep(60)
except interrupt.Interrupted as exc:
    time.sleep(60)  # a stop that takes long
    interrupt.stop(exc, "stopped")
"""


def _slow(mode: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", SLOW_STOP, mode],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    assert proc.stdout is not None and proc.stdout.readline() == "ready\n"
    time.sleep(0.2)
    return proc


def test_a_second_signal_ends_a_slow_stop_at_once() -> None:
    proc = _slow("slow")
    os.kill(proc.pid, signal.SIGTERM)
    time.sleep(0.5)
    assert proc.poll() is None  # still stopping
    sent = time.monotonic()
    os.killpg(proc.pid, signal.SIGINT)
    _, stderr = proc.communicate(timeout=10)
    assert time.monotonic() - sent < 1
    assert proc.returncode == 143  # the code of the signal that began the stop
    assert stderr == ""


def test_a_process_stuck_in_a_long_call_still_stops_within_seconds() -> None:
    proc = _slow("stuck")
    sent = time.monotonic()
    os.kill(proc.pid, signal.SIGINT)
    _, stderr = proc.communicate(timeout=30)
    took = time.monotonic() - sent
    assert proc.returncode == 130
    assert 3 < took < 5, took  # the watchdog's grace, then the end
    assert stderr.startswith("interrupted: ") and stderr.count("\n") == 1, stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_serve_stops_cleanly(corpus: Corpus, signum: int) -> None:
    db = corpus.folder / f"serve-{signum}.db"
    shutil.copy(corpus.built, db)
    port = _free_port()
    watched = Watched.start(["serve", "--db", str(db), "--port", str(port)], db)

    def answers(w: Watched) -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/storylines.json", timeout=2) as r:
                return r.status == 200 and bool(json.loads(r.read()))
        except OSError:
            return False

    assert watched.wait_until(answers, timeout=120), watched.stderr
    sent = time.monotonic()
    os.kill(watched.proc.pid, signum)
    code = watched.finish(timeout=30)
    took = time.monotonic() - sent
    assert took < SERVE_STOP_SECONDS, (took, watched.stderr)
    assert code in (0, 128 + signum), watched.stderr
    _clean(watched.stderr)
