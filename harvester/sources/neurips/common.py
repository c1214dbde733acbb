"""What the NeurIPS readers share: the key and page-path forms, the year a key names, the venue
name and authors written "Last, First"."""

from __future__ import annotations

import re

from ..metatags import clean

KEY = re.compile(r"^neurips:(\d{4}):([0-9a-f]{32})$")
PAGE_PREFIX = "neurips-page:"
PAGE_PATH = re.compile(
    r"/paper_files/paper/(\d{4})/hash/([0-9a-fA-F]{32})-Abstract((?:-[A-Za-z_]+)?)\.html$")
DNB = "Datasets and Benchmarks"

__all__ = ["DNB", "KEY", "PAGE_PATH", "PAGE_PREFIX", "clean", "first_last", "key_year", "names",
           "venue"]


def key_year(key: str) -> int:
    match = KEY.match(key)
    if match is None:
        raise ValueError(f"not a neurips key: {key}")
    return int(match[1])


def venue(year: int, *texts: str | None) -> str:
    """``NeurIPS 2023``, or ``NeurIPS 2023 Datasets and Benchmarks`` when a text names it."""
    datasets = any(DNB.lower() in (text or "").lower() for text in texts)
    return f"NeurIPS {year}" + (f" {DNB}" if datasets else "")


def first_last(name: str) -> str | None:
    """``Last, First`` → ``First Last``; ``von Last, Jr, First`` → ``First von Last Jr``."""
    parts = [part.strip() for part in name.split(",")]
    if len(parts) == 2:
        parts = [parts[1], parts[0]]
    elif len(parts) > 2:
        parts = [", ".join(parts[2:]), parts[0], parts[1]]
    return clean(" ".join(parts)) or None


def names(values: list[str]) -> list[str] | None:
    return [name for value in values if (name := first_last(value))] or None
