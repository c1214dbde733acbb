"""Semantic Scholar Academic Graph: citations, venue and authors by id, or by exact title.

Format: JSON paper objects (``paperId, externalIds, title, abstract, venue, publicationVenue,
journal, year, publicationDate, authors, citationCount, influentialCitationCount, url``), per the
Graph API docs https://api.semanticscholar.org/api-docs/graph (facts in API-NOTES.md part 2 §3
and §5).

Keys and requests, per batch of N keys:

* Id keys — ``ARXIV:<id>``, ``DOI:<doi>``, ``URL:https://www.biorxiv.org/content/<doi>``,
  ``CorpusId:<n>`` (also ``MAG:``, ``ACL:``, ``PMID:``, ``PMCID:`` and 40-hex S2 ids) — go in
  **one** ``POST {s2}/paper/batch?fields=…`` with ``{"ids": [...]}`` (≤500; the fields belong in
  the query string, not the body). The answer is a list of the same length and order; a ``null``
  slot means S2 does not know that id. Any other shape fails the batch. A 404 from the batch
  endpoint is not an answer about the ids (they come back as ``null``): it fails the batch rather
  than caching every id as unknown.
* Title keys ``TITLE:<year or empty>:<title>`` — asked many at once with bulk search,
  ``GET {s2}/paper/search/bulk?query="t1" | "t2" | …&fields=…&year=a-b`` (API-NOTES.md part 3
  §8: ``|`` is OR, ``"…"`` a phrase; up to 1,000 papers a page, ``token`` for the next page until
  it is null). A call carries at most 25 titles and about 3,000 characters of query (the clause
  and URL limits are not documented); titles are sorted by year so each call's ``year`` range
  (lowest − 1 to highest + 1) stays narrow; a ``"`` inside a title becomes a space. The query
  matches abstracts too, so each result is checked under the same rule as a single match: it
  answers a title only when the two titles are equal once normalised and, when a year is given,
  S2's year is within one of it (the closest year, then the most cited, wins if several do).
  Titles the bulk answers missed — a title S2 spells differently, a phrase its tokenizer splits
  — are asked one by one, ``GET {s2}/paper/search/match?query=…``; 404 ``{"error": "Title match
  not found"}`` → not found. A single best match is kept under the same rule (a match with no
  year cannot be checked against a year and is not kept): recording nothing beats recording the
  wrong paper. ``HARVEST_PER_ITEM`` naming ``semanticscholar`` skips bulk search.
* Anything else is "not found" without a request.

``x-api-key`` carries ``settings.s2_api_key`` when set. S2 answers a bad key with 403 (blocked:
the title keys of that batch are then not asked) and a throttle with 429 *without* Retry-After,
so the HTTP layer's exponential back-off applies.

Quirks handled (recorded in tests/fixtures/semanticscholar unless marked):

* ``abstract`` may be null (the release notes: S2 withholds e.g. Springer abstracts) [doc].
* S2 merges a preprint and its published version into one record (citations of both): a bioRxiv
  DOI can 404 once the paper is published, its record living under the journal DOI with
  ``venue: "bioRxiv"`` and ``journal.name`` the journal.
* Venue: the first of ``publicationVenue.name``, ``journal.name``, ``venue`` that is not a
  preprint server (arXiv, bioRxiv, medRxiv, with or without ``.org``, any case) is the venue,
  and the status is "accepted" (S2 names where it appeared); when only preprint servers are
  named (``journal.name`` "ArXiv", ``venue`` "arXiv.org") the venue is None and the status
  "preprint". So ``journal.name: "ArXiv"`` next to ``venue: "Neural Information Processing
  Systems"`` (a shape seen on S2 for conference papers, not recorded) gives the conference.
* ``externalIds`` has ``ArXiv`` and ``DOI`` (kept, the DOI lower-cased), no OpenReview id.

Answers are read in :mod:`~harvester.sources.semanticscholar.records`; keys, bulk-search batches
and the title-match rule are in :mod:`~harvester.sources.semanticscholar.titles`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...cache import CachedRecord
from ...errors import Blocked, InvalidResponse, NotFound, SourceError
from ...http import redact_url
from ..base import Fetched, Outcome, Source
from ..batching import per_item
from ..crossref import published_dois
from ..spec import DAY, EntryView, KeyFunction, SourceSpec, Stage, VenueReading
from .records import NAME, PREPRINT_SERVERS, parse_paper, read_batch, read_bulk, read_error
from .titles import (
    BULK_QUERY_CHARS,
    BULK_TITLES,
    TITLE_PREFIX,
    bulk_matches,
    bulk_query,
    is_id_key,
    match_paper,
    normalise_title,
    parse_title_key,
    title_chunks,
)

if TYPE_CHECKING:
    import httpx

__all__ = [
    "BULK_QUERY_CHARS",
    "BULK_TITLES",
    "FIELDS",
    "MAX_BATCH",
    "MAX_BULK_PAGES",
    "NAME",
    "PREPRINT_SERVERS",
    "SPEC",
    "TITLE_PREFIX",
    "SemanticScholarSource",
    "bulk_matches",
    "bulk_query",
    "is_id_key",
    "match_paper",
    "normalise_title",
    "parse_paper",
    "parse_title_key",
    "read_batch",
    "read_bulk",
    "read_error",
    "s2_id",
    "title_chunks",
    "title_key",
]

FIELDS = (
    "paperId,externalIds,title,abstract,venue,publicationVenue,journal,year,publicationDate,"
    "authors,citationCount,influentialCitationCount,url"
)
MAX_BATCH = 500
MAX_BULK_PAGES = 5
"""Pages of 1,000 papers read for one bulk query before the rest of its titles are matched
one by one (quoted full titles rarely match more than a few papers)."""


class SemanticScholarSource(Source):
    """Keys: S2 paper ids (``ARXIV:…``, ``DOI:…``, ``URL:…``, ``CorpusId:…``) and
    ``TITLE:<year>:<title>``."""

    name = NAME

    def batch_size(self) -> int:
        return min(self.options.batch_size, MAX_BATCH)

    def fetch(self, keys: list[str], cached: dict[str, CachedRecord]) -> dict[str, Outcome]:
        outcomes: dict[str, Outcome] = {}
        ids: list[str] = []
        titles: dict[str, tuple[int | None, str]] = {}
        for key in keys:
            parsed = parse_title_key(key)
            if parsed is not None:
                titles[key] = parsed
            elif is_id_key(key):
                ids.append(key)
            else:
                outcomes[key] = NotFound(
                    f"semanticscholar: {key!r} is no id or title it accepts", source=NAME
                )
        if ids:
            outcomes.update(self._batch(ids))
        blocked: SourceError | None = next(
            (o for o in outcomes.values() if isinstance(o, Blocked)), None)
        if titles and blocked is None and not per_item(NAME):
            for chunk in title_chunks(titles):
                found = self._bulk({key: titles[key] for key in chunk})
                outcomes.update(found)
                blocked = blocked or next(
                    (o for o in found.values() if isinstance(o, Blocked)), None)
        for key, (year, title) in titles.items():
            if key in outcomes:
                continue
            outcome = blocked or self._match(title, year)
            outcomes[key] = outcome
            if isinstance(outcome, Blocked):
                blocked = outcome
        return outcomes

    def _bulk(self, titles: dict[str, tuple[int | None, str]]) -> dict[str, Outcome]:
        """Bulk-search answers for the ``titles`` it found; a failed call fails them all."""
        params: dict[str, str] = {"query": bulk_query([title for _, title in titles.values()]),
                  "fields": FIELDS}
        years = [year for year, _ in titles.values()]
        if all(year is not None for year in years):
            known = [year for year in years if year is not None]
            params["year"] = f"{min(known) - 1}-{max(known) + 1}"
        papers: list[Any] = []
        try:
            for _ in range(MAX_BULK_PAGES):
                response = self.request(
                    "GET", f"{self.settings.url(NAME)}/paper/search/bulk", params=params,
                    headers=self._headers(),
                )
                page, token = read_bulk(response.content)
                papers.extend(page)
                if not token or len(bulk_matches(papers, titles)) == len(titles):
                    break
                params["token"] = token
            matches = bulk_matches(papers, titles)
        except SourceError as exc:
            return dict.fromkeys(titles, exc)
        return {key: Fetched(record.model_dump(mode="json", exclude_none=True))
                for key, record in matches.items()}

    def _headers(self) -> dict[str, str]:
        key = self.settings.s2_api_key
        return {"x-api-key": key.get_secret_value()} if key is not None else {}

    def _batch(self, ids: list[str]) -> dict[str, Outcome]:
        try:
            response = self.request(
                "POST", f"{self.settings.url(NAME)}/paper/batch", params={"fields": FIELDS},
                json={"ids": ids}, headers=self._headers(), classify=_batch_classify,
            )
            slots = read_batch(response.content, len(ids))
        except SourceError as exc:
            return dict.fromkeys(ids, exc)
        return {key: _slot_outcome(slot) for key, slot in zip(ids, slots, strict=True)}

    def _match(self, title: str, year: int | None) -> Outcome:
        try:
            response = self.request(
                "GET", f"{self.settings.url(NAME)}/paper/search/match",
                params={"query": title, "fields": FIELDS}, headers=self._headers(),
                accept=(200, 404),
            )
            if response.status_code == 404:
                read_error(response.content)
                return Fetched(None)
            record = match_paper(response.content, title, year)
        except SourceError as exc:
            return exc
        return Fetched(record.model_dump(mode="json", exclude_none=True) if record else None)


def _batch_classify(response: httpx.Response) -> SourceError | None:
    if response.status_code == 404:
        return InvalidResponse(
            f"HTTP 404 from {response.request.method} {redact_url(response.request.url)}: "
            "the batch endpoint answers unknown ids with null, not 404",
            source=NAME,
        )
    return None


def _slot_outcome(slot: Any) -> Outcome:
    if slot is None:
        return Fetched(None)
    try:
        return Fetched(parse_paper(slot).model_dump(mode="json", exclude_none=True))
    except InvalidResponse as exc:
        return exc


# ------------------------------------------------------------------------------ declaration


def title_key(title: str, year: int | None) -> str:
    """The key of a title match: ``TITLE:<year or empty>:<title>``."""
    return f"TITLE:{year or ''}:{' '.join(title.split())}"


def s2_id(view: EntryView) -> str | None:
    """The id S2 accepts for the entry's paper, taken from its links (None: match by title)."""
    arxiv = view.claimed("arxiv")
    if arxiv:
        return f"ARXIV:{arxiv[0]}"
    dois = view.claimed("crossref")
    if dois:
        return f"DOI:{dois[0]}"
    biorxiv = view.claimed("biorxiv")
    if biorxiv and biorxiv[0].startswith("medrxiv:"):
        # S2 resolves URL: ids only for a few hosts; medrxiv.org is not one of them
        return f"DOI:{biorxiv[0].removeprefix('medrxiv:')}"
    if biorxiv:
        return f"URL:https://www.biorxiv.org/content/{biorxiv[0]}"
    acl = [k for k in view.claimed("proceedings") if k.startswith("acl:")]
    if acl:
        return f"ACL:{acl[0].removeprefix('acl:')}"
    for key in view.claimed("pubmed"):
        kind, _, value = key.partition(":")
        # S2 documents PMCID ids by their number ("PMCID:2323736")
        return f"PMID:{value}" if kind == "pmid" else f"PMCID:{value.removeprefix('PMC')}"
    return None


