"""Hostile answers: what a broken server, proxy or attacker may send, for the fault suite.

Modes of :class:`~tests.fakeapi.server.Fault` (``FakeAPI.set_fault(api, Fault(kind, …))``):

``endless``
    200, no length, a JSON-looking body that never ends (until the client hangs up).
``gzip_bomb``
    200 ``Content-Encoding: gzip``: about 1 KB of compressed data per MiB of zeros, ``seconds``
    GiB in all (default 10: a ~10 MB body that inflates to 10 GiB). Built from one deflate block
    repeated after a full flush, so the server spends nothing on it; the stream has no gzip
    trailer (no client that honours a cap ever gets there).
``trickle``
    The normal answer, one byte every ``seconds`` (default 0.3) — never idle long enough for an
    idle timeout, never done; ``variant="headers"``: the status line and headers trickle too.
``deep_json``
    200 with 100,000 nested arrays (JSON APIs), 100,000 nested elements (arXiv's Atom feed,
    NeurIPS pages).
``echo``
    An error whose message echoes every request header (the token included), with control
    characters and 20 KB of padding: GitHub GraphQL's 200 ``errors``, Semantic Scholar's
    400 ``{"error"}``, others a 400 with the text in ``message``.
``redirect``
    ``status`` (default 301) to ``variant``, a URL (another port of 127.0.0.1: :class:`Catcher`).
``impossible``
    The normal answer with every count made 10^30 (``variant="negative"``: -5) and every date
    2999-99-99.

:class:`ListServer` serves an awesome list by URL in the same hostile ways (``html``, ``empty``,
``endless``, ``gzip_bomb``, ``trickle``, ``redirect``), and checks Basic credentials and a
``?token=`` when told to (``auth``). :class:`Catcher` answers 200 to anything and records the
headers it was sent, to prove a credential did not follow a redirect.
"""

from __future__ import annotations

import base64
import contextlib
import json
import re
import threading
import time
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

KINDS = ("endless", "gzip_bomb", "trickle", "deep_json", "echo", "redirect", "impossible")
DEPTH = 100_000
MIB = 1024 * 1024
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"


def bomb_block() -> bytes:
    """Raw deflate of 1 MiB of zeros ending in a full flush: repeatable as is."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    packer.compress(b"\0" * MIB)
    packer.flush(zlib.Z_FULL_FLUSH)  # the first block carries no history; the second is steady
    block = packer.compress(b"\0" * MIB) + packer.flush(zlib.Z_FULL_FLUSH)
    return block


_BLOCK = bomb_block()


def bomb_chunks(gib: float) -> Iterator[bytes]:
    """A gzip stream inflating to ``gib`` GiB of zeros, in chunks of about 64 KB."""
    yield _GZIP_HEADER
    blocks = int(gib * 1024)
    per_chunk = max(1, 65536 // len(_BLOCK))
    for start in range(0, blocks, per_chunk):
        yield _BLOCK * min(per_chunk, blocks - start)


def bomb_size(gib: float) -> int:
    return len(_GZIP_HEADER) + int(gib * 1024) * len(_BLOCK)


def deep_json() -> bytes:
    return b"[" * DEPTH + b"]" * DEPTH


def deep_xml() -> bytes:
    return (b'<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
            + b"<a>" * DEPTH + b"</a>" * DEPTH + b"</feed>")


def echo_text(headers: dict[str, str]) -> str:
    """The request's headers, credentials first (so that a message cut short still has them)."""
    first = ("authorization", "x-api-key")
    ordered = sorted(headers.items(), key=lambda item: item[0].lower() not in first)
    shown = "; ".join(f"{name}: {value}" for name, value in ordered)
    return f"request rejected \x1b[31m\x07\r\n[{shown}]\u202e " + "x" * 20_000


_COUNT_KEY = re.compile(r"count|stargazer|forks|watchers|subscribers|referenced|open_issues",
                        re.IGNORECASE)
_DATE_KEY = re.compile(r"pushed|created|updated|date|published", re.IGNORECASE)


