"""Semantic Scholar source: parsing and fetch() on every recorded S2 exchange.

Recorded cassettes: tests/fixtures/semanticscholar/danielnsilva-vcr/*.yaml and
tests/fixtures/semanticscholar/paperqa-vcr/*.yaml (every one is used below), plus the S2
exchanges inside tests/fixtures/openalex/paperqa-vcr (same tests, saved for OpenAlex).
Single-paper recordings (``GET /paper/{id}``) are served as the slots of a ``/paper/batch``
answer, which the docs say gives the same objects (API-NOTES.md part 2 §3).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
import pytest
from pydantic import SecretStr

from harvester.cache import RecordCache
from harvester.errors import Blocked, InvalidResponse, NotFound, RateLimited
from harvester.sources.base import Fetched, run_source
from harvester.sources.semanticscholar import (
    FIELDS,
    SemanticScholarSource,
    match_paper,
    normalise_title,
    parse_paper,
    parse_title_key,
    read_batch,
    read_error,
)
from tests.recordings import FIXTURES, Exchange, fixture, load_cassette

NOW = datetime(2026, 6, 1, tzinfo=UTC)
ROOT = "https://api.semanticscholar.org/graph/v1"
NOT_FOUND_BATCH = "test_get_papers_return_not_found.yaml"


def cassette(folder: str, name: str) -> list[Exchange]:
    """The S2 exchanges of one cassette (paper-qa ones also hold Crossref calls)."""
    exchanges = load_cassette(fixture("semanticscholar", folder, name))
    return [e for e in exchanges if e.url.startswith(ROOT)]


def daniel(name: str) -> list[Exchange]:
    return cassette("danielnsilva-vcr", name)


def paperqa(name: str) -> list[Exchange]:
    return cassette("paperqa-vcr", name)


def with_key(settings, key: str):
    return settings.model_copy(update={"s2_api_key": SecretStr(key)})


class Server:
    """MockTransport handler: each answer is a function of the request (it may assert on it)."""

    def __init__(self, *answers) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.answers.pop(0)(request)


def batch_answer(exchange: Exchange, ids: list[str]):
    """Serve a recorded exchange to our ``POST /paper/batch``, checking what we send."""

    def answer(request: httpx.Request) -> httpx.Response:
        assert request.method == "POST" and request.url.path == "/graph/v1/paper/batch"
        assert request.url.params["fields"] == FIELDS
        assert json.loads(request.content) == {"ids": ids}
        return exchange.response(request)

    return answer


def match_answer(exchange: Exchange, title: str):
    """Serve a recorded exchange to our ``GET /paper/search/match``, checking what we send."""

    def answer(request: httpx.Request) -> httpx.Response:
        assert request.method == "GET" and request.url.path == "/graph/v1/paper/search/match"
        assert dict(request.url.params) == {"query": title, "fields": FIELDS}
        return exchange.response(request)

    return answer


@pytest.fixture
def per_item(monkeypatch):
    """Title matches one by one, without bulk search first (``HARVEST_PER_ITEM``)."""
    monkeypatch.setenv("HARVEST_PER_ITEM", "semanticscholar")


def s2(make_http, server, settings) -> SemanticScholarSource:
    return SemanticScholarSource(make_http(server, settings), settings)


# --------------------------------------------------------------------------- batch by id


def test_batch_answers_null_for_an_unknown_id(make_http, settings, tmp_path):
    recorded = daniel(NOT_FOUND_BATCH)[0]
    keys = ["CorpusId:211530585", "CorpusId:470667", "DOI:10.2139/ssrn.2250500",
            "0f40b1f08821e22e859c6050916cec3667778613"]
    server = Server(batch_answer(recorded, keys))
    source = s2(make_http, server, settings)
    with RecordCache(tmp_path / "cache") as cache:
        results = run_source(source, keys, cache, "normal", NOW)
    assert len(server.requests) == 1
    assert "x-api-key" not in server.requests[0].headers
    assert results["CorpusId:211530585"].status == "not_found"
    first = results["CorpusId:470667"].record
    assert first["abstract"].startswith("Most Difference-in-Difference (DD) papers")
    assert {k: v for k, v in first.items() if k != "abstract"} == {
        "title": "How Much Should We Trust Differences-in-Differences Estimates?",
        "authors": ["Marianne Bertrand", "E. Duflo", "S. Mullainathan"],
        "year": 2001,
        "published": "2001-10-01",
        "venue": "Experimental & Empirical Studies eJournal",  # journal.name; venue is ""
        "status": "accepted",
        "ids": {"s2": "c31c87c591a25c64fbaa82e8ac6a81831b6ac7ce", "doi": "10.2139/ssrn.288970"},
        "landing_url": "https://www.semanticscholar.org/paper/"
        "c31c87c591a25c64fbaa82e8ac6a81831b6ac7ce",
        "citation_count": 10670,
        "influential_citation_count": 578,
    }
    last = results["0f40b1f08821e22e859c6050916cec3667778613"].record
    assert "venue" not in last and "status" not in last and "published" not in last
    assert last["citation_count"] == 0  # a real zero stays zero


def test_batch_of_three_with_authors_only(make_http, settings):
    recorded = daniel("test_get_papers.yaml")[0]
    keys = ["CorpusId:470667", "DOI:10.2139/ssrn.2250500",
            "0f40b1f08821e22e859c6050916cec3667778613"]
    outcomes = s2(make_http, Server(batch_answer(recorded, keys)), settings).fetch(keys, {})
    assert outcomes["CorpusId:470667"].data == {
        "authors": ["Marianne Bertrand", "E. Duflo", "S. Mullainathan"],
        "ids": {"s2": "c31c87c591a25c64fbaa82e8ac6a81831b6ac7ce"},
    }
    assert [len(outcomes[k].data["authors"]) for k in keys] == [3, 4, 3]


def test_single_paper_with_title_only():
    record = parse_paper(json.loads(daniel("test_get_paper.yaml")[0].body))
    assert record.model_dump(exclude_none=True) == {
        "title": "Computing Machinery and Intelligence",
        "ids": {"s2": "2d5673caa9e6af3a7b82a43f19ee920992db07ad"},
    }


def test_bulk_doi_search_with_the_biorxiv_doi_s2_folded_away(make_http, settings):
    recorded = paperqa("test_bulk_doi_search.yaml")
    keys = [f"DOI:{httpx.URL(e.url).path.split('/paper/DOI:')[1]}" for e in recorded]
    # the recorded single answers as batch slots: the 404 becomes the documented null slot
    slots = [json.loads(e.body) if e.status == 200 else None for e in recorded]
    batch = Exchange("POST", f"{ROOT}/paper/batch", {}, None, 200,
                     recorded[0].headers, json.dumps(slots).encode())
    outcomes = s2(make_http, Server(batch_answer(batch, keys)), settings).fetch(keys, {})
    assert [e.status for e in recorded] == [200, 200, 200, 404, 200, 200]
    assert outcomes["DOI:10.1101/2024.04.01.587366"] == Fetched(None)
    nmi = outcomes["DOI:10.1038/s42256-024-00832-8"].data
    assert nmi["venue"] == "Nature Machine Intelligence" and nmi["status"] == "accepted"
    assert nmi["ids"]["arxiv"] == "2304.05376"  # one merged record, preprint year
    assert nmi["year"] == 2023 and nmi["citation_count"] == 500
    assert "abstract" not in nmi  # not asked in the recording: unknown, not ""


def test_the_arxiv_doi_gives_a_preprint():
    recorded = paperqa("test_bulk_doi_search.yaml")
    arxiv = next(e for e in recorded if "10.48550" in e.url)
    record = parse_paper(json.loads(arxiv.body))
    assert record.ids == {"s2": "7e55d8701785818776323b4147cb13354c820469",
                          "arxiv": "2312.07559", "doi": "10.48550/arxiv.2312.07559"}
    assert record.venue is None and record.status == "preprint"  # "ArXiv" / "arXiv.org"
    assert record.published == "2023-12-08" and record.citation_count == 111


def test_the_journal_record_s2_folded_the_biorxiv_preprint_into():
    exchanges = load_cassette(
        fixture("openalex", "paperqa-vcr", "test_doi_search[paper_attributes0].yaml"))
    folded = next(e for e in exchanges if e.url.startswith(ROOT))
    record = parse_paper(json.loads(folded.body))
    assert record.venue == "Cell Genomics" and record.status == "accepted"  # venue is "bioRxiv"
    assert record.ids["doi"] == "10.1016/j.xgen.2025.100814"
    assert record.published == "2024-04-01" and record.citation_count == 5


def test_a_biorxiv_url_key_is_sent_as_is(make_http, settings):
    exchanges = load_cassette(
        fixture("openalex", "paperqa-vcr", "test_doi_search[paper_attributes0].yaml"))
    folded = next(e for e in exchanges if e.url.startswith(ROOT))
    key = "URL:https://www.biorxiv.org/content/10.1101/2024.04.01.587366"
    # documented shape (API-NOTES.md part 2 §5, the URL: fallback is documented-only): the
    # recorded journal record as the batch answer for the bioRxiv URL
    batch = Exchange("POST", f"{ROOT}/paper/batch", {}, None, 200, folded.headers,
                     b"[" + folded.body + b"]")
    outcome = s2(make_http, Server(batch_answer(batch, [key])), settings).fetch([key], {})[key]
    assert outcome.data["venue"] == "Cell Genomics"


def _recorded_papers(path):
    for exchange in load_cassette(path):
        if exchange.url.startswith(ROOT) and exchange.status == 200:
            body = json.loads(exchange.body)
            papers = body if isinstance(body, list) else body.get("data", [body])
            yield from (paper for paper in papers if paper is not None)


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("**/*.yaml")), ids=lambda p: p.stem)
def test_every_recorded_paper_parses(path):
    # one test per recording (the bulk pages hold 1,000 papers each)
    for paper in _recorded_papers(path):
        record = parse_paper(paper)
        assert record.ids["s2"] == paper["paperId"]
        assert record.title == paper.get("title")
        for name in ("citation_count", "year", "published", "abstract"):
            assert getattr(record, name) != ""


def test_unknown_id_404_is_not_taken_as_not_found_for_the_batch(make_http, settings, tmp_path):
    paper, author = daniel("test_not_found.yaml")
    assert read_error(paper.body) == "Paper with id 0 not found"
    assert read_error(author.body) == "Author with id 0 not found"
    keys = ["ARXIV:2310.16046", "DOI:10.1038/s41586-023-06031-6"]
    # the recorded 404 served to the batch endpoint (which answers unknown ids with null)
    server = Server(batch_answer(paper, keys))
    with RecordCache(tmp_path / "cache") as cache:
        results = run_source(s2(make_http, server, settings), keys, cache, "normal", NOW)
        assert cache.get("semanticscholar", keys[0]) is None
    assert {r.status for r in results.values()} == {"failed"}
    assert isinstance(results[keys[0]].error, InvalidResponse)


def test_bad_query_parameters_400_fails_the_batch(make_http, settings):
    recorded = daniel("test_bad_query_parameters.yaml")[0]
    keys = ["DOI:10.1093/mind/lix.236.433"]
    outcome = s2(make_http, Server(batch_answer(recorded, keys)), settings).fetch(keys, {})
    error = outcome[keys[0]]
    assert isinstance(error, InvalidResponse) and "HTTP 400" in error.message
    assert "fields" not in error.message  # no query string in messages


def test_bad_key_403_is_blocked_and_stops_the_title_lookups(per_item, make_http, settings):
    recorded = daniel("test_debug.yaml")[0]
    settings = with_key(settings, "F@k3K3y")
    keys = ["CorpusId:470667", "DOI:10.2139/ssrn.2250500",
            "0f40b1f08821e22e859c6050916cec3667778613"]
    title = "TITLE:2017:Attention is All you Need"
    server = Server(batch_answer(recorded, keys))
    outcomes = s2(make_http, server, settings).fetch([*keys, title], {})
    assert server.requests[0].headers["x-api-key"] == recorded.request_headers["x-api-key"]
    assert len(server.requests) == 1  # the title is not asked with a refused key
    for key in [*keys, title]:
        assert isinstance(outcomes[key], Blocked)
        assert "F@k3K3y" not in outcomes[key].message


@pytest.mark.parametrize(
    "body",
    [b"<html><body>Bad gateway</body></html>", b'{"data": []}', b"[null]",
     b'[null, null, null]'],
)
def test_answers_of_the_wrong_shape_fail_the_batch(make_http, settings, body):
    keys = ["ARXIV:2310.16046", "ARXIV:2311.00136"]
    built = Exchange("POST", f"{ROOT}/paper/batch", {}, None, 200, [], body)
    outcomes = s2(make_http, Server(batch_answer(built, keys)), settings).fetch(keys, {})
    assert all(isinstance(o, InvalidResponse) for o in outcomes.values())


def test_a_slot_that_is_not_a_paper_fails_only_its_key():
    slots = read_batch(b'[{"paperId": "abc", "title": "T"}, 7]', 2)
    assert parse_paper(slots[0]).title == "T"
    with pytest.raises(InvalidResponse):
        parse_paper(slots[1])


def test_429_costs_one_back_off_then_the_key_is_sent_again(make_http, settings, clock):
    recorded = daniel(NOT_FOUND_BATCH)[0]
    keys = ["CorpusId:211530585", "CorpusId:470667", "DOI:10.2139/ssrn.2250500",
            "0f40b1f08821e22e859c6050916cec3667778613"]
    # documented shape (API-NOTES.md part 2 §3 "Rate limits"), not recorded: 429, no Retry-After
    throttled = Exchange("POST", f"{ROOT}/paper/batch", {}, None, 429,
                         [("Content-Type", "application/json")],
                         b'{"message":"Too Many Requests. Please wait and try again or apply for '
                         b'a key for higher rate limits. https://www.semanticscholar.org/product/'
                         b'api#api-key-form","code":"429"}')
    server = Server(batch_answer(throttled, keys), batch_answer(recorded, keys))
    source = s2(make_http, server, with_key(settings, "k-123"))
    outcomes = source.fetch(keys, {})
    assert [r.headers["x-api-key"] for r in server.requests] == ["k-123", "k-123"]
    assert clock.sleeps == [1.0]  # 2**0 × (0.5 + jitter 0.5): the layer's own back-off
    assert source.http.stats("semanticscholar").retries == 1
    assert outcomes["CorpusId:470667"].data["citation_count"] == 10670


def test_429_that_never_ends_spends_the_budget_and_fails_the_batch(make_http, settings, clock):
    throttled = Exchange("POST", f"{ROOT}/paper/batch", {}, None, 429, [], b'{"code":"429"}')
    keys = ["ARXIV:2310.16046"]
    server = Server(*[batch_answer(throttled, keys)] * 20)
    source = s2(make_http, server, settings)
    outcome = source.fetch(keys, {})[keys[0]]
    assert isinstance(outcome, RateLimited)
    assert source.http.exhausted("semanticscholar") and sum(clock.sleeps) <= 90


# --------------------------------------------------------------------------- title match


def test_title_match_accepts_the_same_title(per_item, make_http, settings):
    recorded = daniel("test_search_paper_match_title.yaml")[0]
    title = "Mining association rules between sets of items in large databases"
    key = f"TITLE::{title}"
    outcome = s2(make_http, Server(match_answer(recorded, title)), settings).fetch([key], {})
    assert outcome[key].data == {"title": title,
                                 "ids": {"s2": "6fe8c5bf8dddaadf10c765133d38dfef5714347f"}}


def test_title_match_refuses_a_longer_title_and_an_unchecked_year(per_item, make_http, settings):
    recorded = daniel("test_search_paper_match_title.yaml")[0]
    partial = "mining association rules between"  # the recorded query
    full = "Mining association rules between sets of items in large databases"
    server = Server(match_answer(recorded, partial), match_answer(recorded, full))
    keys = [f"TITLE::{partial}", f"TITLE:1993:{full}"]
    outcomes = s2(make_http, server, settings).fetch(keys, {})
    assert outcomes == {keys[0]: Fetched(None), keys[1]: Fetched(None)}  # answer has no year


def test_title_not_found_404_and_a_near_title(per_item, make_http, settings):
    missing, near = paperqa("test_bad_titles.yaml")
    assert read_error(missing.body) == "Title match not found"
    asked = "Effect of native oxide layers on copper thin-film tensile properties: A study"
    server = Server(match_answer(missing, "askldjrq3rjaw938h"), match_answer(near, asked))
    keys = ["TITLE::askldjrq3rjaw938h", f"TITLE:2015:{asked}"]
    outcomes = s2(make_http, server, settings).fetch(keys, {})
    assert outcomes == {keys[0]: Fetched(None), keys[1]: Fetched(None)}  # not the same paper


@pytest.mark.parametrize(("year", "kept"), [(None, True), (2014, True), (2016, True),
                                            (2013, False), (2017, False)])
def test_title_match_year_tolerance(year, kept):
    near = paperqa("test_bad_titles.yaml")[1]
    title = ("effect of native oxide layers on copper thin film tensile properties "
             "a reactive molecular dynamics study")
    record = match_paper(near.body, title, year)
    assert (record is not None) is kept
    if record:
        assert record.venue == "Journal of Applied Physics" and record.status == "accepted"
        assert record.ids["doi"] == "10.1063/1.4938384" and record.published == "2015-12-21"


def test_title_match_of_a_neurips_paper_known_by_arxiv(per_item, make_http, settings):
    recorded = paperqa("test_arxiv_doi_is_used_when_available.yaml")[0]
    key = "TITLE:2017:Attention Is All You Need"
    server = Server(match_answer(recorded, "Attention Is All You Need"))
    record = s2(make_http, server, settings).fetch([key], {})[key].data
    assert record["venue"] == "Neural Information Processing Systems"
    assert record["status"] == "accepted"
    assert record["ids"] == {"s2": "204e3073870fae3d05bcbc2f6a8e263d9b72e776",
                             "arxiv": "1706.03762"}  # no DOI
    assert record["citation_count"] == 136941 and record["published"] == "2017-06-12"


def test_a_404_without_s2_error_body_is_invalid(per_item, make_http, settings):
    key = "TITLE::Some title"
    html = Exchange("GET", f"{ROOT}/paper/search/match", {}, None, 404,
                    [("Content-Type", "text/html")], b"<html>Not Found</html>")
    outcome = s2(make_http, Server(match_answer(html, "Some title")), settings).fetch([key], {})
    assert isinstance(outcome[key], InvalidResponse)


def test_an_empty_match_list_is_no_match():
    # defensive: neither recorded nor documented
    assert match_paper(b'{"data": []}', "Any title", None) is None
    with pytest.raises(InvalidResponse):
        match_paper(b'{"error": "odd"}', "Any title", None)


# --------------------------------------------------------------------------- keys and venue


def test_ids_and_titles_of_one_batch(per_item, make_http, settings):
    recorded_batch = daniel("test_get_papers.yaml")[0]
    recorded_match = daniel("test_search_paper_match_title.yaml")[0]
    ids = ["CorpusId:470667", "DOI:10.2139/ssrn.2250500",
           "0f40b1f08821e22e859c6050916cec3667778613"]
    title = "Mining association rules between sets of items in large databases"
    server = Server(batch_answer(recorded_batch, ids), match_answer(recorded_match, title))
    keys = [ids[0], f"TITLE::{title}", *ids[1:]]
    outcomes = s2(make_http, server, settings).fetch(keys, {})
    assert len(server.requests) == 2 and set(outcomes) == set(keys)


@pytest.mark.parametrize(
    "key",
    ["2310.16046", "arxiv-2310.16046", "DOI:", "TITLE:abc:Some title", "TITLE:2023:",
     "TITLE:2023:!!! ...", "TITLE:no year separator", "OPENREVIEW:abc"],
)
def test_keys_it_cannot_ask_are_not_found_without_a_request(make_http, settings, key):
    server = Server()
    outcome = s2(make_http, server, settings).fetch([key], {})[key]
    assert isinstance(outcome, NotFound) and server.requests == []


def test_title_keys():
    assert parse_title_key("TITLE:2023:A  title: with colon") == (2023, "A title: with colon")
    assert parse_title_key("TITLE::Untimed") == (None, "Untimed")
    assert normalise_title("Élan: the “Best”—Net!") == normalise_title("elan THE best net")


@pytest.mark.parametrize(
    ("fields", "venue", "status"),
    [
        # documented shapes (API-NOTES.md part 2 §3 "Fields"): venue strings and objects
        ({"publicationVenue": {"name": "ICLR"}, "journal": {"name": "ArXiv"}, "venue": "x"},
         "ICLR", "accepted"),
        ({"journal": {"name": "ArXiv", "volume": "abs/2310.16046"},
          "venue": "Neural Information Processing Systems"},
         "Neural Information Processing Systems", "accepted"),
        ({"venue": "medRxiv"}, None, "preprint"),
        ({"venue": "bioRxiv", "journal": {"name": "bioRxiv"}}, None, "preprint"),
        ({"venue": "ARXIV.ORG"}, None, "preprint"),
        ({"venue": "", "journal": None, "publicationVenue": None}, None, None),
        ({}, None, None),
    ],
)
def test_venue_and_status(fields, venue, status):
    record = parse_paper({"paperId": "p", **fields})
    assert (record.venue, record.status) == (venue, status)


@pytest.mark.parametrize(
    "paper",
    [None, [], {"title": "no id"}, {"paperId": ""}],
)
def test_parse_paper_rejects_what_is_not_a_paper(paper):
    with pytest.raises(InvalidResponse):
        parse_paper(paper)


def test_wrong_types_are_unknown_not_wrong():
    record = parse_paper({"paperId": "p", "year": "2023", "citationCount": True,
                          "publicationDate": "2023-02-30", "authors": [{"name": ""}, "x"],
                          "externalIds": {"DOI": 5}})
    assert record.model_dump(exclude_none=True) == {"ids": {"s2": "p"}}


# --------------------------------------------------------------------------- bulk title search
#
# The paging (1,000 papers a page, ``token`` until null) is recorded in
# tests/fixtures/semanticscholar-bulk. Bulk answers to *our* queries were not recorded: they are
# the documented shape ``{"total", "token", "data"}`` holding recorded paper objects.

from harvester.sources.semanticscholar import (  # noqa: E402
    bulk_matches,
    bulk_query,
    read_bulk,
    title_chunks,
)


def bulk_pages(name: str) -> list[Exchange]:
    return load_cassette(fixture("semanticscholar-bulk", name))


def test_recorded_bulk_pages_chain_their_tokens_to_null():
    pages = bulk_pages("test_search_paper_bulk_retrieval_sorted_results_default_order.yaml")
    read = [read_bulk(page.body) for page in pages]
    assert [len(papers) for papers, _ in read] == [1000, 1000, 674]
    assert all(token for _, token in read[:-1]) and read[-1][1] is None
    for (_, token), following in zip(read, pages[1:], strict=False):
        assert httpx.URL(following.url).params["token"] == token
    assert all(isinstance(p["paperId"], str) for papers, _ in read for p in papers)


ATTENTION = "Attention Is All You Need"
OXIDE = ("Effect of native oxide layers on copper thin-film tensile properties: A reactive "
         "molecular dynamics study")


def recorded_paper(name: str, index: int = 0) -> dict:
    return json.loads(paperqa(name)[index].body)["data"][0]


def bulk_page(papers: list[dict], token: str | None = None) -> bytes:
    return json.dumps({"total": len(papers), "token": token, "data": papers}).encode()


def bulk_answer(papers: list[dict], token: str | None = None, check=None):
    def answer(request: httpx.Request) -> httpx.Response:
        assert request.method == "GET" and request.url.path == "/graph/v1/paper/search/bulk"
        assert request.url.params["fields"] == FIELDS
        if check:
            check(request)
        return httpx.Response(200, content=bulk_page(papers, token))

    return answer


def test_titles_are_asked_in_one_bulk_query_and_checked_like_a_match(make_http, settings):
    attention = recorded_paper("test_arxiv_doi_is_used_when_available.yaml")
    oxide = recorded_paper("test_bad_titles.yaml", 1)
    # an abstract quoting a title matches the query too: a different title is no answer
    quoting = {**attention, "paperId": "f" * 40, "title": "Transformers, a survey",
               "year": 2017}
    missing = "A title bulk search does not find"

    def check(request: httpx.Request) -> None:
        # sorted by year, so the year range of a call stays narrow
        assert request.url.params["query"] == (f'"{OXIDE}" | "{ATTENTION}" | "{missing}"')
        assert request.url.params["year"] == "2014-2021"

    recorded_match = daniel("test_search_paper_match_title.yaml")[0]
    server = Server(bulk_answer([quoting, oxide, attention], check=check),
                    lambda request: recorded_match.response(request))
    keys = [f"TITLE:2017:{ATTENTION}", f"TITLE:2015:{OXIDE}", f"TITLE:2020:{missing}"]
    outcomes = s2(make_http, server, settings).fetch(keys, {})

    assert [r.url.path.rsplit("/", 1)[1] for r in server.requests] == ["bulk", "match"]
    assert server.requests[1].url.params["query"] == missing  # only the title bulk missed
    assert outcomes[keys[0]].data["ids"]["s2"] == "204e3073870fae3d05bcbc2f6a8e263d9b72e776"
    assert outcomes[keys[1]].data["ids"]["doi"] == "10.1063/1.4938384"
    assert outcomes[keys[2]] == Fetched(None)  # the recorded match is another title


def test_bulk_answers_the_same_records_as_a_single_match(make_http, settings):
    recorded = paperqa("test_arxiv_doi_is_used_when_available.yaml")[0]
    single = match_paper(recorded.body, ATTENTION, 2017)
    bulk = bulk_matches([json.loads(recorded.body)["data"][0]], {"k": (2017, ATTENTION)})
    assert bulk["k"] == single


@pytest.mark.parametrize(("year", "kept"), [(None, True), (2016, True), (2018, True),
                                            (2015, False), (2019, False)])
def test_bulk_year_tolerance(year, kept):
    attention = recorded_paper("test_arxiv_doi_is_used_when_available.yaml")
    assert ("k" in bulk_matches([attention], {"k": (year, ATTENTION)})) is kept


def test_bulk_follows_the_token_until_every_title_is_found(make_http, settings):
    attention = recorded_paper("test_arxiv_doi_is_used_when_available.yaml")
    other = {**attention, "paperId": "e" * 40, "title": "Something else"}
    server = Server(
        bulk_answer([other], token="NEXT"),
        bulk_answer([attention], token="MORE",
                    check=lambda r: r.url.params["token"] == "NEXT" or pytest.fail("token")),
    )
    key = f"TITLE:2017:{ATTENTION}"
    outcomes = s2(make_http, server, settings).fetch([key], {})
    assert len(server.requests) == 2  # found on page 2: page 3 ("MORE") is not read
    assert outcomes[key].data["title"] == "Attention is All you Need"  # as S2 spells it


def test_a_refused_key_blocks_bulk_and_every_title(make_http, settings):
    settings = with_key(settings, "F@k3K3y")
    server = Server(lambda request: httpx.Response(403, json={"message": "Forbidden"}))
    keys = [f"TITLE:2017:{ATTENTION}", f"TITLE:2015:{OXIDE}"]
    outcomes = s2(make_http, server, settings).fetch(keys, {})
    assert len(server.requests) == 1
    assert all(isinstance(outcomes[k], Blocked) for k in keys)


def test_title_chunks_and_query_quoting():
    titles = {f"k{i}": (2000 + i % 7, f"Title number {i}") for i in range(60)}
    chunks = title_chunks(titles)
    assert [len(c) for c in chunks] == [25, 25, 10]
    years = [titles[k][0] for c in chunks for k in c]
    assert years == sorted(years)
    long = {f"k{i}": (2020, "word " * 100) for i in range(10)}
    assert all(sum(len(long[k][1]) + 5 for k in c) <= 3000 for c in title_chunks(long))
    assert bulk_query(['A "quoted" word', "B | C"]) == '"A quoted word" | "B | C"'
