"""OpenAlex source: parsing on every recorded OpenAlex exchange, and fetch() end to end.

Recorded: the paper-qa cassettes in tests/fixtures/openalex/paperqa-vcr (single works, a 404
HTML page, a ``select=``-trimmed work and a ``title.search`` list). The semanticscholar cassettes
hold no OpenAlex exchange (``test_every_recorded_exchange_parses`` scans them all). The batch
``filter=doi:a|b`` answer is documented-only: it is built here from recorded works wrapped in the
recorded list envelope.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
import pytest
from pydantic import SecretStr

from harvester.cache import RecordCache
from harvester.errors import Blocked, InvalidResponse, NotFound
from harvester.sources.base import Fetched, run_source
from harvester.sources.openalex import (
    OpenAlexSource,
    abstract_text,
    parse_list,
    parse_single,
    parse_work,
    single_url,
)
from tests.recordings import FIXTURES, Exchange, fixture, load_cassette

NOW = datetime(2026, 6, 1, tzinfo=UTC)
ROOT = "https://api.openalex.org"
SECRET = "sekret-openalex-key"


def exchange(name: str, index: int) -> Exchange:
    return load_cassette(fixture("openalex", "paperqa-vcr", name))[index]


def work(name: str) -> dict:
    """The recorded Work of a single-work cassette (interaction #2 of the doi_search ones)."""
    return json.loads(exchange(name, 2).body)


XGEN = "test_doi_search[paper_attributes0].yaml"  # 10.1016/j.xgen.2025.100814, abstract null
ADDR = "test_doi_search[paper_attributes3].yaml"  # 10.1016/j.addr.2015.01.008, abstract present
TITLE_SEARCH = "test_title_search[paper_attributes2].yaml"
NOT_FOUND = "test_does_openalex_work[not-in-openalex].yaml"
TRIMMED = "test_does_openalex_work[oa-in-openalex1].yaml"


def batch_body(*works: dict, count: int | None = None) -> bytes:
    # documented shape (API-NOTES.md part 2 §4 "Batch lookup"), not recorded: recorded works in
    # the recorded list envelope of test_title_search (meta: count, db_response_time_ms, page,
    # per_page, groups_count)
    meta = {"count": len(works) if count is None else count, "db_response_time_ms": 12,
            "page": 1, "per_page": 100, "groups_count": None}
    return json.dumps({"meta": meta, "results": list(works)}).encode()


@pytest.fixture
def keyed(settings):
    return settings.model_copy(update={"openalex_api_key": SecretStr(SECRET)})


# --------------------------------------------------------------------------- recorded works


def test_journal_work_with_null_abstract():
    record = parse_work(work(XGEN))
    assert record.title == (
        "High-throughput screening of human genetic variants by pooled prime editing"
    )
    assert record.abstract is None  # abstract_inverted_index: null
    assert record.authors == ["Michael Herger", "Christina M. Kajba", "Megan Buckley",
                              "Ana Cunha", "Molly Strom", "Gregory M. Findlay"]
    assert record.year == 2025
    assert record.published == "2025-03-01"
    assert record.venue == "Cell Genomics"
    assert record.status == "published"
    assert record.work_type == "article"
    assert record.ids == {"openalex": "W4408732759", "doi": "10.1016/j.xgen.2025.100814"}
    assert record.citation_count == 3
    assert record.landing_url == "https://doi.org/10.1016/j.xgen.2025.100814"
    assert record.pdf_url is None


def test_abstract_rebuilt_from_inverted_index():
    raw = work(ADDR)
    record = parse_work(raw)
    positions = sum(len(places) for places in raw["abstract_inverted_index"].values())
    assert len(record.abstract.split()) == positions
    assert record.abstract.startswith("Pharmacokinetic properties of oligonucleotides are")
    assert record.abstract.endswith("ultimate potency of antisense oligonucleotides in the future.")
    assert record.work_type == "review"
    assert record.citation_count == 750
    assert record.authors[1] == "Daniel A. Norris"


def test_recorded_list_journal_version_and_preprint_are_two_works():
    records, complete = parse_list(exchange(TITLE_SEARCH, 3).body)
    assert complete
    journal, preprint = records
    assert journal.ids == {"openalex": "W4396723768", "doi": "10.1038/s42256-024-00832-8"}
    assert journal.citation_count == 236
    assert journal.pdf_url == "https://www.nature.com/articles/s42256-024-00832-8.pdf"
    # the index starts with the publisher's leaked "Abstract" title
    assert journal.abstract.startswith("Large language models (LLMs) have shown strong")

    assert preprint.ids == {"openalex": "W4365597205", "doi": "10.48550/arxiv.2304.05376"}
    assert preprint.status == "preprint"
    assert preprint.venue is None  # "arXiv (Cornell University)" is a repository
    assert preprint.year == 2023
    assert preprint.published is None  # "2023-01-01": a padded year
    assert preprint.landing_url == "https://arxiv.org/abs/2304.05376"
    assert preprint.citation_count == 106
    assert preprint.authors == ["Andres M Bran", "Sam Cox", "Andrew Dickson White",
                                "Philippe Schwaller"]


def test_single_404_html_page_is_not_found():
    recorded = exchange(NOT_FOUND, 0)
    assert recorded.status == 404 and recorded.body.startswith(b"<!doctype html>")
    assert parse_single(recorded.response()) is None


def test_trimmed_single_work_has_only_what_was_selected():
    record = parse_single(exchange(TRIMMED, 0).response())
    assert record.ids == {"doi": "10.1021/acs.jctc.5b00178"}
    assert record.citation_count is None  # not selected: unknown, never 0
    assert record.title is None and record.authors is None


def openalex_exchanges() -> list:
    found = []
    for path in sorted(FIXTURES.glob("**/*.yaml")):
        for i, recorded in enumerate(load_cassette(path)):
            if recorded.url.startswith(f"{ROOT}/"):
                found.append(pytest.param(recorded, id=f"{path.parent.name}/{path.stem}#{i}"))
    return found


@pytest.mark.parametrize("recorded", openalex_exchanges())
def test_every_recorded_exchange_parses(recorded: Exchange):
    if "/works?" in recorded.url:
        records, _ = parse_list(recorded.body)
        assert records and all(r.ids.get("openalex") for r in records)
    elif recorded.status == 404:
        assert parse_single(recorded.response()) is None
    else:
        assert parse_single(recorded.response()).ids["doi"] in recorded.url.replace("%2F", "/")


# --------------------------------------------------------------------------- shapes


@pytest.mark.parametrize(
    ("index", "text"),
    [
        (None, None),
        ({}, None),
        ({"world": [1], "Hello": [0], "again": [3], "hello": [2]}, "Hello world hello again"),
        ({"Abstract": [0], "reasoning": [1]}, "Abstract reasoning"),  # a real first word
        ({"ABSTRACT": [0], "We": [1], "study": [2]}, "We study"),
        ({"a": "0", "b": [True, 1], "c": [None, 0]}, "c b"),  # junk positions ignored
        ("not an index", None),
    ],
)
def test_abstract_text(index, text):
    # documented shape (API-NOTES.md part 2 §4 "Work fields": {word: [positions]} or null)
    assert abstract_text(index) == text


@pytest.mark.parametrize(("value", "count"), [(0, 0), (12, 12), ("12", None), (True, None)])
def test_citation_count_only_from_an_int(value, count):
    # documented shape (API-NOTES.md part 2 §4 "Work fields": cited_by_count), not recorded
    assert parse_work({"id": "https://openalex.org/W1", "cited_by_count": value}).citation_count \
        == count


def test_wrong_types_are_unknown_or_invalid():
    record = parse_work({"title": 3, "authorships": "x", "primary_location": [],
                         "publication_date": "2020-13", "doi": None, "id": "https://x.org/A1"})
    assert record.model_dump(mode="json", exclude_none=True) == {"ids": {}}
    for body in (b"<html>busy</html>", b"[]", b'{"meta": {}, "results": {}}'):
        with pytest.raises(InvalidResponse):
            parse_list(body)
    with pytest.raises(InvalidResponse):
        parse_list(batch_body(work(XGEN), "junk"))
    with pytest.raises(InvalidResponse):
        parse_single(httpx.Response(200, text="<html>busy</html>"))


def test_single_url_matches_the_recorded_form():
    url = httpx.URL(single_url(ROOT, "10.1016/j.xgen.2025.100814"))
    assert url.raw_path == httpx.URL(exchange(XGEN, 2).url).raw_path


# --------------------------------------------------------------------------- fetch


def test_batch_is_one_filter_request_matched_on_doi(make_http, keyed):
    seen: list[httpx.Request] = []
    keys = ["doi:10.1016/j.addr.2015.01.008", "doi:10.9999/missing",
            "doi:10.1016/j.xgen.2025.100814"]

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=batch_body(work(XGEN), work(ADDR)), request=request)

    outcomes = OpenAlexSource(make_http(handler, keyed), keyed).fetch(keys, {})

    (request,) = seen
    assert request.url.path == "/works"
    assert request.url.params["filter"] == (
        "doi:10.1016/j.addr.2015.01.008|10.9999/missing|10.1016/j.xgen.2025.100814"
    )
    assert request.url.params["per-page"] == "100"
    assert request.url.params["api_key"] == SECRET
    assert outcomes["doi:10.9999/missing"] == Fetched(None)
    assert outcomes["doi:10.1016/j.xgen.2025.100814"].data["ids"]["openalex"] == "W4408732759"
    assert outcomes["doi:10.1016/j.addr.2015.01.008"].data["citation_count"] == 750


