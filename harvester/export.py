"""The catalogue in other people's formats: BibTeX, CSL-JSON and a Markdown table.

Every paper is first resolved to one :class:`Cited` record, so that BibTeX and CSL-JSON say the
same thing, and say what the catalogue says (its ``venue`` and ``status``):

* a paper accepted at or published in a conference — ``@inproceedings`` /
  ``paper-conference``, the conference's name with its year and track as the booktitle
  (``Advances in Neural Information Processing Systems (NeurIPS 2024), Datasets and Benchmarks
  Track``), the year of the conference;
* a journal paper — ``@article`` / ``article-journal``;
* everything else (a preprint, a submission under review, a rejected or withdrawn one) —
  ``@misc`` with ``howpublished`` (``arXiv preprint arXiv:2407.21195``, ``bioRxiv preprint``)
  and, for arXiv, ``eprint`` + ``archivePrefix = {arXiv}`` / CSL ``article`` with the server as
  publisher.

The paper fields ``venue_key``, ``venue_year`` and ``track`` are used when the catalogue has
them; otherwise the venue vocabulary (:mod:`harvester.venues`) reads the venue text. Kinds and
long names come from the vocabulary, with a small table below for the booktitles of the main
conferences ("Advances in Neural Information Processing Systems", not the vocabulary's first
alias). An entry the
catalogue has no paper record for (an offline catalogue, a look-up that found nothing) but
which the list calls a paper is exported from the list's own title, venue and identifiers
(in BibTeX as ``@misc`` with the venue in ``howpublished``, since styles require an author for
``@inproceedings`` and ``@article``).

BibTeX text fields are LaTeX-escaped, with LaTeX quotes (````…''``); words with capitals after
their first letter (``NDT3``, ``fMRI``, ``FALCON``) are braced so that styles which lower-case
titles keep them; ``url``, ``doi`` and ``eprint`` are verbatim fields and left as they are,
except that braces are percent-encoded. A DOI that arXiv minted (``10.48550/arXiv.…``) is not
given for a conference or journal paper: there it would make the paper cite as arXiv.

* :func:`to_markdown_table` — every entry, in list order: name, venue, year, citations, stars,
  last push.

Citation keys are the catalogue keys reduced to ``[A-Za-z0-9_-]`` and made unique
(case-insensitively, since BibTeX and citeproc both fold case); BibTeX and CSL-JSON use the same
keys.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from . import venues
from .models import Catalog, Entry, Paper, PaperIds

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

_LATEX = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_LATEX_RE = re.compile("|".join(re.escape(c) for c in _LATEX))


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
    cited = Cited(kind=kind, title=_one_line(paper.title),
                  authors=[a.name for a in paper.authors], url=_url(entry),
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
    title = _one_line(entry.text or "") or entry.name
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


def _url(entry: Entry) -> str | None:
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


def _papers(catalog: Catalog) -> Iterator[tuple[str, Cited]]:
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


def _one_line(text: str) -> str:
    return " ".join(text.split())


# --------------------------------------------------------------------------- BibTeX


def latex_escape(text: str) -> str:
    """Escape LaTeX's special characters (``& % $ # _ { } ~ ^ \\``) in one pass."""
    return _LATEX_RE.sub(lambda m: _LATEX[m.group(0)], text)


def latex_quotes(text: str) -> str:
    """Straight and typographic quotes as LaTeX writes them: ````x''`` and ```x'``."""
    text = text.replace("\u201c", "``").replace("\u201d", "''")
    text = text.replace("\u2018", "`").replace("\u2019", "'")
    return re.sub(r'"', lambda m: "``" if m.start() == 0 or not m.string[m.start() - 1].strip()
                  or m.string[m.start() - 1] in "([{" else "''", text)


def _protect_case(escaped_title: str) -> str:
    """Brace words with capitals after their first letter (``NDT3``, ``fMRI``) so that styles
    which lower-case titles keep them."""

    def protect(match: re.Match[str]) -> str:
        word = match.group(0)
        return "{" + word + "}" if re.search(r"(?<=.)[A-Z]", word) else word

    # The escapes latex_escape writes are lower-case commands: never protected.
    return re.sub(r"[A-Za-z0-9]+", protect, escaped_title)


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
"""BibTeX's month macros (written unbraced: every style and biber define them)."""


def _bib_text(text: str) -> str:
    return latex_escape(latex_quotes(_one_line(text)))


def _verbatim(value: str) -> str:
    return value.replace("{", "%7B").replace("}", "%7D")


def _bib_author(name: str) -> str:
    """``Last, First`` (``Last, Jr., First``), unambiguous for BibTeX; an organisation or a
    single word is braced whole so that BibTeX does not split it."""
    parts = split_name(name)
    if "literal" in parts:
        return "{" + latex_escape(parts["literal"]) + "}"
    family = latex_escape(parts["family"])
    if re.search(r"\band\b", parts["family"], re.IGNORECASE) or "," in parts["family"]:
        family = "{" + family + "}"
    fields = [family]
    if parts.get("suffix"):
        fields.append(latex_escape(parts["suffix"]))
    if parts.get("given"):
        given = latex_escape(parts["given"])
        if re.search(r"\band\b", parts["given"], re.IGNORECASE):
            given = "{" + given + "}"
        fields.append(given)
    return ", ".join(fields)


