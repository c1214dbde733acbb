"""What a person watching a run sees: progress lines in CI logs, bars on a terminal, the
missing credentials, a summary that fits 80 columns."""

from __future__ import annotations

import io
import itertools
import re
import subprocess
import threading
import time
from pathlib import Path

import pytest
from rich.console import Console

from harvester.config import Settings
from harvester.console import (
    ConsoleReporter,
    label,
    missing_credentials,
    print_summary,
    progress_interval,
)
from harvester.pipeline import RunReport
from harvester.published import Published
from harvester.runstats import SourceStats
from harvester.sources import REGISTRY
from tests.fakeapi import FakeAPI, Fault, World
from tests.harness import Harvest
from tests.test_export import sample

ROOT = Path(__file__).resolve().parents[1]


def stamped_run(run: Harvest, *args: str) -> tuple[int, list[tuple[float, str]]]:
    """Run ``harvest`` and note when each stderr line arrived."""
    process = run.popen(*args)
    lines: list[tuple[float, str]] = []

    def read() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            lines.append((time.monotonic(), line.rstrip("\n")))

    reader = threading.Thread(target=read)
    reader.start()
    assert process.stdout is not None
    process.stdout.read()
    code = process.wait(timeout=120)
    reader.join(timeout=10)
    return code, lines


@pytest.mark.timeout(200)
def test_without_a_terminal_a_slow_source_reports_progress_at_the_interval(tmp_path) -> None:
    # bioRxiv's own API is asked one DOI at a time (forced here: its DOIs normally go in
    # Crossref's batches); paced 2.5 s apart its 3 look-ups take about 5 s.
    with FakeAPI(World.neurofm()) as api:
        run = Harvest(tmp_path, api, HARVEST_BIORXIV_MIN_INTERVAL="2.5",
                      HARVEST_PER_ITEM="biorxiv", HARVEST_PROGRESS_INTERVAL="1")
        code, lines = stamped_run(run)
    assert code == 0, "\n".join(text for _, text in lines)
    mine = [(t, text) for t, text in lines if text.startswith("bioRxiv/medRxiv: ")]
    start = next(t for t, text in mine if text.endswith("to look up"))
    end = next(t for t, text in mine if re.search(r"3/3 done in \d+ s$", text))
    ticks = [(t, text) for t, text in mine if start < t < end]
    # while it works: a line with done/total and the time left, about once a second
    assert len(ticks) >= 3, mine
    assert all(re.search(r": [0-2]/3 done, ", text) for _, text in ticks), ticks
    assert any(re.search(r"\d+\.\d/s, about \d+ s left", text) for _, text in ticks), ticks
    stamps = [start, *(t for t, _ in ticks), end]
    assert max(b - a for a, b in itertools.pairwise(stamps)) < 10
    # no machine names in what a person reads
    assert not any(text.startswith(("biorxiv:", "s2-", "github-discovered"))
                   for _, text in lines)


def test_retries_and_waits_are_shown_with_verbose_only(tmp_path) -> None:
    with FakeAPI(World.neurofm()) as api:
        api.set_fault("semanticscholar", Fault(kind="status", status=503))
        run = Harvest(tmp_path, api)
        loud = run("--verbose")
        quiet = run("--refresh")
    assert loud.returncode == 2
    assert re.search(r"Semantic Scholar: waiting \d+\.\d s before retry 1", loud.stderr)
    assert "waiting" not in quiet.stderr


def test_the_interval_comes_from_the_environment() -> None:
    assert progress_interval({}) == 10
    assert progress_interval({"HARVEST_PROGRESS_INTERVAL": "2.5"}) == 2.5
    assert progress_interval({"HARVEST_PROGRESS_INTERVAL": "0"}) == 0.1
    assert progress_interval({"HARVEST_PROGRESS_INTERVAL": "soon"}) == 10


def test_every_stage_of_the_pipeline_has_a_label_in_words() -> None:
    stages = [stage for spec in REGISTRY.values() for stage in spec.stages]
    assert len(stages) >= 10
    for stage in stages:
        words = r"[A-Za-z][A-Za-z/]+( [A-Za-z]+)*( \([A-Za-z ,]+\))?"
        assert re.fullmatch(words, label(stage.name)), stage
        assert label(stage.name) == stage.label != stage.name, stage
    assert label("s2-titles-openreview") == "Semantic Scholar (OpenReview titles)"
    assert label("semanticscholar") == "Semantic Scholar"
    assert label("something-new") == "something-new"


