"""Renderers: one function per API answer, shaped like the recordings in /work/shared/fixtures.

Pure functions of the world's data (plus a clock for feed timestamps); the server adds status,
headers and faults. Shapes and where they come from:

* arXiv Atom feed — the 2026 backend recordings (``arxiv/query_id_1605.08386.xml``,
  ``query_id_abc_malformed_http400.xml``, ``query_search_testing_start0_max10.xml`` for DOIs).
* OpenReview v2/v1 notes — documented shape only (no recording exists), as in API-NOTES §2.
* bioRxiv details — documented shape only, API-NOTES part 1 §3 (slashes escaped as ``\\/``).
* Crossref work — ``crossref/works_10.1038_srep16696.polite-pool.json``.
* NeurIPS Abstract page / BibTeX — documented shape only, API-NOTES part 1 §5.
* Semantic Scholar paper — the danielnsilva and paper-qa cassettes (``", "``-separated JSON).
* OpenAlex work — the paper-qa cassettes (compact JSON; arXiv works dated January 1st).
* GitHub REST repo / 301 / 404 / contents / GraphQL — PyGithub ReplayData and API-NOTES part 2.
"""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from typing import Any
from xml.sax.saxutils import escape

from .world import (
    LICENSES,
    Paper,
    Repo,
    journal_publisher,
    neurips_suffix,
    openalex_work_id,
    stamp,
)

# --------------------------------------------------------------------------- helpers


def dumps(obj: Any) -> bytes:
    """Compact JSON (GitHub, Crossref, OpenAlex, OpenReview)."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def dumps_spaced(obj: Any) -> bytes:
    """Python-default separators, as Semantic Scholar's 200 bodies are recorded."""
    return json.dumps(obj).encode("utf-8")


def iso_z(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def _num(*parts: object, mod: int) -> int:
    return int(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:15], 16) % mod


def quoteattr(value: str) -> str:
    """A double-quoted attribute value (``"`` as ``&quot;``), as real pages write them."""
    return '"' + escape(value, {'"': "&quot;"}) + '"'


def split_name(name: str) -> tuple[str, str]:
    """("Eric Y.", "Wang") from "Eric Y. Wang"; a one-word name is all family."""
    parts = name.split()
    if len(parts) == 1:
        return "", parts[0]
    return " ".join(parts[:-1]), parts[-1]


def last_first(name: str) -> str:
    given, family = split_name(name)
    return f"{family}, {given}" if given else family


def last_initials(name: str) -> str:
    given, family = split_name(name)
    initials = " ".join(f"{g[0]}." for g in given.replace("-", " ").split() if g)
    return f"{family}, {initials}" if initials else family


def code_sentence(paper: Paper, text: str | None) -> str | None:
    """``text`` with the paper's code URL appended when neither abstract nor text has it."""
    if not paper.code_url or paper.code_url in (paper.abstract or "") or (
        text and paper.code_url in text
    ):
        return text
    return f"{text}. Code: {paper.code_url}" if text else f"Code: {paper.code_url}"


# --------------------------------------------------------------------------- arXiv

ARXIV_CT = "application/atom+xml; charset=utf-8"
_FEED_HEAD = (
    "<?xml version='1.0' encoding='UTF-8'?>\n"
    '<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
    'xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">\n'
)


def _feed_id(text: str) -> str:
    raw = hashlib.sha1(text.encode()).digest()
    return base64.b64encode(raw).decode().rstrip("=")


def arxiv_version_date(paper: Paper, version: int) -> datetime:
    return stamp(paper.published + timedelta(days=37 * (version - 1)), paper.arxiv, version)


def arxiv_entry(paper: Paper, version: int) -> str:
    aid = f"{paper.arxiv}v{version}"
    latest = version == paper.arxiv_version
    withdrawn = paper.withdrawn and latest
    summary = paper.abstract
    comment = code_sentence(paper, paper.comment)
    if withdrawn:
        comment = "This paper has been withdrawn by the author"
    lines = [
        "  <entry>",
        f"    <id>http://arxiv.org/abs/{aid}</id>",
        f"    <title>{escape(paper.title)}</title>",
        f"    <updated>{iso_z(arxiv_version_date(paper, version))}</updated>",
        f'    <link href="https://arxiv.org/abs/{aid}" rel="alternate" type="text/html"/>',
    ]
    if not withdrawn:
        lines.append(f'    <link href="https://arxiv.org/pdf/{aid}" rel="related" '
                     'type="application/pdf" title="pdf"/>')
    lines.append(f"    <summary>{escape(summary)}</summary>")
    for category in paper.categories:
        lines.append(f'    <category term="{category}" scheme="http://arxiv.org/schemas/atom"/>')
    lines.append(f"    <published>{iso_z(arxiv_version_date(paper, 1))}</published>")
    if comment:
        lines.append(f"    <arxiv:comment>{escape(comment)}</arxiv:comment>")
    primary = paper.categories[0] if paper.categories else ""
    lines.append(f'    <arxiv:primary_category term="{primary}"/>')
    if paper.journal_ref:
        lines.append(f"    <arxiv:journal_ref>{escape(paper.journal_ref)}</arxiv:journal_ref>")
    for author in paper.authors:
        lines += ["    <author>", f"      <name>{escape(author)}</name>", "    </author>"]
    if paper.doi:
        lines.append(f"    <arxiv:doi>{escape(paper.doi)}</arxiv:doi>")
        lines.append(f'    <link rel="related" href={quoteattr("https://doi.org/" + paper.doi)} '
                     'title="doi"/>')
    lines.append("  </entry>")
    return "\n".join(lines) + "\n"


def arxiv_feed(
    entries: list[tuple[Paper, int]], *, id_list: str, search_query: str, start: int,
    max_results: int, total: int, now: datetime,
) -> bytes:
    query = f"search_query={search_query}&id_list={id_list}&start={start}&max_results={max_results}"
    link = (f"https://arxiv.org/api/query?search_query={search_query}&start={start}"
            f"&max_results={max_results}&id_list={id_list}")
    parts = [
        _FEED_HEAD,
        f"  <id>https://arxiv.org/api/{_feed_id(query)}</id>\n",
        f"  <title>arXiv Query: {escape(query)}</title>\n",
        f"  <updated>{iso_z(now)}</updated>\n",
        f'  <link href={quoteattr(link)} type="application/atom+xml"/>\n',
        f"  <opensearch:itemsPerPage>{max_results}</opensearch:itemsPerPage>\n",
        f"  <opensearch:totalResults>{total}</opensearch:totalResults>\n",
        f"  <opensearch:startIndex>{start}</opensearch:startIndex>\n",
    ]
    parts += [arxiv_entry(paper, version) for paper, version in entries]
    parts.append("</feed>")
    return "".join(parts).encode("utf-8")


