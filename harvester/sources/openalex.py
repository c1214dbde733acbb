"""OpenAlex: work metadata and citation counts by DOI (the fallback citation source).

Format: JSON Work objects, https://docs.openalex.org/api-entities/works/work-object; list
answers are ``{"meta": {count, per_page, …}, "results": [Work, …]}``
(https://docs.openalex.org/how-to-use-the-api/get-lists-of-entities). Facts in API-NOTES.md
part 2 §4.

Used only with an API key (required since 13 Feb 2026), sent as the ``api_key`` query parameter;
the HTTP layer leaves query strings out of every message, so the key never reaches a log or the
catalogue. Requests:

* several DOIs: one ``GET {openalex}/works?filter=doi:<d1>|<d2>|…&per-page=100`` per batch
  (≤ ``batch_size``, 50 by default; OpenAlex takes up to 100 values in one filter). Missing
  DOIs are simply absent from ``results``: results are matched back on their ``doi`` field
  (``https://doi.org/…``, lower-cased) and the rest are "not found", unless ``meta.count`` says
  the page did not hold every result, in which case they are unknown (an invalid response), never
  wrongly "not found". The page size is 100 so that duplicate works for one DOI still fit.
* one DOI (a batch of one, or a DOI with ``,`` or ``|``, which a filter cannot carry): one
  ``GET {openalex}/works/https://doi.org/<doi, %-encoded>`` (singletons cost nothing under the
  2026 pricing). Its "not found" is a 404 with a *text/html* page (recorded Nov 2025), not the
  JSON error the docs show: any 404 is "not found".

Parsing quirks handled (recorded in tests/fixtures/openalex): ``abstract_inverted_index`` is
``{word: [positions]}`` or null, rebuilt by sorting positions; a leaked leading "Abstract" word
(the publisher's JATS title) is dropped; OpenAlex pads a year-only date to January 1st (the
arXiv preprint 2304.05376 of April 2023 is dated ``2023-01-01``), so a January 1st date keeps
the year only; a repository (arXiv, bioRxiv) is not a venue; ``cited_by_count`` is kept as
OpenAlex counts it (never added to Semantic Scholar's), and a missing one is unknown, not 0.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from ..cache import CachedRecord
from ..errors import Blocked, InvalidResponse, NotFound, SourceError
from ..models import PaperRecord, Status
from .base import Fetched, Outcome, Source
from .coerce import integer, json_object, text
from .crossref import plain_text, published_dois
from .spec import DAY, EntryView, SourceSpec, Stage, VenueReading

if TYPE_CHECKING:
    import httpx

PER_PAGE = 100
_KEY = re.compile(r"^doi:(10\.\d{4,9}/\S+)$")
_NOT_FILTERABLE = re.compile(r"[,|]")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DOI_PREFIX = re.compile(r"^https?://(?:dx\.)?doi\.org/", re.I)
_VENUE_SOURCES = {"journal", "conference", "book series", "ebook platform"}
_LEAKED_TITLES = {"abstract", "abstract:", "summary", "summary:"}


class OpenAlexSource(Source):
    """Keys: ``doi:<doi>``, lower-case (``doi:10.1038/s41586-023-06031-6``)."""

    name = "openalex"

    def fetch(self, keys: list[str], cached: dict[str, CachedRecord]) -> dict[str, Outcome]:
        if self.settings.openalex_api_key is None:
            raise Blocked("openalex: an API key (OPENALEX_API_KEY) is required; not asked")
        outcomes: dict[str, Outcome] = {}
        dois: dict[str, str] = {}
        for key in keys:
            match = _KEY.match(key)
            if match:
                dois[key] = match[1].lower()
            else:
                outcomes[key] = NotFound(f"openalex: not a doi:<DOI> key: {key}")
        listed = {k: d for k, d in dois.items() if not _NOT_FILTERABLE.search(d)}
        if len(listed) < 2:
            listed = {}  # one DOI: the single-work request is cheaper than a list
        for key in [k for k in dois if k not in listed]:
            outcomes[key] = self._single(dois[key])
        if listed:
            outcomes.update(self._batch(listed))
        return outcomes

    def _params(self, **params: Any) -> dict[str, Any]:
        key = self.settings.openalex_api_key
        if key is None:  # fetch refuses first; a helper called without a key asks nothing
            raise Blocked("openalex: an API key (OPENALEX_API_KEY) is required; not asked")
        return {**params, "api_key": key.get_secret_value()}

    def _single(self, doi: str) -> Outcome:
        try:
            response = self.request("GET", single_url(self.settings.url("openalex"), doi),
                                    params=self._params(), accept=(200, 404),
                                    follow_redirects=True)  # a merged work 301s to its survivor
            return _fetched(parse_single(response))
        except SourceError as exc:
            return exc

    def _batch(self, dois: dict[str, str]) -> dict[str, Outcome]:
        params = self._params(**{"filter": "doi:" + "|".join(dois.values()), "per-page": PER_PAGE})
        try:
            response = self.request("GET", f"{self.settings.url('openalex')}/works", params=params)
            records, complete = parse_list(response.content)
        except SourceError as exc:
            return dict.fromkeys(dois, exc)
        by_doi: dict[str, PaperRecord] = {}
        for record in records:
            if "doi" in record.ids:
                by_doi.setdefault(record.ids["doi"], record)  # duplicates: the first listed
        outcomes: dict[str, Outcome] = {}
        for key, doi in dois.items():
            if doi in by_doi or complete:
                outcomes[key] = _fetched(by_doi.get(doi))
            else:
                outcomes[key] = InvalidResponse(
                    f"openalex: {doi} not on a page that holds only part of the results"
                )
        return outcomes


def single_url(root: str, doi: str) -> str:
    """``{root}/works/https://doi.org/<doi>``, the DOI's ``/`` encoded as in the recordings."""
    return f"{root}/works/https://doi.org/{quote(doi, safe='')}"


