"""Incremental grouping: place new articles among existing events, with stable ids.

Average-link clustering with a threshold never joins two groups unless some pair across
them is at least the threshold apart in similarity, so its groups lie inside the connected
components of the graph whose edges are the pairs at or above the threshold. When new
articles arrive, only the components they touch can change: those are clustered again
(new articles join events, events merge when an article bridges them, or split when the
evidence no longer holds them together) and every other event stays exactly as it was.
The re-clustered groups then take over the ids of the events they hold most of; these
labels tell the groups apart, and the ids that last are given by storyline.stages.ids.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components


def regroup(
    sim: NDArray[np.float64],
    previous: Sequence[str | None],
    threshold: float,
    link: Callable[[NDArray[np.float64], float], list[int]],
    fresh_id: Callable[[list[int]], str],
) -> list[str]:
    """Return an event id per article: untouched events keep theirs, the components new
    articles touch are re-clustered by ``link`` and inherit ids by overlap.

    ``previous`` holds each article's earlier event id, None for new articles;
    ``fresh_id(members)`` names a group that inherits no id (members are indices).
    """
    n = len(previous)
    if n == 0:
        return []
    touched = touched_articles(sim, previous, threshold)
    labels: list[str | None] = [None if touched[i] else previous[i] for i in range(n)]
    idx = np.flatnonzero(touched)
    if len(idx):
        parts = _components(sim[np.ix_(idx, idx)] >= threshold)
        groups: list[list[int]] = []
        for part in parts:
            members = idx[part]
            sub = link(sim[np.ix_(members, members)], threshold) if len(members) > 1 else [0]
            for label in sorted(set(sub)):
                groups.append([int(members[k]) for k, lab in enumerate(sub) if lab == label])
        kept = {lab for lab in labels if lab is not None}
        names = inherit_ids(groups, previous, taken=kept, fresh_id=fresh_id)
        for group, name in zip(groups, names, strict=True):
            for i in group:
                labels[i] = name
    return [lab for lab in labels if lab is not None]


def touched_articles(
    sim: NDArray[np.float64], previous: Sequence[str | None], threshold: float
) -> NDArray[np.bool_]:
    """Return which articles lie in a component (of the above-threshold graph, with each
    existing event held together) that contains a new article."""
    n = len(previous)
    new = np.array([p is None for p in previous])
    if not new.any():
        return np.zeros(n, dtype=bool)
    graph = sim >= threshold
    # members of one existing event are joined, whatever their pairwise similarity
    by_event: dict[str, int] = {}
    for i, label in enumerate(previous):
        if label is not None:
            first = by_event.setdefault(label, i)
            graph[i, first] = graph[first, i] = True
    count, comp = connected_components(csr_matrix(graph), directed=False)
    hit = np.zeros(count, dtype=bool)
    hit[comp[new]] = True
    return np.asarray(hit[comp])


def _components(graph: NDArray[np.bool_]) -> list[NDArray[np.intp]]:
    _, comp = connected_components(csr_matrix(graph), directed=False)
    return [np.flatnonzero(comp == c) for c in sorted(set(comp.tolist()))]


def inherit_ids(
    groups: Sequence[Sequence[int]],
    previous: Sequence[str | None],
    taken: set[str],
    fresh_id: Callable[[list[int]], str],
) -> list[str]:
    """Return a name per group: the earlier id of which it holds the most articles (each
    earlier id going to one group only, the one holding most of it), else a fresh id."""
    claims = []
    for g, members in enumerate(groups):
        for old, count in Counter(previous[i] for i in members if previous[i]).items():
            if old is not None and old not in taken:
                claims.append((-count, old, g))
    names: list[str | None] = [None] * len(groups)
    used: set[str] = set(taken)
    for _, old, g in sorted(claims):
        if names[g] is None and old not in used:
            names[g] = old
            used.add(old)
    out = []
    for g, members in enumerate(groups):
        name = names[g]
        if name is None:
            base = name = fresh_id(sorted(members))
            suffix = 1
            while name in used:
                suffix += 1
                name = f"{base}-{suffix}"
            used.add(name)
        out.append(name)
    return out
