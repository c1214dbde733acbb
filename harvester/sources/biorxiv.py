"""bioRxiv / medRxiv: preprint metadata from ``GET {biorxiv}/details/{server}/{doi}/na/json``.

Format: JSON ``{"messages": [{"status": "ok", …}], "collection": [item, …]}`` with one item per
version, oldest first; an item has ``doi, title, authors ("Last, F.; Last2, G."), date
(YYYY-MM-DD), version, abstract, published ("NA" or the journal DOI), server``. Docs:
https://api.biorxiv.org (the "details" endpoint). No response was ever recorded byte-exact:
tests use the documented shape (API-NOTES.md §3).

Requests: the bioRxiv API has no multi-DOI endpoint, but Crossref holds every bioRxiv/medRxiv
DOI as a ``posted-content`` work (subtype ``preprint``) with title, authors, JATS abstract,
``posted`` date, ``institution[].name`` "bioRxiv"/"medRxiv" and, once published,
``relation["is-preprint-of"]`` naming the journal DOI (API-NOTES.md part 3 §8; a record is
recorded in ``tests/fixtures/crossref-batch``). So a batch of keys is first asked of Crossref's
batch endpoint (``crossref.fetch_works``, through the HTTP layer's ``crossref`` lane so
Crossref's pace is shared with the Crossref source), and only the keys Crossref has no preprint
record for, or no abstract, are asked of the bioRxiv API, one request each. When Crossref fails
(rate limit, outage, a garbled answer) the look-ups of its batch fail like any failed look-up
(the last good values are kept, marked stale, the error naming Crossref's URL): switching to
the bioRxiv API for one run would make the catalogue flip between the two services' spellings of
the same record; ``HARVEST_PER_ITEM=biorxiv`` asks the bioRxiv API alone should Crossref stay
down. A record built from Crossref has the same shape as the bioRxiv API's, except what Crossref
does not say: the version (None), so the landing page and PDF links are the unversioned ones,
which bioRxiv serves as the latest version; authors are Crossref's full names ("Michael
Herger"), not the API's initials ("M. Herger"). ``HARVEST_PER_ITEM`` naming ``biorxiv`` skips
Crossref. Quirks of the bioRxiv API handled:

* Keys are DOIs, ``10.1101/…`` or, since Dec 2025, ``10.64898/…``; ``medrxiv:<doi>`` asks the
  medRxiv server. An unprefixed DOI unknown to bioRxiv is not retried on medRxiv (one request
  per key; the list parser knows which server a link points to).
* Not found is HTTP 200 ``{"messages": [{"status": "no posts found"}], "collection": []}``.
* The latest version (last item) gives title, abstract, authors and version; the first
  version's date is the posting date (``published``, year).
* ``published`` ≠ "NA" is the journal version's DOI (lower-cased): ``published_doi`` and
  ``ids.doi``. The status stays "preprint": the pipeline upgrades it once the journal record
  is found.
* ``server`` may be spelled "biorxiv" or "bioRxiv"; ``version`` and the ``count``/``total``
  of ``messages`` may be strings (the latter are not needed: a DOI's versions come in one page).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import quote

from ..cache import CachedRecord
from ..errors import InvalidResponse, SourceError
from ..models import Link, PaperRecord
from .base import Fetched, Outcome, Source
from .batching import per_item
from .coerce import json_object
from .crossref import MAX_DOIS, fetch_works, parse_message
from .spec import DAY, SourceSpec, Stage, VenueReading, claimed

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_DOI_URL = re.compile(r"^https?://(?:dx\.)?doi\.org/", re.I)
_SERVERS = {"biorxiv": "bioRxiv", "medrxiv": "medRxiv"}
_NOT_FOUND = "no posts found"


class BiorxivSource(Source):
    """Keys: ``10.1101/2025.02.02.634313``, ``10.64898/…``, or ``medrxiv:<doi>``."""

    name = "biorxiv"

    def batch_size(self) -> int:
        # the bioRxiv API itself answers one DOI a request
        return 1 if per_item(self.name) else min(self.options.batch_size, MAX_DOIS)

    def fetch(self, keys: list[str], cached: dict[str, CachedRecord]) -> dict[str, Outcome]:
        if per_item(self.name):
            return {key: self._lookup(key) for key in keys}
        split = {key: split_key(key) for key in keys}
        asked = [doi for _, doi in split.values() if _DOI.match(doi)]
        works = fetch_works(self.http, self.settings, list(dict.fromkeys(asked))) if asked else {}
        outcomes: dict[str, Outcome] = {}
        for key, (server, doi) in split.items():
            work = works.get(doi)
            record = parse_crossref_preprint(work, server) if isinstance(work, dict) else None
            if record is not None and record.abstract and record.ids.get("biorxiv") == doi.lower():
                outcomes[key] = Fetched(record.model_dump(mode="json", exclude_none=True))
            elif isinstance(work, SourceError):
                # Crossref failed: the look-up fails (the last good value is kept, stale) rather
                # than switch services and write the record the bioRxiv API's way for one run
                outcomes[key] = work
            else:  # Crossref has no preprint record, or none with an abstract
                outcomes[key] = self._lookup(key)
        return outcomes

    def _lookup(self, key: str) -> Outcome:
        server, doi = split_key(key)
        url = f"{self.settings.url('biorxiv')}/details/{server}/{quote(doi, safe='/')}/na/json"
        try:
            record = parse_details(self.request("GET", url).content, server=server)
        except SourceError as exc:
            return exc
        if record is None:
            return Fetched(None)
        if record.ids.get("biorxiv") != doi.lower():
            return InvalidResponse(f"{_SERVERS[server]} answered for another DOI than {doi}")
        return Fetched(record.model_dump(mode="json", exclude_none=True))


def split_key(key: str) -> tuple[str, str]:
    """``medrxiv:10.1101/x`` → (``medrxiv``, ``10.1101/x``); a bare DOI is bioRxiv's."""
    prefix, sep, doi = key.partition(":")
    if sep and prefix.lower() in _SERVERS:
        return prefix.lower(), doi.strip()
    return "biorxiv", key.strip()


