"""The catalogue in other people's formats: BibTeX, CSL-JSON and a Markdown table.

* :func:`to_bibtex` — one entry per catalogue entry with a paper: ``@article`` for a journal
  paper, ``@inproceedings`` for one accepted at (or published in the proceedings of) a
  conference, ``@misc`` otherwise (preprints: ``eprint`` + ``archivePrefix = {arXiv}``).
  Text fields are LaTeX-escaped; ``url``, ``doi`` and ``eprint`` are verbatim fields (biblatex,
  the ``url`` package) and are left as they are, except that braces are percent-encoded.
* :func:`to_csl_json` — the same papers as CSL-JSON items (citeproc, Zotero, Pandoc).
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
from typing import Any, Literal

from .models import Catalog, Entry, Paper

PaperType = Literal["journal", "conference", "preprint"]

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
_PREPRINT_VENUE = re.compile(r"\b(pre-?print|arxiv|biorxiv|medrxiv|ssrn)\b", re.IGNORECASE)

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


# --------------------------------------------------------------------------- shared helpers


def paper_type(paper: Paper) -> PaperType:
    """How a paper is cited: in a journal, in a conference's proceedings, or as a preprint."""
    venue = (paper.venue or "").strip()
    if paper.status not in ("published", "accepted") or not venue or _PREPRINT_VENUE.search(
            venue):
        if paper.status in ("published", "accepted") and paper.ids.proceedings:
            return "conference"
        return "preprint"
    if _CONFERENCE.search(venue) or paper.ids.proceedings:
        return "conference"
    return "journal"


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


def _papers(catalog: Catalog) -> Iterator[tuple[str, Entry, Paper]]:
    keys = citation_keys(catalog)
    seen: set[str] = set()
    for entry in catalog.entries:
        if entry.paper is None or entry.key in seen:
            continue
        seen.add(entry.key)
        yield keys[entry.key], entry, entry.paper


def _one_line(text: str) -> str:
    return " ".join(text.split())


# --------------------------------------------------------------------------- BibTeX


def latex_escape(text: str) -> str:
    """Escape LaTeX's special characters (``& % $ # _ { } ~ ^ \\``) in one pass."""
    return _LATEX_RE.sub(lambda m: _LATEX[m.group(0)], text)


def _protect_case(escaped_title: str) -> str:
    """Brace words with capitals after their first letter (``NDT3``, ``fMRI``) so that styles
    which lower-case titles keep them."""

    def protect(match: re.Match[str]) -> str:
        word = match.group(0)
        return "{" + word + "}" if re.search(r"(?<=.)[A-Z]", word) else word

    # The escapes latex_escape writes are lower-case commands: never protected.
    return re.sub(r"[A-Za-z0-9]+", protect, escaped_title)


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


def bibtex_entry(key: str, entry: Entry, paper: Paper) -> str:
    """One BibTeX entry."""
    kind = paper_type(paper)
    entry_type = {"journal": "article", "conference": "inproceedings", "preprint": "misc"}[kind]
    fields: list[tuple[str, str]] = [("title", _protect_case(latex_escape(_one_line(
        paper.title))))]
    if paper.authors:
        fields.append(("author", " and ".join(_bib_author(a.name) for a in paper.authors)))
    if paper.year is not None:
        fields.append(("year", str(paper.year)))
    venue = _clean_venue(paper.venue, paper.year)
    if kind == "journal" and venue:
        fields.append(("journal", latex_escape(venue)))
    elif kind == "conference" and venue:
        fields.append(("booktitle", latex_escape(venue)))
    elif kind == "preprint" and not paper.ids.arxiv and paper.ids.biorxiv:
        fields.append(("howpublished", "bioRxiv"))
    if paper.ids.doi:
        fields.append(("doi", _verbatim(paper.ids.doi)))
    elif paper.ids.biorxiv:
        fields.append(("doi", _verbatim(paper.ids.biorxiv)))
    url = _url(entry)
    if url:
        fields.append(("url", _verbatim(url)))
    if paper.ids.arxiv:
        fields.append(("eprint", _verbatim(paper.ids.arxiv)))
        fields.append(("archivePrefix", "arXiv"))
    if paper.abstract:
        fields.append(("abstract", latex_escape(_one_line(paper.abstract))))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{entry_type}{{{key},\n{body}\n}}\n"


def to_bibtex(catalog: Catalog) -> str:
    """Every entry with a paper, as BibTeX (UTF-8; entries in list order)."""
    return "\n".join(bibtex_entry(key, entry, paper) for key, entry, paper in _papers(catalog))


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


def _date_parts(paper: Paper) -> list[int] | None:
    if paper.published:
        y, m, d = (int(p) for p in paper.published.split("-"))
        return [y, m, d]
    if paper.year is not None:
        return [paper.year]
    return None


def csl_item(key: str, entry: Entry, paper: Paper) -> dict[str, Any]:
    """One CSL-JSON item (keys with no value are left out)."""
    kind = paper_type(paper)
    item: dict[str, Any] = {
        "id": key,
        "type": {"journal": "article-journal", "conference": "paper-conference",
                 "preprint": "article"}[kind],
        "title": _one_line(paper.title),
    }
    if paper.authors:
        item["author"] = [split_name(a.name) for a in paper.authors]
    parts = _date_parts(paper)
    if parts:
        item["issued"] = {"date-parts": [parts]}
    venue = _clean_venue(paper.venue, paper.year)
    if kind != "preprint" and venue:
        item["container-title"] = venue
    elif paper.ids.arxiv:
        item["publisher"] = "arXiv"
        item["number"] = f"arXiv:{paper.ids.arxiv}"
    elif paper.ids.biorxiv:
        item["publisher"] = "bioRxiv"
    doi = paper.ids.doi or paper.ids.biorxiv
    if doi:
        item["DOI"] = doi
    url = _url(entry)
    if url:
        item["URL"] = url
    if paper.abstract:
        item["abstract"] = paper.abstract.strip()
    return item


def to_csl_json(catalog: Catalog) -> str:
    """Every entry with a paper, as a CSL-JSON list (UTF-8, 2-space indent)."""
    items = [csl_item(key, entry, paper) for key, entry, paper in _papers(catalog)]
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
