"""The web app: server-rendered pages over a store, each with a JSON twin, and ingest.

Every route is in the one table of ``Site.routes``. Pages are answered from an
in-memory snapshot of the store (``snapshot``) and their rendered bodies are cached per
snapshot version (``http.RenderCache``), so a page costs a dictionary look-up once it
has been shown; a new snapshot (after an ingest job, or a change to the database files)
starts a new version. Errors are answered in one shape (``http``).
"""

from __future__ import annotations

import functools
import threading
from collections import Counter, OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, ParamSpec

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment
from markupsafe import Markup
from pydantic import BeforeValidator

from storyline import __version__, settings
from storyline.render.html import not_analysed_line, template_env
from storyline.render.marks import MARK, Feature, marked
from storyline.store import Store
from storyline.web.http import (
    HeadAsGet,
    RenderCache,
    SecurityHeaders,
    add_error_handlers,
    error_responses,
    to_json,
)
from storyline.web.ingest_jobs import MAX_WAITING, Job, Jobs
from storyline.web.lookup import (
    Group,
    SearchFilters,
    article_page,
    entity_page,
    search_groups,
    search_page,
)
from storyline.web.net import UrlRefused, check_url
from storyline.web.snapshot import Snapshot, SnapshotHolder
from storyline.web.uploads import Submitted, read_form, save_uploads
from storyline.web.views import (
    MAX_PER_PAGE,
    Page,
    entity_href,
    event_page,
    storyline_page,
    storylines_page,
)

__all__ = ["Route", "Site", "create_app"]

P = ParamSpec("P")

MAX_PAGE = 100_000  # deeper than any store goes; past it a page number is a typo
MAX_QUERY_CHARS = 500
SEARCHES_KEPT = 256  # queries whose hits are kept for their later pages (a few kB each)
JOB_REFRESH_SECONDS = 2  # how often a running job's page reloads itself
# A page missing from the cache is rendered on the event loop when it reads only the
# snapshot and has at most this many rows (articles, findings, quotes, lines, events,
# figures): measured on a 10,000-article store, such an event page renders in at most
# 16 ms (99.3% of them qualify; the largest, 950 findings, take 100 ms). See Site._cached.
LOOP_ROWS = 150
# The ingest form, read by hand (uploads.read_form: size limits before parsing), described
# here for the OpenAPI schema; a 303 answers it, to the job's page.
INGEST_FORM: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "files": {
                            "type": "array",
                            "items": {"type": "string", "format": "binary"},
                            "description": "Articles to add: HTML, text, JSON(L), feeds.",
                        },
                        "url": {"type": "string", "description": "A page or feed to fetch."},
                    },
                    "description": "Files or a URL, not both.",
                }
            },
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "properties": {"url": {"type": "string"}},
                    "required": ["url"],
                }
            },
        },
    },
    "responses": {"303": {"description": "The job was queued: its page is at Location."}},
}
# An event or storyline id that became an alias when its group merged into another.
MOVED: dict[str, Any] = {
    "responses": {
        "301": {"description": "An alias: the same page of the id that lives on is at Location."}
    }
}
STATIC_TYPES = {".css": "text/css; charset=utf-8", ".svg": "image/svg+xml"}

PageNumber = Annotated[int, Query(ge=1, le=MAX_PAGE, description="Page number, from 1.")]
PerPage = Annotated[int, Query(ge=1, le=MAX_PER_PAGE, description="Items per page.")]
# A browser sends the form's empty date fields as "from=&to=": empty means no bound.
_EMPTY_IS_NONE = BeforeValidator(lambda value: value or None)
FromDay = Annotated[
    date | None, _EMPTY_IS_NONE, Query(alias="from", description="Published on or after.")
]
ToDay = Annotated[
    date | None, _EMPTY_IS_NONE, Query(alias="to", description="Published on or before.")
]
Words = Annotated[str | None, Query(max_length=MAX_QUERY_CHARS)]


@dataclass(frozen=True)
class Route:
    """One route: a page, its JSON twin, the form post, a static file."""

    path: str
    name: str
    endpoint: Callable[..., Any]
    methods: tuple[str, ...] = ("GET",)
    errors: tuple[int, ...] = (404,)  # statuses it may answer besides 200, for the schema
    openapi: dict[str, Any] | None = None  # what the schema cannot read off the endpoint
    status: int = 200  # its answer when all goes well


def _matches_marked(snippet: str, matches: list[tuple[int, int]]) -> Markup:
    """Return a search snippet escaped, the words matched each in a plain <mark>."""
    return marked(snippet, [Feature(start, end, MARK, "", "") for start, end in matches])


