"""The outbox page (issue 13): coordinators read every queued email and whether it went; in debug
mode key users read their organization's, with working links; outside debug mode every secret in a
link is hidden. In debug mode the terminal gets one line per email instead of raw MIME."""

from __future__ import annotations

import io
import re

import pytest
from django.core import mail
from django.core.mail import EmailMessage

from mognad import test
from mognad.platform.mail import deliver_outbox, enqueue_email
from mognad.platform.mailbackend import OneLineConsoleBackend
from mognad.surveys import actions, answering, emails
from mognad.surveys.tests.factories import make_measurement, make_respondent, token_of


def _text(page) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.content.decode()))


@pytest.fixture
def invited(ankeby, bebyholm):
    measurement = make_measurement(ankeby)
    make_respondent(measurement, "sara@ankeby.se")
    make_respondent(measurement, "ulf@ankeby.se")
    actions.open_measurement(measurement, by=None)
    enqueue_email(
        to="reset@ankeby.se",
        template="invitation",
        context=emails.email_context(
            measurement,
            link="http://testserver/accounts/reset/MQ/cd1k5f-2f8a3b9c0d1e2f3a4b5c/",
            language="sv",
        ),
        language="sv",
        dedupe_key="test:reset",
        organization=ankeby,
    )
    other = make_measurement(bebyholm)
    make_respondent(other, "spy@bebyholm.se")
    actions.open_measurement(other, by=None)
    return measurement


def test_a_coordinator_reads_every_email_with_the_secrets_hidden(nadia_client, invited):
    page = nadia_client.get("/outbox/")
    assert page.status_code == 200
    text = _text(page)
    assert "4 e-postmeddelanden" in text
    for to in ("sara@ankeby.se", "ulf@ankeby.se", "spy@bebyholm.se", "reset@ankeby.se"):
        assert to in text
    token = token_of(invited.respondents.get(email="sara@ankeby.se"))
    html = page.content.decode()
    assert token not in html and "/r/…/" in html
    assert "cd1k5f-2f8a3b9c0d1e2f3a4b5c" not in html and "/accounts/reset/MQ/…/" in html
    assert "Väntar" in text


def test_the_status_filter_shows_what_went(nadia_client, invited):
    deliver_outbox()
    assert "0 e-postmeddelanden" in _text(nadia_client.get("/outbox/?status=pending"))
    sent = _text(nadia_client.get("/outbox/?status=sent"))
    assert "4 e-postmeddelanden" in sent and "Skickat" in sent


def test_in_debug_mode_a_key_user_reads_the_organizations_emails_with_links(
    alice_client, invited, settings
):
    settings.DEBUG = True
    page = alice_client.get("/outbox/")
    text = _text(page)
    assert "3 e-postmeddelanden" in text and "spy@bebyholm.se" not in text
    token = token_of(invited.respondents.get(email="sara@ankeby.se"))
    assert f"/r/{token}/" in page.content.decode()
    assert "Se e-posten i utkorgen" in _text(alice_client.get(f"/measurements/{invited.pk}/"))


def test_outside_debug_mode_only_coordinators_get_the_page(
    alice_client, bob_client, victor_client, charlie_client, client, invited, settings
):
    settings.DEBUG = False
    for member in (alice_client, bob_client, victor_client, charlie_client):
        assert member.get("/outbox/").status_code == 404
    assert client.get("/outbox/").status_code == 302
    assert "Se e-posten i utkorgen" not in _text(alice_client.get(f"/measurements/{invited.pk}/"))


def test_in_debug_mode_unit_admins_and_viewers_still_get_404(bob_client, victor_client, settings):
    settings.DEBUG = True
    assert bob_client.get("/outbox/").status_code == 404
    assert victor_client.get("/outbox/").status_code == 404


def test_the_development_backend_prints_one_line_per_email(settings):
    settings.BASE_URL = "http://127.0.0.1:8000"
    out = io.StringIO()
    backend = OneLineConsoleBackend(stream=out)
    sent = backend.send_messages(
        [EmailMessage("Hej", "x" * 5000, to=["a@b.se"]), EmailMessage("Två", "y", to=["c@d.se"])]
    )
    assert sent == 2
    assert out.getvalue().splitlines() == [
        "[email] to a@b.se: Hej (read it at http://127.0.0.1:8000/outbox/)",
        "[email] to c@d.se: Två (read it at http://127.0.0.1:8000/outbox/)",
    ]
    assert not mail.outbox


def test_no_one_reads_from_the_outbox_who_has_not_answered_an_anonymous_measurement(
    nadia_client, invited
):
    """Reminders (and a reopened measurement's new invitations) go only to those who have not
    completed: in an anonymous measurement they are not listed."""
    identified = make_measurement(test.make_org("Cederby kommun"), anonymous=False)
    make_respondent(identified, "ida@cederby.se")
    identified = actions.open_measurement(identified, by=None)
    invited.refresh_from_db()
    sara = invited.respondents.get(email="sara@ankeby.se")
    response = answering.start_response(invited, key="sara", respondent=sara, channel="email")
    answering.submit_response(response, respondent=sara)
    assert actions.send_reminders(invited, by=None) == 1  # Ulf, who has not answered
    assert actions.send_reminders(identified, by=None) == 1
    text = _text(nadia_client.get("/outbox/"))
    assert text.count("Till ulf@ankeby.se") == 1  # his invitation, not the reminder
    assert text.count("Till sara@ankeby.se") == 1
    assert text.count("Till ida@cederby.se") == 2  # identified: invitation and reminder
