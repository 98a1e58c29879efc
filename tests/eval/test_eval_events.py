"""`storyline eval events`: clustering a labelled file, one-shot and incremental, with baselines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline.cli import app
from storyline.errors import InputError
from storyline.eval.events import evaluate_events, score

pytestmark = pytest.mark.slow  # models, subprocesses or servers: not in `make quick`

FERRY = (
    "The Orwen ferry ran aground on a sandbar outside Kessport harbour on Monday morning. "
    "Coastguard crews took all 212 passengers ashore in lifeboats. "
    "Harbour master Ilse Varga said the tide had been unusually low."
)
MINE = (
    "Rescuers reached nine miners trapped in the Dornach copper mine on Friday. "
    "A tunnel roof collapsed after heavy rain, the operator Brasca Mining said. "
    "Engineer Paulo Renn led the team that drilled a supply shaft."
)


def _rows() -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for n, (event, text) in enumerate([("ferry", FERRY), ("mine", MINE)] * 3):
        variant = text.replace("said", "told reporters") if n > 1 else text
        rows.append(
            {"id": f"{event}{n}", "title": variant.split(".")[0], "text": variant,
             "published": None, "source": f"outlet{n}.example", "url": None, "event": event}
        )  # fmt: skip
    return rows


@pytest.fixture(scope="module")
def labelled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("events") / "events.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in _rows()) + "\n", encoding="utf-8")
    return path


def test_one_shot_finds_both_events_and_runs_both_baselines(labelled: Path) -> None:
    scores = evaluate_events(labelled, processes=1)
    assert scores["b3_f1"] == 1.0 and scores["n_events_pred"] == scores["n_events_gold"] == 2
    assert scores["n_articles"] == 6 and scores["articles_per_second"] > 0
    for name in ("tfidf_agglomerative", "embeddings_hdbscan"):
        base = scores["baselines"][name]
        assert 0.0 <= base["b3_f1"] <= 1.0 and base["speed_vs_storyline"] > 0


def test_incremental_matches_one_shot(labelled: Path) -> None:
    scores = evaluate_events(labelled, incremental=True, baselines=False, processes=1)
    assert scores["mode"] == "incremental" and "baselines" not in scores
    assert scores["b3_f1"] == scores["one_shot_b3_f1"] == 1.0
    assert scores["incremental_gap"] == 0.0


def test_cli_prints_scores_on_last_line(labelled: Path) -> None:
    result = CliRunner().invoke(app, ["eval", "events", str(labelled), "--no-baselines"])
    assert result.exit_code == 0, result.output
    last = json.loads(result.output.strip().splitlines()[-1])
    assert last["b3_f1"] == 1.0 and last["pairwise_f1"] == 1.0


def test_rows_without_gold_label_are_named(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"id": "x", "text": "A story."}) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.jsonl:1.*'event'"):
        evaluate_events(path, processes=1)
    result = CliRunner().invoke(app, ["eval", "events", str(path)])
    assert result.exit_code != 0 and "bad.jsonl:1" in result.output


def test_score_counts_a_merged_twin_against_precision() -> None:
    merged = score([0, 0, 0, 0], ["a", "a", "b", "b"], 1.0)
    assert merged["b3_recall"] == 1.0 and merged["b3_precision"] == 0.5
    assert merged["n_events_pred"] == 1 and merged["n_events_gold"] == 2
