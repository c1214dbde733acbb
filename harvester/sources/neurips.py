"""NeurIPS proceedings: papers known by a proceedings page (``proceedings.neurips.cc``).

There is no JSON API (API-NOTES.md §5). A paper is known by its year and a 32-hex hash; its
pages are ``{neurips}/paper_files/paper/<year>/hash/<hash>-Abstract[-<track>].html`` and
``…/file/<hash>-Bibtex.bib``. Formats:

* The Abstract page's head carries Highwire Press tags (https://scholar.google.com/intl/en/
  scholar/inclusion.html#indexing): ``citation_title``, one ``citation_author`` per author as
  "Last, First", ``citation_journal_title``, ``citation_publication_date`` (a year),
  ``citation_pdf_url`` and, from 2024, ``citation_doi``. The body says "Part of … (NeurIPS 2023)
  Main Conference Track" (or "Datasets and Benchmarks Track") and holds the abstract in
  ``<p class="paper-abstract">`` or in the paragraph after ``<h4>Abstract</h4>``, often as a
  ``<p>`` nested in a ``<p>``. Read with the stdlib HTML parser.
* The BibTeX file holds one ``@inproceedings`` entry (title, author "Last, First and …",
  booktitle, year, url of the PDF, doi from 2024), read by a small tolerant field parser:
  ``{…}`` values with nested braces, ``"…"`` values, bare numbers, LaTeX accents.

* The year index ``{neurips}/paper_files/paper/<year>`` lists every paper of the year: a link
  ``/paper_files/paper/<year>/hash/<hash>-Abstract<track>.html`` whose text is the title, the
  authors beside it (``<span class="paper-authors">`` or ``<i>``), the track in the link's suffix
  (API-NOTES.md part 3 §8; no index was recorded: its tests use the documented shape).

Requests, per batch of keys: one index page per year with at least ``INDEX_MIN_KEYS`` keys.
The index gives each paper's title, authors, track and exact page URL, which is the record the
first stage answers (``index_record``: no abstract, no DOI; the PDF URL is the documented
``…/file/<hash>-Paper<track>.pdf`` beside the page). A hash the index does not list, a year
without an index (404) and the keys of a year with fewer keys go the per-key way: the page URL
of the year's usual track first (``-Abstract-Conference.html`` from 2022, ``-Abstract.html``
before); on 404 the other track suffixes (``-Datasets_and_Benchmarks``,
``-Datasets_and_Benchmarks_Track`` from 2024, the other main-track form); when no page exists,
the BibTeX file; when that is missing too, "not found". ``HARVEST_PER_ITEM`` naming ``neurips``
skips the index (every key the per-key way, so every record is a page's).

A paper's own page is read only for what it alone has, as ``neurips-page:<year>:<hash><track>``
keys (the track suffix the index named, so no track is guessed): from 2024 its ``citation_doi``
(stage ``neurips-doi-pages``, right after the index), and its abstract when no other source gave
the entry one (stage ``neurips-pages``, once every source that can give an abstract has
answered). The page's record joins the index's in the entry (same source, same fields, the
index's first). A page that has moved (404) goes the per-key way.

Legacy keys name papers by the old site's links: ``neurips-legacy:<n>-<slug>`` (from
``papers.nips.cc/paper/<n>-<slug>.pdf``) and ``neurips-legacy:by-source-<year>-<n>``: they are
asked as ``{neurips}/paper/<rest>``, whose redirect leads to the paper's
``/paper_files/paper/<year>/hash/<hash>-Abstract.html`` page (API-NOTES.md part 3 §9); the record
is that page's, its ``proceedings`` id the ``neurips:<year>:<hash>`` the redirect names. No raw
page was recorded: the parsers are tested on documented-shape pages built from API-NOTES.md §5
(tests/fixtures/neurips).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin

import httpx

from ..cache import CachedRecord
from ..config import Settings
from ..errors import InvalidResponse, NotFound, SourceError
from ..http import Http
from ..models import Link, PaperRecord
from .base import Fetched, Outcome, Source
from .batching import per_item
from .spec import DAY, EntryView, SourceSpec, Stage, VenueReading, claimed

_KEY = re.compile(r"^neurips:(\d{4}):([0-9a-f]{32})$")
INDEX_MIN_KEYS = 2
"""Keys of one year from which its index is asked: the index costs one request and answers
every key of the year, where the per-key way reads each paper's page (and guesses its track);
a single key is cheaper read from its page, which also has the abstract."""
PAGE_PREFIX = "neurips-page:"
_PAGE_KEY = re.compile(r"^neurips-page:(\d{4}):([0-9a-f]{32})((?:-[A-Za-z_]+)?)$")
DOI_FROM = 2024
"""The first year whose pages carry ``citation_doi`` (10.52202/…)."""
LEGACY_PREFIX = "neurips-legacy:"
_LEGACY = re.compile(r"^(?:\d+-[\w-]+|by-source-\d{4}-\d+)$")
_PAGE_PATH = re.compile(
    r"/paper_files/paper/(\d{4})/hash/([0-9a-fA-F]{32})-Abstract((?:-[A-Za-z_]+)?)\.html$")
_DATE = re.compile(r"^(\d{4})[-/](\d{2})[-/](\d{2})")
_DNB = "Datasets and Benchmarks"
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


class NeuripsSource(Source):
    """Keys: ``neurips:<year>:<32-hex hash>``, e.g.
    ``neurips:2023:8ca113d122584f12a6727341aaf58887``, and ``neurips-legacy:<rest>``."""

    name = "neurips"

    def __init__(self, http: Http, settings: Settings) -> None:
        super().__init__(http, settings)
        self._indexes: dict[int, dict[str, IndexEntry]] = {}
        self._index_lock = threading.Lock()

    def fetch(self, keys: list[str], cached: dict[str, CachedRecord]) -> dict[str, Outcome]:
        outcomes: dict[str, Outcome] = {}
        years: dict[int, list[str]] = {}
        for key in keys:
            match = _KEY.match(key)
            if key.startswith(LEGACY_PREFIX):
                outcomes[key] = self._legacy(key)
            elif key.startswith(PAGE_PREFIX):
                outcomes[key] = self._page(key)
            elif match is None:
                outcomes[key] = NotFound(f"neurips: not a neurips:<year>:<hash> key: {key}")
            elif per_item(self.name):
                outcomes[key] = self._paper(key)
            else:
                years.setdefault(int(match[1]), []).append(key)
        for year, year_keys in years.items():
            if len(year_keys) >= INDEX_MIN_KEYS:
                outcomes.update(self._year(year, year_keys))
            else:
                outcomes.update((key, self._paper(key)) for key in year_keys)
        return {key: outcomes[key] for key in keys}

    def _index(self, year: int) -> dict[str, IndexEntry]:
        """A year's index, read once a run however many batches its keys come in (a year
        without an index, 404, is empty); a failed read is not kept."""
        with self._index_lock:
            kept = self._indexes.get(year)
            if kept is None:
                response = self._get(f"{self.settings.url('neurips')}/paper_files/paper/{year}")
                kept = (parse_year_index(response.content, year)
                        if response.status_code == 200 else {})
                self._indexes[year] = kept
            return kept

    def _year(self, year: int, keys: list[str]) -> dict[str, Outcome]:
        """The keys of one year: the index's records; the keys it does not list per key."""
        root = self.settings.url("neurips")
        try:
            index = self._index(year)
        except SourceError as exc:
            return dict.fromkeys(keys, exc)
        outcomes: dict[str, Outcome] = {}
        for key in keys:
            entry = index.get(key.rsplit(":", 1)[1])
            if entry is not None and entry.title:
                outcomes[key] = _fetched(index_record(entry, key, root))
            else:
                outcomes[key] = self._paper(key)
        return outcomes

    def _page(self, page_key: str) -> Outcome:
        """A ``neurips-page:`` key: the page the index named, read for what it alone has."""
        match = _PAGE_KEY.match(page_key)
        if match is None:
            return NotFound(f"neurips: not a neurips-page:<year>:<hash><track> key: {page_key}")
        year, digest, track = match.groups()
        key = f"neurips:{year}:{digest}"
        try:
            response = self._get(f"{self.settings.url('neurips')}/paper_files/paper/{year}/hash/"
                                 f"{digest}-Abstract{track}.html")
            if response.status_code == 404:
                return self._paper(key)  # listed but moved: the per-key way
            return _fetched(parse_page(response.content, key, str(response.url)))
        except SourceError as exc:
            return exc

    def _legacy(self, key: str) -> Outcome:
        rest = key[len(LEGACY_PREFIX):]
        if not _LEGACY.match(rest):
            return NotFound(f"neurips: not a legacy NeurIPS id: {key}")
        try:
            response = self._get(f"{self.settings.url('neurips')}/paper/{rest}")
            if response.status_code == 404:
                return Fetched(None)
            landed = _PAGE_PATH.search(response.url.path)
            if landed is None:
                return InvalidResponse(f"neurips: {key} led to no paper page")
            canonical = f"neurips:{landed[1]}:{landed[2].lower()}"
            return _fetched(parse_page(response.content, canonical, str(response.url)))
        except SourceError as exc:
            return exc

    def _paper(self, key: str) -> Outcome:
        match = _KEY.match(key)
        if match is None:
            return NotFound(f"neurips: not a neurips:<year>:<hash> key: {key}")
        year, digest = int(match[1]), match[2]
        base = f"{self.settings.url('neurips')}/paper_files/paper/{year}"
        try:
            for track in page_tracks(year):
                response = self._get(f"{base}/hash/{digest}-Abstract{track}.html")
                if response.status_code == 200:
                    return _fetched(parse_page(response.content, key, str(response.url)))
            response = self._get(f"{base}/file/{digest}-Bibtex.bib")
            if response.status_code == 404:
                return Fetched(None)
            return _fetched(parse_bibtex_record(response.content, key))
        except SourceError as exc:
            return exc

    def _get(self, url: str) -> httpx.Response:
        response: httpx.Response = self.request("GET", url, accept=(200, 404),
                                                follow_redirects=True)
        return response


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
        if tag == "a" and _PAGE_PATH.search(values.get("href", "")):
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
        match = _PAGE_PATH.search(href)
        if match is None or int(match[1]) != year:
            continue
        names = tuple(n for part in "".join(authors).split(",") if (n := _clean(part)))
        found.setdefault(match[2].lower(), IndexEntry(
            path=href, title=_clean("".join(title)) or None, authors=names, track=match[3],
            section=section))
    return found


