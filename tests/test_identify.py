"""URL → (kind, id): one table per identifier family, positive and negative cases."""

from __future__ import annotations

import pytest

from harvester.identify import arxiv_id, classify, is_paper_host, is_paper_link

ARXIV = [
    ("https://arxiv.org/abs/2310.16046", "2310.16046", None),
    ("https://arxiv.org/abs/2310.16046v2", "2310.16046", "v2"),
    ("http://arxiv.org/abs/2106.12912v1", "2106.12912", "v1"),
    ("https://www.arxiv.org/abs/2506.01968", "2506.01968", None),
    ("https://export.arxiv.org/abs/2310.16046", "2310.16046", None),
    ("https://browse.arxiv.org/pdf/2309.10020.pdf", "2309.10020", None),
    ("https://arXiv.org/abs/1606.03813", "1606.03813", None),  # mixed-case host (takyamamoto)
    ("https://ARXIV.ORG/ABS/1606.03813", "1606.03813", None),
    ("https://arxiv.org/pdf/2306.13549.pdf", "2306.13549", None),
    ("https://arxiv.org/pdf/2607.00248", "2607.00248", None),  # no .pdf (BradyFU)
    ("https://arxiv.org/pdf/2312.07625v2.pdf", "2312.07625", "v2"),
    ("https://arxiv.org/pdf/2403.05583v1", "2403.05583", "v1"),
    ("https://arxiv.org/html/2507.11783v3", "2507.11783", "v3"),
    ("https://arxiv.org/html/2310.16046v2/#S1", "2310.16046", "v2"),
    ("https://arxiv.org/abs/0704.0001", "0704.0001", None),  # 4-digit suffix, 2007
    ("https://arxiv.org/abs/0712.4381", "0712.4381", None),
    ("https://arxiv.org/abs/cond-mat/0305641", "cond-mat/0305641", None),
    ("https://arxiv.org/abs/physics/0004057v1", "physics/0004057", "v1"),
    ("https://arxiv.org/abs/astro-ph/0601001", "astro-ph/0601001", None),
    ("https://arxiv.org/abs/math.GT/0309136", "math.GT/0309136", None),
    ("https://arxiv.org/abs/cond-mat%2F0305641", "cond-mat/0305641", None),  # encoded slash
    ("https://arxiv.org/abs/2310.16046%29", "2310.16046", None),  # trailing junk
    ("https://arxiv.org/abs/2310.16046)", "2310.16046", None),
    (
        "https://arxiv.org/abs/2109.00748?utm_source=feedburner&utm_campaign="
        "Feed%3A+arxiv%2FQSXk+%28ExcitingAds%21+cs+updates+on+arXiv.org%29",
        "2109.00748",
        None,
    ),
    ("https://arxiv.org/abs/arXiv:2310.16046", "2310.16046", None),
]


@pytest.mark.parametrize(("url", "ident", "version"), ARXIV)
def test_arxiv_urls(url: str, ident: str, version: str | None) -> None:
    assert arxiv_id(url) == (ident, version)
    link = classify(url, "paper")
    assert link is not None
    assert (link.kind, link.id, link.label, link.url) == ("arxiv", ident, "paper", url)
    assert is_paper_host(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://arxiv.org/list/cs.LG/recent",
        "https://arxiv.org/abs/2313.00001",  # no month 13
        "https://arxiv.org/abs/2310.160461",  # six-digit suffix
        "https://arxiv.org/",
        "https://notarxiv.org/abs/2310.16046",
        "https://img.shields.io/badge/arXiv-2211.06220-b31b1b.svg",  # a badge image is no link
    ],
)
def test_not_arxiv(url: str) -> None:
    assert arxiv_id(url) is None
    link = classify(url)
    assert link is not None and link.kind == "web" and link.id is None


