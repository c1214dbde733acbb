"""Running the registered sources' stages over the planned entries.

Each stage is one source asked for one set of keys. A stage starts as soon as the stages it
names in ``after`` are done, so sources run side by side at their own host's pace and only the
look-ups that need an earlier answer wait for it. Each stage records, per entry, the keys that
entry asked; the answers of all stages are kept in one :class:`~harvester.plan.Lookups`.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime
from typing import Protocol

from .cache import RecordCache
from .config import Settings
from .http import Http
from .plan import EntryPlan, Lookups
from .runstats import LookupStats, SourceStats
from .sources import REGISTRY, Source, SourceSpec, Stage, run_source
from .sources.base import Mode


class StageReporter(Protocol):
    def stage(self, source: str, total: int) -> None: ...

    def advance(self, source: str, done: int) -> None: ...


def source_mode(
    spec: SourceSpec, settings: Settings, *, offline: bool, refresh: bool,
    only: frozenset[str] | None,
) -> Mode | None:
    """How a source is used this run; None when it is not used at all."""
    if not spec.used(settings):
        return None
    if offline or not settings.source(spec.name).enabled:
        return "offline"
    if only is not None and spec.name not in only:
        return "offline"
    return "refresh" if refresh else "normal"


def all_stages() -> list[tuple[SourceSpec, Stage]]:
    """Every registered stage with its source, in registration order."""
    return [(spec, stage) for spec in REGISTRY.values() for stage in spec.stages]


def run_stages(
    plans: list[EntryPlan],
    lookups: Lookups,
    modes: dict[str, Mode | None],
    settings: Settings,
    cache: RecordCache,
    http: Http,
    now: datetime,
    reporter: StageReporter,
) -> dict[str, SourceStats]:
    """Run every stage once its ``after`` stages are done; return each source's figures (its
    look-ups counted from their results, beside what its lane measured)."""
    stages = all_stages()
    names = {stage.name for _, stage in stages}
    for _, stage in stages:
        unknown = [name for name in stage.after if name not in names]
        if unknown:
            raise ValueError(f"stage {stage.name} waits for unknown stage(s) {unknown}")
    instances: dict[str, Source] = {
        name: spec.cls(http, settings) for name, spec in REGISTRY.items()
        if modes.get(name) is not None
    }
    views = [(plan.key, lookups.view(plan)) for plan in plans]
    tallies = {name: LookupStats() for name in instances}
    tally_lock = threading.Lock()

    def run(spec: SourceSpec, stage: Stage, waits: list[Future[None]]) -> None:
        for future in waits:
            future.result()
        mode = modes.get(spec.name)
        if mode is None:
            return
        asked = {key: wanted for key, view in views if (wanted := stage.keys(view))}
        lookups.record_asked(stage.name, asked)
        keys = list(dict.fromkeys(key for entry_keys in asked.values() for key in entry_keys))
        if stage.new_only:
            answered = lookups.answered(spec.name)
            keys = [key for key in keys if key not in answered]
        if not keys:
            return
        reporter.stage(stage.label, len(keys))
        def advance(_source: str, done: int) -> None:
            reporter.advance(stage.label, done)

        found = run_source(instances[spec.name], keys, cache, mode, now, progress=advance,
                           permanent=spec.permanent)
        lookups.update(spec.name, found)
        with tally_lock:
            tallies[spec.name].add(found.values())

    futures: dict[str, Future[None]] = {}
    ordered = _in_dependency_order(stages)
    with ThreadPoolExecutor(max_workers=len(ordered) or 1, thread_name_prefix="stage") as pool:
        for spec, stage in ordered:
            waits = [futures[name] for name in stage.after]
            futures[stage.name] = pool.submit(run, spec, stage, waits)
        for future in futures.values():
            future.result()
    return {name: SourceStats.of(tallies[name], http.stats(name)) for name in instances}


def _in_dependency_order(
    stages: list[tuple[SourceSpec, Stage]],
) -> list[tuple[SourceSpec, Stage]]:
    """The stages, each after those it waits for (registration order otherwise)."""
    done: set[str] = set()
    ordered: list[tuple[SourceSpec, Stage]] = []
    pending = list(stages)
    while pending:
        ready = [item for item in pending if all(name in done for name in item[1].after)]
        if not ready:
            cycle = ", ".join(stage.name for _, stage in pending)
            raise ValueError(f"stages wait for each other: {cycle}")
        for item in ready:
            ordered.append(item)
            done.add(item[1].name)
        pending = [item for item in pending if item[1].name not in done]
    return ordered
