"""The command line on bad input, the offline path on every corpus list, schema and validate."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from harvester.cli import main

LISTS = sorted((Path(__file__).parent / "data" / "lists").glob("*__*.md"))
NEUROFM = next(p for p in LISTS if p.name.startswith("mazabou"))


@pytest.fixture
def run(tmp_path, monkeypatch):
    """Invoke ``harvest`` in an empty folder (no harvest.toml) with no network variables."""
    monkeypatch.chdir(tmp_path)
    for var in ("GITHUB_TOKEN", "S2_API_KEY", "OPENALEX_API_KEY"):
        monkeypatch.delenv(var, raising=False)

    def invoke(*args: str):
        return CliRunner().invoke(main, list(args), catch_exceptions=False)

    return invoke


@pytest.mark.parametrize("path", LISTS, ids=lambda p: p.name.split("__")[0])
def test_offline_catalogue_of_every_corpus_list_is_valid_and_stable(run, tmp_path, path):
    out = tmp_path / "x" / "catalog.json"
    out.parent.mkdir()
    first = run("--offline", "--list", str(path), "--output", str(out), "--quiet")
    assert first.exit_code == 0, first.output
    assert first.stdout == ""
    text = out.read_bytes()
    catalog = json.loads(text)
    schema = json.loads((out.parent / "catalog.schema.json").read_text())
    jsonschema.validate(catalog, schema)
    keys = [e["key"] for e in catalog["entries"]]
    assert len(keys) == len(set(keys)) and catalog["summary"]["entries"] == len(keys) > 0
    assert text.endswith(b"\n") and json.dumps(catalog, sort_keys=True, indent=2,
                                               ensure_ascii=False).encode() + b"\n" == text
    second = run("--offline", "--list", str(path), "--output", str(out), "--quiet")
    assert second.exit_code == 0
    assert out.read_bytes() == text  # byte-identical


def test_run_facts_go_to_run_json_not_the_catalogue(run, tmp_path):
    out = tmp_path / "catalog.json"
    assert run("--offline", "--list", str(NEUROFM), "--output", str(out)).exit_code == 0
    facts = json.loads((tmp_path / "run.json").read_text())
    assert facts["exit_code"] == 0 and "started_at" in facts
    assert "started_at" not in out.read_text()


def test_missing_list_file_is_one_clear_line_and_exit_1(run, tmp_path):
    result = run("--offline", "--list", str(tmp_path / "nope.md"), "--output",
                 str(tmp_path / "c.json"))
    assert result.exit_code == 1
    assert "nope.md: no such file" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "c.json").exists()


def test_unreachable_list_url_exits_1(run, tmp_path):
    result = run("--list", "http://127.0.0.1:9/list.md", "--output", str(tmp_path / "c.json"),
                 "--cache-dir", str(tmp_path / "cache"))
    assert result.exit_code == 1
    assert "could not be fetched" in result.stderr


def test_default_list_falls_back_to_the_bundled_snapshot(run, tmp_path):
    result = run("--offline", "--output", str(tmp_path / "c.json"))
    assert result.exit_code == 0, result.stderr
    assert "snapshot bundled" in result.stderr
    catalog = json.loads((tmp_path / "c.json").read_text())
    assert catalog["list"]["source"] == "github:mazabou/awesome-neurofm"
    assert catalog["summary"]["papers"] == 15


def test_non_utf8_bytes_are_replaced_with_a_warning_naming_the_line(run, tmp_path):
    path = tmp_path / "list.md"
    path.write_bytes(b"# L\n\n- **A**: ok [[paper](https://arxiv.org/abs/2310.16046)]\n"
                     b"- **B\xff\xfe**: bad [[paper](https://arxiv.org/abs/2311.00136)]\n")
    result = run("--offline", "--list", str(path), "--output", str(tmp_path / "c.json"))
    assert result.exit_code == 0
    assert "line 4" in result.stderr
    names = [e["name"] for e in json.loads((tmp_path / "c.json").read_text())["entries"]]
    assert names[0] == "A" and names[1].startswith("B")


def test_bad_links_are_skipped_with_warnings_and_the_rest_harvested(run, tmp_path):
    path = tmp_path / "list.md"
    path.write_text(
        "# L\n\n"
        "- **A** [[paper](javascript:alert(1))] [[code](https://github.com/a/b)]\n"
        "- **B** [[paper]()] [[x](data:text/html,hi)]\n"
        "- **C** [[paper](https://arxiv.org/abs/2310.16046\n"
        "- **D** [[paper](https://arxiv.org/abs/2311.00136)]\n",
        encoding="utf-8",
    )
    result = run("--offline", "--list", str(path), "--output", str(tmp_path / "c.json"))
    assert result.exit_code == 0, result.stderr
    assert "line 3" in result.stderr and "line 4" in result.stderr
    catalog = json.loads((tmp_path / "c.json").read_text())
    urls = [link["url"] for e in catalog["entries"] for link in e["links"]]
    assert not any(u.startswith(("javascript:", "data:")) for u in urls)
    assert "https://arxiv.org/abs/2311.00136" in urls and "https://github.com/a/b" in urls


def test_duplicates_are_kept_with_unique_keys_and_a_warning(run, tmp_path):
    path = tmp_path / "list.md"
    line = "- **POYO**: x [[paper](https://arxiv.org/abs/2310.16046)]\n"
    path.write_text("# L\n\n" + line + line, encoding="utf-8")
    result = run("--offline", "--list", str(path), "--output", str(tmp_path / "c.json"))
    assert result.exit_code == 0
    assert "line 3" in result.stderr and "line 4" in result.stderr
    keys = [e["key"] for e in json.loads((tmp_path / "c.json").read_text())["entries"]]
    assert keys == ["poyo", "poyo-2"]


def test_a_list_with_no_entries_gives_a_valid_empty_catalogue(run, tmp_path):
    path = tmp_path / "list.md"
    path.write_text("# Nothing here\n\nJust prose.\n", encoding="utf-8")
    result = run("--offline", "--list", str(path), "--output", str(tmp_path / "c.json"))
    assert result.exit_code == 0
    assert "no entries" in result.stderr
    catalog = json.loads((tmp_path / "c.json").read_text())
    assert catalog["entries"] == [] and catalog["summary"]["entries"] == 0


def test_a_10000_entry_list(run, tmp_path):
    """A large list end to end (the 20 MB case is timed by ``scripts/bench.py --big-list 20``)."""
    path = tmp_path / "big.md"
    path.write_text("# Big\n\n" + "".join(
        f"- **Paper {i}**: Title number {i}. NeurIPS 2023 "
        f"[[paper](https://arxiv.org/abs/2310.{i:05d})] [[code](https://github.com/o/r{i})]\n"
        for i in range(10_000)
    ), encoding="utf-8")
    result = run("--offline", "--quiet", "--list", str(path), "--output",
                 str(tmp_path / "c.json"))
    assert result.exit_code == 0, result.stderr
    catalog = json.loads((tmp_path / "c.json").read_text())
    assert catalog["summary"]["entries"] == 10_000


def test_output_in_a_missing_folder_exits_1(run, tmp_path):
    result = run("--offline", "--list", str(NEUROFM), "--output",
                 str(tmp_path / "missing" / "c.json"))
    assert result.exit_code == 1
    assert "does not exist" in result.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_output_in_a_read_only_folder_exits_1_and_keeps_the_old_file(run, tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    (folder / "catalog.json").write_text("old")
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        result = run("--offline", "--list", str(NEUROFM), "--output", str(folder / "catalog.json"))
    finally:
        folder.chmod(stat.S_IRWXU)
    assert result.exit_code == 1
    assert (folder / "catalog.json").read_text() == "old"


def test_unwritable_output_keeps_the_previous_catalogue(run, tmp_path):
    """Works as root too: the target is a folder, so the final rename fails."""
    target = tmp_path / "catalog.json"
    target.mkdir()
    (target / "keep").write_text("old")
    result = run("--offline", "--list", str(NEUROFM), "--output", str(target))
    assert result.exit_code == 1
    assert "cannot be written" in result.stderr
    assert (target / "keep").read_text() == "old"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_bad_configuration_exits_1(run, tmp_path):
    (tmp_path / "harvest.toml").write_text("[sources.arxiv]\nmin_interval = 'soon'\n")
    result = run("--offline", "--list", str(NEUROFM))
    assert result.exit_code == 1
    assert "min_interval" in result.stderr


def test_usage_errors_exit_1_not_2(tmp_path):
    """2 means "written, some look-ups incomplete": a usage error writes nothing, so it is 1."""
    import subprocess
    import sys

    for args in (["--only", "arxiv,scholar", "--offline"], ["--refresh", "--offline"],
                 ["--no-such-option"]):
        result = subprocess.run([sys.executable, "-m", "harvester", *args], cwd=tmp_path,
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 1, (args, result.stderr)
        assert "Traceback" not in result.stderr
    assert "scholar" in subprocess.run(
        [sys.executable, "-m", "harvester", "--only", "scholar"], cwd=tmp_path,
        capture_output=True, text=True, timeout=60).stderr


def test_an_unreadable_cache_is_moved_aside_with_a_warning(run, tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "cache.db").write_bytes(b"this is not sqlite" * 100)
    out = tmp_path / "c.json"
    result = run("--offline", "--list", str(NEUROFM), "--output", str(out), "--cache-dir",
                 str(cache))
    assert result.exit_code == 0, result.stderr
    assert "moved to" in result.stderr
    assert [p.name.startswith("cache.broken-") for p in tmp_path.iterdir()].count(True) == 1


def test_outputs_are_readable_by_others(run, tmp_path):
    out = tmp_path / "c.json"
    assert run("--offline", "--list", str(NEUROFM), "--output", str(out)).exit_code == 0
    mask = os.umask(0)
    os.umask(mask)
    for name in ("c.json", "catalog.schema.json", "run.json"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o666 & ~mask


def test_help_documents_every_option(run):
    text = run("--help").stdout
    for option in ("--list", "--output", "--cache-dir", "--refresh", "--offline", "--only",
                   "--strict", "--quiet", "--verbose"):
        assert option in text


def test_schema_and_validate(run, tmp_path):
    schema = run("schema")
    assert schema.exit_code == 0 and json.loads(schema.stdout)["title"].startswith("awesome")
    out = tmp_path / "c.json"
    run("--offline", "--list", str(NEUROFM), "--output", str(out))
    ok = run("validate", str(out))
    assert ok.exit_code == 0 and "valid" in ok.stderr
    broken = json.loads(out.read_text())
    broken["entries"][0]["paper"] = {"title": 3}
    out.write_text(json.dumps(broken))
    bad = run("validate", str(out))
    assert bad.exit_code == 1