@pytest.mark.parametrize(
    "url",
    [
        "https://doi.org/10.48550/arXiv.2401.02429",
        "https://doi.org/10.48550/ARXIV.2401.02429",
        "doi:10.48550/arXiv.2401.02429v2",
        "https://dl.acm.org/doi/10.48550/arXiv.2401.02429",
    ],
)
def test_arxiv_doi_is_an_arxiv_link(url: str) -> None:
    link = classify(url)
    assert link is not None and (link.kind, link.id) == ("arxiv", "2401.02429")


OPENREVIEW = [
    ("https://openreview.net/forum?id=IuU0wcO0mo", "openreview", "IuU0wcO0mo"),
    ("https://openreview.net/pdf?id=zjOXZEXQKZ", "openreview", "zjOXZEXQKZ"),
    ("https://openreview.net/forum?id=R9feGbYRG7&noteId=abc123", "openreview", "R9feGbYRG7"),
    ("https://openreview.net/forum?noteId=abc123&id=UmFSx2c4ubT", "openreview", "UmFSx2c4ubT"),
    ("https://www.openreview.net/forum?id=FN02v4nD8y", "openreview", "FN02v4nD8y"),
    ("https://openreview.net/attachment?id=BJxI5gHKDr&name=pdf", "openreview", "BJxI5gHKDr"),
    ("https://openreview.net/attachment?name=pdf&id=BJxI5gHKDr", "openreview", "BJxI5gHKDr"),
    ("https://openreview.net/attachment?id=BJxI5gHKDr&name=supplementary_material", "web", None),
    ("https://openreview.net/group?id=ICLR.cc/2025/Conference", "web", None),
    ("https://openreview.net/profile?id=~Jingyuan_Sun1", "web", None),
    ("https://openreview.net/forum", "web", None),
    ("https://openreview.net/pdf/0a1b2c3d.pdf", "web", None),
]


@pytest.mark.parametrize(("url", "kind", "ident"), OPENREVIEW)
def test_openreview_urls(url: str, kind: str, ident: str | None) -> None:
    link = classify(url)
    assert link is not None and (link.kind, link.id) == (kind, ident)
    assert is_paper_host(url) == (kind == "openreview")


BIORXIV = [
    ("https://www.biorxiv.org/content/10.1101/2025.02.02.634313v1", "10.1101/2025.02.02.634313"),
    (
        "https://www.biorxiv.org/content/10.1101/2025.05.12.653551v1.abstract",
        "10.1101/2025.05.12.653551",
    ),
    (
        "https://www.biorxiv.org/content/10.1101/2023.03.21.533548v1.full",
        "10.1101/2023.03.21.533548",
    ),
    (
        "https://biorxiv.org/content/10.1101/2020.01.01.123456v2.full.pdf",
        "10.1101/2020.01.01.123456",
    ),
    (
        "https://www.medrxiv.org/content/10.1101/2021.03.04.21252893v2.full-text",
        "10.1101/2021.03.04.21252893",
    ),
    ("https://www.biorxiv.org/content/10.1101/613141v1", "10.1101/613141"),  # old style
    ("https://www.biorxiv.org/content/10.1101/133504v2", "10.1101/133504"),
    ("https://www.biorxiv.org/content/10.64898/2026.05.29.728868v1", "10.64898/2026.05.29.728868"),
    ("https://www.biorxiv.org/content/biorxiv/early/2019/04/18/613141.full.pdf", "10.1101/613141"),
    ("https://doi.org/10.1101/2025.02.02.634313", "10.1101/2025.02.02.634313"),
    ("https://doi.org/10.1101/2025.02.02.634313v1", "10.1101/2025.02.02.634313"),
]


@pytest.mark.parametrize(("url", "ident"), BIORXIV)
def test_biorxiv_urls(url: str, ident: str) -> None:
    link = classify(url)
    assert link is not None and (link.kind, link.id) == ("biorxiv", ident)
    assert is_paper_host(url)


def test_biorxiv_pages_without_a_doi_are_web() -> None:
    link = classify("https://www.biorxiv.org/collection/neuroscience")
    assert link is not None and (link.kind, link.id) == ("web", None)


