"""The clean stage: strip page furniture from a RawDoc and fix its text for good.

Every later offset points into the text made here, so cleaning is line based and
deterministic: whitespace is normalised, whole lines of boilerplate are taken out
(each recorded as a ``Removal`` with a stable reason code), and nothing inside a
kept line changes except spacing (the one cut inside a line splits a photo credit
glued to the front of a paragraph). Reading the article back through ``clean``
gives the same text and id.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable

from storyline.models import Article, RawDoc, Removal
from storyline.stages.clean import furniture, headlines
from storyline.stages.clean.furniture import CAPTION, CREDIT, STAMP
from storyline.stages.clean.tokenised import looks_tokenised, untokenise
from storyline.text import SENTENCE_BREAK

# Reason codes: stable strings that the store, the report and the tests rely on (bylines,
# datelines, bios, reader comments, reporting credits and corrections have theirs in
# .furniture, a glued headline in .headlines).
DUPLICATE = "duplicate line"
RELATED = "related article"
EDITORS_NOTE = "editor's note"
TRANSLATION = "translation notice"
SHARE = "share line"
TITLE = "title repeated"

# Length limits, chosen by reading captions, credits and page chrome in the seed articles
# and the ECB+, Timeline17 and NAnCo development texts: each sits above the longest real
# example seen there and well below an ordinary news paragraph (150-400 characters).
MAX_CREDIT_CHARS = 80  # "Name Surname/Pool/Reuters", "AFP via Getty Images"
MAX_CREDIT_TOKENS = 5  # slash-separated parts of a credit
MAX_CREDIT_TOKEN_WORDS = 5  # words in one part ("Xinhua News Agency", "Jean-Pierre de la Cruz")
MAX_CAPTION_CHARS = 300  # a caption line that carries its own credit
MAX_CHROME_CHARS = 120  # share/subscribe/copyright lines
MAX_NOTICE_CHARS = 200  # translation notices
MAX_BY_LINE_CHARS = 80  # "Translated by ..." lines, which must not swallow a sentence
MAX_STAMP_CHARS = 100  # "Updated: March 4, 2025, 9:15 AM"
MAX_HEADLINE_CHARS = 150  # a linked headline under "Related article"
MAX_HEADLINE_WORDS = 25
MAX_RELATED_LIST = 3  # headlines taken after a plural marker ("Related stories")
# Repeats shorter than this are left alone: table cells, "Yes"/"No" answers and section
# labels legitimately recur; layout duplicates (captions, pull quotes) are longer.
MIN_DUPLICATE_CHARS = 25
# An editor's note in the back half of an article is an appended summary and runs to the
# end; one near the top is the outlet's own note, so only that line goes.
EDITORS_NOTE_MIN_POSITION = 0.5

# Unicode space separators (category Zs) and tab become a plain space.
_SPACES = "\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
_SPACES += "\u202f\u205f\u3000"
# Invisible characters dropped outright. ZWJ/ZWNJ stay: they are spelling in Persian,
# Indic scripts and emoji, so removing them would change words.
_INVISIBLE = "\u200b\u2060\ufeff\u00ad"
_CONTROLS = [c for c in range(0x20) if c != 0x09] + [0x7F, *range(0x80, 0xA0)]
_TRANSLATE: dict[int, str | None] = {ord(c): " " for c in _SPACES}
_TRANSLATE.update({ord(c): None for c in _INVISIBLE})
_TRANSLATE.update({c: None for c in _CONTROLS})
_SPACE_RUN = re.compile(r" {2,}")

_I = re.IGNORECASE


def _phrases(text: str) -> frozenset[str]:
    """Return the set of phrases in text, separated by "|" (or by whitespace when no "|")."""
    return frozenset(p.strip() for p in (text.split("|") if "|" in text else text.split()))


# --- photo credits -----------------------------------------------------------------------
_AGENCIES = _phrases(
    "reuters|afp|ap|epa|efe|epa-efe|xinhua|bloomberg|shutterstock|alamy|sputnik|tass|dpa|anadolu"
    "|ani|pti|ians|yonhap|kyodo|nurphoto|zuma|newscom|imago|aap|cfp|vcg|abaca|sipa|rex|wenn"
    "|getty|cnn|bbc|getty images|associated press|the associated press|ap photo|bloomberg news"
    "|ria novosti|anadolu agency|kyodo news|sopa images|zuma press|zuma wire|picture alliance"
    "|picture-alliance|pa images|pa wire|pa media|china news service|visual china group"
    "|xinhua news agency|sipa usa|rex features|al jazeera|sky news|afp via getty images|pa|corbis"
    "|magnum photos|the guardian|the new york times|the washington post|white house photo"
)
# Last words that mark a slash-separated part as an agency, outlet or photo desk.
_CREDIT_WORDS = _phrases(
    """images photo photos photograph photography pictures press agency pool handout file
    times post news herald journal guardian telegraph tribune globe mail chronicle gazette
    magazine tv network wire service"""
)
# Lower-case words allowed inside a name part: particles of names and desk words.
_CONNECTORS = _phrases(
    "on de da del della di von van der den la le du al el bin ibn and of the y dos das &"
    " handout file pool photo photos images"
)
# What separates the parts of a credit: "Name/Agency", "Agency via Getty", "Name for Outlet".
# "\/" is the slash as escaped in tokenised (Penn Treebank) corpora.
_PART_SPLIT = re.compile(r"\s*\\?/\s*|\s+(?:via|for)\s+")
_PHOTO_WORD = re.compile(r"\b(?:photos?|photograph|images?|pictures?|pool|handout|file)\b", _I)
# The label that opens a credit: "Photo:", "Photograph by", "Image credit:", "File photo:".
_LABEL = (
    r"(?:(?:photo|image|picture)\s+(?:credit|source)|photos?|photograph|image|picture|pic"
    r"|credits?|illustration|file\s+(?:photo|image|picture))\s*(?::|by\b)\s*"
)
_CREDIT_LABEL = re.compile(_LABEL, _I)
_FILE_PHOTO = re.compile(r"^file\s+(?:photo|image|picture)s?$", _I)
_FILE_PHOTO_CAPTION = re.compile(r"^file\s+photo\s*:", _I)
# A credit glued to the start of a paragraph ("Photograph: Name/AP The minister said ...")
# is cut off only where a known agency ends it: elsewhere the boundary cannot be seen.
_AGENCY_ALTERNATIVES = "|".join(re.escape(a) for a in sorted(_AGENCIES, key=len, reverse=True))
_LEADING_CREDIT = re.compile(
    rf"^(?P<credit>{_LABEL}(?:[^/]{{1,40}}/){{0,4}}(?:{_AGENCY_ALTERNATIVES}))\s+(?P<rest>\S.*)$",
    _I,
)
_INITIALS = re.compile(r"\b(?:[A-Z]\.){1,3}(?=[\s/]|$)|\b(?:Jr|Sr|St)\.")
_SENTENCE_PUNCT = re.compile(r"[.!?;:,\"“”«»]")
_PAREN_TAIL = re.compile(r"\(([^()]{1,80})\)$")

# --- other boilerplate -------------------------------------------------------------------
_EDITORS_NOTE = re.compile(
    r"^(?:editor['’]?s['’]?\s+(?:p\s*/\s*s|note)|editorial\s+note|note\s+from\s+the\s+editor)\b",
    _I,
)
_TRANSLATION = re.compile(
    r"^(?:powered\s+by\s+)?(?:automated|automatic|machine)[\s-]+translat\w*\b.*"
    r"|^(?:this|the)\s+(?:article|story|text|page|content|report)\s+(?:was|has\s+been|is)\s+"
    r"(?:automatically\s+|machine[\s-]+|automated\s+)?translated\b.*"
    r"|^automatically\s+translated\b.*",
    _I,
)
_TRANSLATED_BY = re.compile(r"^\(?(?:translated|translation)\s+(?:from|by)\b[^,]*\)?$", _I)
_SHARE = [
    re.compile(p, _I)
    for p in (
        r"^share(?:\s+this(?:\s+(?:article|story|page|post|video))?|\s+(?:on|via|to)\s+[\w.]+"
        r"(?:\s+\w+)?|\s+(?:article|story))?\s*[:!]?$",
        r"^(?:share|tweet|e-?mail|print|whatsapp|facebook|twitter|linkedin|reddit|pinterest"
        r"|telegram|copy\s+link|comments?|save(?:\s+article)?)$",
        r"^(?:subscribe|sign\s+up)\b(?!\s+(?:was|were|is|are|has|have)\b).*",
        r"^follow\s+(?:us\b.*|[\w.@ ]{1,40}\s+on\s+(?:facebook|twitter|x|instagram|linkedin"
        r"|telegram|whatsapp|youtube|tiktok|threads|google\s+news)\b.*)",
        r"^(?:like|join)\s+us\s+on\b.*",
        r"^click\s+here\b.*",
        r"^(?:download|get)\s+(?:our|the)\s+(?:free\s+)?(?:[\w-]+\s+){0,2}app\b.*",
        r"^(?:advertisement|advertising|ad|sponsored(?:\s+content)?|skip\s+advertisement"
        r"|story\s+continues\s+below(?:\s+advertisement)?|scroll\s+(?:down\s+)?to\s+continue"
        r"(?:\s+reading)?|continue\s+reading(?:\s+below)?|advertisement\s*[-–—]\s*scroll\s+to"
        r"\s+continue)\s*[.:]?$",
        r"^(?:listen\s+to\s+(?:this\s+)?(?:article|story)\b.*|\d+\s+min(?:ute)?s?\s+read)$",
        r"^(?:copyright\s*(?:©|\(c\)|\d{4})|©).*",
        r".*\ball\s+rights\s+reserved\b.*",
    )
]
_STAMP = re.compile(
    r"^(?:(?:last|first)\s+)?(?:updated?|published|posted|modified|edited)"
    r"(?:\s+(?:on|at))?\s*[:\-–—]?\s*(?P<rest>.+)$",
    _I,
)
_STAMP_WORDS = _phrases(
    """jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june
    july august september october november december mon tue tues wed thu thur thurs fri sat
    sun monday tuesday wednesday thursday friday saturday sunday am pm a.m p.m gmt utc bst cet
    cest est edt pst pdt cst cdt mst mdt et pt ist sgt hkt jst kst aest aedt msk wib pht
    ago hours hour hrs hr h minutes minute mins min m seconds second secs s days day d weeks
    week months month yesterday today just now an a last at on of the updated update
    published posted modified first"""
)
_STAMP_NUMBER = re.compile(r"^[+\-]?\d[\d:./\-+tTzZ]*(?:st|nd|rd|th|am|pm|h|hrs?|mins?)?$", _I)
_STAMP_FILLER = _phrases(
    "at on of the an a last first just updated update published posted modified"
)
_STAMP_SPLIT = re.compile(r"[\s,|·•()]+")
_RELATED = re.compile(
    r"^(?P<marker>related(?:\s+(?:articles?|stories|story|content|coverage|news|reading|links?"
    r"|posts?|videos?))?|read\s+more|read\s+also|also\s+read|see\s+also|read\s+next"
    r"|more\s+on\s+this(?:\s+(?:story|topic))?|recommended(?:\s+(?:reading|stories|articles))?"
    r"|you\s+(?:may|might)\s+also\s+like|further\s+reading)"
    r"\s*(?:[:|»>–—-]+\s*(?P<rest>.*))?$",
    _I,
)
_PLURAL_MARKER = re.compile(r"articles|stories|links|posts|videos|coverage|reading|like", _I)


def article_id(text: str) -> str:
    """Return the identity of a cleaned text: first 16 hex chars of sha256 of its
    NFC-normalised, whitespace-collapsed form."""
    collapsed = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(collapsed.encode("utf-8")).hexdigest()[:16]


def normalise_lines(text: str) -> list[str]:
    """Return the non-empty lines of text with spaces normalised and runs collapsed."""
    lines = []
    for raw in text.splitlines():
        line = _SPACE_RUN.sub(" ", raw.translate(_TRANSLATE)).strip()
        if line:
            lines.append(line)
    return lines


def clean(doc: RawDoc) -> Article:
    """Return the Article made from a RawDoc: boilerplate removed (each removal recorded with
    its reason), whitespace normalised, id = content hash of the cleaned text. A page a
    tokeniser split ("Jackson 's doctor , Dr Murray") is put back as written first
    (``meta["untokenised"]``).

    Each kept line becomes one paragraph; paragraphs are joined by a blank line. A photo
    credit glued to the front of a paragraph is split off and removed on its own. A removed
    update stamp is kept in ``meta["updated_stamp"]`` (all of them in ``meta["stamps"]``
    when there are several). When nothing is left the text is empty: the caller rejects it
    (the removals still say why).
    """
    lines = normalise_lines(doc.text)
    tokenised = looks_tokenised("\n".join(lines))
    if tokenised:
        lines = [untokenise(line) for line in lines]
    split = [_split_line(line) for line in lines]
    headlines.cut_glued_head(split)
    pieces = [piece for parts in split for piece in parts]
    lines = [text for text, _ in pieces]
    labels = _label_lines(lines, [reason for _, reason in pieces], doc.title)
    kept = [line for line, label in zip(lines, labels, strict=True) if label is None]
    removed = [Removal(line, label) for line, label in zip(lines, labels, strict=True) if label]
    text = "\n\n".join(kept)
    meta = _meta_with_order(_meta_with_stamps(doc.meta, removed), split, labels)
    if tokenised:
        meta["untokenised"] = True
    return Article(
        id=article_id(text),
        ref=doc.ref,
        text=text,
        title=doc.title,
        source=doc.source,
        url=doc.url,
        author=doc.author,
        published=doc.published,
        removed=removed,
        meta=meta,
    )


def _meta_with_order(
    meta: dict[str, object], split: list[list[tuple[str, str | None]]], labels: list[str | None]
) -> dict[str, object]:
    """Return meta with ``page_order`` (storyline.stages.furniture.page_order) when dating
    has removed furniture to read."""
    order = furniture.page_order(split, labels)
    return {**meta, "page_order": order} if any(k < 0 for ks in order for k in ks) else meta


def _meta_with_stamps(meta: dict[str, object], removed: list[Removal]) -> dict[str, object]:
    """Return a copy of meta holding the text of any removed update stamps."""
    out = dict(meta)
    stamps = [r.text for r in removed if r.reason == STAMP]
    if stamps:
        # A stamp found by ingest (structured page metadata) is better evidence: keep it.
        out.setdefault("updated_stamp", stamps[0])
        if len(stamps) > 1:
            out.setdefault("stamps", stamps)
    return out


def _label_lines(lines: list[str], found: list[str | None], title: str | None) -> list[str | None]:
    """Return, for each line, the reason it is boilerplate, or None to keep it; found holds
    the reasons already known for pieces cut out of a line."""
    labels: list[str | None] = list(found)
    _mark_editors_note(lines, labels)
    for i, line in enumerate(lines):
        if labels[i] is None:
            labels[i] = _line_reason(line)
    furniture.mark_threads(lines, labels)
    furniture.mark_bios(lines, labels)
    _mark_related(lines, labels)
    _mark_duplicates(lines, labels)
    furniture.mark_captions_by_credits(lines, labels)
    furniture.mark_dated_captions(lines, labels)
    # Last, so the title is found under any furniture above it and cleaning twice finds none.
    _mark_title(lines, labels, title)
    if all(labels):
        # A text that is nothing but its title (one-sentence items) keeps it.
        labels = [None if label == TITLE else label for label in labels]
    return labels


def _split_line(line: str) -> list[tuple[str, str | None]]:
    """Return line cut into pieces, each with its known reason (None: not yet known): a
    glued photo credit, then the furniture of storyline.stages.furniture."""
    return [piece for part in _split_leading_credit(line) for piece in furniture.split_line(part)]


def _split_leading_credit(line: str) -> list[str]:
    """Return line split into [credit, rest] when it opens with a glued photo credit."""
    match = _LEADING_CREDIT.match(line)
    if match and _is_credit(match["credit"]) and not _is_credit(match["rest"]):
        return [match["credit"], match["rest"]]
    return [line]


def _mark_title(lines: list[str], labels: list[str | None], title: str | None) -> None:
    """Label the leading lines that repeat the headline.

    A title ending in a full stop is the lead sentence doubling as a title (feeds and
    datasets do this); removing it would lose reporting, so it stays.
    """
    if not title or not title.strip() or _ends_like_sentence(title.strip()):
        return
    key = _key(" ".join(normalise_lines(title))).casefold()
    for i, line in enumerate(lines):
        if labels[i] is not None:
            continue
        if _key(line).casefold() != key:
            return
        labels[i] = TITLE


def _mark_editors_note(lines: list[str], labels: list[str | None]) -> None:
    """Label editor's-note lines, and everything after one in the back half of the text."""
    total = sum(len(line) for line in lines) or 1
    position = 0
    for i, line in enumerate(lines):
        if labels[i] is None and _EDITORS_NOTE.match(line):
            if position / total >= EDITORS_NOTE_MIN_POSITION:
                for j in range(i, len(lines)):
                    labels[j] = labels[j] or EDITORS_NOTE
                return
            labels[i] = EDITORS_NOTE
        position += len(line)


