"""/accounts/ (name, language), /accounts/password/ and the password reset by email."""

import pytest
from django.test import Client

from mognad.platform.models import OutboxMessage
from mognad.test import PASSWORD

pytestmark = pytest.mark.django_db
NEW = "ett-helt-nytt-lösenord"


def test_a_user_changes_name_and_language(alice_client, alice):
    response = alice_client.post("/accounts/", {"name": "Alice A", "language": "en"})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert (alice.name, alice.language) == ("Alice A", "en")


def test_an_unknown_language_is_refused(alice_client, alice):
    response = alice_client.post("/accounts/", {"name": "Alice A", "language": "xx"})
    assert 'id="id_language-error"' in response.content.decode()
    alice.refresh_from_db()
    assert alice.language == "sv"


def test_the_account_page_needs_a_login():
    assert Client().get("/accounts/")["Location"].startswith("/accounts/login/")


def test_changing_the_password_needs_the_current_one_and_keeps_the_session(alice_client, alice):
    wrong = alice_client.post(
        "/accounts/password/", {"old_password": "x", "password1": NEW, "password2": NEW}
    )
    assert "Ditt nuvarande lösenord är inte rätt." in wrong.content.decode()
    ok = alice_client.post(
        "/accounts/password/", {"old_password": PASSWORD, "password1": NEW, "password2": NEW}
    )
    assert ok.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password(NEW)
    assert alice_client.get("/accounts/").status_code == 200


def test_a_reset_link_is_queued_and_sets_a_new_password(alice):
    client = Client()
    response = client.post("/accounts/password-reset/", {"email": "ALICE@ankeby.se"})
    assert response.status_code == 200 and "Titta i din e-post" in response.content.decode()
    body = OutboxMessage.objects.get(to="alice@ankeby.se").body_text
    link = next(line for line in body.splitlines() if "/accounts/reset/" in line)
    path = link.split("http://127.0.0.1:8000")[1]
    assert client.get(path).status_code == 200
    assert client.post(path, {"password1": NEW, "password2": NEW}).status_code == 302
    alice.refresh_from_db()
    assert alice.check_password(NEW)
    # The link works once.
    assert client.get(path).status_code == 404


def test_an_unknown_email_looks_the_same_and_sends_nothing(db):
    response = Client().post("/accounts/password-reset/", {"email": "nobody@example.se"})
    assert "Titta i din e-post" in response.content.decode()
    assert not OutboxMessage.objects.exists()


def test_reset_requests_are_rate_limited(alice):
    client = Client()
    for _ in range(3):
        assert client.post("/accounts/password-reset/", {"email": alice.email}).status_code == 200
    assert client.post("/accounts/password-reset/", {"email": alice.email}).status_code == 429


def test_a_forged_reset_link_is_404(alice):
    assert Client().get("/accounts/reset/MQ/abc-def/").status_code == 404
    assert Client().get("/accounts/reset/!!!/abc/").status_code == 404
