"""``harvest export``: BibTeX, CSL-JSON and Markdown, checked through their real consumers."""

from __future__ import annotations

import json

import bibtexparser
import pytest
from bibtexparser.middlewares import LatexDecodingMiddleware
from bibtexparser.middlewares.names import SeparateCoAuthors, SplitNameParts
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from click.testing import CliRunner

from harvester.export import (
    citation_keys,
    latex_escape,
    split_name,
    to_bibtex,
    to_csl_json,
    to_markdown_table,
)
from harvester.models import Catalog
from harvester.tools_cli import export as export_command
from tests.test_report import make_catalog, make_entry, make_repo

NASTY_TITLE = "NDT3: 100% & $cheap$ model_x #1 {braces} ~tilde^ back\\slash"
NASTY_ABSTRACT = "We reach 50% of $x$ & more_things #here.\n  Second   line."


def sample() -> Catalog:
    return make_catalog([
        make_entry(
            "ndt3", "NDT3", listed_venue="Preprint, 2025",
            links=[("arxiv", "2501.00001")],
            paper={
                "title": NASTY_TITLE,
                "authors": ["Joel Ye", "Jennifer L. Collinger", "Ludwig van Beethoven",
                            "Doe, Jane", "Martin Luther King Jr."],
                "year": 2025, "published": "2025-03-14", "venue": "Nature",
                "status": "published", "abstract": NASTY_ABSTRACT, "citation_count": 12,
                "ids": {"doi": "10.1038/s41586-025-00001", "arxiv": "2501.00001"},
                "urls": {"landing": "https://www.nature.com/articles/s41586-025-00001"},
            },
            repos=[make_repo("joel/ndt3", 100, pushed_at="2025-01-02T03:04:05Z"),
                   make_repo("joel/ndt3-data", 20, pushed_at="2025-02-01T00:00:00Z")],
        ),
        make_entry(
            "poyo+", "POYO+", listed_venue="NeurIPS 2023",
            links=[("arxiv", "2310.00003")],
            paper={
                "title": "A Unified, Scalable Framework for Neural Population Decoding",
                "authors": ["Mehdi Azabou", "Eva L. Dyer"], "year": 2023,
                "venue": "NeurIPS 2023", "status": "accepted",
                "ids": {"arxiv": "2310.00003", "openreview": "sw2Y0sirtM"},
            },
        ),
        # A clean key that the cleaned "poyo+" would otherwise collide with.
        make_entry("poyo", "POYO", links=[("arxiv", "2310.99999")],
                   paper={"title": "POYO preprint", "authors": ["Mehdi Azabou"], "year": 2024,
                          "status": "preprint", "ids": {"arxiv": "2310.99999"}}),
        make_entry("brainlm", "BrainLM", links=[("doi", "10.1101/2023.09.12.557460")],
                   paper={"title": "BrainLM", "authors": ["The Brain Consortium"], "year": 2023,
                          "status": "preprint", "ids": {"biorxiv": "10.1101/2023.09.12.557460"}}),
        make_entry("toolbox", "Toolbox | kit", repos=[make_repo("lab/kit", 7)]),
        make_entry("unknown", "[Unknown] *thing*"),
    ])


# --------------------------------------------------------------------------- BibTeX


def parse_bibtex(text: str):
    library = bibtexparser.parse_string(
        text, append_middleware=[SeparateCoAuthors(), SplitNameParts(),
                                 LatexDecodingMiddleware()])
    assert library.failed_blocks == []
    return {entry.key: entry for entry in library.entries}


def test_bibtex_entries_types_and_keys() -> None:
    entries = parse_bibtex(to_bibtex(sample()))
    assert list(entries) == ["ndt3", "poyo-2", "poyo", "brainlm"]
    assert entries["ndt3"].entry_type == "article"
    assert entries["poyo-2"].entry_type == "inproceedings"
    assert entries["poyo"].entry_type == "misc"
    assert entries["brainlm"].entry_type == "misc"


