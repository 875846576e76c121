"""Passkeys, the server side (orgs/passkeys.py): what is refused and who may reach what.

The whole ceremony with a real authenticator runs in Chromium with its virtual authenticator
(mognad/tests/browser/test_passkeys.py); here the answers are forged or missing.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client

from mognad.orgs.models import AuditEvent, Passkey, User
from mognad.test import PASSWORD, enroll_totp, logged_in_client

pytestmark = pytest.mark.django_db


def _passkey(user: User, name: str = "Nyckeln", credential_id: str = "AAAAAA") -> Passkey:
    passkey = Passkey.objects.create(
        user=user, name=name, credential_id=credential_id, public_key=b"not a key"
    )
    User.objects.filter(pk=user.pk).update(has_passkeys=True)
    user.has_passkeys = True
    return passkey


def _post_json(client: Client, url: str, data: object) -> object:
    return client.post(url, json.dumps(data), content_type="application/json")


def test_the_registration_options_name_this_site_and_a_fresh_challenge(alice_client, settings):
    settings.WEBAUTHN_RP_ID = "mognad.example.se"
    first = alice_client.post("/accounts/2fa/passkeys/options/").json()
    second = alice_client.post("/accounts/2fa/passkeys/options/").json()
    assert first["rp"] == {"id": "mognad.example.se", "name": "Mognad"}
    assert first["user"]["name"] == "alice@ankeby.se"
    assert first["challenge"] != second["challenge"] and len(first["challenge"]) >= 43


def test_a_forged_registration_is_refused_and_stores_nothing(alice, alice_client):
    alice_client.post("/accounts/2fa/passkeys/options/")
    forged = {"id": "AAAA", "rawId": "AAAA", "type": "public-key", "response": {}}
    response = _post_json(
        alice_client, "/accounts/2fa/passkeys/register/", {"name": "X", "credential": forged}
    )
    assert response.status_code == 400
    assert response.json()["error"] == "Nyckeln kunde inte läggas till. Försök igen."
    assert not Passkey.objects.exists()
    alice.refresh_from_db()
    assert not alice.has_passkeys


def test_a_registration_without_options_first_is_refused(alice_client):
    response = _post_json(
        alice_client, "/accounts/2fa/passkeys/register/", {"name": "X", "credential": {}}
    )
    assert response.status_code == 400
    assert "har gått ut" in response.json()["error"]


def test_a_passkey_needs_a_name(alice_client):
    alice_client.post("/accounts/2fa/passkeys/options/")
    response = _post_json(
        alice_client, "/accounts/2fa/passkeys/register/", {"name": "  ", "credential": {}}
    )
    assert response.status_code == 400
    assert response.json()["error"] == "Ge nyckeln ett namn på 1 till 100 tecken."


def test_a_passkey_counts_as_a_second_factor_at_login(alice):
    _passkey(alice)
    client = Client()
    client.post("/accounts/login/", {"username": alice.email, "password": PASSWORD})
    assert client.get("/orgs/")["Location"].startswith("/accounts/2fa/verify/")
    page = client.get("/accounts/2fa/verify/").content.decode()
    assert "Använd en nyckel" in page and "orgs/passkeys.js" in page


def test_a_forged_signature_at_the_second_step_is_refused_and_counted(alice):
    _passkey(alice)
    client = Client()
    client.post("/accounts/login/", {"username": alice.email, "password": PASSWORD})
    for _ in range(5):
        options = client.post("/accounts/2fa/passkey/options/").json()
        assert options["allowCredentials"][0]["id"] == "AAAAAA"
        forged = {
            "id": "AAAAAA",
            "rawId": "AAAAAA",
            "type": "public-key",
            "response": {"clientDataJSON": "e30", "authenticatorData": "AA", "signature": "AA"},
        }
        response = _post_json(client, "/accounts/2fa/passkey/verify/", {"credential": forged})
        assert response.status_code == 400
    assert (
        _post_json(client, "/accounts/2fa/passkey/verify/", {"credential": {}}).status_code == 429
    )
    assert client.get("/orgs/")["Location"].startswith("/accounts/2fa/verify/")


def test_another_users_passkey_is_refused(alice, charlie):
    _passkey(charlie, credential_id="Q0hBUkxJRQ")
    _passkey(alice, credential_id="QUxJQ0U")
    client = Client()
    client.post("/accounts/login/", {"username": alice.email, "password": PASSWORD})
    client.post("/accounts/2fa/passkey/options/")
    response = _post_json(
        client,
        "/accounts/2fa/passkey/verify/",
        {"credential": {"id": "Q0hBUkxJRQ", "rawId": "Q0hBUkxJRQ", "type": "public-key"}},
    )
    assert response.status_code == 400


def test_a_user_with_a_factor_cannot_add_a_passkey_before_passing_the_second_step(alice):
    enroll_totp(alice)
    client = Client()
    client.post("/accounts/login/", {"username": alice.email, "password": PASSWORD})
    for url in ("/accounts/2fa/passkeys/", "/accounts/2fa/passkeys/options/"):
        response = client.post(url) if url.endswith("options/") else client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/2fa/verify/")


def test_a_required_user_without_a_factor_may_add_a_passkey_as_the_first(settings, alice):
    settings.TWOFACTOR_REQUIRED_ROLES = ["coordinator", "key_user"]
    client = logged_in_client(alice)
    assert client.get("/orgs/")["Location"].startswith("/accounts/2fa/enroll/")
    assert client.get("/accounts/2fa/passkeys/").status_code == 200
    assert client.post("/accounts/2fa/passkeys/options/").status_code == 200


def test_removing_the_only_factor_of_a_required_user_is_refused(settings, alice):
    settings.TWOFACTOR_REQUIRED_ROLES = ["coordinator", "key_user"]
    passkey = _passkey(alice)
    client = logged_in_client(alice)
    response = client.post(f"/accounts/2fa/passkeys/{passkey.pk}/remove/", follow=True)
    assert "det här är din enda andra faktor" in response.content.decode()
    assert Passkey.objects.filter(pk=passkey.pk).exists()


def test_removing_a_passkey_is_audited_and_clears_the_flag(alice):
    passkey = _passkey(alice)
    client = logged_in_client(alice)
    assert client.post(f"/accounts/2fa/passkeys/{passkey.pk}/remove/").status_code == 302
    alice.refresh_from_db()
    assert not alice.has_passkeys and not Passkey.objects.exists()
    assert AuditEvent.objects.filter(action="account.passkey_removed").count() == 1


def test_nobody_removes_another_users_passkey(alice, charlie_client):
    passkey = _passkey(alice)
    assert charlie_client.post(f"/accounts/2fa/passkeys/{passkey.pk}/remove/").status_code == 404
    assert Passkey.objects.filter(pk=passkey.pk).exists()


def test_a_coordinators_reset_removes_the_passkeys_too(nadia_client, alice):
    _passkey(alice)
    assert nadia_client.post(f"/users/{alice.pk}/second-factor/reset/").status_code == 302
    alice.refresh_from_db()
    assert not alice.has_passkeys and not Passkey.objects.exists()
