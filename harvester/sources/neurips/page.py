"""A NeurIPS Abstract page: its ``citation_*`` tags, the abstract paragraph and the "Part of …"
track line."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from ...errors import InvalidResponse
from ...models import PaperRecord
from ..metatags import HEADINGS, MetaTagParser, read
from .common import clean, key_year, names, venue

_DATE = re.compile(r"^(\d{4})[-/](\d{2})[-/](\d{2})")


class _PageParser(MetaTagParser):
    """Highwire ``citation_*`` tags, the abstract paragraph and the "Part of …" track line."""

    def __init__(self) -> None:
        super().__init__()
        self.track: str | None = None
        self.abstract: list[str] | None = None
        self.capturing = False
        self.depth = 0  # <p> elements open inside the abstract
        self.after_heading = False  # the last heading was "Abstract"
        self.heading: list[str] | None = None
        self.paragraph: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if self.meta_tag(tag, values):
            return
        if tag in HEADINGS:
            self.capturing = False
            self.heading = []
        elif tag == "p" and self.capturing:
            self.depth += 1
        elif tag == "p" and self.abstract is None and (
            self.after_heading or "paper-abstract" in values.get("class", "").split()
        ):
            self.abstract, self.capturing, self.depth = [], True, 1
        elif tag == "p":
            self.paragraph = []
        elif tag == "br" and self.capturing and self.abstract is not None:
            self.abstract.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in HEADINGS and self.heading is not None:
            self.after_heading = clean("".join(self.heading)).lower() == "abstract"
            self.heading = None
        elif tag == "p" and self.capturing:
            self.depth -= 1
            self.capturing = self.depth > 0
        elif tag == "p" and self.paragraph is not None:
            text = clean("".join(self.paragraph))
            if text.startswith("Part of") and self.track is None:
                self.track = text
            self.paragraph = None
        elif tag == "div" and self.capturing:
            self.capturing = False  # an unclosed abstract paragraph ends with its block

    def handle_data(self, data: str) -> None:
        for sink in (self.abstract if self.capturing else None, self.heading, self.paragraph):
            if sink is not None:
                sink.append(data)


def parse_page(body: bytes, key: str, url: str) -> PaperRecord:
    """The record of an Abstract page fetched from ``url`` for ``key``."""
    parser = _PageParser()
    read(parser, body)
    title = parser.first("citation_title")
    if title is None:
        raise InvalidResponse("neurips: the page has no citation_title; not a paper page")
    year = key_year(key)
    doi = parser.first("citation_doi")
    pdf = parser.first("citation_pdf_url")
    return PaperRecord(
        title=title,
        abstract=clean("".join(parser.abstract or [])) or None,
        authors=names(parser.meta.get("citation_author", [])),
        year=year,
        published=_full_date(parser.first("citation_publication_date")),
        venue=venue(year, parser.track, parser.first("citation_journal_title"),
                    url.replace("_", " ")),
        status="published",
        ids={"proceedings": key, **({"doi": doi.lower()} if doi else {})},
        landing_url=url,
        pdf_url=urljoin(url, pdf) if pdf else None,
    )


def _full_date(value: str | None) -> str | None:
    match = _DATE.match(value or "")
    return "-".join(match.groups()) if match else None
