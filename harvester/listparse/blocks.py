"""The block walker: one pass over markdown-it's tokens, keeping the heading path and the open
containers, turning items, rows and paragraphs into entries."""

from __future__ import annotations

from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..identify import PAPER_KINDS, is_paper_link, scheme_of
from .entries import ListEntry, ListWarning, ParsedList
from .fragments import FoundLink, Fragment
from .heuristics import (
    bold_name,
    cell_value,
    column_roles,
    dedupe,
    find_venue,
    is_pseudo_heading,
    opens_like_entry,
    plain_name,
    self_contained,
    title_candidate,
    without_name,
)
from .htmlblocks import HtmlBlocks, InlineHtml
from .text import is_kind_label


def parse_list(text: str) -> ParsedList:
    """Parse an awesome list (see the package docstring for what becomes an entry)."""
    return ListParser(text).parse()


_MARKDOWN = MarkdownIt("commonmark", {"html": True}).enable("table")
# Accept every link target, so that javascript: and data: links reach the parser and are
# reported, instead of silently staying literal text.
_MARKDOWN.validateLink = lambda url: True  # type: ignore[method-assign]
# Keep link targets as the list writes them (no percent-encoding pass): faster, and the URL in
# the catalogue is the one a reader of the list sees.
_MARKDOWN.normalizeLink = lambda url: url  # type: ignore[method-assign]
_MAX_NESTING: int = _MARKDOWN.options.maxNesting
"""Kept from the preset: it bounds markdown-it's recursion on hostile input."""
_CONTAINERS = frozenset(
    {"bullet_list_open", "ordered_list_open", "list_item_open", "blockquote_open"}
)


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
    row: list[Fragment] = field(default_factory=list)
    row_line: int = 0
    cell: Fragment | None = None


