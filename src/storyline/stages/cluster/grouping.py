"""Group articles into events (same happening) and events into storylines.

Two articles report the same happening when their words (TF-IDF), their
meaning (MiniLM embeddings of title and lede) and their named entities agree,
and their dates, where known, are close. Events belong to one storyline when
they share their main actors and places, however far apart in time.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix
from sklearn.cluster import AgglomerativeClustering

from storyline import settings
from storyline.models import (
    Article,
    DateRange,
    Event,
    Membership,
    Story,
    iso_day,
    known_day,
    ordinal,
    reading_order,
    source_name,
)
from storyline.stages.cluster.copies import CopyLink, find_copies, independent_sources
from storyline.stages.cluster.ids import IdBooks, stable_ids
from storyline.stages.cluster.participants import aliases, event_participants, event_title
from storyline.stages.cluster.rarity import HASHER, names_weighted, term_weights
from storyline.stages.cluster.regroup import inherit_ids, regroup

# Weights of the combined article similarity. Calibrated by grid search on ECB+ dev
# (772 articles, 66 look-alike events; spaCy entities, MiniLM on title+lede) with average
# linkage: embeddings alone reach B-cubed F1 0.860, TF-IDF 0.873, entities 0.851, this mix
# 0.896 at threshold 0.30 (settings.event_threshold), with words and names weighted by IDF
# over the articles alone and again with that IDF smoothed by English at large
# (storyline.stages.cluster.rarity). Embeddings separate topics; TF-IDF and entities separate
# look-alike events of one kind (two earthquakes).
W_EMBEDDING = 0.30
W_TFIDF = 0.40
W_ENTITIES = 0.30
# A copy of a wire story is grouped with its original at least this strongly (above any
# threshold): the copy detector (storyline.stages.cluster.copies) has verified the shared text.
COPY_SIMILARITY = 0.9
# The similarity average linkage sees for a pair that may never share an event: so low that
# no group holding such a pair reaches any threshold, however many pairs it averages over.
NEVER_LINKED = -1e6
# Entities that name the setting rather than the happening are everywhere in a storyline;
# mentions of kinds below count, PLACEs count half (one city hosts many events).
ENTITY_KIND_WEIGHT = {"PERSON": 1.0, "ORG": 1.0, "PLACE": 0.5}
# Storyline similarity: a weighted geometric mean of the events' meaning (mean embedding)
# and their main actors and places (STORY_TOP_ENTITIES names each, rarity-weighted), grouped
# by average linkage at settings.story_threshold (0.15). Set on the mix of the five T17 dev
# topics (storylines against topics) and ECB+ dev (look-alike events of different stories
# must stay apart), docs/benchmarks.md "Storylines": 0.7 and 0.15 give T17 B-cubed P 0.98,
# R 0.73, while ECB+ storylines keep P 0.71 (0.74 before, with a sum of the two signals
# that left the T17 topics in 527 storylines, 61% of them a single article).
STORY_MEANING_SHARE = 0.7
STORY_TOP_ENTITIES = 8
# A storyline of one article joins the storyline its meaning is closest to on average
# from this cosine up (MiniLM; unrelated topics sit below 0.2). Set with the above.
LONE_ARTICLE_MEANING = 0.30
# Wire services named as the source of a report ("told AFP"), not as actors in it.
NEWS_AGENCIES = frozenset(
    {
        "afp", "agence france-presse", "reuters", "ap", "associated press", "xinhua", "tass",
        "interfax", "ria novosti", "bloomberg", "dpa", "efe", "ansa", "kyodo", "yonhap", "pti",
        "press trust of india", "ani", "upi", "bernama", "antara", "anadolu",
    }
)  # fmt: skip


@dataclass
class ClusterOptions:
    """How grouping is told apart; the defaults are the settings (storyline.settings), so the
    evals and benchmarks group as a user's run does, environment included."""

    event_threshold: float = field(default_factory=lambda: float(settings.get("event_threshold")))
    story_threshold: float = field(default_factory=lambda: float(settings.get("story_threshold")))
    event_max_days: int = field(default_factory=lambda: int(settings.get("event_max_days")))


@dataclass
class Grouping:
    events: list[Event]
    stories: list[Story]


