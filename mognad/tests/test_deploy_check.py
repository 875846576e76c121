"""Production settings pass Django's deployment checks and give every cookie its security flags.

Settings are read once at startup, so each check runs in a fresh process with the environment of a
production installation behind HTTPS.
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
DEPLOY_CHECK = ["-m", "mognad.cli", "check", "--deploy", "--fail-level", "WARNING"]


@pytest.fixture
def production_env(tmp_path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        # A production server never runs with test-only switches such as the browser tests'
        # DJANGO_ALLOW_ASYNC_UNSAFE, which Django's deployment check rightly warns about.
        if not key.startswith("MOGNAD_")
        and key not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        MOGNAD_SECURE="true",
        MOGNAD_DEBUG="false",
        MOGNAD_SECRET_KEY=secrets.token_urlsafe(50),
        MOGNAD_ALLOWED_HOSTS="mognad.example.se",
        DATABASE_URL=f"sqlite:///{tmp_path / 'production.sqlite3'}",
        DJANGO_SETTINGS_MODULE="mognad.settings",
    )
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter with fixed arguments
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_the_deployment_check_passes_with_no_warnings_under_production_settings(production_env):
    result = run(
        ["-m", "mognad.cli", "check", "--deploy", "--fail-level", "WARNING"], production_env
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output
    assert "WARNING" not in output and "?: (security." not in output, output


def test_the_deployment_check_does_fail_on_an_insecure_setting(production_env):
    # The check above can fail: a short secret key is reported and stops the deployment.
    production_env["MOGNAD_SECRET_KEY"] = "short"
    result = run(
        ["-m", "mognad.cli", "check", "--deploy", "--fail-level", "WARNING"], production_env
    )
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
