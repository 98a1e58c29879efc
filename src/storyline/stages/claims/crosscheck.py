"""The cross-check stage: what the sources of an event agree on, where they differ, what
only one reports, and who said what; and, for a storyline, each measure over time.

Claims (stages.claims.extract) are lined up by what they measure and when it holds, and each
group is classified (models.Finding): *agree* (values compatible within their stated
rounding and hedges), *update* (the same measure at different times, or a later report
revising an earlier one), *conflict* (same measure, time and scope, incompatible values),
*scope* (the values look contradictory but what they count differs: "in person" against
"since 2012"), *unique* (one independent source). Quotes are matched word for word.
Sources are independent sources: a wire story and its copies count once.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from storyline.models import Article, Claim, Event, Finding, Story
from storyline.stages.claims.extract import split_label
from storyline.stages.claims.statements import content_tokens, stem
from storyline.stages.claims.words import COMPOUNDS, MEASURE_WORDS, STATUS_BEFORE, UNITS
from storyline.stages.cluster.copies import event_origins
from storyline.text import (
    APPROX,
    EQUAL_OR_LESS,
    EQUAL_OR_MORE,
    HEDGES,
    LESS_THAN,
    MORE_THAN,
    NEARLY,
    hedges,
)

# Hedges (storyline.text.HEDGES) and how they widen a figure around the written value: open
# above, open below, a little below, or a tenth either side ("about", "an estimated":
# reporters round to the nearest tenth or so).
AT_LEAST = hedges(MORE_THAN, EQUAL_OR_MORE)
AT_MOST = hedges(LESS_THAN, EQUAL_OR_LESS)
BELOW = hedges(NEARLY)
APPROXIMATE = hedges(APPROX)
APPROX_WIDTH = 0.10
# Words of scope (stages.claims.extract.SCOPE) that change what a figure counts; "record" and
# the like only describe it.
NOT_SCOPE = frozenset({"record"})
# What someone expects or aims for (claims.status_of): lined up apart from readings, so it
# never narrows a reading's scope but names the group it is in.
STATUSES = frozenset(status for _, status in STATUS_BEFORE)
# Qualifiers that hedge a figure or describe it rather than narrow what it counts.
_NOT_SCOPE_WORDS = frozenset(HEDGES) | NOT_SCOPE | STATUSES
# Two quotes are the same words reported twice when this share of the shorter one's words
# appear in the longer in order (truncations, dropped ellipses), or, as a paraphrase,
# when this share of their words overlap.
# Figures further apart than this factor are not one figure told two ways but two figures
# (of different groups, places or moments) that the rules failed to tell apart: they are
# left out rather than called a conflict. The false conflicts of 2009 swine-flu coverage
# (issue 14: "10 / 500,000 / 500 people") were factors of 50 and more apart; a misreport
# that cuts a figure by 60% is a factor of 2.5 (the largest change eval checks plants).
CONFLICT_MAX_RATIO = 3.0
# Figures that fit each other only through an open hedge ("more than 22" and "91.38", "at
# least 27" and "at least 49") agree on nothing a reader can use; agreeing figures stand
# within this factor. Checked on T17 egypt and mj.
AGREE_MAX_RATIO = 1.5
QUOTE_CONTAINED = 0.9
QUOTE_PARAPHRASE = 0.6
_WORD = re.compile(r"\w+")

StatementGrouper = Callable[[Sequence[str]], list[int]]


@dataclass
class _Claimed:
    """A claim with the independent source it counts for and its article's day."""

    claim: Claim
    origin: str  # the outlet of the wire story it copies, else its own outlet
    day: str | None  # when its article was published (a day, or the start of a range)
    names: frozenset[str] = frozenset()  # words of the names its sentence gives


def event_findings(
    event: Event,
    claims: dict[str, list[Claim]],
    articles: dict[str, Article],
    group_statements: StatementGrouper,
) -> list[Finding]:
    """Return the findings of one event: numbers lined up, then statements, then quotes."""
    origin = event_origins(event, articles)
    items = [
        _Claimed(c, origin[aid], _day(articles[aid]), _names(articles[aid], c))
        for aid in event.articles
        for c in claims.get(aid, [])
    ]
    quantities = [i for i in items if i.claim.kind == "quantity" and i.claim.measure]
    findings = [f for group in measure_groups(quantities) for f in classify(group)]
    findings += statement_findings([i for i in items if i.claim.kind == "statement"],
                                   group_statements)  # fmt: skip
    findings += quote_findings([i for i in items if i.claim.kind == "quote"])
    return rank_unique(findings, articles)


