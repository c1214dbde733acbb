"""harvest plot: the figures a catalogue supports, byte-identical for the same input."""

from __future__ import annotations

import json
import subprocess
import sys

from harvester import plot
from harvester.history import Snapshot


def entry(key: str, year: int | None, status: str | None, **notes: object) -> dict:
    return {"key": key, "name": key.upper(), "section": ["Models"],
            "paper": {"year": year, "status": status, "title": key,
                      "citation_count": 12 if key == "poyo" else None},
            "repos": [{"full_name": f"o/{key}", "stars": 10}],
            "annotations": notes or None}


CATALOG = {"entries": [
    entry("poyo", 2023, "accepted", recording_hours=100, species=["monkey"], open=True),
    entry("ndt3", 2025, "preprint", recording_hours=2000, parameters=350e6),
    entry("ndt2", 2023, "published", parameters=3e6),
    entry("nameless", None, None, recording_hours=5),
    entry("site", 2024, None),
]}
HISTORY = [Snapshot("2026-11-03", {"o/poyo": 5, "o/ndt3": 1}, {"poyo": 1}),
           Snapshot("2026-12-01", {"o/poyo": 10, "o/ndt3": 10}, {"poyo": 4})]


def test_numeric_fields_and_points():
    assert plot.numeric_fields(CATALOG) == ["parameters", "recording_hours"]
    # an entry without a year has no point
    assert plot.field_points(CATALOG, "recording_hours") == [(2023, 100.0, "POYO"),
                                                             (2025, 2000.0, "NDT3")]
    assert plot.spans_decades([100.0, 2000.0])
    assert not plot.spans_decades([100.0, 900.0])
    assert not plot.spans_decades([0.0, 900.0])
    assert plot.title_of("recording_hours") == "Recording hours"
    assert plot.safe_name("model size/B") == "model-size-B"
    assert plot.safe_name("papers-per-year") == "annotation-papers-per-year"


def test_files_written(tmp_path):
    written = plot.plot_catalog(CATALOG, tmp_path / "f", HISTORY)
    names = sorted(p.name for p in written)
    stems = ["citations-history", "papers-per-year", "parameters", "recording_hours",
             "stars-history", "top-cited", "top-starred"]
    assert names == sorted(f"{s}.{e}" for s in stems for e in ("png", "svg"))
    for path in written:
        assert path.stat().st_size > 1000
    svg = (tmp_path / "f" / "recording_hours.svg").read_text()
    assert "<dc:date>" not in svg
    assert (tmp_path / "f" / "recording_hours.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_no_history_no_history_figures(tmp_path):
    names = {p.stem for p in plot.plot_catalog(CATALOG, tmp_path, HISTORY[:1])}
    assert "stars-history" not in names and "papers-per-year" in names


def test_two_runs_give_the_same_bytes(tmp_path):
    catalog = tmp_path / "catalog.json"
    catalog.write_text(json.dumps(CATALOG))
    (tmp_path / "history.jsonl").write_text("".join(s.to_line() + "\n" for s in HISTORY))
    outputs = []
    for run in ("one", "two"):  # separate processes: nothing shared between the runs
        result = subprocess.run([sys.executable, "-m", "harvester", "plot", "--catalog",
                                 str(catalog), "--output", str(tmp_path / run)],
                                capture_output=True, text=True, timeout=100)
        assert result.returncode == 0, result.stderr
        outputs.append({p.name: p.read_bytes() for p in sorted((tmp_path / run).iterdir())})
    assert len(outputs[0]) == 14
    assert outputs[0] == outputs[1]


def test_log_scale_only_when_values_span_a_decade():
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    wide = plot._field_figure(plt, [(2023, 100.0, "A"), (2025, 2000.0, "B")], "hours")
    narrow = plot._field_figure(plt, [(2023, 100.0, "A"), (2025, 900.0, "B")], "hours")
    assert wide.axes[0].get_yscale() == "log"
    assert narrow.axes[0].get_yscale() == "linear"
    labels = [t.get_text() for t in wide.axes[0].texts]
    assert labels == ["A", "B"]  # every point labelled with its entry's name
    plt.close("all")
