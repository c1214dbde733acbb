"""Building the :class:`~harvester.changes.records.Diff` of two catalogues (pure).

Entries and repositories are paired in :mod:`~harvester.changes.matching`; the list-findings
rule is in :mod:`~harvester.changes.findings`."""

from __future__ import annotations

from collections.abc import Sequence

from .. import history as history_file
from .. import venues
from ..models import Catalog, Entry, Paper, Repo, Summary
from ..sources import REGISTRY
from .findings import list_finding, same_finding, source_label, venue_identity
from .matching import match_entries, match_repos, repo_names
from .records import (
    TOP_N,
    CountChange,
    Diff,
    EntriesLost,
    EntryRef,
    EntryRenamed,
    NewError,
    NewStale,
    PaperChange,
    RepoEvent,
    RepoRenamed,
    SummaryChange,
)

__all__ = ["diff_catalogs", "entries_lost", "list_finding", "match_entries", "source_label",
           "venue_identity"]


def entries_lost(old: Catalog | None, new: Catalog) -> EntriesLost | None:
    """The two summaries' entry counts when the list lost more than half of its entries."""
    if old is None:
        return None
    before, after = old.summary.entries, new.summary.entries
    if before > 0 and 2 * (before - after) > before:
        return EntriesLost(before, after)
    return None


def _venue_changed(old: Paper | None, new: Paper | None) -> bool:
    """A venue change worth reporting: another venue, year or track as the vocabulary reads
    them — not a new spelling of the same one ("NeurIPS 2024 Poster" → "NeurIPS 2024")."""
    before, after = venue_identity(old), venue_identity(new)
    if before is not None and after is not None:
        return (before.key, before.year, before.track) != (after.key, after.year, after.track)
    def tidy(paper: Paper | None) -> str | None:
        return venues.tidy(paper.venue) if paper is not None and paper.venue else None
    return tidy(old) != tidy(new)


def _repo_gone_detail(entry: Entry | None, repo: Repo) -> str:
    if entry is None:
        return "no longer in the catalogue"
    names = repo_names(repo)
    repo_sources = {spec.name for spec in REGISTRY.values() if spec.role == "repos"}
    for err in entry.errors:
        if err.source in repo_sources and err.ref.lower() in names:
            return f"GitHub: {err.kind.replace('_', ' ')}"
    linked = {link.id.lower() for link in entry.links if link.kind == "github" and link.id}
    if linked & names:
        return "linked from the list, but GitHub returned no record"
    return "no longer linked from the list"


