"""Tests of the fake APIs themselves (tests/fakeapi), through real HTTP with httpx.

The shapes asserted here are the ones recorded in /work/shared/fixtures (arXiv, Crossref, GitHub,
Semantic Scholar, OpenAlex) or documented in API-NOTES.md (OpenReview, bioRxiv, NeurIPS: no
recording exists for those; the fake follows the documented shape).
"""

from __future__ import annotations

import base64
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import feedparser
import httpx
import pytest

from tests.fakeapi import API_NAMES, FakeAPI, Fault, Limits, Paper, Repo, World
from tests.fakeapi.world import normalise_title


@pytest.fixture(scope="module")
def api():
    with FakeAPI(World.neurofm()) as server:
        yield server


@pytest.fixture(autouse=True)
def _clean(request):
    yield
    if "api" in request.fixturenames:
        server = request.getfixturevalue("api")
        server.clear_faults()
        server.world = World.neurofm()


@pytest.fixture
def client():
    with httpx.Client(timeout=5) as c:
        yield c


def small_world(**kwargs) -> World:
    papers = [
        Paper(title="Frequency of Hot Jupiters", arxiv="astro-ph/0601001", arxiv_version=2,
              authors=["Andrew Gould", "B. Scott Gaudi"], year=2006, published=date(2006, 1, 2),
              journal_ref="ActaAstron.56:1-50,2006", doi="10.1234/acta.56.1", journal="Acta",
              comment="62 pages", categories=["astro-ph"], abstract="  We derive frequencies."),
        Paper(title="An Example From the API v1 Era", openreview="Ex4mpleV1a",
              openreview_venueid="ICLR.cc/2019/Conference", openreview_v1=True,
              openreview_decision="Poster", authors=["Katherine Johnson"], year=2019,
              abstract="Plain values.", code_url="https://github.com/example-lab/v1-code"),
        Paper(title="Withdrawn work", openreview="Withdr4wn1",
              openreview_venueid="ICLR.cc/2025/Conference/Withdrawn_Submission",
              authors=["Dorothy Vaughan"], year=2025, abstract="Gone."),
        Paper(title="A medRxiv preprint", biorxiv="10.1101/2024.01.01.111111",
              biorxiv_server="medrxiv", authors=["Mary Jackson"], year=2024),
    ]
    return World(papers, [Repo("a/b", stars=3)], **kwargs)


# --------------------------------------------------------------------------- basics


def test_env_counts_log_and_reset(api, client):
    env = api.env()
    assert env["HARVEST_ARXIV_URL"] == f"{api.url}/arxiv/api"
    assert env["HARVEST_SEMANTICSCHOLAR_URL"] == f"{api.url}/s2/graph/v1"
    assert env["HARVEST_OPENREVIEW_V1_URL"] == f"{api.url}/openreview-v1"
    assert len(env) == 16 and all(v.startswith(api.url) for v in env.values())
    api.reset_counts()
    client.get(f"{env['HARVEST_BIORXIV_URL']}/details/biorxiv/10.1101/2025.02.02.634313/na/json")
    client.get(f"{env['HARVEST_OPENREVIEW_V1_URL']}/notes", params={"id": "x"})
    assert api.counts == {**dict.fromkeys(API_NAMES, 0), "biorxiv": 1, "openreview": 1}
    first = api.requests[0]
    assert (first.api, first.method, first.status) == ("biorxiv", "GET", 200)
    assert first.path == "/details/biorxiv/10.1101/2025.02.02.634313/na/json"
    assert api.requests[1].params == {"id": ["x"]} and api.requests[1].status == 404
    api.reset_counts()
    assert sum(api.counts.values()) == 0 and api.requests == []
    assert api.errors == []


# --------------------------------------------------------------------------- arXiv


def test_arxiv_feed_shape_order_and_paging(api, client):
    url = api.env()["HARVEST_ARXIV_URL"] + "/query"
    ids = "2407.08751,0000.0000,2310.16046,2311.00136v1"
    r = client.get(url, params={"id_list": ids, "start": 0, "max_results": 10})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/atom+xml")
    assert r.text.startswith("<?xml version='1.0' encoding='UTF-8'?>")
    feed = feedparser.parse(r.content)
    assert not feed.bozo
    assert feed.feed.opensearch_totalresults == "3"
    got = [e.id for e in feed.entries]
    assert got == sorted(got)  # arXiv's order, not the request's
    assert set(got) == {"http://arxiv.org/abs/2407.08751v2", "http://arxiv.org/abs/2310.16046v1",
                        "http://arxiv.org/abs/2311.00136v1"}  # unknown id silently omitted
    ldns = next(e for e in feed.entries if "2407.08751" in e.id)
    assert ldns.title == "Latent Diffusion for Neural Spiking Data"
    assert ldns.updated != ldns.published  # v2: updated is the version's date
    pdf = [link for link in ldns.links if link.get("title") == "pdf"]
    assert pdf and pdf[0].rel == "related" and pdf[0].href.endswith("/pdf/2407.08751v2")
    assert "github.com/mackelab/LDNS" in ldns.arxiv_comment
    assert ldns.authors[0].name == "Jaivardhan Kapoor"
    v1 = next(e for e in feed.entries if "2311.00136" in e.id)
    assert v1.updated == v1.published
    r = client.get(url, params={"id_list": ids, "max_results": 1, "start": 1})
    page = feedparser.parse(r.content)
    assert len(page.entries) == 1 and page.feed.opensearch_totalresults == "3"
    assert page.entries[0].id == got[1]
    r = client.get(url, params={"id_list": ",".join(["2310.16046"] * 3)})  # default max 10
    assert len(feedparser.parse(r.content).entries) == 1


