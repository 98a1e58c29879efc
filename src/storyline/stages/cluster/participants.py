"""Who takes part in an event, and what to call it.

Participants are the people and organisations the member articles name, less those that
only report (the articles' own outlets, news agencies, time zones a stamp left behind) and
fragments that are no name; one actor named two ways ("WHO" and "World Health
Organization", "Hayward" and "Tony Hayward") is counted once, under the full name. The
title is the article's headline unless it is furniture, else its first sentence that reads
as news.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from storyline.models import Article, source_name
from storyline.stages.clean import furniture
from storyline.stages.clean.furniture_words import OUTLETS, TIME_ZONES
from storyline.stages.summarize import reads_alone

MAX_TITLE_CHARS = 100
# A title sentence: long enough to say what happened, short enough to be one statement.
TITLE_WORDS = (6, 60)
_KINDS = ("PERSON", "ORG")
# An outlet's desk ("BBC Radio 4", "BBC World Service"): a known outlet of three letters or
# more at the front (not "AP", which opens other names), then at most three words.
MIN_OUTLET_PREFIX = 3
MAX_DESK_WORDS = 3
# Short words an organisation's initials skip ("Organization of the Petroleum ...").
_SKIPPED = frozenset({"of", "the", "for", "and", "on", "in", "to", "de", "&"})
_ACRONYM = re.compile(r"^(?:[A-Z]\.?){2,8}$")
_JOINED = re.compile(r"\s+(?:and|&)\s+|\s*/\s*")


def event_title(article: Article) -> str:
    """Return an event's title from its central article: the headline unless it is page
    furniture, else the first sentence that reads as news, else the opening words."""
    if article.title and not furniture.looks_like_furniture(article.title):
        return _shortened(article.title)
    for sentence in _sentences(article):
        words = len(sentence.split())
        if TITLE_WORDS[0] <= words <= TITLE_WORDS[1] and _reads_as_news(sentence):
            return _shortened(sentence)
    return _shortened(article.text.split("\n", 1)[0])


def _sentences(article: Article) -> Iterable[str]:
    spans = article.annotations.sentences if article.annotations else []
    return (article.text[start:end] for start, end in spans)


def _reads_as_news(sentence: str) -> bool:
    """Return True for a sentence that can head an event: whole, and no furniture."""
    return reads_alone(sentence) and not furniture.looks_like_furniture(sentence)


def _shortened(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= MAX_TITLE_CHARS:
        return text
    return text[: MAX_TITLE_CHARS - 3].rsplit(" ", 1)[0] + "…"


def event_participants(
    articles: Sequence[Article], reporters: frozenset[str] = frozenset(), limit: int = 8
) -> list[str]:
    """Return the people and organisations most named by the member articles (first by how
    many articles name them, then by how often), each once under its fullest name. Outlets,
    agencies (and ``reporters``, lower case), time zones and non-names are left out."""
    named = [_actor_names(a, reporters) for a in articles]
    alias = aliases([n for names in named for n in names])
    in_articles: Counter[str] = Counter()
    mentions: Counter[str] = Counter()
    for names in named:
        full = [alias.get(n, n) for n in names]
        mentions.update(full)
        in_articles.update(set(full))
    need = 2 if len(articles) > 2 else 1
    ranked = sorted(in_articles, key=lambda n: (-in_articles[n], -mentions[n], n))
    return [name for name in ranked if in_articles[name] >= need][:limit]


def _actor_names(article: Article, reporters: frozenset[str]) -> list[str]:
    """Return the canonical names of an article's PERSON and ORG mentions that are actors."""
    own = source_name(article).lower()
    mentions = article.annotations.mentions if article.annotations else []
    out = []
    for m in mentions:
        name = m.canonical
        if m.kind in _KINDS and is_actor(name, reporters | {own}):
            out += [] if _common_word(name, article.text) else [f"{m.kind}:{name}"]
    return out


def _common_word(name: str, text: str) -> bool:
    """Return True for a one-word "name" the same article also writes in lower case ("Help",
    "Children", "Rescue" opening a line): a common word the tagger took for a name."""
    return " " not in name and re.search(rf"\b{re.escape(name.lower())}\b", text) is not None


