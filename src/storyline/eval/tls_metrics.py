"""Timeline summarisation scores as news-tls reports them: AR1, AR2 and Date-F1.

news-tls (Ghalandari & Ifrim 2020, ``experiments/evaluate.py``) scores a predicted timeline
against one gold timeline with PyPI ``tilse``: ``TimelineRougeEvaluator(measures=["rouge_1",
"rouge_2"])``, metric ``align_date_content_costs_many_to_one`` (Martschat & Markert 2017,
"align+ m:1"), with tilse's default ROUGE, the ROUGE-1.5.5 Perl script run as
``-n 2 -x -f A -m -s -t 2`` (stemming, stopwords removed, raw counts). This module computes
the same numbers without Perl:

* Tokens: per day, the sentences' runs of ASCII letters and digits, lowercased; words of the
  SMART stop list dropped; words longer than three letters mapped through the WordNet 2.0
  exception list, else Porter-stemmed (ROUGE's own Porter variant). Bigrams run across
  sentence boundaries, as ROUGE joins a summary's sentences before counting.
* Alignment: each predicted day goes to the gold day of least cost, and each gold day to the
  predicted day of least cost (ties to the earliest), cost = (1 - 1/(|d1-d2|+1)) *
  (1 - F1 of raw whitespace-token overlap), tokens that are punctuation left out.
* Score: clipped n-gram matches of each aligned pair weighed by 1/(|d1-d2|+1); precision
  divides by the predicted days' n-grams, recall by the gold days' n-grams.

``mean_scores`` averages several timelines the news-tls way (mean precision and recall, F1
of the means). Checked against tilse 0.2.1 on Timeline17: tests/fixtures/tls/.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from functools import cache, lru_cache
from importlib import resources
from itertools import pairwise

Timeline = Mapping[dt.date, Sequence[str]]

_WORD = re.compile(r"[A-Za-z0-9]+")

# ROUGE-1.5.5's data/smart_common_words.txt (the SMART stop list plus news words), keeping
# only entries its tokeniser can produce: entries with an apostrophe or a dot never match.
_SMART_STOPWORDS = """
    reuters ap jan feb mar apr may jun jul aug sep oct nov dec tech news index mon tue wed thu fri
    sat a able about above according accordingly across actually after afterwards again against
    all allow allows almost alone along already also although always am amid among amongst an and
    another any anybody anyhow anyone anything anyway anyways anywhere apart appear appreciate
    appropriate are around as aside ask asking associated at available away awfully b be became
    because become becomes becoming been before beforehand behind being believe below beside
    besides best better between beyond both brief but by c came can cannot cant cause causes
    certain certainly changes clearly co com come comes concerning consequently consider
    considering contain containing contains corresponding could course currently d definitely
    described despite did different do does doing done down downwards during e each edu eg eight
    either else elsewhere enough entirely especially et etc even ever every everybody everyone
    everything everywhere ex exactly example except f far few fifth five followed following
    follows for former formerly forth four from further furthermore g get gets getting given gives
    go goes going gone got gotten greetings h had happens hardly has have having he hello help
    hence her here hereafter hereby herein hereupon hers herself hi him himself his hither
    hopefully how howbeit however i ie if ignored immediate in inasmuch inc indeed indicate
    indicated indicates inner insofar instead into inward is it its itself j just k keep keeps
    kept know knows known l lately later latter latterly least less lest let like liked likely
    little look looking looks ltd m mainly many may maybe me mean meanwhile merely might more
    moreover most mostly much must my myself n namely nd near nearly necessary need needs neither
    never nevertheless new next nine no nobody non none noone nor normally not nothing novel now
    nowhere o obviously of off often oh ok okay old on once one ones only onto or other others
    otherwise ought our ours ourselves out outside over overall own p particular particularly per
    perhaps placed please plus possible presumably probably provides q que quite qv r rather rd re
    really reasonably regarding regardless regards relatively respectively right s said same saw
    say saying says second secondly see seeing seem seemed seeming seems seen self selves sensible
    sent serious seriously seven several shall she should since six so some somebody somehow
    someone something sometime sometimes somewhat somewhere soon sorry specified specify
    specifying still sub such sup sure t take taken tell tends th than thank thanks thanx that
    thats the their theirs them themselves then thence there thereafter thereby therefore therein
    theres thereupon these they think third this thorough thoroughly those though three through
    throughout thru thus to together too took toward towards tried tries truly try trying twice
    two u un under unfortunately unless unlikely until unto up upon us use used useful uses using
    usually uucp v value various very via viz vs w want wants was way we welcome well went were
    what whatever when whence whenever where whereafter whereas whereby wherein whereupon wherever
    whether which while whither who whoever whole whom whose why will willing wish with within
    without wonder would x y yes yet you your yours yourself yourselves z zero
