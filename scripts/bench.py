#!/usr/bin/env python3
"""Benchmark of the harvester against the fake API server, at the APIs' real paces.

For each list size it generates a synthetic list with the neurofm list's mix of links
(``World.generate``), starts the fake APIs (``tests/fakeapi``) with a realistic per-request
latency and the documented limits enforced (arXiv 1 request / 3 s and one connection,
Semantic Scholar 1 / s, Crossref's pools, GitHub's hourly quota), and runs, each in its own
``python -m harvester`` subprocess with the harvester's default ``min_interval`` settings:

* a **cold** harvest (empty cache),
* a **warm** harvest (same cache, within TTL: must make zero requests), ``--warm-repeat N``
  times (default 1), reported as the median wall time and the highest peak RSS,
* a ``--refresh`` harvest (revalidate everything).

It reports, per source, the requests the fake server counted next to the **minimum** the APIs
allow (Σ ⌈ids ÷ batch limit⌉ plus the per-item calls an API forces and the dependent round),
the wall time next to the **rate-limit floor** (a simulation of every source's paced lane with
the stage dependencies only the data impose), the peak memory of the harvest process
(``ru_maxrss`` of the child, read with ``os.wait4``), and the same list run through a **naive
baseline** (one GET per link to the single-item endpoint, plus one Semantic Scholar GET per
paper for its citation count, sequentially, paced per host at the same ``min_interval``),
measured or — above ``--skip-naive-above`` entries — estimated by
simulating its schedule (requests × pace), and marked "estimated".

GitHub: by default ``GITHUB_TOKEN`` is set (GraphQL, 100 repos a query); ``--github rest``
runs without a token (REST, one request per repo) and raises the fake's unauthenticated REST
quota from 60/h, which would otherwise stop any list with more than 60 repos.
``HARVEST_CONTACT`` is set, so Crossref sees the polite pool (10 requests/s, 3 at a time) the
README recommends; the harvester's pace stays its default 0.2 s.

The targets of the performance contract (``TARGETS``) are assessed from the figures each run
measured: a target the run did not measure (a size or mode not run, a timing at scaled paces)
is "not measured", and the naive speed-up against an estimated baseline says "against an
estimate".

Output: a Markdown table on stdout (paste into the README) and JSON in
``bench-results/bench.json``. ``--quick`` is a smoke run: sizes 20 and 200, no latency, every
pace (the harvester's and the fake's limits alike) divided by ``--pace-factor`` (default 50);
its figures say nothing about real wall times and are labelled so.

    python scripts/bench.py --sizes 20,200,2000 --latency 0.1,0.2 --skip-naive-above 200

``--big-list MB`` instead times ``harvest --offline`` on a generated list of MB megabytes (the
list's 64 MB limit is the ceiling), reporting wall time, entries and peak memory:

    python scripts/bench.py --big-list 20
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import platform
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from harvester.config import SOURCE_DEFAULTS  # noqa: E402
from harvester.sources.neurips import page_tracks  # noqa: E402
from tests.fakeapi import FakeAPI, Limits, World  # noqa: E402
from tests.fakeapi.formats import neurips_paper_suffix, s2_abstract  # noqa: E402

SOURCES = ("arxiv", "openreview", "biorxiv", "crossref", "neurips", "semanticscholar",
           "openalex", "github")
MODES = ("cold", "warm", "refresh")
# Each batch endpoint's documented limit (API-NOTES.md part 3 §8): arXiv max_results 2,000,
# OpenReview notes/search 1,000 ids, S2 /paper/batch 500 ids, GraphQL 100 repos a query;
# Crossref's ~50 DOIs a URL and S2 bulk search's ~25 titles are the practical URL limits.
BATCH = {"arxiv": 2000, "openreview": 1000, "semanticscholar": 500, "github": 100,
         "crossref": 50, "s2_titles": 25}
GITHUB_TOKEN = "bench-token"
S2_KEY = "bench-s2-key"
CONTACT = "bench@example.org"
_SECRET_VARS = ("GITHUB_TOKEN", "S2_API_KEY", "OPENALEX_API_KEY")


# --------------------------------------------------------------------------- configuration


@dataclass(frozen=True)
class Config:
    sizes: tuple[int, ...]
    latency: tuple[float, float]
    pace_factor: float
    quick: bool
    github: str  # "graphql" (token) | "rest" (no token)
    skip_naive_above: int
    modes: tuple[str, ...]
    seed: int
    jobs: int
    timeout: float
    out: Path
    markdown: Path | None
    command: str
    keep: Path | None = None
    render: Path | None = None
    warm_repeat: int = 1

    def interval(self, source: str) -> float:
        """The harvester's default ``min_interval`` for ``source``, divided by the pace factor."""
        return SOURCE_DEFAULTS[source].get("min_interval", 0.0) / self.pace_factor

    @property
    def mean_latency(self) -> float:
        return (self.latency[0] + self.latency[1]) / 2


def fake_limits(config: Config, size: int) -> Limits:
    """The fake's documented limits, scaled with the paces; the unauthenticated GitHub REST
    quota is raised in ``--github rest`` mode (60/h would stop any list beyond 60 repos)."""
    f = config.pace_factor
    limits = Limits()
    limits.arxiv_interval /= f
    limits.s2_interval /= f
    limits.crossref_pools = {
        pool: (max(1, round(rate * f)), conc) for pool, (rate, conc) in
        limits.crossref_pools.items()
    }
    if config.github == "rest":
        limits.github_core = max(5000, 10 * size)
    return limits


def harvest_env(config: Config, api: FakeAPI) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("HARVEST_") and k not in _SECRET_VARS}
    env.update(api.env())
    env["HARVEST_CONTACT"] = CONTACT
    if config.github == "graphql":
        env["GITHUB_TOKEN"] = GITHUB_TOKEN
    env["S2_API_KEY"] = S2_KEY  # a key's pace (1 request/s); the fake checks it
    if config.pace_factor != 1:
        for source in SOURCES:
            env[f"HARVEST_{source.upper()}_MIN_INTERVAL"] = repr(config.interval(source))
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    return env


# --------------------------------------------------------------------------- the minimum


