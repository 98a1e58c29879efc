"""Stable ids end to end, with the real CLI and the web app.

`storyline run a` then `storyline run b` into one store, the demo corpus split so that the
second run merges two events of the first (the hospital attack, first reported by two
articles too unlike to group alone) and two of its storylines (the treaty talks and the
ratification, joined by the signing). Every id of the first run still names the group
holding most of its articles, or redirects (301) to it, pages and JSON twins alike. Then a
regrouping with a strict threshold scatters the larger events into single articles: their
ids have gone, and answer 410 with links to where their articles are now.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import urllib.request
from collections import Counter
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tools.screenshot import serving

from storyline.store import Store
from storyline.web import create_app

pytestmark = pytest.mark.slow  # models, subprocesses or servers: not in `make quick`

CORPUS = Path(str(resources.files("storyline") / "examples" / "corpus"))
DUNHOLT = "dunholt-standard.jsonl"  # three articles, one a line: March, June, September
# The first run: the March talks, the September ratification, and two reports of the
# hospital attack that share too little to be grouped without the others.
FIRST = [
    "farrowby-evening-post_infirmary-attack.txt",
    "signal-desk_moth-circle-claim.md",
    "lantern-press_calvenna-talks.md",
    "calvenna-courier_irrigation-fund.txt",
    "continental-brief_valder-framework.txt",
    "sallow-plain-herald_farmers-wait.txt",
    "lantern-press_assembly-ratifies.txt",
    f"{DUNHOLT}:1",
    f"{DUNHOLT}:3",
]
SECOND = [
    "northgate-daily_valder-treaty.html",
    "lowland-radio_world.xml",
    "lantern-press_treaty-signed.txt",
    "calvenna-courier_ratification-reaction.txt",
    "calvenna-courier_holm-returns.txt",
    "lantern-press_hospital-diverts.txt",
    "continental-brief_farrowby-ambulances.txt",
    "northgate-daily_infirmary-restored.html",
    f"{DUNHOLT}:2",
]
SECONDS = 300  # one run on a loaded 2-core machine
Groups = dict[str, dict[str, list[str]]]  # kind -> id -> articles


def _batch(folder: Path, names: list[str]) -> Path:
    folder.mkdir(parents=True)
    lines = (CORPUS / DUNHOLT).read_text(encoding="utf-8").splitlines()
    for name in names:
        if name.startswith(DUNHOLT):
            n = int(name.rsplit(":", 1)[1])
            (folder / f"dunholt-standard-{n}.jsonl").write_text(lines[n - 1] + "\n")
        else:
            shutil.copy(CORPUS / name, folder / name)
    return folder


def _cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run the real command line, as a user would."""
    command = [sys.executable, "-m", "storyline.cli", *args]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=SECONDS, env={**os.environ, **env}
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def _groups(db: Path) -> Groups:
    store = Store(str(db))
    events = {e.id: e.articles for e in store.events()}
    stories = {s.id: [a for e in s.events for a in events[e]] for s in store.stories()}
    store.close()
    return {"event": events, "storyline": stories}


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Groups]:
    """Return the store after `run a` then `run b`, and what the first run grouped."""
    folder = tmp_path_factory.mktemp("ids")
    db = folder / "x.db"
    _cli("run", str(_batch(folder / "a", FIRST)), "--db", str(db))
    first = _groups(db)
    _cli("run", str(_batch(folder / "b", SECOND)), "--db", str(db))
    return db, first


@pytest.fixture(scope="module")
def client(runs: tuple[Path, Groups]) -> Iterator[TestClient]:
    with TestClient(create_app(str(runs[0])), follow_redirects=False) as test_client:
        yield test_client


def _moved(db: Path, status: str) -> list[tuple[str, str, list[str]]]:
    """Return (kind, id, target or holders) of the ids of the store with this status."""
    store = Store(str(db))
    found = [
        (kind, r.id, [r.target] if r.target else r.holders)
        for kind in ("event", "storyline")
        for r in store.id_records(kind, moved_only=True)
        if r.status == status
    ]
    store.close()
    return found


PAGES = {"event": "/events/", "storyline": "/storylines/"}


