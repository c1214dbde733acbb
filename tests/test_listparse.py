"""The list parser: every entry of the first user's list, then one behaviour per test on small
lists written for it, then bad input and size."""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

import pytest

from harvester.listparse import ListEntry, ParsedList, decode_list, parse_list

LISTS = Path(__file__).parent / "data" / "lists"


def parse(text: str) -> ParsedList:
    return parse_list(text)


def only(parsed: ParsedList) -> ListEntry:
    assert len(parsed.entries) == 1, [e.name for e in parsed.entries]
    return parsed.entries[0]


def links(entry: ListEntry) -> list[tuple[str, str | None]]:
    return [(link.kind, link.id) for link in entry.links]


def warned(parsed: ParsedList) -> list[tuple[int | None, str]]:
    return [(w.line, w.message) for w in parsed.warnings]


# ======================================================================= mazabou/awesome-neurofm

MULTI = ["Large-scale multi-animal models"]
OTHER = ["Other relevant models"]
DATA = ["Large-scale datasets and repositories"]
RESOURCES = ["Other resources"]


@dataclass
class Expected:
    line: int
    name: str
    section: list[str]
    venue: str | None
    kind: str
    links: list[tuple[str, str | None, str]]
    """(kind, id, label) of each link, in order."""


NEUROFM = [
    Expected(13, "POYO", MULTI, "NeurIPS 2023", "paper", [
        ("arxiv", "2310.16046", "paper"), ("web", None, "project page")]),
    Expected(15, "POYO+", MULTI, "ICLR 2025", "paper", [("openreview", "IuU0wcO0mo", "paper")]),
    Expected(17, "NDT2", MULTI, "NeurIPS 2023", "paper", [
        ("proceedings", None, "paper"), ("github", "joel99/context_general_bci", "code")]),
    Expected(19, "MtM", MULTI, "NeurIPS 2024", "paper", [
        ("openreview", "CBBtMnlTGq", "paper"), ("web", None, "project page")]),
    Expected(21, "NDT3", MULTI, "Preprint, 2025", "paper", [
        ("biorxiv", "10.1101/2025.02.02.634313", "paper"),
        ("github", "joel99/ndt3", "project page")]),
    Expected(23, "Multi-X DDM", MULTI, "Preprint, 2025", "paper", [
        ("openreview", "R9feGbYRG7", "paper")]),
    Expected(25, "Wang et al.", MULTI, "Preprint, 2023", "paper", [
        ("biorxiv", "10.1101/2023.03.21.533548", "paper")]),
    Expected(27, "CEBRA", MULTI, "Nature 2023", "paper", [
        ("doi", "10.1038/s41586-023-06031-6", "paper"), ("web", None, "project page")]),
    Expected(29, "Jiang et al.", MULTI, "Preprint, 2025", "paper", [
        ("biorxiv", "10.1101/2025.05.12.653551", "paper")]),
    Expected(33, "Neuroformer", OTHER, "ICLR 2024", "paper", [
        ("arxiv", "2311.00136", "paper"), ("web", None, "project page")]),
    Expected(35, "GNOCCHI", OTHER, "Preprint 2024", "paper", [("arxiv", "2407.21195", "paper")]),
    Expected(37, "LDNS", OTHER, "NeurIPS 2024", "paper", [
        ("arxiv", "2407.08751", "paper"), ("github", "mackelab/LDNS", "code")]),
    Expected(39, "NDT1", OTHER, "NBDT 2021", "paper", [
        ("arxiv", "2108.01210", "paper"),
        ("github", "snel-repo/neural-data-transformers", "code")]),
    Expected(42, "PopT", OTHER, "ICLR 2025", "paper", [("arxiv", "2406.03044", "paper")]),
    Expected(46, "FALCON", ["Benchmarks"], None, "paper", [
        ("openreview", "FN02v4nD8y", "paper"), ("web", None, "project page")]),
    Expected(50, "Allen Brain Observatory", DATA, None, "resource", [("web", None, "website")]),
    Expected(51, "International Brain Laboratory", DATA, None, "resource", [
        ("web", None, "website")]),
    Expected(52, "dandi repository", DATA, None, "resource", [("web", None, "website")]),
    Expected(58, "temporaldata", ["Tools"], None, "resource", [
        ("web", None, "View Documentation")]),
    Expected(59, "brainsets", ["Tools"], None, "resource", [("web", None, "View Documentation")]),
    Expected(60, "torch_brain", ["Tools"], None, "resource", [
        ("web", None, "View Documentation")]),
    Expected(65, "The NeuroAI archive", RESOURCES, None, "resource", [("web", None, "website")]),
    Expected(66, 'COSYNE 2025 workshop "Neuro-Foundation Models"', RESOURCES, None, "resource", [
        ("web", None, "website")]),
    Expected(67, 'COSYNE 2025 tutorial "Transformers in Neuroscience"', RESOURCES, None,
             "resource", [("web", None, "website")]),
]  # fmt: skip


@pytest.fixture(scope="module")
def neurofm() -> ParsedList:
    return parse((LISTS / "mazabou__awesome-neurofm.md").read_text(encoding="utf-8"))


def test_neurofm_title_and_counts(neurofm: ParsedList) -> None:
    assert neurofm.title == "Awesome Neuro-Foundation Models"
    assert len(neurofm.entries) == len(NEUROFM) == 24
    assert sum(e.kind == "paper" for e in neurofm.entries) == 15
    assert neurofm.warnings == []


@pytest.mark.parametrize("expected", NEUROFM, ids=lambda e: e.name)
def test_neurofm_entry(neurofm: ParsedList, expected: Expected) -> None:
    entry = next(e for e in neurofm.entries if e.line == expected.line)
    assert entry.name == expected.name
    assert entry.section == expected.section
    assert entry.listed_venue == expected.venue
    assert entry.kind == expected.kind
    assert [(link.kind, link.id, link.label) for link in entry.links] == expected.links


