#!/usr/bin/env python3
"""Measure the harvester against hostile servers and a lost network (figures for the README).

Each case runs ``python -m harvester`` as a child process, with the harvester's default settings
(deadline 60 s, retry budget 90 s, 8 MB per answer, 64 MB for the list), and reports its wall
time, exit code and peak resident memory (``ru_maxrss`` of the child, read with ``os.wait4``):

* ``bomb`` — every API of the fake server answers a gzip body of ~10 MB that inflates to
  ``--bomb-gib`` GiB (default 10); then the list itself is served as such a bomb.
* ``trickle`` — every API answers its normal body one byte every ``--trickle-pause`` seconds
  (default 0.5): never idle long enough for the 20 s idle timeout.
* ``offline`` — no network at all: the child runs in a new network namespace (``unshare -n``,
  only a loopback that is down) when that is possible, else as is (say which), with the default
  list (``github:mazabou/awesome-neurofm``) and the real API hosts, an empty cache.

    python scripts/hostile.py                 # all three
    python scripts/hostile.py --cases offline
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fakeapi import FakeAPI, Fault, World  # noqa: E402
from tests.fakeapi.hostile import ListServer  # noqa: E402

NEUROFM = ROOT / "tests" / "data" / "lists" / "mazabou__awesome-neurofm.md"
SECRETS = ("GITHUB_TOKEN", "S2_API_KEY", "OPENALEX_API_KEY")
APIS = ("arxiv", "openreview", "github", "semanticscholar", "crossref", "biorxiv", "neurips")


def run_child(cmd: list[str], env: dict[str, str], cwd: Path, timeout: float) -> dict[str, Any]:
    started = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    err: list[bytes] = []
    reader = threading.Thread(target=lambda: err.append(proc.stderr.read()))  # type: ignore
    reader.start()
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() - started > timeout:
            proc.kill()
        time.sleep(0.02)
    seconds = time.monotonic() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    reader.join(10)
    stderr = b"".join(err).decode("utf-8", "replace")
    return {"exit_code": proc.returncode, "seconds": round(seconds, 1),
            "peak_mb": round(usage.ru_maxrss / 1024), "traceback": "Traceback" in stderr,
            "unreachable_messages": [line for line in stderr.splitlines()
                                     if "could not connect" in line],
            "stderr_tail": stderr[-1500:]}


def base_env(extra: dict[str, str]) -> dict[str, str]:
    return {**{k: v for k, v in os.environ.items() if k not in SECRETS},
            "PYTHONPATH": str(ROOT), **extra}


def harvest_cmd(folder: Path, list_spec: str) -> list[str]:
    return [sys.executable, "-m", "harvester", "--list", list_spec, "--output",
            str(folder / "out" / "catalog.json"), "--cache-dir", str(folder / "cache")]


def scratch() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="hostile-"))
    (folder / "out").mkdir()
    return folder


def case_bomb(gib: float, timeout: float) -> dict[str, Any]:
    out: dict[str, Any] = {}
    with FakeAPI(World.neurofm()) as api:
        for name in APIS:
            api.set_fault(name, Fault("gzip_bomb", seconds=gib))
        folder = scratch()
        out["apis"] = run_child(harvest_cmd(folder, str(NEUROFM)), base_env(api.env()), folder,
                                timeout)
        out["apis"]["answers_sent"] = sum(api.counts.values())
        shutil.rmtree(folder)
    with ListServer(mode="gzip_bomb", gib=gib) as server:
        folder = scratch()
        out["list"] = run_child(harvest_cmd(folder, f"{server.url}/list.md"), base_env({}),
                                folder, timeout)
        out["list"]["compressed_bytes_sent"] = server.sent
        shutil.rmtree(folder)
    return out


def case_trickle(pause: float, timeout: float) -> dict[str, Any]:
    with FakeAPI(World.neurofm()) as api:
        for name in APIS:
            api.set_fault(name, Fault("trickle", seconds=pause))
        folder = scratch()
        result = run_child(harvest_cmd(folder, str(NEUROFM)), base_env(api.env()), folder,
                           timeout)
        shutil.rmtree(folder)
    return result


def case_offline(timeout: float) -> dict[str, Any]:
    folder = scratch()
    cmd = harvest_cmd(folder, "github:mazabou/awesome-neurofm")
    isolated = shutil.which("unshare") is not None and subprocess.run(
        ["unshare", "-n", "true"], capture_output=True).returncode == 0
    if isolated:
        cmd = ["unshare", "-n", *cmd]
    result = run_child(cmd, base_env({}), folder, timeout)
    shutil.rmtree(folder)
    result["network_namespace"] = isolated
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", default="bomb,trickle,offline")
    parser.add_argument("--bomb-gib", type=float, default=10.0)
    parser.add_argument("--trickle-pause", type=float, default=0.5)
    parser.add_argument("--timeout", type=float, default=900.0,
                        help="seconds after which a child is killed (and the case failed)")
    args = parser.parse_args(argv)
    cases = [c.strip() for c in args.cases.split(",") if c.strip()]
    results: dict[str, Any] = {"python": sys.version.split()[0], "cpus": os.cpu_count()}
    for case in cases:
        print(f"{time.strftime('%H:%M:%S')} {case} …", file=sys.stderr, flush=True)
        if case == "bomb":
            results["bomb"] = case_bomb(args.bomb_gib, args.timeout)
            results["bomb"]["gib"] = args.bomb_gib
        elif case == "trickle":
            results["trickle"] = case_trickle(args.trickle_pause, args.timeout)
            results["trickle"]["pause"] = args.trickle_pause
        elif case == "offline":
            results["offline"] = case_offline(args.timeout)
        else:
            parser.error(f"unknown case {case}")
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