def test_the_second_run_keeps_every_id_of_the_first(runs: tuple[Path, Groups]) -> None:
    db, first = runs
    now = _groups(db)
    aliases = {name: target[0] for _, name, target in _moved(db, "alias")}
    assert {kind for kind, _, _ in _moved(db, "alias")} == {"event", "storyline"}  # it merged
    assert _moved(db, "gone") == []
    for kind, groups in first.items():
        where = {a: name for name, members in now[kind].items() for a in members}
        for name, articles in groups.items():
            counts = Counter(where[a] for a in articles)
            home = aliases.get(name, name)
            assert home in now[kind], (kind, name)
            assert counts[home] == max(counts.values()), (kind, name, counts)


def test_aliases_redirect_to_the_id_that_lives_on(
    runs: tuple[Path, Groups], client: TestClient
) -> None:
    for kind, name, (target,) in _moved(runs[0], "alias"):
        page = PAGES[kind]
        for suffix in ("", ".json", "?page=1", ".json?page=1"):
            response = client.get(f"{page}{name}{suffix}")
            assert response.status_code == 301, (name, suffix)
            assert response.headers["location"] == f"{page}{target}{suffix}"
        assert client.head(page + name).status_code == 301
        followed = client.get(f"{page}{name}.json", follow_redirects=True)
        assert followed.status_code == 200 and followed.json()["id"] == target
        assert client.get(f"{page}zz-{name}.json").status_code == 404  # unknown is still 404
    # through a real server too, as a browser follows it
    kind, name, (target,) = _moved(runs[0], "alias")[0]
    with serving(create_app(str(runs[0]))) as url:
        page = urllib.request.urlopen(f"{url}{PAGES[kind]}{name}", timeout=30)
        assert (page.status, page.url) == (200, f"{url}{PAGES[kind]}{target}")


def test_export_and_report_follow_a_merged_storyline(runs: tuple[Path, Groups]) -> None:
    [(name, target)] = [(n, t[0]) for k, n, t in _moved(runs[0], "alias") if k == "storyline"]
    done = _cli("export", "--format", "csv", "--story", name, "--db", str(runs[0]))
    assert f"storyline {name} was merged into {target}" in done.stderr
    rows = done.stdout.splitlines()[1:]
    assert rows and all(row.startswith(target + ",") for row in rows)
    shown = _cli("report", "--story", name, "--db", str(runs[0]), COLUMNS="200")
    assert f"storyline {name} was merged into {target}" in shown.stderr
    assert _title(runs[0], target) in shown.stdout


def _title(db: Path, story_id: str) -> str:
    store = Store(str(db))
    [title] = [s.title for s in store.stories() if s.id == story_id]
    store.close()
    return title


def test_ids_that_have_gone_answer_410_with_where_their_articles_are(
    runs: tuple[Path, Groups], tmp_path: Path
) -> None:
    db = tmp_path / "scattered.db"
    with sqlite3.connect(runs[0]) as src, sqlite3.connect(db) as dst:
        src.backup(dst)
    # a strict threshold, everything grouped afresh: the events fall apart into articles
    _cli("build", "--regroup-all", "--db", str(db), STORYLINE_EVENT_THRESHOLD="0.95")
    gone = [(name, holders) for kind, name, holders in _moved(db, "gone") if kind == "event"]
    assert gone  # an event of four articles or more, now four events or more
    with TestClient(create_app(str(db)), follow_redirects=False) as web:
        for name, holders in gone:
            assert len(holders) >= 3
            error = web.get(f"/events/{name}.json").json()["error"]
            assert web.get(f"/events/{name}.json").status_code == 410
            assert error["status"] == 410 and "has gone" in error["message"]
            assert [item["href"] for item in error["now"]] == [f"/events/{h}" for h in holders]
            for item in error["now"]:
                assert web.get(item["href"] + ".json").json()["id"] == item["id"]
            page = web.get(f"/events/{name}")
            assert page.status_code == 410 and "has gone" in page.text
            assert all(f'href="/events/{h}"' in page.text for h in holders)
            assert web.head(f"/events/{name}").status_code == 410
