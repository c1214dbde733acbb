"""Proceedings-page source (ACL, CVF, PMLR, IJCAI, AAAI): URLs, page parsing, fetch().

What is recorded and what is built:

* ACL Anthology: ``tests/fixtures/acl/`` is the real ``<head>`` of 2025.acl-long.1141 (values
  real, trimmed upstream; unquoted ``name=citation_*`` after ``content=``). The served page's
  abstract block (``div.acl-abstract`` with an "Abstract" heading, per PROVENANCE-part3.md) was
  not recorded: the test that reads it adds a block of that documented shape.
* PMLR: ``tests/fixtures/pmlr/`` is the real source record (Jekyll front matter) the page is
  generated from, not the page. The page below is BUILT from those recorded values in the
  documented tag shape (API-NOTES.md §9: citation_title, citation_author, citation_publication_date,
  citation_conference_title, citation_pdf_url; abstract in ``div#abstract``).
* CVF, IJCAI, AAAI (OJS): never recorded. Their pages below are BUILT from the documented tag
  shape (API-NOTES.md §9; Highwire tags; OJS ``citation_date``/``citation_journal_title``,
  ``DC.Description``); titles and names are invented.
"""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape

import httpx
import pytest
import yaml

from harvester.cache import RecordCache
from harvester.config import SourceSettings
from harvester.errors import InvalidResponse, NotFound
from harvester.sources.base import run_source
from harvester.sources.proceedings import (
    HOST_URLS,
    ProceedingsSource,
    key_year,
    page_urls,
    parse_page,
    venue,
)
from tests.recordings import fixture

NOW = datetime(2026, 6, 1, tzinfo=UTC)
ACL_KEY = "acl:2025.acl-long.1141"
ACL_URL = "https://aclanthology.org/2025.acl-long.1141/"
PMLR_KEY = "pmlr:v202:aamand23a"
PMLR_URL = "https://proceedings.mlr.press/v202/aamand23a.html"
CVF_STEM = "Smith_A_Synthetic_Title_CVPR_2023_paper"
CVF_KEY = f"cvf:CVPR2023:{CVF_STEM}"
CVF_URL = f"https://openaccess.thecvf.com/content/CVPR2023/html/{CVF_STEM}.html"


def acl_head() -> bytes:
    return fixture("acl", "rubien_trimmed-head_aclanthology_2025.acl-long.1141.html").read_bytes()


def pmlr_source() -> dict:
    text = fixture("pmlr", "mlresearch-v202_post-source_2023-07-03-aamand23a.md").read_text(
        encoding="utf-8")
    return yaml.safe_load(text.split("---")[1])


def meta(name: str, content: str) -> str:
    return f'<meta name="{name}" content="{escape(content)}">'


def built_page(tags: list[tuple[str, str]], body: str = "") -> bytes:
    # documented shape (API-NOTES.md §9), not recorded
    head = "".join(meta(n, c) for n, c in tags)
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>".encode()


def pmlr_page() -> bytes:
    """The PMLR page BUILT from the recorded source record (documented tag shape)."""
    src = pmlr_source()
    y, m, d = src["issued"]["date-parts"]
    tags = [("citation_title", src["title"])]
    tags += [("citation_author", f"{a['family']}, {a['given']}") for a in src["author"]]
    tags += [("citation_publication_date", f"{y}/{m:02d}/{d:02d}"),
             ("citation_conference_title", src["container-title"]),
             ("citation_firstpage", str(src["firstpage"])),
             ("citation_pdf_url", src["pdf"])]
    body = (f'<h1>{escape(src["title"])}</h1><div id="abstract" class="abstract">'
            f'{escape(src["abstract"])}</div><div id="extras">PDF</div>')
    return built_page(tags, body)


def cvf_page() -> bytes:
    # documented shape, not recorded: CVF open access pages (API-NOTES.md §9)
    return built_page(
        [("citation_title", "A Synthetic Title"), ("citation_author", "Smith, Alice"),
         ("citation_author", "Jones, Bob"), ("citation_publication_date", "2023"),
         ("citation_conference_title", "Proceedings of the IEEE/CVF Conference on Computer "
                                       "Vision and Pattern Recognition (CVPR)"),
         ("citation_firstpage", "100"),
         ("citation_pdf_url", f"https://openaccess.thecvf.com/content/CVPR2023/papers/"
                              f"{CVF_STEM}.pdf")],
        '<div id="papertitle">A Synthetic Title</div><div id="abstract">\n  We study '
        'synthetic things. <b>Bold</b> claims follow.\n</div><div id="content">PDF</div>')


