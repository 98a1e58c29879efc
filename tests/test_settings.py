"""Every setting is documented, like datasette's tests/test_docs.py."""

from __future__ import annotations

import pytest

from storyline import settings
from tests.conftest import ROOT

DOCS = ROOT / "docs" / "settings.md"


@pytest.mark.parametrize("setting", settings.SETTINGS, ids=lambda s: s.name)
def test_setting_is_documented(setting: settings.Setting) -> None:
    text = DOCS.read_text(encoding="utf-8")
    assert f"`{setting.name}`" in text
    assert f"`STORYLINE_{setting.name.upper()}`" in text
    assert setting.help


def test_environment_overrides_default(monkeypatch: pytest.MonkeyPatch) -> None:
    assert settings.get("batch_size") == 64
    monkeypatch.setenv("STORYLINE_BATCH_SIZE", "8")
    assert settings.get("batch_size") == 8
    monkeypatch.setenv("STORYLINE_EVENT_THRESHOLD", "0.5")
    assert settings.get("event_threshold") == 0.5
