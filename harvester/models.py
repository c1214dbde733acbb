"""The records the harvester reads, keeps and publishes.

Two families live here:

* **Catalogue models** (``Catalog`` and everything under it) are the published contract of
  ``output/catalog.json`` (schema_version 1). They are strict (``extra="forbid"``); the JSON Schema
  in ``output/catalog.schema.json`` is generated from them. Renaming or removing a field bumps
  ``SCHEMA_VERSION``; adding one is a minor change.
* **Source records** (``PaperRecord``, ``RepoRecord``) are what one source says about one id.
  They are what the cache stores (as plain JSON, never pickles) and what ``merge`` combines.
  Every field is optional: unknown is ``None``, never ``0`` or ``""``.
"""

from __future__ import annotations

import builtins
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from .sanity import MAX_COUNT, is_date, is_timestamp

SCHEMA_VERSION: Literal[1] = 1


def _real_date(value: str) -> str:
    if not is_date(value):
        raise ValueError(f"{value!r} is not a real date")
    return value


def _real_timestamp(value: str) -> str:
    if not is_timestamp(value):
        raise ValueError(f"{value!r} is not a real date and time")
    return value


Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]
"""A count: an integer 0 ≤ n ≤ 2^53."""
Year = Annotated[int, Field(ge=1000, le=9999)]
Day = Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$"), AfterValidator(_real_date)]
"""A real calendar date, ``YYYY-MM-DD``."""
Timestamp = Annotated[
    str,
    Field(pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$"),
    AfterValidator(_real_timestamp),
]
"""A real ISO 8601 date and time (``2024-05-01T12:00:00Z``)."""

LinkKind = Literal[
    "arxiv", "openreview", "doi", "biorxiv", "proceedings", "pubmed", "github", "web"
]
EntryKind = Literal["paper", "resource"]
Status = Literal["published", "accepted", "preprint", "under_review", "rejected", "withdrawn"]
ErrorKind = Literal["not_found", "rate_limited", "unavailable", "invalid_response", "blocked"]
Presentation = Literal["oral", "spotlight", "poster"]
AnnotationScalar = bool | int | float | str
AnnotationValue = AnnotationScalar | list[AnnotationScalar]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)


class Link(_Strict):
    """One link of a list entry, classified."""

    label: str | None
    url: str
    kind: LinkKind
    id: str | None
    """The identifier taken from the URL: arXiv id without version, OpenReview forum id, DOI
    (lower-cased), bioRxiv DOI, GitHub ``owner/repo``; for ``pubmed`` ``pmid:<n>`` or
    ``pmcid:PMC<n>``; for ``proceedings`` a key naming the site and the paper:
    ``neurips:<year>:<hash>`` (hash pages and PDFs, old and new site),
    ``neurips-legacy:<n>-<slug>`` and ``neurips-legacy:by-source-<year>-<n>`` (old
    ``papers.nips.cc/paper/<rest>`` pages, which the site redirects to a hash page),
    ``pmlr:<volume>:<key>``, ``acl:<anthology id>``, ``cvf:<conference><year>[W]:<stem>``,
    ``ijcai:<year>:<number>``, ``aaai:<article number>``. ``None`` when the URL carries no
    usable id (a year index, a publisher page without one)."""


class Author(_Strict):
    name: str


class PaperIds(_Strict):
    arxiv: str | None = None
    doi: str | None = None
    openreview: str | None = None
    biorxiv: str | None = None
    s2: str | None = None
    openalex: str | None = None
    proceedings: str | None = None
    pmid: str | None = None
    """PubMed id (digits)."""
    pmcid: str | None = None
    """PubMed Central id, ``PMC<n>``."""


class PaperUrls(_Strict):
    landing: str | None = None
    pdf: str | None = None


class Paper(_Strict):
    title: str
    abstract: str | None = None
    authors: list[Author] = Field(default_factory=list)
    year: Year | None = None
    published: Day | None = None
    venue: str | None = None
    """The venue ``status`` refers to, in one display form: ``"<Short> <year>"`` for a
    conference of the venue vocabulary ("NeurIPS 2023"), a journal's title ("Nature"), "arXiv" /
    "bioRxiv" / "medRxiv" for a preprint; the source's own string, tidied, when the vocabulary
    does not know it. Never the list's text (that is ``listed_venue``)."""
    venue_key: str | None = None
    """The vocabulary's key ("neurips", "nature", "biorxiv"…); None when the venue is not in it."""
    venue_year: int | None = None
    track: str | None = None
    """"Datasets and Benchmarks", "Findings", "Workshop: <name>"…; None for a main track."""
    presentation: Presentation | None = None
    status: Status | None = None
    ids: PaperIds = Field(default_factory=PaperIds)
    urls: PaperUrls = Field(default_factory=PaperUrls)
    citation_count: Count | None = None
    influential_citation_count: Count | None = None


