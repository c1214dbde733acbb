"""What is cited: every paper of the catalogue resolved to one :class:`Cited` record, so that
the BibTeX and CSL-JSON exports (``harvester.export``) say the same thing, and say what the
catalogue says (its ``venue`` and ``status``); and the citation keys both use.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from .. import venues
from ..models import Catalog, Entry, Paper, PaperIds

PaperType = Literal["journal", "conference", "preprint"]

# Conferences by the vocabulary's key: (short name, full name, how venue texts name it). A
# stand-in until the venue vocabulary supplies these; keys follow the catalogue's venue_key.
_CONFERENCES: dict[str, tuple[str, str, str]] = {
    "neurips": ("NeurIPS", "Advances in Neural Information Processing Systems",
                r"neurips|nips|neural information processing systems"),
    "iclr": ("ICLR", "International Conference on Learning Representations",
             r"iclr|international conference on learning representations"),
    "icml": ("ICML", "International Conference on Machine Learning",
             r"icml|international conference on machine learning"),
    "cvpr": ("CVPR", "IEEE/CVF Conference on Computer Vision and Pattern Recognition",
             r"cvpr|computer vision and pattern recognition"),
    "iccv": ("ICCV", "IEEE/CVF International Conference on Computer Vision",
             r"iccv|international conference on computer vision"),
    "eccv": ("ECCV", "European Conference on Computer Vision",
             r"eccv|european conference on computer vision"),
    "aaai": ("AAAI", "AAAI Conference on Artificial Intelligence", r"aaai"),
    "ijcai": ("IJCAI", "International Joint Conference on Artificial Intelligence", r"ijcai"),
    "acl": ("ACL", "Annual Meeting of the Association for Computational Linguistics",
            r"acl|association for computational linguistics"),
    "emnlp": ("EMNLP", "Conference on Empirical Methods in Natural Language Processing",
              r"emnlp|empirical methods in natural language processing"),
    "naacl": ("NAACL", "Conference of the North American Chapter of the Association for "
              "Computational Linguistics", r"naacl"),
    "aistats": ("AISTATS", "International Conference on Artificial Intelligence and Statistics",
                r"aistats|artificial intelligence and statistics"),
    "uai": ("UAI", "Conference on Uncertainty in Artificial Intelligence",
            r"uai|uncertainty in artificial intelligence"),
    "colt": ("COLT", "Conference on Learning Theory", r"colt|conference on learning theory"),
    "corl": ("CoRL", "Conference on Robot Learning", r"corl|conference on robot learning"),
    "miccai": ("MICCAI", "Medical Image Computing and Computer Assisted Intervention",
               r"miccai"),
    "kdd": ("KDD", "ACM SIGKDD Conference on Knowledge Discovery and Data Mining",
            r"kdd|sigkdd|knowledge discovery and data mining"),
    "interspeech": ("Interspeech", "Interspeech", r"interspeech"),
    "icassp": ("ICASSP", "IEEE International Conference on Acoustics, Speech and Signal "
               "Processing", r"icassp"),
    "cosyne": ("Cosyne", "Computational and Systems Neuroscience", r"cosyne"),
    "ccn": ("CCN", "Conference on Cognitive Computational Neuroscience",
            r"ccn|cognitive computational neuroscience"),
    "mlhc": ("MLHC", "Machine Learning for Healthcare Conference", r"mlhc"),
    "chil": ("CHIL", "Conference on Health, Inference, and Learning", r"chil"),
    "midl": ("MIDL", "Medical Imaging with Deep Learning", r"midl"),
}
_CONFERENCE_NAMES = [(key, re.compile(rf"\b({pattern})\b", re.IGNORECASE))
                     for key, (_, _, pattern) in _CONFERENCES.items()]
_PREPRINT_SERVERS = {"arxiv": "arXiv", "biorxiv": "bioRxiv", "medrxiv": "medRxiv"}

# Venue names (or words) that mark a conference, workshop or proceedings volume.
_CONFERENCE = re.compile(
    r"\b(conference|proceedings|proc\.|symposium|workshops?|congress|"
    r"neurips|nips|icml|iclr|cvpr|iccv|eccv|wacv|bmvc|aaai|ijcai|acl|emnlp|naacl|eacl|coling|"
    r"kdd|www|sigir|sigkdd|chi|uist|miccai|isbi|aistats|uai|colt|corl|rss|icra|iros|"
    r"interspeech|icassp|eusipco|mlhc|chil|midl|ipmi|ijcnn|embc|cosyne|ccn)\b"
    r"|advances in neural information processing systems"
    r"|international conference|annual meeting",
    re.IGNORECASE,
)
_PREPRINT_VENUE = re.compile(r"\b(pre-?prints?|arxiv|biorxiv|medrxiv|ssrn)\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
_PRESENTATION = re.compile(
    r"\b(oral|spotlight|poster|conference submission|submission|accepted|accept)\b",
    re.IGNORECASE)
_TRACK = re.compile(
    r"\b(datasets and benchmarks(?: track)?|findings|workshops?(?: on [^,;()]+)?)\b",
    re.IGNORECASE)
_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.", re.IGNORECASE)

_KEY_OK = re.compile(r"[A-Za-z0-9_-]+")
_KEY_BAD = re.compile(r"[^A-Za-z0-9_-]")


# --------------------------------------------------------------------------- what is cited


@dataclass
class Cited:
    """One paper as both exports cite it."""

    kind: PaperType
    title: str
    authors: list[str] = field(default_factory=list)
    year: int | None = None
    date: list[int] | None = None
    container: str | None = None
    """The journal's title, or the conference's name with its year and track."""
    server: str | None = None
    """For a preprint: arXiv, bioRxiv, medRxiv or OpenReview."""
    arxiv: str | None = None
    doi: str | None = None
    url: str | None = None
    abstract: str | None = None
    label: str | None = None
    """The entry's name in the list (BibTeX's ``key`` field where no author is known)."""


def _clean_venue(venue: str | None, year: int | None) -> str | None:
    """``NeurIPS 2023`` → ``NeurIPS`` when the year is known separately."""
    if not venue:
        return None
    venue = " ".join(venue.split())
    if year is not None:
        stripped = re.sub(rf"[\s,(]*{year}\)?\s*$", "", venue).strip()
        if stripped:
            venue = stripped
    return venue


def _conference_key(venue: str) -> str | None:
    for key, pattern in _CONFERENCE_NAMES:
        if pattern.search(venue):
            return key
    return None


def _track_words(track: str) -> str:
    track = " ".join(track.split())
    low = track.lower()
    if low.endswith("track") or low.startswith(("workshop", "findings")):
        return track[:1].upper() + track[1:]
    return track + " Track"


def _venue_facts(paper: Paper) -> tuple[str | None, int | None, str | None]:
    """(vocabulary key, venue year, track): the catalogue's fields, else what the venue
    vocabulary reads in the venue text, else the small table and patterns above."""
    venue = paper.venue or ""
    key = getattr(paper, "venue_key", None)
    year = getattr(paper, "venue_year", None)
    track = getattr(paper, "track", None)
    if key is None and venue:
        found = venues.match(venue)
        if found is not None:
            key, year, track = found.key, year or found.year, track or found.track
    key = key or _conference_key(venue)
    if year is None:
        years = _YEAR.findall(venue)
        year = int(years[-1]) if years else None
    if track is None:
        match = _TRACK.search(venue)
        track = match.group(0) if match else None
    return key, year, track


def _vocabulary_kind(key: str | None) -> str | None:
    venue = venues.vocabulary().venues.get(key) if key else None
    return venue.kind if venue is not None else None


def _booktitle(venue: str, key: str | None, year: int | None, track: str | None) -> str:
    known = venues.vocabulary().venues.get(key) if key else None
    if key in _CONFERENCES or known is not None:
        if key in _CONFERENCES:
            short, full, _ = _CONFERENCES[key]
        else:
            assert known is not None
            short, full = known.display, (known.names[0] if known.names else known.display)
        if full == short:
            text = f"{full} {year}" if year else full
        else:
            text = f"{full} ({short} {year})" if year else f"{full} ({short})"
    else:
        text = _PRESENTATION.sub("", _TRACK.sub("", venue))
        text = re.sub(r"\s*[,;]\s*(?=[,;]|$)", "", " ".join(text.split())).strip(" ,;")
        if year and str(year) not in text:
            text = f"{text} {year}"
    return f"{text}, {_track_words(track)}" if track else text


def paper_type(paper: Paper) -> PaperType:
    """How a paper is cited: in a journal, in a conference's proceedings, or as a preprint."""
    venue = (paper.venue or "").strip()
    if paper.status not in ("published", "accepted"):
        return "preprint"
    key, _, _ = _venue_facts(paper)
    kind = _vocabulary_kind(key)
    if kind == "preprint" or (kind is None and _PREPRINT_VENUE.search(venue)) or not venue:
        return "conference" if paper.ids.proceedings else "preprint"
    if kind == "conference" or key in _CONFERENCES:
        return "conference"
    if kind == "journal":
        return "journal"
    if _CONFERENCE.search(venue) or paper.ids.proceedings:
        return "conference"
    return "journal"


