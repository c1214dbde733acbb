"""Building the :class:`~harvester.changes.records.Diff` of two catalogues (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .. import history as history_file
from .. import venues
from ..matching import link_ids, link_pairs
from ..models import Catalog, Entry, Paper, Repo, Summary
from ..sources import REGISTRY
from ..vocab import NOT_YET_PUBLISHED
from .records import (
    TOP_N,
    CountChange,
    Diff,
    EntriesLost,
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


_VENUE_STATUSES = ("accepted", "published")
_NOT_CONFIRMED = ("preprint", "under_review", "rejected", "withdrawn")


@dataclass(frozen=True)
class _VenueId:
    key: str
    kind: str
    year: int | None
    track: str | None


def venue_identity(paper: Paper | None) -> _VenueId | None:
    """The venue a paper record names, as the vocabulary knows it: its own ``venue_key`` and
    ``venue_year``, else (a catalogue written before those fields) its ``venue`` text matched."""
    if paper is None:
        return None
    vocab = venues.vocabulary().venues
    if paper.venue_key and paper.venue_key in vocab:
        return _VenueId(paper.venue_key, vocab[paper.venue_key].kind, paper.venue_year,
                        paper.track)
    found = venues.match(paper.venue) if paper.venue else None
    if found is None:
        return None
    return _VenueId(found.key, found.kind, found.year, found.track)


def _same_venue(listed: venues.VenueMatch, ident: _VenueId) -> bool:
    """The list's venue agrees with the sources': same venue, and for a conference the same
    year when both say one (a journal's print and online years may differ)."""
    if listed.key != ident.key:
        return False
    return (ident.kind != "conference" or listed.year is None or ident.year is None
            or listed.year == ident.year)


def list_finding(entry: Entry) -> ListOutdated | None:
    """Where the list's own venue text (``listed_venue``) and the sources disagree: one rule
    for the change report's attention items and for ``harvest suggest``.

    Compared through the venue vocabulary (``harvester.venues.match`` on the list's text against
    the paper's ``venue_key`` / ``venue_year``), never as raw strings:

    * ``out_of_date`` — the list calls the paper a preprint, says it was submitted, or names no
      venue, but a source says it was accepted or published;
    * ``other_venue`` — the list names another venue (or another year of a conference) than the
      one a source says accepted or published it;
    * ``unconfirmed`` — the list names a venue, but the sources say the paper is a preprint,
      under review, rejected or withdrawn.

    An unknown status, a status taken from the list itself, or list text the vocabulary cannot
    read next to a venue it knows is not flagged (nothing to compare)."""
    paper = entry.paper
    if paper is None or paper.status is None:
        return None
    source = entry.provenance.get("paper.status") or entry.provenance.get("paper.venue")
    if source == "list":
        return None
    text = " ".join((entry.listed_venue or "").split())
    listed = venues.match(text, "list", title=paper.title) if text else None
    said = f"the list says '{text}'" if text else "the list gives no venue"
    follows = "the catalogue follows the sources"
    status = paper.status

    def finding(kind: str, venue: str | None, message: str) -> ListOutdated:
        return ListOutdated(
            key=entry.key, name=entry.name, listed_venue=entry.listed_venue, status=status,
            venue=venue, year=paper.year, source=source, message=message, kind=kind,
            venue_key=paper.venue_key, venue_year=paper.venue_year,
            listed_key=listed.key if listed else None,
            listed_year=listed.year if listed else None)

    if paper.status in _NOT_CONFIRMED:
        if listed is None or listed.kind == "preprint" or listed.state is not None:
            return None
        if NOT_YET_PUBLISHED.search(text):
            return None  # "ICLR 2025 (under review)" says what the sources say
        now = paper.status.replace("_", " ")
        if paper.venue and paper.status != "preprint":
            now += f" at {paper.venue}"
        elif paper.venue:
            now += f" on {paper.venue}"
        message = (f"{entry.name}: {said} but no source confirms it ({source_label(source)} "
                   f"says {now}) — {follows}; check the list?")
        return finding("unconfirmed", paper.venue, message)

    venue = paper.venue
    if venue and NOT_YET_PUBLISHED.search(venue):
        venue = None
    ident = venue_identity(paper)
    preprint_text = (not text or bool(NOT_YET_PUBLISHED.search(text))
                     or (listed is not None and (listed.kind == "preprint"
                                                 or listed.state is not None)))
    if preprint_text:
        kind = "out_of_date"
    elif listed is None or ident is None or _same_venue(listed, ident):
        return None
    else:
        kind = "other_venue"
    where: str = paper.status
    if venue:
        where += (" at " if paper.status == "accepted" else " in ") + venue
    if paper.year and not (venue and str(paper.year) in venue):
        where += f" ({paper.year})"
    message = (f"{entry.name}: {said} but {source_label(source)} says {where} — {follows}; "
               "update the list?")
    return finding(kind, venue, message)


def _same_finding(before: ListOutdated | None, after: ListOutdated) -> bool:
    """The previous catalogue already reported this (an attention item is said once)."""
    if before is None:
        return False
    return ((before.kind, before.listed_venue, before.status, before.venue)
            == (after.kind, after.listed_venue, after.status, after.venue))


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
    names = _repo_names(repo)
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
        if suggestion and not _same_finding(list_finding(o), suggestion):
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
