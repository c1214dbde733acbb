"""Semantic Scholar answers read: batch slots, bulk-search pages, error bodies and paper
objects (formats and quirks in :mod:`harvester.sources.semanticscholar`)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ...errors import InvalidResponse
from ...models import PaperRecord, Status
from ..coerce import loads

NAME = "semanticscholar"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
PREPRINT_SERVERS = {"arxiv", "arxiv.org", "biorxiv", "biorxiv.org", "medrxiv", "medrxiv.org"}


def read_batch(body: bytes, expected: int) -> list[Any]:
    """The slots of a ``/paper/batch`` answer: a list of ``expected`` objects or nulls."""
    data = read_json(body)
    if not isinstance(data, list):
        raise InvalidResponse("semanticscholar batch answered JSON that is not a list",
                              source=NAME)
    if len(data) != expected:
        raise InvalidResponse(
            f"semanticscholar batch answered {len(data)} papers for {expected} ids", source=NAME
        )
    return data


def read_bulk(body: bytes) -> tuple[list[Any], str | None]:
    """The papers and the continuation token of a ``/paper/search/bulk`` page."""
    data = read_json(body)
    papers = data.get("data", []) if isinstance(data, dict) else None
    token = data.get("token") if isinstance(data, dict) else None
    if not isinstance(papers, list) or (token is not None and not isinstance(token, str)):
        raise InvalidResponse("semanticscholar bulk search answered without a data list",
                              source=NAME)
    return papers, token or None


def read_error(body: bytes) -> str:
    """The message of an S2 error body (``{"error": …}`` or ``{"message": …}``)."""
    data = read_json(body)
    message = data.get("error") or data.get("message") if isinstance(data, dict) else None
    if not isinstance(message, str):
        raise InvalidResponse("semanticscholar answered an error without its error body",
                              source=NAME)
    return message


def parse_paper(obj: Any) -> PaperRecord:
    """One S2 paper object → record. Raises ``InvalidResponse`` if it is not a paper."""
    if not isinstance(obj, dict) or not _text(obj.get("paperId")):
        raise InvalidResponse("semanticscholar answered a paper without a paperId", source=NAME)
    venue, status = _venue(obj)
    return PaperRecord(
        title=_text(obj.get("title")),
        abstract=_text(obj.get("abstract")),
        authors=_authors(obj.get("authors")),
        year=_int(obj.get("year")),
        published=_date(obj.get("publicationDate")),
        venue=venue,
        status=status,
        ids=_ids(obj),
        landing_url=_text(obj.get("url")),
        citation_count=_int(obj.get("citationCount")),
        influential_citation_count=_int(obj.get("influentialCitationCount")),
        dblp=_text(external.get("DBLP")) if isinstance(external := obj.get("externalIds"), dict)
        else None,
    )


def _venue(obj: dict[str, Any]) -> tuple[str | None, Status | None]:
    named = [
        name
        for name in (_name(obj.get("publicationVenue")), _name(obj.get("journal")),
                     _text(obj.get("venue")))
        if name
    ]
    for name in named:
        if name.casefold() not in PREPRINT_SERVERS:
            return name, "accepted"
    return (None, "preprint") if named else (None, None)


def _ids(obj: dict[str, Any]) -> dict[str, str]:
    found = obj.get("externalIds")
    external: dict[str, Any] = found if isinstance(found, dict) else {}
    ids = {"s2": obj["paperId"].strip()}
    arxiv = _text(external.get("ArXiv"))
    doi = _text(external.get("DOI"))
    if arxiv:
        ids["arxiv"] = arxiv
    if doi:
        ids["doi"] = doi.lower()
    return ids


def _authors(value: Any) -> list[str] | None:
    if not isinstance(value, list):
        return None
    names = [_text(author.get("name")) for author in value if isinstance(author, dict)]
    return [name for name in names if name] or None


def _date(value: Any) -> str | None:
    text = _text(value)
    if not text or not _DATE.match(text):
        return None
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        return None


def _name(value: Any) -> str | None:
    return _text(value.get("name")) if isinstance(value, dict) else None


def read_json(body: bytes) -> Any:
    try:
        return loads(body, NAME)
    except InvalidResponse as exc:
        exc.source = NAME
        raise


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
