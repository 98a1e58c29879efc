"""The claims stage: the checkable statements of one article, each cited by its span.

Three kinds (models.Claim): a *quantity* (money, a percentage, a count, an ordinal, or
a record with no figure) with what it measures, when that holds and what narrows it; a
*statement* attributed to a speaker ("Xi pledged that ..."); and a direct *quote*. The
cross-check stage (stages.claims.crosscheck) lines them up across the articles of an event.

Rules over the annotations (sentences, entity mentions, resolved timexes, quantities,
quotes); no model of its own.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable, Sequence

from storyline.models import Article, Claim, Mention, Quantity, Span, Timex, known_day, source_name
from storyline.stages.claims.words import (
    BROAD,
    CAPITALS,
    COMPOUNDS,
    COUNTRY_NAMES,
    GENERIC_COUNTED,
    MEASURE_WORDS,
    NAMED_MEASURES,
    NOT_MODIFIERS,
    OCCURRENCES,
    PERSONAL,
    RELATIONAL,
    STATUS_AFTER,
    STATUS_BEFORE,
    UNITS,
)

# How far before a number its measure word may stand (characters): one clause of news
# prose ("trade between the two economies has increased significantly since the war,
# reaching"); further back it is another clause's subject.
MEASURE_REACH = 90
# An index named exactly may stand further back, past an apposition ("the personal
# consumption expenditures price index, the Fed's preferred inflation gauge, surged to").
NAMED_REACH = 160
# Words that mark a figure as a record; with a measure word and no number they make a
# claim too ("trade reached an all-time high last year").
RECORD = re.compile(
    r"\b(?:all[- ]time high|record(?:[- ]high)?|highest ever|highest level|lowest level|"
    r"all[- ]time low)\b",
    re.IGNORECASE,
)
# A word of death or injury this close after a count ("17 people were injured") says what
# the count is, whatever an earlier clause of the sentence counted.
AFTER_REACH = 12
# How far before a count a verb of what befell them may stand ("killed 11 workers", "the
# blast injured at least 52 people"): a hedge's width.
VERB_REACH = 25
# Only a hedge may stand between such a verb and its count ("killed as many as 200,000"):
# "died following the 7.0 magnitude quake" does not make the magnitude a death toll.
_VERB_GAP = re.compile(
    r"\s+(?:(?:at least|more than|as many as|up to|about|around|nearly|almost|some|over|"
    r"an estimated)\s+)?",
    re.IGNORECASE,
)
_BEFALLS = frozenset({"deaths", "injuries", "arrests", "evacuations", "displaced", "missing"})
# A date this close after a figure ("$108 billion in 2020") dates that figure.
OWNED_GAP = 12
# How far back "since" may stand from the date it scopes (one clause).
SCOPE_REACH = 80
# Words that narrow what a figure counts, so that two figures measure different things.
SCOPE = re.compile(
    r"\b(?:since (?:the |his |her |its |their )?[\w’'-]+(?: [\w’'-]+){0,2}|in person|"
    r"face[- ]to[- ]face|"
    r"so far|to date|in total|in all|per capita|(?:year|month)[- ](?:on|over)[- ](?:year|month)|"
    r"annuali[sz]ed|"
    r"annual(?:ly)?|a year|per year|each year|core|excluding [\w-]+(?: [\w-]+)?|"
    r"including [\w-]+(?: [\w-]+)?|official(?:ly)?|"
    # "1,626 confirmed cases", not "officials confirmed 14 people died"
    r"confirmed(?= (?:cases?|deaths?|infections?|fatalities|dead|victims|patients)\b))\b",
    re.IGNORECASE,
)
# A count that only sets a window ("lost seven of the past nine games", "on their first two
# drives", "the next three days") is no fact about how many: two windows of different
# length contradict nothing (ECB+ dev, read by hand: reports of two games).
SPAN_BEFORE = re.compile(
    r"\b(?:the|their|his|her|its|our|my|your|this|these)\s+(?:first|last|past|next|previous|"
    r"final|opening|coming|preceding)\s+\Z",
    re.IGNORECASE,
)
# ... and so does one of games or seasons something happened in ("26 touchdowns in 15 games",
# "his first defeat in eight games").
SPAN_IN = re.compile(r"\b(?:in|over|across)\s+\Z", re.IGNORECASE)
SPAN_AFTER = re.compile(r"\s+(?:later|earlier|ago|into)\b", re.IGNORECASE)  # "15 games later"
SPAN_NOUNS = frozenset({"games", "matches", "seasons", "starts", "appearances", "innings",
                        "races", "rounds", "outings", "fights", "bouts"})  # fmt: skip


def _window(text: str, q: Quantity) -> bool:
    """Return whether a count only sets a window (SPAN_BEFORE, SPAN_IN, SPAN_AFTER)."""
    if q.kind != "count":
        return False
    if SPAN_BEFORE.search(text, max(0, q.start - 30), q.start):
        return True
    noun = (q.counted or "").split()[-1:] or [""]
    if noun[0].lower() not in SPAN_NOUNS:
        return False
    before = SPAN_IN.search(text, max(0, q.start - 10), q.start)
    return bool(before or SPAN_AFTER.match(text, q.end))


# What joins an amount to its restatement in another currency or unit: a bracket or ", or",
# after what the amount is of, if said ("15,000 barrels of oil (630,000 gallons)").
_CONVERSION = re.compile(
    r"(?:\s+of(?:\s+[\w'’-]+){1,2})?\s*(?:[(\[]|,?\s+or)\s*"
    r"(?:(?i:about|around|roughly|approximately|some|nearly|almost)\s+)?"
)


def figures(article: Article) -> list[Quantity]:
    """Return an annotated article's quantities without the conversions (converted)."""
    found = article.annotations.quantities if article.annotations else []
    text = article.text
    return [q for k, q in enumerate(found) if not (k and converted(text, found[k - 1], q))]


