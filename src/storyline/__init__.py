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

__version__ = "0.1.0"

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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
    from .render.report import render_html, render_markdown, report_json, write_report
    from .store import Store

# Where each public name lives. They are imported when first used, so that `import
# storyline` stays light: the `storyline` command installs its signal handlers before the
# models and the database layer load (storyline.__main__).
_HOMES = {
    **dict.fromkeys(
        (
            "CitationError",
            "InputError",
            "ModelError",
            "NotInstalled",
            "StoreError",
            "StorylineError",
        ),
        ".errors",
    ),
    "StoreBusy": ".lock",
    **dict.fromkeys(
        ("Article", "Claim", "Event", "Finding", "Report", "Story", "TimelineEntry"), ".models"
    ),
    **dict.fromkeys(
        ("Built", "IngestResult", "Options", "build", "ingest", "load_report"), ".pipeline"
    ),
    **dict.fromkeys(
        ("render_html", "render_markdown", "report_json", "write_report"), ".render.report"
    ),
    "Store": ".store",
}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'storyline' has no attribute {name!r}")
    value = getattr(import_module(_HOMES[name], __name__), name)
    globals()[name] = value
    return value


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
