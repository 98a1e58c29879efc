"""Date articles: the publication date as given, inferred from the text, or from event-mates.

Text mode reads the article's dated expressions as *clues*: a stamp at the head of the
page fixes the day; a date, month or year the text surely speaks of as past is a lower
bound and an "Updated:" stamp an upper one; a weekday-date pair ("Wednesday, October 18")
is placed in the one year of those bounds that has it and bounds the day by its tense;
bare weekdays ("on Tuesday") then narrow a week-long range to the days on which they read
as one week. Corpus mode scores each candidate day by how well the mates' dates and the
article's own clues fit it. What the evidence cannot support stays a range.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from storyline.models import Article, DateRange, iso_day
from storyline.stages.clean.tokenised import untokenise
from storyline.temporal.timexes import find_timexes
from storyline.text import BOUND_CUES, FUTURE, PAST, UNKNOWN, tense

_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_AT = re.compile(r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?,?\s*$")
_BARE_WEEKDAY = re.compile(r"^(?:(last|this|next)\s+)?(" + "|".join(_DAY_NAMES) + r")\b", re.I)
_CLOCK_AFTER = re.compile(r"\s*[;,-]?\s*(?:at\s+)?\d{1,2}:?\d\d\b")
_CLOCK_BEFORE = re.compile(r"\d{1,2}[:.]\d\d(?:\s*[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?(?:\s+on)?,?\s*$")
# "in this Tuesday, Feb. 10, 2009 file photo": an archive picture, older than the page.
_FILE_PHOTO = re.compile(r"[,\s]*(?:\w+\s+){0,2}file\s+(?:photo|picture|image)", re.I)
_DATELINE_AGENCY = re.compile(r"\s*\(\w[\w .]*\)")  # "NEW YORK, Oct 6 (Reuters) -"
_DATELINE_DASH = re.compile(r"\s*(?:--|—)")  # "NASHVILLE, Oct. 7 --"


# A date this close to the top of the page (characters) is the page's own stamp, dateline
# or lead caption: Reuters, BBC, AP and Washington Post pages all open with one.
HEADER_CHARS = 250
# A deadline word right before the expression ("by 2020", "starting in July") hides its tense.
_DEADLINE_BEFORE = re.compile(
    r"\b(?:by|until|till|before|through|to|into|beyond|after|from|ahead\s+of|"
    r"(?:due|starting|beginning)(?:\s+(?:in|on|by))?)\s+"
    r"(?:the\s+)?(?:(?:end|start|beginning|middle)\s+of\s+)?$",
    re.I,
)
# A year or month is a time adverbial ("in 2009", "since May 2008") only after these; a year
# before a noun names a thing ("the 2012 Games", "London 2012"), not a time.
_ADVERBIAL_BEFORE = re.compile(
    r"\b(?:in|during|since|of|early|late|mid)\b[\s-]*"
    r"(?:(?:the\s+)?(?:start|beginning|middle|end|spring|summer|autumn|fall|winter)\s+of\s+)?$",
    re.I,
)
# A year's record, total or annual figure ("exports reached a record €7.4 billion in 2024") is
# known only once the year is over. On Timeline17 14 of the 15 past-tense years after such
# a figure were before the publication year (the 15th was in fact present tense).
_YEAR_FIGURE_BEFORE = re.compile(
    r"\b(?:record|total|annual|full[- ]year)\b[^.;,]{0,40}?"
    r"(?:(?:US)?[$€£¥]\s?\d|\d[\d,.]*\s*(?:%|percent|billion|million|bn\b))[^.;,]{0,25}\bin\s+$",
    re.I,
)
# A date the page gives for its own making ("This article was amended on 6 May 2010"):
# on or after publication, never a day the story looks back on.
_PAGE_EVENT_BEFORE = re.compile(
    r"\b(?:amended|corrected|correction|updated|broadcast|printed|appeared|posted|published|"
    r"added)\b[^.!?\n]{0,60}$",
    re.I,
)

_MONTHDAY_KINDS = ("monthday", "dateline", "dateline_print")


@dataclass(frozen=True)
class Clue:
    """One dated expression of an article and what it says about the publication date."""

    # stamp | posted | full (dates with a year) | monthday | dateline | dateline_print
    # (without) | month | year | weekday | dayword
    kind: str
    text: str
    start: int  # offset in the normalised text
    tense: int = UNKNOWN  # the nearest tense cue's
    sure: bool = False  # an adverbial with no cue of another tense nearby: safe for a bound
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    over: bool = False  # a year the text gives a full-year figure for: it is over


def _clue_tense(text: str, start: int, end: int) -> tuple[int, bool]:
    """Return the tense a clue is spoken of in and whether its sentence holds no cue of
    another; a deadline word right before it ("by 2020") hides it."""
    if _DEADLINE_BEFORE.search(text, max(0, start - 30), start):
        return UNKNOWN, False
    found = tense(text, start, end, BOUND_CUES)
    return found.sign, found.sure


def clues(article: Article) -> tuple[Clue, ...]:
    """Return the dated expressions of the article's text, each with its tense (read in
    dating_text)."""
    return _clues_of(dating_text(article))


def dating_text(article: Article) -> str:
    """Return the text dating reads: the page's lines as they were, the furniture the cleaner
    removed but that still says when the page was published (stamps, datelines and bylines
    cut from a line, captions, reader comments) back in place (meta "page_order")."""
    order = article.meta.get("page_order")
    if not isinstance(order, list):
        return article.text
    paragraphs, removed = article.text.split("\n\n"), article.removed

    def piece(k: int) -> str:
        if k >= 0:
            return paragraphs[k] if k < len(paragraphs) else ""
        return removed[-k - 1].text if -k <= len(removed) else ""

    return "\n\n".join(" ".join(piece(k) for k in line) for line in order)


@lru_cache(maxsize=4096)
def _clues_of(text: str) -> tuple[Clue, ...]:
    norm = untokenise(text)
    return tuple(c for t in find_timexes(norm, None) if (c := _clue(norm, t.start, t.end, t.value)))


def _clue(text: str, start: int, end: int, value: str | None) -> Clue | None:
    words = text[start:end]
    if value is None:
        return _relative_clue(text, start, end)
    if not _literal(words, value):
        return None
    tense, sure = _clue_tense(text, start, end)
    if re.match(r"^\d{4}(-\d\d)?$", value):
        # the words before a bare year may be inside the span ("the end of 2015")
        inside = words[: words.find(value[:4])] if len(value) == 4 else ""
        sure = (
            sure and _ADVERBIAL_BEFORE.search(text[max(0, start - 30) : start] + inside) is not None
        )
    if m := re.match(r"^(\d{4})-(\d\d)-(\d\d)", value):
        y, mo, d = (int(g) for g in m.groups())
        wd = _weekday_near(text, start, end)
        if wd is not None and safe_date(y, mo, d) and dt.date(y, mo, d).weekday() != wd:
            return None  # a weekday that contradicts the date: a typo or a misreading
        clock = "T" in value or _CLOCK_AFTER.match(text, end) is not None
        clock = clock or _CLOCK_BEFORE.search(text, max(0, start - 40), start) is not None
        kind = "full"
        dateline = _DATELINE_AGENCY.match(text, end) or _DATELINE_DASH.match(text, end)
        stamp_like = clock or wd is not None or dateline is not None
        if start < HEADER_CHARS and stamp_like and not _FILE_PHOTO.match(text, end):
            kind = "stamp"
        elif clock or _PAGE_EVENT_BEFORE.search(text, max(0, start - 80), start):
            kind = "posted"
        return Clue(kind, words, start, tense, sure, y, mo, d, wd)
    if m := re.match(r"^XXXX-(\d\d)-(\d\d)$", value):
        kind = "monthday"
        if start < HEADER_CHARS and _DATELINE_AGENCY.match(text, end):
            kind = "dateline"
        elif start < HEADER_CHARS and _DATELINE_DASH.match(text, end):
            kind = "dateline_print"
        wd = _weekday_near(text, start, end)
        return Clue(kind, words, start, tense, sure, None, int(m[1]), int(m[2]), wd)
    if m := re.match(r"^(\d{4})(?:-(\d\d))?$", value):
        month = int(m[2]) if m[2] else None
        over = (
            not month and _YEAR_FIGURE_BEFORE.search(text, max(0, start - 100), start) is not None
        )
        kind = "month" if month else "year"
        return Clue(kind, words, start, tense, sure, int(m[1]), month, over=over and sure)
    return None


def _literal(words: str, value: str) -> bool:
    """Return whether the expression itself names the year of its value.

    Values resolved from other words ("two days later", "21 years later") rest on the
    normaliser's reading of the story's own time line, not on the publication date; and
    fiscal years are not calendar years.
    """
    year = value[:4]
    return (not year.isdigit() or year in words) and "fiscal" not in words.lower()


def _weekday_near(text: str, start: int, end: int) -> int | None:
    words = text[start:end].lower()
    named = [i for i, name in enumerate(_DAY_NAMES) if name in words]
    if named:
        return named[0]
    m = _WEEKDAY_AT.search(text, max(0, start - 12), start)  # "Mon May 24, 2010 6:31 pm EDT"
    return [n[:3] for n in _DAY_NAMES].index(m.group(1).lower()) if m else None


def _relative_clue(text: str, start: int, end: int) -> Clue | None:
    words = text[start:end]
    if m := _BARE_WEEKDAY.match(words):
        rel = (m.group(1) or "").lower()
        tense, sure = _clue_tense(text, start, end)
        if rel in ("last", "next"):
            tense, sure = (PAST if rel == "last" else FUTURE), True
        weekday = _DAY_NAMES.index(m.group(2).lower())
        return Clue("weekday", words, start, tense, sure, weekday=weekday)
    if words.lower() in ("today", "yesterday", "tomorrow", "tonight"):
        return Clue("dayword", words, start)
    return None


def safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def resolve_weekday(weekday: int, tense: int, day: dt.date) -> dt.date:
    """Return the date a bare weekday names when written on day: ahead if future, else back."""
    if tense == FUTURE:
        return day + dt.timedelta((weekday - day.weekday()) % 7)
    return day - dt.timedelta((day.weekday() - weekday) % 7)


# --- Text mode ---------------------------------------------------------------------------


@dataclass
class Bounds:
    """Earliest and latest possible publication day, each with the words that set it."""

    low: dt.date | None = None
    high: dt.date | None = None
    low_why: str = ""
    high_why: str = ""

    def raise_low(self, day: dt.date, why: str) -> None:
        if self.low is None or day > self.low:
            self.low, self.low_why = day, why

    def lower_high(self, day: dt.date, why: str) -> None:
        if self.high is None or day < self.high:
            self.high, self.high_why = day, why

    def holds(self, day: dt.date) -> bool:
        return (self.low is None or day >= self.low) and (self.high is None or day <= self.high)

    def evidence(self) -> list[str]:
        return [why for why in (self.low_why, self.high_why) if why]


def date_article(article: Article) -> DateRange:
    """Return the article's publication date: given, a day inferred, or a range."""
    if article.published:
        given = article.published[:10]
        return DateRange(given, given, "given", [f"published: {article.published}"])
    return date_from_text(article)


