"""storyline's exceptions. The library raises these; only the CLI and the web
layer turn them into messages and exit codes or HTTP statuses."""

from __future__ import annotations


class StorylineError(Exception):
    """Base class: the message says what went wrong and what to do next."""


class InputError(StorylineError):
    """One input (file, URL, JSON line) could not be read; the rest go on."""

    def __init__(self, ref: str, reason: str) -> None:
        super().__init__(f"{ref}: {reason}")
        self.ref = ref
        self.reason = reason


class StoreError(StorylineError):
    """The database could not be opened, migrated or written."""


class ModelError(StorylineError):
    """A model (spaCy pipeline, embedding model) is missing or broken."""


class CitationError(StorylineError):
    """A report item cites a span that does not hold what it claims."""


class NotInstalled(ModelError):
    """An optional dependency is missing; the message carries the install hint."""

    def __init__(self, package: str, purpose: str) -> None:
        super().__init__(
            f"{package} is needed for {purpose}: run `make setup` or `pip install {package}`"
        )
