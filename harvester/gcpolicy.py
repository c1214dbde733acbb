"""Fewer garbage collections while a run builds its many small objects.

A run allocates millions of small objects that live until it ends (records, entries, the
catalogue's JSON), so CPython's cyclic collector, which scans the youngest generation every 700
allocations, spends a quarter of a warm run finding no garbage. Inside ``relaxed_gc`` the
objects alive on entry are frozen (never scanned again) and the youngest generation is
collected every ``GC_THRESHOLD`` allocations. At 10,000 entries a warm run's CPU time falls from
5.8 s to 3.8 s (collection off entirely: 3.6 s, but then cycles are never freed); the output does
not change. The previous thresholds are restored on exit.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

GC_THRESHOLD = 50_000


@contextlib.contextmanager
def relaxed_gc() -> Iterator[None]:
    saved = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(GC_THRESHOLD, saved[0]), saved[1], saved[2])
    try:
        yield
    finally:
        gc.set_threshold(*saved)
        gc.unfreeze()
