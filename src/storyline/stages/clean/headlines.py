"""The headline, and the caption under it, that a page glues before its lead without a full
stop ("<headline> <caption> <Lead ...>.", BBC and Guardian pages in Timeline17): cut off the
page's first long text piece where a lower-case word runs into a word that opens the lead.
Used by storyline.stages.clean.article on the pieces storyline.stages.furniture.split_line makes.
"""

from __future__ import annotations

import re
from collections import Counter

from storyline.stages.clean.furniture import MIN_LEAD_WORDS
from storyline.stages.clean.furniture_words import JOINING_WORDS, SENTENCE_OPENERS
from storyline.text import WORD_BREAK

HEADLINE = "headline"  # a page's headline, and the caption under it, glued before its lead
MIN_HEAD_WORDS = 3  # a headline glued before the lead has at least three words
# Quotation marks, single and double, each kind with the pattern that counts it (a single
# mark inside a word is an apostrophe): an even count up to one closes a pair.
_QUOTE_MARKS = {
    "`'‘’": re.compile(r"[`‘]|(?<![A-Za-z])['’]|['’](?![A-Za-z])"),
    '"“”': re.compile(r"[\"“”]"),
}


def cut_glued_head(split: list[list[tuple[str, str | None]]]) -> None:
    """Cut the headline and caption a page glued before its lead, without a full stop, off
    the first long text piece ("<headline> <caption> <Lead ...>."; BBC pages in T17 dev): at
    the last place in its first sentence where a lower-case word runs into a capitalised one
    the page writes more often in lower case (so not a name) or that opens sentences, and
    which is not followed by another capitalised word (so not a title: "urged President
    Mubarak")."""
    first = next(
        (
            (i, j)
            for i, parts in enumerate(split)
            for j, (text, reason) in enumerate(parts)
            if reason is None and len(text.split()) >= MIN_HEAD_WORDS + MIN_LEAD_WORDS
        ),
        None,
    )
    if first is None:
        return
    i, j = first
    text = split[i][j][0]
    others = " ".join(t for k, parts in enumerate(split) if k != i for t, _ in parts)
    written = Counter(re.findall(r"\b[A-Za-z][a-z'’-]+\b", others))
    common = frozenset(w for w in written if w.islower() and written[w] > written[w.title()])
    sentence = WORD_BREAK.search(text)
    words = list(re.finditer(r"\S+", text[: sentence.start() if sentence else len(text)]))
    cut = None
    for k in range(MIN_HEAD_WORDS, len(words) - MIN_LEAD_WORDS + 1):
        before, word, after = words[k - 1][0], words[k][0], words[k + 1][0]
        if _runs_into_lead(before, word, after, common, _closes_quote(text, words, k - 1)):
            cut = words[k].start()
    if cut is not None:
        split[i][j : j + 1] = [(text[:cut].strip(), HEADLINE), (text[cut:], None)]


def _runs_into_lead(
    before: str, word: str, after: str, common: frozenset[str], closes: bool
) -> bool:
    """Return True when word may open a lead glued after before (see cut_glued_head);
    closes tells whether before is a quotation mark that closes."""
    if not (word.isalpha() and word.istitle()) or before.lower() in JOINING_WORDS:
        return False
    if before[-1] in ".,;:!?)-" or before.endswith(("'s", "’s")) or before[0].isupper():
        return False
    if not any(c.isalnum() for c in before) and not closes:
        return False  # an opening quote: the quotation goes on
    if word in SENTENCE_OPENERS:
        return True
    return word.lower() in common and not after[0].isupper()


def _closes_quote(text: str, words: list[re.Match[str]], k: int) -> bool:
    """Return True when the k-th word of text is a quotation mark that closes a quotation
    ending a sentence: an even count of its kind up to it, not after a comma ("..., " he)."""
    mark = words[k][0]
    kind = next((m for m in _QUOTE_MARKS if mark and set(mark) <= set(m)), None)
    if kind is None or (k and words[k - 1][0].endswith(",")):
        return False
    return len(_QUOTE_MARKS[kind].findall(text, 0, words[k].end())) % 2 == 0
