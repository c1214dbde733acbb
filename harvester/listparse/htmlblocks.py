"""HTML in a list: inline tags inside Markdown (``<br>``, ``<a href>``, ``<b>``…) and HTML blocks
(headings, tables, loose text), read with the standard library's HTMLParser into fragments."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from typing import TYPE_CHECKING

from .fragments import Fragment

if TYPE_CHECKING:
    from .blocks import ListParser


_HEADINGS = {f"h{level}": level for level in range(1, 7)}
# fmt: off
_BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "center", "details", "dialog", "dd", "div",
    "dl", "dt", "figcaption", "figure", "footer", "form", "header", "hr", "li", "main", "nav",
    "ol", "p", "pre", "section", "summary", "ul",
})
# fmt: on
_SKIPPED_TAGS = frozenset({"script", "style", "template"})


def apply_inline_tag(
    frag: Fragment, tag: str, attrs: dict[str, str | None], *, start: bool, line: int
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
        frag.html_break()
    elif tag in ("b", "strong"):
        frag.bold(start)
    elif tag in ("i", "em"):
        frag.italic(start)
    elif tag == "sub":
        frag.sub(start)


class InlineHtml(HTMLParser):
    """Applies inline HTML tags inside Markdown (``<br>``, ``<a href>``, ``<b>``…) to a
    fragment, one tag at a time."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._frag: Fragment | None = None
        self._line = 0

    def apply(self, frag: Fragment, html: str, line: int) -> None:
        self._frag, self._line = frag, line
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._frag is not None:
            apply_inline_tag(self._frag, tag, dict(attrs), start=True, line=self._line)

    def handle_endtag(self, tag: str) -> None:
        if self._frag is not None:
            apply_inline_tag(self._frag, tag, {}, start=False, line=self._line)

    def handle_data(self, data: str) -> None:
        if self._frag is not None:
            self._frag.text(data)


@dataclass
class _HtmlTable:
    header: list[str] | None = None
    row: list[Fragment] | None = None
    row_line: int = 0
    row_is_header: bool = True
    cell: Fragment | None = None


class HtmlBlocks(HTMLParser):
    """Reads HTML blocks: headings, table rows (cells as fragments) and the loose text and
    links between block tags. One reader serves the whole document, so a table split by blank
    lines (several Markdown HTML blocks) is still one table."""

    def __init__(self, parser: ListParser) -> None:
        super().__init__(convert_charrefs=True)
        self._out = parser
        self._offset = 0
        self._tables: list[_HtmlTable] = []
        self._heading: tuple[int, Fragment] | None = None
        self._loose: Fragment | None = None
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
            apply_inline_tag(self._target(), tag, dict(attrs), start=True, line=self._line())

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
            apply_inline_tag(self._target(), tag, {}, start=False, line=self._line())

    def handle_data(self, data: str) -> None:
        if not self._skip and (data.strip() or self._heading or self._in_cell() or self._loose):
            self._target().text(data)

    # -- structure
    def _line(self) -> int:
        return self.getpos()[0] + self._offset

    def _in_cell(self) -> bool:
        return bool(self._tables) and self._tables[-1].cell is not None

    def _target(self) -> Fragment:
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
