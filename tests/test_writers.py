from __future__ import annotations

import os
import time

from harvester.writers import write_atomic


def test_write_replaces_in_one_step_and_sweeps_old_leftovers(tmp_path):
    target = tmp_path / "catalog.json"
    target.write_text("old")
    stale = tmp_path / ".catalog.json.abc.tmp"
    fresh = tmp_path / ".catalog.json.def.tmp"
    stale.write_text("killed run")
    fresh.write_text("a concurrent run, still writing")
    two_hours_ago = time.time() - 7200
    os.utime(stale, (two_hours_ago, two_hours_ago))
    write_atomic(target, "new\n")
    assert target.read_text() == "new\n"
    assert not stale.exists() and fresh.exists()
