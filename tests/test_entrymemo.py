"""Built entries kept between runs: taken only when every input of the entry is the same, and
then the catalogue is the one a full build gives, byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from harvester import entrymemo
from harvester.config import load_settings
from harvester.entrymemo import EntryMemo
from harvester.pipeline import RunOptions, harvest
from tests.fakeapi import FakeAPI, Fault, World


@pytest.fixture
def api():
    with FakeAPI(World.neurofm()) as server:
        yield server


@pytest.fixture
def world(tmp_path, api):
    config = tmp_path / "harvest.toml"
    config.write_text("", encoding="utf-8")
    env = {**api.env(), **{f"HARVEST_{s}_MIN_INTERVAL": "0" for s in (
        "ARXIV", "OPENREVIEW", "BIORXIV", "CROSSREF", "NEURIPS", "PROCEEDINGS", "PUBMED",
        "SEMANTICSCHOLAR", "OPENALEX", "GITHUB")},
        "HARVEST_SEMANTICSCHOLAR_RETRY_BUDGET": "2", "HARVEST_GITHUB_RETRY_BUDGET": "2",
        "HARVEST_SEMANTICSCHOLAR_MAX_WAIT": "1", "HARVEST_GITHUB_MAX_WAIT": "1"}
    settings = load_settings(config, environ=env)
    listed = tmp_path / "list.md"
    listed.write_text(api.world.to_markdown(), encoding="utf-8")
    return settings, listed


def run(tmp_path: Path, settings, listed: Path, *, cache: str = "cache", **options) -> bytes:
    output = tmp_path / "out" / "catalog.json"
    output.parent.mkdir(exist_ok=True)
    report = harvest(settings, RunOptions(list_spec=str(listed), output=output,
                                          cache_dir=tmp_path / cache, **options))
    data = b"".join(report.published.chunks())
    output.write_bytes(data)
    return data


class Counted:
    """How many entries the memo gave and how many were built."""

    def __init__(self, monkeypatch) -> None:
        self.kept = self.built = 0
        get = EntryMemo.get

        def counting(memo, key, print_):
            chunk = get(memo, key, print_)
            if chunk is None:
                self.built += 1
            else:
                self.kept += 1
            return chunk

        monkeypatch.setattr(EntryMemo, "get", counting)


def test_a_warm_run_takes_every_entry_from_the_memo_and_writes_the_same_bytes(
        tmp_path, world, monkeypatch):
    settings, listed = world
    cold = run(tmp_path, settings, listed)
    counted = Counted(monkeypatch)
    warm = run(tmp_path, settings, listed)
    entries = warm.count(b'\n    {\n      "annotations"')
    assert counted.kept == entries > 0 and counted.built == 0
    # the same run with nothing kept: a full build gives the same bytes
    monkeypatch.setattr(EntryMemo, "get", lambda memo, key, print_: None)
    assert run(tmp_path, settings, listed) == warm == cold


def test_a_changed_answer_list_entry_or_program_rebuilds_what_it_touches(
        tmp_path, world, monkeypatch, api):
    settings, listed = world
    run(tmp_path, settings, listed)
    counted = Counted(monkeypatch)
    # one paper's abstract changes at the source and is fetched again: that entry is rebuilt
    paper = api.world.papers[0]
    paper.abstract = "A new abstract for the memo test."
    after = run(tmp_path, settings, listed, refresh=True)
    assert b"A new abstract for the memo test." in after
    assert counted.built >= 1
    # the list's text of one entry changes: that entry alone is built again
    counted.kept = counted.built = 0
    text = listed.read_text(encoding="utf-8")
    listed.write_text(text.replace(paper.title, paper.title + " (revised)", 1), encoding="utf-8")
    run(tmp_path, settings, listed)
    assert counted.built == 1 and counted.kept > 1
    # a program that differs (its code, data or libraries) builds every entry again
    counted.kept = counted.built = 0
    monkeypatch.setattr(entrymemo, "program_fingerprint", lambda: "another program")
    run(tmp_path, settings, listed)
    assert counted.kept == 0 and counted.built > 1


def test_annotations_are_an_input(tmp_path, world, monkeypatch, api):
    settings, listed = world
    notes = tmp_path / "annotations.toml"
    name = api.world.papers[0].name.lower()
    notes.write_text(f'[{name}]\nhours = 1\n', encoding="utf-8")
    first = run(tmp_path, settings, listed, annotations=notes)
    notes.write_text(f'[{name}]\nhours = 2\n', encoding="utf-8")
    second = run(tmp_path, settings, listed, annotations=notes)
    assert b'"hours": 1' in first and b'"hours": 2' in second and b'"hours": 1' not in second


def test_an_entry_built_with_the_previous_catalogue_is_neither_taken_nor_kept(
        tmp_path, world, monkeypatch, api):
    settings, listed = world
    good = run(tmp_path, settings, listed)
    # every GitHub answer fails on a refresh: the entries with a repository keep their stars
    # from the cache, stale; those are built, not taken from the memo of the good run
    api.set_fault("github", Fault(kind="status", status=503))
    counted = Counted(monkeypatch)
    faulted = run(tmp_path, settings, listed, refresh=True)
    assert faulted != good and b'"stale"' in faulted and counted.built > 0
    api.clear_faults()
    assert b'"stale": [\n        {' not in run(tmp_path, settings, listed, refresh=True)


def test_values_kept_from_the_previous_catalogue_are_not_memoised(tmp_path, world, api):
    # a new cache: GitHub fails, so the entries with a repository keep its values from the
    # previous catalogue (stale); an entry built with the previous catalogue at hand is not
    # kept in the memo (its values are not among the fingerprinted inputs); once GitHub
    # answers again, every entry is
    import json

    from harvester.cache import RecordCache
    from harvester.entrymemo import SOURCE

    settings, listed = world
    run(tmp_path, settings, listed)
    api.set_fault("github", Fault(kind="status", status=503))
    faulted = json.loads(run(tmp_path, settings, listed, cache="new"))
    with_repo = [e["key"] for e in faulted["entries"] if e["repos"]]
    others = [e["key"] for e in faulted["entries"] if not e["repos"]]
    assert with_repo and others
    assert all(e["stale"] for e in faulted["entries"] if e["repos"])
    with RecordCache(tmp_path / "new") as cache:
        assert cache.get_texts(SOURCE, with_repo + others) == {}
    api.clear_faults()
    run(tmp_path, settings, listed, cache="new")
    with RecordCache(tmp_path / "new") as cache:
        assert set(cache.get_texts(SOURCE, with_repo + others)) == set(with_repo + others)


def test_a_registered_source_outside_the_package_is_part_of_the_program(tmp_path, monkeypatch):
    # a program's own source (harvester.register) is code the fingerprint must cover: editing
    # its module makes every entry be built again
    import dataclasses
    import importlib.util
    import sys

    from harvester.entrymemo import registry_fingerprint
    from harvester.sources import REGISTRY, register, unregister

    def load(text: str):
        path = tmp_path / "my_source.py"
        path.write_text(text, encoding="utf-8")
        spec = importlib.util.spec_from_file_location("my_source", path)
        module = importlib.util.module_from_spec(spec)
        monkeypatch.setitem(sys.modules, "my_source", module)
        spec.loader.exec_module(module)
        return module

    base = registry_fingerprint()
    assert registry_fingerprint() == base  # the package's own sources: covered elsewhere
    module = load("class Mine:\n    name = 'mine'\n")
    register(dataclasses.replace(REGISTRY["arxiv"], name="mine", cls=module.Mine, stages=()))
    try:
        first = registry_fingerprint()
        assert first != base and registry_fingerprint() == first
        module = load("class Mine:\n    name = 'mine'  # edited\n")
        REGISTRY["mine"] = dataclasses.replace(REGISTRY["mine"], cls=module.Mine)
        assert registry_fingerprint() not in (first, base)
    finally:
        unregister("mine")
    assert registry_fingerprint() == base
