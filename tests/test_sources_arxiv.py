"""arXiv source: parsing on every recorded feed in tests/fixtures/arxiv, and fetch() end to end."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from harvester.cache import RecordCache
from harvester.errors import InvalidResponse, NotFound
from harvester.sources.arxiv import (
    ArxivSource,
    error_messages,
    github_urls,
    malformed_ids,
    parse_feed,
    status_and_venue,
)
from harvester.sources.base import Fetched, run_source
from tests.recordings import fixture

NOW = datetime(2026, 5, 1, tzinfo=UTC)


def body(name: str) -> bytes:
    return fixture("arxiv", name).read_bytes()


def feed_with(entry: str) -> bytes:
    """A one-entry feed in the current backend's layout (API-NOTES.md §1 "Response shape")."""
    return (
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        '<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
        'xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">\n'
        "<id>https://arxiv.org/api/x</id><title>arXiv Query</title>\n"
        "<opensearch:totalResults>1</opensearch:totalResults>\n"
        f"<entry>{entry}</entry></feed>"
    ).encode()


# --------------------------------------------------------------------------- recorded feeds


def test_single_entry_all_fields():
    record = parse_feed(body("query_id_1605.08386.xml"), ["1605.08386"])["1605.08386"]
    assert record.title == "Heat-bath random walks with Markov bases"
    assert record.abstract.startswith("Graphs on lattice points are studied whose edges")
    assert record.abstract.endswith("is an expander in fixed dimension.")
    assert record.authors == ["Caprice Stanley", "Tobias Windisch"]
    assert record.published == "2016-05-26"
    assert record.year == 2016
    assert record.version == "v1"
    assert record.categories == ["math.CO", "math.ST"]
    assert record.comment == "20 pages, 3 figures"
    assert record.journal_ref is None
    assert record.ids == {"arxiv": "1605.08386"}
    assert record.landing_url == "https://arxiv.org/abs/1605.08386"
    assert record.pdf_url == "https://arxiv.org/pdf/1605.08386v1"
    assert record.status == "preprint"
    assert record.venue is None  # never "arXiv"
    assert record.published_doi is None
    assert record.code_urls is None


def test_many_authors_non_ascii():
    record = parse_feed(body("query_id_1707.08567.xml"), ["1707.08567"])["1707.08567"]
    assert len(record.authors) == 34
    assert record.authors[0] == "Kees A. Schouhamer Immink"
    assert "Dirk Wübben" in record.authors
    assert record.status == "preprint"  # "editors for the proceedings" is not an acceptance


@pytest.mark.parametrize("requested", ["2104.12255", "2104.12255v1"])
def test_versioned_request_and_entry_match_either_way(requested):
    records = parse_feed(body("query_id_2104.12255v1_versioned.xml"), [requested])
    record = records[requested]
    assert record.title == "0"  # a real title "0": kept, not mistaken for "nothing"
    assert record.ids == {"arxiv": "2104.12255"}
    assert record.version == "v1"
    assert record.comment is None


def test_old_style_id_keeps_its_slash_and_journal_ref_means_accepted():
    key = "astro-ph/0601001"
    record = parse_feed(body("query_id_astro-ph_0601001_oldstyle.xml"), [key])[key]
    assert record.ids == {"arxiv": key}
    assert record.landing_url == "https://arxiv.org/abs/astro-ph/0601001"
    assert record.pdf_url == "https://arxiv.org/pdf/astro-ph/0601001v1"
    assert record.journal_ref == "ActaAstron.56:1-50,2006"
    assert record.status == "accepted"
    assert record.venue == "ActaAstron.56:1-50,2006"
    assert record.categories == ["astro-ph"]
    assert record.authors == ["Andrew Gould", "Susan Dorsher", "B. Scott Gaudi", "Andrzej Udalski"]
    assert "Gould & Morgan (2003)" in record.abstract  # entities decoded
    assert not record.abstract.startswith(" ")  # the feed keeps two leading spaces


def test_old_style_versioned():
    key = "quant-ph/0201082"
    record = parse_feed(body("query_id_quant-ph_0201082v1_oldstyle_versioned.xml"), [key])[key]
    assert record.ids["arxiv"] == key
    assert record.categories == ["quant-ph", "cs.PL"]
    assert record.published == "2002-01-18"


def test_error_entry_names_the_malformed_id():
    errors = error_messages(body("query_id_abc_malformed_http400.xml"))
    assert errors == ["incorrect id format for abc"]
    assert malformed_ids(errors, ["1605.08386", "abc"]) == ["abc"]
    assert parse_feed(body("query_id_abc_malformed_http400.xml"), ["abc"]) == {}


