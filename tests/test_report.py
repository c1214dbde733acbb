"""``harvest diff``: the catalogue diff, its headline, its Markdown and the click command."""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner

from harvester.changes import (
    HEADLINE_WIDTH,
    TOP_N,
    Diff,
    diff_catalogs,
    headline,
    render_markdown,
)
from harvester.models import (
    Author,
    Catalog,
    Entry,
    EntryError,
    Link,
    ListInfo,
    Paper,
    PaperIds,
    Repo,
    StaleValue,
    Summary,
)
from harvester.tools_cli import diff as diff_command

# --------------------------------------------------------------------------- builders


def make_repo(full_name: str, stars: int = 10, **fields: Any) -> Repo:
    return Repo(full_name=full_name, url=f"https://github.com/{full_name}", stars=stars,
                forks=fields.pop("forks", 1), open_issues=fields.pop("open_issues", 0),
                archived=fields.pop("archived", False), **fields)


def make_entry(key: str, name: str | None = None, *, listed_venue: str | None = None,
               links: list[tuple[str, str | None]] | None = None, paper: dict | None = None,
               repos: list[Repo] | None = None, provenance: dict[str, str] | None = None,
               stale: list[tuple[str, str]] | None = None,
               errors: list[tuple[str, str, str]] | None = None,
               section: list[str] | None = None) -> Entry:
    """An entry; ``links`` are (kind, id) pairs; ``paper`` the Paper fields (title defaults to
    the name); repos are also linked from the entry."""
    name = name or key.upper()
    link_models = []
    for kind, ident in links or []:
        url = {"arxiv": f"https://arxiv.org/abs/{ident}", "doi": f"https://doi.org/{ident}",
               "github": f"https://github.com/{ident}"}.get(kind, "https://example.org/")
        link_models.append(Link(label=None, url=url, kind=kind, id=ident))
    for r in repos or []:
        if not any(link.id == r.full_name for link in link_models):
            link_models.append(Link(label="code", url=r.url, kind="github", id=r.full_name))
    paper_model = None
    if paper is not None:
        fields = {"title": name, **paper}
        fields["authors"] = [Author(name=a) for a in fields.get("authors", [])]
        if "ids" in fields:
            fields["ids"] = PaperIds(**fields["ids"])
        paper_model = Paper(**fields)
    return Entry(
        key=key, name=name, kind="paper" if paper is not None else "resource",
        section=section or ["Models"], text=None, listed_venue=listed_venue,
        links=link_models, paper=paper_model, repos=repos or [],
        provenance=provenance or {},
        stale=[StaleValue(field=f, since=None, reason=r) for f, r in stale or []],
        errors=[EntryError(source=s, ref=ref, kind=k, message=f"{s} says {k} for {ref}")
                for s, ref, k in errors or []],
    )


def make_catalog(entries: list[Entry]) -> Catalog:
    summary = Summary(
        entries=len(entries),
        papers=sum(e.paper is not None for e in entries),
        with_abstract=sum(bool(e.paper and e.paper.abstract) for e in entries),
        with_citations=sum(bool(e.paper and e.paper.citation_count is not None)
                           for e in entries),
        repos=sum(len(e.repos) for e in entries),
        stale_values=sum(len(e.stale) for e in entries),
        errors=sum(len(e.errors) for e in entries),
    )
    return Catalog(list=ListInfo(source="test.md", sha256="0" * 64, title="Test list"),
                   summary=summary, entries=entries)


