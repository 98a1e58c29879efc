"""The vocabulary of temporal expressions: month, weekday, number and unit words, and the
regular-expression pieces built from them (shared by the timex rules)."""

from __future__ import annotations

import re

from storyline.text import HEDGES, LESS_THAN, NEARLY

_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")  # fmt: skip
MONTHS: dict[str, int] = {name.lower(): i for i, name in enumerate(_MONTH_NAMES, 1)}
MONTHS.update({name[:3].lower(): i for i, name in enumerate(_MONTH_NAMES, 1)})
MONTHS["sept"] = 9
_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEKDAYS: dict[str, int] = {name.lower(): i for i, name in enumerate(_WEEKDAY_NAMES)}
WEEKDAYS.update({"tues": 1, "weds": 2, "thurs": 3})

_UNITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
          "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
          "eighteen", "nineteen")  # fmt: skip
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
NUMBER_WORDS: dict[str, int] = {w: i for i, w in enumerate(_UNITS)}
NUMBER_WORDS.update({w: 20 + 10 * i for i, w in enumerate(_TENS)})
NUMBER_WORDS.update({"a": 1, "an": 1, "single": 1, "dozen": 12, "hundred": 100, "couple": 2})

_ORDINAL_WORDS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
                  "ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth",
                  "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth",
                  "twentieth")  # fmt: skip
ORDINALS: dict[str, int] = {w: i for i, w in enumerate(_ORDINAL_WORDS, 1)}
ORDINALS["twenty-first"] = ORDINALS["twenty first"] = 21

SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
DAY_PARTS = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}

# TIMEX3 unit letters; "MIN" and the time units are written after "T" in a value.
UNIT_CODES: dict[str, str] = {
    "second": "S", "minute": "MIN", "hour": "H", "day": "D", "week": "W", "fortnight": "FN",
    "month": "M", "quarter": "Q", "year": "Y", "decade": "DE", "century": "CE",
    "weekend": "WE", "night": "D",
}  # fmt: skip

# --- regular-expression pieces -------------------------------------------------------

FULL_MONTH = "|".join(_MONTH_NAMES)
ABBR_MONTH = r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
# A month name: full, or abbreviated with an optional full stop ("Oct." "Oct").
MONTH = rf"(?:(?:{FULL_MONTH})\b|(?:{ABBR_MONTH})(?:\.|\b))"
WEEKDAY_NAME = r"(?:" + "|".join(_WEEKDAY_NAMES) + r"|Tues|Thurs)"
WEEKDAY = WEEKDAY_NAME + r"\b"
DAY_NUM = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\b"
YEAR4 = r"(?:1[6-9]|20)\d\d"
_NUMBER_WORD = "|".join(sorted((w for w in NUMBER_WORDS if len(w) > 2), key=len, reverse=True))
# A count in words: "four", "twenty four", "twenty-four", "one hundred", "a hundred".
NUMBER_WORDS_RE = (
    rf"(?:(?:{_NUMBER_WORD})(?:[\s-](?:{'|'.join(_UNITS[1:10])}))?"
    r"(?:\s+hundred)?|an?\s+(?:hundred|dozen)|(?:a\s+)?couple\s+of|a|an)"
)
# A count in digits, with an optional fraction: "3", "2.5", "5 1/2".
NUMBER_DIGITS = r"(?<![\d:.,/])(?:\d{1,3}(?:,\d{3})*(?:\.\d+)?(?:\s+1/2)?|\d+/\d+)"
NUMBER = rf"(?:{NUMBER_DIGITS}|{NUMBER_WORDS_RE})"
VAGUE = r"(?:several|a\s+few|few|some|many|a\s+number\s+of|numerous)"
UNIT = (
    r"(?:seconds?|minutes?|hours?|days?|weeks?|fortnights?|months?|quarters?|years?|"
    r"decades?|centur(?:y|ies)|weekends?)"
)
# Hedges (storyline.text.HEDGES) turn a number into an approximate or bounded amount, and
# their kind is its TIMEX3 mod; "nearly" is LESS_THAN there. Before "the", "over" and the
# like are prepositions: "over the past three years".
APPROX_MODS = {word: LESS_THAN if kind == NEARLY else kind for word, kind in HEDGES.items()}
_PREPOSITIONS = ("over", "under", "above", "below")
APPROX = "(?:{})".format(
    "|".join(
        r"\s+".join(word.split()) + (r"(?!\s+the\b)" if word in _PREPOSITIONS else "")
        for word in sorted(HEDGES, key=len, reverse=True)
    )
)
# Approximators TimeBank leaves outside the expression: "about [five hours]".
_OUTSIDE_APPROX = {"about", "roughly", "approximately", "just over", "just under", "barely",
                   "well over"}  # fmt: skip
