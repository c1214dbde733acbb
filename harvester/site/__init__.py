"""``harvest site``: the catalogue as a static, self-contained web page.

``index.html`` holds every entry, grouped by section, each an ``<li data-key="…">`` with its
name, status and venue, year, authors, citation count, stars, links, the maintainer's
annotations and the abstract behind a ``<details>``; values kept from an earlier harvest are
marked stale. ``site.js`` (vanilla, no dependencies) adds search, filters and sorting; without it
every entry is still there. ``site.css`` follows the reader's light or dark preference. Nothing
is fetched from another origin, so the folder works from ``file://`` and GitHub Pages alike.

The catalogue is read as plain JSON, so fields added by later schema versions are tolerated, and
everything taken from it is HTML-escaped (a title may well contain ``<script>``).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import shutil
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from ..history import Trend, entry_trends, read_history, trends
from ..writers import write_atomic

ASSETS = ("site.css", "site.js")
STATUS_LABELS = {
    "published": "published", "accepted": "accepted", "preprint": "preprint",
    "under_review": "under review", "rejected": "rejected", "withdrawn": "withdrawn",
}
FIGURE_EXTENSIONS = (".svg", ".png")


def esc(value: Any) -> str:
    """Text or attribute content, escaped (quotes included)."""
    return html.escape("" if value is None else str(value), quote=True)


def _safe_url(url: Any) -> str | None:
    """Only http(s) links are published (no ``javascript:`` or ``data:`` from a list)."""
    if isinstance(url, str) and url.lower().startswith(("https://", "http://")):
        return url
    return None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _fmt(n: int) -> str:
    return f"{n:,}"


def _section_name(entry: Mapping[str, Any]) -> str:
    parts = [str(p) for p in entry.get("section") or [] if str(p).strip()]
    return " › ".join(parts) if parts else "Other"


def _stale_fields(entry: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    out: dict[str, Mapping[str, Any]] = {}
    for item in entry.get("stale") or []:
        name = str(item.get("field", ""))
        if name.startswith("repos[") and name.endswith("]"):
            name = "repos." + name[6:-1]
        out[name] = item
    return out


def _stale_title(item: Mapping[str, Any]) -> str:
    since = item.get("since")
    reason = item.get("reason") or "the last look-up failed"
    when = f" (value from {str(since)[:10]})" if since else ""
    return f"Kept from an earlier harvest{when}: {reason}"


def _trend_html(found: Sequence[Trend], kind: str, ident: str) -> str:
    for trend in found:
        if trend.kind == kind and trend.ident == ident and trend.delta != 0:
            arrow = "▲" if trend.delta > 0 else "▼"
            return (f' <span class="trend" title="{esc(trend.start)} → {esc(trend.end)}">'
                    f"{arrow} {esc(trend.text)}</span>")
    return ""


def _annotation_value(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(_annotation_value(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer() and abs(value) >= 1e6:
        return f"{value:.3g}"
    if isinstance(value, int | float):
        return f"{value:,}"
    return str(value)


def render_entry(entry: Mapping[str, Any], found: Sequence[Trend] = ()) -> str:
    paper = entry.get("paper") or {}
    repos = [r for r in entry.get("repos") or [] if isinstance(r, Mapping)]
    stale = _stale_fields(entry)
    year = _int(paper.get("year"))
    citations = _int(paper.get("citation_count"))
    star_counts = [s for s in (_int(r.get("stars")) for r in repos) if s is not None]
    stars = max(star_counts) if star_counts else None
    status = str(paper.get("status")) if paper.get("status") in STATUS_LABELS else ""
    name = str(entry.get("name") or entry.get("key"))
    landing = _safe_url((paper.get("urls") or {}).get("landing"))
    attrs = {
        "data-key": entry.get("key"), "data-name": name,
        "data-year": year, "data-citations": citations, "data-stars": stars,
        "data-status": status,
    }
    out = ['<li class="entry" ' + " ".join(
        f'{k}="{esc(v)}"' for k, v in attrs.items()) + ">"]
    heading = esc(name)
    if landing:
        heading = f'<a href="{esc(landing)}">{heading}</a>'
    out.append(f"<h3>{heading}</h3>")
    title = paper.get("title")
    if title and str(title).strip().lower() != name.strip().lower():
        out.append(f'<p class="title">{esc(title)}</p>')
    elif not paper and entry.get("text") and str(entry.get("text")).strip() != name.strip():
        out.append(f'<p class="title">{esc(entry.get("text"))}</p>')
    meta = []
    if paper:
        label = STATUS_LABELS.get(status, "status unknown")
        css = status or "unknown"
        meta.append(f'<span class="status status-{esc(css)}">{esc(label)}</span>')
        venue = paper.get("venue") or entry.get("listed_venue")
        extras = [paper.get(k) for k in ("track", "presentation") if paper.get(k)]
        if venue:
            text = esc(venue) + "".join(f" · {esc(x)}" for x in extras)
            meta.append(f'<span class="venue">{text}</span>')
        if year is not None:
            meta.append(f'<span class="year">{year}</span>')
    if meta:
        out.append('<p class="meta">' + " · ".join(meta) + "</p>")
    authors = [str(a.get("name")) for a in paper.get("authors") or []
               if isinstance(a, Mapping) and a.get("name")]
    if authors:
        out.append(f'<p class="authors">{esc(", ".join(authors))}</p>')
    counts = []
    if citations is not None:
        cls = "citations stale" if "paper.citation_count" in stale else "citations"
        title_attr = (f' title="{esc(_stale_title(stale["paper.citation_count"]))}"'
                      if "paper.citation_count" in stale else "")
        counts.append(f'<span class="{cls}"{title_attr}>{_fmt(citations)} citation'
                      f'{"s" if citations != 1 else ""}</span>'
                      + _trend_html(found, "citations", str(entry.get("key"))))
    for repo in repos:
        full = str(repo.get("full_name") or "")
        count = _int(repo.get("stars"))
        if count is None or not full:
            continue
        item = stale.get(f"repos.{full}")
        cls = "stars stale" if item else "stars"
        title_attr = f' title="{esc(_stale_title(item))}"' if item else ""
        url = _safe_url(repo.get("url"))
        label = f'<a href="{esc(url)}">{esc(full)}</a>' if url else esc(full)
        counts.append(f'<span class="{cls}"{title_attr}>★ {_fmt(count)} {label}</span>'
                      + _trend_html(found, "stars", full))
    if counts:
        out.append('<p class="counts">' + "".join(counts) + "</p>")
    links = []
    for link in entry.get("links") or []:
        url = _safe_url(link.get("url"))
        if url:
            label = link.get("label") or link.get("kind") or "link"
            links.append(f'<li><a href="{esc(url)}">{esc(label)}</a></li>')
    if links:
        out.append('<ul class="links">' + "".join(links) + "</ul>")
    notes = entry.get("annotations") or {}
    if isinstance(notes, Mapping) and notes:
        items = "".join(
            f"<div><dt>{esc(str(k).replace('_', ' '))}</dt><dd>{esc(_annotation_value(v))}</dd>"
            "</div>" for k, v in notes.items())
        out.append(f'<dl class="annotations">{items}</dl>')
    other_stale = [k for k in stale if k != "paper.citation_count" and not k.startswith("repos.")]
    if other_stale:
        out.append('<p class="meta stale" title="' + esc("; ".join(other_stale)) +
                   '">Some values are kept from an earlier harvest</p>')
    abstract = paper.get("abstract")
    if abstract:
        out.append(f"<details><summary>Abstract</summary><p>{esc(abstract)}</p></details>")
    out.append("</li>")
    return "".join(out)


def _options(values: Sequence[tuple[str, str]], everything: str) -> str:
    return f'<option value="">{esc(everything)}</option>' + "".join(
        f'<option value="{esc(v)}">{esc(label)}</option>' for v, label in values)


def render(catalog: Mapping[str, Any], figures: Sequence[str] = (),
           found: Mapping[str, Sequence[Trend]] | None = None,
           generated: str | None = None) -> str:
    """The whole ``index.html`` for a catalogue (parsed JSON)."""
    entries = [e for e in catalog.get("entries", []) if isinstance(e, Mapping)]
    info = catalog.get("list") or {}
    title = info.get("title") or "Awesome list"
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for entry in entries:
        groups.setdefault(_section_name(entry), []).append(entry)
    statuses = [s for s in STATUS_LABELS
                if any((e.get("paper") or {}).get("status") == s for e in entries)]
    years = sorted({y for y in (_int((e.get("paper") or {}).get("year")) for e in entries)
                    if y is not None}, reverse=True)
    summary = catalog.get("summary") or {}
    facts = [f"{_fmt(len(entries))} entries"]
    if _int(summary.get("papers")) is not None:
        facts.append(f"{_fmt(summary['papers'])} papers")
    if _int(summary.get("repos")) is not None:
        facts.append(f"{_fmt(summary['repos'])} repositories")
    if generated:
        facts.append(f"built {generated}")
    trends_by_key = found or {}
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="color-scheme" content="light dark">',
        f"<title>{esc(title)}</title>",
        '<link rel="stylesheet" href="site.css">',
        '<script src="site.js" defer></script>',
        "</head><body>",
        '<a class="skip" href="#entries">Skip to the entries</a>',
        f"<header><h1>{esc(title)}</h1>",
        f'<p class="summary">{esc(" · ".join(facts))}'
        + (' · <a href="#figures-h">Figures</a>' if figures else "") + "</p>",
        '<form id="controls" class="controls" role="search" hidden>',
        '<div class="search"><label for="q">Search names, titles, authors and abstracts</label>'
        '<input type="search" id="q" name="q" autocomplete="off"></div>',
        '<div><label for="f-section">Section</label><select id="f-section">'
        + _options([(s, s) for s in groups], "All sections") + "</select></div>",
        '<div><label for="f-status">Status</label><select id="f-status">'
        + _options([(s, STATUS_LABELS[s]) for s in statuses], "Any status")
        + "</select></div>",
        '<div><label for="f-year">Year</label><select id="f-year">'
        + _options([(str(y), str(y)) for y in years], "Any year") + "</select></div>",
        '<div><label for="sort">Sort by</label><select id="sort">'
        '<option value="list">List order</option><option value="year">Year, newest first'
        '</option><option value="citations">Citations, most first</option>'
        '<option value="stars">Stars, most first</option><option value="name">Name, A–Z'
        "</option></select></div>",
        '<p id="count" class="count" aria-live="polite"></p>',
        "</form></header>",
        '<main id="entries">',
    ]
    for name, members in groups.items():
        parts.append(f'<section class="group" data-section="{esc(name)}">'
                     f"<h2>{esc(name)}</h2><ol class=\"entries\">")
        for entry in members:
            parts.append(render_entry(entry, trends_by_key.get(str(entry.get("key")), ())))
        parts.append("</ol></section>")
    if figures:
        parts.append('<section class="group-figures" aria-labelledby="figures-h">'
                     '<h2 id="figures-h">Figures</h2><div class="figures">')
        for path in figures:
            caption = Path(path).stem.replace("-", " ").replace("_", " ")
            caption = caption[:1].upper() + caption[1:]
            parts.append(f'<figure><img src="{esc(path)}" alt="{esc(caption)}" loading="lazy">'
                         f"<figcaption>{esc(caption)}</figcaption></figure>")
        parts.append("</div></section>")
    source = info.get("source")
    parts.append("</main><footer>Built by awesome-harvester from "
                 '<a href="catalog.json">catalog.json</a>'
                 + (f" ({esc(source)})" if source else "") + ".</footer></body></html>\n")
    return "\n".join(parts)


def _figure_files(folder: Path) -> list[Path]:
    """One file per figure: the SVG when there is one, else the PNG."""
    if not folder.is_dir():
        return []
    stems: dict[str, Path] = {}
    for path in sorted(folder.iterdir()):
        if path.suffix in FIGURE_EXTENSIONS and path.is_file():
            best = stems.get(path.stem)
            if best is None or path.suffix == ".svg":
                stems[path.stem] = path
    order = {"papers-per-year": 1, "top-cited": 2, "top-starred": 3, "citations-history": 4,
             "stars-history": 5}
    return sorted(stems.values(), key=lambda p: (order.get(p.stem, 0), p.stem))


def build_site(catalog_path: Path, output: Path, figures: Path | None = None,
               today: dt.date | None = None) -> Path:
    """Write ``output/index.html``, its assets, a copy of the catalogue and the figures."""
    data = json.loads(catalog_path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise ValueError(f"{catalog_path}: not a catalogue (no entries)")
    output.mkdir(parents=True, exist_ok=True)
    target_figures = output / "figures"
    if figures is not None and figures.is_dir() and figures.resolve() != target_figures.resolve():
        target_figures.mkdir(exist_ok=True)
        for path in _figure_files(figures):
            shutil.copyfile(path, target_figures / path.name)
    names = [f"figures/{p.name}" for p in _figure_files(target_figures)]
    history = read_history(catalog_path.with_name("history.jsonl"))
    found = entry_trends(data, trends(history))
    when = (today or dt.datetime.now(dt.UTC).date()).isoformat()
    write_atomic(output / "index.html", render(data, names, found, generated=when))
    for asset in ASSETS:
        text = resources.files(__name__).joinpath(asset).read_text(encoding="utf-8")
        write_atomic(output / asset, text)
    shutil.copyfile(catalog_path, output / "catalog.json")
    return output / "index.html"
