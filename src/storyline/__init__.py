"""storyline: turn a pile of news articles into events, storylines and cited reports.

The public API, for use as a library::

    from pathlib import Path

    import storyline

    store = storyline.Store("news.db")
    storyline.ingest(["articles/"], store, storyline.Options())
    built = storyline.build(store, storyline.Options())
    report = storyline.load_report(store)
    storyline.write_report(report, Path("report"))

Everything else is internal and may change between versions.
"""

__version__ = "0.1.0"  # first: modules imported below read it

from .errors import (
    CitationError,
    InputError,
    ModelError,
    NotInstalled,
    StoreError,
    StorylineError,
)
from .lock import StoreBusy
from .models import Article, Claim, Event, Finding, Report, Story, TimelineEntry
from .pipeline import Built, IngestResult, Options, build, ingest, load_report
from .stages.report import render_html, render_markdown, report_json, write_report
from .store import Store

__all__ = [
    "Article",
    "Built",
    "CitationError",
    "Claim",
    "Event",
    "Finding",
    "IngestResult",
    "InputError",
    "ModelError",
    "NotInstalled",
    "Options",
    "Report",
    "Store",
    "StoreBusy",
    "StoreError",
    "Story",
    "StorylineError",
    "TimelineEntry",
    "__version__",
    "build",
    "ingest",
    "load_report",
    "render_html",
    "render_markdown",
    "report_json",
    "write_report",
]
