"""Temporal expressions (TimeML TIMEX3): every date, time, duration and set in a text, with
its normalised value, HeidelTime-style (rules, no model).

Rules (``dates``, ``periods``, ``relative``, ``spans``) propose
candidates, each rule scanning only short windows around its anchor words; the longest
non-overlapping ones are kept and resolved in text order, so that anaphora ("the next day",
"a year earlier") can lean on the latest date mentioned while deictic expressions
("yesterday", "last week", "Friday") count from the reference date, the document creation
time of news. Without a reference date relative expressions keep ``value=None``; nothing is
guessed.
"""

from __future__ import annotations

import datetime as dt
import re

from storyline.models import Timex
from storyline.temporal import dates, periods, relative
from storyline.temporal import spans as span_rules
from storyline.temporal.context import TOKEN, Cand, Ctx, Rule, token_key
from storyline.temporal.words import MONTHS, NOT_A_NOUN, WEEKDAYS

__all__ = ["MONTHS", "WEEKDAYS", "find_timexes"]

_RULES: tuple[Rule, ...] = dates.RULES + periods.RULES + relative.RULES + span_rules.RULES
# Which rules each anchor token wakes up.
_BY_ANCHOR: dict[str, tuple[int, ...]] = {}
for _rank, _rule in enumerate(_RULES):
    for _anchor in _rule.anchors:
        _BY_ANCHOR[_anchor] = (*_BY_ANCHOR.get(_anchor, ()), _rank)


def _windows(text: str) -> dict[int, list[tuple[int, int]]]:
    """Return, per rule, the merged stretches of text around its anchors, widened to
    whole words so no match is cut."""
    hits: dict[int, list[tuple[int, int]]] = {}
    for token in TOKEN.finditer(text):
        ranks = _BY_ANCHOR.get(token_key(token.group()))
        if ranks:
            for rank in ranks:
                hits.setdefault(rank, []).append(token.span())
    size = len(text)
    windows: dict[int, list[tuple[int, int]]] = {}
    for rank, spans in hits.items():
        before, after = _RULES[rank].before, _RULES[rank].after
        merged: list[tuple[int, int]] = []
        for start, end in spans:
            lo, hi = max(0, start - before), min(size, end + after)
            if merged and lo <= merged[-1][1]:
                merged[-1] = (merged[-1][0], hi)
            else:
                merged.append((lo, hi))
        windows[rank] = [_whole_words(text, lo, hi) for lo, hi in merged]
    return windows


def _whole_words(text: str, lo: int, hi: int) -> tuple[int, int]:
    """Return lo moved back and hi forward to word boundaries."""
    while lo > 0 and text[lo - 1].isalnum():
        lo -= 1
    while hi < len(text) and text[hi].isalnum():
        hi += 1
    return lo, hi


def _candidates(text: str) -> list[Cand]:
    """Return every candidate any rule proposes, each tagged with its rule's rank."""
    found: list[Cand] = []
    for rank, spans in _windows(text).items():
        rule = _RULES[rank]
        for lo, hi in spans:
            for m in rule.pattern.finditer(text, lo, hi):
                cand = rule.build(m, text)
                if cand is not None and cand.end > cand.start:
                    cand.priority = rank
                    found.append(cand)
    return found


def _select(found: list[Cand]) -> list[Cand]:
    """Return the non-overlapping candidates, longer ones (then earlier rules) winning."""
    chosen: list[Cand] = []
    taken: list[tuple[int, int]] = []
    for cand in sorted(found, key=lambda c: (c.start - c.end, c.priority, c.start)):
        if all(cand.end <= s or cand.start >= e for s, e in taken):
            chosen.append(cand)
            taken.append((cand.start, cand.end))
    return sorted(chosen, key=lambda c: c.start)


# After a hyphenated expression ("the 14-day", "the third-quarter") a lower-case word that
# is not NOT_A_NOUN is the noun it modifies, and "the" is that noun's article: TimeBank
# spans "the [14-day] waiting period", "the [third-quarter] loss".
_NEXT_WORD = re.compile(r"[ \t]+([a-z][a-z'’-]*)")


def _article_start(text: str, cand: Cand) -> int:
    """Return where the expression starts once the article of a noun it modifies is left
    out; "the" stays when the expression is itself the noun phrase ("the past decade")."""
    if text[cand.start : cand.start + 4].lower() != "the ":
        return cand.start
    if "-" not in text[cand.start : cand.end].rsplit(" ", 1)[-1]:
        return cand.start
    m = _NEXT_WORD.match(text, cand.end)
    if m is None or NOT_A_NOUN.fullmatch(m.group(1)):
        return cand.start
    return cand.start + 4


def find_timexes(text: str, reference: dt.date | None = None) -> list[Timex]:
    """Return the temporal expressions in text, in order, resolved against reference."""
    ctx = Ctx(text, reference)
    out: list[Timex] = []
    for cand in _select(_candidates(text)):
        cand.start = _article_start(text, cand)
        ctx.at(cand.start, cand.end)
        value = cand.value(ctx) if callable(cand.value) else cand.value
        if value and value.startswith("-"):
            value = None  # moved before year 0 ("29 centuries earlier"): no TIMEX3 year
        if cand.type in ("DATE", "TIME") and cand.notes:
            ctx.note(value, cand.end, explicit=not callable(cand.value))
        elif cand.type == "DURATION":
            ctx.note_span(value, cand.end)
        out.append(
            Timex(
                cand.start,
                cand.end,
                text[cand.start : cand.end],
                cand.type,
                value,
                mod=cand.mod,
                quant=cand.quant,
                freq=cand.freq,
            )
        )
    return out
