"""``harvest --record DIR``: a run's answers saved, then replayed with the server stopped."""

from __future__ import annotations

import base64
import json

import httpx

from harvester.config import load_settings
from harvester.pipeline import RunOptions, harvest
from harvester.record import Recorder, public_url
from harvester.writers import catalog_json
from tests.fakeapi import FakeAPI, World
from tests.fakeapi.hostile import ListServer
from tests.harness import NEUROFM, Harvest
from tests.recordings import Replay, load_recording

TOKEN = "fake-github-token-for-record-tests-0123456789"
S2_KEY = "s2-record-key-0123456789"
LIST_PASSWORD = "record-list-pass-4321"
LIST_TOKEN = "record-list-token-8765"


def test_a_recorded_run_replays_to_the_same_catalogue_with_the_server_stopped(tmp_path,
                                                                               monkeypatch):
    folder = tmp_path / "recording"
    with FakeAPI(World.neurofm(), compress=True) as api:
        run = Harvest(tmp_path, api)
        result = run("--record", str(folder))
        assert result.returncode == 0, result.stderr
        live = run.output.read_bytes()
        env = run.env
        asked = len(api.requests)
    assert not api.running

    exchanges = load_recording(folder)
    assert len(exchanges) == asked > 10  # every answer, one file each, plus the index
    assert len(list(folder.glob("[0-9]*-*.json"))) == asked
    assert 200 in {e.status for e in exchanges}
    files = sorted(p.name for p in folder.glob("[0-9]*-*.json"))
    assert files[0].startswith("0001-") and any("-arxiv-" in name for name in files)
    # bodies are kept decompressed (the fake server gzipped them), transfer headers dropped
    assert all(e.body[:2] != b"\x1f\x8b" for e in exchanges)
    assert not any(k.lower() == "content-encoding" for e in exchanges for k, _ in e.headers)

    replay = Replay(folder)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    options = RunOptions(list_spec=str(NEUROFM), output=tmp_path / "replayed.json",
                         cache_dir=tmp_path / "fresh-cache")
    report = harvest(load_settings(None), options, transport=replay.transport())
    assert replay.unmatched == []
    assert report.failed == 0
    assert b"".join(report.published.chunks()) == live
    assert catalog_json(report.catalog).encode("utf-8") == live  # read back as models too


def test_replay_answers_in_recorded_order_and_flags_what_was_not_recorded(tmp_path):
    recorder = Recorder(tmp_path)
    request = httpx.Request("GET", "http://127.0.0.1:1/api?id=1&api_key=k")
    recorder.save("s", request, 503, [(b"Retry-After", b"0")], b"busy")
    recorder.save("s", request, 200, [(b"Content-Type", b"application/json")], b'{"ok": 1}')
    replay = Replay(tmp_path)
    with httpx.Client(transport=replay.transport()) as client:
        answers = [client.get("http://127.0.0.1:1/api?id=1&api_key=other") for _ in range(3)]
        missing = client.get("http://127.0.0.1:1/api?id=2")
    assert [a.status_code for a in answers] == [503, 200, 200]
    assert answers[1].json() == {"ok": 1}
    assert missing.status_code == 599 and replay.unmatched == ["GET http://127.0.0.1:1/api?id=2"]


def test_recorded_urls_lose_credentials_and_secret_query_values():
    url = "https://u:pw@api.example.org/x?ids=1,2&api_key=abc&mailto=me%40x.org#frag"
    assert public_url(url) == ("https://api.example.org/x?ids=1%2C2&api_key=%5Bredacted%5D"
                               "&mailto=%5Bredacted%5D")


def test_no_secret_reaches_a_recorded_file(tmp_path):
    folder = tmp_path / "recording"
    with FakeAPI(World.neurofm()) as api, \
            ListServer(NEUROFM.read_text(encoding="utf-8"), auth=("alice", LIST_PASSWORD),
                       token=LIST_TOKEN) as lists:
        run = Harvest(tmp_path, api, GITHUB_TOKEN=TOKEN, S2_API_KEY=S2_KEY)
        host = lists.url.removeprefix("http://")
        spec = f"http://alice:{LIST_PASSWORD}@{host}/list.md?token={LIST_TOKEN}"
        result = run("--record", str(folder), "--list", spec)
        assert result.returncode == 0, result.stderr
        # the secrets were really sent: the token to GitHub, the key to S2, both to the list
        github = [r for r in api.requests if r.api == "github"]
        assert github and all(TOKEN in json.dumps(r.headers) for r in github)
        assert [p for _, p, _ in lists.seen] == [f"/list.md?token={LIST_TOKEN}"]
    basic = base64.b64encode(f"alice:{LIST_PASSWORD}".encode()).decode()
    files = sorted(folder.iterdir())
    assert len(files) > 10
    for path in files:
        data = path.read_bytes()
        for secret in (TOKEN, S2_KEY, LIST_PASSWORD, LIST_TOKEN, basic):
            assert secret.encode() not in data, (path.name, secret)
    listed = [e for e in load_recording(folder) if e.url.startswith(lists.url)]
    assert [e.url for e in listed] == [f"{lists.url}/list.md?token=%5Bredacted%5D"]
    assert listed[0].body == NEUROFM.read_bytes()
    sent = [e.request_headers for e in load_recording(folder)]
    assert not any(k.lower() in ("authorization", "x-api-key", "user-agent")
                   for headers in sent for k in headers)
