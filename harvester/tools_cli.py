"""``harvest validate``, ``harvest diff``, ``harvest export`` and ``harvest suggest``:
commands over finished catalogues.

Both print to stdout only what was asked for (Markdown, JSON, BibTeX…); messages go to stderr.
They are registered on the main group in :mod:`harvester.cli`. Each command imports the module
that does its work (:mod:`harvester.changes`, :mod:`harvester.export`, :mod:`harvester.suggest`)
when it runs, so that ``harvest`` itself does not load them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from pydantic import ValidationError

from . import history
from .errors import OutputError
from .models import Catalog
from .writers import write_bytes_atomic

DEFAULT_CATALOG = Path("output/catalog.json")

EXPORT_FORMATS = ("bibtex", "csl-json", "markdown")


class CatalogReadError(Exception):
    """A catalogue file could not be read or is not a valid catalogue."""


_KINDS = {
    "missing": "is missing",
    "extra_forbidden": "is not a field of the catalogue",
    "string_type": "should be text",
    "int_type": "should be a whole number",
    "int_parsing": "should be a whole number",
    "int_from_float": "should be a whole number",
    "float_type": "should be a number",
    "bool_type": "should be true or false",
    "bool_parsing": "should be true or false",
    "list_type": "should be a list",
    "dict_type": "should be an object",
    "model_type": "should be an object",
    "model_attributes_type": "should be an object",
    "none_required": "should be null",
}
MAX_PROBLEMS = 5


def _where(loc: tuple[int | str, ...], data: Any) -> str:
    """``entries[3].paper.year`` as ``entry 4 ("poyo"): paper.year``."""
    parts = [p for p in loc
             if not (isinstance(p, str) and p in ("function-after", "json-or-python"))]
    if len(parts) >= 2 and parts[0] == "entries" and isinstance(parts[1], int):
        index = parts[1]
        key = None
        if isinstance(data, dict) and isinstance(data.get("entries"), list):
            entries = data["entries"]
            if 0 <= index < len(entries) and isinstance(entries[index], dict):
                key = entries[index].get("key")
        label = f"entry {index + 1}" + (f" ({json.dumps(key)})" if isinstance(key, str) else "")
        rest = _dotted(parts[2:])
        return f"{label}: {rest}" if rest else label
    return _dotted(parts) or "the top level"


def _dotted(parts: list[int | str] | tuple[int | str, ...]) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _problem(error: Any, data: Any) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    where = _where(tuple(error.get("loc", ())), data)
    if kind in _KINDS:
        what = _KINDS[kind]
    elif kind == "literal_error":
        what = f"should be one of {ctx.get('expected', 'the allowed values')}"
    elif kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        what = ("should be a date written YYYY-MM-DD" if "\\d{4}" in pattern
                else f"should match {pattern}")
    elif kind in ("greater_than_equal", "greater_than"):
        what = f"should be at least {ctx.get('ge', ctx.get('gt'))}"
    elif kind in ("less_than_equal", "less_than"):
        what = f"should be at most {ctx.get('le', ctx.get('lt'))}"
    else:
        what = "has a value the catalogue does not allow"
    value = error.get("input")
    shown = ""
    if kind != "missing" and (value is None or isinstance(value, (str, int, float, bool))):
        shown = f" (it is {json.dumps(value)[:60]})"
    return f"{where} {what}{shown}"


def describe_problems(exc: ValidationError, raw: bytes) -> list[str]:
    """The validation errors in the catalogue's own words, at most :data:`MAX_PROBLEMS`."""
    try:
        data = json.loads(raw)
    except ValueError:
        data = None
    errors = exc.errors()
    if errors and errors[0].get("type") == "json_invalid":
        return [f"it is not JSON ({errors[0].get('ctx', {}).get('error', 'unreadable')})"]
    if not isinstance(data, dict):
        return ["it is not a JSON object, so not a catalogue"]
    lines = [_problem(e, data) for e in errors[:MAX_PROBLEMS]]
    if len(errors) > MAX_PROBLEMS:
        lines.append(f"and {len(errors) - MAX_PROBLEMS} more problems")
    return lines


