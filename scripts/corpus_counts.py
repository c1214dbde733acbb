"""Print, as a Markdown table, what the list parser finds in each list of the corpus.

    python scripts/corpus_counts.py [LIST.md ...]   # with the package installed: pip install -e .

With no arguments it reads ``tests/data/lists/*__*.md``. Columns: entries, of which papers,
and the distinct arXiv ids, OpenReview ids and GitHub repositories their links name.
"""

from __future__ import annotations

import sys
from pathlib import Path

from harvester.listparse import decode_list, parse_list

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "lists"


def counts(path: Path) -> list[int]:
    text, _ = decode_list(path.read_bytes())
    entries = parse_list(text).entries
    distinct: dict[str, set[str]] = {"arxiv": set(), "openreview": set(), "github": set()}
    for link in (link for entry in entries for link in entry.links):
        if link.kind in distinct and link.id:
            distinct[link.kind].add(link.id.lower() if link.kind == "github" else link.id)
    papers = sum(entry.kind == "paper" for entry in entries)
    return [len(entries), papers, *(len(ids) for ids in distinct.values())]


def main(paths: list[str]) -> None:
    files = [Path(p) for p in paths] or sorted(CORPUS.glob("*__*.md"))
    print("| list | entries | papers | arXiv ids | OpenReview ids | GitHub repos |")
    print("|---|---:|---:|---:|---:|---:|")
    for path in files:
        print(f"| {path.stem} | " + " | ".join(str(n) for n in counts(path)) + " |")


if __name__ == "__main__":
    main(sys.argv[1:])
