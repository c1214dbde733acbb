"""OpenReview: submissions (notes) by forum id, API v2 first, then API v1 for old venues.

Format: JSON ``{"notes": [Note…], "count": n}``; a note carries ``id, forum, cdate, pdate,
content{…}`` (times in unix milliseconds). In API v2 every content value is wrapped,
``{"value": …}``; in API v1 values are plain. Docs: https://docs.openreview.net (reference →
API v2 → entities → note → fields; "How to get all notes…" for venue ids), and the OpenAPI spec
``docs/.gitbook/assets/api.yml`` in openreview/openreview. No response was ever recorded: tests
use the documented shapes (API-NOTES.md §2).

Requests, all through the harvester's HTTP layer (pacing, bounded retries, typed errors):

* ``POST {openreview}/notes/search`` with ``{"ids": [...]}`` for a batch — the call
  openreview-py's ``get_notes_by_ids`` makes. If the endpoint is absent (404/405), the same
  batch as ``GET {openreview}/notes?ids=a,b,c``.
* Whether an unknown id is left out of a batch answer or fails the whole call (404
  ``NotFoundError``) is not documented: a batch 404 falls back to ``GET {openreview}/notes?id=X``
  per id, so one unknown id does not sink the others.
* Ids API v2 does not know are asked of API v1 in one batch too, ``POST
  {openreview_v1}/notes/search`` with ``{"ids": [...], "details": "directReplies"}`` (API-NOTES.md
  part 3 §8: openreview-py's v1 ``get_notes_by_ids`` posts ``{"ids": …}`` there; v1 submissions
  may lack a venueid, and the Decision reply then gives the status), with the same fall-backs
  (``GET ?ids=``, then ``GET {openreview_v1}/notes?id=X&details=directReplies`` per id on a 404);
  unknown to both means "not found". ``HARVEST_PER_ITEM`` naming ``openreview`` asks v1 per id.
* A 403 (``ForbiddenError``, or a Cloudflare block) is "blocked", never "missing".

openreview-py is not used: its client sends through its own requests session, whose urllib3
retry (8 tries, back-off up to 120 s, a ``print`` on every retry) would stall a run and write to
stdout; its ``Note.from_json`` only copies dict keys, and ``Note.authors`` reads v2 notes only.

Status comes from ``content.venueid`` (see ``status_from_venueid``); ``content.venue`` is kept as
the display string ("ICLR 2025 Spotlight", "Submitted to ICLR 2025") whatever the status. The
year is the acceptance date's (``pdate``), else the venue id's, else the creation date's. The
PDF link is given only when the note has a ``pdf`` (withdrawn submissions may have none).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ..cache import CachedRecord
from ..errors import InvalidResponse, SourceError
from ..identify import github_urls
from ..models import Link, PaperRecord, Status
from .base import Fetched, Outcome, Source
from .batching import per_item
from .coerce import loads
from .spec import DAY, SourceSpec, Stage, VenueReading, claimed

if TYPE_CHECKING:
    import httpx

_VENUE_YEAR = re.compile(r"(?:^|/)((?:19|20)\d{2})(?:/|$)")
_STATUS_BY_SUFFIX: dict[str, Status] = {
    "Submission": "under_review",
    "Rejected_Submission": "rejected",
    "Desk_Rejected_Submission": "rejected",
    "Withdrawn_Submission": "withdrawn",
}
# Status of an API v1 note without a venueid, by its invitation's last part (API-NOTES.md §10).
_INVITATION_STATUS: dict[str, Status] = {
    "Withdrawn_Submission": "withdrawn",
    "Desk_Rejected_Submission": "rejected",
}
# Venue ids that carry a year but record no decision (API-NOTES.md §10).
_NOT_A_VENUE = re.compile(r"^(?:dblp\.org/|aclweb\.org/ACL/ARR/|OpenReview\.net/)", re.I)
_WORKSHOP = re.compile(r"^([^/]+?)(?:\.cc)?/((?:19|20)\d{2})/Workshop/([^/]+)")
# Last segments that name some state of a submission other than acceptance.
_OTHER_STATE = re.compile(r"submission|submitted|reject|withdraw|review|desk", re.I)

Answer = dict[str, Any] | None | SourceError
"""A note, None (unknown id) or the error of this id's look-up."""


