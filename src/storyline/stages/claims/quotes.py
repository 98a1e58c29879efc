"""Direct quotations and who said them: rules over quotation marks, speech verbs
and the article's named mentions (no model)."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from storyline.models import Mention, Quote

# Shorter quoted phrases are mostly scare quotes or titles ("no-limits", "gala"); they
# count only when a speech verb and a speaker stand right by them. Chosen on news text:
# real partial quotes of 1-3 words nearly always sit next to "said".
MIN_QUOTE_WORDS = 4
# How many words may stand between a speech verb and a short quote it introduces.
SHORT_QUOTE_MAX_GAP = 3
# Attribution after a quote: '"…," Alexander Gabuev, director of the X Centre, told AFP'
# fits in 12 words and 150 characters; longer stretches are a new statement.
MAX_PRE_WORDS = 12
MAX_TAIL_CHARS = 150
# How far after a leading verb ("said Mr Xi", "according to the Kremlin") the speaker may start.
POST_WINDOW = 60
# A sentence this short right after a sentence-closing quote may be its attribution ("Xi said.").
SHORT_ATTRIBUTION_WORDS = 8

_VERB = re.compile(
    r"\b(?:(?:was|were) quoted as saying|quoted as saying|according to|said|says|say|told|tells|"
    r"added|adds|stated|declared|noted|explained|insisted|argued|warned|stressed|emphasi[sz]ed|"
    r"asserted|remarked|wrote|writes|tweeted|posted|announced|replied|responded|continued|"
    r"recalled|claimed|acknowledged|admitted|observed|commented|urged|vowed|promised|"
    r"suggested|asked|saying)\b",
    re.IGNORECASE,
)
# Verbs that attribute words, not only a stance ("declared a 'no-limits' partnership"):
# the only ones that let a short quote count.
_SAYING = {
    "said", "says", "say", "told", "tells", "added", "adds", "according to", "saying",
    "quoted as saying", "was quoted as saying", "were quoted as saying",
}  # fmt: skip
# A name right after one of these is a place or a go-between, not who speaks:
# "Mr Xi, speaking in Moscow, said", "in an interview with Xinhua, Putin said".
_AFTER_PREPOSITION = re.compile(
    r"\b(?:in|at|to|from|of|for|with|across|into|on|by|near|over)\s+(?:the\s+)?$", re.IGNORECASE
)
# How far back from a mention to look for the preposition governing it.
_PREPOSITION_REACH = 20
_PRONOUN = re.compile(r"\b(?:he|she|it)\b", re.IGNORECASE)
_LEADING_PRONOUN = re.compile(r"[\s,;:—–-]*(?P<p>he|she|it)\b", re.IGNORECASE)
_DOUBLE = re.compile(r"[\"“”]")
# A single-quoted span; a ’ followed by a letter is an apostrophe inside it ("don’t").
_SINGLE = re.compile(r"‘(?:[^‘’\n]|’(?=\w))+’(?!\w)")
_WORD = re.compile(r"\w+")
_EDGE_PUNCT = " \t,;:—–-"


@dataclass(frozen=True)
class _Mark:
    """One quotation: outer span with the marks, inner span of the words."""

    outer_start: int
    outer_end: int
    start: int
    end: int


@dataclass(frozen=True)
class _Attribution:
    speaker: str | None
    verb: str
    gap: int  # words between the verb and the quote (0 when the verb follows it)


@dataclass
class _Context:
    text: str
    masked: str  # quoted words blanked out, so nothing inside a quote reads as attribution
    marks: list[_Mark]
    mentions: list[Mention]  # outside quotations, in text order
    sentences: list[tuple[int, int]]
    paragraphs: list[tuple[int, int]]


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Return the spans of the non-blank lines of text."""
    spans, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            lead = len(line) - len(line.lstrip())
            spans.append((pos + lead, pos + len(line.rstrip())))
        pos += len(line) + 1
    return spans


def _mark(text: str, outer_start: int, outer_end: int, closed: bool) -> _Mark | None:
    start, end = outer_start + 1, outer_end - 1 if closed else outer_end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return _Mark(outer_start, outer_end, start, end) if start < end else None


def _double_marks(text: str, lo: int, hi: int) -> list[_Mark | None]:
    """Pair double quote marks within one paragraph; an unclosed one runs to its end."""
    marks: list[_Mark | None] = []
    opened: int | None = None
    for m in _DOUBLE.finditer(text, lo, hi):
        i, ch = m.start(), m.group()
        if opened is None:
            opened = None if ch == "”" else i
        elif ch == "“":  # a new opening before any close: the first quote was left open
            marks.append(_mark(text, opened, i, closed=False))
            opened = i
        else:
            marks.append(_mark(text, opened, i + 1, closed=True))
            opened = None
    if opened is not None:
        marks.append(_mark(text, opened, hi, closed=False))
    return marks