def converted(text: str, before: Quantity, q: Quantity) -> bool:
    """Return whether q restates the amount just before it in another currency or unit
    ("£20m ($32m)", "€5bn, or about $6bn", "15,000 barrels (630,000 gallons)"): the writer's
    conversion, not a figure of its own. Two outlets' conversions of one £20m pledge at
    different rates were a false conflict (T17 haiti), and a converted figure stood between
    "15,000 barrels" and the "Tuesday" it was collected on (T17 bpoil)."""
    if before.kind != q.kind or before.unit == q.unit:
        return False
    if q.kind == "count" and not (before.unit in UNITS and q.unit in UNITS):
        return False
    if q.kind not in ("money", "count"):
        return False
    return _CONVERSION.fullmatch(text, before.end, q.start) is not None


# A figure a thing moved by ("cut by six notches", "rose by 5%") is a change, not the level
# it stands at ("two notches above junk", "rose to 5%"): the two are never one measure.
CHANGE = "a change by"
CHANGE_BY = re.compile(
    r"\b(?:r[io]se[ns]?|rising|f[ae]ll(?:s|en|ing)?|cut(?:s|ting)?|slashed|trimmed|lowered|"
    r"raised|increased?|decreased?|reduced?|dropped|climbed|jumped|gained|lost|gr[eo]wn?|"
    r"shr[au]nk|declined|downgraded|upgraded|boosted|widened|narrowed|soared|plunged|"
    r"tumbled|surged|slipped|edged (?:up|down))\b(?:\s+[\w'’-]+){0,4}?\s+by\s+"
    r"(?:(?:about|around|almost|"
    r"nearly|some|roughly|more than|less than|over|under)\s+)?\Z",
    re.IGNORECASE,
)
# Verbs that attribute a statement to someone: saying, and committing or reporting.
ATTRIBUTION = re.compile(
    r"\b(?:said|says|told|stated|announced|declared|pledged|pledges|vowed|promised|"
    r"warned|insisted|confirmed|denied|reported|reports|accused|agreed|urged|called for|"
    r"according to|claimed|acknowledged|admitted|signed)\b",
    re.IGNORECASE,
)
# A mention right after one of these words is an object, not who makes the statement.
# Only titles may stand between the two: "met French President", "and EU chief".
_OBJECT_CUE = re.compile(
    r"\b(?:met|meets|meet|with|and|to|by|of|from|for|at|in|on|visited|called|against)"
    r"(?:\s+(?:[A-Z][\w.'’-]*|chief|head|president|minister|leader|the|former|prime|"
    r"foreign|deputy|secretary|general|spokesman|spokeswoman|envoy|aide)){0,4}\s*$",
)
_GAUGE = re.compile(r"\w+[\s-]+(?:gauge|measure|indicator|yardstick|barometer)\b,", re.I)
_CURRENT = re.compile(r"\b(?:current|currently|now|present|today['’]s)\W+(?:[a-z]+\W+)?$", re.I)
_BASELINE = re.compile(r"\bfrom\s+(?:[a-z]+\s+)?$", re.I)
_THEN_SAID = re.compile(
    r"\W*(?:[\w'’.-]+\s+){0,3}(?:said|says|told|announced|reported|stated|confirmed)\b",
    re.IGNORECASE,
)
_SAID_ON = re.compile(
    r"\b(?:said|says|told (?:\w+ )?reporters|announced|reported|stated|confirmed)"
    r"\s+(?:on\s+|late\s+|early\s+|last\s+)?$",
    re.IGNORECASE,
)
_PRONOUN = re.compile(r"\b(?:he|she)\b", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z]+")
# A statement shorter than this says too little to be lined up ("He agreed.").
MIN_STATEMENT_WORDS = 8
_SPEAKER_KINDS = ("PERSON", "ORG")
# An attribution verb right after a quotation or a comma ("..., said Mr Hale") has its
# subject after it, past at most a few words of title or role ("witness", "Adm").
_INVERTED = re.compile(r"[,\"”'’`]\s*\Z")
_TITLE_RUN = re.compile(r"\s+(?:[A-Za-z.]+\s+){0,3}")
# People left unnamed right before the verb ("officials said", "police told"): the
# statement is theirs, not that of someone named earlier in the sentence.
_UNNAMED = re.compile(
    r"\b(?:officials|police|authorities|witnesses|sources|analysts|experts|residents|"
    r"investigators|prosecutors|doctors|rescuers|reports|media|lawyers|aides)\W*\Z",
    re.IGNORECASE,
)


