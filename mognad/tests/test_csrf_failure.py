"""A form sent without its CSRF token gets Mognad's own page in the visitor's language (issue 15),
not Django's English default."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_form_without_its_token_gets_a_swedish_page_saying_what_to_do(alice):
    response = Client(enforce_csrf_checks=True).post(
        "/accounts/login/", {"username": alice.email, "password": "x"}
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert '<html lang="sv">' in html
    assert "Formuläret kunde inte skickas" in html
    assert "ladda om sidan" in html
    assert "CSRF verification failed" not in html
    assert "_auth_user_id" not in Client().session


def test_the_page_in_english(db):
    response = Client(enforce_csrf_checks=True, headers={"accept-language": "en"}).post(
        "/cookies/", {"choice": "necessary"}
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert "The form could not be sent" in html
    assert "reload the page" in html


def test_a_form_with_its_token_still_works(alice):
    client = Client(enforce_csrf_checks=True)
    page = client.get("/accounts/login/")
    token = page.context["csrf_token"]
    response = client.post(
        "/accounts/login/",
        {"username": alice.email, "password": "wrong", "csrfmiddlewaretoken": str(token)},
    )
    assert response.status_code == 200