"""
STOPWORDS = frozenset(_SMART_STOPWORDS.split())

_EXCEPTIONS_FILE = "tls_wordnet_exceptions.txt"


@cache
def _wordnet_exceptions() -> dict[str, str]:
    """Return the WordNet 2.0 exception list ROUGE consults before Porter: form -> base."""
    text = resources.files(__package__).joinpath(_EXCEPTIONS_FILE).read_text(encoding="ascii")
    pairs = (line.split() for line in text.splitlines() if line and not line.startswith("#"))
    return {form: base for form, base in pairs}


# --- Porter stemmer, as in ROUGE-1.5.5 (Porter's Perl release 1 with C.-Y. Lin's step 4) ---
_C1 = "[^aeiou]"  # a consonant (an initial y is upper-cased so it counts as one)
_V1 = "[aeiouy]"
_CS = f"{_C1}[^aeiouy]*"
_VS = f"{_V1}[aeiou]*"
_M_GT0 = re.compile(f"^({_CS})?{_VS}{_CS}")
_M_EQ1 = re.compile(f"^({_CS})?{_VS}{_CS}({_VS})?$")
_M_GT1 = re.compile(f"^({_CS})?{_VS}{_CS}{_VS}{_CS}")
_HAS_VOWEL = re.compile(f"^({_CS})?{_V1}")
_SHORT_CVC = re.compile(f"^{_CS}{_V1}[^aeiouwxy]$")
_STEP2 = {
    "ational": "ate", "tional": "tion", "enci": "ence", "anci": "ance", "izer": "ize",
    "bli": "ble", "alli": "al", "entli": "ent", "eli": "e", "ousli": "ous", "ization": "ize",
    "ation": "ate", "ator": "ate", "alism": "al", "iveness": "ive", "fulness": "ful",
    "ousness": "ous", "aliti": "al", "iviti": "ive", "biliti": "ble", "logi": "log",
}  # fmt: skip
_STEP3 = {
    "icate": "ic", "ative": "", "alize": "al", "iciti": "ic", "ical": "ic", "ful": "",
    "ness": "",
}  # fmt: skip
# Alternations keep ROUGE's order: a regex search picks the leftmost match, then the first
# alternative, so "ational" wins over "tional" exactly as in the Perl.
_STEP2_RE = re.compile("(" + "|".join(_STEP2) + ")$")
_STEP3_RE = re.compile("(" + "|".join(_STEP3) + ")$")
_STEP4_RE = re.compile("(al|ance|ence|er|ic|able|ible|ant|ement|ou|ism|ate|iti|ous|ive|ize)$")


def _step1(w: str) -> str:
    """Return the word with plural and -ed/-ing endings and a final y handled (steps 1a-1c)."""
    if m := re.search("(ss|i)es$", w):
        w = w[: m.start()] + m.group(1)
    elif re.search("[^s]s$", w):
        w = w[:-1]
    if w.endswith("eed"):
        if _M_GT0.search(w[:-3]):
            w = w[:-1]
    elif (m := re.search("(ed|ing)$", w)) and _HAS_VOWEL.search(w[: m.start()]):
        w = w[: m.start()]
        if re.search("(at|bl|iz)$", w):
            w += "e"
        elif re.search(r"([^aeiouylsz])\1$", w):
            w = w[:-1]
        elif _SHORT_CVC.search(w):
            w += "e"
    if w.endswith("y") and _HAS_VOWEL.search(w[:-1]):
        w = w[:-1] + "i"
    return w


def _step2to4(w: str) -> str:
    """Return the word with derivational suffixes mapped or removed (steps 2-4)."""
    for pattern, table in ((_STEP2_RE, _STEP2), (_STEP3_RE, _STEP3)):
        if (m := pattern.search(w)) and _M_GT0.search(w[: m.start()]):
            w = w[: m.start()] + table[m.group(1)]
    if (m := _STEP4_RE.search(w)) and _M_GT1.search(w[: m.start()]):
        w = w[: m.start()]
    # Lin's change: -ement has its own rule, and -ment and -ent are tried after it in turn.
    if w.endswith("ment") and _M_GT1.search(w[:-4]):
        w = w[:-4]
    if w.endswith("ent"):
        if _M_GT1.search(w[:-3]):
            w = w[:-3]
    elif (m := re.search("[st]ion$", w)) and _M_GT1.search(w[: m.start() + 1]):
        w = w[: m.start() + 1]
    return w


def porter_stem(word: str) -> str:
    """Return ROUGE-1.5.5's Porter stem of a lowercase word."""
    if len(word) < 3:
        return word
    initial_y = word[0] == "y"
    w = "Y" + word[1:] if initial_y else word
    w = _step2to4(_step1(w))
    if w.endswith("e"):
        stem = w[:-1]
        if _M_GT1.search(stem) or (_M_EQ1.search(stem) and not _SHORT_CVC.search(stem)):
            w = stem
    if w.endswith("ll") and _M_GT1.search(w):
        w = w[:-1]
    return "y" + w[1:] if initial_y else w