def test_arxiv_malformed_id_is_http_400_error_entry(api, client):
    r = client.get(api.env()["HARVEST_ARXIV_URL"] + "/query", params={"id_list": "2310.16046,abc"})
    assert r.status_code == 400
    feed = feedparser.parse(r.content)
    assert feed.feed.title == "arXiv Search Results"
    assert feed.entries[0].id == "https://arxiv.org/api/errors#incorrect_id_format_for_abc"
    assert feed.entries[0].summary == "incorrect id format for abc"
    assert client.get(api.env()["HARVEST_ARXIV_URL"] + "/query",
                      params={"id_list": "2310.16046", "max_results": "x"}).status_code == 400


def test_arxiv_old_style_doi_and_journal_ref(client):
    with FakeAPI(small_world()) as api:
        r = client.get(api.env()["HARVEST_ARXIV_URL"] + "/query?id_list=astro-ph%2F0601001")
        entry = feedparser.parse(r.content).entries[0]
        assert entry.id == "http://arxiv.org/abs/astro-ph/0601001v2"
        assert entry.arxiv_doi == "10.1234/acta.56.1"
        assert entry.arxiv_journal_ref == "ActaAstron.56:1-50,2006"
        assert any(link.get("title") == "doi" for link in entry.links)
        bad = client.get(api.env()["HARVEST_ARXIV_URL"] + "/query",
                         params={"id_list": "cond-mat.mes-hall/0211022"})
        assert bad.status_code == 400


# --------------------------------------------------------------------------- OpenReview


def test_openreview_v2_notes(api, client):
    root = api.env()["HARVEST_OPENREVIEW_URL"]
    r = client.get(f"{root}/notes", params={"id": "IuU0wcO0mo"})
    assert r.status_code == 200
    body = r.json()
    assert body["count"] == 1
    note = body["notes"][0]
    assert note["id"] == note["forum"] == "IuU0wcO0mo"
    assert note["domain"] == "ICLR.cc/2025/Conference"
    assert note["content"]["venueid"]["value"] == "ICLR.cc/2025/Conference"
    assert note["content"]["venue"] == {"value": "ICLR 2025 Spotlight"}
    assert note["content"]["title"]["value"].startswith("Multi-session")
    assert isinstance(note["cdate"], int) and note["cdate"] > 10**12 and "pdate" in note
    assert all(isinstance(v, dict) and "value" in v for v in note["content"].values())
    search = client.post(f"{root}/notes/search",
                         json={"ids": ["CBBtMnlTGq", "nope123456", "R9feGbYRG7"]}).json()
    assert [n["id"] for n in search["notes"]] == ["CBBtMnlTGq", "R9feGbYRG7"]
    assert search["count"] == 2
    review = search["notes"][1]
    assert review["content"]["venueid"]["value"] == "ICLR.cc/2026/Conference/Submission"
    assert "pdate" not in review
    many = client.get(f"{root}/notes", params={"ids": "FN02v4nD8y,nope123456"}).json()
    assert [n["id"] for n in many["notes"]] == ["FN02v4nD8y"]
    missing = client.get(f"{root}/notes", params={"id": "nope123456"})
    assert missing.status_code == 404
    assert missing.json() | {"details": {}} == {
        "status": 404, "name": "NotFoundError",
        "message": "The Note nope123456 was not found", "details": {}}


def test_openreview_v1_only_for_flagged_papers(client):
    with FakeAPI(small_world()) as api:
        v1, v2 = api.env()["HARVEST_OPENREVIEW_V1_URL"], api.env()["HARVEST_OPENREVIEW_URL"]
        r = client.get(f"{v1}/notes", params={"id": "Ex4mpleV1a", "details": "directReplies"})
        note = r.json()["notes"][0]
        assert note["content"]["title"] == "An Example From the API v1 Era"  # plain values
        assert note["invitation"] == "ICLR.cc/2019/Conference/-/Blind_Submission"
        assert note["content"]["code"] == "https://github.com/example-lab/v1-code"
        decisions = [x["content"]["decision"] for x in note["details"]["directReplies"]]
        assert decisions == ["Accept (Poster)"]
        assert client.get(f"{v2}/notes", params={"id": "Ex4mpleV1a"}).status_code == 404
        assert client.get(f"{v1}/notes", params={"id": "Withdr4wn1"}).status_code == 404
        withdrawn = client.get(f"{v2}/notes", params={"id": "Withdr4wn1"}).json()["notes"][0]
        assert "pdf" not in withdrawn["content"]
        assert withdrawn["content"]["venue"]["value"] == (
            "ICLR 2025 Conference Withdrawn Submission")


# --------------------------------------------------------------------------- bioRxiv


