"""What GitHub's REST and GraphQL look-ups share: key checks, request headers and
validators, the request itself (quota noted, rate limits classified), and the record builder.

Rate limits (see the ``harvester.sources.github`` docstring): 403/429 with ``retry-after`` wait
that long; with ``x-ratelimit-remaining: 0`` until ``x-ratelimit-reset`` (measured from the
response's ``Date``, else the local clock); a secondary-limit message or a bare 429 wait
:data:`UNSPECIFIED_WAIT`; any other 403 is blocked.
"""

from __future__ import annotations

import email.utils
import re
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from ...config import Settings
from ...errors import Blocked, InvalidResponse, RateLimited, SourceError
from ...http import Http, LaneStats, parse_retry_after, redact_url
from ...models import RepoRecord
from ..coerce import loads

if TYPE_CHECKING:
    import httpx

NAME = "github"
API_VERSION = "2022-11-28"
UNSPECIFIED_WAIT = 60.0
"""Seconds to wait on a rate limit that names no time: GitHub's "wait at least one minute"."""

_NAME_PART = re.compile(r"^[A-Za-z0-9_.-]+$")
_SECONDARY_WORDS = ("secondary rate limit", "abuse detection")


def split_key(key: str) -> tuple[str, str] | None:
    """``owner/repo`` → ``(owner, repo)``; None unless both are plain GitHub name characters."""
    owner, sep, repo = key.partition("/")
    if not sep or not all(_NAME_PART.match(p) and p not in (".", "..") for p in (owner, repo)):
        return None
    return owner, repo


# --------------------------------------------------------------------------- requests


def auth_mode(settings: Settings) -> str:
    return "token" if settings.github_token is not None else "none"


def request_headers(settings: Settings, validators: Mapping[str, str] | None) -> dict[str, str]:
    headers = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": API_VERSION}
    if settings.github_token is not None:
        headers["Authorization"] = f"Bearer {settings.github_token.get_secret_value()}"
    if validators and validators.get("auth") == auth_mode(settings):
        if validators.get("etag"):
            headers["If-None-Match"] = validators["etag"]
        if validators.get("last_modified"):
            headers["If-Modified-Since"] = validators["last_modified"]
    return headers


def validators_of(response: httpx.Response, mode: str) -> dict[str, str]:
    """The response's ETag / Last-Modified, tagged with the auth mode they were given under."""
    found = {
        "etag": response.headers.get("etag"),
        "last_modified": response.headers.get("last-modified"),
    }
    kept = {name: value for name, value in found.items() if value}
    return {**kept, "auth": mode} if kept else {}


def send(http: Http, method: str, url: str, resource: str, **kwargs: Any) -> httpx.Response:
    """One request through the HTTP layer, noting the quota and classifying rate limits."""
    stats = http.stats(NAME)
    check = classify_graphql if resource == "graphql" else classify

    def observe(response: httpx.Response) -> SourceError | None:
        note_quota(stats, response, resource)
        return check(response)

    return http.request(NAME, method, url, classify=observe, **kwargs)


def expect_ok(response: httpx.Response) -> None:
    if response.status_code != 200:
        raise InvalidResponse(
            f"HTTP {response.status_code} from {response.request.method} "
            f"{redact_url(response.request.url)}",
            source=NAME,
        )


def note_quota(stats: LaneStats, response: httpx.Response, default_resource: str) -> None:
    """Keep the latest ``x-ratelimit-remaining`` per resource (``core``, ``graphql``…)."""
    remaining = response.headers.get("x-ratelimit-remaining", "")
    if remaining.isdigit():
        resource = response.headers.get("x-ratelimit-resource") or default_resource
        stats.notes.setdefault("quota_remaining", {})[resource] = int(remaining)


# --------------------------------------------------------------------------- rate limits


