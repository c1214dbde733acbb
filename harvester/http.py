"""The one HTTP layer every source goes through.

It owns, per source: pacing (``min_interval`` between request starts, at most ``concurrency``
requests in flight), retries of transient failures (429, 5xx, timeouts, connection errors) with
exponential back-off and jitter that honours ``Retry-After`` (seconds or an HTTP date) and the
wait hints a source's ``classify`` function reads (GitHub's ``x-ratelimit-reset``), each wait
capped at ``max_wait``, and the source's ``retry_budget``: the seconds one run may spend
waiting on retries and on requests that timed out. Once the budget is spent the source is
*exhausted*: its remaining requests fail at once with ``Unavailable`` and keep their previous
values.

Every body is read streamed, under two bounds of the source's settings: ``max_bytes`` counted
after decompression (only gzip and deflate are asked for, and decoded here in bounded steps, so
a 10 MB body that inflates to 10 GiB never takes more than the cap in memory) and ``deadline``,
the total time of one request however steadily the server trickles. Over the cap is an
``InvalidResponse``; over the deadline an ``Unavailable`` whose time counts toward the budget.

A connection that cannot be made (DNS failure, refused, connect timeout) is a fact about the
host: after two such failures the host is *unreachable* for the run, its remaining requests fail
at once with ``Unreachable``, and :meth:`Http.warnings` names it once. A source stopped by a
spent quota keeps saying so (``RateLimited`` with the reset time), never "budget spent".

Secrets never leave for another origin: every request (redirects included, which this layer
follows itself when asked) passes a guard that drops any header carrying a configured secret
when the request's origin (scheme, host, port) is not the one the secret was configured for.
:meth:`Http.cancel` (the first Ctrl-C) makes every pacing wait, retry wait and body read stop
at once with ``Interrupted``.

Permanent failures (400, 401, 403, 404, 410) are never retried. Responses are classified into the
error tree of ``harvester.errors``; error messages name the method, the URL *without* its query
string (which may carry an ``api_key``) and the status, never a header, so no secret reaches a log
or the catalogue.

Tests inject ``sleep`` and ``clock`` so nothing ever really waits.
"""

from __future__ import annotations

import email.utils
import logging
import random
import threading
import time
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpcore
import httpx
import tenacity

from . import __version__
from .config import Settings, SourceSettings
from .errors import (
    Blocked,
    Interrupted,
    InvalidResponse,
    NotFound,
    RateLimited,
    SourceError,
    TooLarge,
    TransientError,
    Unavailable,
    Unreachable,
    clean_text,
    register_secret,
)
from .record import Recorder

Classifier = Callable[[httpx.Response], SourceError | None]
_log = logging.getLogger(__name__)  # waits before retries; shown with --verbose

# Requests leave exactly ``min_interval`` apart but arrive with a few milliseconds of jitter, and
# an API that counts arrivals then sees about half of them early and answers 429 (measured on the
# fake API at 2,000 entries: 95 refusals from Semantic Scholar at exactly 1 s, none with this
# margin). The starts are therefore spaced 2 % + 10 ms wider than the published limit.
PACE_MARGIN = 1.02
PACE_SLACK = 0.01
CONNECT_TRIES = 2
"""Failed connects to one host after which it is unreachable for the run."""
MAX_REDIRECTS = 5
_REDIRECTS = (301, 302, 303, 307, 308)
_SENSITIVE = ("authorization", "proxy-authorization", "cookie", "x-api-key")
_POLL = 0.1
"""Seconds between two looks at the cancel flag while waiting for a free connection slot."""

Origin = tuple[str, str, int | None]


def origin(url: httpx.URL | str) -> Origin:
    """``(scheme, host, port)`` with the scheme's default port made explicit."""
    u = httpx.URL(str(url))
    default = {"http": 80, "https": 443}.get(u.scheme)
    return u.scheme, u.host, u.port if u.port is not None else default


def same_origin(a: httpx.URL | str, b: httpx.URL | str) -> bool:
    return origin(a) == origin(b)


def host_label(url: httpx.URL | str) -> str:
    """``host`` or ``host:port`` when the port is not the scheme's default."""
    u = httpx.URL(str(url))
    return f"{u.host}:{u.port}" if u.port is not None else u.host


