"""Shared by the sources that ask a batch endpoint: the switch back to per-item requests.

``HARVEST_PER_ITEM`` names the sources (comma-separated, or ``all``) that use their per-item
endpoints instead of the batched ones: Crossref ``/works/{doi}`` one DOI at a time, bioRxiv
without Crossref, Semantic Scholar ``/paper/search/match`` for every title, NeurIPS without its
year index, OpenReview API v1 one id at a time. It exists to compare both paths (the tests do,
field by field) and as an escape hatch should a batch endpoint misbehave; results are the same
records either way (the README lists the documented differences).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")

PER_ITEM_VAR = "HARVEST_PER_ITEM"


def per_item(source: str) -> bool:
    """True when ``HARVEST_PER_ITEM`` forces ``source`` onto its per-item endpoints."""
    value = os.environ.get(PER_ITEM_VAR, "")
    names = {part.strip().lower() for part in value.split(",") if part.strip()}
    return "all" in names or source.lower() in names


def chunked(items: Iterable[T], cost: Callable[[T], int], size: int,
            max_chars: int) -> list[list[T]]:
    """``items`` in order, cut into batches of at most ``size`` items whose ``cost`` (the
    characters each adds to a request's URL) sums to at most ``max_chars``; an item that alone
    costs more still gets a batch of its own."""
    chunks: list[list[T]] = []
    current: list[T] = []
    length = 0
    for item in items:
        weight = cost(item)
        if current and (len(current) >= size or length + weight > max_chars):
            chunks.append(current)
            current, length = [], 0
        current.append(item)
        length += weight
    if current:
        chunks.append(current)
    return chunks
