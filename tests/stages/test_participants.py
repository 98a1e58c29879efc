"""Tests for an event's participants and title (stages.cluster.participants), invented
text."""

from __future__ import annotations

from storyline.models import Annotations, Article, Mention
from storyline.stages.cluster.participants import aliases, event_participants, event_title, is_actor


def _article(
    names: list[tuple[str, str]], source: str = "avelpost", text: str = "", title: str | None = None
) -> Article:
    """An article whose annotations name (kind, canonical) pairs, and sentences by line."""
    mentions = [Mention(0, 1, name, kind, name) for kind, name in names]
    body = text or "Filler."
    spans, start = [], 0
    for line in body.split("\n"):
        spans.append((start, start + len(line)))
        start += len(line) + 1
    return Article(
        id=f"a{abs(hash((tuple(names), body))) % 10**8}",
        ref="x",
        text=body,
        title=title,
        source=source,
        annotations=Annotations(sentences=spans, mentions=mentions),
    )


def test_outlets_agencies_and_time_zones_are_not_participants() -> None:
    names = [
        ("ORG", "Harbour Council"),
        ("ORG", "BST"),
        ("ORG", "Reuters"),
        ("ORG", "BBC and ABC"),
        ("ORG", "The Guardian"),
        ("ORG", "Avelpost"),
        ("PERSON", "Mara Ellison"),
    ]
    people = event_participants([_article(names), _article(names, source="avelpost")])
    assert people == ["Harbour Council", "Mara Ellison"]


def test_is_actor_rejects_non_names() -> None:
    assert not is_actor("the council")
    assert not is_actor("2011")
    assert not is_actor("GMT")
    assert is_actor("Harbour Council")
    assert not is_actor("Avel Gazette", ["avel gazette"])


def test_a_name_run_into_its_outlet_is_a_byline_not_a_participant() -> None:
    assert not is_actor("Ilse Varga BBC")
    assert is_actor("Tomas J. Fox")


def test_an_acronym_and_its_full_name_are_one_participant() -> None:
    first = _article([("ORG", "Coastal Safety Board"), ("PERSON", "Mara Ellison")])
    second = _article([("ORG", "CSB"), ("PERSON", "Mara Ellison")])
    third = _article([("ORG", "C.S.B."), ("ORG", "Coastal Safety Board")])
    assert event_participants([first, second, third]) == ["Coastal Safety Board", "Mara Ellison"]


def test_a_surname_joins_the_full_name_seen_in_the_event() -> None:
    first = _article([("PERSON", "Mara Ellison")])
    second = _article([("PERSON", "Ellison")])
    assert event_participants([first, second]) == ["Mara Ellison"]


def test_an_ambiguous_short_name_stays_apart() -> None:
    keys = ["PERSON:Mara Ellison", "PERSON:Joss Ellison", "PERSON:Ellison"]
    assert aliases(keys)["PERSON:Ellison"] == "Ellison"


def test_an_acronym_matching_no_name_stays() -> None:
    assert aliases(["ORG:NATO", "ORG:Harbour Council"])["ORG:NATO"] == "NATO"


def test_title_skips_a_byline_and_a_caption_for_the_first_news_sentence() -> None:
    text = "\n".join(
        [
            "By Tomas Ferrand, Harbour and Transport Editor",
            "March 1: Fishing boats wait under the old swing bridge in Port Avel.",
            "The harbour council of Port Avel voted on Tuesday to replace the swing bridge.",
        ]
    )
    title = event_title(_article([], text=text))
    assert title == "The harbour council of Port Avel voted on Tuesday to replace the swing bridge."


def test_title_keeps_a_real_headline() -> None:
    article = _article([], text="Some text here.", title="Port Avel votes for a new bridge")
    assert event_title(article) == "Port Avel votes for a new bridge"


def test_title_replaces_a_byline_headline() -> None:
    text = "The harbour council of Port Avel voted on Tuesday to replace the swing bridge."
    article = _article([], text=text, title="By Tomas Ferrand, Harbour Editor")
    assert event_title(article) == text


def test_a_middle_name_joins_the_short_form() -> None:
    keys = ["PERSON:Mara Joss Ellison", "PERSON:Mara Ellison"]
    assert aliases(keys)["PERSON:Mara Ellison"] == "Mara Joss Ellison"


def test_an_outlets_desk_and_a_credit_are_not_participants() -> None:
    assert not is_actor("BBC Radio Avel")
    assert not is_actor("Associated Press news agency")
    assert not is_actor("Photo: Harbour Council")
    assert is_actor("Avel Harbour Authority")


def test_common_words_and_cut_names_are_not_participants() -> None:
    text = "Help is on the way, and the help will come by sea."
    article = _article([("ORG", "Help"), ("ORG", "Rotary Club of"), ("ORG", "Harbour Council")])
    article.text = text
    assert event_participants([article]) == ["Harbour Council"]


def test_a_blank_name_has_no_alias_and_does_not_fail() -> None:
    assert aliases({"PERSON: ", "PERSON:Ada Quill"}) == {
        "PERSON: ": " ",
        "PERSON:Ada Quill": "Ada Quill",
    }
