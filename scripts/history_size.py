#!/usr/bin/env python3
"""How large ``history.jsonl`` grows: a year of weekly runs over one catalogue.

Takes a catalogue (e.g. one harvested from a generated 2,000-entry list against the fake APIs,
see ``scripts/bench.py``), then records 52 weekly snapshots through ``harvester.history.append``
in a scratch folder, every week raising each known star and citation count by a random amount
(seeded), so that every week changes and adds a line: the worst case for growth.

    python scripts/history_size.py output/catalog.json --weeks 52
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import random
import tempfile
from pathlib import Path

from harvester import history


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("catalog", type=Path)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    catalog = json.loads(args.catalog.read_text(encoding="utf-8"))
    rng = random.Random(args.seed)
    entries = catalog["entries"]
    start = dt.date(2026, 1, 5)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "catalog.json"
        current = copy.deepcopy(catalog)
        for week in range(args.weeks):
            for entry in current["entries"]:
                paper = entry.get("paper") or {}
                if isinstance(paper.get("citation_count"), int):
                    paper["citation_count"] += rng.randint(0, 40)
                for repo in entry.get("repos") or []:
                    repo["stars"] += rng.randint(0, 200)
            history.append(current, out, start + dt.timedelta(weeks=week))
        path = history.history_path(out)
        size = path.stat().st_size
        lines = path.read_text(encoding="utf-8").count("\n")
    snap = history.snapshot(catalog, start)
    print(f"catalogue: {len(entries)} entries, {len(snap.citations)} citation counts, "
          f"{len(snap.stars)} repositories")
    print(f"{lines} lines, {size:,} bytes ({size / 1e6:.2f} MB), "
          f"{size / max(lines, 1) / 1e3:.1f} kB a line")


if __name__ == "__main__":
    main()
