"""harvest site: one element per entry, everything escaped, usable without scripts."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

from harvester.site import build_site, render

EVIL = '<script>alert("x")</script>'


def entry(key: str, **paper: object) -> dict:
    base = {"title": f"Title of {key}", "year": 2024, "status": "accepted", "venue": "ICLR 2024",
            "authors": [{"name": "Ada Lovelace"}], "citation_count": 3,
            "abstract": f"Abstract of {key}.", "urls": {"landing": f"https://arxiv.org/abs/{key}"}}
    base.update(paper)
    return {"key": key, "name": key.upper(), "kind": "paper", "section": ["Models"],
            "text": None, "listed_venue": None, "links": [], "paper": base, "repos": [],
            "stale": [], "errors": []}


def catalog(*entries: dict) -> dict:
    return {"schema_version": 1, "list": {"source": "list.md", "sha256": "0", "title": "A list"},
            "summary": {"entries": len(entries)}, "entries": list(entries)}


class Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.keys: list[str] = []
        self.scripts: list[dict] = []
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if "data-key" in attrs:
            self.keys.append(attrs["data-key"])
        if tag == "script":
            self.scripts.append(attrs)


def parse(text: str) -> Collect:
    collector = Collect()
    collector.feed(text)
    return collector


def test_exactly_one_element_per_entry_grouped_by_section():
    other = entry("b")
    other["section"] = ["Benchmarks", "Decoding"]
    page = render(catalog(entry("a"), other, entry("c")))
    assert parse(page).keys == ["a", "c", "b"]  # by section, list order within
    assert page.count("data-key=") == 3
    assert "Benchmarks › Decoding" in page


def test_everything_from_the_catalogue_is_escaped():
    bad = entry("x", title=EVIL, abstract=EVIL, venue=EVIL, authors=[{"name": EVIL}],
                urls={"landing": "javascript:alert(1)"})
    bad["name"] = EVIL
    bad["key"] = 'k"><script>'
    bad["section"] = [EVIL]
    bad["links"] = [{"label": EVIL, "url": "https://e.org/?a=<b>&c=\"d\"", "kind": "web"},
                    {"label": "js", "url": "javascript:alert(2)", "kind": "web"}]
    bad["annotations"] = {EVIL: [EVIL, 1]}
    data = catalog(bad)
    data["list"]["title"] = EVIL
    page = render(data)
    assert "<script>alert" not in page
    assert "javascript:" not in page
    collected = parse(page)
    assert collected.keys == ['k"><script>']
    assert collected.scripts == [{"src": "site.js", "defer": None}]  # only our own script
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert 'href="https://e.org/?a=&lt;b&gt;&amp;c=&quot;d&quot;"' in page


def test_without_scripts_every_entry_and_abstract_is_in_the_page():
    page = render(catalog(entry("a"), entry("b")))
    for key in ("a", "b"):
        assert f"<details><summary>Abstract</summary><p>Abstract of {key}.</p></details>" in page
    # the controls only work with the script, which reveals them
    assert re.search(r'<form id="controls"[^>]*\bhidden\b', page)
    labels = {a["for"] for tag, a in parse(page).tags if tag == "label"}
    assert labels == {"q", "f-section", "f-status", "f-year", "sort"}
    assert '<input type="search" id="q"' in page


def test_stale_values_trends_and_missing_fields():
    e = entry("a", citation_count=10)
    e["repos"] = [{"full_name": "o/r", "url": "https://github.com/o/r", "stars": 1500}]
    e["stale"] = [{"field": "paper.citation_count", "since": "2026-11-01T00:00:00Z",
                   "reason": "semanticscholar: rate_limited"},
                  {"field": "repos.o/r", "since": None, "reason": "github: unavailable"}]
    bare = {"key": "site", "name": "A website", "section": [], "links": []}  # fields absent
    page = render(catalog(e, bare))
    assert '<span class="citations stale" title="Kept from an earlier harvest (value from ' \
           '2026-11-01): semanticscholar: rate_limited">10 citations</span>' in page
    assert '<span class="stars stale"' in page and "★ 1,500" in page
    assert 'data-stars="1500"' in page and 'data-citations="10"' in page
    assert parse(page).keys == ["a", "site"]


def test_future_paper_fields_are_shown_when_present():
    page = render(catalog(entry("a", venue="NeurIPS 2024", track="Datasets and Benchmarks",
                                presentation="oral", venue_key="neurips", venue_year=2024)))
    assert "NeurIPS 2024 · Datasets and Benchmarks · oral" in page


def test_build_site_writes_assets_figures_and_trends(tmp_path):
    out = tmp_path / "output"
    out.mkdir()
    e = entry("a", citation_count=20)
    (out / "catalog.json").write_text(json.dumps(catalog(e)))
    (out / "history.jsonl").write_text(
        '{"citations":{"a":5},"date":"2026-11-03","stars":{}}\n'
        '{"citations":{"a":20},"date":"2026-12-01","stars":{}}\n')
    figures = tmp_path / "figures"
    figures.mkdir()
    (figures / "papers-per-year.svg").write_text("<svg/>")
    (figures / "papers-per-year.png").write_bytes(b"png")
    index = build_site(out / "catalog.json", tmp_path / "site", figures)
    page = index.read_text()
    assert {p.name for p in (tmp_path / "site").iterdir()} == {
        "index.html", "site.css", "site.js", "catalog.json", "figures"}
    assert '<img src="figures/papers-per-year.svg"' in page
    assert "▲ +15 citations in 4 weeks" in page
    assert "http" not in (tmp_path / "site" / "site.js").read_text()  # nothing from elsewhere
    assert not re.search(r'(src|href)="(https?:)?//', page.split("<main")[0])


def test_the_command(tmp_path):
    (tmp_path / "catalog.json").write_text(json.dumps(catalog(entry("a"))))
    run = subprocess.run([sys.executable, "-m", "harvester", "site", "--catalog",
                          str(tmp_path / "catalog.json"), "--output", str(tmp_path / "s")],
                         capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert run.returncode == 0, run.stderr
    assert Path(tmp_path / "s" / "index.html").exists()
    (tmp_path / "bad.json").write_text("[]")
    run = subprocess.run([sys.executable, "-m", "harvester", "site", "--catalog",
                          str(tmp_path / "bad.json")], capture_output=True, text=True,
                         cwd=tmp_path, timeout=60)
    assert run.returncode == 1 and "not a catalogue" in run.stderr