# --------------------------------------------------------------------------- URLs


@pytest.mark.parametrize(("key", "urls"), [
    (ACL_KEY, [ACL_URL]),
    ("acl:P19-1001", ["https://aclanthology.org/P19-1001/"]),
    ("acl:2023.findings-emnlp.725", ["https://aclanthology.org/2023.findings-emnlp.725/"]),
    (CVF_KEY, [CVF_URL]),
    ("cvf:CVPR2017:X_Y_CVPR_2017_paper", [
        "https://openaccess.thecvf.com/content_cvpr_2017/html/X_Y_CVPR_2017_paper.html",
        "https://openaccess.thecvf.com/content_CVPR_2017/html/X_Y_CVPR_2017_paper.html"]),
    ("cvf:ICCV2019:X_ICCV_2019_paper", [
        "https://openaccess.thecvf.com/content_ICCV_2019/html/X_ICCV_2019_paper.html",
        "https://openaccess.thecvf.com/content_iccv_2019/html/X_ICCV_2019_paper.html"]),
    ("cvf:CVPR2023W/CVFAD:X_CVPRW_2023_paper", [
        "https://openaccess.thecvf.com/content/CVPR2023W/CVFAD/html/X_CVPRW_2023_paper.html"]),
    ("cvf:CVPR2023W:X_CVPRW_2023_paper", []),  # no workshop folder: no page to ask
    (PMLR_KEY, [PMLR_URL]),
    ("ijcai:2023:0001", ["https://www.ijcai.org/proceedings/2023/1"]),
    ("aaai:25913", ["https://ojs.aaai.org/index.php/AAAI/article/view/25913"]),
    ("neurips:2023:" + "a" * 32, []),
    ("acl:../../etc", []),
    ("pmlr:v202:../x", []),
])
def test_page_urls(key, urls):
    assert page_urls(key, HOST_URLS.__getitem__) == urls


def test_key_years():
    assert [key_year(k) for k in (ACL_KEY, "acl:P19-1001", "acl:W98-0101", CVF_KEY,
                                  "ijcai:2021:12", PMLR_KEY)] == [2025, 2019, 1998, 2023, 2021,
                                                                   None]


# --------------------------------------------------------------------------- ACL (recorded)


def test_recorded_acl_head():
    record = parse_page(acl_head(), ACL_KEY, ACL_URL)
    assert record.title == "Language Models Resist Alignment: Evidence From Data Compression"
    assert record.authors == ["Jiaming Ji", "Kaile Wang", "Tianyi Alex Qiu", "Boyuan Chen",
                              "Jiayi Zhou", "Changye Li", "Hantao Lou", "Josef Dai",
                              "Yunhuai Liu", "Yaodong Yang"]
    assert (record.year, record.published) == (2025, None)  # "2025/7": a month, not a day
    assert record.venue == "ACL 2025"
    assert record.status == "published"
    assert record.ids == {"proceedings": ACL_KEY, "doi": "10.18653/v1/2025.acl-long.1141"}
    assert record.pdf_url == "https://aclanthology.org/2025.acl-long.1141.pdf"
    assert record.landing_url == ACL_URL
    assert record.abstract is None  # the recording's body was emptied upstream


def test_acl_abstract_block_drops_its_heading():
    # the recorded head plus an abstract block of the documented served shape (div.acl-abstract)
    body = acl_head().replace(
        b"<body></body>",
        b'<body><div class="card-body p-3 small acl-abstract"><h5 class="card-title">Abstract'
        b"</h5><span>Large language models resist <i>alignment</i>.</span></div>"
        b'<div class="acl-paper-details">Anthology ID</div></body>')
    assert parse_page(body, ACL_KEY, ACL_URL).abstract == "Large language models resist alignment."