def minimum(world: World, github: str) -> dict[str, Any]:
    """Fewest requests each API allows for the generated list, from the world's ground truth,
    with every batch endpoint at its documented limit (API-NOTES.md part 3 §8, ``BATCH``).

    Per source: Σ ⌈ids ÷ batch limit⌉, plus the per-item calls an API forces (a NeurIPS paper's
    own page for what the year index lacks: its DOI from 2024, its abstract when Semantic
    Scholar has none; a Semantic Scholar single title
    match for each title bulk search cannot find because S2 does not know the paper; bioRxiv API
    calls for preprints whose Crossref record has no abstract; GitHub REST per repo and a renamed
    repo's redirect) and the dependent round (journal DOIs of preprints, in Crossref and in S2
    for a published preprint S2 folded into its journal record, S2 title fall-backs for ids S2
    does not know, repos found in a paper's own metadata).
    """
    papers = world.papers
    arxiv = {p.arxiv for p in papers if p.listed_as == "arxiv"}
    openreview = [p for p in papers if p.listed_as == "openreview"]
    openreview_v1 = [p for p in openreview if p.openreview_v1]
    biorxiv = [p for p in papers if p.listed_as == "biorxiv"]
    biorxiv_api = [p for p in biorxiv if not (p.abstract or "").strip()]
    dois = {p.doi.lower() for p in papers if p.listed_as == "doi"}
    crossref_unknown = sum(1 for d in dois if world.by_doi(d) is None
                           and world.by_biorxiv(d) is None)
    neurips = [p for p in papers if p.listed_as == "neurips"]
    # per year, the cheaper of: its index (one request: title, authors, track of every paper)
    # plus the pages of papers whose DOI (from 2024) or abstract only the page has; or each
    # paper's page, plus a wrong guess for each paper outside the year's usual track
    by_year: dict[int, list] = {}
    for p in neurips:
        if p.neurips:
            by_year.setdefault(p.neurips[0], []).append(p)
    neurips_index = neurips_doi_pages = neurips_abstract_pages = 0
    for year, group in by_year.items():
        wrong = sum(1 for p in group if neurips_paper_suffix(p) != page_tracks(year)[0])
        if year >= 2024:
            doi_pages, abstract_pages = len(group), 0
        else:
            doi_pages = 0
            abstract_pages = sum(1 for p in group if not (p.s2_known and s2_abstract(p)))
        if 1 + doi_pages + abstract_pages <= len(group) + wrong:
            neurips_index += 1
            neurips_doi_pages += doi_pages
            neurips_abstract_pages += abstract_pages
        else:
            neurips_index += len(group) + wrong  # pages only, the per-key way
    neurips_total = neurips_index + neurips_doi_pages + neurips_abstract_pages
    year_pages = [p for p in papers if p.listed_as == "neurips_year"]
    listed_titles = [p for p in papers if p.listed_as in ("neurips_year", "title")]
    repo_names = {p.repo.lower() for p in papers if p.repo}
    repos = {r.full_name.lower(): r for r in world.repos if r.full_name.lower() in repo_names}
    journal = set()
    for p in papers:
        if p.listed_as == "biorxiv" and p.biorxiv_published_doi:
            journal.add(p.biorxiv_published_doi.lower())
        if p.listed_as == "arxiv" and p.doi:
            journal.add(p.doi.lower())
    journal -= dois
    discovered = set()
    for p in papers:
        if p.listed_as in ("arxiv", "openreview") and p.code_url:
            match = re.search(r"github\.com/([\w.-]+)/([\w.-]+)", p.code_url)
            if match:
                name = f"{match[1]}/{match[2]}".lower()
                if name != (p.repo or "").lower():
                    discovered.add(name)
    discovered -= set(repos)

    def s2_unknown(p) -> bool:
        """S2 knows neither the paper's id nor its journal DOI."""
        return not p.s2_known

    # S2 folds a published preprint into its journal record (a medRxiv DOI, asked as DOI:, is
    # unknown there); a preprint whose own id S2 does not know has its journal DOI asked in one
    # more id batch (whether S2 knows the paper cannot be told before asking)
    def journal_doi(p) -> str | None:
        return p.biorxiv_published_doi if p.listed_as == "biorxiv" else (
            p.doi if p.listed_as == "arxiv" else None)

    s2_journal = [p for p in papers if journal_doi(p) and (
        not p.s2_known or (p.listed_as == "biorxiv" and p.biorxiv_server == "medrxiv"))]

    def up(n: int, size: int) -> int:
        return math.ceil(n / size) if n else 0

    def titles(group: list) -> tuple[int, int]:
        """(bulk searches, single matches) for one stage's titles."""
        return up(len(group), BATCH["s2_titles"]), sum(1 for p in group if not p.s2_known)

    s2_ids = len(arxiv) + len(dois) + len(biorxiv)
    fallback = [p for p in papers if p.listed_as in ("arxiv", "doi", "biorxiv")
                and s2_unknown(p)]
    t_list, t_or, t_nips, t_fall = (titles(g) for g in (listed_titles, openreview, neurips,
                                                        fallback))
    bulk_calls = t_list[0] + t_or[0] + t_nips[0] + t_fall[0]
    single = t_list[1] + t_or[1] + t_nips[1] + t_fall[1]

    renamed = sum(1 for r in repos.values() if r.renamed_to)
    if github == "graphql":
        gh = up(len(repos), BATCH["github"]) + up(len(discovered), BATCH["github"])
        gh_terms = f"⌈{len(repos)}/100⌉ + ⌈{len(discovered)} discovered/100⌉ (GraphQL)"
    else:
        gh = len(repos) + renamed + len(discovered)
        gh_terms = (f"{len(repos)} repos + {renamed} rename redirects + "
                    f"{len(discovered)} discovered (REST)")
    cr = BATCH["crossref"]
    per_source = {
        "arxiv": {"requests": up(len(arxiv), BATCH["arxiv"]),
                  "terms": f"⌈{len(arxiv)}/{BATCH['arxiv']}⌉"},
        "openreview": {
            "requests": up(len(openreview), BATCH["openreview"])
            + up(len(openreview_v1), BATCH["openreview"]),
            "terms": f"⌈{len(openreview)}/{BATCH['openreview']}⌉ (v2) + "
                     f"⌈{len(openreview_v1)}/{BATCH['openreview']}⌉ (v1)",
        },
        "biorxiv": {"requests": len(biorxiv_api),
                    "terms": f"{len(biorxiv_api)} preprints Crossref has no abstract for"},
        "crossref": {"requests": up(len(dois), cr) + crossref_unknown + up(len(biorxiv), cr)
                     + up(len(journal), cr),
                     "terms": f"⌈{len(dois)} DOIs/{cr}⌉ + {crossref_unknown} unknown alone + "
                              f"⌈{len(biorxiv)} preprints/{cr}⌉ + "
                              f"⌈{len(journal)} journal DOIs/{cr}⌉"},
        "neurips": {"requests": neurips_total,
                    "terms": f"{neurips_index} year indexes (or pages where cheaper) + "
                             f"{neurips_doi_pages} pages for a DOI (2024 on) + "
                             f"{neurips_abstract_pages} pages for an abstract S2 lacks"},
        "semanticscholar": {
            "requests": up(s2_ids, BATCH["semanticscholar"]) + up(len(s2_journal), BATCH[
                "semanticscholar"]) + bulk_calls + single,
            "terms": f"⌈{s2_ids}/{BATCH['semanticscholar']}⌉ + "
                     f"⌈{len(s2_journal)} journal DOIs/{BATCH['semanticscholar']}⌉ + "
                     f"{bulk_calls} bulk searches "
                     f"(⌈titles/{BATCH['s2_titles']}⌉ per stage) + {single} single matches of "
                     "titles S2 does not know",
        },
        "openalex": {"requests": 0, "terms": "not used (no OPENALEX_API_KEY)"},
        "github": {"requests": gh, "terms": gh_terms},
    }
    gh_discovered = up(len(discovered), 100) if github == "graphql" else len(discovered)
    stages = {
        # name: (lane, requests, depends on)
        "arxiv": ("arxiv", up(len(arxiv), BATCH["arxiv"]), ()),
        "openreview-v2": ("openreview", up(len(openreview), BATCH["openreview"]), ()),
        "openreview-v1": ("openreview", up(len(openreview_v1), BATCH["openreview"]),
                          ("openreview-v2",)),
        "biorxiv": ("crossref", up(len(biorxiv), cr), ()),
        "biorxiv-api": ("biorxiv", len(biorxiv_api), ("biorxiv",)),
        "crossref": ("crossref", up(len(dois), cr) + crossref_unknown, ()),
        "neurips": ("neurips", neurips_index, ()),
        "neurips-doi-pages": ("neurips", neurips_doi_pages, ("neurips",)),
        "github": ("github", gh - gh_discovered, ()),
        "crossref-journal": ("crossref", up(len(journal), cr), ("arxiv", "biorxiv-api")),
        "github-discovered": ("github", gh_discovered, ("arxiv", "openreview-v1")),
        "s2-ids": ("semanticscholar", up(s2_ids, BATCH["semanticscholar"]), ()),
        "s2-titles-list": ("semanticscholar", sum(t_list), ()),
        "s2-titles-openreview": ("semanticscholar", sum(t_or), ("openreview-v1",)),
        "s2-titles-neurips": ("semanticscholar", sum(t_nips), ("neurips",)),
        "s2-journal": ("semanticscholar", up(len(s2_journal), BATCH["semanticscholar"]),
                       ("s2-ids", "biorxiv")),
        "s2-fallback": ("semanticscholar", sum(t_fall),
                        ("s2-ids", "s2-journal", "arxiv", "biorxiv-api", "crossref")),
        "neurips-pages": ("neurips", neurips_abstract_pages, ("s2-titles-neurips",)),
    }
    return {
        "per_source": per_source,
        "total": sum(v["requests"] for v in per_source.values()),
        "stages": stages,
        "counts": {
            "arxiv_ids": len(arxiv), "openreview": len(openreview),
            "openreview_v1": len(openreview_v1), "biorxiv": len(biorxiv),
            "biorxiv_without_abstract": len(biorxiv_api), "dois": len(dois),
            "journal_dois": len(journal), "neurips_papers": len(neurips),
            "neurips_indexes": neurips_index, "neurips_doi_pages": neurips_doi_pages,
            "neurips_abstract_pages": neurips_abstract_pages,
            "neurips_year_pages": len(year_pages),
            "repos": len(repos), "renamed_repos": renamed, "discovered_repos": len(discovered),
            "s2_ids": s2_ids, "s2_fallbacks": len(fallback), "s2_bulk_searches": bulk_calls,
            "s2_single_matches": single,
        },
    }