class OpenReviewSource(Source):
    """Keys: OpenReview forum ids (``IuU0wcO0mo``)."""

    name = "openreview"

    def fetch(self, keys: list[str], cached: dict[str, CachedRecord]) -> dict[str, Outcome]:
        v2 = self._batch(self.settings.url("openreview"), list(keys))
        v1_root = self.settings.url("openreview_v1")
        rest = [key for key in keys if v2.get(key) is None]
        # old venues: API v1, with the replies that hold the decision
        v1: dict[str, Answer] = {}
        if rest and per_item(self.name):
            v1 = {key: self._one(v1_root, key, details="directReplies") for key in rest}
        elif rest:
            try:
                v1 = self._batch(v1_root, rest, details="directReplies")
            except SourceError as exc:
                v1 = dict.fromkeys(rest, exc)
        return {key: _outcome(v2.get(key) or v1.get(key)) for key in keys}

    def _batch(self, root: str, keys: list[str], **details: str) -> dict[str, Answer]:
        """Answers of the API at ``root`` for ``keys``: the notes found, per-id errors; unknown
        ids absent."""
        response = self.request(
            "POST", f"{root}/notes/search", json={"ids": keys, **details}, accept=(404, 405)
        )
        if response.status_code in (404, 405):
            response = self.request(
                "GET", f"{root}/notes", params={"ids": ",".join(keys), **details},
                accept=(404,),
            )
        if response.status_code == 404:
            answers = {key: self._one(root, key, **details) for key in keys}
            return {key: answer for key, answer in answers.items() if answer is not None}
        found: dict[str, Answer] = dict(index_notes(read_notes(response), keys))
        return found

    def _one(self, root: str, key: str, **params: str) -> Answer:
        try:
            response = self.request(
                "GET", f"{root}/notes", params={"id": key, **params}, accept=(404,)
            )
            if response.status_code == 404:
                return None
            return index_notes(read_notes(response), [key]).get(key)
        except SourceError as exc:
            return exc


def _outcome(answer: Answer) -> Outcome:
    if isinstance(answer, SourceError):
        return answer
    if answer is None:
        return Fetched(None)
    try:
        record = parse_note(answer)
    except InvalidResponse as exc:
        return exc
    return Fetched(record.model_dump(mode="json", exclude_none=True))


# --------------------------------------------------------------------------- parsing


def read_notes(response: httpx.Response) -> list[dict[str, Any]]:
    """The ``notes`` list of a 200 answer; anything else is an ``InvalidResponse``."""
    data = loads(response.content, "OpenReview")
    notes = data.get("notes") if isinstance(data, dict) else None
    if not isinstance(notes, list) or not all(isinstance(note, dict) for note in notes):
        raise InvalidResponse("OpenReview answered JSON without a list of notes")
    return notes


def index_notes(notes: list[dict[str, Any]], keys: list[str]) -> dict[str, dict[str, Any]]:
    """The notes that answer ``keys``: by note id, else by forum id; others are ignored."""
    wanted = set(keys)
    found: dict[str, dict[str, Any]] = {}
    for field in ("id", "forum"):
        for note in notes:
            key = note.get(field)
            if isinstance(key, str) and key in wanted and key not in found:
                found[key] = note
    return found