def user_agent(contact: str | None) -> str:
    """``awesome-harvester/<version>``, plus ``(mailto:<contact>)`` when HARVEST_CONTACT is set
    (arXiv asks for a descriptive agent; Crossref's polite pool reads the mailto)."""
    agent = f"awesome-harvester/{__version__} python-httpx/{httpx.__version__}"
    return f"{agent} (mailto:{contact})" if contact else agent


def redact_url(url: httpx.URL | str) -> str:
    """The URL without query string or credentials, safe for messages."""
    u = httpx.URL(str(url))
    return str(u.copy_with(query=None, fragment=None, username=None, password=None))


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """``Retry-After`` as seconds to wait: delta-seconds or an HTTP date; None if unusable."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    current = time.time() if now is None else now
    return max(0.0, when.timestamp() - current)


def default_classify(response: httpx.Response) -> SourceError | None:
    """Map a status to an error (None for success, 304 and redirects)."""
    status = response.status_code
    if status < 400:
        return None
    where = f"{response.request.method} {redact_url(response.request.url)}"
    message = f"HTTP {status} from {where}"
    # Retry-After, else the IETF RateLimit-Reset (delta seconds) that OpenAlex sends
    hint = parse_retry_after(
        response.headers.get("retry-after") or response.headers.get("ratelimit-reset")
    )
    if status == 429:
        return RateLimited(message, retry_after=hint)
    if status >= 500:
        return Unavailable(message, retry_after=hint)
    if status in (404, 410):
        return NotFound(message)
    if status in (401, 403):
        return Blocked(message)
    return InvalidResponse(message)


@dataclass
class LaneStats:
    """What one requester's lane measured in one run (its look-ups are counted from their
    results, ``harvester.runstats``); shown in the summary and written to run.json."""

    requests: int = 0
    retries: int = 0
    waited: float = 0.0
    """Wall-clock seconds during which at least one request of this source was waiting to be
    retried (not a sum over threads)."""
    exhausted: bool = False
    notes: dict[str, Any] = field(default_factory=dict)


class _Lane:
    """Pacing, concurrency and retry budget of one source."""

    def __init__(self, name: str, settings: SourceSettings) -> None:
        self.name = name
        self.settings = settings
        self.gate = threading.Semaphore(settings.concurrency)
        self.lock = threading.Lock()
        self.next_start = 0.0
        self.spent = 0.0
        self.stats = LaneStats()
        self.stop: SourceError | None = None
        """Why the source was stopped for the run (the error that stopped it)."""
        self.waits_until = float("-inf")
        """When the latest of this source's retry waits ends."""

    def remaining(self) -> float:
        return self.settings.retry_budget - self.spent


