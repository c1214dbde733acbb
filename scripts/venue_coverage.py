#!/usr/bin/env python3
"""How many papers' listed venues the venue vocabulary recognises, on offline catalogues.

    python scripts/venue_coverage.py                  # the 14 corpus lists (tests/data/lists)
    python scripts/venue_coverage.py CATALOG.json ... # catalogues already built
    python scripts/venue_coverage.py --top 40 --lists a.md b.md

With no catalogue given, each list is harvested with ``python -m harvester --offline`` into a
scratch folder (no network: the catalogue holds what the list itself says), so the figure is
measured on real catalogue entries. For every paper entry with a ``listed_venue`` the script
asks ``harvester.venues.match(listed_venue, "list", title=…)``; it prints a Markdown table per
list (papers, with a listed venue, recognised, share) and the unrecognised strings by
frequency, with digits masked (``Preprint, 2025`` and ``Preprint, 2023`` count as one
``Preprint, ####``), each with one example as written.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from harvester.venues import match

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "lists"


def build_catalogues(lists: list[Path], folder: Path) -> list[Path]:
    """Harvest each list offline into ``folder``; the paths of the catalogues written."""
    out = []
    for path in lists:
        target = folder / path.stem / "catalog.json"
        target.parent.mkdir(parents=True)
        run = subprocess.run(
            [sys.executable, "-m", "harvester", "--offline", "-q", "--list", str(path),
             "--output", str(target), "--cache-dir", str(folder / path.stem / "cache")],
            capture_output=True, text=True, timeout=600,
        )
        if not target.exists():
            raise SystemExit(f"{path.name}: no catalogue written (exit {run.returncode}):\n"
                             f"{run.stderr[-2000:]}")
        out.append(target)
    return out


def coverage(catalog: dict[str, Any]) -> tuple[int, int, int, Counter[str], dict[str, str]]:
    """(papers, with a listed venue, recognised, unrecognised masked forms, an example each)."""
    papers = listed = recognised = 0
    missing: Counter[str] = Counter()
    examples: dict[str, str] = {}
    for entry in catalog["entries"]:
        if entry["kind"] != "paper":
            continue
        papers += 1
        venue = entry.get("listed_venue")
        if not venue:
            continue
        listed += 1
        title = (entry.get("paper") or {}).get("title") or entry["name"]
        if match(venue, "list", title=title) is not None:
            recognised += 1
        else:
            masked = re.sub(r"\d", "#", " ".join(venue.split()))
            missing[masked] += 1
            examples.setdefault(masked, venue)
    return papers, listed, recognised, missing, examples


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "–"


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("catalogs", nargs="*", type=Path, help="catalog.json files")
    parser.add_argument("--lists", nargs="*", type=Path, default=None,
                        help="lists to harvest offline (default: the corpus lists)")
    parser.add_argument("--top", type=int, default=30, help="unrecognised strings to show")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        paths = list(args.catalogs)
        if not paths:
            lists = args.lists or sorted(CORPUS.glob("*__*.md"))
            paths = build_catalogues(lists, Path(scratch))
        totals = [0, 0, 0]
        missing: Counter[str] = Counter()
        examples: dict[str, str] = {}
        print("| catalogue | papers | with listed venue | recognised | share |")
        print("|---|---:|---:|---:|---:|")
        for path in paths:
            catalog = json.loads(path.read_text(encoding="utf-8"))
            papers, listed, recognised, lost, seen = coverage(catalog)
            totals = [totals[0] + papers, totals[1] + listed, totals[2] + recognised]
            missing.update(lost)
            for key, value in seen.items():
                examples.setdefault(key, value)
            name = path.parent.name if path.name == "catalog.json" else path.stem
            print(f"| {name} | {papers} | {listed} | {recognised} | {_share(recognised, listed)} |")
        print(f"| **all** | {totals[0]} | {totals[1]} | {totals[2]} | "
              f"{_share(totals[2], totals[1])} |")
        print()
        print(f"Unrecognised listed venues ({sum(missing.values())} papers, {len(missing)} "
              f"forms), most frequent first:")
        print()
        print("| papers | form (digits as #) | example |")
        print("|---:|---|---|")
        for form, count in missing.most_common(args.top):
            print(f"| {count} | {form} | {examples[form]} |")


if __name__ == "__main__":
    main(sys.argv[1:])