def _fetched(record: PaperRecord | None) -> Fetched:
    return Fetched(record.model_dump(mode="json", exclude_none=True) if record else None)


# --------------------------------------------------------------------------- parsing


def parse_single(response: httpx.Response) -> PaperRecord | None:
    """A single-work answer: the record, or None for a 404 (an HTML page or a JSON error)."""
    if response.status_code == 404:
        return None
    return parse_work(json_object(response.content, "openalex"))


def parse_list(body: bytes) -> tuple[list[PaperRecord], bool]:
    """The records of a list answer, and whether the page holds every result (``meta.count``)."""
    data = json_object(body, "openalex")
    results = data.get("results")
    if not isinstance(results, list):
        raise InvalidResponse("openalex answered a list without a results array")
    records = [parse_work(work) for work in results]
    meta = data.get("meta")
    count = integer(meta.get("count")) if isinstance(meta, dict) else None
    return records, count is None or count <= len(records)


def parse_work(obj: dict[str, Any]) -> PaperRecord:
    """One Work object as a record."""
    if not isinstance(obj, dict):
        raise InvalidResponse("openalex answered a work that is not an object")
    primary = _dict(obj.get("primary_location"))
    source = _dict(primary.get("source"))
    source_type = text(source.get("type"))
    work_type = text(obj.get("type"))
    year = integer(obj.get("publication_year"))
    ids = {"openalex": _work_id(obj.get("id")), "doi": _doi(obj.get("doi"))}
    return PaperRecord(
        title=plain_text(obj.get("title")) or plain_text(obj.get("display_name")),
        abstract=abstract_text(obj.get("abstract_inverted_index")),
        authors=_authors(obj.get("authorships")),
        year=year,
        published=_published(obj.get("publication_date")),
        venue=text(source.get("display_name")) if source_type in _VENUE_SOURCES else None,
        status=_status(work_type, source_type),
        ids={name: value for name, value in ids.items() if value},
        landing_url=text(primary.get("landing_page_url")),
        pdf_url=text(_dict(obj.get("best_oa_location")).get("pdf_url"))
        or text(primary.get("pdf_url")),
        citation_count=integer(obj.get("cited_by_count")),
        work_type=work_type,
    )


