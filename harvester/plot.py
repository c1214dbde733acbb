"""Figures from a catalogue: PNG and SVG, the same bytes for the same catalogue.

* ``<field>.{png,svg}`` for every numeric annotation field: the field against the paper's year,
  each point labelled with the entry's name, on a log scale when the values span a decade or
  more (for the neurofm list, its own model-size and recording-length figures);
* ``papers-per-year.{png,svg}``: papers per year, stacked by status;
* ``top-cited`` and ``top-starred``: the ten most cited entries and most starred repositories;
* once ``history.jsonl`` has two lines or more, ``stars-history`` and ``citations-history``:
  the counts of the top entries over time.

matplotlib draws with the Agg backend, no display needed. Output is deterministic: a fixed SVG
hash salt, no dates or software versions in the file metadata, sorted inputs.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .history import Snapshot

STATUS_ORDER = ("published", "accepted", "preprint", "under_review", "rejected", "withdrawn",
                None)
STATUS_COLOURS = {
    "published": "#1b7837", "accepted": "#5aae61", "preprint": "#2166ac",
    "under_review": "#f4a582", "rejected": "#b2182b", "withdrawn": "#762a83", None: "#999999",
}
TOP = 10
RESERVED = frozenset({"papers-per-year", "stars-history", "citations-history", "top-cited",
                      "top-starred"})
_RC: dict[str, Any] = {
    "svg.hashsalt": "awesome-harvester",
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.dpi": 100,
    "savefig.dpi": 150,
}
_SVG_METADATA = {"Date": None, "Creator": None, "Format": None, "Type": None}
_PNG_METADATA = {"Software": None}


def numeric_fields(catalog: Mapping[str, Any]) -> list[str]:
    """Annotation fields with a number (not a boolean) on at least one entry, sorted."""
    fields: set[str] = set()
    for entry in catalog.get("entries", []):
        for name, value in (entry.get("annotations") or {}).items():
            if _number(value):
                fields.add(name)
    return sorted(fields)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(
        value)


def _year(entry: Mapping[str, Any]) -> int | None:
    paper = entry.get("paper") or {}
    year = paper.get("year")
    return year if isinstance(year, int) and not isinstance(year, bool) else None


def field_points(catalog: Mapping[str, Any], field: str) -> list[tuple[int, float, str]]:
    """(year, value, entry name) of every entry with a year and a number for ``field``."""
    points = []
    for entry in catalog.get("entries", []):
        value = (entry.get("annotations") or {}).get(field)
        year = _year(entry)
        if year is not None and isinstance(value, int | float) and _number(value):
            points.append((year, float(value), str(entry.get("name") or entry["key"])))
    return sorted(points)


def spans_decades(values: Sequence[float]) -> bool:
    """True when all values are positive and the largest is at least ten times the smallest."""
    return bool(values) and min(values) > 0 and max(values) / min(values) >= 10


def title_of(field: str) -> str:
    """``recording_hours`` → ``Recording hours``."""
    words = re.sub(r"[_\-]+", " ", field).strip()
    return words[:1].upper() + words[1:]


def safe_name(field: str) -> str:
    """A file name for a field: letters, digits, ``-``, ``_`` and ``.`` only."""
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", field).strip("-.") or "field"
    if name in RESERVED:  # never overwrite a figure of its own
        name = f"annotation-{name}"
    return name


def _tick(value: float) -> str:
    """``27,373``, ``100``, ``0.5``: thousands separated, no needless decimals."""
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:g}"


def _save(fig: Any, output: Path, stem: str) -> list[Path]:
    paths: list[Path] = []
    for ext, metadata in (("png", _PNG_METADATA), ("svg", _SVG_METADATA)):
        path = output / f"{stem}.{ext}"
        fig.savefig(path, format=ext, metadata=metadata, bbox_inches="tight")
        paths.append(path)
    return paths


def _field_figure(plt: Any, points: list[tuple[int, float, str]], field: str) -> Any:
    fig, ax = plt.subplots(figsize=(6.4, 4.0))
    years = [p[0] for p in points]
    values = [p[1] for p in points]
    ax.scatter(years, values, s=36, color="#2166ac", zorder=3)
    for i, (year, value, name) in enumerate(points):
        ax.annotate(name, (year, value), xytext=(6, 4 if i % 2 == 0 else -10),
                    textcoords="offset points", fontsize=9)
    if spans_decades(values):
        ax.set_yscale("log")
    ax.margins(y=0.12)
    if len(set(values)) == 1:  # one value: centre it on a range that starts at zero
        ax.set_ylim(min(0.0, values[0] * 2), max(0.0, values[0] * 2) or 1.0)
    if all(float(v).is_integer() for v in values) and not spans_decades(values):
        from matplotlib.ticker import MaxNLocator

        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_formatter(_formatter())
    low, high = min(years), max(years)
    ax.set_xlim(low - 0.7, high + 1.3)
    ax.set_xticks(list(range(low, high + 1)))
    ax.set_xlabel("Year")
    ax.set_ylabel(title_of(field))
    ax.set_title(f"{title_of(field)} by year")
    ax.grid(True, which="major", alpha=0.3)
    return fig


def _papers_figure(plt: Any, catalog: Mapping[str, Any]) -> Any | None:
    counts: dict[tuple[int, str | None], int] = {}
    for entry in catalog.get("entries", []):
        year = _year(entry)
        if year is None:
            continue
        status = (entry.get("paper") or {}).get("status")
        status = status if status in STATUS_COLOURS else None
        counts[(year, status)] = counts.get((year, status), 0) + 1
    if not counts:
        return None
    years = list(range(min(y for y, _ in counts), max(y for y, _ in counts) + 1))
    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    bottom = [0] * len(years)
    for status in STATUS_ORDER:
        heights = [counts.get((year, status), 0) for year in years]
        if not any(heights):
            continue
        label = (status or "unknown").replace("_", " ")
        ax.bar(years, heights, bottom=bottom, color=STATUS_COLOURS[status], label=label,
               width=0.8)
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    ax.set_xlabel("Year")
    ax.set_ylabel("Papers")
    ax.set_title("Papers per year, by status")
    if len(years) <= 15:
        ax.set_xticks(years)
    ax.legend(frameon=False, fontsize=8)
    ax.yaxis.get_major_locator().set_params(integer=True)
    return fig


def _top_figure(plt: Any, counts: Mapping[str, int], what: str, colour: str) -> Any | None:
    top = sorted(counts, key=lambda name: (-counts[name], name))[:TOP]
    if not top:
        return None
    fig, ax = plt.subplots(figsize=(6.4, 0.9 + 0.32 * len(top)))
    ax.barh(list(range(len(top)))[::-1], [counts[n] for n in top], color=colour)
    ax.set_yticks(list(range(len(top)))[::-1], labels=top, fontsize=8)
    for i, name in enumerate(top):
        ax.annotate(f"{counts[name]:,}", (counts[name], len(top) - 1 - i), xytext=(3, 0),
                    textcoords="offset points", va="center", fontsize=8)
    ax.set_xlabel(what.capitalize())
    ax.set_title(f"Top {len(top)} by {what}")
    ax.xaxis.set_major_formatter(_formatter())
    return fig


def _formatter() -> Any:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, _pos: _tick(v))


def _history_figure(plt: Any, history: Sequence[Snapshot], kind: str,
                    names: Mapping[str, str]) -> Any | None:
    import datetime as dt

    last = getattr(history[-1], kind)
    top = sorted(last, key=lambda ident: (-last[ident], ident))[:TOP]
    if not top:
        return None
    fig, ax = plt.subplots(figsize=(7.2, 4.0))
    for ident in top:
        xs = [dt.date.fromisoformat(s.date) for s in history if ident in getattr(s, kind)]
        ys = [getattr(s, kind)[ident] for s in history if ident in getattr(s, kind)]
        ax.plot(xs, ys, marker="o", markersize=3, label=names.get(ident, ident))
    ax.set_ylabel(kind.capitalize())
    ax.set_title(f"{kind.capitalize()} of the top {len(top)} over time")
    ax.legend(frameon=False, fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.autofmt_xdate()
    ax.grid(True, alpha=0.3)
    return fig


def _current_counts(catalog: Mapping[str, Any]) -> tuple[dict[str, int], dict[str, int]]:
    """Citations by entry name and stars by repository, as the catalogue holds them now."""
    cited: dict[str, int] = {}
    starred: dict[str, int] = {}
    for entry in catalog.get("entries", []):
        count = (entry.get("paper") or {}).get("citation_count")
        if isinstance(count, int) and not isinstance(count, bool):
            cited[str(entry.get("name") or entry["key"])] = count
        for repo in entry.get("repos") or []:
            stars = repo.get("stars")
            if isinstance(stars, int) and not isinstance(stars, bool) and repo.get("full_name"):
                starred[str(repo["full_name"])] = stars
    return cited, starred


def plot_catalog(catalog: Mapping[str, Any], output: Path,
                 history: Sequence[Snapshot] = ()) -> list[Path]:
    """Draw every figure the catalogue (and its history) supports into ``output``."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    output.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    # matplotlib types rc keys as a Literal of its own names; _RC holds only real ones
    with matplotlib.rc_context(_RC):  # type: ignore[arg-type]
        figures: list[tuple[str, Any]] = []
        for field in numeric_fields(catalog):
            points = field_points(catalog, field)
            if points:
                figures.append((safe_name(field), _field_figure(plt, points, field)))
        papers = _papers_figure(plt, catalog)
        if papers is not None:
            figures.append(("papers-per-year", papers))
        cited, starred = _current_counts(catalog)
        for stem, counts, what, colour in (("top-cited", cited, "citations", "#2166ac"),
                                           ("top-starred", starred, "stars", "#b35806")):
            fig = _top_figure(plt, counts, what, colour)
            if fig is not None:
                figures.append((stem, fig))
        if len(history) >= 2:
            names = {e["key"]: str(e.get("name") or e["key"])
                     for e in catalog.get("entries", [])}
            for kind in ("stars", "citations"):
                fig = _history_figure(plt, history, kind, names)
                if fig is not None:
                    figures.append((f"{kind}-history", fig))
        for stem, fig in figures:
            written += _save(fig, output, stem)
            plt.close(fig)
    return written
