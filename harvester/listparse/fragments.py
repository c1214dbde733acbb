"""Fragments: the styled text and links of one block (item, cell, paragraph, heading), as the
Markdown and HTML readers build them, and the ways the heuristics read them back."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from urllib.parse import unquote

from ..identify import UNSAFE_SCHEMES, classify, scheme_of
from ..models import Link
from .entries import ListWarning
from .text import ALNUM, is_generic_label, norm, tidy

_PASTED_LINK = re.compile(r"\[[^\]]*\]\((https?://[^()\s]+)\)")
_BARE_URL = re.compile(r"(?<![\w/])https?://[^\s<>]+", re.IGNORECASE)
_LINK_LINE_OUTSIDE = re.compile(r"[\s\[\]()]*(?:[^\W_]+[\s\[\]()]*)?")
_LABEL_START, _LABEL_END = "\x01", "\x02"
_BRACKETED_LABEL = re.compile(r"\[\s*\x01([^\x02]*)\x02\s*\]")
_NAME = r"[A-Z][\w'’-]*\.?"
_AUTHOR_LINE = re.compile(
    rf"^\W*(?:by\s+)?(?:(?:{_NAME}\s+){{1,3}}{_NAME}[*†‡∗\d]*\s*(?:,|&|\band\b)|{_NAME}\s+et\s+al)"
)
"""A line that opens with an author list: ``Alice Smith, Bob Jones``, ``A. Smith and…``."""
_WIDE_GAP = re.compile(r"(?<=\S)[ \t]{2,}(?=\S)")
_DESCRIPTION_WORDS = 6
"""Words after a wide gap that make it a description, not a stray double space."""
_STARS_BADGE = re.compile(
    r"^https?://img\.shields\.io/github/stars/([\w.-]+)/([\w.-]+?)(?:\.svg)?(?:[?#].*)?$", re.I
)


@dataclass
class LinkRef:
    """A link being read; ``noise`` marks labels left out of the entry's text."""

    badge: bool = False
    alt: str = ""
    noise: bool = False


@dataclass
class Span:
    text: str
    bold: bool
    italic: bool
    link: LinkRef | None


@dataclass
class FoundLink:
    link: Link
    ref: LinkRef
    star_badge: bool = False


@dataclass
class _OpenLink:
    url: str
    line: int
    ref: LinkRef
    first_span: int


