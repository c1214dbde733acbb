"""The scripts the README quotes figures from still run against today's package."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LISTS = ROOT / "tests" / "data" / "lists"


@pytest.mark.parametrize("script", ["bench.py", "bench_previous.py", "compare_revisions.py",
                                    "history_size.py", "hostile.py", "site_timing.py",
                                    "venue_coverage.py"])
def test_each_script_imports_and_explains_itself(script):
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / script), "--help"],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "usage:" in done.stdout.lower()


def test_corpus_counts_prints_a_row_per_list():
    path = LISTS / "mazabou__awesome-neurofm.md"
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "corpus_counts.py"), str(path)],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "| mazabou__awesome-neurofm | 24 | 15 | 6 | 4 | 4 |" in done.stdout
