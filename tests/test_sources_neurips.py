"""NeurIPS proceedings source: page and BibTeX parsing, and fetch() end to end.

No NeurIPS page or BibTeX file was ever recorded: every body here is a documented shape
(API-NOTES.md §5), not recorded — the files in tests/fixtures/neurips (see its README) and the
short inline pages below.
"""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from harvester.cache import RecordCache
from harvester.errors import InvalidResponse, NotFound
from harvester.sources.base import run_source
from harvester.sources.neurips import (
    NeuripsSource,
    latex_text,
    page_tracks,
    parse_bibtex,
    parse_bibtex_record,
    parse_page,
)
from tests.recordings import fixture

NOW = datetime(2026, 6, 1, tzinfo=UTC)
SITE = "https://proceedings.neurips.cc"
POYO = "neurips:2023:8ca113d122584f12a6727341aaf58887"
POYO_PAGE = "/paper_files/paper/2023/hash/8ca113d122584f12a6727341aaf58887-Abstract-Conference.html"
POYO_BIB = "/paper_files/paper/2023/file/8ca113d122584f12a6727341aaf58887-Bibtex.bib"
POYO_PDF = (f"{SITE}/paper_files/paper/2023/file/"
            "8ca113d122584f12a6727341aaf58887-Paper-Conference.pdf")
DNB24 = "neurips:2024:00000000000000000000000000002024"
OLD19 = "neurips:2019:00000000000000000000000000002019"
DNB21 = "neurips:2021:00000000000000000000000000002021"
POYO_AUTHORS = ["Mehdi Azabou", "Vinam Arora", "Venkataramana Ganesh", "Ximeng Mao",
                "Santosh Nachimuthu", "Michael Mendelson", "Blake Richards", "Matthew Perich",
                "Guillaume Lajoie", "Eva Dyer"]


def site_file(path: str) -> bytes:
    # documented shape (API-NOTES.md §5), not recorded: see tests/fixtures/neurips/README.md
    return fixture("neurips", *path.strip("/").split("/")).read_bytes()


def site(seen: list[httpx.Request]):
    """The proceedings site as the fixture tree: a file per path, else 404."""

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        path = fixture("neurips", *request.url.path.strip("/").split("/"))
        if path.is_file():
            return httpx.Response(200, content=path.read_bytes(), request=request)
        return httpx.Response(404, html="<h1>Not Found</h1>", request=request)

    return handler


@pytest.fixture
def per_item(monkeypatch):
    """Pages found by guessing the track, without the year index (``HARVEST_PER_ITEM``)."""
    monkeypatch.setenv("HARVEST_PER_ITEM", "neurips")


def page(head: str, body: str = "") -> bytes:
    # documented shape (API-NOTES.md §5: Highwire tags, p.paper-abstract), not recorded
    return f"<html><head>{head}</head><body>{body}</body></html>".encode()


# --------------------------------------------------------------------------- Abstract pages


def test_main_track_page():
    record = parse_page(site_file(POYO_PAGE), POYO, SITE + POYO_PAGE)
    assert record.title == "A Unified, Scalable Framework for Neural Population Decoding"
    assert record.authors == POYO_AUTHORS
    assert record.year == 2023
    assert record.published is None  # citation_publication_date is a year
    assert record.venue == "NeurIPS 2023"
    assert record.status == "published"
    assert record.ids == {"proceedings": POYO}
    assert record.landing_url == SITE + POYO_PAGE
    assert record.pdf_url == POYO_PDF
    assert record.abstract == (
        "Illustrative abstract written for this fixture (not the page's text): a single model "
        "is trained on spikes from many recording sessions & animals, treating each spike as a "
        "token, and is then adapted to new sessions with few labels."
    )
    assert record.citation_count is None


def test_2024_datasets_track_page_with_doi():
    path = ("/paper_files/paper/2024/hash/"
            "00000000000000000000000000002024-Abstract-Datasets_and_Benchmarks_Track.html")
    record = parse_page(site_file(path), DNB24, SITE + path)
    assert record.authors == ["Jörg Müller", "Anna van der Berg", "Ada Lovelace"]
    assert record.ids == {"proceedings": DNB24, "doi": "10.52202/079017-9999"}
    assert record.venue == "NeurIPS 2024 Datasets and Benchmarks"
    assert record.abstract == (
        "Synthetic abstract: the first line, the second line with inline markup & an entity "
        "<here>."
    )


