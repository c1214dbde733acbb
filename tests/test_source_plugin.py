"""A source defined in this file, registered at run time, without touching a harvester module.

The toy "index" claims a link kind the harvester does not know (``https://toy.example/paper/<n>``
links, which the link classifier calls ``web``), runs a dependent stage (after arXiv has
answered, it looks the arXiv title up), and contributes one catalogue field: ``paper.abstract``,
ranked above every built-in source. The catalogue's fields are fixed by its schema, so a new
source contributes by winning an existing field; its provenance then names the new source.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from rich.console import Console

from harvester.cache import CachedRecord
from harvester.cli import _parse_only, print_summary
from harvester.config import load_settings
from harvester.errors import Unavailable
from harvester.models import Link
from harvester.pipeline import Reporter, RunOptions, RunReport, harvest
from harvester.sources import (
    Fetched,
    Outcome,
    Source,
    SourceSpec,
    Stage,
    register,
    unregister,
)
from harvester.sources.spec import EntryView, claimed
from harvester.writers import catalog_json, write_atomic
from tests.fakeapi import FakeAPI, World

TOY_ABSTRACT = "The toy index's own abstract of {key}."


class ToySource(Source):
    name = "toy"
    down: ClassVar[bool] = False
    asked: ClassVar[list[str]] = []

    def fetch(self, keys: list[str], cached: dict[str, CachedRecord]) -> dict[str, Outcome]:
        if ToySource.down:
            raise Unavailable("the toy index is down", source=self.name)
        ToySource.asked.extend(keys)
        return {key: Fetched({"abstract": TOY_ABSTRACT.format(key=key), "ids": {}})
                for key in keys}


def _claim(link: Link) -> str | None:
    prefix = "https://toy.example/paper/"
    return "toy:" + link.url.removeprefix(prefix) if link.url.startswith(prefix) else None


def _by_arxiv_title(view: EntryView) -> list[str]:
    """Entries the toy index is not linked for: look up the title arXiv gave."""
    if view.claimed("toy") or not view.records("arxiv"):
        return []
    title, _ = view.title(("arxiv",))
    return [f"title:{title}"] if title else []


TOY = SourceSpec(
    name="toy",
    label="Toy index",
    cls=ToySource,
    urls={"toy": "https://toy.example/api"},
    defaults={"batch_size": 10, "ttl": 3600.0},
    claim=_claim,
    stages=(
        Stage("toy", "Toy index", claimed("toy")),
        Stage("toy-titles", "Toy index (by arXiv title)", _by_arxiv_title, after=("arxiv",)),
    ),
    fields={"paper.abstract": 1},
)


class Recorder(Reporter):
    def __init__(self) -> None:
        self.stages: dict[str, int] = {}

    def stage(self, source: str, total: int) -> None:
        self.stages[source] = total


@pytest.fixture
def toy() -> Iterator[SourceSpec]:
    ToySource.down, ToySource.asked = False, []
    register(TOY)
    try:
        yield TOY
    finally:
        unregister("toy")


@pytest.fixture
def api() -> Iterator[FakeAPI]:
    with FakeAPI(World.neurofm()) as server:
        yield server


def _papers(world: World) -> list[Any]:
    return [p for p in world.papers if p.arxiv][:2]


def _list(world: World, tmp_path: Path) -> Path:
    linked, unlinked = _papers(world)
    path = tmp_path / "list.md"
    path.write_text(
        "# Toy list\n\n"
        f"- **{linked.name}**: {linked.title}. NeurIPS 2023 "
        f"[[paper](https://arxiv.org/abs/{linked.arxiv})] [[toy](https://toy.example/paper/7)]\n"
        f"- **{unlinked.name}**: {unlinked.title}. Preprint, 2023 "
        f"[[paper](https://arxiv.org/abs/{unlinked.arxiv})]\n",
        encoding="utf-8",
    )
    return path


def _run(api: FakeAPI, tmp_path: Path, cache: Path, *, refresh: bool = False,
         reporter: Reporter | None = None) -> tuple[RunReport, dict[str, Any]]:
    config = tmp_path / "harvest.toml"
    config.write_text("", encoding="utf-8")
    env = {**api.env(), **{f"HARVEST_{s}_MIN_INTERVAL": "0"
                           for s in ("ARXIV", "SEMANTICSCHOLAR", "CROSSREF", "GITHUB")}}
    settings = load_settings(config, environ=env)
    output = tmp_path / "out" / "catalog.json"
    output.parent.mkdir(exist_ok=True)
    options = RunOptions(list_spec=str(_list(api.world, tmp_path)), output=output,
                         cache_dir=cache, refresh=refresh)
    report = harvest(settings, options, sleep=lambda _s: None, reporter=reporter)
    write_atomic(output, catalog_json(report.catalog))
    entries = {e.name: e for e in report.catalog.entries}
    return report, entries


def test_a_registered_source_is_asked_merged_and_summarised(toy, api, tmp_path):
    recorder = Recorder()
    report, entries = _run(api, tmp_path, tmp_path / "cache", reporter=recorder)
    linked, unlinked = _papers(api.world)
    assert report.exit_code == 0
    # its claim: the link the classifier calls "web"; its dependent stage: the arXiv title
    assert sorted(ToySource.asked) == sorted(["toy:7", f"title:{unlinked.title}"])
    for paper, key in ((linked, "toy:7"), (unlinked, f"title:{unlinked.title}")):
        entry = entries[paper.name]
        assert entry.paper is not None and entry.paper.title  # arXiv still gives the title
        assert entry.paper.abstract == TOY_ABSTRACT.format(key=key)
        assert entry.provenance["paper.abstract"] == "toy"
        assert entry.provenance["paper.title"] == "arxiv"
    # listed in the summary and the progress, under its name and its stages' labels
    assert report.stats["toy"].asked == 2
    assert recorder.stages == {**recorder.stages, "Toy index": 1, "Toy index (by arXiv title)": 1}
    out = io.StringIO()
    print_summary(Console(file=out, width=200), report, tmp_path / "out" / "catalog.json")
    rows = [line.replace("│", " ").split() for line in out.getvalue().splitlines()]
    # source (its label), asked, cached, fetched
    assert ["Toy", "index", "2", "0", "2"] in [row[:5] for row in rows]
    assert _parse_only("toy,arxiv") == frozenset({"toy", "arxiv"})


def test_a_registered_source_that_fails_keeps_its_values_stale(toy, api, tmp_path):
    _, before = _run(api, tmp_path, tmp_path / "cache")
    ToySource.down = True
    report, after = _run(api, tmp_path, tmp_path / "cache", refresh=True)
    assert report.exit_code == 2
    for name, entry in after.items():
        assert entry.paper is not None and before[name].paper is not None
        assert entry.paper.abstract == before[name].paper.abstract  # kept from the cache
        assert entry.provenance["paper.abstract"] == "toy"
        stale = {s.field: s for s in entry.stale}
        assert set(stale) == {"paper.abstract"}
        assert stale["paper.abstract"].reason.startswith("unavailable: ")
        assert stale["paper.abstract"].since is not None
        assert [e.source for e in entry.errors if e.kind != "not_found"] == ["toy"]


def test_a_registered_source_that_fails_without_a_cache_keeps_the_previous_catalogue(
        toy, api, tmp_path):
    _, before = _run(api, tmp_path, tmp_path / "cache")
    ToySource.down = True
    report, after = _run(api, tmp_path, tmp_path / "empty-cache", refresh=True)
    assert report.exit_code == 2
    for name, entry in after.items():  # asked (its link; arXiv's title), failed, kept
        assert entry.paper is not None and before[name].paper is not None
        assert entry.paper.abstract == before[name].paper.abstract
        assert entry.provenance["paper.abstract"] == "toy"
        assert {s.field for s in entry.stale} == {"paper.abstract"}
