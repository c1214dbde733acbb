"""One harvest: list → entries → per-source look-ups → merge → validated catalogue.

The run is three steps over the registered sources (``harvester.sources``): **plan** what each
entry asks (each source claims the links it can answer, :mod:`harvester.plan`), run the
**stages** (:mod:`harvester.stages`: each source's look-ups, side by side, a dependent one once
the answers it needs are in), and **build** each entry from what it asked and was told
(:mod:`harvester.build`, :mod:`harvester.merge`). A look-up that fails keeps the cached record
(any age) or, failing that, the previous catalogue's values (:mod:`harvester.previous`), and
lists them as stale; the run then exits 2. The README ("How it works") lists the built-in
stages and what each waits for.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from .annotate import load as load_annotations
from .build import BuildOrder, build, build_order, needs_memory
from .cache import RecordCache, iso, utcnow
from .config import Settings
from .entrymemo import EntryMemo, Fingerprints
from .gcpolicy import relaxed_gc
from .http import Http
from .listsource import guard_entries, load_list
from .matching import link_pairs, previous_matcher
from .models import Catalog, Entry, ListInfo, Summary
from .parsecache import read_entries_cached
from .plan import EntryLookups, Lookups, plan_entry, unique_keys
from .previous import Previous, PreviousEntry
from .published import Published, SummaryTally
from .record import Recorder
from .runstats import SourceStats
from .sources import REGISTRY
from .stages import run_stages, source_mode

if TYPE_CHECKING:
    import httpx


@dataclass
class RunOptions:
    list_spec: str
    output: Path
    cache_dir: Path
    refresh: bool = False
    offline: bool = False
    only: frozenset[str] | None = None
    allow_empty: bool = False
    """Publish an empty catalogue even when the previous one had entries."""
    record: Path | None = None
    """Save every answer of the run into this folder (``harvest --record``)."""
    annotations: Path | None = None
    """The maintainer's annotations file (``annotations.toml``), set on each entry."""


class Reporter:
    """Progress sink; the CLI supplies one that draws on stderr. The default is silent."""

    def warn(self, message: str) -> None:  # pragma: no cover - trivial
        pass

    def stage(self, source: str, total: int) -> None:
        pass

    def advance(self, source: str, done: int) -> None:
        pass


@dataclass
class RunReport:
    published: Published
    """The catalogue in its published form (:meth:`Published.chunks` writes it)."""
    stats: dict[str, SourceStats]
    warnings: list[str]
    failed: int
    """Look-ups that could not be completed this run (their previous values were kept)."""
    list_fallback: str | None
    started_at: str
    duration: float
    previous_summary: Summary | None = None

    @property
    def exit_code(self) -> int:
        return 2 if self.failed else 0

    @property
    def catalog(self) -> Catalog:
        """The catalogue as models (read back from its published form on first use)."""
        return self.published.catalog()


@relaxed_gc()
def harvest(
    settings: Settings,
    options: RunOptions,
    *,
    transport: httpx.BaseTransport | None = None,
    sleep: Callable[[float], None] = time.sleep,
    reporter: Reporter | None = None,
) -> RunReport:
    """Run one harvest and return its report; the caller writes the outputs."""
    reporter = reporter or Reporter()
    started = time.monotonic()
    now = utcnow()
    warnings: list[str] = []
    cache = RecordCache(options.cache_dir, readonly=options.offline)
    warnings.extend(cache.warnings)
    early = len(cache.warnings)  # the cache's later warnings (the list's look-ups on) below
    recorder = Recorder(options.record) if options.record is not None else None
    http = Http(settings, transport=transport, sleep=sleep, recorder=recorder,
                offline=options.offline)  # offline: nothing may reach the network
    try:
        loaded = load_list(options.list_spec, http, cache, now, offline=options.offline)
        warnings.extend(loaded.warnings)
        parsed, list_warnings = read_entries_cached(loaded, cache, now)
        warnings.extend(list_warnings)
        for message in warnings:
            reporter.warn(message)
        keys = unique_keys([e.name for e in parsed.entries])
        plans = [plan_entry(e, k) for e, k in zip(parsed.entries, keys, strict=True)]
        annotations = None
        if options.annotations is not None:  # read and checked before anything is asked
            annotations = load_annotations(options.annotations, keys)
            for message in annotations.warnings:
                reporter.warn(message)

        previous = Previous(options.output, reporter.warn)
        previous_summary = previous.summary
        shrunk = guard_entries(len(plans), previous_summary, allow_empty=options.allow_empty)
        lookups = Lookups()
        modes = {
            name: source_mode(spec, settings, offline=options.offline, refresh=options.refresh,
                              only=options.only)
            for name, spec in REGISTRY.items()
        }
        stats = run_stages(plans, lookups, modes, settings, cache, http, now, reporter)
        for message in [*shrunk, *cache.warnings[early:], *http.warnings()]:
            warnings.append(message)
            reporter.warn(message)
        match = previous_matcher(previous.entries() if needs_memory(lookups) else {})
        published = Published()
        memo = EntryMemo(cache, keys)
        fingerprints = Fingerprints()
        contradictions = 0
        order = build_order()
        for plan in plans:  # each entry built (or kept), added in its published form, let go
            view = lookups.view(plan)
            prev = match(plan.key, link_pairs(plan.entry.links))
            notes = annotations.tables.get(plan.key) if annotations is not None else None
            # an entry built with the previous catalogue's values is not kept: they are not
            # among the fingerprinted inputs
            print_ = fingerprints.of(view, notes) if prev is None else None
            kept = memo.get(plan.key, print_)
            if kept is not None:
                same = published.add_json(kept)
            else:
                entry, contradicted = _build(view, prev, order, warnings, reporter)
                contradictions += contradicted
                if annotations is not None:
                    entry = annotations.set_on(entry)
                chunk, same = published.add(entry)
                memo.put(plan.key, print_, chunk)
            if same is not None:
                warnings.append(same)
                reporter.warn(same)
        memo.flush()
    finally:
        http.close()
        cache.close()

    published.finish(ListInfo(
        source=loaded.source,
        sha256=hashlib.sha256(loaded.data).hexdigest(),
        title=parsed.title,
    ))
    failed = sum(s.failed for s in stats.values()) + contradictions
    return RunReport(
        published=published,
        stats=stats,
        warnings=warnings,
        failed=failed,
        list_fallback=loaded.fallback,
        started_at=iso(now),
        duration=time.monotonic() - started,
        previous_summary=previous_summary,
    )


def _build(view: EntryLookups, prev: PreviousEntry | None, order: BuildOrder,
           warnings: list[str], reporter: Reporter) -> tuple[Entry, int]:
    """One entry; a previous catalogue entry today's models reject (a value an older release
    let through) is left out of its memory with a warning, never a traceback."""
    try:
        return build(view, prev, order)
    except (ValidationError, TypeError, ValueError, KeyError, AttributeError) as exc:
        if prev is None:
            raise
        message = (f"previous catalogue: entry {prev.key!r} is not readable as today's "
                   f"catalogue ({type(exc).__name__}); built without its kept values")
        warnings.append(message)
        reporter.warn(message)
        return build(view, None, order)


def summarize(entries: list[Entry]) -> Summary:
    tally = SummaryTally()
    for entry in entries:
        tally.add(entry.model_dump(mode="json"))
    return tally.summary()
