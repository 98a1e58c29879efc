"""The command line: a thin Typer app. Errors become one-line messages and exit codes.

Exit codes: 0 all good; 1 some inputs were rejected (each named) or a stage failed;
2 usage errors (bad options, a store that cannot be opened); 75 another process is writing
to the store and --no-wait was given; 130 or 143 stopped by SIGINT or SIGTERM
(storyline.interrupt), after one line saying what was kept.
"""

from __future__ import annotations

import functools
import json
import logging
import shlex
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, TypeVar, cast

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.progress import Progress as RichProgress
from rich.table import Table
from rich.text import Text

from . import __version__, pipeline, settings
from .errors import StoreError, StorylineError
from .interrupt import Interrupted, stop
from .lock import StoreBusy
from .models import is_supported
from .render.export import export_text
from .render.html import not_analysed_line
from .render.report import render_terminal, report_json, write_report
from .store import Store

F = TypeVar("F", bound=Callable[..., Any])


class _Typer(typer.Typer):
    """A Typer whose every command reports a StorylineError as one line, `error: ...`, and
    exit code 1: the one place the CLI translates errors."""

    def command(self, *args: Any, **kwargs: Any) -> Callable[[F], F]:
        register = super().command(*args, **kwargs)

        def translated(fn: F) -> F:
            @functools.wraps(fn)
            def run_command(*a: Any, **k: Any) -> Any:
                try:
                    return fn(*a, **k)
                except StorylineError as exc:
                    err.print(f"[red]error:[/] {exc}", highlight=False)
                    raise typer.Exit(1) from exc

            return register(cast(F, run_command))

        return translated


app = _Typer(
    help="storyline: turn a pile of news articles into events, storylines and cited reports.",
    no_args_is_help=True,
    add_completion=False,
)
out = Console()
err = Console(stderr=True, soft_wrap=True)  # one line per message, however long

DEFAULT_DB = str(settings.default("db"))  # STORYLINE_DB overrides it, as --db does
DbOption = Annotated[
    str,
    typer.Option("--db", envvar="STORYLINE_DB", help="SQLite file or SQLAlchemy URL of the store."),
]
OutOption = Annotated[
    Path | None, typer.Option("--out", help="Write report.json, report.md and report.html here.")
]
Inputs = Annotated[list[str], typer.Argument(help="Files, folders (recursive) or http(s) URLs.")]
WaitOption = Annotated[
    bool,
    typer.Option(
        "--wait/--no-wait",
        help="When another process is writing to the store, wait for it to finish (the "
        "default) or stop at once with exit code 75.",
    ),
]
QuietOption = Annotated[
    bool,
    typer.Option(
        "--quiet",
        "-q",
        help="Print only errors and warnings: no progress, no summary lines, no report on "
        "the terminal (files are still written).",
    ),
]
AllOption = Annotated[
    bool,
    typer.Option("--all", help="Show every storyline on the terminal, not only the largest."),
]
StoryOption = Annotated[
    str | None, typer.Option("--story", help="Show only the storyline with this id.")
]
EXIT_BUSY = 75  # EX_TEMPFAIL: the store is busy, try again later


class ChecksSources(StrEnum):
    outlet = "outlet"
    article = "article"


class DatingMode(StrEnum):
    text = "text"
    corpus = "corpus"


class _Say:
    """What the CLI prints besides errors and warnings; --quiet turns it off."""

    quiet = False


def _say(line: str) -> None:
    if not _Say.quiet:
        err.print(line, highlight=False)


class RateColumn(ProgressColumn):
    """Items a second, for bars of articles and events (rich's own speed column is bytes)."""

    def render(self, task: Task) -> Text:
        return Text(f"{task.speed:,.1f}/s" if task.speed else "", style="dim")


