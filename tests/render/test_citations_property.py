"""Property tests of the citation guarantee (issue 5) on generated articles.

Hypothesis writes 2-5 articles about one happening from sentence templates invented for
this test (outlets, people, places, amounts, years, quotes, attributions, curly quotes,
dashes, non-breaking spaces; sometimes one article reprints another), annotates them
without spaCy (sentences and mentions placed as the text is built; timexes, quantities
and quotes by the real rule stages), and runs claims, cross-check, storyline series and
summary (sometimes over two events of one storyline). The report must pass
``verify_citations``; and one broken citation (a claim's span shifted by a character, a
number in a statement changed, a letter of a quote or summary sentence changed) must fail
it with a CitationError naming the event (or storyline) and the finding.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from storyline.errors import CitationError
from storyline.models import (
    Annotations,
    Article,
    Claim,
    DateRange,
    Event,
    Finding,
    Membership,
    Mention,
    Report,
    Story,
    reading_order,
    source_name,
)
from storyline.render.report import verify_citations
from storyline.stages.claims.crosscheck import event_findings, story_series
from storyline.stages.claims.extract import article_claims
from storyline.stages.claims.quantities import find_quantities
from storyline.stages.claims.quotes import find_quotes
from storyline.stages.claims.statements import group_statements
from storyline.stages.summarize import summarize_event
from storyline.temporal.timexes import find_timexes

# ---- the words (all invented for this test) ---------------------------------------------

OUTLETS = ("Harbour Times", "Coast Post", "Valley Courier", "Metro 24", "Radio North",
           "The Daily Ledger", "Channel 7 News")  # fmt: skip
PEOPLE = (("Mara", "Kovin"), ("Teodor", "Ilsen"), ("Ana", "Rell"), ("Piotr", "Vahl"),
          ("Lise", "Marrow"), ("Jonas", "Terby"))  # fmt: skip
PLACES = ("Estoria", "Valdor", "Portvale", "Chile", "Peru", "Beijing", "Moscow")
ORGS = ("Northern Grain Board", "Harbour Authority", "Ministry of Works", "Red Crescent")
DAYS = (date(2024, 3, 4), date(2024, 3, 5), date(2024, 3, 7), date(2023, 11, 20))

# A sentence is a template: "{P}" a person, "{P2}" another, "{L}"/"{L2}" places, "{O}" an
# organisation, then amounts, times and punctuation drawn per use (see _fill).
FACTS = (
    "{L} and {L2} traded goods worth {MONEY}{WHEN}, officials in {L} said.",
    "Revenue at the {O} rose {PCT}{WHEN}, according to {P}.",
    "{COUNT} were hurt when the storm struck {L}{WHEN}.",
    "It was {ORD} time that {P} had visited {L}{WHEN}.",
    "{P} said the {O} would spend {MONEY} on new flood barriers by {YEAR}.",
    "Trade between the two countries hit an all-time high{WHEN}{D}a point {P} stressed in {L}.",
    "Inflation in {L} eased to {PCT}{WHEN}, the lowest level since {YEAR}.",
    "The {O} warned that {COUNT} could lose their homes if the river kept rising.",
    "{P}{AP}s office confirmed that exports to {L2} were worth {MONEY} in {YEAR}.",
    "Since {YEAR}, {P} and {P2} have met {TIMES} in person{WHEN}.",
    "Heavy rain fell across the region for most of the week.",
    "Aid worth {MONEY} reached {L}{D}{COUNT} had asked for shelter{WHEN}.",
    "Damage in {L} was put at {RANGE}{WHEN}, the {O} said.",
    # figures counting what a statement's own words count: "30 reports", "500 copies"
    "Police in {L} logged {N} reports of looting{WHEN}, {P} said.",
    "The {O} printed {N} copies of the flood map{WHEN}.",
)
QUOTES = (
    "{OPEN}{Q},{CLOSE} {P} said.",
    "{P} told reporters: {OPEN}{Q}.{CLOSE}",
    "{OPEN}{Q},{CLOSE} said {P}, who leads the {O}.",
    "{OPEN}{Q}{CLOSE}{D}{P} said on the quay.",
    "{P} said: ‘{Q}.’",
)
QUOTED = (
    "We will rebuild every pier before the winter storms",
    "The river rose faster than any of our models had predicted",
    "We lost {N} boats in a single night and nobody came to help",
    "Nobody in {L} should pay for a mistake made far away",
    "This is the {ORDW} time we have asked for new barriers",
    "The repairs will cost {MONEY} and take until {YEAR} … at least",
    "Three of our {N} sources inside the port confirmed it",
)
HEADLINES = ("{L} counts the cost of the storm", "Storm hits {L} harbour{D}officials respond")
MONEY_FIGURES = ("4.2", "4", "3.9", "310", "1,250", "85")
SCALES = ("billion", "million", "bn", "m")
PERCENTS = ("12", "8.5", "3", "11.9")
COUNTS = ("30", "12", "1,250", "five", "40", "24")  # 24 and 7 are also in outlets' names
ORDINALS = ("second", "third", "fourth", "fifth", "3rd", "7th")
HEDGES = ("", "about ", "more than ", "nearly ", "some ")
WHENS = ("", " last year", " this year", " in 2023", " in 2022", " in March 2023", " a year ago",
         " on Monday", " last month", " in the third quarter", " this summer", " in early 2023",
         " last week")  # fmt: skip
YEARS = ("2019", "2021", "2022", "2023")
DASHES = (" — ", " – ", "—", " - ")
GAPS = (" ", "  ", "\n", "\n\n", " \n")
NBSP = "\u00a0"
SLOT = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Piece:
    """A run of an article's text; a named one becomes a Mention."""

    text: str
    kind: str | None = None  # PERSON | PLACE | ORG
    canonical: str | None = None