class ListParser:
    """Walks the token stream once, keeping the heading path and open containers."""

    def __init__(self, text: str) -> None:
        self._tokens = _MARKDOWN.parse(text)
        self._warnings: list[ListWarning] = []
        self._entries: list[ListEntry] = []
        self._title: str | None = None
        self._sections: list[_Heading] = []
        self._section_entries = 0
        self._pseudo: str | None = None
        self._pending: Fragment | None = None
        self._sectioned = False
        self._unsectioned: list[Fragment] = []
        """Paper paragraphs before any section heading: entries if no heading ever comes."""
        self._heading: tuple[int, Fragment] | None = None
        self._items: list[Fragment] = []
        self._table: _MdTable | None = None
        self._quotes = 0
        self._inline_html = InlineHtml()
        self._html = HtmlBlocks(self)

    def parse(self) -> ParsedList:
        self._warn_too_deep()
        for token in self._tokens:
            self._token(token)
        self._html.finish()
        if not self._sectioned:  # a list without sections: its paper paragraphs are entries
            self._pseudo = None
            for frag in self._unsectioned:
                self._paragraph(frag)
        self._entries.sort(key=lambda entry: entry.line)  # sub-items close before parents
        self._warn_duplicates()
        if not self._entries:
            self._warnings.append(ListWarning(None, "no entries found"))
        self._warnings.sort(key=lambda w: (w.line is None, w.line or 0))
        return ParsedList(self._title, self._entries, self._warnings)

    def _warn_too_deep(self) -> None:
        """markdown-it stops reading a container nested :data:`_MAX_NESTING` levels deep and
        drops what it holds without a word; say which lines were lost."""
        lost_level: int | None = None
        for token in self._tokens:
            if lost_level is not None:
                if token.nesting == -1 and token.level == lost_level:
                    lost_level = None
                continue
            deep = token.nesting == 1 and token.level + 1 >= _MAX_NESTING
            if deep and token.type in _CONTAINERS and token.map:
                first, last = token.map[0] + 1, token.map[1]
                where = f"line {first} is" if first >= last else f"lines {first}-{last} are"
                message = f"{where} nested too deep to be read; skipped"
                self._warnings.append(ListWarning(first, message))
                lost_level = token.level

    # -- callbacks shared with the HTML reader
    def fragment(self, line: int, *, heading: bool = False) -> Fragment:
        return Fragment(line, self._warnings, heading=heading)

    def heading(self, level: int, frag: Fragment) -> None:
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

    def block(self, frag: Fragment) -> None:
        """A paragraph-level block (Markdown paragraph or loose HTML).

        Two layouts without bullets get special care: a paragraph of bare link lines (one
        dataset per line) gives one entry per line, and a title paragraph without links
        followed by a paragraph holding only its links (``**Title**<br>…`` then
        ``[[PDF](…)]``) is read as one block."""
        pending, self._pending = self._pending, None
        if self._items:
            self._items[-1].extend(frag)
        elif self._quotes == 0 and is_pseudo_heading(frag):
            self._pseudo = frag.clean_text()
        elif not self._sectioned:
            if _links_a_paper(frag):
                self._unsectioned.append(frag)
        elif not (opens_like_entry(frag) or _links_a_paper(frag)):
            return
        elif not frag.links:
            self._pending = frag
        elif pending is not None and not frag.clean_text():
            pending.extend(frag)
            self._add_entry(pending.links, pending, pending, pending.line)
        else:
            self._paragraph(frag)

    def _paragraph(self, frag: Fragment) -> None:
        lines = frag.split_lines() if frag.breaks else [frag]
        for part in lines if _one_entry_a_line(lines) else [frag]:
            self._add_entry(part.links, part, part, part.line)

    def row(self, cells: list[Fragment], header: list[str] | None, line: int) -> None:
        """A table row: one entry, or one per cell for a header-less gallery of tools."""
        if header is None and sum(map(self_contained, cells)) >= 2:
            for cell in cells:
                self._add_entry(cell.links, cell, cell, cell.line)
            return
        name_col, text_col, venue_col = column_roles(header, len(cells))
        if text_col is None:
            text_col = next((i for i, c in enumerate(cells) if c.clean_text()), 0)
        name_cell = cells[name_col if name_col is not None else text_col]
        venue = cell_value(cells[venue_col]) if venue_col is not None else None
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

    def _fill(self, frag: Fragment, token: Token, line: int) -> None:
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

    def _item(self, item: Fragment) -> None:
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
        found: list[FoundLink],
        name_frag: Fragment,
        text_frag: Fragment,
        line: int,
        *,
        venue: str | None = None,
    ) -> bool:
        """Make an entry from the parts of a block; ``False`` when the block is not one."""
        kept = dedupe(found)
        if not any(scheme_of(f.link.url) in ("http", "https", "doi") for f in kept):
            return False
        text = text_frag.clean_text()
        if not text and all(f.ref.badge for f in kept):
            return False  # image-only: badges, figures
        venue = venue or find_venue(text_frag, title_candidate(name_frag))
        section = [heading.text for heading in self._sections if not heading.navigation]
        if self._pseudo:
            section.append(self._pseudo)
        bold = bold_name(name_frag, venue)
        if bold is not None and name_frag is text_frag:
            text = without_name(text, bold)  # "**NAME**: description" → the description
        name = bold or plain_name(name_frag, venue) or (section or [kept[0].link.url])[-1]
        links = [f.link for f in kept]
        paper = any(is_paper_link(link) for link in links)
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


def _links_a_paper(frag: Fragment) -> bool:
    """Whether the block carries a paper link of its own: labelled as a link (``[Paper]``,
    ``[pdf]``, a badge) rather than words of a sentence (``the [first paper](…) on…``)."""
    return any(
        (found.ref.badge or is_kind_label(found.link.label or "")) and is_paper_link(found.link)
        for found in frag.links
    )


def _one_entry_a_line(lines: list[Fragment]) -> bool:
    """Whether a paragraph's lines are entries of their own: each a bare link line (one
    dataset a line), or each a paper with its own text (one paper a line, no bullets)."""
    if all(line.is_link_line() for line in lines):
        return True
    return len(lines) > 1 and all(_links_a_paper(line) and line.has_own_text() for line in lines)
