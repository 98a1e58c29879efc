"""Page furniture around the reporting: bylines, datelines, stamps, captions, contributor
bios, reporting credits, correction notices and reader comments, recognised by their shape.

Two kinds of rule, both used by storyline.stages.clean.article:

- ``split_line`` cuts furniture glued to the front of a line ("HOUSTON | Thu Oct 28, 2010
  6:02 pm EDT HOUSTON (Reuters) - <lead>", "By <Name>, <Role>, BBC News <lead>") or inside it
  (a date-and-time stamp between standfirst and lead, a comment header after a sentence), so
  the reporting after it is kept and the furniture removed on its own.
- ``line_reason`` and ``mark_threads`` label whole lines: a line is a byline, a caption, a
  bio or a credit by its shape (how it starts, whether it has a time and a date and no
  sentence, where it sits), and a page of reader comments is cut from its first comment
  header (or the marker that opens it) to the end.

Shapes, not names: no outlet or author is listed except the outlets and agencies of
storyline.stages.clean.furniture_words, which a byline or dateline may end with. Tokenised text
("-LRB- Reuters -RRB-", "wrote :") reads like the plain form.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

from storyline.stages.clean.furniture_words import (
    BIO_WORDS,
    JOB_WORDS,
    MONTHS,
    OUTLETS,
    PLACE_OPENERS,
    SENTENCE_OPENERS,
    WEEKDAYS,
)
from storyline.text import WORD_BREAK

# Reason codes (stable strings the store, the report and the tests rely on).
CAPTION = "photo caption"
CREDIT = "photo credit"
STAMP = "update stamp"  # "Updated: <when>" lines (storyline.stages.clean.article reads them)
TIMESTAMP = "timestamp"  # a date and a time on their own or glued to a line: when a page was out
BYLINE = "byline"
DATELINE = "dateline"
BIO = "contributor bio"
COMMENT = "reader comment"
REPORTING = "reporting credit"
CORRECTION = "correction notice"

# Removed furniture that still says when a page was published, which dating reads in place.
READ_FOR_DATES = frozenset({CAPTION, TIMESTAMP, BYLINE, DATELINE, COMMENT, BIO})

# Lengths, set by reading the Timeline17 dev topics (bpoil, egypt, finan, mj): the longest
# byline with role, outlet and place there is under 120 characters, the longest bio line
# under 300; news paragraphs that start "By" or name a job run longer or sit mid-article.
MAX_BYLINE_CHARS = 160
MAX_BIO_CHARS = 300
MAX_CAPTION_CHARS = 400  # wire captions naming everyone in the frame run long
MAX_CAPTION_WORDS = 50  # a caption beside its credit (Guardian, Post pages in T17 dev)
MAX_CREDIT_LINE_CHARS = 400  # "(Reporting by <six names in five cities>; Editing by ...)"
MAX_NOTE_CHARS = 400  # a correction says what was wrong in a sentence or two
# A bio closes an article: only lines in its last part (by characters) are read as one.
BIO_MIN_POSITION = 0.7
EDGE_LINES = 2  # a dated slideshow caption opens or closes a page (Fox pages in T17 dev)
# A lone comment header in the back part of a page opens a thread that runs to the end; in
# the front it may be a quoted post, and only its own line goes.
THREAD_MIN_POSITION = 0.5

_I = re.IGNORECASE
_LP = r"(?:\(|-LRB-)"
_RP = r"(?:\)|-RRB-)"
_DASH = r"(?:-{1,2}|–|—)"
_OUTLET = "|".join(re.escape(o) for o in sorted(OUTLETS, key=len, reverse=True))
_JOB = "|".join(re.escape(w) for w in sorted(JOB_WORDS, key=len, reverse=True))
_BIO_JOB = "|".join(re.escape(w) for w in sorted(BIO_WORDS, key=len, reverse=True))
_NAME_WORD = r"(?:[A-Z][\w'’.-]*|de|da|van|von|der|den|la|le|al|bin|vanden|and)"
_NOT_NAME = rf"(?!(?:{MONTHS}|{WEEKDAYS}|The|This|That|Then|Now|Law)\b)"
_NAME = rf"{_NOT_NAME}[A-Z][\w'’.-]+(?:\s+{_NAME_WORD}){{1,4}}?"
# Dates and times as stamps write them: "Thu Oct 28, 2010", "14 June 2010", "30th Apr 2009".
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_DATE = (
    rf"(?:(?:{WEEKDAYS})\.?,?\s+)?(?:{_DAY}\s+(?:{MONTHS})\.?,?\s+\d{{4}}"
    rf"|(?:{MONTHS})\.?\s+{_DAY}\s*,?\s+\d{{4}})"
)
_TIME = (
    r"(?:\d{1,2}[:.]\d{2}(?::\d{2})?(?i:\s*[ap]\.?\s?m\b\.?)?|\d{1,2}(?i:\s?[ap]\.?m\b\.?))"
    r"(?-i:\s+[A-Z]{2,4}\b)?"
)
# A stamp: a date and a time together, in either order, maybe "Last updated at" between.
_STAMP_BODY = (
    rf"(?:(?:this\s+(?:article|story|page)\s+was\s+|page\s+)?(?:last\s+)?"
    rf"(?:updated?|amended)(?:\s+(?:at|on))?\s*:?\s*)?"
    rf"(?:{_DATE}\s*[,;:|-]?\s*(?:(?:last\s+)?updated\s+at\s+|at\s+)?{_TIME}"
    rf"|{_TIME}\s*[,;|]?\s*(?:UK\s+time\s*,?\s*|on\s+)?{_DATE})"
    rf"(?:\s*[,;]?\s*\d{{1,2}}[:.]\d{{2}}\s+UK\b)?(?:\s+Help\b)?"
)
# Also "Last updated: <date>" with no time, and "(Updated <time>" whose bracket a page lost.
_STAMP_INLINE = re.compile(
    rf"(?<![\w,])\s*(?:{_STAMP_BODY}|(?:last\s+updated|updated\s*:)\s*:?\s*{_DATE}"
    rf"|{_LP}\s*updated\s+(?:at\s+)?{_TIME}\s*(?:{_LP}[^()]{{0,30}}{_RP})?\s*{_RP}?)\s*",
    _I,
)
# "HOUSTON | Thu Oct 28, 2010 6:02 pm EDT", "By <Name> | May 27, 2010; 2:08 PM ET".
_PLACE = r"[A-Z][A-Za-z.'’\\/-]*(?:[\s,]+[A-Z][A-Za-z.'’\\/-]*){0,4}"
_PLACE_STAMP = re.compile(rf"^{_PLACE}\s*\|\s*{_STAMP_BODY}\s*(?:{_DASH}\s*)?")
# "WASHINGTON (Reuters) - ", "Jacksonville, Florida (CNN) -- ", "GRAND ISLE, La., May 3 -- ".
_DATELINE = re.compile(
    rf"^(?:{_PLACE}\s*{_LP}\s*(?i:{_OUTLET})\s*{_RP}\s*{_DASH}?"
    rf"|[A-Z][A-Z.'’-]+(?:[\s/\\]+[A-Z][A-Z.'’-]+)*(?:,\s*[A-Z][A-Za-z.]+\.?)?"
    rf"(?:,\s*(?:{MONTHS})\.?\s+\d{{1,2}})?\s+(?:--|—)(?=\s)"
    # the dash of a dateline whose place the page lost: "-- As they talked ..."
    rf"|{_DASH}(?=\s+[A-Z\"“]))\s*",
)
_OUTLET_TAIL = rf"(?:,?\s*(?i:for\s+|special\s+to\s+)?(?i:{_OUTLET})\b)"
# A job ends at a word boundary or where a date is glued on ("staff reporterJanuary 28").
_ROLE = rf"(?:,?\s*(?:[\w&'’-]+\s+){{0,4}}?(?i:{_JOB})(?:\b|(?=[A-Z])))"
_BYLINE_STAMP = rf"(?:\s*\|?\s*(?i:{_STAMP_BODY}|{_DATE}(?::?\s*{_TIME})?)(?:\s*ET\b)?)"
# The place after a byline's outlet: at the end of a line, up to two words; before the lead,
# which starts capitalised too, one word, or two when the first opens place names ("New
# Orleans") or a sentence opener follows ("Lake Baikal The ...").
_PLACE_OPENER = "|".join(re.escape(w) for w in sorted(PLACE_OPENERS, key=len, reverse=True))
_PLACE_WORD = r"[A-Z][\w.'’-]*"
_OPENER = "|".join(re.escape(w) for w in sorted(SENTENCE_OPENERS, key=len, reverse=True))
_BYLINE_PLACE = (
    rf"(?:(?:\s*,\s*{_PLACE_WORD}(?:\s+{_PLACE_WORD})?){{1,2}}(?=\s*$)"
    rf"|(?:\s*,\s*(?:{_PLACE_WORD}\s+{_PLACE_WORD}(?=\s+(?:{_OPENER})\s)"
    rf"|(?:(?:{_PLACE_OPENER})\s+)?{_PLACE_WORD})){{1,2}}(?=\s+[A-Z\"“]))"
)
_BYLINE = re.compile(
    rf"^(?:(?:{_DATE}\s*\|\s*)?(?i:by|from)\s+(?P<name>{_NAME}(?:\s*,\s*{_NAME}){{0,4}})"
    rf"(?P<tail>(?:{_ROLE}{_OUTLET_TAIL}?|{_OUTLET_TAIL}{_ROLE}?)"
    rf"{_BYLINE_PLACE}?{_BYLINE_STAMP}?"
    rf"|{_BYLINE_STAMP}|\s*$|\s*,\s*(?=[A-Z][\w'’-]*\s*$)"
    # a stamp the page lost after the bar: "By <Name>, <Name> MOSCOW/WASHINGTON |"
    rf"|(?:\s+[A-Z][A-Z.'’\\/-]+(?:\s+[A-Z][A-Z.'’\\/-]+)*)?\s*\|\s*$)"
    # without "By": a name straight before its outlet, then a job or a place (BBC pages)
    rf"|{_NOT_NAME}{_PLACE_WORD}(?:\s+{_PLACE_WORD}){{1,3}}?\s+(?=[A-Z]){_OUTLET_TAIL}"
    rf"(?:{_ROLE}|{_BYLINE_PLACE})"
    # the outlet's staff for a name ("By the CNN Wire Staff")
    rf"|(?i:by)\s+(?i:the\s+)?(?i:{_OUTLET})(?:\s+(?i:wires?\s+)?(?i:staff|reports))?(?=\s+[A-Z\"“]|\s*$)"
    # a job and a date whose name, a link, was lost ("', staff reporterJanuary 28, 2011: ...")
    rf"|,\s*{_ROLE}{_OUTLET_TAIL}?{_BYLINE_STAMP})\s*",
)
# A photo credit in brackets before the caption or lead: "(AP Photo/<Name>)", "(<Name> - AP)".
_PAREN_CREDIT_BODY = (
    rf"{_LP}\s*(?:(?i:{_OUTLET})(?:\s+(?i:photos?|images?))?(?=\s*{_RP})"
    rf"|(?:(?i:{_OUTLET})\s+)?(?i:photos?|images?|pictures?)(?:\s+(?i:credit))?\s*(?:[:/]|\\/)[^()]{{0,80}}?"
    rf"|(?:By\s+)?[^()]{{1,60}}?\s(?:-{{1,2}}|/|\\/)\s*(?i:{_OUTLET}))\s*{_RP}\s*"
)
_PAREN_CREDIT = re.compile(rf"^{_PAREN_CREDIT_BODY}")
_PAREN_CREDIT_INSIDE = re.compile(rf"(?<=\s){_PAREN_CREDIT_BODY}")
# "Photograph: <Name>" glued to the lead.
_CREDIT_LABEL = re.compile(r"^(?:photograph|photo|picture|image)s?\s*:\s*", _I)
# Inside a line, only the capitalised label of a credit between caption and lead (Guardian
# pages in T17 dev): "the photo: ..." in prose is no label.
_INNER_CREDIT_LABEL = re.compile(r"(?<=\s)(?:Photograph|Photo|Picture)s?\s*:\s*")
_FOR_OUTLET = re.compile(rf"\s+(?:for|via)\s+(?i:{_OUTLET})\b")
LABEL_CREDIT_WORDS = 2  # a photographer's or a source's name: "Leslie Rose", "Public Domain"
MIN_LEAD_WORDS = 4  # what follows a glued credit must read as the start of a sentence
MAX_CREDIT_WORDS = 6  # "Photograph: <First> <Last>/<Desk>/<Agency>": slashes further on are text
# Comment headers: "At 10:14 am on 28 May 2010, <user> wrote:", "Added: <date>, <time> GMT",
# "Posted by: <user> | <date> | Report abuse", "<date> at 4:51 pm | Reply", "<date> <time>
# EDT -- Report as abuse".
_COMMENT_HEADER = re.compile(
    rf"\bAt\s+{_TIME}\s+(?:on\s+)?{_DATE}\s*,\s*\S.{{0,40}}?\s+wrote\s*:"
    rf"|\bAdded\s*:\s*{_STAMP_BODY}"
    rf"|\bPosted\s+by\s*:?\s*\S[^|]{{0,40}}\|\s*(?:{_STAMP_BODY}\s*\|\s*)?Report\s+(?:as\s+)?abus\w*"
    rf"|\bPosted\s+by\s*:\s*\S[^|]{{0,40}}\|\s*$"
    rf"|\b{_DATE}\s+(?:at\s+)?{_TIME}\s*(?:\||{_DASH})\s*(?:Reply|Report\s+(?:as\s+)?abus\w*)\b",
    _I,
)
# Lines that announce or close a thread of reader comments; the page's comments come after
# an announcement, and before or after a closing notice.
_THREAD_MARKER = re.compile(
    r"^(?:\d+\s+comments?|comments?\s*(?:\(\d+\))?|reader\s+comments|add\s+(?:your|a)\s+comments?"
    r"\b.*|post\s+a\s+comment\b.*|leave\s+a\s+comment\b.*|we\s+welcome\s+comments\b.*"
    r"|views\s+expressed\s+in\s+the\s+comments\b.*|(?:sort|show|view)\s+(?:all\s+)?comments\b.*"
    r"|this\s+(?:discussion|debate)\s+is\s+(?:now\s+)?closed\b.*|comments\s+are\s+(?:now\s+)?"
    r"closed\b.*|the\s+comments\s+to\s+this\s+entry\s+are\s+closed\b.*"
    r"|comments\s+are\s+not\s+pre-screened\b.*|thank\s+you\s+for\s+your\s+comments\b.*"
    r"|your\s+browser['’]s\s+settings\s+may\s+be\s+preventing\s+you\s+from\s+commenting\b.*)$",
    _I,
)
_REPORTING = re.compile(
    rf"^{_LP}?\s*(?:(?:additional\s+)?(?:reporting|writing|editing|compiled|research)"
    rf"(?:\s+and\s+editing)?\s+by\b"
    rf"|(?:[A-Z][\w'’.-]*\s+){{1,6}}(?:writers?|reporters?|correspondents?)\b.{{0,300}}"
    rf"contributed\s+to\s+this\s+report"
    rf"|(?:the\s+)?(?:{_OUTLET})\s+contributed\s+to\s+this\s+report"
    rf"|this\s+(?:article|story|report)\s+was\s+(?:reported|written|produced)\s+(?:jointly\s+)?"
    rf"(?:with|by|in\s+(?:partnership|collaboration)\s+with)\b)",
    _I,
)
_CONTRIBUTED = re.compile(r"\bcontributed\s+(?:to\s+)?this\s+(?:report|story|article)\s*\.?$", _I)
_OPINION_NOTE = re.compile(
    r"^(?:the\s+)?(?:opinions|views)\s+expressed\s+(?:in\s+this\s+\w+\s+)?are\s+(?:solely\s+)?"
    r"(?:those\s+of|(?:his|her|their|the\s+author['’]s)\s+own)\b",
    _I,
)
# The outlet correcting its own page ("Earlier versions of this article ..."); a story about
# an earlier version of something else ("An earlier version of the song ...") is reporting.
_CORRECTION = re.compile(
    r"^(?:corrections?|clarifications?)\s*:"
    r"|^(?:an?\s+|the\s+)?(?:earlier|previous|original|prior)\s+versions?\s+of\s+this\s+"
    r"(?:[\w-]+\s+){0,2}?(?:article|story|report|post|column|op-ed|editorial|transcript|piece"
    r"|blog|item|page|graphic)\b"
    r"|^this\s+(?:article|story|report|post|column|piece)\s+(?:has\s+been|was)\s+"
    r"(?:corrected|amended)\b"
    # "The article misspelled the name of ...", "This story incorrectly said ..."
    r"|^(?:this|the)\s+(?:article|story|post|column|graphic|caption)\s+(?:\w+\s+){0,2}?"
    r"(?:misspelled|misstated|misidentified|misquoted|misattributed|incorrectly|erroneously"
    r"|wrongly|mistakenly)\b",
    _I,
)
_BIO = re.compile(
    rf"^(?P<name>{_NAME})\s+(?:is|was|writes|has\s+been)\s+"
    rf"(?:(?:a|an|the)\s+)?[^.]{{0,120}}?\b(?:{_BIO_JOB})\b",
)
# A bio naming the outlet the writer works for ("<Name> is a Reuters columnist.") is one
# wherever it sits: pages that run several columns carry one after each.
_OUTLET_BIO = re.compile(
    rf"^{_NAME}\s+(?:is|was)\s+(?:a|an|the)\s+(?:[\w-]+\s+){{0,3}}?(?i:{_OUTLET})(?:['’]s)?\s+"
    rf"(?:[\w-]+\s+){{0,2}}?(?i:{_JOB})\b"
)
_FOLLOW = re.compile(rf"^(?:you\s+can\s+)?follow\s+(?:{_NAME}|him|her|them|us)\s+on\s+\w+", _I)
# Captions: "June 4: <what the photo shows>" (a dated slideshow), a person placed in the frame
# ("<Name>, center, walks"), a "(Photo: ...)" credit, or "<subject> is seen ..." closing on
# the day the photo was taken.
_DATED_CAPTION = re.compile(rf"^(?:{MONTHS})\.?\s+\d{{1,2}}\s*:\s+[A-Z\"“]")
_IN_FRAME = re.compile(
    rf"[A-Z][\w'’.-]*\s*(?:,\s*(?:(?:second|third)\s+)?(?:left|right|center|centre|top|bottom)"
    rf"\s*,|{_LP}\s*(?:L|C|l|r|c|left|right|center|centre)\s*{_RP})"
)
_PHOTO_TAG = re.compile(
    rf"{_LP}\s*(?:(?:AP|AFP|Reuters|EPA)\s+)?(?:photo|picture|image)s?(?:\s+credit)?\b\s*(?::|\\?/|-)"
    r"|^(?:image|photo|picture)\s+(?:caption|copyright|credit)\b"
    r"|^in\s+this\s+(?:[\w,.'’-]+\s+){0,6}?(?:photo(?:graph)?|image|picture|frame\s+grab)\b"
    r"|^media\s+playback\s+is\s+(?:unsupported|not\s+supported)\b",
    _I,
)
# A person placed "(left)" in a sentence that reports or predicts is prose, not a caption.
_REPORTED = re.compile(r"\b(?:said|says|told|would|will|could|should|might)\b", _I)
# Reporting, not a picture: a past-tense or reporting verb.
_TOLD = re.compile(r"\b(?:said|says|told|was|were|had|has|have|will|would|\w{3,}ed)\b", _I)
_SEEN = re.compile(r"\b(?:is|are)\s+seen\b(?!\s+as\b)", _I)
_ENDS_WITH_DATE = re.compile(rf"\b(?:{MONTHS})\.?\s+\d{{1,2}}\s*,?\s+\d{{4}}\s*\.?\s*$")


def split_line(line: str) -> list[tuple[str, str | None]]:
    """Return line cut into pieces, each with the furniture reason it earns (None for text):
    stamps, datelines and bylines at its front, stamps and comment headers inside it."""
    pieces: list[tuple[str, str | None]] = []
    rest = line
    while rest and not _COMMENT_HEADER.match(rest):
        cut = _leading_furniture(rest)
        if cut is None:
            break
        reason, end = cut
        if not rest[end:].strip():
            return [*pieces, (rest, None)]  # all furniture: line_reason names the line
        pieces.append((rest[:end].strip(), reason))
        rest = rest[end:].strip()
    if rest:
        pieces.extend(_split_inside(rest))
    return [(text, reason) for text, reason in pieces if text]


def _leading_furniture(text: str) -> tuple[str, int] | None:
    """Return the reason and end of furniture at the front of text, if it leaves text after."""
    credit = _label_credit_end(text)
    if credit is not None:
        return CREDIT, credit
    cutters: tuple[tuple[str, re.Pattern[str]], ...] = (
        (CREDIT, _PAREN_CREDIT),
        (BYLINE, _BYLINE),
        (TIMESTAMP, _PLACE_STAMP),
        (DATELINE, _DATELINE),
    )
    for reason, pattern in cutters:
        match = pattern.match(text)
        if match and match.end() > 0 and (reason != BYLINE or len(match[0]) <= MAX_BYLINE_CHARS):
            return reason, match.end()
    match = _STAMP_INLINE.match(text)
    if match and match.end() > 0:
        return TIMESTAMP, match.end()
    return None


def _label_credit_end(text: str) -> int | None:
    """Return where a labelled photo credit glued before the text ends ("Photograph: <Name>
    <lead>"), or None (storyline.stages.furniture._credit_name_end)."""
    label = _CREDIT_LABEL.match(text)
    if label is None:
        return None
    end = _credit_name_end(text[label.end() :])
    return None if end is None else label.end() + end


def _credit_name_end(text: str) -> int | None:
    """Return where the name of a credit opening text ends: after its slash-joined parts
    ("<Name>/<Agency>") when the last is an agency, else after at most LABEL_CREDIT_WORDS
    more capitalised words, none a possessive or a sentence opener, or at the slash part
    itself; then after "for <outlet>"; None unless a sentence follows."""
    words = list(re.finditer(r"\S+", text))[: MAX_CREDIT_WORDS + MIN_LEAD_WORDS]
    slashed = [i for i, w in enumerate(words[:MAX_CREDIT_WORDS]) if "/" in w[0]]
    start = slashed[-1] + 1 if slashed else 0
    taken = start
    agency = words[slashed[-1]][0].rsplit("/", 1)[-1].lower() if slashed else ""
    if slashed and start < len(words) and f"{agency} {words[start][0].lower()}" in OUTLETS:
        taken += 1  # the agency runs on past the slash ("<Name>/Getty Images")
    elif agency not in OUTLETS:
        # a slashed word already holds the first word of the last part ("Souza/White House")
        room = LABEL_CREDIT_WORDS - (1 if slashed else 0)
        for word in words[start : start + room]:
            token = word[0]
            if not token[0].isupper() or token.endswith(("'s", "’s")) or token in SENTENCE_OPENERS:
                break
            taken += 1
    # "<Name>/<Agency> BP embarked ...", "Reuters BP is ...": the credit may end earlier, at
    # its slashed part or an agency
    agencies = [k + 1 for k in range(start, taken) if words[k][0].lower() in OUTLETS]
    for count in dict.fromkeys((taken, start, *reversed(agencies))):
        if not count:
            continue
        end = words[count - 1].end()
        outlet = _FOR_OUTLET.match(text, end)
        end = outlet.end() if outlet else end
        rest = text[end:].split()
        if len(rest) >= MIN_LEAD_WORDS and (rest[0][0].isupper() or rest[0][0].isdigit()):
            return end
    return None


def _split_inside(text: str) -> list[tuple[str, str | None]]:
    """Return text cut before a comment header, and around a labelled credit with its
    caption and a date-and-time stamp inside it."""
    header = _COMMENT_HEADER.search(text)
    if header and header.start() > 0:
        return [*_split_credit(text[: header.start()]), (text[header.start() :].strip(), None)]
    return _split_credit(text)


def _split_credit(text: str) -> list[tuple[str, str | None]]:
    """Return text cut around a labelled credit inside it ("<caption> Photograph: <Name>/
    <Agency> <lead>"): what runs from the last full sentence before it is its caption (with
    the headline and standfirst a page glued on), and the credit may close the line."""
    label = _INNER_CREDIT_LABEL.search(text)
    if label is None:
        return _split_stamps(text)
    end = _credit_name_end(text[label.end() :])
    if end is not None:
        end += label.end()
    elif len(text[label.end() :].split()) <= MAX_CREDIT_WORDS:
        end = len(text)
    else:
        return _split_stamps(text)
    sentences = list(WORD_BREAK.finditer(text, 0, label.start()))
    start = sentences[-1].end() if sentences else 0
    caption = [
        (piece, reason or CAPTION) for piece, reason in _split_stamps(text[start : label.start()])
    ]
    return [
        *_split_stamps(text[:start]),
        *caption,
        (text[label.start() : end].strip(), CREDIT),
        *_split_credit(text[end:].strip()),
    ]


def _split_stamps(text: str) -> list[tuple[str, str | None]]:
    """Return text with date-and-time stamps and bracketed photo credits cut out as pieces
    of their own."""
    cuts = [(m, TIMESTAMP) for m in _STAMP_INLINE.finditer(text)]
    # A credit closing the line is the caption's own (stages.clean.article keeps them one).
    cuts += [(m, CREDIT) for m in _PAREN_CREDIT_INSIDE.finditer(text) if m.end() < len(text)]
    out: list[tuple[str, str | None]] = []
    last = 0
    for match, reason in sorted(cuts, key=lambda cut: cut[0].start()):
        if match.start() < last or match[0].strip() == text.strip():
            continue
        if reason == TIMESTAMP and _COMMENT_HEADER.search(
            text, max(0, match.start() - 8), match.end() + 60
        ):
            continue  # the time of a comment header, which goes with its comment
        out.append((text[last : match.start()].strip(), None))
        out.append((match[0].strip(), reason))
        last = match.end()
    out.append((text[last:].strip(), None))
    return [(t, r) for t, r in out if t]


def line_reason(line: str) -> str | None:
    """Return the furniture reason a whole line earns on its own shape, or None."""
    checks: tuple[tuple[str, Callable[[str], bool]], ...] = (
        (COMMENT, is_comment_header),
        (REPORTING, _is_reporting_credit),
        (CORRECTION, _is_correction),
        (BIO, _is_outlet_bio),
        (BYLINE, _is_byline),
        (TIMESTAMP, _is_stamp),
        (CAPTION, _is_caption),
    )
    for reason, check in checks:
        if check(line):
            return reason
    return None


def looks_like_furniture(text: str) -> bool:
    """Return True for a text shaped like furniture anywhere in a page: what line_reason
    finds, or a dated slideshow caption; titles must be neither."""
    return line_reason(text) is not None or _DATED_CAPTION.match(text) is not None


def is_comment_header(line: str) -> bool:
    """Return True when line holds a reader comment's header or signature."""
    return _COMMENT_HEADER.search(line) is not None


def _is_reporting_credit(line: str) -> bool:
    """Return True for "(Reporting by ...; Editing by ...)" and "... contributed to this report"."""
    if len(line) > MAX_CREDIT_LINE_CHARS:
        return False
    if _REPORTING.match(line) or _OPINION_NOTE.match(line):
        return True
    return len(line) <= MAX_BYLINE_CHARS and _CONTRIBUTED.search(line) is not None


def _is_correction(line: str) -> bool:
    """Return True for the outlet's note correcting an earlier version of the page."""
    return len(line) <= MAX_NOTE_CHARS and _CORRECTION.match(line) is not None


def _is_outlet_bio(line: str) -> bool:
    """Return True for a bio that names the writer's outlet and newsroom job."""
    return len(line) <= MAX_BIO_CHARS and _OUTLET_BIO.match(line) is not None


def _is_byline(line: str) -> bool:
    """Return True for a line that is only a byline ("By <Name>, <Role>")."""
    match = _BYLINE.match(line)
    return match is not None and match.end() == len(line) and len(line) <= MAX_BYLINE_CHARS


def _is_stamp(line: str) -> bool:
    """Return True for a line that is only a date-and-time stamp."""
    match = _STAMP_INLINE.fullmatch(line)
    return match is not None


def _is_caption(line: str) -> bool:
    """Return True for a line shaped like a photo caption."""
    if len(line) > MAX_CAPTION_CHARS:
        return False
    if _PHOTO_TAG.search(line) or (_IN_FRAME.search(line) and not _REPORTED.search(line)):
        return True
    return _SEEN.search(line) is not None and _ENDS_WITH_DATE.search(line) is not None


def ends_with_date(line: str) -> bool:
    """Return True for a line that closes on a date, as a wire photo caption does."""
    return _ENDS_WITH_DATE.search(line) is not None


def mark_dated_captions(lines: list[str], labels: list[str | None]) -> None:
    """Label slideshow captions ("June 4: Oil is seen ..."): a dated line among the first or
    last kept lines of a page, or beside other removed furniture; a dated chronology in the
    body stays."""
    for i, line in enumerate(lines):
        if labels[i] is not None or len(line) > MAX_CAPTION_CHARS or not _DATED_CAPTION.match(line):
            continue
        near = [labels[j] for j in (i - 1, i + 1) if 0 <= j < len(lines)]
        edge = min(sum(label is None for label in side) for side in (labels[:i], labels[i + 1 :]))
        if edge < EDGE_LINES or any(label in (CREDIT, CAPTION) for label in near):
            labels[i] = CAPTION


def mark_bios(lines: list[str], labels: list[str | None]) -> None:
    """Label contributor bios ("<Name> is a staff writer ...") that close a text: read from
    the end over removed lines, stopping at the first kept line that is not a bio."""
    total = sum(len(line) for line in lines) or 1
    start = total
    for i in range(len(lines) - 1, -1, -1):
        start -= len(lines[i])
        if labels[i] is not None:
            continue
        if start / total < BIO_MIN_POSITION or len(lines[i]) > MAX_BIO_CHARS:
            return
        if not _is_bio(lines[i]):
            return
        labels[i] = BIO


def _is_bio(line: str) -> bool:
    """Return True for a line that introduces the writer, or invites readers to follow them."""
    return _BIO.match(line) is not None or _FOLLOW.match(line) is not None


def mark_threads(lines: list[str], labels: list[str | None]) -> None:
    """Label a thread of reader comments, from its first header or marker (or the byline
    that closes the article above it) to the end; in the front half of a page, where a lone
    header may be a quoted post, only the header and marker lines themselves."""
    found = [i for i, line in enumerate(lines) if _is_thread_line(line)]
    if not found:
        return
    total = sum(len(line) for line in lines) or 1
    ends = list(itertools.accumulate(len(line) for line in lines))
    back = [i for i in found if (ends[i] - len(lines[i])) / total >= THREAD_MIN_POSITION]
    headers = [i for i in found if is_comment_header(lines[i])]
    for i in found:
        labels[i] = COMMENT
    starts = back + (headers[:1] if len(headers) > 1 else [])
    if not starts:
        return
    start = min(starts)
    # Signatures follow their comment: the thread opens after the article's last line, which
    # a marker or the closing byline ("By <Name> | <date>") shows when there is one.
    opener = [i for i in range(start) if labels[i] in (COMMENT, BYLINE) and i * 2 >= start]
    for i in range(opener[-1] if opener else start, len(lines)):
        labels[i] = labels[i] or COMMENT


def _is_thread_line(line: str) -> bool:
    """Return True for a comment header or a line announcing or closing a comment thread."""
    return is_comment_header(line) or _THREAD_MARKER.match(line) is not None


def mark_captions_by_credits(lines: list[str], labels: list[str | None]) -> None:
    """Label the captions beside photo credits: a short line directly above a credit that
    tells no past happening ("Boats skim oil near the rig."), and a line directly below one
    that closes on the photo's date; reporting beside a credit stays."""
    for i, line in enumerate(lines):
        if labels[i] is not None:
            continue
        above = i + 1 < len(lines) and labels[i + 1] == CREDIT
        short = len(line.split()) <= MAX_CAPTION_WORDS and not _TOLD.search(line)
        below = i > 0 and labels[i - 1] == CREDIT and ends_with_date(line)
        if (above and short) or below:
            labels[i] = CAPTION


def page_order(
    split: list[list[tuple[str, str | None]]], labels: list[str | None]
) -> list[list[int]]:
    """Return, for each line of a page, its kept paragraphs (k >= 0, the k-th) and the removed
    furniture publication dating still reads (-j - 1, the j-th removal), in order
    (storyline.stages.dating.text.dating_text). Read are the pieces cut out of a line and whole
    lines of READ_FOR_DATES; an "Updated: ..." line is kept in meta "updated_stamp" instead."""
    order: list[list[int]] = []
    kept = removed = 0
    flat = iter(labels)
    for parts in split:
        line: list[int] = []
        for _, reason in parts:
            label = next(flat)
            if label is None:
                line.append(kept)
                kept += 1
                continue
            if (len(parts) > 1 and reason is not None) or label in READ_FOR_DATES:
                line.append(-removed - 1)
            removed += 1
        if line:
            order.append(line)
    return order
