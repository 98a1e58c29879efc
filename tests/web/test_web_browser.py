"""The web app in a real browser, used as a person would: from the storylines to a
citation's marked sentence, a search, an upload that joins its event, and hostile text
that stays text. Each step saves a screenshot under test-artifacts/browser/."""

from __future__ import annotations

import re
import struct
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx
import pytest
from selenium.common.exceptions import NoAlertPresentException, StaleElementReferenceException
from selenium.webdriver import Chrome
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait
from tools import screenshot
from tools.screenshot import MISSING, browser_paths, chrome, serving

from storyline.web import create_app
from tests.conftest import ROOT, build_demo_store

pytestmark = [pytest.mark.skipif(browser_paths() is None, reason=MISSING), pytest.mark.slow]

ARTIFACTS = ROOT / "test-artifacts" / "browser"
PAGE_SECONDS = 20
JOB_SECONDS = 180  # an ingest job rebuilds the store: slow on a loaded 2-core CI machine

# An invented follow-up report (our own words) on the demo corpus's hospital attack: it
# should join the event the bundled reports form.
FOLLOW_UP_TITLE = "Farrowby patients face long waits as infirmary stays on paper records"
FOLLOW_UP = f"""{FOLLOW_UP_TITLE}

FARROWBY, May 14 — Patients at Farrowby Royal Infirmary waited up to nine hours in the \
emergency department on Wednesday as the hospital went through a third day without its \
computer systems after the ransomware attack.

The Ashcombe Valley Health Trust said porters were carrying scans and paper prescriptions \
between wards by hand, and that ambulances with the most serious cases were still being \
sent to neighbouring hospitals.

A spokesperson for the trust said engineers had begun bringing the pharmacy and laboratory \
systems back one at a time, after checking each of them for traces of the attackers. \
Chief executive Helen Okafor thanked staff and asked people to use the emergency \
department only for urgent care.

The Regional Cyber Crime Unit said its investigation was continuing. A local councillor, \
Priya Doran, said the attack showed how exposed small hospitals had become and called on \
the trust to publish what it knew about the breach.
"""

SCRIPT = "<script>window.__pwned=1</script>"
ATTRIBUTE = '"><img src=x onerror="window.__pwned=2">'
HOSTILE_TITLE = f"Quarry vote {SCRIPT} put off in Brackwater {ATTRIBUTE}"
# Invented, dated before the demo corpus so that it never becomes the newest storyline.
HOSTILE = f"""---
title: {HOSTILE_TITLE}
source: Brackwater Echo {ATTRIBUTE}
published: 2024-03-06
---
BRACKWATER — The town council of Brackwater put off its vote on the Hollin Edge quarry \
on Tuesday {SCRIPT}, after more than 200 residents signed a letter against the plan.

Council leader Agnes Tollard said the quarry would bring 80 jobs {ATTRIBUTE} but that \
the council needed another month to study the traffic report.

"Nobody in this town wants lorries past the school every ten minutes {SCRIPT}," said \
Agnes Tollard.
"""

Shot = Callable[[str], None]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("web-browser") / "demo.db"
    build_demo_store(db)
    return db


@pytest.fixture(scope="module")
def base(demo_db: Path) -> Iterator[str]:
    with serving(create_app(str(demo_db))) as url:
        yield url


@pytest.fixture(scope="module")
def driver() -> Iterator[Chrome]:
    with chrome() as browser:
        browser.set_page_load_timeout(PAGE_SECONDS)
        yield browser