def test_pre_2022_page_with_nested_paragraphs():
    path = "/paper_files/paper/2019/hash/00000000000000000000000000002019-Abstract.html"
    record = parse_page(site_file(path), OLD19, SITE + path)
    assert record.venue == "NeurIPS 2019"
    assert record.authors == ["Alan Turing", "Grace Hopper"]
    assert record.abstract == (
        "Synthetic abstract of an older page, whose paragraph sits in another paragraph."
    )
    assert record.pdf_url.endswith("/2019/file/00000000000000000000000000002019-Paper.pdf")


def test_track_from_the_url_and_journal_title():
    url = f"{SITE}/paper_files/paper/2022/hash/{'a' * 32}-Abstract-Datasets_and_Benchmarks.html"
    record = parse_page(page('<meta name="citation_title" content="T">'),
                        f"neurips:2022:{'a' * 32}", url)
    assert record.venue == "NeurIPS 2022 Datasets and Benchmarks"
    journal = ('<meta name="citation_title" content="T"><meta name="citation_journal_title" '
               'content="Proceedings of the Neural Information Processing Systems Track on '
               'Datasets and Benchmarks">')
    assert parse_page(page(journal), DNB21, SITE).venue == "NeurIPS 2021 Datasets and Benchmarks"


def test_page_variants():
    head = ('<META NAME="citation_title" CONTENT="  Spaced   Title ">'
            '<meta name="citation_author" content="Plato">'
            '<meta name="citation_author" content="von Neumann, Jr., John">'
            '<meta name="citation_author" content=" ">'
            '<meta name="citation_publication_date" content="2023/12/10">'
            '<meta name="citation_pdf_url" content="/paper_files/paper/2023/file/x-Paper.pdf">')
    body = ("<h4>Abstract</h4><div><p class='paper-abstract'>Unclosed abstract"
            "</div><footer><p>Footer text</p></footer>")
    record = parse_page(page(head, body), POYO, SITE + POYO_PAGE)
    assert record.title == "Spaced Title"
    assert record.authors == ["Plato", "John von Neumann Jr."]
    assert record.published == "2023-12-10"
    assert record.pdf_url == f"{SITE}/paper_files/paper/2023/file/x-Paper.pdf"
    assert record.abstract == "Unclosed abstract"


def test_page_without_abstract_or_authors():
    record = parse_page(page('<meta name="citation_title" content="T">',
                             "<h4>Abstract</h4><p></p>"), POYO, SITE)
    assert record.abstract is None
    assert record.authors is None
    assert record.pdf_url is None


@pytest.mark.parametrize(
    "raw",
    [b"", b"<html><body><h1>Page not found</h1></body></html>",
     page('<meta name="citation_title" content="  ">'), b"\xff\xfe garbage"],
)
def test_a_page_without_citation_title_is_invalid(raw):
    with pytest.raises(InvalidResponse, match="citation_title"):
        parse_page(raw, POYO, SITE)


# --------------------------------------------------------------------------- BibTeX


def test_official_bibtex_file():
    record = parse_bibtex_record(site_file(POYO_BIB), POYO)
    assert record.title == "A Unified, Scalable Framework for Neural Population Decoding"
    assert record.authors == POYO_AUTHORS
    assert record.year == 2023
    assert record.venue == "NeurIPS 2023"
    assert record.status == "published"
    assert record.ids == {"proceedings": POYO}
    assert record.pdf_url == POYO_PDF
    assert record.landing_url is None
    assert record.abstract is None


def test_tolerant_bibtex_file():
    record = parse_bibtex_record(
        site_file("/paper_files/paper/2021/file/00000000000000000000000000002021-Bibtex.bib"),
        DNB21,
    )
    assert record.title == 'SynthBench: A "Synthetic" Benchmark with {Escapes} & Nested Braces'
    assert record.authors == ["Jörg Müller", "Lucía Ramírez", "The Synthetic Consortium",
                              "Cathy O'Neil"]
    assert record.venue == "NeurIPS 2021 Datasets and Benchmarks"
    assert record.ids == {"proceedings": DNB21, "doi": "10.5555/synthetic.2021"}
    assert record.pdf_url.endswith("-Paper-round1.pdf")