def arxiv_error_feed(slug: str, summary: str, now: datetime) -> bytes:
    """The HTTP 400 error feed (``query_id_abc_malformed_http400.xml``)."""
    when = iso_z(now)
    url = f"https://arxiv.org/api/errors#{slug}"
    return (
        _FEED_HEAD
        + "  <id>https://arxiv.org/</id>\n"
        + "  <title>arXiv Search Results</title>\n"
        + f"  <updated>{when}</updated>\n"
        + "  <opensearch:itemsPerPage>1</opensearch:itemsPerPage>\n"
        + "  <opensearch:totalResults>1</opensearch:totalResults>\n"
        + "  <opensearch:startIndex>0</opensearch:startIndex>\n"
        + "  <entry>\n"
        + f"    <id>{escape(url)}</id>\n"
        + "    <title>Error</title>\n"
        + f"    <updated>{when}</updated>\n"
        + f'    <link href={quoteattr(url)} rel="alternate" type="text/html"/>\n'
        + f"    <summary>{escape(summary)}</summary>\n"
        + "    <author>\n      <name>arXiv api core</name>\n    </author>\n"
        + "  </entry>\n"
        + "</feed>"
    ).encode("utf-8")


def arxiv_garbage_feed(now: datetime) -> bytes:
    """Well-formed Atom whose entries make no sense: a non-arXiv id, no title, bad dates,
    an empty author, an entry with nothing but a category."""
    return (
        _FEED_HEAD
        + "  <id>https://arxiv.org/api/garbage</id>\n"
        + "  <title>arXiv Query: garbage</title>\n"
        + f"  <updated>{iso_z(now)}</updated>\n"
        + "  <opensearch:itemsPerPage>ten</opensearch:itemsPerPage>\n"
        + "  <opensearch:totalResults>-3</opensearch:totalResults>\n"
        + "  <opensearch:startIndex>zero</opensearch:startIndex>\n"
        + "  <entry>\n    <id>urn:uuid:not-an-arxiv-id</id>\n"
        + "    <updated>yesterday</updated>\n    <published>soon</published>\n"
        + "    <summary><![CDATA[<b>not</b> an abstract]]></summary>\n"
        + "    <author><name></name></author>\n"
        + '    <link href="javascript:void(0)" rel="related" title="pdf"/>\n'
        + "  </entry>\n"
        + "  <entry>\n    <arxiv:primary_category term=\"\"/>\n  </entry>\n"
        + "  <entry>\n    <id>http://arxiv.org/abs/9999.99999v0</id>\n"
        + "    <title>42</title>\n    <published>2026-13-45T99:99:99Z</published>\n"
        + "  </entry>\n"
        + "</feed>"
    ).encode("utf-8")


def arxiv_empty_feed(now: datetime, *, id_list: str = "", start: int = 0,
                     max_results: int = 10) -> bytes:
    return arxiv_feed([], id_list=id_list, search_query="", start=start,
                      max_results=max_results, total=0, now=now)


# --------------------------------------------------------------------------- OpenReview


def _short_venue(domain: str) -> str:
    """``ICLR.cc/2025/Conference`` → "ICLR 2025"; D&B tracks keep their track name."""
    parts = domain.split("/")
    name = parts[0].split(".")[0]
    year = parts[1] if len(parts) > 1 else ""
    tail = " ".join(parts[2:]).replace("_", " ")
    short = f"{name} {year}".strip()
    if tail and tail != "Conference":
        short += f" {tail}"
    return short


def openreview_venue_text(paper: Paper) -> str:
    domain = paper.openreview_domain or ""
    short = _short_venue(domain)
    conference = " Conference" if domain.endswith("/Conference") else ""
    status = paper.openreview_status
    if status == "accepted":
        return f"{short} {paper.openreview_decision or 'Poster'}"
    if status == "under_review":
        return f"{short}{conference} Submission"
    if status == "rejected":
        return f"Submitted to {short}"
    if status == "withdrawn":
        return f"{short}{conference} Withdrawn Submission"
    return f"{short}{conference} Desk Rejected Submission"


def _or_number(paper: Paper) -> int:
    return _num("number", paper.openreview, mod=19000) + 1


def _or_times(paper: Paper) -> dict[str, int | None]:
    created = stamp(paper.published, "or", paper.openreview)
    opened = created + timedelta(days=14)
    accepted = created + timedelta(days=118) if paper.openreview_status == "accepted" else None
    modified = accepted or opened + timedelta(days=3)
    return {"cdate": ms(created), "odate": ms(opened),
            "pdate": ms(accepted) if accepted else None, "mdate": ms(modified)}


def _bibtex_key(paper: Paper) -> str:
    family = split_name(paper.authors[0])[1] if paper.authors else "anonymous"
    word = next((w for w in paper.title.lower().split() if len(w) > 3), "paper")
    return f"{''.join(c for c in family.lower() if c.isalpha())}{paper.year}{word.strip(':,')}"


def openreview_note_v2(paper: Paper, details: str | None = None) -> dict[str, Any]:
    domain = paper.openreview_domain or "OpenReview.net/Archive"
    times = _or_times(paper)
    number = _or_number(paper)
    status = paper.openreview_status
    author_ids = ["~" + "_".join(a.replace(".", "").split()) + "1" for a in paper.authors]
    content: dict[str, Any] = {"title": {"value": paper.title}}
    if not paper.openreview_anonymous:
        content["authors"] = {"value": list(paper.authors)}
        content["authorids"] = {"value": author_ids}
    content["keywords"] = {"value": ["neural population dynamics", "foundation models"]}
    content["abstract"] = {"value": paper.abstract}
    if status != "withdrawn":
        pdf = hashlib.sha1(f"pdf|{paper.openreview}".encode()).hexdigest()
        content["pdf"] = {"value": f"/pdf/{pdf}.pdf"}
    if paper.code_url:
        content["code"] = {"value": paper.code_url}
    content["venue"] = {"value": openreview_venue_text(paper)}
    content["venueid"] = {"value": paper.openreview_venueid or domain, "readers": ["everyone"]}
    content["paperhash"] = {"value": _paperhash(paper)}
    content["_bibtex"] = {"value": _or_bibtex(paper, status)}
    note: dict[str, Any] = {
        "content": content,
        "id": paper.openreview,
        "forum": paper.openreview,
        "license": "CC BY 4.0",
        "number": number,
        "cdate": times["cdate"],
        "tcdate": times["cdate"],
        "mdate": times["mdate"],
        "tmdate": times["mdate"],
        "odate": times["odate"],
    }
    if times["pdate"]:
        note["pdate"] = times["pdate"]
    note.update({
        "signatures": [f"{domain}/Submission{number}/Authors"],
        "readers": ["everyone"],
        "writers": [domain, f"{domain}/Submission{number}/Authors"],
        "invitations": [f"{domain}/-/Submission", f"{domain}/-/Post_Submission",
                        f"{domain}/Submission{number}/-/Revision"],
        "domain": domain,
        "replyto": None,
        "nonreaders": [],
        "version": 2,
    })
    if details:
        replies = []
        if status in ("accepted", "rejected"):
            decision = (f"Accept ({paper.openreview_decision or 'Poster'})"
                        if status == "accepted" else "Reject")
            replies.append({
                "id": f"D{paper.openreview[1:]}",
                "forum": paper.openreview, "replyto": paper.openreview,
                "invitations": [f"{domain}/Submission{number}/-/Decision"],
                "cdate": times["pdate"] or times["mdate"],
                "content": {"title": {"value": "Paper Decision"},
                            "decision": {"value": decision},
                            "comment": {"value": "Illustrative decision text."}},
                "signatures": [f"{domain}/Program_Chairs"], "readers": ["everyone"],
            })
        note["details"] = {"replyCount": len(replies), "directReplies": replies,
                           "replies": replies}
    return note


