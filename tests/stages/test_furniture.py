"""Tests for page furniture in the clean stage: bylines, datelines, stamps, captions, bios,
reporting credits and reader comments, each removed with its reason (invented text)."""

from __future__ import annotations

import pytest

from storyline.models import Article, RawDoc
from storyline.stages.clean import furniture
from storyline.stages.clean.article import clean
from storyline.stages.dating.text import dating_text

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
# More invented reporting, so an article is long enough for its back half to be the back.
BODY = [
    MIDDLE,
    CLOSE,
    "The new crossing will carry two lanes of traffic and a cycle path, the council said.",
    "Engineers expect the work to take about eighteen months and to cost some 40 million.",
    "The old bridge, opened in 1931, has been closed to lorries since a survey last year.",
    "Shopkeepers on the quay said they hoped the work would bring more visitors to the town.",
]


def _clean(*lines: str) -> Article:
    return clean(RawDoc(ref="test.txt", text="\n\n".join(lines)))


def _removed(article: Article) -> list[tuple[str, str]]:
    return [(r.reason, r.text) for r in article.removed]


@pytest.mark.parametrize(
    "byline",
    [
        "By Tomas Ferrand, Harbour and Transport Editor",
        "By Ilse Varga BBC News, Port Avel",
        "By Ilse Varga Coastal affairs correspondent, BBC News",
        "By Tomas Ferrand, For CNN",
        "By Tomas Ferrand | March 3, 2011; 9:40 AM ET",
        "By Tomas Ferrand |",
        "By Ines Marlow, Tomas Ferrand PORT AVEL/WESTMARK |",
    ],
)
def test_byline_line_goes(byline: str) -> None:
    article = _clean(byline, LEAD, MIDDLE)
    assert article.text == f"{LEAD}\n\n{MIDDLE}"
    assert _removed(article) == [("byline", byline)]


def test_byline_glued_to_the_lead_is_cut_off() -> None:
    article = _clean(f"By Ilse Varga Coastal affairs correspondent, BBC News {LEAD}", MIDDLE)
    assert article.text == f"{LEAD}\n\n{MIDDLE}"
    assert _removed(article) == [
        ("byline", "By Ilse Varga Coastal affairs correspondent, BBC News")
    ]


@pytest.mark.parametrize(
    "byline",
    [
        "Ilse Varga BBC News, Port Avel",
        "Ilse Varga BBC News, Westmark",
        "Ilse Varga BBC News, Avel, Westmark",
        "Ilse Varga BBC transport correspondent",
        "By Ilse Varga, staff reporterMarch 1, 2011: 9:40 AM ET",
        "By the CNN Wire Staff",
        "March 1, 2011 | By Ilse Varga, CNN",
    ],
)
def test_byline_without_by_or_glued_to_its_date_is_cut_off(byline: str) -> None:
    article = _clean(f"{byline} {LEAD}", MIDDLE)
    assert article.text == f"{LEAD}\n\n{MIDDLE}"
    assert _removed(article) == [("byline", byline)]


def test_a_byline_place_is_one_word_before_a_lead_that_opens_with_a_name() -> None:
    article = _clean(f"Ilse Varga BBC News, Westmark {MIDDLE}", LEAD)
    assert article.text == f"{MIDDLE}\n\n{LEAD}"


def test_a_job_named_in_a_sentence_is_not_a_byline() -> None:
    line = "Varga and BBC correspondent Tomas Ferrand said the vote was close."
    assert _clean(LEAD, line).removed == []


@pytest.mark.parametrize(
    "opening",
    ["By Tuesday, the council had voted.", "By law, it must.", "By AP count, 40 boats sailed."],
)
def test_by_in_a_sentence_is_not_a_byline(opening: str) -> None:
    article = _clean(opening, LEAD)
    assert article.removed == []


@pytest.mark.parametrize(
    "dateline",
    [
        "PORT AVEL (Reuters) -",
        "Port Avel, Westmark (CNN) --",
        "PORT AVEL, Wm. --",
        "PORT AVEL, Wm., Mar. 8 --",
        "--",
    ],
)
def test_dateline_goes_and_the_sentence_after_it_stays(dateline: str) -> None:
    article = _clean(f"{dateline} {LEAD}", MIDDLE)
    assert article.text == f"{LEAD}\n\n{MIDDLE}"
    assert _removed(article) == [("dateline", dateline)]


