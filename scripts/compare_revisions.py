#!/usr/bin/env python3
"""Prove a refactoring changed no behaviour: the fake world's catalogue, byte for byte, on two
revisions.

For each revision (a git commit, extracted with ``git archive`` into a temporary folder, or the
working tree itself) a worker process runs with that revision first on ``PYTHONPATH`` and
harvests a fake world (``tests/fakeapi``) in-process, under a fixed clock:

* ``cold`` (empty cache), ``warm`` (same cache, within TTL), ``refresh`` (``--refresh``);
* every fault of the fault suite (``tests/test_faults.CASES``) for every source, each a
  ``--refresh`` from the cold run's cache and catalogue;
* the fault suite's "previous catalogue only" cases (503 and an empty answer per source, with
  an empty cache).

Retry waits are recorded, not slept (as in the fault suite); paces are zero. The clock is fixed
per run, so ``fetched_at``/``since`` stamps agree between revisions. The catalogues
(``catalog.json`` bytes) of the two revisions are then compared case by case; the exit status is
1 when any differs.

    python scripts/compare_revisions.py --base 974294e            # base vs the working tree
    python scripts/compare_revisions.py --base 974294e --head HEAD --entries 200
    python scripts/compare_revisions.py --base 974294e --keep compare-results  # reuse outputs

With ``--keep DIR`` each revision's outputs are kept in ``DIR/<revision>/`` and a commit's
outputs, once recorded, are reused (the working tree is always run again).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tarfile
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
T0 = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
OPENALEX_KEY = "fake-openalex-key-for-tests"


# ------------------------------------------------------------------------------ the worker


def _fix_clock(moment: datetime) -> None:
    """Every ``utcnow`` the harvester's modules imported returns ``moment``."""
    for name, module in list(sys.modules.items()):
        if (name == "harvester" or name.startswith("harvester.")) and hasattr(module, "utcnow"):
            module.utcnow = lambda: moment  # type: ignore[attr-defined]


def _world(kind: str, entries: int):  # -> World
    from tests.fakeapi import World

    if kind == "neurofm":
        from tests.test_faults import fault_world

        return fault_world()
    world = World.generate(entries, seed=0)
    world.openalex_api_key = OPENALEX_KEY
    # two papers Semantic Scholar does not know, so that OpenAlex is asked (as in the fault
    # suite): one with a journal DOI, one with only an arXiv id
    with_doi = next(p for p in world.papers if p.doi and not p.arxiv)
    with_arxiv = next(p for p in world.papers if p.arxiv)
    for paper in (with_doi, with_arxiv):
        paper.s2_known = False
    world.reindex()
    return world


def _fix_port(port: int) -> None:
    """The fake server listens on ``port`` (its URLs end up in the catalogue)."""
    from tests.fakeapi import server

    base = server._Server

    class FixedPort(base):  # type: ignore[misc, valid-type]
        def __init__(self, address: tuple[str, int], *args: object) -> None:
            super().__init__((address[0], port), *args)

    server._Server = FixedPort  # type: ignore[misc]


