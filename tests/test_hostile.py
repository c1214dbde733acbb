"""Hostile servers, lists, caches and signals: the reliability contract's additions (DESIGN.md).

Every case runs ``python -m harvester`` as a child process against the fake APIs (with one of the
hostile modes of ``tests/fakeapi/hostile.py``) or a hostile list server, starting from the cache
and catalogue of one clean harvest, and asserts what the contract promises:

* bounded time (the child is given small deadlines and budgets through ``HARVEST_<SOURCE>_*``);
* peak memory (the child's ``ru_maxrss``, read with ``os.wait4``) under 300 MB;
* no traceback, and the exit code of DESIGN.md (2: written with stale values; 1: nothing
  written; 130: interrupted);
* every value the previous catalogue knew is kept, and the catalogue validates against its
  schema;
* no secret (the GitHub token, the S2 key, list credentials) in the catalogue, run.json, any file
  of the cache, stdout or stderr.

Timing figures are measured by ``scripts/hostile.py``, not asserted here beyond generous bounds.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.fakeapi import FakeAPI, Fault, World
from tests.fakeapi.hostile import Catcher, ListServer
from tests.harness import NEUROFM, SECRETS, SOURCE_VARS

TOKEN = "fake-github-token-for-hostile-tests-0123456789"
S2_KEY = "s2-fake-key-0123456789"
LIST_PASSWORD = "s3cret-list-pass"
LIST_TOKEN = "list-query-token-98765"
ALL_SECRETS = (TOKEN, S2_KEY, LIST_PASSWORD, LIST_TOKEN)
PEAK_MB = 300
BOUND = 40.0
"""Seconds a hostile run may take: a few deadlines and budgets of 2 s each, plus start-up on a
busy machine. The child is killed at 3x this."""
TUNING = {
    f"HARVEST_{source}_{name}": value
    for source in SOURCE_VARS
    for name, value in (("MIN_INTERVAL", "0"), ("TIMEOUT", "1"), ("RETRY_BUDGET", "2"),
                        ("MAX_WAIT", "1"), ("DEADLINE", "2"))
}


@dataclass
class Outcome:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float


def run_child(cmd: list[str], env: dict[str, str], cwd: Path, *, timeout: float = 3 * BOUND,
              interrupt_when: Callable[[], bool] | None = None) -> Outcome:
    """Run ``cmd``; its exit code, output, wall time and peak resident memory (os.wait4).
    With ``interrupt_when``, a SIGINT is sent once it is true, and the time is counted from
    there."""
    started = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    streams: dict[str, bytes] = {}
    readers = [threading.Thread(target=lambda n=name, s=stream: streams.__setitem__(n, s.read()))
               for name, stream in (("out", proc.stdout), ("err", proc.stderr))]
    for reader in readers:
        reader.start()
    interrupted = False
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        elapsed = time.monotonic() - started
        if interrupt_when is not None and not interrupted and interrupt_when():
            os.kill(proc.pid, signal.SIGINT)
            interrupted = True
            started_interrupt = time.monotonic()
        if elapsed > timeout:
            proc.kill()
        time.sleep(0.01)
    seconds = time.monotonic() - (started_interrupt if interrupted else started)
    proc.returncode = os.waitstatus_to_exitcode(status)
    for reader in readers:
        reader.join(10)
    return Outcome(proc.returncode, streams.get("out", b"").decode("utf-8", "replace"),
                   streams.get("err", b"").decode("utf-8", "replace"), seconds,
                   usage.ru_maxrss / 1024)


def hostile_world() -> World:
    world = World.neurofm()
    world.github_token = TOKEN
    world.s2_api_key = S2_KEY
    return world


@dataclass
class Baseline:
    dir: Path
    catalog_bytes: bytes
    catalog: dict
    schema: dict


class Run:
    """One hostile run's scratch folder: a copy of the clean cache and catalogue."""

    def __init__(self, tmp_path: Path, api: FakeAPI, baseline: Baseline, **env: str) -> None:
        self.dir = tmp_path
        self.output = tmp_path / "out" / "catalog.json"
        self.cache = tmp_path / "cache"
        shutil.copytree(baseline.dir / "cache", self.cache)
        self.output.parent.mkdir()
        self.output.write_bytes(baseline.catalog_bytes)
        self.baseline = baseline
        self.env = {**{k: v for k, v in os.environ.items() if k not in SECRETS},
                    **api.env(), **TUNING, "GITHUB_TOKEN": TOKEN, "S2_API_KEY": S2_KEY, **env}

    def __call__(self, *args: str, list_spec: str = str(NEUROFM), **kw: Any) -> Outcome:
        cmd = [sys.executable, "-m", "harvester", "--list", list_spec, "--output",
               str(self.output), "--cache-dir", str(self.cache), *args]
        return run_child(cmd, self.env, self.dir, **kw)

    def catalog(self) -> dict:
        return json.loads(self.output.read_bytes())

    def assert_contract(self, outcome: Outcome, exit_code: int, *, written: bool = True,
                        bound: float = BOUND) -> None:
        assert outcome.returncode == exit_code, outcome.stderr
        assert outcome.seconds < bound, outcome.seconds
        assert outcome.peak_mb < PEAK_MB, outcome.peak_mb
        assert "Traceback" not in outcome.stderr, outcome.stderr
        assert outcome.stdout == ""
        if not written:
            assert self.output.read_bytes() == self.baseline.catalog_bytes
        after = self.catalog()
        jsonschema.validate(after, self.baseline.schema)
        if written and exit_code in (0, 2):
            assert_values_kept(self.baseline.catalog, after)
        self.assert_no_secret(outcome)

    def assert_no_secret(self, outcome: Outcome) -> None:
        places = {"stdout": outcome.stdout.encode(), "stderr": outcome.stderr.encode()}
        for folder in (self.output.parent, *self.dir.glob("cache*")):
            for path in folder.rglob("*"):
                if path.is_file():
                    places[str(path)] = path.read_bytes()
        for where, data in places.items():
            for secret in ALL_SECRETS:
                assert secret.encode() not in data, f"{secret[:6]}… in {where}"


