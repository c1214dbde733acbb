"""Print, as a Markdown table, what the list parser finds in each list of the corpus.

    python scripts/corpus_counts.py [LIST.md ...]   # with the package installed: pip install -e .

With no arguments it reads ``tests/data/lists/*__*.md``. Columns: entries, of which papers;
the distinct arXiv ids, OpenReview ids and GitHub repositories their links name; the papers
some source will be asked for, offline (a paper with a link id, or a paper whose title the
list gives: ``pipeline.list_title``), split into by id and by title only; and the papers that
are not resolvable, with the reason.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from harvester.identify import PAPER_KINDS
from harvester.listparse import ListEntry, decode_list, parse_list
from harvester.plan import list_title

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "lists"


def unresolvable(entry: ListEntry) -> str | None:
    """Why no source can be asked about a paper entry, or ``None`` when one can."""
    if any(link.kind in PAPER_KINDS and link.id for link in entry.links):
        return None
    if any(entry.name == link.url for link in entry.links):
        return "named by its URL"
    if entry.section and entry.name == entry.section[-1] and not entry.text:
        return "named by its heading"
    if not list_title(entry):
        return "no title"
    return None


def counts(path: Path) -> list[str]:
    text, _ = decode_list(path.read_bytes())
    entries = parse_list(text).entries
    distinct: dict[str, set[str]] = {"arxiv": set(), "openreview": set(), "github": set()}
    for link in (link for entry in entries for link in entry.links):
        if link.kind in distinct and link.id:
            distinct[link.kind].add(link.id.lower() if link.kind == "github" else link.id)
    papers = [entry for entry in entries if entry.kind == "paper"]
    by_id = sum(any(k.kind in PAPER_KINDS and k.id for k in e.links) for e in papers)
    reasons = Counter(reason for e in papers if (reason := unresolvable(e)) is not None)
    asked = len(papers) - sum(reasons.values())
    lost = sum(reasons.values())
    why = ", ".join(f"{reason}: {n}" for reason, n in sorted(reasons.items()))
    return [
        str(len(entries)),
        str(len(papers)),
        *(str(len(ids)) for ids in distinct.values()),
        f"{asked} ({by_id} + {asked - by_id})",
        f"{lost} ({why})" if lost else "0",
    ]


def main(paths: list[str]) -> None:
    files = [Path(p) for p in paths] or sorted(CORPUS.glob("*__*.md"))
    print(
        "| list | entries | papers | arXiv ids | OpenReview ids | GitHub repos "
        "| papers asked for (by id + by title only) | not resolvable (reason) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for path in files:
        print(f"| {path.stem} | " + " | ".join(counts(path)) + " |")


if __name__ == "__main__":
    main(sys.argv[1:])
