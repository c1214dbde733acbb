"""How stars and citations moved: ``history.jsonl`` beside the catalogue, and trends from it.

One line per day on which a star or citation count changed, with that day's full counts::

    {"date": "2026-12-01", "stars": {"owner/repo": 131}, "citations": {"poyo": 112}}

A repository is named by its current ``owner/name``; an entry by its key. A second run on the
same day replaces that day's line; a run whose counts equal the previous line's adds nothing.
Lines are compact JSON with sorted keys, so the file diffs well in git.

:func:`trends` compares each count with its value about four weeks earlier ("+120 stars in 4
weeks"); the site shows it per entry and the change report can list the largest movers
(:func:`describe_trends`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from .writers import write_atomic

FILE_NAME = "history.jsonl"
DEFAULT_WINDOW_DAYS = 28


@dataclass(frozen=True)
class Snapshot:
    """The counts of one day."""

    date: str
    stars: dict[str, int]
    citations: dict[str, int]

    def to_line(self) -> str:
        data = {"date": self.date, "stars": self.stars, "citations": self.citations}
        return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    def same_counts(self, other: Snapshot) -> bool:
        return self.stars == other.stars and self.citations == other.citations


@dataclass(frozen=True)
class Trend:
    """How one count moved between two history lines."""

    kind: str
    """``stars`` or ``citations``."""
    ident: str
    """The repository's ``owner/name`` or the entry's key."""
    start: int
    end: int
    days: int

    @property
    def delta(self) -> int:
        return self.end - self.start

    @property
    def text(self) -> str:
        """``+120 stars in 4 weeks``, ``-1 citation in 10 days``, ``no change in 4 weeks``."""
        span = _span(self.days)
        if self.delta == 0:
            return f"no change in {span}"
        unit = self.kind if abs(self.delta) != 1 else self.kind.removesuffix("s")
        return f"{self.delta:+d} {unit} in {span}"


def _span(days: int) -> str:
    if days % 7 == 0 and days >= 7:
        weeks = days // 7
        return f"{weeks} week{'s' if weeks != 1 else ''}"
    return f"{days} day{'s' if days != 1 else ''}"


def history_path(catalog_path: Path) -> Path:
    """``history.jsonl`` in the catalogue's folder."""
    return catalog_path.with_name(FILE_NAME)


def snapshot(catalog: Mapping[str, Any] | Any, date: dt.date) -> Snapshot:
    """The star and citation counts a catalogue (model or parsed JSON) holds; unknown is left
    out, never counted as 0."""
    if not isinstance(catalog, Mapping):  # a Catalog model: read as its JSON values
        catalog = catalog.model_dump(mode="json")
    counts = Counts()
    for entry in catalog.get("entries") or ():
        counts.add(entry)
    return counts.snapshot(date)


class Counts:
    """:func:`snapshot`'s counts, gathered one entry (as JSON values) at a time: the run adds
    each entry as it is built, so it need not keep the entries."""

    def __init__(self) -> None:
        self.stars: dict[str, int] = {}
        self.citations: dict[str, int] = {}

    def add(self, entry: Mapping[str, Any]) -> None:
        paper = entry.get("paper")
        count = paper.get("citation_count") if paper else None
        if type(count) is int:  # not a bool, not unknown
            self.citations[str(entry["key"])] = count
        for repo in entry.get("repos") or ():
            name, value = repo.get("full_name"), repo.get("stars")
            if isinstance(name, str) and type(value) is int:
                self.stars[name] = value

    def snapshot(self, date: dt.date) -> Snapshot:
        return Snapshot(date.isoformat(), dict(sorted(self.stars.items())),
                        dict(sorted(self.citations.items())))


def parse_line(line: str) -> Snapshot | None:
    """One history line, or None when it is not one (a hand-edited or truncated line)."""
    try:
        data = json.loads(line)
        date = dt.date.fromisoformat(data["date"]).isoformat()
        stars = {str(k): int(v) for k, v in dict(data.get("stars") or {}).items()}
        citations = {str(k): int(v) for k, v in dict(data.get("citations") or {}).items()}
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    return Snapshot(date, stars, citations)


