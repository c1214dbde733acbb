"""Crossref: journal and proceedings metadata from ``GET {crossref}/works/{doi}``.

Format: JSON ``{"status": "ok", "message-type": "work", "message": {…}}``; fields per the REST
API docs, https://api.crossref.org/swagger-ui/index.html and
https://www.crossref.org/documentation/retrieve-metadata/rest-api/ (facts in API-NOTES.md §4).

Requests: DOIs are asked in batches, ``GET {crossref}/works?filter=doi:A,doi:B,…&rows=N``
(API-NOTES.md part 3 §8: a filter repeated with different values is an OR; ``rows`` defaults to
20, so it is set to the number of DOIs; at most 50 DOIs and about 3,500 characters of filter a
request keep the URL well under the lengths servers refuse). The answer is a ``work-list`` whose
``items`` are the works found; a DOI absent from it is asked once alone, ``GET
{crossref}/works/{doi}``, before it counts as "not found" (an index lag or a DOI the filter
cannot express — one with a comma — must not be cached as missing). A batch the API refuses as
invalid (HTTP 400) is asked DOI by DOI, so one odd DOI cannot sink the others. No multi-DOI
answer was ever recorded: the fake server answers the documented work-list shape, and the
recorded work-list (``tests/fixtures/crossref-batch``) pins the envelope. ``HARVEST_PER_ITEM``
naming ``crossref`` forces the per-DOI endpoint.

Every request carries ``mailto=<contact>`` when a contact is configured so it joins the polite
pool. A per-DOI request puts the DOI into the path with its ``/`` kept and every other reserved
character percent-encoded (``:`` → ``%3A``, ``#`` → ``%23``…); Crossref accepts raw and encoded
slashes alike (both are recorded). Quirks handled, all recorded in ``tests/fixtures/crossref``
and the paper-qa cassettes:

* An unknown DOI is HTTP 404 with a *plain-text* body ``Resource not found.``: "not found".
* Bad parameters are HTTP 400 with a JSON ``validation-failure``: an invalid response.
* ``abstract`` is a JATS XML fragment (``<jats:title>Abstract</jats:title><jats:p>…``, inline
  ``<jats:italic>``): it is turned into plain text with the stdlib HTML parser, a leading
  "Abstract" title dropped, entities decoded, including the double-escaped ``&amp;lt;`` some
  publishers deposit. Inline markup is joined without spaces (``H<sub>2</sub>O`` → ``H2O``), so
  text a publisher deposited without spaces around ``<jats:italic>`` stays run together.
* Dates are ``date-parts`` with a year, year-month or full date, or ``[[null]]``: the first of
  ``published``, ``published-print``, ``published-online``, ``issued`` that has a year gives the
  year, and the publication date only when it is a full date.
* Authors have ``given`` and ``family``, only ``family``, or (organisations) only ``name``.
* ``is-referenced-by-count`` is Crossref's own citation count, which differs from Semantic
  Scholar's (the catalogue's citation source): it is not used.
* A bioRxiv/medRxiv preprint is ``posted-content`` with ``subtype: preprint``; its
  ``relation.is-preprint-of`` names the journal DOI.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote

from ..cache import CachedRecord
from ..config import Settings
from ..errors import InvalidResponse, NotFound, SourceError
from ..http import Http
from ..models import Link, PaperRecord, Status
from .base import Fetched, Outcome, Source
from .batching import per_item
from .spec import DAY, EntryView, SourceSpec, Stage, claimed

_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_PUBLISHED_TYPES = {"journal-article", "proceedings-article", "book-chapter"}
_DATE_FIELDS = ("published", "published-print", "published-online", "issued")
# JATS/HTML elements that separate words; every other element is inline (italic, sub, sup…).
_BLOCKS = {
    "p", "title", "sec", "list", "list-item", "li", "ul", "ol", "br", "div", "label",
    "disp-quote", "table", "tr", "td", "th", "caption", "fig", "boxed-text", "def-list",
}
_ABSTRACT_TITLES = {"abstract", "summary"}
_MARKUP = re.compile(r"</|/>|<(?:jats|mml):", re.I)
MAX_DOIS = 50
"""DOIs a batch request names (Crossref staff: "you may hit some URL size limits")."""
MAX_FILTER = 3500
"""Characters of percent-encoded ``filter`` value a batch request carries at most."""


class CrossrefSource(Source):
    """Keys: DOIs, lower-case (``10.1038/s41586-023-06031-6``)."""

    name = "crossref"

    def batch_size(self) -> int:
        return min(self.options.batch_size, MAX_DOIS)

    def fetch(self, keys: list[str], cached: dict[str, CachedRecord]) -> dict[str, Outcome]:
        outcomes: dict[str, Outcome] = {}
        dois = []
        for key in keys:
            if _DOI.match(key):
                dois.append(key)
            else:
                outcomes[key] = NotFound(f"crossref: not a DOI: {key}")
        if per_item(self.name):
            answers = {doi: work_alone(self.http, self.settings, doi) for doi in dois}
        else:
            answers = fetch_works(self.http, self.settings, dois)
        for doi in dois:
            outcomes[doi] = _outcome(answers[doi])
        return outcomes


Answer = dict[str, Any] | None | SourceError
"""A work's ``message`` object, None (Crossref does not know the DOI) or the look-up's error."""


def fetch_works(http: Http, settings: Settings, dois: list[str]) -> dict[str, Answer]:
    """Crossref's answer for each DOI, asked in batches through the ``crossref`` lane of
    ``http`` (so every caller shares Crossref's pace); a DOI absent from its batch's answer
    is asked once alone. Keys of the result are the DOIs as given."""
    answers: dict[str, Answer] = {}
    alone = [doi for doi in dois if "," in doi]  # a comma cannot be said inside the filter
    for chunk in doi_chunks([doi for doi in dois if "," not in doi]):
        try:
            found = _batch(http, settings, chunk)
        except InvalidResponse:
            alone.extend(chunk)  # a refused batch: ask its DOIs one by one
            continue
        except SourceError as exc:
            exc.source = exc.source or "crossref"  # whoever asked, Crossref is what failed
            answers.update(dict.fromkeys(chunk, exc))
            continue
        for doi in chunk:
            if doi.lower() in found:
                answers[doi] = found[doi.lower()]
            else:
                alone.append(doi)
    for doi in alone:
        answers[doi] = work_alone(http, settings, doi)
    return {doi: answers[doi] for doi in dois}


def doi_chunks(dois: list[str], size: int = 0, max_chars: int = MAX_FILTER) -> list[list[str]]:
    """``dois`` cut into batches of at most ``size`` (default ``MAX_DOIS``) DOIs whose
    percent-encoded ``filter`` value stays within ``max_chars``."""
    size = size or MAX_DOIS
    chunks: list[list[str]] = []
    current: list[str] = []
    length = 0
    for doi in dict.fromkeys(dois):
        cost = len(quote(f"doi:{doi}", safe="")) + 3  # with the %2C that joins it
        if current and (len(current) >= size or length + cost > max_chars):
            chunks.append(current)
            current, length = [], 0
        current.append(doi)
        length += cost
    if current:
        chunks.append(current)
    return chunks


def _batch(http: Http, settings: Settings, dois: list[str]) -> dict[str, dict[str, Any]]:
    params: dict[str, str | int] = {
        "filter": ",".join(f"doi:{doi}" for doi in dois), "rows": len(dois)}
    if settings.contact:
        params["mailto"] = settings.contact
    response = http.request("crossref", "GET", f"{settings.url('crossref')}/works",
                            params=params)
    return {
        doi.lower(): item for item in parse_work_list(response.content)
        if (doi := _str(item.get("DOI")))
    }


def work_alone(http: Http, settings: Settings, doi: str) -> Answer:
    """One ``GET /works/{doi}``: the work's message, None on 404, or the error."""
    params = {"mailto": settings.contact} if settings.contact else None
    try:
        response = http.request("crossref", "GET", work_url(settings.url("crossref"), doi),
                                params=params, accept=(200, 404))
        if response.status_code == 404:
            return None
        return _work_message(response.content)
    except SourceError as exc:
        exc.source = exc.source or "crossref"
        return exc


def _outcome(answer: Answer) -> Outcome:
    if isinstance(answer, SourceError):
        return answer
    if answer is None:
        return Fetched(None)
    try:
        return Fetched(parse_message(answer).model_dump(mode="json", exclude_none=True))
    except InvalidResponse as exc:
        return exc


def work_url(root: str, doi: str) -> str:
    """``{root}/works/{doi}`` with the DOI's ``/`` kept and other reserved characters encoded."""
    return f"{root}/works/{quote(doi, safe='/')}"


# --------------------------------------------------------------------------- parsing


def parse_work(body: bytes) -> PaperRecord:
    """The record of a ``/works/{doi}`` answer; anything but a JSON work is InvalidResponse."""
    return parse_message(_work_message(body))


def parse_work_list(body: bytes) -> list[dict[str, Any]]:
    """The ``items`` of a ``/works?…`` answer (``message-type: work-list``)."""
    data = _load(body)
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
    doi = _str(message.get("DOI"))
    doi = doi.lower() if doi else None
    work_type = _str(message.get("type"))
    year, published = _date(message)
    return PaperRecord(
        title=_first_text(message.get("title")),
        abstract=plain_text(message.get("abstract"), drop_abstract_title=True),
        authors=_authors(message.get("author")),
        year=year,
        published=published,
        venue=_first_text(message.get("container-title")),
        status=_status(work_type, _str(message.get("subtype"))),
        ids={"doi": doi} if doi else {},
        landing_url=f"https://doi.org/{doi}" if doi else None,
        work_type=work_type,
        published_doi=_preprint_of(message.get("relation")),
        issn=[i for i in message.get("ISSN") or () if isinstance(i, str)] or None
        if isinstance(message.get("ISSN"), list) else None,
        short_venue=_first_text(message.get("short-container-title")),
    )


def _load(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise InvalidResponse("crossref answered something that is not JSON") from None
    if not isinstance(data, dict):
        raise InvalidResponse("crossref answered JSON that is not an object")
    return data


def _work_message(body: bytes) -> dict[str, Any]:
    data = _load(body)
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
        parts = [_str(author.get("given")), _str(author.get("family"))]
        name = " ".join(p for p in parts if p) or _str(author.get("name"))
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
            doi = _str(link.get("id"))
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


def _str(value: Any) -> str | None:
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


# ------------------------------------------------------------------------------ declaration


def _claim(link: Link) -> str | None:
    return link.id.lower() if link.kind == "doi" and link.id else None


def published_dois(view: EntryView) -> list[str]:
    """The journal DOIs the entry's preprint records name (arXiv's own DOIs aside)."""
    dois = []
    for source in ("arxiv", "biorxiv"):
        for record in view.records(source):
            doi = (record.get("published_doi") or "").lower()
            if doi and not doi.startswith("10.48550/"):
                dois.append(doi)
    return dois


def _journal_versions(view: EntryView) -> list[str]:
    listed = view.claimed("crossref")
    return [doi for doi in published_dois(view) if doi not in listed]


SPEC: SourceSpec = SourceSpec(
    name="crossref",
    label="Crossref",
    cls=CrossrefSource,
    urls={"crossref": "https://api.crossref.org"},
    # Crossref's public pool allows 5 requests a second, one at a time
    defaults={"batch_size": 50, "min_interval": 0.2, "ttl": 30 * DAY},
    batch_limit=50,
    claim=_claim,
    stages=(
        Stage("crossref", "Crossref", claimed("crossref")),
        Stage("crossref-journal", "Crossref (journal versions)", _journal_versions,
              after=("arxiv", "biorxiv", "crossref"), new_only=True,
              keyed_by=("arxiv", "biorxiv")),
    ),
    fields={"paper.title": 20, "paper.authors": 20, "paper.abstract": 40, "paper.year": 10,
            "paper.published": 10, "paper.urls.landing": 10, "paper.urls.pdf": 60,
            "paper.ids.doi": 10},
    statuses=((20, ("published",)), (90, ("preprint",))),
)