def _paperhash(paper: Paper) -> str:
    family = split_name(paper.authors[0])[1].lower() if paper.authors else "anonymous"
    words = "_".join("".join(c for c in w if c.isalnum()) for w in paper.title.lower().split())
    return f"{family}|{words}"


def _or_bibtex(paper: Paper, status: str) -> str:
    short = _short_venue(paper.openreview_domain or "")
    kind = "inproceedings" if status == "accepted" else "misc"
    where = (f"booktitle={{{short}}}" if status == "accepted"
             else f"note={{Under review as submission to {short}}}")
    authors = " and ".join(paper.authors) if not paper.openreview_anonymous else "Anonymous"
    return (f"@{kind}{{\n{_bibtex_key(paper)},\ntitle={{{paper.title}}},\nauthor={{{authors}}},\n"
            f"{where},\nyear={{{paper.year}}},\n"
            f"url={{https://openreview.net/forum?id={paper.openreview}}}\n}}")


def openreview_note_v1(paper: Paper, details: str | None = None) -> dict[str, Any]:
    domain = paper.openreview_domain or "OpenReview.net/Archive"
    times = _or_times(paper)
    number = _or_number(paper)
    status = paper.openreview_status
    content: dict[str, Any] = {"title": paper.title, "abstract": paper.abstract}
    if not paper.openreview_anonymous or status == "accepted":
        content["authors"] = list(paper.authors)
        content["authorids"] = [f"{split_name(a)[1].lower()}@example.org" for a in paper.authors]
    content["keywords"] = ["neural population dynamics"]
    if status != "withdrawn":
        content["pdf"] = f"/pdf/{hashlib.sha1(f'pdf|{paper.openreview}'.encode()).hexdigest()}.pdf"
    if paper.code_url:
        content["code"] = paper.code_url
    content["paperhash"] = _paperhash(paper)
    content["_bibtex"] = _or_bibtex(paper, status)
    note: dict[str, Any] = {
        "id": paper.openreview,
        "original": None,
        "number": number,
        "cdate": times["cdate"],
        "tcdate": times["cdate"],
        "tmdate": times["mdate"],
        "ddate": None,
        "forum": paper.openreview,
        "replyto": None,
        "invitation": f"{domain}/-/Blind_Submission",
        "replyCount": 0,
        "readers": ["everyone"],
        "nonreaders": [],
        "writers": [domain],
        "signatures": [domain],
        "content": content,
    }
    if details:
        replies = []
        if status in ("accepted", "rejected"):
            decision = (f"Accept ({paper.openreview_decision or 'Poster'})"
                        if status == "accepted" else "Reject")
            replies.append({
                "id": f"D{paper.openreview[1:]}",
                "invitation": f"{domain}/-/Paper{number}/Decision",
                "forum": paper.openreview, "replyto": paper.openreview,
                "content": {"title": "Paper Decision", "decision": decision,
                            "comment": "Illustrative decision text."},
            })
        note["replyCount"] = len(replies)
        note["details"] = {"replyCount": len(replies), "directReplies": replies}
    return note


def openreview_error(status: int, name: str, message: str) -> bytes:
    return dumps({"status": status, "name": name, "message": message, "details": {}})


# --------------------------------------------------------------------------- bioRxiv


def _escape_slashes(body: bytes) -> bytes:
    return body.replace(b"/", b"\\/")


def biorxiv_details(paper: Paper) -> bytes:
    server = "medRxiv" if paper.biorxiv_server == "medrxiv" else "bioRxiv"
    host = "www.medrxiv.org" if server == "medRxiv" else "www.biorxiv.org"
    suffix = paper.biorxiv.split("/", 1)[1]
    collection = []
    for version in range(1, paper.biorxiv_versions + 1):
        day = paper.published + timedelta(days=41 * (version - 1))
        collection.append({
            "doi": paper.biorxiv,
            "title": paper.title,
            "authors": "; ".join(last_initials(a) for a in paper.authors),
            "author_corresponding": paper.authors[-1] if paper.authors else "",
            "author_corresponding_institution": "Example Institute of Neuroscience",
            "date": day.isoformat(),
            "version": str(version),
            "type": "new results",
            "license": "cc_by_nc_nd",
            "category": "neuroscience" if server == "bioRxiv" else "neurology",
            "jatsxml": f"https://{host}/content/early/{day.year}/{day.month:02d}/"
                       f"{day.day:02d}/{suffix}.source.xml",
            "abstract": paper.abstract,
            "funder": "NA",
            "published": paper.biorxiv_published_doi or "NA",
            "server": server,
        })
    return _escape_slashes(dumps({"messages": [{"status": "ok"}], "collection": collection}))


def biorxiv_pubs(paper: Paper) -> bytes:
    items = []
    if paper.biorxiv_published_doi:
        items.append({
            "biorxiv_doi": paper.biorxiv, "published_doi": paper.biorxiv_published_doi,
            "published_journal": paper.journal or "", "preprint_platform": "bioRxiv",
            "preprint_title": paper.title, "preprint_authors": "; ".join(
                last_initials(a) for a in paper.authors),
            "preprint_category": "neuroscience", "preprint_date": paper.published.isoformat(),
            "published_date": (paper.journal_published or paper.published).isoformat(),
            "preprint_abstract": paper.abstract, "preprint_author_corresponding": "",
            "preprint_author_corresponding_institution": "",
        })
    status = "ok" if items else "no posts found"
    return _escape_slashes(dumps({"messages": [{"status": status}], "collection": items}))


BIORXIV_NOT_FOUND = dumps({"messages": [{"status": "no posts found"}], "collection": []})


# --------------------------------------------------------------------------- Crossref


def _parts(day: date) -> dict[str, Any]:
    return {"date-parts": [[day.year, day.month, day.day]]}


def _stamped(day: date, *salt: object) -> dict[str, Any]:
    moment = stamp(day, *salt)
    return {"date-parts": [[day.year, day.month, day.day]], "date-time": iso_z(moment),
            "timestamp": ms(moment)}