class StageProgress:
    """The pipeline's progress on stderr, a stage at a time, with count, rate and time left:
    rich bars on a terminal, else a plain line every `progress_seconds` (a setting); nothing
    when quiet. Its counts (stage, done, total) also say how far an interrupted run got."""

    def __init__(self, bars: RichProgress | None) -> None:
        self.bars = bars
        self.task: TaskID | None = None
        self.stage = ""
        self.total: int | None = None
        self.done = 0
        self.began = self.said = time.monotonic()
        self.every = float(settings.get("progress_seconds"))

    def start(self, stage: str, total: int | None) -> None:
        if self.bars is not None and self.task is not None:
            self.bars.update(self.task, total=self.done or 1)  # close the previous stage's bar
        if self.bars is not None:
            self.task = self.bars.add_task(stage, total=total)
        self.stage, self.total, self.done = stage, total, 0
        self.began = self.said = time.monotonic()

    def advance(self, n: int = 1) -> None:
        self.done += n
        if self.bars is not None:
            if self.task is not None:
                self.bars.advance(self.task, n)
            return
        now = time.monotonic()
        if not _Say.quiet and now - self.said >= self.every:
            self.said = now
            err.print(self.line(now), highlight=False)

    def line(self, now: float) -> str:
        """Return "annotate 240/402 (60%), 12.3/s, about 13 s left"."""
        rate = self.done / max(now - self.began, 1e-9)
        if not self.total:
            return f"{self.stage} {self.done:,}, {rate:,.1f}/s"
        left = (self.total - self.done) / rate if rate else 0.0
        return (
            f"{self.stage} {self.done:,}/{self.total:,} ({self.done / self.total:.0%}), "
            f"{rate:,.1f}/s, about {_duration(left)} left"
        )


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


@contextmanager
def _progress() -> Iterator[StageProgress]:
    """Yield the progress of one command: bars on a terminal, plain lines otherwise."""
    if _Say.quiet or not err.is_terminal:
        yield StageProgress(None)
        return
    bars = RichProgress(
        SpinnerColumn(),
        TextColumn("{task.description:<10}"),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=False,
    )
    with bars:
        yield StageProgress(bars)


def _wrote(paths: list[Path]) -> str:
    """Return "wrote a, b, c": files one by one, and a folder of several files once, by name
    and count ("out/timelinejs/ (139 TimelineJS files)")."""
    parents = [p.parent for p in paths]
    top = min(parents, key=lambda p: len(p.parts)) if paths else None
    named = [str(p) for p in paths if p.parent == top]
    folders: dict[Path, int] = {}
    for p in paths:
        if p.parent != top:
            folders[p.parent] = folders.get(p.parent, 0) + 1
    named += [f"{folder}/ ({n} files)" for folder, n in folders.items()]
    return "wrote " + ", ".join(named)


def _open(db: str, create: bool = False) -> Store:
    """Return the store at db; one that does not exist is made only when create is set (run
    and ingest), so that a mistyped --db is an error, not a new empty store."""
    if not create and "://" not in db and db != ":memory:" and not Path(db).exists():
        err.print(
            f"[red]error:[/] no storyline store at {db}: create one with `storyline run`",
            highlight=False,
        )
        raise typer.Exit(2)
    try:
        return Store(db)
    except StoreError as exc:
        err.print(f"[red]error:[/] {exc}", highlight=False)
        raise typer.Exit(2) from exc


@dataclass
class _Step:
    """How far a writing command has got, for the line a stop prints (see _kept)."""

    name: str = "wait"  # "wait" (for the writer lock), "ingest", "run", "build" or "report"
    before: int = 0  # the articles in the store once the command holds the lock


@contextmanager
def _writing(store: Store, db: str, wait: bool) -> Iterator[_Step]:
    """Hold the store's writer lock for the block: one writer at a time (storyline.lock).
    The block records the step it reaches; a stop (Ctrl+C, SIGTERM) ends the command with
    one line on what the store kept by then."""
    step = _Step()
    try:
        with store.writing(wait, on_wait=lambda line: err.print(line, highlight=False)):
            step.before = store.count_articles()
            yield step
    except StoreBusy as exc:
        err.print(f"[red]error:[/] {exc}", highlight=False)
        raise typer.Exit(EXIT_BUSY) from exc
    except Interrupted as exc:
        stop(exc, _kept(store, db, step))


def _live_story(store: Store, story: str | None) -> str | None:
    """Return the storyline id to show: an alias (a storyline merged into another) followed
    to the id that lives on, with a note; one that has gone is an error naming where its
    articles are now."""
    record = store.id_record("storyline", story) if story else None
    if record is None or record.status == "live":
        return story
    if record.status == "alias" and record.target:
        err.print(f"note: storyline {story} was merged into {record.target}", highlight=False)
        return record.target
    where = ", ".join(record.holders) or "no storyline: they are no longer in the store"
    raise StorylineError(f"storyline {story} has gone: its articles are now in {where}")


