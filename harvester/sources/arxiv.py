"""arXiv: paper metadata from the Atom feed of ``GET {arxiv}/query?id_list=…``.

Format: Atom 1.0 with ``arxiv:`` extension elements (``comment``, ``journal_ref``, ``doi``,
``primary_category``, ``affiliation``), read with feedparser. Docs: the arXiv API user manual,
https://info.arxiv.org/help/api/user-manual.html (Atom schema §5.1, errors §3.4).

One request per batch of ids (``id_list`` comma-joined, ``max_results`` = batch size,
because the default of 10 would truncate the batch). The manual allows up to 2,000 results a
call (API-NOTES.md part 3 §8); the default batch is 200: a GET of 200 ids stays under 3 KB of
URL, and the answer (~1 MB of Atom) comes back well inside the request timeout, where a
2,000-id feed from arXiv's slow backend risks timing out and costs the whole batch on a retry.
Quirks handled, all seen in recordings (``tests/fixtures/arxiv``):

* Entries come back in arXiv's order, versioned (``…/abs/1605.08386v1``, old style
  ``…/abs/astro-ph/0601001v1``): they are matched to the requested ids without the version.
* Missing ids are silently left out (current backend), or answered by an empty ``<entry>`` with
  no ``<id>`` (legacy backend, ≤ Aug 2025): both end up "not found".
* A malformed id gives HTTP 400 with an Atom error entry
  (``…/api/errors#incorrect_id_format_for_abc``): the ids it names are "not found" and the
  rest of the batch is asked again without them. An error entry in a 200 answer (the legacy
  backend's status for it was not recorded) is handled the same way.
* Legacy feeds hard-wrap titles and abstracts (whitespace is normalised) and add numeric MSC
  category terms (``35``), which are dropped.
* The transitional feed of 11–14 Nov 2025 had links without ``rel``/``title``: any link whose
  path contains ``/pdf/`` is then taken as the PDF.
* The API has no withdrawn flag: a latest-version comment mentioning "withdrawn" marks it.
* A body that is not a well-formed Atom feed (HTML error page, truncated XML) is an
  ``InvalidResponse`` for the whole batch, never a partial answer.
"""

from __future__ import annotations

import re
from typing import Any

from ..cache import CachedRecord
from ..errors import InvalidResponse, NotFound
from ..identify import github_urls
from ..models import Link, PaperRecord, Status
from .base import Fetched, Outcome, Source
from .spec import DAY, SourceSpec, Stage, VenueReading, claimed

