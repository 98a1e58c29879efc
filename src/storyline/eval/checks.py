"""Cross-check benchmark: plant disagreements in a real corpus and see them flagged.

The pipeline runs once on a dated multi-outlet corpus (JSONL or JSONL.gz as ``eval
dating`` reads it, publication days kept). Every conflict it flags there is a false one
as far as this benchmark knows. Then, in a copy, for N facts that two or more independent
sources give alike within one event (an agreement on an exact figure), one source's figure
is changed by 25% to 60% in its article's text, and the pipeline runs on the copy. A
planted change is caught when a conflict of the copy cites the changed figure. Unchanged
articles keep their annotations and embeddings, so the second run annotates only the
changed ones. Deterministic given the seed.
"""

from __future__ import annotations

import random
import re
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from ..models import Article, Claim, Event, Finding
from ..pipeline import Options, build
from ..stages.claims.crosscheck import AT_LEAST, AT_MOST, BELOW
from ..stages.claims.quantities import find_quantities
from ..stages.claims.quantity_words import NUMBER_WORDS
from ..stages.claims.quotes import find_quotes
from ..stages.clean.article import article_id
from ..stages.cluster.copies import event_origins
from ..stages.embed import MiniLMOnnx
from ..store import Store
from .dating import load_articles

# How much a planted change moves a figure: a factor drawn from this range, up or down.
CHANGE_RANGE = (0.25, 0.60)
_DIGITS = re.compile(r"\d[\d,]*(?:\.\d+)?")
# A figure written in words up to a hundred ("three", "twenty-five"): the words of its number.
_SIMPLE = [w for w, (kind, _) in NUMBER_WORDS.items() if kind in ("small", "teen", "tens")]
_NUMBER_WORDS = re.compile(
    rf"(?i:{'|'.join(sorted(_SIMPLE, key=len, reverse=True))})(?:-(?i:{'|'.join(_SIMPLE)}))?\b"
)
# Hedges that leave a figure open on one side: a change to it need not contradict anything.
_OPEN = AT_LEAST | AT_MOST | BELOW


@dataclass(frozen=True)
class Planted:
    """One planted change: the article edited, where, and the figure it now gives."""

    original: str  # id of the unaltered article
    article: str  # id of the edited copy
    start: int  # the new figure's digits in the edited text
    end: int
    old: float
    new: float


SOURCES = ("outlet", "article")


def evaluate_checks(
    path: Path,
    inject: int,
    seed: int,
    sources: str = "outlet",
    cache: Path | None = None,
    keep: Path | None = None,
) -> dict[str, Any]:
    """Return conflict recall on planted changes and the findings' rates on the corpus.

    sources "article" counts each article as its own source: Timeline17 topics other than
    bpoil come from one outlet each, where no fact has two independent sources. cache is
    a store (``storyline run`` of the same file, say) whose annotations and embeddings
    are reused for the articles it holds; it is only read. keep is a folder to leave the
    two stores in (base.db, copy.db: ``storyline report --db`` shows their findings)."""
    if sources not in SOURCES:
        raise ValueError(f"sources must be one of {', '.join(SOURCES)}, not {sources!r}")
    began = time.perf_counter()
    articles = dated_articles(path, per_article=sources == "article")
    with tempfile.TemporaryDirectory(prefix="storyline-checks-") as scratch:
        folder = _fresh(keep) if keep is not None else Path(scratch)
        base = Store(str(folder / "base.db"))
        if cache is not None:
            known = Store(str(cache))
            _reuse(base, known, articles)
            known.close()
        events, by_id = _run(base, articles)
        planted, edited = plant(events, by_id, inject, random.Random(seed))
        copy = Store(str(folder / "copy.db"))
        _reuse(copy, base, [a for a in by_id.values() if a.id not in edited])
        changed_events, _ = _run(copy, [edited.get(a.id, a) for a in articles])
        base.close()
        copy.close()
    seen = {p: _seen_as(p, changed_events) for p in planted}
    scores = _scores(events, len(articles), planted, time.perf_counter() - began)
    scores["caught"] = sum("conflict" in kinds for kinds in seen.values())
    scores["conflict_recall"] = round(scores["caught"] / len(planted), 4) if planted else None
    scores["missed"] = [
        {"article": p.original, "old": p.old, "new": p.new, "seen_as": kinds}
        for p, kinds in seen.items()
        if "conflict" not in kinds
    ]
    return scores


