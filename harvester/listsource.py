"""Reading the awesome list: a local path, an https URL, or ``github:OWNER/REPO[/PATH]``.

GitHub lists are read through the contents API (with ETag, so an unchanged README costs a 304)
via the same HTTP layer as every source, and the answer is kept under the sources' one memory
rule (:func:`harvester.sources.base.settle`, with "not found" a failure like any other): the
last copy read stays in the cache, and when a list cannot be fetched it is used with a warning.
For the default list (``github:mazabou/awesome-neurofm``) the snapshot bundled in the package
is the last resort.

An https list is read through the HTTP layer like any API answer: streamed, at most 64 MB after
decompression, within a total deadline. Its credentials (``https://user:pass@host/…``) and query
string (``?token=…``) are used for the request only: the list is named, cached and published
without them (:func:`public_spec`), the secrets are redacted from every message, and the
credentials never follow a redirect to another origin. An HTML page served as the list (a proxy
or login page) is refused; so is, by :func:`guard_entries`, a list that yields no entries where
the previous catalogue had some.

httpx is imported only where an https list's URL is read (the three functions that name it),
so a run over a local or ``github:`` list that sends nothing never loads it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from .cache import RecordCache, iso
from .config import DEFAULT_LIST, SourceSettings
from .errors import ListError, SourceError, TooLarge, clean_text, register_secret
from .http import Http, redact_url
from .listparse import ParsedList, decode_list, parse_list
from .models import Summary
from .record import SECRET_PARAM
from .sources.base import Fetched, NotModified, Outcome, Result, settle

MAX_LIST_BYTES = 64 * 1024 * 1024
LIST_LANE = SourceSettings(max_bytes=MAX_LIST_BYTES, deadline=120.0, timeout=20.0,
                           retry_budget=20.0, max_wait=10.0)
"""How the list itself is fetched: 64 MB at most, two minutes in all, a few retries."""
_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html[\s>]|head[\s>])",
                         re.IGNORECASE | re.DOTALL)
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


def public_spec(spec: str) -> str:
    """``spec`` as it may be printed, cached and published: an http(s) URL loses its
    credentials, query string and fragment."""
    if spec.startswith(("http://", "https://")):
        import httpx

        try:
            return redact_url(spec)
        except httpx.InvalidURL:
            return spec.split("?", 1)[0].split("#", 1)[0].rpartition("@")[2]
    return spec


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


def _text(record: dict[str, Any] | None) -> str | None:
    text = record.get("text") if record is not None else None
    return text if isinstance(text, str) else None


def _fallback(spec: str, kept: Result, reason: str, *, offline: bool) -> LoadedList:
    """The list when this run could not read it: the last good copy (``kept``), else (for the
    default list) the bundled snapshot."""
    text = _text(kept.record)
    if text is not None:
        warning = f"list {spec} {reason}; using the copy read at {kept.fetched_at}"
        return LoadedList(text.encode("utf-8"), spec, [warning], "cache")
    if spec == DEFAULT_LIST:
        warning = f"list {spec} {reason}; using the snapshot bundled with the harvester"
        return LoadedList(snapshot(), spec, [warning], "snapshot")
    if offline:
        raise ListError(f"{spec}: not in the cache, and --offline forbids fetching it")
    raise ListError(f"{spec}: {reason}")


def _cached(cache: RecordCache, spec: str) -> Result:
    """The last copy of the list, as an offline look-up reads it."""
    record = cache.get(_CACHE_SOURCE, spec)
    if record is None:
        return Result(status="absent")
    return Result(status=record.status, record=record.data, fetched_at=record.fetched_at)


def _answered(spec: str, outcome: Outcome, cache: RecordCache, now: datetime) -> LoadedList:
    """What the list's source answered, under the sources' one memory rule (``settle``): an
    answer or a 304 is cached and used; a failure, "not found" included, keeps the last copy."""
    previous = cache.get(_CACHE_SOURCE, spec)
    result = settle(_CACHE_SOURCE, spec, outcome, previous, cache, iso(now),
                    not_found_is_answer=False)
    text = _text(result.record)
    if result.status == "ok" and text is not None:
        return LoadedList(text.encode("utf-8"), spec)
    if isinstance(outcome, NotModified):
        reason = "answered 304 with nothing cached"
    else:
        reason = f"could not be fetched ({result.error})"
    return _fallback(spec, result, reason, offline=False)


def _load_github(
    spec: str,
    parts: tuple[str, str, str | None],
    http: Http | None,
    cache: RecordCache,
    now: datetime,
    offline: bool,
) -> LoadedList:
    if offline or http is None:
        return _fallback(spec, _cached(cache, spec), "was not fetched (offline)", offline=True)
    from .sources.github import fetch_file

    owner, repo, path = parts
    outcome: Outcome
    try:
        answer = fetch_file(http, owner, repo, path, cache.get(_CACHE_SOURCE, spec))
    except SourceError as exc:
        outcome = exc
    else:
        outcome = answer if isinstance(answer, NotModified) else Fetched(
            {"text": answer[0]}, answer[1])
    return _answered(spec, outcome, cache, now)


def _load_url(
    spec: str, http: Http | None, cache: RecordCache, now: datetime, offline: bool
) -> LoadedList:
    import httpx

    public = public_spec(spec)
    _register_url_secrets(spec, http)
    if offline or http is None:
        return _fallback(public, _cached(cache, public), "was not fetched (offline)",
                         offline=True)
    http.configure(_CACHE_SOURCE, LIST_LANE)
    try:
        response = http.request(_CACHE_SOURCE, "GET", spec, follow_redirects=True, accept=(200,))
    except TooLarge:
        raise ListError(f"{public}: more than {MAX_LIST_BYTES} bytes") from None
    except SourceError as exc:
        return _answered(public, exc, cache, now)
    except httpx.InvalidURL:
        raise ListError(f"{public}: not a usable URL") from None
    data = response.content
    if looks_like_html(data, response.headers.get("content-type", "")):
        raise ListError(
            f"{public}: the server answered an HTML page (a login or proxy page?), not a "
            "Markdown list; nothing written"
        )
    loaded = _answered(public, Fetched({"text": data.decode("utf-8", errors="replace")}),
                       cache, now)
    return LoadedList(data, public, loaded.warnings, loaded.fallback)


def _register_url_secrets(spec: str, http: Http | None) -> None:
    """The list URL's credentials (its password, or a user name standing alone, which is how a
    token is written there: ``https://TOKEN@host/…``) and the values of its query
    parameters that name a secret (``token``, ``key``, ``sig``…) are secrets: redacted from every
    message. Other query values (``?raw=true``, ``?ref=main``) are ordinary words, never
    blanked out of the catalogue."""
    import httpx

    try:
        url = httpx.URL(spec)
    except httpx.InvalidURL:
        return
    query = parse_qsl(url.query.decode("ascii", "replace"))
    secret = [v for name, v in query if SECRET_PARAM.search(name)]
    alone = url.username if not url.password else None
    for value in (alone, url.password, *secret):
        if value:
            if http is not None:
                http.allow_secret(value, url)
            else:
                register_secret(value)


def looks_like_html(data: bytes, content_type: str = "") -> bool:
    """An HTML document rather than Markdown (which may hold some HTML, but does not start as a
    document): a doctype, ``<html>`` or ``<head>`` first, or ``text/html`` with ``<body>``."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf")
    if _HTML_START.match(head):
        return True
    return "text/html" in content_type.lower() and b"<body" in head.lower()


