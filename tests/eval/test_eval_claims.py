"""`storyline eval claims`: grouping agreeing answers, scored against NAnCo-style labels."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from storyline.cli import app
from storyline.errors import InputError
from storyline.eval.claims import evaluate_claims, load_nanco
from tests.conftest import FIXTURES, shared_path

pytestmark = pytest.mark.slow  # models, subprocesses or servers: not in `make quick`

TINY = FIXTURES / "nanco_tiny"


def _last_json(output: str) -> dict[str, Any]:
    scores: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return scores


def test_cli_groups_the_tiny_set_and_prints_scores_last() -> None:
    result = CliRunner().invoke(app, ["eval", "claims", str(TINY)])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("Q1: 6 answers, 3 gold groups")
    scores = _last_json(result.output)
    assert scores["ari"] == scores["b3_f1"] == 1.0
    assert scores["n_questions"] == 2 and scores["n_answers"] == 11
    assert [q["n_groups_pred"] for q in scores["per_question"]] == [3, 3]
    assert scores["ari_loqo"] <= scores["ari"] and scores["seconds"] > 0


def test_baselines_sit_where_they_should_on_the_tiny_set() -> None:
    base = evaluate_claims(TINY)["baselines"]
    assert base["all_apart"]["ari"] == 0.0 and base["all_apart"]["b3_precision"] == 1.0
    assert 0.0 <= base["tfidf_only"]["b3_f1"] <= 1.0 and "threshold" in base["tfidf_only"]
    annotators = base["annotators"]
    assert set(annotators["per_annotator"]) == {"Jason", "Lidiya", "Phil"}
    assert "not independent" in annotators["note"]
    # Phil's labels are the gold grouping; an ungrouped ("-1", "") answer stands alone
    assert annotators["per_annotator"]["Phil"]["ari"] == 1.0
    assert annotators["per_annotator"]["Lidiya"]["ari"] < 1.0


def _write(tmp_path: Path, data: object) -> Path:
    (tmp_path / "nanco_dataset.json").write_text(json.dumps(data), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"question": "x"}, "expected a non-empty JSON list of questions"),
        ([{"question": "Why?", "answers": []}], "question 1: 'answers' must be a non-empty list"),
        (
            [{"question": "Why?", "answers": [{"Answer": "rain", "cluster_global": 0}, {}]}],
            "question 1 answer 2: 'Answer' must be a non-empty string",
        ),
        (
            [{"question": "Why?", "answers": [{"Answer": "rain"}]}],
            "question 1 answer 1: 'cluster_global' (the gold group) is missing",
        ),
    ],
)
def test_malformed_data_names_what_is_wrong(tmp_path: Path, data: object, message: str) -> None:
    folder = _write(tmp_path, data)
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_nanco(folder)


def test_cli_error_is_one_clear_line(tmp_path: Path) -> None:
    (tmp_path / "nanco_dataset.json").write_text('[{"question": ', encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", "claims", str(tmp_path)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "nanco_dataset.json: not JSON" in lines[0]
    missing = CliRunner().invoke(app, ["eval", "claims", str(tmp_path / "absent")])
    assert missing.exit_code == 1 and "not found" in missing.output


def test_real_benchmark_beats_its_baselines_and_stays_below_annotators() -> None:
    scores = evaluate_claims(shared_path("bench", "claims", "nanco"))
    assert scores["n_questions"] == 8 and scores["n_answers"] == 230
    base = scores["baselines"]
    assert base["all_apart"]["ari"] < base["tfidf_only"]["ari"] < scores["ari"]
    assert scores["ari"] < base["annotators"]["ari"]
    assert scores["paper_protocol"] is not None
    assert scores["paper_protocol"]["storyline"]["test_bacc"] > 0.5