def assert_values_kept(before: dict, after: dict) -> None:
    """Same entries, same values: only ``stale`` and ``errors`` may differ."""
    strip = ("stale", "errors")
    assert [e["key"] for e in after["entries"]] == [e["key"] for e in before["entries"]]
    for old, new in zip(before["entries"], after["entries"], strict=True):
        assert {k: v for k, v in new.items() if k not in strip} == {
            k: v for k, v in old.items() if k not in strip}, old["key"]


def errors_of(catalog: dict, source: str) -> list[dict]:
    return [e for entry in catalog["entries"] for e in entry["errors"] if e["source"] == source]


# ------------------------------------------------------------------------------ fixtures


@pytest.fixture(scope="module")
def api():
    with FakeAPI(hostile_world()) as server:
        yield server


@pytest.fixture(autouse=True)
def _no_faults_left(request):
    yield
    if "api" in request.fixturenames:
        request.getfixturevalue("api").clear_faults()


@pytest.fixture(scope="module")
def baseline(api, tmp_path_factory) -> Baseline:
    folder = tmp_path_factory.mktemp("hostile-baseline")
    (folder / "out").mkdir()
    env = {**{k: v for k, v in os.environ.items() if k not in SECRETS}, **api.env(), **TUNING,
           "GITHUB_TOKEN": TOKEN, "S2_API_KEY": S2_KEY}
    output = folder / "out" / "catalog.json"
    cmd = [sys.executable, "-m", "harvester", "--list", str(NEUROFM), "--output", str(output),
           "--cache-dir", str(folder / "cache")]
    first = run_child(cmd, env, folder)
    assert first.returncode == 0, first.stderr
    data = output.read_bytes()
    schema = json.loads(output.with_name("catalog.schema.json").read_text())
    return Baseline(folder, data, json.loads(data), schema)


# ------------------------------------------------------------------------------ bodies


