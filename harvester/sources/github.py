"""GitHub: repository metadata by REST without a token, by GraphQL aliases with one.

Keys are ``owner/repo``, lower-cased by the pipeline (GitHub names are case-insensitive). Facts
are in API-NOTES.md part 2 §1–§2; the upstream docs are
https://docs.github.com/rest/repos/repos#get-a-repository,
https://docs.github.com/graphql/reference/queries#repository and
https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api.

**Without a token** (``batch_size()`` is 1): ``GET {github}/repos/{owner}/{repo}``, one request per
repo, with ``Accept: application/vnd.github+json`` and ``X-GitHub-Api-Version: 2022-11-28``.

* Conditional requests: the ETag and Last-Modified of the last answer are kept as validators
  ``{"etag", "last_modified", "auth": "token"|"none"}`` and sent back as ``If-None-Match`` /
  ``If-Modified-Since`` only under the same auth mode (GitHub answers ``Vary: Authorization``). A
  304 costs no quota and keeps the cached record (``NotModified``).
* A renamed or transferred repo answers 301 with ``location: {github}/repositories/{id}``; the
  redirect is followed here, once and only to the API's own host, with the same headers (so a
  refresh of a renamed repo costs a 301 and a 304). The record's ``full_name`` is the new name; the
  pipeline records ``renamed_from`` by comparing it with the key.
* 404 means missing *or private*: "not found".
* ``watchers`` is ``subscribers_count``: ``watchers_count`` is a legacy alias of the star count.
  Bodies from before ``stargazers_count`` existed (2013) carry the stars in ``watchers_count``.

**With a token** (``settings.github_token``, sent as ``Authorization: Bearer``): one
``POST {github}/graphql`` per ≤100 repos, each an alias ``rK: repository(owner:, name:)`` reading
``stargazerCount`` (never the ``stargazers`` connection, which Actions tokens may not read), plus
``rateLimit { cost remaining resetAt }``. Renames are followed by GitHub (``nameWithOwner`` is the
new name). Owner and name are checked against ``^[A-Za-z0-9_.-]+$`` before anything is sent and
quoted as JSON strings. Errors are mapped by alias (``path[0]``): ``NOT_FOUND`` → "not found" for
that repo only, ``FORBIDDEN`` → blocked, ``RATE_LIMITED`` → rate limited, others → unavailable; a
missing alias with no error is an invalid response for that repo. An error on a sub-field of a
repo that was answered leaves that field unknown. A 200 whose only errors are ``RATE_LIMITED`` is
rate-limited for the whole batch.

**Open issues** agree in both modes: REST ``open_issues_count`` counts open issues *and* pull
requests, so GraphQL asks ``issues(states: OPEN)`` and ``pullRequests(states: OPEN)`` and adds
them.

**Rate limits** (``classify``): 403/429 with ``retry-after`` → wait that long; with
``x-ratelimit-remaining: 0`` → wait until ``x-ratelimit-reset`` (measured from the response's
``Date``, else the local clock); a secondary-limit message ("secondary rate limit", "abuse
detection") or a bare 429 → 60 s, GitHub's advice when it names no time; any other 403
("Resource not accessible by integration") → blocked. The HTTP layer waits when that is within
``max_wait`` and the retry budget, else stops GitHub for the run. The quota seen
(``x-ratelimit-remaining`` by ``x-ratelimit-resource``) is kept in
``stats("github").notes["quota_remaining"]``.

``fetch_file`` reads one file of a repo through the contents API for ``github:OWNER/REPO[/PATH]``
list sources.
"""

from __future__ import annotations

import base64
import binascii
import email.utils
import json
import re
import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote

import httpx
from pydantic import ValidationError

from ..cache import CachedRecord
from ..config import Settings
from ..errors import (
    Blocked,
    InvalidResponse,
    NotFound,
    RateLimited,
    SourceError,
    Unavailable,
)
from ..http import Http, SourceStats, host_label, parse_retry_after, redact_url, same_origin
from ..identify import github_urls
from ..models import Link, RepoRecord
from .base import Fetched, NotModified, Outcome, Source
from .spec import DAY, EntryView, SourceSpec, Stage, claimed

