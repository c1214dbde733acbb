"""Crossref works as records: a ``/works/{doi}`` answer, a work list's items, one work object,
and JATS abstracts as plain text (see ``harvester.sources.crossref`` for the quirks handled).
Pure functions, no I/O."""

from __future__ import annotations

import datetime as dt
import html
import re
from html.parser import HTMLParser
from typing import Any

from ...errors import InvalidResponse
from ...models import PaperRecord, Status
from ..coerce import json_object

_PUBLISHED_TYPES = {"journal-article", "proceedings-article", "book-chapter"}
_DATE_FIELDS = ("published", "published-print", "published-online", "issued")
# JATS/HTML elements that separate words; every other element is inline (italic, sub, sup…).
_BLOCKS = {
    "p", "title", "sec", "list", "list-item", "li", "ul", "ol", "br", "div", "label",
    "disp-quote", "table", "tr", "td", "th", "caption", "fig", "boxed-text", "def-list",
}
_ABSTRACT_TITLES = {"abstract", "summary"}
_MARKUP = re.compile(r"</|/>|<(?:jats|mml):", re.I)


def parse_work(body: bytes) -> PaperRecord:
    """The record of a ``/works/{doi}`` answer; anything but a JSON work is InvalidResponse."""
    return parse_message(work_message(body))


def parse_work_list(body: bytes) -> list[dict[str, Any]]:
    """The ``items`` of a ``/works?…`` answer (``message-type: work-list``)."""
    data = json_object(body, "crossref")
    if data.get("status") != "ok" or data.get("message-type") != "work-list":
        kind = data.get("message-type") or data.get("status")
        raise InvalidResponse(f"crossref answered a {kind!s} message, not a work list")
    message = data.get("message")
    items = message.get("items") if isinstance(message, dict) else None
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise InvalidResponse("crossref answered a work list without a list of items")
    return items


def parse_message(message: dict[str, Any]) -> PaperRecord:
    """The record of one work object (a ``/works/{doi}`` message or a work-list item)."""
    doi = text_of(message.get("DOI"))
    doi = doi.lower() if doi else None
    work_type = text_of(message.get("type"))
    year, published = _date(message)
    return PaperRecord(
        title=_first_text(message.get("title")),
        abstract=plain_text(message.get("abstract"), drop_abstract_title=True),
        authors=_authors(message.get("author")),
        year=year,
        published=published,
        venue=_first_text(message.get("container-title")),
        status=_status(work_type, text_of(message.get("subtype"))),
        ids={"doi": doi} if doi else {},
        landing_url=f"https://doi.org/{doi}" if doi else None,
        work_type=work_type,
        published_doi=_preprint_of(message.get("relation")),
        issn=[i for i in message.get("ISSN") or () if isinstance(i, str)] or None
        if isinstance(message.get("ISSN"), list) else None,
        short_venue=_first_text(message.get("short-container-title")),
    )


def work_message(body: bytes) -> dict[str, Any]:
    """The ``message`` of a ``/works/{doi}`` answer; anything but a JSON work is
    InvalidResponse."""
    data = json_object(body, "crossref")
    if data.get("status") != "ok" or data.get("message-type") != "work":
        kind = data.get("message-type") or data.get("status")
        raise InvalidResponse(f"crossref answered a {kind!s} message, not a work")
    message = data.get("message")
    if not isinstance(message, dict):
        raise InvalidResponse("crossref answered a work without a message object")
    return message


def _authors(value: Any) -> list[str] | None:
    if not isinstance(value, list):
        return None
    names = []
    for author in value:
        if not isinstance(author, dict):
            continue
        parts = [text_of(author.get("given")), text_of(author.get("family"))]
        name = " ".join(p for p in parts if p) or text_of(author.get("name"))
        if name:
            names.append(name)
    return names or None


def _date(message: dict[str, Any]) -> tuple[int | None, str | None]:
    """Year and full date (``YYYY-MM-DD``, else None) of the first dated field."""
    for field in _DATE_FIELDS:
        parts = _date_parts(message.get(field))
        if parts:
            return parts[0], _full_date(parts)
    return None, None


def _date_parts(value: Any) -> list[int]:
    """``{"date-parts": [[2012, 3, 21]]}`` → ``[2012, 3, 21]``; ``[[null]]`` → ``[]``."""
    rows = value.get("date-parts") if isinstance(value, dict) else None
    first = rows[0] if isinstance(rows, list) and rows and isinstance(rows[0], list) else []
    parts = []
    for part in first[:3]:
        if not isinstance(part, int) or isinstance(part, bool):
            break
        parts.append(part)
    return parts


def _full_date(parts: list[int]) -> str | None:
    if len(parts) < 3:
        return None
    try:
        return dt.date(*parts).isoformat()
    except ValueError:
        return None


def _status(work_type: str | None, subtype: str | None) -> Status | None:
    if work_type in _PUBLISHED_TYPES:
        return "published"
    if work_type == "posted-content" and subtype == "preprint":
        return "preprint"
    return None


def _preprint_of(relation: Any) -> str | None:
    """The journal DOI a preprint's ``relation.is-preprint-of`` names, lower-cased."""
    links = relation.get("is-preprint-of") if isinstance(relation, dict) else None
    for link in links if isinstance(links, list) else []:
        if isinstance(link, dict) and link.get("id-type") == "doi":
            doi = text_of(link.get("id"))
            if doi:
                return doi.lower()
    return None


def _first_text(value: Any) -> str | None:
    """The first non-empty string of a Crossref list field (``title``, ``container-title``)."""
    for item in value if isinstance(value, list) else []:
        text = plain_text(item)
        if text:
            return text
    return None


def text_of(value: Any) -> str | None:
    """A JSON string, stripped; None for anything else or an empty string."""
    return value.strip() or None if isinstance(value, str) else None


# --------------------------------------------------------------------------- JATS → text


class _TextParser(HTMLParser):
    """Collects the text of a JATS/HTML fragment, block elements becoming word breaks."""

    def __init__(self, drop_abstract_title: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.drop_abstract_title = drop_abstract_title
        self.title_start: int | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        name = tag.rpartition(":")[2]
        if name in _BLOCKS:
            self.parts.append(" ")
        if name == "title" and self.drop_abstract_title and not "".join(self.parts).strip():
            self.title_start = len(self.parts)

    def handle_endtag(self, tag: str) -> None:
        name = tag.rpartition(":")[2]
        if name == "title" and self.title_start is not None:
            title = "".join(self.parts[self.title_start :]).strip(" \t\n:.").lower()
            if title in _ABSTRACT_TITLES:
                del self.parts[self.title_start :]
            self.title_start = None
            self.drop_abstract_title = False
        if name in _BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(fragment: Any, *, drop_abstract_title: bool = False) -> str | None:
    """Plain text of a JATS/HTML string: tags stripped, entities decoded (twice-escaped ones
    too), whitespace normalised; a leading "Abstract" title dropped when asked. None if empty.

    A string with no closing tag and no JATS tag is text, not markup: ``x<y`` stays as is."""
    if not isinstance(fragment, str):
        return None
    if _MARKUP.search(fragment):
        parser = _TextParser(drop_abstract_title)
        parser.feed(fragment)
        parser.close()
        fragment = "".join(parser.parts)  # entities decoded once by the parser
    else:  # no element closes and no JATS tag: a "<" here is text ("x<y"), not markup
        fragment = html.unescape(fragment)
    text = " ".join(html.unescape(fragment).split())
    return text or None
