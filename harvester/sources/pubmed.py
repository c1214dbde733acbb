"""PubMed and PubMed Central: journal metadata and abstracts from NCBI E-utilities.

Keys: ``pmid:<n>`` (``pmid:34313350``) and ``pmcid:PMC<n>`` (``pmcid:PMC8418481``), the ids of
the list's ``pubmed`` links (``pubmed.ncbi.nlm.nih.gov/<pmid>``,
``ncbi.nlm.nih.gov/pmc/articles/PMC<n>``). Facts in API-NOTES.md §8/§9; docs:
https://www.ncbi.nlm.nih.gov/books/NBK25499/ (E-utilities) and
https://pmc.ncbi.nlm.nih.gov/tools/id-converter-api/ (PMC ID Converter).

Requests per batch (``batch_size`` keys, at most 200 ids in one GET):

1. PMC ids only: ``GET {idconv}?ids=PMC1,PMC2&format=json`` → ``records[{pmcid, pmid, doi}]``;
   a PMC id with no PMID (or an ``errmsg`` record) is "not found" here (Semantic Scholar's
   ``PMCID:`` look-up may still know it).
2. ``GET {eutils}/esummary.fcgi?db=pubmed&id=1,2,…&retmode=json`` → ``{"result": {"uids": […],
   "<uid>": {title, authors[{name, authtype}], pubdate, epubdate, source, fulljournalname,
   articleids[{idtype, value}], pubtype[]}}}``. A uid missing from ``result`` or carrying
   ``error`` ("cannot get document summary", documented, not recorded) is "not found".
3. ``GET {eutils}/efetch.fcgi?db=pubmed&id=…&rettype=abstract&retmode=xml`` → a
   ``PubmedArticleSet``: the abstract (every ``AbstractText``, with its ``Label``) and the full
   author names (``ForeName LastName``, ``CollectiveName``); esummary only has "Liu Q".

Every request carries ``tool=awesome-harvester`` and, when ``HARVEST_CONTACT`` is set,
``email=<contact>``, as NCBI asks. Without an API key NCBI allows 3 requests a second
(``min_interval`` 0.34 s). A failed esummary or efetch fails the batch (its keys keep their
last good values) rather than publish records without abstracts; so does a 404 (unknown ids
are answered with 200, so a 404 means a wrong URL root, not a missing paper).

Quirks handled (recorded in tests/fixtures/ncbi unless marked):

* ``AbstractText`` holds inline HTML (``<sub>``, ``<i>``) and MathML (``<mml:math>`` with
  indentation inside): inline markup is joined without spaces, MathML without its layout
  whitespace, so ``LE<sub>min</sub>`` reads ``LEmin``.
* ``efetch`` also lists the PMIDs of an article's references (``ReferenceList``): an article's
  own PMID is ``MedlineCitation/PMID`` only.
* Titles end with a full stop PubMed adds; a translated title is in ``[…]``. Both are removed.
* ``pubdate`` is ``2021 Sep``, ``2001 Jan 1`` or ``2016``; ``epubdate`` ``2016 Apr 14`` or empty.
  The year is ``pubdate``'s; the publication date is the first full date of the two.
* ``pubtype`` "Preprint" (PubMed indexes some preprints) gives status ``preprint``; every other
  record is a journal article, ``published``.

Registration (for the source registry)
--------------------------------------
* name ``pubmed``, label "PubMed".
* URL roots: ``pubmed`` = ``https://eutils.ncbi.nlm.nih.gov/entrez/eutils``
  (``HARVEST_PUBMED_URL``); ``pmc_idconv`` =
  ``https://pmc.ncbi.nlm.nih.gov/tools/idconv/api/v1/articles/`` (``HARVEST_PMC_IDCONV_URL``).
  Until they are registered the defaults below are used.
* settings: ``batch_size`` 200 (limit 200), ``min_interval`` 0.34, ``concurrency`` 1,
  ``ttl`` 30 days.
* claims link kind ``pubmed``, ids ``pmid:<n>`` and ``pmcid:PMC<n>`` (the key is the link id).
* contributes title, authors, year, published, venue (the journal), status (``published``),
  abstract, ids ``pmid``/``pmcid``/``doi``, landing URL: journal-record precedence, beside
  Crossref and NeurIPS (after OpenReview for status/venue, before arXiv and S2).
* enables Semantic Scholar batch ids ``PMID:<n>`` and ``PMCID:PMC<n>`` for citations.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from ..cache import CachedRecord
from ..errors import InvalidResponse, NotFound
from ..models import Link, PaperRecord
from .base import Fetched, Outcome, Source
from .coerce import json_object
from .spec import DAY, SourceSpec, Stage, VenueReading, claimed

NAME = "pubmed"
DEFAULT_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
DEFAULT_IDCONV_URL = "https://pmc.ncbi.nlm.nih.gov/tools/idconv/api/v1/articles/"
TOOL = "awesome-harvester"
MAX_IDS = 200

_PMID_KEY = re.compile(r"^pmid:([1-9]\d{0,9})$")
_PMCID_KEY = re.compile(r"^pmcid:(PMC[1-9]\d{0,9})$")
_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_DATE = re.compile(r"^((?:19|20)\d{2})(?:\s+([A-Za-z]{3})[A-Za-z]*(?:\s+(\d{1,2}))?)?")
_MATHML = "{http://www.w3.org/1998/Math/MathML}"


class PubmedSource(Source):
    """Keys: ``pmid:<n>`` and ``pmcid:PMC<n>``."""

    name = NAME

    def fetch(self, keys: list[str], cached: dict[str, CachedRecord]) -> dict[str, Outcome]:
        outcomes: dict[str, Outcome] = {}
        pmid_of: dict[str, str] = {}  # key → PMID to look up
        pmcids: dict[str, str] = {}  # key → PMC id to convert
        for key in keys:
            if match := _PMID_KEY.match(key):
                pmid_of[key] = match[1]
            elif match := _PMCID_KEY.match(key):
                pmcids[key] = match[1]
            else:
                outcomes[key] = NotFound(f"pubmed: not a pmid:<n> or pmcid:PMC<n> key: {key}")
        if pmcids:
            converted = parse_idconv(self._get(self.settings.urls.get("pmc_idconv",
                                                                      DEFAULT_IDCONV_URL),
                                               {"ids": ",".join(pmcids.values()),
                                                "format": "json"}))
            for key, pmcid in pmcids.items():
                if pmcid in converted:
                    pmid_of[key] = converted[pmcid]
                else:
                    outcomes[key] = Fetched(None)
        pmids = list(dict.fromkeys(pmid_of.values()))
        if not pmids:
            return outcomes
        root = self._root("pubmed", DEFAULT_URL)
        id_list = ",".join(pmids)
        summaries = parse_esummary(self._get(f"{root}/esummary.fcgi",
                                             {"db": "pubmed", "id": id_list, "retmode": "json"}))
        articles = parse_efetch(self._get(f"{root}/efetch.fcgi",
                                          {"db": "pubmed", "id": id_list,
                                           "rettype": "abstract", "retmode": "xml"}))
        for key, pmid in pmid_of.items():
            summary = summaries.get(pmid)
            if summary is None:
                outcomes[key] = Fetched(None)
                continue
            record = summary_record(summary, articles.get(pmid))
            outcomes[key] = Fetched(record.model_dump(mode="json", exclude_none=True))
        return outcomes

    def batch_size(self) -> int:
        return min(MAX_IDS, self.options.batch_size)

    def _root(self, name: str, default: str) -> str:
        return self.settings.urls.get(name, default).rstrip("/")

    def _get(self, url: str, params: dict[str, str]) -> bytes:
        params = {**params, "tool": TOOL}
        if self.settings.contact:
            params["email"] = self.settings.contact
        try:
            response = self.request("GET", url, params=params, accept=(200,))
        except NotFound as exc:  # unknown ids are answered with 200: a 404 is a wrong URL
            raise InvalidResponse(f"pubmed: {exc}") from None
        content: bytes = response.content
        return content


# --------------------------------------------------------------------------- PMC ID Converter


def parse_idconv(body: bytes) -> dict[str, str]:
    """``{"PMC2883744": "20495566", …}`` from an ID Converter JSON answer (``records``; a newer
    layout is said to call them ``articles``). Records without a PMID are left out."""
    data = json_object(body, "pubmed: the PMC ID converter")
    if data.get("status") not in (None, "ok"):
        raise InvalidResponse(f"pubmed: the PMC ID converter answered {data.get('status')!s}")
    records = data.get("records", data.get("articles"))
    if not isinstance(records, list):
        raise InvalidResponse("pubmed: the PMC ID converter answered without records")
    found: dict[str, str] = {}
    for record in records:
        if not isinstance(record, dict) or record.get("errmsg"):
            continue
        pmcid, pmid = record.get("pmcid"), record.get("pmid")
        if isinstance(pmcid, str) and isinstance(pmid, str | int) and str(pmid).isdigit():
            found[pmcid.upper()] = str(pmid)
    return found


# --------------------------------------------------------------------------- esummary


def parse_esummary(body: bytes) -> dict[str, dict[str, Any]]:
    """The document summaries of an esummary JSON answer by PMID; unknown uids left out."""
    data = json_object(body, "pubmed: esummary")
    result = data.get("result")
    if not isinstance(result, dict):
        message = data.get("error") or data.get("esummaryresult") or "no result"
        raise InvalidResponse(f"pubmed: esummary answered without a result: {message!s}"[:200])
    summaries: dict[str, dict[str, Any]] = {}
    for uid, summary in result.items():
        if uid == "uids" or not isinstance(summary, dict) or summary.get("error"):
            continue
        if isinstance(summary.get("uid"), str) and _text(summary.get("title")):
            summaries[uid] = summary
    return summaries


def summary_record(summary: dict[str, Any], article: dict[str, Any] | None) -> PaperRecord:
    """One esummary document summary, completed by its efetch article (abstract, full names)."""
    pmid = str(summary["uid"])
    ids = _article_ids(summary.get("articleids"))
    year, published = _dates(_text(summary.get("pubdate")), _text(summary.get("epubdate")))
    pubtypes = summary.get("pubtype")
    preprint = isinstance(pubtypes, list) and "Preprint" in pubtypes
    article = article or {}
    authors = article.get("authors") or _summary_authors(summary.get("authors"))
    doi = ids.get("doi") or article.get("doi")
    pmcid = ids.get("pmc") or article.get("pmc")
    return PaperRecord(
        title=clean_title(_text(summary.get("title"))) or clean_title(article.get("title")),
        abstract=article.get("abstract"),
        authors=authors or None,
        year=year,
        published=published,
        venue=_text(summary.get("fulljournalname")) or _text(summary.get("source")),
        status="preprint" if preprint else "published",
        ids={"pmid": pmid, **({"pmcid": pmcid} if pmcid else {}),
             **({"doi": doi.lower()} if doi else {})},
        landing_url=f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/",
        work_type="preprint" if preprint else "journal-article",
    )


def clean_title(title: str | None) -> str | None:
    """``Title.`` → ``Title``; ``[Translated title].`` → ``Translated title``."""
    if not title:
        return None
    title = " ".join(title.split())
    if title.endswith(".") and not title.endswith(".."):
        title = title[:-1].rstrip()
    if title.startswith("[") and title.endswith("]"):
        title = title[1:-1].strip()
    return title or None


def _article_ids(value: Any) -> dict[str, str]:
    """``articleids`` → ``{"doi": …, "pmc": "PMC…"}`` (the first value of each type)."""
    ids: dict[str, str] = {}
    for item in value if isinstance(value, list) else []:
        kind = _text(item.get("idtype")) if isinstance(item, dict) else None
        text = _text(item.get("value")) if isinstance(item, dict) else None
        if kind in ("doi", "pmc") and kind and text:
            ids.setdefault(kind, text)
    if "pmc" in ids and not re.fullmatch(r"PMC\d+", ids["pmc"]):
        del ids["pmc"]
    return ids


def _summary_authors(value: Any) -> list[str]:
    names = []
    for author in value if isinstance(value, list) else []:
        is_author = isinstance(author, dict) and author.get("authtype", "Author") == "Author"
        if is_author and (name := _text(author.get("name"))):
            names.append(name)
    return names


def _dates(pubdate: str | None, epubdate: str | None) -> tuple[int | None, str | None]:
    """Year of ``pubdate`` (else ``epubdate``) and the first full date of the two."""
    parsed = [_date(pubdate), _date(epubdate)]
    year = next((y for y, _ in parsed if y is not None), None)
    full = next((d for _, d in parsed if d is not None), None)
    return year, full


def _date(text: str | None) -> tuple[int | None, str | None]:
    match = _DATE.match(text or "")
    if match is None:
        return None, None
    year, month, day = match[1], _MONTHS.get((match[2] or "").lower()), match[3]
    if month is None or day is None:
        return int(year), None
    return int(year), f"{year}-{month:02d}-{int(day):02d}"


# --------------------------------------------------------------------------- efetch


def parse_efetch(body: bytes) -> dict[str, dict[str, Any]]:
    """``{pmid: {"abstract", "authors", "title", "doi", "pmc"}}`` from a PubmedArticleSet."""
    if b"<!ENTITY" in body:
        raise InvalidResponse("pubmed: efetch answered XML that declares entities")
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        raise InvalidResponse("pubmed: efetch answered something that is not XML") from None
    if root.tag != "PubmedArticleSet":
        raise InvalidResponse(f"pubmed: efetch answered a {root.tag}, not a PubmedArticleSet")
    articles: dict[str, dict[str, Any]] = {}
    for item in root.findall("PubmedArticle"):
        pmid = _text(item.findtext("MedlineCitation/PMID"))
        article = item.find("MedlineCitation/Article")
        if not pmid or article is None:
            continue
        ids = {el.get("IdType"): _text(el.text)
               for el in item.findall("PubmedData/ArticleIdList/ArticleId")}
        title = article.find("ArticleTitle")
        articles[pmid] = {
            "abstract": _abstract(article),
            "authors": _efetch_authors(article),
            "title": _inline_text(title) if title is not None else None,
            "doi": ids.get("doi"),
            "pmc": ids.get("pmc"),
        }
    return articles


def _abstract(article: ET.Element) -> str | None:
    parts = []
    for part in article.findall("Abstract/AbstractText"):
        text = _inline_text(part)
        if not text:
            continue
        label = _text(part.get("Label"))
        parts.append(f"{label}: {text}" if label and label.upper() != "UNLABELLED" else text)
    return " ".join(parts) or None


def _efetch_authors(article: ET.Element) -> list[str]:
    names = []
    for author in article.findall("AuthorList/Author"):
        if author.get("ValidYN", "Y") != "Y":
            continue
        parts = [_text(author.findtext("ForeName")) or _text(author.findtext("Initials")),
                 _text(author.findtext("LastName"))]
        name = " ".join(p for p in parts if p) or _text(author.findtext("CollectiveName"))
        if name:
            names.append(name)
    return names


def _inline_text(element: ET.Element) -> str | None:
    """The text of an element with inline HTML joined as written and MathML without its
    layout whitespace."""
    return " ".join(_flatten(element).split()) or None


def _flatten(element: ET.Element) -> str:
    if element.tag.startswith(_MATHML):
        return "".join(text.strip() for text in element.itertext())
    pieces = [element.text or ""]
    for child in element:
        pieces.append(_flatten(child))
        pieces.append(child.tail or "")
    return "".join(pieces)


# --------------------------------------------------------------------------- helpers


def _text(value: Any) -> str | None:
    return (" ".join(value.split()) or None) if isinstance(value, str) else None


__all__ = ["PubmedSource", "clean_title", "parse_efetch", "parse_esummary", "parse_idconv",
           "summary_record"]


# ------------------------------------------------------------------------------ declaration


def _claim(link: Link) -> str | None:
    return link.id if link.kind == "pubmed" and link.id else None


SPEC: SourceSpec = SourceSpec(
    name=NAME,
    label="PubMed",
    cls=PubmedSource,
    urls={NAME: "https://eutils.ncbi.nlm.nih.gov/entrez/eutils",
          "pmc_idconv": "https://pmc.ncbi.nlm.nih.gov/tools/idconv/api/v1/articles/"},
    # E-utilities allow 3 requests a second without a key; ~200 ids fit one GET
    defaults={"batch_size": 200, "min_interval": 0.34, "ttl": 30 * DAY},
    batch_limit=200,
    claim=_claim,
    stages=(Stage(NAME, "PubMed", claimed(NAME)),),
    fields={"paper.title": 25, "paper.authors": 25, "paper.abstract": 45, "paper.year": 15,
            "paper.published": 15, "paper.urls.landing": 15, "paper.ids.doi": 15,
            "paper.ids.pmid": 10, "paper.ids.pmcid": 10},
    statuses=((25, ("published",)), (90, ("preprint",))),
    venue=VenueReading(year_is_venue_year=True),  # a journal's or proceedings' record
)