def test_neurofm_texts(neurofm: ParsedList) -> None:
    text = {e.name: e.text for e in neurofm.entries}
    assert text["POYO"] == (
        "A Unified, Scalable Framework for Neural Population Decoding. NeurIPS 2023"
    )
    # The venue and links wrap onto a second line; the tab after "PopT"'s venue is a space.
    assert text["NDT1"] == (
        "Representation learning for neural population activity with Neural Data "
        "Transformers, NBDT 2021."
    )
    assert text["PopT"] == (
        "Population Transformer: Learning Population-level Representations of Neural "
        "Activity, ICLR 2025."
    )
    assert text["FALCON"] == (
        "Few-shot Algorithms for Consistent Neural Decoding (FALCON) Benchmark"
    )
    assert text["Allen Brain Observatory"] == "Allen Brain Observatory"
    assert text["torch_brain"] == (
        "torch_brain A PyTorch-based library for building transformer models for neuroscience "
        "applications"
    )


def test_neurofm_urls(neurofm: ParsedList) -> None:
    urls = {e.name: [link.url for link in e.links] for e in neurofm.entries}
    assert urls["NDT2"][0] == "https://proceedings.neurips.cc/paper_files/paper/2023"
    assert urls["Jiang et al."] == [
        "https://www.biorxiv.org/content/10.1101/2025.05.12.653551v1.abstract"
    ]
    assert urls["temporaldata"] == ["https://temporaldata.readthedocs.io/en/latest/index.html"]


# ======================================================================= entries and sections


def test_list_items_with_links_are_entries_and_others_are_not() -> None:
    parsed = parse(
        "# Title\n\n## Papers\n\n"
        "- **A**: first [[paper](https://arxiv.org/abs/2301.00001)]\n"
        "- just text, no link\n"
        "- **C**: third [[code](https://github.com/o/c)]\n"
    )
    assert [(e.name, e.line, e.kind) for e in parsed.entries] == [
        ("A", 5, "paper"),
        ("C", 7, "resource"),
    ]
    assert parsed.title == "Title"


def test_section_path_follows_heading_levels() -> None:
    parsed = parse(
        "# Title\n## A\n### A1\n- x [l](https://a.org)\n### A2\n- y [l](https://b.org)\n"
        "## B\n- z [l](https://c.org)\n#### B deep\n- w [l](https://d.org)\n"
    )
    assert [e.section for e in parsed.entries] == [
        ["A", "A1"],
        ["A", "A2"],
        ["B"],
        ["B", "B deep"],
    ]


def test_headings_are_cleaned_of_badges_sub_counts_and_colons() -> None:
    parsed = parse(
        "# My list [![Awesome](https://awesome.re/badge.svg)](https://awesome.re)\n"
        "## Image reconstruction  <sub>(21)</sub>\n- x [p](https://a.org)\n"
        "## Other resources:\n- y [p](https://b.org)\n"
    )
    assert parsed.title == "My list"
    assert [e.section for e in parsed.entries] == [["Image reconstruction"], ["Other resources"]]


def test_html_h1_is_the_title() -> None:
    parsed = parse(
        '<div align="center">\n    <h1>Awesome Neural ODE</h1>\n</div>\n\n'
        "# Table of Contents\n\n* [Neural ODEs](#neural-odes)\n\n"
        "## Neural ODEs\n\n* Paper: [NeurIPS18](https://arxiv.org/abs/1806.07366)\n"
    )
    assert parsed.title == "Awesome Neural ODE"
    assert only(parsed).section == ["Neural ODEs"]  # the table of contents is not a section


def test_table_of_contents_is_skipped() -> None:
    parsed = parse(
        "# T\n\n## Table of Contents\n- [Papers](#papers)\n  - [Vision](#vision)\n\n"
        "## Papers\n### Vision\n- **V**: x [paper](https://arxiv.org/abs/2301.00001)\n"
    )
    entry = only(parsed)
    assert entry.section == ["Papers", "Vision"]
    assert parsed.warnings == []


def test_preamble_paragraphs_are_not_entries() -> None:
    parsed = parse(
        "# T\n\nSee also [the 2024 list](https://github.com/o/list-2024).\n\n"
        '<div align="center"><a href="https://github.com/o/top-2024">2024</a></div>\n\n'
        "## Papers\n\n**A title** [[pdf](https://arxiv.org/abs/2301.00001)]\n"
    )
    assert [e.name for e in parsed.entries] == ["A title"]


def test_bold_only_paragraph_is_a_sub_heading() -> None:
    parsed = parse(
        "# T\n### 2026\n\n**Nature, Science, Cell**\n\n**AAAI, ICLR**\n"
        "- Robust SNNs (**ICLR 2026**). [[paper](https://iclr.cc/virtual/2026/poster/1)]\n"
        "### 2025\n- Older (**AAAI 2025**). [[paper](https://arxiv.org/abs/2501.00001)]\n"
    )
    first, second = parsed.entries
    assert first.section == ["2026", "AAAI, ICLR"]
    assert (first.name, first.listed_venue, first.kind) == ("Robust SNNs", "ICLR 2026", "paper")
    assert second.section == ["2025"]


def test_nested_item_with_links_is_its_own_entry() -> None:
    # takyamamoto: an indented "(cf.)" sub-bullet with its own link.
    parsed = parse(
        "# T\n## Vision\n"
        '- A. Krizhevsky, G. Hinton. "ImageNet classification with deep convolutional neural '
        'networks". *NIPS* (2012). ([pdf](https://papers.nips.cc/paper/4824-imagenet.pdf))\n'
        '  - (cf.) I. Goodfellow, Y. Bengio. "[Deep Learning](https://www.deeplearningbook.org/)".'
        " MIT Press. (2016)\n"
    )
    parent, child = parsed.entries
    assert (parent.line, parent.name, parent.listed_venue) == (
        3,
        "ImageNet classification with deep convolutional neural networks",
        "NIPS (2012)",
    )
    assert links(parent) == [("proceedings", "neurips-legacy:4824-imagenet")]
    assert (child.line, child.name, child.kind) == (4, "Deep Learning", "resource")
    assert links(child) == [("web", None)]


