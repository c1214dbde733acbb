"""The record cache's bulk read: ``get_many`` answers exactly what ``get`` answers, key by key."""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from pathlib import Path

import pytest

from harvester.cache import CachedRecord, RecordCache

STAMP = "2024-01-01T00:00:00Z"


def _store(cache: RecordCache, source: str, key: str, text: object) -> None:
    """A stored value written as is (not through ``put``): what an older release, another
    program or damage may have left."""
    cache._cache.set(cache._key(source, key), text)


def _as_get(cache: RecordCache, source: str, keys: list[str]) -> dict[str, CachedRecord]:
    return {k: r for k in keys if (r := cache.get(source, k)) is not None}


@pytest.fixture
def cache(tmp_path: Path):
    with RecordCache(tmp_path / "cache") as c:
        yield c


def test_get_many_reads_what_get_reads_over_many_queries(cache):
    keys = [f"{i:05d}" for i in range(1234)]  # more than one query's worth
    for i, key in enumerate(keys):
        if i % 7:  # some keys have no record at all
            cache.put("arxiv", key, CachedRecord("ok", {"title": key, "n": i}, STAMP,
                                                 {"etag": f"W/{i}"}))
    cache.put("crossref", keys[0], CachedRecord("ok", {"title": "another source"}, STAMP))
    asked = [*keys, "missing", keys[3], keys[3]]  # unknown and repeated keys
    got = cache.get_many("arxiv", asked)
    assert got == _as_get(cache, "arxiv", asked)
    assert len(got) == len([i for i in range(1234) if i % 7])
    assert got[keys[1]] == CachedRecord("ok", {"title": keys[1], "n": 1}, STAMP, {"etag": "W/1"})
    assert keys[0] not in got  # the other source's record is not this one's
    assert cache.get_many("arxiv", []) == {}


def test_keys_of_any_text(cache):
    keys = ["10.1000/ünïcödé", "a:b:c", "with space", "quote'\"", "ARXIV:2306.14226", "%_*"]
    for key in keys:
        cache.put("semanticscholar", key, CachedRecord("ok", {"key": key}, STAMP))
    got = cache.get_many("semanticscholar", [*keys, "%", "_"])  # LIKE wildcards match nothing
    assert {k: r.data for k, r in got.items()} == {k: {"key": k} for k in keys}


@pytest.mark.parametrize(("text", "readable"), [
    ("not json", False),
    ('["ok", null, "x"]', False),  # not an object
    ('{"status": "ok", "data": [1], "fetched_at": "x", "validators": {}}', False),
    ('{"status": "ok", "data": null, "fetched_at": 5, "validators": {}}', False),
    ('{"status": "ok", "data": {}, "fetched_at": "x", "validators": {}, "extra": 1}', False),
    ('{"status": "ok", "data": {"v": NaN}, "fetched_at": "x", "validators": {}}', True),
    ('{"status": "ok", "data": {"v": "\\ud800"}, "fetched_at": "x", "validators": {}}', True),
    ('{"status": "ok", "data": {"v": 1e400}, "fetched_at": "x", "validators": {}}', True),
    ('{"status": "ok", "data": ' + '{"v": ' * 2000 + "1" + "}" * 2001
     + ', "fetched_at": "x"}', False),  # too deep for either reader
    (b"bytes", False),
    (12, False),
])
def test_an_odd_stored_value_reads_as_get_reads_it(cache, text, readable):
    _store(cache, "arxiv", "odd", text)
    cache.put("arxiv", "good", CachedRecord("ok", {"v": 1}, STAMP))
    got = cache.get_many("arxiv", ["odd", "good"])
    expected = _as_get(cache, "arxiv", ["odd", "good"])
    assert ("odd" in expected) is readable
    assert got.keys() == expected.keys()
    if readable:  # NaN is not equal to itself: compare what the stdlib writes back
        assert json.dumps(got["odd"].data) == json.dumps(expected["odd"].data)


