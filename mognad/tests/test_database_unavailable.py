"""While the database cannot be reached, pages answer 503 "try again" instead of the 500 page."""

import pytest
from django.db import OperationalError
from django.test import Client

from mognad.platform.middleware import CONTENT_SECURITY_POLICY, RETRY_AFTER
from mognad.surveys.views import answering

pytestmark = pytest.mark.django_db

LINK = "/r/" + "A" * 43 + "/"


def _database_down(*args, **kwargs):
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


@pytest.fixture
def down(monkeypatch):
    # The answering pages' first database statement is the rate-limit upsert.
    monkeypatch.setattr(answering, "hit", _database_down)


def test_a_respondent_gets_a_503_try_again_page_in_swedish(down):
    response = Client(raise_request_exception=False).get(LINK)
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER)
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    html = response.content.decode()
    assert '<html lang="sv">' in html
    assert "Tillfälligt otillgänglig" in html
    assert "Något gick fel" not in html  # not the 500 page


def test_the_page_follows_the_chosen_language(down, settings):
    client = Client(raise_request_exception=False)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(LINK)
    assert response.status_code == 503
    assert "Mognad cannot reach its database right now." in response.content.decode()


def test_other_errors_still_get_the_500_page(monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(answering, "hit", broken)
    response = Client(raise_request_exception=False).get(LINK)
    assert response.status_code == 500
    assert "Retry-After" not in response


def test_a_logged_in_user_gets_the_503_page_when_their_session_cannot_be_read(
    alice_client, monkeypatch
):
    # Logged-in requests reach the database first in middleware (the user behind the session),
    # not in the view: the 500 handler answers with the same 503 page.
    from mognad.orgs import middleware

    def session_unreadable(request):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(middleware.twofactor, "needs_verification", session_unreadable)
    alice_client.raise_request_exception = False
    response = alice_client.get("/orgs/")
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER)
    assert "Tillfälligt otillgänglig" in response.content.decode()
