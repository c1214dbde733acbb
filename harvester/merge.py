"""Merging what the sources said about one entry into one catalogue entry (pure, no I/O).

One paper reached through several links (arXiv + OpenReview + bioRxiv + S2) is one ``paper``
record. Each field comes from the first source in its precedence order that knows it, and
``provenance`` names that source. Venue and status follow DESIGN.md: the OpenReview decision,
then a journal or proceedings record (Crossref, NeurIPS), then arXiv's journal_ref/comment, then
Semantic Scholar, then the preprint servers, then the list's own text (venue only).
Citation counts come from Semantic Scholar, else OpenAlex; they are never added together.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeGuard, get_args

from .models import (
    Entry,
    EntryError,
    Paper,
    PaperIds,
    Repo,
    StaleValue,
    Status,
)
from .sources import REGISTRY
from .venues import resolve_venue

if TYPE_CHECKING:
    from .sources.spec import SourceSpec

LIST = "list"
"""The list's own links, the last word on a paper's ids (``EntryInput.list_ids``)."""
PAPER_ID_FIELDS = tuple(PaperIds.model_fields)


@dataclass(frozen=True)
class Precedence:
    """Who wins each field: the sources' declared ranks (``SourceSpec.fields``/``statuses``)."""

    orders: dict[str, tuple[str, ...]]
    """Catalogue field → sources that know it, strongest first."""
    status_tiers: tuple[tuple[str, tuple[str, ...]], ...]
    """(source, statuses it decides), strongest first."""
    status_of: dict[str, Callable[[dict[str, Any]], str | None]]

    def order(self, name: str) -> tuple[str, ...]:
        return self.orders.get(name, ())

    @cached_property
    def id_orders(self) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
        """(id name, its provenance field, the sources that know it) for every paper id."""
        return tuple((name, f"paper.ids.{name}", self.order(f"paper.ids.{name}"))
                     for name in PAPER_ID_FIELDS)


def precedence(specs: Iterable[SourceSpec]) -> Precedence:
    """The precedence tables of the given sources (ties: registration order)."""
    specs = list(specs)
    ranked: dict[str, list[tuple[int, int, str]]] = {}
    tiers: list[tuple[int, int, str, tuple[str, ...]]] = []
    for index, spec in enumerate(specs):
        for name, rank in spec.fields.items():
            ranked.setdefault(name, []).append((rank, index, spec.name))
        for rank, statuses in spec.statuses:
            tiers.append((rank, index, spec.name, statuses))
    orders = {name: tuple(source for *_, source in sorted(items)) for name, items in ranked.items()}
    return Precedence(
        orders=orders,
        status_tiers=tuple((source, statuses) for _, _, source, statuses in sorted(tiers)),
        status_of={spec.name: spec.status_of for spec in specs if spec.status_of is not None},
    )


_memo: list[tuple[tuple[SourceSpec, ...], Precedence]] = []


def registered() -> Precedence:
    """The precedence of the registered sources (recomputed when the registry changes)."""
    specs = tuple(REGISTRY.values())
    if not _memo or _memo[0][0] != specs:
        _memo[:] = [(specs, precedence(specs))]
    return _memo[0][1]


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


def _first(
    records: Mapping[str, list[dict[str, Any]]], order: tuple[str, ...], key: str
) -> tuple[Any, str | None]:
    for source in order:
        for record in records.get(source, ()):
            value = record.get(key)
            if value not in (None, "", []):
                return value, source
    return None, None


_NO_IDS: Mapping[str, str] = MappingProxyType({})


def _first_id(
    records: Mapping[str, list[dict[str, Any]]], order: tuple[str, ...], name: str
) -> tuple[str | None, str | None]:
    for source in order:
        for record in records.get(source, ()):
            value = record.get("ids", _NO_IDS).get(name)
            if value:
                return value, source
    return None, None


_STATUSES = frozenset(get_args(Status))


def _is_status(value: object) -> TypeGuard[Status]:
    return value in _STATUSES