# ---- what one source alone reports, by salience ------------------------------------------

# Single-source findings shown per event before the rest fold away: a long event has
# dozens, and eight keep the section one screen long while leaving room for what the
# sources disagree on (chosen by eye on the seed reports).
UNIQUE_SHOWN = 8
# What a reader wants first from one source alone: a figure of a known measure (deaths,
# trade, inflation) over a bare count, money or a percent over other figures, words of
# a named speaker over unattributed ones; ties go to what stands nearer the lead.
_KNOWN_MEASURES = frozenset(MEASURE_WORDS.values()) | frozenset(COMPOUNDS.values())


def rank_unique(findings: list[Finding], articles: dict[str, Article]) -> list[Finding]:
    """Return the findings with the single-source ones ranked by salience (most salient
    first, in that order among the others) and all but the first UNIQUE_SHOWN folded."""
    unique = [f for f in findings if f.kind == "unique"]
    order = sorted(unique, key=lambda f: -_salience(f, articles))
    for rank, finding in enumerate(order):
        finding.rank, finding.shown = rank, rank < UNIQUE_SHOWN
    ranked = iter(order)
    return [next(ranked) if f.kind == "unique" else f for f in findings]


def _salience(finding: Finding, articles: dict[str, Article]) -> float:
    """Return how much a reader wants a single-source finding: its kind of claim, then how
    near its article's lead it stands (0 to 1)."""
    claim = finding.claims[0]
    article = articles.get(claim.span.article)
    lead = 1 - claim.span.start / max(1, len(article.text)) if article else 0.0
    if claim.kind == "quantity":
        base, _ = split_label(claim.measure)
        weight = 3.0 if base in _KNOWN_MEASURES else 2.0 if _family(claim) != "count" else 1.0
    else:
        speaker = claim.speaker or ""
        weight = 2.5 if " " in speaker else 1.5 if speaker else 0.5
    return weight + lead


def story_series(story: Story, events: dict[str, Event], claims: dict[str, list[Claim]],
                 articles: dict[str, Article]) -> list[Finding]:  # fmt: skip
    """Return each measure the storyline's articles give at two or more times, in time order."""
    items = []
    for eid in story.events:
        origin = event_origins(events[eid], articles)  # wire copies count once
        items += [
            _Claimed(c, origin[aid], _day(articles[aid]))
            for aid in events[eid].articles
            for c in claims.get(aid, [])
            if c.kind == "quantity" and c.measure and c.time  # a series point needs its time
        ]
    out = []
    for group in measure_groups(items):
        times = {i.claim.time for i in group if i.claim.time}
        if len(times) < 2:
            continue
        ordered = sorted(group, key=lambda i: (i.claim.time or "9999", i.day or ""))
        out.append(
            Finding(
                kind="series",
                statement=f"{_measure(group)}: " + ", ".join(_dated(ordered)),
                claims=[i.claim for i in ordered],
                measure=_measure(group),
                independent_sources=len({i.origin for i in group}),
            )
        )
    return out


# ---- numbers ----------------------------------------------------------------------


def measure_groups(items: Sequence[_Claimed]) -> list[list[_Claimed]]:
    """Return the claims grouped by what they measure: the same measure, the same kind of
    unit, the same status (a reading, a forecast, a target), the same subject (what is
    counted and where: "deaths" of "workers" in "Louisiana") and parties that overlap
    ("China–Russia" and "Russia" do, "US–China" does not). A figureless record joins the
    figures of its measure."""
    buckets: dict[tuple[str, str, str, str], list[_Claimed]] = {}
    for item in items:
        base, _ = split_label(item.claim.measure or "")
        head = (item.claim.subject or "").partition(" @ ")[0]
        key = (base, _family(item.claim), status(item.claim), head)
        buckets.setdefault(key, []).append(item)
    for (base, family, state, subject), records in list(buckets.items()):
        if family != "record":
            continue
        figures = [k for k in buckets if k[0] == base and k[1] != "record" and k[2] == state]
        if figures:
            buckets[figures[0]].extend(records)
            del buckets[(base, family, state, subject)]
    return [g for bucket in buckets.values() for p in _by_places(bucket) for g in _by_parties(p)]


