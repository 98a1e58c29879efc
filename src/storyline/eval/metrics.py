"""Clustering metrics: B-cubed (Bagga & Baldwin 1998) and pairwise precision/recall/F1."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from math import comb


@dataclass
class PRF:
    precision: float
    recall: float
    f1: float


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _clusters(labels: Sequence[Hashable]) -> dict[Hashable, set[int]]:
    out: dict[Hashable, set[int]] = defaultdict(set)
    for i, label in enumerate(labels):
        out[label].add(i)
    return out


def bcubed(predicted: Sequence[Hashable], gold: Sequence[Hashable]) -> PRF:
    """Return B-cubed precision, recall and F1 of a clustering against gold labels."""
    if len(predicted) != len(gold):
        raise ValueError("predicted and gold label lists differ in length")
    if not gold:
        return PRF(1.0, 1.0, 1.0)
    pred_c, gold_c = _clusters(predicted), _clusters(gold)
    p = r = 0.0
    for i in range(len(gold)):
        both = len(pred_c[predicted[i]] & gold_c[gold[i]])
        p += both / len(pred_c[predicted[i]])
        r += both / len(gold_c[gold[i]])
    p, r = p / len(gold), r / len(gold)
    return PRF(p, r, _f1(p, r))


def pairwise(predicted: Sequence[Hashable], gold: Sequence[Hashable]) -> PRF:
    """Return precision, recall and F1 over the pairs of items put together."""
    if len(predicted) != len(gold):
        raise ValueError("predicted and gold label lists differ in length")
    pred_c, gold_c = _clusters(predicted), _clusters(gold)
    pred_pairs = sum(comb(len(c), 2) for c in pred_c.values())
    gold_pairs = sum(comb(len(c), 2) for c in gold_c.values())
    both = sum(comb(len(pc & gc), 2) for pc in pred_c.values() for gc in gold_c.values())
    p = both / pred_pairs if pred_pairs else 1.0
    r = both / gold_pairs if gold_pairs else 1.0
    return PRF(p, r, _f1(p, r))