def cluster(
    articles: Sequence[Article],
    vectors: NDArray[np.float32],
    options: ClusterOptions,
    previous: Grouping | None = None,
    ids: IdBooks | None = None,
) -> Grouping:
    """Return the events and storylines of a set of annotated, dated, embedded articles.

    With a ``previous`` grouping of some of them, only what the new articles touch is
    grouped again (storyline.stages.cluster.regroup). Ids are given by the store's id books
    (storyline.stages.cluster.ids), recording there what became of each earlier id; without them,
    by books holding only the ``previous`` events and storylines.
    """
    if not articles:
        return Grouping([], [])
    sims = article_similarity(articles, vectors, options)
    links = find_copies(articles)
    sim = _with_copies_together(sims.combined, articles, links)
    # Articles published further apart than event_max_days are never one event: not just a
    # pair scored 0, which average linkage lets the other pairs outvote (undated articles
    # bridged March and June reports of one treaty), but a bar on any group holding both.
    linkable = np.where(sims.apart & (sim < COPY_SIMILARITY), NEVER_LINKED, sim)
    was = {aid: e.id for e in previous.events for aid in e.articles} if previous else {}
    labels = regroup(
        linkable,
        [was.get(a.id) for a in articles],
        options.event_threshold,
        average_link,
        lambda members: event_id([articles[i] for i in members]),
    )
    events = [
        _make_event(
            articles, sims, [i for i, lab in enumerate(labels) if lab == label], label, links
        )
        for label in dict.fromkeys(labels)
    ]
    events = in_order(events, []).events
    by_id = {a.id: a for a in articles}
    stories = _group_stories(events, by_id, articles, vectors, options)
    if ids is None:
        ids = IdBooks.of(previous.events, previous.stories) if previous else IdBooks()
    stable_ids(events, stories, ids, lambda aid: reading_order(by_id[aid]))
    return in_order(events, stories)


def event_id(members: Sequence[Article]) -> str:
    """Return the id a new event takes: from its earliest article's id."""
    return "e" + min(members, key=reading_order).id[:10]


@dataclass
class Similarity:
    """Pairwise similarities of articles: the combined score and each signal in it."""

    combined: NDArray[np.float64]
    parts: dict[str, NDArray[np.float64]]
    apart: NDArray[np.bool_]  # pairs published too far apart to share an event


def article_similarity(
    articles: Sequence[Article], vectors: NDArray[np.float32], options: ClusterOptions
) -> Similarity:
    """Return the combined pairwise similarity of articles (1 on the diagonal) and its parts."""
    parts = {
        "embedding": np.clip(vectors.astype(np.float64) @ vectors.T.astype(np.float64), 0, 1),
        "tfidf": _tfidf_similarity(articles),
        "entities": _entity_similarity(names_weighted(_short_names_as_full(articles))),
    }
    sim = W_EMBEDDING * parts["embedding"] + W_TFIDF * parts["tfidf"]
    sim += W_ENTITIES * parts["entities"]
    apart = _too_far_apart(articles, options.event_max_days)
    sim[apart] = 0.0
    np.fill_diagonal(sim, 1.0)
    return Similarity(sim, parts, apart)


def tfidf_document(article: Article) -> str:
    """Return the text whose words are compared: the title counts twice, being the outlet's
    own summary of the happening."""
    return f"{article.title or ''} {article.title or ''} {article.text}"


def _tfidf_similarity(articles: Sequence[Article]) -> NDArray[np.float64]:
    """Return cosines of the articles' TF-IDF vectors, the IDF smoothed by English at large
    (storyline.stages.cluster.rarity) so that unrelated articles beside these barely move it."""
    matrix = csr_matrix(HASHER.transform([tfidf_document(a) for a in articles]), dtype=np.float64)
    df = np.bincount(matrix.indices, minlength=matrix.shape[1])
    matrix.data = term_weights(matrix.indices, matrix.data, df[matrix.indices], len(articles))
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    matrix = csr_matrix(matrix.multiply(1.0 / np.clip(norms, 1e-12, None)[:, None]))
    return np.asarray((matrix @ matrix.T).toarray(), dtype=np.float64)


def entity_weights(article: Article) -> dict[str, float]:
    """Return the article's named entities (canonical names) with their kind weights. The
    wire services an article credits ("told AFP") report the happening; two articles that
    quote the same agency about different happenings share nothing."""
    if article.annotations is None:
        return {}
    weights: dict[str, float] = {}
    for m in article.annotations.mentions:
        key = m.canonical.lower()
        if key in NEWS_AGENCIES:
            continue
        weights[key] = max(weights.get(key, 0.0), ENTITY_KIND_WEIGHT.get(m.kind, 0.0))
    return weights


