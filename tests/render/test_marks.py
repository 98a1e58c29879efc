"""The one span marker (render.marks): the report's cited spans, the web app's layers and
search matches are all drawn by ``marked``."""

from __future__ import annotations

from storyline.render.marks import MARK, Feature, marked


def test_a_plain_mark_has_no_attributes_and_the_text_is_escaped() -> None:
    html = marked("a <b> c", [Feature(2, 5, MARK, "", "")])
    assert html == "a <mark>&lt;b&gt;</mark> c"


def test_overlapping_marks_are_cut_at_every_boundary_and_titled_by_both() -> None:
    spans = [
        Feature(0, 5, MARK, "cite", "cited [1]", anchor="c1"),
        Feature(3, 8, MARK, "cite", "cited [2]", anchor="c2"),
    ]
    assert marked("abcdefghij", spans) == (
        '<mark class="cite" id="c1" title="cited [1]">abc</mark>'
        '<mark class="cite" id="c2" title="cited [1], cited [2]">de</mark>'
        '<mark class="cite" title="cited [2]">fgh</mark>ij'
    )


def test_marks_starting_together_share_one_mark_and_a_shared_anchor_is_given_once() -> None:
    web = [Feature(0, 3, MARK, "cite", t, anchor=a) for t, a in (("one", "c1"), ("two", "c2"))]
    assert marked("abc", web) == (
        '<span class="anchor" id="c2"></span><mark class="cite" id="c1" title="one, two">abc</mark>'
    )
    report = [Feature(0, 3, MARK, "", "", anchor="art-a-0", number=n) for n in (2, 1)]
    numbers = marked("abc", report, lambda cs: ",".join(str(f.number) for f in cs))
    assert numbers == '<mark id="art-a-0" title="2,1">abc</mark>'


def test_inner_layers_are_drawn_inside_a_mark_and_spans_outside_the_text_left_out() -> None:
    spans = [
        Feature(0, 9, MARK, "cite", "cited [1]"),
        Feature(0, 3, "entity", "ent", "person: Ann", href="/entities/Ann"),
        Feature(5, 9, "date", "timex", "date: 2024"),
        Feature(5, 99, MARK, "cite", "beyond the text"),
    ]
    assert marked("Ann, 2024", spans) == (
        '<mark class="cite" title="cited [1]"><a class="ent" href="/entities/Ann" '
        'title="person: Ann">Ann</a>, <span class="timex" title="date: 2024">'
        "2024</span></mark>"
    )
