from __future__ import annotations

import os
import time

from harvester.writers import write_atomic


def test_write_replaces_in_one_step_and_sweeps_old_leftovers(tmp_path):
    target = tmp_path / "catalog.json"
    target.write_text("old")
    stale = tmp_path / ".catalog.json.abc.tmp"
    fresh = tmp_path / ".catalog.json.def.tmp"
    stale.write_text("killed run")
    fresh.write_text("a concurrent run, still writing")
    two_hours_ago = time.time() - 7200
    os.utime(stale, (two_hours_ago, two_hours_ago))
    write_atomic(target, "new\n")
    assert target.read_text() == "new\n"
    assert not stale.exists() and fresh.exists()


# --------------------------------------------------------------------------- byte-identical JSON

import json  # noqa: E402

import pytest  # noqa: E402

from harvester.models import Catalog, Entry, ListInfo  # noqa: E402
from harvester.pipeline import summarize  # noqa: E402
from harvester.writers import catalog_json, dumps, dumps_catalog, read_catalog  # noqa: E402
from tests.fakeapi import FakeAPI, World  # noqa: E402
from tests.harness import Harvest  # noqa: E402


def stdlib(data) -> str:
    return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def test_a_real_catalogue_is_written_byte_for_byte_as_the_stdlib_encoder_writes_it(tmp_path):
    with FakeAPI(World.neurofm()) as api:
        harvest = Harvest(tmp_path, api)
        done = harvest()
    assert done.returncode == 0, done.stderr
    catalog = read_catalog(harvest.output)
    data = catalog.model_dump(mode="json")
    assert len(data["entries"]) >= 20  # the neurofm list, every source merged
    assert catalog_json(catalog) == stdlib(data)
    assert harvest.output.read_text(encoding="utf-8") == stdlib(data)


@pytest.mark.parametrize("text", [
    "".join(chr(c) for c in range(0x20)) + '"\\/\x7f', "Ünïcödé — ✓ 𝔘 😀", "\u2028\u2029",
    "</script>", "",
])
def test_strings_nested_lists_and_key_order_encode_the_same(text):
    data = {"b": [text, {"z": 1, "ä": None, "a": True, "𝔘": [], "é": {}}], "a": -(2**63),
            text or "k": [[], [[]], {"x": [1, 2, 3]}], "B": False}
    assert dumps_catalog(data) == stdlib(data)


def test_what_orjson_refuses_falls_back_to_the_stdlib_encoder():
    for data in ({"big": 2**70}, {"lone": "\ud800"}):
        assert dumps_catalog(data) == dumps(data) == stdlib(data)


def test_the_only_float_field_is_annotations_and_it_is_written_as_the_stdlib_does():
    # floats are where orjson and the stdlib write different text (1e16 against 1e+16)
    schema = Catalog.model_json_schema()
    without = {k: v for k, v in schema["$defs"]["Entry"]["properties"].items()
               if k != "annotations"}
    assert '"number"' not in json.dumps({**schema, "$defs": {
        **schema["$defs"], "Entry": {**schema["$defs"]["Entry"], "properties": without}}})
    entry = Entry(key="a", name="A", kind="resource", section=[], text=None, listed_venue=None,
                  links=[], annotations={"parameters": 1e16, "hours": [0.5, 2.0]})
    catalog = Catalog(list=ListInfo(source="x", sha256="0" * 64, title=None),
                      summary=summarize([entry]), entries=[entry])
    text = catalog_json(catalog)
    assert '"parameters": 1e+16' in text
    assert text == dumps(catalog.model_dump(mode="json"))


def test_entries_written_one_by_one_make_the_whole_document(tmp_path):
    # each entry is encoded on its own (floats or not) and the file assembled around them:
    # the same bytes as the whole catalogue through the stdlib encoder, empty or not
    plain = Entry(key="p", name="P", kind="resource", section=["S"], text="t\nu \"q\"",
                  listed_venue=None, links=[], annotations={"notes": "ä\n"})
    floats = Entry(key="f", name="F", kind="resource", section=[], text=None,
                   listed_venue=None, links=[], annotations={"hours": [0.5, 1e16]})
    for entries in ([], [plain], [plain, floats, plain.model_copy(update={"key": "p2"})]):
        catalog = Catalog(list=ListInfo(source="x", sha256="0" * 64, title="T"),
                          summary=summarize(entries), entries=entries)
        assert catalog_json(catalog) == dumps(catalog.model_dump(mode="json"))


def test_chunks_are_written_atomically_and_a_failure_leaves_the_old_file(tmp_path):
    from harvester.writers import write_chunks_atomic

    target = tmp_path / "catalog.json"
    write_chunks_atomic(target, iter([b"a", b"b", b"c\n"]))
    assert target.read_bytes() == b"abc\n"

    def broken():
        yield b"half"
        raise RuntimeError("stopped")

    with pytest.raises(RuntimeError):
        write_chunks_atomic(target, broken())
    assert target.read_bytes() == b"abc\n"
    assert list(tmp_path.glob(".catalog.json.*.tmp")) == []