def _ask_ids(view: EntryView) -> list[str]:
    found = s2_id(view)
    return [found] if found else []


def _titles(origin: str) -> KeyFunction:
    """Title matches for papers with no id S2 accepts, whose title comes from ``origin``:
    OpenReview's or NeurIPS' record when the list links one, else the list's own text."""

    def keys(view: EntryView) -> list[str]:
        where = ("openreview" if view.claimed("openreview")
                 else "neurips" if view.claimed("neurips") else "list")
        if where != origin or view.entry.kind != "paper" or s2_id(view) is not None:
            return []
        title, year = view.title(("openreview", "neurips"))
        return [title_key(title, year)] if title else []

    return keys


def _id_unknown(view: EntryView) -> bool:
    """True when S2 answered "not found" for the entry's own id."""
    found = s2_id(view)
    result = view.result(NAME, found) if found else None
    return result is not None and result.status == "not_found"


def _journal_doi(view: EntryView) -> str | None:
    """The id of the journal version the entry's preprint records name."""
    dois = published_dois(view)
    return f"DOI:{dois[0]}" if dois else None


def _journal_id(view: EntryView) -> list[str]:
    """The journal DOI of a preprint whose own id S2 does not know: S2 folds a published
    preprint into its journal record, whose DOI it knows (asked in the id batch)."""
    journal = _journal_doi(view) if _id_unknown(view) else None
    return [journal] if journal else []


