"""The web app's JSON API and ingest: every route, pagination, search filters, the one
error shape for every bad input, the URL guard, uploads and background jobs."""

from __future__ import annotations

import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.core.result import Ok
from typer.testing import CliRunner

from storyline import pipeline
from storyline.cli import app as cli_app
from storyline.errors import InputError
from storyline.stages.ingest.fetch import MB, fetch
from storyline.store import Store
from storyline.web import app as web_app
from storyline.web import create_app
from storyline.web import snapshot as snapshot_module
from storyline.web.net import UrlRefused, check_url, public_address
from tests.conftest import build_demo_store

pytestmark = pytest.mark.slow  # models, subprocesses or servers: not in `make quick`

JSON = {"accept": "application/json"}
JOB_SECONDS = 180  # a build on a loaded 2-core machine (CI runs everything at once)

# Invented articles (our own words) for the ingest tests.
UPLOADED = """Farrowby infirmary restores its systems after ransomware attack

Farrowby Royal Infirmary said on Friday that its computer systems were working again, \
three days after a ransomware attack forced the hospital to divert ambulances. The \
Ashcombe Valley Health Trust said about 1,400 appointments would be rebooked over the \
next two weeks and that no ransom had been paid.
"""
FETCHED = """<!doctype html><html><head><title>Orchard growers count frost losses</title>
<meta property="og:site_name" content="Vale Orchard Weekly"></head><body><article>
<h1>Orchard growers count frost losses</h1>
<p>Apple growers in the Tamsin Vale said on Thursday that a late frost had destroyed about
a third of the blossom in their orchards, the worst damage in twenty years.</p>
<p>The growers' cooperative asked the regional council for emergency loans to cover the
lost harvest, and said it would know the full cost by the end of the month.</p>
</article></body></html>
"""


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("web-api") / "demo.db"
    build_demo_store(db)
    return db


@pytest.fixture(scope="module")
def client(demo_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(str(demo_db))) as test_client:
        yield test_client


def _copy(demo_db: Path, folder: Path) -> str:
    """Return a fresh copy of the demo store, for tests that write to it."""
    target = folder / "copy.db"
    with sqlite3.connect(demo_db) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return str(target)


def _get(client: TestClient, path: str) -> Any:
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    return response.json()


