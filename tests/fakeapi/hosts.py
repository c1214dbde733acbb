"""Fake NCBI E-utilities, PMC ID Converter and proceedings pages (ACL, CVF, PMLR, IJCAI, AAAI).

Hooked into ``server.py`` by ``PREFIXES`` (path prefix, API name, env variable), ``API_NAMES``
and one route function per API returning ``(status, body, content type)``. Data lives in a
:class:`HostWorld` (``FakeAPI.hosts``), separate from the main :class:`~tests.fakeapi.world.World`.

Shapes: esummary JSON and efetch XML follow the recordings in ``tests/fixtures/ncbi`` (the
``{"uid", "error": "cannot get document summary"}`` answer for an unknown uid and the ``errmsg``
record of the ID converter are documented, not recorded); the ACL page writes its tags as the
recorded head does (``content="…"`` before an unquoted ``name=citation_*``); CVF, PMLR, IJCAI
and AAAI pages are built from the documented tag shape (API-NOTES.md §9), never recorded.
The papers are invented.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html import escape
from urllib.parse import parse_qs

API_NAMES = ("pubmed", "proceedings")
PREFIXES = (
    ("/eutils", "pubmed", "HARVEST_PUBMED_URL"),
    ("/pmc-idconv", "pubmed", "HARVEST_PMC_IDCONV_URL"),
    ("/acl", "proceedings", "HARVEST_ACL_URL"),
    ("/cvf", "proceedings", "HARVEST_CVF_URL"),
    ("/pmlr", "proceedings", "HARVEST_PMLR_URL"),
    ("/ijcai", "proceedings", "HARVEST_IJCAI_URL"),
    ("/aaai", "proceedings", "HARVEST_AAAI_URL"),
)
HTML = "text/html; charset=utf-8"
JSON = "application/json; charset=UTF-8"
XML = "text/xml; charset=UTF-8"
Answer = tuple[int, bytes, str]


@dataclass
class PubmedPaper:
    pmid: str
    title: str
    authors: list[tuple[str, str]]  # (fore name, last name)
    journal: str
    abbreviation: str
    pubdate: str  # esummary form: "2021 Sep", "2016", "2001 Jan 1"
    epubdate: str = ""
    doi: str | None = None
    pmcid: str | None = None
    abstract: str | None = None  # may hold inline <sub>/<i> markup, as recorded


@dataclass
class PagePaper:
    host: str  # acl | cvf | pmlr | ijcai | aaai
    path: str  # the page path under the host's prefix
    title: str
    authors: list[str]
    date: str
    container: str
    abstract: str | None = None
    doi: str | None = None
    pdf: str | None = None


@dataclass
class HostWorld:
    pubmed: dict[str, PubmedPaper] = field(default_factory=dict)
    pages: dict[tuple[str, str], PagePaper] = field(default_factory=dict)

    def add(self, paper: PubmedPaper | PagePaper) -> None:
        if isinstance(paper, PubmedPaper):
            self.pubmed[paper.pmid] = paper
        else:
            self.pages[(paper.host, paper.path)] = paper

    @classmethod
    def default(cls) -> HostWorld:
        world = cls()
        world.add(PubmedPaper(
            "30000001", "Spiking population dynamics in a synthetic cortex.",
            [("Ada", "Lovelace"), ("Santiago", "Ramón y Cajal")],
            "Journal of synthetic neuroscience",
            "J Synth Neurosci", "2021 Sep", "2021 Jul 27", "10.5555/jsn.2021.1", "PMC9000001",
            "Neurons fire; V<sub>m</sub> rises and <i>falls</i>."))
        world.add(PubmedPaper(
            "30000002", "A second synthetic study.", [("Grace", "Hopper")],
            "Synthetic reports", "Synth Rep", "2016", "2016 Apr 14"))
        world.add(PagePaper(
            "acl", "/2024.acl-long.7/", "A Synthetic Parsing Paper", ["Ana Lopez", "Wei Zhang"],
            "2024/8", "Proceedings of the 62nd Annual Meeting of the Association for "
            "Computational Linguistics (Volume 1: Long Papers)", "We parse synthetic text.",
            "10.18653/v1/2024.acl-long.7", "https://aclanthology.org/2024.acl-long.7.pdf"))
        world.add(PagePaper(
            "cvf", "/content/CVPR2024/html/Lopez_Synthetic_Vision_CVPR_2024_paper.html",
            "Synthetic Vision", ["Lopez, Ana"], "2024",
            "Proceedings of the IEEE/CVF Conference on Computer Vision and Pattern Recognition "
            "(CVPR)", "We see synthetic things.", None,
            "../papers/Lopez_Synthetic_Vision_CVPR_2024_paper.pdf"))
        world.add(PagePaper(
            "pmlr", "/v235/lopez24a.html", "Synthetic Learning", ["Lopez, Ana", "Hopper, Grace"],
            "2024/07/08", "Proceedings of the 41st International Conference on Machine Learning",
            "We learn $f$ synthetically.", None, "lopez24a/lopez24a.pdf"))
        return world


# --------------------------------------------------------------------------- PubMed


def route_pubmed(world: HostWorld, prefix: str, path: str, query: str) -> Answer:
    params = parse_qs(query, keep_blank_values=True)
    ids_param = (params.get("id") or params.get("ids") or [""])[-1]
    ids = [i.strip() for i in ids_param.split(",") if i.strip()]
    if prefix == "/pmc-idconv":
        return _idconv(world, ids, query)
    if path == "/esummary.fcgi":
        if not ids:  # recorded: biopython_esummary_no-id_error.xml
            return 200, (b'<?xml version="1.0" ?>\n<!DOCTYPE eSummaryResult PUBLIC "-//NLM//DTD '
                         b'esummary v1 20041029//EN" "https://eutils.ncbi.nlm.nih.gov/eutils/dtd/'
                         b'20041029/esummary-v1.dtd">\n<eSummaryResult>\n<ERROR>Neither '
                         b"query_key nor id specified</ERROR>\n</eSummaryResult>\n"), XML
        return 200, _esummary(world, ids), JSON
    if path == "/efetch.fcgi":
        return 200, _efetch(world, ids), XML
    return 404, b"<html><body>404 Not Found</body></html>", HTML


def _esummary(world: HostWorld, ids: list[str]) -> bytes:
    result: dict[str, object] = {"uids": [i for i in ids if i in world.pubmed]}
    for uid in ids:
        paper = world.pubmed.get(uid)
        if paper is None:
            result[uid] = {"uid": uid, "error": "cannot get document summary"}
            continue
        articleids = [{"idtype": "pubmed", "idtypen": 1, "value": uid}]
        if paper.pmcid:
            articleids += [{"idtype": "pmc", "idtypen": 8, "value": paper.pmcid},
                           {"idtype": "pmcid", "idtypen": 5, "value": f"pmc-id: {paper.pmcid};"}]
        if paper.doi:
            articleids.append({"idtype": "doi", "idtypen": 3, "value": paper.doi})
        result[uid] = {
            "uid": uid, "pubdate": paper.pubdate, "epubdate": paper.epubdate,
            "source": paper.abbreviation,
            "authors": [{"name": f"{last} {''.join(w[0] for w in fore.split())}",
                         "authtype": "Author", "clusterid": ""} for fore, last in paper.authors],
            "title": paper.title, "pubtype": ["Journal Article"], "articleids": articleids,
            "fulljournalname": paper.journal,
            "elocationid": f"doi: {paper.doi}" if paper.doi else "",
        }
    body = {"header": {"type": "esummary", "version": "0.3"}, "result": result}
    return (json.dumps(body, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def _efetch(world: HostWorld, ids: list[str]) -> bytes:
    parts = ['<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD '
             'PubMedArticle, 1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/'
             'pubmed_250101.dtd">\n<PubmedArticleSet>\n']
    for uid in ids:
        paper = world.pubmed.get(uid)
        if paper is None:
            continue  # efetch leaves unknown ids out
        authors = "".join(f'<Author ValidYN="Y"><LastName>{escape(last)}</LastName><ForeName>'
                          f"{escape(fore)}</ForeName></Author>" for fore, last in paper.authors)
        abstract = (f"<Abstract><AbstractText>{paper.abstract}</AbstractText></Abstract>"
                    if paper.abstract else "")
        ids_xml = f'<ArticleId IdType="pubmed">{uid}</ArticleId>'
        if paper.doi:
            ids_xml += f'<ArticleId IdType="doi">{escape(paper.doi)}</ArticleId>'
        if paper.pmcid:
            ids_xml += f'<ArticleId IdType="pmc">{paper.pmcid}</ArticleId>'
        parts.append(
            f'<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">'
            f"{uid}</PMID><Article PubModel=\"Print-Electronic\"><Journal><Title>"
            f"{escape(paper.journal)}</Title></Journal><ArticleTitle>{escape(paper.title)}"
            f"</ArticleTitle>{abstract}<AuthorList CompleteYN=\"Y\">{authors}</AuthorList>"
            f"</Article></MedlineCitation><PubmedData><ArticleIdList>{ids_xml}</ArticleIdList>"
            f"</PubmedData></PubmedArticle>\n")
    parts.append("</PubmedArticleSet>\n")
    return "".join(parts).encode()


def _idconv(world: HostWorld, ids: list[str], query: str) -> Answer:
    by_pmcid = {p.pmcid: p for p in world.pubmed.values() if p.pmcid}
    records: list[dict[str, object]] = []
    for ident in ids:
        paper = by_pmcid.get(ident.upper())
        if paper is None:
            records.append({"pmcid": ident, "live": "false", "status": "error",
                            "errmsg": "invalid article id"})
        else:
            record: dict[str, object] = {"pmcid": paper.pmcid, "pmid": paper.pmid}
            if paper.doi:
                record["doi"] = paper.doi
            records.append(record)
    body = {"status": "ok", "responseDate": "2026-06-01 09:00:00",
            "request": query.replace("&", ";"), "records": records}
    return 200, json.dumps(body, indent=1).encode(), "application/json; charset=ISO-8859-1"


# --------------------------------------------------------------------------- proceedings


def route_proceedings(world: HostWorld, prefix: str, path: str, query: str) -> Answer:
    paper = world.pages.get((prefix.lstrip("/"), path))
    if paper is None:
        return 404, b"<html><body><h1>404 Not Found</h1></body></html>", HTML
    return 200, _page(paper).encode(), HTML


def _page(paper: PagePaper) -> str:
    date_tag = "citation_date" if paper.host == "aaai" else "citation_publication_date"
    container_tag = "citation_journal_title" if paper.host == "aaai" else \
        "citation_conference_title"
    tags = [("citation_title", paper.title)]
    tags += [("citation_author", name) for name in paper.authors]
    tags += [(date_tag, paper.date), (container_tag, paper.container)]
    if paper.pdf:
        tags.append(("citation_pdf_url", paper.pdf))
    if paper.doi:
        tags.append(("citation_doi", paper.doi))
    if paper.host == "acl":  # as recorded: content first, unquoted name
        head = "\n".join(f'<meta content="{escape(c)}" name={n}>' for n, c in tags)
        block = (f'<div class="card-body p-3 small acl-abstract"><h5 class="card-title">'
                 f"Abstract</h5><span>{escape(paper.abstract or '')}</span></div>")
    else:
        head = "\n".join(f'<meta name="{n}" content="{escape(c)}">' for n, c in tags)
        block = (f'<section class="item abstract"><h2 class="label">Abstract</h2>'
                 f"{escape(paper.abstract or '')}</section>" if paper.host == "aaai" else
                 f'<div id="abstract">{escape(paper.abstract or "")}</div>')
    if not paper.abstract:
        block = ""
    return (f"<!doctype html><html lang=en-us><head><meta charset=utf-8><title>"
            f"{escape(paper.title)}</title>\n{head}\n</head><body><h1>{escape(paper.title)}</h1>"
            f"{block}</body></html>")
