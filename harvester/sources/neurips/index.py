"""The NeurIPS year index ``{neurips}/paper_files/paper/<year>``: each paper's page path, title,
authors and track."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

from .common import PAGE_PATH, clean


@dataclass(frozen=True)
class IndexEntry:
    """One paper of a year index: its page path, title, authors and track suffix."""

    path: str
    title: str | None
    authors: tuple[str, ...]
    track: str
    section: str = ""
    """The class of the paper's list item, which names its track (``conference``,
    ``datasets_and_benchmarks_track``) also where the page URL does not (before 2022)."""


class _IndexParser(HTMLParser):
    """The year index: each paper link with its text and the authors beside it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.entries: list[tuple[str, list[str], list[str], str]] = []
        self.sink: list[str] | None = None
        self.authors_depth: str | None = None
        self.section = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "a" and PAGE_PATH.search(values.get("href", "")):
            self.entries.append((values["href"], [], [], self.section))
            self.sink = self.entries[-1][1]
        elif self.entries and self.sink is None and (
                tag == "i" or "paper-authors" in values.get("class", "").split()):
            self.sink, self.authors_depth = self.entries[-1][2], tag
        elif tag == "li":
            self.sink, self.section = None, values.get("class", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" or tag == self.authors_depth or tag == "li":
            self.sink, self.authors_depth = None, None

    def handle_data(self, data: str) -> None:
        if self.sink is not None:
            self.sink.append(data)


def parse_year_index(body: bytes, year: int) -> dict[str, IndexEntry]:
    """The papers of a ``/paper_files/paper/<year>`` page by lower-case hash."""
    parser = _IndexParser()
    parser.feed(body.decode("utf-8", errors="replace"))
    parser.close()
    found: dict[str, IndexEntry] = {}
    for href, title, authors, section in parser.entries:
        match = PAGE_PATH.search(href)
        if match is None or int(match[1]) != year:
            continue
        names = tuple(n for part in "".join(authors).split(",") if (n := clean(part)))
        found.setdefault(match[2].lower(), IndexEntry(
            path=href, title=clean("".join(title)) or None, authors=names, track=match[3],
            section=section))
    return found
