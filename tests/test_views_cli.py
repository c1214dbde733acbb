"""End to end: annotations and history through `harvest`, then `harvest site` and `plot`."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.fakeapi import FakeAPI
from tests.fakeapi.world import World
from tests.harness import NEUROFM, ROOT, Harvest

EXAMPLE = ROOT / "examples" / "neurofm" / "annotations.toml"


def offline(tmp_path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "harvester", "--offline", "--list",
                           str(NEUROFM), "--output", str(tmp_path / "catalog.json"), *args],
                          cwd=tmp_path, capture_output=True, text=True, timeout=100)


def annotations(tmp_path) -> dict:
    catalog = json.loads((tmp_path / "catalog.json").read_text())
    return {e["key"]: e["annotations"] for e in catalog["entries"] if e["annotations"]}


def test_annotations_beside_harvest_toml_with_line_warnings(tmp_path):
    (tmp_path / "annotations.toml").write_text(
        '[poyo]\nrecording_hours = 100\nspecies = ["monkey"]\n\n[no-such-entry]\nx = 1\n'
        "[ndt3]\nbad = { a = 1 }\nrecording_hours = 2000\n")
    run = offline(tmp_path)
    assert run.returncode == 0, run.stderr
    assert annotations(tmp_path) == {"poyo": {"recording_hours": 100, "species": ["monkey"]},
                                     "ndt3": {"recording_hours": 2000}}
    assert "annotations.toml:5: [no-such-entry] names no entry" in run.stderr
    assert "annotations.toml:8: ndt3.bad is a table" in run.stderr
    # the catalogue with annotations is valid for the published schema
    check = subprocess.run([sys.executable, "-m", "harvester", "validate", "catalog.json"],
                           cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert check.returncode == 0, check.stderr


def test_option_and_config_choose_the_file(tmp_path):
    (tmp_path / "curated.toml").write_text("[poyo]\nfrom_config = true\n")
    (tmp_path / "harvest.toml").write_text('[annotations]\nfile = "curated.toml"\n')
    assert offline(tmp_path).returncode == 0
    assert annotations(tmp_path) == {"poyo": {"from_config": True}}
    run = offline(tmp_path, "--annotations", str(EXAMPLE))
    assert run.returncode == 0, run.stderr
    assert "warning" not in run.stderr  # every table of the example names an entry
    assert annotations(tmp_path)["ndt3"]["recording_hours"] == 2000
    missing = offline(tmp_path, "--annotations", "missing.toml")
    assert missing.returncode == 1 and "no such annotations file" in missing.stderr
    (tmp_path / "broken.toml").write_text("[poyo\n")
    broken = offline(tmp_path, "--annotations", "broken.toml")
    assert broken.returncode == 1 and "broken.toml" in broken.stderr


def test_harvest_records_history_and_apis_never_touch_annotations(tmp_path):
    with FakeAPI(World.neurofm()) as api:
        harvest = Harvest(tmp_path, api, GITHUB_TOKEN="fake-token")
        first = harvest("--annotations", str(EXAMPLE))
        assert first.returncode == 0, first.stderr
        second = harvest("--annotations", str(EXAMPLE), "--refresh")
        assert second.returncode == 0, second.stderr
    catalog = harvest.catalog()
    history = (harvest.output.parent / "history.jsonl").read_text().splitlines()
    assert len(history) == 1  # the same day, the same counts: one line
    line = json.loads(history[0])
    assert set(line) == {"date", "stars", "citations"}
    poyo = next(e for e in catalog["entries"] if e["key"] == "poyo")
    assert line["citations"]["poyo"] == poyo["paper"]["citation_count"]
    assert line["stars"]["AdaptiveMotorControlLab/CEBRA"] > 0
    assert poyo["annotations"]["recording_hours"] == 100
    assert not any(k.startswith("annotations") for k in poyo["provenance"])

    out = tmp_path / "site"
    for command in (["plot", "--output", str(out / "figures")], ["site", "--output", str(out)]):
        run = subprocess.run([sys.executable, "-m", "harvester", *command, "--catalog",
                              str(harvest.output)], capture_output=True, text=True, timeout=100)
        assert run.returncode == 0, run.stderr
    page = (out / "index.html").read_text()
    assert page.count("data-key=") == len(catalog["entries"])
    assert 'src="figures/recording_hours.svg"' in page
    assert 'src="figures/papers-per-year.svg"' in page