def _ingest(inputs: list[str], store: Store, options: pipeline.Options) -> int:
    """Ingest and report what happened; return the number of rejected inputs."""
    with _progress() as progress:
        result = pipeline.ingest(inputs, store, options, progress)
    for rejection in result.rejected:
        err.print(f"[yellow]rejected:[/] {rejection.ref}: {rejection.reason}", highlight=False)
    _say(
        f"ingested {result.seen} documents: {len(result.added)} new, "
        f"{result.seen - len(result.added)} already stored, {len(result.rejected)} rejected"
    )
    if line := not_analysed_line(Counter(result.other_languages.values())):
        _say(line)
    return len(result.rejected)


# how many of the lines a build left out are named on the terminal (report.json has all)
LEFT_OUT_SHOWN = 5


def _warn_left_out(left_out: list[str]) -> None:
    for line in left_out[:LEFT_OUT_SHOWN]:
        err.print(f"[yellow]warning:[/] left out {line}", highlight=False)
    if len(left_out) > LEFT_OUT_SHOWN:
        err.print(
            f"[yellow]warning:[/] and {len(left_out) - LEFT_OUT_SHOWN} more left out; "
            "report.json lists every one under left_out",
            highlight=False,
        )


def _build(store: Store, options: pipeline.Options) -> list[str]:
    """Build and say what was built; return what the build left out (each warned of)."""
    with _progress() as progress:
        grouping = pipeline.build(store, options, progress)
    _warn_left_out(grouping.left_out)
    events, stories = len(grouping.events), len(grouping.stories)
    counts = store.language_counts()
    others = {code: n for code, n in counts.items() if code and not is_supported(code)}
    line = not_analysed_line(others)
    analysed = sum(counts.values()) - sum(others.values())
    _say(
        f"built {events} event{'s' * (events != 1)} in {stories} "
        f"storyline{'s' * (stories != 1)} from {analysed} articles" + (f"; {line}" if line else "")
    )
    return grouping.left_out


@dataclass
class Show:
    """How much of the report the terminal shows (see render_terminal)."""

    all: bool = False
    story: str | None = None


def _report(
    store: Store, out_dir: Path | None, warned: list[str] | None = None, show: Show | None = None
) -> None:
    """Print the report (not when quiet) and write its files; warn of what it leaves out,
    but for the lines in warned (the build just named them)."""
    show = show or Show()
    report = pipeline.load_report(store)
    _warn_left_out([line for line in report.left_out if line not in (warned or [])])
    if not report.articles:
        err.print("the store is empty: add articles with `storyline run PATH...`", highlight=False)
    elif not report.events and any(is_supported(a.language) for a in report.articles):
        err.print("no events yet: run `storyline build` to group the articles", highlight=False)
    top = (int(settings.get("terminal_storylines")), int(settings.get("terminal_events")))
    if not _Say.quiet or show.story is not None:
        render_terminal(report, out, None if show.all else top, show.story)
    if out_dir is not None:
        paths = write_report(report, out_dir)
        _say(_wrote(paths))


def _kept(store: Store, db: str, step: _Step) -> str:
    """Return what the store kept when the step was interrupted, read afresh from the store."""
    again = f" --db {shlex.quote(db)}" if db != DEFAULT_DB else ""
    if step.name == "wait":
        return "stopped while waiting for another writer; nothing was changed"
    try:  # on a connection of its own: a transaction cut short has been rolled back
        counts = store.language_counts()
        total = sum(counts.values())
        # articles in other languages are kept but never annotated nor grouped
        analysable = sum(n for code, n in counts.items() if code is None or is_supported(code))
        annotated, grouped = store.count_annotated(), len(store.article_events())
    except Exception:
        return "what was saved before the stop is kept; run the same command again to finish"
    added = total - step.before
    s = "s" * (added != 1)
    if step.name in ("ingest", "run"):
        done = "" if step.name == "ingest" else ", none analysed yet"
        return (
            f"{added} new article{s} stored ({total} in the store){done}; run the "
            "same command again to finish: the articles stored are skipped"
        )
    build, report = f"`storyline build{again}`", f"`storyline report{again}`"
    if annotated < analysable:
        return f"{annotated} of {analysable} articles annotated and saved; run {build} to finish"
    if grouped < analysable:
        return (
            f"all {analysable} articles annotated and saved, not yet grouped into events; "
            f"run {build} to finish"
        )
    return f"all {analysable} articles analysed and saved; run {report} to see the report"