def _by_places(bucket: list[_Claimed]) -> list[list[_Claimed]]:
    """Return the bucket split by the places its figures' clauses name: deaths in Texas are
    not deaths in Mexico. A figure that names none joins the one place named, if only one
    is; where several are, it stays apart, as nothing says which it is of."""
    groups: dict[str, list[_Claimed]] = {}
    for item in bucket:
        groups.setdefault(_place(item), []).append(item)
    loose = groups.pop("", [])
    if len(groups) == 1:
        next(iter(groups.values())).extend(loose)
    elif loose:
        groups[""] = loose
    return list(groups.values())


def status(claim: Claim) -> str:
    """Return "expected" or "target" for a figure someone expects or aims for, else ""."""
    return next((q for q in claim.qualifiers if q in STATUSES), "")


def classify(group: Sequence[_Claimed]) -> list[Finding]:
    """Return what one measure's claims show: per time, agreement, conflict, a difference
    of scope or a revision; across times, an update; from one source, unique."""
    measure = _measure(group)
    origins = {i.origin for i in group}
    by_time = _by_time(group)
    if len(origins) < 2:
        return [_finding("unique", f"Only {_sources(group)} reports {measure}: "
                         + ", ".join(_dated(group)), group, measure)]  # fmt: skip
    if len(by_time) > 1 and _compatible([_interval(i.claim) for i in group]):
        by_time = [list(group)]  # one figure given for several times: it did not change
    out = [f for same in by_time if (f := _same_time(same, measure)) is not None]
    # a series over time needs each point's time said and each point told apart
    clear = [same for same in by_time if same[0].claim.time and not _ambiguous(same)]
    if len(clear) > 1:
        ordered = [i for same in clear for i in same]
        out.append(_finding("update", f"{measure} over time: " + ", ".join(_dated(ordered)),
                            ordered, measure))  # fmt: skip
    return out


# Counts that run on as news comes in: a later, higher figure revises an earlier one.
# Other figures that differ from one day to the next, with no time said, may be of
# different things (prices of two goods, shares of two groups), so they are not lined up.
RUNNING = frozenset({"deaths", "injuries", "casualties", "arrests", "missing", "displaced",
                     "evacuations", "cases", "infections"})  # fmt: skip


def _revised(ordered: Sequence[_Claimed]) -> bool:
    """Return whether figures in day order read as a running count revised upwards."""
    base, _ = split_label(ordered[0].claim.measure)
    lows = [_interval(i.claim)[0] for i in ordered]
    return base in RUNNING and all(a <= b for a, b in itertools.pairwise(lows))


def _ambiguous(group: Sequence[_Claimed]) -> bool:
    """Return whether one article gives figures for one measure and moment that exclude
    each other ("a range of 8 to 12", "1,000, maybe as many as 1,496"): then what the
    figures are of is not told apart well enough to line them up with other sources'."""
    by_article: dict[str, list[_Claimed]] = {}
    for item in group:
        by_article.setdefault(item.claim.span.article, []).append(item)
    return any(
        not _compatible([_interval(i.claim) for i in same])
        for same in by_article.values()
        if len(same) > 1
    )


def _same_time(group: Sequence[_Claimed], measure: str) -> Finding | None:
    """Return the finding of claims about one measure at one time, or None for one source."""
    if len({i.origin for i in group}) < 2 or _ambiguous(group):
        return None
    times = {i.claim.time for i in group if i.claim.time}
    when = f" in {group[0].claim.time}" if group[0].claim.time and len(times) == 1 else ""
    values = _values(group)
    # "more than 22" and "91.38" fit each other, but say nothing alike: no agreement
    if _compatible([_interval(i.claim) for i in group]) and _near(group, AGREE_MAX_RATIO):
        n = len({i.origin for i in group})
        return _finding("agree", f"{n} sources agree on {measure}{when}: {values}", group,
                        measure)  # fmt: skip
    scopes = {frozenset(_scope(i.claim)) for i in group}
    if len(scopes) > 1:
        said = "; ".join(
            f"{written(i.claim)} ({', '.join(_scope(i.claim)) or 'no scope given'}, "
            f"{i.claim.source})"
            for i in group
        )
        return _finding("scope", f"{measure}{when}: {said}: they count different things",
                        group, measure)  # fmt: skip
    clash = _same_day_clash(group, dated=bool(times))
    if not clash:
        ordered = sorted(group, key=lambda i: i.day or "")
        if not _revised(ordered):
            return None
        said = " then ".join(f"{written(i.claim)} ({i.claim.source})" for i in ordered)
        return _finding("update", f"{measure}{when} revised: {said}", ordered, measure)
    if not _near(clash):
        return None  # too far apart to be one figure told two ways: not comparable
    if not _measured_alike(clash):
        return None  # "50 miles" off the coast and "100 miles" of coast: two lengths
    # the time a conflict line names is one its own figures give (an undated figure that
    # joined this time's figures may clash with an undated one)
    when = when if any(i.claim.time for i in clash) else ""
    return _finding("conflict", f"Sources conflict on {measure}{when}: {_values(clash)}",
                    clash, measure)  # fmt: skip


