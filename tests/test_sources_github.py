"""GitHub source: REST and GraphQL on the recorded PyGithub ReplayData, rate limits, fetch_file.

Recorded exchanges: tests/fixtures/github/pygithub-replaydata/*.txt (every file is used below).
Shapes GitHub documents but nobody recorded are built from API-NOTES.md part 2 and say so.
"""

from __future__ import annotations

import base64
import email.utils
import json
import re
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from pydantic import SecretStr

from harvester.cache import CachedRecord, RecordCache, iso
from harvester.errors import Blocked, InvalidResponse, NotFound, RateLimited
from harvester.http import LaneStats
from harvester.sources.base import Fetched, NotModified, run_source
from harvester.sources.github import (
    REPO_FIELDS,
    GithubSource,
    build_query,
    classify,
    classify_graphql,
    fetch_file,
    note_quota,
    parse_contents,
    parse_graphql_repo,
    parse_repo,
    read_graphql,
    split_key,
)
from tests.recordings import Exchange, fixture, load_replaydata

NOW = datetime(2026, 6, 1, tzinfo=UTC)
TOKEN = "ghp_not_a_real_token_0123456789"
ROOT = "https://api.github.com"


def replay(name: str) -> list[Exchange]:
    return load_replaydata(fixture("github", "pygithub-replaydata", f"{name}.txt"))


def with_token(settings):
    return settings.model_copy(update={"github_token": SecretStr(TOKEN)})


def epoch(http_date: str) -> float:
    return email.utils.parsedate_to_datetime(http_date).timestamp()


def header(exchange: Exchange, name: str) -> str | None:
    return next((v for k, v in exchange.headers if k.lower() == name), None)


def variant(exchange: Exchange, *, status: int | None = None, body: bytes | None = None,
            set_headers: dict[str, str] | None = None, drop: tuple[str, ...] = ()) -> Exchange:
    """A recorded exchange with some headers or the body changed (each use says why)."""
    changed = {k.lower() for k in set_headers or {}} | set(drop)
    headers = [(k, v) for k, v in exchange.headers if k.lower() not in changed]
    headers += list((set_headers or {}).items())
    return Exchange(exchange.method, exchange.url, exchange.request_headers, exchange.request_body,
                    status or exchange.status, headers,
                    exchange.body if body is None else body)


class Server:
    """A MockTransport handler serving exchanges in order and keeping the requests it saw."""

    def __init__(self, *exchanges: Exchange) -> None:
        self.queue = list(exchanges)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        exchange = self.queue.pop(0)
        assert request.method == exchange.method
        assert request.url.path.lower() == httpx.URL(exchange.url).path.lower()
        return exchange.response(request)


def github(make_http, server, settings) -> GithubSource:
    return GithubSource(make_http(server, settings), settings)


# --------------------------------------------------------------------------- REST parsing


def test_parse_repo_reads_the_modern_body():
    record = parse_repo(replay("Repository.setUp")[0].body)
    assert record.model_dump(exclude_none=True) == {
        "full_name": "PyGithub/PyGithub",
        "url": "https://github.com/PyGithub/PyGithub",
        "stars": 7122,
        "forks": 1793,
        "open_issues": 357,
        "watchers": 111,  # subscribers_count; watchers_count (7122) is the star count
        "pushed_at": "2024-12-19T12:01:11Z",
        "created_at": "2012-02-25T12:53:47Z",
        "license": "LGPL-3.0",
        "archived": False,
        "topics": ["github", "github-api", "pygithub", "python"],
        "description": "Typed interactions with the GitHub API v3",
        "homepage": "https://pygithub.readthedocs.io/",
        "language": "Python",
        "github_id": 3544490,
    }


def test_parse_repo_reads_a_2013_body_without_stargazers_count():
    record = parse_repo(replay("ConditionalRequestUpdate.setUp")[0].body)
    assert record.full_name == "akfish/PyGithub"
    assert record.stars == 0 and record.forks == 0  # watchers_count was the star count then
    assert record.watchers is None  # no subscribers_count: unknown, not 0
    assert record.license is None and record.topics == [] and record.archived is False


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"homepage": ""}, {"homepage": None}),
        ({"description": None}, {"description": None}),
        ({"license": {"key": "other", "spdx_id": "NOASSERTION"}}, {"license": None}),
        ({"license": None}, {"license": None}),
        ({"archived": True}, {"archived": True}),
    ],
)
def test_parse_repo_unknowns_are_none(change, expected):
    data = json.loads(replay("Repository.setUp")[0].body)
    record = parse_repo(json.dumps({**data, **change}).encode())
    assert {k: getattr(record, k) for k in expected} == expected


