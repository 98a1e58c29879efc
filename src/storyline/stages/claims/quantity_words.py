"""The words quantities are read by, and the rules for the noun phrase a number counts.

Vocabularies: currency symbols, codes and words, scales ("million", "crore"), number and
ordinal words, and the words that stop a counted phrase or make a number a label, a date,
a duration or a rank (the hedges before a number live in storyline.text). Rules: the phrase
after a number that names what it counts ("five deputy prime ministers"), and the word
before it that makes it a label ("Boeing 737", "aged 43"). Pure data and string rules,
shared by the quantity finder."""

from __future__ import annotations

import re

from storyline.text import HEDGES

# --- currencies and scales ------------------------------------------------------------

# Symbols and codes written before the number; the longest spelling is tried first.
PREFIX_CURRENCIES: dict[str, str] = {
    "US$": "USD", "U.S.$": "USD", "A$": "AUD", "AU$": "AUD", "C$": "CAD", "CA$": "CAD",
    "HK$": "HKD", "S$": "SGD", "NZ$": "NZD", "R$": "BRL", "$": "USD", "£": "GBP", "€": "EUR",
    "¥": "JPY", "₹": "INR", "₽": "RUB", "₩": "KRW", "Rs.": "INR", "Rs": "INR",
    "USD": "USD", "EUR": "EUR", "GBP": "GBP", "JPY": "JPY", "CNY": "CNY", "RMB": "CNY",
    "INR": "INR", "RUB": "RUB", "CHF": "CHF", "AUD": "AUD", "CAD": "CAD", "HKD": "HKD",
}  # fmt: skip
# Currency words written after the number (lower case; matched case-insensitively).
SUFFIX_CURRENCIES: dict[str, str] = {
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
NEEDS_SCALE = {"pounds", "pound", "won"}
SCALES: dict[str, tuple[str, float]] = {
    "thousand": ("thousand", 1e3), "k": ("thousand", 1e3),
    "million": ("million", 1e6), "mln": ("million", 1e6), "mn": ("million", 1e6),
    "m": ("million", 1e6),
    "billion": ("billion", 1e9), "bln": ("billion", 1e9), "bn": ("billion", 1e9),
    "b": ("billion", 1e9),
    "trillion": ("trillion", 1e12), "tn": ("trillion", 1e12), "trn": ("trillion", 1e12),
    "crore": ("crore", 1e7), "crores": ("crore", 1e7), "cr": ("crore", 1e7),
    "lakh": ("lakh", 1e5), "lakhs": ("lakh", 1e5), "lac": ("lakh", 1e5),
}  # fmt: skip

# --- number words and vocabularies ---------------------------------------------------


def _split(words: str) -> list[str]:
    return words.split()


def _words(words: str) -> frozenset[str]:
    return frozenset(words.split())


NUMBER_WORDS: dict[str, tuple[str, float]] = {
    **{w: ("small", i + 1) for i, w in enumerate(_split(
        "one two three four five six seven eight nine"))},
    **{w: ("teen", i + 10) for i, w in enumerate(_split(
        "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen"))},
    **{w: ("tens", 10 * (i + 2)) for i, w in enumerate(_split(
        "twenty thirty forty fifty sixty seventy eighty ninety"))},
    "hundred": ("hundred", 100), "dozen": ("dozen", 12), "and": ("and", 0),
    "thousand": ("big", 1e3), "million": ("big", 1e6), "billion": ("big", 1e9),
    "trillion": ("big", 1e12),
}  # fmt: skip
# Which kind of number word may follow which ("twenty-three", "two hundred and fifty",
# "three million"); "lead" is "a"/"half a" ("a dozen", "half a million").
FOLLOWS: dict[str, set[str]] = {
    "start": {"small", "teen", "tens"}, "lead": {"hundred", "big", "dozen"},
    "small": {"hundred", "big", "dozen"}, "teen": {"hundred", "big", "dozen"},
    "tens": {"small", "hundred", "big", "dozen"}, "and": {"small", "teen", "tens"},
    "hundred": {"small", "teen", "tens", "big", "and"}, "big": set(), "dozen": set(),
}  # fmt: skip
ORDINALS: dict[str, int] = {
    **{w: i + 1 for i, w in enumerate(_split(
        "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
        "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth"))},
    **{w: 10 * (i + 2) for i, w in enumerate(_split(
        "twentieth thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth"))},
    "hundredth": 100,
}  # fmt: skip
# Words that end the phrase naming what a number counts: "40 times since", "23 pirates were".
STOP = _words(
    "a an the this that these those each every all both some any no another other such own "
    "of in on at to for from by with without into onto over under about above below between "
    "among across after before since until during through throughout against along around "
    "near per via than as like off out up down upon within toward towards behind beyond "
    "despite except and or but nor so yet if while when where whereas because though "
    "although whether then i you he she it we they me him her us them my your his its our "
    "their who whom whose which what is are was were be been being am have has had do does "
    "did will would shall should can could may might must said says say saying told "
    "according including made took went came got left became found saw met held led won lost "
    "fell rose hit began gave sent kept paid sold brought thought fought stood remain remains "
    "ago later earlier more less fewer most least also only just even still already again "
    "ever never not now here there today yesterday tomorrow tonight abroad overseas apiece "
    "alone together away back ahead instead too very almost nearly roughly approximately "
    "exactly respectively altogether overall last next plus minus always perhaps afterwards "
    "besides sometimes nevertheless unless thus whereby vs etc better worse "
    "estimated officially namely"
)
MONTHS = _words(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday "
    "friday saturday sunday"
)
# Heads that make a count a duration or a period (the timex layer reads those) or an age
# ("five year olds").
_TIME_UNITS = _words(
    "second seconds secs minute minutes mins hour hours hrs day days week weeks fortnight "
    "fortnights month months year years yrs decade decades century centuries millennium "
    "millennia night nights weekend weekends quarters olds"
)
# Plurals that do not end in -s.
_PLURAL_WORDS = _words(
    "people police children men women staff personnel crew cattle sheep deer fish aircraft "
    "spacecraft livestock poultry clergy feet teeth geese mice pence alumni criteria "
    "phenomena bacteria"
)
# Plurals that modify a following plural ("arms dealers"); any other plural ends the
# phrase, so a verb after it stays out ("the 11 missing persons decreases").
_PLURAL_MODIFIERS = _words(
    "rights arms weapons news sales savings sports gas goods customs police drugs women "
    "operations communications securities affairs relations"
)
_NOT_PLURAL = {"specimen", "abdomen", "omen", "stamen", "regimen", "amen", "yemen"}
# Units written short, counted as written ("84km", "35,000 ft"); "m" is left to "million".
MEASURES = "km|kms|kg|kgs|cm|mm|ft|lb|lbs|mph|kph|mw|gw|kwh|mwh|gwh"
# Words before a number that make it a label or a code rather than a count.
_LABEL_WORDS = _words(
    "no nos number page pages aged age ages route flight room gate platform channel "
    "category level phase grade version model size section chapter article art vol fig "
    "line exit highway interstate"
)
# "the two leaders", "their three sons": a small number after these refers back to what the
# text already counted; it asserts no count of its own.
ANAPHORIC = {"the", "these", "those", "both", "its", "their", "his", "her", "our", "my", "your"}
# "one" after these is a pronoun or part of an idiom ("no one", "the one who").
ONE_AFTER = {"no", "any", "every", "each", "some", "which", "the", "this", "that", "only"}
_ONE_IDIOMS = _words(
    "point time way hand side thing reason example moment sense kind sort half iota"
)
# An ordinal before these is a rank or a fixed phrase, not a count ("second place").
RANK_HEADS = _words(
    "half halves place lady aid hand class person glance sight degree century centuries "
    "millennium rate nature"
)
SUPERLATIVES = _words(
    "largest biggest highest lowest greatest smallest oldest youngest longest richest poorest "
    "strongest weakest fastest tallest closest latest best worst most least"
)
# Possessive owners that are really contractions ("it's", "that's").
CONTRACTED = {"it", "that", "there", "what", "he", "she", "here", "who", "let", "where", "how"}
# Endings of adverbs that close a phrase ("one crisis simultaneously"); "-ly" alone would
# also cut "family", "assembly", "rally".
_ADVERB_ENDS = ("ously", "ately", "ently", "antly", "edly", "ively", "ially", "ically", "fully")
# The phrase naming what a number counts: at most this many words ("deputy prime
# ministers", "Russia-China Forum"); longer runs were mostly the clause going on.
PHRASE_WORDS = 4
# A singular phrase ("one senior official", "his first foreign visit") rarely runs longer.
_SINGULAR_WORDS = 3
# Characters before a number searched for the word in front of it.
PREV_REACH = 40

# One word after a number; the word before one.
# What follows a clock time written with a dot ("19.29 BST", "7.30 pm"): time zones and
# the halves of the day.
CLOCK_WORDS = frozenset({
    "bst", "gmt", "utc", "cet", "cest", "et", "est", "edt", "ct", "cst", "cdt", "mt", "mst",
    "mdt", "pt", "pst", "pdt", "ist", "jst", "aest", "aedt", "am", "pm", "a.m", "p.m", "hrs",
    "local",
})  # fmt: skip
# A word, or an abbreviation of short dotted parts ("U.S.", "p.m."): "years.The", two
# sentences run together without a space, is a word and the start of the next sentence.
TOKEN = re.compile(
    r"[ \t\xa0]+([A-Za-z]{1,3}(?:\.[A-Za-z]{1,3})+\.?(?![A-Za-z])"
    r"|[A-Za-z](?:[A-Za-z'’-]*[A-Za-z'’])?)"
)
_MEASURE_WORD = re.compile(MEASURES, re.IGNORECASE)
_PREV_WORD = re.compile(r"([A-Za-z][A-Za-z.'’-]*)[ \t\xa0]+\Z")
Token = tuple[str, int, int]

# --- what a number counts --------------------------------------------------------------


def phrase(text: str, pos: int) -> list[Token]:
    """Return the words right after pos that may name what a number counts: on one line, up
    to the first function word or number, capitalised ones only before lower-case ones,
    ending at a possessive ("two nations' leaders")."""
    tokens: list[Token] = []
    seen_lower = False
    while len(tokens) < PHRASE_WORDS and (m := TOKEN.match(text, pos)):
        word = m.group(1)
        cut = 2 if word.endswith(("'s", "’s")) else 1 if word.endswith(("'", "’")) else 0
        bare = word[: len(word) - cut]
        lower = bare.lower()
        if not bare or lower in STOP or lower in NUMBER_WORDS or lower in ORDINALS:
            break
        if bare[0].isupper() and seen_lower:
            break
        seen_lower = seen_lower or bare[0].islower()
        tokens.append((bare, m.start(1), m.start(1) + len(bare)))
        pos = m.end()
        if cut:
            break
    return tokens


def _plural(word: str) -> bool:
    """Return whether word looks like a plural noun ("ministers", "people", "gunmen")."""
    w = word.lower()
    if w in _PLURAL_WORDS or (w.endswith(("men", "people")) and w not in _NOT_PLURAL):
        return True
    return len(w) > 2 and w.endswith("s") and not w.endswith(("ss", "us", "is", "ous"))


def _verb_like(word: str) -> bool:
    """Return whether word reads as a past participle or an adverb ("killed", "recently")."""
    w = word.lower()
    return (len(w) > 3 and w.endswith("ed") and not w.endswith("eed")) or w.endswith(_ADVERB_ENDS)


def _plural_length(tokens: list[Token]) -> int:
    """Return how many tokens name what a count of several counts: up to its first plural,
    and on to a plural it modifies ("gas stations", "Texas towns"); 0 when none is plural."""
    for i, (word, _, _) in enumerate(tokens):
        if _plural(word):
            while i + 1 < len(tokens) and _plural(tokens[i + 1][0]) and _modifies(tokens[i][0]):
                i += 1
            return i + 1
    return 0


def _modifies(word: str) -> bool:
    return word[0].isupper() or word.lower() in _PLURAL_MODIFIERS


def singular_length(tokens: list[Token], limit: int, plural_head: bool = False) -> int:
    """Return how many tokens name one thing ("senior official", "foreign visit"): they stop
    after "time", before a later plural (after it when plural_head: "first electronic
    instruments"), and shed a trailing past participle or adverb."""
    n = 0
    for i, (word, _, _) in enumerate(tokens[:limit]):
        if i and _plural(word) and not plural_head:
            break
        n = i + 1
        if word.lower() in ("time", "times") or (plural_head and _plural(word)):
            break
    while n and _verb_like(tokens[n - 1][0]):
        n -= 1
    return n


def counted_words(tokens: list[Token], singular: bool) -> list[Token]:
    """Return the words a count counts, or [] when they are a time span or a date."""
    if tokens and _MEASURE_WORD.fullmatch(tokens[0][0]):
        return tokens[:1]
    n = singular_length(tokens, _SINGULAR_WORDS) if singular else _plural_length(tokens)
    words = [w.lower() for w, _, _ in tokens[:n]]
    if not words or words[-1] in _TIME_UNITS or words[0] in MONTHS:
        return []
    if singular and (words[-1] in _ONE_IDIOMS or _plural(words[0])):  # "one affects the"
        return []
    return tokens[:n]


def labelled(text: str, start: int) -> bool:
    """Return whether the number at start follows a name, month or label word ("Boeing
    737", "October 18", "No. 2", "aged 43"): then it labels something, it counts nothing."""
    word = word_before(text, start, lower=False)
    if word is None:
        return False
    bare = word.rstrip(".").lower()
    if bare in _LABEL_WORDS or bare in MONTHS:
        return True
    if word.endswith("."):  # a sentence ended there
        return False
    return word[0].isupper() and bare not in STOP and bare not in HEDGES


def word_before(text: str, start: int, lower: bool = True) -> str | None:
    """Return the word just before start on its line (with a trailing full stop), if any."""
    m = _PREV_WORD.search(text, max(0, start - PREV_REACH), start)
    return None if m is None else m.group(1).lower() if lower else m.group(1)
