"""Fault injection: the reliability contract of DESIGN.md, source by source, failure by failure.

1. **The matrix** — every source × every failure mode the fake API can inject. A clean harvest
   of the neurofm list fills the cache and writes the previous catalogue (once per module); each
   case copies both, injects its fault into one API and runs ``--refresh``. It must finish within
   a bound, exit 0 when the fault clears within the retry budget (the catalogue is then
   byte-identical to the clean one) and 2 when it does not, keep every value the clean run had
   (entries identical but for ``stale``/``errors``), mark exactly the faulted source's values
   stale with a reason naming the error kind, report typed errors from that source only, and
   write a catalogue that validates against ``catalog.schema.json``.

   The matrix runs in-process (``pipeline.harvest``) with a ``sleep`` that records the retry
   waits instead of sleeping them: the budget still counts every wait, only the wall clock is
   spared. Hangs really time out (client timeout 1 s). A representative subset runs again
   through ``python -m harvester`` with real waits, to check the exit codes, stderr and stdout
   of the command itself.

   The list is the real neurofm list plus one NeurIPS proceedings link (the real list has none,
   so the ``neurips`` source would not be asked); the fake world has an OpenAlex key and two
   papers unknown to Semantic Scholar, so that OpenAlex (used only with a key, only for papers
   S2 cannot count) is asked too.

   The same faults (one transient, one malformed answer per source) run once more with an empty
   cache, the previous catalogue being the only memory (a scheduled runner that lost its
   cache): every value that catalogue knew must be kept.

2. **SIGKILL** — a run killed at several points (during start-up, mid-harvest, and while the
   catalogue is being written) leaves the previous catalogue or a complete new one, and a
   following run on the same cache succeeds.

3. **Two runs at once** on one cache and one output both succeed and leave the catalogue a third,
   sequential run writes.

Hostile servers, lists, caches and signals (endless bodies, gzip bombs, trickles, deep JSON,
echoed secrets, redirects, impossible values, HTML and empty lists, list credentials, a
corrupted cache, Ctrl-C, no network) are in ``test_hostile.py``.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import diskcache
import jsonschema
import pytest

from harvester.config import Settings, load_settings
from harvester.pipeline import RunOptions, RunReport, harvest
from harvester.writers import schema_json, write_atomic, write_chunks_atomic
from tests.fakeapi import FakeAPI, Fault, World
from tests.fakeapi.world import neurips_suffix
from tests.harness import NEUROFM, SOURCE_VARS, Harvest

SOURCES = ("arxiv", "openreview", "biorxiv", "crossref", "neurips", "semanticscholar",
           "openalex", "github")
OPENALEX_KEY = "fake-openalex-key-for-tests"
TIMEOUT, RETRY_BUDGET, MAX_WAIT = 1, 3, 1
LOOKUP_ERRORS = {"rate_limited", "unavailable", "invalid_response", "blocked"}
IN_PROCESS_BOUND = 12.0
"""Seconds one faulted in-process refresh may take: the retry budget (3 s), one last request
that runs into the client timeout (1 s), a clean run (< 1 s) and plenty of slack."""
CLI_BOUND = 30.0
TUNING = {
    f"HARVEST_{source}_{name}": value
    for source in SOURCE_VARS
    for name, value in (("MIN_INTERVAL", "0"), ("TIMEOUT", str(TIMEOUT)),
                        ("RETRY_BUDGET", str(RETRY_BUDGET)), ("MAX_WAIT", str(MAX_WAIT)))
}


@dataclass(frozen=True)
class Case:
    """One failure mode: how to inject it, whether it clears within the budget, what it is."""

    fault: Callable[[str], Fault]
    recovers: bool
    kinds: frozenset[str] = frozenset()
    """The error kinds the faulted source may report (when it does not recover)."""
    required: str | None = None
    """The kind that must be among them."""


def _github_429(source: str) -> Fault:
    # GitHub's 429 carries Retry-After (secondary limit) unless it is the primary quota, whose
    # answer has x-ratelimit-remaining: 0 and a reset time instead
    return Fault("status", status=429, variant="primary" if source == "github" else None)


CASES = {
    "retry-after": Case(lambda _: Fault("retry_after", seconds=1, times=1), recovers=True),
    "429": Case(_github_429, False, frozenset({"rate_limited", "unavailable"}), "rate_limited"),
    "5xx-burst": Case(lambda _: Fault("status", status=502, times=2), recovers=True),
    "503": Case(lambda _: Fault("status", status=503), False, frozenset({"unavailable"}),
                "unavailable"),
    "hang": Case(lambda _: Fault("hang", seconds=5), False, frozenset({"unavailable"}),
                 "unavailable"),
    "reset": Case(lambda _: Fault("reset"), False, frozenset({"unavailable"}), "unavailable"),
    # a body cut short of its Content-Length is a broken connection to httpx (retried)
    "truncated": Case(lambda _: Fault("truncated"), False,
                      frozenset({"unavailable", "invalid_response"})),
    "html200": Case(lambda _: Fault("html200"), False, frozenset({"invalid_response"}),
                    "invalid_response"),
    "wrong-types": Case(lambda _: Fault("wrong_types"), False, frozenset({"invalid_response"}),
                        "invalid_response"),
    "empty": Case(lambda _: Fault("empty_feed"), False, frozenset({"invalid_response"}),
                  "invalid_response"),
}
MATRIX = [pytest.param(source, fault, id=f"{source}-{fault}")
          for source in SOURCES for fault in CASES]
CLI_SUBSET = [pytest.param(source, fault, id=f"{source}-{fault}") for source, fault in (
    ("github", "retry-after"),
    ("semanticscholar", "5xx-burst"),
    ("arxiv", "503"),
    ("crossref", "hang"),
    ("openreview", "html200"),
    ("openalex", "429"),
)]


# ------------------------------------------------------------------------------ fixtures


def fault_world() -> World:
    world = World.neurofm()
    world.openalex_api_key = OPENALEX_KEY
    for paper in world.papers:
        if paper.name in ("CEBRA", "Neuroformer"):  # a journal DOI and an arXiv DOI for OpenAlex
            paper.s2_known = False
        if paper.name == "NDT3":  # a preprint Crossref lacks: asked of the bioRxiv API
            paper.crossref_known = False
    world.reindex()
    return world


def fault_list(world: World) -> str:
    """The real neurofm list plus one NeurIPS proceedings link (the list itself has none)."""
    poyo = next(p for p in world.papers if p.name == "POYO")
    year, digest = poyo.neurips
    url = (f"https://proceedings.neurips.cc/paper_files/paper/{year}/hash/{digest}-Abstract"
           f"{neurips_suffix(year, poyo.neurips_track)}.html")
    return (NEUROFM.read_text(encoding="utf-8")
            + f"\n## Proceedings\n\n- **POYO (proceedings)**: {poyo.title}. NeurIPS {year} "
              f"[[paper]({url})]\n")


@dataclass
class Baseline:
    list_path: Path
    cache: Path
    catalog_bytes: bytes
    catalog: dict
    schema: dict
    report: RunReport


@pytest.fixture(scope="module")
def api():
    with FakeAPI(fault_world()) as server:
        yield server
    assert server.errors == []  # the fake itself never failed


@pytest.fixture(autouse=True)
def _no_faults_left(request):
    yield
    if "api" in request.fixturenames:
        request.getfixturevalue("api").clear_faults()


@pytest.fixture(scope="module")
def fault_settings(api, tmp_path_factory) -> Settings:
    config = tmp_path_factory.mktemp("config") / "harvest.toml"
    config.write_text("", encoding="utf-8")
    return load_settings(config, environ={**api.env(), **TUNING, "OPENALEX_API_KEY": OPENALEX_KEY})


@pytest.fixture(scope="module")
def baseline(api, fault_settings, tmp_path_factory) -> Baseline:
    """A clean cold harvest: the cache and previous catalogue every fault case starts from."""
    folder = tmp_path_factory.mktemp("baseline")
    list_path = folder / "awesome-neurofm.md"
    list_path.write_text(fault_list(api.world), encoding="utf-8")
    output = folder / "out" / "catalog.json"
    output.parent.mkdir()
    api.reset_counts()
    report, _ = run_in_process(fault_settings, list_path, output, folder / "cache",
                               refresh=False)
    assert report.exit_code == 0
    for source in SOURCES:  # every source has something to be asked (no vacuous case)
        assert report.stats[source].fetched > 0, source
        assert api.counts[source] > 0, source
    schema = json.loads(output.with_name("catalog.schema.json").read_text(encoding="utf-8"))
    catalog_bytes = output.read_bytes()
    catalog = json.loads(catalog_bytes)
    jsonschema.validate(catalog, schema)
    return Baseline(list_path, folder / "cache", catalog_bytes, catalog, schema, report)


def run_in_process(settings: Settings, list_path: Path, output: Path, cache: Path, *,
                   refresh: bool) -> tuple[RunReport, list[float]]:
    """One harvest as the CLI runs it (outputs written atomically), with retry waits recorded
    instead of slept."""
    sleeps: list[float] = []
    options = RunOptions(list_spec=str(list_path), output=output, cache_dir=cache,
                         refresh=refresh)
    report = harvest(settings, options, sleep=sleeps.append)
    write_chunks_atomic(output, report.published.chunks())
    write_atomic(output.with_name("catalog.schema.json"), schema_json())
    return report, sleeps


def copy_baseline(baseline: Baseline, output: Path, cache: Path) -> None:
    shutil.copytree(baseline.cache, cache)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(baseline.catalog_bytes)


# ------------------------------------------------------------------------------ checks


def assert_fault_outcome(source: str, case: Case, before: dict, after: dict, exit_code: int,
                         schema: dict, *, cached: bool = True) -> None:
    """What the contract promises after one faulted ``--refresh`` (see the module docstring).

    ``cached``: the cache held the clean run's records. Without it (a runner that starts with an
    empty cache) the previous catalogue is the only memory: every value it knew must be kept,
    but other sources may now be asked for more (OpenAlex when S2 fails), so values may be added.
    """
    jsonschema.validate(after, schema)
    for entry in after["entries"]:
        for error in entry["errors"]:
            assert error["kind"] in LOOKUP_ERRORS | {"not_found"}, error
    if case.recovers:
        assert exit_code == 0, _problems(after)
        assert after == before  # nothing stale, no new error, every value as it was
        return
    assert exit_code == 2, _problems(after)
    new_errors = []
    strip = ("stale", "errors")
    asking = {source, *THROUGH.get(source, ())}  # the look-ups that ask the faulted API
    for old, new in zip(before["entries"], after["entries"], strict=True):
        old_values = {k: v for k, v in old.items() if k not in strip}
        new_values = {k: v for k, v in new.items() if k not in strip}
        if cached:  # every value kept: identical but for the stale and errors lists
            assert new_values == old_values, old["key"]
        else:
            assert_known_values_kept(old_values, new_values, old["key"])
        # other sources' errors stay; the faulted source's answers ("not found") may turn into
        # failures, since it could not be asked again (and without a cache, the look-ups that
        # depend on its answers may be keyed differently: a title search by another year)
        for error in old["errors"]:
            assert (error in new["errors"] or error["source"] in asking
                    or (not cached and error["kind"] == "not_found")), (old["key"], error)
        new_errors += [error for error in new["errors"] if error not in old["errors"]
                       and (cached or error["kind"] != "not_found")]
        # exactly the faulted source's values are stale, each saying why (and since when);
        # without a cache, so are the values of the look-ups that depend on its answers (the
        # journal version of a preprint, a repository named in an abstract): they could not
        # be asked, and the previous catalogue's are kept
        failed_here = any(e["source"] in asking and e["kind"] != "not_found"
                          for e in new["errors"])
        origins = {source, *(DEPENDENT.get(source, ()) if failed_here and not cached else ()),
                   *(THROUGH.get(source, ()) if failed_here else ())}
        # (only where this entry's look-up failed: a bioRxiv preprint Crossref answered for
        # never asks the bioRxiv API, so its fields stay fresh when that API fails)
        expected = {field for field, origin in old["provenance"].items()
                    if origin in origins or (source == "github" and field.startswith("repos."))
                    } if failed_here else set()
        assert {stale["field"] for stale in new["stale"]} == expected, old["key"]
        for stale in new["stale"]:
            assert stale["since"] or not cached, stale
            assert stale["reason"].split(":", 1)[0] in case.kinds, stale
    assert new_errors, "the failed look-ups are not reported"
    assert source in {error["source"] for error in new_errors} <= asking
    kinds = {error["kind"] for error in new_errors}
    assert kinds <= case.kinds, kinds
    assert case.required is None or case.required in kinds, kinds
    assert after["summary"]["stale_values"] == sum(len(e["stale"]) for e in after["entries"]) > 0


def assert_known_values_kept(old: object, new: object, where: str) -> None:
    """Every value ``old`` knew (not null) is in ``new`` unchanged; nulls may have been filled."""
    if old is None:
        return
    if isinstance(old, dict):
        assert isinstance(new, dict), where
        for key, value in old.items():
            assert_known_values_kept(value, new.get(key), f"{where}.{key}")
    else:
        assert new == old, where


def _problems(catalog: dict) -> list:
    return [(e["key"], x) for e in catalog["entries"] for x in [*e["stale"], *e["errors"]]
            if x.get("kind") != "not_found"]


# ------------------------------------------------------------------------------ 1. matrix


@pytest.mark.parametrize(("source", "fault"), MATRIX)
def test_fault_matrix(source, fault, api, fault_settings, baseline, tmp_path):
    case = CASES[fault]
    output, cache = tmp_path / "out" / "catalog.json", tmp_path / "cache"
    copy_baseline(baseline, output, cache)
    injected = api.set_fault(source, case.fault(source))

    started = time.monotonic()
    report, sleeps = run_in_process(fault_settings, baseline.list_path, output, cache,
                                    refresh=True)
    elapsed = time.monotonic() - started

    assert injected.hits > 0, f"{source} was never asked: the case tests nothing"
    assert elapsed < IN_PROCESS_BOUND
    stats = report.stats[source]
    assert stats.waited <= RETRY_BUDGET + 1e-6
    assert all(wait <= MAX_WAIT + 1e-6 for wait in sleeps)
    if fault == "retry-after":
        assert stats.retries == 1 and stats.waited >= 1  # Retry-After honoured
    elif fault == "5xx-burst":
        assert stats.retries >= 2
    after = json.loads(output.read_bytes())
    assert_fault_outcome(source, case, baseline.catalog, after, report.exit_code, baseline.schema)
    if case.recovers:
        assert output.read_bytes() == baseline.catalog_bytes


@pytest.mark.parametrize(("source", "fault"), CLI_SUBSET)
def test_fault_exit_codes_through_the_command(source, fault, api, baseline, tmp_path):
    case = CASES[fault]
    harvest_cli = Harvest(tmp_path, api, **TUNING, OPENALEX_API_KEY=OPENALEX_KEY)
    copy_baseline(baseline, harvest_cli.output, harvest_cli.cache)
    injected = api.set_fault(source, case.fault(source))

    started = time.monotonic()
    result = harvest_cli("--refresh", list_path=baseline.list_path)
    elapsed = time.monotonic() - started

    expected = 0 if case.recovers else 2
    assert result.returncode == expected, result.stderr
    assert injected.hits > 0
    assert elapsed < CLI_BOUND
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    if expected == 2:
        assert "exit 2" in result.stderr  # the summary says why
    schema = json.loads(harvest_cli.output.with_name("catalog.schema.json").read_text())
    assert_fault_outcome(source, case, baseline.catalog, harvest_cli.catalog(),
                         result.returncode, schema)
    run = json.loads(harvest_cli.output.with_name("run.json").read_text())
    assert run["exit_code"] == expected
    assert run["sources"][source]["waited_seconds"] <= RETRY_BUDGET + 0.01


def test_strict_turns_an_incomplete_run_into_exit_1_without_writing(api, baseline, tmp_path):
    harvest_cli = Harvest(tmp_path, api, **TUNING, OPENALEX_API_KEY=OPENALEX_KEY)
    copy_baseline(baseline, harvest_cli.output, harvest_cli.cache)
    api.set_fault("github", Fault("status", status=503))
    result = harvest_cli("--refresh", "--strict", list_path=baseline.list_path)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert harvest_cli.output.read_bytes() == baseline.catalog_bytes


DEPENDENT = {
    "arxiv": ("crossref", "github (discovered)"),
    "biorxiv": ("crossref", "github (discovered)"),
    "openreview": ("github (discovered)",),
    "crossref": ("github (discovered)",),
}
"""Sources whose look-ups are keyed by another source's answer (see harvester.pipeline)."""

