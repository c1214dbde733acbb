"""``harvest site`` and ``harvest plot``: views over a finished catalogue.

Both read the catalogue as plain JSON (so a newer catalogue with extra fields still renders) and
``history.jsonl`` beside it when there is one. They are registered on the main group in
:mod:`harvester.cli`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .errors import HarvestError
from .history import history_path, read_history

DEFAULT_CATALOG = Path("output/catalog.json")


def _read(catalog: Path) -> dict[str, object]:
    try:
        data = json.loads(catalog.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        click.echo(f"error: cannot read {catalog}: {exc}", err=True)
        sys.exit(1)
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        click.echo(f"error: {catalog}: not a catalogue (no entries)", err=True)
        sys.exit(1)
    return data


@click.command("plot")
@click.option("--catalog", type=click.Path(path_type=Path, dir_okay=False),
              default=DEFAULT_CATALOG, show_default=True, help="The catalogue to draw.")
@click.option("--output", type=click.Path(path_type=Path, file_okay=False),
              default=Path("figures"), show_default=True, help="Folder for the figures.")
def plot(catalog: Path, output: Path) -> None:
    """Draw PNG and SVG figures of the catalogue: every numeric annotation against year, papers
    per year by status, and stars and citations over time once history.jsonl has two lines."""
    from .plot import plot_catalog

    data = _read(catalog)
    written = plot_catalog(data, output, read_history(history_path(catalog)))
    for path in written:
        click.echo(f"wrote {path}", err=True)
    if not written:
        click.echo("no figures: no entry has a year or a numeric annotation", err=True)


@click.command("site")
@click.option("--catalog", type=click.Path(path_type=Path, dir_okay=False),
              default=DEFAULT_CATALOG, show_default=True, help="The catalogue to show.")
@click.option("--output", type=click.Path(path_type=Path, file_okay=False),
              default=Path("site"), show_default=True, help="Folder for index.html and assets.")
@click.option("--figures", type=click.Path(path_type=Path, file_okay=False),
              default=Path("figures"), show_default=True,
              help="Figures from `harvest plot` to embed, when the folder exists "
                   "(those already in OUTPUT/figures are embedded too).")
def site(catalog: Path, output: Path, figures: Path) -> None:
    """Build a static, self-contained site of the catalogue (index.html, site.css, site.js)."""
    from .site import build_site

    _read(catalog)
    try:
        index = build_site(catalog, output, figures)
    except (HarvestError, ValueError, OSError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    click.echo(f"wrote {index}", err=True)
