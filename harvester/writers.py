"""Writing the outputs: the catalogue, its JSON Schema and the run facts, each atomically.

Every file is written to a temporary file in the same folder, flushed to disk, then renamed over
the old one (``os.replace``), so a reader or a killed run sees either the old file or the new
one, never a half-written file, and two concurrent runs each leave a whole file.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import orjson

from .errors import OutputError
from .gcpolicy import relaxed_gc
from .models import Catalog, Entry


@relaxed_gc()
def catalog_json(catalog: Catalog) -> str:
    """The catalogue as published: sorted keys, 2-space indent, UTF-8, trailing newline — the
    text ``dumps(catalog.model_dump(mode="json"))`` gives, byte for byte (tested)."""
    head = catalog.model_copy(update={"entries": []})
    return b"".join(catalog_chunks(head, [entry_json(e) for e in catalog.entries])).decode()


def entry_json(entry: Entry) -> bytes:
    """One entry as the catalogue file holds it: its JSON at the depth of the ``entries``
    array (4 spaces in), without the separators around it.

    pydantic's own JSON serializer (Rust) gives the same values as ``model_dump(mode="json")``
    in a fraction of its time; orjson reads them back and writes them indented. A raw newline
    only occurs between tokens (never inside a JSON string), so indenting it indents the
    entry's lines and nothing else."""
    return entry_parts(entry)[1]


def entry_parts(entry: Entry) -> tuple[dict[str, Any], bytes]:
    """The entry as JSON values (what ``model_dump(mode="json")`` gives) and
    :func:`entry_json`."""
    data: dict[str, Any] = orjson.loads(entry.model_dump_json())
    # the one float field is annotations: orjson and the stdlib write some floats differently
    # (1e16 vs 1e+16), so an entry with float annotations takes the stdlib path, byte for byte
    stdlib = bool(entry.annotations) and _has_float(entry.annotations or {})
    return data, b"    " + _encode(data, stdlib=stdlib).replace(b"\n", b"\n    ")


def _encode(data: Any, *, stdlib: bool = False) -> bytes:
    """``dumps(data)`` without its final newline, as UTF-8 (orjson unless told otherwise or
    it refuses the value; see :func:`dumps_catalog`)."""
    if not stdlib:
        try:
            return orjson.dumps(data, option=_ORJSON_OPTIONS)
        except (TypeError, orjson.JSONEncodeError):
            pass
    return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False).encode("utf-8")


def _has_float(values: dict[str, Any]) -> bool:
    return any(
        isinstance(v, float) or (isinstance(v, list) and any(isinstance(x, float) for x in v))
        for v in values.values()
    )


_NO_ENTRIES = b'{\n  "entries": [],\n'


def catalog_chunks(head: Catalog, entries: Sequence[bytes]) -> Iterator[bytes]:
    """The catalogue file in pieces: ``head`` (a catalogue with no entries: list, summary,
    schema version) with ``entries`` (each from :func:`entry_json`) as its entries."""
    rest = _encode(orjson.loads(head.model_dump_json())) + b"\n"
    if head.entries or not rest.startswith(_NO_ENTRIES):
        raise ValueError("catalog_chunks: the head must be a catalogue without entries")
    if not entries:
        yield rest
        return
    yield b'{\n  "entries": [\n'
    last = len(entries) - 1
    for i, chunk in enumerate(entries):
        yield chunk
        yield b",\n" if i < last else b"\n"
    yield b"  ],\n"
    yield rest[len(_NO_ENTRIES):]


def dumps(data: Any) -> str:
    return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


SCHEMA_ID = "urn:awesome-harvester:catalog:schema-version-1"
"""The published schema's ``$id``: one per ``schema_version`` (added fields keep it)."""


_ORJSON_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS


def dumps_catalog(data: Any) -> str:
    """``dumps`` of a dumped catalogue, byte for byte, with orjson (~10× faster than the
    stdlib's pure-Python indenting encoder).

    The two agree on everything a catalogue holds: strings (UTF-8 unescaped, the same escapes
    for quotes, backslashes and control characters), integers, booleans, null, and keys sorted by
    code point (UTF-8 byte order is code-point order). They differ on floats (``1e+16`` against
    ``1e16``, NaN), which the catalogue model has none of, on integers beyond 64 bits and on
    lone surrogates, which orjson refuses: those fall back to the stdlib encoder."""
    try:
        return orjson.dumps(data, option=_ORJSON_OPTIONS).decode("utf-8") + "\n"
    except (TypeError, orjson.JSONEncodeError):
        return dumps(data)


def schema_json() -> str:
    """The catalogue's JSON Schema as published for consumers. The models reject unknown
    fields, but the published schema allows them (no ``additionalProperties: false``), so
    that a consumer validating a newer catalogue (fields added, a minor change) against an
    older schema still accepts it."""
    schema = Catalog.model_json_schema()
    _allow_additional_properties(schema)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    schema["title"] = "awesome-harvester catalogue (schema_version 1)"
    return dumps(schema)


def _allow_additional_properties(node: Any) -> None:
    if isinstance(node, dict):
        if node.get("additionalProperties") is False:
            del node["additionalProperties"]
        for value in node.values():
            _allow_additional_properties(value)
    elif isinstance(node, list):
        for value in node:
            _allow_additional_properties(value)


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` in one step; raise OutputError if that is impossible."""
    write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one step; raise OutputError if that is impossible."""
    write_chunks_atomic(path, (data,))


def write_chunks_atomic(path: Path, chunks: Iterable[bytes]) -> None:
    """Replace ``path`` with the concatenated ``chunks`` in one step (written as they come,
    never joined in memory); raise OutputError if that is impossible."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"{path}: folder {folder} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write in {folder} ({exc.strerror})") from None
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600 files: publish readable ones
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"{path}: cannot be written ({exc.strerror})") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _sweep(folder, path.name)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _sweep(folder: Path, name: str, older_than: float = 3600.0) -> None:
    """Remove temporary files a killed run left behind (not a concurrent run's fresh ones)."""
    limit = time.time() - older_than
    for leftover in folder.glob(f".{name}.*.tmp"):
        try:
            if leftover.stat().st_mtime < limit:
                leftover.unlink()
        except OSError:
            pass  # gone already, or not ours to remove


def read_catalog(path: Path) -> Catalog:
    """Read and validate a catalogue file."""
    return Catalog.model_validate_json(path.read_bytes())
