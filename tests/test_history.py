"""history.jsonl: one line per day a count changed, same-day replacement, trends."""

from __future__ import annotations

import datetime as dt
import json

from harvester import history


def cat(stars: dict[str, int | None], citations: dict[str, int | None]) -> dict:
    entries = [{"key": key, "paper": {"citation_count": n}, "repos": []}
               for key, n in citations.items()]
    entries.append({"key": "tools", "paper": None,
                    "repos": [{"full_name": name, "stars": n} for name, n in stars.items()]})
    return {"entries": entries}


D1, D2, D3 = dt.date(2026, 11, 3), dt.date(2026, 11, 10), dt.date(2026, 12, 1)


def lines(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_first_run_writes_the_full_counts_compactly(tmp_path):
    out = tmp_path / "catalog.json"
    assert history.append(cat({"a/x": 10, "b/y": 3}, {"poyo": 5, "ndt2": None}), out, D1)
    text = (tmp_path / "history.jsonl").read_text()
    assert text == ('{"citations":{"poyo":5},"date":"2026-11-03","stars":{"a/x":10,"b/y":3}}\n')


def test_unchanged_counts_add_no_line(tmp_path):
    out = tmp_path / "catalog.json"
    history.append(cat({"a/x": 10}, {"poyo": 5}), out, D1)
    assert not history.append(cat({"a/x": 10}, {"poyo": 5}), out, D2)
    assert [line["date"] for line in lines(tmp_path / "history.jsonl")] == ["2026-11-03"]


def test_a_change_adds_a_line_and_the_same_day_replaces_it(tmp_path):
    out = tmp_path / "catalog.json"
    history.append(cat({"a/x": 10}, {"poyo": 5}), out, D1)
    assert history.append(cat({"a/x": 12}, {"poyo": 5}), out, D2)
    assert history.append(cat({"a/x": 15}, {"poyo": 6}), out, D2)
    got = lines(tmp_path / "history.jsonl")
    assert [g["date"] for g in got] == ["2026-11-03", "2026-11-10"]
    assert got[1] == {"date": "2026-11-10", "stars": {"a/x": 15}, "citations": {"poyo": 6}}
    # back to the previous day's counts on the same day: today's line goes away
    assert history.append(cat({"a/x": 10}, {"poyo": 5}), out, D2)
    assert [g["date"] for g in lines(tmp_path / "history.jsonl")] == ["2026-11-03"]


def test_a_later_line_is_never_dropped(tmp_path):
    out = tmp_path / "catalog.json"
    history.append(cat({"a/x": 10}, {}), out, D2)
    assert not history.append(cat({"a/x": 1}, {}), out, D1)
    assert lines(tmp_path / "history.jsonl")[0]["stars"] == {"a/x": 10}


def test_bad_lines_are_skipped(tmp_path):
    path = tmp_path / "history.jsonl"
    path.write_text('{"date":"2026-11-03","stars":{"a/x":1},"citations":{}}\nnot json\n'
                    '{"date":"bad"}\n')
    assert [s.date for s in history.read_history(path)] == ["2026-11-03"]


def test_trends_over_four_weeks():
    snaps = [history.snapshot(cat({"a/x": 100, "b/y": 7}, {"poyo": 50}), D1),
             history.snapshot(cat({"a/x": 150, "b/y": 7}, {"poyo": 60}), D2),
             history.snapshot(cat({"a/x": 220, "b/y": 6, "new/z": 3}, {"poyo": 61}), D3)]
    found = history.trends(snaps)
    # D3 - 28 days = Nov 3 → the D1 line is the base
    assert found.stars["a/x"].text == "+120 stars in 4 weeks"
    assert found.stars["b/y"].text == "-1 star in 4 weeks"
    assert "new/z" not in found.stars
    assert found.citations["poyo"].text == "+11 citations in 4 weeks"
    assert history.trends(snaps, window_days=14).stars["a/x"].text == "+70 stars in 3 weeks"
    assert history.trends(snaps[:1]).stars == {}


def test_describe_trends_lists_the_largest_rises():
    snaps = [history.snapshot(cat({"a/x": 100, "b/y": 7}, {"poyo": 50}), D1),
             history.snapshot(cat({"a/x": 101, "b/y": 70}, {"poyo": 50}), D3)]
    assert history.describe_trends(snaps, names={"poyo": "POYO"}) == [
        "- b/y: +63 stars in 4 weeks (7 → 70)",
        "- a/x: +1 star in 4 weeks (100 → 101)",
    ]


def test_entry_trends_collect_citations_and_repo_stars():
    catalog = {"entries": [{"key": "poyo", "paper": {"citation_count": 9},
                            "repos": [{"full_name": "a/x", "stars": 5}]}]}
    snaps = [history.snapshot({"entries": [{"key": "poyo", "paper": {"citation_count": 4},
                                            "repos": [{"full_name": "a/x", "stars": 1}]}]}, D1),
             history.snapshot(catalog, D2)]
    got = history.entry_trends(catalog, history.trends(snaps))
    assert [t.text for t in got["poyo"]] == ["+5 citations in 1 week", "+4 stars in 1 week"]


def test_no_counts_at_all_writes_nothing(tmp_path):
    out = tmp_path / "catalog.json"
    assert not history.append(cat({}, {"poyo": None}), out, D1)
    assert not (tmp_path / "history.jsonl").exists()
