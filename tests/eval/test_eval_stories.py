"""`storyline eval stories`: storylines scored against gold stories, beside a TF-IDF peer."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline.cli import app
from storyline.errors import InputError
from storyline.eval.stories import evaluate_stories

pytestmark = pytest.mark.slow  # models, subprocesses or servers: not in `make quick`

# Two stories in our own words, each told over several days by several outlets.
STORIES = {
    "bridge": [
        (
            "2025-02-03",
            "Engineers closed the Halden river bridge after cracks appeared in its "
            "central pier, and traffic from Marlow was sent through the valley road.",
        ),
        (
            "2025-02-05",
            "Divers inspecting the Halden bridge found the central pier had shifted; "
            "county engineer Ruth Calder said repairs would take weeks.",
        ),
        (
            "2025-02-20",
            "The county approved four million for the Halden bridge repairs, and Ruth "
            "Calder said the pier would be braced with steel before the spring floods.",
        ),
        (
            "2025-03-10",
            "The Halden bridge reopened to cars after the pier was braced; lorries "
            "from Marlow must still use the valley road, county engineer Ruth Calder said.",
        ),
    ],
    "orchestra": [
        (
            "2025-02-04",
            "The Vesper Philharmonic cancelled its winter season after its hall roof "
            "leaked, conductor Ilya Marsh told subscribers.",
        ),
        (
            "2025-02-06",
            "Musicians of the Vesper Philharmonic played a free concert in a church "
            "while the hall roof is mended, Ilya Marsh said.",
        ),
        (
            "2025-02-25",
            "The Vesper Philharmonic will return to its hall in April, Ilya Marsh "
            "announced, once the roof repairs are signed off.",
        ),
    ],
}


def _rows() -> list[dict[str, object]]:
    return [
        {"id": f"{story}{n}", "published": day, "source": f"outlet{n}.example", "text": text,
         "story": story}
        for story, told in STORIES.items()
        for n, (day, text) in enumerate(told)
    ]  # fmt: skip


@pytest.fixture(scope="module")
def labelled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("stories") / "stories.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in _rows()), encoding="utf-8")
    return path


def test_each_story_is_one_storyline_through_the_cli(labelled: Path) -> None:
    result = CliRunner().invoke(app, ["eval", "stories", str(labelled)])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output.strip().splitlines()[-1])
    assert (scores["b3_precision"], scores["b3_recall"]) == (1.0, 1.0)
    assert scores["storylines"] == 2 and scores["single_article_share"] == 0.0
    assert scores["n_articles"] == 7 and scores["n_stories_gold"] == 2
    peer = scores["peer_tfidf_average_link"]
    assert 0.0 < peer["b3_f1"] <= 1.0 and peer["threshold"] > 0


def test_a_folder_of_topics_is_labelled_by_folder_and_sampled(tmp_path: Path) -> None:
    for story in STORIES:
        (tmp_path / story).mkdir()
        lines = [json.dumps(r) + "\n" for r in _rows() if r["story"] == story]
        with gzip.open(tmp_path / story / "articles.jsonl.gz", "wt", encoding="utf-8") as out:
            out.writelines(lines)
    scores = evaluate_stories(tmp_path, per_topic=2, seed=1, processes=1)
    assert scores["n_articles"] == 4 and scores["n_stories_gold"] == 2
    assert scores["b3_precision"] == 1.0


def test_a_line_without_its_story_is_named(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"id": "x", "text": "Words."}) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.jsonl:1"):
        evaluate_stories(path, processes=1)
