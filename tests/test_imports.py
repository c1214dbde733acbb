"""What a run that sends nothing never loads.

httpx, httpcore and tenacity are imported with the run's first request (``harvester.http``),
the list parser and markdown-it with the first parse of a list (``harvester.listparse``): a
warm run (every record cached and fresh, the parse cached) loads none of them. Each run here is
``harvest`` in a fresh interpreter, against the fake APIs, reporting which of the watched
modules it imported.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.fakeapi import FakeAPI, World
from tests.harness import NEUROFM, Harvest

WATCHED = ("httpx", "httpcore", "tenacity", "markdown_it", "harvester.listparse.blocks")
PROBE = f"""
import json, sys
from harvester.cli import main
try:
    main(sys.argv[1:], prog_name="harvest")
except SystemExit as exit:
    code = exit.code
print(json.dumps({{"exit": code, "loaded": [m for m in {WATCHED!r} if m in sys.modules]}}))
"""


@pytest.fixture
def api():
    with FakeAPI(World.neurofm()) as server:
        yield server


def probe(harvest: Harvest, *args: str) -> tuple[int, set[str]]:
    """Run ``harvest ARGS`` on the neurofm list; its exit code and the watched modules it
    loaded."""
    command = [sys.executable, "-c", PROBE, *harvest.command(*args, list_path=NEUROFM)[3:]]
    done = subprocess.run(command, cwd=harvest.dir, env=harvest.env, capture_output=True,
                          text=True, timeout=120)
    report = json.loads(done.stdout.strip().splitlines()[-1])
    return report["exit"], set(report["loaded"])


def test_a_warm_run_loads_neither_httpx_nor_the_list_parser(tmp_path, api):
    # with credentials set: their origins wait for the first request too
    harvest = Harvest(tmp_path, api, GITHUB_TOKEN="ghp_" + "a" * 36, S2_API_KEY="s2-key")
    code, cold = probe(harvest)
    assert code == 0
    assert cold == set(WATCHED)  # requests were sent and the list parsed: all of them loaded
    assert sum(api.counts.values()) > 0
    text = harvest.output.read_bytes()

    api.reset_counts()
    code, warm = probe(harvest)
    assert code == 0
    assert sum(api.counts.values()) == 0
    assert warm == set()
    assert harvest.output.read_bytes() == text

    code, offline = probe(harvest, "--offline")
    assert code == 0
    assert offline == set()
    assert harvest.output.read_bytes() == text


def test_an_offline_run_of_an_unparsed_list_parses_it_without_httpx(tmp_path, api):
    code, loaded = probe(Harvest(tmp_path, api), "--offline")
    assert code in (0, 2)  # nothing cached: the look-ups are not answered
    assert loaded == {"markdown_it", "harvester.listparse.blocks"}
    assert sum(api.counts.values()) == 0
