"""Which entry of one catalogue is which of another: the identifiers an entry's links name.

Both the run (an entry's previous self, whose values it may keep) and the change report (what
was renamed rather than removed and added) match entries by key, then by these identifiers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from .models import Entry, Link

if TYPE_CHECKING:
    from .previous import PreviousEntry

LinkPairs = tuple[tuple[str, str | None], ...]


def link_pairs(links: Iterable[Link]) -> LinkPairs:
    """(kind, id) of each link."""
    return tuple((link.kind, link.id) for link in links)


def link_ids(links: Iterable[tuple[str, str | None]]) -> tuple[set[str], set[str]]:
    """(paper ids, repository ids) the links name, as case-folded ``kind:id``."""
    papers: set[str] = set()
    repos: set[str] = set()
    for kind, lid in links:
        if lid:
            (repos if kind == "github" else papers).add(f"{kind}:{lid.lower()}")
    return papers, repos


def paper_ids(links: Iterable[tuple[str, str | None]]) -> set[str]:
    return link_ids(links)[0]


def previous_matcher(
    previous: Mapping[str, PreviousEntry],
) -> Callable[[str, LinkPairs], PreviousEntry | None]:
    """Find an entry's previous self: by key, else by a paper id its links share.

    A renamed entry keeps its values; an entry whose key now names another paper (the list
    was reordered and a duplicate name moved) is not mistaken for it, since its values would be
    another paper's. (The change report pairs more loosely: a same key is the same entry.)
    """
    by_id: dict[str, PreviousEntry] = {}
    for entry in previous.values():
        for ident in paper_ids(entry.links):
            by_id.setdefault(ident, entry)

    def match(key: str, links: LinkPairs) -> PreviousEntry | None:
        mine = paper_ids(links)
        same_key = previous.get(key)
        if same_key is not None and (not mine or mine & paper_ids(same_key.links)):
            return same_key
        return next((by_id[i] for i in sorted(mine) if i in by_id), None)

    return match



SAME_PAPER_IDS = ("doi", "arxiv", "s2", "openreview", "pmid")
"""The ``paper.ids`` that name one paper whichever link reached it."""


def same_papers(entries: Iterable[Entry]) -> list[str]:
    """One warning per entry whose harvested paper is one an earlier entry already has: the
    list names it twice by different links (an arXiv id here, a journal DOI there), which the
    list alone cannot show. Entries whose own links already share an id are left to the
    parser's warning."""
    seen = SamePapers()
    return [message for entry in entries
            if (message := seen.add(entry.model_dump(mode="json"))) is not None]


class SamePapers:
    """:func:`same_papers` one entry at a time (the run adds each entry as it is built and
    keeps only each paper id's first entry name and link ids, not the entries)."""

    def __init__(self) -> None:
        self._first: dict[str, tuple[str, LinkPairs]] = {}
        """paper id → (name, links) of the first entry that has it."""

    def add(self, entry: Mapping[str, Any]) -> str | None:
        """The warning ``entry`` (as JSON values) deserves, if any."""
        paper = entry.get("paper")
        if not paper:
            return None
        ids = paper.get("ids") or {}
        mine = [f"{name}:{str(value).lower()}" for name in SAME_PAPER_IDS
                if (value := ids.get(name))]
        if not mine:
            return None
        earlier = next((self._first[i] for i in mine if i in self._first), None)
        name = str(entry["name"])
        me = (name, tuple((link["kind"], link.get("id")) for link in entry.get("links") or ()))
        for ident in mine:
            self._first.setdefault(ident, me)
        if earlier is None or paper_ids(earlier[1]) & paper_ids(me[1]):
            return None
        shared = ", ".join(i for i in mine if self._first.get(i) is earlier)
        return f"{name!r} and {earlier[0]!r} are the same paper ({shared}); both kept"
