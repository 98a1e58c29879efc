"""Ideas about English news text that several stages share, each with one home: where a
sentence ends, the tense a time is spoken of in, and the words that hedge a figure.

The sentences of an annotated article are the stored spaCy ones (`Annotations.sentences`).
The regex here is for text that has none: the cleaner runs before spaCy, dating reads the
page with its removed furniture put back, and the TIMEX engine also reads raw text
(`storyline eval timex`). This module imports nothing of the project's, so every layer,
the TIMEX engine included, may import it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

# --- sentences ---------------------------------------------------------------------------

# A sentence ends at a full stop, question or exclamation mark (with a closing quote or
# bracket) before a capital (after an opening quote or bracket), and at a line's end.
_AFTER_STOP = r"[\"”’)'\]]?\s+(?=[\"“‘(`']*[A-Z])"
SENTENCE_BREAK = re.compile(rf"[.!?]{_AFTER_STOP}|\n")
# The breaks the cleaner may cut a line at: after a word of two lower-case letters or more,
# never after an initial ("U.S. Embassy"), a number or an ellipsis ("spewing ma ...
# Photos"), where a false break would cut a headline in two. Each match starts after the
# stop. On Timeline17 the looser SENTENCE_BREAK left 3 of 2,452 headlines glued on.
WORD_BREAK = re.compile(rf"(?<=[a-z]{{2}}[.!?]){_AFTER_STOP}")


def sentence_around(text: str, start: int, end: int, reach: int) -> tuple[int, int]:
    """Return the bounds of the sentence holding text[start:end], at most reach characters
    either side of it."""
    lo, hi = max(0, start - reach), min(len(text), end + reach)
    for brk in SENTENCE_BREAK.finditer(text, lo, start):
        lo = brk.end()
    after = SENTENCE_BREAK.search(text, end, hi)
    return lo, after.start() if after else hi


# --- tense -------------------------------------------------------------------------------

PAST, UNKNOWN, FUTURE = -1, 0, 1


class Tense(NamedTuple):
    """The tense of the cue nearest an expression in its sentence."""

    sign: int  # PAST, UNKNOWN or FUTURE
    gap: int  # characters from the expression to that cue (the reach when there is none)
    sure: bool  # the sentence holds no cue of another tense


@dataclass(frozen=True)
class TenseCues:
    """The words a reader of tense goes by and how it weighs them."""

    reach: int  # characters either side of the expression to look for cues
    cues: tuple[tuple[re.Pattern[str], int], ...]  # each with its tense; the first wins a tie
    after_weight: int = 1  # a cue after the expression counts at this multiple of its distance
    # Reporting verbs: the weakest cue, PAST only when the sentence holds no other.
    report: re.Pattern[str] | None = None
    participles: bool = False  # an auxiliary right before a past form decides its tense


def tense(text: str, start: int, end: int, cues: TenseCues) -> Tense:
    """Return the tense of the cue nearest text[start:end] in its sentence."""
    lo, hi = sentence_around(text, start, end, cues.reach)
    best: tuple[int, int] | None = None
    seen: set[int] = set()
    for pattern, sign in cues.cues:
        for m in pattern.finditer(text, lo, hi):
            if m.start() < end and m.end() > start:
                continue  # the expression's own words ("next", "last") are not its verb
            if cues.report is not None and cues.report.fullmatch(m.group()):
                continue
            here = sign
            if sign == PAST and cues.participles:
                here = _participle(text, max(lo, m.start() - 24), m.start())
                if here == UNKNOWN:
                    continue  # "is expected", "are based": a participle, not a past verb
            seen.add(here)
            gap = start - m.end() if m.end() <= start else cues.after_weight * (m.start() - end)
            if best is None or gap < best[0]:
                best = (gap, here)
    if best is not None:
        return Tense(best[1], best[0], len(seen) == 1)
    reported = cues.report is not None and cues.report.search(text, lo, hi) is not None
    return Tense(PAST if reported else UNKNOWN, cues.reach, False)


def _participle(text: str, lo: int, at: int) -> int:
    """Return the tense of a past form at `at` as the auxiliary right before it sets it:
    "will be paid" is future, "was sold" past, "is expected" neither; PAST without one."""
    aux = _AUX_BEFORE.search(text, lo, at)
    if aux is None:
        return PAST
    word = aux.group(1).lower()
    if word in _PRESENT_AUX:
        return UNKNOWN
    return PAST if word in _PAST_AUX else FUTURE


# The auxiliary right before a past form ("will be paid", "was sold", "is expected").
_AUX_BEFORE = re.compile(
    r"\b(will|shall|would|could|should|must|might|may|can|to|is|are|am|be|been|being|was|"
    r"were|has|have|had|did)(?:\s+(?:be|been|being|not|also|already|now|just))*\s+$",
    re.IGNORECASE,
)
# Modals and present auxiliaries leave the participle's time open: "could be located".
_PRESENT_AUX = frozenset(
    {"is", "are", "am", "be", "being", "would", "could", "should", "must", "might", "may", "can"}
)
_PAST_AUX = frozenset({"was", "were", "has", "have", "had", "did", "been"})

# Two readers of tense use these, tuned apart on different data for different costs.
#
# BOUND_CUES (dating, tuned on Timeline17): a date read as past sets a lower bound on the
# publication day, and one false bound misdates the page, so a cue of any other kind in
# the sentence makes the reading unsure, and modal, present-tense and passive verbs and
# words of intent or forecast are cues of no tense: "trade is projected to reach 9% in
# 2020", "whose term ends in 2013", "getting re-elected in 2011". Each false lower bound
# found on Timeline17 added a word. The governing verb mostly comes first ("arrived on
# Tuesday ahead of talks scheduled for ..."), so a cue after the expression counts at
# twice its distance.
#
# DIRECTION_CUES (the TIMEX engine, tuned on TimeBank/AQUAINT): which way a relative date
# points ("Tuesday" ahead or back). Every expression needs a direction, so modals read as
# future, a participle takes its tense from its auxiliary, and reporting verbs count
# only when nothing else does: "will meet on Thursday, the palace said" is future.
BOUND_CUES = TenseCues(
    reach=200,
    cues=(
        (
            re.compile(
                r"\b(?:will|won't|shall|(?:is|are|was|were) (?:due|set|expected|scheduled|going|"
                r"slated) to|scheduled (?:for|to)|planned for|plans? to|planning to|upcoming|"
                r"next|later this)\b|'ll\b",
                re.I,
            ),
            FUTURE,
        ),
        (
            re.compile(
                r"\b(?:would|could|might|may|should|must|if|unless|expect\w*|project(?:ed|ions?|s)?|"
                r"forecast\w*|estimat\w*|plan(?:s|ned|ning)?|target\w*|schedul\w*|deadline|aim\w*|"
                r"pledge\w*|vow\w*|promis\w*|hope\w*|bid|set|setting|"
                r"is|are|am|has|have|does|says|ends|remains|expires|runs|goes|comes|opens|begins|"
                r"starts|(?:is|are|be|being|get|gets|getting)\s+[a-z-]+ed)\b",
                re.I,
            ),
            UNKNOWN,
        ),
        (
            re.compile(
                r"\b(?!(?:expected|scheduled|planned|proposed|slated|needed|required)\b)"
                r"(?:was|were|had|did|said|told|met|went|came|took|gave|made|held|left|spoke|saw|"
                r"began|won|lost|led|brought|bought|sold|got|paid|found|became|ran|hit|struck|"
                r"fell|rose|sank|grew|built|spent|sent|kept|felt|fled|fought|sought|stood|wrote|"
                r"drove|chose|broke|shot|threw|drew|knew|flew|heard|since|ago|last|earlier|"
                r"[a-z]{3,}ed)\b",
                re.I,
            ),
            PAST,
        ),
    ),
    after_weight=2,
)
DIRECTION_CUES = TenseCues(
    reach=300,
    cues=(
        (
            re.compile(
                r"\b(?:will|won't|shall|would|"
                r"(?:is|are|be|was|were) (?:due|set|expected|scheduled|going|likely|slated) to|"
                r"scheduled|planned for|plan(?:s|ned|ning)? to|set to|(?:is|are) to|upcoming|"
                r"as soon as|as early as|effective|"
                r"intends? to|hopes? to|wants? to|aims? to|expects? to)\b|'ll\b",
                re.IGNORECASE,
            ),
            FUTURE,
        ),
        (
            re.compile(
                r"\b(?!(?:scheduled|expected|planned|based|called|named|related|used|concerned|"
                r"interested|involved|limited|proposed|preferred|red|bed|need|feed|speed|seed|"
                r"indeed|hundred|united)\b)"
                r"(?:was|were|had|did|met|went|came|took|gave|made|held|left|spoke|saw|began|"
                r"flew|sent|won|lost|led|brought|got|paid|found|became|ran|fell|rose|told|sold|"
                r"bought|struck|hit|killed|ago|earlier|[a-z]{3,}ed)\b"
            ),
            PAST,
        ),
    ),
    report=re.compile(r"\b(?:said|says|told|added|noted|stated)\b"),
    participles=True,
)


# --- hedges ------------------------------------------------------------------------------

# What a hedge says of the true figure against the one written, named as TIMEX3 mods, and
# NEARLY for "a little under" (TIMEX3 writes LESS_THAN for it too).
MORE_THAN, EQUAL_OR_MORE = "MORE_THAN", "EQUAL_OR_MORE"
LESS_THAN, EQUAL_OR_LESS = "LESS_THAN", "EQUAL_OR_LESS"
NEARLY, APPROX = "NEARLY", "APPROX"

# The words written before a figure that bound or round it: "more than 40", "nearly three
# years". Each reader takes what it needs: quantities keep any of them on a figure, the
# cross-check widens a figure by its kind, the TIMEX engine gives a duration its mod.
# "as high as 19%" is a peak, the most the figure reached; "as low as" the least.
HEDGES: dict[str, str] = {
    "more than": MORE_THAN, "over": MORE_THAN, "just over": MORE_THAN,
    "well over": MORE_THAN, "above": MORE_THAN, "in excess of": MORE_THAN,
    "upwards of": MORE_THAN, "at least": EQUAL_OR_MORE, "as low as": EQUAL_OR_MORE,
    "as few as": EQUAL_OR_MORE, "as little as": EQUAL_OR_MORE,
    "less than": LESS_THAN, "fewer than": LESS_THAN, "under": LESS_THAN, "below": LESS_THAN,
    "at most": EQUAL_OR_LESS, "up to": EQUAL_OR_LESS, "no more than": EQUAL_OR_LESS,
    "as much as": EQUAL_OR_LESS, "as many as": EQUAL_OR_LESS, "as high as": EQUAL_OR_LESS,
    "nearly": NEARLY, "almost": NEARLY, "just under": NEARLY, "close to": NEARLY,
    "barely": NEARLY,
    "about": APPROX, "around": APPROX, "roughly": APPROX, "approximately": APPROX,
    "some": APPROX, "an estimated": APPROX,
}  # fmt: skip


def hedges(*kinds: str) -> frozenset[str]:
    """Return the hedges of the given kinds."""
    return frozenset(word for word, kind in HEDGES.items() if kind in kinds)
