"""Logged-in sessions end after 8 hours without activity and 12 hours after login (issue 15: an
admin session lasted 14 days, so the second factor was asked once a fortnight). Respondents' pages
are not affected."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from mognad.orgs import twofactor
from mognad.test import PASSWORD, settings_refusal, totp_code

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 12, 7, 7, 0, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)


def _logged_in(user) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _is_logged_in(client: Client) -> bool:
    return client.get("/orgs/").status_code == 200


def test_the_defaults_are_eight_hours_idle_and_twelve_hours_in_all():
    import mognad.settings as shipped

    assert (shipped.SESSION_IDLE_HOURS, shipped.SESSION_MAX_HOURS) == (8, 12)
    assert shipped.SESSION_COOKIE_AGE == 12 * 3600


def test_eight_hours_without_a_request_end_the_session_with_a_notice(alice):
    with time_machine.travel(START, tick=False) as clock:
        client = _logged_in(alice)
        clock.shift(8 * HOUR - dt.timedelta(minutes=2))
        assert _is_logged_in(client)  # 7 h 58 min idle: still in
    with time_machine.travel(START, tick=False) as clock:
        client = _logged_in(alice)
        clock.shift(2 * HOUR)
        assert _is_logged_in(client)
        clock.shift(8 * HOUR)  # idle from 2 h to 10 h after login
        response = client.get("/orgs/")
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
        login_page = client.get(response["Location"]).content.decode()
        assert "Du har loggats ut efter 8 timmar utan aktivitet." in login_page
        assert "_auth_user_id" not in client.session


def test_activity_keeps_the_session_but_twelve_hours_after_login_it_ends(alice):
    with time_machine.travel(START, tick=False) as clock:
        client = _logged_in(alice)
        for _ in range(11):
            clock.shift(HOUR)
            assert _is_logged_in(client)
        clock.shift(HOUR)
        response = client.get("/orgs/")
        assert response["Location"].startswith("/accounts/login/")
        page = client.get(response["Location"]).content.decode()
        assert "för mer än 12 timmar sedan" in page


def test_after_the_limit_the_second_factor_is_asked_again(nadia):
    with time_machine.travel(START, tick=False) as clock:
        client = Client()
        client.post("/accounts/login/", {"username": nadia.email, "password": PASSWORD})
        assert client.post("/accounts/2fa/verify/", {"code": totp_code(nadia)}).status_code == 302
        assert _is_logged_in(client)
        clock.shift(12 * HOUR)
        assert not _is_logged_in(client)
        client.post("/accounts/login/", {"username": nadia.email, "password": PASSWORD})
        assert client.get("/orgs/")["Location"].startswith("/accounts/2fa/verify/")
        assert twofactor.SESSION_KEY not in client.session


def test_the_limits_are_configurable(settings, alice):
    settings.SESSION_IDLE_HOURS = 1
    settings.SESSION_MAX_HOURS = 2
    with time_machine.travel(START, tick=False) as clock:
        client = _logged_in(alice)
        clock.shift(HOUR - dt.timedelta(minutes=2))
        assert _is_logged_in(client)
        clock.shift(HOUR)
        assert not _is_logged_in(client)


def test_the_api_through_a_session_ends_too(alice):
    with time_machine.travel(START, tick=False) as clock:
        client = _logged_in(alice)
        assert client.get("/api/v1/organizations/").status_code == 200
        clock.shift(9 * HOUR)
        assert client.get("/api/v1/organizations/").status_code == 401


def test_respondents_answer_pages_are_not_affected(ankeby, social_services, elder_care, education):
    from mognad.surveys.tests.factories import (
        SPRING_2026,
        make_measurement,
        open_with_three_respondents,
        token_of,
    )

    with time_machine.travel(SPRING_2026, tick=False) as clock:
        measurement = open_with_three_respondents(
            make_measurement(ankeby),
            social_services=social_services,
            elder_care=elder_care,
            education=education,
        )
        token = token_of(measurement.respondents.get(email="sara@ankeby.se"))
        respondent = Client()
        assert respondent.get(f"/r/{token}/").status_code == 200
        clock.shift(13 * HOUR)
        assert respondent.get(f"/r/{token}/").status_code == 200
        clock.shift(3 * 24 * HOUR)
        assert respondent.get(f"/r/{token}/").status_code == 200


def test_an_idle_limit_longer_than_the_lifetime_stops_startup():
    stopped = settings_refusal(MOGNAD_SESSION_IDLE_HOURS="13", MOGNAD_SESSION_MAX_HOURS="12")
    assert "MOGNAD_SESSION_IDLE_HOURS=13 cannot be longer than" in stopped
