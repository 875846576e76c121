"""Production settings pass Django's deployment checks and give every cookie its security flags.

Settings are read once at startup, so each check runs in a fresh process with the environment of a
production installation behind HTTPS: the settings in deploy/mognad.env (docs/deployment.md).
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
COOKIES = ("mognad_session", "mognad_csrf", "mognad_language")
ENV_FILE = ROOT / "deploy" / "mognad.env"
DEPLOY_CHECK = ["-m", "mognad.cli", "check", "--deploy", "--fail-level", "WARNING"]


def documented_settings() -> dict[str, str]:
    """The variables of deploy/mognad.env, the production settings docs/deployment.md installs."""
    settings: dict[str, str] = {}
    for line in ENV_FILE.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            settings[name.strip()] = value.strip()
    return settings


@pytest.fixture
def production_env(tmp_path) -> dict[str, str]:
    """A production process: the documented settings, CHANGE-ME replaced, nothing else of ours."""
    env = {
        key: value
        for key, value in os.environ.items()
        # A production server never runs with test-only switches such as the browser tests'
        # DJANGO_ALLOW_ASYNC_UNSAFE, which Django's deployment check rightly warns about.
        if not key.startswith("MOGNAD_")
        and key not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    documented = documented_settings()
    assert "MOGNAD_SECURE" not in documented, "production must be secure without asking for it"
    assert "MOGNAD_DEBUG" not in documented
    env.update(documented)
    env.update(
        MOGNAD_SECRET_KEY=secrets.token_urlsafe(50),
        MOGNAD_EMAIL_PASSWORD=secrets.token_urlsafe(12),
        DATABASE_URL=f"sqlite:///{tmp_path / 'production.sqlite3'}",
        MOGNAD_STATIC_ROOT=str(tmp_path / "static"),
        DJANGO_SETTINGS_MODULE="mognad.settings",
    )
    assert not [name for name, value in env.items() if "CHANGE-ME" in value]
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter with fixed arguments
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_the_deployment_check_passes_with_no_warnings_under_production_settings(production_env):
    result = run(DEPLOY_CHECK, production_env)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output
    assert "WARNING" not in output and "?: (security." not in output, output


def test_the_deployment_check_does_fail_on_an_insecure_setting(production_env):
    # The check above can fail: a short secret key is reported and stops the deployment.
    production_env["MOGNAD_SECRET_KEY"] = "short"
    result = run(DEPLOY_CHECK, production_env)
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


# Logs a user in through the real pages over HTTPS and prints every cookie's flags as JSON.
COOKIE_PROBE = """
import json
import django
django.setup()
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from mognad.orgs.models import User

call_command("migrate", verbosity=0)
User.objects.create_user("probe@example.se", "a-long-probe-password-42")
client = Client(HTTP_HOST="mognad.example.se")
seen = {}
def record(response):
    assert response.status_code < 400, (response.status_code, response.content[:300])
    for name, morsel in response.cookies.items():
        seen[name] = {
            "secure": bool(morsel["secure"]),
            "httponly": bool(morsel["httponly"]),
            "samesite": morsel["samesite"],
        }