NAME = "github"
API_VERSION = "2022-11-28"
MAX_ALIASES = 100
UNSPECIFIED_WAIT = 60.0
"""Seconds to wait on a rate limit that names no time: GitHub's "wait at least one minute"."""

_NAME_PART = re.compile(r"^[A-Za-z0-9_.-]+$")
_REDIRECTS = (301, 302, 307, 308)
_SECONDARY_WORDS = ("secondary rate limit", "abuse detection")
_MISSING = object()
REPO_FIELDS = (
    "nameWithOwner url description homepageUrl stargazerCount forkCount "
    "watchers { totalCount } issues(states: OPEN) { totalCount } "
    "pullRequests(states: OPEN) { totalCount } pushedAt createdAt isArchived "
    "licenseInfo { spdxId } repositoryTopics(first: 20) { nodes { topic { name } } } "
    "primaryLanguage { name } databaseId"
)


class GithubSource(Source):
    """Keys: ``owner/repo``, lower-case."""

    name = NAME

    def batch_size(self) -> int:
        if self.settings.github_token is None:
            return 1
        return min(self.options.batch_size, MAX_ALIASES)

    def fetch(self, keys: list[str], cached: dict[str, CachedRecord]) -> dict[str, Outcome]:
        if self.settings.github_token is not None:
            return self._graphql(keys)
        return {key: self._rest(key, cached.get(key)) for key in keys}

    def _rest(self, key: str, previous: CachedRecord | None) -> Outcome:
        parts = split_key(key)
        if parts is None:
            return NotFound(f"github: {key!r} is not an owner/repo name", source=NAME)
        validators = previous.validators if previous else None
        url = f"{self.settings.url(NAME)}/repos/{parts[0]}/{parts[1]}"
        mode = auth_mode(self.settings)
        try:
            response = _get(self.http, url, _headers(self.settings, validators))
            if response.status_code == 304:
                return NotModified(validators_of(response, mode))
            _expect_ok(response)
            record = parse_repo(response.content)
        except NotFound:
            return Fetched(None)
        except SourceError as exc:
            return exc
        return Fetched(record.model_dump(mode="json", exclude_none=True),
                       validators_of(response, mode))

    def _graphql(self, keys: list[str]) -> dict[str, Outcome]:
        outcomes: dict[str, Outcome] = {}
        repos: dict[str, tuple[str, str]] = {}
        aliases: dict[str, str] = {}
        for key in keys:
            parts = split_key(key)
            if parts is None:
                outcomes[key] = NotFound(f"github: {key!r} is not an owner/repo name", source=NAME)
                continue
            alias = f"r{len(repos)}"
            repos[alias] = parts
            aliases[alias] = key
        if not repos:
            return outcomes
        try:
            response = _send(
                self.http, "POST", f"{self.settings.url(NAME)}/graphql", "graphql",
                json={"query": build_query(repos)}, headers=_headers(self.settings, None),
            )
            _expect_ok(response)
            outcomes.update(read_graphql(response.content, aliases))
        except NotFound as exc:  # the endpoint itself is missing: no answer about the repos
            failure = InvalidResponse(exc.message, source=NAME)
            outcomes.update(dict.fromkeys(aliases.values(), failure))
        except SourceError as exc:
            outcomes.update(dict.fromkeys(aliases.values(), exc))
        return outcomes


def split_key(key: str) -> tuple[str, str] | None:
    """``owner/repo`` → ``(owner, repo)``; None unless both are plain GitHub name characters."""
    owner, sep, repo = key.partition("/")
    if not sep or not all(_NAME_PART.match(p) and p not in (".", "..") for p in (owner, repo)):
        return None
    return owner, repo


# --------------------------------------------------------------------------- file contents