def index_record(entry: IndexEntry, key: str, root: str) -> PaperRecord:
    """What the year index says of one paper (``key`` = ``neurips:<year>:<hash>``): title,
    authors, track (in the venue: the link's suffix or the list item's class) and the page and
    PDF URLs; no abstract, no DOI."""
    year = _key_year(key)
    digest = key.rsplit(":", 1)[1]
    base = f"{root}/paper_files/paper/{year}"
    return PaperRecord(
        title=entry.title,
        authors=list(entry.authors) or None,
        year=year,
        venue=_venue(year, entry.track.replace("_", " "), entry.section.replace("_", " ")),
        status="published",
        ids={"proceedings": key},
        landing_url=f"{base}/hash/{digest}-Abstract{entry.track}.html",
        pdf_url=f"{base}/file/{digest}-Paper{entry.track}.pdf",
    )


def page_key(record: dict[str, Any]) -> str | None:
    """The ``neurips-page:`` key of the page a record's landing URL names, if it is one."""
    match = _PAGE_PATH.search(record.get("landing_url") or "")
    if match is None:
        return None
    return f"{PAGE_PREFIX}{match[1]}:{match[2].lower()}{match[3]}"


def page_tracks(year: int) -> tuple[str, ...]:
    """Abstract-page suffixes to try, the year's usual main-track form first."""
    if year < 2022:
        return ("", "-Conference")
    datasets: tuple[str, ...] = ("-Datasets_and_Benchmarks",)
    if year >= 2024:
        datasets = ("-Datasets_and_Benchmarks_Track", *datasets)
    return ("-Conference", *datasets, "")


