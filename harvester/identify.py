"""URL → typed identifier: which paper or repository a list link points at.

Pure functions, no I/O. :func:`classify` turns one link target into a
:class:`~harvester.models.Link` (``kind`` + ``id``), or ``None`` when the target is not something
to follow: ``javascript:``, ``data:``, ``vbscript:``, ``mailto:``, bare e-mail addresses, empty
targets and in-page ``#anchors``. Hosts match case-insensitively, with or without ``www.``.

``arxiv``
    ``arxiv.org`` (also ``export.``) ``/abs/``, ``/pdf/`` (with or without ``.pdf``) and
    ``/html/``; new ids (``2310.16046``, ``0704.0001``) and old-style ids (``cond-mat/0305641``),
    each with an optional version. ``%2F`` and trailing junk (``%29``, ``)``) are tolerated. The id
    is stored without its version; :func:`arxiv_id` returns the version separately. arXiv's
    DataCite DOIs (``10.48550/arXiv.2401.02429``, on ``doi.org`` or a publisher's ``/doi/``
    path) are arXiv links too, so one paper listed by both is one id.
``openreview``
    ``openreview.net/forum?id=X``, ``/pdf?id=X`` and ``/attachment?id=X&name=pdf`` (other query
    keys ignored) → ``X``.
``biorxiv``
    bioRxiv and medRxiv ``/content/10.1101/…`` (and the ``10.64898`` prefix), with ``v1``,
    ``.abstract``, ``.full``, ``.full.pdf``, ``.full-text``…; ``/content/early/…/613141`` pages;
    ``doi.org/10.1101/…`` with a preprint-shaped suffix → the bare DOI, lower-cased.
``doi``
    ``doi.org``/``dx.doi.org``, ``doi:10.…``, ``nature.com/articles/<id>`` (→ ``10.1038/<id>``),
    ``/doi/[abs|full|pdf|fullHtml|…/]10.…`` paths on publisher hosts (ACM, Science, PNAS, Wiley,
    Taylor & Francis, MIT Press…), ``link.springer.com/{article,chapter,content/pdf}/10.…``,
    ``frontiersin.org/…/articles/10.…`` and PLOS ``?id=10.…`` → the DOI URL-decoded,
    lower-cased, without trailing punctuation, ``.pdf``, ``/full`` or ``/abstract``.
``pubmed``
    ``pubmed.ncbi.nlm.nih.gov/<n>``, ``ncbi.nlm.nih.gov/pubmed/<n>`` and Europe PMC
    ``/article/MED/<n>`` → ``pmid:<n>``; ``ncbi.nlm.nih.gov/pmc/articles/PMC<n>``,
    ``pmc.ncbi.nlm.nih.gov/articles/PMC<n>`` and Europe PMC ``/article/PMC/PMC<n>`` →
    ``pmcid:PMC<n>``.
``proceedings``
    NeurIPS (``proceedings.neurips.cc``, ``papers.nips.cc``) hash pages and PDFs →
    ``neurips:<year>:<hash>``; old ``papers.nips.cc/paper/<n>-<slug>[.pdf]`` and
    ``/paper/by-source-<year>-<n>`` → ``neurips-legacy:<rest>``; PMLR ``/v202/x23a.html`` and
    ``/v202/x23a/x23a.pdf`` → ``pmlr:v202:x23a``; ACL Anthology (``aclanthology.org``,
    ``aclweb.org/anthology``; ``.pdf``, ``.bib``, ``v2`` dropped) → ``acl:2023.acl-long.1``,
    ``acl:P19-1001``; CVF open access (``openaccess.thecvf.com``, old
    ``cv-foundation.org/openaccess``) → ``cvf:CVPR2023:X_paper`` (``CVPR2018W`` for old
    workshop paths); ``ijcai.org/proceedings/2023/0123[.pdf]`` → ``ijcai:2023:0123``;
    ``ojs.aaai.org/index.php/AAAI/article/view/<n>[/<galley>]`` → ``aaai:<n>``. Any other page
    of these proceedings sites (a year index such as ``/paper/2023``) is ``proceedings`` with id
    ``None``.
``github``
    ``github.com/OWNER/REPO`` (also ``/tree/…``, ``/blob/…``, ``/releases``, ``/wiki``,
    ``.git``, a trailing ``/`` or ``#readme``; an old owner may end with ``-``) →
    ``OWNER/REPO`` as written. Issue, pull-request
    and discussion links, profiles, reserved pages (``orgs``, ``topics``…), gists, github.io
    sites and ``*.githubusercontent.com`` are ``web``.
``web``
    Everything else, relative URLs included.

:func:`is_paper_host` also recognises article pages that carry no usable id: IEEE Xplore,
ScienceDirect and Cell (``pii`` pages), other AAAI pages, JMLR, MDPI, conference "virtual"
poster pages…
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import parse_qs, unquote, urlsplit

from .models import Link, LinkKind

__all__ = [
    "PAPER_KINDS",
    "UNSAFE_SCHEMES",
    "arxiv_id",
    "classify",
    "is_paper_host",
    "is_paper_link",
    "scheme_of",
]

PAPER_KINDS: frozenset[str] = frozenset(
    {"arxiv", "openreview", "doi", "biorxiv", "proceedings", "pubmed"}
)
"""Link kinds that always point at a paper."""

UNSAFE_SCHEMES = frozenset({"javascript", "data", "vbscript"})
"""Schemes whose links are dropped, with a warning from the list parser."""

_Handler = Callable[[str, str, str], "tuple[LinkKind, str | None]"]
"""Takes ``(host, path, query)`` of a URL on one host; returns its kind and id."""

_IGNORED_SCHEMES = UNSAFE_SCHEMES | {"mailto", "tel"}
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_EMAIL = re.compile(r"^[^/:@\s]+@[^/:@\s]+\.[A-Za-z]{2,}$")

# --------------------------------------------------------------------------------- arXiv

_ARXIV_HOST = re.compile(r"^(?:[a-z0-9-]+\.)?arxiv\.org$")
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
_DOI_PATH = re.compile(r"/doi/(?:[a-z-]+/)?(10\.\d{4,9}/.+)$", re.IGNORECASE)
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

# --------------------------------------------------------------------------------- paper hosts

_PAPER_PAGES: dict[str, str] = {
    # host (without www.; subdomains match too) -> regex the path must start with
    "aaai.org": r"/(?:papers|ojs|ocs)/",
    "academic.oup.com": r"/[^/]+/article",
    "aclweb.org": r"/anthology/",
    "annualreviews.org": r"/doi/",
    "cell.com": r"/(?:[^/]+/)+(?:fulltext|abstract|pdf)/",
    "direct.mit.edu": r"/[^/]+/article",
    "ecva.net": r"/papers/",
    "hal.science": r"/hal-\d+",
    "elifesciences.org": r"/articles/",
    "europepmc.org": r"/(?:article|abstract)/",
    "ieeexplore.ieee.org": r"/(?:abstract/)?document/|/stamp/|/xpls?/",
    "ijcai.org": r"/proceedings/",
    "iopscience.iop.org": r"/article/",
    "isca-archive.org": r"/\w+_\d{4}/",
    "isca-speech.org": r"/archive",
    "jmlr.org": r"/papers/",
    "jneurosci.org": r"/content/",
    "journals.aps.org": r"/[^/]+/(?:abstract|pdf)/",
    "journals.plos.org": r"/[^/]+/article",
    "link.springer.com": r"/(?:article|chapter|content)/",
    "mdpi.com": r"/\d{4}-\d{4}/",
    "ncbi.nlm.nih.gov": r"/pmc/articles/",
    "ojs.aaai.org": r"/index\.php/[^/]+/article/",
    "papers.miccai.org": r"/miccai-\d{4}/",
    "osf.io": r"/preprints/",
    "papers.ssrn.com": r"/sol3/papers",
    "psyarxiv.com": r"/\w{4,}",
    "pnas.org": r"/(?:doi|content)/",
    "pubs.aip.org": r"/[^/]+/[^/]+/article",
    "pubmed.ncbi.nlm.nih.gov": r"/\d+",
    "researchgate.net": r"/publication/",
    "sciencedirect.com": r"/science/article/",
    "sciencemag.org": r"/content/",
    "semanticscholar.org": r"/paper/",
}
# Link labels that say the link is the paper itself, and labels of PDFs that are not papers
# (compared lower-case, punctuation removed).
_PAPER_LABELS = frozenset({
    "paper", "pdf", "preprint", "full text", "full paper", "article", "manuscript",
    "technical report", "tech report", "publication",
})  # fmt: skip
_NOT_PAPER_LABELS = frozenset({
    "slides", "slide", "poster", "supplementary", "supp", "supplement", "appendix", "data",
    "dataset", "datasheet", "manual", "documentation", "docs", "brochure", "cv", "talk",
})  # fmt: skip
_VIRTUAL_POSTER = re.compile(
    r"^/virtual/\d{4}/(?:poster|oral|spotlight)/|^/virtual_\d{4}/(?:poster|oral|spotlight)_"
)
_CONFERENCE_SITES = re.compile(
    r"^(?:(?:iclr|icml|neurips|nips)\.cc|(?:cvpr|iccv|eccv)\.thecvf\.com)$"
)
_IJCAI_PREPRINTS = re.compile(r"^ijcai-preprints\.s3[.\w-]*\.amazonaws\.com$")


# ========================================================================== public functions


def scheme_of(url: str) -> str | None:
    """The URL's scheme, lower-cased, ignoring the whitespace and control characters browsers
    ignore (so ``"java\\tscript:"`` is ``"javascript"``); ``None`` for a relative URL."""
    match = _SCHEME.match(_CONTROL.sub("", url))
    return match.group(1).lower() if match else None


def classify(url: str, label: str | None = None) -> Link | None:
    """Classify one link target; ``None`` when it must be skipped (see the module docstring)."""
    url = url.strip()
    if _is_skipped(url):
        return None
    kind, ident = _kind_and_id(url)
    return Link(label=label, url=url, kind=kind, id=ident)


def arxiv_id(url: str) -> tuple[str, str | None] | None:
    """``(id, version)`` of an arXiv abs/pdf/html URL, e.g. ``("2310.16046", "v2")``; the
    version is ``None`` when the URL names none. ``None`` for any other URL."""
    parts = _split(url)
    if parts is None or not _ARXIV_HOST.match(parts[0]):
        return None
    return _arxiv_path_id(parts[1])


def is_paper_host(url: str) -> bool:
    """Whether the URL is a paper's page on a preprint server, publisher or proceedings site,
    whether or not an identifier can be taken from it."""
    url = url.strip()
    if _is_skipped(url):
        return False
    kind, _ = _kind_and_id(url)
    if kind in PAPER_KINDS:
        return True
    parts = _split_target(url)
    if parts is None:
        return False
    host, path, _ = parts
    return _publisher_page(host, path.lower())


def is_paper_link(link: Link) -> bool:
    """Whether a list's link points at a paper: a paper host (:func:`is_paper_host`), or a
    document on another site that is a paper by its label (``paper``, ``pdf``, ``preprint``…)
    or by being a PDF not labelled as something else (slides, a poster, data). Files of GitHub
    repositories are the repository's, not papers."""
    if link.kind in PAPER_KINDS or is_paper_host(link.url):
        return True
    parts = _split(link.url)
    if parts is None or link.kind == "github":
        return False
    host, path, _ = parts
    if host == "github.com" or host.endswith(".githubusercontent.com"):
        return False
    label = " ".join(re.sub(r"[^\w\s]", " ", (link.label or "").lower()).split())
    if label in _PAPER_LABELS:
        return True
    return unquote(path).lower().endswith(".pdf") and label not in _NOT_PAPER_LABELS


