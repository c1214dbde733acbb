"""End to end: ``harvest`` as a subprocess on the real neurofm list, against the fake APIs.

The harvester reaches the fake server only through the ``HARVEST_*_URL`` variables (see
``tests/harness.py``); the fake server (``tests/fakeapi``) counts requests per API.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import jsonschema
import pytest

from tests.fakeapi import FakeAPI, Fault, World
from tests.harness import Harvest

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
    assert api.counts["biorxiv"] == 0  # Crossref's batch endpoint holds all three preprints
    text = harvest.output.read_bytes()

    api.reset_counts()
    second = harvest()
    assert second.returncode == 0, second.stderr
    assert sum(api.counts.values()) == 0
    assert harvest.output.read_bytes() == text  # byte-identical

    refreshed = harvest("--refresh")
    assert refreshed.returncode == 0, refreshed.stderr
    assert api.counts["arxiv"] == 1 and api.counts["biorxiv"] == 0
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


def test_graphql_batches_repos_with_a_token_and_keeps_secrets_out(tmp_path, api):
    api.world.github_token = "ghp_fake_secret_token_123"
    api.world.s2_api_key = "s2-secret-key"
    harvest = Harvest(tmp_path, api, GITHUB_TOKEN="ghp_fake_secret_token_123",
                      S2_API_KEY="s2-secret-key")
    result = harvest()
    assert result.returncode == 0, result.stderr
    github = [r for r in api.requests if r.api == "github"]
    assert [(r.method, r.path) for r in github] == [("POST", "/graphql")] * len(github)
    assert len(github) == 2  # one query for the listed repos, one for the discovered one
    stars = {r["full_name"].lower(): r["stars"] for e in harvest.catalog()["entries"]
             for r in e["repos"]}
    assert stars["mackelab/ldns"] == api.world.repo("mackelab/LDNS").stars
    # secrets reach neither the output, nor the logs, nor the cache
    for path in [harvest.output, harvest.output.with_name("run.json"),
                 *harvest.cache.rglob("*")]:
        if path.is_file():
            data = path.read_bytes()
            assert b"ghp_fake_secret" not in data and b"s2-secret-key" not in data, path
    assert "secret" not in result.stderr


def test_code_links_in_paper_metadata_become_discovered_repos(tmp_path, api):
    harvest = Harvest(tmp_path, api)
    assert harvest().returncode == 0
    cebra = harvest.entry("CEBRA")
    assert [r["full_name"] for r in cebra["repos"]] == ["AdaptiveMotorControlLab/CEBRA"]
    assert cebra["provenance"]["repos.AdaptiveMotorControlLab/CEBRA"] == "github (discovered)"
    # never a duplicate of a listed repository
    for entry in harvest.catalog()["entries"]:
        names = [r["full_name"].lower() for r in entry["repos"]]
        assert len(names) == len(set(names))


def test_github_list_source_with_etag_and_snapshot_fallback(tmp_path, api):
    harvest = Harvest(tmp_path, api)
    spec = "github:mazabou/awesome-neurofm"
    command = ["--only", "github"]
    first = subprocess.run([sys.executable, "-m", "harvester", "--list", spec, "--output",
                            str(harvest.output), "--cache-dir", str(harvest.cache), *command],
                           cwd=tmp_path, env=harvest.env, capture_output=True, text=True,
                           timeout=120)
    assert first.returncode == 0, first.stderr
    assert harvest.catalog()["list"]["source"] == spec
    assert harvest.catalog()["summary"]["papers"] == 15
    api.reset_counts()
    again = subprocess.run([sys.executable, "-m", "harvester", "--list", spec, "--output",
                            str(harvest.output), "--cache-dir", str(harvest.cache), "--refresh",
                            *command], cwd=tmp_path, env=harvest.env, capture_output=True,
                           text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    contents = [r for r in api.requests if "/contents/" in r.path or r.path.endswith("/readme")]
    assert contents and {r.status for r in contents} == {304}

    # GitHub unreachable and no cached copy: the bundled snapshot, with a warning
    env = {**harvest.env, "HARVEST_GITHUB_URL": "http://127.0.0.1:9"}
    fallback = subprocess.run([sys.executable, "-m", "harvester", "--list", spec, "--output",
                               str(tmp_path / "out" / "c2.json"), "--cache-dir",
                               str(tmp_path / "cache2"), "--offline"], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=120)
    assert fallback.returncode == 0, fallback.stderr
    assert "snapshot" in fallback.stderr


def test_openalex_counts_citations_when_s2_cannot_and_a_key_is_set(tmp_path, api):
    api.world.openalex_api_key = "oa-key"
    harvest = Harvest(tmp_path, api, OPENALEX_API_KEY="oa-key")
    api.set_fault("semanticscholar", Fault(kind="status", status=404, match="batch"))
    result = harvest()
    cebra = harvest.entry("CEBRA")
    assert api.counts["openalex"] >= 1, result.stderr
    assert cebra["paper"]["citation_count"] is not None
    assert cebra["provenance"]["paper.citation_count"] == "openalex"
