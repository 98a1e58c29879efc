"""Numbers as written and what they measure: amounts of money ("$190 billion", "Rs 500
crore"), percentages ("8.5%", "40 percentage points"), counts ("five deputy prime
ministers", "2.5 million people") and ordinals ("the fourth time", "his second visit"),
each with its scale and hedging words ("more than", "about").

Pure rules, no parser: this runs on every article. Numbers that only label or date
something are left alone: years, dates, clock times, ages, durations (the timex layer
reads those), codes and names ("Boeing 737", "G20", "Article 5"), scores and ranks
("3-1", "the second-largest economy"). The word lists and the rules for the phrase a
number counts are in quantity_words."""

from __future__ import annotations

import bisect
import re

from storyline.models import Quantity
from storyline.stages.claims.quantity_words import (
    ANAPHORIC,
    CLOCK_WORDS,
    CONTRACTED,
    FOLLOWS,
    MEASURES,
    MONTHS,
    NEEDS_SCALE,
    NUMBER_WORDS,
    ONE_AFTER,
    ORDINALS,
    PHRASE_WORDS,
    PREFIX_CURRENCIES,
    PREV_REACH,
    RANK_HEADS,
    SCALES,
    STOP,
    SUFFIX_CURRENCIES,
    SUPERLATIVES,
    TOKEN,
    counted_words,
    labelled,
    phrase,
    singular_length,
    word_before,
)
from storyline.text import HEDGES

# Characters before a match worth searching for a qualifier: the longest one plus spaces.
_QUALIFIER_REACH = 30