def read_history(path: Path) -> list[Snapshot]:
    """The snapshots of ``path`` by date (empty when there is no file); bad lines are skipped."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    snapshots = [s for s in map(parse_line, text.splitlines()) if s is not None]
    by_date = {s.date: s for s in snapshots}  # a repeated date: the later line wins
    return [by_date[d] for d in sorted(by_date)]


def record(history: list[Snapshot], today: Snapshot) -> list[Snapshot] | None:
    """The history with ``today`` recorded, or None when nothing needs writing.

    Today's earlier line (if any) is replaced; a line equal in counts to the day before adds
    nothing (and an earlier same-day line that now equals the day before is dropped).
    """
    kept = [s for s in history if s.date < today.date]
    later = [s for s in history if s.date > today.date]  # a clock set back: keep, never lose
    if later:
        return None
    previous = kept[-1] if kept else None
    if previous is None and not today.stars and not today.citations:
        return [] if history else None  # no counts known yet: nothing to record
    had_today = len(kept) != len(history)
    if previous is not None and previous.same_counts(today):
        return kept if had_today else None
    if had_today and history[-1] == today:
        return None
    return [*kept, today]


def append(catalog: Mapping[str, Any] | Counts | Any, catalog_path: Path,
           date: dt.date | None = None) -> bool:
    """Record the catalogue's counts (or counts already gathered) in ``history.jsonl`` beside
    it; True when it was written."""
    path = history_path(catalog_path)
    day = date or dt.datetime.now(dt.UTC).date()
    today = catalog.snapshot(day) if isinstance(catalog, Counts) else snapshot(catalog, day)
    updated = record(read_history(path), today)
    if updated is None:
        return False
    write_atomic(path, "".join(s.to_line() + "\n" for s in updated))
    return True


def _base(history: list[Snapshot], window_days: int) -> tuple[Snapshot, Snapshot] | None:
    if len(history) < 2:
        return None
    last = history[-1]
    cutoff = dt.date.fromisoformat(last.date) - dt.timedelta(days=window_days)
    older = [s for s in history[:-1] if dt.date.fromisoformat(s.date) <= cutoff]
    return (older[-1] if older else history[0]), last


@dataclass(frozen=True)
class Trends:
    stars: dict[str, Trend]
    citations: dict[str, Trend]


def trends(history: list[Snapshot], window_days: int = DEFAULT_WINDOW_DAYS) -> Trends:
    """Each count's move from the line about ``window_days`` before the last one (the latest
    line on or before that day, else the first line) to the last line.

    A count missing from either line has no trend (unknown is not 0).
    """
    pair = _base(history, window_days)
    if pair is None:
        return Trends({}, {})
    start, end = pair
    days = (dt.date.fromisoformat(end.date) - dt.date.fromisoformat(start.date)).days
    out: dict[str, dict[str, Trend]] = {"stars": {}, "citations": {}}
    for kind in ("stars", "citations"):
        before = cast("dict[str, int]", getattr(start, kind))
        after = cast("dict[str, int]", getattr(end, kind))
        for ident, value in after.items():
            if ident in before:
                out[kind][ident] = Trend(kind, ident, before[ident], value, days)
    return Trends(out["stars"], out["citations"])


def entry_trends(catalog: Mapping[str, Any], found: Trends) -> dict[str, list[Trend]]:
    """The trends that concern each entry (its citations, then its repositories' stars)."""
    result: dict[str, list[Trend]] = {}
    for entry in catalog.get("entries", []):
        own: list[Trend] = []
        if entry["key"] in found.citations:
            own.append(found.citations[entry["key"]])
        for repo in entry.get("repos") or []:
            trend = found.stars.get(repo.get("full_name", ""))
            if trend is not None:
                own.append(trend)
        if own:
            result[entry["key"]] = own
    return result


def describe_trends(history: list[Snapshot], names: Mapping[str, str] | None = None,
                    top: int = 5, window_days: int = DEFAULT_WINDOW_DAYS) -> list[str]:
    """Markdown bullet lines for the change report: the largest rises in stars and citations.

    ``names`` maps entry keys to display names. Empty when the history is too short.
    """
    found = trends(history, window_days)
    lines: list[str] = []
    for items in (found.stars, found.citations):
        risers = sorted((t for t in items.values() if t.delta > 0),
                        key=lambda t: (-t.delta, t.ident))[:top]
        for t in risers:
            label = (names or {}).get(t.ident, t.ident)
            lines.append(f"- {label}: {t.text} ({t.start} → {t.end})")
    return lines