@pytest.mark.parametrize(("source", "kind"), [
    ("github", "endless"),
    ("semanticscholar", "gzip_bomb"),
    ("crossref", "gzip_bomb"),
    ("arxiv", "endless"),
])
def test_unbounded_bodies_are_invalid_responses(source, kind, api, baseline, tmp_path):
    run = Run(tmp_path, api, baseline)
    fault = api.set_fault(source, Fault(kind))
    outcome = run("--refresh")
    assert fault.hits > 0
    run.assert_contract(outcome, 2)
    errors = errors_of(run.catalog(), source)
    assert errors and all(e["kind"] == "invalid_response" for e in errors), errors
    assert any("larger than" in e["message"] for e in errors)


@pytest.mark.parametrize("variant", [None, "headers"])
def test_a_trickling_server_meets_the_deadline(variant, api, baseline, tmp_path):
    run = Run(tmp_path, api, baseline)
    fault = api.set_fault("crossref", Fault("trickle", seconds=0.3, variant=variant))
    outcome = run("--refresh")
    assert fault.hits > 0
    run.assert_contract(outcome, 2)
    errors = errors_of(run.catalog(), "crossref")
    assert errors and all(e["kind"] == "unavailable" for e in errors)
    assert any("deadline" in e["message"] for e in errors), errors
    facts = json.loads(run.output.with_name("run.json").read_text())
    assert facts["sources"]["crossref"]["stopped"]  # the deadline counted toward the budget


@pytest.mark.parametrize("source", ["github", "semanticscholar", "crossref", "openreview",
                                    "biorxiv", "arxiv"])
def test_deep_nesting_from_any_source_is_an_invalid_response(source, api, baseline, tmp_path):
    # bioRxiv DOIs normally go through Crossref's batches: ask the bioRxiv API itself here
    extra = {"HARVEST_PER_ITEM": "biorxiv"} if source == "biorxiv" else {}
    run = Run(tmp_path, api, baseline, **extra)
    fault = api.set_fault(source, Fault("deep_json"))
    outcome = run("--refresh")
    assert fault.hits > 0
    run.assert_contract(outcome, 2)
    errors = errors_of(run.catalog(), source)
    assert errors and {e["kind"] for e in errors} == {"invalid_response"}, errors


# ------------------------------------------------------------------------------ secrets


def test_an_echoed_token_never_reaches_the_catalogue(api, baseline, tmp_path):
    run = Run(tmp_path, api, baseline)
    fault = api.set_fault("github", Fault("echo"))
    s2 = api.add_fault("semanticscholar", Fault("echo"))
    outcome = run("--refresh")
    assert fault.hits > 0 and s2.hits > 0
    run.assert_contract(outcome, 2)
    catalog = run.catalog()
    messages = [e["message"] for e in errors_of(catalog, "github")]
    assert messages and any("[redacted]" in m for m in messages), messages
    for entry in catalog["entries"]:
        for error in entry["errors"]:
            assert len(error["message"]) <= 500
            assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in error["message"])
            assert "\u202e" not in error["message"]


def test_credentials_in_the_list_url_are_used_but_never_shown(api, baseline, tmp_path):
    run = Run(tmp_path, api, baseline)
    with ListServer(NEUROFM.read_text(encoding="utf-8"), auth=("alice", LIST_PASSWORD),
                    token=LIST_TOKEN) as server:
        host = server.url.removeprefix("http://")
        spec = f"http://alice:{LIST_PASSWORD}@{host}/list.md?token={LIST_TOKEN}"
        outcome = run(list_spec=spec)
        assert [p for _, p, _ in server.seen] == [f"/list.md?token={LIST_TOKEN}"]
    run.assert_contract(outcome, 0)
    assert run.catalog()["list"]["source"] == f"{server.url}/list.md"
    facts = json.loads(run.output.with_name("run.json").read_text())
    assert facts["list"]["source"] == f"{server.url}/list.md"


def test_list_credentials_do_not_follow_a_redirect_to_another_port(api, baseline, tmp_path):
    run = Run(tmp_path, api, baseline)
    with ListServer(NEUROFM.read_text(encoding="utf-8")) as elsewhere, \
            ListServer(mode="redirect", target=f"{elsewhere.url}/moved.md") as server:
        host = server.url.removeprefix("http://")
        outcome = run(list_spec=f"http://alice:{LIST_PASSWORD}@{host}/list.md")
        assert len(server.seen) == 1 and "authorization" in server.seen[0][2]
        assert len(elsewhere.seen) == 1
        assert "authorization" not in elsewhere.seen[0][2]  # another port: another origin
    run.assert_contract(outcome, 0)


