"""``harvest export``: BibTeX, CSL-JSON and Markdown, checked through their real consumers."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

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
    cite,
    latex_escape,
    latex_quotes,
    split_name,
    to_bibtex,
    to_csl_json,
    to_markdown_table,
)
from harvester.models import Catalog, Paper, PaperIds
from harvester.tools_cli import export as export_command
from tests.harness import NEUROFM
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
    assert poyo["booktitle"].value == (
        "Advances in Neural Information Processing Systems (NeurIPS 2023)")
    assert poyo["year"].value == "2023"
    assert [n.last for n in poyo["author"].value] == [["Azabou"], ["Dyer"]]

    preprint = decoded["poyo"].fields_dict
    assert preprint["eprint"].value == "2310.99999"
    assert preprint["archivePrefix"].value == "arXiv"
    assert preprint["howpublished"].value == "arXiv preprint arXiv:2310.99999"
    assert "journal" not in preprint and "booktitle" not in preprint
    assert decoded["brainlm"].fields_dict["howpublished"].value == "bioRxiv preprint"

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
    assert items["poyo-2"]["container-title"] == (
        "Advances in Neural Information Processing Systems (NeurIPS 2023)")
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


# --------------------------------------------------------------------------- venue and status


def cited(venue: str | None, status: str | None, year: int | None = None, **ids: str):
    entry = make_entry("x", "X", paper={"title": "T", "venue": venue, "status": status,
                                        "year": year, "ids": ids})
    assert entry.paper is not None
    return cite(entry, entry.paper)


@pytest.mark.parametrize(("venue", "status", "year", "kind", "container", "cited_year"), [
    # NDT2: Semantic Scholar's long name of NeurIPS is a conference, not a journal
    ("Neural Information Processing Systems", "accepted", 2023, "conference",
     "Advances in Neural Information Processing Systems (NeurIPS 2023)", 2023),
    # PopT: on arXiv in 2024, accepted at ICLR 2025: cited as ICLR 2025
    ("ICLR 2025", "accepted", 2024, "conference",
     "International Conference on Learning Representations (ICLR 2025)", 2025),
    ("ICLR 2025 Spotlight", "accepted", 2025, "conference",
     "International Conference on Learning Representations (ICLR 2025)", 2025),
    ("NeurIPS 2024 Datasets and Benchmarks Track Poster", "accepted", 2024, "conference",
     "Advances in Neural Information Processing Systems (NeurIPS 2024), Datasets and "
     "Benchmarks Track", 2024),
    ("Proceedings of the Symposium on Brains 2022", "published", 2022, "conference",
     "Proceedings of the Symposium on Brains 2022", 2022),
    ("Neurons, Behavior, Data analysis, and Theory, 2021", "accepted", 2021, "journal",
     "Neurons, Behavior, Data analysis, and Theory", 2021),
    ("Nature", "published", 2025, "journal", "Nature", 2025),
    # a submission under review is not cited as accepted there
    ("ICLR 2026 Conference Submission", "under_review", 2025, "preprint", None, 2025),
    ("NeurIPS 2023", "rejected", 2023, "preprint", None, 2023),
    ("arXiv", "preprint", 2024, "preprint", None, 2024),
])
def test_the_export_agrees_with_the_catalogue(venue, status, year, kind, container,
                                              cited_year) -> None:
    result = cited(venue, status, year, arxiv="2406.03044")
    assert (result.kind, result.container, result.year) == (kind, container, cited_year)


def test_an_arxiv_doi_does_not_make_a_conference_paper_cite_as_arxiv() -> None:
    entry = make_entry("popt", "PopT", links=[("arxiv", "2406.03044")], paper={
        "title": "Population Transformer", "venue": "ICLR 2025", "status": "accepted",
        "year": 2024, "authors": ["Geeling Chau"], "published": "2024-06-05",
        "ids": {"arxiv": "2406.03044", "doi": "10.48550/arxiv.2406.03044"}})
    catalog = make_catalog([entry])
    bib = parse_bibtex(to_bibtex(catalog))["popt"]
    assert bib.entry_type == "inproceedings"
    assert bib.fields_dict["year"].value == "2025"
    assert "doi" not in bib.fields_dict and "month" not in bib.fields_dict
    assert bib.fields_dict["eprint"].value == "2406.03044"  # still findable on arXiv
    item = json.loads(to_csl_json(catalog))[0]
    assert item["type"] == "paper-conference"
    assert item["issued"] == {"date-parts": [[2025]]}  # not the arXiv date
    assert "DOI" not in item and "publisher" not in item


def test_venue_fields_are_used_when_the_catalogue_has_them() -> None:
    paper = Paper(title="T", venue="NeurIPS 2024", status="accepted", year=2023,
                  venue_key="neurips", venue_year=2024,
                  track="Datasets and Benchmarks", presentation="spotlight")
    entry = make_entry("x", "X")
    result = cite(entry, paper)
    assert result.kind == "conference"
    assert result.year == 2024
    assert result.container == ("Advances in Neural Information Processing Systems "
                                "(NeurIPS 2024), Datasets and Benchmarks Track")
    journal = Paper(title="T", venue="Nature", status="published", year=2023,
                    venue_key="nature", venue_year=2023)
    assert cite(entry, journal).kind == "journal"
    server = Paper(title="T", venue="bioRxiv", status="published", year=2023,
                   venue_key="biorxiv", ids=PaperIds(biorxiv="10.1101/1"))
    assert cite(entry, server).kind == "preprint"
    # a conference the vocabulary knows: its kind and long name come from there
    icra = Paper(title="T", venue="ICRA 2024", status="accepted", year=2024,
                 venue_key="icra", venue_year=2024)
    assert (cite(entry, icra).kind, cite(entry, icra).container) == (
        "conference", "IEEE International Conference on Robotics and Automation (ICRA 2024)")
    workshop = Paper(title="T", venue="ICLR 2024", status="accepted", year=2024,
                     venue_key="iclr", venue_year=2024, track="Workshop: Time Series")
    assert cite(entry, workshop).container == (
        "International Conference on Learning Representations (ICLR 2024), "
        "Workshop: Time Series")


def test_without_venue_fields_the_vocabulary_reads_the_venue_text() -> None:
    assert cited("IJCNN 2023", "accepted", 2023).container == (
        "International Joint Conference on Neural Networks (IJCNN 2023)")
    assert cited("Nat. Neurosci.", "published", 2022).kind in ("journal",)


def test_bibtex_writes_latex_quotes() -> None:
    assert latex_quotes('Towards a "universal translator" for "x"') == (
        "Towards a ``universal translator'' for ``x''")
    assert latex_quotes("\u201cquoted\u201d and \u2018single\u2019 it\u2019s") == (
        "``quoted'' and `single' it's")
    entry = make_entry("mtm", "MtM", paper={"title": 'Towards a "universal translator"',
                                            "status": "preprint", "ids": {"arxiv": "1"}})
    raw = bibtexparser.parse_string(to_bibtex(make_catalog([entry]))).entries[0]
    assert raw.fields_dict["title"].value == "Towards a ``universal translator''"


# --------------------------------------------------------------------------- an offline catalogue


def offline_catalog(tmp_path: Path) -> Catalog:
    out = tmp_path / "offline.json"
    result = subprocess.run([sys.executable, "-m", "harvester", "--offline", "--quiet",
                             "--list", str(NEUROFM), "--output", str(out),
                             "--cache-dir", str(tmp_path / "cache")],
                            capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return Catalog.model_validate_json(out.read_bytes())


def test_an_offline_catalogue_exports_the_lists_own_titles_venues_and_ids(tmp_path) -> None:
    catalog = offline_catalog(tmp_path)
    papers = [e for e in catalog.entries if e.kind == "paper"]
    assert papers and all(e.paper is None for e in papers)
    entries = parse_bibtex(to_bibtex(catalog))
    assert len(entries) == len(papers)
    poyo = entries["poyo"].fields_dict
    # no author known: @misc (styles require one for @inproceedings), the venue as published
    assert entries["poyo"].entry_type == "misc"
    assert poyo["title"].value == "A Unified, Scalable Framework for Neural Population Decoding"
    assert poyo["howpublished"].value == (
        "Advances in Neural Information Processing Systems (NeurIPS 2023)")
    assert poyo["key"].value == "POYO"
    assert poyo["eprint"].value == "2310.16046"
    ndt3 = entries["ndt3"]
    assert ndt3.entry_type == "misc"  # the list says "Preprint, 2025"
    assert ndt3.fields_dict["year"].value == "2025"
    assert ndt3.fields_dict["doi"].value == "10.1101/2025.02.02.634313"
    items = json.loads(to_csl_json(catalog))
    assert len(items) == len(papers)
    assert all(item["title"] and "NeurIPS 2023" not in item["title"] for item in items)
    csl = {item["id"]: item for item in items}
    assert csl["poyo"]["type"] == "paper-conference"
    assert csl["cebra"]["type"] == "article-journal" and csl["cebra"]["container-title"] == "Nature"


# --------------------------------------------------------------------------- the real consumers

pandoc = shutil.which("pandoc")
biber = shutil.which("biber")
bibtex = shutil.which("bibtex")


def harvested_catalog(tmp_path: Path) -> Catalog:
    from tests.fakeapi import FakeAPI, World
    from tests.harness import Harvest

    with FakeAPI(World.neurofm()) as api:
        run = Harvest(tmp_path, api)
        result = run()
        assert result.returncode == 0, result.stderr
    return Catalog.model_validate_json(run.output.read_bytes())


@pytest.fixture(scope="module")
def catalogs(tmp_path_factory) -> dict[str, Catalog]:
    return {"sample": sample(),
            "harvested": harvested_catalog(tmp_path_factory.mktemp("harvested")),
            "offline": offline_catalog(tmp_path_factory.mktemp("offline"))}


WHICH = ("sample", "harvested", "offline")


@pytest.mark.skipif(pandoc is None, reason="pandoc is not installed (apt-get install pandoc)")
@pytest.mark.parametrize("which", WHICH)
@pytest.mark.parametrize("fmt", ["bibtex", "csl-json"])
def test_pandoc_citeproc_reads_the_exports_without_a_warning(tmp_path, catalogs, which,
                                                             fmt) -> None:
    catalog = catalogs[which]
    path = tmp_path / ("refs.bib" if fmt == "bibtex" else "refs.json")
    path.write_text(to_bibtex(catalog) if fmt == "bibtex" else to_csl_json(catalog),
                    encoding="utf-8")
    doc = tmp_path / "doc.md"
    doc.write_text('---\nnocite: "@*"\n---\n', encoding="utf-8")
    result = subprocess.run([pandoc, "--citeproc", "--fail-if-warnings", "--bibliography",
                             str(path), str(doc), "-t", "plain", "--wrap=none"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    references = [line for line in result.stdout.splitlines() if line.strip()]
    assert len(references) == len(json.loads(to_csl_json(catalog)))
    if which == "harvested":
        def find(words: str) -> str:
            return next(line for line in references if words.lower() in line.lower())

        popt = find("Population Transformer")
        assert "2025" in popt and "(ICLR 2025)" in popt and "arXiv" not in popt
        ndt2 = find("Neural Data Transformer 2")
        assert "In Advances in Neural Information Processing Systems (NeurIPS 2023)" in ndt2
        mtm = find("universal translator")  # LaTeX quotes in BibTeX, typographic once read
        assert '"' not in mtm and "``" not in mtm


@pytest.mark.skipif(biber is None, reason="biber is not installed (apt-get install biber)")
@pytest.mark.parametrize("which", WHICH)
def test_biber_reads_the_bibtex_without_a_warning(tmp_path, catalogs, which) -> None:
    (tmp_path / "refs.bib").write_text(to_bibtex(catalogs[which]), encoding="utf-8")
    result = subprocess.run([biber, "--tool", "--validate-datamodel", "--quiet",
                             "--output-file", str(tmp_path / "out.bib"), "refs.bib"],
                            capture_output=True, text=True, timeout=120, cwd=tmp_path)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    assert "WARN" not in log and "ERROR" not in log, log
    parsed = parse_bibtex((tmp_path / "out.bib").read_text(encoding="utf-8"))
    assert len(parsed) == len(parse_bibtex(to_bibtex(catalogs[which])))


@pytest.mark.skipif(bibtex is None, reason="bibtex is not installed (apt-get install texlive)")
@pytest.mark.parametrize("which", WHICH)
def test_bibtex_reads_the_bibtex_without_a_warning(tmp_path, catalogs, which) -> None:
    (tmp_path / "refs.bib").write_text(to_bibtex(catalogs[which]), encoding="utf-8")
    (tmp_path / "doc.aux").write_text("\\citation{*}\n\\bibdata{refs}\n\\bibstyle{plain}\n",
                                      encoding="utf-8")
    result = subprocess.run([bibtex, "doc"], capture_output=True, text=True, timeout=60,
                            cwd=tmp_path)
    log = result.stdout + (tmp_path / "doc.blg").read_text(encoding="utf-8", errors="replace")
    assert result.returncode == 0, log
    assert "Warning--" not in log and "error message" not in log, log
    assert (tmp_path / "doc.bbl").read_text(encoding="utf-8").count("\\bibitem") == len(
        parse_bibtex(to_bibtex(catalogs[which])))


@pytest.mark.parametrize("which", WHICH)
def test_bibtexparser_reads_every_entry(catalogs, which) -> None:
    text = to_bibtex(catalogs[which])
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == []
    assert len(library.entries) == text.count("\n@") + 1
    assert len({e.key.lower() for e in library.entries}) == len(library.entries)


@pytest.mark.skipif(pandoc is None, reason="pandoc is not installed (apt-get install pandoc)")
def test_bibtex_and_csl_json_cite_each_paper_in_the_same_place(tmp_path, catalogs) -> None:
    from harvester.export.cited import cited_papers as _papers

    catalog = catalogs["harvested"]
    rendered = {}
    for fmt, text in (("bib", to_bibtex(catalog)), ("json", to_csl_json(catalog))):
        path = tmp_path / f"refs.{fmt}"
        path.write_text(text, encoding="utf-8")
        doc = tmp_path / "doc.md"
        doc.write_text('---\nnocite: "@*"\n---\n', encoding="utf-8")
        out = subprocess.run([pandoc, "--citeproc", "--bibliography", str(path), str(doc),
                              "-t", "plain", "--wrap=none"], capture_output=True, text=True,
                             timeout=60, check=True).stdout
        rendered[fmt] = [line.lower() for line in out.splitlines() if line.strip()]
    def letters(text: str) -> str:
        return re.sub(r"[^a-z0-9]", "", text.lower())

    for _, cited in _papers(catalog):
        title = letters(cited.title)[:30]
        lines = {fmt: next(line for line in found if title in letters(line))
                 for fmt, found in rendered.items()}
        for line in lines.values():
            if cited.container:
                assert cited.container.lower() in line, (cited, line)
            assert f"{cited.year}." in line, (cited, line)
            if cited.kind == "preprint" and cited.server in ("arXiv", "bioRxiv"):
                assert "preprint" in line and cited.server.lower() in line, line
