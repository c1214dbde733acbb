"""awesome-harvester: an awesome list of papers in, a trustworthy JSON catalogue out.

The public API: :func:`harvest` (one run; see :class:`RunOptions`, :class:`RunReport`), the
catalogue models (:class:`Catalog`, :class:`Entry`, :class:`Paper`, :class:`Repo`), and the
source interface (:class:`Source`, :class:`SourceSpec`, :class:`Stage`, :func:`register`).
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("awesome-harvester")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0"

from .config import Settings, load_settings
from .models import Catalog, Entry, Paper, Repo
from .pipeline import RunOptions, RunReport, harvest
from .sources import (
    EntryView,
    Fetched,
    NotModified,
    Outcome,
    Result,
    Source,
    SourceSpec,
    Stage,
    register,
    run_source,
    source_names,
    unregister,
)

__all__ = [
    "Catalog",
    "Entry",
    "EntryView",
    "Fetched",
    "NotModified",
    "Outcome",
    "Paper",
    "Repo",
    "Result",
    "RunOptions",
    "RunReport",
    "Settings",
    "Source",
    "SourceSpec",
    "Stage",
    "__version__",
    "harvest",
    "load_settings",
    "register",
    "run_source",
    "source_names",
    "unregister",
]