# A figure in a unit of measurement ("50 miles") contradicts another only when their
# sentences say alike what is measured: this share of the shorter sentence's content words
# (the figures and the unit left out) stand in the other. Set on T17 bpoil's cross-outlet
# conflicts (eval checks, docs/benchmarks.md): at 0.1 and 0.2 three of its four false
# conflicts stay, at 0.3 one, at 0.4 none but planted changes are caught 1 time in 20.
CONFLICT_CONTEXT_SHARED = 0.3


def _measured_alike(clash: Sequence[_Claimed]) -> bool:
    """Return whether clashing figures are of one thing. Not when their sentences name only
    different people, bodies or places ("the Jaguars lost nine games" against "the Colts
    won eight games": ECB+ dev, read by hand); figures in a unit of measurement also need
    their sentences to say alike what is measured ("50 miles" off the coast is not "100
    miles" of coast); a count of a thing named ("11 workers") needs nothing more."""
    # the pairs that clash: in "more than 65 miles" of shoreline and "150 miles" of impact
    # against "70 miles" of coast, only 150 against 70, and those two are told apart
    across = [(i, j) for i, j in itertools.combinations(clash, 2) if i.origin != j.origin]
    pairs = [(i, j) for i, j in across if not _fits(i, j)] or across
    # a figure said of a place ("35 people were injured in Suez") is no contradiction of one
    # that names no place ("at least 49 people injured"), which joined it for want of another
    pairs = [(i, j) for i, j in pairs if not _only_one_said_of_a_place(i, j)]
    if not pairs or all(i.names and j.names and not i.names & j.names for i, j in pairs):
        return False
    if split_label(clash[0].claim.measure)[0] not in UNITS:
        return True
    return any(_told_alike(i.claim, j.claim) for i, j in pairs)


def _place(item: _Claimed) -> str:
    return (item.claim.subject or "").partition(" @ ")[2]


# How far after a figure "in <place>" says where it holds ("35 people were injured in Suez").
PLACE_REACH = 30


def _only_one_said_of_a_place(a: _Claimed, b: _Claimed) -> bool:
    """Return whether one figure is said of a place ("in Suez" just after it) and the other
    names no place at all."""
    return (_said_in_place(a) and not _place(b)) or (_said_in_place(b) and not _place(a))


def _said_in_place(item: _Claimed) -> bool:
    text, written = item.claim.text, item.claim.value_text or ""
    at = text.find(written) if written else -1
    if at < 0:
        return False
    after = text[at + len(written) : at + len(written) + PLACE_REACH]
    return any(
        re.search(rf"\bin\s+(?:the\s+)?{re.escape(place.strip())}\b", after)
        for place in _place(item).split(",")
        if place.strip()
    )


def _told_alike(a: Claim, b: Claim) -> bool:
    """Return whether two figures' sentences share CONFLICT_CONTEXT_SHARED of the shorter
    one's content words, the figures and their measure left out."""
    shared, share = _shorter_share(_context(a), _context(b))
    return shared > 0 and share >= CONFLICT_CONTEXT_SHARED


def _shorter_share(a: set[str], b: set[str]) -> tuple[int, float]:
    """Return how many words two word sets share, and what share of the smaller set that is
    (0.0 for an empty one)."""
    shared = len(a & b)
    return shared, shared / min(len(a), len(b)) if a and b else 0.0


def _names(article: Article, claim: Claim) -> frozenset[str]:
    """Return the words of the names a claim's sentence gives (as the article names
    them in full), for a quantity; empty for other claims."""
    if claim.kind != "quantity" or article.annotations is None:
        return frozenset()
    return frozenset(
        w
        for m in article.annotations.mentions
        if claim.span.start <= m.start < claim.span.end
        for w in m.canonical.lower().split()
        if len(w) > 2
    )


