"""Tests for the clean stage: boilerplate removal, whitespace, identity, real seeds."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.models import Article, RawDoc
from storyline.stages.clean.article import article_id, clean, normalise_lines
from tests.conftest import SHARED

SEEDS = SHARED / "seeds"

# Invented reporting used around the boilerplate under test.
LEAD = (
    "The harbour council of Port Avel voted on Tuesday to replace the ageing swing bridge, "
    "ending a dispute that has split the town for more than a decade."
)
MIDDLE = (
    "Councillor Mara Ellison said the vote was close but fair, and that work on the new "
    "crossing would begin before the spring tides."
)
CLOSE = (
    "Opponents, led by the local fishing cooperative, said they would ask the regional court "
    "to review the decision before any contract is signed."
)


def _clean(*lines: str, title: str | None = None) -> Article:
    return clean(RawDoc(ref="test.txt", text="\n\n".join(lines), title=title))


def _reasons(article: Article) -> list[tuple[str, str]]:
    return [(r.reason, r.text) for r in article.removed]


def test_duplicate_line_keeps_first_copy() -> None:
    pull = "“We are building for the next hundred years,” said the harbour master."
    article = _clean(LEAD, pull, MIDDLE, pull, CLOSE)
    assert article.text == "\n\n".join([LEAD, pull, MIDDLE, CLOSE])
    assert _reasons(article) == [("duplicate line", pull)]


def test_short_repeats_are_not_duplicates() -> None:
    article = _clean(LEAD, "Yes", MIDDLE, "Yes", CLOSE)
    assert article.text.count("Yes") == 2
    assert article.removed == []


def test_doubled_caption_before_credit_goes_entirely() -> None:
    caption = "Fishing boats moored under the old swing bridge in Port Avel last winter."
    article = _clean(LEAD, caption, caption, "Ines Marlow/Coastal Press/Reuters", MIDDLE, CLOSE)
    assert caption not in article.text
    assert article.text == "\n\n".join([LEAD, MIDDLE, CLOSE])
    assert _reasons(article) == [
        ("photo caption", caption),
        ("duplicate line", caption),
        ("photo credit", "Ines Marlow/Coastal Press/Reuters"),
    ]


@pytest.mark.parametrize(
    "credit",
    [
        "Ines Marlow/Pool/Reuters",
        "Photo: AFP",
        "(Getty Images)",
        "Image: Harbour Council handout",
        "Photograph: Tomas Berg/EPA",
        "REUTERS/Tomas Berg",
        "File photo",
        "AFP via Getty Images",
        "J. R. Castell/AP",
        "Photo by Lena Hart for The Avel Times",
    ],
)
def test_photo_credit(credit: str) -> None:
    article = _clean(LEAD, credit, MIDDLE)
    assert article.text == f"{LEAD}\n\n{MIDDLE}"
    assert _reasons(article) == [("photo credit", credit)]


def test_credit_glued_to_a_paragraph_is_split_off() -> None:
    glued = f"Photograph: Ines Marlow/AP {MIDDLE}"
    article = _clean(LEAD, glued, CLOSE)
    assert article.text == "\n\n".join([LEAD, MIDDLE, CLOSE])
    assert _reasons(article) == [("photo credit", "Photograph: Ines Marlow/AP")]


def test_labelled_credit_glued_to_a_sentence_ends_where_the_sentence_opens() -> None:
    # No known agency marks where the credit ends: a name's two capitalised words do, and
    # the sentence after them stays whole.
    line = "Photo: Lena Hart The ferry company said fares would rise."
    article = _clean(LEAD, line, CLOSE)
    assert "The ferry company said fares would rise." in article.text
    assert _reasons(article) == [("photo credit", "Photo: Lena Hart")]


def test_labelled_sentence_is_not_a_credit() -> None:
    line = "Photo: The ferry company said fares would rise."
    article = _clean(LEAD, line, CLOSE)
    assert line in article.text


@pytest.mark.parametrize(
    "caption",
    [
        "Engineers inspect the bridge on Monday. (AP Photo/Lena Hart)",
        "FILE PHOTO: The swing bridge in Port Avel, March 3, 2021. REUTERS/Tomas Berg/File Photo",
    ],
)
def test_caption_carrying_its_own_credit(caption: str) -> None:
    article = _clean(LEAD, caption, MIDDLE)
    assert _reasons(article) == [("photo caption", caption)]


def test_related_article_marker_and_headline() -> None:
    headline = "Why small ports are struggling to pay for repairs"
    article = _clean(LEAD, MIDDLE, "Related article", headline, CLOSE)
    assert article.text == "\n\n".join([LEAD, MIDDLE, CLOSE])
    assert _reasons(article) == [
        ("related article", "Related article"),
        ("related article", headline),
    ]


def test_related_inline_and_plural_markers() -> None:
    inline = "READ MORE: Port Avel's bridge vote explained"
    lines = [LEAD, inline, MIDDLE, "Related stories", "Ferry fares to rise", "A town divided"]
    article = _clean(*lines, CLOSE)
    assert article.text == "\n\n".join([LEAD, MIDDLE, CLOSE])
    assert [r.reason for r in article.removed] == ["related article"] * 4


def test_related_marker_never_takes_a_sentence() -> None:
    article = _clean(LEAD, "See also:", MIDDLE, CLOSE)
    assert MIDDLE in article.text
    assert _reasons(article) == [("related article", "See also:")]


def test_editors_note_at_end_removes_the_block() -> None:
    summary = "The vote shows how small towns weigh heritage against safety."
    article = _clean(LEAD, MIDDLE, CLOSE, "Editor’s note:", summary, "More analysis follows.")
    assert article.text == "\n\n".join([LEAD, MIDDLE, CLOSE])
    assert [r.reason for r in article.removed] == ["editor's note"] * 3
    assert article.removed[1].text == summary


def test_editors_note_at_top_removes_only_itself() -> None:
    note = "Editor's Note: This story has been updated with the final vote count."
    article = _clean(note, LEAD, MIDDLE, CLOSE)
    assert article.text == "\n\n".join([LEAD, MIDDLE, CLOSE])
    assert _reasons(article) == [("editor's note", note)]


@pytest.mark.parametrize(
    "notice",
    [
        "Powered by automated translation",
        "This article was machine translated",
        "Translated by Oskar Lind",
        "Automatically translated",
        "(Translated from Norwegian)",
    ],
)
def test_translation_notice(notice: str) -> None:
    article = _clean(notice, LEAD, MIDDLE)
    assert _reasons(article) == [("translation notice", notice)]


@pytest.mark.parametrize(
    "chrome",
    [
        "Share this article",
        "Share on Facebook",
        "Subscribe to our newsletter",
        "Sign up for the Harbour Briefing",
        "Follow us on Instagram",
        "Click here to read the council's report",
        "Advertisement",
        "Download our app",
        "© 2024 Avel Media Group",
        "Copyright 2024 Avel Media Group. All rights reserved.",
    ],
)
def test_share_line(chrome: str) -> None:
    article = _clean(LEAD, chrome, MIDDLE)
    assert article.text == f"{LEAD}\n\n{MIDDLE}"
    assert _reasons(article) == [("share line", chrome)]


def test_update_stamp_is_removed_and_kept_in_meta() -> None:
    stamp = "Updated: March 4, 2024, 9:15 AM"
    doc = RawDoc(ref="a.txt", text=f"{LEAD}\n{stamp}\n{MIDDLE}", meta={"lang": "en"})
    article = clean(doc)
    assert stamp not in article.text
    assert _reasons(article) == [("update stamp", stamp)]
    assert article.meta == {"lang": "en", "updated_stamp": stamp}
    assert doc.meta == {"lang": "en"}  # the RawDoc is not changed
    assert article.published is None  # a stamp is not a publication date


def test_several_stamps_are_all_kept() -> None:
    article = _clean("Published 8:02 AM", LEAD, "Last updated 3 hours ago", MIDDLE)
    assert article.meta["updated_stamp"] == "Published 8:02 AM"
    assert article.meta["stamps"] == ["Published 8:02 AM", "Last updated 3 hours ago"]


def test_title_repeated_at_top() -> None:
    title = "Port Avel votes to replace its swing bridge"
    article = _clean(title, LEAD, MIDDLE, title=title)
    assert article.text == f"{LEAD}\n\n{MIDDLE}"
    assert _reasons(article) == [("title repeated", title)]
    assert article.title == title


def test_title_found_under_page_furniture() -> None:
    title = "Port Avel votes to replace its swing bridge"
    article = _clean("Share this article", title, LEAD, title=title)
    assert article.text == LEAD
    assert [r.reason for r in article.removed] == ["share line", "title repeated"]


def test_lead_sentence_used_as_title_is_kept() -> None:
    # Feeds and datasets often use the first sentence as the title: it is reporting.
    article = _clean(LEAD, MIDDLE, title=LEAD)
    assert article.text == f"{LEAD}\n\n{MIDDLE}"
    assert article.removed == []


def test_text_that_is_only_its_title_is_kept() -> None:
    article = _clean(
        "Port Avel votes to replace its swing bridge",
        title="Port Avel votes to replace its swing bridge",
    )
    assert article.text == "Port Avel votes to replace its swing bridge"


def test_title_line_kept_when_it_differs() -> None:
    article = _clean("Bridge row ends after ten years", LEAD, title="Port Avel bridge vote")
    assert article.text.startswith("Bridge row ends after ten years\n\n")


@pytest.mark.parametrize(
    "line",
    [
        "Critics said the related costs had been hidden from residents.",
        "The EU/US talks resumed on Monday.",
        "EU/US talks",
        "Money and the tides",  # a short section subhead
        "Share prices of the ferry operator fell 4% on the news.",
        "Copyright disputes over the bridge design were settled in 2019.",
        "Published in 2019, the engineers' survey found cracks in two piers.",
        "Updated figures will be released on Friday.",
        "Translated by volunteers, the old charter was read aloud at the meeting.",
        "Read more about the plan, the council urged, before the next hearing.",
        "Photographers crowded the quay as the result was announced.",
        "He told Reuters the vote was a relief.",
        "The council said it would publish the minutes. (Reuters)",
        "A view from the quay: what residents think",
        "“No,” she said.",
    ],
)
def test_real_content_is_kept(line: str) -> None:
    article = _clean(LEAD, line, MIDDLE)
    assert article.text == f"{LEAD}\n\n{line}\n\n{MIDDLE}"
    assert article.removed == []


def test_standfirst_under_headline_is_kept() -> None:
    dek = "Residents split over cost as work set to start in spring"
    article = _clean(dek, LEAD, title="Port Avel votes to replace its swing bridge")
    assert article.text.startswith(dek)


def test_whitespace_is_normalised_but_characters_are_not() -> None:
    raw = (
        "  The\u00a0council’s  vote\u200b was “final”,\tshe said.  \r\n"
        "\r\n\r\n\r\n"
        "Work\u2009starts in\u3000May.\u00ad  \r\n"
    )
    article = clean(RawDoc(ref="ws.txt", text=raw))
    assert article.text == "The council’s vote was “final”, she said.\n\nWork starts in May."


def test_lines_without_blank_lines_become_paragraphs() -> None:
    article = clean(RawDoc(ref="a.txt", text=f"{LEAD}\n{MIDDLE}\n{CLOSE}\n"))
    assert article.text == "\n\n".join([LEAD, MIDDLE, CLOSE])


def test_fields_come_from_the_rawdoc() -> None:
    doc = RawDoc(
        ref="feed.xml#2",
        text=LEAD,
        title="Bridge vote",
        published="2024-03-04",
        source="Avel Herald",
        url="https://example.org/bridge",
        author="Lena Hart",
    )
    article = clean(doc)
    assert (article.ref, article.title, article.published) == (doc.ref, doc.title, "2024-03-04")
    assert (article.source, article.url, article.author) == (doc.source, doc.url, doc.author)
    assert article.id == article_id(article.text)


def test_same_text_different_whitespace_same_id() -> None:
    a = clean(RawDoc(ref="a", text=f"{LEAD}\n\n{MIDDLE}"))
    b = clean(RawDoc(ref="b", text=f"\r\n  {LEAD}   \r\n{MIDDLE}\u00a0\n\n\n"))
    assert a.text == b.text
    assert a.id == b.id
    assert len(a.id) == 16 and int(a.id, 16) >= 0


def test_article_id_ignores_unicode_form_and_whitespace() -> None:
    composed = "Café owners backed the bridge."
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    assert article_id(composed) == article_id(f"  {decomposed}\n")
    assert article_id(composed) != article_id("Cafe owners backed the bridge.")


def test_nothing_left_gives_empty_text_for_the_caller_to_reject() -> None:
    article = clean(RawDoc(ref="empty.txt", text="Share this article\n\nAdvertisement\n"))
    assert article.text == ""
    assert [r.reason for r in article.removed] == ["share line", "share line"]
    assert clean(RawDoc(ref="blank.txt", text=" \n\u200b\n")).text == ""


def test_clean_is_idempotent_on_a_messy_page() -> None:
    caption = "The swing bridge seen from the north quay at low tide last autumn."
    raw = "\n".join(
        [
            "Port Avel bridge vote",
            "Powered by automated translation",
            LEAD,
            caption,
            caption,
            "Lena Hart/Avel Herald/AFP",
            "Read more:",
            "Ferry fares to rise",
            MIDDLE,
            "Share this article",
            CLOSE,
            "Editor's P/S:",
            "A summary written by someone else.",
            "Updated: March 4, 2024, 9:15 AM",
        ]
    )
    first = clean(RawDoc(ref="a", text=raw, title="Port Avel bridge vote"))
    again = clean(RawDoc(ref="a", text=first.text, title="Port Avel bridge vote"))
    assert first.text == "\n\n".join([LEAD, MIDDLE, CLOSE])
    assert (again.text, again.id, again.removed) == (first.text, first.id, [])


_POOL = [
    LEAD,
    MIDDLE,
    CLOSE,
    "Money and the tides",
    "Yes",
    "Ines Marlow/Pool/Reuters",
    "A quiet harbour town weighs its future.",
    "Related article",
    "Why small ports are struggling",
    "Editor's note: a summary follows.",
    "Share on Facebook",
    "Updated 3 hours ago",
    "This article was machine translated",
    "Port Avel bridge vote",
    "Fishing boats moored under the old swing bridge last winter.",
    "Photograph: Ines Marlow/AP The ferry company said fares would rise.",
    "Related stories",
    "Editor's P/S:",
]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from(_POOL), min_size=1, max_size=14),
    st.lists(
        st.sampled_from(["\n", "\n\n", "\r\n", " \n", "\n\u00a0\n"]), min_size=14, max_size=14
    ),
)
def test_clean_twice_changes_nothing(lines: list[str], breaks: list[str]) -> None:
    raw = "".join(line + brk for line, brk in zip(lines, breaks, strict=False))
    first = clean(RawDoc(ref="p", text=raw, title="Port Avel bridge vote"))
    again = clean(RawDoc(ref="p", text=first.text, title="Port Avel bridge vote"))
    assert (again.text, again.id, again.removed) == (first.text, first.id, [])
    # Every input character is either kept or recorded as removed: nothing vanishes.
    pieces = first.text.split("\n\n") + [r.text for r in first.removed]
    assert sorted("".join(pieces).replace(" ", "")) == sorted(
        "".join(normalise_lines(raw)).replace(" ", "")
    )


# --- the real seed articles (evaluation only: read at run time, never copied) -----------


def _seed(prefix: str) -> tuple[str, Article]:
    if not SEEDS.is_dir():
        pytest.skip(f"seed articles not found at {SEEDS}")
    matches = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not matches:
        pytest.skip(f"no seed {prefix}_*.txt in {SEEDS}")
    raw = matches[0].read_text(encoding="utf-8")
    return raw, clean(RawDoc(ref=str(matches[0]), text=raw))


def _removed_as(article: Article, reason: str, fragment: str) -> bool:
    return any(r.reason == reason and fragment in r.text for r in article.removed)


def test_seed_004_layout_boilerplate_removed() -> None:
    _, article = _seed("004")
    caption = "Russian flag flies"
    assert caption not in article.text
    assert _removed_as(article, "photo caption", caption)
    assert _removed_as(article, "duplicate line", caption)
    assert "Thomas Peter/Pool/Reuters" not in article.text
    assert _removed_as(article, "photo credit", "Thomas Peter/Pool/Reuters")
    assert "Related article" not in article.text
    assert _removed_as(article, "related article", "Related article")
    headline = "Ukraine war brought China and Russia"
    assert headline not in article.text
    assert _removed_as(article, "related article", headline)
    assert "Editor's P/S" not in article.text
    assert _removed_as(article, "editor's note", "Editor's P/S:")
    assert "underscores the growing alliance" not in article.text  # the appended summary
    assert "In Harbin" in article.text.split("\n\n")[-1]  # the reporting runs to the note


def test_seed_000_notices_removed_and_stamp_kept() -> None:
    _, article = _seed("000")
    assert "Powered by automated translation" not in article.text
    assert _removed_as(article, "translation notice", "Powered by automated translation")
    stamp = "Updated: November 13, 2023, 10:44 AM"
    assert stamp not in article.text
    assert _removed_as(article, "update stamp", stamp)
    assert article.meta["updated_stamp"] == stamp
    assert article.published is None
    assert "Sidelines of the Belt" in article.text  # the standfirst stays


@pytest.mark.parametrize(
    ("prefix", "words"),
    [
        ("000", ["Carnegie Russia Eurasia Centre", "$190 billion", "China holds all of the cards"]),
        ("001", ["Lavrov- Wang meeting", "On Israel-Hamas war", "Jilin University"]),
        ("002", ["15-minute ceremony", "Harbin", "Heilongjiang"]),
        ("003", ["Xinhua", "US$240 billion", "Ursula von der Leyen"]),
        ("004", ["Kharkiv", "machine tools", "75 years of their diplomatic relations"]),
    ],
)
def test_seed_reporting_survives(prefix: str, words: list[str]) -> None:
    raw, article = _seed(prefix)
    for word in words:
        assert word in article.text
    removed_chars = sum(len(r.text) for r in article.removed)
    assert len(article.text) > 0.8 * (len(raw) - removed_chars)
    for line in normalise_lines(raw):  # kept lines are verbatim, so offsets hit source words
        assert line in article.text or any(r.text == line for r in article.removed)
    again = clean(RawDoc(ref="again", text=article.text))
    assert (again.text, again.id) == (article.text, article.id)