@pytest.mark.parametrize(("key", "container", "year", "name"), [
    ("acl:2023.findings-emnlp.725", "Findings of the ACL: EMNLP 2023", 2023,
     "Findings of EMNLP 2023"),
    ("acl:2022.naacl-main.1", "Proceedings of the 2022 Conference of NAACL", 2022, "NAACL 2022"),
    ("acl:P19-1001", "Proceedings of the 57th Annual Meeting", 2019, "ACL 2019"),
    ("acl:W19-1001", "Proceedings of a Workshop", 2019, "Proceedings of a Workshop"),
    ("acl:2023.repl4nlp-1.1", "Proceedings of RepL4NLP", 2023, "Proceedings of RepL4NLP"),
    (CVF_KEY, "Proceedings of the IEEE/CVF Conference …", 2023, "CVPR 2023"),
    ("cvf:CVPR2023W/CVFAD:X", None, 2023, "CVPR 2023 Workshops"),
    (PMLR_KEY, "Proceedings of the 40th International Conference on Machine Learning", 2023,
     "ICML 2023"),
    ("pmlr:v238:x24a", "Proceedings of The 27th International Conference on Artificial "
                       "Intelligence and Statistics", 2024, "AISTATS 2024"),
    ("pmlr:v1:x", "Some Workshop on Machine Learning", 2007, "Some Workshop on Machine Learning"),
    ("aaai:1", "Proceedings of the AAAI Conference on Artificial Intelligence", 2024, "AAAI 2024"),
    ("aaai:2", "AI Magazine", 2024, "AI Magazine"),
    ("ijcai:2023:1", None, 2023, "IJCAI 2023"),
    ("pmlr:v1:y", None, None, None),
])
def test_venue_names(key, container, year, name):
    assert venue(key, container, year) == name


# --------------------------------------------------------------------------- built pages


def test_pmlr_page_built_from_the_recorded_source():
    src = pmlr_source()
    record = parse_page(pmlr_page(), PMLR_KEY, PMLR_URL)
    assert record.title == src["title"] == "Data Structures for Density Estimation"
    assert record.authors == [f"{a['given']} {a['family']}" for a in src["author"]]
    assert record.authors[2] == "Justin Y. Chen"
    assert (record.year, record.published) == (2023, "2023-07-03")
    assert record.venue == "ICML 2023"
    assert record.abstract == " ".join(src["abstract"].split())
    assert record.abstract.startswith("We study statistical/computational tradeoffs")
    assert "$v_1, \\ldots, v_k$" in record.abstract  # TeX kept as published
    assert record.pdf_url == src["pdf"]
    assert record.ids == {"proceedings": PMLR_KEY}


def test_cvf_page():
    record = parse_page(cvf_page(), CVF_KEY, CVF_URL)
    assert record.title == "A Synthetic Title"
    assert record.authors == ["Alice Smith", "Bob Jones"]
    assert (record.year, record.published, record.venue) == (2023, None, "CVPR 2023")
    assert record.abstract == "We study synthetic things. Bold claims follow."
    assert record.pdf_url.endswith("/papers/Smith_A_Synthetic_Title_CVPR_2023_paper.pdf")


def test_ijcai_page():
    # documented shape, not recorded
    page = built_page(
        [("citation_title", "A Planning Paper"), ("citation_author", "Ana Lopez"),
         ("citation_publication_date", "2023/08"),
         ("citation_conference_title", "Proceedings of the Thirty-Second International Joint "
                                       "Conference on Artificial Intelligence, IJCAI-23"),
         ("citation_pdf_url", "https://www.ijcai.org/proceedings/2023/0001.pdf"),
         ("citation_doi", "https://doi.org/10.24963/ijcai.2023/1")],
        '<div class="col-md-12">Plan well.</div>')
    record = parse_page(page, "ijcai:2023:1", "https://www.ijcai.org/proceedings/2023/1")
    assert (record.title, record.authors, record.venue) == ("A Planning Paper", ["Ana Lopez"],
                                                            "IJCAI 2023")
    assert record.ids["doi"] == "10.24963/ijcai.2023/1"  # a DOI URL read as the DOI
    assert record.abstract is None  # no abstract block or tag: unknown, not guessed


def test_aaai_ojs_page():
    # documented shape (OJS 3: citation_date, citation_journal_title, DC.Description), not recorded
    page = built_page(
        [("DC.Description", "An &lt;i&gt;escaped&lt;/i&gt; abstract."),
         ("citation_journal_title", "Proceedings of the AAAI Conference on Artificial "
                                    "Intelligence"),
         ("citation_author", "Wei Zhang"), ("citation_author", "King, Jr."),
         ("citation_title", "Reasoning About Things"), ("citation_date", "2024/03/24"),
         ("citation_doi", "10.1609/aaai.v38i1.27000"),
         ("citation_pdf_url", "https://ojs.aaai.org/index.php/AAAI/article/download/27000/1")],
        '<section class="item abstract"><h2 class="label">Abstract</h2>Block text.</section>')
    record = parse_page(page, "aaai:27000",
                        "https://ojs.aaai.org/index.php/AAAI/article/view/27000")
    assert record.abstract == "An escaped abstract."  # the tag before the block
    assert record.authors == ["Wei Zhang", "King, Jr."]
    assert (record.year, record.published, record.venue) == (2024, "2024-03-24", "AAAI 2024")
    assert record.ids["doi"] == "10.1609/aaai.v38i1.27000"


