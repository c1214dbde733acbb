"""What the run asks about each list entry, and what it has learnt so far.

``plan_entry`` gives every registered source the keys it claims from the entry's links. While
the stages run, :class:`Lookups` holds every answer and, per entry and stage, the keys that
entry asked; :class:`EntryLookups` is one entry's view of both, the one the stages' key
functions and the build read. What an entry asked is recorded once, when its stage runs; the
build reads exactly that.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from .listparse import ListEntry
from .models import EntryError
from .sources import REGISTRY, Result

_YEAR = re.compile(r"(?<!\d)(19|20)\d{2}(?!\d)")

LIST_IDS = {"arxiv": "arxiv", "openreview": "openreview", "biorxiv": "biorxiv", "doi": "doi",
            "proceedings": "proceedings"}
"""Link kinds whose id the paper record takes from the list (``paper.ids.<name>``)."""


@dataclass
class EntryPlan:
    """What to ask about one list entry."""

    entry: ListEntry
    key: str
    list_ids: dict[str, str] = field(default_factory=dict)
    claims: dict[str, list[str]] = field(default_factory=dict)
    """Keys per source, from the entry's links (each source claims what it can answer)."""
    notes: list[EntryError] = field(default_factory=list)

    def claimed(self, source: str) -> list[str]:
        return self.claims.get(source, [])


def slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug[:60].rstrip("-") or "entry"


def unique_keys(names: list[str]) -> list[str]:
    """Stable unique slugs: the second "poyo" becomes "poyo-2", in list order."""
    taken: set[str] = set()
    next_suffix: dict[str, int] = {}
    keys = []
    for name in names:
        base = key = slugify(name)
        while key in taken:
            next_suffix[base] = next_suffix.get(base, 1) + 1
            key = f"{base}-{next_suffix[base]}"
        taken.add(key)
        keys.append(key)
    return keys


def plan_entry(entry: ListEntry, key: str) -> EntryPlan:
    plan = EntryPlan(entry=entry, key=key)
    for link in entry.links:
        name = LIST_IDS.get(link.kind)
        if link.kind == "pubmed" and link.id:  # pmid:<n> or pmcid:PMC<n>
            field, _, value = link.id.partition(":")
            plan.list_ids.setdefault(field, value)
        elif name and link.id:
            plan.list_ids.setdefault(name, link.id.lower() if name == "doi" else link.id)
        elif link.kind == "proceedings":
            plan.notes.append(
                EntryError(
                    source="list",
                    ref=link.url,
                    kind="not_found",
                    message="this proceedings link names no paper (an index page); "
                    "the paper is looked up by title instead",
                )
            )
        for source, spec in REGISTRY.items():
            claimed = spec.claim(link)
            if claimed is not None:
                keys = plan.claims.setdefault(source, [])
                if claimed not in keys:
                    keys.append(claimed)
    return plan


def list_title(entry: ListEntry) -> str | None:
    """The paper title as the list writes it.

    Lists name papers either by a nickname (``**POYO**: A Unified … NeurIPS 2023``: the title is
    the text without its venue phrase) or by the title itself (``**Title**<br>authors<br>venue``:
    the text also holds the authors, so the name is the better title).
    """
    if len(entry.name.split()) >= 4:
        return entry.name.strip(" \t.,;:")
    text = entry.text or ""
    if entry.listed_venue and entry.listed_venue in text:
        head, _, tail = text.rpartition(entry.listed_venue)
        text = head if len(head) >= len(tail) else tail
    text = text.strip(" \t.,;:-–—()[]")
    return text or None


class Lookups:
    """Every stage's answers (source → key → Result) and what each entry asked (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.by_source: dict[str, dict[str, Result]] = {}
        self._asked: dict[str, dict[str, list[str]]] = {}
        """entry key → stage name → the keys that entry asked in that stage (when any)."""
        self._asked_by_source: dict[str, dict[str, list[str]]] = {}
        """entry key → source → the keys of its recorded stages, in the source's stage order."""

    def update(self, source: str, results: dict[str, Result]) -> None:
        with self._lock:
            self.by_source.setdefault(source, {}).update(results)

    def record_asked(self, stage: str, asked: dict[str, list[str]]) -> None:
        """What each entry asked in ``stage`` (each stage records once, when it runs). Each
        entry's keys of the stage's source are brought up to date at once, in the order the
        source declares its stages (whatever order they end in), for :meth:`asked_of`."""
        source = next((spec for spec in REGISTRY.values()
                       if any(known.name == stage for known in spec.stages)), None)
        names = [known.name for known in source.stages] if source is not None else []
        with self._lock:
            for entry, keys in asked.items():
                if not keys:
                    continue
                by_stage = self._asked.setdefault(entry, {})
                by_stage[stage] = keys
                if source is None:
                    continue
                of_source = self.asked_of(entry)
                of_source[source.name] = (
                    [key for name in names for key in by_stage.get(name, ())]
                    if source.name in of_source else list(keys))

    def answered(self, source: str) -> set[str]:
        with self._lock:
            return set(self.by_source.get(source, {}))

    def get(self, source: str, key: str) -> Result | None:
        return self.by_source.get(source, {}).get(key)

    def view(self, plan: EntryPlan) -> EntryLookups:
        return EntryLookups(plan, self)

    def asked_in(self, entry: str, stage: str) -> list[str]:
        return self._asked.get(entry, {}).get(stage, [])

    def asked_by(self, entry: str) -> dict[str, list[str]]:
        """Stage name → the keys ``entry`` asked in it, for every stage that asked any."""
        return self._asked.get(entry, {})

    def asked_of(self, entry: str) -> dict[str, list[str]]:
        """The keys an entry has asked so far, by source (kept up to date as stages record)."""
        return self._asked_by_source.setdefault(entry, {})


class EntryLookups:
    """One entry's view of the run (:class:`harvester.sources.EntryView`)."""

    def __init__(self, plan: EntryPlan, lookups: Lookups) -> None:
        self.plan = plan
        self.lookups = lookups
        self._asked = lookups.asked_of(plan.key)

    @property
    def entry(self) -> ListEntry:
        return self.plan.entry

    def claimed(self, source: str) -> list[str]:
        return self.plan.claims.get(source, [])

    def asked(self, source: str) -> list[str]:
        """The keys asked so far (the run's own list: read it, do not change it)."""
        return self._asked.get(source, [])

    def result(self, source: str, key: str) -> Result | None:
        return self.lookups.by_source.get(source, {}).get(key)

    def records(self, source: str) -> list[dict[str, Any]]:
        answers = self.lookups.by_source.get(source, {})
        out = []
        for key in self._asked.get(source, ()):
            result = answers.get(key)
            if result is not None and result.record:
                out.append(result.record)
        return out

    def title(self, order: tuple[str, ...]) -> tuple[str | None, int | None]:
        for source in order:
            for record in self.records(source):
                if record.get("title"):
                    return record["title"], record.get("year") or self._listed_year()
        return list_title(self.entry), self._listed_year()

    def _listed_year(self) -> int | None:
        match = _YEAR.search(self.entry.listed_venue) if self.entry.listed_venue else None
        return int(match.group(0)) if match else None