def test_missing_id_in_a_batch_is_left_out_whatever_the_order():
    records = parse_feed(body("query_multi_id_one_missing.xml"), ["1707.08567", "0808.05394"])
    assert set(records) == {"1707.08567"}


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("query_id_0000.0000_not_found.xml", "0000.0000"),
        ("query_id_0808.05394_not_found.xml", "0808.05394"),
        # legacy backend: totalResults=1 but no entry
        ("legacy-2025-08_query_id_1201.56789_not_found.xml", "1201.56789"),
    ],
)
def test_not_found_feeds_match_nothing(name, key):
    assert parse_feed(body(name), [key]) == {}


def test_legacy_empty_entries_are_dropped_and_layout_normalised():
    keys = ["2201.13455", "2201.13452", "2201.13453", "2201.13454"]
    records = parse_feed(body("legacy-2025-08_query_multi_id_missing_empty_entries.xml"), keys)
    assert set(records) == {"2201.13452"}
    record = records["2201.13452"]
    assert record.title == (
        "Asymptotic Analysis for a Nonlinear Reaction-Diffusion System Modeling an "
        "Infectious Disease"
    )
    assert "\n" not in record.abstract and "  " not in record.abstract
    assert record.categories == ["math.AP"]  # MSC term "35" dropped
    assert record.pdf_url == "https://arxiv.org/pdf/2201.13452v1"  # http upgraded


def test_transitional_feed_pdf_link_found_by_path():
    keys = ["2201.13455", "2201.13452", "2201.13453", "2201.13454"]
    records = parse_feed(body("transitional-2025-11_query_multi_id_missing.xml"), keys)
    assert set(records) == {"2201.13452"}
    assert records["2201.13452"].pdf_url == "https://arxiv.org/pdf/2201.13452v1"
    assert records["2201.13452"].published == "2022-01-31"  # v1 date, not <updated>


def test_doi_journal_ref_and_versions_from_search_page():
    keys = ["2202.12139", "2005.14124", "2503.05378", "1205.1866"]
    records = parse_feed(body("query_search_testing_start0_max10.xml"), keys)
    assert set(records) == set(keys)  # entries not asked for are ignored
    first = records["2202.12139"]
    assert first.ids == {"arxiv": "2202.12139", "doi": "10.1109/icstw55395.2022.00035"}
    assert first.published_doi == "10.1109/icstw55395.2022.00035"
    assert first.pdf_url == "https://arxiv.org/pdf/2202.12139v1"  # not the doi link
    assert first.status == "accepted"
    assert first.venue.startswith("Artificial Intelligence in Software Testing @ 2022 IEEE")
    fuzzing = records["2005.14124"]
    assert fuzzing.version == "v2"
    assert fuzzing.published == "2020-05-28"  # v1 date; <updated> is 2020-07-16
    assert fuzzing.categories == ["cs.SE", "cs.CR", "cs.LG"]
    assert records["2503.05378"].status == "preprint"
    doi_only = records["1205.1866"]  # a DOI alone does not change the status
    assert doi_only.status == "preprint" and doi_only.published_doi == "10.5121/vlsic.2012.3205"


def test_acceptance_read_from_comments_on_search_page_2():
    keys = ["2301.05651", "2301.13615", "2202.06271", "1912.04900", "2004.03322", "2407.18756"]
    records = parse_feed(body("query_search_testing_start10_max10.xml"), keys)
    assert records["2301.05651"].status == "accepted"
    assert records["2301.05651"].venue == "International Conference of Software Testing (ICST2023)"
    assert records["2301.13615"].venue == (
        "16th IEEE International Conference on Software Testing, Verification and Validation "
        "(ICST) 2023"
    )
    assert records["2202.06271"].status == "accepted"  # "To appear at the IEEE …"
    assert records["1912.04900"].status == "preprint"  # extended version of a paper
    assert records["2004.03322"].status == "preprint"
    assert records["2004.03322"].venue is None
    assert records["2407.18756"].ids["doi"] == "10.1145/3679006.3685071"


# --------------------------------------------------------------------------- heuristics