def _describe(exc: ValidationError, raw: bytes) -> str:
    problems = describe_problems(exc, raw)
    more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
    return f"not a valid catalogue: {problems[0]}{more}"


class CatalogProblems(CatalogReadError):
    """A catalogue file that parses as JSON but breaks the schema."""

    def __init__(self, message: str, problems: list[str]) -> None:
        super().__init__(message)
        self.problems = problems


def read_catalog_file(path: Path) -> Catalog:
    """The catalogue at ``path``, or :class:`CatalogReadError` with a one-line reason."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CatalogReadError(f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        return Catalog.model_validate_json(data)
    except ValidationError as exc:
        raise CatalogProblems(f"{path}: {_describe(exc, data)}",
                              describe_problems(exc, data)) from None


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
    from .changes import diff_catalogs, headline, render_markdown

    # trends from history.jsonl beside NEW, when it exists
    result = diff_catalogs(_read_previous(old), new_catalog,
                           history.read_history(history.history_path(new)))
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    elif fmt == "headline":
        click.echo(headline(result))
    else:
        click.echo(render_markdown(result), nl=False)


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), required=True,
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
    from .export import to_bibtex, to_csl_json, to_markdown_table

    exporters = {"bibtex": to_bibtex, "csl-json": to_csl_json, "markdown": to_markdown_table}
    click.echo(exporters[fmt](data), nl=False)


@click.command("validate")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
def validate(file: Path) -> None:
    """Check that FILE is a valid catalogue (exit 0) or say why not (exit 1)."""
    try:
        catalog = read_catalog_file(file)
    except CatalogProblems as exc:
        click.echo(f"{file} is not a valid catalogue:", err=True)
        for line in exc.problems:
            click.echo(f"  - {line}", err=True)
        raise click.exceptions.Exit(1) from None
    except CatalogReadError as exc:
        click.echo(f"error: {exc}", err=True)
        raise click.exceptions.Exit(1) from None
    click.echo(
        f"{file}: valid (schema_version {catalog.schema_version}, {len(catalog.entries)} entries)",
        err=True,
    )


@click.command("suggest")
@click.argument("list_file", metavar="LIST",
                type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--catalog", type=click.Path(path_type=Path, dir_okay=False),
              default=str(DEFAULT_CATALOG), show_default=True,
              help="The catalogue whose findings to apply.")
@click.option("--write", is_flag=True, help="Rewrite LIST in place with the edits.")
@click.option("--output", "target", type=click.Path(path_type=Path, dir_okay=False),
              metavar="FILE", help="Write the edited list to FILE instead.")
def suggest(list_file: Path, catalog: Path, write: bool, target: Path | None) -> None:
    """Bring LIST's own text up to date where the catalogue says it is out of date.

    Venue phrases the sources contradict ("Preprint, 2025" for a paper accepted at ICLR 2025)
    and links to renamed GitHub repositories are changed; every other byte is kept. Prints the
    suggestions as Markdown; --write or --output saves the edited list.
    """
    if write and target is not None:
        raise click.UsageError("--write and --output exclude each other")
    try:
        data = read_catalog_file(catalog)
        original = list_file.read_bytes()
    except CatalogReadError as exc:
        click.echo(f"error: {exc}", err=True)
        raise click.exceptions.Exit(1) from None
    except OSError as exc:
        click.echo(f"error: cannot read {list_file}: {exc.strerror or exc}", err=True)
        raise click.exceptions.Exit(1) from None
    from .suggest import render as render_suggestions
    from .suggest import suggest as suggest_edits

    result = suggest_edits(data, original)
    click.echo(render_suggestions(result), nl=False)
    destination = list_file if write else target
    if destination is not None and (result.changed or destination != list_file):
        try:
            write_bytes_atomic(destination, result.text)
        except OutputError as exc:
            click.echo(f"error: {exc}", err=True)
            raise click.exceptions.Exit(1) from None
