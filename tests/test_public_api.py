"""The public API: what `import storyline` offers, and the README's library example run as
written against the bundled demo corpus."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

import storyline
from tests.conftest import ROOT

pytestmark = pytest.mark.slow  # models, subprocesses or servers: not in `make quick`

README = ROOT / "README.md"


def test_the_public_api_is_listed_and_importable() -> None:
    for name in ("Store", "Options", "ingest", "build", "load_report", "StorylineError"):
        assert name in storyline.__all__
    for name in storyline.__all__:
        assert getattr(storyline, name) is not None


def test_the_readme_library_example_runs_as_written(tmp_path: Path) -> None:
    block = re.search(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert block is not None
    code = block[1]
    assert "storyline." in code and "from storyline." not in code  # the public API only
    corpus = Path(str(resources.files("storyline") / "examples" / "corpus"))
    (tmp_path / "articles").symlink_to(corpus)
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 4 and all(line.endswith(" articles") for line in lines)
    assert (tmp_path / "report" / "report.json").exists()
