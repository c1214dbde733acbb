"""A NeurIPS ``-Bibtex.bib`` file: one ``@inproceedings`` entry read by a small tolerant field
parser (``{…}`` values with nested braces, ``"…"`` values, bare numbers, LaTeX accents)."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from ...errors import InvalidResponse
from ...models import PaperRecord
from .common import clean, key_year, names, venue

_ENTRY = re.compile(r"@\s*\w+\s*[{(]\s*[^,\s]*\s*,")
_FIELD = re.compile(r"\s*([A-Za-z][\w:-]*)\s*=\s*")
_COMMA = re.compile(r"\s*,")
_BARE = re.compile(r"[^,}\s]+")
_AND = re.compile(r"\s+and\s+", re.I)
_ACCENTS = {'"': "\u0308", "'": "\u0301", "`": "\u0300", "^": "\u0302", "~": "\u0303",
            "=": "\u0304", ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b",
            "c": "\u0327", "k": "\u0328", "r": "\u030a"}
_SYMBOL_ACCENT = re.compile(r"\\([\"'`^~=.])\s*(?:\{\s*([A-Za-z])\s*\}|([A-Za-z]))")
_LETTER_ACCENT = re.compile(r"\\([uvHckr])(?:\s*\{\s*([A-Za-z])\s*\}|\s+([A-Za-z]))")
_LETTERS = {"ss": "ß", "o": "ø", "O": "Ø", "aa": "å", "AA": "Å", "ae": "æ", "AE": "Æ",
            "oe": "œ", "OE": "Œ", "l": "ł", "L": "Ł", "i": "i", "j": "j"}
_LETTER = re.compile(r"\\(ss|aa|AA|ae|AE|oe|OE|o|O|l|L|i|j)(?![A-Za-z])\s*")
_ESCAPED = re.compile(r"\\([&%$#_])")
_COMMAND = re.compile(r"\\[A-Za-z]+\s*")
_OPEN, _CLOSE = "\x00", "\x01"  # stand-ins for escaped braces while groups are removed


def parse_bibtex(text: str) -> dict[str, str]:
    """The fields of the first entry, names lower-cased, values raw (inner braces kept)."""
    start = _ENTRY.search(text)
    if start is None:
        raise InvalidResponse("neurips: the BibTeX file holds no entry")
    fields: dict[str, str] = {}
    pos = start.end()
    while (field := _FIELD.match(text, pos)) is not None:
        value, pos = _bib_value(text, field.end())
        fields.setdefault(field[1].lower(), value)
        comma = _COMMA.match(text, pos)
        if comma is None:
            break
        pos = comma.end()
    return fields


def _bib_value(text: str, pos: int) -> tuple[str, int]:
    """One value at ``pos``: ``{…}`` (nested), ``"…"`` (braces may hide quotes) or a bare word."""
    opener = text[pos : pos + 1]
    if opener not in ("{", '"'):
        bare = _BARE.match(text, pos)
        return (bare[0], bare.end()) if bare else ("", pos)
    depth, end = 0, pos + 1
    while end < len(text):
        char = text[end]
        if char == "\\":  # an escaped character (\{, \") never opens, closes or ends
            end += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            if depth == 0 and opener == "{":
                return text[pos + 1 : end], end + 1
            depth -= 1
        elif char == '"' and depth == 0 and opener == '"':
            return text[pos + 1 : end], end + 1
        end += 1
    raise InvalidResponse("neurips: a BibTeX value is not closed")


def latex_text(value: str | None) -> str | None:
    """A BibTeX value as plain text: accents composed, escapes and braces removed."""
    if not value:
        return None

    def accent(match: re.Match[str]) -> str:
        letter = match[2] or match[3]
        return unicodedata.normalize("NFC", letter + _ACCENTS[match[1]])

    text = value.replace("\\{", _OPEN).replace("\\}", _CLOSE)  # literal braces survive
    text = _LETTER.sub(lambda m: _LETTERS[m[1]], text)  # first: \'{\i} → \'{i} → í
    text = _SYMBOL_ACCENT.sub(accent, text)
    text = _LETTER_ACCENT.sub(accent, text)
    text = _ESCAPED.sub(r"\1", text)
    text = _COMMAND.sub("", text).replace("{", "").replace("}", "").replace("~", " ")
    return clean(text.replace(_OPEN, "{").replace(_CLOSE, "}")) or None


def _bib_authors(value: str | None) -> list[str] | None:
    """``Last, First and Last, First`` split at top-level ``and`` (not inside braces)."""
    if not value:
        return None
    parts, start = [], 0
    for match in _AND.finditer(value):
        if value.count("{", 0, match.start()) == value.count("}", 0, match.start()):
            parts.append(value[start : match.start()])
            start = match.end()
    parts.append(value[start:])
    return names([latex_text(name) or "" for name in parts])


def parse_bibtex_record(body: bytes, key: str) -> PaperRecord:
    """The record of a ``-Bibtex.bib`` file fetched for ``key``."""
    fields = parse_bibtex(body.decode("utf-8-sig", errors="replace"))
    title = latex_text(fields.get("title"))
    if title is None:
        raise InvalidResponse("neurips: the BibTeX entry has no title")
    year = key_year(key)
    url = _plain(fields.get("url"))
    doi = _plain(fields.get("doi"))
    is_pdf = bool(url and url.lower().endswith(".pdf"))
    return PaperRecord(
        title=title,
        authors=_bib_authors(fields.get("author")),
        year=year,
        venue=venue(year, latex_text(fields.get("booktitle"))),
        status="published",
        ids={"proceedings": key, **({"doi": doi.lower()} if doi else {})},
        landing_url=url if url and not is_pdf else None,
        pdf_url=url if is_pdf else None,
    )


def _plain(value: Any) -> str | None:
    """A URL or DOI field: braces and whitespace removed, nothing else touched."""
    text = re.sub(r"[{}\s]", "", value) if isinstance(value, str) else ""
    return text or None
