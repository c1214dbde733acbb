"""What the parser returns (entries, warnings) and how a list file's bytes become text."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from ..models import Link


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