def test_missing_credentials_that_matter() -> None:
    bare = Settings()
    lines = missing_credentials(bare, offline=False, only=None)
    assert [line.split(":")[0] for line in lines] == [
        "no GITHUB_TOKEN", "no S2_API_KEY", "no HARVEST_CONTACT"]
    assert "60 repositories an hour" in lines[0]
    assert "shared pool" in lines[1]
    assert "public pool" in lines[2]
    assert all(len("note: " + line) <= 80 for line in lines)
    assert missing_credentials(bare, offline=True, only=None) == []
    assert missing_credentials(bare, offline=False, only={"arxiv"}) == []
    assert [line.split(":")[0] for line in missing_credentials(
        bare, offline=False, only={"github"})] == ["no GITHUB_TOKEN"]
    full = Settings(github_token="t", s2_api_key="k", contact="me@example.org")
    assert missing_credentials(full, offline=False, only=None) == []


def test_missing_credentials_are_said_at_the_start_of_a_run(tmp_path) -> None:
    with FakeAPI(World.neurofm()) as api:
        run = Harvest(tmp_path, api)
        result = run()
        (tmp_path / "t").mkdir()
        with_token = Harvest(tmp_path / "t", api, GITHUB_TOKEN="ghp_x", S2_API_KEY="k",
                             HARVEST_CONTACT="me@example.org")
        quiet = with_token()
    first = result.stderr.splitlines()[:3]
    assert [line.split(":")[1].strip() for line in first] == [
        "no GITHUB_TOKEN", "no S2_API_KEY", "no HARVEST_CONTACT"]
    assert "no GITHUB_TOKEN" not in quiet.stderr and "note:" not in quiet.stderr


def test_a_terminal_gets_one_bar_per_stage_labelled_in_words() -> None:
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=100)
    with ConsoleReporter(console, quiet=False, verbose=False) as reporter:
        reporter.stage("s2-titles", 10)
        reporter.stage("github", 4)
        reporter.advance("s2-titles", 5)
        time.sleep(0.2)
        tasks = {t.description: t for t in reporter.progress.tasks}
        assert set(tasks) == {"Semantic Scholar (titles)", "GitHub"}
        assert (tasks["Semantic Scholar (titles)"].completed,
                tasks["Semantic Scholar (titles)"].total) == (5, 10)
        frame = io.StringIO()
        Console(file=frame, width=100, force_terminal=False).print(
            reporter.progress.get_renderable())
    text = frame.getvalue()
    assert "Semantic Scholar (titles)" in text and "5/10" in text and "0/4" in text
    assert re.search(r"\d+\.\d/s", text)  # the rate


def report(**stats: SourceStats) -> RunReport:
    return RunReport(published=Published.of(sample()), stats=dict(stats), warnings=[], failed=3,
                     list_fallback=None, started_at="2025-01-01T00:00:00Z",
                     duration=1234.5)


def test_the_summary_fits_80_columns_and_explains_stopped(tmp_path) -> None:
    s2 = SourceStats(asked=12345, cached=10000, fetched=2000, failed=345, requests=99999,
                     retries=7, waited=95.2, exhausted=True)
    github = SourceStats(asked=2000, fetched=2000, requests=21, not_modified=1999)
    github.notes["quota_remaining"] = {"core": 4321, "graphql": 4999}
    out = io.StringIO()
    console = Console(file=out, width=200, force_terminal=False)
    print_summary(console, report(semanticscholar=s2, github=github, crossref=SourceStats(
        asked=7, fetched=7, requests=1)),
        tmp_path / "a" / "rather" / "long" / "path" / "to" / "the" / "catalog.json")
    text = out.getvalue()
    lines = text.splitlines()
    assert all(len(line) <= 80 for line in lines), "\n".join(lines)
    header = lines[0].split()
    assert header == ["source", "asked", "cached", "fetched", "304", "failed", "requests",
                      "waited"]
    assert any(line.startswith("Semantic Scholar (stopped)") and "12345" in line
               and "95s" in line for line in lines)
    assert "Semantic Scholar (stopped): its retry budget ran out" in text
    assert "previous values were kept" in text
    assert "GitHub quota left: core 4321, graphql 4999." in text
    assert "6 entries, " in text and "catalog.json" in text.replace("\n", "")
    assert "3 look-ups could not be completed; their previous values were kept and marked " \
        "stale (exit 2)" in " ".join(line.strip() for line in lines)


def test_quiet_prints_no_progress(tmp_path) -> None:
    with FakeAPI(World.neurofm()) as api:
        run = Harvest(tmp_path, api, HARVEST_PROGRESS_INTERVAL="0.1")
        result = run("--quiet")
    assert result.returncode == 0
    assert result.stderr == ""


def test_stage_output_goes_to_stderr_only(tmp_path) -> None:
    with FakeAPI(World.neurofm()) as api:
        run = Harvest(tmp_path, api, HARVEST_PROGRESS_INTERVAL="0.1")
        result = run()
    assert result.stdout == ""
    assert isinstance(result, subprocess.CompletedProcess)
