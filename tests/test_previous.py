"""The previous catalogue as the run's second memory: its summary read from the file's tail,
its entries read only when an answer leaves a value to them."""

from __future__ import annotations

import json
from pathlib import Path

from harvester.build import needs_memory
from harvester.models import Catalog, Entry, ListInfo
from harvester.pipeline import summarize
from harvester.plan import Lookups
from harvester.previous import Previous
from harvester.sources import Result
from harvester.writers import catalog_json


def _catalog(n: int) -> Catalog:
    entries = [Entry(key=f"e{i}", name=f"E{i}", kind="paper", section=["S"], text=f"text {i}",
                   listed_venue=None, links=[])
               for i in range(n)]
    return Catalog(list=ListInfo(source="list.md", sha256="0" * 64, title="T"),
                   summary=summarize(entries), entries=entries)


def test_the_summary_comes_from_the_tail_and_the_entries_only_when_asked(tmp_path: Path):
    path = tmp_path / "catalog.json"
    path.write_text(catalog_json(_catalog(3)), encoding="utf-8")
    warnings: list[str] = []
    previous = Previous(path, warnings.append)
    assert previous.summary is not None and previous.summary.entries == 3
    assert previous._entries is None  # not read yet
    assert sorted(previous.entries()) == ["e0", "e1", "e2"]
    assert warnings == []


def test_damaged_entries_behind_a_readable_tail_are_warned_about_when_needed(tmp_path: Path):
    path = tmp_path / "catalog.json"
    text = catalog_json(_catalog(2))
    path.write_text(text.replace('"key": "e1"', '"key": e1'), encoding="utf-8")
    warnings: list[str] = []
    previous = Previous(path, warnings.append)
    assert previous.summary is not None and previous.summary.entries == 2
    assert warnings == []
    assert previous.entries() == {}
    assert len(warnings) == 1 and "unreadable and is ignored" in warnings[0]


def test_a_catalogue_in_another_layout_is_read_whole(tmp_path: Path):
    path = tmp_path / "catalog.json"
    data = json.loads(catalog_json(_catalog(2)))
    path.write_text(json.dumps(data), encoding="utf-8")  # one line: no tail to find
    previous = Previous(path, lambda message: None)
    assert previous.summary is not None and previous.summary.entries == 2
    assert previous._entries is not None and sorted(previous._entries) == ["e0", "e1"]
    unsorted = {"summary": data["summary"], "list": data["list"], "schema_version": 1,
                "entries": data["entries"]}
    path.write_text(json.dumps(unsorted, indent=2), encoding="utf-8")
    previous = Previous(path, lambda message: None)
    assert previous.summary is not None and previous.summary.entries == 2
    assert sorted(previous.entries()) == ["e0", "e1"]


def test_no_file_and_an_unreadable_file(tmp_path: Path):
    warnings: list[str] = []
    missing = Previous(tmp_path / "none.json", warnings.append)
    assert missing.summary is None and missing.entries() == {} and warnings == []
    garbled = tmp_path / "catalog.json"
    garbled.write_bytes(b"\x00not json")
    previous = Previous(garbled, warnings.append)
    assert previous.summary is None and previous.entries() == {}
    assert len(warnings) == 1  # warned once, when it was first read


def test_memory_is_needed_only_for_answers_that_leave_a_value_to_it():
    lookups = Lookups()
    lookups.update("semanticscholar", {
        "a": Result(status="ok", record={"title": "A"}),
        "b": Result(status="not_found"),  # S2 may drop a record: a plain answer
        "c": Result(status="failed", record={"title": "C"}, stale=True),  # the cache kept it
    })
    assert not needs_memory(lookups)
    lookups.update("arxiv", {"x": Result(status="not_found")})  # arXiv never deletes one
    assert needs_memory(lookups)
    for status in ("failed", "absent"):
        other = Lookups()
        other.update("github", {"o/r": Result(status=status)})
        assert needs_memory(other)
