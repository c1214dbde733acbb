"""The list is remembered under the sources' one memory rule: an answer is cached and used, a
failure (a 404 included) keeps the last copy with a warning, the snapshot is the last resort
for the default list."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from harvester.cache import RecordCache, utcnow
from harvester.config import DEFAULT_LIST
from harvester.errors import ListError
from harvester.listsource import load_list, snapshot

URL = "https://lists.example.org/papers.md?token=list-token-1234"
PUBLIC = "https://lists.example.org/papers.md"


class Serving:
    """Answers every request with ``status`` and ``body`` (changed between runs)."""

    def __init__(self, status: int, body: bytes) -> None:
        self.status, self.body = status, body

    def __call__(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(self.status, content=self.body,
                              headers={"content-type": "text/markdown"})


@pytest.mark.parametrize("status", [404, 410, 503])
def test_a_list_that_fails_after_a_good_read_keeps_its_last_copy(status, make_http, tmp_path):
    now = utcnow()
    server = Serving(200, b"# Papers\n\n- one\n")
    with RecordCache(tmp_path / "cache") as cache:  # three runs, each with its own Http
        first = load_list(URL, make_http(server), cache, now, offline=False)
        server.status, server.body = status, b"gone"
        failed = load_list(URL, make_http(server), cache, now + timedelta(days=1), offline=False)
        server.status, server.body = 200, b"# Papers\n\n- two\n"
        again = load_list(URL, make_http(server), cache, now + timedelta(days=2), offline=False)
        stored = cache.get("list", PUBLIC)
    assert (first.data, first.fallback, first.warnings) == (b"# Papers\n\n- one\n", None, [])
    assert failed.data == first.data and failed.fallback == "cache"
    [warning] = failed.warnings
    assert warning.startswith(f"list {PUBLIC} could not be fetched (HTTP {status}")
    assert "using the copy read at" in warning and "list-token" not in warning
    # the failure did not replace the copy; the next answer does
    assert again.data == b"# Papers\n\n- two\n" and again.fallback is None
    assert stored is not None and stored.status == "ok"
    assert stored.data == {"text": "# Papers\n\n- two\n"}


def test_a_list_never_read_that_fails_is_an_error(make_http, tmp_path):
    http = make_http(Serving(404, b"gone"))
    with RecordCache(tmp_path / "cache") as cache:
        with pytest.raises(ListError) as info:
            load_list(URL, http, cache, utcnow(), offline=False)
        assert cache.get("list", PUBLIC) is None  # "not found" is not cached as the list
    assert "HTTP 404" in str(info.value) and "list-token" not in str(info.value)


def test_the_default_list_offline_with_nothing_cached_is_the_snapshot(tmp_path):
    with RecordCache(tmp_path / "cache") as cache:
        loaded = load_list(DEFAULT_LIST, None, cache, utcnow(), offline=True)
    assert loaded.data == snapshot() and loaded.fallback == "snapshot"
    assert "snapshot bundled" in loaded.warnings[0]
