"""Venues: the shipped vocabulary (``data/venues.toml``), the one matcher, and the venue
fields of a paper resolved from its sources' records (pure, no I/O).

``match(text, source_kind=…)`` reads one string a source gave — a Semantic Scholar venue name,
a Crossref container title or ISSN, an OpenReview venue id or venue string, an arXiv comment
or journal reference, a DBLP key, a list's venue phrase — and says which venue of the
vocabulary it names (``venue_key``), in its one display form (``"NeurIPS 2023"``, ``"Nature"``,
``"bioRxiv"``), with the year, the track ("Datasets and Benchmarks", "Findings",
"Workshop: <name>"), the presentation (oral, spotlight, poster) and whether the text says the
paper was only submitted, rejected or withdrawn there.

``resolve_venue(candidates)`` gives a paper's ``venue``, ``venue_key``, ``venue_year``,
``track``, ``presentation`` and ``year`` from the records able to speak to its status, in
precedence order (DESIGN.md "Venues"), with the source of each field.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from typing import Any, Literal, cast

from .models import Presentation, Status

VenueKind = Literal["conference", "journal", "preprint"]

State = Literal["submitted", "rejected", "withdrawn"]
SourceKind = Literal[
    "text",
    "list",
    "semanticscholar",
    "crossref",
    "issn",
    "dblp",
    "openreview_venueid",
    "openreview_invitation",
    "openreview_venue",
    "arxiv_comment",
    "arxiv_journal_ref",
]
"""What ``text`` is. The structured kinds (``issn``, ``dblp``, ``openreview_venueid``,
``openreview_invitation``) are parsed as identifiers; every other kind is read as free text."""

MAX_TEXT = 4000
"""Characters of a string read: venue strings, comments and journal references are short."""
DATASETS_AND_BENCHMARKS = "Datasets and Benchmarks"
FINDINGS = "Findings"
WORKSHOP = "Workshop"


@dataclass(frozen=True)
class Venue:
    """One venue of the vocabulary."""

    key: str
    display: str
    kind: VenueKind
    acronyms: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    issn: tuple[str, ...] = ()
    openreview: tuple[str, ...] = ()
    dblp: tuple[str, ...] = ()
    edition_zero: int | None = None
    volume_zero: int | None = None


@dataclass(frozen=True)
class VenueMatch:
    """What one string says about the venue of a paper."""

    key: str
    kind: VenueKind
    short: str
    """The vocabulary's display name, without a year."""
    year: int | None = None
    track: str | None = None
    presentation: Presentation | None = None
    state: State | None = None
    """``submitted`` / ``rejected`` / ``withdrawn`` when the text says so ("Submitted to ICLR
    2025", ``…/Rejected_Submission``); None otherwise."""

    @property
    def venue(self) -> str:
        """The one display form: ``"<Short> <year>"`` for conferences, else the title."""
        if self.kind == "conference" and self.year is not None:
            return f"{self.short} {self.year}"
        return self.short


# --------------------------------------------------------------------------- vocabulary


@dataclass(frozen=True)
class Vocabulary:
    venues: dict[str, Venue]
    by_alias: dict[str, str]
    """Normalised alias (acronym or name) → key."""
    by_issn: dict[str, str]
    by_openreview: tuple[tuple[str, str], ...]
    """(lower-cased group prefix, key), longest prefix first."""
    by_dblp: dict[str, str]
    """Lower-cased DBLP prefix (``conf/nips``) → key."""
    patterns: dict[str, re.Pattern[str]]
    """Alias patterns by the (case-folded) first word of their aliases."""
    single_words: frozenset[str]
    """Normalised one-word journal names ("nature", "cell"): capitalised, not part of a longer
    capitalised title."""
    journal_names: frozenset[str]


