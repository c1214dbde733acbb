"""Hardening below the HTTP layer: parsers that raise, impossible values, a damaged cache, the
list's credentials, HTML pages, deep nesting and the empty-list guard (unit level; the
end-to-end cases are in test_hostile.py)."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest

from harvester.cache import CachedRecord, RecordCache, iso, utcnow
from harvester.errors import InvalidResponse, ListError
from harvester.listsource import (
    LoadedList,
    guard_entries,
    looks_like_html,
    public_spec,
    read_entries,
)
from harvester.models import Paper, RepoFields, Summary
from harvester.sanity import impossible
from harvester.sources.base import Fetched, Source, run_source


class RaisingSource(Source):
    name = "crossref"

    def __init__(self, http, settings, answer):
        super().__init__(http, settings)
        self.answer = answer

    def fetch(self, keys, cached):
        return self.answer(keys)


@pytest.fixture
def cache(tmp_path):
    with RecordCache(tmp_path / "cache") as c:
        yield c


def _deep(keys):
    import json

    json.loads("[" * 100_000 + "]" * 100_000)  # RecursionError, as a parser meets it
    return {}


def test_whatever_a_parser_raises_stays_in_its_source(make_http, settings, cache):
    now = utcnow()
    cache.put("crossref", "10.1/a", CachedRecord("ok", {"title": "kept"}, iso(now - timedelta(
        days=90))))
    source = RaisingSource(make_http(lambda r: None), settings, _deep)
    results = run_source(source, ["10.1/a", "10.1/b"], cache, "refresh", now)
    assert results["10.1/a"].status == "failed" and results["10.1/a"].stale
    assert results["10.1/a"].record == {"title": "kept"}
    assert isinstance(results["10.1/b"].error, InvalidResponse)
    assert "RecursionError" in results["10.1/b"].error.message


def test_an_impossible_value_fails_that_record_only(make_http, settings, cache):
    answers = {"10.1/a": Fetched({"title": "A", "citation_count": 10**30}),
               "10.1/b": Fetched({"title": "B", "citation_count": 3, "published": "2024-02-29"}),
               "10.1/c": Fetched({"title": "C", "published": "2999-99-99"})}
    source = RaisingSource(make_http(lambda r: None), settings, lambda keys: answers)
    results = run_source(source, list(answers), cache, "refresh", utcnow())
    assert results["10.1/b"].status == "ok"
    for key in ("10.1/a", "10.1/c"):
        assert results[key].error.kind == "invalid_response", key
        assert cache.get("crossref", key) is None  # nothing impossible is cached


@pytest.mark.parametrize(("record", "bad"), [
    ({"stars": -1}, True), ({"stars": 2**53}, False), ({"stars": 2**53 + 1}, True),
    ({"forks": True}, True), ({"pushed_at": "2999-99-99T00:00:00Z"}, True),
    ({"pushed_at": "2024-05-01T12:00:00Z"}, False), ({"published": "2023-02-29"}, True),
    ({"year": 20231}, True), ({"year": 2023}, False), ({"citation_count": None}, False),
])
def test_impossible_values(record, bad):
    assert (impossible(record) is not None) is bad


def test_the_schema_states_the_bounds():
    paper = Paper.model_json_schema()["properties"]
    counts = paper["citation_count"]["anyOf"][0]
    assert counts["minimum"] == 0 and counts["maximum"] == 2**53
    assert "pattern" in paper["published"]["anyOf"][0]
    repo = RepoFields.model_json_schema()["properties"]
    assert repo["stars"]["maximum"] == 2**53 and "pattern" in repo["pushed_at"]["anyOf"][0]
    with pytest.raises(ValueError):
        Paper(title="x", published="2023-02-30")


# ------------------------------------------------------------------------------ cache


def test_a_record_fetched_in_the_future_is_not_fresh():
    now = utcnow()
    record = CachedRecord("ok", {}, iso(now + timedelta(days=3650)))
    assert not record.is_fresh(7 * 86400, now)
    assert not CachedRecord("ok", {}, "garbage").is_fresh(7 * 86400, now)
    assert CachedRecord("ok", {}, iso(now - timedelta(hours=1))).is_fresh(7 * 86400, now)


def test_a_database_damaged_in_use_is_moved_aside(tmp_path):
    folder = tmp_path / "cache"
    with RecordCache(folder) as cache:
        for i in range(2000):
            cache.put("x", str(i), CachedRecord("ok", {"pad": "y" * 200}, "2024-01-01T00:00:00Z"))
    size = (folder / "cache.db").stat().st_size
    with (folder / "cache.db").open("r+b") as handle:
        handle.seek(size // 3)
        handle.write(os.urandom(size // 3))
    with RecordCache(folder) as cache:
        results = [cache.get("x", str(i)) for i in range(0, 2000, 50)]  # never raises
        assert any(r is None for r in results)
        cache.put("x", "new", CachedRecord("ok", {"v": 1}, "2024-01-01T00:00:00Z"))
        assert cache.get("x", "new").data == {"v": 1}
        assert len(cache.warnings) == 1 and "moved to" in cache.warnings[0]
    assert len(list(tmp_path.glob("cache.broken-*"))) == 1


# ------------------------------------------------------------------------------ the list


def test_list_urls_lose_credentials_and_query():
    assert public_spec("https://alice:pw@host:8443/l.md?token=t#x") == "https://host:8443/l.md"
    assert public_spec("github:o/r") == "github:o/r"
    assert public_spec("list.md") == "list.md"


@pytest.mark.parametrize(("data", "ctype", "html"), [
    (b"<!DOCTYPE html><html><body>Sign in", "", True),
    (b"\n  <html lang=en><head>", "text/plain", True),
    (b"<!-- c --><HTML>", "", True),
    (b'<p align="center"><img src=x></p>\n# Awesome\n- [a](b)', "text/html", False),
    (b"# Awesome\n\n- item", "text/html", False),
    (b"<div>\n<body>", "text/html; charset=utf-8", True),
])
def test_html_pages_are_told_from_markdown(data, ctype, html):
    assert looks_like_html(data, ctype) is html



def test_a_list_the_parser_cannot_read_is_a_list_error(monkeypatch):
    import harvester.listsource as listsource

    def explode(text):
        raise RecursionError("too deep")

    monkeypatch.setattr(listsource, "parse_list", explode)
    with pytest.raises(ListError, match="could not be parsed"):
        read_entries(LoadedList(b"- x", "list.md"))


def _summary(entries: int) -> Summary:
    return Summary(entries=entries, papers=0, with_abstract=0, with_citations=0, repos=0,
                   stale_values=0, errors=0)


def test_the_empty_list_guard():
    with pytest.raises(ListError, match="--allow-empty"):
        guard_entries(0, _summary(24), allow_empty=False)
    assert guard_entries(0, _summary(24), allow_empty=True)  # allowed, still shouted about
    assert guard_entries(0, None, allow_empty=False) == []
    assert guard_entries(0, _summary(0), allow_empty=False) == []
    assert "24 → 11" in guard_entries(11, _summary(24), allow_empty=False)[0]
    assert guard_entries(12, _summary(24), allow_empty=False) == []


def test_only_credentials_and_secret_query_values_of_a_list_url_are_secrets():
    from harvester.errors import redact
    from harvester.listsource import _register_url_secrets

    _register_url_secrets("https://alice:pa55word@lists.example/raw/list.md"
                          "?raw=true&ref=main&token=t0k3n-value&sig=s1gnature", None)
    text = "a true story on main by alice: pa55word t0k3n-value s1gnature"
    assert redact(text) == "a true story on main by alice: [redacted] [redacted] [redacted]"
    _register_url_secrets("https://ghtok3n-alone@lists.example/list.md", None)
    assert redact("sent ghtok3n-alone") == "sent [redacted]"


def _offline(tmp_path, *extra):
    import subprocess
    import sys

    lst = tmp_path / "list.md"
    lst.write_text("# L\n\n## Papers\n\n- **POYO**: A framework [paper](https://arxiv.org/abs/2310.16046)\n",
                   encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "harvester", "--offline", "--list", str(lst),
                           "--output", str(tmp_path / "out" / "catalog.json"),
                           "--cache-dir", str(tmp_path / "cache"), *extra],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)


def test_a_previous_catalogue_todays_models_reject_is_a_warning_not_a_traceback(tmp_path):
    import json

    (tmp_path / "out").mkdir()
    assert _offline(tmp_path).returncode == 0
    path = tmp_path / "out" / "catalog.json"
    catalog = json.loads(path.read_text(encoding="utf-8"))
    entry = catalog["entries"][0]
    # what an older release let through: an impossible date, authors as plain strings
    entry["paper"] = {"title": "A framework", "published": "2023-02-30", "authors": ["X"]}
    entry["provenance"] = {"paper.title": "arxiv", "paper.published": "arxiv",
                           "paper.authors": "arxiv"}
    path.write_text(json.dumps(catalog), encoding="utf-8")
    done = _offline(tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "not readable as today's catalogue" in done.stderr
    assert json.loads(path.read_text(encoding="utf-8"))["entries"][0]["key"] == entry["key"]


def test_an_unreadable_history_is_a_warning_after_the_catalogue_is_written(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "history.jsonl").write_bytes(b"\xff\xfe not text\n")
    done = _offline(tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "history not updated" in done.stderr
    assert (tmp_path / "out" / "catalog.json").is_file()


def test_a_lone_surrogate_in_any_json_answer_becomes_a_replacement_character():
    # JSON may escape half of a UTF-16 pair on its own; kept as it is, no catalogue holding it
    # could be written (UTF-8 has no such character). Every source's JSON reader mends it;
    # a whole pair (an emoji) is kept.
    import json

    import httpx

    from harvester.sources.coerce import json_object
    from harvester.sources.github.common import json_body
    from harvester.sources.openreview import read_notes
    from harvester.sources.semanticscholar.records import read_json

    body = b'{"notes": [{"title": "A \\ud800 B \\ud83d\\ude00", "x": ["\\uDC00"]}]}'
    readers = [
        lambda b: json_object(b, "crossref"),
        json_body,
        read_json,
        lambda b: {"notes": read_notes(httpx.Response(200, content=b))},
    ]
    for read in readers:
        note = read(body)["notes"][0]
        assert note["title"] == "A \ufffd B \U0001f600" and note["x"] == ["\ufffd"]
        assert json.dumps(note, ensure_ascii=False).encode("utf-8")  # writable as UTF-8
