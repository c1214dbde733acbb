"""The package type-checks under ``mypy --strict`` (the settings in pyproject's ``[tool.mypy]``).

CI runs ``scripts/check`` as well; this test makes the test command alone enforce the types."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(importlib.util.find_spec("mypy") is None,
                    reason="mypy is not installed (test extra)")
@pytest.mark.timeout(600)  # a cold run on a slow machine; warm runs take seconds
def test_the_package_passes_mypy_strict(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "mypy"),
         "harvester"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