def _server(paper: Paper, entry: Entry) -> str | None:
    if paper.ids.arxiv:
        return "arXiv"
    if paper.ids.biorxiv:
        where = " ".join([paper.venue or "", paper.urls.landing or "",
                          *(link.url for link in entry.links)]).lower()
        return "medRxiv" if "medrxiv" in where else "bioRxiv"
    if paper.ids.openreview:
        return "OpenReview"
    return None


def cite(entry: Entry, paper: Paper) -> Cited:
    """What both exports say about ``paper``."""
    kind = paper_type(paper)
    cited = Cited(kind=kind, title=one_line(paper.title),
                  authors=[a.name for a in paper.authors], url=entry_url(entry),
                  abstract=paper.abstract.strip() if paper.abstract else None,
                  arxiv=paper.ids.arxiv, label=entry.name)
    if kind == "preprint":
        cited.year = paper.year
        cited.server = _server(paper, entry)
        cited.doi = paper.ids.doi or paper.ids.biorxiv
    else:
        key, venue_year, track = _venue_facts(paper)
        cited.year = venue_year or paper.year
        venue = paper.venue or ""
        if kind == "conference":
            cited.container = _booktitle(venue, key, cited.year, track) if venue else None
        else:
            cited.container = _clean_venue(venue, venue_year)
        doi = paper.ids.doi
        cited.doi = doi if doi and not _ARXIV_DOI.match(doi) else None
    if paper.published:
        parts = [int(p) for p in paper.published.split("-")]
        cited.date = parts if parts[0] == cited.year else None
    if cited.date is None and cited.year is not None:
        cited.date = [cited.year]
    return cited


