"""Security headers on every page anybody can reach, and no inline script or style anywhere.

The Content-Security-Policy forbids inline scripts, inline styles and event-handler attributes, so a
template using them would break in the browser; these tests catch that before a person does, both in
the rendered pages and in the template sources (emails excepted: mail clients need inline styles and
are not subject to our CSP).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from mognad.tests.isolation import routes

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_DIRS = [ROOT / "templates", *sorted((ROOT / "mognad").glob("*/templates"))]

SCRIPT = re.compile(r"<script\b(?P<attributes>[^>]*)>(?P<body>.*?)</script\s*>", re.I | re.S)
DATA_SCRIPT_TYPE = re.compile(r"""\btype\s*=\s*["']?application/(?:ld\+)?json""", re.I)
STYLE_ELEMENT = re.compile(r"<style\b", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^<>]*?\sstyle\s*=", re.I)
EVENT_HANDLER = re.compile(r"<[a-z][^<>]*?\son[a-z]+\s*=", re.I)
JAVASCRIPT_URL = re.compile(r"""\b(?:href|src|action|formaction)\s*=\s*["']?\s*javascript:""", re.I)


def inline_code(html: str) -> list[str]:
    """Every inline script, inline style or event handler in a piece of HTML (or a template)."""
    found = []
    for match in SCRIPT.finditer(html):
        if match["body"].strip() and not DATA_SCRIPT_TYPE.search(match["attributes"]):
            found.append(f"inline <script>: {match.group(0)[:120]!r}")
    for pattern, what in (
        (STYLE_ELEMENT, "<style> element"),
        (STYLE_ATTRIBUTE, "style= attribute"),
        (EVENT_HANDLER, "event-handler attribute"),
        (JAVASCRIPT_URL, "javascript: URL"),
    ):
        found += [f"{what}: {match.group(0)[:120]!r}" for match in pattern.finditer(html)]
    return found


def header_problems(response) -> list[str]:
    problems = []
    policy = response.get("Content-Security-Policy", "")
    if not policy:
        problems.append("no Content-Security-Policy")
    if "unsafe-inline" in policy or "unsafe-eval" in policy:
        problems.append(f"the CSP allows unsafe code: {policy}")
    if "default-src 'self'" not in policy:
        problems.append(f"the CSP lacks default-src 'self': {policy}")
    if response.get("X-Content-Type-Options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    if response.get("Referrer-Policy") not in {"same-origin", "no-referrer", "strict-origin"}:
        problems.append(f"Referrer-Policy is {response.get('Referrer-Policy')!r}")
    if response.get("X-Frame-Options") != "DENY" and "frame-ancestors 'none'" not in policy:
        problems.append("the page may be framed (no X-Frame-Options: DENY, no frame-ancestors)")
    return problems


def public_addresses() -> list[str]:
    """Every public route without parameters, plus addresses that show the error pages."""
    addresses = [
        "/" + route.pattern for route in routes() if route.is_public and not route.parameters
    ]
    return [*addresses, "/no-such-page/"]


# --- Rendered pages -------------------------------------------------------------------------------


@pytest.mark.parametrize("address", public_addresses())
def test_every_page_anybody_can_reach_carries_the_security_headers(client, db, address):
    response = client.get(address)
    assert response.status_code != 500
    assert header_problems(response) == [], f"GET {address} → {response.status_code}"


@pytest.mark.parametrize("address", public_addresses())
def test_every_page_anybody_can_reach_has_no_inline_script_or_style(client, db, address):
    response = client.get(address, follow=True)
    content_type = response.get("Content-Type", "")
    if "html" not in content_type:
        # Only HTML can carry markup; anything else must say what it is instead.
        # SAML metadata (mognad/sso) is XML under its registered type: not rendered as a page.
        assert content_type.startswith(
            ("application/json", "text/plain", "image/", "application/samlmetadata+xml")
        ), content_type
        return
    assert inline_code(response.content.decode()) == []


def test_a_logged_in_page_and_the_login_error_carry_the_headers_too(alice_client, client, db):
    pages = [
        alice_client.get("/"),
        client.post(reverse("login"), {"username": "nobody@example.se", "password": "wrong"}),
    ]
    for response in pages:
        assert header_problems(response) == []
        assert inline_code(response.content.decode()) == []


# --- Template sources -----------------------------------------------------------------------------


def template_files() -> list[Path]:
    return [
        path
        for directory in TEMPLATE_DIRS
        for path in sorted(directory.rglob("*.html"))
        if "emails" not in path.relative_to(directory).parts
    ]


def test_the_template_scan_finds_the_project_templates():
    names = {path.name for path in template_files()}
    assert {"base.html", "home.html", "404.html"} <= names


def test_no_template_contains_inline_script_or_style():
    problems = [
        f"{path.relative_to(ROOT)}: {problem}"
        for path in template_files()
        for problem in inline_code(path.read_text(encoding="utf-8"))
    ]
    assert problems == []


# --- The scanners can fail ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "html",
    [
        "<script>alert(1)</script>",
        "<SCRIPT type='text/javascript'>\n  x()\n</SCRIPT>",
        '<p style="color: red">',
        "<style>p { color: red }</style>",
        '<button type="button" onclick="go()">',
        '<a href="javascript:go()">',
        '<div\n  class="x"\n  style="display:none">',
    ],
)
def test_the_scanner_reports_inline_code(html):
    assert len(inline_code(html)) == 1


@pytest.mark.parametrize(
    "html",
    [
        '<script src="/static/js/app.js"></script>',
        '<script id="chart-data" type="application/json">{"a": 1}</script>',
        '<link rel="stylesheet" href="/static/css/mognad.css">',
        "<p>The word style= in a sentence and onclick= too.</p>",
        '<a href="/javascript-guide/">',
    ],
)
def test_the_scanner_accepts_external_code_and_data_blocks(html):
    assert inline_code(html) == []


def test_the_header_check_reports_a_missing_policy_and_an_unsafe_one():
    from django.http import HttpResponse

    response = HttpResponse()
    assert "no Content-Security-Policy" in header_problems(response)
    response["Content-Security-Policy"] = "default-src 'self'; script-src 'self' 'unsafe-inline'"
    assert any("unsafe" in problem for problem in header_problems(response))
