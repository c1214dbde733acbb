"""One catalogue entry from what its stages asked and were told (the merge does the rest).

For every registered source, the build reads exactly the keys the entry asked (recorded by the
stages) and their answers. An answer that failed, or a look-up this run did not make, keeps the
cache's record (any age, see ``run_source``) or else, the second memory, what the previous
catalogue took from that source; kept values are marked stale when the look-up failed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from .errors import InvalidResponse
from .merge import EntryInput, build_entry
from .models import Entry, EntryError, ErrorKind
from .plan import EntryLookups, Lookups
from .previous import PreviousEntry, kept_record, kept_repos, kept_since, repo_record
from .sources import REGISTRY, Result, SourceSpec, Stage


def reason(result: Result) -> str:
    error = result.error
    return f"{error.kind}: {error}" if error else "not looked up"


@dataclass(frozen=True)
class BuildOrder:
    """The registered sources as every entry's build reads them: computed once a run
    (:func:`build_order`), since sources may be registered at run time."""

    sources: tuple[SourceSpec, ...]
    """Paper sources that give all their answers, then those that give their first, then
    repository sources (the order of the entry's errors)."""
    dependent: tuple[tuple[SourceSpec, Stage], ...]
    """The stages keyed by other sources' answers, in registration order."""


def build_order() -> BuildOrder:
    specs = list(REGISTRY.values())
    return BuildOrder(
        sources=(*[s for s in specs if s.role == "paper" and not s.first_answer],
                 *[s for s in specs if s.role == "paper" and s.first_answer],
                 *[s for s in specs if s.role == "repos"]),
        dependent=tuple((spec, stage) for spec in specs for stage in spec.stages
                        if stage.keyed_by),
    )


def build(view: EntryLookups, prev: PreviousEntry | None,
          order: BuildOrder | None = None) -> tuple[Entry, int]:
    """The catalogue entry of one planned entry, and how many answers contradicted the
    previous catalogue (a source that never deletes a record answering "not found").
    ``order`` is the run's :func:`build_order` (read from the registry when not given)."""
    if order is None:
        order = build_order()
    plan = view.plan
    data = EntryInput(list_ids=dict(plan.list_ids), errors=list(plan.notes))
    contradictions = 0

    def outcome(spec: SourceSpec, key: str) -> Result | None:
        nonlocal contradictions
        result = view.result(spec.name, key)
        if result is None:
            return None
        if (spec.permanent and result.status == "not_found" and prev is not None
                and prev.knows_from(spec.name)):
            # "unknown" for a record the previous catalogue has values from is a broken answer
            # (an empty or garbled feed), not a deleted record
            contradictions += 1
            error = InvalidResponse(f"{spec.name} answered without {key}, which it knew before",
                                    source=spec.name, ref=key)
            result = Result(status="failed", error=error)
        if result.status == "not_found":
            data.errors.append(EntryError(source=spec.name, ref=key, kind="not_found",
                                          message=f"{spec.name} does not know {key}"))
        elif result.status == "failed" and result.error is not None:
            kind = cast(ErrorKind, result.error.kind)
            data.errors.append(EntryError(source=spec.name, ref=key, kind=kind,
                                          message=str(result.error)))
        return result

    for spec in order.sources:
        if spec.role == "repos":
            for stage in spec.stages:
                provenance = stage.provenance or spec.name
                for key in view.lookups.asked_in(plan.key, stage.name):
                    _repo(data, key, outcome(spec, key), prev, provenance)
        elif spec.first_answer:
            for key in view.asked(spec.name):
                result = outcome(spec, key)
                if result is not None and (result.record or result.status in ("failed", "absent")):
                    _use(data, spec.name, result, prev)
                    break
        else:
            for key in view.asked(spec.name):
                _use(data, spec.name, outcome(spec, key), prev)

    if prev is not None:
        _keep_unreached(data, prev, view, order)

    entry = plan.entry
    base = {
        "key": plan.key,
        "name": entry.name,
        "kind": entry.kind,
        "section": entry.section,
        "text": entry.text,
        "listed_venue": entry.listed_venue,
        "links": entry.links,
    }
    return build_entry(base, data), contradictions


def needs_memory(lookups: Lookups) -> bool:
    """Whether any answer of the run leaves a value to the previous catalogue: a look-up that
    failed or was not made and has no cached record, or "not found" from a source that never
    deletes a record (checked against what the previous catalogue knew). These are the only
    answers :func:`build` reads ``prev`` for; when there are none, every entry is built the
    same with or without it, and the previous catalogue's entries need not be read."""
    for source, results in lookups.by_source.items():
        permanent = REGISTRY[source].permanent if source in REGISTRY else False
        for result in results.values():
            if result.record:
                continue
            if result.status in ("failed", "absent") or (
                    permanent and result.status == "not_found"):
                return True
    return False


def _use(data: EntryInput, source: str, result: Result | None, prev: PreviousEntry | None) -> None:
    """Add a source's record to the entry, falling back to the previous catalogue."""
    if result is None:
        return
    if result.record:
        data.records.setdefault(source, []).append(result.record)
        if result.stale:
            data.stale_sources[source] = (result.fetched_at, reason(result))
        return
    if result.status not in ("failed", "absent") or prev is None:
        return
    kept = kept_record(prev, source)
    if kept is None:
        return
    data.records.setdefault(source, []).append(kept)
    if result.status == "failed":
        data.stale_sources[source] = (kept_since(prev, source), reason(result))


def _repo(data: EntryInput, key: str, result: Result | None, prev: PreviousEntry | None,
          provenance: str) -> None:
    if result is None:
        return
    if result.record:
        data.repos.append((key, result.record, provenance))
        if result.stale:
            name = result.record["full_name"].lower()
            data.stale_repos[name] = (result.fetched_at, reason(result))
        return
    if result.status not in ("failed", "absent") or prev is None:
        return
    for repo in kept_repos(prev, key):
        data.repos.append((repo.get("renamed_from") or key, repo_record(repo), provenance))
        if result.status == "failed":
            since = prev.since(f"repos.{repo['full_name']}")
            data.stale_repos[repo["full_name"].lower()] = (since, reason(result))


def _keep_unreached(data: EntryInput, prev: PreviousEntry, view: EntryLookups,
                    order: BuildOrder) -> None:
    """Keep what an earlier look-up's failure (or absence) kept this run from asking.

    A dependent look-up (the journal version of a preprint, a repository named in an abstract)
    is only asked when the look-ups it is keyed by answered. When one of those failed, the
    previous catalogue's values of the dependent look-up are kept and marked stale with that
    failure; when it was not asked at all (``--offline``, ``--only``), they are kept as they are.
    """
    have = {record["full_name"].lower() for _, record, _ in data.repos}
    for spec, stage in order.dependent:
        blocked = _blocked_upstream(view, stage.keyed_by)
        if blocked is None:
            continue
        why = None if blocked.status == "absent" or blocked.error is None else reason(blocked)
        if spec.role == "paper":
            if spec.name in data.records or not prev.knows_from(spec.name):
                continue
            kept = kept_record(prev, spec.name)
            if kept is not None:
                data.records[spec.name] = [kept]
                if why:
                    data.stale_sources[spec.name] = (kept_since(prev, spec.name), why)
            continue
        provenance = stage.provenance or spec.name
        for repo in prev.repos:
            name = repo["full_name"]
            if prev.provenance.get(f"repos.{name}") != provenance or name.lower() in have:
                continue
            data.repos.append((repo.get("renamed_from") or name.lower(), repo_record(repo),
                               provenance))
            if why:
                data.stale_repos[name.lower()] = (prev.since(f"repos.{name}"), why)


def _blocked_upstream(view: EntryLookups, keyed_by: tuple[str, ...]) -> Result | None:
    """The first answer of the sources ``keyed_by`` that a dependent look-up of this entry
    needed and did not get."""
    for source in keyed_by:
        for key in view.claimed(source):
            result = view.result(source, key)
            if result is not None and result.status in ("failed", "absent") and not result.record:
                return result
    return None
