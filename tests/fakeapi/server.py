"""A local imitation of every API the harvester calls, on one threaded stdlib HTTP server.

Each API lives under its own path prefix (see :meth:`FakeAPI.env`); bodies come from
``formats.py``, data from a :class:`~tests.fakeapi.world.World`. Per request, in order: count it,
apply a matching :class:`Fault` (if any), enforce the documented limits (if ``enforce_limits``),
sleep ``uniform(*latency)``, answer, record. Everything is thread-safe; ``stop()`` (or leaving the
``with`` block) ends hangs, closes kept-alive connections and joins the serving thread.
"""

from __future__ import annotations

import contextlib
import gzip
import http
import io
import json
import math
import random
import re
import socket
import struct
import threading
import time
import traceback
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote

from . import formats as fmt
from . import hostile, hosts
from .world import ARXIV_NEW, ARXIV_OLD, Paper, Repo, World, normalise_title, openalex_works

__all__ = ["API_NAMES", "FakeAPI", "Fault", "Limits", "RecordedRequest"]

API_NAMES = ("arxiv", "openreview", "github", "semanticscholar", "openalex", "crossref",
             "biorxiv", "neurips", *hosts.API_NAMES)
FAULT_KINDS = ("status", "retry_after", "hang", "reset", "truncated", "html200", "wrong_types",
               "empty_feed", *hostile.KINDS)

# (path prefix, API name, env variable); the longer openreview prefix must come first.
_PREFIXES = (
    ("/arxiv/api", "arxiv", "HARVEST_ARXIV_URL"),
    ("/openreview-v1", "openreview", "HARVEST_OPENREVIEW_V1_URL"),
    ("/openreview", "openreview", "HARVEST_OPENREVIEW_URL"),
    ("/github", "github", "HARVEST_GITHUB_URL"),
    ("/s2/graph/v1", "semanticscholar", "HARVEST_SEMANTICSCHOLAR_URL"),
    ("/openalex", "openalex", "HARVEST_OPENALEX_URL"),
    ("/crossref", "crossref", "HARVEST_CROSSREF_URL"),
    ("/biorxiv", "biorxiv", "HARVEST_BIORXIV_URL"),
    ("/neurips", "neurips", "HARVEST_NEURIPS_URL"),
    *hosts.PREFIXES,
)


# --------------------------------------------------------------------------- public types


