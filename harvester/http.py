"""The one HTTP layer every source goes through.

It owns, per source (a *lane*, ``harvester.http_lanes``): pacing (``min_interval`` between
request starts, at most ``concurrency`` requests in flight), retries of transient failures (429,
5xx, timeouts, connection errors) with exponential back-off and jitter that honours
``Retry-After`` (seconds or an HTTP date) and the wait hints a source's ``classify`` function
reads (GitHub's ``x-ratelimit-reset``), each wait capped at ``max_wait``, and the source's
``retry_budget``: the seconds one run may spend waiting on retries and on requests that timed
out. Once the budget is spent the source is *exhausted*: its remaining requests fail at once
with ``Unavailable`` and keep their previous values.

Every body is read streamed (``harvester.http_body``), under two bounds of the source's
settings: ``max_bytes`` counted after decompression and ``deadline``, the total time of one
request however steadily the server trickles. Over the cap is an ``InvalidResponse``; over the
deadline an ``Unavailable`` whose time counts toward the budget.

A host that cannot be connected to twice is *unreachable* for the run, its remaining requests
fail at once with ``Unreachable``, and :meth:`Http.warnings` names it once. Secrets never leave
for another origin, redirects included, which this layer follows itself when asked
(``harvester.http_origins``). :meth:`Http.cancel` (the first Ctrl-C) makes every pacing wait,
retry wait and body read stop at once with ``Interrupted``.

Permanent failures (400, 401, 403, 404, 410) are never retried. Responses are classified into the
error tree of ``harvester.errors``; error messages name the method, the URL *without* its query
string (which may carry an ``api_key``) and the status, never a header, so no secret reaches a log
or the catalogue.

Tests inject ``sleep`` and ``clock`` so nothing ever really waits.

httpx (and httpcore under it) and tenacity are loaded with the run's first request, not with
this module: a run that sends nothing (every record cached and fresh) never pays for them. The
places that need them at run time (:meth:`Http.request`, :attr:`Http.client`, ``_send``,
``_exchange``) import them there; everywhere else they are only annotations.
"""

from __future__ import annotations

import email.utils
import random
import threading
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from .config import Settings, SourceSettings
from .errors import (
    Blocked,
    Interrupted,
    InvalidResponse,
    NotFound,
    RateLimited,
    SourceError,
    TransientError,
    Unavailable,
    Unreachable,
)
from .http_lanes import Lane, LaneStats
from .http_origins import (
    MAX_REDIRECTS,
    REDIRECTS,
    Hosts,
    SecretGuard,
    host_label,
    origin,
    redact_url,
    redirect_request,
    same_origin,
    user_agent,
)

if TYPE_CHECKING:
    import httpx

    from .record import Recorder

__all__ = [
    "Classifier", "Http", "LaneStats", "default_classify", "host_label", "origin",
    "parse_retry_after", "redact_url", "same_origin", "user_agent",
]

