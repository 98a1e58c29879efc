"""TempEval-3 Task A scoring of the temporal-expression stage on TimeML (.tml) documents.

The figures follow the official TE3 toolkit (UzZaman et al. 2013, ``evaluate_entities.py``):
a system expression and a gold one match *relaxed* when their spans overlap (one-to-one),
*strictly* when the spans are identical. Precision is over system expressions, recall over
gold ones. An attribute (type, value) counts for a relaxed pair only when equal; its
accuracy is over the relaxed pairs and its F1 is that accuracy times the relaxed F1, which
is the toolkit's "Attribute F1" (value F1 is the task's headline figure).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import ElementTree as SafeET

from storyline.errors import InputError
from storyline.models import Timex
from storyline.temporal.timexes import find_timexes

Tagger = Callable[[str, "dt.date | None"], list[Timex]]


@dataclass(frozen=True)
class GoldTimex:
    """One TIMEX3 annotated inside a document's TEXT."""

    start: int
    end: int
    text: str
    type: str
    value: str


@dataclass(frozen=True)
class TmlDoc:
    """A TimeML document reduced to what timex scoring needs."""

    path: Path
    text: str
    dct: dt.date | None
    gold: tuple[GoldTimex, ...]


@dataclass
class _Counts:
    n_gold: int = 0
    n_system: int = 0
    relaxed: int = 0
    strict: int = 0
    type_ok: int = 0
    value_ok: int = 0


def _tag(element: Element) -> str:
    """Return the element's tag without any XML namespace."""
    return str(element.tag).rsplit("}", 1)[-1]


def _flatten(element: Element, parts: list[str], gold: list[GoldTimex]) -> None:
    """Append the element's plain text to parts, recording every TIMEX3 inside it."""
    start = sum(map(len, parts))
    parts.append(element.text or "")
    for child in element:
        _flatten(child, parts, gold)
        parts.append(child.tail or "")
    if _tag(element) == "TIMEX3":
        text = "".join(element.itertext())
        kind, value = element.get("type", ""), element.get("value", "")
        gold.append(GoldTimex(start, start + len(text), text, kind, value))


def _dct(root: Element) -> dt.date | None:
    """Return the document creation date from the CREATION_TIME TIMEX3, if readable."""
    for timex in root.iter():
        if _tag(timex) == "TIMEX3" and timex.get("functionInDocument") == "CREATION_TIME":
            try:
                return dt.date.fromisoformat(timex.get("value", "")[:10])
            except ValueError:
                return None
    return None


def read_tml(path: Path) -> TmlDoc:
    """Return the plain TEXT, creation date and gold TIMEX3 spans of one TimeML file."""
    try:
        root = SafeET.parse(path).getroot()
    except (ParseError, OSError, ValueError) as exc:
        raise InputError(str(path), f"not a readable TimeML file ({exc})") from exc
    texts = [e for e in root.iter() if _tag(e) == "TEXT"]
    if not texts:
        raise InputError(str(path), "no <TEXT> element")
    parts: list[str] = []
    gold: list[GoldTimex] = []
    _flatten(texts[0], parts, gold)
    gold.sort(key=lambda g: g.start)
    return TmlDoc(path, "".join(parts), _dct(root), tuple(g for g in gold if g.text.strip()))


def _pairs(gold: tuple[GoldTimex, ...], system: list[Timex]) -> list[tuple[GoldTimex, Timex]]:
    """Return one-to-one gold/system pairs whose spans overlap, largest overlap first."""
    candidates = []
    for gi, g in enumerate(gold):
        for si, s in enumerate(system):
            overlap = min(g.end, s.end) - max(g.start, s.start)
            if overlap > 0:
                candidates.append((-overlap, gi, si))
    used_gold: set[int] = set()
    used_system: set[int] = set()
    pairs = []
    for _, gi, si in sorted(candidates):
        if gi not in used_gold and si not in used_system:
            used_gold.add(gi)
            used_system.add(si)
            pairs.append((gold[gi], system[si]))
    return pairs


def _context(doc: TmlDoc, start: int, end: int, width: int = 80) -> str:
    """Return the expression in brackets with some text either side, on one line."""
    text = doc.text
    shown = text[max(0, start - width) : start] + "[" + text[start:end] + "]"
    return (shown + text[end : end + width]).replace("\n", " ")