def crossref_work(paper: Paper, doi: str) -> dict[str, Any]:
    """The ``/works/{doi}`` envelope: the journal article, or a bioRxiv ``posted-content``."""
    journal_doi = (paper.doi or paper.biorxiv_published_doi or "").lower()
    posted = doi.lower() != journal_doi
    authors = []
    for index, name in enumerate(paper.authors):
        given, family = split_name(name)
        author: dict[str, Any] = {"given": given, "family": family,
                                  "sequence": "first" if index == 0 else "additional",
                                  "affiliation": []}
        if not given:
            author = {"name": family, "sequence": author["sequence"], "affiliation": []}
        authors.append(author)
    if posted:
        day = paper.published
        title = paper.title
    else:
        day = paper.journal_published or paper.published
        title = paper.journal_title or paper.title
    prefix = doi.split("/", 1)[0]
    cited = paper.citation_count * (3 if posted else 7) // 10
    message: dict[str, Any] = {
        "indexed": _stamped(date(2026, 3, 19), "indexed", doi) | {"version": "3.50.1"},
        "reference-count": paper.reference_count,
        "publisher": "openRxiv" if posted and prefix == "10.64898" else (
            "Cold Spring Harbor Laboratory" if posted else journal_publisher(doi)),
    }
    if not posted and paper.issue:
        message["issue"] = paper.issue
    message["license"] = [{"start": _stamped(day, "lic", doi), "content-version": "vor",
                           "delay-in-days": 0,
                           "URL": "https://creativecommons.org/licenses/by/4.0"}]
    message["content-domain"] = {"domain": [], "crossmark-restriction": False}
    if not posted:
        message["short-container-title"] = [paper.journal or ""]
    message["abstract"] = (f"<jats:title>Abstract</jats:title><jats:p>{escape(paper.abstract)}"
                           "</jats:p>")
    message["DOI"] = doi.lower()
    message["type"] = "posted-content" if posted else "journal-article"
    if posted:
        message["subtype"] = "preprint"
    message["created"] = _stamped(day, "created", doi)
    message["source"] = "Crossref"
    message["is-referenced-by-count"] = cited
    message["title"] = [title]
    message["prefix"] = prefix
    if not posted and paper.volume:
        message["volume"] = paper.volume
    message["author"] = authors
    message["member"] = "246" if posted else str(_num("member", prefix, mod=30000) + 1)
    if prefix == "10.1038":
        message["member"] = "297"
    message["published-online"] = _parts(day)
    message["container-title"] = [] if posted else [paper.journal or ""]
    message["original-title"] = []
    message["language"] = "en"
    landing = (f"https://www.biorxiv.org/content/{doi}v{paper.biorxiv_versions}" if posted
               else f"https://doi.org/{doi.lower()}")
    message["link"] = [{"URL": f"{landing}.full.pdf" if posted else f"{landing}.pdf",
                        "content-type": "unspecified", "content-version": "vor",
                        "intended-application": "similarity-checking"}]
    message["deposited"] = _stamped(day + timedelta(days=30), "deposited", doi)
    message["score"] = 1
    message["resource"] = {"primary": {"URL": landing}}
    message["subtitle"] = []
    message["short-title"] = []
    message["issued"] = _parts(day)
    message["references-count"] = paper.reference_count
    if posted:
        message["institution"] = [{"name": "medRxiv" if paper.biorxiv_server == "medrxiv"
                                   else "bioRxiv"}]
        message["group-title"] = "Neuroscience"
        message["accepted"] = _parts(day)
        message["posted"] = _parts(day)
    else:
        message["journal-issue"] = {"issue": paper.issue or "1", "published-print": _parts(day)}
    message["alternative-id"] = [doi.split("/", 1)[1]]
    message["URL"] = f"https://doi.org/{doi.lower()}"
    relation: dict[str, Any] = {}
    if posted and paper.biorxiv_published_doi:
        relation["is-preprint-of"] = [{"id-type": "doi", "id": paper.biorxiv_published_doi,
                                       "asserted-by": "subject"}]
    if not posted and paper.biorxiv:
        relation["has-preprint"] = [{"id-type": "doi", "id": paper.biorxiv,
                                     "asserted-by": "object"}]
    message["relation"] = relation
    if not posted:
        issn = (f"{_num('issn', paper.journal, mod=9000) + 1000}-"
                f"{_num('issn2', paper.journal, mod=9000) + 1000}")
        message["ISSN"] = [issn]
        message["issn-type"] = [{"value": issn, "type": "electronic"}]
        if paper.pages:
            message["page"] = paper.pages
    message["subject"] = []
    message["published"] = _parts(day)
    return {"status": "ok", "message-type": "work", "message-version": "1.0.0",
            "message": message}


CROSSREF_NOT_FOUND = b"Resource not found."


def crossref_validation_failure(parameter: str) -> bytes:
    """Recorded ``works_doi_with_query_param.400.json``."""
    return dumps({"status": "failed", "message-type": "validation-failure", "message": [
        {"type": "parameter-not-allowed", "value": parameter,
         "message": "This route does not support field query parameters"}]})


# --------------------------------------------------------------------------- NeurIPS

_NEURIPS_EDITORS = {
    2019: "H. Wallach and H. Larochelle and A. Beygelzimer and F. d\\textquotesingle "
          "Alch\\'{e}-Buc and E. Fox and R. Garnett",
    2020: "H. Larochelle and M. Ranzato and R. Hadsell and M.F. Balcan and H. Lin",
    2021: "M. Ranzato and A. Beygelzimer and Y. Dauphin and P.S. Liang and J. Wortman Vaughan",
    2022: "S. Koyejo and S. Mohamed and A. Agarwal and D. Belgrave and K. Cho and A. Oh",
    2023: "A. Oh and T. Naumann and A. Globerson and K. Saenko and M. Hardt and S. Levine",
    2024: "A. Globerson and L. Mackey and D. Belgrave and A. Fan and U. Paquet and J. Tomczak "
          "and C. Zhang",
}


def _neurips_pages(paper: Paper) -> tuple[int, int]:
    first = _num("pages", paper.neurips, mod=40000) + 1000
    return first, first + 9 + _num("len", paper.neurips, mod=15)


def neurips_paper_suffix(paper: Paper) -> str:
    return neurips_suffix(paper.neurips[0], paper.neurips_track)


def neurips_doi(paper: Paper) -> str | None:
    """NeurIPS DOIs (10.52202/…) exist from 2024 on."""
    if not paper.neurips or paper.neurips[0] < 2024:
        return None
    return f"10.52202/079017-{_num('ndoi', paper.neurips, mod=4500):04d}"


