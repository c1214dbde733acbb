"""Settings: ``harvest.toml`` in the working folder, overridden by ``HARVEST_*`` variables.

Layering, lowest first: built-in defaults → ``harvest.toml`` → environment → command line.
Per-source settings are ``[sources.<name>]`` tables in the TOML file and
``HARVEST_<SOURCE>_<SETTING>`` variables (``HARVEST_ARXIV_MIN_INTERVAL=0``). Secrets come from
``GITHUB_TOKEN``, ``S2_API_KEY`` and ``OPENALEX_API_KEY`` only, are held as ``SecretStr`` and never
printed: ``Settings.__repr__`` hides them and nothing writes them to the cache or the output.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from .errors import ConfigError
from .models import SOURCE_NAMES

DEFAULT_LIST = "github:mazabou/awesome-neurofm"
DAY = 86400.0


class SourceSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    batch_size: int = Field(default=1, ge=1)
    """Ids per request, capped by the API's own limit."""
    min_interval: float = Field(default=0.0, ge=0)
    """Seconds between the starts of two requests to this source's host."""
    concurrency: int = Field(default=1, ge=1)
    """Requests in flight at once to this host."""
    ttl: float = Field(default=7 * DAY, ge=0)
    """Seconds a cached record stays fresh; older ones are fetched again (and kept as the last
    good value if that fails)."""
    retry_budget: float = Field(default=90.0, ge=0)
    """The most seconds one run spends waiting on retries and timed-out requests to this
    source; after that its remaining look-ups fail for this run and keep their values."""
    timeout: float = Field(default=20.0, gt=0)
    """Seconds without an answer after which a request is abandoned."""
    max_wait: float = Field(default=60.0, ge=0)
    """The longest single wait before a retry, whatever Retry-After asks for."""
    deadline: float = Field(default=60.0, gt=0)
    """Seconds one request may take in all (connect, headers, body), however steadily the server
    trickles; over it the request is abandoned and the time counts toward ``retry_budget``."""
    max_bytes: int = Field(default=8 * 1024 * 1024, ge=1)
    """The most bytes of one response body, counted after decompression; over it the answer
    is an invalid response."""


# Defaults follow each API's published terms (see API-NOTES.md): arXiv asks for one request
# every 3 s and one connection; Semantic Scholar keys get 1 request/s; Crossref's public pool
# allows 5 requests/s and one at a time; bioRxiv publishes no limit, clients use about 1/s.
SOURCE_DEFAULTS: dict[str, dict[str, Any]] = {
    "arxiv": {"batch_size": 200, "min_interval": 3.0, "ttl": 30 * DAY},
    "openreview": {"batch_size": 200, "min_interval": 1.0, "ttl": 7 * DAY},
    "biorxiv": {"batch_size": 50, "min_interval": 1.0, "ttl": 7 * DAY},
    "crossref": {"batch_size": 50, "min_interval": 0.2, "ttl": 30 * DAY},
    "neurips": {"batch_size": 500, "min_interval": 1.0, "ttl": 90 * DAY},
    "semanticscholar": {"batch_size": 500, "min_interval": 1.0, "ttl": 7 * DAY},
    "openalex": {"batch_size": 50, "min_interval": 0.1, "ttl": 7 * DAY},
    "github": {"batch_size": 100, "min_interval": 0.0, "concurrency": 4, "ttl": 1 * DAY},
}
BATCH_LIMITS = {"arxiv": 2000, "semanticscholar": 500, "openalex": 100, "github": 100,
                "openreview": 1000, "crossref": 50, "biorxiv": 50}

URL_DEFAULTS = {
    "arxiv": "https://export.arxiv.org/api",
    "openreview": "https://api2.openreview.net",
    "openreview_v1": "https://api.openreview.net",
    "github": "https://api.github.com",
    "semanticscholar": "https://api.semanticscholar.org/graph/v1",
    "openalex": "https://api.openalex.org",
    "crossref": "https://api.crossref.org",
    "biorxiv": "https://api.biorxiv.org",
    "neurips": "https://proceedings.neurips.cc",
}

SETTING_NAMES = tuple(SourceSettings.model_fields)


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    list: str = DEFAULT_LIST
    output: Path = Path("output/catalog.json")
    cache_dir: Path = Path("cache")
    contact: str | None = None
    urls: dict[str, str] = Field(default_factory=lambda: dict(URL_DEFAULTS))
    sources: dict[str, SourceSettings] = Field(default_factory=dict)
    github_token: SecretStr | None = None
    s2_api_key: SecretStr | None = None
    openalex_api_key: SecretStr | None = None
    annotations_file: Path | None = None
    """``[annotations] file``: relative to the folder of ``harvest.toml``."""

    def source(self, name: str) -> SourceSettings:
        return self.sources[name]

    def url(self, name: str) -> str:
        return self.urls[name].rstrip("/")


def load_settings(
    config_path: Path | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """Build the settings from ``harvest.toml`` (if present) and the environment."""
    env = os.environ if environ is None else environ
    path = config_path if config_path is not None else Path("harvest.toml")
    data: dict[str, Any] = {}
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{path}: {exc}") from None
    elif config_path is not None:
        raise ConfigError(f"{path}: no such configuration file")
    try:
        return _build(data, env)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(f"invalid configuration: {problems}") from None


def _build(data: dict[str, Any], env: Mapping[str, str]) -> Settings:
    unknown = set(data) - {"list", "output", "sources", "annotations"}
    if unknown:
        raise ConfigError(f"harvest.toml: unknown section(s): {', '.join(sorted(unknown))}")
    list_table = data.get("list", {})
    output_table = data.get("output", {})
    fields: dict[str, Any] = {}
    if "source" in list_table:
        fields["list"] = list_table["source"]
    if "catalog" in output_table:
        fields["output"] = output_table["catalog"]
    if "cache_dir" in output_table:
        fields["cache_dir"] = output_table["cache_dir"]
    if "file" in data.get("annotations", {}):
        fields["annotations_file"] = data["annotations"]["file"]

    toml_sources = data.get("sources", {})
    bad = set(toml_sources) - set(SOURCE_NAMES)
    if bad:
        raise ConfigError(f"harvest.toml: unknown source(s): {', '.join(sorted(bad))}")
    sources: dict[str, SourceSettings] = {}
    for name in SOURCE_NAMES:
        merged = dict(SOURCE_DEFAULTS.get(name, {}))
        merged.update(toml_sources.get(name, {}))
        for setting in SETTING_NAMES:
            value = env.get(f"HARVEST_{name.upper()}_{setting.upper()}")
            if value is not None:
                merged[setting] = value
        settings = SourceSettings.model_validate(merged)
        limit = BATCH_LIMITS.get(name)
        if limit is not None and settings.batch_size > limit:
            settings = settings.model_copy(update={"batch_size": limit})
        sources[name] = settings
    fields["sources"] = sources

    urls = dict(URL_DEFAULTS)
    for name in URL_DEFAULTS:
        value = env.get(f"HARVEST_{name.upper()}_URL")
        if value:
            parts = urlsplit(value)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise ConfigError(f"HARVEST_{name.upper()}_URL: not an http(s) URL")
            urls[name] = value
    fields["urls"] = urls
    if env.get("HARVEST_CONTACT"):
        fields["contact"] = env["HARVEST_CONTACT"]
    for field, var in (
        ("github_token", "GITHUB_TOKEN"),
        ("s2_api_key", "S2_API_KEY"),
        ("openalex_api_key", "OPENALEX_API_KEY"),
    ):
        if env.get(var):
            fields[field] = SecretStr(env[var])
    return Settings.model_validate(fields)
