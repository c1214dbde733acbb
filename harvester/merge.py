"""Merging what the sources said about one entry into one catalogue entry (pure, no I/O).

One paper reached through several links (arXiv + OpenReview + bioRxiv + S2) is one ``paper``
record. Each field comes from the first source in its precedence order that knows it, and
``provenance`` names that source. Venue and status follow DESIGN.md: the OpenReview decision,
then a journal or proceedings record (Crossref, NeurIPS), then arXiv's journal_ref/comment, then
Semantic Scholar, then the preprint servers, then the list's own text (venue only).
Citation counts come from Semantic Scholar, else OpenAlex; they are never added together.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .models import Author, Entry, EntryError, Paper, PaperIds, PaperUrls, Repo, StaleValue

TITLE_ORDER = ("openreview", "crossref", "neurips", "arxiv", "biorxiv", "semanticscholar",
               "openalex")
ABSTRACT_ORDER = ("openreview", "arxiv", "biorxiv", "crossref", "neurips", "semanticscholar",
                  "openalex")
AUTHOR_ORDER = TITLE_ORDER
DATE_ORDER = ("crossref", "neurips", "openreview", "arxiv", "biorxiv", "semanticscholar",
              "openalex")
LANDING_ORDER = ("crossref", "neurips", "openreview", "arxiv", "biorxiv", "semanticscholar",
                 "openalex")
PDF_ORDER = ("arxiv", "openreview", "neurips", "biorxiv", "openalex", "crossref")
CITATION_ORDER = ("semanticscholar", "openalex")
ID_ORDER = {
    "arxiv": ("arxiv", "semanticscholar", "list"),
    "doi": ("crossref", "neurips", "arxiv", "biorxiv", "semanticscholar", "openalex", "list"),
    "openreview": ("openreview", "list"),
    "biorxiv": ("biorxiv", "list"),
    "s2": ("semanticscholar",),
    "openalex": ("openalex",),
    "proceedings": ("neurips", "list"),
}
PREPRINT_VENUES = {"arxiv", "arxiv.org", "biorxiv", "medrxiv", "ssrn", "preprint",
                   "research square", "techrxiv", "chemrxiv", "psyarxiv", "osf preprints"}


@dataclass
class EntryInput:
    """Everything the run learned for one entry, ready to merge."""

    records: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """Paper records per source (usually one each), in link order."""
    repos: list[tuple[str, dict[str, Any], str]] = field(default_factory=list)
    """(requested owner/repo, RepoRecord dict, provenance) per repository."""
    list_ids: dict[str, str] = field(default_factory=dict)
    """Identifiers taken from the list's own links."""
    errors: list[EntryError] = field(default_factory=list)
    stale_sources: dict[str, tuple[str | None, str]] = field(default_factory=dict)
    """Paper sources whose records are kept values: source → (last fetched, why)."""
    stale_repos: dict[str, tuple[str | None, str]] = field(default_factory=dict)
    """Kept repository records: lower-cased canonical full name → (last fetched, why)."""


def _first(records: Mapping[str, list[dict]], order: tuple[str, ...], key: str):
    for source in order:
        for record in records.get(source, ()):
            value = record.get(key)
            if value not in (None, "", []):
                return value, source
    return None, None


# (source, statuses it decides) strongest first, after DESIGN.md: a venue's decision (OpenReview)
# or a journal/proceedings record; then a venue named by arXiv's journal_ref/comment, Semantic
# Scholar or OpenAlex; then OpenReview's "under review"; then what only preprint servers know.
STATUS_TIERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("openreview", ("accepted", "rejected", "withdrawn")),
    ("crossref", ("published",)),
    ("neurips", ("published",)),
    ("biorxiv", ("published",)),
    ("arxiv", ("accepted", "published", "withdrawn")),
    ("semanticscholar", ("accepted", "published")),
    ("openalex", ("accepted", "published")),
    ("openreview", ("under_review",)),
    ("crossref", ("preprint",)),
    ("arxiv", ("preprint",)),
    ("biorxiv", ("preprint",)),
    ("semanticscholar", ("preprint",)),
    ("openalex", ("preprint",)),
)


def _status_of(source: str, record: dict) -> str | None:
    # a bioRxiv preprint whose journal DOI is known is published, journal record or not
    if source == "biorxiv" and record.get("published_doi"):
        return "published"
    return record.get("status")


def _status_candidates(records: Mapping[str, list[dict]]):
    """Records able to speak to venue/status, strongest first, with the status they give."""
    for source, statuses in STATUS_TIERS:
        for record in records.get(source, ()):
            status = _status_of(source, record)
            if status in statuses:
                yield source, record, status