def neurips_page(paper: Paper, root: str = "https://proceedings.neurips.cc") -> str:
    year, digest = paper.neurips
    suffix = neurips_paper_suffix(paper)
    pdf = f"{root}/paper_files/paper/{year}/file/{digest}-Paper{suffix}.pdf"
    first, last = _neurips_pages(paper)
    track = ("Datasets and Benchmarks Track" if paper.neurips_track.startswith("Datasets")
             else "Main Conference Track" if year >= 2022 else "")
    meta = [f'  <meta name="citation_title" content={quoteattr(paper.title)}>']
    meta += [f'  <meta name="citation_author" content={quoteattr(last_first(a))}>'
             for a in paper.authors]
    meta += [
        '  <meta name="citation_journal_title" '
        'content="Advances in Neural Information Processing Systems">',
        f'  <meta name="citation_volume" content="{year - 1987}">',
        f'  <meta name="citation_firstpage" content="{first}">',
        f'  <meta name="citation_lastpage" content="{last}">',
        f'  <meta name="citation_publication_date" content="{year}">',
        f'  <meta name="citation_pdf_url" content={quoteattr(pdf)}>',
    ]
    doi = neurips_doi(paper)
    if doi:
        meta.append(f'  <meta name="citation_doi" content="{doi}">')
    names = ", ".join(paper.authors)
    return "\n".join([
        "<!doctype html>", '<html lang="en">', "<head>", '  <meta charset="utf-8">',
        '  <meta name="viewport" content="width=device-width, initial-scale=1, '
        'shrink-to-fit=no">',
        f"  <title>{escape(paper.title)}</title>", *meta,
        '  <link rel="stylesheet" href="/static/css/bootstrap.min.css">', "</head>", "<body>",
        '<nav class="navbar navbar-expand-md navbar-dark bg-dark">',
        '  <a class="navbar-brand" href="/">NeurIPS Proceedings</a>', "</nav>",
        '<div class="container-fluid">', '  <div class="col p-3">',
        f"    <h4>{escape(paper.title)}</h4>", "    <p>", "      Part of",
        f'      <a href="/paper_files/paper/{year}">Advances in Neural Information Processing '
        f"Systems {year - 1987}  (NeurIPS {year})</a>",
        f"      {track}".rstrip(), "    </p>", "    <div>",
        f'      <a class="btn btn-light btn-spacer" role="button" '
        f'href="/paper_files/paper/{year}/file/{digest}-Bibtex.bib">Bibtex</a>',
        f'      <a class="btn btn-light btn-spacer" role="button" '
        f'href="/paper_files/paper/{year}/file/{digest}-Paper{suffix}.pdf">Paper</a>',
        "    </div>", "    <h4>Authors</h4>", f"    <p><i>{escape(names)}</i></p>",
        "    <h4>Abstract</h4>",
        f'    <p class="paper-abstract"><p>{escape(paper.abstract)}</p>', "    </p>",
        "  </div>", "</div>", "</body>", "</html>", "",
    ])


def neurips_bibtex(paper: Paper, root: str = "https://proceedings.neurips.cc") -> str:
    year, digest = paper.neurips
    suffix = neurips_paper_suffix(paper)
    first, last = _neurips_pages(paper)
    fields = [
        ("author", " and ".join(last_first(a) for a in paper.authors)),
        ("booktitle", "Advances in Neural Information Processing Systems"),
    ]
    doi = neurips_doi(paper)
    if doi:
        fields.append(("doi", doi))
    fields += [
        ("editor", _NEURIPS_EDITORS.get(year, "A. Editor and B. Editor")),
    ]
    if year < 2024:
        fields.append(("pages", f"{first}--{last}"))
    fields += [
        ("publisher", "Curran Associates, Inc."),
        ("title", paper.title),
        ("url", f"{root}/paper_files/paper/{year}/file/{digest}-Paper{suffix}.pdf"),
        ("volume", str(year - 1987)),
        ("year", str(year)),
    ]
    body = ",\n".join(f" {name} = {{{value}}}" for name, value in fields)
    return f"@inproceedings{{NEURIPS{year}_{digest[:8]},\n{body}\n}}\n"


def _index_class(paper: Paper) -> str:
    """The list item's class on the year index: the track (also before 2022, when the page URL
    has no track suffix), as public scrapers of the index read it."""
    if not paper.neurips_track.startswith("Datasets"):
        return "conference"
    if paper.neurips[0] >= 2024:
        return "datasets_and_benchmarks_track"
    return "datasets_and_benchmarks"


def neurips_year_index(year: int, papers: list[Paper]) -> str:
    items = "\n".join(
        f'<li class="{_index_class(p)}"><a title="paper title" '
        f'href="/paper_files/paper/{year}/hash/'
        f'{p.neurips[1]}-Abstract{neurips_paper_suffix(p)}.html">{escape(p.title)}</a> '
        f"<span class=\"paper-authors\">{escape(', '.join(p.authors))}</span></li>"
        for p in papers
    )
    return (f"<!doctype html>\n<html lang=\"en\">\n<head><title>NeurIPS {year}</title></head>\n"
            f"<body>\n<h4>Advances in Neural Information Processing Systems {year - 1987} "
            f"(NeurIPS {year})</h4>\n<ul class=\"paper-list\">\n{items}\n</ul>\n</body>\n</html>\n")


NEURIPS_NOT_FOUND = (
    "<!doctype html>\n<html lang=\"en\">\n<head><title>Page not found</title></head>\n<body>\n"
    "<h1>404</h1>\n<p>The page you requested could not be found.</p>\n</body>\n</html>\n"
)


# --------------------------------------------------------------------------- Semantic Scholar

S2_FIELDS = (
    "paperId", "corpusId", "externalIds", "publicationVenue", "url", "title", "abstract",
    "venue", "year", "referenceCount", "citationCount", "influentialCitationCount",
    "isOpenAccess", "openAccessPdf", "fieldsOfStudy", "s2FieldsOfStudy", "publicationTypes",
    "publicationDate", "journal", "citationStyles", "authors", "tldr", "citations",
    "references", "embedding", "textAvailability",
)
S2_TOO_MANY = (
    b'{"message":"Too Many Requests. Please wait and try again or apply for a key for higher '
    b'rate limits. https://www.semanticscholar.org/product/api#api-key-form","code":"429"}'
)

_S2_VENUES = {
    "NeurIPS": ("Neural Information Processing Systems", "conference",
                ["Neural Inf Process Syst", "NeurIPS", "NIPS"], "http://neurips.cc/"),
    "ICLR": ("International Conference on Learning Representations", "conference",
             ["Int Conf Learn Represent", "ICLR"], "https://iclr.cc/"),
    "ICML": ("International Conference on Machine Learning", "conference",
             ["ICML", "Int Conf Mach Learn"], "https://icml.cc/"),
}