def test_bibtex_fields_round_trip() -> None:
    raw = {e.key: e for e in bibtexparser.parse_string(to_bibtex(sample())).entries}
    decoded = parse_bibtex(to_bibtex(sample()))
    ndt3 = decoded["ndt3"].fields_dict
    assert ndt3["journal"].value == "Nature"
    assert ndt3["year"].value == "2025"
    assert ndt3["doi"].value == "10.1038/s41586-025-00001"
    assert ndt3["url"].value == "https://www.nature.com/articles/s41586-025-00001"
    assert ndt3["eprint"].value == "2501.00001"
    assert ndt3["archivePrefix"].value == "arXiv"
    # BibTeX reads every author's parts as the catalogue meant them.
    assert [(n.first, n.von, n.last, n.jr) for n in ndt3["author"].value] == [
        (["Joel"], [], ["Ye"], []),
        (["Jennifer", "L."], [], ["Collinger"], []),
        (["Ludwig"], ["van"], ["Beethoven"], []),
        (["Jane"], [], ["Doe"], []),
        (["Martin", "Luther"], [], ["King"], ["Jr."]),
    ]
    # An organisation stays one name.
    assert [n.last for n in decoded["brainlm"].fields_dict["author"].value] == [
        ["{The Brain Consortium}"]]
    # LaTeX-escaped in the file, the original text once a LaTeX decoder reads it back.
    raw_title = raw["ndt3"].fields_dict["title"].value
    for escaped in (r"100\%", r"\&", r"\$cheap\$", r"model\_x", r"\#1", r"\{braces\}",
                    r"\textasciitilde{}", r"\textasciicircum{}", r"back\textbackslash{}slash"):
        assert escaped in raw_title
    assert raw_title.startswith("{NDT3}:")  # capitals protected from lower-casing styles
    # (pylatexenc reads \textasciicircum as U+02C6, LaTeX prints it as "^".)
    assert ndt3["title"].value.replace("\u02c6", "^") == NASTY_TITLE
    assert ndt3["abstract"].value == " ".join(NASTY_ABSTRACT.split())

    poyo = decoded["poyo-2"].fields_dict
    assert poyo["booktitle"].value == "NeurIPS"
    assert poyo["year"].value == "2023"
    assert [n.last for n in poyo["author"].value] == [["Azabou"], ["Dyer"]]

    preprint = decoded["poyo"].fields_dict
    assert preprint["eprint"].value == "2310.99999"
    assert preprint["archivePrefix"].value == "arXiv"
    assert "journal" not in preprint and "booktitle" not in preprint

    assert decoded["brainlm"].fields_dict["doi"].value == "10.1101/2023.09.12.557460"


def test_bibtex_skips_entries_without_a_paper() -> None:
    text = to_bibtex(sample())
    assert "Toolbox" not in text and "Unknown" not in text
    assert text.count("\n@") == 3 and text.startswith("@")


def test_latex_escape_is_one_pass() -> None:
    assert latex_escape("\\&") == r"\textbackslash{}\&"
    assert latex_escape("a{b}") == r"a\{b\}"


def test_citation_keys_are_clean_and_unique() -> None:
    catalog = make_catalog([make_entry("a.b"), make_entry("ab"), make_entry("AB!"),
                            make_entry("??")])
    keys = citation_keys(catalog)
    assert keys == {"ab": "ab", "a.b": "ab-2", "AB!": "AB-3", "??": "entry"}


# --------------------------------------------------------------------------- CSL-JSON


def style() -> CitationStylesStyle:
    try:
        return CitationStylesStyle("harvard1", validate=False)
    except ValueError:  # citeproc-py ≥ 0.7 bundles only harvard-cite-them-right
        return CitationStylesStyle("harvard-cite-them-right", validate=False)