@dataclass
class Draft:
    """An article before assembly: its outlet, day and sentences with the gaps before them."""

    outlet: str
    day: date | None
    sentences: list[list[Piece]]
    gaps: list[str]
    copy_of: int | None = None  # index of the draft it reprints


@dataclass
class World:
    """What one example generates: the drafts, the event and story ids, and the grouper."""

    drafts: list[Draft]
    event_id: str
    story_id: str
    grouper: str  # a key of GROUPERS
    split: int | None = None  # the first event's share of the drafts, when there are two


# ---- generation -------------------------------------------------------------------------


@st.composite
def amounts(draw: st.DrawFn, slot: str) -> str:
    """Return one amount as news writes it: "$4.2 billion", "about 12%", "the third"."""
    hedge = draw(st.sampled_from(HEDGES))
    space = draw(st.sampled_from((" ", NBSP)))
    if slot == "MONEY":
        sign = draw(st.sampled_from(("$", "€", "£", "US$")))
        scale = draw(st.sampled_from(SCALES))
        joint = "" if scale in ("bn", "m") else space
        return f"{hedge}{sign}{draw(st.sampled_from(MONEY_FIGURES))}{joint}{scale}"
    if slot == "PCT":
        unit = draw(st.sampled_from(("%", " percent", " per cent")))
        return f"{hedge}{draw(st.sampled_from(PERCENTS))}{unit}"
    if slot == "COUNT":
        noun = draw(st.sampled_from(("people", "workers", "families")))
        return f"{hedge}{draw(st.sampled_from(COUNTS))}{space}{noun}"
    if slot == "TIMES":
        return f"{hedge}{draw(st.sampled_from(COUNTS))} times"
    if slot == "RANGE":  # "$3.9-4.2 billion", "between 4 and 4.2 billion dollars"
        low, high = sorted(draw(st.lists(st.sampled_from(MONEY_FIGURES[:3]), min_size=2,
                                         max_size=2, unique=True)))  # fmt: skip
        if draw(st.booleans()):
            return f"${low}-{high}{space}billion"
        return f"between {low} and {high}{space}billion dollars"
    if slot in ("ORD", "ORDW"):
        return ("the " if slot == "ORD" else "") + draw(st.sampled_from(ORDINALS))
    return draw(st.sampled_from(("40", "12", "300")))  # N: a bare number in a quote


