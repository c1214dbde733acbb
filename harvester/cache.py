"""The on-disk record cache (diskcache, SQLite underneath: safe across threads and processes).

One record per ``(source, CACHE_VERSION, id)``, holding the parsed JSON-able record (never a raw
response, never a pickled object), the response validators (ETag / Last-Modified) and when it was
fetched. Records never expire inside diskcache: freshness is policy, decided by the caller with
the source's TTL, and an expired record stays available as the last good value when a new
fetch fails. A record fetched "in the future" (a clock set wrong, a damaged record) is not fresh.

A damaged cache never stops a run: any error from the database (random bytes in the SQLite
file, a value file gone) is a warning, the cache folder is moved aside, a new one is started,
and the run goes on with the previous catalogue as its memory.

Nothing secret is stored: records are parsed API data, and validators are opaque server strings.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import sqlite3
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import diskcache

from .errors import OutputError

CACHE_VERSION = 1


def utcnow() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class CachedRecord:
    status: Literal["ok", "not_found"]
    data: dict[str, Any] | None
    fetched_at: str
    """ISO 8601 UTC time of the last successful answer (a 304 counts)."""
    validators: dict[str, str] = field(default_factory=dict)

    def age(self, now: datetime) -> float:
        """Seconds since ``fetched_at``; infinite when it cannot be read."""
        fetched = _stamp(self.fetched_at) if isinstance(self.fetched_at, str) else None
        if fetched is None:
            return float("inf")
        return (now - fetched).total_seconds()

    def is_fresh(self, ttl: float, now: datetime) -> bool:
        return 0 <= self.age(now) < ttl


@functools.lru_cache(maxsize=4096)
def _stamp(text: str) -> datetime | None:
    """An ISO 8601 UTC stamp as ``iso`` writes it (a run's records share a few: memoised, as
    ``strptime`` per record was a visible part of a warm run)."""
    try:
        return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None


class RecordCache:
    """Records by source and id. ``readonly`` caches never write (``--offline``)."""

    def __init__(self, directory: Path | str, *, readonly: bool = False) -> None:
        self.directory = Path(directory)
        self.readonly = readonly
        self.warnings: list[str] = []
        self._lock = threading.Lock()
        self._generation = 0
        self._disabled = False
        try:
            self._cache = diskcache.Cache(str(self.directory), timeout=60)
        except (sqlite3.Error, OSError) as exc:
            self._cache = self._replace_broken(exc)

    def _replace_broken(self, exc: Exception) -> diskcache.Cache:
        """A cache that cannot be opened is moved aside and started afresh (the previous
        catalogue still holds the last good values); a path that is not a folder is an error."""
        if self.directory.exists() and not self.directory.is_dir():
            raise OutputError(f"cache {self.directory}: not a folder") from None
        stamp = f"{int(time.time())}-{os.getpid()}-{self._generation}"
        aside = self.directory.with_name(f"{self.directory.name}.broken-{stamp}")
        try:
            self.directory.rename(aside)
            cache = diskcache.Cache(str(self.directory), timeout=60)
        except (sqlite3.Error, OSError):
            raise OutputError(f"cache {self.directory}: unusable ({type(exc).__name__})") from None
        self.warnings.append(
            f"cache {self.directory} was unreadable ({type(exc).__name__}); moved to {aside} "
            "and started empty"
        )
        return cache

    def _damaged(self, generation: int, exc: Exception) -> None:
        """An error while the cache was in use: move it aside once, carry on with a new one (or,
        if that fails too, with none: nothing cached this run)."""
        with self._lock:
            if generation != self._generation or self._disabled:
                return  # another thread has dealt with it
            self._generation += 1
            with contextlib.suppress(Exception):  # a damaged database may fail to close too
                self._cache.close()
            try:
                self._cache = self._replace_broken(exc)
            except OutputError:
                self._disabled = True
                self.warnings.append(
                    f"cache {self.directory} failed ({type(exc).__name__}) and could not be "
                    "replaced; this run caches nothing"
                )

    def close(self) -> None:
        with contextlib.suppress(Exception):  # closing a damaged cache is not worth a failure
            self._cache.close()

    def __enter__(self) -> RecordCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @staticmethod
    def _key(source: str, key: str) -> str:
        return f"{source}:v{CACHE_VERSION}:{key}"

    def get(self, source: str, key: str) -> CachedRecord | None:
        if self._disabled:
            return None
        generation, cache = self._generation, self._cache
        try:
            raw = cache.get(self._key(source, key))
        except Exception as exc:  # any database error: see _damaged
            self._damaged(generation, exc)
            return None
        if not isinstance(raw, str):
            return None
        try:
            value = json.loads(raw)
            record = CachedRecord(**value)
        except (ValueError, TypeError, RecursionError):
            return None  # an unreadable record is as good as none; the next fetch replaces it
        if not isinstance(record.fetched_at, str) or not (
            record.data is None or isinstance(record.data, dict)
        ):
            return None
        return record

    def put(self, source: str, key: str, record: CachedRecord) -> None:
        if self.readonly or self._disabled:
            return
        generation, cache = self._generation, self._cache
        try:
            cache.set(self._key(source, key), json.dumps(asdict(record), sort_keys=True))
        except Exception as exc:  # any database error: see _damaged
            self._damaged(generation, exc)
