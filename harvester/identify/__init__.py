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

The rules per host are in :mod:`harvester.identify.hosts`; the article pages that carry no id,
and the labels that make a link a paper, in :mod:`harvester.identify.pages`.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, unquote, urlsplit

from ..models import Link, LinkKind
from .hosts import ARXIV_HOST, DOI_PATH, arxiv_path_id, doi_kind, handler_for
from .pages import NOT_PAPER_LABELS, PAPER_LABELS, publisher_page

__all__ = [
    "PAPER_KINDS",
    "UNSAFE_SCHEMES",
    "arxiv_id",
    "classify",
    "github_urls",
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

_IGNORED_SCHEMES = UNSAFE_SCHEMES | {"mailto", "tel"}
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_EMAIL = re.compile(r"^[^/:@\s]+@[^/:@\s]+\.[A-Za-z]{2,}$")


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
    if parts is None or not ARXIV_HOST.match(parts[0]):
        return None
    return arxiv_path_id(parts[1])


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
    return publisher_page(host, path.lower())


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
    if label in PAPER_LABELS:
        return True
    return unquote(path).lower().endswith(".pdf") and label not in NOT_PAPER_LABELS


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
        return doi_kind(url.split(":", 1)[1])
    parts = _split_target(url)
    if parts is None:
        return "web", None
    host, path, query = parts
    handler = handler_for(host)
    if handler is not None:
        return handler(host, path, query)
    doi_path = DOI_PATH.search(unquote(path))
    return doi_kind(doi_path.group(1)) if doi_path else ("web", None)


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