def _short_names_as_full(articles: Sequence[Article]) -> list[dict[str, float]]:
    """Return each article's entity weights (entity_weights) with short forms read as the
    one fuller name the articles give (participants.aliases): an article that says only
    "Putin" names the man another calls "Vladimir Putin", "WHO" the World Health
    Organization."""
    keys = {
        f"{m.kind}:{m.canonical}"
        for a in articles
        for m in (a.annotations.mentions if a.annotations else [])
        if m.kind in ("PERSON", "ORG")
    }
    # a name that is a short form under one kind and not under another ("PERSON:Haiti",
    # "ORG:Haiti") reads as the fuller name, whatever order the kinds come in
    fuller: dict[str, str] = {}
    for key, name in aliases(keys).items():
        short = key.split(":", 1)[1].lower()
        if fuller.get(short, short) == short:
            fuller[short] = name.lower()
    profiles = []
    for article in articles:
        profile: dict[str, float] = {}
        for name, weight in entity_weights(article).items():
            key = fuller.get(name, name)
            profile[key] = max(profile.get(key, 0.0), weight)
        profiles.append(profile)
    return profiles


def _entity_similarity(profiles: list[dict[str, float]]) -> NDArray[np.float64]:
    """Return weighted Jaccard overlaps of entity sets: sum of minima over sum of maxima.

    The sum of minima is gathered name by name: each name adds min(a, b) to every pair of
    profiles holding it, so the cost is the number of such pairs, not profiles squared.
    """
    n = len(profiles)
    holders: dict[str, list[tuple[int, float]]] = {}
    for i, profile in enumerate(profiles):
        for key, weight in profile.items():
            if weight > 0:
                holders.setdefault(key, []).append((i, weight))
    overlap = np.zeros((n, n))
    for pairs in holders.values():
        if len(pairs) < 2:
            continue
        idx = np.array([i for i, _ in pairs])
        weights = np.array([w for _, w in pairs])
        overlap[np.ix_(idx, idx)] += np.minimum.outer(weights, weights)
    totals = np.array([sum(w for w in p.values() if w > 0) for p in profiles], dtype=np.float64)
    union = totals[:, None] + totals[None, :] - overlap
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(union > 0, overlap / union, 0.0)
    np.fill_diagonal(out, 0.0)
    return np.asarray(out, dtype=np.float64)


def _too_far_apart(articles: Sequence[Article], max_days: int) -> NDArray[np.bool_]:
    """Return the pairs published further apart than max_days for certain: their known
    publication days, or the ranges their texts allow (an article "published on or after
    2024" and one "on or before November 2023" are months apart, whatever their words)."""
    lo, hi = np.array([_bounds(a) for a in articles], dtype=np.float64).T.reshape(2, -1)
    with np.errstate(invalid="ignore"):
        gap = np.maximum(lo[:, None] - hi[None, :], lo[None, :] - hi[:, None])
    return np.nan_to_num(gap, nan=0.0, posinf=0.0, neginf=0.0) > max_days


def _bounds(article: Article) -> tuple[float, float]:
    """Return the first and last day (ordinals) the article can have been published on."""
    date = article.date
    if date is None or date.certainty == "unknown":
        return -np.inf, np.inf
    start, end = (
        iso_day(date.start) if date.start else None,
        iso_day(date.end) if date.end else None,
    )
    return (
        start.toordinal() if start else -np.inf,
        end.toordinal() if end else np.inf,
    )


def average_link(sim: NDArray[np.float64], threshold: float) -> list[int]:
    if len(sim) == 1:
        return [0]
    model = AgglomerativeClustering(
        n_clusters=None,
        metric="precomputed",
        linkage="average",
        distance_threshold=1.0 - threshold,
    )
    return [int(x) for x in model.fit_predict(1.0 - sim)]


def _with_copies_together(
    sim: NDArray[np.float64], articles: Sequence[Article], links: Sequence[CopyLink]
) -> NDArray[np.float64]:
    """Return the similarities with each copy at COPY_SIMILARITY or more to its original:
    a reprint or rewrite of one wire story reports the same happening, whatever the dates."""
    row = {a.id: i for i, a in enumerate(articles)}
    for link in links:
        i, j = row[link.article], row[link.original]
        sim[i, j] = sim[j, i] = max(sim[i, j], COPY_SIMILARITY)
    return sim