# documented shape (API-NOTES.md §1 "Response shape", venue hints and "Withdrawn papers"),
# not recorded: comments as authors write them.
@pytest.mark.parametrize(
    ("comment", "status", "venue"),
    [
        ("Accepted at NeurIPS 2023 (spotlight). 10 pages", "accepted", "NeurIPS 2023 (spotlight)"),
        ("Accepted to ICLR 2025", "accepted", "ICLR 2025"),
        ("Published as a conference paper at ICLR 2024", "accepted", "ICLR 2024"),
        ("Accepted for publication in Nature Communications", "accepted", "Nature Communications"),
        ("Published in Transactions on Machine Learning Research", "accepted",
         "Transactions on Machine Learning Research"),
        ("Accepted for ICML 2024", "accepted", "ICML 2024"),
        ("NeurIPS 2023", "accepted", "NeurIPS 2023"),
        ("Camera-ready, NeurIPS 2023 Workshop on Foundation Models", "accepted",
         "NeurIPS 2023 Workshop on Foundation Models"),
        ("Under review at ICLR 2024", "preprint", None),
        ("Submitted to NeurIPS 2023", "preprint", None),
        ("12 pages, 4 figures", "preprint", None),
        ("This paper has been withdrawn by the author", "withdrawn", None),
        ("Withdrawn: error in Lemma 2", "withdrawn", None),
    ],
)
def test_status_and_venue_from_comment(comment, status, venue):
    assert status_and_venue(comment, None) == (status, venue)


def test_withdrawn_comment_wins_over_journal_ref():
    assert status_and_venue("withdrawn", "J. Foo 1 (2020)") == ("withdrawn", None)
    assert status_and_venue(None, None) == ("preprint", None)


def test_github_urls_normalised_and_deduplicated():
    text = (
        "Code: https://github.com/Org/Repo.git. Also github.com/org/repo/tree/main and "
        "https://www.github.com/other/tool, not gist.github.com/a/b nor github.com/orgs/x."
    )
    assert github_urls(text, None) == ["https://github.com/Org/Repo", "https://github.com/other/tool"]
    assert github_urls(None, "no code") is None


def test_code_urls_from_comment_and_abstract():
    # documented shape (API-NOTES.md §1 "Response shape"), not recorded
    entry = """
      <id>http://arxiv.org/abs/2310.16046v2</id>
      <title>A Unified, Scalable Framework</title>
      <summary>  We release code at https://github.com/neuro-galaxy/poyo.  </summary>
      <published>2023-10-24T17:59:59Z</published>
      <arxiv:comment>Accepted at NeurIPS 2023. Code: github.com/neuro-galaxy/poyo</arxiv:comment>
      <link href="https://arxiv.org/pdf/2310.16046v2" rel="related" type="application/pdf"/>
      <category term="cs.LG" scheme="http://arxiv.org/schemas/atom"/>
      <category term="68T05" scheme="http://arxiv.org/schemas/atom"/>
      <category term="I.2.6" scheme="http://arxiv.org/schemas/atom"/>
    """
    record = parse_feed(feed_with(entry), ["2310.16046"])["2310.16046"]
    assert record.code_urls == ["https://github.com/neuro-galaxy/poyo"]
    assert record.status == "accepted" and record.venue == "NeurIPS 2023"
    assert record.version == "v2"
    assert record.pdf_url == "https://arxiv.org/pdf/2310.16046v2"  # rel related + type pdf
    assert record.categories == ["cs.LG"]  # MSC and ACM class terms dropped
    assert record.authors is None


@pytest.mark.parametrize(
    "bad",
    [
        b"<html><body><h1>Rate exceeded.</h1></body></html>",
        b"",
        b"garbage \x00\x01",
        b'{"error": "not xml"}',
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>',
    ],
)
def test_bodies_that_are_not_atom_are_invalid(bad):
    with pytest.raises(InvalidResponse):
        parse_feed(bad, ["1605.08386"])


def test_truncated_feed_is_invalid_not_partial():
    truncated = body("query_multi_id_one_missing.xml")[:-10]
    with pytest.raises(InvalidResponse):
        parse_feed(truncated, ["1707.08567"])


# --------------------------------------------------------------------------- fetch()


def replay(routes: dict[str, tuple[int, bytes]], seen: list[httpx.Request]):
    """Answer by ``id_list``; assert the request is the documented batch query."""

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        assert request.method == "GET"
        assert request.url.host == "export.arxiv.org"
        assert request.url.path == "/api/query"
        params = request.url.params
        ids = params["id_list"]
        assert params["start"] == "0"
        assert params["max_results"] == str(len(ids.split(",")))
        status, content = routes[ids]
        headers = {"content-type": "application/atom+xml"}
        return httpx.Response(status, content=content, headers=headers)

    return handler