def test_batch_of_one_uses_the_recorded_single_work_request(make_http, keyed):
    recorded = exchange(XGEN, 2)
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        assert request.url.raw_path.split(b"?")[0] == httpx.URL(recorded.url).raw_path
        return recorded.response(request)

    outcomes = OpenAlexSource(make_http(handler, keyed), keyed).fetch(
        ["doi:10.1016/j.xgen.2025.100814"], {}
    )
    assert len(seen) == 1 and seen[0].url.params["api_key"] == SECRET
    assert outcomes["doi:10.1016/j.xgen.2025.100814"].data["venue"] == "Cell Genomics"


def test_single_404_html_through_fetch_is_not_found(make_http, keyed):
    recorded = exchange(NOT_FOUND, 0)
    source = OpenAlexSource(make_http(lambda request: recorded.response(request), keyed), keyed)
    key = "doi:10.1046/j.1365-2699.2003.00795"
    assert source.fetch([key], {}) == {key: Fetched(None)}


def test_truncated_page_leaves_unmatched_dois_unknown(make_http, keyed):
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=batch_body(work(XGEN), count=120), request=request)

    keys = ["doi:10.1016/j.xgen.2025.100814", "doi:10.9999/elsewhere"]
    outcomes = OpenAlexSource(make_http(handler, keyed), keyed).fetch(keys, {})
    assert outcomes[keys[0]].data["ids"]["doi"] == "10.1016/j.xgen.2025.100814"
    assert isinstance(outcomes[keys[1]], InvalidResponse)