def test_place_and_stamp_before_a_dateline() -> None:
    stamp = "PORT AVEL | Tue Mar 1, 2011 4:05 pm EST"
    article = _clean(f"{stamp} PORT AVEL (Reuters) - {LEAD}", MIDDLE)
    assert article.text == f"{LEAD}\n\n{MIDDLE}"
    assert _removed(article) == [("timestamp", stamp), ("dateline", "PORT AVEL (Reuters) -")]


def test_tokenised_dateline() -> None:
    article = _clean(f"PORT AVEL -LRB- Reuters -RRB- - {LEAD}", MIDDLE)
    assert article.text.startswith(LEAD)


@pytest.mark.parametrize(
    "stamp",
    [
        "Tuesday 1 March 2011 16.05 GMT",
        "1 March 2011 Last updated at 16:05 GMT Help",
        "Tuesday, March 1, 2011; 4:05 PM",
    ],
)
def test_stamp_between_headline_and_lead_is_cut_out(stamp: str) -> None:
    headline = "Port Avel votes for a new bridge"
    article = _clean(f"{headline} {stamp} {LEAD}", MIDDLE)
    assert article.text == f"{headline}\n\n{LEAD}\n\n{MIDDLE}"
    assert _removed(article) == [("timestamp", stamp)]


@pytest.mark.parametrize(
    "stamp", ["Last updated: 1 March 2011", "(Updated 9:45 a.m. ET (1645 in Port Avel)"]
)
def test_stamp_glued_before_the_lead_is_cut_off(stamp: str) -> None:
    article = _clean(f"{stamp} {LEAD}", MIDDLE)
    assert article.text == f"{LEAD}\n\n{MIDDLE}"
    assert _removed(article) == [("timestamp", stamp)]


@pytest.mark.parametrize(
    "caption",
    [
        "March 1: Fishing boats wait under the old swing bridge in Port Avel.",
        "Councillor Mara Ellison, left, walks with the harbour master after the vote.",
        "The old swing bridge is seen from the harbour wall in Port Avel March 1, 2011.",
        "(AP Photo/Ines Marlow)",
        "(Photo credit: Ines Marlow -- Bloomberg News Photo)",
        "In this March 1 file photo, fishing boats wait under the old swing bridge.",
    ],
)
def test_caption_shapes(caption: str) -> None:
    article = _clean(LEAD, caption, MIDDLE)
    assert article.text == f"{LEAD}\n\n{MIDDLE}"
    assert {reason for reason, _ in _removed(article)} <= {"photo caption", "photo credit"}


def test_seen_as_is_reporting_not_a_caption() -> None:
    line = "The vote is seen as a defeat for the fishing cooperative, said Mara Ellison."
    assert _clean(LEAD, line).removed == []


def test_caption_above_its_credit() -> None:
    caption = "Fishing boats wait under the old swing bridge."
    article = _clean(LEAD, caption, "Photograph: Ines Marlow/Reuters", MIDDLE)
    assert article.text == f"{LEAD}\n\n{MIDDLE}"
    assert ("photo caption", caption) in _removed(article)


def test_headline_and_caption_glued_before_a_credit_inside_the_lead_line_go() -> None:
    glued = "Port Avel votes for a bridge Boats wait under the old bridge"
    credit = "Photograph: Ines Marlow/Getty Images"
    article = _clean(f"{glued} {credit} {LEAD}", MIDDLE)
    assert article.text == f"{LEAD}\n\n{MIDDLE}"
    assert _removed(article) == [("photo caption", glued), ("photo credit", credit)]


def test_a_sentence_before_a_caption_and_its_credit_stays() -> None:
    caption = "Boats wait under the old bridge"
    article = _clean(f"{MIDDLE} {caption} Photograph: Harbour Press", LEAD)
    assert article.text == f"{MIDDLE}\n\n{LEAD}"
    assert _removed(article) == [
        ("photo caption", caption),
        ("photo credit", "Photograph: Harbour Press"),
    ]


