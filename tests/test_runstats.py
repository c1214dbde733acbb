"""Look-up figures counted from results, lane figures measured by the HTTP layer; the summary
and run.json show both as before."""

from __future__ import annotations

from datetime import timedelta

from harvester.cache import CachedRecord, RecordCache, iso, utcnow
from harvester.cli import run_facts
from harvester.config import load_settings
from harvester.errors import NotFound, RateLimited
from harvester.http import LaneStats
from harvester.pipeline import RunOptions, harvest
from harvester.runstats import LookupStats, SourceStats
from harvester.sources.base import Fetched, NotModified, run_source
from tests.fakeapi import FakeAPI, World
from tests.harness import NEUROFM, Harvest
from tests.test_console import report
from tests.test_run_source import FakeSource


def test_lookups_are_counted_from_their_results(make_http, settings, tmp_path):
    now = utcnow()
    answers = {"new": Fetched({"title": "n"}), "gone": NotFound("no"),
               "same": NotModified({"etag": "2"}), "busy": RateLimited("429"),
               "nothing": NotModified()}
    source = FakeSource(make_http(lambda r: None), settings,
                        lambda keys: {k: answers[k] for k in keys if k in answers})
    with RecordCache(tmp_path / "cache") as cache:
        cache.put("arxiv", "fresh", CachedRecord("ok", {"title": "f"}, iso(now)))
        for key in ("same", "busy"):
            cache.put("arxiv", key, CachedRecord("ok", {"title": key}, iso(now - timedelta(999))))
        keys = ["fresh", "new", "gone", "same", "busy", "nothing", "missing", "new"]
        results = run_source(source, keys, cache, "normal", now)
        tally = LookupStats()
        tally.add(results.values())
        offline = LookupStats()
        offline.add(run_source(source, ["fresh", "unknown"], cache, "offline", now).values())
    # fresh: cached; new, gone: fetched; same: 304; busy, nothing (304 with nothing cached),
    # missing (no record in the answer): failed; "new" asked twice counts once
    assert tally == LookupStats(asked=7, cached=1, fetched=2, not_modified=1, failed=3)
    assert offline == LookupStats(asked=2, cached=1)
    assert source.http.stats("arxiv") == LaneStats()  # the fake source sent no request


def test_run_json_and_the_summary_show_both_kinds_of_figure():
    lane = LaneStats(requests=21, retries=3, waited=1.23456, exhausted=True,
                     notes={"quota_remaining": {"core": 7}})
    stats = SourceStats.of(LookupStats(asked=9, cached=2, fetched=4, not_modified=1, failed=2),
                           lane)
    facts = run_facts(report(github=stats), 2)
    assert list(facts["sources"]["github"].items()) == [
        ("asked", 9), ("cached", 2), ("fetched", 4), ("not_modified", 1), ("failed", 2),
        ("requests", 21), ("retries", 3), ("waited_seconds", 1.235), ("stopped", True),
        ("quota_remaining", {"core": 7}),
    ]


def test_a_cold_warm_and_refresh_run_count_what_happened(tmp_path, monkeypatch):
    with FakeAPI(World.neurofm()) as api:
        for name, value in Harvest(tmp_path, api).env.items():
            monkeypatch.setenv(name, value)
        monkeypatch.chdir(tmp_path)
        settings = load_settings(None)
        figures = {}
        for run, refresh in (("cold", False), ("warm", False), ("refresh", True)):
            api.reset_counts()
            options = RunOptions(list_spec=str(NEUROFM), output=tmp_path / "catalog.json",
                                 cache_dir=tmp_path / "cache", refresh=refresh)
            figures[run] = (harvest(settings, options).stats, api.counts)
    cold, warm, refresh = (figures[run][0] for run in ("cold", "warm", "refresh"))
    assert cold["arxiv"].asked == 6 and cold["arxiv"].fetched == 6
    for name, st in cold.items():
        assert st.cached == 0 and st.asked == st.fetched + st.failed, name
        assert st.failed == 0 and st.requests == figures["cold"][1].get(name, st.requests), name
    for name, st in warm.items():
        assert (st.cached, st.fetched, st.requests) == (st.asked, 0, 0), name
    for name, st in refresh.items():
        assert st.cached == 0 and st.fetched + st.not_modified == st.asked, name
    assert refresh["github"].not_modified > 0  # GitHub answers 304 to the ETags
