"""The source interface and the one loop that runs every source the same way.

A source knows one API: how to ask it for a batch of ids and how to parse the answer. It never
touches the cache. ``run_source`` owns the policy around it, identical for all sources:

* ``normal``: a cached record younger than the source's TTL is used as is; the rest is fetched.
* ``refresh``: everything is fetched again; cached validators make the request conditional
  where the API supports it (a 304 keeps the cached record and renews its ``fetched_at``).
* ``offline``: nothing is fetched; whatever the cache holds is used, of any age, not stale.

A look-up that fails (rate-limited, unavailable, invalid, blocked) keeps the cached record, of any
age, and is marked stale; with no cached record it has no value (the pipeline then falls back to
the previous catalogue). "Not found" is an answer, cached like any other.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from ..cache import CachedRecord, RecordCache, iso
from ..config import Settings
from ..errors import InvalidResponse, NotFound, SourceError
from ..http import Http
from ..sanity import impossible

if TYPE_CHECKING:
    import httpx

Mode = Literal["normal", "refresh", "offline"]


@dataclass
class Fetched:
    """The API answered for this id: ``data`` is the parsed record, None when it is unknown."""

    data: dict[str, Any] | None
    validators: dict[str, str] = field(default_factory=dict)


@dataclass
class NotModified:
    """The API confirmed the cached record (HTTP 304)."""

    validators: dict[str, str] = field(default_factory=dict)


Outcome = Fetched | NotModified | SourceError


@dataclass(slots=True)
class Result:
    """What the run knows about one id of one source."""

    status: Literal["ok", "not_found", "failed", "absent"]
    record: dict[str, Any] | None = None
    fetched_at: str | None = None
    error: SourceError | None = None
    stale: bool = False
    """True when ``record`` is a previous value kept because this run's look-up failed."""
    via: Literal["cache", "fetch", "304"] = "cache"
    """Where the answer came from: the cache, this run's fetch, or a 304 confirming the cache
    (a failed look-up says ``fetch``: it was asked)."""


class Source:
    """Base class: subclasses set ``name`` and implement ``fetch``."""

    name: ClassVar[str]

    def __init__(self, http: Http, settings: Settings) -> None:
        self.http = http
        self.settings = settings
        self.options = settings.source(self.name)

    def batch_size(self) -> int:
        return self.options.batch_size

    def concurrency(self) -> int:
        return self.options.concurrency

    def fetch(self, keys: list[str], cached: dict[str, CachedRecord]) -> dict[str, Outcome]:
        """Ask the API about ``keys`` (at most ``batch_size()``); one outcome per key.

        ``cached`` holds the previous records of these keys, for conditional requests. Raise a
        ``SourceError`` when the whole batch failed.
        """
        raise NotImplementedError

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        return self.http.request(self.name, method, url, **kwargs)


Progress = Callable[[str, int], None]


