"""/accounts/2fa/…: verify after login, enroll (required for coordinators), disable."""

import pyotp
import pytest
from django.test import Client

from mognad.test import PASSWORD, log_in_through_2fa, logged_in_client, make_user, totp_code

pytestmark = pytest.mark.django_db


def test_nadia_logs_in_through_the_code_step(nadia):
    client = Client()
    response = log_in_through_2fa(client, nadia)
    assert response.status_code == 302 and response["Location"] == "/start/"
    assert client.get("/start/")["Location"] == "/orgs/"  # a coordinator: every organization
    assert client.get("/orgs/").status_code == 200


def test_a_wrong_code_is_refused_with_a_clear_error_and_five_lock_the_step(nadia):
    client = Client()
    client.post("/accounts/login/", {"username": nadia.email, "password": PASSWORD})
    for _ in range(5):
        response = client.post("/accounts/2fa/verify/", {"code": "000000"})
        assert response.status_code == 200
        assert "Koden är inte rätt" in response.content.decode()
    assert client.post("/accounts/2fa/verify/", {"code": totp_code(nadia)}).status_code == 429
    assert client.get("/orgs/").status_code == 302


def test_anonymous_visitors_are_sent_to_login():
    response = Client().get("/accounts/2fa/verify/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_coordinator_without_totp_must_enroll_before_any_other_page(db):
    coordinator = make_user("new-coordinator@mognad.example", coordinator=True)
    client = logged_in_client(coordinator)
    response = client.get("/orgs/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/2fa/enroll/")
    page = client.get("/accounts/2fa/enroll/")
    assert "Nationella samordnare måste använda tvåstegsverifiering" in page.content.decode()
    secret = client.session["mognad_2fa_enroll_secret"]
    assert "otpauth://totp/" in page.content.decode()
    response = client.post("/accounts/2fa/enroll/", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    coordinator.refresh_from_db()
    assert coordinator.has_totp and coordinator.totp_secret == secret
    assert client.get("/orgs/").status_code == 200


def test_enrolling_with_a_wrong_code_changes_nothing(alice, alice_client):
    alice_client.get("/accounts/2fa/enroll/")
    response = alice_client.post("/accounts/2fa/enroll/", {"code": "123"})
    assert "Koden är inte rätt" in response.content.decode()
    alice.refresh_from_db()
    assert not alice.has_totp


def test_a_key_user_can_turn_2fa_off_with_a_code_but_a_coordinator_cannot(
    alice, nadia, nadia_client
):
    from mognad.test import enroll_totp

    enroll_totp(alice)
    client = logged_in_client(alice)
    assert client.post("/accounts/2fa/disable/", {"code": totp_code(alice)}).status_code == 302
    alice.refresh_from_db()
    assert not alice.has_totp
    response = nadia_client.post("/accounts/2fa/disable/", {"code": totp_code(nadia)})
    assert "Nationella samordnare måste använda tvåstegsverifiering." in response.content.decode()
    nadia.refresh_from_db()
    assert nadia.has_totp
