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
from ..stages.clean import article_id
from ..stages.crosscheck import AT_LEAST, AT_MOST, BELOW
from ..stages.embed import MiniLMOnnx
from ..stages.quantities import find_quantities
from ..stages.quotes import find_quotes
from ..store import Store
from .dating import load_articles

# How much a planted change moves a figure: a factor drawn from this range, up or down.
CHANGE_RANGE = (0.25, 0.60)
_DIGITS = re.compile(r"\d[\d,]*(?:\.\d+)?")
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


def evaluate_checks(path: Path, inject: int, seed: int, keep: Path | None = None) -> dict[str, Any]:
    """Return conflict recall on planted changes and the findings' rates on the corpus.
    With keep, the stores live in that folder and a later run reuses the unaltered
    corpus's annotations and embeddings."""
    began = time.perf_counter()
    articles = dated_articles(path)
    with tempfile.TemporaryDirectory(prefix="storyline-checks-") as scratch:
        folder = keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        base = Store(str(folder / "base.db"))
        events, by_id = _run(base, articles)
        planted, edited = plant(events, by_id, inject, random.Random(seed))
        (folder / "copy.db").unlink(missing_ok=True)
        copy = Store(str(folder / "copy.db"))
        _seed_copy(copy, base, edited)
        changed_events, _ = _run(copy, [edited.get(a.id, a) for a in articles])
        base.close()
        copy.close()
    caught = sum(_caught(p, changed_events) for p in planted)
    return _scores(events, len(articles), planted, caught, time.perf_counter() - began)


def dated_articles(path: Path) -> list[Article]:
    """Return the file's articles, cleaned, each with its publication day."""
    out = []
    for item in load_articles(path):
        item.article.published = item.truth.isoformat()
        out.append(item.article)
    return out


def _run(store: Store, articles: list[Article]) -> tuple[list[Event], dict[str, Article]]:
    """Return the events of a full build of the articles, and the articles by id."""
    store.add_articles(articles)
    _refresh_rules(store)
    build(store, Options(regroup_all=True))
    return store.events(), {a.id: a for a in store.articles()}


def _refresh_rules(store: Store) -> None:
    """Find the stored articles' figures and quotations again: they come from rules over
    the text and spaCy's names and sentences, so a reused store follows the current rules."""
    annotated = [a for a in store.articles() if a.annotations is not None]
    for article in annotated:
        notes = article.annotations
        assert notes is not None
        notes.quantities = find_quantities(article.text)
        notes.quotes = find_quotes(article.text, notes.mentions, notes.sentences)
    store.save_annotations(annotated)


def _seed_copy(copy: Store, base: Store, edited: dict[str, Article]) -> None:
    """Give the copy the base's annotations and embeddings of every unedited article."""
    kept = [a for a in base.articles() if a.id not in edited]
    copy.add_articles(kept)
    copy.save_annotations(kept)
    model = MiniLMOnnx.model_id
    vectors = base.load_embeddings(model)
    ids = [a.id for a in kept if a.id in vectors]
    if ids:
        copy.save_embeddings(model, ids, np.stack([vectors[i] for i in ids]))


def plant(
    events: list[Event], by_id: dict[str, Article], n: int, rng: random.Random
) -> tuple[list[Planted], dict[str, Article]]:
    """Return up to n planted changes, one per fact and per article, and the edited
    articles by the id of the article each replaces."""
    candidates = [(f, c) for e in events for f in e.findings if _plantable(f) for c in _exact(f)]
    rng.shuffle(candidates)
    planted: list[Planted] = []
    edited: dict[str, Article] = {}
    facts: set[int] = set()
    for finding, claim in candidates:
        if len(planted) >= n or id(finding) in facts or claim.article in edited:
            continue
        change = _change(by_id[claim.article], claim, rng)
        if change is None:
            continue
        article, one = change
        planted.append(one)
        edited[claim.article] = article
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


def _exact(finding: Finding) -> list[Claim]:
    """Return the finding's figures written in digits with no one-sided hedge."""
    return [
        c
        for c in finding.claims
        if c.value and not set(c.qualifiers) & _OPEN and _DIGITS.search(c.value_text or "")
    ]


def _change(article: Article, claim: Claim, rng: random.Random) -> tuple[Article, Planted] | None:
    """Return the article with the claim's figure moved by a drawn factor, and the change."""
    at = article.text.find(claim.value_text or "", claim.start, claim.end)
    digits = _DIGITS.search(claim.value_text or "")
    if at < 0 or digits is None or claim.value is None:
        return None
    written = digits.group(0)
    number = float(written.replace(",", ""))
    factor = 1 + rng.choice((-1, 1)) * rng.uniform(*CHANGE_RANGE)
    decimals = len(written.partition(".")[2])
    new_number = round(number * factor, decimals)
    if new_number <= 0 or new_number == number:
        return None
    new_text = f"{new_number:,.{decimals}f}" if "," in written else f"{new_number:.{decimals}f}"
    start = at + digits.start()
    text = article.text[:start] + new_text + article.text[start + len(written) :]
    edited = replace(article, id=article_id(text), text=text, annotations=None, date=None)
    scale = claim.value / number
    return edited, Planted(article.id, edited.id, start, start + len(new_text), claim.value,
                           new_number * scale)  # fmt: skip


def _caught(planted: Planted, events: list[Event]) -> bool:
    """Return whether a conflict of the copy cites the planted figure."""
    return any(
        f.kind == "conflict"
        and any(c.article == planted.article and c.start <= planted.start < c.end for c in f.claims)
        for e in events
        for f in e.findings
    )


def _scores(
    events: list[Event], n_articles: int, planted: list[Planted], caught: int, seconds: float
) -> dict[str, Any]:
    kinds = [f.kind for e in events for f in e.findings]
    n_events = max(1, len(events))
    conflicts = kinds.count("conflict")
    return {
        "conflict_recall": round(caught / len(planted), 4) if planted else None,
        "false_conflicts_per_1000": round(1000 * conflicts / max(1, n_articles), 3),
        "agree_per_event": round(kinds.count("agree") / n_events, 3),
        "update_per_event": round(kinds.count("update") / n_events, 3),
        "unique_per_event": round(kinds.count("unique") / n_events, 3),
        "seconds": round(seconds, 1),
        "articles": n_articles,
        "events": len(events),
        "injected": len(planted),
        "caught": caught,
        "false_conflicts": conflicts,
        "agree": kinds.count("agree"),
        "update": kinds.count("update"),
        "unique": kinds.count("unique"),
    }
