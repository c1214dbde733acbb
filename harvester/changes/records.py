"""What changed between two catalogues: ``harvest diff``, job summaries and commit messages.

Everything here is a pure function of two :class:`~harvester.models.Catalog` objects (the old one
may be ``None``: the first run). :func:`diff_catalogs` builds a :class:`Diff` (plain dataclasses,
JSON-able through :meth:`Diff.to_dict`), :func:`render_markdown` turns it into Markdown readable
both as a GitHub job summary and as a commit body, and :func:`headline` gives a one-line subject.

Entries are matched by ``key``; an entry whose key changed (the list renamed it) is matched to the
old entry it shares a link id with, so it is reported as renamed rather than removed + added.
"Attention" items are the ones the maintainer should act on in the list itself: the list lost more
than half of its entries, its venue text disagrees with the sources (the catalogue follows the
sources; ``harvest suggest`` edits the list), a repository was archived or is gone, or a listed id
is dead (``not_found``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

TOP_N = 10
"""How many star and citation changes are listed (largest absolute change first)."""
MAX_ITEMS = 50
"""How many items a Markdown section lists before it says "… and N more"."""
HEADLINE_WIDTH = 80
"""A headline stops adding parts beyond this width (it always keeps its first part)."""

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
    """The list's own venue text disagrees with what the sources say (the catalogue follows the
    sources; the list is the maintainer's to fix)."""

    key: str
    name: str
    listed_venue: str | None
    status: str
    venue: str | None
    """The catalogue's display venue ("ICLR 2025"), None when the sources name none."""
    year: int | None
    source: str | None
    message: str
    kind: str = "out_of_date"
    """``out_of_date``: the list calls the paper a preprint (or names no venue) but a source
    says it was accepted or published; ``other_venue``: the list names another venue or year
    than the sources; ``unconfirmed``: the list names a venue that no source confirms."""
    venue_key: str | None = None
    venue_year: int | None = None
    listed_key: str | None = None
    """The vocabulary's key for the list's text, None when it names no known venue."""
    listed_year: int | None = None

    @property
    def replaceable(self) -> bool:
        """Whether the list's phrase can be replaced by the catalogue's venue."""
        return self.kind != "unconfirmed" and bool(self.venue)


@dataclass(frozen=True)
class EntriesLost:
    """The list yields far fewer entries than the previous catalogue had."""

    old: int
    new: int

    @property
    def lost(self) -> int:
        return self.old - self.new


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
    entries_lost: EntriesLost | None = None
    """Set when the list lost more than half of its entries since the previous catalogue."""
    trends: list[str] = field(default_factory=list)
    """Markdown bullets from ``history.jsonl`` ("+120 stars in 4 weeks"); empty without history.
    Trends alone never make a diff non-empty."""

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
            self.entries_lost
            or self.added
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
        from .render import headline  # the headline is rendered from these records

        data = asdict(self)
        data["headline"] = headline(self)
        data["empty"] = self.is_empty()
        return data