def test_biorxiv_details(api, client):
    root = api.env()["HARVEST_BIORXIV_URL"]
    r = client.get(f"{root}/details/biorxiv/10.1101/2023.03.21.533548/na/json")
    assert b"10.1101\\/2023.03.21.533548" in r.content  # slashes escaped like the raw API
    body = r.json()
    assert body["messages"] == [{"status": "ok"}]
    versions = body["collection"]
    assert [v["version"] for v in versions] == ["1", "2", "3"]
    assert all(v["published"] == "10.1038/s41586-025-08829-y" for v in versions)
    assert versions[0]["authors"].startswith("Wang, E. Y.; Fahey, P. G.")
    short = client.get(f"{root}/details/biorxiv/10.1101/2025.05.12.653551").json()
    assert short["collection"][0]["published"] == "NA" and short["collection"][0]["server"]
    for path in ("/details/biorxiv/10.1101/2099.01.01.000000/na/json",
                 "/details/medrxiv/10.1101/2025.05.12.653551/na/json"):
        r = client.get(root + path)
        assert r.status_code == 200
        assert r.json() == {"messages": [{"status": "no posts found"}], "collection": []}


# --------------------------------------------------------------------------- Crossref


def test_crossref_work_pools_and_404(api, client):
    root = api.env()["HARVEST_CROSSREF_URL"]
    r = client.get(f"{root}/works/10.1038%2Fs41586-023-06031-6", params={"mailto": "a@b.c"})
    assert r.status_code == 200
    assert r.headers["x-api-pool"] == "polite" and r.headers["x-concurrency-limit"] == "3"
    assert r.headers["x-rate-limit-limit"] == "10" and r.headers["x-rate-limit-interval"] == "1s"
    body = r.json()
    assert {k: body[k] for k in ("status", "message-type", "message-version")} == {
        "status": "ok", "message-type": "work", "message-version": "1.0.0"}
    work = body["message"]
    assert work["DOI"] == "10.1038/s41586-023-06031-6" and work["type"] == "journal-article"
    assert work["container-title"] == ["Nature"] and work["published"]["date-parts"][0][0] == 2023
    assert work["abstract"].startswith("<jats:title>Abstract</jats:title><jats:p>")
    assert work["author"][0] == {"given": "Steffen", "family": "Schneider",
                                 "sequence": "first", "affiliation": []}
    assert isinstance(work["is-referenced-by-count"], int)
    public = client.get(f"{root}/works/10.1038/s41586-025-08829-y")
    assert public.headers["x-api-pool"] == "public" and public.headers["x-concurrency-limit"] == "1"
    assert public.json()["message"]["relation"]["has-preprint"][0]["id"] == (
        "10.1101/2023.03.21.533548")
    posted = client.get(f"{root}/works/10.1101/2023.03.21.533548").json()["message"]
    assert posted["type"] == "posted-content" and posted["subtype"] == "preprint"
    assert posted["relation"]["is-preprint-of"][0]["id"] == "10.1038/s41586-025-08829-y"
    missing = client.get(f"{root}/works/10.1371/notarealdoi")
    assert missing.status_code == 404 and missing.headers["content-type"] == "text/plain"
    assert missing.text == "Resource not found."
    bad = client.get(f"{root}/works/10.1038/s41586-023-06031-6", params={"query.author": "x"})
    assert bad.status_code == 400 and bad.json()["message-type"] == "validation-failure"


# --------------------------------------------------------------------------- NeurIPS


def test_neurips_page_and_bibtex(api, client):
    root = api.env()["HARVEST_NEURIPS_URL"] + "/paper_files/paper"
    digest = "934eb45b99eff8f16b5cb8e4d3cb5641"
    page = client.get(f"{root}/2024/hash/{digest}-Abstract-Conference.html")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    assert re.search(r'<meta name="citation_title" content="Towards a &quot;universal', html)
    assert '<meta name="citation_author" content="Zhang, Yizi">' in html
    assert '<meta name="citation_publication_date" content="2024">' in html
    assert 'name="citation_doi" content="10.52202/' in html
    assert 'name="citation_pdf_url"' in html and '<p class="paper-abstract">' in html
    bib = client.get(f"{root}/2024/file/{digest}-Bibtex.bib").text
    assert bib.startswith("@inproceedings{NEURIPS2024_934eb45b,")
    assert "author = {Zhang, Yizi and Wang, Yanchen" in bib
    assert "booktitle = {Advances in Neural Information Processing Systems}" in bib
    assert "volume = {37}" in bib and "year = {2024}" in bib and "publisher = {" in bib
    wrong_track = client.get(f"{root}/2024/hash/{digest}-Abstract.html")
    assert wrong_track.status_code == 404
    assert client.get(f"{root}/2024/hash/{'0' * 32}-Abstract-Conference.html").status_code == 404
    dnb = client.get(f"{root}/2024/hash/8c2e1d2b9b3a4c5d6e7f8091a2b3c4d5"
                     "-Abstract-Datasets_and_Benchmarks_Track.html")
    assert dnb.status_code == 200 and "Datasets and Benchmarks Track" in dnb.text


# --------------------------------------------------------------------------- Semantic Scholar


