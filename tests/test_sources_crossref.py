"""Crossref source: parsing on every recorded ``/works/{doi}`` body, and fetch() end to end.

Recorded bodies: tests/fixtures/crossref/*.json|txt, the habanero and paper-qa cassettes in
tests/fixtures/crossref/cassettes, and the Crossref exchanges inside the paper-qa cassettes kept
under tests/fixtures/semanticscholar and tests/fixtures/openalex.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from urllib.parse import unquote, urlsplit

import httpx
import pytest

from harvester.cache import RecordCache
from harvester.errors import InvalidResponse, NotFound
from harvester.sources.base import Fetched, run_source
from harvester.sources.crossref import CrossrefSource, parse_work, plain_text, work_url
from tests.recordings import FIXTURES, Exchange, fixture, load_cassette

NOW = datetime(2026, 6, 1, tzinfo=UTC)
ROOT = "https://api.crossref.org"


def body(name: str) -> bytes:
    return fixture("crossref", name).read_bytes()


def cassette(*parts: str) -> list[Exchange]:
    return load_cassette(fixture(*parts))


def requested_doi(exchange: Exchange) -> str:
    return unquote(urlsplit(exchange.url).path.removeprefix("/works/")).lower()


def work_exchanges(status: int) -> list:
    """Every recorded ``GET /works/{doi}`` (not ``/transform``) answered with ``status``."""
    found = []
    for path in sorted(FIXTURES.glob("**/*.yaml")):
        for i, exchange in enumerate(load_cassette(path)):
            url = exchange.url
            if (url.startswith(f"{ROOT}/works/") and "/transform/" not in url
                    and exchange.status == status):
                found.append(pytest.param(exchange, id=f"{path.stem}#{i}"))
    return found


def work_json(**message) -> bytes:
    """A work envelope as the API sends it (API-NOTES.md §4 "Endpoints")."""
    return json.dumps(
        {"status": "ok", "message-type": "work", "message-version": "1.0.0", "message": message}
    ).encode()


# --------------------------------------------------------------------------- recorded works


def test_nature_family_work_with_jats_abstract():
    record = parse_work(body("works_10.1038_s41598-018-27044-6.plus-pool.json"))
    assert record.title == (
        "Insights into the mechanism of the PIK3CA E545K activating mutation using MD simulations"
    )
    assert record.authors[:2] == ["Hari Leontiadou", "Ioannis Galdadas"]
    assert len(record.authors) == 4
    assert record.venue == "Scientific Reports"
    assert record.year == 2018
    assert record.published == "2018-10-19"
    assert record.status == "published"
    assert record.work_type == "journal-article"
    assert record.ids == {"doi": "10.1038/s41598-018-27044-6"}
    assert record.landing_url == "https://doi.org/10.1038/s41598-018-27044-6"
    assert record.abstract.startswith("Phosphoinositide 3-kinase alpha (PI3Kα) is involved")
    assert record.abstract.endswith("the loss of regulation that E545K confers on PI3Kα.")
    assert "<" not in record.abstract
    assert record.citation_count is None  # is-referenced-by-count (55) is not a citation source
    assert record.pdf_url is None


def test_polite_pool_work_keeps_unicode():
    record = parse_work(body("works_10.1038_srep16696.polite-pool.json"))
    assert record.title == (
        "Single-molecule FRET studies on alpha-synuclein oligomerization of Parkinson’s disease "
        "genetically related mutants"
    )
    assert "single-molecule Förster Resonance Energy Transfer" in record.abstract
    assert not record.abstract.startswith("Abstract")
    assert record.authors[0] == "Laura Tosatto"
    assert record.authors[1] == "Mathew H. Horrocks"
    assert record.citation_count is None


def test_public_pool_work_without_abstract():
    record = parse_work(body("works_10.1371_journal.pone.0033693.public-pool.json"))
    assert record.title.startswith("Methylphenidate Exposure Induces Dopamine Neuron Loss")
    assert record.abstract is None
    assert record.venue == "PLoS ONE"
    assert record.published == "2012-03-21"
    assert record.ids == {"doi": "10.1371/journal.pone.0033693"}


@pytest.mark.parametrize("exchange", work_exchanges(200))
def test_every_recorded_work_parses(exchange: Exchange):
    record = parse_work(exchange.body)
    assert record.ids["doi"] == requested_doi(exchange)
    assert record.title
    assert record.landing_url == f"https://doi.org/{record.ids['doi']}"
    assert record.citation_count is None
    assert record.abstract is None or "jats:" not in record.abstract


def test_year_month_date_keeps_the_year_only():
    exchanges = cassette("crossref", "cassettes", "habanero_test_works_with_many_ids.yaml")
    record = parse_work(exchanges[0].body)  # published {"date-parts": [[2012, 3]]}
    assert record.year == 2012
    assert record.published is None
    assert record.venue == "Neurobiology of Aging"
    assert len(record.authors) == 11


def test_print_date_wins_over_a_later_online_scan():
    exchanges = cassette("crossref", "cassettes", "habanero_test_works_with_many_ids.yaml")
    record = parse_work(exchanges[1].body)  # published [[1997, 7]], published-online 2005-02-18
    assert record.year == 1997
    assert record.published is None
    # JATS entities decoded: "(p &lt; 0.001)"
    assert "(p < 0.001)" in record.abstract
    assert "Twenty‐two beagles" in record.abstract


def test_proceedings_article_with_null_date_parts():
    exchanges = cassette("crossref", "cassettes", "habanero_test_works_with_many_ids.yaml")
    record = parse_work(exchanges[3].body)  # issued {"date-parts": [[null]]}, no other date
    assert record.work_type == "proceedings-article"
    assert record.status == "published"
    assert record.year is None
    assert record.published is None
    assert record.venue == (
        "23rd International Conference on Distributed Computing Systems Workshops, 2003. "
        "Proceedings."
    )
    assert record.authors == ["V. Arya", "T. Turletti"]


def test_author_with_family_name_only():
    exchanges = cassette("crossref", "cassettes", "habanero_test_works_with_many_ids.yaml")
    record = parse_work(exchanges[4].body)
    assert record.authors == ["Stravopodis"]
    assert record.published == "2009-06-26"


def test_biorxiv_preprint_is_posted_content():
    exchanges = cassette("semanticscholar", "paperqa-vcr", "test_bulk_doi_search.yaml")
    record = parse_work(exchanges[6].body)
    assert record.work_type == "posted-content"
    assert record.status == "preprint"
    assert record.venue is None  # container-title is []
    assert record.published_doi == "10.1016/j.xgen.2025.100814"  # relation.is-preprint-of
    assert record.published == "2024-04-01"
    # "<jats:title>ABSTRACT</jats:title>" dropped; inline italics joined as deposited
    assert record.abstract.startswith("Understanding the effects of rare genetic variants")
    assert "pegRNAs targetingSMARCB1for editing activity" in record.abstract


def test_double_escaped_entities_and_abstract_without_title():
    exchanges = cassette("semanticscholar", "paperqa-vcr", "test_bulk_doi_search.yaml")
    record = parse_work(exchanges[7].body)  # "(&amp;lt;75 K)" in the deposited JATS
    assert record.abstract.startswith("Metal-oxide layers are likely to be present")
    assert "at low temperatures (<75 K) and low strain values (<5%)" in record.abstract
    assert record.published == "2015-12-21"


def test_work_without_authors():
    exchanges = cassette("semanticscholar", "paperqa-vcr", "test_bulk_doi_search.yaml")
    record = parse_work(exchanges[10].body)
    assert record.authors is None
    assert record.title == "Convalescent-anti-sars-cov-2-plasma/immune-globulin"


# --------------------------------------------------------------------------- not works


@pytest.mark.parametrize(
    "raw",
    [
        body("works_10.1371_notarealdoi.404.txt"),  # text/plain "Resource not found."
        body("works_doi_with_query_param.400.json"),  # validation-failure
        body("works_query.title_no_results.json"),  # a work-list, not a work
        b"<html><body>Service Temporarily Unavailable</body></html>",
        b"",
        b"[]",
        b'{"status": "ok", "message-type": "work", "message": []}',
    ],
    ids=["404-text", "400-json", "work-list", "html", "empty", "array", "message-not-object"],
)
def test_anything_but_a_work_is_invalid(raw: bytes):
    with pytest.raises(InvalidResponse):
        parse_work(raw)


@pytest.mark.parametrize(
    ("parts", "index"),
    [
        (("openalex", "paperqa-vcr", "test_title_search[paper_attributes2].yaml"), 0),
        (("semanticscholar", "paperqa-vcr", "test_arxiv_doi_is_used_when_available.yaml"), 0),
        (("semanticscholar", "paperqa-vcr", "test_bad_titles.yaml"), 0),
        (("semanticscholar", "paperqa-vcr", "test_bad_titles.yaml"), 3),
    ],
)
def test_recorded_title_searches_are_work_lists_not_works(parts, index):
    exchange = cassette(*parts)[index]
    assert "/works?" in exchange.url
    with pytest.raises(InvalidResponse, match="work-list"):
        parse_work(exchange.body)


def test_recorded_404_bodies_are_plain_text():
    for exchange in work_exchanges(404):
        exchange = exchange.values[0]
        assert exchange.body == b"Resource not found."
        assert ("content-type", "text/plain") in [(k.lower(), v) for k, v in exchange.headers]


# --------------------------------------------------------------------------- shapes


def test_organisation_author_and_date_fallbacks():
    # documented shape (API-NOTES.md §4 "Endpoints"; Crossref's `name` for an organisation
    # author), not recorded
    raw = work_json(
        DOI="10.5555/Example.ABC",
        type="journal-article",
        title=["  A <i>C. elegans</i> connectome  "],
        author=[{"name": "The IBL Consortium", "sequence": "first"},
                {"given": "Ada", "family": "Lovelace"}, {"given": " "}, "junk"],
        **{"container-title": [], "published-online": {"date-parts": [[2023, 2, 30]]},
           "issued": {"date-parts": [[2023, 2, 28]]}},
    )
    record = parse_work(raw)
    assert record.authors == ["The IBL Consortium", "Ada Lovelace"]
    assert record.title == "A C. elegans connectome"
    assert record.venue is None
    assert record.ids == {"doi": "10.5555/example.abc"}  # lower-cased
    assert record.year == 2023
    assert record.published is None  # 2023-02-30 is not a date; later fields are not mixed in


@pytest.mark.parametrize(
    ("work_type", "subtype", "status"),
    [
        ("journal-article", None, "published"),
        ("proceedings-article", None, "published"),
        ("book-chapter", None, "published"),
        ("posted-content", "preprint", "preprint"),
        ("posted-content", "working-paper", None),
        ("dataset", None, None),
        (None, None, None),
    ],
)
def test_status_from_type(work_type, subtype, status):
    # documented shape (API-NOTES.md §4 "Endpoints": type, subtype), not recorded for all types
    record = parse_work(work_json(DOI="10.5555/x", type=work_type, subtype=subtype))
    assert record.status == status
    assert record.work_type == work_type


def test_missing_fields_are_none_never_empty():
    record = parse_work(work_json())
    dumped = record.model_dump(mode="json", exclude_none=True)
    assert dumped == {"ids": {}}


@pytest.mark.parametrize(
    ("fragment", "text"),
    [
        ("<jats:title>Abstract</jats:title><jats:p>One.</jats:p><jats:p>Two.</jats:p>",
         "One. Two."),
        ("<jats:sec><jats:title>Background</jats:title><jats:p>B.</jats:p></jats:sec>"
         "<jats:sec><jats:title>Methods</jats:title><jats:p>M.</jats:p></jats:sec>",
         "Background B. Methods M."),
        ("<jats:p>H<jats:sub>2</jats:sub>O at 10<jats:sup>−3</jats:sup> M</jats:p>",
         "H2O at 10−3 M"),
        ("<jats:p>Abstract reasoning is hard.</jats:p>", "Abstract reasoning is hard."),
        ("<jats:p>unclosed <jats:italic>tags", "unclosed tags"),
        ("plain text &amp; no tags, x<y", "plain text & no tags, x<y"),
        ("<jats:p>  </jats:p>", None),
        ("", None),
    ],
)
def test_jats_to_plain_text(fragment, text):
    # documented shape (API-NOTES.md §4: "abstract (JATS XML string)"), not recorded
    assert plain_text(fragment, drop_abstract_title=True) == text


def test_work_url_keeps_slash_and_encodes_reserved_characters():
    assert work_url(ROOT, "10.1038/srep16696") == f"{ROOT}/works/10.1038/srep16696"
    sici = "10.1002/(sici)1097-0258(19980815/30)17:15/16<1661::aid-sim968>3.0.co;2-2#x?y"
    url = httpx.URL(work_url(ROOT, sici))
    assert url.raw_path == (
        b"/works/10.1002/%28sici%291097-0258%2819980815/30%2917%3A15/16%3C1661%3A%3Aaid-sim968"
        b"%3E3.0.co%3B2-2%23x%3Fy"
    )
    assert url.query == b""


# --------------------------------------------------------------------------- fetch


@pytest.fixture
def per_item(monkeypatch):
    """The per-DOI endpoint, as before batches (``HARVEST_PER_ITEM=crossref``)."""
    monkeypatch.setenv("HARVEST_PER_ITEM", "crossref")


def replaying(exchanges: list[Exchange], seen: list[httpx.Request]):
    """A MockTransport handler answering each request with the recording of its path."""
    by_path = {unquote(urlsplit(e.url).path): e for e in exchanges}

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return by_path[request.url.path].response(request)

    return handler


def test_fetch_one_request_per_doi_with_mailto(per_item, make_http, settings):
    settings = settings.model_copy(update={"contact": "team@example.org"})
    exchanges = cassette("semanticscholar", "paperqa-vcr", "test_bulk_doi_search.yaml")
    works = [e for e in exchanges
             if e.url.startswith(f"{ROOT}/works/") and "/transform/" not in e.url]
    keys = [requested_doi(e) for e in works]
    seen: list[httpx.Request] = []
    source = CrossrefSource(make_http(replaying(works, seen), settings), settings)

    outcomes = source.fetch(keys, {})

    assert len(seen) == len(keys) == 6
    assert all(r.method == "GET" and r.url.params["mailto"] == "team@example.org" for r in seen)
    assert [r.url.path for r in seen] == [f"/works/{key}" for key in keys]
    assert outcomes["10.48550/arxiv.2312.07559"] == Fetched(None)  # DataCite DOI: 404 text
    found = {key: o.data for key, o in outcomes.items() if o.data}
    assert len(found) == 5
    assert found["10.1101/2024.04.01.587366"]["status"] == "preprint"
    assert found["10.1023/a:1007154515475"]["ids"] == {"doi": "10.1023/a:1007154515475"}
    assert "citation_count" not in found["10.1038/s42256-024-00832-8"]


def test_fetch_without_contact_sends_no_mailto(per_item, make_http, settings):
    exchanges = cassette("crossref", "cassettes", "habanero_test_works_with_one_id.yaml")
    seen: list[httpx.Request] = []
    source = CrossrefSource(make_http(replaying(exchanges, seen)), settings)
    outcomes = source.fetch(["10.1371/journal.pone.0033693"], {})
    assert "mailto" not in seen[0].url.params
    assert seen[0].url.raw_path == b"/works/10.1371/journal.pone.0033693"
    assert outcomes["10.1371/journal.pone.0033693"].data["venue"] == "PLoS ONE"


def test_mixed_batch_with_a_bad_doi_through_run_source(per_item, make_http, settings, tmp_path):
    exchanges = cassette("crossref", "cassettes", "habanero_test_works_mixed_ids_warn.yaml")
    keys = [requested_doi(e) for e in exchanges]
    seen: list[httpx.Request] = []
    source = CrossrefSource(make_http(replaying(exchanges, seen)), settings)
    with RecordCache(tmp_path / "cache") as cache:
        results = run_source(source, keys, cache, "normal", NOW)
        assert [results[k].status for k in keys] == ["ok", "not_found", "ok"]
        assert results["10.1371/journal.pone.0020476"].record["title"].startswith("Using and Rep")
        assert len(seen) == 3

        again = run_source(source, keys, cache, "normal", NOW)  # all cached, "not found" too
        assert [again[k].status for k in keys] == ["ok", "not_found", "ok"]
        assert len(seen) == 3


def test_recorded_400_is_a_per_key_invalid_response(per_item, make_http, settings):
    (bad,) = cassette("crossref", "cassettes",
                      "habanero_test_works_query_filters_not_allowed_with_dois.yaml")
    ok = cassette("crossref", "cassettes", "habanero_test_works_with_many_ids.yaml")[2]

    def handler(request: httpx.Request) -> httpx.Response:
        exchange = ok if request.url.path == "/works/10.1038/srep16696" else bad
        return exchange.response(request)

    source = CrossrefSource(make_http(handler), settings)
    outcomes = source.fetch(["10.1371/journal.pone.0033693", "10.1038/srep16696"], {})
    error = outcomes["10.1371/journal.pone.0033693"]
    assert isinstance(error, InvalidResponse)
    assert "HTTP 400" in error.message
    assert outcomes["10.1038/srep16696"].data["ids"] == {"doi": "10.1038/srep16696"}


def test_html_page_with_status_200_is_invalid_for_that_key_only(per_item, make_http, settings):
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, html="<html><body>Maintenance</body></html>", request=request)

    source = CrossrefSource(make_http(handler), settings)
    outcome = source.fetch(["10.1038/srep16696"], {})["10.1038/srep16696"]
    assert isinstance(outcome, InvalidResponse)


def test_a_key_that_is_not_a_doi_is_not_asked(make_http, settings):
    def handler(request: httpx.Request) -> httpx.Response:
        raise AssertionError("no request expected")

    source = CrossrefSource(make_http(handler), settings)
    outcome = source.fetch(["arxiv:2310.16046"], {})["arxiv:2310.16046"]
    assert isinstance(outcome, NotFound)


# --------------------------------------------------------------------------- batches
#
# No multi-DOI answer was ever recorded (tests/fixtures/PROVENANCE-part3.md): the batch answers
# below are the documented work-list envelope (the recorded NSF work-list's keys) holding the
# *recorded* work messages of the asked DOIs. The per-DOI answers are the recordings themselves.

from harvester.sources.crossref import MAX_DOIS, doi_chunks, fetch_works, parse_work_list  # noqa: E402

MANY = "habanero_test_works_with_many_ids.yaml"


def recorded_messages() -> dict[str, dict]:
    works = cassette("crossref", "cassettes", MANY)
    return {requested_doi(e): json.loads(e.body)["message"] for e in works}


def work_list(items: list[dict], rows: int) -> bytes:
    envelope = json.loads(body_batch("rcrossref_works_query-NSF_work-list_with_posted-content_"
                                     "is-preprint-of.json"))
    envelope["message"] = {**envelope["message"], "items": items[:rows],
                           "total-results": len(items), "items-per-page": rows}
    return json.dumps(envelope).encode()


def body_batch(name: str) -> bytes:
    return fixture("crossref-batch", name).read_bytes()


def batch_api(messages: dict[str, dict], seen: list[httpx.Request], *,
              hide: frozenset[str] = frozenset()):
    """``/works?filter=doi:…`` answers the known DOIs except ``hide`` (absent from the list);
    ``/works/{doi}`` answers the recording, or the recorded 404 text."""
    not_found = body("works_10.1371_notarealdoi.404.txt")

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/works":
            asked = [part.partition(":")[2].lower()
                     for part in request.url.params["filter"].split(",")]
            items = [messages[d] for d in asked if d in messages and d not in hide]
            return httpx.Response(200, content=work_list(items, int(request.url.params["rows"])))
        doi = unquote(request.url.path.removeprefix("/works/")).lower()
        if doi in messages:
            envelope = {"status": "ok", "message-type": "work", "message-version": "1.0.0",
                        "message": messages[doi]}
            return httpx.Response(200, json=envelope)
        return httpx.Response(404, content=not_found, headers={"content-type": "text/plain"})

    return handler


def test_recorded_work_list_items_parse_and_a_work_is_not_a_list():
    items = parse_work_list(body_batch(
        "rcrossref_works_query-NSF_work-list_with_posted-content_is-preprint-of.json"))
    assert len(items) == 20
    with pytest.raises(InvalidResponse):
        parse_work_list(body_batch(
            "works_10.1101_2024.04.01.587366_biorxiv_posted-content_is-preprint-of.json"))


def test_fetch_asks_one_filter_request_for_the_batch_with_rows_set(make_http, settings):
    settings = settings.model_copy(update={"contact": "team@example.org"})
    messages = recorded_messages()
    keys = sorted(messages)
    seen: list[httpx.Request] = []
    source = CrossrefSource(make_http(batch_api(messages, seen), settings), settings)

    outcomes = source.fetch(keys, {})

    assert len(seen) == 1
    params = seen[0].url.params
    assert seen[0].url.path == "/works"
    assert params["filter"] == ",".join(f"doi:{k}" for k in keys)
    assert params["rows"] == str(len(keys))  # the default of 20 would cut a batch of 50
    assert params["mailto"] == "team@example.org"
    assert outcomes["10.1038/srep16696"].data["ids"] == {"doi": "10.1038/srep16696"}
    # the same records as the per-DOI endpoint gives
    for key in keys:
        expected = parse_work(work_json(**messages[key])).model_dump(mode="json",
                                                                      exclude_none=True)
        assert outcomes[key].data == expected


def test_a_doi_absent_from_the_batch_is_asked_alone_before_it_is_not_found(make_http, settings):
    messages = recorded_messages()
    keys = [*sorted(messages), "10.1371/notarealdoi"]
    seen: list[httpx.Request] = []
    hidden = "10.1038/srep16696"  # in Crossref, but absent from the list (an index lag)
    source = CrossrefSource(make_http(batch_api(messages, seen, hide={hidden})), settings)

    outcomes = source.fetch(keys, {})

    assert [r.url.path for r in seen] == ["/works", f"/works/{hidden}",
                                          "/works/10.1371/notarealdoi"]
    assert outcomes[hidden].data["ids"] == {"doi": hidden}
    assert outcomes["10.1371/notarealdoi"] == Fetched(None)


def test_batches_hold_at_most_50_dois_and_a_bounded_filter():
    dois = [f"10.1234/{i:05d}" for i in range(120)]
    chunks = doi_chunks(dois)
    assert [len(c) for c in chunks] == [MAX_DOIS, MAX_DOIS, 20]
    assert [d for c in chunks for d in c] == dois
    long = [f"10.1234/{'x' * 300}{i}" for i in range(30)]
    for chunk in doi_chunks(long):
        assert sum(len(f"doi%3A{d}") + 3 for d in chunk) <= 3500
    assert doi_chunks(["10.1/a", "10.1/a"]) == [["10.1/a"]]


def test_a_refused_batch_is_asked_doi_by_doi(make_http, settings):
    (bad,) = cassette("crossref", "cassettes",
                      "habanero_test_works_query_filters_not_allowed_with_dois.yaml")
    messages = recorded_messages()
    seen: list[httpx.Request] = []
    fine = batch_api(messages, seen)

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/works":
            seen.append(request)
            return bad.response(request)  # the recorded HTTP 400 validation failure
        return fine(request)

    source = CrossrefSource(make_http(handler), settings)
    keys = sorted(messages)[:2]
    outcomes = source.fetch(keys, {})
    assert [r.url.path for r in seen] == ["/works", *(f"/works/{k}" for k in keys)]
    assert all(outcomes[k].data["ids"] == {"doi": k} for k in keys)


def test_a_failed_batch_fails_its_dois_only(make_http, settings):
    settings.sources["crossref"] = settings.sources["crossref"].model_copy(
        update={"retry_budget": 0.0})
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(503)

    answers = fetch_works(make_http(handler, settings), settings, ["10.1/a", "10.1/b"])
    assert len(seen) == 1
    assert all(type(a).__name__ == "Unavailable" for a in answers.values())


def test_per_item_switch_uses_the_single_work_endpoint(make_http, settings, monkeypatch):
    monkeypatch.setenv("HARVEST_PER_ITEM", "crossref")
    messages = recorded_messages()
    seen: list[httpx.Request] = []
    source = CrossrefSource(make_http(batch_api(messages, seen)), settings)
    source.fetch(sorted(messages), {})
    assert [r.url.path for r in seen] == [f"/works/{k}" for k in sorted(messages)]
