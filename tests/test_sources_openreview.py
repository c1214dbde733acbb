"""OpenReview source.

No OpenReview response was ever recorded (tests/fixtures/PROVENANCE-part1.md): every body here
is a documented shape (API-NOTES.md §2), not recorded — built by hand in tests/fixtures/openreview
(see its README) or inline below.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime

import httpx
import pytest

from harvester.cache import RecordCache
from harvester.errors import Blocked, InvalidResponse
from harvester.sources.base import Fetched, run_source
from harvester.sources.openreview import OpenReviewSource, parse_note, status_from_venueid
from tests.recordings import fixture

NOW = datetime(2026, 5, 1, tzinfo=UTC)
V2 = "api2.openreview.net"
V1 = "api.openreview.net"


def load(name: str) -> dict:
    return json.loads(fixture("openreview", name).read_text(encoding="utf-8"))


def v2_note(note_id: str) -> dict:
    """A note of the documented v2 shape (API-NOTES.md §2 "Note (v2) fields"), not recorded."""
    return next(n for n in load("notes_search_v2.json")["notes"] if n["id"] == note_id)


# --------------------------------------------------------------------------- status


@pytest.mark.parametrize(
    ("venueid", "status"),
    [
        ("ICLR.cc/2025/Conference", "accepted"),
        ("NeurIPS.cc/2024/Conference", "accepted"),
        ("NeurIPS.cc/2024/Datasets_and_Benchmarks_Track", "accepted"),
        ("ICLR.cc/2025/Conference/Submission", "under_review"),
        ("ICLR.cc/2025/Conference/Rejected_Submission", "rejected"),
        ("ICLR.cc/2025/Conference/Desk_Rejected_Submission", "rejected"),
        ("ICLR.cc/2025/Conference/Withdrawn_Submission", "withdrawn"),
        ("ICLR.cc/2025/Conference/-/Submission", None),  # an invitation, not a venue id
        ("ICLR.cc/2025/Conference/Under_Review", None),
        ("TMLR", None),
        ("", None),
    ],
)
def test_status_from_venueid(venueid, status):
    assert status_from_venueid(venueid) == status


# --------------------------------------------------------------------------- parse_note


def test_accepted_v2_note():
    record = parse_note(v2_note("Ex4mpleAcc"))
    assert record.title == "Example submission 101"
    assert record.abstract == (
        "We study an example. Code is at https://github.com/example-lab/example-101."
    )
    assert record.authors == ["Ada Lovelace", "Alan Turing"]
    assert record.status == "accepted"
    assert record.venue == "ICLR 2025 Spotlight"
    assert record.published == "2025-01-22"  # pdate
    assert record.year == 2025
    assert record.ids == {"openreview": "Ex4mpleAcc"}
    assert record.landing_url == "https://openreview.net/forum?id=Ex4mpleAcc"
    assert record.pdf_url == "https://openreview.net/pdf?id=Ex4mpleAcc"
    assert record.code_urls == ["https://github.com/example-lab/example-101"]


def test_unified_author_schema_and_code_field():
    record = parse_note(v2_note("Ex4mpleNip"))
    assert record.authors == ["Grace Hopper", "Edsger W. Dijkstra"]
    assert record.venue == "NeurIPS 2024 poster"
    assert record.status == "accepted"
    assert record.published == "2024-09-25"
    assert record.code_urls == [
        "https://github.com/example-lab/nips-code",
        "https://github.com/example-lab/example-105",
    ]


@pytest.mark.parametrize(
    ("note_id", "status", "venue", "year"),
    [
        ("Ex4mpleRej", "rejected", "Submitted to ICLR 2025", 2025),
        ("Ex4mpleWdn", "withdrawn", "ICLR 2025 Conference Withdrawn Submission", 2025),
        ("Ex4mpleDsk", "rejected", "ICLR 2025 Conference Desk Rejected Submission", 2025),
        ("Ex4mpleRev", "under_review", "Submitted to ICLR 2026", 2026),
    ],
)
def test_not_accepted_keep_display_venue_and_year_from_venueid(note_id, status, venue, year):
    record = parse_note(v2_note(note_id))
    assert (record.status, record.venue, record.year) == (status, venue, year)
    assert record.published is None  # no pdate: never accepted


def test_withdrawn_without_pdf_has_no_pdf_url():
    assert parse_note(v2_note("Ex4mpleWdn")).pdf_url is None


def test_year_falls_back_to_cdate():
    note = v2_note("Ex4mpleRej")
    del note["content"]["venueid"]
    note["invitations"] = []
    record = parse_note(note)
    assert record.year == 2024  # cdate 2024-09-27
    assert record.status is None


def test_v1_note_plain_values_and_decision_reply():
    note = load("notes_v1_with_direct_replies.json")["notes"][0]
    record = parse_note(note)
    assert record.title == "An Example From the API v1 Era"
    assert record.authors == ["Katherine Johnson", "Dorothy Vaughan"]
    assert record.status == "accepted"  # from the Decision reply
    assert record.venue is None
    assert record.year == 2019  # the invitation's year, not the 2018 cdate
    assert record.published is None
    assert record.code_urls == ["https://github.com/example-lab/v1-code"]
    assert record.pdf_url == "https://openreview.net/pdf?id=Ex4mpleV1a"


def test_v1_note_without_decision_has_no_status():
    note = load("notes_v1_with_direct_replies.json")["notes"][0]
    del note["details"]
    assert parse_note(note).status is None
    note["details"] = {"directReplies": [{"content": {"decision": "Reject"}}]}
    assert parse_note(note).status == "rejected"


@pytest.mark.parametrize(
    "mutate",
    [
        lambda n: n.pop("content"),
        lambda n: n.update(id=None),
        lambda n: n["content"].update(title={"value": 42}),
        lambda n: n["content"].update(authors={"value": "Ada Lovelace"}),
        lambda n: n["content"].update(authors={"value": [{"username": "~A1"}]}),
        lambda n: n.update(pdate="yesterday"),
        lambda n: n.update(pdate=10**20),
    ],
)
def test_wrong_types_are_invalid(mutate: Callable[[dict], object]):
    note = v2_note("Ex4mpleAcc")
    mutate(note)
    with pytest.raises(InvalidResponse):
        parse_note(note)


def test_odd_optional_fields_are_ignored():
    note = v2_note("Ex4mpleAcc")
    note["content"]["code"] = {"value": ["not", "a", "url"]}
    note["invitations"] = 5
    del note["pdate"]
    record = parse_note(note)
    assert record.code_urls == ["https://github.com/example-lab/example-101"]
    assert record.year == 2025  # from the venue id


# --------------------------------------------------------------------------- fetch()


class FakeOpenReview:
    """Answers like the documented API; records every request."""

    def __init__(self, *, search: int | None = None, batch_404: bool = False,
                 v2_status: dict[str, int] | None = None, v1_notes: dict | None = None) -> None:
        self.notes = {n["id"]: n for n in load("notes_search_v2.json")["notes"]}
        self.search = search  # status forced on POST /notes/search
        self.batch_404 = batch_404  # an unknown id fails the whole batch call
        self.v2_status = v2_status or {}
        self.v1_notes = v1_notes or {}
        self.seen: list[tuple[str, str, str]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        params = request.url.params
        self.seen.append((request.method, request.url.host, request.url.path))
        assert request.url.path in ("/notes", "/notes/search")
        if request.url.host == V1 and request.url.path == "/notes/search":
            # the v1 batch, as openreview-py's v1 get_notes_by_ids sends it (documented shape)
            assert request.method == "POST"
            payload = json.loads(request.content)
            assert payload["details"] == "directReplies"
            notes = [self.v1_notes[i] for i in payload["ids"] if i in self.v1_notes]
            return httpx.Response(200, json={"notes": notes, "count": len(notes)})
        if request.url.host == V1:
            assert params["details"] == "directReplies"
            note = self.v1_notes.get(params["id"])
            if note is None:
                return httpx.Response(200, json=load("notes_empty.json"))
            return httpx.Response(200, json={"notes": [note], "count": 1})
        if request.url.path == "/notes/search":
            assert request.method == "POST"
            if self.search:
                error = "error_forbidden.json" if self.search == 403 else "error_not_found.json"
                return httpx.Response(self.search, json=load(error))
            return self.batch(json.loads(request.content)["ids"])
        if "ids" in params:
            return self.batch(params["ids"].split(","))
        status = self.v2_status.get(params["id"])
        if status:
            return httpx.Response(status, json=load("error_forbidden.json"))
        note = self.notes.get(params["id"])
        if note is None:
            return httpx.Response(404, json=load("error_not_found.json"))
        return httpx.Response(200, json={"notes": [note], "count": 1})

    def batch(self, ids: list[str]) -> httpx.Response:
        if self.batch_404 and any(i not in self.notes for i in ids):
            return httpx.Response(404, json=load("error_not_found.json"))
        notes = [self.notes[i] for i in ids if i in self.notes]
        return httpx.Response(200, json={"notes": notes, "count": len(notes)})


def test_batch_is_one_post_to_notes_search(make_http, settings):
    api = FakeOpenReview()
    source = OpenReviewSource(make_http(api), settings)
    outcomes = source.fetch(["Ex4mpleNip", "Ex4mpleAcc"], {})
    assert api.seen == [("POST", V2, "/notes/search")]
    assert outcomes["Ex4mpleAcc"].data["venue"] == "ICLR 2025 Spotlight"
    assert outcomes["Ex4mpleNip"].data["status"] == "accepted"


def test_ids_left_out_are_asked_of_api_v1(make_http, settings):
    v1_note = load("notes_v1_with_direct_replies.json")["notes"][0]
    api = FakeOpenReview(v1_notes={"Ex4mpleV1a": v1_note})
    source = OpenReviewSource(make_http(api), settings)
    outcomes = source.fetch(["Ex4mpleAcc", "Ex4mpleV1a", "Unkn0wnId1"], {})
    assert api.seen == [("POST", V2, "/notes/search"), ("POST", V1, "/notes/search")]
    assert outcomes["Ex4mpleV1a"].data["title"] == "An Example From the API v1 Era"
    assert outcomes["Unkn0wnId1"] == Fetched(None)
    assert outcomes["Ex4mpleAcc"].data["status"] == "accepted"


def test_unknown_id_failing_the_batch_falls_back_to_one_get_per_id(make_http, settings):
    api = FakeOpenReview(batch_404=True)
    source = OpenReviewSource(make_http(api), settings)
    outcomes = source.fetch(["Ex4mpleAcc", "Unkn0wnId1"], {})
    assert api.seen == [
        ("POST", V2, "/notes/search"),
        ("GET", V2, "/notes"),  # ?ids=…, fails too
        ("GET", V2, "/notes"),  # ?id=Ex4mpleAcc
        ("GET", V2, "/notes"),  # ?id=Unkn0wnId1 → 404
        ("POST", V1, "/notes/search"),  # Unkn0wnId1 → absent
    ]
    assert outcomes["Ex4mpleAcc"].data["ids"] == {"openreview": "Ex4mpleAcc"}
    assert outcomes["Unkn0wnId1"] == Fetched(None)


@pytest.mark.parametrize("status", [404, 405])
def test_absent_search_endpoint_falls_back_to_get_ids(make_http, settings, status):
    api = FakeOpenReview(search=status)
    source = OpenReviewSource(make_http(api), settings)
    outcomes = source.fetch(["Ex4mpleAcc", "Ex4mpleRej"], {})
    assert api.seen == [("POST", V2, "/notes/search"), ("GET", V2, "/notes")]
    assert outcomes["Ex4mpleRej"].data["status"] == "rejected"


def test_403_on_the_batch_is_blocked(make_http, settings):
    api = FakeOpenReview(search=403)
    source = OpenReviewSource(make_http(api), settings)
    with pytest.raises(Blocked):
        source.fetch(["Ex4mpleAcc"], {})


def test_403_on_one_id_blocks_only_that_id_and_skips_v1(make_http, settings):
    api = FakeOpenReview(batch_404=True, v2_status={"Ex4mpleRej": 403})
    source = OpenReviewSource(make_http(api), settings)
    outcomes = source.fetch(["Ex4mpleAcc", "Ex4mpleRej", "Unkn0wnId1"], {})
    assert isinstance(outcomes["Ex4mpleRej"], Blocked)
    assert outcomes["Ex4mpleAcc"].data["status"] == "accepted"
    assert [host for _, host, _ in api.seen].count(V1) == 1  # only for the unknown id


@pytest.mark.parametrize(
    "answer",
    [
        httpx.Response(200, text="<html><body>Just a moment...</body></html>"),
        httpx.Response(200, json={"notes": "none"}),
        httpx.Response(200, json=["not", "an", "object"]),
        httpx.Response(200, json={"notes": [1, 2]}),
    ],
)
def test_unexpected_batch_bodies_are_invalid(make_http, settings, answer):
    source = OpenReviewSource(make_http(lambda request: answer), settings)
    with pytest.raises(InvalidResponse):
        source.fetch(["Ex4mpleAcc"], {})


def test_one_malformed_note_fails_only_its_id(make_http, settings):
    api = FakeOpenReview()
    api.notes["Ex4mpleRej"]["content"]["title"] = {"value": ["not", "text"]}
    source = OpenReviewSource(make_http(api), settings)
    outcomes = source.fetch(["Ex4mpleAcc", "Ex4mpleRej"], {})
    assert isinstance(outcomes["Ex4mpleRej"], InvalidResponse)
    assert outcomes["Ex4mpleAcc"].data["status"] == "accepted"


def test_retries_are_ours_and_silent(make_http, settings, capsys, clock):
    answers = iter([httpx.Response(503), httpx.Response(200, json=load("notes_search_v2.json"))])
    source = OpenReviewSource(make_http(lambda request: next(answers)), settings)
    outcomes = source.fetch(["Ex4mpleAcc"], {})
    assert outcomes["Ex4mpleAcc"].data["status"] == "accepted"
    assert len(clock.sleeps) == 1  # one back-off, through the harvester's HTTP layer
    assert capsys.readouterr().out == ""


def test_run_source_caches_records_and_not_found(make_http, settings, tmp_path):
    api = FakeOpenReview()
    source = OpenReviewSource(make_http(api), settings)
    keys = ["Ex4mpleAcc", "Unkn0wnId1"]
    with RecordCache(tmp_path / "cache") as cache:
        first = run_source(source, keys, cache, "normal", NOW)
        requests = len(api.seen)
        again = run_source(source, keys, cache, "normal", NOW)
    assert first["Ex4mpleAcc"].status == "ok" and first["Unkn0wnId1"].status == "not_found"
    assert again["Ex4mpleAcc"].record == first["Ex4mpleAcc"].record
    assert len(api.seen) == requests  # warm run: no request


def test_openreview_py_is_not_imported():
    code = "import sys, harvester.sources.openreview; assert 'openreview' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_per_item_switch_asks_api_v1_one_id_at_a_time(make_http, settings, monkeypatch):
    monkeypatch.setenv("HARVEST_PER_ITEM", "openreview")
    v1_note = load("notes_v1_with_direct_replies.json")["notes"][0]
    api = FakeOpenReview(v1_notes={"Ex4mpleV1a": v1_note})
    source = OpenReviewSource(make_http(api), settings)
    outcomes = source.fetch(["Ex4mpleAcc", "Ex4mpleV1a", "Unkn0wnId1"], {})
    assert api.seen == [("POST", V2, "/notes/search"), ("GET", V1, "/notes"), ("GET", V1, "/notes")]
    assert outcomes["Ex4mpleV1a"].data["title"] == "An Example From the API v1 Era"
    assert outcomes["Unkn0wnId1"] == Fetched(None)


def test_a_failed_v1_batch_fails_only_the_ids_it_asked(make_http, settings):
    api = FakeOpenReview()
    settings.sources["openreview"] = settings.sources["openreview"].model_copy(
        update={"retry_budget": 0.0})

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == V1:
            return httpx.Response(503)
        return api(request)

    outcomes = OpenReviewSource(make_http(handler, settings), settings).fetch(
        ["Ex4mpleAcc", "Unkn0wnId1"], {})
    assert outcomes["Ex4mpleAcc"].data["status"] == "accepted"
    assert outcomes["Unkn0wnId1"].kind == "unavailable"
