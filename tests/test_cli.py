"""The command line as a user meets it: exit codes, one line per rejected input, reports written."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import jsonschema  # type: ignore[import-untyped]
import pytest
from typer.testing import CliRunner

from storyline.cli import app
from storyline.store import Store
from tests.conftest import ROOT

pytestmark = pytest.mark.slow  # models, subprocesses or servers: not in `make quick`

SCHEMA = ROOT / "docs" / "report.schema.json"
GOOD = (
    "Harbour reopens after storm\n\n"
    "The port authority reopened the northern harbour on Monday after engineers repaired the "
    'breakwater that the storm had cracked. "We expect the first ferries by noon," said harbour '
    "master Ines Varga. Repairs cost $4.5 million, the authority said.\n"
)
BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<rss version="2.0"><channel><title>t</title><item><title>&lol3;</title></item></channel></rss>
"""


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _bad_inputs(folder: Path) -> dict[str, str]:
    """Write one file of each kind of bad input; return name -> expected words in its error."""
    (folder / "binary.bin").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + os.urandom(2000))
    (folder / "empty.txt").write_text("")
    (folder / "huge.txt").write_bytes(b"word " * (10 * 1024 * 1024))  # 50 MB
    (folder / "broken.jsonl").write_text(
        json.dumps(
            {"id": "j1", "title": "Ferry", "text": "The island ferry resumed its timetable."}
        )
        + "\n{not json\n"
    )
    (folder / "bomb.xml").write_text(BOMB)
    # Bytes that no text encoding reads cleanly: invalid UTF-8 mixed with control bytes.
    (folder / "mojibake.txt").write_bytes(bytes(range(0x80, 0x100)) * 20 + b"\x81\x8d\x8f\x90")
    return {
        "binary.bin": "binary",
        "empty.txt": "empty",
        "huge.txt": "limit",
        "broken.jsonl:2": "json",
        "bomb.xml": "xml",
        "mojibake.txt": "utf-8",
    }


def test_run_rejects_each_bad_input_once_and_processes_the_rest(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STORYLINE_MAX_FILE_MB", "20")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "latin1.txt").write_bytes(
        "Caf\xe9 owners in Z\xfcrich protest rent rises\n\nOwners of a caf\xe9 near the Z\xfcrich "
        "station marched on Tuesday against the new rents set by the city council.\n".encode(
            "latin-1"
        )
    )
    (folder / "broken.html").write_text(
        "<html><head><title>Bridge closes</title><body><article><p>The old bridge over the river "
        "closed on Friday for repairs that the council expects to last three weeks.<p>Drivers "
        "must use the ring road<div></span></html"
    )
    expected = _bad_inputs(folder)
    out = tmp_path / "report"
    result = runner.invoke(
        app, ["run", str(folder), "--db", str(tmp_path / "t.db"), "--out", str(out)]
    )
    assert result.exit_code == 1, result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("rejected:")]
    assert len(errors) == len(expected), errors
    for name, words in expected.items():
        [line] = [e for e in errors if f"{name}:" in e or e.endswith(name)] or [
            e for e in errors if name in e
        ]
        assert words in line.lower(), line
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, json.loads(SCHEMA.read_text(encoding="utf-8")))
    texts = " ".join(a["text"] for a in data["articles"])
    assert "Zürich" in texts and "ring road" in texts and "ferries" in texts
    assert len(data["articles"]) == 4  # good, latin1, broken html, the good JSON line
    assert "island ferry" in texts
    assert (out / "report.md").exists() and (out / "report.html").exists()


def test_run_all_good_exits_zero_and_search_finds(runner: CliRunner, tmp_path: Path) -> None:
    src = tmp_path / "a.jsonl.gz"
    with gzip.open(src, "wt", encoding="utf-8") as fh:
        fh.write(
            json.dumps(
                {
                    "id": "1",
                    "title": "Harbour reopens",
                    "text": GOOD.split("\n\n")[1],
                    "published": "2025-03-03",
                    "source": "Harbour Gazette",
                }
            )
            + "\n"
        )
    db = str(tmp_path / "t.db")
    result = runner.invoke(app, ["run", str(src), "--db", db])
    assert result.exit_code == 0, result.output
    assert "Harbour reopens" in result.stdout
    found = runner.invoke(app, ["search", "breakwater", "--db", db])
    assert found.exit_code == 0 and "breakwater" in found.stdout
    # what is not good query syntax is read as the words typed, never an SQL error
    for odd in ('"breakwater', "*", "NEAR(", "AND", "breakwater)"):
        answer = runner.invoke(app, ["search", odd, "--db", db])
        assert answer.exit_code == 0, (odd, answer.output)
        assert "sqlite" not in answer.output.lower() and "SELECT" not in answer.output
    assert "breakwater" in runner.invoke(app, ["search", '"breakwater', "--db", db]).stdout
    as_json = runner.invoke(app, ["report", "--json", "--db", db])
    assert json.loads(as_json.stdout)["events"][0]["title"] == "Harbour reopens"


def test_usage_errors_exit_two(runner: CliRunner, tmp_path: Path) -> None:
    assert runner.invoke(app, ["run", "--no-such-option"]).exit_code == 2
    bad_db = tmp_path / "not-a-db.db"
    bad_db.write_bytes(b"garbage" * 1000)
    result = runner.invoke(app, ["ingest", str(tmp_path), "--db", str(bad_db)])
    assert result.exit_code == 2
    assert "not-a-db.db" in result.stderr


def test_db_from_environment(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    monkeypatch.setenv("STORYLINE_DB", str(tmp_path / "env.db"))
    assert runner.invoke(app, ["ingest", str(tmp_path / "a.txt")]).exit_code == 0
    assert (tmp_path / "env.db").exists()


def test_report_on_empty_store_says_what_to_do(runner: CliRunner, tmp_path: Path) -> None:
    Store(str(tmp_path / "empty.db")).close()  # a store with nothing in it yet
    result = runner.invoke(app, ["report", "--db", str(tmp_path / "empty.db")])
    assert result.exit_code == 0
    assert "storyline run PATH" in result.stderr
    assert "0 articles" in result.stdout


@pytest.mark.parametrize(
    "command",
    [["report"], ["build"], ["search", "harbour"], ["export", "--format", "csv"]],
)
def test_a_mistyped_store_is_an_error_not_a_new_store(
    runner: CliRunner, tmp_path: Path, command: list[str]
) -> None:
    typo = tmp_path / "typo.db"
    result = runner.invoke(app, [*command, "--db", str(typo)])
    assert result.exit_code == 2, result.output
    assert f"no storyline store at {typo}: create one with `storyline run`" in " ".join(
        result.output.split()
    )
    assert not typo.exists()


@pytest.mark.parametrize(
    "query",
    ['"unterminated', "*", "NEAR(", "harbour NEAR/2", "AND", "(", "title:harbour", "^", "'"],
)
def test_search_reads_any_query_as_words_and_never_shows_sql(
    runner: CliRunner, tmp_path: Path, query: str
) -> None:
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    db = str(tmp_path / "s.db")
    assert runner.invoke(app, ["ingest", str(tmp_path / "good.txt"), "--db", db]).exit_code == 0
    result = runner.invoke(app, ["search", query, "--db", db])
    assert result.exit_code in (0, 1), result.output
    for internal in ("sqlite", "SELECT", "fts5", "Traceback", "OperationalError", "[SQL:"):
        assert internal not in result.output
    if result.exit_code == 1:  # a query with no words left in it
        assert result.output.strip().startswith("error: cannot search for")
