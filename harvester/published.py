"""The catalogue as the run builds it: each entry turned into its published bytes at once.

The run builds one entry, adds it here and lets it go: only the entry's JSON (as the file
holds it, :func:`harvester.writers.entry_json`) and a few counts are kept — the summary, the
history's stars and citations, the same-paper check. At 10,000 entries the built models and the
dumped document held at once were ~150 MB of a warm run's peak. The file is written from these
pieces (:meth:`Published.chunks`), byte for byte what :func:`harvester.writers.catalog_json` of
the whole catalogue gives; :meth:`Published.catalog` reads the models back for callers that want
them (tests, the library API).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import orjson

from .errors import redact_bytes
from .history import Counts
from .matching import SamePapers
from .models import Catalog, Entry, ListInfo, Summary
from .writers import catalog_chunks, entry_parts


class SummaryTally:
    """The catalogue's :class:`~harvester.models.Summary`, counted one entry at a time."""

    def __init__(self) -> None:
        self.entries = self.papers = self.with_abstract = self.with_citations = 0
        self.repos = self.stale_values = self.errors = 0

    def add(self, entry: Mapping[str, Any]) -> None:
        """Count one entry (as JSON values)."""
        self.entries += 1
        self.papers += entry.get("kind") == "paper"
        paper = entry.get("paper")
        if paper:
            self.with_abstract += bool(paper.get("abstract"))
            self.with_citations += paper.get("citation_count") is not None
        self.repos += len(entry.get("repos") or ())
        self.stale_values += len(entry.get("stale") or ())
        self.errors += len(entry.get("errors") or ())

    def summary(self) -> Summary:
        return Summary(entries=self.entries, papers=self.papers,
                       with_abstract=self.with_abstract, with_citations=self.with_citations,
                       repos=self.repos, stale_values=self.stale_values, errors=self.errors)


class Published:
    """A catalogue assembled entry by entry; :meth:`finish` names its list."""

    def __init__(self) -> None:
        self._entries: list[bytes] = []
        self._summary = SummaryTally()
        self.counts = Counts()
        """Stars and citations for ``history.jsonl``."""
        self._same = SamePapers()
        self._head: Catalog | None = None
        self._catalog: Catalog | None = None

    def add(self, entry: Entry) -> tuple[bytes, str | None]:
        """Take one built entry (in list order): its published JSON, and the same-paper
        warning it raises, if any."""
        data, chunk = entry_parts(entry)
        return chunk, self._take(data, chunk)

    def add_json(self, chunk: bytes) -> str | None:
        """Take one entry already in its published form (:func:`harvester.writers.entry_json`,
        e.g. kept from an earlier run); the same-paper warning it raises, if any."""
        return self._take(orjson.loads(chunk), chunk)

    def _take(self, data: dict[str, Any], chunk: bytes) -> str | None:
        if self._head is not None:
            raise RuntimeError("Published: an entry added after finish")
        self._entries.append(chunk)
        self._summary.add(data)
        self.counts.add(data)
        return self._same.add(data)

    def finish(self, info: ListInfo) -> Published:
        self._head = Catalog(list=info, summary=self._summary.summary(), entries=[])
        return self

    @property
    def head(self) -> Catalog:
        """The catalogue without its entries: list, summary, schema version."""
        if self._head is None:
            raise RuntimeError("Published: not finished")
        return self._head

    @property
    def summary(self) -> Summary:
        return self.head.summary

    def chunks(self) -> Iterator[bytes]:
        """The catalogue file in pieces, every configured secret redacted."""
        for chunk in catalog_chunks(self.head, self._entries):
            yield redact_bytes(chunk)

    def catalog(self) -> Catalog:
        """The catalogue as models (read back from its JSON once, then kept)."""
        if self._catalog is None:
            self._catalog = Catalog.model_validate_json(
                b"".join(catalog_chunks(self.head, self._entries)))
        return self._catalog

    @classmethod
    def of(cls, catalog: Catalog) -> Published:
        """The published form of a catalogue built as a whole (its summary as it is)."""
        published = cls()
        for entry in catalog.entries:
            published.add(entry)
        published._head = catalog.model_copy(update={"entries": []})
        published._catalog = catalog
        return published