@dataclass
class Fault:
    """A failure injected into one API's answers.

    ``kind``: status | retry_after | hang | reset | truncated | html200 | wrong_types | empty_feed.
    ``status``: the code for ``status`` (any; the body is that API's error body for it).
    ``times``: None = every matching request; N = the next N matching requests, then normal.
    ``seconds``: ``Retry-After`` value for ``retry_after`` (default 1) and GitHub's secondary
    limit (default 60); how long ``hang`` sleeps (default 30).
    ``match``: only requests whose path+query (relative to the API prefix, raw or %-decoded)
    or body contains this substring.
    ``variant``: GitHub 403/429 flavour — "primary" (x-ratelimit-remaining: 0, the default for
    403), "secondary" (retry-after, the default for 429) or "forbidden" (a plain 403);
    ``wrong_types``: "deep" (default: values of the wrong types) or "top" (object ↔ list).
    ``headers``: extra response headers. ``hits`` counts the requests the fault answered.
    """

    kind: str
    status: int = 503
    times: int | None = None
    seconds: float | None = None
    match: str | None = None
    variant: str | None = None
    headers: dict[str, str] | None = None
    hits: int = 0

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; one of {FAULT_KINDS}")


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the server saw it. ``path`` is relative to the API prefix, raw (still
    %-encoded); ``query`` is the raw query string; ``headers`` have lower-case names; ``status``
    is None when no response was sent (hang, reset)."""

    api: str
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes
    status: int | None
    prefix: str = ""

    @property
    def params(self) -> dict[str, list[str]]:
        return parse_qs(self.query, keep_blank_values=True)

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Limits:
    """The documented limits, applied only when ``enforce_limits`` is true."""

    arxiv_interval: float = 3.0
    """arXiv: one request per 3 s and one connection at a time, else 429."""
    s2_interval: float = 1.0
    """Semantic Scholar: 1 request per second (new keys), else 429 without Retry-After."""
    crossref_pools: dict[str, tuple[int, int | None]] = field(default_factory=lambda: {
        "public": (5, 1), "polite": (10, 3), "plus": (150, None)})
    """Crossref: (requests per second, concurrent requests) per pool, as the headers say."""
    openalex_per_second: int = 100
    github_core: int | None = None
    """GitHub REST quota per hour; None: 5000 with a token, 60 without."""
    github_graphql: int = 5000
    github_window: float = 3600.0


@dataclass
class _Response:
    status: int
    body: bytes = b""
    content_type: str | None = None
    headers: list[tuple[str, str]] = field(default_factory=list)
    reason: str | None = None

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)


@dataclass
class _Request:
    api: str
    prefix: str
    method: str
    path: str  # relative to the prefix, raw
    query: str
    headers: dict[str, str]
    body: bytes

    @property
    def rel(self) -> str:
        return unquote(self.path)

    @property
    def params(self) -> dict[str, list[str]]:
        return parse_qs(self.query, keep_blank_values=True)

    def param(self, name: str, default: str | None = None) -> str | None:
        values = self.params.get(name)
        return values[-1] if values else default

    @property
    def target(self) -> str:
        return self.path + (f"?{self.query}" if self.query else "")


class _Abort(Exception):
    """Raised by a fault that already handled (or dropped) the connection."""


# --------------------------------------------------------------------------- quota


@dataclass
class _Quota:
    limit: int
    window: float
    used: int = 0
    reset: float = 0.0

    def roll(self, now: float) -> None:
        if now >= self.reset:
            self.used, self.reset = 0, math.floor(now + self.window)

    @property
    def remaining(self) -> int:
        return max(self.limit - self.used, 0)


# --------------------------------------------------------------------------- server


class FakeAPI:
    """The fake server. ``FakeAPI(world, latency=(0, 0), enforce_limits=False)``; ``start()``
    or ``with FakeAPI(...) as api:``; ``api.env()`` for the harvester's environment."""

    def __init__(
        self,
        world: World | None = None,
        latency: tuple[float, float] = (0.0, 0.0),
        enforce_limits: bool = False,
        *,
        limits: Limits | None = None,
        record: bool = True,
        compress: bool = False,
        seed: int = 0,
    ) -> None:
        self.world = world if world is not None else World.neurofm()
        self.hosts = hosts.HostWorld.default()
        """PubMed papers and proceedings pages (``tests/fakeapi/hosts.py``)."""
        self.latency = latency
        self.enforce_limits = enforce_limits
        self.limits = limits or Limits()
        self.record = record
        self.compress = compress
        self.errors: list[str] = []
        """Tracebacks of exceptions inside the fake itself (should stay empty)."""
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._counts: dict[str, int] = dict.fromkeys(API_NAMES, 0)
        self._requests: list[RecordedRequest] = []
        self._faults: dict[str, list[Fault]] = {name: [] for name in API_NAMES}
        self._stop = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        # limit state
        self._arxiv_inflight = 0
        self._arxiv_last = -math.inf
        self._s2_last = -math.inf
        self._crossref_inflight: dict[str, int] = {}
        self._crossref_window: dict[str, deque[float]] = {}
        self._openalex_window: deque[float] = deque()
        self._quotas: dict[tuple[str, str], _Quota] = {}
        self._quota_used = 0

    # ----------------------------------------------------------------- lifecycle

    def start(self) -> FakeAPI:
        if self._server is not None:
            return self
        self._stop.clear()
        self._server = _Server(("127.0.0.1", 0), _Handler, self)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
            name=f"fakeapi-{self._server.server_address[1]}", daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        self._stop.set()
        server.shutdown()
        server.close_connections()
        server.server_close()
        server.join_threads(timeout=5)
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FakeAPI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("FakeAPI is not started")
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def base(self, api: str) -> str:
        """The root URL of one API (``base("github")`` → ``{url}/github``)."""
        for prefix, name, _ in _PREFIXES:
            if name == api or prefix.lstrip("/") == api:
                return self.url + prefix
        raise KeyError(api)

    def env(self) -> dict[str, str]:
        return {var: self.url + prefix for prefix, _, var in _PREFIXES}

    # ----------------------------------------------------------------- observation

    @property
    def counts(self) -> dict[str, int]:
        with self._lock:
            return dict(self._counts)

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    def reset_counts(self) -> None:
        """Zero the counts, empty the request log and restart :meth:`quota_used`."""
        with self._lock:
            self._counts = dict.fromkeys(API_NAMES, 0)
            self._requests.clear()
            self._quota_used = 0

    def quota_used(self) -> int:
        """GitHub quota points (REST core + GraphQL) charged since the last ``reset_counts``."""
        with self._lock:
            return self._quota_used

    def quota(self, resource: str = "core", token: str | None = None) -> dict[str, int]:
        """The GitHub quota state of an identity: limit, remaining, used, reset (epoch s)."""
        with self._lock:
            q = self._quota_for(resource, token)
            return {"limit": q.limit, "remaining": q.remaining, "used": q.used,
                    "reset": int(q.reset)}

    # ----------------------------------------------------------------- faults

    @property
    def faults(self) -> dict[str, list[Fault]]:
        with self._lock:
            return {name: list(faults) for name, faults in self._faults.items()}

    def set_fault(self, api: str, fault: Fault) -> Fault:
        """Replace the faults of ``api`` with ``fault``."""
        api = _api_name(api)
        with self._lock:
            self._faults[api] = [fault]
        return fault

    def add_fault(self, api: str, fault: Fault) -> Fault:
        """Add ``fault`` after the faults ``api`` already has (the first matching one applies)."""
        api = _api_name(api)
        with self._lock:
            self._faults[api].append(fault)
        return fault

    def clear_faults(self, api: str | None = None) -> None:
        with self._lock:
            for name in [_api_name(api)] if api else API_NAMES:
                self._faults[name] = []

    def _take_fault(self, req: _Request) -> Fault | None:
        with self._lock:
            for fault in self._faults[req.api]:
                if fault.times is not None and fault.times <= 0:
                    continue
                if fault.match and not _matches(fault.match, req):
                    continue
                if fault.times is not None:
                    fault.times -= 1
                fault.hits += 1
                return fault
        return None

    # ----------------------------------------------------------------- request entry

    def _serve(self, handler: _Handler, method: str) -> None:
        path_raw, _, query = handler.path.partition("?")
        prefix = api = None
        for candidate, name, _ in _PREFIXES:
            if path_raw == candidate or path_raw.startswith(candidate + "/"):
                prefix, api = candidate, name
                break
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length > 0 else b""
        headers = {k.lower(): v for k, v in handler.headers.items()}
        if api is None:
            self._send(handler, method, None, _Response(
                404, b"no fake API under this path", "text/plain; charset=utf-8"))
            return
        req = _Request(api, prefix, method, path_raw[len(prefix):] or "/", query, headers, body)
        with self._lock:
            self._counts[api] += 1
        release = None
        try:
            fault = self._take_fault(req)
            response = None
            if fault is None and self.enforce_limits:
                response, release = self._enforce(req)
            if self.latency[1] > 0:
                self._sleep(self._rng.uniform(*self.latency))
            if fault is not None:
                response = self._apply_fault(fault, req, handler)
            elif response is None:
                response = self._answer(req)
            self._record(req, response.status)
            self._send(handler, method, req, response)
        except _Abort:
            pass
        finally:
            if release is not None:
                release()

    def _answer(self, req: _Request) -> _Response:
        try:
            return getattr(self, f"_route_{req.api}")(req)
        except Exception:
            self.errors.append(traceback.format_exc())
            return _Response(500, b"fake API internal error", "text/plain; charset=utf-8")

    def _record(self, req: _Request, status: int | None) -> None:
        if not self.record:
            return
        entry = RecordedRequest(req.api, req.method, req.path, req.query, dict(req.headers),
                                req.body, status, req.prefix)
        with self._lock:
            self._requests.append(entry)

    def _sleep(self, seconds: float) -> None:
        if seconds > 0:
            self._stop.wait(seconds)

    def _send(self, handler: _Handler, method: str, req: _Request | None,
              response: _Response, *, declared_length: int | None = None,
              body_limit: int | None = None) -> None:
        body = response.body
        headers = list(response.headers)
        names = {k.lower() for k, _ in headers}
        accept = (req.headers.get("accept-encoding", "") if req else "")
        if (self.compress and body and "gzip" in accept and response.status != 304
                and declared_length is None):
            body = gzip.compress(body, compresslevel=1)
            headers.append(("Content-Encoding", "gzip"))
        try:
            handler.send_response_only(response.status, response.reason)
            if "date" not in names:
                handler.send_header("Date", format_datetime(datetime.now(UTC), usegmt=True))
            if response.content_type and "content-type" not in names:
                handler.send_header("Content-Type", response.content_type)
            for name, value in headers:
                handler.send_header(name, value)
            if response.status not in (204, 304):
                handler.send_header("Content-Length", str(
                    declared_length if declared_length is not None else len(body)))
            # headers and body in one write: split writes meet Nagle + delayed ACK (40 ms)
            handler._headers_buffer.append(b"\r\n")
            if method != "HEAD" and response.status not in (204, 304):
                handler._headers_buffer.append(body if body_limit is None else body[:body_limit])
            handler.flush_headers()
        except (BrokenPipeError, ConnectionError, OSError):
            handler.close_connection = True

    # ----------------------------------------------------------------- faults

    def _apply_fault(self, fault: Fault, req: _Request, handler: _Handler) -> _Response:
        kind = fault.kind
        if kind in hostile.KINDS:  # endless, gzip bomb, trickle, deep JSON… (see hostile.py)
            return hostile.apply(self, fault, req, handler)
        if kind == "hang":
            self._record(req, None)
            deadline = time.monotonic() + (fault.seconds if fault.seconds is not None else 30.0)
            while not self._stop.is_set() and time.monotonic() < deadline:
                self._stop.wait(0.02)
            handler.close_connection = True
            raise _Abort
        if kind == "reset":
            self._record(req, None)
            handler.reset()
            raise _Abort
        if kind == "truncated":
            response = self._answer(req)
            body = response.body or b'{"truncated": true, "padding": "' + b"x" * 64 + b'"}'
            response.body = body
            self._record(req, response.status if response.status != 304 else 200)
            if response.status in (204, 304):
                response.status = 200
            self._send(handler, req.method, req, response,
                       declared_length=len(body) + max(len(body), 1024),
                       body_limit=max(len(body) // 2, 1))
            handler.close_connection = True
            raise _Abort
        if kind == "status":
            response = self._error(req, fault.status, fault)
        elif kind == "retry_after":
            response = self._error(req, 429, fault)
            seconds = fault.seconds if fault.seconds is not None else 1
            response.headers = [(k, v) for k, v in response.headers if k.lower() != "retry-after"]
            response.headers.append(("Retry-After", str(max(0, math.ceil(seconds)))))
        elif kind == "html200":
            response = _Response(200, fmt.HTML_ERROR_PAGE, "text/html; charset=utf-8")
        elif kind == "wrong_types":
            response = self._wrong_types(req, fault)
        else:  # empty_feed
            response = self._empty(req)
        if fault.headers:
            response.headers += list(fault.headers.items())
        return response

    def _wrong_types(self, req: _Request, fault: Fault) -> _Response:
        if req.api == "arxiv":
            return _Response(200, fmt.arxiv_garbage_feed(_now()), fmt.ARXIV_CT)
        if req.api == "neurips":
            if req.rel.endswith(".bib"):
                return _Response(200, b"@inproceedings{broken,\n title = {Unclosed,\n year = 20x",
                                 "text/plain; charset=utf-8")
            page = ('<html><head><meta name="citation_publication_date" content="someday">'
                    '<meta name="citation_author" content=""></head><body>'
                    '<p class="paper-abstract"></p></body></html>')
            return _Response(200, page.encode(), "text/html; charset=utf-8")
        normal = self._answer(req)
        try:
            data = json.loads(normal.body)
        except (ValueError, UnicodeDecodeError):
            data = {"unexpected": True}
        if fault.variant == "top":
            data = [data] if isinstance(data, dict) else {"data": data}
        else:
            data = fmt.scramble(data)
        headers = [(k, v) for k, v in normal.headers if k.lower() != "content-type"]
        return _Response(200, fmt.dumps(data), "application/json; charset=utf-8", headers)

    def _empty(self, req: _Request) -> _Response:
        if req.api == "arxiv":
            return _Response(200, fmt.arxiv_empty_feed(_now()), fmt.ARXIV_CT)
        if req.api == "neurips":
            return _Response(200, b"<html><head></head><body></body></html>",
                             "text/html; charset=utf-8")
        if req.api == "semanticscholar" and req.rel.endswith("/paper/batch"):
            return _Response(200, b"[]", "application/json")
        return _Response(200, b"{}", "application/json")

    def _error(self, req: _Request, status: int, fault: Fault | None = None) -> _Response:
        """That API's error answer for ``status``."""
        phrase = _phrase(status)
        api = req.api
        if api == "github":
            return self._github_error(req, status, fault)
        if api == "semanticscholar":
            if status == 429:
                return _Response(429, fmt.S2_TOO_MANY, "application/json")
            if status == 403:
                return _Response(403, b'{"message":"Forbidden"}', "application/json",
                                 [("x-amzn-ErrorType", "ForbiddenException")])
            if status == 404:
                return _Response(404, fmt.dumps({"error": f"Paper with id {req.rel} not found"}),
                                 "application/json")
            if status < 500:
                return _Response(status, fmt.dumps({"error": phrase}), "application/json")
            message = "Endpoint request timed out" if status == 504 else "Internal server error"
            return _Response(status, fmt.dumps({"message": message}), "application/json")
        if api == "openreview":
            names = {400: "ValidationError", 401: "AuthenticationError", 403: "ForbiddenError",
                     404: "NotFoundError", 429: "RateLimitError"}
            name = names.get(status, "Error" if status < 500 else "InternalServerError")
            return _Response(status, fmt.openreview_error(status, name, phrase),
                             "application/json; charset=utf-8")
        if api == "crossref":
            if status == 404:
                return _Response(404, fmt.CROSSREF_NOT_FOUND, "text/plain",
                                 self._crossref_headers(req))
            if status == 400:
                return _Response(400, fmt.crossref_validation_failure("query.*"),
                                 "application/json;charset=utf-8", self._crossref_headers(req))
            return _Response(status, phrase.encode(), "text/plain", self._crossref_headers(req))
        if api == "openalex":
            if status == 404:
                return _Response(404, fmt.OPENALEX_NOT_FOUND, "text/html; charset=utf-8",
                                 _openalex_headers())
            return _Response(status, fmt.dumps({"error": phrase, "message": phrase}),
                             "application/json", _openalex_headers())
        if api == "neurips" and status == 404:
            return _Response(404, fmt.NEURIPS_NOT_FOUND.encode(), "text/html; charset=utf-8")
        reason = "Unknown Error" if api == "arxiv" and status == 429 else None
        return _Response(status, fmt.html_status_page(status, phrase),
                         "text/html; charset=utf-8", reason=reason)

    # ----------------------------------------------------------------- limits

    def _enforce(self, req: _Request):
        """(429 answer or None, release callback or None)."""
        now = time.monotonic()
        lim = self.limits
        if req.api == "arxiv":
            with self._lock:
                if self._arxiv_inflight > 0 or now - self._arxiv_last < lim.arxiv_interval:
                    return self._error(req, 429), None
                self._arxiv_inflight += 1
                self._arxiv_last = now

            def release() -> None:
                with self._lock:
                    self._arxiv_inflight -= 1
            return None, release
        if req.api == "semanticscholar":
            with self._lock:
                if now - self._s2_last < lim.s2_interval:
                    return self._error(req, 429), None
                self._s2_last = now
            return None, None
        if req.api == "crossref":
            pool = _crossref_pool(req)
            per_second, concurrency = lim.crossref_pools[pool]
            with self._lock:
                window = self._crossref_window.setdefault(pool, deque())
                while window and window[0] <= now - 1.0:
                    window.popleft()
                inflight = self._crossref_inflight.get(pool, 0)
                if (concurrency is not None and inflight >= concurrency) or (
                        len(window) >= per_second):
                    return _Response(429, b"Too many requests", "text/plain",
                                     self._crossref_headers(req)), None
                window.append(now)
                self._crossref_inflight[pool] = inflight + 1

            def release() -> None:
                with self._lock:
                    self._crossref_inflight[pool] -= 1
            return None, release
        if req.api == "openalex":
            with self._lock:
                window = self._openalex_window
                while window and window[0] <= now - 1.0:
                    window.popleft()
                if len(window) >= lim.openalex_per_second:
                    return _Response(429, fmt.dumps({
                        "error": "Too Many Requests",
                        "message": "You have exceeded the rate limit of "
                                   f"{lim.openalex_per_second} requests per second."}),
                        "application/json", _openalex_headers()), None
                window.append(now)
            return None, None
        return None, None

    # ----------------------------------------------------------------- arXiv

    def _route_arxiv(self, req: _Request) -> _Response:
        if req.rel.rstrip("/") != "/query":
            return _Response(404, fmt.html_status_page(404, "Not Found"),
                             "text/html; charset=utf-8")
        params = req.params
        if req.method == "POST" and req.body:
            for key, values in parse_qs(req.body.decode("utf-8", "replace"),
                                        keep_blank_values=True).items():
                params.setdefault(key, []).extend(values)

        def last(name: str, default: str) -> str:
            return params[name][-1] if params.get(name) else default

        now = _now()
        numbers = {}
        for name, default in (("start", "0"), ("max_results", "10")):
            text = last(name, default)
            if not re.fullmatch(r"\d+", text.strip()):
                return _Response(400, fmt.arxiv_error_feed(
                    f"{name}_must_be_an_integer", f"{name} must be an integer", now),
                    fmt.ARXIV_CT)
            numbers[name] = int(text)
        start, max_results = numbers["start"], numbers["max_results"]
        if max_results > 30000:
            return _Response(400, fmt.arxiv_error_feed(
                "max_results_must_be_less_than_30000", "max_results must be less than 30000",
                now), fmt.ARXIV_CT)
        id_list = last("id_list", "")
        search_query = last("search_query", "")
        found: dict[tuple[str, int], Paper] = {}
        for raw in (part.strip() for part in id_list.split(",")):
            if not raw:
                continue
            match = re.fullmatch(r"(.+?)(?:v(\d+))?", raw)
            base, version = match.group(1), match.group(2)
            if not (ARXIV_NEW.match(base) or ARXIV_OLD.match(base)):
                return _Response(400, fmt.arxiv_error_feed(
                    f"incorrect_id_format_for_{raw}", f"incorrect id format for {raw}", now),
                    fmt.ARXIV_CT)
            paper = self.world.by_arxiv(base)
            if paper is None:
                continue
            wanted = int(version) if version else paper.arxiv_version
            if 1 <= wanted <= paper.arxiv_version:
                found[(base, wanted)] = paper
        entries = [(found[key], key[1]) for key in sorted(found)]  # arXiv's order, not ours
        page = entries[start:start + max_results]
        body = fmt.arxiv_feed(page, id_list=id_list, search_query=search_query, start=start,
                              max_results=max_results, total=len(entries), now=now)
        return _Response(200, body, fmt.ARXIV_CT)

    # ----------------------------------------------------------------- OpenReview

    def _route_openreview(self, req: _Request) -> _Response:
        v1 = req.prefix == "/openreview-v1"
        ct = "application/json; charset=utf-8"
        rel = req.rel.rstrip("/")

        def visible(paper: Paper | None) -> bool:
            return paper is not None and paper.openreview_v1 == v1

        def render(paper: Paper, details: str | None) -> dict[str, Any]:
            return (fmt.openreview_note_v1 if v1 else fmt.openreview_note_v2)(paper, details)

        def listing(ids: list[str], details: str | None) -> _Response:
            notes, seen = [], set()
            for note_id in ids:
                paper = self.world.by_openreview(note_id)
                if note_id not in seen and visible(paper):
                    seen.add(note_id)
                    notes.append(render(paper, details))
            offset = int(req.param("offset", "0") or 0)
            limit = int(req.param("limit", "1000") or 1000)
            window = notes[offset:offset + limit]
            return _Response(200, fmt.dumps({"notes": window, "count": len(notes)}), ct)

        if rel == "/notes/search" and req.method == "POST":  # v2, and v1's get_notes_by_ids
            try:
                payload = json.loads(req.body or b"{}")
                ids = payload.get("ids") if isinstance(payload, dict) else None
                if isinstance(ids, str):
                    ids = ids.split(",")
                if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
                    raise ValueError("ids must be a list of strings")
            except ValueError as exc:
                return _Response(400, fmt.openreview_error(400, "ValidationError", str(exc)), ct)
            details = payload.get("details") if isinstance(payload.get("details"), str) else None
            return listing(ids, details)
        if rel != "/notes" or req.method not in ("GET", "HEAD"):
            return _Response(404, fmt.openreview_error(
                404, "NotFoundError", f"Route {req.method} {rel} not found"), ct)
        details = req.param("details")
        note_id = req.param("id")
        if note_id:
            paper = self.world.by_openreview(note_id)
            if not visible(paper):
                return _Response(404, fmt.openreview_error(
                    404, "NotFoundError", f"The Note {note_id} was not found"), ct)
            return _Response(200, fmt.dumps({"notes": [render(paper, details)], "count": 1}), ct)
        ids: list[str] = []
        for key in ("ids", "forum"):
            for value in req.params.get(key, []):
                ids += [part.strip() for part in value.split(",") if part.strip()]
        return listing(ids, details)

    # ----------------------------------------------------------------- bioRxiv

    def _route_biorxiv(self, req: _Request) -> _Response:
        ct = "application/json; charset=UTF-8"
        match = re.fullmatch(r"/(details|pubs)/(biorxiv|medrxiv)/(.+?)(?:/na(?:/(json|xml))?)?/?",
                             req.rel)
        if not match:
            return _Response(404, fmt.html_status_page(404, "Not Found"),
                             "text/html; charset=utf-8")
        endpoint, server, doi = match.group(1), match.group(2), match.group(3)
        paper = self.world.by_biorxiv(doi) if doi.startswith("10.") else None
        if paper is None or paper.biorxiv_server != server:
            return _Response(200, fmt.BIORXIV_NOT_FOUND, ct)
        body = fmt.biorxiv_details(paper) if endpoint == "details" else fmt.biorxiv_pubs(paper)
        return _Response(200, body, ct)

    # ----------------------------------------------------------------- Crossref

    def _crossref_headers(self, req: _Request) -> list[tuple[str, str]]:
        pool = _crossref_pool(req)
        per_second, concurrency = self.limits.crossref_pools[pool]
        headers = [
            ("access-control-allow-headers", "X-Requested-With, Accept, Accept-Encoding, "
             "Accept-Charset, Accept-Language, Accept-Ranges, Cache-Control"),
            ("access-control-allow-origin", "*"),
            ("access-control-expose-headers", "Link"),
            ("permissions-policy", "interest-cohort=()"),
            ("server", "Jetty(9.4.40.v20210413)"),
            ("vary", "Accept-Encoding"),
            ("x-api-pool", pool),
        ]
        if concurrency is not None:
            headers.append(("x-concurrency-limit", str(concurrency)))
        headers += [("x-rate-limit-interval", "1s"), ("x-rate-limit-limit", str(per_second))]
        return headers

    def _crossref_paper(self, doi: str) -> Paper | None:
        paper = self.world.by_doi(doi) or self.world.by_biorxiv(doi)
        return paper if paper is not None and paper.crossref_known else None

    def _route_crossref(self, req: _Request) -> _Response:
        headers = self._crossref_headers(req)
        ct = "application/json"
        if not req.path.startswith("/works"):
            return _Response(404, fmt.CROSSREF_NOT_FOUND, "text/plain", headers)
        if req.path.rstrip("/") == "/works":
            return self._crossref_list(req, headers)
        bad = [k for k in req.params if k.startswith("query")]
        if bad:
            return _Response(400, fmt.crossref_validation_failure("query.*"),
                             "application/json;charset=utf-8", headers)
        doi = unquote(req.path[len("/works/"):])
        paper = self._crossref_paper(doi)
        if paper is None:
            return _Response(404, fmt.CROSSREF_NOT_FOUND, "text/plain", headers)
        return _Response(200, fmt.dumps(fmt.crossref_work(paper, doi)), ct, headers)

    def _crossref_list(self, req: _Request, headers: list[tuple[str, str]]) -> _Response:
        rows = min(int(req.param("rows", "20") or 20), 1000)
        items: list[dict[str, Any]] = []
        filters = req.param("filter")
        title = req.param("query.title") or req.param("query.bibliographic")
        if filters:
            for part in filters.split(","):
                key, _, value = part.partition(":")
                if key == "doi":
                    paper = self._crossref_paper(value)
                    if paper is not None:
                        items.append(fmt.crossref_work(paper, value)["message"])
        elif title:
            hit = self.world.by_title(title)
            if hit and (hit[0].doi or hit[0].biorxiv_published_doi or hit[0].biorxiv):
                paper = hit[0]
                doi = paper.doi or paper.biorxiv_published_doi or paper.biorxiv
                items.append(fmt.crossref_work(paper, doi)["message"] | {"score": hit[1]})
        message = {"facets": {}, "total-results": len(items), "items": items[:rows],
                   "items-per-page": rows, "query": {"start-index": 0, "search-terms": title}}
        return _Response(200, fmt.dumps({"status": "ok", "message-type": "work-list",
                                         "message-version": "1.0.0", "message": message}),
                         "application/json", headers)

    # ----------------------------------------------------------------- NeurIPS

    def _route_neurips(self, req: _Request) -> _Response:
        html = "text/html; charset=utf-8"
        not_found = _Response(404, fmt.NEURIPS_NOT_FOUND.encode(), html)
        rel = req.rel
        match = re.fullmatch(r"/paper_files/paper/(\d{4})/hash/([0-9a-fA-F]{32})-Abstract"
                             r"((?:-[A-Za-z_]+)?)\.html", rel)
        if match:
            paper = self.world.by_neurips(int(match.group(1)), match.group(2))
            if paper is None or match.group(3) != fmt.neurips_paper_suffix(paper):
                return not_found
            return _Response(200, fmt.neurips_page(paper).encode(), html)
        match = re.fullmatch(r"/paper_files/paper/(\d{4})/file/([0-9a-fA-F]{32})-Bibtex\.bib", rel)
        if match:
            paper = self.world.by_neurips(int(match.group(1)), match.group(2))
            if paper is None:
                return not_found
            return _Response(200, fmt.neurips_bibtex(paper).encode(), "application/x-bibtex")
        match = re.fullmatch(r"/paper/([\w-]+?)(?:\.pdf)?/?", rel)
        if match:
            return self._neurips_legacy(req, match.group(1))
        match = re.fullmatch(r"/paper_files/paper/(\d{4})/?", rel)
        if match:
            year = int(match.group(1))
            papers = [p for p in self.world.papers if p.neurips and p.neurips[0] == year]
            if not papers:
                return not_found
            return _Response(200, fmt.neurips_year_index(year, papers).encode(), html)
        return not_found

    # ----------------------------------------------------------------- PubMed, proceedings

    def _route_pubmed(self, req: _Request) -> _Response:
        return _Response(*hosts.route_pubmed(self.hosts, req.prefix, req.rel, req.query))

    def _route_proceedings(self, req: _Request) -> _Response:
        return _Response(*hosts.route_proceedings(self.hosts, req.prefix, req.rel, req.query))

    def _neurips_legacy(self, req: _Request, rest: str) -> _Response:
        """The old site's links, ``/paper/<n>-<slug>`` and ``/paper/by-source-<year>-<n>``,
        redirect (301) to the paper's ``/paper_files/paper/<year>/hash/<hash>-Abstract….html``
        (API-NOTES.md part 3 §9). ``<slug>`` is the title's, ``<n>`` in ``by-source`` the
        paper's place in its year's index (from 1)."""
        html = "text/html; charset=utf-8"
        papers = [p for p in self.world.papers if p.neurips]
        paper: Paper | None = None
        match = re.fullmatch(r"by-source-(\d{4})-(\d+)", rest)
        if match:
            year, n = int(match.group(1)), int(match.group(2))
            listed = [p for p in papers if p.neurips and p.neurips[0] == year]
            paper = listed[n - 1] if 1 <= n <= len(listed) else None
        else:
            match = re.fullmatch(r"\d+-([\w-]+)", rest)
            slug = match.group(1).lower() if match else None
            paper = next((p for p in papers if _slug(p.title) == slug), None)
        if paper is None or not paper.neurips:
            return _Response(404, fmt.NEURIPS_NOT_FOUND.encode(), html)
        year, digest = paper.neurips
        location = (f"{req.prefix}/paper_files/paper/{year}/hash/{digest}-Abstract"
                    f"{fmt.neurips_paper_suffix(paper)}.html")
        return _Response(301, b"", html, [("Location", location)])

    # ----------------------------------------------------------------- Semantic Scholar

    bulk_page_size = 1000
    """Papers a bulk search page holds (S2's limit; tests lower it to see paging)."""

    def _s2_bulk(self, req: _Request, fields: list[str] | None) -> _Response:
        """``/paper/search/bulk``: a boolean query (``|`` OR of clauses; a clause is a
        ``"phrase"`` or words, all required) matched against title *and* abstract, the ``year``
        filter (``2020``, ``2019-2021``, ``2019-``, ``-2021``), results in paperId order, 1,000 a
        page and a ``token`` for the next page (null on the last); papers S2 does not know are
        absent. The documented shape (API-NOTES.md part 3 §8; paging as recorded)."""
        ct = "application/json"
        query = req.param("query")
        if not query:
            return _Response(400, b'{"error":"Missing required parameter: \'query\'"}', ct)
        low, high = -math.inf, math.inf
        year = req.param("year")
        if year:
            match = re.fullmatch(r"(\d{4})?(-)?(\d{4})?", year.strip())
            if not match or not (match.group(1) or match.group(3)):
                return _Response(400, fmt.dumps({"error": f"Invalid year: {year}"}), ct)
            low = int(match.group(1)) if match.group(1) else -math.inf
            high = int(match.group(3)) if match.group(3) else (
                math.inf if match.group(2) else low)
        clauses = [c for c in (_bulk_clause(part) for part in _split_or(query)) if c]
        hits = []
        for paper in self.world.papers:
            if not paper.s2_known:
                continue
            text = self._s2_bulk_text(paper)
            paper_year = paper.published.year if paper.published else paper.year
            if paper_year is None or not low <= paper_year <= high:
                continue
            if any(all(f" {words} " in text for words in clause) for clause in clauses):
                hits.append(paper)
        hits.sort(key=lambda p: p.s2_id)
        token = req.param("token")
        start = int(token.removeprefix("BULK")) if token and token.startswith("BULK") else 0
        size = self.bulk_page_size
        page = hits[start:start + size]
        following = f"BULK{start + size}" if start + size < len(hits) else None
        body = {"total": len(hits), "token": following,
                "data": [fmt.s2_paper(paper, fields) for paper in page]}
        return _Response(200, fmt.dumps_spaced(body), ct)

    def _s2_bulk_text(self, paper: Paper) -> str:
        texts = self.__dict__.setdefault("_bulk_texts", {})
        key = id(paper)
        if key not in texts:
            texts[key] = (f" {normalise_title(paper.title)} "
                          f"{normalise_title(fmt.s2_abstract(paper) or '')} ")
        return str(texts[key])

    def _s2_lookup(self, raw: str) -> Paper | None:
        text = raw.strip()
        upper = text.upper()
        world = self.world
        paper: Paper | None = None
        if upper.startswith("ARXIV:"):
            paper = world.by_arxiv(text[6:])
        elif upper.startswith("DOI:"):
            paper = self._s2_doi(text[4:])
        elif upper.startswith("CORPUSID:"):
            digits = text[9:]
            paper = world.by_corpus_id(int(digits)) if digits.isdigit() else None
        elif upper.startswith("URL:"):
            paper = self._s2_url(text[4:])
        elif re.fullmatch(r"[0-9a-fA-F]{40}", text):
            paper = world.by_s2_id(text)
        elif text.startswith("10."):
            paper = self._s2_doi(text)
        return paper if paper is not None and paper.s2_known else None

    def _s2_doi(self, doi: str) -> Paper | None:
        world = self.world
        match = re.fullmatch(r"10\.48550/arxiv\.(.+)", doi, re.I)
        if match:
            return world.by_arxiv(match.group(1))
        paper = world.by_doi(doi)
        if paper is not None:
            return paper
        paper = world.by_biorxiv(doi)
        # a published preprint is folded into its journal record: its own DOI is unknown
        return paper if paper is not None and not paper.biorxiv_published_doi else None

    def _s2_url(self, url: str) -> Paper | None:
        match = re.match(r"https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/([^?#]+?)(?:\.pdf)?$",
                         url)
        if match:
            return self.world.by_arxiv(match.group(1))
        match = re.match(r"https?://(?:www\.)?(?:bio|med)rxiv\.org/content/(10\.\d+/[\d.]+?)"
                         r"(?:v\d+)?(?:\.full|\.abstract|\.full\.pdf)?/?$", url)
        if match:
            return self.world.by_biorxiv(match.group(1))
        match = re.match(r"https?://(?:www\.)?semanticscholar\.org/paper/(?:[^/]+/)?"
                         r"([0-9a-fA-F]{40})$", url)
        if match:
            return self.world.by_s2_id(match.group(1))
        return None

    def _route_semanticscholar(self, req: _Request) -> _Response:
        ct = "application/json"
        key = req.headers.get("x-api-key")
        if key is not None and self.world.s2_api_key is not None and key != self.world.s2_api_key:
            return self._error(req, 403)
        fields_text = req.param("fields")
        fields = [f.strip() for f in fields_text.split(",") if f.strip()] if fields_text else None
        if fields:
            unknown = fmt.s2_unknown_fields(fields)
            if unknown:
                return _Response(400, fmt.dumps(
                    {"error": f"Unrecognized or unsupported fields: [{', '.join(unknown)}]"}), ct)
        rel = req.rel
        if rel == "/paper/batch":
            if req.method != "POST":
                return _Response(405, b'{"message":"Missing Authentication Token"}', ct)
            try:
                payload = json.loads(req.body or b"null")
                ids = payload.get("ids") if isinstance(payload, dict) else None
                if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
                    raise ValueError
            except ValueError:
                return _Response(400, b'{"error":"Unacceptable JSON body: expected {\\"ids\\": '
                                      b'[...]}"}', ct)
            if len(ids) > 500:
                return _Response(400, b'{"error":"Can only process 500 paper ids at a time."}', ct)
            answer = []
            for paper_id in ids:
                paper = self._s2_lookup(paper_id)
                answer.append(fmt.s2_paper(paper, fields) if paper else None)
            return _Response(200, fmt.dumps_spaced(answer), ct)
        if rel == "/paper/search/match":
            query = req.param("query")
            if not query:
                return _Response(400, b'{"error":"Missing required parameter: \'query\'"}', ct)
            hit = self.world.by_title(query)
            if hit is None or not hit[0].s2_known:
                return _Response(404, b'{"error":"Title match not found"}', ct)
            paper, score = hit
            data = fmt.s2_paper(paper, fields) | {"matchScore": score}
            return _Response(200, fmt.dumps_spaced({"data": [data]}), ct)
        if rel == "/paper/search/bulk":
            return self._s2_bulk(req, fields)
        if rel == "/paper/search":
            return _Response(200, fmt.dumps_spaced({"total": 0, "offset": 0, "data": []}), ct)
        if rel.startswith("/paper/"):
            paper_id = rel[len("/paper/"):]
            paper = self._s2_lookup(paper_id)
            if paper is None:
                return _Response(404, fmt.dumps({"error": f"Paper with id {paper_id} not found"}),
                                 ct)
            return _Response(200, fmt.dumps_spaced(fmt.s2_paper(paper, fields)), ct)
        return _Response(404, b'{"message":"Missing Authentication Token"}', ct)

    # ----------------------------------------------------------------- OpenAlex

    def _route_openalex(self, req: _Request) -> _Response:
        headers = _openalex_headers()
        ct = "application/json"
        required = self.world.openalex_api_key
        if required is not None and req.param("api_key") != required:
            return _Response(401, fmt.dumps({
                "error": "Invalid or missing API key",
                "message": "An API key is required: add api_key=YOUR_KEY to the query string. "
                           "Get a free key at https://openalex.org/settings/api"}), ct, headers)
        not_found = _Response(404, fmt.OPENALEX_NOT_FOUND, "text/html; charset=utf-8", headers)
        if req.path.rstrip("/") == "/works":
            return self._openalex_list(req, headers)
        if not req.path.startswith("/works/"):
            return not_found
        ident = unquote(req.path[len("/works/"):])
        hit = None
        lowered = ident.lower()
        for prefix in ("doi:", "https://doi.org/", "http://doi.org/", "doi.org/",
                       "https://dx.doi.org/"):
            if lowered.startswith(prefix):
                hit = self.world.by_openalex_doi(ident[len(prefix):])
                break
        else:
            match = re.fullmatch(r"(?:https://openalex\.org/)?(W\d+)", ident, re.I)
            if match:
                hit = self.world.by_openalex_id(match.group(1))
            elif ident.startswith("10."):
                hit = self.world.by_openalex_doi(ident)
        if hit is None:
            return not_found
        work = fmt.select_fields(fmt.openalex_work(*hit), req.param("select"))
        return _Response(200, fmt.dumps(work), ct, headers)

    def _openalex_list(self, req: _Request, headers: list[tuple[str, str]]) -> _Response:
        ct = "application/json"

        def invalid(message: str) -> _Response:
            return _Response(400, fmt.dumps({"error": "Invalid query parameters error.",
                                             "message": message}), ct, headers)

        per_page_text = req.param("per-page") or req.param("per_page") or "25"
        page_text = req.param("page") or "1"
        if not per_page_text.isdigit() or not 1 <= int(per_page_text) <= 200:
            return invalid("per-page parameter must be between 1 and 200")
        if not page_text.isdigit() or int(page_text) < 1:
            return invalid("page parameter must be a positive integer")
        per_page, page = int(per_page_text), int(page_text)
        hits: dict[str, tuple[Paper, str]] = {}
        filters = req.param("filter") or ""
        candidates: list[tuple[Paper, str]] | None = None
        for clause in filter(None, filters.split(",")):
            key, _, value = clause.partition(":")
            values = [v for v in value.split("|") if v]
            if len(values) > 100:
                return invalid(f"Maximum number of values exceeded for {key}. Decrease values "
                               "to 100 or below, or consider using the bulk API.")
            found: list[tuple[Paper, str]] = []
            if key == "doi":
                for doi in values:
                    doi = re.sub(r"^https?://(dx\.)?doi\.org/", "", doi, flags=re.I)
                    hit = self.world.by_openalex_doi(doi)
                    if hit:
                        found.append(hit)
            elif key in ("ids.openalex", "openalex", "openalex_id"):
                for work in values:
                    hit = self.world.by_openalex_id(work.rsplit("/", 1)[-1])
                    if hit:
                        found.append(hit)
            elif key in ("title.search", "display_name.search", "default.search"):
                wanted = set(normalise_title(value).split())
                for paper in self.world.papers:
                    if paper.openalex_known and wanted <= set(normalise_title(paper.title).split()):
                        kinds = {kind for kind, _ in openalex_works(paper)}
                        found += [(paper, kind) for kind in sorted(kinds)]
            else:
                return invalid(f"{key} is not a valid field to filter by")
            if candidates is None:
                candidates = found
            else:
                keep = {(id(p), k) for p, k in found}
                candidates = [(p, k) for p, k in candidates if (id(p), k) in keep]
        for paper, kind in candidates or []:
            hits[fmt.openalex_work(paper, kind)["id"]] = (paper, kind)
        ordered = [hits[key] for key in sorted(hits)]  # OpenAlex's order, not the request's
        chunk = ordered[(page - 1) * per_page: page * per_page]
        results = [fmt.select_fields(fmt.openalex_work(p, k), req.param("select"))
                   for p, k in chunk]
        meta = {"count": len(ordered), "db_response_time_ms": 12, "page": page,
                "per_page": per_page, "groups_count": None}
        return _Response(200, fmt.dumps({"meta": meta, "results": results, "group_by": []}),
                         ct, headers)

    # ----------------------------------------------------------------- GitHub

    def _quota_for(self, resource: str, token: str | None) -> _Quota:
        """Caller holds the lock."""
        ident = f"token:{token}" if token else "anon"
        quota = self._quotas.get((ident, resource))
        if quota is None:
            if resource == "graphql":
                limit = self.limits.github_graphql
            else:
                limit = self.limits.github_core or (5000 if token else 60)
            if not self.enforce_limits:
                limit = max(limit, 5000)
            quota = self._quotas[(ident, resource)] = _Quota(limit, self.limits.github_window)
        quota.roll(time.time())
        return quota

    def _github_token(self, req: _Request) -> str | None:
        auth = req.headers.get("authorization", "")
        match = re.fullmatch(r"(?i:token|bearer)\s+(\S+)", auth.strip())
        return match.group(1) if match else None

    def _github_headers(self, quota: _Quota, resource: str) -> list[tuple[str, str]]:
        return [
            ("Cache-Control", "private, max-age=60, s-maxage=60"),
            ("Vary", "Accept, Authorization, Cookie, X-GitHub-OTP,Accept-Encoding, Accept, "
                     "X-Requested-With"),
            ("X-GitHub-Media-Type", "github.v3; format=json" if resource == "core"
             else "github.v4; format=json"),
            ("x-github-api-version-selected", "2022-11-28"),
            ("X-RateLimit-Limit", str(quota.limit)),
            ("X-RateLimit-Remaining", str(quota.remaining)),
            ("X-RateLimit-Reset", str(int(quota.reset))),
            ("X-RateLimit-Used", str(quota.used)),
            ("X-RateLimit-Resource", resource),
            ("Access-Control-Expose-Headers", "ETag, Link, Location, Retry-After, X-GitHub-OTP, "
             "X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Used, X-RateLimit-Resource, "
             "X-RateLimit-Reset, X-OAuth-Scopes, X-Accepted-OAuth-Scopes, X-Poll-Interval, "
             "X-GitHub-Media-Type, X-GitHub-SSO, X-GitHub-Request-Id, Deprecation, Sunset"),
            ("Access-Control-Allow-Origin", "*"),
            ("X-Content-Type-Options", "nosniff"),
            ("Server", "github.com"),
            ("X-GitHub-Request-Id", f"FA4E:{self._rng.randrange(16**6):06X}:"
                                    f"{self._rng.randrange(16**6):06X}"),
        ]

    def _charge(self, resource: str, token: str | None, points: int) -> _Quota:
        with self._lock:
            quota = self._quota_for(resource, token)
            if not self.enforce_limits and quota.used + points >= quota.limit:
                quota.used, quota.reset = 0, math.floor(time.time() + quota.window)
            quota.used = min(quota.used + points, quota.limit)
            self._quota_used += points
            return quota

    def _github_error(self, req: _Request, status: int, fault: Fault | None) -> _Response:
        resource = "graphql" if req.rel.rstrip("/") == "/graphql" else "core"
        token = self._github_token(req)
        with self._lock:
            quota = self._quota_for(resource, token)
        headers = self._github_headers(quota, resource)
        ct = "application/json; charset=utf-8"
        variant = fault.variant if fault else None
        if status in (403, 429) and variant != "forbidden":
            if variant is None:
                variant = "primary" if status == 403 else "secondary"
            if variant == "primary":
                headers = [(k, v) for k, v in headers if not k.startswith("X-RateLimit-R")
                           and k != "X-RateLimit-Used"]
                headers += [("X-RateLimit-Remaining", "0"),
                            ("X-RateLimit-Reset", str(int(quota.reset))),
                            ("X-RateLimit-Used", str(quota.limit)),
                            ("X-RateLimit-Resource", resource)]
                body = fmt.github_rate_limited(token is not None,
                                               "1" if token else "127.0.0.1")
                return _Response(status, body, ct, headers)
            seconds = fault.seconds if fault and fault.seconds is not None else 60
            headers.append(("Retry-After", str(max(0, math.ceil(seconds)))))
            return _Response(status, fmt.GITHUB_SECONDARY, ct, headers)
        if status == 403:
            return _Response(403, fmt.GITHUB_FORBIDDEN, ct, headers)
        if status == 401:
            return _Response(401, fmt.GITHUB_BAD_CREDENTIALS, ct, headers)
        if status == 404:
            return _Response(404, fmt.GITHUB_NOT_FOUND, ct, headers)
        if status == 422:
            return _Response(422, fmt.dumps({"message": "Validation Failed", "status": "422"}),
                             ct, headers)
        if status >= 500:
            return _Response(status, fmt.dumps({"message": "Server Error"}), ct, headers)
        return _Response(status, fmt.dumps({"message": _phrase(status), "status": str(status)}),
                         ct, headers)

    def _route_github(self, req: _Request) -> _Response:
        token = self._github_token(req)
        required = self.world.github_token
        if token is not None and required is not None and token != required:
            return self._github_error(req, 401, None)
        rel = req.rel.rstrip("/")
        if rel == "/graphql":
            return self._github_graphql(req, token)
        api = self.base("github")
        ct = "application/json; charset=utf-8"
        if rel == "/rate_limit":
            with self._lock:
                core, graphql = self._quota_for("core", token), self._quota_for("graphql", token)
            resources = {name: {"limit": q.limit, "used": q.used, "remaining": q.remaining,
                                "reset": int(q.reset)} for name, q in
                         (("core", core), ("graphql", graphql))}
            body = {"resources": resources, "rate": resources["core"]}
            return _Response(200, fmt.dumps(body), ct, self._github_headers(core, "core"))
        with self._lock:
            quota = self._quota_for("core", token)
            exhausted = self.enforce_limits and quota.remaining <= 0
        if exhausted:
            return self._github_error(req, 403, Fault("status", 403, variant="primary"))

        repo: Repo | None = None
        sub = ""
        match = re.fullmatch(r"/repos/([^/]+)/([^/]+)(/.*)?", rel)
        by_id = re.fullmatch(r"/repositories/(\d+)(/.*)?", rel)
        if match:
            name = f"{match.group(1)}/{match.group(2)}"
            repo = self.world.repo(name)
            sub = match.group(3) or ""
            if repo is not None and repo.renamed_to and name.lower() == repo.full_name.lower():
                location = f"{api}/repositories/{repo.id}{sub}"
                headers = [*self._github_headers(quota, "core"), ("Location", location)]
                return _Response(301, fmt.github_moved(api, repo.id), ct, headers)
        elif by_id:
            repo = self.world.repo_by_id(int(by_id.group(1)))
            sub = by_id.group(2) or ""
        if repo is not None and sub == "/readme":  # GET /repos/{o}/{r}/readme: the README
            sub = "/contents/" + (self.world.readme_path(repo.full_name) or "README.md")
        if repo is None or (sub and not sub.startswith("/contents/")):
            quota = self._charge("core", token, 1)
            return _Response(404, fmt.GITHUB_NOT_FOUND, ct, self._github_headers(quota, "core"))
        if sub:
            path = sub[len("/contents/"):]
            text = self.world.file(repo.full_name, path) or (
                self.world.file(repo.renamed_to, path) if repo.renamed_to else None)
            if text is None:
                quota = self._charge("core", token, 1)
                body = fmt.dumps({"message": "Not Found", "documentation_url":
                                  "https://docs.github.com/rest/repos/contents#get-repository-"
                                  "content", "status": "404"})
                return _Response(404, body, ct, self._github_headers(quota, "core"))
            data = fmt.github_contents(repo, path, text, api)
            etag = f'W/"{data["sha"]}"'
            raw = "raw" in req.headers.get("accept", "")
            body, content_type = ((text.encode("utf-8"), "text/plain; charset=utf-8") if raw
                                  else (fmt.dumps(data), ct))
            validators = [("ETag", etag),
                          ("Last-Modified", fmt.http_date(repo.last_modified))]
        else:
            etag = repo.etag
            body, content_type = fmt.dumps(fmt.github_repo(repo, api)), ct
            validators = [("ETag", etag), ("Last-Modified", fmt.http_date(repo.last_modified))]
        if _not_modified(req, etag, repo.last_modified):
            with self._lock:
                quota = self._quota_for("core", token)
            return _Response(304, b"", None, self._github_headers(quota, "core") + validators)
        quota = self._charge("core", token, 1)
        return _Response(200, body, content_type, self._github_headers(quota, "core") + validators)

    def _github_graphql(self, req: _Request, token: str | None) -> _Response:
        ct = "application/json; charset=utf-8"
        if token is None:
            with self._lock:
                quota = self._quota_for("graphql", None)
            return _Response(401, fmt.GITHUB_GRAPHQL_UNAUTHENTICATED, ct,
                             self._github_headers(quota, "graphql"))
        if req.method != "POST":
            return _Response(404, fmt.GITHUB_NOT_FOUND, ct)
        try:
            payload = json.loads(req.body or b"null")
        except ValueError:
            return _Response(400, fmt.dumps({"message": "Problems parsing JSON",
                                             "documentation_url": "https://docs.github.com/"
                                             "graphql"}), ct)
        query = payload.get("query") if isinstance(payload, dict) else None
        variables = (payload.get("variables") or {}) if isinstance(payload, dict) else {}
        if not isinstance(query, str):
            quota = self._charge("graphql", token, 0)
            return _Response(200, fmt.dumps({"errors": [{"message": "A query attribute must be "
                                                         "specified and must be a string."}]}),
                             ct, self._github_headers(quota, "graphql"))
        with self._lock:
            quota = self._quota_for("graphql", token)
            exhausted = self.enforce_limits and quota.remaining <= 0
        if exhausted:
            body = {"errors": [{"type": "RATE_LIMITED",
                                "message": "API rate limit exceeded for user ID 1."}]}
            return _Response(200, fmt.dumps(body), ct, self._github_headers(quota, "graphql"))
        quota = self._charge("graphql", token, 1)
        data: dict[str, Any] = {}
        errors: list[dict[str, Any]] = []
        for match in re.finditer(r"(?:(\w+)\s*:\s*)?\brepository\s*\(([^)]*)\)", query):
            alias = match.group(1) or "repository"
            args = _graphql_args(match.group(2), variables)
            owner, name = args.get("owner"), args.get("name")
            full = f"{owner}/{name}"
            repo = self.world.repo(full) if isinstance(owner, str) and isinstance(name, str) \
                else None
            if repo is not None and args.get("followRenames") is False and repo.renamed_to \
                    and full.lower() == repo.full_name.lower():
                repo = None
            if repo is None:
                data[alias] = None
                line = query.count("\n", 0, match.start()) + 1
                column = match.start() - (query.rfind("\n", 0, match.start()) + 1) + 1
                errors.append({"type": "NOT_FOUND", "path": [alias],
                               "locations": [{"line": line, "column": column}],
                               "message": f"Could not resolve to a Repository with the name "
                                          f"'{full}'."})
            else:
                data[alias] = fmt.github_graphql_repo(repo)
        for match in re.finditer(r"(?:(\w+)\s*:\s*)?\brateLimit\b", query):
            data[match.group(1) or "rateLimit"] = {
                "cost": 1, "limit": quota.limit, "remaining": quota.remaining,
                "used": quota.used, "nodeCount": max(len(data), 1),
                "resetAt": fmt.iso_z(datetime.fromtimestamp(quota.reset, UTC)),
            }
        body: dict[str, Any] = {"data": data}
        if errors:
            body["errors"] = errors
        return _Response(200, fmt.dumps(body), ct, self._github_headers(quota, "graphql"))


# --------------------------------------------------------------------------- helpers


def _split_or(query: str) -> list[str]:
    """The ``|`` clauses of a bulk query, a ``|`` inside ``"…"`` being text."""
    parts, current, quoted = [], [], False
    for char in query:
        if char == '"':
            quoted = not quoted
        if char == "|" and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _bulk_clause(clause: str) -> list[str]:
    """A clause as the normalised texts it requires: each phrase, and each bare word."""
    phrases = re.findall(r'"([^"]*)"', clause)
    rest = re.sub(r'"[^"]*"', " ", clause)
    words = [w for w in re.split(r"[\s+]+", rest) if w and not w.startswith("-")]
    return [t for t in (normalise_title(x) for x in [*phrases, *words]) if t]


def _slug(title: str) -> str:
    return normalise_title(title).replace(" ", "-")


def _api_name(api: str) -> str:
    aliases = {"s2": "semanticscholar", "openreview-v1": "openreview",
               "openreview_v1": "openreview"}
    api = aliases.get(api, api)
    if api not in API_NAMES:
        raise ValueError(f"unknown API {api!r}; one of {API_NAMES}")
    return api


def _matches(needle: str, req: _Request) -> bool:
    target = req.target
    return (needle in target or needle in unquote(target)
            or needle in req.body.decode("utf-8", "replace"))


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _phrase(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return "Unknown Error"


def _crossref_pool(req: _Request) -> str:
    if req.headers.get("crossref-plus-api-token"):
        return "plus"
    if req.param("mailto") or "mailto:" in req.headers.get("user-agent", ""):
        return "polite"
    return "public"


def _openalex_headers() -> list[tuple[str, str]]:
    return [
        ("Access-Control-Allow-Origin", "*"),
        ("Access-Control-Expose-Headers",
         "Cache-Control, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, Retry-After"),
        ("RateLimit-Limit", "100"), ("RateLimit-Remaining", "99"), ("RateLimit-Reset", "1"),
        ("Server", "cloudflare"), ("Vary", "accept-encoding"),
    ]


def _weak(tag: str) -> str:
    tag = tag.strip()
    return tag[2:] if tag.startswith("W/") else tag


def _not_modified(req: _Request, etag: str, modified: datetime) -> bool:
    inm = req.headers.get("if-none-match")
    if inm is not None:
        return inm.strip() == "*" or any(_weak(t) == _weak(etag) for t in inm.split(","))
    ims = req.headers.get("if-modified-since")
    if ims:
        try:
            since = parsedate_to_datetime(ims)
        except (TypeError, ValueError):
            return False
        if since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
        return modified.replace(microsecond=0) <= since
    return False


def _graphql_args(text: str, variables: dict[str, Any]) -> dict[str, Any]:
    args: dict[str, Any] = {}
    for match in re.finditer(r'(\w+)\s*:\s*("(?:[^"\\]|\\.)*"|\$\w+|true|false|-?\d+)', text):
        name, raw = match.group(1), match.group(2)
        if raw.startswith('"'):
            args[name] = json.loads(raw)
        elif raw.startswith("$"):
            args[name] = variables.get(raw[1:]) if isinstance(variables, dict) else None
        elif raw in ("true", "false"):
            args[name] = raw == "true"
        else:
            args[name] = int(raw)
    return args


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def __init__(self, address: tuple[str, int], handler: type, api: FakeAPI) -> None:
        self.api = api
        self.connections: set[socket.socket] = set()
        self.threads: set[threading.Thread] = set()
        self.connections_lock = threading.Lock()
        super().__init__(address, handler)

    def track(self, conn: socket.socket, alive: bool) -> None:
        with self.connections_lock:
            if alive:
                self.connections.add(conn)
                self.threads.add(threading.current_thread())
            else:
                self.connections.discard(conn)
                self.threads.discard(threading.current_thread())

    def join_threads(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        with self.connections_lock:
            threads = list(self.threads)
        for thread in threads:
            thread.join(max(deadline - time.monotonic(), 0))

    def close_connections(self) -> None:
        with self.connections_lock:
            conns, self.connections = list(self.connections), set()
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def setup(self) -> None:
        super().setup()
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server.track(self.connection, True)

    def finish(self) -> None:
        try:
            super().finish()
        except OSError:
            pass
        finally:
            self.server.track(self.connection, False)

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def reset(self) -> None:
        """Drop the connection with a TCP RST and no response at all."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
        for stream in (self.rfile, self.wfile):
            with contextlib.suppress(OSError):
                stream.close()
        # the base class flushes/closes these after the handler returns
        self.rfile, self.wfile = io.BytesIO(), io.BytesIO()
        with contextlib.suppress(OSError):
            self.connection.close()

    def _dispatch(self) -> None:
        if self.server.api._stop.is_set():
            self.close_connection = True
            return
        self.server.api._serve(self, self.command)

    do_GET = do_POST = do_HEAD = do_PUT = do_PATCH = do_DELETE = _dispatch