def parse_note(note: dict[str, Any]) -> PaperRecord:
    """One note, API v2 (wrapped values) or v1 (plain values), as a record."""
    note_id = note.get("id")
    content = note.get("content")
    if not isinstance(note_id, str) or not note_id or not isinstance(content, dict):
        raise InvalidResponse("OpenReview note without an id or content")
    venueid = _text(content, "venueid")
    abstract = _text(content, "abstract")
    code = _value(content, "code")
    accepted_on = _date(note.get("pdate"))
    created_on = _date(note.get("cdate"))
    year = _year(accepted_on) or _venue_year(venueid or _invitation(note)) or _year(created_on)
    return PaperRecord(
        title=_text(content, "title"),
        abstract=abstract,
        authors=_authors(_value(content, "authors")),
        year=year,
        published=accepted_on,
        venue=note_venue(note),
        status=note_status(note),
        ids={"openreview": note_id},
        landing_url=f"https://openreview.net/forum?id={note_id}",
        pdf_url=f"https://openreview.net/pdf?id={note_id}" if _value(content, "pdf") else None,
        code_urls=github_urls(code if isinstance(code, str) else None, abstract),
        venueid=venueid,
        invitation=_invitation(note),
        created=created_on,
    )


def note_status(note: dict[str, Any]) -> Status | None:
    """The status of a note: its venueid's (see ``status_from_venueid``); without a venueid
    (API v1), its invitation's (``…/-/Withdrawn_Submission`` → withdrawn,
    ``…/-/Desk_Rejected_Submission`` → rejected), else its public Decision reply's."""
    content = note.get("content")
    venueid = _text(content, "venueid") if isinstance(content, dict) else None
    if venueid:
        return status_from_venueid(venueid)
    for invitation in _invitations(note):
        suffix = invitation.rpartition("/-/")[2]
        if suffix in _INVITATION_STATUS:
            return _INVITATION_STATUS[suffix]
    return _status_from_decision(note)


def status_from_venueid(venueid: str) -> Status | None:
    """``ICLR.cc/2025/Conference`` → accepted; ``…/Submission`` → under_review;
    ``…/Rejected_Submission``, ``…/Desk_Rejected_Submission`` → rejected;
    ``…/Withdrawn_Submission`` → withdrawn; any other shape → None.

    A year alone does not make an acceptance: records imported from DBLP
    (``dblp.org/journals/CORR/2025``), ACL Rolling Review cycles
    (``aclweb.org/ACL/ARR/2023/October``, a review cycle, not a venue) and OpenReview's own
    groups (``OpenReview.net/Public_Article``) are None; so is ``TMLR`` (no conference year).
    """
    segments = venueid.strip("/").split("/")
    last = segments[-1]
    if "-" in segments:
        return None  # an invitation id, not a venue id
    if last in _STATUS_BY_SUFFIX:
        return _STATUS_BY_SUFFIX[last]
    if _NOT_A_VENUE.match(venueid):
        return None  # an import, a review cycle or a site group: no decision
    if not _VENUE_YEAR.search(venueid) or _OTHER_STATE.search(last):
        return None  # no venue year (TMLR…), or a state we do not know
    return "accepted"


def note_venue(note: dict[str, Any]) -> str | None:
    """``content.venue`` as written; for an accepted workshop paper (venueid or v1 invitation
    ``ICLR.cc/2024/Workshop/<name>…``) a venue that names the workshop: the written one when it
    does ("ICLR 2024 Workshop ME-FoMo"), else ``<conference> <year> Workshop <name>``."""
    content = note.get("content")
    venue = _text(content, "venue") if isinstance(content, dict) else None
    if note_status(note) != "accepted":
        return venue
    venueid = _text(content, "venueid") if isinstance(content, dict) else None
    for where in (venueid, *_invitations(note)):
        match = _WORKSHOP.match(where or "")
        if match is None:
            continue
        conference, year, workshop = match[1], match[2], match[3]
        written = (venue or "").lower()
        if "workshop" in written or workshop.lower() in written:
            return venue
        return f"{conference} {year} Workshop {workshop.replace('_', ' ')}"
    return venue


def _status_from_decision(note: dict[str, Any]) -> Status | None:
    """API v1 venues without a venueid: the public Decision reply ("Accept (Poster)",
    "Reject") among ``details.directReplies``; None when there is none.

    "Invite to Workshop Track" (ICLR 2018–2019) is ``rejected``: the conference did not accept
    the paper, it referred it to its workshop track, where it is a separate submission."""
    details = note.get("details")
    replies = details.get("directReplies") if isinstance(details, dict) else None
    decisions = [_reply_decision(reply) for reply in replies] if isinstance(replies, list) else []
    decision = next((d.lower() for d in decisions if d), "")
    if "invite to workshop" in decision:
        return "rejected"
    if "accept" in decision:
        return "accepted"
    return "rejected" if "reject" in decision else None