def read_entries(loaded: LoadedList) -> tuple[ParsedList, list[str]]:
    """Decode and parse the list; the warnings as ``line N: message`` lines. Whatever the
    parser raises becomes a ``ListError`` (a clear message, never a traceback)."""
    try:
        text, decode_warnings = decode_list(loaded.data)
        parsed = parse_list(text)
    except (RecursionError, MemoryError, ValueError, IndexError, TypeError, KeyError) as exc:
        raise ListError(
            f"{loaded.source}: the list could not be parsed ({type(exc).__name__})"
        ) from None
    warnings = []
    for warning in [*decode_warnings, *parsed.warnings]:
        where = f"line {warning.line}: " if warning.line else ""
        warnings.append(clean_text(f"{where}{warning.message}"))
    return parsed, warnings



def guard_entries(found: int, previous: Summary | None, *, allow_empty: bool) -> list[str]:
    """The empty-list guard: no entries where the previous catalogue had some is an error
    (unless ``allow_empty``); losing more than half of them is a warning to shout about."""
    before = previous.entries if previous is not None else 0
    if found == 0 and before > 0 and not allow_empty:
        raise ListError(
            f"the list yields no entries, but the previous catalogue has {before}; nothing "
            "written (--allow-empty publishes an empty catalogue)"
        )
    if before > 0 and found * 2 < before:
        return [
            f"the list lost more than half of its entries since the last run ({before} → "
            f"{found}); the catalogue is written, check the list"
        ]
    return []