def _fetched(record: PaperRecord) -> Fetched:
    return Fetched(record.model_dump(mode="json", exclude_none=True))


def _key_year(key: str) -> int:
    match = _KEY.match(key)
    if match is None:
        raise ValueError(f"not a neurips key: {key}")
    return int(match[1])


def _venue(year: int, *texts: str | None) -> str:
    """``NeurIPS 2023``, or ``NeurIPS 2023 Datasets and Benchmarks`` when a text names it."""
    datasets = any(_DNB.lower() in (text or "").lower() for text in texts)
    return f"NeurIPS {year}" + (f" {_DNB}" if datasets else "")


def _first_last(name: str) -> str | None:
    """``Last, First`` → ``First Last``; ``von Last, Jr, First`` → ``First von Last Jr``."""
    parts = [part.strip() for part in name.split(",")]
    if len(parts) == 2:
        parts = [parts[1], parts[0]]
    elif len(parts) > 2:
        parts = [", ".join(parts[2:]), parts[0], parts[1]]
    return _clean(" ".join(parts)) or None


def _names(values: list[str]) -> list[str] | None:
    return [name for value in values if (name := _first_last(value))] or None


# --------------------------------------------------------------------------- Abstract page


class _PageParser(HTMLParser):
    """Highwire ``citation_*`` tags, the abstract paragraph and the "Part of …" track line."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, list[str]] = {}
        self.track: str | None = None
        self.abstract: list[str] | None = None
        self.capturing = False
        self.depth = 0  # <p> elements open inside the abstract
        self.after_heading = False  # the last heading was "Abstract"
        self.heading: list[str] | None = None
        self.paragraph: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "meta" and values.get("name", "").lower().startswith("citation_"):
            self.meta.setdefault(values["name"].lower(), []).append(values.get("content", ""))
        elif tag in _HEADINGS:
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
        if tag in _HEADINGS and self.heading is not None:
            self.after_heading = _clean("".join(self.heading)).lower() == "abstract"
            self.heading = None
        elif tag == "p" and self.capturing:
            self.depth -= 1
            self.capturing = self.depth > 0
        elif tag == "p" and self.paragraph is not None:
            text = _clean("".join(self.paragraph))
            if text.startswith("Part of") and self.track is None:
                self.track = text
            self.paragraph = None
        elif tag == "div" and self.capturing:
            self.capturing = False  # an unclosed abstract paragraph ends with its block

    def handle_data(self, data: str) -> None:
        for sink in (self.abstract if self.capturing else None, self.heading, self.paragraph):
            if sink is not None:
                sink.append(data)

    def first(self, name: str) -> str | None:
        return next((text for value in self.meta.get(name, []) if (text := _clean(value))), None)


def parse_page(body: bytes, key: str, url: str) -> PaperRecord:
    """The record of an Abstract page fetched from ``url`` for ``key``."""
    parser = _PageParser()
    parser.feed(body.decode("utf-8", errors="replace"))
    parser.close()
    title = parser.first("citation_title")
    if title is None:
        raise InvalidResponse("neurips: the page has no citation_title; not a paper page")
    year = _key_year(key)
    doi = parser.first("citation_doi")
    pdf = parser.first("citation_pdf_url")
    return PaperRecord(
        title=title,
        abstract=_clean("".join(parser.abstract or [])) or None,
        authors=_names(parser.meta.get("citation_author", [])),
        year=year,
        published=_full_date(parser.first("citation_publication_date")),
        venue=_venue(year, parser.track, parser.first("citation_journal_title"),
                     url.replace("_", " ")),
        status="published",
        ids={"proceedings": key, **({"doi": doi.lower()} if doi else {})},
        landing_url=url,
        pdf_url=urljoin(url, pdf) if pdf else None,
    )


def _full_date(value: str | None) -> str | None:
    match = _DATE.match(value or "")
    return "-".join(match.groups()) if match else None


def _clean(text: str) -> str:
    return " ".join(text.split())


# --------------------------------------------------------------------------- BibTeX


_ENTRY = re.compile(r"@\s*\w+\s*[{(]\s*[^,\s]*\s*,")
_FIELD = re.compile(r"\s*([A-Za-z][\w:-]*)\s*=\s*")
_COMMA = re.compile(r"\s*,")
_BARE = re.compile(r"[^,}\s]+")
_AND = re.compile(r"\s+and\s+", re.I)
_ACCENTS = {'"': "\u0308", "'": "\u0301", "`": "\u0300", "^": "\u0302", "~": "\u0303",
            "=": "\u0304", ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b",
            "c": "\u0327", "k": "\u0328", "r": "\u030a"}
_SYMBOL_ACCENT = re.compile(r"\\([\"'`^~=.])\s*(?:\{\s*([A-Za-z])\s*\}|([A-Za-z]))")
_LETTER_ACCENT = re.compile(r"\\([uvHckr])(?:\s*\{\s*([A-Za-z])\s*\}|\s+([A-Za-z]))")
_LETTERS = {"ss": "ß", "o": "ø", "O": "Ø", "aa": "å", "AA": "Å", "ae": "æ", "AE": "Æ",
            "oe": "œ", "OE": "Œ", "l": "ł", "L": "Ł", "i": "i", "j": "j"}
_LETTER = re.compile(r"\\(ss|aa|AA|ae|AE|oe|OE|o|O|l|L|i|j)(?![A-Za-z])\s*")
_ESCAPED = re.compile(r"\\([&%$#_])")
_COMMAND = re.compile(r"\\[A-Za-z]+\s*")
_OPEN, _CLOSE = "\x00", "\x01"  # stand-ins for escaped braces while groups are removed


def parse_bibtex(text: str) -> dict[str, str]:
    """The fields of the first entry, names lower-cased, values raw (inner braces kept)."""
    start = _ENTRY.search(text)
    if start is None:
        raise InvalidResponse("neurips: the BibTeX file holds no entry")
    fields: dict[str, str] = {}
    pos = start.end()
    while (field := _FIELD.match(text, pos)) is not None:
        value, pos = _bib_value(text, field.end())
        fields.setdefault(field[1].lower(), value)
        comma = _COMMA.match(text, pos)
        if comma is None:
            break
        pos = comma.end()
    return fields


def _bib_value(text: str, pos: int) -> tuple[str, int]:
    """One value at ``pos``: ``{…}`` (nested), ``"…"`` (braces may hide quotes) or a bare word."""
    opener = text[pos : pos + 1]
    if opener not in ("{", '"'):
        bare = _BARE.match(text, pos)
        return (bare[0], bare.end()) if bare else ("", pos)
    depth, end = 0, pos + 1
    while end < len(text):
        char = text[end]
        if char == "\\":  # an escaped character (\{, \") never opens, closes or ends
            end += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            if depth == 0 and opener == "{":
                return text[pos + 1 : end], end + 1
            depth -= 1
        elif char == '"' and depth == 0 and opener == '"':
            return text[pos + 1 : end], end + 1
        end += 1
    raise InvalidResponse("neurips: a BibTeX value is not closed")


def latex_text(value: str | None) -> str | None:
    """A BibTeX value as plain text: accents composed, escapes and braces removed."""
    if not value:
        return None

    def accent(match: re.Match[str]) -> str:
        letter = match[2] or match[3]
        return unicodedata.normalize("NFC", letter + _ACCENTS[match[1]])

    text = value.replace("\\{", _OPEN).replace("\\}", _CLOSE)  # literal braces survive
    text = _LETTER.sub(lambda m: _LETTERS[m[1]], text)  # first: \'{\i} → \'{i} → í
    text = _SYMBOL_ACCENT.sub(accent, text)
    text = _LETTER_ACCENT.sub(accent, text)
    text = _ESCAPED.sub(r"\1", text)
    text = _COMMAND.sub("", text).replace("{", "").replace("}", "").replace("~", " ")
    return _clean(text.replace(_OPEN, "{").replace(_CLOSE, "}")) or None


def _bib_authors(value: str | None) -> list[str] | None:
    """``Last, First and Last, First`` split at top-level ``and`` (not inside braces)."""
    if not value:
        return None
    names, start = [], 0
    for match in _AND.finditer(value):
        if value.count("{", 0, match.start()) == value.count("}", 0, match.start()):
            names.append(value[start : match.start()])
            start = match.end()
    names.append(value[start:])
    return _names([latex_text(name) or "" for name in names])


def parse_bibtex_record(body: bytes, key: str) -> PaperRecord:
    """The record of a ``-Bibtex.bib`` file fetched for ``key``."""
    fields = parse_bibtex(body.decode("utf-8-sig", errors="replace"))
    title = latex_text(fields.get("title"))
    if title is None:
        raise InvalidResponse("neurips: the BibTeX entry has no title")
    year = _key_year(key)
    url = _plain(fields.get("url"))
    doi = _plain(fields.get("doi"))
    is_pdf = bool(url and url.lower().endswith(".pdf"))
    return PaperRecord(
        title=title,
        authors=_bib_authors(fields.get("author")),
        year=year,
        venue=_venue(year, latex_text(fields.get("booktitle"))),
        status="published",
        ids={"proceedings": key, **({"doi": doi.lower()} if doi else {})},
        landing_url=url if url and not is_pdf else None,
        pdf_url=url if is_pdf else None,
    )


def _plain(value: Any) -> str | None:
    """A URL or DOI field: braces and whitespace removed, nothing else touched."""
    text = re.sub(r"[{}\s]", "", value) if isinstance(value, str) else ""
    return text or None


# ------------------------------------------------------------------------------ declaration


def _claim(link: Link) -> str | None:
    lid = link.id
    claims = link.kind == "proceedings" and lid and lid.startswith(("neurips:", "neurips-legacy:"))
    return lid if claims else None


def _index_records(view: EntryView) -> list[dict[str, Any]]:
    """The entry's NeurIPS records that lack an abstract (the year index's)."""
    records: list[dict[str, Any]] = []
    for key in view.asked("neurips"):
        result = view.result("neurips", key)
        if result is not None and result.record and not result.record.get("abstract"):
            records.append(result.record)
    return records


def _doi_pages(view: EntryView) -> list[str]:
    """Pages of papers from 2024 on: their DOI is on the page alone."""
    return [key for record in _index_records(view)
            if (record.get("year") or 0) >= DOI_FROM and not record.get("ids", {}).get("doi")
            and (key := page_key(record))]


def _abstract_pages(view: EntryView) -> list[str]:
    """Pages of papers no source gave an abstract for."""
    from . import REGISTRY

    pending = _index_records(view)
    if not pending:
        return []
    for name, spec in REGISTRY.items():
        if "paper.abstract" in spec.fields and any(
                record.get("abstract") for record in view.records(name)):
            return []
    return [key for record in pending if (key := page_key(record))]


ABSTRACT_STAGES = ("arxiv", "openreview", "biorxiv", "crossref", "crossref-journal",
                    "proceedings", "pubmed", "s2-fallback", "openalex", "neurips-doi-pages")
"""The stages that can give an entry an abstract (``s2-fallback`` waits for every other
Semantic Scholar stage): the abstract pages wait for them."""

SPEC: SourceSpec = SourceSpec(
    name="neurips",
    label="NeurIPS",
    report_label="the NeurIPS proceedings",
    cls=NeuripsSource,
    urls={"neurips": "https://proceedings.neurips.cc"},
    defaults={"batch_size": 500, "min_interval": 1.0, "ttl": 90 * DAY},
    claim=_claim,
    stages=(
        Stage("neurips", "NeurIPS proceedings", claimed("neurips")),
        Stage("neurips-doi-pages", "NeurIPS pages (DOIs)", _doi_pages, after=("neurips",),
              new_only=True),
        Stage("neurips-pages", "NeurIPS pages (abstracts)", _abstract_pages,
              after=ABSTRACT_STAGES, new_only=True),
    ),
    fields={"paper.title": 30, "paper.authors": 30, "paper.abstract": 50, "paper.year": 20,
            "paper.published": 20, "paper.urls.landing": 20, "paper.urls.pdf": 30,
            "paper.ids.doi": 20, "paper.ids.proceedings": 10},
    statuses=((30, ("published",)),),
    venue=VenueReading(year_is_venue_year=True),
)