def impossible(data: Any, negative: bool = False) -> Any:
    """Every integer under a count-like key made 10^30 (or -5), every date-like string under a
    date-like key made 2999-99-99 (keeping a time part where there was one)."""
    if isinstance(data, list):
        return [impossible(item, negative) for item in data]
    if not isinstance(data, dict):
        return data
    out: dict[str, Any] = {}
    for key, value in data.items():
        if (isinstance(value, int) and not isinstance(value, bool)
                and _COUNT_KEY.search(key)):
            out[key] = -5 if negative else 10**30
        elif isinstance(value, str) and _DATE_KEY.search(key) and re.match(r"\d{4}-\d{2}", value):
            out[key] = "2999-99-99" + ("T00:00:00Z" if "T" in value else "")
        else:
            out[key] = impossible(value, negative)
    return out


# --------------------------------------------------------------------------- raw writing


def write_head(handler: BaseHTTPRequestHandler, status: int, headers: list[tuple[str, str]]
               ) -> None:
    handler.close_connection = True
    handler.send_response_only(status)
    for name, value in headers:
        handler.send_header(name, value)
    handler.send_header("Connection", "close")
    handler.end_headers()
    handler.wfile.flush()


def stream(handler: BaseHTTPRequestHandler, chunks: Iterator[bytes], stop: threading.Event,
           pause: float = 0.0) -> int:
    """Write ``chunks`` until they end, the client hangs up or ``stop`` is set; bytes sent."""
    sent = 0
    with contextlib.suppress(OSError):
        for chunk in chunks:
            if stop.is_set():
                break
            handler.wfile.write(chunk)
            handler.wfile.flush()
            sent += len(chunk)
            if pause and stop.wait(pause):
                break
    return sent


def endless_chunks() -> Iterator[bytes]:
    yield b'{"data": ['
    chunk = b'"' + b"x" * 65_000 + b'", '
    while True:
        yield chunk


def trickle_chunks(body: bytes) -> Iterator[bytes]:
    for i in range(len(body)):
        yield body[i : i + 1]


# --------------------------------------------------------------------------- FakeAPI modes


def apply(api: Any, fault: Any, req: Any, handler: BaseHTTPRequestHandler) -> Any:
    """Answer ``req`` in the hostile way ``fault.kind`` names; returns a server ``_Response``
    or raises the server's ``_Abort`` once the connection was handled here."""
    from .server import _Abort, _Response  # the server imports this module

    kind = fault.kind
    if kind == "endless":
        api._record(req, 200)
        write_head(handler, 200, [("Content-Type", "application/json")])
        stream(handler, endless_chunks(), api._stop)
        raise _Abort
    if kind == "gzip_bomb":
        api._record(req, 200)
        gib = fault.seconds if fault.seconds is not None else 10.0
        write_head(handler, 200, [("Content-Type", "application/json"),
                                  ("Content-Encoding", "gzip"),
                                  ("Content-Length", str(bomb_size(gib)))])
        stream(handler, bomb_chunks(gib), api._stop)
        raise _Abort
    if kind == "trickle":
        normal = api._answer(req)
        api._record(req, normal.status)
        headers = [*normal.headers, ("Content-Length", str(len(normal.body)))]
        if normal.content_type:
            headers.append(("Content-Type", normal.content_type))
        pause = fault.seconds if fault.seconds is not None else 0.3
        if fault.variant == "headers":  # the status line and headers trickle too
            handler.close_connection = True
            head = f"HTTP/1.1 {normal.status} OK\r\n" + "".join(
                f"{name}: {value}\r\n" for name, value in [*headers, ("Connection", "close")])
            stream(handler, trickle_chunks((head + "\r\n").encode() + normal.body), api._stop,
                   pause)
            raise _Abort
        write_head(handler, normal.status, headers)
        stream(handler, trickle_chunks(normal.body), api._stop, pause)
        raise _Abort
    if kind == "deep_json":
        if req.api in ("arxiv",):
            return _Response(200, deep_xml(), "application/atom+xml; charset=utf-8")
        if req.api == "neurips":
            return _Response(200, b"<html>" + b"<div>" * DEPTH + b"</html>",
                             "text/html; charset=utf-8")
        return _Response(200, deep_json(), "application/json")
    if kind == "echo":
        text = echo_text(req.headers)
        if req.api == "github" and req.rel.endswith("/graphql"):
            body = {"data": None, "errors": [{"type": "INTERNAL", "message": text}]}
            return _Response(200, json.dumps(body).encode(), "application/json")
        if req.api == "github":
            return _Response(422, json.dumps({"message": text}).encode(), "application/json")
        body = {"error": text, "message": text}
        return _Response(400, json.dumps(body).encode(), "application/json")
    if kind == "redirect":
        status = fault.status if fault.status in (301, 302, 303, 307, 308) else 301
        return _Response(status, b"", "text/plain", [("Location", str(fault.variant))])
    # impossible
    normal = api._answer(req)
    try:
        data = json.loads(normal.body)
    except (ValueError, UnicodeDecodeError):
        return normal
    normal.body = json.dumps(impossible(data, fault.variant == "negative")).encode()
    normal.headers = [(k, v) for k, v in normal.headers if k.lower() != "etag"]
    return normal


