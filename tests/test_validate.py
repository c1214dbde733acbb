"""``harvest validate`` says what is wrong in the catalogue's own words."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from harvester.tools_cli import validate
from tests.test_export import sample


def check(path: Path) -> tuple[int, str]:
    result = CliRunner().invoke(validate, [str(path)])
    return result.exit_code, result.stderr


def test_a_valid_catalogue(tmp_path) -> None:
    path = tmp_path / "catalog.json"
    path.write_text(sample().model_dump_json(), encoding="utf-8")
    code, text = check(path)
    assert code == 0 and "valid (schema_version 1, 6 entries)" in text


def test_problems_are_named_by_entry_and_field_in_plain_words(tmp_path) -> None:
    data = json.loads(sample().model_dump_json())
    data["entries"][1]["paper"]["year"] = "soon"
    data["entries"][1]["paper"]["status"] = "maybe"
    data["entries"][0]["paper"]["published"] = "2024/01/01"
    data["entries"][3]["colour"] = "blue"
    del data["summary"]["papers"]
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    code, text = check(path)
    assert code == 1
    lines = text.splitlines()
    assert lines[0] == f"{path} is not a valid catalogue:"
    assert "  - summary.papers is missing" in lines
    assert '  - entry 2 ("poyo+"): paper.year should be a whole number (it is "soon")' in lines
    assert any(line.startswith('  - entry 2 ("poyo+"): paper.status should be one of '
                               "'published', 'accepted'") for line in lines)
    assert ('  - entry 1 ("ndt3"): paper.published should be a date written YYYY-MM-DD '
            '(it is "2024/01/01")') in lines
    assert '  - entry 4 ("brainlm"): colour is not a field of the catalogue (it is "blue")' in lines
    # pydantic's own vocabulary stays out
    for words in ("Input should", "validation error", "type=", "pydantic", "For further"):
        assert words not in text


def test_not_json_and_not_an_object(tmp_path) -> None:
    path = tmp_path / "catalog.json"
    path.write_text('{"entries": [', encoding="utf-8")
    code, text = check(path)
    assert code == 1 and "it is not JSON (" in text
    path.write_text("[1, 2]", encoding="utf-8")
    code, text = check(path)
    assert code == 1 and "it is not a JSON object" in text


def test_many_problems_are_counted_not_listed(tmp_path) -> None:
    data = json.loads(sample().model_dump_json())
    for entry in data["entries"]:
        entry["name"] = 5
        entry["kind"] = "thing"
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    code, text = check(path)
    assert code == 1
    assert text.count("\n  - ") == 6 and "and 7 more problems" in text


def test_a_missing_file(tmp_path) -> None:
    code, text = check(tmp_path / "nope.json")
    assert code == 1 and "cannot read" in text