@app.command()
def run(
    inputs: Inputs,
    db: DbOption = DEFAULT_DB,
    out_dir: OutOption = None,
    wait: WaitOption = True,
    quiet: QuietOption = False,
    show_all: AllOption = False,
) -> None:
    """Ingest, analyse and report in one command."""
    _Say.quiet = quiet
    store = _open(db, create=True)
    options = pipeline.Options()
    with _writing(store, db, wait) as step:  # the report shows what this run built, nothing else
        step.name = "run"
        rejected = _ingest(inputs, store, options)
        step.name = "build"
        left_out = _build(store, options)
        step.name = "report"
        _report(store, out_dir, warned=left_out, show=Show(all=show_all))
    raise typer.Exit(1 if rejected else 0)


@app.command()
def ingest(
    inputs: Inputs,
    db: DbOption = DEFAULT_DB,
    wait: WaitOption = True,
    quiet: QuietOption = False,
) -> None:
    """Read, clean and store articles (no analysis)."""
    _Say.quiet = quiet
    store = _open(db, create=True)
    with _writing(store, db, wait) as step:
        step.name = "ingest"
        rejected = _ingest(inputs, store, pipeline.Options())
    raise typer.Exit(1 if rejected else 0)


@app.command()
def build(
    db: DbOption = DEFAULT_DB,
    regroup_all: Annotated[
        bool,
        typer.Option("--regroup-all", help="Group every article afresh, not only the new ones."),
    ] = False,
    wait: WaitOption = True,
    quiet: QuietOption = False,
) -> None:
    """Annotate, date, embed and cluster everything in the store."""
    _Say.quiet = quiet
    store = _open(db)
    with _writing(store, db, wait) as step:
        step.name = "build"
        _build(store, pipeline.Options(regroup_all=regroup_all))


@app.command()
def report(
    db: DbOption = DEFAULT_DB,
    out_dir: OutOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the JSON report to stdout.")
    ] = False,
    show_all: AllOption = False,
    story: StoryOption = None,
    quiet: QuietOption = False,
) -> None:
    """Show the report of what the store holds (run `build` first): the largest storylines,
    every one with --all, or one with --story."""
    _Say.quiet = quiet
    store = _open(db)
    if as_json:
        data = pipeline.load_report(store)
        _warn_left_out(data.left_out)
        sys.stdout.write(json.dumps(report_json(data), ensure_ascii=False, indent=2) + "\n")
        return
    _report(store, out_dir, show=Show(all=show_all, story=_live_story(store, story)))


class ExportFormat(StrEnum):
    timelinejs = "timelinejs"
    csv = "csv"
    markdown = "markdown"


@app.command()
def export(
    fmt: Annotated[
        ExportFormat,
        typer.Option(
            "--format", help="timelinejs (one storyline), csv or markdown (all by default)."
        ),
    ],
    db: DbOption = DEFAULT_DB,
    story: Annotated[
        str | None, typer.Option("--story", help="Only the storyline with this id.")
    ] = None,
    path: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of to stdout.")
    ] = None,
) -> None:
    """Export the storylines' timelines for other tools (TimelineJS, spreadsheets, Markdown)."""
    store = _open(db)
    story = _live_story(store, story)
    data = pipeline.load_report(store)
    text = export_text(data, fmt.value, story)
    if path is None:
        sys.stdout.write(text)
        return
    try:
        # newline="" keeps the CSV's CRLF line ends as written
        with path.open("w", encoding="utf-8", newline="") as fh:
            fh.write(text)
    except OSError as exc:
        raise StorylineError(f"cannot write {path}: {exc.strerror or exc}") from exc
    _say(f"wrote {path}")


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words to find (FTS5 syntax allowed).")],
    db: DbOption = DEFAULT_DB,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 20,
) -> None:
    """Full-text search over the stored articles."""
    store = _open(db)
    hits = store.search(query, limit)
    table = Table("article", "event", "source", "title / snippet", show_lines=True)
    for hit in hits:
        snippet = hit.snippet.replace("[[", "[bold yellow]").replace("]]", "[/]")
        event = hit.event_id or (
            "" if is_supported(hit.language) else f"({hit.language}: not analysed)"
        )
        table.add_row(hit.article_id, event, hit.source or "", f"{hit.title or ''}\n{snippet}")
    out.print(table if hits else f"no article matches {query!r}")