def _error(response: Any, status: int) -> str:
    """Return the message of a JSON error, checking its shape."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "message"}
    assert body["error"]["status"] == status
    assert body["error"]["message"].strip()
    return str(body["error"]["message"])


def _ids(client: TestClient) -> dict[str, str]:
    """Return a real id for every kind of page."""
    story = _get(client, "/storylines.json?per_page=100")["items"][0]
    event = _get(client, f"/storylines/{story['id']}.json")["event_list"][0]
    article = _get(client, f"/events/{event['id']}.json")["article_list"][0]
    entity = _get(client, f"/storylines/{story['id']}.json")["participants"][0]
    return {"story": story["id"], "event": event["id"], "article": article["id"], "entity": entity}


def test_every_json_route_answers_on_real_ids_and_404s_on_unknown(client: TestClient) -> None:
    ids = _ids(client)
    for kind, path in (
        ("story", "/storylines/{}.json"),
        ("event", "/events/{}.json"),
        ("article", "/articles/{}.json"),
        ("entity", "/entities/{}.json"),
    ):
        real = _get(client, path.format(quote(ids[kind], safe="")))
        assert real.get("id", real.get("name")) == ids[kind]
        message = _error(client.get(path.format("zz-unknown")), 404)
        assert "zz-unknown" in message
    assert _get(client, "/search.json?q=treaty")["total"] > 0
    assert _get(client, "/openapi.json")["info"]["title"] == "storyline"
    _error(client.get("/ingest/jobs/zz-unknown.json"), 404)


def test_every_route_is_in_the_schema(client: TestClient) -> None:
    paths = set(_get(client, "/openapi.json")["paths"])
    for path in ("/storylines.json", "/events/{event_id}.json", "/search.json", "/ingest"):
        assert path in paths
    ingest = _get(client, "/openapi.json")["paths"]["/ingest"]["post"]
    form = ingest["requestBody"]["content"]["multipart/form-data"]["schema"]["properties"]
    assert form["files"]["items"] == {"type": "string", "format": "binary"}
    assert form["url"]["type"] == "string"
    assert "Location" in ingest["responses"]["303"]["description"]
    assert {"400", "403", "413", "429"} <= set(ingest["responses"])
    ops = _get(client, "/openapi.json")["paths"]["/events/{event_id}.json"]["get"]
    assert ops["responses"]["404"]["content"]["application/json"]["schema"]["required"] == ["error"]


def test_storylines_paginate(client: TestClient) -> None:
    everything = _get(client, "/storylines.json?per_page=100")
    total = everything["total"]
    assert total == len(everything["items"]) >= 2  # the demo: the treaty and the cyberattack
    assert (everything["page"], everything["per_page"]) == (1, 100)
    pages = [_get(client, f"/storylines.json?per_page=1&page={n}") for n in range(1, total + 1)]
    assert [p["items"][0]["id"] for p in pages] == [s["id"] for s in everything["items"]]
    assert all(p["total"] == total and p["per_page"] == 1 for p in pages)
    beyond = _get(client, f"/storylines.json?per_page=1&page={total + 1}")
    assert beyond["items"] == [] and beyond["total"] == total
    for bad in ("page=0", "page=-1", "page=abc", "per_page=0", "per_page=101", "page=1e3"):
        assert "invalid parameters" in _error(client.get(f"/storylines.json?{bad}"), 422)


def test_a_storyline_pages_through_its_events(client: TestClient) -> None:
    """A storyline lists its events a page at a time, numbered as its axis numbers them;
    a mark on the axis for an event listed on another page links to that page."""
    stories = _get(client, "/storylines.json?per_page=100")["items"]
    story = max(stories, key=lambda s: s["events"])
    assert story["events"] >= 2
    whole = _get(client, f"/storylines/{story['id']}.json")
    assert (whole["page"], whole["per_page"], whole["total"]) == (1, 50, story["events"])
    pages = [
        _get(client, f"/storylines/{story['id']}.json?per_page=1&page={n}")
        for n in range(1, story["events"] + 1)
    ]
    assert [p["event_list"][0] for p in pages] == whole["event_list"]
    assert [p["event_list"][0]["n"] for p in pages] == list(range(1, story["events"] + 1))
    html = client.get(f"/storylines/{story['id']}?per_page=1&page=2").text
    assert 'href="?page=1&amp;per_page=1#event-1"' in html  # on page 1
    assert 'href="#event-2"' in html  # listed here
    assert 'id="event-2"' in html and 'id="event-1"' not in html
    assert 'rel="prev"' in html
    assert "invalid parameters" in _error(client.get(f"{story['href']}.json?per_page=101"), 422)


def test_pages_are_the_same_rendered_on_the_loop_or_in_the_pool(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Small pages missing from the cache are rendered on the event loop, large ones in
    the thread pool (web.app.LOOP_ROWS): either way the page is the same."""
    pages = []
    for rows in (10**6, 0):
        monkeypatch.setattr(web_app, "LOOP_ROWS", rows)
        with TestClient(create_app(str(demo_db))) as client:
            story = _get(client, "/storylines.json")["items"][0]
            event = _get(client, f"/storylines/{story['id']}.json")["event_list"][0]
            paths = ["/storylines", story["href"], event["href"], event["href"] + ".json"]
            pages.append([client.get(path).text for path in paths])
    assert pages[0] == pages[1]
    assert all(event["title"] in page for page in pages[0][2:])


def test_search_pages_through_event_groups(client: TestClient) -> None:
    everything = _get(client, "/search.json?q=treaty&per_page=100")
    assert everything["total"] == len(everything["items"]) >= 2
    first = _get(client, "/search.json?q=treaty&per_page=1")
    second = _get(client, "/search.json?q=treaty&per_page=1&page=2")
    assert first["items"] == everything["items"][:1]
    assert second["items"] == everything["items"][1:2]
    assert everything["total_hits"] == sum(len(g["hits"]) for g in everything["items"])


