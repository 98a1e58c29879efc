"""Word tables of the claims stage: what a figure measures, between whom, and whether it
is a reading, a forecast or a target. Data, kept apart from the rules that read it."""

from __future__ import annotations

import re

# What a number measures, by the words that name it: each spelling maps to one measure, so
# "exchange between the nations", "bilateral trade" and "turnover" all line up as trade
# ("trading" is left out: "shares ended trading down 1.4%" is a market session).
MEASURE_WORDS: dict[str, str] = {
    "trade": "trade", "exchange": "trade", "turnover": "trade",
    "commerce": "trade", "exports": "exports", "export": "exports", "imports": "imports",
    "import": "imports", "investment": "investment", "investments": "investment",
    "aid": "aid", "assistance": "aid", "sales": "sales", "revenue": "revenue",
    "revenues": "revenue", "profit": "profit", "profits": "profit", "loss": "loss",
    "losses": "loss", "debt": "debt", "deficit": "deficit", "surplus": "surplus",
    "budget": "budget", "spending": "spending", "gdp": "GDP", "economy": "GDP",
    "growth": "growth", "inflation": "inflation", "cpi": "inflation", "prices": "prices",
    "price": "prices", "cost": "cost", "costs": "cost", "wages": "wages", "wage": "wages",
    "unemployment": "unemployment", "jobless": "unemployment", "rate": "rate",
    "rates": "rate", "output": "output", "production": "output", "deaths": "deaths",
    "dead": "deaths", "killed": "deaths", "died": "deaths", "fatalities": "deaths",
    "toll": "deaths", "injured": "injuries", "wounded": "injuries", "injuries": "injuries",
    "casualties": "casualties", "arrested": "arrests", "arrests": "arrests",
    "missing": "missing", "evacuated": "evacuations", "displaced": "displaced",
    "homeless": "displaced", "votes": "votes", "seats": "seats", "population": "population",
    "fine": "fine", "damages": "damages", "damage": "damage", "ransom": "ransom",
    "salary": "salary", "valuation": "value", "worth": "value", "value": "value",
    "deal": "deal", "contract": "contract", "meetings": "meetings", "meeting": "meetings",
    "met": "meetings", "meet": "meetings", "talks": "meetings", "summit": "meetings",
    "summits": "meetings", "visits": "visits", "visit": "visits", "visited": "visits",
    "trip": "visits", "trips": "visits",
}  # fmt: skip
# Counted words too general to say what a figure is of on their own: "four people" and "149
# people", "seven countries" and "two countries" are different groups in different roles.
# Such a count lines up only when a measure word says what happened to them ("four people
# died": deaths). Read off the false agreements of 2009 swine-flu coverage (issue 14).
GENERIC_COUNTED = frozenset({
    "people", "persons", "person", "others", "other", "countries", "country", "nations",
    "nation", "states", "members", "member", "men", "women", "children", "residents",
    "individuals", "ones", "things", "items", "groups", "places", "areas", "cities",
    "sources", "officials", "times", "scores", "percent", "points", "pages", "words",
})  # fmt: skip
# Measures too broad to line up alone: the word before them says which ("mortgage rate",
# "interest rate", "gasoline prices"); some pairs are one measure under another name.
BROAD = frozenset({"rate", "prices", "cost", "value", "output", "sales", "growth"})
COMPOUNDS: dict[str, str] = {
    "inflation rate": "inflation", "unemployment rate": "unemployment",
    "jobless rate": "unemployment", "consumer prices": "inflation", "growth rate": "growth",
    "interest rate": "interest rate", "death toll": "deaths", "price growth": "inflation",
    "prices rate": "inflation",
}  # fmt: skip
# Words before a broad measure that do not say which one it is.
NOT_MODIFIERS = frozenset({
    "the", "a", "an", "its", "their", "his", "her", "our", "this", "that", "these", "those",
    "annual", "overall", "total", "average", "current", "new", "higher", "lower", "high",
    "low", "rising", "falling", "record", "and", "or", "of", "in", "at", "on", "with",
    "by", "to", "from", "for", "as", "all", "whose", "which", "benchmark", "was", "were",
    "is", "are", "be", "been", "has", "have", "had", "will", "would", "than", "more",
    "less", "per", "said", "says",
})  # fmt: skip
# What an ordinal may count: occurrences ("the fourth time they meet", "his second visit").
OCCURRENCES = frozenset({"meetings", "visits", "deaths", "arrests"})
# Measures between parties: their value belongs to who takes part ("China–Russia trade"),
# named in the sentence or, for "the two economies", the article's main places or people.
RELATIONAL = frozenset({"trade", "meetings", "visits", "deal", "contract"})
# Measures of people meeting take people as parties; the others take places.
PERSONAL = frozenset({"meetings", "visits"})
# News names a country by its capital ("Beijing and Moscow signed ..."); parties are
# countries, so a capital counts as its country. The capitals of the most reported states.
CAPITALS: dict[str, str] = {
    "Beijing": "China", "Moscow": "Russia", "Washington": "United States",
    "Kyiv": "Ukraine", "Kiev": "Ukraine", "London": "United Kingdom", "Paris": "France",
    "Berlin": "Germany", "Tokyo": "Japan", "Seoul": "South Korea", "Pyongyang": "North Korea",
    "New Delhi": "India", "Delhi": "India", "Tehran": "Iran", "Ankara": "Turkey",
    "Brussels": "European Union", "Taipei": "Taiwan", "Jerusalem": "Israel",
    "Riyadh": "Saudi Arabia", "Cairo": "Egypt", "Islamabad": "Pakistan", "Kabul": "Afghanistan",
    "Baghdad": "Iraq", "Damascus": "Syria", "Minsk": "Belarus", "Warsaw": "Poland",
    "Rome": "Italy", "Madrid": "Spain", "Ottawa": "Canada", "Canberra": "Australia",
    "Brasilia": "Brazil", "Mexico City": "Mexico", "Hanoi": "Vietnam", "Caracas": "Venezuela",
    "Havana": "Cuba", "Pretoria": "South Africa", "Nairobi": "Kenya", "Abuja": "Nigeria",
    "Lima": "Peru", "Santiago": "Chile", "Buenos Aires": "Argentina", "Bogota": "Colombia",
    "Manila": "Philippines", "Jakarta": "Indonesia", "Bangkok": "Thailand",
}  # fmt: skip
# Other names of the same countries.
COUNTRY_NAMES: dict[str, str] = {
    "US": "United States", "U.S.": "United States", "USA": "United States",
    "America": "United States", "the United States": "United States", "UK": "United Kingdom",
    "Britain": "United Kingdom", "Great Britain": "United Kingdom", "EU": "European Union",
    "PRC": "China", "Russian Federation": "Russia",
}  # fmt: skip
# Measures named by an index or an instrument rather than a word: they say exactly which
# figure is meant ("the PCE price index ... rose 6.8%" is PCE inflation, not inflation as
# the consumer price index gives it). Core measures leave out food and energy and are a
# series of their own. The first pattern to match a place wins, so longer names first.
NAMED_MEASURES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p, re.IGNORECASE), measure)
    for p, measure in [
        (r"\bcore (?:personal consumption expenditures?|PCE)(?: price)?(?: index| deflator)?",
         "core PCE inflation"),
        (r"\bcore (?:consumer price index|CPI|inflation|consumer prices|rate)\b",
         "core inflation"),
        (r"\b(?:personal consumption expenditures?|PCE)(?: price)?(?: index| deflator)?\b",
         "PCE inflation"),
        (r"\b(?:producer price index|PPI|producer prices|wholesale prices)\b", "producer prices"),
        (r"\b(?:consumer price index|CPI)\b", "inflation"),
        (r"\b(?:federal|fed) funds(?: target)? rate\b|\bpolicy rate\b|"
         r"\bbenchmark (?:interest |lending |policy )?rate\b|\bkey (?:interest |policy )?rate\b",
         "policy rate"),
        (r"\b(?:\d+-year )?(?:treasury|bond|gilt|bund) yields?\b", "bond yield"),
    ]
]  # fmt: skip
# Whether a figure is a reading or what someone expects or aims for: a forecast of 3% and a
# target of 2% are not readings of 2% or 3%, so they are lined up apart. The words stand in
# the figure's clause before it ("projected 3% inflation", "a target of 2%") or right after
# it ("the 2% target", "8.8% expected"). A modal counts only with a verb of change or
# being ("will return to 2%", "could reach $300 billion"): "will buy 30 percent of the
# output" and "will enter into force after a vote of 112 to 61" state facts.
_EXPECTED = (
    r"forecast(?:s|ing|ers?)?|project(?:s|ed|ions?)|predict(?:s|ed|ions?)|expect(?:s|ed|ing)?|"
    r"expectations?|outlook|guidance|sees|anticipat(?:es?|ed)|likely to|on track to|set to|"
    r"(?:will|would|could|may|might|should)\s+(?:\w+ly\s+)?(?:reach|hit|rise|fall|climb|"
    r"grow|increase|decrease|drop|exceed|top|surpass|return|be|lift|raise|cut|double|"
    r"triple|average|total|cost|come in)"
)
_TARGET = r"targets?|targeted|goal|objective|aims? (?:for|at)"
STATUS_BEFORE: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"\b(?:{_TARGET})\b", re.IGNORECASE), "target"),
    (re.compile(rf"\b(?:{_EXPECTED})\b", re.IGNORECASE), "expected"),
]
STATUS_AFTER: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"^\W*(?:\w+\W+)?(?:{_TARGET})\b", re.IGNORECASE), "target"),
    (re.compile(r"^\W*(?:\w+\W+)?(?:forecast|expected|projected|predicted)\b", re.IGNORECASE),
     "expected"),
]  # fmt: skip


# Units of measurement: a figure in one of them ("50 miles", "5,000 ft") says how much, not
# of what, so two such figures are one measure only if their sentences say what is measured
# alike (stages.crosscheck.CONFLICT_CONTEXT_SHARED).
UNITS = frozenset({
    "mile", "miles", "km", "kilometre", "kilometres", "kilometer", "kilometers", "metre",
    "metres", "meter", "meters", "m", "cm", "mm", "foot", "feet", "ft", "inch", "inches",
    "yard", "yards", "acre", "acres", "hectare", "hectares", "sq", "square", "barrel",
    "barrels", "gallon", "gallons", "litre", "litres", "liter", "liters", "bpd", "cubic",
    "ton", "tons", "tonne", "tonnes", "pound", "pounds", "lb", "lbs", "kg", "kilogram",
    "kilograms", "ounce", "ounces", "oz", "notch", "notches", "point", "points", "degree",
    "degrees", "mph", "knots",
})  # fmt: skip