def date_from_text(article: Article) -> DateRange:
    """Return the publication day or earliest-latest range the article's own text supports."""
    cl = clues(article)
    bounds = text_bounds(article, cl)
    for c in cl:
        if c.kind == "stamp" and c.year and c.month and c.day:
            day = dt.date(c.year, c.month, c.day)
            if bounds.holds(day):
                why = f"stamp {c.text!r} at the head of the page"
                return DateRange(day.isoformat(), day.isoformat(), "day", [why])
    pinned = _pin_weekday_dates(cl, bounds)
    _anchor_weekdays(cl, bounds, pinned)
    if bounds.low is None and bounds.high is None:
        return DateRange(None, None, "unknown", ["no stamp, dated clue or year in the text"])
    low = bounds.low.isoformat() if bounds.low else None
    high = bounds.high.isoformat() if bounds.high else None
    certainty = "day" if low is not None and low == high else "range"
    return DateRange(low, high, certainty, bounds.evidence())


def text_bounds(article: Article, cl: tuple[Clue, ...]) -> Bounds:
    """Return the bounds set by the update stamp and by dates and years spoken of as past."""
    bounds = Bounds()
    stamp = article.meta.get("updated_stamp")
    if isinstance(stamp, str) and (day := stamp_day(stamp)):
        bounds.lower_high(day, f"update stamp {stamp!r}: published on or before {day}")
    for c in cl:
        if c.kind in ("full", "month", "year") and c.tense == PAST and c.sure and c.year:
            first = first_day_after(c)
            if bounds.high is None or first <= bounds.high:
                how = "with a full-year figure" if c.over else "as past"
                bounds.raise_low(
                    first, f"{c.text!r} spoken of {how}: published on or after {first}"
                )
    return bounds