def _norm(text: str) -> str:
    """An alias's comparison form: case, accents, punctuation and '&'/'and' ignored."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("&", " and ")
    return " ".join(re.findall(r"[^\W_]+", text))


def _alias_regex(alias: str) -> str:
    words = re.findall(r"[^\W_]+", alias.replace("&", " and "))
    parts = ["(?:and|&)" if w.casefold() == "and" else re.escape(w) for w in words]
    return r"[\W_]*".join(parts) if len(parts) > 1 else parts[0]


@cache
def vocabulary() -> Vocabulary:
    """The shipped vocabulary, read once."""
    raw = tomllib.loads(
        resources.files("harvester").joinpath("data/venues.toml").read_text(encoding="utf-8")
    )
    venues: dict[str, Venue] = {}
    for key, table in raw.items():
        if key != key.lower() or table.get("kind") not in ("conference", "journal", "preprint"):
            raise ValueError(f"venues.toml: bad venue {key!r}")
        venues[key] = Venue(
            key=key,
            display=table["display"],
            kind=table["kind"],
            acronyms=tuple(table.get("acronyms", ())),
            names=tuple(table.get("names", ())),
            issn=tuple(i.upper() for i in table.get("issn", ())),
            openreview=tuple(table.get("openreview", ())),
            dblp=tuple(table.get("dblp", ())),
            edition_zero=table.get("edition_zero"),
            volume_zero=table.get("volume_zero"),
        )
    by_alias: dict[str, str] = {}
    regexes: dict[str, str] = {}
    single: set[str] = set()
    journals: set[str] = set()
    for venue in venues.values():
        for alias in (*venue.acronyms, *venue.names, venue.display):
            norm = _norm(alias)
            if not norm:
                continue
            if by_alias.setdefault(norm, venue.key) != venue.key:
                raise ValueError(f"venues.toml: alias {alias!r} names two venues")
            regexes[norm] = _alias_regex(alias)
            if venue.kind == "journal" and alias not in venue.acronyms:
                journals.add(norm)
                if " " not in norm:
                    single.add(norm)
    # One pattern per first word, tried only where a word of the text starts with it; longest
    # alias first, so that at one position "Nature Neuroscience" wins over "Nature".
    groups: dict[str, list[str]] = {}
    for norm in sorted(regexes, key=len, reverse=True):
        groups.setdefault(norm.split()[0], []).append(regexes[norm])
    patterns = {
        first: re.compile(
            rf"(?<![\w./@-])(?P<alias>{'|'.join(alts)})"
            r"(?:(?P<y2>(?:\s*['’‘`]\s*|-)?\d{2})(?!\d)"  # CVPR24, NeurIPS'23, AAAI-24
            r"|(?P<sep>[\s,.'’‘(-]*)(?P<y4>(?:19|20)\d{2})(?![\d])"  # ICLR 2025, NIPS. (2016)
            r"|(?![\w]|\.\w))",
            re.IGNORECASE,
        )
        for first, alts in groups.items()
    }
    return Vocabulary(
        venues=venues,
        by_alias=by_alias,
        by_issn={i: v.key for v in venues.values() for i in v.issn},
        by_openreview=tuple(
            sorted(((p.lower(), v.key) for v in venues.values() for p in v.openreview),
                   key=lambda item: -len(item[0]))
        ),
        by_dblp={p.lower(): v.key for v in venues.values() for p in v.dblp},
        patterns=patterns,
        single_words=frozenset(single),
        journal_names=frozenset(journals),
    )


# --------------------------------------------------------------------------- the matcher

_BLANKS = re.compile(r"[^\S\n]+")
_WORD = re.compile(r"[^\W_]+")
_ISSN = re.compile(r"\b(\d{4})-?(\d{3}[\dXx])\b")
_YEAR = re.compile(r"(?<![\d.:/])((?:19[5-9]|20[0-4])\d)(?![\d]|\.\d)")
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
            return _plain(key)
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
    return _plain(key, year=year)


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


def _plain(key: str, year: int | None = None) -> VenueMatch:
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
        pattern = vocab.patterns.get(token) or vocab.patterns.get(token.rstrip("0123456789"))
        m = pattern.match(text, word.start()) if pattern is not None else None
        if m is None:
            continue
        alias = m["alias"]
        norm = _norm(alias)
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
    if year is None and (y := _PAREN_YEAR.search(clause) or _YEAR.search(clause)):
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


# --------------------------------------------------------------------------- resolution

Candidate = tuple[str, Mapping[str, Any], Status | None]
"""(source name, record, the status it gives): a record able to speak to the paper's status."""

VENUE_FIELDS = ("venue", "venue_key", "venue_year", "track", "presentation", "year")

