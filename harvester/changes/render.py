"""The change report as a one-line headline and as Markdown (job summary, commit body)."""

from __future__ import annotations

import re

from .diff import source_label
from .records import (
    HEADLINE_WIDTH,
    MAX_ITEMS,
    CountChange,
    Diff,
    EntryRef,
)

# --------------------------------------------------------------------------- headline


def _plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n} {word if n == 1 else (words or word + 's')}"


def headline(diff: Diff) -> str:
    """One line for a commit subject, e.g. ``3 entries added, 2 status changes, stars +154
    across 4 repos``."""
    if diff.first_run:
        numbers = {s.field: s.new for s in diff.summary}
        parts = [
            f"first catalogue: {_plural(numbers.get('entries', 0), 'entry', 'entries')}",
            _plural(numbers.get("papers", 0), "paper"),
            _plural(numbers.get("repos", 0), "repo"),
        ]
        if numbers.get("errors"):
            parts.append(_plural(numbers["errors"], "error"))
        return ", ".join(parts)
    lost = None
    if diff.entries_lost is not None:
        lost = (f"LIST LOST {diff.entries_lost.lost} OF {diff.entries_lost.old} ENTRIES "
                f"({diff.entries_lost.old} → {diff.entries_lost.new})")
    stars = citations = None
    if diff.stars_repos_changed:
        stars = (f"stars {diff.stars_delta:+d} across "
                 f"{_plural(diff.stars_repos_changed, 'repo')}")
    if diff.citations_papers_changed:
        citations = (f"citations {diff.citations_delta:+d} across "
                     f"{_plural(diff.citations_papers_changed, 'paper')}")
    # Most telling first: a subject line keeps only what fits.
    candidates: list[tuple[int, str, str | None] | str | None] = [
        lost,
        (len(diff.added), "entry added", "entries added"),
        (len(diff.removed), "entry removed", "entries removed"),
        (len(diff.status_changes), "status change", None),
        stars,
        (len(diff.repos_archived), "repo archived", "repos archived"),
        (len(diff.repos_gone), "repo gone", "repos gone"),
        (len(diff.dead_ids), "dead id", None),
        (len(diff.list_outdated), "list venue disagrees with the sources",
         "list venues disagree with the sources"),
        (len(diff.renamed), "entry renamed", "entries renamed"),
        (len(diff.venue_changes), "venue change", None),
        (len(diff.repos_renamed), "repo renamed", "repos renamed"),
        citations,
        (len(diff.new_errors) - len(diff.dead_ids), "new error", None),
        (len(diff.new_stale), "new stale value", None),
    ]
    parts = []
    for item in candidates:
        if isinstance(item, str):
            parts.append(item)
        elif item is not None and item[0]:
            parts.append(_plural(*item))
    if not parts:
        changed = [s for s in diff.summary if s.old != s.new]
        if not changed:
            return "no changes"
        return (
            "catalogue updated ("
            + ", ".join(f"{s.field.replace('_', ' ')} {s.old} → {s.new}" for s in changed[:2])
            + ")"
        )
    line = parts[0]
    for i, part in enumerate(parts[1:], start=1):
        if len(line) + 2 + len(part) > HEADLINE_WIDTH:
            return line + f" and {len(parts) - i} more"
        line += ", " + part
    return line


# --------------------------------------------------------------------------- Markdown

# Underscores inside a word (``rate_limited``) never start emphasis: left alone for readability.
_MD_SPECIAL = re.compile(r"([\\`*\[\]<>|]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9]))")


def _md(text: str | None) -> str:
    """Inline text, Markdown-escaped, on one line."""
    if text is None:
        return "—"
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _code(text: str) -> str:
    text = " ".join(text.split())
    fence = "``" if "`" in text else "`"
    return f"{fence} {text} {fence}" if fence == "``" else f"`{text}`"


def _cell(code: str) -> str:
    """A code span in a table cell: pipes must be escaped even there."""
    return code.replace("|", "\\|")


def _who(key: str, name: str) -> str:
    return f"**{_md(name)}**" if name else _code(key)


def _value(value: str | None) -> str:
    return "—" if value is None else _md(value)


def _bullets(items: list[str]) -> list[str]:
    lines = [f"- {item}" for item in items[:MAX_ITEMS]]
    if len(items) > MAX_ITEMS:
        lines.append(f"- … and {len(items) - MAX_ITEMS} more")
    return lines


def _count_table(
    title: str, changes: list[CountChange], total: int, delta: int, what: str, subject_is_code: bool
) -> list[str]:
    shown = "" if total <= len(changes) else f" (largest {len(changes)} of {total})"
    whats = what[:-1] + "ies" if what.endswith("y") else None
    lines = [
        f"## {title}{shown}",
        "",
        f"Net {delta:+d} across {_plural(total, what, whats)}.",
        "",
        f"| {what} | entry | old | new | change |",
        "|---|---|---:|---:|---:|",
    ]
    for c in changes:
        subject = _cell(_code(c.subject)) if subject_is_code else _md(c.subject)
        lines.append(f"| {subject} | {_md(c.name)} | {c.old} | {c.new} | {c.delta:+d} |")
    return [*lines, ""]