def _line_reason(line: str) -> str | None:
    """Return the boilerplate reason a line earns on its own, or None."""
    checks: tuple[tuple[str, Callable[[str], bool]], ...] = (
        (TRANSLATION, _is_translation_notice),
        (STAMP, _is_update_stamp),
        (SHARE, _is_share_line),
        (CREDIT, _is_credit),
        (CAPTION, _is_caption_with_credit),
    )
    for reason, check in checks:
        if check(line):
            return reason
    return furniture.line_reason(line)


def _is_translation_notice(line: str) -> bool:
    """Return True for a note that the text was (machine) translated."""
    if len(line) <= MAX_BY_LINE_CHARS and _TRANSLATED_BY.match(line):
        return True
    return len(line) <= MAX_NOTICE_CHARS and _TRANSLATION.match(line) is not None


def _is_share_line(line: str) -> bool:
    """Return True for share/subscribe/follow/advert/copyright page chrome."""
    return len(line) <= MAX_CHROME_CHARS and any(p.match(line) for p in _SHARE)


def _is_update_stamp(line: str) -> bool:
    """Return True for a standalone "Updated: <date/time>" style line."""
    match = _STAMP.match(line)
    if len(line) > MAX_STAMP_CHARS or match is None:
        return False
    tokens = [t.strip(".:") for t in _STAMP_SPLIT.split(match["rest"]) if t.strip(".:-–—")]
    if not tokens:
        return False
    if not all(_STAMP_NUMBER.match(t) or t.lower() in _STAMP_WORDS for t in tokens):
        return False
    return any(t.lower() not in _STAMP_FILLER for t in tokens)  # says when, not just "on the"