Classifier = Callable[["httpx.Response"], "SourceError | None"]
_POLL = 0.1
"""Seconds between two looks at the cancel flag while waiting for a free connection slot."""


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
        offline: bool = False,
    ) -> None:
        """``offline``: every request fails at once (``RuntimeError``), whatever ``transport``
        says; nothing may reach the network."""
        self.settings = settings
        self.recorder = recorder
        """Where every answer read whole is saved (``harvest --record``), if anywhere."""
        self.cancelled = threading.Event()
        # the real sleep is replaced by a wait that a cancel ends at once
        self.sleep = self._cancellable_sleep if sleep is time.sleep else sleep
        self.clock = clock
        self.jitter = jitter
        self._guard = SecretGuard()
        self.hosts = Hosts()
        self._transport = transport
        self._offline = offline
        self._client: httpx.Client | None = None
        self._client_lock = threading.Lock()
        self._lanes: dict[str, Lane] = {}
        self._lanes_lock = threading.Lock()
        for secret, name in ((settings.github_token, "github"),
                             (settings.s2_api_key, "semanticscholar"),
                             (settings.openalex_api_key, "openalex")):
            if secret is not None and name in settings.urls:
                self.allow_secret(secret.get_secret_value(), settings.url(name))

    @property
    def client(self) -> httpx.Client:
        """The run's one httpx client, made at its first request (see the module docstring)."""
        with self._client_lock:
            if self._client is None:
                import httpx

                from .http_body import network_transport

                transport = self._transport
                if self._offline:
                    transport = httpx.MockTransport(_refuse)
                elif transport is None:
                    transport = network_transport()
                self._client = httpx.Client(
                    transport=transport,
                    headers={"User-Agent": user_agent(self.settings.contact),
                             "Accept-Encoding": "gzip, deflate"},
                    follow_redirects=False,
                    timeout=httpx.Timeout(20.0),
                    event_hooks={"request": [self._guard]},
                )
            return self._client

    def close(self) -> None:
        with self._client_lock:
            if self._client is not None:
                self._client.close()

    def __enter__(self) -> Http:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def lane(self, source: str) -> Lane:
        with self._lanes_lock:
            if source not in self._lanes:
                self._lanes[source] = Lane(source, self.settings.source(source))
            return self._lanes[source]

    def configure(self, source: str, settings: SourceSettings) -> None:
        """Give a requester that is not a source (the list) its own lane and bounds."""
        with self._lanes_lock:
            if source not in self._lanes:
                self._lanes[source] = Lane(source, settings)

    def allow_secret(self, secret: str, url: httpx.URL | str) -> None:
        """``secret`` may be sent to the origin of ``url`` only; no message ever shows it."""
        self._guard.allow(secret, url)

    def cancel(self) -> None:
        """Stop the run: waits end now, requests not yet sent are not sent, bodies being read
        are abandoned; each raises ``Interrupted``."""
        self.cancelled.set()

    def unreachable(self) -> dict[str, str]:
        """Hosts that could not be connected to this run, with the reason."""
        return self.hosts.unreachable()

    def warnings(self) -> list[str]:
        """One line per host that could not be reached (and a recording that failed)."""
        failed = [self.recorder.error] if self.recorder and self.recorder.error else []
        return self.hosts.warnings() + failed

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
            raise lane.not_asked()
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

        import tenacity

        retrying = tenacity.Retrying(
            retry=tenacity.retry_if_exception(self._retryable),
            wait=lambda state: lane.wait(state, self.jitter),
            stop=lane.give_up,
            sleep=lane.sleeper(self.clock, self.sleep),
            reraise=True,
        )
        return retrying(attempt)

    # ------------------------------------------------------------------ internals

    def _retryable(self, exc: BaseException) -> bool:
        return (isinstance(exc, TransientError) and not isinstance(exc, Unreachable)
                and not self.cancelled.is_set())

    def _send(
        self,
        lane: Lane,
        method: str,
        url: str,
        params: Mapping[str, Any] | None,
        json: Any,
        headers: Mapping[str, str] | None,
        follow_redirects: bool,
    ) -> httpx.Response:
        self.hosts.refuse(url, lane.name)
        self._acquire(lane)
        try:
            # built before the pace: the first request also makes the client (imports, TLS
            # context), and paying that after its slot would send it late and the next one
            # too close behind it (a 429 from an API that counts arrivals)
            request = self.client.build_request(method, url, params=params, json=json,
                                                headers=headers)
            lane.pace(self.clock, self.sleep)
            self.hosts.refuse(url, lane.name)  # it may have been found so while we waited
            with lane.lock:
                lane.stats.requests += 1
            started = self.clock()
            deadline = started + lane.settings.deadline
            history: list[httpx.Response] = []
            while True:
                response = self._exchange(lane, request, started, deadline)
                if not follow_redirects or response.status_code not in REDIRECTS:
                    break
                if len(history) >= MAX_REDIRECTS:
                    raise InvalidResponse(f"redirect loop from {method} {redact_url(url)}",
                                          source=lane.name)
                history.append(response)
                request = redirect_request(self.client, request, response, headers, lane.name)
            if history:
                import httpx

                response = httpx.Response(response.status_code, headers=response.headers.raw,
                                          content=response.content, request=response.request,
                                          history=history)
            return response
        finally:
            lane.gate.release()

    def _acquire(self, lane: Lane) -> None:
        while not lane.gate.acquire(timeout=_POLL):
            if self.cancelled.is_set():
                raise Interrupted("the run was interrupted; not asked", source=lane.name)

    def _exchange(self, lane: Lane, request: httpx.Request, started: float,
                  deadline: float) -> httpx.Response:
        """Send one request and read its body within the lane's deadline and size cap."""
        import httpx

        from .http_body import DeadlinePassed, deadlines, read_body

        where = f"{request.method} {redact_url(request.url)}"
        self.hosts.refuse(request.url, lane.name)
        left = max(deadline - self.clock(), 0.001)
        limit = min(lane.settings.timeout, left)
        deadlines.value = time.monotonic() + left  # for the sockets (see DeadlineStream)
        try:
            request.extensions["timeout"] = httpx.Timeout(limit).as_dict()
            response = self.client.send(request, stream=True)
            try:
                body = read_body(response, lane.settings.max_bytes, where, lane.name, deadline,
                                 cancelled=self.cancelled, clock=self.clock)
            finally:
                response.close()
        except DeadlinePassed:
            raise self._too_slow(lane, started, where) from None
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            if isinstance(exc, httpx.ConnectTimeout):
                lane.spend(self.clock() - started)
            raise self.hosts.failed(request.url, exc, where, lane.name) from None
        except httpx.TimeoutException:
            if time.monotonic() >= deadlines.value:
                raise self._too_slow(lane, started, where) from None
            lane.spend(self.clock() - started)
            raise Unavailable(
                f"no answer within {lane.settings.timeout:g} s from {where}", source=lane.name
            ) from None
        except httpx.TransportError as exc:
            raise Unavailable(f"{type(exc).__name__} from {where}", source=lane.name) from None
        except (httpx.InvalidURL, httpx.HTTPError) as exc:
            raise InvalidResponse(f"{type(exc).__name__} from {where}", source=lane.name) from None
        finally:
            deadlines.value = None
        if self.clock() > deadline:
            raise self._too_slow(lane, started, where)
        self.hosts.connected(request.url)
        plain = [(k, v) for k, v in response.headers.raw
                 if k.lower() not in (b"content-encoding", b"content-length",
                                      b"transfer-encoding")]
        if self.recorder is not None:
            self.recorder.save(lane.name, request, response.status_code, plain, body)
        return httpx.Response(response.status_code, headers=plain, content=body,
                              request=request, extensions={"http_version": b"HTTP/1.1"})

    def _too_slow(self, lane: Lane, started: float, where: str) -> Unavailable:
        lane.spend(self.clock() - started)
        return Unavailable(
            f"no complete answer within the {lane.settings.deadline:g} s deadline from {where}",
            source=lane.name)

    def _cancellable_sleep(self, seconds: float) -> None:
        if self.cancelled.wait(seconds):
            raise Interrupted("the run was interrupted")


def _refuse(request: httpx.Request) -> httpx.Response:
    raise RuntimeError(f"--offline: no request may be sent ({request.method} {request.url.host})")