def test_abstract_block_without_heading_element():
    page = built_page([("citation_title", "T")],
                      '<a class="abstract-toggle-title">x</a>'
                      '<div id="abstract">Abstract: Plain words.</div>')
    assert parse_page(page, PMLR_KEY, PMLR_URL).abstract == "Plain words."


@pytest.mark.parametrize("body", [b"<html><title>Maintenance</title></html>", b"",
                                  b'<meta name="citation_title" content="  ">'])
def test_page_without_citation_title_is_invalid(body):
    with pytest.raises(InvalidResponse):
        parse_page(body, ACL_KEY, ACL_URL)


# --------------------------------------------------------------------------- fetch


@pytest.fixture
def proc_settings(settings):
    return settings.model_copy(update={"sources": {
        **settings.sources,
        "proceedings": SourceSettings(batch_size=1, min_interval=0, ttl=90 * 86400)}})


def hosts(seen: list[httpx.Request], pages: dict[str, bytes]):
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        url = str(request.url)
        if url in pages:
            return httpx.Response(200, content=pages[url], request=request)
        return httpx.Response(404, html="<h1>Not Found</h1>", request=request)

    return handler


def test_fetch_one_page_per_key(make_http, proc_settings):
    seen: list[httpx.Request] = []
    http = make_http(hosts(seen, {ACL_URL: acl_head(), PMLR_URL: pmlr_page(),
                                  CVF_URL: cvf_page()}), proc_settings)
    outcomes = ProceedingsSource(http, proc_settings).fetch([ACL_KEY, PMLR_KEY, CVF_KEY], {})
    assert [str(r.url) for r in seen] == [ACL_URL, PMLR_URL, CVF_URL]
    assert {k: o.data["venue"] for k, o in outcomes.items()} == {
        ACL_KEY: "ACL 2025", PMLR_KEY: "ICML 2023", CVF_KEY: "CVPR 2023"}


def test_fetch_tries_the_other_old_cvf_folder(make_http, proc_settings):
    seen: list[httpx.Request] = []
    key = "cvf:CVPR2017:Smith_A_Synthetic_Title_CVPR_2017_paper"
    upper = ("https://openaccess.thecvf.com/content_CVPR_2017/html/"
             "Smith_A_Synthetic_Title_CVPR_2017_paper.html")
    http = make_http(hosts(seen, {upper: cvf_page()}), proc_settings)
    outcome = ProceedingsSource(http, proc_settings).fetch([key], {})[key]
    assert [r.url.path.split("/")[1] for r in seen] == ["content_cvpr_2017", "content_CVPR_2017"]
    assert outcome.data["landing_url"] == upper
    assert outcome.data["venue"] == "CVPR 2017"


def test_fetch_follows_the_old_acl_redirect(make_http, proc_settings):
    seen: list[httpx.Request] = []
    serve = hosts(seen, {ACL_URL: acl_head()})

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "www.aclweb.org":
            seen.append(request)
            return httpx.Response(301, headers={"location": ACL_URL}, request=request)
        return serve(request)

    old = proc_settings.model_copy(update={"urls": {**proc_settings.urls,
                                                    "acl": "https://www.aclweb.org/anthology"}})
    outcome = ProceedingsSource(make_http(handler, old), old).fetch([ACL_KEY], {})[ACL_KEY]
    assert [r.url.host for r in seen] == ["www.aclweb.org", "aclanthology.org"]
    assert outcome.data["landing_url"] == ACL_URL


def test_fetch_missing_page_is_not_found_and_cached(make_http, proc_settings, tmp_path):
    seen: list[httpx.Request] = []
    source = ProceedingsSource(make_http(hosts(seen, {ACL_URL: acl_head()}), proc_settings),
                               proc_settings)
    with RecordCache(tmp_path / "cache") as cache:
        results = run_source(source, ["acl:2099.acl-long.1", ACL_KEY], cache, "normal", NOW)
        assert results["acl:2099.acl-long.1"].status == "not_found"
        assert results[ACL_KEY].status == "ok"
        run_source(source, ["acl:2099.acl-long.1", ACL_KEY], cache, "normal", NOW)
    assert len(seen) == 2