def classify(
    response: httpx.Response, *, clock: Callable[[], float] = time.time
) -> SourceError | None:
    """GitHub's rate-limit answers as ``RateLimited`` with the wait GitHub asks for; any other
    403 as ``Blocked``. None for everything else (the HTTP layer's status mapping applies).

    "Now" is the response's ``Date`` when it has one (so a reset epoch is compared with the
    server's clock), else ``clock()``."""
    status = response.status_code
    if status not in (403, 429):
        return None
    where = f"HTTP {status} from {response.request.method} {redact_url(response.request.url)}"
    now = _server_time(response, clock)
    retry_after = parse_retry_after(response.headers.get("retry-after"), now=now)
    if retry_after is not None:
        return RateLimited(f"{where}: rate limited, retry after {retry_after:g} s",
                           source=NAME, retry_after=retry_after)
    if response.headers.get("x-ratelimit-remaining") == "0":
        return _quota_spent(response, where, now)
    if status == 429 or _mentions_secondary_limit(response.text):
        return RateLimited(f"{where}: secondary rate limit, waiting {UNSPECIFIED_WAIT:g} s",
                           source=NAME, retry_after=UNSPECIFIED_WAIT)
    return Blocked(f"{where}: forbidden", source=NAME)


def classify_graphql(
    response: httpx.Response, *, clock: Callable[[], float] = time.time
) -> SourceError | None:
    """``classify``, plus GraphQL's primary limit: HTTP 200 whose only errors are RATE_LIMITED."""
    if response.status_code != 200:
        return classify(response, clock=clock)
    if b"RATE_LIMITED" not in response.content:
        return None
    body = _json_or_none(response.content)
    if not isinstance(body, dict) or body.get("data") or not body.get("errors"):
        return None
    errors = body["errors"]
    if not isinstance(errors, list) or not all(error_type(e) == "RATE_LIMITED" for e in errors):
        return None
    where = f"GraphQL RATE_LIMITED from POST {redact_url(response.request.url)}"
    return _quota_spent(response, where, _server_time(response, clock))


def _quota_spent(response: httpx.Response, where: str, now: float) -> RateLimited:
    reset = response.headers.get("x-ratelimit-reset", "")
    wait = max(0.0, int(reset) - now) if reset.isdigit() else UNSPECIFIED_WAIT
    resource = response.headers.get("x-ratelimit-resource") or "quota"
    at = time.strftime("%H:%M:%S UTC", time.gmtime(int(reset) if reset.isdigit()
                                                    else time.time() + wait))
    hint = "" if "authorization" in response.request.headers else (
        "; a GITHUB_TOKEN raises the limit (60 requests an hour without one)")
    return RateLimited(f"{where}: {resource} quota spent, resets in {wait:g} s (at {at}){hint}",
                       source=NAME, retry_after=wait)


def _server_time(response: httpx.Response, clock: Callable[[], float]) -> float:
    date = response.headers.get("date")
    if date:
        try:
            return email.utils.parsedate_to_datetime(date).timestamp()
        except (TypeError, ValueError):
            pass
    return clock()


def _mentions_secondary_limit(text: str) -> bool:
    lowered = text.lower()
    return any(words in lowered for words in _SECONDARY_WORDS)


# --------------------------------------------------------------------------- records


_REQUIRED = ("full_name", "url", "stars", "forks", "open_issues")


def repo_record(**fields: Any) -> RepoRecord:
    missing = [name for name in _REQUIRED if fields[name] is None]
    if missing:
        raise InvalidResponse(f"github answered a repository without {', '.join(missing)}",
                              source=NAME)
    try:
        return RepoRecord(**fields)
    except ValidationError as exc:  # impossible values (stars of 10^30, a 2999-99-99 push)
        raise InvalidResponse(f"github answered an impossible repository ({exc.error_count()} "
                              "bad values)", source=NAME) from None


def json_body(body: bytes) -> Any:
    try:
        return loads(body, NAME)
    except InvalidResponse as exc:
        exc.source = NAME
        raise


def _json_or_none(body: bytes) -> Any:
    try:
        return loads(body, NAME)
    except InvalidResponse:
        return None


def as_dict(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def as_text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def as_int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def total_count(connection: Any) -> int | None:
    return as_int(as_dict(connection).get("totalCount"))


def spdx(value: Any) -> str | None:
    text = as_text(value)
    return None if text == "NOASSERTION" else text


def error_type(error: Any) -> str | None:
    """The ``type`` of one GraphQL error object (``NOT_FOUND``, ``RATE_LIMITED``…)."""
    return error.get("type") if isinstance(error, dict) else None
