"""The composite action, run the way a runner runs it.

``action.yml`` is loaded with a YAML parser; its ``run:`` steps are executed in order with
``${{ inputs.* }}`` / ``${{ github.* }}`` substituted and each step's ``env:`` applied, under
``bash --noprofile --norc -eo pipefail`` (the runner's ``shell: bash``), in a scratch clone of a
bare "GitHub" repository, against the fake APIs, with a stub ``gh`` on PATH that records every
call and keeps the pull requests it was asked to open. The ``uses:`` steps (setup-python, the
cache) belong to GitHub and are skipped; so is the ``pip install`` step: the package under test
is already importable (a ``harvest`` shim runs ``python -m harvester``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.fakeapi import FakeAPI, World

ROOT = Path(__file__).resolve().parents[1]
NEUROFM = ROOT / "tests" / "data" / "lists" / "mazabou__awesome-neurofm.md"
SOURCES = ("ARXIV", "OPENREVIEW", "BIORXIV", "CROSSREF", "NEURIPS", "SEMANTICSCHOLAR",
           "OPENALEX", "GITHUB")
BOT = "github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>"
TOKEN = "ghs_fake_job_token_0123456789"

GH_STUB = r'''#!/usr/bin/env python3
"""A stand-in for the gh CLI: records each call, keeps pull requests in a JSON file."""
import json, os, sys
state_file = os.environ["GH_STUB_STATE"]
state = json.load(open(state_file)) if os.path.exists(state_file) else {"prs": [], "calls": []}
args = sys.argv[1:]
def opt(name):
    return args[args.index(name) + 1] if name in args else None
call = {"args": args, "token": bool(os.environ.get("GH_TOKEN"))}
if opt("--body-file"):
    call["body"] = open(opt("--body-file"), encoding="utf-8").read()
state["calls"].append(call)
out = ""
if args[:2] == ["pr", "list"]:
    found = [p for p in state["prs"] if p["head"] == opt("--head") and p["base"] == opt("--base")]
    if "--jq" in args:
        out = str(found[0]["number"]) if found else ""
    else:
        out = json.dumps([{"number": p["number"]} for p in found])
elif args[:2] == ["pr", "create"]:
    number = len(state["prs"]) + 1
    state["prs"].append({"number": number, "head": opt("--head"), "base": opt("--base"),
                         "title": opt("--title"), "body": call["body"]})
    out = f"https://github.com/owner/list/pull/{number}"
elif args[:2] == ["pr", "edit"]:
    pr = next(p for p in state["prs"] if p["number"] == int(args[2]))
    pr["title"], pr["body"] = opt("--title"), call["body"]
else:
    sys.exit(f"gh stub: unexpected call {args}")
json.dump(state, open(state_file, "w"))
print(out)
'''


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                          text=True).stdout


def load_action() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))


class Runner:
    """A scratch GitHub: a bare repository (the remote), a checkout of it (the workspace), a
    gh stub and a `harvest` shim on PATH, the fake APIs."""

    def __init__(self, tmp: Path, api: FakeAPI) -> None:
        self.tmp = tmp
        self.api = api
        self.remote = tmp / "remote.git"
        subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(self.remote)],
                       check=True)
        seed = tmp / "seed"
        seed.mkdir()
        shutil.copy(NEUROFM, seed / "README.md")
        (seed / ".gitignore").write_text("cache/\noutput/run.json\nsite/\n", encoding="utf-8")
        git(seed, "init", "-q", "-b", "main")
        git(seed, "add", ".")
        git(seed, "-c", "user.name=Maintainer", "-c", "user.email=m@example.org",
            "commit", "-qm", "the list")
        git(seed, "push", "-q", str(self.remote), "main")
        self.bin = tmp / "bin"
        self.bin.mkdir()
        self._script("gh", GH_STUB)
        self._script("harvest", f'#!/bin/sh\nexec "{sys.executable}" -m harvester "$@"\n')
        self.state = tmp / "gh-state.json"
        self.runs = 0

    def _script(self, name: str, text: str) -> None:
        path = self.bin / name
        path.write_text(text, encoding="utf-8")
        path.chmod(path.stat().st_mode | stat.S_IXUSR)

    def checkout(self, detached: bool = False) -> Path:
        """A fresh workspace, as actions/checkout leaves it (the cache dir carried over)."""
        self.runs += 1
        workspace = self.tmp / f"workspace{self.runs}"
        git(self.tmp, "clone", "-q", str(self.remote), str(workspace))
        if detached:
            git(workspace, "checkout", "-q", "--detach")
        if (self.tmp / "cache").is_dir():  # actions/cache restores it
            shutil.copytree(self.tmp / "cache", workspace / "cache")
        return workspace

    def run_action(self, workspace: Path, inputs: dict[str, str] | None = None,
                   **env: str) -> list[subprocess.CompletedProcess]:
        action = load_action()
        values = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
        values.update(inputs or {})
        github = {"token": TOKEN, "run_id": str(self.runs), "workspace": str(workspace)}

        def expand(text: str) -> str:
            def value(match: re.Match[str]) -> str:
                scope, _, name = match.group(1).partition(".")
                table = {"inputs": values, "github": github}[scope]
                return expand(table[name])
            return re.sub(r"\$\{\{\s*([a-z]+\.[a-z_-]+)\s*\}\}", value, text)

        base_env = {
            **{k: v for k, v in os.environ.items()
               if k not in ("GITHUB_TOKEN", "GH_TOKEN", "S2_API_KEY", "OPENALEX_API_KEY",
                            "HARVEST_CONTACT")},
            **self.api.env(),
            **{f"HARVEST_{s}_MIN_INTERVAL": "0" for s in SOURCES},
            "PATH": f"{self.bin}{os.pathsep}{os.environ['PATH']}",
            "GH_STUB_STATE": str(self.state),
            "GITHUB_ACTION_PATH": str(ROOT),
            "GITHUB_WORKSPACE": str(workspace),
            "GITHUB_STEP_SUMMARY": str(self.tmp / f"summary{self.runs}.md"),
            "GITHUB_REF_TYPE": "branch",
            "GITHUB_REF_NAME": "main",
            **env,
        }
        results = []
        for step in action["runs"]["steps"]:
            if "uses" in step or step.get("id") == "install":
                continue
            condition = step.get("if")
            if condition is not None:
                m = re.fullmatch(r"inputs\.([a-z-]+) == '([^']*)'", condition.strip())
                assert m, f"the test cannot evaluate if: {condition}"
                if values[m.group(1)] != m.group(2):
                    continue
            assert step["shell"] == "bash"
            script = self.tmp / "step.sh"
            script.write_text(expand(step["run"]), encoding="utf-8")
            step_env = {**base_env, **{k: expand(str(v)) for k, v in step.get("env", {}).items()}}
            result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail",
                                     str(script)], cwd=workspace, env=step_env,
                                    capture_output=True, text=True, timeout=150)
            results.append(result)
            if result.returncode != 0:
                break
        if (workspace / "cache").is_dir():  # actions/cache saves it
            shutil.rmtree(self.tmp / "cache", ignore_errors=True)
            shutil.copytree(workspace / "cache", self.tmp / "cache")
        return results

    def gh(self) -> dict[str, Any]:
        if not self.state.exists():
            return {"prs": [], "calls": []}
        return json.loads(self.state.read_text(encoding="utf-8"))

    def remote_log(self, ref: str) -> list[str]:
        try:
            out = git(self.remote, "log", "--format=%H %an <%ae>%x09%s", ref)
        except subprocess.CalledProcessError:
            return []
        return out.splitlines()


def ok(results: list[subprocess.CompletedProcess]) -> str:
    for result in results:
        assert result.returncode == 0, result.stdout + result.stderr
    return "".join(r.stdout for r in results)


# --------------------------------------------------------------------------- the file itself


def test_action_yml_loads_and_declares_the_contract() -> None:
    action = load_action()
    inputs = action["inputs"]
    assert set(inputs) == {"list", "output", "refresh", "mode", "token", "site",
                           "python-version"}
    assert inputs["list"]["default"] == "README.md"
    assert "neurofm" not in json.dumps(inputs)
    assert inputs["output"]["default"] == "output/catalog.json"
    assert inputs["mode"]["default"] == "pull-request"
    assert inputs["token"]["default"] == "${{ github.token }}"
    assert inputs["site"]["default"] == "false"
    for spec in inputs.values():
        assert isinstance(spec["description"], str) and spec["description"]
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    assert [s["uses"].split("@")[0] for s in steps if "uses" in s] == [
        "actions/setup-python", "actions/cache"]
    for step in steps:
        if "run" in step:
            assert step["shell"] == "bash"
    install = next(s for s in steps if s.get("id") == "install")
    assert 'pip install' in install["run"] and '"$GITHUB_ACTION_PATH"' in install["run"]
    publish = next(s for s in steps if "publish.sh" in s.get("run", ""))
    assert publish["env"]["GITHUB_TOKEN"] == "${{ inputs.token }}"
    assert publish["env"]["GH_TOKEN"] == "${{ inputs.token }}"
    assert publish["env"]["PUBLISH_MODE"] == "${{ inputs.mode }}"
    # no third-party action opens the pull request
    assert all(s["uses"].startswith("actions/") for s in steps if "uses" in s)


actionlint = shutil.which("actionlint")


@pytest.mark.skipif(actionlint is None, reason="actionlint is not installed (test extra)")
def test_a_workflow_using_the_action_locally_passes_actionlint(tmp_path: Path) -> None:
    shutil.copy(ROOT / "action.yml", tmp_path / "action.yml")
    git(tmp_path, "init", "-q")  # actionlint finds local actions from the repository root
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    (folder / "local.yml").write_text(
        "name: local\non: workflow_dispatch\npermissions:\n  contents: write\n"
        "  pull-requests: write\njobs:\n  harvest:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v5\n      - uses: ./\n        with:\n"
        "          mode: push\n          refresh: \"true\"\n          site: \"true\"\n",
        encoding="utf-8")
    result = subprocess.run([actionlint, str(folder / "local.yml")], capture_output=True,
                            text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    # and actionlint does read the action's inputs: an unknown one is an error
    (folder / "local.yml").write_text(
        (folder / "local.yml").read_text().replace("mode: push", "moed: push"))
    bad = subprocess.run([actionlint, str(folder / "local.yml")], capture_output=True,
                         text=True, cwd=tmp_path)
    assert bad.returncode != 0 and "moed" in bad.stdout


# --------------------------------------------------------------------------- pull-request mode


@pytest.mark.timeout(500)
def test_pull_request_mode_opens_one_pr_then_touches_nothing_then_updates_it(
        tmp_path: Path) -> None:
    with FakeAPI(World.neurofm()) as api:
        runner = Runner(tmp_path, api)
        out = ok(runner.run_action(runner.checkout()))
        assert "opened a pull request" in out
        state = runner.gh()
        assert len(state["prs"]) == 1
        pr = state["prs"][0]
        assert (pr["head"], pr["base"]) == ("harvest/catalog", "main")
        assert pr["title"].startswith("catalogue: ")
        assert "Change report" in pr["body"] or "entries" in pr["body"]
        assert all(call["token"] for call in state["calls"])  # gh got the token
        # main is untouched; the branch holds the bot's catalogue commit on top of main
        main_log = runner.remote_log("main")
        assert len(main_log) == 1
        branch_log = runner.remote_log("harvest/catalog")
        assert branch_log[-1] == main_log[0]
        catalogue_commit = next(line for line in branch_log if "\tcatalogue: " in line)
        assert BOT in catalogue_commit
        # the list's out-of-date text is a separate commit on top, touching only README.md
        # and only the phrases the change report flags
        assert len(branch_log) == 3
        assert "\tlist: bring venues and repository names up to date" in branch_log[0]
        assert BOT in branch_log[0]
        suggestion = branch_log[0].split()[0]
        assert git(runner.remote, "show", "--name-only", "--format=", suggestion).split() == [
            "README.md"]
        readme = NEUROFM.read_bytes()
        edited = readme.replace(b"Visual Cortex. Preprint, 2023", b"Visual Cortex. Nature 2025")
        edited = edited.replace(b"github.com/snel-repo/neural-data-transformers",
                                b"github.com/snel-repo/ndt1-legacy")
        assert edited != readme
        shown = subprocess.run(["git", "show", f"{suggestion}:README.md"], cwd=runner.remote,
                               check=True, capture_output=True).stdout
        assert shown == edited
        assert "drop it" in pr["body"]
        assert "output/catalog.json" in git(runner.remote, "show", "--name-only", "--format=",
                                            branch_log[1].split()[0])
        catalogue_files = git(runner.remote, "show", "--name-only", "--format=",
                              branch_log[1].split()[0]).split()
        assert "output/history.jsonl" in catalogue_files  # committed with the catalogue
        tree = git(runner.remote, "ls-tree", "-r", "--name-only", "harvest/catalog")
        assert "output/catalog.json" in tree and "output/run.json" not in tree
        first_head = branch_log[0].split()[0]
        calls = len(state["calls"])

        # nothing changed upstream: no push, no gh call at all
        out = ok(runner.run_action(runner.checkout(), {"refresh": "true"}))
        assert "nothing to publish" in out
        assert runner.remote_log("harvest/catalog")[0].split()[0] == first_head
        assert len(runner.gh()["calls"]) == calls

        # a change upstream: the same pull request is updated, the branch force-updated
        api.world.repo("mackelab/LDNS").stars += 25
        out = ok(runner.run_action(runner.checkout(), {"refresh": "true"}))
        assert "updated pull request #1" in out
        state = runner.gh()
        assert len(state["prs"]) == 1
        # the title and body compare with main; the body also says what is new since the
        # pull request was last updated
        assert state["prs"][0]["title"].startswith("catalogue: first catalogue")
        assert "Since this pull request was last updated: stars +25" in state["prs"][0]["body"]
        new_log = runner.remote_log("harvest/catalog")
        assert new_log[0].split()[0] != first_head
        assert new_log[-1] == main_log[0]  # still one branch off main, not a pile of commits
        assert len(new_log) == len(branch_log)
        history = git(runner.remote, "show", "harvest/catalog:output/history.jsonl")
        assert json.loads(history.splitlines()[-1])["stars"]["mackelab/LDNS"] == (
            api.world.repo("mackelab/LDNS").stars)


# --------------------------------------------------------------------------- push mode


@pytest.mark.timeout(300)
def test_push_mode_survives_a_concurrent_push_on_a_detached_head(tmp_path: Path) -> None:
    with FakeAPI(World.neurofm()) as api:
        runner = Runner(tmp_path, api)
        workspace = runner.checkout(detached=True)
        # While the harvest runs, someone else pushes to main: the shim lands that push
        # right after the harvest itself finishes, before the action commits.
        other = tmp_path / "other"
        git(tmp_path, "clone", "-q", str(runner.remote), str(other))
        real = runner.bin / "harvest"
        real.rename(runner.bin / "harvest-real")
        runner._script("harvest", f'''#!/bin/sh
"{runner.bin / 'harvest-real'}" "$@"
code=$?
if [ "$1" = "--output" ] && [ ! -e "{tmp_path / 'pushed'}" ]; then
  touch "{tmp_path / 'pushed'}"
  cd "{other}" && echo "- a new line" >>README.md && git -c user.name=Maintainer \\
    -c user.email=m@example.org commit -qam "a maintainer's edit" && git push -q origin main
fi
exit $code
''')
        out = ok(runner.run_action(workspace, {"mode": "push"}))
        assert (tmp_path / "pushed").exists()
        assert "rejected" in out and "pushed to main" in out
        log = runner.remote_log("main")
        assert len(log) == 3
        assert "\tcatalogue: " in log[0] and BOT in log[0]
        assert "a maintainer's edit" in log[1]
        files = git(runner.remote, "show", "--name-only", "--format=", "main")
        assert "output/catalog.json" in files
        assert "- a new line" in git(runner.remote, "show", "main:README.md")
        assert runner.gh()["calls"] == []  # push mode opens no pull request


@pytest.mark.timeout(300)
def test_site_builds_the_page_or_fails_saying_why(tmp_path: Path) -> None:
    with FakeAPI(World.neurofm()) as api:
        runner = Runner(tmp_path, api)
        workspace = runner.checkout()
        results = runner.run_action(workspace, {"mode": "push", "site": "true"})
    assert results[0].returncode == 0, results[0].stdout + results[0].stderr
    assert len(results) == 2  # the site step ran
    has_site = subprocess.run([sys.executable, "-m", "harvester", "site", "--help"],
                              capture_output=True).returncode == 0
    if has_site:
        assert results[1].returncode == 0, results[1].stdout + results[1].stderr
        assert (workspace / "site" / "index.html").is_file()
    else:
        assert results[1].returncode == 1
        assert "::error title=site::" in results[1].stdout
        assert "no 'harvest site' command" in results[1].stdout


def test_a_pull_request_that_cannot_be_opened_fails_the_job_saying_why(tmp_path: Path) -> None:
    with FakeAPI(World.neurofm()) as api:
        runner = Runner(tmp_path, api)
        runner._script("gh", "#!/bin/sh\n[ \"$2\" = list ] && exit 0\n"
                             "echo 'GraphQL: not permitted' >&2\nexit 1\n")
        results = runner.run_action(runner.checkout())
    assert results[-1].returncode == 1
    assert "::error title=pull request not opened::" in results[-1].stdout
    assert "allow GitHub Actions to create pull requests" in results[-1].stdout
    assert runner.remote_log("harvest/catalog")  # the branch was pushed, nothing lost