def _templates() -> Environment:
    """Return the page templates, autoescaping everything."""
    env = template_env("templates/web")
    env.filters["entity_href"] = entity_href
    env.filters["mark_ranges"] = _matches_marked
    env.globals["version"] = __version__
    for name in env.list_templates(extensions=["j2"]):
        env.get_template(name)  # compiled now, not by the first request to need it
    return env


def _static_files() -> dict[str, tuple[bytes, str]]:
    """Return the app's static assets by name, read once."""
    folder = resources.files("storyline.web") / "static"
    found = {}
    for item in folder.iterdir():
        media = STATIC_TYPES.get(Path(item.name).suffix)
        if media is not None and item.is_file():
            found[item.name] = (item.read_bytes(), media)
    return found


class Site:
    """The app's state (store, snapshot, jobs, caches) and its pages."""

    def __init__(self, db: str, allow_private: bool, max_upload_bytes: int) -> None:
        self.store = Store(db)
        self.cache = RenderCache()
        self.holder = SnapshotHolder(self.store, on_reload=self.cache.clear)
        self.allow_private = allow_private
        self.max_upload_bytes = max_upload_bytes
        self.env = _templates()
        self.static_files = _static_files()
        self.jobs = Jobs(
            self.store, on_start=self._pause, on_done=self._reload, allow_private=allow_private
        )
        self._searches: OrderedDict[tuple[int, SearchFilters], tuple[list[Group], bool]] = (
            OrderedDict()
        )
        self._lock = threading.Lock()

    def _pause(self) -> None:
        self.holder.paused = True

    def _reload(self) -> None:
        try:
            self.holder.reload()
        finally:
            self.holder.paused = False

    # ---- the route table --------------------------------------------------------------

    def routes(self) -> list[Route]:
        """Return every route of the app: each page, then its JSON twin."""
        html, js, fresh, fresh_js = self._html, self._json, self._html_fresh, self._json_fresh
        q, search = (422,), (400, 422)  # what bad parameters get, besides 404
        ids = (404, 410)  # an unknown id, and one that has gone (storyline.stages.cluster.ids)
        listing = self.storylines
        # A page's JSON twin comes first: "/events/{event_id}" would also match "x.json".
        return [
            Route("/", "home", self.home, errors=()),
            Route("/storylines", "storylines", html("storylines", listing), errors=q),
            Route("/storylines.json", "storylines_json", js("storylines", listing), errors=q),
            Route("/storylines/{story_id}.json", "storyline_json", js("storyline", self.storyline),
                  errors=ids, openapi=MOVED),
            Route("/storylines/{story_id}", "storyline", html("storyline", self.storyline),
                  errors=ids, openapi=MOVED),
            Route("/events/{event_id}.json", "event_json", js("event", self.event),
                  errors=ids, openapi=MOVED),
            Route("/events/{event_id}", "event", html("event", self.event),
                  errors=ids, openapi=MOVED),
            Route("/articles/{article_id}.json", "article_json", js("article", self.article)),
            Route("/articles/{article_id}", "article", html("article", self.article)),
            Route("/entities/{name:path}.json", "entity_json", js("entity", self.entity)),
            Route("/entities/{name:path}", "entity", html("entity", self.entity)),
            Route("/search", "search", html("search", self.search), errors=search),
            Route("/search.json", "search_json", js("search", self.search), errors=search),
            Route("/ingest", "ingest_form", fresh(self.ingest_form), errors=()),
            Route("/ingest", "ingest", self.ingest, ("POST",), (400, 403, 413, 429),
                  INGEST_FORM, status=303),
            Route("/ingest/jobs/{job_id}.json", "job_json", fresh_js(self.job)),
            Route("/ingest/jobs/{job_id}", "job", fresh(self.job)),
            Route("/static/{file}", "static", self.static),
        ]  # fmt: skip

    # ---- rendering --------------------------------------------------------------------

    def render(self, page: Page) -> bytes:
        """Return a page as HTML."""
        template = self.env.get_template(page.template)
        return template.render(title=page.title, data=page.data, **page.extra).encode()

    def error_page(
        self, status: int, message: str, now: list[dict[str, str]] | None = None
    ) -> bytes:
        """Return the HTML page of an error (for a gone id, with links to where its
        articles are now)."""
        error = {"status": status, "message": message, "now": now}
        return self.render(Page("error.html.j2", f"Error {status}", error))

    def _cached(
        self, kind: str, name: str, view: Callable[..., Page], media: str
    ) -> Callable[..., Awaitable[Response]]:
        """Return the endpoint answering a view as a cached page of ``kind`` (html, json).

        The endpoint runs on the event loop: a page already rendered for this snapshot is
        a dictionary look-up, answered without a trip through the thread pool. A miss on
        a small page read from the snapshot alone is rendered there too (``_light``);
        other misses (large pages, and search and articles, which read the database) are
        rendered in the pool. Under load, pool threads fight the busy loop for the
        interpreter lock and their pages wait longest: 50 clients on search and event
        pages gave p99 230-530 ms with every miss in the pool, 140-170 ms with event and
        storyline misses on the loop."""
        body_of = self.render if kind == "html" else lambda page: to_json(page.data)

        @functools.wraps(view)
        async def endpoint(*args: Any, **kwargs: Any) -> Response:
            snap = self.holder.current()
            key = (snap.version, kind, name, tuple(sorted(kwargs.items())))
            found = self.cache.get(key)
            if found is None:

                def make() -> tuple[bytes, str]:
                    return body_of(view(*args, **kwargs)), media

                if _light(snap, name, kwargs):
                    found = self.cache.fetch(key, make)
                else:
                    found = await run_in_threadpool(self.cache.fetch, key, make)
            return Response(found[0], media_type=found[1])

        return endpoint

    def _html(self, name: str, view: Callable[P, Page]) -> Callable[P, Awaitable[Response]]:
        """Return the endpoint that renders a view as a cached HTML page."""
        return self._cached("html", name, view, "text/html; charset=utf-8")

    def _json(self, name: str, view: Callable[P, Page]) -> Callable[P, Awaitable[Response]]:
        """Return the endpoint that answers a view's data as cached JSON."""
        return self._cached("json", name, view, "application/json")

    def _html_fresh(self, view: Callable[P, Page]) -> Callable[P, Response]:
        """Return the endpoint rendering a view that changes by itself (a job): uncached."""

        @functools.wraps(view)
        def endpoint(*args: P.args, **kwargs: P.kwargs) -> Response:
            return HTMLResponse(self.render(view(*args, **kwargs)))

        return endpoint

    def _json_fresh(self, view: Callable[P, Page]) -> Callable[P, Response]:
        """Return the endpoint answering a view that changes by itself as JSON: uncached."""

        @functools.wraps(view)
        def endpoint(*args: P.args, **kwargs: P.kwargs) -> Response:
            return Response(to_json(view(*args, **kwargs).data), media_type="application/json")

        return endpoint

    # ---- pages ------------------------------------------------------------------------

    def home(self) -> Response:
        """Go to the list of storylines."""
        return RedirectResponse("/storylines", status_code=307)

    def storylines(self, page: PageNumber = 1, per_page: PerPage = 20) -> Page:
        """Storylines, newest activity first."""
        return storylines_page(self.holder.current(), page, per_page)

    def storyline(self, story_id: str, page: PageNumber = 1, per_page: PerPage = 50) -> Page:
        """A storyline: timeline, dated cited lines, a page of its events, figures over time."""
        return storyline_page(self.holder.current(), story_id, page, per_page)

    def event(self, event_id: str) -> Page:
        """An event: cited summary, coverage, cross-source findings, copies, grouping."""
        return event_page(self.holder.current(), event_id)

    def article(self, article_id: str) -> Page:
        """An article's cleaned text, cited spans, entities, dates and figures marked."""
        return article_page(self.holder.current(), self.store, article_id)

    def entity(self, name: str) -> Page:
        """A person, organisation or place: its events and quotes."""
        return entity_page(self.holder.current(), name)

    def search(
        self,
        q: Annotated[str, Query(max_length=MAX_QUERY_CHARS, description="Words to find.")] = "",
        start: FromDay = None,
        end: ToDay = None,
        source: Words = None,
        entity: Words = None,
        page: PageNumber = 1,
        per_page: PerPage = 20,
    ) -> Page:  # fmt: skip
        """Full-text search with filters, results grouped by event."""
        filters = SearchFilters(q, start, end, source or None, entity or None)
        snap = self.holder.current()
        found = functools.partial(self._found, snap)
        return search_page(snap, filters, page, per_page, found, self.store.snippets)

    def _found(self, snap: Snapshot, filters: SearchFilters) -> tuple[list[Group], bool]:
        """Return a query's grouped hits, kept so that paging through them asks once."""
        key = (snap.version, filters)
        with self._lock:
            found = self._searches.get(key)
        if found is None:
            found = search_groups(snap, self.store, filters)
            with self._lock:
                self._searches[key] = found
                while len(self._searches) > SEARCHES_KEPT:
                    self._searches.popitem(last=False)
        return found

    def ingest_form(self) -> Page:
        """The form to add articles: files or a URL."""
        limit = {"max_upload_mb": round(self.max_upload_bytes / 1024 / 1024, 1)}
        return Page("ingest.html.j2", "Add articles", limit)

    def job(self, job_id: str) -> Page:
        """An ingest job's state and results."""
        job = self.jobs.get(job_id)
        if job is None:
            raise HTTPException(404, f"no ingest job with id {job_id[:40]!r}")
        return Page("job.html.j2", "Ingest job", self._job_data(job),
                    {"refresh": JOB_REFRESH_SECONDS if job.active else 0})  # fmt: skip

    def _job_data(self, job: Job) -> dict[str, Any]:
        snap = self.holder.current()
        added = []
        for aid in job.added:
            stub = snap.articles.get(aid)
            event = snap.events.get(snap.event_of.get(aid, ""))
            added.append({
                "id": aid,
                "title": (stub.title or aid) if stub else aid,
                "href": f"/articles/{aid}",
                "event": {"id": event.id, "title": event.title, "href": f"/events/{event.id}"}
                if event else None,
                "language": job.other_languages.get(aid),  # set when not analysed
            })  # fmt: skip
        return {
            "id": job.id, "state": job.state, "inputs": job.inputs,
            "stage": job.stage, "done": job.done, "total": job.total,
            "created": job.created, "started": job.started, "finished": job.finished,
            "seen": job.seen, "added": added, "already_stored": job.seen - len(job.added),
            "rejected": [{"input": ref, "reason": reason} for ref, reason in job.rejected],
            "built": job.built, "events": job.events, "storylines": job.storylines,
            "not_analysed": not_analysed_line(Counter(job.other_languages.values())),
            "error": job.error,
        }  # fmt: skip

    def static(self, file: str) -> Response:
        """A static asset of the app (its style sheet)."""
        found = self.static_files.get(file)
        if found is None:
            raise HTTPException(404, f"no static file {file[:80]!r}")
        headers = {"cache-control": "public, max-age=3600"}
        return Response(found[0], media_type=found[1], headers=headers)

    # ---- ingest -----------------------------------------------------------------------

    async def ingest(self, request: Request) -> Response:
        """Start an ingest job from uploaded files (field ``files``) or a ``url`` field;
        answer 303 to the job's page."""
        form, submitted = await read_form(request, self.max_upload_bytes)
        try:
            job = await run_in_threadpool(self._start_job, submitted)
        finally:
            await form.close()
        return RedirectResponse(f"/ingest/jobs/{job.id}", status_code=303)

    def _start_job(self, submitted: Submitted) -> Job:
        """Queue the job a form asks for: 400 for a refused URL, 429 when too many wait."""
        if self.jobs.waiting() >= MAX_WAITING:
            raise HTTPException(429, "too many ingest jobs waiting: try again when they finish")
        if submitted.url:
            try:
                url = check_url(submitted.url, self.allow_private)
            except UrlRefused as exc:
                raise HTTPException(400, str(exc)) from None
            return self.jobs.submit(self.jobs.new_id(), [url], [url], None)
        job_id = self.jobs.new_id()
        folder = self.jobs.folder(job_id)
        paths, names = save_uploads(submitted.files, folder)
        return self.jobs.submit(job_id, paths, names, folder)


