"""``harvest suggest``: only the out-of-date phrases change; every other byte is kept."""

from __future__ import annotations

from click.testing import CliRunner

from harvester.models import Catalog, Link
from harvester.suggest import render, suggest, venue_phrase
from harvester.tools_cli import suggest as suggest_command
from tests.test_report import make_catalog, make_entry, make_repo

# A BOM, CRLF line ends, a byte that is not UTF-8, trailing spaces, and the phrase the edit
# replaces also written in another entry that is still a preprint.
LIST = (
    b"\xef\xbb\xbf# Brain models\r\n\r\n"
    b"- **PopT**: Population Transformer. Preprint, 2025 "
    b"[[paper](https://openreview.net/forum?id=Popt123)]  \r\n"
    b"- **Other**: Still a preprint. Preprint, 2025 [[paper](https://arxiv.org/abs/2501.00002)]"
    b"\r\n"
    b"- **Tool** caf\xe9 [[code](https://github.com/Old-Owner/old_name/tree/main)] and "
    b"[mirror](https://github.com/old-owner/old_name.git)\r\n"
    b"- **Lookalike** [[code](https://github.com/old-owner/old_name-extras)]\r\n"
)


def catalog() -> Catalog:
    popt = make_entry(
        "popt", "PopT", listed_venue="Preprint, 2025", links=[("openreview", "Popt123")],
        paper={"title": "Population Transformer", "venue": "ICLR 2025 Poster",
               "status": "accepted", "year": 2025, "ids": {"openreview": "Popt123"}},
        provenance={"paper.status": "openreview", "paper.venue": "openreview"})
    popt.links[0] = Link(label="paper", url="https://openreview.net/forum?id=Popt123",
                         kind="openreview", id="Popt123")
    other = make_entry("other", "Other", listed_venue="Preprint, 2025",
                       links=[("arxiv", "2501.00002")],
                       paper={"title": "Still a preprint", "status": "preprint", "year": 2025,
                              "ids": {"arxiv": "2501.00002"}},
                       provenance={"paper.status": "arxiv"})
    repo = make_repo("new-owner/new_name", 5)
    repo = repo.model_copy(update={"renamed_from": "old-owner/old_name"})
    tool = make_entry("tool", "Tool", repos=[repo])
    return make_catalog([popt, other, tool])


def test_only_the_out_of_date_phrases_change() -> None:
    result = suggest(catalog(), LIST)
    expected = (
        LIST.replace(b"Population Transformer. Preprint, 2025",
                     b"Population Transformer. ICLR 2025")
        .replace(b"github.com/Old-Owner/old_name/tree", b"github.com/new-owner/new_name/tree")
        .replace(b"github.com/old-owner/old_name.git", b"github.com/new-owner/new_name.git")
    )
    assert expected != LIST
    assert result.text == expected  # byte for byte: BOM, CRLF, the Latin-1 byte, the rest
    assert b"Still a preprint. Preprint, 2025" in result.text
    assert b"github.com/old-owner/old_name-extras" in result.text  # another repository
    assert [(s.kind, s.old, s.new, s.applied) for s in result.suggestions] == [
        ("venue", "Preprint, 2025", "ICLR 2025", True),
        ("repository", "Old-Owner/old_name", "new-owner/new_name", True),
    ]
    assert "OpenReview says accepted at ICLR 2025" in render(result)


def test_nothing_to_suggest_keeps_the_list() -> None:
    empty = make_catalog([make_entry("x", "X")])
    result = suggest(empty, LIST)
    assert result.text == LIST and not result.changed
    assert "nothing to suggest" in render(result)


def test_an_ambiguous_phrase_is_not_guessed() -> None:
    text = LIST.replace(b"Population Transformer. Preprint, 2025",
                        b"Preprint, 2025 Population Transformer. Preprint, 2025")
    result = suggest(catalog(), text)
    venue = next(s for s in result.suggestions if s.kind == "venue")
    assert not venue.applied and "appears 2 times" in venue.why
    assert b"Preprint, 2025 Population Transformer. Preprint, 2025" in result.text
    assert "not applied" in render(result)


def test_an_entry_spread_over_lines_is_found() -> None:
    text = (b"Intro paragraph mentioning Preprint, 2025.\n\n"
            b"**PopT**<br>Population Transformer<br>\nPreprint, 2025<br>\n"
            b"[[paper](https://openreview.net/forum?id=Popt123)]\n\nAfter.\n")
    result = suggest(catalog(), text)
    assert result.text == text.replace(b"\nPreprint, 2025<br>", b"\nICLR 2025<br>")


