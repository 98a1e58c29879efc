"""The stage contract end to end: each per-article stage runs once per article, and again
only for new articles, a new version of the stage, or a change of what it depends on."""

from __future__ import annotations

import dataclasses
import json
import shutil
from importlib import resources
from pathlib import Path

import pytest

from storyline import pipeline
from storyline.render.report import report_json
from storyline.stage import ArticleStage
from storyline.store import Store
from tests.conftest import as_older_store

pytestmark = pytest.mark.slow  # models: not in `make quick`

PER_ARTICLE = [s.name for s in pipeline.STAGES if isinstance(s, ArticleStage)]
CORPUS = resources.files("storyline") / "examples" / "corpus"

# An article of our own, about one of the demo corpus's happenings.
NEW_ARTICLE = """Harbour cranes idle as Valder port strike enters second week

Dockworkers at the port of Valder stayed away from the quays on Monday, the eighth day of
a strike over shift pay, the port authority said. Ships waiting to unload now number 14.
"""


class Starts:
    """A pipeline progress that remembers which stages started, with their counts."""

    def __init__(self) -> None:
        self.started: dict[str, int | None] = {}

    def start(self, stage: str, total: int | None) -> None:
        self.started[stage] = total

    def advance(self, n: int = 1) -> None:
        pass


def _report(store: Store) -> str:
    report = report_json(pipeline.load_report(store))
    report.pop("generated")
    return json.dumps(report, sort_keys=True, default=str)


def _build(db: Path) -> tuple[dict[str, int | None], str]:
    store = Store(str(db))
    starts = Starts()
    pipeline.build(store, pipeline.Options(), starts)
    report = _report(store)
    store.close()
    return {k: v for k, v in starts.started.items() if k in PER_ARTICLE}, report


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int | None], str]:
    db = tmp_path_factory.mktemp("once") / "demo.db"
    store = Store(str(db))
    pipeline.ingest([str(CORPUS)], store, pipeline.Options())
    store.close()
    ran, report = _build(db)
    return db, ran, report


def _copy(db: Path, to: Path) -> Path:
    shutil.copy(db, to)
    return to


def test_first_build_runs_every_stage_on_every_article(
    built: tuple[Path, dict[str, int | None], str],
) -> None:
    db, ran, _ = built
    n = Store(str(db)).count_articles()
    # language was detected on the way in (ingest), and is not detected again
    assert "language" not in ran
    assert ran["annotate"] == ran["date"] == ran["embed"] == ran["index"] == ran["claims"] == n


def test_a_second_build_does_no_per_article_work_and_gives_the_same_report(
    built: tuple[Path, dict[str, int | None], str], tmp_path: Path
) -> None:
    db, _, report = built
    ran, again = _build(_copy(db, tmp_path / "again.db"))
    assert ran == {}
    assert again == report


def test_a_new_article_is_the_only_one_annotated_dated_and_embedded(
    built: tuple[Path, dict[str, int | None], str], tmp_path: Path
) -> None:
    db, _, _ = built
    db = _copy(db, tmp_path / "more.db")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "strike.txt").write_text(NEW_ARTICLE)
    store = Store(str(db))
    assert pipeline.ingest([str(tmp_path / "in")], store, pipeline.Options()).added
    store.close()
    ran, _ = _build(db)
    assert ran["annotate"] == ran["date"] == ran["embed"] == 1
    # the new article, and any article whose publication date its event-mates changed
    assert 1 <= (ran.get("claims") or 0) <= 3


def test_a_new_version_of_a_stage_runs_it_again_on_every_article_and_nothing_else(
    built: tuple[Path, dict[str, int | None], str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db, first, report = built
    stages = tuple(
        dataclasses.replace(s, version="2") if s is pipeline.DATE else s for s in pipeline.STAGES
    )
    monkeypatch.setattr(pipeline, "STAGES", stages)
    ran, again = _build(_copy(db, tmp_path / "v2.db"))
    assert ran == {"date": first["date"]}
    assert again == report  # the same code under a new version gives the same dates


def test_a_store_from_before_the_stage_book_is_not_annotated_again(
    built: tuple[Path, dict[str, int | None], str], tmp_path: Path
) -> None:
    db, first, report = built
    old = _copy(db, tmp_path / "schema5.db")
    as_older_store(old, 5)  # as storyline wrote it before per-article results were marked
    ran, again = _build(old)
    # What it kept is marked done on upgrade. Its text dates, claims and re-resolved dates
    # were not kept apart (or not at all), so those are worked out once more.
    assert set(ran) == {"date", "resolve", "claims"}
    assert ran["date"] == first["date"]
    assert again == report