THROUGH = {"crossref": ("biorxiv",)}
"""Sources that ask another's API first: bioRxiv preprints come from Crossref's batches."""

NO_CACHE = [
    pytest.param(source, fault, id=f"{source}-{fault}")
    for source in SOURCES for fault in ("503", "empty")
]


@pytest.mark.parametrize(("source", "fault"), NO_CACHE)
def test_fault_with_only_the_previous_catalogue(source, fault, api, fault_settings, baseline,
                                                tmp_path):
    """A runner that starts with an empty cache: the previous catalogue is the only memory."""
    case = CASES[fault]
    output, cache = tmp_path / "out" / "catalog.json", tmp_path / "cache"
    output.parent.mkdir()
    output.write_bytes(baseline.catalog_bytes)
    injected = api.set_fault(source, case.fault(source))
    report, _ = run_in_process(fault_settings, baseline.list_path, output, cache,
                               refresh=True)
    assert injected.hits > 0
    after = json.loads(output.read_bytes())
    assert_fault_outcome(source, case, baseline.catalog, after, report.exit_code,
                         baseline.schema, cached=False)


# ------------------------------------------------------------------------------ 2. SIGKILL


def _temp_files(folder: Path) -> list[str]:
    return sorted(name for name in os.listdir(folder) if name.endswith(".tmp"))