def abstract_text(index: Any) -> str | None:
    """The abstract rebuilt from ``{word: [positions]}``; None when there is none."""
    if not isinstance(index, dict):
        return None
    at: dict[int, str] = {}
    for word, places in index.items():
        for place in places if isinstance(places, list) else []:
            if isinstance(place, int) and not isinstance(place, bool):
                at[place] = word
    words = [at[place] for place in sorted(at)]
    if len(words) > 1 and words[0].lower() in _LEAKED_TITLES and words[1][:1].isupper():
        words = words[1:]  # "Abstract Large language models…": the JATS title leaked in
    return " ".join(" ".join(words).split()) or None


def _authors(value: Any) -> list[str] | None:
    names = []
    for authorship in value if isinstance(value, list) else []:
        if not isinstance(authorship, dict):
            continue
        name = text(_dict(authorship.get("author")).get("display_name")) or text(
            authorship.get("raw_author_name")
        )
        if name:
            names.append(name)
    return names or None


def _status(work_type: str | None, source_type: str | None) -> Status | None:
    if work_type == "preprint":
        return "preprint"
    if source_type in {"journal", "conference"}:
        return "published"
    return None


def _published(value: Any) -> str | None:
    date = text(value)
    if date is None or not _DATE.match(date) or date.endswith("-01-01"):
        return None
    return date


def _work_id(value: Any) -> str | None:
    """``https://openalex.org/W4408732759`` → ``W4408732759``."""
    tail = (text(value) or "").rpartition("/")[2]
    return tail if tail[:1] == "W" else None


def _doi(value: Any) -> str | None:
    """``https://doi.org/10.1016/J.X`` → ``10.1016/j.x``."""
    doi = _DOI_PREFIX.sub("", text(value) or "").lower()
    return doi or None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


# ------------------------------------------------------------------------------ declaration


def _s2_record(view: EntryView) -> dict[str, Any] | None:
    for key in view.asked("semanticscholar"):
        result = view.result("semanticscholar", key)
        if result is not None and result.record:
            return result.record
    return None


def _best_doi(view: EntryView) -> str | None:
    for doi in [*view.claimed("crossref"), *published_dois(view)]:
        return doi
    arxiv = view.claimed("arxiv")
    return f"10.48550/arxiv.{arxiv[0]}".lower() if arxiv else None


def _uncounted(view: EntryView) -> list[str]:
    """Papers Semantic Scholar could not count, by DOI."""
    doi = _best_doi(view) if _s2_record(view) is None else None
    return [f"doi:{doi}"] if doi else []


SPEC: SourceSpec = SourceSpec(
    name="openalex",
    label="OpenAlex",
    cls=OpenAlexSource,
    urls={"openalex": "https://api.openalex.org"},
    defaults={"batch_size": 50, "min_interval": 0.1, "ttl": 7 * DAY},
    batch_limit=100,
    secret=("openalex_api_key", "OPENALEX_API_KEY"),
    requires_secret=True,
    stages=(Stage("openalex", "OpenAlex", _uncounted, after=("s2-fallback",)),),
    fields={"paper.title": 70, "paper.authors": 70, "paper.abstract": 70, "paper.year": 70,
            "paper.published": 70, "paper.urls.landing": 70, "paper.urls.pdf": 50,
            "paper.citation_count": 20, "paper.ids.doi": 60, "paper.ids.openalex": 10},
    statuses=((70, ("accepted", "published")), (130, ("preprint",))),
    venue=VenueReading(fields=(("issn", "issn"), ("venue", "text")), year_is_venue_year=True),
)