def test_nested_item_without_links_is_part_of_its_parent() -> None:
    parsed = parse(
        "# T\n## Journals\n- [Scientific Data](https://www.nature.com/sdata/)\n"
        "    - A general purpose journal of datasets\n"
    )
    entry = only(parsed)
    assert entry.name == "Scientific Data"
    assert entry.text == "Scientific Data A general purpose journal of datasets"


def test_paragraph_entries_without_bullets() -> None:
    # NeuSpeech: **Title**<br> *authors*<br> venue, one link per line.
    parsed = parse(
        "# T\n## EEG\n"
        "**Are EEG-to-Text Models Working?**<br>\n"
        "*Hyejeong Jo, Yiqian Yang*<br>\n"
        "IJCAI workshop 2024\n"
        ". Investigated major flaws in EEG-to-text models.\n"
        "[[PDF](https://arxiv.org/pdf/2405.06459)]\n"
        "[[Code](https://github.com/NeuSpeech/EEG-To-Text)]\n\n"
        # ZIYU-DEEP: **Title** [[link](…)] \ then authors\ then *Venue, Year*
        "🐤 **The Information Bottleneck Method** "
        "[[link](https://arxiv.org/abs/physics/0004057)] \\\n"
        "Naftali Tishby, Fernando C. Pereira, William Bialek\\\n"
        "*Preprint, 2000*\n<br>\n"
    )
    neuspeech, ziyu = parsed.entries
    assert (neuspeech.line, neuspeech.name, neuspeech.listed_venue) == (
        3,
        "Are EEG-to-Text Models Working?",
        "IJCAI workshop 2024",
    )
    assert links(neuspeech) == [("arxiv", "2405.06459"), ("github", "NeuSpeech/EEG-To-Text")]
    assert (ziyu.line, ziyu.name, ziyu.listed_venue) == (
        10,
        "The Information Bottleneck Method",
        "Preprint, 2000",
    )
    assert links(ziyu) == [("arxiv", "physics/0004057")]
    assert ziyu.text == (  # the emoji is the list's "classic" mark, kept as written
        "🐤 The Information Bottleneck Method Naftali Tishby, Fernando C. Pereira, William Bialek "
        "Preprint, 2000"
    )


def test_prose_paragraphs_with_links_are_not_entries() -> None:
    parsed = parse(
        "# T\n## Introduction\n"
        "It has been twenty years since the [first paper](https://arxiv.org/abs/physics/0004057)"
        " on the method.\n"
    )
    assert parsed.entries == []


def test_title_paragraph_joins_the_links_paragraph_after_it() -> None:
    parsed = parse(
        "# T\n## theory\n"
        "**The Brain's Bitter Lesson.**<br>\n*R. Antonello*<br>\nArxiv 2024.\n\n"
        "[[PDF](https://arxiv.org/abs/2406.04328)]\n"
    )
    entry = only(parsed)
    assert (entry.line, entry.name, entry.listed_venue) == (
        3,
        "The Brain's Bitter Lesson",
        "Arxiv 2024",
    )
    assert links(entry) == [("arxiv", "2406.04328")]


def test_paragraph_of_link_lines_gives_one_entry_per_line() -> None:
    parsed = parse(
        "# T\n## Dataset\n### EEG\n"
        "[[Data-Things-EEG1](https://osf.io/3jk45/)]\n"
        "[EEG [Data-Broderick](https://datadryad.org/stash/dataset/doi:10.5061/dryad.070jc)]\n"
        "[[Data-ZuCo1](https://osf.io/q3zws/files/osfstorage)]\n"
    )
    assert [(e.line, e.name, e.text) for e in parsed.entries] == [
        (4, "Data-Things-EEG1", "Data-Things-EEG1"),
        (5, "Data-Broderick", "EEG Data-Broderick"),
        (6, "Data-ZuCo1", "Data-ZuCo1"),
    ]


def test_link_line_paragraph_joined_by_separators_is_one_entry_named_by_its_heading() -> None:
    # ElectrophysiologyData: one dataset per heading, its links on one block.
    parsed = parse(
        "# T\n## EEG Data\n#### HBN - Healthy Brain Networks\n\n"
        "A large project including rest and task EEG data.\n\n"
        "[Home Page](https://fcon_1000.projects.nitrc.org/indi/cmi_healthy_brain_network/) -\n"
        "[Data Portal](https://fcon_1000.projects.nitrc.org/indi/cmi_eeg/eeg.html) -\n"
        "[Paper](https://doi.org/10.1038/sdata.2017.181)\n"
    )
    entry = only(parsed)
    assert (entry.line, entry.name, entry.text, entry.kind) == (
        7,
        "HBN - Healthy Brain Networks",
        None,
        "paper",  # a link to a DOI makes it a paper, even for a dataset
    )
    assert links(entry) == [("web", None), ("web", None), ("doi", "10.1038/sdata.2017.181")]


def test_entries_need_an_absolute_link() -> None:
    parsed = parse(
        "# T\n## Docs\n- [benchmarks.md](docs/benchmarks.md): every number carries its conditions\n"
        "- [Back to top](#t)\n"
    )
    assert parsed.entries == []
    assert parsed.warnings == [type(parsed.warnings[0])(None, "no entries found")]


def test_image_only_lines_are_not_entries() -> None:
    parsed = parse(
        "# T\n## Scaling\n![](model_size.png)\n\n"
        "[![Star History](https://api.star-history.com/svg?repos=o/r)](https://star-history.com/#o/r)\n"
        "\n- [![Awesome](https://awesome.re/badge.svg)](https://awesome.re)\n"
    )
    assert parsed.entries == []