def _fresh(folder: Path) -> Path:
    """Return the folder, made if need be, without the stores of an earlier run."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("base.db", "copy.db"):
        (folder / name).unlink(missing_ok=True)
    return folder


def dated_articles(path: Path, per_article: bool = False) -> list[Article]:
    """Return the file's articles, cleaned, each with its publication day (and, per
    article, a source of its own: the outlet and the article's reference)."""
    out = []
    for item in load_articles(path):
        article = item.article
        article.published = item.truth.isoformat()
        if per_article:
            article.source = f"{article.source or 'source'} {article.ref}"
        out.append(article)
    return out


def _run(store: Store, articles: list[Article]) -> tuple[list[Event], dict[str, Article]]:
    """Return the events of a full build of the articles, and the articles by id."""
    store.add_articles(articles)
    _refresh_rules(store)
    build(store, Options(regroup_all=True))
    return store.events(), {a.id: a for a in store.articles()}


def _refresh_rules(store: Store) -> None:
    """Find the stored articles' figures and quotations again: they come from rules over
    the text and spaCy's names and sentences, so reused annotations follow the current rules."""
    annotated = [a for a in store.articles() if a.annotations is not None]
    for article in annotated:
        notes = article.annotations
        assert notes is not None
        notes.quantities = find_quantities(article.text)
        notes.quotes = find_quotes(article.text, notes.mentions, notes.sentences)
    store.save_annotations(annotated)


def _reuse(store: Store, known: Store, articles: list[Article]) -> None:
    """Add the articles to the store with the annotations and embeddings the known store
    has for them, so the build computes only what is new."""
    store.add_articles(articles)
    wanted = {a.id for a in articles}
    done = [a for a in known.articles(wanted) if a.annotations is not None]
    store.save_annotations(done)
    vectors = known.load_embeddings(MiniLMOnnx.model_id)
    ids = [i for i in wanted if i in vectors]
    if ids:
        store.save_embeddings(MiniLMOnnx.model_id, ids, np.stack([vectors[i] for i in ids]))
    for stage in ("annotate", "embed"):  # what the known store says made them
        marks = known.stage_marks(stage)
        for version in {marks[i][0] for i in wanted if i in marks}:
            same = [(i, marks[i][1], None) for i in wanted if marks.get(i, ("",))[0] == version]
            store.mark_done(stage, version, same)


def plant(
    events: list[Event], by_id: dict[str, Article], n: int, rng: random.Random
) -> tuple[list[Planted], dict[str, Article]]:
    """Return up to n planted changes, one per fact and per article, and the edited
    articles by the id of the article each replaces."""
    candidates = [
        (f, c)
        for e in events
        for f in e.findings
        if _plantable(f)
        for c in _partnered(_exact(f), event_origins(e, by_id), by_id)
    ]
    rng.shuffle(candidates)
    planted: list[Planted] = []
    edited: dict[str, Article] = {}
    facts: set[int] = set()
    for finding, claim in candidates:
        if len(planted) >= n or id(finding) in facts or claim.span.article in edited:
            continue
        twins = [
            c
            for c in finding.claims
            if (c.span.article, c.value_text) == (claim.span.article, claim.value_text)
        ]
        change = _change(by_id[claim.span.article], claim, twins, rng)
        if change is None:
            continue
        article, one = change
        planted.append(one)
        edited[claim.span.article] = article
        facts.add(id(finding))
    return planted, edited


def _plantable(finding: Finding) -> bool:
    """Return whether a finding is a fact two independent sources give alike, exactly."""
    return (
        finding.kind == "agree"
        and finding.independent_sources >= 2
        and all(c.kind == "quantity" and c.value for c in finding.claims)
        and len(_exact(finding)) >= 2
    )


def _partnered(
    claims: list[Claim], origin: dict[str, str], by_id: dict[str, Article]
) -> list[Claim]:
    """Return the claims that another independent source's claim gives for the same
    moment (both dated, or both reported that day): the facts the sources share."""

    def day(claim: Claim) -> str | None:
        date = by_id[claim.span.article].date
        return date.start if date else None

    return [
        c
        for c in claims
        if any(
            origin[d.span.article] != origin[c.span.article]
            and (bool(c.time and d.time) or (day(c) is not None and day(c) == day(d)))
            for d in claims
        )
    ]