def fetch_file(
    http: Http,
    owner: str,
    repo: str,
    path: str | None = None,
    cached: CachedRecord | None = None,
) -> tuple[str, dict[str, str]] | NotModified:
    """The text of one file of ``owner/repo`` and its validators, or ``NotModified``.

    ``GET {github}/repos/{owner}/{repo}/contents/{path}``, or ``…/readme`` (GitHub's own choice
    of README, whatever its case or extension) when ``path`` is None. Conditional on ``cached``'s
    validators under the same auth mode, so an unchanged file costs a 304; renames are followed
    like repo look-ups. Raises ``SourceError``: ``NotFound`` for a missing repo or file,
    ``InvalidResponse`` for a folder, a file over the API's 1 MB inline limit, or text that is
    not UTF-8.
    """
    settings = http.settings
    segments = path.strip("/").split("/") if path else []
    if split_key(f"{owner}/{repo}") is None or any(s in ("", ".", "..") for s in segments):
        raise NotFound(f"github: no file {owner}/{repo}/{path or ''}", source=NAME)
    base = f"{settings.url(NAME)}/repos/{owner}/{repo}"
    url = f"{base}/contents/{quote('/'.join(segments), safe='/')}" if segments else f"{base}/readme"
    response = _get(http, url, _headers(settings, cached.validators if cached else None))
    mode = auth_mode(settings)
    if response.status_code == 304:
        return NotModified(validators_of(response, mode))
    _expect_ok(response)
    return parse_contents(response.content), validators_of(response, mode)


def parse_contents(body: bytes) -> str:
    """The decoded text of a contents-API file object (``{"encoding": "base64", "content"}``)."""
    data = _json(body)
    if isinstance(data, list):
        raise InvalidResponse("github answered a folder listing, not a file")
    if not isinstance(data, dict):
        raise InvalidResponse("github answered JSON that is not a file object")
    if data.get("type", "file") != "file":
        raise InvalidResponse(f"github answered a {data.get('type')!s}, not a file")
    content = data.get("content")
    if data.get("encoding") != "base64" or not isinstance(content, str):
        raise InvalidResponse(
            "github sent no inline content (files over 1 MB are not inlined by the contents API)"
        )
    try:
        return base64.b64decode(content).decode("utf-8")
    except (binascii.Error, ValueError):
        raise InvalidResponse("github sent content that is not base64 UTF-8 text") from None


# --------------------------------------------------------------------------- requests


def auth_mode(settings: Settings) -> str:
    return "token" if settings.github_token is not None else "none"


def _headers(settings: Settings, validators: Mapping[str, str] | None) -> dict[str, str]:
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


def _send(http: Http, method: str, url: str, resource: str, **kwargs: Any) -> httpx.Response:
    """One request through the HTTP layer, noting the quota and classifying rate limits."""
    stats = http.stats(NAME)
    check = classify_graphql if resource == "graphql" else classify

    def observe(response: httpx.Response) -> SourceError | None:
        note_quota(stats, response, resource)
        return check(response)

    return http.request(NAME, method, url, classify=observe, **kwargs)


def _get(http: Http, url: str, headers: dict[str, str]) -> httpx.Response:
    """``GET url``, following one redirect to the API's own host with the same headers."""
    response = _send(http, "GET", url, "core", headers=headers)
    if response.status_code in _REDIRECTS:
        target = _redirect_target(http.settings.url(NAME), response)
        response = _send(http, "GET", target, "core", headers=headers)
        if response.status_code in _REDIRECTS:
            raise InvalidResponse(f"github redirected {redact_url(url)} twice", source=NAME)
    return response


def _redirect_target(root: str, response: httpx.Response) -> str:
    location = response.headers.get("location")
    if not location:
        raise InvalidResponse(
            f"HTTP {response.status_code} without a location from {redact_url(response.url)}",
            source=NAME,
        )
    target = response.url.join(location)
    if not same_origin(target, root):  # scheme, host and port: the token goes nowhere else
        raise InvalidResponse(f"github redirected to another origin ({host_label(target)})",
                              source=NAME)
    return str(target)


def _expect_ok(response: httpx.Response) -> None:
    if response.status_code != 200:
        raise InvalidResponse(
            f"HTTP {response.status_code} from {response.request.method} "
            f"{redact_url(response.request.url)}",
            source=NAME,
        )


