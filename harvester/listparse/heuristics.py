"""Judgements about one block: its name, its venue, its text, the role of table columns."""

from __future__ import annotations

import re
from collections.abc import Iterable

from .fragments import FoundLink, Fragment
from .text import LETTER, VENUE_AT_YEAR, VENUE_NAMES, YEAR, YEAR_TOKEN, norm, venue_like

_PAREN_VENUE = re.compile(rf"\(([A-Za-z][^()]{{0,60}}?[\s,']\s*{YEAR})[^()]*\)")
_AFTER_JOURNAL = re.compile(rf"[^\"“”]{{0,40}}?(?:\({YEAR}\)|{YEAR})")
_QUOTED_TITLE = re.compile(r"[\"“](?P<title>[^\"“”]{3,300})[\"”]")
_CUT = re.compile(r"[:：]\s|：|\s(?:[-–—|·]|--)\s|(?<!\b[A-Z])(?<!\bal)(?<!\bvs)\.\s|\s[(\[]")
_PREFIX = re.compile(r"^[(\[]\s*([^()\[\]]{2,40}?)\s*[)\]]")
_DATE = re.compile(r"(?<!\d)\d{2}[./-]\d{2}(?!\d)")
_VENUE_START = re.compile(rf"^(?:{VENUE_NAMES})(?![a-z])", re.IGNORECASE)
_TRAILING_DOT = re.compile(r"(?<=\w{4})\.$|\s+\.$")
"""A sentence's final full stop, not an abbreviation's (``et al.``)."""
_PLACEHOLDER = re.compile(r"^[\s\-–—/?.]*$|^n/?a$", re.IGNORECASE)


def find_venue(frag: Fragment, title: str | None = None) -> str | None:
    """The venue/year phrase as written (see the package docstring for the order of rules).
    Words of ``title``, the entry's own title, never make its venue."""
    text = frag.full_text()
    prefix = _venue_prefix(text)
    if prefix is not None:
        return prefix
    for _, run in reversed(list(frag.runs())):
        if YEAR_TOKEN.search(run) and len(run.split()) <= 8 and not _is_title(run, title):
            return _strip_wrapping(norm(run))
    text = _without(text, title)
    found = list(VENUE_AT_YEAR.finditer(text))
    if found:
        return found[-1].group(0).strip()
    found = list(_PAREN_VENUE.finditer(text))
    if found:
        return found[-1].group(1).strip()
    raw = frag.raw_text()
    for start, run in frag.runs(bold=False):
        if not LETTER.search(run) or len(run.split()) > 6 or _is_title(run, title):
            continue
        after = _AFTER_JOURNAL.match(raw, start + len(run))
        if after:
            return norm(raw[start : after.end()])
    return None


def title_candidate(frag: Fragment) -> str | None:
    """What will name the entry when it is written as a title: its first bold text that is
    not a venue, else a link label among its first words."""
    return bold_name(frag, None) or frag.early_label()


def _venue_prefix(text: str) -> str | None:
    """A bracketed venue or date that opens the block's text: ``(Arxiv 24.04.15) Title``,
    ``(**CVPR24 Workshop**) Title``, ``[ICML 2024] Title``."""
    match = _PREFIX.match(text)
    if match is None:
        return None
    phrase = match.group(1)
    venue = YEAR_TOKEN.search(phrase) or _DATE.search(phrase) or _VENUE_START.match(phrase)
    return phrase if venue and len(phrase.split()) <= 6 else None


def _is_title(run: str, title: str | None) -> bool:
    return title is not None and _TRAILING_DOT.sub("", norm(run).strip(" \t:;,|·-–—")) == title


def _without(text: str, title: str | None) -> str:
    """``text`` with the title blanked out, so that no venue phrase is found across it."""
    if not title or title not in text:
        return text
    start = text.index(title)
    return text[:start] + "\x00" * len(title) + text[start + len(title) :]


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


def bold_name(frag: Fragment, venue: str | None) -> str | None:
    """The first bold text that is not a venue phrase or a number (a volume: ``**24**``)."""
    for _, run in frag.runs(italic=False):
        name = _TRAILING_DOT.sub("", norm(run).strip(" \t:;,|·-–—"))
        if LETTER.search(name) and not venue_like(name) and name != venue:
            return name
    return None


