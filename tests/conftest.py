"""Shared fixtures: paths to ../shared (skipped where absent), a fresh store, the pipeline
run end to end and the seeds report it gives."""

from __future__ import annotations

import sqlite3
from importlib import resources
from pathlib import Path

import pytest

from storyline import pipeline
from storyline.models import Report
from storyline.store import Store

ROOT = Path(__file__).resolve().parents[1]  # the repository
SHARED = ROOT.parent / "shared"  # evaluation data, beside the repository
FIXTURES = ROOT / "tests" / "fixtures"


def shared_path(*parts: str) -> Path:
    """Return a path under ../shared; skip the test where it is absent (a user's machine)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(
            f"{path} is absent: the evaluation data lives in ../shared beside the repository"
        )
    return path


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(str(tmp_path / "test.db"))


def as_older_store(db: Path, version: int, *undo: str) -> None:
    """Turn the store at db back into one an older storyline wrote: run the undo statements
    (drop what later migrations added), then set its schema version. Below schema 6 there
    is no stage book: it is dropped here, and the migration begins it again."""
    con = sqlite3.connect(db)
    try:
        if version < 6:
            con.execute("DROP TABLE IF EXISTS article_stages")
        for statement in undo:
            con.execute(statement)
        con.execute("UPDATE meta SET value=? WHERE key='schema_version'", (str(version),))
        con.commit()
    finally:
        con.close()


def build_demo_store(db: Path) -> None:
    """Build a store at ``db`` from the bundled demo corpus with the real pipeline."""
    store = Store(str(db))
    options = pipeline.Options()
    corpus = resources.files("storyline") / "examples" / "corpus"
    assert pipeline.ingest([str(corpus)], store, options).rejected == []
    pipeline.build(store, options)
    store.close()


def run_pipeline(inputs: list[str], db: Path) -> tuple[pipeline.IngestResult, Report]:
    """Ingest and build the inputs into a store at ``db`` as `storyline run` does; return
    what ingest said and the report."""
    store = Store(str(db))
    options = pipeline.Options()
    result = pipeline.ingest(inputs, store, options)
    pipeline.build(store, options)
    return result, pipeline.load_report(store)


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Report:
    """The report of the five seed reports (../shared/seeds), built once a test module."""
    folder = shared_path("seeds")
    result, report = run_pipeline([str(folder)], tmp_path_factory.mktemp("seeds") / "seeds.db")
    assert result.rejected == []
    return report
