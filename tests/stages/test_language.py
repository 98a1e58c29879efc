"""Languages: each article's language is detected and stored; articles in a language the
pipeline does not read are kept, counted, searchable and shown, and never analysed.

The French and German articles in tests/fixtures/languages were written for these tests.
"""

from __future__ import annotations

import gzip
import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
from fastapi.testclient import TestClient

from storyline import pipeline
from storyline.models import SUPPORTED_LANGUAGES, UNDETERMINED, RawDoc, is_supported
from storyline.render.html import not_analysed_line
from storyline.stages.clean.article import clean
from storyline.stages.language import MIN_DETECT_CHARS, article_language, detect_language
from storyline.store import Store
from storyline.web import create_app
from tests.conftest import FIXTURES, ROOT, as_older_store, shared_path

LANGUAGES = FIXTURES / "languages"
SCHEMA = ROOT / "docs" / "report.schema.json"
OTHERS_LINE = "3 articles in other languages (fr, de) kept but not analysed"
FRENCH = (
    "Le conseil municipal a voté mardi soir un budget en baisse de trois pour cent, au "
    "terme d'un débat de près de cinq heures. La maire a défendu des économies sur "
    "l'éclairage public et le report de la rénovation de deux écoles."
)
GERMAN = (
    "Nach vier Jahren Bauzeit ist am Sonntag die neue Bahnstrecke zwischen der Hauptstadt "
    "und Farrowby in Betrieb gegangen. Die Fahrzeit verkürzt sich damit von zwei Stunden "
    "auf knapp fünfzig Minuten. Die ersten Züge waren nach Angaben der Bahn gut besetzt."
)
ENGLISH = (
    "The port authority reopened the northern harbour on Monday after engineers repaired "
    "the breakwater that the storm had cracked. Repairs cost $4.5 million, the authority "
    "said, and fishing crews returned to sea in the afternoon."
)


# ---- the detector ---------------------------------------------------------------------


def test_long_texts_get_their_language_with_confidence() -> None:
    for text, code in ((ENGLISH, "en"), (FRENCH, "fr"), (GERMAN, "de")):
        assert len(text) >= MIN_DETECT_CHARS
        guess = detect_language(text)
        assert guess.code == code
        assert guess.confidence is not None and guess.confidence >= 0.8


@pytest.mark.parametrize(
    "text",
    [
        "Fed's Expanded Market Role Fuels Debate",  # came out Spanish at 0.99 on its own
        "Thousands of protestors continue to pour onto streets in Egypt",  # French at 0.92
        "Harbour reopens after storm",
        "The island ferry resumed its timetable.",
    ],
)
def test_short_latin_texts_are_taken_to_be_english(text: str) -> None:
    assert len(text) < MIN_DETECT_CHARS
    assert detect_language(text).code == "en"
    assert detect_language(text).confidence is None  # assumed, not detected


def test_short_texts_in_another_script_are_still_detected() -> None:
    assert detect_language("Новая железная дорога открылась в воскресенье").code == "ru"
    assert detect_language("افتتح خط السكك الحديدية الجديد يوم الأحد").code == "ar"


def test_english_in_capitals_is_english() -> None:
    assert detect_language((ENGLISH + " ") * 2).code == "en"
    assert detect_language((ENGLISH.upper() + " ") * 2).code == "en"


def test_newlines_do_not_matter() -> None:
    assert detect_language(FRENCH.replace(". ", ".\n\n")).code == "fr"


def test_an_article_reads_title_and_text() -> None:
    doc = RawDoc("x.txt", FRENCH, title="Le conseil municipal adopte un budget serré")
    assert article_language(clean(doc)).code == "fr"


def test_english_is_the_one_language_analysed() -> None:
    assert {"en"} == SUPPORTED_LANGUAGES
    assert is_supported("en") and is_supported(None)  # None: not detected yet
    assert not is_supported("fr") and not is_supported(UNDETERMINED)


