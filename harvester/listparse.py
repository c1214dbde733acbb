"""Awesome-list Markdown → entries. Pure: text in, :class:`ParsedList` out, no I/O.

The text is tokenised by markdown-it-py (CommonMark with tables and raw HTML); HTML blocks and
inline HTML tags go through the standard library's :class:`html.parser.HTMLParser`. Both feed
the same :class:`_Fragment` builder, so an entry written in Markdown and one written in HTML are
read alike. Line numbers come from the token maps and ``HTMLParser.getpos``. Bare
``https://…`` URLs in text are links, as on GitHub.

What is an entry
    * a list item with a link. A nested item with links of its own is a separate entry; one
      without is part of its parent's text (a description sub-bullet);
    * a table row with a link, Markdown or HTML ``<table>``. An HTML table without a header row
      whose cells each hold a name and a link (a gallery of tools) gives one entry per cell;
    * a paragraph-level block with a link that opens like an entry, with bold text or a link:
      ``**Title**<br>authors<br>[[PDF](…)]``, ``**Title** [[link](…)] \\``, ``[Home](…) -
      [Paper](…)``. Paragraphs that open with running prose are commentary. A paragraph made
      only of link lines (``[[Data-A](…)]`` on each line) gives one entry per line, and a title
      paragraph without links followed by a paragraph holding only its links is one block.

    An entry needs an absolute link (``http(s):``, ``doi:``): in-page ``#anchors`` are
    dropped, and blocks linking only repository files (``docs/x.md``) are navigation. Blocks
    holding nothing but images or badges are not entries, and neither are paragraphs before
    the first section heading (the list's introduction).

Sections
    The first level-1 heading (Markdown or HTML ``<h1>``) is the list's title; every other
    heading opens a section. Headings lose badges, ``<sub>`` counts and a trailing colon. A
    heading whose body is a table of contents (anchor-only bullets) is left out of the path.
    A paragraph that is only a short bold phrase (``**AAAI, ICLR**``) is a sub-heading of the
    current section until the next heading.

Per entry
    ``name``: the first bold text that is not a venue phrase or a number, else a quoted title
    after an author list (``A. Author. "Title".``), else the label of a link among the first
    three words, else the leading words (up to 12, cut at ``:``, `` - ``, ``. ``, `` (`` or a
    venue phrase), else the section heading, else the first URL. Table rows take it from the
    name/title column.

    ``text``: the entry's plain text, whitespace-normalised (line breaks become spaces),
    without images, generic link labels (``[[paper](…)]``, ``[code]``, ``[arXiv:2401.1]``) and
    the brackets and separators they leave. An entry written ``**NAME**: description`` has the
    description as its text; the venue phrase stays in. Table rows use the title column.

    ``listed_venue``, as written: the venue column of a table; else the last italic/bold run
    holding a year (``*Preprint, 2000*``, ``(**ICLR 2026**)``, ``(*NeurIPS'24 D&B*)``); else
    the last known venue name followed by a year (``NeurIPS 2023``, ``Preprint, 2025``,
    ``Nature communications 2022``, ``NeurIPS19``); else a parenthesised phrase ending in a
    year (``(Neural Networks 2025)``); else an italic journal name up to the year after it
    (``Curr. Biol. 24(18) 921-929 (2014)``, ``NPJ Digit. Med. 2022``).

    ``links``: every link in order, one per URL. A badge ``[![alt](img)](target)`` gives its
    target, labelled with the alt text; a bare image gives nothing, except a shields.io
    GitHub-stars badge, which gives its repository unless the entry links that repository.

    ``kind``: ``"paper"`` when a link is on a paper host (:func:`~.identify.is_paper_host`).

Warnings (each naming its line)
    ``javascript:``, ``data:`` and ``vbscript:`` links and empty targets are skipped; a whole
    Markdown link pasted as a target is repaired; two entries naming the same paper (arXiv,
    DOI, OpenReview, bioRxiv or proceedings id) are both kept; a list without entries says so.
    :func:`decode_list` reports the lines that are not UTF-8.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from itertools import pairwise
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .identify import PAPER_KINDS, UNSAFE_SCHEMES, classify, is_paper_host, scheme_of
from .models import Link

__all__ = ["ListEntry", "ListWarning", "ParsedList", "decode_list", "parse_list"]


@dataclass
class ListWarning:
    line: int | None
    """1-based line in the source, or ``None`` for the list as a whole."""
    message: str


@dataclass
class ListEntry:
    name: str
    section: list[str]
    """Heading path, outermost first, e.g. ``["Large-scale multi-animal models"]``."""
    text: str | None
    listed_venue: str | None
    links: list[Link]
    line: int
    """1-based line where the entry starts."""
    kind: str
    """``"paper"`` when a link points at a paper (see :func:`~harvester.identify.is_paper_host`),
    else ``"resource"``."""


@dataclass
class ParsedList:
    title: str | None
    entries: list[ListEntry]
    warnings: list[ListWarning]


# ==================================================================================== decoding


def decode_list(data: bytes) -> tuple[str, list[ListWarning]]:
    """Decode a list file: UTF-8, with or without a byte-order mark. Bytes that are not UTF-8
    are replaced by U+FFFD, with one warning per affected line. A UTF-16 file (recognised by
    its byte-order mark) is decoded as such, with a warning."""
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            text = data[len(bom) :].decode(encoding, errors="replace")
            return text, [ListWarning(None, f"the list is {encoding.upper()}, not UTF-8")]
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    lines: list[str] = []
    warnings: list[ListWarning] = []
    for number, raw in enumerate(data.splitlines(keepends=True), start=1):
        try:
            lines.append(raw.decode("utf-8"))
        except UnicodeDecodeError:
            lines.append(raw.decode("utf-8", errors="replace"))
            warnings.append(ListWarning(number, "bytes that are not UTF-8 were replaced by U+FFFD"))
    return "".join(lines), warnings


# ==================================================================================== parsing


def parse_list(text: str) -> ParsedList:
    """Parse an awesome list (see the module docstring for what becomes an entry)."""
    return _ListParser(text).parse()


_MARKDOWN = MarkdownIt("commonmark", {"html": True}).enable("table")
# Accept every link target, so that javascript: and data: links reach the parser and are
# reported, instead of silently staying literal text.
_MARKDOWN.validateLink = lambda url: True  # type: ignore[method-assign]
# Keep link targets as the list writes them (no percent-encoding pass): faster, and the URL in
# the catalogue is the one a reader of the list sees.
_MARKDOWN.normalizeLink = lambda url: url  # type: ignore[method-assign]

_WS = re.compile(r"\s+")
_PASTED_LINK = re.compile(r"\[[^\]]*\]\((https?://[^()\s]+)\)")
_BARE_URL = re.compile(r"(?<![\w/])https?://[^\s<>]+", re.IGNORECASE)
_LINK_LINE_OUTSIDE = re.compile(r"[\s\[\]()]*(?:[^\W_]+[\s\[\]()]*)?")
_LABEL_START, _LABEL_END = "\x01", "\x02"
_BRACKETED_LABEL = re.compile(r"\[\s*\x01([^\x02]*)\x02\s*\]")
_ALNUM = re.compile(r"[^\W_]")
_LETTER = re.compile(r"[^\W\d_]")
_YEAR = r"(?:19|20)\d{2}(?![\d]|\.\d{4,5})"
_YEAR_TOKEN = re.compile(rf"(?<![\w.]){_YEAR}|['‘’]\d{{2}}(?!\w)")
_STARS_BADGE = re.compile(
    r"^https?://img\.shields\.io/github/stars/([\w.-]+)/([\w.-]+?)(?:\.svg)?(?:[?#].*)?$", re.I
)


# ----------------------------------------------------------------------------- fragments


@dataclass
class _LinkRef:
    """A link being read; ``noise`` marks labels left out of the entry's text."""

    badge: bool = False
    alt: str = ""
    noise: bool = False


