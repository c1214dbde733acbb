"""Lanes of the HTTP layer (``harvester.http``): one per source, holding its pacing, its
concurrency, its retry waits and its retry budget, and what it did (:class:`LaneStats`).

Pacing keeps ``min_interval`` (a little wider, see :data:`PACE_MARGIN`) between request starts.
A retry waits the server's hint (``Retry-After``, or what a source's ``classify`` read) or an
exponential back-off with jitter, each wait capped at ``max_wait``; the waits and the requests
that timed out are spent from ``retry_budget``. When a wait would pass either, the source is
*exhausted*: the error that stopped it is what its remaining requests report, so a source
stopped by a spent quota keeps saying so (``RateLimited`` with the reset time), never "budget
spent".
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .config import SourceSettings
from .errors import RateLimited, SourceError, Unavailable, Unreachable

if TYPE_CHECKING:
    import tenacity

_log = logging.getLogger("harvester.http")  # waits before retries; shown with --verbose

# Requests leave exactly ``min_interval`` apart but arrive with a few milliseconds of jitter, and
# an API that counts arrivals then sees about half of them early and answers 429 (measured on the
# fake API at 2,000 entries: 95 refusals from Semantic Scholar at exactly 1 s, none with this
# margin). The starts are therefore spaced 2 % + 10 ms wider than the published limit.
PACE_MARGIN = 1.02
PACE_SLACK = 0.01


@dataclass
class LaneStats:
    """What one requester's lane measured in one run (its look-ups are counted from their
    results, ``harvester.runstats``); shown in the summary and written to run.json."""

    requests: int = 0
    retries: int = 0
    waited: float = 0.0
    """Wall-clock seconds during which at least one request of this source was waiting to be
    retried (not a sum over threads)."""
    exhausted: bool = False
    notes: dict[str, Any] = field(default_factory=dict)


class Lane:
    """Pacing, concurrency and retry budget of one source."""

    def __init__(self, name: str, settings: SourceSettings) -> None:
        self.name = name
        self.settings = settings
        self.gate = threading.Semaphore(settings.concurrency)
        self.lock = threading.Lock()
        self.next_start = 0.0
        self.spent = 0.0
        self.stats = LaneStats()
        self.stop: SourceError | None = None
        """Why the source was stopped for the run (the error that stopped it)."""
        self.waits_until = float("-inf")
        """When the latest of this source's retry waits ends."""

    def remaining(self) -> float:
        return self.settings.retry_budget - self.spent

    def spend(self, seconds: float) -> None:
        with self.lock:
            self.spent += seconds

    def pace(self, clock: Callable[[], float], sleep: Callable[[float], None]) -> None:
        """Wait until this source's next request may start."""
        if self.settings.min_interval <= 0:
            return
        interval = self.settings.min_interval * PACE_MARGIN + PACE_SLACK
        with self.lock:
            now = clock()
            start = max(now, self.next_start)
            self.next_start = start + interval
        if start > now:
            sleep(start - now)

    def wait(self, state: tenacity.RetryCallState, jitter: Callable[[], float]) -> float:
        """Exponential back-off with jitter, or the server's hint; capped at ``max_wait``."""
        exc = state.outcome.exception() if state.outcome else None
        hinted = getattr(exc, "retry_after", None)
        if hinted is not None:
            return max(float(hinted), 0.0)
        backoff = 2.0 ** (state.attempt_number - 1) * (0.5 + jitter())
        return min(self.settings.max_wait, backoff)

    def give_up(self, state: tenacity.RetryCallState) -> bool:
        """Give up when the wait is longer than allowed or than the budget left; the error
        that stopped the source is what its remaining requests report."""
        wait = state.upcoming_sleep
        if wait > self.settings.max_wait or wait > self.remaining():
            exc = state.outcome.exception() if state.outcome else None
            with self.lock:
                self.stats.exhausted = True
                if isinstance(exc, SourceError) and self.stop is None:
                    self.stop = exc
            return True
        return False

    def sleeper(self, clock: Callable[[], float],
                sleep: Callable[[float], None]) -> Callable[[float], None]:
        """The retry wait: counted in the budget and the stats, then slept."""
        def retry_sleep(seconds: float) -> None:
            with self.lock:
                self.spent += seconds
                self.stats.retries += 1
                # "waited" is the union of the waits on the clock: overlapping waits of
                # several threads count once
                now = clock()
                end = now + seconds
                self.stats.waited += max(0.0, end - max(now, self.waits_until))
                self.waits_until = max(self.waits_until, end)
            _log.info("%s: waiting %.1f s before retry %d", self.name, seconds,
                      self.stats.retries)
            sleep(seconds)

        return retry_sleep

    def not_asked(self) -> SourceError:
        """The error of a request the source's earlier stop keeps from being sent."""
        stop = self.stop
        assert stop is not None
        if isinstance(stop, RateLimited):
            return RateLimited(f"{stop.message} (the source is stopped for this run; not asked)",
                               source=self.name, retry_after=stop.retry_after)
        if isinstance(stop, Unreachable):
            return Unreachable(f"{stop.message}; not asked", source=self.name)
        return Unavailable(
            f"{self.name}: retry budget of {self.settings.retry_budget:g} s spent earlier in "
            f"this run (last: {stop.message}); not asked",
            source=self.name,
        )