# Which raw fields of a source's record name its venue, most exact first.
RECORD_FIELDS: dict[str, tuple[tuple[str, SourceKind], ...]] = {
    "openreview": (("venueid", "openreview_venueid"), ("venue", "openreview_venue"),
                   ("invitation", "openreview_invitation")),
    "crossref": (("issn", "issn"), ("venue", "crossref"), ("short_venue", "crossref")),
    "neurips": (("venue", "text"),),
    "arxiv": (("journal_ref", "arxiv_journal_ref"), ("comment", "arxiv_comment"),
              ("venue", "text")),
    "semanticscholar": (("venue", "semanticscholar"), ("dblp", "dblp")),
    "openalex": (("issn", "issn"), ("venue", "text")),
    "biorxiv": (("venue", "text"),),
}
# The kinds of text a paper's title can be part of (the others are names and ids).
_TITLED = frozenset({"text", "list", "arxiv_comment", "arxiv_journal_ref"})
# Sources whose record ``year`` is the year of the venue they name (not of a preprint).
VENUE_YEAR_SOURCES = frozenset({"crossref", "neurips", "openalex"})
# What a preprint server's record is, when it names no venue itself.
SERVER_OF = {"arxiv": "arxiv", "biorxiv": "biorxiv"}
_VENUE_STATUSES = ("accepted", "published")
_PRESENTATIONS = ("oral", "spotlight", "poster")


@dataclass(frozen=True)
class VenueResolution:
    venue: str | None = None
    venue_key: str | None = None
    venue_year: int | None = None
    track: str | None = None
    presentation: Presentation | None = None
    year: int | None = None
    provenance: dict[str, str] = field(default_factory=dict)
    """``paper.<field>`` → source, for each field that has a value."""


@dataclass(frozen=True)
class _Reading:
    source: str
    venue: str | None
    match: VenueMatch | None
    year: int | None


def read_record(source: str, record: Mapping[str, Any], *,
                title: str | None = None) -> VenueMatch | None:
    """What one record says about its venue: its raw fields matched in RECORD_FIELDS order,
    gaps of the first match (year, track, presentation) filled from the others that agree."""
    found: VenueMatch | None = None
    for name, kind in RECORD_FIELDS.get(source, (("venue", "text"),)):
        values = record.get(name)
        for value in values if isinstance(values, list) else [values]:
            if not isinstance(value, str):
                continue
            m = match(value, kind, title=title if kind in _TITLED else None)
            if m is None:
                continue
            if found is None:
                found = m
            elif m.key == found.key and (m.year is None or found.year in (None, m.year)):
                found = _fill(found, m)
    return found


def _fill(first: VenueMatch, other: VenueMatch) -> VenueMatch:
    return VenueMatch(
        key=first.key,
        kind=first.kind,
        short=first.short,
        year=first.year if first.year is not None else other.year,
        track=first.track or other.track,
        presentation=first.presentation or other.presentation,
        state=first.state,
    )


def _reading(source: str, record: Mapping[str, Any], status: Status | None,
             title: str | None) -> _Reading | None:
    """The venue this record gives for the status it gives, or None when it names none."""
    kept = record.get("kept_venue")
    if isinstance(kept, Mapping):
        return _kept_reading(source, kept)
    m = read_record(source, record, title=title)
    year = _year_of(record)
    if status == "preprint":
        if m is None and source in SERVER_OF:
            m = _plain(SERVER_OF[source])
        if m is None or m.kind != "preprint":
            return None
        return _Reading(source, m.venue, m, m.year or year)
    if m is not None and m.kind == "preprint":
        m = None  # a preprint server is not where a paper was accepted
    if m is not None:
        if status in _VENUE_STATUSES and m.state is not None:
            return None  # "Submitted to ICLR 2025" does not say where it was accepted
        venue_year = m.year
        if venue_year is None and (source in VENUE_YEAR_SOURCES or
                                   (source == "openreview" and status in _VENUE_STATUSES)):
            venue_year = year
        m = VenueMatch(key=m.key, kind=m.kind, short=m.short, year=venue_year, track=m.track,
                       presentation=m.presentation if status in _VENUE_STATUSES else None,
                       state=m.state)
        return _Reading(source, m.venue, m, venue_year)
    if status == "withdrawn" and source in SERVER_OF:
        m = _plain(SERVER_OF[source])
        return _Reading(source, m.venue, m, None)
    own = tidy(record.get("venue")) if isinstance(record.get("venue"), str) else None
    if own is None or _is_server(own):
        return None
    own_year = int(y[1]) if (y := _YEAR.search(own)) else (
        year if source in VENUE_YEAR_SOURCES else None)
    return _Reading(source, own, None, own_year)


def _kept_reading(source: str, kept: Mapping[str, Any]) -> _Reading | None:
    """A previous catalogue's venue fields, kept when this run could not ask their source:
    they are what the vocabulary read from the source's raw strings before."""
    year = kept.get("venue_year") if isinstance(kept.get("venue_year"), int) else None
    known = vocabulary().venues.get(kept.get("venue_key") or "")
    shown = kept.get("venue") if isinstance(kept.get("venue"), str) else None
    if known is None:
        return _Reading(source, shown, None, year) if shown else None
    presentation = kept.get("presentation")
    m = VenueMatch(key=known.key, kind=known.kind, short=known.display, year=year,
                   track=kept.get("track") if isinstance(kept.get("track"), str) else None,
                   presentation=presentation if presentation in _PRESENTATIONS else None)
    return _Reading(source, shown or m.venue, m, year)