@st.composite
def _fill(draw: st.DrawFn, template: str, cast: dict[str, Piece]) -> list[Piece]:
    """Return a template's pieces, its slots drawn: names from the cast, the rest fresh."""
    pieces: list[Piece] = []
    curly = draw(st.booleans())
    marks = {"OPEN": "“" if curly else '"', "CLOSE": "”" if curly else '"',
             "AP": "’" if curly else "'"}  # fmt: skip
    for k, part in enumerate(SLOT.split(template)):
        if k % 2 == 0:
            pieces.append(Piece(part))
        elif part in cast:
            pieces.append(_person_piece(draw, cast[part]) if cast[part].kind == "PERSON"
                          else cast[part])  # fmt: skip
        elif part in marks:
            pieces.append(Piece(marks[part]))
        elif part == "Q":
            words = draw(st.sampled_from(QUOTED))
            pieces.extend(draw(_fill(words, cast)))
        elif part == "WHEN":
            pieces.append(Piece(draw(st.sampled_from(WHENS))))
        elif part == "YEAR":
            pieces.append(Piece(draw(st.sampled_from(YEARS))))
        elif part == "D":
            pieces.append(Piece(draw(st.sampled_from(DASHES))))
        else:
            pieces.append(Piece(draw(amounts(part))))
    return _capitalised(_spaced(draw, pieces))


def _person_piece(draw: st.DrawFn, person: Piece) -> Piece:
    """Return a person as written: the full name or the surname, canonical the full name."""
    assert person.canonical is not None
    surname = person.canonical.split()[-1]
    return Piece(draw(st.sampled_from((person.canonical, surname))), "PERSON", person.canonical)


def _spaced(draw: st.DrawFn, pieces: list[Piece]) -> list[Piece]:
    """Return the pieces with one plain space of one unnamed piece made non-breaking, maybe."""
    plain = [i for i, p in enumerate(pieces) if p.kind is None and " " in p.text.strip()]
    if not plain or not draw(st.booleans()):
        return pieces
    i = draw(st.sampled_from(plain))
    spaces = [m.start() for m in re.finditer(" ", pieces[i].text)]
    at = draw(st.sampled_from(spaces))
    text = pieces[i].text
    return [*pieces[:i], Piece(text[:at] + NBSP + text[at + 1 :]), *pieces[i + 1 :]]


def _capitalised(pieces: list[Piece]) -> list[Piece]:
    """Return the pieces with the sentence's first letter upper-case."""
    for i, p in enumerate(pieces):
        if p.text.strip():
            if p.kind is None:
                lead = len(p.text) - len(p.text.lstrip())
                text = p.text[:lead] + p.text[lead].upper() + p.text[lead + 1 :]
                pieces = [*pieces[:i], Piece(text), *pieces[i + 1 :]]
            return pieces
    return pieces


@st.composite
def casts(draw: st.DrawFn) -> dict[str, Piece]:
    """Return the people, places and organisation one happening is about."""
    people = draw(st.lists(st.sampled_from(PEOPLE), min_size=2, max_size=2, unique=True))
    places = draw(st.lists(st.sampled_from(PLACES), min_size=2, max_size=2, unique=True))
    org = draw(st.sampled_from(ORGS))
    full = [f"{first} {last}" for first, last in people]
    return {
        "P": Piece(full[0], "PERSON", full[0]), "P2": Piece(full[1], "PERSON", full[1]),
        "L": Piece(places[0], "PLACE", places[0]), "L2": Piece(places[1], "PLACE", places[1]),
        "O": Piece(org, "ORG", org),
    }  # fmt: skip


@st.composite
def drafts(draw: st.DrawFn, cast: dict[str, Piece]) -> Draft:
    """Return one article: an optional headline, then 2-7 facts and quotes."""
    templates = draw(st.lists(st.sampled_from(FACTS + QUOTES), min_size=2, max_size=7))
    sentences = [draw(_fill(t, cast)) for t in templates]
    if draw(st.booleans()):
        sentences.insert(0, draw(_fill(draw(st.sampled_from(HEADLINES)), cast)))
    gaps = [""] + [draw(st.sampled_from(GAPS)) for _ in sentences[1:]]
    day = draw(st.sampled_from((*DAYS, None)))
    return Draft(draw(st.sampled_from(OUTLETS)), day, sentences, gaps)


@st.composite
def worlds(draw: st.DrawFn) -> World:
    """Return 2-5 articles about one happening, one of them maybe a reprint of another."""
    cast = draw(casts())
    found = draw(st.lists(drafts(cast), min_size=2, max_size=5))
    if draw(st.booleans()):
        source = draw(st.integers(0, len(found) - 2))
        found[-1] = _reprint(draw, found[source], source)
    hexes = st.text("0123456789abcdef", min_size=6, max_size=6)
    grouper = draw(st.sampled_from(("embedded", "alone", "together")))
    # sometimes the storyline holds two events: its series then runs across them
    split = draw(st.one_of(st.none(), st.integers(1, len(found) - 1)))
    return World(found, "ev" + draw(hexes), "st" + draw(hexes), grouper, split)