def s2_venue(paper: Paper) -> tuple[str, dict[str, Any] | None]:
    """S2's ``venue`` string and ``publicationVenue``; a published bioRxiv preprint keeps
    ``venue: "bioRxiv"`` as in the recorded merged record."""
    head = (paper.venue or "").split(" ")[0]
    if head in _S2_VENUES:
        name, kind, alternates, url = _S2_VENUES[head]
    elif paper.biorxiv:
        name = "medRxiv" if paper.biorxiv_server == "medrxiv" else "bioRxiv"
        kind, alternates, url = "journal", [], f"https://www.{name.lower()}.org/"
        if paper.biorxiv_published_doi:
            return name, None
    elif paper.journal and paper.doi:
        name, kind, alternates, url = paper.journal, "journal", [], None
    elif paper.arxiv:
        name, kind, alternates, url = "arXiv.org", "journal", ["ArXiv"], "https://arxiv.org"
    elif paper.venue and not paper.venue.startswith(("Preprint", "Workshop")):
        return paper.venue, None
    else:
        return "", None
    venue = {"id": str(uuid.UUID(hashlib.md5(name.encode()).hexdigest())), "name": name,
             "type": kind, "alternate_names": alternates}
    if url:
        venue["url"] = url
    return name, venue


def s2_doi(paper: Paper) -> str | None:
    if paper.doi or paper.biorxiv_published_doi:
        return paper.doi or paper.biorxiv_published_doi
    if paper.arxiv:
        return paper.arxiv_doi
    return paper.biorxiv


def s2_abstract(paper: Paper) -> str | None:
    """Springer Nature abstracts are withheld (S2 release notes, 2024)."""
    doi = (paper.doi or paper.biorxiv_published_doi or "").lower()
    if doi.startswith(("10.1038/", "10.1007/")):
        return None
    return paper.abstract or None


def s2_paper_full(paper: Paper) -> dict[str, Any]:
    external: dict[str, Any] = {}
    if paper.dblp:
        external["DBLP"] = paper.dblp
    if paper.arxiv:
        external["ArXiv"] = paper.arxiv
    doi = s2_doi(paper)
    if doi:
        external["DOI"] = doi
    external["CorpusId"] = paper.corpus_id
    venue, publication_venue = s2_venue(paper)
    if paper.arxiv and not paper.doi and not paper.dblp:
        journal: dict[str, Any] | None = {"name": "ArXiv", "volume": f"abs/{paper.arxiv}"}
        types = ["JournalArticle"]
    elif paper.doi or paper.biorxiv_published_doi:
        journal = {"name": paper.journal or ""}
        if paper.pages:
            journal["pages"] = paper.pages.replace("-", " - ")
        if paper.volume:
            journal["volume"] = paper.volume
        types = ["JournalArticle"]
    elif paper.biorxiv:
        journal = {"name": "bioRxiv"}
        types = None
    elif paper.dblp:
        journal = {"pages": f"{_num('p', paper.s2_id, mod=30000) + 1}-"
                            f"{_num('p', paper.s2_id, mod=30000) + 15}"} if paper.neurips else None
        types = ["Conference"] if not paper.arxiv else ["JournalArticle", "Conference"]
    else:
        journal, types = None, None
    if paper.arxiv:
        pdf = {"url": f"https://arxiv.org/pdf/{paper.arxiv}", "status": "GREEN",
               "license": None}
    else:
        pdf = {"url": "", "status": None, "license": None}
    authors = [{"authorId": str(_num("author", a, mod=2_300_000_000) + 1000), "name": a}
               for a in paper.authors]
    year = paper.published.year if paper.published else paper.year
    bib_authors = " and ".join(paper.authors)
    key = f"{split_name(paper.authors[0])[1] if paper.authors else 'None'}{year}"
    bibtex = (f"@Article{{{key},\n author = {{{bib_authors}}},\n booktitle = {{{venue}}},\n"
              f" title = {{{paper.title}}},\n year = {{{year}}}\n}}\n")
    full: dict[str, Any] = {
        "paperId": paper.s2_id,
        "externalIds": external,
        "corpusId": paper.corpus_id,
        "publicationVenue": publication_venue,
        "url": f"https://www.semanticscholar.org/paper/{paper.s2_id}",
        "title": paper.title,
        "abstract": s2_abstract(paper),
        "venue": venue,
        "year": year,
        "referenceCount": paper.reference_count,
        "citationCount": paper.citation_count,
        "influentialCitationCount": paper.influential_citation_count,
        "isOpenAccess": bool(paper.arxiv or paper.biorxiv),
        "openAccessPdf": pdf,
        "fieldsOfStudy": ["Computer Science", "Biology"],
        "s2FieldsOfStudy": [{"category": "Computer Science", "source": "external"},
                            {"category": "Biology", "source": "s2-fos-model"}],
        "publicationTypes": types,
        "publicationDate": paper.published.isoformat() if paper.published else None,
        "journal": journal,
        "citationStyles": {"bibtex": bibtex},
        "authors": authors,
        "tldr": {"model": "tldr@v2.0.0", "text": (paper.abstract or "").split(". ")[0]},
        "citations": [],
        "references": [],
        "embedding": None,
        "textAvailability": "abstract" if s2_abstract(paper) else "none",
    }
    return full


def s2_paper(paper: Paper, fields: list[str] | None) -> dict[str, Any]:
    """The paper with only the requested top-level fields (``paperId`` always)."""
    full = s2_paper_full(paper)
    wanted = {"paperId"} | ({"title"} if fields is None else {f.split(".")[0] for f in fields})
    return {k: v for k, v in full.items() if k in wanted}


def s2_unknown_fields(fields: list[str]) -> list[str]:
    return [f for f in fields if f.split(".")[0] not in S2_FIELDS]


# --------------------------------------------------------------------------- OpenAlex

_OA_SOURCES = {
    "arxiv": {"id": "https://openalex.org/S4306400194",
              "display_name": "arXiv (Cornell University)",
              "issn_l": None, "issn": None, "is_oa": True, "is_in_doaj": False,
              "is_indexed_in_scopus": False, "is_core": False,
              "host_organization": "https://openalex.org/I205783295",
              "host_organization_name": "Cornell University",
              "host_organization_lineage": ["https://openalex.org/I205783295"],
              "host_organization_lineage_names": ["Cornell University"], "type": "repository"},
    "biorxiv": {"id": "https://openalex.org/S4306402567",
                "display_name": "bioRxiv (Cold Spring Harbor Laboratory)", "issn_l": None,
                "issn": None, "is_oa": True, "is_in_doaj": False, "is_indexed_in_scopus": False,
                "is_core": False, "host_organization": "https://openalex.org/I2750212522",
                "host_organization_name": "Cold Spring Harbor Laboratory",
                "host_organization_lineage": ["https://openalex.org/I2750212522"],
                "host_organization_lineage_names": ["Cold Spring Harbor Laboratory"],
                "type": "repository"},
}


def inverted_index(text: str) -> dict[str, list[int]]:
    index: dict[str, list[int]] = {}
    for position, word in enumerate(text.split()):
        index.setdefault(word, []).append(position)
    return index