DOIS = [
    ("https://doi.org/10.1038/s41586-023-06031-6", "10.1038/s41586-023-06031-6"),
    ("https://dx.doi.org/10.1145/3770855.3818949", "10.1145/3770855.3818949"),
    ("http://doi.org/10.1145/3770855.3818949.", "10.1145/3770855.3818949"),  # trailing dot
    ("https://doi.org/10.1109/CVPR52733.2024.01077", "10.1109/cvpr52733.2024.01077"),
    ("https://doi.org/10.1007%2F978-3-031-72983-6_4", "10.1007/978-3-031-72983-6_4"),
    ("https://doi.org/10.52202/079017-3266", "10.52202/079017-3266"),  # NeurIPS DOIs
    ("https://doi.org/10.1101/gr.123456.111", "10.1101/gr.123456.111"),  # Genome Research
    ("https://doi.org/10.1016/S0896-6273(19)31044-X", "10.1016/s0896-6273(19)31044-x"),
    ("https://doi.org/10.1016/S0896-6273(19)31044-X)", "10.1016/s0896-6273(19)31044-x"),
    ("doi:10.5061/dryad.wh70rxwmv", "10.5061/dryad.wh70rxwmv"),
    ("https://www.nature.com/articles/s41586-023-06031-6", "10.1038/s41586-023-06031-6"),
    ("https://www.nature.com/articles/s41586-021-03506-2.pdf", "10.1038/s41586-021-03506-2"),
    ("https://www.nature.com/articles/331679a0", "10.1038/331679a0"),
    ("https://dl.acm.org/doi/10.1145/3664647.3681186", "10.1145/3664647.3681186"),
    ("https://dl.acm.org/doi/pdf/10.1145/3654674", "10.1145/3654674"),
    ("https://dl.acm.org/doi/abs/10.1145/3654674", "10.1145/3654674"),
    ("https://dl.acm.org/doi/full/10.1145/3654674", "10.1145/3654674"),
    ("https://dl.acm.org/doi/fullHtml/10.1145/3654674", "10.1145/3654674"),
    ("https://www.tandfonline.com/doi/full/10.1080/0954898X.2019.1", "10.1080/0954898x.2019.1"),
    ("https://www.tandfonline.com/doi/abs/10.1080/0954898X.2019.1", "10.1080/0954898x.2019.1"),
    ("https://link.springer.com/article/10.1007/s11263-016-0981-7", "10.1007/s11263-016-0981-7"),
    (
        "https://link.springer.com/content/pdf/10.1007/s11263-016-0981-7.pdf",
        "10.1007/s11263-016-0981-7",
    ),
    (
        "https://link.springer.com/chapter/10.1007/978-3-031-72983-6_4",
        "10.1007/978-3-031-72983-6_4",
    ),
    ("https://www.science.org/doi/10.1126/sciadv.ads5340", "10.1126/sciadv.ads5340"),
    ("https://www.science.org/doi/full/10.1126/sciadv.adh0478#sec-1", "10.1126/sciadv.adh0478"),
    ("https://www.pnas.org/doi/10.1073/pnas.1403112111", "10.1073/pnas.1403112111"),
    (
        "https://journals.plos.org/ploscompbiol/article?id=10.1371/journal.pcbi.1003915",
        "10.1371/journal.pcbi.1003915",
    ),
    (
        "https://www.frontiersin.org/articles/10.3389/fpsyg.2017.01726/full",
        "10.3389/fpsyg.2017.01726",
    ),
    (
        "https://www.frontiersin.org/journals/neuroscience/articles/10.3389/fnins.2024.1371290/full",
        "10.3389/fnins.2024.1371290",
    ),
    ("https://onlinelibrary.wiley.com/doi/abs/10.1002/hbm.25000", "10.1002/hbm.25000"),
    ("https://onlinelibrary.wiley.com/doi/10.1002/hbm.25000/abstract", "10.1002/hbm.25000"),
    (
        "https://www.mitpressjournals.org/doi/full/10.1162/NECO_a_00409?url_ver=Z39.88-2003",
        "10.1162/neco_a_00409",
    ),
    (
        "https://www.annualreviews.org/doi/10.1146/annurev-neuro-080317-061906",
        "10.1146/annurev-neuro-080317-061906",
    ),
    ("https://pubs.aip.org/aip/apl/article/doi/10.1063/5.0012345", "10.1063/5.0012345"),
    ("https://pubs.aip.org/asa/jel/article/10.1121/10.0001234", "10.1121/10.0001234"),
    (
        "https://journals.aps.org/prl/abstract/10.1103/PhysRevLett.87.198101",
        "10.1103/physrevlett.87.198101",
    ),
]