def _reprint(draw: st.DrawFn, original: Draft, index: int) -> Draft:
    """Return a copy of a draft under another outlet: a dateline, its own line breaks, and
    perhaps its last sentence cut."""
    dateline = [Piece(draw(st.sampled_from(("PORTVALE (Wire)", "Wire report"))) + " —")]
    kept = original.sentences[: len(original.sentences) - draw(st.integers(0, 1))] or [
        original.sentences[0]
    ]
    gaps = ["", *(draw(st.sampled_from(GAPS)) for _ in kept)]
    outlet = draw(st.sampled_from([o for o in OUTLETS if o != original.outlet]))
    return Draft(outlet, original.day, [dateline, *kept], gaps, copy_of=index)


# ---- annotation and the pipeline --------------------------------------------------------


def assemble(draft: Draft) -> tuple[str, list[tuple[int, int]], list[Mention]]:
    """Return a draft's text, its sentence spans and its mentions, placed as it is built."""
    text, spans, mentions = "", [], []
    for gap, sentence in zip(draft.gaps, draft.sentences, strict=True):
        text += gap
        start = len(text)
        for piece in sentence:
            if piece.kind is not None and piece.canonical is not None:
                end = len(text) + len(piece.text)
                mentions.append(Mention(len(text), end, piece.text, piece.kind, piece.canonical))
            text += piece.text
        spans.append((start, len(text)))
    return text, spans, mentions


def article_of(draft: Draft, taken: set[str]) -> Article:
    """Return the draft as an annotated article (timexes, quantities, quotes by the rules)."""
    text, sentences, mentions = assemble(draft)
    aid = hashlib.sha1(text.encode()).hexdigest()[:12]
    while aid in taken:  # two drafts may come out alike
        aid += "x"
    taken.add(aid)
    day = draft.day.isoformat() if draft.day else None
    article = Article(
        id=aid, ref=f"{aid}.txt", text=text, source=draft.outlet, published=day,
        date=DateRange(day, day, "given") if day else None,
    )  # fmt: skip
    article.annotations = Annotations(
        sentences=sentences,
        mentions=mentions,
        timexes=find_timexes(text, draft.day),
        quantities=find_quantities(text),
        quotes=find_quotes(text, mentions, sentences),
    )
    return article


def _embedded_grouper(texts: Sequence[str]) -> list[int]:
    """Return the real statement groups, with a stand-in embedder: one fixed unit vector
    per first word, so statements that open alike embed alike."""
    vectors = np.zeros((len(texts), 8), dtype=np.float32)
    for i, text in enumerate(texts):
        first = (text.split() or [""])[0]
        vectors[i, zlib.crc32(first.encode()) % 8] = 1.0
    return group_statements(texts, vectors)


GROUPERS: dict[str, Callable[[Sequence[str]], list[int]]] = {
    "embedded": _embedded_grouper,
    "alone": lambda texts: list(range(len(texts))),
    "together": lambda texts: [0] * len(texts),
}


def build_report(world: World) -> Report:
    """Return the report of one generated world: claims, findings, series and summary."""
    taken: set[str] = set()
    made = [article_of(d, taken) for d in world.drafts]
    by_id = {a.id: a for a in made}
    evidence = [
        Membership(a.id, 1.0, copy_of=made[d.copy_of].id if d.copy_of is not None else None)
        for a, d in zip(made, world.drafts, strict=True)
    ]
    cut = world.split or len(made)
    events = [
        _event(f"{world.event_id}{suffix}", members, by_id)
        for suffix, members in (("", evidence[:cut]), ("-2", evidence[cut:]))
        if members
    ]
    claims = {a.id: article_claims(a) for a in made}
    for event in events:
        event.findings = event_findings(event, claims, by_id, GROUPERS[world.grouper])
        event.summary, event.quotes = summarize_event(event, by_id, 3)
    story = Story(id=world.story_id, title="The storm season", events=[e.id for e in events])
    story.series = story_series(story, {e.id: e for e in events}, claims, by_id)
    return Report(articles=sorted(made, key=reading_order), events=events, stories=[story])


