"""Which entry of the previous catalogue is which of the new one, and which repository of an
entry is which (pure)."""

from __future__ import annotations

from typing import Any

from ..matching import link_ids, link_pairs
from ..models import Entry, Repo


def _link_ids(entry: Entry) -> tuple[set[str], set[str]]:
    """(paper ids, repository ids) named by the entry's links, case-folded."""
    return link_ids(link_pairs(entry.links))


def match_entries(old: list[Entry], new: list[Entry]) -> list[tuple[Entry | None, Entry | None]]:
    """Pairs (old, new): matched by key, then by a shared link id; unmatched on either side
    paired with ``None``. New entries keep list order; removed ones come last, in old order."""
    old_by_key: dict[str, int] = {}
    for i, entry in enumerate(old):
        old_by_key.setdefault(entry.key, i)
    pairs: list[list[Any]] = []
    used: set[int] = set()
    for entry in new:
        found = old_by_key.get(entry.key)
        if found is not None and found not in used:
            used.add(found)
            pairs.append([found, entry])
        else:
            pairs.append([None, entry])

    # Fallback for unmatched entries: a shared link id (paper ids weigh more than repos, which
    # a toolbox may share with several papers).
    index: dict[str, list[int]] = {}
    old_ids = {}
    for i, entry in enumerate(old):
        if i in used:
            continue
        old_ids[i] = _link_ids(entry)
        for ident in old_ids[i][0] | old_ids[i][1]:
            index.setdefault(ident, []).append(i)
    if index:
        for pair in pairs:
            if pair[0] is not None:
                continue
            papers, repos = _link_ids(pair[1])
            candidates = {
                i for ident in papers | repos for i in index.get(ident, ()) if i not in used
            }
            if not candidates:
                continue

            def score(i: int, papers: set[str] = papers,
                      repos: set[str] = repos) -> tuple[int, int, int]:
                return (len(papers & old_ids[i][0]), len(repos & old_ids[i][1]), -i)

            best = max(candidates, key=score)
            used.add(best)
            pair[0] = best
    result: list[tuple[Entry | None, Entry | None]] = [
        (old[i] if i is not None else None, entry) for i, entry in pairs
    ]
    result.extend((entry, None) for i, entry in enumerate(old) if i not in used)
    return result


def repo_names(repo: Repo) -> set[str]:
    names = {repo.full_name.lower()}
    if repo.renamed_from:
        names.add(repo.renamed_from.lower())
    return names


def match_repos(old: list[Repo], new: list[Repo]) -> list[tuple[Repo, Repo | None]]:
    """Each old repository with its new record (same name, or linked through ``renamed_from``)."""
    out: list[tuple[Repo, Repo | None]] = []
    taken: set[int] = set()
    for o in old:
        names = repo_names(o)
        found = None
        for j, n in enumerate(new):
            if j not in taken and n.full_name.lower() == o.full_name.lower():
                found = j
                break
        if found is None:
            for j, n in enumerate(new):
                if j not in taken and repo_names(n) & names:
                    found = j
                    break
        if found is not None:
            taken.add(found)
        out.append((o, new[found] if found is not None else None))
    return out
