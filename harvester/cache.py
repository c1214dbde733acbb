"""The on-disk record cache (diskcache, SQLite underneath: safe across threads and processes).

One record per ``(source, CACHE_VERSION, id)``, holding the parsed JSON-able record (never a raw
response, never a pickled object), the response validators (ETag / Last-Modified) and when it was
fetched. Records never expire inside diskcache: freshness is policy, decided by the caller with
the source's TTL, and an expired record stays available as the last good value when a new
fetch fails. A record fetched "in the future" (a clock set wrong, a damaged record) is not fresh.

A damaged cache never stops a run: any error from the database (random bytes in the SQLite
file, a value file gone) is a warning, the cache folder is moved aside, a new one is started,
and the run goes on with the previous catalogue as its memory.

A run reads its cached records in bulk (``get_many``): a few SQL queries over diskcache's own
table per source instead of one ``get`` each, decoded with orjson, on a read-only SQLite
connection per thread. Anything the bulk read does not handle exactly as ``get`` would (a value
kept in a file, a cache with statistics or an eviction policy that updates on reads, any database
error) is read with ``get``, so its answers and its handling of a damaged cache are ``get``'s.

Nothing secret is stored: records are parsed API data, and validators are opaque server strings.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import diskcache
import diskcache.core
import orjson

from .errors import OutputError

CACHE_VERSION = 1


def utcnow() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(slots=True)
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


_BULK = 500
"""Keys per bulk query: well under SQLite's smallest limit on query parameters (999)."""
_READER_CACHE_KIB = 128

# orjson reads an integer beyond 64 bits as a float, the stdlib exactly: a record with a long run
# of digits after a JSON separator is read by the stdlib. The separators are those ``put`` writes
# (json.dumps's defaults: ": ", ", " and "["). Three searches with a literal prefix are several
# times faster than one with a character class.
_LONG_INTEGERS = tuple(re.compile(p) for p in (r": -?[0-9]{19}", r", -?[0-9]{19}",
                                                r"\[-?[0-9]{19}"))


def _long_integer(text: str) -> bool:
    return any(pattern.search(text) is not None for pattern in _LONG_INTEGERS)


def _decode(raw: object, *, checked: bool = False) -> CachedRecord | None:
    """A stored record, or None when it cannot be read (as good as none: the next fetch replaces
    it). orjson reads it; what orjson refuses or reads differently is left to the stdlib.
    ``checked``: ``raw`` is known to hold no long integer."""
    if not isinstance(raw, str):
        return None
    try:
        if not checked and _long_integer(raw):
            value = json.loads(raw)
        else:
            try:
                value = orjson.loads(raw)
            except orjson.JSONDecodeError:  # NaN, a lone surrogate, nesting orjson refuses…
                value = json.loads(raw)
        record = CachedRecord(**value)
    except (ValueError, TypeError, RecursionError):
        return None
    if not isinstance(record.fetched_at, str) or not (
        record.data is None or isinstance(record.data, dict)
    ):
        return None
    return record


