"""The HTTP layer: pacing, retries, Retry-After, budgets, classification, no secrets."""

from __future__ import annotations

import gzip
import itertools
import threading
import time
import zlib

import httpx
import pytest
from pydantic import SecretStr

from harvester.config import load_settings
from harvester.errors import (
    Blocked,
    Interrupted,
    InvalidResponse,
    NotFound,
    RateLimited,
    TooLarge,
    Unavailable,
    Unreachable,
    clean_text,
    register_secret,
)
from harvester.http import Http, default_classify, parse_retry_after, redact_url, user_agent


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


def test_the_first_requests_setup_is_paid_before_its_pace_slot(make_http, clock, tmp_path,
                                                                 monkeypatch):
    # making the client (imports, TLS context) takes time on the first request; paid after
    # the slot, it would send that request late and the next one too close behind it
    config = tmp_path / "harvest.toml"
    config.write_text("[sources.semanticscholar]\nmin_interval = 1.0\n")
    arrivals: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        arrivals.append(clock.now)
        return httpx.Response(200, json={})

    http = make_http(handler, load_settings(config, environ={}))
    made = type(http).client

    def slow_client(self):
        if self._client is None:
            clock.now += 0.5  # the first client costs half a second
        return made.fget(self)

    monkeypatch.setattr(type(http), "client", property(slow_client))
    for _ in range(3):
        http.request("semanticscholar", "GET", "https://api.semanticscholar.org/x")
    gaps = [b - a for a, b in itertools.pairwise(arrivals)]
    assert gaps and min(gaps) >= 1.0


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


# ------------------------------------------------------------------------------ bounds


class Chunks(httpx.SyncByteStream):
    """A response body produced piece by piece, as a network transport streams it."""

    def __init__(self, chunks, on_chunk=None) -> None:
        self.chunks, self.on_chunk, self.sent = chunks, on_chunk, 0

    def __iter__(self):
        for chunk in self.chunks:
            if self.on_chunk:
                self.on_chunk()
            self.sent += len(chunk)
            yield chunk


def _gzip_bomb(mib: int):
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = b"\0" * (1024 * 1024)
    for _ in range(mib):
        yield packer.compress(zeros)
    yield packer.flush()


def test_a_gzip_bomb_stops_at_the_cap_after_decompression(make_http):
    body = Chunks(_gzip_bomb(1024))  # 1 MB on the wire, 1 GiB inflated

    def handler(request):
        return httpx.Response(200, headers={"content-encoding": "gzip"}, stream=body)

    http = make_http(handler)
    with pytest.raises(TooLarge, match="larger than 8388608 bytes"):
        http.request("semanticscholar", "GET", "https://api.semanticscholar.org/graph/v1/x")
    assert body.sent < 64 * 1024  # stopped after the first few compressed chunks


def test_a_gzip_body_under_the_cap_is_decoded(make_http):
    data = b'{"ok": true}' * 1000

    def handler(request):
        return httpx.Response(200, headers={"content-encoding": "gzip"},
                              stream=Chunks([gzip.compress(data)]))

    response = make_http(handler).request("crossref", "GET", "https://api.crossref.org/works")
    assert response.content == data and "content-encoding" not in response.headers


def test_an_endless_body_stops_at_the_cap(make_http, settings):
    def endless():
        while True:
            yield b"x" * 65536

    small = settings.model_copy(deep=True)
    small.sources["arxiv"] = small.sources["arxiv"].model_copy(update={"max_bytes": 100_000})
    http = make_http(lambda request: httpx.Response(200, stream=Chunks(endless())), small)
    with pytest.raises(TooLarge):
        http.request("arxiv", "GET", "https://export.arxiv.org/api/query")


def test_an_unasked_encoding_is_refused(make_http):
    def handler(request):
        return httpx.Response(200, headers={"content-encoding": "br"}, stream=Chunks([b"x"]))

    with pytest.raises(InvalidResponse, match="content-encoding"):
        make_http(handler).request("crossref", "GET", "https://api.crossref.org/works")


def test_a_trickle_meets_the_total_deadline_and_spends_the_budget(make_http, clock):
    def trickle():
        while True:
            yield b"x"

    def handler(request):
        return httpx.Response(200, stream=Chunks(trickle(), on_chunk=lambda: setattr(
            clock, "now", clock.now + 1.0)))  # one byte a second: never idle, never done

    http = make_http(handler)
    with pytest.raises(Unavailable, match="60 s deadline"):
        http.request("biorxiv", "GET", "https://api.biorxiv.org/details/x")
    lane = http.lane("biorxiv")
    assert lane.spent >= 60  # each abandoned request counted toward the 90 s budget
    assert http.exhausted("biorxiv")


# ------------------------------------------------------------------------------ hosts


def test_a_host_that_refuses_connections_is_stopped_after_two_tries(make_http, clock):
    handler = sequence(httpx.ConnectError("[Errno 111] Connection refused"))
    http = make_http(handler)
    with pytest.raises(Unreachable, match="could not be reached"):
        http.request("crossref", "GET", "https://api.crossref.org/works/a")
    with pytest.raises(Unreachable, match="not asked"):
        http.request("crossref", "GET", "https://api.crossref.org/works/b")
    assert len(handler.seen) == 2 and len(clock.sleeps) == 1
    assert http.warnings() == [
        "could not connect to api.crossref.org ([Errno 111] Connection refused); its look-ups "
        "were stopped for this run and keep their previous values"
    ]


