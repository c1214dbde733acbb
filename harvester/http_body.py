"""Bodies for the HTTP layer (``harvester.http``): every body is read streamed, under two
bounds of the source's settings.

``max_bytes`` is counted after decompression: only gzip and deflate are asked for, and
:class:`Decoder` decodes them here in bounded steps, so a 10 MB body that inflates to 10 GiB
never takes more than the cap in memory. Over the cap is a ``TooLarge`` (an
``InvalidResponse``).

``deadline`` is the total time of one request however steadily the server trickles: the body
reader checks it between chunks, and the sockets of :func:`network_transport` bound every read
and write by it, so a server trickling its status line and headers is bounded too (httpx's
timeouts restart with every byte). Passing it raises :class:`DeadlinePassed`, which the layer
reports as ``Unavailable``.
"""

from __future__ import annotations

import threading
import time
import zlib
from collections.abc import Callable
from typing import Any

import httpcore
import httpx

from .errors import Interrupted, InvalidResponse, TooLarge


def read_body(response: httpx.Response, cap: int, where: str, source: str, deadline: float, *,
              cancelled: threading.Event, clock: Callable[[], float]) -> bytes:
    """The decoded body of a streamed ``response``, at most ``cap`` bytes, read before
    ``deadline`` (on ``clock``) unless ``cancelled`` is set first."""
    if response.is_stream_consumed:  # an in-memory answer (a test transport): decoded
        if len(response.content) > cap:
            raise Decoder("", cap, where, source).over()
        return response.content
    decoder = Decoder(response.headers.get("content-encoding", ""), cap, where, source)
    chunks: list[bytes] = []
    size = 0
    for raw in response.iter_raw():
        if cancelled.is_set():
            raise Interrupted(f"the run was interrupted while reading {where}", source=source)
        if clock() > deadline:
            raise DeadlinePassed
        for chunk in decoder.feed(raw, cap - size):
            size += len(chunk)
            chunks.append(chunk)
    for chunk in decoder.flush(cap - size):
        size += len(chunk)
        chunks.append(chunk)
    return b"".join(chunks)


class DeadlinePassed(Exception):
    """The request's deadline passed while its body was being read."""


deadlines = threading.local()
"""The monotonic deadline of the request this thread is sending, for the socket reads."""


class DeadlineStream(httpcore.NetworkStream):
    """A socket whose every read and write waits at most until the request's deadline, so that
    a server trickling its status line and headers is bounded too (httpx's timeouts restart
    with every byte)."""

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    @staticmethod
    def _limit(timeout: float | None, error: type[Exception]) -> float | None:
        deadline: float | None = getattr(deadlines, "value", None)
        if deadline is None:
            return timeout
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise error("the request's deadline has passed")
        return remaining if timeout is None else min(timeout, remaining)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, self._limit(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, self._limit(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        limit = self._limit(timeout, httpcore.ConnectTimeout)
        return DeadlineStream(self._stream.start_tls(ssl_context, server_hostname, limit))

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class DeadlineBackend(httpcore.NetworkBackend):
    def __init__(self, backend: httpcore.NetworkBackend) -> None:
        self._backend = backend

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: Any = None) -> httpcore.NetworkStream:
        limit = DeadlineStream._limit(timeout, httpcore.ConnectTimeout)
        return DeadlineStream(self._backend.connect_tcp(host, port, limit, local_address,
                                                         socket_options))

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Any = None) -> httpcore.NetworkStream:
        return DeadlineStream(self._backend.connect_unix_socket(path, timeout, socket_options))

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


def network_transport() -> httpx.BaseTransport:
    """httpx's own transport, its sockets bounded by the request's deadline (the pool's
    backend is swapped in place: httpx offers no public way to pass one)."""
    transport = httpx.HTTPTransport()
    pool = getattr(transport, "_pool", None)
    backend = getattr(pool, "_network_backend", None)
    if pool is not None and isinstance(backend, httpcore.NetworkBackend):
        pool._network_backend = DeadlineBackend(backend)
    return transport


_STEP = 1024 * 1024
"""The most bytes one decompression step produces (a deflate block may inflate 1000-fold)."""


class Decoder:
    """gzip / deflate / identity decoding in steps bounded by what the cap still allows."""

    def __init__(self, encoding: str, cap: int, where: str, source: str) -> None:
        self.cap, self.where, self.source = cap, where, source
        codings = [c.strip().lower() for c in encoding.split(",") if c.strip()]
        codings = [c for c in codings if c != "identity"]
        if len(codings) > 1 or (codings and codings[0] not in ("gzip", "x-gzip", "deflate")):
            raise InvalidResponse(f"unasked content-encoding {encoding!r} from {where}",
                                  source=source)
        self.coding = codings[0] if codings else None
        self.zlib: Any = None
        if self.coding in ("gzip", "x-gzip"):
            self.zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif self.coding == "deflate":
            self.zlib = zlib.decompressobj()
        self.raw_deflate_tried = False

    def over(self) -> InvalidResponse:
        return TooLarge(
            f"answer larger than {self.cap} bytes (max_bytes) from {self.where}", source=self.source
        )

    def feed(self, data: bytes, room: int) -> list[bytes]:
        if self.zlib is None:
            if len(data) > room:
                raise self.over()
            return [data]
        out: list[bytes] = []
        while data:
            try:
                chunk = self.zlib.decompress(data, min(room + 1, _STEP))
            except zlib.error:
                if self.coding == "deflate" and not self.raw_deflate_tried and not out:
                    self.raw_deflate_tried = True  # some servers send raw deflate
                    self.zlib = zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                raise InvalidResponse(f"undecodable {self.coding} body from {self.where}",
                                      source=self.source) from None
            room -= len(chunk)
            if room < 0:
                raise self.over()
            out.append(chunk)
            data = self.zlib.unconsumed_tail
            if self.zlib.eof:
                break
        return out

    def flush(self, room: int) -> list[bytes]:
        if self.zlib is None:
            return []
        chunk = self.zlib.flush()
        if len(chunk) > room:
            raise self.over()
        return [chunk] if chunk else []