def test_bibtex_fields_raw():
    fields = parse_bibtex(
        '\ufeff% comment\n@InProceedings ( key ,\n  Title="a {"}b{"}" , YEAR = 2020,'
        "  note = {x {y} z},  url={https://e.org/p}  }"
    )
    assert fields == {"title": 'a {"}b{"}', "year": "2020", "note": "x {y} z",
                      "url": "https://e.org/p"}


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (r"Erd{\H o}s and Erd\H{o}s", "Erdős and Erdős"),
        (r"{\c{C}}elik, \c c, G{\"o}del, \v{S}ar{\'\i}", "Çelik, ç, Gödel, Šarí"),
        (r"{\o}stergaard, Stra{\ss}e, {\aa}", "østergaard, Straße, å"),
        (r"\emph{Deep} \textbf{nets}, 10\%, A\&B, a~b", "Deep nets, 10%, A&B, a b"),
        ("{{BERT}}", "BERT"),
        ("  ", None),
        (None, None),
    ],
)
def test_latex_text(value, text):
    assert latex_text(value) == text


@pytest.mark.parametrize(
    "raw",
    [b"<html><body>Not a BibTeX file</body></html>", b"@inproceedings{k, title = {unclosed",
     b"@inproceedings{k, author = {Someone}}"],
)
def test_bad_bibtex_is_invalid(raw):
    with pytest.raises(InvalidResponse):
        parse_bibtex_record(raw, POYO)


# --------------------------------------------------------------------------- fetch


def test_page_tracks_by_year():
    assert page_tracks(2019) == ("", "-Conference")
    assert page_tracks(2023) == ("-Conference", "-Datasets_and_Benchmarks", "")
    assert page_tracks(2024) == ("-Conference", "-Datasets_and_Benchmarks_Track",
                                 "-Datasets_and_Benchmarks", "")


def test_fetch_main_track_is_one_request(per_item, make_http, settings):
    seen: list[httpx.Request] = []
    outcomes = NeuripsSource(make_http(site(seen)), settings).fetch([POYO], {})
    assert [(r.method, r.url.path) for r in seen] == [("GET", POYO_PAGE)]
    assert outcomes[POYO].data["venue"] == "NeurIPS 2023"
    assert outcomes[POYO].data["ids"] == {"proceedings": POYO}
    assert outcomes[POYO].data["landing_url"] == SITE + POYO_PAGE


def test_fetch_falls_back_through_the_track_suffixes(per_item, make_http, settings):
    seen: list[httpx.Request] = []
    outcomes = NeuripsSource(make_http(site(seen)), settings).fetch([DNB24, OLD19], {})
    assert [r.url.path.rpartition("-Abstract")[2] for r in seen] == [
        "-Conference.html", "-Datasets_and_Benchmarks_Track.html",  # 2024: found second
        ".html",  # 2019: the plain form first
    ]
    assert outcomes[DNB24].data["ids"]["doi"] == "10.52202/079017-9999"
    assert outcomes[DNB24].data["landing_url"].endswith("-Datasets_and_Benchmarks_Track.html")
    assert outcomes[OLD19].data["venue"] == "NeurIPS 2019"


def test_fetch_uses_the_bibtex_when_no_page_exists(per_item, make_http, settings):
    seen: list[httpx.Request] = []
    outcomes = NeuripsSource(make_http(site(seen)), settings).fetch([DNB21], {})
    assert [r.url.path.rpartition("/")[2] for r in seen] == [
        "00000000000000000000000000002021-Abstract.html",
        "00000000000000000000000000002021-Abstract-Conference.html",
        "00000000000000000000000000002021-Bibtex.bib",
    ]
    assert outcomes[DNB21].data["title"].startswith("SynthBench")


