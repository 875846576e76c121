"""Attempt limits under real parallel requests (issue 15, the audit's first hole).

Each test fires real concurrent HTTP requests (threads) at a threaded server on 127.0.0.1
(Django's own, one database connection per request thread; on SQLite the in-memory test database
is copied to a file first, as threads cannot share the in-memory one). The guarded check
(password, TOTP code, API token) is wrapped so that it is slow – as Argon2 is in production – and
counted. Before the fix the limit was looked up before the check and counted only after a
failure, so nearly every parallel attempt was checked (the audit got 25 of 30 passwords checked
and the right one in). Now each attempt is counted first.
"""

from __future__ import annotations

import http.cookiejar
import json
import re
import sqlite3
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import authenticate as real_authenticate
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.db import connections

from mognad.api import auth as api_auth
from mognad.api import tokens as api_tokens
from mognad.api.tests.conftest import token_for
from mognad.orgs import twofactor, views
from mognad.test import PASSWORD, totp_code

pytestmark = pytest.mark.django_db(transaction=True)
PARALLEL = 30
SLOW = 0.15  # seconds each guarded check takes


class Counted:
    """Wraps a check: counts calls and makes each one slow (as a password hash is)."""

    def __init__(self, func: Callable[..., Any]) -> None:
        self.func = func
        self.calls = 0
        self.lock = threading.Lock()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        with self.lock:
            self.calls += 1
        time.sleep(SLOW)
        return self.func(*args, **kwargs)


class Browser:
    """A cookie-keeping HTTP client for the live server (urllib, loopback only)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def csrf(self, path: str) -> str:
        html = self.request(path)[1]
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    def request(
        self, path: str, data: dict[str, str] | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, str, dict[str, str]]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(  # noqa: S310 (the live server on 127.0.0.1)
            self.base + path,
            data=body,
            headers={"Referer": self.base + path, **(headers or {})},
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), dict(error.headers)

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.jar if c.name == name), None)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Callable[[], str]]:
    """`serve()` starts the server once the test's data is in place and returns its address."""
    started: list[tuple[ThreadedWSGIServer, threading.Thread]] = []
    database = connections["default"]
    original_name = database.settings_dict["NAME"]

    def start() -> str:
        if database.vendor == "sqlite":
            database.ensure_connection()
            target = sqlite3.connect(tmp_path / "parallel.sqlite3")
            database.connection.backup(target)
            target.close()
            # Request threads open their own connections, to the copy.
            database.settings_dict["NAME"] = str(tmp_path / "parallel.sqlite3")
        server = ThreadedWSGIServer(("127.0.0.1", 0), _QuietHandler, allow_reuse_address=False)
        server.daemon_threads = True
        server.set_app(WSGIHandler())
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
        thread.start()
        started.append((server, thread))
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server, thread in started:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
    database.settings_dict["NAME"] = original_name


def _parallel(count: int, send: Callable[[int], int]) -> list[int]:
    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(send, range(count)))


def test_parallel_wrong_passwords_get_no_more_checks_than_the_limit(
    serve: Callable[[], str], alice: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    counted = Counted(real_authenticate)
    monkeypatch.setattr(views, "authenticate", counted)
    browser = Browser(serve())
    token = browser.csrf("/accounts/login/")

    def wrong(n: int) -> int:
        data = {"csrfmiddlewaretoken": token, "username": alice.email, "password": f"wrong-{n}"}
        return browser.request("/accounts/login/", data)[0]

    statuses = _parallel(PARALLEL, wrong)
    limit = dict(views.LOGIN_LIMITS)["email"]
    assert counted.calls == limit
    assert statuses.count(200) == limit and statuses.count(429) == PARALLEL - limit

    status, html, _headers = browser.request(
        "/accounts/login/",
        {"csrfmiddlewaretoken": token, "username": alice.email, "password": PASSWORD},
    )
    assert status == 429 and counted.calls == limit
    assert "För många misslyckade försök" in html
    # Not logged in: a page behind the login still sends to the login page.
    assert browser.request("/orgs/")[0] == 302
    assert browser.request("/orgs/")[2]["Location"].startswith("/accounts/login/")


def test_parallel_wrong_codes_get_no_more_checks_than_the_limit(
    serve: Callable[[], str], nadia: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    counted = Counted(twofactor.use_code)
    monkeypatch.setattr(twofactor, "use_code", counted)
    good = totp_code(nadia)
    browser = Browser(serve())
    token = browser.csrf("/accounts/login/")
    status, _html, headers = browser.request(
        "/accounts/login/",
        {"csrfmiddlewaretoken": token, "username": nadia.email, "password": PASSWORD},
    )
    assert status == 302 and headers["Location"].startswith("/accounts/2fa/verify/")
    token = browser.csrf("/accounts/2fa/verify/")

    def wrong(n: int) -> int:
        data = {"csrfmiddlewaretoken": token, "code": f"{(n * 7919) % 1_000_000:06d}"}
        return browser.request("/accounts/2fa/verify/", data)[0]

    statuses = _parallel(PARALLEL, wrong)
    assert counted.calls == views.CODE_LIMIT
    assert statuses.count(429) >= PARALLEL - views.CODE_LIMIT
    status, _html, _headers = browser.request(
        "/accounts/2fa/verify/", {"csrfmiddlewaretoken": token, "code": good}
    )
    assert status == 429 and counted.calls == views.CODE_LIMIT
    assert browser.request("/orgs/")[2]["Location"].startswith("/accounts/2fa/verify/")


def test_parallel_invalid_api_tokens_get_no_more_lookups_than_the_limit(
    serve: Callable[[], str], alice: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    counted = Counted(api_tokens.user_for)
    monkeypatch.setattr(api_tokens, "user_for", counted)
    monkeypatch.setattr(api_auth, "FAILURE_LIMIT", 10)
    valid = token_for(alice)
    browser = Browser(serve())

    def guess(n: int) -> int:
        guessed = "mgn_" + f"{n:043d}"
        return browser.request(
            "/api/v1/organizations/", headers={"Authorization": f"Bearer {guessed}"}
        )[0]

    statuses = _parallel(PARALLEL, guess)
    assert counted.calls == 10
    assert statuses.count(401) == 10 and statuses.count(429) == PARALLEL - 10
    status, body, _headers = browser.request(
        "/api/v1/organizations/", headers={"Authorization": f"Bearer {valid}"}
    )
    assert status == 429 and "ogiltiga nycklar" in json.loads(body)["detail"]
    assert counted.calls == 10


def test_a_valid_token_gives_its_attempt_back(alice: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Counting first must not make a busy, well-behaved client run into the failure limit."""
    from django.test import Client

    monkeypatch.setattr(api_auth, "FAILURE_LIMIT", 3)
    valid = token_for(alice)
    client = Client(headers={"Authorization": f"Bearer {valid}"})
    for _ in range(10):
        assert client.get("/api/v1/organizations/").status_code == 200
