"""Reading an ingest form: the body within the upload limit, a form that came from the
app's own page, and the uploaded files written where the ingest job can read them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import HTTPException, Request
from starlette.datastructures import FormData, UploadFile
from starlette.types import Message, Receive

from storyline.web.ingest_jobs import safe_name

__all__ = ["FORM_OVERHEAD", "MAX_FILES", "Submitted", "read_form", "save_uploads"]

MAX_FILES = 100  # per upload
# Multipart framing (boundaries, part headers) on top of the files themselves.
FORM_OVERHEAD = 64 * 1024
MAX_CONTENT_LENGTH_DIGITS = 18  # past a petabyte a Content-Length is not a number we read


@dataclass
class Submitted:
    """What an ingest form asks for: files, or a URL (one of them)."""

    files: list[UploadFile]
    url: str


def too_large(limit: int) -> str:
    """Return the message for an upload over ``limit`` bytes."""
    return f"upload larger than the {limit / 1024 / 1024:.3g} MB limit: send fewer or smaller files"


async def read_form(request: Request, limit: int) -> tuple[FormData, Submitted]:
    """Return the posted form and what it asks for; raise 403 for a form from another
    site, 413 past ``limit`` bytes of files, 400 for a malformed or empty form."""
    _same_origin(request)
    body = await _read_body(request, limit + FORM_OVERHEAD, too_large(limit))
    replay = Request(request.scope, _replay(body))
    form = await replay.form(max_files=MAX_FILES, max_fields=MAX_FILES + 10)
    files = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
    url = form.get("url")
    url = url.strip() if isinstance(url, str) else ""
    problem = None
    if not files and not url:
        problem = (400, "nothing to ingest: choose files (field 'files') or give a 'url'")
    elif files and url:
        problem = (400, "give files or a URL, not both")
    elif sum(f.size or 0 for f in files) > limit:
        problem = (413, too_large(limit))
    if problem is not None:
        await form.close()
        raise HTTPException(*problem)
    return form, Submitted(files, url)


async def _read_body(request: Request, limit: int, message: str) -> bytes:
    """Return the request body; raise 413 as soon as it passes ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit() or len(declared) > MAX_CONTENT_LENGTH_DIGITS:
            raise HTTPException(400, "malformed Content-Length header")
        if int(declared) > limit:
            raise HTTPException(413, message)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HTTPException(413, message)
        chunks.append(chunk)
    return b"".join(chunks)


def _replay(body: bytes) -> Receive:
    """Return an ASGI receive that hands over an already-read body."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


def _same_origin(request: Request) -> None:
    """Refuse a form posted from another site: a page elsewhere cannot feed this store."""
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return
    if urlsplit(origin).netloc != request.headers.get("host", ""):
        raise HTTPException(403, "cross-site form posts are refused: use the app's own form")


def save_uploads(files: list[UploadFile], folder: Path) -> tuple[list[str], list[str]]:
    """Return the paths the uploaded files were written to, and their names as sent."""
    paths, names = [], []
    for n, upload in enumerate(files, 1):
        name = safe_name(upload.filename, n)
        path = folder / name
        if path.exists():
            path = folder / f"{n}-{name}"
        with path.open("wb") as out:
            upload.file.seek(0)
            while chunk := upload.file.read(1 << 20):
                out.write(chunk)
        paths.append(str(path))
        names.append(upload.filename or name)
    return paths, names