def _context(claim: Claim) -> set[str]:
    """Return a figure's sentence's content words, without figures or the figure's words."""
    own = content_tokens(f"{claim.measure or ''} {claim.value_text or ''}")
    return {t for t in content_tokens(claim.text) if not t[0].isdigit()} - own


def _near(group: Sequence[_Claimed], ratio: float = 0.0) -> bool:
    """Return whether a group's figures are within a ratio (CONFLICT_MAX_RATIO unless
    given) of each other."""
    values = [abs(i.claim.value) for i in group if i.claim.value]
    return not values or max(values) <= (ratio or CONFLICT_MAX_RATIO) * min(values)


def _same_day_clash(group: Sequence[_Claimed], dated: bool) -> list[_Claimed]:
    """Return the figures of two reports by independent sources that contradict each other
    at one moment (the time of a dated group, or reported the same day). Where each
    report's figures hold together, they contradict when what one says ("approximately
    1,000" and "as many as 1,000": 900 to 1,000) excludes what the other says; else when
    each gives a figure the other's figures all exclude, so a range ("8 to 12 inches") is
    not contradicted by one of its ends ("12 inches"). A report is one article; for a
    running count of no stated time it is all one source reported that day, since a count
    revised within the day is not contradicted by a figure the source itself gave hours
    apart. [] when figures differ only from one day to another, as a running count does."""
    running = split_label(group[0].claim.measure)[0] in RUNNING and not dated
    reports: dict[tuple[str, str | None, str], list[_Claimed]] = {}
    for item in group:
        key = (item.origin, item.day, "" if running else item.claim.span.article)
        reports.setdefault(key, []).append(item)
    for mine, theirs in itertools.combinations(reports.values(), 2):
        if mine[0].origin == theirs[0].origin:
            continue
        said = [_said(mine), _said(theirs)]
        if said[0] and said[1]:  # each report's figures hold together: what it says
            if not _compatible([said[0], said[1]]) and _one_moment(mine[0], theirs[0], dated):
                return [*mine, *theirs]
            continue
        lonely = _unmatched(mine, theirs) + _unmatched(theirs, mine)
        if any(_one_moment(a, b, dated) and a.origin != b.origin for a in lonely for b in lonely):
            return lonely
    return []


def _one_moment(a: _Claimed, b: _Claimed, dated: bool) -> bool:
    """Return whether two figures hold at one moment: the time of their dated group, or a
    day both were reported on (an unknown day is no such day)."""
    return dated or (a.day is not None and a.day == b.day)


def _said(report: Sequence[_Claimed]) -> tuple[float, float] | None:
    """Return the values a report's figures allow together ("approximately 1,000" and "as
    many as 1,000": 900 to 1,000), or None when they exclude each other."""
    intervals = [_interval(i.claim) for i in report]
    if not _compatible(intervals):
        return None
    return max(lo for lo, _ in intervals), min(hi for _, hi in intervals)


def _unmatched(mine: Sequence[_Claimed], theirs: Sequence[_Claimed]) -> list[_Claimed]:
    """Return my figures that none of theirs allows."""
    return [i for i in mine if not any(_fits(i, j) for j in theirs)]


def _interval(claim: Claim) -> tuple[float, float]:
    """Return the values a figure allows, given how it is rounded and hedged."""
    if claim.value is None:
        return (-math.inf, math.inf)  # a record without a figure fits any figure
    value = claim.value
    step = _rounding(claim)
    lo, hi = value - step / 2, value + step / 2
    hedges = set(claim.qualifiers)
    if hedges & AT_LEAST:
        lo, hi = value, math.inf
    elif hedges & AT_MOST:
        lo, hi = -math.inf if value < 0 else 0.0, value
    elif hedges & BELOW:
        lo, hi = value * (1 - APPROX_WIDTH), value
    elif hedges & APPROXIMATE:
        lo, hi = value * (1 - APPROX_WIDTH), value * (1 + APPROX_WIDTH)
    return lo, hi


def _rounding(claim: Claim) -> float:
    """Return the unit of the last digit written: "$190 billion" -> 1e9, "8.5%" -> 0.1."""
    written = re.search(r"\d[\d,]*(?:\.(\d+))?", claim.value_text or "")
    if written is None or claim.value is None:
        return 0.0
    digits = written.group(0).replace(",", "")
    number = float(digits)
    scale = claim.value / number if number else 1.0
    decimals = len(written.group(1) or "")
    return scale * 10.0**-decimals


