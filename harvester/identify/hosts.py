"""Per-host identifier rules: for a URL on a host this package knows, the link's kind and id
(the rules the docstring of ``harvester.identify`` lists, host by host).

Each rule is a :data:`Handler` taking ``(host, path, query)`` of a URL whose host (without
``www.``) is its key in :data:`HOST_HANDLERS`; arXiv's hosts (``export.arxiv.org``…) match
:data:`ARXIV_HOST`. Pure functions, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import parse_qs, unquote

from ..models import LinkKind

Handler = Callable[[str, str, str], "tuple[LinkKind, str | None]"]
"""Takes ``(host, path, query)`` of a URL on one host; returns its kind and id."""

# --------------------------------------------------------------------------------- arXiv

ARXIV_HOST = re.compile(r"^(?:[a-z0-9-]+\.)?arxiv\.org$")
_ARXIV_PATH = re.compile(
    r"^/(?:abs|pdf|html|ps|format)/(?:arxiv:)?"
    r"(?P<id>\d{2}(?:0[1-9]|1[0-2])\.\d{4,5}|[a-z][a-z-]*(?:\.[a-z]{2})?/\d{7})"
    r"(?P<version>v\d+)?(?![\d])",
    re.IGNORECASE,
)

# --------------------------------------------------------------------------------- DOIs

_DOI = re.compile(r"10\.\d{4,9}/\S+")
_DOI_TAIL = re.compile(
    r"(?:/(?:full|abstract|pdf|epdf|meta|fulltext|full-text|html|summary|references)|\.pdf)+$",
    re.IGNORECASE,
)
DOI_PATH = re.compile(r"/doi/(?:[a-z-]+/)?(10\.\d{4,9}/.+)$", re.IGNORECASE)
"""The ``/doi/[abs|full|pdf|…/]10.…`` paths publishers (ACM, Science, PNAS, Wiley…) use."""
_APS_PATH = re.compile(r"^/[^/]+/(?:abstract|pdf|fulltext)/(10\.\d{4,9}/.+)$")
_SPRINGER_PATH = re.compile(r"^/(?:article|chapter|content/pdf)/(10\.\d{4,9}/.+)$")
_AIP_PATH = re.compile(r"^/.*?/(10\.\d{4,9}/.+)$")
"""AIP pages carry a DOI only when their path holds one (most are ``/article/142/4/1784/…``)."""
_PREPRINT_DOI = re.compile(
    r"^(10\.(?:1101|64898)/(?:\d{4}\.\d{2}\.\d{2}\.)?\d{6,})(?:v\d+)?(?:[./][a-z-]+)*$"
)
_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(\d{4}\.\d{4,5})(?:v\d+)?$")
"""arXiv's own DataCite DOIs, ``10.48550/arXiv.2401.02429``: the arXiv id."""
_BIORXIV_PATH = re.compile(
    r"^/content/(?:(?P<doi>10\.\d{4,9}/(?:\d{4}\.\d{2}\.\d{2}\.)?\d+)"
    r"|(?:[a-z]+/)?early/\d{4}/\d{2}/\d{2}/(?P<number>\d+))"
)

# --------------------------------------------------------------------------------- proceedings