def test_fetch_follows_a_redirect_to_the_page(per_item, make_http, settings):
    seen: list[httpx.Request] = []
    serve = site(seen)

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "papers.nips.cc":
            seen.append(request)
            return httpx.Response(301, headers={"location": f"{SITE}{request.url.path}"},
                                  request=request)
        return serve(request)

    mirror = settings.model_copy(update={"urls": {**settings.urls,
                                                  "neurips": "https://papers.nips.cc"}})
    outcomes = NeuripsSource(make_http(handler, mirror), mirror).fetch([POYO], {})
    assert [r.url.host for r in seen] == ["papers.nips.cc", "proceedings.neurips.cc"]
    assert outcomes[POYO].data["landing_url"] == SITE + POYO_PAGE


def test_nothing_at_all_is_not_found_and_cached(per_item, make_http, settings, tmp_path):
    seen: list[httpx.Request] = []
    missing = f"neurips:2023:{'f' * 32}"
    source = NeuripsSource(make_http(site(seen)), settings)
    with RecordCache(tmp_path / "cache") as cache:
        results = run_source(source, [missing, POYO], cache, "normal", NOW)
        assert results[missing].status == "not_found"
        assert results[POYO].status == "ok"
        assert len(seen) == 4 + 1  # three page forms and the BibTeX; then POYO's page
        again = run_source(source, [missing, POYO], cache, "normal", NOW)
        assert again[missing].status == "not_found"
        assert len(seen) == 5


def test_a_200_page_that_is_not_a_paper_is_invalid_for_that_key(make_http, settings):
    def handler(request: httpx.Request) -> httpx.Response:
        if "8ca113d1" in request.url.path:
            return httpx.Response(200, html="<html><title>Maintenance</title></html>",
                                  request=request)
        return site([])(request)

    outcomes = NeuripsSource(make_http(handler), settings).fetch([POYO, OLD19], {})
    assert isinstance(outcomes[POYO], InvalidResponse)
    assert outcomes[OLD19].data["title"].startswith("A Synthetic Paper")


def test_forbidden_is_a_per_key_error(make_http, settings):
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(403, request=request)

    outcome = NeuripsSource(make_http(handler), settings).fetch([POYO], {})[POYO]
    assert outcome.kind == "blocked"


@pytest.mark.parametrize("key", ["neurips:2023:XYZ", "neurips:23:" + "a" * 32, "pmlr:v202:x23a",
                                 "neurips:2023:" + "A" * 32])
def test_malformed_key_is_not_asked(make_http, settings, key):
    def handler(request: httpx.Request) -> httpx.Response:
        raise AssertionError("no request expected")

    outcome = NeuripsSource(make_http(handler), settings).fetch([key], {})[key]
    assert isinstance(outcome, NotFound)


# --------------------------------------------------------------------------- year index
#
# No index page was recorded: the one below follows the documented shape (API-NOTES.md part 3
# §8: a link per paper to its Abstract page, the title as its text, the authors beside it, the
# track in the link's suffix), in the markup of the site's paper list.

from harvester.sources.base import Fetched  # noqa: E402
from harvester.sources.neurips import parse_year_index  # noqa: E402

DNB24_HASH = "00000000000000000000000000002024"


def index_page(year: int, items: list[tuple[str, str, str, str]],
               sections: dict[str, str] | None = None) -> bytes:
    rows = "\n".join(
        f'<li class="{(sections or {}).get(digest, "conference")}"><div class="paper-content">'
        f'<a title="paper title" '
        f'href="/paper_files/paper/{year}/hash/{digest}-Abstract{track}.html">{title}</a>'
        f'<span class="paper-authors">{authors}</span></div></li>'
        for digest, track, title, authors in items)
    return (f"<html><body><h4>NeurIPS {year}</h4><ul class='paper-list'>{rows}</ul>"
            "</body></html>").encode()


INDEX_2024 = index_page(2024, [
    ("f" * 32, "-Conference", "Another &amp; paper", "A. One, B. Two"),
    (DNB24_HASH, "-Datasets_and_Benchmarks_Track", "A benchmark", "C. Three"),
], {DNB24_HASH: "datasets_and_benchmarks_track"})
INDEX_2023 = index_page(2023, [("8ca113d122584f12a6727341aaf58887", "-Conference",
                                "A Unified, Scalable Framework for Neural Population Decoding",
                                ", ".join(POYO_AUTHORS))])