def _single_marks(text: str, lo: int, hi: int, taken: list[_Mark]) -> list[_Mark]:
    """Return ‘single-quoted’ full sentences; shorter ‘scare quotes’ are left out."""
    marks = []
    for m in _SINGLE.finditer(text, lo, hi):
        if any(t.outer_start < m.end() and m.start() < t.outer_end for t in taken):
            continue
        inner = m.group()[1:-1].strip()
        if _words(inner) >= MIN_QUOTE_WORDS and inner[-1] in ".,!?…":
            mark = _mark(text, m.start(), m.end(), closed=True)
            if mark:
                marks.append(mark)
    return marks


def _marks(text: str) -> list[_Mark]:
    found: list[_Mark] = []
    for lo, hi in paragraphs(text):
        doubles = [m for m in _double_marks(text, lo, hi) if m is not None]
        found += doubles + _single_marks(text, lo, hi, doubles)
    return sorted(found, key=lambda m: m.outer_start)


def quotation_spans(text: str) -> list[tuple[int, int]]:
    """Return the spans of every quotation in text, marks included, of any length."""
    return [(m.outer_start, m.outer_end) for m in _marks(text)]


def _index(spans: list[tuple[int, int]], pos: int) -> int | None:
    """Return the index of the span holding pos, or None."""
    i = bisect.bisect_right([s for s, _ in spans], pos) - 1
    return i if i >= 0 and pos < spans[i][1] else None


def _sentence_of(ctx: _Context, pos: int) -> tuple[int, int]:
    for spans in (ctx.sentences, ctx.paragraphs):
        i = _index(spans, pos)
        if i is not None:
            return spans[i]
    return pos, pos


def _resolve_pronoun(ctx: _Context, pronoun: str, pos: int) -> str | None:
    """Return the canonical name of the latest fitting mention in this or the last paragraph."""
    kinds = {"ORG"} if pronoun.lower() == "it" else {"PERSON"}
    para = _index(ctx.paragraphs, pos)
    lo = ctx.paragraphs[max(0, para - 1)][0] if para is not None else 0
    for mention in reversed(ctx.mentions):
        if mention.end <= pos and mention.start >= lo and mention.kind in kinds:
            return mention.canonical
    return None


def _first_speaker(ctx: _Context, lo: int, hi: int) -> str | None:
    """Return who stands first in [lo, hi): a leading pronoun or the first mention."""
    lead = _LEADING_PRONOUN.match(ctx.masked, lo, hi)
    if lead:
        return _resolve_pronoun(ctx, lead.group("p"), lead.start("p"))
    for mention in ctx.mentions:
        if mention.start >= lo and mention.end <= hi:
            return mention.canonical
    return None


def _subject_before(ctx: _Context, lo: int, hi: int) -> str | None:
    """Return the speaking subject before a verb: the nearest mention or pronoun that no
    preposition governs."""
    subjects = [
        (m.start, m.canonical)
        for m in ctx.mentions
        if m.start >= lo
        and m.end <= hi
        and not _AFTER_PREPOSITION.search(ctx.text, max(0, m.start - _PREPOSITION_REACH), m.start)
    ]
    pronouns = list(_PRONOUN.finditer(ctx.masked, lo, hi))
    if pronouns and (not subjects or pronouns[-1].start() > subjects[-1][0]):
        return _resolve_pronoun(ctx, pronouns[-1].group(), pronouns[-1].start())
    return subjects[-1][1] if subjects else None


def _tail_end(ctx: _Context, idx: int) -> int:
    """Return where the attribution after a quote must end."""
    mark = ctx.marks[idx]
    end = _sentence_of(ctx, mark.outer_end - 1)[1]
    if not ctx.text[mark.outer_end : end].strip():  # the quote closed its sentence
        # Only a sentence starting on the same line, after spaces, can be its attribution.
        following = len(ctx.text[end:]) - len(ctx.text[end:].lstrip(" \t"))
        nxt = _sentence_of(ctx, end + following)
        short = _words(ctx.text[nxt[0] : nxt[1]]) <= SHORT_ATTRIBUTION_WORDS
        if end < nxt[0] < nxt[1] and short and ctx.text[nxt[0]] not in '"“‘':
            end = nxt[1]
    if idx + 1 < len(ctx.marks):
        end = min(end, ctx.marks[idx + 1].outer_start)
    return min(end, mark.outer_end + MAX_TAIL_CHARS)