def _compatible(intervals: Sequence[tuple[float, float]]) -> bool:
    return max(lo for lo, _ in intervals) <= min(hi for _, hi in intervals)


def _scope(claim: Claim) -> list[str]:
    """Return the qualifiers that narrow what a figure counts ("in person", "since 2012"),
    not one that only repeats the figure ("including four hurricanes", "including two
    search" of "including two search dogs": the figure's own number is in it)."""
    own = (claim.value_text or "").lower()
    number = own.split()[0] if own else ""
    return [
        q
        for q in claim.qualifiers
        if q not in _NOT_SCOPE_WORDS and not (own and own in q) and number not in q.split()
    ]


def _by_time(group: Sequence[_Claimed]) -> list[list[_Claimed]]:
    """Return the claims bucketed by the time they hold for, earliest first; a coarser time
    holds a finer one ("2023" and "2023-10"); claims with no time form one bucket."""
    buckets: list[list[_Claimed]] = []
    undated: list[_Claimed] = []
    for item in sorted(group, key=lambda i: (i.claim.time or "9999", i.day or "")):
        time = item.claim.time
        if time is None:
            undated.append(item)
            continue
        home = next((b for b in buckets if same_time(time, b[0].claim.time or "")), None)
        if home is None:
            buckets.append([item])
        else:
            home.append(item)
    # an undated figure that fits a figure of exactly one time is taken to be of that
    # time, so "$240 billion" and "$240 billion in 2023" are one agreement, not two;
    # one that fits none holds on the day it was reported, if a bucket's time holds that
    rest: list[_Claimed] = []
    for item in undated:
        fits = [b for b in buckets if any(_fits(i, item) for i in b)]
        if len(fits) != 1 and item.day:
            fits = [b for b in buckets if same_time(item.day, b[0].claim.time or "")]
        (fits[0] if len(fits) == 1 else rest).append(item)
    return buckets + ([rest] if rest else [])


def _fits(a: _Claimed, b: _Claimed) -> bool:
    """Return whether two figures allow a value in common."""
    return _compatible([_interval(a.claim), _interval(b.claim)])


def same_time(a: str, b: str) -> bool:
    """Return whether two times can be the same: a coarser one holds a finer one ("2023" and
    "2023-10"), and a month of an unknown year ("XXXX-06") is that month of any year."""
    if a.startswith("XXXX") and b[:4].isdigit():
        a = b[:4] + a[4:]
    elif b.startswith("XXXX") and a[:4].isdigit():
        b = a[:4] + b[4:]
    return a.startswith(b) or b.startswith(a)


def _by_parties(bucket: list[_Claimed]) -> list[list[_Claimed]]:
    """Return the bucket split by parties: "Chile–Peru trade" is not "Bolivia–Chile trade".
    A claim that names no parties ("bilateral trade") joins the most reported pair."""
    groups: list[tuple[frozenset[str], list[_Claimed]]] = []
    loose = []
    for item in bucket:
        _, parties = split_label(item.claim.measure or "")
        if not parties:
            loose.append(item)
            continue
        home = next((g for p, g in groups if same_parties(p, parties)), None)
        if home is None:
            groups.append((parties, [item]))
        else:
            home.append(item)
    if not groups:
        return [loose] if loose else []
    biggest = max((g for _, g in groups), key=len)
    biggest.extend(loose)
    return [g for _, g in groups]


def same_parties(a: frozenset[str], b: frozenset[str]) -> bool:
    """Return whether two sets of parties name the same ones: "Xi Jinping" is "Xi"."""

    def words(name: str) -> set[str]:
        return set(name.lower().split())

    return len(a) == len(b) and all(any(words(x) & words(y) for y in b) for x in a)


def _family(claim: Claim) -> str:
    """Return the kind of unit a figure is in: a currency, percent, points, a count, or a
    record."""
    if claim.value is None:
        return "record"
    if claim.unit == "%":
        return "percent"
    if claim.unit in ("pp", "bp"):
        return "points"  # a change in percentage points is not a level in percent
    if claim.unit and claim.unit.isupper() and len(claim.unit) == 3:
        return "money:" + claim.unit
    return "count"


# ---- statements and quotes -------------------------------------------------------------


