"""The HTTP layer: pacing, retries, Retry-After, budgets, classification, no secrets."""

from __future__ import annotations

import httpx
import pytest

from harvester.config import load_settings
from harvester.errors import Blocked, InvalidResponse, NotFound, RateLimited, Unavailable
from harvester.http import default_classify, parse_retry_after, redact_url, user_agent


def sequence(*responses):
    """A handler answering the given responses in order, recording requests."""
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        item = responses[min(len(seen) - 1, len(responses) - 1)]
        if isinstance(item, Exception):
            raise item
        return item

    handler.seen = seen
    return handler


def test_retry_after_seconds_is_honoured_once(make_http, clock):
    handler = sequence(httpx.Response(429, headers={"Retry-After": "2"}), httpx.Response(200))
    http = make_http(handler)
    assert http.request("arxiv", "GET", "https://export.arxiv.org/api/query").status_code == 200
    assert clock.sleeps == [2.0]
    stats = http.stats("arxiv")
    assert (stats.requests, stats.retries, stats.exhausted) == (2, 1, False)


def test_retry_after_http_date():
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:10 GMT", now=1445412480.0) == 10.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None
    assert parse_retry_after("-5") == 0.0


def test_backoff_is_exponential_and_capped_by_budget(make_http, clock):
    http = make_http(sequence(httpx.Response(503)))
    with pytest.raises(Unavailable):
        http.request("crossref", "GET", "https://api.crossref.org/works/10.1/x")
    # jitter fixed at 0.5 → factor 1.0: 1, 2, 4, 8, 16, 32 (sum 63); the next (64) exceeds 90 - 63
    assert clock.sleeps == [1.0, 2.0, 4.0, 8.0, 16.0, 32.0]
    assert http.exhausted("crossref")
    # once exhausted, the source is not asked again this run
    with pytest.raises(Unavailable, match="budget"):
        http.request("crossref", "GET", "https://api.crossref.org/works/10.1/y")
    assert http.stats("crossref").requests == 7


def test_retry_after_beyond_max_wait_stops_the_source(make_http, clock):
    http = make_http(sequence(httpx.Response(429, headers={"Retry-After": "3600"})))
    with pytest.raises(RateLimited):
        http.request("github", "GET", "https://api.github.com/repos/a/b")
    assert clock.sleeps == []
    assert http.exhausted("github")


@pytest.mark.parametrize(
    ("status", "error"),
    [(404, NotFound), (410, NotFound), (403, Blocked), (401, Blocked), (400, InvalidResponse)],
)
def test_permanent_failures_are_not_retried(make_http, clock, status, error):
    handler = sequence(httpx.Response(status))
    http = make_http(handler)
    with pytest.raises(error):
        http.request("openreview", "GET", "https://api2.openreview.net/notes")
    assert len(handler.seen) == 1
    assert clock.sleeps == []


def test_accepted_statuses_are_returned(make_http):
    http = make_http(sequence(httpx.Response(400, text="<feed/>")))
    response = http.request("arxiv", "GET", "https://x/api/query", accept=(200, 400))
    assert response.status_code == 400


def test_connection_errors_and_timeouts_are_transient(make_http, clock, settings):
    handler = sequence(
        httpx.ConnectError("refused"), httpx.ReadTimeout("slow"), httpx.Response(200)
    )
    http = make_http(handler)
    assert http.request("biorxiv", "GET", "https://api.biorxiv.org/details").status_code == 200
    assert len(handler.seen) == 3


def test_timeouts_count_toward_the_budget(make_http, clock):
    def handler(request):
        clock.now += 20.0  # the request hung for the whole timeout
        raise httpx.ReadTimeout("slow")

    http = make_http(handler)
    with pytest.raises(Unavailable, match="no answer within 20 s"):
        http.request("neurips", "GET", "https://proceedings.neurips.cc/x")
    # 20 + 1 + 20 + 2 + 20 + 4 + 20 = 87 spent; the next wait (8) would exceed 90
    assert clock.sleeps == [1.0, 2.0, 4.0]
    assert http.exhausted("neurips")


def test_pacing_spaces_request_starts(make_http, clock, tmp_path):
    config = tmp_path / "harvest.toml"
    config.write_text("[sources.arxiv]\nmin_interval = 3.0\n")
    http = make_http(sequence(httpx.Response(200)), load_settings(config, environ={}))
    for _ in range(3):
        http.request("arxiv", "GET", "https://export.arxiv.org/api/query")
    assert clock.sleeps == pytest.approx([3.07, 3.07])  # 3 s + 2 % + 10 ms of margin


def test_messages_carry_no_query_string_or_headers(make_http):
    http = make_http(sequence(httpx.Response(500)))
    with pytest.raises(Unavailable) as info:
        http.request(
            "openalex",
            "GET",
            "https://api.openalex.org/works",
            params={"api_key": "SECRET-KEY"},
            headers={"x-api-key": "SECRET-HEADER"},
        )
    assert "SECRET" not in str(info.value)
    assert redact_url("https://u:p@h/x?api_key=1#f") == "https://h/x"


def test_user_agent_is_versioned_and_carries_contact():
    assert user_agent(None).startswith("awesome-harvester/")
    assert "mailto:me@example.org" in user_agent("me@example.org")


def test_default_classify_passes_success_and_304():
    request = httpx.Request("GET", "https://x")
    assert default_classify(httpx.Response(200, request=request)) is None
    assert default_classify(httpx.Response(304, request=request)) is None
    limited = default_classify(httpx.Response(429, headers={"retry-after": "7"}, request=request))
    assert isinstance(limited, RateLimited) and limited.retry_after == 7.0


def test_redirect_loops_are_invalid_responses_not_crashes(make_http):
    def handler(request):
        return httpx.Response(301, headers={"location": str(request.url)})

    http = make_http(handler)
    with pytest.raises(InvalidResponse, match="redirect loop"):
        http.request("neurips", "GET", "https://proceedings.neurips.cc/x", follow_redirects=True)


def test_ratelimit_reset_header_is_a_wait_hint():
    request = httpx.Request("GET", "https://api.openalex.org/works")
    error = default_classify(httpx.Response(429, headers={"ratelimit-reset": "3"},
                                            request=request))
    assert isinstance(error, RateLimited) and error.retry_after == 3.0