class Http:
    """One httpx client for the run, shared by all sources (thread-safe)."""

    def __init__(
        self,
        settings: Settings,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        jitter: Callable[[], float] = random.random,
        recorder: Recorder | None = None,
    ) -> None:
        self.settings = settings
        self.recorder = recorder
        """Where every answer read whole is saved (``harvest --record``), if anywhere."""
        self.cancelled = threading.Event()
        # the real sleep is replaced by a wait that a cancel ends at once
        self.sleep = self._cancellable_sleep if sleep is time.sleep else sleep
        self.clock = clock
        self.jitter = jitter
        self.client = httpx.Client(
            transport=transport if transport is not None else _network_transport(),
            headers={"User-Agent": user_agent(settings.contact),
                     "Accept-Encoding": "gzip, deflate"},
            follow_redirects=False,
            timeout=httpx.Timeout(20.0),
            event_hooks={"request": [self._guard]},
        )
        self._lanes: dict[str, _Lane] = {}
        self._lanes_lock = threading.Lock()
        self._secrets: list[tuple[str, Origin]] = []
        for secret, name in ((settings.github_token, "github"),
                             (settings.s2_api_key, "semanticscholar"),
                             (settings.openalex_api_key, "openalex")):
            if secret is not None and name in settings.urls:
                self.allow_secret(secret.get_secret_value(), settings.url(name))
        self._connect_failures: dict[Origin, int] = {}
        self._unreachable: dict[Origin, tuple[str, str]] = {}

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Http:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def lane(self, source: str) -> _Lane:
        with self._lanes_lock:
            if source not in self._lanes:
                self._lanes[source] = _Lane(source, self.settings.source(source))
            return self._lanes[source]

    def configure(self, source: str, settings: SourceSettings) -> None:
        """Give a requester that is not a source (the list) its own lane and bounds."""
        with self._lanes_lock:
            if source not in self._lanes:
                self._lanes[source] = _Lane(source, settings)

    def allow_secret(self, secret: str, url: httpx.URL | str) -> None:
        """``secret`` may be sent to the origin of ``url`` only; no message ever shows it."""
        register_secret(secret)
        if secret:
            self._secrets.append((secret, origin(url)))

    def cancel(self) -> None:
        """Stop the run: waits end now, requests not yet sent are not sent, bodies being read
        are abandoned; each raises ``Interrupted``."""
        self.cancelled.set()

    def unreachable(self) -> dict[str, str]:
        """Hosts that could not be connected to this run, with the reason."""
        return dict(self._unreachable.values())

    def warnings(self) -> list[str]:
        """One line per host that could not be reached."""
        lines = [
            f"could not connect to {host} ({reason}); its look-ups were stopped for this run "
            "and keep their previous values"
            for host, reason in sorted(self._unreachable.values())
        ]
        return lines + ([self.recorder.error] if self.recorder and self.recorder.error else [])

    def stats(self, source: str) -> LaneStats:
        return self.lane(source).stats

    def exhausted(self, source: str) -> bool:
        return self.lane(source).stats.exhausted

    # ------------------------------------------------------------------ requests

    def request(
        self,
        source: str,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        accept: tuple[int, ...] = (),
        classify: Classifier | None = None,
        follow_redirects: bool = False,
    ) -> httpx.Response:
        """Send one request for ``source``, paced and retried; return the response.

        A response whose status is in ``accept`` is returned as is (the caller parses it);
        otherwise ``classify`` (then the default status mapping) decides whether it is an
        error. Transient errors are retried within the source's budget; the last one is
        raised when it runs out.
        """
        lane = self.lane(source)
        if self.cancelled.is_set():
            raise Interrupted("the run was interrupted; not asked", source=source)
        if lane.stop is not None:
            raise _not_asked(lane)
        elif lane.stats.exhausted:
            raise Unavailable(
                f"{source}: retry budget of {lane.settings.retry_budget:g} s spent earlier in "
                "this run; not asked",
                source=source,
            )

        def attempt() -> httpx.Response:
            response = self._send(lane, method, url, params, json, headers, follow_redirects)
            if response.status_code in accept:
                return response
            error = (classify(response) if classify else None) or default_classify(response)
            if error is not None:
                error.source = source
                raise error
            return response

        retrying = tenacity.Retrying(
            retry=tenacity.retry_if_exception(self._retryable),
            wait=lambda state: self._wait(lane, state),
            stop=lambda state: self._stop(lane, state),
            sleep=self._sleeper(lane),
            reraise=True,
        )
        return retrying(attempt)

    # ------------------------------------------------------------------ internals

    def _retryable(self, exc: BaseException) -> bool:
        return (isinstance(exc, TransientError) and not isinstance(exc, Unreachable)
                and not self.cancelled.is_set())

    def _send(
        self,
        lane: _Lane,
        method: str,
        url: str,
        params: Mapping[str, Any] | None,
        json: Any,
        headers: Mapping[str, str] | None,
        follow_redirects: bool,
    ) -> httpx.Response:
        self._refuse_unreachable(lane, url)
        self._acquire(lane)
        try:
            self._pace(lane)
            self._refuse_unreachable(lane, url)  # it may have been found so while we waited
            with lane.lock:
                lane.stats.requests += 1
            started = self.clock()
            deadline = started + lane.settings.deadline
            request = self.client.build_request(method, url, params=params, json=json,
                                                headers=headers)
            history: list[httpx.Response] = []
            while True:
                response = self._exchange(lane, request, started, deadline)
                if not follow_redirects or response.status_code not in _REDIRECTS:
                    break
                if len(history) >= MAX_REDIRECTS:
                    raise InvalidResponse(f"redirect loop from {method} {redact_url(url)}",
                                          source=lane.name)
                history.append(response)
                request = self._redirect(request, response, headers, lane)
            if history:
                response = httpx.Response(response.status_code, headers=response.headers.raw,
                                          content=response.content, request=response.request,
                                          history=history)
            return response
        finally:
            lane.gate.release()

    def _refuse_unreachable(self, lane: _Lane, url: httpx.URL | str) -> None:
        try:
            key = origin(url)
        except httpx.InvalidURL:
            return  # the send reports it
        if key in self._unreachable:
            host, reason = self._unreachable[key]
            raise Unreachable(f"{host} could not be reached earlier in this run ({reason}); "
                              "not asked", source=lane.name)

    def _acquire(self, lane: _Lane) -> None:
        while not lane.gate.acquire(timeout=_POLL):
            if self.cancelled.is_set():
                raise Interrupted("the run was interrupted; not asked", source=lane.name)

    def _redirect(self, request: httpx.Request, response: httpx.Response,
                  headers: Mapping[str, str] | None, lane: _Lane) -> httpx.Request:
        """The next request of a redirect: GET after 303 (and after 301/302 of a POST), and no
        credential header once the origin changes."""
        location = response.headers.get("location")
        if not location:
            raise InvalidResponse(
                f"HTTP {response.status_code} without a location from {redact_url(request.url)}",
                source=lane.name,
            )
        try:
            target = request.url.join(location)
        except httpx.InvalidURL:
            raise InvalidResponse(f"unusable redirect from {redact_url(request.url)}",
                                  source=lane.name) from None
        if target.scheme not in ("http", "https"):
            raise InvalidResponse(f"redirect to a {target.scheme or 'relative'} URL from "
                                  f"{redact_url(request.url)}", source=lane.name)
        method = request.method
        body = request.content if method not in ("GET", "HEAD") else None
        if response.status_code == 303 or (response.status_code in (301, 302)
                                           and method == "POST"):
            method, body = "GET", None
        kept = dict(headers or {})
        if not same_origin(target, request.url):
            kept = {k: v for k, v in kept.items() if k.lower() not in _SENSITIVE}
        if body is None:
            kept = {k: v for k, v in kept.items() if k.lower() != "content-type"}
        return self.client.build_request(method, target, headers=kept, content=body)

    def _exchange(self, lane: _Lane, request: httpx.Request, started: float,
                  deadline: float) -> httpx.Response:
        """Send one request and read its body within the lane's deadline and size cap."""
        where = f"{request.method} {redact_url(request.url)}"
        key = origin(request.url)
        self._refuse_unreachable(lane, request.url)
        left = max(deadline - self.clock(), 0.001)
        limit = min(lane.settings.timeout, left)
        _deadlines.value = time.monotonic() + left  # for the sockets (see _DeadlineStream)
        try:
            request.extensions["timeout"] = httpx.Timeout(limit).as_dict()
            response = self.client.send(request, stream=True)
            try:
                body = self._read(lane, response, where, deadline)
            finally:
                response.close()
        except _DeadlinePassed:
            raise self._too_slow(lane, started, where) from None
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            if isinstance(exc, httpx.ConnectTimeout):
                self._spend(lane, started)
            raise self._connect_failed(lane, request.url, exc, where) from None
        except httpx.TimeoutException:
            if time.monotonic() >= _deadlines.value:
                raise self._too_slow(lane, started, where) from None
            self._spend(lane, started)
            raise Unavailable(
                f"no answer within {lane.settings.timeout:g} s from {where}", source=lane.name
            ) from None
        except httpx.TransportError as exc:
            raise Unavailable(f"{type(exc).__name__} from {where}", source=lane.name) from None
        except (httpx.InvalidURL, httpx.HTTPError) as exc:
            raise InvalidResponse(f"{type(exc).__name__} from {where}", source=lane.name) from None
        finally:
            _deadlines.value = None
        if self.clock() > deadline:
            raise self._too_slow(lane, started, where)
        with self._lanes_lock:
            self._connect_failures.pop(key, None)
        plain = [(k, v) for k, v in response.headers.raw
                 if k.lower() not in (b"content-encoding", b"content-length",
                                      b"transfer-encoding")]
        if self.recorder is not None:
            self.recorder.save(lane.name, request, response.status_code, plain, body)
        return httpx.Response(response.status_code, headers=plain, content=body,
                              request=request, extensions={"http_version": b"HTTP/1.1"})

    def _too_slow(self, lane: _Lane, started: float, where: str) -> Unavailable:
        self._spend(lane, started)
        return Unavailable(
            f"no complete answer within the {lane.settings.deadline:g} s deadline from {where}",
            source=lane.name)

    def _read(self, lane: _Lane, response: httpx.Response, where: str, deadline: float) -> bytes:
        cap = lane.settings.max_bytes
        if response.is_stream_consumed:  # an in-memory answer (a test transport): decoded
            if len(response.content) > cap:
                raise _Decoder("", cap, where, lane.name).over()
            return response.content
        decoder = _Decoder(response.headers.get("content-encoding", ""), cap, where, lane.name)
        chunks: list[bytes] = []
        size = 0
        for raw in response.iter_raw():
            if self.cancelled.is_set():
                raise Interrupted(f"the run was interrupted while reading {where}",
                                  source=lane.name)
            if self.clock() > deadline:
                raise _DeadlinePassed
            for chunk in decoder.feed(raw, cap - size):
                size += len(chunk)
                chunks.append(chunk)
        for chunk in decoder.flush(cap - size):
            size += len(chunk)
            chunks.append(chunk)
        return b"".join(chunks)

    def _connect_failed(self, lane: _Lane, url: httpx.URL, exc: Exception,
                        where: str) -> Unavailable:
        key = origin(url)
        reason = clean_text(str(exc) or type(exc).__name__, 160)
        with self._lanes_lock:
            failures = self._connect_failures.get(key, 0) + 1
            self._connect_failures[key] = failures
            if failures >= CONNECT_TRIES:
                self._unreachable.setdefault(key, (host_label(url), reason))
        if failures >= CONNECT_TRIES:
            return Unreachable(f"{host_label(url)} could not be reached ({reason}) for {where}",
                               source=lane.name)
        return Unavailable(f"{type(exc).__name__} ({reason}) from {where}", source=lane.name)

    def _spend(self, lane: _Lane, started: float) -> None:
        with lane.lock:
            lane.spent += self.clock() - started

    def _guard(self, request: httpx.Request) -> None:
        """Drop every header that carries a secret from a request to another origin."""
        here = origin(request.url)
        for secret, home in self._secrets:
            if here == home:
                continue
            for name in [k for k, v in request.headers.items() if secret in v]:
                del request.headers[name]
            if secret in str(request.url):
                raise InvalidResponse(f"refused to send a credential to {host_label(request.url)}")

    def _cancellable_sleep(self, seconds: float) -> None:
        if self.cancelled.wait(seconds):
            raise Interrupted("the run was interrupted")

    def _pace(self, lane: _Lane) -> None:
        if lane.settings.min_interval <= 0:
            return
        interval = lane.settings.min_interval * PACE_MARGIN + PACE_SLACK
        with lane.lock:
            now = self.clock()
            start = max(now, lane.next_start)
            lane.next_start = start + interval
        if start > now:
            self.sleep(start - now)

    def _wait(self, lane: _Lane, state: tenacity.RetryCallState) -> float:
        """Exponential back-off with jitter, or the server's hint; capped at ``max_wait``."""
        exc = state.outcome.exception() if state.outcome else None
        hinted = getattr(exc, "retry_after", None)
        if hinted is not None:
            return max(float(hinted), 0.0)
        backoff = 2.0 ** (state.attempt_number - 1) * (0.5 + self.jitter())
        return min(lane.settings.max_wait, backoff)

    def _stop(self, lane: _Lane, state: tenacity.RetryCallState) -> bool:
        """Give up when the wait is longer than allowed or than the budget left; the error
        that stopped the source is what its remaining requests report."""
        wait = state.upcoming_sleep
        if wait > lane.settings.max_wait or wait > lane.remaining():
            exc = state.outcome.exception() if state.outcome else None
            with lane.lock:
                lane.stats.exhausted = True
                if isinstance(exc, SourceError) and lane.stop is None:
                    lane.stop = exc
            return True
        return False

    def _sleeper(self, lane: _Lane) -> Callable[[float], None]:
        def sleep(seconds: float) -> None:
            with lane.lock:
                lane.spent += seconds
                lane.stats.retries += 1
                # "waited" is the union of the waits on the clock: overlapping waits of
                # several threads count once
                now = self.clock()
                end = now + seconds
                lane.stats.waited += max(0.0, end - max(now, lane.waits_until))
                lane.waits_until = max(lane.waits_until, end)
            _log.info("%s: waiting %.1f s before retry %d", lane.name, seconds,
                      lane.stats.retries)
            self.sleep(seconds)

        return sleep