# ======================================================================= links


def test_badge_contributes_its_target_labelled_with_alt_text() -> None:
    # SkalskiP: the arXiv id is also in the badge image URL, which is not a link.
    parsed = parse(
        "# T\n## papers\n| topic | title | repository / paper |\n|---|---|---|\n"
        "| Segmentation | OneFormer: One Transformer To Rule Universal Image Segmentation |  "
        "[![GitHub](https://img.shields.io/github/stars/SHI-Labs/OneFormer?style=social)]"
        "(https://github.com/SHI-Labs/OneFormer) "
        "[![arXiv](https://img.shields.io/badge/arXiv-2211.06220-b31b1b.svg)]"
        "(https://arxiv.org/abs/2211.06220)|\n"
    )
    entry = only(parsed)
    assert [(link.kind, link.id, link.label, link.url) for link in entry.links] == [
        ("github", "SHI-Labs/OneFormer", "GitHub", "https://github.com/SHI-Labs/OneFormer"),
        ("arxiv", "2211.06220", "arXiv", "https://arxiv.org/abs/2211.06220"),
    ]
    assert (entry.name, entry.text, entry.kind) == (
        "OneFormer",
        "OneFormer: One Transformer To Rule Universal Image Segmentation",
        "paper",
    )


def test_unwrapped_star_badge_adds_its_repository() -> None:
    # XiaoxinHe: the stars badge follows the link group, not wrapped in a link.
    parsed = parse(
        "# T\n## Prompting\n"
        "- (*ICLR'24*) Talk like a Graph [[paper](https://arxiv.org/abs/2310.04560)]"
        "![GitHub Repo stars](https://img.shields.io/github/stars/Arthur-Heng/NLGraph?style=social)\n"
    )
    entry = only(parsed)
    assert [(link.kind, link.id, link.label, link.url) for link in entry.links] == [
        ("arxiv", "2310.04560", "paper", "https://arxiv.org/abs/2310.04560"),
        (
            "github",
            "Arthur-Heng/NLGraph",
            "GitHub Repo stars",
            "https://github.com/Arthur-Heng/NLGraph",
        ),
    ]
    assert (entry.name, entry.listed_venue) == ("Talk like a Graph", "ICLR'24")


def test_star_badge_is_dropped_when_the_entry_links_its_repository() -> None:
    # BradyFU: "![Star](…/stars/o/r.svg?…) <br> [**Title**](arxiv)" and a Code column link.
    parsed = parse(
        "# T\n## Tuning\n| Title | Venue | Date | Code | Demo |\n|:--|:-:|:-:|:-:|:-:|\n"
        "| ![Star](https://img.shields.io/github/stars/MiG-NJU/OmniVideo-100K.svg?style=social"
        "&label=Star) <br> [**OmniVideo-100K: A Dataset**](https://arxiv.org/pdf/2606.14702) <br> "
        "| arXiv | 2026-06-12 | [Github](https://github.com/MiG-NJU/OmniVideo-100K/) | - |\n"
    )
    entry = only(parsed)
    assert [(link.kind, link.id, link.label) for link in entry.links] == [
        ("arxiv", "2606.14702", "OmniVideo-100K: A Dataset"),
        ("github", "MiG-NJU/OmniVideo-100K", "Github"),
    ]
    assert (entry.name, entry.listed_venue) == ("OmniVideo-100K: A Dataset", "arXiv")


def test_bare_image_adds_no_link() -> None:
    parsed = parse(
        "# T\n## S\n- Model ![logo](https://x.org/logo.png) [code](https://github.com/o/r)\n"
    )
    assert links(only(parsed)) == [("github", "o/r")]


def test_links_are_deduplicated_by_url_within_an_entry() -> None:
    parsed = parse(
        "# T\n## 2025\n- **ALFEE: Adaptive Large Foundation Model**  \n"
        "  [paper](https://arxiv.org/abs/2505.06291) · *Wang et al.* (arXiv; "
        "[arXiv:2505.06291](https://arxiv.org/abs/2505.06291)) · [code](#)\n"
    )
    entry = only(parsed)
    assert links(entry) == [("arxiv", "2505.06291")]
    assert entry.text == "ALFEE: Adaptive Large Foundation Model · Wang et al. (arXiv)"


def test_escaped_bracket_link_groups() -> None:
    # qingsongedu: [\[paper\]](…) [\[official code\]](…)
    parsed = parse(
        "# T\n## General\n"
        "* Time-LLM: Time Series Forecasting by Reprogramming Large Language Models, in *ICLR* "
        "2024. [\\[paper\\]](https://arxiv.org/abs/2310.01728) "
        "[\\[official code\\]](https://github.com/KimMeen/Time-LLM)\n"
    )
    entry = only(parsed)
    assert [(link.kind, link.id, link.label) for link in entry.links] == [
        ("arxiv", "2310.01728", "[paper]"),
        ("github", "KimMeen/Time-LLM", "[official code]"),
    ]
    assert (entry.name, entry.listed_venue) == ("Time-LLM", "ICLR 2024")
    assert entry.text == (
        "Time-LLM: Time Series Forecasting by Reprogramming Large Language Models, in ICLR 2024."
    )


def test_bare_urls_are_links() -> None:
    parsed = parse(
        "# T\n## Reviews\n- A review: https://arxiv.org/pdf/2602.03269.\n"
        "- Not a link: `https://arxiv.org/abs/2301.00001`\n\n"
        "Reviews of EEG foundation models\n\n"
        "https://arxiv.org/html/2507.11783v3\n"
    )
    review, bare = parsed.entries
    assert [(link.kind, link.id, link.url) for link in review.links] == [
        ("arxiv", "2602.03269", "https://arxiv.org/pdf/2602.03269")
    ]
    assert (bare.line, bare.name, links(bare)) == (
        8,
        "https://arxiv.org/html/2507.11783v3",  # a bare URL names itself
        [("arxiv", "2507.11783")],
    )