def test_venue_phrases() -> None:
    cases = {
        ("ICLR 2025 Spotlight", 2025): "ICLR 2025",
        ("Nature", 2025): "Nature 2025",
        ("Neural Information Processing Systems", 2023): "NeurIPS 2023",
        ("NeurIPS 2024", 2024): "NeurIPS 2024",
    }
    for (venue, year), phrase in cases.items():
        entry = make_entry("x", "X", paper={"title": "T", "venue": venue, "year": year,
                                            "status": "accepted"})
        assert venue_phrase(entry) == phrase


def test_the_command_writes_in_place_or_elsewhere(tmp_path) -> None:
    path = tmp_path / "README.md"
    path.write_bytes(LIST)
    cat = tmp_path / "catalog.json"
    cat.write_text(catalog().model_dump_json(), encoding="utf-8")
    shown = CliRunner().invoke(suggest_command, ["--catalog", str(cat), str(path)])
    assert shown.exit_code == 0 and "ICLR 2025" in shown.stdout
    assert path.read_bytes() == LIST  # only printed
    other = tmp_path / "edited.md"
    elsewhere = CliRunner().invoke(suggest_command, ["--catalog", str(cat), "--output",
                                                     str(other), str(path)])
    assert elsewhere.exit_code == 0 and path.read_bytes() == LIST
    written = CliRunner().invoke(suggest_command, ["--catalog", str(cat), "--write",
                                                   str(path)])
    assert written.exit_code == 0
    assert path.read_bytes() == other.read_bytes() == suggest(catalog(), LIST).text
    both = CliRunner().invoke(suggest_command, ["--catalog", str(cat), "--write", "--output",
                                                str(other), str(path)])
    assert both.exit_code == 2


def test_the_report_and_suggest_share_one_finding() -> None:
    """Every venue finding of the change report is a venue suggestion, and nothing else is."""
    from harvester.changes import diff_catalogs

    cat = catalog()
    findings = diff_catalogs(None, cat).list_outdated
    suggested = [s for s in suggest(cat, LIST).suggestions if s.kind == "venue"]
    assert [f.key for f in findings] == [s.key for s in suggested] == ["popt"]


VENUES = (
    b"- **A**: First. ICLR 2024 [[paper](https://arxiv.org/abs/2401.00001)]\r\n"
    b"- **B**: Second. ICLR 2025 [[paper](https://arxiv.org/abs/2401.00002)] \xff\r\n"
    b"- **C**: Third. NeurIPS 2024 (spotlight) [[paper](https://arxiv.org/abs/2401.00003)]\r\n"
)


def venue_catalog() -> Catalog:
    def entry(key: str, listed: str, **paper: object) -> object:
        return make_entry(key, key.upper(), listed_venue=listed,
                          links=[("arxiv", f"2401.0000{' abc'.index(key)}")],
                          paper={"title": f"Paper {key}", **paper},
                          provenance={"paper.status": "openreview",
                                      "paper.venue": "openreview"})

    return make_catalog([
        # the list names last year's conference: replaced by the display venue
        entry("a", "ICLR 2024", status="accepted", venue="ICLR 2025", venue_key="iclr",
              venue_year=2025, year=2025, presentation="poster"),
        # the list names a venue no source confirms: said, never edited
        entry("b", "ICLR 2025", status="rejected", venue="ICLR 2025", venue_key="iclr",
              venue_year=2025, year=2025),
        # the same venue in other words: nothing to say
        entry("c", "NeurIPS 2024 (spotlight)", status="accepted", venue="NeurIPS 2024",
              venue_key="neurips", venue_year=2024, year=2024, presentation="spotlight"),
    ])


def test_another_venue_is_replaced_and_an_unconfirmed_one_only_reported() -> None:
    result = suggest(venue_catalog(), VENUES)
    assert result.text == VENUES.replace(b"First. ICLR 2024", b"First. ICLR 2025")
    assert [(s.key, s.old, s.new, s.applied) for s in result.suggestions] == [
        ("a", "ICLR 2024", "ICLR 2025", True),
        ("b", "ICLR 2025", "", False),
    ]
    text = render(result)
    assert "- **A**: `ICLR 2024` → `ICLR 2025` (OpenReview says accepted at ICLR 2025)" in text
    assert ("- **B**: `ICLR 2025` — not applied: no source confirms it (OpenReview says "
            "rejected at ICLR 2025)") in text


def test_the_display_venue_is_the_phrase() -> None:
    entry = make_entry("x", "X", paper={"title": "T", "venue": "NeurIPS 2024",
                                        "venue_key": "neurips", "venue_year": 2024,
                                        "track": "Datasets and Benchmarks", "year": 2024,
                                        "status": "accepted"})
    assert venue_phrase(entry) == "NeurIPS 2024"
    journal = make_entry("j", "J", paper={"title": "T", "venue": "Nature", "venue_key": "nature",
                                          "venue_year": 2024, "year": 2024,
                                          "status": "published"})
    assert venue_phrase(journal) == "Nature 2024"
