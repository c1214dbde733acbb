"""The names `harvester` exports are its public API: removing or moving one breaks users."""

from __future__ import annotations

import inspect

import harvester
from harvester import config, models, pipeline, sources

PUBLIC = {
    "harvest": pipeline.harvest,
    "RunOptions": pipeline.RunOptions,
    "RunReport": pipeline.RunReport,
    "Settings": config.Settings,
    "load_settings": config.load_settings,
    "Catalog": models.Catalog,
    "Entry": models.Entry,
    "Paper": models.Paper,
    "Repo": models.Repo,
    "Source": sources.Source,
    "SourceSpec": sources.SourceSpec,
    "Stage": sources.Stage,
    "EntryView": sources.EntryView,
    "Fetched": sources.Fetched,
    "NotModified": sources.NotModified,
    "Outcome": sources.Outcome,
    "Result": sources.Result,
    "register": sources.register,
    "unregister": sources.unregister,
    "source_names": sources.source_names,
    "run_source": sources.run_source,
}


def test_the_public_names_are_exported_and_are_the_real_objects():
    assert set(harvester.__all__) == {*PUBLIC, "__version__"}
    for name, obj in PUBLIC.items():
        assert getattr(harvester, name) is obj, name


def test_the_harvest_and_fetch_signatures_hold():
    assert list(inspect.signature(harvester.harvest).parameters) == [
        "settings", "options", "transport", "sleep", "reporter"]
    assert list(inspect.signature(harvester.Source.fetch).parameters) == [
        "self", "keys", "cached"]


def test_every_built_in_source_is_registered_with_a_spec_of_its_own():
    names = harvester.source_names()
    assert names == sources.SOURCE_NAMES and len(names) == len(set(names))
    for name in names:
        spec = sources.spec(name)
        assert spec.cls.name == name and spec.stages and spec.urls
