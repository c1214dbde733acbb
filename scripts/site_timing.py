#!/usr/bin/env python3
"""How fast the catalogue site opens: DOMContentLoaded of ``harvest site`` in headless chromium.

Without ``--catalog`` it first harvests a generated list of ``--entries`` entries (default 2,000)
against the fake APIs (``tests/fakeapi``, no latency, no limits: only the catalogue matters
here), so the page holds realistic entries: titles, authors, abstracts, repositories. It then
builds the site and loads ``index.html`` from ``file://`` ``--runs`` times, each in a fresh
browser profile, reading the Navigation Timing entry: ``domContentLoadedEventEnd`` (the
script has run: ``site.js`` is deferred, so it runs before DOMContentLoaded) and
``loadEventEnd``, in milliseconds since navigation start.

    python scripts/site_timing.py --entries 2000 --runs 5
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHROME_ARGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--window-size=1280,1000")


def harvest_generated(entries: int, folder: Path) -> Path:
    from tests.fakeapi import FakeAPI
    from tests.fakeapi.world import World
    from tests.harness import Harvest

    world = World.generate(entries, seed=0)
    markdown = folder / "list.md"
    markdown.write_text(world.to_markdown(title=f"Generated list of {entries}"),
                        encoding="utf-8")
    with FakeAPI(world) as api:
        run = Harvest(folder, api, GITHUB_TOKEN="fake-token")(list_path=markdown)
    if run.returncode not in (0, 2):
        raise SystemExit(f"harvest failed ({run.returncode}): {run.stderr[-2000:]}")
    return folder / "out" / "catalog.json"


def load_once(index: Path, profile: Path) -> dict[str, float]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in CHROME_ARGS:
        options.add_argument(arg)
    options.add_argument(f"--user-data-dir={profile}")
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        driver.get(index.as_uri())
        timing = driver.execute_script(
            "const n = performance.getEntriesByType('navigation')[0];"
            "return {dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd,"
            " entries: document.querySelectorAll('[data-key]').length,"
            " count: document.getElementById('count').textContent};")
    finally:
        driver.quit()
    return timing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalog", type=Path, help="an existing catalogue to show")
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="site-timing-") as tmp:
        folder = Path(tmp)
        catalog = args.catalog or harvest_generated(args.entries, folder)
        site = folder / "site"
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        subprocess.run([sys.executable, "-m", "harvester", "site", "--catalog", str(catalog),
                        "--output", str(site)], check=True, env=env)
        size = (site / "index.html").stat().st_size
        results = [load_once(site / "index.html", folder / f"profile-{i}")
                   for i in range(args.runs)]
    n = json.loads(Path(catalog).read_text(encoding="utf-8")) if args.catalog else None
    entries = results[0]["entries"]
    dcl = [r["dcl"] for r in results]
    load = [r["load"] for r in results]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.python_version()}")
    print(f"site: {entries} entries ({len(n['entries']) if n else entries} in the catalogue), "
          f"index.html {size / 1e6:.2f} MB; script ran: {results[0]['count']!r}")
    print(f"DOMContentLoaded over {len(dcl)} loads: median {statistics.median(dcl):.0f} ms, "
          f"max {max(dcl):.0f} ms (load event: median {statistics.median(load):.0f} ms)")


if __name__ == "__main__":
    main()