def test_the_line_counts_articles_most_frequent_language_first() -> None:
    assert not_analysed_line({}) == ""
    assert not_analysed_line({"fr": 2, "de": 1}) == OTHERS_LINE
    one = "1 article in another language (de) kept but not analysed"
    assert not_analysed_line({"de": 1}) == one


@pytest.mark.slow
def test_no_timeline17_article_is_taken_for_another_language() -> None:
    """The false non-English rate on all of T17's English articles is 0."""
    folder = shared_path("bench", "timelines", "t17")
    found: dict[str, int] = {}
    for path in sorted(folder.glob("*/articles.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            for line in lines:
                text = json.loads(line)["text"]
                code = detect_language(text).code
                found[code] = found.get(code, 0) + 1
    assert sum(found.values()) > 2400
    assert set(found) == {"en"}, found


# ---- the real command, end to end -----------------------------------------------------


def _storyline(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the storyline command in its own process; return what it did."""
    env = {**os.environ, "COLUMNS": "200"}
    command = [sys.executable, "-m", "storyline.cli", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """`storyline run` on two English, two French and one German article."""
    folder = tmp_path_factory.mktemp("languages")
    db, out = folder / "mixed.db", folder / "report"
    done = _storyline("run", str(LANGUAGES), "--db", str(db), "--out", str(out))
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return {"run": done, "db": db, "report": report}


def _languages(db: Path) -> dict[str, str]:
    """Return source -> language of every stored article."""
    with sqlite3.connect(db) as con:
        return dict(con.execute("SELECT ref, language FROM articles").fetchall())


@pytest.mark.slow
def test_run_counts_other_languages_in_its_summary_lines(mixed: dict[str, Any]) -> None:
    done = mixed["run"]
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    ingested = lines.index("ingested 5 documents: 5 new, 0 already stored, 0 rejected")
    assert lines[ingested + 1] == OTHERS_LINE
    assert f"built 1 event in 1 storyline from 2 articles; {OTHERS_LINE}" in lines
    assert "Traceback" not in done.stderr


@pytest.mark.slow
def test_each_article_is_stored_with_its_language(mixed: dict[str, Any]) -> None:
    stored = {Path(ref).name: code for ref, code in _languages(mixed["db"]).items()}
    assert stored == {
        "harbour-gazette_reopens.txt": "en",
        "coast-courier_ferries.txt": "en",
        "journal-du-littoral_port.txt": "fr",
        "journal-du-littoral_budget.txt": "fr",
        "farrowby-anzeiger_bahn.txt": "de",
    }


@pytest.mark.slow
def test_other_languages_are_in_no_event_and_not_annotated(mixed: dict[str, Any]) -> None:
    report = mixed["report"]
    jsonschema.validate(report, json.loads(SCHEMA.read_text(encoding="utf-8")))
    others = {a["id"]: a for a in report["articles"] if a["language"] != "en"}
    assert len(others) == 3
    grouped = {m["id"] for e in report["events"] for m in e["articles"]}
    assert grouped.isdisjoint(others)
    assert len(grouped) == 2  # the English two, together
    for article in others.values():
        assert article["analysed"] is False
        assert article["annotations"] is None and article["date"] is None
    assert report["not_analysed"] == {
        "count": 3,
        "languages": {"fr": 2, "de": 1},
        "articles": [a["id"] for a in report["articles"] if a["id"] in others],
    }


@pytest.mark.slow
def test_report_says_how_many_were_not_analysed(mixed: dict[str, Any]) -> None:
    assert f"1 storyline · {OTHERS_LINE}" in " ".join(mixed["run"].stdout.split())


@pytest.mark.slow
def test_other_languages_show_in_search(mixed: dict[str, Any]) -> None:
    done = _storyline("search", "Bahnstrecke", "--db", str(mixed["db"]))
    assert done.returncode == 0, done.stderr
    assert "Farrowby Anzeiger" in done.stdout and "(de: not analysed)" in done.stdout
    done = _storyline("search", "Calvenna", "--db", str(mixed["db"]))
    assert "Journal du Littoral" in done.stdout and "Harbour Gazette" in done.stdout


@pytest.mark.slow
def test_a_second_build_changes_nothing(mixed: dict[str, Any], tmp_path: Path) -> None:
    db = tmp_path / "again.db"
    db.write_bytes(mixed["db"].read_bytes())
    done = _storyline("build", "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert f"from 2 articles; {OTHERS_LINE}" in done.stderr
    assert _languages(db) == _languages(mixed["db"])


# ---- a store from before languages ----------------------------------------------------


@pytest.mark.slow
def test_a_schema_3_store_gets_its_languages_at_the_next_build(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    store = Store(str(db))
    pipeline.ingest([str(LANGUAGES)], store, pipeline.Options())
    store.close()
    as_older_store(
        db, 3, "ALTER TABLE articles DROP COLUMN language"
    )  # as written before languages were detected
    store = Store(str(db))
    assert {a.language for a in store.articles()} == {None}
    grouping = pipeline.build(store, pipeline.Options())
    languages = sorted(a.language or "" for a in store.articles())
    assert languages == ["de", "en", "en", "fr", "fr"]
    grouped = {aid for e in grouping.events for aid in e.articles}
    assert {a.id for a in store.articles() if a.language == "en"} == grouped
    assert all(a.meta["language_confidence"] > 0.8 for a in store.articles())


# ---- the web app ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def client(mixed: dict[str, Any]) -> Iterator[TestClient]:
    with TestClient(create_app(str(mixed["db"]))) as test_client:
        yield test_client


def _article_id(report: dict[str, Any], language: str) -> str:
    return str(next(a["id"] for a in report["articles"] if a["language"] == language))


@pytest.mark.slow
def test_article_page_shows_its_language(mixed: dict[str, Any], client: TestClient) -> None:
    german = _article_id(mixed["report"], "de")
    page = client.get(f"/articles/{german}")
    assert page.status_code == 200
    assert 'language: <span class="language" lang="de">de</span>' in page.text
    assert "Not analysed: this article is in de" in page.text
    assert "Nach vier Jahren Bauzeit" in page.text
    twin = client.get(f"/articles/{german}.json").json()
    assert (twin["language"], twin["analysed"], twin["event"]) == ("de", False, None)
    english = client.get(f"/articles/{_article_id(mixed['report'], 'en')}")
    assert 'lang="en">en</span>' in english.text and "Event: <a" in english.text


@pytest.mark.slow
def test_search_page_marks_other_languages(client: TestClient) -> None:
    page = client.get("/search?q=Bahnstrecke")
    assert page.status_code == 200
    assert "in de: not analysed" in page.text


GERMAN_UPLOAD = """---
title: Stadtrat beschließt neuen Radweg
source: Farrowby Anzeiger
published: 2025-03-11
---
Der Stadtrat von Farrowby hat am Dienstag den Bau eines neuen Radwegs entlang des Flusses
beschlossen. Die Arbeiten sollen im Sommer beginnen und rund zwei Millionen Euro kosten.
Die Opposition stimmte dagegen, weil sie zuerst die Schulen renovieren will.
"""


@pytest.mark.slow
def test_an_ingest_job_counts_other_languages(mixed: dict[str, Any], tmp_path: Path) -> None:
    db = tmp_path / "upload.db"
    db.write_bytes(mixed["db"].read_bytes())
    with TestClient(create_app(str(db))) as client:
        upload = ("files", ("radweg.txt", GERMAN_UPLOAD.encode(), "text/plain"))
        response = client.post("/ingest", files=[upload], follow_redirects=False)
        assert response.status_code == 303
        location = response.headers["location"]
        for _ in range(300):
            job = client.get(location + ".json").json()
            if job["state"] in ("done", "failed"):
                break
            time.sleep(0.2)
        assert job["state"] == "done", job
        assert job["not_analysed"] == "1 article in another language (de) kept but not analysed"
        [added] = job["added"]
        assert (added["language"], added["event"]) == ("de", None)
        page = client.get(location).text
        assert "1 article in another language (de) kept but not analysed." in page
        assert "in de: not analysed" in page
