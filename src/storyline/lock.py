"""One writer at a time: a store's writer lock.

A command that writes (``run``, ``ingest``, ``build``, the web app's ingest jobs) holds the
store's writer lock from its first write to its last, so two writers never interleave: a
run's report holds exactly what its build grouped. Another writer waits for the lock or is
refused with one line naming the process that holds it. Readers (``report``, ``search``,
``export``, the web pages) never wait: SQLite's write-ahead log gives each a consistent view.

For a SQLite file the lock is an exclusive ``flock`` on ``<file>.lock`` beside it. The
operating system frees it when its holder exits, however it exits (``kill -9`` included), so
a lock never goes stale; the file only says who holds it, for the message.
"""

from __future__ import annotations

import fcntl
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from .errors import StoreError

__all__ = ["POLL_SECONDS", "StoreBusy", "holder", "writing"]

POLL_SECONDS = 0.2  # how often a waiting writer tries the lock again
UNKNOWN_HOLDER = "another process"  # a holder that has not yet written who it is


class StoreBusy(StoreError):
    """Another process is writing to the store, and the caller chose not to wait."""


def lock_path(db_file: Path) -> Path:
    return db_file.with_name(db_file.name + ".lock")


def holder(db_file: Path) -> str:
    """Return who holds the store's writer lock, in words ("process 4242 (storyline run
    in/ --db x.db) since 14:02:11"), as its holder wrote it; "another process" when unknown."""
    try:
        info = json.loads(lock_path(db_file).read_text(encoding="utf-8"))
        since = datetime.fromisoformat(info["since"]).strftime("%H:%M:%S")
        return f"process {int(info['pid'])} ({info['command']}) since {since}"
    except (OSError, ValueError, KeyError, TypeError):
        return UNKNOWN_HOLDER


def _command() -> str:
    """Return this process's command line, shortened to what names it."""
    words = [Path(sys.argv[0]).name, *sys.argv[1:]] if sys.argv and sys.argv[0] else ["python"]
    line = " ".join(words)
    return line if len(line) <= 120 else line[:119] + "…"


@contextmanager
def writing(
    db_file: Path | None, wait: bool = True, on_wait: Callable[[str], None] | None = None
) -> Iterator[None]:
    """Hold the writer lock of the store in db_file for the block (None: a store only this
    process sees, in memory, needs none). When another process holds it: with wait, call
    on_wait with who holds it (once per holder) and wait until it is free; else raise
    StoreBusy."""
    if db_file is None:
        yield
        return
    path = lock_path(db_file)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise StoreError(
            f"cannot lock the store {db_file} for writing ({exc.strerror}): check that its "
            "folder is writable"
        ) from exc
    try:
        told: str | None = None  # whom on_wait was last told of
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                who = holder(db_file)
                if not wait:
                    raise StoreBusy(
                        f"{db_file} is being written by {who}: try again when it has "
                        "finished, or run without --no-wait to wait for it"
                    ) from None
                news = who != told and (told is None or who != UNKNOWN_HOLDER)
                if news and on_wait is not None:  # once per holder: another may come first
                    on_wait(f"waiting for {who} to finish writing {db_file}")
                    told = who
                time.sleep(POLL_SECONDS)
        info = {"pid": os.getpid(), "command": _command(), "since": datetime.now().isoformat()}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(info).encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)  # the lock goes with the descriptor; the file stays
    finally:
        os.close(fd)
