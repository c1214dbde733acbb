"""What a person watching a run sees on stderr: progress, missing credentials, the summary.

* On a terminal: one live bar per source stage, labelled in words ("Semantic Scholar
  (titles)"), with done/total, rate and time left.
* Without a terminal (CI logs): a line when a stage starts, a line per unfinished stage every
  ``HARVEST_PROGRESS_INTERVAL`` seconds (default 10) with done/total, rate and time left, and a
  line when it finishes — a long run is never silent for minutes.
* ``--verbose``: also every wait before a retry (the HTTP layer logs them on the
  ``harvester`` logger) and every batch as it lands.
* At the start, one line for each missing credential that matters for this run.
* The summary fits 80 columns; its notes say what "(stopped)" means.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from .config import Settings
from .pipeline import Reporter, RunReport
from .sources import REGISTRY

DEFAULT_INTERVAL = 10.0
"""Seconds between progress lines without a terminal (``HARVEST_PROGRESS_INTERVAL``)."""

def label(name: str) -> str:
    """A stage's or source's name in words, as the sources declare them; a name no source
    declares is shown as it is."""
    for spec in REGISTRY.values():
        for stage in spec.stages:
            if stage.name == name:
                return stage.label
    named = REGISTRY.get(name)
    return named.label if named is not None else name


def progress_interval(env: Mapping[str, str] | None = None) -> float:
    """``HARVEST_PROGRESS_INTERVAL`` seconds (at least 0.1), else 10."""
    value = (os.environ if env is None else env).get("HARVEST_PROGRESS_INTERVAL", "")
    try:
        return max(0.1, float(value)) if value.strip() else DEFAULT_INTERVAL
    except ValueError:
        return DEFAULT_INTERVAL


def missing_credentials(settings: Settings, *, offline: bool,
                        only: Iterable[str] | None) -> list[str]:
    """One line per missing credential that matters for this run (its source will be asked)."""
    if offline:
        return []
    asked = set(only) if only is not None else None

    def used(source: str) -> bool:
        enabled = settings.sources[source].enabled if source in settings.sources else True
        return enabled and (asked is None or source in asked)

    lines = []
    if settings.github_token is None and used("github"):
        lines.append("no GITHUB_TOKEN: GitHub answers 60 repositories an hour (a token: 5,000)")
    if settings.s2_api_key is None and used("semanticscholar"):
        lines.append("no S2_API_KEY: Semantic Scholar's shared pool, often busy (429)")
    if not settings.contact and used("crossref"):
        lines.append("no HARVEST_CONTACT: Crossref's public pool (an e-mail: the polite pool)")
    return lines


# --------------------------------------------------------------------------- progress


def _duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


@dataclass
class _Stage:
    label: str
    total: int
    started: float
    done: int = 0
    finished: bool = False

    def rate(self, now: float) -> float | None:
        elapsed = now - self.started
        return self.done / elapsed if self.done and elapsed > 0 else None

    def line(self, now: float) -> str:
        rate = self.rate(now)
        text = f"{self.label}: {self.done}/{self.total} done"
        if rate is None:
            return text + f", {_duration(now - self.started)} so far, time left unknown yet"
        left = (self.total - self.done) / rate
        return text + f", {rate:.1f}/s, about {_duration(left)} left"


class _RateColumn(ProgressColumn):
    """Look-ups a second since the stage started (steadier than rich's sliding window for
    sources that answer in large batches)."""

    def render(self, task: Task) -> Text:
        elapsed = task.elapsed
        if not task.completed or not elapsed:
            return Text("")
        return Text(f"{task.completed / elapsed:.1f}/s", style="progress.data.speed")


class _LogToConsole(logging.Handler):
    def __init__(self, console: Console) -> None:
        super().__init__(logging.INFO)
        self.console = console

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = self.format(record)
            name, sep, _ = text.strip().partition(": ")
            if sep and name in REGISTRY:  # "semanticscholar: …" → "Semantic Scholar: …"
                text = text.replace(name, label(name), 1)
            self.console.print(text, markup=False, highlight=False, style="dim")
        except Exception:  # pragma: no cover - never let a log line break the run
            self.handleError(record)


class ConsoleReporter(Reporter):
    """Progress on stderr: live bars on a terminal, timed plain lines otherwise."""

    def __init__(self, console: Console, *, quiet: bool, verbose: bool,
                 interval: float | None = None) -> None:
        self.console = console
        self.quiet = quiet
        self.verbose = verbose
        self.live = console.is_terminal and not quiet
        self.interval = progress_interval() if interval is None else interval
        self.progress = Progress(
            TextColumn("{task.description:<27}"),
            BarColumn(bar_width=16),
            MofNCompleteColumn(),
            _RateColumn(),
            TimeRemainingColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        self.tasks: dict[str, TaskID] = {}
        self.stages: dict[str, _Stage] = {}
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.ticker: threading.Thread | None = None
        self.handler: logging.Handler | None = None

    def __enter__(self) -> ConsoleReporter:
        if self.verbose:
            self.handler = _LogToConsole(self.console)
            self.handler.setFormatter(logging.Formatter("  %(message)s"))
            logger = logging.getLogger("harvester")
            logger.addHandler(self.handler)
            logger.setLevel(logging.INFO)
        if self.live:
            self.progress.start()
        elif not self.quiet:
            self.ticker = threading.Thread(target=self._tick, name="progress", daemon=True)
            self.ticker.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop.set()
        if self.ticker is not None:
            self.ticker.join(timeout=2)
        if self.live:
            self.progress.stop()
        if self.handler is not None:
            logging.getLogger("harvester").removeHandler(self.handler)

    def _say(self, text: str, style: str | None = None) -> None:
        self.console.print(text, style=style, markup=False, highlight=False)

    def _tick(self) -> None:
        while not self.stop.wait(self.interval):
            now = time.monotonic()
            with self.lock:
                lines = [s.line(now) for s in self.stages.values() if not s.finished]
            for text in lines:
                self._say(text)

    def warn(self, message: str) -> None:
        if not self.quiet:
            self._say(f"warning: {message}", style="yellow")

    def note(self, message: str) -> None:
        """A line about the run's set-up (a missing credential)."""
        if not self.quiet:
            _wrapped(self.console, f"note: {message}", SUMMARY_WIDTH, style="cyan")

    def stage(self, source: str, total: int) -> None:
        name = label(source)
        with self.lock:
            self.stages[source] = _Stage(label=name, total=total, started=time.monotonic())
        if self.live:
            self.tasks[source] = self.progress.add_task(name, total=total)
        elif not self.quiet:
            self._say(f"{name}: {total} to look up")

    def advance(self, source: str, done: int) -> None:
        now = time.monotonic()
        with self.lock:
            stage = self.stages.get(source)
            if stage is None:
                return
            stage.done += done
            finished = stage.done >= stage.total and not stage.finished
            stage.finished = stage.finished or finished
            text = stage.line(now)
            took = _duration(now - stage.started)
        if self.live:
            if source in self.tasks:
                self.progress.advance(self.tasks[source], done)
        elif self.quiet:
            return
        elif finished:
            self._say(f"{stage.label}: {stage.total}/{stage.total} done in {took}")
        elif self.verbose:
            self._say(text)