def floor(stages: dict[str, tuple[str, int, tuple[str, ...]]], config: Config,
          github: str) -> dict[str, Any]:
    """Rate-limit floor: each source is one lane that starts a request at most every
    ``min_interval`` (GitHub REST: 4 at a time), never idle while work is ready; a stage's
    requests are ready when the stages it needs (by data, not by the harvester's plan) are done.
    A request takes the mean latency."""
    lat = config.mean_latency
    finish: dict[str, float] = {}
    lanes: dict[str, list[str]] = {}
    for name, (lane, _, _) in stages.items():
        lanes.setdefault(lane, []).append(name)
    lane_end: dict[str, float] = {}
    pending = dict(stages)
    while pending:
        ready = {n: s for n, s in pending.items() if all(d in finish for d in s[2])}
        if not ready:
            raise RuntimeError("cycle in the floor's stage graph")
        # schedule the stage that becomes ready first (lanes serve in ready order)
        name = min(ready, key=lambda n: max((finish[d] for d in ready[n][2]), default=0.0))
        lane, count, deps = pending.pop(name)
        start = max((finish[d] for d in deps), default=0.0)
        if count == 0:
            finish[name] = start
            continue
        interval = config.interval(lane)
        concurrency = 4 if lane == "github" else 1
        gap = max(interval, lat / concurrency)
        first = max(start, lane_end.get(lane, 0.0))
        last = first + gap * (count - 1)
        lane_end[lane] = last + gap
        finish[name] = last + lat
    by_lane = {lane: max(finish[n] for n in names) for lane, names in lanes.items()}
    slowest = max(by_lane, key=by_lane.get)
    return {"seconds": round(by_lane[slowest], 2), "source": slowest,
            "per_source": {k: round(v, 2) for k, v in sorted(by_lane.items())}}


# --------------------------------------------------------------------------- harvest runs


_LAUNCHER = """\
import os, sys, time
out, cmd = sys.argv[1], sys.argv[2:]
started = time.perf_counter()
pid = os.posix_spawn(cmd[0], cmd, os.environ)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - started
with open(out, "w") as f:
    f.write(f"{usage.ru_maxrss} {wall}")
sys.exit(os.waitstatus_to_exitcode(status))
"""
"""Starts the harvester from a small process and reports its peak RSS and wall time. Spawned
straight from the benchmark, a child's ``ru_maxrss`` counts the benchmark's own memory (the
fake APIs' world, hundreds of MB at 10,000 entries): until it execs, a spawned child shares its
parent's pages. From this launcher it shares only the launcher's few MB."""


def spawn_measured(cmd: list[str], cwd: Path, env: dict[str, str], stderr: Any,
                   timeout: float) -> tuple[int, float, float]:
    """Run ``cmd`` through :data:`_LAUNCHER`: (exit code, its wall seconds, its peak RSS in
    KiB); killed with its process group after ``timeout`` seconds."""
    with tempfile.TemporaryDirectory() as scratch:
        measured = Path(scratch) / "measured"
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-S", "-c", _LAUNCHER, str(measured), *cmd],
                                cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=stderr,
                                start_new_session=True)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        wall = time.perf_counter() - started
        peak_kb = 0.0
        with contextlib.suppress(OSError, ValueError):
            peak_text, wall_text = measured.read_text(encoding="utf-8").split()
            peak_kb, wall = float(peak_text), float(wall_text)
    return proc.returncode, wall, peak_kb


