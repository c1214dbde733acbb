"""Merging source records into one paper: precedence, provenance, stale marking."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from harvester.merge import EntryInput, build_entry, merge_paper, merge_repos

ARXIV = {"title": "A Unified Framework", "abstract": "From arXiv.", "authors": ["A. One"],
         "year": 2023, "published": "2023-10-24", "status": "preprint",
         "ids": {"arxiv": "2310.16046"}, "landing_url": "https://arxiv.org/abs/2310.16046",
         "pdf_url": "https://arxiv.org/pdf/2310.16046v1"}
OPENREVIEW = {"title": "A Unified Framework (OR)", "abstract": "From OpenReview.",
              "authors": ["A. One", "B. Two"], "year": 2024, "published": "2024-01-16",
              "venue": "ICLR 2024 Poster", "status": "accepted",
              "ids": {"openreview": "abc"}}
S2 = {"title": "A unified framework", "venue": "Neural Information Processing Systems",
      "status": "accepted", "year": 2023, "citation_count": 42,
      "influential_citation_count": 7, "ids": {"s2": "deadbeef", "arxiv": "2310.16046"}}


def test_openreview_decision_wins_and_provenance_names_each_field():
    paper, prov = merge_paper({"arxiv": [ARXIV], "openreview": [OPENREVIEW],
                               "semanticscholar": [S2]}, {})
    assert paper.title == "A Unified Framework (OR)" and prov["paper.title"] == "openreview"
    assert paper.status == "accepted" and paper.venue == "ICLR 2024"
    assert (paper.venue_key, paper.venue_year, paper.presentation) == ("iclr", 2024, "poster")
    assert prov["paper.status"] == prov["paper.venue"] == "openreview"
    assert paper.year == 2024 and paper.published == "2024-01-16"
    assert paper.citation_count == 42 and prov["paper.citation_count"] == "semanticscholar"
    assert paper.influential_citation_count == 7
    assert paper.ids.arxiv == "2310.16046" and paper.ids.s2 == "deadbeef"
    assert paper.urls.pdf == ARXIV["pdf_url"] and prov["paper.urls.pdf"] == "arxiv"


def test_journal_record_beats_arxiv_and_s2():
    crossref = {"title": "Journal Title", "venue": "Nature", "status": "published",
                "year": 2025, "published": "2025-04-09", "ids": {"doi": "10.1038/x"}}
    paper, prov = merge_paper({"arxiv": [ARXIV], "crossref": [crossref],
                               "semanticscholar": [S2]}, {})
    assert (paper.status, paper.venue, paper.year) == ("published", "Nature", 2025)
    assert paper.ids.doi == "10.1038/x" and prov["paper.ids.doi"] == "crossref"


def test_s2_venue_outranks_a_bare_preprint_but_not_arxiv_journal_ref():
    paper, prov = merge_paper({"arxiv": [ARXIV], "semanticscholar": [S2]}, {})
    assert paper.status == "accepted" and prov["paper.status"] == "semanticscholar"
    accepted = {**ARXIV, "status": "accepted", "venue": "NeurIPS 2023"}
    paper, prov = merge_paper({"arxiv": [accepted], "semanticscholar": [S2]}, {})
    assert paper.venue == "NeurIPS 2023" and prov["paper.venue"] == "arxiv"


def test_preprint_only_is_the_servers_venue():
    paper, prov = merge_paper({"arxiv": [ARXIV]}, {})
    assert paper.status == "preprint" and paper.venue == "arXiv"
    assert paper.venue_key == "arxiv" and prov["paper.venue"] == "arxiv"


def test_unknown_stays_null_never_zero():
    paper, prov = merge_paper({"arxiv": [ARXIV]}, {})
    assert paper.citation_count is None and paper.influential_citation_count is None
    assert "paper.citation_count" not in prov


def test_no_title_no_paper():
    assert merge_paper({"semanticscholar": [{"citation_count": 3}]}, {}) == (None, {})


def test_repos_record_renames_and_drop_duplicates():
    record = {"full_name": "snel-repo/ndt1", "url": "https://github.com/snel-repo/ndt1",
              "stars": 5, "forks": 1, "open_issues": 0, "archived": False}
    repos, prov = merge_repos([("snel-repo/old", record, "github"),
                               ("snel-repo/ndt1", record, "github")])
    assert len(repos) == 1 and repos[0].renamed_from == "snel-repo/old"
    assert prov == {"repos.snel-repo/ndt1": "github"}


def test_stale_fields_follow_provenance():
    data = EntryInput(records={"arxiv": [ARXIV], "semanticscholar": [S2]},
                      stale_sources={"semanticscholar": ("2026-01-01T00:00:00Z", "rate_limited")})
    base = {"key": "k", "name": "n", "kind": "paper", "section": [], "text": None,
            "listed_venue": None, "links": []}
    entry = build_entry(base, data)
    fields = {s.field for s in entry.stale}
    assert "paper.citation_count" in fields and "paper.title" not in fields
    assert all(s.since == "2026-01-01T00:00:00Z" for s in entry.stale)


def test_status_tiers_follow_the_design():
    accepted_arxiv = {**ARXIV, "status": "accepted", "venue": "NeurIPS 2023"}
    posted = {"title": "T", "status": "preprint", "venue": "Research Square"}
    paper, prov = merge_paper({"crossref": [posted], "arxiv": [accepted_arxiv]}, {})
    assert (paper.status, prov["paper.status"]) == ("accepted", "arxiv")
    assert paper.venue == "NeurIPS 2023"

    preprint = {"title": "T", "status": "preprint", "venue": "bioRxiv",
                "published_doi": "10.1038/x"}
    paper, prov = merge_paper({"biorxiv": [preprint]}, {})
    assert (paper.status, prov["paper.status"]) == ("published", "biorxiv")

    under_review = {**OPENREVIEW, "status": "under_review", "venue": "Submitted to ICLR 2025"}
    paper, prov = merge_paper({"openreview": [under_review], "semanticscholar": [S2]}, {})
    assert (paper.status, prov["paper.status"]) == ("accepted", "semanticscholar")

    rejected = {**OPENREVIEW, "status": "rejected", "venue": "Submitted to ICLR 2024"}
    journal = {"title": "J", "status": "published", "venue": "Nature", "year": 2025}
    paper, prov = merge_paper({"openreview": [rejected], "crossref": [journal]}, {})
    assert (paper.status, prov["paper.status"]) == ("rejected", "openreview")


def test_ids_come_from_the_strongest_source_then_the_lists_own_links():
    crossref = {"title": "T", "status": "published", "ids": {"doi": "10.1/from-crossref"}}
    arxiv = {**ARXIV, "ids": {"arxiv": "2310.16046", "doi": "10.1/from-arxiv"}}
    paper, prov = merge_paper({"arxiv": [arxiv], "crossref": [crossref]},
                              {"doi": "10.1/from-list", "openreview": "from-list"})
    assert (paper.ids.doi, prov["paper.ids.doi"]) == ("10.1/from-crossref", "crossref")
    assert (paper.ids.arxiv, prov["paper.ids.arxiv"]) == ("2310.16046", "arxiv")
    assert (paper.ids.openreview, prov["paper.ids.openreview"]) == ("from-list", "list")
    assert paper.ids.s2 is None and "paper.ids.s2" not in prov


@pytest.mark.parametrize("bad", [
    {"authors": ["A. One", 7]},
    {"year": 99999},
    {"published": "2023-02-30"},
    {"ids": {"arxiv": ["2310.16046"]}},
    {"landing_url": {"href": "x"}},
])
def test_a_sources_values_are_still_validated(bad):
    with pytest.raises(ValidationError):
        merge_paper({"arxiv": [{**ARXIV, **bad}]}, {})


def test_citation_counts_are_validated():
    with pytest.raises(ValidationError):
        merge_paper({"semanticscholar": [{**S2, "citation_count": -1}]}, {})
