"""Publication dates as feeds, pages and JSON give them, read into ISO 8601."""

from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from typing import Any

_DATE_ONLY = re.compile(r"\d{4}-?\d{2}-?\d{2}")
_TEXT_DATE_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%Y/%m/%d")


def normalise_date(raw: str) -> str | None:
    """Return ``raw`` as an ISO 8601 date or datetime, or None when it cannot be read."""
    text = raw.strip()
    if _DATE_ONLY.fullmatch(text):
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            return None
    for parse in (datetime.fromisoformat, parsedate_to_datetime):
        try:
            return parse(text).isoformat()
        except (TypeError, ValueError, IndexError):
            continue
    for fmt in _TEXT_DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def read_published(raw: object) -> tuple[str | None, dict[str, Any]]:
    """Return the normalised publication date and meta keeping ``raw`` if it could not be read."""
    if raw is None or raw == "":
        return None, {}
    iso = normalise_date(raw) if isinstance(raw, str) else None
    return (iso, {}) if iso else (None, {"published_raw": raw})