def _mismatches(
    doc: TmlDoc, pairs: list[tuple[GoldTimex, Timex]], system: list[Timex]
) -> list[dict[str, Any]]:
    """Return the document's errors: missed, spurious, and pairs with a wrong span/type/value."""
    paired_gold = {id(g) for g, _ in pairs}
    paired_system = {id(s) for _, s in pairs}
    rows: list[dict[str, Any]] = []
    for g in doc.gold:
        if id(g) not in paired_gold:
            rows.append(_row(doc, "missed", g, None))
    for s in system:
        if id(s) not in paired_system:
            rows.append(_row(doc, "spurious", None, s))
    for g, s in pairs:
        wrong = [
            name
            for name, bad in (
                ("span", (g.start, g.end) != (s.start, s.end)),
                ("type", g.type != s.type),
                ("value", g.value != (s.value or "")),
            )
            if bad
        ]
        if wrong:
            rows.append(_row(doc, "+".join(wrong), g, s))
    return rows


def _row(doc: TmlDoc, kind: str, g: GoldTimex | None, s: Timex | None) -> dict[str, Any]:
    """Return one mismatch as a flat record."""
    at = g if g is not None else s
    assert at is not None
    return {
        "doc": doc.path.name,
        "kind": kind,
        "gold": g.text if g else None,
        "gold_type": g.type if g else None,
        "gold_value": g.value if g else None,
        "system": s.text if s else None,
        "type": s.type if s else None,
        "value": s.value if s else None,
        "at": at.start,
        "context": _context(doc, at.start, at.end),
    }


def _score(doc: TmlDoc, system: list[Timex], counts: _Counts) -> list[tuple[GoldTimex, Timex]]:
    """Add one document's matches to counts and return its relaxed pairs."""
    pairs = _pairs(doc.gold, system)
    counts.n_gold += len(doc.gold)
    counts.n_system += len(system)
    counts.relaxed += len(pairs)
    counts.strict += sum((g.start, g.end) == (s.start, s.end) for g, s in pairs)
    counts.type_ok += sum(g.type == s.type for g, s in pairs)
    counts.value_ok += sum(g.value == (s.value or "") for g, s in pairs)
    return pairs


def _ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def figures(counts: _Counts) -> dict[str, float]:
    """Return the TE3 precision, recall and F1 figures of the accumulated counts."""
    rp, rr = _ratio(counts.relaxed, counts.n_system), _ratio(counts.relaxed, counts.n_gold)
    sp, sr = _ratio(counts.strict, counts.n_system), _ratio(counts.strict, counts.n_gold)
    relaxed_f1 = _f1(rp, rr)
    type_accuracy = _ratio(counts.type_ok, counts.relaxed)
    value_accuracy = _ratio(counts.value_ok, counts.relaxed)
    found = {
        "relaxed_f1": relaxed_f1,
        "strict_f1": _f1(sp, sr),
        "relaxed_precision": rp,
        "relaxed_recall": rr,
        "strict_precision": sp,
        "strict_recall": sr,
        "type_accuracy": type_accuracy,
        "value_accuracy": value_accuracy,
        "value_f1": value_accuracy * relaxed_f1,
        "type_f1": type_accuracy * relaxed_f1,
    }
    return {name: round(number, 4) for name, number in found.items()}


def tml_files(folder: Path) -> list[Path]:
    """Return every .tml file under folder, recursively, in a stable order."""
    return sorted(p for p in folder.rglob("*.tml") if p.is_file())


def evaluate_timex(
    folder: Path,
    errors: bool = False,
    files: list[Path] | None = None,
    tagger: Tagger = find_timexes,
) -> dict[str, Any]:
    """Return TempEval-3 timex figures of the tagger over the TimeML files under folder.

    ``files`` restricts the run to those paths (a held-out split, say); ``errors=True`` adds
    an ``"errors"`` list of every mismatch, for development. A file that is not readable
    TimeML raises InputError naming it.
    """
    began = time.perf_counter()
    paths = files if files is not None else tml_files(folder)
    if not paths:
        raise InputError(str(folder), "no .tml files found")
    counts = _Counts()
    found_errors: list[dict[str, Any]] = []
    for path in paths:
        doc = read_tml(path)
        system = tagger(doc.text, doc.dct)
        pairs = _score(doc, system, counts)
        if errors:
            found_errors.extend(_mismatches(doc, pairs, system))
    result: dict[str, Any] = dict(figures(counts))
    result.update(n_docs=len(paths), n_gold=counts.n_gold, n_system=counts.n_system)
    result["seconds"] = round(time.perf_counter() - began, 4)
    if errors:
        result["errors"] = found_errors
    return result