@pytest.mark.parametrize(
    "body",
    [
        b"<html><body>Unicorn!</body></html>",
        b"[]",
        b'{"full_name": "a/b", "html_url": "https://github.com/a/b"}',
        b'{"full_name": "a/b", "html_url": "https://github.com/a/b", "stargazers_count": "7",'
        b' "forks_count": 1, "open_issues_count": 0}',
    ],
)
def test_parse_repo_rejects_what_is_not_a_repository(body):
    with pytest.raises(InvalidResponse):
        parse_repo(body)


# --------------------------------------------------------------------------- REST fetch


def test_rest_fetch_sends_versioned_headers_and_keeps_validators(make_http, settings):
    recorded = replay("Repository.setUp")[0]
    server = Server(recorded)
    source = github(make_http, server, settings)
    assert source.batch_size() == 1
    outcome = source.fetch(["pygithub/pygithub"], {})["pygithub/pygithub"]
    request = server.requests[0]
    assert str(request.url) == f"{ROOT}/repos/pygithub/pygithub"
    assert request.headers["accept"] == "application/vnd.github+json"
    assert request.headers["x-github-api-version"] == "2022-11-28"
    assert "authorization" not in request.headers
    assert "if-none-match" not in request.headers
    assert isinstance(outcome, Fetched)
    assert outcome.data["full_name"] == "PyGithub/PyGithub" and outcome.data["stars"] == 7122
    assert outcome.validators == {
        "etag": header(recorded, "etag"),
        "last_modified": "Mon, 06 Jan 2025 21:35:40 GMT",
        "auth": "none",
    }
    assert source.http.stats("github").notes["quota_remaining"] == {"core": 4999}


def test_a_renamed_repo_is_followed_by_a_second_request(make_http, settings):
    moved, target = replay("Repository.testGetRepositoryWith301Redirect")
    server = Server(moved, target)
    outcome = github(make_http, server, settings).fetch(["protoncoin/protoncoin"], {})
    assert [str(r.url) for r in server.requests] == [
        f"{ROOT}/repos/protoncoin/protoncoin",
        f"{ROOT}/repositories/112116543",
    ]
    assert server.requests[1].headers["x-github-api-version"] == "2022-11-28"
    record = outcome["protoncoin/protoncoin"].data
    assert record["full_name"] == "padima2/protoncoin"  # the pipeline sets renamed_from
    assert record["github_id"] == 112116543 and record["license"] == "MIT"
    assert "topics" in record and record["topics"] == []  # 2018 body has no topics


def test_a_redirect_to_another_host_is_not_followed(make_http, settings):
    moved = replay("Repository.testGetRepositoryWith301Redirect")[0]
    # recorded 301 with its location pointed off the API host (never send headers elsewhere)
    elsewhere = variant(moved, set_headers={"location": "https://evil.example/repositories/1"})
    server = Server(elsewhere)
    outcome = github(make_http, server, settings).fetch(["protoncoin/protoncoin"], {})
    assert isinstance(outcome["protoncoin/protoncoin"], InvalidResponse)
    assert len(server.requests) == 1


def test_refresh_sends_the_etag_and_a_304_keeps_the_record(make_http, settings, tmp_path):
    first = replay("ConditionalRequestUpdate.setUp")[0]
    second = replay("ConditionalRequestUpdate.testDidNotUpdate")[0]
    server = Server(first, second)
    source = github(make_http, server, settings)
    with RecordCache(tmp_path / "cache") as cache:
        before = run_source(source, ["akfish/pygithub"], cache, "normal", NOW)["akfish/pygithub"]
        later = NOW + timedelta(hours=3)
        after = run_source(source, ["akfish/pygithub"], cache, "refresh", later)["akfish/pygithub"]
        stored = cache.get("github", "akfish/pygithub")
    conditional = server.requests[1]
    assert conditional.headers["if-none-match"] == second.request_headers["If-None-Match"]
    assert conditional.headers["if-modified-since"] == second.request_headers["If-Modified-Since"]
    assert after.status == "ok" and after.record == before.record
    assert after.record["full_name"] == "akfish/PyGithub"
    assert after.fetched_at == iso(later) != before.fetched_at
    assert stored.validators["auth"] == "none"
    assert (before.via, after.via) == ("fetch", "304")
    assert source.http.stats("github").requests == 2
    # the 304 was not charged
    assert source.http.stats("github").notes["quota_remaining"] == {"core": 4988}