def _reply_decision(reply: Any) -> str | None:
    content = reply.get("content") if isinstance(reply, dict) else None
    decision = _value(content, "decision") if isinstance(content, dict) else None
    return decision if isinstance(decision, str) else None


def _invitations(note: dict[str, Any]) -> list[str]:
    """API v1 ``invitation`` and API v2 ``invitations``, in that order."""
    found = [note.get("invitation")]
    invitations = note.get("invitations")
    if isinstance(invitations, list):
        found.extend(invitations)
    return [item for item in found if isinstance(item, str) and item]


def _invitation(note: dict[str, Any]) -> str | None:
    """API v1 ``invitation`` or the first API v2 ``invitations`` entry."""
    invitations = note.get("invitations")
    invitation = note.get("invitation") or (
        invitations[0] if isinstance(invitations, list) and invitations else None
    )
    return invitation if isinstance(invitation, str) else None


def _value(content: dict[str, Any], field: str) -> Any:
    raw = content.get(field)
    return raw.get("value") if isinstance(raw, dict) else raw


def _text(content: dict[str, Any], field: str) -> str | None:
    value = _value(content, field)
    if value is not None and not isinstance(value, str):
        raise InvalidResponse(f"OpenReview note field {field!r} is not text")
    return (" ".join(value.split()) or None) if value else None


def _authors(value: Any) -> list[str] | None:
    """Names from ``["A. Name", …]`` or the unified ``[{"fullname": …, "username": …}]``."""
    if value is None:
        return None
    if not isinstance(value, list):
        raise InvalidResponse("OpenReview note authors are not a list")
    names: list[str] = []
    for item in value:
        name = item.get("fullname") if isinstance(item, dict) else item
        if not isinstance(name, str):
            raise InvalidResponse("OpenReview note authors are not names")
        names.append(name)
    return [clean for name in names if (clean := " ".join(name.split()))] or None


def _date(millis: Any) -> str | None:
    if millis is None:
        return None
    if isinstance(millis, bool) or not isinstance(millis, int | float):
        raise InvalidResponse("OpenReview note date is not a number")
    try:
        return datetime.fromtimestamp(millis / 1000, UTC).strftime("%Y-%m-%d")
    except (OverflowError, OSError, ValueError):
        raise InvalidResponse("OpenReview note date is out of range") from None


def _year(date: str | None) -> int | None:
    return int(date[:4]) if date else None


def _venue_year(venueid: str | None) -> int | None:
    match = _VENUE_YEAR.search(venueid or "")
    return int(match[1]) if match else None


# ------------------------------------------------------------------------------ declaration


def _claim(link: Link) -> str | None:
    return link.id if link.kind == "openreview" and link.id else None


SPEC: SourceSpec = SourceSpec(
    name="openreview",
    label="OpenReview",
    cls=OpenReviewSource,
    urls={"openreview": "https://api2.openreview.net", "openreview_v1": "https://api.openreview.net"},
    defaults={"batch_size": 200, "min_interval": 1.0, "ttl": 7 * DAY},
    batch_limit=1000,
    claim=_claim,
    stages=(Stage("openreview", "OpenReview", claimed("openreview")),),
    fields={"paper.title": 10, "paper.authors": 10, "paper.abstract": 10, "paper.year": 30,
            "paper.published": 30, "paper.urls.landing": 30, "paper.urls.pdf": 20,
            "paper.ids.openreview": 10},
    # a venue's decision is the strongest status; "under review" only beats preprint servers
    statuses=((10, ("accepted", "rejected", "withdrawn")), (80, ("under_review",))),
    venue=VenueReading(
        fields=(("venueid", "openreview_venueid"), ("venue", "openreview_venue"),
                ("invitation", "openreview_invitation")),
        decision_year=True, appeared="created"),
)
