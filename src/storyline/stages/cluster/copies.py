"""Find reprints and rewrites of one wire story, so an event counts independent sources.

Texts are normalised (case, punctuation, quotes, datelines, bylines) and cut into word
shingles; MinHash signatures with banded LSH propose candidate pairs, which are verified
by the exact containment of their shingle sets (share of the smaller text found in the
larger, so a trimmed copy of a long wire story counts). In reading order each article
joins the group of a candidate partner whose group's earliest article it copies; every
link is therefore a verified copy of its original, and a page sharing one block with
two stories (a live page's explainer, a roundup) cannot chain them into one group.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from storyline.models import Article, Event, reading_order, source_name
from storyline.stages.clean.tokenised import untokenise

U64 = NDArray[np.uint64]

# Five-word shingles: long enough that independent reports of one event share few of
# them (own fixtures: containment 0.055 for an independent report sharing names and a quote)
# while an edited word only breaks the five shingles around it (a rewrite keeps 0.81).
SHINGLE_WORDS = 5
# 64 bands of 2 rows: a pair is proposed with probability 1-(1-J^2)^64, i.e. 0.47 at
# Jaccard 0.1, 0.93 at 0.2, 0.998 at 0.3, so trimmed copies (low Jaccard, high
# containment) are still proposed. Measured on t17 bpoil (1,460 articles): 3,440
# candidates hold 104 of the 118 pairs meeting the link rule by exact all-pairs check;
# the 14 missed have Jaccard < 0.25, mostly a short text inside a long page.
PERMUTATIONS = 128
BANDS = 64
ROWS = PERMUTATIONS // BANDS
SEED = 20240517  # fixes the hash functions: same input, same output
# Link when at least this share of the smaller text's shingles is in the larger. On
# bpoil, all 10 cross-outlet pairs at 0.40 or more were wire copies (shared runs of 44 to
# 1,063 shingles); between 0.30 and 0.40 they mixed wire-based rewrites with reports
# quoting one long statement; independently written reports stay below about 0.2. Own
# fixtures: trimmed/rewritten copies 0.81-1.0, independent report 0.055.
LINK_CONTAINMENT = 0.4
# Near-identical: a few edited words in a story of some hundreds keep Jaccard above
# 0.9; on bpoil the one pair above it (0.973) is a republished story, the next is 0.86.
DUPLICATE_JACCARD = 0.9
# At least this many shared shingles (about 24 words in a row) to link at all, so short
# texts and a shared sentence or two never decide.
MIN_SHARED = 20
_CHUNK = 4096  # shingles per step of a signature: bounds memory on very long texts
_WINDOW = 32  # in a crowded LSH bucket, pair each article with this many earlier ones
_CREDIT_LINE = 300  # a longer line saying "contributed to this report" is text


@dataclass(frozen=True)
class CopyLink:
    """One article that copies (or rewrites) an earlier one."""

    article: str  # the later article's id (the copy)
    original: str  # id of the earliest article of its copy group, by reading order
    similarity: float  # Jaccard of the two texts' word shingles (0..1), 3 places
    kind: str  # "duplicate" (near-identical text) or "rewrite" (same story, edited)


_AGENCIES = r"Reuters|AP|AFP|Associated Press|Bloomberg|UPI|dpa|PA|Xinhua|EFE|ANSA|CNN"
_DATELINE = re.compile(  # "HOUSTON, May 3 (Reuters) -", "NEW ORLEANS (AP) --", "LONDON -"
    rf".{{0,160}}?\(\s*(?:{_AGENCIES})\s*\)\s*[-\u2013\u2014:]+\s*"
    r"|[A-Z][A-Z.'/ -]{1,40}(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?\s*[-\u2013\u2014]{1,2}\s+"
)
_BYLINE = re.compile(r"By\s+[A-Z][\w.'-]*(?:[\s,]+(?:and\s+)?[A-Z][\w.'-]*){0,8}\W*$")
_CREDIT = re.compile(r"\(?(?:additional\s+)?(?:reporting|writing|editing|compiled)\s+by\b", re.I)
_CONTRIBUTED = re.compile(r"\bcontributed\s+(?:to\s+)?(?:this|the)\s+(?:report|story)", re.I)
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
_ASCII_PUNCT = str.maketrans({c: " " for c in map(chr, range(128)) if not c.isalnum()})
_WORD = re.compile(r"[^\W_]+")
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_STEP = np.uint64(0x9E3779B97F4A7C15)


def normalise(text: str) -> list[str]:
    """Return the words of text that decide copying: lower-cased, without punctuation,
    datelines ("HOUSTON (Reuters) -") or bylines and reporting credits."""
    text = unicodedata.normalize("NFKC", untokenise(text))
    kept = []
    for line in text.translate(_QUOTES).splitlines():
        line = line.strip()
        if not line or _BYLINE.match(line):
            continue
        if dateline := _DATELINE.match(line):
            line = line[dateline.end() :]
        if ("by " in line or "By " in line) and (credit := _CREDIT.search(line)):
            line = line[: credit.start()]
        if len(line) < _CREDIT_LINE and "contributed" in line and _CONTRIBUTED.search(line):
            continue
        kept.append(line)
    text = "\n".join(kept).lower()
    return text.translate(_ASCII_PUNCT).split() if text.isascii() else _WORD.findall(text)


def _word_hashes(words: Sequence[str]) -> U64:
    """Return a stable 64-bit hash per word (blake2b, not the salted built-in hash)."""
    digests = b"".join(hashlib.blake2b(w.encode("utf-8"), digest_size=8).digest() for w in words)
    return np.frombuffer(digests, dtype="<u8").astype(np.uint64)


def _mix(x: U64) -> U64:
    """Return x with its bits spread (the splitmix64 finaliser), elementwise."""
    x = (x ^ (x >> np.uint64(30))) * _MIX1
    x = (x ^ (x >> np.uint64(27))) * _MIX2
    return x ^ (x >> np.uint64(31))


def shingle_sets(texts: Sequence[str]) -> list[U64]:
    """Return per text the sorted distinct 64-bit hashes of its SHINGLE_WORDS-word shingles
    (a text shorter than one shingle is one shingle)."""
    vocab: dict[str, int] = {}
    counter = itertools.count()  # a new word's id: unique, and an index into the table
    words = [normalise(t) for t in texts]
    ids = [np.fromiter(map(vocab.setdefault, w, counter), np.int64, len(w)) for w in words]
    table = np.zeros(next(counter), dtype=np.uint64)
    table[np.fromiter(vocab.values(), np.int64, len(vocab))] = _word_hashes(list(vocab))
    return [_shingles(table[i]) for i in ids]


def _shingles(hashes: U64) -> U64:
    """Return the sorted distinct hashes of the shingles of a text's word hashes."""
    count = max(len(hashes) - SHINGLE_WORDS + 1, min(len(hashes), 1))
    acc = np.zeros(count, dtype=np.uint64)
    for j in range(min(SHINGLE_WORDS, len(hashes))):
        acc = _mix(acc * _STEP + hashes[j : j + count])
    acc.sort()
    return acc[np.r_[True, acc[1:] != acc[:-1]]] if acc.size else acc