# --------------------------------------------------------------------------- the summary

SUMMARY_WIDTH = 80


def _short(seconds: float) -> str:
    return f"{seconds:.0f}s" if seconds < 600 else f"{seconds / 60:.0f}m"


def print_summary(console: Console, report: RunReport, output: Path) -> None:
    """Per source: asked, cached, fetched, 304, failed, requests, waited — within 80 columns —
    then the notes the table's marks refer to, and one line about the catalogue."""
    table = Table(show_edge=False, pad_edge=False, box=None, padding=(0, 0, 0, 1))
    table.add_column("source", justify="left", no_wrap=True, max_width=27)
    for column in ("asked", "cached", "fetched", "304", "failed", "requests", "waited"):
        table.add_column(column, justify="right", no_wrap=True)
    notes: list[str] = []
    for name, stats in report.stats.items():
        if not stats.asked:
            continue
        mark = ""
        if stats.exhausted:
            mark = " (stopped)"
            notes.append(
                f"{label(name)} (stopped): its retry budget ran out, so its remaining "
                "look-ups were not made; their previous values were kept and marked stale.")
        quota = stats.notes.get("quota_remaining")
        if isinstance(quota, dict) and quota:
            notes.append(f"{label(name)} quota left: "
                         + ", ".join(f"{k} {v}" for k, v in sorted(quota.items())) + ".")
        table.add_row(label(name) + mark, str(stats.asked), str(stats.cached), str(stats.fetched),
                      str(stats.not_modified), str(stats.failed), str(stats.requests),
                      _short(stats.waited))
    width = min(SUMMARY_WIDTH, console.width) if console.is_terminal else SUMMARY_WIDTH
    console.print(table, width=width, no_wrap=True, crop=True)
    for text in notes:
        _wrapped(console, text, width)
    s = report.published.summary
    _wrapped(console,
             f"{s.entries} entries, {s.papers} papers ({s.with_abstract} with abstract, "
             f"{s.with_citations} with citations), {s.repos} repos, {s.stale_values} stale "
             f"values, {s.errors} errors → {output} in {report.duration:.1f}s", width)
    previous = report.previous_summary
    if previous is not None:
        drops = [
            f"{name} {getattr(previous, name)} → {getattr(s, name)}"
            for name in ("entries", "papers", "with_abstract", "with_citations", "repos")
            if getattr(s, name) < getattr(previous, name)
        ]
        if drops:
            _wrapped(console, "coverage fell since the previous catalogue: " + ", ".join(drops),
                     width, style="yellow")
    if report.exit_code == 2:
        _wrapped(console, f"{report.failed} look-ups could not be completed; their previous "
                 "values were kept and marked stale (exit 2)", width, style="yellow")


def _wrapped(console: Console, text: str, width: int, style: str | None = None) -> None:
    console.print(Text(text, style=style or ""), width=width, markup=False, highlight=False,
                  soft_wrap=False)