def old_catalog() -> Catalog:
    return make_catalog([
        make_entry("ndt3", "NDT3", listed_venue="Preprint, 2025", links=[("arxiv", "2501.00001")],
                   paper={"status": "preprint", "venue": None, "year": 2025,
                          "citation_count": 10},
                   repos=[make_repo("joel/ndt3", 100)]),
        make_entry("dropped", "Dropped model", links=[("arxiv", "2301.00002")],
                   paper={"status": "preprint"}),
        make_entry("poyo", "POYO", links=[("arxiv", "2310.00003")],
                   paper={"status": "accepted", "venue": "NeurIPS 2023", "citation_count": 40},
                   listed_venue="NeurIPS 2023"),
        make_entry("tools", "Tools", repos=[
            make_repo("lab/archiving", 5),
            make_repo("lab/old-name", 7),
            make_repo("lab/vanishing", 3),
            make_repo("lab/stable", 1000),
        ]),
        make_entry("flaky", "Flaky", links=[("arxiv", "2402.00004")],
                   paper={"status": "preprint", "citation_count": 3},
                   stale=[("paper.abstract", "unavailable")],
                   errors=[("semanticscholar", "arxiv:2402.00004", "unavailable")]),
    ])


def new_catalog() -> Catalog:
    return make_catalog([
        make_entry("ndt3", "NDT3", listed_venue="Preprint, 2025", links=[("arxiv", "2501.00001")],
                   paper={"status": "published", "venue": "Nature", "year": 2025,
                          "citation_count": 30},
                   provenance={"paper.status": "crossref", "paper.venue": "crossref"},
                   repos=[make_repo("joel/ndt3", 250)]),
        make_entry("brand-new", "Brand New", links=[("arxiv", "2505.00005")],
                   paper={"status": "preprint"}, section=["Models", "Vision"]),
        # The list renamed POYO's entry: same arXiv id, new key.
        make_entry("poyo-plus", "POYO+", links=[("arxiv", "2310.00003")],
                   paper={"status": "accepted", "venue": "NeurIPS 2023", "citation_count": 140},
                   listed_venue="NeurIPS 2023"),
        make_entry("tools", "Tools", repos=[
            make_repo("lab/archiving", 5, archived=True),
            make_repo("lab/new-name", 7, renamed_from="lab/old-name"),
            make_repo("lab/stable", 1000),
        ]),
        make_entry("flaky", "Flaky", links=[("arxiv", "2402.00004")],
                   paper={"status": "preprint", "citation_count": 3},
                   stale=[("paper.abstract", "rate_limited"),
                          ("paper.citation_count", "rate_limited")],
                   errors=[("semanticscholar", "arxiv:2402.00004", "unavailable"),
                           ("arxiv", "2402.00004", "not_found"),
                           ("openreview", "abc", "rate_limited")]),
    ])


@pytest.fixture
def the_diff() -> Diff:
    return diff_catalogs(old_catalog(), new_catalog())


# --------------------------------------------------------------------------- no change


def test_identical_catalogues_give_an_empty_diff() -> None:
    result = diff_catalogs(old_catalog(), old_catalog())
    assert result.is_empty()
    assert not result.first_run
    assert (result.added, result.removed, result.renamed, result.paper_changes,
            result.list_outdated, result.repos_archived, result.repos_renamed,
            result.repos_gone, result.star_changes, result.citation_changes,
            result.new_stale, result.new_errors) == ([],) * 12
    assert all(s.old == s.new for s in result.summary)
    assert headline(result) == "no changes"
    text = render_markdown(result)
    assert text.startswith("# Catalogue changes\n")
    assert "No changes." in text
    assert "##" not in text


def test_the_diff_is_json_able(the_diff: Diff) -> None:
    data = json.loads(json.dumps(the_diff.to_dict()))
    assert data["headline"] == headline(the_diff)
    assert data["empty"] is False
    assert data["added"] == [{"key": "brand-new", "name": "Brand New",
                              "section": ["Models", "Vision"]}]


# --------------------------------------------------------------------------- entries


def test_added_removed_and_renamed_entries(the_diff: Diff) -> None:
    assert [e.key for e in the_diff.added] == ["brand-new"]
    assert [e.key for e in the_diff.removed] == ["dropped"]
    # POYO → POYO+ shares its arXiv id: renamed, not removed + added.
    assert [(r.old_key, r.new_key) for r in the_diff.renamed] == [("poyo", "poyo-plus")]
    assert "poyo" not in {e.key for e in the_diff.removed}
    assert "poyo-plus" not in {e.key for e in the_diff.added}


