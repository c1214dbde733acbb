"""bioRxiv / medRxiv source.

No byte-exact bioRxiv response was ever recorded (tests/fixtures/PROVENANCE-part1.md): every body
here is a documented shape (API-NOTES.md §3), not recorded — built by hand in
tests/fixtures/biorxiv (see its README) or inline below.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
import pytest

from harvester.cache import RecordCache
from harvester.errors import InvalidResponse, Unavailable
from harvester.sources.base import Fetched, run_source
from harvester.sources.biorxiv import BiorxivSource, parse_details, split_key
from tests.recordings import fixture

NOW = datetime(2026, 5, 1, tzinfo=UTC)


def body(name: str) -> bytes:
    return fixture("biorxiv", name).read_bytes()


# --------------------------------------------------------------------------- parse_details


def test_latest_version_with_posting_date_of_the_first():
    record = parse_details(body("details_biorxiv_two_versions.json"))
    assert record.title == "An example preprint: revised version"  # last item, normalised
    assert record.abstract == "Revised abstract, with more results."
    assert record.authors == ["A. Lovelace", "A. M. Turing", "J. van der Berg", "G. Hopper"]
    assert record.version == "2"
    assert record.published == "2024-01-15"  # v1's date: the posting date
    assert record.year == 2024
    assert record.venue == "bioRxiv"
    assert record.status == "preprint"
    assert record.ids == {"biorxiv": "10.1101/2024.01.15.575001"}
    assert record.landing_url == "https://www.biorxiv.org/content/10.1101/2024.01.15.575001v2"
    assert record.pdf_url == "https://www.biorxiv.org/content/10.1101/2024.01.15.575001v2.full.pdf"
    assert record.published_doi is None  # "NA"


def test_published_journal_doi_lower_cased():
    record = parse_details(body("details_biorxiv_published.json"))
    assert record.published_doi == "10.1038/s41586-025-00001-x"
    assert record.ids == {
        "biorxiv": "10.1101/2023.03.21.500001",
        "doi": "10.1038/s41586-025-00001-x",
    }
    assert record.status == "preprint"  # the pipeline upgrades it with the journal record
    assert record.venue == "bioRxiv"  # server spelled "bioRxiv"
    assert record.authors == ["K. Johnson", "D. Vaughan"]


def test_medrxiv_item():
    record = parse_details(body("details_medrxiv.json"), server="medrxiv")
    assert record.venue == "medRxiv"
    assert record.landing_url == "https://www.medrxiv.org/content/10.1101/2023.05.10.23289001v1"
    assert record.pdf_url.endswith("23289001v1.full.pdf")
    assert record.authors == ["F. Nightingale"]


def test_new_openrxiv_prefix():
    record = parse_details(body("details_biorxiv_new_prefix.json"))
    assert record.ids == {"biorxiv": "10.64898/2026.02.10.700001"}
    assert record.landing_url == "https://www.biorxiv.org/content/10.64898/2026.02.10.700001v1"
    assert record.authors == ["R. E. Franklin"]
    assert record.year == 2026


def test_no_posts_found_is_none():
    assert parse_details(body("details_not_found.json")) is None


def test_accepts_a_parsed_dict_with_integer_version():
    # documented shape (API-NOTES.md §3 "Response"), not recorded: version as a number
    data = json.loads(body("details_biorxiv_published.json"))
    data["collection"][0]["version"] = 3
    data["collection"][0]["published"] = "https://doi.org/10.1038/S41586-025-00001-X"
    record = parse_details(data)
    assert record.version == "3"
    assert record.published_doi == "10.1038/s41586-025-00001-x"


def test_author_names_without_comma_kept_as_written():
    data = json.loads(body("details_medrxiv.json"))
    data["collection"][0]["authors"] = "The Example Consortium; Curie, M.;"
    assert parse_details(data).authors == ["The Example Consortium", "M. Curie"]


@pytest.mark.parametrize(
    "bad",
    [
        b"<html><body>502 Bad Gateway</body></html>",
        b"",
        b"[]",
        b'{"messages": [{"status": "ok"}], "collection": []}',  # empty but not "no posts found"
        b'{"messages": [{"status": "ok"}], "collection": "none"}',
        b'{"messages": [{"status": "ok"}], "collection": [1]}',
        b'{"messages": [{"status": "ok"}], "collection": [{"title": "no doi"}]}',
        b'{"messages": [], "collection": [{"doi": "10.1101/x", "title": 5}]}',
    ],
)
def test_unexpected_bodies_are_invalid(bad):
    with pytest.raises(InvalidResponse):
        parse_details(bad)


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("10.1101/2025.02.02.634313", ("biorxiv", "10.1101/2025.02.02.634313")),
        ("medrxiv:10.1101/2023.05.10.23289001", ("medrxiv", "10.1101/2023.05.10.23289001")),
        ("medRxiv:10.1101/2023.05.10.23289001", ("medrxiv", "10.1101/2023.05.10.23289001")),
        ("10.64898/2026.02.10.700001", ("biorxiv", "10.64898/2026.02.10.700001")),
    ],
)
def test_split_key(key, expected):
    assert split_key(key) == expected


# --------------------------------------------------------------------------- fetch()

ROUTES = {
    "/details/biorxiv/10.1101/2024.01.15.575001/na/json": "details_biorxiv_two_versions.json",
    "/details/medrxiv/10.1101/2023.05.10.23289001/na/json": "details_medrxiv.json",
    "/details/biorxiv/10.1101/2023.05.10.23289001/na/json": "details_not_found.json",
    "/details/biorxiv/10.1101/2099.01.01.000000/na/json": "details_not_found.json",
}


@pytest.fixture
def per_item(monkeypatch):
    """The bioRxiv API alone, without Crossref first (``HARVEST_PER_ITEM=biorxiv``)."""
    monkeypatch.setenv("HARVEST_PER_ITEM", "biorxiv")


def api(seen: list[httpx.Request]):
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        assert request.method == "GET"
        assert request.url.host == "api.biorxiv.org"
        return httpx.Response(200, content=body(ROUTES[request.url.path]))

    return handler


def test_fetch_one_request_per_key_on_the_right_server(per_item, make_http, settings):
    seen: list[httpx.Request] = []
    source = BiorxivSource(make_http(api(seen)), settings)
    keys = [
        "10.1101/2024.01.15.575001",
        "medrxiv:10.1101/2023.05.10.23289001",
        "10.1101/2099.01.01.000000",
    ]
    outcomes = source.fetch(keys, {})
    assert [r.url.path for r in seen] == [
        "/details/biorxiv/10.1101/2024.01.15.575001/na/json",
        "/details/medrxiv/10.1101/2023.05.10.23289001/na/json",
        "/details/biorxiv/10.1101/2099.01.01.000000/na/json",
    ]
    assert outcomes["10.1101/2024.01.15.575001"].data["version"] == "2"
    assert outcomes["medrxiv:10.1101/2023.05.10.23289001"].data["venue"] == "medRxiv"
    assert outcomes["10.1101/2099.01.01.000000"] == Fetched(None)


def test_fetch_unprefixed_medrxiv_doi_is_not_guessed(per_item, make_http, settings):
    seen: list[httpx.Request] = []
    source = BiorxivSource(make_http(api(seen)), settings)
    outcomes = source.fetch(["10.1101/2023.05.10.23289001"], {})
    assert len(seen) == 1  # bioRxiv only; medRxiv is not tried
    assert outcomes["10.1101/2023.05.10.23289001"] == Fetched(None)


def test_fetch_answer_for_another_doi_is_invalid(per_item, make_http, settings):
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body("details_biorxiv_published.json"))

    source = BiorxivSource(make_http(handler), settings)
    outcomes = source.fetch(["10.1101/2024.01.15.575001"], {})
    assert isinstance(outcomes["10.1101/2024.01.15.575001"], InvalidResponse)


def test_fetch_failure_of_one_key_is_reported_per_key(per_item, make_http, settings):
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if "575001" in request.url.path:
            return httpx.Response(503)
        return httpx.Response(200, content=body("details_medrxiv.json"))

    settings.sources["biorxiv"] = settings.sources["biorxiv"].model_copy(
        update={"retry_budget": 0.0}
    )
    source = BiorxivSource(make_http(handler, settings), settings)
    outcomes = source.fetch(
        ["10.1101/2024.01.15.575001", "medrxiv:10.1101/2023.05.10.23289001"], {}
    )
    assert isinstance(outcomes["10.1101/2024.01.15.575001"], Unavailable)
    # the budget is spent, so the second key fails fast without a request, per key
    assert isinstance(outcomes["medrxiv:10.1101/2023.05.10.23289001"], Unavailable)
    assert len(seen) == 1


def test_run_source_caches_and_warm_run_makes_no_request(per_item, make_http, settings, tmp_path):
    seen: list[httpx.Request] = []
    source = BiorxivSource(make_http(api(seen)), settings)
    keys = ["10.1101/2024.01.15.575001", "10.1101/2099.01.01.000000"]
    with RecordCache(tmp_path / "cache") as cache:
        first = run_source(source, keys, cache, "normal", NOW)
        again = run_source(source, keys, cache, "normal", NOW)
    assert first["10.1101/2024.01.15.575001"].status == "ok"
    assert first["10.1101/2099.01.01.000000"].status == "not_found"
    assert again["10.1101/2024.01.15.575001"].record == first["10.1101/2024.01.15.575001"].record
    assert len(seen) == 2


# --------------------------------------------------------------------------- through Crossref
#
# The Crossref record is the recorded posted-content work of a bioRxiv DOI
# (tests/fixtures/crossref-batch); the work-list around it is the documented shape (no multi-DOI
# answer was recorded). bioRxiv API answers are documented shapes, as above.

from harvester.sources.biorxiv import parse_crossref_preprint  # noqa: E402

RECORDED_DOI = "10.1101/2024.04.01.587366"


def crossref_message() -> dict:
    raw = fixture("crossref-batch",
                  "works_10.1101_2024.04.01.587366_biorxiv_posted-content_is-preprint-of.json")
    return json.loads(raw.read_bytes())["message"]


def work_list(items: list[dict]) -> dict:
    return {"status": "ok", "message-type": "work-list", "message-version": "1.0.0",
            "message": {"facets": {}, "total-results": len(items), "items": items,
                        "items-per-page": 20, "query": {"start-index": 0, "search-terms": None}}}


def test_crossref_posted_content_gives_the_biorxiv_record_shape():
    record = parse_crossref_preprint(crossref_message())
    assert record.title == ("High-throughput screening of human genetic variants by pooled "
                            "prime editing")
    assert record.authors[:2] == ["Michael Herger", "Christina M. Kajba"]
    assert record.abstract.startswith("Understanding the effects of rare genetic variants")
    assert "ABSTRACT" not in record.abstract[:20] and "<" not in record.abstract
    assert record.published == "2024-04-01" and record.year == 2024
    assert record.venue == "bioRxiv"
    assert record.status == "preprint"
    assert record.ids == {"biorxiv": RECORDED_DOI, "doi": "10.1016/j.xgen.2025.100814"}
    assert record.published_doi == "10.1016/j.xgen.2025.100814"
    assert record.landing_url == f"https://www.biorxiv.org/content/{RECORDED_DOI}"
    assert record.pdf_url == f"https://www.biorxiv.org/content/{RECORDED_DOI}.full.pdf"
    assert record.version is None  # Crossref does not say which version is the latest
    # the keys a bioRxiv API record has, no more
    api_keys = set(parse_details(body("details_biorxiv_published.json")).model_dump(
        mode="json", exclude_none=True))
    assert set(record.model_dump(mode="json", exclude_none=True)) <= api_keys


def test_a_journal_article_is_no_preprint_record():
    message = crossref_message() | {"type": "journal-article"}
    assert parse_crossref_preprint(message) is None


def test_institution_names_the_server():
    message = crossref_message() | {"institution": [{"name": "medRxiv"}]}
    record = parse_crossref_preprint(message, "biorxiv")
    assert record.venue == "medRxiv"
    assert record.landing_url.startswith("https://www.medrxiv.org/content/")


def test_fetch_asks_crossref_in_one_batch_and_biorxiv_only_for_what_it_lacks(make_http,
                                                                              settings):
    seen: list[httpx.Request] = []
    known = crossref_message()
    no_abstract = {k: v for k, v in known.items() if k != "abstract"} | {
        "DOI": "10.1101/2024.01.15.575001"}

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.host == "api.crossref.org" and request.url.path == "/works":
            return httpx.Response(200, json=work_list([known, no_abstract]))
        if request.url.host == "api.crossref.org":
            return httpx.Response(404, text="Resource not found.")
        return httpx.Response(200, content=body(ROUTES[request.url.path]))

    source = BiorxivSource(make_http(handler), settings)
    keys = [RECORDED_DOI, "10.1101/2024.01.15.575001", "10.1101/2099.01.01.000000"]
    outcomes = source.fetch(keys, {})

    hosts = [(r.url.host, r.url.path) for r in seen]
    assert hosts[0][0] == "api.crossref.org"
    assert seen[0].url.params["filter"] == ",".join(f"doi:{k}" for k in keys)
    # absent from the list: asked alone at Crossref once (404), then at bioRxiv
    assert ("api.crossref.org", "/works/10.1101/2099.01.01.000000") in hosts
    assert ("api.biorxiv.org", "/details/biorxiv/10.1101/2024.01.15.575001/na/json") in hosts
    assert ("api.biorxiv.org", "/details/biorxiv/10.1101/2099.01.01.000000/na/json") in hosts
    assert not any(h == "api.biorxiv.org" and RECORDED_DOI in p for h, p in hosts)
    assert outcomes[RECORDED_DOI].data["venue"] == "bioRxiv"
    assert outcomes["10.1101/2024.01.15.575001"].data["version"] == "2"  # the API's record
    assert outcomes["10.1101/2099.01.01.000000"] == Fetched(None)
    # the Crossref requests went through the crossref lane, so they share its pace
    assert source.http.stats("crossref").requests == 2


def test_when_crossref_fails_the_lookup_fails_without_switching_service(make_http, settings):
    from harvester.cache import CachedRecord

    settings.sources["crossref"] = settings.sources["crossref"].model_copy(
        update={"retry_budget": 0.0})
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(503)

    key = "10.1101/2024.01.15.575001"
    previous = CachedRecord("ok", {"title": "kept"}, "2026-04-01T00:00:00Z", {})
    outcomes = BiorxivSource(make_http(handler, settings), settings).fetch([key], {key: previous})
    assert [r.url.host for r in seen] == ["api.crossref.org"]  # no switch of service
    assert isinstance(outcomes[key], Unavailable) and outcomes[key].source == "crossref"