def _multipliers() -> U64:
    """Return the fixed odd multipliers of the PERMUTATIONS hash functions."""
    rng = np.random.default_rng(SEED)
    high = np.iinfo(np.uint64).max
    return rng.integers(0, high, size=PERMUTATIONS, dtype=np.uint64, endpoint=True) | np.uint64(1)


def signature(hashes: U64, multipliers: U64) -> U64:
    """Return the MinHash signature of a shingle set: for each hash function x -> a*x mod
    2^64 (a odd, so a permutation of the already random 64-bit shingle hashes), the least
    value over the set. Long texts go in chunks to bound memory."""
    least = np.full(PERMUTATIONS, np.iinfo(np.uint64).max, dtype=np.uint64)
    for start in range(0, hashes.size, _CHUNK):
        chunk = multipliers[:, None] * hashes[None, start : start + _CHUNK]
        np.minimum(least, chunk.min(axis=1), out=least)
    return least


def candidates(signatures: U64) -> set[tuple[int, int]]:
    """Return the pairs (i < j) of rows whose signatures agree on all ROWS of some band
    (in a bucket of many near-identical texts, only pairs less than _WINDOW apart)."""
    pairs: set[tuple[int, int]] = set()
    for band in range(BANDS):
        cols = signatures[:, band * ROWS : (band + 1) * ROWS]
        keys = np.zeros(len(signatures), dtype=np.uint64)
        for col in range(ROWS):
            keys = _mix(keys * _STEP + cols[:, col])
        order = np.argsort(keys, kind="stable")
        ordered = keys[order]
        starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
        ends = np.r_[starts[1:], len(ordered)]
        for start, end in zip(starts[ends - starts > 1], ends[ends - starts > 1], strict=True):
            members = sorted(order[start:end].tolist())
            for n, j in enumerate(members):
                pairs.update((i, j) for i in members[max(0, n - _WINDOW) : n])
    return pairs


