"""The scheduled workflow's steps, dry-run: scripts/publish.sh in a scratch git repository
against the fake APIs, and actionlint on every workflow and on the README's example."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.fakeapi import FakeAPI, World

ROOT = Path(__file__).resolve().parents[1]
NEUROFM = ROOT / "tests" / "data" / "lists" / "mazabou__awesome-neurofm.md"
SOURCES = ("ARXIV", "OPENREVIEW", "BIORXIV", "CROSSREF", "NEURIPS", "SEMANTICSCHOLAR",
           "OPENALEX", "GITHUB")

needs_harvest = pytest.mark.skipif(shutil.which("harvest") is None,
                                   reason="the harvest command is not installed")


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True,
                          text=True).stdout


@pytest.fixture
def repo(tmp_path):
    folder = tmp_path / "list-repo"
    folder.mkdir()
    shutil.copy(NEUROFM, folder / "README.md")
    (folder / "harvest.toml").write_text('[list]\nsource = "README.md"\n', encoding="utf-8")
    (folder / ".gitignore").write_text("cache/\noutput/run.json\n", encoding="utf-8")
    git(folder, "init", "-q", "-b", "main")
    git(folder, "add", ".")
    git(folder, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "list")
    return folder


def publish(repo: Path, api: FakeAPI, **env: str) -> subprocess.CompletedProcess:
    variables = {
        **{k: v for k, v in os.environ.items()
           if k not in ("GITHUB_TOKEN", "S2_API_KEY", "OPENALEX_API_KEY", "GITHUB_STEP_SUMMARY")},
        **api.env(),
        **{f"HARVEST_{s}_MIN_INTERVAL": "0" for s in SOURCES},
        "PUBLISH_PUSH": "false",
        "GITHUB_STEP_SUMMARY": str(repo.parent / "summary.md"),
        **env,
    }
    return subprocess.run(["bash", str(ROOT / "scripts" / "publish.sh")], cwd=repo,
                          env=variables, capture_output=True, text=True, timeout=120)


def commits(repo: Path) -> list[str]:
    return git(repo, "log", "--format=%B%x00").split("\x00\n")[:-1]


@needs_harvest
def test_publish_commits_only_real_changes(repo):
    with FakeAPI(World.neurofm()) as api:
        first = publish(repo, api)
        assert first.returncode == 0, first.stderr
        assert len(commits(repo)) == 2
        files = git(repo, "show", "--name-only", "--format=", "HEAD").split()
        assert "output/catalog.json" in files
        assert "output/history.jsonl" in files  # the counts' history goes with the catalogue
        assert "run.json" not in " ".join(files)
        assert git(repo, "log", "-1", "--format=%an <%ae>|%cn <%ce>") == (
            "github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>|"
            "github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>\n")

        # nothing changed upstream: no commit, even with --refresh
        again = publish(repo, api, REFRESH="true")
        assert again.returncode == 0, again.stderr
        assert "nothing to publish" in again.stdout
        assert len(commits(repo)) == 2

        api.world.repo("mackelab/LDNS").stars += 25
        changed = publish(repo, api, REFRESH="true")
        assert changed.returncode == 0, changed.stderr
        log = commits(repo)
        assert len(log) == 3
        subject, _, body = log[0].partition("\n")
        assert "stars +25" in subject
        assert "output/history.jsonl" in git(repo, "show", "--name-only", "--format=", "HEAD")
        counts = json.loads(git(repo, "show", "HEAD:output/history.jsonl").splitlines()[-1])
        assert counts["stars"]["mackelab/LDNS"] == api.world.repo("mackelab/LDNS").stars
        assert "mackelab/LDNS" in body
        assert (repo.parent / "summary.md").read_text().count("mackelab/LDNS") >= 1


@needs_harvest
def test_failed_lookups_still_publish_with_a_warning(repo):
    from tests.fakeapi import Fault

    with FakeAPI(World.neurofm()) as api:
        assert publish(repo, api).returncode == 0
        api.world.repo("mackelab/LDNS").stars += 1
        api.set_fault("semanticscholar", Fault(kind="status", status=503))
        result = publish(repo, api, REFRESH="true",
                         HARVEST_SEMANTICSCHOLAR_RETRY_BUDGET="1",
                         HARVEST_SEMANTICSCHOLAR_MAX_WAIT="1")
        assert result.returncode == 0, result.stderr
        assert "::warning title=Some look-ups failed::" in result.stdout
        assert "paper.citation_count (unavailable)" in result.stdout
        assert len(commits(repo)) == 3


@needs_harvest
def test_a_harvest_that_writes_nothing_publishes_nothing(repo):
    (repo / "harvest.toml").write_text('[list]\nsource = "missing.md"\n', encoding="utf-8")
    with FakeAPI(World.neurofm()) as api:
        result = publish(repo, api)
    assert result.returncode == 1
    assert "::error title=harvest failed::" in result.stdout
    assert len(commits(repo)) == 1


actionlint = shutil.which("actionlint")


@pytest.mark.skipif(actionlint is None, reason="actionlint is not installed")
def test_workflows_pass_actionlint():
    workflows = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
    assert workflows
    result = subprocess.run([actionlint, *map(str, workflows)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(actionlint is None, reason="actionlint is not installed")
def test_readme_example_workflow_passes_actionlint(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", readme, re.S)
    examples = [b for b in blocks if "uses: " in b and "awesome-harvester@" in b]
    assert examples, "the README shows no example workflow using the action"
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    for index, text in enumerate(examples):
        (folder / f"example{index}.yml").write_text(text, encoding="utf-8")
    result = subprocess.run([actionlint, *map(str, sorted(folder.glob("*.yml")))],
                            capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
