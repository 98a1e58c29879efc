"""How telling a shared word or name is: IDF over the stored articles, smoothed by English
at large (wordfreq's frequency lists, which ship inside the package).

Plain IDF over the stored articles makes a small store's grouping hang on what else it
holds: among the five seed reports "Putin" is in every article and weighs nothing; add
three hundred articles on an oil spill and he becomes rare, weighs heavily, and the two
Xi-Putin meetings merge. Plain background rarity has the opposite fault: the made-up names
of the demo's treaty story are in no word list, so each weighs as much as the rarest word,
and every article of the story looks like every other.

So the IDF counts BACKGROUND_ARTICLES pseudo-articles drawn from English at large besides
the stored ones: a word of frequency f (per token) turns up in an article of
ARTICLE_TOKENS tokens with probability p = 1 - exp(-ARTICLE_TOKENS * f), and

    idf = ln((B + n + 1) / (B * p + df + 0.5))

for a word in df of the n stored articles. A handful of unrelated articles barely moves
it (n and df are small beside B); a name every article of one story repeats still weighs
less than one only a few of them use; and a large store's own counts take over.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import cache, lru_cache

import numpy as np
from numpy.typing import NDArray
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.utils import murmurhash3_32
from wordfreq import get_frequency_dict

# Word tokens in a typical news article: the median of ECB+ dev is 216, of the Timeline17
# topics 360-950 (two-letter-or-longer words); 400 sits between them.
ARTICLE_TOKENS = 400
# Pseudo-articles of English at large counted besides the stored ones. Set on ECB+ dev,
# the seeds and the demo corpus (docs/benchmarks.md, "Grouping that does not depend on
# unrelated articles"): 1,000 keeps the seeds' grouping the same beside 300 unrelated
# articles while the demo's made-up names weigh like the story words they are.
BACKGROUND_ARTICLES = 1000
# wordfreq lists no word rarer than this (Zipf 1, once in 100 million words); a word it does
# not list at all, a new name or a misspelling, counts as this rare.
RAREST = 1e-8
# Hash buckets for words: of Timeline17's 50,000 distinct terms 1.2% share a bucket with
# another at 4M buckets (4.8% at 1M); 16 MB of float32 probabilities.
HASH_FEATURES = 2**22
_DIGIT = re.compile(r"\d")
_TOKEN = re.compile(r"\w+")
_WORD = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token pattern


def fold_digits(text: str) -> str:
    """Lower-case text with every digit as 0, as wordfreq lists numbers ("2010" is "0000")."""
    return _DIGIT.sub("0", text.lower())


# Words as grouping counts them: scikit-learn's tokens of the digit-folded text, English stop
# words out, raw counts in hashed buckets (no vocabulary to refit as the store grows).
# Grouping (stages.cluster.grouping) and placement (stages.cluster.placement) share it.
HASHER = HashingVectorizer(
    n_features=HASH_FEATURES,
    alternate_sign=False,
    norm=None,
    stop_words="english",
    preprocessor=fold_digits,
)


@cache
def _frequencies() -> dict[str, float]:
    # wordfreq keeps digits folded to zeros ("2010" is listed as "0000")
    return get_frequency_dict("en", wordlist="best")


def frequency(token: str) -> float:
    """Return a token's frequency in English text (RAREST when unlisted)."""
    return _frequencies().get(fold_digits(token), RAREST)


def in_article(freq: NDArray[np.floating]) -> NDArray[np.float64]:
    """Return the chance that an article of ARTICLE_TOKENS tokens holds words this frequent."""
    return np.asarray(-np.expm1(-ARTICLE_TOKENS * np.maximum(freq, RAREST)), dtype=np.float64)


def idf(
    background: NDArray[np.floating], df: NDArray[np.generic], n_docs: int
) -> NDArray[np.float64]:
    """Return the smoothed IDF (module docstring) of words or names with these background
    chances of being in an article, found in ``df`` of ``n_docs`` stored articles."""
    b = float(BACKGROUND_ARTICLES)
    prior = b * background.astype(np.float64)
    return np.asarray(np.log((b + n_docs + 1.0) / (prior + df.astype(np.float64) + 0.5)))


@cache
def bucket_background() -> NDArray[np.float32]:
    """Return, for each hash bucket of HASHER, the chance an article holds its word: the
    rarest for words wordfreq does not list; where listed words share a bucket, the
    commonest one's."""
    words = [w for w in _frequencies() if _WORD.fullmatch(w)]
    freqs = np.array([_frequencies()[w] for w in words])
    buckets = np.array([abs(murmurhash3_32(w, seed=0)) for w in words]) % HASH_FEATURES
    table = np.full(HASH_FEATURES, in_article(np.array(RAREST)), dtype=np.float32)
    np.maximum.at(table, buckets, in_article(freqs).astype(np.float32))
    return table


def term_weights(
    buckets: NDArray[np.generic], counts: NDArray[np.generic], df: NDArray[np.generic], n_docs: int
) -> NDArray[np.float64]:
    """Return TF-IDF weights of words counted in HASHER's buckets: sublinear counts
    (1 + ln count) times the smoothed IDF of each bucket, found in ``df`` stored articles."""
    at = buckets.astype(np.intp)
    return (1.0 + np.log(counts.astype(np.float64))) * idf(bucket_background()[at], df, n_docs)


@lru_cache(maxsize=1 << 16)
def name_background(name: str) -> float:
    """Return the chance an article holds a name of one or more words: a name is at most as
    common as its rarest word, and the frequencies combine as wordfreq combines a phrase's
    (1/f adds up)."""
    tokens = _TOKEN.findall(name)
    freq = 1.0 / sum(1.0 / frequency(t) for t in tokens) if tokens else RAREST
    return float(in_article(np.array(freq)))


def names_weighted(profiles: Sequence[dict[str, float]]) -> list[dict[str, float]]:
    """Return name profiles (name -> weight) with each weight times the name's smoothed IDF
    over these profiles."""
    df: Counter[str] = Counter(k for p in profiles for k in p)
    names = list(df)
    weights = idf(
        np.array([name_background(k) for k in names]),
        np.array([df[k] for k in names]),
        len(profiles),
    )
    by_name = dict(zip(names, weights.tolist(), strict=True))
    return [{k: w * by_name[k] for k, w in p.items()} for p in profiles]