def _hit_articles(data: dict[str, Any]) -> list[str]:
    return [h["article"] for group in data["items"] for h in group["hits"]]


def test_search_filters_by_date_source_and_entity(client: TestClient) -> None:
    every = _hit_articles(_get(client, "/search.json?q=treaty&per_page=100"))
    later = _get(client, "/search.json?q=treaty&from=2025-09-01&per_page=100")
    assert 0 < len(_hit_articles(later)) < len(every)
    for aid in _hit_articles(later):
        when = _get(client, f"/articles/{aid}.json")["date_range"]
        assert when["start"] >= "2025-09-01"
    early = _get(client, "/search.json?q=treaty&to=2025-06-30&per_page=100")
    assert set(_hit_articles(early)).isdisjoint(_hit_articles(later))
    source = "The Dunholt Standard"
    by_source = _get(client, f"/search.json?q=treaty&source={quote(source)}&per_page=100")
    assert _hit_articles(by_source)
    assert {h["source"] for g in by_source["items"] for h in g["hits"]} == {source}
    named = _get(client, "/search.json?q=treaty&entity=Milan%20Dravec&per_page=100")
    assert 0 < len(_hit_articles(named)) <= len(every)
    for aid in _hit_articles(named):
        mentions = _get(client, f"/articles/{aid}.json")["annotations"]["mentions"]
        assert "milan dravec" in {m["canonical"].casefold() for m in mentions}
    nobody = _get(client, "/search.json?q=treaty&entity=Nobody%20Known")
    assert nobody["items"] == [] and nobody["total"] == 0


def test_search_rejects_bad_filters_and_queries(client: TestClient) -> None:
    assert "from" in _error(client.get("/search.json?q=treaty&from=2025-02-30"), 422)
    assert "to" in _error(client.get("/search.json?q=treaty&to=yesterday"), 422)
    message = _error(client.get("/search.json?q=treaty&from=2025-09-01&to=2025-01-01"), 422)
    assert "'from' is after 'to'" in message
    # an unbalanced quote is read as the words typed: no SQL error, no SQL text
    unbalanced = client.get("/search.json?q=%22treaty")
    assert unbalanced.status_code == 200 and "sqlite" not in unbalanced.text.lower()
    assert unbalanced.json()["total"] == _get(client, "/search.json?q=treaty")["total"]
    _error(client.get("/search.json?q=" + "a" * 501), 422)
    empty = _get(client, "/search.json")
    assert (empty["items"], empty["total"]) == ([], 0)


@pytest.mark.parametrize(
    "path",
    [
        "/events/%00",
        "/events/..%2F..%2Fetc%2Fpasswd",
        "/articles/'%20OR%201=1%20--",
        "/articles/%FF%FE",
        "/entities/",
        "/entities/%00.json",
        "/storylines/" + "x" * 5000,
        "/search.json?q=%00",
        "/search.json?q=NEAR(",
        "/search.json?q=*",
        "/search.json?q=AND",
        "/search.json?q=a%20OR",
        "/search.json?q=%F0%9F%92%A5",
        "/search.json?q=treaty&page=99999999999999999999999",
        "/search.json?q=treaty&from=%00",
        "/search.json?source=%00&entity=%00&q=x",
        "/storylines.json?page=1.5",
        "/storylines.json?per_page=",
        "/static/..%2Fapp.py",
        "/static/%2e%2e/%2e%2e/pyproject.toml",
        "/ingest/jobs/%00",
        "/no-such-route.json",
    ],
)
def test_malformed_requests_get_a_4xx_in_the_error_shape(client: TestClient, path: str) -> None:
    response = client.get(path, headers=JSON)
    if response.status_code == 200:  # some odd queries are still queries: they just find less
        assert path.startswith("/search.json")
        assert "items" in response.json()
        return
    assert 400 <= response.status_code < 500
    _error(response, response.status_code)


