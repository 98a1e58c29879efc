"""The command line: a thin Typer app. Errors become one-line messages and exit codes.

Exit codes: 0 all good; 1 some inputs were rejected (each named) or a stage failed;
2 usage errors (bad options, a store that cannot be opened); 130 or 143 stopped by SIGINT
or SIGTERM (storyline.interrupt), after one line saying what was kept.
"""

from __future__ import annotations

import json
import logging
import shlex
import sys
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.progress import Progress as RichProgress
from rich.table import Table

from . import __version__, pipeline, settings
from .errors import StoreError, StorylineError
from .interrupt import Interrupted, stop
from .stages.export import export_text
from .stages.report import render_terminal, report_json, verify_citations, write_report
from .store import Store

app = typer.Typer(
    help="storyline: turn a pile of news articles into events, storylines and cited reports.",
    no_args_is_help=True,
    add_completion=False,
)
out = Console()
err = Console(stderr=True, soft_wrap=True)  # one line per message, however long

DbOption = Annotated[
    str,
    typer.Option("--db", envvar="STORYLINE_DB", help="SQLite file or SQLAlchemy URL of the store."),
]
OutOption = Annotated[
    Path | None, typer.Option("--out", help="Write report.json, report.md and report.html here.")
]
Inputs = Annotated[list[str], typer.Argument(help="Files, folders (recursive) or http(s) URLs.")]


class ChecksSources(StrEnum):
    outlet = "outlet"
    article = "article"


class DatingMode(StrEnum):
    text = "text"
    corpus = "corpus"


class BarProgress:
    """Rich progress bars, one per stage, drawn on stderr."""

    def __init__(self, bars: RichProgress) -> None:
        self.bars = bars
        self.task: TaskID | None = None

    def start(self, stage: str, total: int | None) -> None:
        if self.task is not None:
            done = self.bars._tasks[self.task].completed
            self.bars.update(self.task, total=done or 1)  # close the previous stage's bar
        self.task = self.bars.add_task(stage, total=total)

    def advance(self, n: int = 1) -> None:
        if self.task is not None:
            self.bars.advance(self.task, n)


def _bars() -> RichProgress:
    return RichProgress(
        SpinnerColumn(),
        TextColumn("{task.description:<10}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=False,
        disable=not err.is_terminal,
    )


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


def _fail(exc: StorylineError) -> typer.Exit:
    err.print(f"[red]error:[/] {exc}", highlight=False)
    return typer.Exit(1)


def _ingest(inputs: list[str], store: Store, options: pipeline.Options) -> int:
    """Ingest and report what happened; return the number of rejected inputs."""
    with _bars() as bars:
        result = pipeline.ingest(inputs, store, options, BarProgress(bars))
    for rejection in result.rejected:
        err.print(f"[yellow]rejected:[/] {rejection.ref}: {rejection.reason}", highlight=False)
    err.print(
        f"ingested {result.seen} documents: {len(result.added)} new, "
        f"{result.seen - len(result.added)} already stored, {len(result.rejected)} rejected",
        highlight=False,
    )
    return len(result.rejected)


def _build(store: Store, options: pipeline.Options) -> None:
    with _bars() as bars:
        grouping = pipeline.build(store, options, BarProgress(bars))
    events, stories = len(grouping.events), len(grouping.stories)
    err.print(
        f"built {events} event{'s' * (events != 1)} in {stories} "
        f"storyline{'s' * (stories != 1)} from {store.count_articles()} articles",
        highlight=False,
    )


def _report(store: Store, out_dir: Path | None) -> None:
    report = pipeline.load_report(store)
    if not report.articles:
        err.print("the store is empty: add articles with `storyline run PATH...`", highlight=False)
    elif not report.events:
        err.print("no events yet: run `storyline build` to group the articles", highlight=False)
    verify_citations(report)
    render_terminal(report, out)
    if out_dir is not None:
        paths = write_report(report, out_dir)
        err.print("wrote " + ", ".join(str(p) for p in paths), highlight=False)


def _kept(store: Store, db: str, step: str, before: int) -> str:
    """Return what the store kept when `step` ("ingest", "run", "build" or "report") was
    interrupted, read afresh from the store (before: its articles when the command began)."""
    again = f" --db {shlex.quote(db)}" if db != "storyline.db" else ""
    try:  # on a connection of its own: a transaction cut short has been rolled back
        total, annotated = store.count_articles(), store.count_annotated()
        grouped = len(store.article_events())
    except Exception:
        return "what was saved before the stop is kept; run the same command again to finish"
    s = "s" * (total - before != 1)
    if step in ("ingest", "run"):
        done = "" if step == "ingest" else ", none analysed yet"
        return (
            f"{total - before} new article{s} stored ({total} in the store){done}; run the "
            "same command again to finish: the articles stored are skipped"
        )
    build, report = f"`storyline build{again}`", f"`storyline report{again}`"
    if annotated < total:
        return f"{annotated} of {total} articles annotated and saved; run {build} to finish"
    if grouped < total:
        return (
            f"all {total} articles annotated and saved, not yet grouped into events; "
            f"run {build} to finish"
        )
    return f"all {total} articles analysed and saved; run {report} to see the report"


@app.command()
def run(inputs: Inputs, db: DbOption = "storyline.db", out_dir: OutOption = None) -> None:
    """Ingest, analyse and report in one command."""
    store = _open(db, create=True)
    options = pipeline.Options()
    step, before = "run", 0
    try:
        before = store.count_articles()
        rejected = _ingest(inputs, store, options)
        step = "build"
        _build(store, options)
        step = "report"
        _report(store, out_dir)
    except StorylineError as exc:
        raise _fail(exc) from exc
    except Interrupted as exc:
        stop(exc, _kept(store, db, step, before))
    raise typer.Exit(1 if rejected else 0)


@app.command()
def ingest(inputs: Inputs, db: DbOption = "storyline.db") -> None:
    """Read, clean and store articles (no analysis)."""
    store = _open(db, create=True)
    before = 0
    try:
        before = store.count_articles()
        rejected = _ingest(inputs, store, pipeline.Options())
    except StorylineError as exc:
        raise _fail(exc) from exc
    except Interrupted as exc:
        stop(exc, _kept(store, db, "ingest", before))
    raise typer.Exit(1 if rejected else 0)


@app.command()
def build(
    db: DbOption = "storyline.db",
    regroup_all: Annotated[
        bool,
        typer.Option("--regroup-all", help="Group every article afresh, not only the new ones."),
    ] = False,
) -> None:
    """Annotate, date, embed and cluster everything in the store."""
    store = _open(db)
    try:
        _build(store, pipeline.Options(regroup_all=regroup_all))
    except StorylineError as exc:
        raise _fail(exc) from exc
    except Interrupted as exc:
        stop(exc, _kept(store, db, "build", 0))


@app.command()
def report(
    db: DbOption = "storyline.db",
    out_dir: OutOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the JSON report to stdout.")
    ] = False,
) -> None:
    """Show the report of what the store holds (run `build` first)."""
    store = _open(db)
    try:
        if as_json:
            data = pipeline.load_report(store)
            verify_citations(data)
            sys.stdout.write(json.dumps(report_json(data), ensure_ascii=False, indent=2) + "\n")
            return
        _report(store, out_dir)
    except StorylineError as exc:
        raise _fail(exc) from exc


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
    db: DbOption = "storyline.db",
    story: Annotated[
        str | None, typer.Option("--story", help="Only the storyline with this id.")
    ] = None,
    path: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of to stdout.")
    ] = None,
) -> None:
    """Export the storylines' timelines for other tools (TimelineJS, spreadsheets, Markdown)."""
    store = _open(db)
    try:
        data = pipeline.load_report(store)
        verify_citations(data)
        text = export_text(data, fmt.value, story)
    except StorylineError as exc:
        raise _fail(exc) from exc
    if path is None:
        sys.stdout.write(text)
        return
    try:
        # newline="" keeps the CSV's CRLF line ends as written
        with path.open("w", encoding="utf-8", newline="") as fh:
            fh.write(text)
    except OSError as exc:
        raise _fail(StorylineError(f"cannot write {path}: {exc.strerror or exc}")) from exc
    err.print(f"wrote {path}", highlight=False)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words to find (FTS5 syntax allowed).")],
    db: DbOption = "storyline.db",
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 20,
) -> None:
    """Full-text search over the stored articles."""
    store = _open(db)
    try:
        hits = store.search(query, limit)
    except StorylineError as exc:
        raise _fail(exc) from exc
    table = Table("article", "event", "source", "title / snippet", show_lines=True)
    for hit in hits:
        snippet = hit.snippet.replace("[[", "[bold yellow]").replace("]]", "[/]")
        table.add_row(
            hit.article_id, hit.event_id or "", hit.source or "", f"{hit.title or ''}\n{snippet}"
        )
    out.print(table if hits else f"no article matches {query!r}")