@pytest.fixture
def shot(driver: Chrome, request: pytest.FixtureRequest) -> Shot:
    """Return a function saving the window as test-artifacts/browser/<test>-<n>-<step>.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    test = request.node.name.removeprefix("test_")
    taken: list[str] = []

    def save(step: str) -> None:
        taken.append(step)
        assert driver.save_screenshot(str(ARTIFACTS / f"{test}-{len(taken)}-{step}.png"))

    return save


def _wait(driver: Chrome, seconds: float = PAGE_SECONDS) -> WebDriverWait[Chrome]:
    return WebDriverWait(driver, seconds)


def _follow(driver: Chrome, link: WebElement) -> str:
    """Click a link and wait for its page; return the URL it went to."""
    href = link.get_attribute("href")
    assert href, link.get_attribute("outerHTML")
    link.click()
    _wait(driver).until(ec.url_to_be(href))
    _wait(driver).until(ec.presence_of_element_located((By.CSS_SELECTOR, "footer.site")))
    return href


def _h1(driver: Chrome) -> str:
    return driver.find_element(By.TAG_NAME, "h1").text


def _words(text: str) -> str:
    return " ".join(text.split())


def _sources(row: WebElement) -> int:
    """Return how many sources an event row of a storyline says its event has."""
    found = re.search(r"(\d+) sources?\b", row.text)
    return int(found.group(1)) if found else 0


def test_reader_goes_from_storylines_to_the_cited_sentence(
    base: str, driver: Chrome, shot: Shot
) -> None:
    driver.get(base + "/")
    _wait(driver).until(ec.url_to_be(base + "/storylines"))
    assert _h1(driver) == "Storylines"
    shot("storylines")
    first = driver.find_element(By.CSS_SELECTOR, "ol.stories h2 a")
    title = first.text
    _follow(driver, first)
    assert _h1(driver) == title
    picture = driver.find_element(By.CSS_SELECTOR, "svg.timeline")
    assert picture.is_displayed() and picture.size["height"] > 40
    lines = driver.find_elements(By.CSS_SELECTOR, ".days li")
    assert lines, "the first storyline has dated lines"
    for line in lines:
        day = line.find_element(By.TAG_NAME, "time").get_attribute("datetime") or ""
        assert re.fullmatch(r"\d{4}-\d\d(-\d\d)?", day), day
        assert line.find_elements(By.CSS_SELECTOR, "sup.cite a"), line.text
    shot("storyline")
    # the event told by the most sources: the one with findings to compare
    rows = driver.find_elements(By.CSS_SELECTOR, "ol.events li")
    _follow(driver, max(rows, key=_sources).find_element(By.TAG_NAME, "a"))
    sentence, link = _event_page_shows_cited_summary_and_panels(driver)
    shot("event")
    _citation_lands_on_the_marked_sentence(driver, link, sentence)
    shot("article-at-citation")


def _event_page_shows_cited_summary_and_panels(driver: Chrome) -> tuple[str, WebElement]:
    """Check an event page's summary and findings; return its first summary sentence
    (without its citation marks) and the first citation link."""
    paragraphs = driver.find_elements(By.CSS_SELECTOR, "section.summary p")
    assert paragraphs
    for paragraph in paragraphs:
        cites = paragraph.find_elements(By.CSS_SELECTOR, "sup.cite a")
        assert cites, paragraph.text
        for cite in cites:
            assert re.fullmatch(r".*/articles/[0-9a-f]+#c\d+", cite.get_attribute("href") or "")
    headings = [h.text for h in driver.find_elements(By.CSS_SELECTOR, "section.findings h2")]
    assert {"Sources agree", "Sources differ"} <= set(headings), headings
    for panel in driver.find_elements(By.CSS_SELECTOR, "section.findings"):
        assert panel.find_elements(By.CSS_SELECTOR, "li"), panel.text
    sentence = driver.execute_script(
        "const p = arguments[0].cloneNode(true);"
        "p.querySelectorAll('sup').forEach(s => s.remove());"
        "return p.textContent;",
        paragraphs[0],
    )
    return _words(sentence), paragraphs[0].find_element(By.CSS_SELECTOR, "sup.cite a")


def _citation_lands_on_the_marked_sentence(driver: Chrome, link: WebElement, said: str) -> None:
    href = _follow(driver, link)
    anchor = urlsplit(href).fragment
    target = driver.find_element(By.ID, anchor)
    assert driver.execute_script("return document.querySelector(':target')") == target
    # a citation that starts where another does lands on an empty anchor before the mark
    mark = target
    if target.tag_name != "mark":
        mark = target.find_element(By.XPATH, "./following::mark[1]")
    assert mark.tag_name == "mark" and "cite" in (mark.get_attribute("class") or "")
    # the cited span is one mark (entities and dates are drawn inside it), all outlined
    pieces: list[WebElement] = driver.execute_script(
        "return [...document.querySelectorAll('mark.cite')]"
        ".filter(m => m.title.split(', ').includes(arguments[0]));",
        f"cited [{anchor.removeprefix('c')}]",
    )
    assert pieces == [mark]
    assert _words(mark.text) == said
    if target.tag_name == "mark":
        outline = driver.execute_script("return getComputedStyle(arguments[0]).outlineStyle", mark)
        assert outline == "solid"
    where: dict[str, Any] = driver.execute_script(
        "const r = arguments[0].getBoundingClientRect();"
        "const doc = document.documentElement;"
        "return {top: r.top, y: window.scrollY, view: window.innerHeight,"
        " most: doc.scrollHeight - window.innerHeight};",
        mark,
    )
    assert 0 <= where["top"] < where["view"], where  # in sight
    expected = min(where["y"] + where["top"], where["most"])  # scrolled to it, if it can be
    assert abs(where["y"] - expected) <= 2, where


def test_search_groups_hits_by_event_and_marks_the_words(
    base: str, driver: Chrome, shot: Shot
) -> None:
    driver.get(base + "/storylines")
    box = driver.find_element(By.CSS_SELECTOR, "form.quick input[name=q]")
    box.send_keys("treaty")
    driver.find_element(By.CSS_SELECTOR, "form.quick button[type=submit]").click()
    _wait(driver).until(ec.url_contains("/search?q=treaty"))
    groups = driver.find_elements(By.CSS_SELECTOR, "section.group")
    assert len(groups) >= 2
    events = [g.find_element(By.CSS_SELECTOR, "h2 a").get_attribute("href") for g in groups]
    assert len(set(events)) == len(events), "one group per event"
    for group in groups:
        for hit in group.find_elements(By.CSS_SELECTOR, "ul.hits > li"):
            marks = hit.find_elements(By.CSS_SELECTOR, ".snippet mark")
            assert marks, hit.text
            assert all(m.text.lower().startswith("treat") for m in marks), hit.text
    shot("results")
    hit = groups[0].find_element(By.CSS_SELECTOR, "ul.hits > li > a")
    title = hit.text
    _follow(driver, hit)
    assert _h1(driver) == title
    event = driver.find_element(By.CSS_SELECTOR, "article.source p.meta a[href*='/events/']")
    assert event.get_attribute("href") == events[0]  # grouped under the article's event
    shot("article")


def test_search_page_form_narrows_to_a_source(base: str, driver: Chrome, shot: Shot) -> None:
    driver.get(base + "/search?q=treaty")
    hits = driver.find_elements(By.CSS_SELECTOR, "ul.hits > li")
    source = _hit_source(hits[0])
    driver.find_element(By.CSS_SELECTOR, "form.search input[name=source]").send_keys(source)
    driver.find_element(By.CSS_SELECTOR, "form.search button[type=submit]").click()
    _wait(driver).until(ec.url_contains("source="))
    shot("narrowed")
    narrowed = driver.find_elements(By.CSS_SELECTOR, "ul.hits > li")
    assert 0 < len(narrowed) < len(hits), driver.find_element(By.TAG_NAME, "main").text
    for hit in narrowed:
        assert _hit_source(hit) == source


def _hit_source(hit: WebElement) -> str:
    """Return the source a search hit names ("· <source> · <date>")."""
    return hit.find_element(By.CSS_SELECTOR, ".meta").text.removeprefix("· ").split(" · ")[0]


def _upload(driver: Chrome, base: str, path: Path, shot: Shot) -> WebElement:
    """Upload a file through the ingest form, wait on the job page until the job is done;
    return the page's list of new articles."""
    driver.get(base + "/ingest")
    driver.find_element(By.CSS_SELECTOR, "input[type=file][name=files]").send_keys(str(path))
    shot("form")
    driver.find_element(By.CSS_SELECTOR, "form.ingest button[type=submit]").click()
    _wait(driver).until(ec.url_contains("/ingest/jobs/"))
    job_url = driver.current_url
    if "state-done" not in _state(driver):
        assert "refreshes itself" in driver.find_element(By.TAG_NAME, "main").text
        shot("job-running")
    # no reload from here: the page's own refresh must bring the result
    finished = WebDriverWait(
        driver, JOB_SECONDS, ignored_exceptions=(StaleElementReferenceException,)
    )
    finished.until(lambda d: re.search(r"state-(done|failed)", _state(d)))
    assert driver.current_url == job_url
    shot("job-done")
    assert "state-done" in _state(driver), driver.find_element(By.TAG_NAME, "main").text
    assert "1 new" in driver.find_element(By.TAG_NAME, "main").text
    return driver.find_element(By.XPATH, "//h2[.='New articles']/following-sibling::ul[1]")