@dataclass
class _Span:
    text: str
    bold: bool
    italic: bool
    link: _LinkRef | None


@dataclass
class _FoundLink:
    link: Link
    ref: _LinkRef
    star_badge: bool = False


@dataclass
class _OpenLink:
    url: str
    line: int
    ref: _LinkRef
    first_span: int


class _Fragment:
    """Inline content of one block (item, cell, paragraph, heading): styled text and links."""

    def __init__(self, line: int, warnings: list[ListWarning], *, heading: bool = False) -> None:
        self.line = line
        self.spans: list[_Span] = []
        self.breaks: list[tuple[int, int]] = []
        """``(span index, line)`` where each source line after the first starts."""
        self.links: list[_FoundLink] = []
        self.anchors = 0
        """In-page ``#anchor`` links seen (and skipped): a table of contents."""
        self._warnings = warnings
        self._heading = heading
        self._bold = 0
        self._italic = 0
        self._skip = 0
        self._open: _OpenLink | None = None

    # -- building
    def text(self, text: str) -> None:
        if text and not self._skip:
            link = self._open.ref if self._open else None
            self.spans.append(_Span(text, self._bold > 0, self._italic > 0, link))

    def autolinked_text(self, text: str, line: int) -> None:
        """Text in which bare ``http(s)://`` URLs are links, as GitHub renders them."""
        if self._open is not None:
            self.text(text)
            return
        position = 0
        for match in _BARE_URL.finditer(text):
            url = _trim_bare_url(match.group(0))
            self.text(text[position : match.start()])
            self.open_link(url, line)
            self.text(url)
            self.close_link()
            position = match.start() + len(url)
        self.text(text[position:])

    def newline(self, line: int) -> None:
        """A line break in the source (soft or hard): a space in the text."""
        self.breaks.append((len(self.spans), line))
        self.text(" ")

    def bold(self, start: bool) -> None:
        self._bold = max(0, self._bold + (1 if start else -1))

    def italic(self, start: bool) -> None:
        self._italic = max(0, self._italic + (1 if start else -1))

    def sub(self, start: bool) -> None:
        """``<sub>`` content is dropped from headings (``<sub>(21)</sub>`` counts)."""
        if self._heading:
            self._skip = max(0, self._skip + (1 if start else -1))

    def open_link(self, url: str, line: int) -> None:
        self.close_link()
        self._open = _OpenLink(url.strip(), line, _LinkRef(), len(self.spans))

    def close_link(self) -> None:
        opened, self._open = self._open, None
        if opened is None:
            return
        label = _norm("".join(s.text for s in self.spans[opened.first_span :]))
        label = label or opened.ref.alt
        opened.ref.noise = opened.ref.badge or _is_generic_label(label)
        link = self._accept(opened.url, label, opened.line)
        if link is not None:
            self.links.append(_FoundLink(link, opened.ref))

    def image(self, src: str, alt: str, line: int) -> None:
        """An image: inside a link it makes the link a badge; alone it adds nothing, except a
        GitHub-stars badge, which stands for its repository."""
        if self._open is not None:
            self._open.ref.badge = True
            self._open.ref.alt = self._open.ref.alt or _norm(alt)
            return
        stars = _STARS_BADGE.match(src.strip())
        if stars:
            url = f"https://github.com/{stars.group(1)}/{stars.group(2)}"
            link = classify(url, _norm(alt) or None)
            if link is not None and link.kind == "github":
                self.links.append(_FoundLink(link, _LinkRef(badge=True, noise=True), True))

    def extend(self, other: _Fragment) -> None:
        """Append another fragment's content (a sub-item without links of its own)."""
        if self.spans:
            self.spans.append(_Span(" ", False, False, None))
        self.breaks.extend((index + len(self.spans), line) for index, line in other.breaks)
        self.spans.extend(other.spans)
        self.links.extend(other.links)
        self.anchors += other.anchors

    def split_lines(self) -> list[_Fragment]:
        """One fragment per source line (links go with the line holding their label)."""
        bounds = [(0, self.line), *self.breaks, (len(self.spans), 0)]
        parts = []
        for (start, line), (end, _) in pairwise(bounds):
            part = _Fragment(line, self._warnings)
            part.spans = self.spans[start:end]
            refs = {id(span.link) for span in part.spans if span.link is not None}
            part.links = [f for f in self.links if id(f.ref) in refs]
            parts.append(part)
        return parts

    def is_link_line(self) -> bool:
        """Whether the line is a link with at most one word around it: ``[[x](…)]``,
        ``[EEG [x](…)]``."""
        outside = "".join(s.text for s in self.spans if s.link is None)
        has_link = any(s.link is not None for s in self.spans)
        return has_link and _LINK_LINE_OUTSIDE.fullmatch(outside) is not None

    def _accept(self, url: str, label: str, line: int) -> Link | None:
        shown = f" ({label})" if label else ""
        if not url:
            self._warnings.append(ListWarning(line, f"link with an empty target skipped{shown}"))
            return None
        if url.startswith("#"):
            self.anchors += 1
        pasted = _PASTED_LINK.fullmatch(unquote(url))
        if pasted:  # [[link]([x](https://…))]: a whole Markdown link pasted as the target
            url = pasted.group(1)
            self._warnings.append(ListWarning(line, f"malformed link target; used {url}"))
        scheme = scheme_of(url)
        if scheme in UNSAFE_SCHEMES:
            message = f"{scheme}: link skipped{shown}"
            self._warnings.append(ListWarning(line, message))
            return None
        return classify(url, label or None)

    # -- reading
    def full_text(self) -> str:
        """All text, link labels included."""
        return _norm("".join(s.text for s in self.spans))

    def clean_text(self, *, unwrap: bool = True) -> str:
        """Text without noise link labels and the brackets/separators they leave; with
        ``unwrap``, the brackets of a link group around a kept label go too (``[[ZuCo1](…)]``
        → ``ZuCo1``)."""
        parts: list[str] = []
        previous: _LinkRef | None = None
        for span in self.spans:
            if span.link is not previous:
                parts.append(_LABEL_END if previous is not None else "")
                parts.append(_LABEL_START if span.link is not None else "")
                previous = span.link
            if span.link is None or not span.link.noise:
                parts.append(span.text)
        parts.append(_LABEL_END if previous is not None else "")
        text = "".join(parts)
        if unwrap:
            text = _BRACKETED_LABEL.sub(r"\1", text)
        return _tidy(text.replace(_LABEL_START, "").replace(_LABEL_END, ""))

    def raw_text(self) -> str:
        """All text as written, spacing included (offsets of :meth:`runs` point into it)."""
        return "".join(s.text for s in self.spans)

    def runs(self, *, bold: bool = True, italic: bool = True) -> Iterator[tuple[int, str]]:
        """Maximal bold and/or italic runs, in order: ``(offset in raw_text, text)``."""
        start, offset, parts = 0, 0, []
        for span in self.spans:
            if (bold and span.bold) or (italic and span.italic):
                if not parts:
                    start = offset
                parts.append(span.text)
            elif parts and span.text.strip():  # whitespace between two runs joins them
                yield start, "".join(parts)
                parts = []
            offset += len(span.text)
        if parts:
            yield start, "".join(parts)

    def opening_span(self) -> _Span | None:
        """The first span with a letter or digit: how the block opens."""
        return next((s for s in self.spans if _ALNUM.search(s.text)), None)

    def has_own_text(self) -> bool:
        """Whether the block has words outside its links."""
        return any(s.link is None and _ALNUM.search(s.text) for s in self.spans)

    def first_label(self) -> str | None:
        """The label of the first link in the text, unless it is generic (``Home Page``); a
        bare URL is its own label."""
        first = next((s.link for s in self.spans if s.link is not None), None)
        link = next((f.link for f in self.links if f.ref is first), None)
        if link is None or (first is not None and first.noise and link.label != link.url):
            return None
        return link.label

    def early_label(self) -> str | None:
        """The label of a link (not a generic one) within the block's first three words:
        ``[DANDI](…) archive``, ``The [DANDI](…) archive``."""
        words = 0
        for span in self.spans:
            if span.link is None:
                words += len(span.text.split())
            elif not span.link.noise:
                return next((f.link.label for f in self.links if f.ref is span.link), None)
            if words > 2:
                break
        return None