record(client.get(reverse("login"), secure=True))
record(client.post(reverse("set_language"), {"language": "en", "next": "/"}, secure=True))
record(client.post(
    reverse("login"),
    {"username": "probe@example.se", "password": "a-long-probe-password-42"},
    secure=True,
))
print(json.dumps(seen))
"""


def test_session_csrf_and_language_cookies_are_secure_http_only_and_same_site(production_env):
    result = run(["-c", COOKIE_PROBE], production_env)
    assert result.returncode == 0, result.stdout + result.stderr
    cookies = json.loads(result.stdout.strip().splitlines()[-1])
    assert set(COOKIES) <= set(cookies), f"cookies set: {sorted(cookies)}"
    problems = [
        f"{name}: {flag}"
        for name in COOKIES
        for flag, ok in (
            ("Secure", cookies[name]["secure"] is True),
            ("HttpOnly", cookies[name]["httponly"] is True),
            ("SameSite", cookies[name]["samesite"] in {"Lax", "Strict"}),
        )
        if not ok
    ]
    assert not problems, f"missing cookie flags: {problems} (all flags: {cookies})"


# One request through the whole middleware stack; prints what a browser would see as JSON.
REQUEST_PROBE = """
import json, sys
import django
django.setup()
from django.conf import settings
from django.test import Client
path, secure, headers = json.loads(sys.argv[1])
response = Client(HTTP_HOST="mognad.example.se").get(path, secure=secure, headers=headers)
print(json.dumps({
    "secure_setting": settings.SECURE,
    "status": response.status_code,
    "location": response.get("Location", ""),
    "hsts": response.get("Strict-Transport-Security", ""),
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
    "csrf_cookie_secure": settings.CSRF_COOKIE_SECURE,
}))
"""


def probe(
    env: dict[str, str],
    path: str = "/accounts/login/",
    *,
    secure: bool,
    headers: dict | None = None,
) -> dict:
    result = run(["-c", REQUEST_PROBE, json.dumps([path, secure, headers or {}])], env)
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_is_secure_by_default_hsts_for_a_year_with_subdomains(production_env):
    seen = probe(production_env, secure=True)
    assert seen["secure_setting"] is True
    assert seen["status"] == 200, seen
    assert seen["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert seen["session_cookie_secure"] and seen["csrf_cookie_secure"]


def test_plain_http_is_redirected_to_https_and_gets_no_hsts(production_env):
    seen = probe(production_env, secure=False)
    assert seen["status"] == 301
    assert seen["location"] == "https://mognad.example.se/accounts/login/"
    assert seen["hsts"] == ""  # only sent over HTTPS, as the standard requires


@pytest.mark.parametrize("path", ["/healthz", "/healthz/worker"])
def test_health_checks_answer_over_plain_http_for_the_load_balancer(production_env, path):
    seen = probe(production_env, path, secure=False)
    # Not redirected (the database of this probe is empty, so the answer itself may be a 503).
    assert seen["status"] in {200, 503} and seen["location"] == "", seen
    # Nothing else is exempt: a path that merely starts like them is redirected.
    assert probe(production_env, path + "x", secure=False)["status"] == 301


def test_the_trusted_proxy_says_https_with_x_forwarded_proto(production_env):
    # deploy/mognad.env: one proxy in front (MOGNAD_TRUSTED_PROXIES=1), which terminates TLS.
    seen = probe(production_env, secure=False, headers={"X-Forwarded-Proto": "https"})
    assert seen["status"] == 200, seen
    assert seen["hsts"].startswith("max-age=31536000")
    # The proxy saw plain HTTP: redirected, whatever else the client claimed.
    seen = probe(production_env, secure=False, headers={"X-Forwarded-Proto": "http"})
    assert seen["status"] == 301


def test_without_a_trusted_proxy_a_forged_x_forwarded_proto_is_ignored(production_env):
    production_env["MOGNAD_TRUSTED_PROXIES"] = "0"
    seen = probe(production_env, secure=False, headers={"X-Forwarded-Proto": "https"})
    assert seen["status"] == 301, "a client's own header must not make plain HTTP count as HTTPS"
    assert seen["hsts"] == ""


def test_the_redirect_can_be_left_to_the_proxy_and_cookies_stay_secure(production_env):
    production_env["MOGNAD_SSL_REDIRECT"] = "false"
    seen = probe(production_env, secure=False)
    assert seen["status"] == 200
    assert seen["session_cookie_secure"] and seen["csrf_cookie_secure"]


def test_the_hsts_max_age_is_configurable_and_checked(production_env):
    production_env["MOGNAD_HSTS_SECONDS"] = "600"
    assert probe(production_env, secure=True)["hsts"].startswith("max-age=600;")
    production_env["MOGNAD_HSTS_SECONDS"] = "a year"
    result = run(["-c", REQUEST_PROBE, json.dumps(["/accounts/login/", True, {}])], production_env)
    assert result.returncode != 0
    assert "MOGNAD_HSTS_SECONDS='a year' is not an integer" in result.stderr


def test_debug_mode_is_not_secure_by_default_but_can_be(production_env):
    production_env["MOGNAD_DEBUG"] = "true"
    seen = probe(production_env, secure=False)
    assert seen["secure_setting"] is False
    assert seen["status"] == 200 and seen["hsts"] == ""
    assert not seen["session_cookie_secure"]
    production_env["MOGNAD_SECURE"] = "true"
    assert probe(production_env, secure=False)["status"] == 301


def test_turning_secure_off_outside_debug_is_reported_by_the_deployment_check(production_env):
    production_env["MOGNAD_SECURE"] = "false"
    result = run(DEPLOY_CHECK, production_env)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in output, output