def test_s2_batch_nulls_fields_and_limits(api, client):
    root = api.env()["HARVEST_SEMANTICSCHOLAR_URL"]
    ids = ["ARXIV:2310.16046", "DOI:10.1101/2023.03.21.533548",
           "URL:https://www.biorxiv.org/content/10.1101/2023.03.21.533548v1",
           "DOI:10.1038/s41586-023-06031-6", "CorpusId:1", "DOI:10.1101/2025.05.12.653551"]
    fields = "title,externalIds,citationCount,venue,year,abstract,authors"
    r = client.post(f"{root}/paper/batch", params={"fields": fields}, json={"ids": ids})
    assert r.status_code == 200 and b'", "' in r.content  # recorded spacing
    papers = r.json()
    assert len(papers) == len(ids)
    poyo, folded, via_url, cebra, unknown, ndt_jiang = papers
    assert unknown is None
    assert folded is None  # a published preprint's own DOI is folded into the journal record
    assert via_url["externalIds"]["DOI"] == "10.1038/s41586-025-08829-y"
    assert via_url["venue"] == "bioRxiv"
    assert poyo["externalIds"]["ArXiv"] == "2310.16046"
    assert poyo["venue"] == "Neural Information Processing Systems"
    assert set(poyo) == {"paperId", "title", "externalIds", "citationCount", "venue", "year",
                         "abstract", "authors"}
    assert poyo["authors"][0] == {"authorId": poyo["authors"][0]["authorId"],
                                  "name": "Mehdi Azabou"}
    assert cebra["abstract"] is None  # Springer abstracts are withheld
    assert ndt_jiang["externalIds"]["DOI"] == "10.1101/2025.05.12.653551"
    bare = client.post(f"{root}/paper/batch", json={"ids": ["ARXIV:2310.16046"]}).json()[0]
    assert set(bare) == {"paperId", "title"}
    too_many = client.post(f"{root}/paper/batch", json={"ids": ["CorpusId:1"] * 501})
    assert too_many.status_code == 400 and "error" in too_many.json()
    bad_field = client.get(f"{root}/paper/ARXIV:2310.16046", params={"fields": "title,unknown"})
    assert bad_field.json() == {"error": "Unrecognized or unsupported fields: [unknown]"}


def test_s2_match_single_and_keys(api, client):
    root = api.env()["HARVEST_SEMANTICSCHOLAR_URL"]
    title = "Neural Data Transformer 2: Multi-context Pretraining for Neural Spiking Activity"
    r = client.get(f"{root}/paper/search/match", params={"query": title.upper(),
                                                         "fields": "title,year,externalIds"})
    hit = r.json()["data"][0]
    assert hit["title"] == title and hit["year"] == 2023 and hit["matchScore"] > 0
    miss = client.get(f"{root}/paper/search/match", params={"query": "askldjrq3rjaw938h"})
    assert miss.status_code == 404 and miss.json() == {"error": "Title match not found"}
    single = client.get(f"{root}/paper/DOI:10.48550/arXiv.2407.08751", params={"fields": "title"})
    assert single.json()["title"] == "Latent Diffusion for Neural Spiking Data"
    nf = client.get(f"{root}/paper/ARXIV:0000.0000")
    assert nf.status_code == 404
    assert nf.json() == {"error": "Paper with id ARXIV:0000.0000 not found"}
    with FakeAPI(small_world(s2_api_key="good")) as keyed:
        s2 = keyed.env()["HARVEST_SEMANTICSCHOLAR_URL"]
        bad = client.post(f"{s2}/paper/batch", json={"ids": []}, headers={"x-api-key": "F@k3"})
        assert bad.status_code == 403 and bad.json() == {"message": "Forbidden"}
        ok = client.post(f"{s2}/paper/batch", json={"ids": []}, headers={"x-api-key": "good"})
        assert ok.status_code == 200 and ok.json() == []


# --------------------------------------------------------------------------- OpenAlex


def test_openalex_single_list_and_404(api, client):
    root = api.env()["HARVEST_OPENALEX_URL"]
    for path in ("/works/doi:10.1038/s41586-023-06031-6",
                 "/works/https://doi.org/10.1038%2Fs41586-023-06031-6",
                 "/works/https://doi.org/10.1038%2FS41586-023-06031-6"):
        work = client.get(root + path).json()
        assert work["id"].startswith("https://openalex.org/W")
        assert work["doi"] == "https://doi.org/10.1038/s41586-023-06031-6"
        assert work["display_name"] == work["title"] and work["publication_year"] == 2023
        assert work["authorships"][0]["author"]["display_name"] == "Steffen Schneider"
        index = work["abstract_inverted_index"]
        words = sorted((p, w) for w, ps in index.items() for p in ps)
        assert " ".join(w for _, w in words).startswith("Illustrative abstract")
        assert work["primary_location"]["source"]["type"] == "journal"
    arxiv = client.get(f"{root}/works/doi:10.48550/arXiv.2310.16046").json()
    assert arxiv["type"] == "preprint" and arxiv["publication_date"] == "2023-01-01"
    assert arxiv["indexed_in"] == ["arxiv", "datacite"]
    listing = client.get(f"{root}/works", params={
        "filter": "doi:10.1038/s41586-023-06031-6|https://doi.org/10.1101/2025.02.02.634313"
                  "|10.9999/none", "per-page": 100})
    body = listing.json()
    assert body["meta"]["count"] == 2 and body["meta"]["per_page"] == 100
    assert {w["doi"] for w in body["results"]} == {
        "https://doi.org/10.1038/s41586-023-06031-6", "https://doi.org/10.1101/2025.02.02.634313"}
    selected = client.get(f"{root}/works/doi:10.1038/s41586-023-06031-6",
                          params={"select": "doi,cited_by_count"}).json()
    assert set(selected) == {"doi", "cited_by_count"}
    missing = client.get(f"{root}/works/https://doi.org/10.1046%2Fj.1365-2699.2003.00795")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/html")
    assert "<title>404 Not Found</title>" in missing.text
    with FakeAPI(small_world(openalex_api_key="k3y")) as keyed:
        url = keyed.env()["HARVEST_OPENALEX_URL"] + "/works/doi:10.1234/acta.56.1"
        assert client.get(url).status_code == 401
        assert client.get(url, params={"api_key": "k3y"}).status_code == 200