@lru_cache(maxsize=65536)
def _rouge_word(token: str) -> str:
    """Return a lowercase token as ROUGE -m counts it: exception base form, else Porter stem."""
    if len(token) <= 3:
        return token
    return _wordnet_exceptions().get(token) or porter_stem(token)


def rouge_tokens(sentences: Iterable[str]) -> list[str]:
    """Return the words ROUGE-1.5.5 (-m -s) counts in a summary, in order."""
    words: list[str] = []
    for sentence in sentences:
        # pyrouge writes "^" as the entity "&circ;", and ROUGE reads a sentence up to its
        # first "<" (the markup around it), so both quirks shape what is counted.
        text = sentence.replace("^", "&circ;").split("<", 1)[0]
        for token in _WORD.findall(text):
            token = token.lower()
            if token not in STOPWORDS:
                words.append(_rouge_word(token))
    return words


@dataclass(frozen=True)
class _Summary:
    """One day's (or one timeline's) text, counted both ways the metric needs."""

    words: list[str]  # ROUGE words, in order
    grams: tuple[Counter[Hashable], Counter[Hashable]]  # ROUGE unigrams, bigrams
    raw: Counter[Hashable]  # whitespace tokens that are not punctuation, for alignment
    raw_total: int


def _summary(words: list[str], raw_tokens: list[str]) -> _Summary:
    """Return the counts of a text given its ROUGE words and its raw tokens."""
    unigrams: Counter[Hashable] = Counter(words)
    bigrams: Counter[Hashable] = Counter(pairwise(words))
    return _Summary(words, (unigrams, bigrams), Counter(raw_tokens), len(raw_tokens))


_Day = tuple[int, _Summary]  # proleptic ordinal of the day, its summary


