"""Shared fixtures: paths to ../shared (skipped where absent) and a fresh store."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.store import Store

SHARED = Path(__file__).resolve().parents[2] / "shared"


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