def test_pasted_markdown_link_as_target_is_repaired_with_a_warning() -> None:
    parsed = parse(
        "# T\n## RL\n"
        "**Mitigating Reward Hacking** [[link]([https://arxiv.org/abs/2110.13705]"
        "(https://arxiv.org/pdf/2402.09345))] \\\n"
    )
    assert links(only(parsed)) == [("arxiv", "2402.09345")]
    assert warned(parsed) == [(3, "malformed link target; used https://arxiv.org/pdf/2402.09345")]


# ======================================================================= HTML


def test_html_table_rows_are_entries() -> None:
    # ASAudio: <div><table> with a header row, <center> inside <a>, "-" for missing cells.
    parsed = parse(
        "# T\n## Papers\n###### 2.1 Room Impulse Response (RIR)\n"
        "<div align='center'>\n<table>\n  <thead>\n    <tr>\n"
        "      <th> Paper </th>\n      <th> URL </th>\n      <th> Code/Dataset </th>\n"
        "    </tr>\n  </thead>\n  <tbody>\n    <tr>\n"
        '      <td lang="en">Few-shot audio-visual learning of environment acoustics</td>\n'
        '      <td><a href="https://arxiv.org/abs/2206.04006"><center>Link</center></a></td>\n'
        '      <td><a href="https://github.com/SAGNIKMJR/few-shot-rir"><center>Link</center></a></td>\n'
        "    </tr>\n    <tr>\n"
        "      <td>The Sweet-Home speech corpus</td>\n"
        '      <td><a href="https://www.researchgate.net/publication/280751765_x"><center>Link'
        "</center></a></td>\n"
        '      <td style="text-align: center;">-</td>\n'
        "    </tr>\n  </tbody>\n</table>\n</div>\n"
    )
    first, second = parsed.entries
    assert (first.line, first.name, first.section, first.kind) == (
        14,
        "Few-shot audio-visual learning of environment acoustics",
        ["Papers", "2.1 Room Impulse Response (RIR)"],
        "paper",
    )
    assert [(link.kind, link.id, link.label) for link in first.links] == [
        ("arxiv", "2206.04006", "Link"),
        ("github", "SAGNIKMJR/few-shot-rir", "Link"),
    ]
    assert (second.line, second.name, second.kind) == (19, "The Sweet-Home speech corpus", "paper")


def test_html_table_split_by_blank_lines_is_still_one_table() -> None:
    parsed = parse(
        "# T\n## P\n<table>\n<tr><th>Paper</th><th>URL</th></tr>\n\n"
        '<tr><td>One</td><td><a href="https://arxiv.org/abs/2301.00001">Link</a></td></tr>\n\n'
        '<tr><td>Two</td><td><a href="https://arxiv.org/abs/2301.00002">Link</a></td></tr>\n'
        "</table>\n"
    )
    assert [(e.name, e.line, links(e)) for e in parsed.entries] == [
        ("One", 6, [("arxiv", "2301.00001")]),
        ("Two", 8, [("arxiv", "2301.00002")]),
    ]


def test_details_block_is_read_and_its_links_are_kept() -> None:
    parsed = parse(
        "# T\n## News\n<details>\n<summary> News 2026 </summary>\n\n"
        "[2026.03.24] Update SNN-related papers in AAAI 2026.\n\n</details>\n\n"
        "## Papers\n<details><summary>Show</summary>\n"
        '<p><b>SpikeGPT</b> <a href="https://arxiv.org/abs/2302.13939">paper</a></p>\n'
        "</details>\n"
    )
    entry = only(parsed)
    assert (entry.name, entry.section, links(entry)) == (
        "SpikeGPT",
        ["Papers"],
        [("arxiv", "2302.13939")],
    )


def test_html_comments_are_ignored() -> None:
    parsed = parse(
        "# T\n## S\n<!-- - **Old** [[link](http://arxiv.org/abs/2102.13268v3)] -->\n"
        "- **New** [[link](https://arxiv.org/abs/2301.00001)]\n"
    )
    assert [e.name for e in parsed.entries] == ["New"]


def test_inline_html_links_and_bold() -> None:
    parsed = parse(
        '# T\n## S\n- <b>Tool</b>: does things <a href="https://github.com/o/tool">repo</a>\n'
    )
    entry = only(parsed)
    assert (entry.name, entry.text, links(entry)) == ("Tool", "does things", [("github", "o/tool")])


# ======================================================================= names and venues


@pytest.mark.parametrize(
    ("item", "name"),
    [
        ("**POYO**: A Unified Framework. NeurIPS 2023", "POYO"),
        ("**PopT**:Population Transformer,\tICLR 2025.", "PopT"),
        ("Robustify SNNs via Deflation (**ICLR 2026**).", "Robustify SNNs via Deflation"),
        ("3DSMT: A Hybrid Spiking Mamba-Transformer. (**ICLR 2026**).", "3DSMT"),
        ("(*NAACL'21*) Knowledge Graph Based Synthetic Corpus Generation", (
            "Knowledge Graph Based Synthetic Corpus Generation")),
        ('D. Cox, T. Dean. "Neural networks and vision". *Curr. Biol.* **24**(18) (2014).', (
            "Neural networks and vision")),
        ("The [DANDI](https://dandiarchive.org) archive is a platform", "DANDI"),
        ("Allen Brain Observatory", "Allen Brain Observatory"),
        ("A large language model for EHRs, in *NPJ Digit. Med.* 2022,", (
            "A large language model for EHRs")),
    ],
)  # fmt: skip
def test_names(item: str, name: str) -> None:
    parsed = parse(f"# T\n## S\n- {item} [[paper](https://example.org/x)]\n")
    assert only(parsed).name == name