def test_html_routes_answer_errors_as_pages_and_json_when_asked(client: TestClient) -> None:
    page = client.get("/events/zz-unknown")
    assert page.status_code == 404 and "no event with id &#39;zz-unknown&#39;" in page.text
    asked = client.get("/events/zz-unknown", headers=JSON)
    assert _error(asked, 404) == "no event with id 'zz-unknown'"
    assert "not allowed" in _error(client.post("/storylines.json"), 405)
    assert "not allowed" in _error(client.delete("/events/x", headers=JSON), 405)


# ---- the URL guard --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://127.0.0.1/feed.xml", "loopback"),
        ("http://10.1.2.3/", "private"),
        ("http://192.168.0.10:8080/news", "private"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://[::1]/", "loopback"),
        ("http://[::ffff:127.0.0.1]/", "loopback"),
        ("http://0.0.0.0/", "unspecified"),
        ("http://224.0.0.1/", "multicast"),
        ("http://240.0.0.1/", "reserved"),
        ("file:///etc/passwd", "scheme"),
        ("ftp://example.org/article.txt", "scheme"),
        ("gopher://example.org/", "scheme"),
        ("http://user:secret@example.org/", "credentials"),
        ("http://[::1", "malformed"),
        ("http:///nohost", "host"),
        ("", "no URL"),
    ],
)
def test_url_guard_refuses_what_is_not_public_http(url: str, words: str) -> None:
    with pytest.raises(UrlRefused, match=words):
        check_url(url)


def test_url_guard_checks_every_address_a_name_resolves_to(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def resolve(host: str, port: int, **_: Any) -> list[tuple[Any, ...]]:
        public = (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port))
        local = (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))
        return [public, local] if host == "mixed.example" else [public]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    with pytest.raises(UrlRefused, match=r"mixed\.example \(127\.0\.0\.1\): a loopback"):
        check_url("http://mixed.example/story")
    assert check_url(" https://news.example/story ") == "https://news.example/story"
    assert check_url("http://127.0.0.1:9/x", allow_private=True) == "http://127.0.0.1:9/x"


def test_ingest_refuses_private_urls_with_400(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda host, port, **_: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))],
    )
    for url in (
        "http://127.0.0.1/",
        "http://10.0.0.8/a",
        "http://169.254.169.254/",
        "http://[::1]/",
        "http://intranet.example/",  # resolves to loopback (patched above)
        "file:///etc/passwd",
        "ftp://example.org/a",
    ):
        response = client.post("/ingest", data={"url": url}, headers=JSON)
        assert "refused" in _error(response, 400) or "scheme" in _error(response, 400)
    page = client.post("/ingest", data={"url": "http://127.0.0.1/"})
    assert page.status_code == 400 and "a loopback address" in page.text


# ---- ingest jobs ----------------------------------------------------------------------


def _wait(client: TestClient, location: str) -> dict[str, Any]:
    """Return a job's JSON once it has finished."""
    deadline = time.monotonic() + JOB_SECONDS
    while time.monotonic() < deadline:
        job: dict[str, Any] = _get(client, location + ".json")
        if job["state"] in ("done", "failed"):
            return job
        time.sleep(0.2)
    pytest.fail(f"job {location} did not finish in {JOB_SECONDS} s")


def test_uploaded_article_joins_its_event_without_a_restart(demo_db: Path, tmp_path: Path) -> None:
    with TestClient(create_app(_copy(demo_db, tmp_path))) as client:
        before = _get(client, "/search.json?q=rebooked")["total"]
        response = client.post(
            "/ingest",
            files=[
                ("files", ("infirmary-restored.txt", UPLOADED.encode(), "text/plain")),
                ("files", ("notes.pdf", b"%PDF-1.4 not an article", "application/pdf")),
            ],
            follow_redirects=False,
        )
        assert response.status_code == 303
        location = response.headers["location"]
        assert location.startswith("/ingest/jobs/")
        running = client.get(location)
        assert running.status_code == 200
        if '"state-done"' not in running.text:
            assert '<meta http-equiv="refresh"' in running.text
        job = _wait(client, location)
        assert job["state"] == "done", job
        assert job["seen"] == 1 and len(job["added"]) == 1 and job["built"]
        [rejected] = job["rejected"]
        assert rejected["input"] == "notes.pdf" and "PDF" in rejected["reason"]
        added = job["added"][0]
        assert added["event"] is not None
        event = _get(client, added["event"]["href"] + ".json")
        assert added["id"] in {a["id"] for a in event["article_list"]}
        assert f'href="/articles/{added["id"]}"' in client.get(added["event"]["href"]).text
        assert before == 0 and _get(client, "/search.json?q=rebooked")["total"] == 1
        assert "Done" in client.get(location).text


