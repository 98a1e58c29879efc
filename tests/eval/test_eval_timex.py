"""TempEval-3 timex scoring: reading TimeML, matching as the TE3 toolkit does, the figures,
(its benchmark floors are in tests/eval/test_eval_gate.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from storyline.errors import InputError
from storyline.eval.timex import evaluate_timex, read_tml
from storyline.models import Timex
from tests.conftest import SHARED

TBAQ = SHARED / "bench" / "timex" / "tbaq"

_HEAD = (
    '<?xml version="1.0" ?>\n<TimeML>\n<DOCID>{name}</DOCID>\n'
    '<DCT><TIMEX3 tid="t0" type="DATE" value="{dct}" temporalFunction="false" '
    'functionInDocument="CREATION_TIME">{dct}</TIMEX3></DCT>\n<TEXT>\n'
)
_TAIL = "\n</TEXT>\n</TimeML>\n"

# Invented sentences; inline EVENT and SIGNAL tags are there to be stripped.
DOC_A = (
    'The vote <EVENT eid="e1" class="OCCURRENCE">took</EVENT> place <SIGNAL sid="s1">on'
    '</SIGNAL> <TIMEX3 tid="t1" type="DATE" value="2023-10-16">Monday</TIMEX3>, and the count '
    'lasted <TIMEX3 tid="t2" type="DURATION" value="P3D">three days</TIMEX3>.'
)
DOC_B = (
    'Turnout rose <TIMEX3 tid="t1" type="DATE" value="2022">last year</TIMEX3> but fell '
    '<TIMEX3 tid="t2" type="TIME" value="2023-10-17TMO">this morning</TIMEX3>. Officials '
    '<EVENT eid="e1" class="OCCURRENCE">met</EVENT> <TIMEX3 tid="t3" type="DATE" '
    'value="2023-10-16">yesterday</TIMEX3>.'
)


def write_tml(folder: Path, name: str, body: str, dct: str = "2023-10-17") -> Path:
    path = folder / f"{name}.tml"
    path.write_text(_HEAD.format(name=name, dct=dct) + body + _TAIL, encoding="utf-8")
    return path


def at(text: str, phrase: str, kind: str, value: str | None) -> Timex:
    """Return a system expression over the first occurrence of phrase in text."""
    start = text.index(phrase)
    return Timex(start, start + len(phrase), phrase, kind, value)


def fake_tagger(text: str, reference: dt.date | None) -> list[Timex]:
    """Return hand-made output with one of each kind of mismatch TE3 scores."""
    assert reference == dt.date(2023, 10, 17)
    if text.lstrip().startswith("The vote"):
        return [
            at(text, "Monday", "DATE", "2023-10-16"),  # exact: strict and relaxed
            at(text, "lasted three days", "DURATION", "P3D"),  # overlap: relaxed only
        ]
    return [
        at(text, "last year", "DATE", "2021"),  # exact span, wrong value
        at(text, "this", "TIME", "2023-10-17TMO"),  # partial span, right value
        at(text, "Officials", "DATE", None),  # spurious; "yesterday" is missed
    ]


def test_read_tml_strips_inline_tags_and_keeps_offsets(tmp_path: Path) -> None:
    doc = read_tml(write_tml(tmp_path, "a", DOC_A))
    assert doc.dct == dt.date(2023, 10, 17)
    assert "<" not in doc.text and "took place on Monday" in doc.text
    assert [(g.text, g.type, g.value) for g in doc.gold] == [
        ("Monday", "DATE", "2023-10-16"),
        ("three days", "DURATION", "P3D"),
    ]
    assert all(doc.text[g.start : g.end] == g.text for g in doc.gold)


def test_scores_match_hand_computed_te3_figures(tmp_path: Path) -> None:
    write_tml(tmp_path, "a", DOC_A)
    (tmp_path / "sub").mkdir()  # files are found recursively
    write_tml(tmp_path / "sub", "b", DOC_B)
    result = evaluate_timex(tmp_path, tagger=fake_tagger)
    # 5 gold, 5 system; relaxed pairs: Monday, three days, last year, this morning (4);
    # strict: Monday, last year (2); right value: 3 of 4; right type: 4 of 4.
    assert (result["n_docs"], result["n_gold"], result["n_system"]) == (2, 5, 5)
    expected = {
        "relaxed_precision": 0.8, "relaxed_recall": 0.8, "relaxed_f1": 0.8,
        "strict_precision": 0.4, "strict_recall": 0.4, "strict_f1": 0.4,
        "value_accuracy": 0.75, "value_f1": 0.6, "type_accuracy": 1.0, "type_f1": 0.8,
    }  # fmt: skip
    assert {k: result[k] for k in expected} == expected
    assert isinstance(result["seconds"], float)


def test_errors_list_each_mismatch(tmp_path: Path) -> None:
    write_tml(tmp_path, "a", DOC_A)
    write_tml(tmp_path, "b", DOC_B)
    errors = evaluate_timex(tmp_path, errors=True, tagger=fake_tagger)["errors"]
    kinds = sorted((e["kind"], e["gold"] or e["system"]) for e in errors)
    assert kinds == [
        ("missed", "yesterday"),
        ("span", "this morning"),
        ("span", "three days"),
        ("spurious", "Officials"),
        ("value", "last year"),
    ]


def test_one_system_span_over_two_gold_ones_matches_only_one(tmp_path: Path) -> None:
    write_tml(tmp_path, "a", DOC_A)

    def wide(text: str, reference: dt.date | None) -> list[Timex]:
        return [at(text, "Monday, and the count lasted three days", "DATE", "2023-10-16")]

    result = evaluate_timex(tmp_path, tagger=wide)
    assert (result["relaxed_precision"], result["relaxed_recall"]) == (1.0, 0.5)


def test_the_real_tagger_on_an_invented_document(tmp_path: Path) -> None:
    write_tml(tmp_path, "b", DOC_B)
    result = evaluate_timex(tmp_path)
    assert result["strict_f1"] == 1.0
    assert result["value_f1"] == 1.0


def test_a_malformed_file_is_an_input_error_naming_it(tmp_path: Path) -> None:
    write_tml(tmp_path, "a", DOC_A)
    broken = tmp_path / "broken.tml"
    broken.write_text("<TimeML><TEXT>The vote <TIMEX3>Monday</TEXT>", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        evaluate_timex(tmp_path)
    assert caught.value.ref == str(broken)


def test_a_folder_without_timeml_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        evaluate_timex(tmp_path)