@pytest.mark.parametrize(
    ("item", "venue"),
    [
        ("**POYO**: A Unified Framework. NeurIPS 2023", "NeurIPS 2023"),
        ("**NDT3**: A Generalist Decoder. Preprint, 2025", "Preprint, 2025"),
        ("**GNOCCHI**: Diffusion-Based Generation, Preprint 2024", "Preprint 2024"),
        ("**CEBRA**: Learnable latent embeddings. Nature 2023", "Nature 2023"),
        ("Generalizable spelling. Nature communications 2022.", "Nature communications 2022"),
        ("Robustify SNNs (**ICLR 2026**).", "ICLR 2026"),
        (
            "Neuromorphic computing (**Nature Communications, 2025**).",
            "Nature Communications, 2025",
        ),
        ("(*NeurIPS'24 D&B*) GLBench: A Benchmark", "NeurIPS'24 D&B"),
        ("(*arXiv 2023.10*) Towards Graph Foundation Models", "arXiv 2023.10"),
        ("(NeurIPS'24) LLMs as Zero-shot Graph Learners", "NeurIPS'24"),
        ("(*TKDE‘23*) AutoAlign: Fully Automatic Alignment", "TKDE‘23"),
        ("**Title** \\\nAuthors\\\n*ICLR, 2019 (Oral)*", "ICLR, 2019 (Oral)"),
        ("Deep Equilibrium Models: [NeurIPS19](https://arxiv.org/abs/1909.01377)", "NeurIPS19"),
        ("**EEGMamba**  \n  *Wang et al.* (Neural Networks 2025)", "Neural Networks 2025"),
        ("**Uni-NTFM**  \n  *Chen et al.* (ICLR 2026 submission; OpenReview)", "ICLR 2026"),
        ('A. B. "Title here". *Nature.* **331**, 679–684 (1988).', "Nature. 331, 679–684 (1988)"),
        ("Time-LLM, in *ICLR* 2024.", "ICLR 2024"),
        ("**FALCON**: Few-shot Algorithms Benchmark", None),
        ("**ALFEE**  \n  *Wang et al.* (arXiv)", None),
        ("Allen Brain Observatory", None),
    ],
)
def test_listed_venue(item: str, venue: str | None) -> None:
    parsed = parse(f"# T\n## S\n- {item} [[paper](https://example.org/x)]\n")
    assert only(parsed).listed_venue == venue


def test_table_venue_column_is_the_listed_venue() -> None:
    parsed = parse(
        "# T\n## Image reconstruction\n| Year | Paper | Modality | Venue | Data | Code |\n"
        "|---|---|---|---|---|---|\n"
        "| 2026 | <mark>[Duala: Dual-Level Alignment](https://arxiv.org/abs/2603.07625v1)</mark> "
        "| fMRI | CVPR 2026 | NSD | [code](https://github.com/ShumengLI/Duala) |\n"
        "| 2025 | [MindAligner](https://arxiv.org/abs/2502.05034v1) 📄 | fMRI | — | NSD | — |\n"
    )
    first, second = parsed.entries
    assert (first.name, first.listed_venue, links(first)) == (
        "Duala: Dual-Level Alignment",
        "CVPR 2026",
        [("arxiv", "2603.07625"), ("github", "ShumengLI/Duala")],
    )
    assert (second.name, second.listed_venue) == ("MindAligner", None)


def test_table_name_column_and_paper_column() -> None:
    parsed = parse(
        "# T\n## Datasets\n| Name | Paper | Type |\n|:--|:--:|:--:|\n"
        "| **ShareGPT4V** | [ShareGPT4V: Improving LMMs](https://arxiv.org/pdf/2311.12793.pdf) "
        "| Caption |\n"
    )
    entry = only(parsed)
    assert (entry.name, entry.text, links(entry)) == (
        "ShareGPT4V",
        "ShareGPT4V: Improving LMMs",
        [("arxiv", "2311.12793")],
    )


# ======================================================================= formats of more lists


def test_bullet_less_paragraphs_with_a_paper_link_are_entries() -> None:
    parsed = parse(
        "# T\n## Surveys\n\n"
        "(Arxiv 24.04.15) A Survey of State Space Models [Paper](https://arxiv.org/abs/2404.09516)"
        " [Code](https://github.com/o/ssm)\n\n"
        "(**CVPR24 Workshop**) Vision Mamba for Efficient Images"
        " [Paper](https://arxiv.org/abs/2401.09417)\n\n"
        "See [our site](https://example.org/about) for how to contribute.\n\n"
        "(Arxiv 24.05.01) Mamba in Vision [Paper](https://arxiv.org/abs/2405.00001)\n"
        "(ICML 2024) Mamba for Tables [Paper](https://arxiv.org/abs/2405.00002)\n"
    )
    assert [(e.line, e.name, e.listed_venue, e.kind) for e in parsed.entries] == [
        (4, "A Survey of State Space Models", "Arxiv 24.04.15", "paper"),
        (6, "Vision Mamba for Efficient Images", "CVPR24 Workshop", "paper"),
        (10, "Mamba in Vision", "Arxiv 24.05.01", "paper"),
        (11, "Mamba for Tables", "ICML 2024", "paper"),
    ]
    assert links(parsed.entries[0]) == [("arxiv", "2404.09516"), ("github", "o/ssm")]
    assert [links(e) for e in parsed.entries[2:]] == [
        [("arxiv", "2405.00001")],
        [("arxiv", "2405.00002")],
    ]


def test_a_list_of_paper_paragraphs_without_section_headings() -> None:
    parsed = parse(
        "# Papers\n\nA list of papers, with the [survey](https://example.org/s) it follows.\n\n"
        "(Arxiv 24.04.15) A Survey of State Space Models [Paper](https://arxiv.org/abs/2404.09516)\n\n"
        "(ICML 2024) Mamba for Tables [Paper](https://arxiv.org/abs/2405.00002)\n"
    )
    assert [(e.line, e.name, e.section) for e in parsed.entries] == [
        (5, "A Survey of State Space Models", []),
        (7, "Mamba for Tables", []),
    ]


