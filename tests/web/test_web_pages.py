"""The web app's HTML pages: every page answers on a real id and 404s on an unknown one,
shows what its JSON twin holds, and renders hostile article text inert."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from importlib import resources
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from storyline import pipeline
from storyline.store import Store
from storyline.web import create_app

pytestmark = pytest.mark.slow  # models, subprocesses or servers: not in `make quick`

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '" onmouseover="x'
# An invented article whose title, outlet, body and quote carry markup an attacker might
# plant; none of it may reach a page as markup.
HOSTILE = f"""---
title: Harbour board {SCRIPT} vote splits Port Esk {ATTRIBUTE}
source: Esk Gazette {SCRIPT}
published: 2025-04-02
---
PORT ESK — The harbour board of Port Esk voted on Wednesday to close the old ferry pier \
{SCRIPT}, a decision the mayor, Tomas Reval, called a sad day for the whole town.

Board chair Ilse Marrow said the pier needed repairs costing 4 million euros that the \
harbour could not pay {ATTRIBUTE} About 300 residents gathered outside the board's offices \
on Esk Street on Wednesday evening.

"We will keep the pier open for the summer festival {SCRIPT} and then close it," said \
Ilse Marrow.
"""


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    folder = tmp_path_factory.mktemp("web-pages")
    (folder / "esk-gazette_pier.md").write_text(HOSTILE, encoding="utf-8")
    db = str(folder / "web.db")
    store = Store(db)
    corpus = resources.files("storyline") / "examples" / "corpus"
    options = pipeline.Options()
    result = pipeline.ingest([str(corpus), str(folder / "esk-gazette_pier.md")], store, options)
    assert result.rejected == []
    pipeline.build(store, options)
    store.close()
    with TestClient(create_app(db)) as test_client:
        yield test_client


def _json(client: TestClient, path: str) -> Any:
    response = client.get(path)
    assert response.status_code == 200, response.text
    return response.json()


def _html(client: TestClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def _hostile_id(client: TestClient) -> str:
    hits = _json(client, "/search.json?q=pier")["items"]
    [article] = {h["article"] for group in hits for h in group["hits"]}
    return str(article)


def _first_story(client: TestClient) -> dict[str, Any]:
    items = _json(client, "/storylines.json?per_page=100")["items"]
    return dict(max(items, key=lambda s: s["events"]))


def test_home_redirects_to_storylines(client: TestClient) -> None:
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 307
    assert response.headers["location"] == "/storylines"


def test_storylines_page_lists_what_its_twin_lists(client: TestClient) -> None:
    data = _json(client, "/storylines.json")
    html = _html(client, "/storylines")
    assert data["total"] >= 3
    positions = [html.index(f'href="/storylines/{s["id"]}"') for s in data["items"]]
    assert positions == sorted(positions)  # same order: newest activity first
    activities = [s["activity"] or "" for s in data["items"]]
    assert activities == sorted(activities, reverse=True)


def test_storyline_page_draws_its_timeline_and_cites(client: TestClient) -> None:
    story = _first_story(client)
    data = _json(client, f"/storylines/{story['id']}.json")
    html = _html(client, f"/storylines/{story['id']}")
    assert data["timeline"], "the demo's main storyline has dated lines"
    assert '<svg class="timeline"' in html
    for line in data["timeline"]:
        assert f'id="{line["anchor"]}"' in html  # the axis marks link to the lines
        assert f'href="#{line["anchor"]}"' in html
        for sentence in line["sentences"]:
            for cite in sentence["cites"]:
                assert re.fullmatch(r"/articles/[0-9a-f]+#c\d+", cite["href"])
                assert f'href="{cite["href"]}"' in html
    for event in data["event_list"]:
        assert f'href="/events/{event["id"]}"' in html
    for series in data["series"]:
        assert unescape(series["statement"]) in unescape(html)


def test_event_page_shows_summary_coverage_findings_and_grouping(client: TestClient) -> None:
    story = _first_story(client)
    event_id = _json(client, f"/storylines/{story['id']}.json")["event_list"][0]["id"]
    data = _json(client, f"/events/{event_id}.json")
    html = unescape(_html(client, f"/events/{event_id}"))
    for sentence in data["summary"]:
        assert sentence["text"] in html
    assert '<svg class="coverage"' in html
    for row in data["coverage"]:
        assert f"<title>{row['source']}</title>" in html
    for section in data["sections"]:
        assert f"<h2>{section['heading']}</h2>" in html
    assert {s["heading"] for s in data["sections"]} <= {
        "Sources agree",
        "Sources differ",
        "Reported by one source only",
        "Who said what",
    }
    assert f"{data['independent_sources']} independent" in html
    assert "Why these articles are grouped" in html
    assert len(data["why"]) == len(data["article_list"]) == data["articles"]
    for article in data["article_list"]:
        assert f'href="/articles/{article["id"]}"' in html


def test_citation_lands_on_a_marked_anchor_holding_the_cited_words(client: TestClient) -> None:
    story = _first_story(client)
    event_id = _json(client, f"/storylines/{story['id']}.json")["event_list"][0]["id"]
    cite = _json(client, f"/events/{event_id}.json")["summary"][0]["cites"][0]
    path, anchor = cite["href"].split("#")
    article = _json(client, path + ".json")
    html = _html(client, path)
    [span] = [c for c in article["cited"] if c["anchor"] == anchor]
    assert (span["start"], span["end"]) == (cite["start"], cite["end"])
    assert re.search(rf'<mark class="cite" id="{anchor}"|<span class="anchor" id="{anchor}"', html)
    # the whole cited span is one mark, the entities, dates and figures in it drawn inside;
    # where it overlaps another cited span (a quote inside a summary line), its first piece
    spans = [(c["start"], c["end"]) for c in article["cited"]]
    for said in article["cited"]:
        found = re.search(
            rf'<mark class="cite" id="{said["anchor"]}"[^>]*>(.*?)</mark>', html, re.S
        )
        if not found:  # a second citation of the same span: an empty anchor before the mark
            continue
        marked = unescape(re.sub(r"<[^>]+>", "", found.group(1)))
        start, end = said["start"], said["end"]
        overlaps = any(s < end and start < e and (s, e) != (start, end) for s, e in spans)
        assert marked == said["text"] or (overlaps and said["text"].startswith(marked))
    inside = re.findall(r'<mark class="cite"[^>]*>(.*?)</mark>', html, re.S)
    assert any('class="ent' in piece for piece in inside)


def test_article_page_marks_entities_dates_and_figures(client: TestClient) -> None:
    article_id = _hostile_id(client)
    data = _json(client, f"/articles/{article_id}.json")
    html = _html(client, f"/articles/{article_id}")
    # the dateline is page furniture: removed with its reason, the lead kept
    assert data["text"].startswith("The harbour board of Port Esk")
    assert {"text": "PORT ESK —", "reason": "dateline"} in data["removed"]
    timexes = data["annotations"]["timexes"]
    resolved = [t for t in timexes if t["value"]]
    assert resolved, "the hostile article names Wednesday, resolved from its date"
    assert f'<span class="timex" title="date: {resolved[0]["value"]}">' in html
    assert '<span class="qty" title="' in html
    person = next(m for m in data["annotations"]["mentions"] if m["kind"] == "PERSON")
    assert f'href="/entities/{quote(person["canonical"], safe="")}"' in html
    assert data["event"] is not None
    assert f'href="/events/{data["event"]["id"]}"' in html


def test_removed_boilerplate_is_shown_on_demand(client: TestClient) -> None:
    stories = _json(client, "/storylines.json?per_page=100")["items"]
    for story in stories:
        for event in _json(client, f"/storylines/{story['id']}.json")["event_list"]:
            for article in _json(client, f"/events/{event['id']}.json")["article_list"]:
                data = _json(client, f"/articles/{article['id']}.json")
                if data["removed"]:
                    html = _html(client, f"/articles/{article['id']}")
                    assert '<details class="removed">' in html
                    assert f"Removed boilerplate ({len(data['removed'])})" in html
                    return
    pytest.fail("the demo corpus has pages with boilerplate (the HTML ones)")


def test_entity_page_lists_events_and_quotes(client: TestClient) -> None:
    article_id = _hostile_id(client)
    data = _json(client, f"/articles/{article_id}.json")
    name = "Ilse Marrow"
    assert name in {m["canonical"] for m in data["annotations"]["mentions"]}
    entity = _json(client, f"/entities/{quote(name)}.json")
    html = _html(client, f"/entities/{quote(name)}")
    assert entity["kind"] in {
        m["kind"] for m in data["annotations"]["mentions"] if m["canonical"] == name
    }
    assert data["event"]["id"] in {e["id"] for e in entity["events"]}
    assert f'href="/events/{data["event"]["id"]}"' in html
    assert any("summer festival" in said["text"] for said in entity["quotes"])
    for said in entity["quotes"]:
        assert said["speaker"] == name
        assert said["cite"]["href"].startswith(f"/articles/{said['cite']['article']}")
    # names are matched without case
    assert _json(client, f"/entities/{quote(name.upper())}.json")["name"] == name


def test_search_page_groups_hits_by_event_and_marks_terms(client: TestClient) -> None:
    data = _json(client, "/search.json?q=treaty")
    html = _html(client, "/search?q=treaty")
    assert data["total"] == len(data["items"]) >= 2
    for group in data["items"]:
        assert group["event"] is not None
        assert f'href="{group["event"]["href"]}"' in html
        for hit in group["hits"]:
            assert hit["marks"], hit
            start, end = hit["marks"][0]
            assert hit["snippet"][start:end].lower().startswith("treat")
            assert f'href="/articles/{hit["article"]}"' in html
    assert re.search(r"<mark>treaty</mark>", html, re.I)


@pytest.mark.parametrize("page", ["article", "event", "search", "entity", "storyline"])
def test_hostile_text_renders_inert(client: TestClient, page: str) -> None:
    article_id = _hostile_id(client)
    article = _json(client, f"/articles/{article_id}.json")
    assert SCRIPT in article["text"] and ATTRIBUTE in article["text"]  # kept as text
    path = {
        "article": f"/articles/{article_id}",
        "event": f"/events/{article['event']['id']}",
        "search": "/search?q=pier+sad",
        "entity": f"/entities/{quote('Ilse Marrow')}",
        "storyline": f"/storylines/{article['event']['storyline']}",
    }[page]
    html = _html(client, path)
    assert SCRIPT not in html
    assert "onmouseover=" not in html.replace("onmouseover=&#34;", "")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html.lower()


def test_unknown_ids_are_404_pages_with_the_message(client: TestClient) -> None:
    for path, words in (
        ("/storylines/s0000", "no storyline with id 's0000'"),
        ("/events/e0000", "no event with id 'e0000'"),
        ("/articles/0000", "no article with id '0000'"),
        ("/entities/Nobody%20At%20All", "no person, organisation or place named 'Nobody At All'"),
        ("/ingest/jobs/nojob", "no ingest job with id 'nojob'"),
        ("/no/such/page", "no page at /no/such/page"),
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.headers["content-type"].startswith("text/html")
        assert "<h1>Error 404</h1>" in response.text
        assert unescape(response.text).count(words) == 1, path


def test_pages_say_where_their_json_is_and_load_only_local_assets(client: TestClient) -> None:
    html = _html(client, "/storylines")
    assert 'href="/storylines.json?page=1&amp;per_page=20"' in html
    assert re.findall(r'(?:href|src)="(https?:)?//', html) == []
    css = client.get("/static/style.css")
    assert css.status_code == 200
    assert css.headers["content-type"].startswith("text/css")
    assert "default-src 'self'" in css.headers["content-security-policy"]
    assert client.get("/static/app.py").status_code == 404


def test_ingest_form_posts_files_and_url_without_scripts(client: TestClient) -> None:
    html = _html(client, "/ingest")
    assert (
        '<form class="ingest" action="/ingest" method="post" enctype="multipart/form-data">' in html
    )
    assert 'type="file" name="files" multiple' in html
    assert 'type="url" name="url"' in html
