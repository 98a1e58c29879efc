"""The grouping of a set of articles does not depend on unrelated articles stored beside it.

Words and names are weighted by their rarity in English at large (storyline.stages.cluster.rarity),
not by rarity among the stored articles, so the five seed reports of two Xi-Putin meetings
group the same way alone, beside the demo corpus, beside one unrelated article, and beside
three hundred articles of another story (Timeline17's oil spill).
"""

from __future__ import annotations

import gzip
import json
from importlib import resources
from pathlib import Path

import pytest

from storyline.models import Report
from tests.conftest import run_pipeline, shared_path

pytestmark = pytest.mark.slow  # models, subprocesses or servers: not in `make quick`

# An unrelated article in our own words: a small town's flood, nothing to do with the seeds.
ODD = """---
source: Valley Courier
---
# Shelters open as the Ambrel river floods the lower town

Water from the Ambrel river covered the lower streets of Pellworth on Sunday after two
days of rain, and the town council opened three shelters in school halls. Mayor Ottilie
Varga said no one had been hurt and that pumps borrowed from the fire brigade were working
through the night. The council will decide on Tuesday whether the market goes ahead.
"""
OTHER_STORY_ARTICLES = 300


def _with_company(kind: str, folder: Path) -> list[str]:
    """Return the inputs stored beside the seeds: none, the demo corpus, one odd article,
    or 300 articles of the Timeline17 oil spill topic."""
    if kind == "alone":
        return []
    if kind == "demo":
        return [str(resources.files("storyline") / "examples" / "corpus")]
    if kind == "odd":
        path = folder / "odd.md"
        path.write_text(ODD, encoding="utf-8")
        return [str(path)]
    source = shared_path("bench", "timelines", "t17", "bpoil", "articles.jsonl.gz")
    path = folder / "bpoil.jsonl"
    with gzip.open(source, "rt", encoding="utf-8") as rows, path.open("w") as out:
        for _, line in zip(range(OTHER_STORY_ARTICLES), rows, strict=False):
            out.write(json.dumps(json.loads(line)) + "\n")
    return [str(path)]


def _seed_groups(report: Report) -> tuple[list[list[str]], list[list[list[str]]]]:
    """Return the seed articles' events (by file number) and the storylines they fall in."""
    number = {a.id: Path(a.ref).name[:3] for a in report.articles if "_" in Path(a.ref).name}
    seeds = {aid for aid, n in number.items() if n in {"000", "001", "002", "003", "004"}}
    events = {
        e.id: sorted(number.get(a, a) for a in e.articles)
        for e in report.events
        if seeds & set(e.articles)
    }
    stories = [
        sorted(events.get(eid, [eid]) for eid in s.events)  # another event shows as its id
        for s in report.stories
        if set(s.events) & set(events)
    ]
    return sorted(events.values()), stories


@pytest.mark.parametrize("company", ["alone", "demo", "odd", "other-story"])
def test_seeds_group_the_same_whatever_is_stored_beside_them(company: str, tmp_path: Path) -> None:
    inputs = [str(shared_path("seeds")), *_with_company(company, tmp_path)]
    result, report = run_pipeline(inputs, tmp_path / "store.db")
    assert result.rejected == []
    events, stories = _seed_groups(report)
    forum, visit = ["000", "001"], ["002", "003", "004"]
    assert events == [forum, visit]
    assert stories == [[forum, visit]]  # one storyline holds both meetings, and only them