def _days(timeline: Timeline, name: str) -> list[_Day]:
    """Return a timeline's days in date order; raise ValueError if two keys share a day."""
    days: dict[int, _Summary] = {}
    for key, sentences in timeline.items():
        day = key.toordinal()  # a datetime counts as its calendar day
        if day in days:
            raise ValueError(f"{name} timeline has two entries for {dt.date.fromordinal(day)}")
        if isinstance(sentences, str):
            raise ValueError(f"{name} timeline: {key} maps to a string, not a list of sentences")
        # tilse strips each sentence; ROUGE words come from the stripped text either way.
        stripped = [s.strip() for s in sentences]
        days[day] = _summary(rouge_tokens(stripped), _raw_tokens(stripped))
    return sorted(days.items())


def _joined(days: list[_Day]) -> _Summary:
    """Return one summary of all days' ROUGE words in date order (bigrams cross days)."""
    return _summary([w for _, s in days for w in s.words], [])


def _raw_tokens(sentences: Sequence[str]) -> list[str]:
    """Return the whitespace tokens tilse's alignment cost compares."""
    # tilse's content cost drops a token when it is a substring of string.punctuation
    # (so "." and "()" go, "--" and "``" stay); case is kept and nothing is stemmed.
    return [t for s in sentences for t in s.split() if t not in string.punctuation]


def _overlap(a: Counter[Hashable], b: Counter[Hashable]) -> int:
    """Return the clipped count of items shared by two multisets."""
    if len(b) < len(a):
        a, b = b, a
    return sum(min(n, b[k]) for k, n in a.items() if k in b)


def _content_f1(pred: _Summary, gold: _Summary) -> float:
    """Return tilse's approximate ROUGE-1 F1 of two days (raw tokens, same float steps)."""
    match = _overlap(pred.raw, gold.raw)
    precision = match / pred.raw_total if pred.raw_total else 0.0
    recall = match / gold.raw_total if gold.raw_total else 0.0
    return _f1(precision, recall)


def _date_weight(a: int, b: int) -> float:
    """Return the credit for matching days ``a`` and ``b`` (ordinals): 1/(|a-b|+1)."""
    return 1 / (abs(a - b) + 1)


def _align(pred: list[_Day], gold: list[_Day]) -> tuple[list[int], list[int]]:
    """Return, for each predicted day, the index of its gold day, and for each gold day,
    the index of its predicted day: the least cost, ties to the earlier day."""
    costs = [
        [
            0.0
            if p_day == g_day
            else (1 - _date_weight(p_day, g_day)) * (1 - _content_f1(p_sum, g_sum))
            for g_day, g_sum in gold
        ]
        for p_day, p_sum in pred
    ]
    to_gold = [min(range(len(gold)), key=row.__getitem__) for row in costs]
    columns = list(zip(*costs, strict=True))
    to_pred = [min(range(len(pred)), key=column.__getitem__) for column in columns]
    return to_gold, to_pred


@dataclass(frozen=True)
class PRF:
    """Precision, recall and F1 of one score."""

    precision: float
    recall: float
    f1: float


def _f1(precision: float, recall: float) -> float:
    """Return the harmonic mean of precision and recall (0 when both are 0)."""
    if precision + recall == 0:
        return 0.0
    return 2 * precision * recall / (precision + recall)


def _prf(hits_p: float, total_p: int, hits_r: float, total_r: int) -> PRF:
    """Return precision, recall and F1 from matched counts and totals (0 where empty)."""
    precision = hits_p / total_p if total_p else 0.0
    recall = hits_r / total_r if total_r else 0.0
    return PRF(precision, recall, _f1(precision, recall))


def _aligned_rouge(
    pred: list[_Day], gold: list[_Day], alignment: tuple[list[int], list[int]], n: int
) -> PRF:
    """Return date-weighted ROUGE-n of predicted days against the gold days they align to."""
    to_gold, to_pred = alignment
    hits_p = [
        _date_weight(p_day, gold[j][0]) * _overlap(p_sum.grams[n - 1], gold[j][1].grams[n - 1])
        for (p_day, p_sum), j in zip(pred, to_gold, strict=True)
    ]
    hits_r = [
        _date_weight(pred[i][0], g_day) * _overlap(pred[i][1].grams[n - 1], g_sum.grams[n - 1])
        for (g_day, g_sum), i in zip(gold, to_pred, strict=True)
    ]
    total_p = sum(s.grams[n - 1].total() for _, s in pred)
    total_r = sum(s.grams[n - 1].total() for _, s in gold)
    return _prf(sum(hits_p), total_p, sum(hits_r), total_r)