# --------------------------------------------------------------------------- GitHub


def test_github_rest_etag_304_quota_and_rename(api, client):
    root = api.env()["HARVEST_GITHUB_URL"]
    auth = {"Authorization": "token t0k3n"}
    api.reset_counts()
    r = client.get(f"{root}/repos/joel99/ndt3", headers=auth)
    repo = r.json()
    assert r.status_code == 200 and repo["full_name"] == "joel99/ndt3"
    for key in ("id", "html_url", "description", "homepage", "stargazers_count",
                "watchers_count", "subscribers_count", "forks_count", "open_issues_count",
                "pushed_at", "created_at", "updated_at", "license", "archived", "topics",
                "language"):
        assert key in repo, key
    assert repo["license"]["spdx_id"] == "MIT" and repo["pushed_at"].endswith("Z")
    etag = r.headers["etag"]
    assert etag.startswith('W/"') and r.headers["last-modified"].endswith("GMT")
    assert r.headers["x-ratelimit-resource"] == "core"
    remaining = int(r.headers["x-ratelimit-remaining"])
    assert int(r.headers["x-ratelimit-limit"]) - remaining == int(r.headers["x-ratelimit-used"])
    again = client.get(f"{root}/repos/joel99/ndt3", headers={**auth, "If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert int(again.headers["x-ratelimit-remaining"]) == remaining  # a 304 is free
    assert api.quota_used() == 1
    api.world.repo("joel99/ndt3").stars += 1  # data changes → ETag changes
    changed = client.get(f"{root}/repos/joel99/ndt3", headers={**auth, "If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    assert int(changed.headers["x-ratelimit-remaining"]) == remaining - 1
    moved = client.get(f"{root}/repos/snel-repo/neural-data-transformers", headers=auth)
    assert moved.status_code == 301
    assert moved.headers["location"] == f"{root}/repositories/318213301"
    assert moved.json()["message"] == "Moved Permanently"
    followed = client.get(f"{root}/repos/snel-repo/neural-data-transformers", headers=auth,
                          follow_redirects=True)
    assert followed.status_code == 200 and followed.json()["full_name"] == "snel-repo/ndt1-legacy"
    assert client.get(f"{root}/repos/snel-repo/ndt1-legacy").json()["id"] == 318213301
    missing = client.get(f"{root}/repos/jacquev6/Xxx")
    assert missing.status_code == 404 and missing.json()["message"] == "Not Found"
    assert missing.json()["status"] == "404"


def test_github_contents(api, client):
    root = api.env()["HARVEST_GITHUB_URL"]
    r = client.get(f"{root}/repos/mazabou/awesome-neurofm/contents/README.md")
    body = r.json()
    assert body["encoding"] == "base64" and body["type"] == "file" and body["sha"]
    text = base64.b64decode(body["content"]).decode()
    assert text == api.world.files[("mazabou/awesome-neurofm", "README.md")]
    assert "arxiv.org/abs/2310.16046" in text
    again = client.get(f"{root}/repos/mazabou/awesome-neurofm/contents/README.md",
                       headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304
    raw = client.get(f"{root}/repos/mazabou/awesome-neurofm/contents/README.md",
                     headers={"Accept": "application/vnd.github.raw+json"})
    assert raw.text == text
    assert client.get(f"{root}/repos/mazabou/awesome-neurofm/contents/NOPE.md").status_code == 404


def test_github_graphql_partial_errors(api, client):
    url = api.env()["HARVEST_GITHUB_URL"] + "/graphql"
    query = """query {
      r0: repository(owner: "joel99", name: "ndt3") { nameWithOwner stargazerCount }
      r1: repository(owner: "nobody", name: "nothing") { nameWithOwner }
      r2: repository(owner: "snel-repo", name: "neural-data-transformers") {
        nameWithOwner repositoryTopics(first: 20) { nodes { topic { name } } } }
      rateLimit { cost remaining resetAt }
    }"""
    unauth = client.post(url, json={"query": query})
    assert unauth.status_code == 401
    assert unauth.json()["message"] == "This endpoint requires you to be authenticated."
    r = client.post(url, json={"query": query}, headers={"Authorization": "bearer x"})
    assert r.status_code == 200 and r.headers["x-ratelimit-resource"] == "graphql"
    body = r.json()
    assert list(body["data"]) == ["r0", "r1", "r2", "rateLimit"]
    assert body["data"]["r1"] is None
    assert body["errors"] == [{"type": "NOT_FOUND", "path": ["r1"],
                               "locations": body["errors"][0]["locations"],
                               "message": "Could not resolve to a Repository with the name "
                                          "'nobody/nothing'."}]
    r0 = body["data"]["r0"]
    assert r0["nameWithOwner"] == "joel99/ndt3" and isinstance(r0["stargazerCount"], int)
    assert r0["licenseInfo"]["spdxId"] == "MIT" and r0["databaseId"] == 858127644
    assert body["data"]["r2"]["nameWithOwner"] == "snel-repo/ndt1-legacy"  # follows renames
    assert body["data"]["rateLimit"]["cost"] == 1
    variables = client.post(url, headers={"Authorization": "bearer x"}, json={
        "query": "query($o: String!, $n: String!) { repository(owner: $o, name: $n, "
                 "followRenames: false) { url } }",
        "variables": {"o": "snel-repo", "n": "neural-data-transformers"}}).json()
    assert variables["data"] == {"repository": None}
    assert variables["errors"][0]["path"] == ["repository"]


# --------------------------------------------------------------------------- faults


def _get(client: httpx.Client, api: FakeAPI, name: str) -> httpx.Response:
    env = api.env()
    urls = {
        "arxiv": env["HARVEST_ARXIV_URL"] + "/query?id_list=2310.16046",
        "github": env["HARVEST_GITHUB_URL"] + "/repos/joel99/ndt3",
        "semanticscholar": env["HARVEST_SEMANTICSCHOLAR_URL"] + "/paper/ARXIV:2310.16046",
        "crossref": env["HARVEST_CROSSREF_URL"] + "/works/10.1038/s41586-023-06031-6",
        "openreview": env["HARVEST_OPENREVIEW_URL"] + "/notes?id=IuU0wcO0mo",
        "biorxiv": env["HARVEST_BIORXIV_URL"] + "/details/biorxiv/10.1101/2025.02.02.634313",
        "openalex": env["HARVEST_OPENALEX_URL"] + "/works/doi:10.1038/s41586-023-06031-6",
        "neurips": env["HARVEST_NEURIPS_URL"] + "/paper_files/paper/2023/file/"
                   "8ca113d122584f12a6727341aaf58887-Bibtex.bib",
    }
    return client.get(urls[name])


def test_fault_status_bodies_per_api(api, client):
    cases = [
        ("semanticscholar", 429, lambda r: r.json()["code"] == "429"
         and "retry-after" not in r.headers),
        ("github", 403, lambda r: r.headers["x-ratelimit-remaining"] == "0"
         and "rate limit exceeded" in r.json()["message"] and r.headers["x-ratelimit-reset"]),
        ("crossref", 404, lambda r: r.text == "Resource not found."
         and r.headers["content-type"] == "text/plain"),
        ("openreview", 403, lambda r: r.json()["name"] == "ForbiddenError"),
        ("arxiv", 503, lambda r: "503" in r.text),
        ("arxiv", 429, lambda r: r.reason_phrase == "Unknown Error"),
        ("openalex", 404, lambda r: r.headers["content-type"].startswith("text/html")),
        ("biorxiv", 502, lambda r: True),
    ]
    for name, status, check in cases:
        api.set_fault(name, Fault(kind="status", status=status, times=1))
        r = _get(client, api, name)
        assert r.status_code == status and check(r), (name, status, r.headers, r.text)
        assert _get(client, api, name).status_code == 200, name  # times=1: then normal
    api.set_fault("github", Fault("status", 403, variant="secondary", seconds=7))
    r = _get(client, api, "github")
    assert r.headers["retry-after"] == "7" and "secondary rate limit" in r.json()["message"]
    assert _get(client, api, "github").status_code == 403  # times=None: forever
    api.clear_faults("github")
    assert _get(client, api, "github").status_code == 200


def test_fault_retry_after_and_match(api, client):
    api.set_fault("arxiv", Fault(kind="retry_after", seconds=2, times=1))
    r = _get(client, api, "arxiv")
    assert r.status_code == 429 and r.headers["retry-after"] == "2"
    assert _get(client, api, "arxiv").status_code == 200
    root = api.env()["HARVEST_CROSSREF_URL"]
    fault = api.set_fault("crossref", Fault("status", 500, match="s41586-025"))
    assert client.get(f"{root}/works/10.1038%2Fs41586-025-08829-y").status_code == 500
    assert client.get(f"{root}/works/10.1038/s41586-023-06031-6").status_code == 200
    assert fault.hits == 1
    body_match = api.set_fault("semanticscholar", Fault("status", 500, match="2310.16046"))
    s2 = api.env()["HARVEST_SEMANTICSCHOLAR_URL"] + "/paper/batch"
    assert client.post(s2, json={"ids": ["ARXIV:2310.16046"]}).status_code == 500
    assert client.post(s2, json={"ids": ["ARXIV:2407.08751"]}).status_code == 200
    assert body_match.hits == 1


def test_fault_hang_reset_truncated(api):
    api.set_fault("github", Fault(kind="hang", seconds=2, times=1))
    start = time.monotonic()
    with httpx.Client(timeout=0.5) as short, pytest.raises(httpx.ReadTimeout):
        _get(short, api, "github")
    assert time.monotonic() - start < 1.5
    with httpx.Client(timeout=2) as c:
        api.set_fault("crossref", Fault(kind="reset", times=1))
        with pytest.raises((httpx.ReadError, httpx.RemoteProtocolError)):
            _get(c, api, "crossref")
        assert _get(c, api, "crossref").status_code == 200
        api.set_fault("openalex", Fault(kind="truncated", times=1))
        with pytest.raises(httpx.RemoteProtocolError):
            _get(c, api, "openalex")
        assert _get(c, api, "openalex").status_code == 200
    statuses = [r.status for r in api.requests if r.api in ("github", "crossref")]
    assert None in statuses


def test_fault_html200_wrong_types_empty(api, client):
    api.set_fault("semanticscholar", Fault(kind="html200", times=1))
    r = _get(client, api, "semanticscholar")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    api.set_fault("openreview", Fault(kind="wrong_types", times=1))
    notes = _get(client, api, "openreview").json()["notes"]
    assert isinstance(notes, dict)  # a list became an object, strings became numbers
    api.set_fault("github", Fault(kind="wrong_types", times=1))
    repo = _get(client, api, "github").json()
    assert isinstance(repo["stargazers_count"], str)
    api.set_fault("semanticscholar", Fault(kind="wrong_types", variant="top", times=1))
    assert isinstance(_get(client, api, "semanticscholar").json(), list)
    api.set_fault("arxiv", Fault(kind="wrong_types", times=1))
    garbage = feedparser.parse(_get(client, api, "arxiv").content)
    assert garbage.entries and not any("2310.16046" in e.get("id", "") for e in garbage.entries)
    api.set_fault("arxiv", Fault(kind="empty_feed", times=1))
    empty = feedparser.parse(_get(client, api, "arxiv").content)
    assert empty.entries == [] and empty.feed.opensearch_totalresults == "0"
    api.set_fault("semanticscholar", Fault(kind="empty_feed", times=1))
    batch = api.env()["HARVEST_SEMANTICSCHOLAR_URL"] + "/paper/batch"
    assert client.post(batch, json={"ids": ["ARXIV:2310.16046"]}).json() == []
    api.set_fault("crossref", Fault(kind="empty_feed", times=1))
    assert _get(client, api, "crossref").json() == {}
    with pytest.raises(ValueError):
        Fault(kind="explode")
    with pytest.raises(ValueError):
        api.set_fault("nosuchapi", Fault("status"))


# --------------------------------------------------------------------------- limits


def test_limits_enforced(client):
    # intervals and latencies are wide so that a busy machine still sends the pairs inside them
    limits = Limits(arxiv_interval=2.0, s2_interval=2.0, github_core=2)
    with FakeAPI(World.neurofm(), enforce_limits=True, limits=limits) as api:
        assert [_get(client, api, "arxiv").status_code for _ in range(2)] == [200, 429]
        time.sleep(2.1)
        assert _get(client, api, "arxiv").status_code == 200
        first, second = _get(client, api, "semanticscholar"), _get(client, api, "semanticscholar")
        assert (first.status_code, second.status_code) == (200, 429)
        assert "retry-after" not in second.headers and second.json()["code"] == "429"
        gh = [_get(client, api, "github") for _ in range(3)]
        assert [r.status_code for r in gh] == [200, 200, 403]
        assert gh[1].headers["x-ratelimit-remaining"] == "0"
        assert gh[2].headers["x-ratelimit-remaining"] == "0"
        assert "rate limit exceeded" in gh[2].json()["message"]
        assert api.quota()["remaining"] == 0
    with FakeAPI(World.neurofm(), latency=(1.0, 1.0), enforce_limits=True) as api:
        env = api.env()
        crossref = env["HARVEST_CROSSREF_URL"] + "/works/10.1038/s41586-023-06031-6"
        with ThreadPoolExecutor(5) as pool:
            codes = list(pool.map(lambda _: httpx.get(crossref, params={"mailto": "x@y.z"}),
                                  range(5)))
        assert sorted(r.status_code for r in codes) == [200, 200, 200, 429, 429]
        arxiv = env["HARVEST_ARXIV_URL"] + "/query?id_list=2310.16046"
        with ThreadPoolExecutor(2) as pool:
            codes = list(pool.map(lambda _: httpx.get(arxiv).status_code, range(2)))
        assert sorted(codes) == [200, 429]  # concurrent with another request


def test_latency_and_unlimited_quota_headers():
    with FakeAPI(World.neurofm(), latency=(0.1, 0.12)) as api, httpx.Client() as c:
        start = time.monotonic()
        r = _get(c, api, "github")
        assert time.monotonic() - start >= 0.1
        assert r.headers["x-ratelimit-limit"] and r.headers["x-ratelimit-used"] == "1"


# --------------------------------------------------------------------------- world


def test_generate_is_deterministic_with_the_neurofm_mix():
    a, b = World.generate(2000, seed=7), World.generate(2000, seed=7)
    assert a.to_markdown() == b.to_markdown()
    assert [(p.arxiv, p.openreview, p.biorxiv, p.doi, p.neurips, p.s2_id) for p in a.papers] == [
        (p.arxiv, p.openreview, p.biorxiv, p.doi, p.neurips, p.s2_id) for p in b.papers]
    assert [r.etag for r in a.repos] == [r.etag for r in b.repos]
    assert World.generate(2000, seed=8).to_markdown() != a.to_markdown()
    kinds = [p.listed_as for p in a.papers]
    share = {k: kinds.count(k) / len(kinds) for k in set(kinds)}
    assert 0.35 < share["arxiv"] < 0.45 and 0.16 < share["openreview"] < 0.24
    assert 0.12 < share["biorxiv"] < 0.18 and 0.07 < share["doi"] < 0.13
    assert 0.07 < share["neurips"] < 0.13
    assert 0.02 < share.get("title", 0) + share.get("neurips_year", 0) < 0.08
    published = [p for p in a.papers if p.biorxiv_published_doi]
    assert 0.25 < len(published) / kinds.count("biorxiv") < 0.42
    assert 0.25 < len(a.repos) / len(a.papers) < 0.35
    assert any(r.renamed_to for r in a.repos)
    ids = [p.arxiv for p in a.papers if p.arxiv]
    assert len(ids) == len(set(ids))
    assert len({normalise_title(p.title) for p in a.papers}) == len(a.papers)


def test_to_markdown_roundtrip():
    world = World.generate(300, seed=3)
    text = world.to_markdown(title="Roundtrip")
    assert text.startswith("# Roundtrip\n") and "\n### " in text
    entry = re.compile(r"^- \*\*(?P<name>[^*]+)\*\*: (?P<rest>.*)$")
    lines = [m for m in map(entry.match, text.splitlines()) if m]
    assert len(lines) == len(world.papers)
    for paper, match in zip(world.papers, lines, strict=True):
        assert match["name"] == paper.name
        rest = match["rest"]
        assert rest.startswith(paper.title)
        url = paper.list_url()
        if url:
            assert f"[[paper]({url})]" in rest
        key = {"arxiv": paper.arxiv, "openreview": paper.openreview, "biorxiv": paper.biorxiv,
               "neurips": paper.neurips and paper.neurips[1]}.get(paper.listed_as)
        if key:
            assert key in rest
        if paper.repo:
            assert f"[[code](https://github.com/{paper.repo})]" in rest
            assert world.repo(paper.repo) is not None
    neurofm = World.neurofm()
    assert "[[code](https://github.com/snel-repo/neural-data-transformers)]" in (
        neurofm.to_markdown())
    assert neurofm.repo("snel-repo/neural-data-transformers").renamed_to == "snel-repo/ndt1-legacy"


def test_generated_world_is_served(client):
    world = World.generate(200, seed=11)
    with FakeAPI(world) as api:
        env = api.env()
        arxiv = [p for p in world.papers if p.arxiv][:50]
        feed = feedparser.parse(client.get(env["HARVEST_ARXIV_URL"] + "/query", params={
            "id_list": ",".join(p.arxiv for p in arxiv), "max_results": 50}).content)
        assert len(feed.entries) == 50
        s2 = client.post(env["HARVEST_SEMANTICSCHOLAR_URL"] + "/paper/batch",
                         params={"fields": "title"},
                         json={"ids": [f"CorpusId:{p.corpus_id}" for p in world.papers]}).json()
        known = [p for p in world.papers if p.s2_known]
        assert sum(x is not None for x in s2) == len(known)
        for paper in world.papers:
            if paper.listed_as == "neurips":
                year, digest = paper.neurips
                url = paper.list_url().replace("https://proceedings.neurips.cc",
                                               env["HARVEST_NEURIPS_URL"])
                assert client.get(url).status_code == 200, (year, digest)
        renamed = next(r for r in world.repos if r.renamed_to)
        moved = client.get(f"{env['HARVEST_GITHUB_URL']}/repos/{renamed.full_name}")
        assert moved.status_code == 301
        assert api.errors == []


# --------------------------------------------------------------------------- shutdown


def test_stop_is_clean_with_idle_and_hanging_connections():
    api = FakeAPI(World.neurofm()).start()
    idle = httpx.Client()
    assert _get(idle, api, "github").status_code == 200  # leaves a kept-alive connection
    api.set_fault("github", Fault("hang", seconds=30))
    outcome: list[str] = []

    def hang() -> None:
        try:
            with httpx.Client(timeout=10) as c:
                _get(c, api, "github")
        except httpx.HTTPError as exc:
            outcome.append(type(exc).__name__)

    thread = threading.Thread(target=hang)
    thread.start()
    time.sleep(0.2)
    start = time.monotonic()
    port = api.port
    api.stop()
    thread.join(timeout=5)
    assert time.monotonic() - start < 2 and outcome
    assert not api.running
    assert not [t for t in threading.enumerate() if t.name.startswith(f"fakeapi-{port}")]
    with pytest.raises(httpx.HTTPError):
        httpx.get(f"http://127.0.0.1:{port}/github/repos/joel99/ndt3", timeout=1)
    idle.close()
    api.stop()  # idempotent