_EDGES = {"early": "START", "earlier": "START", "late": "END", "later": "END", "mid": "MID",
          "middle": "MID", "beginning": "START", "start": "START", "end": "END",
          "close": "END"}  # fmt: skip
# "early", "mid-", "the end of": where in a period the expression points (TIMEX3 mod).
EDGE = (
    r"(?:(?:the\s+)?(?:very\s+)?(?:early|late|mid|middle\s+of|beginning\s+of|start\s+of|"
    r"end\s+of|close\s+of)[\s-]+)"
)


# Lower-case words that can follow a noun phrase without being a noun it modifies.
NOT_A_NOUN = re.compile(
    r"(?:of|to|in|on|at|for|and|or|but|as|with|from|by|that|which|when|while|after|before|"
    r"than|is|was|were|are|be|been|has|had|have|will|would|could|should|can|may|might|did|"
    r"does|do|said|says|since|until|compared|versus|against|there|it|he|she|they|we|i|you|"
    r"its|his|her|their|the|a|an|this|these|those|through|into|alone|ago|earlier|later|"
    r"because|so|if|ended|ending|following|beginning|starting|[a-z]+ly)"
)


def edge_mod(text: str | None) -> str | None:
    """Return the TIMEX3 mod (START, MID, END) that a leading "early"/"the end of" implies."""
    if not text:
        return None
    words = re.findall(r"[a-z]+", text.lower())
    for word in words:
        if word in _EDGES:
            return _EDGES[word]
    return None


def approx_start(m: re.Match[str], start: int) -> int:
    """Return where the expression starts: after an approximator TimeBank leaves out."""
    approx = m.groupdict().get("approx")
    if approx and " ".join(approx.lower().split()) in _OUTSIDE_APPROX:
        return m.end("approx")
    return start


def approx_mod(text: str | None) -> str | None:
    """Return the TIMEX3 mod of an approximating phrase ("nearly" is LESS_THAN)."""
    if not text:
        return None
    return APPROX_MODS.get(" ".join(text.lower().split()))


def number_value(text: str) -> float | None:
    """Return the number a count phrase names ("twenty four", "5 1/2", "a"), or None."""
    words = [w for w in text.lower().replace("-", " ").replace(",", "").split() if w != "of"]
    if len(words) > 1 and words[0] in ("a", "an"):
        words = words[1:]  # "a hundred", "a couple of"
    if not words:
        return None
    if words[-1] == "1/2" and len(words) == 2 and words[0].replace(".", "").isdigit():
        return float(words[0]) + 0.5
    if len(words) == 1 and "/" in words[0]:
        num, _, den = words[0].partition("/")
        return int(num) / int(den) if num.isdigit() and den.isdigit() and int(den) else None
    if len(words) == 1 and re.fullmatch(r"\d+(?:\.\d+)?", words[0]):
        return float(words[0])
    total = 0
    for word in words:
        if word == "hundred":
            total = max(total, 1) * 100
        elif word in NUMBER_WORDS:
            total += NUMBER_WORDS[word]
        else:
            return None
    return float(total)


def ordinal_value(text: str) -> int | None:
    """Return the number of an ordinal ("third", "3rd", "twenty-first"), or None."""
    word = text.lower().strip()
    if word in ORDINALS:
        return ORDINALS[word]
    m = re.fullmatch(r"(\d+)(?:st|nd|rd|th)", word)
    return int(m.group(1)) if m else None


def unit_of(word: str) -> str:
    """Return the singular unit name of a unit word ("centuries" -> "century")."""
    word = word.lower()
    if word.startswith("centur"):
        return "century"
    return word[:-1] if word.endswith("s") else word