def article_claims(article: Article) -> list[Claim]:
    """Return the claims of one annotated article, in text order (quotes last)."""
    notes = article.annotations
    if notes is None:
        return []
    sentences = notes.sentences or [(0, len(article.text))]
    starts = [s for s, _ in sentences]
    claims: list[Claim] = []
    quantified: set[int] = set()
    own = figures(article)
    for q in own:
        if _window(article.text, q):
            continue  # "in the past nine games": a window the text looks through, no fact
        k = max(0, bisect.bisect_right(starts, q.start) - 1)
        claim = quantity_claim(article, sentences[k], q, own)
        if q.kind == "ordinal" and (
            split_label(claim.measure)[0] not in OCCURRENCES or q.value == 1
        ):
            # "his fifth term", "the 4th Forum": a rank or a name, not a count; and "his
            # first trip since ..." describes a trip rather than counting trips
            continue
        quantified.add(k)
        claims.append(claim)
    for k, sentence in enumerate(sentences):
        if k not in quantified and (record := record_claim(article, sentence, own)):
            claims.append(record)
        if statement := statement_claim(article, sentence):
            claims.append(statement)
    claims.extend(quote_claims(article))
    return claims


def quantity_claim(
    article: Article,
    sentence: tuple[int, int],
    q: Quantity,
    own: Sequence[Quantity] | None = None,
) -> Claim:
    """Return the claim a quantity makes, cited by its sentence (own: the article's
    figures, when the caller has them)."""
    start, end = sentence
    text = article.text
    measure = measure_of(text, sentence, q)
    between = parties(article, sentence, measure) if measure else []
    return Claim(
        span=Span(article.id, start, end),
        text=text[start:end],
        kind="quantity",
        source=source_name(article),
        measure=label(measure, between) if measure else None,
        value=q.value,
        value_text=q.text,
        unit=q.unit,
        time=time_of(article, sentence, q.start, q.end, own),
        qualifiers=_qualifiers(text, start, end, q),
        subject=subject_of(article, sentence, q, measure) if measure and not between else None,
    )