@app.command()
def demo(
    db: DbOption = "demo.db", out_dir: OutOption = Path("demo-report"), quiet: QuietOption = False
) -> None:
    """Run the whole pipeline on the bundled demo corpus."""
    corpus = resources.files("storyline") / "examples" / "corpus"
    run([str(corpus)], db=db, out_dir=out_dir, wait=True, quiet=quiet)


@app.command()
def serve(
    db: DbOption = DEFAULT_DB,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    allow_private_urls: Annotated[
        bool,
        typer.Option(
            "--allow-private-urls",
            help="Let ingest by URL fetch private, loopback and link-local addresses.",
        ),
    ] = False,
) -> None:
    """Serve the web app: storylines, events, articles, search and ingest, with JSON twins."""
    import uvicorn

    from .web import create_app

    _open(db).close()  # one clear line, exit 2, when it is not a storyline store
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s:     %(message)s"))
    logging.getLogger("storyline").addHandler(handler)  # as uvicorn writes its own lines
    logging.getLogger("storyline").setLevel(logging.INFO)
    web_app = create_app(db, allow_private=allow_private_urls)
    err.print(f"serving {db} on http://{host}:{port}/ (Ctrl+C stops)", highlight=False)
    try:
        # uvicorn handles SIGINT and SIGTERM while it serves; once it has shut down, it
        # raises the signal again, and Interrupted comes here.
        uvicorn.run(
            web_app,
            host=host,
            port=port,
            log_level="info",
            timeout_graceful_shutdown=SHUTDOWN_SECONDS,
        )
    except Interrupted as exc:
        # an ingest job still running is not waited for: its committed batches are kept,
        # and its open transaction rolls back
        stop(exc, f"stopped serving {db}")


# How long `serve` waits for requests in flight once told to stop.
SHUTDOWN_SECONDS = 2


eval_app = _Typer(
    help="Score storyline on a benchmark; the last line printed is one JSON object.",
    no_args_is_help=True,
)
app.add_typer(eval_app, name="eval")


def _print_scores(scores: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(scores, ensure_ascii=False) + "\n")


@eval_app.command("timex")
def eval_timex(
    folder: Annotated[
        Path, typer.Argument(help="Folder of TimeML (.tml) files, TempEval-3 format.")
    ],
) -> None:
    """Temporal expressions, scored as TempEval-3 Task A (spans, type, value)."""
    from .eval.timex import evaluate_timex

    _print_scores(evaluate_timex(folder))


@eval_app.command("dating")
def eval_dating(
    path: Annotated[Path, typer.Argument(help="JSONL or JSONL.gz of articles with `published`.")],
    mode: Annotated[
        DatingMode, typer.Option(help="text: each article alone; corpus: the others keep dates.")
    ] = DatingMode.text,
) -> None:
    """Dating undated articles: hide the dates, infer them, compare."""
    from .eval.dating import evaluate_dating

    _print_scores(evaluate_dating(path, mode.value))


@eval_app.command("events")
def eval_events(
    path: Annotated[Path, typer.Argument(help="JSONL of articles with a gold `event` label.")],
    incremental: Annotated[
        bool, typer.Option(help="Add the articles batch by batch in time order.")
    ] = False,
    baselines: Annotated[
        bool, typer.Option(help="Also run TF-IDF+agglomerative and embeddings+HDBSCAN.")
    ] = True,
) -> None:
    """Event clustering: B-cubed and pairwise scores against gold labels, and speed."""
    from .eval.events import evaluate_events

    _print_scores(evaluate_events(path, incremental=incremental, baselines=baselines))


