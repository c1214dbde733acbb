"""Reading the awesome list: a local path, an https URL, or ``github:OWNER/REPO[/PATH]``.

GitHub lists are read through the contents API (with ETag, so an unchanged README costs a 304)
via the same HTTP layer as every source; the last copy read is kept in the cache. When a list
cannot be fetched, the cached copy is used with a warning, and for the default list
(``github:mazabou/awesome-neurofm``) the snapshot bundled in the package is the last resort.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from importlib import resources
from pathlib import Path

import httpx

from .cache import CachedRecord, RecordCache, iso
from .config import DEFAULT_LIST
from .errors import ListError, SourceError
from .http import Http

MAX_LIST_BYTES = 64 * 1024 * 1024
_GITHUB_SPEC = re.compile(r"^github:([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+)(?:/(.+))?$")
_CACHE_SOURCE = "list"


@dataclass
class LoadedList:
    data: bytes
    source: str
    warnings: list[str] = field(default_factory=list)
    fallback: str | None = None
    """Why the list did not come from its source this run (``cache`` or ``snapshot``), if so."""


def snapshot() -> bytes:
    """The copy of the default list shipped inside the package."""
    return resources.files("harvester").joinpath("data/awesome-neurofm.md").read_bytes()


def parse_github_spec(spec: str) -> tuple[str, str, str | None] | None:
    match = _GITHUB_SPEC.match(spec)
    if not match:
        return None
    return match.group(1), match.group(2), match.group(3)


def load_list(
    spec: str, http: Http | None, cache: RecordCache, now: datetime, *, offline: bool
) -> LoadedList:
    """Read the list named by ``spec``; ``http`` is None when no network may be used."""
    if spec.startswith(("http://", "https://")):
        return _load_url(spec, http, cache, now, offline)
    if spec.startswith("github:"):
        parts = parse_github_spec(spec)
        if parts is None:
            raise ListError(f"{spec}: expected github:OWNER/REPO[/PATH]")
        return _load_github(spec, parts, http, cache, now, offline)
    return _load_path(Path(spec))


def _load_path(path: Path) -> LoadedList:
    try:
        size = path.stat().st_size
        if size > MAX_LIST_BYTES:
            raise ListError(f"{path}: {size} bytes is more than the {MAX_LIST_BYTES} accepted")
        return LoadedList(path.read_bytes(), str(path))
    except FileNotFoundError:
        raise ListError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ListError(f"{path}: is a folder, not a Markdown file") from None
    except OSError as exc:
        raise ListError(f"{path}: cannot be read ({exc.strerror})") from None


def _fallback(spec: str, cache: RecordCache, reason: str, *, offline: bool) -> LoadedList:
    cached = cache.get(_CACHE_SOURCE, spec)
    if cached is not None and cached.data is not None:
        warning = f"list {spec} {reason}; using the copy read at {cached.fetched_at}"
        return LoadedList(cached.data["text"].encode("utf-8"), spec, [warning], "cache")
    if spec == DEFAULT_LIST:
        warning = f"list {spec} {reason}; using the snapshot bundled with the harvester"
        return LoadedList(snapshot(), spec, [warning], "snapshot")
    if offline:
        raise ListError(f"{spec}: not in the cache, and --offline forbids fetching it")
    raise ListError(f"{spec}: {reason}")


def _store(cache: RecordCache, spec: str, text: str, now: datetime, validators: dict) -> None:
    cache.put(_CACHE_SOURCE, spec, CachedRecord("ok", {"text": text}, iso(now), validators))


def _load_github(spec, parts, http, cache, now, offline) -> LoadedList:
    if offline or http is None:
        return _fallback(spec, cache, "was not fetched (offline)", offline=True)
    from .sources.base import NotModified
    from .sources.github import fetch_file

    owner, repo, path = parts
    cached = cache.get(_CACHE_SOURCE, spec)
    try:
        answer = fetch_file(http, owner, repo, path, cached)
    except SourceError as exc:
        return _fallback(spec, cache, f"could not be fetched ({exc})", offline=False)
    if isinstance(answer, NotModified) and cached is not None and cached.data:
        text = cached.data["text"]
        _store(cache, spec, text, now, answer.validators or cached.validators)
    elif isinstance(answer, NotModified):
        return _fallback(spec, cache, "answered 304 with nothing cached", offline=False)
    else:
        text, validators = answer
        _store(cache, spec, text, now, validators)
    return LoadedList(text.encode("utf-8"), spec)


def _load_url(spec, http, cache, now, offline) -> LoadedList:
    if offline or http is None:
        return _fallback(spec, cache, "was not fetched (offline)", offline=True)
    try:
        response = http.client.get(spec, follow_redirects=True, timeout=20.0)
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        reason = f"could not be fetched ({type(exc).__name__})"
        return _fallback(spec, cache, reason, offline=False)
    if response.status_code != 200:
        return _fallback(
            spec, cache, f"could not be fetched (HTTP {response.status_code})", offline=False
        )
    if len(response.content) > MAX_LIST_BYTES:
        raise ListError(f"{spec}: more than {MAX_LIST_BYTES} bytes")
    text = response.content.decode("utf-8", errors="replace")
    _store(cache, spec, text, now, {})
    return LoadedList(response.content, spec)
