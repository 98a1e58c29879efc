from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from storyline.errors import InputError
from storyline.eval.dating import evaluate_dating

pytestmark = pytest.mark.slow  # models, subprocesses or servers: not in `make quick`

TEXT_CASES = [
    # (text, true date): a stamp read right, a stamp two days early, a past year that holds,
    # nothing dated at all, a year wrongly read as past.
    ("Tue Mar 4, 2025 6:31 pm EDT\nHARBOURTON (Wire) - The port reopened.", "2025-03-04"),
    ("Wed Mar 5, 2025 10:02 am EDT\nPORTVALE (Wire) - Ferries ran late.", "2025-03-07"),
    ("The plant opened in 2019 after a long wait.", "2025-01-02"),
    ("Nothing here has a date.", "2025-01-02"),
    ("The bridge reopened in 2026 after repairs.", "2025-01-02"),
]

CORPUS_CASES = [
    ("Ferry crews in Portvale walked out over pay, stranding harbour passengers.", "2025-03-12"),
    (
        "The Portvale ferry strike left harbour passengers stranded as crews demanded pay.",
        "2025-03-12",
    ),
    (
        "Stranded harbour passengers waited while Portvale ferry crews struck over pay.",
        "2025-03-12",
    ),
    ("Dunmore orchards opened the apple harvest festival with cider and music.", "2024-09-01"),
    ("Cider, music and orchard tours marked the Dunmore apple harvest festival.", "2024-09-01"),
    (
        "The apple harvest festival in Dunmore drew orchard visitors for cider tastings.",
        "2024-09-01",
    ),
]


def _write(path: Path, rows: list[dict[str, Any]], gz: bool = False) -> Path:
    lines = "".join(json.dumps(row) + "\n" for row in rows)
    if gz:
        with gzip.open(path, "wt", encoding="utf-8") as handle:
            handle.write(lines)
    else:
        path.write_text(lines, encoding="utf-8")
    return path


def _rows(cases: list[tuple[str, str]]) -> list[dict[str, Any]]:
    return [
        {"id": f"a{i}", "text": text, "published": day, "source": "wire"}
        for i, (text, day) in enumerate(cases)
    ]


def test_text_mode_metrics_on_a_tiny_file(tmp_path: Path) -> None:
    scores = evaluate_dating(_write(tmp_path / "a.jsonl", _rows(TEXT_CASES)), "text")
    # Days for the two stamps (errors 0 and 2), ranges for the two years, one unknown.
    assert {k: v for k, v in scores.items() if k != "seconds"} == {
        "exact_day": 0.2,
        "within_1_day": 0.2,
        "within_7_days": 0.4,
        "precision_exact_day": 0.5,
        "mae_days": 1.0,
        "coverage": 0.4,
        "range_contains_truth": 0.5,  # the right stamp and the 2019 bound of four
        "n": 5,
        "n_days": 2,
        "n_bounded": 4,
    }
    assert scores["seconds"] >= 0


def test_corpus_mode_dates_each_article_from_its_mates(tmp_path: Path) -> None:
    path = _write(tmp_path / "b.jsonl.gz", _rows(CORPUS_CASES), gz=True)
    scores = evaluate_dating(path, "corpus")
    assert scores["n"] == 6
    assert scores["exact_day"] == 1.0
    assert scores["coverage"] == 1.0
    assert scores["mae_days"] == 0.0


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("{not json", "not JSON"),
        ('["a list"]', "JSON object"),
        ('{"id": "x", "published": "2025-01-01"}', "'text'"),
        ('{"id": "x", "text": "Hi.", "published": "last week"}', "ISO date"),
        ('{"id": "x", "text": "Hi."}', "'published'"),
    ],
)
def test_malformed_lines_name_the_line(tmp_path: Path, line: str, reason: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "ok", "text": "Fine.", "published": "2025-01-01"}\n' + line + "\n")
    with pytest.raises(InputError) as error:
        evaluate_dating(path, "text")
    assert error.value.ref.endswith("bad.jsonl:2")
    assert reason in error.value.reason


def test_unreadable_file_and_unknown_mode(tmp_path: Path) -> None:
    broken = tmp_path / "broken.jsonl.gz"
    broken.write_bytes(b"not gzip at all")
    with pytest.raises(InputError):
        evaluate_dating(broken, "text")
    with pytest.raises(ValueError, match="mode"):
        evaluate_dating(broken, "guess")
