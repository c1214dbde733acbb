"""annotations.toml: parsing, line numbers in warnings, merging into the catalogue."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harvester import annotate as ann
from harvester.errors import ConfigError
from harvester.models import Catalog, Entry, ListInfo, Summary

TEXT = """\
# curated values
[poyo]
parameters = 13e6
recording_hours = 100   # over 100 hours
species = ["monkey"]
open = true

["ndt3"]
recording_hours = 2000
species = [
  "monkey",
  "human",
]
nested = { a = 1 }

[nobody]
x = 1

[ndt2]
when = 2024-01-01
pairs = [[1, 2], [3]]
note = \"\"\"
a [multi-line
string\"\"\"
after = 3
"""


def entry(key: str, **extra: object) -> Entry:
    return Entry(key=key, name=key.upper(), kind="paper", section=["Models"], text=None,
                 listed_venue=None, links=[], **extra)


def catalog(*keys: str) -> Catalog:
    return Catalog(
        list=ListInfo(source="list.md", sha256="0" * 64, title=None),
        summary=Summary(entries=len(keys), papers=0, with_abstract=0, with_citations=0,
                        repos=0, stale_values=0, errors=0),
        entries=[entry(k) for k in keys],
    )


def test_values_are_read_with_their_types():
    result = ann.parse(TEXT, ["poyo", "ndt3", "ndt2"])
    assert result.tables["poyo"] == {"parameters": 13e6, "recording_hours": 100,
                                     "species": ["monkey"], "open": True}
    assert isinstance(result.tables["poyo"]["recording_hours"], int)
    assert result.tables["ndt3"] == {"recording_hours": 2000, "species": ["monkey", "human"]}
    assert result.tables["ndt2"] == {"note": "a [multi-line\nstring", "after": 3}


def test_warnings_name_the_key_and_its_line():
    result = ann.parse(TEXT, ["poyo", "ndt3", "ndt2"], path=Path("annotations.toml"))
    assert result.warnings == [
        "annotations.toml:14: ndt3.nested is a table; values are numbers, strings, booleans "
        "or lists of them; ignored",
        "annotations.toml:16: [nobody] names no entry of the catalogue; ignored",
        "annotations.toml:20: ndt2.when is a date; values are numbers, strings, booleans or "
        "lists of them; ignored",
        "annotations.toml:21: ndt2.pairs is a list of tables or lists; values are numbers, "
        "strings, booleans or lists of them; ignored",
    ]


def test_lines_follow_multiline_values():
    lines = ann.locate(TEXT)
    assert lines[("poyo",)] == 2
    assert lines[("poyo", "open")] == 6
    assert lines[("ndt3", "species")] == 10
    assert lines[("ndt3", "nested")] == 14
    assert lines[("ndt2", "after")] == 25


def test_a_top_level_value_is_not_a_table():
    result = ann.parse('title = "x"\n[poyo]\na = 1\n', ["poyo"])
    assert result.warnings == ["annotations.toml:1: 'title' is a str, not a table of values "
                               "for an entry; ignored"]
    assert result.tables == {"poyo": {"a": 1}}


def test_inline_table_values_point_at_their_line():
    result = ann.parse('poyo = { a = 1, b = { c = 2 } }\n', ["poyo"])
    assert result.tables == {"poyo": {"a": 1}}
    assert result.warnings[0].startswith("annotations.toml:1: poyo.b is a table")


def test_invalid_toml_is_an_error_with_its_position():
    with pytest.raises(ConfigError, match=r"line 2"):
        ann.parse("[poyo]\nx = = 1\n", ["poyo"])


def test_apply_sets_annotations_and_nothing_else():
    before = catalog("poyo", "ndt3", "other")
    result = ann.parse(TEXT, ["poyo", "ndt3", "other"])
    after = ann.apply(before, result)
    by_key = {e.key: e for e in after.entries}
    assert by_key["poyo"].annotations == result.tables["poyo"]
    assert by_key["other"].annotations is None
    for old, new in zip(before.entries, after.entries, strict=True):
        assert old.model_dump(exclude={"annotations"}) == new.model_dump(exclude={"annotations"})
    # the published JSON round-trips through the strict model, types kept
    again = Catalog.model_validate_json(after.model_dump_json())
    assert again.entries[0].annotations == {"parameters": 13e6, "recording_hours": 100,
                                            "species": ["monkey"], "open": True}
    dumped = json.loads(after.model_dump_json())
    assert dumped["entries"][2]["annotations"] is None


def test_a_removed_table_removes_the_annotations():
    annotated = ann.apply(catalog("poyo"), ann.parse("[poyo]\na = 1\n"))
    assert annotated.entries[0].annotations == {"a": 1}
    assert ann.apply(annotated, ann.Annotations()).entries[0].annotations is None


def test_resolve_path(tmp_path):
    assert ann.resolve_path(None, None, tmp_path) is None
    (tmp_path / "annotations.toml").write_text("")
    assert ann.resolve_path(None, None, tmp_path) == tmp_path / "annotations.toml"
    other = tmp_path / "curated.toml"
    other.write_text("")
    assert ann.resolve_path(None, Path("curated.toml"), tmp_path) == other
    assert ann.resolve_path(other, Path("missing.toml"), tmp_path) == other
    with pytest.raises(ConfigError, match="no such annotations file"):
        ann.resolve_path(tmp_path / "missing.toml", None, tmp_path)
    with pytest.raises(ConfigError, match=r"\[annotations\] file"):
        ann.resolve_path(None, Path("missing.toml"), tmp_path)