def test_a_shared_repository_does_not_outweigh_a_shared_paper_id() -> None:
    toolbox = make_repo("lab/toolbox")
    old = make_catalog([
        make_entry("a", links=[("arxiv", "1111.11111")], paper={}, repos=[toolbox]),
        make_entry("b", links=[("arxiv", "2222.22222")], paper={}, repos=[toolbox]),
    ])
    new = make_catalog([
        make_entry("a", links=[("arxiv", "1111.11111")], paper={}, repos=[toolbox]),
        make_entry("b-renamed", links=[("arxiv", "2222.22222")], paper={}, repos=[toolbox]),
    ])
    result = diff_catalogs(old, new)
    assert [(r.old_key, r.new_key) for r in result.renamed] == [("b", "b-renamed")]
    assert not result.added and not result.removed


# --------------------------------------------------------------------------- papers


def test_venue_and_status_changes_name_their_source(the_diff: Diff) -> None:
    changes = {(c.key, c.field): c for c in the_diff.paper_changes}
    assert set(changes) == {("ndt3", "status"), ("ndt3", "venue")}
    status = changes["ndt3", "status"]
    assert (status.old, status.new, status.source) == ("preprint", "published", "crossref")
    venue = changes["ndt3", "venue"]
    assert (venue.old, venue.new, venue.source) == (None, "Nature", "crossref")


def test_list_text_out_of_date_is_suggested(the_diff: Diff) -> None:
    assert [s.key for s in the_diff.list_outdated] == ["ndt3"]
    assert the_diff.list_outdated[0].message == (
        "NDT3: the list says 'Preprint, 2025' but Crossref says published in Nature (2025)"
        " — the catalogue follows the sources; update the list?")
    assert the_diff.list_outdated[0].kind == "out_of_date"


@pytest.mark.parametrize(("listed", "expected"), [
    ("arXiv 2024", True),
    ("bioRxiv, 2023", True),
    (None, True),
    ("Nature 2024", False),
])
def test_list_text_suggestion_depends_on_the_list_text(listed: str | None,
                                                        expected: bool) -> None:
    def catalog(status: str) -> Catalog:
        return make_catalog([make_entry(
            "m", "M", listed_venue=listed, links=[("arxiv", "2401.00001")],
            paper={"status": status, "venue": "Nature" if status == "published" else None},
            provenance={"paper.status": "crossref"})])

    result = diff_catalogs(catalog("preprint"), catalog("published"))
    assert bool(result.list_outdated) is expected
    if listed is None:
        assert "the list gives no venue" in result.list_outdated[0].message


def test_list_text_suggestion_for_an_accepted_paper() -> None:
    def catalog(status: str, venue: str | None) -> Catalog:
        return make_catalog([make_entry(
            "m", "M", listed_venue="arXiv", links=[("arxiv", "2401.00001")],
            paper={"status": status, "venue": venue, "year": 2025},
            provenance={"paper.status": "openreview", "paper.venue": "openreview"})])

    result = diff_catalogs(catalog("under_review", None), catalog("accepted", "ICLR 2025"))
    assert [s.message for s in result.list_outdated] == [
        "M: the list says 'arXiv' but OpenReview says accepted at ICLR 2025 — the catalogue"
        " follows the sources; update the list?"]


def test_an_already_out_of_date_list_text_is_not_repeated() -> None:
    catalog = new_catalog()
    assert diff_catalogs(catalog, catalog).list_outdated == []


def test_citation_changes(the_diff: Diff) -> None:
    by_key = {c.key: c for c in the_diff.citation_changes}
    assert (by_key["poyo-plus"].old, by_key["poyo-plus"].new, by_key["poyo-plus"].delta) == (
        40, 140, 100)
    assert by_key["ndt3"].delta == 20
    assert [c.key for c in the_diff.citation_changes] == ["poyo-plus", "ndt3"]
    assert the_diff.citations_delta == 120
    assert the_diff.citations_papers_changed == 2


# --------------------------------------------------------------------------- repositories