def first_day_after(c: Clue) -> dt.date:
    """Return the first day a past clue allows: its own, or the next year's for one over."""
    assert c.year is not None
    if c.over:
        return dt.date(c.year + 1, 1, 1)
    return dt.date(c.year, c.month or 1, c.day or 1)


def stamp_day(stamp: str) -> dt.date | None:
    """Return the day an update stamp ("Updated: 14 March 2024 09:12") names, if it names one."""
    for t in find_timexes(untokenise(stamp), None):
        if day := iso_day(t.value):
            return day
    return None


def _pin_weekday_dates(cl: tuple[Clue, ...], bounds: Bounds) -> list[dt.date]:
    """Return the days of the weekday-date pairs whose year the bounds decide, and tighten
    the bounds by each one's tense."""
    if bounds.low is None:
        return []
    # Without an upper bound the pair is taken to fall in the year of the lower bound or the
    # next: a page about a weekday-dated event seldom names no year later than two back.
    last = bounds.high.year if bounds.high else bounds.low.year + 1
    pinned = []
    for c in cl:
        if c.kind not in _MONTHDAY_KINDS or c.weekday is None or not c.month or not c.day:
            continue
        fits = [
            d
            for y in range(bounds.low.year, last + 1)
            if (d := safe_date(y, c.month, c.day)) and d.weekday() == c.weekday
        ]
        if len(fits) != 1:
            continue
        day = fits[0]
        pinned.append(day)
        why = f"{c.text!r} is a {_DAY_NAMES[c.weekday].title()} only in {day.year}"
        if c.tense == FUTURE:
            bounds.lower_high(day, f"{why}, spoken of as ahead: published on or before {day}")
        elif (c.tense == PAST and c.sure) or c.kind == "dateline":
            bounds.raise_low(day, f"{why}, spoken of as past: published on or after {day}")
    return pinned