def test_validators_from_another_auth_mode_are_not_sent(make_http, settings):
    recorded = replay("Repository.setUp")[0]
    server = Server(recorded)
    cached = CachedRecord("ok", {"full_name": "PyGithub/PyGithub"}, iso(NOW),
                          {"etag": 'W/"x"', "last_modified": "Mon, 06 Jan 2025 21:35:40 GMT",
                           "auth": "token"})
    github(make_http, server, settings).fetch(["pygithub/pygithub"], {"pygithub/pygithub": cached})
    assert "if-none-match" not in server.requests[0].headers
    assert "if-modified-since" not in server.requests[0].headers


def test_an_unknown_repo_is_not_found(make_http, settings, tmp_path):
    missing = replay("Exceptions.testUnknownObject")[1]  # [0] is GET /user, not used here
    source = github(make_http, Server(missing), settings)
    with RecordCache(tmp_path / "cache") as cache:
        result = run_source(source, ["jacquev6/xxx"], cache, "normal", NOW)["jacquev6/xxx"]
    assert result.status == "not_found" and result.record is None


@pytest.mark.parametrize("key", ["no-slash", "a/b/c", "a b/c", "owner/..", 'o"/r', "/repo"])
def test_keys_that_are_not_repo_names_are_not_sent(make_http, settings, key):
    server = Server()
    outcome = github(make_http, server, settings).fetch([key], {})[key]
    assert isinstance(outcome, NotFound) and server.requests == []
    assert split_key(key) is None


def test_an_html_200_is_an_invalid_response(make_http, settings):
    recorded = replay("Repository.setUp")[0]
    # recorded headers, body replaced by an HTML error page (a proxy or captive portal)
    html = variant(recorded, body=b"<!DOCTYPE html><html><body>Sign in</body></html>")
    outcome = github(make_http, Server(html), settings).fetch(["pygithub/pygithub"], {})
    assert isinstance(outcome["pygithub/pygithub"], InvalidResponse)


# --------------------------------------------------------------------------- rate limits


def test_quota_headers_are_noted_per_resource():
    stats = LaneStats()
    for exchange in replay("RateLimiting.testRateLimiting"):
        note_quota(stats, exchange.response(httpx.Request("GET", exchange.url)), "core")
    assert stats.notes["quota_remaining"] == {"core": 4903}
    graphql = replay("GraphQl.testQuery")[0]
    note_quota(stats, graphql.response(httpx.Request("POST", graphql.url)), "graphql")
    assert stats.notes["quota_remaining"] == {"core": 4903, "graphql": 4979}


def _classify(exchange: Exchange, clock=lambda: pytest.fail("the Date header gives now")):
    return classify(exchange.response(httpx.Request(exchange.method, exchange.url)), clock=clock)


def test_recorded_primary_limit_403_without_reset_waits_a_minute():
    _, limited = replay("SpecificExceptions.testRateLimitExceeded")
    error = _classify(limited)
    assert isinstance(error, RateLimited) and error.retry_after == 60
    assert "92.104" not in error.message  # the body (with the caller's IP) is not copied


def test_primary_limit_waits_until_the_reset_measured_from_the_date_header():
    _, limited = replay("SpecificExceptions.testRateLimitExceeded")
    # documented shape (API-NOTES.md part 2 §1 "Primary rate limits"), not recorded: the
    # recorded 2013 403 plus the x-ratelimit-reset header modern answers carry
    reset = int(epoch(header(limited, "date"))) + 1234
    error = _classify(variant(limited, set_headers={"x-ratelimit-reset": str(reset)}))
    assert isinstance(error, RateLimited) and error.retry_after == 1234


def test_without_a_date_header_the_clock_gives_now():
    _, limited = replay("SpecificExceptions.testRateLimitExceeded")
    # documented shape (API-NOTES.md part 2 §1), not recorded: reset header, no Date
    built = variant(limited, set_headers={"x-ratelimit-reset": "2000000100"}, drop=("date",))
    assert _classify(built, clock=lambda: 2_000_000_000.0).retry_after == 100
    assert _classify(built, clock=lambda: 2_000_000_500.0).retry_after == 0


