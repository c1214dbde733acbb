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

The parsing of works and abstracts is in :mod:`harvester.sources.crossref.works`.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from ...cache import CachedRecord
from ...config import Settings
from ...errors import InvalidResponse, NotFound, SourceError
from ...http import Http
from ...models import Link
from ..base import Fetched, Outcome, Source
from ..batching import chunked, per_item
from ..spec import DAY, EntryView, SourceSpec, Stage, VenueReading, claimed
from .works import parse_message, parse_work, parse_work_list, plain_text, text_of, work_message

__all__ = [
    "MAX_DOIS",
    "MAX_FILTER",
    "SPEC",
    "CrossrefSource",
    "doi_chunks",
    "fetch_works",
    "parse_message",
    "parse_work",
    "parse_work_list",
    "plain_text",
    "published_dois",
    "work_alone",
    "work_url",
]

_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
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
    return chunked(dict.fromkeys(dois), _filter_cost, size or MAX_DOIS, max_chars)


def _filter_cost(doi: str) -> int:
    return len(quote(f"doi:{doi}", safe="")) + 3  # with the %2C that joins it


def _batch(http: Http, settings: Settings, dois: list[str]) -> dict[str, dict[str, Any]]:
    params: dict[str, str | int] = {
        "filter": ",".join(f"doi:{doi}" for doi in dois), "rows": len(dois)}
    if settings.contact:
        params["mailto"] = settings.contact
    response = http.request("crossref", "GET", f"{settings.url('crossref')}/works",
                            params=params)
    return {
        doi.lower(): item for item in parse_work_list(response.content)
        if (doi := text_of(item.get("DOI")))
    }


def work_alone(http: Http, settings: Settings, doi: str) -> Answer:
    """One ``GET /works/{doi}``: the work's message, None on 404, or the error."""
    params = {"mailto": settings.contact} if settings.contact else None
    try:
        response = http.request("crossref", "GET", work_url(settings.url("crossref"), doi),
                                params=params, accept=(200, 404))
        if response.status_code == 404:
            return None
        return work_message(response.content)
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
    venue=VenueReading(
        fields=(("issn", "issn"), ("venue", "crossref"), ("short_venue", "crossref")),
        year_is_venue_year=True),
)