def test_repositories_archived_renamed_and_gone(the_diff: Diff) -> None:
    assert [r.repo for r in the_diff.repos_archived] == ["lab/archiving"]
    assert [(r.old, r.new) for r in the_diff.repos_renamed] == [("lab/old-name", "lab/new-name")]
    assert [r.repo for r in the_diff.repos_gone] == ["lab/vanishing"]
    assert the_diff.repos_gone[0].detail == "no longer linked from the list"


def test_a_repository_gone_on_github_says_so() -> None:
    old = make_catalog([make_entry("t", repos=[make_repo("lab/x")])])
    new_entry = make_entry("t", errors=[("github", "lab/x", "not_found")])
    new_entry = new_entry.model_copy(update={"links": old.entries[0].links})
    result = diff_catalogs(old, make_catalog([new_entry]))
    assert [(r.repo, r.detail) for r in result.repos_gone] == [("lab/x", "GitHub: not found")]


def test_a_repository_moved_to_another_entry_is_not_gone() -> None:
    repo = make_repo("lab/shared")
    old = make_catalog([make_entry("a", repos=[repo]), make_entry("b")])
    new = make_catalog([make_entry("a"), make_entry("b", repos=[repo])])
    assert diff_catalogs(old, new).repos_gone == []


def test_rename_by_full_name_change_through_renamed_from() -> None:
    old = make_catalog([make_entry("t", repos=[make_repo("a/one", renamed_from="a/zero")])])
    new = make_catalog([make_entry("t", repos=[make_repo("a/two", renamed_from="a/zero")])])
    result = diff_catalogs(old, new)
    assert [(r.old, r.new) for r in result.repos_renamed] == [("a/one", "a/two")]
    assert result.repos_gone == []


def test_star_changes_are_the_largest_ten_and_totals_count_all() -> None:
    old_repos = [make_repo(f"o/r{i:02d}", 100) for i in range(15)]
    new_repos = [make_repo(f"o/r{i:02d}", 100 + (i - 3) * 10) for i in range(15)]
    old = make_catalog([make_entry("t", repos=old_repos)])
    new = make_catalog([make_entry("t", repos=new_repos)])
    result = diff_catalogs(old, new)
    assert len(result.star_changes) == TOP_N
    deltas = [c.delta for c in result.star_changes]
    assert deltas == sorted(deltas, key=abs, reverse=True)
    assert result.star_changes[0].subject == "o/r14"
    assert (result.star_changes[0].old, result.star_changes[0].new) == (100, 210)
    assert result.stars_repos_changed == 14  # r03 did not change
    assert result.stars_delta == sum((i - 3) * 10 for i in range(15))


def test_star_change_of_the_sample(the_diff: Diff) -> None:
    assert [(c.subject, c.old, c.new, c.delta) for c in the_diff.star_changes] == [
        ("joel/ndt3", 100, 250, 150)]
    assert (the_diff.stars_delta, the_diff.stars_repos_changed) == (150, 1)


# --------------------------------------------------------------------------- stale and errors


def test_only_new_stale_values_and_errors_are_reported(the_diff: Diff) -> None:
    # paper.abstract was already stale (with another reason): not new.
    assert [(s.key, s.field, s.reason) for s in the_diff.new_stale] == [
        ("flaky", "paper.citation_count", "rate_limited")]
    assert {(e.source, e.ref, e.kind) for e in the_diff.new_errors} == {
        ("arxiv", "2402.00004", "not_found"), ("openreview", "abc", "rate_limited")}
    assert [e.ref for e in the_diff.dead_ids] == ["2402.00004"]
    assert all(e.message for e in the_diff.new_errors)


def test_summary_numbers_old_to_new(the_diff: Diff) -> None:
    summary = {s.field: (s.old, s.new) for s in the_diff.summary}
    assert summary["entries"] == (5, 5)
    assert summary["repos"] == (5, 4)
    assert summary["errors"] == (1, 3)
    assert summary["stale_values"] == (1, 2)