def _anchor_weekdays(cl: tuple[Clue, ...], bounds: Bounds, pinned: list[dt.date]) -> None:
    """Narrow the range to the days on which the bare weekdays the text names fall, with
    the pinned weekday-dates, inside one week ("arrived on Tuesday" + "talks scheduled for
    Wednesday, October 18": written on Tuesday 17 or Wednesday 18)."""
    named = [c for c in cl if c.kind == "weekday" and c.weekday is not None]
    if bounds.low is None or bounds.high is None or not named:
        return
    if not pinned and (bounds.high - bounds.low).days > 7:
        return  # with nothing dated to anchor them, bare weekdays fit any week
    days = [bounds.low + dt.timedelta(n) for n in range((bounds.high - bounds.low).days + 1)]

    def one_week(day: dt.date) -> bool:
        dates = [day, *pinned, *(resolve_weekday(c.weekday or 0, c.tense, day) for c in named)]
        return (max(dates) - min(dates)).days <= 6

    fits = [d for d in days if one_week(d)]
    if fits and len(fits) < len(days):
        why = f"{', '.join(sorted({repr(c.text) for c in named}))} read as one week"
        bounds.raise_low(fits[0], f"{why} with the dated days: published on or after {fits[0]}")
        bounds.lower_high(fits[-1], f"{why} with the dated days: published on or before {fits[-1]}")