def _exact(finding: Finding) -> list[Claim]:
    """Return the finding's figures with no one-sided hedge whose number can be rewritten."""
    return [
        c
        for c in finding.claims
        if c.value and not set(c.qualifiers) & _OPEN and _number_in(c.value_text or "")
    ]


def _number_in(written: str) -> tuple[int, int, float] | None:
    """Return where the number of a written figure stands and its value as written: its
    digits ("$3.2 billion": 3.2), else its number words ("three charities": 3)."""
    digits = _DIGITS.search(written)
    if digits:
        return digits.start(), digits.end(), float(digits.group(0).replace(",", ""))
    words = _NUMBER_WORDS.match(written)
    if words is None:
        return None
    value = sum(NUMBER_WORDS[w.lower()][1] for w in re.findall(r"[A-Za-z]+", words.group(0)))
    return (0, words.end(), value) if value > 1 else None


def _change(
    article: Article, claim: Claim, twins: list[Claim], rng: random.Random
) -> tuple[Article, Planted] | None:
    """Return the article with the claim's figure moved by a drawn factor, and the change.
    Where the article gives the figure more than once (twins: its claims of the same fact
    and value), every mention moves, so the source says one thing throughout."""
    found = _number_in(claim.value_text or "")
    if found is None or claim.value is None:
        return None
    lo, hi, number = found
    written = (claim.value_text or "")[lo:hi]
    factor = 1 + rng.choice((-1, 1)) * rng.uniform(*CHANGE_RANGE)
    decimals = len(written.partition(".")[2]) if _DIGITS.fullmatch(written) else 0
    new_number = round(number * factor, decimals)
    if new_number <= 1 or new_number == number:
        return None  # a count of one names a thing rather than counting it
    new_text = f"{new_number:,.{decimals}f}" if "," in written else f"{new_number:.{decimals}f}"
    spans = sorted({s for c in twins if (s := _number_span(article, c, lo, hi))})
    mine = _number_span(article, claim, lo, hi)
    if mine is None:
        return None
    text = article.text
    for start, end in reversed(spans):
        text = text[:start] + new_text + text[end:]
    shift = sum(len(new_text) - (end - start) for start, end in spans if start < mine[0])
    edited = replace(article, id=article_id(text), text=text, annotations=None, date=None)
    at = mine[0] + shift
    scale = claim.value / number
    return edited, Planted(article.id, edited.id, at, at + len(new_text), claim.value,
                           new_number * scale)  # fmt: skip


def _number_span(article: Article, claim: Claim, lo: int, hi: int) -> tuple[int, int] | None:
    """Return where a claim's number stands in its article, given where it stands in the
    claim's written value."""
    at = article.text.find(claim.value_text or "", claim.span.start, claim.span.end)
    return (at + lo, at + hi) if at >= 0 else None


def _seen_as(planted: Planted, events: list[Event]) -> list[str]:
    """Return the kinds of the copy's findings that cite the planted figure."""
    return sorted(
        {f.kind for e in events for f in e.findings if any(_cites(c, planted) for c in f.claims)}
    )


def _cites(claim: Claim, planted: Planted) -> bool:
    return (
        claim.kind == "quantity"
        and claim.span.article == planted.article
        and claim.span.start <= planted.start < claim.span.end
    )


def _scores(
    events: list[Event], n_articles: int, planted: list[Planted], seconds: float
) -> dict[str, Any]:
    kinds = [f.kind for e in events for f in e.findings]
    n_events = max(1, len(events))
    conflicts = kinds.count("conflict")
    return {
        "conflict_recall": None,
        "false_conflicts_per_1000": round(1000 * conflicts / max(1, n_articles), 3),
        "agree_per_event": round(kinds.count("agree") / n_events, 3),
        "update_per_event": round(kinds.count("update") / n_events, 3),
        "unique_per_event": round(kinds.count("unique") / n_events, 3),
        "seconds": round(seconds, 1),
        "articles": n_articles,
        "events": len(events),
        "injected": len(planted),
        "caught": 0,
        "false_conflicts": conflicts,
        "agree": kinds.count("agree"),
        "update": kinds.count("update"),
        "unique": kinds.count("unique"),
    }
