"""``harvest diff`` and ``harvest export``: commands over finished catalogues.

Both print to stdout only what was asked for (Markdown, JSON, BibTeX…); messages go to stderr.
They are registered on the main group in :mod:`harvester.cli`.
"""

from __future__ import annotations

import json
from pathlib import Path

import click
from pydantic import ValidationError

from .changes import diff_catalogs, headline, render_markdown
from .export import to_bibtex, to_csl_json, to_markdown_table
from .models import Catalog

DEFAULT_CATALOG = Path("output/catalog.json")

EXPORTERS = {
    "bibtex": to_bibtex,
    "csl-json": to_csl_json,
    "markdown": to_markdown_table,
}


class CatalogReadError(Exception):
    """A catalogue file could not be read or is not a valid catalogue."""


def _describe(exc: ValidationError) -> str:
    errors = exc.errors()
    first = errors[0]
    where = ".".join(str(p) for p in first.get("loc", ())) or "top level"
    more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
    return f"not a valid catalogue: {where}: {first.get('msg')}{more}"


def read_catalog_file(path: Path) -> Catalog:
    """The catalogue at ``path``, or :class:`CatalogReadError` with a one-line reason."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CatalogReadError(f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        return Catalog.model_validate_json(data)
    except ValidationError as exc:
        raise CatalogReadError(f"{path}: {_describe(exc)}") from exc


def _read_previous(spec: str) -> Catalog | None:
    """The previous catalogue; ``None`` for ``-``, an empty argument, a missing or empty file."""
    if spec.strip() in ("", "-"):
        return None
    path = Path(spec)
    if not path.exists():
        return None
    try:
        if path.is_file() and path.stat().st_size == 0:
            return None
        return read_catalog_file(path)
    except (CatalogReadError, OSError) as exc:
        click.echo(f"warning: {exc}; comparing against no previous catalogue", err=True)
        return None


@click.command("diff")
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["markdown", "json", "headline"]),
              default="markdown", show_default=True,
              help="Markdown (a job summary or commit body), JSON, or the one-line headline "
                   "(a commit subject).")
def diff(old: str, new: Path, fmt: str) -> None:
    """What changed from catalogue OLD to catalogue NEW.

    OLD may be a missing or empty file, or `-`: NEW is then compared against nothing (a first
    run). An unreadable OLD is reported on stderr and treated the same way.
    """
    try:
        new_catalog = read_catalog_file(new)
    except CatalogReadError as exc:
        click.echo(f"error: {exc}", err=True)
        raise click.exceptions.Exit(1) from None
    result = diff_catalogs(_read_previous(old), new_catalog)
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    elif fmt == "headline":
        click.echo(headline(result))
    else:
        click.echo(render_markdown(result), nl=False)


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(sorted(EXPORTERS)), required=True,
              help="bibtex, csl-json (citeproc, Zotero, Pandoc) or a markdown table.")
@click.argument("catalog", required=False, default=str(DEFAULT_CATALOG),
                type=click.Path(path_type=Path, dir_okay=False))
def export(fmt: str, catalog: Path) -> None:
    """Print CATALOG (default output/catalog.json) as BibTeX, CSL-JSON or a Markdown table."""
    try:
        data = read_catalog_file(catalog)
    except CatalogReadError as exc:
        click.echo(f"error: {exc}", err=True)
        raise click.exceptions.Exit(1) from None
    click.echo(EXPORTERS[fmt](data), nl=False)