class _DeadlinePassed(Exception):
    pass


_deadlines = threading.local()
"""The monotonic deadline of the request this thread is sending, for the socket reads."""


class _DeadlineStream(httpcore.NetworkStream):
    """A socket whose every read and write waits at most until the request's deadline, so that
    a server trickling its status line and headers is bounded too (httpx's timeouts restart
    with every byte)."""

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    @staticmethod
    def _limit(timeout: float | None, error: type[Exception]) -> float | None:
        deadline: float | None = getattr(_deadlines, "value", None)
        if deadline is None:
            return timeout
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise error("the request's deadline has passed")
        return remaining if timeout is None else min(timeout, remaining)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, self._limit(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, self._limit(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        limit = self._limit(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._stream.start_tls(ssl_context, server_hostname, limit))

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    def __init__(self, backend: httpcore.NetworkBackend) -> None:
        self._backend = backend

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: Any = None) -> httpcore.NetworkStream:
        limit = _DeadlineStream._limit(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._backend.connect_tcp(host, port, limit, local_address,
                                                         socket_options))

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Any = None) -> httpcore.NetworkStream:
        return _DeadlineStream(self._backend.connect_unix_socket(path, timeout, socket_options))

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


def _network_transport() -> httpx.BaseTransport:
    """httpx's own transport, its sockets bounded by the request's deadline (the pool's
    backend is swapped in place: httpx offers no public way to pass one)."""
    transport = httpx.HTTPTransport()
    pool = getattr(transport, "_pool", None)
    backend = getattr(pool, "_network_backend", None)
    if isinstance(backend, httpcore.NetworkBackend):
        pool._network_backend = _DeadlineBackend(backend)  # type: ignore[union-attr]
    return transport


