"""End-to-end helpers: ``harvest`` as a subprocess in a scratch folder, against the fake APIs.

The harvester reaches the fake server only through the ``HARVEST_*_URL`` variables, exactly as
a user would point it at a stand-in (see ``tests/fakeapi``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.fakeapi import FakeAPI

ROOT = Path(__file__).resolve().parents[1]
NEUROFM = ROOT / "tests" / "data" / "lists" / "mazabou__awesome-neurofm.md"
SOURCE_VARS = ("ARXIV", "OPENREVIEW", "BIORXIV", "CROSSREF", "NEURIPS", "PROCEEDINGS", "PUBMED",
               "SEMANTICSCHOLAR", "OPENALEX", "GITHUB")
SECRETS = ("GITHUB_TOKEN", "S2_API_KEY", "OPENALEX_API_KEY", "HARVEST_CONTACT")


class Harvest:
    """Runs ``python -m harvester`` in a scratch folder against the fake server
    (:meth:`popen` for runs that are killed or run side by side)."""

    def __init__(self, tmp_path: Path, api: FakeAPI, **extra_env: str) -> None:
        self.dir = tmp_path
        self.output = tmp_path / "out" / "catalog.json"
        self.output.parent.mkdir()
        self.cache = tmp_path / "cache"
        self.env = {
            **{k: v for k, v in os.environ.items() if k not in SECRETS},
            **api.env(),
            # the fake server enforces nothing unless asked: no need to wait between requests
            **{f"HARVEST_{s}_MIN_INTERVAL": "0" for s in SOURCE_VARS},
            **{f"HARVEST_{s}_RETRY_BUDGET": "3" for s in ("GITHUB", "SEMANTICSCHOLAR")},
            **{f"HARVEST_{s}_MAX_WAIT": "2" for s in ("GITHUB", "SEMANTICSCHOLAR")},
            **extra_env,
        }

    def command(self, *args: str, list_path: Path = NEUROFM) -> list[str]:
        return [sys.executable, "-m", "harvester", "--list", str(list_path),
                "--output", str(self.output), "--cache-dir", str(self.cache), *args]

    def __call__(self, *args: str, list_path: Path = NEUROFM) -> subprocess.CompletedProcess:
        return subprocess.run(self.command(*args, list_path=list_path), cwd=self.dir,
                              env=self.env, capture_output=True, text=True, timeout=120)

    def popen(self, *args: str, list_path: Path = NEUROFM) -> subprocess.Popen:
        """Start a run without waiting for it (``communicate()`` collects its output)."""
        return subprocess.Popen(self.command(*args, list_path=list_path), cwd=self.dir,
                                env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)

    def catalog(self) -> dict:
        return json.loads(self.output.read_text(encoding="utf-8"))

    def entry(self, name: str) -> dict:
        return next(e for e in self.catalog()["entries"] if e["name"] == name)
