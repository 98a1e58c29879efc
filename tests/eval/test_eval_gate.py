"""The quality gate: every benchmark figure CI can compute stays at or above its pinned floor.

Floors live in tests/eval_floors.json beside the figure measured when each was pinned.
A floor may sit at most GATE_MARGIN below its measured figure, so lowering one means
editing both numbers in the same visible change, never a silent slip. Figures whose data
set is absent (a user's machine without ../shared) are skipped with the reason.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from storyline.eval.checks import evaluate_checks
from storyline.eval.claims import evaluate_claims
from storyline.eval.dating import evaluate_dating
from storyline.eval.events import evaluate_events
from storyline.eval.stories import evaluate_stories
from storyline.eval.timelines import evaluate_timelines
from storyline.eval.timex import evaluate_timex
from tests.conftest import ROOT, shared_path

pytestmark = [pytest.mark.gate, pytest.mark.slow]

FLOORS_FILE = ROOT / "tests" / "eval_floors.json"
GATE_MARGIN = 0.03  # run-to-run noise is nil (rules, no sampling); this is room for tuning
LOWER_IS_BETTER = {
    "mae_days",
    "incremental_gap",
    "single_article_share",
    "false_conflicts_per_1000",
}
FLOORS: dict[str, dict[str, Any]] = json.loads(FLOORS_FILE.read_text(encoding="utf-8"))


def _run(benchmark: str) -> dict[str, Any]:
    kind, *rest = benchmark.split(":")
    if kind == "timex":
        return evaluate_timex(shared_path(*rest[0].split("/")))
    if kind == "dating":
        path, mode = rest
        return evaluate_dating(shared_path(*path.split("/")), mode)
    if kind == "events":
        path, mode = rest
        return evaluate_events(shared_path(*path.split("/")), mode == "incremental", False)
    if kind == "claims":
        return evaluate_claims(shared_path(*rest[0].split("/")))
    if kind == "stories":
        path, per_topic = rest
        return evaluate_stories(shared_path(*path.split("/")), per_topic=int(per_topic))
    if kind == "checks":  # checks:PATH:SOURCES, 20 changes planted with seed 0
        path, sources = rest
        return evaluate_checks(shared_path(*path.split("/")), 20, 0, sources)
    if kind == "timelines":  # timelines:PATH or timelines:PATH:loto
        return evaluate_timelines(shared_path(*rest[0].split("/")), loto=rest[1:] == ["loto"])
    raise AssertionError(f"unknown benchmark kind in {FLOORS_FILE.name}: {benchmark}")


@pytest.mark.parametrize("benchmark", sorted(FLOORS))
def test_floors_sit_close_to_what_was_measured(benchmark: str) -> None:
    for metric, pin in FLOORS[benchmark]["metrics"].items():
        floor, measured = pin["floor"], pin["measured"]
        if metric in LOWER_IS_BETTER:
            assert measured <= floor <= measured * (1 + GATE_MARGIN) + GATE_MARGIN, metric
        else:
            assert measured - GATE_MARGIN <= floor <= measured, (benchmark, metric)


@pytest.mark.parametrize("benchmark", sorted(FLOORS))
def test_benchmark_meets_its_floors(benchmark: str) -> None:
    scores = _run(benchmark)
    failures = []
    for metric, pin in FLOORS[benchmark]["metrics"].items():
        value, floor = scores[metric], pin["floor"]
        worse = value > floor if metric in LOWER_IS_BETTER else value < floor
        if worse:
            failures.append(f"{metric} {value} against floor {floor}")
    assert not failures, f"{benchmark}: " + "; ".join(failures)