# --------------------------------------------------------------------------- small servers


class _Small(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class _SmallHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Small

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _dispatch(self) -> None:
        owner = self.server.owner  # type: ignore[attr-defined]
        headers = {k.lower(): v for k, v in self.headers.items()}
        owner.seen.append((self.command, self.path, headers))
        owner.answer(self)

    do_GET = do_POST = do_HEAD = _dispatch


class _Base:
    def __init__(self) -> None:
        self.seen: list[tuple[str, str, dict[str, str]]] = []
        self.stop_event = threading.Event()
        self._server = _Small(("127.0.0.1", 0), _SmallHandler)
        self._server.owner = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> Any:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop_event.set()
        self._server.shutdown()
        self._server.server_close()

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        raise NotImplementedError


class Catcher(_Base):
    """Answers 200 ``{}`` to anything; ``seen`` holds what it was sent."""

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        body = b"{}"
        handler.send_response_only(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)


LOGIN_PAGE = (b"<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body>"
              b"<form action=/login><input name=user><input type=password></form></body></html>")


class ListServer(_Base):
    """Serves ``markdown`` at any path, in the manner ``mode`` names: ``ok``, ``html``, ``empty``,
    ``endless``, ``gzip_bomb`` (``gib`` GiB), ``trickle`` (one byte per ``pause`` s), ``redirect``
    (to ``target``). With ``auth=(user, password)`` and/or ``token``, anything else is a 401."""

    def __init__(self, markdown: str = "", mode: str = "ok", *,
                 auth: tuple[str, str] | None = None, token: str | None = None,
                 gib: float = 10.0, pause: float = 0.3, target: str = "") -> None:
        super().__init__()
        self.markdown, self.mode, self.auth, self.token = markdown, mode, auth, token
        self.gib, self.pause, self.target = gib, pause, target
        self.sent = 0

    def _authorised(self, handler: BaseHTTPRequestHandler) -> bool:
        if self.auth is not None:
            expected = "Basic " + base64.b64encode(":".join(self.auth).encode()).decode()
            if handler.headers.get("Authorization") != expected:
                return False
        return self.token is None or f"token={self.token}" in handler.path

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        if not self._authorised(handler):
            self._plain(handler, 401, b"unauthorised", "text/plain")
            return
        mode = self.mode
        if mode == "ok":
            self._plain(handler, 200, self.markdown.encode(), "text/markdown; charset=utf-8")
        elif mode == "html":
            self._plain(handler, 200, LOGIN_PAGE, "text/html; charset=utf-8")
        elif mode == "empty":
            self._plain(handler, 200, b"", "text/plain; charset=utf-8")
        elif mode == "redirect":
            handler.send_response_only(302)
            handler.send_header("Location", self.target)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
        elif mode == "endless":
            write_head(handler, 200, [("Content-Type", "text/markdown")])
            self.sent = stream(handler, (b"- item\n" * 9000 for _ in iter(int, 1)),
                               self.stop_event)
        elif mode == "gzip_bomb":
            write_head(handler, 200, [("Content-Type", "text/markdown"),
                                      ("Content-Encoding", "gzip"),
                                      ("Content-Length", str(bomb_size(self.gib)))])
            self.sent = stream(handler, bomb_chunks(self.gib), self.stop_event)
        elif mode == "trickle":
            body = self.markdown.encode()
            write_head(handler, 200, [("Content-Type", "text/markdown"),
                                      ("Content-Length", str(len(body)))])
            self.sent = stream(handler, trickle_chunks(body), self.stop_event, self.pause)
        else:
            raise ValueError(mode)

    @staticmethod
    def _plain(handler: BaseHTTPRequestHandler, status: int, body: bytes, ctype: str) -> None:
        handler.send_response_only(status)
        handler.send_header("Content-Type", ctype)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)


def wait_for(predicate: Any, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False