@pytest.mark.parametrize(("url", "doi"), DOIS)
def test_doi_urls(url: str, doi: str) -> None:
    link = classify(url)
    assert link is not None and (link.kind, link.id) == ("doi", doi)
    assert is_paper_host(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://www.nature.com/sdata/",  # a journal's home page
        "https://pubs.aip.org/asa/jasa/article/142/4/1784/853094",  # no 10.x in the path
        "https://datadryad.org/stash/dataset/doi:10.5061/dryad.wh70rxwmv",  # a data repository
        "https://oxfordre.com/neuroscience/view/10.1093/acrefore/9780190264086.001.0001/x-46",
        "https://doi.org/",
    ],
)
def test_not_a_doi(url: str) -> None:
    link = classify(url)
    assert link is not None and link.kind == "web" and link.id is None


PROCEEDINGS = [
    ("https://proceedings.neurips.cc/paper_files/paper/2023", None),
    ("https://proceedings.neurips.cc/paper_files/paper/2023/", None),
    (
        "https://proceedings.neurips.cc/paper_files/paper/2023/hash/"
        "0123456789abcdef0123456789abcdef-Abstract-Conference.html",
        "neurips:2023:0123456789abcdef0123456789abcdef",
    ),
    (
        "https://proceedings.neurips.cc/paper_files/paper/2022/file/"
        "010c5ba0cafc743fece8be02e7adb8dd-Paper-Conference.pdf",
        "neurips:2022:010c5ba0cafc743fece8be02e7adb8dd",
    ),
    (
        "https://proceedings.neurips.cc/paper/2011/file/5dd9db5e033da9c6fb5ba83c7a7ebea9-Paper.pdf",
        "neurips:2011:5dd9db5e033da9c6fb5ba83c7a7ebea9",
    ),
    (
        "https://papers.nips.cc/paper/2020/hash/0123456789ABCDEF0123456789abcdef-Abstract.html",
        "neurips:2020:0123456789abcdef0123456789abcdef",
    ),
    (
        "https://papers.nips.cc/paper/1999/file/be3e9d3f7d70537357c67bb3f4086846-Paper.pdf",
        "neurips:1999:be3e9d3f7d70537357c67bb3f4086846",
    ),
    (
        "https://papers.nips.cc/paper/9431-shadowing-properties-of-optimization-algorithms",
        "neurips-legacy:9431-shadowing-properties-of-optimization-algorithms",
    ),
    (
        "https://papers.nips.cc/paper/4824-imagenet-classification.pdf",
        "neurips-legacy:4824-imagenet-classification",
    ),
    ("http://papers.nips.cc/paper/5638-some-slug.pdf", "neurips-legacy:5638-some-slug"),
    ("https://papers.nips.cc/paper/by-source-2019-1275", "neurips-legacy:by-source-2019-1275"),
    (
        "https://papers.nips.cc/paper/2019/file/0123456789abcdef0123456789abcdef-Paper.pdf",
        "neurips:2019:0123456789abcdef0123456789abcdef",
    ),
    ("https://papers.nips.cc/paper/2019", None),
    ("https://papers.nips.cc/paper/2019/", None),
    ("https://proceedings.neurips.cc/paper_files/paper/2023", None),
    ("https://papers.nips.cc/book/advances-in-neural-information-processing-systems-32-2019", None),
    ("https://proceedings.mlr.press/v202/name23a.html", "pmlr:v202:name23a"),
    ("http://proceedings.mlr.press/v202/name23a/name23a.pdf", "pmlr:v202:name23a"),
    ("https://proceedings.mlr.press/v97/kim19a.pdf", "pmlr:v97:kim19a"),
    ("https://proceedings.mlr.press/v97/", None),
    ("https://aclanthology.org/2023.acl-long.1", "acl:2023.acl-long.1"),
    ("https://aclanthology.org/2023.acl-long.1.pdf", "acl:2023.acl-long.1"),
    ("https://aclanthology.org/2021.naacl-main.278/", "acl:2021.naacl-main.278"),
    ("https://aclanthology.org/P18-1238.pdf", "acl:P18-1238"),
    ("https://www.aclweb.org/anthology/P18-1238.pdf", "acl:P18-1238"),
    ("https://www.aclweb.org/anthology/P19-1001.bib", "acl:P19-1001"),
    ("https://aclanthology.org/2023.acl-long.1.bib", "acl:2023.acl-long.1"),
    ("https://www.aclweb.org/anthology/2020.acl-main.442/", "acl:2020.acl-main.442"),
    ("https://www.aclweb.org/anthology/P/P19/P19-1001.pdf", "acl:P19-1001"),
    ("https://www.aclweb.org/anthology/N19-1423v2.pdf", "acl:N19-1423"),
    ("https://aclanthology.org/volumes/2023.acl-long/", None),
    (
        "https://openaccess.thecvf.com/content/CVPR2023/html/X_paper.html",
        "cvf:CVPR2023:X_paper",
    ),
    (
        "https://openaccess.thecvf.com/content/ICCV2023/papers/Li_Unleashing_ICCV_2023_paper.pdf",
        "cvf:ICCV2023:Li_Unleashing_ICCV_2023_paper",
    ),
    (
        "https://openaccess.thecvf.com/content_cvpr_2016/papers/Xu_MSR-VTT_CVPR_2016_paper.pdf",
        "cvf:CVPR2016:Xu_MSR-VTT_CVPR_2016_paper",
    ),
    (
        "https://openaccess.thecvf.com/content_cvpr_2017/html/Li_Name_CVPR_2017_paper.html",
        "cvf:CVPR2017:Li_Name_CVPR_2017_paper",
    ),
    (
        "https://openaccess.thecvf.com/content_ICCV_2019/papers/Li_Name_ICCV_2019_paper.pdf",
        "cvf:ICCV2019:Li_Name_ICCV_2019_paper",
    ),
    (
        "https://openaccess.thecvf.com/content_cvpr_2018_workshops/w1/html/X_CVPR_2018_paper.html",
        "cvf:CVPR2018W:X_CVPR_2018_paper",
    ),
    (
        "https://openaccess.thecvf.com/content/CVPR2023W/ABAW/html/X_CVPRW_2023_paper.html",
        "cvf:CVPR2023W:X_CVPRW_2023_paper",
    ),
    (
        "http://www.cv-foundation.org/openaccess/content_cvpr_2015/html/He_Name_2015_CVPR_paper.html",
        "cvf:CVPR2015:He_Name_2015_CVPR_paper",
    ),
    (
        "https://www.cv-foundation.org/openaccess/content_iccv_2015/papers/X_ICCV_2015_paper.pdf",
        "cvf:ICCV2015:X_ICCV_2015_paper",
    ),
    ("https://openaccess.thecvf.com/CVPR2023?day=all", None),
    ("https://www.cv-foundation.org/openaccess/CVPR2015.py", None),
    ("https://openaccess.thecvf.com/content/CVPR2023/supplemental/X_supp.pdf", None),
    ("https://www.ijcai.org/proceedings/2023/0123", "ijcai:2023:0123"),
    ("https://www.ijcai.org/proceedings/2021/0123.pdf", "ijcai:2021:0123"),
    ("https://ijcai.org/proceedings/2019/", None),
    ("https://ojs.aaai.org/index.php/AAAI/article/view/20472", "aaai:20472"),
    ("https://ojs.aaai.org/index.php/AAAI/article/view/20472/20231", "aaai:20472"),
    ("https://ojs.aaai.org/index.php/AAAI/article/download/20472/20231", "aaai:20472"),
    (  # a Google redirect is read as the page it leads to
        "https://www.google.com/url?sa=t&url=https%3A%2F%2Fojs.aaai.org%2Findex.php%2FAAAI"
        "%2Farticle%2Fview%2F17120%2F16927&usg=AOvVaw1",
        "aaai:17120",
    ),
    ("https://aclanthology.info/papers/P16-3004/p16-3004", "acl:P16-3004"),
]