def _event(event_id: str, members: list[Membership], by_id: dict[str, Article]) -> Event:
    """Return an event of the members' articles, earliest first, with their evidence."""
    ordered = sorted((by_id[m.article] for m in members), key=reading_order)
    return Event(
        id=event_id, title="A storm and its cost", articles=[a.id for a in ordered],
        date=DateRange(None, None), evidence=members,
        sources=list(dict.fromkeys(source_name(a) for a in ordered)),
    )  # fmt: skip


def _items(report: Report) -> list[tuple[str, Finding]]:
    """Return every finding with the name verify_citations gives it, in checking order."""
    return [
        *(
            (f"event {event.id} finding {i}", f)
            for event in report.events
            for i, f in enumerate(event.findings, 1)
        ),
        *(
            (f"story {story.id} series {i}", f)
            for story in report.stories
            for i, f in enumerate(story.series, 1)
        ),
    ]


# ---- properties of an honest report -----------------------------------------------------

# 40-60 examples per property keep the module near 10 s; each example is a whole event.
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MUTATIONS = settings(FAST, max_examples=40)


@FAST
@given(worlds())
def test_generated_reports_pass_the_citation_check(world: World) -> None:
    report = build_report(world)
    verify_citations(report)
    texts = {a.id: a.text for a in report.articles}
    for _, finding in _items(report):
        assert finding.claims, finding.statement
        for claim in finding.claims:
            assert claim.text == texts[claim.span.article][claim.span.start : claim.span.end]
            assert claim.value_text is None or claim.value_text in claim.text
    for event in report.events:
        for sentence in event.summary:
            [c] = sentence.citations
            assert sentence.text == texts[c.article][c.start : c.end]
        for quote in event.quotes:
            assert quote.text == texts[quote.span.article][quote.span.start : quote.span.end]


@FAST
@given(worlds())
def test_claims_cite_the_figures_and_quotes_the_annotations_found(world: World) -> None:
    taken: set[str] = set()
    for article in (article_of(d, taken) for d in world.drafts):
        assert article.annotations is not None
        notes = article.annotations
        for claim in article_claims(article):
            assert claim.span.article == article.id and claim.source == article.source
            if claim.kind == "quantity" and claim.value is not None:
                # the cited sentence holds the very figure, not the same digits elsewhere
                assert any(
                    q.text == claim.value_text
                    and claim.span.start <= q.start
                    and q.end <= claim.span.end
                    for q in notes.quantities
                ), claim
            if claim.kind == "quote":
                assert any(
                    (q.start, q.end) == (claim.span.start, claim.span.end) for q in notes.quotes
                )


# ---- one broken citation fails the check, naming where ----------------------------------


def _honest(world: World) -> Report:
    """Return the world's report, checked whole first so a failure below is the mutation's."""
    report = build_report(world)
    verify_citations(report)
    return report


def _swap_claim(finding: Finding, j: int, claim: Claim) -> None:
    """Put a broken copy in one finding only: the others sharing the claim stay whole."""
    finding.claims = [*finding.claims[:j], claim, *finding.claims[j + 1 :]]


def _fails_naming(report: Report, prefix: str) -> None:
    with pytest.raises(CitationError) as caught:
        verify_citations(report)
    assert str(caught.value).startswith(prefix), (prefix, str(caught.value))


@MUTATIONS
@given(worlds(), st.data())
def test_a_claim_span_shifted_by_one_character_fails(world: World, data: st.DataObject) -> None:
    report = _honest(world)
    targets = [(item, f, j) for item, f in _items(report) for j in range(len(f.claims))]
    assume(targets)
    item, finding, j = data.draw(st.sampled_from(targets))
    shift = data.draw(st.sampled_from((-1, 1)))
    old = finding.claims[j]
    moved = dataclasses.replace(
        old,
        span=dataclasses.replace(old.span, start=old.span.start + shift, end=old.span.end + shift),
    )
    _swap_claim(finding, j, moved)
    _fails_naming(
        report,
        f"{item} claim {j + 1} (article {old.span.article}, {moved.span.start}-{moved.span.end})",
    )


# A run of digits verify_citations reads as a figure: not glued to a word before ("G20",
# the week of "2024-W09") nor after, bar an ordinal ending or a scale ("3rd", "4bn").
_FIGURE = re.compile(r"(?<!\w)\d+(?:[.,]\d+)*(?=(?:st|nd|rd|th|bn|mn|m|k)?(?!\w))")


