"""The API tokens page (/accounts/api-tokens/): create a token (shown once), list, revoke."""

from __future__ import annotations

from django.test import Client

from mognad.api import tokens
from mognad.api.models import ApiToken

URL = "/accounts/api-tokens/"


def revoke_url(token: ApiToken) -> str:
    return f"/accounts/api-tokens/{token.pk}/revoke/"


def test_the_page_lists_the_users_tokens_and_offers_a_form(alice_client, alice, charlie):
    tokens.create_token(alice, name="Alice dashboard", days=30)
    tokens.create_token(charlie, name="Charlie script", days=30)
    response = alice_client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Alice dashboard" in body
    assert "Charlie script" not in body
    assert 'for="id_name"' in body
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_creating_a_token_shows_it_once_and_it_works(alice_client, alice):
    response = alice_client.post(URL, {"name": "Power BI", "days": "90"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=alice)
    secret = response.context["created"].secret
    assert secret.startswith(tokens.PREFIX)
    assert secret in response.content.decode()
    assert tokens.user_for(secret) == alice
    assert token.name == "Power BI"
    assert secret not in alice_client.get(URL).content.decode()


def test_the_account_page_links_to_the_tokens_page(alice_client):
    assert URL in alice_client.get("/accounts/").content.decode()


def test_an_anonymous_visitor_is_sent_to_log_in(db):
    response = Client().get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    response = Client().post(URL, {"name": "x", "days": "30"})
    assert response.status_code == 302
    assert not ApiToken.objects.exists()


def test_a_token_without_a_name_or_with_an_unknown_lifetime_is_refused(alice_client, alice):
    response = alice_client.post(URL, {"name": "   ", "days": "90"})
    assert response.status_code == 400
    assert 'id="id_name-error"' in response.content.decode()
    response = alice_client.post(URL, {"name": "Forever", "days": "100000"})
    assert response.status_code == 400
    assert 'id="id_days-error"' in response.content.decode()
    assert not ApiToken.objects.filter(user=alice).exists()


def test_revoking_a_token_stops_it_working(alice_client, alice):
    created = tokens.create_token(alice, name="Old script", days=30)
    response = alice_client.post(revoke_url(created.token))
    assert response.status_code == 302
    created.token.refresh_from_db()
    assert created.token.is_revoked()
    assert tokens.user_for(created.secret) is None


def test_another_user_cannot_revoke_the_token(charlie_client, alice):
    token = tokens.create_token(alice, name="Alice dashboard", days=30).token
    response = charlie_client.post(revoke_url(token))
    assert response.status_code == 404
    token.refresh_from_db()
    assert not token.is_revoked()


def test_revoking_needs_a_post(alice_client, alice):
    token = tokens.create_token(alice, name="A", days=30).token
    assert alice_client.get(revoke_url(token)).status_code == 405
    token.refresh_from_db()
    assert not token.is_revoked()
