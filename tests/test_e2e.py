"""End to end: ``harvest`` as a subprocess on the real neurofm list, against the fake APIs.

The harvester reaches the fake server only through the ``HARVEST_*_URL`` variables, exactly as
a user would point it at a stand-in. The fake server (``tests/fakeapi``) counts requests per API.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from tests.fakeapi import FakeAPI, Fault, World

ROOT = Path(__file__).resolve().parents[1]
NEUROFM = ROOT / "tests" / "data" / "lists" / "mazabou__awesome-neurofm.md"
ARXIV_IDS = {"2310.16046", "2311.00136", "2407.21195", "2407.08751", "2108.01210", "2406.03044"}
OPENREVIEW_IDS = {"IuU0wcO0mo", "CBBtMnlTGq", "R9feGbYRG7", "FN02v4nD8y"}
BIORXIV_DOIS = {"10.1101/2025.02.02.634313", "10.1101/2023.03.21.533548",
                "10.1101/2025.05.12.653551"}
REPOS = {"joel99/context_general_bci", "joel99/ndt3", "mackelab/ldns",
         "snel-repo/neural-data-transformers"}


@pytest.fixture
def api():
    with FakeAPI(World.neurofm()) as server:
        yield server


class Harvest:
    """Runs ``python -m harvester`` in a scratch folder against the fake server."""

    def __init__(self, tmp_path: Path, api: FakeAPI, **extra_env: str) -> None:
        self.dir = tmp_path
        self.output = tmp_path / "out" / "catalog.json"
        self.output.parent.mkdir()
        self.cache = tmp_path / "cache"
        self.env = {
            **{k: v for k, v in os.environ.items()
               if k not in ("GITHUB_TOKEN", "S2_API_KEY", "OPENALEX_API_KEY", "HARVEST_CONTACT")},
            **api.env(),
            # the fake server enforces nothing unless asked: no need to wait between requests
            **{f"HARVEST_{s}_MIN_INTERVAL": "0" for s in (
                "ARXIV", "OPENREVIEW", "BIORXIV", "CROSSREF", "NEURIPS", "SEMANTICSCHOLAR",
                "OPENALEX", "GITHUB")},
            **{f"HARVEST_{s}_RETRY_BUDGET": "3" for s in ("GITHUB", "SEMANTICSCHOLAR")},
            **{f"HARVEST_{s}_MAX_WAIT": "2" for s in ("GITHUB", "SEMANTICSCHOLAR")},
            **extra_env,
        }

    def __call__(self, *args: str, list_path: Path = NEUROFM) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "harvester", "--list", str(list_path),
                   "--output", str(self.output), "--cache-dir", str(self.cache), *args]
        return subprocess.run(command, cwd=self.dir, env=self.env, capture_output=True,
                              text=True, timeout=120)

    def catalog(self) -> dict:
        return json.loads(self.output.read_text(encoding="utf-8"))

    def entry(self, name: str) -> dict:
        return next(e for e in self.catalog()["entries"] if e["name"] == name)


def papers_by_link(catalog: dict) -> dict[str, dict]:
    out = {}
    for entry in catalog["entries"]:
        for link in entry["links"]:
            if link["id"]:
                out[link["id"]] = entry
    return out


def test_cold_warm_refresh_offline(tmp_path, api):
    harvest = Harvest(tmp_path, api)
    first = harvest()
    assert first.returncode == 0, first.stderr
    assert first.stdout == ""  # stdout stays clean for machine use
    catalog = harvest.catalog()
    schema = json.loads(harvest.output.with_name("catalog.schema.json").read_text())
    jsonschema.validate(catalog, schema)

    by_link = papers_by_link(catalog)
    for paper_id in ARXIV_IDS | OPENREVIEW_IDS | BIORXIV_DOIS | {"10.1038/s41586-023-06031-6"}:
        paper = by_link[paper_id]["paper"]
        assert paper is not None and paper["title"] and paper["abstract"], paper_id
        assert paper["authors"], paper_id
    assert api.counts["arxiv"] == 1  # all six ids in one request
    assert api.counts["biorxiv"] == 3  # no batch endpoint: one per DOI
    text = harvest.output.read_bytes()

    api.reset_counts()
    second = harvest()
    assert second.returncode == 0, second.stderr
    assert sum(api.counts.values()) == 0
    assert harvest.output.read_bytes() == text  # byte-identical

    refreshed = harvest("--refresh")
    assert refreshed.returncode == 0, refreshed.stderr
    assert api.counts["arxiv"] == 1 and api.counts["biorxiv"] == 3
    assert harvest.output.read_bytes() == text

    api.reset_counts()
    offline = harvest("--offline")
    assert offline.returncode == 0, offline.stderr
    assert sum(api.counts.values()) == 0
    assert harvest.output.read_bytes() == text


def test_paper_records_merge_every_source(tmp_path, api):
    harvest = Harvest(tmp_path, api)
    assert harvest().returncode == 0
    poyo_plus = harvest.entry("POYO+")["paper"]
    assert poyo_plus["status"] == "accepted" and poyo_plus["ids"]["openreview"] == "IuU0wcO0mo"
    assert harvest.entry("Multi-X DDM")["paper"]["status"] == "under_review"
    wang = harvest.entry("Wang et al.")
    assert wang["paper"]["status"] == "published"
    assert wang["paper"]["ids"]["doi"] == "10.1038/s41586-025-08829-y"
    assert wang["paper"]["ids"]["biorxiv"] == "10.1101/2023.03.21.533548"
    assert wang["provenance"]["paper.status"] == "crossref"
    cebra = harvest.entry("CEBRA")["paper"]
    assert cebra["status"] == "published" and cebra["ids"]["doi"] == "10.1038/s41586-023-06031-6"


def test_repos_citations_and_title_match(tmp_path, api):
    harvest = Harvest(tmp_path, api)
    assert harvest().returncode == 0
    catalog = harvest.catalog()
    repos = {r["renamed_from"] or r["full_name"]: r for e in catalog["entries"]
             for r in e["repos"]}
    assert {name.lower() for name in repos} >= REPOS
    renamed = [r for r in repos.values() if r["renamed_from"]]
    assert renamed and renamed[0]["full_name"] != renamed[0]["renamed_from"]
    for repo in repos.values():
        assert isinstance(repo["stars"], int)
    for entry in catalog["entries"]:
        if entry["kind"] == "paper":
            assert entry["paper"] is not None, entry["name"]
            assert entry["paper"]["citation_count"] is not None, entry["name"]
    ndt2 = harvest.entry("NDT2")["paper"]
    assert ndt2["title"].startswith("Neural Data Transformer 2")
    assert harvest.entry("NDT2")["provenance"]["paper.title"] == "semanticscholar"


def test_outage_keeps_every_known_value(tmp_path, api):
    harvest = Harvest(tmp_path, api)
    assert harvest().returncode == 0
    before = harvest.catalog()

    api.set_fault("github", Fault(kind="status", status=503))
    api.set_fault("semanticscholar", Fault(kind="status", status=429))
    outage = harvest("--refresh")
    assert outage.returncode == 2, outage.stderr
    after = harvest.catalog()
    _assert_kept(before, after, expect_since=True)

    # a scheduled runner may start with an empty cache: values come from the previous catalogue
    shutil.rmtree(harvest.cache)
    again = harvest("--refresh")
    assert again.returncode == 2, again.stderr
    _assert_kept(before, harvest.catalog(), expect_since=False)


def _assert_kept(before: dict, after: dict, *, expect_since: bool) -> None:
    for old, new in zip(before["entries"], after["entries"], strict=True):
        assert [r["stars"] for r in old["repos"]] == [r["stars"] for r in new["repos"]]
        if old["paper"]:
            assert new["paper"]["citation_count"] == old["paper"]["citation_count"]
        stale_fields = {s["field"] for s in new["stale"]}
        for repo in old["repos"]:
            assert f"repos.{repo['full_name']}" in stale_fields
        if old["paper"] and old["paper"]["citation_count"] is not None:
            assert "paper.citation_count" in stale_fields
        if expect_since:
            assert all(s["since"] for s in new["stale"])
        # everything else is byte-identical
        strip = ("stale", "errors")
        assert {k: v for k, v in old.items() if k not in strip} == {
            k: v for k, v in new.items() if k not in strip
        }
    assert after["summary"]["stale_values"] > 0


def test_github_rest_refresh_costs_only_304s(tmp_path, api):
    harvest = Harvest(tmp_path, api)
    assert harvest().returncode == 0
    api.reset_counts()
    assert harvest("--refresh", "--only", "github").returncode == 0
    statuses = [r.status for r in api.requests if r.api == "github"]
    assert statuses and set(statuses) <= {304, 301}
    assert api.quota_used() == 0


def test_retry_after_costs_one_retry_and_about_that_long(tmp_path, api):
    harvest = Harvest(tmp_path, api)
    api.set_fault("arxiv", Fault(kind="retry_after", seconds=2, times=1))
    result = harvest("--only", "arxiv")
    assert result.returncode == 0, result.stderr
    assert api.counts["arxiv"] == 2
    run = json.loads(harvest.output.with_name("run.json").read_text())
    assert run["sources"]["arxiv"]["retries"] == 1
    assert run["sources"]["arxiv"]["waited_seconds"] == pytest.approx(2, abs=0.01)