# ----------------------------------------------------------------------------- HTML


_HEADINGS = {f"h{level}": level for level in range(1, 7)}
# fmt: off
_BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "center", "details", "dialog", "dd", "div",
    "dl", "dt", "figcaption", "figure", "footer", "form", "header", "hr", "li", "main", "nav",
    "ol", "p", "pre", "section", "summary", "ul",
})
# fmt: on
_SKIPPED_TAGS = frozenset({"script", "style", "template"})


def _apply_inline_tag(
    frag: _Fragment, tag: str, attrs: dict[str, str | None], *, start: bool, line: int
) -> None:
    """The inline HTML tags that matter to an entry: links, images, breaks and emphasis."""
    if tag == "a":
        if not start:
            frag.close_link()
        elif "href" in attrs:
            frag.open_link(attrs["href"] or "", line)
    elif tag == "img" and start:
        frag.image(attrs.get("src") or "", attrs.get("alt") or "", line)
    elif tag == "br" and start:
        frag.text(" ")
    elif tag in ("b", "strong"):
        frag.bold(start)
    elif tag in ("i", "em"):
        frag.italic(start)
    elif tag == "sub":
        frag.sub(start)


class _InlineHtml(HTMLParser):
    """Applies inline HTML tags inside Markdown (``<br>``, ``<a href>``, ``<b>``…) to a
    fragment, one tag at a time."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._frag: _Fragment | None = None
        self._line = 0

    def apply(self, frag: _Fragment, html: str, line: int) -> None:
        self._frag, self._line = frag, line
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._frag is not None:
            _apply_inline_tag(self._frag, tag, dict(attrs), start=True, line=self._line)

    def handle_endtag(self, tag: str) -> None:
        if self._frag is not None:
            _apply_inline_tag(self._frag, tag, {}, start=False, line=self._line)

    def handle_data(self, data: str) -> None:
        if self._frag is not None:
            self._frag.text(data)


@dataclass
class _HtmlTable:
    header: list[str] | None = None
    row: list[_Fragment] | None = None
    row_line: int = 0
    row_is_header: bool = True
    cell: _Fragment | None = None


class _HtmlBlocks(HTMLParser):
    """Reads HTML blocks: headings, table rows (cells as fragments) and the loose text and
    links between block tags. One reader serves the whole document, so a table split by blank
    lines (several Markdown HTML blocks) is still one table."""

    def __init__(self, parser: _ListParser) -> None:
        super().__init__(convert_charrefs=True)
        self._out = parser
        self._offset = 0
        self._tables: list[_HtmlTable] = []
        self._heading: tuple[int, _Fragment] | None = None
        self._loose: _Fragment | None = None
        self._skip = 0

    def read(self, html: str, line: int) -> None:
        self._offset = line - self.getpos()[0]
        self.feed(html)
        if not self._in_cell():
            self._flush_loose()

    def finish(self) -> None:
        self.close()
        while self._tables:
            self._end_table()
        self._flush_loose()

    # -- HTMLParser hooks
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_TAGS:
            self._skip += 1
        elif tag == "table":
            self._flush_loose()
            self._tables.append(_HtmlTable())
        elif tag == "tr" and self._tables:
            self._start_row(self._tables[-1])
        elif tag in ("td", "th") and self._tables:
            self._start_cell(self._tables[-1], header=tag == "th")
        elif tag in _HEADINGS:
            self._flush_loose()
            self._heading = (_HEADINGS[tag], self._out.fragment(self._line(), heading=True))
        elif tag in _BLOCK_TAGS and not self._in_cell() and self._heading is None:
            self._flush_loose()
        else:
            _apply_inline_tag(self._target(), tag, dict(attrs), start=True, line=self._line())

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag == "table" and self._tables:
            self._end_table()
        elif tag == "tr" and self._tables:
            self._end_row(self._tables[-1])
        elif tag in ("td", "th") and self._tables:
            self._end_cell(self._tables[-1])
        elif tag in _HEADINGS and self._heading is not None:
            level, frag = self._heading
            self._heading = None
            self._out.heading(level, frag)
        elif tag in _BLOCK_TAGS and not self._in_cell() and self._heading is None:
            self._flush_loose()
        else:
            _apply_inline_tag(self._target(), tag, {}, start=False, line=self._line())

    def handle_data(self, data: str) -> None:
        if not self._skip and (data.strip() or self._heading or self._in_cell() or self._loose):
            self._target().text(data)

    # -- structure
    def _line(self) -> int:
        return self.getpos()[0] + self._offset

    def _in_cell(self) -> bool:
        return bool(self._tables) and self._tables[-1].cell is not None

    def _target(self) -> _Fragment:
        if self._in_cell():
            cell = self._tables[-1].cell
            assert cell is not None
            return cell
        if self._heading is not None:
            return self._heading[1]
        if self._loose is None:
            self._loose = self._out.fragment(self._line())
        return self._loose

    def _flush_loose(self) -> None:
        loose, self._loose = self._loose, None
        if loose is not None:
            loose.close_link()
            self._out.block(loose)

    def _start_row(self, table: _HtmlTable) -> None:
        self._end_row(table)
        table.row, table.row_line, table.row_is_header = [], self._line(), True

    def _start_cell(self, table: _HtmlTable, *, header: bool) -> None:
        if table.row is None:
            self._start_row(table)
        self._end_cell(table)
        table.cell = self._out.fragment(self._line())
        table.row_is_header = table.row_is_header and header

    def _end_cell(self, table: _HtmlTable) -> None:
        if table.cell is not None and table.row is not None:
            table.cell.close_link()
            table.row.append(table.cell)
        table.cell = None

    def _end_row(self, table: _HtmlTable) -> None:
        self._end_cell(table)
        row, table.row = table.row, None
        if not row:
            return
        if table.row_is_header:
            table.header = [cell.clean_text() for cell in row]
        else:
            self._out.row(row, table.header, table.row_line)

    def _end_table(self) -> None:
        self._end_row(self._tables.pop())


# ----------------------------------------------------------------------------- the parser


@dataclass
class _Heading:
    level: int
    text: str
    navigation: bool = False
    """A table-of-contents heading, left out of the section path of what follows it."""


@dataclass
class _MdTable:
    header: list[str] | None = None
    in_head: bool = False
    row: list[_Fragment] = field(default_factory=list)
    row_line: int = 0
    cell: _Fragment | None = None


class _ListParser:
    """Walks the token stream once, keeping the heading path and open containers."""

    def __init__(self, text: str) -> None:
        self._tokens = _MARKDOWN.parse(text)
        self._warnings: list[ListWarning] = []
        self._entries: list[ListEntry] = []
        self._title: str | None = None
        self._sections: list[_Heading] = []
        self._section_entries = 0
        self._pseudo: str | None = None
        self._pending: _Fragment | None = None
        self._sectioned = False
        self._heading: tuple[int, _Fragment] | None = None
        self._items: list[_Fragment] = []
        self._table: _MdTable | None = None
        self._quotes = 0
        self._inline_html = _InlineHtml()
        self._html = _HtmlBlocks(self)

    def parse(self) -> ParsedList:
        for token in self._tokens:
            self._token(token)
        self._html.finish()
        self._entries.sort(key=lambda entry: entry.line)  # sub-items close before parents
        self._warn_duplicates()
        if not self._entries:
            self._warnings.append(ListWarning(None, "no entries found"))
        self._warnings.sort(key=lambda w: (w.line is None, w.line or 0))
        return ParsedList(self._title, self._entries, self._warnings)

    # -- callbacks shared with the HTML reader
    def fragment(self, line: int, *, heading: bool = False) -> _Fragment:
        return _Fragment(line, self._warnings, heading=heading)

    def heading(self, level: int, frag: _Fragment) -> None:
        frag.close_link()
        text = frag.clean_text().rstrip(" :")
        if level == 1 and self._title is None:
            self._title = text or None
            return
        self._sectioned = True
        self._pseudo = None
        self._section_entries = 0
        while self._sections and self._sections[-1].level >= level:
            self._sections.pop()
        if text:
            self._sections.append(_Heading(level, text))

    def block(self, frag: _Fragment) -> None:
        """A paragraph-level block (Markdown paragraph or loose HTML).

        Two layouts without bullets get special care: a paragraph of bare link lines (one
        dataset per line) gives one entry per line, and a title paragraph without links
        followed by a paragraph holding only its links (``**Title**<br>…`` then
        ``[[PDF](…)]``) is read as one block."""
        pending, self._pending = self._pending, None
        if self._items:
            self._items[-1].extend(frag)
        elif self._quotes == 0 and _is_pseudo_heading(frag):
            self._pseudo = frag.clean_text()
        elif not self._sectioned or not _opens_like_entry(frag):
            return
        elif not frag.links:
            self._pending = frag
        elif pending is not None and not frag.clean_text():
            pending.extend(frag)
            self._add_entry(pending.links, pending, pending, pending.line)
        else:
            lines = frag.split_lines() if frag.breaks else [frag]
            for part in lines if all(line.is_link_line() for line in lines) else [frag]:
                self._add_entry(part.links, part, part, part.line)

    def row(self, cells: list[_Fragment], header: list[str] | None, line: int) -> None:
        """A table row: one entry, or one per cell for a header-less gallery of tools."""
        if header is None and sum(map(_self_contained, cells)) >= 2:
            for cell in cells:
                self._add_entry(cell.links, cell, cell, cell.line)
            return
        name_col, text_col, venue_col = _column_roles(header, len(cells))
        if text_col is None:
            text_col = next((i for i, c in enumerate(cells) if c.clean_text()), 0)
        name_cell = cells[name_col if name_col is not None else text_col]
        venue = _cell_value(cells[venue_col]) if venue_col is not None else None
        links = [found for cell in cells for found in cell.links]
        self._add_entry(links, name_cell, cells[text_col], line, venue=venue)

    # -- Markdown tokens
    def _token(self, token: Token) -> None:
        kind = token.type
        line = token.map[0] + 1 if token.map else 0
        if kind not in ("paragraph_open", "paragraph_close", "inline"):
            self._pending = None  # a title paragraph only joins the paragraph right after it
        if kind == "inline":
            self._inline(token, line)
        elif kind == "heading_open":
            self._heading = (int(token.tag[1]), self.fragment(line, heading=True))
        elif kind == "heading_close" and self._heading is not None:
            level, frag = self._heading
            self._heading = None
            self.heading(level, frag)
        elif kind == "list_item_open":
            self._items.append(self.fragment(line))
        elif kind == "list_item_close":
            self._item(self._items.pop())
        elif kind == "html_block":
            self._html.read(token.content, line)
        elif kind == "blockquote_open":
            self._quotes += 1
        elif kind == "blockquote_close":
            self._quotes -= 1
        elif kind.startswith(("table_", "thead_", "tr_", "th_", "td_")):
            self._table_token(kind, line)

    def _inline(self, token: Token, line: int) -> None:
        table = self._table
        if self._heading is not None:
            frag = self._heading[1]
        elif table is not None and table.cell is not None:
            frag = table.cell
        elif self._items:
            frag = self._items[-1]
            if frag.spans:
                frag.text(" ")
        else:
            frag = self.fragment(line)
            self._fill(frag, token, line)
            self.block(frag)
            return
        self._fill(frag, token, line)

    def _fill(self, frag: _Fragment, token: Token, line: int) -> None:
        """Markdown inline tokens → fragment; ``line`` advances with each line break."""
        for child in token.children or ():
            kind = child.type
            if kind in ("softbreak", "hardbreak"):
                line += 1
                frag.newline(line)
            elif kind in ("strong_open", "strong_close"):
                frag.bold(kind == "strong_open")
            elif kind in ("em_open", "em_close"):
                frag.italic(kind == "em_open")
            elif kind == "link_open":
                frag.open_link(str(child.attrs.get("href", "")), line)
            elif kind == "link_close":
                frag.close_link()
            elif kind == "image":
                frag.image(str(child.attrs.get("src", "")), child.content, line)
            elif kind == "html_inline":
                self._inline_html.apply(frag, child.content, line)
                line += child.content.count("\n")
            elif kind == "text":
                frag.autolinked_text(child.content, line)
            else:
                frag.text(child.content)
        frag.close_link()

    def _item(self, item: _Fragment) -> None:
        if self._add_entry(item.links, item, item, item.line):
            return
        if self._items:
            self._items[-1].extend(item)
        elif item.anchors and not item.links and self._sections and not self._section_entries:
            self._sections[-1].navigation = True  # its body is a table of contents

    def _table_token(self, kind: str, line: int) -> None:
        if kind == "table_open":
            self._table = _MdTable()
            return
        table = self._table
        if table is None:
            return
        if kind in ("thead_open", "thead_close"):
            table.in_head = kind == "thead_open"
        elif kind == "tr_open":
            table.row, table.row_line = [], line
        elif kind in ("th_open", "td_open"):
            table.cell = self.fragment(table.row_line)
        elif kind in ("th_close", "td_close") and table.cell is not None:
            table.row.append(table.cell)
            table.cell = None
        elif kind == "tr_close":
            if table.in_head:
                table.header = [cell.clean_text() for cell in table.row]
            else:
                self.row(table.row, table.header, table.row_line)
        elif kind == "table_close":
            self._table = None

    # -- entries
    def _add_entry(
        self,
        found: list[_FoundLink],
        name_frag: _Fragment,
        text_frag: _Fragment,
        line: int,
        *,
        venue: str | None = None,
    ) -> bool:
        """Make an entry from the parts of a block; ``False`` when the block is not one."""
        kept = _dedupe(found)
        if not any(scheme_of(f.link.url) in ("http", "https", "doi") for f in kept):
            return False
        text = text_frag.clean_text()
        if not text and all(f.ref.badge for f in kept):
            return False  # image-only: badges, figures
        venue = venue or _find_venue(text_frag)
        section = [heading.text for heading in self._sections if not heading.navigation]
        if self._pseudo:
            section.append(self._pseudo)
        bold = _bold_name(name_frag, venue)
        if bold is not None and name_frag is text_frag:
            text = _without_name(text, bold)  # "**NAME**: description" → the description
        name = bold or _plain_name(name_frag, venue) or (section or [kept[0].link.url])[-1]
        links = [f.link for f in kept]
        paper = any(link.kind in PAPER_KINDS or is_paper_host(link.url) for link in links)
        self._section_entries += 1
        self._entries.append(
            ListEntry(
                name=name,
                section=section,
                text=text or None,
                listed_venue=venue,
                links=links,
                line=line,
                kind="paper" if paper else "resource",
            )
        )
        return True

    def _warn_duplicates(self) -> None:
        """One warning per entry that names a paper an earlier entry already named."""
        first: dict[tuple[str, str], int] = {}
        for entry in self._entries:
            shared: dict[int, list[str]] = {}
            for link in entry.links:
                if link.kind not in PAPER_KINDS or link.id is None:
                    continue
                key = (link.kind, link.id.lower())
                earlier = first.setdefault(key, entry.line)
                if earlier != entry.line:
                    shared.setdefault(earlier, []).append(f"{link.kind} {link.id}")
            for earlier, ids in shared.items():
                names = ", ".join(dict.fromkeys(ids))
                message = f"same paper as the entry on line {earlier} ({names}); both kept"
                self._warnings.append(ListWarning(entry.line, message))


# ==================================================================================== heuristics

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


def _is_generic_label(label: str) -> bool:
    """Labels that name the kind of link rather than the entry: paper, code, arXiv:ID…"""
    norm = _norm(re.sub(r"[^\w\s]", " ", label.lower()))
    if not norm or norm in _GENERIC_LABELS or norm.endswith(" page") or _venue_like(label):
        return True
    return bool(re.match(r"(?i)^(?:arxiv|doi|pmid|pmc|isbn)\s*[:\s]\s*\S|^\W*\d|^https?://", label))


_VENUE_NAMES = (
    r"NeurIPS|NIPS|ICLR|ICML|CVPR|ICCV|ECCV|WACV|BMVC|AAAI|IJCAI|ACL|EMNLP|NAACL|EACL|COLING|"
    r"CoNLL|Interspeech|ICASSP|KDD|SIGKDD|SIGSPATIAL|WWW|WSDM|SIGIR|CIKM|ICDM|SDM|ACM\s?MM|CHI|"
    r"Nature|Science|Cell|Neuron|eLife|PNAS|PLoS|PLOS|Frontiers|Front\.|arXiv|Arxiv|Preprint|"
    r"bioRxiv|medRxiv|TPAMI|PAMI|TNNLS|TKDE|TIP|TMI|JMLR|TMLR|NBDT|AISTATS|UAI|COLT|ALT|"
    r"MICCAI|ISBI|IPMI|MIDL|CoRL|RSS|ICRA|IROS|L4DC|CDC|IEEE|ACM|Neural\s+Computation|"
    r"Neural\s+Networks|Entropy|ISIT|JNE|J\.\s?Neural\s+Eng\.?|eNeuro|Journal|Transactions|"
    r"Proceedings|LoG|ICPR|ICIP|ACCV|3DV|ICME|SIGGRAPH|ISMIR|EMBC|NER|BCI|Scientific\s+Reports"
)
_VENUE_AT_YEAR = re.compile(
    rf"(?<![\w-])(?:(?:{_VENUE_NAMES})(?:[ \t]+[A-Za-z&][\w&.-]*){{0,4}}?"
    rf"(?:\s*,\s*|\.?\s+|\s*['‘’])(?:{_YEAR}|(?<=['‘’])\d{{2}}(?!\w))"
    rf"|(?:{_VENUE_NAMES})\d{{2}}(?!\w))",
    re.IGNORECASE,
)
_VENUE_ONLY = re.compile(rf"^\W*(?:{_VENUE_NAMES})\W*$", re.IGNORECASE)
_PAREN_VENUE = re.compile(rf"\(([A-Za-z][^()]{{0,60}}?[\s,']\s*{_YEAR})[^()]*\)")
_AFTER_JOURNAL = re.compile(rf"[^\"“”]{{0,40}}?(?:\({_YEAR}\)|{_YEAR})")
_QUOTED_TITLE = re.compile(r"[\"“](?P<title>[^\"“”]{3,300})[\"”]")
_CUT = re.compile(r"[:：]\s|：|\s(?:[-–—|·]|--)\s|(?<!\b[A-Z])(?<!\bal)(?<!\bvs)\.\s|\s[(\[]")
_TRAILING_DOT = re.compile(r"(?<=\w{4})\.$|\s+\.$")
"""A sentence's final full stop, not an abbreviation's (``et al.``)."""
_PLACEHOLDER = re.compile(r"^[\s\-–—/?.]*$|^n/?a$", re.IGNORECASE)


def _venue_like(text: str) -> bool:
    """A short phrase that is a venue: it holds a year (``ICLR 2026``) or a venue name only."""
    words = text.split()
    if not words or len(words) > 6:
        return False
    return bool(_YEAR_TOKEN.search(text)) or bool(_VENUE_ONLY.match(text))


def _find_venue(frag: _Fragment) -> str | None:
    """The venue/year phrase as written (see the module docstring for the order of rules)."""
    for _, run in reversed(list(frag.runs())):
        if _YEAR_TOKEN.search(run) and len(run.split()) <= 8:
            return _strip_wrapping(_norm(run))
    text = frag.full_text()
    found = list(_VENUE_AT_YEAR.finditer(text))
    if found:
        return found[-1].group(0).strip()
    found = list(_PAREN_VENUE.finditer(text))
    if found:
        return found[-1].group(1).strip()
    raw = frag.raw_text()
    for start, run in frag.runs(bold=False):
        if not _LETTER.search(run) or len(run.split()) > 6:
            continue
        after = _AFTER_JOURNAL.match(raw, start + len(run))
        if after:
            return _norm(raw[start : after.end()])
    return None


def _strip_wrapping(text: str) -> str:
    """Trim punctuation and unbalanced or enclosing brackets: ``(ICLR 2019 (Oral))`` →
    ``ICLR 2019 (Oral)``."""
    text = text.strip(" ,.;:")
    for opening, closing in ("()", "[]"):
        if text.startswith(opening) and text.count(opening) > text.count(closing):
            text = text[1:]
        if text.endswith(closing) and text.count(closing) > text.count(opening):
            text = text[:-1]
        if text.startswith(opening) and text.endswith(closing):
            text = text[1:-1]
    return text.strip(" ,.;:")


def _bold_name(frag: _Fragment, venue: str | None) -> str | None:
    """The first bold text that is not a venue phrase or a number (a volume: ``**24**``)."""
    for _, run in frag.runs(italic=False):
        name = _TRAILING_DOT.sub("", _norm(run).strip(" \t:;,|·-–—"))
        if _LETTER.search(name) and not _venue_like(name) and name != venue:
            return name
    return None


def _plain_name(frag: _Fragment, venue: str | None) -> str | None:
    """A name for an entry with no bold name (see the module docstring for the rules)."""
    full = frag.full_text()
    quoted = _QUOTED_TITLE.search(full)
    if quoted and re.search(r"[.,]", full[: quoted.start()]) and len(quoted["title"].split()) > 1:
        return quoted["title"].strip(" .,")
    if not frag.has_own_text():  # only links: the first one names the entry, unless generic
        return frag.first_label()
    return frag.early_label() or _leading_words(frag.clean_text(unwrap=False), venue)


def _leading_words(text: str, venue: str | None) -> str | None:
    """The opening words of ``text`` without a venue phrase that starts it (``(NAACL'21)
    Title``) or ends its first sentence (``Title, in ICML 2024``)."""
    if venue:
        text = re.sub(rf"^\W*{re.escape(venue)}\W*", "", text)
        text = re.sub(rf"(?:,?\s+in)?\W*{re.escape(venue)}.*$", "", text)
    text = re.sub(r"^[^\w\"“]+", "", text)
    cut = _CUT.search(text)
    if cut and cut.start() > 0:
        text = text[: cut.start()]
    words = " ".join(text.split()[:12]).strip(" .,;:")
    for opening, closing in ("[]", "()"):
        if words.endswith(closing) and words.count(closing) > words.count(opening):
            words = words[:-1].rstrip(" .,;:")
    return words or None


def _without_name(text: str, name: str) -> str:
    """Drop a leading ``NAME:`` (or ``NAME -``), so the text is the title/description."""
    if text.startswith(name):
        rest = re.match(r"\s*[:：]\s*|\s+[-–—]\s+", text[len(name) :])
        if rest:
            return text[len(name) + rest.end() :]
    return text


def _is_pseudo_heading(frag: _Fragment) -> bool:
    """A paragraph that is only a short bold phrase, used as a sub-heading."""
    all_bold = all(s.bold or not s.text.strip() for s in frag.spans)
    return all_bold and not frag.links and 0 < len(frag.clean_text().split()) <= 10


def _opens_like_entry(frag: _Fragment) -> bool:
    """Whether a paragraph opens with bold text or a link (not with running prose)."""
    opening = frag.opening_span()
    return opening is not None and (opening.bold or opening.link is not None)


def _self_contained(cell: _Fragment) -> bool:
    """A table cell that is an entry on its own: a link and some text of its own."""
    return bool(cell.links) and bool(cell.clean_text())


_NAME_HEADERS = ("name", "model", "method", "dataset", "tool", "title", "paper", "paper title")
_TEXT_HEADERS = ("title", "paper title", "paper", "papers", "publication")
_VENUE_HEADERS = ("venue", "conference", "journal", "published", "publication venue", "conf")


def _column_roles(
    header: list[str] | None, width: int
) -> tuple[int | None, int | None, int | None]:
    """Indexes of the name, text and venue columns, from the header's words."""
    if not header:
        return None, None, None
    names = [_norm(re.sub(r"[^\w\s/]", " ", h.lower())) for h in header[:width]]

    def find(wanted: Iterable[str]) -> int | None:
        return next((names.index(w) for w in wanted if w in names), None)

    return find(_NAME_HEADERS), find(_TEXT_HEADERS), find(_VENUE_HEADERS)


def _cell_value(cell: _Fragment) -> str | None:
    text = cell.full_text()
    return None if _PLACEHOLDER.match(text) else text


def _dedupe(found: list[_FoundLink]) -> list[_FoundLink]:
    """Links in order, one per URL; a stars badge only when no other link names its repo."""
    repos = {
        f.link.id.lower()
        for f in found
        if f.link.kind == "github" and f.link.id and not f.star_badge
    }
    kept: dict[str, _FoundLink] = {}
    for f in found:
        if f.star_badge and f.link.id and f.link.id.lower() in repos:
            continue
        kept.setdefault(f.link.url, f)
    return list(kept.values())


def _trim_bare_url(url: str) -> str:
    """GitHub's rule for where a bare URL ends: not at trailing punctuation or an unbalanced
    closing parenthesis."""
    while url:
        unbalanced = url[-1] == ")" and url.count(")") > url.count("(")
        if url[-1] not in "?!.,:;*_~'\"" and not unbalanced:
            break
        url = url[:-1]
    return url


def _norm(text: str) -> str:
    return _WS.sub(" ", text).strip()


_EMPTY_PAIR = re.compile(r"\[[\s,;·|]*\]|\([\s,;·|]*\)")
_SEP_BEFORE_CLOSE = re.compile(r"\s*[,;·|]\s*(?=[)\]])")
_SEP_AFTER_OPEN = re.compile(r"(?<=[(\[])\s*[,;·|]\s*")
_SEP_RUN = re.compile(r"([,;·|])(?:\s*[,;·|])+")
_EDGE = " \t,;:·|\\-–—"


def _tidy(text: str) -> str:
    """Normalise whitespace and drop the empty brackets and doubled separators left where
    link labels were removed (``Title [] [] · · x`` → ``Title · x``)."""
    text = _norm(text)
    for _ in range(3):  # link groups nest at most [[…]]; a bound keeps this linear
        text = _EMPTY_PAIR.sub("", text)
    text = _SEP_BEFORE_CLOSE.sub("", text)
    text = _SEP_AFTER_OPEN.sub("", text)
    text = _norm(_SEP_RUN.sub(r"\1", text)).strip(_EDGE)
    if text.startswith("[") and text.endswith("]") and text.count("[") == 1:
        text = text[1:-1].strip()  # a lone bracketed label: [EEG Data-X]
    return text
