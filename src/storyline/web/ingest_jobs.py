"""Ingest jobs of the web app: uploaded files or a URL, read into the store and built
(`pipeline.ingest` then `pipeline.build`) in a background thread, one job at a time.

A job's page polls its state; when a job ends, the app's snapshot of the store is
rebuilt so the new articles and events appear without a restart.
"""

from __future__ import annotations

import logging
import re
import shutil
import tempfile
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from storyline import pipeline
from storyline.errors import StorylineError
from storyline.store import Store
from storyline.web.net import public_address

__all__ = ["MAX_KEPT", "MAX_WAITING", "Job", "JobProgress", "Jobs", "safe_name"]

log = logging.getLogger("storyline.web")

MAX_WAITING = 10  # queued jobs at most: each builds the whole store, so more only wait
MAX_KEPT = 200  # finished jobs remembered (their pages answer 404 after that)
_UNSAFE = re.compile(r"[^\w.\- ]+")
NAME_CHARS = 120


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class Job:
    """One ingest job and what it has done so far."""

    id: str
    inputs: list[str]  # what was given, as the user named it: file names or the URL
    state: str = "queued"  # queued | running | done | failed
    stage: str = ""  # the pipeline stage running now
    done: int = 0  # items of that stage done
    total: int | None = None
    created: str = field(default_factory=_now)
    started: str | None = None
    finished: str | None = None
    seen: int = 0
    added: list[str] = field(default_factory=list)  # ids of the new articles
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (input, reason)
    # the documents read in a language not analysed: article id -> language
    other_languages: dict[str, str] = field(default_factory=dict)
    built: bool = False  # False when nothing new was read, so there was nothing to build
    events: int = 0  # in the store after the build
    storylines: int = 0
    error: str | None = None

    @property
    def active(self) -> bool:
        return self.state in ("queued", "running")


class JobProgress:
    """Records the pipeline's progress on its job (pipeline.Progress)."""

    def __init__(self, job: Job) -> None:
        self.job = job

    def start(self, stage: str, total: int | None) -> None:
        self.job.stage, self.job.done, self.job.total = stage, 0, total

    def advance(self, n: int = 1) -> None:
        self.job.done += n


def safe_name(name: str | None, n: int) -> str:
    """Return an uploaded file's name fit to write in the job's folder: no folders, no
    odd characters, its extension kept (the reader picks the format by it)."""
    base = re.split(r"[/\\]", name or "")[-1]
    base = _UNSAFE.sub("_", base).strip(" .")
    if not base:
        return f"upload-{n}.txt"
    if len(base) > NAME_CHARS:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: NAME_CHARS - 10] + dot + ext[:8]) if dot else base[:NAME_CHARS]
    return base


class Jobs:
    """The queue of ingest jobs: one worker thread runs them in order."""

    def __init__(
        self,
        store: Store,
        on_start: Callable[[], None],
        on_done: Callable[[], None],
        options: Callable[[], pipeline.Options] = pipeline.Options,
        allow_private: bool = False,
    ) -> None:
        self.store = store
        self.allow_private = allow_private
        self._on_start = on_start
        self._on_done = on_done
        self._options = options
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()  # guards _jobs
        self._running = threading.Lock()  # held while a job writes to the store
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="storyline-ingest")

    @staticmethod
    def new_id() -> str:
        """Return a new job id: random, so one job's page cannot be guessed from another's."""
        return uuid.uuid4().hex[:16]

    @staticmethod
    def folder(job_id: str) -> Path:
        """Return a new empty folder for a job's uploads."""
        return Path(tempfile.mkdtemp(prefix=f"storyline-upload-{job_id}-"))

    def waiting(self) -> int:
        with self._lock:
            return sum(1 for job in self._jobs.values() if job.active)

    def submit(self, job_id: str, inputs: list[str], shown: list[str], folder: Path | None) -> Job:
        """Queue a job reading ``inputs`` (shown to the user as ``shown``)."""
        job = Job(job_id, shown)
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > MAX_KEPT:
                oldest = next(iter(self._jobs))
                if self._jobs[oldest].active:
                    break
                del self._jobs[oldest]
        self._pool.submit(self._run, job, inputs, folder)
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def shutdown(self) -> None:
        """Cancel queued jobs; a running one finishes (each batch is its own transaction)."""
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _run(self, job: Job, inputs: list[str], folder: Path | None) -> None:
        with self._running:
            job.state, job.started = "running", _now()
            self._on_start()
            state, error = "done", None
            try:
                # one writer at a time: a `storyline run` on this store goes first
                with self.store.writing(on_wait=partial(self._waiting, job)):
                    self._ingest_and_build(job, inputs, folder)
            except StorylineError as exc:
                state, error = "failed", str(exc)
            except Exception:  # the job fails, the app goes on; the details go to the log
                log.exception("ingest job %s failed", job.id)
                state = "failed"
                error = "an unexpected error stopped the job: the server's log has the details"
            finally:
                if folder is not None:
                    shutil.rmtree(folder, ignore_errors=True)
                try:
                    self._on_done()  # the app sees the new articles before the job says done
                finally:
                    job.finished, job.stage = _now(), ""
                    job.state, job.error = state, error

    @staticmethod
    def _waiting(job: Job, line: str) -> None:
        job.stage = "waiting for another writer"
        log.info("ingest job %s is %s", job.id, line)

    def _ingest_and_build(self, job: Job, inputs: list[str], folder: Path | None) -> None:
        options = self._options()
        if not self.allow_private:  # a URL's redirects and later look-ups stay public too
            options.connect_check = public_address
        progress = JobProgress(job)
        result = pipeline.ingest(inputs, self.store, options, progress)
        prefix = f"{folder}/" if folder is not None else ""
        job.seen, job.added = result.seen, list(result.added)
        job.rejected = [(r.ref.removeprefix(prefix), r.reason) for r in result.rejected]
        job.other_languages = dict(result.other_languages)
        if not result.added:
            return  # nothing new: the store's grouping stays as it was
        grouping = pipeline.build(self.store, options, progress)
        job.built, job.events, job.storylines = True, len(grouping.events), len(grouping.stories)
