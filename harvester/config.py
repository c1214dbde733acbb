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
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from .errors import ConfigError

if TYPE_CHECKING:
    from .sources.spec import SourceSpec

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


def _registry() -> dict[str, SourceSpec]:
    from .sources import REGISTRY  # the sources import this module: read them when asked

    return REGISTRY


def source_defaults() -> dict[str, dict[str, Any]]:
    """Each source's default settings, as its module declares them (API-NOTES.md)."""
    return {name: dict(spec.defaults) for name, spec in _registry().items()}


def url_defaults() -> dict[str, str]:
    """Every API root by setting name, as the sources declare them."""
    return {name: url for spec in _registry().values() for name, url in spec.urls.items()}


def __getattr__(name: str) -> Any:
    # the tables that used to live here, now derived from the sources' declarations
    if name == "SOURCE_DEFAULTS":
        return source_defaults()
    if name == "URL_DEFAULTS":
        return url_defaults()
    if name == "BATCH_LIMITS":
        return {n: s.batch_limit for n, s in _registry().items() if s.batch_limit is not None}
    raise AttributeError(name)


SETTING_NAMES = tuple(SourceSettings.model_fields)


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    list: str = DEFAULT_LIST
    output: Path = Path("output/catalog.json")
    cache_dir: Path = Path("cache")
    contact: str | None = None
    urls: dict[str, str] = Field(default_factory=url_defaults)
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

    registry = _registry()
    toml_sources = data.get("sources", {})
    bad = set(toml_sources) - set(registry)
    if bad:
        raise ConfigError(f"harvest.toml: unknown source(s): {', '.join(sorted(bad))}")
    sources: dict[str, SourceSettings] = {}
    for name, spec in registry.items():
        merged = dict(spec.defaults)
        merged.update(toml_sources.get(name, {}))
        for setting in SETTING_NAMES:
            value = env.get(f"HARVEST_{name.upper()}_{setting.upper()}")
            if value is not None:
                merged[setting] = value
        settings = SourceSettings.model_validate(merged)
        limit = spec.batch_limit
        if limit is not None and settings.batch_size > limit:
            settings = settings.model_copy(update={"batch_size": limit})
        sources[name] = settings
    fields["sources"] = sources

    urls = url_defaults()
    for name in list(urls):
        value = env.get(f"HARVEST_{name.upper()}_URL")
        if value:
            parts = urlsplit(value)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise ConfigError(f"HARVEST_{name.upper()}_URL: not an http(s) URL")
            urls[name] = value
    fields["urls"] = urls
    if env.get("HARVEST_CONTACT"):
        fields["contact"] = env["HARVEST_CONTACT"]
    for spec in registry.values():
        if spec.secret is None:
            continue
        field, var = spec.secret
        if env.get(var):
            fields[field] = SecretStr(env[var])
    return Settings.model_validate(fields)
