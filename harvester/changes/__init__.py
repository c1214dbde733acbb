"""What changed between two catalogues: ``harvest diff``, job summaries and commit messages.

:func:`diff_catalogs` (``diff``) builds a :class:`Diff` (``records``), :func:`render_markdown` and
:func:`headline` (``render``) write it. See ``records`` for what a Diff holds; entries are paired
in ``matching`` and the list's venue text checked in ``findings``.
"""

from __future__ import annotations

from .diff import diff_catalogs, list_finding, match_entries, source_label
from .records import HEADLINE_WIDTH, MAX_ITEMS, TOP_N, Diff
from .render import headline, render_markdown

__all__ = ["HEADLINE_WIDTH", "MAX_ITEMS", "TOP_N", "Diff", "diff_catalogs", "headline",
           "list_finding", "match_entries", "render_markdown", "source_label"]