class RecordCache:
    """Records by source and id. ``readonly`` caches never write (``--offline``)."""

    def __init__(self, directory: Path | str, *, readonly: bool = False) -> None:
        self.directory = Path(directory)
        self.readonly = readonly
        self.warnings: list[str] = []
        self._lock = threading.Lock()
        self._generation = 0
        self._disabled = False
        self._readers = threading.local()
        self._reader_connections: list[tuple[int, sqlite3.Connection]] = []
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
        with self._lock:
            readers, self._reader_connections = self._reader_connections, []
        pid = os.getpid()
        for opener, connection in readers:  # before diskcache's, which tidies the journal
            if opener == pid:  # a connection opened before a fork is the parent's to close
                with contextlib.suppress(Exception):
                    connection.close()
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
        return _decode(self._raw(source, key))

    def _raw(self, source: str, key: str) -> object:
        """What diskcache holds for the key (None when nothing, or on a database error)."""
        if self._disabled:
            return None
        generation, cache = self._generation, self._cache
        try:
            return cache.get(self._key(source, key))
        except Exception as exc:  # any database error: see _damaged
            self._damaged(generation, exc)
            return None

    def _chunks(self, source: str, keys: Iterable[str]) -> Iterator[tuple[dict[str, str],
                                                                           list[str]]]:
        """For a few hundred keys at a time: the texts read in bulk, and the keys left to a
        read of their own (see ``_bulk_rows``)."""
        wanted = list(dict.fromkeys(keys))
        for start in range(0, len(wanted), _BULK):
            if self._disabled:
                return
            chunk = wanted[start : start + _BULK]
            answer = self._bulk_rows(source, chunk)
            yield answer if answer is not None else ({}, chunk)

    def get_many(self, source: str, keys: Iterable[str]) -> dict[str, CachedRecord]:
        """The records of ``keys`` the cache holds, as ``get`` reads them (a key with none is
        left out), in one query per few hundred keys."""
        found: dict[str, CachedRecord] = {}
        for inline, singles in self._chunks(source, keys):
            # one search of them all (a match cannot span the line break between two), then
            # only if one has a long integer, each on its own
            checked = not _long_integer("\n".join(inline.values()))
            for key, raw in inline.items():
                if (record := _decode(raw, checked=checked)) is not None:
                    found[key] = record
            for key in singles:
                if (record := self.get(source, key)) is not None:
                    found[key] = record
        return found

    def _bulk_rows(self, source: str, keys: list[str]) -> tuple[dict[str, str], list[str]] | None:
        """The stored texts of ``keys`` that diskcache keeps inline in its table, and the keys
        whose value it keeps otherwise (in a file), left to ``get``; a key with no row is in
        neither. None when the bulk read cannot answer as ``get`` would (a cache that counts
        hits or updates rows on reads, or any error: a damaged database is ``get``'s to handle)."""
        generation, cache = self._generation, self._cache
        if (cache.statistics or type(cache.disk) is not diskcache.Disk
                or diskcache.core.EVICTION_POLICY[cache.eviction_policy]["get"] is not None):
            return None
        prefix = self._key(source, "")
        inline: dict[str, str] = {}
        others: list[str] = []
        try:
            connection = self._reader(generation, cache)
            # diskcache's own look-up (Cache.get), for many keys: a str key is stored as is
            # (raw = 1); a str value below the file size is stored inline (mode MODE_RAW)
            rows = connection.execute(
                "SELECT substr(key, ?), mode = ? AND typeof(value) = 'text', value FROM Cache"
                " WHERE raw = 1 AND (expire_time IS NULL OR expire_time > ?)"
                f" AND key IN ({', '.join('?' * len(keys))})",
                (len(prefix) + 1, diskcache.core.MODE_RAW, time.time(),
                 *(prefix + key for key in keys)),
            )
            for key, here, value in rows:
                if here:
                    inline[key] = value
                else:
                    others.append(key)
        except Exception:  # any database error: every key of the chunk is left to ``get``
            return None
        return inline, others

    def _reader(self, generation: int, cache: diskcache.Cache) -> sqlite3.Connection:
        """This thread's read-only connection to the database of ``cache`` (generation
        ``generation``): one per thread, as diskcache keeps its own, none shared."""
        held = getattr(self._readers, "held", None)
        pid = os.getpid()
        if held is not None and held[0] == generation and held[1] == pid:
            connection: sqlite3.Connection = held[2]
            return connection
        if held is not None and held[1] == pid:
            with contextlib.suppress(Exception):
                held[2].close()
        path = Path(os.path.abspath(cache.directory)) / diskcache.core.DBNAME
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=60,
                                     isolation_level=None, check_same_thread=False)
        # a bulk read visits each page about once: a small page cache per connection (diskcache
        # keeps 32 MiB and a 64 MiB memory map for each of its own) costs nothing in time
        connection.execute(f"PRAGMA cache_size = -{_READER_CACHE_KIB}")
        with self._lock:
            self._reader_connections.append((pid, connection))
        self._readers.held = (generation, pid, connection)
        return connection

    def put(self, source: str, key: str, record: CachedRecord) -> None:
        if self.readonly or self._disabled:
            return
        generation, cache = self._generation, self._cache
        try:
            cache.set(self._key(source, key), json.dumps(asdict(record), sort_keys=True))
        except Exception as exc:  # any database error: see _damaged
            self._damaged(generation, exc)

    def get_texts(self, source: str, keys: Iterable[str]) -> dict[str, str]:
        """The plain texts :meth:`put_texts` kept for ``keys`` (a key with none is left out),
        read in bulk like :meth:`get_many` but with no record around them to decode."""
        found: dict[str, str] = {}
        for inline, singles in self._chunks(source, keys):
            found.update(inline)
            for key in singles:
                if isinstance(value := self._raw(source, key), str):
                    found[key] = value
        return found

    def put_texts(self, source: str, texts: dict[str, str]) -> None:
        """Keep plain texts (not records) under ``source``, in one transaction."""
        if self.readonly or self._disabled or not texts:
            return
        generation, cache = self._generation, self._cache
        try:
            with cache.transact():
                for key, text in texts.items():
                    cache.set(self._key(source, key), text)
        except Exception as exc:  # any database error: see _damaged
            self._damaged(generation, exc)