_NEURIPS_HOSTS = frozenset({"proceedings.neurips.cc", "papers.nips.cc", "papers.neurips.cc"})
_NEURIPS_PAPER = re.compile(
    r"^/paper(?:_files/paper)?/(?P<year>\d{4})/(?:hash|file)/(?P<hash>[0-9a-f]{32})", re.I
)
_NEURIPS_LEGACY = re.compile(
    r"^/paper/(?P<rest>\d+-[A-Za-z0-9-]+|by-source-\d{4}-\d+)(?:\.pdf)?/?$"
)
"""Old ``papers.nips.cc/paper/<n>-<slug>[.pdf]`` and ``/paper/by-source-<year>-<n>`` pages."""
_PMLR_PAPER = re.compile(r"^/(?P<vol>v\d+)/(?P<key>[A-Za-z0-9_-]+?)(?:\.html|\.pdf|/[^/]*)?$")
_ACL_PAPER = re.compile(
    r"^/(?:anthology/)?(?:[A-Z]/[A-Z]\d{2}/)?"
    r"(?P<key>\d{4}\.[a-z0-9-]+\.\d+|[A-Z]\d{2}-\d{4})(?:v\d+)?(?:\.pdf|\.bib)?/?$"
)
_CVF_PAPER = re.compile(
    r"^(?:/openaccess)?/(?:content/(?P<conf>[A-Za-z]+\d{4}[A-Za-z]*)"
    r"|content_(?P<c>[a-z]+)_(?P<y>\d{4})(?P<w>_workshops)?)"
    r"(?:/[\w-]+)?/(?:html|papers)/(?P<name>[^/]+?)\.(?:html|pdf)$",
    re.IGNORECASE,
)
_IJCAI_PAPER = re.compile(r"^/proceedings/(?P<year>\d{4})/(?P<number>\d+)(?:\.pdf)?/?$")
_AAAI_PAPER = re.compile(r"^/index\.php/AAAI/article/(?:view|download)/(?P<number>\d+)(?:/\d+)?/?$")

# --------------------------------------------------------------------------------- PubMed

_PMID_PATH = re.compile(r"^/(?:pubmed/)?(?P<pmid>\d{1,9})/?$")
_PMC_PATH = re.compile(r"^/(?:pmc/)?articles/(?P<pmc>PMC\d+)(?:/|$)", re.IGNORECASE)
_EUROPEPMC_PATH = re.compile(
    r"^/(?:article|abstract)/(?:MED/(?P<pmid>\d{1,9})|PMC/(?P<pmc>PMC\d+))/?$", re.IGNORECASE
)

# --------------------------------------------------------------------------------- GitHub

_GITHUB_OWNER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
"""Owners as GitHub has allowed them: accounts made before the current rules may end with ``-``
(``github.com/Name-/repo``)."""
_GITHUB_REPO = re.compile(r"^[A-Za-z0-9._-]+$")
# First path segments that are GitHub's own pages, not owners.
# fmt: off
_GITHUB_RESERVED = frozenset({
    "about", "account", "apps", "blog", "codespaces", "collections", "contact",
    "customer-stories", "dashboard", "enterprise", "events", "explore", "features", "git-guides",
    "home", "issues", "join", "login", "logout", "marketplace", "new", "notifications",
    "organizations", "orgs", "pricing", "pulls", "readme", "search", "security", "sessions",
    "settings", "site", "solutions", "sponsors", "stars", "team", "topics", "trending", "users",
    "watching", "why-github",
})
# fmt: on
_GITHUB_NOT_REPO_PAGES = frozenset({"issues", "pull", "pulls", "discussions"})


def _arxiv(host: str, path: str, query: str) -> tuple[LinkKind, str | None]:
    found = arxiv_path_id(path)
    return ("arxiv", found[0]) if found else ("web", None)


def arxiv_path_id(path: str) -> tuple[str, str | None] | None:
    match = _ARXIV_PATH.match(unquote(path))
    if match is None:
        return None
    ident = match.group("id")
    if "/" in ident:  # old style: the archive is lower-case, the subject class upper-case
        archive, number = ident.split("/")
        name, _, subject = archive.partition(".")
        ident = f"{name.lower()}{'.' + subject.upper() if subject else ''}/{number}"
    version = match.group("version")
    return ident, version.lower() if version else None


def _openreview(host: str, path: str, query: str) -> tuple[LinkKind, str | None]:
    params = parse_qs(query)
    ident = params.get("id", [""])[0].strip()
    page = path.rstrip("/")
    if page == "/attachment" and params.get("name", [""])[0] != "pdf":
        return "web", None  # supplementary material, not the paper's PDF
    if page in ("/forum", "/pdf", "/attachment") and ident:
        return "openreview", ident
    return "web", None


def _biorxiv(host: str, path: str, query: str) -> tuple[LinkKind, str | None]:
    match = _BIORXIV_PATH.match(unquote(path))
    if match is None:
        return "web", None
    return "biorxiv", (match.group("doi") or f"10.1101/{match.group('number')}").lower()


def _doi_org(host: str, path: str, query: str) -> tuple[LinkKind, str | None]:
    return doi_kind(path.lstrip("/"))


