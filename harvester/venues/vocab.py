"""The shipped venue vocabulary (``data/venues.toml``), read once, with the alias patterns the
matcher tries."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

from .base import Venue


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
    alternatives: dict[str, str]
    """The alternation of the aliases starting with each (case-folded) first word, longest
    first; ``pattern`` compiles it."""
    single_words: frozenset[str]
    """Normalised one-word journal names ("nature", "cell"): capitalised, not part of a longer
    capitalised title."""
    journal_names: frozenset[str]

    def pattern(self, first: str) -> re.Pattern[str] | None:
        """The pattern of the aliases whose first word is ``first``, or None."""
        alternation = self.alternatives.get(first)
        return _compiled(alternation) if alternation is not None else None


def normalise(text: str) -> str:
    """An alias's comparison form: case, accents, punctuation and '&'/'and' ignored."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("&", " and ")
    return " ".join(re.findall(r"[^\W_]+", text))


def _alias_regex(alias: str) -> str:
    words = re.findall(r"[^\W_]+", alias.replace("&", " and "))
    parts = ["(?:and|&)" if w.casefold() == "and" else re.escape(w) for w in words]
    return r"[\W_]*".join(parts) if len(parts) > 1 else parts[0]


# Compiled on first use, once: most first words of the vocabulary never occur in a list (14 of
# 131 in a 10,000-entry benchmark list), and compiling them all takes a tenth of a second or
# more. The argument is one of the vocabulary's alternations, so the memo holds at most one
# pattern for each; a compiled pattern cannot be changed by its caller.
@cache
def _compiled(alternation: str) -> re.Pattern[str]:
    return re.compile(
        rf"(?<![\w./@-])(?P<alias>{alternation})"
        r"(?:(?P<y2>(?:\s*['’‘`]\s*|-)?\d{2})(?!\d)"  # CVPR24, NeurIPS'23, AAAI-24
        r"|(?P<sep>[\s,.'’‘(-]*)(?P<y4>(?:19|20)\d{2})(?![\d])"  # ICLR 2025, NIPS. (2016)
        r"|(?![\w]|\.\w))",
        re.IGNORECASE,
    )


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
            norm = normalise(alias)
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
    alternatives = {first: "|".join(alts) for first, alts in groups.items()}
    return Vocabulary(
        venues=venues,
        by_alias=by_alias,
        by_issn={i: v.key for v in venues.values() for i in v.issn},
        by_openreview=tuple(
            sorted(((p.lower(), v.key) for v in venues.values() for p in v.openreview),
                   key=lambda item: -len(item[0]))
        ),
        by_dblp={p.lower(): v.key for v in venues.values() for p in v.dblp},
        alternatives=alternatives,
        single_words=frozenset(single),
        journal_names=frozenset(journals),
    )