DNB21_HASH = DNB21.rsplit(":", 1)[1]
INDEX_2021 = index_page(2021, [(DNB21_HASH, "", "A 2021 benchmark", "D. Four"),
                               ("a" * 32, "", "A 2021 paper", "E. Five")],
                        {DNB21_HASH: "datasets_and_benchmarks"})


@pytest.fixture(autouse=True)
def index_for_any_year(request, monkeypatch):
    """The tests below ask few keys a year: let one key be enough to read a year's index."""
    if request.node.name.startswith(INDEX_TESTS):
        monkeypatch.setattr("harvester.sources.neurips.INDEX_MIN_KEYS", 1)


INDEX_TESTS = ("test_the_index", "test_index_and", "test_a_hash_the_index",
               "test_listed_pages")


def with_index(seen: list[httpx.Request], indexes: dict[str, bytes]):
    serve = site(seen)

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path in indexes:
            seen.append(request)
            return httpx.Response(200, content=indexes[request.url.path], request=request)
        return serve(request)

    return handler


def test_year_index_lists_hash_track_title_and_authors():
    index = parse_year_index(INDEX_2024, 2024)
    assert set(index) == {"f" * 32, DNB24_HASH}
    entry = index[DNB24_HASH]
    assert entry.track == "-Datasets_and_Benchmarks_Track"
    assert entry.section == "datasets_and_benchmarks_track"
    assert entry.path.endswith(f"{DNB24_HASH}-Abstract-Datasets_and_Benchmarks_Track.html")
    assert index["f" * 32].title == "Another & paper"
    assert index["f" * 32].authors == ("A. One", "B. Two")
    assert index["f" * 32].section == "conference"
    assert parse_year_index(INDEX_2024, 2023) == {}  # links of another year are not this one's


def test_the_index_answers_every_key_of_its_year_without_reading_pages(make_http, settings):
    seen: list[httpx.Request] = []
    handler = with_index(seen, {"/paper_files/paper/2024": INDEX_2024,
                                "/paper_files/paper/2023": INDEX_2023})
    outcomes = NeuripsSource(make_http(handler), settings).fetch([DNB24, POYO], {})
    assert [r.url.path for r in seen] == ["/paper_files/paper/2024", "/paper_files/paper/2023"]
    record = outcomes[DNB24].data
    assert record == {
        "title": "A benchmark", "authors": ["C. Three"], "year": 2024,
        "venue": "NeurIPS 2024 Datasets and Benchmarks", "status": "published",
        "ids": {"proceedings": DNB24},
        "landing_url": f"{SITE}/paper_files/paper/2024/hash/{DNB24_HASH}"
                       "-Abstract-Datasets_and_Benchmarks_Track.html",
        "pdf_url": f"{SITE}/paper_files/paper/2024/file/{DNB24_HASH}"
                   "-Paper-Datasets_and_Benchmarks_Track.pdf",
    }  # no abstract and no DOI: the page alone has them


def test_the_index_names_the_track_in_its_list_items_before_2022(make_http, settings):
    # before 2022 the page URL has no track suffix: the list item's class names the track
    handler = with_index([], {"/paper_files/paper/2021": INDEX_2021})
    other = f"neurips:2021:{'a' * 32}"
    outcomes = NeuripsSource(make_http(handler), settings).fetch([DNB21, other], {})
    assert outcomes[DNB21].data["venue"] == "NeurIPS 2021 Datasets and Benchmarks"
    assert outcomes[other].data["venue"] == "NeurIPS 2021"


def test_index_and_page_records_agree_on_what_the_index_has(make_http, settings):
    handler = with_index([], {"/paper_files/paper/2024": INDEX_2024,
                              "/paper_files/paper/2023": INDEX_2023})
    listed = NeuripsSource(make_http(handler), settings).fetch([POYO], {})[POYO].data
    page_record = parse_page(site_file(POYO_PAGE), POYO, SITE + POYO_PAGE).model_dump(
        mode="json", exclude_none=True)
    assert page_record["abstract"] and "abstract" not in listed
    assert {k: v for k, v in page_record.items() if k != "abstract"} == listed


