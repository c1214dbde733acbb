"""PubMed source: esummary/efetch/ID-converter parsing and fetch() against recorded answers.

Recorded (tests/fixtures/ncbi, byte-exact copies; see PROVENANCE-part3.md): esummary JSON for
34313350,27078154 and 11125122,12045153; efetch PubmedArticleSet for 12091962,9997 and
11748933,11700088 and 30108519 (HTML and MathML inside AbstractText); the esummary XML error
answer; the PMC ID Converter (R-vcr cassettes, 200 and 404). The recordings do not cover the same
PMIDs in esummary and efetch, so the fetch tests pair them as recorded and say which fields come
from where. An unknown uid inside esummary JSON (``{"uid", "error"}``) is documented, not
recorded: the inline answer below is built from that documented shape.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
import yaml

from harvester.cache import RecordCache
from harvester.config import SourceSettings
from harvester.errors import InvalidResponse, NotFound
from harvester.sources.base import Fetched, run_source
from harvester.sources.pubmed import (
    DEFAULT_IDCONV_URL,
    DEFAULT_URL,
    PubmedSource,
    clean_title,
    parse_efetch,
    parse_esummary,
    parse_idconv,
    summary_record,
)
from tests.recordings import fixture

NOW = datetime(2026, 6, 1, tzinfo=UTC)
ESUMMARY_A = "yeliztli_esummary_pubmed_id-34313350,27078154_retmode-json.json"
ESUMMARY_B = "yeliztli_esummary_pubmed_id-11125122,12045153_retmode-json.json"
EFETCH_MATHML = "biopython_efetch_pubmed_id-30108519_retmode-xml_html-mathml-in-abstract.xml"
EFETCH_TWO = "biopython_efetch_pubmed_id-12091962,9997_rettype-abstract_retmode-xml.xml"
EFETCH_RETMODE = "biopython_efetch_pubmed_id-11748933,11700088_retmode-xml.xml"


def ncbi(name: str) -> bytes:
    return fixture("ncbi", name).read_bytes()


def r_vcr(name: str) -> tuple[int, bytes]:
    """Status and body of the one interaction of an R-vcr cassette (``http_interactions``)."""
    data = yaml.safe_load(Path(fixture("ncbi", name)).read_text(encoding="utf-8"))
    response = data["http_interactions"][0]["response"]
    return int(response["status"]["status_code"]), response["body"]["string"].encode()


@pytest.fixture
def pubmed_settings(settings):
    """Settings with the source registered as the registry will (no pacing in tests)."""
    return settings.model_copy(update={
        "sources": {**settings.sources,
                    "pubmed": SourceSettings(batch_size=200, min_interval=0, ttl=30 * 86400)},
        "contact": "maintainer@example.org",
    })


# --------------------------------------------------------------------------- esummary


def test_esummary_records_from_the_recording():
    summaries = parse_esummary(ncbi(ESUMMARY_A))
    assert set(summaries) == {"34313350", "27078154"}
    record = summary_record(summaries["34313350"], None)
    assert record.title == ("APOE gene ɛ4 allele (388C-526C) effects on serum lipids and risk of "
                            "coronary artery disease in southern Chinese Hakka population")
    assert record.authors == ["Liu Q", "Wu H", "Yu Z", "Huang Q", "Zhong Z"]
    assert record.year == 2021  # pubdate "2021 Sep"
    assert record.published == "2021-07-27"  # the first full date: epubdate "2021 Jul 27"
    assert record.venue == "Journal of clinical laboratory analysis"
    assert record.status == "published"
    assert record.ids == {"pmid": "34313350", "pmcid": "PMC8418481", "doi": "10.1002/jcla.23925"}
    assert record.landing_url == "https://pubmed.ncbi.nlm.nih.gov/34313350/"
    assert record.abstract is None  # esummary has none; efetch gives it


def test_esummary_dates_and_ids_of_other_records():
    summaries = parse_esummary(ncbi(ESUMMARY_B))
    dbsnp = summary_record(summaries["11125122"], None)
    assert (dbsnp.year, dbsnp.published) == (2001, "2001-01-01")  # pubdate "2001 Jan 1"
    assert dbsnp.title == "dbSNP: the NCBI database of genetic variation"
    assert dbsnp.ids["doi"] == "10.1093/nar/29.1.308"
    ucsc = summary_record(summaries["12045153"], None)
    assert (ucsc.year, ucsc.published) == (2002, None)  # "2002 Jun", no epubdate: no full date
    plos = summary_record(parse_esummary(ncbi(ESUMMARY_A))["27078154"], None)
    assert (plos.year, plos.published) == (2016, "2016-04-14")  # "2016" and "2016 Apr 14"


def test_esummary_unknown_uid_is_left_out():
    # documented shape, not recorded: an unknown uid inside an HTTP 200 answer
    body = json.dumps({"header": {"type": "esummary", "version": "0.3"},
                       "result": {"uids": ["1"], "1": {"uid": "1",
                                                       "error": "cannot get document summary"}}})
    assert parse_esummary(body.encode()) == {}


@pytest.mark.parametrize("body", [ncbi("biopython_esummary_no-id_error.xml"), b"[]",
                                  b'{"error": "API rate limit exceeded"}'])
def test_esummary_other_answers_are_invalid(body):
    with pytest.raises(InvalidResponse):
        parse_esummary(body)


def test_preprint_pubtype_is_a_preprint():
    summary = dict(parse_esummary(ncbi(ESUMMARY_A))["27078154"], pubtype=["Preprint"])
    assert summary_record(summary, None).status == "preprint"


@pytest.mark.parametrize(("raw", "title"), [
    ("A title.", "A title"),
    ("[Ein übersetzter Titel].", "Ein übersetzter Titel"),
    ("Does it work?", "Does it work?"),
    ("Wait for it...", "Wait for it..."),
    ("", None),
])
def test_clean_title(raw, title):
    assert clean_title(raw) == title


# --------------------------------------------------------------------------- efetch


def test_efetch_abstract_with_html_and_mathml_is_plain_text():
    articles = parse_efetch(ncbi(EFETCH_MATHML))
    assert set(articles) == {"30108519"}  # not the PMIDs of its reference list
    article = articles["30108519"]
    abstract = article["abstract"]
    assert abstract.startswith("Maximal Lactate Steady State (MLSS) and Lactate Threshold")
    assert '"Minimum Lactate Equivalent" (LEmin)' in abstract  # <sub> joined, &quot; decoded
    assert "maximal oxygen uptake ( V.O2max ) 67.6" in abstract  # MathML without its layout
    assert "(P < 0.001; ES: 3.54)" in abstract  # <i>P</i> and &lt;
    assert "<" not in abstract.replace("P < 0", "")
    assert article["authors"] == ["Ibai Garcia-Tabar", "Esteban M Gorostiaga"]
    assert (article["doi"], article["pmc"]) == ("10.3389/fphys.2018.01034", "PMC6079548")


def test_efetch_two_articles_one_without_abstract():
    articles = parse_efetch(ncbi(EFETCH_TWO))
    assert set(articles) == {"12091962", "9997"}
    assert articles["12091962"]["abstract"] is None
    assert articles["12091962"]["authors"] == ["J Michael Olivero"]
    assert articles["9997"]["abstract"].startswith("Electron paramagnetic resonance")
    assert articles["9997"]["authors"] == ["T C Strekas"]
    assert set(parse_efetch(ncbi(EFETCH_RETMODE))) == {"11748933", "11700088"}


def test_efetch_labelled_sections_keep_their_labels():
    # documented shape (structured abstracts: AbstractText Label="…"), not recorded
    body = (b"<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>7</PMID><Article>"
            b"<ArticleTitle>T.</ArticleTitle><Abstract>"
            b'<AbstractText Label="BACKGROUND">Why.</AbstractText>'
            b'<AbstractText Label="RESULTS">What <i>happened</i>.</AbstractText>'
            b"</Abstract></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>")
    assert parse_efetch(body)["7"]["abstract"] == "BACKGROUND: Why. RESULTS: What happened."


@pytest.mark.parametrize("body", [b"not xml", b"<eFetchResult><ERROR>x</ERROR></eFetchResult>",
                                  b'<!DOCTYPE x [<!ENTITY a "b">]><PubmedArticleSet/>'])
def test_efetch_other_answers_are_invalid(body):
    with pytest.raises(InvalidResponse):
        parse_efetch(body)


def test_efetch_names_complete_the_summary():
    summary = parse_esummary(ncbi(ESUMMARY_A))["34313350"]
    article = {"abstract": "An abstract.", "authors": ["Qing Liu"], "title": None, "doi": None,
               "pmc": None}
    record = summary_record(summary, article)
    assert (record.abstract, record.authors) == ("An abstract.", ["Qing Liu"])


# --------------------------------------------------------------------------- ID converter


def test_idconv_recorded_answer():
    status, body = r_vcr("rcrossref_idconv_id_converter.yml")
    assert status == 200
    assert parse_idconv(body) == {"PMC2883744": "20495566"}


def test_idconv_recorded_error_is_invalid():
    status, body = r_vcr("rcrossref_idconv_id_converter_fails_type_param_bad.yml")
    assert status == 404
    with pytest.raises(InvalidResponse):
        parse_idconv(body)


def test_idconv_record_without_pmid_is_left_out():
    # documented shape (an "errmsg" record for an unknown id), not recorded
    body = json.dumps({"status": "ok", "records": [
        {"pmcid": "PMC1", "errmsg": "invalid article id"}, {"pmcid": "PMC2", "doi": "10.1/x"},
        {"pmcid": "PMC3", "pmid": "33"}]}).encode()
    assert parse_idconv(body) == {"PMC3": "33"}


# --------------------------------------------------------------------------- fetch


def eutils(seen: list[httpx.Request], esummary: bytes, efetch: bytes, idconv: bytes = b""):
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        path = str(request.url.copy_with(query=None))
        if path == f"{DEFAULT_URL}/esummary.fcgi":
            return httpx.Response(200, content=esummary, request=request)
        if path == f"{DEFAULT_URL}/efetch.fcgi":
            return httpx.Response(200, content=efetch, request=request)
        if path == DEFAULT_IDCONV_URL:
            return httpx.Response(200, content=idconv, request=request)
        return httpx.Response(404, request=request)

    return handler


def test_fetch_is_one_esummary_and_one_efetch_per_batch(make_http, pubmed_settings):
    seen: list[httpx.Request] = []
    http = make_http(eutils(seen, ncbi(ESUMMARY_A), ncbi(EFETCH_MATHML)), pubmed_settings)
    outcomes = PubmedSource(http, pubmed_settings).fetch(["pmid:34313350", "pmid:27078154"], {})
    assert [r.url.path.rpartition("/")[2] for r in seen] == ["esummary.fcgi", "efetch.fcgi"]
    for request in seen:
        assert request.url.params["id"] == "34313350,27078154"
        assert request.url.params["db"] == "pubmed"
        assert request.url.params["tool"] == "awesome-harvester"
        assert request.url.params["email"] == "maintainer@example.org"
    assert seen[0].url.params["retmode"] == "json"
    assert (seen[1].url.params["rettype"], seen[1].url.params["retmode"]) == ("abstract", "xml")
    first = outcomes["pmid:34313350"]
    assert isinstance(first, Fetched)
    assert first.data["ids"]["pmid"] == "34313350"
    assert first.data["venue"] == "Journal of clinical laboratory analysis"
    # the recorded efetch answer is about another PMID: nothing of it is attached here
    assert "abstract" not in first.data and first.data["authors"][0] == "Liu Q"


def test_fetch_without_contact_sends_no_email(make_http, pubmed_settings):
    seen: list[httpx.Request] = []
    anonymous = pubmed_settings.model_copy(update={"contact": None})
    http = make_http(eutils(seen, ncbi(ESUMMARY_A), ncbi(EFETCH_MATHML)), anonymous)
    PubmedSource(http, anonymous).fetch(["pmid:34313350"], {})
    assert all("email" not in r.url.params for r in seen)


def test_fetch_pmcid_goes_through_the_id_converter(make_http, pubmed_settings):
    seen: list[httpx.Request] = []
    idconv = json.dumps({"status": "ok", "records": [
        {"pmcid": "PMC8418481", "pmid": "34313350"}, {"pmcid": "PMC9", "errmsg": "not found"}]})
    http = make_http(eutils(seen, ncbi(ESUMMARY_A), ncbi(EFETCH_MATHML), idconv.encode()),
                     pubmed_settings)
    keys = ["pmcid:PMC8418481", "pmcid:PMC9", "pmid:34313350"]
    outcomes = PubmedSource(http, pubmed_settings).fetch(keys, {})
    assert seen[0].url.params["ids"] == "PMC8418481,PMC9"
    assert seen[1].url.params["id"] == "34313350"  # asked once for both keys
    assert outcomes["pmcid:PMC8418481"].data["ids"]["pmcid"] == "PMC8418481"
    assert outcomes["pmcid:PMC8418481"].data == outcomes["pmid:34313350"].data
    assert outcomes["pmcid:PMC9"].data is None


def test_fetch_unknown_pmid_is_not_found_and_cached(make_http, pubmed_settings, tmp_path):
    seen: list[httpx.Request] = []
    http = make_http(eutils(seen, ncbi(ESUMMARY_A), ncbi(EFETCH_MATHML)), pubmed_settings)
    source = PubmedSource(http, pubmed_settings)
    with RecordCache(tmp_path / "cache") as cache:
        results = run_source(source, ["pmid:34313350", "pmid:1"], cache, "normal", NOW)
        assert results["pmid:1"].status == "not_found"
        assert results["pmid:34313350"].status == "ok"
        assert len(seen) == 2
        run_source(source, ["pmid:34313350", "pmid:1"], cache, "normal", NOW)
        assert len(seen) == 2  # both answers cached


def test_failed_efetch_keeps_the_last_good_values(make_http, pubmed_settings, tmp_path):
    seen: list[httpx.Request] = []
    good = make_http(eutils(seen, ncbi(ESUMMARY_A), ncbi(EFETCH_MATHML)), pubmed_settings)

    def broken(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("efetch.fcgi"):
            return httpx.Response(200, html="<html>Service unavailable</html>", request=request)
        return eutils([], ncbi(ESUMMARY_A), b"")(request)

    with RecordCache(tmp_path / "cache") as cache:
        run_source(PubmedSource(good, pubmed_settings), ["pmid:34313350"], cache, "normal", NOW)
        bad = PubmedSource(make_http(broken, pubmed_settings), pubmed_settings)
        result = run_source(bad, ["pmid:34313350"], cache, "refresh", NOW)["pmid:34313350"]
    assert result.status == "failed" and result.stale
    assert result.error.kind == "invalid_response"
    assert result.record["title"].startswith("APOE gene")


@pytest.mark.parametrize("key", ["pmid:abc", "pmid:0", "PMID:34313350", "pmcid:8418481", "acl:x"])
def test_malformed_key_is_not_asked(make_http, pubmed_settings, key):
    def handler(request: httpx.Request) -> httpx.Response:
        raise AssertionError("no request expected")

    outcome = PubmedSource(make_http(handler, pubmed_settings), pubmed_settings).fetch([key], {})
    assert isinstance(outcome[key], NotFound)


def test_batch_size_is_capped(pubmed_settings, make_http):
    big = pubmed_settings.model_copy(update={
        "sources": {**pubmed_settings.sources, "pubmed": SourceSettings(batch_size=1000)}})
    assert PubmedSource(make_http(lambda r: None, big), big).batch_size() == 200


def test_an_endpoint_404_is_not_a_missing_paper(make_http, pubmed_settings, tmp_path):
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404, request=request)

    source = PubmedSource(make_http(handler, pubmed_settings), pubmed_settings)
    with RecordCache(tmp_path / "cache") as cache:
        result = run_source(source, ["pmid:34313350"], cache, "normal", NOW)["pmid:34313350"]
    assert result.status == "failed" and result.error.kind == "invalid_response"


# --------------------------------------------------------------------------- the fake server


@pytest.fixture
def fake_eutils(pubmed_settings):
    from tests.fakeapi import FakeAPI, Fault

    with FakeAPI() as api:
        env = api.env()
        local = pubmed_settings.model_copy(update={"urls": {
            **pubmed_settings.urls, "pubmed": env["HARVEST_PUBMED_URL"],
            "pmc_idconv": env["HARVEST_PMC_IDCONV_URL"] + "/"}})
        yield api, local, Fault


def test_fetch_against_the_fake_server(make_http, fake_eutils):
    api, local, _ = fake_eutils
    source = PubmedSource(make_http(httpx.HTTPTransport(), local), local)
    keys = ["pmid:30000001", "pmcid:PMC9000001", "pmid:30000002", "pmid:39999999",
            "pmcid:PMC1"]
    outcomes = source.fetch(keys, {})
    first = outcomes["pmid:30000001"].data
    assert first["title"] == "Spiking population dynamics in a synthetic cortex"
    assert first["authors"] == ["Ada Lovelace", "Santiago Ramón y Cajal"]  # efetch's names
    assert first["abstract"] == "Neurons fire; Vm rises and falls."
    assert (first["year"], first["published"]) == (2021, "2021-07-27")
    assert first["ids"] == {"pmid": "30000001", "pmcid": "PMC9000001",
                            "doi": "10.5555/jsn.2021.1"}
    assert outcomes["pmcid:PMC9000001"].data == first
    assert "abstract" not in outcomes["pmid:30000002"].data
    assert outcomes["pmid:39999999"].data is None
    assert outcomes["pmcid:PMC1"].data is None
    assert [(r.prefix, r.path) for r in api.requests] == [
        ("/pmc-idconv", "/"), ("/eutils", "/esummary.fcgi"), ("/eutils", "/efetch.fcgi")]
    assert all("tool=awesome-harvester" in r.query for r in api.requests)


def test_fake_server_outage_fails_the_batch(make_http, fake_eutils, tmp_path):
    api, local, fault = fake_eutils
    api.set_fault("pubmed", fault("status", 503))
    source = PubmedSource(make_http(httpx.HTTPTransport(), local), local)
    with RecordCache(tmp_path / "cache") as cache:
        results = run_source(source, ["pmid:30000001", "pmid:30000002"], cache, "normal", NOW)
    assert {r.status for r in results.values()} == {"failed"}
    assert {r.error.kind for r in results.values()} == {"unavailable"}
    assert api.counts["pubmed"] > 1  # retried within the budget (the sleeps are not real)