def subject_of(article: Article, sentence: tuple[int, int], q: Quantity, measure: str) -> str:
    """Return what a figure is of beyond its measure: the counted words the measure does
    not name ("workers" of "11 workers killed") and the places its clause names, as
    "workers @ Haiti"; "" when neither is said."""
    head = [w for w in _words(q.counted or "") if MEASURE_WORDS.get(w) != measure]
    if " ".join(head) == measure:
        head = []
    places: list[str] = []
    if article.annotations is not None:
        lo, hi = _clause(article.text, *sentence, q.start, q.end)
        inside = (
            m for m in article.annotations.mentions if m.kind == "PLACE" and lo <= m.start < hi
        )
        places = sorted(_distinct(inside))
    return " ".join(head) + (f" @ {', '.join(places)}" if places else "")


def record_claim(
    article: Article, sentence: tuple[int, int], own: Sequence[Quantity] | None = None
) -> Claim | None:
    """Return a figureless record claim ("trade hit an all-time high last year"), if any
    (own: the article's figures, when the caller has them)."""
    start, end = sentence
    found = RECORD.search(article.text, start, end)
    if found is None:
        return None
    words = _measure_words(article.text, start, found.start(), start)
    if not words:
        return None
    measure = words[-1][1]
    return Claim(
        span=Span(article.id, start, end),
        text=article.text[start:end],
        kind="quantity",
        source=source_name(article),
        measure=label(measure, parties(article, sentence, measure)),
        value_text=found.group(0),
        time=time_of(article, sentence, found.start(), found.end(), own),
        qualifiers=["record"],
    )


def measure_of(text: str, sentence: tuple[int, int], q: Quantity) -> str | None:
    """Return the measure a quantity gives: named by the counted words ("23 people
    killed"), else by the nearest measure word before it in its clause, else after it in
    its sentence ("30 percent of the output. Trade ..." does not measure trade)."""
    sentence_start, sentence_end = sentence
    reach = min(len(text), sentence_end, q.end + 40)
    if q.kind in ("count", "ordinal") and q.counted:
        own = [MEASURE_WORDS[w] for w in _words(q.counted) if w in MEASURE_WORDS]
        if own:
            return own[-1]
        after = _measure_words(text, q.end, reach, sentence_start)
        if after and after[0][1] in ("deaths", "injuries") and after[0][0] - q.end <= AFTER_REACH:
            return after[0][1]  # "killed and 17 people were injured": these are injuries
        if q.unit in ("time", "times") or (after and after[0][1] in ("deaths", "injuries")):
            near = _measure_words(text, sentence_start, q.start, sentence_start) + after
            return near[0][1] if near else None
        verb = _measure_words(
            text, max(sentence_start, q.start - VERB_REACH), q.start, sentence_start
        )
        if (
            verb
            and verb[-1][1] in _BEFALLS
            and _VERB_GAP.fullmatch(text, _word_end(text, verb[-1][0]), q.start)
        ):
            return verb[-1][1]  # "killed 11 workers": the workers are deaths
        plain = _plain(q.counted)
        # "one man", "a soldier": a thing named in passing, not a count of it
        return None if set(plain.split()) <= GENERIC_COUNTED or q.value == 1 else plain
    # money and percentages measure amounts, never how often something happened
    lo = max(sentence_start, q.start - NAMED_REACH, text.rfind(";", 0, q.start) + 1)
    before = [
        w
        for w in _measure_words(text, lo, q.start, sentence_start)
        if w[1] not in OCCURRENCES and (w[2] or w[0] >= q.start - MEASURE_REACH)
    ]
    if any(named for _, _, named in before):
        # "the PCE price index, the Fed's preferred inflation gauge, rose": the gauge
        # describes the index named before it
        before = [w for w in before if w[2] or not _GAUGE.match(text, w[0])]
    if before:
        return before[-1][1]
    after = [
        w for w in _measure_words(text, q.end, reach, sentence_start) if w[1] not in OCCURRENCES
    ]
    return after[0][1] if after else None


