"""Proceedings pages that carry Highwire ``citation_*`` meta tags: ACL, CVF, PMLR, IJCAI, AAAI.

These hosts have no batch API; each paper has one HTML page whose head carries the tags Google
Scholar indexes (https://scholar.google.com/intl/en/scholar/inclusion.html#indexing): facts in
API-NOTES.md §9. One GET per paper, redirects followed. Keys are the list's ``proceedings`` link
ids; the page URL is built from the key and the host's URL root:

============================  =========================================================
key                           page
============================  =========================================================
``acl:2023.acl-long.1``       ``{acl}/2023.acl-long.1/`` (old ids ``acl:P19-1001`` alike)
``cvf:CVPR2023:<stem>``       ``{cvf}/content/CVPR2023/html/<stem>.html`` (from 2021);
                              before: ``{cvf}/content_cvpr_2017/html/<stem>.html`` or
                              ``content_CVPR_2019`` (both spellings tried, the year's usual
                              one first); workshops ``cvf:CVPR2023W/<workshop>:<stem>``
``pmlr:v202:aamand23a``       ``{pmlr}/v202/aamand23a.html``
``ijcai:2023:1``              ``{ijcai}/proceedings/2023/1``
``aaai:25913``                ``{aaai}/index.php/AAAI/article/view/25913`` (OJS)
============================  =========================================================

Read from the page (stdlib HTML parser, so unquoted attribute values and ``content=`` written
before ``name=``, as the ACL Anthology serves them, parse like any other): ``citation_title``,
``citation_author`` (one per author; "Last, First" is turned to "First Last"),
``citation_publication_date`` or ``citation_date`` ("2025/7", "2023/07/03", "2023"),
``citation_conference_title`` or ``citation_journal_title``, ``citation_pdf_url``,
``citation_doi``, and the abstract from ``citation_abstract`` (or OJS's ``DC.Description``), else
the page's abstract block: the first element whose id is ``abstract`` or whose class names an
abstract (``div#abstract`` on CVF and PMLR, ``div.acl-abstract`` on the ACL Anthology,
``section.abstract`` on OJS), its "Abstract" heading dropped.

A page without ``citation_title`` is not a paper page: an invalid response for that key (a
maintenance page must not be cached as the paper). 404 on every URL form is "not found".

Venue: a short name where the key or the conference title says it reliably (``CVPR 2023``,
``ACL 2025``, ``Findings of EMNLP 2023``, ``ICML 2023``, ``IJCAI 2023``, ``AAAI 2024``), else the
page's conference or journal title as written. Status ``published``.

What is recorded (tests/fixtures): the ACL Anthology page head (real values, trimmed upstream)
and the PMLR source record the page is generated from. CVF, IJCAI and AAAI pages were never
recorded: their tests use pages built from the documented tag shape, marked as such.

Registration (for the source registry)
--------------------------------------
* name ``proceedings``, label "Proceedings pages".
* URL roots, one per host (each ``HARVEST_<HOST>_URL``): ``acl`` = ``https://aclanthology.org``,
  ``cvf`` = ``https://openaccess.thecvf.com``, ``pmlr`` = ``https://proceedings.mlr.press``,
  ``ijcai`` = ``https://www.ijcai.org``, ``aaai`` = ``https://ojs.aaai.org``. Until they are
  registered the defaults in ``HOST_URLS`` are used.
* settings: ``batch_size`` 1 (one page a paper; a larger batch is asked page by page),
  ``min_interval`` 1.0 s (one pacing lane for all five hosts: the HTTP layer paces by source),
  ``concurrency`` 1, ``ttl`` 90 days (published proceedings do not change).
* claims link kind ``proceedings`` with ids ``acl:``, ``cvf:``, ``pmlr:``, ``ijcai:``,
  ``aaai:`` (``neurips:`` stays with the NeurIPS source).
* contributes title, authors, year, published, venue, status ``published``, abstract, ids
  ``proceedings`` and ``doi``, landing and PDF URLs: proceedings-record precedence, beside
  Crossref and NeurIPS.
* enables Semantic Scholar batch id ``ACL:<anthology id>`` for ``acl:`` keys (S2 takes no id
  for the other hosts; their DOI, when the page gives one, goes as ``DOI:``).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from urllib.parse import urljoin

from ..cache import CachedRecord
from ..errors import InvalidResponse, NotFound, SourceError
from ..models import Link, PaperRecord
from .base import Fetched, Outcome, Source
from .metatags import HEADINGS as _HEADINGS
from .metatags import MetaTagParser, read
from .metatags import clean as _clean
from .spec import DAY, SourceSpec, Stage, VenueReading, claimed

NAME = "proceedings"
HOST_URLS = {
    "acl": "https://aclanthology.org",
    "cvf": "https://openaccess.thecvf.com",
    "pmlr": "https://proceedings.mlr.press",
    "ijcai": "https://www.ijcai.org",
    "aaai": "https://ojs.aaai.org",
}
"""Default URL root of each host (settings key = env ``HARVEST_<KEY>_URL``)."""

_ACL = re.compile(r"^acl:((\d{4})\.([a-z0-9]+(?:-[a-z0-9]+)*)\.(\d+)|([A-Z])(\d{2})-(\d{4}))$")
_CVF = re.compile(r"^cvf:([A-Za-z]+)(\d{4})(W(?:/[\w-]+)?)?:([\w.\-]+)$")
_PMLR = re.compile(r"^pmlr:v(\d+):([\w-]+)$")
_IJCAI = re.compile(r"^ijcai:(\d{4}):0*([1-9]\d*)$")
_AAAI = re.compile(r"^aaai:([1-9]\d*)$")
_DATE = re.compile(r"^(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?")
_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}
_VOID = {"br", "img", "meta", "link", "hr", "input", "wbr"}

# ACL Anthology venue letters of old-style ids (https://aclanthology.org/info/ids/).
_ACL_LETTERS = {"P": "ACL", "D": "EMNLP", "N": "NAACL", "E": "EACL", "C": "COLING",
                "Q": "TACL", "J": "CL", "K": "CoNLL", "S": "SemEval", "L": "LREC", "I": "IJCNLP"}
_ACL_EVENTS = {"acl": "ACL", "emnlp": "EMNLP", "naacl": "NAACL", "eacl": "EACL",
               "coling": "COLING", "aacl": "AACL", "conll": "CoNLL", "lrec": "LREC",
               "tacl": "TACL", "cl": "CL", "semeval": "SemEval"}
# Conference titles of PMLR/IJCAI/AAAI pages that name one conference: title pattern → short name.
_TITLES = (
    (re.compile(r"^Proceedings of the [\w-]+ International Conference on Machine Learning$",
                re.I), "ICML"),
    (re.compile(r"^Proceedings of (?:the )?[\w-]+ International Conference on Artificial "
                r"Intelligence and Statistics$", re.I), "AISTATS"),
    (re.compile(r"^Proceedings of (?:the )?[\w-]+ Conference on Learning Theory$", re.I),
     "COLT"),
    (re.compile(r"^Proceedings of the [\w-]+ Conference on Uncertainty in Artificial "
                r"Intelligence$", re.I), "UAI"),
    (re.compile(r"^Proceedings of (?:the )?[\w-]+ Conference on Robot Learning$", re.I),
     "CoRL"),
    (re.compile(r"^Proceedings of the [\w-]+ International Joint Conference on Artificial "
                r"Intelligence", re.I), "IJCAI"),
    (re.compile(r"^Proceedings of the AAAI Conference on Artificial Intelligence$", re.I),
     "AAAI"),
)


class ProceedingsSource(Source):
    """Keys: ``acl:<id>``, ``cvf:<conference><year>:<stem>``, ``pmlr:v<volume>:<key>``,
    ``ijcai:<year>:<number>``, ``aaai:<article number>``."""

    name = NAME

    def fetch(self, keys: list[str], cached: dict[str, CachedRecord]) -> dict[str, Outcome]:
        return {key: self._paper(key) for key in keys}

    def root(self, host: str) -> str:
        return self.settings.urls.get(host, HOST_URLS[host]).rstrip("/")

    def _paper(self, key: str) -> Outcome:
        urls = page_urls(key, self.root)
        if not urls:
            return NotFound(f"proceedings: not a proceedings key this source reads: {key}")
        try:
            for url in urls:
                response = self.request("GET", url, accept=(200, 404), follow_redirects=True)
                if response.status_code == 200:
                    record = parse_page(response.content, key, str(response.url))
                    return Fetched(record.model_dump(mode="json", exclude_none=True))
            return Fetched(None)
        except SourceError as exc:
            return exc


def page_urls(key: str, root: Callable[[str], str]) -> list[str]:
    """The page URLs of ``key`` to try in order (empty when the key is not one of ours)."""
    if match := _ACL.match(key):
        return [f"{root('acl')}/{match[1]}/"]
    if match := _CVF.match(key):
        conference, year, workshop, stem = match[1], int(match[2]), match[3] or "", match[4]
        base = root("cvf")
        if workshop.startswith("W/"):  # content/CVPR2023W/<workshop>/html/<stem>.html
            return [f"{base}/content/{conference}{year}W/{workshop[2:]}/html/{stem}.html"]
        if workshop:
            return []  # a workshop paper's page needs its workshop folder
        if year >= 2021:
            return [f"{base}/content/{conference}{year}/html/{stem}.html"]
        forms = [f"content_{conference.lower()}_{year}", f"content_{conference.upper()}_{year}"]
        if year >= 2019:
            forms.reverse()
        return [f"{base}/{form}/html/{stem}.html" for form in dict.fromkeys(forms)]
    if match := _PMLR.match(key):
        return [f"{root('pmlr')}/v{match[1]}/{match[2]}.html"]
    if match := _IJCAI.match(key):
        return [f"{root('ijcai')}/proceedings/{match[1]}/{match[2]}"]
    if match := _AAAI.match(key):
        return [f"{root('aaai')}/index.php/AAAI/article/view/{match[1]}"]
    return []


# --------------------------------------------------------------------------- page parsing


class _PageParser(MetaTagParser):
    """``citation_*`` (and ``DC.*``) meta tags and the text of the first abstract block."""

    def __init__(self) -> None:
        super().__init__()
        self.abstract: list[str] | None = None
        self.block: str | None = None  # the tag of the abstract block while inside it
        self.depth = 0
        self.done = False
        self.heading_at: int | None = None  # where a heading inside the block started

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): value or "" for name, value in attrs}
        if self.meta_tag(tag, values):
            return
        if self.block is not None:
            if tag == self.block:
                self.depth += 1
            if tag in _HEADINGS and self.abstract is not None:
                self.heading_at = len(self.abstract)
            if tag in ("br", "p", "li", "div") and self.abstract is not None:
                self.abstract.append(" ")
            return
        if self.done or tag in _VOID:
            return
        classes = values.get("class", "").lower().split()
        if values.get("id", "").lower() == "abstract" or any(
            "abstract" in c and "title" not in c for c in classes
        ):
            self.block, self.depth, self.abstract = tag, 1, []

    def handle_endtag(self, tag: str) -> None:
        if self.block is None:
            return
        if tag in _HEADINGS and self.heading_at is not None and self.abstract is not None:
            heading = _clean("".join(self.abstract[self.heading_at:]))
            if heading.lower() == "abstract":
                del self.abstract[self.heading_at:]
            self.heading_at = None
        if tag == self.block:
            self.depth -= 1
            if self.depth == 0:
                self.block, self.done = None, True

    def handle_data(self, data: str) -> None:
        if self.block is not None and self.abstract is not None:
            self.abstract.append(data)


def parse_page(body: bytes, key: str, url: str) -> PaperRecord:
    """The record of the proceedings page of ``key``, fetched from ``url``."""
    parser = _PageParser()
    read(parser, body)
    title = parser.first("citation_title")
    if title is None:
        raise InvalidResponse("proceedings: the page has no citation_title; not a paper page")
    year, published = _date(parser.first("citation_publication_date", "citation_date",
                                         "dc.date.issued", "dc.date"))
    year = year or key_year(key)
    container = parser.first("citation_conference_title", "citation_journal_title")
    doi = _doi(parser.first("citation_doi", "dc.identifier.doi"))
    pdf = parser.first("citation_pdf_url")
    return PaperRecord(
        title=title,
        abstract=_abstract(parser),
        authors=[n for v in parser.meta.get("citation_author", []) if (n := _name(v))] or None,
        year=year,
        published=published,
        venue=venue(key, container, year),
        status="published",
        ids={"proceedings": key, **({"doi": doi} if doi else {})},
        landing_url=url,
        pdf_url=urljoin(url, pdf) if pdf else None,
    )


def venue(key: str, container: str | None, year: int | None) -> str | None:
    """A short venue where the key or the conference title names it; else the title."""
    when = f" {year}" if year else ""
    if match := _CVF.match(key):
        return f"{match[1]} {match[2]}" + (" Workshops" if match[3] else "")
    if match := _ACL.match(key):
        if match[5]:
            short = _ACL_LETTERS.get(match[5])
            return f"{short}{when}" if short and match[5] != "W" else container
        event, _, volume = match[3].partition("-")
        if event == "findings" and volume in _ACL_EVENTS:
            return f"Findings of {_ACL_EVENTS[volume]}{when}"
        return f"{_ACL_EVENTS[event]}{when}" if event in _ACL_EVENTS else container
    if _IJCAI.match(key):
        return f"IJCAI{when}"
    if container:
        for pattern, short in _TITLES:
            if pattern.match(container):
                return f"{short}{when}"
    return container


def key_year(key: str) -> int | None:
    """The year a key names: ACL (``2023.…``, ``P19-…``), CVF and IJCAI keys carry one."""
    if match := _ACL.match(key):
        return int(match[2]) if match[2] else _two_digit_year(int(match[6]))
    if match := _CVF.match(key):
        return int(match[2])
    if match := _IJCAI.match(key):
        return int(match[1])
    return None


def _two_digit_year(yy: int) -> int:
    return 1900 + yy if yy >= 50 else 2000 + yy


def _abstract(parser: _PageParser) -> str | None:
    meta = parser.first("citation_abstract", "dc.description")
    if meta:
        return _strip_tags(meta)
    text = _clean("".join(parser.abstract or []))
    if text.lower().startswith("abstract"):  # "Abstract" written as text, not a heading
        rest = text[len("abstract"):]
        if not rest or not rest[0].isalnum():
            text = rest.lstrip(" :.-—")
    return text or None


def _strip_tags(value: str) -> str | None:
    """An abstract given in a meta tag may carry (escaped) HTML: plain text."""
    text = re.sub(r"<[^>]*>", " ", html.unescape(value))
    return _clean(text) or None


def _name(value: str) -> str | None:
    """``Last, First`` → ``First Last``; ``First Last`` and ``King, Jr.`` kept."""
    text = _clean(value)
    parts = [p.strip() for p in text.split(",")]
    if len(parts) == 2 and parts[0] and parts[1] and parts[1].lower() not in _SUFFIXES:
        text = f"{parts[1]} {parts[0]}"
    return text or None


def _date(value: str | None) -> tuple[int | None, str | None]:
    match = _DATE.match(value or "")
    if match is None:
        return None, None
    year = int(match[1])
    if match[2] and match[3]:
        month, day = int(match[2]), int(match[3])
        if 1 <= month <= 12 and 1 <= day <= 31:
            return year, f"{year:04d}-{month:02d}-{day:02d}"
    return year, None


def _doi(value: str | None) -> str | None:
    if not value:
        return None
    doi = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", value.strip(), flags=re.I)
    return doi.lower() if doi.startswith("10.") else None


__all__ = ["HOST_URLS", "ProceedingsSource", "key_year", "page_urls", "parse_page", "venue"]


# ------------------------------------------------------------------------------ declaration


def _claim(link: Link) -> str | None:
    lid = link.id
    if link.kind != "proceedings" or not lid:
        return None
    return lid if lid.partition(":")[0] in HOST_URLS else None


SPEC: SourceSpec = SourceSpec(
    name=NAME,
    label="Proceedings pages",
    report_label="the proceedings page",
    cls=ProceedingsSource,
    urls=dict(HOST_URLS),
    # these hosts publish no API and no limit: one page a second, as for NeurIPS
    defaults={"batch_size": 1, "min_interval": 1.0, "ttl": 90 * DAY},
    claim=_claim,
    stages=(Stage(NAME, "Proceedings pages (ACL, CVF, PMLR, IJCAI, AAAI)", claimed(NAME)),),
    fields={"paper.title": 30, "paper.authors": 30, "paper.abstract": 50, "paper.year": 20,
            "paper.published": 20, "paper.urls.landing": 20, "paper.urls.pdf": 30,
            "paper.ids.doi": 25, "paper.ids.proceedings": 10},
    statuses=((30, ("published",)),),
    venue=VenueReading(year_is_venue_year=True),  # a journal's or proceedings' record
)
