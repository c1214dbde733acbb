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

The readers are beside this module: the year index in :mod:`~harvester.sources.neurips.index`,
the Abstract page in :mod:`~harvester.sources.neurips.page`, the BibTeX file in
:mod:`~harvester.sources.neurips.bibtex` (what they share in ``common``).
"""

from __future__ import annotations

import re
import threading
from typing import TYPE_CHECKING, Any

from ...cache import CachedRecord
from ...config import Settings
from ...errors import InvalidResponse, NotFound, SourceError
from ...http import Http
from ...models import Link, PaperRecord
from ..base import Fetched, Outcome, Source
from ..batching import per_item
from ..spec import DAY, EntryView, SourceSpec, Stage, VenueReading, claimed
from .bibtex import latex_text, parse_bibtex, parse_bibtex_record
from .common import KEY as _KEY
from .common import PAGE_PATH as _PAGE_PATH
from .common import PAGE_PREFIX
from .common import key_year as _key_year
from .common import venue as _venue
from .index import IndexEntry, parse_year_index
from .page import parse_page

if TYPE_CHECKING:
    import httpx

__all__ = [
    "ABSTRACT_STAGES",
    "DOI_FROM",
    "INDEX_MIN_KEYS",
    "LEGACY_PREFIX",
    "PAGE_PREFIX",
    "SPEC",
    "IndexEntry",
    "NeuripsSource",
    "index_record",
    "latex_text",
    "page_key",
    "page_tracks",
    "parse_bibtex",
    "parse_bibtex_record",
    "parse_page",
    "parse_year_index",
]

INDEX_MIN_KEYS = 2
"""Keys of one year from which its index is asked: the index costs one request and answers
every key of the year, where the per-key way reads each paper's page (and guesses its track);
a single key is cheaper read from its page, which also has the abstract."""
_PAGE_KEY = re.compile(r"^neurips-page:(\d{4}):([0-9a-f]{32})((?:-[A-Za-z_]+)?)$")
DOI_FROM = 2024
"""The first year whose pages carry ``citation_doi`` (10.52202/…)."""
LEGACY_PREFIX = "neurips-legacy:"
_LEGACY = re.compile(r"^(?:\d+-[\w-]+|by-source-\d{4}-\d+)$")


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


# --------------------------------------------------------------------------- records and URLs


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
    from .. import REGISTRY

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
