"""What changed between two catalogues: ``harvest diff``, job summaries and commit messages.

Everything here is a pure function of two :class:`~harvester.models.Catalog` objects (the old one
may be ``None``: the first run). :func:`diff_catalogs` builds a :class:`Diff` (plain dataclasses,
JSON-able through :meth:`Diff.to_dict`), :func:`render_markdown` turns it into Markdown readable
both as a GitHub job summary and as a commit body, and :func:`headline` gives a one-line subject.

Entries are matched by ``key``; an entry whose key changed (the list renamed it) is matched to the
old entry it shares a link id with, so it is reported as renamed rather than removed + added.
"Attention" items are the ones the maintainer should act on in the list itself: its venue text is
out of date, a repository was archived or is gone, or a listed id is dead (``not_found``).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from .models import Catalog, Entry, Repo, Summary

TOP_N = 10
"""How many star and citation changes are listed (largest absolute change first)."""
MAX_ITEMS = 50
"""How many items a Markdown section lists before it says "… and N more"."""
HEADLINE_WIDTH = 80
"""A headline stops adding parts beyond this width (it always keeps its first part)."""

SOURCE_LABELS = {
    "arxiv": "arXiv",
    "openreview": "OpenReview",
    "biorxiv": "bioRxiv",
    "crossref": "Crossref",
    "neurips": "the NeurIPS proceedings",
    "semanticscholar": "Semantic Scholar",
    "openalex": "OpenAlex",
    "github": "GitHub",
    "list": "the list",
}

_PREPRINT_TEXT = re.compile(
    r"\b(pre-?prints?|arxiv|biorxiv|medrxiv|chemrxiv|psyarxiv|ssrn|research\s+square|"
    r"under\s+review|submitted|in\s+submission)\b",
    re.IGNORECASE,
)
_PAPER_LINK_KINDS = ("arxiv", "openreview", "doi", "biorxiv", "proceedings", "pubmed")


# --------------------------------------------------------------------------- the Diff records


@dataclass(frozen=True)
class EntryRef:
    key: str
    name: str
    section: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class EntryRenamed:
    old_key: str
    new_key: str
    old_name: str
    new_name: str


@dataclass(frozen=True)
class PaperChange:
    key: str
    name: str
    field: str
    """``venue`` or ``status``."""
    old: str | None
    new: str | None
    source: str | None
    """Where the new value came from (the entry's provenance), if known."""


@dataclass(frozen=True)
class ListOutdated:
    """The list's own venue text no longer matches what the sources say."""

    key: str
    name: str
    listed_venue: str | None
    status: str
    venue: str | None
    year: int | None
    source: str | None
    message: str


@dataclass(frozen=True)
class RepoEvent:
    key: str
    name: str
    repo: str
    detail: str | None = None
    """For a repository gone: why, as far as the new catalogue tells."""


@dataclass(frozen=True)
class RepoRenamed:
    key: str
    name: str
    old: str
    new: str


@dataclass(frozen=True)
class CountChange:
    key: str
    name: str
    subject: str
    """The repository's ``owner/name`` for stars, the paper's title for citations."""
    old: int
    new: int
    delta: int


@dataclass(frozen=True)
class NewStale:
    key: str
    name: str
    field: str
    reason: str
    since: str | None = None


@dataclass(frozen=True)
class NewError:
    key: str
    name: str
    source: str
    ref: str
    kind: str
    message: str


@dataclass(frozen=True)
class SummaryChange:
    field: str
    old: int | None
    new: int


@dataclass
class Diff:
    first_run: bool
    added: list[EntryRef] = field(default_factory=list)
    removed: list[EntryRef] = field(default_factory=list)
    renamed: list[EntryRenamed] = field(default_factory=list)
    paper_changes: list[PaperChange] = field(default_factory=list)
    list_outdated: list[ListOutdated] = field(default_factory=list)
    repos_archived: list[RepoEvent] = field(default_factory=list)
    repos_renamed: list[RepoRenamed] = field(default_factory=list)
    repos_gone: list[RepoEvent] = field(default_factory=list)
    star_changes: list[CountChange] = field(default_factory=list)
    """The largest ones only (``TOP_N``); the totals below count them all."""
    stars_delta: int = 0
    stars_repos_changed: int = 0
    citation_changes: list[CountChange] = field(default_factory=list)
    """The largest ones only (``TOP_N``); the totals below count them all."""
    citations_delta: int = 0
    citations_papers_changed: int = 0
    new_stale: list[NewStale] = field(default_factory=list)
    new_errors: list[NewError] = field(default_factory=list)
    summary: list[SummaryChange] = field(default_factory=list)
    """Every summary number, old → new (old is ``None`` on a first run)."""

    @property
    def status_changes(self) -> list[PaperChange]:
        return [c for c in self.paper_changes if c.field == "status"]

    @property
    def venue_changes(self) -> list[PaperChange]:
        return [c for c in self.paper_changes if c.field == "venue"]

    @property
    def dead_ids(self) -> list[NewError]:
        """New ``not_found`` errors: ids in the list that the source does not know."""
        return [e for e in self.new_errors if e.kind == "not_found"]

    def summary_changed(self) -> bool:
        return any(s.old != s.new for s in self.summary)

    def is_empty(self) -> bool:
        """True when nothing at all changed (a first run is never empty)."""
        if self.first_run:
            return False
        return not (
            self.added
            or self.removed
            or self.renamed
            or self.paper_changes
            or self.list_outdated
            or self.repos_archived
            or self.repos_renamed
            or self.repos_gone
            or self.stars_repos_changed
            or self.citations_papers_changed
            or self.new_stale
            or self.new_errors
            or self.summary_changed()
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able data (the dataclass fields, plus ``headline`` and ``empty``)."""
        data = asdict(self)
        data["headline"] = headline(self)
        data["empty"] = self.is_empty()
        return data


# --------------------------------------------------------------------------- matching


def _link_ids(entry: Entry) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """(paper ids, repository ids) named by the entry's links, case-folded."""
    papers: set[tuple[str, str]] = set()
    repos: set[tuple[str, str]] = set()
    for link in entry.links:
        if not link.id:
            continue
        ident = (link.kind, link.id.lower())
        if link.kind == "github":
            repos.add(ident)
        elif link.kind in _PAPER_LINK_KINDS:
            papers.add(ident)
    return papers, repos


def match_entries(old: list[Entry], new: list[Entry]) -> list[tuple[Entry | None, Entry | None]]:
    """Pairs (old, new): matched by key, then by a shared link id; unmatched on either side
    paired with ``None``. New entries keep list order; removed ones come last, in old order."""
    old_by_key: dict[str, int] = {}
    for i, entry in enumerate(old):
        old_by_key.setdefault(entry.key, i)
    pairs: list[list[Any]] = []
    used: set[int] = set()
    for entry in new:
        i = old_by_key.get(entry.key)
        if i is not None and i not in used:
            used.add(i)
            pairs.append([i, entry])
        else:
            pairs.append([None, entry])

    # Fallback for unmatched entries: a shared link id (paper ids weigh more than repos, which
    # a toolbox may share with several papers).
    index: dict[tuple[str, str], list[int]] = {}
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

            def score(i: int, papers=papers, repos=repos) -> tuple[int, int, int]:
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
    return not (listed_venue and listed_venue.strip()) or bool(_PREPRINT_TEXT.search(listed_venue))


def _source_label(source: str | None) -> str:
    if not source:
        return "a source"
    return SOURCE_LABELS.get(source, source)


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
    if venue and _PREPRINT_TEXT.search(venue):
        venue = None
    where = paper.status
    if venue:
        where += (" at " if paper.status == "accepted" else " in ") + venue
    if paper.year and not (venue and str(paper.year) in venue):
        where += f" ({paper.year})"
    said = (
        f"the list says '{entry.listed_venue.strip()}'"
        if entry.listed_venue and entry.listed_venue.strip()
        else "the list gives no venue"
    )
    message = f"{entry.name}: {said} but {_source_label(source)} says {where} — update the list?"
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
    for err in entry.errors:
        if err.source == "github" and err.ref.lower() in names:
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


# --------------------------------------------------------------------------- headline


def _plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n} {word if n == 1 else (words or word + 's')}"


def headline(diff: Diff) -> str:
    """One line for a commit subject, e.g. ``3 entries added, 2 status changes, stars +154
    across 4 repos``."""
    if diff.first_run:
        numbers = {s.field: s.new for s in diff.summary}
        parts = [
            f"first catalogue: {_plural(numbers.get('entries', 0), 'entry', 'entries')}",
            _plural(numbers.get("papers", 0), "paper"),
            _plural(numbers.get("repos", 0), "repo"),
        ]
        if numbers.get("errors"):
            parts.append(_plural(numbers["errors"], "error"))
        return ", ".join(parts)
    stars = citations = None
    if diff.stars_repos_changed:
        stars = (f"stars {diff.stars_delta:+d} across "
                 f"{_plural(diff.stars_repos_changed, 'repo')}")
    if diff.citations_papers_changed:
        citations = (f"citations {diff.citations_delta:+d} across "
                     f"{_plural(diff.citations_papers_changed, 'paper')}")
    # Most telling first: a subject line keeps only what fits.
    candidates: list[tuple[int, str, str | None] | str | None] = [
        (len(diff.added), "entry added", "entries added"),
        (len(diff.removed), "entry removed", "entries removed"),
        (len(diff.status_changes), "status change", None),
        stars,
        (len(diff.repos_archived), "repo archived", "repos archived"),
        (len(diff.repos_gone), "repo gone", "repos gone"),
        (len(diff.dead_ids), "dead id", None),
        (len(diff.list_outdated), "list text out of date", "list texts out of date"),
        (len(diff.renamed), "entry renamed", "entries renamed"),
        (len(diff.venue_changes), "venue change", None),
        (len(diff.repos_renamed), "repo renamed", "repos renamed"),
        citations,
        (len(diff.new_errors) - len(diff.dead_ids), "new error", None),
        (len(diff.new_stale), "new stale value", None),
    ]
    parts: list[str] = []
    for item in candidates:
        if isinstance(item, str):
            parts.append(item)
        elif item is not None and item[0]:
            parts.append(_plural(*item))
    if not parts:
        changed = [s for s in diff.summary if s.old != s.new]
        if not changed:
            return "no changes"
        return (
            "catalogue updated ("
            + ", ".join(f"{s.field.replace('_', ' ')} {s.old} → {s.new}" for s in changed[:2])
            + ")"
        )
    line = parts[0]
    for i, part in enumerate(parts[1:], start=1):
        if len(line) + 2 + len(part) > HEADLINE_WIDTH:
            return line + f" and {len(parts) - i} more"
        line += ", " + part
    return line


# --------------------------------------------------------------------------- Markdown

# Underscores inside a word (``rate_limited``) never start emphasis: left alone for readability.
_MD_SPECIAL = re.compile(r"([\\`*\[\]<>|]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9]))")


def _md(text: str | None) -> str:
    """Inline text, Markdown-escaped, on one line."""
    if text is None:
        return "—"
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _code(text: str) -> str:
    text = " ".join(text.split())
    fence = "``" if "`" in text else "`"
    return f"{fence} {text} {fence}" if fence == "``" else f"`{text}`"


def _cell(code: str) -> str:
    """A code span in a table cell: pipes must be escaped even there."""
    return code.replace("|", "\\|")


def _who(key: str, name: str) -> str:
    return f"**{_md(name)}**" if name else _code(key)


def _value(value: str | None) -> str:
    return "—" if value is None else _md(value)


def _bullets(items: list[str]) -> list[str]:
    lines = [f"- {item}" for item in items[:MAX_ITEMS]]
    if len(items) > MAX_ITEMS:
        lines.append(f"- … and {len(items) - MAX_ITEMS} more")
    return lines


def _count_table(
    title: str, changes: list[CountChange], total: int, delta: int, what: str, subject_is_code: bool
) -> list[str]:
    shown = "" if total <= len(changes) else f" (largest {len(changes)} of {total})"
    whats = what[:-1] + "ies" if what.endswith("y") else None
    lines = [
        f"## {title}{shown}",
        "",
        f"Net {delta:+d} across {_plural(total, what, whats)}.",
        "",
        f"| {what} | entry | old | new | change |",
        "|---|---|---:|---:|---:|",
    ]
    for c in changes:
        subject = _cell(_code(c.subject)) if subject_is_code else _md(c.subject)
        lines.append(f"| {subject} | {_md(c.name)} | {c.old} | {c.new} | {c.delta:+d} |")
    return [*lines, ""]


def render_markdown(diff: Diff) -> str:
    """The diff as Markdown: a title line, then only the non-empty sections, "Attention" first."""
    line = headline(diff)
    out = ["# Catalogue changes", "", _md(line[:1].upper() + line[1:]) + ".", ""]
    if diff.is_empty():
        return "\n".join(out)

    def section(title: str, items: list[str]) -> None:
        if items:
            out.extend([f"## {title} ({len(items)})", "", *_bullets(items), ""])

    attention = [
        f"{_who(s.key, s.name)}: " + _md(s.message[len(s.name) + 2:]) for s in diff.list_outdated
    ]
    attention += [
        f"{_who(r.key, r.name)}: repository {_code(r.repo)} was archived"
        for r in diff.repos_archived
    ]
    attention += [
        f"{_who(r.key, r.name)}: repository {_code(r.repo)} is gone"
        + (f" ({_md(r.detail)})" if r.detail else "")
        for r in diff.repos_gone
    ]
    attention += [
        f"{_who(e.key, e.name)}: dead id — {_md(_source_label(e.source))} does not "
        f"know {_code(e.ref)}"
        for e in diff.dead_ids
    ]
    section("Attention", attention)

    def entry_line(e: EntryRef) -> str:
        where = f" — {_md(' › '.join(e.section))}" if e.section else ""
        return f"{_who(e.key, e.name)} ({_code(e.key)}){where}"

    section("Entries added", [entry_line(e) for e in diff.added])
    section("Entries removed", [entry_line(e) for e in diff.removed])
    section(
        "Entries renamed",
        [
            f"{_code(r.old_key)} → {_code(r.new_key)}"
            + (
                f" ({_md(r.old_name)} → {_md(r.new_name)})"
                if r.old_name != r.new_name
                else f" ({_md(r.new_name)})"
            )
            for r in diff.renamed
        ],
    )
    section(
        "Venue and status changes",
        [
            f"{_who(c.key, c.name)}: {c.field} {_value(c.old)} → {_value(c.new)}"
            + (f" ({_md(_source_label(c.source))})" if c.source else "")
            for c in diff.paper_changes
        ],
    )
    section(
        "Repositories renamed",
        [f"{_who(r.key, r.name)}: {_code(r.old)} → {_code(r.new)}" for r in diff.repos_renamed],
    )
    if diff.star_changes:
        out.extend(
            _count_table(
                "Star changes",
                diff.star_changes,
                diff.stars_repos_changed,
                diff.stars_delta,
                "repository",
                True,
            )
        )
    if diff.citation_changes:
        out.extend(
            _count_table(
                "Citation changes",
                diff.citation_changes,
                diff.citations_papers_changed,
                diff.citations_delta,
                "paper",
                False,
            )
        )
    section(
        "New errors",
        [
            f"{_who(e.key, e.name)}: {_md(e.source)} {_code(e.ref)} {e.kind.replace('_', ' ')} — "
            f"{_md(e.message)}"
            for e in diff.new_errors
        ],
    )
    section(
        "New stale values",
        [
            f"{_who(s.key, s.name)}: {_code(s.field)} — {_md(s.reason)}"
            + (f" (since {_md(s.since)})" if s.since else "")
            for s in diff.new_stale
        ],
    )

    if diff.summary:
        out.extend(["## Summary", "", "| | old | new |", "|---|---:|---:|"])
        for s in diff.summary:
            old = "—" if s.old is None else str(s.old)
            change = "" if s.old is None or s.old == s.new else f" ({s.new - s.old:+d})"
            out.append(f"| {s.field.replace('_', ' ')} | {old} | {s.new}{change} |")
        out.append("")
    return "\n".join(out)
