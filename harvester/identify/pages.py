"""Paper pages that carry no identifier: article pages of publishers and proceedings sites
(IEEE Xplore, ScienceDirect and Cell ``pii`` pages, JMLR, MDPI, conference "virtual" poster
pages…), and the link labels that say a link is, or is not, the paper itself.
"""

from __future__ import annotations

import re

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
PAPER_LABELS = frozenset({
    "paper", "pdf", "preprint", "full text", "full paper", "article", "manuscript",
    "technical report", "tech report", "publication",
})  # fmt: skip
NOT_PAPER_LABELS = frozenset({
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


def publisher_page(host: str, path: str) -> bool:
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