def test_paper_paragraphs_before_the_first_section_are_the_introduction() -> None:
    parsed = parse(
        "# Papers\n\nOur survey [Paper](https://arxiv.org/abs/2404.09516)\n\n"
        "## Models\n- [A](https://arxiv.org/abs/2405.00002)\n"
    )
    assert [e.name for e in parsed.entries] == ["A"]


def test_prose_paragraph_without_a_paper_link_is_not_an_entry() -> None:
    parsed = parse("# T\n## S\n\nThanks to [Alice](https://example.org/alice) for help.\n")
    assert parsed.entries == []


@pytest.mark.parametrize(
    ("item", "name", "venue"),
    [
        (
            "1. **Sparse Neural Networks for Graph Matching.** ICLR 2018.",
            "Sparse Neural Networks for Graph Matching",
            "ICLR 2018",
        ),
        (
            "- [Sparse Neural Networks for Graph Matching](https://example.org/p) ICLR 2018",
            "Sparse Neural Networks for Graph Matching",
            "ICLR 2018",
        ),
        ("- **Neural Networks for Vision** 2019", "Neural Networks for Vision", None),
        ("- **Neural Networks for Vision**", "Neural Networks for Vision", None),
    ],
)
def test_words_of_the_title_never_make_its_venue(item: str, name: str, venue: str | None) -> None:
    entry = only(parse(f"# T\n## S\n{item} [[paper](https://arxiv.org/abs/1801.00001)]\n"))
    assert (entry.name, entry.listed_venue) == (name, venue)


def test_linked_headings_keep_their_levels() -> None:
    parsed = parse(
        "# T\n## [Models](#top)\n### [Basic Models](#top)\n- [A](https://arxiv.org/abs/2401.1)\n"
        "### [Other](#top)\n- [B](https://arxiv.org/abs/2401.2)\n"
    )
    assert [e.section for e in parsed.entries] == [["Models", "Basic Models"], ["Models", "Other"]]


@pytest.mark.parametrize(
    "item",
    [
        "- Boosting Few-Shot Learning with Self-Supervision\n"
        "  Alice Smith, Bob Jones, Carol White. ICCV 2019. [[pdf](https://arxiv.org/abs/1906.05186)]",
        "- Boosting Few-Shot Learning with Self-Supervision<br>Alice Smith, Bob Jones<br>"
        "[[pdf](https://arxiv.org/abs/1906.05186)]",
        "Boosting Few-Shot Learning with Self-Supervision<br>A. Smith, B. Jones, et al.<br>"
        "[[pdf](https://arxiv.org/abs/1906.05186)]",
        "| 7) Boosting Few-Shot Learning with Self-Supervision  A method that trains a network to "
        "solve a few-shot task and a self-supervised task at once | "
        "[pdf](https://arxiv.org/abs/1906.05186) |",
    ],
)
def test_a_title_line_does_not_run_into_the_authors_or_description(item: str) -> None:
    table = "| Paper | Link |\n|---|---|\n" if item.startswith("|") else ""
    entry = only(parse(f"# T\n## S\n\n{table}{item}\n"))
    assert entry.name == "Boosting Few-Shot Learning with Self-Supervision"


def test_a_title_wrapped_over_two_lines_stays_whole() -> None:
    entry = only(
        parse(
            "# T\n## S\n- A rather long title that wraps\n  onto the next line. [[pdf](https://arxiv.org/abs/1906.05186)]\n"
        )
    )
    assert entry.name == "A rather long title that wraps onto the next line"


def test_links_inside_blockquotes_within_a_section() -> None:
    parsed = parse(
        "# T\n## S\n\n"
        "> **Title A** [[paper](https://arxiv.org/abs/2401.00001)]\n\n"
        "> Smith et al. Title B. 2023. [[pdf](https://arxiv.org/abs/2401.00002)]\n\n"
        "> - [Title C](https://openreview.net/attachment?id=BJxI5gHKDr&name=pdf)\n"
    )
    assert [(e.line, e.section, links(e)) for e in parsed.entries] == [
        (4, ["S"], [("arxiv", "2401.00001")]),
        (6, ["S"], [("arxiv", "2401.00002")]),
        (8, ["S"], [("openreview", "BJxI5gHKDr")]),
    ]


def test_github_owner_ending_with_a_hyphen() -> None:
    entry = only(parse("# T\n## S\n- **X** [[code](https://github.com/Name-/repo)]\n"))
    assert links(entry) == [("github", "Name-/repo")]


@pytest.mark.parametrize(
    ("url", "label"),
    [
        ("https://ieeexplore.ieee.org/document/5201259", "link"),
        ("https://www.sciencedirect.com/science/article/pii/S0960982214010392", "link"),
        ("https://openaccess.thecvf.com/CVPR2023?day=all", "link"),
        ("https://www.cs.huji.ac.il/labs/learning/Papers/sdr_ICML.pdf", "link"),
        ("https://example.org/research/tech-report", "Paper"),
        ("https://pubmed.ncbi.nlm.nih.gov/11674845/", "PubMed"),
    ],
)
def test_entries_linking_a_paper_anywhere_are_papers(url: str, label: str) -> None:
    entry = only(parse(f"# T\n## S\n- **A Title** [[{label}]({url})]\n"))
    assert entry.kind == "paper"


def test_a_paper_listed_by_arxiv_id_and_by_arxiv_doi_is_flagged() -> None:
    parsed = parse(
        "# T\n## S\n- **X** [[paper](https://arxiv.org/abs/2401.02429)]\n"
        "- **X again** [[doi](https://doi.org/10.48550/arXiv.2401.02429)]\n"
    )
    assert links(parsed.entries[1]) == [("arxiv", "2401.02429")]
    assert warned(parsed) == [
        (4, "same paper as the entry on line 3 (arxiv 2401.02429); both kept")
    ]


