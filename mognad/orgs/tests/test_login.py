"""/accounts/login/: email + password, rate-limited, then the 2FA step for TOTP users."""

import pytest
from django.test import Client

from mognad.test import PASSWORD

pytestmark = pytest.mark.django_db
URL = "/accounts/login/"


def _login(client, email, password):
    return client.post(URL, {"username": email, "password": password})


def test_a_key_user_logs_in_and_lands_on_where_the_year_stands(alice):
    client = Client()
    response = _login(client, "alice@ankeby.se", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/start/"
    assert client.get("/start/")["Location"] == "/orgs/ankeby-kommun/year/"
    assert client.get("/orgs/").status_code == 200


def test_it_redirects_to_a_safe_next_address_only(alice):
    assert (
        Client().post(
            URL + "?next=/orgs/ankeby-kommun/", {"username": alice.email, "password": PASSWORD}
        )["Location"]
        == "/orgs/ankeby-kommun/"
    )
    response = Client().post(
        URL, {"username": alice.email, "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/start/"


def test_a_wrong_password_gives_a_clear_error_and_no_session(alice):
    client = Client()
    response = _login(client, "alice@ankeby.se", "wrong")
    assert response.status_code == 200
    assert "E-postadressen eller lösenordet är inte rätt." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_malformed_email_is_a_field_error(db):
    response = _login(Client(), "not-an-email", "x")
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()


def test_after_five_failures_for_one_email_even_the_right_password_gets_429(alice):
    client = Client()
    for _ in range(5):
        assert _login(client, "alice@ankeby.se", "wrong").status_code == 200
    response = _login(client, "alice@ankeby.se", PASSWORD)
    assert response.status_code == 429
    assert "För många misslyckade försök" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_twenty_failures_from_one_address_block_that_address(alice):
    client = Client()
    for n in range(20):
        _login(client, f"nobody{n}@example.se", "wrong")
    assert _login(client, "alice@ankeby.se", PASSWORD).status_code == 429


def test_a_totp_user_is_sent_to_the_code_step_and_cannot_go_elsewhere_first(nadia):
    client = Client()
    response = _login(client, nadia.email, PASSWORD)
    assert response["Location"].startswith("/accounts/2fa/verify/")
    blocked = client.get("/orgs/")
    assert blocked.status_code == 302 and blocked["Location"].startswith("/accounts/2fa/verify/")


def test_english_is_available(alice):
    response = Client(headers={"accept-language": "en"}).post(
        URL, {"username": alice.email, "password": "wrong"}
    )
    assert "The email address or the password is not correct." in response.content.decode()