def doi_kind(text: str) -> tuple[LinkKind, str | None]:
    """Kind and id of a DOI written out: bioRxiv/medRxiv preprint DOIs are ``biorxiv``."""
    doi = _clean_doi(text)
    if doi is None:
        return "web", None
    preprint = _PREPRINT_DOI.match(doi)
    if preprint:
        return "biorxiv", preprint.group(1)
    arxiv = _ARXIV_DOI.match(doi)
    if arxiv:
        return "arxiv", arxiv.group(1)
    return "doi", doi


def _clean_doi(text: str) -> str | None:
    """``10.xxxx/…`` from text: URL-decoded, lower-cased, without trailing punctuation, an
    unbalanced ``)`` or a ``.pdf``/``/full``/``/abstract`` suffix."""
    match = _DOI.search(unquote(text).strip())
    if match is None:
        return None
    doi = match.group(0).lower()
    while True:
        stripped = _DOI_TAIL.sub("", doi.rstrip(".,;:]/'\""))
        if stripped.endswith(")") and stripped.count("(") < stripped.count(")"):
            stripped = stripped[:-1]
        if stripped == doi:
            break
        doi = stripped
    return doi if "/" in doi and not doi.endswith("/") else None


def _nature(host: str, path: str, query: str) -> tuple[LinkKind, str | None]:
    article = unquote(path).removeprefix("/articles/").split("/")[0].removesuffix(".pdf")
    if not path.startswith("/articles/") or not article:
        return "web", None
    return doi_kind(f"10.1038/{article}")


def _plos(host: str, path: str, query: str) -> tuple[LinkKind, str | None]:
    return doi_kind(parse_qs(query).get("id", [""])[0])


def _frontiers(host: str, path: str, query: str) -> tuple[LinkKind, str | None]:
    _, found, doi = unquote(path).partition("/articles/")
    return doi_kind(doi) if found else ("web", None)


def _path_doi(pattern: re.Pattern[str]) -> Handler:
    """A handler taking the DOI from the first group of ``pattern`` matched on the path."""

    def handler(host: str, path: str, query: str) -> tuple[LinkKind, str | None]:
        match = pattern.match(unquote(path))
        return doi_kind(match.group(1)) if match else ("web", None)

    return handler


def _neurips(host: str, path: str, query: str) -> tuple[LinkKind, str | None]:
    match = _NEURIPS_PAPER.match(path)
    if match:
        return "proceedings", f"neurips:{match.group('year')}:{match.group('hash').lower()}"
    legacy = _NEURIPS_LEGACY.match(path)
    if legacy:
        return "proceedings", f"neurips-legacy:{legacy.group('rest')}"
    return "proceedings", None


def _pmlr(host: str, path: str, query: str) -> tuple[LinkKind, str | None]:
    match = _PMLR_PAPER.match(path)
    if match:
        return "proceedings", f"pmlr:{match.group('vol')}:{match.group('key')}"
    return "proceedings", None


def _acl(host: str, path: str, query: str) -> tuple[LinkKind, str | None]:
    if host == "aclweb.org" and not path.startswith("/anthology/"):
        return "web", None
    match = _ACL_PAPER.match(path)
    return "proceedings", f"acl:{match.group('key')}" if match else None


def _acl_info(host: str, path: str, query: str) -> tuple[LinkKind, str | None]:
    """The former ``aclanthology.info/papers/<id>/<id>`` pages."""
    match = re.match(r"^/papers/(?P<key>[A-Z]\d{2}-\d{4}|\d{4}\.[a-z0-9-]+\.\d+)(?:/|$)", path)
    return "proceedings", f"acl:{match.group('key')}" if match else None


def _cvf(host: str, path: str, query: str) -> tuple[LinkKind, str | None]:
    match = _CVF_PAPER.match(unquote(path))
    if match is None:
        return "proceedings", None
    old = f"{match.group('c').upper()}{match.group('y')}" if match.group("c") else ""
    conf = match.group("conf") or old + ("W" if match.group("w") else "")
    return "proceedings", f"cvf:{conf}:{match.group('name')}"


