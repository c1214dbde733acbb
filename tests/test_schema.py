"""The published JSON Schema: an older schema accepts a newer catalogue; the models stay strict."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from pydantic import ValidationError

from harvester.models import Catalog
from harvester.writers import SCHEMA_ID, schema_json
from tests.test_export import sample


def walk(node: Any):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


MAPS = ("provenance", "annotations")  # objects keyed by data, not by field names


def records(node: Any, key: str | None = None):
    if isinstance(node, dict):
        if key not in MAPS:
            yield node
        for name, value in node.items():
            yield from records(value, name)
    elif isinstance(node, list):
        for value in node:
            yield from records(value, key)


def with_added_fields(data: Any) -> Any:
    """Every record of the catalogue gains a field a later minor version might add."""
    nodes = list(records(data))
    assert len(nodes) > 30
    for node in nodes:
        node["added_in_a_later_version"] = {"nested": [1, "two"]}
    return data


def test_the_schema_has_an_id_and_a_draft() -> None:
    schema = json.loads(schema_json())
    assert schema["$id"] == SCHEMA_ID
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_the_schema_never_forbids_additional_properties() -> None:
    schema = json.loads(schema_json())
    assert not [n for n in walk(schema) if n.get("additionalProperties") is False]
    # ... while the models behind it still do (strict inside)
    assert Catalog.model_json_schema()["additionalProperties"] is False


def test_an_older_schema_accepts_a_newer_catalogue() -> None:
    schema = json.loads(schema_json())
    data = with_added_fields(json.loads(sample().model_dump_json()))
    jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)
    with pytest.raises(ValidationError):  # the harvester itself still rejects unknown fields
        Catalog.model_validate(data)


def test_the_schema_still_rejects_wrong_values() -> None:
    schema = json.loads(schema_json())
    data = json.loads(sample().model_dump_json())
    data["entries"][0]["paper"]["year"] = "soon"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)
    del data["entries"][0]["paper"]["year"]
    del data["entries"][0]["key"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)