def test_integers_beyond_64_bits_stay_exact(cache):
    # orjson would read these as floats; a record holding one is read by the stdlib
    big = {"github_id": 2**70, "ids": {"n": -(2**63) - 1}, "list": [10**25]}
    cache.put("github", "big", CachedRecord("ok", big, STAMP))
    for i in range(20):
        cache.put("github", f"small{i}", CachedRecord("ok", {"github_id": 2**62 + i}, STAMP))
    got = cache.get_many("github", ["big", *(f"small{i}" for i in range(20))])
    assert got["big"].data == big
    assert type(got["big"].data["github_id"]) is int
    assert got["small3"].data == {"github_id": 2**62 + 3}
    # a long run of digits inside a text is only text
    cache.put("github", "text", CachedRecord("ok", {"d": "id: 12345678901234567890123"}, STAMP))
    assert cache.get_many("github", ["text"])["text"].data == {"d": "id: 12345678901234567890123"}


def test_a_record_kept_in_a_file_is_read(cache, tmp_path):
    # diskcache keeps a text of 32 KiB or more in a file beside the database
    large = CachedRecord("ok", {"abstract": "x" * 40_000}, STAMP)
    cache.put("crossref", "large", large)
    cache.put("crossref", "small", CachedRecord("ok", {"abstract": "y"}, STAMP))
    assert list((tmp_path / "cache").rglob("*.val"))
    assert cache.get_many("crossref", ["large", "small"]) == {
        "large": large, "small": CachedRecord("ok", {"abstract": "y"}, STAMP)}


def test_a_cache_counting_hits_is_read_key_by_key(cache):
    # diskcache's statistics count every read: the bulk read leaves such a cache to ``get``
    for key in "abc":
        cache.put("arxiv", key, CachedRecord("ok", {"k": key}, STAMP))
    cache._cache.stats(enable=True)
    assert set(cache.get_many("arxiv", ["a", "b", "c", "d"])) == {"a", "b", "c"}
    assert cache._cache.stats() == (3, 1)


