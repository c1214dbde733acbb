from __future__ import annotations

from pathlib import Path

import pytest

from harvester.config import DEFAULT_LIST, load_settings
from harvester.errors import ConfigError


def write(tmp_path, text):
    path = tmp_path / "harvest.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_a_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = load_settings(environ={})
    assert settings.list == DEFAULT_LIST
    assert settings.source("arxiv").min_interval == 3.0
    assert settings.source("arxiv").batch_size == 200
    assert settings.source("semanticscholar").batch_size == 500
    assert settings.source("github").retry_budget == 90
    assert settings.url("arxiv") == "https://export.arxiv.org/api"


def test_toml_then_environment(tmp_path):
    path = write(tmp_path, '[list]\nsource = "x.md"\n[sources.arxiv]\nmin_interval = 5\n')
    settings = load_settings(path, environ={"HARVEST_ARXIV_MIN_INTERVAL": "0",
                                            "HARVEST_ARXIV_URL": "http://127.0.0.1:9/arxiv/"})
    assert settings.list == "x.md"
    assert settings.source("arxiv").min_interval == 0
    assert settings.url("arxiv") == "http://127.0.0.1:9/arxiv"


def test_batch_size_is_capped_at_the_api_limit(tmp_path):
    path = write(tmp_path, "[sources.arxiv]\nbatch_size = 5000\n")
    assert load_settings(path, environ={}).source("arxiv").batch_size == 2000


@pytest.mark.parametrize(
    ("text", "env", "message"),
    [
        ("[sources.nope]\n", {}, "unknown source"),
        ("[sources.arxiv]\nbogus = 1\n", {}, "bogus"),
        ("[sources.arxiv]\nmin_interval = -1\n", {}, "min_interval"),
        ("not = [toml", {}, "harvest.toml"),
        ("", {"HARVEST_GITHUB_CONCURRENCY": "many"}, "concurrency"),
        ("", {"HARVEST_ARXIV_URL": "not a url"}, "HARVEST_ARXIV_URL"),
        ("", {"HARVEST_GITHUB_URL": "ftp://example.org"}, "HARVEST_GITHUB_URL"),
    ],
)
def test_bad_configuration_is_a_clear_error(tmp_path, text, env, message):
    with pytest.raises(ConfigError, match=message):
        load_settings(write(tmp_path, text), environ=env)


def test_secrets_are_hidden(tmp_path):
    settings = load_settings(write(tmp_path, ""), environ={"GITHUB_TOKEN": "ghp_secret",
                                                           "S2_API_KEY": "s2secret"})
    assert settings.github_token.get_secret_value() == "ghp_secret"
    assert "ghp_secret" not in repr(settings) and "s2secret" not in str(settings)


def test_the_shipped_harvest_toml_writes_out_the_declared_defaults(tmp_path):
    # the file says its values are the defaults: a run in the checkout must use the same
    # settings as a run anywhere else
    root = Path(__file__).resolve().parents[1]
    shipped = load_settings(root / "harvest.toml", environ={})
    empty = tmp_path / "harvest.toml"
    empty.write_text("", encoding="utf-8")
    defaults = load_settings(empty, environ={})
    assert set(shipped.sources) == set(defaults.sources)
    for name in defaults.sources:
        assert shipped.source(name) == defaults.source(name), name