class Fragment:
    """Inline content of one block (item, cell, paragraph, heading): styled text and links."""

    def __init__(self, line: int, warnings: list[ListWarning], *, heading: bool = False) -> None:
        self.line = line
        self.spans: list[Span] = []
        self.breaks: list[tuple[int, int]] = []
        """``(span index, line)`` where each source line after the first starts."""
        self.html_breaks: list[int] = []
        """Span indexes where an HTML ``<br>`` ends a line."""
        self.links: list[FoundLink] = []
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
            self.spans.append(Span(text, self._bold > 0, self._italic > 0, link))

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

    def html_break(self) -> None:
        """A ``<br>``: a space in the text, and the end of a line for :meth:`title_line`."""
        self.html_breaks.append(len(self.spans))
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
        self._open = _OpenLink(url.strip(), line, LinkRef(), len(self.spans))

    def close_link(self) -> None:
        opened, self._open = self._open, None
        if opened is None:
            return
        label = norm("".join(s.text for s in self.spans[opened.first_span :]))
        label = label or opened.ref.alt
        # A heading's link label is its text (``## [Models](#top)``), never noise.
        generic = not self._heading and is_generic_label(label)
        opened.ref.noise = opened.ref.badge or generic
        link = self._accept(opened.url, label, opened.line)
        if link is not None:
            self.links.append(FoundLink(link, opened.ref))

    def image(self, src: str, alt: str, line: int) -> None:
        """An image: inside a link it makes the link a badge; alone it adds nothing, except a
        GitHub-stars badge, which stands for its repository."""
        if self._open is not None:
            self._open.ref.badge = True
            self._open.ref.alt = self._open.ref.alt or norm(alt)
            return
        stars = _STARS_BADGE.match(src.strip())
        if stars:
            url = f"https://github.com/{stars.group(1)}/{stars.group(2)}"
            link = classify(url, norm(alt) or None)
            if link is not None and link.kind == "github":
                self.links.append(FoundLink(link, LinkRef(badge=True, noise=True), True))

    def extend(self, other: Fragment) -> None:
        """Append another fragment's content (a sub-item without links of its own)."""
        if self.spans:
            self.spans.append(Span(" ", False, False, None))
        self.breaks.extend((index + len(self.spans), line) for index, line in other.breaks)
        self.html_breaks.extend(index + len(self.spans) for index in other.html_breaks)
        self.spans.extend(other.spans)
        self.links.extend(other.links)
        self.anchors += other.anchors

    def split_lines(self) -> list[Fragment]:
        """One fragment per source line (links go with the line holding their label)."""
        bounds = [(0, self.line), *self.breaks, (len(self.spans), 0)]
        parts = []
        for (start, line), (end, _) in pairwise(bounds):
            part = Fragment(line, self._warnings)
            part.spans = self.spans[start:end]
            part.html_breaks = [i - start for i in self.html_breaks if start <= i < end]
            part.links = self._links_of(part.spans)
            parts.append(part)
        return parts

    def title_line(self) -> Fragment | None:
        """The opening line, when the block's title stands on a line of its own: the text
        before a ``<br>``, before a source line break followed by a list of authors, or before
        a wide gap (two spaces or more) followed by a description. ``None`` otherwise (a title
        wrapped over two source lines stays whole)."""
        cuts = [(index, 0) for index in self.html_breaks]
        for (index, _), line in zip(self.breaks, self.split_lines()[1:], strict=False):
            if _AUTHOR_LINE.match(line.full_text()):
                cuts.append((index, 0))
        for index, span in enumerate(self.spans):
            gap = _WIDE_GAP.search(span.text) if span.link is None else None
            after = gap and span.text[gap.end() :] + "".join(s.text for s in self.spans[index:])
            if gap and after and len(after.split()) >= _DESCRIPTION_WORDS:
                cuts.append((index, gap.start()))
                break
        if not cuts:
            return None
        end, offset = min(cuts)
        head = Fragment(self.line, self._warnings)
        head.spans = self.spans[:end]
        if offset:
            cut = self.spans[end]
            head.spans.append(Span(cut.text[:offset], cut.bold, cut.italic, cut.link))
        head.links = self._links_of(head.spans)
        return head

    def _links_of(self, spans: list[Span]) -> list[FoundLink]:
        refs = {id(span.link) for span in spans if span.link is not None}
        return [f for f in self.links if id(f.ref) in refs]

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
        return norm("".join(s.text for s in self.spans))

    def clean_text(self, *, unwrap: bool = True) -> str:
        """Text without noise link labels and the brackets/separators they leave; with
        ``unwrap``, the brackets of a link group around a kept label go too (``[[ZuCo1](…)]``
        → ``ZuCo1``)."""
        parts: list[str] = []
        previous: LinkRef | None = None
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
        return tidy(text.replace(_LABEL_START, "").replace(_LABEL_END, ""))

    def raw_text(self) -> str:
        """All text as written, spacing included (offsets of :meth:`runs` point into it)."""
        return "".join(s.text for s in self.spans)

    def runs(self, *, bold: bool = True, italic: bool = True) -> Iterator[tuple[int, str]]:
        """Maximal bold and/or italic runs, in order: ``(offset in raw_text, text)``."""
        start, offset = 0, 0
        parts: list[str] = []
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

    def opening_span(self) -> Span | None:
        """The first span with a letter or digit: how the block opens."""
        return next((s for s in self.spans if ALNUM.search(s.text)), None)

    def has_own_text(self) -> bool:
        """Whether the block has words outside its links."""
        return any(s.link is None and ALNUM.search(s.text) for s in self.spans)

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


def _trim_bare_url(url: str) -> str:
    """GitHub's rule for where a bare URL ends: not at trailing punctuation or an unbalanced
    closing parenthesis."""
    while url:
        unbalanced = url[-1] == ")" and url.count(")") > url.count("(")
        if url[-1] not in "?!.,:;*_~'\"" and not unbalanced:
            break
        url = url[:-1]
    return url
