"""Group short statements from different outlets that say the same thing.

A statement is a sentence or an answer span. Two statements agree when their meaning
(MiniLM sentence embeddings) and their content words (lexical overlap) agree, and they do
not give different figures: "prices rose 8.5%" and "prices rose 8.3%" use the same words
and embed almost alike, yet they disagree. Agreeing statements are grouped by average-link
agglomerative clustering, as articles are grouped into events (storyline.stages.cluster.grouping).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from storyline.stages.cluster.grouping import average_link
from storyline.stages.embed import Embedder

# Weights of the statement similarity and the grouping threshold. Chosen on NAnCo (8
# questions, 230 answers from different outlets; storyline.eval.claims) over a grid of
# embedding weight 0.4-0.7 and threshold 0.20-0.49: every weight reached a mean ARI of
# 0.58-0.61 at its best threshold (embeddings alone 0.55, the overlap alone 0.50), so the
# plain equal mix is kept, one assumption fewer on a tiny set. The threshold is the best
# for that mix on all 8 questions (ARI 0.590); tuned on 7 and scored on the 8th it is
# picked in every fold, and choosing weight and threshold per fold scores ARI 0.589.
W_EMBEDDING = 0.5
W_LEXICAL = 0.5
STATEMENT_THRESHOLD = 0.325
# Pairs that both state figures and share none disagree on a figure (8.5% against 8.3%):
# their similarity is set to this. On NAnCo it parts "until 2024" from "until 2025"
# answers, as the annotators did (mean ARI 0.590 against 0.577 without the rule).
NUMBER_CONFLICT_SIMILARITY = 0.0
# Crude suffix stripping, longest first, so that "pledged", "pledges" and "pledge" meet;
# a stem keeps at least MIN_STEM letters so short words are left alone. Neutral on NAnCo
# (ARI 0.590 with, 0.594 without), whose answers are mostly copied spans; kept for
# paraphrased sentences, where the inflection changes more often than the word.
SUFFIXES = ("ations", "ation", "ions", "ion", "ings", "ing", "ies", "ied", "ed", "es", "ly")
SUFFIXES_SHORT = ("s", "e", "y")
MIN_STEM = 3
# A number is a run of digits, with decimals or thousands, not glued to a word ("Q1",
# "Covid-19" are not figures); words are runs of letters.
TOKEN = re.compile(r"(?<![\w.,-])\d+(?:[.,]\d+)*(?!\w)|[^\W\d_]+")


def embed_statements(texts: Sequence[str], embedder: Embedder) -> NDArray[np.float32]:
    """Return one normalised vector per statement, in order."""
    if not texts:
        return np.zeros((0, embedder.dimensions), dtype=np.float32)
    return embedder.encode(list(texts))


def statement_similarity(texts: Sequence[str], vectors: NDArray[np.float32]) -> NDArray[np.float64]:
    """Return the pairwise similarity of statements in [0, 1], 1 on the diagonal."""
    if len(vectors) != len(texts):
        raise ValueError(f"{len(texts)} statements but {len(vectors)} vectors")
    n = len(texts)
    if n == 0:
        return np.zeros((0, 0))
    tokens = [content_tokens(t) for t in texts]
    emb = np.clip(vectors.astype(np.float64) @ vectors.T.astype(np.float64), 0.0, 1.0)
    sim = W_EMBEDDING * emb + W_LEXICAL * lexical_overlap(tokens)
    sim[_figures_differ(tokens)] = NUMBER_CONFLICT_SIMILARITY
    np.fill_diagonal(sim, 1.0)
    return np.asarray(sim, dtype=np.float64)


def group_statements(
    texts: Sequence[str], vectors: NDArray[np.float32], threshold: float = STATEMENT_THRESHOLD
) -> list[int]:
    """Return a group label per statement (0, 1, ... in order of first appearance)."""
    if not texts:
        return []
    labels = average_link(statement_similarity(texts, vectors), threshold)
    first: dict[int, int] = {}
    return [first.setdefault(label, len(first)) for label in labels]


def content_tokens(text: str) -> set[str]:
    """Return the statement's content words (stemmed, stop words out) and its numbers."""
    out = set()
    for token in TOKEN.findall(text.lower()):
        if token[0].isdigit():
            out.add(token.replace(",", ""))
        elif len(token) > 1 and token not in ENGLISH_STOP_WORDS:
            out.add(stem(token))
    return out


def stem(word: str) -> str:
    """Return the word without its inflectional suffix (one suffix, crude on purpose)."""
    for suffix in (*SUFFIXES, *SUFFIXES_SHORT):
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            return word[: -len(suffix)]
    return word


def lexical_overlap(tokens: Sequence[set[str]]) -> NDArray[np.float64]:
    """Return the rarity-weighted Dice overlap of token sets (0 on the diagonal).

    Words that every statement in the batch uses (the subject of the question they all
    answer) weigh least: smoothed IDF, log((1 + n) / (1 + df)) + 1, as scikit-learn's.
    On NAnCo this is about level with plain Dice (ARI 0.590 against 0.587, each at its
    best threshold); it is kept because it needs no tuning and a shared subject should not
    make two answers agree.
    """
    n = len(tokens)
    vocab = {tok: j for j, tok in enumerate(sorted(set().union(*tokens)))}
    if not vocab:
        return np.zeros((n, n))
    rows = [i for i, toks in enumerate(tokens) for _ in toks]
    cols = [vocab[t] for toks in tokens for t in toks]
    has = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, len(vocab)))
    df = np.asarray(has.sum(axis=0)).ravel()
    idf = np.log((1.0 + n) / (1.0 + df)) + 1.0
    shared = np.asarray((has.multiply(idf[None, :]) @ has.T).toarray(), dtype=np.float64)
    totals = np.asarray(has @ idf).ravel()
    denom = totals[:, None] + totals[None, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(denom > 0, 2.0 * shared / denom, 0.0)
    np.fill_diagonal(out, 0.0)
    return np.asarray(out, dtype=np.float64)


def _figures_differ(tokens: Sequence[set[str]]) -> NDArray[np.bool_]:
    """Return the pairs that both give numbers and have none in common."""
    numbers = [{t for t in toks if t[0].isdigit()} for toks in tokens]
    n = len(numbers)
    out = np.zeros((n, n), dtype=bool)
    for i in range(n):
        for j in range(i + 1, n):
            if numbers[i] and numbers[j] and not numbers[i] & numbers[j]:
                out[i, j] = out[j, i] = True
    return out