def run_harvest(config: Config, api: FakeAPI, workdir: Path, mode: str) -> dict[str, Any]:
    """One ``python -m harvester`` subprocess; wall time, exit code, the child's peak RSS, the
    requests the fake counted and the harvester's own run.json."""
    output = workdir / "output" / "catalog.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "harvester", "--list", str(workdir / "list.md"),
           "--output", str(output), "--cache-dir", str(workdir / "cache"), "--quiet"]
    if mode == "refresh":
        cmd.append("--refresh")
    api.reset_counts()
    stderr_path = workdir / f"{mode}.stderr"
    with open(stderr_path, "wb") as stderr:
        returncode, wall, peak_kb = spawn_measured(cmd, workdir, harvest_env(config, api),
                                                   stderr, config.timeout)
    counts = api.counts
    statuses: dict[str, dict[str, int]] = {}
    if api.record:
        tally: dict[str, Counter] = {}
        for req in api.requests:
            tally.setdefault(req.api, Counter())[str(req.status)] += 1
        statuses = {k: dict(v) for k, v in tally.items()}
    facts: dict[str, Any] = {}
    with contextlib.suppress(OSError, ValueError):
        facts = json.loads((output.parent / "run.json").read_text(encoding="utf-8"))
    entries = None
    problems: Counter = Counter()
    with contextlib.suppress(OSError, ValueError, KeyError):
        catalog = json.loads(output.read_text(encoding="utf-8"))
        entries = catalog["summary"]["entries"]
        for entry in catalog["entries"]:
            for error in entry["errors"]:
                if error["kind"] != "not_found":
                    problems[f"{error['source']}:{error['kind']}"] += 1
    err_tail = stderr_path.read_text(encoding="utf-8", errors="replace")[-2000:]
    return {
        "exit_code": returncode,
        "wall_seconds": round(wall, 3),
        "peak_rss_mb": round(peak_kb / 1024, 1),  # Linux: KiB
        "requests": {s: counts.get(s, 0) for s in SOURCES},
        "requests_total": sum(counts.values()),
        "statuses": statuses,
        "harvester_requests": {s: v.get("requests", 0)
                               for s, v in facts.get("sources", {}).items()},
        "harvester_duration_seconds": facts.get("duration_seconds"),
        "failed_lookups": facts.get("failed_lookups"),
        "failed_by_source": dict(problems),
        "catalog_entries": entries,
        "stderr_tail": err_tail if returncode not in (0, 2) else "",
    }


# --------------------------------------------------------------------------- naive baseline

_LINK = re.compile(r"\]\((https?://[^)\s]+)\)")
_PATTERNS = (
    ("arxiv", re.compile(r"arxiv\.org/(?:abs|pdf)/([^?#\s]+?)(?:v\d+)?(?:\.pdf)?$")),
    ("openreview", re.compile(r"openreview\.net/(?:forum|pdf)\?id=([\w-]+)")),
    ("biorxiv", re.compile(r"(bio|med)rxiv\.org/content/(10\.\d+/[\d.]+?)(?:v\d+)?$")),
    ("crossref", re.compile(r"(?:doi\.org/|nature\.com/articles/)(\S+)$")),
    ("neurips", re.compile(r"proceedings\.neurips\.cc(/paper_files/paper/\d{4}/hash/\S+\.html)$")),
    ("github", re.compile(r"github\.com/([\w.-]+)/([\w.-]+)/?$")),
)


def naive_requests(markdown: str, api_env: dict[str, str]) -> tuple[list[tuple[str, str]], int]:
    """(host, URL) per link, in list order, the way a per-item enrichment script asks; and
    the number of links with no single-item endpoint (a proceedings year page)."""
    urls = {
        "arxiv": api_env["HARVEST_ARXIV_URL"], "openreview": api_env["HARVEST_OPENREVIEW_URL"],
        "biorxiv": api_env["HARVEST_BIORXIV_URL"], "crossref": api_env["HARVEST_CROSSREF_URL"],
        "neurips": api_env["HARVEST_NEURIPS_URL"], "github": api_env["HARVEST_GITHUB_URL"],
    }
    s2 = api_env["HARVEST_SEMANTICSCHOLAR_URL"]
    out: list[tuple[str, str]] = []
    skipped = 0
    for line in markdown.splitlines():
        for url in _LINK.findall(line):
            for host, pattern in _PATTERNS:
                m = pattern.search(url)
                if m is None:
                    continue
                if host == "arxiv":
                    target = f"{urls[host]}/query?id_list={m[1]}&max_results=1"
                elif host == "openreview":
                    target = f"{urls[host]}/notes?id={m[1]}"
                elif host == "biorxiv":
                    target = f"{urls[host]}/details/{m[1]}rxiv/{m[2]}/na/json"
                elif host == "crossref":
                    doi = m[1] if "doi.org" in url else f"10.1038/{m[1]}"
                    target = f"{urls[host]}/works/{doi}"
                elif host == "neurips":
                    target = f"{urls[host]}{m[1]}"
                else:
                    target = f"{urls[host]}/repos/{m[1]}/{m[2]}"
                out.append((host, target))
                citation = _naive_citation(host, m, line, s2)
                if citation:  # such scripts then ask S2 for the paper's citation count
                    out.append(("semanticscholar", citation))
                break
            else:
                skipped += 1
    return out, skipped


_TITLE = re.compile(r"\*\*[^*]+\*\*:\s*(.+?)\.\s")


def _naive_citation(host: str, m: re.Match, line: str, s2: str) -> str | None:
    """The one-paper S2 request a per-item script makes for a paper link (None for code)."""
    fields = "fields=title,citationCount"
    if host == "arxiv":
        return f"{s2}/paper/ARXIV:{m[1]}?{fields}"
    if host == "crossref":
        doi = m[1] if "10." in m[1] else f"10.1038/{m[1]}"
        return f"{s2}/paper/DOI:{doi}?{fields}"
    if host == "biorxiv":
        return f"{s2}/paper/DOI:{m[2]}?{fields}"
    if host in ("openreview", "neurips"):
        title = _TITLE.search(line)
        if title:
            return f"{s2}/paper/search/match?query={quote(title[1])}&{fields}"
    return None


def naive_interval(config: Config, host: str) -> float:
    return config.interval(host)


def simulate_naive(plan: list[tuple[str, str]], config: Config) -> float:
    """Seconds the naive run takes: strictly sequential, per-host pacing between starts."""
    now = 0.0
    last: dict[str, float] = {}
    for host, _ in plan:
        start = max(now, last.get(host, -math.inf) + naive_interval(config, host))
        last[host] = start
        now = start + config.mean_latency
    return now