def _cv_foundation(host: str, path: str, query: str) -> tuple[LinkKind, str | None]:
    if not path.startswith("/openaccess/"):
        return "web", None
    return _cvf(host, path, query)


def _ijcai(host: str, path: str, query: str) -> tuple[LinkKind, str | None]:
    if not path.startswith("/proceedings/"):
        return "web", None
    match = _IJCAI_PAPER.match(path)
    return "proceedings", f"ijcai:{match.group('year')}:{match.group('number')}" if match else None


def _aaai(host: str, path: str, query: str) -> tuple[LinkKind, str | None]:
    match = _AAAI_PAPER.match(path)
    return ("proceedings", f"aaai:{match.group('number')}") if match else ("web", None)


def _pubmed(host: str, path: str, query: str) -> tuple[LinkKind, str | None]:
    """PubMed and PMC article pages on NCBI's hosts."""
    if host == "pubmed.ncbi.nlm.nih.gov" or path.startswith("/pubmed/"):
        match = _PMID_PATH.match(path)
        return ("pubmed", f"pmid:{match.group('pmid')}") if match else ("web", None)
    pmc = _PMC_PATH.match(path)
    return ("pubmed", f"pmcid:{pmc.group('pmc').upper()}") if pmc else ("web", None)


def _europepmc(host: str, path: str, query: str) -> tuple[LinkKind, str | None]:
    accid = parse_qs(query).get("accid", [""])[0]
    if path == "/backend/ptpmcrender.fcgi" and re.fullmatch(r"PMC\d+", accid, re.IGNORECASE):
        return "pubmed", f"pmcid:{accid.upper()}"  # the PDF rendering of a PMC article
    match = _EUROPEPMC_PATH.match(path)
    if match is None:
        return "web", None
    if match.group("pmid"):
        return "pubmed", f"pmid:{match.group('pmid')}"
    return "pubmed", f"pmcid:{match.group('pmc').upper()}"


def _github(host: str, path: str, query: str) -> tuple[LinkKind, str | None]:
    segments = [unquote(s) for s in path.split("/") if s]
    if len(segments) < 2:
        return "web", None
    owner, repo = segments[0], segments[1].rstrip(";,:)'\"").removesuffix(".git")
    if owner.lower() in _GITHUB_RESERVED or not _GITHUB_OWNER.match(owner):
        return "web", None
    if not _GITHUB_REPO.match(repo) or repo in (".", ".."):
        return "web", None
    if len(segments) > 2 and segments[2].lower() in _GITHUB_NOT_REPO_PAGES:
        return "web", None
    return "github", f"{owner}/{repo}"


HOST_HANDLERS: dict[str, Handler] = {
    "openreview.net": _openreview,
    "biorxiv.org": _biorxiv,
    "medrxiv.org": _biorxiv,
    "connect.biorxiv.org": _biorxiv,
    "doi.org": _doi_org,
    "dx.doi.org": _doi_org,
    "proceedings.mlr.press": _pmlr,
    "aclanthology.org": _acl,
    "aclweb.org": _acl,
    "aclanthology.info": _acl_info,
    "openaccess.thecvf.com": _cvf,
    "cv-foundation.org": _cv_foundation,
    "ijcai.org": _ijcai,
    "ojs.aaai.org": _aaai,
    "pubmed.ncbi.nlm.nih.gov": _pubmed,
    "ncbi.nlm.nih.gov": _pubmed,
    "pmc.ncbi.nlm.nih.gov": _pubmed,
    "europepmc.org": _europepmc,
    "github.com": _github,
    "nature.com": _nature,
    "journals.plos.org": _plos,
    "frontiersin.org": _frontiers,
    "link.springer.com": _path_doi(_SPRINGER_PATH),
    "journals.aps.org": _path_doi(_APS_PATH),
    "pubs.aip.org": _path_doi(_AIP_PATH),
    **dict.fromkeys(_NEURIPS_HOSTS, _neurips),
}


def handler_for(host: str) -> Handler | None:
    """The rule of ``host`` (without ``www.``), or ``None`` for a host without one."""
    return _arxiv if ARXIV_HOST.match(host) else HOST_HANDLERS.get(host)