@pytest.mark.parametrize(("url", "ident"), PROCEEDINGS)
def test_proceedings_urls(url: str, ident: str | None) -> None:
    link = classify(url)
    assert link is not None and (link.kind, link.id) == ("proceedings", ident)
    assert is_paper_host(url)


PUBMED = [
    ("https://pubmed.ncbi.nlm.nih.gov/11674845/", "pmid:11674845"),
    ("https://pubmed.ncbi.nlm.nih.gov/11674845", "pmid:11674845"),
    ("https://www.ncbi.nlm.nih.gov/pubmed/11674845", "pmid:11674845"),
    ("https://www.ncbi.nlm.nih.gov/pubmed/?term=11674845", None),  # a search, not an article
    ("https://www.ncbi.nlm.nih.gov/pmc/articles/PMC3105006/", "pmcid:PMC3105006"),
    ("https://pmc.ncbi.nlm.nih.gov/articles/PMC3105006/", "pmcid:PMC3105006"),
    ("https://www.ncbi.nlm.nih.gov/pmc/articles/pmc3105006/pdf/x.pdf", "pmcid:PMC3105006"),
    ("https://europepmc.org/article/MED/123456", "pmid:123456"),
    ("https://europepmc.org/abstract/MED/123456", "pmid:123456"),
    ("https://europepmc.org/article/PMC/PMC3105006", "pmcid:PMC3105006"),
    (
        "https://europepmc.org/backend/ptpmcrender.fcgi?accid=PMC9714519&blobtype=pdf",
        "pmcid:PMC9714519",
    ),
]