def render_markdown(diff: Diff) -> str:
    """The diff as Markdown: a title line, then only the non-empty sections, "Attention" first."""
    line = headline(diff)
    out = ["# Catalogue changes", "", _md(line[:1].upper() + line[1:]) + ".", ""]
    if diff.is_empty():
        return "\n".join(out)

    def section(title: str, items: list[str]) -> None:
        if items:
            out.extend([f"## {title} ({len(items)})", "", *_bullets(items), ""])

    attention: list[str] = []
    if diff.entries_lost is not None:
        lost = diff.entries_lost
        attention.append(
            f"**The list lost {lost.lost} of its {lost.old} entries** ({lost.old} → {lost.new}) "
            "since the previous catalogue: check that the list still serves the whole file "
            "(a moved file, a proxy or login page, an edit gone wrong)")
    attention += [
        f"{_who(s.key, s.name)}: " + _md(s.message[len(s.name) + 2:]) for s in diff.list_outdated
    ]
    attention += [
        f"{_who(r.key, r.name)}: repository {_code(r.repo)} was archived"
        for r in diff.repos_archived
    ]
    attention += [
        f"{_who(r.key, r.name)}: repository {_code(r.repo)} is gone"
        + (f" ({_md(r.detail)})" if r.detail else "")
        for r in diff.repos_gone
    ]
    attention += [
        f"{_who(e.key, e.name)}: dead id — {_md(source_label(e.source))} does not "
        f"know {_code(e.ref)}"
        if e.source != "list"
        else f"{_who(e.key, e.name)}: dead link {_code(e.ref)} — {_md(e.message)}"
        for e in diff.dead_ids
    ]
    section("Attention", attention)
    if diff.list_outdated:
        out.extend([
            "Where the list's venue disagrees with the sources, the catalogue follows the "
            "sources; `harvest suggest --write LIST` brings those phrases in the list up to "
            "date (every other byte kept).",
            "",
        ])

    def entry_line(e: EntryRef) -> str:
        where = f" — {_md(' › '.join(e.section))}" if e.section else ""
        return f"{_who(e.key, e.name)} ({_code(e.key)}){where}"

    section("Entries added", [entry_line(e) for e in diff.added])
    section("Entries removed", [entry_line(e) for e in diff.removed])
    section(
        "Entries renamed",
        [
            f"{_code(r.old_key)} → {_code(r.new_key)}"
            + (
                f" ({_md(r.old_name)} → {_md(r.new_name)})"
                if r.old_name != r.new_name
                else f" ({_md(r.new_name)})"
            )
            for r in diff.renamed
        ],
    )
    section(
        "Venue and status changes",
        [
            f"{_who(c.key, c.name)}: {c.field} {_value(c.old)} → {_value(c.new)}"
            + (f" ({_md(source_label(c.source))})" if c.source else "")
            for c in diff.paper_changes
        ],
    )
    section(
        "Repositories renamed",
        [f"{_who(r.key, r.name)}: {_code(r.old)} → {_code(r.new)}" for r in diff.repos_renamed],
    )
    if diff.star_changes:
        out.extend(
            _count_table(
                "Star changes",
                diff.star_changes,
                diff.stars_repos_changed,
                diff.stars_delta,
                "repository",
                True,
            )
        )
    if diff.citation_changes:
        out.extend(
            _count_table(
                "Citation changes",
                diff.citation_changes,
                diff.citations_papers_changed,
                diff.citations_delta,
                "paper",
                False,
            )
        )
    section(
        "New errors",
        [
            f"{_who(e.key, e.name)}: {_md(e.source)} {_code(e.ref)} {e.kind.replace('_', ' ')} — "
            f"{_md(e.message)}"
            for e in diff.new_errors
        ],
    )
    section(
        "New stale values",
        [
            f"{_who(s.key, s.name)}: {_code(s.field)} — {_md(s.reason)}"
            + (f" (since {_md(s.since)})" if s.since else "")
            for s in diff.new_stale
        ],
    )

    section("Trends", diff.trends)

    if diff.summary:
        out.extend(["## Summary", "", "| | old | new |", "|---|---:|---:|"])
        for s in diff.summary:
            old = "—" if s.old is None else str(s.old)
            change = "" if s.old is None or s.old == s.new else f" ({s.new - s.old:+d})"
            out.append(f"| {s.field.replace('_', ' ')} | {old} | {s.new}{change} |")
        out.append("")
    return "\n".join(out)
