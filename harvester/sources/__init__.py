"""The sources, one module each, and the registry that lists them.

Each source module ends with a ``SPEC`` (:class:`SourceSpec`) declaring what it is and what it
knows; everything else in the harvester reads the registry. Adding a source is its module and
one line in ``_BUILT_IN`` (or a :func:`register` call, for a source defined elsewhere).
"""

from __future__ import annotations

from . import (
    arxiv,
    biorxiv,
    crossref,
    github,
    neurips,
    openalex,
    openreview,
    proceedings,
    pubmed,
    semanticscholar,
)
from .base import Fetched, NotModified, Outcome, Result, Source, run_source
from .spec import EntryView, SourceSpec, Stage

_BUILT_IN = (
    arxiv.SPEC,
    openreview.SPEC,
    biorxiv.SPEC,
    crossref.SPEC,
    neurips.SPEC,
    proceedings.SPEC,
    pubmed.SPEC,
    semanticscholar.SPEC,
    openalex.SPEC,
    github.SPEC,
)

REGISTRY: dict[str, SourceSpec] = {}
"""Every source by name, in registration order (the order of the summary and of ties)."""


def register(spec: SourceSpec) -> SourceSpec:
    """Add a source; its name and stage names must be new."""
    if spec.name in REGISTRY:
        raise ValueError(f"a source named {spec.name!r} is already registered")
    taken = {stage.name for known in REGISTRY.values() for stage in known.stages}
    clash = sorted(taken & {stage.name for stage in spec.stages})
    if clash:
        raise ValueError(f"stage name(s) already taken: {', '.join(clash)}")
    REGISTRY[spec.name] = spec
    return spec


def unregister(name: str) -> None:
    del REGISTRY[name]


def source_names() -> tuple[str, ...]:
    return tuple(REGISTRY)


def spec(name: str) -> SourceSpec:
    return REGISTRY[name]


def source_class(name: str) -> type[Source]:
    return REGISTRY[name].cls


for _spec in _BUILT_IN:
    register(_spec)

SOURCE_NAMES = source_names()
"""The built-in sources' names."""

__all__ = [
    "REGISTRY",
    "SOURCE_NAMES",
    "EntryView",
    "Fetched",
    "NotModified",
    "Outcome",
    "Result",
    "Source",
    "SourceSpec",
    "Stage",
    "register",
    "run_source",
    "source_class",
    "source_names",
    "spec",
    "unregister",
]