def test_quotes_nested_past_the_limit_are_reported() -> None:
    parsed = parse(
        "# T\n## S\n" + ">" * 30 + " **X** [[paper](https://arxiv.org/abs/2401.00001)]\n"
    )
    assert parsed.entries == []
    assert [message for _, message in warned(parsed)] == [
        "line 3 is nested too deep to be read; skipped",
        "no entries found",
    ]


def test_items_nested_past_the_limit_are_reported_with_their_line() -> None:
    items = "".join(
        "  " * depth + f"- item {depth} [x](https://arxiv.org/abs/2401.{depth:05d})\n"
        for depth in range(14)
    )
    parsed = parse("# T\n## S\n" + items)
    read = len(parsed.entries)
    assert 0 < read < 14
    first_lost = 3 + read
    assert warned(parsed) == [
        (first_lost, f"lines {first_lost}-16 are nested too deep to be read; skipped")
    ]


# ======================================================================= bad input


def test_unsafe_and_empty_links_are_skipped_with_a_warning_naming_the_line() -> None:
    parsed = parse(
        "# T\n## S\n"
        "- **A** [[paper](javascript:alert(1))] [[code](https://github.com/o/a)]\n"
        "- **B** [[paper]()]\n"
        "- **C**\n  [x](data:text/html;base64,PHNjcmlwdD4=)\n"
        "- **D** <a href='vbscript:msgbox(1)'>v</a> [ok](https://arxiv.org/abs/2301.00001)\n"
    )
    assert [e.name for e in parsed.entries] == ["A", "D"]
    assert warned(parsed) == [
        (3, "javascript: link skipped (paper)"),
        (4, "link with an empty target skipped (paper)"),
        (6, "data: link skipped (x)"),
        (7, "vbscript: link skipped (v)"),
    ]


def test_unclosed_brackets_do_not_crash() -> None:
    parsed = parse(
        "# T\n## S\n- **A** [[paper](https://arxiv.org/abs/2301.00001\n"
        "- **B** [[paper](https://arxiv.org/abs/2301.00002)\n"
        "- **C** [unclosed <a href='https://x.org'>x\n- **D** ![img](\n"
        "- **E** [[code](https://github.com/o/e)]\n"
    )
    assert "E" in [e.name for e in parsed.entries]
    assert ("B", [("arxiv", "2301.00002")]) in [(e.name, links(e)) for e in parsed.entries]


def test_same_paper_twice_is_kept_with_a_warning_naming_both_lines() -> None:
    parsed = parse(
        "# T\n## A\n- **X** [[paper](https://arxiv.org/abs/2410.05298)]\n"
        "## B\n- **X again** [[paper](https://arxiv.org/pdf/2410.05298v1.pdf)]\n"
        "- **Y** [[paper](https://doi.org/10.1038/X1)] [[code](https://github.com/o/y)]\n"
        "- **Y again** [[paper](https://www.nature.com/articles/x1)]\n"
    )
    assert len(parsed.entries) == 4
    assert warned(parsed) == [
        (5, "same paper as the entry on line 3 (arxiv 2410.05298); both kept"),
        (7, "same paper as the entry on line 6 (doi 10.1038/x1); both kept"),
    ]


def test_shared_repository_is_not_a_duplicate() -> None:
    parsed = parse(
        "# T\n## S\n- **A** [[code](https://github.com/o/r)]\n- **B** [[code](https://github.com/o/r)]\n"
    )
    assert parsed.warnings == []


@pytest.mark.parametrize(
    "text", ["", "# Only a title\n", "Some prose.\n\n- a bullet\n", "\x00\ufffd"]
)
def test_no_entries_is_a_warning(text: str) -> None:
    parsed = parse(text)
    assert parsed.entries == []
    assert warned(parsed)[-1] == (None, "no entries found")


def test_list_without_headings_keeps_its_items() -> None:
    parsed = parse("- [A](https://a.org) one\n- [B](https://b.org) two\n")
    assert [(e.name, e.section) for e in parsed.entries] == [("A", []), ("B", [])]
    assert parsed.title is None


# ======================================================================= decoding


def test_decode_utf8_with_and_without_bom() -> None:
    assert decode_list("é\n".encode()) == ("é\n", [])
    assert decode_list(codecs.BOM_UTF8 + "é\n".encode()) == ("é\n", [])


def test_decode_replaces_invalid_bytes_with_one_warning_per_line() -> None:
    data = b"# T\nok line\nbad \xff byte and \xfe again\nfine\n\xc3 cut\n"
    text, warnings = decode_list(data)
    assert text.splitlines() == [
        "# T",
        "ok line",
        "bad \ufffd byte and \ufffd again",
        "fine",
        "\ufffd cut",
    ]
    assert [(w.line, w.message) for w in warnings] == [
        (3, "bytes that are not UTF-8 were replaced by U+FFFD"),
        (5, "bytes that are not UTF-8 were replaced by U+FFFD"),
    ]


def test_decode_utf16_with_bom() -> None:
    text, warnings = decode_list(codecs.BOM_UTF16_LE + "# T\n".encode("utf-16-le"))
    assert text == "# T\n"
    assert [(w.line, w.message) for w in warnings] == [(None, "the list is UTF-16-LE, not UTF-8")]


# ======================================================================= size


def generated_list(entries: int, words: int) -> str:
    description = " ".join(["neural"] * words)
    rows = (
        f"- **Model{i}**: {description} {i}. NeurIPS 2023 "
        f"[[paper](https://arxiv.org/abs/2310.{i % 100000:05d})] [[code](https://github.com/o/r{i})]\n"
        for i in range(entries)
    )
    return "# Generated\n\n## Models\n\n" + "".join(rows)


def test_ten_thousand_entries() -> None:
    parsed = parse(generated_list(10_000, 8))
    assert len(parsed.entries) == 10_000
    assert parsed.entries[-1].name == "Model9999"
    assert parsed.warnings == []