def worker(out: Path, kind: str, entries: int, only: list[str] | None, port: int) -> None:
    import harvester.cache  # noqa: F401  (imported so the clock can be fixed)
    import harvester.pipeline as pipeline
    from harvester.config import load_settings
    from harvester.writers import catalog_json, write_atomic
    from tests.fakeapi import FakeAPI
    from tests.test_faults import CASES, NO_CACHE, SOURCES, TUNING, fault_list

    _fix_port(port)
    world = _world(kind, entries)
    out.mkdir(parents=True, exist_ok=True)
    # the list's path is in the catalogue: both revisions read it from the same place
    work = Path(tempfile.gettempdir()) / f"harvester-compare-{port}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    manifest: dict[str, dict[str, object]] = {}
    try:
        with FakeAPI(world) as api:
            config = work / "harvest.toml"
            config.write_text("", encoding="utf-8")
            settings = load_settings(
                config, environ={**api.env(), **TUNING, "OPENALEX_API_KEY": OPENALEX_KEY}
            )
            list_path = work / "list.md"
            text = fault_list(world) if kind == "neurofm" else world.to_markdown()
            list_path.write_text(text, encoding="utf-8")

            def run(case: str, cache: Path, output: Path, *, refresh: bool, at: datetime) -> None:
                if only and case not in only and case not in ("cold",):
                    return
                _fix_clock(at)
                options = pipeline.RunOptions(list_spec=str(list_path), output=output,
                                              cache_dir=cache, refresh=refresh)
                started = time.monotonic()
                report = pipeline.harvest(settings, options, sleep=lambda _s: None)
                write_atomic(output, catalog_json(report.catalog))
                data = output.read_bytes()
                (out / f"{case}.json").write_bytes(data)
                manifest[case] = {
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "exit": report.exit_code,
                    "seconds": round(time.monotonic() - started, 2),
                }
                print(f"  {case}: exit {report.exit_code}, {manifest[case]['seconds']} s",
                      file=sys.stderr, flush=True)

            base_out, base_cache = work / "cold" / "catalog.json", work / "cold" / "cache"
            base_out.parent.mkdir()
            run("cold", base_cache, base_out, refresh=False, at=T0)
            cold_bytes = base_out.read_bytes()
            snapshot = work / "cold-cache"
            shutil.copytree(base_cache, snapshot)
            run("warm", base_cache, base_out, refresh=False, at=T0 + timedelta(hours=1))
            run("refresh", base_cache, base_out, refresh=True, at=T0 + timedelta(hours=2))

        # each fault on a fresh server (same port), so that its GitHub quota clock starts with
        # the case and a "resets in N s" does not depend on how long the earlier cases took
        later = T0 + timedelta(hours=3)
        cases = [(f"fault-{source}-{fault}", source, fault, True)
                 for source in SOURCES for fault in CASES]
        cases += [(f"nocache-{p.values[0]}-{p.values[1]}", p.values[0], p.values[1], False)
                  for p in NO_CACHE]
        for name, source, fault, cached in cases:
            if only and name not in only:
                continue
            folder = work / name
            (folder / "out").mkdir(parents=True)
            if cached:
                shutil.copytree(snapshot, folder / "cache")
            (folder / "out" / "catalog.json").write_bytes(cold_bytes)
            with FakeAPI(world) as api:
                api.set_fault(source, CASES[fault].fault(source))
                run(name, folder / "cache", folder / "out" / "catalog.json", refresh=True,
                    at=later)
            shutil.rmtree(folder)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    manifest["_port"] = {"port": port}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n",
                                       encoding="utf-8")


# ------------------------------------------------------------------------------ the driver


def _extract(revision: str, into: Path) -> str:
    commit = subprocess.run(["git", "rev-parse", "--verify", f"{revision}^{{commit}}"],
                            cwd=ROOT, check=True, capture_output=True, text=True).stdout.strip()
    archive = into.with_suffix(".tar")
    with archive.open("wb") as handle:
        subprocess.run(["git", "archive", "--format=tar", commit], cwd=ROOT, check=True,
                       stdout=handle)
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    archive.unlink()
    return commit


def _run_worker(root: Path, out: Path, args: argparse.Namespace) -> None:
    env = {**os.environ, "PYTHONPATH": str(root)}
    for secret in ("GITHUB_TOKEN", "S2_API_KEY", "OPENALEX_API_KEY", "HARVEST_CONTACT"):
        env.pop(secret, None)
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", str(out),
               "--world", args.world, "--entries", str(args.entries), "--port", str(args.port)]
    if args.only:
        command += ["--only", ",".join(args.only)]
    subprocess.run(command, cwd=root, env=env, check=True)


def _outputs(revision: str, args: argparse.Namespace, scratch: Path,
             side: str) -> tuple[str, Path, Path]:
    """Run (or reuse) one revision's outputs; return its label, outputs and source folder."""
    keep = Path(args.keep) if args.keep else scratch / "outputs"
    if revision == "WORKTREE":
        out = (scratch / "partial" if args.only else keep) / f"worktree-{args.world}-{args.entries}"
        shutil.rmtree(out, ignore_errors=True)
        print(f"running the working tree ({ROOT})", file=sys.stderr)
        _run_worker(ROOT, out, args)
        return "working tree", out, ROOT
    source = scratch / f"src-{side}"
    commit = _extract(revision, source)
    out = keep / f"{commit[:12]}-{args.world}-{args.entries}"
    if args.only or args.fresh:  # a partial or fresh run is never kept as the revision's record
        out = scratch / "partial" / f"{commit[:12]}-{side}"
    manifest = out / "manifest.json"
    if manifest.exists():
        # the fake server's URLs are in the catalogue: run the other side on the same port
        args.port = json.loads(manifest.read_text(encoding="utf-8"))["_port"]["port"]
        print(f"reusing the recorded outputs of {commit[:12]} in {out}", file=sys.stderr)
    else:
        shutil.rmtree(out, ignore_errors=True)
        print(f"running {commit[:12]}", file=sys.stderr)
        _run_worker(source, out, args)
    return commit[:12], out, source


