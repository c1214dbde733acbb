"""A paper's venue fields resolved from its sources' records, strongest first, with the source
of each field; and whether the list's own venue text disagrees (see ``harvester.venues``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ..models import Presentation, Status
from ..sources import REGISTRY
from ..sources.spec import VenueReading
from .base import VenueMatch
from .matcher import YEAR, match, plain, tidy
from .vocab import vocabulary

Candidate = tuple[str, Mapping[str, Any], Status | None]
"""(source name, record, the status it gives): a record able to speak to the paper's status."""


# The kinds of text a paper's title can be part of (the others are names and ids).
_TITLED = frozenset({"text", "list", "arxiv_comment", "arxiv_journal_ref"})
_PLAIN = VenueReading()
"""A source that declares nothing: its records' ``venue``, as text."""


def reading_of(source: str) -> VenueReading:
    """How the vocabulary reads ``source``'s records, as the source declares it."""
    spec = REGISTRY.get(source)
    return spec.venue if spec is not None else _PLAIN


_VENUE_STATUSES = ("accepted", "published")
_PRESENTATIONS = ("oral", "spotlight", "poster")


@dataclass(frozen=True)
class VenueResolution:
    venue: str | None = None
    venue_key: str | None = None
    venue_year: int | None = None
    track: str | None = None
    presentation: Presentation | None = None
    year: int | None = None
    provenance: dict[str, str] = field(default_factory=dict)
    """``paper.<field>`` → source, for each field that has a value."""


class _Reading(NamedTuple):
    source: str
    venue: str | None
    match: VenueMatch | None
    year: int | None


def read_record(source: str, record: Mapping[str, Any], *,
                title: str | None = None) -> VenueMatch | None:
    """What one record says about its venue: its raw fields matched in the order its source
    declares (``VenueReading.fields``),
    gaps of the first match (year, track, presentation) filled from the others that agree."""
    return _read_record(reading_of(source), record, title)


def _read_record(reads: VenueReading, record: Mapping[str, Any],
                 title: str | None) -> VenueMatch | None:
    found: VenueMatch | None = None
    for name, kind in reads.fields:
        values = record.get(name)
        for value in values if isinstance(values, list) else [values]:
            if not isinstance(value, str):
                continue
            m = match(value, kind, title=title if kind in _TITLED else None)
            if m is None:
                continue
            if found is None:
                found = m
            elif m.key == found.key and (m.year is None or found.year in (None, m.year)):
                found = _fill(found, m)
    return found


def _fill(first: VenueMatch, other: VenueMatch) -> VenueMatch:
    year = first.year if first.year is not None else other.year
    track = first.track or other.track
    presentation = first.presentation or other.presentation
    if (year, track, presentation) == (first.year, first.track, first.presentation):
        return first  # the other says nothing new (the usual case)
    return VenueMatch(key=first.key, kind=first.kind, short=first.short, year=year,
                      track=track, presentation=presentation, state=first.state)


def _reading(source: str, reads: VenueReading, record: Mapping[str, Any],
             status: Status | None, title: str | None) -> _Reading | None:
    """The venue this record gives for the status it gives, or None when it names none."""
    kept = record.get("kept_venue")
    if isinstance(kept, Mapping):
        return _kept_reading(source, kept)
    m = _read_record(reads, record, title)
    year = _year_of(record)
    if status == "preprint":
        if m is None and reads.server is not None:
            m = plain(reads.server)
        if m is None or m.kind != "preprint":
            return None
        return _Reading(source, m.venue, m, m.year or year)
    if m is not None and m.kind == "preprint":
        m = None  # a preprint server is not where a paper was accepted
    if m is not None:
        if status in _VENUE_STATUSES and m.state is not None:
            return None  # "Submitted to ICLR 2025" does not say where it was accepted
        venue_year = m.year
        if venue_year is None and (reads.year_is_venue_year or
                                   (reads.decision_year and status in _VENUE_STATUSES)):
            venue_year = year
        # the match as this status reads it: a new one only when that changes a field
        if venue_year != m.year or (m.presentation is not None
                                    and status not in _VENUE_STATUSES):
            m = VenueMatch(key=m.key, kind=m.kind, short=m.short, year=venue_year,
                           track=m.track, state=m.state,
                           presentation=m.presentation if status in _VENUE_STATUSES else None)
        return _Reading(source, m.venue, m, venue_year)
    if status == "withdrawn" and reads.server is not None:
        m = plain(reads.server)
        return _Reading(source, m.venue, m, None)
    own = tidy(record.get("venue")) if isinstance(record.get("venue"), str) else None
    if own is None or _is_server(own):
        return None
    own_year = int(y[1]) if (y := YEAR.search(own)) else (
        year if reads.year_is_venue_year else None)
    return _Reading(source, own, None, own_year)


