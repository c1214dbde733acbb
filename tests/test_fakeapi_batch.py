"""The fake server's batch endpoints answer like the documented ones (API-NOTES.md part 3 §8):
OR semantics, ``rows``, continuation tokens, missing items simply absent."""

from __future__ import annotations

import httpx
import pytest

from tests.fakeapi import FakeAPI, World
from tests.fakeapi.world import normalise_title


@pytest.fixture(scope="module")
def api():
    with FakeAPI(World.generate(300, seed=2)) as server:
        yield server


@pytest.fixture
def client():
    with httpx.Client(timeout=5) as c:
        yield c


def test_crossref_filter_is_an_or_of_dois_cut_at_rows(api, client):
    dois = [p.doi for p in api.world.papers if p.doi][:3]
    assert len(dois) == 3
    url = f"{api.base('crossref')}/works"
    asked = ",".join(f"doi:{d}" for d in [*dois, "10.9999/not-a-work"])
    message = client.get(url, params={"filter": asked, "rows": 3}).json()["message"]
    assert sorted(i["DOI"] for i in message["items"]) == sorted(d.lower() for d in dois)
    default = client.get(url, params={"filter": asked}).json()["message"]
    assert default["items-per-page"] == 20  # Crossref's default rows
    cut = client.get(url, params={"filter": asked, "rows": 2}).json()["message"]
    assert len(cut["items"]) == 2 and cut["total-results"] == 3


def test_crossref_preprint_names_its_server_and_posted_date(api, client):
    paper = next(p for p in api.world.papers if p.biorxiv and p.biorxiv_server == "medrxiv")
    url = f"{api.base('crossref')}/works"
    (item,) = client.get(url, params={"filter": f"doi:{paper.biorxiv}", "rows": 5}).json()[
        "message"]["items"]
    assert item["type"] == "posted-content" and item["institution"] == [{"name": "medRxiv"}]
    assert item["posted"]["date-parts"][0][0] == paper.published.year


def test_s2_bulk_or_of_phrases_year_filter_and_absent_titles(api, client):
    known = [p for p in api.world.papers if p.s2_known and p.published][:2]
    query = " | ".join(f'"{p.title}"' for p in [*known]) + ' | "no such paper title at all"'
    url = f"{api.base('semanticscholar')}/paper/search/bulk"
    data = client.get(url, params={"query": query, "fields": "title,year"}).json()
    titles = {normalise_title(p["title"]) for p in data["data"]}
    assert {normalise_title(p.title) for p in known} <= titles
    assert data["token"] is None
    year = known[0].published.year
    narrow = client.get(url, params={"query": f'"{known[0].title}"', "fields": "title,year",
                                     "year": f"{year + 2}-{year + 5}"}).json()
    assert all(normalise_title(p["title"]) != normalise_title(known[0].title)
               for p in narrow["data"])


def test_s2_bulk_pages_with_a_token(api, client):
    known = [p for p in api.world.papers if p.s2_known][:5]
    query = " | ".join(f'"{p.title}"' for p in known)
    url = f"{api.base('semanticscholar')}/paper/search/bulk"
    api.bulk_page_size = 2  # S2's page is 1,000; a small page shows the paging
    try:
        pages, params = [], {"query": query, "fields": "title"}
        while True:
            page = client.get(url, params=params).json()
            pages.append(page)
            if page["token"] is None:
                break
            params["token"] = page["token"]
    finally:
        api.bulk_page_size = 1000
    ids = [p["paperId"] for page in pages for p in page["data"]]
    assert len(pages) == -(-pages[0]["total"] // 2) >= 3
    assert len(ids) == len(set(ids)) == pages[0]["total"]


def test_openreview_v1_notes_search_takes_ids(api, client):
    v1 = [p for p in api.world.papers if p.openreview and p.openreview_v1][:2]
    assert v1
    url = api.base("openreview-v1")
    answer = client.post(f"{url}/notes/search",
                         json={"ids": [p.openreview for p in v1] + ["Unkn0wnId1"]}).json()
    assert sorted(n["id"] for n in answer["notes"]) == sorted(p.openreview for p in v1)


def test_neurips_legacy_links_redirect_to_the_paper_page(api, client):
    paper = next(p for p in api.world.papers if p.neurips)
    year = paper.neurips[0]
    slug = normalise_title(paper.title).replace(" ", "-")
    root = api.base("neurips")
    for rest in (f"1234-{slug}", f"1234-{slug}.pdf"):
        response = client.get(f"{root}/paper/{rest}")
        assert response.status_code == 301
        assert f"/paper_files/paper/{year}/hash/{paper.neurips[1]}-Abstract" in (
            response.headers["location"])
    listed = [p for p in api.world.papers if p.neurips and p.neurips[0] == year]
    n = listed.index(paper) + 1
    followed = client.get(f"{root}/paper/by-source-{year}-{n}", follow_redirects=True)
    assert followed.status_code == 200 and paper.neurips[1] in str(followed.url)
    assert client.get(f"{root}/paper/by-source-{year}-9999").status_code == 404
