"""Impossible values: what no honest API answer contains, checked before a record is kept.

A count is an integer 0 ≤ n ≤ 2^53 (the largest integer every JSON reader holds exactly); a date
is a real calendar date (``2999-99-99`` is not); a year lies between 1000 and 9999. A record
breaking one of these is an invalid response for that record only: the run keeps the previous
value, marks it stale and exits 2. The catalogue's JSON Schema states the same bounds (see
``harvester.models``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

MAX_COUNT = 2**53
COUNT_FIELDS = ("citation_count", "influential_citation_count", "stars", "forks", "open_issues",
                "watchers")
DATE_FIELDS = ("published",)
TIMESTAMP_FIELDS = ("pushed_at", "created_at")


def is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_COUNT


def is_date(value: Any) -> bool:
    """``YYYY-MM-DD`` naming a day that exists."""
    if not isinstance(value, str) or len(value) != 10:
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def is_timestamp(value: Any) -> bool:
    """An ISO 8601 date-time (``2024-05-01T12:00:00Z``) naming a moment that exists."""
    if not isinstance(value, str) or not 10 <= len(value) <= 40:
        return False
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def impossible(record: Any) -> str | None:
    """Why ``record`` (a source record as a dict) cannot be true, or None when it can."""
    if not isinstance(record, dict):
        return None
    for name in COUNT_FIELDS:
        value = record.get(name)
        if value is not None and not is_count(value):
            return f"{name} {_shown(value)} is not a count between 0 and 2^53"
    for name in DATE_FIELDS:
        value = record.get(name)
        if value is not None and not is_date(value):
            return f"{name} {_shown(value)} is not a real date"
    for name in TIMESTAMP_FIELDS:
        value = record.get(name)
        if value is not None and not is_timestamp(value):
            return f"{name} {_shown(value)} is not a real date and time"
    year = record.get("year")
    if year is not None and not (isinstance(year, int) and not isinstance(year, bool)
                                 and 1000 <= year <= 9999):
        return f"year {_shown(year)} is not a year"
    return None


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"