@pytest.mark.parametrize(("url", "ident"), PUBMED)
def test_pubmed_and_pmc_urls(url: str, ident: str | None) -> None:
    link = classify(url)
    assert link is not None
    if ident is None:
        assert (link.kind, link.id) == ("web", None)
    else:
        assert (link.kind, link.id) == ("pubmed", ident)
        assert is_paper_host(url)


GITHUB = [
    ("https://github.com/joel99/context_general_bci", "joel99/context_general_bci"),
    ("https://github.com/Name-/repo", "Name-/repo"),  # old accounts may end with a hyphen
    ("https://github.com/mackelab/LDNS", "mackelab/LDNS"),  # case kept as written
    ("https://github.com/shen-aoyu/CREST/", "shen-aoyu/CREST"),
    ("https://www.github.com/a/b", "a/b"),
    ("https://GitHub.com/a/b", "a/b"),
    ("http://github.com/a/b.git", "a/b"),
    ("https://github.com/a/b#readme", "a/b"),
    ("https://github.com/a/b?tab=readme-ov-file", "a/b"),
    (
        "https://github.com/modelscope/modelscope-agent/tree/master/apps/x",
        "modelscope/modelscope-agent",
    ),
    ("https://github.com/o/r/blob/main/notebooks/Fixed%20Point.ipynb", "o/r"),
    ("https://github.com/o/r/releases", "o/r"),
    ("https://github.com/o/r/releases/tag/v1.0", "o/r"),
    ("https://github.com/o/r/wiki", "o/r"),
    (
        "https://github.com/archinetai/audio-diffusion-pytorch;",
        "archinetai/audio-diffusion-pytorch",
    ),
    (
        "https://github.com/pyg-team/pytorch_geometric/tree/master/examples/llm",
        "pyg-team/pytorch_geometric",
    ),
    ("https://github.com/JuliaDiffEq/DiffEqFlux.jl", "JuliaDiffEq/DiffEqFlux.jl"),
]


