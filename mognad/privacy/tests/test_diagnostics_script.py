"""diagnostics.js is part of a page only with consent: the server decides, not the script."""

import pytest
from django.utils import timezone

from mognad.privacy import consent
from mognad.privacy.tests.helpers import Elements, choose

pytestmark = pytest.mark.django_db

SCRIPT = "/static/privacy/diagnostics.js"


def _scripts(html):
    return [attrs for tag, attrs in Elements(html).found if tag == "script"]


def test_there_is_no_diagnostics_script_without_a_choice(client):
    html = client.get("/").content.decode()
    assert "diagnostics.js" not in html


def test_there_is_no_diagnostics_script_with_only_necessary_cookies(client):
    choose(client, "necessary")
    assert "diagnostics.js" not in client.get("/").content.decode()


def test_the_script_is_in_every_page_after_consent_with_endpoint_and_csrf_token(client):
    choose(client, "diagnostics")
    for path in ["/", "/cookies/", "/privacy/respondents/", "/no-such-page/"]:
        [script] = [s for s in _scripts(client.get(path).content.decode()) if s["src"] == SCRIPT]
        assert script["data-endpoint"] == "/diagnostics/"
        assert len(script["data-csrf-token"]) >= 32
        assert script["data-report-visit"] == "true"


def test_a_browser_counted_today_is_not_asked_to_report_its_visit_again(client):
    choose(client, "diagnostics")
    client.cookies[consent.DIAGNOSTICS_COOKIE_NAME] = timezone.localdate().isoformat()
    [script] = [s for s in _scripts(client.get("/").content.decode()) if s["src"] == SCRIPT]
    assert script["data-report-visit"] == "false"


def test_the_script_file_is_served_and_reports_only_to_our_own_endpoint(client):
    from django.contrib.staticfiles import finders

    with open(finders.find("privacy/diagnostics.js"), encoding="utf-8") as file:
        source = file.read()
    assert "data-endpoint" in source and "http" not in source  # no absolute address anywhere
    assert 'credentials: "same-origin"' in source
    assert "X-CSRFToken" in source
