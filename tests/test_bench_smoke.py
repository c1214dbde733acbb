"""Smoke test of ``scripts/bench.py``: a quick run at 20 entries produces well-formed results.

A sanity check, not a timing assertion: no test asserts on wall time.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = {"arxiv", "openreview", "biorxiv", "crossref", "neurips", "semanticscholar",
           "openalex", "github"}


def test_bench_quick_smoke(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    table = tmp_path / "bench.md"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bench.py"), "--quick", "--sizes", "20",
         "--out", str(out), "--markdown", str(table)],
        cwd=tmp_path, capture_output=True, text=True, timeout=55,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    data = json.loads(out.read_text(encoding="utf-8"))

    assert data["command"].startswith("python scripts/bench.py")
    assert data["settings"]["quick"] is True
    assert data["settings"]["pace_factor"] > 1
    assert [r["entries"] for r in data["results"]] == [20]
    result = data["results"][0]

    minimum = result["minimum"]
    assert set(minimum["per_source"]) == SOURCES
    assert minimum["total"] == sum(v["requests"] for v in minimum["per_source"].values())
    assert minimum["total"] > 0
    assert result["floor"]["seconds"] > 0
    assert result["floor"]["source"] in SOURCES

    assert set(result["runs"]) == {"cold", "warm", "refresh"}
    for mode, run in result["runs"].items():
        assert run["exit_code"] in (0, 2), (mode, run.get("stderr_tail"))
        assert run["catalog_entries"], mode
        assert set(run["requests"]) == SOURCES
        assert run["requests_total"] == sum(run["requests"].values())
        assert run["peak_rss_mb"] > 0
        assert run["wall_seconds"] >= 0
    for mode in ("cold", "refresh"):
        run = result["runs"][mode]
        # nobody can do with fewer requests than the minimum
        assert run["requests_total"] >= minimum["total"], mode
        for source, need in minimum["per_source"].items():
            assert run["requests"][source] >= need["requests"], (mode, source)

    naive = result["naive"]
    assert naive["estimated"] is False
    assert naive["requests_total"] > 0
    assert naive["estimate_seconds"] >= 0

    names = [t["target"] for t in data["targets"]]
    assert len(names) == 5
    assert all(t["met"] in (True, False, None) for t in data["targets"])

    text = table.read_text(encoding="utf-8")
    assert "QUICK SMOKE RUN" in text
    assert "| entries | run |" in text
    assert proc.stdout.strip() == text.strip()