def _alternatives(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _first_letters(words: list[str]) -> str:
    """Return a lookahead on the words' first letters: it lets the regex engine skip ahead
    fast (measured: 4x faster than a bare word boundary on news text)."""
    letters = sorted({w[0].lower() for w in words} | {w[0].upper() for w in words})
    return f"(?=[{''.join(letters)}])(?<!\\w)"


_NUMBER = r"(?P<num>\d+(?:,\d{2,3})*(?:\.\d+)?)"
# Scales written as words or two-letter-plus abbreviations (the one-letter ones are in _SCALE).
_WORD_SCALES = _alternatives([name for name in SCALES if len(name) > 1])
# A spelled-out scale may follow a space or hyphen; a one-letter one must be attached ("£3.5m").
_SCALE = rf"(?:[\s-]?(?P<scale>(?i:{_WORD_SCALES}))\b|(?P<letter>[kKmMbB])\b)?"
_PREFIX = re.compile(
    rf"{_first_letters(list(PREFIX_CURRENCIES))}(?<![\w$£€¥₹₽₩.])(?P<cur>{_alternatives(list(PREFIX_CURRENCIES))})\s?{_NUMBER}{_SCALE}"
    r"(?![\w.,]\d)"
)
_SUFFIX = re.compile(
    rf"(?=\d)(?<![\w$£€¥₹₽₩.,]){_NUMBER}{_SCALE}\s+(?P<cur>(?i:{_alternatives(list(SUFFIX_CURRENCIES))}))\b"
)
# "$3-4 billion", "$3 to $4 billion": the second number lends its scale to the first.
_RANGE_END = re.compile(
    rf"\s*(?:-|–|to)\s*(?:{_alternatives(list(PREFIX_CURRENCIES))})?\s?{_NUMBER}"
    rf"[\s-]?(?P<scale>(?i:{_WORD_SCALES}))\b"
)
_QUALIFIER = re.compile(rf"\b(?P<q>(?i:{_alternatives(list(HEDGES))}))\s+$")


def _scale(name: str | None) -> tuple[str | None, float]:
    if name is None:
        return None, 1.0
    return SCALES[name.lower()]


def _qualifiers(text: str, start: int) -> list[str]:
    found = _QUALIFIER.search(text, max(0, start - _QUALIFIER_REACH), start)
    return [found.group("q").lower()] if found else []


def _quantity(text: str, start: int, end: int, num: str, unit: str, scale: str | None) -> Quantity:
    name, factor = _scale(scale)
    return Quantity(
        start=start,
        end=end,
        text=text[start:end],
        value=float(num.replace(",", "")) * factor,
        unit=unit,
        scale=name,
        qualifiers=_qualifiers(text, start),
    )


def _from_prefix(text: str, m: re.Match[str]) -> list[Quantity]:
    """Return the amount a currency-first match gives, plus a range's second amount."""
    unit = PREFIX_CURRENCIES[m.group("cur")]
    scale = m.group("scale") or m.group("letter")
    if scale:
        return [_quantity(text, m.start(), m.end(), m.group("num"), unit, scale)]
    upper = _RANGE_END.match(text, m.end())
    if upper is None:
        return [_quantity(text, m.start(), m.end(), m.group("num"), unit, None)]
    scale = upper.group("scale")
    first = _quantity(text, m.start(), m.end(), m.group("num"), unit, scale)
    second = _quantity(text, upper.start("num"), upper.end(), upper.group("num"), unit, scale)
    return [first, second]


def _from_suffix(text: str, m: re.Match[str]) -> list[Quantity]:
    """Return the amount of a currency-last match ("5 million euros"), if it is money."""
    word = m.group("cur").lower()
    scale = m.group("scale") or m.group("letter")
    if word in NEEDS_SCALE and not scale:
        return []
    return [_quantity(text, m.start(), m.end(), m.group("num"), SUFFIX_CURRENCIES[word], scale)]


# --- patterns --------------------------------------------------------------------------

_DIGITS = r"\d+(?:,\d{3})*(?:\.\d+)?"
_PERCENT_SIGN = (
    r"%|(?i:percent|per[ \t-]cent|pct|percentage[ \t-]points?|basis[ \t-]points?|bps?)\b"
)
# A number in digits, with an optional lower bound ("1,000 to 5,000", "5-6%") and what
# follows it straight away: a percent sign, a scale, a short unit or "magnitude".
_NUMERAL = re.compile(
    rf"(?=\d)(?<![\w$£€¥₹₽₩.,/:#+\-–'’])(?:(?P<low>{_DIGITS})"
    rf"(?:[ \t-]?(?P<lowscale>(?i:{_WORD_SCALES}))\b)?(?:[ \t]*[-–][ \t]*|[ \t]+to[ \t]+))?"
    rf"(?P<num>{_DIGITS})"
    rf"(?:[ \t-]?(?P<pct>{_PERCENT_SIGN})|[ \t-]?(?P<scale>(?i:{_WORD_SCALES}))\b"
    rf"|(?P<letter>m|bn|mn|k)\b|[ \t]?(?P<abbr>(?i:{MEASURES}))\b"
    r"|[ \t-](?P<mag>(?i:magnitude))\b)?"
    r"(?![\w%]|[.,/:]\d|[-–][\w$])"
)
_MAGNITUDE_FIRST = re.compile(
    r"(?=[Mm])(?<!\w)(?i:magnitude)[ \t-]+(?P<num>\d+(?:\.\d+)?)(?![\w%]|[.,]\d)"
)
_CLOCK = re.compile(r"(?:[01]?\d|2[0-3])\.[0-5]\d")
_NUMBER_WORD = _alternatives([w for w in NUMBER_WORDS if w != "and"])


_WORD_NUMBER = re.compile(
    rf"{_first_letters([*NUMBER_WORDS, 'a', 'half'])}"
    rf"(?i:(?P<lead>half[ \t]+a[ \t]+|an?[ \t]+)?(?P<run>(?:{_NUMBER_WORD})"
    rf"(?:(?:[ \t]+and[ \t]+|[ \t]+|-)(?:{_NUMBER_WORD}))*))\b"
)
_PERCENT_AFTER = re.compile(rf"[ \t-]?(?:{_PERCENT_SIGN})")
_TENS = [w for w, (kind, _) in NUMBER_WORDS.items() if kind == "tens"]
_ORDINAL = re.compile(
    rf"{_first_letters([*ORDINALS, *_TENS, *'0123456789'])}"
    rf"(?<![\w.,/:#+\-–])(?:(?P<digits>\d+)(?i:st|nd|rd|th)\b|(?i:(?:(?P<tens>"
    rf"{_alternatives(_TENS)})-)?"
    rf"(?P<word>{_alternatives(list(ORDINALS))})\b))"
)
# What must stand before an ordinal word: a determiner or a possessive, then at most one
# word ("an unprecedented third term"), so "a second" of time and "second" alone stay out.
_DETERMINER = re.compile(
    r"(?:\b(?i:the|his|her|its|their|a|an|this|our|my|your|whose)|\b(?P<owner>\w+)['’]s"
    r"|\ws['’]|\s['’]s)[ \t\xa0]+(?:(?P<adj>[a-z][a-z-]*)[ \t\xa0]+)?\Z"
)


def _percent_unit(sign: str) -> str:
    """Return the unit a percent sign writes: a level ("%"), or a change of one in
    percentage points ("pp") or basis points ("bp")."""
    sign = sign.strip(" \t-").lower()
    if sign.startswith("percentage"):
        return "pp"
    return "bp" if sign.startswith(("basis", "bp")) else "%"


def _year_like(num: str, scale: str | None, next_word: str = "") -> bool:
    """Return whether a number reads as a year or a clock time: four bare digits from 1800
    to 2100, or any four when a capitalised word follows ("1797 Llanfair", "1117 GMT")."""
    if scale is not None or len(num) != 4 or not num.isdigit():
        return False
    return 1800 <= int(num) <= 2100 or next_word[:1].isupper()


def _clock_like(num: str, next_word: str) -> bool:
    """Return whether a number reads as a clock time: hours and minutes with a dot before
    a time zone or am/pm ("19.29 BST", "7.30 pm")."""
    return bool(_CLOCK.fullmatch(num)) and next_word.lower().rstrip(".") in CLOCK_WORDS


# --- building quantities -----------------------------------------------------------------


def _make(
    text: str, span: tuple[int, int], value: float, unit: str, kind: str, **extra: str | None
) -> Quantity:
    qualifiers = [] if kind == "ordinal" else _qualifiers(text, span[0])
    return Quantity(start=span[0], end=span[1], text=text[span[0] : span[1]], value=value,
                    unit=unit, kind=kind, scale=extra.get("scale"), qualifiers=qualifiers,
                    counted=extra.get("counted"))  # fmt: skip


def _count(text: str, span: tuple[int, int], value: float, scale: str | None) -> Quantity | None:
    """Return the count (or the money, "five million dollars") of the number spanning
    span, by the words after it; None when nothing counted follows."""
    words = counted_words(phrase(text, span[1]), singular=value == 1)
    if not words:
        return None
    start, end = span[0], words[-1][2]
    counted = text[words[0][1] : end]
    currency = SUFFIX_CURRENCIES.get(counted.lower())
    if currency and (scale or counted.lower() not in NEEDS_SCALE):
        return _make(text, (start, end), value, currency, "money", scale=scale)
    unit = words[-1][0].lower()
    return _make(text, (start, end), value, unit, "count", scale=scale, counted=counted)


def _lower_bound(text: str, m: re.Match[str], upper: Quantity, factor: float) -> Quantity:
    """Return the first number of a range ("1,000 to 5,000 barrels") as upper's kind."""
    name, own = _scale(m.group("lowscale"))
    value = float(m.group("low").replace(",", "")) * (own if name else factor)
    end = m.end("lowscale") if name else m.end("low")
    scale = name or upper.scale
    return _make(
        text, (m.start("low"), end), value, upper.unit, upper.kind, scale=scale,
        counted=upper.counted,
    )  # fmt: skip


def _numeral_quantity(text: str, m: re.Match[str]) -> Quantity | None:
    """Return the percent or count a number in digits gives, by what follows it."""
    scale = m.group("scale") or m.group("letter")
    name, factor = _scale(scale)
    value = float(m.group("num").replace(",", "")) * factor
    span = (m.start("num"), m.end())
    if pct := m.group("pct"):
        return _make(text, span, value, _percent_unit(pct), "percent")
    after = TOKEN.match(text, m.end())
    if _year_like(m.group("num"), scale, after.group(1) if after else ""):
        return None
    if _clock_like(m.group("num"), after.group(1) if after else ""):
        return None
    if labelled(text, m.start()):
        return None
    if unit_text := m.group("abbr") or m.group("mag"):
        return _make(text, span, value, unit_text.lower(), "count", counted=unit_text)
    if m.group("low") and value == 1:
        return None  # a score ("a 3-1 win")
    return _count(text, span, value, name)


def _from_numeral(text: str, m: re.Match[str]) -> list[Quantity]:
    """Return the quantities of a number in digits: itself and a range's lower bound."""
    upper = _numeral_quantity(text, m)
    if upper is None or upper.kind == "money":
        return []  # money in digits is the money patterns' to find
    if m.group("low") is None or _year_like(m.group("low"), m.group("lowscale")):
        return [upper]
    return [_lower_bound(text, m, upper, _scale(upper.scale)[1]), upper]


def _word_value(m: re.Match[str]) -> tuple[float, str | None, int, int] | None:
    """Return the value, scale, start and end of a run of number words ("two hundred and
    fifty", "a dozen", "half a million"), cut where the words stop making one number."""
    words = list(re.finditer(r"[A-Za-z]+", m.group("run")))
    lead = (m.group("lead") or "").lower().split()
    if lead and NUMBER_WORDS[words[0].group(0).lower()][0] not in FOLLOWS["lead"]:
        lead = []  # "a ten percent rise": the "a" is an article
    state, total, current, scale, end = ("lead" if lead else "start"), 0.0, 0.0, None, None
    for word in words:
        kind, amount = NUMBER_WORDS[word.group(0).lower()]
        if kind not in FOLLOWS[state]:
            break
        state = kind
        if kind in ("small", "teen", "tens"):
            current += amount
        elif kind in ("hundred", "dozen"):
            current, scale = (current or 1) * amount, scale or word.group(0).lower()
        elif kind == "big":
            total, current, scale = total + (current or 1) * amount, 0.0, word.group(0).lower()
        if kind != "and":
            end = m.start("run") + word.end()
    if end is None:
        return None
    start = m.start() if lead else m.start("run")
    return (total + current) * (0.5 if lead[:1] == ["half"] else 1.0), scale, start, end


def _from_words(text: str, m: re.Match[str]) -> list[Quantity]:
    """Return the percent, count or money a number in words gives ("five percent",
    "twenty-three pirates", "three million dollars")."""
    parsed = _word_value(m)
    if parsed is None:
        return []
    value, scale, start, end = parsed
    if text.startswith(("-", "–"), end):
        return []  # a compound: "two-day", "five-year-old", "one-third"
    if pct := _PERCENT_AFTER.match(text, end):
        unit = _percent_unit(pct.group(0))
        return [_make(text, (start, pct.end()), value, unit, "percent", scale=scale)]
    before = word_before(text, start)
    if labelled(text, start) or (text[start].isupper() and before and before[-1] != "."):
        return []  # a name: "the Three Gorges Dam", "Formula One"
    if (value == 1 and before in ONE_AFTER) or (value < 10 and before in ANAPHORIC):
        return []
    found = _count(text, (start, end), value, scale)
    return [found] if found else []


def _ordinal_value(text: str, m: re.Match[str]) -> int | None:
    """Return the value of an ordinal that can count something: a digit one not in a date,
    a word one after a determiner or possessive ("his second", "Putin's fourth")."""
    if m.group("digits"):
        before = word_before(text, m.start())
        return None if before and before.rstrip(".") in MONTHS else int(m.group("digits"))
    det = _DETERMINER.search(text, max(0, m.start() - PREV_REACH), m.start())
    if det is None:
        return None
    if (det.group("owner") or "").lower() in CONTRACTED:
        return None
    if (adj := det.group("adj")) and adj in STOP and adj != "very":
        return None
    tens = NUMBER_WORDS[m.group("tens").lower()][1] if m.group("tens") else 0
    return int(tens) + ORDINALS[m.group("word").lower()]


def _from_ordinal(text: str, m: re.Match[str]) -> list[Quantity]:
    """Return the ordinal count ("the fourth time", "the 4th Russia-China Forum"), unless
    it is a date, a rank ("the second-largest", "second place") or counts nothing named."""
    value = _ordinal_value(text, m)
    if value is None:
        return []
    end = m.end() + 5 if text.startswith("-ever", m.end()) else m.end()
    if text.startswith(("-", "–"), end):
        return []  # "second-largest", "third-quarter", "18th-century"
    tokens = phrase(text, end)
    words = tokens[: singular_length(tokens, PHRASE_WORDS, plural_head=True)]
    if not words or words[0][0].lower() in SUPERLATIVES or words[0][0].lower() in MONTHS:
        return []
    if words[0][0].lower().endswith("iest") or any(w.lower() in RANK_HEADS for w, _, _ in words):
        return []
    counted = text[words[0][1] : words[-1][2]]
    unit = words[-1][0].lower()
    span = (m.start(), words[-1][2])
    return [_make(text, span, float(value), unit, "ordinal", counted=counted)]


def _from_magnitude(text: str, m: re.Match[str]) -> list[Quantity]:
    """Return the quake strength written magnitude first ("magnitude 7.8")."""
    unit_text = text[m.start() : m.start() + len("magnitude")]
    value = float(m.group("num"))
    return [_make(text, m.span(), value, "magnitude", "count", counted=unit_text)]


def _choose(chosen: list[Quantity], items: list[Quantity]) -> None:
    """Add to chosen (sorted by start) each item overlapping none there, longest first."""
    starts = [q.start for q in chosen]
    for item in sorted(items, key=lambda q: (q.start - q.end, q.start)):
        k = bisect.bisect_left(starts, item.start)
        if k and chosen[k - 1].end > item.start:
            continue
        if k < len(chosen) and chosen[k].start < item.end:
            continue
        chosen.insert(k, item)
        starts.insert(k, item.start)


def find_quantities(text: str) -> list[Quantity]:
    """Return the amounts of money, percentages, counts and ordinals in text, in text
    order, none overlapping; money wins over a percent, a percent over a count."""
    found = [q for m in _PREFIX.finditer(text) for q in _from_prefix(text, m)]
    found += [q for m in _SUFFIX.finditer(text) for q in _from_suffix(text, m)]
    found += [q for m in _NUMERAL.finditer(text) for q in _from_numeral(text, m)]
    found += [q for m in _WORD_NUMBER.finditer(text) for q in _from_words(text, m)]
    found += [q for m in _ORDINAL.finditer(text) for q in _from_ordinal(text, m)]
    found += [q for m in _MAGNITUDE_FIRST.finditer(text) for q in _from_magnitude(text, m)]
    found = [
        q
        for q in found
        if not _FRAGMENT.match(q.text)
        and not _SPLIT_DECIMAL.search(text, max(0, q.start - 3), q.start)
    ]
    chosen: list[Quantity] = []
    for kinds in (("money",), ("percent",), ("count", "ordinal")):
        _choose(chosen, [q for q in found if q.kind in kinds])
    return chosen


# A number written with a leading zero ("000 gallons", "051 yards") is the tail of a
# figure whose thousands separator a tokeniser split off ("5, 000" in ECB+ and T17 text),
# never a figure of its own.
_FRAGMENT = re.compile(r"\D*0\d")
# Likewise a number right after a digit, a full stop and one space is the decimals of a
# figure the tokeniser split ("a 5. 9 magnitude earthquake").
_SPLIT_DECIMAL = re.compile(r"\d\. \Z")