def bibtex_entry(key: str, cited: Cited) -> str:
    """One BibTeX entry."""
    entry_type = {"journal": "article", "conference": "inproceedings",
                  "preprint": "misc"}[cited.kind]
    # BibTeX styles require an author for @article and @inproceedings; with none known (a
    # paper known only from the list) the venue goes into a @misc's howpublished.
    authorless = not cited.authors and cited.kind != "preprint"
    if authorless:
        entry_type = "misc"
    fields: list[tuple[str, str]] = [("title", _protect_case(_bib_text(cited.title)))]
    if cited.authors:
        fields.append(("author", " and ".join(_bib_author(a) for a in cited.authors)))
    elif cited.label:  # BibTeX sorts and labels an entry with no author by its key field
        fields.append(("key", _bib_text(cited.label)))
    if cited.year is not None:
        fields.append(("year", str(cited.year)))
    if cited.date and len(cited.date) > 1:
        fields.append(("month", _MONTHS[cited.date[1] - 1]))
    if authorless and cited.container:
        fields.append(("howpublished", _bib_text(cited.container)))
    elif cited.kind == "journal" and cited.container:
        fields.append(("journal", _bib_text(cited.container)))
    elif cited.kind == "conference" and cited.container:
        fields.append(("booktitle", _bib_text(cited.container)))
    elif cited.kind == "preprint" and cited.server:
        how = f"{cited.server} preprint" if cited.server != "OpenReview" else "OpenReview"
        if cited.server == "arXiv" and cited.arxiv:
            how += f" arXiv:{cited.arxiv}"
        fields.append(("howpublished", latex_escape(how)))
    if cited.doi:
        fields.append(("doi", _verbatim(cited.doi)))
    if cited.url:
        fields.append(("url", _verbatim(cited.url)))
    if cited.arxiv:
        fields.append(("eprint", _verbatim(cited.arxiv)))
        fields.append(("archivePrefix", "arXiv"))
    if cited.abstract:
        fields.append(("abstract", _bib_text(cited.abstract)))
    body = ",\n".join(f"  {name} = {value}" if name == "month" else f"  {name} = {{{value}}}"
                      for name, value in fields)
    return f"@{entry_type}{{{key},\n{body}\n}}\n"


def to_bibtex(catalog: Catalog) -> str:
    """Every paper, as BibTeX (UTF-8; entries in list order)."""
    return "\n".join(bibtex_entry(key, cited) for key, cited in _papers(catalog))


# --------------------------------------------------------------------------- CSL-JSON

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
    name = _one_line(name)
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


def csl_item(key: str, cited: Cited) -> dict[str, Any]:
    """One CSL-JSON item (keys with no value are left out)."""
    item: dict[str, Any] = {
        "id": key,
        "type": {"journal": "article-journal", "conference": "paper-conference",
                 "preprint": "article"}[cited.kind],
        "title": cited.title,
    }
    if cited.authors:
        item["author"] = [split_name(a) for a in cited.authors]
    if cited.date:
        item["issued"] = {"date-parts": [cited.date]}
    if cited.container:
        item["container-title"] = cited.container
    elif cited.server:
        item["publisher"] = cited.server
        if cited.server != "OpenReview":
            item["genre"] = "Preprint"
        if cited.server == "arXiv" and cited.arxiv:
            item["number"] = f"arXiv:{cited.arxiv}"
    if cited.doi:
        item["DOI"] = cited.doi
    if cited.url:
        item["URL"] = cited.url
    if cited.abstract:
        item["abstract"] = cited.abstract
    return item


def to_csl_json(catalog: Catalog) -> str:
    """Every paper, as a CSL-JSON list (UTF-8, 2-space indent)."""
    items = [csl_item(key, cited) for key, cited in _papers(catalog)]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


# --------------------------------------------------------------------------- Markdown table

_MD_TEXT = re.compile(r"([\\`*_\[\]<>|])")
_URL_UNSAFE = {" ": "%20", "|": "%7C", "(": "%28", ")": "%29", "<": "%3C", ">": "%3E"}


def _md_text(text: str) -> str:
    return _MD_TEXT.sub(r"\\\1", _one_line(text))


def _md_url(url: str) -> str:
    return "".join(_URL_UNSAFE.get(c, c) for c in url.strip())


def _unknown(value: object) -> str:
    return "—" if value is None else str(value)


def markdown_row(entry: Entry) -> list[str]:
    """The cells of one entry's row."""
    paper = entry.paper
    url = _url(entry)
    name = _md_text(entry.name) or "—"
    if url:
        name = f"[{name}]({_md_url(url)})"
    venue = (paper.venue if paper else None) or entry.listed_venue
    stars = sum(r.stars for r in entry.repos) if entry.repos else None
    pushes = [r.pushed_at[:10] for r in entry.repos if r.pushed_at]
    return [
        name,
        _md_text(venue) if venue else "—",
        _unknown(paper.year if paper else None),
        _unknown(paper.citation_count if paper else None),
        _unknown(stars),
        max(pushes) if pushes else "—",
    ]


def to_markdown_table(catalog: Catalog) -> str:
    """Every entry, in list order, as a GitHub-flavoured Markdown table."""
    lines = [
        "| name | venue | year | citations | stars | last push |",
        "|---|---|---:|---:|---:|---|",
    ]
    lines.extend("| " + " | ".join(markdown_row(entry)) + " |" for entry in catalog.entries)
    return "\n".join(lines) + "\n"