def parties(article: Article, sentence: tuple[int, int], measure: str) -> list[str]:
    """Return who a relational measure is between: the people or places the sentence
    names, else the article's two most named ones ("the two economies")."""
    if measure not in RELATIONAL or article.annotations is None:
        return []
    kind = "PERSON" if measure in PERSONAL else "PLACE"
    mentions = [m for m in article.annotations.mentions if m.kind == kind]
    counts = Counter(_short(m) for m in mentions)
    inside = _distinct(m for m in mentions if sentence[0] <= m.start < sentence[1])
    if kind == "PERSON":  # the article's main people, not an aide named in passing
        main = {name for name, _ in counts.most_common(3)}
        inside = [name for name in inside if name in main]
    if len(inside) >= 2:
        return sorted(inside[:2])
    text = article.text
    # countries first: a place whose people are named ("Estorian", "Chinese") is a state
    ranked = sorted(counts, key=lambda name: (not _is_country(name, text), -counts[name]))
    return sorted(ranked[:2]) if len(ranked) >= 2 else []


def split_label(measure: str | None) -> tuple[str, frozenset[str]]:
    """Return a measure label's base and parties: "Vladimir Putin–Xi Jinping meetings" ->
    ("meetings", {"Vladimir Putin", "Xi Jinping"}). Relational measures are one word."""
    if not measure:
        return "", frozenset()
    head, _, base = measure.rpartition(" ")
    if "–" in head and base in RELATIONAL:
        return base, frozenset(head.split("–"))
    return measure, frozenset()


def label(measure: str, between: Sequence[str]) -> str:
    """Return a measure's display name: "China–Russia trade", "inflation"."""
    return f"{'–'.join(between)} {measure}" if between else measure


def time_of(
    article: Article,
    sentence: tuple[int, int],
    start: int,
    end: int,
    own: Sequence[Quantity] | None = None,
) -> str | None:
    """Return when a figure holds: the resolved date nearest it in its sentence (not one
    that scopes it, as "since 2012" does, nor one another figure stands nearer), else None.
    A figure called current holds when its article was published ("far above the current
    8.3% rate"). own: the article's figures (figures), when the caller has them."""
    if article.annotations is None:
        return None
    if _CURRENT.search(article.text, max(sentence[0], start - 25), start):
        day = known_day(article)
        return day.isoformat() if day else None
    best: tuple[int, str] | None = None
    own = figures(article) if own is None else own
    for t in article.annotations.timexes:
        value = t.value or _relative_year(article, t.text)
        if t.type != "DATE" or not value or not sentence[0] <= t.start < sentence[1]:
            continue
        if not re.match(r"\d{4}|XXXX-\d", value) or _scoping(article.text, t):
            continue
        if _SAID_ON.search(article.text, max(sentence[0], t.start - 30), t.start):
            continue  # "the cooperative said on Monday": when it was said, not measured
        said = _THEN_SAID.match(article.text, t.end, min(sentence[1], t.end + 40))
        if said and said.end() <= start:
            continue  # "Yesterday, officials said ... 11 workers": likewise
        if t.end <= start and _in_relative_clause(article.text, t.end, start):
            continue  # "Yesterday, Obama met ... on the spill, which began with the blast
            # that killed 11": the day of the meeting, not of the deaths
        if _after_publication(article, value) and not status_of(
            article.text, sentence[0], start, end, sentence[1]
        ):
            continue  # a reading is not of a time still to come ("a press opens next spring")
        gap = t.start - end if t.start >= end else (start - t.end) * 2  # after reads first
        if _owned_by_another(own, t, start, end):
            continue
        if best is None or gap < best[0]:
            best = (gap, value)
    return _trim_value(best[1]) if best else None