def statement_findings(
    items: Sequence[_Claimed], group_statements: StatementGrouper
) -> list[Finding]:
    """Return statements several independent sources make (agree) and those only one makes."""
    if not items:
        return []
    labels = group_statements([i.claim.text for i in items])
    out = []
    for label in dict.fromkeys(labels):
        alike = [i for i, lab in zip(items, labels, strict=True) if lab == label]
        out += [_statement_finding(group) for group in _one_statement_each(alike)]
    return out


# Two sentences tell one statement when this share of the shorter one's content words
# (stemmed, stop words out) stand in the longer, and at least STATEMENT_MIN_SHARED of them
# do. The speaker's own name, the words of attribution ("said", "told") and the speaker's
# role ("spokeswoman") are left out first: they are shared by any two remarks of one
# person. Sentences alike in meaning but not in words were most often two remarks on one
# theme (T17 haiti and bpoil, judged by hand: docs/checks-judged.md).
STATEMENT_SHARED = 0.5
STATEMENT_MIN_SHARED = 2
_ATTRIBUTION_WORDS = frozenset(stem(w) for w in (
    "said", "says", "say", "told", "tells", "tell", "stated", "announced", "declared",
    "added", "adding", "according", "spokesman", "spokeswoman", "spokesperson",
    "statement", "mr", "mrs", "ms", "dr",
))  # fmt: skip


def _one_statement_each(alike: Sequence[_Claimed]) -> list[list[_Claimed]]:
    """Return statements alike in meaning split so that each group is one speaker's one
    statement: the same speaker, and most of the words shared with one of the group's. A
    statement joins the group it shares most words with."""
    groups: list[list[_Claimed]] = []
    for item in sorted(alike, key=lambda i: (i.day or "", i.claim.span.start)):
        scored = [
            (max(_statement_overlap(i.claim, item.claim) for i in g), k)
            for k, g in enumerate(groups)
        ]
        best = max((s for s in scored if s[0] > 0), default=None)
        if best is None:
            groups.append([item])
        else:
            groups[best[1]].append(item)
    return groups


def _statement_overlap(a: Claim, b: Claim) -> float:
    """Return the share of the shorter statement's words in the longer when the two tell
    one speaker's one statement, else 0."""
    names = [set((n or "").lower().split()) for n in (a.speaker, b.speaker)]
    if not names[0] & names[1]:
        return 0.0  # one speaker ("Xi" and "Xi Jinping"), not two
    said = {stem(w) for w in names[0] | names[1]} | _ATTRIBUTION_WORDS
    shared, share = _shorter_share(content_tokens(a.text) - said, content_tokens(b.text) - said)
    return share if shared >= STATEMENT_MIN_SHARED and share >= STATEMENT_SHARED else 0.0


def _statement_finding(group: list[_Claimed]) -> Finding:
    """Return one statement's finding: agreed by several independent sources, or unique."""
    n = len({i.origin for i in group})
    first = min(group, key=lambda i: (i.day or "", i.claim.span.start)).claim
    who = f" ({first.speaker})" if first.speaker else ""
    if n >= 2:
        return _finding("agree", f"{n} sources report{who}: {first.text}", group, None)
    return _finding("unique", f"Only {_sources(group)} reports{who}: {first.text}", group, None)


def quote_findings(items: Sequence[_Claimed]) -> list[Finding]:
    """Return who said what: each quotation once, with the sources that carry it and how
    (verbatim, truncated, paraphrased); one carried by two independent sources also agrees."""
    out = []
    for group in _quote_groups(items):
        fullest = max(group, key=lambda i: len(i.claim.text)).claim
        speakers = {_surname(i.claim.speaker) for i in group if i.claim.speaker}
        wording = {i.claim.span.article: _wording(i.claim.text, fullest.text) for i in group}
        who = fullest.speaker or next((i.claim.speaker for i in group if i.claim.speaker), None)
        line = f"{who or 'Unattributed'}: “{fullest.text}”"
        finding = _finding("quote", line, group, None)
        finding.wording = wording
        finding.speakers_match = len(speakers) <= 1
        out.append(finding)
        n = len({i.origin for i in group})
        if n >= 2:
            out.append(_finding("agree", f"{n} sources carry the words of {who or 'one speaker'}"
                                f": “{fullest.text}”", group, None))  # fmt: skip
    return out


