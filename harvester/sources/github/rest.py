"""GitHub by REST (no token): a repository's record, and the text of one file of a repository
(``fetch_file``, for ``github:OWNER/REPO[/PATH]`` list sources).

Conditional on the cached validators under the same auth mode; a 301/302/307/308 is followed
once and only to the API's own origin, with the same headers.
"""

from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING
from urllib.parse import quote

from ...cache import CachedRecord
from ...errors import InvalidResponse, NotFound
from ...http import Http, host_label, redact_url, same_origin
from ...models import RepoRecord
from ..base import NotModified
from .common import (
    NAME,
    as_int,
    as_text,
    auth_mode,
    expect_ok,
    json_body,
    repo_record,
    request_headers,
    send,
    spdx,
    split_key,
    validators_of,
)

if TYPE_CHECKING:
    import httpx

_REDIRECTS = (301, 302, 307, 308)


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
    response = rest_get(http, url, request_headers(settings, cached.validators if cached else None))
    mode = auth_mode(settings)
    if response.status_code == 304:
        return NotModified(validators_of(response, mode))
    expect_ok(response)
    return parse_contents(response.content), validators_of(response, mode)


def parse_contents(body: bytes) -> str:
    """The decoded text of a contents-API file object (``{"encoding": "base64", "content"}``)."""
    data = json_body(body)
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


def rest_get(http: Http, url: str, headers: dict[str, str]) -> httpx.Response:
    """``GET url``, following one redirect to the API's own host with the same headers."""
    response = send(http, "GET", url, "core", headers=headers)
    if response.status_code in _REDIRECTS:
        target = _redirect_target(http.settings.url(NAME), response)
        response = send(http, "GET", target, "core", headers=headers)
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


def parse_repo(body: bytes) -> RepoRecord:
    """The record of a REST ``/repos/{owner}/{repo}`` (or ``/repositories/{id}``) answer."""
    data = json_body(body)
    if not isinstance(data, dict):
        raise InvalidResponse("github answered JSON that is not a repository object")
    stars = as_int(data.get("stargazers_count"))
    if stars is None and "stargazers_count" not in data:
        stars = as_int(data.get("watchers_count"))  # bodies older than stargazers_count
    license_info = data.get("license")
    return repo_record(
        full_name=as_text(data.get("full_name")),
        url=as_text(data.get("html_url")),
        stars=stars,
        forks=as_int(data.get("forks_count")),
        open_issues=as_int(data.get("open_issues_count")),
        watchers=as_int(data.get("subscribers_count")),
        pushed_at=as_text(data.get("pushed_at")),
        created_at=as_text(data.get("created_at")),
        license=spdx(license_info.get("spdx_id") if isinstance(license_info, dict) else None),
        archived=data.get("archived") is True,
        topics=[t for t in data.get("topics") or [] if isinstance(t, str) and t],
        description=as_text(data.get("description")),
        homepage=as_text(data.get("homepage")),
        language=as_text(data.get("language")),
        github_id=as_int(data.get("id")),
    )
