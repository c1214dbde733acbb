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
        │   └── TooLarge              body over the size cap (``max_bytes``)
        ├── Interrupted               the run was cancelled (SIGINT)           → "unavailable"
        └── TransientError            worth retrying
            ├── RateLimited           429, 403 with quota 0, secondary limits  → "rate_limited"
            └── Unavailable           5xx, timeouts, resets, budget spent      → "unavailable"
                └── Unreachable       the host cannot be connected to (DNS, refused): not
                                      retried, the host is stopped for the run

``SourceError.kind`` is the catalogue's error kind. Messages never contain secrets: the HTTP
layer builds them from the method, the URL without its query string and the status code, and
every message (which may quote text a server sent back) passes through :func:`clean_text`:
every registered secret redacted, control characters removed, length capped.
"""

from __future__ import annotations

import re
import threading

MAX_MESSAGE = 500
"""The most characters of one error message or warning (server text included)."""
REDACTED = "[redacted]"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")
_secrets: set[str] = set()
_secrets_lock = threading.Lock()


def register_secret(value: str | None) -> None:
    """Remember a secret (token, API key, list password) so that no message ever shows it.
    Values shorter than 4 characters are not registered (they would blank ordinary words)."""
    if value and len(value) >= 4:
        with _secrets_lock:
            _secrets.add(value)


def redact(text: str) -> str:
    """``text`` with every registered secret replaced by ``[redacted]``."""
    with _secrets_lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, REDACTED)
    return text


def redact_bytes(data: bytes) -> bytes:
    """:func:`redact` of UTF-8 text kept as bytes."""
    with _secrets_lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    for secret in secrets:
        raw = secret.encode("utf-8", "surrogatepass")
        if raw in data:
            data = data.replace(raw, REDACTED.encode("utf-8"))
    return data


def clean_text(text: str, limit: int = MAX_MESSAGE) -> str:
    """Text fit for a log or the catalogue: secrets redacted, control characters (newlines
    included) made spaces, at most ``limit`` characters."""
    text = _CONTROL.sub(" ", redact(str(text)).replace("\n", " ").replace("\t", " "))
    return text if len(text) <= limit else text[: limit - 1] + "…"


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
        message = clean_text(message)
        super().__init__(message)
        self.message = message
        self.source = source
        self.ref = ref

    def __reduce__(self) -> tuple[object, ...]:  # keep errors picklable with their keyword fields
        return (_rebuild, (type(self), self.message, self.source, self.ref))


def _rebuild(cls: type[SourceError], message: str, source: str, ref: str) -> SourceError:
    return cls(message, source=source, ref=ref)


class NotFound(SourceError):
    kind = "not_found"


class Blocked(SourceError):
    kind = "blocked"


class InvalidResponse(SourceError):
    kind = "invalid_response"


class TooLarge(InvalidResponse):
    """The body was larger than the requester's ``max_bytes`` (after decompression)."""


class Interrupted(SourceError):
    kind = "unavailable"


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


class Unreachable(Unavailable):
    """A connection to the host could not be made (DNS failure, refused): a fact about the host,
    so it is not retried and the host's remaining requests fail at once."""