def test_recorded_abuse_detection_403_waits_its_retry_after():
    limited = replay("SpecificExceptions.testAuthenticatedRateLimitExceeded")[1]
    error = _classify(limited)
    assert isinstance(error, RateLimited) and error.retry_after == 60


@pytest.mark.parametrize(
    ("status", "message", "kind", "wait"),
    [
        # documented shapes (API-NOTES.md part 2 §1 "Secondary rate limits"), not recorded
        (403, "You have exceeded a secondary rate limit. Please wait a few minutes before you "
              "try again.", RateLimited, 60),
        (429, "You have exceeded a secondary rate limit.", RateLimited, 60),
        (429, "", RateLimited, 60),
        (403, "Resource not accessible by integration", Blocked, None),
    ],
)
def test_secondary_limits_and_plain_403s(status, message, kind, wait):
    limited = replay("SpecificExceptions.testAuthenticatedRateLimitExceeded")[1]
    built = variant(limited, status=status, body=json.dumps({"message": message}).encode(),
                    drop=("retry-after",))
    error = _classify(built)
    assert type(error) is kind
    assert getattr(error, "retry_after", None) == wait


def test_successes_and_other_statuses_are_left_to_the_http_layer():
    assert _classify(replay("Repository.setUp")[0]) is None
    assert _classify(replay("Exceptions.testUnknownObject")[1]) is None


