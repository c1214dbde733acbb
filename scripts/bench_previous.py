#!/usr/bin/env python3
"""How long reading the previous catalogue takes: the catalogue's models vs the run's reader.

Builds a catalogue of ``--entries`` entries by repeating the entries of ``CATALOG`` (each with a
new key) and times, best of ``--repeat``, ``Catalog.model_validate_json`` (every model built)
against ``harvester.previous.load_previous`` (plain JSON, only what a run keeps), with the peak
of traced allocations of each.

    python scripts/bench_previous.py output/catalog.json --entries 10000
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from harvester.models import Catalog
from harvester.previous import load_previous


def measure(run: Callable[[], Any], repeat: int) -> tuple[float, float]:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    tracemalloc.start()
    run()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return best, peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("catalog", type=Path)
    parser.add_argument("--entries", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    data = json.loads(args.catalog.read_text(encoding="utf-8"))
    source = data["entries"]
    data["entries"] = [{**source[i % len(source)], "key": f"{source[i % len(source)]['key']}-{i}"}
                       for i in range(args.entries)]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "catalog.json"
        path.write_text(json.dumps(data, indent=2, sort_keys=True), encoding="utf-8")
        size = path.stat().st_size / 2**20
        models = measure(lambda: Catalog.model_validate_json(path.read_bytes()), args.repeat)
        reader = measure(lambda: load_previous(path, print), args.repeat)
    print(f"{args.entries} entries, {size:.1f} MB of JSON")
    print(f"  Catalog.model_validate_json: {models[0]:.2f} s, peak {models[1]:.0f} MB traced")
    print(f"  previous.load_previous:      {reader[0]:.2f} s, peak {reader[1]:.0f} MB traced")


if __name__ == "__main__":
    main()