def test_page_keys_read_the_page_the_index_named(make_http, settings):
    seen: list[httpx.Request] = []
    key = f"neurips-page:2024:{DNB24_HASH}-Datasets_and_Benchmarks_Track"
    outcomes = NeuripsSource(make_http(site(seen)), settings).fetch([key], {})
    assert [r.url.path for r in seen] == [
        f"/paper_files/paper/2024/hash/{DNB24_HASH}-Abstract-Datasets_and_Benchmarks_Track.html"]
    assert outcomes[key].data["ids"] == {"proceedings": DNB24, "doi": "10.52202/079017-9999"}


def test_a_page_key_whose_page_moved_goes_the_per_key_way(make_http, settings):
    seen: list[httpx.Request] = []
    key = f"neurips-page:2024:{DNB24_HASH}-Conference"  # wrong track: 404, then guessed
    outcomes = NeuripsSource(make_http(site(seen)), settings).fetch([key], {})
    assert seen[-1].url.path.endswith("-Abstract-Datasets_and_Benchmarks_Track.html")
    assert outcomes[key].data["ids"]["proceedings"] == DNB24
    bad = "neurips-page:2024:xyz"
    assert isinstance(NeuripsSource(make_http(site([])), settings).fetch([bad], {})[bad],
                      NotFound)


def test_a_hash_the_index_lacks_and_a_year_without_index_go_the_per_key_way(make_http,
                                                                           settings):
    seen: list[httpx.Request] = []
    missing = f"neurips:2023:{'e' * 32}"
    handler = with_index(seen, {"/paper_files/paper/2023": INDEX_2023})
    outcomes = NeuripsSource(make_http(handler), settings).fetch([missing, OLD19], {})
    paths = [r.url.path for r in seen]
    assert paths[0] == "/paper_files/paper/2023"
    assert paths[1].endswith("e" * 32 + "-Abstract-Conference.html")  # guessed, then bibtex
    assert "/paper_files/paper/2019" in paths  # 404: no index, so the plain page form
    assert outcomes[missing] == Fetched(None)
    assert outcomes[OLD19].data["venue"] == "NeurIPS 2019"
    assert outcomes[OLD19].data["abstract"]  # read from its page


def test_legacy_ids_follow_the_redirect_to_the_paper_page(make_http, settings):
    seen: list[httpx.Request] = []
    serve = site(seen)
    target = "/paper_files/paper/2019/hash/00000000000000000000000000002019-Abstract.html"

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path in ("/paper/9001-a-synthetic-paper", "/paper/by-source-2019-77"):
            seen.append(request)
            return httpx.Response(301, headers={"location": f"{SITE}{target}"}, request=request)
        return serve(request)

    keys = ["neurips-legacy:9001-a-synthetic-paper", "neurips-legacy:by-source-2019-77",
            "neurips-legacy:by-source-1999-1", "neurips-legacy:../x"]
    outcomes = NeuripsSource(make_http(handler), settings).fetch(keys, {})
    for key in keys[:2]:
        assert outcomes[key].data["ids"] == {"proceedings": OLD19}
        assert outcomes[key].data["landing_url"] == SITE + target
    assert outcomes[keys[2]] == Fetched(None)  # the site answers 404
    assert isinstance(outcomes[keys[3]], NotFound)
    assert not any("/x" in r.url.path for r in seen)


def test_listed_pages_are_asked_under_the_configured_root(make_http, settings):
    # a mirror (or the fake server) under a path prefix: the index's root-relative links
    # must not drop it
    seen: list[httpx.Request] = []
    root = "https://mirror.example/neurips"

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        path = request.url.path.removeprefix("/neurips")
        if path == "/paper_files/paper/2023":
            return httpx.Response(200, content=INDEX_2023, request=request)
        file = fixture("neurips", *path.strip("/").split("/"))
        if file.is_file():
            return httpx.Response(200, content=file.read_bytes(), request=request)
        return httpx.Response(404, request=request)

    mirror = settings.model_copy(update={"urls": {**settings.urls, "neurips": root}})
    source = NeuripsSource(make_http(handler, mirror), mirror)
    record = source.fetch([POYO], {})[POYO].data
    assert record["landing_url"] == root + POYO_PAGE
    page_key = f"neurips-page:2023:{POYO.rsplit(':', 1)[1]}-Conference"
    assert source.fetch([page_key], {})[page_key].data["abstract"]
    assert [r.url.path for r in seen] == ["/neurips/paper_files/paper/2023", "/neurips" + POYO_PAGE]


