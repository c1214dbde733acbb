"""The one venue matcher: which venue of the vocabulary one string names, with its year,
track, presentation and whether the text says the paper was only submitted, rejected or
withdrawn there (see ``harvester.venues``)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import cast

from ..models import Presentation
from .base import (
    DATASETS_AND_BENCHMARKS,
    FINDINGS,
    MAX_TEXT,
    WORKSHOP,
    SourceKind,
    State,
    VenueMatch,
)
from .vocab import normalise, vocabulary

_BLANKS = re.compile(r"[^\S\n]+")
_WORD = re.compile(r"[^\W_]+")
_ISSN = re.compile(r"\b(\d{4})-?(\d{3}[\dXx])\b")
YEAR = re.compile(r"(?<![\d.:/])((?:19[5-9]|20[0-4])\d)(?![\d]|\.\d)")
"""A year a venue text may give (1950–2049), not part of a number, date or path."""
_PAREN_YEAR = re.compile(r"\(\s*((?:19[5-9]|20[0-4])\d)\s*\)")
_URL = re.compile(r"https?://\S+|www\.\S+", re.I)
_DNB = re.compile(r"datasets?[\s_]*(?:and|&)[\s_]*benchmarks?|\bD\s*&\s*B\b", re.I)
_FINDINGS = re.compile(r"\bfindings\b", re.I)
_WORKSHOP = re.compile(r"\bworkshops?\b", re.I)
_WS_AFTER = re.compile(
    r"\bworkshops?\b\s*(?:on\s+|:\s*|-\s+)?(?P<name>[^;,.()\[\]\n@]*)", re.I
)
_WS_BEFORE = re.compile(
    r"(?P<name>(?:(?:[A-Z0-9][\w&'+-]*|of|on|for|in|and|the|to)\s+){1,10}?)[Ww]orkshops?\b"
)
_PRESENTATION = re.compile(
    r"\b(?P<word>oral|spotlight|poster)s?\b|notable[\s_-]*top[\s_-]*(?P<top>5|25)\s*%", re.I
)
# Cheap tests that let most clauses skip the regular expressions below.
_PRESENTATION_HINT = re.compile(r"oral|spotlight|poster|notable")
_STATE_HINT = re.compile(r"reject|withdraw|submi|review")
_REJECTED = re.compile(r"\brejected\b|\brejection\b", re.I)
_WITHDRAWN = re.compile(r"\bwithdrawn\b", re.I)
_SUBMITTED = re.compile(
    r"\bsubmitted\b|\bsubmission\b|\bunder\s+review\b|\bin\s+review\b|\bunder\s+submission\b",
    re.I,
)
_ACCEPTED = re.compile(r"\baccept(?:ed|s)?\b|\bto\s+appear\b|\bpublished\b|\bpresented\b", re.I)
_ORDINAL = re.compile(r"(\d{1,3})(?:st|nd|rd|th)\s+(?:annual\s+)?$", re.I)
_VOLUME = re.compile(r"\s+(\d{1,2})(?!\d)(?!\s*(?:st|nd|rd|th)\b)")
_CONNECTOR_BEFORE = re.compile(
    r"\b(?:transactions|journal|conference|workshop|symposium|letters|reviews?|frontiers|"
    r"advances|trends|annals|archives|progress|foundations)\s+(?:on|of|in)\s+(?:the\s+)?$",
    re.I,
)
_CAPITAL_BEFORE = re.compile(r"\b([A-Z][\w-]*)\s+$")
_CAPITAL_AFTER = re.compile(r"^\s+[A-Z][a-z]")
_ALLOWED_BEFORE = frozenset(
    {"In", "At", "The", "To", "By", "Published", "Accepted", "Appeared", "Appears", "Online",
     "Journal", "Proceedings", "Proc", "Preprint", "Submitted", "Presented", "Forthcoming"}
)
_STRUCTURED = ("issn", "dblp", "openreview_venueid", "openreview_invitation")


@lru_cache(maxsize=16384)
def match(text: str | None, source_kind: SourceKind = "text", *,
          title: str | None = None) -> VenueMatch | None:
    """The venue of the vocabulary that ``text`` names, or None.

    ``title`` (the paper's own title) is taken out of ``text`` first, so that words of a title
    ("… a Nature-inspired …", "… for ICLR reviewers") never make a venue."""
    if not text or not text.strip():
        return None
    text = unicodedata.normalize("NFKC", text[:MAX_TEXT])
    if source_kind == "issn":
        return _match_issn(text)
    if source_kind == "dblp":
        return _match_dblp(text)
    if source_kind in ("openreview_venueid", "openreview_invitation"):
        return _match_openreview_id(text, invitation=source_kind == "openreview_invitation")
    if title:
        text = _without(text, title)
    return _match_text(text)


def _without(text: str, title: str) -> str:
    """``text`` with every occurrence of ``title`` (any case, any spacing) made a clause break."""
    words = unicodedata.normalize("NFKC", title).split()
    if not words:
        return text
    spaced = _BLANKS.sub(" ", text)
    lowered, wanted = spaced.lower(), " ".join(words).lower()
    if len(lowered) != len(spaced):  # lower-casing changed lengths ("İ"): no position map
        pattern = r"\s+".join(re.escape(w) for w in words)
        return re.sub(pattern, " | ", spaced, flags=re.I)
    if wanted not in lowered:
        return text
    parts, start = [], 0
    while (found := lowered.find(wanted, start)) >= 0:
        parts += [spaced[start:found], " | "]
        start = found + len(wanted)
    return "".join([*parts, spaced[start:]])


def _match_issn(text: str) -> VenueMatch | None:
    vocab = vocabulary()
    for m in _ISSN.finditer(text):
        key = vocab.by_issn.get(f"{m[1]}-{m[2].upper()}")
        if key:
            return plain(key)
    return None


def _match_dblp(text: str) -> VenueMatch | None:
    key_text = text.strip().lower().removeprefix("dblp:").removeprefix("https://dblp.org/rec/")
    parts = key_text.split("/")
    key = vocabulary().by_dblp.get("/".join(parts[:2]))
    if key is None:
        return None
    rest = "/".join(parts[2:])
    # conf/nips/AzabouAGMNMRPLD23: the last two digits of the key are the year
    year = _two_digit_year(m[1]) if (m := re.search(r"(\d{2})$", rest)) else None
    if vocabulary().venues[key].kind != "conference":
        year = None  # journals/corr/abs-2310-16046: no year to read
    return plain(key, year=year)


def _match_openreview_id(text: str, *, invitation: bool = False) -> VenueMatch | None:
    """``ICLR.cc/2025/Conference``, ``NeurIPS.cc/2024/Datasets_and_Benchmarks_Track``,
    ``ICLR.cc/2024/Workshop/ME-FoMo``, ``…/Rejected_Submission``, v1 invitations
    ``ICLR.cc/2019/Conference/-/Withdrawn_Submission``; ACL Rolling Review cycles are not
    venues. Every note has a ``…/-/Submission`` invitation: only a withdrawn or rejected one
    says something about the paper."""
    venue_id = text.strip().strip("/")
    lowered = venue_id.lower()
    if lowered.startswith("aclweb.org/acl/arr"):
        return None
    found = next(((prefix, key) for prefix, key in vocabulary().by_openreview
                  if lowered == prefix or lowered.startswith(prefix + "/")), None)
    if found is None:
        return None
    prefix, key = found
    segments = [s for s in venue_id[len(prefix) :].split("/") if s and s != "-"]
    year = next((int(s) for s in segments if re.fullmatch(r"(?:19|20)\d{2}", s)), None)
    rest = [s for s in segments if not re.fullmatch(r"(?:19|20)\d{2}", s)]
    track: str | None = None
    state: State | None = None
    if rest:
        last = rest[-1]
        if last.endswith("Withdrawn_Submission"):
            state = "withdrawn"
        elif last.endswith("Rejected_Submission"):
            state = "rejected"
        elif last in ("Submission", "Blind_Submission") or last.endswith("_Submission"):
            state = None if invitation else "submitted"
            if invitation:
                rest = rest[:-1]
        if state is not None:
            rest = rest[:-1]
    joined = "/".join(rest)
    if _DNB.search(joined):
        track = DATASETS_AND_BENCHMARKS
    elif rest and rest[0].lower() == "workshop":
        name = " ".join(rest[1:2]).replace("_", " ").strip()
        track = f"{WORKSHOP}: {name}" if name else WORKSHOP
    elif rest and _FINDINGS.search(joined):
        track = FINDINGS
    venue = vocabulary().venues[key]
    if venue.kind == "preprint":
        year = None
    return VenueMatch(key=key, kind=venue.kind, short=venue.display, year=year, track=track,
                      state=state)


def plain(key: str, year: int | None = None) -> VenueMatch:
    """The match of the vocabulary's venue ``key`` with nothing but (maybe) its year."""
    venue = vocabulary().venues[key]
    return VenueMatch(key=key, kind=venue.kind, short=venue.display, year=year)


def _two_digit_year(digits: str) -> int:
    n = int(digits.lstrip("'’‘`- \t") or "0")
    return 1900 + n if n >= 70 else 2000 + n


@dataclass(frozen=True)
class _Hit:
    key: str
    start: int
    end: int
    year: int | None
    attached: bool


def _hits(text: str) -> Iterator[_Hit]:
    vocab = vocabulary()
    done = 0
    for word in _WORD.finditer(text):
        if word.start() < done:
            continue
        token = word[0].casefold()
        if token not in vocab.alternatives:
            token = token.rstrip("0123456789")  # "CVPR24", "NeurIPS2023"
        pattern = vocab.pattern(token)
        m = pattern.match(text, word.start()) if pattern is not None else None
        if m is None:
            continue
        alias = m["alias"]
        norm = normalise(alias)
        key = vocab.by_alias.get(norm)
        if key is None:
            continue
        venue = vocab.venues[key]
        before, after = text[max(0, m.start() - 80) : m.start()], text[m.end("alias") :]
        if norm in vocab.journal_names:
            if norm in vocab.single_words and alias == alias.lower():
                continue
            if _CONNECTOR_BEFORE.search(before):
                continue
            cap = _CAPITAL_BEFORE.search(before)
            if cap and cap[1] not in _ALLOWED_BEFORE and not before.endswith(("\n", "|")):
                continue
            if m["y2"] is None and m["y4"] is None and _CAPITAL_AFTER.match(after):
                continue
        year: int | None = None
        attached = False
        if m["y2"] is not None:
            year, attached = _two_digit_year(m["y2"]), True
        elif m["y4"] is not None:
            year, attached = int(m["y4"]), True
        else:
            if venue.volume_zero and (vol := _VOLUME.match(after)):
                year = venue.volume_zero + int(vol[1])
            if year is None and venue.edition_zero and (ordn := _ORDINAL.search(before)):
                year = venue.edition_zero + int(ordn[1])
        yield _Hit(key, m.start(), m.end(), year, attached)
        done = m.end()


# ``match`` is memoised per (text, kind, title), and every paper has its own title: this memo
# is the one shared by the papers whose venue strings are the same once the title is taken out.
# A pure function of one string; a VenueMatch is frozen, so no caller can change a cached one.
@lru_cache(maxsize=16384)
def _match_text(text: str) -> VenueMatch | None:
    if "http" in text or "www." in text:
        text = _URL.sub(" ", text)
    hits = list(_hits(text))
    if not hits:
        return None
    vocab = vocabulary()
    found = [(hit, *_clause(text, hit)) for hit in hits]
    # Venues before preprint servers, an acceptance before a submission, a venue with its
    # year before one without, then leftmost ("Findings of the Association for Computational
    # Linguistics: EMNLP 2023" is EMNLP; "Submitted to ICLR 2024; accepted at TMLR" is TMLR).
    best, clause, low = min(found, key=lambda f: (
        vocab.venues[f[0].key].kind == "preprint", _state(f[1], f[2]) is not None,
        not f[0].attached, f[0].start))
    venue = vocab.venues[best.key]
    year = best.year
    if year is None and (y := _PAREN_YEAR.search(clause) or YEAR.search(clause)):
        year = int(y[1])  # "(2021)" before a bare number: "Cell 184, 2019–2035 (2021)"
    return VenueMatch(
        key=best.key,
        kind=venue.kind,
        short=venue.display,
        year=year,
        track=(_track(clause, low, text[best.start : best.end])
               if venue.kind != "preprint" else None),
        presentation=_presentation(clause) if _PRESENTATION_HINT.search(low) else None,
        state=_state(clause, low),
    )


def _clause(text: str, hit: _Hit) -> tuple[str, str]:
    """The part of ``text`` between separators (``;``, ``|``, a new line) holding ``hit``,
    and its lower-case form."""
    start = max(text.rfind(";", 0, hit.start), text.rfind("|", 0, hit.start),
                text.rfind("\n", 0, hit.start)) + 1
    ends = [i for i in (text.find(c, hit.end) for c in ";|\n") if i >= 0]
    clause = text[start : min(ends, default=len(text))]
    return clause, clause.lower()


def _track(clause: str, low: str, matched: str) -> str | None:
    if ("bench" in low or "&" in low) and _DNB.search(clause):
        return DATASETS_AND_BENCHMARKS
    if "findings" in low and _FINDINGS.search(clause):
        return FINDINGS
    if "workshop" not in low or not _WORKSHOP.search(clause):
        return None
    name = ""
    if (after := _WS_AFTER.search(clause)) is not None:
        name = _workshop_name(after["name"], matched)
    if not name and (before := _WS_BEFORE.search(clause)) is not None:
        name = _workshop_name(before["name"], matched)
    return f"{WORKSHOP}: {name}" if name else WORKSHOP


_NOT_NAME = re.compile(
    r"\b(?:oral|spotlight|poster|track|paper|papers|accepted|presented|at|in|to|the|"
    r"(?:19|20)\d{2}|\d{2})\b",
    re.I,
)


def _workshop_name(raw: str, matched: str) -> str:
    words = raw.replace("_", " ").split()
    alias = {w.casefold() for w in re.findall(r"[^\W_]+", matched)}
    # drop leading and trailing filler: the venue's own words, years, presentation words
    while words and (words[0].casefold().strip("'’") in alias or _NOT_NAME.fullmatch(words[0])
                     or words[0].lower() in ("on", "of", "for", "and")):
        words.pop(0)
    while words and (words[-1].casefold() in alias or _NOT_NAME.fullmatch(words[-1])
                     or words[-1].lower() in ("on", "of", "for", "and")):
        words.pop()
    name = " ".join(words).strip(" -:")
    return name if name and not name[0].islower() else ""


def _presentation(clause: str) -> Presentation | None:
    m = _PRESENTATION.search(clause)
    if m is None:
        return None
    if m["top"]:
        return "oral" if m["top"] == "5" else "spotlight"
    return cast(Presentation, m["word"].lower())


def _state(clause: str, low: str) -> State | None:
    if not _STATE_HINT.search(low):
        return None
    if _REJECTED.search(clause):
        return "rejected"
    if _WITHDRAWN.search(clause):
        return "withdrawn"
    if _SUBMITTED.search(clause) and not _ACCEPTED.search(clause):
        return "submitted"
    return None


def tidy(text: str | None) -> str | None:
    """A source's own venue string, tidied: one space between words, no dangling
    punctuation; None when nothing is left."""
    if not text:
        return None
    cleaned = " ".join(unicodedata.normalize("NFKC", text).split()).strip(" ,;:.-|")
    return cleaned or None