# --------------------------------------------------------------------------- parsing


def parse_details(body: bytes | dict[str, Any], server: str = "biorxiv") -> PaperRecord | None:
    """The record of a details answer (latest version), None for "no posts found"."""
    data = _load(body)
    messages, items = data.get("messages"), data.get("collection")
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise InvalidResponse("bioRxiv answered JSON without a collection of items")
    if not items:
        if _NOT_FOUND in _statuses(messages):
            return None
        raise InvalidResponse("bioRxiv answered an empty collection without 'no posts found'")
    first, latest = items[0], items[-1]
    doi = _text(latest, "doi")
    if doi is None:
        raise InvalidResponse("bioRxiv item without a DOI")
    doi = doi.lower()
    posted = _date(first) or _date(latest)
    version = _version(latest)
    site = _server(latest, server)
    journal_doi = _journal_doi(latest)
    landing = f"https://www.{site.lower()}.org/content/{doi}" + (f"v{version}" if version else "")
    return PaperRecord(
        title=_text(latest, "title"),
        abstract=_text(latest, "abstract"),
        authors=_authors(_text(latest, "authors")),
        year=int(posted[:4]) if posted else None,
        published=posted,
        venue=site,
        status="preprint",
        ids={"biorxiv": doi, **({"doi": journal_doi} if journal_doi else {})},
        landing_url=landing,
        pdf_url=f"{landing}.full.pdf" if version else None,
        version=version,
        published_doi=journal_doi,
    )


def parse_crossref_preprint(message: dict[str, Any], server: str = "biorxiv"
                            ) -> PaperRecord | None:
    """The record of a Crossref ``posted-content`` work of a bioRxiv/medRxiv DOI, in the shape
    ``parse_details`` gives; None when the work is not a preprint."""
    if message.get("type") != "posted-content":
        return None
    work = parse_message(message)
    doi = work.ids.get("doi")
    if doi is None:
        return None
    named = {str(i.get("name", "")).strip().lower() for i in message.get("institution") or []
             if isinstance(i, dict)}
    site = next((_SERVERS[n] for n in ("medrxiv", "biorxiv") if n in named), _SERVERS[server])
    posted = _posted(message) or work.published
    journal_doi = work.published_doi
    landing = f"https://www.{site.lower()}.org/content/{doi}"
    return PaperRecord(
        title=work.title,
        abstract=work.abstract,
        authors=work.authors,
        year=int(posted[:4]) if posted else work.year,
        published=posted,
        venue=site,
        status="preprint",
        ids={"biorxiv": doi, **({"doi": journal_doi} if journal_doi else {})},
        landing_url=landing,
        pdf_url=f"{landing}.full.pdf",
        published_doi=journal_doi,
    )