def _light(snap: Snapshot, name: str, params: dict[str, Any]) -> bool:
    """Return True when a page reads only the snapshot and has at most LOOP_ROWS rows."""
    if name == "storylines":
        rows = int(params.get("per_page", 0))
    elif name == "event" and (event := snap.events.get(params.get("event_id", ""))):
        rows = len(event.articles) + len(event.findings) + len(event.quotes)
    elif name == "storyline" and (story := snap.stories.get(params.get("story_id", ""))):
        rows = len(story.events) + len(story.timeline)
        rows += sum(len(finding.claims) for finding in story.series)
    else:
        return False
    return rows <= LOOP_ROWS


def create_app(db: str, allow_private: bool = False, max_upload_mb: float | None = None) -> FastAPI:
    """Return the web app over the store at ``db`` (raises StoreError when it is not one).

    ``allow_private`` lets ingest fetch private and loopback addresses; uploads larger
    than ``max_upload_mb`` (default: the max_file_mb setting) are refused with 413."""
    limit_mb = float(settings.get("max_file_mb")) if max_upload_mb is None else max_upload_mb
    site = Site(db, allow_private, int(limit_mb * 1024 * 1024))
    app = FastAPI(
        title="storyline",
        version=__version__,
        description="Events, storylines and cited reports from a pile of news articles.",
        docs_url=None,  # the interactive docs load scripts from a CDN: nothing leaves the app
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.site = site
    for route in site.routes():
        app.add_api_route(
            route.path,
            route.endpoint,
            methods=list(route.methods),
            name=route.name,
            response_model=None,
            responses=error_responses(route.errors),
            openapi_extra=route.openapi,
            status_code=route.status,
        )
    add_error_handlers(app, site.error_page)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(HeadAsGet)
    app.router.on_shutdown.append(site.jobs.shutdown)
    return app
