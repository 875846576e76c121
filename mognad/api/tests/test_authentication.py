"""Authentication of every API request: a personal bearer token, or a logged-in browser session."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from mognad.api import auth, tokens
from mognad.api.models import ApiToken
from mognad.api.tests.conftest import ApiClient, token_for

URL = "/api/v1/organizations/"


def test_a_valid_token_authenticates_as_its_owner(alice, ankeby):
    response = ApiClient(token_for(alice)).get(URL)
    assert response.status_code == 200
    assert [org["slug"] for org in response.json()] == [ankeby.slug]


def test_no_token_is_a_401_with_a_message_and_the_bearer_challenge(db, anonymous_api):
    response = anonymous_api.get(URL)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "Authorization: Bearer" in response.json()["detail"]


@pytest.mark.parametrize(
    "header",
    ["Bearer mgn_" + "x" * 43, "Bearer not-a-token", "Bearer ", "Basic YWxpY2U6cGFzcw=="],
)
def test_an_unknown_or_malformed_credential_is_a_401(alice, header):
    response = Client().get(URL, headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json()["errors"] == []


def test_a_revoked_token_is_a_401(alice):
    created = tokens.create_token(alice, name="Old", days=30)
    tokens.revoke_token(created.token, by=alice)
    response = ApiClient(created.secret).get(URL)
    assert response.status_code == 401
    assert "revoked or expired" in response.json()["detail"]


def test_an_expired_token_is_a_401(alice):
    created = tokens.create_token(alice, name="Old", days=30)
    ApiToken.objects.filter(pk=created.token.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert ApiClient(created.secret).get(URL).status_code == 401


def test_the_token_of_a_deactivated_user_is_a_401(alice):
    secret = token_for(alice)
    alice.is_active = False
    alice.save()
    assert ApiClient(secret).get(URL).status_code == 401


def test_using_a_token_records_when_it_was_last_used(alice):
    created = tokens.create_token(alice, name="Dashboard", days=30)
    assert created.token.last_used_at is None
    ApiClient(created.secret).get(URL)
    created.token.refresh_from_db()
    assert created.token.last_used_at is not None


def test_a_logged_in_browser_session_may_read(alice_client, ankeby):
    response = alice_client.get(URL)
    assert response.status_code == 200
    assert response.json()[0]["slug"] == ankeby.slug


def test_a_session_write_without_the_csrf_token_is_refused_and_writes_nothing(alice, ankeby):
    from mognad.surveys.tests.factories import make_measurement

    measurement = make_measurement(ankeby)
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(
        f"/api/v1/measurements/{measurement.pk}/respondents/",
        {"email": "ny@ankeby.se", "role": "staff"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not measurement.respondents.exists()


def test_a_user_over_the_request_limit_gets_429_with_retry_after(alice, monkeypatch):
    monkeypatch.setattr(auth, "USER_LIMIT", 2)
    client = ApiClient(token_for(alice))
    assert [client.get(URL).status_code for _ in range(2)] == [200, 200]
    response = client.get(URL)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many requests" in response.json()["detail"]


def test_repeated_invalid_tokens_from_one_address_are_slowed_down(alice, monkeypatch):
    monkeypatch.setattr(auth, "FAILURE_LIMIT", 3)
    wrong = ApiClient("mgn_" + "y" * 43)
    assert [wrong.get(URL).status_code for _ in range(3)] == [401, 401, 401]
    assert wrong.get(URL).status_code == 429
    # Even a valid token from that address waits: guessing cannot continue.
    assert ApiClient(token_for(alice)).get(URL).status_code == 429