def diff_catalogs(old: Catalog | None, new: Catalog,
                  history: Sequence[history_file.Snapshot] | None = None) -> Diff:
    """Everything that changed from ``old`` (``None``: first run) to ``new``.

    ``history``: the snapshots of ``history.jsonl`` beside ``new`` (``history.read_history``),
    for the trend lines; none when it is missing or short."""
    diff = Diff(first_run=old is None)
    diff.entries_lost = entries_lost(old, new)
    if history:
        names = {entry.key: entry.name for entry in new.entries}
        diff.trends = [line.removeprefix("- ")
                       for line in history_file.describe_trends(list(history), names=names)]
    old_entries = old.entries if old is not None else []
    pairs = match_entries(old_entries, new.entries)

    # Repositories anywhere in the new catalogue: a repository that moved to another entry is
    # not gone.
    new_repo_names: set[str] = set()
    for entry in new.entries:
        for repo in entry.repos:
            new_repo_names |= repo_names(repo)

    seen_repos: dict[str, set[str]] = {
        "archived": set(),
        "renamed": set(),
        "gone": set(),
        "stars": set(),
    }
    star_changes: list[CountChange] = []
    citation_changes: list[CountChange] = []

    def once(kind: str, name: str) -> bool:
        key = name.lower()
        if key in seen_repos[kind]:
            return False
        seen_repos[kind].add(key)
        return True

    for o, n in pairs:
        if n is None:
            assert o is not None
            diff.removed.append(EntryRef(o.key, o.name, list(o.section)))
            continue
        if o is None:
            if old is not None:
                diff.added.append(EntryRef(n.key, n.name, list(n.section)))
            suggestion = list_finding(n)
            if suggestion:
                diff.list_outdated.append(suggestion)
            diff.new_stale.extend(
                NewStale(n.key, n.name, s.field, s.reason, s.since) for s in n.stale
            )
            diff.new_errors.extend(
                NewError(n.key, n.name, e.source, e.ref, e.kind, e.message) for e in n.errors
            )
            continue

        if o.key != n.key:
            diff.renamed.append(EntryRenamed(o.key, n.key, o.name, n.name))

        # Paper: venue and status, and whether the list's text went out of date.
        for name in ("status", "venue"):
            before = getattr(o.paper, name) if o.paper else None
            after = getattr(n.paper, name) if n.paper else None
            changed = (_venue_changed(o.paper, n.paper) if name == "venue"
                       else before != after)
            if changed:
                diff.paper_changes.append(
                    PaperChange(
                        n.key, n.name, name, before, after, n.provenance.get(f"paper.{name}")
                    )
                )
        suggestion = list_finding(n)
        if suggestion and not same_finding(list_finding(o), suggestion):
            diff.list_outdated.append(suggestion)
        if (
            o.paper
            and n.paper
            and o.paper.citation_count is not None
            and n.paper.citation_count is not None
            and o.paper.citation_count != n.paper.citation_count
        ):
            citation_changes.append(
                CountChange(
                    n.key,
                    n.name,
                    n.paper.title,
                    o.paper.citation_count,
                    n.paper.citation_count,
                    n.paper.citation_count - o.paper.citation_count,
                )
            )

        # Repositories.
        for old_repo, new_repo in match_repos(o.repos, n.repos):
            if new_repo is None:
                if not (repo_names(old_repo) & new_repo_names) and once(
                    "gone", old_repo.full_name
                ):
                    diff.repos_gone.append(
                        RepoEvent(n.key, n.name, old_repo.full_name, _repo_gone_detail(n, old_repo))
                    )
                continue
            if new_repo.archived and not old_repo.archived and once("archived", new_repo.full_name):
                diff.repos_archived.append(RepoEvent(n.key, n.name, new_repo.full_name))
            renamed_now = new_repo.renamed_from and not old_repo.renamed_from
            if (new_repo.full_name != old_repo.full_name or renamed_now) and once(
                "renamed", new_repo.full_name
            ):
                before = (
                    old_repo.full_name
                    if new_repo.full_name != old_repo.full_name
                    else new_repo.renamed_from
                )
                diff.repos_renamed.append(
                    RepoRenamed(n.key, n.name, before or "", new_repo.full_name)
                )
            if new_repo.stars != old_repo.stars and once("stars", new_repo.full_name):
                star_changes.append(
                    CountChange(
                        n.key,
                        n.name,
                        new_repo.full_name,
                        old_repo.stars,
                        new_repo.stars,
                        new_repo.stars - old_repo.stars,
                    )
                )

        # New stale values and errors (not present for this entry before).
        old_stale = {s.field for s in o.stale}
        diff.new_stale.extend(
            NewStale(n.key, n.name, s.field, s.reason, s.since)
            for s in n.stale
            if s.field not in old_stale
        )
        old_errors = {(e.source, e.ref, e.kind) for e in o.errors}
        diff.new_errors.extend(
            NewError(n.key, n.name, e.source, e.ref, e.kind, e.message)
            for e in n.errors
            if (e.source, e.ref, e.kind) not in old_errors
        )

    def top(changes: list[CountChange]) -> list[CountChange]:
        return sorted(changes, key=lambda c: (-abs(c.delta), c.subject.lower()))[:TOP_N]

    diff.star_changes = top(star_changes)
    diff.stars_delta = sum(c.delta for c in star_changes)
    diff.stars_repos_changed = len(star_changes)
    diff.citation_changes = top(citation_changes)
    diff.citations_delta = sum(c.delta for c in citation_changes)
    diff.citations_papers_changed = len(citation_changes)

    for name in Summary.model_fields:
        before = getattr(old.summary, name) if old is not None else None
        diff.summary.append(SummaryChange(name, before, getattr(new.summary, name)))
    return diff
