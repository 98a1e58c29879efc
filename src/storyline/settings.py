"""Every tunable setting, as data with its help text.

One tuple feeds the CLI's --help, docs/settings.md and the web app's
/settings.json; tests/test_settings.py checks each one is documented.
Environment variables ``STORYLINE_<NAME>`` (upper case) override defaults.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("db", "storyline.db", "SQLite file (or SQLAlchemy URL) of the store"),
    Setting("max_file_mb", 20.0, "inputs larger than this many megabytes are rejected"),
    Setting("fetch_timeout", 20.0, "seconds to wait for a URL before giving up"),
    Setting(
        "batch_size", 64, "articles committed to the store per transaction and per model batch"
    ),
    Setting(
        "nlp_processes",
        0,
        "processes for spaCy annotation; 0 = automatic (one per core above 200 articles)",
    ),
    Setting("summary_sentences", 3, "sentences in each event summary"),
    Setting("timeline_dates", 12, "days in each storyline's timeline, at most"),
    Setting("timeline_sentences", 1, "sentences for each day of a timeline"),
    Setting("event_threshold", 0.30, "combined similarity above which two articles share an event"),
    Setting(
        "story_threshold",
        0.15,
        "similarity (meaning and main names) above which two events share a storyline",
    ),
    Setting("event_max_days", 7, "articles dated further apart than this are never one event"),
    Setting(
        "terminal_storylines",
        10,
        "storylines the terminal report shows, the largest first (`--all` shows every one)",
    ),
    Setting("terminal_events", 8, "latest events the terminal report shows of each storyline"),
    Setting(
        "progress_seconds",
        5.0,
        "seconds between progress lines when stderr is not a terminal (a log, a pipe)",
    ),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def default(name: str) -> Any:
    """Return a setting's default, before the environment (the CLI's options show it)."""
    return _BY_NAME[name].default


def get(name: str) -> Any:
    """Return the value of a setting: the environment overrides the default."""
    setting = _BY_NAME[name]
    raw = os.environ.get(f"STORYLINE_{name.upper()}")
    if raw is None:
        return setting.default
    return type(setting.default)(raw)