# A relative clause between a date and a figure: the figure is told of something the
# sentence looks back on, not of the date's time. "that" after a verb of saying or showing
# opens what was said ("it emerged that 11 had died"), not a relative clause.
_RELATIVE = re.compile(r"\b(?:which|who|whose|that)\b", re.IGNORECASE)
_THAT_OPENS_SPEECH = re.compile(
    r"\b(?:said|says|say|told|announced|reported|stated|confirmed|emerged|showed|shows|found|"
    r"revealed|suggested|believed?|thinks?|thought|added|warned|means|meant|so|such|now|"
    r"clear|known|estimated|feared|expected)\s+\Z",
    re.IGNORECASE,
)
# Words between a date and the noun a relative clause hangs on that keep the date the
# noun's own ("the April 20 explosion that killed 11").
RELATIVE_HEAD_WORDS = 2


def _in_relative_clause(text: str, lo: int, hi: int) -> bool:
    """Return whether a relative clause opens between a date (ending at lo) and a figure
    (starting at hi) when the date is not part of the noun the clause describes."""
    for m in _RELATIVE.finditer(text, lo, hi):
        if m.group(0).lower() == "that" and _THAT_OPENS_SPEECH.search(text, lo, m.start()):
            continue
        return len(text[lo : m.start()].split()) > RELATIVE_HEAD_WORDS
    return False