def overlap(x: U64, y: U64) -> tuple[float, float]:
    """Return the Jaccard and the containment (share of the smaller set found in the
    larger) of two sorted distinct shingle-hash arrays."""
    shared = np.intersect1d(x, y, assume_unique=True).size
    union = x.size + y.size - shared
    return (shared / union if union else 0.0), (shared / min(x.size, y.size) if shared else 0.0)


def is_copy(x: U64, y: U64) -> bool:
    """Return whether two shingle sets are versions of one text: enough of the smaller is
    found in the larger (containment is never below Jaccard, so it decides alone)."""
    shared = np.intersect1d(x, y, assume_unique=True).size
    return shared >= MIN_SHARED and shared >= LINK_CONTAINMENT * min(x.size, y.size)


def copy_groups(sets: Sequence[U64]) -> list[list[int]]:
    """Return the copy groups (two or more indices, ascending) of shingle sets in reading
    order. Each set joins the group of the earliest LSH partner whose group's first set it
    copies, or starts its own: groups are stars, every member a verified copy of the
    first, so a text sharing one block with each of two stories cannot chain them."""
    multipliers = _multipliers()
    eligible = [i for i, s in enumerate(sets) if s.size >= MIN_SHARED]
    if len(eligible) < 2:
        return []
    signatures = np.stack([signature(sets[i], multipliers) for i in eligible])
    partners: dict[int, list[int]] = {}
    for p, q in candidates(signatures):
        partners.setdefault(eligible[q], []).append(eligible[p])  # eligible[p] is earlier
    root = list(range(len(sets)))
    for later in sorted(partners):
        for first in sorted({root[p] for p in partners[later]}):
            if is_copy(sets[first], sets[later]):
                root[later] = first
                break
    groups: dict[int, list[int]] = {}
    for i, first in enumerate(root):
        groups.setdefault(first, []).append(i)
    return [g for g in groups.values() if len(g) > 1]


def find_copies(articles: Sequence[Article]) -> list[CopyLink]:
    """Return one link per article that copies or rewrites an earlier one, pointing at the
    earliest article (by reading order) of its copy group; in the copies' reading order.
    Articles with one id (one cleaned text) are one article."""
    unique = sorted({a.id: a for a in articles}.values(), key=reading_order)
    sets = shingle_sets([a.text for a in unique])
    links: list[tuple[int, CopyLink]] = []
    for group in copy_groups(sets):
        first = group[0]
        for i in group[1:]:
            jaccard = overlap(sets[first], sets[i])[0]
            kind = "duplicate" if jaccard >= DUPLICATE_JACCARD else "rewrite"
            links.append((i, CopyLink(unique[i].id, unique[first].id, round(jaccard, 3), kind)))
    return [link for _, link in sorted(links, key=lambda pair: pair[0])]


def independent_sources(articles: Sequence[Article], links: Sequence[CopyLink]) -> int:
    """Return how many distinct outlets the articles come from once each copy group is
    collapsed to its earliest article here: reprints of one story count once, and so do
    two independent articles of one outlet."""
    by_id = {a.id: a for a in articles}
    root = {link.article: link.original for link in links}
    groups: dict[str, Article] = {}
    for article in by_id.values():
        key = root.get(article.id, article.id)
        if key not in groups or reading_order(article) < reading_order(groups[key]):
            groups[key] = article
    return len({source_name(a) for a in groups.values()})


def event_origins(event: Event, articles: dict[str, Article]) -> dict[str, str]:
    """Return each article's independent source: the outlet of the story it copies, by the
    copy links the clustering stage recorded in the event's evidence."""
    copy_of = {m.article: m.copy_of for m in event.evidence if m.copy_of}
    out = {}
    for aid in event.articles:
        root, seen = aid, {aid}
        while (up := copy_of.get(root)) and up not in seen and up in articles:
            root = up
            seen.add(root)
        out[aid] = source_name(articles[root])
    return out
