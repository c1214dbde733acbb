"""OpenReview status and venue vocabulary (API-NOTES.md §10) on documented note shapes.

No OpenReview answer was ever recorded: the notes here start from the documented shapes in
tests/fixtures/openreview (its README says they are built by hand) and change one field each, as
§10 documents it (v1 ``invitation`` of withdrawn/desk-rejected submissions without a venueid;
venueids of DBLP imports, ACL Rolling Review cycles, TMLR and OpenReview.net groups; workshop
venueids; the "Invite to Workshop Track" decision).
"""

from __future__ import annotations

import copy
import json

import pytest

from harvester.sources.openreview import note_status, note_venue, parse_note, status_from_venueid
from tests.recordings import fixture


def v1_note() -> dict:
    data = json.loads(fixture("openreview", "notes_v1_with_direct_replies.json").read_text())
    return copy.deepcopy(data["notes"][0])


def v2_note(note_id: str) -> dict:
    data = json.loads(fixture("openreview", "notes_search_v2.json").read_text())
    return next(n for n in data["notes"] if n["id"] == note_id)


def with_decision(note: dict, decision: str | None) -> dict:
    replies = note["details"]["directReplies"]
    decisions = [r for r in replies if "decision" in r.get("content", {})]
    assert decisions, "the documented v1 note carries a Decision reply"
    for reply in decisions:
        if decision is None:
            replies.remove(reply)
        else:
            reply["content"]["decision"] = decision
    return note


def test_the_v1_fixture_is_an_accepted_submission():
    note = v1_note()
    assert "venueid" not in note["content"]
    assert note_status(note) == "accepted"
    assert parse_note(note).status == "accepted"


@pytest.mark.parametrize(("invitation", "status"), [
    ("ICLR.cc/2019/Conference/-/Withdrawn_Submission", "withdrawn"),
    ("ICLR.cc/2019/Conference/-/Desk_Rejected_Submission", "rejected"),
    ("ICLR.cc/2019/Conference/-/Blind_Submission", "accepted"),  # the Decision reply decides
])
def test_v1_invitation_gives_the_status(invitation, status):
    note = v1_note()
    note["invitation"] = invitation
    assert parse_note(note).status == status


def test_v1_withdrawn_without_any_reply_is_withdrawn():
    note = with_decision(v1_note(), None)
    note["invitation"] = "ICLR.cc/2019/Conference/-/Withdrawn_Submission"
    note["details"]["directReplies"] = []
    record = parse_note(note)
    assert (record.status, record.year) == ("withdrawn", 2019)


def test_v1_without_decision_or_telling_invitation_is_unknown():
    assert note_status(with_decision(v1_note(), None)) is None


@pytest.mark.parametrize(("decision", "status"), [
    ("Accept (Oral)", "accepted"),
    ("Accept (Poster)", "accepted"),
    ("Reject", "rejected"),
    ("Invite to Workshop Track", "rejected"),  # referred, not accepted: documented choice
])
def test_v1_decisions(decision, status):
    assert note_status(with_decision(v1_note(), decision)) == status


@pytest.mark.parametrize(("venueid", "status"), [
    ("dblp.org/journals/CORR/2025", None),
    ("dblp.org/conf/ICML/2023", None),
    ("aclweb.org/ACL/ARR/2023/October", None),
    ("aclweb.org/ACL/ARR/2024/February", None),
    ("TMLR", None),
    ("OpenReview.net/Public_Article", None),
    ("OpenReview.net/2024/Archive", None),
    ("TMLR/Withdrawn_Submission", "withdrawn"),
    ("TMLR/Rejected_Submission", "rejected"),
    ("ICLR.cc/2024/Workshop/ME-FoMo", "accepted"),
    ("ICLR.cc/2024/Workshop/ME-FoMo/Submission", "under_review"),
    ("ICLR.cc/2024/Workshop/ME-FoMo/Withdrawn_Submission", "withdrawn"),
    ("ICLR.cc/2025/Conference", "accepted"),
])
def test_venueids_that_are_not_decisions(venueid, status):
    assert status_from_venueid(venueid) == status
    note = v2_note("Ex4mpleAcc")
    note["content"]["venueid"] = {"value": venueid}
    assert parse_note(note).status == status


@pytest.mark.parametrize(("venueid", "venue", "expected"), [
    ("ICLR.cc/2024/Workshop/ME-FoMo", "ICLR 2024", "ICLR 2024 Workshop ME-FoMo"),
    ("ICLR.cc/2024/Workshop/ME-FoMo", None, "ICLR 2024 Workshop ME-FoMo"),
    ("ICLR.cc/2024/Workshop/ME-FoMo", "ME-FoMo 2024 Poster", "ME-FoMo 2024 Poster"),
    ("ICLR.cc/2024/Workshop/AGI", "ICLR 2024 Workshop AGI Oral", "ICLR 2024 Workshop AGI Oral"),
    ("NeurIPS.cc/2023/Workshop/Deep_Inverse", "NeurIPS 2023",
     "NeurIPS 2023 Workshop Deep Inverse"),
    ("ICLR.cc/2024/Workshop/ME-FoMo/Rejected_Submission", "Submitted to ME-FoMo",
     "Submitted to ME-FoMo"),  # not accepted: the venue as written
    ("ICLR.cc/2025/Conference", "ICLR 2025 Spotlight", "ICLR 2025 Spotlight"),
])
def test_workshop_acceptances_name_the_workshop(venueid, venue, expected):
    note = v2_note("Ex4mpleAcc")
    note["content"]["venueid"] = {"value": venueid}
    if venue is None:
        del note["content"]["venue"]
    else:
        note["content"]["venue"] = {"value": venue}
    assert note_venue(note) == expected
    assert parse_note(note).venue == expected


def test_v1_workshop_acceptance_names_the_workshop_from_the_invitation():
    note = with_decision(v1_note(), "Accept (Poster)")
    note["invitation"] = "ICLR.cc/2019/Workshop/LLD/-/Blind_Submission"
    record = parse_note(note)
    assert (record.status, record.venue) == ("accepted", "ICLR 2019 Workshop LLD")


def test_documented_v2_shapes_keep_their_statuses():
    expected = {"Ex4mpleAcc": "accepted", "Ex4mpleRej": "rejected", "Ex4mpleWdn": "withdrawn",
                "Ex4mpleDsk": "rejected", "Ex4mpleNip": "accepted", "Ex4mpleRev": "under_review"}
    assert {k: parse_note(v2_note(k)).status for k in expected} == expected
    assert parse_note(v2_note("Ex4mpleWdn")).venue == "ICLR 2025 Conference Withdrawn Submission"
