"""``harvest --record DIR``: every raw answer of a run, saved so that tests can replay it.

The HTTP layer hands each exchange it completed (a status line, headers and a body read whole,
within the caps) to a :class:`Recorder`, which writes it as one JSON file named
``NNNN-SOURCE-HASH.json`` (the order of arrival, the requester, eight hex digits of the
request) and appends one line to ``index.jsonl``. A file holds::

    {"source", "method", "url", "request_headers", "request_body",
     "status", "headers", "body" | "body_base64", "redacted"}

The body is the one the harvester read, decompressed (the transfer headers content-encoding,
content-length and transfer-encoding are dropped with the compression); a body that is not
UTF-8 is kept as base64. Answers that were never read whole (a connection that failed, a body
over ``max_bytes``, a deadline passed) are not recorded.

Nothing secret is written: URLs lose their credentials, and every query parameter that names a
key, token, password or contact address, or whose value is a registered secret
(:func:`harvester.errors.register_secret`), has its value replaced by ``[redacted]``; the
credential headers (Authorization, X-Api-Key, cookies) and the User-Agent (it carries the
contact address) are dropped, and any other header, request body or response body that contains
a registered secret has it replaced (``"redacted": true`` then says the body is not as sent).
:func:`public_url` is the same rewrite, so a replay matches a live request to its recording.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import re
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode

from .errors import REDACTED, OutputError, redact

if TYPE_CHECKING:
    import httpx

INDEX = "index.jsonl"
DROPPED_HEADERS = frozenset({
    "authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "user-agent",
    "content-encoding", "content-length", "transfer-encoding",
})
# query parameters whose values are secrets (api_key, token, sig, mailto…), here and in list URLs
SECRET_PARAM = re.compile(r"key|token|secret|passw|auth|sig|mailto|email|session",
                           re.IGNORECASE)
_log = logging.getLogger(__name__)
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def public_url(url: httpx.URL | str) -> str:
    """``url`` as a recording names it: no credentials or fragment, secret query values
    replaced by ``[redacted]``, any registered secret left in it redacted."""
    import httpx  # loaded with the first request, not with this module (harvester.http)

    u = httpx.URL(str(url))
    pairs = parse_qsl(u.query.decode("ascii", "replace"), keep_blank_values=True)
    safe = [(name, REDACTED if SECRET_PARAM.search(name) or redact(value) != value else value)
            for name, value in pairs]
    clean = u.copy_with(username=None, password=None, fragment=None,
                        query=urlencode(safe).encode("ascii") if safe else None)
    return redact(str(clean))


def public_headers(headers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Headers fit for a recording: the credential and transfer headers dropped, registered
    secrets redacted from the rest."""
    return [(name, redact(value)) for name, value in headers
            if name.lower() not in DROPPED_HEADERS]


def request_body(content: bytes) -> str | None:
    """The request body as recorded (and matched on replay): text, secrets redacted."""
    if not content:
        return None
    return redact(content.decode("utf-8", errors="replace"))


def exchange_id(method: str, url: str, body: str | None) -> str:
    """Eight hex digits naming one request (method, public URL, recorded body)."""
    seed = "\n".join((method.upper(), url, body or ""))
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()[:8]


def _redact_body(body: bytes) -> tuple[bytes, bool]:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return body, False  # binary: a secret is not expected in it, and cannot be found here
    clean = redact(text)
    return clean.encode("utf-8"), clean != text


class Recorder:
    """Writes the exchanges of one run into ``folder`` (thread-safe; created if missing)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"{folder}: cannot record there ({exc.strerror})") from None
        self._lock = threading.Lock()
        self._count = sum(1 for _ in self.folder.glob("[0-9]*-*.json"))
        self.error: str | None = None
        """Why some exchanges could not be written (the first failure), if any."""

    def save(self, source: str, request: httpx.Request, status: int,
             headers: Iterable[tuple[bytes, bytes]], body: bytes) -> None:
        """Record one exchange: ``headers`` as received, ``body`` as read (decompressed)."""
        url = public_url(request.url)
        sent = request_body(request.content)
        data, redacted = _redact_body(body)
        record: dict[str, Any] = {
            "source": source,
            "method": request.method,
            "url": url,
            "request_headers": public_headers(request.headers.multi_items()),
            "request_body": sent,
            "status": status,
            "headers": public_headers((k.decode("latin-1"), v.decode("latin-1"))
                                      for k, v in headers),
            "redacted": redacted,
        }
        try:
            record["body"] = data.decode("utf-8")
        except UnicodeDecodeError:
            record["body_base64"] = base64.b64encode(data).decode("ascii")
        tag = exchange_id(request.method, url, sent)
        with self._lock:
            self._count += 1
            name = f"{self._count:04d}-{_UNSAFE.sub('_', source)}-{tag}.json"
            line = {"file": name, "source": source, "method": request.method, "url": url,
                    "status": status}
            try:
                (self.folder / name).write_text(
                    json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
                with (self.folder / INDEX).open("a", encoding="utf-8") as index:
                    index.write(json.dumps(line, ensure_ascii=False) + "\n")
            except OSError as exc:  # a recording is a by-product: the run goes on without it
                if self.error is None:
                    self.error = f"could not record into {self.folder} ({exc.strerror})"
                    _log.warning("%s", self.error)
