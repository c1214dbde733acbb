"""The parsed list, kept in the record cache: an unchanged list is not parsed again.

Parsing the list (markdown-it, then the entry heuristics and link classification) is the
largest part of a warm run: 3.4 s of 7.6 s at 10,000 entries. Its result depends only on the
list's bytes and on the parser's code, so it is kept in the record cache (source ``list-parse``)
under the list's name, with the list's SHA-256 and the parser's fingerprint: ``PARSER_VERSION``
and a hash of the source files that decide what a parse yields (``harvester.listparse``,
``harvester.identify``, ``harvester.models``). Any change to either means a fresh parse, which
replaces the kept one (one record per list name, so the cache does not grow with the list's
history). The kept form is plain JSON of the entries, links and warnings; it is read back into
the same ``ListEntry``/``Link`` values (``Link.model_construct``: the values were validated when
they were parsed), so the catalogue is the same byte for byte (tests/test_parsecache.py).
"""

from __future__ import annotations

import hashlib
import importlib
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from .cache import CachedRecord, RecordCache, iso
from .listparse import ListEntry, ListWarning, ParsedList
from .listsource import LoadedList, read_entries
from .models import Link

PARSER_VERSION = 1
"""Bump when a parse's meaning changes outside the fingerprinted files."""
SOURCE = "list-parse"
_FINGERPRINTED = ("harvester.listparse", "harvester.identify", "harvester.models")
"""The modules (or packages) whose code decides what a parse yields."""


@cache
def fingerprint() -> str:
    """``PARSER_VERSION`` and the SHA-256 of the parser's source files, found through the
    import system (a module that became a package, or moved, is still found)."""
    digest = hashlib.sha256(f"v{PARSER_VERSION}".encode())
    for name in _FINGERPRINTED:
        module = importlib.import_module(name)
        origin = Path(module.__file__ or "")
        files = sorted(origin.parent.rglob("*.py")) if origin.name == "__init__.py" else [origin]
        for file in files:
            digest.update(f"{name}:{file.name}".encode())
            try:
                digest.update(file.read_bytes())
            except OSError:  # no source on disk (a zipped install): the version alone decides
                digest.update(b"?")
    return digest.hexdigest()


def read_entries_cached(loaded: LoadedList, cache: RecordCache, now: datetime
                        ) -> tuple[ParsedList, list[str]]:
    """``read_entries(loaded)``, from the cache when this list was parsed by this parser."""
    key = hashlib.sha256(loaded.source.encode()).hexdigest()
    stamp = {"sha256": hashlib.sha256(loaded.data).hexdigest(), "parser": fingerprint()}
    kept = cache.get(SOURCE, key)
    if kept is not None and kept.data is not None and all(
            kept.data.get(name) == value for name, value in stamp.items()):
        restored = _restore(kept.data)
        if restored is not None:
            return restored
    parsed, warnings = read_entries(loaded)
    cache.put(SOURCE, key, CachedRecord("ok", {**stamp, **_dump(parsed, warnings)}, iso(now)))
    return parsed, warnings


def _dump(parsed: ParsedList, warnings: list[str]) -> dict[str, Any]:
    return {
        "title": parsed.title,
        "entries": [[e.name, e.section, e.text, e.listed_venue,
                     [[link.label, link.url, link.kind, link.id] for link in e.links],
                     e.line, e.kind] for e in parsed.entries],
        "list_warnings": [[w.line, w.message] for w in parsed.warnings],
        "warnings": warnings,
    }


def _restore(data: dict[str, Any]) -> tuple[ParsedList, list[str]] | None:
    """The kept parse, or None when it is not in the shape ``_dump`` writes."""
    try:
        entries = [
            ListEntry(name=name, section=list(section), text=text, listed_venue=venue,
                      links=[Link.model_construct(label=label, url=url, kind=kind, id=link_id)
                             for label, url, kind, link_id in links],
                      line=line, kind=kind)
            for name, section, text, venue, links, line, kind in data["entries"]
        ]
        list_warnings = [ListWarning(line, message) for line, message in data["list_warnings"]]
        parsed = ParsedList(title=data["title"], entries=entries, warnings=list_warnings)
        return parsed, [str(w) for w in data["warnings"]]
    except (KeyError, TypeError, ValueError):
        return None