def run_naive(config: Config, api: FakeAPI, plan: list[tuple[str, str]]) -> dict[str, Any]:
    """The per-item script: one GET per link, sequentially, each host paced at the harvester's
    min_interval; a 429 is waited out (Retry-After, else the pace) and retried."""
    api.reset_counts()
    headers = {"User-Agent": f"naive-enrichment-script (mailto:{CONTACT})"}
    if config.github == "graphql":
        headers["Authorization"] = f"Bearer {GITHUB_TOKEN}"
    last: dict[str, float] = {}
    retries = 0
    started = time.perf_counter()
    with httpx.Client(headers=headers, timeout=60.0) as client:
        for host, url in plan:
            for _attempt in range(8):
                due = last.get(host, -math.inf) + naive_interval(config, host)
                wait = due - time.perf_counter()
                if wait > 0:
                    time.sleep(wait)
                last[host] = time.perf_counter()
                response = client.get(url)
                if response.status_code != 429:
                    break
                retries += 1
                hint = response.headers.get("retry-after")
                time.sleep(float(hint) if hint and hint.isdigit() else
                           max(naive_interval(config, host), 0.05))
    wall = time.perf_counter() - started
    counts = api.counts
    return {"requests": {s: counts.get(s, 0) for s in SOURCES},
            "requests_total": sum(counts.values()), "retries_429": retries,
            "wall_seconds": round(wall, 3), "estimated": False}


# --------------------------------------------------------------------------- one size


def bench_size(config: Config, size: int, log) -> dict[str, Any]:
    world = World.generate(size, seed=config.seed)
    world.s2_api_key = S2_KEY
    markdown = world.to_markdown(title=f"Generated list of {size}")
    mini = minimum(world, config.github)
    fl = floor(mini["stages"], config, config.github)
    result: dict[str, Any] = {
        "entries": size,
        "links": dict(Counter(p.listed_as for p in world.papers)),
        "minimum": {"per_source": mini["per_source"], "total": mini["total"],
                    "counts": mini["counts"]},
        "floor": fl,
        "runs": {},
    }
    record = size <= 2000
    with tempfile.TemporaryDirectory(prefix=f"bench-{size}-") as tmp:
        workdir = Path(tmp)
        if config.keep is not None:
            workdir = config.keep / f"size-{size}"
            shutil.rmtree(workdir, ignore_errors=True)
            workdir.mkdir(parents=True)
        (workdir / "list.md").write_text(markdown, encoding="utf-8")
        with FakeAPI(world, latency=config.latency, enforce_limits=True,
                     limits=fake_limits(config, size), record=record,
                     seed=config.seed) as api:
            for mode in config.modes:
                repeats = config.warm_repeat if mode == "warm" else 1
                done = []
                for i in range(repeats):
                    log(f"[{size}] {mode} harvest"
                        f"{f' {i + 1}/{repeats}' if repeats > 1 else ''} …")
                    done.append(run_harvest(config, api, workdir, mode))
                run = combine_repeats(done) if mode == "warm" else done[0]
                result["runs"][mode] = run
                log(f"[{size}] {mode}: {run['wall_seconds']:.1f} s, "
                    f"{run['requests_total']} requests, exit {run['exit_code']}, "
                    f"{run['peak_rss_mb']} MB")
            if api.errors:
                result["fake_errors"] = api.errors[:5]
        with FakeAPI(world, latency=config.latency, enforce_limits=True,
                     limits=fake_limits(config, size), record=False,
                     seed=config.seed + 1) as api:
            plan, skipped = naive_requests(markdown, api.env())
            estimate = simulate_naive(plan, config)
            by_host = Counter(host for host, _ in plan)
            if size <= config.skip_naive_above:
                log(f"[{size}] naive baseline ({len(plan)} requests, ~{estimate:.0f} s) …")
                naive = run_naive(config, api, plan)
            else:
                naive = {"requests": {s: by_host.get(s, 0) for s in SOURCES},
                         "requests_total": len(plan), "retries_429": None,
                         "wall_seconds": round(estimate, 1), "estimated": True}
            naive["estimate_seconds"] = round(estimate, 1)
            naive["links_without_item_endpoint"] = skipped
            result["naive"] = naive
            log(f"[{size}] naive: {naive['wall_seconds']:.1f} s"
                f"{' (estimated)' if naive['estimated'] else ''}")
    result["assessment"] = assess(result)
    return result