@pytest.mark.parametrize(
    ("credit", "lead"),
    [
        ("Photograph: Ines Marlow for the Guardian", LEAD),
        ("Photograph: Avel Press/Westmark", "Westmark dredgers began work on the quay at dawn."),
    ],
)
def test_credit_for_an_outlet_or_ending_at_its_slash_is_cut_off_the_lead(
    credit: str, lead: str
) -> None:
    article = _clean(f"{credit} {lead}", MIDDLE)
    assert article.text == f"{lead}\n\n{MIDDLE}"
    assert _removed(article) == [("photo credit", credit)]


def test_a_photo_named_in_prose_is_no_credit() -> None:
    line = "She showed the photo: it was blurred and old, said the harbour master."
    assert _clean(LEAD, line).removed == []


# A lead whose page also writes "councillors" and "crowds" in lower case, as reporting does.
GLUED_BODY = [
    "The councillors met at noon, and crowds gathered outside the hall.",
    "Several councillors said the crowds had been calm all day.",
]


def test_headline_and_caption_glued_before_the_lead_go() -> None:
    head = "Port Avel votes for new bridge Crowds gathered on the quay at dawn"
    lead = "Councillors in Port Avel have voted to replace the old swing bridge."
    article = _clean(f"{head} {lead}", *GLUED_BODY)
    assert article.text == "\n\n".join([lead, *GLUED_BODY])
    assert _removed(article) == [("headline", head)]


def test_a_headline_ending_on_a_quotation_is_cut_after_its_closing_mark() -> None:
    head = 'Harbour master ` warned of cracks \' Ines Marlow said it " was a matter of time "'
    lead = "Crowds gathered on the quay as councillors in Port Avel voted for a new bridge."
    article = _clean(f"{head} {lead}", *GLUED_BODY)
    assert article.text == "\n\n".join([lead, *GLUED_BODY])


@pytest.mark.parametrize(
    "lead",
    [
        "Protesters in Port Avel urged Mayor Ellison to delay the vote on the bridge.",
        'Bridge vote " The crowds were calm, " Councillors in Port Avel said on Tuesday.',
        "Book review: ' Crowds and bridges ' by Ines Marlow, out this spring in Port Avel.",
        "Hundreds of people on the quay cheered as the Harbour Council voted on Tuesday.",
        'Ellison told reporters: " Crowds were calm all day, " before the vote.',
    ],
)
def test_a_lead_with_titles_and_names_is_not_cut(lead: str) -> None:
    assert (
        _clean(lead, *GLUED_BODY, "The mayor and the harbour council rarely agree.").removed == []
    )


@pytest.mark.parametrize(
    "credit",
    [
        "(Reporting by Ines Marlow; Editing by Tomas Ferrand)",
        "Associated Press writer Ines Marlow in Port Avel contributed to this report.",
        "The Associated Press contributed to this report.",
        "The opinions expressed in this commentary are solely those of the author.",
        "This article was reported jointly with Ines Marlow of the Avel Gazette.",
    ],
)
def test_reporting_credit(credit: str) -> None:
    article = _clean(LEAD, MIDDLE, credit)
    assert _removed(article) == [("reporting credit", credit)]


@pytest.mark.parametrize(
    "note",
    [
        "Earlier versions of this article gave the wrong date for the vote.",
        "An earlier version of this op-ed misstated the cost of the new bridge.",
        "Correction: The bridge opened in 1931, not 1913.",
        "The article misspelled the name of Ines Marlow, the harbour master.",
    ],
)
def test_correction_notice_goes_wherever_it_sits(note: str) -> None:
    article = _clean(LEAD, note, *BODY)
    assert article.text == "\n\n".join([LEAD, *BODY])
    assert _removed(article) == [("correction notice", note)]


def test_an_earlier_version_of_something_else_is_reporting() -> None:
    line = "An earlier version of the plan had the bridge open to lorries as well."
    assert _clean(LEAD, line).removed == []


