"""A run killed with SIGKILL halfway through ingesting loses nothing it had committed,
and the next run finishes the job without duplicates."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # models, subprocesses or servers: not in `make quick`

N_FILES = 1500


def _count(db: Path) -> int:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return int(con.execute("SELECT count(*) FROM articles").fetchone()[0])
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def _ingest(folder: Path, db: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "STORYLINE_BATCH_SIZE": "10"}
    cmd = [sys.executable, "-m", "storyline.cli", "ingest", str(folder), "--db", str(db)]
    return subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_sigkill_mid_ingest_then_resume(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(N_FILES):
        body = f"Report {i}: the ferry number {i} left the harbour at dawn and reached the island."
        (folder / f"{i:05d}.txt").write_text(f"Ferry {i} sails\n\n{body}\n", encoding="utf-8")
    db = tmp_path / "crash.db"
    proc = _ingest(folder, db)
    deadline = time.monotonic() + 60
    seen = 0
    while time.monotonic() < deadline and proc.poll() is None:
        seen = _count(db)
        if seen >= 100:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "ingest finished before it could be killed: raise N_FILES"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    after_kill = _count(db)
    assert seen <= after_kill < N_FILES  # nothing committed was lost; the job was cut short
    resumed = _ingest(folder, db)
    assert resumed.wait(timeout=300) == 0
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == N_FILES
    assert con.execute("SELECT count(DISTINCT text) FROM articles").fetchone()[0] == N_FILES
    assert con.execute("SELECT count(*) FROM articles_fts").fetchone()[0] == N_FILES
    assert con.execute("SELECT count(*) FROM article_refs").fetchone()[0] == N_FILES
