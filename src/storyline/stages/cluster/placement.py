"""Place one new article among the stored events without grouping everything again.

cluster() groups articles by average linkage over a combined similarity (embedding
cosine, TF-IDF cosine, rarity-weighted entity overlap; nothing across more than
``event_max_days``). For one new article that comes down to: join the event whose
members it is most similar to on average, if that average reaches the event threshold,
else start a new event. (A new article that bridges two events does not merge them here:
that is left to the next full or incremental grouping, storyline.stages.regroup.)

To do that in milliseconds among 100,000 stored articles, a PlacementIndex keeps in
memory what the scores need and nothing else: the embeddings as one float32 matrix,
hashed term counts (storyline.stages.cluster.rarity's HashingVectorizer, with the document
frequencies kept alongside, so TF-IDF needs no refit), entity profiles as ids and weights
with their document frequencies, publication days bucketed by day, and the members of
every event. Candidate events are those of the stored articles nearest by embedding
within the time window; each is then scored exactly, against all its members. The store
keeps the features (schema 3, table placement_features) so that the index loads without
recomputing them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from storyline.models import Article, known_day, ordinal
from storyline.stages.cluster.grouping import (
    W_EMBEDDING,
    W_ENTITIES,
    W_TFIDF,
    ClusterOptions,
    entity_weights,
    tfidf_document,
)
from storyline.stages.cluster.rarity import (
    HASH_FEATURES,
    HASHER,
    idf,
    name_background,
    term_weights,
)
from storyline.stages.embed import MiniLMOnnx
from storyline.store import PlacementFeatures, Store

# Stored articles nearest by embedding whose events are scored in full. On the placement
# benchmark (Timeline17 grown to 100,000 articles; 200 held-out articles placed into it)
# 100 chose the same event as 800 for all 200, 50 for 199 and 20 for 190, at a p95 of
# 5.5 ms against 4.0 ms for 50; scoring cost grows with the members of these events.
CANDIDATE_ARTICLES = 100
_MAX_COUNT = np.iinfo(np.uint16).max  # counts are stored in 16 bits; no article gets near


@dataclass
class Placement:
    """Where a new article goes, and the evidence."""

    event: str | None  # None: it starts a new event
    score: float  # mean combined similarity to the members of the best candidate event
    candidates: list[tuple[str, float]] = field(default_factory=list)  # best first


def features_of(article: Article) -> PlacementFeatures:
    """Return what placement needs of an article besides its embedding."""
    row = HASHER.transform([tfidf_document(article)])
    row.sort_indices()
    return PlacementFeatures(
        article_id=article.id,
        day=ordinal(known_day(article)),
        terms=row.indices.astype(np.int32),
        counts=np.minimum(row.data, _MAX_COUNT).astype(np.uint16),
        entities=entity_weights(article),
    )


class _Ragged:
    """Rows of varying length of two parallel arrays, stored end to end in one block whose
    capacity doubles when full (adding is amortised O(1); untouched capacity costs no RAM)."""

    def __init__(self, dtypes: tuple[type[np.generic], type[np.generic]]) -> None:
        self._ids: NDArray[np.generic] = np.zeros(0, dtype=dtypes[0])
        self._values: NDArray[np.generic] = np.zeros(0, dtype=dtypes[1])
        self._ends: NDArray[np.int64] = np.zeros(0, dtype=np.int64)
        self._rows = 0

    def append(self, ids: NDArray[np.generic], values: NDArray[np.generic]) -> None:
        start = int(self._ends[self._rows - 1]) if self._rows else 0
        end = start + len(ids)
        if end > len(self._ids):
            self._ids, self._values = _grown(self._ids, end), _grown(self._values, end)
        if self._rows == len(self._ends):
            self._ends = _grown(self._ends, self._rows + 1)
        self._ids[start:end] = ids
        self._values[start:end] = values
        self._ends[self._rows] = end
        self._rows += 1

    def gather(
        self, rows: NDArray[np.intp]
    ) -> tuple[NDArray[np.generic], NDArray[np.generic], NDArray[np.intp]]:
        """Return the ids and values of the rows, end to end, and the position (in
        ``rows``) each entry comes from."""
        ends = self._ends[rows]
        starts = np.where(rows > 0, self._ends[np.maximum(rows - 1, 0)], 0)
        lengths = ends - starts
        owner = np.repeat(np.arange(len(rows)), lengths)
        # entry j of row k sits at starts[k] + j
        at = np.arange(int(lengths.sum())) + np.repeat(
            starts - (np.cumsum(lengths) - lengths), lengths
        )
        return self._ids[at], self._values[at], owner


def _grown(array: NDArray[Any], need: int) -> NDArray[Any]:
    """Return the array copied into one at least twice as long (the new part zero)."""
    grown = np.zeros((max(need, 2 * len(array), 1024), *array.shape[1:]), dtype=array.dtype)
    grown[: len(array)] = array
    return grown


class PlacementIndex:
    """The stored articles and their events as placement needs them (module docstring)."""

    def __init__(self, options: ClusterOptions | None = None) -> None:
        self.options = options or ClusterOptions()
        self._ids: list[str] = []
        self._rows: dict[str, int] = {}
        self._vectors: NDArray[np.float32] = np.zeros((0, 0), dtype=np.float32)
        self._days: NDArray[np.float64] = np.zeros(0)  # NaN where unknown
        self._by_day: dict[int, list[int]] = {}
        self._undated: list[int] = []
        self._terms = _Ragged((np.int32, np.uint16))
        self._term_df = np.zeros(HASH_FEATURES, dtype=np.int32)
        self._entities = _Ragged((np.int32, np.float32))
        self._entity_ids: dict[str, int] = {}
        self._entity_df = np.zeros(0, dtype=np.int32)
        self._entity_background = np.zeros(0, dtype=np.float64)  # rarity.name_background
        self._names: list[str] = []
        self._backgrounds_known = 0
        self._event_of: list[int] = []
        self._event_names: list[str] = []
        self._event_index: dict[str, int] = {}
        self._members: list[list[int]] = []

    def __len__(self) -> int:
        return len(self._ids)

    @classmethod
    def load(
        cls, store: Store, model: str = MiniLMOnnx.model_id, options: ClusterOptions | None = None
    ) -> PlacementIndex:
        """Return the index of the stored articles that have an event, an embedding (of
        ``model``) and placement features."""
        index = cls(options)
        for features, vector, event in store.placement_rows(model):
            index._append(features, vector, event)
        return index

    def members(self, event: str) -> list[str]:
        """Return the ids of an event's articles, in the order they were added."""
        at = self._event_index.get(event)
        return [] if at is None else [self._ids[r] for r in self._members[at]]

    def add(
        self,
        article: Article,
        vector: NDArray[np.float32],
        event: str,
        features: PlacementFeatures | None = None,
    ) -> PlacementFeatures:
        """Return the article's placement features, having added it to ``event`` (which
        is created if new); save them with Store.save_placement_features to keep it."""
        features = features or features_of(article)
        self._append(features, vector, event)
        return features

    def place(
        self,
        article: Article,
        vector: NDArray[np.float32],
        features: PlacementFeatures | None = None,
        candidates: int = CANDIDATE_ARTICLES,
    ) -> Placement:
        """Return the event a new article (one not in the index) joins, None for a new
        event, and the scores behind it; the events scored are those of the ``candidates``
        stored articles nearest by embedding."""
        features = features or features_of(article)
        unit = _unit(vector)
        near = self._nearest(unit, features.day, candidates)
        events = list(dict.fromkeys(self._event_of[r] for r in near.tolist()))
        if not events:
            return Placement(None, 0.0, [])
        sizes = [len(self._members[e]) for e in events]
        members = np.fromiter((r for e in events for r in self._members[e]), dtype=np.intp)
        sims = self._similarity(features, unit, members)
        starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        means = np.add.reduceat(sims, starts) / np.array(sizes)
        ranked = sorted(zip(events, means.tolist(), strict=True), key=lambda c: -c[1])
        scored = [(self._event_names[e], score) for e, score in ranked]
        name, best = scored[0]
        # Average linkage merges below its distance threshold, strictly (see cluster()).
        joins = 1.0 - best < 1.0 - self.options.event_threshold
        return Placement(name if joins else None, best, scored)

    def _nearest(self, unit: NDArray[np.float32], day: int | None, most: int) -> NDArray[np.intp]:
        """Return the stored articles nearest by embedding, best first, among those that
        may share an event with an article of that day (all of them if it has none)."""
        pool: NDArray[np.intp] | None = None
        if not len(self):
            return np.zeros(0, dtype=np.intp)
        if day is None:
            scores = self._vectors[: len(self)] @ unit
        else:
            span = self.options.event_max_days
            window = [r for d in range(day - span, day + span + 1) for r in self._by_day.get(d, ())]
            pool = np.array(window + self._undated, dtype=np.intp)
            scores = self._vectors[pool] @ unit
        k = min(most, len(scores))
        if k == 0:
            return np.zeros(0, dtype=np.intp)
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return top if pool is None else pool[top]

    def _similarity(
        self, features: PlacementFeatures, unit: NDArray[np.float32], members: NDArray[np.intp]
    ) -> NDArray[np.float64]:
        """Return the combined similarity of the new article to each member, as cluster()
        computes it over the stored articles and the new one."""
        vectors = self._vectors[members].astype(np.float64)
        embedding = np.clip(vectors @ unit.astype(np.float64), 0.0, 1.0)
        sim = W_EMBEDDING * embedding + W_TFIDF * self._tfidf(features, members)
        sim += W_ENTITIES * self._entity_overlap(features, members)
        if features.day is not None:
            gap = np.nan_to_num(np.abs(self._days[members] - features.day), nan=0.0)
            sim[gap > self.options.event_max_days] = 0.0
        return np.asarray(sim, dtype=np.float64)

    def _tfidf(self, features: PlacementFeatures, members: NDArray[np.intp]) -> NDArray[np.float64]:
        """Return TF-IDF cosines (sublinear TF, smoothed IDF, as cluster() computes them
        over the stored articles and the new one)."""
        n_docs = len(self) + 1
        order = np.argsort(features.terms, kind="stable")
        new_ids = features.terms[order].astype(np.intp)
        new = term_weights(new_ids, features.counts[order], self._term_df[new_ids] + 1, n_docs)
        norm = float(np.linalg.norm(new))
        if norm == 0.0:
            return np.zeros(len(members))
        ids, counts, owner = self._terms.gather(members)
        pos, hit = _lookup(new_ids, ids.astype(np.intp))
        weights = term_weights(ids, counts, self._term_df[ids] + hit, n_docs)
        norms = np.sqrt(np.bincount(owner, weights * weights, minlength=len(members)))
        dots = np.bincount(owner[hit], weights[hit] * new[pos[hit]], minlength=len(members))
        out: NDArray[np.float64] = np.zeros(len(members))
        np.divide(dots / norm, norms, out=out, where=norms > 0)
        return out

    def _entity_overlap(
        self, features: PlacementFeatures, members: NDArray[np.intp]
    ) -> NDArray[np.float64]:
        """Return weighted Jaccard overlaps of rarity-weighted entity profiles, as cluster()."""
        n_docs = len(self) + 1
        names = list(features.entities)
        rows = np.array([self._entity_ids.get(k, -1) for k in names], dtype=np.intp)
        df = np.where(rows >= 0, self._entity_df[np.maximum(rows, 0)], 0) + 1
        chance = np.array([name_background(k) for k in names], dtype=np.float64)
        scaled = np.array(list(features.entities.values())) * idf(chance, df, n_docs)
        new_total = float(scaled.sum())
        known = rows >= 0
        order = np.argsort(rows[known], kind="stable")
        new_ids, new = rows[known][order], scaled[known][order]
        ids, weights, owner = self._entities.gather(members)
        at = ids.astype(np.intp)
        pos, hit = _lookup(new_ids, at)
        member_idf = idf(self._entity_background[at], self._entity_df[at] + hit, n_docs)
        weighted = weights.astype(np.float64) * member_idf
        totals = np.bincount(owner, weighted, minlength=len(members))
        shared = np.minimum(weighted[hit], new[pos[hit]])
        overlap = np.bincount(owner[hit], shared, minlength=len(members))
        union = totals + new_total - overlap
        out: NDArray[np.float64] = np.zeros(len(members))
        np.divide(overlap, union, out=out, where=union > 0)
        return out

    def _append(self, features: PlacementFeatures, vector: NDArray[np.float32], event: str) -> None:
        if features.article_id in self._rows:  # counting it twice would skew the frequencies
            raise ValueError(f"article {features.article_id} is in the placement index already")
        row = self._rows[features.article_id] = len(self._ids)
        self._reserve(row + 1, len(vector))
        self._vectors[row] = _unit(vector)
        day = features.day
        self._days[row] = np.nan if day is None else day
        (self._undated if day is None else self._by_day.setdefault(day, [])).append(row)
        self._terms.append(features.terms, features.counts)
        self._term_df[features.terms] += 1  # a row's term ids are distinct
        ids = self._entity_row(features.entities)
        self._entities.append(ids, np.array(list(features.entities.values()), dtype=np.float32))
        self._entity_df[ids] += 1
        at = self._event_index.get(event)
        if at is None:
            at = self._event_index[event] = len(self._event_names)
            self._event_names.append(event)
            self._members.append([])
        self._event_of.append(at)
        self._members[at].append(row)
        self._ids.append(features.article_id)

    def _entity_row(self, entities: dict[str, float]) -> NDArray[np.int32]:
        """Return the ids of the names, registering the new ones."""
        for name in entities:
            if name not in self._entity_ids:
                self._entity_ids[name] = len(self._entity_ids)
                self._names.append(name)
        if len(self._entity_ids) > len(self._entity_df):
            self._entity_df = _grown(self._entity_df, len(self._entity_ids))
            self._entity_background = _grown(self._entity_background, len(self._entity_ids))
        for row in range(self._backgrounds_known, len(self._entity_ids)):
            self._entity_background[row] = name_background(self._names[row])
        self._backgrounds_known = len(self._entity_ids)
        return np.array([self._entity_ids[n] for n in entities], dtype=np.int32)

    def _reserve(self, rows: int, dim: int) -> None:
        """Make room for ``rows`` articles (capacity doubles: adding is amortised O(1))."""
        if rows > len(self._days):
            if not len(self._vectors):
                self._vectors = np.zeros((0, dim), dtype=np.float32)
            self._vectors = _grown(self._vectors, rows)
            days = _grown(self._days, rows)
            days[len(self._days) :] = np.nan
            self._days = days


def _unit(vector: NDArray[np.float32]) -> NDArray[np.float32]:
    norm = float(np.linalg.norm(vector))
    return np.asarray(vector / norm if norm > 0 else vector, dtype=np.float32)


def _lookup(
    sorted_ids: NDArray[np.intp], ids: NDArray[np.intp]
) -> tuple[NDArray[np.intp], NDArray[np.bool_]]:
    """Return where each id sits in ``sorted_ids`` and whether it is there at all."""
    if len(sorted_ids) == 0:
        return np.zeros(len(ids), dtype=np.intp), np.zeros(len(ids), dtype=bool)
    pos = np.minimum(np.searchsorted(sorted_ids, ids), len(sorted_ids) - 1)
    return pos, sorted_ids[pos] == ids