# ========================================================================== helpers


def _is_skipped(url: str) -> bool:
    if not url or url.startswith("#"):
        return True
    if scheme_of(url) in _IGNORED_SCHEMES:
        return True
    return bool(_EMAIL.match(url))


def _split(url: str) -> tuple[str, str, str] | None:
    """``(host without www., path, query)`` of an absolute http(s) URL, else ``None``."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    return host.removeprefix("www."), parts.path, parts.query


def _split_target(url: str) -> tuple[str, str, str] | None:
    """:func:`_split` of the URL, or of the page a Google search redirect
    (``google.com/url?…&url=<target>``) leads to."""
    parts = _split(url)
    if parts is None or parts[0] != "google.com" or parts[1] != "/url":
        return parts
    params = parse_qs(parts[2])
    target = (params.get("url") or params.get("q") or [""])[0].strip()
    return _split(target) or parts


def _kind_and_id(url: str) -> tuple[LinkKind, str | None]:
    if scheme_of(url) == "doi":
        return _doi_kind(url.split(":", 1)[1])
    parts = _split_target(url)
    if parts is None:
        return "web", None
    host, path, query = parts
    handler = _arxiv if _ARXIV_HOST.match(host) else _HOST_HANDLERS.get(host)
    if handler is not None:
        return handler(host, path, query)
    doi_path = _DOI_PATH.search(unquote(path))
    return _doi_kind(doi_path.group(1)) if doi_path else ("web", None)


def _arxiv(host: str, path: str, query: str) -> tuple[LinkKind, str | None]:
    found = _arxiv_path_id(path)
    return ("arxiv", found[0]) if found else ("web", None)


def _arxiv_path_id(path: str) -> tuple[str, str | None] | None:
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
    return _doi_kind(path.lstrip("/"))


def _doi_kind(text: str) -> tuple[LinkKind, str | None]:
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
    return _doi_kind(f"10.1038/{article}")


def _plos(host: str, path: str, query: str) -> tuple[LinkKind, str | None]:
    return _doi_kind(parse_qs(query).get("id", [""])[0])


def _frontiers(host: str, path: str, query: str) -> tuple[LinkKind, str | None]:
    _, found, doi = unquote(path).partition("/articles/")
    return _doi_kind(doi) if found else ("web", None)


def _path_doi(pattern: re.Pattern[str]) -> _Handler:
    """A handler taking the DOI from the first group of ``pattern`` matched on the path."""

    def handler(host: str, path: str, query: str) -> tuple[LinkKind, str | None]:
        match = pattern.match(unquote(path))
        return _doi_kind(match.group(1)) if match else ("web", None)

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


_HOST_HANDLERS: dict[str, _Handler] = {
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


def _publisher_page(host: str, path: str) -> bool:
    """Whether ``host`` + ``path`` is an article page on a publisher or proceedings site."""
    if _CONFERENCE_SITES.match(host):
        return bool(_VIRTUAL_POSTER.match(path))
    if _IJCAI_PREPRINTS.match(host):
        return path.endswith(".pdf")
    while host:  # the most specific listed host wins: pubmed.ncbi… before ncbi…
        if host in _PAPER_PAGES:
            return re.match(_PAPER_PAGES[host], path) is not None
        host = host.partition(".")[2]
    return False


_GITHUB = re.compile(
    r"(?<![\w.-])(?:www\.)?github\.com/([A-Za-z0-9][A-Za-z0-9-]*)/([\w.-]+)",
    re.I,
)
_GITHUB_NOT_OWNERS = {
    "about",
    "apps",
    "collections",
    "enterprise",
    "explore",
    "features",
    "join",
    "login",
    "marketplace",
    "orgs",
    "pricing",
    "search",
    "settings",
    "site",
    "sponsors",
    "topics",
    "trending",
    "users",
}


def github_urls(*texts: str | None) -> list[str] | None:
    """``https://github.com/owner/repo`` for each repository URL in the texts (first spelling)."""
    found: dict[str, str] = {}
    for text in texts:
        for owner, repo in _GITHUB.findall(text or ""):
            repo = re.sub(r"\.git$", "", repo.rstrip(".")).rstrip(".")
            if repo and owner.lower() not in _GITHUB_NOT_OWNERS:
                url = f"https://github.com/{owner}/{repo}"
                found.setdefault(url.lower(), url)
    return list(found.values()) or None
