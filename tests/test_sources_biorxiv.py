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


def api(seen: list[httpx.Request]):
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        assert request.method == "GET"
        assert request.url.host == "api.biorxiv.org"
        return httpx.Response(200, content=body(ROUTES[request.url.path]))

    return handler


def test_fetch_one_request_per_key_on_the_right_server(make_http, settings):
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


def test_fetch_unprefixed_medrxiv_doi_is_not_guessed(make_http, settings):
    seen: list[httpx.Request] = []
    source = BiorxivSource(make_http(api(seen)), settings)
    outcomes = source.fetch(["10.1101/2023.05.10.23289001"], {})
    assert len(seen) == 1  # bioRxiv only; medRxiv is not tried
    assert outcomes["10.1101/2023.05.10.23289001"] == Fetched(None)


def test_fetch_answer_for_another_doi_is_invalid(make_http, settings):
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body("details_biorxiv_published.json"))

    source = BiorxivSource(make_http(handler), settings)
    outcomes = source.fetch(["10.1101/2024.01.15.575001"], {})
    assert isinstance(outcomes["10.1101/2024.01.15.575001"], InvalidResponse)


def test_fetch_failure_of_one_key_is_reported_per_key(make_http, settings):
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


def test_run_source_caches_and_warm_run_makes_no_request(make_http, settings, tmp_path):
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