def _after_publication(article: Article, value: str) -> bool:
    """Return whether a TIMEX3 date value lies wholly after the article's publication day."""
    day = known_day(article)
    if day is None or not value[:4].isdigit():
        return False
    known = re.match(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", value)
    stamp = known.group(0) if known else value[:4]
    return stamp > day.isoformat()[: len(stamp)]


def _owned_by_another(quantities: Sequence[Quantity], t: Timex, start: int, end: int) -> bool:
    """Return whether a date belongs to another figure: one standing between it and this
    figure, or one it directly follows ("from 2.1 TWh in 2024 to about 3.4 TWh once work
    ends in 2029": 2024 is the first figure's, 2029 the second's)."""
    if t.start >= end:
        return any(end <= q.start and q.end <= t.start for q in quantities)
    return any(q.end <= t.start <= q.end + OWNED_GAP for q in quantities)


_RELATIVE_YEAR = {"last year": -1, "this year": 0, "next year": 1, "a year ago": -1}


def _relative_year(article: Article, words: str) -> str | None:
    """Return the year "last year" or "this year" names in an article whose day is not known
    but whose year is: counted from the earliest year it can have been published in (the
    dating stage has ruled out earlier ones)."""
    shift = _RELATIVE_YEAR.get(words.lower().strip())
    if shift is None or article.date is None or not article.date.start:
        return None
    return str(int(article.date.start[:4]) + shift)


def statement_claim(article: Article, sentence: tuple[int, int]) -> Claim | None:
    """Return the sentence as a statement attributed to a speaker, if it is one."""
    start, end = sentence
    text = article.text
    verb = ATTRIBUTION.search(text, start, end)
    if verb is None or len(_WORD.findall(text[start:end])) < MIN_STATEMENT_WORDS:
        return None
    if _mostly_quoted(article, start, end) or _holds_quote(article, start, end):
        return None  # a quotation: quote_claims has its words
    speaker = speaker_of(article, sentence, verb.start(), verb.end(), verb.group(0).lower())
    if speaker is None:
        return None
    return Claim(
        span=Span(article.id, start, end),
        text=text[start:end],
        kind="statement",
        source=source_name(article),
        speaker=speaker,
    )


def speaker_of(
    article: Article, sentence: tuple[int, int], verb_start: int, verb_end: int, verb: str
) -> str | None:
    """Return who makes an attributed statement: after "according to", the name that
    follows; after a comma or quotation ("..., said Mr Hale"), the name right after the verb;
    none when people left unnamed precede it ("officials said"); otherwise the nearest name
    or he/she before the verb that is not an object."""
    assert article.annotations is not None
    mentions = article.annotations.mentions
    names = [m for m in mentions if m.kind in _SPEAKER_KINDS]
    if verb == "according to":
        after = [m for m in names if verb_end <= m.start < sentence[1]]
        return after[0].canonical if after else None
    text = article.text
    if _INVERTED.search(text, sentence[0], verb_start):
        # "..., said witness Jo Hale": the speaker follows the verb
        follows = next((m for m in names if verb_end <= m.start < sentence[1]), None)
        if follows and _TITLE_RUN.fullmatch(text, verb_end, follows.start):
            return follows.canonical
    if _UNNAMED.search(text, sentence[0], verb_start):
        return None  # "..., officials said": nobody named makes the statement
    # every name before the verb, a place's too: when the nearest subject is a place or a
    # thing ("when Russia and China declared"), the person named earlier is narrated
    # about, not speaking
    candidates: list[tuple[int, str | None]] = [
        (m.start, m.canonical if m.kind in _SPEAKER_KINDS else None)
        for m in mentions
        if sentence[0] <= m.start and m.end <= verb_start
    ]
    candidates += [
        (p.start(), _antecedent(names, p.start()))
        for p in _PRONOUN.finditer(text, sentence[0], verb_start)
    ]
    for pos, name in sorted(candidates, reverse=True):
        if not _OBJECT_CUE.search(text, max(sentence[0], pos - 45), pos):
            return name
    return None


def quote_claims(article: Article) -> list[Claim]:
    """Return the article's direct quotes as claims citing the quoted words."""
    if article.annotations is None:
        return []
    return [
        Claim(
            span=Span(article.id, q.start, q.end),
            text=q.text,
            kind="quote",
            source=source_name(article),
            speaker=q.speaker,
        )
        for q in article.annotations.quotes
    ]


def _qualifiers(text: str, start: int, end: int, q: Quantity) -> list[str]:
    """Return the quantity's hedges and the scope words of its clause, lower-cased."""
    found = list(q.qualifiers)
    lo, hi = _clause(text, start, end, q.start, q.end)
    for m in SCOPE.finditer(text, lo, hi):
        if q.start <= m.start() < q.end:
            continue  # inside the figure itself ("more than 40 times")
        word = m.group(0).lower()
        if word not in found:
            found.append(word)
    if RECORD.search(text, lo, hi):
        found.append("record")
    if CHANGE_BY.search(text, max(lo, q.start - 60), q.start):
        found.append(CHANGE)
    if status := status_of(text, max(lo, q.start - MEASURE_REACH), q.start, q.end, hi):
        found.append(status)
    return found


def status_of(text: str, lo: int, start: int, end: int, hi: int) -> str | None:
    """Return "expected" or "target" when the words around a figure (its clause from lo to
    hi) say it is expected or aimed for rather than read; None for a reading."""
    if _BASELINE.search(text, max(lo, start - 20), start):
        return None  # "would lift output from 2.1 terawatt-hours": the reading it starts at
    after = text[end : min(hi, end + 25)]
    for pattern, status in STATUS_AFTER:
        if pattern.search(after):
            return status
    nearest: tuple[int, str] | None = None
    for pattern, status in STATUS_BEFORE:
        for m in pattern.finditer(text, lo, start):
            if nearest is None or m.start() > nearest[0]:
                nearest = (m.start(), status)
    return nearest[1] if nearest else None


def _clause(text: str, start: int, end: int, q_start: int, q_end: int) -> tuple[int, int]:
    """Return the clause of a figure: its sentence cut at the nearest commas, semicolons
    or dashes on either side."""
    breaks = [start + m.start() for m in re.finditer(r"[,;—–]|\s-\s", text[start:end])]
    lo = max([start] + [b + 1 for b in breaks if b < q_start])
    hi = min([end] + [b for b in breaks if b >= q_end])
    return lo, hi


def _measure_words(text: str, lo: int, hi: int, opening: int) -> list[tuple[int, str, bool]]:
    """Return the measures named between lo and hi, in the sentence that starts at opening:
    where each is named, what it is, and whether an index or instrument names it exactly. A
    broad word takes the word before it ("mortgage rates", "gasoline prices")."""
    named: list[tuple[int, int, str]] = []
    for pattern, name in NAMED_MEASURES:
        for m in pattern.finditer(text, lo, hi):
            if not any(s <= m.start() < e or m.start() <= s < m.end() for s, e, _ in named):
                named.append((m.start(), m.end(), name))
    out = [(s, name, True) for s, _, name in named]
    for m in _WORD.finditer(text, lo, hi):
        measure = MEASURE_WORDS.get(m.group(0).lower())
        if measure is None or any(s <= m.start() < e for s, e, _ in named):
            continue
        out.append(
            (
                m.start(),
                _modified(text, m.start(), measure, opening) if measure in BROAD else measure,
                False,
            )
        )
    return sorted(out)


def _modified(text: str, at: int, measure: str, opening: int) -> str:
    """Return a broad measure as the word before it narrows it: "mortgage rate"; a word
    that does not narrow it ("the", "annual", a capitalised name) leaves it as it is. A
    capitalised word that opens the sentence (which starts at opening) is no name."""
    before = re.search(r"([A-Za-z]+)[\s-]+$", text[max(0, at - 30) : at])
    written = before.group(1) if before else ""
    word = written.lower()
    start = max(0, at - 30) + (before.start(1) if before else 0)
    opens = written.istitle() and start == opening
    possessive = re.search(r"['’]$", text[max(0, start - 1) : start])  # "the station’s"
    if not (written.islower() or opens) or word in NOT_MODIFIERS or possessive:
        return measure
    if word in MEASURE_WORDS:
        return COMPOUNDS.get(f"{MEASURE_WORDS[word]} {measure}", measure)
    return COMPOUNDS.get(f"{word} {measure}", f"{word} {measure}")


def _word_end(text: str, at: int) -> int:
    found = _WORD.match(text, at)
    return found.end() if found else at


def _words(phrase: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(phrase)]


def _plain(counted: str) -> str:
    """Return what a count counts, as a measure name: its words, lower-cased."""
    return " ".join(_words(counted)) or counted


def _short(m: Mention) -> str:
    """Return the party a mention names: a place's country where it is a capital."""
    if m.kind != "PLACE":
        return m.canonical
    return CAPITALS.get(m.canonical, COUNTRY_NAMES.get(m.canonical, m.canonical))


def _is_country(name: str, text: str) -> bool:
    """Return whether the text names the people of a place, as it does for a country
    ("Russia": "Russian", "China": "Chinese", "Chile": "Chilean")."""
    if name in CAPITALS.values() or name in COUNTRY_NAMES.values():
        return True
    stem = name[:-1] if name[-1:] in "aeiouy" else name
    people = rf"\b{re.escape(stem)}(?:n|an|ian|ean|ese|ish|i)\b"
    return len(stem) >= 3 and re.search(people, text) is not None


def _distinct(mentions: Iterable[Mention]) -> list[str]:
    out: list[str] = []
    for m in mentions:
        if _short(m) not in out:
            out.append(_short(m))
    return out


def _scoping(text: str, t: Timex) -> bool:
    """Return whether a date scopes a count rather than dating it: "since 2012", "since
    the two nations forged their partnership in February 2022"."""
    before = text[max(0, t.start - SCOPE_REACH) : t.start].lower()
    if re.search(r"\b(?:from|between|after|before)\s+(?:the\s+)?$", before):
        return True
    return bool(re.search(r"\bsince\b[^,.;:()]*$", before))


def _trim_value(value: str) -> str:
    """Return a TIMEX3 date value cut to its date part ("2023-10-18TMO" -> "2023-10-18")."""
    return re.split(r"T", value, maxsplit=1)[0]


def _antecedent(names: Sequence[Mention], pos: int) -> str | None:
    people = [m for m in names if m.kind == "PERSON" and m.end <= pos]
    return people[-1].canonical if people else None


# A quotation of this many words or more carries its sentence: the sentence is listed as
# the quote (who said it, which sources carry it), not again as a statement.
QUOTE_CARRIES_WORDS = 4


def _holds_quote(article: Article, start: int, end: int) -> bool:
    assert article.annotations is not None
    return any(
        start <= q.start and q.end <= end and len(_WORD.findall(q.text)) >= QUOTE_CARRIES_WORDS
        for q in article.annotations.quotes
    )


def _mostly_quoted(article: Article, start: int, end: int) -> bool:
    assert article.annotations is not None
    quoted = sum(
        min(end, q.end) - max(start, q.start)
        for q in article.annotations.quotes
        if q.start < end and q.end > start
    )
    return quoted > (end - start) / 2
