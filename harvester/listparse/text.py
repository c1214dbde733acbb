"""Text rules shared by the parser: whitespace, years, venue names and generic link labels.
Pure string functions; nothing here knows about fragments or tokens."""

from __future__ import annotations

import re

_WS = re.compile(r"\s+")
ALNUM = re.compile(r"[^\W_]")
LETTER = re.compile(r"[^\W\d_]")
YEAR = r"(?:19|20)\d{2}(?![\d]|\.\d{4,5})"
YEAR_TOKEN = re.compile(rf"(?<![\w.]){YEAR}|['‘’]\d{{2}}(?!\w)")

# Link labels that say what kind of link it is, not what the entry is (compared lower-case,
# punctuation removed).
# fmt: off
_GENERIC_LABELS = frozenset({
    "abs", "abstract", "arxiv", "bibtex", "biorxiv", "blog", "code", "codes", "data",
    "data portal", "dataset", "datasets", "demo", "doc", "docs", "documentation", "download",
    "github", "here", "home", "home page", "homepage", "hf", "html", "huggingface", "link",
    "links", "medrxiv", "model", "models", "official code", "openreview", "page", "paper",
    "papers", "pdf", "poster", "preprint", "project", "project page", "project website",
    "pubmed", "repo", "repository", "site", "slides", "source", "supplementary", "talk", "url",
    "video", "view documentation", "web", "webpage", "website", "weights",
})
# fmt: on


def is_generic_label(label: str) -> bool:
    """Labels that name the kind of link rather than the entry: paper, code, arXiv:ID, a
    venue…"""
    return is_kind_label(label) or venue_like(label)


def is_kind_label(label: str) -> bool:
    """Labels that say what kind of link it is and nothing else: paper, code, arXiv:ID, a
    bare URL (not a venue or a citation such as ``Lorenzen et al., 2021``)."""
    words = norm(re.sub(r"[^\w\s]", " ", label.lower()))
    if not words or words in _GENERIC_LABELS or words.endswith(" page"):
        return True
    return bool(re.match(r"(?i)^(?:arxiv|doi|pmid|pmc|isbn)\s*[:\s]\s*\S|^\W*\d|^https?://", label))


VENUE_NAMES = (
    r"NeurIPS|NIPS|ICLR|ICML|CVPR|ICCV|ECCV|WACV|BMVC|AAAI|IJCAI|ACL|EMNLP|NAACL|EACL|COLING|"
    r"CoNLL|Interspeech|ICASSP|KDD|SIGKDD|SIGSPATIAL|WWW|WSDM|SIGIR|CIKM|ICDM|SDM|ACM\s?MM|CHI|"
    r"Nature|Science|Cell|Neuron|eLife|PNAS|PLoS|PLOS|Frontiers|Front\.|arXiv|Arxiv|Preprint|"
    r"bioRxiv|medRxiv|TPAMI|PAMI|TNNLS|TKDE|TIP|TMI|JMLR|TMLR|NBDT|AISTATS|UAI|COLT|ALT|"
    r"MICCAI|ISBI|IPMI|MIDL|CoRL|RSS|ICRA|IROS|L4DC|CDC|IEEE|ACM|Neural\s+Computation|"
    r"Neural\s+Networks|Entropy|ISIT|JNE|J\.\s?Neural\s+Eng\.?|eNeuro|Journal|Transactions|"
    r"Proceedings|LoG|ICPR|ICIP|ACCV|3DV|ICME|SIGGRAPH|ISMIR|EMBC|NER|BCI|Scientific\s+Reports"
)
VENUE_AT_YEAR = re.compile(
    rf"(?<![\w-])(?:(?:{VENUE_NAMES})(?:[ \t]+[A-Za-z&][\w&.-]*){{0,4}}?"
    rf"(?:\s*,\s*|\.?\s+|\s*['‘’])(?:{YEAR}|(?<=['‘’])\d{{2}}(?!\w))"
    rf"|(?:{VENUE_NAMES})\d{{2}}(?!\w))",
    re.IGNORECASE,
)
VENUE_ONLY = re.compile(rf"^\W*(?:{VENUE_NAMES})\W*$", re.IGNORECASE)


def venue_like(text: str) -> bool:
    """A short phrase that is a venue: it holds a year (``ICLR 2026``) or a venue name only."""
    words = text.split()
    if not words or len(words) > 6:
        return False
    return bool(YEAR_TOKEN.search(text)) or bool(VENUE_ONLY.match(text))


def norm(text: str) -> str:
    return _WS.sub(" ", text).strip()


_EMPTY_PAIR = re.compile(r"\[[\s,;·|]*\]|\([\s,;·|]*\)")
_SEP_BEFORE_CLOSE = re.compile(r"\s*[,;·|]\s*(?=[)\]])")
_SEP_AFTER_OPEN = re.compile(r"(?<=[(\[])\s*[,;·|]\s*")
_SEP_RUN = re.compile(r"([,;·|])(?:\s*[,;·|])+")
_EDGE = " \t,;:·|\\-–—"


def tidy(text: str) -> str:
    """Normalise whitespace and drop the empty brackets and doubled separators left where
    link labels were removed (``Title [] [] · · x`` → ``Title · x``)."""
    text = norm(text)
    for _ in range(3):  # link groups nest at most [[…]]; a bound keeps this linear
        text = _EMPTY_PAIR.sub("", text)
    text = _SEP_BEFORE_CLOSE.sub("", text)
    text = _SEP_AFTER_OPEN.sub("", text)
    text = norm(_SEP_RUN.sub(r"\1", text)).strip(_EDGE)
    if text.startswith("[") and text.endswith("]") and text.count("[") == 1:
        text = text[1:-1].strip()  # a lone bracketed label: [EEG Data-X]
    return text