def test_doi_with_a_comma_is_asked_alone(make_http, keyed):
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/works":
            return httpx.Response(200, content=batch_body(work(XGEN), work(ADDR)), request=request)
        return exchange(NOT_FOUND, 0).response(request)

    keys = ["doi:10.1016/j.xgen.2025.100814", "doi:10.1000/a,b", "doi:10.1016/j.addr.2015.01.008"]
    outcomes = OpenAlexSource(make_http(handler, keyed), keyed).fetch(keys, {})
    assert [r.url.raw_path.split(b"?")[0] for r in seen] == [
        b"/works/https://doi.org/10.1000%2Fa%2Cb", b"/works"]
    assert "a,b" not in seen[1].url.params["filter"]
    assert outcomes["doi:10.1000/a,b"] == Fetched(None)
    assert all(outcomes[k].data for k in (keys[0], keys[2]))


def test_two_keys_one_unfilterable_are_two_single_requests(make_http, keyed):
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return exchange(NOT_FOUND, 0).response(request)

    keys = ["doi:10.1000/a|b", "doi:10.1016/j.xgen.2025.100814"]
    outcomes = OpenAlexSource(make_http(handler, keyed), keyed).fetch(keys, {})
    assert [r.url.raw_path.split(b"?")[0] for r in seen] == [
        b"/works/https://doi.org/10.1000%2Fa%7Cb",
        b"/works/https://doi.org/10.1016%2Fj.xgen.2025.100814"]
    assert outcomes == dict.fromkeys(keys, Fetched(None))


def test_no_api_key_means_not_asked(make_http, settings):
    def handler(request: httpx.Request) -> httpx.Response:
        raise AssertionError("no request expected")

    source = OpenAlexSource(make_http(handler), settings)
    with pytest.raises(Blocked, match="OPENALEX_API_KEY"):
        source.fetch(["doi:10.1016/j.xgen.2025.100814"], {})


@pytest.mark.parametrize(("status", "error"), [(200, InvalidResponse), (403, Blocked),
                                               (400, InvalidResponse)])
def test_failed_batch_fails_every_key_and_never_shows_the_key(make_http, keyed, status, error):
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, html="<html>no</html>", request=request)

    keys = ["doi:10.1016/j.xgen.2025.100814", "doi:10.9999/x"]
    outcomes = OpenAlexSource(make_http(handler, keyed), keyed).fetch(keys, {})
    for key in keys:
        assert isinstance(outcomes[key], error)
        assert SECRET not in str(outcomes[key]) and SECRET not in outcomes[key].message


def test_malformed_key_is_not_asked(make_http, keyed):
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return exchange(XGEN, 2).response(request)

    outcomes = OpenAlexSource(make_http(handler, keyed), keyed).fetch(
        ["10.1016/j.xgen.2025.100814", "doi:10.1016/j.xgen.2025.100814"], {}
    )
    assert isinstance(outcomes["10.1016/j.xgen.2025.100814"], NotFound)
    assert outcomes["doi:10.1016/j.xgen.2025.100814"].data["citation_count"] == 3
    assert len(seen) == 1


def test_run_source_batches_and_caches(make_http, keyed, tmp_path):
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=batch_body(work(ADDR)), request=request)

    keys = ["doi:10.1016/j.addr.2015.01.008", "doi:10.9999/a", "doi:10.9999/b"]
    source = OpenAlexSource(make_http(handler, keyed), keyed)
    with RecordCache(tmp_path / "cache") as cache:
        results = run_source(source, keys, cache, "normal", NOW)
        assert [results[k].status for k in keys] == ["ok", "not_found", "not_found"]
        assert len(seen) == 1
        again = run_source(source, keys, cache, "normal", NOW)
        assert again[keys[0]].record["citation_count"] == 750
        assert len(seen) == 1