def _is_server(text: str) -> bool:
    m = match(text)
    return m is not None and m.kind == "preprint"


def _year_of(record: Mapping[str, Any]) -> int | None:
    year = record.get("year")
    return year if isinstance(year, int) and not isinstance(year, bool) else None


def _appeared(source: str, record: Mapping[str, Any]) -> int | None:
    """The year a record says the paper appeared (OpenReview's ``year`` is its venue's)."""
    if source == "openreview" and not record.get("kept"):  # a kept year is the year it gave
        created = record.get("created")
        return int(created[:4]) if isinstance(created, str) and created[:4].isdigit() else None
    return _year_of(record)


def resolve_venue(candidates: Sequence[Candidate], *,
                  records: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
                  title: str | None = None) -> VenueResolution:
    """The venue fields of a paper from the records able to speak to its status, strongest
    first (merge's status tiers: the OpenReview decision, proceedings and journal records,
    arXiv's journal_ref/comment, Semantic Scholar, the preprint servers).

    The status is the first candidate's; ``venue`` is the venue that status refers to, from
    the first candidate giving that status that names one (a preprint server for a preprint);
    ``venue_year``, ``track`` and ``presentation`` missing there come from later candidates
    naming the same venue. ``year`` is ``venue_year`` once a venue accepted or published the
    paper, else the earliest year a record says it appeared — among ``records`` (every
    record of the paper, per source) when given, else among the candidates. ``title`` is the
    paper's title, kept out of the venue strings."""
    provenance: dict[str, str] = {}
    pool = ([(src, rec) for src, recs in records.items() for rec in recs] if records is not None
            else [(src, rec) for src, rec, _ in candidates])
    appeared = [(y, src) for src, rec in pool if (y := _appeared(src, rec)) is not None]
    if not appeared:  # OpenReview-only papers: its year is all there is
        appeared = [(y, src) for src, rec in pool if (y := _year_of(rec)) is not None]
    first_year, first_source = min(appeared) if appeared else (None, None)
    status = candidates[0][2] if candidates else None
    chosen: _Reading | None = None
    rest: list[tuple[str, Mapping[str, Any], Status | None]] = []
    for index, (source, record, given) in enumerate(candidates):
        same = given == status or (given in _VENUE_STATUSES and status in _VENUE_STATUSES)
        if not same:
            continue
        chosen = _reading(source, record, given, title)
        if chosen is not None:
            rest = list(candidates[index + 1 :])
            break
    if chosen is None:
        year = first_year
        if year is not None and first_source is not None:
            provenance["paper.year"] = first_source
        return VenueResolution(year=year, provenance=provenance)

    venue, key = chosen.venue, chosen.match.key if chosen.match else None
    venue_year = chosen.year
    m = chosen.match
    track, presentation = (m.track, m.presentation) if m else (None, None)
    for name, value in (("venue", venue), ("venue_key", key), ("venue_year", venue_year),
                        ("track", track), ("presentation", presentation)):
        if value is not None:
            provenance[f"paper.{name}"] = chosen.source
    if m is not None and m.kind != "preprint":
        for source, record, given in rest:
            if given not in _VENUE_STATUSES or status not in _VENUE_STATUSES:
                continue
            other = _reading(source, record, given, title)
            om = other.match if other else None
            if om is None or om.key != m.key or (
                    venue_year is not None and om.year not in (None, venue_year)):
                continue
            if venue_year is None and om.year is not None:
                venue_year = om.year
                provenance["paper.venue_year"] = source
                venue = VenueMatch(key=m.key, kind=m.kind, short=m.short, year=om.year).venue
            if track is None and om.track is not None:
                track = om.track
                provenance["paper.track"] = source
            if presentation is None and om.presentation is not None:
                presentation = om.presentation
                provenance["paper.presentation"] = source
    if status in _VENUE_STATUSES and venue_year is not None:
        year = venue_year
        provenance["paper.year"] = provenance["paper.venue_year"]
    else:
        year = first_year
        if year is not None and first_source is not None:
            provenance["paper.year"] = first_source
    return VenueResolution(venue=venue, venue_key=key, venue_year=venue_year, track=track,
                           presentation=presentation, year=year, provenance=provenance)