def openalex_work(paper: Paper, kind: str) -> dict[str, Any]:
    """One OpenAlex work: ``journal`` (article), ``arxiv`` or ``biorxiv`` (preprint)."""
    work_id = f"https://openalex.org/{openalex_work_id(paper, kind)}"
    journal_doi = paper.doi or paper.biorxiv_published_doi
    if kind == "journal":
        doi = journal_doi.lower()
        day = paper.journal_published or paper.published
        title = paper.journal_title or paper.title
        source = {"id": f"https://openalex.org/S{_num('src', paper.journal, mod=10**9) + 10**9}",
                  "display_name": paper.journal, "issn_l": None, "issn": None, "is_oa": False,
                  "is_in_doaj": False, "is_indexed_in_scopus": True, "is_core": True,
                  "host_organization": None,
                  "host_organization_name": journal_publisher(doi),
                  "host_organization_lineage": [], "host_organization_lineage_names": [],
                  "type": "journal"}
        landing, pdf, version = f"https://doi.org/{doi}", None, "publishedVersion"
        work_type, type_crossref, indexed = "article", "journal-article", ["crossref"]
        cited = paper.citation_count * 6 // 10
    else:
        doi = (paper.arxiv_doi if kind == "arxiv" else paper.biorxiv).lower()
        day = paper.published
        if kind == "arxiv":
            day = date(paper.published.year, 1, 1)  # recorded: arXiv works padded to Jan 1st
            landing = f"https://arxiv.org/abs/{paper.arxiv}"
            pdf = f"https://arxiv.org/pdf/{paper.arxiv}"
            indexed, type_crossref = ["arxiv", "datacite"], "posted-content"
        else:
            landing = f"https://doi.org/{doi}"
            pdf = None
            indexed, type_crossref = ["crossref"], "posted-content"
        title = paper.title
        source = _OA_SOURCES[kind]
        version, work_type = "submittedVersion", "preprint"
        cited = paper.citation_count * (3 if journal_doi else 7) // 10
    location = {"is_oa": kind != "journal", "landing_page_url": landing, "pdf_url": pdf,
                "source": source, "license": "cc-by" if kind != "journal" else None,
                "license_id": None, "version": version, "is_accepted": kind == "journal",
                "is_published": kind == "journal"}
    authorships = []
    for index, name in enumerate(paper.authors):
        last = len(paper.authors) - 1
        position = "first" if index == 0 else "last" if index == last else "middle"
        authorships.append({
            "author_position": position,
            "author": {"id": f"https://openalex.org/A5{_num('oa-author', name, mod=10**9):09d}",
                       "display_name": name, "orcid": None},
            "institutions": [], "countries": [], "is_corresponding": False,
            "raw_author_name": name, "raw_affiliation_strings": [], "affiliations": [],
        })
    abstract = None
    if paper.openalex_abstract and paper.abstract:
        abstract = inverted_index(paper.abstract)
    return {
        "id": work_id,
        "doi": f"https://doi.org/{doi}",
        "title": title,
        "display_name": title,
        "publication_year": day.year,
        "publication_date": day.isoformat(),
        "ids": {"openalex": work_id, "doi": f"https://doi.org/{doi}"},
        "language": "en",
        "primary_location": location,
        "type": work_type,
        "type_crossref": type_crossref,
        "indexed_in": indexed,
        "open_access": {"is_oa": kind != "journal", "oa_status": "green" if kind != "journal"
                        else "closed", "oa_url": pdf, "any_repository_has_fulltext": False},
        "authorships": authorships,
        "institution_assertions": [],
        "countries_distinct_count": 0,
        "institutions_distinct_count": 0,
        "corresponding_author_ids": [],
        "corresponding_institution_ids": [],
        "has_fulltext": False,
        "cited_by_count": cited,
        "biblio": {"volume": paper.volume if kind == "journal" else None,
                   "issue": paper.issue if kind == "journal" else None,
                   "first_page": None, "last_page": None},
        "is_retracted": False,
        "is_paratext": False,
        "locations_count": 1,
        "locations": [location],
        "best_oa_location": location if kind != "journal" else None,
        "referenced_works_count": paper.reference_count,
        "referenced_works": [],
        "related_works": [],
        "abstract_inverted_index": abstract,
        "abstract_inverted_index_v3": None,
        "cited_by_api_url": "https://api.openalex.org/works?filter=cites:"
                            + work_id.rsplit("/", 1)[1],
        "counts_by_year": [],
        "updated_date": "2026-05-02T08:11:41.119204",
        "created_date": (paper.published or day).isoformat(),
    }


OPENALEX_NOT_FOUND = (
    b"<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n"
    b"<p>The requested URL was not found on the server. If you entered the URL manually please "
    b"check your spelling and try again.</p>\n"
)


def select_fields(obj: dict[str, Any], select: str | None) -> dict[str, Any]:
    if not select:
        return obj
    keys = [k.strip() for k in select.split(",") if k.strip()]
    return {k: obj[k] for k in keys if k in obj}


# --------------------------------------------------------------------------- GitHub

GITHUB_DOCS = "https://docs.github.com/rest"


def github_repo(repo: Repo, api: str) -> dict[str, Any]:
    """The REST ``/repos/{owner}/{repo}`` body (``Repository.setUp.txt`` field set)."""
    owner, name = repo.owner, repo.name
    base = f"{api}/repos/{owner}/{name}"
    owner_id = 1_000_000 + hashlib.sha256(owner.lower().encode()).digest()[0] * 100_000 + len(owner)
    owner_obj = {
        "login": owner, "id": owner_id,
        "node_id": base64.b64encode(f"04:User{owner_id}".encode()).decode(),
        "avatar_url": f"https://avatars.githubusercontent.com/u/{owner_id}?v=4",
        "gravatar_id": "", "url": f"{api}/users/{owner}", "html_url": f"https://github.com/{owner}",
        "repos_url": f"{api}/users/{owner}/repos", "type": "User", "user_view_type": "public",
        "site_admin": False,
    }
    license_obj = None
    if repo.license:
        key, license_name = LICENSES.get(repo.license, (repo.license.lower(), repo.license))
        license_obj = {"key": key, "name": license_name, "spdx_id": repo.license,
                       "url": None if repo.license == "NOASSERTION" else f"{api}/licenses/{key}",
                       "node_id": "MDc6TGljZW5zZTA="}
    updated = repo.last_modified
    return {
        "id": repo.id,
        "node_id": base64.b64encode(f"010:Repository{repo.id}".encode()).decode(),
        "name": name,
        "full_name": repo.canonical,
        "private": False,
        "owner": owner_obj,
        "html_url": f"https://github.com/{repo.canonical}",
        "description": repo.description,
        "fork": False,
        "url": base,
        "forks_url": f"{base}/forks",
        "contents_url": f"{base}/contents/{{+path}}",
        "issues_url": f"{base}/issues{{/number}}",
        "pulls_url": f"{base}/pulls{{/number}}",
        "releases_url": f"{base}/releases{{/id}}",
        "created_at": iso_z(repo.created_at),
        "updated_at": iso_z(updated),
        "pushed_at": iso_z(repo.pushed_at),
        "git_url": f"git://github.com/{repo.canonical}.git",
        "ssh_url": f"git@github.com:{repo.canonical}.git",
        "clone_url": f"https://github.com/{repo.canonical}.git",
        "svn_url": f"https://github.com/{repo.canonical}",
        "homepage": repo.homepage,
        "size": repo.size,
        "stargazers_count": repo.stars,
        "watchers_count": repo.stars,
        "language": repo.language,
        "has_issues": True,
        "has_projects": True,
        "has_downloads": True,
        "has_wiki": False,
        "has_pages": False,
        "has_discussions": False,
        "forks_count": repo.forks,
        "mirror_url": None,
        "archived": repo.archived,
        "disabled": False,
        "open_issues_count": repo.open_issues,
        "license": license_obj,
        "allow_forking": True,
        "is_template": False,
        "web_commit_signoff_required": False,
        "topics": list(repo.topics),
        "visibility": "public",
        "forks": repo.forks,
        "open_issues": repo.open_issues,
        "watchers": repo.stars,
        "default_branch": repo.default_branch,
        "temp_clone_token": None,
        "network_count": repo.forks,
        "subscribers_count": repo.watchers,
    }