def _is_credit(text: str) -> bool:
    """Return True when text is a bare photo credit ("Name/Pool/Reuters", "Photo: AFP")."""
    body = text.strip()
    if body.startswith("(") and body.endswith(")"):
        body = body[1:-1].strip()
    if not body or len(body) > MAX_CREDIT_CHARS:
        return False
    if _FILE_PHOTO.match(body):
        return True
    label = _CREDIT_LABEL.match(body)
    if label:
        # After a label only names may follow; "Photo: AP How much oil is lost?" is not one.
        return _name_parts(body[label.end() :]) is not None
    parts = _name_parts(body)
    if parts is None:
        return False
    if len(parts) == 1:
        # A lone part must be a known agency: "Talks in Geneva" is a subhead.
        return _is_agency(parts[0])
    return any(_is_agency(p) or p.split()[-1].lower() in _CREDIT_WORDS for p in parts)


def _name_parts(text: str) -> list[str] | None:
    """Return the slash-separated name/agency parts of text, or None if it is not such a list."""
    if not text or _SENTENCE_PUNCT.search(_INITIALS.sub("", text)):
        return None
    parts = [part.strip() for part in _PART_SPLIT.split(text.strip())]
    if len(parts) > MAX_CREDIT_TOKENS or not all(_is_name_part(p) for p in parts):
        return None
    return parts