def run_source(
    source: Source,
    keys: Iterable[str],
    cache: RecordCache,
    mode: Mode,
    now: datetime,
    progress: Progress | None = None,
    *,
    permanent: bool = False,
) -> dict[str, Result]:
    """Look up ``keys`` with ``source`` under the cache policy of ``mode``; ``permanent``: the
    source never deletes a record (``SourceSpec.permanent``)."""
    unique = list(dict.fromkeys(keys))
    results: dict[str, Result] = {}
    cached = cache.get_many(source.name, unique)
    to_fetch: list[str] = []
    ttl = source.options.ttl
    for key in unique:
        record = cached.get(key)
        if record is not None and impossible(record.data):
            del cached[key]  # kept by an earlier version that did not check: as good as none
            record = None
        if mode == "offline" or (mode == "normal" and record and record.is_fresh(ttl, now)):
            results[key] = _from_cache(record)
        else:
            to_fetch.append(key)
    if progress and results:
        progress(source.name, len(results))

    size = max(1, source.batch_size())
    batches = [to_fetch[i : i + size] for i in range(0, len(to_fetch), size)]
    lock = threading.Lock()
    stamp = iso(now)

    def run_batch(batch: list[str]) -> None:
        try:
            outcomes = source.fetch(batch, {k: cached[k] for k in batch if k in cached})
        except NotFound as exc:
            # "no such id" is an answer for one id; for a whole batch it means the endpoint
            # itself was not found (a wrong URL root), which must not be cached as missing ids
            error = exc if len(batch) == 1 else InvalidResponse(str(exc), source=source.name)
            outcomes = dict.fromkeys(batch, error)
        except SourceError as exc:
            exc.source = exc.source or source.name
            outcomes = dict.fromkeys(batch, exc)
        except Exception as exc:  # nothing a parser raises escapes its source (deep nesting…)
            error = InvalidResponse(f"{source.name} answered something that could not be read "
                                    f"({type(exc).__name__})", source=source.name)
            outcomes = dict.fromkeys(batch, error)
        for key in batch:
            outcome = outcomes.get(key)
            if outcome is None:
                outcome = InvalidResponse(
                    f"{source.name} answered without a record for {key}", source=source.name
                )
            with lock:  # one writer at a time: the results are shared by the batches
                results[key] = settle(source.name, key, outcome, cached.get(key), cache, stamp,
                                      permanent=permanent)
        if progress:
            progress(source.name, len(batch))

    workers = min(source.concurrency(), len(batches)) or 1
    if workers == 1:
        for batch in batches:
            run_batch(batch)
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            list(pool.map(run_batch, batches))
    return {key: results[key] for key in unique}


def _from_cache(record: CachedRecord | None,
                via: Literal["cache", "fetch", "304"] = "cache") -> Result:
    if record is None:
        return Result(status="absent", via=via)
    return Result(status=record.status, record=record.data, fetched_at=record.fetched_at,
                  via=via)


def settle(
    name: str,
    key: str,
    outcome: Outcome,
    previous: CachedRecord | None,
    cache: RecordCache,
    stamp: str,
    *,
    not_found_is_answer: bool = True,
    permanent: bool = False,
) -> Result:
    """The one memory rule: an answer (or a 304 confirming ``previous``) is cached and used; a
    failure keeps ``previous``, of any age, marked stale. ``not_found_is_answer=False`` (the
    list) makes "not found" a failure too, so it never replaces the last good copy."""
    if isinstance(outcome, NotFound) and not_found_is_answer:
        outcome = Fetched(None)
    if (permanent and isinstance(outcome, Fetched) and outcome.data is None
            and previous is not None and previous.status == "ok"):
        # a source that never deletes a record (arXiv keeps even a withdrawn paper's entry):
        # leaving out one it answered before is an empty or garbled answer, not an unknown id
        outcome = InvalidResponse(f"{name} answered without {key}, which it knew before",
                                  source=name)
    if isinstance(outcome, NotModified) and previous is not None:
        validators = outcome.validators or previous.validators
        record = CachedRecord(previous.status, previous.data, stamp, validators)
        cache.put(name, key, record)
        return _from_cache(record, "304")
    if isinstance(outcome, Fetched) and (problem := impossible(outcome.data)):
        outcome = InvalidResponse(f"{name} answered an impossible value for {key}: {problem}",
                                  source=name)
    if isinstance(outcome, Fetched):
        status: Literal["ok", "not_found"] = "ok" if outcome.data is not None else "not_found"
        record = CachedRecord(status, outcome.data, stamp, outcome.validators)
        cache.put(name, key, record)
        return _from_cache(record, "fetch")
    if isinstance(outcome, SourceError):
        error = copy.copy(outcome)  # one batch error is shared by its keys: each gets its ref
    else:
        error = InvalidResponse(f"{name}: 304 for {key} with nothing cached")
    error.source = error.source or name
    error.ref = key
    if previous is not None:
        return Result(
            status="failed",
            record=previous.data if previous.status == "ok" else None,
            fetched_at=previous.fetched_at,
            error=error,
            stale=previous.status == "ok",
            via="fetch",
        )
    return Result(status="failed", error=error, via="fetch")