def test_an_ingest_job_waits_for_another_process_writing_the_store(
    demo_db: Path, tmp_path: Path
) -> None:
    """One writer at a time across processes: while a `storyline`-like process holds the
    store's writer lock, an uploaded article's job says it waits, then runs when it is free."""
    import subprocess
    import sys

    db = _copy(demo_db, tmp_path)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from storyline.store import Store\n"
            "with Store(sys.argv[1]).writing():\n"
            "    print('held', flush=True)\n"
            "    sys.stdin.readline()\n",
            db,
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        with TestClient(create_app(db)) as client:
            upload = ("files", ("infirmary-restored.txt", UPLOADED.encode(), "text/plain"))
            location = client.post("/ingest", files=[upload], follow_redirects=False).headers[
                "location"
            ]
            deadline = time.monotonic() + 30
            while _get(client, location + ".json")["stage"] != "waiting for another writer":
                assert time.monotonic() < deadline, "the job never said it waits"
                time.sleep(0.1)
            time.sleep(0.5)
            assert _get(client, location + ".json")["state"] == "running"
            assert holder.stdin is not None
            holder.stdin.write("\n")
            holder.stdin.flush()
            job = _wait(client, location)
            assert job["state"] == "done" and len(job["added"]) == 1, job
    finally:
        holder.kill()
        holder.wait()


def test_oversize_upload_is_413(demo_db: Path) -> None:
    with TestClient(create_app(str(demo_db), max_upload_mb=0.01)) as client:
        big = ("files", ("big.txt", b"word " * 4000, "text/plain"))
        _error(client.post("/ingest", files=[big], headers=JSON), 413)
        declared = client.post(
            "/ingest",
            content=b"x" * 200_000,
            headers={**JSON, "content-type": "multipart/form-data; boundary=b"},
        )
        assert "larger than" in _error(declared, 413)
        page = client.post("/ingest", files=[big])
        assert page.status_code == 413 and "larger than the 0.01 MB limit" in page.text


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b"garbage", "multipart/form-data; boundary=xyz", 400),
        (
            b"--xyz\r\nContent-Disposition: form-data; name=files\r\n\r\nhi",
            "multipart/form-data; boundary=xyz",
            400,
        ),
        (b"garbage", "multipart/form-data", 400),
        (b'{"url": "http://example.org"}', "application/json", 400),
        (b"", "application/x-www-form-urlencoded", 400),
    ],
)
def test_malformed_or_empty_forms_are_4xx(
    client: TestClient, body: bytes, content_type: str, status: int
) -> None:
    response = client.post("/ingest", content=body, headers={**JSON, "content-type": content_type})
    _error(response, status)


def test_ingest_refuses_a_form_from_another_site(client: TestClient) -> None:
    response = client.post(
        "/ingest",
        data={"url": "https://example.org/"},
        headers={**JSON, "origin": "https://evil.example"},
    )
    assert "cross-site" in _error(response, 403)