def _make_event(
    articles: Sequence[Article],
    sims: Similarity,
    idx: list[int],
    name: str,
    links: Sequence[CopyLink],
) -> Event:
    members = sorted(idx, key=lambda i: reading_order(articles[i]))
    inside = {articles[i].id for i in members}
    copied = {k.article: k for k in links if k.article in inside and k.original in inside}

    def to_rest(matrix: NDArray[np.float64]) -> NDArray[np.float64]:
        """Each member's mean score to the other members (1 for a lone article)."""
        sub = matrix[np.ix_(members, members)]
        if len(members) == 1:
            return np.ones(1)
        return np.asarray((sub.sum(axis=1) - np.diag(sub)) / (len(members) - 1))

    centrality = to_rest(sims.combined)
    parts = {key: to_rest(matrix) for key, matrix in sims.parts.items()}
    medoid = members[int(np.argmax(centrality))]
    gaps = _days_apart([articles[i] for i in members])
    evidence = [
        Membership(
            article=articles[i].id,
            similarity=round(float(centrality[k]), 3),
            shared_entities=_shared_entities(articles, i, members),
            scores={key: round(float(v[k]), 3) for key, v in parts.items()},
            days_apart=gaps[k],
            copy_of=copied[articles[i].id].original if articles[i].id in copied else None,
            copy_similarity=copied[articles[i].id].similarity if articles[i].id in copied else None,
        )
        for k, i in enumerate(members)
    ]
    return Event(
        id=name,
        title=_title(articles[medoid]),
        articles=[articles[i].id for i in members],
        # When it happened is worked out later (stage event_time); until then, publication.
        date=publication_span([articles[i] for i in members]),
        published=publication_span([articles[i] for i in members]),
        evidence=evidence,
        sources=sorted({source_name(articles[i]) for i in members}),
        independent_sources=independent_sources(
            [articles[i] for i in members], list(copied.values())
        ),
        participants=_participants([articles[i] for i in members]),
    )


def _days_apart(members: Sequence[Article]) -> list[int | None]:
    """Return each member's distance in days to the nearest other member with a known day."""
    days = [ordinal(known_day(a)) for a in members]
    out: list[int | None] = []
    for k, day in enumerate(days):
        if day is None:
            out.append(None)
            continue
        others = [abs(day - d) for j, d in enumerate(days) if j != k and d is not None]
        out.append(min(others) if others else None)
    return out


def _shared_entities(articles: Sequence[Article], i: int, members: list[int]) -> list[str]:
    own = _names(articles[i])
    others: Counter[str] = Counter()
    for j in members:
        if j != i:
            others.update(set(_names(articles[j])))
    shared = [n for n in dict.fromkeys(own) if others[n]]
    return sorted(shared, key=lambda n: -others[n])[:6]


def _names(article: Article) -> list[str]:
    if article.annotations is None:
        return []
    return [m.canonical for m in article.annotations.mentions]


def _title(article: Article) -> str:
    return event_title(article)


def in_order(events: Sequence[Event], stories: Sequence[Story]) -> Grouping:
    """Return the grouping with events in the order they happened (undated last), each
    storyline's events in that order, and storylines by their first event."""
    ordered = sorted(events, key=lambda e: (e.date.start is None, e.date.start or "", e.id))
    rank = {e.id: i for i, e in enumerate(ordered)}
    for story in stories:
        story.events.sort(key=rank.__getitem__)
    return Grouping(ordered, sorted(stories, key=lambda s: rank[s.events[0]]))


def publication_span(articles: Sequence[Article]) -> DateRange:
    """Return when the members were published: the span of their known days, else the
    overlap of their inferred ranges (all of them report one happening, so all hold)."""
    known = [a.date for a in articles if a.date and a.date.certainty in ("given", "day")]
    if known:
        days = sorted(d.start for d in known if d.start)
        evidence = [f"publication days of {len(known)} of {len(articles)} articles"]
        certainty = "day" if days[0] == days[-1] else "range"
        return DateRange(days[0], days[-1], certainty, evidence)
    ranges = [a.date for a in articles if a.date and (a.date.start or a.date.end)]
    if not ranges:
        return DateRange(None, None, "unknown", ["no member article is dated"])
    starts = [d.start for d in ranges if d.start]
    ends = [d.end for d in ranges if d.end]
    start, end = (max(starts) if starts else None), (min(ends) if ends else None)
    if start and end and start > end:  # inconsistent bounds: fall back to their union
        start, end = min(starts), max(ends)
    evidence = [f"inferred date ranges of {len(ranges)} of {len(articles)} articles"]
    return DateRange(start, end, "range", evidence)


