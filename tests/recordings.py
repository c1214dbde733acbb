"""Readers for the recorded API exchanges under ``tests/fixtures`` (kept byte-exact).

Two upstream formats are replayed without editing them:

* PyGithub ReplayData (``*.txt``): 10 lines an exchange, blank-line separated; request headers
  and response headers are Python reprs (``ast.literal_eval``); bodies are already decompressed.
* vcrpy cassettes (``*.yaml``): ``interactions[].request/response``; bodies are strings, or
  ``!!binary`` gzip bytes (paper-qa); an older layout keeps ``content`` and ``status_code``.

``Exchange.response()`` gives an ``httpx.Response`` without the transfer headers
(content-encoding, transfer-encoding, content-length), ready for an ``httpx.MockTransport``.
"""

from __future__ import annotations

import ast
import base64
import gzip
import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import yaml

FIXTURES = Path(__file__).parent / "fixtures"
_DROP = {"content-encoding", "transfer-encoding", "content-length", "status"}


@dataclass
class Exchange:
    method: str
    url: str
    request_headers: dict[str, str]
    request_body: str | None
    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""

    @property
    def path(self) -> str:
        parts = urlsplit(self.url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def response(self, request: httpx.Request | None = None) -> httpx.Response:
        headers = [(k, v) for k, v in self.headers if k.lower() not in _DROP]
        return httpx.Response(self.status, headers=headers, content=self.body, request=request)


def fixture(*parts: str) -> Path:
    return FIXTURES.joinpath(*parts)


def load_replaydata(path: Path | str) -> list[Exchange]:
    """Parse a PyGithub ReplayData file into exchanges."""
    lines = Path(path).read_text(encoding="utf-8").split("\n")
    exchanges = []
    i = 0
    while i + 9 < len(lines) + 1 and i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        scheme, verb, host, port, path, req_headers, req_body, status, headers, body = lines[
            i : i + 10
        ]
        netloc = host if port == "None" else f"{host}:{port}"
        exchanges.append(
            Exchange(
                method=verb,
                url=f"{scheme}://{netloc}{path}",
                request_headers=ast.literal_eval(req_headers),
                request_body=None if req_body == "None" else req_body,
                status=int(status),
                headers=[(str(k), str(v)) for k, v in ast.literal_eval(headers)],
                body=body.encode("utf-8"),
            )
        )
        i += 10
    return exchanges


def _flatten(headers: dict) -> list[tuple[str, str]]:
    out = []
    for name, values in (headers or {}).items():
        for value in values if isinstance(values, list) else [values]:
            out.append((str(name), str(value)))
    return out


def load_cassette(path: Path | str) -> list[Exchange]:
    """Parse a vcrpy cassette into exchanges (gzip bodies decompressed)."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    exchanges = []
    for item in data["interactions"]:
        req, resp = item["request"], item["response"]
        if "body" in resp:
            raw = resp["body"].get("string", "") if isinstance(resp["body"], dict) else resp["body"]
            status = resp["status"]["code"]
        else:  # older httpx-vcr layout
            raw = resp.get("content", "")
            status = resp["status_code"]
        body = raw if isinstance(raw, bytes) else str(raw).encode("utf-8")
        headers = _flatten(resp.get("headers", {}))
        if body[:2] == b"\x1f\x8b":
            body = gzip.decompress(body)
        exchanges.append(
            Exchange(
                method=req["method"],
                url=req["uri"],
                request_headers={k: v[0] if isinstance(v, list) else v
                                 for k, v in (req.get("headers") or {}).items()},
                request_body=req.get("body") or None,
                status=int(status),
                headers=headers,
                body=body,
            )
        )
    return exchanges


# --------------------------------------------------------------------------- harvest --record


def load_recording(folder: Path | str) -> list[Exchange]:
    """The exchanges a ``harvest --record DIR`` run saved, in the order they arrived."""
    folder = Path(folder)
    exchanges = []
    for line in (folder / "index.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads((folder / json.loads(line)["file"]).read_text(encoding="utf-8"))
        body = (item["body"].encode("utf-8") if "body" in item
                else base64.b64decode(item["body_base64"]))
        exchanges.append(Exchange(
            method=item["method"], url=item["url"],
            request_headers=dict(item["request_headers"]),
            request_body=item["request_body"], status=item["status"],
            headers=[(k, v) for k, v in item["headers"]], body=body,
        ))
    return exchanges


class Replay:
    """Serves a recording as an ``httpx.MockTransport``: each request gets the answer recorded
    for the same method, URL (rewritten as the recorder names it, secrets redacted) and body;
    repeated requests get the recorded answers in order, the last one again once they run out.
    A request that was never recorded is answered 599 and listed in ``unmatched``."""

    def __init__(self, folder: Path | str) -> None:
        from harvester.record import public_url, request_body

        self._public_url, self._body = public_url, request_body
        self.answers: dict[tuple[str, str, str | None], list[Exchange]] = {}
        for exchange in load_recording(folder):
            key = (exchange.method, exchange.url, exchange.request_body)
            self.answers.setdefault(key, []).append(exchange)
        self._served: dict[tuple[str, str, str | None], int] = {}
        self._lock = threading.Lock()
        self.unmatched: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        key = (request.method, self._public_url(request.url), self._body(request.content))
        with self._lock:
            recorded = self.answers.get(key)
            if not recorded:
                self.unmatched.append(f"{request.method} {key[1]}")
                return httpx.Response(599, request=request)
            n = self._served.get(key, 0)
            self._served[key] = n + 1
        return recorded[min(n, len(recorded) - 1)].response(request)

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)