def _state(driver: Chrome) -> str:
    return driver.find_element(By.CSS_SELECTOR, "p.state").get_attribute("class") or ""


def _event_links(driver: Chrome, base: str, words: str) -> set[str]:
    """Return the events that the search for some words groups its results under."""
    driver.get(base + "/search?" + urlencode({"q": words}))
    links = driver.find_elements(By.CSS_SELECTOR, "section.group h2 a")
    return {link.get_attribute("href") or "" for link in links}


def test_uploaded_report_joins_the_event_it_belongs_to(
    base: str, driver: Chrome, shot: Shot, tmp_path: Path
) -> None:
    known = _event_links(driver, base, "Farrowby infirmary ransomware")
    assert known, "the demo corpus reports the hospital attack"
    path = tmp_path / "ashcombe-radio_infirmary-waits.txt"
    path.write_text(FOLLOW_UP, encoding="utf-8")
    [item] = _upload(driver, base, path, shot).find_elements(By.TAG_NAME, "li")
    article, event = item.find_elements(By.TAG_NAME, "a")
    assert article.text == FOLLOW_UP_TITLE
    article_href = article.get_attribute("href")
    assert event.get_attribute("href") in known, "it joins an event the store already had"
    _follow(driver, event)
    listed = driver.find_elements(By.CSS_SELECTOR, "ul.articles li a")
    assert len(listed) > 1
    [mine] = [a for a in listed if a.get_attribute("href") == article_href]
    shot("event")
    _follow(driver, mine)
    assert _h1(driver) == FOLLOW_UP_TITLE
    text = driver.find_element(By.CLASS_NAME, "text").text
    assert "Patients at Farrowby Royal Infirmary waited" in text
    shot("article")


