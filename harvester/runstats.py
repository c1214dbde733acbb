"""The figures of one run per source: look-ups counted from their results, requests measured
by the HTTP layer's lanes.

The lanes (:class:`harvester.http.LaneStats`) know what went over the wire: requests, retries,
the time spent waiting, whether the source was stopped, and notes such as GitHub's quota. What
the look-ups came to (asked, answered from the cache, fetched, confirmed by a 304, failed) is a
fact about their results (:class:`harvester.sources.base.Result`), so it is counted from them
(:meth:`LookupStats.add`). :class:`SourceStats` puts the two side by side for the summary and
``run.json``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .http import LaneStats
from .sources.base import Result


@dataclass
class LookupStats:
    """What one source's look-ups came to in one run."""

    asked: int = 0
    cached: int = 0
    fetched: int = 0
    not_modified: int = 0
    failed: int = 0

    def add(self, results: Iterable[Result]) -> None:
        """Count the results of one ``run_source`` call (each key once)."""
        for result in results:
            self.asked += 1
            if result.status == "failed":
                self.failed += 1
            elif result.via == "fetch":
                self.fetched += 1
            elif result.via == "304":
                self.not_modified += 1
            elif result.status != "absent":
                self.cached += 1


@dataclass
class SourceStats:
    """What one source did in one run; shown in the summary and written to run.json."""

    asked: int = 0
    cached: int = 0
    fetched: int = 0
    not_modified: int = 0
    failed: int = 0
    requests: int = 0
    retries: int = 0
    waited: float = 0.0
    """Wall-clock seconds during which at least one request of this source was waiting to be
    retried (not a sum over threads)."""
    exhausted: bool = False
    notes: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, lookups: LookupStats, lane: LaneStats) -> SourceStats:
        return cls(asked=lookups.asked, cached=lookups.cached, fetched=lookups.fetched,
                   not_modified=lookups.not_modified, failed=lookups.failed,
                   requests=lane.requests, retries=lane.retries, waited=lane.waited,
                   exhausted=lane.exhausted, notes=lane.notes)
