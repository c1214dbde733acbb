"""The on-disk record cache (diskcache, SQLite underneath: safe across threads and processes).

One record per ``(source, CACHE_VERSION, id)``, holding the parsed JSON-able record (never a raw
response, never a pickled object), the response validators (ETag / Last-Modified) and when it was
fetched. Records never expire inside diskcache: freshness is policy, decided by the caller with
the source's TTL, and an expired record stays available as the last good value when a new
fetch fails. Nothing secret is stored: records are parsed API data, and validators are opaque
server strings.
"""

from __future__ import annotations

import json
import sqlite3
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
        fetched = datetime.strptime(self.fetched_at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        return (now - fetched).total_seconds()

    def is_fresh(self, ttl: float, now: datetime) -> bool:
        return self.age(now) < ttl


class RecordCache:
    """Records by source and id. ``readonly`` caches never write (``--offline``)."""

    def __init__(self, directory: Path | str, *, readonly: bool = False) -> None:
        self.directory = Path(directory)
        self.readonly = readonly
        self.warnings: list[str] = []
        try:
            self._cache = diskcache.Cache(str(self.directory), timeout=60)
        except (sqlite3.Error, OSError) as exc:
            self._cache = self._replace_broken(exc)

    def _replace_broken(self, exc: Exception) -> diskcache.Cache:
        """A cache that cannot be opened is moved aside and started afresh (the previous
        catalogue still holds the last good values); a path that is not a folder is an error."""
        if self.directory.exists() and not self.directory.is_dir():
            raise OutputError(f"cache {self.directory}: not a folder") from None
        aside = self.directory.with_name(f"{self.directory.name}.broken-{int(time.time())}")
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

    def close(self) -> None:
        self._cache.close()

    def __enter__(self) -> RecordCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @staticmethod
    def _key(source: str, key: str) -> str:
        return f"{source}:v{CACHE_VERSION}:{key}"

    def get(self, source: str, key: str) -> CachedRecord | None:
        raw = self._cache.get(self._key(source, key))
        if not isinstance(raw, str):
            return None
        try:
            value = json.loads(raw)
            return CachedRecord(**value)
        except (ValueError, TypeError):
            return None  # an unreadable record is as good as none; the next fetch replaces it

    def put(self, source: str, key: str, record: CachedRecord) -> None:
        if self.readonly:
            return
        self._cache.set(self._key(source, key), json.dumps(asdict(record), sort_keys=True))