def _inert(driver: Chrome) -> None:
    """Check that no planted script ran and no planted attribute became markup."""
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert  # noqa: B018 (reading the property is the check)
    assert driver.execute_script("return window.__pwned") is None
    planted = "script, img, [onerror], [onmouseover], [onfocus]"
    assert driver.execute_script(f"return document.querySelectorAll('{planted}').length") == 0


def test_hostile_article_stays_text_in_the_browser(
    base: str, driver: Chrome, shot: Shot, tmp_path: Path
) -> None:
    path = tmp_path / "brackwater-echo_quarry.md"
    path.write_text(HOSTILE, encoding="utf-8")
    [item] = _upload(driver, base, path, shot).find_elements(By.TAG_NAME, "li")
    _inert(driver)
    _follow(driver, item.find_element(By.TAG_NAME, "a"))
    assert _h1(driver) == HOSTILE_TITLE  # shown as the words it is
    text = driver.find_element(By.CLASS_NAME, "text").text
    assert SCRIPT in text and ATTRIBUTE in text
    _inert(driver)
    shot("article")
    box = driver.find_element(By.CSS_SELECTOR, "form.quick input[name=q]")
    box.send_keys("quarry lorries")
    box.submit()
    _wait(driver).until(ec.url_contains("/search?q=quarry"))
    hits = driver.find_elements(By.CSS_SELECTOR, "ul.hits > li > a")
    assert [h.text for h in hits] == [HOSTILE_TITLE]
    _inert(driver)
    shot("search")
    _follow(driver, driver.find_element(By.CSS_SELECTOR, "section.group h2 a"))
    _inert(driver)
    shot("event")


def test_screenshot_command_pictures_the_event_with_most_sources(
    demo_db: Path, base: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "event.png"
    assert screenshot.main(["--db", str(demo_db), "--out", str(out)]) == 0
    png = out.read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", png[16:24])  # the IHDR chunk comes first
    assert width == screenshot.WIDTH and 1000 < height <= screenshot.MAX_PICTURE_HEIGHT
    shown = capsys.readouterr().out.split()[-1]  # "wrote <out> (<w>x<h>) from <event path>"
    with httpx.Client(base_url=base) as client:
        stories = client.get("/storylines.json?per_page=100").json()["items"]
        most = max(
            len(event["sources"])
            for story in stories
            for event in client.get(story["href"] + ".json").json()["event_list"]
        )
        event = client.get(shown + ".json").json()
    assert len(event["sources"]) == most


def test_screenshot_command_refuses_what_is_not_a_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bogus = tmp_path / "notes.db"
    bogus.write_text("these are notes, not a database\n" * 100)
    assert screenshot.main(["--db", str(bogus), "--out", str(tmp_path / "x.png")]) == 2
    assert capsys.readouterr().err.startswith("error: ")
    assert not (tmp_path / "x.png").exists()