@eval_app.command("stories")
def eval_stories(
    path: Annotated[
        Path,
        typer.Argument(
            help="Folder of topics (<topic>/articles.jsonl.gz) or JSONL with a `story` label."
        ),
    ],
    per_topic: Annotated[
        int | None, typer.Option(help="Score a seeded sample of this many articles a story.")
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed of the sample.")] = 0,
) -> None:
    """Storylines against gold stories: B-cubed, how many, how many of one article; a peer."""
    from .eval.stories import evaluate_stories

    _print_scores(evaluate_stories(path, per_topic=per_topic, seed=seed))


@eval_app.command("claims")
def eval_claims(
    folder: Annotated[
        Path, typer.Argument(help="NAnCo folder (holding nanco_dataset.json) or the JSON file.")
    ],
) -> None:
    """Grouping agreeing statements from different outlets: ARI and B-cubed against NAnCo."""
    from .eval.claims import evaluate_claims

    scores = evaluate_claims(folder)
    for q in scores["per_question"]:
        sys.stdout.write(
            f"{q['qid']}: {q['n_answers']} answers, {q['n_groups_gold']} gold groups, "
            f"{q['n_groups_pred']} found, ARI {q['ari']:.3f}, B3 F1 {q['b3_f1']:.3f}\n"
        )
    sys.stdout.write(
        f"mean ARI {scores['ari']:.3f} (leave-one-question-out {scores['ari_loqo']:.3f}), "
        f"B3 F1 {scores['b3_f1']:.3f} (leave-one-question-out {scores['b3_f1_loqo']:.3f})\n"
    )
    _print_scores(scores)


@eval_app.command("checks")
def eval_checks(
    path: Annotated[
        Path, typer.Argument(help="JSONL or JSONL.gz of dated articles from several outlets.")
    ],
    inject: Annotated[int, typer.Option(help="How many agreed figures to change.")] = 20,
    seed: Annotated[int, typer.Option(help="Seed of the choice of figures and changes.")] = 0,
    sources: Annotated[
        ChecksSources,
        typer.Option(help="outlet: outlets are the sources; article: each article is one."),
    ] = ChecksSources.outlet,
    cache: Annotated[
        Path | None,
        typer.Option(
            exists=True, dir_okay=False, help="A store of the same articles to reuse (read only)."
        ),
    ] = None,
    keep: Annotated[
        Path | None,
        typer.Option(file_okay=False, help="Leave the two stores (base.db, copy.db) here."),
    ] = None,
) -> None:
    """Cross-checks: plant disagreements in a copy of the corpus, count those flagged."""
    from .eval.checks import evaluate_checks

    _print_scores(evaluate_checks(path, inject, seed, sources.value, cache, keep))


@eval_app.command("timelines")
def eval_timelines(
    folder: Annotated[
        Path, typer.Argument(help="Folder of topics (articles.jsonl.gz, timelines.jsonl, ...).")
    ],
    topic: Annotated[
        list[str] | None, typer.Option(help="Only this topic (repeatable); default: all.")
    ] = None,
    loto: Annotated[
        bool,
        typer.Option(
            help="Also leave-one-topic-out: tune the timeline's constants on the other "
            "topics (a small grid), score each topic; about ten times as long."
        ),
    ] = False,
) -> None:
    """Timeline summarisation, news-tls protocol: AR1, AR2 and Date-F1 against gold."""
    from .eval.timelines import evaluate_timelines

    scores = evaluate_timelines(folder, topic, loto)
    for t in scores["per_timeline"]:
        sys.stdout.write(
            f"{t['topic']} #{t['timeline']}: {t['dates']} dates x {t['per_date']}, "
            f"AR1 {t['ar1_f']:.3f}, AR2 {t['ar2_f']:.3f}, Date-F1 {t['date_f1']:.3f}\n"
        )
    sys.stdout.write(
        f"AR1 {scores['ar1_f']:.4f}, AR2 {scores['ar2_f']:.4f}, Date-F1 {scores['date_f1']:.4f} "
        f"over {scores['n_timelines']} timelines in {scores['seconds']:.1f} s (in-sample)\n"
    )
    if loto:
        for fold in scores["loto"]["folds"]:
            sys.stdout.write(
                f"held out {fold['held_out']}: AR1 {fold['ar1_f']:.3f}, AR2 {fold['ar2_f']:.3f}, "
                f"Date-F1 {fold['date_f1']:.3f} with {fold['tuning']}\n"
            )
        sys.stdout.write(
            f"leave-one-topic-out: AR1 {scores['loto_ar1_f']:.4f}, "
            f"AR2 {scores['loto_ar2_f']:.4f}, Date-F1 {scores['loto_date_f1']:.4f}\n"
        )
    _print_scores(scores)


@app.command("settings")
def show_settings() -> None:
    """List every setting with its default and environment variable."""
    table = Table("setting", "default", "environment", "help")
    for s in settings.SETTINGS:
        table.add_row(s.name, str(s.default), f"STORYLINE_{s.name.upper()}", s.help)
    out.print(table)


@app.callback(invoke_without_command=True)
def main(
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    _Say.quiet = False  # each command says whether it is quiet
    if version:
        out.print(f"storyline {__version__}")
        raise typer.Exit(0)


if __name__ == "__main__":
    from storyline.__main__ import main as _main

    _main()
