"""The catalogue as a Markdown table: every entry, in list order: name, venue, year,
citations, stars, last push."""

from __future__ import annotations

import re

from ..models import Catalog, Entry
from .cited import entry_url, one_line

_MD_TEXT = re.compile(r"([\\`*_\[\]<>|])")
_URL_UNSAFE = {" ": "%20", "|": "%7C", "(": "%28", ")": "%29", "<": "%3C", ">": "%3E"}


def _md_text(text: str) -> str:
    return _MD_TEXT.sub(r"\\\1", one_line(text))


def _md_url(url: str) -> str:
    return "".join(_URL_UNSAFE.get(c, c) for c in url.strip())


def _unknown(value: object) -> str:
    return "—" if value is None else str(value)


def markdown_row(entry: Entry) -> list[str]:
    """The cells of one entry's row."""
    paper = entry.paper
    url = entry_url(entry)
    name = _md_text(entry.name) or "—"
    if url:
        name = f"[{name}]({_md_url(url)})"
    venue = (paper.venue if paper else None) or entry.listed_venue
    stars = sum(r.stars for r in entry.repos) if entry.repos else None
    pushes = [r.pushed_at[:10] for r in entry.repos if r.pushed_at]
    return [
        name,
        _md_text(venue) if venue else "—",
        _unknown(paper.year if paper else None),
        _unknown(paper.citation_count if paper else None),
        _unknown(stars),
        max(pushes) if pushes else "—",
    ]


def to_markdown_table(catalog: Catalog) -> str:
    """Every entry, in list order, as a GitHub-flavoured Markdown table."""
    lines = [
        "| name | venue | year | citations | stars | last push |",
        "|---|---|---:|---:|---:|---|",
    ]
    lines.extend("| " + " | ".join(markdown_row(entry)) + " |" for entry in catalog.entries)
    return "\n".join(lines) + "\n"
