"""Origins for the HTTP layer (``harvester.http``): what a URL's origin is, which secret may be
sent where, where a redirect may lead, and which hosts could not be reached this run.

Secrets never leave for another origin: every request (redirects included, which the layer
follows itself when asked) passes :class:`SecretGuard`, which drops any header carrying a
configured secret when the request's origin (scheme, host, port) is not the one the secret was
configured for, and refuses a request whose URL carries one.

A connection that cannot be made (DNS failure, refused, connect timeout) is a fact about the
host: after :data:`CONNECT_TRIES` such failures :class:`Hosts` holds the host *unreachable* for
the run, and its remaining requests fail at once with ``Unreachable``.

httpx is imported where a URL is first parsed (:func:`_url` and the few functions that name
its types at run time), not with this module, so a run that sends nothing never loads it; a
secret's origin is therefore worked out at the first request, not when it is allowed.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING

from . import __version__
from .errors import InvalidResponse, Unavailable, Unreachable, clean_text, register_secret

if TYPE_CHECKING:
    import httpx

CONNECT_TRIES = 2
"""Failed connects to one host after which it is unreachable for the run."""
MAX_REDIRECTS = 5
REDIRECTS = (301, 302, 303, 307, 308)
_SENSITIVE = ("authorization", "proxy-authorization", "cookie", "x-api-key")

Origin = tuple[str, str, int | None]


def _url(url: httpx.URL | str) -> httpx.URL:
    """``url`` parsed by httpx (raises ``httpx.InvalidURL``)."""
    import httpx

    return httpx.URL(str(url))


def origin(url: httpx.URL | str) -> Origin:
    """``(scheme, host, port)`` with the scheme's default port made explicit."""
    u = _url(url)
    default = {"http": 80, "https": 443}.get(u.scheme)
    return u.scheme, u.host, u.port if u.port is not None else default


def same_origin(a: httpx.URL | str, b: httpx.URL | str) -> bool:
    return origin(a) == origin(b)


def host_label(url: httpx.URL | str) -> str:
    """``host`` or ``host:port`` when the port is not the scheme's default."""
    u = _url(url)
    return f"{u.host}:{u.port}" if u.port is not None else u.host


def user_agent(contact: str | None) -> str:
    """``awesome-harvester/<version>``, plus ``(mailto:<contact>)`` when HARVEST_CONTACT is set
    (arXiv asks for a descriptive agent; Crossref's polite pool reads the mailto)."""
    import httpx

    agent = f"awesome-harvester/{__version__} python-httpx/{httpx.__version__}"
    return f"{agent} (mailto:{contact})" if contact else agent


def redact_url(url: httpx.URL | str) -> str:
    """The URL without query string or credentials, safe for messages."""
    u = _url(url)
    return str(u.copy_with(query=None, fragment=None, username=None, password=None))


class SecretGuard:
    """The secrets of the run, each with the one origin it may be sent to; called on every
    request (an httpx request hook)."""

    def __init__(self) -> None:
        self._allowed: list[tuple[str, httpx.URL | str]] = []
        self._secrets: list[tuple[str, Origin]] | None = None
        """``_allowed`` with each URL's origin, worked out at the first request."""

    def allow(self, secret: str, url: httpx.URL | str) -> None:
        """``secret`` may be sent to the origin of ``url`` only; no message ever shows it."""
        register_secret(secret)
        if secret:
            self._allowed.append((secret, url))
            self._secrets = None

    def __call__(self, request: httpx.Request) -> None:
        """Drop every header that carries a secret from a request to another origin."""
        here = origin(request.url)
        secrets = self._secrets
        if secrets is None:
            secrets = self._secrets = [(secret, origin(url)) for secret, url in self._allowed]
        for secret, home in secrets:
            if here == home:
                continue
            for name in [k for k, v in request.headers.items() if secret in v]:
                del request.headers[name]
            if secret in str(request.url):
                raise InvalidResponse(f"refused to send a credential to {host_label(request.url)}")


def redirect_request(client: httpx.Client, request: httpx.Request, response: httpx.Response,
                     headers: Mapping[str, str] | None, source: str) -> httpx.Request:
    """The next request of a redirect: GET after 303 (and after 301/302 of a POST), and no
    credential header once the origin changes."""
    import httpx

    location = response.headers.get("location")
    if not location:
        raise InvalidResponse(
            f"HTTP {response.status_code} without a location from {redact_url(request.url)}",
            source=source,
        )
    try:
        target = request.url.join(location)
    except httpx.InvalidURL:
        raise InvalidResponse(f"unusable redirect from {redact_url(request.url)}",
                              source=source) from None
    if target.scheme not in ("http", "https"):
        raise InvalidResponse(f"redirect to a {target.scheme or 'relative'} URL from "
                              f"{redact_url(request.url)}", source=source)
    method = request.method
    body = request.content if method not in ("GET", "HEAD") else None
    if response.status_code == 303 or (response.status_code in (301, 302)
                                       and method == "POST"):
        method, body = "GET", None
    kept = dict(headers or {})
    if not same_origin(target, request.url):
        kept = {k: v for k, v in kept.items() if k.lower() not in _SENSITIVE}
    if body is None:
        kept = {k: v for k, v in kept.items() if k.lower() != "content-type"}
    return client.build_request(method, target, headers=kept, content=body)


class Hosts:
    """Failed connects per origin, and the hosts found unreachable for the run."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._failures: dict[Origin, int] = {}
        self._unreachable: dict[Origin, tuple[str, str]] = {}

    def refuse(self, url: httpx.URL | str, source: str) -> None:
        """Raise ``Unreachable`` when ``url``'s host was found unreachable earlier."""
        import httpx

        try:
            key = origin(url)
        except httpx.InvalidURL:
            return  # the send reports it
        if key in self._unreachable:
            host, reason = self._unreachable[key]
            raise Unreachable(f"{host} could not be reached earlier in this run ({reason}); "
                              "not asked", source=source)

    def connected(self, url: httpx.URL | str) -> None:
        """A connection to ``url``'s host was made: its earlier failures are forgotten."""
        with self._lock:
            self._failures.pop(origin(url), None)

    def failed(self, url: httpx.URL, exc: Exception, where: str, source: str) -> Unavailable:
        """The error of a connect that failed; the host's second failure makes it
        unreachable."""
        key = origin(url)
        reason = clean_text(str(exc) or type(exc).__name__, 160)
        with self._lock:
            failures = self._failures.get(key, 0) + 1
            self._failures[key] = failures
            if failures >= CONNECT_TRIES:
                self._unreachable.setdefault(key, (host_label(url), reason))
        if failures >= CONNECT_TRIES:
            return Unreachable(f"{host_label(url)} could not be reached ({reason}) for {where}",
                               source=source)
        return Unavailable(f"{type(exc).__name__} ({reason}) from {where}", source=source)

    def unreachable(self) -> dict[str, str]:
        """Hosts that could not be connected to this run, with the reason."""
        return dict(self._unreachable.values())

    def warnings(self) -> list[str]:
        """One line per host that could not be reached."""
        return [
            f"could not connect to {host} ({reason}); its look-ups were stopped for this run "
            "and keep their previous values"
            for host, reason in sorted(self._unreachable.values())
        ]