def _is_name_part(part: str) -> bool:
    """Return True when part reads like a name or agency: capitalised words and particles."""
    words = part.split()
    if not 1 <= len(words) <= MAX_CREDIT_TOKEN_WORDS:
        return False
    return all(w[0].isupper() or w[0].isdigit() or w.lower() in _CONNECTORS for w in words)


def _is_agency(part: str) -> bool:
    """Return True when part names a known news or photo agency ("AFP via Getty Images")."""
    lowered = re.sub(r"\s+photos?$", "", part.lower())
    return lowered in _AGENCIES or lowered.rsplit(" via ", 1)[-1] in _AGENCIES


def _is_caption_with_credit(line: str) -> bool:
    """Return True for a caption line that carries its own credit or photo label."""
    if len(line) > MAX_CAPTION_CHARS:
        return False
    if _FILE_PHOTO_CAPTION.match(line):
        return True
    paren = _PAREN_TAIL.search(line)
    if paren and paren.start() > 0 and _is_photo_credit(paren[1]):
        return True
    return any(_is_photo_credit(line[m.end() :]) for m in SENTENCE_BREAK.finditer(line))


def _is_photo_credit(text: str) -> bool:
    """Return True for a credit that must be a photo's: not a bare "(Reuters)" attribution."""
    if not _is_credit(text):
        return False
    if _PHOTO_WORD.search(text) or _CREDIT_LABEL.match(text):
        return True
    parts = _name_parts(text) or []
    return len(parts) > 1 and not all(_is_agency(p) for p in parts)


