"""run_source: one cache policy for every source (fresh, refresh, offline, failures)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from harvester.cache import CachedRecord, RecordCache, iso, utcnow
from harvester.errors import RateLimited
from harvester.sources.base import Fetched, NotModified, Source, run_source


class FakeSource(Source):
    name = "arxiv"

    def __init__(self, http, settings, answers):
        super().__init__(http, settings)
        self.answers = answers
        self.calls = []

    def fetch(self, keys, cached):
        self.calls.append((list(keys), dict(cached)))
        answer = self.answers(keys)
        if isinstance(answer, Exception):
            raise answer
        return answer


@pytest.fixture
def cache(tmp_path):
    with RecordCache(tmp_path / "cache") as c:
        yield c


def test_batches_cache_and_fresh_reuse(make_http, settings, cache):
    source = FakeSource(make_http(lambda r: None), settings,
                        lambda keys: {k: Fetched({"title": k}) for k in keys})
    now = utcnow()
    keys = [f"{i:04d}.0000" for i in range(450)]
    results = run_source(source, keys + keys[:3], cache, "normal", now)
    assert len(results) == 450
    assert [len(c[0]) for c in source.calls] == [200, 200, 50]
    again = run_source(source, keys, cache, "normal", now + timedelta(days=1))
    assert len(source.calls) == 3  # all fresh: nothing asked
    assert again["0000.0000"].record == {"title": "0000.0000"}


def test_expired_records_are_fetched_again(make_http, settings, cache):
    source = FakeSource(make_http(lambda r: None), settings, lambda keys: {
        k: Fetched({"title": "new"}) for k in keys})
    old = utcnow() - timedelta(days=60)
    cache.put("arxiv", "1", CachedRecord("ok", {"title": "old"}, iso(old)))
    result = run_source(source, ["1"], cache, "normal", utcnow())["1"]
    assert result.record == {"title": "new"} and not result.stale


def test_failure_keeps_the_last_good_value_as_stale(make_http, settings, cache):
    source = FakeSource(make_http(lambda r: None), settings,
                        lambda keys: RateLimited("HTTP 429", source="arxiv"))
    old = utcnow() - timedelta(days=60)
    cache.put("arxiv", "1", CachedRecord("ok", {"title": "old"}, iso(old)))
    results = run_source(source, ["1", "2"], cache, "refresh", utcnow())
    assert results["1"].status == "failed" and results["1"].stale
    assert results["1"].record == {"title": "old"} and results["1"].fetched_at == iso(old)
    assert results["1"].error.kind == "rate_limited"
    assert results["2"].status == "failed" and results["2"].record is None
    # the cache still holds the old record, untouched
    assert cache.get("arxiv", "1").data == {"title": "old"}


def test_not_found_is_an_answer_and_cached(make_http, settings, cache):
    source = FakeSource(make_http(lambda r: None), settings, lambda keys: {
        k: Fetched(None) for k in keys})
    result = run_source(source, ["9"], cache, "normal", utcnow())["9"]
    assert result.status == "not_found" and result.error is None
    assert cache.get("arxiv", "9").status == "not_found"


def test_not_modified_renews_the_record(make_http, settings, cache):
    old = utcnow() - timedelta(days=60)
    cache.put("arxiv", "1", CachedRecord("ok", {"title": "t"}, iso(old), {"etag": "W/1"}))
    source = FakeSource(make_http(lambda r: None), settings, lambda keys: {
        k: NotModified() for k in keys})
    now = utcnow()
    result = run_source(source, ["1"], cache, "refresh", now)["1"]
    assert source.calls[0][1]["1"].validators == {"etag": "W/1"}
    assert result.record == {"title": "t"} and result.fetched_at == iso(now)
    assert cache.get("arxiv", "1").validators == {"etag": "W/1"}


def test_offline_reads_any_age_and_writes_nothing(make_http, settings, tmp_path):
    with RecordCache(tmp_path / "c") as writable:
        writable.put("arxiv", "1", CachedRecord("ok", {"title": "t"}, "2001-01-01T00:00:00Z"))
    with RecordCache(tmp_path / "c", readonly=True) as cache:
        source = FakeSource(make_http(lambda r: None), settings, lambda keys: {})
        results = run_source(source, ["1", "2"], cache, "offline", utcnow())
        assert results["1"].record == {"title": "t"} and not results["1"].stale
        assert results["2"].status == "absent"
        assert source.calls == []


def test_a_missing_answer_is_an_invalid_response(make_http, settings, cache):
    source = FakeSource(make_http(lambda r: None), settings, lambda keys: {})
    result = run_source(source, ["1"], cache, "normal", utcnow())["1"]
    assert result.status == "failed" and result.error.kind == "invalid_response"


def test_a_batch_error_names_each_key(make_http, settings, cache):
    source = FakeSource(make_http(lambda r: None), settings,
                        lambda keys: RateLimited("HTTP 429", source="arxiv"))
    results = run_source(source, ["a", "b"], cache, "normal", utcnow())
    assert [results[k].error.ref for k in ("a", "b")] == ["a", "b"]


def test_a_batch_wide_not_found_is_not_cached_as_missing_ids(make_http, settings, cache):
    from harvester.errors import NotFound

    source = FakeSource(make_http(lambda r: None), settings,
                        lambda keys: NotFound("HTTP 404 from POST https://x/wrong-root"))
    results = run_source(source, ["a", "b"], cache, "normal", utcnow())
    assert {r.error.kind for r in results.values()} == {"invalid_response"}
    assert cache.get("arxiv", "a") is None


@pytest.mark.parametrize("permanent", [True, False])
def test_a_permanent_source_never_unknows_a_record_it_answered(make_http, settings, cache,
                                                               permanent):
    # arXiv (SourceSpec.permanent) never deletes a paper: leaving out one it answered before is
    # a broken answer that keeps the record; for other sources "not found" is an answer
    cache.put("arxiv", "1", CachedRecord("ok", {"title": "kept"}, iso(utcnow())))
    source = FakeSource(make_http(lambda r: None), settings,
                        lambda keys: {k: Fetched(None) for k in keys})
    result = run_source(source, ["1", "2"], cache, "refresh", utcnow(), permanent=permanent)
    if permanent:
        assert result["1"].status == "failed" and result["1"].stale
        assert result["1"].record == {"title": "kept"}
        assert "which it knew before" in str(result["1"].error)
    else:
        assert result["1"].status == "not_found" and result["1"].record is None
    assert result["2"].status == "not_found"  # never answered: unknown is an answer


def test_cached_records_are_read_in_bulk_and_still_checked(make_http, settings, cache,
                                                           monkeypatch):
    import json

    now = utcnow()
    keys = [str(i) for i in range(700)]
    for key in keys:
        cache.put("arxiv", key, CachedRecord("ok", {"title": key}, iso(now)))
    # kept by an older release that did not check: an impossible year is as good as no record
    cache._cache.set(cache._key("arxiv", "bad"), json.dumps(
        {"status": "ok", "data": {"year": 99999}, "fetched_at": iso(now), "validators": {}}))
    monkeypatch.setattr(cache, "get", lambda *args: pytest.fail("read key by key"))
    source = FakeSource(make_http(lambda r: None), settings,
                        lambda keys: {k: Fetched({"title": "new"}) for k in keys})
    results = run_source(source, [*keys, "bad", "absent"], cache, "normal", now)
    assert results["5"].record == {"title": "5"} and results["5"].via == "cache"
    assert source.calls == [(["bad", "absent"], {})]  # nothing cached offered for either
    assert results["bad"].record == {"title": "new"}
