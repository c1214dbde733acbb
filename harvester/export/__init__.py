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

Layout: :mod:`~harvester.export.cited` resolves each paper and makes the keys; ``bibtex``,
``csl`` and ``markdown`` write one format each.
"""

from __future__ import annotations

from .bibtex import bibtex_entry, latex_escape, latex_quotes, to_bibtex
from .cited import Cited, PaperType, citation_keys, cite, cite_from_list, paper_type, split_name
from .csl import csl_item, to_csl_json
from .markdown import markdown_row, to_markdown_table

__all__ = [
    "Cited",
    "PaperType",
    "bibtex_entry",
    "citation_keys",
    "cite",
    "cite_from_list",
    "csl_item",
    "latex_escape",
    "latex_quotes",
    "markdown_row",
    "paper_type",
    "split_name",
    "to_bibtex",
    "to_csl_json",
    "to_markdown_table",
]