def assert_catalogue_intact(output: Path, old: bytes, schema: dict) -> None:
    """The catalogue is the previous file or a complete new one; temp files are never it."""
    data = output.read_bytes()
    if data != old:
        assert data.endswith(b"}\n")
        jsonschema.validate(json.loads(data), schema)
    for name in _temp_files(output.parent):
        # a killed writer may leave its temp file: hidden, suffixed, never read as a catalogue
        assert name.startswith(".") and name != output.name


def kill_in_write_phase(harvest_cli: Harvest, list_path: Path) -> list[str]:
    """Start a refresh and SIGKILL it the moment a new temp output file appears (or it ends);
    return the temp files it had started."""
    folder = harvest_cli.output.parent
    earlier = set(_temp_files(folder))  # left by earlier kills
    proc = harvest_cli.popen("--refresh", list_path=list_path)
    seen: list[str] = []
    try:
        while proc.poll() is None:
            seen = [name for name in _temp_files(folder) if name not in earlier]
            if seen:
                os.kill(proc.pid, signal.SIGKILL)
                break
    finally:
        proc.kill()
        proc.communicate(timeout=60)
    return seen


@pytest.fixture
def big_api():
    with FakeAPI(World.generate(1000)) as server:
        yield server


@pytest.mark.timeout(240)  # about 30 s on a quiet machine: kept well within 3x of the limit
def test_sigkill_leaves_previous_catalogue_and_cache_usable(big_api, tmp_path):
    list_path = tmp_path / "generated.md"
    list_path.write_text(big_api.world.to_markdown(), encoding="utf-8")
    # no fault is injected here: default timeouts and budgets, so that a busy machine (slow
    # answers) cannot make the clean runs incomplete
    harvest_cli = Harvest(tmp_path, big_api)
    first = harvest_cli(list_path=list_path)
    assert first.returncode == 0, first.stderr
    old = harvest_cli.output.read_bytes()
    schema = json.loads(harvest_cli.output.with_name("catalog.schema.json").read_text())

    # killed during start-up and at several points of the harvest: with these answer times the
    # chains of dependent look-ups (list → ids → journal versions → S2 journal DOIs and title
    # fall-backs → NeurIPS pages) keep a batched refresh busy for well over 3 s
    big_api.latency = (0.6, 0.7)
    for delay in (0.2, 0.6, 1.2, 2.0, 3.0):
        proc = harvest_cli.popen("--refresh", list_path=list_path)
        time.sleep(delay)
        assert proc.poll() is None, f"the run ended before the kill at {delay} s"
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=60)
        assert proc.returncode == -signal.SIGKILL
        assert_catalogue_intact(harvest_cli.output, old, schema)

    # killed while the outputs are being written (the temp file exists)
    big_api.latency = (0.0, 0.0)
    landed = False
    for _ in range(3):
        landed = bool(kill_in_write_phase(harvest_cli, list_path))
        assert_catalogue_intact(harvest_cli.output, old, schema)
        if landed:
            break
    assert landed, "no kill landed in the write phase"

    cache = diskcache.Cache(str(harvest_cli.cache))
    try:
        assert cache.check() == []  # SQLite and the value files are consistent
    finally:
        cache.close()
    big_api.reset_counts()
    after = harvest_cli(list_path=list_path)
    assert after.returncode == 0, after.stderr
    assert "Traceback" not in after.stderr
    assert harvest_cli.output.read_bytes() == old  # nothing lost, nothing changed upstream


# ------------------------------------------------------------------------------ 3. concurrency


def test_two_runs_at_once_on_one_cache_and_output(tmp_path):
    with FakeAPI(World.neurofm(), latency=(0.005, 0.03)) as server:
        harvest_cli = Harvest(tmp_path, server)  # no fault: default timeouts and budgets
        procs = [harvest_cli.popen(), harvest_cli.popen()]
        outputs = [proc.communicate(timeout=120) for proc in procs]
        for proc, (stdout, stderr) in zip(procs, outputs, strict=True):
            assert proc.returncode == 0, stderr
            assert "Traceback" not in stderr
            assert stdout == ""
        written = harvest_cli.output.read_bytes()
        schema = json.loads(harvest_cli.output.with_name("catalog.schema.json").read_text())
        jsonschema.validate(json.loads(written), schema)
        assert _temp_files(harvest_cli.output.parent) == []

        server.reset_counts()
        third = harvest_cli()
        assert third.returncode == 0, third.stderr
        assert sum(server.counts.values()) == 0  # both runs' records are in the cache
        assert harvest_cli.output.read_bytes() == written
