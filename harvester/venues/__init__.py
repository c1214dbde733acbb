"""Venues: the shipped vocabulary (``data/venues.toml``), the one matcher, and the venue
fields of a paper resolved from its sources' records (pure, no I/O).

``match(text, source_kind=…)`` reads one string a source gave — a Semantic Scholar venue name,
a Crossref container title or ISSN, an OpenReview venue id or venue string, an arXiv comment
or journal reference, a DBLP key, a list's venue phrase — and says which venue of the
vocabulary it names (``venue_key``), in its one display form (``"NeurIPS 2023"``, ``"Nature"``,
``"bioRxiv"``), with the year, the track ("Datasets and Benchmarks", "Findings",
"Workshop: <name>"), the presentation (oral, spotlight, poster) and whether the text says the
paper was only submitted, rejected or withdrawn there.

``resolve_venue(candidates)`` gives a paper's ``venue``, ``venue_key``, ``venue_year``,
``track``, ``presentation`` and ``year`` from the records able to speak to its status, in
precedence order (DESIGN.md "Venues"), with the source of each field.

Layout: ``base`` (the types), ``vocab`` (reading the vocabulary), ``matcher`` (``match``,
``tidy``) and ``resolution`` (``resolve_venue``, ``read_record``).
"""

from __future__ import annotations

from .base import (
    DATASETS_AND_BENCHMARKS,
    FINDINGS,
    MAX_TEXT,
    WORKSHOP,
    SourceKind,
    State,
    Venue,
    VenueKind,
    VenueMatch,
)
from .matcher import match, tidy
from .resolution import (
    Candidate,
    VenueResolution,
    read_record,
    resolve_venue,
)
from .vocab import Vocabulary, vocabulary

__all__ = [
    "DATASETS_AND_BENCHMARKS",
    "FINDINGS",
    "MAX_TEXT",
    "WORKSHOP",
    "Candidate",
    "SourceKind",
    "State",
    "Venue",
    "VenueKind",
    "VenueMatch",
    "VenueResolution",
    "Vocabulary",
    "match",
    "read_record",
    "resolve_venue",
    "tidy",
    "vocabulary",
]
