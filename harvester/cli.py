"""The ``harvest`` command: a thin layer over :func:`harvester.pipeline.harvest`.

stdout stays clean for machine use (only ``schema``, ``diff`` and ``export`` print there);
progress, warnings and the summary go to stderr.

Exit status: 0 catalogue written and every look-up answered; 2 written, but some look-ups could
not be completed (their previous values were kept and marked stale); 1 nothing written; 130
interrupted (Ctrl-C): nothing written, the previous catalogue intact.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from rich.console import Console

from . import __version__, history
from .annotate import resolve_path
from .config import load_settings
from .console import ConsoleReporter, missing_credentials, print_summary
from .errors import HarvestError, redact
from .pipeline import RunOptions, RunReport, harvest
from .sources import SOURCE_NAMES, source_names
from .tools_cli import diff, export, suggest, validate
from .views_cli import plot, site
from .writers import dumps, schema_json, write_atomic, write_chunks_atomic

DEFAULT_OUTPUT = Path("output/catalog.json")
INTERRUPTED = 130


def _interruptible(work: Callable[[], RunReport], console: Console) -> RunReport:
    """Run ``work`` in a daemon thread; the first Ctrl-C ends the process at once (exit 130)
    with nothing written: requests in flight are abandoned, the cache is as a killed run leaves
    it (SQLite keeps it consistent) and the outputs are untouched."""
    reports: list[RunReport] = []
    errors: list[BaseException] = []

    def target() -> None:
        try:
            reports.append(work())
        except BaseException as exc:  # handed to the main thread as it is
            errors.append(exc)

    thread = threading.Thread(target=target, name="harvest", daemon=True)
    thread.start()
    try:
        while thread.is_alive():
            thread.join(0.2)
    except KeyboardInterrupt:
        console.print("interrupted: nothing written; the previous catalogue is kept (exit 130)",
                      style="red", markup=False, highlight=False)
        sys.stderr.flush()
        sys.stdout.flush()
        os._exit(INTERRUPTED)  # no waiting for the threads still blocked on the network
    if errors:
        raise errors[0]
    return reports[0]


@contextmanager
def _deferred_interrupt(console: Console) -> Iterator[None]:
    """While the outputs are written, a Ctrl-C waits for the files to be whole, then exits 130."""
    caught: list[int] = []
    try:
        previous = signal.signal(signal.SIGINT, lambda signum, _frame: caught.append(signum))
    except ValueError:  # not the main thread (embedded use): nothing to defer
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        console.print("interrupted after the outputs were written (exit 130)", style="red",
                      markup=False, highlight=False)
        sys.exit(INTERRUPTED)


def run_facts(report: RunReport, exit_code: int) -> dict[str, object]:
    return {
        "started_at": report.started_at,
        "duration_seconds": round(report.duration, 3),
        "exit_code": exit_code,
        "list": {"source": report.published.head.list.source,
                 "fallback": report.list_fallback},
        "failed_lookups": report.failed,
        "warnings": report.warnings,
        "summary": report.published.summary.model_dump(),
        "sources": {
            name: {
                "asked": st.asked,
                "cached": st.cached,
                "fetched": st.fetched,
                "not_modified": st.not_modified,
                "failed": st.failed,
                "requests": st.requests,
                "retries": st.retries,
                "waited_seconds": round(st.waited, 3),
                "stopped": st.exhausted,
                **st.notes,
            }
            for name, st in report.stats.items()
        },
    }


def _parse_only(value: str | None) -> frozenset[str] | None:
    if not value:
        return None
    names = frozenset(part.strip().lower() for part in value.split(",") if part.strip())
    unknown = sorted(names - set(source_names()))
    if unknown:
        raise click.BadParameter(
            f"unknown source(s) {', '.join(unknown)}; choose from {', '.join(source_names())}",
            param_hint="--only",
        )
    return names


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--list",
    "list_spec",
    metavar="SRC",
    help="The awesome list: a Markdown path, an https URL, or github:OWNER/REPO[/PATH]. "
    "Default: [list] in harvest.toml, else github:mazabou/awesome-neurofm.",
)
@click.option(
    "--output",
    type=click.Path(path_type=Path),
    metavar="PATH",
    help="Where to write catalog.json (beside it: catalog.schema.json, run.json). "
    "Default: output/catalog.json.",
)
@click.option(
    "--cache-dir",
    type=click.Path(path_type=Path),
    metavar="DIR",
    help="The response cache folder. Default: cache/.",
)
@click.option(
    "--refresh",
    is_flag=True,
    help="Revalidate everything now, ignoring TTLs (conditional requests where the "
    "API supports them).",
)
@click.option(
    "--offline",
    is_flag=True,
    help="No network at all: build the catalogue from the list and what the cache "
    "and the previous catalogue hold.",
)
@click.option(
    "--only",
    metavar="SOURCE[,SOURCE…]",
    help="Ask only these sources (" + ", ".join(SOURCE_NAMES) + "); the others "
    "contribute what the cache or the previous catalogue holds.",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Treat incomplete look-ups as failure: exit 1 and write nothing instead of 2.",
)
@click.option(
    "--allow-empty",
    is_flag=True,
    help="Publish an empty catalogue when the list yields no entries, even though the "
    "previous catalogue had some (otherwise: exit 1, nothing written).",
)
@click.option(
    "--record",
    type=click.Path(path_type=Path, file_okay=False),
    metavar="DIR",
    help="Save every answer of the run (status, headers without secrets, body) into DIR, "
    "one file an exchange plus index.jsonl, for tests to replay.",
)
@click.option("--quiet", "-q", is_flag=True, help="Only errors on stderr.")
@click.option("--verbose", "-v", is_flag=True, help="More detail on stderr.")
@click.option(
    "--config",
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="FILE",
    help="Settings file. Default: harvest.toml in the working folder, if present.",
)
@click.option(
    "--annotations",
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="FILE",
    help="The maintainer's own values per entry. Default: [annotations] file in harvest.toml, "
    "else annotations.toml beside harvest.toml, if present.",
)
@click.version_option(__version__, prog_name="harvest")
@click.pass_context
def main(
    ctx: click.Context, list_spec: str | None, output: Path | None, cache_dir: Path | None,
    refresh: bool, offline: bool, only: str | None, strict: bool, allow_empty: bool,
    record: Path | None, quiet: bool, verbose: bool, config: Path | None,
    annotations: Path | None,
) -> None:
    """Turn an awesome list of papers into output/catalog.json.

    Exit status: 0 written and every look-up answered; 2 written but some look-ups failed
    (previous values kept and marked stale); 1 nothing written.
    """
    if ctx.invoked_subcommand is not None:
        return
    if quiet and verbose:
        raise click.UsageError("--quiet and --verbose exclude each other")
    if refresh and offline:
        raise click.UsageError("--refresh and --offline exclude each other")
    only_sources = _parse_only(only)
    console = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        settings = load_settings(config)
        target = output or settings.output
        if target == DEFAULT_OUTPUT and output is None:
            target.parent.mkdir(parents=True, exist_ok=True)
        elif not target.parent.is_dir():
            raise HarvestError(f"{target}: folder {target.parent} does not exist")
        options = RunOptions(
            list_spec=list_spec or settings.list,
            output=target,
            cache_dir=cache_dir or settings.cache_dir,
            refresh=refresh,
            offline=offline,
            only=only_sources,
            allow_empty=allow_empty,
            record=record,
            annotations=resolve_path(annotations, settings.annotations_file,
                                     (config or Path("harvest.toml")).parent),
        )
        with ConsoleReporter(console, quiet=quiet, verbose=verbose) as reporter:
            for line in missing_credentials(settings, offline=offline, only=only_sources):
                reporter.note(line)
            report = _interruptible(lambda: harvest(settings, options, reporter=reporter),
                                    console)
        exit_code = report.exit_code
        if strict and exit_code == 2:
            console.print(
                f"error: {report.failed} look-ups failed; --strict: nothing written",
                style="red",
                markup=False,
            )
            sys.exit(1)
        with _deferred_interrupt(console):
            write_chunks_atomic(target, report.published.chunks())
            for name, text in (("catalog.schema.json", schema_json()),
                               ("run.json", redact(dumps(run_facts(report, exit_code))))):
                try:  # the catalogue is written: a side file that fails is a warning
                    write_atomic(target.with_name(name), text)
                except HarvestError as exc:
                    console.print(f"warning: {exc}", style="yellow", markup=False,
                                  highlight=False)
            try:  # history is a side file too
                history.append(report.published.counts, target)
            except (HarvestError, OSError, ValueError) as exc:  # an unreadable history.jsonl
                console.print(f"warning: history not updated: {redact(str(exc))}",
                              style="yellow", markup=False, highlight=False)
    except HarvestError as exc:
        console.print(f"error: {redact(str(exc))}", style="red", markup=False, highlight=False)
        sys.exit(1)
    if not quiet:
        print_summary(console, report, target)
    sys.exit(exit_code)


@main.command()
def schema() -> None:
    """Print the catalogue's JSON Schema to stdout."""
    click.echo(schema_json(), nl=False)


main.add_command(validate)
main.add_command(diff)
main.add_command(export)
main.add_command(suggest)
main.add_command(site)
main.add_command(plot)


def run() -> None:
    """Console entry point: ``main`` with usage errors exiting 1 (2 means "written, incomplete")."""
    try:
        code = main.main(standalone_mode=False)
        if isinstance(code, int) and code:  # click returns a subcommand's Exit code
            sys.exit(code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:  # before or after the harvest itself: nothing half-written
        click.echo("interrupted (exit 130)", err=True)
        sys.exit(INTERRUPTED)
    except click.Abort as exc:
        if isinstance(exc.__cause__, KeyboardInterrupt):  # click turns Ctrl-C into Abort
            click.echo("interrupted (exit 130)", err=True)
            sys.exit(INTERRUPTED)
        click.echo("Aborted!", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(1)