def test_a_bio_naming_the_writers_outlet_goes_wherever_it_sits() -> None:
    bio = "Tomas Ferrand is a Reuters Breakingviews columnist."
    article = _clean(LEAD, bio, *BODY)
    assert article.text == "\n\n".join([LEAD, *BODY])
    assert _removed(article) == [("contributor bio", bio)]


def test_closing_bio_goes_but_a_named_official_mid_article_stays() -> None:
    bio = "Tomas Ferrand is a senior correspondent covering the coast for the Avel Gazette."
    official = "Mara Ellison is the chairwoman of the harbour council's works committee."
    article = _clean(LEAD, official, *BODY, bio)
    assert official in article.text
    assert _removed(article) == [("contributor bio", bio)]


def test_comment_thread_goes_from_its_first_header_to_the_end() -> None:
    thread = [
        "At 10:14 am on 2 Mar 2011, harbourfan wrote: About time too.",
        "The old bridge was a hazard for years.",
        "At 10:20 am on 2 Mar 2011, quayside_jo wrote: What about the fishermen?",
    ]
    article = _clean(LEAD, *BODY, *thread)
    assert article.text == "\n\n".join([LEAD, *BODY])
    assert {reason for reason, _ in _removed(article)} == {"reader comment"}
    assert len(article.removed) == 3


def test_comment_header_inside_a_line_is_cut_off_with_what_follows() -> None:
    tail = "At 10:20 am on 2 Mar 2011, quayside_jo wrote: What about the fishermen?"
    kept = "The council will publish the contract next month."
    article = _clean(LEAD, *BODY, f"{kept} {tail}")
    assert article.text == "\n\n".join([LEAD, *BODY, kept])
    assert _removed(article) == [("reader comment", tail)]


def test_signed_comments_go_from_the_marker_before_them() -> None:
    thread = [
        "We welcome comments that advance the story.",
        "The old bridge was a hazard for years.",
        "Posted by: harbourfan | March 2, 2011 10:14 AM | Report abuse",
        "What about the fishermen?",
        "Posted by: quayside_jo | March 2, 2011 10:20 AM | Report abuse",
    ]
    article = _clean(LEAD, *BODY, *thread)
    assert article.text == "\n\n".join([LEAD, *BODY])


def test_a_notice_that_comments_are_blocked_is_a_thread_marker() -> None:
    notice = "Your browser's settings may be preventing you from commenting on this item."
    article = _clean(LEAD, *BODY, notice)
    assert _removed(article) == [("reader comment", notice)]


def test_a_signature_whose_abuse_link_was_lost_is_a_comment_header() -> None:
    assert furniture.is_comment_header("What about the fishermen? Posted by: harbourfan |")


def test_a_quoted_post_early_in_an_article_is_only_its_line() -> None:
    post = "At 9:00 am on 1 Mar 2011, harbourfan wrote: Vote yes."
    article = _clean(LEAD, post, *BODY)
    assert article.text == "\n\n".join([LEAD, *BODY])
    assert _removed(article) == [("reader comment", post)]


def test_a_sentence_that_someone_wrote_is_kept() -> None:
    line = 'In a letter, Ellison wrote: "The bridge will be ready by spring."'
    assert _clean(LEAD, *BODY, line).removed == []


def test_split_line_keeps_text_pieces_in_order() -> None:
    pieces = furniture.split_line(f"PORT AVEL (Reuters) - {LEAD}")
    assert pieces == [("PORT AVEL (Reuters) -", "dateline"), (LEAD, None)]


def test_a_placed_person_in_a_reporting_sentence_is_not_a_caption() -> None:
    line = "Few expected that Mara Ellison (left) would win the vote on the bridge."
    assert _clean(LEAD, line).removed == []


def test_dating_reads_the_removed_furniture_in_place() -> None:
    stamp = "PORT AVEL | Tue Mar 1, 2011 4:05 pm EST"
    article = _clean(f"{stamp} PORT AVEL (Reuters) - {LEAD}", *BODY)
    assert stamp not in article.text
    page = dating_text(article)
    assert page.startswith(f"{stamp} PORT AVEL (Reuters) - {LEAD}")
    assert page.endswith(BODY[-1])