def note_quota(stats: SourceStats, response: httpx.Response, default_resource: str) -> None:
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
    if not isinstance(errors, list) or not all(_error_type(e) == "RATE_LIMITED" for e in errors):
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


# --------------------------------------------------------------------------- GraphQL


def build_query(repos: Mapping[str, tuple[str, str]]) -> str:
    """One query with an alias per repo (``{"r0": ("owner", "name")}``) and the rate limit.

    Names must have passed ``split_key``; they are written as JSON strings, which are valid
    GraphQL string literals."""
    lines = [
        f"  {alias}: repository(owner: {json.dumps(owner)}, name: {json.dumps(name)}) "
        f"{{ {REPO_FIELDS} }}"
        for alias, (owner, name) in repos.items()
    ]
    return "query {\n" + "\n".join(lines) + "\n  rateLimit { cost remaining resetAt }\n}"


def read_graphql(body: bytes, aliases: Mapping[str, str]) -> dict[str, Outcome]:
    """Outcomes per key of a GraphQL answer, ``aliases`` mapping each alias to its key."""
    data = _json(body)
    if not isinstance(data, dict):
        raise InvalidResponse("github GraphQL answered JSON that is not an object")
    errors = data.get("errors")
    if not isinstance(errors, list):
        errors = []
    answered = data.get("data")
    if not isinstance(answered, dict):
        detail = _error_text(errors[0]) if errors else "no data"
        raise InvalidResponse(f"github GraphQL answered without data: {detail}")
    by_alias: dict[str, dict[str, Any]] = {}
    for error in errors:
        path = error.get("path") if isinstance(error, dict) else None
        if isinstance(path, list) and path and path[0] in aliases:
            by_alias.setdefault(path[0], error)
    return {
        key: _alias_outcome(alias, answered.get(alias, _MISSING), by_alias.get(alias))
        for alias, key in aliases.items()
    }


def _alias_outcome(alias: str, node: Any, error: dict[str, Any] | None) -> Outcome:
    if isinstance(node, dict):  # an error under this alias only blanked a sub-field
        try:
            return Fetched(parse_graphql_repo(node).model_dump(mode="json", exclude_none=True))
        except InvalidResponse as exc:
            return exc
    if error is not None:
        kind = _error_type(error)
        if kind == "NOT_FOUND":
            return Fetched(None)
        cls: type[SourceError] = Unavailable
        if kind == "FORBIDDEN":
            cls = Blocked
        elif kind == "RATE_LIMITED":
            cls = RateLimited
        return cls(f"github GraphQL {_error_text(error)}", source=NAME)
    what = "nothing" if node is _MISSING else "null"
    return InvalidResponse(f"github GraphQL answered {what} for {alias} without an error",
                           source=NAME)


def _error_type(error: Any) -> str | None:
    return error.get("type") if isinstance(error, dict) else None


def _error_text(error: Any) -> str:
    if not isinstance(error, dict):
        return "an unreadable error"
    message = str(error.get("message") or "")[:200]
    return f"{error.get('type') or 'error'}: {message}"


# --------------------------------------------------------------------------- records


def parse_repo(body: bytes) -> RepoRecord:
    """The record of a REST ``/repos/{owner}/{repo}`` (or ``/repositories/{id}``) answer."""
    data = _json(body)
    if not isinstance(data, dict):
        raise InvalidResponse("github answered JSON that is not a repository object")
    stars = _int(data.get("stargazers_count"))
    if stars is None and "stargazers_count" not in data:
        stars = _int(data.get("watchers_count"))  # bodies older than stargazers_count
    license_info = data.get("license")
    return _record(
        full_name=_text(data.get("full_name")),
        url=_text(data.get("html_url")),
        stars=stars,
        forks=_int(data.get("forks_count")),
        open_issues=_int(data.get("open_issues_count")),
        watchers=_int(data.get("subscribers_count")),
        pushed_at=_text(data.get("pushed_at")),
        created_at=_text(data.get("created_at")),
        license=_spdx(license_info.get("spdx_id") if isinstance(license_info, dict) else None),
        archived=data.get("archived") is True,
        topics=[t for t in data.get("topics") or [] if isinstance(t, str) and t],
        description=_text(data.get("description")),
        homepage=_text(data.get("homepage")),
        language=_text(data.get("language")),
        github_id=_int(data.get("id")),
    )


