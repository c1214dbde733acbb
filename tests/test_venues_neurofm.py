"""The venue fields of the 15 papers of the neurofm list, resolved from the records the sources'
own parsers make of what the fake world answers (``tests/fakeapi``), without a server.

The records are the ones a harvest of the neurofm list gathers: arXiv, OpenReview, bioRxiv or
Crossref for the link the list gives, the journal's Crossref record of a published bioRxiv
preprint, and Semantic Scholar for every paper. Three raw fields the parsers do not yet keep
are added from the same answers, as the venue resolution reads them: OpenReview's
``content.venueid`` and creation date (``cdate``), Semantic Scholar's ``externalIds.DBLP``, and
Crossref's ``ISSN``. The status is the first of merge's status tiers.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from harvester.merge import merge_paper
from harvester.sources.arxiv import parse_feed
from harvester.sources.biorxiv import parse_details
from harvester.sources.crossref import parse_work
from harvester.sources.openreview import parse_note
from harvester.sources.semanticscholar import parse_paper
from tests.fakeapi import World, formats

NOW = datetime(2026, 3, 1, tzinfo=UTC)
WORLD = World.neurofm()

# name: (status, venue, venue_key, venue_year, track, presentation, year)
EXPECTED: dict[str, tuple[Any, ...]] = {
    "POYO": ("accepted", "NeurIPS 2023", "neurips", 2023, None, None, 2023),
    "POYO+": ("accepted", "ICLR 2025", "iclr", 2025, None, "spotlight", 2025),
    "NDT2": ("accepted", "NeurIPS 2023", "neurips", 2023, None, None, 2023),
    "MtM": ("accepted", "NeurIPS 2024", "neurips", 2024, None, "poster", 2024),
    "NDT3": ("preprint", "bioRxiv", "biorxiv", 2025, None, None, 2025),
    "Multi-X DDM": ("under_review", "ICLR 2026", "iclr", 2026, None, None, 2025),
    "Wang et al.": ("published", "Nature", "nature", 2025, None, None, 2025),
    "CEBRA": ("published", "Nature", "nature", 2023, None, None, 2023),
    "Jiang et al.": ("preprint", "bioRxiv", "biorxiv", 2025, None, None, 2025),
    "Neuroformer": ("accepted", "ICLR 2024", "iclr", 2024, None, None, 2024),
    "GNOCCHI": ("preprint", "arXiv", "arxiv", 2024, None, None, 2024),
    "LDNS": ("accepted", "NeurIPS 2024", "neurips", 2024, None, None, 2024),
    "NDT1": ("accepted", "Neurons, Behavior, Data analysis, and Theory", "nbdt", 2021, None,
             None, 2021),
    "PopT": ("accepted", "ICLR 2025", "iclr", 2025, None, None, 2025),
    "FALCON": ("accepted", "NeurIPS 2024", "neurips", 2024, "Datasets and Benchmarks",
               "poster", 2024),
}


def _dump(record: Any) -> dict[str, Any]:
    data: dict[str, Any] = record.model_dump(mode="json", exclude_none=True)
    return data


def records_of(paper: Any) -> dict[str, list[dict[str, Any]]]:
    records: dict[str, list[dict[str, Any]]] = {}
    if paper.listed_as == "arxiv":
        feed = formats.arxiv_feed([(paper, paper.arxiv_version)], id_list=paper.arxiv,
                                  search_query="", start=0, max_results=1, total=1, now=NOW)
        records["arxiv"] = [_dump(parse_feed(feed, [paper.arxiv])[paper.arxiv])]
    if paper.listed_as == "openreview":
        note = formats.openreview_note_v2(paper)
        record = _dump(parse_note(note))
        record["venueid"] = note["content"]["venueid"]["value"]
        record["created"] = datetime.fromtimestamp(note["cdate"] / 1000, UTC).date().isoformat()
        records["openreview"] = [record]
    if paper.listed_as == "biorxiv":
        parsed = parse_details(formats.biorxiv_details(paper))
        assert parsed is not None
        records["biorxiv"] = [_dump(parsed)]
    journal_doi = paper.doi if paper.listed_as == "doi" else paper.biorxiv_published_doi
    if journal_doi:
        envelope = formats.crossref_work(paper, journal_doi)
        record = _dump(parse_work(json.dumps(envelope).encode()))
        record["issn"] = envelope["message"].get("ISSN", [])
        records["crossref"] = [record]
    s2 = formats.s2_paper_full(paper)
    record = _dump(parse_paper(s2))
    if s2["externalIds"].get("DBLP"):
        record["dblp"] = s2["externalIds"]["DBLP"]
    records["semanticscholar"] = [record]
    return records


def test_the_world_has_the_fifteen_papers():
    assert sorted(p.name for p in WORLD.papers) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_neurofm_venue_fields(name):
    # through the merge itself, with the registered sources' precedence
    paper = next(p for p in WORLD.papers if p.name == name)
    records = records_of(paper)
    merged, provenance = merge_paper(records, {})
    assert merged is not None
    got = (merged.status, merged.venue, merged.venue_key, merged.venue_year, merged.track,
           merged.presentation, merged.year)
    assert got == EXPECTED[name]
    for field, value in zip(("venue", "venue_key", "venue_year", "track", "presentation"),
                            got[1:6], strict=True):
        assert (f"paper.{field}" in provenance) is (value is not None), field
        if value is not None:
            assert provenance[f"paper.{field}"] in records
