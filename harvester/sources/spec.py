"""What a source declares about itself: the entries of the registry (``harvester.sources``).

A source module ends with one ``SPEC = SourceSpec(...)``: its name and label, the API roots and
settings it starts from, the links it claims, the look-ups (stages) it runs for an entry and
what each waits for, and the catalogue fields it contributes with what precedence. The
pipeline, the merge, the settings, ``--only`` and the reports read these declarations; none of
them names a source.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    from ..config import Settings
    from ..listparse import ListEntry
    from ..models import Link
    from .base import Result, Source

Record = dict[str, Any]
DAY = 86400.0


class EntryView(Protocol):
    """What a stage's key function may read about one list entry while the run goes on."""

    @property
    def entry(self) -> ListEntry: ...

    def claimed(self, source: str) -> list[str]:
        """The keys the entry's own links give ``source`` (its claims, in link order)."""
        ...

    def asked(self, source: str) -> list[str]:
        """The keys this entry has asked ``source`` so far, every finished stage of it."""
        ...

    def result(self, source: str, key: str) -> Result | None: ...

    def records(self, source: str) -> list[Record]:
        """The records ``source`` gave this entry so far (its asked keys that answered)."""
        ...

    def title(self, order: tuple[str, ...]) -> tuple[str | None, int | None]:
        """The first title the sources of ``order`` gave (else the list's), and a year."""
        ...


KeyFunction = Callable[[EntryView], list[str]]


@dataclass(frozen=True)
class Stage:
    """One look-up of a source: the keys it asks for each entry, and what it waits for."""

    name: str
    """Unique among all stages (``after`` names them); a source's first stage usually bears
    the source's name."""
    label: str
    """Words for the progress display: "Semantic Scholar (titles)"."""
    keys: KeyFunction
    after: tuple[str, ...] = ()
    """Stages (by name) whose answers this one needs before it can compute its keys."""
    new_only: bool = False
    """Ask only keys no earlier stage of this source answered this run (the entry still
    records them as its own)."""
    keyed_by: tuple[str, ...] = ()
    """Sources whose answers give this stage its keys. When one of them could not answer for
    an entry, the values this stage gave the entry before are kept from the previous
    catalogue."""
    provenance: str | None = None
    """The provenance its repository records carry (default: the source's name)."""


@dataclass(frozen=True)
class VenueReading:
    """How the venue vocabulary (``harvester.venues``) reads this source's records."""

    fields: tuple[tuple[str, str], ...] = (("venue", "text"),)
    """(record field, the matcher's kind of text) that name the venue, most exact first."""
    year_is_venue_year: bool = False
    """Its record's ``year`` is the year of the venue it names (a journal or proceedings
    record), not of a preprint."""
    decision_year: bool = False
    """Its ``year`` is the venue's when it says the paper was accepted (OpenReview)."""
    server: str | None = None
    """The vocabulary's key of the preprint server its records are (``arxiv``)."""
    appeared: str | None = None
    """The record field holding the date the paper first appeared there, when its ``year``
    is not that (OpenReview's submission date)."""


def claim_nothing(_link: Link) -> str | None:
    return None


@dataclass(frozen=True)
class SourceSpec:
    """Everything the harvester needs to know about one source, apart from its fetch."""

    name: str
    """Lower-case, as in ``--only``, ``[sources.<name>]`` and ``HARVEST_<NAME>_*``."""
    label: str
    """Display name: "Semantic Scholar"."""
    cls: type[Source]
    urls: Mapping[str, str]
    """API roots by setting name (``HARVEST_<SETTING>_URL``), the first being the source's own."""
    defaults: Mapping[str, Any] = field(default_factory=dict)
    """``SourceSettings`` defaults: pace (``min_interval``), ``batch_size``, ``ttl``…"""
    batch_limit: int | None = None
    """The API's most ids per request; a larger ``batch_size`` setting is capped to it."""
    secret: tuple[str, str] | None = None
    """(``Settings`` field, environment variable) of the source's credential."""
    requires_secret: bool = False
    """Used only when its credential is set."""
    claim: Callable[[Link], str | None] = claim_nothing
    """The key this source answers for one of the list's links, if it recognises it."""
    stages: tuple[Stage, ...] = ()
    role: Literal["paper", "repos"] = "paper"
    """What its records describe: the entry's paper, or a repository."""
    first_answer: bool = False
    """The entry takes the answer of its first asked key that knows it (or failed), not all."""
    fields: Mapping[str, int] = field(default_factory=dict)
    """Catalogue fields it can contribute (``paper.title``, ``paper.ids.doi``…) and their rank:
    the lowest rank among the sources that know a field wins it."""
    statuses: tuple[tuple[int, tuple[str, ...]], ...] = ()
    """(rank, statuses it decides): the strongest rank that has a status sets status/venue."""
    status_of: Callable[[Record], str | None] | None = None
    """The status one of its records gives (default: the record's ``status``)."""
    permanent: bool = False
    """It never deletes a record: "not found" for one it answered before is a broken answer."""
    report_label: str | None = None
    """How the change report names it in a sentence ("the NeurIPS proceedings")."""
    venue: VenueReading = VenueReading()
    """How the venue vocabulary reads its records."""

    def used(self, settings: Settings) -> bool:
        if not self.requires_secret or self.secret is None:
            return True
        return getattr(settings, self.secret[0]) is not None


def claimed(source: str) -> KeyFunction:
    """The key function of a source's first stage: what the entry's links give it."""
    return lambda view: view.claimed(source)
