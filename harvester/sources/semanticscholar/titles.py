"""Semantic Scholar keys and title matching: id and ``TITLE:`` keys, bulk-search batches and
queries, and the rule by which a search result answers a title (equal normalised titles, year
within one)."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from ...errors import InvalidResponse
from ...models import PaperRecord
from ..batching import chunked
from .records import NAME, parse_paper, read_json

BULK_TITLES = 25
"""Titles one bulk search asks (its clause limit is not documented)."""
BULK_QUERY_CHARS = 3000
"""Characters of bulk query a call carries at most (about 3 KB of URL)."""
TITLE_PREFIX = "TITLE:"
_ID_PREFIXES = ("ARXIV:", "DOI:", "URL:", "CORPUSID:", "MAG:", "ACL:", "PMID:", "PMCID:")
_S2_SHA = re.compile(r"^[0-9a-f]{40}$")


def is_id_key(key: str) -> bool:
    """True for the id forms S2's batch endpoint takes."""
    prefix, sep, rest = key.partition(":")
    if sep and rest.strip() and f"{prefix.upper()}:" in _ID_PREFIXES:
        return True
    return bool(_S2_SHA.match(key))


def parse_title_key(key: str) -> tuple[int | None, str] | None:
    """``TITLE:2023:Some title`` → ``(2023, "Some title")``; ``TITLE::t`` → ``(None, "t")``."""
    if not key.startswith(TITLE_PREFIX):
        return None
    year_text, sep, title = key[len(TITLE_PREFIX) :].partition(":")
    title = " ".join(title.split())
    if not sep or not normalise_title(title) or not (year_text == "" or year_text.isdigit()):
        return None
    return (int(year_text) if year_text else None), title


def title_chunks(titles: dict[str, tuple[int | None, str]], size: int = BULK_TITLES,
                 max_chars: int = BULK_QUERY_CHARS) -> list[list[str]]:
    """Title keys in bulk-search batches: sorted by year (no year last), at most ``size``
    titles and ``max_chars`` characters of query each."""
    ordered = sorted(titles, key=lambda k: (titles[k][0] is None, titles[k][0] or 0))
    return chunked(ordered, lambda key: len(titles[key][1]) + 5,  # the quotes and " | "
                   size, max_chars)


def bulk_query(titles: list[str]) -> str:
    """``"t1" | "t2"``: each title a phrase (its own ``"`` made spaces), OR-ed."""
    phrases = (" ".join(title.replace('"', " ").split()) for title in titles)
    return " | ".join(f'"{phrase}"' for phrase in phrases if phrase)


def normalise_title(title: str) -> str:
    """Letters and digits only, case-folded, diacritics removed (``"Énergie: A-B"`` →
    ``energieab``)."""
    decomposed = unicodedata.normalize("NFKD", title.casefold())
    return "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch))


def bulk_matches(papers: list[Any], titles: dict[str, tuple[int | None, str]]
                 ) -> dict[str, PaperRecord]:
    """The bulk results that answer each title key under the title-match rule (equal
    normalised titles, year within one when a year is given); the closest year, then the most
    cited, when several do. Results that are not papers are skipped."""
    wanted: dict[str, list[str]] = {}
    for key, (_, title) in titles.items():
        wanted.setdefault(normalise_title(title), []).append(key)
    best: dict[str, tuple[tuple[int, int], PaperRecord]] = {}
    for obj in papers:
        try:
            record = parse_paper(obj)
        except InvalidResponse:
            continue
        for key in wanted.get(normalise_title(record.title or ""), []):
            year = titles[key][0]
            if year is not None and (record.year is None or abs(record.year - year) > 1):
                continue
            rank = (abs(record.year - year) if year is not None and record.year else 0,
                    -(record.citation_count or 0))
            if key not in best or rank < best[key][0]:
                best[key] = (rank, record)
    return {key: record for key, (_, record) in best.items()}


def match_paper(body: bytes, title: str, year: int | None) -> PaperRecord | None:
    """The ``/paper/search/match`` best match if it is the asked paper, else None."""
    data = read_json(body)
    matches = data.get("data") if isinstance(data, dict) else None
    if not isinstance(matches, list):
        raise InvalidResponse("semanticscholar title match answered without a data list",
                              source=NAME)
    if not matches:
        return None
    record = parse_paper(matches[0])
    if normalise_title(record.title or "") != normalise_title(title):
        return None
    if year is not None and (record.year is None or abs(record.year - year) > 1):
        return None
    return record