def github_moved(api: str, repo_id: int) -> bytes:
    """Recorded ``Repository.testGetRepositoryWith301Redirect.txt`` body."""
    return dumps({"message": "Moved Permanently", "url": f"{api}/repositories/{repo_id}",
                  "documentation_url": "https://docs.github.com/rest/guides/best-practices-for-using-the-rest-api#follow-redirects"})


GITHUB_NOT_FOUND = dumps({
    "message": "Not Found",
    "documentation_url": "https://docs.github.com/rest/repos/repos#get-a-repository",
    "status": "404",
})


def github_rate_limited(authenticated: bool, who: str) -> bytes:
    if authenticated:
        message = f"API rate limit exceeded for user ID {who}."
    else:
        message = (f"API rate limit exceeded for {who}. (But here's the good news: Authenticated "
                   "requests get a higher rate limit. Check out the documentation for more "
                   "details.)")
    return dumps({"message": message, "documentation_url": "https://docs.github.com/rest/"
                  "overview/rate-limits-for-the-rest-api", "status": "403"})


GITHUB_SECONDARY = dumps({
    "message": "You have exceeded a secondary rate limit. Please wait a few minutes before you "
               "try again. If you reach out to GitHub Support for help, please include the "
               "request ID 7FA1:2B9D7D:FDA0F:1007DB:66E9C9DA.",
    "documentation_url": "https://docs.github.com/free-pro-team@latest/rest/using-the-rest-api/"
                         "rate-limits-for-the-rest-api#about-secondary-rate-limits",
    "status": "403",
})
GITHUB_FORBIDDEN = dumps({
    "message": "Resource not accessible by integration",
    "documentation_url": "https://docs.github.com/rest/repos/repos#get-a-repository",
    "status": "403",
})
GITHUB_BAD_CREDENTIALS = dumps({"message": "Bad credentials",
                                "documentation_url": "https://docs.github.com/rest",
                                "status": "401"})
GITHUB_GRAPHQL_UNAUTHENTICATED = dumps({
    "message": "This endpoint requires you to be authenticated.",
    "documentation_url": "https://docs.github.com/graphql/guides/forming-calls-with-graphql"
                         "#authenticating-with-graphql",
})


def git_blob_sha(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\x00" % len(data) + data).hexdigest()


def github_contents(repo: Repo, path: str, text: str, api: str) -> dict[str, Any]:
    data = text.encode("utf-8")
    sha = git_blob_sha(data)
    encoded = base64.b64encode(data).decode()
    content = "\n".join(encoded[i:i + 60] for i in range(0, len(encoded), 60)) + "\n"
    url = f"{api}/repos/{repo.canonical}/contents/{path}?ref={repo.default_branch}"
    html = f"https://github.com/{repo.canonical}/blob/{repo.default_branch}/{path}"
    git = f"{api}/repos/{repo.canonical}/git/blobs/{sha}"
    return {
        "name": path.rsplit("/", 1)[-1], "path": path, "sha": sha, "size": len(data),
        "url": url, "html_url": html, "git_url": git,
        "download_url": f"https://raw.githubusercontent.com/{repo.canonical}/"
                        f"{repo.default_branch}/{path}",
        "type": "file", "content": content, "encoding": "base64",
        "_links": {"self": url, "git": git, "html": html},
    }


def github_graphql_repo(repo: Repo) -> dict[str, Any]:
    license_info = None
    if repo.license:
        key, license_name = LICENSES.get(repo.license, (repo.license.lower(), repo.license))
        license_info = {"spdxId": repo.license, "name": license_name, "key": key}
    return {
        "nameWithOwner": repo.canonical,
        "name": repo.name,
        "owner": {"login": repo.owner},
        "url": f"https://github.com/{repo.canonical}",
        "description": repo.description,
        "homepageUrl": repo.homepage,
        "stargazerCount": repo.stars,
        "forkCount": repo.forks,
        "watchers": {"totalCount": repo.watchers},
        # REST's open_issues_count counts open pull requests too; GraphQL splits them
        "issues": {"totalCount": repo.open_issues - repo.open_issues // 3},
        "pullRequests": {"totalCount": repo.open_issues // 3},
        "pushedAt": iso_z(repo.pushed_at),
        "createdAt": iso_z(repo.created_at),
        "updatedAt": iso_z(repo.last_modified),
        "isArchived": repo.archived,
        "isFork": False,
        "isPrivate": False,
        "licenseInfo": license_info,
        "repositoryTopics": {"nodes": [{"topic": {"name": t}} for t in repo.topics]},
        "primaryLanguage": {"name": repo.language} if repo.language else None,
        "defaultBranchRef": {"name": repo.default_branch},
        "databaseId": repo.id,
        "id": base64.b64encode(f"010:Repository{repo.id}".encode()).decode(),
    }


# --------------------------------------------------------------------------- generic pages

HTML_ERROR_PAGE = (
    b"<!DOCTYPE html>\n<html>\n<head><title>Service Unavailable</title></head>\n<body>\n"
    b"<h1>Something went wrong</h1>\n<p>The server is temporarily unable to service your "
    b"request. Please try again later.</p>\n</body>\n</html>\n"
)


def html_status_page(status: int, phrase: str) -> bytes:
    return (f"<html>\n<head><title>{status} {phrase}</title></head>\n<body>\n"
            f"<center><h1>{status} {phrase}</h1></center>\n<hr><center>nginx</center>\n"
            "</body>\n</html>\n").encode()


def scramble(value: Any, depth: int = 0) -> Any:
    """Valid JSON of the wrong types: numbers become strings, strings become numbers or lists,
    lists become objects, booleans become strings; ``null`` stays."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return len(value) if depth % 2 else [value]
    if isinstance(value, list):
        return {str(i): scramble(v, depth + 1) for i, v in enumerate(value)}
    if isinstance(value, dict):
        return {k: scramble(v, depth + 1) for k, v in value.items()}
    return value
