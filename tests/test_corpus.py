"""The 14 real lists of the corpus (``tests/data/lists``, see its PROVENANCE.md): each parses,
the tricky case each one carries is read right, and the identifiers found in the parsed
entries match an independent count taken from the raw text with plain regular expressions."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from harvester.listparse import ListEntry, ParsedList, decode_list, parse_list

LISTS = Path(__file__).parent / "data" / "lists"
NAMES = sorted(path.name for path in LISTS.glob("*__*.md"))


@cache
def parsed(name: str) -> ParsedList:
    text, warnings = decode_list((LISTS / name).read_bytes())
    assert warnings == []
    return parse_list(text)


def entry_at(name: str, line: int) -> ListEntry:
    return next(e for e in parsed(name).entries if e.line == line)


def ids(entry: ListEntry) -> list[tuple[str, str | None, str | None]]:
    return [(link.kind, link.id, link.label) for link in entry.links]


def test_all_fourteen_lists_are_here() -> None:
    assert len(NAMES) == 14
    assert (LISTS / "PROVENANCE.md").exists()


@pytest.mark.parametrize("name", NAMES)
def test_list_parses(name: str) -> None:
    result = parsed(name)
    assert result.title
    assert len(result.entries) > 10
    assert all(entry.name and entry.links for entry in result.entries)
    assert [e.line for e in result.entries] == sorted(e.line for e in result.entries)


# ============================================================ the tricky case of each list

NEUROFM = "mazabou__awesome-neurofm.md"
NEUSPEECH = "NeuSpeech__awesome-brain-decoding.md"
JXLIU = "JXLiu-AI__Awesome-Brain-Decoding-Vision-Language.md"
EEGFM = "iroblesrazzaq__awesome-eeg-fm.md"
SNN = "TheBrainLab__Awesome-Spiking-Neural-Networks.md"
TIMESERIES = "qingsongedu__Awesome-TimeSeries-SpatioTemporal-LM-LLM.md"
GRAPH = "XiaoxinHe__Awesome-Graph-LLM.md"
MLLM = "BradyFU__Awesome-Multimodal-Large-Language-Models.md"
EPHYS = "openlists__ElectrophysiologyData.md"
NODE = "Zymrael__awesome-neural-ode.md"
CVPR = "SkalskiP__top-cvpr-2023-papers.md"
IB = "ZIYU-DEEP__Awesome-Information-Bottleneck.md"
AUDIO = "ASAudio__ASAudio.md"
BNN = "takyamamoto__BNN-ANN-papers.md"


def test_neurofm_ndt2_links_a_bare_proceedings_year_page() -> None:
    entry = entry_at(NEUROFM, 17)
    assert (entry.name, entry.kind) == ("NDT2", "paper")
    assert ids(entry) == [
        ("proceedings", None, "paper"),
        ("github", "joel99/context_general_bci", "code"),
    ]


def test_neuspeech_bullet_less_block() -> None:
    entry = entry_at(NEUSPEECH, 66)
    assert entry.name == (
        "Open Vocabulary Electroencephalography-to-Text Decoding and Zero-Shot Sentiment "
        "Classification"
    )
    assert (entry.section, entry.listed_venue, entry.kind) == (
        ["Brain to text", "EEG"],
        "AAAI 2022",
        "paper",  # an AAAI proceedings article
    )
    assert ids(entry) == [
        ("proceedings", "aaai:20472", "PDF"),
        ("web", None, "ZuCo1"),
        ("web", None, "ZuCo2"),
        ("github", "MikeWangWZHL/EEG-To-Text", "Code"),
    ]


def test_neuspeech_commented_badges_and_preamble_are_not_entries() -> None:
    assert parsed(NEUSPEECH).title == "Awesome Brain decoding"
    assert parsed(NEUSPEECH).entries[0].line == 66


def test_jxliu_versioned_arxiv_id_in_a_table() -> None:
    entry = entry_at(JXLIU, 55)
    assert entry.name == "Brain decoding: toward real-time reconstruction of visual perception"
    assert (entry.section, entry.listed_venue) == (["Papers", "Image reconstruction"], None)
    assert ids(entry) == [
        (
            "arxiv",
            "2310.19812",
            "Brain decoding: toward real-time reconstruction of visual perception",
        )
    ]
    duala = entry_at(JXLIU, 52)  # title wrapped in <mark>, venue from the Venue column
    assert (duala.listed_venue, duala.links[0].id) == ("CVPR 2026", "2603.07625")


def test_eeg_fm_separators_and_placeholder_code_link() -> None:
    entry = entry_at(EEGFM, 14)
    assert (
        entry.name == "Uni-NTFM: A Unified Foundation Model for EEG Signal Representation Learning"
    )
    assert (entry.section, entry.listed_venue) == (["EEG Foundation Models", "2026"], "ICLR 2026")
    assert ids(entry) == [("openreview", "oUMiuYHW21", "paper")]
    thd_bar = entry_at(EEGFM, 54)  # ends with "[code](#)": skipped, no warning
    assert [link.kind for link in thd_bar.links] == ["arxiv", "web"]
    assert parsed(EEGFM).warnings == []


def test_snn_details_news_and_bold_venue() -> None:
    result = parsed(SNN)
    assert all(entry.section[0] == "Papers" for entry in result.entries)  # nothing from <details>
    entry = result.entries[0]
    assert (entry.line, entry.section, entry.listed_venue, entry.kind) == (
        70,
        ["Papers", "2026", "AAAI, ICLR"],
        "ICLR 2026",
        "paper",  # an iclr.cc poster page
    )
    assert entry.name == (
        "Robustify Spiking Neural Networks via Dominant Singular Deflation under Heterogeneous "
        "Training Vulnerability"
    )


def test_timeseries_escaped_bracket_link_groups() -> None:
    entry = entry_at(TIMESERIES, 44)
    assert (entry.name, entry.listed_venue) == ("Time-LLM", "ICLR 2024")
    assert entry.section == ["LLMs for Time Series", "General Time Series Analysis"]
    assert ids(entry) == [
        ("arxiv", "2310.01728", "[paper]"),
        ("github", "KimMeen/Time-LLM", "[official code]"),
    ]


def test_graph_llm_venue_prefix_and_star_badge() -> None:
    entry = entry_at(GRAPH, 33)
    assert (entry.name, entry.listed_venue) == (
        "Can Language Models Solve Graph Problems in Natural Language?",
        "NeurIPS'23",
    )
    # The stars badge names the repository the [code] link already gives.
    assert ids(entry) == [
        ("arxiv", "2305.10037", "paper"),
        ("github", "Arthur-Heng/NLGraph", "code"),
    ]


def test_mllm_arxiv_pdf_without_extension_and_star_badges() -> None:
    seed = entry_at(MLLM, 87)
    assert (seed.name, seed.listed_venue) == (
        "Seed2.0 Model Card: Towards Intelligence Frontier for Real-World Complexity",
        "arXiv",
    )
    assert seed.section == ["Awesome Papers", "Multimodal Instruction Tuning (& Latest Works)"]
    assert [(link.kind, link.id) for link in seed.links] == [("arxiv", "2607.00248")]
    # A stars badge whose repository no other link gives adds it.
    cad = entry_at(MLLM, 202)
    assert ids(cad) == [
        ("github", "wlin-at/CaD-VI", "Star"),
        ("arxiv", "2406.09240", "Comparison Visual Instruction Tuning"),
        ("web", None, "Github"),
    ]


def test_ephys_datasets_named_by_their_heading() -> None:
    result = parsed(EPHYS)
    hbn = entry_at(EPHYS, 92)
    assert (hbn.name, hbn.text) == ("HBN - Healthy Brain Networks", None)
    assert hbn.section == ["EEG Data", "ChildMind Institute", "HBN - Healthy Brain Networks"]
    assert [(link.kind, link.id) for link in hbn.links] == [
        ("web", None),
        ("web", None),
        ("doi", "10.1038/sdata.2017.181"),
    ]
    openneuro = entry_at(EPHYS, 39)
    assert (openneuro.name, openneuro.kind) == ("OpenNeuro", "resource")
    assert not any("Table of Contents" in entry.section for entry in result.entries)
    assert sum(link.kind == "arxiv" for e in result.entries for link in e.links) == 1


def test_neural_ode_venue_as_link_text_and_topic_badges() -> None:
    entry = entry_at(NODE, 83)
    assert (entry.name, entry.listed_venue, entry.text) == (
        "Deep Equilibrium Models",
        "NeurIPS19",
        "Deep Equilibrium Models: NeurIPS19",
    )
    assert entry.section == ["Differential Equations in Deep Learning", "General Architectures"]
    assert ids(entry) == [("arxiv", "1909.01377", "NeurIPS19")]  # the topic badge is no link
    assert parsed(NODE).title == "Awesome Neural ODE"  # an HTML <h1>


def test_cvpr_arxiv_ids_only_in_badges() -> None:
    entry = entry_at(CVPR, 27)
    assert (entry.name, entry.section, entry.kind) == ("OneFormer", ["🗞️ papers"], "paper")
    assert ids(entry) == [
        ("github", "SHI-Labs/OneFormer", "GitHub"),
        ("arxiv", "2211.06220", "arXiv"),
    ]
    assert entry.links[1].url == "https://arxiv.org/abs/2211.06220"
    assert len(parsed(CVPR).entries) == 19


def test_information_bottleneck_old_style_and_versioned_ids() -> None:
    tishby = entry_at(IB, 37)
    assert (tishby.name, tishby.listed_venue, tishby.section) == (
        "The Information Bottleneck Method",
        "Preprint, 2000",
        ["1. Classics"],
    )
    assert ids(tishby) == [("arxiv", "physics/0004057", "link")]
    mutual = entry_at(IB, 658)
    assert ids(mutual) == [
        ("arxiv", "cond-mat/0305641", "link"),
        ("github", "ravidziv/IDNNs", "code"),
    ]
    review = entry_at(IB, 127)  # https://arxiv.org/abs/2105.04405v1
    assert [(link.kind, link.id) for link in review.links] == [("arxiv", "2105.04405")]


def test_information_bottleneck_pasted_link_target_is_reported() -> None:
    warnings = [(w.line, w.message) for w in parsed(IB).warnings]
    assert (581, "malformed link target; used https://arxiv.org/pdf/2402.09345") in warnings


def test_asaudio_html_table_rows() -> None:
    entry = entry_at(AUDIO, 86)
    assert entry.name == "Few-shot audio-visual learning of environment acoustics"
    assert entry.section == [
        "Representations of Spatial Audio",
        "2. Spatial Cues and Physical Modeling",
        "2.1 Room Impulse Response (RIR)",
    ]
    assert ids(entry) == [
        ("arxiv", "2206.04006", "Link"),
        ("github", "SAGNIKMJR/few-shot-rir", "Link"),
    ]
    # The href that ends in "arXiv.org%29" still names its paper.
    binaural = entry_at(AUDIO, 666)
    assert binaural.name == "Binaural audio generation via multi-task learning"
    assert [(link.kind, link.id) for link in binaural.links] == [
        ("arxiv", "2109.00748"),
        ("github", "omeaningless/binaural-audio-generation"),
    ]


def test_bnn_citations_mixed_case_arxiv_host_and_cf_sub_bullet() -> None:
    entry = entry_at(BNN, 7)
    assert (entry.name, entry.listed_venue) == (
        "Toward an integration of deep learning and neuroscience",
        None,
    )
    assert ids(entry) == [("arxiv", "1606.03813", "arXiv")]
    assert entry.links[0].url == "https://arXiv.org/abs/1606.03813"
    cox = entry_at(BNN, 6)
    assert cox.listed_venue == "Curr. Biol. 24(18) 921-929 (2014)"
    cf = entry_at(BNN, 74)
    assert (cf.name, cf.kind, cf.section) == (
        "Deep Learning",
        "resource",
        ["Deep neural network as models of the Brain", "Vision"],
    )


# ============================================================ independent identifier counts

ARXIV = re.compile(
    r"(?i)https?://(?:[\w-]+\.)?arxiv\.org/(?:abs|pdf|html)/(\d{4}\.\d{4,5}|[a-z-]+/\d{7})"
    r"|doi\.org/10\.48550/arxiv\.(\d{4}\.\d{4,5})"
)
OPENREVIEW = re.compile(r"openreview\.net/(?:forum|pdf)\?(?:[^\s)\"'\]]*?&)?id=([\w-]+)")
GITHUB = re.compile(r"https?://(?:www\.)?github\.com/([\w.-]+)/([\w.-]+)(?:/([\w-]*))?", re.I)
STARS = re.compile(r"img\.shields\.io/github/stars/([\w.-]+)/([\w.-]+?)(?:\.svg)?(?=[?)\"'\s])")
NOT_REPO_PAGES = {"issues", "pull", "pulls", "discussions"}
NOT_OWNERS = {"orgs", "topics", "features", "marketplace", "sponsors", "apps", "settings", "login"}

# Identifiers the raw text holds that are legitimately not in any entry.
EXCLUDED: dict[str, dict[str, set[str]]] = {
    # The build badge's *image* URL (github.com/…/badge.svg) in the introduction: not a link.
    JXLIU: {"github": {"jxliu-ai/awesome-brain-decoding-vision-language"}},
    # The commented-out badge block (<!-- … -->).
    NEUSPEECH: {"github": {"sindresorhus/awesome", "naereen/strapdown.js"}},
    # An <img src> in the header, and the header's link to next year's list (introduction).
    CVPR: {"github": {"skalskip/top-cvpr-2023-papers", "skalskip/top-cvpr-2024-papers"}},
    # The Awesome badge in the title heading.
    SNN: {"github": {"sindresorhus/awesome"}},
    IB: {
        "arxiv": {"2102.13268"},  # an entry commented out with <!-- … -->
        # In the introduction's prose (slides) and the BibTeX code block.
        "github": {"ziyu-deep/awesome-information-bottleneck"},
    },
    TIMESERIES: {
        # The list's own stars badge and a "see also" sentence, both in the introduction.
        "github": {
            "qingsongedu/awesome-timeseries-aiops-lm-llm",
            "qingsongedu/awesome-ai-for-time-series-papers",
        }
    },
}


def raw_ids(text: str) -> dict[str, set[str]]:
    """arXiv, OpenReview and GitHub ids from the raw text, with regular expressions only."""
    arxiv = {(m[1] or m[2]).lower() for m in ARXIV.finditer(text)}
    openreview = {m[1] for m in OPENREVIEW.finditer(text)}
    github = {f"{m[1]}/{m[2]}".lower() for m in STARS.finditer(text)}
    for m in GITHUB.finditer(text):
        owner, repo, page = m[1], m[2].removesuffix(".git").rstrip("."), (m[3] or "").lower()
        if owner.lower() not in NOT_OWNERS and page not in NOT_REPO_PAGES:
            github.add(f"{owner}/{repo}".lower())
    return {"arxiv": arxiv, "openreview": openreview, "github": github}


def parsed_ids(entries: list[ListEntry]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {"arxiv": set(), "openreview": set(), "github": set()}
    for entry in entries:
        for link in entry.links:
            if link.kind in found and link.id:
                found[link.kind].add(link.id if link.kind == "openreview" else link.id.lower())
    return found


@pytest.mark.parametrize("name", NAMES)
def test_identifiers_match_an_independent_count(name: str) -> None:
    raw = raw_ids((LISTS / name).read_text(encoding="utf-8"))
    found = parsed_ids(parsed(name).entries)
    excluded = EXCLUDED.get(name, {})
    print(
        f"{name}: {len(parsed(name).entries)} entries, {len(found['arxiv'])} arXiv, "
        f"{len(found['openreview'])} OpenReview, {len(found['github'])} GitHub"
    )
    for kind in ("arxiv", "openreview", "github"):
        skip = excluded.get(kind, set())
        assert skip <= raw[kind], f"stale exclusion {skip - raw[kind]}"
        assert not skip & found[kind], f"excluded but parsed: {skip & found[kind]}"
        assert found[kind] == raw[kind] - skip, kind


# ============================================================ papers on every host

# Paper pages by host, written out independently of harvester.identify: a link matching one of
# these is a paper, and its entry must be one.
PAPER_URL = re.compile(
    r"""(?ix)^https?://(?:www\.)?(?:
      (?:[\w-]+\.)?arxiv\.org/(?:abs|pdf|html)/
    | openreview\.net/(?:forum|pdf|attachment)\b
    | (?:bio|med)rxiv\.org/content/
    | (?:dx\.)?doi\.org/10\.
    | aclanthology\.(?:org|info)/(?:papers/)?(?:[A-Z]\d{2}-|\d{4}\.)
    | aclweb\.org/anthology/
    | openaccess\.thecvf\.com/content
    | cv-foundation\.org/openaccess/content
    | proceedings\.mlr\.press/v\d+/.
    | (?:papers\.nips\.cc|proceedings\.neurips\.cc)/paper
    | ijcai\.org/proceedings/\d{4}/\d
    | ojs\.aaai\.org/index\.php/\w+/article/
    | (?:pubmed\.|pmc\.)?ncbi\.nlm\.nih\.gov/(?:\d|pmc/articles/|pubmed/|articles/)
    | europepmc\.org/(?:article|abstract|backend)/
    | dl\.acm\.org/doi/
    | ieeexplore\.ieee\.org/(?:abstract/)?document/
    | link\.springer\.com/(?:article|chapter|content)/
    | sciencedirect\.com/science/article/
    | nature\.com/articles/
    | science\.org/doi/
    | pnas\.org/(?:doi|content)/
    | cell\.com/.+/(?:fulltext|abstract|pdf)/
    | frontiersin\.org/(?:.+/)?articles/
    | journals\.plos\.org/.+/article
    | onlinelibrary\.wiley\.com/doi/
    | tandfonline\.com/doi/
    | elifesciences\.org/articles/
    | jneurosci\.org/content/
    | iopscience\.iop\.org/article/
    | academic\.oup\.com/[^/]+/article
    | mdpi\.com/\d{4}-\d{4}/
    | jmlr\.org/papers/
    )"""
)


@pytest.mark.parametrize("name", NAMES)
def test_no_paper_hosted_link_is_left_a_resource(name: str) -> None:
    entries = parsed(name).entries
    hosted = [(e.line, link.url) for e in entries for link in e.links if PAPER_URL.match(link.url)]
    left = [(e.line, e.name) for e in entries if e.kind == "resource"]
    assert hosted, "the host table matches nothing in this list"
    assert not {line for line, _ in hosted} & {line for line, _ in left}, [
        (line, url) for line, url in hosted if line in {ln for ln, _ in left}
    ]


# Proceedings and PubMed ids as the raw text writes them (independent regular expressions).
PAPER_IDS: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(
            r"(?:papers\.nips\.cc|proceedings\.neurips\.cc)/paper(?:_files/paper)?/"
            r"(\d{4})/(?:hash|file)/([0-9a-fA-F]{32})"
        ),
        "neurips:{0}:{1}",
    ),
    (
        re.compile(
            r"papers\.nips\.cc/paper/(\d+-[\w-]+?|by-source-\d{4}-\d+)(?:\.pdf)?(?=[)\s\"'\]>]|$)"
        ),
        "neurips-legacy:{0}",
    ),
    (re.compile(r"proceedings\.mlr\.press/(v\d+)/(\w+)(?:\.html|\.pdf|/)"), "pmlr:{0}:{1}"),
    (
        re.compile(r"aclanthology\.(?:org|info/papers)/([A-Z]\d{2}-\d{4}|\d{4}\.[a-z\d-]+\.\d+)"),
        "acl:{0}",
    ),
    (
        re.compile(
            r"openaccess\.thecvf\.com/content/(\w+?)/(?:[\w-]+/)?(?:html|papers)/([\w-]+?)\.(?:html|pdf)"
        ),
        "cvf:{0}:{1}",
    ),
    (re.compile(r"ijcai\.org/proceedings/(\d{4})/(\d+)"), "ijcai:{0}:{1}"),
    (  # also URL-encoded, inside a Google redirect
        re.compile(
            r"ojs\.aaai\.org(?:/|%2F)index\.php(?:/|%2F)AAAI(?:/|%2F)article(?:/|%2F)(?:view|download)(?:/|%2F)(\d+)"
        ),
        "aaai:{0}",
    ),
    (
        re.compile(
            r"(?:openaccess\.thecvf\.com|cv-foundation\.org/openaccess)/content_([a-zA-Z]+)_(\d{4})/(?:html|papers)/([\w-]+?)\.(?:html|pdf)"
        ),
        "cvf:{0}{1}:{2}",
    ),
    (re.compile(r"pubmed\.ncbi\.nlm\.nih\.gov/(\d+)|ncbi\.nlm\.nih\.gov/pubmed/(\d+)"), "pmid:{0}"),
    (re.compile(r"(?:ncbi\.nlm\.nih\.gov/pmc/articles/|accid=)(PMC\d+)", re.I), "pmcid:{0}"),
]


def raw_paper_ids(text: str) -> set[str]:
    found = set()
    for pattern, form in PAPER_IDS:
        for match in pattern.finditer(text):
            groups = [g for g in match.groups() if g is not None]
            found.add(form.format(*groups).lower())
    return found


@pytest.mark.parametrize("name", NAMES)
def test_proceedings_and_pubmed_ids_match_an_independent_count(name: str) -> None:
    raw = raw_paper_ids((LISTS / name).read_text(encoding="utf-8"))
    found = {
        link.id.lower()
        for entry in parsed(name).entries
        for link in entry.links
        if link.kind in ("proceedings", "pubmed") and link.id
    }
    assert found == raw