@pytest.mark.parametrize(("url", "repo"), GITHUB)
def test_github_repos(url: str, repo: str) -> None:
    link = classify(url, "code")
    assert link is not None and (link.kind, link.id) == ("github", repo)
    assert not is_paper_host(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/joel99",  # a profile, no repository
        "https://github.com/joel99/",
        "https://github.com/SkalskiP/top-cvpr-2023-papers/issues",
        "https://github.com/SkalskiP/top-cvpr-2023-papers/issues/12",
        "https://github.com/SkalskiP/top-cvpr-2023-papers/pulls",
        "https://github.com/o/r/pull/3",
        "https://github.com/o/r/discussions/7",
        "https://github.com/orgs/foo/repositories",
        "https://github.com/topics/llm",
        "https://github.com/features/copilot",
        "https://github.com/marketplace/actions/x",
        "https://github.com/sponsors/someone",
        "https://github.com/settings/profile",
        "https://github.com/login/oauth",
        "https://github.com/apps/dependabot",
        "https://gist.github.com/user/0123abcd",
        "https://poyo-brain.github.io/",
        "https://raw.githubusercontent.com/a/b/main/x.png",
        "https://user-images.githubusercontent.com/1/2.png",
        "https://github.com",
    ],
)
def test_not_github_repos(url: str) -> None:
    link = classify(url)
    assert link is not None and (link.kind, link.id) == ("web", None)


PAPER_HOSTS = [
    "https://ieeexplore.ieee.org/document/5201259",
    "https://ieeexplore.ieee.org/abstract/document/10448092",
    "https://www.sciencedirect.com/science/article/pii/S0960982214010392?via%3Dihub",
    "https://www.sciencedirect.com/science/article/abs/pii/S0893608025006963",
    "https://www.cell.com/neuron/fulltext/S0896-62731931044-X",
    "https://ojs.aaai.org/index.php/ICWSM/article/view/19300",
    "https://www.aaai.org/ocs/index.php/AAAI/AAAI17/paper/view/14806",
    "https://ijcai-preprints.s3.us-west-1.amazonaws.com/2025/7783.pdf",
    "https://www.jmlr.org/papers/volume18/17-398/17-398.pdf",
    "https://www.cell.com/cell/pdf/S0092-8674(20)30000-0.pdf",
    "https://www.cell.com/trends/neurosciences/fulltext/S0166-22361930111-0",
    "https://psyarxiv.com/bu5x8/",
    "https://osf.io/preprints/psyarxiv/bu5x8",
    "https://universite-paris-saclay.hal.science/hal-04537061",
    "https://hal.science/hal-00953006/file/2014_LREC_Vacher_final.pdf",
    "https://iclr.cc/virtual_2020/poster_B1x62TNtDS.html",
    "https://www.mdpi.com/1099-4300/22/2/151",
    "https://www.pnas.org/content/111/23/8619",
    "https://elifesciences.org/articles/12345",
    "https://iopscience.iop.org/article/10.1088/1741-2552/ab1234",
    "https://pubs.aip.org/asa/jasa/article/142/4/1784/853094",
    "https://www.jneurosci.org/content/35/27/10005",
    "https://iclr.cc/virtual/2026/poster/10010693",
    "https://icml.cc/virtual/2025/poster/44216",
    "https://neurips.cc/virtual/2025/poster/117249",
    "https://papers.miccai.org/miccai-2025/paper/3347_paper.pdf",
    "https://www.ecva.net/papers/eccv_2024/papers_ECCV/papers/09164.pdf",
    "https://academic.oup.com/cercor/article/28/12/4136/4560155",
    "https://www.researchgate.net/publication/280751765_The_Sweet-Home_corpus",
]