def combine_repeats(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """One warm run's figures from its repeats (short, noisy runs on a shared machine): the
    median wall time and the highest peak RSS; requests, exit code and the rest from the worst
    repeat (the first that failed, else the one with the most requests); every repeat's own
    figures under ``repeats``."""
    worst = next((r for r in runs if not complete(r)),
                 max(runs, key=lambda r: r["requests_total"]))
    combined = dict(worst)
    combined["wall_seconds"] = round(statistics.median(r["wall_seconds"] for r in runs), 3)
    combined["peak_rss_mb"] = max(r["peak_rss_mb"] for r in runs)
    combined["repeats"] = {key: [r[key] for r in runs] for key in (
        "wall_seconds", "peak_rss_mb", "requests_total", "exit_code")}
    return combined


def assess(result: dict[str, Any]) -> dict[str, Any]:
    runs = result["runs"]
    mini = result["minimum"]
    out: dict[str, Any] = {}
    cold = runs.get("cold")
    if cold:
        out["cold_requests_ratio"] = round(cold["requests_total"] / max(mini["total"], 1), 3)
        out["cold_requests_ratio_per_source"] = {
            s: round(cold["requests"][s] / v["requests"], 3) if v["requests"] else None
            for s, v in mini["per_source"].items()
            if v["requests"] or cold["requests"][s]
        }
        out["cold_floor_ratio"] = round(cold["wall_seconds"] / max(result["floor"]["seconds"],
                                                                  1e-9), 3)
        naive = result.get("naive")
        if naive:
            out["naive_speedup"] = round(naive["wall_seconds"] / max(cold["wall_seconds"], 1e-9),
                                         1)
    if runs.get("refresh"):
        out["refresh_requests_ratio"] = round(
            runs["refresh"]["requests_total"] / max(mini["total"], 1), 3)
    if runs.get("warm"):
        out["warm_requests"] = runs["warm"]["requests_total"]
        out["warm_seconds"] = runs["warm"]["wall_seconds"]
    out["peak_rss_mb"] = max((r["peak_rss_mb"] for r in runs.values()), default=None)
    return out


# --------------------------------------------------------------------------- targets, output


def complete(run: dict[str, Any]) -> bool:
    """Every look-up answered (exit 0): a run that gave up on a source is not a valid timing."""
    return bool(run["exit_code"] == 0)


def incomplete(run: dict[str, Any]) -> str:
    if complete(run):
        return ""
    failed = run.get("failed_lookups")
    return f" — INCOMPLETE: exit {run['exit_code']}, {failed} look-ups failed"


@dataclass(frozen=True)
class Verdict:
    """One target's assessment: what was measured and whether it meets the target (``None``:
    this run did not measure it); ``basis`` qualifies a verdict that rests on less than a
    measurement ("against an estimate")."""

    measured: str
    met: bool | None
    basis: str = ""

    @property
    def status(self) -> str:
        word = {True: "met", False: "missed", None: "not measured"}[self.met]
        return f"{word} ({self.basis})" if self.basis else word


def unmeasured(why: str) -> Verdict:
    return Verdict(why, None)


@dataclass(frozen=True)
class Figures:
    """A run's results by list size and its settings: what the targets are assessed on."""

    by_size: dict[int, dict[str, Any]]
    config: Config

    def run(self, size: int, mode: str, timing: bool = False) -> dict[str, Any] | Verdict:
        """The ``mode`` run at ``size`` entries, or why it cannot be assessed: not run, or — for
        a ``timing`` of requests — made at scaled paces."""
        found: dict[str, Any] | None = self.by_size.get(size, {}).get("runs", {}).get(mode)
        if found is None:
            return unmeasured(f"no {mode} run at {size:,} entries")
        if timing and self.config.quick:
            return unmeasured("quick run: not a real-pace timing")
        if timing and self.config.pace_factor != 1:
            return unmeasured(f"paces ÷ {self.config.pace_factor:g}: not a real-pace timing")
        return found


def _repeats(run: dict[str, Any], what: str) -> str:
    n = len(run.get("repeats", {}).get("wall_seconds", ())) or 1
    return f" ({what} of {n} runs)" if n > 1 else ""


def cold_requests(f: Figures, size: int, limit: int) -> Verdict:
    run = f.run(size, "cold")
    if isinstance(run, Verdict):
        return run
    n = run["requests_total"]
    return Verdict(f"{n}{incomplete(run)}", n <= limit and complete(run))


def cold_wall(f: Figures, size: int, limit_s: float) -> Verdict:
    run = f.run(size, "cold", timing=True)
    if isinstance(run, Verdict):
        return run
    wall = run["wall_seconds"]
    return Verdict(f"{_fmt_s(wall)}{incomplete(run)}", wall <= limit_s and complete(run))


def cold_floor(f: Figures, size: int, limit: float) -> Verdict:
    run = f.run(size, "cold", timing=True)
    if isinstance(run, Verdict):
        return run
    floor_s = f.by_size[size]["floor"]["seconds"]
    ratio = run["wall_seconds"] / max(floor_s, 1e-9)
    return Verdict(f"{run['wall_seconds']:.1f} s vs floor {floor_s:.1f} s "
                   f"({ratio:.2f}×){incomplete(run)}", ratio <= limit and complete(run))


def naive_speedup(f: Figures, size: int, limit: float) -> Verdict:
    """Against the naive baseline of the same run; an estimated baseline is said so."""
    run = f.run(size, "cold", timing=True)
    if isinstance(run, Verdict):
        return run
    naive = f.by_size[size].get("naive")
    if not naive:
        return unmeasured(f"no naive baseline at {size:,} entries")
    speed = naive["wall_seconds"] / max(run["wall_seconds"], 1e-9)
    how = "estimated" if naive["estimated"] else "measured"
    measured = (f"{speed:.1f}× (naive {how}: {naive['requests_total']} requests, "
                f"{_fmt_s(naive['wall_seconds'])})")
    if naive["estimated"]:
        ran = [(n, r["naive"]["wall_seconds"] / max(r["runs"]["cold"]["wall_seconds"], 1e-9))
               for n, r in sorted(f.by_size.items())
               if r.get("naive") and not r["naive"]["estimated"] and r["runs"].get("cold")]
        if ran:
            measured += "; measured at " + ", ".join(f"{n:,}: {s:.1f}×" for n, s in ran)
    return Verdict(measured + incomplete(run), speed >= limit and complete(run),
                   "against an estimate" if naive["estimated"] else "")


def requests_vs_minimum(f: Figures, limit: float) -> Verdict:
    """Every size's cold and refresh runs; the worst ratio, and each run beyond the limit."""
    seen = []
    for size, result in sorted(f.by_size.items()):
        least = result["minimum"]["total"]
        for mode in ("cold", "refresh"):
            run = result["runs"].get(mode)
            if run:
                seen.append((run["requests_total"] / max(least, 1), size, mode,
                             run["requests_total"], least, complete(run)))
    if not seen:
        return unmeasured("no cold or refresh run")
    worst = max(seen)
    over = [f"{s:,} {m} ({r:.2f}×)" for r, s, m, _, _, _ in seen if r > limit]
    partial = [f"{s:,} {m}" for _, s, m, _, _, ok in seen if not ok]
    measured = (f"worst {worst[0]:.3f}× ({worst[3]} vs {worst[4]} at {worst[1]:,} entries, "
                f"{worst[2]}) of {len(seen)} runs")
    if over:
        measured += f"; over {limit:g}×: {', '.join(over)}"
    if partial:
        measured += f"; incomplete runs (exit ≠ 0): {', '.join(partial)}"
    return Verdict(measured, not over and not partial)


def warm_requests(f: Figures, size: int) -> Verdict:
    run = f.run(size, "warm")
    if isinstance(run, Verdict):
        return run
    n = run["requests_total"]
    return Verdict(f"{n}{_repeats(run, 'most')}{incomplete(run)}", n == 0 and complete(run))


def warm_wall(f: Figures, size: int, limit_s: float) -> Verdict:
    """A warm run makes no requests, so its wall time does not depend on the paces."""
    run = f.run(size, "warm")
    if isinstance(run, Verdict):
        return run
    wall = run["wall_seconds"]
    return Verdict(f"{_fmt_s(wall)}{_repeats(run, 'median')}{incomplete(run)}",
                   wall < limit_s and complete(run))


def peak_memory(f: Figures, size: int, mode: str, limit_mb: float) -> Verdict:
    """Peak RSS does not depend on the paces (the 10,000-entry runs use ``--pace-factor``)."""
    run = f.run(size, mode)
    if isinstance(run, Verdict):
        return run
    peak = run["peak_rss_mb"]
    return Verdict(f"{peak:.0f} MB{_repeats(run, 'highest')}{incomplete(run)}",
                   peak < limit_mb and complete(run))


@dataclass(frozen=True)
class Target:
    name: str
    goal: str
    check: Callable[[Figures], Verdict]


# The performance contract (DESIGN.md, "Performance contract (revised)", and its issue).
TARGETS: tuple[Target, ...] = (
    Target("cold, 2,000 entries: ≤ 150 requests", "≤ 150",
           lambda f: cold_requests(f, 2000, 150)),
    Target("cold, 2,000 entries: ≤ 2.5 min", "≤ 150 s",
           lambda f: cold_wall(f, 2000, 150.0)),
    Target("cold, 2,000 entries: ≤ 1.25 × floor", "≤ 1.25×",
           lambda f: cold_floor(f, 2000, 1.25)),
    Target("cold, 2,000 entries: ≥ 20 × the naive baseline measured in the same run", "≥ 20×",
           lambda f: naive_speedup(f, 2000, 20.0)),
    Target("requests ≤ 1.05 × minimum (every size, cold and refresh)", "≤ 1.05×",
           lambda f: requests_vs_minimum(f, 1.05)),
    Target("warm, 2,000 entries: 0 requests", "0", lambda f: warm_requests(f, 2000)),
    Target("warm, 2,000 entries: < 0.8 s", "< 0.8 s", lambda f: warm_wall(f, 2000, 0.8)),
    Target("warm, 10,000 entries: < 2 s", "< 2 s", lambda f: warm_wall(f, 10000, 2.0)),
    Target("warm, 10,000 entries: < 200 MB peak", "< 200 MB",
           lambda f: peak_memory(f, 10000, "warm", 200.0)),
    Target("cold, 10,000 entries: < 500 MB peak", "< 500 MB",
           lambda f: peak_memory(f, 10000, "cold", 500.0)),
)


def targets(results: list[dict[str, Any]], config: Config) -> list[dict[str, Any]]:
    figures = Figures({r["entries"]: r for r in results}, config)
    rows = []
    for target in TARGETS:
        verdict = target.check(figures)
        rows.append({"target": target.name, "goal": target.goal,
                     "measured": verdict.measured, "met": verdict.met,
                     "basis": verdict.basis or None, "status": verdict.status})
    return rows


def _fmt_s(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    if seconds >= 120:
        return f"{seconds / 60:.1f} min"
    return f"{seconds:.1f} s" if seconds >= 10 else f"{seconds:.2f} s"


def markdown_report(data: dict[str, Any]) -> str:
    cfg = data["settings"]
    lines: list[str] = []
    label = " — QUICK SMOKE RUN (paces ÷ {:g}, no latency: not real timings)".format(
        cfg["pace_factor"]) if cfg["quick"] else ""
    lines.append(f"### Benchmark{label}")
    lines.append("")
    if cfg.get("note"):
        lines += [f"**Note:** {cfg['note']}", ""]
    lines.append(f"Reproduce: `{data['command']}`")
    lines.append("")
    paces = "" if cfg["pace_factor"] == 1 else f" ÷ {cfg['pace_factor']:g}"
    github = ("GraphQL (GITHUB_TOKEN set)" if cfg["github"] == "graphql"
              else "REST (no token)")
    lines.append(
        f"Fake APIs on 127.0.0.1, latency {cfg['latency'][0]:g}–{cfg['latency'][1]:g} s a "
        f"request, limits enforced; harvester default paces{paces}; GitHub via {github}; "
        "Crossref polite pool (HARVEST_CONTACT set); peak memory = ru_maxrss of the "
        "`python -m harvester` child (os.wait4)." + (
            f" Warm runs: median wall time and highest peak RSS of {cfg['warm_repeat']} runs."
            if cfg.get("warm_repeat", 1) > 1 else ""))
    lines.append("")
    lines.append("| entries | run | requests (min) | wall time | floor | peak RSS | "
                 "naive baseline | speed-up |")
    lines.append("|---:|---|---:|---:|---:|---:|---:|---:|")
    for r in data["results"]:
        naive = r.get("naive") or {}
        for mode, run in r["runs"].items():
            mini = r["minimum"]["total"] if mode != "warm" else 0
            floor_s = _fmt_s(r["floor"]["seconds"]) if mode == "cold" else "–"
            naive_s = speed = "–"
            if mode == "cold" and naive:
                naive_s = (f"{naive['requests_total']} req, {_fmt_s(naive['wall_seconds'])}"
                           + (" (estimated)" if naive["estimated"] else ""))
                speed = f"{naive['wall_seconds'] / max(run['wall_seconds'], 1e-9):.1f}×"
            code = "" if complete(run) else (
                f" (exit {run['exit_code']}, {run.get('failed_lookups')} look-ups failed)")
            lines.append(
                f"| {r['entries']:,} | {mode} | {run['requests_total']} ({mini}) | "
                f"{_fmt_s(run['wall_seconds'])}{code} | {floor_s} | {run['peak_rss_mb']:.0f} MB"
                f" | {naive_s} | {speed} |")
    lines.append("")
    lines.append("Requests per source, cold run: measured / minimum (minimum's terms):")
    lines.append("")
    lines.append("| entries | " + " | ".join(s for s in SOURCES if s != "openalex") + " |")
    lines.append("|---:|" + "---:|" * (len(SOURCES) - 1))
    for r in data["results"]:
        cold = r["runs"].get("cold")
        if not cold:
            continue
        cells = []
        for s in SOURCES:
            if s == "openalex":
                continue
            cells.append(f"{cold['requests'][s]} / {r['minimum']['per_source'][s]['requests']}")
        lines.append(f"| {r['entries']:,} | " + " | ".join(cells) + " |")
    lines.append("")
    biggest = data["results"][-1] if data["results"] else None
    if biggest:
        lines.append(f"Minimum at {biggest['entries']:,} entries: " + "; ".join(
            f"{s} {v['terms']}" for s, v in biggest["minimum"]["per_source"].items()
            if v["requests"]) + ".")
        lines.append(f"Floor at {biggest['entries']:,} entries (paced lanes, data dependencies "
                     "only): " + ", ".join(f"{k} {_fmt_s(v)}" for k, v in
                                          biggest["floor"]["per_source"].items()) + ".")
        lines.append("")
    lines.append("| target | measured | met |")
    lines.append("|---|---|---|")
    for t in data["targets"]:
        status = Verdict(t["measured"], t["met"], t.get("basis") or "").status
        if t["met"] is False:
            status = f"**{status}**"
        lines.append(f"| {t['target']} | {t['measured']} | {status} |")
    lines.append("")
    return "\n".join(lines)


# --------------------------------------------------------------------------- main


def _public_args(args: list[str]) -> list[str]:
    """The command line without ``--keep DIR`` (where scratch files go changes no figure)."""
    out: list[str] = []
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg == "--keep":
            skip = True
        elif not arg.startswith("--keep="):
            out.append(arg)
    return out


def parse_args(argv: list[str] | None) -> Config:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", help="list sizes, comma-separated (default 20,200,2000,10000; "
                   "--quick: 20,200)")
    p.add_argument("--latency", help="fake API latency per request, LO,HI seconds "
                   "(default 0.1,0.2; --quick: 0)")
    p.add_argument("--skip-naive-above", type=int, default=200, metavar="N",
                   help="estimate the naive baseline (requests × pace) above N entries "
                   "instead of running it (default 200)")
    p.add_argument("--quick", action="store_true",
                   help="smoke run: sizes 20,200, latency 0, paces ÷ --pace-factor")
    p.add_argument("--pace-factor", type=float, default=None,
                   help="divide every pace (harvester and fake limits) by this; "
                   "default 1, with --quick 50")
    p.add_argument("--github", choices=("graphql", "rest"), default="graphql",
                   help="graphql: GITHUB_TOKEN set (default); rest: no token")
    p.add_argument("--modes", default=",".join(MODES),
                   help="harvest runs per size (default cold,warm,refresh)")
    p.add_argument("--warm-repeat", type=int, default=1, metavar="N",
                   help="run each size's warm harvest N times; report the median wall time "
                   "and the highest peak RSS (default 1)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--jobs", type=int, default=1,
                   help="sizes benchmarked at once (each has its own fake server)")
    p.add_argument("--timeout", type=float, default=6 * 3600,
                   help="seconds one harvest may take before it is killed")
    p.add_argument("--out", type=Path, default=ROOT / "bench-results" / "bench.json")
    p.add_argument("--markdown", type=Path, default=None,
                   help="also write the Markdown table here")
    p.add_argument("--render", type=Path, default=None, metavar="JSON",
                   help="no benchmark: re-assess the targets of an earlier bench.json (updated "
                   "in place) and print its Markdown report")
    p.add_argument("--big-list", type=float, default=None, metavar="MB",
                   help="no benchmark: time harvest --offline on a generated list of MB "
                   "megabytes")
    p.add_argument("--keep", type=Path, default=None, metavar="DIR",
                   help="keep each size's list, cache, outputs and stderr under DIR")
    args = p.parse_args(argv)
    quick = args.quick
    sizes = args.sizes or ("20,200" if quick else "20,200,2000,10000")
    latency = args.latency or ("0,0" if quick else "0.1,0.2")
    lo, _, hi = latency.partition(",")
    factor = args.pace_factor if args.pace_factor is not None else (50.0 if quick else 1.0)
    if factor <= 0:
        p.error("--pace-factor must be positive")
    if args.warm_repeat < 1:
        p.error("--warm-repeat must be at least 1")
    modes = tuple(m.strip() for m in args.modes.split(",") if m.strip())
    if not set(modes) <= set(MODES) or "cold" not in modes or modes[0] != "cold":
        p.error("--modes: cold first, then any of warm, refresh")
    shown = ["python", "scripts/bench.py", *_public_args(
        argv if argv is not None else sys.argv[1:])]
    return Config(
        sizes=tuple(int(s) for s in sizes.split(",") if s.strip()),
        latency=(float(lo), float(hi or lo)),
        pace_factor=factor,
        quick=quick,
        github=args.github,
        skip_naive_above=args.skip_naive_above,
        modes=modes,
        seed=args.seed,
        jobs=max(1, args.jobs),
        timeout=args.timeout,
        out=args.out,
        markdown=args.markdown,
        command=shlex.join(shown),
        keep=args.keep,
        render=args.render,
        warm_repeat=args.warm_repeat,
    )


def parse_big(argv: list[str] | None) -> float | None:
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--big-list", type=float, default=None)
    known, _ = pre.parse_known_args(argv)
    return known.big_list


def render(config: Config) -> int:
    """Print (and with --markdown write) the report of an earlier run's JSON."""
    assert config.render is not None
    data = json.loads(config.render.read_text(encoding="utf-8"))
    data["command"] = shlex.join(_public_args(shlex.split(data["command"])))
    saved = data["settings"]
    original = replace(config, latency=tuple(saved["latency"]),
                       pace_factor=saved["pace_factor"], quick=saved["quick"],
                       github=saved["github"], seed=saved.get("seed", 0),
                       warm_repeat=saved.get("warm_repeat", 1))
    for result in data["results"]:
        result["floor"].pop("harvester_plan", None)  # a diagnostic of an older stage plan
    data["targets"] = targets(data["results"], original)
    config.render.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n",
                             encoding="utf-8")
    report = markdown_report(data)
    if config.markdown:
        config.markdown.write_text(report, encoding="utf-8")
    print(report)
    return 0


def big_list(megabytes: float) -> int:
    """Time ``harvest --offline --quiet`` on a list of ``megabytes`` MB (no network)."""
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        path = folder / "big.md"
        block = "".join(
            f"- **Paper {i}**: Title number {i}. NeurIPS 2023 "
            f"[[paper](https://arxiv.org/abs/2310.{i:05d})] [[code](https://github.com/o/r{i})]\n"
            for i in range(1000)
        )
        with path.open("w", encoding="utf-8") as handle:
            handle.write("# Big\n\n")
            while handle.tell() < megabytes * 1024 * 1024:
                handle.write(block)
        entries = path.read_text(encoding="utf-8").count("\n- **")
        output = folder / "catalog.json"
        cmd = [sys.executable, "-m", "harvester", "--offline", "--quiet", "--list", str(path),
               "--output", str(output), "--cache-dir", str(folder / "cache")]
        errors = folder / "stderr"
        with errors.open("wb") as stderr_file:
            returncode, seconds, peak_kb = spawn_measured(cmd, folder, dict(os.environ),
                                                          stderr_file, 3600)
        stderr = errors.read_text(encoding="utf-8", errors="replace")
        written = json.loads(output.read_text(encoding="utf-8"))["summary"]["entries"] \
            if returncode == 0 else None
    print(json.dumps({"list_mb": megabytes, "entries": entries, "catalogue_entries": written,
                      "exit_code": returncode, "seconds": round(seconds, 1),
                      "peak_mb": round(peak_kb / 1024), "stderr": stderr[-2000:]},
                     indent=2))
    return 0 if returncode == 0 and written == entries else 1


def main(argv: list[str] | None = None) -> int:
    config = parse_args(argv)
    big = parse_big(argv)
    if big is not None:
        return big_list(big)
    if config.render is not None:
        return render(config)
    lock = threading.Lock()

    def log(message: str) -> None:
        with lock:
            print(f"{time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)

    if config.jobs > 1:
        with ThreadPoolExecutor(max_workers=config.jobs) as pool:
            results = list(pool.map(lambda n: bench_size(config, n, log), config.sizes))
    else:
        results = [bench_size(config, n, log) for n in config.sizes]
    data = {
        "command": config.command,
        "generated_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "settings": {
            "sizes": list(config.sizes), "latency": list(config.latency),
            "pace_factor": config.pace_factor, "quick": config.quick, "github": config.github,
            "skip_naive_above": config.skip_naive_above, "modes": list(config.modes),
            "warm_repeat": config.warm_repeat,
            "seed": config.seed, "jobs": config.jobs,
            "min_interval": {s: config.interval(s) for s in SOURCES},
            "crossref_pool": "polite (HARVEST_CONTACT set)",
            "memory_method": "ru_maxrss of the harvest subprocess via os.wait4",
            "python": platform.python_version(), "platform": platform.platform(),
            "cpus": os.cpu_count(),
        },
        "results": results,
    }
    data["targets"] = targets(results, config)
    config.out.parent.mkdir(parents=True, exist_ok=True)
    config.out.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n",
                          encoding="utf-8")
    report = markdown_report(data)
    if config.markdown:
        config.markdown.parent.mkdir(parents=True, exist_ok=True)
        config.markdown.write_text(report, encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