_ID_KINDS = ("arxiv", "doi", "openreview", "biorxiv", "proceedings")


def cite_from_list(entry: Entry) -> Cited | None:
    """An entry the list calls a paper but the catalogue has no paper record for: cited from
    the list's own title, venue and identifiers (no authors: the list does not give them)."""
    if entry.kind != "paper":
        return None
    ids = {link.kind: link.id for link in reversed(entry.links)
           if link.kind in _ID_KINDS and link.id}
    venue = " ".join((entry.listed_venue or "").split()) or None
    title = one_line(entry.text or "") or entry.name
    if venue and title.endswith(venue) and len(title) > len(venue):
        title = title[: -len(venue)].rstrip(" .,;:([-—–")
    paper = Paper(title=title or entry.name, venue=venue, ids=PaperIds.model_validate(
        {k: v for k, v in ids.items() if k != "proceedings"}))
    found = _YEAR.findall(venue or "")
    paper.year = int(found[-1]) if found else None
    if venue and not _PREPRINT_VENUE.search(venue):
        paper.status = "accepted"
    cited = cite(entry, paper)
    if not cited.url and entry.links:
        cited.url = entry.links[0].url
    return cited


def entry_url(entry: Entry) -> str | None:
    if entry.paper is not None and entry.paper.urls.landing:
        return entry.paper.urls.landing
    return entry.links[0].url if entry.links else None


