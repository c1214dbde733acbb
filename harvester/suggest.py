"""``harvest suggest``: the list's own text, brought up to date where the sources say it is out
of date, changing only those phrases and keeping every other byte.

Two kinds of edit, both read from a finished catalogue:

* **venue** — the change report's findings where the list's venue text and the sources disagree
  (:func:`harvester.changes.list_finding`, one rule for both): the list says ``Preprint, 2025``
  (or ``ICLR 2024``) but OpenReview or Crossref says accepted at ICLR 2025 / published in Nature.
  The phrase the list wrote (``listed_venue``) is replaced, inside that entry's own item, by the
  paper's display ``venue`` (``ICLR 2025``; a journal gets its year: ``Nature 2025``). When the
  phrase is not found exactly once in the item, nothing is changed and the suggestion says why.
  A venue the list names and no source confirms is reported, never edited (nothing better to
  write).
* **renamed repository** — a GitHub repository the list links under a name GitHub has since
  renamed (``renamed_from`` in the catalogue): ``github.com/old/name`` becomes
  ``github.com/new/name`` in the link targets (the rest of the URL kept).

The file is handled as bytes (undecodable bytes, a BOM, CRLF line ends survive untouched).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from . import venues
from .changes import diff_catalogs, source_label
from .models import Catalog, Entry

_ITEM_START = re.compile(r"[ \t]*(?:[-*+][ \t]|\d+[.)][ \t]|\||#|<(?:li|tr|p)\b)",
                         re.IGNORECASE)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_PRESENTATION = re.compile(r"\s*\b(oral|spotlight|poster|conference submission)\b\s*$",
                           re.IGNORECASE)
@dataclass(frozen=True)
class Suggestion:
    key: str
    name: str
    kind: str
    """``venue`` or ``repository``."""
    old: str
    new: str
    applied: bool
    why: str
    """What the sources say, or why the edit could not be placed."""

    def markdown(self) -> str:
        change = f"`{self.old}` → `{self.new}`" if self.new else f"`{self.old}`"
        if self.applied:
            return f"- **{self.name}**: {change} ({self.why})"
        return f"- **{self.name}**: {change} — not applied: {self.why}"


@dataclass
class Result:
    text: bytes
    suggestions: list[Suggestion]

    @property
    def changed(self) -> bool:
        return any(s.applied for s in self.suggestions)


def venue_phrase(entry: Entry) -> str | None:
    """How the list should name the paper's venue now: the paper's display ``venue`` ("ICLR
    2025"), with the year added where the display form has none ("Nature 2025"). A catalogue
    written before the venue fields has its ``venue`` text read through the vocabulary."""
    paper = entry.paper
    if paper is None or not paper.venue:
        return None
    venue = " ".join(paper.venue.split())
    year = paper.venue_year
    if not (paper.venue_key and paper.venue_key in venues.vocabulary().venues):
        found = venues.match(venue)
        if found is not None:
            venue, year = found.venue, year or found.year
        else:
            venue = _PRESENTATION.sub("", venue)
    year = year or paper.year
    if year and not _YEAR.search(venue):
        venue = f"{venue} {year}"
    return venue


def _line_bounds(text: str, position: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    return start, len(text) if end < 0 else end


def item_span(text: str, position: int) -> tuple[int, int]:
    """The list item, table row or paragraph around ``position``: from the line that starts it
    to the line before the next item, blank line or heading."""
    start, end = _line_bounds(text, position)
    while start > 0 and not _ITEM_START.match(text, start):
        previous_start, _ = _line_bounds(text, start - 1)
        if not text[previous_start:start - 1].strip():
            break  # a blank line: the paragraph starts here
        start = previous_start
    while end < len(text):
        next_start, next_end = _line_bounds(text, end + 1)
        line = text[next_start:next_end]
        if not line.strip() or _ITEM_START.match(line):
            break
        end = next_end
    return start, end


def _locate(text: str, entry: Entry) -> tuple[int, int] | None:
    for link in entry.links:
        at = text.find(link.url)
        if at >= 0:
            return item_span(text, at)
    for needle in (f"**{entry.name}**", entry.name):
        if text.count(needle) == 1:
            return item_span(text, text.index(needle))
    return None


def suggest(catalog: Catalog, data: bytes) -> Result:
    """The edits the catalogue suggests for the list ``data`` (its bytes), applied."""
    text = data.decode("utf-8", errors="surrogateescape")
    edits: list[tuple[int, int, str, int]] = []
    """(start, end, replacement, index of its suggestion)"""
    suggestions: list[Suggestion] = []
    by_key = {entry.key: entry for entry in catalog.entries}

    for finding in diff_catalogs(None, catalog).list_outdated:
        entry = by_key.get(finding.key)
        old = (finding.listed_venue or "").strip()
        if entry is None or not old:
            continue  # nothing the list wrote to replace
        if not finding.replaceable:
            said = finding.message.partition(": ")[2].removeprefix(f"the list says '{old}' but ")
            suggestions.append(Suggestion(entry.key, entry.name, "venue", old, "", False,
                                          said.partition(" — ")[0]))
            continue
        new = venue_phrase(entry)
        if not new or new == old:
            continue  # nothing better to say
        source = source_label(finding.source)
        where = f"{source} says {finding.status}"
        if finding.venue:
            where += (" at " if finding.status == "accepted" else " in ") + finding.venue
        span = _locate(text, entry)
        if span is None:
            suggestions.append(Suggestion(entry.key, entry.name, "venue", old, new, False,
                                          "the entry was not found in the list"))
            continue
        item = text[span[0]:span[1]]
        if item.count(old) != 1:
            suggestions.append(Suggestion(
                entry.key, entry.name, "venue", old, new, False,
                f"'{old}' appears {item.count(old)} times in the entry's item"))
            continue
        at = span[0] + item.index(old)
        edits.append((at, at + len(old), new, len(suggestions)))
        suggestions.append(Suggestion(entry.key, entry.name, "venue", old, new, True, where))

    renamed: dict[str, tuple[Entry, str]] = {}
    for entry in catalog.entries:
        for repo in entry.repos:
            if repo.renamed_from and repo.renamed_from.lower() != repo.full_name.lower():
                renamed.setdefault(repo.renamed_from.lower(), (entry, repo.full_name))
    for old_name, (entry, new_name) in renamed.items():
        # the name ends where a repository name cannot go on (".git" and a full stop may follow)
        pattern = re.compile(r"(?<=github\.com/)" + re.escape(old_name)
                             + r"(?=$|[^A-Za-z0-9_.-]|\.git\b|\.(?![A-Za-z0-9_-]))",
                             re.IGNORECASE)
        hits = list(pattern.finditer(text))
        if not hits:
            continue
        for hit in hits:
            edits.append((hit.start(), hit.end(), new_name, len(suggestions)))
        suggestions.append(Suggestion(entry.key, entry.name, "repository", hits[0].group(0),
                                      new_name, True, "GitHub says the repository was renamed"))

    edits.sort()
    out: list[str] = []
    last = 0
    for start, end, new, index in edits:
        if start < last:  # overlaps an edit already made: this one is left out
            suggestions[index] = replace(suggestions[index], applied=False,
                                         why="it overlaps another edit")
            continue
        out.append(text[last:start])
        out.append(new)
        last = end
    out.append(text[last:])
    return Result("".join(out).encode("utf-8", errors="surrogateescape"), suggestions)


def render(result: Result) -> str:
    """The suggestions as Markdown (a commit body or a pull request's text)."""
    if not result.suggestions:
        return "The list's own text agrees with the sources: nothing to suggest.\n"
    lines = ["Where the list's own text is out of date:", ""]
    lines += [s.markdown() for s in result.suggestions]
    return "\n".join(lines) + "\n"
