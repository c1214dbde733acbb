"""The maintainer's own values: ``annotations.toml``, merged into the catalogue.

An annotations file holds one table per entry key, with scalar values (number, string, boolean)
or lists of scalars::

    [poyo]
    recording_hours = 100
    species = ["monkey"]

Each table becomes that entry's ``annotations`` object; every other entry's is ``None``. The file
is the only source of these values: no API sets them, and they never change any other field.

A table that names no entry, a value of the wrong shape (a nested table, a date, a list of
tables or of lists) or a table key that is not a table is skipped with a warning naming the key
and its line. ``tomllib`` reports no positions for parsed values, so lines are found by scanning
the text for the table headers and ``key =`` lines (:func:`locate`).
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .models import AnnotationValue, Catalog, Entry

DEFAULT_FILE = "annotations.toml"

_HEADER = re.compile(r"^\s*\[(?!\[)\s*(?P<name>[^\]]+?)\s*\]\s*(?:#.*)?$")
_ARRAY_HEADER = re.compile(r"^\s*\[\[\s*(?P<name>[^\]]+?)\s*\]\]\s*(?:#.*)?$")
_ASSIGN = re.compile(r"""^\s*(?P<key>"(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_.\-"' ]+?)\s*=""")


@dataclass
class Annotations:
    """Annotations read from one file: values by entry key, and what was wrong with it."""

    path: Path | None = None
    tables: dict[str, dict[str, AnnotationValue]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    lines: dict[tuple[str, ...], int] = field(default_factory=dict)

    def line_of(self, *path: str) -> int | None:
        """The line of ``path``, else of its nearest enclosing key (an inline table's)."""
        for end in range(len(path), 0, -1):
            line = self.lines.get(path[:end])
            if line is not None:
                return line
        return None

    def set_on(self, entry: Entry) -> Entry:
        """``entry`` with its ``annotations`` from the file (``None`` if it has none); only
        that field changes."""
        return entry.model_copy(update={"annotations": self.tables.get(entry.key)})

    def where(self, *path: str) -> str:
        line = self.line_of(*path)
        name = str(self.path) if self.path is not None else DEFAULT_FILE
        return f"{name}:{line}" if line is not None else name


def _split_key(text: str) -> tuple[str, ...]:
    """``a."b.c".d`` → ``("a", "b.c", "d")`` (TOML dotted keys, bare or quoted)."""
    parts: list[str] = []
    for match in re.finditer(r'"((?:[^"\\]|\\.)*)"|\'([^\']*)\'|([^.\s"\']+)', text):
        basic, literal, bare = match.groups()
        if basic is not None:
            try:
                parts.append(json.loads(f'"{basic}"'))
            except ValueError:
                parts.append(basic)
        elif literal is not None:
            parts.append(literal)
        else:
            parts.append(bare)
    return tuple(parts)


def locate(text: str) -> dict[tuple[str, ...], int]:
    """The 1-based line of every table header and ``key =`` line, by its full dotted path.

    A scan, not a parser: it follows ``[table]`` headers and top-level assignments and skips
    the continuation lines of multi-line arrays and strings well enough to place each value of
    an annotations file (where values are scalars or short lists).
    """
    lines: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    depth = 0  # open brackets of a multi-line array
    in_string: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        if in_string is not None:
            if raw.count(in_string) % 2 == 1:
                in_string = None
            continue
        if depth > 0:
            depth += _bracket_balance(raw)
            continue
        header = _HEADER.match(raw)
        if header and not _ARRAY_HEADER.match(raw):
            table = _split_key(header.group("name"))
            lines.setdefault(table, number)
            continue
        array_header = _ARRAY_HEADER.match(raw)
        if array_header:
            table = _split_key(array_header.group("name"))
            lines.setdefault(table, number)
            continue
        assign = _ASSIGN.match(raw)
        if assign:
            key = (*table, *_split_key(assign.group("key")))
            for end in range(len(table) + 1, len(key) + 1):
                lines.setdefault(key[:end], number)
            rest = raw[assign.end():]
            for quote in ('"""', "'''"):
                if rest.count(quote) % 2 == 1:
                    in_string = quote
            if in_string is None:
                depth = max(0, _bracket_balance(rest))
    return lines


def _bracket_balance(text: str) -> int:
    text = re.sub(r'"(?:[^"\\]|\\.)*"|\'[^\']*\'', "", text)
    text = text.split("#", 1)[0]
    return text.count("[") - text.count("]")


def _scalar(value: Any) -> bool:
    return isinstance(value, bool | int | float | str)


def _valid(value: Any) -> bool:
    if _scalar(value):
        return True
    return isinstance(value, list) and all(_scalar(item) for item in value)


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list of tables or lists"
    return f"a {type(value).__name__}"


def parse(text: str, known_keys: Iterable[str] | None = None,
          path: Path | None = None) -> Annotations:
    """Read annotations from TOML text; ``known_keys`` are the catalogue's entry keys.

    Invalid TOML raises :class:`ConfigError` (the file cannot be trusted at all); everything
    else that is wrong is a warning, and the offending table or value is left out.
    """
    result = Annotations(path=path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path or DEFAULT_FILE}: {exc}") from None
    result.lines = locate(text)
    known = set(known_keys) if known_keys is not None else None
    for key, table in data.items():
        if not isinstance(table, dict):
            result.warnings.append(
                f"{result.where(key)}: '{key}' is {_describe(table)}, not a table of "
                "values for an entry; ignored")
            continue
        if known is not None and key not in known:
            result.warnings.append(
                f"{result.where(key)}: [{key}] names no entry of the catalogue; ignored")
            continue
        values: dict[str, AnnotationValue] = {}
        for name, value in table.items():
            if _valid(value):
                values[name] = value
            else:
                result.warnings.append(
                    f"{result.where(key, name)}: {key}.{name} is {_describe(value)}; "
                    "values are numbers, strings, booleans or lists of them; ignored")
        if values:
            result.tables[key] = values
    return result


def load(path: Path, known_keys: Iterable[str] | None = None) -> Annotations:
    """Read and check an annotations file (:class:`ConfigError` if unreadable or not TOML)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read ({exc})") from None
    return parse(text, known_keys, path=path)


def apply(catalog: Catalog, annotations: Annotations) -> Catalog:
    """The catalogue with each entry's ``annotations`` set from the file (``None`` if absent).

    Only ``annotations`` changes: every other field of every entry is kept as it is.
    """
    entries = [annotations.set_on(entry) for entry in catalog.entries]
    return catalog.model_copy(update={"entries": entries})


def resolve_path(option: Path | None, configured: Path | None,
                 config_dir: Path) -> Path | None:
    """Which annotations file a run reads.

    ``--annotations FILE`` first, then ``[annotations] file`` of ``harvest.toml`` (relative to
    that file's folder); both must exist. Otherwise ``annotations.toml`` beside ``harvest.toml``
    (the working folder by default), when there is one.
    """
    if option is not None:
        if not option.is_file():
            raise ConfigError(f"{option}: no such annotations file")
        return option
    if configured is not None:
        path = configured if configured.is_absolute() else config_dir / configured
        if not path.is_file():
            raise ConfigError(f"{path}: no such annotations file ([annotations] file)")
        return path
    default = config_dir / DEFAULT_FILE
    return default if default.is_file() else None