def _participants(articles: Sequence[Article], limit: int = 8) -> list[str]:
    """Return the people and organisations most named by the member articles (see
    storyline.stages.cluster.participants). News agencies report; they don't take part."""
    return event_participants(articles, NEWS_AGENCIES, limit)


def _event_profile(event: Event, by_id: dict[str, Article]) -> dict[str, float]:
    counts: Counter[str] = Counter()
    for aid in event.articles:
        counts.update(entity_weights(by_id[aid]).keys())
    top = [name for name, _ in counts.most_common(STORY_TOP_ENTITIES)]
    total = len(event.articles)
    return {name: counts[name] / total for name in top}


def story_signals(
    events: Sequence[Event],
    by_id: dict[str, Article],
    articles: Sequence[Article],
    vectors: NDArray[np.float32],
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Return how alike events are in meaning (cosine of their articles' mean embeddings)
    and in actors and places (weighted overlap of their main names, rarity-weighted)."""
    row = {a.id: i for i, a in enumerate(articles)}
    centroids = np.array([vectors[[row[a] for a in e.articles]].mean(axis=0) for e in events])
    centroids /= np.clip(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-12, None)
    meaning = np.clip(centroids @ centroids.T, 0.0, 1.0)
    names = _entity_similarity(names_weighted([_event_profile(e, by_id) for e in events]))
    return np.asarray(meaning, dtype=np.float64), names


def story_similarity(
    meaning: NDArray[np.float64], names: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Return how alike events are as chapters of one story: a weighted geometric mean of
    meaning and names, so both must agree. Two earthquakes are alike in meaning and share
    no names; two days of one oil spill share both."""
    sim = np.power(meaning, STORY_MEANING_SHARE) * np.power(names, 1.0 - STORY_MEANING_SHARE)
    np.fill_diagonal(sim, 1.0)
    return np.asarray(sim, dtype=np.float64)


def _attach_lone_articles(
    groups: list[list[int]], events: Sequence[Event], meaning: NDArray[np.float64]
) -> list[list[int]]:
    """Return the storylines with each one-article storyline moved into the storyline whose
    events it is closest to in meaning on average, when that reaches LONE_ARTICLE_MEANING:
    a comment piece on the story names none of its actors, yet belongs with it."""
    sizes = [sum(len(events[i].articles) for i in g) for g in groups]
    hosts = [k for k, size in enumerate(sizes) if size > 1]
    moved: dict[int, int] = {}
    for k, group in enumerate(groups):
        if sizes[k] != 1 or not hosts:
            continue
        scores = [float(meaning[group[0], groups[h]].mean()) for h in hosts]
        best = int(np.argmax(scores))
        if scores[best] >= LONE_ARTICLE_MEANING:
            moved[k] = hosts[best]
    out = [list(g) for g in groups]
    for k, host in moved.items():
        out[host] += out[k]
    return [sorted(g) for k, g in enumerate(out) if k not in moved]


def _group_stories(
    events: list[Event],
    by_id: dict[str, Article],
    articles: Sequence[Article],
    vectors: NDArray[np.float32],
    options: ClusterOptions,
) -> list[Story]:
    """Return the storylines of the events, named for now by their first event (the
    names that last are given by stable_ids)."""
    meaning, actors = story_signals(events, by_id, articles, vectors)
    labels = average_link(story_similarity(meaning, actors), options.story_threshold)
    groups = [[i for i, lab in enumerate(labels) if lab == label] for label in sorted(set(labels))]
    groups = _attach_lone_articles(groups, events, meaning)
    story_ids = inherit_ids(
        groups, [None] * len(events), set(), lambda idx: "s" + events[idx[0]].id[1:]
    )
    stories = []
    for group, name in zip(groups, story_ids, strict=True):
        members = [events[i] for i in group]
        names: Counter[str] = Counter(p for e in members for p in e.participants)
        stories.append(
            Story(
                id=name,
                title=_story_title(members, names),
                events=[e.id for e in members],
                participants=[n for n, _ in names.most_common(8)],
            )
        )
    return in_order(events, stories).stories


def _story_title(events: list[Event], names: Counter[str]) -> str:
    if len(events) == 1:
        return events[0].title
    top = [n for n, _ in names.most_common(2)]
    return " and ".join(top) + f": {len(events)} events" if top else events[-1].title
