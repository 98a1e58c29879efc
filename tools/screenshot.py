"""The README's picture of the web app: a store's richest event page (the one with the
most sources) in headless Chromium, saved as a PNG.

    python -m tools.screenshot --db demo.db --out docs/img/event-page.png

The browser is Debian's ``chromium`` driven through its ``chromedriver`` (the browser
tests use the same helpers); nothing is downloaded. The app is served by uvicorn in a
background thread on a free loopback port.
"""

from __future__ import annotations

import argparse
import base64
import shutil
import socket
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from storyline.errors import StorylineError
from storyline.web.app import create_app

__all__ = [
    "MISSING",
    "browser_paths",
    "capture_event",
    "chrome",
    "main",
    "richest_event",
    "serving",
]

MISSING = (
    "chromium/chromedriver not installed: .ci/run installs them "
    "(apt install chromium chromium-driver)"
)
WIDTH, HEIGHT = 1280, 1600
# Flags for a quiet headless browser in a container: no sandbox (no user namespaces in
# CI containers), no GPU, no first-run pages and no calls home.
CHROME_ARGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-dev-shm-usage",
)
START_SECONDS = 20.0  # uvicorn starts in well under a second; this only bounds a failure
PAGE_SECONDS = 20.0
# The picture ends below the "Sources differ" panel; past this height a README image
# shrinks to unreadable text, so it is cut there.
MAX_PICTURE_HEIGHT = 2600
PICTURE_MARGIN = 24  # px of white below the last panel shown


def browser_paths() -> tuple[str, str] | None:
    """Return the paths of chromium and chromedriver, or None when either is missing."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


@contextmanager
def chrome(
    width: int = WIDTH, height: int = HEIGHT, extra: Sequence[str] = ()
) -> Iterator[webdriver.Chrome]:
    """Yield a headless Chromium driven by the local chromedriver (``extra``: more
    command-line flags); quit it afterwards."""
    paths = browser_paths()
    if paths is None:
        raise StorylineError(MISSING)
    options = webdriver.ChromeOptions()
    options.binary_location = paths[0]
    for arg in (*CHROME_ARGS, f"--window-size={width},{height}", *extra):
        options.add_argument(arg)
    # An explicit driver path: Selenium Manager (which downloads drivers) never runs.
    service = webdriver.ChromeService(executable_path=paths[1])
    driver = webdriver.Chrome(service=service, options=options)
    try:
        yield driver
    finally:
        driver.quit()


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """Yield the base URL of an ASGI app served by uvicorn in a background thread."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))  # port 0: the system picks a free one, held from here on
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + START_SECONDS
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise StorylineError("the web app did not start")
            time.sleep(0.02)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(START_SECONDS)
        sock.close()


def richest_event(base: str) -> str:
    """Return the path of the event with the most sources (then articles) in the app."""
    best: tuple[int, int, str] | None = None
    with httpx.Client(base_url=base, timeout=PAGE_SECONDS) as client:
        page, pages = 1, 1
        while page <= pages:
            listing = client.get("/storylines.json", params={"page": page, "per_page": 100})
            data = listing.raise_for_status().json()
            pages = max(1, -(-data["total"] // data["per_page"]))
            for story in data["items"]:
                events = client.get(f"{story['href']}.json").raise_for_status().json()
                for event in events["event_list"]:
                    rank = (len(event["sources"]), event["articles"], event["href"])
                    best = rank if best is None or rank[:2] > best[:2] else best
            page += 1
    if best is None:
        raise StorylineError("the store has no events: build it first (storyline build)")
    return best[2]


def capture_event(driver: webdriver.Chrome, url: str, out: Path) -> tuple[int, int]:
    """Save an event page as a PNG, from the top down to its "Sources differ" panel (or
    "Sources agree", or the whole page); return the picture's width and height."""
    driver.get(url)
    WebDriverWait(driver, PAGE_SECONDS).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "footer.site"))
    )
    bottom = driver.execute_script(
        """
        const panels = [...document.querySelectorAll('section.findings')];
        const wanted = ['Sources differ', 'Sources agree'];
        for (const heading of wanted) {
          const panel = panels.find(p => p.querySelector('h2').textContent === heading);
          if (panel) return panel.getBoundingClientRect().bottom + window.scrollY;
        }
        return document.documentElement.scrollHeight;
        """
    )
    width = int(driver.execute_script("return document.documentElement.clientWidth"))
    height = min(MAX_PICTURE_HEIGHT, int(bottom) + PICTURE_MARGIN)
    clip = {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot",
        {"format": "png", "clip": clip, "captureBeyondViewport": True},
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(base64.b64decode(shot["data"]))
    return width, height


def main(argv: Sequence[str] | None = None) -> int:
    """Write the picture of a store's richest event page; return the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m tools.screenshot",
        description="Save the event page with the most sources as a PNG.",
    )
    parser.add_argument("--db", required=True, help="a built storyline store")
    parser.add_argument("--out", required=True, type=Path, help="the PNG to write")
    parser.add_argument("--width", type=int, default=WIDTH, help="window width in px")
    args = parser.parse_args(argv)
    try:
        app = create_app(args.db)
        # no scroll bar: the picture is the page alone, the window's full width
        with serving(app) as base, chrome(args.width, extra=["--hide-scrollbars"]) as driver:
            path = richest_event(base)
            width, height = capture_event(driver, base + path, args.out)
    except (StorylineError, httpx.HTTPError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {args.out} ({width}x{height}) from {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