def test_the_github_token_does_not_follow_a_redirect_to_another_port(api, baseline, tmp_path):
    """``github:OWNER/REPO`` lists are read with the token; a redirect to another port of the
    same host is refused (the contents API is GitHub's own origin only)."""
    run = Run(tmp_path, api, baseline)
    with Catcher() as catcher:
        fault = api.set_fault("github", Fault("redirect", variant=f"{catcher.url}/x",
                                              match="/contents/"))
        outcome = run(list_spec="github:mazabou/awesome-neurofm/README.md")
        assert fault.hits > 0
        assert catcher.seen == []
    # the list could not be read and no copy is cached: exit 1, nothing written
    run.assert_contract(outcome, 1, written=False)
    assert "another origin" in outcome.stderr


# ------------------------------------------------------------------------------ values


@pytest.mark.parametrize(("source", "variant"), [("github", None), ("github", "negative"),
                                                 ("semanticscholar", None)])
def test_impossible_values_are_invalid_responses(source, variant, api, baseline, tmp_path):
    run = Run(tmp_path, api, baseline)
    fault = api.set_fault(source, Fault("impossible", variant=variant))
    outcome = run("--refresh")
    assert fault.hits > 0
    run.assert_contract(outcome, 2)
    errors = errors_of(run.catalog(), source)
    assert errors and {e["kind"] for e in errors} == {"invalid_response"}, errors
    values = json.dumps([{k: v for k, v in e.items() if k not in ("errors", "stale")}
                         for e in run.catalog()["entries"]])
    assert "2999-99-99" not in values and str(10**30) not in values and "-5" not in values


# ------------------------------------------------------------------------------ lists


def test_an_html_page_served_as_the_list_is_refused(api, baseline, tmp_path):
    run = Run(tmp_path, api, baseline)
    with ListServer(mode="html") as server:
        outcome = run(list_spec=f"{server.url}/list.md")
    run.assert_contract(outcome, 1, written=False)
    assert "HTML page" in outcome.stderr


def test_an_empty_list_does_not_replace_the_catalogue(api, baseline, tmp_path):
    run = Run(tmp_path, api, baseline)
    with ListServer(mode="empty") as server:
        outcome = run(list_spec=f"{server.url}/list.md")
        run.assert_contract(outcome, 1, written=False)
        assert "no entries" in outcome.stderr and "--allow-empty" in outcome.stderr
        allowed = run("--allow-empty", list_spec=f"{server.url}/list.md")
    assert allowed.returncode == 0, allowed.stderr
    assert run.catalog()["entries"] == []