def _concat_rouge(pred: list[_Day], gold: list[_Day], n: int) -> PRF:
    """Return ROUGE-n of all predicted days' text, in date order, against all gold text."""
    pred_sum, gold_sum = _joined(pred), _joined(gold)
    hits = _overlap(pred_sum.grams[n - 1], gold_sum.grams[n - 1])
    return _prf(hits, pred_sum.grams[n - 1].total(), hits, gold_sum.grams[n - 1].total())


def _date_prf(pred: list[_Day], gold: list[_Day]) -> PRF:
    """Return precision, recall and F1 of the predicted days against the gold days."""
    shared = len({d for d, _ in pred} & {d for d, _ in gold})
    return _prf(shared, len(pred), shared, len(gold))


@dataclass(frozen=True)
class TimelineScores:
    """Scores of one predicted timeline against one gold timeline (or a news-tls average).

    ``ar1_*``/``ar2_*``: alignment-based ROUGE-1/-2 (news-tls AR1/AR2, the F1 is what papers
    report); ``date_*``: exact-day date selection; ``concat*_*``: ROUGE-1/-2 of the whole
    timelines' text, dates ignored (tilse's "concat", for reference).
    """

    ar1_p: float
    ar1_r: float
    ar1_f: float
    ar2_p: float
    ar2_r: float
    ar2_f: float
    date_p: float
    date_r: float
    date_f1: float
    concat1_p: float
    concat1_r: float
    concat1_f: float
    concat2_p: float
    concat2_r: float
    concat2_f: float


_METRICS = ("ar1", "ar2", "date", "concat1", "concat2")


def _scores(parts: Sequence[PRF]) -> TimelineScores:
    """Return TimelineScores from one PRF per metric, in _METRICS order."""
    values = [v for prf in parts for v in (prf.precision, prf.recall, prf.f1)]
    return TimelineScores(*values)


def score_timeline(predicted: Timeline, gold: Timeline) -> TimelineScores:
    """Return AR1, AR2, Date-F1 and concat ROUGE of a predicted timeline against a gold one.

    Timelines map each day to its sentences. An empty prediction scores 0 everywhere (tilse
    itself cannot align one); an empty gold timeline raises ValueError.
    """
    gold_days = _days(gold, "gold")
    if not gold_days:
        raise ValueError("gold timeline has no dates")
    pred_days = _days(predicted, "predicted")
    if not pred_days:
        return _scores([PRF(0.0, 0.0, 0.0)] * len(_METRICS))
    alignment = _align(pred_days, gold_days)
    return _scores(
        [
            _aligned_rouge(pred_days, gold_days, alignment, 1),
            _aligned_rouge(pred_days, gold_days, alignment, 2),
            _date_prf(pred_days, gold_days),
            _concat_rouge(pred_days, gold_days, 1),
            _concat_rouge(pred_days, gold_days, 2),
        ]
    )


def mean_scores(scores: Sequence[TimelineScores]) -> TimelineScores:
    """Return the news-tls average: mean precision and recall, and the F1 of those means."""
    if not scores:
        raise ValueError("no timeline scores to average")
    parts = []
    for metric in _METRICS:
        names = [f.name for f in fields(TimelineScores) if f.name.startswith(metric + "_")]
        precision = sum(getattr(s, names[0]) for s in scores) / len(scores)
        recall = sum(getattr(s, names[1]) for s in scores) / len(scores)
        parts.append(PRF(precision, recall, _f1(precision, recall)))
    return _scores(parts)
