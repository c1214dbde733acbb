"""Built entries kept between runs: an entry whose inputs did not change is not built again.

An entry is a pure function of its inputs: the list entry and its plan, the keys each stage
asked for it and every answer to them (record, status, fetch time, error), the annotations set
on it, and the program (its code, its venue vocabulary, the libraries that shape its output).
Each built entry is kept in the record cache (source ``entry-memo``, by entry key) with a
SHA-256 fingerprint of all of these; a run whose fingerprint for the entry is the same takes the
kept published JSON instead of merging the records again. At 10,000 entries that is most of a
warm run (merging and serialising ~2 s of ~3 s).

What an entry is built from is read through the same view the build reads
(:class:`harvester.plan.EntryLookups`), for every registered source and stage, so the
fingerprint covers whatever the build can see. The previous catalogue is the one input left
out: an entry built with it (a look-up failed or was not made) is neither taken from nor kept
in the memo. Anything that cannot be fingerprinted (a value JSON cannot hold) is built as usual.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import sys
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import orjson

from .cache import RecordCache
from .plan import EntryLookups
from .sources import REGISTRY, Result

SOURCE = "entry-memo"
MEMO_VERSION = 1
"""Bump when what a kept entry means changes outside the fingerprinted inputs."""
_LIBRARIES = ("pydantic", "pydantic-core", "orjson")
"""Libraries whose versions can change the bytes of a built entry."""
_BATCH = 500
"""Kept entries read at a time (their JSON is the catalogue's size: not all at once)."""


@cache
def program_fingerprint() -> str:
    """SHA-256 of the package's ``.py`` and ``.toml`` files (its code and its venue
    vocabulary), the Python version and the versions of the libraries that shape the output."""
    digest = hashlib.sha256(f"memo v{MEMO_VERSION} {sys.version}".encode())
    for name in _LIBRARIES:
        try:
            digest.update(f"{name}={importlib.metadata.version(name)}".encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(f"{name}=?".encode())
    root = Path(__file__).resolve().parent
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".py", ".toml")):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _result(result: Result | None) -> Any:
    if result is None:
        return None
    error = result.error
    return [result.status, result.record, result.fetched_at, result.stale,
            None if error is None else [type(error).__name__, error.kind, str(error),
                                         error.source, error.ref]]


def registry_fingerprint() -> str:
    """SHA-256 of the registered sources that live outside the package (a program's own,
    ``harvester.register``): the source files of the modules their specs' code comes from.
    Code with no file to read (defined at a prompt) makes a fingerprint no run shares, so
    nothing is taken from the memo."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for name, spec in sorted(REGISTRY.items()):
        code: list[Any] = [spec.cls, spec.claim, spec.status_of,
                           *(stage.keys for stage in spec.stages)]
        modules = sorted({getattr(c, "__module__", None) or "?" for c in code if c is not None})
        for module_name in modules:
            module = sys.modules.get(module_name)
            file = getattr(module, "__file__", None)
            path = Path(file).resolve() if file else None
            if path is not None and path.is_relative_to(root):
                continue  # the package's own: in program_fingerprint
            digest.update(f"{name}:{module_name}".encode())
            try:
                digest.update(path.read_bytes() if path is not None else os.urandom(16))
            except OSError:
                digest.update(os.urandom(16))
    return digest.hexdigest()


class Fingerprints:
    """The fingerprints of one run's entries (:meth:`of`), over the stages the run has."""

    def __init__(self) -> None:
        self._source_of = {stage.name: name for name, spec in REGISTRY.items()
                           for stage in spec.stages}
        self._program = f"{program_fingerprint()}:{registry_fingerprint()}"

    def of(self, view: EntryLookups, annotations: Any) -> str | None:
        """The fingerprint of everything the build of ``view``'s entry reads: its plan, what
        it asked in each stage and every answer to those keys and to the keys it claimed
        (None when some value cannot be written as JSON: such an entry is simply built)."""
        plan = view.plan
        entry = plan.entry
        asked = view.lookups.asked_by(plan.key)
        wanted: dict[str, dict[str, None]] = {name: dict.fromkeys(keys)
                                              for name, keys in plan.claims.items()}
        for stage, keys in asked.items():
            wanted.setdefault(self._source_of.get(stage, stage), {}).update(dict.fromkeys(keys))
        answers = {name: {key: _result(view.result(name, key)) for key in keys}
                   for name, keys in wanted.items()}
        inputs = [
            self._program, plan.key,
            [entry.name, entry.section, entry.text, entry.listed_venue, entry.line, entry.kind,
             [[link.label, link.url, link.kind, link.id] for link in entry.links]],
            plan.list_ids, plan.claims, [note.model_dump() for note in plan.notes],
            asked, answers, annotations,
        ]
        try:
            data = orjson.dumps(inputs, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)
        except (TypeError, orjson.JSONEncodeError):
            return None
        return hashlib.sha256(data).hexdigest()


class EntryMemo:
    """The kept entries of one run's cache: :meth:`get` before building, :meth:`put` after.
    Each is kept as one text, ``<fingerprint>\n<published JSON>``."""

    def __init__(self, cache: RecordCache, keys: Iterable[str]) -> None:
        self._cache = cache
        self._keys = list(keys)
        self._held: dict[str, str] = {}
        self._next = 0
        self._new: dict[str, str] = {}

    def get(self, key: str, print_: str | None) -> bytes | None:
        """The kept published JSON of entry ``key`` if it was built from the same inputs."""
        text = self._take(key)
        if print_ is None or text is None:
            return None
        kept_print, newline, chunk = text.partition("\n")
        if kept_print != print_ or not newline:
            return None
        return chunk.encode("utf-8")

    def _take(self, key: str) -> str | None:
        """Entries are asked in list order: read the next batch when ``key`` is past those
        held (each is read once and let go)."""
        if key not in self._held and self._next < len(self._keys):
            self._held = self._cache.get_texts(SOURCE, self._keys[self._next:self._next + _BATCH])
            self._next += _BATCH
        return self._held.pop(key, None)

    def put(self, key: str, print_: str | None, chunk: bytes) -> None:
        if print_ is not None:
            self._new[key] = f"{print_}\n{chunk.decode('utf-8')}"
        if len(self._new) >= _BATCH:
            self.flush()

    def flush(self) -> None:
        """Write the entries built since the last flush (in one transaction)."""
        if self._new:
            self._cache.put_texts(SOURCE, self._new)
            self._new = {}
