"""The coordinator's overview of browsers and errors (/privacy/diagnostics/)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mognad.privacy.models import DiagnosticsAggregate

pytestmark = pytest.mark.django_db

URL = "/privacy/diagnostics/"


def _add(kind, browser, version, count, signature="", days_ago=0):
    DiagnosticsAggregate.objects.create(
        day=timezone.localdate() - datetime.timedelta(days=days_ago),
        kind=kind,
        browser=browser,
        major_version=version,
        signature=signature,
        count=count,
    )


@pytest.fixture
def data(db):
    _add("visit", "Firefox", 128, 10)
    _add("visit", "Firefox", 128, 5, days_ago=3)
    _add("visit", "Chrome", 131, 7)
    _add("error", "Chrome", 131, 4, "TypeError: a @ /static/x.js:1")
    _add("error", "Firefox", 128, 2, "TypeError: a @ /static/x.js:1", days_ago=2)
    _add("error", "Firefox", 128, 1, "RangeError: b @ /static/y.js:9")
    _add("visit", "Safari", 16, 99, days_ago=31)  # outside the 30-day window


def test_the_coordinator_sees_browsers_and_top_errors_for_the_retention_window(nadia_client, data):
    response = nadia_client.get(URL)
    assert response.status_code == 200
    overview = response.context["overview"]
    assert [(r.browser, r.major_version, r.visits, r.errors) for r in overview.browsers] == [
        ("Firefox", 128, 15, 3),
        ("Chrome", 131, 7, 4),
    ]
    assert [(e.signature, e.count, e.browsers) for e in overview.errors] == [
        ("TypeError: a @ /static/x.js:1", 6, 2),
        ("RangeError: b @ /static/y.js:9", 1, 1),
    ]
    assert (overview.total_visits, overview.total_errors) == (22, 7)
    html = response.content.decode()
    assert "Webbläsare och fel" in html
    assert '<th scope="row">Firefox</th>' in html
    assert "Safari" not in html


def test_its_number_of_queries_does_not_grow_with_the_data(
    nadia_client, data, django_assert_num_queries
):
    nadia_client.get(URL)  # warm the session and user caches
    with django_assert_num_queries(5):  # session, user, browsers, top errors, their browsers
        nadia_client.get(URL)
    for n in range(30):
        _add("error", "Edge", 120 + n % 3, 1, f"Error {n} @ /static/z.js:{n}")
    with django_assert_num_queries(5):
        nadia_client.get(URL)


def test_it_says_so_when_nothing_has_been_collected(nadia_client):
    html = nadia_client.get(URL).content.decode()
    assert "Inga webbläsare har räknats under perioden." in html
    assert "Inga fel har rapporterats under perioden." in html


def test_an_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={URL}"


def test_anyone_but_a_coordinator_gets_404(alice_client, charlie_client, data):
    assert alice_client.get(URL).status_code == 404
    assert charlie_client.get(URL).status_code == 404


def test_it_only_answers_get(nadia_client):
    assert nadia_client.post(URL).status_code == 405
