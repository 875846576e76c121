"""A simulated respondent: a person with a browser who answers a whole questionnaire over HTTP.

Plain `http.client` on loopback only, one keep-alive connection per respondent from its own loopback
source address (127.0.x.y, so the per-address rate limits see different people), cookies kept by
hand, redirects seen (not followed blindly) so that every acknowledged save is known. A failed
request is retried like a person would: wait a little, press the button again — a bounded number of
times.
"""

from __future__ import annotations

import http.client
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

LOOPBACK = "127.0.0.1"
# Statuses worth pressing the button again for: the server or something in front of it failed.
RETRY_STATUSES = frozenset({500, 502, 503, 504})


class NotLoopback(ValueError):
    pass


def loopback_address(index: int) -> str:
    """A distinct loopback source address per respondent: 127.0.1.1, 127.0.1.2, … (no .0/.255)."""
    if index < 0:
        raise ValueError("index must be non-negative")
    high, low = divmod(index, 254)
    if high > 254:
        raise ValueError("too many respondents for distinct loopback addresses")
    return f"127.0.{high + 1}.{low + 1}"


@dataclass
class PageForm:
    """What a respondent sees on an answering page: the CSRF token and the statements to answer."""

    csrf: str | None = None
    items: list[str] = field(default_factory=list)
    options: dict[str, list[str]] = field(default_factory=dict)


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.form = PageForm()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "input":
            return
        attributes = {name: value or "" for name, value in attrs}
        name = attributes.get("name", "")
        if name == "csrfmiddlewaretoken":
            self.form.csrf = attributes.get("value", "")
        elif name.startswith("item_") and attributes.get("type") == "radio":
            item = name[5:]
            if item not in self.form.options:
                self.form.items.append(item)
                self.form.options[item] = []
            self.form.options[item].append(attributes.get("value", ""))


def parse_form(html: str) -> PageForm:
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return parser.form


def choose_answers(form: PageForm, rng: random.Random, *, skip: float = 0.05) -> dict[str, str]:
    """A plausible person: mostly the scale, sometimes "Vet ej", now and then nothing at all."""
    chosen: dict[str, str] = {}
    for item in form.items:
        if rng.random() < skip:
            continue
        options = form.options[item]
        if "dk" in options and rng.random() < 0.08:
            chosen[item] = "dk"
        else:
            scale = [value for value in options if value != "dk"]
            chosen[item] = rng.choice(scale)
    return chosen


@dataclass
class Reply:
    status: int
    location: str
    body: str


@dataclass
class ClientStats:
    requests: int = 0
    errors: int = 0  # requests that failed: no answer, or a status worth retrying
    retries: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)

    def error(self, kind: str) -> None:
        self.errors += 1
        self.error_kinds[kind] = self.error_kinds.get(kind, 0) + 1


class GaveUp(Exception):
    """The respondent stopped after too many failures (what a person might do)."""


class Browser:
    """One respondent's browser: keep-alive connection, cookies, bounded retries."""

    def __init__(
        self,
        host: str,
        port: int,
        *,
        source: str = LOOPBACK,
        attempts: int = 8,
        first_wait: float = 0.25,
        timeout: float = 15.0,
        sleep: Callable[[float], None] = time.sleep,
        scheme: str = "http",
    ) -> None:
        if not host.startswith("127."):
            raise NotLoopback(f"load tests run against loopback only, not {host}")
        if not source.startswith("127."):
            raise NotLoopback(f"the client must use a loopback source address, not {source}")
        self.host, self.port, self.source = host, port, source
        self.attempts, self.first_wait, self.timeout = attempts, first_wait, timeout
        self.sleep = sleep
        # The scheme the browser believes it speaks: behind a TLS-terminating proxy it is "https"
        # although this client sends plain HTTP on loopback (the production-stack test).
        self.scheme = scheme
        self.cookies: dict[str, str] = {}
        self.stats = ClientStats()
        self._connection: http.client.HTTPConnection | None = None

    def _connect(self) -> http.client.HTTPConnection:
        if self._connection is None:
            self._connection = http.client.HTTPConnection(
                self.host, self.port, timeout=self.timeout, source_address=(self.source, 0)
            )
        return self._connection

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def _remember_cookies(self, response: http.client.HTTPResponse) -> None:
        for header in response.headers.get_all("Set-Cookie") or []:
            jar: SimpleCookie = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or morsel.value == "":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def _once(self, method: str, path: str, body: str | None) -> Reply:
        headers = {"Host": f"{self.host}:{self.port}", "User-Agent": "mognad-reliability"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"{self.scheme}://{self.host}:{self.port}"
            headers["Referer"] = f"{self.scheme}://{self.host}:{self.port}{path}"
        connection = self._connect()
        started = time.perf_counter()
        connection.request(
            method, path, body=body.encode() if body is not None else None, headers=headers
        )
        response = connection.getresponse()
        data = response.read()
        self.stats.latencies.append(time.perf_counter() - started)
        self._remember_cookies(response)
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        location = response.getheader("Location", "")
        return Reply(response.status, urlsplit(location).path if location else "", data.decode())

    def request(self, method: str, path: str, fields: dict[str, str] | None = None) -> Reply:
        """Send; on a dropped connection or a 5xx wait and send again (at most `attempts` times)."""
        body = urlencode(fields) if fields is not None else None
        wait = self.first_wait
        for attempt in range(self.attempts):
            if attempt:
                self.stats.retries += 1
                self.sleep(wait)
                wait = min(wait * 2, 5.0)
            self.stats.requests += 1
            try:
                reply = self._once(method, path, body)
            except (OSError, http.client.HTTPException) as error:
                self.stats.error(type(error).__name__)
                self.close()
                continue
            if reply.status in RETRY_STATUSES:
                self.stats.error(f"HTTP {reply.status}")
                continue
            return reply
        raise GaveUp(f"{method} {path}: no answer after {self.attempts} attempts")
