"""Amounts of money ("$190 billion", "Rs 500 crore", "5 million euros") with their
currency, scale and hedging words ("more than", "about")."""

from __future__ import annotations

import re

from storyline.models import Quantity

# Symbols and codes written before the number; the longest spelling is tried first.
_PREFIX_CURRENCIES: dict[str, str] = {
    "US$": "USD", "U.S.$": "USD", "A$": "AUD", "AU$": "AUD", "C$": "CAD", "CA$": "CAD",
    "HK$": "HKD", "S$": "SGD", "NZ$": "NZD", "R$": "BRL", "$": "USD", "£": "GBP", "€": "EUR",
    "¥": "JPY", "₹": "INR", "₽": "RUB", "₩": "KRW", "Rs.": "INR", "Rs": "INR",
    "USD": "USD", "EUR": "EUR", "GBP": "GBP", "JPY": "JPY", "CNY": "CNY", "RMB": "CNY",
    "INR": "INR", "RUB": "RUB", "CHF": "CHF", "AUD": "AUD", "CAD": "CAD", "HKD": "HKD",
}  # fmt: skip
# Currency words written after the number (lower case; matched case-insensitively).
_SUFFIX_CURRENCIES: dict[str, str] = {
    "us dollars": "USD", "u.s. dollars": "USD", "australian dollars": "AUD",
    "canadian dollars": "CAD", "hong kong dollars": "HKD", "singapore dollars": "SGD",
    "dollars": "USD", "dollar": "USD", "euros": "EUR", "euro": "EUR",
    "pounds sterling": "GBP", "pounds": "GBP", "pound": "GBP", "yuan": "CNY",
    "renminbi": "CNY", "rmb": "CNY", "yen": "JPY", "rupees": "INR", "rupee": "INR",
    "roubles": "RUB", "rubles": "RUB", "rouble": "RUB", "ruble": "RUB", "won": "KRW",
    "swiss francs": "CHF", "usd": "USD", "eur": "EUR", "gbp": "GBP", "cny": "CNY",
    "jpy": "JPY", "inr": "INR", "rub": "RUB", "chf": "CHF",
}  # fmt: skip
# Words that mean something else on their own ("200 pounds" of weight, "won" the vote):
# they count as currency only after a scale word ("5 million pounds").
_NEEDS_SCALE = {"pounds", "pound", "won"}
_SCALES: dict[str, tuple[str, float]] = {
    "thousand": ("thousand", 1e3), "k": ("thousand", 1e3),
    "million": ("million", 1e6), "mln": ("million", 1e6), "mn": ("million", 1e6),
    "m": ("million", 1e6),
    "billion": ("billion", 1e9), "bln": ("billion", 1e9), "bn": ("billion", 1e9),
    "b": ("billion", 1e9),
    "trillion": ("trillion", 1e12), "tn": ("trillion", 1e12), "trn": ("trillion", 1e12),
    "crore": ("crore", 1e7), "crores": ("crore", 1e7), "cr": ("crore", 1e7),
    "lakh": ("lakh", 1e5), "lakhs": ("lakh", 1e5), "lac": ("lakh", 1e5),
}  # fmt: skip
QUALIFIERS = (
    "more than", "less than", "fewer than", "at least", "at most", "up to", "as much as",
    "as little as", "close to", "in excess of", "upwards of", "just over", "just under",
    "well over", "an estimated", "approximately", "roughly", "nearly", "almost", "around",
    "about", "over", "under", "some",
)  # fmt: skip
# Characters before a match worth searching for a qualifier: the longest one plus spaces.
_QUALIFIER_REACH = 30


def _alternatives(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_NUMBER = r"(?P<num>\d+(?:,\d{2,3})*(?:\.\d+)?)"
# Scales written as words or two-letter-plus abbreviations (the one-letter ones are in _SCALE).
_WORD_SCALES = _alternatives([name for name in _SCALES if len(name) > 1])
# A spelled-out scale may follow a space or hyphen; a one-letter one must be attached ("£3.5m").
_SCALE = rf"(?:[\s-]?(?P<scale>(?i:{_WORD_SCALES}))\b|(?P<letter>[kKmMbB])\b)?"
_PREFIX = re.compile(
    rf"(?<![\w$£€¥₹₽₩.])(?P<cur>{_alternatives(list(_PREFIX_CURRENCIES))})\s?{_NUMBER}{_SCALE}"
    r"(?![\w.,]\d)"
)
_SUFFIX = re.compile(
    rf"(?<![\w$£€¥₹₽₩.,]){_NUMBER}{_SCALE}\s+(?P<cur>(?i:{_alternatives(list(_SUFFIX_CURRENCIES))}))\b"
)
# "$3-4 billion", "$3 to $4 billion": the second number lends its scale to the first.
_RANGE_END = re.compile(
    rf"\s*(?:-|–|to)\s*(?:{_alternatives(list(_PREFIX_CURRENCIES))})?\s?{_NUMBER}"
    rf"[\s-]?(?P<scale>(?i:{_WORD_SCALES}))\b"
)
_QUALIFIER = re.compile(rf"\b(?P<q>(?i:{_alternatives(list(QUALIFIERS))}))\s+$")


def _scale(name: str | None) -> tuple[str | None, float]:
    if name is None:
        return None, 1.0
    return _SCALES[name.lower()]


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
    unit = _PREFIX_CURRENCIES[m.group("cur")]
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
    if word in _NEEDS_SCALE and not scale:
        return []
    return [_quantity(text, m.start(), m.end(), m.group("num"), _SUFFIX_CURRENCIES[word], scale)]


def find_quantities(text: str) -> list[Quantity]:
    """Return the amounts of money in text, in text order, none overlapping."""
    found = [q for m in _PREFIX.finditer(text) for q in _from_prefix(text, m)]
    found += [q for m in _SUFFIX.finditer(text) for q in _from_suffix(text, m)]
    chosen: list[Quantity] = []
    for item in sorted(found, key=lambda q: (q.start - q.end, q.start)):
        if all(item.end <= c.start or item.start >= c.end for c in chosen):
            chosen.append(item)
    return sorted(chosen, key=lambda q: q.start)