class RepoFields(BaseModel):
    """The metrics of one GitHub repository, shared by the catalogue and the source record."""

    model_config = ConfigDict(use_attribute_docstrings=True)

    full_name: str
    """Canonical ``owner/name`` (after a rename)."""
    url: str
    stars: Count
    forks: Count
    open_issues: Count
    """Open issues and pull requests, as GitHub's REST ``open_issues_count`` counts them."""
    watchers: Count | None = None
    pushed_at: Timestamp | None = None
    created_at: Timestamp | None = None
    license: str | None = None
    """SPDX id; None when GitHub names none or says NOASSERTION."""
    archived: bool
    topics: list[str] = Field(default_factory=list)
    description: str | None = None
    homepage: str | None = None
    language: str | None = None


class Repo(RepoFields, _Strict):
    renamed_from: str | None = None
    """The ``owner/name`` the list links, when GitHub answered for a renamed repository."""


class StaleValue(_Strict):
    field: str
    """Dotted path of the kept value, e.g. ``paper.citation_count`` or ``repos[owner/name]``."""
    since: str | None
    """When the kept value was last fetched (ISO 8601, UTC), if known."""
    reason: str


class EntryError(_Strict):
    source: str
    ref: str
    kind: ErrorKind
    message: str


class Entry(_Strict):
    key: str
    name: str
    kind: EntryKind
    section: list[str]
    text: str | None
    listed_venue: str | None
    links: list[Link]
    paper: Paper | None = None
    repos: list[Repo] = Field(default_factory=list)
    provenance: dict[str, str] = Field(default_factory=dict)
    stale: list[StaleValue] = Field(default_factory=list)
    errors: list[EntryError] = Field(default_factory=list)
    annotations: dict[str, AnnotationValue] | None = None
    """The maintainer's own values for this entry from ``annotations.toml`` (model size,
    recording hours, species…), never set by any API; ``None`` when the entry has none."""


class ListInfo(_Strict):
    source: str
    sha256: str
    title: str | None


class Summary(_Strict):
    entries: int
    papers: int
    with_abstract: int
    with_citations: int
    repos: int
    stale_values: int
    errors: int


class Catalog(_Strict):
    schema_version: Literal[1] = SCHEMA_VERSION
    list: ListInfo
    summary: Summary
    entries: builtins.list[Entry]  # ``list`` above is the field


# --------------------------------------------------------------------------- source records


class _Record(BaseModel):
    model_config = ConfigDict(extra="ignore")


class PaperRecord(_Record):
    """What one paper source says about one id. Every field optional; unknown is None."""

    title: str | None = None
    abstract: str | None = None
    authors: list[str] | None = None
    year: int | None = None
    published: str | None = None
    """Publication date, ``YYYY-MM-DD``."""
    venue: str | None = None
    status: Status | None = None
    ids: dict[str, str] = Field(default_factory=dict)
    """Identifiers this source knows: keys among arxiv, doi, openreview, biorxiv, s2, openalex,
    proceedings."""
    landing_url: str | None = None
    pdf_url: str | None = None
    citation_count: int | None = None
    influential_citation_count: int | None = None
    # Source-specific extras the merge or later rounds may use.
    version: str | None = None
    """Latest version as the source reports it (arXiv ``v3``, bioRxiv ``2``)."""
    journal_ref: str | None = None
    comment: str | None = None
    categories: list[str] | None = None
    published_doi: str | None = None
    """A preprint's journal DOI (bioRxiv ``published``, arXiv ``arxiv:doi``)."""
    work_type: str | None = None
    """Crossref/OpenAlex type (``journal-article``, ``proceedings-article``, ``preprint``…)."""
    code_urls: list[str] | None = None
    """GitHub URLs the paper's own metadata mentions (abstract, comment, content)."""
    # What the venue matcher reads (harvester.venues.RECORD_FIELDS).
    venueid: str | None = None
    """OpenReview ``content.venueid`` (``ICLR.cc/2025/Conference``)."""
    invitation: str | None = None
    """OpenReview v1 ``invitation`` / v2 first ``invitations`` entry."""
    created: str | None = None
    """OpenReview submission date (``cdate``), ``YYYY-MM-DD``: when the paper first appeared."""
    dblp: str | None = None
    """Semantic Scholar ``externalIds.DBLP`` (``conf/nips/AzabouAGMDKLLMD23``)."""
    issn: list[str] | None = None
    """Crossref ``ISSN`` of the container."""
    short_venue: str | None = None
    """Crossref ``short-container-title``."""


class RepoRecord(RepoFields, _Record):
    """What GitHub says about one repository."""

    archived: bool = False
    github_id: int | None = None
