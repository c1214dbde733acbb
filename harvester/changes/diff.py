"""Building the :class:`~harvester.changes.records.Diff` of two catalogues (pure)."""

from __future__ import annotations

from typing import Any

from ..matching import link_ids, link_pairs
from ..models import Catalog, Entry, Repo, Summary
from ..sources import REGISTRY
from ..vocab import NOT_YET_PUBLISHED
from .records import (
    TOP_N,
    CountChange,
    Diff,
    EntryRef,
    EntryRenamed,
    ListOutdated,
    NewError,
    NewStale,
    PaperChange,
    RepoEvent,
    RepoRenamed,
    SummaryChange,
)


def source_label(source: str | None) -> str:
    """How a sentence names a source ("the NeurIPS proceedings")."""
    if not source:
        return "a source"
    if source == "list":
        return "the list"
    spec = REGISTRY.get(source)
    if spec is None:
        return source
    return spec.report_label or spec.label


# --------------------------------------------------------------------------- matching


def _link_ids(entry: Entry) -> tuple[set[str], set[str]]:
    """(paper ids, repository ids) named by the entry's links, case-folded."""
    return link_ids(link_pairs(entry.links))


def match_entries(old: list[Entry], new: list[Entry]) -> list[tuple[Entry | None, Entry | None]]:
    """Pairs (old, new): matched by key, then by a shared link id; unmatched on either side
    paired with ``None``. New entries keep list order; removed ones come last, in old order."""
    old_by_key: dict[str, int] = {}
    for i, entry in enumerate(old):
        old_by_key.setdefault(entry.key, i)
    pairs: list[list[Any]] = []
    used: set[int] = set()
    for entry in new:
        found = old_by_key.get(entry.key)
        if found is not None and found not in used:
            used.add(found)
            pairs.append([found, entry])
        else:
            pairs.append([None, entry])

    # Fallback for unmatched entries: a shared link id (paper ids weigh more than repos, which
    # a toolbox may share with several papers).
    index: dict[str, list[int]] = {}
    old_ids = {}
    for i, entry in enumerate(old):
        if i in used:
            continue
        old_ids[i] = _link_ids(entry)
        for ident in old_ids[i][0] | old_ids[i][1]:
            index.setdefault(ident, []).append(i)
    if index:
        for pair in pairs:
            if pair[0] is not None:
                continue
            papers, repos = _link_ids(pair[1])
            candidates = {
                i for ident in papers | repos for i in index.get(ident, ()) if i not in used
            }
            if not candidates:
                continue

            def score(i: int, papers: set[str] = papers,
                      repos: set[str] = repos) -> tuple[int, int, int]:
                return (len(papers & old_ids[i][0]), len(repos & old_ids[i][1]), -i)

            best = max(candidates, key=score)
            used.add(best)
            pair[0] = best
    result: list[tuple[Entry | None, Entry | None]] = [
        (old[i] if i is not None else None, entry) for i, entry in pairs
    ]
    result.extend((entry, None) for i, entry in enumerate(old) if i not in used)
    return result


def _repo_names(repo: Repo) -> set[str]:
    names = {repo.full_name.lower()}
    if repo.renamed_from:
        names.add(repo.renamed_from.lower())
    return names


def _match_repos(old: list[Repo], new: list[Repo]) -> list[tuple[Repo, Repo | None]]:
    """Each old repository with its new record (same name, or linked through ``renamed_from``)."""
    out: list[tuple[Repo, Repo | None]] = []
    taken: set[int] = set()
    for o in old:
        names = _repo_names(o)
        found = None
        for j, n in enumerate(new):
            if j not in taken and n.full_name.lower() == o.full_name.lower():
                found = j
                break
        if found is None:
            for j, n in enumerate(new):
                if j not in taken and _repo_names(n) & names:
                    found = j
                    break
        if found is not None:
            taken.add(found)
        out.append((o, new[found] if found is not None else None))
    return out


# --------------------------------------------------------------------------- the diff


def _is_preprint_text(listed_venue: str | None) -> bool:
    return not (listed_venue and listed_venue.strip()) or bool(
        NOT_YET_PUBLISHED.search(listed_venue)
    )


def _list_outdated(entry: Entry) -> ListOutdated | None:
    """A suggestion when the list calls the paper a preprint (or gives no venue) but a source
    says it is accepted or published."""
    paper = entry.paper
    if paper is None or paper.status not in ("accepted", "published"):
        return None
    if not _is_preprint_text(entry.listed_venue):
        return None
    source = entry.provenance.get("paper.status") or entry.provenance.get("paper.venue")
    if source == "list":
        return None
    venue = paper.venue
    if venue and NOT_YET_PUBLISHED.search(venue):
        venue = None
    where: str = paper.status
    if venue:
        where += (" at " if paper.status == "accepted" else " in ") + venue
    if paper.year and not (venue and str(paper.year) in venue):
        where += f" ({paper.year})"
    said = (
        f"the list says '{entry.listed_venue.strip()}'"
        if entry.listed_venue and entry.listed_venue.strip()
        else "the list gives no venue"
    )
    message = f"{entry.name}: {said} but {source_label(source)} says {where} — update the list?"
    return ListOutdated(
        key=entry.key,
        name=entry.name,
        listed_venue=entry.listed_venue,
        status=paper.status,
        venue=venue,
        year=paper.year,
        source=source,
        message=message,
    )


def _repo_gone_detail(entry: Entry | None, repo: Repo) -> str:
    if entry is None:
        return "no longer in the catalogue"
    names = _repo_names(repo)
    repo_sources = {spec.name for spec in REGISTRY.values() if spec.role == "repos"}
    for err in entry.errors:
        if err.source in repo_sources and err.ref.lower() in names:
            return f"GitHub: {err.kind.replace('_', ' ')}"
    linked = {link.id.lower() for link in entry.links if link.kind == "github" and link.id}
    if linked & names:
        return "linked from the list, but GitHub returned no record"
    return "no longer linked from the list"


def diff_catalogs(old: Catalog | None, new: Catalog) -> Diff:
    """Everything that changed from ``old`` (``None``: first run) to ``new``."""
    diff = Diff(first_run=old is None)
    old_entries = old.entries if old is not None else []
    pairs = match_entries(old_entries, new.entries)

    # Repositories anywhere in the new catalogue: a repository that moved to another entry is
    # not gone.
    new_repo_names: set[str] = set()
    for entry in new.entries:
        for repo in entry.repos:
            new_repo_names |= _repo_names(repo)

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
            suggestion = _list_outdated(n)
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
            if before != after:
                diff.paper_changes.append(
                    PaperChange(
                        n.key, n.name, name, before, after, n.provenance.get(f"paper.{name}")
                    )
                )
        suggestion = _list_outdated(n)
        if suggestion and _list_outdated(o) is None:
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
        for old_repo, new_repo in _match_repos(o.repos, n.repos):
            if new_repo is None:
                if not (_repo_names(old_repo) & new_repo_names) and once(
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