def _posted(message: dict[str, Any]) -> str | None:
    """The ``posted`` date (``{"date-parts": [[2024, 4, 1]]}``) as ``YYYY-MM-DD``, if full."""
    posted = message.get("posted")
    rows = posted.get("date-parts") if isinstance(posted, dict) else None
    parts = rows[0] if isinstance(rows, list) and rows and isinstance(rows[0], list) else []
    if len(parts) < 3 or not all(isinstance(p, int) and not isinstance(p, bool)
                                 for p in parts[:3]):
        return None
    try:
        return dt.date(parts[0], parts[1], parts[2]).isoformat()
    except ValueError:
        return None


def _load(body: bytes | dict[str, Any]) -> dict[str, Any]:
    return body if isinstance(body, dict) else json_object(body, "bioRxiv")


def _statuses(messages: Any) -> set[str]:
    items = messages if isinstance(messages, list) else []
    return {str(m.get("status", "")).strip().lower() for m in items if isinstance(m, dict)}


def _text(item: dict[str, Any], field: str) -> str | None:
    value = item.get(field)
    if value is not None and not isinstance(value, str):
        raise InvalidResponse(f"bioRxiv item field {field!r} is not text")
    return (" ".join(value.split()) or None) if value else None


def _date(item: dict[str, Any]) -> str | None:
    value = _text(item, "date")
    return value if value and _DATE.match(value) else None


def _version(item: dict[str, Any]) -> str | None:
    value = item.get("version")
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    text = str(value).strip()
    return text if text.isdigit() else None


def _server(item: dict[str, Any], asked: str) -> str:
    """"bioRxiv" or "medRxiv", from the item's ``server`` (any case), else the server asked."""
    named = (_text(item, "server") or asked).lower()
    return _SERVERS.get(named, _SERVERS[asked])


def _journal_doi(item: dict[str, Any]) -> str | None:
    value = re.sub(_DOI_URL, "", _text(item, "published") or "").lower()
    return value if _DOI.match(value) else None  # "NA" (not published) or unusable


def _authors(value: str | None) -> list[str] | None:
    """``"Last, F.; Last2, G."`` → ``["F. Last", "G. Last2"]``."""
    names = []
    for part in (value or "").split(";"):
        last, sep, first = part.partition(",")
        name = f"{first.strip()} {last.strip()}" if sep and first.strip() else last.strip()
        if name:
            names.append(" ".join(name.split()))
    return names or None


# ------------------------------------------------------------------------------ declaration


def _claim(link: Link) -> str | None:
    if link.kind != "biorxiv" or not link.id:
        return None
    return ("medrxiv:" if "medrxiv.org" in link.url.lower() else "") + link.id


def _status(record: dict[str, Any]) -> str | None:
    # a preprint whose journal DOI is known is published, journal record or not
    return "published" if record.get("published_doi") else record.get("status")


SPEC: SourceSpec = SourceSpec(
    name="biorxiv",
    label="bioRxiv/medRxiv",
    cls=BiorxivSource,
    urls={"biorxiv": "https://api.biorxiv.org"},
    # bioRxiv publishes no limit; clients use about one request a second
    defaults={"batch_size": 50, "min_interval": 1.0, "ttl": 7 * DAY},
    batch_limit=50,
    claim=_claim,
    stages=(Stage("biorxiv", "bioRxiv/medRxiv", claimed("biorxiv")),),
    fields={"paper.title": 50, "paper.authors": 50, "paper.abstract": 30, "paper.year": 50,
            "paper.published": 50, "paper.urls.landing": 50, "paper.urls.pdf": 40,
            "paper.ids.biorxiv": 10, "paper.ids.doi": 40},
    statuses=((40, ("published",)), (110, ("preprint",))),
    status_of=_status,
    venue=VenueReading(server="biorxiv"),
)