def test_a_list_that_lost_half_its_entries_is_written_and_shouted_about(api, baseline,
                                                                          tmp_path):
    run = Run(tmp_path, api, baseline)
    lines = NEUROFM.read_text(encoding="utf-8").splitlines(keepends=True)
    items = [i for i, line in enumerate(lines) if line.startswith("- ")]
    short = tmp_path / "short.md"
    short.write_text("".join(line for i, line in enumerate(lines)
                             if i not in items[: len(items) * 3 // 4]), encoding="utf-8")
    outcome = run(list_spec=str(short))
    assert outcome.returncode == 0, outcome.stderr
    assert "lost more than half" in outcome.stderr
    assert "coverage fell" in outcome.stderr and "entries" in outcome.stderr
    facts = json.loads(run.output.with_name("run.json").read_text())
    assert any("lost more than half" in w for w in facts["warnings"])


@pytest.mark.parametrize("mode", ["endless", "gzip_bomb"])
def test_an_unbounded_list_is_refused_within_its_cap(mode, api, baseline, tmp_path):
    run = Run(tmp_path, api, baseline)
    with ListServer(mode=mode) as server:
        outcome = run(list_spec=f"{server.url}/list.md")
        assert server.sent < 200 * 1024 * 1024  # the client hung up early
    run.assert_contract(outcome, 1, written=False)
    assert "more than 67108864 bytes" in outcome.stderr


def test_items_nested_past_the_parser_limit_are_warned_about(api, baseline, tmp_path):
    run = Run(tmp_path, api, baseline)
    deep = "".join("  " * level + f"- level {level}\n" for level in range(14))
    path = tmp_path / "deep.md"
    text = NEUROFM.read_text(encoding="utf-8")
    path.write_text(text + "\n## Deep\n\n" + deep, encoding="utf-8")
    outcome = run("--offline", list_spec=str(path))
    assert outcome.returncode == 0, outcome.stderr
    first_lost = text.count("\n") + 4 + 9  # the tenth level is the first the parser drops
    assert f"lines {first_lost}-" in outcome.stderr and "nested too deep" in outcome.stderr, \
        outcome.stderr


# ------------------------------------------------------------------------------ cache


def test_a_corrupted_cache_is_moved_aside_and_the_run_goes_on(api, baseline, tmp_path):
    run = Run(tmp_path, api, baseline)
    database = run.cache / "cache.db"
    size = database.stat().st_size
    with database.open("r+b") as handle:
        handle.seek(size // 3)
        handle.write(os.urandom(size // 3))
    outcome = run()
    run.assert_contract(outcome, 0)
    assert run.output.read_bytes() == baseline.catalog_bytes
    assert "moved to" in outcome.stderr
    assert list(tmp_path.glob("cache.broken-*"))
    again = run()  # the new cache is whole: a second run is answered from it
    assert again.returncode == 0, again.stderr
    assert "moved to" not in again.stderr


# ------------------------------------------------------------------------------ signals


def test_the_first_ctrl_c_stops_the_run_at_once(api, baseline, tmp_path):
    run = Run(tmp_path, api, baseline, **{f"HARVEST_{s}_TIMEOUT": "60" for s in SOURCE_VARS},
              **{f"HARVEST_{s}_DEADLINE": "60" for s in SOURCE_VARS})
    hangs = [api.set_fault(source, Fault("hang", seconds=60))
             for source in ("github", "semanticscholar", "arxiv", "crossref", "openreview",
                            "biorxiv")]
    # interrupted while requests are in flight (every source hangs)
    outcome = run("--refresh", interrupt_when=lambda: sum(f.hits for f in hangs) >= 3)
    assert outcome.returncode == 130, outcome.stderr
    assert outcome.seconds < 2.0  # from the signal to the exit
    assert "interrupted" in outcome.stderr
    run.assert_contract(outcome, 130, written=False)
    assert not [p for p in run.output.parent.iterdir() if p.name.endswith(".tmp")]


# ------------------------------------------------------------------------------ network


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_no_network_finishes_fast_naming_each_host_once(api, baseline, tmp_path):
    ports = {var: _closed_port() for var in api.env()}
    env = {var: f"http://127.0.0.1:{port}/x" for var, port in ports.items()}
    run = Run(tmp_path, api, baseline, **env)
    outcome = run("--refresh")
    run.assert_contract(outcome, 2, bound=30.0)
    # bioRxiv/medRxiv DOIs are asked through Crossref's batches: the bioRxiv API host is only
    # asked for what Crossref lacks, so with Crossref unreachable it is never tried
    used = {ports[var] for var in ("HARVEST_GITHUB_URL", "HARVEST_SEMANTICSCHOLAR_URL",
                                   "HARVEST_ARXIV_URL", "HARVEST_CROSSREF_URL",
                                   "HARVEST_OPENREVIEW_URL")}
    for port in used:
        assert outcome.stderr.count(f"could not connect to 127.0.0.1:{port}") == 1, \
            outcome.stderr
    assert "retry budget" not in outcome.stderr


def test_a_spent_github_quota_is_rate_limited_with_its_reset_time(api, baseline, tmp_path):
    run = Run(tmp_path, api, baseline)
    del run.env["GITHUB_TOKEN"]
    fault = api.set_fault("github", Fault("status", status=403, variant="primary"))
    outcome = run("--refresh")
    assert fault.hits > 0
    run.assert_contract(outcome, 2)
    errors = errors_of(run.catalog(), "github")
    assert errors and {e["kind"] for e in errors} == {"rate_limited"}, errors
    for error in errors:
        assert "resets" in error["message"] and "GITHUB_TOKEN" in error["message"]
        assert "budget" not in error["message"]
