"""The catalogue's papers as CSL-JSON (see ``harvester.export`` for what each paper becomes)."""

from __future__ import annotations

import json
from typing import Any

from ..models import Catalog
from .cited import Cited, cited_papers, split_name


def csl_item(key: str, cited: Cited) -> dict[str, Any]:
    """One CSL-JSON item (keys with no value are left out)."""
    item: dict[str, Any] = {
        "id": key,
        "type": {"journal": "article-journal", "conference": "paper-conference",
                 "preprint": "article"}[cited.kind],
        "title": cited.title,
    }
    if cited.authors:
        item["author"] = [split_name(a) for a in cited.authors]
    if cited.date:
        item["issued"] = {"date-parts": [cited.date]}
    if cited.container:
        item["container-title"] = cited.container
    elif cited.server:
        item["publisher"] = cited.server
        if cited.server != "OpenReview":
            item["genre"] = "Preprint"
        if cited.server == "arXiv" and cited.arxiv:
            item["number"] = f"arXiv:{cited.arxiv}"
    if cited.doi:
        item["DOI"] = cited.doi
    if cited.url:
        item["URL"] = cited.url
    if cited.abstract:
        item["abstract"] = cited.abstract
    return item


def to_csl_json(catalog: Catalog) -> str:
    """Every paper, as a CSL-JSON list (UTF-8, 2-space indent)."""
    items = [csl_item(key, cited) for key, cited in cited_papers(catalog)]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"
