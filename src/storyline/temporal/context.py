"""What a timex rule produces (a candidate with a deferred value) and what resolving it can
look at: the reference date, the clause's tense and the dates mentioned so far."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from storyline.models import iso_day
from storyline.temporal.values import granularity, unit_value
from storyline.text import DIRECTION_CUES, FUTURE, PAST, SENTENCE_BREAK, tense

# A mention this close before an expression (and in the same sentence) sets the granularity
# of "a year ago": "profit fell in the third quarter from a year ago" means 2022-Q3.
SAME_SENTENCE_WINDOW = 250
# A tense cue this close (characters) is the expression's own verb and outweighs the
# nearness of a yearless date to the reference ("was sold in November" said in October).
FIRM_GAP = 12
# Chosen on the TimeBank/AQUAINT tuning split: larger gaps overruled right answers.
# A duration of this many months ("the nine months", "six months") is a reporting period
# longer than a quarter, and a comparison this close after it (characters) refers to the
# year before: "for the nine months ... compared with a year earlier" is last year, not
# last year's quarter. Chosen on the TimeBank half (earnings reports; AQUAINT has none).
SPAN_MONTHS = (4, 11)
SPAN_REACH = 600
_MONTHS_SPAN = re.compile(r"^P(\d+)M$")
# Prepositions of a deadline, before which a past verb says nothing of the date's year
# ("extended to Nov. 20"), and the ones that set a weekday ahead ("until Tuesday").
_DEADLINE = re.compile(r"\b(?:to|until|till|by|through|before)\s+$", re.IGNORECASE)
_WEEKDAY_DEADLINE = re.compile(r"\b(?:until|till|by)\s+$", re.IGNORECASE)
# A deadline of a date or month is ahead of the news that sets it, whatever the verb's
# tense ("extended loans through January", "pay down the loan by February").
_AHEAD = re.compile(r"\b(?:until|till|through|by)\s+$", re.IGNORECASE)
# "Since" opens a span reaching up to now, so what follows it lies in the past whatever
# else the clause says ("on patrol since March and scheduled to return", "since shortly
# after the Oct. 23 slaying").
_SINCE = re.compile(
    r"\b(?i:since)\s+(?:(?i:shortly|just|soon|right|early|late|mid|before|after|the|its|"
    r"their|his|her|a)[\s-]+)*$"
)

# A reporting verb right before the expression dates the saying: "said on Friday that he
# would ..." is past, whatever the clause it reports.
_REPORTED_ON = re.compile(r"\b(?:said|told\s+\w+|added|noted|stated|announced)\s+(?:on\s+)?$")


class Ctx:
    """Resolution state, updated in text order: the reference date (document creation
    time), the latest specific date or time mentioned, and the tense near a span."""

    def __init__(self, text: str, ref: dt.date | None) -> None:
        self.text = text
        self.ref = ref
        self.last: str | None = None  # value of the latest dated mention
        self.last_end = -1
        self.last_explicit = False
        self.last_quarter: str | None = None
        self.last_span_end = -1  # end of the latest "nine months"-like reporting span
        self.start = self.end = 0
        self._tense: tuple[int, int] | None = None

    def at(self, start: int, end: int) -> None:
        """Move to the expression at start:end."""
        self.start, self.end, self._tense = start, end, None

    def direction(self) -> int:
        """Return +1 when the clause around the expression is future, -1 past, 0 unknown."""
        if self._tense is None:
            if _SINCE.search(self.text, max(0, self.start - 40), self.start):
                self._tense = (PAST, 0)
            elif _AHEAD.search(self.text, max(0, self.start - 10), self.start):
                self._tense = (FUTURE, DIRECTION_CUES.reach)
            elif _REPORTED_ON.search(self.text, max(0, self.start - 24), self.start):
                self._tense = (PAST, 0)
            else:
                found = tense(self.text, self.start, self.end, DIRECTION_CUES)
                self._tense = (found.sign, found.gap)
        return self._tense[0]

    def firm(self) -> bool:
        """Return True when the tense cue is the verb right before the expression ("was
        sold in November"); deadlines ("extended to Nov. 20", "until", "by") are not."""
        self.direction()
        if self._tense is None or not 0 <= self._tense[1] <= FIRM_GAP:
            return False
        return _DEADLINE.search(self.text, max(0, self.start - 10), self.start) is None

    def deadline(self) -> bool:
        """Return True when the expression follows "until" or "by": a deadline, which
        news sets ahead ("has until Tuesday", "postponed until Friday")."""
        return _WEEKDAY_DEADLINE.search(self.text, max(0, self.start - 8), self.start) is not None

    def note(self, value: str | None, end: int, explicit: bool) -> None:
        """Remember a resolved calendar value as the anchor of later anaphora; explicit
        values (written out in full) also move the narrative away from the reference."""
        if value and granularity(value):
            self.last, self.last_end, self.last_explicit = value, end, explicit
            # Year-on-year comparisons are about the reported quarter: a finished one, not
            # the current or a forecast one, and the latest of those ("after a flat second
            # quarter" in a third-quarter report is a contrast, not the subject).
            if granularity(value) == "quarter" and (
                self.ref is None or value < unit_value(self.ref, "quarter", 0)
            ):
                self.last_quarter = max(value, self.last_quarter or value)

    def note_span(self, value: str | None, end: int) -> None:
        """Remember a reporting span of several months ("the first nine months"): comparisons
        right after it ("a year earlier") are about the year, not a quarter."""
        m = _MONTHS_SPAN.match(value or "")
        if m and SPAN_MONTHS[0] <= int(m.group(1)) <= SPAN_MONTHS[1]:
            self.last_span_end = end

    def span_year(self) -> bool:
        """Return True when a months-long reporting span is the latest period mentioned,
        close before the expression."""
        return self.last_end < self.last_span_end and self.start - self.last_span_end < SPAN_REACH

    def recent(self) -> str | None:
        """Return the latest mentioned value when it lies close before, in the same sentence."""
        if self.last is None or self.start - self.last_end > SAME_SENTENCE_WINDOW:
            return None
        between = self.text[self.last_end : self.start + 1]
        return None if SENTENCE_BREAK.search(between) else self.last

    def anchor_day(self) -> dt.date | None:
        """Return the day anaphora ("that day", "the next day") refer from."""
        return iso_day(self.last) or self.ref


Resolver = Callable[[Ctx], "str | None"]


@dataclass
class Cand:
    """A temporal expression found by a rule, its value still to be resolved in context."""

    start: int
    end: int
    type: str
    value: Resolver | str | None
    mod: str | None = None
    quant: str | None = None
    freq: str | None = None
    priority: int = 0  # breaks ties between equally long overlapping candidates
    notes: bool = True  # whether later anaphora may anchor on this expression


Builder = Callable[[re.Match[str], str], "Cand | None"]


@dataclass(frozen=True)
class Rule:
    """A pattern and the builder of candidates from its matches.

    The pattern only runs in windows around its anchors, tokens (lower-cased words, or
    "#year", "#num", "#decade", "#ord", "#clock" for numbers) one of which every match
    contains: ``before``/``after`` characters either side of an anchor bound a match.
    Scanning a few short windows instead of the whole text is what keeps the stage fast.
    """

    pattern: re.Pattern[str]
    build: Builder
    anchors: frozenset[str]
    before: int = 40
    after: int = 20


def rule(pattern: str, build: Builder, anchors: str, before: int = 40, after: int = 20) -> Rule:
    """Return a Rule from a pattern source and space-separated anchors."""
    return Rule(re.compile(pattern), build, frozenset(anchors.split()), before, after)


TOKEN = re.compile(r"\d+(?::\d\d)?[A-Za-z]*|[A-Za-z]+")


def token_key(token: str) -> str:
    """Return the anchor key of a token: the lower-cased word, or a class of number."""
    if not token[0].isdigit():
        return token.lower()
    if ":" in token:
        return "#clock"
    digits = token.rstrip("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
    suffix = token[len(digits) :].lower()
    if suffix in ("am", "pm"):
        return suffix
    if suffix in ("st", "nd", "rd", "th"):
        return "#ord"
    if suffix == "s" and digits.endswith("0"):
        return "#decade"
    if not suffix and len(digits) == 4 and 1600 <= int(digits) <= 2099:
        return "#year"
    return "#num"


def span_of(m: re.Match[str]) -> tuple[int, int]:
    """Return the span of the expression proper (group "x" when the pattern has context)."""
    return m.span("x") if "x" in m.groupdict() and m.group("x") is not None else m.span()
