"""Words for venues shared by the merge, the change report and the exports (one list each).

The full venue vocabulary (conferences, journals, display forms) lives in ``venues``; this is
the small part the first release needs everywhere: which venue names mean "a preprint".
"""

from __future__ import annotations

import re

PREPRINT_SERVERS = ("arxiv", "biorxiv", "medrxiv", "chemrxiv", "psyarxiv", "ssrn",
                    "research square", "techrxiv", "osf preprints")
"""Preprint servers, lower-case, as venue names give them."""

PREPRINT_VENUES = frozenset({*PREPRINT_SERVERS, "arxiv.org", "preprint"})
"""Venue names (lower-case, trimmed) that name no venue: a preprint server, or "preprint"."""

_SERVER_WORDS = "|".join(name.replace(" ", r"\s+") for name in PREPRINT_SERVERS)

PREPRINT_MENTION = re.compile(rf"\b(pre-?prints?|{_SERVER_WORDS})\b", re.IGNORECASE)
"""A venue text that mentions a preprint server or the word preprint."""

NOT_YET_PUBLISHED = re.compile(
    rf"\b(pre-?prints?|{_SERVER_WORDS}|under\s+review|submitted|in\s+submission)\b",
    re.IGNORECASE,
)
"""A list's venue text that says the paper is not (yet) in a venue."""


def is_preprint_venue(name: str | None) -> bool:
    return name is not None and name.strip().lower() in PREPRINT_VENUES
