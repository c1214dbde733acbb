"""A faithful local imitation of every API the harvester calls (see ``server.py``).

    from tests.fakeapi import FakeAPI, Fault, World
    with FakeAPI(World.neurofm()) as api:
        env = api.env()      # HARVEST_*_URL for the harvester
        ...
        api.counts["arxiv"], api.requests, api.set_fault("github", Fault("status", 503))
"""

from .server import API_NAMES, FakeAPI, Fault, Limits, RecordedRequest
from .world import Paper, Repo, World, normalise_title

__all__ = ["API_NAMES", "FakeAPI", "Fault", "Limits", "Paper", "RecordedRequest", "Repo",
           "World", "normalise_title"]
