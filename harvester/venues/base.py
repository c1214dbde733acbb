"""The venue vocabulary's types: a venue, what one string says about a venue, and the kinds
of string a source gives."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..models import Presentation

VenueKind = Literal["conference", "journal", "preprint"]

State = Literal["submitted", "rejected", "withdrawn"]
SourceKind = Literal[
    "text",
    "list",
    "semanticscholar",
    "crossref",
    "issn",
    "dblp",
    "openreview_venueid",
    "openreview_invitation",
    "openreview_venue",
    "arxiv_comment",
    "arxiv_journal_ref",
]
"""What ``text`` is. The structured kinds (``issn``, ``dblp``, ``openreview_venueid``,
``openreview_invitation``) are parsed as identifiers; every other kind is read as free text."""

MAX_TEXT = 4000
"""Characters of a string read: venue strings, comments and journal references are short."""
DATASETS_AND_BENCHMARKS = "Datasets and Benchmarks"
FINDINGS = "Findings"
WORKSHOP = "Workshop"


@dataclass(frozen=True)
class Venue:
    """One venue of the vocabulary."""

    key: str
    display: str
    kind: VenueKind
    acronyms: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    issn: tuple[str, ...] = ()
    openreview: tuple[str, ...] = ()
    dblp: tuple[str, ...] = ()
    edition_zero: int | None = None
    volume_zero: int | None = None


@dataclass(frozen=True)
class VenueMatch:
    """What one string says about the venue of a paper."""

    key: str
    kind: VenueKind
    short: str
    """The vocabulary's display name, without a year."""
    year: int | None = None
    track: str | None = None
    presentation: Presentation | None = None
    state: State | None = None
    """``submitted`` / ``rejected`` / ``withdrawn`` when the text says so ("Submitted to ICLR
    2025", ``…/Rejected_Submission``); None otherwise."""

    @property
    def venue(self) -> str:
        """The one display form: ``"<Short> <year>"`` for conferences, else the title."""
        if self.kind == "conference" and self.year is not None:
            return f"{self.short} {self.year}"
        return self.short