def test_a_host_that_answers_again_is_not_stopped(make_http):
    handler = sequence(httpx.ConnectError("refused"), httpx.Response(200),
                       httpx.ConnectError("refused"), httpx.Response(200))
    http = make_http(handler)
    for _ in range(2):
        assert http.request("crossref", "GET", "https://api.crossref.org/w").status_code == 200
    assert http.warnings() == []


# ------------------------------------------------------------------------------ secrets


def test_credential_headers_do_not_cross_origins_on_redirect(make_http):
    seen = []

    def handler(request):
        seen.append(request)
        if request.url.host == "api.openalex.org" and request.url.port is None:
            return httpx.Response(301, headers={"location": "https://api.openalex.org:8443/w2"})
        return httpx.Response(200, json={})

    http = make_http(handler)
    http.request("openalex", "GET", "https://api.openalex.org/w1", follow_redirects=True,
                 headers={"x-api-key": "key-1234", "Authorization": "Bearer tok-1234",
                          "Accept": "application/json"})
    assert [str(r.url) for r in seen] == ["https://api.openalex.org/w1",
                                          "https://api.openalex.org:8443/w2"]
    assert seen[1].headers.get("x-api-key") is None
    assert seen[1].headers.get("authorization") is None
    assert seen[1].headers["accept"] == "application/json"


def test_a_configured_secret_never_leaves_for_another_origin(make_http, settings):
    seen = []

    def handler(request):
        seen.append(request)
        return httpx.Response(200)

    with_token = settings.model_copy(update={"github_token": SecretStr("ghp_secret_1234")})
    http = make_http(handler, with_token)
    http.request("github", "GET", "https://api.github.com/x",
                 headers={"Authorization": "Bearer ghp_secret_1234"})
    http.request("github", "GET", "https://api.github.com:444/x",
                 headers={"Authorization": "Bearer ghp_secret_1234"})
    assert seen[0].headers["authorization"] == "Bearer ghp_secret_1234"
    assert "authorization" not in seen[1].headers


def test_a_secret_allowed_after_the_first_request_is_guarded_too(make_http):
    # the origins of the secrets are worked out at the first request; a later one counts
    seen = []

    def handler(request):
        seen.append(request)
        return httpx.Response(200)

    http = make_http(handler)
    http.request("arxiv", "GET", "https://lists.example/a.md")
    http.allow_secret("tok-later-5678", "https://lists.example/a.md")
    http.request("arxiv", "GET", "https://lists.example/b.md",
                 headers={"Authorization": "token tok-later-5678"})
    http.request("arxiv", "GET", "https://elsewhere.example/c.md",
                 headers={"Authorization": "token tok-later-5678"})
    assert seen[1].headers["authorization"] == "token tok-later-5678"
    assert "authorization" not in seen[2].headers


def test_an_offline_layer_sends_nothing_whatever_its_transport(settings):
    seen = []
    http = Http(settings, offline=True, transport=httpx.MockTransport(
        lambda request: seen.append(request) or httpx.Response(200)))
    with pytest.raises(RuntimeError, match=r"--offline: no request may be sent \(GET api\.x\)"):
        http.request("arxiv", "GET", "https://api.x/query")
    assert seen == []
    http.close()


def test_server_text_in_messages_is_redacted_cleaned_and_capped():
    register_secret("tok-abcdef-123")
    error = InvalidResponse("echo: Bearer tok-abcdef-123\x1b[2J\r\n\u202e" + "y" * 1000)
    assert "tok-abcdef-123" not in error.message and "[redacted]" in error.message
    assert not any(ord(c) < 32 for c in error.message) and "\u202e" not in error.message
    assert len(error.message) <= 500
    assert clean_text("a\tb\nc") == "a b c"


# ------------------------------------------------------------------------------ stops


def test_cancel_stops_waits_and_requests(settings):
    http = Http(settings, transport=httpx.MockTransport(
        lambda request: httpx.Response(503, headers={"retry-after": "30"})))
    threading.Timer(0.3, http.cancel).start()
    started = time.monotonic()
    with pytest.raises(Interrupted):
        http.request("crossref", "GET", "https://api.crossref.org/works")
    assert time.monotonic() - started < 10  # the 30 s wait ended at the cancel
    with pytest.raises(Interrupted):
        http.request("crossref", "GET", "https://api.crossref.org/works")
    http.close()


def test_waited_is_wall_time_not_a_sum_over_threads(settings):
    """Four requests refused at once, each told to wait 0.3 s: 0.3 s waited, not 1.2 s."""
    barrier = threading.Barrier(4, timeout=10)
    calls = []

    def handler(request):
        calls.append(1)
        if len(calls) <= 4:
            barrier.wait()
            return httpx.Response(429, headers={"retry-after": "0.3"})
        return httpx.Response(200)

    http = Http(settings, transport=httpx.MockTransport(handler))
    threads = [threading.Thread(target=http.request,
                                args=("github", "GET", f"https://api.github.com/{i}"))
               for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    stats = http.stats("github")
    assert stats.retries == 4
    assert 0.3 <= stats.waited < 0.9  # the four waits overlapped (their sum is >= 1.2)
    http.close()
