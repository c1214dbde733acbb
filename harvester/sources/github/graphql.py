"""GitHub by GraphQL (with a token): one query of up to :data:`MAX_ALIASES` aliased
``repository`` look-ups, read back per alias (errors mapped by ``path[0]``)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ...errors import Blocked, InvalidResponse, RateLimited, SourceError, Unavailable
from ...models import RepoRecord
from ..base import Fetched, Outcome
from .common import (
    NAME,
    as_dict,
    as_int,
    as_text,
    error_type,
    json_body,
    repo_record,
    spdx,
    total_count,
)

MAX_ALIASES = 100
_MISSING = object()
REPO_FIELDS = (
    "nameWithOwner url description homepageUrl stargazerCount forkCount "
    "watchers { totalCount } issues(states: OPEN) { totalCount } "
    "pullRequests(states: OPEN) { totalCount } pushedAt createdAt isArchived "
    "licenseInfo { spdxId } repositoryTopics(first: 20) { nodes { topic { name } } } "
    "primaryLanguage { name } databaseId"
)


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
    data = json_body(body)
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
        kind = error_type(error)
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


def _error_text(error: Any) -> str:
    if not isinstance(error, dict):
        return "an unreadable error"
    message = str(error.get("message") or "")[:200]
    return f"{error.get('type') or 'error'}: {message}"


def parse_graphql_repo(node: Mapping[str, Any]) -> RepoRecord:
    """The record of one ``repository`` node of the GraphQL query above."""
    issues, pulls = total_count(node.get("issues")), total_count(node.get("pullRequests"))
    topics = []
    for item in as_dict(node.get("repositoryTopics")).get("nodes") or []:
        name = as_text(as_dict(as_dict(item).get("topic")).get("name"))
        if name:
            topics.append(name)
    return repo_record(
        full_name=as_text(node.get("nameWithOwner")),
        url=as_text(node.get("url")),
        stars=as_int(node.get("stargazerCount")),
        forks=as_int(node.get("forkCount")),
        open_issues=issues + pulls if issues is not None and pulls is not None else None,
        watchers=total_count(node.get("watchers")),
        pushed_at=as_text(node.get("pushedAt")),
        created_at=as_text(node.get("createdAt")),
        license=spdx(as_dict(node.get("licenseInfo")).get("spdxId")),
        archived=node.get("isArchived") is True,
        topics=topics,
        description=as_text(node.get("description")),
        homepage=as_text(node.get("homepageUrl")),
        language=as_text(as_dict(node.get("primaryLanguage")).get("name")),
        github_id=as_int(node.get("databaseId")),
    )