def test_first_run() -> None:
    result = diff_catalogs(None, new_catalog())
    assert result.first_run and not result.is_empty()
    assert result.added == [] and result.removed == []  # everything is new: not listed
    assert [s.key for s in result.list_outdated] == ["ndt3"]
    assert len(result.new_errors) == 3
    assert {s.field: s.old for s in result.summary}["entries"] is None
    assert headline(result) == "first catalogue: 5 entries, 4 papers, 4 repos, 3 errors"
    text = render_markdown(result)
    assert "| entries | — | 5 |" in text


# --------------------------------------------------------------------------- headline


def test_headline(the_diff: Diff) -> None:
    line = headline(the_diff)
    assert line.startswith(
        "1 entry added, 1 entry removed, 1 status change, stars +150 across 1 repo")
    assert line.endswith(" more")
    assert "\n" not in line
    assert len(line) <= HEADLINE_WIDTH + len(" and 99 more")


def test_headline_lists_everything_that_fits() -> None:
    old = make_catalog([make_entry("a", listed_venue="ICLR 2024", paper={"status": "preprint"})])
    new = make_catalog([make_entry("a", listed_venue="ICLR 2024", paper={"status": "accepted"}),
                        make_entry("b")])
    assert headline(diff_catalogs(old, new)) == "1 entry added, 1 status change"


def test_headline_full_parts() -> None:
    old = make_catalog([make_entry("a", repos=[make_repo("x/a", 10), make_repo("x/b", 10)])])
    new = make_catalog([
        make_entry("a", repos=[make_repo("x/a", 110), make_repo("x/b", 64)]),
        make_entry("b"), make_entry("c"), make_entry("d"),
    ])
    assert headline(diff_catalogs(old, new)) == "3 entries added, stars +154 across 2 repos"


def test_headline_for_summary_only_changes() -> None:
    old = make_catalog([make_entry("a", paper={})])
    new_entry = make_entry("a", paper={"abstract": "Now we know."})
    result = diff_catalogs(old, make_catalog([new_entry]))
    assert not result.is_empty()
    assert headline(result) == "catalogue updated (with abstract 0 → 1)"


# --------------------------------------------------------------------------- Markdown


def test_markdown_sections(the_diff: Diff) -> None:
    text = render_markdown(the_diff)
    lines = text.splitlines()
    assert lines[0] == "# Catalogue changes"
    headings = [line for line in lines if line.startswith("## ")]
    assert headings[0].startswith("## Attention")
    names = [h[3:].split(" (")[0] for h in headings]
    assert names == ["Attention", "Entries added", "Entries removed", "Entries renamed",
                     "Venue and status changes", "Repositories renamed", "Star changes",
                     "Citation changes", "New errors", "New stale values", "Summary"]
    attention = text.split("## Attention")[1].split("\n## ")[0]
    assert "the list says 'Preprint, 2025' but Crossref says published in Nature (2025)" \
        in attention
    assert "`lab/archiving` was archived" in attention
    assert "`lab/vanishing` is gone" in attention
    assert "`2402.00004`" in attention and "`abc`" not in attention
    assert "| `joel/ndt3` | NDT3 | 100 | 250 | +150 |" in text
    assert "| POYO+ | POYO+ | 40 | 140 | +100 |" in text
    assert "| errors | 1 | 3 (+2) |" in text
    assert text.endswith("\n") and not text.endswith("\n\n\n")


def test_markdown_escapes_names() -> None:
    old = make_catalog([make_entry("a", "A|B *x*", repos=[make_repo("o/r", 1)])])
    new = make_catalog([make_entry("a", "A|B *x*", repos=[make_repo("o/r", 2)])])
    text = render_markdown(diff_catalogs(old, new))
    assert "| `o/r` | A\\|B \\*x\\* | 1 | 2 | +1 |" in text


def test_markdown_leaves_out_empty_sections() -> None:
    old = make_catalog([make_entry("a")])
    new = make_catalog([make_entry("a"), make_entry("b", "Bee")])
    text = render_markdown(diff_catalogs(old, new))
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == ["## Entries added (1)", "## Summary"]
    assert "**Bee** (`b`)" in text


# --------------------------------------------------------------------------- the command