class _Site(SimpleHTTPRequestHandler):
    """Serves a folder; /hop redirects to the page frost.html by the name localhost."""

    def do_GET(self) -> None:
        if self.path == "/hop":
            self.send_response(302)
            host = self.headers.get("Host", "")
            port = host.rsplit(":", 1)[-1]
            self.send_header("Location", f"http://localhost:{port}/frost.html")
            self.end_headers()
            return
        super().do_GET()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def local_site(tmp_path: Path) -> Iterator[str]:
    """Serve an invented article page from a thread on the loopback address."""
    (tmp_path / "frost.html").write_text(FETCHED, encoding="utf-8")
    handler = partial(_Site, directory=str(tmp_path))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/frost.html"
    finally:
        server.shutdown()
        server.server_close()


def test_allow_private_lets_a_local_page_through(
    demo_db: Path, tmp_path: Path, local_site: str
) -> None:
    db = _copy(demo_db, tmp_path)
    with TestClient(create_app(db)) as guarded:
        assert "loopback" in _error(
            guarded.post("/ingest", data={"url": local_site}, headers=JSON), 400
        )
    with TestClient(create_app(db, allow_private=True)) as client:
        response = client.post("/ingest", data={"url": local_site}, follow_redirects=False)
        assert response.status_code == 303
        job = _wait(client, response.headers["location"])
        assert job["state"] == "done" and len(job["added"]) == 1, job
        article = _get(client, f"/articles/{job['added'][0]['id']}.json")
        assert article["title"] == "Orchard growers count frost losses"
        assert article["ref"] == local_site
        assert "late frost" in article["text"]


def test_every_connection_of_a_fetch_is_checked(local_site: str) -> None:
    """A name that passed check_url can still lead to a private address (a redirect, a
    second DNS answer): each connection a job's fetch opens is checked where it lands."""
    with pytest.raises(
        InputError, match=r"refused to connect to 127\.0\.0\.1 .*a loopback address"
    ):
        fetch(local_site, MB, 5.0, public_address)
    assert b"late frost" in fetch(local_site, MB, 5.0)[0]  # no check: fetched

    def own_address_only(host: str, port: int) -> str:  # the site passes, any other host
        return host if host == "127.0.0.1" else public_address(host, port)  # must be public

    assert b"late frost" in fetch(local_site, MB, 5.0, own_address_only)[0]
    hop = local_site.replace("frost.html", "hop")
    with pytest.raises(InputError, match=r"refused to connect to localhost .*a loopback address"):
        fetch(hop, MB, 5.0, own_address_only)  # the redirect's connection is refused
    assert b"late frost" in fetch(hop, MB, 5.0)[0]