def _status_candidates(
    records: Mapping[str, list[dict[str, Any]]], rules: Precedence
) -> Iterator[tuple[str, dict[str, Any], Status]]:
    """Records able to speak to venue/status, strongest first, with the status they give."""
    for source, statuses in rules.status_tiers:
        if source not in records:
            continue
        status_of = rules.status_of.get(source)
        for record in records[source]:
            status = status_of(record) if status_of else record.get("status")
            if status in statuses and _is_status(status):
                yield source, record, status


def merge_paper(
    records: Mapping[str, list[dict[str, Any]]],
    list_ids: Mapping[str, str],
    rules: Precedence | None = None,
) -> tuple[Paper | None, dict[str, str]]:
    """One paper record from the sources' records, with per-field provenance."""
    rules = rules or registered()
    provenance: dict[str, str] = {}
    title, source = _first(records, rules.order("paper.title"), "title")
    if title is None or source is None:
        return None, provenance
    provenance["paper.title"] = source

    def pick(name: str, key: str, order: tuple[str, ...] | None = None) -> Any:
        """The first value of ``key`` in the order of catalogue field ``name``."""
        value, src = _first(records, rules.order(name) if order is None else order, key)
        if src is not None:
            provenance[name] = src
        return value

    abstract = pick("paper.abstract", "abstract")
    authors = pick("paper.authors", "authors") or []

    # status: the strongest tier that has one; venue, its year, track and presentation: the
    # vocabulary's reading of the records that speak to that status (harvester.venues); never
    # the list's own text, which stays in ``listed_venue``
    candidates = list(_status_candidates(records, rules))
    status = status_source = published = None
    if candidates:
        status_source, first, status = candidates[0]
        provenance["paper.status"] = status_source
        published = first.get("published")
    venue = resolve_venue(candidates, records=records, title=title)
    provenance.update(venue.provenance)
    year = venue.year if venue.year is not None else pick("paper.year", "year")
    if published is not None and status_source is not None:
        provenance["paper.published"] = status_source
    else:
        published = pick("paper.published", "published")

    ids: dict[str, str | None] = {}
    for name, id_field, order in rules.id_orders:
        value, by = _first_id(records, order, name)
        if by is None:  # the list's own link, the last word
            value = list_ids.get(name)
            by = LIST if value else None
        if by is not None:
            provenance[id_field] = by
        ids[name] = value

    landing = pick("paper.urls.landing", "landing_url")
    pdf = pick("paper.urls.pdf", "pdf_url")
    citations = pick("paper.citation_count", "citation_count")
    # the influential count only from the source that gave the count itself
    influential = None
    counted_by = provenance.get("paper.citation_count")
    if counted_by in rules.order("paper.influential_citation_count"):
        influential = pick("paper.influential_citation_count", "influential_citation_count",
                           order=(counted_by,))

    # one validation of the whole paper (its authors, ids and urls as plain values)
    paper = Paper.model_validate({
        "title": title,
        "abstract": abstract,
        "authors": [{"name": a} for a in authors],
        "year": year,
        "published": published,
        "venue": venue.venue,
        "venue_key": venue.venue_key,
        "venue_year": venue.venue_year,
        "track": venue.track,
        "presentation": venue.presentation,
        "status": status,
        "ids": ids,
        "urls": {"landing": landing, "pdf": pdf},
        "citation_count": citations,
        "influential_citation_count": influential,
    })
    return paper, provenance


_REPO_FIELDS = tuple(name for name in Repo.model_fields if name != "renamed_from")


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
        fields = {k: record.get(k) for k in _REPO_FIELDS}
        fields["topics"] = record.get("topics") or []
        fields["archived"] = bool(record.get("archived"))
        out.append(Repo.model_validate({**fields, "renamed_from": renamed}))
        provenance[f"repos.{full_name}"] = source
    return out, provenance


def build_entry(base: dict[str, Any], data: EntryInput) -> Entry:
    """A catalogue entry from the list's fields (``base``) and the merged source data."""
    paper, provenance = merge_paper(data.records, data.list_ids)
    repos, repo_provenance = merge_repos(data.repos)
    provenance.update(repo_provenance)
    ordered = sorted(provenance.items())
    stale = []
    if data.stale_sources or data.stale_repos:  # else nothing is a kept value
        for name, source in ordered:
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
        provenance=dict(ordered),
        stale=stale,
        errors=data.errors,
    )