def _after(ctx: _Context, idx: int) -> _Attribution | None:
    """Attribute from the words after a quote: '"…," X said', '"…," said X', 'according to X'."""
    mark = ctx.marks[idx]
    lo, hi = mark.outer_end, _tail_end(ctx, idx)
    verb = _VERB.search(ctx.masked, lo, hi)
    pre = ctx.text[lo : verb.start()] if verb else ""
    if verb is None or _words(pre) > MAX_PRE_WORDS:
        return None
    name = verb.group().lower()
    if not pre.strip(_EDGE_PUNCT):
        speaker = _first_speaker(ctx, verb.end(), min(hi, verb.end() + POST_WINDOW))
        return _Attribution(speaker, name, 0)
    speaker = _first_speaker(ctx, lo, verb.start())
    comma_led = ctx.text[mark.end - 1] == "," or pre.lstrip().startswith((",", "—", "–"))
    if speaker is None and not comma_led:
        return None  # the words after the quote are a new statement, not its attribution
    return _Attribution(speaker, name, 0)


def _before(ctx: _Context, idx: int) -> _Attribution | None:
    """Attribute from the words before a quote: 'X said: "…"', 'X said that "…"'."""
    mark = ctx.marks[idx]
    lo = _sentence_of(ctx, mark.outer_start)[0]
    if ctx.text[:lo].rstrip().endswith(":"):  # 'X said:' closing the sentence before
        lo = _sentence_of(ctx, len(ctx.text[:lo].rstrip()) - 1)[0]
    verbs = list(_VERB.finditer(ctx.masked, lo, mark.outer_start))
    if not verbs:
        return None
    verb = verbs[-1]
    name = verb.group().lower()
    gap = _words(ctx.masked[verb.end() : mark.outer_start])
    if name == "according to":
        return _Attribution(_first_speaker(ctx, verb.end(), mark.outer_start), name, gap)
    return _Attribution(_subject_before(ctx, lo, verb.start()), name, gap)


def _inherited(ctx: _Context, idx: int, found: list[_Attribution | None]) -> _Attribution | None:
    """Return the attribution a paragraph-opening quote continues from the paragraph before,
    when that paragraph ended with an attributed quote."""
    previous = found[idx - 1] if idx else None
    if previous is None or previous.speaker is None:
        return None
    para = _index(ctx.paragraphs, ctx.marks[idx].outer_start)
    prev = _index(ctx.paragraphs, ctx.marks[idx - 1].outer_start)
    if para is None or prev != para - 1 or ctx.paragraphs[para][0] != ctx.marks[idx].outer_start:
        return None
    ended_with_it = _tail_end(ctx, idx - 1) >= ctx.paragraphs[prev][1]
    return previous if ended_with_it else None


def _context(
    text: str, marks: list[_Mark], mentions: list[Mention], sentences: list[tuple[int, int]]
) -> _Context:
    chars = list(text)
    for mark in marks:
        chars[mark.start : mark.end] = " " * (mark.end - mark.start)
    outside = [m for m in mentions if not any(k.start <= m.start and m.end <= k.end for k in marks)]
    paras = paragraphs(text)
    return _Context(
        text=text,
        masked="".join(chars),
        marks=marks,
        mentions=sorted(outside, key=lambda m: m.start),
        sentences=sorted(sentences) or paras,
        paragraphs=paras,
    )


def find_quotes(
    text: str, mentions: list[Mention], sentences: list[tuple[int, int]]
) -> list[Quote]:
    """Return the direct quotations in text, each with its speaker's canonical name if found."""
    marks = _marks(text)
    ctx = _context(text, marks, mentions, sentences)
    found: list[_Attribution | None] = []
    quotes = []
    for idx, mark in enumerate(marks):
        attribution = _after(ctx, idx) or _before(ctx, idx) or _inherited(ctx, idx, found)
        found.append(attribution)
        long_enough = _words(text[mark.start : mark.end]) >= MIN_QUOTE_WORDS
        close_call = (
            attribution is not None
            and attribution.speaker is not None
            and attribution.verb in _SAYING
            and attribution.gap <= SHORT_QUOTE_MAX_GAP
        )
        if long_enough or close_call:
            quotes.append(
                Quote(
                    start=mark.start,
                    end=mark.end,
                    text=text[mark.start : mark.end],
                    speaker=attribution.speaker if attribution else None,
                    verb=attribution.verb if attribution else None,
                )
            )
    return quotes