def merge_paper(
    records: Mapping[str, list[dict]], list_ids: Mapping[str, str], listed_venue: str | None
) -> tuple[Paper | None, dict[str, str]]:
    """One paper record from the sources' records, with per-field provenance."""
    provenance: dict[str, str] = {}
    title, source = _first(records, TITLE_ORDER, "title")
    if title is None:
        return None, provenance
    provenance["paper.title"] = source

    def pick(field_name: str, order: tuple[str, ...], key: str | None = None):
        value, src = _first(records, order, key or field_name)
        if value is not None:
            provenance[f"paper.{field_name}"] = src
        return value

    abstract = pick("abstract", ABSTRACT_ORDER)
    authors = pick("authors", AUTHOR_ORDER) or []

    status = venue = year = published = None
    status_source = None
    for src, record, given in _status_candidates(records):
        status, status_source = given, src
        provenance["paper.status"] = src
        if record.get("venue") and record["venue"].strip().lower() not in PREPRINT_VENUES:
            venue = record["venue"]
            provenance["paper.venue"] = src
        year, published = record.get("year"), record.get("published")
        break
    if venue is None:
        for src, record, _ in _status_candidates(records):
            v = record.get("venue")
            if src != status_source and v and v.strip().lower() not in PREPRINT_VENUES:
                venue = v
                provenance["paper.venue"] = src
                break
    if venue is None and listed_venue:
        venue = listed_venue
        provenance["paper.venue"] = "list"
    if year is not None:
        provenance["paper.year"] = status_source
    else:
        year = pick("year", DATE_ORDER)
    if published is not None:
        provenance["paper.published"] = status_source
    else:
        published = pick("published", DATE_ORDER)

    ids: dict[str, str | None] = {}
    for name, order in ID_ORDER.items():
        value = None
        for src in order:
            if src == "list":
                value = list_ids.get(name)
            else:
                value = next(
                    (r["ids"][name] for r in records.get(src, ()) if r.get("ids", {}).get(name)),
                    None,
                )
            if value:
                provenance[f"paper.ids.{name}"] = src
                break
        ids[name] = value

    landing = pick("urls.landing", LANDING_ORDER, "landing_url")
    pdf = pick("urls.pdf", PDF_ORDER, "pdf_url")
    citations = pick("citation_count", CITATION_ORDER)
    influential = None
    if provenance.get("paper.citation_count") == "semanticscholar":
        influential = pick("influential_citation_count", ("semanticscholar",))

    paper = Paper(
        title=title,
        abstract=abstract,
        authors=[Author(name=a) for a in authors],
        year=year,
        published=published,
        venue=venue,
        status=status,
        ids=PaperIds(**ids),
        urls=PaperUrls(landing=landing, pdf=pdf),
        citation_count=citations,
        influential_citation_count=influential,
    )
    return paper, provenance


def merge_repos(
    repos: list[tuple[str, dict[str, Any], str]],
) -> tuple[list[Repo], dict[str, str]]:
    """Repository records, one per canonical repository, in link order."""
    out: list[Repo] = []
    provenance: dict[str, str] = {}
    seen: set[str] = set()
    for requested, record, source in repos:
        full_name = record["full_name"]
        if full_name.lower() in seen:
            continue
        seen.add(full_name.lower())
        renamed = requested if requested.lower() != full_name.lower() else None
        fields = {k: record.get(k) for k in Repo.model_fields if k != "renamed_from"}
        fields["topics"] = record.get("topics") or []
        fields["archived"] = bool(record.get("archived"))
        out.append(Repo(**fields, renamed_from=renamed))
        provenance[f"repos.{full_name}"] = source
    return out, provenance


def build_entry(base: dict[str, Any], listed_venue: str | None, data: EntryInput) -> Entry:
    """A catalogue entry from the list's fields (``base``) and the merged source data."""
    paper, provenance = merge_paper(data.records, data.list_ids, listed_venue)
    repos, repo_provenance = merge_repos(data.repos)
    provenance.update(repo_provenance)
    stale = []
    for name, source in sorted(provenance.items()):
        if name.startswith("repos."):
            kept = data.stale_repos.get(name.removeprefix("repos.").lower())
        else:
            kept = data.stale_sources.get(source)
        if kept is not None:
            stale.append(StaleValue(field=name, since=kept[0], reason=kept[1]))
    return Entry(
        **base,
        paper=paper,
        repos=repos,
        provenance=dict(sorted(provenance.items())),
        stale=stale,
        errors=data.errors,
    )
