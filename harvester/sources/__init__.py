"""The sources, one module each. Adding one is a module and a line in ``SOURCES``."""

from __future__ import annotations

from importlib import import_module

from .base import Fetched, NotModified, Result, Source, run_source

SOURCES = {
    "arxiv": "arxiv:ArxivSource",
    "openreview": "openreview:OpenReviewSource",
    "biorxiv": "biorxiv:BiorxivSource",
    "crossref": "crossref:CrossrefSource",
    "neurips": "neurips:NeuripsSource",
    "semanticscholar": "semanticscholar:SemanticScholarSource",
    "openalex": "openalex:OpenAlexSource",
    "github": "github:GithubSource",
}


def source_class(name: str) -> type[Source]:
    module, _, cls = SOURCES[name].partition(":")
    return getattr(import_module(f"{__name__}.{module}"), cls)


__all__ = ["SOURCES", "Fetched", "NotModified", "Result", "Source", "run_source", "source_class"]