_ABS = re.compile(r"/abs/(?P<id>.+?)(?P<version>v\d+)?$")
_VERSION = re.compile(r"v\d+$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
# arXiv category terms (cs.LG, astro-ph, cond-mat.mes-hall); not MSC (35, 68T05) or ACM (I.2.6).
_CATEGORY = re.compile(r"^[a-z][a-z-]*(?:\.[A-Za-z][A-Za-z-]*)?$")
_MALFORMED = re.compile(r"incorrect id format for (\S+)", re.I)

_WITHDRAWN = re.compile(r"withdrawn", re.I)
_ACCEPTED_PHRASES = (
    # "Accepted at NeurIPS 2023", "Published as a conference paper at ICLR 2024",
    # "Accepted for publication in Nature Communications", "To appear in …", "Presented at …"
    re.compile(
        r"\b(?:accepted|to\s+appear|published|presented)\b(?:\s+[\w-]+){0,4}?"
        r"\s+(?:at|to|in|by)\s+(?:the\s+)?(?P<venue>[^;|\n]+)",
        re.I,
    ),
    # "Accepted for ICML 2024"
    re.compile(r"\baccepted\s+for\s+(?:the\s+)?(?P<venue>[^;|\n]+)", re.I),
    re.compile(r"\bin\s+(?P<venue>proceedings\s+of\s+[^;|\n]+)", re.I),
)
_NOT_ACCEPTED = re.compile(
    r"\b(?:under\s+review|submitted|in\s+submission|under\s+submission|rejected)\b", re.I
)
_CONFERENCE = re.compile(
    r"\b(?P<venue>(?:NeurIPS|NIPS|ICLR|ICML|CVPR|ICCV|ECCV|WACV|BMVC|AAAI|IJCAI|ECAI|ACL|EMNLP"
    r"|NAACL|EACL|COLING|KDD|SIGIR|WSDM|CIKM|AISTATS|UAI|COLT|CoRL|ICRA|IROS|MICCAI|ISBI|MIDL"
    r"|CHIL|ML4H|ICASSP|Interspeech|TMLR|CogSci)\s*(?:19|20)\d{2}(?:\s+Workshops?\b[^;,.()\n]*)?)",
    re.I,
)
_VENUE_END = re.compile(r"\.\s|\.$|,\s*\d+\s*pages\b|\s+\(?(?:code|project\s+page)\b", re.I)


class ArxivSource(Source):
    """Keys: arXiv ids without version (``2310.16046``, ``cond-mat/0305641``)."""

    name = "arxiv"

    def fetch(self, keys: list[str], cached: dict[str, CachedRecord]) -> dict[str, Outcome]:
        # a record it answered before and now leaves out: see SourceSpec.permanent
        return self._query(list(keys))

    def _query(self, ids: list[str]) -> dict[str, Outcome]:
        response = self.request(
            "GET",
            f"{self.settings.url('arxiv')}/query",
            params={"id_list": ",".join(ids), "start": 0, "max_results": len(ids)},
            accept=(200, 400),
        )
        errors = error_messages(response.content)
        if response.status_code == 400 or errors:
            return self._without_malformed(ids, errors)
        records = parse_feed(response.content, ids)
        return {key: _fetched(records.get(key)) for key in ids}

    def _without_malformed(self, ids: list[str], errors: list[str]) -> dict[str, Outcome]:
        """Ids named malformed by the error entries are not found; the rest is asked again."""
        bad = malformed_ids(errors, ids)
        if not bad:
            reason = errors[0] if errors else "HTTP 400 without an error entry"
            raise InvalidResponse(f"arXiv refused the query: {reason[:200]}")
        outcomes: dict[str, Outcome] = {
            key: NotFound(f"arXiv: incorrect id format for {key}") for key in bad
        }
        rest = [key for key in ids if key not in bad]
        if rest:
            outcomes.update(self._query(rest))
        return outcomes


def _fetched(record: PaperRecord | None) -> Fetched:
    return Fetched(record.model_dump(mode="json", exclude_none=True) if record else None)


# --------------------------------------------------------------------------- parsing


def parse_feed(body: bytes, requested: list[str]) -> dict[str, PaperRecord]:
    """The records of a feed, keyed by the requested ids they answer (unmatched ids are absent)."""
    feed = _read_feed(body)
    wanted = {_bare(key): key for key in requested}
    records: dict[str, PaperRecord] = {}
    for entry in feed.entries:
        match = _ABS.search(entry.get("id") or "")
        if match is None or "/api/errors" in entry.get("id", ""):
            continue  # legacy empty entry for a missing id, or an error entry
        key = wanted.get(match["id"])
        if key is not None and key not in records:
            records[key] = parse_entry(entry)
    return records


def error_messages(body: bytes) -> list[str]:
    """The summaries of the feed's error entries (``<id>…/api/errors#…</id>``)."""
    entries = _read_feed(body).entries
    return [e.get("summary", "") for e in entries if "/api/errors" in e.get("id", "")]


def malformed_ids(errors: list[str], requested: list[str]) -> list[str]:
    """The requested ids that error messages call malformed ("incorrect id format for abc")."""
    named = {name for message in errors for name in _MALFORMED.findall(message)}
    return [key for key in requested if key in named]


def _read_feed(body: bytes) -> Any:
    import feedparser  # loaded with the first answer, not with the module: a warm run reads none

    feed = feedparser.parse(body)
    problem = feed.get("bozo_exception")
    if problem is not None and not isinstance(problem, feedparser.CharacterEncodingOverride):
        raise InvalidResponse(f"arXiv answered a malformed feed ({type(problem).__name__})")
    if not str(feed.get("version", "")).startswith("atom"):
        raise InvalidResponse("arXiv answered something that is not an Atom feed")
    return feed


def parse_entry(entry: Any) -> PaperRecord:
    """One ``<entry>`` (a feedparser entry) as a record."""
    match = _ABS.search(entry.get("id") or "")
    if match is None:
        raise InvalidResponse("arXiv answered an entry without an abs/ id")
    arxiv_id = match["id"]
    comment = _clean(entry.get("arxiv_comment"))
    journal_ref = _clean(entry.get("arxiv_journal_ref"))
    abstract = _clean(entry.get("summary"))
    doi = _doi(entry.get("arxiv_doi"))
    published = _date(entry.get("published"))
    status, venue = status_and_venue(comment, journal_ref)
    return PaperRecord(
        title=_clean(entry.get("title")),
        abstract=abstract,
        authors=[name for a in entry.get("authors", []) if (name := _clean(a.get("name")))]
        or None,
        year=int(published[:4]) if published else None,
        published=published,
        venue=venue,
        status=status,
        ids={"arxiv": arxiv_id, **({"doi": doi} if doi else {})},
        landing_url=f"https://arxiv.org/abs/{arxiv_id}",
        pdf_url=_pdf_link(entry.get("links", [])),
        version=match["version"],
        journal_ref=journal_ref,
        comment=comment,
        categories=_categories(entry.get("tags", [])),
        published_doi=doi,
        code_urls=github_urls(comment, abstract),
    )


def status_and_venue(comment: str | None, journal_ref: str | None) -> tuple[Status, str | None]:
    """What the authors' comment and journal reference say about acceptance, and where."""
    if comment and _WITHDRAWN.search(comment):
        return "withdrawn", None
    if journal_ref:
        return "accepted", journal_ref
    if not comment:
        return "preprint", None
    for phrase in _ACCEPTED_PHRASES:
        match = phrase.search(comment)
        if match:
            return "accepted", _venue(match["venue"])
    if not _NOT_ACCEPTED.search(comment) and (match := _CONFERENCE.search(comment)):
        return "accepted", _clean(match["venue"])
    return "preprint", None


def _venue(text: str) -> str | None:
    return _clean(_VENUE_END.split(text, maxsplit=1)[0].strip(" .,:"))


def _bare(arxiv_id: str) -> str:
    return _VERSION.sub("", arxiv_id.strip())


def _clean(text: str | None) -> str | None:
    return (" ".join(text.split()) or None) if text else None


def _date(value: str | None) -> str | None:
    return value[:10] if value and _DATE.match(value) else None


def _doi(value: str | None) -> str | None:
    """The first DOI of ``arxiv:doi`` (it may list several, space-separated), lower-cased."""
    parts = (value or "").split()
    return parts[0].lower() if parts else None


def _pdf_link(links: list[dict[str, Any]]) -> str | None:
    marked = (
        link
        for link in links
        if link.get("title") == "pdf"
        or (link.get("rel") == "related" and link.get("type") == "application/pdf")
    )
    # Transitional feeds (Nov 2025) had bare <link href=…/>: recognise the PDF by its path.
    by_path = (link for link in links if "/pdf/" in link.get("href", ""))
    link = next(marked, None) or next(by_path, None)
    href = link.get("href") if link else None
    return href.replace("http://arxiv.org/", "https://arxiv.org/", 1) if href else None


def _categories(tags: list[dict[str, Any]]) -> list[str] | None:
    terms = [tag.get("term") or "" for tag in tags]
    return list(dict.fromkeys(t for t in terms if _CATEGORY.match(t))) or None


# ------------------------------------------------------------------------------ declaration


def _claim(link: Link) -> str | None:
    return link.id if link.kind == "arxiv" and link.id else None


SPEC: SourceSpec = SourceSpec(
    name="arxiv",
    label="arXiv",
    cls=ArxivSource,
    urls={"arxiv": "https://export.arxiv.org/api"},
    # arXiv asks for one request every 3 s and one connection (API-NOTES.md)
    defaults={"batch_size": 200, "min_interval": 3.0, "ttl": 30 * DAY},
    batch_limit=2000,
    claim=_claim,
    stages=(Stage("arxiv", "arXiv", claimed("arxiv")),),
    fields={"paper.title": 40, "paper.authors": 40, "paper.abstract": 20, "paper.year": 40,
            "paper.published": 40, "paper.urls.landing": 40, "paper.urls.pdf": 10,
            "paper.ids.arxiv": 10, "paper.ids.doi": 30},
    statuses=((50, ("accepted", "published", "withdrawn")), (100, ("preprint",))),
    permanent=True,
    venue=VenueReading(
        fields=(("journal_ref", "arxiv_journal_ref"), ("comment", "arxiv_comment"),
                ("venue", "text")),
        server="arxiv"),
)