def test_fetch_one_request_for_a_batch(make_http, settings):
    seen: list[httpx.Request] = []
    routes = {"1707.08567,0808.05394": (200, body("query_multi_id_one_missing.xml"))}
    source = ArxivSource(make_http(replay(routes, seen)), settings)
    outcomes = source.fetch(["1707.08567", "0808.05394"], {})
    assert len(seen) == 1
    assert outcomes["0808.05394"] == Fetched(None)
    data = outcomes["1707.08567"].data
    assert data["ids"] == {"arxiv": "1707.08567"}
    assert data["status"] == "preprint"
    assert "venue" not in data  # stored with exclude_none


def test_fetch_malformed_id_is_not_found_and_the_rest_asked_again(make_http, settings):
    seen: list[httpx.Request] = []
    routes = {
        "abc,1605.08386": (400, body("query_id_abc_malformed_http400.xml")),
        "1605.08386": (200, body("query_id_1605.08386.xml")),
    }
    source = ArxivSource(make_http(replay(routes, seen)), settings)
    outcomes = source.fetch(["abc", "1605.08386"], {})
    assert len(seen) == 2
    assert isinstance(outcomes["abc"], NotFound)
    assert outcomes["1605.08386"].data["title"] == "Heat-bath random walks with Markov bases"


def test_fetch_error_entry_in_a_200_answer_is_handled_alike(make_http, settings):
    # documented shape (API-NOTES.md §1 "Errors and edge cases", legacy column), not recorded
    legacy_error = feed_with(
        "<id>http://arxiv.org/api/errors#incorrect_id_format_for_1234.x</id><title>Error</title>"
        "<summary>incorrect id format for 1234.x</summary>"
    )
    seen: list[httpx.Request] = []
    routes = {
        "1234.x,1605.08386": (200, legacy_error),
        "1605.08386": (200, body("query_id_1605.08386.xml")),
    }
    source = ArxivSource(make_http(replay(routes, seen)), settings)
    outcomes = source.fetch(["1234.x", "1605.08386"], {})
    assert isinstance(outcomes["1234.x"], NotFound)
    assert outcomes["1605.08386"].data["ids"] == {"arxiv": "1605.08386"}
    assert len(seen) == 2


def test_fetch_400_naming_no_requested_id_fails_the_batch(make_http, settings):
    routes = {"2401.00001": (400, body("query_id_abc_malformed_http400.xml"))}
    source = ArxivSource(make_http(replay(routes, [])), settings)
    with pytest.raises(InvalidResponse):
        source.fetch(["2401.00001"], {})


def test_fetch_html_with_status_200_fails_the_batch(make_http, settings):
    routes = {"1605.08386": (200, b"<!DOCTYPE html><html><body>Service busy</body></html>")}
    source = ArxivSource(make_http(replay(routes, [])), settings)
    with pytest.raises(InvalidResponse):
        source.fetch(["1605.08386"], {})


def test_run_source_caches_answers_and_not_found(make_http, settings, tmp_path):
    seen: list[httpx.Request] = []
    routes = {"1707.08567,0808.05394": (200, body("query_multi_id_one_missing.xml"))}
    http = make_http(replay(routes, seen))
    source = ArxivSource(http, settings)
    with RecordCache(tmp_path / "cache") as cache:
        first = run_source(source, ["1707.08567", "0808.05394"], cache, "normal", NOW)
        again = run_source(source, ["1707.08567", "0808.05394"], cache, "normal", NOW)
    assert first["1707.08567"].status == "ok"
    assert first["0808.05394"].status == "not_found"
    assert again["1707.08567"].record == first["1707.08567"].record
    assert again["0808.05394"].status == "not_found"
    assert len(seen) == 1  # the warm run made no request


def test_run_source_splits_batches_of_200(make_http, settings, tmp_path):
    keys = [f"2401.{n:05d}" for n in range(250)]
    sizes: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        ids = request.url.params["id_list"].split(",")
        assert request.url.params["max_results"] == str(len(ids))
        sizes.append(len(ids))
        return httpx.Response(200, content=body("query_id_0000.0000_not_found.xml"))

    source = ArxivSource(make_http(handler), settings)
    with RecordCache(tmp_path / "cache") as cache:
        results = run_source(source, keys, cache, "normal", NOW)
    assert sizes == [200, 50]
    assert {r.status for r in results.values()} == {"not_found"}