def compare(a: Path, b: Path) -> tuple[list[str], list[str]]:
    ma = json.loads((a / "manifest.json").read_text(encoding="utf-8"))
    mb = json.loads((b / "manifest.json").read_text(encoding="utf-8"))
    same, differ = [], []
    for case in sorted((set(ma) | set(mb)) - {"_port"}):
        if case not in ma or case not in mb:
            differ.append(f"{case}: only in {'base' if case in ma else 'head'}")
        elif (a / f"{case}.json").read_bytes() != (b / f"{case}.json").read_bytes():
            differ.append(f"{case}: catalog.json differs (exit {ma[case]['exit']} vs "
                          f"{mb[case]['exit']})")
        elif ma[case]["exit"] != mb[case]["exit"]:
            differ.append(f"{case}: same catalogue, exit {ma[case]['exit']} vs "
                          f"{mb[case]['exit']}")
        else:
            same.append(case)
    return same, differ


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="974294e", help="git revision to compare against")
    parser.add_argument("--head", default="WORKTREE",
                        help="git revision, or WORKTREE (default) for the working tree")
    parser.add_argument("--world", choices=("generated", "neurofm"), default="generated")
    parser.add_argument("--entries", type=int, default=200,
                        help="entries of the generated world")
    parser.add_argument("--only", type=lambda s: s.split(","), default=None,
                        help="comma-separated case names (cold always runs)")
    parser.add_argument("--reruns", type=int, default=2,
                        help="re-runs of a differing case on both sides (timing-dependent cases)")
    parser.add_argument("--fresh", action="store_true",
                        help="run both sides again (to compare a revision with itself)")
    parser.add_argument("--keep", default=None, help="folder that keeps each revision's outputs")
    parser.add_argument("--port", type=int, default=0,
                        help="port of the fake server (default: a free one, the same for both)")
    parser.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(Path(args.worker), args.world, args.entries, args.only, args.port)
        return 0
    if not args.port:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            args.port = probe.getsockname()[1]
    with tempfile.TemporaryDirectory(prefix="compare-revisions-") as tmp:
        scratch = Path(tmp)
        base_label, base_out, base_root = _outputs(args.base, args, scratch, "base")
        head_label, head_out, head_root = _outputs(args.head, args, scratch, "head")
        same, differ = compare(base_out, head_out)
        # a case whose outcome depends on wall-clock timing (a retry budget that runs out
        # mid-batch) may differ between two runs of one revision: run it again on both sides
        settled = []
        for line in list(differ):
            case = line.split(":", 1)[0]
            if case == "cold" or "only in" in line:
                continue
            for attempt in range(1, args.reruns + 1):
                again = argparse.Namespace(**{**vars(args), "only": [case]})
                runs = []
                for root, side in ((base_root, "base"), (head_root, "head")):
                    out = scratch / f"rerun-{case}-{attempt}-{side}"
                    _run_worker(root, out, again)
                    runs.append((out / f"{case}.json").read_bytes())
                if runs[0] == runs[1]:
                    differ.remove(line)
                    settled.append(f"{case}: identical on re-run {attempt}")
                    break
    total = len(same) + len(settled) + len(differ)
    print(f"{args.world} world, {args.entries} entries: {base_label} vs {head_label}")
    print(f"{len(same)} of {total} cases byte-identical at the first run")
    for line in settled:
        print("  RE-RUN  " + line)
    for line in differ:
        print("  DIFFERS " + line)
    print(f"{len(same) + len(settled)} of {total} byte-identical; {len(differ)} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
