"""Text a tokeniser split (Penn Treebank style, as in Timeline17 and corpora built like it)
put back as written: "Michael Jackson 's doctor , Dr Conrad Murray" and "August 29 , 1958"
read as in print, so one person is one name, a date is one date and a quotation is quoted.

Used by storyline.stages.clean.article on every page that looks tokenised, and by the readers of
benchmark text (dating, timelines) on raw corpus lines.
"""

from __future__ import annotations

import re

# Bracket and quotation tokens (a quotation mark with the space the tokeniser set on its
# inner side), and the escaped slash.
_TOKENS = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}",
           "``": '"', "''": '"', "\\/": "/"}  # fmt: skip
_TOKEN = re.compile(r"``\s?|\s?''|-[LR][RSC]B-|\\/")
# The space a tokeniser puts before closing punctuation and clitics ("said , ", "do n't").
_SPACE_BEFORE = re.compile(
    r" (?=[,.;:!?%)\]}](?:\s|$|[\"'])|'s\b|'re\b|'ve\b|'ll\b|'d\b|'m\b|n't\b|'(?:\s|$))"
)
# ... and after opening ones ("( Reuters", "$ 5", "` not suspicious '").
_SPACE_AFTER = re.compile(r"(?<=[(\[{$`]) ")
# The pound sign, which the Treebank writes "#" ("# 20m").
_POUND = re.compile(r"(?<![\w#])# (?=\d)")
# A sentence that ends on an abbreviation gets its full stop twice ("the U.S. .").
_DOUBLE_STOP = re.compile(r"(?<=[A-Za-z]\.)\s\.(?=\s|$)")

# A page is tokenised when most of its commas and full stops stand apart from the word
# before them; print puts almost none so.
_MARK = re.compile(r"[,.](?=\s|$)")
_SPACED_MARK = re.compile(r"\s[,.](?=\s|$)")
MIN_MARKS = 3  # fewer commas and full stops than this say nothing either way
TOKENISED_SHARE = 0.6  # of commas and full stops set apart


def looks_tokenised(text: str) -> bool:
    """Return whether text was split by a tokeniser: bracket tokens, or most commas and
    full stops set apart from the word before them."""
    if "-LRB-" in text or "-RRB-" in text:
        return True
    marks = len(_MARK.findall(text))
    return marks >= MIN_MARKS and len(_SPACED_MARK.findall(text)) >= TOKENISED_SHARE * marks


def untokenise(text: str) -> str:
    """Return tokenised text as it was written, line for line: tokens for brackets, quotes
    and slashes replaced, and the spaces the tokeniser added taken out."""
    text = _DOUBLE_STOP.sub("", _TOKEN.sub(lambda m: _TOKENS[m[0].strip()], text))
    text = _SPACE_AFTER.sub("", _SPACE_BEFORE.sub("", text)).replace("`", "'")
    return _POUND.sub("£", text)
