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

Layout: ``rest`` (the REST record, file contents), ``graphql`` (the aliased query and its
answer), ``common`` (headers, validators, the request with its rate-limit classifier, the
record builder); this module holds the source and its declaration.
"""

from __future__ import annotations

from ...cache import CachedRecord
from ...errors import InvalidResponse, NotFound, SourceError
from ...identify import github_urls
from ...models import Link
from ..base import Fetched, NotModified, Outcome, Source
from ..spec import DAY, EntryView, SourceSpec, Stage, claimed
from .common import (
    API_VERSION,
    NAME,
    UNSPECIFIED_WAIT,
    auth_mode,
    classify,
    classify_graphql,
    expect_ok,
    note_quota,
    request_headers,
    send,
    split_key,
    validators_of,
)
from .graphql import MAX_ALIASES, REPO_FIELDS, build_query, parse_graphql_repo, read_graphql
from .rest import fetch_file, parse_contents, parse_repo, rest_get

__all__ = [
    "API_VERSION",
    "MAX_ALIASES",
    "NAME",
    "REPO_FIELDS",
    "SPEC",
    "UNSPECIFIED_WAIT",
    "GithubSource",
    "build_query",
    "classify",
    "classify_graphql",
    "fetch_file",
    "note_quota",
    "parse_contents",
    "parse_graphql_repo",
    "parse_repo",
    "read_graphql",
    "split_key",
]


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
            response = rest_get(self.http, url, request_headers(self.settings, validators))
            if response.status_code == 304:
                return NotModified(validators_of(response, mode))
            expect_ok(response)
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
            response = send(
                self.http, "POST", f"{self.settings.url(NAME)}/graphql", "graphql",
                json={"query": build_query(repos)}, headers=request_headers(self.settings, None),
            )
            expect_ok(response)
            outcomes.update(read_graphql(response.content, aliases))
        except NotFound as exc:  # the endpoint itself is missing: no answer about the repos
            failure = InvalidResponse(exc.message, source=NAME)
            outcomes.update(dict.fromkeys(aliases.values(), failure))
        except SourceError as exc:
            outcomes.update(dict.fromkeys(aliases.values(), exc))
        return outcomes


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
            texts = (record.get("comment"), record.get("abstract"))
            urls = (github_urls(*texts) or []) if any(map(_may_name_github, texts)) else []
            for url in [*(record.get("code_urls") or ()), *urls]:
                key = url.removeprefix("https://github.com/").lower()
                if key not in listed and key not in found:
                    found.append(key)
    return found


def _may_name_github(text: str | None) -> bool:
    """False when ``text`` surely holds no GitHub URL: the quick test before the URL pattern.
    Any spelling the pattern matches holds "thub.com" once lower-cased (its "gi" may also be
    written with a dotted or dotless i, which lower-case to something else)."""
    return text is not None and "thub.com" in text.lower()


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
