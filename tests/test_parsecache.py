"""The parsed list kept in the record cache: the same entries and the same catalogue as a fresh
parse, and a fresh parse whenever the list or the parser changes."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from harvester import parsecache
from harvester.cache import RecordCache
from harvester.listsource import LoadedList, read_entries
from harvester.parsecache import read_entries_cached
from harvester.pipeline import RunOptions, harvest
from harvester.writers import catalog_json

LISTS = Path(__file__).parent / "data" / "lists"
NOW = datetime(2026, 6, 1, tzinfo=UTC)


def loaded(path: Path) -> LoadedList:
    return LoadedList(data=path.read_bytes(), source=str(path))


@pytest.fixture
def counted(monkeypatch):
    """How many times the list is really parsed."""
    calls: list[str] = []

    def parse(list_: LoadedList):
        calls.append(list_.source)
        return read_entries(list_)

    monkeypatch.setattr(parsecache, "read_entries", parse)
    return calls


@pytest.mark.parametrize("path", sorted(LISTS.glob("*.md")), ids=lambda p: p.stem)
def test_a_kept_parse_is_the_fresh_parse(path, tmp_path, counted):
    fresh = read_entries(loaded(path))
    with RecordCache(tmp_path) as cache:
        first = read_entries_cached(loaded(path), cache, NOW)
        kept = read_entries_cached(loaded(path), cache, NOW)
    assert len(counted) == 1  # the second came from the cache
    assert first == fresh
    assert kept == fresh  # entries, links (kind, id, label, url), lines, warnings, title


def test_a_changed_list_or_parser_is_parsed_again(tmp_path, counted, monkeypatch):
    path = sorted(LISTS.glob("*.md"))[0]
    changed = tmp_path / "list.md"
    with RecordCache(tmp_path / "cache") as cache:
        read_entries_cached(loaded(path), cache, NOW)
        read_entries_cached(LoadedList(data=path.read_bytes() + b"\n- **New** entry\n",
                                       source=str(path)), cache, NOW)
        assert len(counted) == 2
        changed.write_bytes(path.read_bytes())
        read_entries_cached(loaded(changed), cache, NOW)  # another list name: its own record
        assert len(counted) == 3
        monkeypatch.setattr(parsecache, "PARSER_VERSION", parsecache.PARSER_VERSION + 1)
        parsecache.fingerprint.cache_clear()
        try:
            read_entries_cached(loaded(changed), cache, NOW)
        finally:
            parsecache.fingerprint.cache_clear()
        assert len(counted) == 4


def test_the_fingerprint_follows_the_parser_sources_as_packages_or_modules(tmp_path,
                                                                          monkeypatch):
    assert len(parsecache.fingerprint()) == 64  # the real parser's modules are all found
    (tmp_path / "fppkg").mkdir()
    (tmp_path / "fppkg" / "__init__.py").write_text("")
    (tmp_path / "fppkg" / "rules.py").write_text("A = 1\n")
    (tmp_path / "fpmod.py").write_text("B = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(parsecache, "_FINGERPRINTED", ("fppkg", "fpmod"))
    seen = []
    for edit in (None, ("fppkg/rules.py", "A = 2\n"), ("fpmod.py", "B = 2\n")):
        if edit:
            (tmp_path / edit[0]).write_text(edit[1])
        parsecache.fingerprint.cache_clear()
        seen.append(parsecache.fingerprint())
    parsecache.fingerprint.cache_clear()
    assert len(set(seen)) == 3  # a change in a package's module or in a module: a new parse


def test_a_damaged_kept_parse_is_parsed_again(tmp_path, counted):
    path = sorted(LISTS.glob("*.md"))[0]
    with RecordCache(tmp_path) as cache:
        fresh = read_entries_cached(loaded(path), cache, NOW)
        key = next(iter(k for k in cache._cache if k.startswith("list-parse:")))
        record = cache._cache[key].replace('"entries": [[', '"entries": [[7, ')
        cache._cache[key] = record
        assert read_entries_cached(loaded(path), cache, NOW) == fresh
    assert len(counted) == 2


def test_the_catalogue_is_the_same_from_a_kept_parse(tmp_path, counted, settings):
    # every source off (nothing asked), the cache writable: the first run parses and keeps
    # the parse, the second reads it back; a third, with a new cache, parses afresh
    path = LISTS / "openlists__ElectrophysiologyData.md"
    outputs = []
    for cache_dir in ("cache", "cache", "other"):
        options = RunOptions(list_spec=str(path), output=tmp_path / "catalog.json",
                             cache_dir=tmp_path / cache_dir, only=frozenset())
        outputs.append(catalog_json(harvest(settings, options).catalog))
    assert len(counted) == 2
    assert outputs[0] == outputs[1] == outputs[2]
    assert '"entries": []' not in outputs[0]