def is_actor(name: str, reporters: Iterable[str] = ()) -> bool:
    """Return False for a name that only reports or stamps (an outlet, an agency, a time
    zone, "BBC and ABC") or is no name at all (lower case, digits, one letter)."""
    parts = [p for p in _JOINED.split(name.strip()) if p]
    if not parts:
        return False
    known = OUTLETS | {r.lower() for r in reporters}
    for part in parts:
        lowered = part.lower().removeprefix("the ")
        if lowered in known or part.lower() in known or lowered in TIME_ZONES:
            return False
        if _outlet_desk(lowered, known) or _signed_by_outlet(part, known):
            return False
    return _looks_like_name(name)


def _signed_by_outlet(part: str, known: frozenset[str] | set[str]) -> bool:
    """Return True for a name run into the outlet it reports for ("<Name> BBC", a byline
    without its job): an outlet in capitals last (so "Michael J. Fox" is a name)."""
    words = part.split()
    return len(words) > 1 and words[-1].isupper() and words[-1].lower() in known


def _outlet_desk(lowered: str, known: frozenset[str] | set[str]) -> bool:
    """Return True for an outlet's own desk, station or service ("BBC Radio 4", "Associated
    Press news agency"): a known outlet's name of three letters or more, then a few words."""
    words = lowered.split()
    for n in range(1, min(len(words), 3)):
        head = " ".join(words[:n])
        if len(head) >= MIN_OUTLET_PREFIX and head in known:
            return len(words) - n <= MAX_DESK_WORDS
    return False


def _looks_like_name(name: str) -> bool:
    """Return True for a name: capitalised, no digits or credit marks, not cut off after a
    joining word ("Rotary Club of")."""
    words = name.split()
    if not words or len(name) < 2 or any(c.isdigit() or c in ":|\\/" for c in name):
        return False
    return words[0][0].isupper() and words[-1][0].isupper()


def aliases(keys: Iterable[str]) -> dict[str, str]:
    """Return, for "KIND:name" keys that are another name's short form, that fuller name: an
    acronym whose letters are the initials of an ORG or PERSON name ("WHO" and "World Health
    Organization"), a person's name that one longer PERSON name spells out. The values are
    bare names; unaliased keys map to their bare name too."""
    unique = sorted(set(keys))  # in order, so that the result never hangs on hashing
    names = {k.split(":", 1)[1] for k in unique}
    people = [k.split(":", 1)[1] for k in unique if k.startswith("PERSON:")]
    out: dict[str, str] = {}
    for key in unique:
        kind, name = key.split(":", 1)
        full = _acronym_of(name, names) if _ACRONYM.match(name) else None
        if full is None and kind == "PERSON":
            full = _full_person(name, people)
        out[key] = full or name
    return out


def _initials(name: str) -> str:
    words = [w for w in re.split(r"[\s-]+", name) if w and w.lower() not in _SKIPPED]
    return "".join(w[0] for w in words).upper()


def _acronym_of(acronym: str, names: set[str]) -> str | None:
    """Return the one longer name whose initials spell the acronym, if exactly one does."""
    letters = acronym.replace(".", "")
    fits = {n for n in names if " " in n and _initials(n) == letters}
    return fits.pop() if len(fits) == 1 else None


def _full_person(name: str, people: list[str]) -> str | None:
    """Return the one longer person's name that a short one stands for: one word that begins
    or ends it ("Hayward"), or its first and last words ("Hillary Clinton" for "Hillary
    Rodham Clinton")."""
    words = name.split()
    if not words:
        return None
    if len(words) == 1:
        fits = {p for p in people if " " in p and name in (p.split()[0], p.split()[-1])}
    else:
        ends = (words[0], words[-1])
        fits = {
            p
            for p in people
            if len(p.split()) > len(words) and (p.split()[0], p.split()[-1]) == ends
        }
    return fits.pop() if len(fits) == 1 else None