@app.command()
def demo(db: DbOption = "demo.db", out_dir: OutOption = Path("demo-report")) -> None:
    """Run the whole pipeline on the bundled demo corpus."""
    corpus = resources.files("storyline") / "examples" / "corpus"
    run([str(corpus)], db=db, out_dir=out_dir)


@app.command()
def serve(
    db: DbOption = "storyline.db",
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
    try:
        web_app = create_app(db, allow_private=allow_private_urls)
    except StorylineError as exc:
        raise _fail(exc) from exc
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


eval_app = typer.Typer(
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

    try:
        _print_scores(evaluate_timex(folder))
    except StorylineError as exc:
        raise _fail(exc) from exc


@eval_app.command("dating")
def eval_dating(
    path: Annotated[Path, typer.Argument(help="JSONL or JSONL.gz of articles with `published`.")],
    mode: Annotated[
        DatingMode, typer.Option(help="text: each article alone; corpus: the others keep dates.")
    ] = DatingMode.text,
) -> None:
    """Dating undated articles: hide the dates, infer them, compare."""
    from .eval.dating import evaluate_dating

    try:
        _print_scores(evaluate_dating(path, mode.value))
    except StorylineError as exc:
        raise _fail(exc) from exc


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

    try:
        _print_scores(evaluate_events(path, incremental=incremental, baselines=baselines))
    except StorylineError as exc:
        raise _fail(exc) from exc


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

    try:
        _print_scores(evaluate_stories(path, per_topic=per_topic, seed=seed))
    except StorylineError as exc:
        raise _fail(exc) from exc


@eval_app.command("claims")
def eval_claims(
    folder: Annotated[
        Path, typer.Argument(help="NAnCo folder (holding nanco_dataset.json) or the JSON file.")
    ],
) -> None:
    """Grouping agreeing statements from different outlets: ARI and B-cubed against NAnCo."""
    from .eval.claims import evaluate_claims

    try:
        scores = evaluate_claims(folder)
    except StorylineError as exc:
        raise _fail(exc) from exc
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

    try:
        _print_scores(evaluate_checks(path, inject, seed, sources.value, cache, keep))
    except StorylineError as exc:
        raise _fail(exc) from exc


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

    try:
        scores = evaluate_timelines(folder, topic, loto)
    except StorylineError as exc:
        raise _fail(exc) from exc
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
    if version:
        out.print(f"storyline {__version__}")
        raise typer.Exit(0)


if __name__ == "__main__":
    from storyline.__main__ import main as _main

    _main()
