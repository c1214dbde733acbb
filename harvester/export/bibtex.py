"""The catalogue's papers as BibTeX (see ``harvester.export`` for what each paper becomes).

Text fields are LaTeX-escaped, with LaTeX quotes (````…''``); words with capitals after their
first letter (``NDT3``, ``fMRI``, ``FALCON``) are braced so that styles which lower-case titles
keep them; ``url``, ``doi`` and ``eprint`` are verbatim fields and left as they are, except that
braces are percent-encoded.
"""

from __future__ import annotations

import re

from ..models import Catalog
from .cited import Cited, cited_papers, one_line, split_name

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
    return latex_escape(latex_quotes(one_line(text)))


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
    return "\n".join(bibtex_entry(key, cited) for key, cited in cited_papers(catalog))