def citation_keys(catalog: Catalog) -> dict[str, str]:
    """Catalogue key → citation key (``[A-Za-z0-9_-]`` only, unique ignoring case). Keys that
    are already clean keep their spelling; the others get a ``-2``, ``-3``… suffix on a clash."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for entry in catalog.entries:
        if entry.key not in out and _KEY_OK.fullmatch(entry.key) and entry.key.lower() not in taken:
            taken.add(entry.key.lower())
            out[entry.key] = entry.key
    for entry in catalog.entries:
        if entry.key in out:
            continue
        base = _KEY_BAD.sub("", entry.key) or "entry"
        key, n = base, 1
        while key.lower() in taken:
            n += 1
            key = f"{base}-{n}"
        taken.add(key.lower())
        out[entry.key] = key
    return out


def cited_papers(catalog: Catalog) -> Iterator[tuple[str, Cited]]:
    """(citation key, what is cited) for every entry with a paper record, or which the list
    calls a paper."""
    keys = citation_keys(catalog)
    seen: set[str] = set()
    for entry in catalog.entries:
        if entry.key in seen:
            continue
        seen.add(entry.key)
        cited = cite(entry, entry.paper) if entry.paper is not None else cite_from_list(entry)
        if cited is not None:
            yield keys[entry.key], cited


def one_line(text: str) -> str:
    return " ".join(text.split())


# --------------------------------------------------------------------------- names

_PARTICLES = {"van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "dos", "das",
              "la", "le", "ten", "ter", "bin", "ibn", "al", "el", "zu", "y"}
_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}
_ORGANISATION = re.compile(
    r"\b(consortium|collaboration|laboratory|lab|team|group|initiative|project|network|"
    r"institute|university|society|foundation|committee|council|association|inc\.?|ltd\.?)\b",
    re.IGNORECASE,
)


def split_name(name: str) -> dict[str, str]:
    """A CSL name: ``Doe, Jane`` and ``Jane Doe`` → family Doe, given Jane; particles
    (``van``, ``de``…) stay with the family name, ``Jr.`` becomes the suffix; organisations and
    single words become a literal name."""
    name = one_line(name)
    if _ORGANISATION.search(name):
        return {"literal": name}
    if "," in name:
        family, _, rest = name.partition(",")
        rest_parts = [p.strip() for p in rest.split(",") if p.strip()]
        out = {"family": family.strip()}
        if rest_parts and rest_parts[0].lower() in _SUFFIXES and len(rest_parts) > 1:
            out["suffix"], out["given"] = rest_parts[0], rest_parts[1]
        elif rest_parts:
            out["given"] = rest_parts[0]
            if len(rest_parts) > 1 and rest_parts[1].lower() in _SUFFIXES:
                out["suffix"] = rest_parts[1]
        return out
    tokens = name.split()
    suffix = None
    if len(tokens) > 2 and tokens[-1].lower() in _SUFFIXES:
        suffix = tokens.pop()
    if len(tokens) < 2:
        return {"literal": name}
    start = len(tokens) - 1
    while start > 1 and tokens[start - 1].lower() in _PARTICLES:
        start -= 1
    out = {"family": " ".join(tokens[start:]), "given": " ".join(tokens[:start])}
    if suffix:
        out["suffix"] = suffix
    return out