def parse_graphql_repo(node: Mapping[str, Any]) -> RepoRecord:
    """The record of one ``repository`` node of the GraphQL query above."""
    issues, pulls = _total(node.get("issues")), _total(node.get("pullRequests"))
    topics = []
    for item in _dict(node.get("repositoryTopics")).get("nodes") or []:
        name = _text(_dict(_dict(item).get("topic")).get("name"))
        if name:
            topics.append(name)
    return _record(
        full_name=_text(node.get("nameWithOwner")),
        url=_text(node.get("url")),
        stars=_int(node.get("stargazerCount")),
        forks=_int(node.get("forkCount")),
        open_issues=issues + pulls if issues is not None and pulls is not None else None,
        watchers=_total(node.get("watchers")),
        pushed_at=_text(node.get("pushedAt")),
        created_at=_text(node.get("createdAt")),
        license=_spdx(_dict(node.get("licenseInfo")).get("spdxId")),
        archived=node.get("isArchived") is True,
        topics=topics,
        description=_text(node.get("description")),
        homepage=_text(node.get("homepageUrl")),
        language=_text(_dict(node.get("primaryLanguage")).get("name")),
        github_id=_int(node.get("databaseId")),
    )


_REQUIRED = ("full_name", "url", "stars", "forks", "open_issues")


def _record(**fields: Any) -> RepoRecord:
    missing = [name for name in _REQUIRED if fields[name] is None]
    if missing:
        raise InvalidResponse(f"github answered a repository without {', '.join(missing)}",
                              source=NAME)
    try:
        return RepoRecord(**fields)
    except ValidationError as exc:  # impossible values (stars of 10^30, a 2999-99-99 push)
        raise InvalidResponse(f"github answered an impossible repository ({exc.error_count()} "
                              "bad values)", source=NAME) from None


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise InvalidResponse("github answered something that is not JSON", source=NAME) from None


def _json_or_none(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None


def _dict(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _total(connection: Any) -> int | None:
    return _int(_dict(connection).get("totalCount"))


def _spdx(value: Any) -> str | None:
    text = _text(value)
    return None if text == "NOASSERTION" else text


# ------------------------------------------------------------------------------ declaration

_PAPER_SOURCES = ("arxiv", "openreview", "biorxiv", "crossref")
"""The sources whose records may name a repository (code fields, comments, abstracts)."""


def _claim(link: Link) -> str | None:
    return link.id.lower() if link.kind == "github" and link.id else None


def _discovered(view: EntryView) -> list[str]:
    """Repositories a paper's own metadata names, which the entry does not link."""
    listed = set(view.claimed(NAME))
    found: list[str] = []
    for source in _PAPER_SOURCES:
        for record in view.records(source):
            urls = github_urls(record.get("comment"), record.get("abstract")) or []
            for url in [*(record.get("code_urls") or ()), *urls]:
                key = url.removeprefix("https://github.com/").lower()
                if key not in listed and key not in found:
                    found.append(key)
    return found


SPEC: SourceSpec = SourceSpec(
    name=NAME,
    label="GitHub",
    cls=GithubSource,
    urls={NAME: "https://api.github.com"},
    defaults={"batch_size": 100, "min_interval": 0.0, "concurrency": 4, "ttl": 1 * DAY},
    batch_limit=100,
    secret=("github_token", "GITHUB_TOKEN"),
    claim=_claim,
    stages=(
        Stage(NAME, "GitHub", claimed(NAME)),
        Stage("github-discovered", "GitHub (found in papers)", _discovered,
              after=(*_PAPER_SOURCES, "crossref-journal", NAME), new_only=True,
              keyed_by=_PAPER_SOURCES, provenance="github (discovered)"),
    ),
    role="repos",
)