def test_a_job_refuses_a_connection_the_first_check_let_through(
    demo_db: Path, tmp_path: Path, local_site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(web_app, "check_url", lambda url, allow_private: url)
    with TestClient(create_app(_copy(demo_db, tmp_path))) as client:
        response = client.post("/ingest", data={"url": local_site}, follow_redirects=False)
        assert response.status_code == 303
        job = _wait(client, response.headers["location"])
    assert job["state"] == "done" and job["added"] == []
    [rejected] = job["rejected"]
    assert rejected["input"] == local_site
    assert "refused to connect to 127.0.0.1" in rejected["reason"]


def test_snapshot_follows_changes_made_outside_the_app(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(snapshot_module, "CHECK_SECONDS", 0.0)
    db = _copy(demo_db, tmp_path)
    (tmp_path / "outside.txt").write_text(UPLOADED, encoding="utf-8")
    with TestClient(create_app(db)) as client:
        assert _get(client, "/search.json?q=rebooked")["total"] == 0
        other = Store(db)  # another process, as far as the app can tell
        added = pipeline.ingest([str(tmp_path / "outside.txt")], other, pipeline.Options()).added
        other.close()
        deadline = time.monotonic() + JOB_SECONDS  # the app reloads in the background
        while client.get(f"/articles/{added[0]}.json").status_code == 404:
            assert time.monotonic() < deadline, "the app never saw the new article"
            time.sleep(0.05)
        assert _get(client, "/search.json?q=rebooked")["total"] == 1


# ---- the command ----------------------------------------------------------------------


def test_serve_help_and_a_store_that_is_not_one(tmp_path: Path) -> None:
    runner = CliRunner()
    shown = runner.invoke(cli_app, ["serve", "--help"])
    assert shown.exit_code == 0
    for option in ("--db", "--host", "--port", "--allow-private-urls"):
        assert option in shown.output
    bogus = tmp_path / "notes.db"
    bogus.write_text("these are notes, not a database\n" * 100)
    result = runner.invoke(cli_app, ["serve", "--db", str(bogus)])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), result.output


# ---- fuzzing from the schema ----------------------------------------------------------


def test_no_generated_request_reaches_a_server_error(client: TestClient) -> None:
    """Requests generated from /openapi.json (odd ids, numbers, dates, text) get a page or
    a 4xx in the error shape, never a 500."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    checked = 0
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result  # the schema itself is valid
        operation = result.ok()
        if operation.method.upper() != "GET":
            continue  # the ingest form is posted by the tests above

        @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def answers(case: Any) -> None:
            response = case.call()
            assert response.status_code < 500, (case.formatted_path, case.query)
            if response.status_code >= 400 and "json" in response.headers["content-type"]:
                assert set(response.json()) == {"error"}

        answers()
        checked += 1
    assert checked >= 15


# What a user types into a search box that is not good FTS5 syntax: quotes, stars, column
# filters, NEAR groups, bare operators and unbalanced brackets, alone and among words.
FTS_SHAPES = st.one_of(
    st.sampled_from(
        [
            '"unterminated',
            "*",
            "NEAR(",
            "NEAR(treaty harbour",
            "treaty NEAR/3 harbour",
            '"',
            "(",
            ")",
            "AND",
            "OR NOT",
            "title:treaty",
            "^treaty",
            "{title text}: treaty",
            "-treaty",
            "treaty*harbour",
            '"treaty" "',
            "\\",
            "'",
            "treaty AND (",
            "a:b:c",
        ]
    ),
    st.text(alphabet='"*()^:{}-+/ ANDORNEART treaty', min_size=1, max_size=24),
)
INTERNALS = ("sqlite", "SELECT", "fts5", "Traceback", "OperationalError", "[SQL:")


def test_search_queries_of_every_shape_never_show_internals(client: TestClient) -> None:
    """Schemathesis requests to the search routes, their q replaced by hostile FTS5
    shapes: each gets results or a 4xx in a plain sentence, never SQL or a 500."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    searched = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.method.upper() != "GET" or not operation.path.startswith("/search"):
            continue

        @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy(), q=FTS_SHAPES)
        def answers(case: Any, q: str) -> None:
            case.query = {**(case.query or {}), "q": q}
            response = case.call()
            assert response.status_code < 500, q
            assert not any(word in response.text for word in INTERNALS), (q, response.text)
            if response.status_code >= 400 and "json" in response.headers["content-type"]:
                assert set(response.json()) == {"error"}

        answers()
        searched += 1
    assert searched >= 2  # the page and its JSON twin


def test_head_answers_every_get_route_of_the_real_server(client: TestClient, demo_db: Path) -> None:
    import urllib.request

    from tools.screenshot import serving

    story = _get(client, "/storylines.json")["items"][0]
    event = _get(client, f"/storylines/{story['id']}.json")["event_list"][0]
    paths = [
        "/storylines",
        "/storylines.json",
        story["href"],
        story["href"] + ".json",
        event["href"],
        event["href"] + ".json",
        "/search?q=harbour",
        "/search.json?q=harbour",
        "/openapi.json",
    ]
    with serving(create_app(str(demo_db))) as url:
        for path in paths:
            get = urllib.request.urlopen(url + path, timeout=30)
            head = urllib.request.urlopen(
                urllib.request.Request(url + path, method="HEAD"), timeout=30
            )
            assert (head.status, head.read()) == (200, b""), path
            assert head.headers["content-type"] == get.headers["content-type"], path
            assert head.headers.get("content-length") == get.headers.get("content-length"), path
        missing = urllib.request.Request(url + "/events/zz-unknown", method="HEAD")
        with pytest.raises(urllib.error.HTTPError) as gone:
            urllib.request.urlopen(missing, timeout=30)
        assert gone.value.code == 404