def test_csl_json_renders_with_citeproc() -> None:
    items = json.loads(to_csl_json(sample()))
    source = CiteProcJSON(items)
    bibliography = CitationStylesBibliography(style(), source, formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    rendered = [str(line) for line in bibliography.bibliography()]
    assert len(rendered) == 4
    text = "\n".join(rendered)
    assert NASTY_TITLE in text
    assert "A Unified, Scalable Framework for Neural Population Decoding" in text
    assert "POYO preprint" in text
    assert "(2025)" in text and "(2023)" in text and "(2024)" in text
    assert "Ye, J. et al." in text
    assert "Azabou, M. and Dyer, E.L." in text
    assert "The Brain Consortium" in text


def test_csl_json_items() -> None:
    items = {item["id"]: item for item in json.loads(to_csl_json(sample()))}
    assert list(items) == ["ndt3", "poyo-2", "poyo", "brainlm"]
    ndt3 = items["ndt3"]
    assert ndt3["type"] == "article-journal"
    assert ndt3["issued"] == {"date-parts": [[2025, 3, 14]]}
    assert ndt3["container-title"] == "Nature"
    assert ndt3["DOI"] == "10.1038/s41586-025-00001"
    assert ndt3["URL"].startswith("https://www.nature.com/")
    assert ndt3["abstract"] == NASTY_ABSTRACT.strip()
    assert ndt3["author"][:2] == [{"family": "Ye", "given": "Joel"},
                                  {"family": "Collinger", "given": "Jennifer L."}]
    assert items["poyo-2"]["type"] == "paper-conference"
    assert items["poyo-2"]["container-title"] == "NeurIPS"
    assert items["poyo-2"]["issued"] == {"date-parts": [[2023]]}
    assert items["poyo"]["type"] == "article"
    assert "container-title" not in items["poyo"]
    assert items["poyo"]["number"] == "arXiv:2310.99999"
    assert all(value is not None for item in items.values() for value in item.values())


@pytest.mark.parametrize(("name", "expected"), [
    ("Joel Ye", {"family": "Ye", "given": "Joel"}),
    ("Jennifer L. Collinger", {"family": "Collinger", "given": "Jennifer L."}),
    ("Doe, Jane", {"family": "Doe", "given": "Jane"}),
    ("Ludwig van Beethoven", {"family": "van Beethoven", "given": "Ludwig"}),
    ("Martin Luther King Jr.", {"family": "King", "given": "Martin Luther", "suffix": "Jr."}),
    ("King, Jr., Martin", {"family": "King", "given": "Martin", "suffix": "Jr."}),
    ("Plato", {"literal": "Plato"}),
    ("International Brain Laboratory", {"literal": "International Brain Laboratory"}),
])
def test_split_name(name: str, expected: dict) -> None:
    assert split_name(name) == expected


# --------------------------------------------------------------------------- Markdown table


def test_markdown_table() -> None:
    text = to_markdown_table(sample())
    lines = text.splitlines()
    assert lines[0] == "| name | venue | year | citations | stars | last push |"
    assert len(lines) == 2 + len(sample().entries)
    rows = lines[2:]
    assert rows[0] == ("| [NDT3](https://www.nature.com/articles/s41586-025-00001) | Nature "
                       "| 2025 | 12 | 120 | 2025-02-01 |")
    assert rows[1].startswith("| [POYO+](https://arxiv.org/abs/2310.00003) | NeurIPS 2023 | 2023 "
                              "| — | — | — |")
    assert rows[4] == "| [Toolbox \\| kit](https://github.com/lab/kit) | — | — | — | 7 | — |"
    assert rows[5] == "| \\[Unknown\\] \\*thing\\* | — | — | — | — | — |"  # no link at all
    # Every row has exactly six cells once escaped pipes are discounted.
    for row in rows:
        assert row.replace("\\|", "").count("|") == 7


# --------------------------------------------------------------------------- the command


@pytest.mark.parametrize(("fmt", "render"), [
    ("bibtex", to_bibtex), ("csl-json", to_csl_json), ("markdown", to_markdown_table)])
def test_export_command(tmp_path, fmt: str, render) -> None:
    path = tmp_path / "catalog.json"
    path.write_text(sample().model_dump_json(), encoding="utf-8")
    result = CliRunner().invoke(export_command, ["--format", fmt, str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout == render(sample())


def test_export_command_default_path(tmp_path, monkeypatch) -> None:
    (tmp_path / "output").mkdir()
    (tmp_path / "output" / "catalog.json").write_text(sample().model_dump_json(),
                                                     encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(export_command, ["--format", "markdown"])
    assert result.exit_code == 0
    assert result.stdout.startswith("| name |")


def test_export_command_errors(tmp_path) -> None:
    result = CliRunner().invoke(export_command, ["--format", "bibtex",
                                                 str(tmp_path / "missing.json")])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "missing.json" in result.stderr
    bad = CliRunner().invoke(export_command, ["--format", "docx", str(tmp_path / "x.json")])
    assert bad.exit_code == 2
