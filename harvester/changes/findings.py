"""The list-findings rule: where the list's own venue text and the sources disagree (pure)."""

from __future__ import annotations

from dataclasses import dataclass

from .. import venues
from ..models import Entry, Paper
from ..sources import REGISTRY
from ..vocab import NOT_YET_PUBLISHED
from .records import ListOutdated

_NOT_CONFIRMED = ("preprint", "under_review", "rejected", "withdrawn")


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


def same_finding(before: ListOutdated | None, after: ListOutdated) -> bool:
    """The previous catalogue already reported this (an attention item is said once)."""
    if before is None:
        return False
    return ((before.kind, before.listed_venue, before.status, before.venue)
            == (after.kind, after.listed_venue, after.status, after.venue))
