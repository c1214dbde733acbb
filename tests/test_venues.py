"""The venue vocabulary and its matcher, alias family by alias family, and the resolution of a
paper's venue fields from its sources' records.

Shapes come from recordings where they exist (Semantic Scholar venue strings and DBLP keys,
Crossref container titles and ISSNs, arXiv comments and journal references under
``tests/fixtures``); OpenReview was never recorded, so its shapes are the documented ones
(API-NOTES.md §2 and §10, and ``tests/fixtures/openreview``, built by hand from them); arXiv
comment phrasings that no recording holds are written as authors write them and marked so.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from harvester.sources.arxiv import parse_feed
from harvester.sources.crossref import parse_work
from harvester.venues import (
    VenueMatch,
    match,
    read_record,
    resolve_venue,
    tidy,
    vocabulary,
)
from tests.recordings import fixture, load_cassette

DATA = Path(__file__).resolve().parents[1] / "harvester" / "data" / "venues.toml"


def key_year(text: str, kind: Any = "text", **kw: Any) -> tuple[str | None, int | None]:
    m = match(text, kind, **kw)
    return (m.key, m.year) if m else (None, None)


# --------------------------------------------------------------------------- the vocabulary


def test_vocabulary_loads_every_table_of_the_data_file():
    raw = tomllib.loads(DATA.read_text(encoding="utf-8"))
    venues = vocabulary().venues
    assert set(venues) == set(raw)
    assert all(key == key.lower() for key in venues)
    assert {v.kind for v in venues.values()} == {"conference", "journal", "preprint"}


def test_the_corpus_venues_are_in_the_vocabulary():
    keys = set(vocabulary().venues)
    wanted = {"neurips", "iclr", "icml", "cvpr", "iccv", "eccv", "acl", "emnlp", "naacl", "eacl",
              "coling", "aaai", "ijcai", "kdd", "www", "sigir", "wsdm", "cikm", "aistats", "uai",
              "corl", "rss", "icra", "iros", "miccai", "isbi", "cosyne", "ccn", "interspeech",
              "icassp", "tmlr", "jmlr", "tpami", "nature", "science", "cell", "neuron",
              "nature-neuroscience", "nature-methods", "nature-communications",
              "nature-machine-intelligence", "nature-human-behaviour", "elife", "pnas",
              "plos-computational-biology", "plos-one", "journal-of-neuroscience",
              "journal-of-neural-engineering", "neuroimage", "ieee-tnsre", "scientific-reports",
              "neural-computation", "neural-networks", "frontiers-in-neuroscience", "arxiv",
              "biorxiv", "medrxiv", "ssrn", "psyarxiv", "research-square", "techrxiv", "osf"}
    assert wanted <= keys, sorted(wanted - keys)


def _aliases() -> list[tuple[str, str]]:
    raw = tomllib.loads(DATA.read_text(encoding="utf-8"))
    return [(key, alias) for key, table in raw.items()
            for alias in [*table.get("acronyms", []), *table.get("names", []), table["display"]]]


@pytest.mark.parametrize(("key", "alias"), _aliases())
def test_every_alias_of_the_data_file_names_its_venue(key, alias):
    """Each acronym and name, alone and in a sentence, is its own venue and no other."""
    assert key_year(alias)[0] == key
    assert key_year(f"Published in {alias}, 2021")[0] == key


def test_every_alias_pattern_compiles():
    """Patterns are compiled on first use: a bad one must still fail here, not in some run."""
    vocab = vocabulary()
    assert vocab.alternatives
    for first in vocab.alternatives:
        pattern = vocab.pattern(first)
        assert pattern is not None and pattern is vocab.pattern(first)
    assert vocab.pattern("zzzz-not-a-venue-word") is None


@pytest.mark.parametrize(("key", "issn"), [(k, i) for k, v in
                                           tomllib.loads(DATA.read_text("utf-8")).items()
                                           for i in v.get("issn", [])])
def test_every_issn_of_the_data_file_names_its_venue(key, issn):
    assert key_year(issn, "issn")[0] == key
    assert key_year(issn.replace("-", ""), "issn")[0] == key


def test_display_forms_follow_the_contract():
    assert match("NeurIPS 2023").venue == "NeurIPS 2023"
    assert match("ICLR 2025 Spotlight", "openreview_venue").venue == "ICLR 2025"
    assert match("Nature 2023").venue == "Nature"  # a journal's title, never with the year
    assert match("Nat. Neurosci. 22 (2019)").venue == "Nature Neuroscience"
    assert match("arXiv preprint arXiv:2301.00001").venue == "arXiv"
    assert match("bioRxiv 2025").venue == "bioRxiv"
    assert match("medRxiv").venue == "medRxiv"
    assert match("Neural Information Processing Systems").venue == "NeurIPS"  # no year known


# --------------------------------------------------------------------------- Semantic Scholar


def _s2_recorded(cassette: str) -> list[dict[str, Any]]:
    papers = []
    for exchange in load_cassette(fixture("semanticscholar", "paperqa-vcr", cassette)):
        if "api.semanticscholar.org" not in exchange.url or exchange.status != 200:
            continue
        body = json.loads(exchange.body)
        papers.extend(body.get("data", [body]) if isinstance(body, dict) else body)
    return [p for p in papers if isinstance(p, dict)]


def test_s2_recorded_venue_of_a_neurips_paper():
    (paper,) = _s2_recorded("test_arxiv_doi_is_used_when_available.yaml")
    assert paper["venue"] == "Neural Information Processing Systems"
    assert key_year(paper["venue"], "semanticscholar") == ("neurips", None)
    # its DBLP key is the arXiv record's (journals/corr/…): a preprint server, not NeurIPS
    assert key_year(paper["externalIds"]["DBLP"], "dblp") == ("arxiv", None)


def test_s2_recorded_venues_journal_names_and_dblp_keys():
    by_doi = {p["externalIds"].get("DOI", "").lower(): p
              for p in _s2_recorded("test_bulk_doi_search.yaml")}
    nmi = by_doi["10.1038/s42256-024-00832-8"]
    assert nmi["venue"] == "Nat. Mac. Intell."  # S2's own abbreviation, recorded
    assert key_year(nmi["venue"], "semanticscholar")[0] == "nature-machine-intelligence"
    assert key_year(nmi["journal"]["name"], "semanticscholar")[0] == "nature-machine-intelligence"
    assert key_year(nmi["externalIds"]["DBLP"], "dblp")[0] == "nature-machine-intelligence"
    arxiv = by_doi["10.48550/arxiv.2312.07559"]
    assert (arxiv["venue"], arxiv["journal"]["name"]) == ("arXiv.org", "ArXiv")
    assert key_year(arxiv["venue"], "semanticscholar")[0] == "arxiv"
    assert key_year(arxiv["journal"]["name"], "semanticscholar")[0] == "arxiv"
    # journals outside the vocabulary are not forced onto one inside it
    assert match(by_doi["10.1063/1.4938384"]["journal"]["name"], "semanticscholar") is None
    assert match(by_doi["10.1023/a:1007154515475"]["venue"], "semanticscholar") is None


@pytest.mark.parametrize(("name", "key"), [
    # documented shape: publicationVenue.name and alternate_names (API-NOTES.md §9)
    ("International Conference on Learning Representations", "iclr"),
    ("Int Conf Learn Represent", "iclr"),
    ("International Conference on Machine Learning", "icml"),
    ("Neural Inf Process Syst", "neurips"),
    ("Computer Vision and Pattern Recognition", "cvpr"),
    ("Annual Meeting of the Association for Computational Linguistics", "acl"),
    ("Conference on Empirical Methods in Natural Language Processing", "emnlp"),
    ("AAAI Conference on Artificial Intelligence", "aaai"),
    ("Knowledge Discovery and Data Mining", "kdd"),
    ("The Web Conference", "www"),
    ("Trans. Mach. Learn. Res.", "tmlr"),
    ("Proceedings of the National Academy of Sciences of the United States of America", "pnas"),
    ("PLoS Computational Biology", "plos-computational-biology"),
    ("bioRxiv", "biorxiv"),
])
def test_s2_documented_names(name, key):
    assert key_year(name, "semanticscholar") == (key, None)


# --------------------------------------------------------------------------- Crossref


def _crossref(name: str) -> dict[str, Any]:
    message: dict[str, Any] = json.loads(fixture("crossref", name).read_bytes())["message"]
    return message


@pytest.mark.parametrize(("name", "key"), [
    ("works_10.1038_srep16696.polite-pool.json", "scientific-reports"),
    ("works_10.1038_s41598-018-27044-6.plus-pool.json", "scientific-reports"),
    ("works_10.1371_journal.pone.0033693.public-pool.json", "plos-one"),
])
def test_crossref_recorded_container_titles_and_issns(name, key):
    message = _crossref(name)
    record = parse_work(fixture("crossref", name).read_bytes())
    assert key_year(record.venue or "", "crossref")[0] == key  # container-title
    assert key_year(message["short-container-title"][0], "crossref")[0] == key
    for issn in message["ISSN"]:
        assert key_year(issn, "issn")[0] == key


def test_crossref_documented_journal_container():
    # documented shape (API-NOTES.md §3): container-title ["Nature"], ISSN print and electronic
    assert key_year("Nature", "crossref")[0] == "nature"
    assert key_year("0028-0836", "issn")[0] == key_year("1476-4687", "issn")[0] == "nature"
    assert key_year("Advances in Neural Information Processing Systems", "crossref")[0] == "neurips"
    assert match("9999-9999", "issn") is None


# --------------------------------------------------------------------------- OpenReview


def _notes() -> list[dict[str, Any]]:
    notes: list[dict[str, Any]] = json.loads(
        fixture("openreview", "notes_search_v2.json").read_bytes())["notes"]
    return notes


def test_openreview_documented_venueids_and_venue_strings():
    """``tests/fixtures/openreview`` (documented shapes, never recorded)."""
    got = []
    for note in _notes():
        venueid = note["content"]["venueid"]["value"]
        venue = note["content"]["venue"]["value"]
        by_id = match(venueid, "openreview_venueid")
        by_text = match(venue, "openreview_venue")
        assert by_id is not None and by_text is not None
        assert (by_id.key, by_id.year) == (by_text.key, by_text.year)
        got.append((venueid, by_id.state, by_text.state, by_text.presentation))
    assert got == [
        ("ICLR.cc/2025/Conference", None, None, "spotlight"),
        ("ICLR.cc/2025/Conference/Rejected_Submission", "rejected", "submitted", None),
        ("ICLR.cc/2025/Conference/Withdrawn_Submission", "withdrawn", "withdrawn", None),
        ("ICLR.cc/2025/Conference/Desk_Rejected_Submission", "rejected", "rejected", None),
        ("NeurIPS.cc/2024/Conference", None, None, "poster"),
        ("ICLR.cc/2026/Conference/Submission", "submitted", "submitted", None),
    ]


@pytest.mark.parametrize(("venueid", "expected"), [
    ("NeurIPS.cc/2023/Conference", ("neurips", 2023, None, None)),
    ("ICLR.cc/2025/Conference", ("iclr", 2025, None, None)),
    ("ICML.cc/2024/Conference", ("icml", 2024, None, None)),
    ("NeurIPS.cc/2024/Datasets_and_Benchmarks_Track", ("neurips", 2024,
                                                        "Datasets and Benchmarks", None)),
    ("NeurIPS.cc/2023/Track/Datasets_and_Benchmarks", ("neurips", 2023,
                                                        "Datasets and Benchmarks", None)),
    ("ICLR.cc/2024/Workshop/ME-FoMo", ("iclr", 2024, "Workshop: ME-FoMo", None)),
    ("NeurIPS.cc/2023/Workshop/Foundation_Models", ("neurips", 2023,
                                                     "Workshop: Foundation Models", None)),
    ("NeurIPS.cc/2024/Conference/Withdrawn_Submission", ("neurips", 2024, None, "withdrawn")),
    ("TMLR", ("tmlr", None, None, None)),
    ("dblp.org/journals/CORR/2025", ("arxiv", None, None, None)),
])
def test_openreview_documented_venue_ids(venueid, expected):
    m = match(venueid, "openreview_venueid")
    assert m is not None and (m.key, m.year, m.track, m.state) == expected


def test_openreview_ids_that_name_no_venue():
    assert match("aclweb.org/ACL/ARR/2023/June", "openreview_venueid") is None  # a review cycle
    assert match("OpenReview.net/Public_Article", "openreview_venueid") is None
    assert match("NeurIPS", "openreview_venueid") is None  # not an id


def test_openreview_v1_invitations():
    """API v1 notes have no venueid; only a withdrawn or desk-rejected invitation speaks."""
    withdrawn = match("ICLR.cc/2019/Conference/-/Withdrawn_Submission", "openreview_invitation")
    assert withdrawn is not None and (withdrawn.key, withdrawn.year, withdrawn.state) == (
        "iclr", 2019, "withdrawn")
    blind = match("ICLR.cc/2019/Conference/-/Blind_Submission", "openreview_invitation")
    assert blind is not None and (blind.key, blind.year, blind.state) == ("iclr", 2019, None)


@pytest.mark.parametrize(("venue", "expected"), [
    ("ICLR 2025 Oral", ("iclr", 2025, None, "oral", None)),
    ("ICLR 2025 Spotlight", ("iclr", 2025, None, "spotlight", None)),
    ("NeurIPS 2024 poster", ("neurips", 2024, None, "poster", None)),
    ("ICLR 2023 notable top 5%", ("iclr", 2023, None, "oral", None)),
    ("ICLR 2023 notable top 25%", ("iclr", 2023, None, "spotlight", None)),
    ("NeurIPS 2024 Datasets and Benchmarks Track Poster",
     ("neurips", 2024, "Datasets and Benchmarks", "poster", None)),
    ("ICLR 2024 Workshop ME-FoMo Poster", ("iclr", 2024, "Workshop: ME-FoMo", "poster", None)),
    ("Submitted to ICLR 2025", ("iclr", 2025, None, None, "submitted")),
    ("ICLR 2026 Conference Submission", ("iclr", 2026, None, None, "submitted")),
    ("ICLR 2025 Conference Withdrawn Submission", ("iclr", 2025, None, None, "withdrawn")),
    ("ICLR 2025 Conference Desk Rejected Submission", ("iclr", 2025, None, None, "rejected")),
    ("TMLR", ("tmlr", None, None, None, None)),
])
def test_openreview_documented_venue_strings(venue, expected):
    m = match(venue, "openreview_venue")
    assert m is not None and (m.key, m.year, m.track, m.presentation, m.state) == expected


# --------------------------------------------------------------------------- arXiv


def _recorded_arxiv_texts() -> list[tuple[str, str]]:
    texts = []
    for path in sorted(fixture("arxiv").glob("*.xml")):
        body = path.read_bytes()
        ids = [i.decode() for i in re.findall(rb"<id>https?://arxiv\.org/abs/(.+?)(?:v\d+)?</id>",
                                              body)]
        records = parse_feed(body, ids) if ids else {}
        for record in records.values():
            if record.comment:
                texts.append(("arxiv_comment", record.comment))
            if record.journal_ref:
                texts.append(("arxiv_journal_ref", record.journal_ref))
    return texts


def test_recorded_arxiv_comments_name_no_venue_of_the_vocabulary():
    """Every comment and journal_ref of the recordings names software-testing, astronomy or
    information-theory venues (ICST, ISSTA, Acta Astronomica…), none of the vocabulary: the
    matcher must not invent one from "IEEE International Conference on …" or page counts."""
    texts = _recorded_arxiv_texts()
    assert len(texts) >= 10
    assert any("International Conference on Software Testing" in t for _, t in texts)
    assert [(kind, t) for kind, t in texts if match(t, kind) is not None] == []


@pytest.mark.parametrize(("comment", "expected"), [
    # written as authors write them; no recording holds these
    ("Accepted at NeurIPS 2024 (spotlight)", ("neurips", 2024, None, "spotlight")),
    ("Accepted at NeurIPS 2023", ("neurips", 2023, None, None)),
    ("To appear in ICML 2023", ("icml", 2023, None, None)),
    ("Published as a conference paper at ICLR 2024", ("iclr", 2024, None, None)),
    ("ICLR 2024", ("iclr", 2024, None, None)),
    ("Proceedings of the 40th International Conference on Machine Learning, Honolulu, Hawaii, "
     "USA. PMLR 202, 2023", ("icml", 2023, None, None)),
    ("Proceedings of the 40th International Conference on Machine Learning",
     ("icml", 2023, None, None)),
    ("Advances in Neural Information Processing Systems 36 (NeurIPS 2023)",
     ("neurips", 2023, None, None)),
    ("Advances in Neural Information Processing Systems 36", ("neurips", 2023, None, None)),
    ("Camera-ready version, CVPR24", ("cvpr", 2024, None, None)),
    ("NeurIPS'23 Workshop on Foundation Models for Decision Making",
     ("neurips", 2023, "Workshop: Foundation Models for Decision Making", None)),
    ("Accepted at the ICML 2023 Workshop on Structured Probabilistic Inference (oral)",
     ("icml", 2023, "Workshop: Structured Probabilistic Inference", "oral")),
    ("Findings of EMNLP 2023", ("emnlp", 2023, "Findings", None)),
    ("Findings of the Association for Computational Linguistics: EMNLP 2023",
     ("emnlp", 2023, "Findings", None)),
    ("NeurIPS 2023 Datasets and Benchmarks Track", ("neurips", 2023,
                                                     "Datasets and Benchmarks", None)),
    ("AAAI-24, 9 pages", ("aaai", 2024, None, None)),
    ("Accepted for publication in Nature Communications", ("nature-communications", None,
                                                           None, None)),
    ("Neurons, Behavior, Data analysis, and Theory, 2021", ("nbdt", 2021, None, None)),
    ("Nature 617, 360-368 (2023)", ("nature", 2023, None, None)),
    ("Cell. 184, 2019–2035 (2021)", ("cell", 2021, None, None)),
    ("Accepted at NeurIPS 2024. Code: https://github.com/mackelab/LDNS",
     ("neurips", 2024, None, None)),
    ("Interspeech 2023", ("interspeech", 2023, None, None)),
])
def test_arxiv_comment_phrasings(comment, expected):
    m = match(comment, "arxiv_comment")
    assert m is not None and (m.key, m.year, m.track, m.presentation) == expected
    assert m.state is None


@pytest.mark.parametrize("comment", ["Under review at ICLR 2025", "Submitted to NeurIPS 2024",
                                     "In submission to ICML 2024"])
def test_arxiv_comments_that_only_submitted(comment):
    m = match(comment, "arxiv_comment")
    assert m is not None and m.state == "submitted"


# --------------------------------------------------------------------------- DBLP, years


@pytest.mark.parametrize(("key", "expected"), [
    ("conf/nips/AzabouAGMNMRPLD23", ("neurips", 2023)),
    ("conf/iclr/AntoniadesYCWS24", ("iclr", 2024)),
    ("conf/icml/Smith99", ("icml", 1999)),
    ("journals/corr/abs-2312-07559", ("arxiv", None)),
    ("journals/natmi/BranCSBWS24", ("nature-machine-intelligence", None)),
    ("conf/unknown/X23", (None, None)),
])
def test_dblp_keys(key, expected):
    assert key_year(key, "dblp") == expected


@pytest.mark.parametrize(("text", "year"), [
    ("NeurIPS 2023", 2023), ("NeurIPS'23", 2023), ("NeurIPS '23", 2023), ("NeurIPS’23", 2023),
    ("CVPR24", 2024), ("CVPR2024", 2024), ("AAAI-24", 2024), ("ICML, 2024", 2024),
    ("NIPS. (2016)", 2016), ("NIPS 1999", 1999), ("WSDM '24", 2024), ("ICLR (2024)", 2024),
    ("Neural Information Processing Systems", None), ("ICLR", None),
])
def test_years(text, year):
    assert key_year(text)[1] == year


# --------------------------------------------------------------------------- what is not a venue


@pytest.mark.parametrize("text", [
    "", "   ", "Preprint, 2025", "Preprint", "15 pages, 6 figures", "Springer Nature",
    "Cognitive Science", "Science Robotics", "IEEE Transactions on Neural Networks Letters",
    "Spiking Neuron Models", "a neuron model", "nature", "https://www.biorxiv.org/content/10.1101/x",
    "Meta", "Blog", "PhD Thesis, 2019",
])
def test_not_a_venue(text):
    assert match(text) is None


def test_title_words_never_make_a_venue():
    title = "Nature Neuroscience Meets ICLR: Spiking Models of Cell Assemblies"
    text = f"{title}. Preprint, 2025"
    assert match(text) is not None  # without the title excluded, its words would match
    assert match(text, "list", title=title) is None
    assert match(f"{title} -- accepted at NeurIPS 2024", title=title.upper()).key == "neurips"
    assert match("ICLR 2025 Poster", "openreview_venue",
                 title="A poster child for Nature").presentation == "poster"


def test_a_remembered_match_depends_on_the_title_it_was_read_with():
    """Matches are memoised; the same text read with and without a title it holds, in either
    order, still reads differently."""
    title = "Cell Assemblies Meet ICML: Spiking Models"
    text = f"{title}. Under review, 2025"
    assert match(text, "list", title=title) is None
    assert match(text, "list", title="Another Paper Entirely").key in ("cell", "icml")
    assert match(text, "list") == match(text, "list", title="Another Paper Entirely")
    assert match(text, "list", title=title.lower()) is None


def test_a_remembered_match_cannot_be_changed_by_a_caller():
    first = match("NeurIPS 2023 Spotlight", "openreview_venue")
    assert first is not None
    with pytest.raises(AttributeError):
        first.year = 1999  # type: ignore[misc]
    again = match("NeurIPS 2023 Spotlight", "openreview_venue")
    assert again is not None and (again.year, again.presentation) == (2023, "spotlight")


def test_journal_names_are_capitalised_and_not_part_of_a_longer_title():
    assert key_year("Nature Electronics 2022")[0] == "nature-electronics"
    assert key_year("Nature scientific reports 2018")[0] == "scientific-reports"
    assert key_year("Science Advances, 2021")[0] == "science-advances"
    assert key_year("Published in Science (2020)")[0] == "science"
    assert key_year("Cell. 2019")[0] == "cell"
    assert key_year("Cell Reports 2019")[0] == "cell-reports"
    assert key_year("Robotics: Science and Systems 2023")[0] == "rss"
    assert key_year("Frontiers in Neuroscience 2020")[0] == "frontiers-in-neuroscience"
    assert key_year("Journal of Neuroscience 2020")[0] == "journal-of-neuroscience"


def test_tidy():
    assert tidy("  Some  Journal of Things, ") == "Some Journal of Things"
    assert tidy(" ;. ") is None and tidy(None) is None


# --------------------------------------------------------------------------- one record


def test_a_record_combines_its_fields_most_exact_first():
    record = {"venueid": "NeurIPS.cc/2024/Datasets_and_Benchmarks_Track",
              "venue": "NeurIPS 2024 Datasets and Benchmarks Track Spotlight",
              "invitation": "NeurIPS.cc/2024/Datasets_and_Benchmarks_Track/-/Submission"}
    m = read_record("openreview", record)
    assert m == VenueMatch(key="neurips", kind="conference", short="NeurIPS", year=2024,
                           track="Datasets and Benchmarks", presentation="spotlight")
    # arXiv: journal_ref first, then the comment
    m = read_record("arxiv", {"journal_ref": "Nature 617 (2023)",
                              "comment": "Accepted at NeurIPS 2022"})
    assert m is not None and m.key == "nature"


# --------------------------------------------------------------------------- resolution


def cand(source: str, status: str | None, **fields: Any) -> tuple[str, dict[str, Any], Any]:
    return source, {"status": status, **fields}, status


def fields(r: Any) -> tuple[Any, ...]:
    return (r.venue, r.venue_key, r.venue_year, r.track, r.presentation, r.year)


def test_an_openreview_decision_gives_venue_presentation_and_the_venue_year():
    r = resolve_venue([
        cand("openreview", "accepted", venueid="ICLR.cc/2025/Conference",
             venue="ICLR 2025 Spotlight", year=2025),
        cand("arxiv", "accepted", comment="ICLR 2025", year=2024),
        cand("semanticscholar", "accepted",
             venue="International Conference on Learning Representations", year=2024),
    ])
    assert fields(r) == ("ICLR 2025", "iclr", 2025, None, "spotlight", 2025)
    assert r.provenance == {f"paper.{f}": "openreview" for f in
                            ("venue", "venue_key", "venue_year", "presentation", "year")}


def test_the_year_is_the_venues_once_accepted_else_the_first_appearance():
    accepted = resolve_venue([cand("arxiv", "accepted", comment="ICLR 2024", year=2023)])
    assert (accepted.venue, accepted.year) == ("ICLR 2024", 2024)
    preprint = resolve_venue([cand("arxiv", "preprint", comment="15 pages", year=2023)])
    assert fields(preprint) == ("arXiv", "arxiv", 2023, None, None, 2023)
    under_review = resolve_venue(
        [cand("openreview", "under_review", venue="ICLR 2026 Conference Submission",
              venueid="ICLR.cc/2026/Conference/Submission", year=2026)],
        records={"openreview": [{"year": 2026, "created": "2025-09-19"}],
                 "semanticscholar": [{"year": 2025}]},
    )
    assert fields(under_review) == ("ICLR 2026", "iclr", 2026, None, None, 2025)
    assert under_review.provenance["paper.year"] == "openreview"  # its creation date


def test_records_need_not_hold_the_candidates_sources():
    r = resolve_venue([cand("openreview", "accepted", venue="ICLR 2024 Poster", year=2024)],
                      records={"semanticscholar": [{"year": 2023}]})
    assert fields(r) == ("ICLR 2024", "iclr", 2024, None, "poster", 2024)


def test_missing_year_track_and_presentation_come_from_later_records_of_the_same_venue():
    r = resolve_venue([
        cand("semanticscholar", "accepted", venue="Neural Information Processing Systems",
             year=2023, dblp="conf/nips/YeCWG23"),
        cand("openalex", "accepted", venue="Some Other Venue", year=2020),
    ])
    assert fields(r) == ("NeurIPS 2023", "neurips", 2023, None, None, 2023)
    r = resolve_venue([
        cand("neurips", "published", venue="NeurIPS 2024", year=2024),
        cand("arxiv", "accepted", comment="NeurIPS 2024 (spotlight)", year=2024),
        cand("semanticscholar", "accepted", venue="ICML", year=2024),
    ])
    assert fields(r) == ("NeurIPS 2024", "neurips", 2024, None, "spotlight", 2024)
    assert r.provenance["paper.venue"] == "neurips"
    assert r.provenance["paper.presentation"] == "arxiv"


def test_s2_year_alone_is_not_a_conference_year():
    """S2's ``year`` is often the preprint's (an ICLR 2024 paper posted in 2023)."""
    r = resolve_venue([cand("semanticscholar", "accepted",
                            venue="International Conference on Learning Representations",
                            year=2023)])
    assert fields(r) == ("ICLR", "iclr", None, None, None, 2023)


def test_a_published_preprint_takes_the_journal_never_the_server():
    r = resolve_venue([
        cand("crossref", "published", venue="Nature", year=2025, published="2025-04-09"),
        cand("biorxiv", "published", venue="bioRxiv", year=2023),
        cand("semanticscholar", "accepted", venue="Nature", year=2023),
    ])
    assert fields(r) == ("Nature", "nature", 2025, None, None, 2025)
    # the journal's DOI known, its record not (yet): no venue rather than "bioRxiv"
    r = resolve_venue([cand("biorxiv", "published", venue="bioRxiv", year=2023)])
    assert fields(r) == (None, None, None, None, None, 2023)


def test_a_venue_outside_the_vocabulary_is_the_sources_string_tidied():
    r = resolve_venue([cand("arxiv", "accepted", journal_ref="Acta Astron. 56:1-50, 2006 ",
                            venue="Acta Astron. 56:1-50, 2006 ", year=2006)])
    assert fields(r) == ("Acta Astron. 56:1-50, 2006", None, 2006, None, None, 2006)


def test_a_submitted_venue_string_is_not_an_acceptance():
    r = resolve_venue([
        cand("semanticscholar", "accepted", venue="Submitted to ICLR 2025", year=2024),
        cand("openalex", "accepted", venue="Neural Networks", year=2025),
    ])
    assert (r.venue, r.venue_key, r.year) == ("Neural Networks", "neural-networks", 2025)


def test_withdrawn_and_rejected_name_the_venue_without_a_venue_year_as_year():
    r = resolve_venue([cand("openreview", "rejected", venue="Submitted to ICLR 2025",
                            venueid="ICLR.cc/2025/Conference/Rejected_Submission", year=2025,
                            created="2024-09-27")])
    assert fields(r) == ("ICLR 2025", "iclr", 2025, None, None, 2024)
    r = resolve_venue([cand("arxiv", "withdrawn", comment="This paper has been withdrawn",
                            year=2019)])
    assert fields(r) == ("arXiv", "arxiv", None, None, None, 2019)


def test_nothing_known():
    assert fields(resolve_venue([])) == (None,) * 6
    r = resolve_venue([], records={"semanticscholar": [{"year": 2020}]})
    assert (r.venue, r.year, r.provenance) == (None, 2020, {"paper.year": "semanticscholar"})


# --------------------------------------------------------------------------- list vs sources



def test_an_acceptance_wins_over_a_submission_in_the_same_text():
    m = match("Submitted to ICLR 2024; accepted at TMLR (2024)", "arxiv_comment")
    assert m is not None and (m.key, m.year, m.state) == ("tmlr", 2024, None)
    m = match("Rejected by ICLR 2023 | NeurIPS 2023 poster", "arxiv_comment")
    assert m is not None and (m.key, m.year, m.presentation) == ("neurips", 2023, "poster")


# --------------------------------------------------------------------------- coverage script


def test_venue_coverage_script_on_a_built_catalogue(tmp_path):
    """``scripts/venue_coverage.py`` on a catalogue file: counts papers with a listed venue and
    those recognised, masks digits in the unrecognised forms."""
    import subprocess
    import sys

    def entry(name: str, venue: str | None, kind: str = "paper") -> dict[str, Any]:
        return {"name": name, "kind": kind, "listed_venue": venue, "paper": None}

    catalog = {"entries": [entry("A", "NeurIPS 2023"), entry("B", "Preprint, 2025"),
                           entry("C", "Preprint, 2023"), entry("D", None),
                           entry("E", "ICLR 2024", kind="resource"), entry("F", "Nat. Neurosci.")]}
    path = tmp_path / "some-list" / "catalog.json"
    path.parent.mkdir()
    path.write_text(json.dumps(catalog), encoding="utf-8")
    script = Path(__file__).resolve().parents[1] / "scripts" / "venue_coverage.py"
    out = subprocess.run([sys.executable, str(script), str(path)], capture_output=True,
                         text=True, timeout=60, check=True).stdout
    assert "| some-list | 5 | 4 | 2 | 50.0 % |" in out
    assert "| 2 | Preprint, #### | Preprint, 2025 |" in out


def test_hostile_strings_are_harmless():
    assert match("Nature " * 200_000) is None  # every one inside a longer capitalised run
    assert match("Nature, " * 200_000) is not None  # read up to MAX_TEXT characters
    assert match("x" * 1_000_000 + " NeurIPS 2023") is None  # beyond them
    assert match("\x00\u202e ICLR 2025 \ufeff") is not None
    assert read_record("openreview", {"venueid": 3, "venue": ["ICLR 2025"], "year": "2025"}) == (
        match("ICLR 2025"))
    odd = resolve_venue([("arxiv", {"year": True, "comment": None}, "preprint")])
    assert (odd.venue, odd.venue_year, odd.year) == ("arXiv", None, None)


def test_a_registered_source_declares_how_its_venue_is_read():
    from harvester.sources import Source, SourceSpec, register, unregister
    from harvester.sources.spec import VenueReading

    class Toy(Source):
        name = "toy-venues"

    register(SourceSpec(name="toy-venues", label="Toy", cls=Toy, urls={},
                        venue=VenueReading(fields=(("where", "text"),), year_is_venue_year=True)))
    try:
        record = {"where": "Presented at CVPR", "venue": "ignored", "year": 2023}
        r = resolve_venue([("toy-venues", record, "published")])
        assert (r.venue, r.venue_key, r.venue_year, r.year) == ("CVPR 2023", "cvpr", 2023, 2023)
    finally:
        unregister("toy-venues")
    # undeclared, a source's records are read by their plain venue text
    r = resolve_venue([("toy-venues", {"venue": "Nature", "year": 2021}, "published")])
    assert (r.venue, r.venue_key) == ("Nature", "nature")
