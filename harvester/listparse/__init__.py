"""Awesome-list Markdown → entries. Pure: text in, :class:`ParsedList` out, no I/O.

The text is tokenised by markdown-it-py (CommonMark with tables and raw HTML); HTML blocks and
inline HTML tags go through the standard library's :class:`html.parser.HTMLParser`. Both feed
the same :class:`Fragment` builder, so an entry written in Markdown and one written in HTML are
read alike. Line numbers come from the token maps and ``HTMLParser.getpos``. Bare
``https://…`` URLs in text are links, as on GitHub.

Modules: :mod:`.entries` (what is returned; decoding), :mod:`.text` (word-level rules),
:mod:`.fragments` (a block's styled text and links), :mod:`.htmlblocks` (HTML),
:mod:`.heuristics` (names, venues, columns) and :mod:`.blocks` (the token walk).

What is an entry
    * a list item with a link. A nested item with links of its own is a separate entry; one
      without is part of its parent's text (a description sub-bullet);
    * a table row with a link, Markdown or HTML ``<table>``. An HTML table without a header row
      whose cells each hold a name and a link (a gallery of tools) gives one entry per cell;
    * a paragraph-level block with a link that opens like an entry, with bold text or a link:
      ``**Title**<br>authors<br>[[PDF](…)]``, ``**Title** [[link](…)] \\``, ``[Home](…) -
      [Paper](…)``, or one that carries a paper link labelled as a link (``(Arxiv 24.04.15)
      A Survey … [Paper](…) [Code](…)``; a badge). Other paragraphs that open with running
      prose are commentary (``the [first paper](…) on…``). A paragraph made only of link lines
      (``[[Data-A](…)]`` on each line), or whose every line is a paper of its own, gives one
      entry per line, and a title paragraph without links followed by a paragraph holding only
      its links is one block.

    An entry needs an absolute link (``http(s):``, ``doi:``): in-page ``#anchors`` are
    dropped, and blocks linking only repository files (``docs/x.md``) are navigation. Blocks
    holding nothing but images or badges are not entries, and neither are paragraphs before
    the first section heading (the list's introduction), unless no section heading ever comes:
    then the paragraphs that carry a paper link are entries.

Sections
    The first level-1 heading (Markdown or HTML ``<h1>``) is the list's title; every other
    heading opens a section. Headings lose badges, ``<sub>`` counts and a trailing colon; a
    linked heading (``## [Models](#top)``) keeps its label, whatever the words. A
    heading whose body is a table of contents (anchor-only bullets) is left out of the path.
    A paragraph that is only a short bold phrase (``**AAAI, ICLR**``) is a sub-heading of the
    current section until the next heading.

Per entry
    ``name``: the first bold text that is not a venue phrase or a number, else a quoted title
    after an author list (``A. Author. "Title".``), else the label of a link among the first
    three words, else the leading words (up to 12, cut at ``:``, `` - ``, ``. ``, `` (`` or a
    venue phrase; without a hand-written number ``7)``; of the first line only when the title
    stands on a line of its own: before a ``<br>``, before a line that opens with authors
    ``Alice Smith, Bob Jones``, or before a wide gap followed by a description), else the
    section heading, else the first URL. Table rows take it from the name/title column.

    ``text``: the entry's plain text, whitespace-normalised (line breaks become spaces),
    without images, generic link labels (``[[paper](…)]``, ``[code]``, ``[arXiv:2401.1]``) and
    the brackets and separators they leave. An entry written ``**NAME**: description`` has the
    description as its text; the venue phrase stays in. Table rows use the title column.

    ``listed_venue``, as written: the venue column of a table; else a bracketed venue or date
    opening the block (``(Arxiv 24.04.15) Title``, ``(**CVPR24 Workshop**) Title``); else the
    last italic/bold run
    holding a year (``*Preprint, 2000*``, ``(**ICLR 2026**)``, ``(*NeurIPS'24 D&B*)``); else
    the last known venue name followed by a year (``NeurIPS 2023``, ``Preprint, 2025``,
    ``Nature communications 2022``, ``NeurIPS19``); else a parenthesised phrase ending in a
    year (``(Neural Networks 2025)``); else an italic journal name up to the year after it
    (``Curr. Biol. 24(18) 921-929 (2014)``, ``NPJ Digit. Med. 2022``). Words of the entry's
    own title (its bold name or leading link label) never make its venue:
    ``**Sparse Neural Networks for Graph Matching.** ICLR 2018`` is "ICLR 2018".

    ``links``: every link in order, one per URL. A badge ``[![alt](img)](target)`` gives its
    target, labelled with the alt text; a bare image gives nothing, except a shields.io
    GitHub-stars badge, which gives its repository unless the entry links that repository.

    ``kind``: ``"paper"`` when a link points at a paper (:func:`~.identify.is_paper_link`): a
    paper host with or without an id, or a document labelled ``paper``/``pdf`` or a PDF on
    another site.

Warnings (each naming its line)
    ``javascript:``, ``data:`` and ``vbscript:`` links and empty targets are skipped; a whole
    Markdown link pasted as a target is repaired; two entries naming the same paper (arXiv,
    DOI, OpenReview, bioRxiv, PubMed or proceedings id; an arXiv DOI is its arXiv id) are both
    kept; lines nested deeper than markdown-it reads (its nesting limit) are named, since
    their entries are lost; a list without entries says so.
    :func:`decode_list` reports the lines that are not UTF-8.
"""

from __future__ import annotations

from .entries import ListEntry, ListWarning, ParsedList, decode_list

__all__ = ["ListEntry", "ListWarning", "ParsedList", "decode_list", "parse_list"]


def parse_list(text: str) -> ParsedList:
    """Parse an awesome list (see above for what becomes an entry).

    The parser (:mod:`.blocks` and markdown-it under it) is loaded at the first parse, not
    with this package: a run whose parse is cached (``harvester.parsecache``) never loads it.
    """
    from .blocks import parse_list as parse

    return parse(text)