def test_fetch_maintenance_page_keeps_the_last_good_value(make_http, proc_settings, tmp_path):
    good = ProceedingsSource(make_http(hosts([], {ACL_URL: acl_head()}), proc_settings),
                             proc_settings)
    maintenance = hosts([], {ACL_URL: b"<html><title>Down for maintenance</title></html>"})
    bad = ProceedingsSource(make_http(maintenance, proc_settings), proc_settings)
    with RecordCache(tmp_path / "cache") as cache:
        run_source(good, [ACL_KEY], cache, "normal", NOW)
        result = run_source(bad, [ACL_KEY], cache, "refresh", NOW)[ACL_KEY]
    assert result.status == "failed" and result.stale
    assert result.error.kind == "invalid_response"
    assert result.record["title"].startswith("Language Models Resist Alignment")


def test_fetch_forbidden_is_blocked(make_http, proc_settings):
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(403, request=request)

    outcome = ProceedingsSource(make_http(handler, proc_settings), proc_settings).fetch(
        [PMLR_KEY], {})[PMLR_KEY]
    assert outcome.kind == "blocked"


@pytest.mark.parametrize("key", ["neurips:2023:" + "a" * 32, "acl:", "cvf:CVPR:x",
                                 "ijcai:2023:0", "aaai:abc", "pmlr:202:x"])
def test_keys_of_other_sources_are_not_asked(make_http, proc_settings, key):
    def handler(request: httpx.Request) -> httpx.Response:
        raise AssertionError("no request expected")

    outcome = ProceedingsSource(make_http(handler, proc_settings), proc_settings).fetch(
        [key], {})[key]
    assert isinstance(outcome, NotFound)


def test_url_roots_come_from_the_settings(make_http, proc_settings):
    seen: list[httpx.Request] = []
    local = proc_settings.model_copy(update={"urls": {**proc_settings.urls,
                                                      "pmlr": "http://127.0.0.1:9/pmlr/"}})
    ProceedingsSource(make_http(hosts(seen, {}), local), local).fetch([PMLR_KEY], {})
    assert [str(r.url) for r in seen] == ["http://127.0.0.1:9/pmlr/v202/aamand23a.html"]


# --------------------------------------------------------------------------- the fake server


def test_fetch_against_the_fake_server(make_http, proc_settings):
    from tests.fakeapi import FakeAPI

    with FakeAPI() as api:
        env = api.env()
        local = proc_settings.model_copy(update={"urls": {
            **proc_settings.urls, **{host: env[f"HARVEST_{host.upper()}_URL"]
                                     for host in ("acl", "cvf", "pmlr", "ijcai", "aaai")}}})
        source = ProceedingsSource(make_http(httpx.HTTPTransport(), local), local)
        keys = ["acl:2024.acl-long.7", "cvf:CVPR2024:Lopez_Synthetic_Vision_CVPR_2024_paper",
                "pmlr:v235:lopez24a", "ijcai:2024:1"]
        outcomes = source.fetch(keys, {})
        assert api.counts["proceedings"] == 4
    acl, cvf, pmlr = (outcomes[k].data for k in keys[:3])
    assert (acl["title"], acl["venue"], acl["abstract"]) == (
        "A Synthetic Parsing Paper", "ACL 2024", "We parse synthetic text.")
    assert acl["ids"] == {"proceedings": "acl:2024.acl-long.7",
                          "doi": "10.18653/v1/2024.acl-long.7"}
    assert (cvf["authors"], cvf["venue"]) == (["Ana Lopez"], "CVPR 2024")
    assert cvf["pdf_url"] == (env["HARVEST_CVF_URL"] +  # a relative link, resolved
                              "/content/CVPR2024/papers/Lopez_Synthetic_Vision_CVPR_2024_paper.pdf")
    assert pmlr["pdf_url"] == env["HARVEST_PMLR_URL"] + "/v235/lopez24a/lopez24a.pdf"
    assert (pmlr["venue"], pmlr["published"]) == ("ICML 2024", "2024-07-08")
    assert pmlr["authors"] == ["Ana Lopez", "Grace Hopper"]
    assert outcomes["ijcai:2024:1"].data is None  # no such page on the fake host
