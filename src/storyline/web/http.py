"""The HTTP plumbing of the web app: the one error shape, security headers, and the
cache of rendered pages.

Every error, on an HTML page or a JSON one, carries the same message; JSON errors
(``.json`` paths, or clients that accept JSON and not HTML) have the shape
``{"error": {"status": <int>, "message": "<text>"}}``.
"""

from __future__ import annotations

import json
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "CACHE_BYTES",
    "SECURITY_HEADERS",
    "Gone",
    "Moved",
    "RenderCache",
    "SecurityHeaders",
    "add_error_handlers",
    "error_responses",
    "to_json",
]

log = logging.getLogger("storyline.web")

# Rendered pages kept per snapshot; an event page is 20-60 kB, so this bounds the cache
# at about 64 MB while holding every page of a 10,000-article store that gets visited.
CACHE_BYTES = 64 * 1024 * 1024
SECURITY_HEADERS = (
    ("content-security-policy", "default-src 'self'; img-src 'self' data:; "
     "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
    ("x-frame-options", "DENY"),
)  # fmt: skip
ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {"status": {"type": "integer"}, "message": {"type": "string"}},
            "required": ["status", "message"],
        }
    },
    "required": ["error"],
}


class Moved(Exception):
    """An id that is now an alias: answered 301 to the same page of the id that lives on."""

    def __init__(self, old: str, new: str) -> None:
        super().__init__(f"{old} is now {new}")
        self.old, self.new = old, new


class Gone(StarletteHTTPException):
    """An id that names nothing any more: answered 410, with links to where its articles
    are now (``now``: id, title, href of each)."""

    def __init__(self, message: str, now: list[dict[str, str]]) -> None:
        super().__init__(410, message)
        self.now = now


def to_json(data: Any) -> bytes:
    """Return data as UTF-8 JSON."""
    return json.dumps(data, ensure_ascii=False, default=str).encode()


def error_responses(statuses: tuple[int, ...]) -> dict[int | str, dict[str, Any]]:
    """Return the OpenAPI description of a route's error answers."""
    content = {"application/json": {"schema": ERROR_SCHEMA}}
    return {status: {"description": "Error", "content": content} for status in statuses}


CacheKey = tuple[Any, ...]


class RenderCache:
    """Rendered responses by (snapshot version, route, parameters), least recently used
    dropped first once they pass CACHE_BYTES.

    Requests that miss on the same key at once wait for the first to render it, so a
    burst of readers on a new page costs one rendering, not one each."""

    def __init__(self, limit: int = CACHE_BYTES) -> None:
        self._items: OrderedDict[CacheKey, tuple[bytes, str]] = OrderedDict()
        self._size = 0
        self._limit = limit
        self._lock = threading.Lock()
        self._making: dict[CacheKey, threading.Lock] = {}

    def fetch(self, key: CacheKey, make: Callable[[], tuple[bytes, str]]) -> tuple[bytes, str]:
        """Return the cached response of a key, making (and keeping) it when missing."""
        found = self.get(key)
        if found is not None:
            return found
        with self._lock:
            gate = self._making.setdefault(key, threading.Lock())
        try:
            with gate:
                found = self.get(key)
                if found is None:
                    found = make()  # errors (404 ...) propagate and are not kept
                    self.put(key, *found)
                return found
        finally:
            with self._lock:
                self._making.pop(key, None)

    def get(self, key: CacheKey) -> tuple[bytes, str] | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: CacheKey, body: bytes, media: str) -> None:
        with self._lock:
            if key in self._items:
                return
            self._items[key] = (body, media)
            self._size += len(body)
            while self._size > self._limit and self._items:
                _, (old, _) = self._items.popitem(last=False)
                self._size -= len(old)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._size = 0


def _wants_json(request: Request) -> bool:
    """Return True when an error should be answered as JSON rather than as a page."""
    if request.url.path.endswith(".json"):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def _message(request: Request, status: int, detail: Any) -> str:
    """Return the message of an HTTP error, Starlette's bare phrases made specific."""
    if status == 404 and detail == "Not Found":
        return f"no page at {request.url.path[:200]}"
    if status == 405:
        return f"{request.method} is not allowed on {request.url.path[:200]}"
    return str(detail)


def _validation_message(exc: RequestValidationError) -> str:
    """Return one line naming each bad parameter and what is wrong with it."""
    parts = []
    for error in exc.errors():
        where = [str(p) for p in error.get("loc", ()) if p not in ("query", "path", "body")]
        parts.append(f"{'.'.join(where) or 'request'}: {error.get('msg', 'invalid')}")
    return "invalid parameters: " + "; ".join(parts)


ErrorPage = Callable[[int, str, list[dict[str, str]] | None], bytes]


def moved_to(request: Request, old: str, new: str) -> str:
    """Return the address of the same page (HTML or JSON twin, same query) under a new id."""
    head, _, last = request.url.path.rpartition("/")
    tail = last[len(old) :] if last.startswith(old) else ""
    query = f"?{request.url.query}" if request.url.query else ""
    return f"{head}/{new}{tail}{query}"


def add_error_handlers(app: FastAPI, page: ErrorPage) -> None:
    """Answer every error in the one shape: JSON, or the HTML ``page(status, message, now)``
    (``now``: for a 410, the links to where the gone id's articles are)."""

    def respond(
        request: Request, status: int, message: str, now: list[dict[str, str]] | None = None
    ) -> Response:
        if _wants_json(request):
            error: dict[str, Any] = {"status": status, "message": message}
            if now is not None:
                error["now"] = now
            return JSONResponse({"error": error}, status_code=status)
        return HTMLResponse(page(status, message, now), status_code=status)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        now = exc.now if isinstance(exc, Gone) else None
        message = _message(request, exc.status_code, exc.detail)
        return respond(request, exc.status_code, message, now)

    async def moved(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Moved)
        return RedirectResponse(moved_to(request, exc.old, exc.new), status_code=301)

    async def invalid(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return respond(request, 422, _validation_message(exc))

    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("error answering %s %s", request.method, request.url.path)
        return respond(request, 500, "internal error: the server logged it")

    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Moved, moved)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(Exception, unexpected)


class HeadAsGet:
    """Answers HEAD on every GET route: the GET's status and headers, without its body (pure
    ASGI, so the routes and the OpenAPI document list GET alone)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_headers_only)


class SecurityHeaders:
    """Adds SECURITY_HEADERS to every response (pure ASGI: no per-request task)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS:
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)
