"""The harvester's exceptions.

::

    HarvestError                      base of everything the harvester raises on purpose
    ├── ConfigError                   bad harvest.toml / environment          → exit 1
    ├── ListError                     list cannot be read                      → exit 1
    ├── OutputError                   catalogue cannot be written              → exit 1
    └── SourceError(source, ref)      one look-up (or one batch) failed
        ├── NotFound                  the API answered: no such id             → "not_found"
        ├── Blocked                   403 / bad key / forbidden                → "blocked"
        ├── InvalidResponse           body unreadable or of the wrong shape    → "invalid_response"
        └── TransientError            worth retrying
            ├── RateLimited           429, 403 with quota 0, secondary limits  → "rate_limited"
            └── Unavailable           5xx, timeouts, resets, budget spent      → "unavailable"

``SourceError.kind`` is the catalogue's error kind. Messages never contain secrets: the HTTP
layer builds them from the method, the URL without its query string and the status code.
"""

from __future__ import annotations

from typing import Any


class HarvestError(Exception):
    """Base class of the harvester's own errors."""


class ConfigError(HarvestError):
    pass


class ListError(HarvestError):
    pass


class OutputError(HarvestError):
    pass


class SourceError(HarvestError):
    kind = "unavailable"

    def __init__(self, message: str, *, source: str = "", ref: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.source = source
        self.ref = ref

    def __reduce__(self) -> tuple[Any, ...]:  # keep errors picklable with their keyword fields
        return (_rebuild, (type(self), self.message, self.source, self.ref))


def _rebuild(cls: type[SourceError], message: str, source: str, ref: str) -> SourceError:
    return cls(message, source=source, ref=ref)


class NotFound(SourceError):
    kind = "not_found"


class Blocked(SourceError):
    kind = "blocked"


class InvalidResponse(SourceError):
    kind = "invalid_response"


class TransientError(SourceError):
    kind = "unavailable"

    def __init__(
        self, message: str, *, source: str = "", ref: str = "", retry_after: float | None = None
    ) -> None:
        super().__init__(message, source=source, ref=ref)
        self.retry_after = retry_after


class RateLimited(TransientError):
    kind = "rate_limited"


class Unavailable(TransientError):
    kind = "unavailable"
