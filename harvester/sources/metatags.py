"""The Highwire Press ``citation_*`` (and Dublin Core ``DC.*``) meta tags of a paper page.

Proceedings sites put these in a page's head for Google Scholar
(https://scholar.google.com/intl/en/scholar/inclusion.html#indexing): one tag per value
(``citation_author`` once per author). :class:`MetaTagParser` collects them by lower-cased name
with the stdlib HTML parser (unquoted attribute values and ``content=`` before ``name=`` parse
like any other); the page readers that extend it read the body's abstract their own way.
"""

from __future__ import annotations

from html.parser import HTMLParser

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


class MetaTagParser(HTMLParser):
    """Collects ``citation_*`` and ``dc.*`` meta tags into ``meta`` (name → values in page
    order); a subclass calls :meth:`meta_tag` first in its ``handle_starttag``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, list[str]] = {}

    def meta_tag(self, tag: str, values: dict[str, str]) -> bool:
        """Keep the tag if it is a ``citation_*`` or ``dc.*`` meta tag; True when it was."""
        name = values.get("name", "").lower()
        if tag == "meta" and (name.startswith("citation_") or name.startswith("dc.")):
            self.meta.setdefault(name, []).append(values.get("content", ""))
            return True
        return False

    def first(self, *names: str) -> str | None:
        """The first non-blank value of the first of ``names`` that has one, whitespace
        collapsed."""
        for name in names:
            for value in self.meta.get(name, []):
                if text := clean(value):
                    return text
        return None


def read(parser: MetaTagParser, body: bytes) -> None:
    """Feed a page body (UTF-8, undecodable bytes replaced) through ``parser``."""
    parser.feed(body.decode("utf-8", errors="replace"))
    parser.close()


def clean(text: str) -> str:
    """Whitespace collapsed to single spaces, ends stripped."""
    return " ".join(text.split())