def plain_name(frag: Fragment, venue: str | None) -> str | None:
    """A name for an entry with no bold name (see the package docstring for the rules)."""
    full = frag.full_text()
    quoted = _QUOTED_TITLE.search(full)
    if quoted and re.search(r"[.,]", full[: quoted.start()]) and len(quoted["title"].split()) > 1:
        return quoted["title"].strip(" .,")
    if not frag.has_own_text():  # only links: the first one names the entry, unless generic
        return frag.first_label()
    label = frag.early_label()
    if label:
        return label
    head = frag.title_line()
    if head is not None and len(head.clean_text(unwrap=False).split()) >= 2:
        return _leading_words(head.clean_text(unwrap=False), venue)
    return _leading_words(frag.clean_text(unwrap=False), venue)


def _leading_words(text: str, venue: str | None) -> str | None:
    """The opening words of ``text`` without a venue phrase that starts it (``(NAACL'21)
    Title``) or ends its first sentence (``Title, in ICML 2024``)."""
    if venue:
        text = re.sub(rf"^\W*{re.escape(venue)}\W*", "", text)
        text = re.sub(rf"(?:,?\s+in)?\W*{re.escape(venue)}.*$", "", text)
    text = re.sub(r"^[^\w\"“]+", "", text)
    text = re.sub(r"^\d{1,3}[.)]\s+", "", text)  # a number written by hand: "7) Title"
    cut = _CUT.search(text)
    if cut and cut.start() > 0:
        text = text[: cut.start()]
    words = " ".join(text.split()[:12]).strip(" .,;:")
    for opening, closing in ("[]", "()"):
        if words.endswith(closing) and words.count(closing) > words.count(opening):
            words = words[:-1].rstrip(" .,;:")
    return words or None


def without_name(text: str, name: str) -> str:
    """Drop a leading ``NAME:`` (or ``NAME -``), so the text is the title/description."""
    if text.startswith(name):
        rest = re.match(r"\s*[:：]\s*|\s+[-–—]\s+", text[len(name) :])
        if rest:
            return text[len(name) + rest.end() :]
    return text


def is_pseudo_heading(frag: Fragment) -> bool:
    """A paragraph that is only a short bold phrase, used as a sub-heading."""
    all_bold = all(s.bold or not s.text.strip() for s in frag.spans)
    return all_bold and not frag.links and 0 < len(frag.clean_text().split()) <= 10


def opens_like_entry(frag: Fragment) -> bool:
    """Whether a paragraph opens with bold text or a link (not with running prose)."""
    opening = frag.opening_span()
    return opening is not None and (opening.bold or opening.link is not None)


def self_contained(cell: Fragment) -> bool:
    """A table cell that is an entry on its own: a link and some text of its own."""
    return bool(cell.links) and bool(cell.clean_text())


_NAME_HEADERS = ("name", "model", "method", "dataset", "tool", "title", "paper", "paper title")
_TEXT_HEADERS = ("title", "paper title", "paper", "papers", "publication")
_VENUE_HEADERS = ("venue", "conference", "journal", "published", "publication venue", "conf")


def column_roles(header: list[str] | None, width: int) -> tuple[int | None, int | None, int | None]:
    """Indexes of the name, text and venue columns, from the header's words."""
    if not header:
        return None, None, None
    names = [norm(re.sub(r"[^\w\s/]", " ", h.lower())) for h in header[:width]]

    def find(wanted: Iterable[str]) -> int | None:
        return next((names.index(w) for w in wanted if w in names), None)

    return find(_NAME_HEADERS), find(_TEXT_HEADERS), find(_VENUE_HEADERS)


def cell_value(cell: Fragment) -> str | None:
    text = cell.full_text()
    return None if _PLACEHOLDER.match(text) else text


def dedupe(found: list[FoundLink]) -> list[FoundLink]:
    """Links in order, one per URL; a stars badge only when no other link names its repo."""
    repos = {
        f.link.id.lower()
        for f in found
        if f.link.kind == "github" and f.link.id and not f.star_badge
    }
    kept: dict[str, FoundLink] = {}
    for f in found:
        if f.star_badge and f.link.id and f.link.id.lower() in repos:
            continue
        kept.setdefault(f.link.url, f)
    return list(kept.values())