@MUTATIONS
@given(worlds(), st.data())
def test_a_number_changed_in_a_statement_fails(world: World, data: st.DataObject) -> None:
    report = _honest(world)
    targets = [(item, f, m) for item, f in _items(report) for m in _FIGURE.finditer(f.statement)]
    assume(targets)
    item, finding, m = data.draw(st.sampled_from(targets))
    new = data.draw(st.integers(100_001, 999_999))
    # a number no article writes and no claim values
    assume(all(str(new) not in a.text for a in report.articles))
    values = {c.value for _, f in _items(report) for c in f.claims}
    assume(float(new) not in values)
    finding.statement = finding.statement[: m.start()] + str(new) + finding.statement[m.end() :]
    _fails_naming(report, f"{item}: the statement ")


@MUTATIONS
@given(worlds(), st.data())
def test_a_quote_claim_with_one_character_changed_fails(world: World, data: st.DataObject) -> None:
    report = _honest(world)
    targets = [
        (item, f, j) for item, f in _items(report) for j, c in enumerate(f.claims)
        if c.kind == "quote"
    ]  # fmt: skip
    assume(targets)
    item, finding, j = data.draw(st.sampled_from(targets))
    old = finding.claims[j]
    at = data.draw(st.integers(0, len(old.text) - 1))
    char = data.draw(st.sampled_from("aeZ1,’— " + NBSP).filter(lambda c: c != old.text[at]))
    _swap_claim(
        finding, j, dataclasses.replace(old, text=old.text[:at] + char + old.text[at + 1 :])
    )
    _fails_naming(
        report,
        f"{item} claim {j + 1} (article {old.span.article}, {old.span.start}-{old.span.end})",
    )


@MUTATIONS
@given(worlds(), st.data())
def test_a_summary_sentence_or_event_quote_changed_fails(world: World, data: st.DataObject) -> None:
    report = _honest(world)
    event = data.draw(st.sampled_from(report.events))
    kinds = [k for k, items in (("summary", event.summary), ("quote", event.quotes)) if items]
    assume(kinds)
    if data.draw(st.sampled_from(kinds)) == "quote":
        k = data.draw(st.integers(0, len(event.quotes) - 1))
        quote = event.quotes[k]
        quote.text = _changed(data, quote.text)
        _fails_naming(report, f"event {event.id} quote {k + 1} (article {quote.span.article}, ")
    else:
        k = data.draw(st.integers(0, len(event.summary) - 1))
        event.summary[k].text = _changed(data, event.summary[k].text)
        _fails_naming(report, f"event {event.id} summary sentence {k + 1} citation 1 ")


def _changed(data: st.DataObject, text: str) -> str:
    """Return text with one visible character changed (a summary is compared up to
    whitespace, so a space swapped for a line break is the same sentence)."""
    visible = [i for i, ch in enumerate(text) if not ch.isspace()]
    at = data.draw(st.sampled_from(visible))
    char = data.draw(st.sampled_from("aeZ1,’—").filter(lambda c: c != text[at]))
    return text[:at] + char + text[at + 1 :]


# ---- regressions, minimised from the properties above ---------------------------------


# verify_citations once read a figure a statement copies from a claim ("30 reports of
# looting", "500 copies", "12 sources") as a count of the finding's sources, and failed
# honest reports.
@pytest.mark.parametrize(
    ("sentence", "figure"),
    [
        ("Mara Kovin said the police had received 30 reports of looting in the port.",
         "30 reports"),
        ("Printers ran off 500 copies of the flood map for the town.", "500 copies"),
        ("“Three of our 12 sources inside the port confirmed it,” Mara Kovin said.",
         "12 sources"),
    ],
)  # fmt: skip
def test_a_figure_counting_reports_or_copies_passes(sentence: str, figure: str) -> None:
    name = "Mara Kovin"
    at = sentence.find(name)
    pieces = [Piece(sentence)]
    if at >= 0:
        pieces = [Piece(sentence[:at]), Piece(name, "PERSON", name),
                  Piece(sentence[at + len(name) :])]  # fmt: skip
    draft = Draft("Coast Post", date(2024, 3, 4), [pieces], [""])
    report = build_report(World([draft], "ev1", "st1", "alone"))
    assert any(figure in f.statement for _, f in _items(report))
    verify_citations(report)