_STEP = 1024 * 1024
"""The most bytes one decompression step produces (a deflate block may inflate 1000-fold)."""


class _Decoder:
    """gzip / deflate / identity decoding in steps bounded by what the cap still allows."""

    def __init__(self, encoding: str, cap: int, where: str, source: str) -> None:
        self.cap, self.where, self.source = cap, where, source
        codings = [c.strip().lower() for c in encoding.split(",") if c.strip()]
        codings = [c for c in codings if c != "identity"]
        if len(codings) > 1 or (codings and codings[0] not in ("gzip", "x-gzip", "deflate")):
            raise InvalidResponse(f"unasked content-encoding {encoding!r} from {where}",
                                  source=source)
        self.coding = codings[0] if codings else None
        self.zlib: Any = None
        if self.coding in ("gzip", "x-gzip"):
            self.zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif self.coding == "deflate":
            self.zlib = zlib.decompressobj()
        self.raw_deflate_tried = False

    def over(self) -> InvalidResponse:
        return TooLarge(
            f"answer larger than {self.cap} bytes (max_bytes) from {self.where}", source=self.source
        )

    def feed(self, data: bytes, room: int) -> list[bytes]:
        if self.zlib is None:
            if len(data) > room:
                raise self.over()
            return [data]
        out: list[bytes] = []
        while data:
            try:
                chunk = self.zlib.decompress(data, min(room + 1, _STEP))
            except zlib.error:
                if self.coding == "deflate" and not self.raw_deflate_tried and not out:
                    self.raw_deflate_tried = True  # some servers send raw deflate
                    self.zlib = zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                raise InvalidResponse(f"undecodable {self.coding} body from {self.where}",
                                      source=self.source) from None
            room -= len(chunk)
            if room < 0:
                raise self.over()
            out.append(chunk)
            data = self.zlib.unconsumed_tail
            if self.zlib.eof:
                break
        return out

    def flush(self, room: int) -> list[bytes]:
        if self.zlib is None:
            return []
        chunk = self.zlib.flush()
        if len(chunk) > room:
            raise self.over()
        return [chunk] if chunk else []


def _not_asked(lane: _Lane) -> SourceError:
    """The error of a request the source's earlier stop keeps from being sent."""
    stop = lane.stop
    assert stop is not None
    if isinstance(stop, RateLimited):
        return RateLimited(f"{stop.message} (the source is stopped for this run; not asked)",
                           source=lane.name, retry_after=stop.retry_after)
    if isinstance(stop, Unreachable):
        return Unreachable(f"{stop.message}; not asked", source=lane.name)
    return Unavailable(
        f"{lane.name}: retry budget of {lane.settings.retry_budget:g} s spent earlier in this "
        f"run (last: {stop.message}); not asked",
        source=lane.name,
    )
