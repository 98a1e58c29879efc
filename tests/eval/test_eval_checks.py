"""`storyline eval checks`: plant disagreements in a small corpus of our own and count
those the cross-check flags, through the real CLI."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from storyline.cli import app
from storyline.eval.checks import Planted, plant
from storyline.models import Article, Claim, DateRange, Event, Finding, Span

pytestmark = pytest.mark.slow  # models, subprocesses or servers: not in `make quick`

# Three outlets tell each of two happenings in their own words; the figures they share
# (14 deaths, 8,400 tonnes, 260 workers) are the facts a change can be planted in.
BRIDGE = [
    ("Harbour Post", "Lakeside bridge collapse kills 14 in Marrow County\nThe Lakeside bridge "
     "in Marrow County gave way on Tuesday morning during rush hour. The collapse killed 14 "
     "people and injured 52 others, fire chief Dana Orlow told reporters at the scene. "
     "Engineers had inspected the span two years ago. The state has set aside $3.2 million "
     "for emergency repairs, the governor said. Divers searched the river until nightfall."),
    ("Valley Herald", "Fourteen dead as Marrow County bridge falls into river\nRescuers worked "
     "through Tuesday after a river crossing near Lakeside fell during the morning commute. "
     "Officials confirmed 14 people died, and hospitals treated 52 injured, some of them "
     "children. Commuters described hearing a loud crack before the deck dropped. Governor "
     "Paul Renn pledged $3.2 million for the repair work and ordered checks on every bridge "
     "of the same design."),
    ("Northern Wire", "Investigators begin work at collapsed Lakeside crossing\nState "
     "investigators arrived in Marrow County on Tuesday evening to examine what remained of "
     "the Lakeside bridge. A total of 14 people were killed in the disaster, according to the "
     "county coroner. Traffic was diverted through the old ferry road, adding an hour to "
     "journeys. Local businesses said trade on the east bank had already slowed. The crossing "
     "carried 9,000 vehicles a day."),
]  # fmt: skip
HARVEST = [
    ("Harbour Post", "Fenwick Valley growers bring in a bumper apple crop\nGrowers in Fenwick "
     "Valley picked 8,400 tonnes of apples this season, the growers' cooperative said on "
     "Monday. The cooperative employs 260 seasonal workers, its chair Imre Salt said. Prices "
     "at the valley market fell as crates piled up in the packing sheds."),
    ("Valley Herald", "Apple glut fills packing sheds across Fenwick\nThe apple harvest in "
     "Fenwick reached 8,400 tonnes, a record for the valley, according to figures released by "
     "the cooperative. Packers worked double shifts to clear the backlog. Imre Salt, who "
     "chairs the cooperative, said the 260 seasonal workers hired this year would be kept on "
     "until December."),
    ("Northern Wire", "Cider press plan as Fenwick orchards overflow\nA regional grant will "
     "help Fenwick Valley orchards open a cider press next spring after a harvest of 8,400 "
     "tonnes left growers with more fruit than buyers. Market traders said the glut pushed "
     "down what shoppers pay for a bag of apples. The cooperative has asked the county for "
     "storage space."),
]  # fmt: skip


def _corpus(folder: Path) -> Path:
    path = folder / "corpus.jsonl"
    days = (("bridge", "2031-03-04", BRIDGE), ("harvest", "2031-06-10", HARVEST))
    rows = [
        {"id": f"{name}-{k}", "published": day, "source": outlet, "text": text}
        for name, day, stories in days
        for k, (outlet, text) in enumerate(stories)
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _last_json(output: str) -> dict[str, Any]:
    scores: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return scores


@pytest.mark.slow
def test_cli_plants_changes_and_flags_them_as_conflicts(tmp_path: Path) -> None:
    path = _corpus(tmp_path)
    result = CliRunner().invoke(app, ["eval", "checks", str(path), "--inject", "5", "--seed", "3"])
    assert result.exit_code == 0, result.output
    scores = _last_json(result.output)
    assert scores["articles"] == 6 and scores["events"] == 2
    assert scores["injected"] == 3  # one per agreed fact: deaths, tonnes, workers
    assert scores["conflict_recall"] == 1.0 and scores["missed"] == []
    assert scores["false_conflicts_per_1000"] == 0.0
    assert scores["agree_per_event"] >= 1.5 and scores["seconds"] > 0
    again = CliRunner().invoke(app, ["eval", "checks", str(path), "--inject", "5", "--seed", "3"])
    assert _last_json(again.output)["caught"] == scores["caught"]


def _claim(article: str, value: float, written: str, source: str) -> Claim:
    text = f"The flood left {written} homes under water."
    return Claim(Span(article, 0, len(text)), text, "quantity", source, "homes", value, written)


def test_plant_changes_one_figure_of_an_agreed_fact_by_a_quarter_to_three_fifths() -> None:
    claims = [_claim("a", 120, "120 homes", "One"), _claim("b", 120, "120 homes", "Two")]
    day = DateRange("2031-05-02", "2031-05-02", "given")
    articles = {
        c.span.article: Article(c.span.article, c.span.article, c.text, date=day) for c in claims
    }
    finding = Finding("agree", "2 sources agree", claims, "homes", independent_sources=2)
    when = DateRange(None, None)
    event = Event(id="e", title="Flood", articles=["a", "b"], date=when, findings=[finding])
    planted, edited = plant([event], articles, 5, random.Random(1))
    assert len(planted) == 1 and len(edited) == 1
    [one] = planted
    assert isinstance(one, Planted) and 0.25 <= abs(one.new / one.old - 1) <= 0.6
    [article] = edited.values()
    assert article.text[one.start : one.end] == str(int(one.new)) and article.id != one.original