def _primary_limit(reset_in: int) -> Exchange:
    """The recorded Repository.setUp answer turned into a spent-quota 403 (documented shape,
    API-NOTES.md part 2 §1 "Primary rate limits"; no modern 403 was recorded)."""
    recorded = replay("Repository.setUp")[0]
    reset = int(epoch(header(recorded, "date"))) + reset_in
    return variant(recorded, status=403,
                   body=b'{"message":"API rate limit exceeded for 192.0.2.1."}',
                   set_headers={"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(reset)})


def test_the_http_layer_waits_for_a_short_reset(make_http, settings, clock):
    server = Server(_primary_limit(30), replay("Repository.setUp")[0])
    source = github(make_http, server, settings)
    outcome = source.fetch(["pygithub/pygithub"], {})["pygithub/pygithub"]
    assert isinstance(outcome, Fetched) and outcome.data["stars"] == 7122
    assert clock.sleeps == [30]
    assert not source.http.exhausted("github")


def test_the_http_layer_stops_github_for_a_long_reset(make_http, settings, clock):
    server = Server(_primary_limit(1800))
    source = github(make_http, server, settings)
    outcome = source.fetch(["pygithub/pygithub"], {})["pygithub/pygithub"]
    assert isinstance(outcome, RateLimited) and outcome.retry_after == 1800
    assert clock.sleeps == [] and source.http.exhausted("github")
    later = source.fetch(["akfish/pygithub"], {})["akfish/pygithub"]
    # a spent quota stays a rate limit with its reset time, never "retry budget spent"
    assert isinstance(later, RateLimited) and len(server.requests) == 1
    assert "resets" in later.message and "budget" not in later.message
    assert "GITHUB_TOKEN" in later.message  # no token here: the hint that one raises the limit
    assert source.http.stats("github").notes["quota_remaining"] == {"core": 0}


def test_the_recorded_abuse_limit_costs_one_minute_then_succeeds(make_http, settings, clock):
    limited = replay("SpecificExceptions.testAuthenticatedRateLimitExceeded")[1]
    limited = Exchange("GET", f"{ROOT}/repos/pygithub/pygithub", {}, None, limited.status,
                       limited.headers, limited.body)  # same answer, to our URL
    server = Server(limited, replay("Repository.setUp")[0])
    outcome = github(make_http, server, settings).fetch(["pygithub/pygithub"], {})
    assert isinstance(outcome["pygithub/pygithub"], Fetched)
    assert clock.sleeps == [60]


# --------------------------------------------------------------------------- GraphQL


def graphql_answer(payload: dict, **headers: str) -> Exchange:
    """A GraphQL answer with the recorded GraphQl.testQuery headers and a built body."""
    recorded = replay("GraphQl.testQuery")[0]
    return variant(recorded, body=json.dumps(payload).encode(), set_headers=headers)


REPO_NODE = {  # documented shape (API-NOTES.md part 2 §2), values of the recorded REST body
    "nameWithOwner": "PyGithub/PyGithub",
    "url": "https://github.com/PyGithub/PyGithub",
    "description": "Typed interactions with the GitHub API v3",
    "homepageUrl": "https://pygithub.readthedocs.io/",
    "stargazerCount": 7122,
    "forkCount": 1793,
    "watchers": {"totalCount": 111},
    "issues": {"totalCount": 300},
    "pullRequests": {"totalCount": 57},
    "pushedAt": "2024-12-19T12:01:11Z",
    "createdAt": "2012-02-25T12:53:47Z",
    "isArchived": False,
    "licenseInfo": {"spdxId": "LGPL-3.0"},
    "repositoryTopics": {"nodes": [{"topic": {"name": "github"}}, {"topic": {"name": "python"}}]},
    "primaryLanguage": {"name": "Python"},
    "databaseId": 3544490,
}


def test_graphql_node_gives_the_same_record_as_rest():
    rest = parse_repo(replay("Repository.setUp")[0].body)
    graphql = parse_graphql_repo(REPO_NODE)
    assert graphql.open_issues == rest.open_issues == 357  # issues + pull requests, as REST
    assert graphql.model_dump(exclude={"topics"}) == rest.model_dump(exclude={"topics"})


def test_query_asks_star_count_not_the_stargazers_connection():
    query = build_query({"r0": ("joel99", "ndt3"), "r1": ("mackelab", "LDNS")})
    assert 'r0: repository(owner: "joel99", name: "ndt3")' in query
    assert 'r1: repository(owner: "mackelab", name: "LDNS")' in query
    assert "stargazerCount" in query and not re.search(r"\bstargazers\b", query)
    assert "pullRequests(states: OPEN) { totalCount }" in query
    assert query.count(REPO_FIELDS) == 2
    assert "rateLimit { cost remaining resetAt }" in query


def test_token_mode_posts_one_query_for_the_batch(make_http, settings):
    settings = with_token(settings)
    keys = [f"owner/repo{i}" for i in range(100)]
    answer = graphql_answer({"data": {f"r{i}": {**REPO_NODE, "nameWithOwner": f"owner/repo{i}"}
                                      for i in range(100)}})
    server = Server(answer)
    source = github(make_http, server, settings)
    assert source.batch_size() == 100
    outcomes = source.fetch(keys, {})
    request = server.requests[0]
    assert str(request.url) == f"{ROOT}/graphql" and len(server.requests) == 1
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    query = json.loads(request.content)["query"]
    assert 'r99: repository(owner: "owner", name: "repo99")' in query
    assert [outcomes[k].data["full_name"] for k in keys] == [f"owner/repo{i}" for i in range(100)]
    assert source.http.stats("github").notes["quota_remaining"] == {"graphql": 4979}


def test_recorded_query_answer_without_our_alias_is_invalid_for_that_repo(make_http, settings):
    # GraphQl.testQuery answers {"data": {"repository": {"url": ...}}}: no r0, no error
    server = Server(replay("GraphQl.testQuery")[0])
    outcome = github(make_http, server, with_token(settings)).fetch(["pygithub/pygithub"], {})
    assert isinstance(outcome["pygithub/pygithub"], InvalidResponse)
    assert "r0" in outcome["pygithub/pygithub"].message


def test_recorded_node_answers_map_errors_by_path():
    found, missing, typename_only = replay("GraphQl.testNode")
    assert read_graphql(missing.body, {"node": "some/repo"}) == {"some/repo": Fetched(None)}
    # nodes that are not repositories have none of the required fields
    for answer in (found, typename_only):
        outcome = read_graphql(answer.body, {"node": "some/repo"})["some/repo"]
        assert isinstance(outcome, InvalidResponse) and "stars" in outcome.message
    # GraphQl.testQuery's repository node asked only for url: not a record
    with pytest.raises(InvalidResponse):
        parse_graphql_repo(json.loads(replay("GraphQl.testQuery")[0].body)["data"]["repository"])


def test_multi_alias_errors_stay_with_their_repo():
    # documented shape (API-NOTES.md part 2 §2 "A missing repo inside an otherwise successful
    # response"), not recorded
    body = json.dumps({
        "data": {
            "r0": REPO_NODE,
            "r1": None,
            "r2": None,
            "r3": {**REPO_NODE, "licenseInfo": None},
            "r5": None,
            "rateLimit": {"cost": 1, "remaining": 4999, "resetAt": "2026-06-01T01:00:00Z"},
        },
        "errors": [
            {"type": "NOT_FOUND", "path": ["r1"],
             "message": "Could not resolve to a Repository with the name 'gone/away'."},
            {"type": "FORBIDDEN", "path": ["r2"], "message": "Resource not accessible"},
            {"type": "INTERNAL", "path": ["r3", "licenseInfo"], "message": "timeout"},
        ],
    }).encode()
    keys = {f"r{i}": f"o/k{i}" for i in range(6)}
    outcomes = read_graphql(body, keys)
    assert outcomes["o/k0"].data["stars"] == 7122
    assert outcomes["o/k1"] == Fetched(None)
    assert isinstance(outcomes["o/k2"], Blocked)
    assert outcomes["o/k3"].data["full_name"] == "PyGithub/PyGithub"
    assert "license" not in outcomes["o/k3"].data  # the failed sub-field is unknown
    assert isinstance(outcomes["o/k4"], InvalidResponse)  # alias absent, no error
    assert isinstance(outcomes["o/k5"], InvalidResponse)  # null, no error


@pytest.mark.parametrize(
    "body",
    [b"<html>502 Bad Gateway</html>", b"[]",
     b'{"errors": [{"message": "Parse error on \\"}\\" (RCURLY) at [2, 3]"}]}'],
)
def test_answers_without_data_fail_the_batch(body):
    with pytest.raises(InvalidResponse):
        read_graphql(body, {"r0": "a/b"})


def test_graphql_rate_limited_200_waits_for_the_reset(make_http, settings, clock):
    recorded = replay("GraphQl.testQuery")[0]
    reset = int(epoch(header(recorded, "date"))) + 20
    # documented shape (API-NOTES.md part 2 §2), not recorded: 200, RATE_LIMITED, quota 0
    limited = graphql_answer(
        {"errors": [{"type": "RATE_LIMITED", "message": "API rate limit exceeded for user ID 1."}]},
        **{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(reset)},
    )
    request = httpx.Request("POST", f"{ROOT}/graphql")
    error = classify_graphql(limited.response(request), clock=lambda: pytest.fail("Date"))
    assert isinstance(error, RateLimited) and error.retry_after == 20
    assert classify_graphql(recorded.response(request)) is None
    server = Server(limited, graphql_answer({"data": {"r0": REPO_NODE}}))
    outcome = github(make_http, server, with_token(settings)).fetch(["pygithub/pygithub"], {})
    assert outcome["pygithub/pygithub"].data["full_name"] == "PyGithub/PyGithub"
    assert clock.sleeps == [20]


def test_graphql_batch_failure_reaches_every_key_and_bad_keys_are_not_sent(
    make_http, settings
):
    # the recorded REST 403 "Resource not accessible" analogue: a plain 403 (documented shape)
    forbidden = graphql_answer({"message": "Resource not accessible by integration"})
    forbidden = variant(forbidden, status=403)
    server = Server(forbidden)
    outcomes = github(make_http, server, with_token(settings)).fetch(["a/b", "c/d", "x y/z"], {})
    assert isinstance(outcomes["a/b"], Blocked) and isinstance(outcomes["c/d"], Blocked)
    assert isinstance(outcomes["x y/z"], NotFound)
    assert "x y" not in json.loads(server.requests[0].content)["query"]
    assert TOKEN not in outcomes["a/b"].message


def test_a_404_from_the_graphql_endpoint_says_nothing_about_the_repos(make_http, settings):
    missing = replay("Exceptions.testUnknownObject")[1]
    missing = Exchange("POST", f"{ROOT}/graphql", {}, None, 404, missing.headers, missing.body)
    outcome = github(make_http, Server(missing), with_token(settings)).fetch(["a/b"], {})
    assert isinstance(outcome["a/b"], InvalidResponse)  # not cached as "not found"


# --------------------------------------------------------------------------- fetch_file

LIST_TEXT = "# Awesome Neuro-FM\n\n- [NDT3](https://github.com/joel99/ndt3) — café\n"


def contents_answer(text: str = LIST_TEXT) -> Exchange:
    """Documented shape (GitHub REST "Get repository content": ``{"type": "file", "encoding":
    "base64", "content": …}``, not in API-NOTES.md and not recorded) with the recorded
    Repository.setUp headers (ETag, Last-Modified, quota)."""
    encoded = base64.encodebytes(text.encode("utf-8")).decode()
    payload = {"type": "file", "name": "README.md", "path": "README.md", "size": len(text),
               "encoding": "base64", "content": encoded}
    return variant(replay("Repository.setUp")[0], body=json.dumps(payload).encode())


class FileServer(Server):
    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.queue.pop(0).response(request)


def test_fetch_file_reads_the_readme_and_its_validators(make_http):
    server = FileServer(contents_answer())
    text, validators = fetch_file(make_http(server), "mazabou", "awesome-neurofm")
    assert text == LIST_TEXT
    assert str(server.requests[0].url) == f"{ROOT}/repos/mazabou/awesome-neurofm/readme"
    assert validators["auth"] == "none" and validators["etag"].startswith('W/"37ea')


def test_fetch_file_with_a_path_and_a_token(make_http, settings):
    settings = with_token(settings)
    server = FileServer(contents_answer())
    fetch_file(make_http(server, settings), "o", "r", "docs/my list.md")
    request = server.requests[0]
    assert request.url.raw_path == b"/repos/o/r/contents/docs/my%20list.md"
    assert request.headers["authorization"] == f"Bearer {TOKEN}"


def test_fetch_file_is_conditional_and_304_is_not_modified(make_http):
    not_modified = replay("ConditionalRequestUpdate.testDidNotUpdate")[0]
    server = FileServer(not_modified)
    cached = CachedRecord("ok", {"text": LIST_TEXT}, iso(NOW),
                          {"etag": '"8600bedcb7fed1d8065e1693e05529ce"', "auth": "none"})
    answer = fetch_file(make_http(server), "o", "r", None, cached)
    assert isinstance(answer, NotModified) and answer.validators["auth"] == "none"
    assert server.requests[0].headers["if-none-match"] == '"8600bedcb7fed1d8065e1693e05529ce"'


def test_fetch_file_missing_repo_raises_not_found(make_http):
    server = FileServer(replay("Exceptions.testUnknownObject")[1])
    with pytest.raises(NotFound):
        fetch_file(make_http(server), "jacquev6", "Xxx", "README.md")


@pytest.mark.parametrize("path", ["../secrets", "a/./b", "a//b"])
def test_fetch_file_refuses_odd_paths(make_http, path):
    server = FileServer()
    with pytest.raises(NotFound):
        fetch_file(make_http(server), "o", "r", path)
    assert server.requests == []


@pytest.mark.parametrize(
    "payload",
    [
        [{"type": "file", "name": "README.md"}],
        {"type": "dir", "name": "docs"},
        {"type": "file", "encoding": "none", "content": "", "size": 2_000_000},
        {"type": "file", "encoding": "base64", "content": base64.b64encode(b"\xff\xfe").decode()},
    ],
)
def test_parse_contents_rejects_folders_big_files_and_non_utf8(payload):
    with pytest.raises(InvalidResponse):
        parse_contents(json.dumps(payload).encode())


def test_the_quick_test_for_a_repository_url_passes_every_spelling_the_pattern_finds():
    # the pattern matches case-insensitively, and then "i" is also "İ" or "ı" (and "k", "s"
    # have their own non-ASCII forms): try each letter of the host in each form it matches
    from harvester.identify import github_urls
    from harvester.sources.github import _may_name_github

    cased = [c for c in map(chr, range(0x110000)) if re.fullmatch("[a-z]", c, re.I)]
    host = "github.com"
    tried = 0
    for at, letter in enumerate(host):
        for form in (c for c in cased if letter.isalpha() and re.fullmatch(letter, c, re.I)):
            text = f"Code: https://{host[:at]}{form}{host[at + 1:]}/owner/repo."
            assert github_urls(text) == ["https://github.com/owner/repo"]
            assert _may_name_github(text), text
            tried += 1
    assert tried == 2 * 9 + 2  # each letter's two cases, and the dotted and dotless i
    assert not _may_name_github("see the project page") and not _may_name_github(None)