def _mark_related(lines: list[str], labels: list[str | None]) -> None:
    """Label "Related article"-style markers and the linked headlines that follow them."""
    for i, line in enumerate(lines):
        match = _RELATED.match(line) if labels[i] is None else None
        if match is None or len(line) > MAX_HEADLINE_CHARS:
            continue
        labels[i] = RELATED
        if match["rest"]:
            continue  # the headline is on the marker line itself
        room = MAX_RELATED_LIST if _PLURAL_MARKER.search(match["marker"]) else 1
        for j in range(i + 1, min(i + 1 + room, len(lines))):
            if labels[j] is not None or not _is_headline_like(lines[j]):
                break
            labels[j] = RELATED


def _is_headline_like(line: str) -> bool:
    """Return True for a short line that ends like a headline, not like a sentence."""
    return (
        len(line) <= MAX_HEADLINE_CHARS
        and len(line.split()) <= MAX_HEADLINE_WORDS
        and not line[0].islower()
        and not _ends_like_sentence(line)
        and not line.rstrip("\"'”’»)]").endswith((":", ";", ","))
    )


def _ends_like_sentence(line: str) -> bool:
    """Return True when line ends with a full stop (inside closing quotes or brackets)."""
    return line.rstrip("\"'”’»)]").endswith(".")


def _mark_duplicates(lines: list[str], labels: list[str | None]) -> None:
    """Label verbatim repeats; a repeated line next to a photo credit is a caption."""
    first: dict[str, int] = {}
    copies: dict[str, list[int]] = {}
    for i, line in enumerate(lines):
        key = _key(line)
        if key not in first:
            first[key] = i
        elif labels[i] is None and len(line) >= MIN_DUPLICATE_CHARS:
            labels[i] = DUPLICATE
            copies.setdefault(key, [first[key]]).append(i)
    for key, indices in copies.items():
        if labels[indices[0]] is None and _next_to_credit(lines, labels, indices, key):
            labels[indices[0]] = CAPTION


def _next_to_credit(
    lines: list[str], labels: list[str | None], indices: list[int], key: str
) -> bool:
    """Return True when any copy of a line sits beside a photo credit (copies skipped)."""
    for i in indices:
        for step in (1, -1):
            j = i + step
            while 0 <= j < len(lines) and _key(lines[j]) == key:
                j += step
            if 0 <= j < len(lines) and labels[j] == CREDIT:
                return True
    return False


def _key(line: str) -> str:
    """Return the comparison form of a line: NFC, so composed and decomposed accents match."""
    return unicodedata.normalize("NFC", line)
