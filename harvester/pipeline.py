"""One harvest: list → entries → per-source look-ups → merge → validated catalogue → writers.

Look-ups run as *stages*, each one source asked for one set of keys. A stage starts as soon as
the stages it depends on are done, so sources run side by side at their own host's pace and only
the look-ups that need an earlier answer wait for it:

==============================  ========================================  ===================
stage                            keys                                      waits for
==============================  ========================================  ===================
arxiv, openreview, biorxiv,      ids taken from the list's links           —
crossref, neurips, github,
semanticscholar (ids)
semanticscholar (titles)         papers with no id S2 accepts, by title:   the title's source
                                 the list's, OpenReview's or NeurIPS'      (none, openreview,
                                                                           neurips)
crossref (journal versions)      a preprint's published DOI                arxiv, biorxiv
github (discovered)              repositories named in paper metadata      the paper sources
semanticscholar (fallback)       papers whose S2 id was unknown, by title  the above
openalex (fallback)              papers S2 could not count (key required)  S2 fallback
==============================  ========================================  ===================

A look-up that fails keeps the cached record (any age) or, failing that, the previous
catalogue's values, and lists them as stale; the run then exits 2.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
import unicodedata
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from .cache import RecordCache, iso, utcnow
from .config import Settings
from .errors import InvalidResponse
from .http import Http, SourceStats
from .identify import github_urls
from .listparse import ListEntry
from .listsource import guard_entries, load_list, read_entries
from .merge import EntryInput, build_entry
from .models import SOURCE_NAMES, Catalog, Entry, EntryError, ListInfo, Summary
from .sources import Result, run_source, source_class
from .sources.base import Mode

_YEAR = re.compile(r"(?<!\d)(19|20)\d{2}(?!\d)")
DISCOVERY_SOURCES = ("arxiv", "openreview", "biorxiv", "crossref")
PERMANENT_IDS = ("arxiv",)
"""Sources that never delete a record: 'not found' for a known one is a broken answer."""


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
    catalog: Catalog
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


# ------------------------------------------------------------------------------- entry plan


@dataclass
class EntryPlan:
    """What to ask about one list entry."""

    entry: ListEntry
    key: str
    list_ids: dict[str, str] = field(default_factory=dict)
    arxiv: list[str] = field(default_factory=list)
    openreview: list[str] = field(default_factory=list)
    biorxiv: list[str] = field(default_factory=list)
    crossref: list[str] = field(default_factory=list)
    neurips: list[str] = field(default_factory=list)
    repos: list[str] = field(default_factory=list)
    """Repository keys (lower-case owner/repo) the list links."""
    s2_id: str | None = None
    notes: list[EntryError] = field(default_factory=list)

    def keys(self, source: str) -> list[str]:
        return getattr(self, source) if source != "github" else self.repos


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
        lid = link.id
        if link.kind == "arxiv" and lid:
            plan.arxiv.append(lid)
            plan.list_ids.setdefault("arxiv", lid)
        elif link.kind == "openreview" and lid:
            plan.openreview.append(lid)
            plan.list_ids.setdefault("openreview", lid)
        elif link.kind == "biorxiv" and lid:
            server = "medrxiv:" if "medrxiv.org" in link.url.lower() else ""
            plan.biorxiv.append(server + lid)
            plan.list_ids.setdefault("biorxiv", lid)
        elif link.kind == "doi" and lid:
            plan.crossref.append(lid.lower())
            plan.list_ids.setdefault("doi", lid.lower())
        elif link.kind == "proceedings" and lid:
            plan.list_ids.setdefault("proceedings", lid)
            if lid.startswith("neurips:"):
                plan.neurips.append(lid)
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
        elif link.kind == "github" and lid:
            plan.repos.append(lid.lower())
    for name in ("arxiv", "openreview", "biorxiv", "crossref", "neurips", "repos"):
        setattr(plan, name, list(dict.fromkeys(getattr(plan, name))))
    if plan.arxiv:
        plan.s2_id = f"ARXIV:{plan.arxiv[0]}"
    elif plan.crossref:
        plan.s2_id = f"DOI:{plan.crossref[0]}"
    elif plan.biorxiv and plan.biorxiv[0].startswith("medrxiv:"):
        # S2 resolves URL: ids only for a few hosts; medrxiv.org is not one of them
        plan.s2_id = f"DOI:{plan.biorxiv[0].removeprefix('medrxiv:')}"
    elif plan.biorxiv:
        plan.s2_id = f"URL:https://www.biorxiv.org/content/{plan.biorxiv[0]}"
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


def title_key(title: str, year: int | None) -> str:
    return f"TITLE:{year or ''}:{' '.join(title.split())}"


# ------------------------------------------------------------------------------- the run


class _Results:
    """Results of all stages: source → key → Result (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.by_source: dict[str, dict[str, Result]] = {name: {} for name in SOURCE_NAMES}

    def update(self, source: str, results: dict[str, Result]) -> None:
        with self._lock:
            self.by_source[source].update(results)

    def get(self, source: str, key: str) -> Result | None:
        return self.by_source[source].get(key)

    def record(self, source: str, key: str) -> dict[str, Any] | None:
        result = self.get(source, key)
        return result.record if result else None


@dataclass
class _Stage:
    name: str
    source: str
    keys: Callable[[], list[str]]
    after: tuple[str, ...] = ()


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
    if options.offline:
        transport = httpx.MockTransport(_refuse)  # nothing may reach the network
    http = Http(settings, transport=transport, sleep=sleep)
    try:
        loaded = load_list(options.list_spec, http, cache, now, offline=options.offline)
        warnings.extend(loaded.warnings)
        parsed, list_warnings = read_entries(loaded)
        warnings.extend(list_warnings)
        for message in warnings:
            reporter.warn(message)
        keys = unique_keys([e.name for e in parsed.entries])
        plans = [plan_entry(e, k) for e, k in zip(parsed.entries, keys, strict=True)]

        previous, previous_summary = _load_previous(options.output, reporter)
        shrunk = guard_entries(len(plans), previous_summary, allow_empty=options.allow_empty)
        results = _Results()
        early = len(cache.warnings)
        stats = _run_stages(settings, options, plans, results, cache, http, now, reporter)
        for message in [*shrunk, *cache.warnings[early:], *http.warnings()]:
            warnings.append(message)
            reporter.warn(message)
        match = _previous_matcher(previous)
        built = [_build(plan, results, match(plan)) for plan in plans]
        entries = [entry for entry, _ in built]
        contradictions = sum(n for _, n in built)
    finally:
        http.close()
        cache.close()

    catalog = Catalog(
        list=ListInfo(
            source=loaded.source,
            sha256=hashlib.sha256(loaded.data).hexdigest(),
            title=parsed.title,
        ),
        summary=summarize(entries),
        entries=entries,
    )
    failed = sum(s.failed for s in stats.values()) + contradictions
    return RunReport(
        catalog=catalog,
        stats=stats,
        warnings=warnings,
        failed=failed,
        list_fallback=loaded.fallback,
        started_at=iso(now),
        duration=time.monotonic() - started,
        previous_summary=previous_summary,
    )


def _refuse(request: httpx.Request) -> httpx.Response:
    raise RuntimeError(f"--offline: no request may be sent ({request.method} {request.url.host})")


def summarize(entries: list[Entry]) -> Summary:
    papers = [e.paper for e in entries if e.paper is not None]
    return Summary(
        entries=len(entries),
        papers=sum(1 for e in entries if e.kind == "paper"),
        with_abstract=sum(1 for p in papers if p.abstract),
        with_citations=sum(1 for p in papers if p.citation_count is not None),
        repos=sum(len(e.repos) for e in entries),
        stale_values=sum(len(e.stale) for e in entries),
        errors=sum(len(e.errors) for e in entries),
    )


def _mode(source: str, settings: Settings, options: RunOptions) -> Mode | None:
    """How a source is used this run; None when it is not used at all."""
    if source == "openalex" and settings.openalex_api_key is None:
        return None
    if options.offline or not settings.source(source).enabled:
        return "offline"
    if options.only is not None and source not in options.only:
        return "offline"
    return "refresh" if options.refresh else "normal"


def _run_stages(settings, options, plans, results, cache, http, now, reporter):
    def titles(origin: str) -> Callable[[], list[str]]:
        """Title matches for papers with no id S2 accepts, whose title comes from ``origin``."""

        def keys() -> list[str]:
            found = []
            for plan in plans:
                if plan.s2_id is None and plan.entry.kind == "paper" and (
                    _title_origin(plan) == origin
                ):
                    title, year = _best_title(plan, results, ("openreview", "neurips"))
                    if title:
                        found.append(title_key(title, year))
            return found

        return keys

    def s2_fallback() -> list[str]:
        keys = []
        for plan in plans:
            if plan.s2_id is None:
                continue
            result = results.get("semanticscholar", plan.s2_id)
            if result is not None and result.status == "not_found":
                title, year = _best_title(
                    plan, results, ("crossref", "arxiv", "biorxiv", "openreview")
                )
                if title:
                    keys.append(title_key(title, year))
        return keys

    def journal_dois() -> list[str]:
        listed = {doi for plan in plans for doi in plan.crossref}
        found = []
        for plan in plans:
            found.extend(d for d in _published_dois(plan, results) if d not in listed)
        return found

    def discovered_repos() -> list[str]:
        asked = results.by_source["github"]  # listed anywhere in the list: already answered
        return [repo for plan in plans for repo in _discovered(plan, results) if repo not in asked]

    def openalex_dois() -> list[str]:
        keys = []
        for plan in plans:
            if _s2_record(plan, results) is None:
                doi = _best_doi(plan, results)
                if doi:
                    keys.append(f"doi:{doi}")
        return keys

    def listed(source: str) -> Callable[[], list[str]]:
        return lambda: [k for plan in plans for k in plan.keys(source)]

    stages = [
        _Stage("arxiv", "arxiv", listed("arxiv")),
        _Stage("openreview", "openreview", listed("openreview")),
        _Stage("biorxiv", "biorxiv", listed("biorxiv")),
        _Stage("crossref", "crossref", listed("crossref")),
        _Stage("neurips", "neurips", listed("neurips")),
        _Stage("github", "github", listed("github")),
        _Stage("s2-ids", "semanticscholar", lambda: [p.s2_id for p in plans if p.s2_id]),
        _Stage("s2-titles", "semanticscholar", titles("list")),
        _Stage("s2-titles-openreview", "semanticscholar", titles("openreview"), ("openreview",)),
        _Stage("s2-titles-neurips", "semanticscholar", titles("neurips"), ("neurips",)),
        _Stage("crossref-journal", "crossref", journal_dois, ("arxiv", "biorxiv", "crossref")),
        _Stage("github-discovered", "github", discovered_repos,
               (*DISCOVERY_SOURCES, "crossref-journal", "github")),
        _Stage(
            "s2-fallback",
            "semanticscholar",
            s2_fallback,
            ("s2-ids", "s2-titles", "s2-titles-openreview", "s2-titles-neurips", "arxiv",
             "biorxiv", "crossref", "crossref-journal"),
        ),
        _Stage("openalex", "openalex", openalex_dois, ("s2-fallback",)),
    ]
    instances: dict[str, Any] = {}
    for source in SOURCE_NAMES:
        if _mode(source, settings, options) is not None:
            instances[source] = source_class(source)(http, settings)

    def run(stage: _Stage, waits: list[Future]) -> None:
        for future in waits:
            future.result()
        mode = _mode(stage.source, settings, options)
        if mode is None:
            return
        keys = list(dict.fromkeys(stage.keys()))
        if not keys:
            return
        reporter.stage(stage.name, len(keys))
        found = run_source(
            instances[stage.source],
            keys,
            cache,
            mode,
            now,
            progress=lambda _source, n: reporter.advance(stage.name, n),
        )
        results.update(stage.source, found)

    futures: dict[str, Future] = {}
    with ThreadPoolExecutor(max_workers=len(stages), thread_name_prefix="stage") as pool:
        for stage in stages:
            futures[stage.name] = pool.submit(run, stage, [futures[d] for d in stage.after])
        for future in futures.values():
            future.result()

    return {name: http.stats(name) for name in instances}


# ------------------------------------------------------------------------------- helpers


def _records(plan: EntryPlan, results: _Results, source: str) -> list[dict[str, Any]]:
    """This run's records of ``source`` for one entry (a preprint's journal version included)."""
    out = []
    keys = plan.keys(source) if source != "crossref" else _entry_keys(plan, results, source)
    for key in keys:
        record = results.record(source, key)
        if record:
            out.append(record)
    return out


def _title_origin(plan: EntryPlan) -> str:
    """Where a paper with no S2 id gets the title it is matched by."""
    return "openreview" if plan.openreview else "neurips" if plan.neurips else "list"


def _best_title(plan, results, order) -> tuple[str | None, int | None]:
    year = None
    if plan.entry.listed_venue:
        match = _YEAR.search(plan.entry.listed_venue)
        year = int(match.group(0)) if match else None
    for source in order:
        for record in _records(plan, results, source):
            if record.get("title"):
                return record["title"], record.get("year") or year
    return list_title(plan.entry), year


def _published_dois(plan: EntryPlan, results: _Results) -> list[str]:
    dois = []
    for source in ("arxiv", "biorxiv"):
        for record in _records(plan, results, source):
            doi = (record.get("published_doi") or "").lower()
            if doi and not doi.startswith("10.48550/"):
                dois.append(doi)
    return dois


def _discovered(plan: EntryPlan, results: _Results) -> list[str]:
    """Repositories a paper's own metadata names (code fields, comments, abstracts)."""
    listed = set(plan.repos)
    found: list[str] = []
    for source in DISCOVERY_SOURCES:
        for record in _records(plan, results, source):
            urls = github_urls(record.get("comment"), record.get("abstract")) or []
            for url in [*(record.get("code_urls") or ()), *urls]:
                key = url.removeprefix("https://github.com/").lower()
                if key not in listed and key not in found:
                    found.append(key)
    return found


def _entry_keys(plan: EntryPlan, results: _Results, source: str) -> list[str]:
    """The keys of ``source`` that belong to one entry, dependent look-ups included."""
    if source == "crossref":
        published = _published_dois(plan, results)
        return [*plan.crossref, *(d for d in published if d not in plan.crossref)]
    if source == "openalex":
        doi = _best_doi(plan, results) if _s2_record(plan, results) is None else None
        return [f"doi:{doi}"] if doi else []
    return plan.keys(source)


def _s2_keys(plan: EntryPlan, results: _Results) -> list[str]:
    keys = [plan.s2_id] if plan.s2_id else []
    for order in (("openreview", "neurips"), ("crossref", "arxiv", "biorxiv", "openreview")):
        title, year = _best_title(plan, results, order)
        if title:
            keys.append(title_key(title, year))
    return list(dict.fromkeys(keys))


def _s2_record(plan: EntryPlan, results: _Results) -> dict[str, Any] | None:
    for key in _s2_keys(plan, results):
        record = results.record("semanticscholar", key)
        if record:
            return record
    return None


def _best_doi(plan: EntryPlan, results: _Results) -> str | None:
    for doi in [*plan.crossref, *_published_dois(plan, results)]:
        return doi
    if plan.arxiv:
        return f"10.48550/arxiv.{plan.arxiv[0]}".lower()
    return None


def _load_previous(path: Path, reporter: Reporter) -> tuple[dict[str, Entry], Summary | None]:
    """The previous catalogue's entries by key, and its summary."""
    try:
        catalog = Catalog.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        return {}, None
    except (OSError, ValueError) as exc:
        name = type(exc).__name__
        reporter.warn(f"previous catalogue {path} is unreadable and is ignored ({name})")
        return {}, None
    return {entry.key: entry for entry in catalog.entries}, catalog.summary


_PAPER_FIELDS = {
    "paper.title": "title",
    "paper.abstract": "abstract",
    "paper.authors": "authors",
    "paper.year": "year",
    "paper.published": "published",
    "paper.venue": "venue",
    "paper.status": "status",
    "paper.urls.landing": "landing_url",
    "paper.urls.pdf": "pdf_url",
    "paper.citation_count": "citation_count",
    "paper.influential_citation_count": "influential_citation_count",
}


def _previous_record(prev: Entry, source: str) -> dict[str, Any] | None:
    """The fields a previous catalogue entry holds from ``source``, as a source record."""
    if prev.paper is None:
        return None
    paper = prev.paper.model_dump()
    record: dict[str, Any] = {"ids": {}}
    for name, src in prev.provenance.items():
        if src != source:
            continue
        if name in _PAPER_FIELDS:
            value = paper
            for part in name.split(".")[1:]:
                value = value[part]
            if name == "paper.authors":
                value = [a["name"] for a in value]
            record[_PAPER_FIELDS[name]] = value
        elif name.startswith("paper.ids."):
            record["ids"][name.removeprefix("paper.ids.")] = paper["ids"][
                name.removeprefix("paper.ids.")
            ]
    return record if len(record) > 1 or record["ids"] else None


def _previous_since(prev: Entry, source: str) -> str | None:
    fields = {name for name, src in prev.provenance.items() if src == source}
    return next((s.since for s in prev.stale if s.field in fields and s.since), None)


def _build(plan: EntryPlan, results: _Results, prev: Entry | None) -> tuple[Entry, int]:
    """The catalogue entry of one plan, and how many answers contradicted the previous one."""
    entry = plan.entry
    data = EntryInput(list_ids=dict(plan.list_ids), errors=list(plan.notes))

    contradictions = 0

    def outcome(source: str, key: str) -> Result | None:
        nonlocal contradictions
        result = results.get(source, key)
        if result is None:
            return None
        if (
            source in PERMANENT_IDS
            and result.status == "not_found"
            and prev is not None
            and source in prev.provenance.values()
        ):
            # arXiv never deletes a paper: "unknown" for one the previous catalogue has
            # records from is a broken answer (an empty or garbled feed), not a dead id
            contradictions += 1
            error = InvalidResponse(f"{source} answered without {key}, which it knew before",
                                    source=source, ref=key)
            result = Result(status="failed", error=error)
        if result.status == "not_found":
            data.errors.append(
                EntryError(
                    source=source,
                    ref=key,
                    kind="not_found",
                    message=f"{source} does not know {key}",
                )
            )
        elif result.status == "failed" and result.error is not None:
            data.errors.append(
                EntryError(
                    source=source, ref=key, kind=result.error.kind, message=str(result.error)
                )
            )
        return result

    def reason(result: Result) -> str:
        error = result.error
        return f"{error.kind}: {error}" if error else "not looked up"

    paper_sources = [s for s in SOURCE_NAMES if s not in ("github", "semanticscholar")]
    for source in paper_sources:
        for key in _entry_keys(plan, results, source):
            result = outcome(source, key)
            _use(data, source, result, prev, reason)

    for key in _s2_keys(plan, results):
        result = outcome("semanticscholar", key)
        if result is not None and (result.record or result.status in ("failed", "absent")):
            _use(data, "semanticscholar", result, prev, reason)
            break

    for key, provenance in [
        *((k, "github") for k in plan.repos),
        *((k, "github (discovered)") for k in _discovered(plan, results)),
    ]:
        result = outcome("github", key)
        if result is not None and result.record:
            data.repos.append((key, result.record, provenance))
            if result.stale:
                name = result.record["full_name"].lower()
                data.stale_repos[name] = (result.fetched_at, reason(result))
        elif result is not None and result.status in ("failed", "absent") and prev is not None:
            for repo in prev.repos:
                if key in (repo.full_name.lower(), (repo.renamed_from or "").lower()):
                    record = repo.model_dump(exclude={"renamed_from"})
                    data.repos.append((repo.renamed_from or key, record, provenance))
                    if result.status == "failed":
                        since = next(
                            (s.since for s in prev.stale if s.field == f"repos.{repo.full_name}"),
                            None,
                        )
                        data.stale_repos[repo.full_name.lower()] = (since, reason(result))

    _keep_unreached(data, prev, results, plan)

    base = {
        "key": plan.key,
        "name": entry.name,
        "kind": entry.kind,
        "section": entry.section,
        "text": entry.text,
        "listed_venue": entry.listed_venue,
        "links": entry.links,
    }
    return build_entry(base, entry.listed_venue, data), contradictions


def _previous_matcher(previous: dict[str, Entry]) -> Callable[[EntryPlan], Entry | None]:
    """Find an entry's previous self: by key, else by a paper id its links share.

    A renamed entry keeps its values; an entry whose key now names another paper (the list
    was reordered and a duplicate name moved) is not mistaken for it.
    """
    by_id: dict[str, Entry] = {}
    for entry in previous.values():
        for link in entry.links:
            if link.id and link.kind != "github":
                by_id.setdefault(f"{link.kind}:{link.id.lower()}", entry)

    def ids(links) -> set[str]:
        return {f"{link.kind}:{link.id.lower()}" for link in links
                if link.id and link.kind != "github"}

    def match(plan: EntryPlan) -> Entry | None:
        mine = ids(plan.entry.links)
        same_key = previous.get(plan.key)
        if same_key is not None and (not mine or mine & ids(same_key.links)):
            return same_key
        return next((by_id[i] for i in sorted(mine) if i in by_id), None)

    return match


def _keep_unreached(data: EntryInput, prev: Entry | None, results: _Results, plan) -> None:
    """Keep what an earlier look-up's failure (or absence) kept this run from asking.

    A dependent look-up (the journal version of a preprint, a repository named in an abstract)
    is only asked when the look-up it depends on answered. When that one failed, the previous
    catalogue's values of the dependent look-up are kept and marked stale with that failure;
    when it was not asked at all (``--offline``, ``--only``), they are kept as they are.
    """
    if prev is None:
        return
    blocked = _blocked_upstream(plan, results)
    if blocked is None:
        return
    why = None if blocked.status == "absent" else f"{blocked.error.kind}: {blocked.error}"
    if "crossref" not in data.records and "crossref" in prev.provenance.values():
        kept = _previous_record(prev, "crossref")
        if kept is not None:
            data.records["crossref"] = [kept]
            if why:
                data.stale_sources["crossref"] = (_previous_since(prev, "crossref"), why)
    have = {record["full_name"].lower() for _, record, _ in data.repos}
    for repo in prev.repos:
        origin = prev.provenance.get(f"repos.{repo.full_name}")
        if origin == "github (discovered)" and repo.full_name.lower() not in have:
            record = repo.model_dump(exclude={"renamed_from"})
            data.repos.append((repo.renamed_from or repo.full_name.lower(), record, origin))
            if why:
                since = next(
                    (s.since for s in prev.stale if s.field == f"repos.{repo.full_name}"), None
                )
                data.stale_repos[repo.full_name.lower()] = (since, why)


def _blocked_upstream(plan: EntryPlan, results: _Results) -> Result | None:
    """The first answer a dependent look-up of this entry needed and did not get."""
    for source in DISCOVERY_SOURCES:
        for key in plan.keys(source):
            result = results.get(source, key)
            if result is not None and result.status in ("failed", "absent") and not result.record:
                return result
    return None


def _use(data: EntryInput, source: str, result: Result | None, prev: Entry | None, reason) -> None:
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
    kept = _previous_record(prev, source)
    if kept is None:
        return
    data.records.setdefault(source, []).append(kept)
    if result.status == "failed":
        data.stale_sources[source] = (_previous_since(prev, source), reason(result))