@pytest.mark.parametrize("url", PAPER_HOSTS)
def test_paper_hosts_without_an_id(url: str) -> None:
    assert is_paper_host(url)
    link = classify(url)
    assert link is not None and (link.kind, link.id) == ("web", None)


@pytest.mark.parametrize(
    "url",
    [
        "https://poyo-brain.github.io/",
        "https://cebra.ai",
        "https://github.com/joel99/ndt3",
        "https://neurips.cc/virtual/2025/workshop/109571",  # a workshop page, not a paper
        "https://www.nature.com/sdata/",
        "https://academic.oup.com/gigascience",
        "https://ieeexplore.ieee.org/",
        "https://osf.io/q3zws/files/osfstorage",
        "https://openreview.net/group?id=ICLR.cc",
        "docs/benchmarks.md",
        "javascript:alert(1)",
        "",
    ],
)
def test_not_paper_hosts(url: str) -> None:
    assert not is_paper_host(url)


@pytest.mark.parametrize(
    "url",
    [
        "",
        "   ",
        "#",
        "#section-title",
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " java\tscript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "vbscript:msgbox(1)",
        "mailto:someone@example.org",
        "edward.chang@ucsf.edu",  # a bare e-mail address used as a target
    ],
)
def test_skipped_targets(url: str) -> None:
    assert classify(url) is None


@pytest.mark.parametrize(
    "url",
    [
        "docs/benchmarks.md",
        "./images/x.png",
        "../../actions/workflows/build.yml",
        "LICENSE",
        "CVPR2023",
    ],
)
def test_relative_urls_are_web(url: str) -> None:
    link = classify(url, "x")
    assert link is not None and (link.kind, link.id, link.label) == ("web", None, "x")


@pytest.mark.parametrize(
    ("url", "label", "paper"),
    [
        ("https://arxiv.org/abs/2310.16046", "code", True),  # a paper host, whatever the label
        ("https://www.cs.huji.ac.il/labs/learning/Papers/sdr_ICML.pdf", "link", True),
        ("https://storage.googleapis.com/deepmind-media/gemini/report.pdf", None, True),
        ("https://haofei.vip/downloads/papers/Vitron.PDF", "VITRON", True),
        ("https://dspace.mit.edu/handle/1721.1/54669", "Paper", True),
        ("https://example.org/research/x", "[PDF]", True),
        ("https://example.org/research/x", "Preprint", True),
        ("https://example.org/slides/talk.pdf", "slides", False),
        ("https://example.org/poster.pdf", "Poster", False),
        ("https://github.com/o/r/blob/main/paper.pdf", "paper", False),  # a repository's file
        ("https://raw.githubusercontent.com/o/r/main/paper.pdf", "pdf", False),
        ("https://example.org/research/x", "Homepage", False),
        ("https://example.org/data.pdf.html", "Data", False),
        ("docs/paper.pdf", "paper", False),  # a file of the list's own repository
    ],
)
def test_paper_links_by_host_label_or_pdf(url: str, label: str | None, paper: bool) -> None:
    link = classify(url, label)
    assert link is not None and is_paper_link(link) == paper
    assert link.id is None or link.kind != "web"  # never an id for these


def test_label_and_url_are_kept_as_given() -> None:
    link = classify("  https://arxiv.org/abs/2310.16046  ", None)
    assert link is not None
    assert link.url == "https://arxiv.org/abs/2310.16046"
    assert link.label is None


def test_malformed_urls_do_not_raise() -> None:
    for url in ("http://[::1", "https://", "http:///x", "https://arxiv.org:99999/abs/1"):
        link = classify(url)
        assert link is None or link.kind in ("web", "arxiv")