def _one_per_article(group: list[_Claimed]) -> list[_Claimed]:
    """Return the group with one claim per article (its fullest): a source carries the
    words once however often it repeats them."""
    best: dict[str, _Claimed] = {}
    for item in group:
        kept = best.get(item.claim.span.article)
        if kept is None or len(item.claim.text) > len(kept.claim.text):
            best[item.claim.span.article] = item
    return list(best.values())


def _quote_groups(items: Sequence[_Claimed]) -> list[list[_Claimed]]:
    """Return the quotes grouped by their words; one article's quotes join only when they
    are the same words (a lead repeating the body), not when one is a word of the other."""
    groups: list[list[_Claimed]] = []
    for item in sorted(items, key=lambda i: -len(i.claim.text)):
        home = next((g for g in groups if _joins(item, g)), None)
        if home is None:
            groups.append([item])
        else:
            home.append(item)
    return [_one_per_article(g) for g in groups]


def _joins(item: _Claimed, group: list[_Claimed]) -> bool:
    if not _same_words(item.claim.text, group[0].claim.text):
        return False
    mine = _words(item.claim.text)
    return all(i.claim.span.article != item.claim.span.article or _words(i.claim.text) == mine
               for i in group)  # fmt: skip


# A quotation shorter than this is a word or phrase ("unstoppable", "as quickly as
# possible", "late-night talk-show"): found inside a longer one it is not that quotation
# carried again. 4 let such four-word phrases through on ECB+ dev (docs/checks-judged.md,
# sample 4, lines 35 and 38).
QUOTE_MIN_WORDS = 5


def _same_words(a: str, b: str) -> bool:
    wa, wb = _words(a), _words(b)
    if min(len(wa), len(wb)) < QUOTE_MIN_WORDS:
        return wa == wb and bool(wa)
    short, long = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    if _in_order_share(short, long) >= QUOTE_CONTAINED:
        return True
    return len(set(wa) & set(wb)) / len(set(wa) | set(wb)) >= QUOTE_PARAPHRASE


def _wording(text: str, fullest: str) -> str:
    mine, full = _words(text), _words(fullest)
    if mine == full:
        return "verbatim"
    joined, whole = " ".join(mine), " ".join(full)
    return "truncated" if joined and joined in whole else "paraphrased"


def _in_order_share(short: list[str], long: list[str]) -> float:
    """Return the share of short's words found in long in the same order."""
    k = 0
    for word in long:
        if k < len(short) and short[k] == word:
            k += 1
    return k / len(short)


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _surname(name: str | None) -> str:
    return (name or "").split()[-1].lower() if name else ""


# ---- shared ----------------------------------------------------------------------------


def _day(article: Article) -> str | None:
    return article.date.start if article.date and article.date.start else None


def _finding(kind: str, statement: str, group: Sequence[_Claimed], measure: str | None) -> Finding:
    return Finding(
        kind=kind,
        statement=statement,
        claims=[i.claim for i in group],
        measure=measure,
        independent_sources=len({i.origin for i in group}),
    )


def _measure(group: Sequence[_Claimed]) -> str:
    """Return the group's measure as most of its claims name it, the fullest first, with
    its status: "inflation", "inflation (target)"."""
    names = [i.claim.measure or "" for i in group]
    name = max(names, key=lambda n: (len(split_label(n)[1]), names.count(n), n))
    state = status(group[0].claim)
    return f"{name} ({state})" if state else name


def _sources(group: Sequence[_Claimed]) -> str:
    """Return the group's independent sources, with how many copies carried their words."""
    copies = len({i.claim.span.article for i in group}) - len({i.origin for i in group})
    names = ", ".join(dict.fromkeys(i.origin for i in group))
    return names + (f" (and {copies} cop{'y' if copies == 1 else 'ies'})" if copies > 0 else "")


def _values(group: Sequence[_Claimed]) -> str:
    return " / ".join(dict.fromkeys(written(i.claim) for i in group))


def _dated(items: Sequence[_Claimed]) -> list[str]:
    seen = dict.fromkeys(
        written(i.claim) + (f" ({i.claim.time})" if i.claim.time else "") for i in items
    )
    return list(seen)


def written(claim: Claim) -> str:
    """Return a figure as its sentence gives it, hedge included: "more than 40 times"."""
    value = claim.value_text or ""
    at = claim.text.find(value)
    for hedge in claim.qualifiers:
        if hedge in HEDGES and at > 0:
            before = re.search(rf"\b{re.escape(hedge)}\s+$", claim.text[:at], re.IGNORECASE)
            if before:
                return claim.text[before.start() : at] + value
    return value