def _fallback(view: EntryView) -> list[str]:
    """By title, the papers S2 knew neither by their id nor by their journal DOI."""
    if not _id_unknown(view):
        return []
    journal = _journal_doi(view)
    known = view.result(NAME, journal) if journal else None
    if known is not None and known.status != "not_found":
        return []
    title, year = view.title(("crossref", "arxiv", "biorxiv", "openreview"))
    return [title_key(title, year)] if title else []


SPEC: SourceSpec = SourceSpec(
    name=NAME,
    label="Semantic Scholar",
    cls=SemanticScholarSource,
    urls={NAME: "https://api.semanticscholar.org/graph/v1"},
    # Semantic Scholar keys get one request a second
    defaults={"batch_size": 500, "min_interval": 1.0, "ttl": 7 * DAY},
    batch_limit=500,
    secret=("s2_api_key", "S2_API_KEY"),
    stages=(
        Stage("s2-ids", "Semantic Scholar (ids)", _ask_ids),
        Stage("s2-titles", "Semantic Scholar (titles)", _titles("list")),
        Stage("s2-titles-openreview", "Semantic Scholar (OpenReview titles)",
              _titles("openreview"), after=("openreview",)),
        Stage("s2-titles-neurips", "Semantic Scholar (NeurIPS titles)", _titles("neurips"),
              after=("neurips",)),
        Stage("s2-journal", "Semantic Scholar (journal versions)", _journal_id,
              after=("s2-ids", "arxiv", "biorxiv")),
        Stage("s2-fallback", "Semantic Scholar (titles of unknown ids)", _fallback,
              after=("s2-ids", "s2-journal", "s2-titles", "s2-titles-openreview",
                     "s2-titles-neurips", "arxiv", "biorxiv", "crossref", "crossref-journal")),
    ),
    first_answer=True,
    fields={"paper.title": 60, "paper.authors": 60, "paper.abstract": 60, "paper.year": 60,
            "paper.published": 60, "paper.urls.landing": 60, "paper.citation_count": 10,
            "paper.influential_citation_count": 10, "paper.ids.arxiv": 20, "paper.ids.doi": 50,
            "paper.ids.s2": 10},
    statuses=((60, ("accepted", "published")), (120, ("preprint",))),
    venue=VenueReading(fields=(("venue", "semanticscholar"), ("dblp", "dblp"))),
)
