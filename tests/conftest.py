"""Shared test fixtures: settings with zero pacing, an Http whose waits are recorded, not slept."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from harvester.config import Settings, load_settings
from harvester.http import Http
from harvester.sources import source_names


class FakeClock:
    """A monotonic clock that only moves when the code under test 'sleeps'."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def settings(tmp_path) -> Settings:
    """Defaults as shipped, but no pacing, read from an empty environment."""
    env = {f"HARVEST_{name.upper()}_MIN_INTERVAL": "0" for name in source_names()}
    config = tmp_path / "harvest.toml"
    config.write_text("", encoding="utf-8")
    return load_settings(config, environ=env)


@pytest.fixture
def make_http(settings, clock) -> Callable[..., Http]:
    """``make_http(handler_or_transport, settings=None)`` → Http over an httpx.MockTransport."""
    made: list[Http] = []

    def build(handler, settings_: Settings | None = None) -> Http:
        transport = handler if isinstance(handler, httpx.BaseTransport) else httpx.MockTransport(
            handler
        )
        http = Http(settings_ or settings, transport=transport, sleep=clock.sleep, clock=clock,
                    jitter=lambda: 0.5)
        made.append(http)
        return http

    yield build
    for http in made:
        http.close()