def test_many_threads_read_at_once(cache):
    for i in range(600):
        cache.put("arxiv", str(i), CachedRecord("ok", {"i": i}, STAMP))
    expected = _as_get(cache, "arxiv", [str(i) for i in range(600)])
    answers: list[dict[str, CachedRecord]] = []
    errors: list[BaseException] = []

    def read() -> None:
        try:
            for _ in range(5):
                answers.append(cache.get_many("arxiv", [str(i) for i in range(600)]))
        except BaseException as exc:  # a failure in a thread must fail the test
            errors.append(exc)

    threads = [threading.Thread(target=read) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(answers) == 40 and all(answer == expected for answer in answers)
    assert len(cache._reader_connections) == 8  # one per thread that read


def _rows(folder: Path) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(folder / "cache.db")
    try:
        return connection.execute("SELECT key, raw, mode, filename, value FROM Cache"
                                  " ORDER BY key").fetchall()
    finally:
        connection.close()


def test_a_readonly_cache_is_left_as_it_was(tmp_path):
    folder = tmp_path / "cache"
    with RecordCache(folder) as writable:
        for i in range(50):
            writable.put("arxiv", str(i), CachedRecord("ok", {"i": i}, STAMP))
    files, rows = sorted(p.name for p in folder.iterdir()), _rows(folder)
    with RecordCache(folder, readonly=True) as cache:
        assert len(cache.get_many("arxiv", [str(i) for i in range(60)])) == 50
        cache.put("arxiv", "new", CachedRecord("ok", {}, STAMP))
    # the records as they were, and no journal left beside the database (the read-only
    # connections close before diskcache's, which then tidies up)
    assert sorted(p.name for p in folder.iterdir()) == files == ["cache.db"]
    assert _rows(folder) == rows


def test_a_database_damaged_before_a_bulk_read_is_moved_aside(tmp_path):
    folder = tmp_path / "cache"
    with RecordCache(folder) as cache:
        for i in range(2000):
            cache.put("x", str(i), CachedRecord("ok", {"pad": "y" * 200}, STAMP))
    size = (folder / "cache.db").stat().st_size
    with (folder / "cache.db").open("r+b") as handle:
        handle.seek(size // 3)
        handle.write(os.urandom(size // 3))
    with RecordCache(folder) as cache:
        got = cache.get_many("x", [str(i) for i in range(2000)])  # never raises
        assert len(got) < 2000
        assert all(record.data == {"pad": "y" * 200} for record in got.values())
        assert len(cache.warnings) == 1 and "moved to" in cache.warnings[0]
        cache.put("x", "new", CachedRecord("ok", {"v": 1}, STAMP))  # the new cache works
        assert cache.get_many("x", ["new", "0"]) == {"new": CachedRecord("ok", {"v": 1}, STAMP)}
    assert len(list(tmp_path.glob("cache.broken-*"))) == 1


def test_a_database_that_fails_the_bulk_read_is_read_by_get(cache, monkeypatch):
    for key in "ab":
        cache.put("arxiv", key, CachedRecord("ok", {"k": key}, STAMP))

    def broken(*_args: object) -> sqlite3.Connection:
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(cache, "_reader", broken)
    assert set(cache.get_many("arxiv", ["a", "b", "c"])) == {"a", "b"}
    assert cache.warnings == []  # only ``get`` decides a database is damaged


def test_a_disabled_cache_reads_nothing(cache):
    cache.put("arxiv", "a", CachedRecord("ok", {}, STAMP))
    cache._disabled = True
    assert cache.get_many("arxiv", ["a"]) == {}


def test_a_folder_of_any_name_is_read_in_bulk(tmp_path, monkeypatch):
    with RecordCache(tmp_path / "ca che?#%20ü") as cache:
        cache.put("arxiv", "a", CachedRecord("ok", {"k": "a"}, STAMP))
        monkeypatch.setattr(cache, "get", lambda *args: pytest.fail("read key by key"))
        assert cache.get_many("arxiv", ["a", "b"]) == {"a": CachedRecord("ok", {"k": "a"}, STAMP)}


def test_reads_while_another_thread_writes(cache, monkeypatch):
    for i in range(300):
        cache.put("arxiv", str(i), CachedRecord("ok", {"i": i, "round": 0}, STAMP))
    monkeypatch.setattr(cache, "get", lambda *args: pytest.fail("read key by key"))
    done = threading.Event()
    errors: list[BaseException] = []
    seen: list[dict[str, CachedRecord]] = []

    def write() -> None:
        for round_ in range(1, 4):
            for i in range(300):
                cache.put("arxiv", str(i), CachedRecord("ok", {"i": i, "round": round_}, STAMP))
        done.set()

    def read() -> None:
        try:
            while not done.is_set():
                seen.append(cache.get_many("arxiv", [str(i) for i in range(300)]))
        except BaseException as exc:  # a failure in a thread must fail the test
            errors.append(exc)

    threads = [threading.Thread(target=write), *(threading.Thread(target=read) for _ in range(3))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and cache.warnings == []
    assert seen and all(len(answer) == 300 for answer in seen)  # every record, old or new
    assert all(record.data["i"] == int(key) for answer in seen for key, record in answer.items())
    assert cache.get_many("arxiv", ["7"])["7"].data == {"i": 7, "round": 3}  # the last write


def test_plain_texts_are_kept_and_read_in_bulk(tmp_path):
    texts = {f"k{i}": f"fingerprint\n    {{\"n\": {i}}}" for i in range(700)}
    texts["long"] = "x" * 100_000  # beyond diskcache's inline size: kept in a file
    with RecordCache(tmp_path) as cache:
        cache.put_texts("entry-memo", texts)
        got = cache.get_texts("entry-memo", [*texts, "missing"])
        assert got == texts
        assert cache.get_texts("other-source", list(texts)) == {}
    with RecordCache(tmp_path, readonly=True) as cache:
        cache.put_texts("entry-memo", {"k0": "changed"})
        assert cache.get_texts("entry-memo", ["k0"]) == {"k0": texts["k0"]}