def test_a_year_with_few_keys_guesses_the_track_instead_of_reading_the_index(make_http,
                                                                             settings):
    seen: list[httpx.Request] = []
    handler = with_index(seen, {"/paper_files/paper/2023": INDEX_2023})
    outcomes = NeuripsSource(make_http(handler), settings).fetch([POYO], {})
    assert [r.url.path for r in seen] == [POYO_PAGE]  # one key: the index would cost more
    assert outcomes[POYO].data["title"]


# --------------------------------------------------------------------------- page stages

from harvester.sources import REGISTRY, Result  # noqa: E402
from harvester.sources.neurips import SPEC, index_record  # noqa: E402


class StubView:
    """One entry's answers so far: source → key → record (what the stages' key functions read)."""

    def __init__(self, answers: dict[str, dict[str, dict]]) -> None:
        self.answers = answers

    def asked(self, source: str) -> list[str]:
        return list(self.answers.get(source, {}))

    def result(self, source: str, key: str) -> Result | None:
        record = self.answers.get(source, {}).get(key)
        return Result(status="ok", record=record) if record is not None else None

    def records(self, source: str) -> list[dict]:
        return list(self.answers.get(source, {}).values())


def listed(key: str, track: str = "-Conference") -> dict:
    entry = parse_year_index(index_page(int(key.split(":")[1]), [
        (key.rsplit(":", 1)[1], track, "A paper", "A. One")]), int(key.split(":")[1]))
    return index_record(next(iter(entry.values())), key, SITE).model_dump(
        mode="json", exclude_none=True)


def stage_keys(name: str, view: StubView) -> list[str]:
    stage = next(stage for stage in SPEC.stages if stage.name == name)
    return stage.keys(view)  # type: ignore[arg-type]


def test_the_abstract_page_is_asked_only_when_no_source_gave_an_abstract():
    record = listed(POYO)
    page = f"neurips-page:2023:{POYO.rsplit(':', 1)[1]}-Conference"
    alone = StubView({"neurips": {POYO: record}})
    assert stage_keys("neurips-pages", alone) == [page]
    s2 = {"TITLE:2023:A paper": {"title": "A paper", "abstract": "S2 has it."}}
    assert stage_keys("neurips-pages", StubView({"neurips": {POYO: record},
                                                 "semanticscholar": s2})) == []
    read = {POYO: record, page: {**record, "abstract": "From the page."}}
    assert stage_keys("neurips-pages", StubView({"neurips": read})) == []


def test_the_doi_page_is_asked_from_2024_on_right_after_the_index():
    dnb = listed(DNB24, "-Datasets_and_Benchmarks_Track")
    assert stage_keys("neurips-doi-pages", StubView({"neurips": {DNB24: dnb}})) == [
        f"neurips-page:2024:{DNB24_HASH}-Datasets_and_Benchmarks_Track"]
    assert stage_keys("neurips-doi-pages", StubView({"neurips": {POYO: listed(POYO)}})) == []
    doi_stage = next(stage for stage in SPEC.stages if stage.name == "neurips-doi-pages")
    assert doi_stage.after == ("neurips",)


def test_the_abstract_pages_wait_for_every_stage_that_can_give_an_abstract():
    stage = next(stage for stage in SPEC.stages if stage.name == "neurips-pages")
    waits = set(stage.after)
    fallback = next(st for st in REGISTRY["semanticscholar"].stages if st.name == "s2-fallback")
    covered = waits | set(fallback.after)
    for spec in REGISTRY.values():
        if "paper.abstract" in spec.fields and spec.name != "neurips":
            assert {st.name for st in spec.stages} <= covered, spec.name


def test_the_index_of_a_year_is_read_once_for_all_its_batches(make_http, settings):
    seen: list[httpx.Request] = []
    handler = with_index(seen, {"/paper_files/paper/2024": INDEX_2024})
    source = NeuripsSource(make_http(handler), settings)
    other = f"neurips:2024:{'f' * 32}"
    first = source.fetch([DNB24, other], {})
    second = source.fetch([other, DNB24], {})  # the next batch of the same stage
    assert [r.url.path for r in seen] == ["/paper_files/paper/2024"]
    assert first == second
