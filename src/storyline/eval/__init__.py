"""Benchmark runners and their metrics."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import InputError


def jsonl_rows(path: Path) -> Iterator[tuple[dict[str, Any], str]]:
    """Yield each JSON object of a JSONL or JSONL.gz file with its "path:line" reference;
    raise InputError naming the file or line that cannot be read."""
    opener = gzip.open if path.name.endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                ref = f"{path}:{number}"
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise InputError(ref, f"not JSON: {exc.msg}") from exc
                if not isinstance(row, dict):
                    raise InputError(ref, "each line must be a JSON object")
                yield row, ref
    except (OSError, UnicodeDecodeError, EOFError) as exc:
        raise InputError(str(path), f"cannot read it ({_why(exc)}): check the path") from exc


def _why(exc: Exception) -> str:
    """Return why a file could not be read, in words (no exception text)."""
    if isinstance(exc, OSError):
        return (exc.strerror or "an operating-system error").lower()
    if isinstance(exc, UnicodeDecodeError):
        return "not UTF-8 text"
    return "it ends too early: a truncated gzip file?"