def _kept_reading(source: str, kept: Mapping[str, Any]) -> _Reading | None:
    """A previous catalogue's venue fields, kept when this run could not ask their source:
    they are what the vocabulary read from the source's raw strings before."""
    year = kept.get("venue_year") if isinstance(kept.get("venue_year"), int) else None
    known = vocabulary().venues.get(kept.get("venue_key") or "")
    shown = kept.get("venue") if isinstance(kept.get("venue"), str) else None
    if known is None:
        return _Reading(source, shown, None, year) if shown else None
    presentation = kept.get("presentation")
    m = VenueMatch(key=known.key, kind=known.kind, short=known.display, year=year,
                   track=kept.get("track") if isinstance(kept.get("track"), str) else None,
                   presentation=presentation if presentation in _PRESENTATIONS else None)
    return _Reading(source, shown or m.venue, m, year)


def _is_server(text: str) -> bool:
    m = match(text)
    return m is not None and m.kind == "preprint"


def _year_of(record: Mapping[str, Any]) -> int | None:
    year = record.get("year")
    return year if isinstance(year, int) and not isinstance(year, bool) else None


def _appeared(reads: VenueReading, record: Mapping[str, Any]) -> int | None:
    """The year a record says the paper appeared (OpenReview's ``year`` is its venue's: it
    declares its submission date instead)."""
    field_name = reads.appeared
    if field_name is not None and not record.get("kept"):  # a kept year is the year it gave
        created = record.get(field_name)
        return int(created[:4]) if isinstance(created, str) and created[:4].isdigit() else None
    return _year_of(record)


def resolve_venue(candidates: Sequence[Candidate], *,
                  records: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
                  title: str | None = None) -> VenueResolution:
    """The venue fields of a paper from the records able to speak to its status, strongest
    first (merge's status tiers: the OpenReview decision, proceedings and journal records,
    arXiv's journal_ref/comment, Semantic Scholar, the preprint servers).

    The status is the first candidate's; ``venue`` is the venue that status refers to, from
    the first candidate giving that status that names one (a preprint server for a preprint);
    ``venue_year``, ``track`` and ``presentation`` missing there come from later candidates
    naming the same venue. ``year`` is ``venue_year`` once a venue accepted or published the
    paper, else the earliest year a record says it appeared — among ``records`` (every
    record of the paper, per source) when given, else among the candidates. ``title`` is the
    paper's title, kept out of the venue strings."""
    provenance: dict[str, str] = {}
    reads = {source: reading_of(source)
             for source in {*(records or ()), *(src for src, _, _ in candidates)}}
    pool = ([(src, rec) for src, recs in records.items() for rec in recs] if records is not None
            else [(src, rec) for src, rec, _ in candidates])
    appeared = [(y, src) for src, rec in pool if (y := _appeared(reads[src], rec)) is not None]
    if not appeared:  # OpenReview-only papers: its year is all there is
        appeared = [(y, src) for src, rec in pool if (y := _year_of(rec)) is not None]
    first_year, first_source = min(appeared) if appeared else (None, None)
    status = candidates[0][2] if candidates else None
    chosen: _Reading | None = None
    rest: list[tuple[str, Mapping[str, Any], Status | None]] = []
    for index, (source, record, given) in enumerate(candidates):
        same = given == status or (given in _VENUE_STATUSES and status in _VENUE_STATUSES)
        if not same:
            continue
        chosen = _reading(source, reads[source], record, given, title)
        if chosen is not None:
            rest = list(candidates[index + 1 :])
            break
    if chosen is None:
        year = first_year
        if year is not None and first_source is not None:
            provenance["paper.year"] = first_source
        return VenueResolution(year=year, provenance=provenance)

    venue, key = chosen.venue, chosen.match.key if chosen.match else None
    venue_year = chosen.year
    m = chosen.match
    track, presentation = (m.track, m.presentation) if m else (None, None)
    for name, value in (("venue", venue), ("venue_key", key), ("venue_year", venue_year),
                        ("track", track), ("presentation", presentation)):
        if value is not None:
            provenance[f"paper.{name}"] = chosen.source
    if m is not None and m.kind != "preprint":
        for source, record, given in rest:
            if given not in _VENUE_STATUSES or status not in _VENUE_STATUSES:
                continue
            other = _reading(source, reads[source], record, given, title)
            om = other.match if other else None
            if om is None or om.key != m.key or (
                    venue_year is not None and om.year not in (None, venue_year)):
                continue
            if venue_year is None and om.year is not None:
                venue_year = om.year
                provenance["paper.venue_year"] = source
                venue = VenueMatch(key=m.key, kind=m.kind, short=m.short, year=om.year).venue
            if track is None and om.track is not None:
                track = om.track
                provenance["paper.track"] = source
            if presentation is None and om.presentation is not None:
                presentation = om.presentation
                provenance["paper.presentation"] = source
    if status in _VENUE_STATUSES and venue_year is not None:
        year = venue_year
        provenance["paper.year"] = provenance["paper.venue_year"]
    else:
        year = first_year
        if year is not None and first_source is not None:
            provenance["paper.year"] = first_source
    return VenueResolution(venue=venue, venue_key=key, venue_year=venue_year, track=track,
                           presentation=presentation, year=year, provenance=provenance)

