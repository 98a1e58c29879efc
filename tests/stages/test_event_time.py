from __future__ import annotations

from storyline.models import Annotations, Article, DateRange, Event
from storyline.stages.dating.event import event_time


def _article(aid: str, text: str, published: str | None, certainty: str = "given") -> Article:
    article = Article(aid, f"{aid}.txt", text)
    ends = [i + 1 for i, c in enumerate(text) if c == "."]
    starts = [0] + [e + 1 for e in ends[:-1]]
    article.annotations = Annotations(sentences=list(zip(starts, ends, strict=True)))
    article.date = DateRange(published, published, certainty if published else "unknown")
    return article


def _event(*articles: Article) -> tuple[Event, dict[str, Article]]:
    days = sorted(a.date.start for a in articles if a.date and a.date.start)
    published = DateRange(days[0], days[-1], "range") if days else None
    event = Event("e1", "t", [a.id for a in articles], DateRange(None, None), published=published)
    return event, {a.id: a for a in articles}


def test_happened_day_comes_from_the_ledes_not_publication() -> None:
    # Published on Thursday 13 March 2025 and Friday 14 March; the vote was on Wednesday 12.
    a = _article(
        "a", "The council voted on Wednesday to close the pier. Work starts soon.", "2025-03-13"
    )
    b = _article(
        "b", "Councillors backed the closure on Wednesday, March 12. It was close.", "2025-03-14"
    )
    event, by_id = _event(a, b)
    date = event_time(event, by_id)
    assert (date.start, date.end, date.certainty) == ("2025-03-12", "2025-03-12", "day")
    assert any("'Wednesday' in a" in e for e in date.evidence)


def test_two_day_happening_is_a_range() -> None:
    a = _article("a", "The summit opened on Tuesday in the port city. Leaders met.", "2025-06-18")
    b = _article(
        "b", "The summit closed on Wednesday with a treaty signed. Crowds cheered.", "2025-06-19"
    )
    event, by_id = _event(a, b)
    date = event_time(event, by_id)
    assert (date.start, date.end, date.certainty) == ("2025-06-17", "2025-06-18", "range")


def test_background_dates_do_not_date_the_event() -> None:
    a = _article(
        "a", "The pier, built on May 4, 1998, closed on Monday. Repairs follow.", "2025-03-11"
    )
    event, by_id = _event(a)
    assert event_time(event, by_id).start == "2025-03-10"


def test_no_date_words_falls_back_to_publication_and_says_so() -> None:
    a = _article("a", "The pier closed. Repairs follow.", "2025-03-11")
    event, by_id = _event(a)
    date = event_time(event, by_id)
    assert (date.start, date.end, date.certainty) == ("2025-03-11", "2025-03-11", "range")
    assert "publication" in date.evidence[0]


def test_undated_articles_without_day_words_leave_the_event_undated() -> None:
    a = _article("a", "The pier closed on Tuesday. Repairs follow.", None)
    event, by_id = _event(a)
    date = event_time(event, by_id)
    assert (date.start, date.certainty) == (None, "unknown")


def test_iso_day_reads_only_day_values() -> None:
    from datetime import date

    from storyline.models import iso_day

    assert iso_day("2023-10-18") == date(2023, 10, 18)
    assert iso_day("2023-10-18T09:30:00+00:00") == date(2023, 10, 18)
    assert iso_day("2023-10-18TMO") == date(2023, 10, 18)
    assert iso_day("2023-10") is None
    assert iso_day("2023-02-30") is None
    assert iso_day(None) is None