@pytest.fixture
def files(tmp_path):
    old = tmp_path / "old.json"
    new = tmp_path / "new.json"
    old.write_text(old_catalog().model_dump_json(indent=2), encoding="utf-8")
    new.write_text(new_catalog().model_dump_json(indent=2), encoding="utf-8")
    return old, new


def test_diff_command_markdown(files) -> None:
    old, new = files
    result = CliRunner().invoke(diff_command, [str(old), str(new)])
    assert result.exit_code == 0, result.output
    assert result.stdout == render_markdown(diff_catalogs(old_catalog(), new_catalog()))
    assert result.stderr == ""


def test_diff_command_json(files) -> None:
    old, new = files
    result = CliRunner().invoke(diff_command, [str(old), str(new), "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["renamed"][0]["new_key"] == "poyo-plus"
    assert data["headline"].startswith("1 entry added")


@pytest.mark.parametrize("old_arg", ["-", "", "missing.json", "empty.json"])
def test_diff_command_without_previous_catalogue(files, tmp_path, old_arg: str) -> None:
    _, new = files
    (tmp_path / "empty.json").write_bytes(b"")
    if old_arg.endswith(".json"):
        old_arg = str(tmp_path / old_arg)
    result = CliRunner().invoke(diff_command, [old_arg, str(new), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["first_run"] is True


def test_diff_command_with_a_broken_previous_catalogue_warns(files, tmp_path) -> None:
    _, new = files
    broken = tmp_path / "broken.json"
    broken.write_text('{"schema_version": 1}', encoding="utf-8")
    result = CliRunner().invoke(diff_command, [str(broken), str(new)])
    assert result.exit_code == 0
    assert "warning" in result.stderr
    assert result.stdout.startswith("# Catalogue changes")


@pytest.mark.parametrize("content", [None, b"not json", b'{"schema_version": 1}'])
def test_diff_command_unreadable_new_fails(files, tmp_path, content: bytes | None) -> None:
    old, _ = files
    new = tmp_path / "new-broken.json"
    if content is not None:
        new.write_bytes(content)
    result = CliRunner().invoke(diff_command, [str(old), str(new)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "error:" in result.stderr and "new-broken.json" in result.stderr


# --------------------------------------------------------------------------- list venue vs sources


def venue_entry(listed: str | None, status: str | None, venue: str | None = None,
                key: str | None = None, year: int | None = None, source: str = "openreview",
                **paper: Any) -> Entry:
    return make_entry("m", "M", listed_venue=listed, links=[("arxiv", "2401.00001")],
                      paper={"title": "A model of the brain", "status": status, "venue": venue,
                             "venue_key": key, "venue_year": year, "year": year, **paper},
                      provenance={"paper.status": source, "paper.venue": source})


def first_run_findings(entry: Entry) -> list[Any]:
    return diff_catalogs(None, make_catalog([entry])).list_outdated


@pytest.mark.parametrize(("listed", "status", "venue", "key", "year", "kind"), [
    # the list names another venue, or another year of the same conference
    ("ICLR 2024", "accepted", "ICLR 2025", "iclr", 2025, "other_venue"),
    ("NeurIPS 2024", "accepted", "ICLR 2025", "iclr", 2025, "other_venue"),
    # compared as venues, not strings: the same venue in other words is agreement
    ("NeurIPS 2024 (spotlight)", "accepted", "NeurIPS 2024", "neurips", 2024, None),
    ("Neural Information Processing Systems", "accepted", "NeurIPS 2024", "neurips", 2024,
     None),
    ("Nature 2024", "published", "Nature", "nature", 2025, None),  # a journal: no year check
    # the list still says preprint or submitted
    ("Submitted to ICLR 2025", "accepted", "ICLR 2025", "iclr", 2025, "out_of_date"),
    ("bioRxiv, 2023", "published", "Neuron", "neuron", 2024, "out_of_date"),
    # the list names a venue no source confirms
    ("ICLR 2025", "preprint", "arXiv", "arxiv", None, "unconfirmed"),
    ("NeurIPS 2024", "rejected", "NeurIPS 2024", "neurips", 2024, "unconfirmed"),
    ("ICLR 2025 (under review)", "under_review", None, None, None, None),
    ("Preprint, 2025", "preprint", "arXiv", "arxiv", None, None),
    # unknown status (an offline catalogue): nothing to compare
    ("ICLR 2025", None, None, None, None, None),
    # text the vocabulary cannot read, next to a venue it knows: not guessed at
    ("Some Workshop 2024", "accepted", "ICLR 2025", "iclr", 2025, None),
])
def test_list_venue_against_the_sources(listed: str, status: str | None, venue: str | None,
                                        key: str | None, year: int | None,
                                        kind: str | None) -> None:
    found = first_run_findings(venue_entry(listed, status, venue, key, year))
    assert [f.kind for f in found] == ([kind] if kind else [])


def test_an_unconfirmed_venue_is_an_attention_item_pointing_to_suggest() -> None:
    entry = venue_entry("ICLR 2025", "rejected", "ICLR 2025", "iclr", 2025)
    result = diff_catalogs(None, make_catalog([entry]))
    (finding,) = result.list_outdated
    assert finding.message == (
        "M: the list says 'ICLR 2025' but no source confirms it (OpenReview says rejected at "
        "ICLR 2025) — the catalogue follows the sources; check the list?")
    assert (finding.listed_key, finding.listed_year) == ("iclr", 2025)
    assert not finding.replaceable
    text = render_markdown(result)
    attention = text.split("## Attention")[1].split("\n## ")[0]
    assert "no source confirms it" in attention
    assert "`harvest suggest --write LIST`" in attention
    assert "the catalogue follows the sources" in attention


def test_another_venue_names_the_sources_display_venue() -> None:
    (finding,) = first_run_findings(venue_entry("ICLR 2024", "accepted", "ICLR 2025", "iclr",
                                                2025))
    assert finding.message == (
        "M: the list says 'ICLR 2024' but OpenReview says accepted at ICLR 2025 — the catalogue"
        " follows the sources; update the list?")
    assert (finding.venue, finding.venue_key, finding.venue_year) == ("ICLR 2025", "iclr", 2025)
    assert finding.replaceable


def test_a_disagreement_already_reported_is_not_repeated_but_a_new_one_is() -> None:
    before = make_catalog([venue_entry("ICLR 2025", "under_review", None)])
    same = make_catalog([venue_entry("ICLR 2025", "rejected", "ICLR 2025", "iclr", 2025)])
    assert [f.kind for f in diff_catalogs(same, same).list_outdated] == []
    # under review (the list's venue may still come) → rejected: now it disagrees
    assert [f.kind for f in diff_catalogs(before, same).list_outdated] == ["unconfirmed"]


# --------------------------------------------------------------------------- venue changes


def test_a_new_spelling_of_the_same_venue_is_not_a_venue_change() -> None:
    # a catalogue written before the venue fields, then one with them
    old = make_catalog([venue_entry("NeurIPS 2024", "accepted", "NeurIPS 2024 Poster")])
    new = make_catalog([venue_entry("NeurIPS 2024", "accepted", "NeurIPS 2024", "neurips",
                                    2024, presentation="poster")])
    assert diff_catalogs(old, new).venue_changes == []
    other = make_catalog([venue_entry("NeurIPS 2024", "accepted", "NeurIPS 2024", "neurips",
                                      2024, track="Datasets and Benchmarks")])
    (change,) = diff_catalogs(new, other).venue_changes  # another track is a change
    moved = make_catalog([venue_entry("NeurIPS 2024", "accepted", "ICLR 2025", "iclr", 2025)])
    (change,) = diff_catalogs(old, moved).venue_changes
    assert (change.old, change.new, change.source) == ("NeurIPS 2024 Poster", "ICLR 2025",
                                                       "openreview")
    text = render_markdown(diff_catalogs(old, moved))
    assert "venue NeurIPS 2024 Poster → ICLR 2025 (OpenReview)" in text


# --------------------------------------------------------------------------- entries lost


def many(n: int) -> Catalog:
    return make_catalog([make_entry(f"e{i}", f"Entry {i}") for i in range(n)])


def test_a_list_that_lost_more_than_half_its_entries_is_shouted_about() -> None:
    result = diff_catalogs(many(24), many(10))
    assert result.entries_lost is not None and result.entries_lost.lost == 14
    assert headline(result).startswith("LIST LOST 14 OF 24 ENTRIES (24 → 10), ")
    text = render_markdown(result)
    assert text.splitlines()[2].startswith("LIST LOST 14 OF 24 ENTRIES")
    attention = text.split("## Attention")[1].split("\n## ")[0]
    assert "**The list lost 14 of its 24 entries** (24 → 10)" in attention
    assert json.loads(json.dumps(result.to_dict()))["entries_lost"] == {"old": 24, "new": 10}


@pytest.mark.parametrize(("old", "new"), [(24, 12), (24, 24), (1, 1), (0, 0), (3, 5)])
def test_losing_half_or_less_is_not_shouted_about(old: int, new: int) -> None:
    result = diff_catalogs(many(old), many(new))
    assert result.entries_lost is None
    assert "LIST LOST" not in headline(result)
    assert diff_catalogs(None, many(new)).entries_lost is None


def test_a_list_that_lost_everything_is_shouted_about() -> None:
    result = diff_catalogs(many(3), many(0))
    assert result.entries_lost is not None
    assert headline(result).startswith("LIST LOST 3 OF 3 ENTRIES (3 → 0)")


# --------------------------------------------------------------------------- trends


def history_lines(*days: tuple[str, int, int]) -> str:
    return "".join(json.dumps({"date": d, "stars": {"joel/ndt3": s}, "citations": {"ndt3": c}})
                   + "\n" for d, s, c in days)


def test_trends_from_the_history_beside_the_new_catalogue(files) -> None:
    old, new = files
    new.with_name("history.jsonl").write_text(history_lines(
        ("2026-11-03", 130, 10), ("2026-11-17", 200, 20), ("2026-12-01", 250, 30)),
        encoding="utf-8")
    result = CliRunner().invoke(diff_command, [str(old), str(new)])
    assert result.exit_code == 0, result.output
    trends = result.stdout.split("## Trends (2)\n")[1].split("\n## ")[0]
    assert "- joel/ndt3: +120 stars in 4 weeks (130 → 250)" in trends
    assert "- NDT3: +20 citations in 4 weeks (10 → 30)" in trends
    data = json.loads(CliRunner().invoke(diff_command, [str(old), str(new), "--format",
                                                        "json"]).stdout)
    assert data["trends"] == ["joel/ndt3: +120 stars in 4 weeks (130 → 250)",
                              "NDT3: +20 citations in 4 weeks (10 → 30)"]


@pytest.mark.parametrize("lines", [None, "", history_lines(("2026-12-01", 250, 30))])
def test_no_trends_without_enough_history(files, lines: str | None) -> None:
    old, new = files
    if lines is not None:
        new.with_name("history.jsonl").write_text(lines, encoding="utf-8")
    result = CliRunner().invoke(diff_command, [str(old), str(new)])
    assert result.exit_code == 0
    assert "Trends" not in result.stdout


def test_trends_alone_are_not_a_change() -> None:
    from harvester.history import Snapshot

    history = [Snapshot("2026-11-03", {"joel/ndt3": 100}, {}),
               Snapshot("2026-12-01", {"joel/ndt3": 250}, {})]
    result = diff_catalogs(old_catalog(), old_catalog(), history)
    assert result.trends == ["joel/ndt3: +150 stars in 4 weeks (100 → 250)"]
    assert result.is_empty() and headline(result) == "no changes"


def test_a_dead_link_found_by_the_list_reader_says_what_it_is() -> None:
    entry = make_entry("ndt2", "NDT2", errors=[("list", "https://example.org/index", "not_found")])
    text = render_markdown(diff_catalogs(None, make_catalog([entry])))
    assert ("- **NDT2**: dead link `https://example.org/index` — list says not_found for "
            "https://example.org/index") in text
    assert "the list does not know" not in text
